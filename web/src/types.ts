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
  updatedAt: string;
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
  fileName: string;
}

export interface Application extends ApplicationSummary {
  committedLimitDays?: number | null;
  committedLimitUnit?: LimitUnit | null;
  dueDateProvisional?: boolean;
  form: Record<string, unknown>;
  materials: SubmittedMaterial[];
  events: ApplicationEvent[];
  allowedActions: Action[];
  decision: Decision | null;
  evaluation: Evaluation | null;
}
