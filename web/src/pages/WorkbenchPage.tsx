import { Button, Card, Empty, Result, Space, Tabs, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ApplicationStatus, Role } from '../types';
import { ApplicationsTable } from '../components/ApplicationsTable';
import { hasRole, useMe } from '../auth';
import { useDepartmentName } from '../departments';

type TabKey = 'submitted' | 'supplement' | 'delivery' | 'accepted' | 'reviewed' | 'all';

const TABS: { key: TabKey; roles: Role[]; statuses: ApplicationStatus[] }[] = [
  { key: 'submitted', roles: ['clerk', 'admin'], statuses: ['submitted'] },
  { key: 'supplement', roles: ['clerk', 'admin'], statuses: ['supplement_requested'] },
  { key: 'accepted', roles: ['reviewer', 'admin'], statuses: ['accepted'] },
  { key: 'reviewed', roles: ['signatory', 'admin'], statuses: ['reviewed'] },
  { key: 'delivery', roles: ['clerk', 'admin'], statuses: ['granted', 'denied'] },
  { key: 'all', roles: ['admin'], statuses: [] },
];

export default function WorkbenchPage() {
  const { t } = useTranslation();
  const { data: user } = useMe();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const departmentName = useDepartmentName();

  const label: Record<TabKey, string> = {
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
  const active = tabs.find((x) => x.key === params.get('tab'))?.key ?? tabs[0].key;
  const deptName = user.departmentCode ? departmentName(user.departmentCode) : null;

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
          <Button
            icon={<ReloadOutlined />}
            data-testid="workbench-refresh"
            onClick={() => void qc.invalidateQueries({ queryKey: ['applications'] })}
          >
            {t('workbench.refresh')}
          </Button>
        </Space>
      </Space>
      <Card className="ow-card">
        <Tabs
          activeKey={active}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          size="large"
          destroyOnHidden
          items={tabs.map((tab) => ({
            key: tab.key,
            label: <span data-testid={`tab-${tab.key}`}>{label[tab.key]}</span>,
            children: (
              <ApplicationsTable
                key={tab.key}
                staff
                statuses={tab.statuses}
                emptyText={<Empty description={t('workbench.empty')} />}
              />
            ),
          }))}
        />
      </Card>
    </>
  );
}
