/**
 * The dashboard's metrics on a small hand-made set of cases whose every figure is worked out
 * below by hand from the definitions (docs/metrics.md), on every backend: the summary, the
 * breakdowns, the drill-down list, the Excel export, the public screen, the scopes, and a real
 * case moving the figures through the HTTP lifecycle.
 *
 * The clock is 2026-09-30 10:00 Asia/Shanghai (02:00Z). Departments: A = QC-SPJ, B = QC-SJJ.
 *
 * | case | dept | channel | submitted (Shanghai) | fate | due | rating |
 * |---|---|---|---|---|---|---|
 * | C1 | A | window | 09-01 | accepted 09-01, granted 09-03, delivered 09-04 | 09-08 | 5 |
 * | C2 | A | online | 09-02 | accepted 09-02, granted 09-10 (late), delivered 09-11 | 09-09 | 4 |
 * | C3 | A | mobile | 09-03 | accepted 09-03, granted 09-04, delivered 09-05 | 09-10 | none → default 满意 (delivered 25 days ago) |
 * | C4 | A | kiosk | 09-04 | accepted 09-04, denied 09-05, delivered 09-06 | 09-11 | 1 |
 * | C5 | B | window | 09-07 | deemed accepted 09-14 (art. 32), open | 09-20 | overdue now |
 * | C6 | B | online | 09-08 | not accepted (rejected) | – | |
 * | C7 | B | window | 09-09 | accepted 09-09, withdrawn 09-10 | 09-15 | |
 * | C8 | B | window | 09-10 | immediate item: accepted and granted 09-10, delivered 09-10; 2 e-licences for materials | 09-10 | none → default |
 * | C9 | B | online | 09-11 | immediate item: accepted 09-11, granted 09-14 (late), not delivered | 09-11 | |
 * | C10 | B | window, town 441802006 | 09-28 | accepted, open | 09-30 | warning now |
 * | C11 | B | window, town 441802006 | 09-15 | accepted, granted 09-16, delivered 09-25 | 09-20 | none, only 5 days: no default yet |
 * | C12 | B | online | 09-01 01:00 (08-31 17:00Z) | submitted, open | – | |
 * | C13 | B | online | 08-31 23:00 (outside September) | submitted | – | |
 * | C14 | B | window | 09-14 | accepted, special procedure since 09-15 (clock stopped) | 09-18 | not overdue |
 */
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { testItem } from '../../../test/support/items.js';
import { testBackends } from '../../db/testing.js';
import { appendEvent } from '../applications/events.js';
import { applications, decisions } from '../applications/schema.js';
import { upsertItems } from '../catalog/service.js';
import { upsertDepartments } from '../org/service.js';
import { evaluations } from '../evaluations/schema.js';
import { sweepDefaultEvaluations } from '../evaluations/service.js';

const A = 'QC-SPJ';
const B = 'QC-SJJ';
const at = (local: string) => new Date(`2026-${local}+08:00`);

interface Case {
  n: string;
  dept: string;
  channel: 'window' | 'online' | 'kiosk' | 'mobile';
  submitted: string;
  status: string;
  accepted?: string;
  deemed?: boolean;
  decided?: { on: string; outcome: 'granted' | 'denied' };
  delivered?: string;
  due?: string;
  immediate?: boolean;
  rating?: number;
  region?: string;
  licenses?: number;
  paused?: string;
}

const CASES: Case[] = [
  { n: 'C1', dept: A, channel: 'window', submitted: '09-01T09:00:00', status: 'delivered', accepted: '09-01T09:30:00', decided: { on: '09-03T10:00:00', outcome: 'granted' }, delivered: '09-04T10:00:00', due: '2026-09-08', rating: 5 },
  { n: 'C2', dept: A, channel: 'online', submitted: '09-02T09:00:00', status: 'delivered', accepted: '09-02T11:00:00', decided: { on: '09-10T10:00:00', outcome: 'granted' }, delivered: '09-11T10:00:00', due: '2026-09-09', rating: 4 },
  { n: 'C3', dept: A, channel: 'mobile', submitted: '09-03T09:00:00', status: 'delivered', accepted: '09-03T11:00:00', decided: { on: '09-04T10:00:00', outcome: 'granted' }, delivered: '09-05T10:00:00', due: '2026-09-10' },
  { n: 'C4', dept: A, channel: 'kiosk', submitted: '09-04T09:00:00', status: 'delivered', accepted: '09-04T11:00:00', decided: { on: '09-05T10:00:00', outcome: 'denied' }, delivered: '09-06T10:00:00', due: '2026-09-11', rating: 1 },
  { n: 'C5', dept: B, channel: 'window', submitted: '09-07T09:00:00', status: 'accepted', accepted: '09-14T09:00:00', deemed: true, due: '2026-09-20' },
  { n: 'C6', dept: B, channel: 'online', submitted: '09-08T09:00:00', status: 'rejected' },
  { n: 'C7', dept: B, channel: 'window', submitted: '09-09T09:00:00', status: 'withdrawn', accepted: '09-09T10:00:00', due: '2026-09-15' },
  { n: 'C8', dept: B, channel: 'window', submitted: '09-10T09:00:00', status: 'delivered', accepted: '09-10T09:10:00', decided: { on: '09-10T09:40:00', outcome: 'granted' }, delivered: '09-10T10:00:00', due: '2026-09-10', immediate: true, licenses: 2 },
  { n: 'C9', dept: B, channel: 'online', submitted: '09-11T09:00:00', status: 'granted', accepted: '09-11T10:00:00', decided: { on: '09-14T10:00:00', outcome: 'granted' }, due: '2026-09-11', immediate: true },
  { n: 'C10', dept: B, channel: 'window', submitted: '09-28T09:00:00', status: 'accepted', accepted: '09-28T10:00:00', due: '2026-09-30', region: '441802006' },
  { n: 'C11', dept: B, channel: 'window', submitted: '09-15T09:00:00', status: 'delivered', accepted: '09-15T10:00:00', decided: { on: '09-16T10:00:00', outcome: 'granted' }, delivered: '09-25T10:00:00', due: '2026-09-20', region: '441802006' },
  { n: 'C12', dept: B, channel: 'online', submitted: '09-01T01:00:00', status: 'submitted' },
  { n: 'C13', dept: B, channel: 'online', submitted: '08-31T23:00:00', status: 'submitted' },
  { n: 'C14', dept: B, channel: 'window', submitted: '09-14T09:00:00', status: 'accepted', accepted: '09-14T10:00:00', due: '2026-09-18', paused: '2026-09-15' },
];

const SEPTEMBER = 'from=2026-09-01&to=2026-09-30';

describe.each(testBackends())('statistics on %s', (backend) => {
  let t: TestApp;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(backend);
    const db = t.database.db;
    const actor = crypto.randomUUID();
    for (const c of CASES) {
      const id = crypto.randomUUID();
      ids[c.n] = id;
      const last = c.delivered ?? c.decided?.on ?? c.accepted ?? c.submitted;
      await db.insert(applications).values({
        id,
        number: `STATS-TEST-${c.n}`,
        itemCode: c.immediate ? 'TEST-STATS-IMMEDIATE' : 'TEST-STATS',
        itemName: c.immediate ? '统计测试即办事项' : '统计测试事项',
        applicantId: actor,
        applicantName: '测试申请人',
        applicantKind: 'person',
        channel: c.channel,
        status: c.status,
        version: 1,
        form: {},
        materials: Array.from({ length: c.licenses ?? 0 }, (_, i) => ({ materialId: i + 1, licenseId: crypto.randomUUID() })).concat([{ materialId: 9 } as never]),
        departmentCode: c.dept,
        regionCode: c.region ?? '441802',
        reviewDepartmentCode: c.dept,
        decisionDepartmentCode: c.dept,
        committedLimitDays: c.immediate ? 0 : 5,
        committedLimitUnit: c.immediate ? 'same_day' : 'working_day',
        submittedAt: at(c.submitted),
        acceptedAt: c.accepted ? at(c.accepted) : null,
        dueDate: c.due ?? null,
        completedAt: c.decided ? at(c.decided.on) : null,
        updatedAt: at(last),
        idempotencyKey: `stats-${c.n}`,
        requestHash: 'x',
        pauses: c.paused ? [{ kind: 'inspection', from: c.paused, to: null, reason: '现场核查' }] : [],
        delivery: c.delivered ? { method: 'window', deliveredAt: at(c.delivered).toISOString(), byId: actor } : null,
      });
      if (c.deemed) {
        await appendEvent(db, { applicationId: id, seq: 2, action: 'deem_accepted', fromStatus: 'submitted', toStatus: 'accepted', actorId: actor, actorName: '系统', actorRole: 'system', comment: '', createdAt: at(c.accepted!) });
      }
      if (c.decided) {
        await db.insert(decisions).values({ applicationId: id, outcome: c.decided.outcome, decidedAt: at(c.decided.on), departmentCode: c.dept, signerId: actor, document: '{}', digestSm3: 'x', sealId: actor, sealName: 'x', signatureSm2: 'x' });
      }
      if (c.rating) await db.insert(evaluations).values({ id: crypto.randomUUID(), applicationId: id, applicantId: actor, rating: c.rating, createdAt: at(c.delivered!) });
    }
    for (const u of ['admin', 'signatory', 'clerk', 'clerk-fc', 'reviewer', 'citizen']) tok[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  const get = async (url: string, who = 'admin') => {
    const res = await t.call('GET', url, tok[who]);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('records the default rating 满意 for cases delivered 7 days ago and unrated, and only those', async () => {
    // C3 (delivered 09-05) and C8 (09-10); not C11 (09-25: 5 days), not C1/C2/C4 (rated)
    expect(await sweepDefaultEvaluations(t.database.db, new Date('2026-09-30T02:00:00Z'))).toBe(2);
    expect(await sweepDefaultEvaluations(t.database.db, new Date('2026-09-30T02:00:00Z'))).toBe(0);
  });

  it('computes every figure of the September summary as worked out by hand', async () => {
    const s = await get(`/api/v1/stats/summary?${SEPTEMBER}`);
    // C13 was submitted on 08-31 in Shanghai; C12 at 01:00 on 09-01 (still 08-31 in UTC) counts
    expect(s.counts).toMatchObject({
      submitted: 13,
      accepted: 11, // all but C6, C12 (and C13)
      rejected: 1,
      withdrawn: 1,
      decided: 7, // C1 C2 C3 C4 C8 C9 C11
      granted: 6,
      denied: 1,
      delivered: 6,
      inProgress: 4, // C5 C10 C12 C14
      overdue: 1, // C5 (C14's clock is stopped)
      warning: 1, // C10, due today
      licenseFree: 1,
      licenseUses: 2,
      evaluated: 3,
      defaultEvaluated: 2,
    });
    // 办结率 = (decided 7 + withdrawn after acceptance 1) / accepted 11
    expect(s.rates.completion).toEqual({ value: 8 / 11, numerator: 8, denominator: 11 });
    // 按时办结率: late are C2 (09-10 > 09-09) and C9 (09-14 > 09-11)
    expect(s.rates.onTime).toEqual({ value: 5 / 7, numerator: 5, denominator: 7 });
    // 满意率: 5, 4, 1 by applicants and two defaults (满意): satisfied 5, 4, d, d of 5
    expect(s.rates.satisfaction).toEqual({ value: 4 / 5, numerator: 4, denominator: 5 });
    expect(s.rates.explicitSatisfaction).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
    // 即办率: C8 decided on its acceptance day, C9 three days later
    expect(s.rates.immediateHandling).toEqual({ value: 1 / 2, numerator: 1, denominator: 2 });
    // 一窗办理率: C5 was deemed accepted by lapse
    expect(s.rates.singleWindow).toEqual({ value: 10 / 11, numerator: 10, denominator: 11 });
    // online 4 (C2 C6 C9 C12) + mobile 1 (C3) of 13
    expect(s.rates.onlineChannel).toEqual({ value: 5 / 13, numerator: 5, denominator: 13 });
    expect(s.channels).toEqual({ window: 7, online: 4, kiosk: 1, mobile: 1 });
    expect(s.ratings).toEqual({ '1': 1, '2': 0, '3': 0, '4': 1, '5': 1 });
  });

  it('gives department A the issue\'s example: ratings 5, 4, none (default after 7 days), 1 → 75% satisfied', async () => {
    const s = await get(`/api/v1/stats/summary?${SEPTEMBER}&departmentCode=${A}`);
    expect(s.counts.submitted).toBe(4);
    expect(s.rates.satisfaction).toEqual({ value: 0.75, numerator: 3, denominator: 4 });
    expect(s.rates.explicitSatisfaction).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
    expect(s.rates.completion).toEqual({ value: 1, numerator: 4, denominator: 4 });
    expect(s.rates.onTime).toEqual({ value: 0.75, numerator: 3, denominator: 4 });
    // nothing there to be immediate: a rate with no denominator is null, not 0 or 100%
    expect(s.rates.immediateHandling).toEqual({ value: null, numerator: 0, denominator: 0 });
  });

  it('filters by town (the region and below) and by channel', async () => {
    const town = await get(`/api/v1/stats/summary?${SEPTEMBER}&regionCode=441802006`);
    expect(town.counts).toMatchObject({ submitted: 2, accepted: 2, decided: 1, inProgress: 1, overdue: 0, warning: 1 });
    const kiosk = await get(`/api/v1/stats/summary?${SEPTEMBER}&channel=kiosk`);
    expect(kiosk.counts).toMatchObject({ submitted: 1, denied: 1 });
    const august = await get('/api/v1/stats/summary?from=2026-08-01&to=2026-08-31');
    expect(august.counts.submitted).toBe(1); // C13
  });

  it('breaks the figures down by month, department, town and channel', async () => {
    const months = await get('/api/v1/stats/breakdown?by=month&from=2026-08-01&to=2026-09-30');
    expect(months.rows.map((r: { key: string; counts: { submitted: number } }) => [r.key, r.counts.submitted])).toEqual([
      ['2026-08', 1],
      ['2026-09', 13],
    ]);
    const depts = await get(`/api/v1/stats/breakdown?by=department&${SEPTEMBER}`);
    expect(depts.rows.map((r: { key: string; counts: { submitted: number; overdue: number } }) => [r.key, r.counts.submitted, r.counts.overdue])).toEqual([
      [B, 9, 1],
      [A, 4, 0],
    ]);
    expect(depts.rows[1].label).toBe('清远市清城区行政审批局');
    expect(depts.rows[1].rates.satisfaction).toEqual({ value: 0.75, numerator: 3, denominator: 4 });
    const towns = await get(`/api/v1/stats/breakdown?by=town&${SEPTEMBER}`);
    expect(towns.rows.map((r: { key: string; counts: { submitted: number } }) => [r.key, r.counts.submitted])).toEqual([
      ['441802', 11],
      ['441802006', 2],
    ]);
    const items = await get(`/api/v1/stats/breakdown?by=item&${SEPTEMBER}`);
    expect(items.rows.map((r: { key: string; counts: { submitted: number; decided: number } }) => [r.key, r.counts.submitted, r.counts.decided])).toEqual([
      ['TEST-STATS', 11, 5],
      ['TEST-STATS-IMMEDIATE', 2, 2],
    ]);
  });

  it('drills down to the same cases in the case list', async () => {
    const numbers = async (query: string) =>
      (await get(`/api/v1/applications?pageSize=100&${query}`, 'clerk')).items.map((x: { number: string }) => x.number).sort();
    expect(await numbers('clock=overdue')).toEqual(['STATS-TEST-C5']);
    expect(await numbers('clock=warning')).toEqual(['STATS-TEST-C10']);
    expect(await numbers(`${SEPTEMBER}&channel=kiosk`)).toEqual(['STATS-TEST-C4']);
    expect(await numbers('from=2026-08-31&to=2026-08-31')).toEqual(['STATS-TEST-C13']);
    expect(await numbers(`${SEPTEMBER}&departmentCode=${A}`)).toEqual(['STATS-TEST-C1', 'STATS-TEST-C2', 'STATS-TEST-C3', 'STATS-TEST-C4']);
    for (const q of ['from=2026-02-30', 'from=0001-01-01', 'to=9999-12-31', 'from=2026-12-01&to=2026-01-01']) {
      const res = await t.call('GET', `/api/v1/applications?${q}`, tok.clerk);
      expect([res.statusCode, res.json().error.code], q).toEqual([400, 'STATS_RANGE_INVALID']);
    }
    for (const q of ['by=item&to=9999-12-31', 'by=month&from=0001-01-01']) {
      const res = await t.call('GET', `/api/v1/stats/breakdown?${q}`, tok.admin);
      expect([res.statusCode, res.json().error.code], q).toEqual([400, 'STATS_RANGE_INVALID']);
    }
  });

  it('exports every table to Excel with the figures and their formulas', async () => {
    const res = await t.call('GET', `/api/v1/stats/export.xlsx?${SEPTEMBER}`, tok.admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['汇总', '按月', '按部门', '按镇街', '按渠道', '超期预警']);
    const row = book.getWorksheet('汇总')!.getRows(1, 40)!.find((r) => r.getCell(1).value === '办结率')!;
    expect([row.getCell(2).value, row.getCell(3).value, row.getCell(4).value]).toEqual([8 / 11, 8, 11]);
    const late = book.getWorksheet('超期预警')!;
    expect(late.getRow(2).getCell(2).value).toBe('STATS-TEST-C5');
    expect(late.getRow(3).getCell(2).value).toBe('STATS-TEST-C10');
  });

  it('computes the catalogue metrics of a department from its items', async () => {
    await upsertDepartments(t.database.db, [{ code: 'QC-TEST-STATS', name: '统计测试局', shortName: '统计测试', regionCode: '441802', kind: 'bureau' }]);
    await upsertItems(t.database.db, [
      testItem({ code: 'TEST-CAT-1', name: '目录测试一', departmentCode: 'QC-TEST-STATS', statutoryLimitDays: 20, committedLimitDays: 5, onlineDepth: 'IV', serviceLevels: ['district', 'town'] }),
      testItem({ code: 'TEST-CAT-2', name: '目录测试二', departmentCode: 'QC-TEST-STATS', statutoryLimitDays: 20, committedLimitDays: 1, onlineDepth: 'II', serviceLevels: ['district'], licenseFree: true }),
      testItem({ code: 'TEST-CAT-3', name: '目录测试三', departmentCode: 'QC-TEST-STATS', statutoryLimitDays: 10, committedLimitDays: 0, projectType: 'immediate', onlineDepth: 'III', serviceLevels: ['district', 'town', 'village'] }),
    ]);
    const s = await get(`/api/v1/stats/summary?${SEPTEMBER}&departmentCode=QC-TEST-STATS`);
    expect(s.catalog).toEqual({
      items: 3,
      onlineAvailable: { value: 2 / 3, numerator: 2, denominator: 3 },
      onlineDepth: { I: 0, II: 1, III: 1, IV: 1 },
      // 1 − (5 + 1 + 0) / (20 + 20 + 10) = 44 / 50
      timeLimitCompression: { value: 0.88, numerator: 44, denominator: 50 },
      levels: { district: 3, town: 2, village: 1 },
      immediateItems: 1,
      licenseFreeItems: 1,
    });
  });

  it('keeps a clerk to her region and a reviewer to his department; applicants see nothing', async () => {
    const fc = await get(`/api/v1/stats/summary?${SEPTEMBER}`, 'clerk-fc');
    expect(fc.filter.regionCode).toBe('441802006');
    expect(fc.counts.submitted).toBe(2);
    const wider = await t.call('GET', `/api/v1/stats/summary?${SEPTEMBER}&regionCode=441802`, tok['clerk-fc']);
    expect([wider.statusCode, wider.json().error.code]).toEqual([403, 'STATS_OUT_OF_SCOPE']);
    const rev = await get(`/api/v1/stats/summary?${SEPTEMBER}`, 'reviewer');
    expect(rev.filter.departmentCode).toBe('QC-ZJJ');
    expect(rev.counts.submitted).toBe(0);
    expect((await t.call('GET', `/api/v1/stats/summary?${SEPTEMBER}&departmentCode=${A}`, tok.reviewer)).statusCode).toBe(403);
    expect((await t.call('GET', '/api/v1/stats/summary', tok.citizen)).statusCode).toBe(403);
    expect((await t.call('GET', '/api/v1/stats/summary')).statusCode).toBe(401);
    const bad = await t.call('GET', '/api/v1/stats/summary?from=2026-09-30&to=2026-09-01', tok.admin);
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'STATS_RANGE_INVALID']);
  });

  it('shows the hall screen anonymously, without names of people, departments or places', async () => {
    const res = await t.call('GET', '/api/v1/stats/public?year=2026');
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.counts).toEqual({ submitted: 14, accepted: 11, decided: 7, inProgress: 5 });
    expect(p.rates.completion).toEqual({ value: 8 / 11, numerator: 8, denominator: 11 });
    expect(p.months).toEqual([
      { month: '2026-08', submitted: 1, decided: 0 },
      { month: '2026-09', submitted: 13, decided: 7 },
    ]);
    expect(res.body).not.toMatch(/QC-|测试申请人|4418/);
  });

  it('moves with a real case through the lifecycle (the rollup follows every write)', async () => {
    await upsertItems(t.database.db, [testItem({ code: 'TEST-STATS-LIVE', name: '统计实时测试事项', departmentCode: 'QC-FGJ' })]);
    const before = await get('/api/v1/stats/summary?from=2026-09-30&to=2026-09-30&departmentCode=QC-FGJ');
    expect(before.counts).toMatchObject({ submitted: 0, accepted: 0 });
    const citizen = await t.login('citizen');
    const sub = await t.call('POST', '/api/v1/applications', citizen, { itemCode: 'TEST-STATS-LIVE', form: {}, materials: [] }, { 'idempotency-key': crypto.randomUUID() });
    expect(sub.statusCode, sub.body).toBe(201);
    const mid = await get('/api/v1/stats/summary?from=2026-09-30&to=2026-09-30&departmentCode=QC-FGJ');
    expect(mid.counts).toMatchObject({ submitted: 1, accepted: 0, inProgress: 1 });
    expect(mid.channels.online).toBe(1);
    const acc = await t.call('POST', `/api/v1/applications/${sub.json().id}/actions/accept`, tok.clerk, { version: 1 });
    expect(acc.statusCode, acc.body).toBe(200);
    const after = await get('/api/v1/stats/summary?from=2026-09-30&to=2026-09-30&departmentCode=QC-FGJ');
    expect(after.counts).toMatchObject({ submitted: 1, accepted: 1, inProgress: 1 });
    expect(after.rates.singleWindow).toEqual({ value: 1, numerator: 1, denominator: 1 });
    // a submission from the mobile app is recorded as such
    const app = await t.call('POST', '/api/v1/applications', citizen, { itemCode: 'TEST-STATS-LIVE', form: {}, materials: [], channel: 'mobile' }, { 'idempotency-key': crypto.randomUUID() });
    expect(app.statusCode, app.body).toBe(201);
    const mobile = await get('/api/v1/stats/summary?from=2026-09-30&to=2026-09-30&departmentCode=QC-FGJ');
    expect(mobile.channels).toEqual({ window: 0, online: 1, kiosk: 0, mobile: 1 });
    expect(mobile.rates.onlineChannel).toEqual({ value: 1, numerator: 2, denominator: 2 });
  });
});
