import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal, requestToken, SESSION_COOKIE } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { errorResponses } from '../../platform/http.js';
import { login, revokeToken, SESSION_HOURS } from './service.js';

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

export const identityRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: '登录 (sign in): bearer token, and the HttpOnly cookie ow_session',
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
        response: { 200: z.object({ token: z.string(), user: User, expiresAt: z.string() }), ...errorResponses },
      },
      config: {
        policy: { allow: 'anyone', scope: 'public' },
        // Password guessing: 10 attempts a minute per address and account name.
        rateLimit: {
          max: LOGIN_ATTEMPTS_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (req) => `${req.ip}|${String((req.body as { username?: unknown } | undefined)?.username ?? '').slice(0, 64)}`,
          errorResponseBuilder: (_req, ctx) => new AppError('LOGIN_THROTTLED', { after: { 'zh-CN': `${Math.ceil(ctx.ttl / 1000)} 秒`, en: `${Math.ceil(ctx.ttl / 1000)} s` } }),
        },
      },
    },
    async (req, reply) => {
      const { token, user, expiresAt } = await login(app.db, req.body.username, req.body.password, app.config.now());
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: app.config.secureCookies,
        path: '/',
        maxAge: SESSION_HOURS * 3600,
      });
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
};
