/**
 * Electronic licences through the HTTP API, on every backend: the registry, the wallet, using a
 * licence for a material (authorisation, retrieval, access log), issuance on a grant, public
 * verification (400/404, masking), suspension and revocation, import, usage counts.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { testBackends } from '../../db/testing.js';
import { createUser } from '../identity/service.js';
import { parseLicenseIdentifier } from './identifier.js';

// 城乡居民基本养老保险参保登记: materials 申请人有效身份证件 (resident_id) and 居民户口簿 (household_register)
const PENSION = 'QC-RSJ-005';
// 食品经营许可（新办）: a 营业执照 material; a grant issues a 食品经营许可证
const FOOD = 'QC-SJJ-005';

describe.each(testBackends())('electronic licences on %s', (backend) => {
  let t: TestApp;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(backend);
    for (const [username, roles, dept] of [
      ['rsj-reviewer', ['reviewer'], 'QC-RSJ'],
      ['sjj-reviewer', ['reviewer'], 'QC-SJJ'],
      ['sjj-signatory', ['signatory'], 'QC-SJJ'],
      ['rsj-signatory', ['signatory'], 'QC-RSJ'],
    ] as const) {
      await createUser(t.database.db, { username, password: 'x-password-1', displayName: username, kind: 'staff', roles: [...roles], departmentCode: dept });
      tok[username] = await t.login(username, 'x-password-1');
    }
    for (const u of ['citizen', 'enterprise', 'clerk', 'reviewer', 'admin', 'agent']) tok[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  const item = async (code: string) => (await t.call('GET', `/api/v1/items/${code}`)).json();
  const wallet = async (who: string) => (await t.call('GET', '/api/v1/licenses/mine', tok[who])).json().items;
  const submit = (who: string, body: object) => t.call('POST', '/api/v1/applications', tok[who], { form: {}, materials: [], ...body }, { 'idempotency-key': crypto.randomUUID() });

  async function pensionWithLicences() {
    const it = await item(PENSION);
    const mine = await wallet('citizen');
    const byType = (type: string) => mine.find((l: { type: string }) => l.type === type);
    const mat = (type: string) => it.materials.find((m: { licenseType: string }) => m.licenseType === type);
    return { it, byType, mat };
  }

  it('keeps a registry of the 11 licence types, each with issuer, holder kind, fields and a GB/T 36904 type code', async () => {
    const types = (await t.call('GET', '/api/v1/licenses/types')).json().items;
    expect(types.map((x: { name: string }) => x.name).sort()).toEqual(
      ['中华人民共和国残疾人证', '居住证', '居民户口簿', '居民身份证', '不动产权证书', '出生医学证明', '营业执照', '结婚证', '社会保障卡', '食品经营许可证', '建筑工程施工许可证'].sort(),
    );
    for (const x of types) {
      expect(x.typeCode).toMatch(/^[0-9A-Z]{18}\d{3}$/);
      expect(['person', 'organization']).toContain(x.holderKind);
      expect(x.fields.length).toBeGreaterThan(1);
    }
  });

  it('shows the holder their licences whole, and nobody else', async () => {
    const mine = await wallet('citizen');
    expect(mine.map((l: { type: string }) => l.type).sort()).toEqual(['household_register', 'resident_id']);
    const id = mine.find((l: { type: string }) => l.type === 'resident_id');
    expect(id).toMatchObject({ holderName: '陈清华', holderIdNumber: '441802199003071235', status: 'valid', source: 'import' });
    expect(parseLicenseIdentifier(id.identifier).identifier).toBe(id.identifier);
    expect((await wallet('enterprise')).map((l: { type: string }) => l.type)).toEqual(['business_license']);
    expect((await t.call('GET', '/api/v1/licenses/mine', tok.clerk)).statusCode).toBe(403);
    expect((await t.call('GET', `/api/v1/licenses/${id.id}/access-log`, tok.enterprise)).statusCode).toBe(404);
    // 36 characters that are not a UUID name nothing (they once reached the uuid column: a 500)
    expect((await t.call('GET', `/api/v1/licenses/${'-'.repeat(36)}/access-log`, tok.citizen)).statusCode).toBe(404);
    expect((await t.call('POST', `/api/v1/license-authorizations/${'-'.repeat(36)}/revoke`, tok.citizen)).statusCode).toBe(404);
    expect((await t.call('POST', `/api/v1/chief-representatives/${'-'.repeat(36)}/revoke`, tok.admin)).statusCode).toBe(404);
    expect((await t.call('POST', `/api/v1/commitment-checks/${'a'.repeat(36)}/result`, tok['rsj-reviewer'], { result: 'passed' })).statusCode).toBe(404);
  });

  it('lets an applicant use two e-licences for materials; the clerk retrieves them verified and the holder sees the retrieval', async () => {
    const { byType, mat } = await pensionWithLicences();
    const res = await submit('citizen', {
      itemCode: PENSION,
      materials: [
        { materialId: mat('resident_id').id, licenseId: byType('resident_id').id },
        { materialId: mat('household_register').id, licenseId: byType('household_register').id },
      ],
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    const detail = (await t.call('GET', `/api/v1/applications/${id}`, tok.clerk)).json();
    expect(detail.materials.map((m: { licenseIdentifier: string }) => m.licenseIdentifier)).toEqual([byType('resident_id').identifier, byType('household_register').identifier]);

    const seen = (await t.call('GET', `/api/v1/applications/${id}/licenses`, tok.clerk)).json().items;
    expect(seen.map((x: { verified: boolean; authorized: boolean }) => [x.authorized, x.verified])).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(seen[0].license.fields).toContainEqual({ key: 'address', label: '住址', value: '广东省清远市清城区凤城街道演示路1号' });
    // The reviewer of the item's department sees them too; the admin (not handling) does not.
    expect((await t.call('GET', `/api/v1/applications/${id}/licenses`, tok['rsj-reviewer'])).json().items).toHaveLength(2);
    expect((await t.call('GET', `/api/v1/applications/${id}/licenses`, tok.admin)).statusCode).toBe(403);
    // A reviewer of another department does not even see the application.
    expect((await t.call('GET', `/api/v1/applications/${id}/licenses`, tok.reviewer)).statusCode).toBe(404);

    const log = (await t.call('GET', `/api/v1/licenses/${byType('resident_id').id}/access-log`, tok.citizen)).json().items;
    expect(log[0].applicationNumber).toBe(detail.number);
    expect(log.map((e: { accessorName: string; applicationId: string; verified: boolean }) => [e.accessorName, e.applicationId, e.verified])).toEqual([
      ['rsj-reviewer', id, true],
      ['综合窗口 李敏', id, true],
    ]);

    // The holder withdraws the authorisation: no more retrieval, nothing shown.
    const auth = (await wallet('citizen')).find((l: { type: string }) => l.type === 'resident_id').authorizations.find((a: { applicationId: string }) => a.applicationId === id);
    await t.call('POST', `/api/v1/license-authorizations/${auth.id}/revoke`, tok.citizen);
    const after = (await t.call('GET', `/api/v1/applications/${id}/licenses`, tok.clerk)).json().items;
    expect(after[0]).toMatchObject({ authorized: false, license: null, reason: 'NOT_AUTHORIZED' });
    expect(after[1]).toMatchObject({ authorized: true, verified: true });
  });

  it('ends an authorisation at its expiry', async () => {
    const { byType, mat } = await pensionWithLicences();
    const id = (await submit('citizen', { itemCode: PENSION, materials: [{ materialId: mat('resident_id').id, licenseId: byType('resident_id').id }] })).json().id;
    t.setNow('2027-10-01T02:00:00Z'); // more than a year later
    try {
      const clerk = await t.login('clerk');
      expect((await t.call('GET', `/api/v1/applications/${id}/licenses`, clerk)).json().items[0]).toMatchObject({ authorized: false, reason: 'NOT_AUTHORIZED' });
    } finally {
      t.setNow('2026-09-30T02:00:00Z');
    }
    // a department-and-purpose authorisation reaches that department's staff
    const lic = byType('resident_id');
    expect((await t.call('POST', `/api/v1/licenses/${lic.id}/authorizations`, tok.citizen, { departmentCode: 'QC-RSJ', validTo: '2026-12-31T00:00:00+08:00' })).json().error.code).toBe('LICENSE_AUTHORIZATION_INVALID');
    expect((await t.call('POST', `/api/v1/licenses/${lic.id}/authorizations`, tok.citizen, { departmentCode: 'QC-RSJ', purpose: '养老保险待遇资格认证', validTo: '2026-09-29T00:00:00+08:00' })).json().error.code).toBe('LICENSE_AUTHORIZATION_INVALID');
    // an application must be the holder's own (a malformed id answered 500), a department a known one
    for (const body of [{ applicationId: 'not-an-application' }, { applicationId: crypto.randomUUID() }, { departmentCode: 'NO-SUCH-DEPT', purpose: '核验' }]) {
      const r = await t.call('POST', `/api/v1/licenses/${lic.id}/authorizations`, tok.citizen, { ...body, validTo: '2026-12-31T00:00:00+08:00' });
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().error.code).toBe('LICENSE_AUTHORIZATION_INVALID');
    }
    expect((await t.call('POST', `/api/v1/licenses/${lic.id}/authorizations`, tok.citizen, { departmentCode: 'QC-RSJ', purpose: '养老保险待遇资格认证', validTo: '2026-12-31T00:00:00+08:00' })).statusCode).toBe(201);
    t.setNow('2027-10-01T02:00:00Z');
    try {
      const reviewer = await t.login('rsj-reviewer', 'x-password-1');
      expect((await t.call('GET', `/api/v1/applications/${id}/licenses`, reviewer)).json().items[0]).toMatchObject({ authorized: false });
    } finally {
      t.setNow('2026-09-30T02:00:00Z');
    }
    expect((await t.call('GET', `/api/v1/applications/${id}/licenses`, tok['rsj-reviewer'])).json().items[0]).toMatchObject({ authorized: true, verified: true });
  });

  it('refuses a licence of the wrong type, someone else\'s, and use by an agent', async () => {
    const { byType, mat } = await pensionWithLicences();
    expect((await submit('citizen', { itemCode: PENSION, materials: [{ materialId: mat('resident_id').id, licenseId: byType('household_register').id }] })).json().error.code).toBe('LICENSE_TYPE_MISMATCH');
    const theirs = (await wallet('enterprise'))[0].id;
    expect((await submit('citizen', { itemCode: PENSION, materials: [{ materialId: mat('resident_id').id, licenseId: theirs }] })).json().error.code).toBe('LICENSE_NOT_FOUND');
    const me = (await t.call('GET', '/api/v1/auth/me', tok.citizen)).json().user;
    await t.call('POST', '/api/v1/authorizations', tok.citizen, { agentUsername: 'agent', itemCodes: [], validTo: '2026-12-31' });
    expect((await submit('agent', { itemCode: PENSION, onBehalfOf: me.id, materials: [{ materialId: mat('resident_id').id, licenseId: byType('resident_id').id }] })).json().error.code).toBe('LICENSE_USE_NOT_ALLOWED');
  });

  it('issues a licence on a grant, verifiable by anyone by identifier, showing only public fields', async () => {
    const it = await item(FOOD);
    const bl = (await wallet('enterprise'))[0];
    const blMaterial = it.materials.find((m: { licenseType: string }) => m.licenseType === 'business_license');
    const { id } = (await submit('enterprise', { itemCode: FOOD, form: { categories: '食品销售经营者（便利店）', scope: '预包装食品销售', address: '清远市清城区演示大道88号' }, materials: [{ materialId: blMaterial.id, licenseId: bl.id }] })).json();
    await t.call('POST', `/api/v1/applications/${id}/actions/accept`, tok.clerk, { version: 1 });
    await t.call('POST', `/api/v1/applications/${id}/actions/review`, tok['sjj-reviewer'], { version: 2 });
    expect((await t.call('POST', `/api/v1/applications/${id}/actions/grant`, tok['sjj-signatory'], { version: 3 })).json().status).toBe('granted');
    const issued = (await t.call('GET', `/api/v1/applications/${id}`, tok.enterprise)).json().licenses;
    expect(issued).toHaveLength(1);
    const identifier = issued[0].identifier;
    // GB/T 36904: this type's code, the district as issuer, a serial of this year, version 001
    expect(parseLicenseIdentifier(identifier)).toMatchObject({ typeCode: '441802000000000000010', issuerCode: '441802', version: '001' });
    expect(identifier).toMatch(/^1\.2\.156\.3005\.2\.441802000000000000010\.441802\.2026\d{7}\.001\.[0-9A-Z]$/);
    const v = (await t.call('GET', `/api/v1/licenses/verify/${identifier}`)).json();
    expect(v).toMatchObject({ valid: true, reason: null, license: { typeName: '食品经营许可证', holderName: '清远市清城区示范建设有限公司', validFrom: '2026-09-30', validTo: '2031-09-30', status: 'valid' } });
    expect(v.license.fields).toContainEqual({ key: 'scope', label: '经营项目', value: '预包装食品销售' });
    expect((await wallet('enterprise')).map((l: { type: string }) => l.type).sort()).toEqual(['business_license', 'food_business_license']);
  });

  it('answers 400 for a malformed identifier or a wrong check character, 404 for one it does not hold, and masks personal data', async () => {
    const bad = await t.call('GET', '/api/v1/licenses/verify/1.2.156.3005.2.abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_IDENTIFIER');
    const wrongCheck = await t.call('GET', '/api/v1/licenses/verify/1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.V');
    expect(wrongCheck.statusCode).toBe(400);
    expect(wrongCheck.json().error.message).toContain('校验位');
    const notHeld = await t.call('GET', '/api/v1/licenses/verify/1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U');
    expect(notHeld.statusCode).toBe(404);
    expect(notHeld.json().error.code).toBe('LICENSE_NOT_FOUND');

    const idCard = (await wallet('citizen')).find((l: { type: string }) => l.type === 'resident_id');
    const v = (await t.call('GET', `/api/v1/licenses/verify/${idCard.identifier}`)).json();
    expect(v.valid).toBe(true);
    expect(v.license.holderName).toBe('陈**');
    expect(v.license.holderIdNumber).not.toContain('199003071235');
    const text = JSON.stringify(v);
    expect(text).not.toContain('441802199003071235');
    expect(text).not.toContain('演示路1号'); // the address is not a public field
    expect(text).not.toContain('陈清华');
  });

  it('suspends, reinstates and revokes with a reason; a revoked licence fails verification and cannot be used', async () => {
    const { byType, mat } = await pensionWithLicences();
    const hr = byType('household_register');
    // only the issuing department's signatory (公安 is not on the platform here) or an admin
    expect((await t.call('POST', `/api/v1/licenses/${hr.identifier}/status`, tok['rsj-signatory'], { status: 'suspended', reason: 'x' })).statusCode).toBe(403);
    expect((await t.call('POST', `/api/v1/licenses/${hr.identifier}/status`, tok.admin, { status: 'suspended', reason: '' })).json().error.code).toBe('COMMENT_REQUIRED');
    await t.call('POST', `/api/v1/licenses/${hr.identifier}/status`, tok.admin, { status: 'suspended', reason: '户籍信息核查中' });
    expect((await t.call('GET', `/api/v1/licenses/verify/${hr.identifier}`)).json()).toMatchObject({ valid: false, reason: 'SUSPENDED', license: { statusReason: '户籍信息核查中' } });
    expect((await submit('citizen', { itemCode: PENSION, materials: [{ materialId: mat('household_register').id, licenseId: hr.id }] })).json().error.code).toBe('LICENSE_NOT_USABLE');
    await t.call('POST', `/api/v1/licenses/${hr.identifier}/status`, tok.admin, { status: 'valid', reason: '' });
    expect((await t.call('GET', `/api/v1/licenses/verify/${hr.identifier}`)).json().valid).toBe(true);
    await t.call('POST', `/api/v1/licenses/${hr.identifier}/status`, tok.admin, { status: 'revoked', reason: '户口已迁出' });
    expect((await t.call('GET', `/api/v1/licenses/verify/${hr.identifier}`)).json()).toMatchObject({ valid: false, reason: 'REVOKED', message: '证照已注销' });
    const used = await submit('citizen', { itemCode: PENSION, materials: [{ materialId: mat('household_register').id, licenseId: hr.id }] });
    expect(used.statusCode).toBe(409);
    expect(used.json().error.message).toContain('证照已注销');
    expect((await t.call('POST', `/api/v1/licenses/${hr.identifier}/status`, tok.admin, { status: 'valid', reason: '' })).json().error.code).toBe('LICENSE_STATUS_INVALID');
  });

  it('detects licence data altered in storage', async () => {
    const bl = (await wallet('enterprise')).find((l: { type: string }) => l.type === 'business_license');
    await t.database.db.execute(`UPDATE licenses SET data = jsonb_set(data, '{registeredCapital}', '"人民币壹亿元"') WHERE id = '${bl.id}'`);
    expect((await t.call('GET', `/api/v1/licenses/verify/${bl.identifier}`)).json()).toMatchObject({ valid: false, reason: 'DIGEST_MISMATCH' });
  });

  it('imports licences of other authorities row by row, refusing bad numbers and identifiers', async () => {
    const face = '男,汉,1949-12-31,北京市朝阳区示例路2号';
    const csv = [
      'type,holderIdNumber,holderName,validFrom,validTo,identifier,data.name,data.idNumber,data.gender,data.ethnicity,data.birthDate,data.address',
      `resident_id,110105194912310021,错号,2020-01-01,2040-01-01,,错号,110105194912310021,${face}`,
      `resident_id,11010519491231002X,李四,2020-01-01,2040-01-01,1.2.156.3005.2.441802000000000000001.441802.20200000001.001.A,李四,11010519491231002X,${face}`,
      `resident_id,11010519491231002X,李四,2020-01-01,2040-01-01,,李四,11010519491231002X,${face}`,
      'no_such_type,11010519491231002X,李四,2020-01-01,,,,,,,,',
      // impossible dates, an end before the start, and a licence without its face
      `resident_id,11010519491231002X,李四,2020-02-30,2040-01-01,,李四,11010519491231002X,${face}`,
      `resident_id,11010519491231002X,李四,2040-01-01,2020-01-01,,李四,11010519491231002X,${face}`,
      'resident_id,11010519491231002X,李四,2020-01-01,2040-01-01,,,,,,,',
    ].join('\n');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/licenses/import', headers: { authorization: `Bearer ${tok.admin}`, 'content-type': 'text/csv' }, payload: csv });
    expect(res.json()).toMatchObject({ total: 7, imported: 1 });
    expect(res.json().rejected.map((r: { row: number }) => r.row)).toEqual([1, 2, 4, 5, 6, 7]);
    expect(res.json().rejected.map((r: { reasons: { rule: string }[] }) => r.reasons.map((x) => x.rule))).toEqual([['HOLDER_ID'], ['IDENTIFIER'], ['TYPE'], ['DATES'], ['DATES'], ['DATA']]);
    // a JSON body is checked by its schema, with a translated message
    const bad = await t.call('POST', '/api/v1/licenses/import', tok.admin, {});
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_ERROR');
    expect(res.json().rejected[1].reasons[0]).toEqual({ rule: 'IDENTIFIER', 'zh-CN': '证照标识校验位错误', en: 'The identifier\'s check character is wrong' });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/licenses/import', headers: { authorization: `Bearer ${tok.clerk}`, 'content-type': 'text/csv' }, payload: csv })).statusCode).toBe(403);
  });

  it('counts per item and per department the materials satisfied by an e-licence', async () => {
    const byItem = (await t.call('GET', '/api/v1/licenses/usage?by=item', tok.admin)).json().items;
    const pension = byItem.find((x: { itemCode: string }) => x.itemCode === PENSION);
    // first test: 2 materials in 1 application; expiry test: 1 in 1
    expect(pension).toMatchObject({ materials: 3, applications: 2 });
    expect(byItem.find((x: { itemCode: string }) => x.itemCode === FOOD)).toMatchObject({ materials: 1, applications: 1 });
    const byDept = (await t.call('GET', '/api/v1/licenses/usage?by=department', tok.admin)).json().items;
    expect(byDept.find((x: { departmentCode: string }) => x.departmentCode === 'QC-RSJ')).toMatchObject({ materials: 3 });
    expect((await t.call('GET', '/api/v1/licenses/usage', tok.citizen)).statusCode).toBe(403);
    // the district hall's clerk counts the district (all these were filed online: the departments'
    // region 441802); the 凤城街道 clerk counts her subdistrict only, where none was filed
    const districtClerk = (await t.call('GET', '/api/v1/licenses/usage?by=item', tok.clerk)).json().items;
    expect(districtClerk.find((x: { itemCode: string }) => x.itemCode === PENSION)).toMatchObject({ materials: 3, applications: 2 });
    expect((await t.call('GET', '/api/v1/licenses/usage?by=item', await t.login('clerk-fc'))).json().items).toEqual([]);
  });
});
