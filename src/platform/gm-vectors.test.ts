/**
 * Published test vectors for the 国密 primitives in gm-crypto.ts, and an independent,
 * step-by-step SM2 (GB/T 32918.2) signer/verifier used to tie sm-crypto-v2 to them.
 *
 * Every expected value below is copied from a published source (named at each vector), never
 * from our own output. The vectors were taken from the shared dataset
 * `test-vectors.json` (keys `sm3`, `sm2_sign_test_curve_gmt0003_annex`) and from
 * GM/T 0003.5-2012 Annex A; they are inlined so that a clone of the project can run the tests.
 *
 * The generic SM2 helpers below (curve on any parameters, Z, e, sign with a given k, verify)
 * are test support, not product code: they follow GB/T 32918.2 §5.5, §6.1 and §7.1 literally,
 * on top of @noble/curves' generic short-Weierstrass point arithmetic, and use OUR `sm3Hex`
 * (Node/OpenSSL SM3) for every digest.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weierstrassN, type WeierstrassPoint, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';
import { invert, mod } from '@noble/curves/abstract/modular.js';
import { sm2 } from 'sm-crypto-v2';
import { generateSm2KeyPair, sm2Sign, sm2Verifier, sm2Verify, sm3Hex } from './gm-crypto.js';

// ───────────────────────────── helpers (test support) ─────────────────────────────

/** Hex as printed in the standards (8-digit groups, upper case) → bigint. */
const h = (s: string) => BigInt('0x' + s.replace(/\s+/g, ''));
/** Hex as printed in the standards → lower-case hex without spaces (our digests' format). */
const hx = (s: string) => s.replace(/\s+/g, '').toLowerCase();
const hex64 = (x: bigint) => x.toString(16).padStart(64, '0');
const bytes32 = (x: bigint) => Buffer.from(hex64(x), 'hex');

interface CurveParams {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  Gx: bigint;
  Gy: bigint;
}
interface Curve extends CurveParams {
  Point: WeierstrassPointCons<bigint>;
}
type Point = WeierstrassPoint<bigint>;

/** A prime-field curve y² = x³ + ax + b with base point G of prime order n (cofactor 1). */
function defineCurve(c: CurveParams): Curve {
  return { ...c, Point: weierstrassN({ p: c.p, n: c.n, h: 1n, a: c.a, b: c.b, Gx: c.Gx, Gy: c.Gy }) };
}

/** A public key given by its coordinates, checked to be on the curve. */
function pointAt(c: Curve, x: bigint, y: bigint): Point {
  const P = c.Point.fromAffine({ x, y });
  P.assertValidity();
  return P;
}

/** `04‖x‖y` (130 hex), the uncompressed encoding sm-crypto-v2 and gm-crypto use. */
const publicKeyHex = (P: Point) => '04' + hex64(P.x) + hex64(P.y);
/** Inverse of publicKeyHex. */
const pointFromHex = (c: Curve, pub: string) => pointAt(c, BigInt('0x' + pub.slice(2, 66)), BigInt('0x' + pub.slice(66, 130)));

/** Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) — GB/T 32918.2 §5.5; ENTL = bit length of ID, 2 bytes. */
function zValue(c: CurveParams, id: string, P: { x: bigint; y: bigint }): string {
  const idBytes = Buffer.from(id, 'utf8');
  const entl = idBytes.length * 8;
  if (entl > 0xffff) throw new Error('ID too long');
  return sm3Hex(Buffer.concat([Buffer.from([entl >> 8, entl & 0xff]), idBytes, ...[c.a, c.b, c.Gx, c.Gy, P.x, P.y].map(bytes32)]));
}

/** e = SM3(Z ‖ M) — GB/T 32918.2 §6.1 A1–A2 (a string message is taken as UTF-8). */
function eValue(z: string, message: string | Uint8Array): string {
  return sm3Hex(Buffer.concat([Buffer.from(z, 'hex'), typeof message === 'string' ? Buffer.from(message, 'utf8') : message]));
}

/** GB/T 32918.2 §6.1 A4–A6 with a given k: r = (e + x1) mod n, s = (1 + d)⁻¹·(k − r·d) mod n. */
function signWithK(c: Curve, d: bigint, k: bigint, eHex: string): { r: bigint; s: bigint; x1: bigint; y1: bigint } {
  if (k < 1n || k >= c.n) throw new Error('k out of [1, n-1]');
  const { x: x1, y: y1 } = c.Point.BASE.multiply(k).toAffine();
  const r = mod(BigInt('0x' + eHex) + x1, c.n);
  if (r === 0n || r + k === c.n) throw new Error('A5: choose another k');
  const s = mod(invert(1n + d, c.n) * (k - r * d), c.n);
  if (s === 0n) throw new Error('A6: choose another k');
  return { r, s, x1, y1 };
}

/**
 * GB/T 32918.2 §7.1 B1–B7: r, s ∈ [1, n−1]; t = (r + s) mod n ≠ 0;
 * (x1', y1') = s·G + t·P; accept iff (e + x1') mod n = r.
 */
function verifyOnCurve(c: Curve, P: Point, eHex: string, r: bigint, s: bigint): boolean {
  if (r < 1n || r >= c.n || s < 1n || s >= c.n) return false;
  const t = mod(r + s, c.n);
  if (t === 0n) return false;
  const X = c.Point.BASE.multiply(s).add(P.multiply(t));
  if (X.is0()) return false;
  return mod(BigInt('0x' + eHex) + X.toAffine().x, c.n) === r;
}

/** r‖s (128 hex) → bigints, and back. */
const splitSig = (sig: string) => ({ r: BigInt('0x' + sig.slice(0, 64)), s: BigInt('0x' + sig.slice(64)) });
const joinSig = (r: bigint, s: bigint) => hex64(r) + hex64(s);

/** A random scalar in [1, n−1]. */
const randomScalar = (n: bigint) => mod(BigInt('0x' + crypto.randomBytes(40).toString('hex')), n - 1n) + 1n;

/** The same bytes with one byte changed (last byte XOR 1). */
function alterOneByte(message: string): Buffer {
  const b = Buffer.from(message, 'utf8');
  b[b.length - 1] ^= 0x01;
  return b;
}

/** GM/T 0009-2012 default user ID, used by gm-crypto (through sm-crypto-v2). */
const DEFAULT_ID = '1234567812345678';

// A decision document shaped like the ones applications/service.ts seals (canonical JSON, Chinese).
const DECISION = JSON.stringify({
  applicantName: '青城市某某建筑工程有限公司',
  applicationNumber: 'QC-2026-000123',
  authority: '青城市行政审批局',
  decidedAt: '2026-03-02T08:30:00.000Z',
  decisionDate: '2026-03-02',
  itemCode: '11510100MB1234567X4000112001000',
  itemName: '建筑工程施工许可证核发',
  kind: '准予行政许可决定书',
  outcome: 'granted',
  reasons: '经审查，申请材料齐全、符合法定形式，依据《中华人民共和国行政许可法》第三十八条第一款，决定准予行政许可。',
});

// ───────────────────────────────────── SM3 ─────────────────────────────────────

describe('SM3 published vector', () => {
  it('SM3("abc") is the GB/T 32905-2016 Annex A.1 digest', () => {
    // GB/T 32905-2016 / GM/T 0004-2012 Annex A example 1 (dataset test-vectors.json, key `sm3.abc`).
    expect(sm3Hex('abc')).toBe(hx('66C7F0F4 62EEEDD9 D1F2D46B DC10E4E2 4167C487 5CF2F7A2 297DA02B 8F4BA8E0'));
    expect(sm3Hex(Buffer.from('abc'))).toBe(hx('66C7F0F4 62EEEDD9 D1F2D46B DC10E4E2 4167C487 5CF2F7A2 297DA02B 8F4BA8E0'));
  });
});

// ───────────────────── SM2, GB/T 32918.2 Annex A example on the test curve ─────────────────────

// GM/T 0003.2-2012 / GB/T 32918.2-2016 Annex A (A.2, digital signature on the 256-bit prime-field
// example curve), as in the shared dataset test-vectors.json key `sm2_sign_test_curve_gmt0003_annex`
// (also reproduced in ww-rm/gmalg tests.py test_sign1/test_sign2).
const ANNEX_A = {
  curve: {
    p: h('8542D69E 4C044F18 E8B92435 BF6FF7DE 45728391 5C45517D 722EDB8B 08F1DFC3'),
    a: h('787968B4 FA32C3FD 2417842E 73BBFEFF 2F3C848B 6831D7E0 EC65228B 3937E498'),
    b: h('63E4C6D3 B23B0C84 9CF84241 484BFE48 F61D59A5 B16BA06E 6E12D1DA 27C5249A'),
    Gx: h('421DEBD6 1B62EAB6 746434EB C3CC315E 32220B3B ADD50BDC 4C4E6C14 7FEDD43D'),
    Gy: h('0680512B CBB42C07 D47349D2 153B70C4 E5D7FDFC BFA36EA1 A85841B9 E46E09A2'),
    n: h('8542D69E 4C044F18 E8B92435 BF6FF7DD 29772063 0485628D 5AE74EE7 C32E79B7'),
  },
  ID: 'ALICE123@YAHOO.COM',
  M: 'message digest',
  d: h('128B2FA8 BD433C6C 068C8D80 3DFF7979 2A519A55 171B1B65 0C23661D 15897263'),
  Px: h('0AE4C779 8AA0F119 471BEE11 825BE462 02BB79E2 A5844495 E97C04FF 4DF2548A'),
  Py: h('7C0240F8 8F1CD4E1 6352A73C 17B7F16F 07353E53 A176D684 A9FE0C6B B798E857'),
  k: h('6CB28D99 385C175C 94F94E93 4817663F C176D925 DD72B727 260DBAAE 1FB2F96F'),
  Z: hx('F4A38489 E32B45B6 F876E3AC 2168CA39 2362DC8F 23459C1D 1146FC3D BFB7BC9A'),
  e: hx('B524F552 CD82B8B0 28476E00 5C377FB1 9A87E6FC 682D48BB 5D42E3D9 B9EFFE76'),
  r: h('40F1EC59 F793D9F4 9E09DCEF 49130D41 94F79FB1 EED2CAA5 5BACDB49 C4E755D1'),
  s: h('6FC6DAC3 2C5D5CF1 0C77DFB2 0F7C2EB6 67A45787 2FB09EC5 6327A67E C7DEEBE7'),
};

describe('SM2 GB/T 32918.2 Annex A example (test curve, ID ALICE123@YAHOO.COM)', () => {
  const C = defineCurve(ANNEX_A.curve);

  it('the example curve is well formed: G on the curve, n·G = O', () => {
    expect(() => C.Point.BASE.assertValidity()).not.toThrow();
    expect(C.Point.BASE.multiply(C.n - 1n).add(C.Point.BASE).is0()).toBe(true);
  });

  it('P = d·G is the published public key', () => {
    const P = C.Point.BASE.multiply(ANNEX_A.d).toAffine();
    expect(P.x).toBe(ANNEX_A.Px);
    expect(P.y).toBe(ANNEX_A.Py);
  });

  it('Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ Gx ‖ Gy ‖ Px ‖ Py), computed with our sm3Hex, is the published Z', () => {
    expect(zValue(ANNEX_A.curve, ANNEX_A.ID, { x: ANNEX_A.Px, y: ANNEX_A.Py })).toBe(ANNEX_A.Z);
  });

  it('e = SM3(Z ‖ M) is the published e', () => {
    expect(eValue(ANNEX_A.Z, ANNEX_A.M)).toBe(ANNEX_A.e);
  });

  it('signing with the published k gives the published r and s', () => {
    const { r, s } = signWithK(C, ANNEX_A.d, ANNEX_A.k, ANNEX_A.e);
    expect(r).toBe(ANNEX_A.r);
    expect(s).toBe(ANNEX_A.s);
  });

  it('the verification equation accepts (r, s) and rejects r+1 and a one-byte-altered message', () => {
    const P = pointAt(C, ANNEX_A.Px, ANNEX_A.Py);
    expect(verifyOnCurve(C, P, ANNEX_A.e, ANNEX_A.r, ANNEX_A.s)).toBe(true);
    expect(verifyOnCurve(C, P, ANNEX_A.e, ANNEX_A.r + 1n, ANNEX_A.s)).toBe(false);
    const altered = alterOneByte(ANNEX_A.M);
    expect(altered.toString()).toBe('message digesu');
    expect(verifyOnCurve(C, P, eValue(ANNEX_A.Z, altered), ANNEX_A.r, ANNEX_A.s)).toBe(false);
    // and the whole chain from the message, not from the published e:
    expect(verifyOnCurve(C, P, eValue(zValue(C, ANNEX_A.ID, P), ANNEX_A.M), ANNEX_A.r, ANNEX_A.s)).toBe(true);
  });
});

// ─────────────────── SM2 on the standard curve: sm-crypto-v2 vs the checked algorithm ───────────────────

// GB/T 32918.5-2017 (= GM/T 0003.5-2012) recommended 256-bit curve parameters, as printed in the
// standard. Cross-checked against sm-crypto-v2's constants below (public key from a private key, Z).
const STANDARD = defineCurve({
  p: h('FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFF'),
  a: h('FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFC'),
  b: h('28E9FA9E 9D9F5E34 4D5A9E4B CF6509A7 F39789F5 15AB8F92 DDBCBD41 4D940E93'),
  n: h('FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF 7203DF6B 21C6052B 53BBF409 39D54123'),
  Gx: h('32C4AE2C 1F198119 5F990446 6A39C994 8FE30BBF F2660BE1 715A4589 334C74C7'),
  Gy: h('BC3736A2 F4F6779C 59BDCEE3 6B692153 D0A9877C C62A4740 02DF32E5 2139F0A0'),
});

// GM/T 0003.5-2012 Annex A.2 (reproduced in GB/T 32918.5-2017 Annex A): signature example on the
// recommended curve with the default ID. Widely reproduced, e.g. OpenSSL test/sm2_internal_test.c,
// ww-rm/gmalg tests.py (test_sign), Tongsuo's Python examples; Z_A and e also in several SM2 self-tests.
const GMT0003_5 = {
  ID: DEFAULT_ID,
  M: 'message digest',
  d: h('3945208F 7B2144B1 3F36E38A C6D39F95 88939369 2860B51A 42FB81EF 4DF7C5B8'),
  Px: h('09F9DF31 1E5421A1 50DD7D16 1E4BC5C6 72179FAD 1833FC07 6BB08FF3 56F35020'),
  Py: h('CCEA490C E26775A5 2DC6EA71 8CC1AA60 0AED05FB F35E084A 6632F607 2DA9AD13'),
  Z: hx('B2E14C5C 79C6DF5B 85F4FE7E D8DB7A26 2B9DA7E0 7CCB0EA9 F4747B8C CDA8A4F3'),
  e: hx('F0B43E94 BA45ACCA ACE692ED 534382EB 17E6AB5A 19CE7B31 F4486FDF C0D28640'),
  k: h('59276E27 D506861A 16680F3A D9C02DCC EF3CC1FA 3CDBE4CE 6D54B80D EAC1BC21'),
  x1: h('04EBFC71 8E8D1798 62043226 8E77FEB6 415E2EDE 0E073C0F 4F640ECD 2E149A73'),
  y1: h('E858F9D8 1E5430A5 7B36DAAB 8F950A3C 64E6EE6A 63094D99 283AFF76 7E124DF0'),
  r: h('F5A03B06 48D2C463 0EEAC513 E1BB81A1 5944DA38 27D5B741 43AC7EAC EEE720B3'),
  s: h('B1B6AA29 DF212FD8 763182BC 0D421CA1 BB9038FD 1F7F42D4 840B69C4 85BBC1AA'),
  // verification intermediates: t = (r + s) mod n, [s]G and [t]P
  t: h('A756E531 27F3F43B 851C47CF EEFD9E43 A2D133CA 258EF4EA 73FBF468 3ACDA13A'),
  sGx: h('2B9CE14E 3C8D1FFC 46D693FA 0B54F2BD C4825A50 6607655D E22894B5 C99D3746'),
  sGy: h('277BFE04 D1E526B4 E1C32726 435761FB CE0997C2 6390919C 4417B3A0 A8639A59'),
  tPx: h('FDAC1EFA A770E463 5885CA1B BFB360A5 84B238FB 2902ECF0 9DDC935F 60BF4F9B'),
  tPy: h('B89AA926 3D5632F6 EE82222E 4D63198E 78E095C2 4042CBE7 15C23F71 1422D74C'),
};

describe('SM2 standard curve (GB/T 32918.5) — parameters', () => {
  it('G is on the curve and has order n', () => {
    expect(() => STANDARD.Point.BASE.assertValidity()).not.toThrow();
    expect(STANDARD.Point.BASE.multiply(STANDARD.n - 1n).add(STANDARD.Point.BASE).is0()).toBe(true);
  });

  it('matches sm-crypto-v2: the same private keys give the same public keys', () => {
    for (const d of [1n, 2n, GMT0003_5.d, STANDARD.n - 1n, randomScalar(STANDARD.n), randomScalar(STANDARD.n)]) {
      expect(sm2.getPublicKeyFromPrivateKey(hex64(d))).toBe(publicKeyHex(STANDARD.Point.BASE.multiply(d)));
    }
  });
});

describe('SM2 GM/T 0003.5-2012 Annex A.2 example (standard curve, default ID)', () => {
  const C = STANDARD;
  const pub = '04' + hex64(GMT0003_5.Px) + hex64(GMT0003_5.Py);
  const sig = joinSig(GMT0003_5.r, GMT0003_5.s);

  it('P = d·G is the published public key', () => {
    const P = C.Point.BASE.multiply(GMT0003_5.d).toAffine();
    expect(P.x).toBe(GMT0003_5.Px);
    expect(P.y).toBe(GMT0003_5.Py);
  });

  it('Z (our sm3Hex) and e are the published values', () => {
    expect(zValue(C, GMT0003_5.ID, { x: GMT0003_5.Px, y: GMT0003_5.Py })).toBe(GMT0003_5.Z);
    expect(eValue(GMT0003_5.Z, GMT0003_5.M)).toBe(GMT0003_5.e);
  });

  it('signing with the published k gives the published k·G, r and s', () => {
    const { r, s, x1, y1 } = signWithK(C, GMT0003_5.d, GMT0003_5.k, GMT0003_5.e);
    expect([x1, y1]).toEqual([GMT0003_5.x1, GMT0003_5.y1]);
    expect(r).toBe(GMT0003_5.r);
    expect(s).toBe(GMT0003_5.s);
  });

  it('the generic verifier accepts it, with the published t, s·G and t·P, and rejects alterations', () => {
    const P = pointAt(C, GMT0003_5.Px, GMT0003_5.Py);
    expect(mod(GMT0003_5.r + GMT0003_5.s, C.n)).toBe(GMT0003_5.t);
    expect(C.Point.BASE.multiply(GMT0003_5.s).toAffine()).toEqual({ x: GMT0003_5.sGx, y: GMT0003_5.sGy });
    expect(P.multiply(GMT0003_5.t).toAffine()).toEqual({ x: GMT0003_5.tPx, y: GMT0003_5.tPy });
    expect(verifyOnCurve(C, P, GMT0003_5.e, GMT0003_5.r, GMT0003_5.s)).toBe(true);
    expect(verifyOnCurve(C, P, GMT0003_5.e, GMT0003_5.r + 1n, GMT0003_5.s)).toBe(false);
    expect(verifyOnCurve(C, P, eValue(GMT0003_5.Z, alterOneByte(GMT0003_5.M)), GMT0003_5.r, GMT0003_5.s)).toBe(false);
  });

  it('our sm2Verify and sm2Verifier accept the published signature and reject alterations', () => {
    const verifier = sm2Verifier(pub);
    for (const check of [(m: string, s: string) => sm2Verify(m, s, pub), verifier]) {
      expect(check(GMT0003_5.M, sig)).toBe(true);
      expect(check('message digesu', sig)).toBe(false);
      expect(check(GMT0003_5.M, joinSig(GMT0003_5.r + 1n, GMT0003_5.s))).toBe(false);
      expect(check(GMT0003_5.M, joinSig(GMT0003_5.r, GMT0003_5.s + 1n))).toBe(false);
    }
  });

  it("sm-crypto-v2's getZ gives the published Z for the default ID", () => {
    expect(Buffer.from(sm2.getZ(pub)).toString('hex')).toBe(GMT0003_5.Z);
  });
});

describe('SM2 standard curve — sm-crypto-v2 (through gm-crypto) agrees with the checked algorithm', () => {
  const C = STANDARD;

  it('(a) signatures made by sm2Sign verify under the generic verifier with the default ID', () => {
    for (const message of [DECISION, '准予行政许可决定书', 'message digest', '', '😀 emoji and 𠮷 (astral)']) {
      const k = generateSm2KeyPair();
      const sig = sm2Sign(message, k.privateKey, k.publicKey);
      expect(sig).toMatch(/^[0-9a-f]{128}$/);
      const P = pointFromHex(C, k.publicKey);
      const { r, s } = splitSig(sig);
      const z = zValue(C, DEFAULT_ID, P);
      expect(verifyOnCurve(C, P, eValue(z, message), r, s)).toBe(true);
      expect(verifyOnCurve(C, P, eValue(z, message + '。'), r, s)).toBe(false);
      expect(verifyOnCurve(C, P, eValue(zValue(C, 'ALICE123@YAHOO.COM', P), message), r, s)).toBe(false);
    }
  });

  it('(b) signatures made by the generic signer (given k, default ID) verify with sm2Verify; altered ones do not', () => {
    // one fixed (d, k) pair plus random ones
    const pairs: [bigint, bigint][] = [[h('6B1E5F3A 2C9D8E7F 1A2B3C4D 5E6F7081 92A3B4C5 D6E7F809 1A2B3C4D 5E6F7081'), h('0F1E2D3C 4B5A6978 8796A5B4 C3D2E1F0 0F1E2D3C 4B5A6978 8796A5B4 C3D2E1F0')]];
    for (let i = 0; i < 4; i++) pairs.push([randomScalar(C.n), randomScalar(C.n)]);
    for (const [d, k] of pairs) {
      const P = C.Point.BASE.multiply(d);
      const pub = publicKeyHex(P);
      const { r, s } = signWithK(C, d, k, eValue(zValue(C, DEFAULT_ID, P), DECISION));
      const sig = joinSig(r, s);
      expect(sm2Verify(DECISION, sig, pub)).toBe(true);
      expect(sm2Verify(DECISION.replace('准予', '不予'), sig, pub)).toBe(false);
      expect(sm2Verify(DECISION, joinSig(r, mod(s + 1n, C.n)), pub)).toBe(false);
      expect(sm2Verify(DECISION, joinSig(mod(r + 1n, C.n), s), pub)).toBe(false);
    }
  });

  it('(c) sm2.getZ (default and explicit ID) is the GB/T 32918.2 §5.5 Z', () => {
    for (let i = 0; i < 3; i++) {
      const { publicKey } = generateSm2KeyPair();
      const P = pointFromHex(C, publicKey);
      expect(Buffer.from(sm2.getZ(publicKey)).toString('hex')).toBe(zValue(C, DEFAULT_ID, P));
      expect(Buffer.from(sm2.getZ(publicKey, 'ALICE123@YAHOO.COM')).toString('hex')).toBe(zValue(C, 'ALICE123@YAHOO.COM', P));
    }
  });
});

// ─────────────────────────── sm2Verifier ≡ sm2Verify ───────────────────────────

describe('sm2Verifier (precomputed key) accepts and rejects exactly as sm2Verify', () => {
  const key = generateSm2KeyPair();
  const other = generateSm2KeyPair();
  const verify = sm2Verifier(key.publicKey);
  const n = STANDARD.n;

  function same(message: string, signature: string, expected: boolean, publicKey = key.publicKey, verifier = verify) {
    expect(sm2Verify(message, signature, publicKey), `sm2Verify ${JSON.stringify(message).slice(0, 30)} ${signature.slice(0, 20)}`).toBe(expected);
    expect(verifier(message, signature), `sm2Verifier ${JSON.stringify(message).slice(0, 30)} ${signature.slice(0, 20)}`).toBe(expected);
  }

  it('on valid signatures, altered messages and altered or malformed signatures', () => {
    const sig = sm2Sign(DECISION, key.privateKey, key.publicKey);
    const { r, s } = splitSig(sig);
    same(DECISION, sig, true);
    same(DECISION, sig.toUpperCase(), true); // hex case is not significant to either
    same(DECISION + ' ', sig, false);
    same(DECISION.replace('准予', '不予'), sig, false);
    same(DECISION, joinSig(r + 1n, s), false);
    same(DECISION, joinSig(r, s + 1n), false);
    same(DECISION, joinSig(s, r), false);
    same(DECISION, joinSig(0n, s), false);
    same(DECISION, joinSig(r, 0n), false);
    same(DECISION, joinSig(r, s + n), false); // s ≥ n
    same(DECISION, joinSig(r + n, s), false); // r ≥ n
    same(DECISION, joinSig(n, n), false);
    same(DECISION, '0'.repeat(128), false);
    same(DECISION, sig.slice(0, 127), false);
    same(DECISION, sig + '00', false);
    same(DECISION, 'zz' + sig.slice(2), false);
    same(DECISION, '', false);
    same(DECISION, sm2.doSignature(DECISION, key.privateKey, { hash: true, publicKey: key.publicKey, der: true }), false);
    same(DECISION, sm2Sign(DECISION, other.privateKey, other.publicKey), false);
  });

  it('on messages whose UTF-8 encoding is delicate (astral characters, lone surrogates, NUL)', () => {
    for (const message of ['𠮷野家 😀', '\uD800', '\uDC00x', 'a\u0000b']) {
      same(message, sm2Sign(message, key.privateKey, key.publicKey), true);
    }
    // a lone surrogate is encoded as U+FFFD by both (WHATWG UTF-8), so these coincide for both as well
    same('\uFFFD', sm2Sign('\uD800', key.privateKey, key.publicKey), true);
  });

  it('on malformed or off-curve public keys (rejects everything, as sm2Verify does)', () => {
    const sig = sm2Sign(DECISION, key.privateKey, key.publicKey);
    const offCurve = key.publicKey.slice(0, -1) + ((parseInt(key.publicKey.slice(-1), 16) + 1) % 16).toString(16);
    for (const bad of ['', 'zz', key.publicKey.slice(2), offCurve, '04' + '0'.repeat(128)]) {
      same(DECISION, sig, false, bad, sm2Verifier(bad));
    }
  });

  it('on a compressed public key', () => {
    const compressed = sm2.compressPublicKeyHex(key.publicKey);
    const sig = sm2Sign(DECISION, key.privateKey, key.publicKey);
    same(DECISION, sig, true, compressed, sm2Verifier(compressed));
    same(DECISION + '.', sig, false, compressed, sm2Verifier(compressed));
  });

  it('on random messages and random single-character changes of message or signature (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.nat(), fc.integer({ min: 0, max: 2 }), (message, pos, what) => {
        const sig = sm2Sign(message, key.privateKey, key.publicKey);
        let m = message;
        let sg = sig;
        if (what === 1 && message.length > 0) {
          const i = pos % message.length;
          m = message.slice(0, i) + String.fromCharCode(message.charCodeAt(i) ^ 1) + message.slice(i + 1);
        } else if (what === 2) {
          const i = pos % sig.length;
          sg = sig.slice(0, i) + ((parseInt(sig[i], 16) + 1) % 16).toString(16) + sig.slice(i + 1);
        }
        const expected = sm2Verify(m, sg, key.publicKey);
        expect(verify(m, sg)).toBe(expected);
        if (m === message && sg === sig) expect(expected).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
