/**
 * 电子证照管理:
 * - the administrator imports licences of other issuing authorities (a .csv file, or pasted JSON)
 *   and sees the rows refused with their reasons;
 * - the administrator, or a signatory for the licences their department issues, looks a licence up
 *   by identifier and suspends, reinstates or revokes it (revocation is final);
 * - both see the 免证办 report: materials an e-licence stood for, per item or per department.
 */
import { useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Descriptions, Form, Input, Modal, Row, Segmented, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { ButtonProps, TableProps } from 'antd';
import { DownloadOutlined, SearchOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, isApiError } from '../api';
import { hasRole, useMe } from '../auth';
import { useDepartmentName } from '../departments';
import { fmtDate, joinList } from '../format';
import type { LicenseImportResult, LicenseStatus, LicenseUsageRow, LicenseVerifyAnswer } from '../types';
import { QueryError } from '../components/QueryState';
import { LicenseIdentifier, LicenseStatusTag, useLicenseTypes, useValidity } from '../components/licenses';
import { PageHeading, useTableScroll } from './pageKit';
import { csvTemplate, normalizeLicenseIdentifier, parsePastedImport, typeCodeOfIdentifier } from './licenseLogic';

const MAX_BYTES = 10 * 1024 * 1024;

type ImportState =
  | { phase: 'idle' }
  | { phase: 'busy'; source: string }
  | { phase: 'done'; source: string; result: LicenseImportResult }
  | { phase: 'failed'; source: string; message: string };

/** Saves text as a file in the browser. */
function saveText(text: string, fileName: string, type: string) {
  const href = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

function ImportCard() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const types = useLicenseTypes();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<ImportState>({ phase: 'idle' });
  const [templateType, setTemplateType] = useState<string>('resident_id');
  const [json, setJson] = useState('');
  const [jsonProblem, setJsonProblem] = useState<string | null>(null);
  const busy = state.phase === 'busy';

  const run = async (source: string, send: () => Promise<LicenseImportResult>) => {
    setState({ phase: 'busy', source });
    try {
      const result = await send();
      setState({ phase: 'done', source, result });
      void qc.invalidateQueries({ queryKey: ['licenses'] });
    } catch (e) {
      setState({ phase: 'failed', source, message: errorMessage(e) });
    }
  };

  const onFile = async (e: React.ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    if (!/\.csv$/i.test(f.name)) return setState({ phase: 'failed', source: f.name, message: t('licenses.admin.wrongType') });
    if (f.size > MAX_BYTES) return setState({ phase: 'failed', source: f.name, message: t('licenses.admin.tooLarge') });
    await run(f.name, () => api<LicenseImportResult>('/licenses/import', { method: 'POST', raw: { body: f, contentType: 'text/csv' } }));
  };

  const onJson = async () => {
    const parsed = parsePastedImport(json);
    if (!parsed.ok) {
      setJsonProblem(t(parsed.problem === 'syntax' ? 'licenses.admin.jsonSyntax' : parsed.problem === 'shape' ? 'licenses.admin.jsonShape' : 'licenses.admin.jsonEmpty'));
      return;
    }
    setJsonProblem(null);
    await run(t('licenses.admin.pasted'), () => api<LicenseImportResult>('/licenses/import', { method: 'POST', body: parsed.body }));
  };

  const chosenType = types.data?.items.find((x) => x.code === templateType);
  const columns: TableProps<LicenseImportResult['rejected'][number]>['columns'] = [
    { title: t('licenses.admin.row'), dataIndex: 'row', key: 'row', width: 80 },
    {
      title: t('licenses.admin.reasons'),
      key: 'reasons',
      render: (_, r) => (
        <ul className="ow-reasons">
          {r.reasons.map((x, i) => (
            <li key={i}>
              <Tag>{x.rule}</Tag> {x[i18n.language?.startsWith('en') ? 'en' : 'zh-CN'] || x['zh-CN']}
            </li>
          ))}
        </ul>
      ),
    },
  ];

  return (
    <Card title={t('licenses.admin.importTitle')} className="ow-card" data-testid="license-import">
      <Tabs
        items={[
          {
            key: 'csv',
            label: t('licenses.admin.csvTab'),
            children: (
              <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                  {t('licenses.admin.csvHint')}
                </Typography.Paragraph>
                <Space wrap>
                  <span className={`ow-file-button${busy ? ' is-disabled' : ''}`}>
                    <Button type="primary" size="large" icon={<UploadOutlined />} loading={busy} tabIndex={-1} aria-hidden>
                      {t('licenses.admin.chooseCsv')}
                    </Button>
                    <input ref={input} type="file" accept=".csv,text/csv" aria-label={t('licenses.admin.chooseCsv')} disabled={busy} onChange={(e) => void onFile(e)} data-testid="license-import-file" />
                  </span>
                  <Space.Compact>
                    <Select
                      aria-label={t('licenses.admin.templateType')}
                      style={{ minWidth: 200 }}
                      size="large"
                      value={templateType}
                      onChange={setTemplateType}
                      loading={types.isLoading}
                      options={(types.data?.items ?? []).map((x) => ({ value: x.code, label: x.name }))}
                    />
                    <Button size="large" icon={<DownloadOutlined />} disabled={!chosenType} onClick={() => chosenType && saveText(csvTemplate(chosenType), `${chosenType.code}.csv`, 'text/csv;charset=utf-8')} data-testid="license-import-template">
                      {t('licenses.admin.template')}
                    </Button>
                  </Space.Compact>
                </Space>
              </Space>
            ),
          },
          {
            key: 'json',
            label: t('licenses.admin.jsonTab'),
            children: (
              <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
                <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                  {t('licenses.admin.jsonHint')}
                </Typography.Paragraph>
                <Input.TextArea
                  rows={8}
                  value={json}
                  onChange={(e) => setJson(e.target.value)}
                  spellCheck={false}
                  className="owl-identifier"
                  aria-label={t('licenses.admin.jsonTab')}
                  placeholder={'[{"type":"resident_id","holderIdNumber":"…","holderName":"…","validFrom":"2024-01-01","validTo":"2044-01-01","data":{"name":"…"}}]'}
                  data-testid="license-import-json"
                />
                {jsonProblem && <Alert type="error" showIcon title={jsonProblem} data-testid="license-import-json-problem" />}
                <Button type="primary" size="large" loading={busy} onClick={() => void onJson()} data-testid="license-import-json-submit">
                  {t('licenses.admin.jsonSubmit')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {state.phase === 'failed' && (
        <Alert type="error" showIcon role="alert" style={{ marginTop: 16 }} data-testid="license-import-error" title={t('licenses.admin.failed', { message: state.message })} description={t('licenses.admin.resultSource', { name: state.source })} />
      )}
      {state.phase === 'done' && (
        <div style={{ marginTop: 20 }} data-testid="license-import-result">
          <Typography.Text type="secondary">{t('licenses.admin.resultSource', { name: state.source })}</Typography.Text>
          <Row gutter={[24, 16]} style={{ margin: '8px 0 16px' }}>
            <Col xs={8} sm={6}>
              <Statistic title={t('licenses.admin.statTotal')} value={state.result.total} />
            </Col>
            <Col xs={8} sm={6}>
              <Statistic title={t('licenses.admin.statImported')} value={state.result.imported} styles={{ content: { color: '#1b5e20' } }} data-testid="license-import-imported" />
            </Col>
            <Col xs={8} sm={6}>
              <Statistic title={t('licenses.admin.statRejected')} value={state.result.rejected.length} styles={{ content: { color: state.result.rejected.length ? '#c62828' : undefined } }} />
            </Col>
          </Row>
          <Alert
            type={state.result.rejected.length ? 'warning' : 'success'}
            showIcon
            style={{ marginBottom: 16 }}
            title={t('licenses.admin.result', { total: state.result.total, imported: state.result.imported, rejected: state.result.rejected.length })}
          />
          {state.result.rejected.length > 0 && (
            <>
              <Typography.Title level={5}>{t('licenses.admin.rejectedTitle')}</Typography.Title>
              <Table
                rowKey="row"
                size="small"
                columns={columns}
                dataSource={state.result.rejected}
                pagination={state.result.rejected.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
                onRow={(r) => ({ 'data-testid': 'license-import-rejected', 'data-row': r.row }) as React.HTMLAttributes<HTMLElement>}
              />
            </>
          )}
        </div>
      )}
    </Card>
  );
}

function StatusModal({ identifier, to, onClose, onDone }: { identifier: string; to: LicenseStatus; onClose: () => void; onDone: (s: LicenseStatus) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: (reason: string) =>
      api<{ identifier: string; status: LicenseStatus }>(`/licenses/${encodeURIComponent(identifier)}/status`, { method: 'POST', body: { status: to, reason: reason.trim() } }),
    onSuccess: (r) => onDone(r.status),
    onError: (e) => setError(errorMessage(e)),
  });
  const needsReason = to !== 'valid';
  return (
    <Modal
      open
      title={t(`licenses.admin.statusTitle.${to}`)}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t(`licenses.admin.${to === 'valid' ? 'reinstate' : to === 'suspended' ? 'suspend' : 'revoke'}`)}
      okButtonProps={{ danger: to === 'revoked', loading: change.isPending, 'data-testid': 'license-status-confirm' } as ButtonProps}
      cancelText={t('pages.common.cancel')}
    >
      <div className="owl-identifier" style={{ marginBottom: 12 }}>{identifier}</div>
      {to === 'revoked' && <Alert type="warning" showIcon title={t('licenses.admin.revokeWarning')} style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} data-testid="license-status-error" />}
      <Form form={form} layout="vertical" onFinish={(v) => { setError(null); change.mutate(v.reason ?? ''); }}>
        <Form.Item
          name="reason"
          label={needsReason ? t('licenses.admin.reason') : t('licenses.admin.reasonOptional')}
          rules={needsReason ? [{ required: true, whitespace: true, message: t('licenses.admin.reasonRequired') }] : []}
          style={{ marginBottom: 0 }}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount placeholder={t('licenses.admin.reasonPlaceholder')} data-testid="license-status-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function LookupCard() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { data: user } = useMe();
  const admin = hasRole(user, ['admin']);
  const types = useLicenseTypes();
  const departmentName = useDepartmentName();
  const validity = useValidity();
  const [identifier, setIdentifier] = useState('');
  const [changing, setChanging] = useState<LicenseStatus | null>(null);
  const q = useQuery({
    queryKey: ['license-verify', identifier, 'admin'],
    enabled: !!identifier,
    retry: false,
    staleTime: 0,
    queryFn: () => api<LicenseVerifyAnswer>(`/licenses/verify/${encodeURIComponent(identifier)}`),
  });
  const ownTypes = (types.data?.items ?? []).filter((x) => !!user?.departmentCode && x.issuerDepartmentCode === user.departmentCode);
  const typeCode = identifier ? typeCodeOfIdentifier(identifier) : null;
  const type = typeCode ? types.data?.items.find((x) => x.typeCode === typeCode) : undefined;
  const mayChange = admin || (!!type?.issuerDepartmentCode && type.issuerDepartmentCode === user?.departmentCode);
  const l = q.data?.license;

  return (
    <Card title={t('licenses.admin.lookupTitle')} className="ow-card" data-testid="license-lookup">
      <Typography.Paragraph type="secondary">{t('licenses.admin.lookupHint')}</Typography.Paragraph>
      {!admin && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={ownTypes.length ? t('licenses.admin.yourTypes', { types: joinList(ownTypes.map((x) => x.name)) }) : t('licenses.admin.noTypes')}
        />
      )}
      <Form layout="inline" onFinish={(v: { identifier: string }) => setIdentifier(normalizeLicenseIdentifier(v.identifier ?? ''))} style={{ rowGap: 8 }}>
        <Form.Item name="identifier" style={{ flex: '1 1 420px', marginInlineEnd: 8 }} rules={[{ required: true, whitespace: true, message: t('licenses.verify.required') }]}>
          <Input size="large" className="owl-id-input" placeholder={t('licenses.verify.placeholder')} aria-label={t('licenses.identifier')} spellCheck={false} autoComplete="off" data-testid="license-lookup-input" />
        </Form.Item>
        <Button type="primary" size="large" htmlType="submit" icon={<SearchOutlined />} loading={q.isFetching} data-testid="license-lookup-submit">
          {t('licenses.admin.lookup')}
        </Button>
      </Form>
      {q.isError && (
        <Alert
          type={isApiError(q.error) && q.error.status === 404 ? 'warning' : 'error'}
          showIcon
          role="alert"
          style={{ marginTop: 16 }}
          data-testid="license-lookup-error"
          title={isApiError(q.error) && q.error.status === 404 ? t('licenses.verify.notFound') : errorMessage(q.error)}
        />
      )}
      {l && (
        <div style={{ marginTop: 16 }} data-testid="license-lookup-result" data-status={l.status}>
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, sm: 1, md: 2 }}
            className="owl-facts"
            items={[
              { key: 'type', label: t('licenses.verify.typeLabel'), children: <strong>{l.typeName}</strong> },
              {
                key: 'status',
                label: t('licenses.statusLabel'),
                children: (
                  <Space wrap size={4}>
                    <span data-testid="license-lookup-status">
                      <LicenseStatusTag status={l.status} />
                    </span>
                    <span className="owp-muted">{q.data!.message}</span>
                  </Space>
                ),
              },
              { key: 'identifier', label: t('licenses.identifier'), children: <LicenseIdentifier identifier={l.identifier} />, span: { xs: 1, sm: 1, md: 2 } },
              { key: 'holder', label: t('licenses.holder'), children: `${l.holderName ?? '—'} · ${l.holderIdNumber ?? ''}` },
              { key: 'issuer', label: t('licenses.issuer'), children: l.issuerName },
              { key: 'validity', label: t('licenses.validity'), children: validity(l) },
              { key: 'issuedAt', label: t('licenses.issuedAt'), children: fmtDate(l.issuedAt) },
              ...(l.statusReason ? [{ key: 'reason', label: t('licenses.statusReason'), children: l.statusReason, span: { xs: 1, sm: 1, md: 2 } }] : []),
            ]}
          />
          {!mayChange && (
            <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('licenses.admin.notYourDept', { issuer: type?.issuerDepartmentCode ? departmentName(type.issuerDepartmentCode) : l.issuerName })} data-testid="license-lookup-not-yours" />
          )}
          <Space wrap style={{ marginTop: 12 }}>
            {l.status === 'valid' && (
              <Button size="large" disabled={!mayChange} onClick={() => setChanging('suspended')} data-testid="license-suspend">
                {t('licenses.admin.suspend')}
              </Button>
            )}
            {l.status === 'suspended' && (
              <Button size="large" type="primary" disabled={!mayChange} onClick={() => setChanging('valid')} data-testid="license-reinstate">
                {t('licenses.admin.reinstate')}
              </Button>
            )}
            {l.status !== 'revoked' && (
              <Button size="large" danger disabled={!mayChange} onClick={() => setChanging('revoked')} data-testid="license-revoke">
                {t('licenses.admin.revoke')}
              </Button>
            )}
            <Link to={`/licenses/verify/${encodeURIComponent(l.identifier)}`} target="_blank">
              {t('licenses.verifyLink')}
            </Link>
          </Space>
        </div>
      )}
      {changing && l && (
        <StatusModal
          identifier={l.identifier}
          to={changing}
          onClose={() => setChanging(null)}
          onDone={(s) => {
            setChanging(null);
            message.success(t('licenses.admin.statusChanged', { status: t(`licenses.status.${s}`) }));
            void q.refetch();
          }}
        />
      )}
    </Card>
  );
}

function UsageCard() {
  const { t } = useTranslation();
  const tableScroll = useTableScroll();
  const departmentName = useDepartmentName();
  const [by, setBy] = useState<'item' | 'department'>('item');
  const q = useQuery({
    queryKey: ['licenses', 'usage', by],
    queryFn: () => api<{ items: LicenseUsageRow[] }>('/licenses/usage', { query: { by } }),
  });
  const rows = q.data?.items ?? [];
  const columns: TableProps<LicenseUsageRow>['columns'] = [
    by === 'item'
      ? {
          title: t('licenses.admin.item'),
          key: 'item',
          render: (_, r) => (
            <div>
              <Link to={`/items/${encodeURIComponent(r.itemCode ?? '')}`}>{r.itemName ?? r.itemCode}</Link>
              <div className="owp-code">{r.itemCode}</div>
            </div>
          ),
        }
      : { title: t('licenses.admin.department'), key: 'department', render: (_, r) => departmentName(r.departmentCode) },
    { title: t('licenses.admin.materials'), dataIndex: 'materials', key: 'materials', align: 'right', width: 160 },
    { title: t('licenses.admin.applications'), dataIndex: 'applications', key: 'applications', align: 'right', width: 160 },
  ];
  return (
    <Card
      title={t('licenses.admin.usageTitle')}
      className="ow-card"
      data-testid="license-usage"
      extra={
        <Segmented
          value={by}
          onChange={(v) => setBy(v as 'item' | 'department')}
          options={[
            { value: 'item', label: <span data-testid="license-usage-by-item">{t('licenses.admin.byItem')}</span> },
            { value: 'department', label: <span data-testid="license-usage-by-department">{t('licenses.admin.byDepartment')}</span> },
          ]}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t('licenses.admin.usageHint')}</Typography.Paragraph>
      {q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table<LicenseUsageRow>
          rowKey={(r) => r.itemCode ?? r.departmentCode ?? ''}
          size="small"
          scroll={tableScroll}
          loading={q.isLoading}
          columns={columns}
          dataSource={rows}
          pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          locale={{ emptyText: t('licenses.admin.usageEmpty') }}
          onRow={() => ({ 'data-testid': 'license-usage-row' }) as React.HTMLAttributes<HTMLElement>}
          summary={(data) =>
            data.length > 1 ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <strong>{t('licenses.admin.total')}</strong>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  <strong>{data.reduce((n, r) => n + r.materials, 0)}</strong>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">
                  <strong>{data.reduce((n, r) => n + r.applications, 0)}</strong>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
      )}
    </Card>
  );
}

export default function LicenseAdminPage() {
  const { t } = useTranslation();
  const { data: user } = useMe();
  const admin = hasRole(user, ['admin']);
  return (
    <>
      <PageHeading title={t('licenses.admin.title')} subtitle={admin ? t('licenses.admin.subtitleAdmin') : t('licenses.admin.subtitleSignatory')} testId="license-admin-title" />
      {admin && <ImportCard />}
      <LookupCard />
      <UsageCard />
    </>
  );
}
