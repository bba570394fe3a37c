/**
 * The dashboard as an Excel workbook (exceljs): the summary with each rate's formula, numerator
 * and denominator, the breakdowns, and the open overdue and warning cases (no personal data).
 */
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { breakdown, clockCondition, openClockConditions, summarize, type Rate, type StatsFilter } from './service.js';

/** Each rate of the summary: its Chinese name and formula in words (docs/metrics.md). */
export const RATE_DEFINITIONS = {
  completion: ['办结率', '已受理办件中已办结（准予、不予许可或受理后终止）的件数 ÷ 已受理件数'],
  onTime: ['按时办结率', '已作出决定且有承诺期限的办件中，决定日不晚于期限的件数 ÷ 该类件数'],
  satisfaction: ['满意率', '评价为非常满意、满意、基本满意的件数 ÷ 评价总数（含送达7日后未评价、默认“满意”的办件）'],
  explicitSatisfaction: ['满意率（仅申请人评价）', '申请人评价为非常满意、满意、基本满意的件数 ÷ 申请人评价总数'],
  immediateHandling: ['即办率', '即办件中受理当日作出决定的件数 ÷ 即办件决定数'],
  singleWindow: ['一窗办理率', '由综合窗口受理的件数 ÷ 已受理件数（其余为逾期视为受理）'],
  onlineChannel: ['网上办理占比', '网上和移动端提交的件数 ÷ 提交件数'],
} as const;

const COUNT_LABELS: Record<string, string> = {
  submitted: '提交件数',
  accepted: '受理件数',
  rejected: '不予受理件数',
  withdrawn: '撤回件数',
  decided: '作出决定件数',
  granted: '准予许可件数',
  denied: '不予许可件数',
  delivered: '已送达件数',
  inProgress: '在办件数',
  overdue: '超期件数（当前）',
  warning: '预警件数（当前，3个工作日内到期）',
  licenseFree: '免证办件数',
  licenseUses: '以电子证照代替材料次数',
  evaluated: '申请人评价数',
  defaultEvaluated: '默认好评数',
};

const pct = (r: Rate) => (r.value === null ? '—' : r.value);

/**
 * Builds the workbook of a filter.
 * @returns the .xlsx bytes
 */
export async function exportWorkbook(db: Db, f: StatsFilter, now: Date): Promise<Buffer> {
  const [s, months, departments, towns, channels, open] = await Promise.all([
    summarize(db, f, now),
    breakdown(db, 'month', f, now),
    breakdown(db, 'department', f, now),
    breakdown(db, 'town', f, now),
    breakdown(db, 'channel', f, now),
    openClockCases(db, f, now),
  ]);
  const book = new ExcelJS.Workbook();
  book.creator = 'OneWindow';
  book.created = now;

  const sum = book.addWorksheet('汇总');
  sum.columns = [
    { header: '指标', key: 'name', width: 26 },
    { header: '数值', key: 'value', width: 14, style: { numFmt: '0.00%' } },
    { header: '分子', key: 'numerator', width: 12 },
    { header: '分母', key: 'denominator', width: 12 },
    { header: '口径', key: 'formula', width: 80 },
  ];
  sum.addRow({ name: '统计区间（提交日）', formula: `${f.from} 至 ${f.to}${f.departmentCode ? `；部门 ${f.departmentCode}` : ''}${f.regionCode ? `；区域 ${f.regionCode}` : ''}${f.channel ? `；渠道 ${f.channel}` : ''}；数据截至 ${s.asOf}` });
  for (const [key, [name, formula]] of Object.entries(RATE_DEFINITIONS)) {
    const r = s.rates[key as keyof typeof s.rates];
    sum.addRow({ name, value: pct(r), numerator: r.numerator, denominator: r.denominator, formula });
  }
  sum.addRow({ name: '可网办率', value: pct(s.catalog.onlineAvailable), numerator: s.catalog.onlineAvailable.numerator, denominator: s.catalog.onlineAvailable.denominator, formula: '网办深度 III、IV 级事项数 ÷ 事项总数' });
  sum.addRow({ name: '时限压缩率', value: pct(s.catalog.timeLimitCompression), numerator: s.catalog.timeLimitCompression.numerator, denominator: s.catalog.timeLimitCompression.denominator, formula: '1 − Σ承诺时限 ÷ Σ法定时限 = Σ(法定 − 承诺) ÷ Σ法定（两者已知、单位相同的事项）' });
  for (const [key, label] of Object.entries(COUNT_LABELS)) sum.addRow({ name: label, numerator: s.counts[key as keyof typeof s.counts] });
  for (const level of ['I', 'II', 'III', 'IV'] as const) sum.addRow({ name: `网办深度 ${level} 级事项数`, numerator: s.catalog.onlineDepth[level] });
  for (const [level, label] of [['district', '区级'], ['town', '镇街级'], ['village', '村居级']] as const) sum.addRow({ name: `${label}可办事项数`, numerator: s.catalog.levels[level] });
  for (const rating of ['5', '4', '3', '2', '1'] as const) sum.addRow({ name: `评价 ${rating} 级件数`, numerator: s.ratings[rating] });

  for (const [title, table] of [['按月', months], ['按部门', departments], ['按镇街', towns], ['按渠道', channels]] as const) {
    const sheet = book.addWorksheet(title);
    sheet.columns = [
      { header: '编码', key: 'key', width: 16 },
      { header: '名称', key: 'label', width: 30 },
      { header: '提交', key: 'submitted', width: 10 },
      { header: '受理', key: 'accepted', width: 10 },
      { header: '决定', key: 'decided', width: 10 },
      { header: '按时', key: 'onTime', width: 10 },
      { header: '超期（当前）', key: 'overdue', width: 12 },
      { header: '办结率', key: 'completion', width: 10, style: { numFmt: '0.00%' } },
      { header: '按时办结率', key: 'onTimeRate', width: 12, style: { numFmt: '0.00%' } },
      { header: '满意率', key: 'satisfaction', width: 10, style: { numFmt: '0.00%' } },
    ];
    for (const r of table.rows) {
      sheet.addRow({ key: r.key, label: r.label, ...r.counts, completion: pct(r.rates.completion), onTimeRate: pct(r.rates.onTime), satisfaction: pct(r.rates.satisfaction) });
    }
  }

  const late = book.addWorksheet('超期预警');
  late.columns = [
    { header: '状态', key: 'clock', width: 8 },
    { header: '办件编号', key: 'number', width: 22 },
    { header: '事项', key: 'itemName', width: 40 },
    { header: '部门', key: 'departmentCode', width: 16 },
    { header: '区域', key: 'regionCode', width: 14 },
    { header: '办理期限', key: 'dueDate', width: 12 },
    { header: '办件状态', key: 'status', width: 10 },
  ];
  for (const r of open) late.addRow({ ...r, clock: r.clock === 'overdue' ? '超期' : '预警' });
  for (const sheet of book.worksheets) sheet.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The open cases overdue or due soon now, for the filter's department, region and channel (at most 5,000). */
async function openClockCases(db: Db, f: StatsFilter, now: Date) {
  const out: { clock: 'overdue' | 'warning'; number: string; itemName: string; departmentCode: string; regionCode: string; dueDate: string; status: string }[] = [];
  for (const clock of ['overdue', 'warning'] as const) {
    const { rows } = (await db.execute(
      sql`SELECT number, item_name AS "itemName", department_code AS "departmentCode", region_code AS "regionCode", due_date::text AS "dueDate", status
          FROM applications WHERE ${sql.join([...openClockConditions(f), clockCondition(sql`due_date`, clock, now)], sql` AND `)}
          ORDER BY due_date, number LIMIT 5000`,
    )) as unknown as { rows: Omit<(typeof out)[number], 'clock'>[] };
    for (const r of rows) out.push({ clock, ...r });
  }
  return out;
}
