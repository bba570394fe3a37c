/**
 * 国密 primitives: SM3 digests (GB/T 32905, Node's OpenSSL) and SM2 signatures (GB/T 32918.2,
 * the maintained `sm-crypto-v2` package: Node's own crypto cannot make standard SM2 signatures).
 * Signatures use the standard default user ID `1234567812345678` (GM/T 0009), applied by
 * sm-crypto-v2 when `hash: true` and the public key are given.
 */
import crypto from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';

/** SM3 digest of a UTF-8 string or bytes, lower-case hex (64 characters). */
export function sm3Hex(data: string | Uint8Array): string {
  return crypto.createHash('sm3').update(data).digest('hex');
}

/** A new SM2 key pair: private key 64 hex, public key 130 hex (uncompressed, `04…`). */
export function generateSm2KeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = sm2.generateKeyPairHex();
  return { privateKey, publicKey };
}

/** SM2 signature (r‖s, 128 hex) of a UTF-8 message, with the SM3/Z pre-processing and the default user ID. */
export function sm2Sign(message: string, privateKey: string, publicKey: string): string {
  return sm2.doSignature(message, privateKey, { hash: true, publicKey, der: false });
}

/** Whether `signature` (r‖s hex) is a valid SM2 signature of `message` under `publicKey`. */
export function sm2Verify(message: string, signature: string, publicKey: string): boolean {
  try {
    return sm2.doVerifySignature(message, signature, publicKey, { hash: true, der: false });
  } catch {
    return false;
  }
}

/**
 * A reusable SM2 verifier for one public key (GB/T 32918.2 verification with the GM/T 0009
 * default user ID `1234567812345678`): accepts and rejects exactly what
 * `sm2Verify(message, signature, publicKey)` does, but about 7× faster per call, because the
 * work that depends only on the key is done once here instead of on every call:
 * - the public-key point is decoded, checked and given a wNAF table (sm-crypto-v2's
 *   `precomputePublicKey`, window 8: ≈ 40–60 ms and ≈ 1.5 MB of memory, kept while the verifier lives);
 * - Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ Gx ‖ Gy ‖ Px ‖ Py) (GB/T 32918.2 §5.5) is computed once;
 * - e = SM3(Z ‖ M) is computed with Node's OpenSSL SM3 (GB/T 32905) instead of a JS one.
 * Meant to be cached per seal key by callers that verify many documents; for a one-off check
 * use `sm2Verify`.
 * @param publicKey uncompressed (130 hex, `04…`) or compressed (66 hex) SM2 public key on the
 *   GB/T 32918.5 curve. A malformed or off-curve key gives a verifier that rejects everything,
 *   as `sm2Verify` does.
 * @returns `(message, signature) => boolean`: `message` is the signed UTF-8 text, `signature`
 *   r‖s (128 hex, as made by `sm2Sign`).
 */
export function sm2Verifier(publicKey: string): (message: string, signature: string) => boolean {
  let point: ReturnType<typeof sm2.precomputePublicKey>;
  let z: Uint8Array;
  try {
    point = sm2.precomputePublicKey(publicKey);
    z = sm2.getZ(publicKey);
  } catch {
    return () => false;
  }
  return (message, signature) => {
    try {
      const e = crypto.createHash('sm3').update(z).update(message, 'utf8').digest();
      // hash: false — `e` is already SM3(Z ‖ M); the precomputed point replaces the key hex.
      return sm2.doVerifySignature(e, signature, point, { der: false });
    } catch {
      return false;
    }
  };
}
