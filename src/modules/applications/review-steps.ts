/**
 * Back-office review (后台分类审批) and joint review (联审联批).
 *
 * At acceptance an application takes a copy of its item's review steps, with `review` and
 * `decision` resolved to department codes. `currentStep` points at the step under way; the
 * `review` action completes an ordinary step, and the `opinion` action records one department's
 * opinion in a joint step. A joint step completes exactly once, when the last required opinion
 * arrives: every transition holds the application's row lock, so concurrent opinions are applied
 * one after another and only the last sees them all. A "not approved" opinion ends the round:
 * the case goes back to the step before (or the same step, if it is the first) with a new round,
 * and the reasons are in the opinion.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { AppError } from '../../platform/errors.js';
import { DEFAULT_REVIEW_STEPS, type ReviewStep } from '../catalog/service-types.js';
import type { Principal } from '../identity/service.js';
import { departments } from '../org/schema.js';
import { applications, reviewOpinions } from './schema.js';

type ApplicationRow = typeof applications.$inferSelect;

/** The item's steps (or the default one review) with `review` / `decision` resolved to department codes. */
export function resolveSteps(steps: readonly ReviewStep[] | null, app: Pick<ApplicationRow, 'reviewDepartmentCode' | 'decisionDepartmentCode'>): ReviewStep[] {
  const resolve = (d: string) => (d === 'review' ? app.reviewDepartmentCode : d === 'decision' ? app.decisionDepartmentCode : d);
  return (steps?.length ? steps : DEFAULT_REVIEW_STEPS).map((s) => ({ ...s, department: resolve(s.department), ...(s.joint ? { joint: s.joint.map(resolve) } : {}) }));
}

/** The step under way, or undefined once every step is complete (or before acceptance). */
export function currentStep(app: Pick<ApplicationRow, 'reviewSteps' | 'currentStep'>): ReviewStep | undefined {
  return app.reviewSteps[app.currentStep];
}

/** Whether `p` may complete the current (ordinary) step: its role, of its department. */
export function mayReviewStep(p: Principal, app: ApplicationRow): boolean {
  const step = currentStep(app);
  return !!step && !step.joint && p.roles.includes(step.role) && p.departmentCode === step.department;
}

/** Whether `p` is a reviewer of a department the current joint step still waits for. */
export function mayGiveOpinion(p: Principal, app: ApplicationRow, answered: readonly string[] = []): boolean {
  const step = currentStep(app);
  return !!step?.joint && p.roles.includes('reviewer') && !!p.departmentCode && step.joint.includes(p.departmentCode) && !answered.includes(p.departmentCode);
}

/** Departments that answered the current joint step in the current round. */
export async function answeredDepartments(db: Db, app: ApplicationRow): Promise<string[]> {
  const rows = await db
    .select({ departmentCode: reviewOpinions.departmentCode })
    .from(reviewOpinions)
    .where(and(eq(reviewOpinions.applicationId, app.id), eq(reviewOpinions.step, app.currentStep), eq(reviewOpinions.round, app.reviewRound)));
  return rows.map((r) => r.departmentCode);
}

/** The outcome of a step action: where the case is after it. */
export interface StepOutcome {
  /** the next step index (= steps.length when the review is complete) */
  currentStep: number;
  reviewRound: number;
  /** true when the last step completed (the case becomes `reviewed`) */
  complete: boolean;
  /** what happened, for the event's record */
  note: string;
}

/**
 * Completes the current ordinary step as `p`, recording the opinion. The same person may not
 * complete two consecutive steps of one case (four-eyes principle).
 * @throws AppError STEP_IS_JOINT, SAME_REVIEWER
 */
export async function completeStep(tx: Db, p: Principal, app: ApplicationRow, opinion: 'approve' | 'reject', comment: string, now: Date): Promise<StepOutcome> {
  const step = currentStep(app)!;
  if (step.joint) throw new AppError('STEP_IS_JOINT');
  if (app.currentStep > 0) {
    const [previous] = await tx
      .select({ reviewerId: reviewOpinions.reviewerId })
      .from(reviewOpinions)
      .where(and(eq(reviewOpinions.applicationId, app.id), eq(reviewOpinions.step, app.currentStep - 1)))
      .orderBy(desc(reviewOpinions.id))
      .limit(1);
    if (previous?.reviewerId === p.id) throw new AppError('SAME_REVIEWER');
  }
  await insertOpinion(tx, p, app, opinion, comment, now);
  const next = app.currentStep + 1;
  return { currentStep: next, reviewRound: app.reviewRound, complete: next >= app.reviewSteps.length, note: `${step.name}：${opinion === 'approve' ? '同意' : '不同意'}` };
}

/**
 * Records `p`'s department's opinion in the current joint step (caller holds the row lock).
 * All approved → the step completes (next step, or review complete). Not approved → the round
 * ends and the case goes back a step.
 * @throws AppError STEP_NOT_JOINT, FORBIDDEN (department not in the step), OPINION_ALREADY_GIVEN
 */
export async function giveOpinion(tx: Db, p: Principal, app: ApplicationRow, opinion: 'approve' | 'reject', comment: string, now: Date): Promise<StepOutcome> {
  const step = currentStep(app);
  if (!step?.joint) throw new AppError('STEP_NOT_JOINT');
  if (!p.departmentCode || !step.joint.includes(p.departmentCode)) throw new AppError('FORBIDDEN');
  await insertOpinion(tx, p, app, opinion, comment, now);
  const names = new Map((await tx.select({ code: departments.code, name: departments.name }).from(departments).where(inArray(departments.code, step.joint))).map((d) => [d.code, d.name]));
  const nameOf = (code: string) => names.get(code) ?? code;
  if (opinion === 'reject') {
    const back = Math.max(0, app.currentStep - 1);
    return { currentStep: back, reviewRound: app.reviewRound + 1, complete: false, note: `${step.name}第${app.reviewRound}轮：${nameOf(p.departmentCode)}不同意，退回${app.reviewSteps[back]!.name}` };
  }
  const answered = await answeredDepartments(tx, app);
  const waiting = step.joint.filter((d) => !answered.includes(d));
  if (waiting.length) return { currentStep: app.currentStep, reviewRound: app.reviewRound, complete: false, note: `${step.name}：${nameOf(p.departmentCode)}同意（尚待${waiting.map(nameOf).join('、')}）` };
  const next = app.currentStep + 1;
  return { currentStep: next, reviewRound: app.reviewRound, complete: next >= app.reviewSteps.length, note: `${step.name}：各部门均同意，环节完成` };
}

async function insertOpinion(tx: Db, p: Principal, app: ApplicationRow, opinion: 'approve' | 'reject', comment: string, now: Date) {
  const rows = await tx
    .insert(reviewOpinions)
    .values({ applicationId: app.id, step: app.currentStep, round: app.reviewRound, departmentCode: p.departmentCode!, reviewerId: p.id, reviewerName: p.displayName, opinion, comment, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: reviewOpinions.id });
  if (!rows.length) throw new AppError('OPINION_ALREADY_GIVEN');
}

/** Every opinion of an application, oldest first. */
export async function listOpinions(db: Db, applicationId: string) {
  const rows = await db.select().from(reviewOpinions).where(eq(reviewOpinions.applicationId, applicationId)).orderBy(reviewOpinions.id);
  return rows.map((o) => ({ step: o.step, round: o.round, departmentCode: o.departmentCode, reviewerName: o.reviewerName, opinion: o.opinion as 'approve' | 'reject', comment: o.comment, createdAt: o.createdAt.toISOString() }));
}
