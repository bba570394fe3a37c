/**
 * The case lifecycle of applications (办件): submission with idempotency, the transitions of
 * {@link TRANSITIONS}, the statutory clock started at acceptance, and the decision record.
 *
 * Every transition is one transaction: lock the row, check role, department, version and state,
 * update the row (status, version + 1) and append one event whose `seq` is the new version.
 */
import crypto from 'node:crypto';
import { and, count, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { isIsoDate, shanghaiDate, type WorkingCalendar } from '../../platform/calendar.js';
import { readClock, supplementNoticeDeadline } from '../../platform/clock.js';
import { getCalendar } from '../calendar/service.js';
import { canonicalJson } from '../../platform/canonical-json.js';
import { AppError } from '../../platform/errors.js';
import { maskName } from '../../platform/personal-data.js';
import { getItem } from '../catalog/service.js';
import type { LimitUnit } from '../catalog/schema.js';
import { findDepartment } from '../org/service.js';
import { sealDocument } from '../seals/service.js';
import type { Principal } from '../identity/service.js';
import { applicationEvents, applications, decisions } from './schema.js';
import { ACTOR_ROLES, TRANSITIONS, findTransition, type Action, type Actor, type Status, type Transition } from './transitions.js';
import { ACTION_LABELS, STATUS_LABELS } from './labels.js';

type ApplicationRow = typeof applications.$inferSelect;

export interface MaterialSubmission {
  materialId?: number;
  name?: string;
  fileName?: string;
}

export interface NewApplication {
  itemCode: string;
  form: Record<string, unknown>;
  materials: MaterialSubmission[];
}

function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

function isApplicantRole(p: Principal): boolean {
  return p.roles.some((r) => ACTOR_ROLES.applicant.includes(r));
}

/**
 * Submits an application for `input.itemCode` on behalf of the signed-in applicant.
 * The same `idempotencyKey` from the same applicant returns the first application (`created: false`)
 * and never makes a second, also under concurrent retries (unique constraint).
 *
 * @throws AppError FORBIDDEN (caller is not a citizen or enterprise), ITEM_NOT_FOUND,
 *   ITEM_NOT_APPLICABLE (item not for this kind of applicant), MATERIAL_UNKNOWN,
 *   IDEMPOTENCY_KEY_REUSED (same key, different body)
 */
export async function submitApplication(
  db: Db,
  principal: Principal,
  input: NewApplication,
  idempotencyKey: string,
  now: Date,
  channel: 'window' | 'online' | 'kiosk' | 'mobile' = 'online',
): Promise<{ application: ApplicationRow; created: boolean }> {
  if (!isApplicantRole(principal)) throw new AppError('FORBIDDEN');
  const requestHash = sha256(canonicalJson(input));
  const existing = await findByIdempotencyKey(db, principal.id, idempotencyKey);
  if (existing) return checkReplay(existing, requestHash);

  const item = await getItem(db, input.itemCode);
  const object = principal.kind === 'person' ? '1' : '2';
  if (!item.serviceObjects.includes(object)) {
    throw new AppError('ITEM_NOT_APPLICABLE', {
      code: item.code,
      kind: principal.kind === 'person' ? { 'zh-CN': '自然人', en: 'natural persons' } : { 'zh-CN': '法人', en: 'legal persons' },
    });
  }
  const materials = checkMaterials(item.materials, input.materials);

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
        applicantId: principal.id,
        applicantName: principal.displayName,
        applicantKind: principal.kind,
        channel,
        status: 'submitted',
        version: 1,
        form: input.form,
        materials,
        departmentCode: item.departmentCode,
        reviewDepartmentCode: item.reviewDepartmentCode,
        decisionDepartmentCode: item.decisionDepartmentCode,
        committedLimitDays: item.committedLimitDays,
        committedLimitUnit: item.committedLimitUnit,
        submittedAt: now,
        receivedAt: now,
        updatedAt: now,
        idempotencyKey,
        requestHash,
      })
      .onConflictDoNothing({ target: [applications.applicantId, applications.idempotencyKey] })
      .returning();
    if (!inserted.length) {
      // A concurrent retry with the same key won the race.
      const winner = await findByIdempotencyKey(tx, principal.id, idempotencyKey);
      return checkReplay(winner!, requestHash);
    }
    await tx.insert(applicationEvents).values({
      applicationId: id,
      seq: 1,
      action: 'submit',
      fromStatus: null,
      toStatus: 'submitted',
      actorId: principal.id,
      actorName: principal.displayName,
      actorRole: principal.roles[0]!,
      comment: '',
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
function checkMaterials(itemMaterials: { id: number; name: string }[], submitted: MaterialSubmission[]): MaterialSubmission[] {
  const byId = new Map(itemMaterials.map((m) => [m.id, m]));
  const seen = new Set<number>();
  return submitted.map((m) => {
    if (m.materialId === undefined) {
      if (!m.name?.trim()) throw new AppError('MATERIAL_UNNAMED');
      return { ...m, name: m.name.trim() };
    }
    const known = byId.get(m.materialId);
    if (!known) throw new AppError('MATERIAL_UNKNOWN', { materialId: m.materialId });
    if (seen.has(m.materialId)) throw new AppError('MATERIAL_DUPLICATE', { materialId: m.materialId });
    seen.add(m.materialId);
    return { ...m, name: known.name };
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

function checkReplay(existing: ApplicationRow, requestHash: string) {
  if (existing.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
  return { application: existing, created: false };
}

/**
 * The SQL condition selecting the applications `p` may see:
 * applicants their own; clerks all (the comprehensive window handles every department's items);
 * reviewers their review department's; signatories their decision department's; admins all.
 */
function visibleTo(p: Principal): SQL | undefined {
  const conds: SQL[] = [];
  if (p.roles.includes('admin') || p.roles.includes('clerk')) return undefined;
  if (isApplicantRole(p)) conds.push(eq(applications.applicantId, p.id));
  if (p.roles.includes('reviewer') && p.departmentCode) conds.push(eq(applications.reviewDepartmentCode, p.departmentCode));
  if (p.roles.includes('signatory') && p.departmentCode) conds.push(eq(applications.decisionDepartmentCode, p.departmentCode));
  return conds.length ? or(...conds)! : sql`false`;
}

/** Whether `p` may act as `actor` on `app`. */
function canActAs(p: Principal, actor: Actor, app: ApplicationRow): boolean {
  if (!p.roles.some((r) => ACTOR_ROLES[actor].includes(r))) return false;
  switch (actor) {
    case 'applicant':
      return app.applicantId === p.id;
    case 'clerk':
      return true;
    case 'reviewer':
      return p.departmentCode === app.reviewDepartmentCode;
    case 'signatory':
      return p.departmentCode === app.decisionDepartmentCode;
    case 'system':
      return false;
  }
}

/** The actions `p` may take on `app` now. */
export function allowedActions(p: Principal, app: ApplicationRow): Action[] {
  return TRANSITIONS.filter((t) => t.from === app.status && canActAs(p, t.actor, app))
    .map((t) => t.action)
    .filter((a) => a !== 'provide_material' || app.pendingMaterials.length > 0);
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
    updatedAt: app.updatedAt.toISOString(),
  };
}

export type ApplicationSummary = ReturnType<typeof summary>;

/**
 * The applications `p` may see, newest first.
 * @param query.status one status or several separated by commas
 */
export async function listApplications(db: Db, p: Principal, query: { status?: string; page: number; pageSize: number }) {
  const conds: SQL[] = [];
  const scope = visibleTo(p);
  if (scope) conds.push(scope);
  if (query.status) {
    const statuses = query.status.split(',').map((s) => s.trim()).filter(Boolean);
    conds.push(inArray(applications.status, statuses));
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

async function loadVisible(db: Db, p: Principal, id: string, forUpdate = false): Promise<ApplicationRow> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new AppError('APPLICATION_NOT_FOUND');
  const scope = visibleTo(p);
  const q = db
    .select()
    .from(applications)
    .where(scope ? and(eq(applications.id, id), scope) : eq(applications.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  // Invisible and missing look the same, so IDs cannot be probed.
  if (!row) throw new AppError('APPLICATION_NOT_FOUND');
  return row;
}

/**
 * One application with its events, decision, evaluation and the caller's allowed actions.
 * @throws AppError APPLICATION_NOT_FOUND (missing, or not visible to `p`)
 */
export async function getApplication(db: Db, p: Principal, id: string, now: Date = new Date()) {
  const app = await loadVisible(db, p, id);
  const calendar = await getCalendar(db);
  const [events, [decision]] = await Promise.all([
    db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, id)).orderBy(applicationEvents.seq),
    db.select().from(decisions).where(eq(decisions.applicationId, id)),
  ]);
  // The applicant and the staff handling the case see the applicant's name and form whole;
  // an administrator (who does not handle cases) sees them masked / withheld.
  const handles = app.applicantId === p.id || p.roles.some((r) => r === 'clerk' || r === 'reviewer' || r === 'signatory');
  const applicantEvent = (role: string) => ACTOR_ROLES.applicant.includes(role);
  return {
    ...summary(app, calendar),
    applicantName: handles ? app.applicantName : summary(app).applicantName,
    form: handles ? app.form : null,
    materials: app.materials,
    committedLimitDays: app.committedLimitDays,
    committedLimitUnit: app.committedLimitUnit,
    pendingMaterials: app.pendingMaterials,
    clock:
      app.acceptedAt && app.committedLimitDays !== null && OPEN_STATUSES.includes(app.status as Status)
        ? readClock(calendar, { start: shanghaiDate(app.acceptedAt), limit: app.committedLimitDays, unit: app.committedLimitUnit as LimitUnit, today: shanghaiDate(now) })
        : null,
    completedAt: app.completedAt?.toISOString() ?? null,
    events: events.map((e) => ({
      seq: e.seq,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actor: { id: e.actorId, displayName: handles || !applicantEvent(e.actorRole) || app.applicantKind !== 'person' ? e.actorName : maskName(e.actorName), role: e.actorRole },
      comment: e.comment,
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
        }
      : null,
    allowedActions: allowedActions(p, app),
  };
}

/** Loads an application the caller may see, for other modules (e.g. evaluations). */
export async function getVisibleApplication(db: Db, p: Principal, id: string): Promise<ApplicationRow> {
  return loadVisible(db, p, id);
}

interface EffectContext {
  tx: Db;
  app: ApplicationRow;
  principal: Principal;
  input: ActionInput;
  comment: string;
  now: Date;
  calendar: WorkingCalendar;
  masterKey: Buffer;
  /** the row update the transition makes; effects add to it */
  patch: Partial<ApplicationRow>;
}

export interface ActionInput {
  version: number;
  comment?: string;
  materials?: MaterialSubmission[];
  conditional?: { materialIds: number[]; deadline: string };
}

/** What an action does besides changing the status: one entry per action that has an effect. */
const EFFECTS: Partial<Record<Action, (c: EffectContext) => Promise<void> | void>> = {
  async accept({ tx, app, input, now, calendar, patch }) {
    patch.acceptedAt = now;
    // The clock starts; an item whose limit is unknown (时限待核实) gets no invented due date.
    if (app.committedLimitDays !== null) {
      const due = calendar.addLimit(shanghaiDate(now), app.committedLimitDays, app.committedLimitUnit as LimitUnit);
      patch.dueDate = due.date;
      patch.dueDateProvisional = due.provisional;
    }
    if (!input.conditional?.materialIds.length) return;
    // 容缺受理: only materials the item allows to be missing, with a deadline after today.
    const { materialIds, deadline } = input.conditional;
    const item = await getItem(tx, app.itemCode);
    const today = shanghaiDate(now);
    if (!isIsoDate(deadline) || deadline <= today) throw new AppError('CONDITIONAL_DEADLINE', { today });
    patch.pendingMaterials = [...new Set(materialIds)].map((id) => {
      const m = item.materials.find((x) => x.id === id);
      if (!m) throw new AppError('MATERIAL_UNKNOWN', { materialId: id });
      if (!m.conditionalAllowed) throw new AppError('CONDITIONAL_NOT_ALLOWED', { name: m.name });
      return { materialId: id, name: m.name, dueDate: deadline };
    });
  },
  async supplement({ tx, app, input, now, patch }) {
    patch.receivedAt = now; // the art. 32 notice limit runs again from this receipt
    if (input.materials?.length) {
      const item = await getItem(tx, app.itemCode);
      patch.materials = mergeMaterials(app.materials as MaterialSubmission[], checkMaterials(item.materials, input.materials));
    }
  },
  async provide_material({ tx, app, input, patch }) {
    const given = input.materials ?? [];
    if (!given.length) throw new AppError('MATERIAL_UNNAMED');
    for (const m of given) if (!app.pendingMaterials.some((x) => x.materialId === m.materialId)) throw new AppError('MATERIAL_UNKNOWN', { materialId: m.materialId ?? '' });
    const item = await getItem(tx, app.itemCode);
    patch.materials = mergeMaterials(app.materials as MaterialSubmission[], checkMaterials(item.materials, given));
    patch.pendingMaterials = app.pendingMaterials.filter((x) => !given.some((m) => m.materialId === x.materialId));
  },
  grant: (c) => decide(c, 'granted'),
  deny: (c) => decide(c, 'denied'),
};

/** The decision (grant or deny): refused while materials accepted as missing are pending; sealed. */
async function decide({ tx, app, principal, comment, now, masterKey, patch }: EffectContext, outcome: 'granted' | 'denied') {
  const pending = app.pendingMaterials;
  if (pending.length) {
    throw new AppError('MATERIALS_PENDING', { names: { 'zh-CN': pending.map((x) => x.name).join('、'), en: pending.map((x) => x.name).join(', ') } });
  }
  patch.completedAt = now;
  await writeDecision(tx, app, principal, outcome, comment, now, masterKey);
}

/**
 * Performs `action` on application `id` as `p`, expecting it at `version`.
 *
 * Checks, in order: the application is visible (else APPLICATION_NOT_FOUND); the caller's role can
 * ever take this action (else FORBIDDEN); `version` is current (else VERSION_CONFLICT); the table
 * has this action from the current state (else ACTION_NOT_ALLOWED); the caller is the applicant or
 * of the right department (else FORBIDDEN); a comment is given where reasons are required
 * (else COMMENT_REQUIRED).
 *
 * Accepting starts the clock: `dueDate` = the committed limit after the acceptance date
 * (Asia/Shanghai), the acceptance day not counted: working days (行政许可法 art. 82), or natural
 * days where the item's law counts in 日 (民法典 art. 203: a last day on a holiday moves to the next working day). Granting or denying
 * writes the decision document, sealed with the decision department's seal (SM3 digest, SM2 signature).
 *
 * @returns the new `{ status, version }`
 */
export async function performAction(
  db: Db,
  p: Principal,
  id: string,
  action: Action,
  input: ActionInput,
  now: Date,
  masterKey: Buffer,
): Promise<{ status: Status; version: number; dueDate: string | null }> {
  const calendar = await getCalendar(db);
  return db.transaction(async (tx) => {
    const app = await loadVisible(tx, p, id, true);
    const candidates = TRANSITIONS.filter((t) => t.action === action);
    if (!candidates.some((t) => p.roles.some((r) => ACTOR_ROLES[t.actor].includes(r)))) throw new AppError('FORBIDDEN');
    if (app.version !== input.version) throw new AppError('VERSION_CONFLICT', { current: app.version });
    const t: Transition | undefined = findTransition(app.status as Status, action);
    if (!t) throw new AppError('ACTION_NOT_ALLOWED', { status: STATUS_LABELS[app.status as Status], action: ACTION_LABELS[action] });
    if (!canActAs(p, t.actor, app)) throw new AppError('FORBIDDEN');
    const comment = (input.comment ?? '').trim();
    if (t.commentRequired && !comment) throw new AppError('COMMENT_REQUIRED', { action: ACTION_LABELS[action] });

    const version = app.version + 1;
    const patch: Partial<ApplicationRow> = { status: t.to, version, updatedAt: now };
    await EFFECTS[action]?.({ tx, app, principal: p, input, comment, now, calendar, masterKey, patch });
    const updated = await tx
      .update(applications)
      .set(patch)
      .where(and(eq(applications.id, id), eq(applications.version, app.version)))
      .returning({ id: applications.id });
    if (!updated.length) throw new AppError('VERSION_CONFLICT', { current: app.version });
    await tx.insert(applicationEvents).values({
      applicationId: id,
      seq: version,
      action,
      fromStatus: app.status,
      toStatus: t.to,
      actorId: p.id,
      actorName: p.displayName,
      actorRole: p.roles.find((r) => ACTOR_ROLES[t.actor].includes(r))!,
      comment,
      createdAt: now,
    });
    return { status: t.to, version, dueDate: patch.dueDate ?? app.dueDate };
  });
}

async function writeDecision(tx: Db, app: ApplicationRow, signer: Principal, outcome: 'granted' | 'denied', reasons: string, now: Date, masterKey: Buffer) {
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
  });
  await tx.insert(decisions).values({
    applicationId: app.id,
    outcome,
    decidedAt: now,
    departmentCode: app.decisionDepartmentCode,
    signerId: signer.id,
    document,
    ...(await sealDocument(tx, app.decisionDepartmentCode, document, masterKey, now)),
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
  const version = app.version + 1;
  await tx
    .update(applications)
    .set({ ...extra, status: t.to, version, updatedAt: now })
    .where(and(eq(applications.id, app.id), eq(applications.version, app.version)));
  await tx.insert(applicationEvents).values({
    applicationId: app.id,
    seq: version,
    action,
    fromStatus: app.status,
    toStatus: t.to,
    actorId: SYSTEM_ACTOR.id,
    actorName: SYSTEM_ACTOR.displayName,
    actorRole: SYSTEM_ACTOR.role,
    comment,
    createdAt: now,
  });
}

/**
 * 行政许可法 art. 32: an authority that does not give the one-time supplement notice within 5
 * working days of receiving the materials is deemed to have accepted the application from
 * receipt. Finds submitted applications past that limit and records their acceptance (action
 * `deem_accepted`, by the system): accepted as from the receipt date, the clock counted from it.
 * Rows are claimed with `FOR UPDATE SKIP LOCKED`, so several nodes never take the same one.
 * @returns how many applications were deemed accepted
 */
export async function sweepSupplementNoticeLapses(db: Db, now: Date, batch = 500): Promise<number> {
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
      await recordSystemTransition(
        tx,
        app,
        'deem_accepted',
        { acceptedAt: receivedAt, dueDate: due?.date ?? null, dueDateProvisional: due?.provisional ?? false },
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
