/**
 * The platform's one authorisation layer for HTTP routes.
 *
 * Every route under `/api/` declares, in its `config.policy`, who may call it and which records it
 * reaches for that caller:
 *
 * ```ts
 * app.get('/applications/:id', { config: { policy: { allow: 'signed-in', scope: 'case' } }, … })
 * ```
 *
 * - `allow` — `'anyone'` (no sign-in needed), `'signed-in'` (any principal), or a list of roles.
 *   Checked here, before the body is parsed: 401 `UNAUTHENTICATED` without a live session,
 *   403 `FORBIDDEN` without one of the roles.
 * - `scope` — the data scope the route's service applies to the records it reads or changes
 *   (see {@link DATA_SCOPES}); documented in the OpenAPI description and walked by the generated
 *   authorisation test (`test/authorization-matrix.int.test.ts`). Services enforce it, because
 *   only they know the record; an out-of-scope record answers 404 like a missing one, so IDs
 *   cannot be probed.
 * - A machine client's bearer token (kiosk, partner system) carries scopes such as
 *   `licenses:read`: it may call a route only when it holds `{resource}:read` (GET/HEAD) or
 *   `{resource}:write` (other methods), the resource being the policy's `resource` or else the
 *   first path segment after `/api/v1/`.
 *
 * A route under `/api/` without a policy stops the server at start-up (see {@link registerPolicy}).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import type { Role } from '../modules/identity/roles.js';

/** The data scopes a route may declare, with what each lets a caller reach. */
export const DATA_SCOPES = {
  public: 'records anyone may see (catalogue, calendar, verification of a document or licence by its number)',
  self: "the caller's own account, session and wallet",
  case: "applications and their documents: applicants their own, agents those they filed, staff their department's back office and their region's front desk, admins all",
  department: "records of the caller's own department (seals, empowerments, commitment checks, licence administration)",
  region: "records of the caller's own region and the regions below it",
  platform: 'platform-wide settings and reference data (admins)',
} as const;
export type DataScope = keyof typeof DATA_SCOPES;

/** Who may call a route and what it reaches; see the module comment. */
export interface RoutePolicy {
  allow: 'anyone' | 'signed-in' | readonly Role[];
  scope: DataScope;
  /** the resource name machine-token scopes use; default: the first path segment after /api/v1/ */
  resource?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
}

/** The resource a route belongs to for token scopes: `/api/v1/licenses/verify/:x` → `licenses`. */
export function routeResource(url: string, policy: RoutePolicy): string {
  return policy.resource ?? url.replace(/^\/api\/v\d+\//, '').split('/')[0]!;
}

/** The token scope a call needs: `{resource}:read` for GET and HEAD, `{resource}:write` otherwise. */
export function requiredTokenScope(method: string, url: string, policy: RoutePolicy): string {
  return `${routeResource(url, policy)}:${method === 'GET' || method === 'HEAD' ? 'read' : 'write'}`;
}

/**
 * Checks a request against its route's policy. Needs `req.principal` resolved first.
 * @throws AppError UNAUTHENTICATED (the route needs a sign-in and there is none),
 *   FORBIDDEN (none of the roles), TOKEN_SCOPE_MISSING (a machine token without the route's scope)
 */
export function enforcePolicy(req: FastifyRequest): void {
  const policy = req.routeOptions.config.policy;
  if (!policy) return; // routes outside /api/ (static files, /docs)
  if (policy.allow === 'anyone') return;
  const p = req.principal;
  if (!p) throw new AppError('UNAUTHENTICATED');
  if (policy.allow !== 'signed-in' && !p.roles.some((r) => (policy.allow as readonly Role[]).includes(r))) throw new AppError('FORBIDDEN');
  if (p.tokenScopes) {
    const needed = requiredTokenScope(req.method, req.routeOptions.url ?? req.url, policy);
    if (!p.tokenScopes.includes(needed)) throw new AppError('TOKEN_SCOPE_MISSING', { scope: needed });
  }
}

/** One row of the route table: method, URL and policy. */
export interface PolicyRow {
  method: string;
  url: string;
  policy: RoutePolicy;
}

/**
 * Makes every route under `/api/` declare a policy (start-up fails naming the route otherwise),
 * writes the policy into the route's OpenAPI description, and collects the table into `rows`
 * (the generated authorisation test walks it). Register before any route.
 */
export function registerPolicy(app: FastifyInstance, rows: PolicyRow[]): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const policy = route.config?.policy;
    if (!policy) throw new Error(`route ${String(route.method)} ${route.url} declares no policy (config.policy)`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') rows.push({ method, url: route.url, policy });
    if (route.schema) {
      const who = policy.allow === 'anyone' ? '任何人 anyone' : policy.allow === 'signed-in' ? '已登录用户 signed-in' : policy.allow.join(', ');
      const description = `${route.schema.description ? `${route.schema.description}\n\n` : ''}权限 (policy): ${who}; 数据范围 (scope): ${policy.scope}`;
      route.schema = { ...route.schema, description };
    }
  });
}
