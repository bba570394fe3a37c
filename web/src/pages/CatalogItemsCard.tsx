/**
 * The catalogue's items on the administrator's catalogue page (CatalogPage.tsx), searchable, each
 * with a link to its workflow (办理流程: review steps and exemption list) and its service guide.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { Card, Input, Space, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ApartmentOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';
import { useDepartmentName } from '../departments';
import type { Item, Page } from '../types';
import { useTableScroll } from './pageKit';

const PAGE_SIZE = 20;

/** The workflow page of an item. */
export const workflowPath = (code: string) => `/admin/items/${encodeURIComponent(code)}/workflow`;

export default function CatalogItemsCard() {
  const { t } = useTranslation();
  const departmentName = useDepartmentName();
  const scroll = useTableScroll();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const items = useQuery({
    // under `items`: an import invalidates it
    queryKey: ['items', 'admin-list', q, page],
    queryFn: () => api<Page<Item>>('/items', { query: { q: q || undefined, page, pageSize: PAGE_SIZE } }),
    placeholderData: keepPreviousData,
  });

  const columns: TableProps<Item>['columns'] = [
    { title: t('pages.workflow.listCode'), dataIndex: 'code', key: 'code', width: 170, render: (c: string) => <span className="owp-code">{c}</span> },
    { title: t('pages.workflow.listName'), dataIndex: 'name', key: 'name', render: (n: string) => <span className="owp-cell-wrap">{n}</span> },
    {
      title: t('pages.workflow.listDepartment'),
      key: 'department',
      width: 220,
      render: (_, it) => departmentName(it.departmentCode, it.departmentName),
    },
    {
      title: t('pages.workflow.listActions'),
      key: 'actions',
      width: 200,
      render: (_, it) => (
        <Space size="middle" className="owp-nowrap">
          <Link to={workflowPath(it.code)} data-testid={`catalog-workflow-${it.code}`}>
            <ApartmentOutlined /> {t('pages.workflow.listFlow')}
          </Link>
          <Link to={`/items/${encodeURIComponent(it.code)}`}>{t('pages.workflow.listGuide')}</Link>
        </Space>
      ),
    },
  ];

  return (
    <Card title={t('pages.workflow.listTitle')} className="ow-card" data-testid="catalog-items">
      <Typography.Paragraph>{t('pages.workflow.listHint')}</Typography.Paragraph>
      <Input.Search
        allowClear
        placeholder={t('pages.workflow.listSearch')}
        aria-label={t('pages.workflow.listSearch')}
        onSearch={(v) => {
          setQ(v.trim());
          setPage(1);
        }}
        style={{ maxWidth: 480, marginBottom: 16 }}
        data-testid="catalog-items-search"
      />
      {items.isError && <Typography.Paragraph type="danger">{errorMessage(items.error)}</Typography.Paragraph>}
      <Table<Item>
        rowKey="code"
        size="middle"
        columns={columns}
        dataSource={items.data?.items ?? []}
        loading={items.isFetching}
        scroll={scroll}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: items.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('pages.workflow.listTotal', { total }),
          onChange: setPage,
        }}
      />
    </Card>
  );
}
