/**
 * 我的证照 (licence wallet): the holder's electronic licences whole, who may use each (用证授权:
 * for one of their applications, or for a department and purpose, until a day — withdrawable) and
 * who did (用证记录: every retrieval by staff, verified or not).
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, DatePicker, Empty, Form, Input, QRCode, Radio, Select, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useDepartmentName, useDepartments } from '../departments';
import { deptDisplayName, fmtDate, fmtTime, todayInShanghai } from '../format';
import type { ApplicationSummary, LicenseAccess, LicenseAuthorization, Page, WalletLicense } from '../types';
import { QueryError } from '../components/QueryState';
import { LicenseFacts, LicenseIdentifier, LicenseStateTag, useLicenseReason, useValidity, useWallet } from '../components/licenses';
import { GrantStateTag, PageHeading } from './pageKit';
import { FormModal } from './FormModal';
import { ListTable } from './ListTable';
import { RevokeButton, useRevoke } from './RevokeAction';
import { endOfShanghaiDay, grantState } from './pageLogic';
import { licenseUnusable } from './licenseLogic';

/** The caller's applications by id (number, item, status), to name what an authorisation or a retrieval was for. */
function useMyApplicationsIndex() {
  const q = useQuery({
    queryKey: ['applications', { wallet: true }],
    queryFn: () => api<Page<ApplicationSummary>>('/applications', { query: { pageSize: 100 } }),
    staleTime: 60_000,
  });
  const byId = new Map((q.data?.items ?? []).map((a) => [a.id, a]));
  return { list: q.data?.items ?? [], byId, query: q };
}

type AppIndex = Map<string, ApplicationSummary>;

/** An application as a link: its number and item, or the bare link when it is not in the list. */
function ApplicationRef({ id, apps, testId }: { id: string; apps: AppIndex; testId?: string }) {
  const { t } = useTranslation();
  const a = apps.get(id);
  return (
    <Link to={`/applications/${encodeURIComponent(id)}`} data-testid={testId}>
      {a ? (
        <>
          <span className="ow-mono" style={{ fontSize: 14 }}>{a.number}</span>
          <div style={{ fontSize: 14 }}>{a.itemName}</div>
        </>
      ) : (
        t('licenses.wallet.authApplication')
      )}
    </Link>
  );
}

interface AuthorizeForm {
  kind: 'application' | 'department';
  applicationId?: string;
  departmentCode?: string;
  purpose?: string;
  validTo: Dayjs;
}

function AuthorizeModal({ license, apps, onClose }: { license: WalletLicense; apps: ApplicationSummary[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const departments = useDepartments();
  const [form] = Form.useForm<AuthorizeForm>();
  const kind = Form.useWatch('kind', form) ?? 'application';
  const today = todayInShanghai();
  const authorize = useMutation({
    mutationFn: (v: AuthorizeForm) =>
      api<LicenseAuthorization>(`/licenses/${encodeURIComponent(license.id)}/authorizations`, {
        method: 'POST',
        body: {
          ...(v.kind === 'application' ? { applicationId: v.applicationId } : { departmentCode: v.departmentCode, purpose: v.purpose?.trim() }),
          validTo: endOfShanghaiDay(v.validTo.format('YYYY-MM-DD')),
        },
      }),
    onSuccess: () => {
      message.success(t('licenses.authorizeForm.done'));
      void qc.invalidateQueries({ queryKey: ['licenses', 'mine'] });
      onClose();
    },
  });
  return (
    <FormModal<AuthorizeForm>
      form={form}
      mutation={authorize}
      title={t('licenses.authorizeForm.title', { name: license.typeName })}
      okText={t('licenses.authorizeForm.submit')}
      okTestId="license-authorize-submit"
      errorTestId="license-authorize-error"
      width={600}
      onClose={onClose}
      gap={false}
      initialValues={{ kind: 'application', validTo: dayjs(today).add(3, 'month') }}
      intro={<Typography.Paragraph type="secondary">{t('licenses.authorizeForm.intro')}</Typography.Paragraph>}
    >
        <Form.Item name="kind" label={t('licenses.authorizeForm.kind')}>
          <Radio.Group data-testid="license-authorize-kind">
            <Radio value="application">{t('licenses.authorizeForm.kindApplication')}</Radio>
            <Radio value="department">{t('licenses.authorizeForm.kindDepartment')}</Radio>
          </Radio.Group>
        </Form.Item>
        {kind === 'application' ? (
          <Form.Item name="applicationId" label={t('licenses.authorizeForm.application')} rules={[{ required: true, message: t('licenses.authorizeForm.applicationRequired') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('licenses.authorizeForm.applicationPlaceholder')}
              data-testid="license-authorize-application"
              notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
              options={apps.map((a) => ({ value: a.id, label: `${a.number} · ${a.itemName}` }))}
            />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="departmentCode" label={t('licenses.authorizeForm.department')} rules={[{ required: true, message: t('licenses.authorizeForm.departmentRequired') }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={departments.isLoading}
                placeholder={t('licenses.authorizeForm.departmentPlaceholder')}
                data-testid="license-authorize-department"
                options={(departments.data?.items ?? []).map((d) => ({ value: d.code, label: deptDisplayName(d) ?? d.code }))}
              />
            </Form.Item>
            <Form.Item name="purpose" label={t('licenses.authorizeForm.purpose')} rules={[{ required: true, whitespace: true, message: t('licenses.authorizeForm.purposeRequired') }]}>
              <Input maxLength={200} placeholder={t('licenses.authorizeForm.purposePlaceholder')} data-testid="license-authorize-purpose" />
            </Form.Item>
          </>
        )}
        <Form.Item name="validTo" label={t('licenses.authorizeForm.validTo')} rules={[{ required: true, message: t('licenses.authorizeForm.validToRequired') }]} style={{ marginBottom: 0 }}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') < today} data-testid="license-authorize-valid-to" />
        </Form.Item>
    </FormModal>
  );
}

function AuthorizationsTab({ license, apps, onAuthorize }: { license: WalletLicense; apps: AppIndex; onAuthorize: () => void }) {
  const { t } = useTranslation();
  const departmentName = useDepartmentName();
  const revoke = useRevoke('/license-authorizations', ['licenses', 'mine'], t('licenses.wallet.revokedMsg'));
  const targetText = (a: LicenseAuthorization) =>
    a.applicationId
      ? `${t('licenses.wallet.authApplication')} ${apps.get(a.applicationId)?.number ?? ''}`.trim()
      : departmentName(a.departmentCode);
  const columns: TableProps<LicenseAuthorization>['columns'] = [
    {
      title: t('licenses.wallet.authTarget'),
      key: 'target',
      render: (_, a) =>
        a.applicationId ? (
          <ApplicationRef id={a.applicationId} apps={apps} testId="license-auth-application" />
        ) : (
          <strong data-testid="license-auth-department">{departmentName(a.departmentCode)}</strong>
        ),
    },
    { title: t('licenses.wallet.purpose'), key: 'purpose', render: (_, a) => <span className="owp-cell-wrap">{a.purpose || '—'}</span> },
    { title: t('licenses.wallet.validTo'), key: 'validTo', render: (_, a) => <span className="owp-nowrap">{fmtDate(a.validTo)}</span> },
    { title: t('licenses.wallet.createdAt'), key: 'createdAt', responsive: ['md'], render: (_, a) => <span className="owp-nowrap">{fmtTime(a.createdAt)}</span> },
    { title: t('pages.common.status'), key: 'state', render: (_, a) => <GrantStateTag grant={a} testId="license-auth-state" /> },
    {
      title: t('pages.common.operations'),
      key: 'ops',
      render: (_, a) =>
        grantState(a, new Date(), todayInShanghai()) === 'active' ? (
          <RevokeButton
            testId="license-auth-revoke"
            pending={revoke.isPending && revoke.variables === a.id}
            label={t('licenses.wallet.revoke')}
            title={t('licenses.wallet.revokeTitle')}
            content={t('licenses.wallet.revokeContent', { target: targetText(a) })}
            okText={t('licenses.wallet.revokeOk')}
            okTestId="license-auth-revoke-ok"
            onRevoke={() => revoke.mutateAsync(a.id)}
          />
        ) : null,
    },
  ];
  return (
    <>
      <div className="owp-toolbar" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('licenses.authorizeForm.intro')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={onAuthorize} data-testid="license-authorize-open">
          {t('licenses.wallet.authorize')}
        </Button>
      </div>
      <ListTable<LicenseAuthorization>
        size="small"
        columns={columns}
        rows={license.authorizations}
        pageSize={10}
        emptyText={t('licenses.wallet.authEmpty')}
        rowTestId="license-auth-row"
      />
    </>
  );
}

function AccessLogTab({ license, apps }: { license: WalletLicense; apps: AppIndex }) {
  const { t } = useTranslation();
  const departmentName = useDepartmentName();
  const log = useQuery({
    queryKey: ['licenses', 'access-log', license.id],
    queryFn: () => api<{ items: LicenseAccess[] }>(`/licenses/${encodeURIComponent(license.id)}/access-log`),
  });
  const columns: TableProps<LicenseAccess>['columns'] = [
    { title: t('licenses.wallet.logAt'), key: 'at', render: (_, r) => <span className="owp-nowrap">{fmtTime(r.at)}</span> },
    { title: t('licenses.wallet.logWho'), key: 'who', render: (_, r) => <strong data-testid="license-log-who">{r.accessorName}</strong> },
    { title: t('licenses.wallet.logDept'), key: 'dept', render: (_, r) => <span data-testid="license-log-dept">{departmentName(r.departmentCode)}</span> },
    {
      title: t('licenses.wallet.logApplication'),
      key: 'app',
      render: (_, r) => (r.applicationId ? <ApplicationRef id={r.applicationId} apps={apps} testId="license-log-application" /> : r.purpose || '—'),
    },
    { title: t('licenses.wallet.logPurpose'), key: 'purpose', responsive: ['md'], render: (_, r) => r.purpose || '—' },
    {
      title: t('licenses.wallet.logVerified'),
      key: 'verified',
      render: (_, r) =>
        r.verified ? (
          <Tag color="green" icon={<CheckCircleFilled />} data-testid="license-log-verified" data-verified="true">
            {t('licenses.wallet.verified')}
          </Tag>
        ) : (
          <Tag color="red" icon={<CloseCircleFilled />} data-testid="license-log-verified" data-verified="false">
            {t('licenses.wallet.notVerified')}
          </Tag>
        ),
    },
  ];
  if (log.isError) return <QueryError error={log.error} onRetry={() => void log.refetch()} />;
  return (
    <>
      <Typography.Paragraph type="secondary">{t('licenses.wallet.logHint')}</Typography.Paragraph>
      <ListTable<LicenseAccess>
        rowKey={(r, i) => `${r.at}-${i}`}
        size="small"
        loading={log.isLoading}
        columns={columns}
        rows={log.data?.items ?? []}
        pageSize={10}
        emptyText={t('licenses.wallet.logEmpty')}
        rowTestId="license-log-row"
      />
    </>
  );
}

function LicenseCard({ license, apps, onAuthorize }: { license: WalletLicense; apps: AppIndex; onAuthorize: () => void }) {
  const { t } = useTranslation();
  const validity = useValidity();
  const reasonLabel = useLicenseReason();
  const [tab, setTab] = useState('info');
  const unusable = licenseUnusable(license, todayInShanghai());
  const activeAuths = license.authorizations.filter((a) => grantState(a, new Date(), todayInShanghai()) === 'active').length;
  return (
    <Card className={`ow-card owl-licence ${unusable ? 'is-unusable' : ''}`} data-testid="wallet-license" data-type={license.type} data-identifier={license.identifier}>
      <div className="owl-licence-head">
        <span className="owl-emblem" aria-hidden>
          证
        </span>
        <div style={{ minWidth: 0, flex: 1 }}>
          <h2 className="owl-licence-title">
            <span data-testid="wallet-license-name">{license.typeName}</span>
            <LicenseStateTag license={license} testId="wallet-license-state" />
          </h2>
          <div className="owl-licence-sub">
            {license.issuerName} · {validity(license)} · {t(`licenses.source.${license.source}`)}
          </div>
          <div className="owl-licence-id">
            <LicenseIdentifier identifier={license.identifier} />{' '}
            <Link to={`/licenses/verify/${encodeURIComponent(license.identifier)}`} target="_blank" className="owp-nowrap" data-testid="wallet-license-verify">
              <SafetyCertificateOutlined aria-hidden /> {t('licenses.verifyLink')}
            </Link>
          </div>
        </div>
        {/* 亮证: whoever scans it opens the public verification of this licence */}
        <div data-testid="wallet-license-qr" title={t('licenses.verifyLink')}>
          <QRCode value={`${window.location.origin}/licenses/verify/${encodeURIComponent(license.identifier)}`} size={96} bordered={false} />
        </div>
      </div>
      {unusable && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          title={t('licenses.wallet.unusable', { reason: reasonLabel(unusable) })}
          description={license.statusReason ?? undefined}
        />
      )}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        style={{ marginTop: 8 }}
        items={[
          {
            key: 'info',
            label: <span data-testid="wallet-tab-info">{t('licenses.wallet.tabInfo')}</span>,
            children: <LicenseFacts license={license} showMeta={false} testId="wallet-license-fields" />,
          },
          {
            key: 'auth',
            label: (
              <span data-testid="wallet-tab-auth">
                {t('licenses.wallet.tabAuth')}
                {activeAuths > 0 && <Tag color="blue" style={{ marginInlineStart: 6 }}>{activeAuths}</Tag>}
              </span>
            ),
            children: <AuthorizationsTab license={license} apps={apps} onAuthorize={onAuthorize} />,
          },
          {
            key: 'log',
            label: <span data-testid="wallet-tab-log">{t('licenses.wallet.tabLog')}</span>,
            // fetched when opened: the log is the holder's to look at, not loaded for every licence
            children: tab === 'log' ? <AccessLogTab license={license} apps={apps} /> : null,
          },
        ]}
      />
    </Card>
  );
}

export default function MyLicensesPage() {
  const { t } = useTranslation();
  const wallet = useWallet();
  const { list, byId } = useMyApplicationsIndex();
  const [authorizing, setAuthorizing] = useState<WalletLicense | null>(null);
  const items = wallet.data?.items ?? [];
  return (
    <>
      <PageHeading title={t('licenses.wallet.title')} subtitle={t('licenses.wallet.subtitle')} testId="wallet-title" />
      {wallet.isError && <QueryError error={wallet.error} onRetry={() => void wallet.refetch()} />}
      {wallet.isLoading && (
        <Card className="ow-card">
          <Skeleton active paragraph={{ rows: 5 }} />
        </Card>
      )}
      {wallet.isSuccess && items.length === 0 && (
        <Card className="ow-card">
          <Empty description={<Space orientation="vertical" size={4}><strong>{t('licenses.wallet.empty')}</strong><span className="owp-muted">{t('licenses.wallet.emptyHint')}</span></Space>} data-testid="wallet-empty" />
        </Card>
      )}
      {items.length > 0 && (
        <Typography.Paragraph type="secondary" data-testid="wallet-count">
          {t('licenses.wallet.count', { count: items.length })}
        </Typography.Paragraph>
      )}
      {items.map((l) => (
        <LicenseCard key={l.id} license={l} apps={byId} onAuthorize={() => setAuthorizing(l)} />
      ))}
      {authorizing && <AuthorizeModal license={authorizing} apps={list} onClose={() => setAuthorizing(null)} />}
    </>
  );
}

