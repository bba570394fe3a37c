/**
 * The generated authorisation test (issue #6, point 3): every route of the route table × every
 * kind of caller × own / other department / other region / other applicant records.
 *
 * 1. The gate: each route is called by every caller with probe values (unknown ids, an empty
 *    body); a caller the route's policy does not allow gets 401 or 403, one it allows gets past
 *    the gate (never 401/403). Routes are read from the app's own table, so a new route is walked
 *    the day it is added.
 * 2. The records: for every route that reaches a record by id, every allowed caller asks for each
 *    fixture record; the expected answer comes from the visibility table below, written by hand
 *    from the rules (applicants their own; agents those they filed; a clerk their region and
 *    below; reviewers and signatories their department's; admins all). Writes on a record out of
 *    scope answer 404 or 403 and change nothing.
 * 3. The lists: every list route returns exactly the fixture records the caller may see, also
 *    with filters.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/app.js';
import { dbFingerprint } from '../../test/support/fingerprint.js';
import { testItem } from '../../test/support/items.js';
import { testBackends } from '../db/testing.js';
import { upsertItems } from '../modules/catalog/service.js';
import { createUser } from '../modules/identity/service.js';
import type { Role } from '../modules/identity/roles.js';
import type { PolicyRow } from './policy.js';

/** reviewed by 住建局 (QC-ZJJ), decided by the approval bureau (QC-SPJ) */
const ITEM_ZJJ = testItem({ code: 'TEST-AUTHZ-ZJJ', name: '授权测试事项（住建）', departmentCode: 'QC-SPJ', reviewDepartmentCode: 'QC-ZJJ', decisionDepartmentCode: 'QC-SPJ' });
/** handled wholly by 市场监管局 (QC-SJJ) */
const ITEM_SJJ = testItem({ code: 'TEST-AUTHZ-SJJ', name: '授权测试事项（市场监管）', departmentCode: 'QC-SJJ', reviewDepartmentCode: 'QC-SJJ', decisionDepartmentCode: 'QC-SJJ' });

/** The callers: demo accounts, plus two machine-token callers. */
const PEOPLE = ['citizen', 'citizen-2', 'enterprise', 'clerk', 'clerk-fc', 'reviewer', 'reviewer-fgj', 'signatory', 'chief', 'agent', 'admin'] as const;
type Caller = (typeof PEOPLE)[number] | 'anonymous' | 'kiosk' | 'partner';
const CALLERS: Caller[] = ['anonymous', ...PEOPLE, 'kiosk', 'partner'];
const ROLES_OF: Record<Caller, Role[]> = {
  anonymous: [],
  citizen: ['citizen'],
  'citizen-2': ['citizen'],
  enterprise: ['enterprise'],
  clerk: ['clerk'],
  'clerk-fc': ['clerk'],
  reviewer: ['reviewer'],
  'reviewer-fgj': ['reviewer'],
  signatory: ['signatory'],
  chief: ['reviewer'],
  agent: ['agent'],
  admin: ['admin'],
  kiosk: [],
  partner: ['reviewer'],
};
/** machine tokens: a kiosk (machine account) reading the catalogue and licences; a partner system acting as the ZJJ reviewer, read-only */
const TOKEN_SCOPES: Partial<Record<Caller, string[]>> = { kiosk: ['items:read', 'licenses:read'], partner: ['applications:read', 'documents:read'] };

/** Whether the route's policy lets the caller in, computed from the policy's words alone. */
function allowed(row: PolicyRow, caller: Caller): boolean {
  const { allow } = row.policy;
  if (allow === 'anyone') return true;
  if (caller === 'anonymous') return false;
  if (allow !== 'signed-in' && !ROLES_OF[caller].some((r) => allow.includes(r))) return false;
  const scopes = TOKEN_SCOPES[caller];
  if (!scopes) return true;
  const resource = row.policy.resource ?? row.url.replace(/^\/api\/v1\//, '').split('/')[0];
  return scopes.includes(`${resource}:${row.method === 'GET' ? 'read' : 'write'}`);
}

/**
 * Who may see which fixture application — the rules, by hand:
 * - A_CIT: the citizen's, online, ITEM_ZJJ, accepted (review at QC-ZJJ, decision at QC-SPJ), district region;
 * - A_ENT: the enterprise's, online, ITEM_SJJ, submitted, district region;
 * - A_TOWN: citizen-2's, taken at 凤城街道 by clerk-fc, ITEM_SJJ, region 441802006;
 * - A_AGENT: the citizen's, filed by the agent on her behalf, ITEM_SJJ, district region.
 * District clerk: all (441802 and below); clerk-fc: her subdistrict only. The ZJJ reviewer (and the
 * chief, a ZJJ reviewer; and the partner acting as that reviewer) sees A_CIT; the SPJ signatory
 * decides A_CIT; the FGJ reviewer nothing.
 */
const SEES_APPLICATION: Record<'A_CIT' | 'A_ENT' | 'A_TOWN' | 'A_AGENT', Caller[]> = {
  A_CIT: ['citizen', 'clerk', 'reviewer', 'chief', 'signatory', 'admin', 'partner'],
  A_ENT: ['enterprise', 'clerk', 'admin'],
  A_TOWN: ['citizen-2', 'clerk', 'clerk-fc', 'admin'],
  A_AGENT: ['citizen', 'agent', 'clerk', 'admin'],
};

describe.each(testBackends())('authorisation matrix on %s', (backend) => {
  let t: TestApp;
  const tok: Partial<Record<Caller, string>> = {};
  const fx = {} as {
    apps: Record<keyof typeof SEES_APPLICATION, string>;
    docCit: string;
    licCit: string;
    licEnt: string;
    licCitIdentifier: string;
    licAuthCit: string;
    agentAuth: string;
    project: string;
    projectApp: string;
    empowerment: string;
    apiToken: string;
  };

  const call = (caller: Caller, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.call(method as 'GET', url, caller === 'anonymous' ? undefined : tok[caller], body, headers);

  /** The records this test guards (sessions, view logs and idempotency records move with allowed calls). */
  const fingerprint = () =>
    dbFingerprint(t.database.db, { only: ['applications', 'application_events', 'licenses', 'license_authorizations', 'agent_authorizations', 'key_projects', 'chief_representatives', 'seals', 'api_tokens', 'documents'] });

  beforeAll(async () => {
    t = await startTestApp(backend);
    const db = t.database.db;
    await upsertItems(db, [ITEM_ZJJ, ITEM_SJJ]);
    await createUser(db, { username: 'citizen-2', password: 'x-password-1', displayName: '李四', kind: 'person', roles: ['citizen'], idNumber: '11010519491231002X' });
    for (const u of PEOPLE) tok[u] = u === 'citizen-2' ? await t.login(u, 'x-password-1') : await t.login(u);

    const submit = async (who: Caller, body: object) => {
      const r = await call(who, 'POST', '/api/v1/applications', { form: {}, materials: [], ...body }, { 'idempotency-key': crypto.randomUUID() });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    const aCit = await submit('citizen', { itemCode: ITEM_ZJJ.code });
    expect((await call('clerk', 'POST', `/api/v1/applications/${aCit}/actions/accept`, { version: 1 })).statusCode).toBe(200);
    const aEnt = await submit('enterprise', { itemCode: ITEM_SJJ.code });
    const aTown = await submit('clerk-fc', { itemCode: ITEM_SJJ.code, applicant: { kind: 'person', idNumber: '11010519491231002X', name: '李四' } });
    const me = (await call('citizen', 'GET', '/api/v1/auth/me')).json().user;
    const auth = await call('citizen', 'POST', '/api/v1/authorizations', { agentUsername: 'agent', itemCodes: [ITEM_SJJ.code], validTo: '2026-12-31' }, { 'idempotency-key': crypto.randomUUID() });
    expect(auth.statusCode, auth.body).toBe(201);
    fx.agentAuth = auth.json().id;
    const aAgent = await submit('agent', { itemCode: ITEM_SJJ.code, onBehalfOf: me.id });
    fx.apps = { A_CIT: aCit, A_ENT: aEnt, A_TOWN: aTown, A_AGENT: aAgent };
    fx.docCit = (await call('citizen', 'GET', `/api/v1/applications/${aCit}`)).json().documents[0].number;

    const wallet = async (who: Caller) => (await call(who, 'GET', '/api/v1/licenses/mine')).json().items as { id: string; identifier: string; type: string }[];
    const citLicences = await wallet('citizen');
    fx.licCit = citLicences[0]!.id;
    fx.licCitIdentifier = citLicences[0]!.identifier;
    fx.licEnt = (await wallet('enterprise'))[0]!.id;
    const la = await call('citizen', 'POST', `/api/v1/licenses/${fx.licCit}/authorizations`, { departmentCode: 'QC-ZJJ', purpose: '授权测试', validTo: '2026-12-31T16:00:00Z' }, { 'idempotency-key': crypto.randomUUID() });
    expect(la.statusCode, la.body).toBe(201);
    fx.licAuthCit = la.json().id;

    const project = await call('clerk', 'POST', '/api/v1/projects', { code: '2026-441802-47-01-009999', name: '授权测试项目', enterpriseUsername: 'enterprise', officerUsername: 'agent' }, { 'idempotency-key': crypto.randomUUID() });
    expect(project.statusCode, project.body).toBe(201);
    fx.project = project.json().id;
    // one of the enterprise's applications in the project, filed online (district region)
    fx.projectApp = await submit('enterprise', { itemCode: ITEM_SJJ.code, projectId: fx.project });
    fx.empowerment = (await call('admin', 'GET', '/api/v1/chief-representatives')).json().items[0].id;

    for (const [caller, username] of [['kiosk', 'kiosk-hall-01'], ['partner', 'reviewer']] as const) {
      const r = await call('admin', 'POST', '/api/v1/api-tokens', { name: `${caller} 测试`, username, scopes: TOKEN_SCOPES[caller], validDays: 30 });
      expect(r.statusCode, r.body).toBe(201);
      tok[caller] = r.json().token;
      if (caller === 'kiosk') fx.apiToken = r.json().apiToken.id;
      // first use records the token's last use (then at most once a minute): done before any fingerprint
      expect((await call(caller, 'GET', '/api/v1/licenses/types')).statusCode).toBe(200);
    }
  }, 120_000);
  afterAll(async () => t?.close());

  /** Probe values for path parameters: well-formed, but naming nothing. */
  const probe = (url: string) =>
    url
      .replace(':id|:identifier', crypto.randomUUID())
      .replace(/:(id|number|identifier)\b/g, () => crypto.randomUUID())
      .replace(':action', 'accept')
      .replace(':departmentCode', 'NO-SUCH-DEPT')
      .replace(':code', 'NO-SUCH-CODE')
      .replace(':year', '2026');

  it('walks every route: callers the policy does not allow are refused before anything else', async () => {
    const rows = t.app.policyTable;
    expect(rows.length).toBeGreaterThan(45);
    const before = await fingerprint();
    const wrong: string[] = [];
    let calls = 0;
    for (const row of rows) {
      for (const caller of CALLERS) {
        // signing out revokes the caller's session: walked with a session of its own
        let token = caller === 'anonymous' ? undefined : tok[caller];
        if (row.url.endsWith('/auth/logout') && caller !== 'anonymous' && !TOKEN_SCOPES[caller]) token = await t.login(caller, caller === 'citizen-2' ? 'x-password-1' : undefined);
        const res = await t.call(row.method as 'GET', probe(row.url), token, row.method === 'GET' ? undefined : {}, { 'idempotency-key': crypto.randomUUID() });
        calls++;
        const ok = allowed(row, caller);
        const refused = res.statusCode === 401 || res.statusCode === 403;
        if (ok === refused) wrong.push(`${row.method} ${row.url} as ${caller}: ${res.statusCode} ${res.body.slice(0, 120)} (policy ${ok ? 'allows' : 'denies'})`);
        if (!ok) expect(res.json().error.code).toMatch(caller === 'anonymous' ? /^UNAUTHENTICATED$/ : /^(FORBIDDEN|TOKEN_SCOPE_MISSING)$/);
      }
    }
    expect(wrong).toEqual([]);
    expect(calls).toBe(rows.length * CALLERS.length);
    // probes change nothing (sessions and idempotency records aside)
    expect(await fingerprint()).toEqual(before);
  }, 120_000);

  it('answers for an application only to those who may see it, by guessable id and in every list', async () => {
    for (const [key, seers] of Object.entries(SEES_APPLICATION) as [keyof typeof SEES_APPLICATION, Caller[]][]) {
      const id = fx.apps[key];
      for (const caller of CALLERS) {
        const sees = seers.includes(caller);
        const one = await call(caller, 'GET', `/api/v1/applications/${id}`);
        expect(one.statusCode, `${key} as ${caller}`).toBe(sees ? 200 : caller === 'anonymous' ? 401 : TOKEN_SCOPES[caller] && caller !== 'partner' ? 403 : 404);
        const licences = await call(caller, 'GET', `/api/v1/applications/${id}/licenses`);
        // the licences behind the materials: those handling the case and the holder; not an admin
        // merely able to see the case, nor an agent (免证办 is the holder's own act)
        expect(licences.statusCode, `${key} licences as ${caller}`).toBe(sees && (caller === 'admin' || caller === 'agent') ? 403 : one.statusCode);
      }
    }
    // lists: exactly the visible fixture applications, whatever the filter
    for (const caller of CALLERS.filter((c) => c !== 'anonymous' && c !== 'kiosk')) {
      const expected = Object.entries(SEES_APPLICATION)
        .filter(([, seers]) => seers.includes(caller))
        .map(([k]) => fx.apps[k as keyof typeof SEES_APPLICATION])
        .sort();
      const fixtureIds = new Set(Object.values(fx.apps));
      // an unknown filter (someone else's applicant id) must not widen the list either
      for (const query of ['', 'status=submitted,accepted,supplement_requested', 'queue=mine', `applicantId=${fx.apps.A_ENT}`]) {
        const res = await call(caller, 'GET', `/api/v1/applications?pageSize=100${query ? `&${query}` : ''}`);
        expect(res.statusCode, `${caller} ${query}`).toBe(200);
        const got = (res.json().items as { id: string }[]).map((a) => a.id).filter((i) => fixtureIds.has(i));
        if (query.startsWith('queue')) expect(got.every((g) => expected.includes(g)), `${caller} queue`).toBe(true);
        else expect(got.sort(), `${caller} list ${query}`).toEqual(expected);
      }
    }
  });

  it("reveals an applicant's whole ID number and phone only to the applicant and to staff handling the case, for their purpose", async () => {
    const FRONT: Caller[] = ['clerk', 'clerk-fc'];
    const BACK: Caller[] = ['reviewer', 'reviewer-fgj', 'chief', 'signatory', 'partner'];
    for (const [key, seers] of Object.entries(SEES_APPLICATION) as [keyof typeof SEES_APPLICATION, Caller[]][]) {
      for (const caller of CALLERS) {
        for (const purpose of ['window_identity_check', 'case_review']) {
          const res = await call(caller, 'GET', `/api/v1/applications/${fx.apps[key]}/applicant?purpose=${purpose}`);
          const sees = seers.includes(caller);
          const expected =
            caller === 'anonymous' ? 401
            : caller === 'kiosk' || caller === 'admin' || caller === 'agent' ? 403 // not in the route's roles (or the token's scopes)
            : !sees ? 404
            : FRONT.includes(caller) ? (purpose === 'window_identity_check' ? 200 : 403)
            : BACK.includes(caller) ? (purpose === 'case_review' ? 200 : 403)
            : 200; // the applicant themself
          expect(res.statusCode, `${key} ${purpose} as ${caller}`).toBe(expected);
        }
      }
    }
  });

  it('serves a document only to those who may see its application', async () => {
    for (const caller of CALLERS) {
      const res = await call(caller, 'GET', `/api/v1/documents/${fx.docCit}/pdf`);
      const sees = SEES_APPLICATION.A_CIT.includes(caller);
      expect(res.statusCode, caller).toBe(sees ? 200 : caller === 'anonymous' ? 401 : caller === 'kiosk' ? 403 : 404);
    }
  });

  it('refuses actions and ratings on applications out of scope, changing nothing', async () => {
    const before = await fingerprint();
    for (const [key, seers] of Object.entries(SEES_APPLICATION) as [keyof typeof SEES_APPLICATION, Caller[]][]) {
      for (const caller of CALLERS.filter((c) => !seers.includes(c) && c !== 'anonymous')) {
        // a current version: were the scope not checked, the action would go through
        for (const action of ['accept', 'reject', 'withdraw', 'review', 'grant']) {
          const res = await call(caller, 'POST', `/api/v1/applications/${fx.apps[key]}/actions/${action}`, { version: key === 'A_CIT' ? 2 : 1, comment: '越权测试' });
          expect([403, 404], `${action} ${key} as ${caller}: ${res.body}`).toContain(res.statusCode);
        }
        const rate = await call(caller, 'POST', `/api/v1/applications/${fx.apps[key]}/evaluation`, { rating: 1 });
        expect([403, 404], `rate ${key} as ${caller}`).toContain(rate.statusCode);
      }
    }
    expect(await fingerprint()).toEqual(before);
  });

  it("keeps a holder's licences, authorisations and access log to the holder", async () => {
    const before = await fingerprint();
    for (const caller of CALLERS) {
      const log = await call(caller, 'GET', `/api/v1/licenses/${fx.licCit}/access-log`);
      expect(log.statusCode, `access log as ${caller}`).toBe(caller === 'citizen' ? 200 : caller === 'anonymous' ? 401 : caller === 'enterprise' || caller === 'citizen-2' ? 404 : 403);
      if (caller === 'citizen') continue;
      const grant = await call(caller, 'POST', `/api/v1/licenses/${fx.licCit}/authorizations`, { departmentCode: 'QC-ZJJ', purpose: '越权', validTo: '2026-12-31T16:00:00Z' }, { 'idempotency-key': crypto.randomUUID() });
      expect([401, 403, 404], `authorise as ${caller}`).toContain(grant.statusCode);
      const revoke = await call(caller, 'POST', `/api/v1/license-authorizations/${fx.licAuthCit}/revoke`);
      expect([401, 403, 404], `revoke licence authorisation as ${caller}`).toContain(revoke.statusCode);
      if (caller !== 'agent') {
        const agentAuth = await call(caller, 'POST', `/api/v1/authorizations/${fx.agentAuth}/revoke`);
        expect([401, 403, 404], `revoke agent authorisation as ${caller}`).toContain(agentAuth.statusCode);
      }
      // the issuing department is 公安 (QC-GA): neither the SPJ signatory nor anyone but an admin may suspend it
      if (caller !== 'admin') {
        const status = await call(caller, 'POST', `/api/v1/licenses/${fx.licCitIdentifier}/status`, { status: 'suspended', reason: '越权' });
        expect([401, 403, 404], `suspend as ${caller}`).toContain(status.statusCode);
      }
    }
    expect(await fingerprint()).toEqual(before);
    // the wallet lists the caller's own licences only
    const citizen = (await call('citizen', 'GET', '/api/v1/licenses/mine')).json().items.map((l: { id: string }) => l.id);
    const enterprise = (await call('enterprise', 'GET', '/api/v1/licenses/mine')).json().items.map((l: { id: string }) => l.id);
    expect(citizen).toContain(fx.licCit);
    expect(citizen).not.toContain(fx.licEnt);
    expect(enterprise).toEqual([fx.licEnt]);
    expect((await call('citizen-2', 'GET', '/api/v1/licenses/mine')).json().items).toEqual([]);
  });

  it('shows agent authorisations, key projects and empowerments to their parties only', async () => {
    const ids = async (caller: Caller, url: string) => {
      const res = await call(caller, 'GET', url);
      return res.statusCode === 200 ? (res.json().items as { id: string }[]).map((x) => x.id) : res.statusCode;
    };
    // agent authorisations: the principal who gave it and the agent who holds it
    for (const caller of PEOPLE) expect(await ids(caller, '/api/v1/authorizations'), caller).toEqual(caller === 'citizen' || caller === 'agent' ? [fx.agentAuth] : []);
    // key projects: the enterprise, its service officer, clerks and admins
    const projectSeers: Caller[] = ['enterprise', 'agent', 'clerk', 'clerk-fc', 'admin'];
    for (const caller of PEOPLE) {
      expect(await ids(caller, '/api/v1/projects'), caller).toEqual(projectSeers.includes(caller) ? [fx.project] : []);
      const timeline = await call(caller, 'GET', `/api/v1/projects/${fx.project}`);
      expect(timeline.statusCode, caller).toBe(projectSeers.includes(caller) ? 200 : 404);
      // its applications: all to the enterprise, the officer (agent) and admins; a clerk those of her region and below
      if (timeline.statusCode === 200) expect(timeline.json().applications.map((a: { id: string }) => a.id), caller).toEqual(caller === 'clerk-fc' ? [] : [fx.projectApp]);
    }
    // empowerments: staff of the empowering department (住建局) and admins; applicants are refused
    for (const caller of PEOPLE) {
      const expected = ['reviewer', 'chief', 'admin'].includes(caller) ? [fx.empowerment] : ['citizen', 'citizen-2', 'enterprise'].includes(caller) ? 403 : [];
      expect(await ids(caller, '/api/v1/chief-representatives'), caller).toEqual(expected);
    }
    const before = await fingerprint();
    // the SPJ signatory may not end 住建局's empowerment, nor learn it exists (404 as for a random id)
    expect((await call('signatory', 'POST', `/api/v1/chief-representatives/${fx.empowerment}/revoke`)).statusCode).toBe(404);
    expect((await call('signatory', 'POST', `/api/v1/chief-representatives/${crypto.randomUUID()}/revoke`)).statusCode).toBe(404);
    expect(await fingerprint()).toEqual(before);
  });

  it('lets a machine token do only what its scopes name, and stops it when revoked', async () => {
    expect((await call('kiosk', 'GET', `/api/v1/items/${ITEM_ZJJ.code}`)).statusCode).toBe(200);
    expect((await call('kiosk', 'GET', `/api/v1/licenses/verify/${fx.licCitIdentifier}`)).statusCode).toBe(200);
    const refused = await call('kiosk', 'GET', '/api/v1/applications');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('TOKEN_SCOPE_MISSING');
    expect(refused.json().error.message).toContain('applications:read');
    // the partner reads as the ZJJ reviewer, but may not act
    expect((await call('partner', 'GET', `/api/v1/applications/${fx.apps.A_CIT}`)).statusCode).toBe(200);
    expect((await call('partner', 'POST', `/api/v1/applications/${fx.apps.A_CIT}/actions/review`, { version: 2, approve: true })).json().error.code).toBe('TOKEN_SCOPE_MISSING');
    // machine accounts cannot sign in with a password
    expect((await t.call('POST', '/api/v1/auth/login', undefined, { username: 'kiosk-hall-01', password: 'anything-at-all' })).json().error.code).toBe('INVALID_CREDENTIALS');
    // unknown scopes are refused when issuing: no resource `nothing`; `halls` has no write route
    for (const scope of ['nothing:read', 'halls:write']) {
      const bad = await call('admin', 'POST', '/api/v1/api-tokens', { name: 'x', username: 'kiosk-hall-01', scopes: [scope], validDays: 1 });
      expect([bad.statusCode, bad.json().error.code], scope).toEqual([422, 'TOKEN_SCOPE_UNKNOWN']);
    }
    // the token is stored nowhere in the clear (only its SHA-256)
    const dump: unknown = await t.database.db.execute(sql.raw(`SELECT count(*)::int AS n FROM (SELECT x::text AS row FROM api_tokens x UNION ALL SELECT x::text FROM idempotency_records x UNION ALL SELECT x::text FROM audit_events x) r WHERE strpos(row, '${tok.kiosk!.slice(4)}') > 0`));
    expect(((Array.isArray(dump) ? dump : (dump as { rows: unknown[] }).rows) as { n: number }[])[0]!.n).toBe(0);
    const list = (await call('admin', 'GET', '/api/v1/api-tokens')).json().items;
    expect(JSON.stringify(list)).not.toContain(tok.kiosk);
    expect((await call('admin', 'POST', `/api/v1/api-tokens/${fx.apiToken}/revoke`)).statusCode).toBe(200);
    expect((await call('kiosk', 'GET', '/api/v1/licenses/types')).statusCode).toBe(200); // public stays public
    expect((await call('kiosk', 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });

  it("replays an application's creation only to whoever submitted it, never to another clerk with the same key", async () => {
    const body = { itemCode: ITEM_SJJ.code, form: {}, materials: [], applicant: { kind: 'person', idNumber: '11010519491231002X', name: '李四' } };
    const key = { 'idempotency-key': 'matrix-replay-0001' };
    const first = await call('clerk', 'POST', '/api/v1/applications', body, key);
    expect(first.statusCode).toBe(201);
    const other = await call('clerk-fc', 'POST', '/api/v1/applications', body, key);
    expect([other.statusCode, other.json().error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(other.body).not.toContain(first.json().number);
    const again = await call('clerk', 'POST', '/api/v1/applications', body, key);
    expect([again.statusCode, again.json().id]).toEqual([200, first.json().id]);
  });
});
