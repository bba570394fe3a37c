/**
 * Uploaded files: their type is read from their bytes, never trusted from the file name or the
 * declared Content-Type, and file names (taken from a client or sent to one) are made safe.
 *
 * - {@link sniffUpload} checks that the bytes are what the route expects: a PDF starts as a PDF
 *   (`%PDF-`), an .xlsx is a ZIP holding an Office Open XML workbook, CSV and JSON are UTF-8 text
 *   without NUL bytes and without the signature of a binary format. The signatures are those of
 *   the maintained `file-type` package (`fileTypeFromBuffer`). Anything else is refused with 415
 *   `UPLOAD_TYPE_MISMATCH`, naming what was expected and what was found.
 * - Sizes are limited by each route's `bodyLimit` (Fastify answers 413 `PAYLOAD_TOO_LARGE` while
 *   reading the body, before anything is parsed); {@link UPLOAD_LIMITS} holds the limits.
 * - {@link sanitizeFileName} makes a client's file name harmless (no path, no control or bidi
 *   characters, no quotes); {@link uploadFileName} reads one from a `Content-Disposition`
 *   request header; {@link contentDispositionHeader} writes the header the server sends, with an
 *   ASCII `filename` and the UTF-8 `filename*` of RFC 6266 / RFC 5987 for Chinese names.
 */
import contentDisposition from 'content-disposition';
import type { FastifyInstance } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from './errors.js';

/** The kinds of file the platform accepts. */
export type UploadKind = 'pdf' | 'xlsx' | 'csv' | 'json';

/**
 * Largest upload each route takes, in bytes: the route's `bodyLimit`, which Fastify applies to
 * every body parser of the route (413 `PAYLOAD_TOO_LARGE` beyond). Body parsers of upload types
 * set no limit of their own, so the other routes of a plugin keep the server's 1 MiB.
 */
export const UPLOAD_LIMITS = {
  /** POST /catalog/import: a catalogue as .csv or .xlsx */
  catalog: 10 * 1024 * 1024,
  /** POST /licenses/import: licences as CSV or JSON */
  licenses: 10 * 1024 * 1024,
  /** POST /verify: a notice or decision PDF (the platform's own are well under 1 MB) */
  verifyPdf: 10 * 1024 * 1024,
} as const;

/** The media type of `.xlsx` workbooks. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const EXPECTED: Record<UploadKind, { 'zh-CN': string; en: string }> = {
  pdf: { 'zh-CN': 'PDF 文件（application/pdf）', en: 'a PDF file (application/pdf)' },
  xlsx: { 'zh-CN': 'Excel 工作簿（.xlsx）', en: 'an Excel workbook (.xlsx)' },
  csv: { 'zh-CN': 'UTF-8 编码的 CSV 文本', en: 'CSV text in UTF-8' },
  json: { 'zh-CN': 'UTF-8 编码的 JSON 文本', en: 'JSON text in UTF-8' },
};

/** Bidi controls: `invoice\u202Egpj.exe` shows as `invoiceexe.jpg`. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** C0 and C1 controls and DEL; quotes; path separators; what Windows forbids in names; unpaired surrogates. */
const UNSAFE_IN_NAME = /[\u0000-\u001F\u007F-\u009F"'`<>:|?*\\/]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Longest file name kept, in characters (the extension is kept when shortening). */
export const MAX_FILE_NAME_CHARS = 120;

/**
 * A client's file name made harmless to store, show and send back in a header: the last path
 * segment only (`C:\\a\\b.pdf` and `../../b.pdf` give `b.pdf`); control characters, bidi
 * controls, unpaired surrogates, quotes, backticks and `<>:|?*` removed; whitespace runs made one
 * space; leading dots and spaces removed (no hidden files, no `..`); at most
 * {@link MAX_FILE_NAME_CHARS} characters, keeping the extension. Chinese is kept as it is (NFC).
 * @returns the safe name, or `fallback` when nothing is left
 */
export function sanitizeFileName(name: string, fallback = 'file'): string {
  const last = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  let safe = last
    .replace(BIDI_CONTROLS, '')
    .replace(UNSAFE_IN_NAME, '')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+/, '')
    .trim();
  const chars = [...safe];
  if (chars.length > MAX_FILE_NAME_CHARS) {
    const dot = safe.lastIndexOf('.');
    const ext = dot > 0 && safe.length - dot <= 10 ? [...safe.slice(dot)] : [];
    safe = chars.slice(0, MAX_FILE_NAME_CHARS - ext.length).join('') + ext.join('');
  }
  return safe || fallback;
}

/**
 * The file name a request names in its `Content-Disposition` header (`filename*` preferred over
 * `filename`, RFC 6266), made safe by {@link sanitizeFileName}; undefined when there is no header,
 * no name, or the header cannot be parsed.
 */
export function uploadFileName(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  try {
    const name = contentDisposition.parse(value).parameters.filename;
    return name ? sanitizeFileName(name) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `Content-Disposition` header for a file the server sends: the name made safe
 * ({@link sanitizeFileName}), an ASCII `filename` (non-ASCII characters replaced by `_`, or
 * `asciiFallback`) and, when the name is not ASCII, `filename*=UTF-8''…` (RFC 5987) for the
 * browsers of all users, who then save `受理通知书-QCSL2026000001.pdf`.
 */
export function contentDispositionHeader(disposition: 'inline' | 'attachment', fileName: string, asciiFallback?: string): string {
  const safe = sanitizeFileName(fileName);
  const ascii = sanitizeFileName(asciiFallback ?? safe.replace(/[^\u0020-\u007E]/g, '_'));
  return contentDisposition(safe, { type: disposition, fallback: ascii });
}

/** What a text upload of `kind` must be, as the `expected` parameter of UPLOAD_TYPE_MISMATCH. */
function mismatch(kind: UploadKind, found: { 'zh-CN': string; en: string }): AppError {
  return new AppError('UPLOAD_TYPE_MISMATCH', { expected: EXPECTED[kind], found });
}

/** Whether `bytes` are UTF-8 text: no NUL byte, and valid UTF-8 (a BOM is allowed). */
function textProblem(bytes: Uint8Array): { 'zh-CN': string; en: string } | undefined {
  if (bytes.includes(0)) return { 'zh-CN': '含空字节（0x00）的二进制数据', en: 'binary data (NUL bytes)' };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { 'zh-CN': '不是 UTF-8 编码的文本（如 GBK；请另存为“CSV UTF-8”）', en: 'text that is not UTF-8 (e.g. GBK; save it as "CSV UTF-8")' };
  }
  return undefined;
}

/**
 * Reads the type of `bytes` from their content and checks it is one of `expected`.
 * @returns the kind found (the first of `expected` that matches)
 * @throws AppError UPLOAD_TYPE_MISMATCH (415) naming the kinds expected and what was found
 */
export async function sniffUpload(bytes: Uint8Array, expected: UploadKind | readonly UploadKind[]): Promise<UploadKind> {
  const kinds = typeof expected === 'string' ? [expected] : expected;
  // a malformed container (a broken ZIP, say) may make the reader throw: that is no known type
  const detected = bytes.length ? await fileTypeFromBuffer(bytes).catch(() => undefined) : undefined;
  let found: { 'zh-CN': string; en: string } | undefined = detected ? { 'zh-CN': `${detected.mime}（.${detected.ext}）`, en: `${detected.mime} (.${detected.ext})` } : undefined;
  for (const kind of kinds) {
    if (kind === 'pdf' && detected?.mime === 'application/pdf') return kind;
    if (kind === 'xlsx' && detected?.mime === XLSX_TYPE) return kind;
    if ((kind === 'csv' || kind === 'json') && !detected) {
      const problem = textProblem(bytes);
      if (!problem) return kind;
      found = problem;
    }
  }
  if (!found) found = bytes.length ? { 'zh-CN': '无法识别的二进制数据', en: 'unrecognised binary data' } : { 'zh-CN': '空文件', en: 'an empty file' };
  const join = (lang: 'zh-CN' | 'en') => kinds.map((k) => EXPECTED[k][lang]).join(lang === 'en' ? ' or ' : '或');
  throw new AppError('UPLOAD_TYPE_MISMATCH', { expected: { 'zh-CN': join('zh-CN'), en: join('en') }, found });
}

/**
 * The bytes of a CSV or JSON upload as text, after {@link sniffUpload} checked them (a UTF-8 BOM
 * is dropped).
 * @throws AppError UPLOAD_TYPE_MISMATCH as {@link sniffUpload}
 */
export async function uploadText(bytes: Uint8Array, kind: 'csv' | 'json'): Promise<string> {
  await sniffUpload(bytes, kind);
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Replaces, in the plugin `app` (its routes only), Fastify's JSON body parser with one that first
 * checks the bytes are UTF-8 text without NUL bytes (415 `UPLOAD_TYPE_MISMATCH` otherwise;
 * Fastify's own parser turns invalid bytes silently into U+FFFD) and then parses them exactly as
 * Fastify does (prototype-poisoning keys refused). The size limit stays the route's `bodyLimit`
 * (the server's 1 MiB unless the route sets one).
 */
export function useUtf8JsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const problem = textProblem(body as Buffer);
    if (problem) return done(mismatch('json', problem), undefined);
    parseJson(req, (body as Buffer).toString('utf8'), done);
  });
}
