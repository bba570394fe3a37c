/**
 * Notification-commitment (告知承诺制) after the decision: post-approval verification tasks
 * (事中事后监管) for the deciding department, and the record of false commitments.
 *
 * A decision issued on a commitment creates one check, due {@link COMMITMENT_CHECK_WORKING_DAYS}
 * working days after the decision. A failed check records a false commitment (the applicant may
 * not use commitment again) and either orders correction by a day (责令限期整改) or revokes the
 * decision (撤销, 行政许可法 art. 69 — only the authority's head, a signatory, may revoke).
 */
import crypto from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { isIsoDate, shanghaiDate, type WorkingCalendar } from '../../platform/calendar.js';
import { AppError } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { maskName } from '../../platform/personal-data.js';
import { applications } from '../applications/schema.js';
import type { Principal } from '../identity/service.js';
import { commitmentBreaches, commitmentChecks } from './schema.js';
import { appendAudit } from '../audit/service.js';

/**
 * Working days after the decision within which the department verifies a commitment. Local
 * practice (no national figure binds it); the check's due date is shown to the department.
 */
export const COMMITMENT_CHECK_WORKING_DAYS = 20;

/** Creates the verification task of a decision issued on a commitment, in the caller's transaction. */
export async function createCommitmentCheck(tx: Db, app: { id: string; decisionDepartmentCode: string }, calendar: WorkingCalendar, now: Date) {
  const due = calendar.addWorkingDays(shanghaiDate(now), COMMITMENT_CHECK_WORKING_DAYS).date;
  await tx.insert(commitmentChecks).values({ id: crypto.randomUUID(), applicationId: app.id, departmentCode: app.decisionDepartmentCode, dueDate: due, status: 'open', createdAt: now });
  return due;
}

/** Whether the applicant has a recorded false commitment (and so may not use commitment again). */
export async function hasFalseCommitment(db: Db, applicantId: string): Promise<boolean> {
  const [row] = await db.select({ id: commitmentBreaches.id }).from(commitmentBreaches).where(eq(commitmentBreaches.applicantId, applicantId)).limit(1);
  return !!row;
}

type CheckRow = typeof commitmentChecks.$inferSelect;

function describeCheck(c: CheckRow) {
  return {
    id: c.id,
    applicationId: c.applicationId,
    departmentCode: c.departmentCode,
    dueDate: c.dueDate,
    status: c.status as 'open' | 'passed' | 'failed',
    outcome: c.outcome as 'correction' | 'revocation' | null,
    correctionDueDate: c.correctionDueDate,
    finding: c.finding,
    checkedAt: c.checkedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}

/**
 * The checks of the caller's department (reviewers, signatories), or all (admin); `status`
 * filters. Each names its application: number, item, and the applicant (a person's name masked).
 */
export async function listCommitmentChecks(db: Db, p: Principal, status?: string) {
  const own = p.roles.includes('admin') ? undefined : p.roles.some((r) => r === 'reviewer' || r === 'signatory') && p.departmentCode ? eq(commitmentChecks.departmentCode, p.departmentCode) : null;
  if (own === null) throw new AppError('FORBIDDEN');
  const where = and(own, status ? inArray(commitmentChecks.status, status.split(',')) : undefined);
  const rows = await db
    .select({ c: commitmentChecks, number: applications.number, itemName: applications.itemName, applicantName: applications.applicantName, applicantKind: applications.applicantKind })
    .from(commitmentChecks)
    .innerJoin(applications, eq(applications.id, commitmentChecks.applicationId))
    .where(where)
    .orderBy(asc(commitmentChecks.dueDate));
  return rows.map((r) => ({ ...describeCheck(r.c), applicationNumber: r.number, itemName: r.itemName, applicantName: r.applicantKind === 'person' ? maskName(r.applicantName) : r.applicantName }));
}

/** The checks of one application (for its detail, staff only). */
export async function checksOf(db: Db, applicationId: string) {
  return (await db.select().from(commitmentChecks).where(eq(commitmentChecks.applicationId, applicationId)).orderBy(asc(commitmentChecks.createdAt))).map(describeCheck);
}

export interface CheckResult {
  result: 'passed' | 'failed';
  finding: string;
  /** failed only */
  outcome?: 'correction' | 'revocation';
  /** correction only: Asia/Shanghai day, after today */
  correctionDueDate?: string;
}

/**
 * Locks an open check of the caller's department and validates the result (the caller applies
 * the lifecycle consequences in the same transaction).
 * @throws AppError NOT_FOUND (missing, or another department's check), FORBIDDEN (not a reviewer
 *   or signatory; revocation by a non-signatory),
 *   CHECK_NOT_OPEN, VALIDATION_ERROR (missing finding, outcome or correction day)
 */
export async function claimCheck(tx: Db, p: Principal, checkId: string, input: CheckResult, now: Date): Promise<CheckRow> {
  const [c] = isUuid(checkId) ? await tx.select().from(commitmentChecks).where(eq(commitmentChecks.id, checkId)).for('update') : [];
  // another department's check is out of scope: as if it did not exist, so ids cannot be probed
  if (!c || p.departmentCode !== c.departmentCode) throw new AppError('NOT_FOUND');
  if (!p.roles.some((r) => r === 'reviewer' || r === 'signatory')) throw new AppError('FORBIDDEN');
  if (c.status !== 'open') throw new AppError('CHECK_NOT_OPEN');
  const bad = (zh: string, en: string) => new AppError('VALIDATION_ERROR', { detail: { 'zh-CN': zh, en } });
  if (input.result === 'failed') {
    if (!input.finding.trim()) throw bad('核查不通过须写明核查发现', 'A failed check needs its finding');
    if (!input.outcome) throw bad('核查不通过须选择责令整改或撤销许可', 'A failed check needs an outcome: correction or revocation');
    if (input.outcome === 'revocation' && !p.roles.includes('signatory')) throw new AppError('FORBIDDEN');
    if (input.outcome === 'correction' && (!input.correctionDueDate || !isIsoDate(input.correctionDueDate) || input.correctionDueDate <= shanghaiDate(now)))
      throw bad('责令整改须给出晚于今天的整改期限（YYYY-MM-DD）', 'A correction order needs a day after today (YYYY-MM-DD)');
  }
  return c;
}

/** Records a claimed check's result, and the false commitment when it failed. */
export async function closeCheck(tx: Db, p: Principal, c: CheckRow, applicantId: string, input: CheckResult, now: Date) {
  await tx
    .update(commitmentChecks)
    .set({
      status: input.result,
      outcome: input.result === 'failed' ? input.outcome! : null,
      correctionDueDate: input.result === 'failed' && input.outcome === 'correction' ? input.correctionDueDate! : null,
      finding: input.finding.trim(),
      checkedById: p.id,
      checkedAt: now,
    })
    .where(eq(commitmentChecks.id, c.id));
  await appendAudit(tx, { stream: `commitment-check:${c.applicationId}`, kind: `commitment_check.${input.result}`, actor: p, payload: { checkId: c.id, outcome: input.outcome ?? null, correctionDueDate: input.correctionDueDate ?? null, finding: input.finding.trim() } }, now);
  if (input.result === 'failed') {
    await tx.insert(commitmentBreaches).values({ id: crypto.randomUUID(), applicantId, applicationId: c.applicationId, checkId: c.id, finding: input.finding.trim(), recordedAt: now });
  }
  const [row] = await tx.select().from(commitmentChecks).where(eq(commitmentChecks.id, c.id));
  return describeCheck(row!);
}
