/**
 * Seeding: the reference data every deployment needs (divisions, departments, halls, the first
 * catalogue) and, separately, the demo accounts. Reads only the project's own `data/` folder.
 *
 * Sources: data/divisions/SOURCE.md, data/org/SOURCE.md, data/catalog/SOURCE.md.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, eq, sql } from 'drizzle-orm';
import { chiefRepresentatives } from './modules/chief-representatives/schema.js';
import { licenses } from './modules/licenses/schema.js';
import { importLicenses, upsertLicenseTypes, type LicenseImportRow, type LicenseTypeInput } from './modules/licenses/service.js';
import type { Db } from './db/index.js';
import { upsertItems } from './modules/catalog/service.js';
import { createUser, type NewUser } from './modules/identity/service.js';
import { users } from './modules/identity/schema.js';
import { regions } from './modules/org/schema.js';
import { upsertDepartments, upsertHalls, upsertRegions, type DepartmentInput, type HallInput, type RegionRow } from './modules/org/service.js';

export const DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'data');

/** The password of every demo account. Demo accounts exist only where `seedDemo` ran. */
export const DEMO_PASSWORD = 'onewindow-demo';

/** Parses the simple quoted CSV of the division files (no embedded commas or quotes). */
function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = fs.readFileSync(path.join(DATA_DIR, file), 'utf8').trim().split(/\r?\n/);
  const cols = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(DATA_DIR, file), 'utf8')) as T;
}

/**
 * The five-level tree of Qingcheng: 广东省 44 → 清远市 4418 → 清城区 441802 (with its sibling
 * counties) → 10 town-level units → 166 villages and communities.
 */
export function loadDivisions(): RegionRow[] {
  const rows: RegionRow[] = [
    { code: '44', name: '广东省', level: 'province', parentCode: null },
    { code: '4418', name: '清远市', level: 'city', parentCode: '44' },
  ];
  for (const r of readCsv('divisions/qingyuan_areas.csv')) rows.push({ code: r.code!, name: r.name!, level: 'district', parentCode: '4418' });
  for (const r of readCsv('divisions/qingcheng_streets.csv')) rows.push({ code: r.code!, name: r.name!, level: 'town', parentCode: r.areaCode! });
  for (const r of readCsv('divisions/qingcheng_villages.csv')) rows.push({ code: r.code!, name: r.name!, level: 'village', parentCode: r.streetCode! });
  return rows;
}

/**
 * Seeds (or refreshes) the reference data: divisions, departments, halls and catalogue items.
 * Idempotent: running it again updates rows in place.
 * @returns counts of what was written
 */
export async function seedReference(db: Db): Promise<{ regions: number; departments: number; halls: number; items: number }> {
  const divisions = loadDivisions();
  const depts = readJson<DepartmentInput[]>('org/departments.json');
  const hallRows = readJson<HallInput[]>('org/halls.json');
  const items = readJson<unknown[]>('catalog/qingcheng-catalog.json');
  await upsertRegions(db, divisions);
  await upsertDepartments(db, depts);
  await upsertHalls(db, hallRows);
  await upsertLicenseTypes(db, readJson<LicenseTypeInput[]>('licenses/license-types.json'));
  await upsertItems(db, items);
  return { regions: divisions.length, departments: depts.length, halls: hallRows.length, items: items.length };
}

/**
 * The demo accounts, all with password {@link DEMO_PASSWORD}. The citizen's ID number is a
 * fictional one with a valid GB 11643 check character (address code 441802, born 1990-03-07).
 * The enterprise's USCC is fictional with valid GB 32100 / GB 11714 check characters.
 */
export const DEMO_ACCOUNTS: (NewUser & { note: string })[] = [
  { username: 'citizen', password: DEMO_PASSWORD, displayName: '陈清华', kind: 'person', roles: ['citizen'], idNumber: '441802199003071235', phone: '13800001234', note: '市民 citizen' },
  { username: 'enterprise', password: DEMO_PASSWORD, displayName: '清远市清城区示范建设有限公司', kind: 'enterprise', roles: ['enterprise'], idNumber: '91441802MA4W0Q7T68', phone: '07633001234', note: '企业 enterprise' },
  { username: 'clerk', password: DEMO_PASSWORD, displayName: '综合窗口 李敏', kind: 'staff', roles: ['clerk'], departmentCode: 'QC-ZSJ', note: '综合窗口 comprehensive window clerk' },
  { username: 'reviewer', password: DEMO_PASSWORD, displayName: '住建局审查员 王建', kind: 'staff', roles: ['reviewer'], departmentCode: 'QC-ZJJ', note: '住建局 housing & construction reviewer' },
  { username: 'signatory', password: DEMO_PASSWORD, displayName: '审批局签批人 赵章', kind: 'staff', roles: ['signatory'], departmentCode: 'QC-SPJ', note: '行政审批局 approval bureau signatory' },
  { username: 'admin', password: DEMO_PASSWORD, displayName: '系统管理员', kind: 'staff', roles: ['admin'], note: '管理员 administrator' },
  { username: 'reviewer-spj', password: DEMO_PASSWORD, displayName: '审批局复审员 何审', kind: 'staff', roles: ['reviewer'], departmentCode: 'QC-SPJ', note: '行政审批局复审 approval bureau second reviewer' },
  { username: 'reviewer-fgj', password: DEMO_PASSWORD, displayName: '发改局审查员 周发', kind: 'staff', roles: ['reviewer'], departmentCode: 'QC-FGJ', note: '联审 发展和改革局 joint reviewer' },
  { username: 'reviewer-zrzy', password: DEMO_PASSWORD, displayName: '自然资源分局审查员 林规', kind: 'staff', roles: ['reviewer'], departmentCode: 'QC-ZRZY', note: '联审 自然资源 joint reviewer' },
  { username: 'reviewer-shj', password: DEMO_PASSWORD, displayName: '生态环境分局审查员 吴环', kind: 'staff', roles: ['reviewer'], departmentCode: 'QC-SHJ', note: '联审 生态环境 joint reviewer' },
  { username: 'reviewer-yjj', password: DEMO_PASSWORD, displayName: '应急管理局审查员 郑安', kind: 'staff', roles: ['reviewer'], departmentCode: 'QC-YJJ', note: '联审 应急管理 joint reviewer' },
  { username: 'chief', password: DEMO_PASSWORD, displayName: '住建局首席代表 黄立', kind: 'staff', roles: ['reviewer'], departmentCode: 'QC-ZJJ', note: '住建局驻厅首席代表 chief representative' },
  { username: 'agent', password: DEMO_PASSWORD, displayName: '帮办代办员 梁帮', kind: 'staff', roles: ['agent'], departmentCode: 'QC-ZSJ', note: '帮办代办 service-team member' },
  { username: 'clerk-fc', password: DEMO_PASSWORD, displayName: '凤城街道综合窗口 苏晴', kind: 'staff', roles: ['clerk'], departmentCode: 'QC-ZSJ', regionCode: '441802006', note: '凤城街道政务服务中心 town-centre clerk: sees her subdistrict only' },
  { username: 'kiosk-hall-01', password: crypto.randomBytes(24).toString('base64url'), displayName: '区政务服务中心自助终端 01', kind: 'machine', roles: [], regionCode: '441802', note: '自助终端 kiosk: machine account, signs in only with an access token an admin issues' },
];

/** The chief representative's demo empowerment: 住建局's on-the-spot items at the district hall. */
const DEMO_EMPOWERMENT = { username: 'chief', hallCode: 'QC-HALL', itemCodes: ['QC-ZJJ-001', 'QC-ZJJ-002', 'QC-ZJJ-003'], basis: '清城住建授〔2026〕1号（演示）' };

/** Creates the demo accounts that do not exist yet. */
/**
 * The demo holders' licences of other authorities, imported as from the national library: the
 * citizen's ID card and household register, the enterprise's business licence. Fictional data.
 */
const DEMO_LICENSES: LicenseImportRow[] = [
  { type: 'resident_id', holderIdNumber: '441802199003071235', holderName: '陈清华', validFrom: '2020-05-01', validTo: '2040-05-01', data: { name: '陈清华', gender: '男', ethnicity: '汉', birthDate: '1990-03-07', address: '广东省清远市清城区凤城街道演示路1号', idNumber: '441802199003071235' } },
  { type: 'household_register', holderIdNumber: '441802199003071235', holderName: '陈清华', validFrom: '2008-03-07', validTo: null, data: { name: '陈清华', householdType: '城镇居民家庭户', address: '广东省清远市清城区凤城街道演示路1号', members: '3' } },
  {
    type: 'business_license',
    holderIdNumber: '91441802MA4W0Q7T68',
    holderName: '清远市清城区示范建设有限公司',
    validFrom: '2019-06-18',
    validTo: null,
    data: { name: '清远市清城区示范建设有限公司', uscc: '91441802MA4W0Q7T68', entityType: '有限责任公司（自然人投资或控股）', legalRepresentative: '林示范', registeredCapital: '人民币贰仟万元', establishedOn: '2019-06-18', address: '清远市清城区演示大道88号', scope: '房屋建筑工程施工；市政公用工程施工' },
  },
];

export async function seedDemo(db: Db, opts: { now?: Date; masterKey?: Buffer } = {}): Promise<void> {
  const now = opts.now ?? new Date();
  const ids = new Map<string, string>();
  for (const a of DEMO_ACCOUNTS) {
    const { note: _note, ...user } = a;
    ids.set(a.username, await createUser(db, user));
  }
  const chiefId = ids.get(DEMO_EMPOWERMENT.username)!;
  if (!(await db.select().from(chiefRepresentatives).where(eq(chiefRepresentatives.userId, chiefId))).length) {
    const validTo = new Date(now);
    validTo.setUTCFullYear(validTo.getUTCFullYear() + 1);
    await db.insert(chiefRepresentatives).values({ id: crypto.randomUUID(), userId: chiefId, departmentCode: 'QC-ZJJ', hallCode: DEMO_EMPOWERMENT.hallCode, itemCodes: DEMO_EMPOWERMENT.itemCodes, basis: DEMO_EMPOWERMENT.basis, validFrom: new Date(now.getTime() - 86_400_000 * 400), validTo, grantedById: ids.get('admin')! });
  }
  if (opts.masterKey && !(await db.select({ id: licenses.id }).from(licenses).where(eq(licenses.source, 'import')).limit(1)).length) {
    await importLicenses(db, DEMO_LICENSES, { masterKey: opts.masterKey, publicUrl: '' }, now);
  }
}

/** Whether the database has never been seeded (no regions and no users). */
/** Whether the demo accounts were seeded (the demo administrator exists). */
export async function hasDemoAccounts(db: Db): Promise<boolean> {
  const { rows } = (await db.execute(sql`SELECT 1 FROM users WHERE username = 'admin' LIMIT 1`)) as unknown as { rows: unknown[] };
  return rows.length > 0;
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [[r], [u]] = await Promise.all([db.select({ n: count() }).from(regions), db.select({ n: count() }).from(users)]);
  return Number(r!.n) === 0 && Number(u!.n) === 0;
}
