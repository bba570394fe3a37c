/**
 * Electronic licence identifiers (电子证照标识) in the structure of GB/T 36904-2018:
 *
 *   1.2.156.3005.2.<证照类型代码>.<颁发机构代码>.<流水号>.<版本号>.<校验位>
 *
 * - 证照类型代码: the defining authority's 18-character unified social credit code + a 3-digit serial;
 * - 颁发机构代码: the issuing authority's 18-character credit code (some local systems use the
 *   6-digit division code);
 * - 流水号: the issuer's serial (digits or capital letters);
 * - 版本号: 3 digits;
 * - 校验位: ISO/IEC 7064 MOD 37,36 (hybrid system) over the four middle segments concatenated
 *   without dots, alphabet 0–9 A–Z (the `@konfirm/iso7064` implementation).
 * Public example (GB/T 36904, dataset test-vectors.json): 1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U
 */
import { Mod37_36 } from '@konfirm/iso7064';

/** The OID arc of electronic licences (GB/T 36904). */
export const LICENSE_OID = '1.2.156.3005.2';

const SHAPE = /^1\.2\.156\.3005\.2\.([0-9A-Z]{18}\d{3})\.([0-9A-Z]{18}|\d{6})\.([0-9A-Z]{1,32})\.(\d{3})\.([0-9A-Z])$/;

export interface LicenseIdentifierParts {
  /** 21 characters: definer's credit code (18) + serial (3) */
  typeCode: string;
  /** 18-character credit code, or a 6-digit division code */
  issuerCode: string;
  serial: string;
  /** 3 digits */
  version: string;
}

/** Why an identifier is refused: its shape, or its check character. */
export class InvalidIdentifierError extends Error {
  constructor(readonly reason: 'format' | 'check') {
    super(reason === 'format' ? 'not a GB/T 36904 licence identifier' : 'wrong check character');
    this.name = 'InvalidIdentifierError';
  }
}

/** The MOD 37,36 check character of the parts (ISO/IEC 7064). */
export function checkCharacter(p: LicenseIdentifierParts): string {
  return Mod37_36.checksum(`${p.typeCode}${p.issuerCode}${p.serial}${p.version}`);
}

/**
 * Builds the identifier of a licence from its parts, with its check character.
 * @throws InvalidIdentifierError('format') when a part has the wrong shape
 */
export function makeLicenseIdentifier(p: LicenseIdentifierParts): string {
  const id = `${LICENSE_OID}.${p.typeCode}.${p.issuerCode}.${p.serial}.${p.version}.${checkCharacter(p)}`;
  if (!SHAPE.test(id)) throw new InvalidIdentifierError('format');
  return id;
}

/**
 * Parses and checks an identifier (surrounding spaces ignored, letters taken in capitals).
 * @returns its parts and the check character
 * @throws InvalidIdentifierError — `format` for a malformed identifier, `check` for a wrong check character
 */
export function parseLicenseIdentifier(identifier: string): LicenseIdentifierParts & { identifier: string; check: string } {
  const id = identifier.trim().toUpperCase();
  const m = SHAPE.exec(id);
  if (!m) throw new InvalidIdentifierError('format');
  const parts = { typeCode: m[1]!, issuerCode: m[2]!, serial: m[3]!, version: m[4]! };
  if (checkCharacter(parts) !== m[5]) throw new InvalidIdentifierError('check');
  return { ...parts, identifier: id, check: m[5]! };
}
