import { Badge, Button, Card, Empty, Tabs, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApplicationsTable, useApplications } from '../components/ApplicationsTable';

/** What waits for the applicant (补正, 领取 or 签收 of a result), for the tab's badge. */
function MineCount() {
  const q = useApplications([], 1, 'mine');
  return <Badge count={q.data?.total ?? 0} style={{ marginInlineStart: 6 }} data-testid="mine-count" />;
}

export default function MyApplicationsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const active = params.get('tab') === 'mine' ? 'mine' : 'all';
  const empty = (
    <Empty description={t('my.empty')}>
      <Link to="/items">
        <Button type="primary">{t('my.findItems')}</Button>
      </Link>
    </Empty>
  );
  return (
    <>
      <Typography.Title level={2} className="ow-page-title">
        {t('my.title')}
      </Typography.Title>
      <Card className="ow-card">
        <Tabs
          activeKey={active}
          onChange={(k) => setParams(k === 'all' ? {} : { tab: k }, { replace: true })}
          destroyOnHidden
          items={[
            {
              key: 'all',
              label: <span data-testid="tab-all">{t('my.tabAll')}</span>,
              children: <ApplicationsTable emptyText={empty} />,
            },
            {
              key: 'mine',
              label: (
                <span data-testid="tab-mine">
                  {t('my.tabMine')}
                  <MineCount />
                </span>
              ),
              children: (
                <>
                  <Typography.Paragraph type="secondary">{t('my.mineHint')}</Typography.Paragraph>
                  <ApplicationsTable queue="mine" emptyText={<Empty description={t('my.mineEmpty')} />} />
                </>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
