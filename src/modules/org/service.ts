/**
 * Organisation: administrative divisions, departments, halls and windows.
 * Sources: data/divisions (统计用区划代码 2023), data/org (departments and halls, see SOURCE.md).
 */
import { asc, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { AppError } from '../../platform/errors.js';
import { departments, hallWindows, halls, regions } from './schema.js';

export const REGION_LEVELS = ['province', 'city', 'district', 'town', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export interface RegionRow {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

/**
 * The canonical code of a division: padded forms are shortened to the level's own length, so
 * `440000` (GB/T 2260) and `440000000000` (statistical) both give `44`, `441800` gives `4418`,
 * `441802000000` gives `441802`, `441802006000` gives `441802006`.
 */
export function canonicalRegionCode(code: string): string {
  let c = code;
  if (c.length === 12 && c.endsWith('000')) c = c.slice(0, 9);
  if (c.length === 9 && c.endsWith('000')) c = c.slice(0, 6);
  if (c.length === 6 && c.endsWith('00')) c = c.slice(0, 4);
  if (c.length === 4 && c.endsWith('00')) c = c.slice(0, 2);
  return c;
}

/**
 * A region with its direct children, ordered by code.
 * @param code 2-digit province, 4-digit city, 6-digit county (GB/T 2260), 9-digit town or
 *   12-digit village (statistical codes); padded forms (`440000`, `441800`) are accepted
 * @throws AppError REGION_NOT_FOUND
 */
export async function getRegion(db: Db, requested: string): Promise<RegionRow & { children: Omit<RegionRow, 'parentCode'>[] }> {
  const code = canonicalRegionCode(requested);
  const [row] = await db.select().from(regions).where(eq(regions.code, code));
  if (!row) throw new AppError('REGION_NOT_FOUND', { code: requested });
  const children = await db
    .select({ code: regions.code, name: regions.name, level: regions.level })
    .from(regions)
    .where(eq(regions.parentCode, code))
    .orderBy(asc(regions.code));
  return { ...(row as RegionRow), children: children as Omit<RegionRow, 'parentCode'>[] };
}

/** Every department, ordered by code. */
export async function listDepartments(db: Db) {
  return db.select().from(departments).orderBy(asc(departments.code));
}

/**
 * The SQL condition "`column` names `regionCode` or a region below it". Division codes nest by
 * prefix (GB/T 2260 and the statistical town/village codes): 441802 (district) ⊃ 441802006
 * (subdistrict) ⊃ 441802006001 (community).
 */
export function withinRegion(column: SQLWrapper, regionCode: string): SQL {
  return sql`starts_with(${column}, ${regionCode}::text)`;
}

/** Looks a department up by code; `undefined` when unknown. */
export async function findDepartment(db: Db, code: string) {
  const [row] = await db.select().from(departments).where(eq(departments.code, code));
  return row;
}

/** Every hall with its windows, district hall first. */
export async function listHalls(db: Db) {
  const hallRows = await db.select().from(halls).orderBy(asc(halls.kind), asc(halls.code));
  const windowRows = await db.select().from(hallWindows).orderBy(asc(hallWindows.code));
  return hallRows.map((h) => ({
    ...h,
    windows: windowRows.filter((w) => w.hallCode === h.code).map(({ code, name, kind }) => ({ code, name, kind })),
  }));
}

/** Inserts or updates regions (code, name, level, parent). */
export async function upsertRegions(db: Db, rows: RegionRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db
      .insert(regions)
      .values(chunk)
      .onConflictDoUpdate({ target: regions.code, set: { name: sql`excluded.name`, level: sql`excluded.level`, parentCode: sql`excluded.parent_code` } });
  }
}

export interface DepartmentInput {
  code: string;
  name: string;
  shortName: string;
  nameEn?: string;
  regionCode: string;
  kind: string;
}

/** Inserts or updates departments. */
export async function upsertDepartments(db: Db, rows: DepartmentInput[]): Promise<void> {
  for (const d of rows) {
    const row = { code: d.code, name: d.name, shortName: d.shortName, nameEn: d.nameEn ?? null, regionCode: d.regionCode, kind: d.kind };
    await db.insert(departments).values(row).onConflictDoUpdate({ target: departments.code, set: row });
  }
}

export interface HallInput {
  code: string;
  name: string;
  regionCode: string;
  address?: string;
  kind: string;
  windows: { code: string; name: string; kind: string }[];
}

/** Inserts or updates halls and their windows. */
export async function upsertHalls(db: Db, rows: HallInput[]): Promise<void> {
  for (const h of rows) {
    const row = { code: h.code, name: h.name, regionCode: h.regionCode, address: h.address ?? null, kind: h.kind };
    await db.insert(halls).values(row).onConflictDoUpdate({ target: halls.code, set: row });
    for (const w of h.windows) {
      const wrow = { code: w.code, hallCode: h.code, name: w.name, kind: w.kind };
      await db.insert(hallWindows).values(wrow).onConflictDoUpdate({ target: hallWindows.code, set: wrow });
    }
  }
}
