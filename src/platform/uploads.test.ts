import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { contentDispositionHeader, sanitizeFileName, sniffUpload, uploadFileName, uploadText } from './uploads.js';
import { EXE, PDF_START, PNG, zipOf } from '../../test/support/files.js';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('upload sniffing', () => {
  it('takes a PDF only when its bytes start as a PDF', async () => {
    expect(await sniffUpload(PDF_START, 'pdf')).toBe('pdf');
    const png = await refusal(sniffUpload(PNG, 'pdf'));
    expect(png.code).toBe('UPLOAD_TYPE_MISMATCH');
    expect(png.status).toBe(415);
    expect(png.params.expected).toEqual({ 'zh-CN': 'PDF 文件（application/pdf）', en: 'a PDF file (application/pdf)' });
    expect(png.params.found).toEqual({ 'zh-CN': 'image/png（.png）', en: 'image/png (.png)' });
    expect((await refusal(sniffUpload(EXE, 'pdf'))).params.found).toMatchObject({ en: 'application/x-msdownload (.exe)' });
    // "%PDF" somewhere later is not a PDF
    expect((await refusal(sniffUpload(Buffer.concat([Buffer.from('junk\n'), PDF_START]), 'pdf'))).params.found).toMatchObject({ en: 'unrecognised binary data' });
    expect((await refusal(sniffUpload(Buffer.alloc(0), 'pdf'))).params.found).toMatchObject({ en: 'an empty file' });
  });

  it('takes an .xlsx only when it is a ZIP holding an Office Open XML workbook', async () => {
    const workbook = zipOf('[Content_Types].xml', '<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>');
    expect(await sniffUpload(workbook, 'xlsx')).toBe('xlsx');
    const document = zipOf('[Content_Types].xml', '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
    expect((await refusal(sniffUpload(document, 'xlsx'))).params.found).toMatchObject({ en: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document (.docx)' });
    const plainZip = await refusal(sniffUpload(zipOf('readme.txt', 'hello'), 'xlsx'));
    expect(plainZip.params.found).toMatchObject({ en: 'application/zip (.zip)' });
    expect((await refusal(sniffUpload(PNG, 'xlsx'))).code).toBe('UPLOAD_TYPE_MISMATCH');
    expect((await refusal(sniffUpload(Buffer.from('a,b\n1,2'), 'xlsx'))).params.found).toMatchObject({ en: 'unrecognised binary data' });
  });

  it('takes CSV and JSON only as UTF-8 text without NUL bytes or a binary signature', async () => {
    expect(await uploadText(Buffer.from('\ufeff类型,姓名\nresident_id,陈清华\n'), 'csv')).toBe('类型,姓名\nresident_id,陈清华\n');
    expect(await sniffUpload(Buffer.from('{"rows":[]}'), 'json')).toBe('json');
    expect(await sniffUpload(Buffer.alloc(0), 'csv')).toBe('csv');
    expect((await refusal(sniffUpload(PNG, 'csv'))).params.found).toMatchObject({ en: 'image/png (.png)' });
    expect((await refusal(sniffUpload(EXE, 'csv'))).params.found).toMatchObject({ en: 'application/x-msdownload (.exe)' });
    expect((await refusal(sniffUpload(Buffer.from('a,b\n1,\0'), 'csv'))).params.found).toMatchObject({ en: 'binary data (NUL bytes)' });
    const gbk = await refusal(sniffUpload(Buffer.from([0xc7, 0xe5, 0xb3, 0xc7, 0x2c, 0x61]), 'csv'));
    expect(gbk.params.found).toMatchObject({ 'zh-CN': expect.stringContaining('不是 UTF-8') });
    expect(gbk.params.expected).toEqual({ 'zh-CN': 'UTF-8 编码的 CSV 文本', en: 'CSV text in UTF-8' });
    const either = await refusal(sniffUpload(PNG, ['xlsx', 'csv']));
    expect(either.params.expected).toEqual({ 'zh-CN': 'Excel 工作簿（.xlsx）或UTF-8 编码的 CSV 文本', en: 'an Excel workbook (.xlsx) or CSV text in UTF-8' });
  });
});

describe('file names', () => {
  it('keeps only a harmless last path segment', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\陈\\营业执照.pdf')).toBe('营业执照.pdf');
    expect(sanitizeFileName('a"b\'c`d<e>f:g|h?i*j.pdf')).toBe('abcdefghij.pdf');
    expect(sanitizeFileName('bad\u0000\u0007\r\nname\u007f\u0085.pdf')).toBe('badname.pdf');
    // right-to-left override: "invoice\u202Efdp.exe" shows as "invoiceexe.pdf"
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFileName('..')).toBe('file');
    expect(sanitizeFileName('.bashrc')).toBe('bashrc');
    expect(sanitizeFileName('  a   b  .pdf ')).toBe('a b .pdf');
    expect(sanitizeFileName('\ud800x.pdf')).toBe('x.pdf');
    expect(sanitizeFileName('///', '')).toBe('');
    const long = sanitizeFileName(`${'长'.repeat(300)}.xlsx`);
    expect([...long]).toHaveLength(120);
    expect(long.endsWith('.xlsx')).toBe(true);
  });

  it('reads a name from a request Content-Disposition, filename* first', () => {
    expect(uploadFileName(`attachment; filename="catalog.csv"; filename*=UTF-8''${encodeURIComponent('../事项目录.csv')}`)).toBe('事项目录.csv');
    expect(uploadFileName('attachment; filename="..\\\\..\\\\x.csv"')).toBe('x.csv');
    expect(uploadFileName('attachment')).toBeUndefined();
    expect(uploadFileName('not a header; ;;')).toBeUndefined();
    expect(uploadFileName(undefined)).toBeUndefined();
  });

  it('writes the header the server sends: an ASCII filename and a UTF-8 filename* (RFC 6266/5987)', () => {
    expect(contentDispositionHeader('inline', '受理通知书-QCSL2026000001.pdf', 'QCSL2026000001.pdf')).toBe(
      `inline; filename="QCSL2026000001.pdf"; filename*=UTF-8''${encodeURIComponent('受理通知书-QCSL2026000001.pdf')}`,
    );
    expect(contentDispositionHeader('attachment', 'report.pdf')).toBe('attachment; filename="report.pdf"');
    const evil = contentDispositionHeader('attachment', 'a"; filename*=UTF-8\'\'evil.exe\r\nX-Injected: 1');
    expect(evil).not.toMatch(/[\r\n]/);
    expect(evil).toBe('attachment; filename="a; filename=UTF-8evil.exeX-Injected 1"');
    expect(contentDispositionHeader('attachment', '营业执照.pdf')).toBe(`attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('营业执照.pdf')}`);
  });
});
