import { afterEach, describe, expect, it } from 'vitest';
import type { HoursItem, StaffException } from '../api/types';
import { businessHoursOn, exceptionNoteOn, exceptionShades, isClosedOn, scheduleOn } from './staffDays';

// Monday and Tuesday 10:00–14:00 and 15:00–19:00 (a lunch break); nothing on other days.
const weekly: HoursItem[] = [1, 2].flatMap((weekday) => [
  { weekday, from: '10:00', to: '14:00' },
  { weekday, from: '15:00', to: '19:00' },
]);
const exc = (id: number, date_from: string, date_to: string, hours: { from: string; to: string }[] = [], note = ''): StaffException => ({
  id,
  date_from,
  date_to,
  hours,
  note,
});
const LABELS = { day_off: 'Вихідний день', vacation: 'Відпустка' };

describe('a staff member’s day with dated exceptions', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it('is the weekly hours of its weekday when no exception covers it', () => {
    expect(scheduleOn('2026-11-30', weekly, [exc(1, '2026-12-01', '2026-12-01')])).toEqual({
      kind: 'weekly',
      stretches: [
        { from: '10:00', to: '14:00' },
        { from: '15:00', to: '19:00' },
      ],
      note: '',
    });
    expect(scheduleOn('2026-12-02', weekly, [])?.stretches).toEqual([]);
  });

  it('is a day off, a vacation (a range, both ends included) or other hours by the exception', () => {
    expect(scheduleOn('2026-11-30', weekly, [exc(1, '2026-11-30', '2026-11-30', [], ' лікар ')])).toEqual({ kind: 'day_off', stretches: [], note: 'лікар' });
    const vacation = [exc(2, '2026-12-07', '2026-12-20')];
    expect(scheduleOn('2026-12-06', weekly, vacation)?.kind).toBe('weekly');
    expect(scheduleOn('2026-12-07', weekly, vacation)?.kind).toBe('vacation');
    expect(scheduleOn('2026-12-20', weekly, vacation)?.kind).toBe('vacation');
    expect(scheduleOn('2026-12-21', weekly, vacation)?.kind).toBe('weekly');
    expect(scheduleOn('2026-12-01', weekly, [exc(3, '2026-12-01', '2026-12-01', [{ from: '12:00:00', to: '16:00:00' }])])).toEqual({
      kind: 'hours',
      stretches: [{ from: '12:00', to: '16:00' }],
      note: '',
    });
  });

  it('follows the latest-added exception where two cover the date, as the server does', () => {
    const both = [exc(9, '2026-12-01', '2026-12-01', [{ from: '12:00', to: '13:00' }]), exc(4, '2026-11-28', '2026-12-05', [], 'Відпустка в Карпатах')];
    expect(scheduleOn('2026-12-01', weekly, both)?.kind).toBe('hours');
    expect(scheduleOn('2026-11-30', weekly, both)).toEqual({ kind: 'vacation', stretches: [], note: 'Відпустка в Карпатах' });
  });

  it('is unknown without weekly hours, except on a date an exception covers', () => {
    expect(scheduleOn('2026-11-30', [], [])).toBeNull();
    expect(scheduleOn('2026-11-30', undefined, [exc(1, '2026-11-30', '2026-11-30')])?.kind).toBe('day_off');
  });

  it('shades a day off or a vacation whole, with its note or the kind’s name', () => {
    const shades = exceptionShades('2026-11-30', '2026-12-06', [{ weekly, exceptions: [exc(1, '2026-11-30', '2026-11-30'), exc(2, '2026-12-01', '2026-12-02', [], 'Карпати')] }], LABELS);
    expect(shades).toEqual([
      { start: '2026-11-30T00:00', end: '2026-12-01T00:00', kind: 'off', label: 'Вихідний день' },
      { start: '2026-12-01T00:00', end: '2026-12-02T00:00', kind: 'off', label: 'Карпати' },
      { start: '2026-12-02T00:00', end: '2026-12-03T00:00', kind: 'off', label: 'Карпати' },
    ]);
    expect(exceptionShades('2026-11-30', '2026-12-06', [{ weekly, exceptions: [exc(2, '2026-12-01', '2026-12-09')] }], LABELS)[0]?.label).toBe('Відпустка');
  });

  it('shades the weekly hours not worked on a date of other hours', () => {
    // Monday 12:00–16:00 instead of 10:00–14:00 and 15:00–19:00: 10–12 and 16–19 are not worked.
    const shades = exceptionShades('2026-11-30', '2026-11-30', [{ weekly, exceptions: [exc(1, '2026-11-30', '2026-11-30', [{ from: '12:00', to: '16:00' }])] }], LABELS);
    expect(shades).toEqual([
      { start: '2026-11-30T10:00', end: '2026-11-30T12:00', kind: 'short', label: '' },
      { start: '2026-11-30T16:00', end: '2026-11-30T19:00', kind: 'short', label: '' },
    ]);
  });

  it('shades only what nobody shown works when several staff members share the calendar', () => {
    const other: HoursItem[] = [{ weekday: 1, from: '09:00', to: '12:00' }];
    const staff = [
      { weekly, exceptions: [exc(1, '2026-11-30', '2026-11-30', [], 'Лікар')] },
      { weekly: other, exceptions: [] },
    ];
    // The first is off all Monday; the second works 09–12: 12–19 nobody works (14–15, the weekly
    // break, is shaded already and is not shaded twice).
    expect(exceptionShades('2026-11-30', '2026-11-30', staff, LABELS)).toEqual([
      { start: '2026-11-30T12:00', end: '2026-11-30T14:00', kind: 'short', label: '' },
      { start: '2026-11-30T15:00', end: '2026-11-30T19:00', kind: 'short', label: '' },
    ]);
    // Both off: the whole day, both reasons.
    staff[1] = { weekly: other, exceptions: [exc(5, '2026-11-30', '2026-11-30')] };
    expect(exceptionShades('2026-11-30', '2026-11-30', staff, LABELS)).toEqual([
      { start: '2026-11-30T00:00', end: '2026-12-01T00:00', kind: 'off', label: 'Лікар · Вихідний день' },
    ]);
    // Someone whose hours are unknown: nothing is shaded.
    expect(exceptionShades('2026-11-30', '2026-11-30', [staff[0]!, { weekly: [], exceptions: [] }], LABELS)).toEqual([]);
  });

  it('keeps every date whole across the DST changes, whatever the browser’s zone', () => {
    // Kyiv moves its clocks on 2027-03-28 and 2026-10-25; a vacation over them is one shade per date, 00:00–24:00.
    for (const tz of ['Europe/Kyiv', 'America/Los_Angeles', 'UTC']) {
      process.env.TZ = tz;
      for (const [from, to] of [
        ['2027-03-27', '2027-03-29'],
        ['2026-10-24', '2026-10-26'],
      ] as const) {
        const shades = exceptionShades(from, to, [{ weekly, exceptions: [exc(1, from, to)] }], LABELS);
        expect(shades.map((s) => [s.start, s.end])).toEqual(
          [0, 1, 2].map((i) => {
            const d = new Date(`${from}T00:00:00Z`);
            d.setUTCDate(d.getUTCDate() + i);
            const next = new Date(d);
            next.setUTCDate(next.getUTCDate() + 1);
            return [`${d.toISOString().slice(0, 10)}T00:00`, `${next.toISOString().slice(0, 10)}T00:00`];
          }),
        );
      }
      // Other hours on the spring-forward Sunday keep their wall-clock times.
      const sunday: HoursItem[] = [{ weekday: 7, from: '01:00', to: '06:00' }];
      expect(exceptionShades('2027-03-28', '2027-03-28', [{ weekly: sunday, exceptions: [exc(1, '2027-03-28', '2027-03-28', [{ from: '04:00', to: '05:00' }])] }], LABELS)).toEqual([
        { start: '2027-03-28T01:00', end: '2027-03-28T04:00', kind: 'short', label: '' },
        { start: '2027-03-28T05:00', end: '2027-03-28T06:00', kind: 'short', label: '' },
      ]);
    }
  });

  it('gives a staff column its hours on the date: the exception’s, a day off shaded through, or the weekly ones', () => {
    const days = { weekly, exceptions: [exc(1, '2026-11-30', '2026-11-30', [{ from: '12:00', to: '16:00' }]), exc(2, '2026-12-01', '2026-12-01', [], 'Лікар')] };
    expect(businessHoursOn('2026-11-30', days)).toEqual([{ daysOfWeek: [1], startTime: '12:00', endTime: '16:00' }]);
    expect(businessHoursOn('2026-12-01', days)).toEqual([{ daysOfWeek: [2], startTime: '00:00', endTime: '00:00' }]);
    expect(businessHoursOn('2026-12-08', days)).toEqual([
      { daysOfWeek: [2], startTime: '10:00', endTime: '14:00' },
      { daysOfWeek: [2], startTime: '15:00', endTime: '19:00' },
    ]);
    expect(businessHoursOn('2026-12-08', { weekly: [], exceptions: [] })).toBe(false);
    expect(exceptionNoteOn('2026-12-01', days)).toEqual({ kind: 'day_off', note: 'Лікар' });
    expect(exceptionNoteOn('2026-11-30', days)).toEqual({ kind: 'hours', note: '' });
    expect(exceptionNoteOn('2026-12-08', days)).toBeNull();
  });
});

describe('a closed date', () => {
  it('is one nobody shown works, by the weekly hours or by an exception', () => {
    const weekly: HoursItem[] = [{ weekday: 1, from: '10:00', to: '18:00' }];
    const off = { id: 1, date_from: '2026-11-30', date_to: '2026-11-30', hours: [], note: '' };
    expect(isClosedOn('2026-12-01', [{ weekly, exceptions: [] }])).toBe(true); // a Tuesday
    expect(isClosedOn('2026-11-30', [{ weekly, exceptions: [] }])).toBe(false);
    expect(isClosedOn('2026-11-30', [{ weekly, exceptions: [off] }])).toBe(true);
    expect(isClosedOn('2026-11-30', [{ weekly, exceptions: [off] }, { weekly, exceptions: [] }])).toBe(false);
    expect(isClosedOn('2026-11-30', [{ weekly: [], exceptions: [] }])).toBe(false);
    expect(isClosedOn('2026-11-30', [])).toBe(false);
  });
});
