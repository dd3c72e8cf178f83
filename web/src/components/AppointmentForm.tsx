import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { appointments, slots as slotsApi } from '../api';
import type { Appointment, AppointmentInput, Client, AppointmentUpdate, Service, Slot, StaffMember } from '../api/types';
import { useI18n } from '../i18n';
import { useApp } from '../lib/context';
import { appointmentChangeBody, calendarChoice, groupsOnDay, newAppointmentBody, slotOptionGroups, type TimeChoice } from '../lib/slots';
import { performersOf } from '../lib/staff';
import { capitalizeFirst, DAY_HEADING, formatApiTime, todayInZone } from '../lib/time';
import type { BookAt } from './AppointmentCalendar';
import { priceInput } from '../lib/format';
import { useLoad } from '../lib/useLoad';
import { useSubmit } from '../lib/useSubmit';
import { parsePrice, type Problem, type Validated } from '../lib/validation';
import ClientPicker from './ClientPicker';
import Modal from './Modal';
import Problems from './Problems';
import DateInput from './DateInput';

interface Props {
  /** The appointment to edit; absent: a new one. */
  appointment?: Appointment;
  /** A new one from a click in the calendar: that date and time (and staff member) filled in. */
  at?: BookAt;
  /** A new one for this client ("book again" from their card), and with this service. */
  client?: Client;
  serviceId?: number;
  services: Service[];
  /** Every staff member (hidden ones too). */
  staff: StaffMember[];
  onClose: () => void;
  onSaved: () => void;
}

/**
 * "Add appointment" (client → service → staff member or «Будь-хто» → one of the free times) and
 * "edit". The staff choice shows only when more than one staff member performs the service; "any"
 * lets the server pick who is free. The times come from `GET /api/available_dates?service_id=&staff_id=`.
 */
const SHORT_DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: '2-digit', month: '2-digit' };

export default function AppointmentForm({ appointment, at, client, serviceId: presetService, services, staff, onClose, onSaved }: Props) {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const editing = appointment !== undefined;
  const [userId, setUserId] = useState<number | null>(appointment?.user_id ?? client?.id ?? null);
  const [serviceId, setServiceId] = useState<number | null>(appointment?.service_id ?? presetService ?? null);
  // New: null = any staff member. Editing: null = keep the current one.
  const [staffId, setStaffId] = useState<number | null>(at?.staffId ?? null);
  const [choice, setChoice] = useState<string>('');
  // The day whose times are listed ("" every day): the clicked day, else all.
  const [day, setDay] = useState<string>(at ? at.start.slice(0, 10) : '');
  const [notes, setNotes] = useState(appointment?.notes ?? '');
  // Editing: this visit's price as typed, in the panel's number format.
  const [price, setPrice] = useState(appointment?.price != null ? priceInput(appointment.price, lang) : '');
  const { busy, problems, submit: send } = useSubmit();

  const performers = useMemo(() => (serviceId === null ? [] : performersOf(staff, serviceId)), [staff, serviceId]);
  const chooseStaff = performers.length > 1 || (editing && performers.length > 0 && !performers.some((p) => p.id === appointment.staff_id));
  // Whose times to offer: the chosen one; when editing, the current one; the only one who performs
  // the service; otherwise everyone's ("any": the server picks who).
  const timesOf = staffId ?? (editing ? appointment.staff_id : performers.length === 1 ? performers[0]!.id : null);
  const anyStaff = timesOf === null;

  // The chosen service's free times (none to load before a service is chosen).
  const { data: loadedSlots, loading: slotsLoading, failed: slotsFailed, reload: reloadSlots } = useLoad(
    async (): Promise<Slot[]> =>
      serviceId === null
        ? []
        : (
            await slotsApi.list({
              service_id: serviceId,
              ...(timesOf !== null ? { staff_id: timesOf } : {}),
              // One day's times when a day is chosen (the clicked one), else the next 500 from today.
              ...(day ? { from: day, to: day } : { from: todayInZone(timeZone) }),
              order: 'asc',
              limit: 500,
            })
          ).items,
    [serviceId, timesOf, timeZone, day],
  );
  // (after a failure, none: the last good answer may be another service's)
  const freeSlots = slotsLoading ? null : slotsFailed ? [] : (loadedSlots ?? []);
  const groups = useMemo(() => (freeSlots ? slotOptionGroups(freeSlots, anyStaff) : []), [freeSlots, anyStaff]);
  // The clicked time, once the service's times are in: that free time, or the clicked start itself.
  const clicked = useMemo(() => (freeSlots ? calendarChoice(groups, at?.start) : null), [freeSlots, groups, at]);
  const clickedValue = clicked?.value ?? '';
  useEffect(() => setChoice(clickedValue), [serviceId, staffId, clickedValue]);
  // A staff member who does not perform the newly chosen service is no choice.
  useEffect(() => {
    if (staffId !== null && serviceId !== null && !performers.some((p) => p.id === staffId)) setStaffId(null);
  }, [performers, serviceId, staffId]);

  const shownGroups = useMemo(() => {
    const list = groupsOnDay(groups, day);
    // The clicked time when no free time starts there: offered first, on its own day.
    if (clicked && !groups.some((g) => g.options.some((o) => o.value === clicked.value))) {
      const date = clicked.start.slice(0, 10);
      const same = list.find((g) => g.date === date);
      if (same) return list.map((g) => (g === same ? { ...g, options: [clicked, ...g.options] } : g));
      return [{ date, options: [clicked] }, ...list];
    }
    return list;
  }, [groups, day, clicked]);
  const chosen: TimeChoice | undefined =
    groups.flatMap((g) => g.options).find((o) => o.value === choice) ?? (clicked?.value === choice ? clicked : undefined);
  const dayLabel = (date: string) => formatApiTime(date, lang, timeZone, SHORT_DAY);

  /** The request body, or what is missing. */
  const validate = (): Validated<{ create: AppointmentInput } | { update: AppointmentUpdate }> => {
    const found: Problem[] = [];
    if (!editing && userId === null) found.push({ key: 'apptForm.needClient' });
    if (serviceId === null) found.push({ key: 'apptForm.needService' });
    if (!editing && !chosen) found.push({ key: 'apptForm.needSlot' });
    if (found.length > 0 || serviceId === null) return { ok: false, problems: found };
    if (!editing) {
      if (userId === null || !chosen) return { ok: false, problems: found };
      return { ok: true, value: { create: newAppointmentBody(userId, { serviceId, choice: chosen, staffId, notes }) } };
    }
    const visitPrice = parsePrice(price);
    if (visitPrice === undefined) return { ok: false, problems: [{ key: 'valid.price' }] };
    return {
      ok: true,
      value: { update: appointmentChangeBody(appointment, { serviceId, choice: chosen, staffId, notes, price: visitPrice }) },
    };
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

  return (
    <Modal title={editing ? t('apptForm.editTitle', { id: appointment.id }) : t('apptForm.addTitle')} onClose={onClose}>
      <form onSubmit={submit} className="form" noValidate>
        {editing ? (
          <p className="muted">
            {appointment.title} · {appointment.phone}
            {staff.length > 1 && appointment.staff ? ` · ${appointment.staff}` : ''}
          </p>
        ) : (
          <ClientPicker value={userId} onChange={setUserId} preset={client} />
        )}
        <label className="field">
          <span>{t('apptForm.service')}</span>
          <select
            name="service_id"
            value={serviceId ?? ''}
            onChange={(e) => setServiceId(e.target.value ? Number(e.target.value) : null)}
            required
          >
            <option value="">{t('apptForm.pickService')}</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.hidden ? t('apptForm.hiddenService', { name: s.service_name }) : s.service_name} · {s.duration_minutes}{' '}
                {t('common.minutes')}
              </option>
            ))}
          </select>
        </label>
        {serviceId !== null && chooseStaff && (
          <label className="field">
            <span>{t('apptForm.staff')}</span>
            <select name="staff_id" value={staffId ?? ''} onChange={(e) => setStaffId(e.target.value ? Number(e.target.value) : null)}>
              <option value="">{editing ? t('apptForm.keepStaff', { name: appointment.staff }) : t('apptForm.anyStaff')}</option>
              {performers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {serviceId !== null && staff.length > 1 && performers.length === 0 && <p className="hint">{t('apptForm.noPerformers')}</p>}
        {serviceId !== null && (
          <label className="field field-day">
            <span>{t('apptForm.day')}</span>
            <span className="inline-field">
              <DateInput name="day" value={day} onChange={(v) => setDay(v)} />
              {day !== '' && (
                <button type="button" className="btn btn-sm btn-ghost" onClick={() => setDay('')}>
                  {t('apptForm.allDays')}
                </button>
              )}
            </span>
          </label>
        )}
        {serviceId !== null && (
          <label className="field">
            <span>{t('apptForm.slot')}</span>
            {freeSlots === null ? (
              <span className="muted" role="status">
                {t('apptForm.loadingSlots')}
              </span>
            ) : (
              <select name="time" value={choice} onChange={(e) => setChoice(e.target.value)}>
                <option value="">
                  {editing
                    ? t('apptForm.keepTime', { time: formatApiTime(appointment.start, lang, timeZone) })
                    : t('apptForm.pickSlot')}
                </option>
                {shownGroups.map((g) => (
                  <optgroup key={g.date} label={capitalizeFirst(formatApiTime(g.date, lang, timeZone, DAY_HEADING))}>
                    {g.options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {/* the date too: a closed select shows the option alone, not its group */}
                        {dayLabel(g.date)} · {o.label}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            )}
            {freeSlots !== null && freeSlots.length === 0 && !clicked && (
              <span className="hint">{t(day ? 'apptForm.noSlotsDay' : 'apptForm.noSlots')}</span>
            )}
          </label>
        )}
        {serviceId !== null && chosen && (
          <p className="chosen-time" role="status">
            {t('apptForm.chosen', {
              when: `${capitalizeFirst(formatApiTime(chosen.start.slice(0, 10), lang, timeZone, DAY_HEADING))}, ${chosen.label}`,
            })}
            {clicked && chosen.value === clicked.value && chosen.dateId === undefined && (
              <span className="muted small"> {t('apptForm.clickedTimeHint')}</span>
            )}
          </p>
        )}
        {editing && (
          <label className="field">
            <span>{t('apptForm.price')}</span>
            <input
              type="text"
              inputMode="decimal"
              name="visit-price"
              value={price}
              aria-describedby="visit-price-hint"
              onChange={(e) => setPrice(e.target.value)}
            />
            <span id="visit-price-hint" className="hint">
              {t('apptForm.priceHint')}
            </span>
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
