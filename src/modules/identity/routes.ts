import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal, requestToken, SESSION_COOKIE, setSessionCookie } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { ownPersonalData } from './pii.js';
import { errorResponses } from '../../platform/http.js';
import { login, revokeToken, SESSION_HOURS } from './service.js';
import { API_TOKEN_MAX_DAYS, createApiToken, listApiTokens, revokeApiToken } from './api-tokens.js';
import { requiredTokenScope } from '../../platform/policy.js';

const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  kind: z.string(),
  roles: z.array(z.string()),
  departmentCode: z.string().nullable(),
});

/** Sign-in attempts allowed per minute for one address and account name. */
export const LOGIN_ATTEMPTS_PER_MINUTE = 10;
/** Sign-in attempts allowed per minute from one address, whatever the account (password spraying). */
export const LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE = 100;

export const identityRoutes: FastifyPluginAsyncZod = async (app) => {
  // Two limits (@fastify/rate-limit runs one limiter per request, so these are checkers):
  // password guessing against one account, per address and account name (needs the body);
  // password spraying across accounts, per address.
  const accountLimit = app.createRateLimit({ max: LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: 60_000, keyGenerator: (req) => `login|${req.ip}|${String((req.body as { username?: unknown } | undefined)?.username ?? '').slice(0, 64)}` });
  const addressLimit = app.createRateLimit({ max: LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE, timeWindow: 60_000, keyGenerator: (req) => `login-address|${req.ip}` });
  const limitBy = (check: typeof accountLimit) => async (req: FastifyRequest) => {
    const r = await check(req);
    // isAllowed: on the allow list; isExceeded: over the limit
    if (r.isAllowed || !r.isExceeded) return;
    throw new AppError('LOGIN_THROTTLED', { after: { 'zh-CN': `${r.ttlInSeconds} 秒`, en: `${r.ttlInSeconds} s` } }, r.ttlInSeconds);
  };
  app.post(
    '/auth/login',
    {
      onRequest: limitBy(addressLimit),
      preHandler: limitBy(accountLimit),
      schema: {
        tags: ['auth'],
        summary: '登录 (sign in): bearer token, and the HttpOnly cookie ow_session',
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
        response: { 200: z.object({ token: z.string(), user: User, expiresAt: z.string() }), ...errorResponses },
      },
      config: { policy: { allow: 'anyone', scope: 'public' } },
    },
    async (req, reply) => {
      const { token, user, expiresAt } = await login(app.db, req.body.username, req.body.password, app.config.now());
      setSessionCookie(reply, token, { secure: app.config.secureCookies, maxAgeSeconds: SESSION_HOURS * 3600 });
      return { token, user, expiresAt: expiresAt.toISOString() };
    },
  );

  app.post('/auth/logout', { config: { policy: { allow: 'anyone', scope: 'self' } }, schema: { tags: ['auth'], summary: '退出登录 (sign out)' } }, async (req, reply) => {
    const token = requestToken(req);
    if (token) await revokeToken(app.db, token, app.config.now());
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get(
    '/auth/me',
    { config: { policy: { allow: 'signed-in', scope: 'self' } }, schema: { tags: ['auth'], summary: '当前用户 (the signed-in user)', response: { 200: z.object({ user: User }), ...errorResponses } } },
    async (req) => ({ user: requirePrincipal(req) }),
  );

  app.get(
    '/auth/me/personal-data',
    {
      config: { policy: { allow: ['citizen', 'enterprise'], scope: 'self' } },
      schema: {
        tags: ['auth'],
        summary: '本人证件号码与电话 (the applicant\'s own ID number or USCC and phone, whole; stored sealed)',
        response: { 200: z.object({ idNumber: z.string().nullable(), phone: z.string().nullable() }), ...errorResponses },
      },
    },
    async (req) => ownPersonalData(app.db, requirePrincipal(req).id),
  );

  // The scopes that exist: `{resource}:read` where the resource has a GET route, `:write` where it has another.
  const knownScopes = () => new Set(app.policyTable.map((r) => requiredTokenScope(r.method, r.url, r.policy)));
  const admins = { policy: { allow: ['admin'], scope: 'platform' } } as const;

  app.get('/api-tokens', { config: admins, schema: { tags: ['auth'], summary: '机器访问令牌列表 (admin): kiosks and partner systems; never the tokens themselves' } }, async () => ({ items: await listApiTokens(app.db) }));

  app.post(
    '/api-tokens',
    {
      // not replayable by Idempotency-Key: a replay would need the token stored, and only its hash is
      config: admins,
      schema: {
        tags: ['auth'],
        summary: '签发机器访问令牌 (admin): for a machine or staff account, limited to scopes like licenses:read; the token is shown once',
        body: z.object({
          name: z.string().trim().min(1).max(80).describe('what the client is, e.g. 凤城街道自助终端 01'),
          username: z.string().min(1).max(64).describe('the account the token acts as'),
          scopes: z.array(z.string().regex(/^[a-z][a-z0-9-]*:(read|write)$/)).min(1).max(50),
          validDays: z.number().int().min(1).max(API_TOKEN_MAX_DAYS),
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await createApiToken(app.db, requirePrincipal(req), req.body, knownScopes(), app.config.now())),
  );

  app.post(
    '/api-tokens/:id/revoke',
    { config: admins, schema: { tags: ['auth'], summary: '吊销机器访问令牌 (admin)', params: z.object({ id: z.string().max(64) }) } },
    async (req) => revokeApiToken(app.db, requirePrincipal(req), req.params.id, app.config.now()),
  );
};
