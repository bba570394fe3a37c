import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing.js';
import { startTestApp, type TestApp } from '../../../test/support/app.js';
import { importCatalog, saveItems } from './service.js';

const GUANGAN = path.resolve(import.meta.dirname, '../../../test/fixtures/guangan_511602_items.csv');

const BASE = {
  type: '01',
  departmentCode: 'QC-SPJ',
  statutoryLimitDays: 20,
  committedLimitDays: 5,
  projectType: 'commitment',
  onlineDepth: 'IV',
  requiredVisits: 0,
  serviceObjects: ['2'],
  materials: [{ name: '申请表' }],
};

describe.each(testBackends())('catalogue rules, import and export on %s', (backend) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp(backend);
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  it('enforces each consistency rule on save, saving the valid rows only', async () => {
    const rows = [
      { ...BASE, code: 'T-OK', name: '合规事项' },
      { ...BASE, code: 'T-IMM', name: '即办件但有时限', projectType: 'immediate', committedLimitDays: 2 },
      { ...BASE, code: 'T-IV', name: '四级却要跑动', requiredVisits: 1, visitReason: '核验原件' },
      { ...BASE, code: 'T-FEE', name: '收费无依据', fees: { charged: true } },
      { ...BASE, code: 'T-LONG', name: '承诺长于法定', committedLimitDays: 25 },
      { ...BASE, code: 'T-VISIT', name: '跑动无理由', onlineDepth: 'III', requiredVisits: 1 },
      { ...BASE, code: 'T-DEPT', name: '部门不存在', departmentCode: 'NOPE' },
      { ...BASE, code: 'T-COMMIT', name: '告知承诺无文本', notificationCommitment: { eligible: true } },
      { ...BASE, code: 'T-STEP', name: '联审部门不存在', reviewSteps: [{ name: '联合审查', role: 'reviewer', department: 'review', joint: ['QC-ZJJ', 'NOPE-2'] }] },
      // BASE's review department is QC-SPJ: `review` and QC-SPJ are the same department
      { ...BASE, code: 'T-JOINT', name: '联审部门重复', reviewSteps: [{ name: '联合审查', role: 'reviewer', department: 'review', joint: ['review', 'QC-SPJ'] }] },
    ];
    const r = await saveItems(t.database.db, rows);
    expect(r.saved).toBe(1);
    expect(r.rejected.map((x) => [x.row, x.code, x.reasons.map((y) => y.rule)])).toEqual([
      [2, 'T-IMM', ['IMMEDIATE_ITEM_LIMIT']],
      [3, 'T-IV', ['DEPTH_IV_VISITS']],
      [4, 'T-FEE', ['FEE_BASIS']],
      [5, 'T-LONG', ['COMMITTED_EXCEEDS_STATUTORY']],
      [6, 'T-VISIT', ['VISIT_REASON']],
      [7, 'T-DEPT', ['UNKNOWN_DEPARTMENT']],
      [8, 'T-COMMIT', ['COMMITMENT_TEXT']],
      [9, 'T-STEP', ['UNKNOWN_DEPARTMENT']],
      [10, 'T-JOINT', ['REVIEW_STEPS']],
    ]);
    expect((await t.call('GET', '/api/v1/items/T-OK')).statusCode).toBe(200);
    expect((await t.call('GET', '/api/v1/items/T-IMM')).statusCode).toBe(404);
  });

  it('imports the real Guangan catalogue (1,135 items) cleanly, keeping its limits unknown', async () => {
    const progress: number[] = [];
    const r = await importCatalog(t.database.db, fs.readFileSync(GUANGAN), 'csv', {
      source: 'guangan_511602_items.csv',
      createDepartments: true,
      regionCode: '511602',
      onProgress: (done) => progress.push(done),
    });
    expect(r).toMatchObject({ total: 1135, saved: 1135, rejected: [] });
    expect(progress.at(-1)).toBe(1135);
    const item = (await t.call('GET', '/api/v1/items?pageSize=50&q=' + encodeURIComponent('适龄儿童 延缓入学'))).json().items.find((i: { code: string }) => i.code.includes('-511602000000-'));
    expect(item).toMatchObject({ statutoryLimitDays: null, committedLimitDays: null, limitUnknown: true, type: '01' });
    const dept = (await t.call('GET', '/api/v1/departments')).json().items.find((d: { name: string }) => d.name === '区教科体局');
    expect(dept).toMatchObject({ regionCode: '511602' });
  });

  it('imports a CSV through the admin API, reporting bad rows by their file row number', async () => {
    const csv = ['事项编码,事项名称,事项类型,实施主体,法定时限,承诺时限,办件类型,网办深度,跑动次数', 'C-1,测试甲,行政许可,QC-SPJ,20,5,承诺件,Ⅳ,0', 'C-2,测试乙,行政许可,QC-SPJ,20,30,承诺件,Ⅳ,0', 'C-3,测试丙,公共服务,清远市清城区行政审批局,,0,即办件,Ⅲ,1'].join('\n');
    const forbidden = await t.app.inject({ method: 'POST', url: '/api/v1/catalog/import', headers: { authorization: `Bearer ${await t.login('clerk')}`, 'content-type': 'text/csv' }, payload: csv });
    expect(forbidden.statusCode).toBe(403);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/catalog/import', headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.saved).toBe(1);
    // header is row 1: C-2 is row 3 (committed 30 > statutory 20), C-3 row 4 (1 visit, no reason)
    expect(body.rejected.map((r: { row: number; reasons: { rule: string }[] }) => [r.row, r.reasons.map((x) => x.rule)])).toEqual([
      [3, ['COMMITTED_EXCEEDS_STATUTORY']],
      [4, ['VISIT_REASON']],
    ]);
  });

  it('saves one item through the admin API, refusing a broken rule with 422 and keeping the stored item', async () => {
    const item = { ...BASE, name: '管理员新增事项' };
    expect((await t.call('PUT', '/api/v1/items/T-ADMIN', await t.login('clerk'), item)).statusCode).toBe(403);
    const ok = await t.call('PUT', '/api/v1/items/T-ADMIN', admin, item);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ code: 'T-ADMIN', name: '管理员新增事项', committedLimitDays: 5, pinyinInitials: 'glyxzsx' });
    const typeError = await t.call('PUT', '/api/v1/items/T-ADMIN', admin, { ...item, requiredVisits: 'two' });
    expect(typeError.statusCode).toBe(400);
    expect(typeError.json().error.message).toBe('请求数据不符合要求：requiredVisits：应为数字');
    expect((await t.call('PUT', '/api/v1/items/a..%2Fb', admin, item)).statusCode).toBe(400);
    for (const broken of [
      { limitUnknown: true },
      { committedLimitUnit: 'same_day' },
      { channels: ['window'] },
      { kioskAvailable: true },
      { serviceObjects: ['7'] },
    ]) {
      expect((await t.call('PUT', '/api/v1/items/T-ADMIN', admin, { ...item, ...broken })).statusCode).toBeGreaterThanOrEqual(400);
    }
    const bad = await t.call('PUT', '/api/v1/items/T-ADMIN', admin, { ...item, name: '改坏了', onlineDepth: 'IV', requiredVisits: 2, visitReason: '领证' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toEqual({ code: 'ITEM_RULES_BROKEN', message: '事项不符合目录规则：网办深度Ⅳ级（全程网办）的跑动次数必须为 0' });
    expect((await t.call('GET', '/api/v1/items/T-ADMIN')).json().name).toBe('管理员新增事项');
  });

  const upload = (payload: string | Buffer, type = 'text/csv') =>
    t.app.inject({ method: 'POST', url: '/api/v1/catalog/import', headers: { authorization: `Bearer ${admin}`, 'content-type': type }, payload });

  it('updates existing items only in the columns a file gives', async () => {
    const before = (await t.call('GET', '/api/v1/items/QC-SPJ-002')).json();
    const res = await upload('事项编码,事项名称,事项类型,实施主体\nQC-SPJ-002,商品房预售许可,行政许可,QC-SPJ');
    expect(res.json()).toMatchObject({ total: 1, saved: 1, created: 0, updated: 1, rejected: [] });
    const after = (await t.call('GET', '/api/v1/items/QC-SPJ-002')).json();
    expect(after).toEqual(before);
  });

  it('takes its own export back without losing anything', async () => {
    const guide = async (code: string) => (await t.call('GET', `/api/v1/items/${code}`)).json();
    const before = await Promise.all(['QC-SPJ-001', 'QC-GA-001', 'QC-GJJ-001'].map(guide));
    const themeCount = (await t.call('GET', '/api/v1/items?theme=construction')).json().total;
    const file = (await t.app.inject({ method: 'GET', url: '/api/v1/catalog/export.xlsx' })).rawPayload;
    const res = (await upload(file, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).json();
    expect(res.rejected).toEqual([]);
    expect(res.created).toBe(0);
    expect(await Promise.all(['QC-SPJ-001', 'QC-GA-001', 'QC-GJJ-001'].map(guide))).toEqual(before);
    expect((await t.call('GET', '/api/v1/items?theme=construction')).json().total).toBe(themeCount);
  });

  it('refuses unreadable files and cells with a 4xx, and a code twice', async () => {
    expect((await upload('事项编码,事项名称\n"T-Q1,未闭合')).json().error.code).toBe('CATALOG_FILE_INVALID');
    // bytes that are no workbook at all are refused by their type (415), before Excel reads them
    expect((await upload(Buffer.from('not a zip'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).json().error.code).toBe('UPLOAD_TYPE_MISMATCH');
    expect((await upload('')).statusCode).toBe(400);
    expect((await upload(Buffer.from([0xc7, 0xe5, 0xb3, 0xc7, 0x2c, 0x61]))).json().error.code).toBe('UPLOAD_TYPE_MISMATCH'); // GBK bytes are not UTF-8 CSV text
    expect((await upload('foo,bar\n1,2')).json().error.code).toBe('CATALOG_COLUMNS_MISSING');
    expect((await upload(`事项编码,事项名称,申请材料\nT-BIG,大字段,${'甲'.repeat(120_000)}`)).json().error.code).toBe('CATALOG_FILE_INVALID');
    const wrongType = await upload('事项编码,事项名称\nX,Y', 'text/plain');
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.code).toBe('UNSUPPORTED_CATALOG_FILE');
    const rows = ['事项编码,事项名称,事项类型,实施主体,法定时限', 'T-M1,三个月事项,行政许可,QC-SPJ,3个月', 'T-M2,负数事项,行政许可,QC-SPJ,-5', 'T-M3,正常事项,行政许可,QC-SPJ,20个工作日', 'T-M3,重复编码,行政许可,QC-SPJ,20'];
    const r = (await upload(rows.join('\n'))).json();
    expect(r.saved).toBe(1);
    expect(r.rejected.map((x: { row: number; reasons: { rule: string }[] }) => [x.row, x.reasons[0]!.rule])).toEqual([
      [2, 'CELL_UNREADABLE'],
      [3, 'CELL_UNREADABLE'],
      [5, 'DUPLICATE_CODE'],
    ]);
    expect((await t.call('GET', '/api/v1/items/T-M3')).json()).toMatchObject({ statutoryLimitDays: 20, statutoryLimitUnit: 'working_day', committedLimitDays: 20 });
  });

  it('exports the catalogue and the implementation list to Excel', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/export.xlsx' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['事项目录', '实施清单']);
    const ws = wb.getWorksheet('事项目录')!;
    expect(ws.getRow(1).getCell(3).text).toBe('事项名称');
    const names: string[] = [];
    ws.eachRow((row, n) => n > 1 && names.push(row.getCell(3).text));
    expect(names).toContain('建筑工程施工许可证核发');
  });

  it('serves the export again from its cache until the catalogue changes', async () => {
    const names = async () => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await t.app.inject({ method: 'GET', url: '/api/v1/catalog/export.xlsx' })).rawPayload as unknown as ArrayBuffer);
      const out: string[] = [];
      wb.getWorksheet('事项目录')!.eachRow((row, n) => n > 1 && out.push(row.getCell(3).text));
      return out;
    };
    const first = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/export.xlsx' });
    const again = await t.app.inject({ method: 'GET', url: '/api/v1/catalog/export.xlsx' });
    expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(first.headers['content-disposition']).toBe(`attachment; filename="catalog.xlsx"; filename*=UTF-8''${encodeURIComponent('事项目录与实施清单.xlsx')}`);
    expect(await names()).not.toContain('缓存后新增事项');
    await upload('事项编码,事项名称,事项类型,实施主体\nT-CACHE-1,缓存后新增事项,行政许可,QC-SPJ');
    expect(await names()).toContain('缓存后新增事项');
  });

  it('finds items by pinyin initials and filters by channel and level', async () => {
    const names = async (q: string) => (await t.call('GET', `/api/v1/items?pageSize=100&q=${encodeURIComponent(q)}`)).json().items.map((i: { name: string }) => i.name);
    expect(await names('jzgcsgxkz')).toContain('建筑工程施工许可证核发');
    expect(await names('sgxk')).toEqual(expect.arrayContaining(['建筑工程施工许可证核发', '夜间施工许可']));
    expect(await names('营业执照 变更')).toContain('企业变更登记');
    expect((await names('养老保险')).length).toBeGreaterThan(0);
    for (const n of await names('养老保险')) expect(n).toMatch(/养老/);
    const kiosk = (await t.call('GET', '/api/v1/items?channel=kiosk&pageSize=100')).json();
    expect(kiosk.items.every((i: { channels: string[] }) => i.channels.includes('kiosk'))).toBe(true);
    expect((await t.call('GET', '/api/v1/items?level=province')).statusCode).toBe(400);
  });
});
