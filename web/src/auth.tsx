import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { api, isApiError, setToken } from './api';
import type { Role, User } from './types';

export const APPLICANT_ROLES: readonly Role[] = ['citizen', 'enterprise'];
export const STAFF_ROLES: readonly Role[] = ['clerk', 'reviewer', 'signatory', 'admin'];

export function hasRole(user: User | null | undefined, roles: readonly Role[]): boolean {
  return !!user && user.roles.some((r) => roles.includes(r));
}
export const isApplicant = (u: User | null | undefined) => hasRole(u, APPLICANT_ROLES);
export const isStaff = (u: User | null | undefined) => hasRole(u, STAFF_ROLES);

/** Where a user lands after signing in. */
export function homeFor(user: User): string {
  if (isStaff(user)) return '/workbench';
  if (isApplicant(user)) return '/my';
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
