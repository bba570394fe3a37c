import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, Modal, Radio, Table, Tag, Typography, App as AntApp } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';
import { hasRole, useMe } from '../auth';
import { useDepartmentName } from '../departments';
import { fmtDate, fmtTime, todayInShanghai } from '../format';
import type { CommitmentCheck } from '../types';

interface ResultValues {
  result: 'passed' | 'failed';
  finding?: string;
  outcome?: 'correction' | 'revocation';
  correctionDueDate?: Dayjs | null;
}

function CheckStatus({ c }: { c: CommitmentCheck }) {
  const { t } = useTranslation();
  const overdue = c.status === 'open' && c.dueDate < todayInShanghai();
  if (c.status === 'open')
    return (
      <Tag color={overdue ? 'red' : 'blue'} data-testid="check-status" data-status="open">
        {overdue ? t('checks.overdue') : t('checks.status.open')}
      </Tag>
    );
  return (
    <Tag color={c.status === 'passed' ? 'green' : 'red'} data-testid="check-status" data-status={c.status}>
      {t(`checks.status.${c.status}`)}
    </Tag>
  );
}

/**
 * 告知承诺事中事后核查: the post-approval checks of a commitment-based decision, for the deciding
 * department's back office, with the form to record a result — passed, or failed with a
 * correction order (by a day after today) or, for a signatory only, revocation of the decision.
 */
export function CommitmentChecksCard({ applicationId, checks }: { applicationId: string; checks: CommitmentCheck[] }) {
  const { t } = useTranslation();
  const { data: user } = useMe();
  const departmentName = useDepartmentName();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState<CommitmentCheck | null>(null);
  const [form] = Form.useForm<ResultValues>();
  const result = Form.useWatch('result', form);
  const outcome = Form.useWatch('outcome', form);
  const signatory = hasRole(user, ['signatory']);

  const record = useMutation({
    mutationFn: ({ id, v }: { id: string; v: ResultValues }) =>
      api<CommitmentCheck>(`/commitment-checks/${encodeURIComponent(id)}/result`, {
        method: 'POST',
        body: {
          result: v.result,
          finding: (v.finding ?? '').trim(),
          ...(v.result === 'failed' ? { outcome: v.outcome } : {}),
          ...(v.result === 'failed' && v.outcome === 'correction' && v.correctionDueDate ? { correctionDueDate: v.correctionDueDate.format('YYYY-MM-DD') } : {}),
        },
      }),
    onSuccess: () => {
      message.success(t('checks.recorded'));
      setOpen(null);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['application', applicationId] });
      void qc.invalidateQueries({ queryKey: ['applications'] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });

  const mayRecord = (c: CommitmentCheck) =>
    c.status === 'open' && hasRole(user, ['reviewer', 'signatory']) && !!user?.departmentCode && user.departmentCode === c.departmentCode;

  return (
    <Card title={t('checks.title')} className="ow-card" data-testid="commitment-checks">
      <Typography.Paragraph type="secondary">{t('checks.intro')}</Typography.Paragraph>
      <Table<CommitmentCheck>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={checks}
        scroll={{ x: 720 }}
        columns={[
          { title: t('checks.department'), key: 'dept', render: (_, c) => departmentName(c.departmentCode) },
          { title: t('checks.dueDate'), key: 'due', render: (_, c) => fmtDate(c.dueDate) },
          { title: t('checks.statusCol'), key: 'status', render: (_, c) => <CheckStatus c={c} /> },
          {
            title: t('checks.outcome'),
            key: 'outcome',
            render: (_, c) =>
              c.outcome ? (
                <span>
                  {t(`checks.outcomes.${c.outcome}`)}
                  {c.correctionDueDate ? ` · ${t('checks.correctBy', { date: fmtDate(c.correctionDueDate) })}` : ''}
                </span>
              ) : (
                '—'
              ),
          },
          { title: t('checks.finding'), key: 'finding', render: (_, c) => <span className="ow-pre">{c.finding || '—'}</span> },
          { title: t('checks.checkedAt'), key: 'checkedAt', render: (_, c) => fmtTime(c.checkedAt) },
          {
            title: t('appCols.operations'),
            key: 'op',
            render: (_, c) =>
              mayRecord(c) ? (
                <Button type="primary" size="small" onClick={() => setOpen(c)} data-testid="check-record">
                  {t('checks.record')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={!!open}
        title={t('checks.record')}
        onCancel={() => !record.isPending && setOpen(null)}
        destroyOnHidden
        okText={t('checks.submit')}
        cancelText={t('detail.cancel')}
        okButtonProps={{ loading: record.isPending, danger: result === 'failed' && outcome === 'revocation', ...({ 'data-testid': 'check-submit' } as Record<string, string>) }}
        onOk={() =>
          void form
            .validateFields()
            .then((v) => open && record.mutate({ id: open.id, v }))
            .catch(() => undefined)
        }
      >
        <Form<ResultValues> form={form} layout="vertical" preserve={false} initialValues={{ result: 'passed', outcome: 'correction' }}>
          <Form.Item name="result" label={t('checks.result')} required>
            <Radio.Group optionType="button" buttonStyle="solid">
              <Radio.Button value="passed">{t('checks.status.passed')}</Radio.Button>
              <Radio.Button value="failed">{t('checks.status.failed')}</Radio.Button>
            </Radio.Group>
          </Form.Item>
          {result === 'failed' && (
            <>
              <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('checks.failedHint')} />
              <Form.Item name="outcome" label={t('checks.outcome')} required>
                <Radio.Group>
                  <Radio value="correction">{t('checks.outcomes.correction')}</Radio>
                  <Radio value="revocation" disabled={!signatory}>
                    {t('checks.outcomes.revocation')}
                    {!signatory && <Typography.Text type="secondary"> {t('checks.revocationSignatoryOnly')}</Typography.Text>}
                  </Radio>
                </Radio.Group>
              </Form.Item>
              {outcome === 'correction' && (
                <Form.Item name="correctionDueDate" label={t('checks.correctionDueDate')} rules={[{ required: true, message: t('checks.correctionDueDateRequired') }]}>
                  <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.format('YYYY-MM-DD') <= todayInShanghai()} />
                </Form.Item>
              )}
            </>
          )}
          <Form.Item
            name="finding"
            label={t('checks.finding')}
            rules={result === 'failed' ? [{ required: true, whitespace: true, message: t('checks.findingRequired') }] : []}
          >
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
