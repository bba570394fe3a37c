/**
 * The service-item catalogue (事项目录 / 实施清单): search and the service guide.
 * Seed data: data/catalog/items.json (sources in data/catalog/SOURCE.md).
 */
import { asc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/index.js';
import { AppError } from '../../platform/errors.js';
import { departments } from '../org/schema.js';
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { pinyin } from 'pinyin-pro';
import { canonicalRegionCode, listDepartments, upsertDepartments, type DepartmentInput } from '../org/service.js';
import { CHANNEL_NAMES, departmentOfRow, EXPORT_COLUMNS, LEVEL_NAMES, readRows, rowToPartial, SERVICE_OBJECT_NAMES, UNIT_NAMES } from './exchange.js';
import { CatalogIndex, INDEX_TTL_MS } from './search-index.js';
import { describeIssue } from '../../platform/validation-messages.js';
import { itemMaterials, materialExemptions, serviceItems } from './schema.js';
import { appendAudit, type AuditEntry } from '../audit/service.js';
import { canonicalJson } from '../../platform/canonical-json.js';
import { sm3Hex } from '../../platform/gm-crypto.js';
import { checkItemRules, ServiceItemInput, type MaterialInput } from './rules.js';

export { ITEM_TYPES } from './service-types.js';
import { EXEMPTION_CATEGORIES, ITEM_TYPES, type ExemptionCategory } from './service-types.js';

export const ONLINE_DEPTHS = ['I', 'II', 'III', 'IV'] as const;
export const PROJECT_TYPES = ['immediate', 'commitment'] as const;

/** The pinyin initials of a name, lower-case letters and digits only (施工许可证 → sgxkz). */
export function pinyinInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Items written per statement when saving. */
const SAVE_CHUNK = 100;

/** `SET col = excluded.col` for every column of `table` but `keep` (for multi-row upserts). */
function excludedColumns<T extends PgTable>(table: T, keep: string[]): Record<string, SQL> {
  return Object.fromEntries(
    Object.entries(getTableColumns(table))
      .filter(([key]) => !keep.includes(key))
      .map(([key, col]) => [key, sql.raw(`excluded."${(col as PgColumn).name}"`)]),
  );
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
export async function saveItems(
  db: Db,
  raw: unknown[],
  opts: { firstRow?: number; rowNumbers?: number[]; onProgress?: (done: number) => void; actor?: AuditEntry['actor']; now?: Date } = {},
): Promise<{ saved: number; rejected: ItemRejection[] }> {
  const firstRow = opts.firstRow ?? 1;
  const deptRows = await db.select({ code: departments.code, name: departments.name }).from(departments);
  const deptNames = new Map(deptRows.map((d) => [d.code, d.name]));
  const rejected: ItemRejection[] = [];
  const valid: ServiceItemInput[] = [];
  raw.forEach((r, i) => {
    const row = opts.rowNumbers?.[i] ?? firstRow + i;
    const code = typeof (r as { code?: unknown })?.code === 'string' ? (r as { code: string }).code : null;
    const parsed = ServiceItemInput.safeParse(r);
    if (!parsed.success) {
      rejected.push({
        row,
        code,
        reasons: parsed.error.issues.map((iss) => {
          const where = iss.path.join('.');
          return { rule: 'SCHEMA', 'zh-CN': describeIssue(where, iss as object, 'zh-CN'), en: describeIssue(where, iss as object, 'en') };
        }),
      });
      return;
    }
    const it = parsed.data;
    const reasons: ItemRejection['reasons'] = checkItemRules(it);
    const stepDepartments = (it.reviewSteps ?? []).flatMap((st) => [st.department, ...(st.joint ?? [])]).filter((d) => d !== 'review' && d !== 'decision');
    for (const d of new Set([it.departmentCode, it.reviewDepartmentCode, it.decisionDepartmentCode, ...stepDepartments])) {
      if (d && !deptNames.has(d)) reasons.push({ rule: 'UNKNOWN_DEPARTMENT', 'zh-CN': `部门 ${d} 不存在`, en: `No department ${d}` });
    }
    if (reasons.length) rejected.push({ row, code, reasons });
    else valid.push(it);
  });
  const itemRows = valid.map((it) => ({
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
    reviewSteps: it.reviewSteps,
    resultLicenseType: it.resultLicenseType,
    keywords: it.keywords,
    pinyinInitials: pinyinInitials(it.name),
    searchText: [it.code, it.name, deptNames.get(it.departmentCode) ?? '', ...it.keywords].join(' ').toLowerCase(),
  }));
  // Written in chunks of multi-row statements, all in one transaction.
  await db.transaction(async (tx) => {
    for (let i = 0; i < valid.length; i += SAVE_CHUNK) {
      const chunk = valid.slice(i, i + SAVE_CHUNK);
      await tx.insert(serviceItems).values(itemRows.slice(i, i + SAVE_CHUNK)).onConflictDoUpdate({ target: serviceItems.code, set: excludedColumns(serviceItems, ['code']) });
      // Materials keep their ids position by position: applications refer to them by id.
      await tx.execute(
        sql`DELETE FROM item_materials m USING (VALUES ${sql.join(
          chunk.map((it) => sql`(${it.code}::text, ${it.materials.length}::int)`),
          sql`, `,
        )}) AS v(code, n) WHERE m.item_code = v.code AND m.seq > v.n`,
      );
      const materialRows = chunk.flatMap((it) => it.materials.map((m, j) => ({ ...m, itemCode: it.code, seq: j + 1 })));
      if (materialRows.length) {
        await tx
          .insert(itemMaterials)
          .values(materialRows)
          .onConflictDoUpdate({ target: [itemMaterials.itemCode, itemMaterials.seq], set: excludedColumns(itemMaterials, ['id', 'itemCode', 'seq']) });
      }
      opts.onProgress?.(i + chunk.length);
    }
    // one audit event per save: which items, and the SM3 of what was saved
    if (valid.length) await appendAudit(tx, { stream: 'catalog', kind: 'catalog.saved', actor: opts.actor ?? null, payload: { codes: valid.map((it) => it.code), sm3: sm3Hex(canonicalJson(valid)) } }, opts.now ?? new Date());
  });
  if (valid.length) {
    indexCache.delete(db);
    exportCache.delete(db);
  }
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
      reviewSteps: serviceItems.reviewSteps,
      resultLicenseType: serviceItems.resultLicenseType,
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

/** Stored items in the shape the catalogue saves ({@link ServiceItemInput}), by code. */
export async function loadItemInputs(db: Db, codes: string[]): Promise<Map<string, ServiceItemInput>> {
  const out = new Map<string, ServiceItemInput>();
  if (!codes.length) return out;
  const rows = await db.select().from(serviceItems).where(inArray(serviceItems.code, codes));
  const mats = await db.select().from(itemMaterials).where(inArray(itemMaterials.itemCode, codes)).orderBy(asc(itemMaterials.itemCode), asc(itemMaterials.seq));
  for (const r of rows) {
    const { searchText: _s, pinyinInitials: _p, ...rest } = r;
    out.set(r.code, {
      ...rest,
      materials: mats
        .filter((m) => m.itemCode === r.code)
        .map((m) => ({ name: m.name, kind: m.kind as MaterialInput['kind'], original: m.original, copies: m.copies, required: m.required, licenseType: m.licenseType, conditionalAllowed: m.conditionalAllowed, note: m.note })),
    } as ServiceItemInput);
  }
  return out;
}

/** A new item from a file row: the row's elements over defaults that invent nothing. */
function newItemFrom(partial: Record<string, unknown>, source: string): Record<string, unknown> {
  const statutory = (partial.statutoryLimitDays as number | undefined) ?? null;
  const committed = (partial.committedLimitDays as number | undefined) ?? statutory;
  const unknown = statutory === null && committed === null;
  return {
    serviceObjects: ['1', '2'],
    onlineDepth: 'I',
    requiredVisits: 0,
    projectType: committed === 0 ? 'immediate' : 'commitment',
    limitSource: { note: unknown ? `imported from ${source}: the file gives no time limit (时限待核实)` : `imported from ${source}` },
    ...partial,
    statutoryLimitDays: statutory,
    committedLimitDays: committed,
    limitUnknown: (partial.limitUnknown as boolean | undefined) ?? unknown,
  };
}

/** An existing item updated by a file row: only the elements the row gives change. */
function mergeItemWith(existing: ServiceItemInput, partial: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...existing, ...partial };
  if (partial.fees) merged.fees = { ...existing.fees, ...(partial.fees as object) };
  if (partial.materials) {
    // A material named again keeps its stored details (kind, e-licence, 容缺…).
    const byName = new Map(existing.materials.map((m) => [m.name, m]));
    merged.materials = (partial.materials as { name: string }[]).map((m) => byName.get(m.name) ?? m);
  }
  if ((partial.statutoryLimitDays !== undefined || partial.committedLimitDays !== undefined) && partial.limitUnknown === undefined) merged.limitUnknown = false;
  return merged;
}

/**
 * Imports a catalogue file (.csv or .xlsx). Departments are matched by code, full name or short
 * name; with `createDepartments` an unknown one is created (code from the row's department code /
 * credit code column, region from its division code column). Rows update existing items
 * element by element (see exchange.ts); a code twice in one file rejects the later row.
 * @returns `{ total, saved, created, updated, rejected }` — rejected rows carry their file row
 *   number (the header is row 1)
 * @throws AppError CATALOG_FILE_INVALID, CATALOG_COLUMNS_MISSING
 */
export async function importCatalog(
  db: Db,
  data: Buffer,
  kind: 'csv' | 'xlsx',
  opts: { source: string; createDepartments?: boolean; regionCode?: string; onProgress?: (done: number, total: number) => void; actor?: AuditEntry['actor']; now?: Date },
): Promise<{ total: number; saved: number; created: number; updated: number; rejected: ItemRejection[] }> {
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
  const parsed = rows.map((row) => rowToPartial(row, (cell) => byKey.get(cell)));
  const existing = await loadItemInputs(db, [...new Set(parsed.map((r) => r.partial.code as string).filter(Boolean))]);
  const rejected: ItemRejection[] = [];
  const toSave: Record<string, unknown>[] = [];
  const rowNumbers: number[] = [];
  const seen = new Set<string>();
  let updated = 0;
  parsed.forEach(({ partial, problems }, i) => {
    const row = i + 2;
    const code = (partial.code as string | undefined) ?? null;
    if (problems.length) return void rejected.push({ row, code, reasons: problems });
    if (code && seen.has(code)) {
      return void rejected.push({ row, code, reasons: [{ rule: 'DUPLICATE_CODE', 'zh-CN': `事项编码 ${code} 在文件中重复出现`, en: `code ${code} appears twice in the file` }] });
    }
    if (code) seen.add(code);
    const old = code ? existing.get(code) : undefined;
    if (old) updated++;
    toSave.push(old ? mergeItemWith(old, partial) : newItemFrom(partial, opts.source));
    rowNumbers.push(row);
  });
  opts.onProgress?.(0, toSave.length);
  const result = await saveItems(db, toSave, { rowNumbers, onProgress: (n) => opts.onProgress?.(n, toSave.length), actor: opts.actor, now: opts.now });
  const updatedSaved = Math.min(updated, result.saved);
  const allRejected = [...rejected, ...result.rejected].sort((a, b) => a.row - b.row);
  return { total: rows.length, saved: result.saved, created: result.saved - updatedSaved, updated: updatedSaved, rejected: allRejected };
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
  const flat = rows.map(({ item: it, departmentName }) => ({
    ...it,
    typeName: ITEM_TYPES[it.type as keyof typeof ITEM_TYPES] ?? it.type,
    departmentName: departmentName ?? it.departmentCode,
    delegatedFromName: it.delegatedFrom?.name ?? '',
    serviceObjectNames: it.serviceObjects.map((o) => SERVICE_OBJECT_NAMES[o] ?? o).join('、'),
    statutoryLimitUnitName: UNIT_NAMES[it.statutoryLimitUnit] ?? '',
    committedLimitUnitName: UNIT_NAMES[it.committedLimitUnit] ?? '',
    limitUnknownText: it.limitUnknown ? '是' : '',
    projectTypeName: it.projectType === 'immediate' ? '即办件' : '承诺件',
    serviceLevelNames: it.serviceLevels.map((l) => LEVEL_NAMES[l] ?? l).join('、'),
    channelNames: it.channels.map((c) => CHANNEL_NAMES[c] ?? c).join('、'),
    feeChargedText: it.fees.charged ? '是' : '否',
    feeBasis: it.fees.basis ?? '',
    feeStandard: it.fees.standard ?? '',
    materialNames: (matsByItem.get(it.code) ?? []).join('\n'),
    themeList: it.themes.join('、'),
    keywordList: it.keywords.join('、'),
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
    ['办理层级', 'serviceLevelNames'],
    ['法定时限', 'statutoryLimitDays'],
    ['承诺时限', 'committedLimitDays'],
    ['时限单位', 'committedLimitUnitName'],
    ['网办深度', 'onlineDepth'],
    ['跑动次数', 'requiredVisits'],
    ['办理渠道', 'channelNames'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const exportCache = new WeakMap<object, { file: Buffer; builtAt: number }>();

/**
 * {@link exportCatalog} from an in-process cache, rebuilt like the search index: after catalogue
 * writes on this node at once, after {@link INDEX_TTL_MS} for writes made on other nodes. The
 * public export is otherwise some hundred milliseconds of work for every anonymous request.
 */
export async function exportCatalogCached(db: Db): Promise<Buffer> {
  const hit = exportCache.get(db);
  if (hit && Date.now() - hit.builtAt < INDEX_TTL_MS) return hit.file;
  const file = await exportCatalog(db);
  exportCache.set(db, { file, builtAt: Date.now() });
  return file;
}

/** The exemption list (豁免清单) of an item: materials waived for categories of applicants. */
export async function getExemptions(db: Db, code: string) {
  await getItem(db, code);
  const rows = await db
    .select({ materialId: materialExemptions.materialId, name: itemMaterials.name, category: materialExemptions.category, basis: materialExemptions.basis })
    .from(materialExemptions)
    .innerJoin(itemMaterials, eq(itemMaterials.id, materialExemptions.materialId))
    .where(eq(materialExemptions.itemCode, code))
    .orderBy(asc(itemMaterials.seq), asc(materialExemptions.category));
  return rows.map((r) => ({ ...r, categoryName: EXEMPTION_CATEGORIES[r.category] }));
}

/**
 * Replaces an item's exemption list. Each entry waives one of the item's materials for one
 * applicant category, with its basis (the document granting it).
 * @throws AppError ITEM_NOT_FOUND, MATERIAL_UNKNOWN (not a material of the item), MATERIAL_DUPLICATE
 *   (the same material and category twice)
 */
export async function setExemptions(db: Db, code: string, entries: { materialId: number; category: ExemptionCategory; basis: string }[], actor: AuditEntry['actor'] = null, now: Date = new Date()) {
  const item = await getItem(db, code);
  for (const e of entries) if (!item.materials.some((m) => m.id === e.materialId)) throw new AppError('MATERIAL_UNKNOWN', { materialId: e.materialId });
  const keys = entries.map((e) => `${e.materialId}/${e.category}`);
  if (new Set(keys).size !== keys.length) throw new AppError('MATERIAL_DUPLICATE', { materialId: entries.find((e, i) => keys.indexOf(`${e.materialId}/${e.category}`) !== i)!.materialId });
  await db.transaction(async (tx) => {
    await tx.delete(materialExemptions).where(eq(materialExemptions.itemCode, code));
    if (entries.length) await tx.insert(materialExemptions).values(entries.map((e) => ({ itemCode: code, materialId: e.materialId, category: e.category, basis: e.basis.trim() }))).onConflictDoNothing();
    await appendAudit(tx, { stream: 'catalog', kind: 'catalog.exemptions', actor, payload: { code, entries } }, now);
  });
  return getExemptions(db, code);
}
