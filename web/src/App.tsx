import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api';
import { AppShell } from './components/AppShell';
import { APPLY_ROLES, RequireAuth, RouteFallback, STAFF_ROLES } from './auth';
import { API_TOKEN_ROLES, AUTHORIZATION_ROLES, CHECK_ROLES, CHIEF_REP_ROLES, LICENSE_ADMIN_ROLES, LICENSE_WALLET_ROLES, PROJECT_ROLES, SEAL_ROLES, STATS_ROLES } from './pages/access';
// the landing page is part of the main bundle: no loading state on first visit
import SearchPage from './pages/SearchPage';

const ItemDetailPage = lazy(() => import('./pages/ItemDetailPage'));
const LoginPage = lazy(() => import('./pages/LoginPage'));
const ApplyPage = lazy(() => import('./pages/ApplyPage'));
const MyApplicationsPage = lazy(() => import('./pages/MyApplicationsPage'));
const ApplicationDetailPage = lazy(() => import('./pages/ApplicationDetailPage'));
const WorkbenchPage = lazy(() => import('./pages/WorkbenchPage'));
const CatalogPage = lazy(() => import('./pages/CatalogPage'));
const ItemWorkflowPage = lazy(() => import('./pages/ItemWorkflowPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
const VerifyPage = lazy(() => import('./pages/VerifyPage'));
const SealsPage = lazy(() => import('./pages/SealsPage'));
const ChiefRepresentativesPage = lazy(() => import('./pages/ChiefRepresentativesPage'));
const AuthorizationsPage = lazy(() => import('./pages/AuthorizationsPage'));
const ProjectsPage = lazy(() => import('./pages/ProjectsPage'));
const ProjectDetailPage = lazy(() => import('./pages/ProjectDetailPage'));
const CommitmentChecksPage = lazy(() => import('./pages/CommitmentChecksPage'));
const MyLicensesPage = lazy(() => import('./pages/MyLicensesPage'));
const LicenseVerifyPage = lazy(() => import('./pages/LicenseVerifyPage'));
const LicenseAdminPage = lazy(() => import('./pages/LicenseAdminPage'));
const ApiTokensPage = lazy(() => import('./pages/ApiTokensPage'));
const StatsPage = lazy(() => import('./pages/StatsPage'));
const HallScreenPage = lazy(() => import('./pages/HallScreenPage'));

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache(),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        // never retry a 4xx: the answer will not change
        retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

const FONT =
  "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

function Providers({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const locale = i18n.language?.startsWith('en') ? enUS : zhCN;
  return (
    <ConfigProvider
      locale={locale}
      theme={{
        token: {
          colorPrimary: '#1d4fa3',
          colorLink: '#1d4fa3',
          colorError: '#c62828',
          fontSize: 16,
          fontFamily: FONT,
          borderRadius: 6,
          colorTextSecondary: 'rgba(0,0,0,0.68)',
          colorTextDescription: 'rgba(0,0,0,0.62)',
        },
        components: {
          Layout: { headerBg: '#0f3a7d', headerHeight: 72, headerPadding: '0 24px', bodyBg: '#f3f5f9' },
          Menu: {
            darkItemBg: '#0f3a7d',
            darkItemSelectedBg: '#0a2b5e',
            darkItemColor: 'rgba(255,255,255,0.92)',
            itemHeight: 48,
          },
          Table: { headerBg: '#eef2f8' },
        },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export default function Root() {
  const queryClient = useMemo(makeQueryClient, []);
  return (
    <QueryClientProvider client={queryClient}>
      <Providers>
        <BrowserRouter>
          <Routes>
            {/* public: the service hall's big screen, full-screen without the site's header and menu */}
            <Route
              path="screen"
              element={
                <Suspense fallback={<RouteFallback />}>
                  <HallScreenPage />
                </Suspense>
              }
            />
            <Route element={<AppShell />}>
              <Route index element={<SearchPage />} />
              <Route path="items" element={<SearchPage />} />
              <Route path="items/:code" element={<ItemDetailPage />} />
              <Route path="login" element={<LoginPage />} />
              <Route
                path="apply/:itemCode"
                element={
                  <RequireAuth roles={APPLY_ROLES}>
                    <ApplyPage />
                  </RequireAuth>
                }
              />
              <Route
                path="my"
                element={
                  <RequireAuth roles={APPLY_ROLES}>
                    <MyApplicationsPage />
                  </RequireAuth>
                }
              />
              <Route
                path="applications/:id"
                element={
                  <RequireAuth>
                    <ApplicationDetailPage />
                  </RequireAuth>
                }
              />
              <Route
                path="workbench"
                element={
                  <RequireAuth roles={STAFF_ROLES}>
                    <WorkbenchPage />
                  </RequireAuth>
                }
              />
              <Route
                path="stats"
                element={
                  <RequireAuth roles={STATS_ROLES}>
                    <StatsPage />
                  </RequireAuth>
                }
              />
              <Route
                path="admin/catalog"
                element={
                  <RequireAuth roles={['admin']}>
                    <CatalogPage />
                  </RequireAuth>
                }
              />
              <Route
                path="admin/items/:code/workflow"
                element={
                  <RequireAuth roles={['admin']}>
                    <ItemWorkflowPage />
                  </RequireAuth>
                }
              />
              {/* public: where the QR code on every notice and decision points */}
              <Route path="verify" element={<VerifyPage />} />
              <Route path="verify/:number" element={<VerifyPage />} />
              {/* public: electronic licence verification by GB/T 36904 identifier */}
              <Route path="licenses/verify" element={<LicenseVerifyPage />} />
              <Route path="licenses/verify/:identifier" element={<LicenseVerifyPage />} />
              <Route
                path="me/licenses"
                element={
                  <RequireAuth roles={LICENSE_WALLET_ROLES}>
                    <MyLicensesPage />
                  </RequireAuth>
                }
              />
              <Route
                path="admin/licenses"
                element={
                  <RequireAuth roles={LICENSE_ADMIN_ROLES}>
                    <LicenseAdminPage />
                  </RequireAuth>
                }
              />
              <Route
                path="admin/seals"
                element={
                  <RequireAuth roles={SEAL_ROLES}>
                    <SealsPage />
                  </RequireAuth>
                }
              />
              <Route
                path="admin/api-tokens"
                element={
                  <RequireAuth roles={API_TOKEN_ROLES}>
                    <ApiTokensPage />
                  </RequireAuth>
                }
              />
              <Route
                path="admin/chief-representatives"
                element={
                  <RequireAuth roles={CHIEF_REP_ROLES}>
                    <ChiefRepresentativesPage />
                  </RequireAuth>
                }
              />
              <Route
                path="me/authorizations"
                element={
                  <RequireAuth roles={AUTHORIZATION_ROLES}>
                    <AuthorizationsPage />
                  </RequireAuth>
                }
              />
              <Route
                path="projects"
                element={
                  <RequireAuth roles={PROJECT_ROLES}>
                    <ProjectsPage />
                  </RequireAuth>
                }
              />
              <Route
                path="projects/:id"
                element={
                  <RequireAuth roles={PROJECT_ROLES}>
                    <ProjectDetailPage />
                  </RequireAuth>
                }
              />
              <Route
                path="commitment-checks"
                element={
                  <RequireAuth roles={CHECK_ROLES}>
                    <CommitmentChecksPage />
                  </RequireAuth>
                }
              />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </Providers>
    </QueryClientProvider>
  );
}
