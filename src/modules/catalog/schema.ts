import { pgTable, text, integer, jsonb, boolean, serial, index, unique } from 'drizzle-orm/pg-core';

import type { LimitUnit } from '../../platform/calendar.js';
import type { ExemptionCategory, ReviewStep } from './service-types.js';
export type { LimitUnit };

/** Service items (政务服务事项) as implemented in this district (实施清单). */
export const serviceItems = pgTable(
  'service_items',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    /** task_type code: 01 行政许可 … 20 公共服务 (code-lists.json) */
    type: text('type').notNull(),
    /** implementing authority (实施主体) */
    departmentCode: text('department_code').notNull(),
    /** department whose staff do the back-office review */
    reviewDepartmentCode: text('review_department_code').notNull(),
    /** department whose seal issues the decision (the approval bureau under 一章办理) */
    decisionDepartmentCode: text('decision_department_code').notNull(),
    /** working days; null where no law fixes one */
    statutoryLimitDays: integer('statutory_limit_days'),
    /** working_day | natural_day | same_day — the unit the law uses */
    statutoryLimitUnit: text('statutory_limit_unit').$type<LimitUnit>().notNull().default('working_day'),
    /** in `committedLimitUnit`; 0 for an immediate item; null when no limit is known (imported catalogues) */
    committedLimitDays: integer('committed_limit_days'),
    committedLimitUnit: text('committed_limit_unit').$type<LimitUnit>().notNull().default('working_day'),
    /** immediate (即办件) | commitment (承诺件) */
    projectType: text('project_type').notNull(),
    /** I | II | III | IV */
    onlineDepth: text('online_depth').$type<'I' | 'II' | 'III' | 'IV'>().notNull(),
    requiredVisits: integer('required_visits').notNull(),
    /** server_type codes: 1 自然人, 2 企业法人 … */
    serviceObjects: jsonb('service_objects').$type<string[]>().notNull(),
    legalBasis: text('legal_basis').notNull().default(''),
    limitSource: jsonb('limit_source').$type<{ statutory?: string; committed?: string; note?: string }>().notNull(),
    themes: jsonb('themes').$type<string[]>().notNull(),
    channels: jsonb('channels').$type<string[]>().notNull(),
    townAvailable: boolean('town_available').notNull().default(false),
    /** national base code (基本编码), where known */
    baseCode: text('base_code'),
    /** the delegating authority (委托), e.g. `{ name: '清远市住房和城乡建设局' }` */
    delegatedFrom: jsonb('delegated_from').$type<{ name: string; code?: string; note?: string } | null>(),
    /** no limit could be cited: shown as 时限待核实, never an invented number */
    limitUnknown: boolean('limit_unknown').notNull().default(false),
    /** why the applicant must come in person, when requiredVisits > 0 */
    visitReason: text('visit_reason').notNull().default(''),
    /** where it can be handled: district | town | village */
    serviceLevels: jsonb('service_levels').$type<string[]>().notNull().default([]),
    appointment: boolean('appointment').notNull().default(false),
    kioskAvailable: boolean('kiosk_available').notNull().default(false),
    /** 免证办: some material can be replaced by an e-licence */
    licenseFree: boolean('license_free').notNull().default(false),
    acceptanceConditions: text('acceptance_conditions').notNull().default(''),
    fees: jsonb('fees').$type<{ charged: boolean; basis?: string; standard?: string }>().notNull().default({ charged: false }),
    /** special procedures (art. 45) the item may need, with their usual length */
    specialProcedures: jsonb('special_procedures').$type<{ kind: string; typicalDays: number; unit: string; basis?: string }[]>().notNull().default([]),
    /** 告知承诺制 eligibility and the commitment text */
    notificationCommitment: jsonb('notification_commitment').$type<{ eligible: boolean; text?: string }>().notNull().default({ eligible: false }),
    /** the licence type a grant issues (电子证照), e.g. business_license; null = none */
    resultLicenseType: text('result_license_type'),
    /** back-office review steps (后台分类审批); null = one review by the review department */
    reviewSteps: jsonb('review_steps').$type<ReviewStep[] | null>(),
    keywords: jsonb('keywords').$type<string[]>().notNull().default([]),
    /** pinyin initials of the name (施工许可 → sgxk), for kiosk keyboards */
    pinyinInitials: text('pinyin_initials').notNull().default(''),
    /** lower-cased name, department and keywords, for search */
    searchText: text('search_text').notNull(),
  },
  (t) => [index('service_items_department_idx').on(t.departmentCode)],
);

/** Required materials (申请材料) of an item. */
export const itemMaterials = pgTable(
  'item_materials',
  {
    id: serial('id').primaryKey(),
    itemCode: text('item_code')
      .notNull()
      .references(() => serviceItems.code, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    name: text('name').notNull(),
    original: integer('original').notNull().default(1),
    copies: integer('copies').notNull().default(0),
    required: boolean('required').notNull().default(true),
    note: text('note').notNull().default(''),
    /** form | identity | certificate | plan | contract | photo | other */
    kind: text('kind').notNull().default('other'),
    /** the e-licence type that can replace it (免证办), e.g. resident_id, business_license */
    licenseType: text('license_type'),
    /** may be missing under conditional acceptance (容缺受理) */
    conditionalAllowed: boolean('conditional_allowed').notNull().default(false),
  },
  (t) => [unique('item_materials_item_seq').on(t.itemCode, t.seq)],
);

/**
 * Exemption lists (豁免清单): a material of an item waived for a category of applicants,
 * with the basis (the document that grants the exemption).
 */
export const materialExemptions = pgTable(
  'material_exemptions',
  {
    id: serial('id').primaryKey(),
    itemCode: text('item_code')
      .notNull()
      .references(() => serviceItems.code, { onDelete: 'cascade' }),
    materialId: integer('material_id')
      .notNull()
      .references(() => itemMaterials.id, { onDelete: 'cascade' }),
    category: text('category').$type<ExemptionCategory>().notNull(),
    basis: text('basis').notNull(),
  },
  (t) => [unique('material_exemptions_once').on(t.materialId, t.category)],
);
