import './case.css';
import { Alert, Card, Descriptions, Progress, Table, Tag, Typography } from 'antd';
import { PauseCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { fmtDate, fmtLimit } from '../format';
import { CLOCK_STATES, PAUSE_KINDS, type Application, type ClockPause, type ClockState, type PauseKind } from '../types';

const STATE_COLORS: Record<ClockState, string> = { running: 'green', warning: 'orange', overdue: 'red', paused: 'default' };

export function usePauseKindName() {
  const { t } = useTranslation();
  return (k: string) => ((PAUSE_KINDS as readonly string[]).includes(k) ? t(`pauseKind.${k as PauseKind}`) : k);
}

export function ClockStateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  if (!(CLOCK_STATES as readonly string[]).includes(state)) return null;
  const s = state as ClockState;
  return (
    <Tag color={STATE_COLORS[s]} className="ow-tag-wrap" icon={s === 'paused' ? <PauseCircleOutlined aria-hidden /> : undefined} data-testid="clock-state" data-state={s}>
      {t(`clock.state.${s}`)}
    </Tag>
  );
}

/**
 * The statutory clock of an accepted case, as the applicant sees it too: state, days used and
 * left, the due date, special procedures that stopped it (art. 45) and an extension (art. 42).
 */
export function ClockCard({ app }: { app: Application }) {
  const { t } = useTranslation();
  const pauseKind = usePauseKindName();
  const clock = app.clock;
  const pauses = app.pauses ?? [];
  const extension = app.extensionDays ?? 0;
  if (!clock && !pauses.length && !extension) return null;
  const unit = app.committedLimitUnit === 'natural_day' ? t('clock.unitNatural') : t('clock.unitWorking');
  const total = (app.committedLimitDays ?? 0) + extension;
  const percent = clock && total > 0 ? Math.min(100, Math.round((clock.used / total) * 100)) : 0;
  return (
    <Card title={t('clock.title')} className="ow-card" data-testid="clock-card" extra={clock ? <ClockStateTag state={clock.state} /> : undefined}>
      {clock && (
        <>
          <Descriptions column={1} size="small" styles={{ label: { whiteSpace: 'nowrap', width: 110 } }}>
            <Descriptions.Item label={t('clock.limit')}>
              {fmtLimit(app.committedLimitDays, app.committedLimitUnit)}
              {extension > 0 && <Typography.Text type="secondary">{t('clock.plusExtension', { days: extension })}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label={t('clock.due')}>
              {clock.dueDate ? (
                <Typography.Text strong type={clock.state === 'overdue' ? 'danger' : undefined} data-testid="clock-due">
                  {fmtDate(clock.dueDate)}
                  {clock.provisional && <Typography.Text type="secondary">{t('clock.provisional')}</Typography.Text>}
                </Typography.Text>
              ) : (
                <Typography.Text type="secondary">{t('clock.dueWhenResumed')}</Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('clock.usage')}>
              <span data-testid="clock-usage">
                {clock.remaining === null
                  ? t('clock.usedPaused', { used: clock.used, unit })
                  : t('clock.usedRemaining', { used: clock.used, remaining: clock.remaining, unit })}
              </span>
            </Descriptions.Item>
          </Descriptions>
          {total > 0 && (
            <Progress
              percent={percent}
              showInfo={false}
              status={clock.state === 'overdue' ? 'exception' : clock.state === 'paused' ? 'normal' : 'active'}
              strokeColor={clock.state === 'warning' ? '#d46b08' : clock.state === 'paused' ? '#8c8c8c' : undefined}
              aria-label={t('clock.usage')}
            />
          )}
        </>
      )}
      {extension > 0 && (
        <Alert type="info" showIcon style={{ marginTop: 12 }} data-testid="clock-extension" title={t('clock.extended', { days: extension })} />
      )}
      {pauses.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('clock.pauses')}
          </Typography.Title>
          <Table<ClockPause>
            size="small"
            pagination={false}
            rowKey={(p) => `${p.kind}-${p.from}`}
            dataSource={pauses}
            data-testid="clock-pauses"
            scroll={{ x: 520 }}
            columns={[
              { title: t('clock.procedure'), key: 'kind', render: (_, p) => pauseKind(p.kind) },
              { title: t('clock.from'), dataIndex: 'from', key: 'from' },
              {
                title: t('clock.to'),
                key: 'to',
                render: (_, p) => (p.to ? p.to : <Tag color="orange">{t('clock.ongoing')}</Tag>),
              },
              { title: t('clock.reason'), dataIndex: 'reason', key: 'reason', render: (r: string) => <span className="ow-pre">{r || '—'}</span> },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 14 }}>
            {t('clock.pausesHint')}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
