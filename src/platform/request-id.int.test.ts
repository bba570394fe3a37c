/**
 * Request ids and what an error answer may carry: every answer has an `X-Request-Id` (the
 * caller's when it is a plain token, else a new UUID), every log line of a request carries the
 * same id, and a 500 answers the platform's error body without the error's message or stack.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/index.js';
import { openTestDatabase } from '../db/testing.js';
import { createUser } from '../modules/identity/service.js';
import { requestId } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestId', () => {
  it("keeps a caller's plain token of up to 64 characters", () => {
    expect(requestId({ headers: { 'x-request-id': 'lb-7f3a.9_Z' } })).toBe('lb-7f3a.9_Z');
    expect(requestId({ headers: { 'x-request-id': 'a'.repeat(64) } })).toBe('a'.repeat(64));
  });

  it('replaces a missing, empty, too long or unsafe one with a random UUID', () => {
    for (const given of [undefined, '', 'a'.repeat(65), 'abc def', 'x\n{"level":60}', '<script>', 'id-1, id-2', '请求1']) {
      const id = requestId({ headers: given === undefined ? {} : { 'x-request-id': given } });
      expect(id).toMatch(UUID);
    }
    expect(requestId({ headers: {} })).not.toBe(requestId({ headers: {} }));
  });
});

describe('request ids and error answers over HTTP', () => {
  let database: Database;
  let app: FastifyInstance;
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    app = await buildApp({ ...loadConfig({}), webDist: null }, database, { logger: { level: 'info', stream } });
    // a handler that fails the way a bug does: an error whose message carries internal detail
    app.get('/test/failure', async () => {
      throw new Error('insert into people failed: secret-detail-7');
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });
  beforeEach(() => {
    lines.length = 0;
  });

  it("echoes the caller's X-Request-Id", async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-request-id': 'edge-42.a_b' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('edge-42.a_b');
  });

  it('generates a UUID when there is none or it is not a plain token', async () => {
    const a = await app.inject({ method: 'GET', url: '/api/v1/health' });
    const b = await app.inject({ method: 'GET', url: '/api/v1/health' });
    const c = await app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-request-id': 'x'.repeat(65) } });
    const d = await app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-request-id': 'evil"}\u0085' } });
    for (const r of [a, b, c, d]) expect(r.headers['x-request-id']).toMatch(UUID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('answers the id on errors too: not found, refused before routing, unauthenticated', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/v1/no-such-thing', headers: { 'x-request-id': 'r-404' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-request-id']).toBe('r-404');
    const badUrl = await app.inject({ method: 'GET', url: '/api/v1/items/%E0%A4%A', headers: { 'x-request-id': 'r-400' } });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json().error.code).toBe('BAD_REQUEST');
    expect(badUrl.headers['x-request-id']).toBe('r-400');
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/applications', headers: { 'x-request-id': 'r-401' } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['x-request-id']).toBe('r-401');
  });

  it('answers a 500 with the error code only: no message, no stack; and logs it under the request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/failure', headers: { 'x-request-id': 'trace-500' } });
    expect(res.statusCode).toBe(500);
    expect(res.headers['x-request-id']).toBe('trace-500');
    expect(res.json()).toEqual({ error: { code: 'INTERNAL_ERROR', message: '系统内部错误，已记录' } });
    expect(res.body).not.toMatch(/secret-detail-7|insert into|\bat .*\.(ts|js):\d+|stack/);

    // incoming request, the logged error, request completed: each line carries the request's id
    expect(lines.map((l) => l.msg)).toEqual(['incoming request', 'unhandled error', 'request completed']);
    for (const l of lines) expect(l.reqId).toBe('trace-500');
    expect(lines[1]).toMatchObject({ level: 50, error: { type: 'Error', message: 'insert into people failed: secret-detail-7' } });
    // the stack's frames are in the log (never in the answer), without repeating the message
    const frames = (lines[1]!.error as { frames: string[] }).frames;
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) expect(f).toMatch(/^at /);
  });

  it('logs every line of an ordinary request with its generated id', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
    const id = res.headers['x-request-id'];
    expect(id).toMatch(UUID);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l.reqId).toBe(id);
  });
});

describe('security headers over plain HTTP and behind TLS', () => {
  it('asks browsers to upgrade to HTTPS and pin it only when served behind TLS', async () => {
    for (const secure of [false, true]) {
      const database = await openTestDatabase('pglite');
      const app = await buildApp({ ...loadConfig({}), secureCookies: secure, webDist: null }, database, { logger: false });
      const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
      const csp = String(res.headers['content-security-policy']);
      expect(csp.includes('upgrade-insecure-requests'), `secure=${secure}`).toBe(secure);
      expect(res.headers['strict-transport-security'] !== undefined, `secure=${secure}`).toBe(secure);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      // the bearer scheme's name is case-insensitive (RFC 9110 §11.1): a lowercase one signs in too
      await createUser(database.db, { username: 'case-test', password: 'case-test-password', displayName: 'case-test', kind: 'staff', roles: ['clerk'] });
      const { token } = (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'case-test', password: 'case-test-password' } })).json();
      for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
        const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `${scheme} ${token}` } });
        expect([me.statusCode, me.json().user?.username], scheme).toEqual([200, 'case-test']);
      }
      await app.close();
      await database.close();
    }
  });
});
