// The lifecycle's states and actions, and the roles, come from the server's own declarations.
import { ACTIONS, TRANSITIONS, type Action, type Status as ApplicationStatus } from '../../src/modules/applications/transitions';
export { ROLES, type Role } from '../../src/modules/identity/roles';
import type { Role } from '../../src/modules/identity/roles';
import type { LimitUnit } from './format';
export { ACTIONS, STATUSES as APPLICATION_STATUSES, type Action, type Status as ApplicationStatus } from '../../src/modules/applications/transitions';

/** Actions whose comment is mandatory (a written reason is required by law): from the transition table. */
export const COMMENT_REQUIRED: readonly Action[] = ACTIONS.filter((a) => TRANSITIONS.some((t) => t.action === a && t.commentRequired));

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  departmentCode: string | null;
}

export interface Department {
  code: string;
  name: string;
  shortName?: string;
  regionCode?: string;
  kind?: string;
  /** English name (API v1 `/departments`), shown in English mode */
  nameEn?: string | null;
}

export interface Material {
  /** numeric in API v1; kept opaque here */
  id: number | string;
  name: string;
  original?: number;
  copies?: number;
  required?: boolean;
  note?: string | null;
  seq?: number;
  /** form | identity | certificate | plan | contract | photo | other */
  kind?: string | null;
  /** non-null: an electronic licence of this type may replace the paper (可用电子证照免提交) */
  licenseType?: string | null;
  /** may be supplied after acceptance (容缺受理) */
  conditionalAllowed?: boolean;
}

// The catalogue's code lists, as the server declares them.
import { CHANNELS, SERVICE_LEVELS } from '../../src/modules/catalog/service-types';
export { CHANNELS, SERVICE_LEVELS };
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];
export type Channel = (typeof CHANNELS)[number];
export const THEMES = [
  'enterprise_startup',
  'construction',
  'utilities',
  'social_security',
  'provident_fund',
  'civil_affairs',
  'household_id',
  'health',
  'market',
  'tax',
] as const;
export type Theme = (typeof THEMES)[number];
export const MATERIAL_KINDS = ['form', 'identity', 'certificate', 'plan', 'contract', 'photo', 'other'] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];
export const PROCEDURE_KINDS = ['hearing', 'testing', 'expert_review', 'inspection', 'public_notice', 'on_site_check'] as const;
export type ProcedureKind = (typeof PROCEDURE_KINDS)[number];

export interface SpecialProcedure {
  kind: string;
  typicalDays: number;
  unit: string;
  basis?: string | null;
}

export interface Hall {
  code: string;
  name: string;
  regionCode?: string;
  address?: string | null;
  kind?: string;
  windows?: { code: string; name: string; kind: string }[];
}

export interface ImportReason {
  rule: string;
  'zh-CN': string;
  en: string;
}

export interface ImportResult {
  total: number;
  saved: number;
  rejected: { row: number; code: string | null; reasons: ImportReason[] }[];
}

export interface Item {
  code: string;
  name: string;
  type?: string;
  typeName?: string;
  departmentCode: string;
  departmentName?: string;
  statutoryLimitDays?: number | null;
  statutoryLimitUnit?: LimitUnit | null;
  committedLimitDays?: number | null;
  committedLimitUnit?: LimitUnit | null;
  onlineDepth?: 'I' | 'II' | 'III' | 'IV' | null;
  projectType?: 'immediate' | 'commitment' | null;
  requiredVisits?: number | null;
  serviceObjects?: string | string[] | null;
  /** where each limit comes from, e.g. {statutory: '《行政许可法》第四十二条', committed: '…'}; `note` is internal, never shown */
  limitSource?: { statutory?: string | null; committed?: string | null; note?: string | null } | null;
  legalBasis?: string | null;
  materials?: Material[];
  themes?: string[];
  channels?: string[];
  townAvailable?: boolean;
  /** no limit could be cited: shown as 时限待核实 instead of any limit */
  limitUnknown?: boolean;
  serviceLevels?: string[];
  appointment?: boolean;
  kioskAvailable?: boolean;
  licenseFree?: boolean;
  baseCode?: string | null;
  delegatedFrom?: { name: string; code?: string; note?: string } | null;
  visitReason?: string | null;
  acceptanceConditions?: string | null;
  fees?: { charged: boolean; basis?: string | null; standard?: string | null } | null;
  specialProcedures?: SpecialProcedure[];
  notificationCommitment?: { eligible: boolean; text?: string | null } | null;
  keywords?: string[];
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface ApplicationSummary {
  id: string;
  number: string;
  itemCode: string;
  itemName: string;
  departmentCode: string;
  applicantName: string;
  status: ApplicationStatus;
  version: number;
  submittedAt: string;
  acceptedAt: string | null;
  dueDate: string | null;
  /** 容缺受理: materials accepted as missing, with the day each must be supplied by */
  pendingMaterials?: { materialId: number; name: string; dueDate: string }[];
  /** art. 32: last day for the one-time supplement notice (status submitted only) */
  supplementNoticeDeadline?: string | null;
  /** person | enterprise */
  applicantKind?: ApplicantKind;
  /** online | window | kiosk | mobile: how it was submitted (window = 一窗受理 in person) */
  channel?: string;
  /** where the case is: the department whose queue holds it, and the review step under way */
  location?: ApplicationLocation | null;
  /** a special procedure (art. 45) stops the clock */
  clockPaused?: boolean;
  dueDateProvisional?: boolean;
  updatedAt: string;
}

export type ApplicantKind = 'person' | 'enterprise';

/** The stages a case goes through, as `location.stage` names them. */
export const LOCATION_STAGES = ['front_desk', 'review', 'decision', 'delivery', 'closed'] as const;
export type LocationStage = (typeof LOCATION_STAGES)[number];

/** API v1 `location`: which department's queue holds the case, and the review step under way. */
export interface ApplicationLocation {
  stage: LocationStage;
  departmentCode: string | null;
  step: { index: number; of: number; name: string; joint: string[] | null; round: number } | null;
}

/** One back-office review step (后台分类审批); `joint` lists the departments of a joint review (联审联批). */
export interface ReviewStep {
  name: string;
  role: 'reviewer' | 'signatory';
  department: string;
  joint?: string[] | null;
}

/** An opinion given in a review step; reviewer name and reasons are empty for the front desk and the applicant. */
export interface ReviewOpinion {
  step: number;
  round: number;
  departmentCode: string;
  reviewerName: string;
  opinion: 'approve' | 'reject';
  comment: string;
  createdAt: string;
}

/** Special procedures that stop the clock (行政许可法 art. 45), as `pause_clock` takes them. */
export const PAUSE_KINDS = ['hearing', 'inspection', 'testing', 'quarantine', 'appraisal', 'expert_review', 'other'] as const;
export type PauseKind = (typeof PAUSE_KINDS)[number];

export interface ClockPause {
  kind: string;
  /** first paused day (Asia/Shanghai) */
  from: string;
  /** last paused day; null while the procedure runs */
  to: string | null;
  reason: string;
}

export const CLOCK_STATES = ['running', 'warning', 'overdue', 'paused'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export interface Clock {
  dueDate: string | null;
  provisional: boolean;
  /** working days (or natural days for natural-day limits) used so far */
  used: number;
  /** null while the clock is stopped */
  remaining: number | null;
  state: ClockState;
}

export const DELIVERY_METHODS = ['window', 'mail', 'online'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

export interface DeliveryRecord {
  method: DeliveryMethod;
  trackingNumber?: string;
  deliveredAt: string;
  byId: string | null;
}

/** A notice or decision issued on the application (sealed PDF). */
export interface ApplicationDocument {
  number: string;
  kind: string;
  title: string;
  /** `/api/v1/documents/{number}/pdf`: needs the session (cookie or bearer token) */
  url: string;
  issuedAt: string;
  revoked: boolean;
}

/** A post-approval check of a commitment (事中事后监管). */
export interface CommitmentCheck {
  id: string;
  applicationId: string;
  departmentCode: string;
  /** Asia/Shanghai day */
  dueDate: string;
  status: 'open' | 'passed' | 'failed';
  outcome: 'correction' | 'revocation' | null;
  correctionDueDate: string | null;
  finding: string | null;
  checkedAt?: string | null;
  createdAt?: string;
}

/** 帮办代办: an applicant's authorisation of an agent (GET /authorizations). */
export interface Authorization {
  id: string;
  principal: { id: string; displayName: string };
  agent: { id: string; displayName: string };
  /** empty: any item */
  itemCodes: string[];
  /** last valid day, Asia/Shanghai */
  validTo: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface ApplicationEvent {
  seq: number;
  action: string;
  fromStatus: ApplicationStatus | null;
  toStatus: ApplicationStatus;
  actor: { id: string; displayName: string; role: string } | null;
  comment: string | null;
  createdAt: string;
}

export interface Decision {
  outcome: 'granted' | 'denied';
  decidedAt: string;
  departmentCode: string;
  digestSm3?: string | null;
  signatureSm2?: string | null;
  sealName?: string | null;
  sealId?: string | null;
  /** the decision as canonical JSON */
  document?: string | null;
  /** the power it was taken under: the department, a chief representative's empowerment (首席代表), or a commitment */
  authority?: { kind: 'department' | 'chief_representative' | 'commitment'; empowermentId?: string; note?: string } | null;
}

export interface Evaluation {
  id: string;
  rating: number;
  comment: string | null;
  createdAt: string;
}

export interface SubmittedMaterial {
  materialId: number | string;
  name: string;
  /** absent when an electronic licence stands for the material (免证办) */
  fileName?: string;
  /** 免证办: the applicant's electronic licence standing for this material */
  licenseId?: string;
  /** filled in by the server: the licence's GB/T 36904 identifier */
  licenseIdentifier?: string;
}

export interface Application extends ApplicationSummary {
  committedLimitDays?: number | null;
  committedLimitUnit?: LimitUnit | null;
  dueDateProvisional?: boolean;
  /** null for an administrator, who does not handle cases */
  form: Record<string, unknown> | null;
  materials: SubmittedMaterial[];
  events: ApplicationEvent[];
  allowedActions: Action[];
  decision: Decision | null;
  evaluation: Evaluation | null;
  /** null unless accepted or reviewed with a known limit */
  clock?: Clock | null;
  /** materials waived by an exemption list (豁免清单) for this applicant */
  exemptedMaterials?: { materialId: number; name: string; basis: string }[];
  pauses?: ClockPause[];
  /** working days added under art. 42 (0 or 10) */
  extensionDays?: number;
  reviewSteps?: ReviewStep[];
  /** index of the step under way; = reviewSteps.length once reviewed */
  currentStep?: number;
  reviewRound?: number;
  opinions?: ReviewOpinion[];
  /** 告知承诺制: the commitment the applicant signed */
  commitment?: { signedAt: string; textSm3: string } | null;
  deliveryMethod?: DeliveryMethod;
  /** art. 44: last day to deliver the decision */
  deliveryDeadline?: string | null;
  /** shown to the applicant (and their agent) only: they show it at the delivery window */
  pickupCode?: string | null;
  delivery?: DeliveryRecord | null;
  /** the window clerk who took the application in person (一窗受理) */
  takenBy?: { id: string } | null;
  /** 帮办代办: the agent who submitted it for the applicant */
  agent?: { id: string; displayName: string | null } | null;
  projectId?: string | null;
  completedAt?: string | null;
  documents?: ApplicationDocument[];
  /** the back office of a commitment: its post-approval checks */
  commitmentChecks?: CommitmentCheck[];
  /** electronic licences the decision issued (电子证照) */
  licenses?: IssuedLicense[];
}

// ── Electronic licences (电子证照) and licence-free handling (免证办), API v1 `/licenses…` ──

export const LICENSE_STATUSES = ['valid', 'suspended', 'revoked'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

/** Why a licence does not verify (`reason`), plus `NOT_AUTHORIZED` for a retrieval without a holder's authorisation. */
export const LICENSE_REASONS = ['REVOKED', 'SUSPENDED', 'EXPIRED', 'NOT_YET_VALID', 'DIGEST_MISMATCH', 'SIGNATURE_INVALID', 'SEAL_INVALID', 'NOT_AUTHORIZED'] as const;
export type LicenseReason = (typeof LICENSE_REASONS)[number];

/** A licence type of the registry (`GET /licenses/types`). */
export interface LicenseType {
  code: string;
  name: string;
  /** 21 characters: the definer's credit code + a 3-digit serial (GB/T 36904) */
  typeCode: string;
  definer: string;
  issuerName: string;
  issuerDepartmentCode: string | null;
  holderKind: 'person' | 'organization';
  fields: { key: string; label: string; public: boolean; personal: boolean }[];
  validityYears: number | null;
  law: string;
}

/** A licence whole: for its holder, and for staff under the holder's authorisation. */
export interface License {
  id: string;
  /** GB/T 36904: 1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check> */
  identifier: string;
  /** the licence type's code, e.g. `resident_id` */
  type: string;
  typeName: string;
  holderKind: 'person' | 'organization';
  holderName: string;
  holderIdNumber: string;
  issuerName: string;
  fields: { key: string; label: string; value: string }[];
  /** first valid day, Asia/Shanghai */
  validFrom: string;
  /** last valid day; null: no end (长期有效) */
  validTo: string | null;
  status: LicenseStatus;
  statusReason: string | null;
  /** issued here on a grant, or imported from another authority */
  source: 'issued' | 'import';
  issuedAt: string;
}

/** The holder's authorisation of a licence's use: for one application, or for a department and purpose. */
export interface LicenseAuthorization {
  id: string;
  applicationId: string | null;
  departmentCode: string | null;
  purpose: string;
  /** ISO instant */
  validTo: string;
  createdAt: string;
  revokedAt: string | null;
}

/** `GET /licenses/mine`: a licence of the wallet with its authorisations. */
export interface WalletLicense extends License {
  authorizations: LicenseAuthorization[];
}

/** One retrieval of a licence (用证记录), `GET /licenses/{id}/access-log`. */
export interface LicenseAccess {
  at: string;
  accessorName: string;
  departmentCode: string | null;
  applicationId: string | null;
  purpose: string;
  verified: boolean;
}

/** `GET /applications/{id}/licenses`: the licence standing for one material, retrieved and verified. */
export interface ApplicationLicense {
  materialId: number | null;
  materialName: string;
  authorized: boolean;
  verified: boolean;
  reason: LicenseReason | null;
  /** whole, only under an authorisation in force */
  license: License | null;
}

/** A licence a decision issued (application detail `licenses`). */
export interface IssuedLicense {
  identifier: string;
  /** the licence type's code, e.g. `business_license` */
  typeCode: string;
  status: LicenseStatus;
}

/** `GET /licenses/verify/{identifier}`: public fields only, personal values and the holder masked. */
export interface LicenseVerifyAnswer {
  valid: boolean;
  reason: LicenseReason | null;
  message: string;
  license: {
    identifier: string;
    typeName: string;
    issuerName: string;
    holderName: string | null;
    holderIdNumber: string | null;
    fields: { key: string; label: string; value: string }[];
    validFrom: string;
    validTo: string | null;
    status: LicenseStatus;
    statusReason: string | null;
    issuedAt: string;
  };
}

/** `POST /licenses/import`. */
export interface LicenseImportResult {
  total: number;
  imported: number;
  rejected: { row: number; reasons: ImportReason[] }[];
}

/** `GET /licenses/usage`: materials satisfied by an electronic licence (免证办). */
export interface LicenseUsageRow {
  itemCode?: string;
  itemName?: string;
  departmentCode?: string;
  materials: number;
  applications: number;
}
