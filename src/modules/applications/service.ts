/**
 * The case lifecycle of applications (办件): submission with idempotency, the transitions of
 * {@link TRANSITIONS}, the statutory clock started at acceptance, and the decision record.
 *
 * Every transition is one transaction: lock the row, check role, department, version and state,
 * update the row (status, version + 1) and append one event whose `seq` is the new version.
 */
import crypto from 'node:crypto';
import { and, count, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { isIsoDate, shanghaiDate, shiftDate, type WorkingCalendar } from '../../platform/calendar.js';
import { deliveryDeadline, readClock, STATUTORY_LIMITS, supplementNoticeDeadline } from '../../platform/clock.js';
import { canonicalJson } from '../../platform/canonical-json.js';
import { AppError, type ErrorCode } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { sm3Hex } from '../../platform/gm-crypto.js';
import { maskName } from '../../platform/personal-data.js';
import { findProject } from '../agency/service.js';
import { getCalendar } from '../calendar/service.js';
import { getItem } from '../catalog/service.js';
import type { LimitUnit } from '../catalog/schema.js';
import { activeEmpowerments, type Empowerment } from '../chief-representatives/service.js';
import { checksOf, claimCheck, closeCheck, createCommitmentCheck, hasFalseCommitment, type CheckResult } from '../commitments/service.js';
import { documents } from '../documents/schema.js';
import { issueDocument, listDocuments, revokeDocuments, type IssueContext, type IssueInput } from '../documents/service.js';
import type { Principal } from '../identity/service.js';
import { findDepartment, withinRegion } from '../org/service.js';
import { sealDocument } from '../seals/service.js';
import { clockCondition, isReportableDate } from '../stats/service.js';
import { authorizeForApplication, checkLicensesForMaterials, issueLicenseForGrant, licensesIssuedFor } from '../licenses/service.js';
import { applicantCategories, exemptedMaterials, resolveParties, type ApplicantInput } from './intake.js';
import { ACTION_LABELS, STATUS_LABELS } from './labels.js';
import { acceptanceNotice, correctionOrder, decisionDocument, extensionNotice, nonAcceptanceNotice, revocationDecision, specialProcedureNotice, supplementNotice } from './notices.js';
import { answeredDepartments, completeStep, currentStep, giveOpinion, listOpinions, mayGiveOpinion, mayReviewStep, resolveSteps, type StepOutcome } from './review-steps.js';
import { appendEvent } from './events.js';
import { maskedForm, openForm, requestDigest, sealForm } from './pii.js';
import { PiiVault } from '../../platform/pii-vault.js';
import { recordPiiView, type PiiPurpose } from '../audit/pii-views.js';
import { ownPersonalData } from '../identity/pii.js';
import { applicationEvents, applications, decisions, type ClockPause } from './schema.js';
import { ACTOR_ROLES, TRANSITIONS, findTransition, findTransitions, type Action, type Guard, type Status, type Transition } from './transitions.js';

type ApplicationRow = typeof applications.$inferSelect;
type Item = Awaited<ReturnType<typeof getItem>>;

export interface MaterialSubmission {
  materialId?: number;
  name?: string;
  fileName?: string;
  /** 免证办: the applicant's electronic licence that stands for this material */
  licenseId?: string;
  /** filled in: the licence's GB/T 36904 identifier */
  licenseIdentifier?: string;
}

function isApplicantRole(p: Principal): boolean {
  return p.roles.some((r) => ACTOR_ROLES.applicant.includes(r));
}

/** What an applicant, a window clerk or an agent sends to create an application. */
export interface NewApplication {
  itemCode: string;
  form: Record<string, unknown>;
  materials: MaterialSubmission[];
  /** window clerk: the applicant present at the window (一窗受理) */
  applicant?: ApplicantInput;
  /** agent: the applicant who authorised them (帮办代办), by account id */
  onBehalfOf?: string;
  /** 告知承诺制: the applicant signs the item's commitment text, identified by its SM3 digest */
  commitment?: { textSm3: string };
  /** how the result is to be delivered (default: at the window) */
  deliveryMethod?: 'window' | 'mail' | 'online';
  /** the key project it belongs to (重点项目) */
  projectId?: string;
  /**
   * the applicant's own submission came through the mobile app (粤省事/粤商通) or a self-service
   * kiosk rather than the web portal; ignored for a window clerk's or an agent's submission
   */
  channel?: 'online' | 'mobile' | 'kiosk';
}

/**
 * Submits an application for `input.itemCode`: by the applicant online, by a window clerk for
 * the applicant present (identified by checksum-valid ID number or USCC), or by an authorised
 * agent. The same `idempotencyKey` for the same applicant returns the first application
 * (`created: false`) and never makes a second, also under concurrent retries (unique constraint).
 * Materials the item's exemption lists waive for the applicant are recorded as exempted.
 *
 * @throws AppError FORBIDDEN, APPLICANT_REQUIRED, APPLICANT_ID_INVALID, APPLICANT_NAME_MISMATCH,
 *   AGENT_NOT_AUTHORIZED, ITEM_NOT_FOUND, ITEM_NOT_APPLICABLE (item not for this kind of
 *   applicant), MATERIAL_UNKNOWN, COMMITMENT_NOT_ELIGIBLE, COMMITMENT_TEXT_CHANGED,
 *   COMMITMENT_BARRED (a recorded false commitment), PROJECT_NOT_FOUND,
 *   IDEMPOTENCY_KEY_REUSED (same key, different body)
 */
export async function submitApplication(
  db: Db,
  principal: Principal,
  input: NewApplication,
  idempotencyKey: string,
  now: Date,
): Promise<{ application: ApplicationRow; created: boolean }> {
  const parties = await resolveParties(db, principal, input, now);
  const applicant = parties.applicant;
  // keyed: the body holds the applicant's numbers (pii.ts)
  const requestHash = requestDigest(input);
  const existing = await findByIdempotencyKey(db, applicant.id, idempotencyKey);
  if (existing) return checkReplay(existing, requestHash, principal.id);

  const item = await getItem(db, input.itemCode);
  const object = applicant.kind === 'person' ? '1' : '2';
  if (!item.serviceObjects.includes(object)) {
    throw new AppError('ITEM_NOT_APPLICABLE', {
      code: item.code,
      kind: applicant.kind === 'person' ? { 'zh-CN': '自然人', en: 'natural persons' } : { 'zh-CN': '法人', en: 'legal persons' },
    });
  }
  const materials = checkMaterials(item.materials, input.materials, true);
  // 免证办: licences standing for materials, authorised by the holder (online, or present at the window)
  const licenseUses = materials.filter((m) => m.licenseId);
  if (licenseUses.length) {
    if (parties.agent) throw new AppError('LICENSE_USE_NOT_ALLOWED');
    const held = await checkLicensesForMaterials(
      db,
      applicant.idNumber,
      licenseUses.map((m) => {
        if (m.materialId === undefined) throw new AppError('MATERIAL_UNKNOWN', { materialId: '' });
        const im = item.materials.find((x) => x.id === m.materialId)!;
        return { materialId: m.materialId, licenseId: m.licenseId!, licenseType: im.licenseType, materialName: im.name };
      }),
      shanghaiDate(now),
    );
    for (const m of licenseUses) m.licenseIdentifier = held.get(m.materialId!)!.identifier;
  }
  let commitment: ApplicationRow['commitment'] = null;
  if (input.commitment) {
    const text = item.notificationCommitment.text;
    if (!item.notificationCommitment.eligible || !text) throw new AppError('COMMITMENT_NOT_ELIGIBLE', { code: item.code });
    if (sm3Hex(text) !== input.commitment.textSm3.toLowerCase()) throw new AppError('COMMITMENT_TEXT_CHANGED');
    if (await hasFalseCommitment(db, applicant.id)) throw new AppError('COMMITMENT_BARRED');
    commitment = { signedAt: now.toISOString(), textSm3: sm3Hex(text) };
  }
  if (input.projectId) {
    const project = await findProject(db, input.projectId);
    if (!project || project.enterpriseId !== applicant.id) throw new AppError('PROJECT_NOT_FOUND');
  }
  const exempted = await exemptedMaterials(db, item.code, applicantCategories(applicant, shanghaiDate(now)), new Map(item.materials.map((m) => [m.id, m.name])));

  const regionCode = parties.regionCode ?? (await findDepartment(db, item.departmentCode))?.regionCode ?? '';

  return db.transaction(async (tx) => {
    const [{ seq }] = rowsOf<{ seq: string }>(await tx.execute(sql`SELECT nextval('application_number_seq')::text AS seq`));
    const id = crypto.randomUUID();
    const number = `QC${shanghaiDate(now).replaceAll('-', '')}${String(seq).padStart(6, '0')}`;
    const inserted = await tx
      .insert(applications)
      .values({
        id,
        number,
        itemCode: item.code,
        itemName: item.name,
        applicantId: applicant.id,
        applicantName: applicant.displayName,
        applicantKind: applicant.kind,
        channel: parties.channel === 'online' && !parties.agent && input.channel ? input.channel : parties.channel,
        status: 'submitted',
        version: 1,
        // the form's ID numbers and phones sealed, with the key's id (pii.ts)
        ...sealForm(input.form),
        materials,
        departmentCode: item.departmentCode,
        regionCode,
        reviewDepartmentCode: item.reviewDepartmentCode,
        decisionDepartmentCode: item.decisionDepartmentCode,
        committedLimitDays: commitment ? 0 : item.committedLimitDays,
        committedLimitUnit: commitment ? 'same_day' : item.committedLimitUnit,
        submittedAt: now,
        receivedAt: now,
        updatedAt: now,
        idempotencyKey,
        requestHash,
        takenById: parties.takenById,
        agentId: parties.agent?.id ?? null,
        agentName: parties.agent?.displayName ?? null,
        projectId: input.projectId ?? null,
        deliveryMethod: input.deliveryMethod ?? 'window',
        commitment,
        exemptedMaterials: exempted,
      })
      .onConflictDoNothing({ target: [applications.applicantId, applications.idempotencyKey] })
      .returning();
    if (!inserted.length) {
      // A concurrent retry with the same key won the race.
      const winner = await findByIdempotencyKey(tx, applicant.id, idempotencyKey);
      return checkReplay(winner!, requestHash, principal.id);
    }
    if (licenseUses.length) await authorizeForApplication(tx, applicant.id, id, licenseUses.map((m) => m.licenseId!), now);
    await appendEvent(tx, {
      applicationId: id,
      seq: 1,
      action: 'submit',
      fromStatus: null,
      toStatus: 'submitted',
      actorId: principal.id,
      actorName: principal.displayName,
      actorRole: principal.roles[0]!,
      comment: parties.takenById ? `窗口代为申请（申请人：${applicant.displayName}）` : parties.agent ? `代办（委托人：${applicant.displayName}）` : '',
      createdAt: now,
    });
    return { application: inserted[0]!, created: true };
  });
}

/**
 * Checks submitted materials against the item's list: a `materialId` must be the item's, none
 * twice; an entry without one must name the material. Fills in the item's name.
 * @throws AppError MATERIAL_UNKNOWN, MATERIAL_DUPLICATE, MATERIAL_UNNAMED
 */
function checkMaterials(itemMaterials: { id: number; name: string }[], submitted: MaterialSubmission[], allowLicenses = false): MaterialSubmission[] {
  const byId = new Map(itemMaterials.map((m) => [m.id, m]));
  const seen = new Set<number>();
  return submitted.map(({ licenseIdentifier: _filledIn, licenseId, ...m }) => {
    // a licence stands for a material only at submission, where it is checked and authorised
    if (licenseId !== undefined && !allowLicenses) throw new AppError('LICENSE_USE_NOT_ALLOWED');
    const withLicense = licenseId !== undefined ? { licenseId } : {};
    if (m.materialId === undefined) {
      if (!m.name?.trim()) throw new AppError('MATERIAL_UNNAMED');
      return { ...m, ...withLicense, name: m.name.trim() };
    }
    const known = byId.get(m.materialId);
    if (!known) throw new AppError('MATERIAL_UNKNOWN', { materialId: m.materialId });
    if (seen.has(m.materialId)) throw new AppError('MATERIAL_DUPLICATE', { materialId: m.materialId });
    seen.add(m.materialId);
    return { ...m, ...withLicense, name: known.name };
  });
}

/**
 * A supplement (补正) adds to what was submitted: a material given again replaces its earlier
 * entry (same `materialId`, or same name for unlisted ones); the others stay.
 */
function mergeMaterials(earlier: MaterialSubmission[], added: MaterialSubmission[]): MaterialSubmission[] {
  const key = (m: MaterialSubmission) => (m.materialId !== undefined ? `id:${m.materialId}` : `name:${m.name}`);
  const merged = new Map(earlier.map((m) => [key(m), m]));
  for (const m of added) merged.set(key(m), m);
  return [...merged.values()];
}

function rowsOf<T>(result: unknown): T[] {
  // node-postgres returns { rows }, PGlite returns { rows } too; keep one place that knows.
  return (result as { rows: T[] }).rows;
}

async function findByIdempotencyKey(db: Db, applicantId: string, key: string) {
  const [row] = await db
    .select()
    .from(applications)
    .where(and(eq(applications.applicantId, applicantId), eq(applications.idempotencyKey, key)));
  return row;
}

/** A retry's answer: the first application, to whoever submitted it (an applicant, the clerk who took it, the agent) and no one else. */
function checkReplay(existing: ApplicationRow, requestHash: string, submitterId: string) {
  const submittedBy = existing.takenById ?? existing.agentId ?? existing.applicantId;
  if (existing.requestHash !== requestHash || submittedBy !== submitterId) throw new AppError('IDEMPOTENCY_KEY_REUSED');
  return { application: existing, created: false };
}

/**
 * Who is acting, with what they hold besides their roles: chief-representative empowerments
 * (首席代表) and, for agents, their authorisations are checked per application.
 */
export interface Acting {
  principal: Principal;
  empowerments: Empowerment[];
  /** the opinions given in the current joint-review round, when known (detail, allowed actions) */
  answered?: string[];
}

/** Loads what `p` holds at `now` besides roles. */
export async function loadActing(db: Db, p: Principal, now: Date): Promise<Acting> {
  return { principal: p, empowerments: p.kind === 'staff' ? await activeEmpowerments(db, p.id, now) : [] };
}

/**
 * The SQL condition selecting the applications `p` may see:
 * applicants their own; agents those they submitted; clerks those of their region and the
 * regions below it (the comprehensive window takes every department's items there and sees where
 * each case is: the district hall's clerks the whole district, a town centre's its town);
 * reviewers their review department's
 * and those whose review steps name their department (second review, joint review); signatories
 * their decision department's; chief representatives their empowered items'; a key project's
 * officer its applications; admins all.
 */
function visibleTo(a: Acting): SQL | undefined {
  const p = a.principal;
  const conds: SQL[] = [];
  if (p.roles.includes('admin')) return undefined;
  if (p.roles.includes('clerk') && p.regionCode) conds.push(withinRegion(applications.regionCode, p.regionCode));
  if (isApplicantRole(p)) conds.push(eq(applications.applicantId, p.id));
  if (p.roles.includes('agent')) conds.push(eq(applications.agentId, p.id));
  if (p.roles.includes('reviewer') && p.departmentCode) {
    conds.push(eq(applications.reviewDepartmentCode, p.departmentCode));
    const dept = JSON.stringify(p.departmentCode);
    conds.push(sql`(${applications.reviewSteps} @> ${`[{"department":${dept}}]`}::jsonb OR ${applications.reviewSteps} @> ${`[{"joint":[${dept}]}]`}::jsonb)`);
  }
  if (p.roles.includes('signatory') && p.departmentCode) conds.push(eq(applications.decisionDepartmentCode, p.departmentCode));
  // the deciding department's reviewers verify commitments after the decision
  if (p.roles.includes('reviewer') && p.departmentCode) conds.push(and(eq(applications.decisionDepartmentCode, p.departmentCode), sql`${applications.commitment} IS NOT NULL`)!);
  for (const e of a.empowerments) conds.push(and(eq(applications.departmentCode, e.departmentCode), inArray(applications.itemCode, e.itemCodes))!);
  if (p.kind === 'staff') conds.push(sql`${applications.projectId} IN (SELECT id FROM key_projects WHERE officer_id = ${p.id})`);
  return conds.length ? or(...conds)! : sql`false`;
}

/** The empowerment under which `p` may decide `app` on the spot, if any. */
function empowermentFor(a: Acting, app: ApplicationRow): Empowerment | undefined {
  return a.empowerments.find((e) => e.departmentCode === app.departmentCode && e.itemCodes.includes(app.itemCode));
}

/** Whether `a` may act as `t.actor` on `app` (department, step, empowerment), guards aside. */
function canActAs(a: Acting, t: Transition, app: ApplicationRow): boolean {
  const p = a.principal;
  if (!p.roles.some((r) => ACTOR_ROLES[t.actor].includes(r))) return false;
  switch (t.actor) {
    case 'applicant':
      return app.applicantId === p.id || (app.agentId !== null && app.agentId === p.id);
    case 'clerk':
      return true;
    case 'reviewer':
      return t.steps ? mayReviewStep(p, app) : p.departmentCode === app.reviewDepartmentCode;
    case 'joint_reviewer':
      return mayGiveOpinion(p, app, a.answered);
    case 'signatory':
      return p.departmentCode === app.decisionDepartmentCode;
    case 'chief_representative':
      return !!empowermentFor(a, app);
    case 'system':
      return false;
  }
}

/** Whether a transition's guard holds for `app`. */
function guardHolds(guard: Guard | undefined, app: ApplicationRow): boolean {
  const paused = app.pauses.some((x) => x.to === null);
  switch (guard) {
    case undefined:
      return true;
    case 'commitment':
      return app.commitment !== null;
    case 'pending_materials':
      return app.pendingMaterials.length > 0;
    case 'clock_running':
      return !paused && app.committedLimitDays !== null && app.committedLimitDays > 0;
    case 'clock_paused':
      return paused;
    case 'not_extended':
      return app.extensionDays === 0 && app.committedLimitDays !== null && app.committedLimitDays > 0;
    case 'online_delivery':
      return app.deliveryMethod === 'online';
  }
}

/** The error a failed guard answers with. */
const GUARD_ERRORS: Record<Guard, ErrorCode> = {
  commitment: 'ACTION_NOT_ALLOWED',
  pending_materials: 'NO_PENDING_MATERIALS',
  clock_running: 'CLOCK_ALREADY_PAUSED',
  clock_paused: 'CLOCK_NOT_PAUSED',
  not_extended: 'ALREADY_EXTENDED',
  online_delivery: 'NOT_ONLINE_DELIVERY',
};

/** The actions `a` may take on `app` now. */
export function allowedActions(a: Acting, app: ApplicationRow): Action[] {
  const out = TRANSITIONS.filter((t) => t.from === app.status && canActAs(a, t, app) && guardHolds(t.guard, app)).map((t) => t.action);
  return [...new Set(out)];
}

/** Where the case is: the department whose queue holds it and the step, for the front desk and the applicant. */
function locationOf(app: ApplicationRow) {
  const step = currentStep(app);
  const status = app.status as Status;
  if (status === 'submitted' || status === 'supplement_requested') return { stage: 'front_desk' as const, departmentCode: app.departmentCode, step: null };
  if (status === 'accepted' && step) return { stage: 'review' as const, departmentCode: step.department, step: { index: app.currentStep, of: app.reviewSteps.length, name: step.name, joint: step.joint ?? null, round: app.reviewRound } };
  if (status === 'accepted' || status === 'reviewed') return { stage: 'decision' as const, departmentCode: app.decisionDepartmentCode, step: null };
  if (status === 'granted' || status === 'denied') return { stage: 'delivery' as const, departmentCode: app.departmentCode, step: null };
  return { stage: 'closed' as const, departmentCode: null, step: null };
}

function summary(app: ApplicationRow, calendar?: WorkingCalendar) {
  return {
    id: app.id,
    number: app.number,
    itemCode: app.itemCode,
    itemName: app.itemName,
    departmentCode: app.departmentCode,
    applicantName: app.applicantKind === 'person' ? maskName(app.applicantName) : app.applicantName,
    applicantKind: app.applicantKind,
    channel: app.channel,
    status: app.status as Status,
    version: app.version,
    submittedAt: app.submittedAt.toISOString(),
    acceptedAt: app.acceptedAt?.toISOString() ?? null,
    dueDate: app.dueDate,
    dueDateProvisional: app.dueDateProvisional,
    /** art. 32: last day for the one-time supplement notice, while the application waits for acceptance */
    supplementNoticeDeadline: calendar && app.status === 'submitted' ? supplementNoticeDeadline(calendar, shanghaiDate(app.receivedAt ?? app.submittedAt)).date : null,
    /** the department whose queue holds the case, and the review step under way */
    location: locationOf(app),
    clockPaused: app.pauses.some((x) => x.to === null),
    updatedAt: app.updatedAt.toISOString(),
  };
}

export type ApplicationSummary = ReturnType<typeof summary>;

/** Filters of the case list. Dates are Asia/Shanghai submission days, both included. */
export interface ApplicationListQuery {
  status?: string;
  page: number;
  pageSize: number;
  queue?: 'mine';
  departmentCode?: string;
  regionCode?: string;
  channel?: string;
  from?: string;
  to?: string;
  /** overdue: open, clock running, past the due date; warning: due within 3 working days */
  clock?: 'overdue' | 'warning';
}

/**
 * The applications `p` may see, newest first.
 * @param query.status one status or several separated by commas
 * @param query.queue `mine`: only those waiting for the caller's own action (the back-office
 *   queue: the current step's department for reviewers, decisions for signatories)
 */
export async function listApplications(db: Db, p: Principal, query: ApplicationListQuery, now: Date = new Date()) {
  const a = await loadActing(db, p, now);
  const conds: SQL[] = [];
  const scope = visibleTo(a);
  if (scope) conds.push(scope);
  if (query.status) {
    const statuses = query.status.split(',').map((s) => s.trim()).filter(Boolean);
    conds.push(inArray(applications.status, statuses));
  }
  if (query.queue === 'mine') conds.push(queueOf(a));
  // the dashboard's drill-down: the same filters as its figures (docs/metrics.md)
  for (const d of [query.from, query.to]) if (d !== undefined && !isReportableDate(d)) throw new AppError('STATS_RANGE_INVALID');
  if (query.from && query.to && query.from > query.to) throw new AppError('STATS_RANGE_INVALID');
  if (query.departmentCode) conds.push(eq(applications.departmentCode, query.departmentCode));
  if (query.regionCode) conds.push(withinRegion(applications.regionCode, query.regionCode));
  if (query.channel) conds.push(eq(applications.channel, query.channel));
  if (query.from) conds.push(gte(applications.submittedAt, new Date(`${query.from}T00:00:00+08:00`)));
  if (query.to) conds.push(lt(applications.submittedAt, new Date(`${shiftDate(query.to, 1)}T00:00:00+08:00`)));
  if (query.clock) {
    conds.push(sql`${applications.status} IN ('accepted', 'reviewed') AND NOT (${applications.pauses} @> '[{"to": null}]'::jsonb)`);
    conds.push(clockCondition(applications.dueDate, query.clock, now));
  }
  const where = conds.length ? and(...conds) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(applications)
      .where(where)
      .orderBy(desc(applications.submittedAt), desc(applications.number))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ total: count() }).from(applications).where(where),
  ]);
  const calendar = await getCalendar(db);
  return { items: rows.map((r) => summary(r, calendar)), total: Number(total) };
}

/** The SQL condition of the caller's work queue (cases waiting for their action). */
function queueOf(a: Acting): SQL {
  const p = a.principal;
  const conds: SQL[] = [];
  const dept = p.departmentCode ?? '';
  if (p.roles.includes('clerk')) conds.push(inArray(applications.status, ['submitted', 'granted', 'denied']));
  if (p.roles.includes('reviewer') || p.roles.includes('signatory')) {
    // the current step's department (ordinary step) or one of its joint departments
    conds.push(sql`${applications.status} = 'accepted' AND (
      ${applications.reviewSteps} -> ${applications.currentStep} ->> 'department' = ${dept} AND ${applications.reviewSteps} -> ${applications.currentStep} -> 'joint' IS NULL
      OR (${applications.reviewSteps} -> ${applications.currentStep} -> 'joint') ? ${dept})`);
  }
  if (p.roles.includes('signatory')) conds.push(and(eq(applications.status, 'reviewed'), eq(applications.decisionDepartmentCode, dept))!);
  if (p.roles.includes('signatory')) conds.push(and(eq(applications.status, 'accepted'), sql`${applications.commitment} IS NOT NULL`, eq(applications.decisionDepartmentCode, dept))!);
  for (const e of a.empowerments) conds.push(and(eq(applications.status, 'accepted'), eq(applications.departmentCode, e.departmentCode), inArray(applications.itemCode, e.itemCodes))!);
  if (isApplicantRole(p) || p.roles.includes('agent')) conds.push(inArray(applications.status, ['supplement_requested', 'granted', 'denied']));
  return conds.length ? or(...conds)! : sql`false`;
}

async function loadVisible(db: Db, a: Acting, id: string, forUpdate = false): Promise<ApplicationRow> {
  if (!isUuid(id)) throw new AppError('APPLICATION_NOT_FOUND');
  const scope = visibleTo(a);
  const q = db
    .select()
    .from(applications)
    .where(scope ? and(eq(applications.id, id), scope) : eq(applications.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  // Invisible and missing look the same, so IDs cannot be probed.
  if (!row) throw new AppError('APPLICATION_NOT_FOUND');
  return row;
}

/** Actions whose comments are the back office's internal work: hidden from the front desk and the applicant. */
const INTERNAL_ACTIONS: readonly string[] = ['review', 'opinion'];

/**
 * One application with its events, documents, decision, review progress, clock and the caller's
 * allowed actions. The front desk (clerks) and the applicant see where the case is and the
 * special procedures and extension of its clock, but not the back office's opinions.
 * @throws AppError APPLICATION_NOT_FOUND (missing, or not visible to `p`)
 */
export async function getApplication(db: Db, p: Principal, id: string, now: Date = new Date()) {
  const a = await loadActing(db, p, now);
  const app = await loadVisible(db, a, id);
  const calendar = await getCalendar(db);
  const [events, [decision], docs, opinions, answered] = await Promise.all([
    db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, id)).orderBy(applicationEvents.seq),
    db.select().from(decisions).where(eq(decisions.applicationId, id)),
    listDocuments(db, id),
    listOpinions(db, id),
    answeredDepartments(db, app),
  ]);
  // The applicant and the staff handling the case see the applicant's name and form whole;
  // an administrator (who does not handle cases) sees them masked / withheld.
  const isApplicant = app.applicantId === p.id || (app.agentId !== null && app.agentId === p.id);
  const backOffice = p.roles.some((r) => r === 'reviewer' || r === 'signatory') || a.empowerments.length > 0;
  const handles = isApplicant || backOffice || p.roles.includes('clerk');
  const applicantEvent = (role: string) => ACTOR_ROLES.applicant.includes(role);
  const decidedOn = decision ? shanghaiDate(decision.decidedAt) : null;
  return {
    ...summary(app, calendar),
    applicantName: handles ? app.applicantName : summary(app).applicantName,
    // personal numbers in the form: whole for the applicant, masked for staff and agents
    // (whole through revealApplicant, logged), withheld from others
    form: app.applicantId === p.id ? openForm(app.form) : handles ? maskedForm(app.form) : null,
    materials: app.materials,
    committedLimitDays: app.committedLimitDays,
    committedLimitUnit: app.committedLimitUnit,
    pendingMaterials: app.pendingMaterials,
    exemptedMaterials: app.exemptedMaterials,
    clock:
      app.acceptedAt && app.committedLimitDays !== null && OPEN_STATUSES.includes(app.status as Status)
        ? readClock(calendar, { start: shanghaiDate(app.acceptedAt), limit: app.committedLimitDays, unit: app.committedLimitUnit as LimitUnit, pauses: app.pauses, extension: app.extensionDays, today: shanghaiDate(now) })
        : null,
    pauses: app.pauses,
    extensionDays: app.extensionDays,
    reviewSteps: app.reviewSteps,
    currentStep: app.currentStep,
    reviewRound: app.reviewRound,
    /** opinions: the back office sees them with reasons; others see progress only */
    opinions: opinions.map((o) => (backOffice ? o : { ...o, reviewerName: '', comment: '' })),
    commitment: app.commitment,
    deliveryMethod: app.deliveryMethod,
    /** art. 44: last day to deliver the decision (10 working days from it) */
    deliveryDeadline: decidedOn ? deliveryDeadline(calendar, decidedOn).date : null,
    /** shown only to the applicant (and their agent): they show it at the delivery window */
    pickupCode: isApplicant ? app.pickupCode : null,
    delivery: app.delivery,
    takenBy: app.takenById ? { id: app.takenById } : null,
    agent: app.agentId ? { id: app.agentId, displayName: app.agentName } : null,
    projectId: app.projectId,
    completedAt: app.completedAt?.toISOString() ?? null,
    documents: docs,
    /** electronic licences the decision issued (电子证照) */
    licenses: await licensesIssuedFor(db, app.id),
    commitmentChecks: backOffice && app.commitment ? await checksOf(db, app.id) : undefined,
    events: events.map((e) => ({
      seq: e.seq,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actor:
        !backOffice && INTERNAL_ACTIONS.includes(e.action)
          ? { id: null, displayName: '', role: e.actorRole }
          : { id: e.actorId, displayName: handles || !applicantEvent(e.actorRole) || app.applicantKind !== 'person' ? e.actorName : maskName(e.actorName), role: e.actorRole },
      comment: !backOffice && INTERNAL_ACTIONS.includes(e.action) ? '' : e.comment,
      createdAt: e.createdAt.toISOString(),
    })),
    decision: decision
      ? {
          outcome: decision.outcome,
          decidedAt: decision.decidedAt.toISOString(),
          departmentCode: decision.departmentCode,
          digestSm3: decision.digestSm3,
          sealId: decision.sealId,
          sealName: decision.sealName,
          signatureSm2: decision.signatureSm2,
          document: decision.document,
          authority: decision.authority,
        }
      : null,
    allowedActions: allowedActions({ ...a, answered }, app),
  };
}

/** Which purposes each kind of staff may see an applicant's numbers whole for. */
const REVEAL_PURPOSES: { front: readonly PiiPurpose[]; back: readonly PiiPurpose[] } = {
  front: ['window_identity_check', 'contact_applicant'],
  back: ['case_review', 'contact_applicant'],
};

/**
 * The applicant's numbers whole — the account's ID number (or USCC) and phone, and the form with
 * its personal numbers opened — for the applicant themself, or for staff handling the case for a
 * purpose their work needs: the front desk (clerks) `window_identity_check` or
 * `contact_applicant`, the back office (reviewers, signatories, chief representatives)
 * `case_review` or `contact_applicant`. A staff view is logged first, as one `pii.view` on the
 * applicant's chain (audit/pii-views.ts) naming the fields shown; the applicant's own is not.
 * @returns `{ applicationId, applicantId, applicantName, applicantKind, idNumber, phone, form }`
 * @throws AppError APPLICATION_NOT_FOUND (missing, or not visible to `p`), FORBIDDEN (an
 *   administrator, an agent, or a purpose the caller's work does not need)
 */
export async function revealApplicant(db: Db, p: Principal, id: string, purpose: PiiPurpose, now: Date) {
  const a = await loadActing(db, p, now);
  const app = await loadVisible(db, a, id);
  const self = app.applicantId === p.id;
  const back = p.roles.some((r) => r === 'reviewer' || r === 'signatory') || a.empowerments.length > 0;
  const front = p.roles.includes('clerk');
  if (!self && !((front && REVEAL_PURPOSES.front.includes(purpose)) || (back && REVEAL_PURPOSES.back.includes(purpose)))) throw new AppError('FORBIDDEN');
  const account = await ownPersonalData(db, app.applicantId);
  const form = openForm(app.form);
  if (!self) {
    const fields = [...(account.idNumber ? ['users.id_number'] : []), ...(account.phone ? ['users.phone'] : []), ...Object.keys(app.form).filter((k) => PiiVault.isSealed(app.form[k])).map((k) => `applications.form.${k}`)];
    if (fields.length) await recordPiiView(db, { actor: p, subject: `user:${app.applicantId}`, fields, purpose, record: `application:${app.id}` }, now);
  }
  return { applicationId: app.id, applicantId: app.applicantId, applicantName: app.applicantName, applicantKind: app.applicantKind, idNumber: account.idNumber, phone: account.phone, form };
}

/** Loads an application the caller may see, for other modules (e.g. evaluations). */
export async function getVisibleApplication(db: Db, p: Principal, id: string): Promise<ApplicationRow> {
  return loadVisible(db, { principal: p, empowerments: [] }, id);
}

interface EffectContext {
  tx: Db;
  app: ApplicationRow;
  acting: Acting;
  principal: Principal;
  transition: Transition;
  input: ActionInput;
  comment: string;
  now: Date;
  calendar: WorkingCalendar;
  issue: IssueContext;
  /** the application's item, loaded once per transition by whichever effect needs it first */
  item: () => Promise<Item>;
  /** the row update the transition makes; effects add to it */
  patch: Partial<ApplicationRow>;
  /** the status reached; a step action sets it (the case stays until the last step completes) */
  to: Status;
  /** a note added to the event's record (e.g. the step completed) */
  note?: string;
}

export interface ActionInput {
  /** the version the caller saw; not compared for concurrent actions (joint-review opinions) */
  version?: number;
  comment?: string;
  materials?: MaterialSubmission[];
  conditional?: { materialIds: number[]; deadline: string };
  /** review / opinion: approve (default) or reject */
  opinion?: 'approve' | 'reject';
  /** pause_clock: the special procedure (art. 45) */
  procedure?: { kind: string };
  /** deliver: at the window with the applicant's pickup code, or by mail with the tracking number */
  delivery?: { method: 'window' | 'mail'; pickupCode?: string; trackingNumber?: string };
}

/** How results are delivered, in both languages. */
const DELIVERY_METHOD_LABELS = {
  window: { 'zh-CN': '窗口领取', en: 'collect at the window' },
  mail: { 'zh-CN': '邮寄送达', en: 'by mail' },
  online: { 'zh-CN': '网上送达', en: 'online' },
} as const;

/** Special procedures (行政许可法 art. 45) whose time is not counted in the limit. */
export const SPECIAL_PROCEDURES = {
  hearing: '听证',
  inspection: '检验',
  testing: '检测',
  quarantine: '检疫',
  appraisal: '鉴定',
  expert_review: '专家评审',
  other: '依法需要的其他程序',
} as const;

/** The due date of an accepted application on its clock (pauses and extension included); null while paused. */
function dueOn(calendar: WorkingCalendar, app: ApplicationRow, pauses: ClockPause[], extension: number) {
  if (!app.acceptedAt || app.committedLimitDays === null) return { date: app.dueDate, provisional: app.dueDateProvisional };
  const r = readClock(calendar, { start: shanghaiDate(app.acceptedAt), limit: app.committedLimitDays, unit: app.committedLimitUnit as LimitUnit, pauses, extension, today: shanghaiDate(app.acceptedAt) });
  return { date: r.dueDate, provisional: r.provisional };
}

/** What an action does besides changing the status: one entry per action that has an effect. */
const EFFECTS: Partial<Record<Action, (c: EffectContext) => Promise<void> | void>> = {
  async accept(c) {
    const { tx, app, input, now, calendar, patch } = c;
    patch.acceptedAt = now;
    // The clock starts; an item whose limit is unknown (时限待核实) gets no invented due date.
    if (app.committedLimitDays !== null) {
      const due = calendar.addLimit(shanghaiDate(now), app.committedLimitDays, app.committedLimitUnit as LimitUnit);
      patch.dueDate = due.date;
      patch.dueDateProvisional = due.provisional;
    }
    const item = await c.item();
    Object.assign(patch, reviewStart(app, item));
    if (input.conditional?.materialIds.length) {
      // 容缺受理: only materials the item allows to be missing, with a deadline after today.
      const { materialIds, deadline } = input.conditional;
      const today = shanghaiDate(now);
      if (!isIsoDate(deadline) || deadline <= today) throw new AppError('CONDITIONAL_DEADLINE', { today });
      patch.pendingMaterials = [...new Set(materialIds)].map((id) => {
        const m = item.materials.find((x) => x.id === id);
        if (!m) throw new AppError('MATERIAL_UNKNOWN', { materialId: id });
        if (!m.conditionalAllowed) throw new AppError('CONDITIONAL_NOT_ALLOWED', { name: m.name });
        return { materialId: id, name: m.name, dueDate: deadline };
      });
    }
    await issueFor(tx, item, acceptanceNotice({ ...app, ...patch }, { acceptedOn: shanghaiDate(now), dueDate: patch.dueDate ?? null, departmentCode: app.departmentCode }), c.issue, now);
  },
  async reject({ tx, app, comment, now, issue, item }) {
    await issueFor(tx, await item(), nonAcceptanceNotice(app, comment, app.departmentCode), issue, now);
  },
  async request_supplement({ tx, app, comment, now, issue, item }) {
    await issueFor(tx, await item(), supplementNotice(app, comment, app.departmentCode), issue, now);
  },
  async supplement({ app, input, now, patch, item }) {
    patch.receivedAt = now; // the art. 32 notice limit runs again from this receipt
    if (input.materials?.length) {
      patch.materials = mergeMaterials(app.materials as MaterialSubmission[], checkMaterials((await item()).materials, input.materials));
    }
  },
  async provide_material({ app, input, patch, item }) {
    const given = input.materials ?? [];
    if (!given.length) throw new AppError('MATERIAL_UNNAMED');
    for (const m of given) if (!app.pendingMaterials.some((x) => x.materialId === m.materialId)) throw new AppError('MATERIAL_UNKNOWN', { materialId: m.materialId ?? '' });
    patch.materials = mergeMaterials(app.materials as MaterialSubmission[], checkMaterials((await item()).materials, given));
    patch.pendingMaterials = app.pendingMaterials.filter((x) => !given.some((m) => m.materialId === x.materialId));
  },
  async review(c) {
    // a negative opinion goes on to the decision (which it recommends to deny), with its reasons
    if (c.input.opinion === 'reject' && !c.comment) throw new AppError('COMMENT_REQUIRED', { action: ACTION_LABELS.review });
    applyStep(c, await completeStep(c.tx, c.principal, c.app, c.input.opinion ?? 'approve', c.comment, c.now));
  },
  async opinion(c) {
    if ((c.input.opinion ?? 'approve') === 'reject' && !c.comment) throw new AppError('COMMENT_REQUIRED', { action: ACTION_LABELS.opinion });
    applyStep(c, await giveOpinion(c.tx, c.principal, c.app, c.input.opinion ?? 'approve', c.comment, c.now));
  },
  async pause_clock({ tx, app, input, comment, now, calendar, patch, issue, item }) {
    const kind = input.procedure?.kind ?? 'other';
    if (!(kind in SPECIAL_PROCEDURES)) throw new AppError('PROCEDURE_UNKNOWN', { kind });
    const today = shanghaiDate(now);
    patch.pauses = [...app.pauses, { kind, from: today, to: null, reason: comment }];
    const due = dueOn(calendar, app, patch.pauses, app.extensionDays);
    patch.dueDate = due.date;
    patch.dueDateProvisional = due.provisional;
    await issueFor(tx, await item(), specialProcedureNotice(app, SPECIAL_PROCEDURES[kind as keyof typeof SPECIAL_PROCEDURES], comment, today, app.decisionDepartmentCode), issue, now);
  },
  resume_clock({ app, now, calendar, patch }) {
    patch.pauses = app.pauses.map((x) => (x.to === null ? { ...x, to: shanghaiDate(now) } : x));
    const due = dueOn(calendar, app, patch.pauses, app.extensionDays);
    patch.dueDate = due.date;
    patch.dueDateProvisional = due.provisional;
  },
  async extend({ tx, app, comment, now, calendar, patch, issue, item }) {
    patch.extensionDays = STATUTORY_LIMITS.decisionExtension;
    const due = dueOn(calendar, app, app.pauses, STATUTORY_LIMITS.decisionExtension);
    patch.dueDate = due.date;
    patch.dueDateProvisional = due.provisional;
    await issueFor(tx, await item(), extensionNotice(app, comment, due.date, app.decisionDepartmentCode), issue, now);
  },
  grant: (c) => decide(c, 'granted'),
  deny: (c) => decide(c, 'denied'),
  deliver({ app, input, now, patch, principal }) {
    const d = input.delivery;
    if (!d || (d.method === 'window' ? !d.pickupCode : !d.trackingNumber?.trim())) throw new AppError('DELIVERY_DETAILS_REQUIRED');
    // the applicant's choice stands: window pickup is against the code, not replaced by mail
    if (d.method !== app.deliveryMethod) throw new AppError('DELIVERY_METHOD_MISMATCH', { method: DELIVERY_METHOD_LABELS[app.deliveryMethod as 'window'] ?? app.deliveryMethod });
    if (d.method === 'window' && !timingSafeEqualText(d.pickupCode!, app.pickupCode ?? '')) throw new AppError('PICKUP_CODE_INVALID');
    patch.delivery = { method: d.method, ...(d.method === 'mail' ? { trackingNumber: d.trackingNumber!.trim() } : {}), deliveredAt: now.toISOString(), byId: principal.id };
  },
  receive({ now, patch }) {
    patch.delivery = { method: 'online', deliveredAt: now.toISOString(), byId: null };
  },
  async revoke({ tx, app, comment, now, issue, item }) {
    const [granted] = await tx.select({ number: documents.number }).from(documents).where(and(eq(documents.applicationId, app.id), eq(documents.kind, 'grant_decision')));
    await revokeDocuments(tx, app.id, ['grant_decision'], comment, now);
    await issueFor(tx, await item(), revocationDecision(app, comment, granted?.number ?? null, app.decisionDepartmentCode), issue, now);
  },
};

/**
 * Issues a document of an application of `item`. For a delegated item the delegate acts in the
 * name of the delegating authority (行政许可法 art. 24): that name is printed as issuer, with the delegate's.
 */
async function issueFor(tx: Db, item: Pick<Item, 'delegatedFrom'>, input: IssueInput, ctx: IssueContext, now: Date) {
  if (item.delegatedFrom?.name) {
    const dept = await findDepartment(tx, input.departmentCode);
    input = { ...input, issuerName: `${item.delegatedFrom.name}（${dept?.name ?? input.departmentCode}受委托实施）` };
  }
  return issueDocument(tx, input, ctx, now);
}

/** Where the back office starts on acceptance: the item's review steps (none for a commitment, decided on the spot). */
function reviewStart(app: ApplicationRow, item: Pick<Item, 'reviewSteps'>): Pick<ApplicationRow, 'reviewSteps' | 'currentStep' | 'reviewRound'> {
  return { reviewSteps: app.commitment ? [] : resolveSteps(item.reviewSteps, app), currentStep: 0, reviewRound: 1 };
}

/** Applies a step outcome to the transition: next step, round, and whether the review is complete. */
function applyStep(c: EffectContext, o: StepOutcome) {
  c.patch.currentStep = o.currentStep;
  c.patch.reviewRound = o.reviewRound;
  c.to = o.complete ? c.transition.to : (c.app.status as Status);
  c.note = o.note;
}

function timingSafeEqualText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * The decision (grant or deny): refused while materials accepted as missing are pending; sealed
 * with the decision department's seal and issued as a PDF; records the power it was taken
 * under (the department, a chief representative's empowerment, or a commitment decided on the
 * spot); a pickup code for the delivery window; a verification task for a commitment.
 */
async function decide(c: EffectContext, outcome: 'granted' | 'denied') {
  const { tx, app, principal, comment, now, patch, calendar } = c;
  const pending = app.pendingMaterials;
  if (pending.length) {
    throw new AppError('MATERIALS_PENDING', { names: { 'zh-CN': pending.map((x) => x.name).join('、'), en: pending.map((x) => x.name).join(', ') } });
  }
  patch.completedAt = now;
  patch.pickupCode = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
  const empowerment = c.transition.actor === 'chief_representative' ? empowermentFor(c.acting, app) : undefined;
  const authority: (typeof decisions.$inferInsert)['authority'] = empowerment
    ? { kind: 'chief_representative', empowermentId: empowerment.id, note: `首席代表${principal.displayName}依授权当场作出` }
    : c.transition.guard === 'commitment'
      ? { kind: 'commitment', note: '告知承诺制，当场作出' }
      : { kind: 'department' };
  await writeDecision(tx, app, principal, outcome, comment, now, c.issue.masterKey, authority);
  const decidedOn = shanghaiDate(now);
  const item = await c.item();
  await issueFor(
    tx,
    item,
    decisionDocument(app, {
      outcome,
      reasons: comment,
      decidedOn,
      departmentCode: app.decisionDepartmentCode,
      authority: authority.note ? `（${authority.note}）` : '',
      deliveryDue: deliveryDeadline(calendar, decidedOn).date,
    }),
    c.issue,
    now,
  );
  if (outcome === 'granted' && app.commitment) await createCommitmentCheck(tx, app, calendar, now);
  if (outcome === 'granted') {
    const identifier = await issueLicenseForGrant(tx, app, item.resultLicenseType, c.issue, now, principal);
    if (identifier) c.note = `已签发电子证照 ${identifier}`;
  }
}

/**
 * Performs `action` on application `id` as `p`, expecting it at `input.version`.
 *
 * Checks, in order: the application is visible (else APPLICATION_NOT_FOUND); the caller's role can
 * ever take this action (else FORBIDDEN); `version` is current, except for concurrent actions
 * (else VERSION_CONFLICT); the table has this action from the current state (else
 * ACTION_NOT_ALLOWED); the caller is the applicant or of the right department, step or
 * empowerment (else FORBIDDEN); the transition's guard holds (else its own code); a comment is
 * given where reasons are required (else COMMENT_REQUIRED). Then the action's effect runs, and
 * the row update and the event are written in the same transaction, under the row lock.
 *
 * Accepting starts the clock: `dueDate` = the committed limit after the acceptance date
 * (Asia/Shanghai), the acceptance day not counted: working days (行政许可法 art. 82), or natural
 * days where the item's law counts in 日 (民法典 art. 203: a last day on a holiday moves to the
 * next working day); special procedures stop it (art. 45) and an extension adds 10 working days
 * (art. 42). Notices and decisions are issued as sealed PDFs.
 *
 * @returns the new `{ status, version, dueDate }`
 */
export async function performAction(db: Db, p: Principal, id: string, action: Action, input: ActionInput, now: Date, issue: IssueContext): Promise<{ status: Status; version: number; dueDate: string | null }> {
  const calendar = await getCalendar(db);
  const acting = await loadActing(db, p, now);
  return db.transaction(async (tx) => {
    const app = await loadVisible(tx, acting, id, true);
    const ofAction = TRANSITIONS.filter((t) => t.action === action);
    if (!ofAction.some((t) => p.roles.some((r) => ACTOR_ROLES[t.actor].includes(r)))) throw new AppError('FORBIDDEN');
    const concurrent = ofAction.every((t) => t.concurrent);
    if (!concurrent && input.version === undefined) throw new AppError('VALIDATION_ERROR', { detail: { 'zh-CN': '缺少 version（办件当前版本）', en: 'version (the application\'s current version) is required' } });
    if (!concurrent && app.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: app.version });
    const candidates = findTransitions(app.status as Status, action);
    if (!candidates.length) throw new AppError('ACTION_NOT_ALLOWED', { status: STATUS_LABELS[app.status as Status], action: ACTION_LABELS[action] });
    // A transition whose kind of actor the caller cannot be at all does not apply to them.
    const possible = candidates.filter((t) => p.roles.some((r) => ACTOR_ROLES[t.actor].includes(r)) && (t.actor !== 'chief_representative' || acting.empowerments.length > 0));
    if (!possible.length) throw new AppError('ACTION_NOT_ALLOWED', { status: STATUS_LABELS[app.status as Status], action: ACTION_LABELS[action] });
    const mine = possible.filter((t) => canActAs(acting, t, app));
    if (!mine.length) throw new AppError('FORBIDDEN');
    const t = mine.find((x) => guardHolds(x.guard, app));
    if (!t) {
      const guard = mine[0]!.guard!;
      const code = guard === 'clock_running' && !app.pauses.some((x) => x.to === null) ? 'CLOCK_NOT_RUNNING' : GUARD_ERRORS[guard];
      throw new AppError(code, { status: STATUS_LABELS[app.status as Status], action: ACTION_LABELS[action] });
    }
    const comment = (input.comment ?? '').trim();
    if (t.commentRequired && !comment) throw new AppError('COMMENT_REQUIRED', { action: ACTION_LABELS[action] });

    return runTransition({ tx, app, acting, principal: p, transition: t, input, comment, now, calendar, issue });
  });
}

/**
 * Runs a checked transition on a locked row: the action's effect, then {@link commitTransition}
 * with the effect's patch, by the acting person.
 */
async function runTransition(base: Omit<EffectContext, 'patch' | 'to' | 'note' | 'item'>): Promise<{ status: Status; version: number; dueDate: string | null }> {
  const { tx, app, principal: p, transition: t, comment, now } = base;
  let item: Promise<Item> | undefined;
  const c: EffectContext = { ...base, item: () => (item ??= getItem(tx, app.itemCode)), patch: {}, to: t.to };
  await EFFECTS[t.action]?.(c);
  const version = await commitTransition(tx, app, {
    action: t.action,
    to: c.to,
    patch: c.patch,
    actor: { id: p.id, name: p.displayName, role: p.roles.find((r) => ACTOR_ROLES[t.actor].includes(r))! },
    comment: c.note ? (comment ? `${c.note}。${comment}` : c.note) : comment,
    now,
  });
  return { status: c.to, version, dueDate: c.patch.dueDate !== undefined ? c.patch.dueDate : app.dueDate };
}

/**
 * Writes a transition on a locked row: the row update (status, version + 1, `patch`) guarded by
 * the version read, and the appended event whose `seq` is the new version.
 * @returns the new version
 * @throws AppError VERSION_CONFLICT when the row moved on meanwhile
 */
async function commitTransition(
  tx: Db,
  app: ApplicationRow,
  t: { action: Action; to: Status; patch: Partial<ApplicationRow>; actor: { id: string; name: string; role: string }; comment: string; now: Date },
): Promise<number> {
  const version = app.version + 1;
  const updated = await tx
    .update(applications)
    .set({ ...t.patch, status: t.to, version, updatedAt: t.now })
    .where(and(eq(applications.id, app.id), eq(applications.version, app.version)))
    .returning({ id: applications.id });
  if (!updated.length) throw new AppError('VERSION_CONFLICT', { current: app.version });
  await appendEvent(tx, {
    applicationId: app.id,
    seq: version,
    action: t.action,
    fromStatus: app.status,
    toStatus: t.to,
    actorId: t.actor.id,
    actorName: t.actor.name,
    actorRole: t.actor.role,
    comment: t.comment,
    createdAt: t.now,
  });
  return version;
}

async function writeDecision(
  tx: Db,
  app: ApplicationRow,
  signer: Principal,
  outcome: 'granted' | 'denied',
  reasons: string,
  now: Date,
  masterKey: Buffer,
  authority: (typeof decisions.$inferInsert)['authority'],
) {
  const dept = await findDepartment(tx, app.decisionDepartmentCode);
  const document = canonicalJson({
    kind: outcome === 'granted' ? '准予行政许可决定书' : '不予行政许可决定书',
    applicationNumber: app.number,
    itemCode: app.itemCode,
    itemName: app.itemName,
    applicantName: app.applicantName,
    outcome,
    reasons,
    decidedAt: now.toISOString(),
    decisionDate: shanghaiDate(now),
    authority: dept?.name ?? app.decisionDepartmentCode,
    ...(authority && authority.kind !== 'department' ? { power: authority } : {}),
  });
  await tx.insert(decisions).values({
    applicationId: app.id,
    outcome,
    decidedAt: now,
    departmentCode: app.decisionDepartmentCode,
    signerId: signer.id,
    document,
    authority,
    ...(await sealDocument(tx, app.decisionDepartmentCode, document, masterKey, now)),
  });
}

/**
 * Records the result of a post-approval verification of a commitment (事中事后监管). A failure
 * records the false commitment and, by the outcome, issues a correction order (责令限期整改)
 * or revokes the decision (撤销, art. 69: a signatory of the department), all in one transaction.
 * @throws AppError as {@link claimCheck}, and as `revoke` in {@link performAction}
 */
export async function recordCommitmentCheck(db: Db, p: Principal, checkId: string, input: CheckResult, now: Date, issue: IssueContext) {
  const calendar = await getCalendar(db);
  const acting = await loadActing(db, p, now);
  return db.transaction(async (tx) => {
    const check = await claimCheck(tx, p, checkId, input, now);
    const [app] = await tx.select().from(applications).where(eq(applications.id, check.applicationId)).for('update');
    if (!app) throw new AppError('APPLICATION_NOT_FOUND');
    if (input.result === 'failed' && input.outcome === 'correction') {
      await issueFor(tx, await getItem(tx, app.itemCode), correctionOrder(app, input.finding.trim(), input.correctionDueDate!, app.decisionDepartmentCode), issue, now);
    }
    if (input.result === 'failed' && input.outcome === 'revocation') {
      const t = findTransitions(app.status as Status, 'revoke').find((x) => canActAs(acting, x, app));
      if (!t) throw new AppError('ACTION_NOT_ALLOWED', { status: STATUS_LABELS[app.status as Status], action: ACTION_LABELS.revoke });
      await runTransition({ tx, app: app, acting, principal: p, transition: t, input: {}, comment: `告知承诺核查不通过：${input.finding.trim()}`, now, calendar, issue });
    }
    return closeCheck(tx, p, check, app.applicantId, input, now);
  });
}

/** Statuses in which the clock runs and a due date can still move. */
const OPEN_STATUSES: Status[] = ['accepted', 'reviewed'];

/**
 * Recomputes the due dates flagged provisional (computed before a year's holiday arrangement was
 * known) of open applications on `calendar`. Called when an administrator enters a year.
 * @returns how many applications were looked at and how many due dates moved
 */
export async function recomputeProvisionalDueDates(db: Db, calendar: WorkingCalendar): Promise<{ checked: number; changed: number }> {
  const rows = await db
    .select({ id: applications.id, acceptedAt: applications.acceptedAt, days: applications.committedLimitDays, unit: applications.committedLimitUnit, dueDate: applications.dueDate })
    .from(applications)
    .where(and(eq(applications.dueDateProvisional, true), inArray(applications.status, OPEN_STATUSES)));
  let changed = 0;
  for (const r of rows) {
    if (!r.acceptedAt || r.days === null) continue;
    const due = calendar.addLimit(shanghaiDate(r.acceptedAt), r.days, r.unit as LimitUnit);
    if (due.date !== r.dueDate) changed++;
    await db.update(applications).set({ dueDate: due.date, dueDateProvisional: due.provisional }).where(eq(applications.id, r.id));
  }
  return { checked: rows.length, changed };
}

/** The actor of what the law makes happen by lapse of time. */
export const SYSTEM_ACTOR = { id: '00000000-0000-0000-0000-000000000000', displayName: '系统', role: 'system' } as const;

/**
 * Records a transition the platform makes by itself (actor `system`): the table's target state,
 * the version bump and the event, in the caller's transaction on a row it has locked.
 */
async function recordSystemTransition(tx: Db, app: ApplicationRow, action: Action, extra: Partial<ApplicationRow>, comment: string, now: Date) {
  const t = findTransition(app.status as Status, action);
  if (!t || t.actor !== 'system') throw new Error(`no system transition ${app.status} --${action}-->`);
  await commitTransition(tx, app, { action, to: t.to, patch: extra, actor: { id: SYSTEM_ACTOR.id, name: SYSTEM_ACTOR.displayName, role: SYSTEM_ACTOR.role }, comment, now });
}

/**
 * 行政许可法 art. 32: an authority that does not give the one-time supplement notice within 5
 * working days of receiving the materials is deemed to have accepted the application from
 * receipt. Finds submitted applications past that limit and records their acceptance (action
 * `deem_accepted`, by the system): accepted as from the receipt date, the clock counted from it.
 * Rows are claimed with `FOR UPDATE SKIP LOCKED`, so several nodes never take the same one.
 * @returns how many applications were deemed accepted
 */
export async function sweepSupplementNoticeLapses(db: Db, now: Date, issue: IssueContext, batch = 500): Promise<number> {
  const calendar = await getCalendar(db);
  const today = shanghaiDate(now);
  // 5 working days are at least 5 calendar days: older receipts only.
  const cutoff = new Date(now.getTime() - 5 * 86_400_000);
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(applications)
      .where(and(eq(applications.status, 'submitted'), lt(applications.receivedAt, cutoff)))
      .limit(batch)
      .for('update', { skipLocked: true });
    let deemed = 0;
    for (const app of rows) {
      const receivedAt = app.receivedAt ?? app.submittedAt;
      const received = shanghaiDate(receivedAt);
      if (today <= supplementNoticeDeadline(calendar, received).date) continue;
      const due = app.committedLimitDays !== null ? calendar.addLimit(received, app.committedLimitDays, app.committedLimitUnit as LimitUnit) : null;
      const item = await getItem(tx, app.itemCode);
      await issueFor(tx, item, acceptanceNotice(app, { acceptedOn: received, dueDate: due?.date ?? null, deemed: true, departmentCode: app.departmentCode }), issue, now);
      await recordSystemTransition(
        tx,
        app,
        'deem_accepted',
        { acceptedAt: receivedAt, dueDate: due?.date ?? null, dueDateProvisional: due?.provisional ?? false, ...reviewStart(app, item) },
        `收到申请材料之日（${received}）起五个工作日内未一次性告知补正，依《行政许可法》第三十二条自收到申请材料之日起即为受理`,
        now,
      );
      deemed++;
    }
    return deemed;
  });
}

/**
 * 容缺受理: an application accepted while a material was missing is treated as withdrawn when the
 * material is not supplied by its deadline (action `lapse`, by the system). Claims rows with
 * `FOR UPDATE SKIP LOCKED`.
 * @returns how many applications lapsed
 */
export async function sweepConditionalLapses(db: Db, now: Date, batch = 500): Promise<number> {
  const today = shanghaiDate(now);
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(applications)
      .where(and(inArray(applications.status, OPEN_STATUSES), sql`jsonb_array_length(${applications.pendingMaterials}) > 0`))
      .limit(batch)
      .for('update', { skipLocked: true });
    let lapsed = 0;
    for (const app of rows) {
      const late = app.pendingMaterials.filter((m) => m.dueDate < today);
      if (!late.length) continue;
      await recordSystemTransition(tx, app, 'lapse', {}, `容缺材料（${late.map((m) => `${m.name}，应于 ${m.dueDate} 前补交`).join('；')}）逾期未补交，按承诺视为撤回申请`, now);
      lapsed++;
    }
    return lapsed;
  });
}
