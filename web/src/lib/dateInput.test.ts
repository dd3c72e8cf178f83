import { describe, expect, it } from 'vitest';
import { dateFieldPattern, formatDateField, parseDateField, parseTimeField } from './dateInput';

describe('date and time fields in the panel’s language', () => {
  it('write a date the language’s way', () => {
    expect(formatDateField('2026-11-30', 'uk')).toBe('30.11.2026');
    expect(formatDateField('2026-11-30', 'en')).toBe('30/11/2026');
    expect(formatDateField('', 'uk')).toBe('');
    expect(dateFieldPattern('uk')).toBe('ДД.ММ.РРРР');
  });

  it('read a typed date, day first, or ISO', () => {
    expect(parseDateField('30.11.2026')).toBe('2026-11-30');
    expect(parseDateField('30/11/2026')).toBe('2026-11-30');
    expect(parseDateField('1.2.2026')).toBe('2026-02-01');
    expect(parseDateField('2026-11-30')).toBe('2026-11-30');
    expect(parseDateField('31.02.2026')).toBeNull();
    expect(parseDateField('11/30/2026')).toBeNull();
    expect(parseDateField('')).toBeNull();
  });

  it('read a typed time on the 24-hour clock', () => {
    expect(parseTimeField('9:30')).toBe('09:30');
    expect(parseTimeField('09.30')).toBe('09:30');
    expect(parseTimeField('0930')).toBe('09:30');
    expect(parseTimeField('17:00')).toBe('17:00');
    expect(parseTimeField('24:00')).toBeNull();
    expect(parseTimeField('5 PM')).toBeNull();
  });
});
