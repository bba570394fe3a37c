/**
 * Uploads (issue #6, bad input): every route that takes a file reads its type from the bytes, not
 * from the name or the Content-Type; a renamed program or picture is refused with 415
 * UPLOAD_TYPE_MISMATCH and nothing stored changes; a file over the route's limit is refused with
 * 413; file names taken from clients and sent to them are safe.
 */
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../src/db/testing.js';
import { loadItemInputs, upsertItems } from '../src/modules/catalog/service.js';
import { UPLOAD_LIMITS, XLSX_TYPE } from '../src/platform/uploads.js';
import { startTestApp, type TestApp } from './support/app.js';
import { EXE, PNG, zipOf } from './support/files.js';
import { dbFingerprint } from './support/fingerprint.js';
import { testItem } from './support/items.js';

const FIXTURE = testItem({ code: 'TEST-UPLOAD-1', name: '上传测试事项' });

async function pdfBytes(): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text('not one of ours');
    doc.end();
  });
}

async function workbook(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('事项目录');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(testBackends())('uploads are sniffed, limited and named safely on %s', (backend) => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp(backend);
    await upsertItems(t.database.db, [FIXTURE]);
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  /** POST as the admin, or anonymously with `token` null. */
  const post = (url: string, type: string, payload: Buffer | string, headers: Record<string, string> = {}, token: string | null = admin) =>
    t.app.inject({ method: 'POST', url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': type, ...headers }, payload });

  /** Sends each refused upload, checking the code, the status and that nothing stored changed. */
  async function expectRefused(sends: [string, () => Promise<{ statusCode: number; json(): { error: { code: string; message: string } } }>, number, string][]) {
    const before = await dbFingerprint(t.database.db);
    for (const [what, send, status, code] of sends) {
      const res = await send();
      expect({ what, status: res.statusCode, code: res.json().error?.code }).toEqual({ what, status, code });
    }
    expect(await dbFingerprint(t.database.db)).toEqual(before);
  }

  it('catalogue import: refuses a renamed program, picture, PDF or plain ZIP, and GBK text', async () => {
    await expectRefused([
      ['EXE as .csv', () => post('/api/v1/catalog/import', 'text/csv', EXE, { 'content-disposition': 'attachment; filename="catalog.csv"' }), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['PNG as .csv', () => post('/api/v1/catalog/import', 'text/csv', PNG), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['EXE as .xlsx', () => post('/api/v1/catalog/import', XLSX_TYPE, EXE, { 'content-disposition': 'attachment; filename="catalog.xlsx"' }), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['PNG as .xlsx', () => post('/api/v1/catalog/import', XLSX_TYPE, PNG), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['ZIP as .xlsx', () => post('/api/v1/catalog/import', XLSX_TYPE, zipOf('readme.txt', 'hello')), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['text as .xlsx', () => post('/api/v1/catalog/import', XLSX_TYPE, Buffer.from('事项编码,事项名称\nX,Y')), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['GBK text as .csv', () => post('/api/v1/catalog/import', 'text/csv', Buffer.from([0xc7, 0xe5, 0xb3, 0xc7, 0x2c, 0x61])), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['NUL bytes in .csv', () => post('/api/v1/catalog/import', 'text/csv', Buffer.from('事项编码,事项名称\nX\0,Y')), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['PDF as image/png', () => post('/api/v1/catalog/import', 'image/png', PNG), 415, 'UNSUPPORTED_CATALOG_FILE'],
      ['over 10 MB', () => post('/api/v1/catalog/import', 'text/csv', Buffer.alloc(UPLOAD_LIMITS.catalog + 1, 0x41)), 413, 'PAYLOAD_TOO_LARGE'],
    ]);
    const res = await post('/api/v1/catalog/import', XLSX_TYPE, PNG, { 'accept-language': 'en' });
    expect(res.json().error.message).toBe('The uploaded file is not of the expected type: expected an Excel workbook (.xlsx), found image/png (.png)');
    expect((await post('/api/v1/catalog/import', 'text/csv', EXE)).json().error.message).toBe('上传文件的内容与类型不符：应为UTF-8 编码的 CSV 文本，实际为application/x-msdownload（.exe）');
  });

  it('catalogue import: takes a good CSV and .xlsx, the file name made safe as their source', async () => {
    const csv = '事项编码,事项名称,事项类型,实施主体\nUP-CSV-1,上传CSV事项,行政许可,QC-SPJ';
    const name = `attachment; filename="x.csv"; filename*=UTF-8''${encodeURIComponent('..\\..\\"事项"目录\u202E.csv')}`;
    const r1 = await post('/api/v1/catalog/import', 'text/csv', Buffer.from(csv), { 'content-disposition': name });
    expect(r1.statusCode).toBe(200);
    expect(r1.json()).toMatchObject({ saved: 1, created: 1, rejected: [] });
    const r2 = await post('/api/v1/catalog/import', XLSX_TYPE, await workbook([['事项编码', '事项名称', '事项类型', '实施主体'], ['UP-XLSX-1', '上传表格事项', '行政许可', 'QC-SPJ']]));
    expect(r2.statusCode).toBe(200);
    expect(r2.json()).toMatchObject({ saved: 1, created: 1, rejected: [] });
    const stored = await loadItemInputs(t.database.db, ['UP-CSV-1', 'UP-XLSX-1']);
    expect(stored.get('UP-CSV-1')?.limitSource.note).toMatch(/^imported from 事项目录\.csv/);
    expect(stored.get('UP-XLSX-1')?.limitSource.note).toMatch(/^imported from upload/);
  });

  it('licence import: refuses pictures, programs, GBK and NUL bytes as CSV or JSON; takes good ones', async () => {
    const csv = 'type,holderIdNumber,holderName,validFrom\nresident_id,44180219900101001X,陈清华,2026-01-01';
    await expectRefused([
      ['PNG as CSV', () => post('/api/v1/licenses/import', 'text/csv', PNG), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['EXE as CSV', () => post('/api/v1/licenses/import', 'text/csv', EXE), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['PDF-less ZIP as CSV', () => post('/api/v1/licenses/import', 'text/csv', zipOf('a.csv', csv)), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['GBK CSV', () => post('/api/v1/licenses/import', 'text/csv', Buffer.from([0xc7, 0xe5, 0xb3, 0xc7, 0x2c, 0x61])), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['NUL in CSV', () => post('/api/v1/licenses/import', 'text/csv', Buffer.from(`${csv}\0`)), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['PNG as JSON', () => post('/api/v1/licenses/import', 'application/json', PNG), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['GBK bytes in JSON', () => post('/api/v1/licenses/import', 'application/json', Buffer.concat([Buffer.from('{"rows":[{"holderName":"'), Buffer.from([0xb3, 0xc2]), Buffer.from('"}]}')])), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['over 10 MB', () => post('/api/v1/licenses/import', 'text/csv', Buffer.alloc(UPLOAD_LIMITS.licenses + 1, 0x41)), 413, 'PAYLOAD_TOO_LARGE'],
      ['JSON over 10 MB', () => post('/api/v1/licenses/import', 'application/json', `{"rows":[],"x":"${'a'.repeat(UPLOAD_LIMITS.licenses)}"}`), 413, 'PAYLOAD_TOO_LARGE'],
      ['anonymous', () => post('/api/v1/licenses/import', 'text/csv', PNG, {}, null), 401, 'UNAUTHENTICATED'],
    ]);
    const good = await post('/api/v1/licenses/import', 'text/csv', Buffer.from(`\ufeff${csv}`));
    expect(good.statusCode).toBe(200);
    const json = await post('/api/v1/licenses/import', 'application/json', Buffer.from(JSON.stringify({ rows: [] })));
    expect(json.statusCode).toBe(200);
    // other licence routes keep the server's 1 MiB JSON limit
    const big = await t.app.inject({ method: 'POST', url: '/api/v1/licenses/x/status', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, payload: `{"status":"valid","reason":"${'a'.repeat(1024 * 1024)}"}` });
    expect(big.statusCode).toBe(413);
  });

  it('document verification: refuses anything that does not start as a PDF; takes a PDF', async () => {
    await expectRefused([
      ['PNG as PDF', () => post('/api/v1/verify', 'application/pdf', PNG, {}, null), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['EXE as PDF', () => post('/api/v1/verify', 'application/pdf', EXE, {}, null), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['EXE as octet-stream', () => post('/api/v1/verify', 'application/octet-stream', EXE, {}, null), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['text as PDF', () => post('/api/v1/verify', 'application/pdf', Buffer.from('QCSL2026000001'), {}, null), 415, 'UPLOAD_TYPE_MISMATCH'],
      ['empty', () => post('/api/v1/verify', 'application/pdf', Buffer.alloc(0), {}, null), 415, 'PDF_REQUIRED'],
      ['over 10 MB', () => post('/api/v1/verify', 'application/pdf', Buffer.alloc(UPLOAD_LIMITS.verifyPdf + 1, 0x25), {}, null), 413, 'PAYLOAD_TOO_LARGE'],
    ]);
    const res = await post('/api/v1/verify', 'application/pdf', await pdfBytes(), {}, null);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ valid: false, reason: 'NOT_FOUND' });
  });

  it('sends a document PDF under a safe name: ASCII filename and RFC 5987 filename* in Chinese', async () => {
    const citizen = await t.login('citizen');
    const submitted = await t.call('POST', '/api/v1/applications', citizen, { itemCode: FIXTURE.code, form: {}, materials: [] }, { 'idempotency-key': crypto.randomUUID() });
    expect(submitted.statusCode).toBe(201);
    const { id } = submitted.json();
    expect((await t.call('POST', `/api/v1/applications/${id}/actions/accept`, await t.login('clerk'), { version: 1 })).statusCode).toBe(200);
    const detail = (await t.call('GET', `/api/v1/applications/${id}`, citizen)).json();
    const number = (detail.documents as { number: string; kind: string }[]).find((d) => d.kind === 'acceptance_notice')!.number;
    const pdf = await t.call('GET', `/api/v1/documents/${number}/pdf`, citizen);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`inline; filename="${number}.pdf"; filename*=UTF-8''${encodeURIComponent(`受理通知书-${number}.pdf`)}`);
    // and the platform's own PDF passes the verification route's sniffing
    expect((await post('/api/v1/verify', 'application/pdf', pdf.rawPayload, {}, null)).json()).toMatchObject({ valid: true });
  });

  it('keeps a material\'s file name without path, control characters or quotes', async () => {
    const citizen = await t.login('citizen');
    const materials = [{ materialId: undefined, name: '申请表', fileName: '..\\..\\C:/"申请表"\u0007\u202E.pdf' }];
    const res = await t.call('POST', '/api/v1/applications', citizen, { itemCode: FIXTURE.code, form: {}, materials }, { 'idempotency-key': crypto.randomUUID() });
    expect(res.statusCode).toBe(201);
    const detail = (await t.call('GET', `/api/v1/applications/${res.json().id}`, citizen)).json();
    expect(detail.materials.map((m: { fileName?: string }) => m.fileName)).toEqual(['申请表.pdf']);
  });
});
