/**
 * Chief representatives (首席代表): a department empowers one of its staff at the hall to decide
 * listed items on the spot. The empowerment names the items, the service point, the written
 * basis and the validity; a decision taken under it records the empowerment's id.
 */
import crypto from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { AppError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { serviceItems } from '../catalog/schema.js';
import { users } from '../identity/schema.js';
import type { Principal } from '../identity/service.js';
import { halls } from '../org/schema.js';
import { chiefRepresentatives } from './schema.js';
import { appendAudit } from '../audit/service.js';

/** An empowerment in force, as the lifecycle checks it. */
export interface Empowerment {
  id: string;
  departmentCode: string;
  itemCodes: string[];
}

/** The empowerments of `userId` in force at `now` (granted, not revoked, within validity). */
export async function activeEmpowerments(db: Db, userId: string, now: Date): Promise<Empowerment[]> {
  return db
    .select({ id: chiefRepresentatives.id, departmentCode: chiefRepresentatives.departmentCode, itemCodes: chiefRepresentatives.itemCodes })
    .from(chiefRepresentatives)
    .where(and(eq(chiefRepresentatives.userId, userId), isNull(chiefRepresentatives.revokedAt), lte(chiefRepresentatives.validFrom, now), gt(chiefRepresentatives.validTo, now)));
}

export interface EmpowermentInput {
  username: string;
  hallCode: string;
  itemCodes: string[];
  basis: string;
  /** ISO instant the empowerment ends */
  validTo: string;
  /** admin only: the empowering department (a signatory empowers for their own) */
  departmentCode?: string;
}

/**
 * Empowers a chief representative. A department's signatory (its head) empowers for their own
 * department; an administrator names the department.
 * @throws AppError FORBIDDEN; EMPOWERMENT_INVALID (unknown user or not the department's staff,
 *   unknown hall, an item not implemented by the department, validity not in the future)
 */
export async function grantEmpowerment(db: Db, p: Principal, input: EmpowermentInput, now: Date) {
  const invalid = (zh: string, en: string) => new AppError('EMPOWERMENT_INVALID', { detail: { 'zh-CN': zh, en } });
  if (p.roles.includes('admin') && !input.departmentCode) throw invalid('管理员授权须指定授权部门（departmentCode）', 'An administrator must name the empowering department (departmentCode)');
  const dept = p.roles.includes('admin') ? input.departmentCode : p.roles.includes('signatory') ? p.departmentCode : null;
  if (!dept) throw new AppError('FORBIDDEN');
  const [user] = await db.select().from(users).where(eq(users.username, input.username));
  if (!user || user.kind !== 'staff' || user.departmentCode !== dept) throw invalid(`${input.username} 不是本部门工作人员`, `${input.username} is not staff of the department`);
  const [hall] = await db.select().from(halls).where(eq(halls.code, input.hallCode));
  if (!hall) throw invalid(`服务场所 ${input.hallCode} 不存在`, `No service point ${input.hallCode}`);
  const codes = [...new Set(input.itemCodes)];
  const own = await db.select({ code: serviceItems.code }).from(serviceItems).where(and(inArray(serviceItems.code, codes), eq(serviceItems.departmentCode, dept)));
  const missing = codes.filter((c) => !own.some((o) => o.code === c));
  if (!codes.length || missing.length) throw invalid(`事项 ${missing.join('、')} 不由本部门实施`, `Items ${missing.join(', ')} are not implemented by the department`);
  const validTo = new Date(input.validTo);
  if (!(validTo > now)) throw invalid('授权截止时间须晚于现在', 'The empowerment must end in the future');
  const row = { id: crypto.randomUUID(), userId: user.id, departmentCode: dept, hallCode: hall.code, itemCodes: codes, basis: input.basis.trim(), validFrom: now, validTo, grantedById: p.id };
  await db.transaction(async (tx) => {
    await tx.insert(chiefRepresentatives).values(row);
    await appendAudit(tx, { stream: `empowerment:${dept}`, kind: 'empowerment.granted', actor: p, payload: { id: row.id, userId: row.userId, hallCode: row.hallCode, itemCodes: row.itemCodes, basis: row.basis, validTo: validTo.toISOString() } }, now);
  });
  return describe({ ...row, revokedAt: null }, user.displayName);
}

function describe(r: typeof chiefRepresentatives.$inferSelect, displayName: string) {
  return {
    id: r.id,
    user: { id: r.userId, displayName },
    departmentCode: r.departmentCode,
    hallCode: r.hallCode,
    itemCodes: r.itemCodes,
    basis: r.basis,
    validFrom: r.validFrom.toISOString(),
    validTo: r.validTo.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
  };
}

/** Empowerments staff may see: an administrator all, others their department's. */
export async function listEmpowerments(db: Db, p: Principal) {
  if (p.kind !== 'staff') throw new AppError('FORBIDDEN');
  const rows = await db
    .select({ r: chiefRepresentatives, displayName: users.displayName })
    .from(chiefRepresentatives)
    .innerJoin(users, eq(users.id, chiefRepresentatives.userId))
    .where(p.roles.includes('admin') ? undefined : eq(chiefRepresentatives.departmentCode, p.departmentCode ?? ''))
    .orderBy(desc(chiefRepresentatives.validFrom));
  return rows.map((x) => describe(x.r, x.displayName));
}

/**
 * Ends an empowerment now (its decisions stay valid: they were taken under it).
 * @throws AppError NOT_FOUND (missing, or another department's), FORBIDDEN (the department's staff
 *   but not its signatory)
 */
export async function revokeEmpowerment(db: Db, p: Principal, id: string, now: Date) {
  const [r] = isUuid(id) ? await db.select().from(chiefRepresentatives).where(eq(chiefRepresentatives.id, id)) : [];
  // another department's empowerment is out of scope: as if it did not exist
  if (!r || (!p.roles.includes('admin') && p.departmentCode !== r.departmentCode)) throw new AppError('NOT_FOUND');
  if (!p.roles.includes('admin') && !p.roles.includes('signatory')) throw new AppError('FORBIDDEN');
  const ended = await db.update(chiefRepresentatives).set({ revokedAt: now }).where(and(eq(chiefRepresentatives.id, id), isNull(chiefRepresentatives.revokedAt))).returning({ id: chiefRepresentatives.id });
  if (ended.length) await appendAudit(db, { stream: `empowerment:${r.departmentCode}`, kind: 'empowerment.revoked', actor: p, payload: { id } }, now);
  return { id, revokedAt: (r.revokedAt ?? now).toISOString() };
}
