import { useEffect, useState } from 'react';
import { appointments } from '../api';
import type { Appointment } from '../api/types';
import { useI18n } from '../i18n';
import { performStatusAction } from '../lib/appointmentActions';
import { statusOf } from '../lib/appointments';
import { useApp } from '../lib/context';
import { DAY_HEADING, formatApiTime } from '../lib/time';
import { awaitingConfirmation, newBotBookings, readLastLook, todaysVisits, writeLastLook } from '../lib/today';
import { useLoad } from '../lib/useLoad';
import StatusBadge from './StatusBadge';

interface Props {
  reloadKey: number;
  today: string;
  onOpen: (a: Appointment) => void;
  onChanged: () => void;
}

const SHOWN = 6;
const WHEN: Intl.DateTimeFormatOptions = { weekday: 'short', day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/**
 * The owner's first questions, above the calendar: who comes today, what still waits for a
 * confirmation, and which bookings clients made in the bot since the last look (remembered in this
 * browser; the count stays while the page is open, the next visit counts from this one).
 */
export default function TodayPanel({ reloadKey, today, onOpen, onChanged }: Props) {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  // The previous look is what counts as "new since"; this visit becomes the next one's.
  const [since, setSince] = useState(readLastLook);
  useEffect(() => writeLastLook(), []);
  const { data } = useLoad(() => appointments.listAll({ from: today, status: 'active', order: 'asc' }), [today, reloadKey], { quiet: true });
  const items = data ?? [];
  const visits = todaysVisits(items, today);
  const waiting = awaitingConfirmation(items);
  const fresh = newBotBookings(items, since);

  const confirm = async (a: Appointment) => {
    if (await performStatusAction(a, 'confirm')) onChanged();
  };

  const who = (a: Appointment) => (
    <button type="button" className="link" onClick={() => onOpen(a)}>
      {a.title || t('common.none')}
    </button>
  );

  return (
    <div className="today-panel" aria-busy={data === null}>
      <section className="card today-card today-visits" aria-labelledby="today-visits-title">
        <h2 id="today-visits-title" className="today-title">
          {t('today.visits', { date: formatApiTime(today, lang, timeZone, DAY_HEADING) })}
          <span className="today-count">{visits.length}</span>
        </h2>
        {data !== null && visits.length === 0 && <p className="muted">{t('today.noVisits')}</p>}
        <ul className="today-list">
          {visits.slice(0, SHOWN * 2).map((a) => (
            <li key={a.id} data-id={a.id}>
              <span className="today-time">{a.start.slice(11, 16)}</span> {who(a)}
              <span className="muted small"> · {a.service}</span> <StatusBadge status={statusOf(a)} />
            </li>
          ))}
        </ul>
        {visits.length > SHOWN * 2 && <p className="muted small">{t('today.more', { n: visits.length - SHOWN * 2 })}</p>}
      </section>

      <section className="card today-card today-waiting" aria-labelledby="today-waiting-title">
        <h2 id="today-waiting-title" className="today-title">
          {t('today.waiting')}
          <span className={`today-count${waiting.length ? ' today-count-alert' : ''}`}>{waiting.length}</span>
        </h2>
        {data !== null && waiting.length === 0 && <p className="muted">{t('today.noneWaiting')}</p>}
        <ul className="today-list">
          {waiting.slice(0, SHOWN).map((a) => (
            <li key={a.id} data-id={a.id}>
              <span className="today-time">{formatApiTime(a.start, lang, timeZone, WHEN)}</span> {who(a)}
              <button type="button" className="btn btn-sm btn-action-confirm" onClick={() => void confirm(a)}>
                {t('appt.confirm')}
              </button>
            </li>
          ))}
        </ul>
        {waiting.length > SHOWN && <p className="muted small">{t('today.more', { n: waiting.length - SHOWN })}</p>}
      </section>

      {fresh.length > 0 && (
        <section className="card today-card today-new" aria-labelledby="today-new-title">
          <h2 id="today-new-title" className="today-title">
            {t('today.newFromBot')}
            <span className="badge-new" aria-label={t('today.newCount', { n: fresh.length })}>
              {fresh.length}
            </span>
          </h2>
          <ul className="today-list">
            {fresh.slice(0, SHOWN).map((a) => (
              <li key={a.id} data-id={a.id}>
                <span className="today-time">{formatApiTime(a.start, lang, timeZone, WHEN)}</span> {who(a)}
                <span className="muted small"> · {a.service}</span>
              </li>
            ))}
          </ul>
          {fresh.length > SHOWN && <p className="muted small">{t('today.more', { n: fresh.length - SHOWN })}</p>}
          <button
            type="button"
            className="btn btn-sm btn-seen"
            onClick={() => {
              const now = new Date();
              writeLastLook(now);
              setSince(now.toISOString());
            }}
          >
            {t('today.seen')}
          </button>
        </section>
      )}
    </div>
  );
}
