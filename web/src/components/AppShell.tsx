import { Button, Layout, Menu, Segmented, Space, Tag, Typography, App as AntApp } from 'antd';
import type { MenuProps } from 'antd';
import { IdcardOutlined, LogoutOutlined, UserOutlined, GlobalOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';
import { Suspense } from 'react';
import { APPLY_ROLES, hasRole, isStaff, RouteFallback, useLogout, useMe } from '../auth';
import type { Role } from '../types';
import { ROLES } from '../types';
import '../pages/pages.css';
import { API_TOKEN_ROLES, AUTHORIZATION_ROLES, CHECK_ROLES, CHIEF_REP_ROLES, LICENSE_ADMIN_ROLES, LICENSE_WALLET_ROLES, PROJECT_NAV_ROLES, PROJECT_ROLES, SEAL_ROLES, STATS_ROLES } from '../pages/access';

/** The menu entry a path selects: the entry itself or a page under it. */
const NAV_PREFIXES = [
  '/my',
  '/me/authorizations',
  '/me/licenses',
  '/workbench',
  '/stats',
  '/commitment-checks',
  '/projects',
  '/admin/catalog',
  '/admin/seals',
  '/admin/chief-representatives',
  '/admin/licenses',
  '/admin/api-tokens',
  '/verify',
];

export function AppShell() {
  const { t, i18n } = useTranslation();
  const { data: user } = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();

  // 重点项目: always for its enterprises, clerks and administrators; for other staff only when they
  // are the service officer of some project (the list the server gives them is not empty)
  const projectsAlways = hasRole(user, PROJECT_NAV_ROLES);
  const officerProbe = useQuery({
    queryKey: ['projects'],
    queryFn: () => api<{ items: unknown[] }>('/projects'),
    enabled: !!user && !projectsAlways && hasRole(user, PROJECT_ROLES),
    staleTime: 5 * 60_000,
  });
  const showProjects = projectsAlways || (officerProbe.data?.items.length ?? 0) > 0;

  const link = (to: string, label: string, testId: string) => ({
    key: to,
    label: (
      <Link to={to} data-testid={testId}>
        {label}
      </Link>
    ),
  });
  // administration pages: in one "管理" menu when there are several, else on the bar itself
  const adminItems = [
    ...(hasRole(user, ['admin']) ? [link('/admin/catalog', t('nav.catalog'), 'nav-catalog')] : []),
    ...(hasRole(user, SEAL_ROLES) ? [link('/admin/seals', t('pages.nav.seals'), 'nav-seals')] : []),
    ...(hasRole(user, CHIEF_REP_ROLES) ? [link('/admin/chief-representatives', t('pages.nav.chiefReps'), 'nav-chief-reps')] : []),
    ...(hasRole(user, LICENSE_ADMIN_ROLES) ? [link('/admin/licenses', t('licenses.nav.admin'), 'nav-license-admin')] : []),
    ...(hasRole(user, API_TOKEN_ROLES) ? [link('/admin/api-tokens', t('apiTokens.nav'), 'nav-api-tokens')] : []),
  ];
  const navItems: MenuProps['items'] = [
    link('/items', t('nav.items'), 'nav-items'),
    ...(hasRole(user, APPLY_ROLES) ? [link('/my', t('nav.my'), 'nav-my')] : []),
    ...(hasRole(user, LICENSE_WALLET_ROLES) ? [link('/me/licenses', t('licenses.nav.wallet'), 'nav-licenses')] : []),
    ...(hasRole(user, AUTHORIZATION_ROLES) ? [link('/me/authorizations', t('pages.nav.authorizations'), 'nav-authorizations')] : []),
    ...(isStaff(user) ? [link('/workbench', t('nav.workbench'), 'nav-workbench')] : []),
    ...(hasRole(user, STATS_ROLES) ? [link('/stats', t('stats.nav'), 'nav-stats')] : []),
    ...(hasRole(user, CHECK_ROLES) ? [link('/commitment-checks', t('pages.nav.checks'), 'nav-checks')] : []),
    ...(showProjects ? [link('/projects', t('pages.nav.projects'), 'nav-projects')] : []),
    ...(adminItems.length > 1
      ? [{ key: '/admin', label: <span data-testid="nav-admin">{t('pages.nav.manage')}</span>, children: adminItems }]
      : adminItems),
    // the public's tool (the QR code on every document points to it); staff find it in the footer
    ...(isStaff(user) ? [] : [link('/verify', t('pages.nav.verify'), 'nav-verify')]),
  ];
  const path = location.pathname;
  const selected =
    path === '/' || path.startsWith('/items') || path.startsWith('/apply')
      ? '/items'
      : path.startsWith('/licenses/verify')
        ? '/verify'
        : (NAV_PREFIXES.find((p) => path === p || path.startsWith(`${p}/`)) ?? '');

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
              <Typography.Text className="ow-user-name" data-testid="user-name" title={user.displayName}>
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
        <span style={{ marginInlineStart: 16, display: 'inline-block' }}>
          <Link to="/verify" data-testid="footer-verify">
            <SafetyCertificateOutlined aria-hidden /> {t('pages.nav.verify')}
          </Link>
        </span>
        <span style={{ marginInlineStart: 16, display: 'inline-block' }}>
          <Link to="/licenses/verify" data-testid="footer-license-verify">
            <IdcardOutlined aria-hidden /> {t('licenses.nav.verify')}
          </Link>
        </span>
      </Layout.Footer>
    </Layout>
  );
}
