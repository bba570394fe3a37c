import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Rate,
  Result,
  Row,
  Space,
  Steps,
  Table,
  Timeline,
  Typography,
  App as AntApp,
} from 'antd';
import type { StepsProps } from 'antd';
import { ArrowLeftOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, isApiError } from '../api';
import type { Action, Application, ApplicationStatus, Evaluation, SubmittedMaterial } from '../types';
import { ACTIONS, COMMENT_REQUIRED, ROLES } from '../types';
import { StatusTag, useStatusName } from '../components/StatusTag';
import { DueDate, NO_DUE } from '../components/ApplicationsTable';
import { QueryError } from '../components/QueryState';
import { fmtLimit, fmtTime } from '../format';
import { isApplicant, PageSpin, useMe } from '../auth';

const PRIMARY: readonly Action[] = ['accept', 'review', 'grant', 'deliver', 'supplement'];
const DANGER: readonly Action[] = ['reject', 'deny', 'withdraw'];

/** Which of the five main steps a status sits on (0 submit … 4 deliver). */
const STEP_OF: Record<ApplicationStatus, number> = {
  submitted: 1,
  supplement_requested: 1,
  rejected: 1,
  accepted: 2,
  reviewed: 3,
  granted: 4,
  denied: 4,
  delivered: 5,
  withdrawn: 1,
  revoked: 5,
};

function useActionLabel() {
  const { t } = useTranslation();
  return (a: string) => ((ACTIONS as readonly string[]).includes(a) ? t(`action.${a as Action}`) : a === 'submit' ? t('action.submit') : a);
}

function ProgressSteps({ app }: { app: Application }) {
  const { t } = useTranslation();
  const statusName = useStatusName();
  let current = STEP_OF[app.status] ?? 0;
  let state: StepsProps['status'] = 'process';
  if (app.status === 'withdrawn') {
    const last = [...app.events].reverse().find((e) => e.toStatus === 'withdrawn');
    current = last?.fromStatus ? (STEP_OF[last.fromStatus] ?? 1) : 1;
    state = 'error';
  } else if (app.status === 'rejected') state = 'error';
  else if (app.status === 'supplement_requested') state = 'wait';
  else if (app.status === 'delivered') {
    current = 5;
    state = 'finish';
  }
  const titles = [
    t('detail.stepSubmit'),
    t('detail.stepAccept'),
    t('detail.stepReview'),
    app.status === 'granted' || app.status === 'denied' || app.decision
      ? statusName(app.decision?.outcome ?? app.status)
      : t('detail.stepDecide'),
    t('detail.stepDeliver'),
  ];
  const items = titles.map((title, i) => ({
    title,
    content:
      i === current && (app.status === 'supplement_requested' || state === 'error') ? statusName(app.status) : undefined,
  }));
  return <Steps current={current} status={state} items={items} responsive data-testid="progress-steps" />;
}

function ActionModal({
  app,
  action,
  onClose,
}: {
  app: Application;
  action: Action | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const actionLabel = useActionLabel();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ comment: string } & Record<string, string>>();
  const required = !!action && COMMENT_REQUIRED.includes(action);

  const pending = app.pendingMaterials ?? [];
  const run = useMutation({
    mutationFn: (v: { action: Action; comment: string }) =>
      api<{ status: ApplicationStatus; version: number }>(
        `/applications/${encodeURIComponent(app.id)}/actions/${v.action}`,
        {
          method: 'POST',
          body: {
            version: app.version,
            comment: v.comment,
            // 补交容缺材料: every material still pending, by its file name
            ...(v.action === 'provide_material'
              ? { materials: pending.map((m) => ({ materialId: m.materialId, fileName: (form.getFieldValue(`file-${m.materialId}`) as string | undefined)?.trim() || undefined })) }
              : {}),
          },
        },
      ),
    onSuccess: (_r, v) => {
      message.success(t('detail.done', { action: actionLabel(v.action) }));
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
  const submit = () => {
    if (!action || run.isPending) return;
    void form
      .validateFields()
      .then((v) => run.mutate({ action, comment: (v.comment ?? '').trim() }))
      .catch(() => undefined);
  };

  return (
    <Modal
      open={!!action}
      title={label}
      onCancel={() => {
        if (!run.isPending) {
          form.resetFields();
          run.reset();
          onClose();
        }
      }}
      destroyOnHidden
      forceRender={false}
      footer={[
        <Button key="cancel" onClick={() => { form.resetFields(); run.reset(); onClose(); }} disabled={run.isPending} data-testid="action-cancel">
          {t('detail.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          danger={!!action && DANGER.includes(action)}
          loading={run.isPending}
          onClick={submit}
          data-testid="action-confirm"
        >
          {t('detail.confirm', { action: label })}
        </Button>,
      ]}
    >
      {run.isError && !isApiError(run.error, 'VERSION_CONFLICT') && (
        <Alert type="error" showIcon title={errorMessage(run.error)} style={{ marginBottom: 12 }} data-testid="action-error" />
      )}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
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
          label={t('detail.commentLabel')}
          required={required}
          rules={required ? [{ required: true, whitespace: true, message: t('detail.commentRequired', { action: label }) }] : []}
        >
          <Input.TextArea
            rows={4}
            maxLength={1000}
            showCount
            placeholder={t('detail.commentPlaceholder')}
            data-testid="action-comment"
            autoFocus
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const LEVELS = ['evaluation.level1', 'evaluation.level2', 'evaluation.level3', 'evaluation.level4', 'evaluation.level5'] as const;

function EvaluationCard({ app }: { app: Application }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [touched, setTouched] = useState(false);
  const levels = LEVELS.map((k) => t(k));
  // stable hooks for browser tests: each star <li> gets data-testid="rating-star-N"
  const starRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    starRef.current?.querySelectorAll('li').forEach((li, i) => li.setAttribute('data-testid', `rating-star-${i + 1}`));
  });

  const send = useMutation({
    mutationFn: () =>
      api<Evaluation>(`/applications/${encodeURIComponent(app.id)}/evaluation`, {
        method: 'POST',
        body: { rating, comment: comment.trim() },
      }),
    onSuccess: () => {
      message.success(t('evaluation.thanks'));
      void qc.invalidateQueries({ queryKey: ['application', app.id] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });

  if (app.evaluation) {
    const r = app.evaluation.rating;
    return (
      <Card title={t('evaluation.yours')} className="ow-card" data-testid="evaluation-result">
        <Space align="center" wrap>
          <Rate disabled value={r} className="ow-rate" />
          <span className="ow-rate-label">{levels[r - 1]}</span>
        </Space>
        {app.evaluation.comment && <Typography.Paragraph style={{ marginTop: 8 }}>{app.evaluation.comment}</Typography.Paragraph>}
        <Typography.Text type="secondary">{fmtTime(app.evaluation.createdAt)}</Typography.Text>
      </Card>
    );
  }

  return (
    <Card title={t('evaluation.title')} className="ow-card" data-testid="evaluation-card">
      <Typography.Paragraph>{t('evaluation.intro')}</Typography.Paragraph>
      <div style={{ marginBottom: 12 }}>
        <div id="rating-label" style={{ marginBottom: 4, fontWeight: 600 }}>
          {t('evaluation.rating')}
        </div>
        <Space align="center" wrap>
          <div data-testid="rating" aria-labelledby="rating-label" ref={starRef}>
            <Rate
              className="ow-rate"
              value={rating}
              onChange={(v) => {
                setRating(v);
                setTouched(true);
              }}
              tooltips={levels}
            />
          </div>
          {rating > 0 && <span className="ow-rate-label" data-testid="rating-level">{levels[rating - 1]}</span>}
        </Space>
        {touched && rating === 0 && (
          <Typography.Text type="danger" style={{ display: 'block' }}>
            {t('evaluation.ratingRequired')}
          </Typography.Text>
        )}
      </div>
      <label htmlFor="evaluation-comment" style={{ display: 'block', marginBottom: 4, fontWeight: 600 }}>
        {t('evaluation.comment')}
      </label>
      <Input.TextArea
        id="evaluation-comment"
        rows={3}
        maxLength={500}
        showCount
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        placeholder={t('evaluation.commentPlaceholder')}
        data-testid="rating-comment"
      />
      <Button
        type="primary"
        size="large"
        style={{ marginTop: 16 }}
        loading={send.isPending}
        onClick={() => {
          setTouched(true);
          if (rating >= 1 && !send.isPending) send.mutate();
        }}
        data-testid="rating-submit"
      >
        {t('evaluation.submit')}
      </Button>
    </Card>
  );
}

function formLabel(key: string, t: ReturnType<typeof useTranslation>['t']): string {
  if (key === 'subject' || key === 'phone' || key === 'address') return t(`detail.formFields.${key}`);
  return key;
}

export default function ApplicationDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const actionLabel = useActionLabel();
  const statusName = useStatusName();
  const { data: user } = useMe();
  const [action, setAction] = useState<Action | null>(null);
  const q = useQuery({
    queryKey: ['application', id],
    queryFn: () => api<Application>(`/applications/${encodeURIComponent(id ?? '')}`),
    enabled: !!id,
  });

  if (q.isLoading) return <PageSpin />;
  if (q.isError) {
    if (isApiError(q.error) && (q.error.status === 404 || q.error.status === 403))
      return (
        <Result
          status={q.error.status === 404 ? '404' : '403'}
          title={q.error.status === 404 ? t('detail.notFound') : t('error.forbidden')}
          subTitle={q.error.message}
          extra={<Button onClick={() => navigate(-1)}>{t('detail.back')}</Button>}
        />
      );
    return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  }
  const app = q.data!;
  const allowed = (app.allowedActions ?? []).filter((a) => (ACTIONS as readonly string[]).includes(a));
  const roleName = (r: string) => ((ROLES as readonly string[]).includes(r) ? t(`roles.${r as (typeof ROLES)[number]}`) : r);
  const showEvaluation = isApplicant(user) && app.status === 'delivered';
  const ORDER = ['subject', 'phone', 'address'];
  const rank = (k: string) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  const formEntries = Object.entries(app.form ?? {})
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .sort(([a], [b]) => rank(a) - rank(b));

  return (
    <>
      <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} style={{ paddingInline: 0, marginBottom: 8 }}>
        {t('detail.back')}
      </Button>
      <Card className="ow-card">
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap align="start">
          <div>
            <Typography.Text type="secondary">{t('detail.title')}</Typography.Text>
            <Typography.Title level={2} style={{ margin: '4px 0' }}>
              <Link to={`/items/${encodeURIComponent(app.itemCode)}`} data-testid="detail-item">
                {app.itemName}
              </Link>
            </Typography.Title>
            <Typography.Text className="ow-mono" style={{ fontSize: 15 }} data-testid="application-number">
              {app.number}
            </Typography.Text>
          </div>
          <span className="ow-status-lg">
            <StatusTag status={app.status} />
          </span>
        </Space>
        <Descriptions column={{ xs: 1, sm: 2, md: 3 }} style={{ marginTop: 16 }}>
          <Descriptions.Item label={t('detail.applicant')}>{app.applicantName}</Descriptions.Item>
          <Descriptions.Item label={t('detail.submittedAt')}>{fmtTime(app.submittedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('detail.acceptedAt')}>{fmtTime(app.acceptedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('detail.dueDate')}>
            {app.dueDate || NO_DUE.includes(app.status) ? (
              <DueDate app={app} />
            ) : (
              <Typography.Text type="secondary">{t('detail.notStarted')}</Typography.Text>
            )}
          </Descriptions.Item>
          {(app.committedLimitDays != null || app.committedLimitUnit === 'same_day') && (
            <Descriptions.Item label={t('detail.committedLimit')}>
              <span data-testid="detail-committed-limit">{fmtLimit(app.committedLimitDays, app.committedLimitUnit)}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
        <div style={{ marginTop: 8 }}>
          <ProgressSteps app={app} />
        </div>
      </Card>

      {(app.pendingMaterials ?? []).length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="pending-materials"
          title={t('detail.pendingTitle')}
          description={(app.pendingMaterials ?? []).map((m) => t('detail.pendingItem', { name: m.name, date: m.dueDate })).join('；')}
        />
      )}

      {allowed.length > 0 && (
        <Card title={t('detail.actions')} className="ow-card" data-testid="actions-card">
          <Space wrap size="middle" className="ow-actions">
            {allowed.map((a) => (
              <Button
                key={a}
                size="large"
                type={PRIMARY.includes(a) ? 'primary' : 'default'}
                danger={DANGER.includes(a)}
                data-testid={`action-${a}`}
                onClick={() => setAction(a)}
              >
                {actionLabel(a)}
              </Button>
            ))}
          </Space>
        </Card>
      )}

      {app.decision && (
        <Card
          title={
            <Space>
              <SafetyCertificateOutlined aria-hidden style={{ color: '#c62828' }} />
              {t('detail.decision')}
            </Space>
          }
          className="ow-card"
          data-testid="decision-card"
        >
          <Descriptions bordered column={1} size="middle" styles={{ label: { whiteSpace: 'nowrap', width: 140 } }}>
            <Descriptions.Item label={t('detail.outcome')}>
              <StatusTag status={app.decision.outcome} testId="decision-outcome" />
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.decidedAt')}>{fmtTime(app.decision.decidedAt)}</Descriptions.Item>
            {app.decision.sealName && (
              <Descriptions.Item label={t('detail.seal')}>
                <span data-testid="decision-seal">{app.decision.sealName}</span>
              </Descriptions.Item>
            )}
            {app.decision.digestSm3 && (
              <Descriptions.Item label={t('detail.digest')}>
                <span className="ow-mono" data-testid="decision-digest">{app.decision.digestSm3}</span>
              </Descriptions.Item>
            )}
            {app.decision.signatureSm2 && (
              <Descriptions.Item label={t('detail.signature')}>
                <Typography.Paragraph className="ow-mono" copyable ellipsis={{ rows: 2, expandable: true }} style={{ margin: 0 }}>
                  {app.decision.signatureSm2}
                </Typography.Paragraph>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
      )}

      {showEvaluation && <EvaluationCard app={app} />}
      {!showEvaluation && app.evaluation && <EvaluationCard app={app} />}

      <Row gutter={20}>
        <Col xs={24} lg={12}>
          <Card title={t('detail.form')} className="ow-card">
            {formEntries.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <Descriptions column={1} bordered size="small">
                {formEntries.map(([k, v]) => (
                  <Descriptions.Item key={k} label={formLabel(k, t)}>
                    <span className="ow-pre">{typeof v === 'string' ? v : JSON.stringify(v)}</span>
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
          </Card>
          <Card title={t('detail.materials')} className="ow-card">
            <Table<SubmittedMaterial>
              rowKey={(m, i) => `${m.materialId}-${i}`}
              size="small"
              pagination={false}
              dataSource={app.materials ?? []}
              locale={{ emptyText: t('detail.noMaterials') }}
              columns={[
                { title: t('item.materialName'), dataIndex: 'name', key: 'name' },
                { title: t('apply.fileName'), dataIndex: 'fileName', key: 'fileName' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('detail.events')} className="ow-card" data-testid="events">
            {(app.events ?? []).length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noEvents')} />
            ) : (
              <Timeline
                items={[...app.events]
                  .sort((a, b) => a.seq - b.seq)
                  .map((e) => ({
                    key: e.seq,
                    color: ['reject', 'deny', 'withdraw'].includes(e.action)
                      ? 'red'
                      : e.action === 'request_supplement'
                        ? 'orange'
                        : e.toStatus === 'granted' || e.toStatus === 'delivered'
                          ? 'green'
                          : 'blue',
                    content: (
                      <div data-testid="event" data-action={e.action}>
                        <Typography.Text strong>{actionLabel(e.action)}</Typography.Text>
                        {' → '}
                        {statusName(e.toStatus)}
                        <div>
                          <Typography.Text type="secondary">
                            {fmtTime(e.createdAt)} · {e.actor?.displayName ?? '—'}
                            {e.actor?.role ? t('detail.actorRole', { role: roleName(e.actor.role) }) : ''}
                          </Typography.Text>
                        </div>
                        {e.comment && (
                          <div className="ow-pre" style={{ marginTop: 4, background: '#f6f8fb', padding: '6px 10px', borderRadius: 6 }}>
                            {t('detail.commentText', { comment: e.comment })}
                          </div>
                        )}
                      </div>
                    ),
                  }))}
              />
            )}
          </Card>
        </Col>
      </Row>

      <ActionModal app={app} action={action} onClose={() => setAction(null)} />
    </>
  );
}
