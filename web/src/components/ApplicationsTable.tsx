import { useState } from 'react';
import { Button, Table, Typography } from 'antd';
import type { TableProps } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { ApplicationStatus, ApplicationSummary, Page, Role, User } from '../types';
import { useMe } from '../auth';
import { StatusTag } from './StatusTag';
import { QueryError } from './QueryState';
import { fmtDate, fmtTime, todayInShanghai } from '../format';

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

/** Whether `user`'s roles let them act on an application in `status` (shows 办理 rather than 查看). */
export function canActOn(user: User | null | undefined, status: ApplicationStatus): boolean {
  return !!user && user.roles.some((r) => ACTS_ON[r]?.includes(status));
}

/** Applications the caller may see, filtered by status (the API takes a comma-separated list). */
export function useApplications(statuses: readonly ApplicationStatus[], page: number) {
  return useQuery({
    queryKey: ['applications', { statuses, page }],
    queryFn: () =>
      api<Page<ApplicationSummary>>('/applications', {
        query: { status: statuses.length ? statuses.join(',') : undefined, page, pageSize: PAGE_SIZE },
      }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

export function DueDate({ app }: { app: Pick<ApplicationSummary, 'dueDate' | 'status' | 'supplementNoticeDeadline'> }) {
  const { t } = useTranslation();
  // Waiting for acceptance: the art. 32 limit for the one-time supplement notice applies.
  if (app.status === 'submitted' && app.supplementNoticeDeadline) {
    return (
      <Typography.Text type="warning" data-testid="notice-deadline" title={t('appCols.noticeDeadlineHint')}>
        {String(t('appCols.noticeDeadline', { date: fmtDate(app.supplementNoticeDeadline) }))}
      </Typography.Text>
    );
  }
  if (!app.dueDate || NO_DUE.includes(app.status)) return <span>—</span>;
  const overdue = OPEN.includes(app.status) && app.dueDate != null && app.dueDate < todayInShanghai();
  return (
    <Typography.Text type={overdue ? 'danger' : undefined} strong={overdue} data-testid="due-date">
      {fmtDate(app.dueDate)}
    </Typography.Text>
  );
}

export function ApplicationsTable({
  statuses = [],
  staff = false,
  emptyText,
}: {
  statuses?: readonly ApplicationStatus[];
  staff?: boolean;
  emptyText?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const q = useApplications(statuses, page);
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
    { title: t('appCols.item'), dataIndex: 'itemName', key: 'item' },
    ...(staff ? [{ title: t('appCols.applicant'), dataIndex: 'applicantName', key: 'applicant' }] : []),
    { title: t('appCols.status'), key: 'status', render: (_, a) => <StatusTag status={a.status} /> },
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
        const act = staff && canActOn(user, a.status);
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
        scroll={{ x: 720 }}
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
