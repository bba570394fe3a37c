/**
 * A key project's timeline: all its applications across departments, and every step of them on
 * one antd Timeline, each linking to the application.
 */
import { Breadcrumb, Card, Descriptions, Empty, Grid, Result, Table, Tag, Timeline, Typography } from 'antd';
import type { TableProps } from 'antd';
import { UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../api';
import { PageSpin } from '../auth';
import { fmtDate, fmtTime } from '../format';
import { useDepartmentName } from '../departments';
import { ACTIONS, ROLES, type Action, type Role } from '../types';
import { StatusTag, useStatusName } from '../components/StatusTag';
import { QueryError } from '../components/QueryState';
import { useTableScroll } from './pageKit';
import { DECIDED_STATUSES, OPEN_STATUSES } from './pageLogic';

/** `GET /projects/{id}` (API v1). */
export interface ProjectTimeline {
  id: string;
  code: string;
  name: string;
  officer: { id: string; displayName: string };
  applications: {
    id: string;
    number: string;
    itemCode: string;
    itemName: string;
    status: string;
    departmentCode: string;
    dueDate: string | null;
    submittedAt: string;
  }[];
  timeline: {
    at: string;
    applicationId?: string;
    applicationNumber: string;
    itemName: string;
    action: string;
    toStatus: string;
    actor: { displayName: string; role: string };
  }[];
}

type ProjectApp = ProjectTimeline['applications'][number];

const GOOD = ['granted', 'delivered'];
const BAD = ['denied', 'rejected', 'revoked', 'withdrawn'];

export default function ProjectDetailPage() {
  const { t } = useTranslation();
  const tableScroll = useTableScroll();
  // wide screens: the time in a column left of the line; phones: above each entry
  const wide = !!Grid.useBreakpoint().md;
  const { id = '' } = useParams();
  const departmentName = useDepartmentName();
  const statusName = useStatusName();
  const q = useQuery({ queryKey: ['project', id], queryFn: () => api<ProjectTimeline>(`/projects/${encodeURIComponent(id)}`) });

  const actionName = (a: string) =>
    (ACTIONS as readonly string[]).includes(a) ? t(`action.${a as Action}`) : a === 'submit' ? t('action.submit') : a;
  const roleName = (r: string) => ((ROLES as readonly string[]).includes(r) ? t(`roles.${r as Role}`) : r);

  if (q.isLoading) return <PageSpin />;
  if (q.isError) {
    if (isApiError(q.error) && q.error.status === 404)
      return (
        <Result status="404" title={q.error.message} extra={<Link to="/projects">{t('pages.projects.back')}</Link>} />
      );
    return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  }
  const p = q.data!;
  const apps = p.applications;
  const byId = new Map(apps.map((a) => [a.id, a]));
  const byNumber = new Map(apps.map((a) => [a.number, a]));
  const decided = apps.filter((a) => DECIDED_STATUSES.includes(a.status)).length;
  const open = apps.filter((a) => OPEN_STATUSES.includes(a.status)).length;

  const columns: TableProps<ProjectApp>['columns'] = [
    {
      title: t('appCols.number'),
      key: 'number',
      render: (_, a) => (
        <Link to={`/applications/${a.id}`} className="ow-mono" data-testid="project-app-link">
          {a.number}
        </Link>
      ),
    },
    { title: t('appCols.item'), dataIndex: 'itemName', key: 'item' },
    { title: t('pages.projects.department'), key: 'dept', responsive: ['md'], render: (_, a) => departmentName(a.departmentCode) },
    { title: t('appCols.status'), key: 'status', render: (_, a) => <StatusTag status={a.status} testId="project-app-status" /> },
    { title: t('appCols.dueDate'), key: 'due', responsive: ['sm'], render: (_, a) => <span className="owp-nowrap">{fmtDate(a.dueDate)}</span> },
    { title: t('appCols.submittedAt'), key: 'submitted', responsive: ['lg'], render: (_, a) => <span className="owp-nowrap">{fmtTime(a.submittedAt)}</span> },
  ];

  const timelineItems = p.timeline.map((e, i) => {
    const app = (e.applicationId && byId.get(e.applicationId)) || byNumber.get(e.applicationNumber);
    const color = GOOD.includes(e.toStatus) ? 'green' : BAD.includes(e.toStatus) ? 'red' : 'blue';
    return {
      key: `${e.at}-${i}`,
      color,
      title: wide ? <span className="owp-timeline-time">{fmtTime(e.at)}</span> : undefined,
      content: (
        <div data-testid="project-event">
          {!wide && <div className="owp-timeline-time">{fmtTime(e.at)}</div>}
          <div className="owp-timeline-title">
            {actionName(e.action)}
            <Tag style={{ marginInlineStart: 8 }}>{statusName(e.toStatus)}</Tag>
          </div>
          <div className="owp-timeline-sub">
            {app ? (
              <Link to={`/applications/${app.id}`} className="ow-mono">
                {e.applicationNumber}
              </Link>
            ) : (
              <span className="ow-mono">{e.applicationNumber}</span>
            )}{' '}
            {e.itemName}
            {app && <> · {departmentName(app.departmentCode)}</>}
          </div>
          <div className="owp-timeline-sub">
            <UserOutlined aria-hidden /> {t('pages.projects.eventBy', { actor: e.actor.displayName, role: roleName(e.actor.role) })}
          </div>
        </div>
      ),
    };
  });

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/projects">{t('pages.projects.title')}</Link> }, { title: p.name }]}
      />
      <Typography.Title level={2} className="ow-page-title" data-testid="project-name">
        {p.name}
      </Typography.Title>
      <Card className="ow-card">
        <Descriptions
          column={{ xs: 1, sm: 2, md: 3 }}
          items={[
            { key: 'code', label: t('pages.projects.code'), children: <span className="ow-mono" data-testid="project-code-value">{p.code}</span> },
            { key: 'officer', label: t('pages.projects.officerLabel'), children: <strong>{p.officer.displayName}</strong> },
            {
              key: 'summary',
              label: t('pages.projects.applications'),
              children: t('pages.projects.summary', { total: apps.length, decided, open }),
            },
          ]}
        />
      </Card>
      <Card className="ow-card" title={t('pages.projects.applications')} extra={t('pages.projects.appCount', { count: apps.length })}>
        <Table<ProjectApp>
          rowKey="id"
          scroll={tableScroll}
          columns={columns}
          dataSource={apps}
          pagination={false}
          locale={{ emptyText: t('pages.projects.noApps') }}
          onRow={() => ({ 'data-testid': 'project-app-row' }) as React.HTMLAttributes<HTMLElement>}
        />
      </Card>
      <Card className="ow-card" title={t('pages.projects.timeline')}>
        {timelineItems.length ? (
          <div data-testid="project-timeline">
            <Timeline className="owp-timeline" items={timelineItems} titleSpan={wide ? '160px' : undefined} />
          </div>
        ) : (
          <Empty description={t('pages.projects.noEvents')} />
        )}
      </Card>
    </>
  );
}
