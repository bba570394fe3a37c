/**
 * The catalogue's element schema and consistency rules, enforced on save and on import.
 *
 * Element names follow the national catalogue exchange format (code lists in the project's
 * shared data, GB/T 39554 family): item type (事项类型), service objects (服务对象), limits with
 * their unit, application kind (即办件/承诺件), required visits (跑动次数), online depth I–IV.
 */
import { z } from 'zod';

export const ITEM_TYPE_CODES = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '20'] as const;
export const LIMIT_UNITS = ['working_day', 'natural_day', 'same_day'] as const;
import { CHANNELS, SERVICE_LEVELS } from './service-types.js';

export { CHANNELS, SERVICE_LEVELS };
export const MATERIAL_KINDS = ['form', 'identity', 'certificate', 'plan', 'contract', 'photo', 'other'] as const;

/** Optional free text: null or absent becomes ''. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .nullish()
    .transform((v) => v ?? '');

export const MaterialInput = z.object({
  name: z.string().min(1).max(300),
  kind: z.enum(MATERIAL_KINDS).default('other'),
  original: z.number().int().min(0).max(99).default(1),
  copies: z.number().int().min(0).max(99).default(0),
  required: z.boolean().default(true),
  licenseType: z.string().max(60).nullable().default(null),
  conditionalAllowed: z.boolean().default(false),
  note: text(1000),
});
export type MaterialInput = z.infer<typeof MaterialInput>;

/** An item code: letters, digits, `.`, `_`, `-`; at most 120 characters. */
export const ItemCode = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,119}$/, 'letters, digits, . _ - (≤ 120)');

/** Service objects (服务对象) of the national code list. */
export const SERVICE_OBJECT_CODES = ['1', '2', '3', '4', '5', '6', '9'] as const;

/** One service item as the seed, the import and the admin API carry it. */
export const ServiceItemInput = z.object({
  code: ItemCode,
  name: z.string().min(1).max(300),
  baseCode: z.string().max(120).nullable().default(null),
  type: z.enum(ITEM_TYPE_CODES),
  departmentCode: z.string().min(1).max(60),
  reviewDepartmentCode: z.string().max(60).optional(),
  decisionDepartmentCode: z.string().max(60).optional(),
  delegatedFrom: z.object({ name: z.string(), code: z.string().optional(), note: z.string().optional() }).nullable().default(null),
  serviceObjects: z.array(z.enum(SERVICE_OBJECT_CODES)).min(1).default(['1', '2']),
  statutoryLimitDays: z.number().int().min(0).max(3650).nullable(),
  statutoryLimitUnit: z.enum(LIMIT_UNITS).default('working_day'),
  committedLimitDays: z.number().int().min(0).max(3650).nullable(),
  committedLimitUnit: z.enum(LIMIT_UNITS).default('working_day'),
  limitUnknown: z.boolean().default(false),
  projectType: z.enum(['immediate', 'commitment']),
  onlineDepth: z.enum(['I', 'II', 'III', 'IV']),
  requiredVisits: z.number().int().min(0).max(9),
  visitReason: text(500),
  serviceLevels: z.array(z.enum(SERVICE_LEVELS)).default(['district']),
  channels: z.array(z.enum(CHANNELS)).default(['window', 'online']),
  appointment: z.boolean().default(false),
  townAvailable: z.boolean().default(false),
  kioskAvailable: z.boolean().default(false),
  licenseFree: z.boolean().default(false),
  acceptanceConditions: text(4000),
  fees: z.object({ charged: z.boolean(), basis: z.string().max(1000).optional(), standard: z.string().max(1000).optional() }).default({ charged: false }),
  specialProcedures: z
    .array(z.object({ kind: z.string().max(40), typicalDays: z.number().int().min(0).max(3650), unit: z.enum(LIMIT_UNITS), basis: z.string().max(1000).optional() }))
    .default([]),
  notificationCommitment: z.object({ eligible: z.boolean(), text: z.string().max(4000).optional() }).default({ eligible: false }),
  /** the licence type a grant of the item issues (电子证照), e.g. business_license */
  resultLicenseType: z.string().max(60).nullable().default(null),
  /** 后台分类审批: the review steps before the decision; null = one review by the review department */
  reviewSteps: z
    .array(
      z.object({
        name: z.string().min(1).max(40),
        role: z.enum(['reviewer', 'signatory']),
        department: z.string().min(1).max(60),
        joint: z.array(z.string().min(1).max(60)).min(2).max(12).optional(),
      }),
    )
    .min(1)
    .max(8)
    .nullable()
    .default(null),
  legalBasis: text(4000),
  limitSource: z.object({ statutory: z.string().optional(), committed: z.string().optional(), note: z.string().optional() }).default({}),
  themes: z.array(z.string().max(40)).default([]),
  keywords: z.array(z.string().max(40)).default([]),
  materials: z.array(MaterialInput).max(200).default([]),
});
export type ServiceItemInput = z.infer<typeof ServiceItemInput>;

/** A broken consistency rule, with its stable code and a message in both languages. */
export interface RuleViolation {
  rule:
    | 'IMMEDIATE_ITEM_LIMIT'
    | 'DEPTH_IV_VISITS'
    | 'DEPTH_IV_ONLINE'
    | 'FEE_BASIS'
    | 'COMMITTED_EXCEEDS_STATUTORY'
    | 'VISIT_REASON'
    | 'LIMIT_MISSING'
    | 'LIMIT_UNKNOWN_WITH_LIMITS'
    | 'SAME_DAY_LIMIT'
    | 'KIOSK_CHANNEL'
    | 'COMMITMENT_TEXT'
    | 'REVIEW_STEPS';
  'zh-CN': string;
  en: string;
}

/**
 * The consistency rules of an item; an empty list when it is consistent.
 * - an immediate item (即办件) has committed limit 0, and a committed limit of 0 makes it one;
 * - online depth IV (全程网办) means zero visits;
 * - a fee needs its basis (收费依据);
 * - the committed limit is not longer than the statutory one (same unit);
 * - a non-zero visit count needs a reason;
 * - a limit is given, unless the item is marked `limitUnknown` (时限待核实), and then none is;
 * - a `same_day` (当场) limit is 0 days;
 * - depth IV is offered online; an item available at kiosks lists the kiosk channel;
 * - an item eligible for notification-commitment (告知承诺制) gives the text the applicant signs;
 * - a joint review step (联审联批) is for reviewers and lists each department once.
 */
export function checkItemRules(it: ServiceItemInput): RuleViolation[] {
  const v: RuleViolation[] = [];
  if ((it.projectType === 'immediate') !== (it.committedLimitDays === 0)) {
    v.push({ rule: 'IMMEDIATE_ITEM_LIMIT', 'zh-CN': '即办件的承诺时限必须为 0，承诺时限为 0 的事项必须是即办件', en: 'An immediate item has committed limit 0, and a committed limit of 0 makes an immediate item' });
  }
  if (it.onlineDepth === 'IV' && it.requiredVisits !== 0) {
    v.push({ rule: 'DEPTH_IV_VISITS', 'zh-CN': '网办深度Ⅳ级（全程网办）的跑动次数必须为 0', en: 'Online depth IV (fully online) means zero visits' });
  }
  if (it.fees.charged && !it.fees.basis?.trim()) {
    v.push({ rule: 'FEE_BASIS', 'zh-CN': '收费事项必须写明收费依据', en: 'A charged item needs its fee basis' });
  }
  if (it.statutoryLimitDays !== null && it.committedLimitDays !== null && it.statutoryLimitUnit === it.committedLimitUnit && it.committedLimitDays > it.statutoryLimitDays) {
    v.push({ rule: 'COMMITTED_EXCEEDS_STATUTORY', 'zh-CN': `承诺时限（${it.committedLimitDays}）不得超过法定时限（${it.statutoryLimitDays}）`, en: `The committed limit (${it.committedLimitDays}) exceeds the statutory one (${it.statutoryLimitDays})` });
  }
  if (it.requiredVisits > 0 && !it.visitReason.trim()) {
    v.push({ rule: 'VISIT_REASON', 'zh-CN': `跑动次数为 ${it.requiredVisits} 时必须说明到现场的理由`, en: `${it.requiredVisits} required visit(s) need a reason` });
  }
  if (it.limitUnknown && (it.committedLimitDays !== null || it.statutoryLimitDays !== null)) {
    v.push({ rule: 'LIMIT_UNKNOWN_WITH_LIMITS', 'zh-CN': '标记“时限待核实”的事项不能同时填写时限', en: 'A limit-unknown item cannot carry limits' });
  }
  if ((it.statutoryLimitUnit === 'same_day' && (it.statutoryLimitDays ?? 0) !== 0) || (it.committedLimitUnit === 'same_day' && (it.committedLimitDays ?? 0) !== 0)) {
    v.push({ rule: 'SAME_DAY_LIMIT', 'zh-CN': '时限单位为“当场”时天数必须为 0', en: 'A same-day limit is 0 days' });
  }
  if (it.onlineDepth === 'IV' && !it.channels.includes('online')) {
    v.push({ rule: 'DEPTH_IV_ONLINE', 'zh-CN': '网办深度Ⅳ级的事项必须提供网上办理渠道', en: 'A depth IV item must be offered online' });
  }
  if (it.kioskAvailable && !it.channels.includes('kiosk')) {
    v.push({ rule: 'KIOSK_CHANNEL', 'zh-CN': '可在自助终端办理的事项必须列出自助终端渠道', en: 'An item available at kiosks must list the kiosk channel' });
  }
  if (it.notificationCommitment.eligible && !it.notificationCommitment.text?.trim()) {
    v.push({ rule: 'COMMITMENT_TEXT', 'zh-CN': '适用告知承诺制的事项必须给出承诺书文本', en: 'An item eligible for notification-commitment needs its commitment text' });
  }
  for (const step of it.reviewSteps ?? []) {
    if (!step.joint) continue;
    const resolve = (d: string) => (d === 'review' ? (it.reviewDepartmentCode ?? it.departmentCode) : d === 'decision' ? (it.decisionDepartmentCode ?? it.departmentCode) : d);
    const joint = step.joint.map(resolve);
    if (step.role !== 'reviewer' || new Set(joint).size !== joint.length) {
      v.push({ rule: 'REVIEW_STEPS', 'zh-CN': `联合审查环节“${step.name}”须由审查人员办理，且每个部门只列一次`, en: `Joint step "${step.name}" must be for reviewers, each department listed once` });
    }
  }
  if (it.committedLimitDays === null && !it.limitUnknown) {
    v.push({ rule: 'LIMIT_MISSING', 'zh-CN': '缺少承诺时限；无法核实时请标记“时限待核实”', en: 'The committed limit is missing; mark the item limit-unknown if it cannot be cited' });
  }
  return v;
}
