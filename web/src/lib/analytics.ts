// The analytics page's pure logic: periods (presets ending today, custom, in the hash), filling the
// days without bookings, rates and the status funnel, the weekday × hour matrix (numbers are formatted by lib/format.ts).
import type { AnalyticsReport, CancelledByName, DayCount, HeatCell, NamedCount, SourceName, StaffFigures, StatusName } from '../api/types';
import { STATUS_NAMES } from '../api/types';
import { addDays, parseFloating } from './time';

// ---- periods ------------------------------------------------------------------------------

export const PRESETS = ['week', 'month', 'quarter'] as const;
export type Preset = (typeof PRESETS)[number];
/** Days in each preset, today included. */
export const PRESET_DAYS: Record<Preset, number> = { week: 7, month: 30, quarter: 90 };
export const DEFAULT_PRESET: Preset = 'month';
/** The server refuses longer periods. */
export const MAX_DAYS = 400;

export interface Period {
  from: string; // YYYY-MM-DD, inclusive
  to: string; // YYYY-MM-DD, inclusive
}

export type Selection = { preset: Preset } | { custom: Period };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date "YYYY-MM-DD" (not 2026-02-30). */
export function isIsoDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  try {
    return addDays(s, 0) === s;
  } catch {
    return false;
  }
}

/** The preset's days ending today (business date). */
export function presetPeriod(preset: Preset, today: string): Period {
  return { from: addDays(today, -(PRESET_DAYS[preset] - 1)), to: today };
}

export function selectionPeriod(sel: Selection, today: string): Period {
  return 'preset' in sel ? presetPeriod(sel.preset, today) : sel.custom;
}

/** Days in [from, to], both included (0 when `to` is before `from`). */
export function daysInPeriod(p: Period): number {
  const days = Math.round((parseFloating(p.to).getTime() - parseFloating(p.from).getTime()) / 86_400_000) + 1;
  return Math.max(0, days);
}

export type PeriodProblem = 'date' | 'order' | 'tooLong';

/** What is wrong with a custom period, or null. */
export function periodProblem(p: Period): PeriodProblem | null {
  if (!isIsoDate(p.from) || !isIsoDate(p.to)) return 'date';
  if (p.to < p.from) return 'order';
  if (daysInPeriod(p) > MAX_DAYS) return 'tooLong';
  return null;
}

/** The period in the hash's query: "#/analytics?period=week" or "#/analytics?from=…&to=…". */
export function parseSelection(hash: string): Selection {
  const q = hash.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '');
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (from || to) {
    const custom = { from, to };
    if (periodProblem(custom) === null) return { custom };
  }
  const preset = params.get('period');
  return { preset: (PRESETS as readonly string[]).includes(preset ?? '') ? (preset as Preset) : DEFAULT_PRESET };
}

export function selectionHash(sel: Selection): string {
  return 'preset' in sel
    ? `#/analytics?period=${sel.preset}`
    : `#/analytics?from=${encodeURIComponent(sel.custom.from)}&to=${encodeURIComponent(sel.custom.to)}`;
}

// ---- bookings per day -----------------------------------------------------------------------

/** Every day of the period in order, with 0 for the days the API left out. */
export function fillDays(period: Period, perDay: readonly DayCount[]): DayCount[] {
  const counts = new Map(perDay.map((d) => [d.date, d.bookings]));
  const n = Math.min(daysInPeriod(period), MAX_DAYS + 1);
  const out: DayCount[] = [];
  for (let i = 0, date = period.from; i < n; i++, date = addDays(date, 1)) {
    out.push({ date, bookings: counts.get(date) ?? 0 });
  }
  return out;
}

/** Up to `max` evenly spread positions to label on an axis of `n` bars (first and last included). */
export function tickIndexes(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max <= 1) return [0];
  const step = Math.ceil((n - 1) / (max - 1));
  const out: number[] = [];
  for (let i = 0; i < n - 1; i += step) out.push(i);
  // Keep the last day, dropping a label that would crowd it.
  if (out.length > 1 && n - 1 - out[out.length - 1]! < step / 2) out.pop();
  out.push(n - 1);
  return out;
}

/** A rounded top for a chart's scale: 1, 2, 5, 10, 20, 50… at least `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= max) return m * magnitude;
  return 10 * magnitude;
}

// ---- rates -------------------------------------------------------------------------------

/** part / whole, or null when there is no whole. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Counts by name with every known name present (0 when the API left it out), in that order. */
export function countsByName<N extends string>(names: readonly N[], items: readonly NamedCount[]): Record<N, number> {
  const out = Object.fromEntries(names.map((n) => [n, 0])) as Record<N, number>;
  for (const it of items) if ((names as readonly string[]).includes(it.name)) out[it.name as N] += it.count;
  return out;
}

export const SOURCE_NAMES: readonly SourceName[] = ['bot', 'admin', 'api'];
export const CANCELLED_BY_NAMES: readonly CancelledByName[] = ['client', 'admin', 'system'];

export type FunnelStep = 'booked' | 'confirmed' | 'completed' | 'cancelled' | 'no_show';
export interface FunnelRow {
  step: FunnelStep;
  count: number;
  /** Of every booking in the period (null when there are none). */
  rate: number | null;
}

/**
 * Booked → confirmed → completed, then cancelled and no-show, each as a share of every booking.
 * "Confirmed" counts what got past confirmation: confirmed, completed and no-show bookings.
 */
export function funnel(byStatus: readonly NamedCount[], total: number): { rows: FunnelRow[]; pending: number } {
  const c = countsByName<StatusName>(STATUS_NAMES, byStatus);
  const row = (step: FunnelStep, count: number): FunnelRow => ({ step, count, rate: ratio(count, total) });
  return {
    rows: [
      row('booked', total),
      row('confirmed', c.confirmed + c.completed + c.no_show),
      row('completed', c.completed),
      row('cancelled', c.cancelled),
      row('no_show', c.no_show),
    ],
    pending: c.pending,
  };
}

export interface Summary {
  total: number;
  completed: number;
  completedRate: number | null;
  cancelled: number;
  cancellationRate: number | null;
  noShow: number;
  noShowRate: number | null;
  utilisation: number | null;
  revenue: number;
  newClients: number;
  returningClients: number;
  newShare: number | null;
  leadTimeMedianHours: number | null;
}

export function summarize(r: AnalyticsReport): Summary {
  const c = countsByName<StatusName>(STATUS_NAMES, r.by_status);
  return {
    total: r.total,
    completed: c.completed,
    completedRate: ratio(c.completed, r.total),
    cancelled: c.cancelled,
    cancellationRate: ratio(c.cancelled, r.total),
    noShow: c.no_show,
    noShowRate: ratio(c.no_show, r.total),
    utilisation: r.utilisation,
    revenue: r.revenue,
    newClients: r.new_clients,
    returningClients: r.returning_clients,
    newShare: ratio(r.new_clients, r.new_clients + r.returning_clients),
    leadTimeMedianHours: r.lead_time_median_hours,
  };
}

// ---- weekday × hour --------------------------------------------------------------------------

export interface HeatMatrix {
  /** Only the hours that have any bookings, ascending. */
  hours: number[];
  /** counts[hourIndex][weekday - 1], Monday first. */
  counts: number[][];
  /** Bookings per weekday, Monday first. */
  weekdayTotals: number[];
  max: number;
}

export function heatMatrix(cells: readonly HeatCell[]): HeatMatrix {
  const valid = cells.filter((c) => c.bookings > 0 && c.weekday >= 1 && c.weekday <= 7 && c.hour >= 0 && c.hour <= 23);
  const hours = [...new Set(valid.map((c) => c.hour))].sort((a, b) => a - b);
  const counts = hours.map(() => Array<number>(7).fill(0));
  const weekdayTotals = Array<number>(7).fill(0);
  let max = 0;
  for (const c of valid) {
    const row = counts[hours.indexOf(c.hour)]!;
    row[c.weekday - 1]! += c.bookings;
    weekdayTotals[c.weekday - 1]! += c.bookings;
    max = Math.max(max, row[c.weekday - 1]!);
  }
  return { hours, counts, weekdayTotals, max };
}

/** 0 for an empty cell, else 0.15..1 by the cell's share of the busiest one. */
export function heatLevel(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.round((0.15 + 0.85 * (value / max)) * 100) / 100;
}

/**
 * The totals row of the per-staff table. Utilisation: the booked hours of those who have working
 * hours over all their working hours (null when nobody has any).
 */
export function staffTotals(rows: readonly StaffFigures[]): Omit<StaffFigures, 'staff_id' | 'name'> {
  const sum = (pick: (r: StaffFigures) => number) => rows.reduce((a, r) => a + pick(r), 0);
  const withHours = rows.filter((r) => r.working_hours !== null && r.working_hours > 0);
  const working = withHours.reduce((a, r) => a + (r.working_hours ?? 0), 0);
  const bookedInHours = withHours.reduce((a, r) => a + r.booked_hours, 0);
  return {
    bookings: sum((r) => r.bookings),
    completed: sum((r) => r.completed),
    revenue: sum((r) => r.revenue),
    booked_hours: sum((r) => r.booked_hours),
    working_hours: withHours.length ? working : null,
    utilisation: working > 0 ? Math.round((bookedInHours / working) * 1000) / 1000 : null,
  };
}
