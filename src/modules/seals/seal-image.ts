/**
 * The picture of an electronic seal: a red round official seal (公章) drawn from its text.
 *
 * Modelled on the seal picture of GB/T 38540-2020 (安全电子签章密码技术规范), whose
 * `SES_ESPictrueInfo` carries the image type, data and the display size in millimetres, and on
 * the common 42 mm round seal of Chinese state organs: a red ring, a five-pointed star in the
 * centre, the organ's name along the upper arc, the purpose (e.g. 行政审批专用章) as a straight
 * line below the star and, optionally, a small code along the bottom arc.
 *
 * The geometry is computed once by {@link sealLayout}; {@link sealSvg} renders it as SVG and the
 * PDF renderer (src/modules/documents/pdf.ts) draws the very same geometry as vector paths, so
 * the seal looks the same on screen and on paper. Everything is pure and deterministic.
 */

/** Red of the seal picture (sRGB). */
export const SEAL_COLOR = '#d7000f';

/** Width and height of the seal picture, in mm. */
export const SEAL_SIZE_MM = 42;

/** Font families for the SVG text (fonts a browser has); the PDF uses its embedded font. */
export const SEAL_FONT_FAMILY = "SimSun, 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif";

/** Text of a seal. All strings are trimmed. */
export interface SealText {
  /** the organ's name, e.g. 清远市清城区行政审批局 — 1 to 40 characters */
  name: string;
  /** the seal's purpose, e.g. 行政审批专用章 — at most 20 characters */
  purpose?: string;
  /** a small code, e.g. a 13-digit seal code — at most 24 characters */
  code?: string;
}

/**
 * One character of the seal, to be drawn with its alphabetic baseline centred on (`x`, `y`),
 * rotated by `rotate` degrees clockwise around that point and then squeezed horizontally by
 * `scaleX` (the SVG `translate(x y) rotate(r) scale(sx 1)` with `text-anchor: middle`).
 */
export interface SealGlyph {
  char: string;
  /** mm from the picture's left edge */
  x: number;
  /** mm from the picture's top edge (y grows downwards) */
  y: number;
  /** degrees, clockwise */
  rotate: number;
  /** em size in mm */
  fontSize: number;
  /** horizontal compression, 0 < scaleX ≤ 1 */
  scaleX: number;
}

/** The seal's geometry, in mm, origin at the top-left corner, y downwards. */
export interface SealLayout {
  /** width = height of the picture, mm */
  size: number;
  color: string;
  /** the ring: centre, radius of the stroke's centre line, stroke width */
  ring: { cx: number; cy: number; r: number; strokeWidth: number };
  /** the ten corners of the five-pointed star, clockwise from the top point */
  star: [number, number][];
  /** name (upper arc), then purpose (straight), then code (bottom arc) */
  glyphs: SealGlyph[];
}

const C = SEAL_SIZE_MM / 2;
const RING_WIDTH = 1.2;
const RING_R = C - RING_WIDTH / 2;
/** inner edge of the ring minus a small gap: text stays inside this radius */
const TEXT_OUTER_R = RING_R - RING_WIDTH / 2 - 1.2;
const STAR_R = 7;
/** Ink extent of an ideograph above / below its alphabetic baseline, in em (CJK fonts). */
const INK_ASCENT = 0.88;
const INK_DESCENT = 0.1;
/** Widest arc the name may take, degrees (centre of first to centre of last character): the
 * ends stay clear of the purpose line. */
const NAME_MAX_SPAN = 216;

const round = (v: number) => Math.round(v * 1000) / 1000;

function checkText(label: string, value: string, max: number, required: boolean): string[] {
  const chars = [...value.trim()];
  if (required && chars.length === 0) throw new RangeError(`seal ${label} is empty`);
  if (chars.length > max) throw new RangeError(`seal ${label} is longer than ${max} characters`);
  if (chars.some((c) => /\s/.test(c))) throw new RangeError(`seal ${label} contains whitespace`);
  return chars;
}

/** Point at `deg` degrees clockwise from 12 o'clock on a circle of radius `r` around the centre. */
function polar(r: number, deg: number): [number, number] {
  const a = (deg * Math.PI) / 180;
  return [C + r * Math.sin(a), C - r * Math.cos(a)];
}

/**
 * Computes the seal geometry (mm, 42 × 42) for `input`.
 * The name is spread over the upper arc (up to 216°), characters upright with their tops facing
 * outwards; longer names get a smaller, narrower type. The purpose is one straight line below
 * the star, narrowed to fit; the code runs along the bottom arc, reading left to right.
 * @throws RangeError when the name is empty, or a text is too long or contains whitespace
 */
export function sealLayout(input: SealText): SealLayout {
  const name = checkText('name', input.name, 40, true);
  const purpose = checkText('purpose', input.purpose ?? '', 20, false);
  const code = checkText('code', input.code ?? '', 24, false);
  const glyphs: SealGlyph[] = [];

  // Name along the upper arc.
  const n = name.length;
  const nameSize = n <= 12 ? 6.2 : Math.max(3.4, (6.2 * 12) / n);
  const nameBaseR = TEXT_OUTER_R - INK_ASCENT * nameSize;
  const nameMidR = nameBaseR + 0.4 * nameSize;
  const nominalStep = ((nameSize * (n < 8 ? 1.25 : 1)) / nameMidR) * (180 / Math.PI);
  const step = n > 1 ? Math.min(nominalStep, NAME_MAX_SPAN / (n - 1)) : 0;
  const arcPerChar = n > 1 ? ((step * Math.PI) / 180) * nameMidR : nameSize;
  const nameScaleX = Math.min(0.88, (0.92 * arcPerChar) / nameSize);
  name.forEach((char, i) => {
    const deg = -((n - 1) * step) / 2 + i * step;
    const [x, y] = polar(nameBaseR, deg);
    glyphs.push({ char, x: round(x), y: round(y), rotate: round(deg), fontSize: round(nameSize), scaleX: round(nameScaleX) });
  });

  // Purpose, straight, below the star (higher when a code takes the bottom arc).
  if (purpose.length > 0) {
    const maxWidth = 22;
    let size = 4.4;
    let scaleX = Math.min(1, maxWidth / (purpose.length * size));
    if (scaleX < 0.62) {
      scaleX = 0.62;
      size = maxWidth / (purpose.length * scaleX);
    }
    const baseline = C + (code.length > 0 ? 12 : 12.6) - (4.4 - size) * 0.5;
    const width = purpose.length * size * scaleX;
    purpose.forEach((char, i) => {
      const x = C - width / 2 + (i + 0.5) * size * scaleX;
      glyphs.push({ char, x: round(x), y: round(baseline), rotate: 0, fontSize: round(size), scaleX: round(scaleX) });
    });
  }

  // Code along the bottom arc, reading left to right, glyph bottoms facing outwards.
  if (code.length > 0) {
    const size = 2.3;
    const baseR = TEXT_OUTER_R - INK_DESCENT * size - 0.2;
    const charArc = size * 0.62;
    const stepDeg = ((charArc / (baseR - 0.35 * size)) * 180) / Math.PI;
    const m = code.length;
    code.forEach((char, i) => {
      const deg = 180 + ((m - 1) * stepDeg) / 2 - i * stepDeg;
      const [x, y] = polar(baseR, deg);
      glyphs.push({ char, x: round(x), y: round(y), rotate: round(deg - 180), fontSize: size, scaleX: 1 });
    });
  }

  const star: [number, number][] = [];
  const innerR = STAR_R * (Math.sin(Math.PI / 10) / Math.sin((3 * Math.PI) / 10));
  for (let k = 0; k < 10; k++) {
    const [x, y] = polar(k % 2 === 0 ? STAR_R : innerR, k * 36);
    star.push([round(x), round(y)]);
  }

  return {
    size: SEAL_SIZE_MM,
    color: SEAL_COLOR,
    ring: { cx: C, cy: C, r: round(RING_R), strokeWidth: RING_WIDTH },
    star,
    glyphs,
  };
}

/** Characters XML 1.0 does not allow at all (C0 controls but tab, LF, CR; U+FFFE, U+FFFF; unpaired surrogates). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `s` as XML text or attribute value: markup characters escaped, characters XML forbids dropped. */
export function escapeXml(s: string): string {
  return s.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * The seal picture as a standalone SVG document (UTF-8 string): `width="42mm" height="42mm"`,
 * `viewBox="0 0 42 42"` (user units are mm), red (#d7000f) ring, five-pointed star, the name
 * along the upper arc, the purpose below the star and the optional code along the bottom arc.
 * Text is set with {@link SEAL_FONT_FAMILY}. Pure and deterministic: same input, same string.
 * Suitable as the picture (type "svg") of a GB/T 38540 `SES_ESPictrueInfo`, width and height 42 mm.
 * @throws RangeError as {@link sealLayout}
 */
export function sealSvg(input: { name: string; purpose?: string; code?: string }): string {
  const layout = sealLayout(input);
  const { ring } = layout;
  const label = [input.name, input.purpose, input.code].map((s) => s?.trim()).filter(Boolean).join(' ');
  const starPath = `M${layout.star.map(([x, y]) => `${x} ${y}`).join('L')}Z`;
  const texts = layout.glyphs.map((g) => {
    const transform = `translate(${g.x} ${g.y}) rotate(${g.rotate})${g.scaleX !== 1 ? ` scale(${g.scaleX} 1)` : ''}`;
    return `<text font-size="${g.fontSize}" transform="${transform}">${escapeXml(g.char)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.size}mm" height="${layout.size}mm" viewBox="0 0 ${layout.size} ${layout.size}" role="img" aria-label="${escapeXml(label)}">`,
    `<title>${escapeXml(label)}</title>`,
    `<circle cx="${ring.cx}" cy="${ring.cy}" r="${ring.r}" fill="none" stroke="${layout.color}" stroke-width="${ring.strokeWidth}"/>`,
    `<path d="${starPath}" fill="${layout.color}"/>`,
    `<g fill="${layout.color}" font-family="${SEAL_FONT_FAMILY}" text-anchor="middle">`,
    ...texts,
    '</g>',
    '</svg>',
  ].join('\n');
}
