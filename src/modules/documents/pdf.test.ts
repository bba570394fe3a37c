import jsQR from 'jsqr';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { sealLayout, sealSvg } from '../seals/seal-image.js';
import { formatChineseDate, qrModules, renderDocumentPdf, type DocumentPdfInput, type QrModules } from './pdf.js';

const VERIFY_URL = 'https://zwfw.qingcheng.gov.cn/verify/QCSL2026000001?c=9f3a7c1e';

const notice: DocumentPdfInput = {
  title: '受理通知书',
  numberLine: '清城审受〔2026〕QCSL2026000001号',
  documentNumber: 'QCSL2026000001',
  recipient: '清远市某某餐饮管理有限公司：',
  paragraphs: [
    '你（单位）于2026年9月28日提交的《食品经营许可》申请（申请编号：QCSL2026000001），经审查，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，本机关决定予以受理。',
    '本机关将在承诺时限内作出行政许可决定；需要现场核查的，将另行通知。你（单位）可通过“清城政务服务网”或扫描下方二维码查询办理进度、核验本通知书真伪。',
  ],
  fields: [
    { label: '申请编号', value: 'QCSL2026000001' },
    { label: '事项名称', value: '食品经营许可（新办）' },
    { label: '申请人', value: '清远市某某餐饮管理有限公司' },
    { label: '受理日期', value: '2026年9月30日' },
    { label: '承诺办结日期', value: '2026年10月20日（10个工作日）' },
  ],
  issuerName: '清远市清城区行政审批局',
  issuedDate: '2026-09-30',
  seal: { name: '清远市清城区行政审批局', purpose: '行政审批专用章', code: '4418020000001' },
  verifyUrl: VERIFY_URL,
  createdAt: new Date('2026-09-30T02:15:00Z'),
};

/** Size bound for a one-page notice (the full font file is 8.4 MB). */
const ONE_PAGE_MAX_BYTES = 150_000;

async function open(pdf: Buffer): Promise<PDFDocumentProxy> {
  return getDocument({ data: Uint8Array.from(pdf), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
}

interface Item {
  str: string;
  x: number;
  /** baseline, pt from the page's bottom edge */
  y: number;
  /** true for rotated text (the seal's arcs) */
  rotated: boolean;
}

async function pageItems(doc: PDFDocumentProxy, n: number): Promise<Item[]> {
  const content = await (await doc.getPage(n)).getTextContent();
  return content.items.flatMap((it) =>
    'str' in it && it.str !== '' ? [{ str: it.str, x: it.transform[4], y: it.transform[5], rotated: Math.abs(it.transform[1]) > 1e-6 }] : [],
  );
}

const squash = (s: string) => s.replace(/\s+/g, '');
async function pageText(doc: PDFDocumentProxy, n: number): Promise<string> {
  return squash((await pageItems(doc, n)).filter((i) => !i.rotated).map((i) => i.str).join(''));
}

describe('renderDocumentPdf', () => {
  it('writes a complete PDF file', async () => {
    const pdf = await renderDocumentPdf(notice);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
  });

  it('embeds only a subset of the Chinese font and stays small', async () => {
    const pdf = await renderDocumentPdf(notice);
    const raw = pdf.toString('latin1');
    const baseFonts = [...raw.matchAll(/\/BaseFont\s*\/([^\s/<>\[\]()]+)/g)].map((m) => m[1]);
    expect(baseFonts.length).toBeGreaterThan(0);
    for (const name of baseFonts) expect(name).toMatch(/^[A-Z]{6}\+NotoSansHans-Regular$/);
    expect(raw).toMatch(/\/FontFile3/);
    expect(pdf.length).toBeLessThan(ONE_PAGE_MAX_BYTES);
  });

  it('is one page whose Chinese text can be extracted back', async () => {
    const doc = await open(await renderDocumentPdf(notice));
    expect(doc.numPages).toBe(1);
    const text = await pageText(doc, 1);
    for (const expected of [
      '受理通知书',
      '清城审受〔2026〕QCSL2026000001号',
      '清远市某某餐饮管理有限公司：',
      '食品经营许可（新办）',
      '2026年10月20日（10个工作日）',
      '本机关决定予以受理。',
      '清远市清城区行政审批局',
      '2026年9月30日',
      '扫码核验真伪',
    ]) {
      expect(text).toContain(squash(expected));
    }
    // Whole paragraphs survive wrapping: the lines join back to the input.
    expect(text).toContain(squash(notice.paragraphs[0]));
    expect(text).toContain(squash(notice.paragraphs[1]));
  });

  it('lays out per GB/T 9704: title centred, body inside the type area', async () => {
    const doc = await open(await renderDocumentPdf(notice));
    const page = await doc.getPage(1);
    const [, , width, height] = page.view;
    expect(Math.round(width)).toBe(595);
    expect(Math.round(height)).toBe(842);
    const items = (await pageItems(doc, 1)).filter((i) => !i.rotated);
    const mm = (v: number) => (v * 72) / 25.4;
    for (const i of items) {
      expect(i.x).toBeGreaterThanOrEqual(mm(28) - 0.5);
      expect(i.y).toBeGreaterThan(mm(35));
      expect(i.y).toBeLessThan(height - mm(37));
    }
    const title = items.find((i) => i.str === '受理通知书')!;
    const titleWidth = 5 * 22;
    expect(Math.abs(title.x + titleWidth / 2 - (mm(28) + mm(156) / 2))).toBeLessThan(2);
  });

  it('carries the document number in the Info dictionary and is deterministic', async () => {
    const pdf = await renderDocumentPdf(notice);
    const info = (await (await open(pdf)).getMetadata()).info as Record<string, unknown>;
    expect(info.Title).toBe('受理通知书');
    expect(info.Subject).toBe('QCSL2026000001');
    expect(String(info.Keywords)).toContain('QCSL2026000001');
    expect((info.Custom as Record<string, unknown>).OneWindowDocument).toBe('QCSL2026000001');
    expect(info.Author).toBe('清远市清城区行政审批局');
    expect(String(info.CreationDate)).toMatch(/^D:20260930021500/);

    expect((await renderDocumentPdf(notice)).equals(pdf)).toBe(true);
    const later = await renderDocumentPdf({ ...notice, createdAt: new Date('2026-10-01T00:00:00Z') });
    expect(later.equals(pdf)).toBe(false);
  });

  it('links the QR code and the printed URL to the verification page', async () => {
    const doc = await open(await renderDocumentPdf(notice));
    const annotations = await (await doc.getPage(1)).getAnnotations();
    const urls = annotations.map((a: { url?: string }) => a.url).filter(Boolean);
    expect(urls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(urls)).toEqual(new Set([VERIFY_URL]));
  });

  it('flows a 60-entry list onto further pages, all text extractable, footer clear of the list', async () => {
    const entries = Array.from({ length: 60 }, (_, i) =>
      i % 10 === 0
        ? `第${i + 1}项：法定代表人身份证明及授权委托书原件，复印件须注明“与原件一致”并由法定代表人签名、加盖单位公章`
        : `第${i + 1}项：营业执照副本复印件`,
    );
    const input = { ...notice, title: '补正材料通知书', list: { heading: '需补正的材料：', entries } };
    const pdf = await renderDocumentPdf(input);
    const doc = await open(pdf);
    // 4号 entries on a 21 pt pitch (30 lines in the 225 mm type area): after the header and the
    // table, 60 entries (66 lines) fill pages 1–3 exactly, so the footer would stand alone on
    // page 4 — the last two entries go with it. 25 entries take two pages.
    expect(doc.numPages).toBe(4);
    expect((await open(await renderDocumentPdf({ ...input, list: { ...input.list, entries: entries.slice(0, 25) } }))).numPages).toBe(2);

    let all = '';
    for (let n = 1; n <= doc.numPages; n++) all += await pageText(doc, n);
    for (const entry of entries) expect(all).toContain(squash(entry));
    expect(all).toContain('— 1 —'.replace(/\s/g, ''));
    expect(all).toContain('— 4 —'.replace(/\s/g, ''));
    expect(await pageText(doc, doc.numPages)).toContain(squash(`59.${entries[58]}60.${entries[59]}`));

    // The footer (QR caption, issuer, date, seal) is on the last page only, below the list.
    expect(await pageText(doc, 1)).not.toContain('扫码核验真伪');
    const last = await pageItems(doc, doc.numPages);
    const entryItems = last.filter((i) => /^\d+\./.test(i.str) || i.str.includes('项：'));
    expect(entryItems.length).toBeGreaterThan(0);
    const lowestEntry = Math.min(...entryItems.map((i) => i.y));
    const footer = last.filter((i) => i.rotated || ['扫码核验真伪', '清远市清城区行政审批局', '2026年9月30日'].includes(i.str));
    expect(footer.filter((i) => i.rotated).length).toBeGreaterThan(10);
    const highestFooter = Math.max(...footer.map((i) => i.y));
    expect(lowestEntry - 14 * 1.2).toBeGreaterThan(highestFooter);
    expect(pdf.length).toBeLessThan(2 * ONE_PAGE_MAX_BYTES);
  });

  it('wraps a long unbroken run (a URL) inside the type area', async () => {
    const url = `https://zwfw.qingcheng.gov.cn/verify/${'A'.repeat(120)}`;
    const doc = await open(await renderDocumentPdf({ ...notice, paragraphs: [`核验地址：${url}`], verifyUrl: url }));
    const items = (await pageItems(doc, 1)).filter((i) => !i.rotated);
    expect(squash(items.map((i) => i.str).join(''))).toContain(`核验地址：${url}`);
    const page = await doc.getPage(1);
    const content = await page.getTextContent();
    for (const it of content.items) {
      if (!('str' in it) || it.str === '') continue;
      expect(it.transform[4] + it.width).toBeLessThanOrEqual(((210 - 26) * 72) / 25.4 + 1);
    }
  });

  it('refuses malformed input', async () => {
    await expect(renderDocumentPdf({ ...notice, issuedDate: '2026-02-30' })).rejects.toThrow(RangeError);
    await expect(renderDocumentPdf({ ...notice, issuedDate: '2026/09/30' })).rejects.toThrow(RangeError);
    await expect(renderDocumentPdf({ ...notice, title: ' ' })).rejects.toThrow(RangeError);
    await expect(renderDocumentPdf({ ...notice, createdAt: new Date('x') })).rejects.toThrow(RangeError);
    await expect(renderDocumentPdf({ ...notice, seal: { name: '' } })).rejects.toThrow(RangeError);
  });
});

describe('formatChineseDate', () => {
  it('prints the date as GB/T 9704 asks: full year, no leading zeros', () => {
    expect(formatChineseDate('2026-09-30')).toBe('2026年9月30日');
    expect(formatChineseDate('2027-01-05')).toBe('2027年1月5日');
    expect(() => formatChineseDate('2026-13-01')).toThrow(RangeError);
  });
});

/** Draws the modules black on white with a 4-module quiet zone, `scale` pixels per module. */
function rasterize(qr: QrModules, scale = 4) {
  const side = (qr.size + 8) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let r = 0; r < qr.size; r++)
    for (let c = 0; c < qr.size; c++) {
      if (!qr.dark[r][c]) continue;
      for (let y = 0; y < scale; y++)
        for (let x = 0; x < scale; x++) {
          const p = (((r + 4) * scale + y) * side + (c + 4) * scale + x) * 4;
          data[p] = data[p + 1] = data[p + 2] = 0;
        }
    }
  return { data, side };
}

describe('qrModules', () => {
  it('encodes the verification URL as a decodable QR code of the expected version', () => {
    const qr = qrModules(VERIFY_URL);
    // 63 characters: as bytes only (516 bits) they would need version 5-M, but qrcode sends
    // "2026000001" as a numeric segment (41 bytes + 10 digits + 11 bytes = 488 bits), which
    // fits the 512 data bits of version 4-M.
    expect(qr.version).toBe(4);
    expect(qr.size).toBe(33);
    expect(qr.dark).toHaveLength(33);
    for (const row of qr.dark) expect(row).toHaveLength(33);
    // Finder pattern in the top-left corner: dark 7×7 ring, light ring inside, dark 3×3 core.
    expect(qr.dark[0].slice(0, 7)).toEqual([true, true, true, true, true, true, true]);
    expect(qr.dark[1].slice(0, 7)).toEqual([true, false, false, false, false, false, true]);
    expect(qr.dark[3].slice(0, 7)).toEqual([true, false, true, true, true, false, true]);

    const { data, side } = rasterize(qr);
    const decoded = jsQR(data, side, side);
    expect(decoded?.data).toBe(VERIFY_URL);
  });

  it('grows with the text and refuses what does not fit', () => {
    expect(qrModules('https://a.cn/v/1').version).toBeLessThan(qrModules(VERIFY_URL).version);
    expect(() => qrModules('x'.repeat(3000))).toThrow();
  });
});

describe('sealSvg', () => {
  const seal = notice.seal!;

  it('is a well-formed 42 mm SVG with the name, purpose and code', () => {
    const svg = sealSvg(seal);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="42mm" height="42mm" viewBox="0 0 42 42"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('stroke="#d7000f"');
    // Tags balance (a tiny well-formedness check: no comments, CDATA or processing instructions here).
    const stack: string[] = [];
    for (const [, close, name, , selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
      if (selfClosing) continue;
      if (close) expect(stack.pop()).toBe(name);
      else stack.push(name);
    }
    expect(stack).toEqual([]);
    expect(svg.replace(/<[^>]*>/g, '')).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|quot;|apos;)/);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts.join('')).toBe(seal.name + seal.purpose + seal.code);
  });

  it('is deterministic and depends on its input', () => {
    expect(sealSvg(seal)).toBe(sealSvg({ ...seal }));
    expect(sealSvg({ ...seal, code: undefined })).not.toBe(sealSvg(seal));
    expect(sealSvg({ name: '清远市人民政府' })).not.toContain('专用章');
  });

  it('escapes markup and refuses empty or over-long names', () => {
    const svg = sealSvg({ name: 'A&B<局' });
    expect(svg).toContain('>&amp;<');
    expect(svg).toContain('>&lt;<');
    expect(() => sealSvg({ name: '  ' })).toThrow(RangeError);
    expect(() => sealSvg({ name: '局'.repeat(41) })).toThrow(RangeError);
  });

  it('keeps every character inside the ring and the name on the upper arc', () => {
    for (const name of ['清远市人民政府', '清远市清城区行政审批局', '广东省清远市清城区人民政府政务服务数据管理局']) {
      const layout = sealLayout({ name, purpose: '行政审批专用章', code: '4418020000001' });
      const inner = layout.ring.r - layout.ring.strokeWidth / 2;
      for (const g of layout.glyphs) {
        expect(Math.hypot(g.x - layout.ring.cx, g.y - layout.ring.cy)).toBeLessThan(inner);
        expect(g.scaleX).toBeGreaterThan(0.5);
      }
      const nameGlyphs = layout.glyphs.slice(0, [...name].length);
      expect(nameGlyphs.map((g) => g.char).join('')).toBe(name);
      expect(Math.max(...nameGlyphs.map((g) => Math.abs(g.rotate)))).toBeLessThanOrEqual(108);
    }
  });
});
