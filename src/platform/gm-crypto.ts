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
