import { pgTable, text, integer, jsonb, boolean, serial, index, unique } from 'drizzle-orm/pg-core';

import type { LimitUnit } from '../../platform/calendar.js';
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
    /** working days; 0 for an immediate item */
    committedLimitDays: integer('committed_limit_days').notNull(),
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
  },
  (t) => [unique('item_materials_item_seq').on(t.itemCode, t.seq)],
);
