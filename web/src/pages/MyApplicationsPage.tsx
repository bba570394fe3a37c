import { Button, Card, Empty, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApplicationsTable } from '../components/ApplicationsTable';

export default function MyApplicationsPage() {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={2} className="ow-page-title">
        {t('my.title')}
      </Typography.Title>
      <Card className="ow-card">
        <ApplicationsTable
          emptyText={
            <Empty description={t('my.empty')}>
              <Link to="/items">
                <Button type="primary">{t('my.findItems')}</Button>
              </Link>
            </Empty>
          }
        />
      </Card>
    </>
  );
}
