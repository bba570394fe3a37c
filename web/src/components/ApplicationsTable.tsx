import { useState } from 'react';
import { Button, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { PauseCircleOutlined } from '@ant-design/icons';
import type { TableProps } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { ApplicationStatus, ApplicationSummary, Page, Role, User } from '../types';
import { useMe } from '../auth';
import { StatusTag } from './StatusTag';
import { QueryError } from './QueryState';
import { CaseLocation } from './CaseLocation';
import { fmtDate, fmtTime, todayInShanghai } from '../format';
import { applicationFiltersKey, type ApplicationFilters } from '../pages/statsLogic';

const PAGE_SIZE = 20;
const OPEN: readonly string[] = ['submitted', 'supplement_requested', 'accepted', 'reviewed'];
/** Statuses with no running time limit: nothing is due. */
export const NO_DUE: readonly string[] = ['rejected', 'withdrawn'];

/** The statuses in which a staff role acts on an application (admin only oversees, never acts). */
const ACTS_ON: Partial<Record<Role, readonly ApplicationStatus[]>> = {
  clerk: ['submitted', 'granted', 'denied'],
  reviewer: ['accepted'],
  signatory: ['reviewed'],
};

/** Which list: every application the caller may see, or only those waiting for their action (`queue=mine`). */
export type ApplicationsQueue = 'all' | 'mine';

/** Whether `user`'s roles let them act on an application in `status` (shows 办理 rather than 查看). */
export function canActOn(user: User | null | undefined, status: ApplicationStatus): boolean {
  return !!user && user.roles.some((r) => ACTS_ON[r]?.includes(status));
}

/**
 * Applications the caller may see, filtered by status (the API takes a comma-separated list) and
 * by `filters` (the statistics' drill-down: submission period, department, town, channel,
 * overdue / warning); a `statuses` list wins over `filters.status`.
 */
export function useApplications(statuses: readonly ApplicationStatus[], page: number, queue: ApplicationsQueue = 'all', filters: ApplicationFilters = {}) {
  const filterKey = applicationFiltersKey(filters);
  return useQuery({
    queryKey: ['applications', { statuses, page, queue, ...(filterKey ? { filters: filterKey } : {}) }],
    queryFn: () =>
      api<Page<ApplicationSummary>>('/applications', {
        query: {
          ...filters,
          status: statuses.length ? statuses.join(',') : filters.status,
          queue: queue === 'mine' ? 'mine' : undefined,
          page,
          pageSize: PAGE_SIZE,
        },
      }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

export function DueDate({
  app,
}: {
  app: Pick<ApplicationSummary, 'dueDate' | 'status' | 'supplementNoticeDeadline'> & Partial<Pick<ApplicationSummary, 'clockPaused' | 'dueDateProvisional'>>;
}) {
  const { t } = useTranslation();
  // Waiting for acceptance: the art. 32 limit for the one-time supplement notice applies; on its
  // last day (or past it, before the platform's sweep records the deemed acceptance) it is red.
  if (app.status === 'submitted' && app.supplementNoticeDeadline) {
    const today = todayInShanghai();
    const deadline = app.supplementNoticeDeadline;
    const urgent = deadline <= today;
    return (
      <Tooltip title={t('appCols.noticeDeadlineHint')}>
        <Typography.Text type={urgent ? 'danger' : 'warning'} strong={urgent} data-testid="notice-deadline" data-last-day={deadline === today ? 'true' : 'false'}>
          {deadline === today
            ? t('appCols.noticeDeadlineToday')
            : deadline < today
              ? t('appCols.noticeDeadlinePassed', { date: fmtDate(deadline) })
              : t('appCols.noticeDeadline', { date: fmtDate(deadline) })}
        </Typography.Text>
      </Tooltip>
    );
  }
  if (app.clockPaused && OPEN.includes(app.status)) {
    return (
      <Tooltip title={t('appCols.clockPausedHint')}>
        <Tag icon={<PauseCircleOutlined aria-hidden />} data-testid="clock-paused">
          {t('appCols.clockPaused')}
        </Tag>
      </Tooltip>
    );
  }
  if (!app.dueDate || NO_DUE.includes(app.status)) return <span>—</span>;
  const overdue = OPEN.includes(app.status) && app.dueDate != null && app.dueDate < todayInShanghai();
  return (
    <Space size={4} wrap>
      <Typography.Text type={overdue ? 'danger' : undefined} strong={overdue} data-testid="due-date">
        {fmtDate(app.dueDate)}
      </Typography.Text>
      {app.dueDateProvisional && OPEN.includes(app.status) && (
        <Tooltip title={t('clock.provisionalHint')}>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t('appCols.provisional')}
          </Typography.Text>
        </Tooltip>
      )}
    </Space>
  );
}

export function ApplicationsTable({
  statuses = [],
  staff = false,
  queue = 'all',
  filters,
  emptyText,
}: {
  statuses?: readonly ApplicationStatus[];
  staff?: boolean;
  /** `mine`: only what waits for the caller's action; every row then shows 办理 */
  queue?: ApplicationsQueue;
  /** more filters of the list (the statistics' drill-down); give the table a `key` of them so it starts on page 1 */
  filters?: ApplicationFilters;
  emptyText?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const q = useApplications(statuses, page, queue, filters);
  const { data: user } = useMe();

  const columns: TableProps<ApplicationSummary>['columns'] = [
    {
      title: t('appCols.number'),
      dataIndex: 'number',
      key: 'number',
      render: (n: string, a) => (
        <Link to={`/applications/${encodeURIComponent(a.id)}`} data-testid="application-link" className="ow-mono" style={{ fontSize: 15 }}>
          {n}
        </Link>
      ),
    },
    {
      title: t('appCols.item'),
      key: 'item',
      render: (_, a) => (
        <>
          {a.itemName}
          {a.channel === 'window' && (
            <Tag color="blue" variant="filled" style={{ marginInlineStart: 6 }} data-testid="channel-window">
              {t('appCols.channelWindow')}
            </Tag>
          )}
        </>
      ),
    },
    ...(staff ? [{ title: t('appCols.applicant'), dataIndex: 'applicantName', key: 'applicant' }] : []),
    { title: t('appCols.status'), key: 'status', render: (_, a) => <StatusTag status={a.status} /> },
    {
      title: t('appCols.location'),
      key: 'location',
      render: (_, a) => <CaseLocation location={a.location} compact />,
      responsive: ['sm'],
    },
    {
      title: t('appCols.submittedAt'),
      key: 'submittedAt',
      render: (_, a) => fmtTime(a.submittedAt),
      responsive: ['md'],
    },
    { title: t('appCols.dueDate'), key: 'dueDate', render: (_, a) => <DueDate app={a} /> },
    {
      title: t('appCols.operations'),
      key: 'op',
      render: (_, a) => {
        const act = queue === 'mine' || (staff && canActOn(user, a.status));
        return (
          <Link to={`/applications/${encodeURIComponent(a.id)}`}>
            <Button type={act ? 'primary' : 'default'} size="middle" data-testid="application-open">
              {act ? t('appCols.handle') : t('appCols.view')}
            </Button>
          </Link>
        );
      },
    },
  ];

  return (
    <>
      {q.isError && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      <Table<ApplicationSummary>
        rowKey="id"
        columns={columns}
        dataSource={q.data?.items ?? []}
        loading={q.isLoading}
        locale={{ emptyText }}
        scroll={{ x: 860 }}
        onRow={(a) =>
          ({
            'data-testid': 'application-row',
            'data-id': a.id,
            'data-number': a.number,
            'data-status': a.status,
          }) as React.HTMLAttributes<HTMLElement>
        }
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: q.data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: setPage,
        }}
      />
    </>
  );
}
