import { describe, expect, it } from 'vitest';
import { InvalidIdentifierError, makeLicenseIdentifier, parseLicenseIdentifier } from './identifier.js';

// GB/T 36904 public example (dataset test-vectors.json, e_license_identifier_gbt36904.valid)
const EXAMPLE = '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U';

describe('GB/T 36904 licence identifiers', () => {
  it('accepts the public example and splits it into its parts', () => {
    expect(parseLicenseIdentifier(EXAMPLE)).toEqual({
      identifier: EXAMPLE,
      typeCode: '11100000000013338W011',
      issuerCode: '11430000006122244L',
      serial: '20230000403',
      version: '001',
      check: 'U',
    });
  });

  it('builds the same identifier, check character included, from the parts', () => {
    expect(makeLicenseIdentifier({ typeCode: '11100000000013338W011', issuerCode: '11430000006122244L', serial: '20230000403', version: '001' })).toBe(EXAMPLE);
  });

  it('refuses a wrong check character, and any single mistyped character', () => {
    const wrong = (s: string) => {
      try {
        parseLicenseIdentifier(s);
        return 'accepted';
      } catch (e) {
        return (e as InvalidIdentifierError).reason;
      }
    };
    expect(wrong(EXAMPLE.slice(0, -1) + 'V')).toBe('check');
    // MOD 37,36 detects every single substitution: change each character of the checked part.
    const start = '1.2.156.3005.2.'.length;
    for (let i = start; i < EXAMPLE.length - 2; i++) {
      const c = EXAMPLE[i]!;
      if (c === '.') continue;
      const other = c === '0' ? '1' : /\d/.test(c) ? '0' : 'A';
      expect(wrong(EXAMPLE.slice(0, i) + other + EXAMPLE.slice(i + 1))).toBe('check');
    }
    // and the swap of two adjacent different characters
    expect(wrong(EXAMPLE.replace('20230000403', '20230000430'))).toBe('check');
  });

  it('refuses malformed identifiers as format errors', () => {
    for (const bad of ['', 'abc', EXAMPLE.replace('1.2.156.3005.2', '1.2.156.3005.3'), EXAMPLE.replace('.001.', '.01.'), EXAMPLE.replace('11430000006122244L', '1143000000612224'), EXAMPLE + '.X']) {
      expect(() => parseLicenseIdentifier(bad)).toThrow(InvalidIdentifierError);
      try {
        parseLicenseIdentifier(bad);
      } catch (e) {
        expect((e as InvalidIdentifierError).reason).toBe('format');
      }
    }
  });

  it('takes lower-case letters and surrounding spaces', () => {
    expect(parseLicenseIdentifier(` ${EXAMPLE.toLowerCase()} `).identifier).toBe(EXAMPLE);
  });
});
