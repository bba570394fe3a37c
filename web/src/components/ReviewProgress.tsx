import './case.css';
import type { ReactNode } from 'react';
import { Card, Empty, Space, Steps, Table, Tag, Tooltip, Typography } from 'antd';
import type { StepsProps } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined, CloseCircleFilled, MessageOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useDepartmentName } from '../departments';
import { fmtTime } from '../format';
import type { Application, ReviewOpinion, ReviewStep } from '../types';

/** Statuses after the back-office review: every step is complete. */
const AFTER_REVIEW = ['reviewed', 'granted', 'denied', 'delivered', 'revoked'];

/**
 * The opinions of step `i` to show: the current round's for the step under way; none for a step
 * still ahead (after a joint review sent the case back, its earlier round is history, listed
 * below); else the latest round that has any.
 */
function opinionsOf(app: Application, i: number): ReviewOpinion[] {
  const all = (app.opinions ?? []).filter((o) => o.step === i);
  if (!all.length || (app.status === 'accepted' && i > (app.currentStep ?? 0))) return [];
  const round = i === app.currentStep && app.status === 'accepted' ? (app.reviewRound ?? 1) : Math.max(...all.map((o) => o.round));
  return all.filter((o) => o.round === round);
}

function OpinionMark({ o, backOffice }: { o: ReviewOpinion | undefined; backOffice: boolean }) {
  const { t } = useTranslation();
  if (!o)
    return (
      <Tag icon={<ClockCircleOutlined aria-hidden />} data-testid="opinion-state" data-state="waiting">
        {t('review.waiting')}
      </Tag>
    );
  if (!backOffice)
    return (
      <Tag color="blue" icon={<CheckCircleFilled aria-hidden />} data-testid="opinion-state" data-state="answered">
        {t('review.answered')}
      </Tag>
    );
  return o.opinion === 'approve' ? (
    <Tag color="green" icon={<CheckCircleFilled aria-hidden />} data-testid="opinion-state" data-state="approve">
      {t('review.approve')}
    </Tag>
  ) : (
    <Tag color="red" icon={<CloseCircleFilled aria-hidden />} data-testid="opinion-state" data-state="reject">
      {t('review.reject')}
    </Tag>
  );
}

/**
 * The back-office review (后台分类审批) as steps: each step's department, the joint review's
 * departments (联审联批) with who has answered in the current round, and the round. The back
 * office (`backOffice`) sees each opinion with the reviewer's name and reasons; the front desk
 * and the applicant see only the progress.
 */
export function ReviewProgress({ app, backOffice }: { app: Application; backOffice: boolean }) {
  const { t } = useTranslation();
  const departmentName = useDepartmentName();
  const steps: ReviewStep[] = app.reviewSteps ?? [];
  const current = app.currentStep ?? 0;
  const round = app.reviewRound ?? 1;
  const opinions = app.opinions ?? [];

  if (!steps.length) {
    return (
      <Card title={t('review.title')} className="ow-card" data-testid="review-progress">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={app.commitment ? t('review.noStepsCommitment') : t('review.noSteps')} />
      </Card>
    );
  }

  const done = AFTER_REVIEW.includes(app.status);
  const stepState = (i: number): NonNullable<StepsProps['items']>[number]['status'] =>
    done || i < current ? 'finish' : i === current && app.status === 'accepted' ? 'process' : 'wait';

  const items = steps.map((s, i) => {
    const shown = opinionsOf(app, i);
    let body: ReactNode;
    if (s.joint?.length) {
      const answered = s.joint.filter((d) => shown.some((o) => o.departmentCode === d)).length;
      body = (
        <div data-testid={`review-step-${i}`}>
          <Typography.Text type="secondary" data-testid="joint-progress">
            {t('review.progress', { done: answered, total: s.joint.length })}
          </Typography.Text>
          <ul className="ow-joint-list">
            {s.joint.map((d) => {
              const o = shown.find((x) => x.departmentCode === d);
              return (
                <li key={d} data-testid="joint-department" data-department={d}>
                  <span className="ow-joint-dept">{departmentName(d)}</span> <OpinionMark o={o} backOffice={backOffice} />
                  {backOffice && o && (o.reviewerName || o.comment) && (
                    <div className="ow-opinion-note">
                      {o.reviewerName}
                      {o.comment ? `：${o.comment}` : ''}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      );
    } else {
      const o = shown.at(-1);
      body = (
        <div data-testid={`review-step-${i}`}>
          <div>{departmentName(s.department)}</div>
          {o && <OpinionMark o={o} backOffice={backOffice} />}
          {backOffice && o && (o.reviewerName || o.comment) && (
            <div className="ow-opinion-note">
              {o.reviewerName}
              {o.comment ? `：${o.comment}` : ''}
            </div>
          )}
        </div>
      );
    }
    return {
      key: i,
      status: stepState(i),
      title: (
        <Space size={4}>
          <span>{s.name}</span>
          {s.joint?.length ? <Tag color="purple">{t('location.joint')}</Tag> : null}
        </Space>
      ),
      content: body,
    };
  });

  const history = [...opinions].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return (
    <Card
      title={t('review.title')}
      className="ow-card"
      data-testid="review-progress"
      extra={
        round > 1 ? (
          <Tooltip title={t('review.roundHint')}>
            <Tag color="orange" data-testid="review-round">
              {t('location.round', { round })}
            </Tag>
          </Tooltip>
        ) : undefined
      }
    >
      <Steps current={Math.min(current, steps.length - 1)} items={items} orientation={steps.length > 3 ? 'vertical' : 'horizontal'} responsive size="small" data-testid="review-steps" />
      {backOffice && history.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            <MessageOutlined aria-hidden /> {t('review.history')}
          </Typography.Title>
          <Table<ReviewOpinion>
            size="small"
            pagination={false}
            rowKey={(o) => `${o.step}-${o.round}-${o.departmentCode}-${o.createdAt}`}
            dataSource={history}
            scroll={{ x: 640 }}
            data-testid="opinion-history"
            columns={[
              { title: t('review.step'), key: 'step', render: (_, o) => steps[o.step]?.name ?? o.step + 1 },
              { title: t('review.roundCol'), dataIndex: 'round', key: 'round', width: 70 },
              { title: t('review.department'), key: 'dept', render: (_, o) => departmentName(o.departmentCode) },
              { title: t('review.reviewer'), dataIndex: 'reviewerName', key: 'reviewer' },
              { title: t('review.opinion'), key: 'opinion', render: (_, o) => <OpinionMark o={o} backOffice /> },
              { title: t('review.reasons'), dataIndex: 'comment', key: 'comment', render: (c: string) => <span className="ow-pre">{c || '—'}</span> },
              { title: t('review.time'), key: 'time', render: (_, o) => fmtTime(o.createdAt) },
            ]}
          />
        </>
      )}
    </Card>
  );
}
