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
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Who performs a transition:
 * - `applicant` — the citizen or enterprise that submitted the application, and only they;
 * - `clerk` — any comprehensive-window clerk (一窗受理: the window takes every department's items);
 * - `reviewer` — a reviewer of the item's review department;
 * - `signatory` — a signatory of the item's decision department (the approval bureau's one seal);
 * - `system` — the platform itself, for what the law makes happen by lapse of time (no person may
 *   take these actions through the API).
 */
export type Actor = 'applicant' | 'clerk' | 'reviewer' | 'signatory' | 'system';

export interface Transition {
  from: Status;
  action: Action;
  to: Status;
  actor: Actor;
  /** reasons must be given (written notice of non-acceptance, supplement list, denial: art. 32, 38) */
  commentRequired?: boolean;
}

export const TRANSITIONS: readonly Transition[] = [
  { from: 'submitted', action: 'accept', to: 'accepted', actor: 'clerk' },
  // art. 32: no supplement notice within 5 days of receipt → accepted as from receipt
  { from: 'submitted', action: 'deem_accepted', to: 'accepted', actor: 'system' },
  { from: 'submitted', action: 'reject', to: 'rejected', actor: 'clerk', commentRequired: true },
  { from: 'submitted', action: 'request_supplement', to: 'supplement_requested', actor: 'clerk', commentRequired: true },
  { from: 'supplement_requested', action: 'supplement', to: 'submitted', actor: 'applicant' },
  { from: 'accepted', action: 'review', to: 'reviewed', actor: 'reviewer' },
  { from: 'reviewed', action: 'grant', to: 'granted', actor: 'signatory' },
  { from: 'reviewed', action: 'deny', to: 'denied', actor: 'signatory', commentRequired: true },
  { from: 'granted', action: 'deliver', to: 'delivered', actor: 'clerk' },
  { from: 'denied', action: 'deliver', to: 'delivered', actor: 'clerk' },
  // 容缺受理: a material accepted as missing is supplied later, while the case goes on…
  { from: 'accepted', action: 'provide_material', to: 'accepted', actor: 'applicant' },
  { from: 'reviewed', action: 'provide_material', to: 'reviewed', actor: 'applicant' },
  // …or, not supplied by its deadline, the application is treated as withdrawn.
  { from: 'accepted', action: 'lapse', to: 'withdrawn', actor: 'system' },
  { from: 'reviewed', action: 'lapse', to: 'withdrawn', actor: 'system' },
  { from: 'submitted', action: 'withdraw', to: 'withdrawn', actor: 'applicant' },
  { from: 'supplement_requested', action: 'withdraw', to: 'withdrawn', actor: 'applicant' },
  { from: 'accepted', action: 'withdraw', to: 'withdrawn', actor: 'applicant' },
  { from: 'reviewed', action: 'withdraw', to: 'withdrawn', actor: 'applicant' },
];

/** The roles that may act as each actor. */
export const ACTOR_ROLES: Record<Actor, readonly string[]> = {
  applicant: ['citizen', 'enterprise'],
  clerk: ['clerk'],
  reviewer: ['reviewer'],
  signatory: ['signatory'],
  system: [],
};

/** The transition for `action` from `status`, or `undefined` when the table has none. */
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
