/**
 * 告知承诺核查 (事中事后监管): the post-approval checks of the caller's department (admin: all),
 * with their due days (overdue ones marked), and the form to record a result: passed, or failed
 * with a correction order by a day or — a signatory only — revocation of the permit.
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, DatePicker, Form, Input, Radio, Segmented, Space, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ExclamationCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { hasRole, useMe } from '../auth';
import { fmtDate, fmtTime, todayInShanghai } from '../format';
import { useDepartmentName } from '../departments';
import type { Application, CommitmentCheck } from '../types';
import { QueryError } from '../components/QueryState';
import { PageHeading } from './pageKit';
import { FormModal } from './FormModal';
import { ListTable } from './ListTable';
import { dueState } from './pageLogic';

const FILTERS = ['open', 'passed', 'failed', 'all'] as const;
type Filter = (typeof FILTERS)[number];

interface ResultForm {
  result: 'passed' | 'failed';
  finding?: string;
  outcome?: 'correction' | 'revocation';
  correctionDueDate?: Dayjs;
}

function RecordModal({ check, app, onClose }: { check: CommitmentCheck; app: Application | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const { data: user } = useMe();
  const isSignatory = hasRole(user, ['signatory']);
  const [form] = Form.useForm<ResultForm>();
  const result = Form.useWatch('result', form);
  const outcome = Form.useWatch('outcome', form);
  const today = todayInShanghai();

  const save = useMutation({
    mutationFn: (v: ResultForm) =>
      api<CommitmentCheck>(`/commitment-checks/${encodeURIComponent(check.id)}/result`, {
        method: 'POST',
        body: {
          result: v.result,
          finding: (v.finding ?? '').trim(),
          ...(v.result === 'failed'
            ? {
                outcome: v.outcome,
                ...(v.outcome === 'correction' && v.correctionDueDate ? { correctionDueDate: v.correctionDueDate.format('YYYY-MM-DD') } : {}),
              }
            : {}),
        },
      }),
    onSuccess: () => {
      message.success(t('pages.checks.saved'));
      void qc.invalidateQueries({ queryKey: ['commitment-checks'] });
      void qc.invalidateQueries({ queryKey: ['application', check.applicationId] });
      void qc.invalidateQueries({ queryKey: ['applications'] });
      onClose();
    },
  });

  return (
    <FormModal<ResultForm>
      form={form}
      mutation={save}
      title={t('pages.checks.recordTitle')}
      okText={t('pages.common.submit')}
      okTestId="check-submit"
      okDanger={result === 'failed' && outcome === 'revocation'}
      errorTestId="check-error"
      width={620}
      onClose={onClose}
      initialValues={{ result: 'passed' }}
      intro={
        app && (
          <Typography.Paragraph>
            <span className="ow-mono">{app.number}</span> {app.itemName} · {app.applicantName}
          </Typography.Paragraph>
        )
      }
    >
        <Form.Item name="result" label={t('pages.checks.result')} rules={[{ required: true, message: t('pages.checks.resultRequired') }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            data-testid="check-result"
            options={[
              { value: 'passed', label: <span data-testid="check-result-passed">{t('pages.checks.passed')}</span> },
              { value: 'failed', label: <span data-testid="check-result-failed">{t('pages.checks.failed')}</span> },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="finding"
          label={t('pages.checks.finding')}
          rules={result === 'failed' ? [{ required: true, whitespace: true, message: t('pages.checks.findingRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t('pages.checks.findingPlaceholder')} data-testid="check-finding" />
        </Form.Item>
        {result === 'failed' && (
          <>
            <Alert type="warning" showIcon title={t('pages.checks.failedWarning')} style={{ marginBottom: 16 }} />
            <Form.Item
              name="outcome"
              label={t('pages.checks.outcomeLabel')}
              rules={[{ required: true, message: t('pages.checks.outcomeRequired') }]}
              extra={isSignatory ? undefined : t('pages.checks.revocationOnlySignatory')}
            >
              <Radio.Group
                data-testid="check-outcome"
                options={[
                  { value: 'correction', label: <span data-testid="check-outcome-correction">{t('pages.checks.correction')}</span> },
                  // revocation (行政许可法 art. 69) is the authority head's: offered to signatories only
                  ...(isSignatory
                    ? [{ value: 'revocation', label: <span data-testid="check-outcome-revocation">{t('pages.checks.revocation')}</span> }]
                    : []),
                ]}
              />
            </Form.Item>
            {outcome === 'correction' && (
              <Form.Item
                name="correctionDueDate"
                label={t('pages.checks.correctionDueDate')}
                rules={[{ required: true, message: t('pages.checks.correctionDueRequired') }]}
              >
                <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') <= today} data-testid="check-correction-due" />
              </Form.Item>
            )}
            {outcome === 'revocation' && <Alert type="error" showIcon icon={<ExclamationCircleOutlined />} title={t('pages.checks.revocationWarning')} />}
          </>
        )}
    </FormModal>
  );
}

export default function CommitmentChecksPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { data: user } = useMe();
  const departmentName = useDepartmentName();
  const [params, setParams] = useSearchParams();
  const filter: Filter = (FILTERS as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as Filter) : 'open';
  const [recording, setRecording] = useState<CommitmentCheck | null>(null);
  const today = todayInShanghai();

  const list = useQuery({
    queryKey: ['commitment-checks', filter],
    queryFn: () => api<{ items: CommitmentCheck[] }>('/commitment-checks', { query: { status: filter === 'all' ? undefined : filter } }),
    refetchInterval: 60_000,
  });
  const rows = list.data?.items ?? [];
  // the list carries only the application's id: its number, item and applicant come from the application
  const appIds = [...new Set(rows.map((c) => c.applicationId))];
  const appQueries = useQueries({
    queries: appIds.map((id) => ({
      queryKey: ['application', id],
      queryFn: () => api<Application>(`/applications/${encodeURIComponent(id)}`),
      staleTime: 60_000,
    })),
  });
  const apps = new Map<string, Application>();
  appIds.forEach((id, i) => {
    const d = appQueries[i]?.data;
    if (d) apps.set(id, d);
  });

  const mayRecord = (c: CommitmentCheck) => c.status === 'open' && hasRole(user, ['reviewer', 'signatory']) && user?.departmentCode === c.departmentCode;
  const overdue = rows.filter((c) => c.status === 'open' && dueState(c.dueDate, today) === 'overdue').length;
  const showDept = hasRole(user, ['admin']);

  type Columns = NonNullable<TableProps<CommitmentCheck>['columns']>;
  const resultColumns: Columns = [
    {
      title: t('pages.checks.outcome'),
      key: 'outcome',
      render: (_, c) =>
        c.outcome ? (
          <div>
            <Tag color={c.outcome === 'revocation' ? 'magenta' : 'orange'}>{t(`pages.checks.${c.outcome}`)}</Tag>
            {c.correctionDueDate && <div className="owp-muted owp-nowrap">{t('pages.checks.correctionDue', { date: fmtDate(c.correctionDueDate) })}</div>}
          </div>
        ) : (
          '—'
        ),
    },
    {
      title: t('pages.checks.finding'),
      key: 'finding',
      responsive: ['lg'],
      render: (_, c) => <div className="owp-finding">{c.finding || '—'}</div>,
    },
    {
      title: t('pages.checks.checkedAt'),
      key: 'checkedAt',
      responsive: ['xl'],
      render: (_, c) => <span className="owp-nowrap">{c.checkedAt ? fmtTime(c.checkedAt) : '—'}</span>,
    },
  ];
  const opsColumns: Columns = [
    {
      title: t('pages.common.operations'),
      key: 'ops',
      render: (_, c) =>
        mayRecord(c) ? (
          <Button type="primary" onClick={() => setRecording(c)} data-testid="check-record">
            {t('pages.checks.record')}
          </Button>
        ) : null,
    },
  ];

  const columns: Columns = [
    {
      title: t('pages.checks.application'),
      key: 'app',
      render: (_, c) => {
        const app = apps.get(c.applicationId);
        return (
          <div className="owp-cell-wrap">
            <Link to={`/applications/${c.applicationId}`} className="ow-mono" data-testid="check-app-link">
              {app?.number ?? t('pages.checks.loadingApp')}
            </Link>
            {app && (
              <div className="owp-muted">
                {app.itemName} · {app.applicantName}
              </div>
            )}
          </div>
        );
      },
    },
    ...(showDept
      ? [{ title: t('pages.checks.department'), key: 'dept', responsive: ['md' as const], render: (_: unknown, c: CommitmentCheck) => departmentName(c.departmentCode) }]
      : []),
    {
      title: t('pages.checks.dueDate'),
      key: 'due',
      render: (_, c) => {
        const s = c.status === 'open' ? dueState(c.dueDate, today) : 'none';
        return (
          <Space size={4} wrap>
            <span className={s === 'overdue' ? 'owp-overdue owp-nowrap' : 'owp-nowrap'} data-testid="check-due">
              {fmtDate(c.dueDate)}
            </span>
            {s === 'overdue' && <Tag color="red" data-testid="check-overdue">{t('pages.checks.overdue')}</Tag>}
            {s === 'today' && <Tag color="orange">{t('pages.checks.dueToday')}</Tag>}
          </Space>
        );
      },
    },
    {
      title: t('pages.checks.status'),
      key: 'status',
      render: (_, c) => (
        <Tag color={c.status === 'open' ? 'blue' : c.status === 'passed' ? 'green' : 'red'} data-testid="check-status" data-status={c.status}>
          {t(`pages.checks.${c.status}`)}
        </Tag>
      ),
    },
    // results only where there are any; the record button only for who may record
    ...(filter === 'open' ? [] : resultColumns),
    ...(rows.some(mayRecord) ? opsColumns : []),
  ];

  const label: Record<Filter, string> = {
    open: t('pages.checks.tabOpen'),
    passed: t('pages.checks.tabPassed'),
    failed: t('pages.checks.tabFailed'),
    all: t('pages.checks.tabAll'),
  };

  return (
    <>
      <PageHeading title={t('pages.checks.title')} subtitle={t('pages.checks.subtitle')} testId="checks-title" />
      {list.isError && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Card className="ow-card">
        <div className="owp-toolbar">
          <Segmented<Filter>
            value={filter}
            onChange={(v) => setParams(v === 'open' ? {} : { status: v }, { replace: true })}
            options={FILTERS.map((f) => ({ value: f, label: <span data-testid={`checks-filter-${f}`}>{label[f]}</span> }))}
          />
          <Space wrap>
            {overdue > 0 && (
              <Tag color="red" data-testid="checks-overdue-count">
                {t('pages.checks.overdueCount', { count: overdue })}
              </Tag>
            )}
            <Button icon={<ReloadOutlined />} onClick={() => void qc.invalidateQueries({ queryKey: ['commitment-checks'] })} aria-label={t('workbench.refresh')} />
          </Space>
        </div>
        <ListTable<CommitmentCheck>
          columns={columns}
          rows={rows}
          loading={list.isLoading}
          emptyText={t('pages.checks.empty')}
          rowClassName={(c) => (c.status === 'open' && dueState(c.dueDate, today) === 'overdue' ? 'owp-row-overdue' : '')}
          rowTestId="check-row"
          rowData={(c) => ({ 'data-status': c.status })}
        />
      </Card>
      {recording && <RecordModal check={recording} app={apps.get(recording.applicationId)} onClose={() => setRecording(null)} />}
    </>
  );
}
