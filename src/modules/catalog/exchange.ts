/**
 * Catalogue import and export: Excel (.xlsx, exceljs) and CSV (UTF-8, csv-parse) files whose
 * columns carry the elements of the national catalogue exchange format, under Chinese or English
 * headers.
 *
 * Import reads only what the file says: each row gives the elements of the columns it has. For an
 * item already in the catalogue, elements the file does not give keep their stored value (so a
 * sparse file, or the platform's own export, never wipes data). A new item without limits is
 * marked `limitUnknown` (时限待核实) with no limit: nothing is invented. A cell that cannot be read
 * exactly (`3个月`, `-5`) rejects its row rather than being guessed.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors.js';
import { ITEM_TYPES } from './service-types.js';

/** Header aliases of each element (matched case-insensitively). */
export const COLUMNS: Record<string, string[]> = {
  code: ['事项编码', '实施编码', 'item_code', 'code', '编码'],
  baseCode: ['基本编码', 'base_code', 'basecode'],
  name: ['事项名称', 'item_name', 'name', '名称'],
  type: ['事项类型', 'task_type', 'type', 'task_type_name'],
  department: ['实施主体编码', '实施主体', '实施机构', 'department', 'departmentcode', '部门'],
  reviewDepartment: ['审查部门编码', 'reviewdepartmentcode'],
  decisionDepartment: ['决定部门编码', 'decisiondepartmentcode'],
  departmentId: ['dept_code', '实施主体代码', '实施主体统一社会信用代码'],
  regionCode: ['area_code', '行政区划代码', 'regioncode'],
  statutory: ['法定时限', 'statutory_limit', 'statutorylimitdays', '法定办结时限'],
  statutoryUnit: ['法定时限单位', 'statutorylimitunit'],
  committed: ['承诺时限', 'committed_limit', 'committedlimitdays', '承诺办结时限'],
  committedUnit: ['承诺时限单位', 'committedlimitunit'],
  limitUnknown: ['时限待核实', 'limitunknown'],
  projectType: ['办件类型', 'project_type', 'projecttype'],
  onlineDepth: ['网办深度', '网上办理深度', 'online_depth', 'onlinedepth'],
  visits: ['跑动次数', '到办事现场次数', 'required_visits', 'requiredvisits'],
  visitReason: ['到现场理由', '必须现场办理原因', 'visit_reason', 'visitreason'],
  serviceObjects: ['服务对象', 'server_type', 'serviceobjects'],
  serviceLevels: ['办理层级', 'servicelevels'],
  channels: ['办理渠道', 'channels'],
  legalBasis: ['设定依据', '法律依据', 'legal_basis', 'legalbasis'],
  acceptanceConditions: ['受理条件', 'acceptanceconditions'],
  feeCharged: ['是否收费', 'fee_charged'],
  feeBasis: ['收费依据', 'fee_basis'],
  feeStandard: ['收费标准', 'fee_standard'],
  materials: ['申请材料', 'materials'],
  keywords: ['关键词', 'keywords'],
  themes: ['主题', 'themes'],
};

/** The longest cell or record a catalogue file may have, in characters. */
export const MAX_RECORD_CHARS = 100_000;

const TYPE_BY_NAME = new Map<string, string>(Object.entries(ITEM_TYPES).map(([code, name]) => [name, code]));
export const SERVICE_OBJECT_NAMES: Record<string, string> = { '1': '自然人', '2': '企业法人', '3': '事业法人', '4': '社会组织法人', '5': '非法人企业', '6': '行政机关', '9': '其他组织' };
export const LEVEL_NAMES: Record<string, string> = { district: '区级', town: '镇街', village: '村居' };
export const CHANNEL_NAMES: Record<string, string> = { window: '窗口', online: '网上', kiosk: '自助终端', mobile: '移动端' };
export const UNIT_NAMES: Record<string, string> = { working_day: '工作日', natural_day: '自然日', same_day: '当场' };
const invert = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k]));
const OBJECT_BY_NAME = invert(SERVICE_OBJECT_NAMES);
const LEVEL_BY_NAME = invert(LEVEL_NAMES);
const CHANNEL_BY_NAME = invert(CHANNEL_NAMES);
const UNIT_BY_NAME: Record<string, string> = { ...invert(UNIT_NAMES), 日: 'natural_day', 天: 'natural_day', working_day: 'working_day', natural_day: 'natural_day', same_day: 'same_day' };
const DEPTH: Record<string, string> = { Ⅰ: 'I', Ⅱ: 'II', Ⅲ: 'III', Ⅳ: 'IV', I: 'I', II: 'II', III: 'III', IV: 'IV', '1': 'I', '2': 'II', '3': 'III', '4': 'IV' };

/** A row of the file: header → cell text. */
export type SheetRow = Record<string, string>;

/**
 * Reads a CSV (UTF-8, with or without BOM) or .xlsx file's first sheet into rows.
 * @throws AppError CATALOG_FILE_INVALID (empty, not UTF-8, malformed, a record over
 *   {@link MAX_RECORD_CHARS}, not a workbook), CATALOG_COLUMNS_MISSING (no code or name column)
 */
export async function readRows(data: Buffer, kind: 'csv' | 'xlsx'): Promise<SheetRow[]> {
  if (!data.length) throw new AppError('CATALOG_FILE_INVALID', { detail: { 'zh-CN': '文件为空', en: 'the file is empty' } });
  let rows: SheetRow[];
  if (kind === 'csv') {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      throw new AppError('CATALOG_FILE_INVALID', { detail: { 'zh-CN': '文件不是 UTF-8 编码（请另存为“CSV UTF-8”）', en: 'the file is not UTF-8 (save it as "CSV UTF-8")' } });
    }
    try {
      rows = parse(data, { columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, max_record_size: MAX_RECORD_CHARS }) as SheetRow[];
    } catch (err) {
      const e = err as { code?: string; lines?: number };
      throw new AppError('CATALOG_FILE_INVALID', { detail: { 'zh-CN': `CSV 格式错误（${e.code ?? 'parse error'}，第 ${e.lines ?? '?'} 行）`, en: `malformed CSV (${e.code ?? 'parse error'}, line ${e.lines ?? '?'})` } });
    }
  } else {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(data as unknown as ArrayBuffer);
    } catch {
      throw new AppError('CATALOG_FILE_INVALID', { detail: { 'zh-CN': '不是有效的 .xlsx 工作簿', en: 'not a valid .xlsx workbook' } });
    }
    rows = [];
    const ws = wb.worksheets[0];
    if (ws) {
      const headers: string[] = [];
      ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (headers[col] = String(cell.text ?? '').trim()));
      ws.eachRow((row, n) => {
        if (n === 1) return;
        const r: SheetRow = {};
        row.eachCell({ includeEmpty: true }, (cell, col) => {
          if (headers[col]) r[headers[col]!] = String(cell.text ?? '').trim();
        });
        if (Object.values(r).some(Boolean)) rows.push(r);
      });
      if (rows.some((r) => Object.values(r).some((v) => v.length > MAX_RECORD_CHARS))) {
        throw new AppError('CATALOG_FILE_INVALID', { detail: { 'zh-CN': `单元格超过 ${MAX_RECORD_CHARS} 个字符`, en: `a cell is longer than ${MAX_RECORD_CHARS} characters` } });
      }
    }
  }
  const headers = new Set(Object.keys(rows[0] ?? {}).map((h) => h.trim().toLowerCase()));
  const has = (el: string) => COLUMNS[el]!.some((a) => headers.has(a.toLowerCase()));
  if (rows.length && !(has('code') && has('name'))) {
    throw new AppError('CATALOG_COLUMNS_MISSING', { columns: { 'zh-CN': `事项编码（${COLUMNS.code!.join('/')}）和事项名称（${COLUMNS.name!.join('/')}）`, en: `code (${COLUMNS.code!.join('/')}) and name (${COLUMNS.name!.join('/')})` } });
  }
  return rows;
}

/** The cell of `element`, or `undefined` when the file has no such column (`''` when it has one, empty). */
function pick(row: SheetRow, element: string): string | undefined {
  const lower = new Map(Object.entries(row).map(([k, v]) => [k.trim().toLowerCase(), v]));
  let found: string | undefined;
  for (const alias of COLUMNS[element]!) {
    const v = lower.get(alias.toLowerCase());
    if (v !== undefined) {
      if (v !== '') return v;
      found = '';
    }
  }
  return found;
}

const list = (s: string) =>
  s
    .split(/[;；,，、\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** A limit cell: a whole number of days, optionally followed by its unit (`20`, `20个工作日`, `15日`). */
function parseLimit(cell: string): { days: number; unit?: string } | 'bad' {
  const m = /^(\d{1,4})\s*(?:个)?\s*(工作日|自然日|日|天)?$/.exec(cell.trim());
  if (!m) return 'bad';
  return { days: Number(m[1]), unit: m[2] ? UNIT_BY_NAME[m[2]] : undefined };
}

/** A cell problem that rejects the row. */
export interface CellProblem {
  rule: 'CELL_UNREADABLE';
  'zh-CN': string;
  en: string;
}

/**
 * The elements one row gives, as a partial item (only the columns the file has, non-empty),
 * plus the cells that could not be read.
 */
export function rowToPartial(row: SheetRow, resolveDepartment: (cell: string) => string | undefined): { partial: Record<string, unknown>; problems: CellProblem[] } {
  const p: Record<string, unknown> = {};
  const problems: CellProblem[] = [];
  const bad = (column: string, value: string) =>
    problems.push({ rule: 'CELL_UNREADABLE', 'zh-CN': `“${column}”的值“${value.slice(0, 40)}”无法识别`, en: `cannot read "${column}" value "${value.slice(0, 40)}"` });
  const str = (el: string, key: string) => {
    const v = pick(row, el);
    if (v) p[key] = v;
  };
  str('code', 'code');
  str('name', 'name');
  str('baseCode', 'baseCode');
  str('visitReason', 'visitReason');
  str('legalBasis', 'legalBasis');
  str('acceptanceConditions', 'acceptanceConditions');
  const type = pick(row, 'type');
  if (type) p.type = TYPE_BY_NAME.get(type) ?? (/^\d{1,2}$/.test(type) ? type.padStart(2, '0') : type);
  for (const [el, key] of [
    ['department', 'departmentCode'],
    ['reviewDepartment', 'reviewDepartmentCode'],
    ['decisionDepartment', 'decisionDepartmentCode'],
  ] as const) {
    const v = pick(row, el);
    if (v) p[key] = resolveDepartment(v) ?? v;
  }
  for (const [el, key, unitEl, unitKey] of [
    ['statutory', 'statutoryLimitDays', 'statutoryUnit', 'statutoryLimitUnit'],
    ['committed', 'committedLimitDays', 'committedUnit', 'committedLimitUnit'],
  ] as const) {
    const v = pick(row, el);
    if (v) {
      const lim = parseLimit(v);
      if (lim === 'bad') bad(el === 'statutory' ? '法定时限' : '承诺时限', v);
      else {
        p[key] = lim.days;
        if (lim.unit) p[unitKey] = lim.unit;
      }
    }
    const u = pick(row, unitEl);
    if (u) {
      if (UNIT_BY_NAME[u]) p[unitKey] = UNIT_BY_NAME[u];
      else bad('时限单位', u);
    }
  }
  const unknown = pick(row, 'limitUnknown');
  if (unknown) p.limitUnknown = /^(是|true|1|yes)$/i.test(unknown);
  const pt = pick(row, 'projectType');
  if (pt) p.projectType = pt.includes('即办') || pt === 'immediate' ? 'immediate' : 'commitment';
  const depth = pick(row, 'onlineDepth');
  if (depth) {
    if (DEPTH[depth]) p.onlineDepth = DEPTH[depth];
    else bad('网办深度', depth);
  }
  const visits = pick(row, 'visits');
  if (visits) {
    if (/^\d$/.test(visits)) p.requiredVisits = Number(visits);
    else bad('跑动次数', visits);
  }
  const mapped = (el: string, key: string, names: Record<string, string>) => {
    const v = pick(row, el);
    if (v) p[key] = list(v).map((x) => names[x] ?? x);
  };
  mapped('serviceObjects', 'serviceObjects', OBJECT_BY_NAME);
  mapped('serviceLevels', 'serviceLevels', LEVEL_BY_NAME);
  mapped('channels', 'channels', CHANNEL_BY_NAME);
  mapped('keywords', 'keywords', {});
  mapped('themes', 'themes', {});
  const charged = pick(row, 'feeCharged');
  const basis = pick(row, 'feeBasis');
  const standard = pick(row, 'feeStandard');
  if (charged || basis || standard) {
    p.fees = {
      ...(charged ? { charged: /^(是|收费|true|1|yes)$/i.test(charged) } : {}),
      ...(basis ? { basis } : {}),
      ...(standard ? { standard } : {}),
    };
  }
  // One material a line (as exported); a one-line cell may separate them with ；
  const materials = pick(row, 'materials');
  if (materials) p.materials = (materials.includes('\n') ? materials.split(/\r?\n/) : list(materials)).map((n) => n.trim()).filter(Boolean).map((name) => ({ name }));
  return { partial: p, problems };
}

/** The department-related cells of a row: name, code/credit code and region, for creating it. */
export function departmentOfRow(row: SheetRow): { name: string; id: string; regionCode: string } {
  return { name: pick(row, 'department') ?? '', id: pick(row, 'departmentId') ?? '', regionCode: pick(row, 'regionCode') ?? '' };
}

/** Columns of the exported catalogue, in order: header (zh) and the flattened item's field. */
export const EXPORT_COLUMNS: [string, string][] = [
  ['事项编码', 'code'],
  ['基本编码', 'baseCode'],
  ['事项名称', 'name'],
  ['事项类型', 'typeName'],
  ['实施主体', 'departmentName'],
  ['实施主体编码', 'departmentCode'],
  ['审查部门编码', 'reviewDepartmentCode'],
  ['决定部门编码', 'decisionDepartmentCode'],
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
  ['办理层级', 'serviceLevelNames'],
  ['办理渠道', 'channelNames'],
  ['受理条件', 'acceptanceConditions'],
  ['是否收费', 'feeChargedText'],
  ['收费依据', 'feeBasis'],
  ['收费标准', 'feeStandard'],
  ['设定依据', 'legalBasis'],
  ['申请材料', 'materialNames'],
  ['主题', 'themeList'],
  ['关键词', 'keywordList'],
];
