import { pgTable, text, index } from 'drizzle-orm/pg-core';

/** Administrative divisions (行政区划), GB/T 2260 and the statistical division codes. */
export const regions = pgTable(
  'regions',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    /** province | city | district | town | village */
    level: text('level').notNull(),
    parentCode: text('parent_code'),
  },
  (t) => [index('regions_parent_idx').on(t.parentCode)],
);

/** Government departments (部门) of a region. */
export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
  nameEn: text('name_en'),
  regionCode: text('region_code').notNull(),
  /** approval_bureau | department | vertical | hall_operator */
  kind: text('kind').notNull(),
});

/** Service halls and town service centres (政务服务中心 / 镇街便民服务中心). */
export const halls = pgTable('halls', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  regionCode: text('region_code').notNull(),
  address: text('address'),
  /** district_hall | town_centre */
  kind: text('kind').notNull(),
});

/** Windows of a hall (综合窗口, themed windows). */
export const hallWindows = pgTable('hall_windows', {
  code: text('code').primaryKey(),
  hallCode: text('hall_code')
    .notNull()
    .references(() => halls.code),
  name: text('name').notNull(),
  /** comprehensive | enterprise_startup | construction | cross_province | utilities | … */
  kind: text('kind').notNull(),
});
