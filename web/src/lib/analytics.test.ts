import { describe, expect, it } from 'vitest';
import type { AnalyticsReport } from '../api/types';
import {
  staffTotals,
  countsByName,
  daysInPeriod,
  fillDays,
  funnel,
  heatLevel,
  heatMatrix,
  isIsoDate,
  MAX_DAYS,
  niceMax,
  parseSelection,
  periodProblem,
  presetPeriod,
  ratio,
  selectionHash,
  selectionPeriod,
  SOURCE_NAMES,
  summarize,
  tickIndexes,
} from './analytics';
import { formatHours, formatDays, formatLeadTime, formatMoney, formatNumber, formatPercent } from './format';

// Intl puts narrow no-break spaces in some locales; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('period presets', () => {
  it('end today and span 7, 30 and 90 days', () => {
    expect(presetPeriod('week', '2026-11-25')).toEqual({ from: '2026-11-19', to: '2026-11-25' });
    expect(presetPeriod('month', '2026-11-25')).toEqual({ from: '2026-10-27', to: '2026-11-25' });
    expect(presetPeriod('quarter', '2026-11-25')).toEqual({ from: '2026-08-28', to: '2026-11-25' });
    for (const p of ['week', 'month', 'quarter'] as const) {
      expect(daysInPeriod(presetPeriod(p, '2026-03-31'))).toBe({ week: 7, month: 30, quarter: 90 }[p]);
    }
  });

  it('cross month, year and leap-day boundaries', () => {
    expect(presetPeriod('week', '2026-01-03')).toEqual({ from: '2025-12-28', to: '2026-01-03' });
    expect(presetPeriod('week', '2028-03-02')).toEqual({ from: '2028-02-25', to: '2028-03-02' });
    // The DST change in Kyiv (last Sunday of March) does not shift whole dates.
    expect(presetPeriod('week', '2026-04-01')).toEqual({ from: '2026-03-26', to: '2026-04-01' });
  });

  it('resolve a selection to its period', () => {
    expect(selectionPeriod({ preset: 'week' }, '2026-11-25').from).toBe('2026-11-19');
    const custom = { from: '2026-01-01', to: '2026-01-31' };
    expect(selectionPeriod({ custom }, '2026-11-25')).toBe(custom);
  });
});

describe('custom periods', () => {
  it('count days inclusively', () => {
    expect(daysInPeriod({ from: '2026-11-25', to: '2026-11-25' })).toBe(1);
    expect(daysInPeriod({ from: '2026-01-01', to: '2026-12-31' })).toBe(365);
    expect(daysInPeriod({ from: '2026-02-01', to: '2026-01-01' })).toBe(0);
  });

  it('are checked before asking the server', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-2-3')).toBe(false);
    expect(periodProblem({ from: '', to: '2026-01-01' })).toBe('date');
    expect(periodProblem({ from: '2026-02-01', to: '2026-01-31' })).toBe('order');
    expect(periodProblem({ from: '2026-01-01', to: '2027-02-04' })).toBe(null); // 400 days
    expect(daysInPeriod({ from: '2026-01-01', to: '2027-02-04' })).toBe(MAX_DAYS);
    expect(periodProblem({ from: '2026-01-01', to: '2027-02-05' })).toBe('tooLong');
  });

  it('round-trip through the hash', () => {
    expect(parseSelection('#/analytics')).toEqual({ preset: 'month' });
    expect(parseSelection('#/analytics?period=week')).toEqual({ preset: 'week' });
    expect(parseSelection('#/analytics?period=year')).toEqual({ preset: 'month' });
    expect(parseSelection('#/analytics?from=2026-01-01&to=2026-01-31')).toEqual({
      custom: { from: '2026-01-01', to: '2026-01-31' },
    });
    // A broken custom period falls back to the preset (or the default).
    expect(parseSelection('#/analytics?from=2026-02-01&to=2026-01-01&period=quarter')).toEqual({ preset: 'quarter' });
    for (const sel of [{ preset: 'quarter' as const }, { custom: { from: '2025-12-01', to: '2026-02-28' } }]) {
      expect(parseSelection(selectionHash(sel))).toEqual(sel);
    }
  });
});

describe('fillDays', () => {
  it('fills the days without bookings with 0, in order', () => {
    const days = fillDays({ from: '2026-11-26', to: '2026-12-02' }, [
      { date: '2026-12-01', bookings: 1 },
      { date: '2026-11-26', bookings: 2 },
      { date: '2026-11-28', bookings: 3 },
    ]);
    expect(days.map((d) => d.date)).toEqual([
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
    ]);
    expect(days.map((d) => d.bookings)).toEqual([2, 0, 3, 0, 0, 1, 0]);
  });

  it('ignores days outside the period and handles an empty answer', () => {
    expect(fillDays({ from: '2026-01-01', to: '2026-01-02' }, [{ date: '2025-12-31', bookings: 9 }])).toEqual([
      { date: '2026-01-01', bookings: 0 },
      { date: '2026-01-02', bookings: 0 },
    ]);
    expect(fillDays({ from: '2026-01-01', to: '2026-03-31' }, []).length).toBe(90);
    expect(fillDays({ from: '2026-01-02', to: '2026-01-01' }, [])).toEqual([]);
  });
});

describe('chart scales', () => {
  it('label at most the asked number of days, first and last included', () => {
    expect(tickIndexes(0, 6)).toEqual([]);
    expect(tickIndexes(5, 6)).toEqual([0, 1, 2, 3, 4]);
    const ticks = tickIndexes(30, 6);
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBe(29);
    expect(tickIndexes(90, 7).length).toBeLessThanOrEqual(7);
    expect(tickIndexes(400, 7).at(-1)).toBe(399);
  });

  it('round the top of the scale up', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(1)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(11)).toBe(20);
    expect(niceMax(240)).toBe(500);
  });
});

const REPORT: AnalyticsReport = {
  from: '2026-11-20',
  to: '2026-12-31',
  total: 20,
  per_day: [],
  by_status: [
    { name: 'cancelled', count: 3, share: 0.15 },
    { name: 'completed', count: 8, share: 0.4 },
    { name: 'confirmed', count: 4, share: 0.2 },
    { name: 'no_show', count: 1, share: 0.05 },
    { name: 'pending', count: 4, share: 0.2 },
  ],
  cancelled_by: [
    { name: 'admin', count: 1, share: 0.05 },
    { name: 'client', count: 2, share: 0.1 },
  ],
  by_service: [],
  by_staff: [],
  by_source: [
    { name: 'bot', count: 15, share: 0.75 },
    { name: 'admin', count: 5, share: 0.25 },
  ],
  heat: [],
  booked_hours: 11.25,
  offered_hours: 234,
  utilisation: 0.048,
  new_clients: 6,
  returning_clients: 2,
  revenue: 4800,
  lead_time_buckets: [0, 4, 5, 3, 0],
  lead_time_median_hours: 126.5,
  // --- waitlist ---
  waits: 0,
  waits_booked: 0,
};

describe('rates', () => {
  it('divide safely', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(0, 0)).toBe(null);
  });

  it('fill the names the API left out', () => {
    expect(countsByName(SOURCE_NAMES, REPORT.by_source)).toEqual({ bot: 15, admin: 5, api: 0 });
  });

  it('summarize the period', () => {
    const s = summarize(REPORT);
    expect(s.completed).toBe(8);
    expect(s.completedRate).toBe(0.4);
    expect(s.cancellationRate).toBe(0.15);
    expect(s.noShowRate).toBe(0.05);
    expect(s.newShare).toBe(0.75);
    expect(summarize({ ...REPORT, total: 0, by_status: [], new_clients: 0, returning_clients: 0 }).cancellationRate).toBe(null);
  });

  it('build the funnel booked → confirmed → completed, cancelled, no-show', () => {
    const f = funnel(REPORT.by_status, REPORT.total);
    expect(f.rows.map((r) => [r.step, r.count, r.rate])).toEqual([
      ['booked', 20, 1],
      ['confirmed', 13, 0.65], // confirmed + completed + no-show
      ['completed', 8, 0.4],
      ['cancelled', 3, 0.15],
      ['no_show', 1, 0.05],
    ]);
    expect(f.pending).toBe(4);
    expect(funnel([], 0).rows.every((r) => r.count === 0 && r.rate === null)).toBe(true);
  });
});

describe('heatMatrix', () => {
  it('keeps only hours with bookings, weekdays Monday first', () => {
    const m = heatMatrix([
      { weekday: 7, hour: 9, bookings: 1 },
      { weekday: 1, hour: 17, bookings: 2 },
      { weekday: 1, hour: 9, bookings: 3 },
      { weekday: 3, hour: 12, bookings: 0 }, // nothing: its hour stays out
    ]);
    expect(m.hours).toEqual([9, 17]);
    expect(m.counts).toEqual([
      [3, 0, 0, 0, 0, 0, 1],
      [2, 0, 0, 0, 0, 0, 0],
    ]);
    expect(m.weekdayTotals).toEqual([5, 0, 0, 0, 0, 0, 1]);
    expect(m.max).toBe(3);
  });

  it('adds up repeated cells and ignores impossible ones', () => {
    const m = heatMatrix([
      { weekday: 2, hour: 10, bookings: 1 },
      { weekday: 2, hour: 10, bookings: 2 },
      { weekday: 8, hour: 10, bookings: 5 },
      { weekday: 2, hour: 24, bookings: 5 },
    ]);
    expect(m.hours).toEqual([10]);
    expect(m.counts[0]?.[1]).toBe(3);
    expect(heatMatrix([])).toEqual({ hours: [], counts: [], weekdayTotals: [0, 0, 0, 0, 0, 0, 0], max: 0 });
  });

  it('shades cells by their share of the busiest', () => {
    expect(heatLevel(0, 5)).toBe(0);
    expect(heatLevel(5, 5)).toBe(1);
    expect(heatLevel(1, 5)).toBe(0.32);
    expect(heatLevel(3, 0)).toBe(0);
  });
});

describe('formatting', () => {
  it('formats percents for uk and en', () => {
    expect(plain(formatPercent(0.048, 'uk'))).toBe('4,8%');
    expect(formatPercent(0.048, 'en')).toBe('4.8%');
    expect(formatPercent(0.417, 'en')).toBe('42%');
    expect(formatPercent(1, 'uk')).toBe('100%');
    expect(formatPercent(0, 'en')).toBe('0%');
    expect(formatPercent(null, 'en')).toBe('—');
  });

  it('formats numbers and money', () => {
    expect(plain(formatNumber(12345, 'uk'))).toBe('12 345');
    expect(formatNumber(12345, 'en')).toBe('12,345');
    expect(formatNumber(11.25, 'en', 1)).toBe('11.3');
    expect(plain(formatMoney(4800, 'uk'))).toBe('4 800');
    expect(formatMoney(1234.5, 'en')).toBe('1,234.50');
    expect(plain(formatMoney(1234.5, 'uk'))).toBe('1 234,50');
  });

  it('formats days and lead times with the right plural', () => {
    expect(formatDays(30, 'uk')).toBe('30 днів');
    expect(formatDays(1, 'en')).toBe('1 day');
    expect(formatLeadTime(null, 'uk')).toBe('—');
    expect(formatLeadTime(0.5, 'en')).toBe('30 minutes');
    expect(formatLeadTime(5.25, 'en')).toBe('5.3 hours');
    expect(formatLeadTime(18, 'uk')).toBe('18 годин');
    expect(formatLeadTime(126.5, 'en')).toBe('5.3 days');
    expect(formatLeadTime(126.5, 'uk')).toBe('5,3 дня');
  });
});

describe('staff figures', () => {
  const rows = [
    { staff_id: 1, name: 'Оксана', bookings: 10, completed: 8, revenue: 4000, booked_hours: 10, working_hours: 40, utilisation: 0.25 },
    { staff_id: 3, name: 'Марта', bookings: 2, completed: 1, revenue: 0, booked_hours: 5, working_hours: 20, utilisation: 0.25 },
    { staff_id: 2, name: 'Іван', bookings: 5, completed: 5, revenue: 2500.5, booked_hours: 5, working_hours: null, utilisation: null },
  ];

  it('sums the rows; the utilisation is over the staff who have working hours', () => {
    expect(staffTotals(rows)).toEqual({
      bookings: 17,
      completed: 14,
      revenue: 6500.5,
      booked_hours: 20,
      working_hours: 60,
      utilisation: 0.25,
    });
    expect(staffTotals([rows[2]!])).toMatchObject({ working_hours: null, utilisation: null });
    expect(staffTotals([]).utilisation).toBeNull();
  });

  it('shows hours with one decimal at most', () => {
    expect(formatHours(1.5, 'en')).toBe('1.5');
    expect(formatHours(10, 'uk')).toBe('10');
    expect(formatHours(null, 'uk')).toBe('—');
  });
});
