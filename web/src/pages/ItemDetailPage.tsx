import { Breadcrumb, Button, Card, Descriptions, Result, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { FormOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../api';
import type { Item, Material } from '../types';
import { DepthTag, LimitDays } from '../components/DepthTag';
import { QueryError } from '../components/QueryState';
import { isApplicant, PageSpin, useMe } from '../auth';
import { useDepartmentName } from '../departments';
import { itemTypeName, joinList } from '../format';

const SERVICE_OBJECTS = ['1', '2', '3', '4', '5', '6', '9'] as const;

export function useItem(code: string | undefined) {
  return useQuery({
    queryKey: ['item', code],
    queryFn: () => api<Item>(`/items/${encodeURIComponent(code ?? '')}`),
    enabled: !!code,
  });
}

export default function ItemDetailPage() {
  const { code } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: user } = useMe();
  const item = useItem(code);
  const departmentName = useDepartmentName();

  if (item.isLoading) return <PageSpin />;
  if (item.isError) {
    if (isApiError(item.error) && item.error.status === 404)
      return (
        <Result
          status="404"
          title={t('item.notFound')}
          subTitle={item.error.message}
          extra={<Link to="/items">{t('item.back')}</Link>}
        />
      );
    return <QueryError error={item.error} onRetry={() => void item.refetch()} />;
  }
  const it = item.data!;
  const applyPath = `/apply/${encodeURIComponent(it.code)}`;
  const staffOnly = !!user && !isApplicant(user);
  // only the public texts; `limitSource.note` is internal and never shown
  const src = it.limitSource && typeof it.limitSource === 'object' ? it.limitSource : null;
  const statutorySource = typeof src?.statutory === 'string' ? src.statutory.trim() : '';
  const committedSource = typeof src?.committed === 'string' ? src.committed.trim() : '';
  const objectName = (c: string) =>
    (SERVICE_OBJECTS as readonly string[]).includes(c) ? t(`serviceObject.${c as (typeof SERVICE_OBJECTS)[number]}`) : c;
  const serviceObjects = Array.isArray(it.serviceObjects)
    ? joinList(it.serviceObjects.map(objectName))
    : it.serviceObjects;

  const applyButtonWith = (testId: string) => (
    <Button
      type="primary"
      size="large"
      icon={<FormOutlined />}
      data-testid={testId}
      disabled={staffOnly}
      onClick={() => navigate(user ? applyPath : `/login?next=${encodeURIComponent(applyPath)}`)}
    >
      {user ? t('item.apply') : t('item.loginToApply')}
    </Button>
  );
  const applyButton = applyButtonWith('apply-button');

  const columns: TableProps<Material>['columns'] = [
    { title: '#', key: 'idx', width: 56, render: (_, __, i) => i + 1 },
    { title: t('item.materialName'), dataIndex: 'name', key: 'name' },
    {
      title: t('item.necessity'),
      key: 'required',
      width: 110,
      render: (_, m) =>
        m.required === false ? <Tag>{t('item.optional')}</Tag> : <Tag color="red">{t('item.required')}</Tag>,
    },
    {
      title: t('item.original'),
      key: 'original',
      width: 90,
      render: (_, m) => (m.original != null ? t('item.copiesCount', { count: m.original }) : '—'),
    },
    {
      title: t('item.copies'),
      key: 'copies',
      width: 90,
      render: (_, m) => (m.copies != null ? t('item.copiesCount', { count: m.copies }) : '—'),
    },
    { title: t('item.note'), dataIndex: 'note', key: 'note', render: (n?: string | null) => n || '—' },
  ];

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 16 }}
        items={[{ title: <Link to="/items">{t('nav.items')}</Link> }, { title: it.name }]}
      />
      <Card className="ow-card">
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap align="start">
          <div>
            <Typography.Text type="secondary">{t('item.guide')}</Typography.Text>
            <Typography.Title level={2} style={{ margin: '4px 0 8px' }} data-testid="item-name">
              {it.name}
            </Typography.Title>
            <Space wrap>
              {(it.type || it.typeName) && <Tag color="blue">{itemTypeName(it.type, it.typeName)}</Tag>}
              {it.projectType && <Tag color="purple">{t(`projectType.${it.projectType}`)}</Tag>}
              <DepthTag depth={it.onlineDepth} />
            </Space>
          </div>
          {staffOnly ? <Tooltip title={t('item.staffCannotApply')}>{applyButton}</Tooltip> : applyButton}
        </Space>
      </Card>

      <Card title={t('item.guide')} className="ow-card">
        <Descriptions bordered column={{ xs: 1, sm: 1, md: 2 }} size="middle" styles={{ label: { whiteSpace: 'nowrap' } }}>
          <Descriptions.Item label={t('item.code')}>
            <span className="ow-mono">{it.code}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('item.department')}>{departmentName(it.departmentCode, it.departmentName)}</Descriptions.Item>
          <Descriptions.Item label={t('item.statutory')}>
            <span data-testid="statutory-limit">
              <LimitDays days={it.statutoryLimitDays} unit={it.statutoryLimitUnit} kind="statutory" />
            </span>
            {statutorySource && (
              <div className="ow-source" data-testid="statutory-source">
                {t('item.basis')}
                {statutorySource}
              </div>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('item.committed')}>
            <Typography.Text strong style={{ color: '#1b5e20' }} data-testid="committed-limit">
              <LimitDays days={it.committedLimitDays} unit={it.committedLimitUnit} />
            </Typography.Text>
            {committedSource && (
              <div className="ow-source" data-testid="committed-source">
                {t('item.basis')}
                {committedSource}
              </div>
            )}
          </Descriptions.Item>
          {it.requiredVisits != null && (
            <Descriptions.Item label={t('item.visits')}>
              {t('item.visitsCount', { count: it.requiredVisits })}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('item.depth')}>
            <DepthTag depth={it.onlineDepth} />
          </Descriptions.Item>
          {serviceObjects && (
            <Descriptions.Item label={t('item.serviceObjects')} span={2}>
              {serviceObjects}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('item.legalBasis')} span={2}>
            <div className="ow-pre" data-testid="legal-basis">
              {it.legalBasis || '—'}
            </div>
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title={t('item.materials')} className="ow-card">
        <Table<Material>
          rowKey={(m) => String(m.id)}
          columns={columns}
          dataSource={it.materials ?? []}
          pagination={false}
          onRow={() => ({ 'data-testid': 'material-row' }) as React.HTMLAttributes<HTMLElement>}
          scroll={{ x: 640 }}
        />
        <div style={{ marginTop: 20, textAlign: 'center' }}>{!staffOnly && applyButtonWith('apply-button-bottom')}</div>
      </Card>
    </>
  );
}
