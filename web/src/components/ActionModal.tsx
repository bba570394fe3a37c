import { Alert, Button, Checkbox, DatePicker, Form, Input, Modal, Radio, Select, Space, Typography, App as AntApp } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorMessage, isApiError } from '../api';
import { fmtDate, todayInShanghai } from '../format';
import { ACTIONS, COMMENT_REQUIRED, PAUSE_KINDS, type Action, type Application, type ApplicationStatus, type Item } from '../types';
import { usePauseKindName } from './ClockCard';

/** Actions shown as the page's main step forward, and those that end or refuse something. */
export const PRIMARY_ACTIONS: readonly Action[] = ['accept', 'review', 'opinion', 'grant', 'deliver', 'supplement', 'receive', 'provide_material'];
export const DANGER_ACTIONS: readonly Action[] = ['reject', 'deny', 'withdraw', 'revoke'];

export function useActionLabel() {
  const { t } = useTranslation();
  return (a: string) => ((ACTIONS as readonly string[]).includes(a) ? t(`action.${a as Action}`) : a === 'submit' ? t('action.submit') : a);
}

interface Values {
  comment?: string;
  opinion?: 'approve' | 'reject';
  procedure?: string;
  method?: 'window' | 'mail';
  pickupCode?: string;
  trackingNumber?: string;
  conditional?: boolean;
  conditionalIds?: number[];
  conditionalDeadline?: Dayjs | null;
  [file: `file-${string}`]: string | undefined;
  [file: `supplement-${string}`]: string | undefined;
}

/** The item of an application (materials for supplement and 容缺), only while a form needs it. */
function useItemFor(code: string, enabled: boolean) {
  return useQuery({
    queryKey: ['item', code],
    queryFn: () => api<Item>(`/items/${encodeURIComponent(code)}`),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/**
 * The form of one lifecycle action, driven by the application's `allowedActions`: the fields the
 * action takes (opinion, special procedure, delivery, 容缺 materials, supplement files), the
 * reasons where the law requires them, and a hint of what the action does. Every action sends
 * the version the page shows, except a joint-review `opinion` (concurrent). Afterwards the
 * application and the lists are fetched again; the server's translated message shows on error.
 */
export function ActionModal({ app, action, onClose }: { app: Application; action: Action | null; onClose: () => void }) {
  const { t } = useTranslation();
  const actionLabel = useActionLabel();
  const pauseKind = usePauseKindName();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const opinion = Form.useWatch('opinion', form);
  const method = Form.useWatch('method', form);
  const conditional = Form.useWatch('conditional', form);
  const needsItem = action === 'accept' || action === 'supplement';
  const item = useItemFor(app.itemCode, !!action && needsItem);
  const pending = app.pendingMaterials ?? [];
  const conditionalChoices = (item.data?.materials ?? []).filter((m) => m.conditionalAllowed);

  const required =
    !!action && (COMMENT_REQUIRED.includes(action) || ((action === 'review' || action === 'opinion') && opinion === 'reject'));

  const run = useMutation({
    mutationFn: ({ action: a, v }: { action: Action; v: Values }) => {
      const body: Record<string, unknown> = { comment: (v.comment ?? '').trim() };
      // joint-review opinions are concurrent: no version; every other action names the version seen
      if (a !== 'opinion') body.version = app.version;
      if (a === 'review' || a === 'opinion') body.opinion = v.opinion ?? 'approve';
      if (a === 'pause_clock') body.procedure = { kind: v.procedure };
      if (a === 'deliver')
        body.delivery =
          v.method === 'mail' ? { method: 'mail', trackingNumber: (v.trackingNumber ?? '').trim() } : { method: 'window', pickupCode: (v.pickupCode ?? '').trim() };
      if (a === 'accept' && v.conditional && v.conditionalIds?.length && v.conditionalDeadline)
        body.conditional = { materialIds: v.conditionalIds, deadline: v.conditionalDeadline.format('YYYY-MM-DD') };
      if (a === 'provide_material')
        body.materials = pending.map((m) => ({ materialId: m.materialId, fileName: v[`file-${m.materialId}`]?.trim() || undefined }));
      if (a === 'supplement') {
        const files = (item.data?.materials ?? [])
          .map((m) => ({ materialId: Number(m.id), fileName: v[`supplement-${m.id}`]?.trim() }))
          .filter((m) => !!m.fileName);
        if (files.length) body.materials = files;
      }
      return api<{ status: ApplicationStatus; version: number; dueDate: string | null }>(
        `/applications/${encodeURIComponent(app.id)}/actions/${a}`,
        { method: 'POST', body },
      );
    },
    onSuccess: (_r, { action: a }) => {
      message.success(t('detail.done', { action: actionLabel(a) }));
      form.resetFields();
      onClose();
      void qc.invalidateQueries({ queryKey: ['application', app.id] });
      void qc.invalidateQueries({ queryKey: ['applications'] });
    },
    onError: (e) => {
      if (isApiError(e, 'VERSION_CONFLICT') || isApiError(e, 'ACTION_NOT_ALLOWED')) {
        message.warning(`${e.message} ${t('detail.conflictReloaded')}`);
        onClose();
        void qc.invalidateQueries({ queryKey: ['application', app.id] });
        void qc.invalidateQueries({ queryKey: ['applications'] });
      } else {
        message.error(errorMessage(e));
      }
    },
  });

  const label = action ? actionLabel(action) : '';
  const close = () => {
    if (run.isPending) return;
    form.resetFields();
    run.reset();
    onClose();
  };
  const submit = () => {
    if (!action || run.isPending) return;
    void form
      .validateFields()
      .then((v) => run.mutate({ action, v }))
      .catch(() => undefined);
  };

  const hint = (() => {
    switch (action) {
      case 'request_supplement':
        return <Alert type="info" showIcon title={t('actionForm.supplementNoticeHint')} />;
      case 'reject':
        return <Alert type="info" showIcon title={t('actionForm.rejectHint')} />;
      case 'extend':
        return <Alert type="info" showIcon title={t('actionForm.extendHint')} />;
      case 'pause_clock':
        return <Alert type="info" showIcon title={t('actionForm.pauseHint')} />;
      case 'resume_clock':
        return <Alert type="info" showIcon title={t('actionForm.resumeHint')} />;
      case 'revoke':
        return <Alert type="warning" showIcon title={t('actionForm.revokeHint')} />;
      case 'withdraw':
        return <Alert type="warning" showIcon title={t('actionForm.withdrawHint')} />;
      case 'receive':
        return <Alert type="info" showIcon title={t('actionForm.receiveHint')} />;
      case 'opinion':
        return <Alert type="info" showIcon title={t('actionForm.opinionHint')} />;
      case 'grant':
      case 'deny':
        if (app.status === 'accepted')
          return <Alert type="info" showIcon title={app.commitment ? t('actionForm.commitmentDecisionHint') : t('actionForm.chiefHint')} />;
        return null;
      case 'deliver':
        return app.deliveryDeadline ? <Alert type="info" showIcon title={t('actionForm.deliverHint', { date: fmtDate(app.deliveryDeadline) })} /> : null;
      default:
        return null;
    }
  })();

  const commentLabel =
    action === 'review' || action === 'opinion'
      ? t('actionForm.opinionReasons')
      : action && COMMENT_REQUIRED.includes(action)
        ? t('actionForm.reasons')
        : t('detail.commentLabel');
  const commentPlaceholder =
    action === 'request_supplement'
      ? t('actionForm.supplementNoticePlaceholder')
      : action === 'pause_clock'
        ? t('actionForm.pausePlaceholder')
        : action === 'extend'
          ? t('actionForm.extendPlaceholder')
          : required
            ? t('actionForm.reasonsPlaceholder')
            : t('detail.commentPlaceholder');

  return (
    <Modal
      open={!!action}
      title={label}
      onCancel={close}
      destroyOnHidden
      width={640}
      footer={[
        <Button key="cancel" onClick={close} disabled={run.isPending} data-testid="action-cancel">
          {t('detail.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          danger={!!action && (DANGER_ACTIONS.includes(action) || ((action === 'review' || action === 'opinion') && opinion === 'reject'))}
          loading={run.isPending}
          onClick={submit}
          data-testid="action-confirm"
        >
          {t('detail.confirm', { action: label })}
        </Button>,
      ]}
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        {hint}
        {run.isError && !isApiError(run.error, 'VERSION_CONFLICT') && (
          <Alert type="error" showIcon title={errorMessage(run.error)} data-testid="action-error" />
        )}
        <Form<Values>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{
            opinion: 'approve',
            method: app.deliveryMethod === 'mail' ? 'mail' : 'window',
            conditional: false,
            conditionalIds: [],
          }}
        >
          {(action === 'review' || action === 'opinion') && (
            <Form.Item name="opinion" label={t('actionForm.opinion')} required>
              <Radio.Group optionType="button" buttonStyle="solid" data-testid="action-opinion">
                <Radio.Button value="approve">
                  <span data-testid="opinion-approve">{t('review.approve')}</span>
                </Radio.Button>
                <Radio.Button value="reject">
                  <span data-testid="opinion-reject">{t('review.reject')}</span>
                </Radio.Button>
              </Radio.Group>
            </Form.Item>
          )}
          {(action === 'review' || action === 'opinion') && opinion === 'reject' && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={action === 'opinion' ? t('actionForm.opinionRejectHint') : t('actionForm.reviewRejectHint')}
            />
          )}

          {action === 'pause_clock' && (
            <Form.Item name="procedure" label={t('actionForm.procedure')} rules={[{ required: true, message: t('actionForm.procedureRequired') }]}>
              <Select
                data-testid="action-procedure"
                placeholder={t('actionForm.procedurePlaceholder')}
                options={PAUSE_KINDS.map((k) => ({ value: k, label: pauseKind(k) }))}
              />
            </Form.Item>
          )}

          {action === 'deliver' && (
            <>
              <Form.Item name="method" label={t('delivery.method')} required>
                <Radio.Group data-testid="action-delivery-method">
                  <Radio value="window">
                    <span data-testid="delivery-window">{t('delivery.methods.window')}</span>
                  </Radio>
                  <Radio value="mail">
                    <span data-testid="delivery-mail">{t('delivery.methods.mail')}</span>
                  </Radio>
                </Radio.Group>
              </Form.Item>
              {method !== 'mail' ? (
                <Form.Item
                  name="pickupCode"
                  label={t('delivery.pickupCode')}
                  extra={t('actionForm.pickupCodeHint')}
                  rules={[
                    { required: true, whitespace: true, message: t('actionForm.pickupCodeRequired') },
                    { pattern: /^\s*\d{6}\s*$/, message: t('actionForm.pickupCodeFormat') },
                  ]}
                >
                  <Input
                    inputMode="numeric"
                    autoComplete="off"
                    maxLength={6}
                    placeholder="000000"
                    className="ow-mono"
                    style={{ fontSize: 22, letterSpacing: 6, maxWidth: 220 }}
                    data-testid="action-pickup-code"
                    autoFocus
                  />
                </Form.Item>
              ) : (
                <Form.Item
                  name="trackingNumber"
                  label={t('delivery.trackingNumber')}
                  rules={[{ required: true, whitespace: true, message: t('actionForm.trackingRequired') }]}
                >
                  <Input maxLength={60} autoComplete="off" data-testid="action-tracking" placeholder={t('actionForm.trackingPlaceholder')} />
                </Form.Item>
              )}
            </>
          )}

          {action === 'accept' && conditionalChoices.length > 0 && (
            <>
              <Form.Item name="conditional" valuePropName="checked" extra={t('actionForm.conditionalHint')}>
                <Checkbox data-testid="action-conditional">{t('actionForm.conditional')}</Checkbox>
              </Form.Item>
              {conditional && (
                <>
                  <Form.Item
                    name="conditionalIds"
                    label={t('actionForm.conditionalMaterials')}
                    rules={[{ required: true, type: 'array', min: 1, message: t('actionForm.conditionalMaterialsRequired') }]}
                  >
                    <Checkbox.Group
                      options={conditionalChoices.map((m) => ({ value: Number(m.id), label: m.name }))}
                      style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
                    />
                  </Form.Item>
                  <Form.Item
                    name="conditionalDeadline"
                    label={t('actionForm.conditionalDeadline')}
                    rules={[{ required: true, message: t('actionForm.conditionalDeadlineRequired') }]}
                  >
                    <DatePicker
                      format="YYYY-MM-DD"
                      disabledDate={(d) => d.format('YYYY-MM-DD') <= todayInShanghai()}
                      defaultPickerValue={dayjs(todayInShanghai()).add(7, 'day')}
                      data-testid="action-conditional-deadline"
                    />
                  </Form.Item>
                </>
              )}
            </>
          )}

          {action === 'supplement' && (item.data?.materials ?? []).length > 0 && (
            <div style={{ marginBottom: 12 }}>
              <Typography.Text strong>{t('actionForm.supplementFiles')}</Typography.Text>
              <Typography.Paragraph type="secondary" style={{ fontSize: 14, marginBottom: 8 }}>
                {t('actionForm.supplementFilesHint')}
              </Typography.Paragraph>
              {(item.data?.materials ?? []).map((m) => (
                <Form.Item key={String(m.id)} name={`supplement-${m.id}`} label={m.name} style={{ marginBottom: 10 }}>
                  <Input maxLength={255} placeholder={t('apply.fileNamePlaceholder')} data-testid={`supplement-file-${m.id}`} />
                </Form.Item>
              ))}
            </div>
          )}

          {action === 'provide_material' &&
            pending.map((m) => (
              <Form.Item
                key={m.materialId}
                name={`file-${m.materialId}`}
                label={t('detail.pendingFile', { name: m.name, date: m.dueDate })}
                rules={[{ required: true, whitespace: true, message: t('detail.pendingFileRequired') }]}
              >
                <Input maxLength={255} data-testid={`pending-file-${m.materialId}`} />
              </Form.Item>
            ))}

          <Form.Item
            name="comment"
            label={commentLabel}
            required={required}
            rules={required ? [{ required: true, whitespace: true, message: t('detail.commentRequired', { action: label }) }] : []}
          >
            <Input.TextArea
              rows={action === 'request_supplement' ? 6 : 4}
              maxLength={2000}
              showCount
              placeholder={commentPlaceholder}
              data-testid="action-comment"
              autoFocus={action !== 'deliver'}
            />
          </Form.Item>
        </Form>
      </Space>
    </Modal>
  );
}
