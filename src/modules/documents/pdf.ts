/**
 * PDF rendering of official notices and decisions (受理通知书, 补正材料通知书, 准予行政许可决定书 …).
 *
 * Layout after GB/T 9704-2012 (党政机关公文格式): A4, type area 156 mm × 225 mm (margins top
 * 37 mm, left 28 mm, right 26 mm, bottom 35 mm), title in 2号 (22 pt), body in 3号 (15.75 pt,
 * 28 characters a line) on a 22-lines-a-page grid, issuer and date bottom right with the seal
 * pressed over them, page numbers "— n —" 7 mm below the type area when there is more than one
 * page. A QR code with the public verification URL sits bottom left.
 *
 * Built on pdfkit (text layout with UAX #14 line breaking, so Chinese wraps between any two
 * characters and never before closing punctuation; the font is embedded as a subset) and qrcode.
 * The font is Noto Sans S Chinese Regular from the npm package @embedpdf/fonts-sc (see
 * data/fonts/SOURCE.md); it is read and parsed once per process.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { sealLayout, SEAL_COLOR } from '../seals/seal-image.js';

/** Input of {@link renderDocumentPdf}. All text is printed as given (Chinese). */
export interface DocumentPdfInput {
  /** e.g. 受理通知书, 准予行政许可决定书 */
  title: string;
  /** the document number, printed under the title, e.g. 清城审受〔2026〕QCSL2026000001号 — just print `numberLine` */
  numberLine: string;
  /** machine document number, e.g. QCSL2026000001 (goes into the PDF Info dictionary: Subject/Keywords, and a custom Info key `OneWindowDocument`) */
  documentNumber: string;
  /** addressee line, e.g. "张三：" (optional) */
  recipient?: string;
  /** body paragraphs, first-line indented two characters */
  paragraphs: string[];
  /** key facts as a two-column table: 申请编号, 事项名称, 受理日期, 承诺办结日期 … */
  fields: { label: string; value: string }[];
  /** optional numbered list, e.g. 需补正的材料 */
  list?: { heading: string; entries: string[] };
  /** issuing authority, printed bottom right */
  issuerName: string;
  /** Asia/Shanghai date YYYY-MM-DD, printed as 2026年9月30日 under the issuer */
  issuedDate: string;
  /** seal drawn (semi-transparent red, over issuer and date), 42 mm wide */
  seal?: { name: string; purpose?: string; code?: string };
  /** text of the QR code (the public verification URL), printed bottom left with the caption 扫码核验真伪 and the URL in small type */
  verifyUrl: string;
  /** fixes the PDF's CreationDate/ModDate (so output depends only on input) */
  createdAt: Date;
}

/** Points per millimetre (1 pt = 1/72 in). */
const PT_PER_MM = 72 / 25.4;
const mm = (v: number) => v * PT_PER_MM;

/** GB/T 9704-2012 §5.2.1: A4, type area 156 × 225 mm. */
const PAGE_W = mm(210);
const PAGE_H = mm(297);
const MARGIN = { top: mm(37), left: mm(28), right: mm(26), bottom: mm(35) };
const CONTENT_LEFT = MARGIN.left;
const CONTENT_W = PAGE_W - MARGIN.left - MARGIN.right;
const CONTENT_RIGHT = CONTENT_LEFT + CONTENT_W;

/** Font sizes in pt: 2号 title, 3号 body, 4号 table, list and page numbers, 5号 caption, 小6 URL. */
const TITLE_SIZE = 22;
const BODY_SIZE = 15.75;
const TABLE_SIZE = 14;
const LIST_SIZE = 14;
const CAPTION_SIZE = 10.5;
const URL_SIZE = 7.5;
/** GB/T 9704 §5.2.2: 22 lines in the 225 mm type area. */
const LINE_PITCH = mm(225) / 22;
const LIST_PITCH = LIST_SIZE * 1.5;
/** pdfkit's line box is (ascender − descender + lineGap) of the font = 1.5 em for this font. */
const FONT_LINE_EM = 1.5;
const gapFor = (size: number, pitch: number) => pitch - FONT_LINE_EM * size;

const TEXT_COLOR = '#1a1a1a';
const RULE_COLOR = '#595959';
const LABEL_FILL = '#f2f2f2';
const SEAL_OPACITY = 0.82;
const QR_SIZE = mm(24);

/** The runtime font: Noto Sans S Chinese Regular (OTF/CFF, GB 2312 complete), OFL-1.1 package. */
const FONT_PACKAGE = '@embedpdf/fonts-sc';
const FONT_FILE = 'NotoSansHans-Regular.otf';

/**
 * Absolute path of the embedded font file, resolved through the installed npm package (works
 * from src/ under tsx and from a build). The package exports only its index, so the font is
 * found beside it: `<package>/fonts/NotoSansHans-Regular.otf`.
 * @throws Error (MODULE_NOT_FOUND) when `npm ci` has not installed @embedpdf/fonts-sc
 */
export function documentFontPath(): string {
  // resolves to <package>/dist/index.cjs
  const entry = createRequire(import.meta.url).resolve(FONT_PACKAGE);
  return path.join(path.dirname(entry), '..', 'fonts', FONT_FILE);
}

/**
 * The font, read and parsed once per process (the parsed font keeps the file's 8.4 MB of bytes
 * and parses its tables lazily). pdfkit accepts a fontkit font object: sharing the parsed font
 * between documents saves ~100 ms per document (each document still makes its own subset).
 * Safe because pdfkit lays out and embeds synchronously, without awaiting in between.
 */
let fontCache: Promise<fontkit.Font> | undefined;
function loadFont(): Promise<fontkit.Font> {
  fontCache ??= readFile(documentFontPath()).then(
    (bytes) => {
      const font = fontkit.create(bytes);
      if (!('layout' in font)) throw new Error(`${FONT_FILE} is a font collection, expected a single font`);
      return font;
    },
    (err: unknown) => {
      fontCache = undefined;
      throw err;
    },
  );
  return fontCache;
}

/** A QR code as a square matrix of modules, row by row (`dark[row][col]`), quiet zone excluded. */
export interface QrModules {
  /** QR version 1–40 */
  version: number;
  /** modules per side = 17 + 4 × version */
  size: number;
  /** error correction level, always M (15 %) */
  errorCorrectionLevel: 'M';
  dark: boolean[][];
}

/**
 * Encodes `text` as a QR code with error correction level M in the smallest version that fits
 * (qrcode picks byte, alphanumeric and numeric segments to keep it small). Used by
 * {@link renderDocumentPdf} for the verification code, one filled square per dark module.
 * @throws Error from qrcode when the text is empty or too long for version 40
 */
export function qrModules(text: string): QrModules {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const dark: boolean[][] = [];
  for (let row = 0; row < size; row++) {
    const line: boolean[] = [];
    for (let col = 0; col < size; col++) line.push(Boolean(qr.modules.get(row, col)));
    dark.push(line);
  }
  return { version: qr.version, size, errorCorrectionLevel: 'M', dark };
}

/** "2026-09-30" → "2026年9月30日" (GB/T 9704 §7.3.5.1: full year, no leading zeros). */
export function formatChineseDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : undefined;
  if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    throw new RangeError(`issuedDate must be a date YYYY-MM-DD, got "${isoDate}"`);
  }
  return `${+m[1]}年${+m[2]}月${+m[3]}日`;
}

function validate(input: DocumentPdfInput): void {
  for (const key of ['title', 'numberLine', 'documentNumber', 'issuerName', 'verifyUrl'] as const) {
    if (typeof input[key] !== 'string' || input[key].trim() === '') throw new RangeError(`${key} is required`);
  }
  if (!(input.createdAt instanceof Date) || Number.isNaN(input.createdAt.getTime())) {
    throw new RangeError('createdAt must be a valid Date');
  }
}

type Doc = PDFKit.PDFDocument;

/** Starts a new page when fewer than `height` pt are left above the bottom margin; true if it did. */
function ensureSpace(doc: Doc, height: number): boolean {
  if (doc.y + height <= PAGE_H - MARGIN.bottom) return false;
  doc.addPage();
  doc.y = MARGIN.top;
  return true;
}

/** Body text (3号) on the 22-line grid at `x`, `width` pt wide; advances doc.y, breaking pages as needed. */
function bodyText(doc: Doc, text: string, x: number, width: number, options: PDFKit.Mixins.TextOptions = {}): void {
  doc.fontSize(BODY_SIZE).fillColor(TEXT_COLOR);
  ensureSpace(doc, BODY_SIZE * 1.1);
  doc.text(text, x, doc.y, { width, lineGap: gapFor(BODY_SIZE, LINE_PITCH), ...options });
}

/** Visual height of a block of `lines` lines of `size` at `pitch` (top of first line box to the last line's ink). */
function inkHeight(lines: number, size: number, pitch: number): number {
  return (lines - 1) * pitch + size * 1.0;
}

function drawFields(doc: Doc, fields: DocumentPdfInput['fields']): void {
  if (fields.length === 0) return;
  const labelW = Math.max(mm(36), ...fields.map((f) => doc.fontSize(TABLE_SIZE).widthOfString(f.label) + mm(5)));
  const valueW = CONTENT_W - labelW;
  const padX = mm(2.2);
  const padY = mm(2.2);
  const pitch = TABLE_SIZE * 1.62;
  const opts = { lineGap: gapFor(TABLE_SIZE, pitch) };
  doc.fontSize(TABLE_SIZE).lineWidth(0.6);
  doc.y += LINE_PITCH * 0.3;
  for (const field of fields) {
    const lines = (text: string, w: number) => Math.max(1, Math.round(doc.heightOfString(text, { ...opts, width: w }) / pitch));
    const n = Math.max(lines(field.label, labelW - 2 * padX), lines(field.value, valueW - 2 * padX));
    const rowH = inkHeight(n, TABLE_SIZE, pitch) + 2 * padY;
    ensureSpace(doc, rowH);
    const top = doc.y;
    doc.rect(CONTENT_LEFT, top, labelW, rowH).fill(LABEL_FILL);
    doc.rect(CONTENT_LEFT, top, labelW, rowH).rect(CONTENT_LEFT + labelW, top, valueW, rowH).stroke(RULE_COLOR);
    doc.fillColor(TEXT_COLOR);
    doc.text(field.label, CONTENT_LEFT + padX, top + padY, { ...opts, width: labelW - 2 * padX });
    doc.text(field.value, CONTENT_LEFT + labelW + padX, top + padY, { ...opts, width: valueW - 2 * padX });
    doc.y = top + rowH;
  }
  doc.y += LINE_PITCH * 0.5;
}

/** The list; `breakBefore` (an entry index) forces a new page before that entry. */
function drawList(doc: Doc, list: NonNullable<DocumentPdfInput['list']>, breakBefore?: number): void {
  bodyText(doc, list.heading, CONTENT_LEFT + 2 * BODY_SIZE, CONTENT_W - 2 * BODY_SIZE);
  // Entries in 4号 at 1.5 lines, numbers hanging 2 characters in: long lists stay compact.
  doc.fontSize(LIST_SIZE);
  const numberX = CONTENT_LEFT + 2 * BODY_SIZE;
  const textX = numberX + doc.widthOfString(`${list.entries.length}.`) + LIST_SIZE * 0.35;
  list.entries.forEach((entry, i) => {
    if (i === breakBefore && doc.y > MARGIN.top) {
      doc.addPage();
      doc.y = MARGIN.top;
    }
    ensureSpace(doc, LIST_PITCH);
    const top = doc.y;
    doc.fontSize(LIST_SIZE).fillColor(TEXT_COLOR).text(`${i + 1}.`, numberX, top, { lineBreak: false });
    doc.text(entry, textX, top, { width: CONTENT_RIGHT - textX, lineGap: gapFor(LIST_SIZE, LIST_PITCH) });
  });
}

/** Draws the QR modules as filled squares, one rectangle per horizontal run of dark modules. */
function drawQr(doc: Doc, qr: QrModules, x: number, y: number, size: number): void {
  const m = size / qr.size;
  qr.dark.forEach((row, r) => {
    let c = 0;
    while (c < qr.size) {
      if (!row[c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < qr.size && row[c]) c++;
      // A hair of overlap so viewers do not show seams between adjacent modules.
      doc.rect(x + start * m, y + r * m, (c - start) * m + 0.05, m + 0.05);
    }
  });
  doc.fill('#000000');
}

/** Draws the seal geometry (mm) centred on (cx, cy) pt, semi-transparent. */
function drawSeal(doc: Doc, seal: NonNullable<DocumentPdfInput['seal']>, cx: number, cy: number): void {
  const layout = sealLayout(seal);
  doc.save();
  doc.translate(cx - mm(layout.size / 2), cy - mm(layout.size / 2));
  doc.scale(PT_PER_MM);
  doc.fillColor(SEAL_COLOR, SEAL_OPACITY).strokeColor(SEAL_COLOR, SEAL_OPACITY);
  doc.circle(layout.ring.cx, layout.ring.cy, layout.ring.r).lineWidth(layout.ring.strokeWidth).stroke();
  doc.polygon(...layout.star).fill();
  for (const g of layout.glyphs) {
    doc.save();
    doc.translate(g.x, g.y).rotate(g.rotate);
    if (g.scaleX !== 1) doc.scale(g.scaleX, 1);
    doc.fontSize(g.fontSize);
    doc.text(g.char, -doc.widthOfString(g.char) / 2, 0, { baseline: 'alphabetic', lineBreak: false });
    doc.restore();
  }
  doc.restore();
}

/**
 * Issuer, date, seal (right) and QR block (left), kept together on the last page.
 * @returns true when the block did not fit and went alone onto a new page
 */
function drawFooter(doc: Doc, input: DocumentPdfInput): boolean {
  const blockH = mm(42);
  doc.y += LINE_PITCH * 0.5;
  const alone = ensureSpace(doc, blockH);
  const top = doc.y;
  const sealCy = top + mm(21);

  // GB/T 9704 §7.3.5.1: date 4 characters from the right, issuer centred over the date;
  // a longer issuer moves left so it keeps 2 characters from the right edge.
  const date = formatChineseDate(input.issuedDate);
  doc.fontSize(BODY_SIZE);
  const dateW = doc.widthOfString(date);
  const issuerW = doc.widthOfString(input.issuerName);
  let centre = CONTENT_RIGHT - 4 * BODY_SIZE - dateW / 2;
  centre = Math.min(centre, CONTENT_RIGHT - 2 * BODY_SIZE - issuerW / 2);
  const ascent = 0.88 * BODY_SIZE;
  const issuerBaseline = sealCy + mm(1.5);
  doc.fillColor(TEXT_COLOR);
  doc.text(input.issuerName, centre - issuerW / 2, issuerBaseline - ascent, { lineBreak: false });
  doc.text(date, centre - dateW / 2, issuerBaseline + LINE_PITCH - ascent, { lineBreak: false });

  // QR code, caption and URL, bottom left.
  const qr = qrModules(input.verifyUrl);
  drawQr(doc, qr, CONTENT_LEFT, top, QR_SIZE);
  doc.link(CONTENT_LEFT, top, QR_SIZE, QR_SIZE, input.verifyUrl);
  const textW = Math.min(mm(72), centre - Math.max(issuerW, mm(42)) / 2 - CONTENT_LEFT - mm(4));
  doc.fontSize(CAPTION_SIZE).fillColor(TEXT_COLOR);
  doc.text('扫码核验真伪', CONTENT_LEFT, top + QR_SIZE + mm(1.5), { lineBreak: false });
  doc.fontSize(URL_SIZE).fillColor('#404040');
  doc.text(input.verifyUrl, CONTENT_LEFT, top + QR_SIZE + mm(6.5), {
    width: textW,
    height: mm(42) - QR_SIZE - mm(6.5),
    ellipsis: true,
    link: input.verifyUrl,
  });

  if (input.seal) drawSeal(doc, input.seal, centre, sealCy);
  doc.y = top + blockH;
  return alone;
}

/** GB/T 9704 §7.5: "— n —" in 4号, 7 mm below the type area; odd pages right, even pages left, one character in. */
function drawPageNumbers(doc: Doc): void {
  const range = doc.bufferedPageRange();
  if (range.count < 2) return;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const label = `— ${i + 1} —`;
    doc.fontSize(TABLE_SIZE).fillColor(TEXT_COLOR);
    const w = doc.widthOfString(label);
    const x = (i + 1) % 2 === 1 ? CONTENT_RIGHT - TABLE_SIZE - w : CONTENT_LEFT + TABLE_SIZE;
    doc.text(label, x, PAGE_H - MARGIN.bottom + mm(7) - 0.5 * TABLE_SIZE, { lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

/**
 * Renders an official notice or decision as a PDF (A4, GB/T 9704-2012 layout; see the module
 * comment): title, number line, addressee, paragraphs (first line indented 2 characters), the
 * key facts as a two-column table, an optional numbered list that flows onto further pages,
 * then — kept together on the last page — the issuer and date bottom right with the seal
 * (GB/T 38540-style picture, 42 mm, semi-transparent red) over them, and bottom left a 24 mm QR
 * code of `verifyUrl` with the caption 扫码核验真伪 and the URL. When that block would stand
 * alone on a new page, the last two list entries go over with it (GB/T 9704 §7.3.5.1); a
 * document without a list may still end on a page holding only the block.
 *
 * The Chinese font is embedded as a subset (only the glyphs used, name prefixed `XXXXXX+`), the
 * text stays extractable (ToUnicode map). The Info dictionary carries Title, Author (issuer),
 * Subject and Keywords (the document number), `OneWindowDocument` (the document number) and
 * CreationDate = ModDate = `createdAt`, so the same input always gives the same bytes.
 * @returns the PDF file (PDF 1.7)
 * @throws RangeError for a missing title/numberLine/documentNumber/issuerName/verifyUrl, a
 *   malformed issuedDate or createdAt, or a seal text that {@link sealLayout} refuses
 */
export async function renderDocumentPdf(input: DocumentPdfInput): Promise<Buffer> {
  validate(input);
  formatChineseDate(input.issuedDate);
  if (input.seal) sealLayout(input.seal);
  const font = await loadFont();
  const first = layOut(input, font);
  // GB/T 9704 §7.3.5.1: the signature page must not stand alone — carry the last two list
  // entries over with it (the first layout is dropped unfinished).
  const entries = input.list?.entries.length ?? 0;
  if (first.footerAlone && entries >= 3) return layOut(input, font, entries - 2).finish();
  return first.finish();
}

/** Lays the document out; `finish()` adds page numbers and writes the file. */
function layOut(
  input: DocumentPdfInput,
  font: fontkit.Font,
  listBreakBefore?: number,
): { footerAlone: boolean; finish: () => Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    bufferPages: true,
    // pdfkit also takes a fontkit font here (then no Helvetica is loaded); @types/pdfkit says string
    font: font as unknown as string,
    info: {
      Title: input.title,
      Author: input.issuerName,
      Subject: input.documentNumber,
      Keywords: `${input.documentNumber} ${input.title}`,
      Creator: 'OneWindow 政务服务平台',
      CreationDate: input.createdAt,
      ModDate: input.createdAt,
      OneWindowDocument: input.documentNumber,
    } as PDFKit.DocumentInfo,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  // Title (faux bold: fill + a thin stroke) and number line, centred.
  doc.fontSize(TITLE_SIZE).fillColor(TEXT_COLOR).strokeColor(TEXT_COLOR).lineWidth(0.45);
  doc.text(input.title, CONTENT_LEFT, MARGIN.top, {
    width: CONTENT_W,
    align: 'center',
    lineGap: gapFor(TITLE_SIZE, TITLE_SIZE * 1.7),
    fill: true,
    stroke: true,
  });
  doc.y += LINE_PITCH * 0.2;
  bodyText(doc, input.numberLine, CONTENT_LEFT, CONTENT_W, { align: 'center' });
  doc.y += LINE_PITCH * 0.5;

  if (input.recipient) bodyText(doc, input.recipient, CONTENT_LEFT, CONTENT_W);
  for (const paragraph of input.paragraphs) {
    bodyText(doc, paragraph, CONTENT_LEFT, CONTENT_W, { indent: 2 * BODY_SIZE });
  }
  drawFields(doc, input.fields);
  if (input.list && input.list.entries.length > 0) drawList(doc, input.list, listBreakBefore);
  const footerAlone = drawFooter(doc, input);
  const finish = () => {
    drawPageNumbers(doc);
    doc.end();
    return done;
  };
  return { footerAlone, finish };
}
