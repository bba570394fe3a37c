/**
 * Pure helpers of the electronic-licence pages (我的证照, 免证办 in the application form, 证照核验,
 * 电子证照管理): no React, no i18n, so they are unit-tested without a browser
 * (test/web-license-logic.test.ts).
 */

// structural types only (no import of ../types: these helpers stay free of the browser's i18n setup)
interface Dated {
  status: 'valid' | 'suspended' | 'revoked';
  /** first valid day, `YYYY-MM-DD` */
  validFrom: string;
  /** last valid day; null: no end */
  validTo: string | null;
}

/** Why a licence cannot be used on a day, as the server's `usability` decides it (API v1 免证办). */
export type UnusableReason = 'REVOKED' | 'SUSPENDED' | 'EXPIRED' | 'NOT_YET_VALID';

/**
 * Whether a licence can stand for a material on `today` (Asia/Shanghai `YYYY-MM-DD`): status
 * `valid` and within its validity (a null `validTo` never ends). Same rule as the server.
 * @returns null when usable, else why not
 */
export function licenseUnusable(l: Dated, today: string): UnusableReason | null {
  if (l.status === 'revoked') return 'REVOKED';
  if (l.status === 'suspended') return 'SUSPENDED';
  if (l.validTo && l.validTo < today) return 'EXPIRED';
  if (l.validFrom > today) return 'NOT_YET_VALID';
  return null;
}

/** What a licence's tag shows: its status, or `expired` / `not_yet_valid` for a valid one outside its dates. */
export type LicenseDisplayState = 'valid' | 'suspended' | 'revoked' | 'expired' | 'not_yet_valid';

export function licenseDisplayState(l: Dated, today: string): LicenseDisplayState {
  const why = licenseUnusable(l, today);
  if (why === 'EXPIRED') return 'expired';
  if (why === 'NOT_YET_VALID') return 'not_yet_valid';
  return l.status;
}

/** The licences of `type` usable today, the one valid longest first (a null `validTo` counts as never ending). */
export function usableLicenses<L extends Dated & { type: string }>(wallet: readonly L[], type: string | null | undefined, today: string): L[] {
  if (!type) return [];
  return wallet
    .filter((l) => l.type === type && licenseUnusable(l, today) === null)
    .sort((a, b) => (b.validTo ?? '9999-12-31').localeCompare(a.validTo ?? '9999-12-31'));
}

/** A licence identifier as typed or scanned: spaces and line breaks removed, letters in capitals. */
export function normalizeLicenseIdentifier(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** The OID arc every licence identifier starts with (GB/T 36904). */
export const LICENSE_OID_PREFIX = '1.2.156.3005.2.';

/**
 * The licence type code (21 characters) inside an identifier, or null when it has no such part.
 * Only the shape is read: the server checks the check character.
 */
export function typeCodeOfIdentifier(identifier: string): string | null {
  const id = normalizeLicenseIdentifier(identifier);
  if (!id.startsWith(LICENSE_OID_PREFIX)) return null;
  const part = id.slice(LICENSE_OID_PREFIX.length).split('.')[0] ?? '';
  return /^[0-9A-Z]{18}\d{3}$/.test(part) ? part : null;
}

/** The columns of a licence import file (`POST /licenses/import`, CSV), before the `data.<field>` columns. */
export const IMPORT_COLUMNS = ['type', 'holderIdNumber', 'holderName', 'validFrom', 'validTo', 'identifier'] as const;

/** One CSV cell: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * A CSV import template for a licence type: the header (fixed columns, then `data.<key>` for each
 * of the type's fields) and one line with the type filled in and the field labels as placeholders
 * to overwrite. UTF-8 with a byte-order mark, so that Excel opens the Chinese right.
 */
export function csvTemplate(type: { code: string; fields: readonly { key: string; label: string }[] }): string {
  const header = [...IMPORT_COLUMNS, ...type.fields.map((f) => `data.${f.key}`)];
  const sample = [type.code, '', '', '', '', '', ...type.fields.map((f) => f.label)];
  return `\uFEFF${header.map(csvCell).join(',')}\r\n${sample.map(csvCell).join(',')}\r\n`;
}

/** The JSON body of an import from pasted text: an array of rows, or `{rows: [...]}`. */
export type PastedImport = { ok: true; body: { rows: unknown[] } } | { ok: false; problem: 'syntax' | 'shape' | 'empty' };

export function parsePastedImport(text: string): PastedImport {
  if (!text.trim()) return { ok: false, problem: 'empty' };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'syntax' };
  }
  const rows = Array.isArray(v) ? v : v && typeof v === 'object' && Array.isArray((v as { rows?: unknown }).rows) ? (v as { rows: unknown[] }).rows : null;
  if (!rows) return { ok: false, problem: 'shape' };
  if (rows.length === 0) return { ok: false, problem: 'empty' };
  return { ok: true, body: { rows } };
}
