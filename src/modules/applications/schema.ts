import { pgTable, text, uuid, jsonb, timestamp, integer, date, bigserial, boolean, index, unique, pgSequence } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { ReviewStep } from '../catalog/service-types.js';

/** A stop of the statutory clock (special procedure under 行政许可法 art. 45), Asia/Shanghai dates. */
export interface ClockPause {
  /** hearing | inspection | testing | expert_review | quarantine | appraisal | other */
  kind: string;
  from: string;
  /** last paused day, null while it runs */
  to: string | null;
  reason: string;
}

/** How a result was handed over (art. 44). */
export interface DeliveryRecord {
  method: 'window' | 'mail' | 'online';
  /** mail: the carrier's tracking number */
  trackingNumber?: string;
  deliveredAt: string;
  /** staff who handed it over (window, mail); null online */
  byId: string | null;
}

/** Sequence behind the human-readable application number. */
export const applicationNumberSeq = pgSequence('application_number_seq', { startWith: 1 });

/**
 * Applications (办件). `status` and `version` are a projection of `application_events`:
 * each transition updates both in the same transaction as it appends the event.
 */
export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey(),
    number: text('number').notNull().unique(),
    itemCode: text('item_code').notNull(),
    itemName: text('item_name').notNull(),
    applicantId: uuid('applicant_id').notNull(),
    applicantName: text('applicant_name').notNull(),
    /** person | enterprise */
    applicantKind: text('applicant_kind').notNull(),
    /** window | online | kiosk | mobile */
    channel: text('channel').notNull(),
    status: text('status').notNull(),
    version: integer('version').notNull(),
    /** what the applicant filled in; ID numbers and phones among it sealed (platform/pii-vault.ts, field `applications.form`) */
    form: jsonb('form').$type<Record<string, unknown>>().notNull(),
    /**
     * the personal-data key `form` was last sealed under; null for a row written before
     * encryption (the start-up step seals it, `onewindow pii rotate` moves it to the current key)
     */
    piiKeyId: integer('pii_key_id'),
    materials: jsonb('materials').$type<unknown[]>().notNull(),
    /** 容缺受理: materials accepted as missing, each with the day it must be supplied by */
    pendingMaterials: jsonb('pending_materials').$type<{ materialId: number; name: string; dueDate: string }[]>().notNull().default([]),
    departmentCode: text('department_code').notNull(),
    /**
     * the region (行政区划代码, GB/T 2260 and its town/village extensions) whose service point handles
     * the case: the window clerk's region when taken in person, else the department's; staff
     * front desks see their region and the regions below it (code prefix)
     */
    regionCode: text('region_code').notNull(),
    reviewDepartmentCode: text('review_department_code').notNull(),
    decisionDepartmentCode: text('decision_department_code').notNull(),
    /** committed limit (working days) copied from the item at submission */
    committedLimitDays: integer('committed_limit_days'),
    /** working_day | natural_day | same_day */
    committedLimitUnit: text('committed_limit_unit').notNull().default('working_day'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    /** when the materials were (last) received: submission or supplement; starts the art. 32 notice limit */
    receivedAt: timestamp('received_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    /** Asia/Shanghai date the committed limit ends */
    dueDate: date('due_date', { mode: 'string' }),
    dueDateProvisional: boolean('due_date_provisional').notNull().default(false),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /**
     * keyed digest (HMAC-SHA256 under the personal-data hash key) of the SHA-256 of the creating
     * request's body, to refuse a key reused for another request; keyed because the body holds
     * the applicant's numbers
     */
    requestHash: text('request_hash').notNull(),
    /** the window clerk who took the application in person (一窗受理), else null */
    takenById: uuid('taken_by_id'),
    /** 帮办代办: the service-team member who prepared and submitted it for the applicant */
    agentId: uuid('agent_id'),
    agentName: text('agent_name'),
    /** 重点项目: the investment project the application belongs to */
    projectId: uuid('project_id'),
    /** back-office review steps, copied from the item at acceptance (后台分类审批) */
    reviewSteps: jsonb('review_steps').$type<ReviewStep[]>().notNull().default([]),
    /** index in `reviewSteps` of the step under way; = reviewSteps.length once reviewed */
    currentStep: integer('current_step').notNull().default(0),
    /** review round (starts at 1; +1 each time a joint review routes the case back), so opinions of a new round are new */
    reviewRound: integer('review_round').notNull().default(1),
    /** special procedures (art. 45) and other pauses of the clock: Asia/Shanghai dates */
    pauses: jsonb('pauses').$type<ClockPause[]>().notNull().default([]),
    /** extension granted under art. 42, in working days (0 or 10) */
    extensionDays: integer('extension_days').notNull().default(0),
    /** window | mail | online — how the applicant wants the result (统一窗口出件) */
    deliveryMethod: text('delivery_method').notNull().default('window'),
    /** six-digit code the applicant shows at the delivery window; shown to the applicant only */
    pickupCode: text('pickup_code'),
    /** how the result was delivered: method, mail tracking number, who handed it over */
    delivery: jsonb('delivery').$type<DeliveryRecord | null>(),
    /** 告知承诺制: the commitment the applicant signed (text digest and time) */
    commitment: jsonb('commitment').$type<{ signedAt: string; textSm3: string } | null>(),
    /** materials waived by an exemption list (豁免清单) for this applicant */
    exemptedMaterials: jsonb('exempted_materials').$type<{ materialId: number; name: string; basis: string }[]>().notNull().default([]),
  },
  (t) => [
    unique('applications_idempotency').on(t.applicantId, t.idempotencyKey),
    index('applications_status_idx').on(t.status, t.receivedAt),
    index('applications_applicant_idx').on(t.applicantId),
    index('applications_region_idx').on(t.regionCode),
    index('applications_review_dept_idx').on(t.reviewDepartmentCode, t.status),
    index('applications_decision_dept_idx').on(t.decisionDepartmentCode, t.status),
    index('applications_project_idx').on(t.projectId),
    // the statistics' cohorts (submission day) and the open cases' clock (overdue, warning)
    index('applications_submitted_idx').on(t.submittedAt),
    index('applications_open_due_idx').on(t.dueDate).where(sql`status IN ('accepted', 'reviewed')`),
    // the default-rating sweep: deliveries of the last weeks
    index('applications_delivered_idx').on(t.updatedAt).where(sql`status = 'delivered'`),
  ],
);

/** The append-only history of an application: one row per transition. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    /** 1 for the submission, then +1 per transition (= the version it produced) */
    seq: integer('seq').notNull(),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actorId: uuid('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** hash chain (tamper evidence): SM3 of the previous event's hash and this event's content */
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [
    unique('application_events_seq').on(t.applicationId, t.seq),
    // the statistics tell acceptance at the window from acceptance deemed by lapse (art. 32)
    index('application_events_deemed_idx').on(t.applicationId).where(sql`action = 'deem_accepted'`),
  ],
);

/** The decision document of a granted or denied application, with its seal digest. */
export const decisions = pgTable('decisions', {
  applicationId: uuid('application_id')
    .primaryKey()
    .references(() => applications.id),
  outcome: text('outcome').notNull(),
  decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  departmentCode: text('department_code').notNull(),
  signerId: uuid('signer_id').notNull(),
  /** canonical JSON of the decision document */
  document: text('document').notNull(),
  digestSm3: text('digest_sm3').notNull(),
  /** the seal that signed it (GB/T 38540 model) and its SM2 signature (r‖s hex) over `document` */
  sealId: uuid('seal_id').notNull(),
  sealName: text('seal_name').notNull(),
  signatureSm2: text('signature_sm2').notNull(),
  /** the power it was decided under: the department's seal, or a chief representative's empowerment (首席代表) */
  authority: jsonb('authority').$type<{ kind: 'department' | 'chief_representative' | 'commitment'; empowermentId?: string; note?: string }>().notNull().default({ kind: 'department' }),
});

/**
 * Opinions given in a review step (审查意见), one per department per round: in a joint review
 * (联审联批) several departments answer the same step in parallel; the unique key makes a
 * second opinion of a department in the same round impossible.
 */
export const reviewOpinions = pgTable(
  'review_opinions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    step: integer('step').notNull(),
    round: integer('round').notNull(),
    departmentCode: text('department_code').notNull(),
    reviewerId: uuid('reviewer_id').notNull(),
    reviewerName: text('reviewer_name').notNull(),
    /** approve | reject */
    opinion: text('opinion').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('review_opinions_once').on(t.applicationId, t.step, t.round, t.departmentCode)],
);
