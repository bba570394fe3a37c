/** Service levels where an item can be handled. */
export const SERVICE_LEVELS = ['district', 'town', 'village'] as const;
/** Channels an item is offered through. */
export const CHANNELS = ['window', 'online', 'kiosk', 'mobile'] as const;

/** Item types (事项类型) of the national catalogue exchange format; see the shared code lists. */
export const ITEM_TYPES = {
  '01': '行政许可',
  '02': '行政处罚',
  '03': '行政强制',
  '04': '行政征收',
  '05': '行政给付',
  '06': '行政检查',
  '07': '行政确认',
  '08': '行政奖励',
  '09': '行政裁决',
  '10': '其他行政权力',
  '20': '公共服务',
} as const;

/**
 * One back-office review step of an item (后台分类审批), before the decision.
 * `department` is `review` (the item's review department), `decision` (its decision department)
 * or a department code. A step with `joint` is a joint review (联审联批): each listed department
 * gives an opinion in parallel, and the step completes when the last required opinion arrives.
 */
export interface ReviewStep {
  /** shown to staff and applicant, e.g. 审查, 复审, 联合审查 */
  name: string;
  role: 'reviewer' | 'signatory';
  department: string;
  joint?: string[];
}

/** The review of an item that configures none: one review by the review department. */
export const DEFAULT_REVIEW_STEPS: readonly ReviewStep[] = [{ name: '审查', role: 'reviewer', department: 'review' }];

/** Applicant categories an exemption list (豁免清单) can name. */
export const EXEMPTION_CATEGORIES = {
  person: '自然人',
  enterprise: '法人',
  elderly: '60周岁以上老年人',
} as const;
export type ExemptionCategory = keyof typeof EXEMPTION_CATEGORIES;
