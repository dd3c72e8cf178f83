// Small charts without a chart library: CSS bars with titles, a stacked share bar and a heat-map
// table. Every text comes from the caller (already translated and formatted).
import type { CSSProperties, ReactNode } from 'react';
import { heatLevel, niceMax, tickIndexes, type HeatMatrix } from '../lib/analytics';

export interface DayBar {
  date: string;
  value: number;
  /** Tooltip, e.g. "Mon 3 Nov: 2". */
  title: string;
  /** Short axis label, e.g. "03.11". */
  tick: string;
}

/** Vertical bars, one per day: a summary for screen readers (`label`), titles for the pointer. */
export function DayBars({ bars, label, formatValue }: { bars: DayBar[]; label: string; formatValue: (n: number) => string }) {
  const n = bars.length;
  const top = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const ticks = new Set(tickIndexes(n, 7));
  const showValues = n <= 14;
  const gap = n <= 31 ? '3px' : n <= 120 ? '1px' : '0px';
  return (
    <figure className="day-chart">
      <div className="day-plot" role="img" aria-label={label}>
        <div className="day-scale" aria-hidden="true">
          <span>{formatValue(top)}</span>
          <span>{formatValue(0)}</span>
        </div>
        <div className="day-bars" style={{ gap }}>
          {bars.map((b) => (
            <div key={b.date} className="day-bar" data-date={b.date} data-count={b.value} title={b.title}>
              {showValues && b.value > 0 && <span className="day-value">{formatValue(b.value)}</span>}
              <span className="day-fill" style={{ height: `${(b.value / top) * 100}%` }} />
            </div>
          ))}
        </div>
      </div>
      <div className="day-axis" aria-hidden="true">
        {bars.map((b, i) =>
          ticks.has(i) ? (
            <span
              key={b.date}
              className={i === 0 && n > 1 ? 'tick-first' : i === n - 1 && n > 1 ? 'tick-last' : undefined}
              style={n > 1 && i > 0 && i < n - 1 ? { left: `${((i + 0.5) / n) * 100}%` } : n === 1 ? { left: '50%' } : undefined}
            >
              {b.tick}
            </span>
          ) : null,
        )}
      </div>
    </figure>
  );
}

export interface BarItem {
  key: string;
  label: string;
  value: number;
  /** What is written beside the bar, e.g. "13 · 65%". */
  display: string;
  tone?: string;
}

/** Horizontal bars as a list: label, bar (its length against `max`), value. */
export function HBars({ items, max, className }: { items: BarItem[]; max?: number; className?: string }) {
  const top = max ?? Math.max(0, ...items.map((i) => i.value));
  return (
    <ul className={`hbars${className ? ` ${className}` : ''}`}>
      {items.map((it) => (
        <li key={it.key} data-key={it.key} data-count={it.value} title={`${it.label}: ${it.display}`}>
          <span className="hbar-label">{it.label}</span>
          <span className="hbar-track" aria-hidden="true">
            <span
              className={`hbar-fill${it.tone ? ` tone-${it.tone}` : ''}`}
              style={{ width: top > 0 ? `${(it.value / top) * 100}%` : '0%' }}
            />
          </span>
          <span className="hbar-value">{it.display}</span>
        </li>
      ))}
    </ul>
  );
}

/** One bar split into shares (e.g. bot / admin / API), with a legend that carries the numbers. */
export function ShareBar({ items, label }: { items: BarItem[]; label: string }) {
  const total = items.reduce((s, i) => s + i.value, 0);
  return (
    <div className="share">
      <div className="share-bar" role="img" aria-label={label}>
        {items.map((it) =>
          it.value > 0 ? (
            <span
              key={it.key}
              className={`share-seg tone-${it.tone ?? it.key}`}
              data-key={it.key}
              style={{ width: `${(it.value / total) * 100}%` }}
              title={`${it.label}: ${it.display}`}
            />
          ) : null,
        )}
      </div>
      <ul className="legend">
        {items.map((it) => (
          <li key={it.key} data-key={it.key} data-count={it.value}>
            <span className={`legend-swatch tone-${it.tone ?? it.key}`} aria-hidden="true" />
            <span className="legend-label">{it.label}</span>
            <span className="legend-value">{it.display}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Weekdays across, hours down: a table whose cells are shaded by their count. */
export function HeatTable({
  matrix,
  caption,
  corner,
  weekdays,
  hourLabel,
  totalLabel,
  cellTitle,
  formatValue,
}: {
  matrix: HeatMatrix;
  caption: string;
  corner: string;
  /** Seven short names, Monday first. */
  weekdays: string[];
  hourLabel: (hour: number) => string;
  totalLabel: string;
  cellTitle: (weekdayIndex: number, hour: number, n: number) => string;
  formatValue: (n: number) => string;
}) {
  const cell = (v: number): { style?: CSSProperties; className: string; content: ReactNode } => {
    const level = heatLevel(v, matrix.max);
    if (level === 0) return { className: 'heat-cell heat-zero', content: <span className="sr-only">{formatValue(0)}</span> };
    return {
      className: `heat-cell${level > 0.55 ? ' heat-dark' : ''}`,
      style: { backgroundColor: `rgba(47, 111, 94, ${level})` },
      content: formatValue(v),
    };
  };
  const busiest = Math.max(0, ...matrix.weekdayTotals);
  return (
    <div className="heat-wrap">
      <table className="heat">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="heat-corner">
              {corner}
            </th>
            {weekdays.map((w) => (
              <th key={w} scope="col">
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.hours.map((h, hi) => (
            <tr key={h} data-hour={h}>
              <th scope="row">{hourLabel(h)}</th>
              {matrix.counts[hi]!.map((v, wi) => {
                const c = cell(v);
                return (
                  <td key={wi} className={c.className} style={c.style} data-count={v} title={cellTitle(wi, h, v)}>
                    {c.content}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{totalLabel}</th>
            {matrix.weekdayTotals.map((v, wi) => (
              <td key={wi} className={v > 0 && v === busiest ? 'heat-busiest' : undefined} data-count={v}>
                {formatValue(v)}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
