import { Badge, Button, Card, Empty, Result, Space, Tabs, Tag, Typography } from 'antd';
import { FormOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ApplicationStatus, Role } from '../types';
import { ApplicationsTable, useApplications, type ApplicationsQueue } from '../components/ApplicationsTable';
import { WindowIntakeForm } from '../components/WindowIntakeForm';
import { ApplicationFiltersBar } from '../components/ApplicationFiltersBar';
import { hasRole, useMe } from '../auth';
import { useDepartmentName } from '../departments';
import { APPLICATION_FILTER_KEYS, applicationFiltersKey, hasApplicationFilters, readApplicationFilters, type ApplicationFilterKey } from './statsLogic';

type TabKey = 'mine' | 'intake' | 'submitted' | 'supplement' | 'delivery' | 'accepted' | 'reviewed' | 'all';

interface TabDef {
  key: TabKey;
  roles: Role[];
  statuses: ApplicationStatus[];
  queue?: ApplicationsQueue;
}

const TABS: TabDef[] = [
  // what waits for the caller's own action: the current step's department, decisions, the window
  { key: 'mine', roles: ['clerk', 'reviewer', 'signatory'], statuses: [], queue: 'mine' },
  // 一窗受理: take an application in person for any department's item
  { key: 'intake', roles: ['clerk'], statuses: [] },
  { key: 'submitted', roles: ['clerk', 'admin'], statuses: ['submitted'] },
  { key: 'supplement', roles: ['clerk', 'admin'], statuses: ['supplement_requested'] },
  { key: 'accepted', roles: ['reviewer', 'admin'], statuses: ['accepted'] },
  { key: 'reviewed', roles: ['signatory', 'admin'], statuses: ['reviewed'] },
  { key: 'delivery', roles: ['clerk', 'admin'], statuses: ['granted', 'denied'] },
  { key: 'all', roles: ['clerk', 'reviewer', 'signatory', 'admin'], statuses: [] },
];

/** The number of cases waiting for the caller, for the 待我处理 tab (shares the table's first page). */
function MineCount() {
  const q = useApplications([], 1, 'mine');
  const total = q.data?.total ?? 0;
  return <Badge count={total} overflowCount={999} style={{ marginInlineStart: 6 }} data-testid="mine-count" />;
}

export default function WorkbenchPage() {
  const { t } = useTranslation();
  const { data: user } = useMe();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const departmentName = useDepartmentName();

  const label: Record<TabKey, string> = {
    mine: t('workbench.tabMine'),
    intake: t('workbench.tabIntake'),
    submitted: t('workbench.tabSubmitted'),
    supplement: t('workbench.tabSupplement'),
    delivery: t('workbench.tabDelivery'),
    accepted: t('workbench.tabAccepted'),
    reviewed: t('workbench.tabReviewed'),
    all: t('workbench.tabAll'),
  };
  const tabs = TABS.filter((tab) => hasRole(user, tab.roles));
  if (!user || tabs.length === 0) return <Result status="403" title={t('workbench.noRole')} />;

  const queueTitle = hasRole(user, ['admin'])
    ? t('workbench.allQueue')
    : [
        hasRole(user, ['clerk']) && t('workbench.clerkQueue'),
        hasRole(user, ['reviewer']) && t('workbench.reviewerQueue'),
        hasRole(user, ['signatory']) && t('workbench.signatoryQueue'),
      ]
        .filter(Boolean)
        .join(' · ');
  // the statistics' drill-down opens the list with filters in the URL (?departmentCode=…&from=…):
  // they apply to every list tab, shown above them; without a tab named, 全部
  const filters = readApplicationFilters(params);
  const filtered = hasApplicationFilters(filters);
  const filterKey = applicationFiltersKey(filters);
  const fallbackTab = filtered ? (tabs.find((x) => x.key === 'all')?.key ?? tabs[0].key) : tabs[0].key;
  const active = tabs.find((x) => x.key === params.get('tab'))?.key ?? fallbackTab;
  const deptName = user.departmentCode ? departmentName(user.departmentCode) : null;
  const setTab = (k: string) => {
    const next = new URLSearchParams({ tab: k });
    for (const f of APPLICATION_FILTER_KEYS) {
      const v = params.get(f);
      if (v) next.set(f, v);
    }
    setParams(next, { replace: true });
  };
  const removeFilters = (keys: readonly ApplicationFilterKey[]) => {
    const next = new URLSearchParams(params);
    for (const k of keys) next.delete(k);
    setParams(next, { replace: true });
  };

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={2} className="ow-page-title" data-testid="workbench-title">
          {t('workbench.title')} · {queueTitle}
        </Typography.Title>
        <Space wrap>
          {deptName && (
            <span>
              {t('workbench.department')}
              {t('common.colon')}
              <Tag color="blue">{deptName}</Tag>
            </span>
          )}
          {hasRole(user, ['clerk']) && active !== 'intake' && (
            <Button type="primary" icon={<FormOutlined />} onClick={() => setTab('intake')} data-testid="open-intake">
              {t('workbench.tabIntake')}
            </Button>
          )}
          <Button
            icon={<ReloadOutlined />}
            data-testid="workbench-refresh"
            onClick={() => void qc.invalidateQueries({ queryKey: ['applications'] })}
          >
            {t('workbench.refresh')}
          </Button>
        </Space>
      </Space>
      {filtered && <ApplicationFiltersBar filters={filters} onRemove={removeFilters} />}
      <Card className="ow-card">
        <Tabs
          activeKey={active}
          onChange={setTab}
          size="large"
          destroyOnHidden
          items={tabs.map((tab) => ({
            key: tab.key,
            label: (
              <span data-testid={`tab-${tab.key}`}>
                {tab.key === 'intake' && <FormOutlined aria-hidden style={{ marginInlineEnd: 6 }} />}
                {label[tab.key]}
                {tab.key === 'mine' && <MineCount />}
              </span>
            ),
            children:
              tab.key === 'intake' ? (
                <WindowIntakeForm />
              ) : (
                <>
                  {tab.key === 'mine' && (
                    <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
                      {t('workbench.mineHint')}
                    </Typography.Paragraph>
                  )}
                  <ApplicationsTable
                    key={`${tab.key}?${filterKey}`}
                    staff
                    statuses={tab.statuses}
                    queue={tab.queue ?? 'all'}
                    filters={filters}
                    emptyText={<Empty description={tab.key === 'mine' ? t('workbench.mineEmpty') : t('workbench.empty')} />}
                  />
                </>
              ),
          }))}
        />
      </Card>
    </>
  );
}
