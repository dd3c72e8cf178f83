import type { StaffFigures } from '../api/types';
import { useI18n } from '../i18n';
import { staffTotals } from '../lib/analytics';
import { formatHours, formatMoney, formatNumber, formatPercent } from '../lib/format';
import StaffDot from './StaffDot';

interface Props {
  rows: StaffFigures[];
  /** Colours by staff id (absent: neutral). */
  colours: ReadonlyMap<number, string>;
}

/** Bookings, revenue and utilisation (booked / working hours) per staff member, with a totals row. */
export default function StaffFiguresTable({ rows, colours }: Props) {
  const { t, lang } = useI18n();
  if (rows.length === 0) return <p className="muted">{t('analytics.noStaffFigures')}</p>;
  const total = staffTotals(rows);
  const num = (n: number) => formatNumber(n, lang);
  const hours = (r: { booked_hours: number; working_hours: number | null }) =>
    `${formatHours(r.booked_hours, lang)} / ${formatHours(r.working_hours, lang)}`;
  return (
    <div className="table-wrap">
      <table className="table staff-figures">
        <thead>
          <tr>
            <th scope="col">{t('analytics.staff')}</th>
            <th scope="col" className="num">
              {t('analytics.bookings')}
            </th>
            <th scope="col" className="num">
              {t('analytics.serviceCompleted')}
            </th>
            <th scope="col" className="num">
              {t('analytics.serviceRevenue')}
            </th>
            <th scope="col" className="num">
              {t('analytics.staffHours')}
            </th>
            <th scope="col" className="num">
              {t('analytics.staffUtilisation')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.staff_id} data-staff-id={r.staff_id}>
              <th scope="row">
                <span className="staff-name">
                  <StaffDot color={colours.get(r.staff_id) ?? ''} />
                  {r.name}
                </span>
                <span className="cell-bar" aria-hidden="true">
                  <span style={{ width: `${Math.min(100, Math.max(0, (r.utilisation ?? 0) * 100))}%` }} />
                </span>
              </th>
              <td className="num">{num(r.bookings)}</td>
              <td className="num">{num(r.completed)}</td>
              <td className="num">{formatMoney(r.revenue, lang)}</td>
              <td className="num">{hours(r)}</td>
              <td className="num">{formatPercent(r.utilisation, lang)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('analytics.totalRow')}</th>
            <td className="num">{num(total.bookings)}</td>
            <td className="num">{num(total.completed)}</td>
            <td className="num">{formatMoney(total.revenue, lang)}</td>
            <td className="num">{hours(total)}</td>
            <td className="num">{formatPercent(total.utilisation, lang)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
