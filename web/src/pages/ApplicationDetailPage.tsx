import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Rate,
  Result,
  Row,
  Space,
  Steps,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
  App as AntApp,
} from 'antd';
import type { StepsProps } from 'antd';
import {
  ArrowLeftOutlined,
  AuditOutlined,
  CarOutlined,
  PauseCircleOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, isApiError } from '../api';
import type { Action, Application, ApplicationStatus, Evaluation, SubmittedMaterial } from '../types';
import { ACTIONS, DELIVERY_METHODS, ROLES, type DeliveryMethod } from '../types';
import { StatusTag, useStatusName } from '../components/StatusTag';
import { DueDate, NO_DUE } from '../components/ApplicationsTable';
import { QueryError } from '../components/QueryState';
import { ActionModal, DANGER_ACTIONS, PRIMARY_ACTIONS, useActionLabel } from '../components/ActionModal';
import { CaseLocation } from '../components/CaseLocation';
import { ClockCard } from '../components/ClockCard';
import { CommitmentChecksCard } from '../components/CommitmentChecksCard';
import { DocumentsCard } from '../components/DocumentsCard';
import { ApplicationLicensesCard, IssuedLicensesCard } from '../components/ApplicationLicensesCard';
import { ApplicantPersonalData } from '../components/ApplicantPersonalData';
import { ReviewProgress } from '../components/ReviewProgress';
import { fmtDate, fmtLimit, fmtTime, todayInShanghai } from '../format';
import { hasRole, isApplicant, PageSpin, useMe } from '../auth';
import { useDepartmentName } from '../departments';

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
  else if (app.status === 'revoked') {
    current = 3;
    state = 'error';
  }
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

/** A form field's label: the web form's own fields by name, others as sent. */
function useFormLabel() {
  const { t } = useTranslation();
  const known: Record<string, string> = {
    subject: t('detail.formFields.subject'),
    phone: t('detail.formFields.phone'),
    address: t('detail.formFields.address'),
  };
  return (key: string) => known[key] ?? key;
}

/** The pickup code, big, for the applicant: shown at the window to collect the result (art. 44). */
function PickupCodeCard({ app }: { app: Application }) {
  const { t } = useTranslation();
  if (!app.pickupCode || app.delivery || !['granted', 'denied'].includes(app.status)) return null;
  if (app.deliveryMethod && app.deliveryMethod !== 'window') return null;
  return (
    <Card className="ow-card ow-pickup-card" data-testid="pickup-card">
      <Space align="center" size="large" wrap>
        <ShopOutlined aria-hidden style={{ fontSize: 40, color: '#1d4fa3' }} />
        <div>
          <div className="ow-pickup-label">{t('delivery.pickupCode')}</div>
          <div className="ow-pickup-code ow-mono" data-testid="pickup-code" aria-label={t('delivery.pickupCodeAria', { code: app.pickupCode.split('').join(' ') })}>
            {app.pickupCode}
          </div>
        </div>
        <div style={{ maxWidth: 520 }}>
          <Typography.Paragraph style={{ margin: 0, fontSize: 16 }}>{t('delivery.pickupHint')}</Typography.Paragraph>
          {app.deliveryDeadline && (
            <Typography.Text type="secondary">{t('delivery.pickupDeadline', { date: fmtDate(app.deliveryDeadline) })}</Typography.Text>
          )}
        </div>
      </Space>
    </Card>
  );
}

/** How and by when the result is delivered (统一窗口出件, art. 44), and how it was. */
function DeliveryCard({ app, applicant }: { app: Application; applicant: boolean }) {
  const { t } = useTranslation();
  const decided = !!app.decision || ['granted', 'denied', 'delivered', 'revoked'].includes(app.status);
  const method = (DELIVERY_METHODS as readonly string[]).includes(app.deliveryMethod ?? '') ? (app.deliveryMethod as DeliveryMethod) : 'window';
  const late = !app.delivery && !!app.deliveryDeadline && app.deliveryDeadline < todayInShanghai();
  return (
    <Card
      title={
        <Space>
          <CarOutlined aria-hidden />
          {t('delivery.title')}
        </Space>
      }
      className="ow-card"
      data-testid="delivery-card"
    >
      <Descriptions column={1} size="small" styles={{ label: { whiteSpace: 'nowrap', width: 120 } }}>
        <Descriptions.Item label={t('delivery.method')}>
          <span data-testid="delivery-method">{t(`delivery.methods.${method}`)}</span>
        </Descriptions.Item>
        {decided && (
          <Descriptions.Item label={t('delivery.deadline')}>
            <Tooltip title={t('delivery.deadlineHint')}>
              <Typography.Text type={late ? 'danger' : undefined} strong={late} data-testid="delivery-deadline">
                {fmtDate(app.deliveryDeadline)}
              </Typography.Text>
            </Tooltip>
          </Descriptions.Item>
        )}
        {app.delivery && (
          <>
            <Descriptions.Item label={t('delivery.deliveredAt')}>
              <span data-testid="delivered-at">{fmtTime(app.delivery.deliveredAt)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('delivery.deliveredBy')}>
              {t(`delivery.methods.${app.delivery.method}`)}
              {app.delivery.trackingNumber && (
                <>
                  {' · '}
                  {t('delivery.trackingNumber')}
                  {t('common.colon')}
                  <span className="ow-mono" data-testid="tracking-number">
                    {app.delivery.trackingNumber}
                  </span>
                </>
              )}
            </Descriptions.Item>
          </>
        )}
      </Descriptions>
      {!decided && (
        <Typography.Text type="secondary" style={{ fontSize: 14 }}>
          {t('delivery.afterDecision')}
        </Typography.Text>
      )}
      {decided && !app.delivery && applicant && method === 'online' && (
        <Alert type="info" showIcon title={t('delivery.onlineHint')} />
      )}
      {decided && !app.delivery && applicant && method === 'mail' && <Alert type="info" showIcon title={t('delivery.mailHint')} />}
    </Card>
  );
}

export default function ApplicationDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const actionLabel = useActionLabel();
  const statusName = useStatusName();
  const departmentName = useDepartmentName();
  const formLabel = useFormLabel();
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
  // the applicant, or the agent who applied for them (the server shows the pickup code to them only)
  const mine = !!user && !hasRole(user, ['clerk', 'reviewer', 'signatory', 'admin']);
  const showEvaluation = isApplicant(user) && app.status === 'delivered';
  // the back office sees opinions with names and reasons (the server strips them for others)
  const backOffice = hasRole(user, ['reviewer', 'signatory']);
  const ORDER = ['subject', 'phone', 'address'];
  const rank = (k: string) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  const formEntries = Object.entries(app.form ?? {})
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .sort(([a], [b]) => rank(a) - rank(b));
  const accepted = !!app.acceptedAt;
  const exempted = app.exemptedMaterials ?? [];
  const authority = app.decision?.authority;
  // 免证办: licences stand for materials; the staff handling the case and the applicant see them verified
  const usesLicenses = (app.materials ?? []).some((m) => !!m.licenseId);
  const showLicenses = usesLicenses && (hasRole(user, ['clerk', 'reviewer', 'signatory']) || isApplicant(user));
  // staff handling the case see ID numbers and phones masked; they may ask for them whole (logged)
  const staffHandling = hasRole(user, ['clerk', 'reviewer', 'signatory']) && app.form !== null;

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
            <Space wrap size={[8, 4]}>
              <Typography.Text className="ow-mono" style={{ fontSize: 15 }} data-testid="application-number">
                {app.number}
              </Typography.Text>
              {app.channel === 'window' && (
                <Tag color="blue" icon={<ShopOutlined aria-hidden />} data-testid="channel-window">
                  {t('detail.channelWindow')}
                </Tag>
              )}
              {app.agent && (
                <Tag color="cyan" icon={<TeamOutlined aria-hidden />} data-testid="agent-tag">
                  {t('detail.agentTag')}
                </Tag>
              )}
              {app.commitment && (
                <Tag color="magenta" icon={<AuditOutlined aria-hidden />} data-testid="commitment-tag">
                  {t('detail.commitmentTag')}
                </Tag>
              )}
              {usesLicenses && (
                <Tag color="green" icon={<SafetyCertificateOutlined aria-hidden />} data-testid="license-free-tag">
                  {t('badge.licenseFree')}
                </Tag>
              )}
              {app.clockPaused && (
                <Tag icon={<PauseCircleOutlined aria-hidden />} data-testid="clock-paused">
                  {t('appCols.clockPaused')}
                </Tag>
              )}
            </Space>
          </div>
          <span className="ow-status-lg">
            <StatusTag status={app.status} />
          </span>
        </Space>
        <Descriptions column={{ xs: 1, sm: 2, md: 3 }} style={{ marginTop: 16 }}>
          <Descriptions.Item label={t('detail.applicant')}>
            <span data-testid="detail-applicant">{app.applicantName}</span>
            {app.applicantKind && (
              <Typography.Text type="secondary">（{app.applicantKind === 'person' ? t('intake.person') : t('intake.enterprise')}）</Typography.Text>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.submittedAt')}>{fmtTime(app.submittedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('detail.acceptedAt')}>{fmtTime(app.acceptedAt)}</Descriptions.Item>
          {app.status === 'submitted' && app.supplementNoticeDeadline && (
            <Descriptions.Item label={t('detail.noticeDeadline')}>
              <DueDate app={app} />
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('detail.dueDate')}>
            {app.dueDate || NO_DUE.includes(app.status) || app.clockPaused ? (
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
          <Descriptions.Item label={t('detail.location')}>
            <CaseLocation location={app.location} />
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.channel')}>
            {app.channel === 'window' ? t('detail.channelWindow') : t('detail.channelOnline')}
          </Descriptions.Item>
          {app.agent && (
            <Descriptions.Item label={t('detail.agent')}>
              <span data-testid="detail-agent">{app.agent.displayName ?? '—'}</span>
            </Descriptions.Item>
          )}
          {app.commitment && (
            <Descriptions.Item label={t('detail.commitment')}>
              <Tooltip title={<span className="ow-mono">SM3 {app.commitment.textSm3}</span>}>
                <span data-testid="detail-commitment">{t('detail.commitmentSigned', { time: fmtTime(app.commitment.signedAt) })}</span>
              </Tooltip>
            </Descriptions.Item>
          )}
        </Descriptions>
        <div style={{ marginTop: 8 }}>
          <ProgressSteps app={app} />
        </div>
      </Card>

      {mine && <PickupCodeCard app={app} />}

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
                type={PRIMARY_ACTIONS.includes(a) ? 'primary' : 'default'}
                danger={DANGER_ACTIONS.includes(a)}
                data-testid={`action-${a}`}
                onClick={() => setAction(a)}
              >
                {actionLabel(a)}
              </Button>
            ))}
          </Space>
        </Card>
      )}

      {showLicenses && <ApplicationLicensesCard applicationId={app.id} holder={!hasRole(user, ['clerk', 'reviewer', 'signatory'])} />}

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
              {app.status === 'revoked' && <StatusTag status="revoked" testId="decision-revoked" />}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.decidedAt')}>{fmtTime(app.decision.decidedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('detail.decidedBy')}>
              {departmentName(app.decision.departmentCode)}
              {authority && authority.kind !== 'department' && (
                <Tag color={authority.kind === 'chief_representative' ? 'gold' : 'magenta'} style={{ marginInlineStart: 8 }} data-testid="decision-authority" className="ow-tag-wrap">
                  {t(`detail.authority.${authority.kind}`)}
                </Tag>
              )}
            </Descriptions.Item>
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

      {accepted && ((app.reviewSteps ?? []).length > 0 || !app.commitment) && <ReviewProgress app={app} backOffice={backOffice} />}

      <Row gutter={20}>
        <Col xs={24} lg={12}>
          <ClockCard app={app} />
          <DeliveryCard app={app} applicant={mine} />
        </Col>
        <Col xs={24} lg={12}>
          <DocumentsCard documents={app.documents ?? []} />
          <IssuedLicensesCard licenses={app.licenses ?? []} />
        </Col>
      </Row>

      {app.commitmentChecks && app.commitmentChecks.length > 0 && <CommitmentChecksCard applicationId={app.id} checks={app.commitmentChecks} />}

      <Row gutter={20}>
        <Col xs={24} lg={12}>
          <Card
            title={t('detail.form')}
            className="ow-card"
            extra={staffHandling && <ApplicantPersonalData applicationId={app.id} front={hasRole(user, ['clerk'])} />}
          >
            {formEntries.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <Descriptions column={1} bordered size="small">
                {formEntries.map(([k, v]) => (
                  <Descriptions.Item key={k} label={formLabel(k)}>
                    <span className="ow-pre">{typeof v === 'string' ? v : JSON.stringify(v)}</span>
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
          </Card>
          <Card title={t('detail.materials')} className="ow-card">
            <Table<SubmittedMaterial>
              rowKey={(m) => `${m.materialId}-${m.name}`}
              size="small"
              pagination={false}
              dataSource={app.materials ?? []}
              locale={{ emptyText: t('detail.noMaterials') }}
              columns={[
                { title: t('item.materialName'), dataIndex: 'name', key: 'name' },
                {
                  title: t('apply.fileName'),
                  dataIndex: 'fileName',
                  key: 'fileName',
                  render: (_, m) =>
                    m.licenseId ? (
                      <div data-testid="material-by-license">
                        <Tag color="green" icon={<SafetyCertificateOutlined aria-hidden />}>
                          {t('licenses.detail.materialTag')}
                        </Tag>
                        {m.licenseIdentifier && <div className="ow-mono" style={{ fontSize: 12, marginTop: 2 }}>{m.licenseIdentifier}</div>}
                      </div>
                    ) : (
                      m.fileName || '—'
                    ),
                },
              ]}
            />
            {exempted.length > 0 && (
              <div data-testid="exempted-materials" style={{ marginTop: 16 }}>
                <Typography.Text strong>{t('detail.exempted')}</Typography.Text>
                <ul className="ow-plain-list">
                  {exempted.map((m) => (
                    <li key={m.materialId}>
                      <Tag color="green">{t('detail.exemptedTag')}</Tag>
                      {m.name}
                      <div className="ow-source">{t('detail.exemptedBasis', { basis: m.basis })}</div>
                    </li>
                  ))}
                </ul>
              </div>
            )}
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
                    color: ['reject', 'deny', 'withdraw', 'revoke', 'lapse'].includes(e.action)
                      ? 'red'
                      : ['request_supplement', 'pause_clock', 'extend'].includes(e.action)
                        ? 'orange'
                        : e.toStatus === 'granted' || e.toStatus === 'delivered'
                          ? 'green'
                          : 'blue',
                    content: (
                      <div data-testid="event" data-action={e.action}>
                        <Typography.Text strong>{actionLabel(e.action)}</Typography.Text>
                        {e.fromStatus !== e.toStatus && (
                          <>
                            {' → '}
                            {statusName(e.toStatus)}
                          </>
                        )}
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
