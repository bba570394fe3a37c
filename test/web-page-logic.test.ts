// The web pages' pure helpers (verification, seals, empowerments, authorisations, projects,
// commitment checks): no browser needed.
import { describe, expect, it } from 'vitest';
import {
  dueState,
  endOfShanghaiDay,
  grantState,
  isDocNumber,
  looksLikeProjectCode,
  normalizeDocNumber,
  svgDataUrl,
} from '../web/src/pages/pageLogic';

describe('web page logic', () => {
  it('turns seal SVG text into an image URL, never markup', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><text>章 #1</text></svg>';
    const url = svgDataUrl(svg);
    expect(url.startsWith('data:image/svg+xml;utf8,')).toBe(true);
    const body = url.slice('data:image/svg+xml;utf8,'.length);
    expect(body).not.toMatch(/[<>"#\s]/);
    expect(decodeURIComponent(body)).toBe(svg);
  });

  it('normalizes and checks typed document numbers', () => {
    expect(normalizeDocNumber(' qcsl 2026 000001 ')).toBe('QCSL2026000001');
    expect(isDocNumber('qcsl2026000001')).toBe(true);
    expect(isDocNumber('QCSL-2026')).toBe(false);
    expect(isDocNumber('A'.repeat(41))).toBe(false);
  });

  it('ends a validity day at 23:59:59 Beijing time', () => {
    expect(endOfShanghaiDay('2027-06-30')).toBe('2027-06-30T23:59:59+08:00');
    expect(new Date(endOfShanghaiDay('2027-06-30')).toISOString()).toBe('2027-06-30T15:59:59.000Z');
    expect(() => endOfShanghaiDay('30/06/2027')).toThrow();
  });

  it('tells active, revoked and expired grants apart, by instant or by day', () => {
    const now = new Date('2026-11-30T02:00:00Z');
    const today = '2026-11-30';
    expect(grantState({ revokedAt: null, validTo: '2027-01-01T00:00:00Z' }, now, today)).toBe('active');
    expect(grantState({ revokedAt: '2026-11-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z' }, now, today)).toBe('revoked');
    expect(grantState({ revokedAt: null, validTo: '2026-11-30T01:59:59Z' }, now, today)).toBe('expired');
    // a last valid day: in force through that whole day
    expect(grantState({ revokedAt: null, validTo: '2026-11-30' }, now, today)).toBe('active');
    expect(grantState({ revokedAt: null, validTo: '2026-11-29' }, now, today)).toBe('expired');
  });

  it('marks a due day before today as overdue', () => {
    expect(dueState('2026-11-29', '2026-11-30')).toBe('overdue');
    expect(dueState('2026-11-30', '2026-11-30')).toBe('today');
    expect(dueState('2026-12-01', '2026-11-30')).toBe('later');
    expect(dueState(null, '2026-11-30')).toBe('none');
  });

  it('recognises the national investment project code format', () => {
    expect(looksLikeProjectCode('2026-441802-47-01-000001')).toBe(true);
    expect(looksLikeProjectCode(' 2026-441802-47-01-000001 ')).toBe(true);
    expect(looksLikeProjectCode('QC-2026-07')).toBe(false);
  });
});
