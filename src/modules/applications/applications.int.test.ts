import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { upsertItems } from '../catalog/service.js';
import { createUser } from '../identity/service.js';
import { replay, type Action } from './transitions.js';
import { sweepConditionalLapses, sweepSupplementNoticeLapses } from './service.js';
import { sm3Hex } from '../../platform/gm-crypto.js';
import { verifySealedDocument } from '../seals/service.js';

// A fixture item with a committed limit of 5 working days, reviewed by the housing & construction
// bureau (QC-ZJJ) and decided under the approval bureau's seal (QC-SPJ), as the demo path.
const FIXTURE = {
  code: 'TEST-ZJJ-5D',
  name: '测试事项（承诺5个工作日）',
  type: '01' as const,
  departmentCode: 'QC-SPJ',
  reviewDepartmentCode: 'QC-ZJJ',
  decisionDepartmentCode: 'QC-SPJ',
  statutoryLimitDays: 20,
  committedLimitDays: 5,
  projectType: 'commitment' as const,
  onlineDepth: 'IV' as const,
  requiredVisits: 0,
  serviceObjects: ['1', '2'],
  materials: [{ name: '申请表' }, { name: '身份证明' }],
};

describe.each(testBackends())('applications API on %s', (backend) => {
  let t: TestApp;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(backend);
    await upsertItems(t.database.db, [FIXTURE]);
    for (const u of ['citizen', 'enterprise', 'clerk', 'reviewer', 'signatory', 'admin']) tok[u] = await t.login(u);
    await createUser(t.database.db, { username: 'other-reviewer', password: 'x-password-1', displayName: '市监局审查员', kind: 'staff', roles: ['reviewer'], departmentCode: 'QC-SJJ' });
    tok.otherReviewer = await t.login('other-reviewer', 'x-password-1');
  });
  afterAll(async () => t?.close());

  async function submit(token: string, key = crypto.randomUUID(), body: object = { itemCode: FIXTURE.code, form: { note: '测试' }, materials: [] }) {
    return t.call('POST', '/api/v1/applications', token, body, { 'idempotency-key': key });
  }
  async function act(token: string, id: string, action: Action | string, version: number, comment = '') {
    return t.call('POST', `/api/v1/applications/${id}/actions/${action}`, token, { version, comment });
  }

  it('reports health and the database kind', async () => {
    const res = await t.call('GET', '/api/v1/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: backend, now: '2026-09-30T02:00:00.000Z', today: '2026-09-30' });
  });

  it('serves the five-level division tree of Qingcheng', async () => {
    const district = (await t.call('GET', '/api/v1/regions/441802')).json();
    expect(district).toMatchObject({ code: '441802', name: '清城区', level: 'district', parentCode: '4418' });
    expect(district.children).toHaveLength(10);
    let villages = 0;
    for (const town of district.children) {
      expect(town.level).toBe('town');
      villages += (await t.call('GET', `/api/v1/regions/${town.code}`)).json().children.length;
    }
    expect(villages).toBe(166);
    expect((await t.call('GET', '/api/v1/regions/44')).json()).toMatchObject({ name: '广东省', level: 'province', children: [{ code: '4418', name: '清远市', level: 'city' }] });
    const missing = await t.call('GET', '/api/v1/regions/999999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('REGION_NOT_FOUND');
  });

  it('logs in with a token and an HttpOnly cookie, and refuses a wrong password in both languages', async () => {
    const ok = await t.call('POST', '/api/v1/auth/login', undefined, { username: 'citizen', password: 'onewindow-demo' });
    expect(ok.json().user).toMatchObject({ username: 'citizen', roles: ['citizen'] });
    expect(String(ok.headers['set-cookie'])).toMatch(/ow_session=.+HttpOnly/i);
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json().user.username).toBe('citizen');
    const bad = await t.call('POST', '/api/v1/auth/login', undefined, { username: 'citizen', password: 'wrong' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' } });
    const badEn = await t.call('POST', '/api/v1/auth/login', undefined, { username: 'nobody', password: 'wrong' }, { 'accept-language': 'en' });
    expect(badEn.json()).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: 'Wrong username or password' } });
  });

  it('finds items by Chinese words, paginated, with limits in working days', async () => {
    const res = await t.call('GET', '/api/v1/items?q=' + encodeURIComponent('施工许可') + '&pageSize=5');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBeGreaterThan(0);
    for (const it of body.items) {
      expect(it.name).toContain('施工许可');
      expect(Object.keys(it)).toEqual(expect.arrayContaining(['code', 'name', 'type', 'departmentCode', 'statutoryLimitDays', 'committedLimitDays', 'onlineDepth']));
    }
    const all = (await t.call('GET', '/api/v1/items?pageSize=100')).json();
    expect(all.total).toBeGreaterThanOrEqual(31); // ≥ 30 seeded items + the fixture
    const page2 = (await t.call('GET', '/api/v1/items?pageSize=10&page=2')).json();
    expect(page2.items.map((i: { code: string }) => i.code)).toEqual(all.items.slice(10, 20).map((i: { code: string }) => i.code));
    expect((await t.call('GET', '/api/v1/items?pageSize=1000')).json().error.code).toBe('VALIDATION_ERROR');
  });

  it('walks the whole lifecycle and starts the clock at acceptance', async () => {
    t.setNow('2026-09-30T02:00:00Z'); // 10:00 in Asia/Shanghai
    const created = await submit(tok.citizen!);
    expect(created.statusCode).toBe(201);
    const { id, number, status, version } = created.json();
    expect(status).toBe('submitted');
    expect(version).toBe(1);
    expect(number).toMatch(/^QC20260930\d{6}$/);

    const accepted = await act(tok.clerk!, id, 'accept', 1);
    expect(accepted.json()).toEqual({ status: 'accepted', version: 2, dueDate: '2026-10-13' });
    // On 2026-10-12 (Monday), 4 of the 5 working days are used (10-08, 10-09, 10-10, 10-12): warning.
    t.setNow('2026-10-12T02:00:00Z');
    try {
      const later = await t.login('clerk'); // sessions last 12 hours on the platform clock
      expect((await t.call('GET', `/api/v1/applications/${id}`, later)).json().clock).toEqual({ dueDate: '2026-10-13', provisional: false, used: 4, remaining: 1, state: 'warning' });
    } finally {
      t.setNow('2026-09-30T02:00:00Z');
    }
    expect((await act(tok.reviewer!, id, 'review', 2, '材料齐全，符合条件')).json()).toMatchObject({ status: 'reviewed', version: 3 });
    expect((await act(tok.signatory!, id, 'grant', 3, '准予许可')).json()).toMatchObject({ status: 'granted', version: 4 });
    // The result is handed over at the window against the pickup code only the applicant sees.
    const { pickupCode } = (await t.call('GET', `/api/v1/applications/${id}`, tok.citizen)).json();
    expect(pickupCode).toMatch(/^\d{6}$/);
    expect((await t.call('GET', `/api/v1/applications/${id}`, tok.clerk)).json().pickupCode).toBeNull();
    const wrongCode = String((Number(pickupCode) + 1) % 1_000_000).padStart(6, '0');
    expect((await t.call('POST', `/api/v1/applications/${id}/actions/deliver`, tok.clerk, { version: 4, delivery: { method: 'window', pickupCode: wrongCode } })).json().error.code).toBe('PICKUP_CODE_INVALID');
    expect((await t.call('POST', `/api/v1/applications/${id}/actions/deliver`, tok.clerk, { version: 4 })).json().error.code).toBe('DELIVERY_DETAILS_REQUIRED');
    expect((await t.call('POST', `/api/v1/applications/${id}/actions/deliver`, tok.clerk, { version: 4, comment: '窗口领取', delivery: { method: 'window', pickupCode } })).json()).toMatchObject({ status: 'delivered', version: 5 });

    const detail = (await t.call('GET', `/api/v1/applications/${id}`, tok.citizen)).json();
    expect(detail).toMatchObject({ status: 'delivered', version: 5, dueDate: '2026-10-13', acceptedAt: '2026-09-30T02:00:00.000Z' });
    expect(detail.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const actions = detail.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['submit', 'accept', 'review', 'grant', 'deliver']);
    expect(replay(actions.slice(1))).toBe(detail.status);
    // The back office's opinion is its internal work: the reviewer sees it, the applicant and the front desk do not.
    expect(detail.events[2]).toMatchObject({ actor: { role: 'reviewer' }, comment: '' });
    expect((await t.call('GET', `/api/v1/applications/${id}`, tok.clerk)).json().events[2].comment).toBe('');
    expect((await t.call('GET', `/api/v1/applications/${id}`, tok.reviewer)).json().events[2].comment).toBe('审查：同意。材料齐全，符合条件');
    expect(detail.decision.outcome).toBe('granted');
    expect(detail.decision.digestSm3).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.decision.sealName).toBe('清远市清城区行政审批局行政审批专用章');
    expect(JSON.parse(detail.decision.document)).toMatchObject({ applicationNumber: number, outcome: 'granted', authority: '清远市清城区行政审批局', decisionDate: '2026-09-30' });
    expect(await verifySealedDocument(t.database.db, detail.decision)).toMatchObject({ valid: true });
    const forged = { ...detail.decision, document: detail.decision.document.replace('granted', 'denied') };
    expect(await verifySealedDocument(t.database.db, forged)).toMatchObject({ valid: false, reason: 'DIGEST_MISMATCH' });
    expect(await verifySealedDocument(t.database.db, { ...forged, digestSm3: sm3Hex(forged.document) })).toMatchObject({ valid: false, reason: 'SIGNATURE_INVALID' });

    const rated = await t.call('POST', `/api/v1/applications/${id}/evaluation`, tok.citizen, { rating: 5, comment: '很方便' });
    expect(rated.statusCode).toBe(201);
    expect(rated.json()).toMatchObject({ rating: 5, comment: '很方便' });
    const again = await t.call('POST', `/api/v1/applications/${id}/evaluation`, tok.citizen, { rating: 1 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('EVALUATION_EXISTS');
    expect((await t.call('GET', `/api/v1/applications/${id}`, tok.citizen)).json().evaluation).toMatchObject({ rating: 5 });
  });

  it('answers a stale version with 409, a wrong state with 409 and a wrong role with 403', async () => {
    const { id } = (await submit(tok.citizen!)).json();
    const forbidden = await act(tok.citizen!, id, 'accept', 1);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN');
    expect((await act(tok.clerk!, id, 'accept', 1)).statusCode).toBe(200);
    const stale = await act(tok.clerk!, id, 'accept', 1);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    const wrongState = await act(tok.clerk!, id, 'accept', 2);
    expect(wrongState.statusCode).toBe(409);
    expect(wrongState.json().error.code).toBe('ACTION_NOT_ALLOWED');
    const notYet = await act(tok.signatory!, id, 'grant', 2);
    expect(notYet.statusCode).toBe(409);
    expect((await act(tok.clerk!, id, 'fly', 2)).json().error.code).toBe('UNKNOWN_ACTION');
    const noReason = await act(tok.signatory!, id, 'deny', 2);
    expect(noReason.statusCode).toBe(409); // not reviewed yet: the state is checked before the reasons
    // A reviewer of another department does not even see it.
    expect((await act(tok.otherReviewer!, id, 'review', 2)).statusCode).toBe(404);
    expect((await t.call('GET', `/api/v1/applications/${id}`, tok.otherReviewer)).statusCode).toBe(404);
    const r = await t.call('POST', `/api/v1/applications/${id}/evaluation`, tok.citizen, { rating: 4 });
    expect(r.json().error.code).toBe('EVALUATION_NOT_ALLOWED');
  });

  it('requires reasons to reject, and records them', async () => {
    const { id } = (await submit(tok.citizen!)).json();
    const bare = await act(tok.clerk!, id, 'reject', 1);
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.code).toBe('COMMENT_REQUIRED');
    expect((await act(tok.clerk!, id, 'reject', 1, '不属于本机关职权范围')).json()).toMatchObject({ status: 'rejected', version: 2 });
  });

  it('runs a supplement round and a withdrawal', async () => {
    const { id } = (await submit(tok.citizen!)).json();
    expect((await act(tok.clerk!, id, 'request_supplement', 1, '请补充身份证明')).json().status).toBe('supplement_requested');
    expect((await act(tok.enterprise!, id, 'supplement', 2)).statusCode).toBe(404);
    expect((await act(tok.citizen!, id, 'supplement', 2, '已补充')).json().status).toBe('submitted');
    expect((await act(tok.citizen!, id, 'withdraw', 3)).json()).toMatchObject({ status: 'withdrawn', version: 4 });
  });

  it('never creates twice for one Idempotency-Key, also under concurrent retries', async () => {
    const key = crypto.randomUUID();
    const first = await submit(tok.enterprise!, key);
    const second = await submit(tok.enterprise!, key);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    const reused = await submit(tok.enterprise!, key, { itemCode: FIXTURE.code, form: { other: true }, materials: [] });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const burstKey = crypto.randomUUID();
    const burst = await Promise.all(Array.from({ length: 10 }, () => submit(tok.enterprise!, burstKey)));
    expect(burst.every((r) => r.statusCode === 200 || r.statusCode === 201)).toBe(true);
    expect(new Set(burst.map((r) => r.json().id)).size).toBe(1);
    expect(burst.filter((r) => r.statusCode === 201)).toHaveLength(1);

    const missing = await t.call('POST', '/api/v1/applications', tok.enterprise, { itemCode: FIXTURE.code, form: {}, materials: [] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('records acceptance when no supplement notice was given within 5 working days (art. 32)', async () => {
    t.setNow('2026-09-28T02:00:00Z'); // Monday 10:00 Beijing time
    const fresh = await t.login('citizen');
    const { id } = (await submit(fresh)).json();
    const detail = (await t.call('GET', `/api/v1/applications/${id}`, fresh)).json();
    // 09-29 (1), 09-30 (2), 10-08 (3), 10-09 (4), 10-10 Saturday worked (5)
    expect(detail.supplementNoticeDeadline).toBe('2026-10-10');
    try {
      // On the last day nothing happens yet.
      expect(await sweepSupplementNoticeLapses(t.database.db, new Date('2026-10-10T09:00:00Z'), t.issue)).toBe(0);
      // The next day the application is accepted as from receipt, its clock counted from 09-28.
      expect(await sweepSupplementNoticeLapses(t.database.db, new Date('2026-10-11T02:00:00Z'), t.issue)).toBeGreaterThanOrEqual(1);
      t.setNow('2026-10-11T02:00:00Z');
      const after = (await t.call('GET', `/api/v1/applications/${id}`, await t.login('citizen'))).json();
      // committed 5 working days from 09-28 → 10-10
      expect(after).toMatchObject({ status: 'accepted', version: 2, acceptedAt: '2026-09-28T02:00:00.000Z', dueDate: '2026-10-10', supplementNoticeDeadline: null });
      expect(after.events[1]).toMatchObject({ action: 'deem_accepted', actor: { role: 'system' } });
      expect(after.events[1].comment).toContain('第三十二条');
      // The acceptance notice is issued all the same, saying why.
      expect(after.documents.map((d: { kind: string }) => d.kind)).toEqual(['acceptance_notice']);
      expect((await t.call('GET', `/api/v1/verify/${after.documents[0].number}`)).json()).toMatchObject({ valid: true, document: { title: '受理通知书' } });
      // nobody can take the system's action through the API
      expect((await act(await t.login('clerk'), id, 'deem_accepted', 2)).statusCode).toBe(403);
    } finally {
      t.setNow('2026-09-30T02:00:00Z');
    }
  });

  it('accepts with a material missing (容缺受理), blocks the decision until it is supplied, and lapses when it is not', async () => {
    await upsertItems(t.database.db, [{ ...FIXTURE, code: 'TEST-RQ', name: '测试容缺事项', materials: [{ name: '申请表' }, { name: '消防设计文件', conditionalAllowed: true }] }]);
    const item = (await t.call('GET', '/api/v1/items/TEST-RQ')).json();
    const [form, fire] = item.materials as { id: number; name: string }[];
    const body = { itemCode: 'TEST-RQ', form: {}, materials: [{ materialId: form!.id }] };
    const { id } = (await submit(tok.citizen!, crypto.randomUUID(), body)).json();
    const accept = (conditional: object) => t.call('POST', `/api/v1/applications/${id}/actions/accept`, tok.clerk, { version: 1, conditional });
    expect((await accept({ materialIds: [form!.id], deadline: '2026-10-16' })).json().error.code).toBe('CONDITIONAL_NOT_ALLOWED');
    expect((await accept({ materialIds: [fire!.id], deadline: '2026-09-30' })).json().error.code).toBe('CONDITIONAL_DEADLINE');
    expect((await accept({ materialIds: [fire!.id], deadline: '2026-10-16' })).statusCode).toBe(200);
    expect((await t.call('GET', `/api/v1/applications/${id}`, tok.citizen)).json().pendingMaterials).toEqual([{ materialId: fire!.id, name: '消防设计文件', dueDate: '2026-10-16' }]);
    expect((await act(tok.reviewer!, id, 'review', 2)).statusCode).toBe(200);
    const blocked = await act(tok.signatory!, id, 'grant', 3);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error).toEqual({ code: 'MATERIALS_PENDING', message: '尚有容缺材料未补交（消防设计文件），不能作出决定' });
    const provided = await t.call('POST', `/api/v1/applications/${id}/actions/provide_material`, tok.citizen, { version: 3, materials: [{ materialId: fire!.id, fileName: 'fire.pdf' }] });
    expect(provided.json()).toMatchObject({ status: 'reviewed', version: 4 });
    const after = (await t.call('GET', `/api/v1/applications/${id}`, tok.citizen)).json();
    expect(after.pendingMaterials).toEqual([]);
    expect(after.materials.map((m: { materialId: number }) => m.materialId)).toEqual([form!.id, fire!.id]);
    expect((await act(tok.signatory!, id, 'grant', 4)).json().status).toBe('granted');

    // Another one is never supplied: the day after the deadline it is treated as withdrawn.
    const second = (await submit(tok.citizen!, crypto.randomUUID(), body)).json();
    await t.call('POST', `/api/v1/applications/${second.id}/actions/accept`, tok.clerk, { version: 1, conditional: { materialIds: [fire!.id], deadline: '2026-10-09' } });
    expect(await sweepConditionalLapses(t.database.db, new Date('2026-10-09T08:00:00Z'))).toBe(0);
    expect(await sweepConditionalLapses(t.database.db, new Date('2026-10-09T16:30:00Z'))).toBe(1); // 10-10 00:30 Beijing
    const lapsed = (await t.call('GET', `/api/v1/applications/${second.id}`, tok.citizen)).json();
    expect(lapsed).toMatchObject({ status: 'withdrawn', version: 3 });
    expect(lapsed.events[2]).toMatchObject({ action: 'lapse', actor: { role: 'system' } });
  });

  it('lets exactly one of two concurrent transitions win', async () => {
    const { id } = (await submit(tok.citizen!)).json();
    const results = await Promise.all([act(tok.clerk!, id, 'accept', 1), act(tok.clerk!, id, 'reject', 1, '重复'), act(tok.clerk!, id, 'accept', 1)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const detail = (await t.call('GET', `/api/v1/applications/${id}`, tok.citizen)).json();
    expect(detail.version).toBe(2);
    expect(detail.events).toHaveLength(2);
  });

  it('shows each caller only what they may see', async () => {
    const mine = await submit(tok.citizen!);
    const theirs = await submit(tok.enterprise!);
    const citizenList = (await t.call('GET', '/api/v1/applications?pageSize=100', tok.citizen)).json();
    const ids = citizenList.items.map((a: { id: string }) => a.id);
    expect(ids).toContain(mine.json().id);
    expect(ids).not.toContain(theirs.json().id);
    expect((await t.call('GET', `/api/v1/applications/${theirs.json().id}`, tok.citizen)).statusCode).toBe(404);
    expect(citizenList.items[0].applicantName).toBe('陈**');
    expect((await t.call('GET', '/api/v1/applications?status=submitted', tok.otherReviewer)).json().total).toBe(0);
    const clerkQueue = (await t.call('GET', '/api/v1/applications?status=submitted&pageSize=100', tok.clerk)).json();
    expect(clerkQueue.items.every((a: { status: string }) => a.status === 'submitted')).toBe(true);
    expect(clerkQueue.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([mine.json().id, theirs.json().id]));
    expect((await t.call('GET', '/api/v1/applications')).statusCode).toBe(401);
    expect((await t.call('GET', '/api/v1/applications?status=flying', tok.clerk)).statusCode).toBe(400);
    expect((await t.call('GET', '/api/v1/applications/not-a-uuid', tok.clerk)).statusCode).toBe(404);
  });

  it('answers unknown routes and bad bodies with a coded 4xx', async () => {
    const r = await t.call('GET', '/api/v1/nothing-here');
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('NOT_FOUND');
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBeDefined();
    const noItem = await submit(tok.citizen!, crypto.randomUUID(), { itemCode: 'NO-SUCH-ITEM', form: {}, materials: [] });
    expect(noItem.statusCode).toBe(404);
    expect(noItem.json().error.code).toBe('ITEM_NOT_FOUND');
    const docs = await t.call('GET', '/docs/json');
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toEqual(expect.arrayContaining(['/api/v1/applications', '/api/v1/applications/{id}/actions/{action}']));
  });
});

describe.each(testBackends())('input hygiene, translations and personal data on %s', (backend) => {
  let t: TestApp;
  const tok: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp(backend);
    await upsertItems(t.database.db, [FIXTURE]);
    for (const u of ['citizen', 'clerk', 'admin']) tok[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  const submit = (body: object, token = tok.citizen!) => t.call('POST', '/api/v1/applications', token, body, { 'idempotency-key': crypto.randomUUID() });

  it('refuses text PostgreSQL cannot store, and deep nesting, with 400 and stores nothing', async () => {
    const before = (await t.call('GET', '/api/v1/applications', tok.citizen)).json().total;
    for (const form of [{ a: 'x\u0000y' }, { ['k\u0000']: 1 }, { a: '\ud800' }, JSON.parse('{"a":'.repeat(50) + '1' + '}'.repeat(50))]) {
      const r = await submit({ itemCode: FIXTURE.code, form, materials: [] });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('VALIDATION_ERROR');
    }
    expect((await t.call('GET', '/api/v1/items?q=%00')).statusCode).toBe(400);
    const login = await t.call('POST', '/api/v1/auth/login', undefined, { username: 'citizen\u0000', password: 'x' });
    expect(login.statusCode).toBe(400);
    expect((await t.call('GET', '/api/v1/applications', tok.citizen)).json().total).toBe(before);
  });

  it('translates validation and state messages, honouring q-values', async () => {
    const zh = await t.call('GET', '/api/v1/items?page=0');
    expect(zh.json().error.message).toBe('请求数据不符合要求：page：不能小于 1');
    const en = await t.call('GET', '/api/v1/items?page=0', undefined, undefined, { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.json().error.message).toBe('Invalid request: page: must be at least 1');
    const prefersZh = await t.call('GET', '/api/v1/items?page=0', undefined, undefined, { 'accept-language': 'en;q=0.1,zh;q=0.9' });
    expect(prefersZh.json().error.message).toMatch(/^请求数据不符合要求/);
    const { id } = (await submit({ itemCode: FIXTURE.code, form: {}, materials: [] })).json();
    const wrong = await t.call('POST', `/api/v1/applications/${id}/actions/deliver`, tok.clerk, { version: 1 });
    expect(wrong.json().error).toEqual({ code: 'ACTION_NOT_ALLOWED', message: '办件处于“已提交”状态，不能执行“送达”' });
    const noReason = await t.call('POST', `/api/v1/applications/${id}/actions/reject`, tok.clerk, { version: 1 }, { 'accept-language': 'en' });
    expect(noReason.json().error.message).toBe('Action "reject" needs a comment giving the reasons');
    const plain = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'citizen' });
    expect(plain.statusCode).toBe(415);
    expect(plain.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('keeps earlier materials on a supplement and checks the new ones', async () => {
    const item = (await t.call('GET', `/api/v1/items/${FIXTURE.code}`)).json();
    const [m1, m2] = item.materials.map((m: { id: number }) => m.id);
    expect((await submit({ itemCode: FIXTURE.code, form: {}, materials: [{ materialId: m1 }, { materialId: m1 }] })).json().error.code).toBe('MATERIAL_DUPLICATE');
    expect((await submit({ itemCode: FIXTURE.code, form: {}, materials: [{}] })).json().error.code).toBe('MATERIAL_UNNAMED');
    const { id } = (await submit({ itemCode: FIXTURE.code, form: {}, materials: [{ materialId: m1, fileName: 'a.pdf' }] })).json();
    await t.call('POST', `/api/v1/applications/${id}/actions/request_supplement`, tok.clerk, { version: 1, comment: '请补充身份证明' });
    const foreign = await t.call('POST', `/api/v1/applications/${id}/actions/supplement`, tok.citizen, { version: 2, materials: [{ materialId: 999999 }] });
    expect(foreign.json().error.code).toBe('MATERIAL_UNKNOWN');
    expect((await t.call('POST', `/api/v1/applications/${id}/actions/supplement`, tok.citizen, { version: 2, materials: [{ materialId: m2, fileName: 'b.pdf' }] })).statusCode).toBe(200);
    const detail = (await t.call('GET', `/api/v1/applications/${id}`, tok.citizen)).json();
    expect(detail.materials.map((m: { materialId: number; fileName: string }) => [m.materialId, m.fileName])).toEqual([
      [m1, 'a.pdf'],
      [m2, 'b.pdf'],
    ]);
  });

  it('shows the applicant whole to those handling the case, masked to the administrator', async () => {
    const { id } = (await submit({ itemCode: FIXTURE.code, form: { phone: '13800001234' }, materials: [] })).json();
    const forClerk = (await t.call('GET', `/api/v1/applications/${id}`, tok.clerk)).json();
    expect(forClerk.applicantName).toBe('陈清华');
    // the phone is masked for staff (138 + 4 stars + 1234); whole only to the applicant, or through the logged reveal
    expect(forClerk.form).toEqual({ phone: '138****1234' });
    expect((await t.call('GET', `/api/v1/applications/${id}`, tok.citizen)).json().form).toEqual({ phone: '13800001234' });
    const forAdmin = (await t.call('GET', `/api/v1/applications/${id}`, tok.admin)).json();
    expect(forAdmin.applicantName).toBe('陈**');
    expect(forAdmin.form).toBeNull();
    expect(forAdmin.events[0].actor.displayName).toBe('陈**');
  });

  it('accepts padded division codes', async () => {
    expect((await t.call('GET', '/api/v1/regions/440000')).json()).toMatchObject({ code: '44', name: '广东省' });
    expect((await t.call('GET', '/api/v1/regions/441800')).json()).toMatchObject({ code: '4418', name: '清远市' });
    expect((await t.call('GET', '/api/v1/regions/441802006000')).json()).toMatchObject({ code: '441802006', name: '凤城街道' });
  });

  it('finds items by Chinese words in any order, by everyday words and by code', async () => {
    const names = async (q: string) => (await t.call('GET', `/api/v1/items?pageSize=50&q=${encodeURIComponent(q)}`)).json().items.map((i: { name: string }) => i.name);
    expect(await names('公积金提取')).toEqual(expect.arrayContaining(['购买自住住房提取住房公积金', '租赁住房提取住房公积金']));
    expect(await names('道路挖掘')).toEqual(['占用、挖掘城市道路审批']);
    expect(await names('营业执照')).toEqual(expect.arrayContaining(['企业设立登记（有限责任公司）', '个体工商户设立登记']));
    expect(await names('QC-SPJ-001')).toEqual(['建筑工程施工许可证核发']);
    const guide = (await t.call('GET', '/api/v1/items/QC-SPJ-001')).json();
    expect(guide.limitSource.note).toBeUndefined();
    expect(guide.limitSource.statutory).toMatch(/^《建筑工程施工许可管理办法》第五条/);
  });

  it('ends a session after 30 idle minutes, and keeps a used one alive', async () => {
    const token = await t.login('citizen');
    const me = (at: string) => {
      t.setNow(at);
      return t.call('GET', '/api/v1/auth/me', token).then((r) => r.statusCode);
    };
    try {
      expect(await me('2026-09-30T02:29:00Z')).toBe(200); // 29 minutes idle
      expect(await me('2026-09-30T02:58:00Z')).toBe(200); // 29 minutes after the last use
      expect(await me('2026-09-30T03:29:00Z')).toBe(401); // 31 minutes idle
    } finally {
      t.setNow('2026-09-30T02:00:00Z');
    }
  });

  it('throttles password guessing per address and account', async () => {
    let last;
    for (let i = 0; i < 11; i++) last = await t.call('POST', '/api/v1/auth/login', undefined, { username: 'enterprise', password: `wrong-${i}` });
    expect(last!.statusCode).toBe(429);
    expect(last!.json().error.code).toBe('LOGIN_THROTTLED');
    // another account from the same address is not locked out by it
    expect((await t.call('POST', '/api/v1/auth/login', undefined, { username: 'clerk', password: 'onewindow-demo' })).statusCode).toBe(200);
    // a client cannot pick another address with X-Forwarded-For (no proxy configured)
    const spoofed = await t.call('POST', '/api/v1/auth/login', undefined, { username: 'enterprise', password: 'wrong-x' }, { 'x-forwarded-for': '10.9.8.7' });
    expect(spoofed.statusCode).toBe(429);
  });

  it('refuses a cookie-authenticated write from another site', async () => {
    const login = await t.call('POST', '/api/v1/auth/login', undefined, { username: 'citizen', password: 'onewindow-demo' });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { cookie, origin: 'http://evil.example', host: 'localhost:3000', 'idempotency-key': crypto.randomUUID() },
      payload: { itemCode: FIXTURE.code, form: {}, materials: [] },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('CROSS_SITE_REQUEST');
    // a sandboxed page sends Origin: null; unparsable origins are other sites too, never a 500
    for (const origin of ['null', 'http://', '::::']) {
      const odd = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: { cookie, origin, host: 'localhost:3000', 'idempotency-key': crypto.randomUUID() }, payload: { itemCode: FIXTURE.code, form: {}, materials: [] } });
      expect([odd.statusCode, odd.json().error.code]).toEqual([403, 'CROSS_SITE_REQUEST']);
    }
    // neither Origin nor Sec-Fetch-Site (a browser always sends one), or a cross-site fetch: refused
    for (const extra of [{}, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': 'cross-site', origin: 'http://localhost:3000' }]) {
      const r2 = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: { cookie, host: 'localhost:3000', 'idempotency-key': crypto.randomUUID(), ...extra }, payload: { itemCode: FIXTURE.code, form: {}, materials: [] } });
      expect([r2.statusCode, r2.json().error.code], JSON.stringify(extra)).toEqual([403, 'CROSS_SITE_REQUEST']);
    }
    const same = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { cookie, origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin', host: 'localhost:3000', 'idempotency-key': crypto.randomUUID() },
      payload: { itemCode: FIXTURE.code, form: {}, materials: [] },
    });
    expect(same.statusCode).toBe(201);
  });
});
