import { describe, expect, it } from 'vitest';
import {
  addDays,
  DATE_ONLY,
  formatApiTime,
  formatRange,
  isValidTimeZone,
  parseFloating,
  TIME_ONLY,
  toApiMinute,
  toIsoDate,
  todayInZone,
  wallClockNow,
} from './time';

describe('floating wall-clock times', () => {
  it('parses a local date-time into a Date whose UTC fields are the wall clock', () => {
    const d = parseFloating('2026-03-29T03:30:00');
    expect(d.toISOString()).toBe('2026-03-29T03:30:00.000Z');
  });

  it('accepts dates without time and times without seconds', () => {
    expect(parseFloating('2026-01-05').toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(parseFloating('2026-01-05T09:15').toISOString()).toBe('2026-01-05T09:15:00.000Z');
  });

  it('rejects strings that are not local date-times', () => {
    expect(() => parseFloating('tomorrow')).toThrow();
  });

  it('round-trips to the API minute form whatever the browser zone', () => {
    // A time that does not exist in Kyiv (DST gap) still survives unchanged: nothing shifts it.
    for (const s of ['2026-03-29T03:30', '2026-10-25T03:30', '2026-12-31T23:59', '2026-01-01T00:00']) {
      expect(toApiMinute(parseFloating(s))).toBe(s);
    }
  });

  it('formats dates and adds days across month and year ends', () => {
    expect(toIsoDate(parseFloating('2026-02-28T22:00:00'))).toBe('2026-02-28');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

describe('now in the business zone', () => {
  it('gives the Kyiv wall time of an instant, in winter (UTC+2) and summer (UTC+3)', () => {
    expect(toApiMinute(wallClockNow('Europe/Kyiv', new Date('2026-01-15T10:00:00Z')))).toBe('2026-01-15T12:00');
    expect(toApiMinute(wallClockNow('Europe/Kyiv', new Date('2026-07-15T10:00:00Z')))).toBe('2026-07-15T13:00');
  });

  it('rolls over to the next day in the zone', () => {
    expect(todayInZone('Europe/Kyiv', new Date('2026-07-15T22:30:00Z'))).toBe('2026-07-16');
    expect(todayInZone('America/New_York', new Date('2026-07-15T02:00:00Z'))).toBe('2026-07-14');
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('Europe/Kyiv')).toBe(true);
    expect(toApiMinute(wallClockNow('Mars/Olympus', new Date('2026-07-15T10:00:00Z')))).toBe('2026-07-15T10:00');
  });
});

describe('formatApiTime', () => {
  it('shows wall-clock strings as they are', () => {
    expect(formatApiTime('2026-03-29T09:05:00', 'uk', 'Europe/Kyiv')).toMatch(/29\.03\.2026.*09:05/);
    expect(formatApiTime('2026-03-29T09:05:00', 'en', 'America/New_York', TIME_ONLY)).toBe('09:05');
  });

  it('shows instants with an offset in the business zone', () => {
    expect(formatApiTime('2026-07-15T10:00:00Z', 'en', 'Europe/Kyiv', TIME_ONLY)).toBe('13:00');
    expect(formatApiTime('2026-07-15T10:00:00+00:00', 'en', 'Europe/Kyiv', DATE_ONLY)).toBe('15/07/2026');
  });

  it('returns empty text for nothing and the input for garbage', () => {
    expect(formatApiTime(null, 'uk', 'Europe/Kyiv')).toBe('');
    expect(formatApiTime('soon', 'uk', 'Europe/Kyiv')).toBe('soon');
  });

  it('shows only the end time of a same-day range', () => {
    const r = formatRange('2026-03-29T09:00:00', '2026-03-29T10:30:00', 'en', 'Europe/Kyiv');
    expect(r).toMatch(/29\/03\/2026.*09:00–10:30$/);
  });
});
