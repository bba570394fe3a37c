// The statistics pages' pure helpers (formats, filters in the URL, drill-down links): no browser needed.
import { describe, expect, it } from 'vitest';
import {
  applicationFiltersKey,
  districtCodeOf,
  drillDownUrl,
  exportUrl,
  fmtCount,
  fmtFraction,
  fmtPercent,
  hasApplicationFilters,
  monthRange,
  percentValue,
  readApplicationFilters,
  readStatsFilter,
  statsQuery,
  type StatsFilter,
} from '../web/src/pages/statsLogic';

const TODAY = '2026-09-30';
const base: StatsFilter = { from: '2026-01-01', to: '2026-09-30', departmentCode: null, regionCode: null, channel: null };

describe('statistics page logic', () => {
  it('formats percentages with two decimals and counts with thousands separators', () => {
    expect(fmtPercent(0.9952)).toBe('99.52%');
    expect(fmtPercent(1)).toBe('100.00%');
    expect(fmtPercent(0)).toBe('0.00%');
    expect(fmtPercent(2 / 3)).toBe('66.67%');
    expect(fmtPercent(null)).toBe('—');
    expect(fmtCount(1234567)).toBe('1,234,567');
    expect(fmtCount(0)).toBe('0');
    expect(fmtFraction({ value: 0.5, numerator: 1234, denominator: 2468 })).toBe('1,234 / 2,468');
    expect(percentValue({ value: 0.12345, numerator: 1, denominator: 8 })).toBe(12.35);
    expect(percentValue({ value: null, numerator: 0, denominator: 0 })).toBeNull();
  });

  it('reads the dashboard filters from the URL, defaulting to this year so far', () => {
    expect(readStatsFilter(new URLSearchParams(), TODAY)).toEqual(base);
    const f = readStatsFilter(new URLSearchParams('from=2026-03-01&to=2026-02-01&departmentCode=QC-SPJ&regionCode=441802006&channel=kiosk'), TODAY);
    expect(f).toEqual({ from: '2026-02-01', to: '2026-03-01', departmentCode: 'QC-SPJ', regionCode: '441802006', channel: 'kiosk' });
    // malformed values are dropped, not sent
    const bad = readStatsFilter(new URLSearchParams('from=2026-02-30&to=x&departmentCode=%3Cscript%3E&regionCode=4418&channel=fax'), TODAY);
    expect(bad).toEqual(base);
    expect(statsQuery(f)).toEqual({ from: '2026-02-01', to: '2026-03-01', departmentCode: 'QC-SPJ', regionCode: '441802006', channel: 'kiosk' });
    expect(statsQuery(base)).toEqual({ from: '2026-01-01', to: '2026-09-30' });
    expect(exportUrl({ ...base, channel: 'window' })).toBe('/api/v1/stats/export.xlsx?from=2026-01-01&to=2026-09-30&channel=window');
  });

  it('builds drill-down links to the case list', () => {
    const dept = new URL(drillDownUrl(base, { departmentCode: 'QC-SPJ' }), 'http://x');
    expect(dept.pathname).toBe('/workbench');
    expect(Object.fromEntries(dept.searchParams)).toEqual({ tab: 'all', departmentCode: 'QC-SPJ', from: '2026-01-01', to: '2026-09-30' });
    // a month narrows the period, within the dashboard's own
    const month = new URL(drillDownUrl({ ...base, from: '2026-02-10' }, { month: '2026-02' }), 'http://x');
    expect(month.searchParams.get('from')).toBe('2026-02-10');
    expect(month.searchParams.get('to')).toBe('2026-02-28');
    expect(monthRange('2028-02')).toEqual(['2028-02-01', '2028-02-29']);
    // overdue / warning are the open cases now, whatever their submission date
    const clock = new URL(drillDownUrl({ ...base, regionCode: '441802006' }, { clock: 'overdue' }), 'http://x');
    expect(Object.fromEntries(clock.searchParams)).toEqual({ tab: 'all', regionCode: '441802006', clock: 'overdue' });
    // the list reads back what the dashboard wrote
    const read = readApplicationFilters(dept.searchParams);
    expect(read).toEqual({ departmentCode: 'QC-SPJ', from: '2026-01-01', to: '2026-09-30' });
    expect(hasApplicationFilters(read)).toBe(true);
    expect(hasApplicationFilters(readApplicationFilters(new URLSearchParams('tab=all')))).toBe(false);
    expect(applicationFiltersKey(read)).toBe('departmentCode=QC-SPJ&from=2026-01-01&to=2026-09-30');
    expect(readApplicationFilters(new URLSearchParams('clock=late&channel=fax&status=granted,denied'))).toEqual({ status: 'granted,denied' });
  });

  it('finds the district from the halls', () => {
    expect(districtCodeOf([{ kind: 'town_centre', regionCode: '441802006' }, { kind: 'district_hall', regionCode: '441802' }])).toBe('441802');
    expect(districtCodeOf([{ kind: 'town_centre', regionCode: '441802006' }])).toBeNull();
    expect(districtCodeOf(undefined)).toBeNull();
  });
});
