/**
 * Encryption of secrets at rest (seal private keys): AES-256-GCM from Node's crypto, with a
 * master key from configuration. Text form: `v1.<iv b64>.<tag b64>.<ciphertext b64>`.
 */
import crypto from 'node:crypto';

/** Thrown when a box cannot be opened (wrong key, or the text was altered). */
export class SecretBoxError extends Error {}

/** Encrypts `plaintext` (UTF-8) with the 32-byte `key`. */
export function seal(plaintext: string, key: Buffer): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join('.');
}

/** Decrypts a text made by {@link seal}. @throws SecretBoxError */
export function open(box: string, key: Buffer): string {
  const [v, iv, tag, ct] = box.split('.');
  if (v !== 'v1' || !iv || !tag || !ct) throw new SecretBoxError('not a secret box');
  try {
    const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    d.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64')), d.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('cannot open: wrong key or altered');
  }
}
