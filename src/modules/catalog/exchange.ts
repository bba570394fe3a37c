/**
 * Catalogue import and export: Excel (.xlsx, exceljs) and CSV (csv-parse) files whose columns
 * carry the elements of the national catalogue exchange format, under Chinese or English headers.
 *
 * Import maps each row to a {@link ServiceItemInput}; what the file does not say is not invented:
 * a row without limits is marked `limitUnknown` (时限待核实) with no limit, and the row's
 * provenance is noted. Rows are then saved by `saveItems` (rules checked, each row whole or not at
 * all, failures reported with their row number).
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { ITEM_TYPES } from './service-types.js';

/** Header aliases (lower-cased) of each element. */
const COLUMNS: Record<string, string[]> = {
  code: ['事项编码', '实施编码', 'item_code', 'code', '编码'],
  baseCode: ['基本编码', 'base_code', 'basecode'],
  name: ['事项名称', 'item_name', 'name', '名称'],
  type: ['事项类型', 'task_type', 'type', 'task_type_name'],
  department: ['实施主体', '实施机构', 'department', 'departmentcode', '部门', '实施主体编码'],
  departmentId: ['dept_code', '实施主体代码', '实施主体统一社会信用代码'],
  regionCode: ['area_code', '行政区划代码', 'regioncode'],
  statutory: ['法定时限', 'statutory_limit', 'statutorylimitdays', '法定办结时限'],
  statutoryUnit: ['法定时限单位', 'statutorylimitunit'],
  committed: ['承诺时限', 'committed_limit', 'committedlimitdays', '承诺办结时限'],
  committedUnit: ['承诺时限单位', 'committedlimitunit'],
  projectType: ['办件类型', 'project_type', 'projecttype'],
  onlineDepth: ['网办深度', '网上办理深度', 'online_depth', 'onlinedepth'],
  visits: ['跑动次数', '到办事现场次数', 'required_visits', 'requiredvisits'],
  visitReason: ['到现场理由', '必须现场办理原因', 'visit_reason', 'visitreason'],
  serviceObjects: ['服务对象', 'server_type', 'serviceobjects'],
  legalBasis: ['设定依据', '法律依据', 'legal_basis', 'legalbasis'],
  feeCharged: ['是否收费', 'fee_charged'],
  feeBasis: ['收费依据', 'fee_basis'],
  feeStandard: ['收费标准', 'fee_standard'],
  materials: ['申请材料', 'materials'],
  keywords: ['关键词', 'keywords'],
  themes: ['主题', 'themes'],
  channels: ['办理渠道', 'channels'],
};

const TYPE_BY_NAME = new Map<string, string>(Object.entries(ITEM_TYPES).map(([code, name]) => [name, code]));
const SERVICE_OBJECT_BY_NAME: Record<string, string> = { 自然人: '1', 企业法人: '2', 事业法人: '3', 社会组织法人: '4', 非法人企业: '5', 行政机关: '6', 其他组织: '9' };
const UNIT_BY_NAME: Record<string, string> = { 工作日: 'working_day', 自然日: 'natural_day', 日: 'natural_day', 天: 'natural_day', 当场: 'same_day', working_day: 'working_day', natural_day: 'natural_day', same_day: 'same_day' };
const DEPTH: Record<string, string> = { Ⅰ: 'I', Ⅱ: 'II', Ⅲ: 'III', Ⅳ: 'IV', I: 'I', II: 'II', III: 'III', IV: 'IV', '1': 'I', '2': 'II', '3': 'III', '4': 'IV' };

/** A row of the file: header → cell text. */
export type SheetRow = Record<string, string>;

/** Reads a CSV (UTF-8, with or without BOM) or .xlsx file's first sheet into rows. */
export async function readRows(data: Buffer, kind: 'csv' | 'xlsx'): Promise<SheetRow[]> {
  if (kind === 'csv') {
    return parse(data, { columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as SheetRow[];
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const headers: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (headers[col] = String(cell.text ?? '').trim()));
  const rows: SheetRow[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const r: SheetRow = {};
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      if (headers[col]) r[headers[col]!] = String(cell.text ?? '').trim();
    });
    if (Object.values(r).some(Boolean)) rows.push(r);
  });
  return rows;
}

function pick(row: SheetRow, element: string): string {
  const lower = new Map(Object.entries(row).map(([k, v]) => [k.trim().toLowerCase(), v]));
  for (const alias of COLUMNS[element]!) {
    const v = lower.get(alias.toLowerCase());
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

const list = (s: string) =>
  s
    .split(/[;；,，、\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

function typeCode(s: string): string {
  if (!s) return '';
  if (TYPE_BY_NAME.has(s)) return TYPE_BY_NAME.get(s)!;
  return /^\d{1,2}$/.test(s) ? s.padStart(2, '0') : s;
}

function days(s: string): number | null {
  const m = /^\s*(\d+)/.exec(s);
  return m ? Number(m[1]) : null;
}

/** Resolves a department cell (code, full name or short name) to a code; `undefined` when unknown. */
export type DepartmentResolver = (cell: string, row: SheetRow) => string | undefined;

/**
 * Maps one row to the item input the catalogue saves. Never invents a limit: with no limit in
 * the row the item is `limitUnknown`.
 */
export function rowToItem(row: SheetRow, resolveDepartment: DepartmentResolver, source: string): Record<string, unknown> {
  const statutory = days(pick(row, 'statutory'));
  const committed = days(pick(row, 'committed'));
  const unknown = statutory === null && committed === null;
  const projectType = pick(row, 'projectType');
  const immediate = projectType.includes('即办') || committed === 0;
  const visitsCell = pick(row, 'visits');
  const feeCharged = /^(是|收费|true|1|yes)$/i.test(pick(row, 'feeCharged'));
  const deptCell = pick(row, 'department');
  const objects = list(pick(row, 'serviceObjects')).map((o) => SERVICE_OBJECT_BY_NAME[o] ?? o);
  return {
    code: pick(row, 'code'),
    baseCode: pick(row, 'baseCode') || null,
    name: pick(row, 'name'),
    type: typeCode(pick(row, 'type')),
    departmentCode: resolveDepartment(deptCell, row) ?? deptCell,
    serviceObjects: objects.length ? objects : ['1', '2'],
    statutoryLimitDays: statutory,
    statutoryLimitUnit: UNIT_BY_NAME[pick(row, 'statutoryUnit')] ?? 'working_day',
    committedLimitDays: unknown ? null : (committed ?? statutory),
    committedLimitUnit: UNIT_BY_NAME[pick(row, 'committedUnit')] ?? UNIT_BY_NAME[pick(row, 'statutoryUnit')] ?? 'working_day',
    limitUnknown: unknown,
    projectType: immediate ? 'immediate' : 'commitment',
    onlineDepth: DEPTH[pick(row, 'onlineDepth')] ?? 'I',
    requiredVisits: visitsCell ? Number(visitsCell) : 0,
    visitReason: pick(row, 'visitReason'),
    legalBasis: pick(row, 'legalBasis'),
    fees: feeCharged ? { charged: true, basis: pick(row, 'feeBasis'), standard: pick(row, 'feeStandard') } : { charged: false },
    keywords: list(pick(row, 'keywords')),
    themes: list(pick(row, 'themes')),
    ...(list(pick(row, 'channels')).length ? { channels: list(pick(row, 'channels')) } : {}),
    limitSource: unknown ? { note: `imported from ${source}: the file gives no time limit (时限待核实)` } : { note: `imported from ${source}` },
    materials: list(pick(row, 'materials')).map((name) => ({ name })),
  };
}

/** The department-related cells of a row: name, code/credit code and region, for creating it. */
export function departmentOfRow(row: SheetRow): { name: string; id: string; regionCode: string } {
  return { name: pick(row, 'department'), id: pick(row, 'departmentId'), regionCode: pick(row, 'regionCode') };
}

/** Columns of the exported catalogue, in order: header (zh) and the item's field. */
export const EXPORT_COLUMNS: [string, string][] = [
  ['事项编码', 'code'],
  ['基本编码', 'baseCode'],
  ['事项名称', 'name'],
  ['事项类型', 'typeName'],
  ['实施主体', 'departmentName'],
  ['实施主体编码', 'departmentCode'],
  ['委托部门', 'delegatedFromName'],
  ['服务对象', 'serviceObjectNames'],
  ['法定时限', 'statutoryLimitDays'],
  ['法定时限单位', 'statutoryLimitUnitName'],
  ['承诺时限', 'committedLimitDays'],
  ['承诺时限单位', 'committedLimitUnitName'],
  ['时限待核实', 'limitUnknownText'],
  ['办件类型', 'projectTypeName'],
  ['网办深度', 'onlineDepth'],
  ['跑动次数', 'requiredVisits'],
  ['到现场理由', 'visitReason'],
  ['办理层级', 'serviceLevels'],
  ['办理渠道', 'channels'],
  ['是否收费', 'feeChargedText'],
  ['收费依据', 'feeBasis'],
  ['设定依据', 'legalBasis'],
  ['申请材料', 'materialNames'],
  ['关键词', 'keywords'],
];
