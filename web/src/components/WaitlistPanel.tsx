import { waitlist } from '../api';
import { useI18n } from '../i18n';
import { useApp } from '../lib/context';
import { useLiveRefresh } from '../lib/live';
import { DAY_HEADING, addDays, formatApiTime } from '../lib/time';
import { useLoad } from '../lib/useLoad';
import { waitWhat, waitingCount, waitingDays } from '../lib/waitlist';

interface Props {
  reloadKey: number;
  today: string;
}

/** How far ahead the home page looks for waits. */
const DAYS_AHEAD = 30;

/**
 * Who waits for a free time, per day, in the order they asked (the bot offers a freed time in that
 * order). Waits that turned into bookings are left out; the analytics page counts them.
 */
export default function WaitlistPanel({ reloadKey, today }: Props) {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const { data, reload } = useLoad(() => waitlist.list({ from: today, to: addDays(today, DAYS_AHEAD) }), [today, reloadKey], {
    quiet: true,
  });
  useLiveRefresh(['wait', 'appointment'], reload);
  const days = waitingDays(data?.days ?? []);

  return (
    <section className="card waitlist-panel" aria-labelledby="waitlist-title" aria-busy={data === null}>
      <h2 id="waitlist-title" className="today-title">
        {t('waitlist.title')}
        <span className="today-count">{waitingCount(data?.days ?? [])}</span>
      </h2>
      {data !== null && days.length === 0 && <p className="muted">{t('waitlist.empty')}</p>}
      <ul className="today-list waitlist-days">
        {days.map((d) => (
          <li key={d.date} data-date={d.date}>
            <strong>{formatApiTime(d.date, lang, timeZone, DAY_HEADING)}</strong>
            <ol className="waitlist-waits">
              {d.waits.map((w) => (
                <li key={w.id} data-id={w.id}>
                  {w.user_name ?? t('common.none')}
                  <span className="muted small">
                    {' '}
                    · {waitWhat(w)}
                    {w.around ? ` · ${t('waitlist.around')}` : ''}
                  </span>
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>
    </section>
  );
}
