import { describe, expect, it } from 'vitest';
import { apiWeekday, businessHoursOf, compactEvent, dayNote, isClosedDay, nameForms, unionBusinessHours } from './calendarView';

const week = [
  { weekday: 1, from: '10:00', to: '14:00' },
  { weekday: 1, from: '15:00', to: '19:00' },
  { weekday: 7, from: '11:00', to: '16:00' },
];

describe('calendar view', () => {
  it('reads the API weekday of a date (Monday 1 … Sunday 7)', () => {
    expect(apiWeekday('2026-11-30')).toBe(1);
    expect(apiWeekday('2026-12-06')).toBe(7);
  });

  it('turns weekly hours into FullCalendar business hours; the break stays shaded', () => {
    expect(businessHoursOf(week)).toEqual([
      { daysOfWeek: [1], startTime: '10:00', endTime: '14:00' },
      { daysOfWeek: [1], startTime: '15:00', endTime: '19:00' },
      { daysOfWeek: [0], startTime: '11:00', endTime: '16:00' },
    ]);
    expect(businessHoursOf([])).toBe(false);
    expect(businessHoursOf(undefined)).toBe(false);
  });

  it('shows several staff members’ hours as their union, or nothing when one has none', () => {
    const other = [{ weekday: 2, from: '09:00', to: '12:00' }];
    expect(unionBusinessHours([week, other])).toHaveLength(4);
    expect(unionBusinessHours([week, []])).toBe(false);
  });

  it('calls a day closed only when every staff member has hours and none works that day', () => {
    expect(isClosedDay('2026-12-01', [week])).toBe(true); // Tuesday
    expect(isClosedDay('2026-11-30', [week])).toBe(false);
    expect(isClosedDay('2026-12-01', [week, [{ weekday: 2, from: '09:00', to: '12:00' }]])).toBe(false);
    expect(isClosedDay('2026-12-01', [week, undefined])).toBe(false);
    expect(isClosedDay('2026-12-01', [])).toBe(false);
    expect(dayNote(true, 3)).toBe('closed');
    expect(dayNote(false, 0)).toBe('empty');
    expect(dayNote(false, 1)).toBeNull();
  });

  it('gives a short event its time and name', () => {
    expect(compactEvent({ start: '2026-11-30T09:00:00', end: '2026-11-30T09:30:00', title: 'Ігор Мельник', service: 'Стрижка' })).toEqual({
      time: '09:00',
      name: 'Ігор Мельник',
      detail: 'Стрижка',
      short: true,
    });
    expect(compactEvent({ start: '2026-11-30T09:00:00', end: '2026-11-30T10:00:00', title: 'A', service: 'B' }).short).toBe(false);
  });

  it('writes a name shorter and shorter for a narrow box, whole words and initials only', () => {
    expect(nameForms('Олена Коваленко')).toEqual(['Олена Коваленко', 'Олена К.', 'Олена', 'ОК']);
    expect(nameForms('  Anna  Maria Smith ')).toEqual(['Anna Maria Smith', 'Anna S.', 'Anna', 'AS']);
    expect(nameForms('Оксана')).toEqual(['Оксана', 'Ок']);
    expect(nameForms('')).toEqual(['']);
  });
});
