import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import { Button, Result, Skeleton, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { api, isApiError, setToken } from './api';
import type { Role, User } from './types';

export const APPLICANT_ROLES: readonly Role[] = ['citizen', 'enterprise'];
export const STAFF_ROLES: readonly Role[] = ['clerk', 'reviewer', 'signatory', 'admin'];
/**
 * Who applies online and follows their applications: applicants for themselves, and service agents
 * (帮办代办) for the applicants who authorised them (`onBehalfOf`).
 */
export const APPLY_ROLES: readonly Role[] = [...APPLICANT_ROLES, 'agent'];

export function hasRole(user: User | null | undefined, roles: readonly Role[]): boolean {
  return !!user && user.roles.some((r) => roles.includes(r));
}
export const isApplicant = (u: User | null | undefined) => hasRole(u, APPLICANT_ROLES);
export const isStaff = (u: User | null | undefined) => hasRole(u, STAFF_ROLES);

/** Where a user lands after signing in. */
export function homeFor(user: User): string {
  if (isStaff(user)) return '/workbench';
  if (hasRole(user, APPLY_ROLES)) return '/my';
  return '/';
}

export const ME_KEY = ['me'] as const;

export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<User | null> => {
      try {
        const r = await api<{ user: User }>('/auth/me');
        return r.user;
      } catch (e) {
        if (isApiError(e) && e.status === 401) {
          setToken(null);
          return null;
        }
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return async () => {
    try {
      await api('/auth/logout', { method: 'POST' });
    } catch {
      /* already signed out on the server: fine */
    }
    setToken(null);
    qc.setQueryData(ME_KEY, null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'items' && q.queryKey[0] !== 'departments' && q.queryKey[0] !== 'item' });
  };
}

export function PageSpin() {
  const { t } = useTranslation();
  return (
    <div className="ow-center" role="status" aria-live="polite">
      <Spin size="large" description={t('common.loading')} />
    </div>
  );
}

/**
 * The fallback while a lazily loaded page's code arrives: a quiet skeleton without text that only
 * fades in after a short delay, so a fast load shows nothing at all instead of flashing "加载中…".
 */
export function RouteFallback() {
  const { t } = useTranslation();
  return (
    <div className="ow-route-fallback" role="status" aria-busy="true" aria-label={t('common.loading')} data-testid="route-fallback">
      <Skeleton active title paragraph={{ rows: 4 }} />
    </div>
  );
}

/** Renders children only for a signed-in user with one of `roles`. */
export function RequireAuth({ roles, children }: { roles?: readonly Role[]; children: ReactNode }) {
  const { data: user, isLoading } = useMe();
  const location = useLocation();
  const { t } = useTranslation();
  if (isLoading) return <PageSpin />;
  if (!user) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (roles && !hasRole(user, roles)) {
    return (
      <Result
        status="403"
        title={t('error.forbidden')}
        extra={
          <Button type="primary" href={homeFor(user)}>
            {t('error.goHome')}
          </Button>
        }
      />
    );
  }
  return <>{children}</>;
}
