/**
 * The application lifecycle as one declared table: state × action → state, with who may act.
 *
 * Legal anchors: acceptance / non-acceptance / one-time supplement notice (行政许可法 art. 32),
 * review (art. 34), decision to grant or deny with reasons (art. 37–38), delivery of the decision
 * (art. 44), and the applicant's withdrawal before a decision.
 */

export const STATUSES = [
  'submitted',
  'supplement_requested',
  'rejected',
  'accepted',
  'reviewed',
  'granted',
  'denied',
  'delivered',
  'withdrawn',
  'revoked',
] as const;
export type Status = (typeof STATUSES)[number];

export const ACTIONS = [
  'accept',
  'reject',
  'request_supplement',
  'supplement',
  'review',
  'grant',
  'deny',
  'deliver',
  'withdraw',
  'deem_accepted',
  'provide_material',
  'lapse',
  'opinion',
  'pause_clock',
  'resume_clock',
  'extend',
  'receive',
  'revoke',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Who performs a transition:
 * - `applicant` — the citizen or enterprise that submitted the application, and only they, or the
 *   service-team member (agent) who submitted it for them (帮办代办);
 * - `clerk` — any comprehensive-window clerk (一窗受理: the window takes every department's items);
 * - `reviewer` — a reviewer of the item's review department;
 * - `signatory` — a signatory of the item's decision department (the approval bureau's one seal);
 * - `joint_reviewer` — a reviewer of a department named in the current joint-review step (联审联批);
 * - `chief_representative` — staff empowered by the item's department to decide it on the spot
 *   (首席代表), within the empowerment's items and validity;
 * - `system` — the platform itself, for what the law makes happen by lapse of time (no person may
 *   take these actions through the API).
 */
export type Actor = 'applicant' | 'clerk' | 'reviewer' | 'joint_reviewer' | 'signatory' | 'chief_representative' | 'system';

/**
 * Conditions a transition needs besides its state and actor, checked by the service:
 * - `commitment` — the applicant signed the item's commitment (告知承诺制: decided on the spot);
 * - `pending_materials` — materials accepted as missing (容缺) are still pending;
 * - `clock_running` / `clock_paused` — no special procedure runs / one runs;
 * - `not_extended` — the limit has not been extended yet (art. 42 allows it once);
 * - `online_delivery` — the applicant chose to receive the result online.
 */
export type Guard = 'commitment' | 'pending_materials' | 'clock_running' | 'clock_paused' | 'not_extended' | 'online_delivery';

export interface Transition {
  from: Status;
  action: Action;
  to: Status;
  actor: Actor;
  /** reasons must be given (written notice of non-acceptance, supplement list, denial: art. 32, 38) */
  commentRequired?: boolean;
  guard?: Guard;
  /**
   * A review step: the action completes one step of the item's review steps (or one opinion of a
   * joint step); the case reaches `to` only when the last step completes, and stays in `from`
   * until then.
   */
  steps?: boolean;
  /**
   * Independent parallel actions (joint-review opinions): the caller's version is not compared,
   * as departments answering at once cannot know each other's; the row lock still orders them.
   */
  concurrent?: boolean;
}

export const TRANSITIONS: readonly Transition[] = [
  { from: 'submitted', action: 'accept', to: 'accepted', actor: 'clerk' },
  // art. 32: no supplement notice within 5 days of receipt → accepted as from receipt
  { from: 'submitted', action: 'deem_accepted', to: 'accepted', actor: 'system' },
  { from: 'submitted', action: 'reject', to: 'rejected', actor: 'clerk', commentRequired: true },
  { from: 'submitted', action: 'request_supplement', to: 'supplement_requested', actor: 'clerk', commentRequired: true },
  { from: 'supplement_requested', action: 'supplement', to: 'submitted', actor: 'applicant' },
  // 后台分类审批: the item's review steps, then the decision; a joint step takes each department's opinion
  { from: 'accepted', action: 'review', to: 'reviewed', actor: 'reviewer', steps: true },
  { from: 'accepted', action: 'opinion', to: 'reviewed', actor: 'joint_reviewer', steps: true, concurrent: true },
  { from: 'reviewed', action: 'grant', to: 'granted', actor: 'signatory' },
  { from: 'reviewed', action: 'deny', to: 'denied', actor: 'signatory', commentRequired: true },
  // 首席代表 decides listed items on the spot; 告知承诺制 items are decided on the spot by the bureau
  { from: 'accepted', action: 'grant', to: 'granted', actor: 'chief_representative' },
  { from: 'accepted', action: 'deny', to: 'denied', actor: 'chief_representative', commentRequired: true },
  { from: 'accepted', action: 'grant', to: 'granted', actor: 'signatory', guard: 'commitment' },
  // 统一窗口出件 (art. 44): at the window with the pickup code, by mail, or received online
  { from: 'granted', action: 'deliver', to: 'delivered', actor: 'clerk' },
  { from: 'denied', action: 'deliver', to: 'delivered', actor: 'clerk' },
  { from: 'granted', action: 'receive', to: 'delivered', actor: 'applicant', guard: 'online_delivery' },
  { from: 'denied', action: 'receive', to: 'delivered', actor: 'applicant', guard: 'online_delivery' },
  // 容缺受理: a material accepted as missing is supplied later, while the case goes on…
  { from: 'accepted', action: 'provide_material', to: 'accepted', actor: 'applicant', guard: 'pending_materials' },
  { from: 'reviewed', action: 'provide_material', to: 'reviewed', actor: 'applicant', guard: 'pending_materials' },
  // …or, not supplied by its deadline, the application is treated as withdrawn.
  { from: 'accepted', action: 'lapse', to: 'withdrawn', actor: 'system' },
  { from: 'reviewed', action: 'lapse', to: 'withdrawn', actor: 'system' },
  // Special procedures (art. 45) stop the clock; the bureau head may extend it by 10 days once (art. 42)
  { from: 'accepted', action: 'pause_clock', to: 'accepted', actor: 'reviewer', commentRequired: true, guard: 'clock_running' },
  { from: 'reviewed', action: 'pause_clock', to: 'reviewed', actor: 'reviewer', commentRequired: true, guard: 'clock_running' },
  { from: 'accepted', action: 'resume_clock', to: 'accepted', actor: 'reviewer', guard: 'clock_paused' },
  { from: 'reviewed', action: 'resume_clock', to: 'reviewed', actor: 'reviewer', guard: 'clock_paused' },
  { from: 'accepted', action: 'extend', to: 'accepted', actor: 'signatory', commentRequired: true, guard: 'not_extended' },
  { from: 'reviewed', action: 'extend', to: 'reviewed', actor: 'signatory', commentRequired: true, guard: 'not_extended' },
  // A decision obtained by a false commitment is revoked (art. 69) by the deciding authority
  { from: 'granted', action: 'revoke', to: 'revoked', actor: 'signatory', commentRequired: true },
  { from: 'delivered', action: 'revoke', to: 'revoked', actor: 'signatory', commentRequired: true },
  { from: 'submitted', action: 'withdraw', to: 'withdrawn', actor: 'applicant' },
  { from: 'supplement_requested', action: 'withdraw', to: 'withdrawn', actor: 'applicant' },
  { from: 'accepted', action: 'withdraw', to: 'withdrawn', actor: 'applicant' },
  { from: 'reviewed', action: 'withdraw', to: 'withdrawn', actor: 'applicant' },
];

/** The roles that may act as each actor. */
export const ACTOR_ROLES: Record<Actor, readonly string[]> = {
  applicant: ['citizen', 'enterprise', 'agent'],
  clerk: ['clerk'],
  reviewer: ['reviewer'],
  joint_reviewer: ['reviewer'],
  signatory: ['signatory'],
  chief_representative: ['reviewer', 'signatory', 'clerk'],
  system: [],
};

/** The transitions for `action` from `status` (one per kind of actor), in table order. */
export function findTransitions(status: Status, action: Action): Transition[] {
  return TRANSITIONS.filter((t) => t.from === status && t.action === action);
}

/** The first transition for `action` from `status`, or `undefined` when the table has none. */
export function findTransition(status: Status, action: Action): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === status && t.action === action);
}

/** Statuses with no way out: the case is over. */
export const FINAL_STATUSES: readonly Status[] = STATUSES.filter((s) => !TRANSITIONS.some((t) => t.from === s));

/** Replays a sequence of actions from `submitted`; the resulting status, or throws on an impossible step. */
export function replay(actions: readonly Action[]): Status {
  let status: Status = 'submitted';
  for (const a of actions) {
    const t = findTransition(status, a);
    if (!t) throw new Error(`no transition ${status} --${a}-->`);
    status = t.to;
  }
  return status;
}
