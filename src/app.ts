/**
 * buildApp: the Fastify instance of the platform, without listening — the CLI's `serve` and the
 * tests both use it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyError, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { isDatabaseUnavailable, type Database, type Db } from './db/index.js';
import { requestToken } from './platform/auth.js';
import { enforcePolicy, registerPolicy, type PolicyRow } from './platform/policy.js';
import { AppError, pickLang, translate, type ErrorCode, type Params } from './platform/errors.js';
import { findUnstorable } from './platform/input-hygiene.js';
import { piiVaultFor, usePiiVault } from './platform/pii-vault.js';
import { REQUEST_ID_HEADER, requestId } from './platform/request-id.js';
import { registerIdempotency } from './platform/idempotency.js';
import { shanghaiDate } from './platform/calendar.js';
import { describeIssue } from './platform/validation-messages.js';
import { applicationRoutes } from './modules/applications/routes.js';
import { calendarRoutes } from './modules/calendar/routes.js';
import { setClockConvention } from './modules/calendar/service.js';
import { catalogRoutes } from './modules/catalog/routes.js';
import { findPrincipalByToken } from './modules/identity/service.js';
import { identityRoutes } from './modules/identity/routes.js';
import { oidcRoutes } from './modules/identity/oidc-routes.js';
import { orgRoutes } from './modules/org/routes.js';
import { agencyRoutes } from './modules/agency/routes.js';
import { chiefRepresentativeRoutes } from './modules/chief-representatives/routes.js';
import { commitmentRoutes } from './modules/commitments/routes.js';
import { documentRoutes } from './modules/documents/routes.js';
import { sealRoutes } from './modules/seals/routes.js';
import { licenseRoutes } from './modules/licenses/routes.js';
import { statsRoutes } from './modules/stats/routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    database: Database;
    config: Config;
    /** every /api/ route with its policy (method, URL, roles, data scope) */
    policyTable: PolicyRow[];
  }
}

function sendError(reply: FastifyReply, lang: ReturnType<typeof pickLang>, code: ErrorCode, status: number, params: Params = {}) {
  // nosniff also on errors raised before routing (a bad URL encoding), where helmet's hook never ran
  return reply.code(status).header('x-content-type-options', 'nosniff').send({ error: { code, message: translate(code, lang, params) } });
}

/**
 * Builds the platform's HTTP application over an open database.
 * @param config runtime configuration (see config.ts)
 * @param database an opened, migrated database
 * @param opts.logger pino options or false
 */
/** The host of an Origin header, or null for `null` and anything unparsable (never equal to a Host). */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}

export async function buildApp(config: Config, database: Database, opts: { logger?: boolean | object } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    routerOptions: { maxParamLength: 500 },
    // Errors raised before routing (bad URL, bad encoding) keep the platform's error shape.
    frameworkErrors: (err, req, reply) => {
      const lang = pickLang(req.headers['accept-language']);
      reply.header(REQUEST_ID_HEADER, req.id);
      return sendError(reply as FastifyReply, lang, 'BAD_REQUEST', 400, { detail: { 'zh-CN': '请求地址或参数格式有误', en: err.message } });
    },
    // A request line Node cannot parse (e.g. raw non-ASCII bytes): answered before Fastify sees it.
    clientErrorHandler: (_err, socket) => {
      const body = JSON.stringify({ error: { code: 'BAD_REQUEST', message: translate('BAD_REQUEST', 'zh-CN', { detail: '请求行无法解析（地址中的中文须经 URL 编码）' }) } });
      if (socket.writable) socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\nx-content-type-options: nosniff\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    },
    // X-Forwarded-For is believed only behind a configured proxy: otherwise a client could pick
    // its own address and slip past the per-address limits (login, verification)
    trustProxy: config.trustProxy,
    // Every request has an id: the caller's X-Request-Id when it is a plain token, else a UUID;
    // answered in X-Request-Id (hook below) and written into every log line of the request as
    // `reqId` (Fastify's default label). The header is read by genReqId, never taken unchecked.
    genReqId: requestId,
    requestIdHeader: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.addHook('onRequest', async (req, reply) => {
    reply.header(REQUEST_ID_HEADER, req.id);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  setClockConvention(config.clockConvention);
  // the keyring that seals ID numbers and phones at rest (ONEWINDOW_PII_KEYS, else derived from the master key)
  usePiiVault(piiVaultFor(config));
  app.decorate('db', database.db);
  app.decorate('database', database);
  app.decorate('config', config);

  await app.register(cookie);
  // Limits are declared per route (login); in-process counters — several nodes each count alone.
  await app.register(rateLimit, { global: false, hook: 'preHandler' });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        // only behind TLS: over plain HTTP (a hall's intranet address) it would send the page's own
        // scripts to https:// and leave it blank
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    // HSTS likewise only when served over TLS
    strictTransportSecurity: config.secureCookies,
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'OneWindow API',
        description: '清城区政务服务一体化平台 public HTTP API, version 1 (see docs/api-v1.md)',
        version: '1.0.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // JSON only: a text/plain body is refused with 415 rather than validated as a string.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const bearer = /^bearer /i.test(req.headers.authorization ?? '');
    const token = requestToken(req);
    // A write authenticated by the session cookie must come from this site (CSRF defence beside
    // SameSite=Strict): browsers name the sending page in Origin and say whether it is this site
    // in Sec-Fetch-Site; a cookie write carrying neither is not from our pages and is refused.
    if (token && !bearer && !['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      const origin = req.headers.origin;
      const site = req.headers['sec-fetch-site'];
      if (origin === undefined && site === undefined) throw new AppError('CROSS_SITE_REQUEST');
      if (origin !== undefined && originHost(origin) !== req.host) throw new AppError('CROSS_SITE_REQUEST');
      if (site !== undefined && site !== 'same-origin') throw new AppError('CROSS_SITE_REQUEST');
    }
    if (token) req.principal = await findPrincipalByToken(database.db, token, config.now());
    enforcePolicy(req);
  });

  app.addHook('preValidation', async (req) => {
    const bad = findUnstorable(req.query, 'query') ?? findUnstorable(req.params, 'params') ?? findUnstorable(req.body, 'body');
    if (bad) {
      const what = { nul: { 'zh-CN': '含有空字符 U+0000', en: 'contains a NUL character' }, surrogate: { 'zh-CN': '含有无效的 Unicode 字符', en: 'contains an invalid Unicode character' }, depth: { 'zh-CN': '嵌套层级过深', en: 'is nested too deeply' } }[bad.problem];
      throw new AppError('VALIDATION_ERROR', { detail: { 'zh-CN': `${bad.path} ${what['zh-CN']}`, en: `${bad.path} ${what.en}` } });
    }
  });

  registerIdempotency(app, database.db, config.now);
  const policyTable: PolicyRow[] = [];
  app.decorate('policyTable', policyTable);
  registerPolicy(app, policyTable);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const lang = pickLang(req.headers['accept-language']);
    if (err instanceof AppError) {
      if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
      return sendError(reply, lang, err.code, err.status, err.params);
    }
    // The database server is unreachable (down, restarting, network): the client retries later;
    // the pool reconnects by itself once the server answers again.
    if (isDatabaseUnavailable(err)) {
      const why = (err as { cause?: { code?: string; message?: string } }).cause;
      req.log.warn({ error: { type: err.name, code: err.code ?? why?.code, cause: why?.message?.split('\n')[0]?.slice(0, 200) } }, 'database unavailable');
      reply.header('Retry-After', '5');
      return sendError(reply, lang, 'DATABASE_UNAVAILABLE', 503);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const detail = (l: 'zh-CN' | 'en') =>
        err.validation
          .map((v) => describeIssue(v.instancePath.replace(/^\//, ''), { ...(v.params as object), code: v.keyword, message: v.message }, l))
          .join(l === 'en' ? '; ' : '；');
      return sendError(reply, lang, 'VALIDATION_ERROR', 400, { detail: { 'zh-CN': detail('zh-CN'), en: detail('en') } });
    }
    if (err.statusCode === 429) return sendError(reply, lang, 'RATE_LIMITED', 429, { after: String(reply.getHeader('retry-after') ?? 60) + (lang === 'en' ? ' s' : ' 秒') });
    if (err.statusCode === 413) return sendError(reply, lang, 'PAYLOAD_TOO_LARGE', 413);
    if (err.statusCode === 415) return sendError(reply, lang, 'UNSUPPORTED_MEDIA_TYPE', 415);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(reply, lang, 'BAD_REQUEST', err.statusCode, { detail: { 'zh-CN': '请求格式有误', en: err.message } });
    }
    // Never log values: a failed query's message carries its parameters (names, ID numbers…).
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    // Logged under `error`, not `err`: pino's err serializer would rename the type to "Object".
    // The stack's frames are kept (they carry no values); its first line repeats the message.
    const frames = String(err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 15).map((l) => l.trim());
    req.log.error({ error: { type: err.name, code: err.code ?? cause?.code, message: String(err.message).split('\n')[0]!.slice(0, 500), cause: cause?.message?.split('\n')[0], frames } }, 'unhandled error');
    return sendError(reply, lang, 'INTERNAL_ERROR', 500);
  });

  await app.register(
    async (api) => {
      api.get('/health', { config: { policy: { allow: 'anyone', scope: 'public' } }, schema: { tags: ['platform'], summary: '健康检查 (health)' } }, async (_req, reply) => {
        const ok = await database.ping();
        if (!ok) reply.code(503).header('Retry-After', '5');
        const now = config.now();
        // the platform's clock: clients colour deadlines by the platform's today, not their own
        return { status: ok ? 'ok' : 'degraded', database: database.kind, databaseUp: ok, now: now.toISOString(), today: shanghaiDate(now) };
      });
      await api.register(identityRoutes);
      await api.register(oidcRoutes);
      await api.register(orgRoutes);
      await api.register(catalogRoutes);
      await api.register(applicationRoutes);
      await api.register(calendarRoutes);
      await api.register(documentRoutes);
      await api.register(sealRoutes);
      await api.register(chiefRepresentativeRoutes);
      await api.register(agencyRoutes);
      await api.register(commitmentRoutes);
      await api.register(licenseRoutes);
      await api.register(statsRoutes);
    },
    { prefix: '/api/v1' },
  );

  const webDist = config.webDist && fs.existsSync(path.join(config.webDist, 'index.html')) ? config.webDist : null;
  if (webDist) await app.register(fastifyStatic, { root: webDist, wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    const lang = pickLang(req.headers['accept-language']);
    if (req.url.startsWith('/api/') || req.method !== 'GET' || !webDist) return sendError(reply, lang, 'NOT_FOUND', 404);
    // The SPA's own routes (/items/…, /applications/…) are answered with index.html.
    return reply.type('text/html').sendFile('index.html');
  });

  return app;
}
