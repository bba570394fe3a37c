/**
 * Idempotency keys on creates other than applications (here: an agent authorisation): a retry
 * never creates twice, also concurrently; another body under the same key is refused; a failed
 * first request frees its key.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/app.js';
import { testBackends } from '../db/testing.js';

describe.each(testBackends())('idempotency keys on %s', (backend) => {
  let t: TestApp;
  let citizen: string;
  beforeAll(async () => {
    t = await startTestApp(backend);
    citizen = await t.login('citizen');
  });
  afterAll(async () => t?.close());

  const authorize = (key: string, body: object = { agentUsername: 'agent', itemCodes: [], validTo: '2026-12-31' }) => t.call('POST', '/api/v1/authorizations', citizen, body, { 'idempotency-key': key });
  const count = async () => (await t.call('GET', '/api/v1/authorizations', citizen)).json().items.length;

  it('answers a retry with the first answer and creates once', async () => {
    const before = await count();
    const first = await authorize('key-retry-0001');
    const again = await authorize('key-retry-0001');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await count()).toBe(before + 1);
  });

  it('creates once under concurrent retries', async () => {
    const before = await count();
    const all = await Promise.all(Array.from({ length: 6 }, () => authorize('key-burst-0001')));
    const created = all.filter((r) => r.statusCode === 201);
    // the others are replays of the same answer, or were told the first is still running
    expect(all.every((r) => r.statusCode === 201 || (r.statusCode === 409 && r.json().error.code === 'IDEMPOTENCY_IN_PROGRESS'))).toBe(true);
    expect(new Set(created.map((r) => r.json().id)).size).toBe(1);
    expect(await count()).toBe(before + 1);
  });

  it('refuses the same key with another body, and frees the key of a failed request', async () => {
    await authorize('key-reuse-0001');
    const other = await authorize('key-reuse-0001', { agentUsername: 'agent', itemCodes: [], validTo: '2026-12-30' });
    expect([other.statusCode, other.json().error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    const failed = await authorize('key-failed-0001', { agentUsername: 'nobody', itemCodes: [], validTo: '2026-12-31' });
    expect(failed.statusCode).toBe(422);
    expect((await authorize('key-failed-0001')).statusCode).toBe(201);
  });

  it('never reuses the key of a request the server did not finish: the outcome is unknown', async () => {
    // a server killed after the create committed but before the answer was recorded: the claim
    // (made at 10:00) stays unanswered
    t.setNow('2026-09-30T02:00:00Z');
    expect((await authorize('key-killed-0001')).statusCode).toBe(201);
    await t.database.db.execute(sql`UPDATE idempotency_records SET status_code = NULL, response = NULL WHERE key = 'key-killed-0001'`);
    const before = await count();
    // within the first minute it may still be running
    t.setNow('2026-09-30T02:00:59Z');
    expect((await authorize('key-killed-0001')).json().error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    // after 60 s it is taken as interrupted, and still never creates a second time
    t.setNow('2026-09-30T02:01:01Z');
    const late = await authorize('key-killed-0001');
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'IDEMPOTENCY_OUTCOME_UNKNOWN']);
    expect(await count()).toBe(before);
  });
});
