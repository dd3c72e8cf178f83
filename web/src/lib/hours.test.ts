import { describe, expect, it } from 'vitest';
import {
  breaksOf,
  dayMinutes,
  emptyWeek,
  exceptionKind,
  nextStretch,
  stretchProblems,
  validateException,
  validateWeek,
  weekFromApi,
  type ExceptionForm,
} from './hours';

describe('weekFromApi', () => {
  it('puts each stretch under its weekday, in order, and drops unknown weekdays', () => {
    const week = weekFromApi([
      { weekday: 1, from: '15:00', to: '19:00' },
      { weekday: 1, from: '10:00', to: '14:00' },
      { weekday: 6, from: '10:00:00', to: '16:00:00' },
      { weekday: 9, from: '10:00', to: '11:00' },
    ]);
    expect(week).toHaveLength(7);
    expect(week[0]).toEqual([
      { from: '10:00', to: '14:00' },
      { from: '15:00', to: '19:00' },
    ]);
    expect(week[5]).toEqual([{ from: '10:00', to: '16:00' }]);
    expect(week[6]).toEqual([]);
  });
});

describe('stretchProblems', () => {
  it('accepts sorted, unsorted and touching stretches', () => {
    expect(stretchProblems([])).toEqual([]);
    expect(stretchProblems([{ from: '15:00', to: '19:00' }, { from: '10:00', to: '14:00' }])).toEqual([]);
    expect(stretchProblems([{ from: '10:00', to: '14:00' }, { from: '14:00', to: '18:00' }])).toEqual([]);
  });

  it('finds bad times, stretches that do not end after they start, and overlaps', () => {
    expect(stretchProblems([{ from: '9:00', to: '18:00' }])).toEqual(['time']);
    expect(stretchProblems([{ from: '18:00', to: '09:00' }])).toEqual(['order']);
    expect(stretchProblems([{ from: '10:00', to: '10:00' }])).toEqual(['order']);
    expect(stretchProblems([{ from: '10:00', to: '14:00' }, { from: '13:00', to: '18:00' }])).toEqual(['overlap']);
    expect(stretchProblems([{ from: '12:00', to: '13:00' }, { from: '10:00', to: '18:00' }])).toEqual(['overlap']);
  });
});

describe('validateWeek', () => {
  it('gives the API list sorted by weekday and time; an empty day is a day off', () => {
    const week = emptyWeek();
    week[2] = [{ from: ' 15:00', to: '19:00 ' }, { from: '10:00', to: '14:00' }];
    week[0] = [{ from: '09:00', to: '18:00' }];
    const v = validateWeek(week);
    expect(v).toEqual({
      ok: true,
      value: [
        { weekday: 1, from: '09:00', to: '18:00' },
        { weekday: 3, from: '10:00', to: '14:00' },
        { weekday: 3, from: '15:00', to: '19:00' },
      ],
    });
    expect(validateWeek(emptyWeek())).toEqual({ ok: true, value: [] });
  });

  it('names the weekday of each problem', () => {
    const week = emptyWeek();
    week[1] = [{ from: '18:00', to: '10:00' }];
    week[4] = [{ from: '10:00', to: '15:00' }, { from: '14:00', to: '19:00' }];
    const v = validateWeek(week);
    expect(v.ok).toBe(false);
    if (!v.ok)
      expect(v.problems).toEqual([
        { key: 'valid.hoursOrder', field: 'weekdayLong.2' },
        { key: 'valid.hoursOverlap', field: 'weekdayLong.5' },
      ]);
  });
});

describe('breaks and helpers', () => {
  it('finds the breaks between stretches', () => {
    expect(breaksOf([{ from: '15:00', to: '19:00' }, { from: '10:00', to: '14:00' }])).toEqual([{ from: '14:00', to: '15:00' }]);
    expect(breaksOf([{ from: '10:00', to: '14:00' }, { from: '14:00', to: '18:00' }])).toEqual([]);
    expect(breaksOf([])).toEqual([]);
  });

  it('proposes the next stretch after the last one', () => {
    expect(nextStretch([])).toEqual({ from: '09:00', to: '18:00' });
    expect(nextStretch([{ from: '10:00', to: '14:00' }])).toEqual({ from: '15:00', to: '16:00' });
    expect(nextStretch([{ from: '10:00', to: '23:30' }])).toEqual({ from: '22:00', to: '23:00' });
  });

  it('counts the minutes of a day', () => {
    expect(dayMinutes([{ from: '10:00', to: '14:00' }, { from: '15:00', to: '19:00' }])).toBe(480);
  });
});

describe('exceptions', () => {
  const base: ExceptionForm = { kind: 'day_off', date_from: '2026-12-24', date_to: '', hours: [], note: '' };

  it('a day off is one date without hours', () => {
    expect(validateException(base)).toEqual({ ok: true, value: { date_from: '2026-12-24', date_to: '2026-12-24' } });
  });

  it('a vacation is a range; the end may not come first', () => {
    expect(validateException({ ...base, kind: 'vacation', date_to: '2027-01-07', note: ' Карпати ' })).toEqual({
      ok: true,
      value: { date_from: '2026-12-24', date_to: '2027-01-07', note: 'Карпати' },
    });
    const bad = validateException({ ...base, kind: 'vacation', date_to: '2026-12-01' });
    expect(bad.ok ? [] : bad.problems).toEqual([{ key: 'valid.dateOrder' }]);
  });

  it('other hours need valid stretches', () => {
    expect(validateException({ ...base, kind: 'hours', hours: [{ from: '12:00', to: '16:00' }] })).toEqual({
      ok: true,
      value: { date_from: '2026-12-24', date_to: '2026-12-24', hours: [{ from: '12:00', to: '16:00' }] },
    });
    const none = validateException({ ...base, kind: 'hours' });
    expect(none.ok ? [] : none.problems).toEqual([{ key: 'valid.hoursNone' }]);
    const bad = validateException({ ...base, kind: 'hours', hours: [{ from: '16:00', to: '12:00' }], date_from: 'x' });
    expect(bad.ok ? [] : bad.problems.map((p) => p.key)).toEqual(['valid.date', 'valid.hoursOrder']);
  });

  it('tells the kind of a stored exception', () => {
    expect(exceptionKind({ date_from: '2026-12-24', date_to: '2026-12-24', hours: [] })).toBe('day_off');
    expect(exceptionKind({ date_from: '2026-12-24', date_to: '2026-12-31', hours: [] })).toBe('vacation');
    expect(exceptionKind({ date_from: '2026-12-24', date_to: '2026-12-24', hours: [{ from: '10:00', to: '12:00' }] })).toBe('hours');
  });
});
