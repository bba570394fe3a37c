/**
 * The audit log of state changes outside application histories: licence status changes, seal
 * rotation, catalogue saves are appended to per-record hash chains; the log refuses changes;
 * an event altered behind the trigger is found, with its stream and seq.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { testBackends } from '../../db/testing.js';
import { auditTrail, verifyAuditChains } from './service.js';

describe.each(testBackends())('audit log on %s', (backend) => {
  let t: TestApp;
  let admin: string;
  let licenseId: string;
  beforeAll(async () => {
    t = await startTestApp(backend);
    admin = await t.login('admin');
    const wallet = (await t.call('GET', '/api/v1/licenses/mine', await t.login('citizen'))).json().items;
    const hr = wallet.find((l: { type: string }) => l.type === 'household_register');
    licenseId = hr.id;
    await t.call('POST', `/api/v1/licenses/${hr.identifier}/status`, admin, { status: 'suspended', reason: '户籍信息核查中' });
    await t.call('POST', `/api/v1/licenses/${hr.identifier}/status`, admin, { status: 'valid', reason: '' });
    await t.call('POST', '/api/v1/seals/QC-SPJ/rotate', admin);
  });
  afterAll(async () => t?.close());

  it('records each change with who made it, chained per record', async () => {
    const trail = await auditTrail(t.database.db, `license:${licenseId}`);
    expect(trail.map((e) => [e.seq, e.kind, e.actorName])).toEqual([
      [1, 'license.imported', '系统'],
      [2, 'license.suspended', '系统管理员'],
      [3, 'license.valid', '系统管理员'],
    ]);
    expect((await auditTrail(t.database.db, 'seal:QC-SPJ')).map((e) => e.kind)).toEqual(['seal.rotated', 'seal.made']);
    expect((await auditTrail(t.database.db, 'catalog')).length).toBeGreaterThanOrEqual(1);
    expect((await verifyAuditChains(t.database.db)).broken).toEqual([]);
  });

  it('refuses changes to the log, and finds an event altered behind the trigger', async () => {
    for (const table of ['audit_events', 'application_events']) {
      await expect(t.database.db.execute(sql.raw(`DELETE FROM ${table}`)), `DELETE ${table}`).rejects.toMatchObject({ cause: { message: `table ${table} is append-only` } });
      await expect(t.database.db.execute(sql.raw(`UPDATE ${table} SET seq = seq`)), `UPDATE ${table}`).rejects.toMatchObject({ cause: { message: `table ${table} is append-only` } });
      await expect(t.database.db.execute(sql.raw(`TRUNCATE ${table}`)), `TRUNCATE ${table}`).rejects.toMatchObject({ cause: { message: `table ${table} is append-only` } });
    }
    await t.database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`UPDATE audit_events SET payload = jsonb_set(payload, '{reason}', '"无"') WHERE stream = ${`license:${licenseId}`} AND seq = 2`);
    });
    expect((await verifyAuditChains(t.database.db)).broken).toEqual([{ stream: `license:${licenseId}`, seq: 2, problem: 'hash' }]);
  });
});
