// The electronic-licence pages' pure helpers (wallet, 免证办 in the form, verification, import):
// no browser needed.
import { describe, expect, it } from 'vitest';
import {
  csvTemplate,
  licenseDisplayState,
  licenseUnusable,
  normalizeLicenseIdentifier,
  parsePastedImport,
  typeCodeOfIdentifier,
  usableLicenses,
} from '../web/src/pages/licenseLogic';
import { makeLicenseIdentifier } from '../src/modules/licenses/identifier';
import { usability } from '../src/modules/licenses/service';

const lic = (over: Partial<{ id: string; type: string; status: 'valid' | 'suspended' | 'revoked'; validFrom: string; validTo: string | null }>) => ({
  id: 'x',
  type: 'resident_id',
  status: 'valid' as const,
  validFrom: '2020-05-01',
  validTo: '2040-05-01' as string | null,
  ...over,
});

describe('licence page logic', () => {
  it('decides usability exactly as the server does', () => {
    const today = '2026-09-30';
    const cases = [
      lic({}),
      lic({ status: 'suspended' }),
      lic({ status: 'revoked', validTo: '2020-01-01' }),
      lic({ validTo: '2026-09-29' }),
      lic({ validTo: '2026-09-30' }),
      lic({ validFrom: '2026-10-01' }),
      lic({ validTo: null }),
    ];
    for (const c of cases) expect(licenseUnusable(c, today)).toBe(usability(c, today));
    expect(licenseDisplayState(lic({ validTo: '2026-09-29' }), today)).toBe('expired');
    expect(licenseDisplayState(lic({ validFrom: '2026-10-01' }), today)).toBe('not_yet_valid');
    expect(licenseDisplayState(lic({ status: 'suspended' }), today)).toBe('suspended');
  });

  it('offers only usable licences of the material’s type, the longest valid first', () => {
    const wallet = [
      lic({ id: 'a', validTo: '2030-01-01' }),
      lic({ id: 'b', validTo: null }),
      lic({ id: 'c', status: 'suspended' }),
      lic({ id: 'd', type: 'household_register' }),
      lic({ id: 'e', validTo: '2026-01-01' }),
    ];
    expect(usableLicenses(wallet, 'resident_id', '2026-09-30').map((l) => l.id)).toEqual(['b', 'a']);
    expect(usableLicenses(wallet, null, '2026-09-30')).toEqual([]);
  });

  it('reads the type code from an identifier and normalizes what is typed', () => {
    const id = makeLicenseIdentifier({ typeCode: '441802000000000000001', issuerCode: '441802', serial: '20260000001', version: '001' });
    expect(typeCodeOfIdentifier(id)).toBe('441802000000000000001');
    expect(normalizeLicenseIdentifier(` ${id.toLowerCase().slice(0, 20)}\n${id.toLowerCase().slice(20)} `)).toBe(id);
    expect(typeCodeOfIdentifier('QCSL2026000001')).toBeNull();
  });

  it('builds a CSV template the import reads: fixed columns, then data.<field>', () => {
    const csv = csvTemplate({ code: 'household_register', fields: [{ key: 'name', label: '户主姓名' }, { key: 'address', label: '住址, 门牌' }] });
    expect(csv.startsWith('\uFEFFtype,holderIdNumber,holderName,validFrom,validTo,identifier,data.name,data.address\r\n')).toBe(true);
    expect(csv).toContain('household_register,,,,,,户主姓名,"住址, 门牌"\r\n');
  });

  it('accepts pasted rows as an array or {rows}, and says what is wrong otherwise', () => {
    expect(parsePastedImport('[{"type":"resident_id"}]')).toEqual({ ok: true, body: { rows: [{ type: 'resident_id' }] } });
    expect(parsePastedImport('{"rows":[{"type":"x"}]}')).toEqual({ ok: true, body: { rows: [{ type: 'x' }] } });
    expect(parsePastedImport('{rows:')).toEqual({ ok: false, problem: 'syntax' });
    expect(parsePastedImport('{"items":[]}')).toEqual({ ok: false, problem: 'shape' });
    expect(parsePastedImport('[]')).toEqual({ ok: false, problem: 'empty' });
    expect(parsePastedImport('  ')).toEqual({ ok: false, problem: 'empty' });
  });
});
