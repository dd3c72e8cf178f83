import { useEffect, useState, type FormEvent } from 'react';
import { appointments, slots as slotsApi } from '../api';
import type { Appointment, AppointmentInput, AppointmentUpdate, Service, Slot } from '../api/types';
import { useI18n } from '../i18n';
import { useApp } from '../lib/context';
import { slotOptionGroups } from '../lib/slots';
import { capitalizeFirst, DAY_HEADING, formatApiTime, todayInZone } from '../lib/time';
import { useLoad } from '../lib/useLoad';
import { useSubmit } from '../lib/useSubmit';
import type { Problem, Validated } from '../lib/validation';
import ClientPicker from './ClientPicker';
import Modal from './Modal';
import Problems from './Problems';

interface Props {
  /** The appointment to edit; absent: a new one. */
  appointment?: Appointment;
  services: Service[];
  onClose: () => void;
  onSaved: () => void;
}

/** "Add appointment" (client → service → one of that service's free times) and "edit". */
export default function AppointmentForm({ appointment, services, onClose, onSaved }: Props) {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const editing = appointment !== undefined;
  const [userId, setUserId] = useState<number | null>(appointment?.user_id ?? null);
  const [serviceId, setServiceId] = useState<number | null>(appointment?.service_id ?? null);
  const [dateId, setDateId] = useState<number | null>(null);
  const [notes, setNotes] = useState(appointment?.notes ?? '');
  const { busy, problems, submit: send } = useSubmit();

  // The chosen service's free times (none to load before a service is chosen).
  const { data: loadedSlots, loading: slotsLoading, failed: slotsFailed, reload: reloadSlots } = useLoad(
    async (): Promise<Slot[]> =>
      serviceId === null
        ? []
        : (await slotsApi.list({ service_id: serviceId, from: todayInZone(timeZone), order: 'asc', limit: 500 })).items,
    [serviceId, timeZone],
  );
  // (after a failure, none: the last good answer may be another service's)
  const freeSlots = slotsLoading ? null : slotsFailed ? [] : (loadedSlots ?? []);
  useEffect(() => setDateId(null), [serviceId]);

  /** The request body, or what is missing. */
  const validate = (): Validated<{ create: AppointmentInput } | { update: AppointmentUpdate }> => {
    const found: Problem[] = [];
    if (!editing && userId === null) found.push({ key: 'apptForm.needClient' });
    if (serviceId === null) found.push({ key: 'apptForm.needService' });
    if (!editing && dateId === null) found.push({ key: 'apptForm.needSlot' });
    if (found.length > 0 || serviceId === null) return { ok: false, problems: found };
    if (!editing) {
      if (userId === null || dateId === null) return { ok: false, problems: found };
      return {
        ok: true,
        value: { create: { user_id: userId, service_id: serviceId, date_id: dateId, ...(notes.trim() ? { notes: notes.trim() } : {}) } },
      };
    }
    const body: AppointmentUpdate = { notes: notes.trim() };
    if (serviceId !== appointment.service_id) body.service_id = serviceId;
    if (dateId !== null) body.date_id = dateId;
    return { ok: true, value: { update: body } };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = validate();
    const r = await send(
      v,
      (value) => ('create' in value ? appointments.create(value.create) : appointments.update(appointment!.id, value.update)),
      t(editing ? 'apptForm.saved' : 'apptForm.created'),
    );
    if (r) onSaved();
    else if (v.ok) reloadSlots(); // the time may have been taken meanwhile: fresh choices
  };

  const groups = freeSlots ? slotOptionGroups(freeSlots) : [];

  return (
    <Modal title={editing ? t('apptForm.editTitle', { id: appointment.id }) : t('apptForm.addTitle')} onClose={onClose}>
      <form onSubmit={submit} className="form" noValidate>
        {editing ? (
          <p className="muted">
            {appointment.title} · {appointment.phone}
          </p>
        ) : (
          <ClientPicker value={userId} onChange={setUserId} />
        )}
        <label className="field">
          <span>{t('apptForm.service')}</span>
          <select value={serviceId ?? ''} onChange={(e) => setServiceId(e.target.value ? Number(e.target.value) : null)} required>
            <option value="">{t('apptForm.pickService')}</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.hidden ? t('apptForm.hiddenService', { name: s.service_name }) : s.service_name} · {s.duration_minutes}{' '}
                {t('common.minutes')}
              </option>
            ))}
          </select>
        </label>
        {serviceId !== null && (
          <label className="field">
            <span>{t('apptForm.slot')}</span>
            {freeSlots === null ? (
              <span className="muted" role="status">
                {t('apptForm.loadingSlots')}
              </span>
            ) : (
              <select value={dateId ?? ''} onChange={(e) => setDateId(e.target.value ? Number(e.target.value) : null)}>
                <option value="">
                  {editing
                    ? t('apptForm.keepTime', { time: formatApiTime(appointment.start, lang, timeZone) })
                    : t('apptForm.pickSlot')}
                </option>
                {groups.map((g) => (
                  <optgroup key={g.date} label={capitalizeFirst(formatApiTime(g.date, lang, timeZone, DAY_HEADING))}>
                    {g.options.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.label}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            )}
            {freeSlots !== null && freeSlots.length === 0 && <span className="hint">{t('apptForm.noSlots')}</span>}
          </label>
        )}
        <label className="field">
          <span>{t('apptForm.notes')}</span>
          <textarea rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </label>
        <Problems problems={problems} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.saving') : editing ? t('common.save') : t('apptForm.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
