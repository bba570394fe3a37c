/**
 * Personal data at rest (issue #6, point 4), through the HTTP API and the conversion step, on
 * every backend:
 * - after seeding, an in-person application (with a licence standing for a material) and a grant
 *   that issues a licence, no text or JSON column of any table holds the demo citizen's ID
 *   number or phone, nor those of an applicant taken at the window — only sealed values and
 *   keyed hashes;
 * - lists and staff views show them masked; the subject sees them whole; a staff member sees them
 *   whole only for a purpose their work needs, and each such view is an audit event;
 * - rows written before encryption are sealed by the start-up step, and `pii rotate` re-seals
 *   everything under a new key, both idempotently.
 */
import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test/support/app.js';
import { testBackends } from './db/testing.js';
import { piiViewsOf } from './modules/audit/pii-views.js';
import { verifyAuditChains } from './modules/audit/service.js';
import { createUser } from './modules/identity/service.js';
import { openLicense } from './modules/licenses/pii.js';
import { licenses } from './modules/licenses/schema.js';
import { derivePiiHashKey, PiiVault, piiVault, piiVaultFor, usePiiVault } from './platform/pii-vault.js';
import { sealPersonalData } from './pii.js';

/** The demo citizen (src/seed.ts) and an applicant first seen at the window (a public GB 11643 example). */
const CITIZEN = { id: '441802199003071235', phone: '13800001234', name: '陈清华' };
const WALK_IN = { id: '440524188001010014', phone: '13912345678', name: '赵六' };
/** 社会保障卡申领 (人社局): material 申请人有效身份证件 may be a resident_id licence; a grant issues a social_security_card */
const CARD_ITEM = 'QC-RSJ-021';

type Rows<T> = { rows: T[] };
const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as Rows<T>).rows) as T[];

describe.each(testBackends())('personal data at rest on %s', (backend) => {
  let t: TestApp;
  const tok: Record<string, string> = {};
  let citizenId: string;
  let cardApp: string;
  let walkInApp: string;

  const submit = (who: string, body: object) => t.call('POST', '/api/v1/applications', tok[who], { form: {}, materials: [], ...body }, { 'idempotency-key': crypto.randomUUID() });
  const q = async <T>(text: string) => rowsOf<T>(await t.database.db.execute(sql.raw(text)));

  beforeAll(async () => {
    t = await startTestApp(backend);
    for (const [username, roles] of [
      ['rsj-reviewer', ['reviewer']],
      ['rsj-signatory', ['signatory']],
    ] as const) {
      await createUser(t.database.db, { username, password: 'x-password-1', displayName: username, kind: 'staff', roles: [...roles], departmentCode: 'QC-RSJ' });
      tok[username] = await t.login(username, 'x-password-1');
    }
    for (const u of ['citizen', 'clerk', 'admin', 'agent']) tok[u] = await t.login(u);
    citizenId = (await t.call('GET', '/api/v1/auth/me', tok.citizen)).json().user.id;

    // At the window: the citizen present, her ID card standing for the material, her phone on the form.
    const item = (await t.call('GET', `/api/v1/items/${CARD_ITEM}`)).json();
    const idCard = (await t.call('GET', '/api/v1/licenses/mine', tok.citizen)).json().items.find((l: { type: string }) => l.type === 'resident_id');
    const material = item.materials.find((m: { licenseType: string | null }) => m.licenseType === 'resident_id');
    const res = await submit('clerk', {
      itemCode: CARD_ITEM,
      applicant: { kind: 'person', idNumber: CITIZEN.id, name: CITIZEN.name },
      form: { subject: '社会保障卡申领', phone: CITIZEN.phone, address: '清远市清城区凤城街道演示路1号' },
      materials: [{ materialId: material.id, licenseId: idCard.id }],
    });
    expect(res.statusCode, res.body).toBe(201);
    cardApp = res.json().id;
    // the clerk retrieves the licence under the authorisation (a whole view: license_use)
    expect((await t.call('GET', `/api/v1/applications/${cardApp}/licenses`, tok.clerk)).json().items[0]).toMatchObject({ authorized: true, verified: true });
    expect((await t.call('POST', `/api/v1/applications/${cardApp}/actions/accept`, tok.clerk, { version: 1 })).statusCode).toBe(200);
    expect((await t.call('POST', `/api/v1/applications/${cardApp}/actions/review`, tok['rsj-reviewer'], { version: 2 })).statusCode).toBe(200);
    const grant = await t.call('POST', `/api/v1/applications/${cardApp}/actions/grant`, tok['rsj-signatory'], { version: 3 });
    expect(grant.json().status, grant.body).toBe('granted');

    // A walk-in applicant the platform has never seen: an account is opened for them.
    const walkIn = await submit('clerk', { itemCode: CARD_ITEM, applicant: { kind: 'person', idNumber: WALK_IN.id, name: WALK_IN.name }, form: { subject: '社会保障卡申领', phone: WALK_IN.phone } });
    expect(walkIn.statusCode, walkIn.body).toBe(201);
    walkInApp = walkIn.json().id;
  }, 180_000);
  afterAll(async () => t?.close());

  it('holds no ID number or phone in plaintext in any text or JSON column of any table', async () => {
    const columns = await q<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
       WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')
       ORDER BY 1, 2`,
    );
    // the tables that hold them at all are among those scanned
    const scanned = new Set(columns.map((c) => `${c.table_name}.${c.column_name}`));
    for (const c of ['users.id_number', 'users.phone', 'licenses.holder_id_number', 'licenses.data', 'licenses.content', 'applications.form', 'audit_events.payload', 'idempotency_records.response']) expect(scanned).toContain(c);
    // the old window username was the number's unkeyed SHA-256: a guess could find it
    const legacyUsername = `p-${crypto.createHash('sha256').update(WALK_IN.id).digest('hex').slice(0, 20)}`;
    const needles = [CITIZEN.id, CITIZEN.phone, WALK_IN.id, WALK_IN.phone, legacyUsername];
    const found: string[] = [];
    for (const { table_name, column_name } of columns) {
      for (const needle of needles) {
        const [hit] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text LIKE '%${needle}%'`);
        if (Number(hit!.n)) found.push(`${table_name}.${column_name} holds ${needle}`);
      }
    }
    expect(found).toEqual([]);

    // what is there instead: sealed values (key 0, derived from the master key) and keyed hashes
    const vault = piiVault();
    const [u] = await q<{ id_number: string; id_number_hash: string; phone: string; phone_hash: string }>(`SELECT id_number, id_number_hash, phone, phone_hash FROM users WHERE username = 'citizen'`);
    expect(u!.id_number).toMatch(/^p0\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{24}$/);
    expect(vault.decrypt(u!.id_number, 'users.id_number')).toBe(CITIZEN.id);
    expect(vault.decrypt(u!.phone, 'users.phone')).toBe(CITIZEN.phone);
    expect(u!.id_number_hash).toBe(vault.hash('id', CITIZEN.id));
    expect(u!.phone_hash).toBe(vault.hash('phone', CITIZEN.phone));
    const [card] = await q<{ holder_id_number: string; data: Record<string, string>; content: string; holder_id_number_hash: string }>(
      `SELECT holder_id_number, data, content, holder_id_number_hash FROM licenses WHERE type_code = 'social_security_card'`,
    );
    expect(PiiVault.isSealed(card!.holder_id_number) && PiiVault.isSealed(card!.data.idNumber) && PiiVault.isSealed(card!.content)).toBe(true);
    expect(card!.data.name).toBe(CITIZEN.name);
    expect(card!.holder_id_number_hash).toBe(vault.hash('id', CITIZEN.id));
    const [form] = await q<{ form: Record<string, string>; pii_key_id: number }>(`SELECT form, pii_key_id FROM applications WHERE id = '${cardApp}'`);
    expect(PiiVault.isSealed(form!.form.phone)).toBe(true);
    expect(form!.form.subject).toBe('社会保障卡申领');
    expect(Number(form!.pii_key_id)).toBe(0);
  });

  it('shows the numbers masked in lists and to staff, whole to the subject and the holder', async () => {
    const list = await t.call('GET', '/api/v1/applications?pageSize=100', tok.clerk);
    expect(list.statusCode).toBe(200);
    for (const v of [CITIZEN.id, CITIZEN.phone, WALK_IN.id, WALK_IN.phone]) expect(list.body).not.toContain(v);
    // staff: 138 + four stars + 1234 (maskPhone keeps 3 and 4)
    expect((await t.call('GET', `/api/v1/applications/${cardApp}`, tok.clerk)).json().form).toEqual({ subject: '社会保障卡申领', phone: '138****1234', address: '清远市清城区凤城街道演示路1号' });
    expect((await t.call('GET', `/api/v1/applications/${walkInApp}`, tok.clerk)).json().form).toEqual({ subject: '社会保障卡申领', phone: '139****5678' });
    expect((await t.call('GET', `/api/v1/applications/${cardApp}`, tok.admin)).json().form).toBeNull();
    // the applicant: whole
    expect((await t.call('GET', `/api/v1/applications/${cardApp}`, tok.citizen)).json().form.phone).toBe(CITIZEN.phone);
    expect((await t.call('GET', '/api/v1/auth/me/personal-data', tok.citizen)).json()).toEqual({ idNumber: CITIZEN.id, phone: CITIZEN.phone });
    expect((await t.call('GET', '/api/v1/auth/me/personal-data', tok.clerk)).statusCode).toBe(403);
    // the holder's wallet: the licence issued on the grant, with her number printed in it
    const card = (await t.call('GET', '/api/v1/licenses/mine', tok.citizen)).json().items.find((l: { type: string }) => l.type === 'social_security_card');
    expect(card).toMatchObject({ holderName: CITIZEN.name, holderIdNumber: CITIZEN.id, status: 'valid', source: 'issued' });
    expect(card.fields).toContainEqual({ key: 'idNumber', label: '社会保障号码', value: CITIZEN.id });
    // public verification: 4418 + ten stars + 1235, and the seal checks over the opened content
    const verified = (await t.call('GET', `/api/v1/licenses/verify/${card.identifier}`)).json();
    expect(verified).toMatchObject({ valid: true, reason: null, license: { holderIdNumber: '4418**********1235', holderName: '陈**' } });
    expect(JSON.stringify(verified)).not.toContain(CITIZEN.id);
  });

  it('shows them whole to staff only for a purpose their work needs, and logs each view', async () => {
    const before = await piiViewsOf(t.database.db, `user:${citizenId}`);
    // the clerk's licence retrieval and the signatory's issuance, from the set-up
    expect(before.map((e) => [e.kind, e.actorName, e.payload.purpose])).toEqual([
      ['pii.view', '综合窗口 李敏', 'license_use'],
      ['pii.view', 'rsj-signatory', 'license_issuance'],
    ]);
    expect(before[1]!.payload).toEqual({ subject: `user:${citizenId}`, fields: ['users.id_number'], purpose: 'license_issuance', record: `application:${cardApp}` });

    const reveal = (who: string, purpose: string, id = cardApp) => t.call('GET', `/api/v1/applications/${id}/applicant?purpose=${purpose}`, tok[who]);
    const seen = await reveal('clerk', 'window_identity_check');
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json()).toMatchObject({ applicantId: citizenId, applicantName: CITIZEN.name, idNumber: CITIZEN.id, phone: CITIZEN.phone, form: { phone: CITIZEN.phone } });
    // not a purpose of the front desk; not an administrator's or an agent's to see; not an unknown purpose
    expect((await reveal('clerk', 'case_review')).statusCode).toBe(403);
    expect((await reveal('admin', 'window_identity_check')).statusCode).toBe(403);
    expect((await reveal('agent', 'contact_applicant')).statusCode).toBe(403);
    expect((await reveal('clerk', 'curiosity')).statusCode).toBe(400);
    // the back office, for review
    expect((await reveal('rsj-reviewer', 'case_review')).json().idNumber).toBe(CITIZEN.id);
    // the applicant herself: whole, not logged
    expect((await reveal('citizen', 'contact_applicant')).json().phone).toBe(CITIZEN.phone);

    const after = (await piiViewsOf(t.database.db, `user:${citizenId}`)).slice(before.length);
    expect(after.map((e) => [e.kind, e.actorName, e.payload])).toEqual([
      ['pii.view', '综合窗口 李敏', { subject: `user:${citizenId}`, fields: ['users.id_number', 'users.phone', 'applications.form.phone'], purpose: 'window_identity_check', record: `application:${cardApp}` }],
      ['pii.view', 'rsj-reviewer', { subject: `user:${citizenId}`, fields: ['users.id_number', 'users.phone', 'applications.form.phone'], purpose: 'case_review', record: `application:${cardApp}` }],
    ]);
    // the walk-in's account has no phone: only the number and the form's phone are shown and logged
    const walkIn = (await reveal('clerk', 'contact_applicant', walkInApp)).json();
    expect(walkIn).toMatchObject({ idNumber: WALK_IN.id, phone: null, form: { phone: WALK_IN.phone } });
    expect((await piiViewsOf(t.database.db, `user:${walkIn.applicantId}`)).map((e) => e.payload.fields)).toEqual([['users.id_number', 'applications.form.phone']]);
    expect((await verifyAuditChains(t.database.db)).broken).toEqual([]);
  });

  it('seals rows written before encryption at start-up, and re-seals everything under a new key', async () => {
    const db = t.database.db;
    const vault = piiVault();
    // the old way: plaintext numbers, the unkeyed window username, a plaintext form and request digest, a plaintext licence
    const legacyId = '11010519491231002X';
    const legacyUser = crypto.randomUUID();
    const legacyUsername = `p-${crypto.createHash('sha256').update(legacyId).digest('hex').slice(0, 20)}`;
    await q(`INSERT INTO users (id, username, password_hash, display_name, kind, roles, id_number, phone) VALUES ('${legacyUser}', '${legacyUsername}', '!', '李四', 'person', '["citizen"]', '${legacyId}', '13700001111')`);
    const requestSha = crypto.createHash('sha256').update('a request').digest('hex');
    await q(`UPDATE applications SET form = '{"subject":"旧办件","phone":"13700001111"}', pii_key_id = NULL, request_hash = '${requestSha}' WHERE id = '${walkInApp}'`);
    const [stored] = await q<{ id: string }>(`SELECT id FROM licenses WHERE type_code = 'household_register'`);
    const [before] = await db.select().from(licenses).where(eq(licenses.id, stored!.id));
    const plain = openLicense(before!, vault);
    await q(`UPDATE licenses SET holder_id_number = '${plain.holderIdNumber}', holder_id_number_hash = NULL, content = '${plain.content.replaceAll("'", "''")}', data = '${JSON.stringify(plain.data).replaceAll("'", "''")}' WHERE id = '${stored!.id}'`);

    // start-up: exactly the three rows, in batches of two
    expect(await sealPersonalData(db, vault, { mode: 'plaintext', batchSize: 2 })).toEqual({ users: 1, licenses: 1, applications: 1 });
    const [u] = await q<{ username: string; id_number: string; id_number_hash: string; phone: string }>(`SELECT username, id_number, id_number_hash, phone FROM users WHERE id = '${legacyUser}'`);
    expect(u!.username).toBe(`p-${vault.hash('id', legacyId)!.slice(0, 20)}`);
    expect(vault.decrypt(u!.id_number, 'users.id_number')).toBe(legacyId);
    expect(vault.decrypt(u!.phone, 'users.phone')).toBe('13700001111');
    expect(u!.id_number_hash).toBe(vault.hash('id', legacyId));
    const [a] = await q<{ form: Record<string, string>; pii_key_id: number; request_hash: string }>(`SELECT form, pii_key_id, request_hash FROM applications WHERE id = '${walkInApp}'`);
    expect(a!.form.subject).toBe('旧办件');
    expect(vault.decrypt(a!.form.phone!, 'applications.form')).toBe('13700001111');
    expect(Number(a!.pii_key_id)).toBe(0);
    expect(a!.request_hash).toBe(vault.digest(requestSha));
    // the converted rows work: the window finds the old account by number, the holder's wallet and the public check
    const again = await submit('clerk', { itemCode: CARD_ITEM, applicant: { kind: 'person', idNumber: legacyId, name: '李四' } });
    expect(again.statusCode, again.body).toBe(201);
    expect((await t.call('GET', `/api/v1/applications/${again.json().id}/applicant?purpose=window_identity_check`, tok.clerk)).json().applicantId).toBe(legacyUser);
    const household = (await t.call('GET', '/api/v1/licenses/mine', tok.citizen)).json().items.find((l: { id: string }) => l.id === stored!.id);
    expect(household.holderIdNumber).toBe(CITIZEN.id);
    expect((await t.call('GET', `/api/v1/licenses/verify/${household.identifier}`)).json().valid).toBe(true);
    // idempotent: nothing left
    expect(await sealPersonalData(db, vault, { mode: 'plaintext', batchSize: 2 })).toEqual({ users: 0, licenses: 0, applications: 0 });

    // rotation: key 7 becomes current; key 0 (derived) stays readable until the pass ends
    const key7 = crypto.randomBytes(32);
    const rotated = piiVaultFor({ masterKey: () => t.issue.masterKey, piiKeys: [{ id: 7, key: key7 }] });
    usePiiVault(rotated);
    const [{ n: withNumbers }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE id_number IS NOT NULL OR phone IS NOT NULL`);
    const [{ n: licenceCount }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM licenses`);
    const [{ n: appCount }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM applications`);
    expect(await sealPersonalData(db, rotated, { mode: 'rotate', batchSize: 3 })).toEqual({ users: Number(withNumbers), licenses: Number(licenceCount), applications: Number(appCount) });
    expect(await sealPersonalData(db, rotated, { mode: 'rotate', batchSize: 3 })).toEqual({ users: 0, licenses: 0, applications: 0 });
    const keyIds = await q<{ k: string }>(
      `SELECT substring(id_number from '^p([0-9]+)\\.') AS k FROM users WHERE id_number IS NOT NULL
       UNION SELECT substring(phone from '^p([0-9]+)\\.') FROM users WHERE phone IS NOT NULL
       UNION SELECT substring(holder_id_number from '^p([0-9]+)\\.') FROM licenses
       UNION SELECT substring(content from '^p([0-9]+)\\.') FROM licenses
       UNION SELECT pii_key_id::text FROM applications`,
    );
    expect(keyIds.map((r) => r.k)).toEqual(['7']);
    // afterwards key 0 can go: a keyring of key 7 alone opens everything, and the hashes (not
    // tied to the data key) still find the rows
    usePiiVault(new PiiVault([{ id: 7, key: key7 }], derivePiiHashKey(t.issue.masterKey)));
    expect((await t.call('GET', '/api/v1/auth/me/personal-data', tok.citizen)).json()).toEqual({ idNumber: CITIZEN.id, phone: CITIZEN.phone });
    expect((await t.call('GET', '/api/v1/licenses/mine', tok.citizen)).json().items.map((l: { holderIdNumber: string }) => l.holderIdNumber)).toEqual([CITIZEN.id, CITIZEN.id, CITIZEN.id]);
    expect((await t.call('GET', `/api/v1/applications/${cardApp}`, tok.citizen)).json().form.phone).toBe(CITIZEN.phone);
    expect((await t.call('GET', `/api/v1/applications/${cardApp}/applicant?purpose=window_identity_check`, tok.clerk)).json().idNumber).toBe(CITIZEN.id);
  });
});
