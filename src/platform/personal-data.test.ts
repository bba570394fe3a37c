import { describe, expect, it } from 'vitest';
import { isValidCitizenId, isValidUscc, maskId, maskName, maskPhone } from './personal-data.js';

// Vectors: the public test vectors of GB 11643 and GB 32100 kept in the project's shared data.
describe('GB 11643 citizen ID number', () => {
  it('accepts the public valid vectors', () => {
    expect(isValidCitizenId('11010519491231002X')).toBe(true);
    expect(isValidCitizenId('440524188001010014')).toBe(true);
    expect(isValidCitizenId('11010519491231002x')).toBe(true);
  });
  it('rejects a wrong check digit, a wrong length and an impossible birth date', () => {
    expect(isValidCitizenId('110105194912310021')).toBe(false);
    expect(isValidCitizenId('11010519491231002')).toBe(false);
    // 1949-02-30 does not exist; check digit computed for it would not save it
    expect(isValidCitizenId('110105194902300021')).toBe(false);
  });
  it('accepts the demo citizen (441802 19900307 123, check 5)', () => {
    // Σ = 4·7+4·9+1·10+8·5+0·8+2·4+1·2+9·1+9·6+0·3+0·7+3·9+0·10+7·5+1·8+2·4+3·2 = 271; 271 mod 11 = 7 → "5"
    expect(isValidCitizenId('441802199003071235')).toBe(true);
  });
});

describe('GB 32100 unified social credit code', () => {
  it('accepts the public valid vector and rejects a wrong check character', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(isValidUscc('91350100M000100Y4A')).toBe(false);
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(isValidUscc('91350100I000100Y43')).toBe(false);
  });
});

describe('masking', () => {
  it('keeps the first and last four characters of an ID', () => {
    expect(maskId('441802199003071235')).toBe('4418**********1235');
  });
  it('keeps the first three and last four digits of a phone', () => {
    expect(maskPhone('13800001234')).toBe('138****1234');
  });
  it('keeps the surname only', () => {
    expect(maskName('陈清华')).toBe('陈**');
  });
});
