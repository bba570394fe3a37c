import { Button, Layout, Menu, Segmented, Space, Tag, Typography, App as AntApp } from 'antd';
import { LogoutOutlined, UserOutlined, GlobalOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { hasRole, isApplicant, isStaff, RouteFallback, useLogout, useMe } from '../auth';
import type { Role } from '../types';
import { ROLES } from '../types';

export function AppShell() {
  const { t, i18n } = useTranslation();
  const { data: user } = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();

  const navItems = [
    { key: '/items', label: <Link to="/items" data-testid="nav-items">{t('nav.items')}</Link> },
    ...(isApplicant(user) ? [{ key: '/my', label: <Link to="/my" data-testid="nav-my">{t('nav.my')}</Link> }] : []),
    ...(isStaff(user)
      ? [{ key: '/workbench', label: <Link to="/workbench" data-testid="nav-workbench">{t('nav.workbench')}</Link> }]
      : []),
    ...(hasRole(user, ['admin'])
      ? [{ key: '/admin/catalog', label: <Link to="/admin/catalog" data-testid="nav-catalog">{t('nav.catalog')}</Link> }]
      : []),
  ];
  const path = location.pathname;
  const selected =
    path === '/' || path.startsWith('/items') || path.startsWith('/apply')
      ? '/items'
      : path.startsWith('/my')
        ? '/my'
        : path.startsWith('/workbench')
          ? '/workbench'
          : path.startsWith('/admin/catalog')
            ? '/admin/catalog'
            : '';

  const roleNames = (user?.roles ?? [])
    .filter((r): r is Role => (ROLES as readonly string[]).includes(r))
    .map((r) => t(`roles.${r}`));

  const changeLanguage = (lng: string) => {
    void i18n.changeLanguage(lng).then(() => {
      // server messages and translated fields follow Accept-Language: fetch again
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    });
  };

  return (
    <Layout className="ow-layout">
      <a className="ow-skip" href="#main">
        {t('app.skipToContent')}
      </a>
      <Layout.Header className="ow-header ow-no-print">
        <Link to="/" className="ow-brand" aria-label={t('app.fullTitle')} data-testid="brand">
          <span className="ow-logo" aria-hidden>
            政
          </span>
          <span className="ow-brand-text">
            <span className="ow-brand-title">{t('app.title')}</span>
            <span className="ow-brand-sub">{t('app.brand')}</span>
          </span>
        </Link>
        <nav className="ow-nav" aria-label={t('nav.home')}>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={[selected]}
            items={navItems}
            className="ow-menu"
            disabledOverflow={false}
          />
        </nav>
        <Space size="middle" className="ow-header-right" wrap>
          <Segmented
            aria-label={t('nav.language')}
            data-testid="lang-switch"
            size="middle"
            value={i18n.language?.startsWith('en') ? 'en' : 'zh-CN'}
            onChange={(v) => changeLanguage(String(v))}
            options={[
              { label: <span data-testid="lang-zh">中文</span>, value: 'zh-CN' },
              { label: <span data-testid="lang-en">English</span>, value: 'en' },
            ]}
          />
          {user ? (
            <Space size="small" className="ow-user" data-testid="current-user">
              <UserOutlined aria-hidden />
              <Typography.Text className="ow-user-name" data-testid="user-name">
                {user.displayName}
              </Typography.Text>
              {roleNames.map((r) => (
                <Tag key={r} color="gold" data-testid="user-role" className="ow-role-tag">
                  {r}
                </Tag>
              ))}
              <Button
                icon={<LogoutOutlined />}
                data-testid="logout-button"
                onClick={async () => {
                  await logout();
                  message.success(t('nav.logout'));
                  navigate('/');
                }}
              >
                {t('nav.logout')}
              </Button>
            </Space>
          ) : (
            <Button type="primary" data-testid="nav-login" onClick={() => navigate('/login')}>
              {t('nav.login')}
            </Button>
          )}
        </Space>
      </Layout.Header>
      <Layout.Content id="main" className="ow-content" tabIndex={-1}>
        <Suspense fallback={<RouteFallback />}>
          <Outlet />
        </Suspense>
      </Layout.Content>
      <Layout.Footer className="ow-footer ow-no-print">
        <GlobalOutlined aria-hidden /> {t('app.footer')}
      </Layout.Footer>
    </Layout>
  );
}
