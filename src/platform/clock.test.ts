import { describe, expect, it } from 'vitest';
import { officialCalendar } from './calendar.js';
import { addOfficeHours, deliveryDeadline, officeMinutesBetween, readClock, STATUTORY_LIMITS, supplementNoticeDeadline } from './clock.js';

// Hand-counted on the 2026 arrangement: 10-01…10-07 off, Saturday 10-10 worked.
const cal = officialCalendar();
const pause = [{ from: '2026-09-30', to: '2026-10-12' }];

describe('readClock', () => {
  it('counts used and remaining days without the pause, and turns to warning at 80%', () => {
    // due: 09-29 (1), pause 09-30…10-12, 10-13 (2), 10-14 (3), 10-15 (4), 10-16 (5)
    // on 10-14: used 09-29, 10-13, 10-14 = 3 of 5
    expect(readClock(cal, { start: '2026-09-28', limit: 5, unit: 'working_day', pauses: pause, today: '2026-10-14' })).toEqual({
      dueDate: '2026-10-16',
      provisional: false,
      used: 3,
      remaining: 2,
      state: 'running',
    });
    // on 10-15: 4 of 5 = 80% → warning
    expect(readClock(cal, { start: '2026-09-28', limit: 5, unit: 'working_day', pauses: pause, today: '2026-10-15' })).toMatchObject({ used: 4, remaining: 1, state: 'warning' });
    // a configured share of 90% keeps it running
    expect(readClock(cal, { start: '2026-09-28', limit: 5, unit: 'working_day', pauses: pause, today: '2026-10-15', warningShare: 0.9 }).state).toBe('running');
  });

  it('is overdue after the due date, with negative days remaining', () => {
    // on 10-19: used 09-29, 10-13…10-16, 10-19 = 6
    expect(readClock(cal, { start: '2026-09-28', limit: 5, unit: 'working_day', pauses: pause, today: '2026-10-19' })).toMatchObject({ dueDate: '2026-10-16', used: 6, remaining: -1, state: 'overdue' });
  });

  it('stands still while a pause runs', () => {
    expect(readClock(cal, { start: '2026-09-28', limit: 5, unit: 'working_day', pauses: [{ from: '2026-09-30', to: null }], today: '2026-10-09' })).toMatchObject({ dueDate: null, remaining: null, state: 'paused', used: 1 });
  });

  it('adds the art. 42 extension of 10 working days', () => {
    // 15 working days after 09-28: … 10-19 (11), 10-20, 10-21, 10-22, 10-23 (15)
    expect(readClock(cal, { start: '2026-09-28', limit: 5, unit: 'working_day', extension: STATUTORY_LIMITS.decisionExtension, today: '2026-09-28' })).toMatchObject({ dueDate: '2026-10-23', used: 0, remaining: 15, state: 'running' });
  });

  it('pushes a natural-day limit by the paused days', () => {
    // 2026-11-02 + 7 days + 2 paused days (11-04, 11-05) = 11-11, a Wednesday
    expect(readClock(cal, { start: '2026-11-02', limit: 7, unit: 'natural_day', pauses: [{ from: '2026-11-04', to: '2026-11-05' }], today: '2026-11-06' })).toMatchObject({ dueDate: '2026-11-11', used: 2 });
  });
});

describe('the other limits of 行政许可法', () => {
  it('art. 32: the supplement notice within 5 working days', () => {
    expect(supplementNoticeDeadline(cal, '2026-09-28').date).toBe('2026-10-10');
  });
  it('art. 44: the licence served within 10 working days of the grant', () => {
    // 10-08 (1), 10-09, 10-10, 10-12 … 10-16 (8), 10-19 (9), 10-20 (10)
    expect(deliveryDeadline(cal, '2026-09-30').date).toBe('2026-10-20');
  });
});

describe('office hours (09:00–12:00, 14:00–18:00, working days, Asia/Shanghai)', () => {
  it('continues on the next working day, a worked Saturday included', () => {
    // Friday 10-09 17:00 +2 h: 17:00–18:00, then Saturday 10-10 (worked) 09:00–10:00
    expect(addOfficeHours(cal, new Date('2026-10-09T17:00:00+08:00'), 2).toISOString()).toBe('2026-10-10T02:00:00.000Z');
  });
  it('skips lunch and the National Day holiday', () => {
    // 09-30 11:30 + 8 h: 0.5 + 4 (09-30), holiday, 3 + 0.5 (10-08) → 10-08 14:30
    expect(addOfficeHours(cal, new Date('2026-09-30T11:30:00+08:00'), 8).toISOString()).toBe('2026-10-08T06:30:00.000Z');
    expect(officeMinutesBetween(cal, new Date('2026-09-30T11:30:00+08:00'), new Date('2026-10-08T14:30:00+08:00'))).toBe(480);
  });
  it('starts counting at the next opening when outside office hours', () => {
    // Sunday 10-11 10:00 + 1 h → Monday 10-12 10:00
    expect(addOfficeHours(cal, new Date('2026-10-11T10:00:00+08:00'), 1).toISOString()).toBe('2026-10-12T02:00:00.000Z');
  });
});
