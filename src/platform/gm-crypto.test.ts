import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair, sm2Sign, sm2Verify, sm3Hex } from './gm-crypto.js';
import { open, seal, SecretBoxError } from './secret-box.js';
import crypto from 'node:crypto';

describe('SM3 (GB/T 32905)', () => {
  it('gives the standard example digest of "abc"', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });
  it('gives the standard example digest of "abcd" × 16', () => {
    // GB/T 32905-2016 Annex A.2
    expect(sm3Hex('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });
});

describe('SM2 signatures', () => {
  it('verifies its own signature and refuses an altered message or another key', () => {
    const k = generateSm2KeyPair();
    const sig = sm2Sign('准予行政许可决定书', k.privateKey, k.publicKey);
    expect(sig).toMatch(/^[0-9a-f]{128}$/);
    expect(sm2Verify('准予行政许可决定书', sig, k.publicKey)).toBe(true);
    expect(sm2Verify('不予行政许可决定书', sig, k.publicKey)).toBe(false);
    expect(sm2Verify('准予行政许可决定书', sig, generateSm2KeyPair().publicKey)).toBe(false);
    expect(sm2Verify('准予行政许可决定书', 'zz', k.publicKey)).toBe(false);
  });
});

describe('secret box (AES-256-GCM)', () => {
  it('opens with the right key only', () => {
    const key = crypto.randomBytes(32);
    const box = seal('私钥', key);
    expect(open(box, key)).toBe('私钥');
    expect(() => open(box, crypto.randomBytes(32))).toThrow(SecretBoxError);
    expect(() => open(box.slice(0, -4) + 'AAAA', key)).toThrow(SecretBoxError);
  });
});
