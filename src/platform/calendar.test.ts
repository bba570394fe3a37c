import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addNaturalDays, addWorkingDays, InvalidDateError, isWorkingDay, nextDate, officialCalendar, packagedArrangements, shanghaiDate, statutoryHolidays, WorkingCalendar } from './calendar.js';

// Expected values are counted by hand from the State Council General Office's notice on the
// 2026 holidays (国办发明电〔2025〕7号): National Day 10-01…10-07 off, Saturday 10-10 worked;
// Spring Festival 02-15…02-23 off, Saturdays 02-14 and 02-28 worked; Labour Day 05-01…05-05 off,
// Saturday 05-09 worked.
describe('working-day calendar (行政许可法 art. 82)', () => {
  it('counts the issue example: accepted 2026-09-30, 5 working days → 2026-10-13', () => {
    // 10-08 Thu (1), 10-09 Fri (2), 10-10 Sat worked (3), 10-12 Mon (4), 10-13 Tue (5)
    expect(addWorkingDays('2026-09-30', 5)).toEqual({ date: '2026-10-13', provisional: false });
  });

  it('does not count the acceptance day itself', () => {
    // 2026-11-27 is a Friday: the next working day is Monday 11-30.
    expect(addWorkingDays('2026-11-27', 1).date).toBe('2026-11-30');
    expect(addWorkingDays('2026-11-23', 1).date).toBe('2026-11-24');
  });

  it('returns the acceptance day for an immediate item (0 days)', () => {
    expect(addWorkingDays('2026-10-01', 0).date).toBe('2026-10-01');
  });

  it('counts adjusted working Saturdays and skips the Spring Festival', () => {
    // 02-13 Fri → 02-14 Sat is worked (1) → 02-15…02-23 off → 02-24 Tue (2)
    expect(addWorkingDays('2026-02-13', 1).date).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-13', 2).date).toBe('2026-02-24');
  });

  it('skips Labour Day and counts Saturday 2026-05-09', () => {
    // 04-30 Thu → 05-01…05-05 off → 05-06 (1), 05-07 (2), 05-08 (3), 05-09 Sat worked (4), 05-11 Mon (5)
    expect(addWorkingDays('2026-04-30', 1).date).toBe('2026-05-06');
    expect(addWorkingDays('2026-04-30', 4).date).toBe('2026-05-09');
    expect(addWorkingDays('2026-04-30', 5).date).toBe('2026-05-11');
  });

  it('counts the statutory default of 20 working days across National Day', () => {
    // From 2026-09-25 (Fri): 09-28..09-30 (3), 10-08, 10-09, 10-10 (6), 10-12..10-16 (11), 10-19..10-23 (16), 10-26..10-29 (20)
    expect(addWorkingDays('2026-09-25', 20).date).toBe('2026-10-29');
  });

  it('knows holidays, ordinary weekends and worked weekends', () => {
    expect(isWorkingDay('2026-10-01')).toBe(false);
    expect(isWorkingDay('2026-10-10')).toBe(true);
    expect(isWorkingDay('2026-10-11')).toBe(false);
    expect(isWorkingDay('2026-11-30')).toBe(true);
  });

  it('marks a deadline provisional when a year on the way is not yet published', () => {
    const r = addWorkingDays('2026-12-30', 5);
    // 12-31 (1), then 2027: 01-01 is a weekday in the weekend-only fallback
    expect(r.provisional).toBe(true);
  });

  it('rejects malformed dates and negative or fractional limits', () => {
    expect(() => addWorkingDays('2026-02-30', 1)).toThrow(InvalidDateError);
    expect(() => addWorkingDays('2026/10/01', 1)).toThrow(InvalidDateError);
    expect(() => addWorkingDays('2026-13-01', 1)).toThrow(InvalidDateError);
    expect(() => addWorkingDays('2026-02-29', 1)).toThrow(InvalidDateError);
    expect(() => addWorkingDays('2o26-01-01', 1)).toThrow(InvalidDateError);
    expect(() => addWorkingDays('1999-12-31', 1)).toThrow(InvalidDateError); // before the calendar's range
    // 2024 is a leap year: 02-29 is a Thursday → next working day Friday 03-01
    expect(addWorkingDays('2024-02-29', 1).date).toBe('2024-03-01');
    expect(() => addWorkingDays('2026-10-01', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-10-01', 1.5)).toThrow(RangeError);
  });

  it('takes the calendar date in Asia/Shanghai (UTC+8)', () => {
    expect(shanghaiDate(new Date('2026-09-30T15:59:59Z'))).toBe('2026-09-30');
    expect(shanghaiDate(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
  });
});

describe('natural-day periods (民法典 art. 201, 203)', () => {
  it('ends on the day after the holiday when the last day falls in it', () => {
    // 2026-09-30 + 7 days = 10-07, inside the National Day holiday → 10-08 (Thursday, worked)
    expect(addNaturalDays('2026-09-30', 7).date).toBe('2026-10-08');
  });
  it('ends on the next working day when the last day is a Sunday', () => {
    // 2026-11-01 (Sun) + 14 = 11-15 (Sun) → 11-16 (Mon)
    expect(addNaturalDays('2026-11-01', 14).date).toBe('2026-11-16');
  });
  it('keeps a last day that is a working day', () => {
    // 2026-11-02 (Mon) + 3 = 11-05 (Thu)
    expect(addNaturalDays('2026-11-02', 3).date).toBe('2026-11-05');
  });
  it('picks the unit', () => {
    expect(officialCalendar().addLimit('2026-09-30', 5, 'working_day').date).toBe('2026-10-13');
    expect(officialCalendar().addLimit('2026-09-30', 5, 'natural_day').date).toBe('2026-10-08'); // 10-05 is a holiday
    expect(officialCalendar().addLimit('2026-09-30', 0, 'same_day').date).toBe('2026-09-30');
  });
});

describe('the clock of the catalogue issue: examples counted by hand from the 2026 notice', () => {
  const cal = officialCalendar();
  it('accepted 2026-09-28, 5 working days → Saturday 2026-10-10 (worked)', () => {
    // 09-29 (1), 09-30 (2), 10-01…10-07 off, 10-08 (3), 10-09 (4), 10-10 Sat worked (5)
    expect(cal.addWorkingDays('2026-09-28', 5).date).toBe('2026-10-10');
  });
  it('accepted 2026-09-28, 5 days, supplement requested 09-30 and received 10-12 → 2026-10-16', () => {
    // 09-29 (1); clock stands still 09-30…10-12; 10-13 (2), 10-14 (3), 10-15 (4), 10-16 (5)
    expect(cal.addWorkingDaysWithPauses('2026-09-28', 5, [{ from: '2026-09-30', to: '2026-10-12' }]).date).toBe('2026-10-16');
  });
  it('accepted 2026-04-30, 3 working days → 2026-05-08', () => {
    expect(cal.addWorkingDays('2026-04-30', 3).date).toBe('2026-05-08');
  });
  it('has no due date while a pause is open', () => {
    expect(cal.addWorkingDaysWithPauses('2026-09-28', 5, [{ from: '2026-09-30', to: null }]).date).toBeNull();
  });
  it('counts working days between two dates', () => {
    // (09-28, 10-10]: 09-29, 09-30, 10-08, 10-09, 10-10
    expect(cal.workingDaysBetween('2026-09-28', '2026-10-10')).toBe(5);
  });
  it('takes an administrator-entered arrangement for a year not yet published', () => {
    const custom = new WorkingCalendar([...packagedArrangements(), { year: 2027, holidays: ['2027-01-01'], workdays: [] }]);
    // 2026-12-31 (Thu) + 1: 2027-01-01 is a holiday in the entered arrangement → Monday 01-04
    expect(custom.addWorkingDays('2026-12-31', 1)).toEqual({ date: '2027-01-04', provisional: false });
    // Without it, 2027 is unpublished: only its statutory holidays are known (元旦 1-01 among them).
    expect(officialCalendar().addWorkingDays('2026-12-31', 1)).toEqual({ date: '2027-01-04', provisional: true });
  });
});

describe('clock invariants (property-based)', () => {
  const cal = officialCalendar();
  const day = fc.integer({ min: Date.UTC(2004, 0, 1) / 86_400_000, max: Date.UTC(2030, 0, 1) / 86_400_000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
  const n = fc.integer({ min: 0, max: 400 });

  it('is monotone in the number of days', () => {
    fc.assert(fc.property(day, n, n, (s, a, b) => (a <= b ? cal.addWorkingDays(s, a).date <= cal.addWorkingDays(s, b).date : true)));
  });
  it('counts exactly the working days, and ends on one', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 400 }), (s, k) => {
        const { date } = cal.addWorkingDays(s, k);
        return cal.workingDaysBetween(s, date) === k && cal.isWorkingDay(date);
      }),
    );
  });
  it('is unchanged by an empty list of pauses, and never earlier with a pause', () => {
    fc.assert(
      fc.property(day, n, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (s, k, off, len) => {
        const plain = cal.addWorkingDays(s, k).date;
        if (cal.addWorkingDaysWithPauses(s, k, []).date !== plain) return false;
        let from = s;
        for (let i = 0; i < off; i++) from = nextDate(from);
        let to = from;
        for (let i = 0; i < len; i++) to = nextDate(to);
        return cal.addWorkingDaysWithPauses(s, k, [{ from, to }]).date! >= plain;
      }),
    );
  });
});

describe('the counting convention setting', () => {
  const counting = new WorkingCalendar(packagedArrangements(), undefined, { countStartDay: true, moveToWorkingDay: false });
  it('counts a working start day as day 1 when configured', () => {
    // 2026-09-28 (Mon) is day 1, 09-29 (2), 09-30 (3), 10-08 (4), 10-09 (5)
    expect(counting.addWorkingDays('2026-09-28', 5).date).toBe('2026-10-09');
    // a start on a holiday is not a working day: 10-01 → 10-08 (1)
    expect(counting.addWorkingDays('2026-10-01', 1).date).toBe('2026-10-08');
  });
  it('keeps a natural-day period ending on a holiday when configured', () => {
    // 09-30 + 7 days, the start counted: 10-06, a holiday, kept
    expect(counting.addNaturalDays('2026-09-30', 7).date).toBe('2026-10-06');
  });
  it('follows the law by default', () => {
    expect(officialCalendar().convention).toEqual({ countStartDay: false, moveToWorkingDay: true });
  });
});

describe('statutory holidays of an unpublished year (全国年节及纪念日放假办法, 2024 revision, art. 2)', () => {
  it('lists the 13 holiday days of 2027', () => {
    // 元旦 1-01; 春节: lunar New Year 2027-02-06, eve 02-05, then 02-07, 02-08; 清明 04-05;
    // 劳动节 05-01, 05-02; 端午 (lunar 5-05) 06-09; 中秋 (lunar 8-15) 09-15; 国庆 10-01…10-03
    expect(statutoryHolidays(2027)).toEqual([
      '2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-04-05',
      '2027-05-01', '2027-05-02', '2027-06-09', '2027-09-15', '2027-10-01', '2027-10-02', '2027-10-03',
    ]);
  });
  it('skips them in provisional deadlines', () => {
    // 2027-09-30 (Thu) + 1: 10-01 is a holiday, 10-02/03 the weekend → Monday 10-04, provisional
    expect(officialCalendar().addWorkingDays('2027-09-30', 1)).toEqual({ date: '2027-10-04', provisional: true });
    expect(officialCalendar().isYearPublished(2027)).toBe(false);
  });
});
