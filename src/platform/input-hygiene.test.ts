import { describe, expect, it } from 'vitest';
import { findUnstorable, MAX_DEPTH } from './input-hygiene.js';

describe('findUnstorable', () => {
  it('finds NUL and lone surrogates with their path', () => {
    expect(findUnstorable({ form: { name: 'a\u0000b' } })).toEqual({ path: '/form/name', problem: 'nul' });
    expect(findUnstorable({ list: ['ok', '\uD800x'] })).toEqual({ path: '/list/1', problem: 'surrogate' });
    expect(findUnstorable({ ok: '陈清华 😀' })).toBeUndefined();
  });

  it('refuses nesting deeper than the limit', () => {
    let v: unknown = 'x';
    for (let i = 0; i <= MAX_DEPTH; i++) v = [v];
    expect(findUnstorable(v)?.problem).toBe('depth');
  });

  it('lets raw bytes pass, also bytes that would be NUL as text (an uploaded PDF)', () => {
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xd8, 0x00]);
    expect(findUnstorable(bytes)).toBeUndefined();
  });
});
