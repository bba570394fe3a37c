/**
 * Personal data at rest (个人信息加密存储): citizen ID numbers (GB 11643), credit codes
 * (GB 32100, kept the same way so one column is handled one way) and phone numbers.
 *
 * - **Encryption**: AES-256-GCM from Node's crypto, a fresh 96-bit IV per value, and as
 *   additional authenticated data the field the value belongs to (`users.id_number`…), so a value
 *   copied into another column does not open. Text form: `p<keyId>.<iv>.<tag>.<ciphertext>`,
 *   each part base64url — the key id makes rotation possible: a keyring holds the current key and
 *   older ones, and {@link PiiVault.encrypt} always uses the current one.
 * - **Search**: HMAC-SHA256 under a separate key, over the normalised value with its kind
 *   (`id:` or `phone:`), hex: stored beside the ciphertext in a `*_hash` column with an index, so
 *   equality lookups never decrypt. The hash key does not rotate with the data keys.
 * - **Keys** (see {@link piiVaultFor}): `ONEWINDOW_PII_KEYS` = `id:hex64,id:hex64,…` (first is
 *   current; ids 1–65535); key 0 is always the one derived with HKDF-SHA256 from the master key,
 *   current when the list is unset and readable after, so a database written before the list was
 *   set still opens. The hash key is derived from the master key with HKDF too.
 *
 * One keyring serves the process ({@link usePiiVault}); the server, the command line and the
 * test harness set it from configuration before touching the database.
 */
import crypto from 'node:crypto';
import { isValidCitizenId, isValidUscc, maskId, maskPhone } from './personal-data.js';

/** Thrown when a value cannot be opened (unknown key id, wrong key or field, altered text) or keys are malformed. */
export class PiiVaultError extends Error {
  override name = 'PiiVaultError';
}

/** A data key and its id (the number after `p` in the text form). */
export interface PiiKey {
  id: number;
  /** 32 bytes */
  key: Buffer;
}

/** The kinds of personal numbers the platform keeps, each searched and masked its own way. */
export const PII_KINDS = ['id', 'phone'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

/** A sealed value: `p<keyId>.` + IV (16) + tag (22) + ciphertext, base64url. */
const SEALED = /^p(\d{1,5})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]*)$/;

const HKDF_SALT = Buffer.from('onewindow/pii', 'utf8');

/** The data key `id` derived from the master key (HKDF-SHA256, salt `onewindow/pii`, info `data-key/<id>`). */
export function derivePiiKey(masterKey: Buffer, id: number): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', masterKey, HKDF_SALT, Buffer.from(`data-key/${id}`, 'utf8'), 32));
}

/** The search-hash key derived from the master key (HKDF-SHA256, salt `onewindow/pii`, info `search-hash`). */
export function derivePiiHashKey(masterKey: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', masterKey, HKDF_SALT, Buffer.from('search-hash', 'utf8'), 32));
}

/**
 * Parses `ONEWINDOW_PII_KEYS`: `2:<64 hex>,1:<64 hex>` — the first is the current key.
 * @throws PiiVaultError naming the entry that is malformed, a duplicate id, or id 0 (reserved
 *   for the derived key)
 */
export function parsePiiKeys(spec: string): PiiKey[] {
  const out: PiiKey[] = [];
  for (const [i, part] of spec.split(',').map((s) => s.trim()).filter(Boolean).entries()) {
    const m = /^(\d{1,5}):([0-9a-fA-F]{64})$/.exec(part);
    const id = m ? Number(m[1]) : NaN;
    if (!m || id < 1 || id > 65535) throw new PiiVaultError(`ONEWINDOW_PII_KEYS entry ${i + 1} must be <id 1-65535>:<64 hex characters>`);
    if (out.some((k) => k.id === id)) throw new PiiVaultError(`ONEWINDOW_PII_KEYS names key ${id} twice`);
    out.push({ id, key: Buffer.from(m[2]!, 'hex') });
  }
  if (!out.length) throw new PiiVaultError('ONEWINDOW_PII_KEYS is set but names no key');
  return out;
}

/**
 * The values a vault seals and opens. `context` is the field a value belongs to (e.g.
 * `users.phone`); it must be the same to open as it was to seal.
 */
export class PiiVault {
  readonly #keys: Map<number, Buffer>;
  readonly #hashKey: Buffer;
  /** the id of the key new values are sealed with */
  readonly currentKeyId: number;

  /**
   * @param keys the keyring, current key first
   * @param hashKey the 32-byte key of the search hash
   * @throws PiiVaultError when there is no key, a key is not 32 bytes, or an id repeats
   */
  constructor(keys: PiiKey[], hashKey: Buffer) {
    if (!keys.length) throw new PiiVaultError('a personal-data keyring needs a key');
    if (hashKey.length !== 32) throw new PiiVaultError('the search-hash key must be 32 bytes');
    this.#keys = new Map();
    for (const k of keys) {
      if (k.key.length !== 32) throw new PiiVaultError(`personal-data key ${k.id} must be 32 bytes`);
      if (this.#keys.has(k.id)) throw new PiiVaultError(`personal-data key ${k.id} is given twice`);
      this.#keys.set(k.id, k.key);
    }
    this.currentKeyId = keys[0]!.id;
    this.#hashKey = hashKey;
  }

  /** Whether `value` is in the sealed text form (under any key). */
  static isSealed(value: unknown): value is string {
    return typeof value === 'string' && SEALED.test(value);
  }

  /** The key id of a sealed value, or null for anything else (plaintext, null). */
  static keyIdOf(value: unknown): number | null {
    const m = typeof value === 'string' ? SEALED.exec(value) : null;
    return m ? Number(m[1]) : null;
  }

  /** Seals `plaintext` (UTF-8) under the current key, bound to `context`. */
  encrypt(plaintext: string, context: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `p${this.currentKeyId}.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
  }

  /**
   * Opens a value made by {@link encrypt} with the same `context`.
   * @throws PiiVaultError when it is not a sealed value, its key is not in the keyring, or it does
   *   not authenticate (wrong key, wrong context, altered)
   */
  decrypt(sealed: string, context: string): string {
    const m = SEALED.exec(sealed);
    if (!m) throw new PiiVaultError('not a sealed personal-data value');
    const key = this.#keys.get(Number(m[1]));
    if (!key) throw new PiiVaultError(`personal-data key ${m[1]} is not configured (ONEWINDOW_PII_KEYS)`);
    try {
      const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(m[2]!, 'base64url'));
      d.setAAD(Buffer.from(context, 'utf8'));
      d.setAuthTag(Buffer.from(m[3]!, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(m[4]!, 'base64url')), d.final()]).toString('utf8');
    } catch {
      throw new PiiVaultError(`cannot open a ${context} value: wrong key, or altered`);
    }
  }

  /** Seals a nullable value: null and empty stay as they are. */
  seal(value: string | null | undefined, context: string): string | null {
    return value ? this.encrypt(value, context) : (value ?? null);
  }

  /**
   * Opens a nullable stored value. A value not in the sealed form is returned as it is — a row
   * written before encryption that the start-up conversion has not reached yet.
   * @throws PiiVaultError as {@link decrypt}
   */
  open(value: string | null | undefined, context: string): string | null {
    if (value === null || value === undefined) return null;
    return PiiVault.isSealed(value) ? this.decrypt(value, context) : value;
  }

  /** Whether a stored value is sealed under the current key (null counts as done). */
  isCurrent(value: string | null | undefined): boolean {
    return value === null || value === undefined || value === '' || PiiVault.keyIdOf(value) === this.currentKeyId;
  }

  /**
   * The search hash of a value: HMAC-SHA256(hash key, `<kind>:<normalised value>`), 64 hex
   * characters; null for null or empty. Normalised: an ID number trimmed and upper-cased, a phone
   * number without spaces, hyphens, dots and brackets.
   */
  hash(kind: PiiKind, value: string | null | undefined): string | null {
    if (!value) return null;
    return crypto.createHmac('sha256', this.#hashKey).update(`${kind}:${normalizePii(kind, value)}`, 'utf8').digest('hex');
  }

  /** A keyed digest of any text (e.g. a request's SHA-256), so it cannot be recomputed from guesses. */
  digest(text: string): string {
    return crypto.createHmac('sha256', this.#hashKey).update(`digest:${text}`, 'utf8').digest('hex');
  }
}

/** An ID number trimmed and upper-cased; a phone number without separators. */
export function normalizePii(kind: PiiKind, value: string): string {
  return kind === 'id' ? value.trim().toUpperCase() : value.replace(/[\s\-.()（）]/g, '');
}

/**
 * The process's keyring from configuration: `piiKeys` (parsed `ONEWINDOW_PII_KEYS`, current first)
 * plus key 0 derived from the master key; without `piiKeys`, key 0 is current.
 */
export function piiVaultFor(config: { piiKeys?: PiiKey[] | null; masterKey: () => Buffer }): PiiVault {
  const master = config.masterKey();
  const derived = { id: 0, key: derivePiiKey(master, 0) };
  return new PiiVault([...(config.piiKeys ?? []), derived], derivePiiHashKey(master));
}

let active: PiiVault | undefined;

/** Sets the keyring of this process (server start, command line, test harness). */
export function usePiiVault(vault: PiiVault): void {
  active = vault;
}

/**
 * The keyring of this process.
 * @throws PiiVaultError when none has been set ({@link usePiiVault})
 */
export function piiVault(): PiiVault {
  if (!active) throw new PiiVaultError('no personal-data keyring: call usePiiVault(piiVaultFor(config)) at start');
  return active;
}

/**
 * Which kind of personal number a JSON field holds (form fields, licence contents), or null:
 * a phone by its key (`phone`, `mobile`, `contactPhone`, `tel`…), an ID number by its key
 * (`idNumber`, `spouseIdNumber`, `uscc`, `creditCode`) or by its value (a checksum-valid citizen ID
 * number or USCC under any key).
 */
export function piiKindOf(key: string, value: unknown): PiiKind | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  if (/(phone|mobile|^tel$|telephone|手机|电话)/i.test(key)) return 'phone';
  if (/(idnumber|^uscc$|creditcode|身份证)/i.test(key)) return 'id';
  const v = value.trim().toUpperCase();
  if (isValidCitizenId(v) || isValidUscc(v)) return 'id';
  return null;
}

/** A citizen ID number inside free text (GB 11643 shape; the check character is verified after). */
const EMBEDDED_ID = /(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
/** A mainland mobile number inside free text (11 digits, 1[3-9]…). */
const EMBEDDED_MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

/** Whether free text carries a checksum-valid citizen ID number or a mobile number (`"身份证4418…"`). */
export function containsPii(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return [...value.matchAll(EMBEDDED_ID)].some((m) => isValidCitizenId(m[0])) || [...value.matchAll(EMBEDDED_MOBILE)].length > 0;
}

/** Applies `leaf` to every scalar of a JSON value, at any depth, with the name of the field it sits in (array items: the array's). */
function mapLeaves(value: unknown, key: string, leaf: (key: string, v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((x) => mapLeaves(x, key, leaf));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, mapLeaves(x, k, leaf)]));
  return leaf(key, value);
}

/**
 * Seals the personal numbers of a JSON object at any depth (nested objects and arrays too): values
 * {@link piiKindOf} names, and free text carrying an ID or mobile number ({@link containsPii}).
 */
export function sealFields<T extends Record<string, unknown>>(vault: PiiVault, obj: T, context: string): T {
  return mapLeaves(obj, '', (k, v) => (!PiiVault.isSealed(v) && (piiKindOf(k, v) || containsPii(v)) ? vault.encrypt(v as string, context) : v)) as T;
}

/** Opens every sealed value of a JSON object, at any depth. @throws PiiVaultError as {@link PiiVault.decrypt} */
export function openFields<T extends Record<string, unknown>>(vault: PiiVault, obj: T, context: string): T {
  return mapLeaves(obj, '', (_k, v) => (PiiVault.isSealed(v) ? vault.decrypt(v, context) : v)) as T;
}

/** Re-seals under the current key the values of a JSON object sealed under another, and seals plaintext personal numbers. */
export function resealFields<T extends Record<string, unknown>>(vault: PiiVault, obj: T, context: string): T {
  return sealFields(vault, openFields(vault, obj, context), context);
}

/**
 * Masks the personal numbers of an opened JSON object at any depth: ID numbers `4418**********1234`,
 * phones `138****5678`, and those inside free text.
 */
export function maskFields<T extends Record<string, unknown>>(obj: T): T {
  return mapLeaves(obj, '', (k, v) => {
    const kind = piiKindOf(k, v);
    if (kind === 'phone') return maskPhone(normalizePii('phone', v as string));
    if (kind === 'id') return maskId(v as string);
    if (typeof v === 'string' && containsPii(v)) return v.replace(EMBEDDED_ID, (m) => (isValidCitizenId(m) ? maskId(m)! : m)).replace(EMBEDDED_MOBILE, (m) => maskPhone(m)!);
    return v;
  }) as T;
}
