/**
 * Tamper evidence of the application history: events are append-only (the database refuses
 * UPDATE and DELETE), and hash-chained, so a row changed by someone who bypasses the trigger is
 * found by the chain check, which names the first broken link.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { testBackends } from '../../db/testing.js';
import { upsertItems } from '../catalog/service.js';
import { verifyEventChains } from './events.js';

const ITEM = { code: 'TEST-CHAIN', name: '链测试事项', type: '01' as const, departmentCode: 'QC-SPJ', reviewDepartmentCode: 'QC-ZJJ', decisionDepartmentCode: 'QC-SPJ', statutoryLimitDays: 20, committedLimitDays: 5, projectType: 'commitment' as const, onlineDepth: 'IV' as const, requiredVisits: 0, serviceObjects: ['1', '2'] };

describe.each(testBackends())('application history chain on %s', (backend) => {
  let t: TestApp;
  let id: string;
  beforeAll(async () => {
    t = await startTestApp(backend);
    await upsertItems(t.database.db, [ITEM]);
    const [citizen, clerk, reviewer] = await Promise.all(['citizen', 'clerk', 'reviewer'].map((u) => t.login(u)));
    id = (await t.call('POST', '/api/v1/applications', citizen, { itemCode: ITEM.code, form: {}, materials: [] }, { 'idempotency-key': crypto.randomUUID() })).json().id;
    await t.call('POST', `/api/v1/applications/${id}/actions/accept`, clerk, { version: 1 });
    await t.call('POST', `/api/v1/applications/${id}/actions/review`, reviewer, { version: 2, comment: '同意' });
  });
  afterAll(async () => t?.close());

  it('chains every event and finds every chain intact', async () => {
    const r = await verifyEventChains(t.database.db);
    expect(r.broken).toEqual([]);
    expect(r.events).toBeGreaterThanOrEqual(3);
  });

  it('refuses to update or delete an event', async () => {
    await expect(t.database.db.execute(sql`UPDATE application_events SET comment = 'x' WHERE application_id = ${id}`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`DELETE FROM application_events WHERE application_id = ${id}`)).rejects.toThrow();
  });

  it('names the first broken link when a stored event is altered behind the platform\'s back', async () => {
    // a superuser can bypass triggers (replica mode); the chain still shows it
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`UPDATE application_events SET comment = '材料齐全（事后改写）' WHERE application_id = ${id} AND seq = 3`);
    });
    const r = await verifyEventChains(t.database.db);
    expect(r.broken).toEqual([{ applicationId: id, seq: 3, problem: 'hash' }]);
  });
});
