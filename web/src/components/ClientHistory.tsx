import { clients as clientsApi } from '../api';
import type { Client } from '../api/types';
import { useI18n } from '../i18n';
import { statusOf } from '../lib/appointments';
import { clientSummary } from '../lib/clientSummary';
import { formatNumber, formatPrice } from '../lib/format';
import { useApp } from '../lib/context';
import { useLoad } from '../lib/useLoad';
import { DATE_ONLY, formatApiTime, formatRange } from '../lib/time';
import Modal from './Modal';
import StatusBadge from './StatusBadge';
import ClientNotes from './ClientNotes';
import SupportThread from './SupportThread';

interface Props {
  client: Client;
  onClose: () => void;
  /** "Book again": a new booking for this client, with the service of their latest booking. */
  onBookAgain?: (client: Client, serviceId: number | null) => void;
}

/** A client's bookings (GET /api/users/{id}/appointments). */
export default function ClientHistory({ client, onClose, onBookAgain }: Props) {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const { data: page, failed } = useLoad(() => clientsApi.appointments(client.id), [client.id]);
  const items = page?.items ?? (failed ? [] : null);
  const summary = items ? clientSummary(items) : null;

  return (
    <Modal title={t('clients.historyTitle', { name: client.name })} onClose={onClose} wide>
      <p className="muted">
        {client.phone}
        {client.telegram_id ? ` · ${t('clients.telegramIdIs', { id: client.telegram_id })}` : ''}
      </p>
      {summary && (
        <dl className="client-stats">
          <div>
            <dt>{t('clients.stats.visits')}</dt>
            <dd data-stat="visits">{formatNumber(summary.visits, lang)}</dd>
          </div>
          <div>
            <dt>{t('clients.stats.lastVisit')}</dt>
            <dd data-stat="last">{summary.lastVisit ? formatApiTime(summary.lastVisit, lang, timeZone, DATE_ONLY) : t('common.none')}</dd>
          </div>
          <div>
            <dt>{t('clients.stats.spent')}</dt>
            <dd data-stat="spent">{formatPrice(summary.spent, lang)}</dd>
          </div>
          <div>
            <dt>{t('clients.stats.noShows')}</dt>
            <dd data-stat="no-shows">{formatNumber(summary.noShows, lang)}</dd>
          </div>
          <div>
            <dt>{t('clients.stats.upcoming')}</dt>
            <dd data-stat="upcoming">{formatNumber(summary.upcoming, lang)}</dd>
          </div>
        </dl>
      )}
      {items === null && <p role="status">{t('common.loading')}</p>}
      {items !== null && items.length === 0 && <p className="empty">{t('clients.historyEmpty')}</p>}
      {items !== null && items.length > 0 && (
        <div className="table-wrap">
          <table className="table table-cards">
            <thead>
              <tr>
                <th scope="col">{t('appt.when')}</th>
                <th scope="col">{t('appt.service')}</th>
                <th scope="col">{t('appt.status')}</th>
                <th scope="col">{t('appt.notes')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td className="nowrap" data-label={t('appt.when')}>{formatRange(a.start, a.end, lang, timeZone)}</td>
                  <td data-label={t('appt.service')}>{a.service}</td>
                  <td data-label={t('appt.status')}>
                    <StatusBadge status={statusOf(a)} />
                    {a.cancel_reason && <div className="muted small">{a.cancel_reason}</div>}
                  </td>
                  <td data-label={t('appt.notes')}>{a.notes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ClientNotes client={client} />
      {/* --- support --- */}
      <SupportThread client={client} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t('common.close')}
        </button>
        {onBookAgain && (
          <button
            type="button"
            className="btn btn-primary btn-book-again"
            // the newest booking's service (the list is newest first)
            onClick={() => onBookAgain(client, items?.[0]?.service_id ?? null)}
          >
            {t('clients.bookAgain')}
          </button>
        )}
      </div>
    </Modal>
  );
}
