/**
 * Personal-data helpers: check digits of Chinese identifiers and masking for lists and logs.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * Whether `id` is a well-formed 18-character citizen ID number (公民身份号码) whose check character
 * is right: GB 11643-1999, check = '10X98765432'[Σ dᵢ·Wᵢ mod 11] with Wᵢ = 2^(18−i) mod 11.
 * A lowercase `x` is accepted. The birth date must be a real date.
 */
export function isValidCitizenId(id: string): boolean {
  const s = id.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  const d = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== birth) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === s[17];
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * Whether `code` is an 18-character unified social credit code (统一社会信用代码) with a right
 * check character: GB 32100-2015, charset without I, O, S, V, Z; c18 = 31 − (Σ cᵢ·Wᵢ mod 31),
 * 31 → '0', with Wᵢ = 3^(i−1) mod 31.
 */
export function isValidUscc(code: string): boolean {
  if (code.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(code[i]!);
    if (v < 0) return false;
    sum += v * USCC_WEIGHTS[i]!;
  }
  const c = 31 - (sum % 31);
  return USCC_CHARS[c === 31 ? 0 : c] === code[17];
}

/** Masks an ID number or USCC for lists and logs: the first 4 and last 4 characters stay (`4418**********1234`). */
export function maskId(value: string | null | undefined): string | null {
  if (!value) return value ?? null;
  if (value.length <= 8) return '*'.repeat(value.length);
  return value.slice(0, 4) + '*'.repeat(value.length - 8) + value.slice(-4);
}

/** Masks a phone number: the first 3 and last 4 digits stay (`138****5678`). */
export function maskPhone(value: string | null | undefined): string | null {
  if (!value) return value ?? null;
  if (value.length <= 7) return '*'.repeat(value.length);
  return value.slice(0, 3) + '*'.repeat(value.length - 7) + value.slice(-4);
}

/** Masks a person's name for lists: the surname stays (`张*`, `欧阳**`-style for longer names keeps one char). */
export function maskName(value: string | null | undefined): string | null {
  if (!value) return value ?? null;
  const chars = [...value];
  if (chars.length <= 1) return value;
  return chars[0] + '*'.repeat(chars.length - 1);
}
