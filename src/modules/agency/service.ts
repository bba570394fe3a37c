/**
 * Assisted and agent handling (帮办代办) and key projects (重点项目).
 *
 * An applicant authorises a service-team member (role `agent`) for some items (or all) until a
 * day; the agent may then prepare and submit applications for them and take the applicant's
 * steps (supplement, supply materials). Every such application and event records who acted for
 * whom. A key project groups an enterprise's applications across departments on one timeline,
 * with a named service officer.
 */
import crypto from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { isIsoDate, shanghaiDate } from '../../platform/calendar.js';
import { AppError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { maskName } from '../../platform/personal-data.js';
import { applicationEvents, applications } from '../applications/schema.js';
import { serviceItems } from '../catalog/schema.js';
import { users } from '../identity/schema.js';
import type { Principal } from '../identity/service.js';
import { agentAuthorizations, keyProjects } from './schema.js';
import { appendAudit } from '../audit/service.js';
import { withinRegion } from '../org/service.js';

/**
 * An applicant authorises an agent.
 * @param input.validTo last valid Asia/Shanghai day, `YYYY-MM-DD`, today or later
 * @param input.itemCodes the items covered; empty = any item
 * @throws AppError FORBIDDEN (caller is not a citizen or enterprise), AUTHORIZATION_INVALID
 */
export async function authorizeAgent(db: Db, p: Principal, input: { agentUsername: string; itemCodes: string[]; validTo: string }, now: Date) {
  if (p.kind === 'staff') throw new AppError('FORBIDDEN');
  const invalid = (zh: string, en: string) => new AppError('AUTHORIZATION_INVALID', { detail: { 'zh-CN': zh, en } });
  const [agent] = await db.select().from(users).where(eq(users.username, input.agentUsername));
  if (!agent || !agent.roles.includes('agent')) throw invalid(`${input.agentUsername} 不是帮办代办人员`, `${input.agentUsername} is not a service-team member`);
  if (!isIsoDate(input.validTo) || input.validTo < shanghaiDate(now)) throw invalid('授权截止日期须为今天或以后（YYYY-MM-DD）', 'The last valid day must be today or later (YYYY-MM-DD)');
  const codes = [...new Set(input.itemCodes)];
  const known = codes.length ? await db.select({ code: serviceItems.code }).from(serviceItems).where(inArray(serviceItems.code, codes)) : [];
  const unknown = codes.filter((c) => !known.some((k) => k.code === c));
  if (unknown.length) throw invalid(`事项 ${unknown.join('、')} 不存在`, `No item ${unknown.join(', ')}`);
  const row = { id: crypto.randomUUID(), principalId: p.id, agentId: agent.id, itemCodes: codes, validTo: input.validTo, createdAt: now };
  await db.insert(agentAuthorizations).values(row);
  await appendAudit(db, { stream: `agent-authorization:${p.id}`, kind: 'agent.authorized', actor: p, payload: { id: row.id, agentId: row.agentId, itemCodes: row.itemCodes, validTo: row.validTo } }, now);
  return { id: row.id, agent: { id: agent.id, displayName: agent.displayName }, itemCodes: row.itemCodes, validTo: row.validTo, createdAt: now.toISOString(), revokedAt: null };
}

/**
 * The authorisation in force letting `agentId` act for `principalId` on `itemCode` on `today`
 * (Asia/Shanghai), or undefined.
 */
export async function activeAuthorization(db: Db, agentId: string, principalId: string, itemCode: string, today: string) {
  const rows = await db
    .select()
    .from(agentAuthorizations)
    .where(and(eq(agentAuthorizations.agentId, agentId), eq(agentAuthorizations.principalId, principalId), isNull(agentAuthorizations.revokedAt), gte(agentAuthorizations.validTo, today)));
  return rows.find((r) => r.itemCodes.length === 0 || r.itemCodes.includes(itemCode));
}

/**
 * Authorisations the caller gave (applicant) or holds (agent). The agent sees the names of those
 * who authorised them whole: they act for them and must tell them apart.
 */
export async function listAuthorizations(db: Db, p: Principal) {
  const rows = await db
    .select({ a: agentAuthorizations, principal: users.displayName, principalKind: users.kind })
    .from(agentAuthorizations)
    .innerJoin(users, eq(users.id, agentAuthorizations.principalId))
    .where(or(eq(agentAuthorizations.principalId, p.id), eq(agentAuthorizations.agentId, p.id)))
    .orderBy(desc(agentAuthorizations.createdAt));
  const agentIds = [...new Set(rows.map((r) => r.a.agentId))];
  const agents = agentIds.length ? await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, agentIds)) : [];
  return rows.map(({ a, principal, principalKind }) => ({
    id: a.id,
    principal: { id: a.principalId, displayName: principal, kind: principalKind },
    agent: { id: a.agentId, displayName: agents.find((x) => x.id === a.agentId)?.displayName ?? '' },
    itemCodes: a.itemCodes,
    validTo: a.validTo,
    createdAt: a.createdAt.toISOString(),
    revokedAt: a.revokedAt?.toISOString() ?? null,
  }));
}

/**
 * The applicant ends an authorisation now.
 * @throws AppError NOT_FOUND (missing, or not the caller's)
 */
export async function revokeAuthorization(db: Db, p: Principal, id: string, now: Date) {
  if (!isUuid(id)) throw new AppError('NOT_FOUND');
  const rows = await db
    .update(agentAuthorizations)
    .set({ revokedAt: now })
    .where(and(eq(agentAuthorizations.id, id), eq(agentAuthorizations.principalId, p.id), isNull(agentAuthorizations.revokedAt)))
    .returning({ id: agentAuthorizations.id });
  if (!rows.length) throw new AppError('NOT_FOUND');
  await appendAudit(db, { stream: `agent-authorization:${p.id}`, kind: 'agent.authorization_revoked', actor: p, payload: { id } }, now);
  return { id, revokedAt: now.toISOString() };
}

/**
 * Registers a key project (clerk or administrator): its code, name, investing enterprise (by
 * username) and service officer (staff, by username).
 * @throws AppError FORBIDDEN, PROJECT_INVALID (unknown enterprise or officer, code already registered)
 */
export async function createProject(db: Db, p: Principal, input: { code: string; name: string; enterpriseUsername: string; officerUsername: string }, now: Date) {
  if (!p.roles.includes('admin') && !p.roles.includes('clerk')) throw new AppError('FORBIDDEN');
  const [enterprise] = await db.select().from(users).where(eq(users.username, input.enterpriseUsername));
  const [officer] = await db.select().from(users).where(eq(users.username, input.officerUsername));
  if (!enterprise || enterprise.kind !== 'enterprise') throw new AppError('PROJECT_INVALID', { detail: { 'zh-CN': '投资企业不存在', en: 'No such enterprise' } });
  if (!officer || officer.kind !== 'staff') throw new AppError('PROJECT_INVALID', { detail: { 'zh-CN': '服务专员须为工作人员', en: 'The service officer must be staff' } });
  const row = { id: crypto.randomUUID(), code: input.code.trim(), name: input.name.trim(), enterpriseId: enterprise.id, officerId: officer.id, createdAt: now };
  const inserted = await db.insert(keyProjects).values(row).onConflictDoNothing({ target: keyProjects.code }).returning();
  if (!inserted.length) throw new AppError('PROJECT_INVALID', { detail: { 'zh-CN': `项目代码 ${row.code} 已登记`, en: `Project code ${row.code} is already registered` } });
  return { ...row, createdAt: now.toISOString(), enterprise: enterprise.displayName, officer: officer.displayName };
}

/** Whether `p` may see the project: its enterprise, its officer, clerks and administrators. */
function maySeeProject(p: Principal, project: typeof keyProjects.$inferSelect): boolean {
  return project.enterpriseId === p.id || project.officerId === p.id || p.roles.includes('admin') || p.roles.includes('clerk');
}

/** Actions of the back office whose actors the applicant's side does not see named. */
const BACK_OFFICE_ACTIONS: readonly string[] = ['review', 'opinion'];

/**
 * Which of a project's applications its timeline shows `p`: all to the enterprise, its service
 * officer and admins; to any other clerk, those of their region and below (as their case list).
 */
function projectScope(p: Principal, project: typeof keyProjects.$inferSelect): SQL | undefined {
  if (project.enterpriseId === p.id || project.officerId === p.id || p.roles.includes('admin')) return undefined;
  return p.regionCode ? withinRegion(applications.regionCode, p.regionCode) : sql`false`;
}

/** Projects the caller may see (enterprise: its own; officer: theirs; clerk/admin: all). */
export async function listProjects(db: Db, p: Principal) {
  const rows = (await db.select().from(keyProjects).orderBy(desc(keyProjects.createdAt))).filter((r) => maySeeProject(p, r));
  const names = await displayNames(db, rows.flatMap((r) => [r.enterpriseId, r.officerId]));
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    enterpriseId: r.enterpriseId,
    enterprise: names.get(r.enterpriseId) ?? '',
    officerId: r.officerId,
    officer: names.get(r.officerId) ?? '',
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Display names of accounts (enterprises and staff: not personal data) by id. */
async function displayNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, unique));
  return new Map(rows.map((r) => [r.id, r.displayName]));
}

/** A project by id, or undefined. */
export async function findProject(db: Db, id: string) {
  return isUuid(id) ? (await db.select().from(keyProjects).where(eq(keyProjects.id, id)))[0] : undefined;
}

/** The project row if `p` may see it. @throws AppError PROJECT_NOT_FOUND */
export async function findVisibleProject(db: Db, p: Principal, id: string) {
  const [project] = isUuid(id) ? await db.select().from(keyProjects).where(eq(keyProjects.id, id)) : [];
  if (!project || !maySeeProject(p, project)) throw new AppError('PROJECT_NOT_FOUND');
  return project;
}

/**
 * A key project's timeline: its applications across departments and every event of them, oldest
 * first, with the service officer. Personal names of natural persons are masked; a clerk other
 * than the officer sees the applications of their region and below; the applicant's side does
 * not see reviewers named.
 * @throws AppError PROJECT_NOT_FOUND (missing, or not visible to `p`)
 */
export async function projectTimeline(db: Db, p: Principal, id: string) {
  const project = await findVisibleProject(db, p, id);
  const names = await displayNames(db, [project.officerId, project.enterpriseId]);
  const apps = await db
    .select({ id: applications.id, number: applications.number, itemCode: applications.itemCode, itemName: applications.itemName, status: applications.status, departmentCode: applications.departmentCode, dueDate: applications.dueDate, submittedAt: applications.submittedAt })
    .from(applications)
    .where(and(eq(applications.projectId, project.id), projectScope(p, project)))
    .orderBy(asc(applications.submittedAt));
  const events = apps.length
    ? await db
        .select({ applicationId: applicationEvents.applicationId, seq: applicationEvents.seq, action: applicationEvents.action, toStatus: applicationEvents.toStatus, actorName: applicationEvents.actorName, actorRole: applicationEvents.actorRole, createdAt: applicationEvents.createdAt })
        .from(applicationEvents)
        .where(inArray(applicationEvents.applicationId, apps.map((a) => a.id)))
        .orderBy(asc(applicationEvents.createdAt), asc(applicationEvents.seq))
    : [];
  const numberOf = new Map(apps.map((a) => [a.id, a]));
  return {
    id: project.id,
    code: project.code,
    name: project.name,
    officer: { id: project.officerId, displayName: names.get(project.officerId) ?? '' },
    enterprise: { id: project.enterpriseId, displayName: names.get(project.enterpriseId) ?? '' },
    applications: apps.map((a) => ({ ...a, submittedAt: a.submittedAt.toISOString() })),
    timeline: events.map((e) => ({
      at: e.createdAt.toISOString(),
      applicationId: e.applicationId,
      applicationNumber: numberOf.get(e.applicationId)!.number,
      itemName: numberOf.get(e.applicationId)!.itemName,
      action: e.action,
      toStatus: e.toStatus,
      // the back office's reviewers stay unnamed to the applicant, as on the application itself
      actor: { displayName: e.actorRole === 'citizen' ? maskName(e.actorName) : p.kind !== 'staff' && BACK_OFFICE_ACTIONS.includes(e.action) ? '' : e.actorName, role: e.actorRole },
    })),
  };
}
