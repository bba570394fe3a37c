/**
 * The service-item catalogue (事项目录 / 实施清单): search and the service guide.
 * Seed data: data/catalog/items.json (sources in data/catalog/SOURCE.md).
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { AppError } from '../../platform/errors.js';
import { departments } from '../org/schema.js';
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { pinyin } from 'pinyin-pro';
import { canonicalRegionCode, listDepartments, upsertDepartments, type DepartmentInput } from '../org/service.js';
import { departmentOfRow, EXPORT_COLUMNS, readRows, rowToItem } from './exchange.js';
import { CatalogIndex, INDEX_TTL_MS } from './search-index.js';
import { itemMaterials, serviceItems } from './schema.js';
import { checkItemRules, ServiceItemInput } from './rules.js';

export { ITEM_TYPES } from './service-types.js';
import { ITEM_TYPES } from './service-types.js';

export const ONLINE_DEPTHS = ['I', 'II', 'III', 'IV'] as const;
export const PROJECT_TYPES = ['immediate', 'commitment'] as const;

/** The pinyin initials of a name, lower-case letters and digits only (施工许可证 → sgxkz). */
export function pinyinInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** A row that could not be saved: its position (1-based, as in the file), code and reasons. */
export interface ItemRejection {
  row: number;
  code: string | null;
  reasons: { rule: string; 'zh-CN': string; en: string }[];
}

/**
 * Validates raw items (schema, then {@link checkItemRules}, then that the departments exist) and
 * saves the valid ones in one transaction: each item with its materials is written whole; an
 * invalid row is reported and skipped, never half written.
 * @param raw items as parsed from a seed file, an import or the API
 * @param opts.firstRow the row number of `raw[0]` for reports (default 1)
 * @returns `{ saved, rejected }`
 */
export async function saveItems(db: Db, raw: unknown[], opts: { firstRow?: number; onProgress?: (done: number) => void } = {}): Promise<{ saved: number; rejected: ItemRejection[] }> {
  const firstRow = opts.firstRow ?? 1;
  const deptRows = await db.select({ code: departments.code, name: departments.name }).from(departments);
  const deptNames = new Map(deptRows.map((d) => [d.code, d.name]));
  const rejected: ItemRejection[] = [];
  const valid: ServiceItemInput[] = [];
  raw.forEach((r, i) => {
    const row = firstRow + i;
    const code = typeof (r as { code?: unknown })?.code === 'string' ? (r as { code: string }).code : null;
    const parsed = ServiceItemInput.safeParse(r);
    if (!parsed.success) {
      rejected.push({
        row,
        code,
        reasons: parsed.error.issues.map((iss) => ({ rule: 'SCHEMA', 'zh-CN': `${iss.path.join('.')}：${iss.message}`, en: `${iss.path.join('.')}: ${iss.message}` })),
      });
      return;
    }
    const it = parsed.data;
    const reasons: ItemRejection['reasons'] = checkItemRules(it);
    for (const d of new Set([it.departmentCode, it.reviewDepartmentCode, it.decisionDepartmentCode])) {
      if (d && !deptNames.has(d)) reasons.push({ rule: 'UNKNOWN_DEPARTMENT', 'zh-CN': `部门 ${d} 不存在`, en: `No department ${d}` });
    }
    if (reasons.length) rejected.push({ row, code, reasons });
    else valid.push(it);
  });
  await db.transaction(async (tx) => {
    let done = 0;
    for (const it of valid) {
      const row = {
        code: it.code,
        name: it.name,
        type: it.type,
        departmentCode: it.departmentCode,
        reviewDepartmentCode: it.reviewDepartmentCode ?? it.departmentCode,
        decisionDepartmentCode: it.decisionDepartmentCode ?? it.departmentCode,
        statutoryLimitDays: it.statutoryLimitDays,
        statutoryLimitUnit: it.statutoryLimitUnit,
        committedLimitDays: it.committedLimitDays,
        committedLimitUnit: it.committedLimitUnit,
        projectType: it.projectType,
        onlineDepth: it.onlineDepth,
        requiredVisits: it.requiredVisits,
        serviceObjects: it.serviceObjects,
        legalBasis: it.legalBasis,
        limitSource: it.limitSource,
        themes: it.themes,
        channels: it.channels,
        townAvailable: it.townAvailable,
        baseCode: it.baseCode,
        delegatedFrom: it.delegatedFrom,
        limitUnknown: it.limitUnknown,
        visitReason: it.visitReason,
        serviceLevels: it.serviceLevels,
        appointment: it.appointment,
        kioskAvailable: it.kioskAvailable,
        licenseFree: it.licenseFree,
        acceptanceConditions: it.acceptanceConditions,
        fees: it.fees,
        specialProcedures: it.specialProcedures,
        notificationCommitment: it.notificationCommitment,
        keywords: it.keywords,
        pinyinInitials: pinyinInitials(it.name),
        searchText: [it.code, it.name, deptNames.get(it.departmentCode) ?? '', ...it.keywords].join(' ').toLowerCase(),
      };
      await tx.insert(serviceItems).values(row).onConflictDoUpdate({ target: serviceItems.code, set: row });
      await tx.delete(itemMaterials).where(eq(itemMaterials.itemCode, it.code));
      if (it.materials.length) {
        await tx.insert(itemMaterials).values(it.materials.map((m, i) => ({ ...m, itemCode: it.code, seq: i + 1 })));
      }
      opts.onProgress?.(++done);
    }
  });
  if (valid.length) indexCache.delete(db);
  return { saved: valid.length, rejected };
}

/**
 * Saves items that must all be valid (the seed): like {@link saveItems}, but throws when any is rejected.
 * @throws Error listing the rejected rows
 */
export async function upsertItems(db: Db, raw: unknown[]): Promise<number> {
  const { saved, rejected } = await saveItems(db, raw);
  if (rejected.length) throw new Error(`catalogue rows rejected: ${rejected.map((r) => `${r.row} ${r.code}: ${r.reasons.map((x) => x.en).join('; ')}`).join(' | ')}`);
  return saved;
}

const itemColumns = {
  code: serviceItems.code,
  name: serviceItems.name,
  type: serviceItems.type,
  departmentCode: serviceItems.departmentCode,
  departmentName: departments.name,
  reviewDepartmentCode: serviceItems.reviewDepartmentCode,
  decisionDepartmentCode: serviceItems.decisionDepartmentCode,
  statutoryLimitDays: serviceItems.statutoryLimitDays,
  statutoryLimitUnit: serviceItems.statutoryLimitUnit,
  committedLimitDays: serviceItems.committedLimitDays,
  committedLimitUnit: serviceItems.committedLimitUnit,
  projectType: serviceItems.projectType,
  onlineDepth: serviceItems.onlineDepth,
  requiredVisits: serviceItems.requiredVisits,
  serviceObjects: serviceItems.serviceObjects,
  themes: serviceItems.themes,
  channels: serviceItems.channels,
  townAvailable: serviceItems.townAvailable,
  limitUnknown: serviceItems.limitUnknown,
  serviceLevels: serviceItems.serviceLevels,
  appointment: serviceItems.appointment,
  kioskAvailable: serviceItems.kioskAvailable,
  licenseFree: serviceItems.licenseFree,
  pinyinInitials: serviceItems.pinyinInitials,
  keywords: serviceItems.keywords,
};

function withTypeName<T extends { type: string }>(row: T) {
  return { ...row, typeName: ITEM_TYPES[row.type as keyof typeof ITEM_TYPES] ?? row.type };
}

type ItemSummaryRow = Awaited<ReturnType<typeof loadSummaries>>[number];

async function loadSummaries(db: Db) {
  const rows = await db.select(itemColumns).from(serviceItems).leftJoin(departments, eq(departments.code, serviceItems.departmentCode));
  return rows.map(withTypeName).map((r) => ({ ...r, keywords: r.keywords as string[] }));
}

const indexCache = new WeakMap<object, { index: CatalogIndex<ItemSummaryRow>; builtAt: number }>();

async function getIndex(db: Db): Promise<CatalogIndex<ItemSummaryRow>> {
  const hit = indexCache.get(db);
  if (hit && Date.now() - hit.builtAt < INDEX_TTL_MS) return hit.index;
  const index = new CatalogIndex(await loadSummaries(db));
  indexCache.set(db, { index, builtAt: Date.now() });
  return index;
}

/**
 * Searches the catalogue from the in-process index ({@link CatalogIndex}): `q` is cut into
 * words (jieba) and every word must match a word of the item's name, code, keywords or
 * department, or its pinyin initials; best matches first, then by code. Filters: department,
 * service level, channel, theme (exact codes).
 * @param query.page 1-based; query.pageSize ≤ 100
 * @returns `{ items, total }` — items carry limits in their units
 */
export async function searchItems(
  db: Db,
  query: { q?: string; departmentCode?: string; level?: string; channel?: string; theme?: string; page: number; pageSize: number },
) {
  const { items, total } = (await getIndex(db)).query(query);
  return { items: items.map(({ keywords: _k, pinyinInitials: _p, ...rest }) => rest), total };
}

/**
 * The whole service guide of one item: elements, legal basis, limit sources, materials.
 * @throws AppError ITEM_NOT_FOUND
 */
export async function getItem(db: Db, code: string) {
  const [row] = await db
    .select({
      ...itemColumns,
      legalBasis: serviceItems.legalBasis,
      limitSource: serviceItems.limitSource,
      baseCode: serviceItems.baseCode,
      delegatedFrom: serviceItems.delegatedFrom,
      visitReason: serviceItems.visitReason,
      acceptanceConditions: serviceItems.acceptanceConditions,
      fees: serviceItems.fees,
      specialProcedures: serviceItems.specialProcedures,
      notificationCommitment: serviceItems.notificationCommitment,
      keywords: serviceItems.keywords,
    })
    .from(serviceItems)
    .leftJoin(departments, eq(departments.code, serviceItems.departmentCode))
    .where(eq(serviceItems.code, code));
  if (!row) throw new AppError('ITEM_NOT_FOUND', { code });
  const materials = await db
    .select({
      id: itemMaterials.id,
      seq: itemMaterials.seq,
      name: itemMaterials.name,
      original: itemMaterials.original,
      copies: itemMaterials.copies,
      required: itemMaterials.required,
      note: itemMaterials.note,
      kind: itemMaterials.kind,
      licenseType: itemMaterials.licenseType,
      conditionalAllowed: itemMaterials.conditionalAllowed,
    })
    .from(itemMaterials)
    .where(eq(itemMaterials.itemCode, code))
    .orderBy(asc(itemMaterials.seq));
  // limitSource.note is the compiler's provenance remark (see data/catalog/SOURCE.md), not public text.
  const { note: _note, ...limitSource } = row.limitSource as { statutory?: string; committed?: string; note?: string };
  return { ...withTypeName(row), limitSource, materials };
}

/** Items by code, for callers that need several at once. */
export async function findItems(db: Db, codes: string[]) {
  if (!codes.length) return [];
  return db.select().from(serviceItems).where(inArray(serviceItems.code, codes));
}

/**
 * Imports a catalogue file (.csv or .xlsx). Departments are matched by code, full name or short
 * name; with `createDepartments` an unknown one is created (code from the row's department
 * code / credit code column, region from its division code column).
 * @returns `{ total, saved, rejected }` — rejected rows carry their file row number (header = row 1)
 */
export async function importCatalog(
  db: Db,
  data: Buffer,
  kind: 'csv' | 'xlsx',
  opts: { source: string; createDepartments?: boolean; regionCode?: string; onProgress?: (done: number, total: number) => void },
): Promise<{ total: number; saved: number; rejected: ItemRejection[] }> {
  const rows = await readRows(data, kind);
  const depts = await listDepartments(db);
  const byKey = new Map<string, string>();
  for (const d of depts) for (const k of [d.code, d.name, d.shortName]) byKey.set(k, d.code);
  if (opts.createDepartments) {
    const created: DepartmentInput[] = [];
    for (const row of rows) {
      const d = departmentOfRow(row);
      if (!d.name || byKey.has(d.name)) continue;
      const code = d.id && !byKey.has(d.id) ? d.id : `IMP-${crypto.createHash('sha256').update(d.name).digest('hex').slice(0, 10)}`;
      created.push({ code, name: d.name, shortName: d.name, regionCode: canonicalRegionCode(d.regionCode || opts.regionCode || ''), kind: 'department' });
      byKey.set(d.name, code);
    }
    if (created.length) await upsertDepartments(db, created);
  }
  const items = rows.map((row) => rowToItem(row, (cell) => byKey.get(cell), opts.source));
  opts.onProgress?.(0, items.length);
  const result = await saveItems(db, items, { firstRow: 2, onProgress: (n) => opts.onProgress?.(n, items.length) });
  return { total: rows.length, ...result };
}

/**
 * The whole catalogue as an Excel workbook: sheet 事项目录 (every element) and sheet 实施清单
 * (this district's implementation list: code, item, authority, levels, limits, depth, channels).
 */
export async function exportCatalog(db: Db): Promise<Buffer> {
  const rows = await db
    .select({ item: serviceItems, departmentName: departments.name })
    .from(serviceItems)
    .leftJoin(departments, eq(departments.code, serviceItems.departmentCode))
    .orderBy(asc(serviceItems.code));
  const mats = await db.select({ itemCode: itemMaterials.itemCode, name: itemMaterials.name }).from(itemMaterials).orderBy(asc(itemMaterials.itemCode), asc(itemMaterials.seq));
  const matsByItem = new Map<string, string[]>();
  for (const m of mats) matsByItem.set(m.itemCode, [...(matsByItem.get(m.itemCode) ?? []), m.name]);
  const unitName = { working_day: '工作日', natural_day: '自然日', same_day: '当场' } as Record<string, string>;
  const objectName: Record<string, string> = { '1': '自然人', '2': '企业法人', '3': '事业法人', '4': '社会组织法人', '5': '非法人企业', '6': '行政机关', '9': '其他组织' };
  const flat = rows.map(({ item: it, departmentName }) => ({
    ...it,
    typeName: ITEM_TYPES[it.type as keyof typeof ITEM_TYPES] ?? it.type,
    departmentName: departmentName ?? it.departmentCode,
    delegatedFromName: it.delegatedFrom?.name ?? '',
    serviceObjectNames: it.serviceObjects.map((o) => objectName[o] ?? o).join('、'),
    statutoryLimitUnitName: unitName[it.statutoryLimitUnit] ?? '',
    committedLimitUnitName: unitName[it.committedLimitUnit] ?? '',
    limitUnknownText: it.limitUnknown ? '是' : '',
    projectTypeName: it.projectType === 'immediate' ? '即办件' : '承诺件',
    serviceLevels: it.serviceLevels.join('、'),
    channels: it.channels.join('、'),
    feeChargedText: it.fees.charged ? '是' : '否',
    feeBasis: it.fees.basis ?? '',
    materialNames: (matsByItem.get(it.code) ?? []).join('；'),
    keywords: it.keywords.join('、'),
  }));
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OneWindow';
  const sheet = (name: string, cols: [string, string][]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = cols.map(([header, key]) => ({ header, key, width: Math.min(40, Math.max(10, header.length * 3)) }));
    ws.getRow(1).font = { bold: true };
    for (const r of flat) ws.addRow(Object.fromEntries(cols.map(([, key]) => [key, (r as Record<string, unknown>)[key] ?? ''])));
  };
  sheet('事项目录', EXPORT_COLUMNS);
  sheet('实施清单', [
    ['实施编码', 'code'],
    ['事项名称', 'name'],
    ['实施主体', 'departmentName'],
    ['办理层级', 'serviceLevels'],
    ['法定时限', 'statutoryLimitDays'],
    ['承诺时限', 'committedLimitDays'],
    ['时限单位', 'committedLimitUnitName'],
    ['网办深度', 'onlineDepth'],
    ['跑动次数', 'requiredVisits'],
    ['办理渠道', 'channels'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
