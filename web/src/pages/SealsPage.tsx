/**
 * 电子印章管理 (admin): every department's seals, and rotation of an active one. The old seal is
 * retired and keeps verifying what it sealed.
 */
import { useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Tag, Typography } from 'antd';
import type { ButtonProps, TableProps } from 'antd';
import { SyncOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';
import { fmtDate, fmtTime } from '../format';
import { useDepartmentName } from '../departments';
import { QueryError } from '../components/QueryState';
import { PageHeading } from './pageKit';
import { ListTable } from './ListTable';
import { svgDataUrl } from './pageLogic';

/** A seal as `GET /seals` lists it (GB/T 38540 model, public parts). */
export interface Seal {
  id: string;
  esId: string | null;
  departmentCode: string;
  name: string;
  purpose: string | null;
  publicKey: string;
  validFrom: string;
  validTo: string;
  status: 'active' | 'retired';
  retiredAt: string | null;
  pictureSvg: string;
}

export default function SealsPage() {
  const { t } = useTranslation();
  const { modal, message } = AntApp.useApp();
  const qc = useQueryClient();
  const departmentName = useDepartmentName();
  const [showRetired, setShowRetired] = useState(true);
  const seals = useQuery({ queryKey: ['seals'], queryFn: () => api<{ items: Seal[] }>('/seals') });

  const rotate = useMutation({
    mutationFn: (departmentCode: string) => api<Seal>(`/seals/${encodeURIComponent(departmentCode)}/rotate`, { method: 'POST' }),
    onSuccess: (s) => {
      message.success(t('pages.seals.rotated', { esId: s.esId ?? s.id }));
      void qc.invalidateQueries({ queryKey: ['seals'] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });

  const confirmRotate = (s: Seal) =>
    modal.confirm({
      title: t('pages.seals.rotateTitle', { name: s.name }),
      content: t('pages.seals.rotateContent', { department: departmentName(s.departmentCode) }),
      okText: t('pages.seals.rotateOk'),
      cancelText: t('pages.common.cancel'),
      okButtonProps: { danger: true, 'data-testid': 'rotate-confirm' } as ButtonProps,
      onOk: () => rotate.mutateAsync(s.departmentCode).catch(() => undefined),
    });

  // each department's seals together, the one in use first, then the retired ones, newest first
  const all = [...(seals.data?.items ?? [])].sort(
    (a, b) =>
      a.departmentCode.localeCompare(b.departmentCode) ||
      (a.status === b.status ? 0 : a.status === 'active' ? -1 : 1) ||
      b.validFrom.localeCompare(a.validFrom),
  );
  const rows = showRetired ? all : all.filter((s) => s.status === 'active');
  const active = all.filter((s) => s.status === 'active').length;

  const columns: TableProps<Seal>['columns'] = [
    {
      title: t('pages.seals.picture'),
      key: 'picture',
      width: 96,
      render: (_, s) => (
        // SVG text from our own server, shown as an image: never inserted as markup
        <img className="owp-seal-img" src={svgDataUrl(s.pictureSvg)} alt={t('pages.seals.pictureAlt', { name: s.name })} loading="lazy" />
      ),
    },
    {
      title: t('pages.seals.name'),
      key: 'name',
      render: (_, s) => (
        <div>
          <div style={{ fontWeight: 600 }}>{s.name}</div>
          <div className="owp-muted">{departmentName(s.departmentCode)}</div>
        </div>
      ),
    },
    {
      title: t('pages.seals.esId'),
      dataIndex: 'esId',
      key: 'esId',
      responsive: ['md'],
      render: (v: string | null) => <span className="owp-code">{v ?? '—'}</span>,
    },
    {
      title: t('pages.seals.status'),
      key: 'status',
      render: (_, s) =>
        s.status === 'active' ? (
          <Tag color="green" data-testid="seal-status">{t('pages.seals.active')}</Tag>
        ) : (
          <Tag data-testid="seal-status">{t('pages.seals.retired')}</Tag>
        ),
      onCell: () => ({ className: 'owp-nowrap' }),
    },
    {
      title: t('pages.seals.validity'),
      key: 'validity',
      responsive: ['sm'],
      render: (_, s) => (
        <span className="owp-nowrap">
          {fmtDate(s.validFrom)} ~ {fmtDate(s.validTo)}
        </span>
      ),
    },
    {
      title: t('pages.seals.retiredAt'),
      key: 'retiredAt',
      responsive: ['lg'],
      render: (_, s) => <span className="owp-nowrap">{s.retiredAt ? fmtTime(s.retiredAt) : '—'}</span>,
    },
    {
      title: t('pages.common.operations'),
      key: 'ops',
      render: (_, s) =>
        s.status === 'active' ? (
          <Button
            icon={<SyncOutlined />}
            onClick={() => confirmRotate(s)}
            loading={rotate.isPending && rotate.variables === s.departmentCode}
            data-testid={`rotate-${s.departmentCode}`}
          >
            {t('pages.seals.rotate')}
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeading title={t('pages.seals.title')} subtitle={t('pages.seals.subtitle')} testId="seals-title" />
      {seals.isError && <QueryError error={seals.error} onRetry={() => void seals.refetch()} />}
      <Card
        className="ow-card"
        title={<Typography.Text>{t('pages.seals.count', { active, retired: all.length - active })}</Typography.Text>}
        extra={
          <Checkbox checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} data-testid="show-retired">
            {t('pages.seals.showRetired')}
          </Checkbox>
        }
      >
        <ListTable<Seal>
          columns={columns}
          rows={rows}
          loading={seals.isLoading}
          paged={false}
          emptyText={t('pages.seals.empty')}
          rowClassName={(s) => (s.status === 'retired' ? 'owp-seal-row-retired' : '')}
          rowTestId="seal-row"
          rowData={(s) => ({ 'data-status': s.status })}
        />
      </Card>
    </>
  );
}
