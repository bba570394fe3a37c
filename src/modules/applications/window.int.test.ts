/**
 * Single-window acceptance, back-office review, joint review, chief representatives, special
 * procedures, notification-commitment, delivery and agents — through the HTTP API, on every
 * database backend. Expected dates are counted by hand on the 2026 calendar (国办发明电〔2025〕
 * arrangement: 10-01…10-07 off, Sunday 09-27 and Saturday 10-10 worked).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { testBackends } from '../../db/testing.js';
import { sm2Verify, sm3Hex } from '../../platform/gm-crypto.js';
import { upsertItems } from '../catalog/service.js';
import { createUser } from '../identity/service.js';
import { piiVault } from '../../platform/pii-vault.js';

const BASE = {
  type: '01' as const,
  statutoryLimitDays: 20,
  committedLimitDays: 5,
  projectType: 'commitment' as const,
  onlineDepth: 'IV' as const,
  requiredVisits: 0,
  serviceObjects: ['1', '2'],
};
// Reviewed by 住建局 (QC-ZJJ), decided under the approval bureau's seal (QC-SPJ).
const ITEM = { ...BASE, code: 'TEST-WIN-5D', name: '窗口测试事项', departmentCode: 'QC-SPJ', reviewDepartmentCode: 'QC-ZJJ', decisionDepartmentCode: 'QC-SPJ', materials: [{ name: '申请表' }, { name: '身份证明' }] };
// Two steps in the same department: the four-eyes rule applies.
// Delegated by the city bureau to the district's (行政许可法 art. 24).
const DELEGATED = { ...ITEM, code: 'TEST-WIN-DELEG', name: '委托实施测试事项', departmentCode: 'QC-ZJJ', reviewDepartmentCode: 'QC-ZJJ', decisionDepartmentCode: 'QC-ZJJ', delegatedFrom: { name: '清远市住房和城乡建设局' } };
const TWO_STEPS = { ...ITEM, code: 'TEST-WIN-2STEP', name: '两级审查测试事项', reviewSteps: [{ name: '审查', role: 'reviewer', department: 'review' }, { name: '复审', role: 'reviewer', department: 'review' }] };

describe.each(testBackends())('single window and back office on %s', (backend) => {
  let t: TestApp;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(backend);
    await upsertItems(t.database.db, [ITEM, TWO_STEPS, DELEGATED]);
    await createUser(t.database.db, { username: 'reviewer-zjj-2', password: 'x-password-1', displayName: '住建局审查员 孙二', kind: 'staff', roles: ['reviewer'], departmentCode: 'QC-ZJJ' });
    await createUser(t.database.db, { username: 'citizen-2', password: 'x-password-1', displayName: '李四', kind: 'person', roles: ['citizen'], idNumber: '11010519491231002X' });
    for (const u of ['citizen', 'enterprise', 'clerk', 'reviewer', 'signatory', 'admin', 'reviewer-spj', 'reviewer-fgj', 'reviewer-zrzy', 'reviewer-shj', 'chief', 'agent']) tok[u] = await t.login(u);
    tok['reviewer-zjj-2'] = await t.login('reviewer-zjj-2', 'x-password-1');
    tok['citizen-2'] = await t.login('citizen-2', 'x-password-1');
  });
  afterAll(async () => t?.close());

  const get = async (id: string, who: string) => (await t.call('GET', `/api/v1/applications/${id}`, tok[who])).json();
  const act = (who: string, id: string, action: string, body: object) => t.call('POST', `/api/v1/applications/${id}/actions/${action}`, tok[who], body);
  async function submit(who: string, body: object) {
    return t.call('POST', '/api/v1/applications', tok[who], { form: {}, materials: [], ...body }, { 'idempotency-key': crypto.randomUUID() });
  }
  async function accepted(itemCode = ITEM.code, who = 'citizen', extra: object = {}) {
    const { id } = (await submit(who, { itemCode, ...extra })).json();
    expect((await act('clerk', id, 'accept', { version: 1 })).statusCode).toBe(200);
    return id as string;
  }

  it('takes an application at the window for an applicant identified by a checksum-valid ID number', async () => {
    const bad = await submit('clerk', { itemCode: ITEM.code, applicant: { kind: 'person', idNumber: '110105194912310021', name: '王五' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('APPLICANT_ID_INVALID');
    expect((await submit('clerk', { itemCode: ITEM.code })).json().error.code).toBe('APPLICANT_REQUIRED');
    // a citizen cannot name someone else as the applicant
    expect((await submit('citizen', { itemCode: ITEM.code, applicant: { kind: 'person', idNumber: '440524188001010014', name: '赵六' } })).statusCode).toBe(403);
    const badUscc = await submit('clerk', { itemCode: ITEM.code, applicant: { kind: 'enterprise', idNumber: '91350100M000100Y4A', name: '某公司' } });
    expect(badUscc.json().error.code).toBe('APPLICANT_ID_INVALID');

    // 440524188001010014 is a public GB 11643 example with a valid check character.
    const ok = await submit('clerk', { itemCode: ITEM.code, applicant: { kind: 'person', idNumber: '440524188001010014', name: '赵六' } });
    expect(ok.statusCode).toBe(201);
    const detail = await get(ok.json().id, 'clerk');
    expect(detail).toMatchObject({ channel: 'window', applicantName: '赵六', takenBy: { id: expect.any(String) }, location: { stage: 'front_desk', departmentCode: 'QC-SPJ' } });
    expect(detail.events[0]).toMatchObject({ action: 'submit', actor: { role: 'clerk' } });
    // The same number under another name is refused; the same person again finds the same account.
    expect((await submit('clerk', { itemCode: ITEM.code, applicant: { kind: 'person', idNumber: '440524188001010014', name: '赵七' } })).json().error.code).toBe('APPLICANT_NAME_MISMATCH');
    const again = await submit('clerk', { itemCode: ITEM.code, applicant: { kind: 'person', idNumber: '440524188001010014', name: '赵六' } });
    expect(again.statusCode).toBe(201);
    expect((await get(again.json().id, 'clerk')).applicantName).toBe('赵六');
    // The account made at the window cannot be signed in to (no password yet). It is found by
    // the number's keyed hash; the number is stored sealed, and the username is not its SHA-256.
    const hash = piiVault().hash('id', '440524188001010014');
    const rows = (await t.database.db.execute(`SELECT username, id_number, password_hash FROM users WHERE id_number_hash = '${hash}'`)) as unknown as { rows: { username: string; id_number: string; password_hash: string }[] };
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!).toMatchObject({ username: `p-${hash!.slice(0, 20)}`, password_hash: '!' });
    expect(rows.rows[0]!.username).not.toBe(`p-${crypto.createHash('sha256').update('440524188001010014').digest('hex').slice(0, 20)}`);
    expect(rows.rows[0]!.id_number).toMatch(/^p0\./);
    expect(piiVault().decrypt(rows.rows[0]!.id_number, 'users.id_number')).toBe('440524188001010014');
  });

  it('issues a sealed acceptance notice that anyone can verify by number or file, and that fails when altered', async () => {
    const id = await accepted();
    const detail = await get(id, 'citizen');
    expect(detail.documents).toHaveLength(1);
    const doc = detail.documents[0];
    expect(doc).toMatchObject({ kind: 'acceptance_notice', title: '受理通知书', url: `/api/v1/documents/${doc.number}/pdf` });
    expect(doc.number).toMatch(/^QCSL2026\d{6}$/);

    const pdf = await t.call('GET', doc.url, tok.citizen);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = pdf.rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Another citizen cannot fetch it.
    expect((await t.call('GET', doc.url, tok['citizen-2'])).statusCode).toBe(404);

    const byNumber = (await t.call('GET', `/api/v1/verify/${doc.number}`)).json();
    expect(byNumber).toMatchObject({ valid: true, reason: null, document: { number: doc.number, title: '受理通知书', itemName: ITEM.name, issuer: '清远市清城区行政审批局', holder: '陈**' } });
    expect(JSON.stringify(byNumber)).not.toContain('陈清华');
    expect(JSON.stringify(byNumber)).not.toContain('441802199003071235');

    const byFile = (await t.app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/pdf' }, payload: bytes })).json();
    expect(byFile).toMatchObject({ valid: true, document: { number: doc.number } });
    expect(byFile.document.pdfSm3).toBe(sm3Hex(bytes));
    // The detached signature checks offline with the seal's public key alone.
    expect(sm2Verify(sm3Hex(bytes), byFile.document.pdfSignature, byFile.document.seal.publicKey)).toBe(true);
    expect(sm2Verify(sm3Hex(Buffer.concat([bytes, Buffer.from(' ')])), byFile.document.pdfSignature, byFile.document.seal.publicKey)).toBe(false);

    // One byte changed anywhere in the file: not the issued document.
    for (const at of [20, Math.floor(bytes.length / 2), bytes.length - 10]) {
      const altered = Buffer.from(bytes);
      altered[at] = altered[at]! ^ 0x01;
      const r = (await t.app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/pdf' }, payload: altered })).json();
      expect(r.valid).toBe(false);
      expect(['ALTERED', 'NOT_FOUND']).toContain(r.reason);
    }
    const tail = Buffer.from(bytes);
    tail[tail.length - 10] = tail[tail.length - 10]! ^ 0x01;
    // The number in the Info dictionary survives a change at the end: the answer names the document.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/pdf' }, payload: tail })).json()).toMatchObject({ valid: false, reason: 'ALTERED', document: { number: doc.number } });

    expect((await t.call('GET', '/api/v1/verify/QCSL2099000001')).json()).toMatchObject({ valid: false, reason: 'NOT_FOUND', document: null });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/pdf' }, payload: Buffer.from('%PDF-1.7 nothing') })).json()).toMatchObject({ valid: false, reason: 'NOT_FOUND' });
    const asJson = await t.call('POST', '/api/v1/verify', undefined, { pdf: 'x' });
    expect([asJson.statusCode, asJson.json().error.code]).toEqual([415, 'PDF_REQUIRED']);

    // A stored document altered in the database no longer verifies.
    await t.database.db.execute(`UPDATE documents SET content = replace(content, '受理通知书', '受理通知') WHERE number = '${doc.number}'`);
    expect((await t.call('GET', `/api/v1/verify/${doc.number}`)).json()).toMatchObject({ valid: false, reason: 'DIGEST_MISMATCH' });
  });

  it('issues the non-acceptance notice and the one-time supplement notice with their reasons', async () => {
    const a = (await submit('citizen', { itemCode: ITEM.code })).json().id;
    await act('clerk', a, 'request_supplement', { version: 1, comment: '申请表未签名；身份证明复印件不清晰' });
    const docs = (await get(a, 'citizen')).documents;
    expect(docs.map((d: { kind: string }) => d.kind)).toEqual(['supplement_notice']);
    const content = JSON.parse(((await t.database.db.execute(`SELECT content FROM documents WHERE number = '${docs[0].number}'`)) as unknown as { rows: { content: string }[] }).rows[0]!.content);
    expect(content.list).toEqual({ heading: '需补正的材料及内容', entries: ['申请表未签名', '身份证明复印件不清晰'] });

    const b = (await submit('citizen', { itemCode: ITEM.code })).json().id;
    await act('clerk', b, 'reject', { version: 1, comment: '不属于本机关职权范围' });
    expect((await get(b, 'citizen')).documents.map((d: { kind: string }) => d.kind)).toEqual(['non_acceptance_notice']);
  });

  it('routes to the back office: the queue of the current step, two steps, four eyes', async () => {
    const id = await accepted(TWO_STEPS.code);
    const asClerk = await get(id, 'clerk');
    expect(asClerk.location).toEqual({ stage: 'review', departmentCode: 'QC-ZJJ', step: { index: 0, of: 2, name: '审查', joint: null, round: 1 } });
    const queue = (await t.call('GET', '/api/v1/applications?queue=mine&pageSize=100', tok.reviewer)).json();
    expect(queue.items.map((x: { id: string }) => x.id)).toContain(id);
    expect((await t.call('GET', '/api/v1/applications?queue=mine&pageSize=100', tok['reviewer-spj'])).json().items.map((x: { id: string }) => x.id)).not.toContain(id);

    expect((await act('reviewer', id, 'review', { version: 2, opinion: 'reject' })).json().error.code).toBe('COMMENT_REQUIRED');
    expect((await act('reviewer', id, 'review', { version: 2, comment: '初审通过' })).json()).toMatchObject({ status: 'accepted', version: 3 });
    // The same reviewer may not also do the second review.
    expect((await act('reviewer', id, 'review', { version: 3 })).json().error.code).toBe('SAME_REVIEWER');
    expect((await act('signatory', id, 'grant', { version: 3 })).statusCode).toBe(409);
    expect((await act('reviewer-zjj-2', id, 'review', { version: 3, comment: '复审通过' })).json()).toMatchObject({ status: 'reviewed', version: 4 });
    // Nor who gave them: the review events carry no reviewer's name for the applicant or the front desk.
    expect((await get(id, 'citizen')).events.filter((e: { action: string }) => e.action === 'review').map((e: { actor: { displayName: string } }) => e.actor.displayName)).toEqual(['', '']);
    // The front desk sees where the case is, not the opinions.
    const front = await get(id, 'clerk');
    expect(front.location.stage).toBe('decision');
    expect(front.opinions.map((o: { comment: string; reviewerName: string }) => [o.comment, o.reviewerName])).toEqual([
      ['', ''],
      ['', ''],
    ]);
    expect((await get(id, 'reviewer')).opinions.map((o: { comment: string }) => o.comment)).toEqual(['初审通过', '复审通过']);
    expect((await act('signatory', id, 'grant', { version: 4, comment: '准予' })).json().status).toBe('granted');
  });

  it('routes a delegated item to the delegate, whose documents name the delegating authority (art. 24)', async () => {
    const id = await accepted(DELEGATED.code);
    const d = await get(id, 'clerk');
    expect(d.location).toMatchObject({ stage: 'review', departmentCode: 'QC-ZJJ' });
    const v = (await t.call('GET', `/api/v1/verify/${d.documents[0].number}`)).json();
    expect(v).toMatchObject({ valid: true, document: { issuer: '清远市住房和城乡建设局（清远市清城区住房和城乡建设局受委托实施）' } });
  });

  it('uses the item\'s configured steps: 审查 by 住建局, then 复审 by the approval bureau', async () => {
    const id = await accepted('QC-SPJ-002', 'enterprise');
    expect((await act('reviewer', id, 'review', { version: 2 })).json().status).toBe('accepted');
    expect((await act('reviewer-zjj-2', id, 'review', { version: 3 })).statusCode).toBe(403);
    expect((await act('reviewer-spj', id, 'review', { version: 3 })).json().status).toBe('reviewed');
  });

  it('completes a joint review exactly once when the last of concurrent opinions arrives', async () => {
    // 企业投资项目核准: 初审 by 发改局, then 联合审查 of 发改、自然资源、生态环境、住建.
    const id = await accepted('QC-SPJ-032', 'enterprise');
    expect((await act('reviewer-fgj', id, 'review', { version: 2 })).json().status).toBe('accepted');
    const joint = ['reviewer-fgj', 'reviewer-zrzy', 'reviewer-shj', 'reviewer'];
    // A reviewer of a department outside the step cannot answer.
    expect((await act('reviewer-spj', id, 'opinion', { opinion: 'approve' })).statusCode).toBe(404);
    const answers = await Promise.all(joint.map((who) => act(who, id, 'opinion', { opinion: 'approve', comment: `${who} 同意` })));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    const detail = await get(id, 'reviewer');
    expect(detail.status).toBe('reviewed');
    const opinions = detail.events.filter((e: { action: string }) => e.action === 'opinion');
    expect(opinions).toHaveLength(4);
    // exactly one opinion moved the case on
    expect(opinions.filter((e: { toStatus: string }) => e.toStatus === 'reviewed')).toHaveLength(1);
    expect(detail.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // A department cannot answer twice.
    expect((await act('reviewer-shj', id, 'opinion', { opinion: 'approve' })).statusCode).toBe(409);
  });

  it('routes a joint review back with reasons on a "not approved" opinion, and starts a new round', async () => {
    const id = await accepted('QC-SPJ-032', 'enterprise');
    await act('reviewer-fgj', id, 'review', { version: 2 });
    expect((await act('reviewer-shj', id, 'opinion', { opinion: 'reject' })).json().error.code).toBe('COMMENT_REQUIRED');
    await act('reviewer-zrzy', id, 'opinion', { opinion: 'approve' });
    expect((await act('reviewer-shj', id, 'opinion', { opinion: 'reject', comment: '未落实环评批复要求' })).json().status).toBe('accepted');
    const back = await get(id, 'reviewer-fgj');
    expect(back.location).toMatchObject({ stage: 'review', departmentCode: 'QC-FGJ', step: { index: 0, name: '初审', round: 2 } });
    expect(back.events.at(-1).comment).toContain('未落实环评批复要求');
    expect(back.events.at(-1).comment).toContain('联合审查第1轮：清远市生态环境局清城分局不同意，退回初审');
    // The step is no longer joint: the others' opinions are refused until the lead sends it on.
    expect((await act('reviewer-zjj-2', id, 'opinion', { opinion: 'approve' })).json().error.code).toBe('FORBIDDEN');
    await act('reviewer-fgj', id, 'review', { version: back.version, comment: '已督促整改' });
    const round2 = await Promise.all(['reviewer-fgj', 'reviewer-zrzy', 'reviewer-shj', 'reviewer'].map((who) => act(who, id, 'opinion', { opinion: 'approve', comment: '同意' })));
    expect(round2.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect((await get(id, 'reviewer')).status).toBe('reviewed');
  });

  it('lets a chief representative decide an empowered item on the spot, and records that power', async () => {
    // 房屋租赁登记备案 (QC-ZJJ-001) is on the chief's demo empowerment; decided under 住建局's seal.
    const id = await accepted('QC-ZJJ-001');
    expect((await get(id, 'chief')).allowedActions).toEqual(expect.arrayContaining(['grant', 'deny']));
    expect((await act('chief', id, 'grant', { version: 2, comment: '当场办结' })).json().status).toBe('granted');
    const detail = await get(id, 'chief');
    expect(detail.decision.authority).toMatchObject({ kind: 'chief_representative', empowermentId: expect.any(String) });
    expect(JSON.parse(detail.decision.document).power.kind).toBe('chief_representative');
    expect(detail.documents.map((d: { kind: string }) => d.kind)).toEqual(['acceptance_notice', 'grant_decision']);
    // Not an empowered item: no on-the-spot decision.
    const other = await accepted('QC-ZJJ-004');
    expect((await act('chief', other, 'grant', { version: 2 })).statusCode).toBe(403);
  });

  it('stops the clock for a special procedure and extends it by 10 working days, visibly to the applicant', async () => {
    t.setNow('2026-09-30T02:00:00Z');
    const id = await accepted();
    expect((await get(id, 'citizen')).dueDate).toBe('2026-10-13');
    t.setNow('2026-10-09T02:00:00Z');
    try {
      let reviewer = await t.login('reviewer');
      let signatory = await t.login('signatory');
      let citizen = await t.login('citizen');
      const call = (token: string, action: string, body: object) => t.call('POST', `/api/v1/applications/${id}/actions/${action}`, token, body);
      expect((await call(reviewer, 'pause_clock', { version: 2, procedure: { kind: 'expert_review' } })).json().error.code).toBe('COMMENT_REQUIRED');
      expect((await call(reviewer, 'pause_clock', { version: 2, procedure: { kind: 'expert_review' }, comment: '组织专家评审' })).json()).toMatchObject({ version: 3, dueDate: null });
      expect((await call(reviewer, 'pause_clock', { version: 3, procedure: { kind: 'testing' }, comment: '再次' })).json().error.code).toBe('CLOCK_ALREADY_PAUSED');
      const paused = (await t.call('GET', `/api/v1/applications/${id}`, citizen)).json();
      expect(paused.clock.state).toBe('paused');
      expect(paused.pauses).toEqual([{ kind: 'expert_review', from: '2026-10-09', to: null, reason: '组织专家评审' }]);
      expect(paused.documents.map((d: { kind: string }) => d.kind)).toContain('special_procedure_notice');
      // Resumed on Monday 10-12: 10-09, 10-10 (worked Saturday) and 10-12 are not counted.
      // 5 working days: 10-08, 10-13, 10-14, 10-15, 10-16.
      t.setNow('2026-10-12T02:00:00Z');
      reviewer = await t.login('reviewer'); // sessions last 12 hours on the platform clock
      signatory = await t.login('signatory');
      citizen = await t.login('citizen');
      expect((await call(reviewer, 'resume_clock', { version: 3 })).json()).toMatchObject({ version: 4, dueDate: '2026-10-16' });
      // +10 working days (art. 42): 10-19…10-23 and 10-26…10-30.
      expect((await call(reviewer, 'extend', { version: 4, comment: '情况复杂' })).statusCode).toBe(403);
      expect((await call(signatory, 'extend', { version: 4, comment: '情况复杂，需进一步核查' })).json()).toMatchObject({ version: 5, dueDate: '2026-10-30' });
      expect((await call(signatory, 'extend', { version: 5, comment: '再延' })).json().error.code).toBe('ALREADY_EXTENDED');
      const seen = (await t.call('GET', `/api/v1/applications/${id}`, citizen)).json();
      expect(seen).toMatchObject({ extensionDays: 10, dueDate: '2026-10-30', clock: { dueDate: '2026-10-30', state: 'running' } });
      expect(seen.documents.map((d: { kind: string }) => d.kind)).toEqual(['acceptance_notice', 'special_procedure_notice', 'extension_notice']);
    } finally {
      t.setNow('2026-09-30T02:00:00Z');
    }
  });

  it('decides a commitment on the spot, checks it afterwards, orders correction or revokes, and bars a false committer', async () => {
    const item = (await t.call('GET', '/api/v1/items/QC-SPJ-001')).json();
    const textSm3 = sm3Hex(item.notificationCommitment.text);
    expect((await submit('enterprise', { itemCode: 'QC-SPJ-001', commitment: { textSm3: sm3Hex('别的文本') } })).json().error.code).toBe('COMMITMENT_TEXT_CHANGED');
    expect((await submit('enterprise', { itemCode: ITEM.code, commitment: { textSm3 } })).json().error.code).toBe('COMMITMENT_NOT_ELIGIBLE');
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const id = await accepted('QC-SPJ-001', 'enterprise', { commitment: { textSm3 } });
      const d = await get(id, 'signatory');
      expect(d.dueDate).toBe('2026-09-30'); // decided the same day
      expect(d.allowedActions).toContain('grant');
      expect((await act('signatory', id, 'grant', { version: 2, comment: '告知承诺，当场作出' })).json().status).toBe('granted');
      ids.push(id);
    }
    const decided = await get(ids[0]!, 'reviewer-spj');
    expect(decided.decision.authority.kind).toBe('commitment');
    // 20 working days after 2026-09-30: 10-08…10-10 (3), 10-12…10-16 (8), 10-19…10-23 (13), 10-26…10-30 (18), 11-02 (19), 11-03 (20).
    expect(decided.commitmentChecks).toMatchObject([{ status: 'open', dueDate: '2026-11-03', departmentCode: 'QC-SPJ' }]);
    const checks = (await t.call('GET', '/api/v1/commitment-checks?status=open', tok['reviewer-spj'])).json().items;
    const checkOf = (id: string) => checks.find((c: { applicationId: string }) => c.applicationId === id).id;
    expect(checks.find((c: { applicationId: string }) => c.applicationId === ids[0])).toMatchObject({ applicationNumber: decided.number, itemName: '建筑工程施工许可证核发', applicantName: '清远市清城区示范建设有限公司' });

    const correction = await t.call('POST', `/api/v1/commitment-checks/${checkOf(ids[0]!)}/result`, tok['reviewer-spj'], { result: 'failed', finding: '施工场地未落实', outcome: 'correction', correctionDueDate: '2026-10-20' });
    expect(correction.json()).toMatchObject({ status: 'failed', outcome: 'correction', correctionDueDate: '2026-10-20' });
    expect((await get(ids[0]!, 'enterprise')).documents.map((d: { kind: string }) => d.kind)).toContain('correction_order');

    // Only the head (a signatory) revokes.
    const byReviewer = await t.call('POST', `/api/v1/commitment-checks/${checkOf(ids[1]!)}/result`, tok['reviewer-spj'], { result: 'failed', finding: '资金证明虚假', outcome: 'revocation' });
    expect(byReviewer.statusCode).toBe(403);
    const revoked = await t.call('POST', `/api/v1/commitment-checks/${checkOf(ids[1]!)}/result`, tok.signatory, { result: 'failed', finding: '资金证明虚假', outcome: 'revocation' });
    expect(revoked.json()).toMatchObject({ status: 'failed', outcome: 'revocation' });
    const after = await get(ids[1]!, 'enterprise');
    expect(after.status).toBe('revoked');
    const grant = after.documents.find((d: { kind: string }) => d.kind === 'grant_decision');
    expect(grant.revoked).toBe(true);
    expect((await t.call('GET', `/api/v1/verify/${grant.number}`)).json()).toMatchObject({ valid: false, reason: 'REVOKED' });
    expect(after.documents.map((d: { kind: string }) => d.kind)).toContain('revocation_decision');
    expect((await t.call('POST', `/api/v1/commitment-checks/${checkOf(ids[1]!)}/result`, tok.signatory, { result: 'passed', finding: '' })).json().error.code).toBe('CHECK_NOT_OPEN');

    // A recorded false commitment bars the applicant from commitment.
    expect((await submit('enterprise', { itemCode: 'QC-SPJ-001', commitment: { textSm3 } })).json().error.code).toBe('COMMITMENT_BARRED');
  });

  it('waives materials on an exemption list for the applicant\'s category', async () => {
    const item = (await t.call('GET', `/api/v1/items/${ITEM.code}`)).json();
    const idMaterial = item.materials.find((m: { name: string }) => m.name === '身份证明').id;
    const set = await t.call('PUT', `/api/v1/items/${ITEM.code}/exemptions`, tok.admin, { items: [{ materialId: idMaterial, category: 'elderly', basis: '清城区老年人办事豁免清单（测试）' }] });
    expect(set.json().items).toEqual([{ materialId: idMaterial, name: '身份证明', category: 'elderly', categoryName: '60周岁以上老年人', basis: '清城区老年人办事豁免清单（测试）' }]);
    expect((await t.call('PUT', `/api/v1/items/${ITEM.code}/exemptions`, tok.clerk, { items: [] })).statusCode).toBe(403);
    const twice = { materialId: idMaterial, category: 'elderly', basis: 'x' };
    expect((await t.call('PUT', `/api/v1/items/${ITEM.code}/exemptions`, tok.admin, { items: [twice, twice] })).json().error.code).toBe('MATERIAL_DUPLICATE');
    // The demo citizen (born 1990) is not exempted; 李四 (born 1949-12-31) is, on 2026-09-30.
    const young = (await submit('citizen', { itemCode: ITEM.code })).json().id;
    expect((await get(young, 'citizen')).exemptedMaterials).toEqual([]);
    const old = (await submit('citizen-2', { itemCode: ITEM.code })).json().id;
    expect((await get(old, 'citizen-2')).exemptedMaterials).toEqual([{ materialId: idMaterial, name: '身份证明', basis: '清城区老年人办事豁免清单（测试）' }]);
    await t.call('PUT', `/api/v1/items/${ITEM.code}/exemptions`, tok.admin, { items: [] });
  });

  it('delivers by mail with a tracking number, or online when the applicant chose it (art. 44: within 10 working days)', async () => {
    const id = await accepted(ITEM.code, 'citizen', { deliveryMethod: 'mail' });
    await act('reviewer', id, 'review', { version: 2 });
    await act('signatory', id, 'grant', { version: 3 });
    const d = await get(id, 'citizen');
    // 10 working days after 2026-09-30: 10-08…10-10, 10-12…10-16, 10-19, 10-20.
    expect(d.deliveryDeadline).toBe('2026-10-20');
    expect((await act('citizen', id, 'receive', { version: 4 })).json().error.code).toBe('NOT_ONLINE_DELIVERY');
    expect((await act('clerk', id, 'deliver', { version: 4, delivery: { method: 'mail' } })).json().error.code).toBe('DELIVERY_DETAILS_REQUIRED');
    expect((await act('clerk', id, 'deliver', { version: 4, delivery: { method: 'mail', trackingNumber: 'SF1234567890' } })).json().status).toBe('delivered');
    expect((await get(id, 'citizen')).delivery).toMatchObject({ method: 'mail', trackingNumber: 'SF1234567890' });

    // Window pickup chosen: the code cannot be side-stepped by "mailing" it.
    const atWindow = await accepted();
    await act('reviewer', atWindow, 'review', { version: 2 });
    await act('signatory', atWindow, 'grant', { version: 3 });
    expect((await act('clerk', atWindow, 'deliver', { version: 4, delivery: { method: 'mail', trackingNumber: 'SF1' } })).json().error.code).toBe('DELIVERY_METHOD_MISMATCH');

    const online = await accepted(ITEM.code, 'citizen', { deliveryMethod: 'online' });
    await act('reviewer', online, 'review', { version: 2 });
    await act('signatory', online, 'deny', { version: 3, comment: '不符合条件' });
    expect((await get(online, 'citizen')).allowedActions).toContain('receive');
    expect((await act('citizen', online, 'receive', { version: 4 })).json().status).toBe('delivered');
    expect((await get(online, 'citizen')).delivery).toMatchObject({ method: 'online', byId: null });
  });

  it('lets an authorised agent apply for a citizen, recording who acted for whom', async () => {
    const me = (await t.call('GET', '/api/v1/auth/me', tok.citizen)).json().user;
    expect((await submit('agent', { itemCode: ITEM.code, onBehalfOf: me.id })).json().error.code).toBe('AGENT_NOT_AUTHORIZED');
    const auth = await t.call('POST', '/api/v1/authorizations', tok.citizen, { agentUsername: 'agent', itemCodes: [ITEM.code], validTo: '2026-10-31' });
    expect(auth.statusCode).toBe(201);
    expect((await t.call('POST', '/api/v1/authorizations', tok.citizen, { agentUsername: 'clerk', itemCodes: [], validTo: '2026-10-31' })).json().error.code).toBe('AUTHORIZATION_INVALID');
    expect((await t.call('POST', '/api/v1/authorizations', tok.citizen, { agentUsername: 'agent', itemCodes: ['NO-SUCH-ITEM'], validTo: '2026-10-31' })).json().error.code).toBe('AUTHORIZATION_INVALID');
    // The agent sees whom they act for, by name.
    expect((await t.call('GET', '/api/v1/authorizations', tok.agent)).json().items).toContainEqual(expect.objectContaining({ principal: { id: me.id, displayName: '陈清华', kind: 'person' } }));
    const made = await submit('agent', { itemCode: ITEM.code, onBehalfOf: me.id });
    expect(made.statusCode).toBe(201);
    const d = await get(made.json().id, 'citizen');
    expect(d).toMatchObject({ applicantName: '陈清华', agent: { displayName: '帮办代办员 梁帮' } });
    expect(d.events[0]).toMatchObject({ actor: { role: 'agent', displayName: '帮办代办员 梁帮' }, comment: '代办（委托人：陈清华）' });
    // The agent sees it and takes the applicant's steps; not for another item.
    expect((await get(made.json().id, 'agent')).allowedActions).toContain('withdraw');
    expect((await submit('agent', { itemCode: TWO_STEPS.code, onBehalfOf: me.id })).json().error.code).toBe('AGENT_NOT_AUTHORIZED');
    await t.call('POST', `/api/v1/authorizations/${auth.json().id}/revoke`, tok.citizen);
    expect((await submit('agent', { itemCode: ITEM.code, onBehalfOf: me.id })).json().error.code).toBe('AGENT_NOT_AUTHORIZED');
  });

  it('groups a key project\'s applications on one timeline with its service officer', async () => {
    const created = await t.call('POST', '/api/v1/projects', tok.clerk, { code: '2026-441802-47-01-000001', name: '示范产业园一期', enterpriseUsername: 'enterprise', officerUsername: 'agent' });
    expect(created.statusCode).toBe(201);
    const pid = created.json().id;
    const a = (await submit('enterprise', { itemCode: ITEM.code, projectId: pid })).json().id;
    const b = (await submit('enterprise', { itemCode: 'QC-SPJ-032', projectId: pid })).json().id;
    await act('clerk', a, 'accept', { version: 1 });
    expect((await submit('citizen', { itemCode: ITEM.code, projectId: pid })).json().error.code).toBe('PROJECT_NOT_FOUND');
    const timeline = (await t.call('GET', `/api/v1/projects/${pid}`, tok.agent)).json();
    expect(timeline.officer.displayName).toBe('帮办代办员 梁帮');
    expect(timeline.enterprise.displayName).toBe('清远市清城区示范建设有限公司');
    expect((await t.call('GET', '/api/v1/projects', tok.enterprise)).json().items).toContainEqual(expect.objectContaining({ id: pid, enterprise: '清远市清城区示范建设有限公司', officer: '帮办代办员 梁帮' }));
    expect(timeline.applications.map((x: { id: string }) => x.id).sort()).toEqual([a, b].sort());
    expect(timeline.timeline.map((e: { action: string }) => e.action).sort()).toEqual(['accept', 'submit', 'submit']);
    // The officer sees the project's applications; a citizen does not see the project.
    expect((await get(a, 'agent')).id).toBe(a);
    expect((await t.call('GET', `/api/v1/projects/${pid}`, tok.citizen)).statusCode).toBe(404);
  });

  it('rotates the bureau\'s seal and keeps earlier decisions verifiable', async () => {
    const before = await accepted();
    await act('reviewer', before, 'review', { version: 2 });
    await act('signatory', before, 'grant', { version: 3 });
    const oldDoc = (await get(before, 'citizen')).documents.find((d: { kind: string }) => d.kind === 'grant_decision');
    expect((await t.call('POST', '/api/v1/seals/QC-SPJ/rotate', tok.signatory)).statusCode).toBe(403);
    t.setNow('2026-09-30T03:00:00Z');
    try {
      // an hour later: the morning's sessions have been idle too long (30 minutes)
      expect((await t.call('POST', '/api/v1/seals/QC-SPJ/rotate', tok.admin)).statusCode).toBe(401);
      const rotated = await t.call('POST', '/api/v1/seals/QC-SPJ/rotate', await t.login('admin'));
      expect(rotated.json()).toMatchObject({ departmentCode: 'QC-SPJ', status: 'active', name: '清远市清城区行政审批局行政审批专用章' });
      const seals = (await t.call('GET', '/api/v1/seals')).json().items.filter((s: { departmentCode: string }) => s.departmentCode === 'QC-SPJ');
      expect(seals.map((s: { status: string }) => s.status).sort()).toEqual(['active', 'retired']);
      expect(seals.every((s: { pictureSvg: string; esId: string }) => s.pictureSvg.includes('<svg') && /^441802\d{8}$/.test(s.esId))).toBe(true);
      expect((await t.call('GET', `/api/v1/verify/${oldDoc.number}`)).json()).toMatchObject({ valid: true, document: { seal: { status: 'retired' } } });
      const signatory = await t.login('signatory');
      const reviewer = await t.login('reviewer');
      const clerk = await t.login('clerk');
      const { id } = (await t.call('POST', '/api/v1/applications', await t.login('citizen'), { itemCode: ITEM.code, form: {}, materials: [] }, { 'idempotency-key': crypto.randomUUID() })).json();
      await t.call('POST', `/api/v1/applications/${id}/actions/accept`, clerk, { version: 1 });
      await t.call('POST', `/api/v1/applications/${id}/actions/review`, reviewer, { version: 2 });
      await t.call('POST', `/api/v1/applications/${id}/actions/grant`, signatory, { version: 3 });
      const newDoc = (await t.call('GET', `/api/v1/applications/${id}`, signatory)).json().documents.find((d: { kind: string }) => d.kind === 'grant_decision');
      const v = (await t.call('GET', `/api/v1/verify/${newDoc.number}`)).json();
      expect(v).toMatchObject({ valid: true, document: { seal: { status: 'active' } } });
      expect(v.document.seal.publicKey).toBe(rotated.json().publicKey);
    } finally {
      t.setNow('2026-09-30T02:00:00Z');
    }
  });
});
