/**
 * HTTP routes of staff single sign-on (OpenID Connect, see oidc.ts): whether it is on, the
 * redirect to the provider, and the callback that opens a session.
 *
 * Between the redirect and the callback the flow's state, nonce and PKCE verifier live in the
 * HttpOnly cookie {@link OIDC_FLOW_COOKIE} (SameSite=Lax: the callback is a top-level navigation
 * coming back from the provider's site; limited to the sign-on paths, {@link OIDC_FLOW_SECONDS}
 * seconds, one use).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { setSessionCookie } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { ErrorBody, errorResponses } from '../../platform/http.js';
import { createOidcClient, findStaffAccountId, OidcFlow } from './oidc.js';
import { openSession, SESSION_HOURS } from './service.js';

/** The cookie carrying one sign-in attempt's state, nonce and PKCE verifier. */
export const OIDC_FLOW_COOKIE = 'ow_oidc';
/** How long a sign-in attempt may take at the provider, in seconds. */
export const OIDC_FLOW_SECONDS = 600;
const FLOW_COOKIE_PATH = '/api/v1/auth/oidc';

/** The flow as a cookie value (base64url JSON). */
export function encodeFlow(flow: OidcFlow): string {
  return Buffer.from(JSON.stringify(flow)).toString('base64url');
}

/** The flow in a cookie value; `undefined` when absent or malformed. */
export function decodeFlow(value: string | undefined): OidcFlow | undefined {
  if (!value || value.length > 2048) return undefined;
  try {
    const parsed = OidcFlow.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const policy = { allow: 'anyone', scope: 'public' } as const;
const redirectResponses = { ...errorResponses, 503: ErrorBody } as const;

export const oidcRoutes: FastifyPluginAsyncZod = async (app) => {
  const settings = app.config.oidc;
  const sso = settings ? createOidcClient(settings, app.log) : null;
  const flowCookie = { path: FLOW_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies } as const;

  app.get(
    '/auth/oidc',
    {
      config: { policy },
      schema: {
        tags: ['auth'],
        summary: '统一身份认证登录是否启用 (whether staff single sign-on is on, and its button label)',
        response: { 200: z.object({ enabled: z.boolean(), displayName: z.string().nullable() }) },
      },
    },
    async () => ({ enabled: sso !== null, displayName: settings?.displayName ?? null }),
  );

  app.get(
    '/auth/oidc/login',
    {
      config: { policy },
      schema: {
        tags: ['auth'],
        summary: '统一身份认证登录 (staff single sign-on): 302 to the provider',
        description: 'Redirects to the OpenID provider (authorization code flow, PKCE S256, state, nonce). 404 SSO_DISABLED when sign-on is not configured.',
        response: redirectResponses,
      },
    },
    async (_req, reply) => {
      if (!sso) throw new AppError('SSO_DISABLED');
      const { url, flow } = await sso.start();
      reply.setCookie(OIDC_FLOW_COOKIE, encodeFlow(flow), { ...flowCookie, maxAge: OIDC_FLOW_SECONDS });
      return reply.header('cache-control', 'no-store').redirect(url.href, 302);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      config: { policy },
      schema: {
        tags: ['auth'],
        summary: '统一身份认证回调 (single sign-on callback): opens a session, 302 to /',
        description:
          'The provider redirects here. A staff account whose username equals the configured claim gets the ow_session cookie. ' +
          '400 SSO_STATE_INVALID, SSO_PROVIDER_ERROR, SSO_RESPONSE_INVALID; 403 SSO_ACCOUNT_UNKNOWN (no such staff account), SSO_CLAIM_MISSING; 404 SSO_DISABLED; 503 SSO_PROVIDER_UNAVAILABLE.',
        response: redirectResponses,
      },
    },
    async (req, reply) => {
      if (!sso) throw new AppError('SSO_DISABLED');
      const flow = decodeFlow(req.cookies[OIDC_FLOW_COOKIE]);
      // one use, whatever the outcome
      reply.clearCookie(OIDC_FLOW_COOKIE, flowCookie);
      reply.header('cache-control', 'no-store');
      if (!flow) throw new AppError('SSO_STATE_INVALID');
      const q = req.url.indexOf('?');
      const username = await sso.finish(q < 0 ? '' : req.url.slice(q + 1), flow);
      const userId = await findStaffAccountId(app.db, username);
      const { token } = await openSession(app.db, userId, app.config.now());
      setSessionCookie(reply, token, { secure: app.config.secureCookies, maxAgeSeconds: SESSION_HOURS * 3600 });
      return reply.redirect('/', 302);
    },
  );
};
