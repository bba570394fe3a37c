/**
 * The PostgreSQL server going away and coming back, with the app running: a TCP proxy between the
 * pool and the server is closed (every connection cut, new ones refused) and reopened. While it
 * is closed requests answer 503 DATABASE_UNAVAILABLE with Retry-After, the health check answers
 * 503 at once, and nothing reaches the process as an unhandled error; once it is open again the
 * same app answers 200 without a restart.
 *
 * PostgreSQL only (PGlite runs in-process and cannot be cut off): skipped when DATABASE_URL is unset.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { seedReference } from '../seed.js';
import { isDatabaseUnavailable, openDatabase, type Database } from './index.js';
import { testBackends } from './testing.js';

/** A TCP proxy to `target` that can be shut (cutting every connection) and opened again on the same port. */
class TcpProxy {
  port = 0;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Stops every byte in both directions without closing anything (a stalled network); `resume` undoes it. */
  stall(): void {
    for (const s of this.sockets) s.pause();
  }
  resume(): void {
    for (const s of this.sockets) s.resume();
  }

  /** Stops listening (new connections are refused) and cuts every open connection. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const adminUrl = process.env.DATABASE_URL;

describe.skipIf(!testBackends().includes('postgres'))('PostgreSQL unreachable and back', () => {
  const name = `ow_test_${crypto.randomBytes(6).toString('hex')}`;
  let proxy: TcpProxy;
  let database: Database;
  let app: FastifyInstance;
  const uncaught: unknown[] = [];
  const record = (err: unknown) => uncaught.push(err);

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const direct = new URL(adminUrl!);
    direct.pathname = `/${name}`;
    // migrate and seed straight to the server; the app goes through the proxy
    const setup = await openDatabase({ databaseUrl: direct.toString(), poolSize: 2 });
    await setup.migrate();
    await seedReference(setup.db);
    await setup.close();

    proxy = new TcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    await proxy.open();
    const viaProxy = new URL(direct);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    database = await openDatabase({ databaseUrl: viaProxy.toString(), poolSize: 4, connectTimeoutMs: 1_000 });
    app = await buildApp({ ...loadConfig({}), webDist: null }, database);
    await app.ready();
    process.on('uncaughtException', record);
    process.on('unhandledRejection', record);
  });

  afterAll(async () => {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
    await app?.close();
    await database?.close();
    await proxy?.close();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  const item = (lang = 'zh-CN') => app.inject({ method: 'GET', url: '/api/v1/items/QC-SPJ-004', headers: { 'accept-language': lang } });

  it('answers 503 with Retry-After while the server is unreachable, and 200 again once it is back', async () => {
    const before = await item();
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ code: 'QC-SPJ-004', name: '占用、挖掘城市道路审批' });
    const healthy = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(healthy.statusCode).toBe(200);
    expect(healthy.json()).toMatchObject({ status: 'ok', database: 'postgres', databaseUp: true });

    // A transaction holds a connection between two queries when the server goes away: its next
    // query fails with a connection error, and no `error` event escapes to the process.
    let cut!: () => void;
    const proxyCut = new Promise<void>((resolve) => (cut = resolve));
    const inFlight = database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1`);
      await proxyCut;
      await new Promise((r) => setTimeout(r, 100));
      await tx.execute(sql`SELECT 1`);
    });
    await new Promise((r) => setTimeout(r, 50));
    await proxy.close();
    cut();
    const lost = await inFlight.then(
      () => null,
      (e: unknown) => e,
    );
    expect(lost).not.toBeNull();
    expect(isDatabaseUnavailable(lost)).toBe(true);

    const down = await item();
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(down.json()).toEqual({ error: { code: 'DATABASE_UNAVAILABLE', message: '数据库暂不可用，请稍后再试' } });
    expect((await item('en')).json()).toEqual({ error: { code: 'DATABASE_UNAVAILABLE', message: 'The database is unavailable, try again later' } });
    // a write goes the same way (the login looks the account up)
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'citizen', password: 'onewindow-demo' } });
    expect(login.statusCode).toBe(503);
    expect(login.json().error.code).toBe('DATABASE_UNAVAILABLE');

    const started = Date.now();
    const health = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(health.statusCode).toBe(503);
    expect(health.headers['retry-after']).toBe('5');
    expect(health.json()).toMatchObject({ status: 'degraded', database: 'postgres', databaseUp: false });

    await proxy.open();
    const after = await item();
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ code: 'QC-SPJ-004' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).json()).toMatchObject({ status: 'ok', databaseUp: true });
    expect(uncaught).toEqual([]);
  });

  it('recovers again after a second outage, with idle connections cut while pooled', async () => {
    // fill the pool with idle connections, then cut them all
    await Promise.all([item(), item(), item(), item()]);
    await proxy.close();
    await new Promise((r) => setTimeout(r, 50));
    const down = await item();
    expect(down.statusCode).toBe(503);
    expect(down.json().error.code).toBe('DATABASE_UNAVAILABLE');
    await proxy.open();
    const statuses = (await Promise.all([item(), item(), item(), item(), item(), item()])).map((r) => r.statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(uncaught).toEqual([]);
  });

  it('fails a query on a stalled connection after the query timeout, as unavailable, instead of hanging', async () => {
    const viaProxy = new URL(adminUrl!);
    viaProxy.pathname = `/${name}`;
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const short = await openDatabase({ databaseUrl: viaProxy.toString(), poolSize: 1, connectTimeoutMs: 1_000, queryTimeoutMs: 500 });
    try {
      await short.db.execute(sql`SELECT 1`); // the one connection is open
      proxy.stall();
      const started = Date.now();
      const err = await short.db.execute(sql`SELECT 1`).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(err)).toBe(true);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      proxy.resume();
      await short.close();
    }
  });
});
