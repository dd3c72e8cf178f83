import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { analytics as analyticsApi } from '../api';
import type { AnalyticsReport } from '../api/types';
import { DayBars, HBars, HeatTable, ShareBar, type BarItem, type DayBar } from '../components/Charts';
import RatingsSection from '../components/RatingsSection';
import StaffFiguresTable from '../components/StaffFiguresTable';
import { useI18n, type MessageKey } from '../i18n';
import {
  CANCELLED_BY_NAMES,
  countsByName,
  daysInPeriod,
  fillDays,
  funnel,
  heatMatrix,
  MAX_DAYS,
  parseSelection,
  periodProblem,
  PRESET_DAYS,
  PRESETS,
  ratio,
  selectionHash,
  selectionPeriod,
  SOURCE_NAMES,
  summarize,
  type Period,
  type PeriodProblem,
  type Selection,
} from '../lib/analytics';
import { formatDays, formatLeadTime, formatMoney, formatNumber, formatPercent, formatPrice } from '../lib/format';
import { useApp } from '../lib/context';
import { useLiveRefresh } from '../lib/live';
import { colourOf } from '../lib/staff';
import { useLoad } from '../lib/useLoad';
import { useStaff } from '../lib/useStaff';
import { DATE_ONLY, formatApiTime, todayInZone, type Lang } from '../lib/time';
import DateInput from '../components/DateInput';

const DAY_TITLE: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
const DAY_TICK: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit' };

export default function AnalyticsPage() {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const [sel, setSel] = useState<Selection>(() => parseSelection(window.location.hash));
  const [today, setToday] = useState(() => todayInZone(timeZone));
  const [customOpen, setCustomOpen] = useState(() => 'custom' in sel);
  const [draft, setDraft] = useState<Period>(() => selectionPeriod(sel, today));
  const [draftError, setDraftError] = useState<PeriodProblem | null>(null);
  const [reloadKey, setReloadKey] = useState(0);

  // The business zone arrives with the settings; a refresh after midnight moves "today" on.
  useEffect(() => setToday(todayInZone(timeZone)), [timeZone]);
  const reload = useCallback(() => {
    setToday(todayInZone(timeZone));
    setReloadKey((k) => k + 1);
  }, [timeZone]);

  const period = useMemo(() => selectionPeriod(sel, today), [sel, today]);

  // The period lives in the hash (a reload or a shared link keeps it); the menu link resets it.
  useEffect(() => {
    const hash = selectionHash(sel);
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [sel]);
  useEffect(() => {
    const onHash = () => {
      const next = parseSelection(window.location.hash);
      setSel((old) => (selectionHash(old) === selectionHash(next) ? old : next));
      if ('preset' in next) setCustomOpen(false);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const { data: report, loading } = useLoad(() => analyticsApi.get(period), [period.from, period.to, reloadKey], {
    errorTitle: t('analytics.loadError'),
  });

  // Bookings made, moved or cancelled elsewhere change the figures.
  useLiveRefresh(['appointment', 'slot'], reload, 1000);

  const choosePreset = (preset: (typeof PRESETS)[number]) => {
    setCustomOpen(false);
    setDraftError(null);
    setSel({ preset });
  };
  const openCustom = () => {
    setDraft(period);
    setDraftError(null);
    setCustomOpen(true);
  };
  const applyCustom = (e: FormEvent) => {
    e.preventDefault();
    const problem = periodProblem(draft);
    if (problem) {
      setDraftError(problem);
      return;
    }
    setDraftError(null);
    setSel({ custom: { ...draft } });
  };

  const date = (d: string, options: Intl.DateTimeFormatOptions = DATE_ONLY) => formatApiTime(d, lang, 'UTC', options);
  const shown = report ?? null;
  const shownPeriod: Period = shown ? { from: shown.from, to: shown.to } : period;

  return (
    <section className="page analytics" data-from={shown?.from} data-to={shown?.to} aria-busy={loading}>
      <div className="page-head">
        <h1>{t('analytics.title')}</h1>
        <button type="button" className="btn" onClick={reload} disabled={loading}>
          {t('common.refresh')}
        </button>
      </div>

      <div className="card period-picker">
        <div className="tabs" role="group" aria-label={t('analytics.period')}>
          {PRESETS.map((p) => {
            const active = !customOpen && 'preset' in sel && sel.preset === p;
            return (
              <button
                key={p}
                type="button"
                className={`tab${active ? ' active' : ''}`}
                aria-pressed={active}
                data-preset={p}
                title={t('analytics.presetHint', { days: formatDays(PRESET_DAYS[p], lang) })}
                onClick={() => choosePreset(p)}
              >
                {t(`analytics.preset.${p}`)}
              </button>
            );
          })}
          <button
            type="button"
            className={`tab${customOpen ? ' active' : ''}`}
            aria-pressed={customOpen}
            aria-controls={customOpen ? 'analytics-custom' : undefined}
            data-preset="custom"
            onClick={openCustom}
          >
            {t('analytics.preset.custom')}
          </button>
        </div>
        {customOpen && (
          <form id="analytics-custom" className="filters period-custom" onSubmit={applyCustom} noValidate>
            <label className="field">
              <span>{t('analytics.from')}</span>
              <DateInput
                name="from"
                value={draft.from}
                required
                onChange={(v) => setDraft((d) => ({ ...d, from: v }))}
              />
            </label>
            <label className="field">
              <span>{t('analytics.to')}</span>
              <DateInput name="to" value={draft.to} required onChange={(v) => setDraft((d) => ({ ...d, to: v }))} />
            </label>
            <button type="submit" className="btn btn-primary">
              {t('analytics.apply')}
            </button>
            {draftError && (
              <p className="form-error" role="alert">
                {draftError === 'date'
                  ? t('valid.date')
                  : draftError === 'order'
                    ? t('valid.dateOrder')
                    : t('analytics.tooLong', { max: MAX_DAYS })}
              </p>
            )}
          </form>
        )}
        <p className="period-range muted" aria-live="polite">
          {t('analytics.range', {
            from: date(shownPeriod.from),
            to: date(shownPeriod.to),
            days: formatDays(daysInPeriod(shownPeriod), lang),
          })}
        </p>
      </div>

      {shown === null ? (
        <p className="empty" role="status">
          {loading ? t('common.loading') : t('analytics.loadError')}
        </p>
      ) : shown.total === 0 ? (
        <div className="card" aria-busy={loading}>
          <div className="empty-state analytics-empty" role="status">
            <h2>{t('analytics.empty')}</h2>
            <p>{t('analytics.emptyHint')}</p>
          </div>
        </div>
      ) : (
        <Report report={shown} lang={lang} loading={loading} date={date} />
      )}
      {/* --- comeback --- */}
      {shown !== null && <RatingsSection period={period} reloadKey={reloadKey} />}
    </section>
  );
}

function Section({ id, title, children, wide }: { id: string; title: string; children: ReactNode; wide?: boolean }) {
  return (
    <section className={`card chart-card${wide ? ' chart-wide' : ''}`} data-section={id} aria-labelledby={`an-${id}`}>
      <h2 className="card-title" id={`an-${id}`}>
        {title}
      </h2>
      {children}
    </section>
  );
}

function Report({
  report: r,
  lang,
  loading,
  date,
}: {
  report: AnalyticsReport;
  lang: Lang;
  loading: boolean;
  date: (d: string, options?: Intl.DateTimeFormatOptions) => string;
}) {
  const { t } = useI18n();
  const { staff } = useStaff();
  const staffColours = useMemo(() => new Map(staff.map((m) => [m.id, colourOf(m)])), [staff]);
  const byStaff = r.by_staff ?? [];
  const num = (n: number) => formatNumber(n, lang);
  const pct = (x: number | null) => formatPercent(x, lang);
  const money = (x: number) => formatPrice(x, lang);
  const share = (count: number, whole: number) => t('analytics.share', { count: num(count), rate: pct(ratio(count, whole) ?? 0) });

  const s = summarize(r);
  const days = fillDays({ from: r.from, to: r.to }, r.per_day);
  const bars: DayBar[] = days.map((d) => ({
    date: d.date,
    value: d.bookings,
    title: t('analytics.dayTitle', { date: date(d.date, DAY_TITLE), n: num(d.bookings) }),
    tick: date(d.date, DAY_TICK),
  }));
  const daySum = days.reduce((a, d) => a + d.bookings, 0);
  const dayMax = Math.max(0, ...days.map((d) => d.bookings));

  const f = funnel(r.by_status, r.total);
  const cancelledBy = countsByName(CANCELLED_BY_NAMES, r.cancelled_by);
  const cancelledTotal = CANCELLED_BY_NAMES.reduce((a, n) => a + cancelledBy[n], 0);
  const sources = countsByName(SOURCE_NAMES, r.by_source);
  const sourceTotal = SOURCE_NAMES.reduce((a, n) => a + sources[n], 0);
  const sourceItems: BarItem[] = SOURCE_NAMES.map((n) => ({
    key: n,
    label: t(`analytics.source.${n}`),
    value: sources[n],
    display: share(sources[n], sourceTotal),
  }));
  const leadTotal = r.lead_time_buckets.reduce((a, n) => a + n, 0);
  const heat = heatMatrix(r.heat);
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((w) => t(`weekday.${w}` as MessageKey));
  const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;
  const serviceMax = Math.max(0, ...r.by_service.map((x) => x.bookings));

  const stats: { id: string; label: string; value: string; note: string }[] = [
    { id: 'total', label: t('analytics.total'), value: num(s.total), note: t('analytics.totalNote') },
    { id: 'completed', label: t('analytics.completed'), value: num(s.completed), note: t('analytics.ofAll', { rate: pct(s.completedRate) }) },
    {
      id: 'cancellation',
      label: t('analytics.cancellationRate'),
      value: pct(s.cancellationRate),
      note: t('analytics.cancelledCount', { n: num(s.cancelled) }),
    },
    { id: 'no-show', label: t('analytics.noShowRate'), value: pct(s.noShowRate), note: t('analytics.noShowCount', { n: num(s.noShow) }) },
    {
      id: 'utilisation',
      label: t('analytics.utilisation'),
      value: pct(s.utilisation),
      note:
        s.utilisation === null
          ? t('analytics.utilisationNone')
          : t('analytics.utilisationNote', { booked: formatNumber(r.booked_hours, lang, 1), offered: formatNumber(r.offered_hours, lang, 1) }),
    },
    { id: 'revenue', label: t('analytics.revenue'), value: money(s.revenue), note: t('analytics.revenueNote') },
    {
      id: 'clients',
      label: t('analytics.clients'),
      value: `${num(s.newClients)} / ${num(s.returningClients)}`,
      note: t('analytics.clientsNote', { rate: pct(s.newShare) }),
    },
    { id: 'lead-time', label: t('analytics.leadTime'), value: formatLeadTime(s.leadTimeMedianHours, lang), note: t('analytics.leadTimeNote') },
    // --- waitlist ---
    {
      id: 'waitlist',
      label: t('analytics.waits'),
      value: num(r.waits),
      note: t('analytics.waitsNote', { n: num(r.waits_booked), rate: pct(ratio(r.waits_booked, r.waits)) }),
    },
  ];

  return (
    <div className="analytics-report" aria-busy={loading}>
      <h2 className="sr-only">{t('analytics.summary')}</h2>
      <dl className="stat-grid">
        {stats.map((x) => (
          <div key={x.id} className="stat" data-stat={x.id}>
            <dt>{x.label}</dt>
            <dd className="stat-value">{x.value}</dd>
            <dd className="stat-note">{x.note}</dd>
          </div>
        ))}
      </dl>

      <div className="chart-grid">
        <Section id="per-day" title={t('analytics.perDay')} wide>
          <DayBars
            bars={bars}
            formatValue={num}
            label={t('analytics.perDayLabel', { from: date(r.from), to: date(r.to), sum: num(daySum), max: num(dayMax) })}
          />
          <p className="chart-note muted small">{t('analytics.withoutCancelled')}</p>
          <details className="chart-table">
            <summary>{t('analytics.showTable')}</summary>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('analytics.date')}</th>
                    <th scope="col" className="num">
                      {t('analytics.bookings')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {days
                    .filter((d) => d.bookings > 0)
                    .map((d) => (
                      <tr key={d.date}>
                        <td>{date(d.date, DAY_TITLE)}</td>
                        <td className="num">{num(d.bookings)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </details>
        </Section>

        <Section id="by-status" title={t('analytics.byStatus')}>
          <HBars
            className="funnel"
            max={r.total}
            items={f.rows.map((row) => ({
              key: row.step,
              label: t(`analytics.step.${row.step}`),
              value: row.count,
              display: t('analytics.share', { count: num(row.count), rate: pct(row.rate) }),
              tone: row.step,
            }))}
          />
          <p className="chart-note muted small">{t('analytics.funnelNote', { n: num(f.pending) })}</p>
        </Section>

        <Section id="cancelled-by" title={t('analytics.cancelledBy')}>
          {cancelledTotal === 0 ? (
            <p className="muted">{t('analytics.noCancellations')}</p>
          ) : (
            <>
              <HBars
                max={cancelledTotal}
                items={CANCELLED_BY_NAMES.map((n) => ({
                  key: n,
                  label: t(`analytics.cancelledBy.${n}`),
                  value: cancelledBy[n],
                  display: share(cancelledBy[n], cancelledTotal),
                  tone: 'cancelled',
                }))}
              />
              <p className="chart-note muted small">{t('analytics.cancelledByNote')}</p>
            </>
          )}
        </Section>

        <Section id="by-service" title={t('analytics.byService')} wide>
          <div className="table-wrap">
            <table className="table service-figures">
              <thead>
                <tr>
                  <th scope="col">{t('analytics.service')}</th>
                  <th scope="col" className="num">
                    {t('analytics.bookings')}
                  </th>
                  <th scope="col" className="num">
                    {t('analytics.serviceCompleted')}
                  </th>
                  <th scope="col" className="num">
                    {t('analytics.serviceRevenue')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.by_service.map((x) => (
                  <tr key={x.service_id} data-service-id={x.service_id}>
                    <th scope="row">
                      {x.service}
                      <span className="cell-bar" aria-hidden="true">
                        <span style={{ width: `${serviceMax > 0 ? (x.bookings / serviceMax) * 100 : 0}%` }} />
                      </span>
                    </th>
                    <td className="num">{num(x.bookings)}</td>
                    <td className="num">{num(x.completed)}</td>
                    <td className="num">{formatMoney(x.revenue, lang)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('analytics.totalRow')}</th>
                  <td className="num">{num(r.by_service.reduce((a, x) => a + x.bookings, 0))}</td>
                  <td className="num">{num(r.by_service.reduce((a, x) => a + x.completed, 0))}</td>
                  <td className="num">{formatMoney(r.by_service.reduce((a, x) => a + x.revenue, 0), lang)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <p className="chart-note muted small">{t('analytics.withoutCancelled')}</p>
        </Section>

        {byStaff.length > 0 && (
          <Section id="by-staff" title={t('analytics.byStaff')} wide>
            <StaffFiguresTable rows={byStaff} colours={staffColours} />
          </Section>
        )}

        <Section id="heat" title={t('analytics.heat')} wide>
          <HeatTable
            matrix={heat}
            caption={t('analytics.heatCaption')}
            corner={t('analytics.hour')}
            weekdays={weekdays}
            hourLabel={hour}
            totalLabel={t('analytics.totalRow')}
            formatValue={num}
            cellTitle={(wi, h, n) => t('analytics.heatCell', { weekday: weekdays[wi] ?? '', hour: hour(h), n: num(n) })}
          />
          <p className="chart-note muted small">{t('analytics.withoutCancelled')}</p>
        </Section>

        <Section id="lead-time" title={t('analytics.leadBuckets')}>
          <HBars
            max={leadTotal}
            items={r.lead_time_buckets.map((n, i) => ({
              key: String(i),
              label: t(`analytics.lead.${i}` as MessageKey),
              value: n,
              display: share(n, leadTotal),
            }))}
          />
          <p className="chart-note muted small">{t('analytics.leadMedian', { time: formatLeadTime(r.lead_time_median_hours, lang) })}</p>
        </Section>

        <Section id="sources" title={t('analytics.sources')}>
          <ShareBar
            items={sourceItems}
            label={sourceItems.map((i) => `${i.label}: ${pct(ratio(i.value, sourceTotal) ?? 0)}`).join(', ')}
          />
        </Section>
      </div>
    </div>
  );
}
