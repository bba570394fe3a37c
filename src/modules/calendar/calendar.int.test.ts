import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { upsertItems } from '../catalog/service.js';

describe.each(testBackends())('calendar API on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  it('counts working days on the official 2026 arrangement', async () => {
    const r = await t.call('GET', '/api/v1/calendar/working-days?from=2026-09-30&days=5');
    expect(r.json()).toEqual({ date: '2026-10-13', provisional: false });
    expect((await t.call('GET', '/api/v1/calendar/working-days?from=2026-09-28&days=5')).json().date).toBe('2026-10-10');
    const bad = await t.call('GET', '/api/v1/calendar/working-days?from=2026-02-30&days=5');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_ERROR');
  });

  it('lists a year and says whether it is published', async () => {
    const y2026 = (await t.call('GET', '/api/v1/calendar/2026')).json();
    expect(y2026.published).toBe(true);
    expect(y2026.holidays).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-07', '2026-02-15']));
    expect(y2026.workdays).toEqual(expect.arrayContaining(['2026-10-10', '2026-02-14', '2026-02-28']));
    const y2027 = (await t.call('GET', '/api/v1/calendar/2027')).json();
    expect(y2027).toMatchObject({ year: 2027, published: false, workdays: [] });
    expect(y2027.holidays).toEqual(expect.arrayContaining(['2027-01-01', '2027-02-06', '2027-10-03']));
  });

  it('lets an administrator enter a new year, and recomputes provisional due dates', async () => {
    await upsertItems(
      t.database.db,
      [{ code: 'TEST-CAL-3D', name: '测试事项（3个工作日）', type: '01', departmentCode: 'QC-SPJ', reviewDepartmentCode: 'QC-ZJJ', decisionDepartmentCode: 'QC-SPJ', statutoryLimitDays: 20, committedLimitDays: 3, projectType: 'commitment', onlineDepth: 'IV', requiredVisits: 0, serviceObjects: ['1'], materials: [] }]);
    t.setNow('2026-12-30T02:00:00Z');
    const citizen = await t.login('citizen');
    const clerk = await t.login('clerk');
    const admin = await t.login('admin');
    const { id } = (await t.call('POST', '/api/v1/applications', citizen, { itemCode: 'TEST-CAL-3D', form: {}, materials: [] }, { 'idempotency-key': crypto.randomUUID() })).json();
    // 12-31 (1); 2027 unpublished, its statutory holidays known: 01-01 元旦 off, 01-04 Mon (2), 01-05 (3)
    const accepted = (await t.call('POST', `/api/v1/applications/${id}/actions/accept`, clerk, { version: 1 })).json();
    expect(accepted.dueDate).toBe('2027-01-05');
    expect((await t.call('GET', `/api/v1/applications/${id}`, clerk)).json().dueDateProvisional).toBe(true);

    const body = { holidays: ['2027-01-01'], workdays: ['2027-01-02'], source: '测试：假定的2027年元旦安排（1月2日周六上班）' };
    expect((await t.call('PUT', '/api/v1/calendar/2027', clerk, body)).statusCode).toBe(403);
    const bad = await t.call('PUT', '/api/v1/calendar/2027', admin, { ...body, workdays: ['2026-12-31'] });
    expect(bad.json().error).toEqual({ code: 'CALENDAR_INVALID', message: '节假日安排有误：2026-12-31 不是 2027 年的日期' });
    // 2027-01-05 is a Tuesday: not an adjusted (weekend) working day
    expect((await t.call('PUT', '/api/v1/calendar/2027', admin, { ...body, workdays: ['2027-01-05'] })).json().error.code).toBe('CALENDAR_INVALID');
    // a published year is not overwritten by accident
    const past = await t.call('PUT', '/api/v1/calendar/2025', admin, { holidays: [], workdays: [], source: '误操作' });
    expect(past.statusCode).toBe(409);
    expect(past.json().error.code).toBe('CALENDAR_YEAR_PUBLISHED');
    expect((await t.call('GET', '/api/v1/calendar/working-days?from=2025-09-30&days=1')).json().date).toBe('2025-10-09');
    const put = await t.call('PUT', '/api/v1/calendar/2027', admin, body);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ year: 2027, published: true, recomputed: { checked: 1, changed: 1 } });
    // 12-31 (1), 01-02 Saturday now worked (2), 01-04 (3)
    const after = (await t.call('GET', `/api/v1/applications/${id}`, clerk)).json();
    expect(after).toMatchObject({ dueDate: '2027-01-04', dueDateProvisional: false });
    expect((await t.call('GET', '/api/v1/calendar/working-days?from=2026-12-31&days=1')).json()).toEqual({ date: '2027-01-02', provisional: false });
  });
});
