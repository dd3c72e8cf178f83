// --- comeback ---
// The stars clients gave their visits (asked by the bot after a completed visit), per staff member
// and per service, for the analytics page's period.
import { analytics as analyticsApi } from '../api';
import type { RatingFigures } from '../api/types';
import { useI18n } from '../i18n';
import { formatNumber } from '../lib/format';
import type { Lang } from '../lib/time';
import { useLoad } from '../lib/useLoad';

interface Props {
  period: { from?: string; to?: string };
  /** Changes when the page reloads its figures. */
  reloadKey: number;
}

function RatingsTable({ title, rows, lang }: { title: string; rows: RatingFigures[]; lang: Lang }) {
  const { t } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table ratings-table">
        <thead>
          <tr>
            <th scope="col">{title}</th>
            <th scope="col" className="num">
              {t('analytics.ratingsAverage')}
            </th>
            <th scope="col" className="num">
              {t('analytics.ratingsCount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td className="num">★ {formatNumber(r.average, lang, 2)}</td>
              <td className="num">{formatNumber(r.count, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function RatingsSection({ period, reloadKey }: Props) {
  const { t, lang } = useI18n();
  const { data } = useLoad(() => analyticsApi.ratings(period), [period.from, period.to, reloadKey]);
  if (!data) return null;
  return (
    <section className="card chart-card chart-wide" data-section="ratings" aria-labelledby="an-ratings">
      <h2 className="card-title" id="an-ratings">
        {t('analytics.ratingsTitle')}
      </h2>
      {data.count === 0 || data.average === null ? (
        <p className="muted">{t('analytics.ratingsNone')}</p>
      ) : (
        <>
          <p>
            {t('analytics.ratingsSummary', { average: formatNumber(data.average, lang, 2), count: formatNumber(data.count, lang) })}
          </p>
          <RatingsTable title={t('analytics.ratingsByStaff')} rows={data.by_staff} lang={lang} />
          <RatingsTable title={t('analytics.ratingsByService')} rows={data.by_service} lang={lang} />
        </>
      )}
    </section>
  );
}
