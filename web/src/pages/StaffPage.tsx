import { useState } from 'react';
import { ApiError, services as servicesApi, staff as staffApi } from '../api';
import type { Service, StaffMember } from '../api/types';
import HoursEditor from '../components/HoursEditor';
import Modal from '../components/Modal';
import StaffDot from '../components/StaffDot';
import StaffExceptions from '../components/StaffExceptions';
import StaffForm from '../components/StaffForm';
import TableStatusRow from '../components/TableStatusRow';
import { useI18n } from '../i18n';
import { useApp } from '../lib/context';
import { formatPrice } from '../lib/format';
import { useLiveRefresh } from '../lib/live';
import { confirmDialog, describeError, runAction, showError, toastSuccess } from '../lib/notify';
import { freeColour } from '../lib/staff';
import { todayInZone } from '../lib/time';
import { useLoad } from '../lib/useLoad';

type Open = { what: 'none' } | { what: 'form'; member?: StaffMember } | { what: 'schedule'; member: StaffMember };

const NO_SERVICES: Service[] = [];

/** «Майстри»: the staff list, add/edit/hide/delete, and each one's weekly hours and exceptions. */
export default function StaffPage() {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const [open, setOpen] = useState<Open>({ what: 'none' });
  const { data: items, loading, reload } = useLoad(() => staffApi.list(), []);
  const { data: loadedServices, reload: reloadServices } = useLoad(() => servicesApi.list(), []);
  const services = loadedServices ?? NO_SERVICES;
  useLiveRefresh(['staff'], reload);
  useLiveRefresh(['service'], reloadServices);

  const serviceName = (id: number) => services.find((s) => s.id === id)?.service_name ?? `#${id}`;

  const setHidden = async (m: StaffMember, hidden: boolean) => {
    if (await runAction(() => staffApi.update(m.id, { name: m.name, hidden }), t(hidden ? 'staff.hiddenToast' : 'staff.shownToast'))) reload();
  };

  const remove = async (m: StaffMember) => {
    const ok = await confirmDialog({
      title: t('staff.deleteTitle', { name: m.name }),
      text: t('staff.deleteText'),
      confirmText: t('common.delete'),
      danger: true,
    });
    if (!ok) return;
    try {
      await staffApi.remove(m.id);
      toastSuccess(t('staff.deleted'));
      reload();
    } catch (err) {
      // Upcoming bookings: the server refuses (409 in_use); offer to hide them instead.
      if (err instanceof ApiError && err.status === 409 && !m.hidden) {
        const hide = await confirmDialog({
          title: t('staff.inUseTitle'),
          text: `${describeError(err)}\n\n${t('staff.deleteText')}`,
          confirmText: t('staff.hideInstead'),
        });
        if (hide) await setHidden(m, true);
        return;
      }
      await showError(err);
    }
  };

  const termsOf = (m: StaffMember) =>
    m.service_ids.length === 0
      ? t('staff.noServices')
      : m.service_ids
          .map((id) => {
            const own = m.services.find((x) => x.service_id === id);
            const terms = [
              own?.duration_minutes != null ? `${own.duration_minutes} ${t('common.minutes')}` : null,
              own?.price != null ? formatPrice(own.price, lang) : null,
            ].filter(Boolean);
            return terms.length ? t('staff.ownTerms', { name: serviceName(id), terms: terms.join(', ') }) : serviceName(id);
          })
          .join('; ');

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('staff.title')}</h1>
        <button type="button" className="btn btn-primary" onClick={() => setOpen({ what: 'form' })}>
          + {t('staff.add')}
        </button>
      </div>
      <p className="muted page-intro">{t('staff.intro')}</p>
      <div className="card">
        <div className="table-wrap" aria-busy={loading}>
          <table className="table table-cards staff-table">
            <thead>
              <tr>
                <th scope="col">{t('staff.name')}</th>
                <th scope="col">{t('staff.services')}</th>
                <th scope="col">{t('staff.visibility')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items?.map((m) => (
                <tr key={m.id} className={m.hidden ? 'row-faded' : undefined} data-staff-id={m.id}>
                  <td data-label={t('staff.name')}>
                    <strong className="staff-name">
                      <StaffDot color={m.color} />
                      {m.name}
                    </strong>
                    {m.description && <div className="muted small">{m.description}</div>}
                  </td>
                  <td data-label={t('staff.services')}>{termsOf(m)}</td>
                  <td data-label={t('staff.visibility')}>
                    <span className={`badge ${m.hidden ? 'badge-cancelled' : 'badge-confirmed'}`}>
                      {m.hidden ? t('staff.hiddenMark') : t('staff.visible')}
                    </span>
                  </td>
                  <td className="cell-actions">
                    <div className="row-actions">
                      <button type="button" className="btn btn-sm" onClick={() => setOpen({ what: 'form', member: m })}>
                        {t('common.edit')}
                      </button>
                      <button type="button" className="btn btn-sm btn-schedule" onClick={() => setOpen({ what: 'schedule', member: m })}>
                        {t('staff.schedule')}
                      </button>
                      <button type="button" className="btn btn-sm" onClick={() => void setHidden(m, !m.hidden)}>
                        {m.hidden ? t('staff.unhide') : t('staff.hide')}
                      </button>
                      <button type="button" className="btn btn-sm btn-danger" onClick={() => void remove(m)}>
                        {t('common.delete')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
              <TableStatusRow columns={4} items={items} loading={loading} />
            </tbody>
          </table>
        </div>
      </div>
      {open.what === 'form' && (
        <StaffForm
          key={open.member?.id ?? 'new'}
          member={open.member}
          services={services}
          defaultColour={freeColour(items ?? [])}
          onClose={() => setOpen({ what: 'none' })}
          onSaved={() => {
            setOpen({ what: 'none' });
            reload();
          }}
        />
      )}
      {open.what === 'schedule' && (
        <Modal title={t('staff.scheduleOf', { name: open.member.name })} onClose={() => setOpen({ what: 'none' })} wide>
          <div className="schedule">
            <HoursEditor member={open.member} />
            <StaffExceptions member={open.member} today={todayInZone(timeZone)} />
          </div>
        </Modal>
      )}
    </section>
  );
}
