import { useEffect, useState } from 'react';
import { appointments as appointmentsApi, notifications as notificationsApi, services as servicesApi, staff as staffApi } from '../api';
import { NOTICE_STATUSES, type Appointment, type Notice, type Service, type StaffMember } from '../api/types';
import AppointmentForm from '../components/AppointmentForm';
import Pager from '../components/Pager';
import TableStatusRow from '../components/TableStatusRow';
import { useI18n } from '../i18n';
import { openAppointmentDialog } from '../lib/appointmentActions';
import { useApp } from '../lib/context';
import { useLiveRefresh } from '../lib/live';
import {
  canRetry,
  DEFAULT_NOTICE_TAB,
  NOTICE_TABS,
  noticeKindKey,
  noticeRecipientLabel,
  noticeStatusKey,
  noticeTabKey,
  tabCount,
  appointmentIdsOf,
  newestFirst,
  noticeReasonKey,
  type NoticeTab,
} from '../lib/notifications';
import { confirmDialog, runAction, showError } from '../lib/notify';
import { formatApiTime } from '../lib/time';
import { useLoad, useStepBackFromEmptyPage } from '../lib/useLoad';

const LIMIT = 25;
const COLUMNS = 9;

type Editing = { appointment: Appointment; services: Service[]; staff: StaffMember[] } | null;

export default function NotificationsPage() {
  const { t, lang } = useI18n();
  const { timeZone, settings } = useApp();
  const [tab, setTab] = useState<NoticeTab>(DEFAULT_NOTICE_TAB);
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<Editing>(null);
  const { data, loading, failed, reload } = useLoad(
    async () => {
      const [page, counts] = await Promise.all([
        notificationsApi.list({ status: tab, limit: LIMIT, offset }),
        notificationsApi.counts(NOTICE_STATUSES),
      ]);
      return { page, counts };
    },
    [tab, offset],
  );
  // A failed first load shows an empty list (and the error), not "Loading…" for ever.
  const items = data ? newestFirst(data.page.items) : failed ? [] : null;
  // The bookings the notices are about (client and time instead of a bare number), fetched once each.
  const [bookings, setBookings] = useState<ReadonlyMap<number, Appointment>>(new Map());
  const wanted = items ? appointmentIdsOf(items).filter((id) => !bookings.has(id)) : [];
  const wantedKey = wanted.join(',');
  useEffect(() => {
    if (!wantedKey) return;
    let cancelled = false;
    void Promise.all(
      wantedKey.split(',').map((id) =>
        appointmentsApi.get(Number(id)).then(
          (a) => a,
          () => null, // gone: the number stays
        ),
      ),
    ).then((found) => {
      if (cancelled) return;
      setBookings((old) => {
        const next = new Map(old);
        for (const a of found) if (a) next.set(a.id, a);
        return next;
      });
    });
    return () => {
      cancelled = true;
    };
  }, [wantedKey]);
  const total = data?.page.total ?? 0;
  const counts = data?.counts ?? null;
  // The last page emptied (e.g. a retried notice left "failed"): step back.
  useStepBackFromEmptyPage(data?.page ?? null, offset, LIMIT, setOffset);

  // A notice was sent, failed or skipped; appointment changes queue new ones. Bursts (a batch of
  // reminders falling due) are coalesced into one refresh a second.
  useLiveRefresh(['notice', 'appointment'], reload, 1000);

  const choose = (next: NoticeTab) => {
    setTab(next);
    setOffset(0);
  };

  const retry = async (n: Notice) => {
    const ok = await confirmDialog({
      title: t('notices.retryTitle'),
      text: t('notices.retryText', { kind: t(noticeKindKey(n.kind)), recipient: recipientText(n.recipient) }),
      confirmText: t('notices.retry'),
    });
    if (!ok) return;
    if (await runAction(() => notificationsApi.retry(n.id), t('notices.retried'))) reload();
  };

  const openAppointment = async (id: number) => {
    try {
      const a = await appointmentsApi.get(id);
      openAppointmentDialog(a, {
        lang,
        timeZone,
        onEdit: (x) => {
          Promise.all([servicesApi.list(), staffApi.list()])
            .then(([services, staff]) => setEditing({ appointment: x, services, staff }))
            .catch((err: unknown) => void showError(err));
        },
        onChanged: reload,
      });
    } catch (err) {
      await showError(err);
    }
  };

  const recipientText = (r: string, appointmentId?: number | null) => {
    const { key, params } = noticeRecipientLabel(r);
    const booking = appointmentId != null ? bookings.get(appointmentId) : undefined;
    if (key === 'notices.recipient.client' && booking?.title) return t('notices.recipient.clientNamed', { name: booking.title });
    return t(key, params);
  };
  const bookingText = (id: number) => {
    const b = bookings.get(id);
    return b ? t('notices.appointmentOf', { client: b.title || t('common.none'), when: formatApiTime(b.start, lang, timeZone) }) : t('notices.appointmentLink', { id });
  };

  const allEmpty = counts !== null && tabCount('', counts) === 0;
  const time = (s: string | null) => (s ? formatApiTime(s, lang, timeZone) : t('common.none'));

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('notices.title')}</h1>
        <button type="button" className="btn" onClick={reload} disabled={loading}>
          {t('common.refresh')}
        </button>
      </div>
      {settings && !settings.telegram.configured && (
        <p className="notice">
          {t('notices.noTelegram')} <a href="#/settings">{t('notices.connectBot')}</a>
        </p>
      )}
      <div className="card">
        <div className="tabs" role="group" aria-label={t('notices.tabs')}>
          {NOTICE_TABS.map((s) => {
            const count = tabCount(s, counts);
            return (
              <button
                key={s || 'all'}
                type="button"
                className={`tab${s === tab ? ' active' : ''}${s === 'failed' && count ? ' tab-alert' : ''}`}
                aria-pressed={s === tab}
                data-status={s || 'all'}
                onClick={() => choose(s)}
              >
                {t(noticeTabKey(s))}
                {count !== null && <span className="tab-count">{count}</span>}
              </button>
            );
          })}
        </div>

        {items !== null && items.length === 0 && !loading ? (
          <div className="empty-state" role="status">
            <h2>{allEmpty || tab === '' ? t('notices.emptyAll') : t('notices.emptyStatus', { status: t(noticeTabKey(tab)) })}</h2>
            <p>{t('notices.intro')}</p>
          </div>
        ) : (
          <div className="table-wrap" aria-busy={loading}>
            <table className="table table-cards notices-table">
              <thead>
                <tr>
                  <th scope="col">{t('notices.created')}</th>
                  <th scope="col">{t('notices.kind')}</th>
                  <th scope="col">{t('notices.recipient')}</th>
                  <th scope="col">{t('notices.appointment')}</th>
                  <th scope="col">{t('notices.status')}</th>
                  <th scope="col">{t('notices.attempts')}</th>
                  <th scope="col">{t('notices.error')}</th>
                  <th scope="col">{t('notices.finished')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {items?.map((n) => (
                  <tr key={n.id} data-id={n.id} data-status={n.status}>
                    <td className="nowrap" data-label={t('notices.created')}>
                      {time(n.created_at)}
                    </td>
                    <td data-label={t('notices.kind')}>
                      {t(noticeKindKey(n.kind))}
                      {n.event && (
                        <>
                          {' '}
                          <code className="notice-event" title={t('notices.event')}>
                            {n.event}
                          </code>
                        </>
                      )}
                    </td>
                    <td data-label={t('notices.recipient')}>{recipientText(n.recipient, n.appointment_id)}</td>
                    <td data-label={t('notices.appointment')}>
                      {n.appointment_id !== null ? (
                        <button
                          type="button"
                          className="link"
                          title={t('notices.openAppointment', { id: n.appointment_id })}
                          onClick={() => void openAppointment(n.appointment_id as number)}
                        >
                          {bookingText(n.appointment_id)}
                        </button>
                      ) : (
                        t('common.none')
                      )}
                    </td>
                    <td data-label={t('notices.status')}>
                      <span className={`badge badge-notice-${n.status}`}>{t(noticeStatusKey(n.status))}</span>
                    </td>
                    <td data-label={t('notices.attempts')}>{n.attempts}</td>
                    <td className="notice-error" data-label={t('notices.error')}>
                      {n.last_error ? <NoticeReason reason={n.last_error} /> : t('common.none')}
                    </td>
                    <td className="nowrap" data-label={t('notices.finished')}>
                      {time(n.finished_at)}
                    </td>
                    <td className="cell-actions">
                      {canRetry(n) && (
                        <div className="row-actions">
                          <button type="button" className="btn btn-sm btn-retry" onClick={() => void retry(n)}>
                            {t('notices.retry')}
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
                <TableStatusRow columns={COLUMNS} items={items} loading={loading} />
              </tbody>
            </table>
          </div>
        )}
        <Pager total={total} limit={LIMIT} offset={offset} onChange={setOffset} />
      </div>

      {editing && (
        <AppointmentForm
          key={`e${editing.appointment.id}`}
          appointment={editing.appointment}
          services={editing.services}
          staff={editing.staff}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
    </section>
  );
}

/** A known reason in the owner's words (the server's own words on hover); an unknown one as it is. */
function NoticeReason({ reason }: { reason: string }) {
  const { t } = useI18n();
  const key = noticeReasonKey(reason);
  if (!key) return <>{reason}</>;
  return <span title={t('notices.serverReason', { reason })}>{t(key)}</span>;
}
