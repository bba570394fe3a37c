/**
 * The service-item catalogue (事项目录 / 实施清单): search and the service guide.
 * Seed data: data/catalog/items.json (sources in data/catalog/SOURCE.md).
 */
import { and, asc, count, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { AppError } from '../../platform/errors.js';
import { queryTerms } from '../../platform/search.js';
import { departments } from '../org/schema.js';
import { itemMaterials, serviceItems, type LimitUnit } from './schema.js';

/** Item types (事项类型) of the national catalogue exchange format; see data/code-lists.json. */
export const ITEM_TYPES = {
  '01': '行政许可',
  '02': '行政处罚',
  '03': '行政强制',
  '04': '行政征收',
  '05': '行政给付',
  '06': '行政检查',
  '07': '行政确认',
  '08': '行政奖励',
  '09': '行政裁决',
  '10': '其他行政权力',
  '20': '公共服务',
} as const;

export const ONLINE_DEPTHS = ['I', 'II', 'III', 'IV'] as const;
export const PROJECT_TYPES = ['immediate', 'commitment'] as const;

/** One item as the seed file and the import carry it. */
export interface ItemInput {
  code: string;
  name: string;
  type: keyof typeof ITEM_TYPES;
  departmentCode: string;
  reviewDepartmentCode?: string;
  decisionDepartmentCode?: string;
  statutoryLimitDays: number | null;
  statutoryLimitUnit?: LimitUnit;
  committedLimitDays: number;
  committedLimitUnit?: LimitUnit;
  projectType: (typeof PROJECT_TYPES)[number];
  onlineDepth: (typeof ONLINE_DEPTHS)[number];
  requiredVisits: number;
  serviceObjects: string[];
  legalBasis?: string;
  limitSource?: { statutory?: string; committed?: string; note?: string };
  themes?: string[];
  channels?: string[];
  townAvailable?: boolean;
  keywords?: string[];
  materials: { name: string; original?: number; copies?: number; required?: boolean; note?: string }[];
}

/**
 * Inserts or replaces items with their materials, in one transaction.
 * @throws Error when an item breaks a basic rule (committed > statutory; immediate item with a non-zero limit)
 */
export async function upsertItems(db: Db, items: ItemInput[], deptNames: Map<string, string>): Promise<number> {
  for (const it of items) {
    if (it.statutoryLimitDays != null && (it.statutoryLimitUnit ?? 'working_day') === (it.committedLimitUnit ?? 'working_day') && it.committedLimitDays > it.statutoryLimitDays) {
      throw new Error(`item ${it.code}: committed limit ${it.committedLimitDays} > statutory ${it.statutoryLimitDays}`);
    }
    if (it.projectType === 'immediate' && it.committedLimitDays !== 0) {
      throw new Error(`item ${it.code}: an immediate item has committed limit 0`);
    }
  }
  await db.transaction(async (tx) => {
    for (const it of items) {
      const row = {
        code: it.code,
        name: it.name,
        type: it.type,
        departmentCode: it.departmentCode,
        reviewDepartmentCode: it.reviewDepartmentCode ?? it.departmentCode,
        decisionDepartmentCode: it.decisionDepartmentCode ?? it.departmentCode,
        statutoryLimitDays: it.statutoryLimitDays,
        statutoryLimitUnit: it.statutoryLimitUnit ?? 'working_day',
        committedLimitDays: it.committedLimitDays,
        committedLimitUnit: it.committedLimitUnit ?? 'working_day',
        projectType: it.projectType,
        onlineDepth: it.onlineDepth,
        requiredVisits: it.requiredVisits,
        serviceObjects: it.serviceObjects,
        legalBasis: it.legalBasis ?? '',
        limitSource: it.limitSource ?? {},
        themes: it.themes ?? [],
        channels: it.channels ?? ['window', 'online'],
        townAvailable: it.townAvailable ?? false,
        searchText: [it.code, it.name, deptNames.get(it.departmentCode) ?? '', ...(it.keywords ?? [])].join(' ').toLowerCase(),
      };
      await tx.insert(serviceItems).values(row).onConflictDoUpdate({ target: serviceItems.code, set: row });
      await tx.delete(itemMaterials).where(eq(itemMaterials.itemCode, it.code));
      if (it.materials.length) {
        await tx.insert(itemMaterials).values(
          it.materials.map((m, i) => ({
            itemCode: it.code,
            seq: i + 1,
            name: m.name,
            original: m.original ?? 1,
            copies: m.copies ?? 0,
            required: m.required ?? true,
            note: m.note ?? '',
          })),
        );
      }
    }
  });
  return items.length;
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
};

function withTypeName<T extends { type: string }>(row: T) {
  return { ...row, typeName: ITEM_TYPES[row.type as keyof typeof ITEM_TYPES] ?? row.type };
}

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Searches the catalogue. `q` is cut into words ({@link queryTerms}: jieba); every word must occur
 * in the item's name, code, department or keywords (case-insensitive); items whose own name holds
 * more of the words rank first, then by code.
 * @param query.page 1-based; query.pageSize ≤ 100
 * @returns `{ items, total }` — items carry limits in working days
 */
export async function searchItems(db: Db, query: { q?: string; departmentCode?: string; page: number; pageSize: number }) {
  const words = queryTerms(query.q);
  const conds: SQL[] = words.map((w) => ilike(serviceItems.searchText, `%${likeEscape(w)}%`));
  if (query.departmentCode) conds.push(eq(serviceItems.departmentCode, query.departmentCode));
  const where = conds.length ? and(...conds) : undefined;
  // Rank: items whose own name holds more of the words first.
  const order: SQL[] = words.length
    ? [
        sql`(${sql.join(
          words.map((w) => sql`(CASE WHEN lower(${serviceItems.name}) LIKE ${`%${likeEscape(w)}%`} THEN 1 ELSE 0 END)`),
          sql` + `,
        )}) DESC`,
      ]
    : [];
  const [rows, [{ total }]] = await Promise.all([
    db
      .select(itemColumns)
      .from(serviceItems)
      .leftJoin(departments, eq(departments.code, serviceItems.departmentCode))
      .where(where)
      .orderBy(...order, asc(serviceItems.code))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ total: count() }).from(serviceItems).where(where),
  ]);
  return { items: rows.map(withTypeName), total: Number(total) };
}

/**
 * The whole service guide of one item: elements, legal basis, limit sources, materials.
 * @throws AppError ITEM_NOT_FOUND
 */
export async function getItem(db: Db, code: string) {
  const [row] = await db
    .select({ ...itemColumns, legalBasis: serviceItems.legalBasis, limitSource: serviceItems.limitSource })
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
