import { describe, expect, it } from 'vitest';
import { containsPii, derivePiiHashKey, derivePiiKey, maskFields, openFields, parsePiiKeys, PiiVault, PiiVaultError, piiKindOf, piiVaultFor, sealFields } from './pii-vault.js';

const MASTER = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);
const HASH_KEY = Buffer.alloc(32, 0x5c);

describe('personal-data keys', () => {
  it('derives the data and hash keys with HKDF-SHA256 (vectors from `openssl kdf … HKDF`)', () => {
    // openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexkey:0001…1f -kdfopt salt:onewindow/pii -kdfopt info:data-key/0 HKDF
    expect(derivePiiKey(MASTER, 0).toString('hex')).toBe('6be7e709ff2e80d18bdef0f61ad0e4d58a1545dfc608c2237eea23b1861ebb03');
    // … -kdfopt info:search-hash HKDF
    expect(derivePiiHashKey(MASTER).toString('hex')).toBe('cccb3cf514fcf5b7b05a4ee9ee1ab809f28e0d2d836d19a1d5b482f6ca670c08');
    expect(derivePiiKey(MASTER, 1).equals(derivePiiKey(MASTER, 0))).toBe(false);
  });

  it('parses ONEWINDOW_PII_KEYS, current first, and refuses malformed lists', () => {
    const keys = parsePiiKeys(` 2:${'b2'.repeat(32)}, 1:${'A1'.repeat(32)} `);
    expect(keys.map((k) => [k.id, k.key.toString('hex')])).toEqual([
      [2, 'b2'.repeat(32)],
      [1, 'a1'.repeat(32)],
    ]);
    expect(() => parsePiiKeys(`0:${'00'.repeat(32)}`)).toThrow(PiiVaultError);
    expect(() => parsePiiKeys(`1:${'00'.repeat(31)}`)).toThrow(/entry 1/);
    expect(() => parsePiiKeys(`1:${'00'.repeat(32)},1:${'11'.repeat(32)}`)).toThrow(/twice/);
    expect(() => parsePiiKeys(' , ')).toThrow(/no key/);
  });

  it('keeps the derived key 0 readable when a list is configured', () => {
    const before = piiVaultFor({ masterKey: () => MASTER });
    expect(before.currentKeyId).toBe(0);
    const sealed = before.encrypt('13800001234', 'users.phone');
    expect(sealed.startsWith('p0.')).toBe(true);
    const after = piiVaultFor({ masterKey: () => MASTER, piiKeys: parsePiiKeys(`3:${'c3'.repeat(32)}`) });
    expect(after.currentKeyId).toBe(3);
    expect(after.decrypt(sealed, 'users.phone')).toBe('13800001234');
  });
});

describe('PiiVault', () => {
  const vault = new PiiVault([{ id: 1, key: KEY_A }], HASH_KEY);

  it('opens the AES-256-GCM vector of the GCM specification (test case 14: zero key, IV and 16 zero bytes)', () => {
    const zero = new PiiVault([{ id: 1, key: Buffer.alloc(32) }], HASH_KEY);
    // C = cea7403d4d606b6e074ec5d3baf39d18, T = d0d1c8a799996bf0265b98b5d48ab919, no AAD
    expect(zero.decrypt('p1.AAAAAAAAAAAAAAAA.0NHIp5mZa_AmW5i11Iq5GQ.zqdAPU1ga24HTsXTuvOdGA', '')).toBe('\0'.repeat(16));
  });

  it('round-trips, with a fresh IV each time and the key id in front', () => {
    const a = vault.encrypt('441802199003071235', 'users.id_number');
    const b = vault.encrypt('441802199003071235', 'users.id_number');
    expect(a).toMatch(/^p1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{24}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('441802199003071235');
    expect(vault.decrypt(a, 'users.id_number')).toBe('441802199003071235');
    expect(vault.decrypt(vault.encrypt('陈清华的电话', 'x'), 'x')).toBe('陈清华的电话');
    expect(PiiVault.keyIdOf(a)).toBe(1);
    expect(PiiVault.isSealed('441802199003071235')).toBe(false);
  });

  it('refuses a wrong key, another field, an unknown key id and an altered value', () => {
    const sealed = vault.encrypt('13800001234', 'users.phone');
    expect(() => new PiiVault([{ id: 1, key: KEY_B }], HASH_KEY).decrypt(sealed, 'users.phone')).toThrow(PiiVaultError);
    expect(() => vault.decrypt(sealed, 'users.id_number')).toThrow(/cannot open/);
    expect(() => new PiiVault([{ id: 2, key: KEY_A }], HASH_KEY).decrypt(sealed, 'users.phone')).toThrow(/key 1 is not configured/);
    const [p, iv, tag, ct] = sealed.split('.');
    const flipped = `${p}.${iv}.${tag}.${ct![0] === 'A' ? 'B' : 'A'}${ct!.slice(1)}`;
    expect(() => vault.decrypt(flipped, 'users.phone')).toThrow(PiiVaultError);
    expect(() => vault.decrypt('13800001234', 'users.phone')).toThrow(/not a sealed/);
  });

  it('rotates: a new current key seals, older keys still open, isCurrent tells which need work', () => {
    const old = vault.encrypt('441802199003071235', 'licenses.holder_id_number');
    const rotated = new PiiVault([{ id: 2, key: KEY_B }, { id: 1, key: KEY_A }], HASH_KEY);
    expect(rotated.isCurrent(old)).toBe(false);
    const again = rotated.encrypt(rotated.decrypt(old, 'licenses.holder_id_number'), 'licenses.holder_id_number');
    expect(again.startsWith('p2.')).toBe(true);
    expect(rotated.isCurrent(again)).toBe(true);
    expect(rotated.isCurrent(null)).toBe(true);
    expect(() => vault.decrypt(again, 'licenses.holder_id_number')).toThrow(/key 2/);
    // open() passes a value written before encryption through
    expect(rotated.open('13800001234', 'users.phone')).toBe('13800001234');
    expect(rotated.open(null, 'users.phone')).toBeNull();
  });

  it('hashes with HMAC-SHA256 under the hash key, stable, normalised and keyed (vectors from `openssl dgst -mac HMAC`)', () => {
    const derived = new PiiVault([{ id: 1, key: KEY_A }], derivePiiHashKey(MASTER));
    // printf 'id:441802199003071235' | openssl dgst -sha256 -mac HMAC -macopt hexkey:cccb3cf5…0c08
    expect(derived.hash('id', '441802199003071235')).toBe('65622a4292acb340ef4fd7c38e551ac9d88ba1395a2f463678c433da04c75b82');
    expect(derived.hash('phone', '13800001234')).toBe('ef46ba182a5a1f5feb6314dff731ab29ab1e74e2a74c910ea7e866e1d0d000a2');
    expect(derived.hash('id', ' 11010519491231002x')).toBe(derived.hash('id', '11010519491231002X'));
    expect(derived.hash('phone', '138 0000-1234')).toBe(derived.hash('phone', '13800001234'));
    // the data key does not change the hash; another hash key does
    expect(new PiiVault([{ id: 9, key: KEY_B }], derivePiiHashKey(MASTER)).hash('id', '441802199003071235')).toBe(derived.hash('id', '441802199003071235'));
    expect(vault.hash('id', '441802199003071235')).not.toBe(derived.hash('id', '441802199003071235'));
    // the kind is part of what is hashed
    expect(derived.hash('phone', '441802199003071235')).not.toBe(derived.hash('id', '441802199003071235'));
    expect(derived.hash('id', '')).toBeNull();
  });
});

describe('personal numbers in JSON fields', () => {
  const vault = new PiiVault([{ id: 1, key: KEY_A }], HASH_KEY);

  it('finds phones by key and ID numbers by key or by a valid checksum', () => {
    expect(piiKindOf('phone', '13800001234')).toBe('phone');
    expect(piiKindOf('contactPhone', '0763-3001234')).toBe('phone');
    expect(piiKindOf('spouseIdNumber', '123')).toBe('id');
    expect(piiKindOf('uscc', '91441802MA4W0Q7T68')).toBe('id');
    expect(piiKindOf('note', '440524188001010014')).toBe('id');
    expect(piiKindOf('subject', '城乡居民养老保险')).toBeNull();
    expect(piiKindOf('phone', '')).toBeNull();
    expect(piiKindOf('members', 3)).toBeNull();
  });

  it('seals only those, opens them back, and masks them for staff', () => {
    const form = { subject: '参保登记', phone: '13800001234', idNumber: '441802199003071235', members: 3 };
    const sealed = sealFields(vault, form, 'applications.form');
    expect(sealed.subject).toBe('参保登记');
    expect(sealed.members).toBe(3);
    expect(PiiVault.isSealed(sealed.phone)).toBe(true);
    expect(PiiVault.isSealed(sealed.idNumber)).toBe(true);
    // sealing twice leaves sealed values alone
    expect(sealFields(vault, sealed, 'applications.form')).toEqual(sealed);
    const opened = openFields(vault, sealed, 'applications.form');
    expect(opened).toEqual(form);
    expect(maskFields(opened)).toEqual({ subject: '参保登记', phone: '138****1234', idNumber: '4418**********1235', members: 3 });
    expect(maskFields({ phone: '0763-3001234' })).toEqual({ phone: '076****1234' });
  });

  it('seals nested objects, arrays and numbers written inside free text', () => {
    const form = { applicant: { 手机: '13800001234', 身份证号码: '441802199003071235' }, members: [{ idNumber: '11010519491231002X', name: '李四' }], note: '身份证441802199003071235，电话13800001234', subject: '参保登记' };
    const sealed = sealFields(vault, form, 'applications.form');
    const text = JSON.stringify(sealed);
    for (const n of ['13800001234', '441802199003071235', '11010519491231002X']) expect(text).not.toContain(n);
    expect(sealed.subject).toBe('参保登记');
    expect(sealed.members[0]!.name).toBe('李四');
    expect(openFields(vault, sealed, 'applications.form')).toEqual(form);
    expect(maskFields(form)).toEqual({
      applicant: { 手机: '138****1234', 身份证号码: '4418**********1235' },
      members: [{ idNumber: '1101**********002X', name: '李四' }],
      note: '身份证4418**********1235，电话138****1234',
      subject: '参保登记',
    });
    // an 18-digit run with a wrong check character, or an order number, is not a personal number
    expect(containsPii('订单号 441802199003071236')).toBe(false);
    expect(containsPii('受理编号 QC20261130000008')).toBe(false);
  });
});
