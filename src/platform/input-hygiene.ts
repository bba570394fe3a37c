/**
 * Checks every request's query, params and body before validation: text PostgreSQL cannot store
 * (NUL characters, unpaired UTF-16 surrogates) and absurdly deep nesting are refused with a 400
 * instead of failing later in the database. Raw byte bodies (uploaded files) are not text and pass.
 */

/** Deepest nesting of objects and arrays a request may carry. */
export const MAX_DEPTH = 20;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first problem found in `value`, as `{ path, problem }`, or `undefined` when it is clean.
 * `problem` is `nul` (U+0000), `surrogate` (unpaired surrogate) or `depth` (over {@link MAX_DEPTH}).
 */
export function findUnstorable(value: unknown, path = '', depth = 0): { path: string; problem: 'nul' | 'surrogate' | 'depth' } | undefined {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { path, problem: 'nul' };
    if (LONE_SURROGATE.test(value)) return { path, problem: 'surrogate' };
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  // raw uploads (a PDF to verify, a catalogue file) are bytes, not text to store
  if (value instanceof Uint8Array) return undefined;
  if (depth >= MAX_DEPTH) return { path, problem: 'depth' };
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const p = `${path}/${k}`;
    const bad = findUnstorable(String(k), p, depth + 1) ?? findUnstorable(v, p, depth + 1);
    if (bad) return bad;
  }
  return undefined;
}
