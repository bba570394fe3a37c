import { describe, expect, it } from 'vitest';
import { applicantCategories } from './intake.js';
import { chineseDate } from './notices.js';
import { resolveSteps } from './review-steps.js';

describe('applicant categories for exemption lists', () => {
  const person = (idNumber: string | null) => ({ id: 'x', displayName: '某', kind: 'person' as const, idNumber });
  it('counts a person as elderly from the 60th birthday, read from the ID number (GB 11643 positions 7–14)', () => {
    // born 1966-09-30: 60 on 2026-09-30, not the day before
    expect(applicantCategories(person('441802196609300012'), '2026-09-29')).toEqual(['person']);
    expect(applicantCategories(person('441802196609300012'), '2026-09-30')).toEqual(['person', 'elderly']);
    expect(applicantCategories(person(null), '2026-09-30')).toEqual(['person']);
  });
  it('gives an enterprise its own category only', () => {
    expect(applicantCategories({ id: 'y', displayName: '公司', kind: 'enterprise', idNumber: '91350100M000100Y43' }, '2026-09-30')).toEqual(['enterprise']);
  });
});

describe('document dates', () => {
  it('prints dates the Chinese way, without leading zeros', () => {
    expect(chineseDate('2026-09-30')).toBe('2026年9月30日');
    expect(chineseDate('2027-01-05')).toBe('2027年1月5日');
  });
});

describe('review steps', () => {
  const app = { reviewDepartmentCode: 'QC-ZJJ', decisionDepartmentCode: 'QC-SPJ' };
  it('gives an item without configured steps one review by its review department', () => {
    expect(resolveSteps(null, app)).toEqual([{ name: '审查', role: 'reviewer', department: 'QC-ZJJ' }]);
  });
  it('resolves review and decision to the item\'s departments, in joint lists too', () => {
    expect(
      resolveSteps(
        [
          { name: '审查', role: 'reviewer', department: 'review' },
          { name: '联合审查', role: 'reviewer', department: 'decision', joint: ['review', 'QC-ZRZY'] },
        ],
        app,
      ),
    ).toEqual([
      { name: '审查', role: 'reviewer', department: 'QC-ZJJ' },
      { name: '联合审查', role: 'reviewer', department: 'QC-SPJ', joint: ['QC-ZJJ', 'QC-ZRZY'] },
    ]);
  });
});
