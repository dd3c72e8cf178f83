import { useEffect, useState, type FormEvent } from 'react';
import { slots as slotsApi, staff as staffApi } from '../api';
import type { StaffMember } from '../api/types';
import { useI18n, type MessageKey } from '../i18n';
import { useSubmit } from '../lib/useSubmit';
import { addDays } from '../lib/time';
import { useLoad } from '../lib/useLoad';
import { validateGenerate, type GenerateForm } from '../lib/validation';
import Problems from './Problems';
import StaffSelect from './StaffSelect';
import DateInput from './DateInput';
import TimeInput from './TimeInput';

interface Props {
  defaultDate: string;
  /** The visible staff members; the choice is left out when there is only one. */
  staff: StaffMember[];
  onSaved: () => void;
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export default function GenerateSlotsForm({ defaultDate, staff, onSaved }: Props) {
  const { t } = useI18n();
  const [form, setForm] = useState<GenerateForm>({
    date_from: defaultDate,
    date_to: addDays(defaultDate, 13),
    weekdays: [1, 2, 3, 4, 5],
    use_staff_hours: false,
    time_from: '09:00',
    time_to: '18:00',
    step_minutes: '60',
  });
  const [staffId, setStaffId] = useState<number | null>(null);
  const { busy, problems, submit: send } = useSubmit();
  const choose = staff.length > 1;
  // The server generates from a staff member's own hours when they have some (and refuses other
  // hours then); without hours, only hours given here. So the choice follows their hours.
  const who = choose ? staffId : (staff[0]?.id ?? null);
  const { data: hours } = useLoad(async () => (who === null ? null : staffApi.hours(who)), [who], { quiet: true });
  const hasHours = hours !== null && hours.length > 0;
  useEffect(() => {
    if (hours !== null) setForm((f) => ({ ...f, use_staff_hours: hours.length > 0 }));
  }, [hours]);
  const set = <K extends keyof GenerateForm>(key: K, value: GenerateForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const toggleDay = (d: number) =>
    set('weekdays', form.weekdays.includes(d) ? form.weekdays.filter((x) => x !== d) : [...form.weekdays, d]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = validateGenerate(form, choose ? staffId : null);
    const checked = choose && staffId === null ? { ok: false as const, problems: [{ key: 'valid.staffRequired' as const }] } : v;
    const r = await send(
      checked,
      (value) => slotsApi.generate(value),
      (res) => t('slots.generated', { created: res.created, skipped: res.skipped, removed: res.removed }),
    );
    if (r) onSaved();
  };

  return (
    <form className="form generate-form" onSubmit={submit} noValidate>
      <h2 className="card-title">{t('slots.generate')}</h2>
      {choose && (
        <StaffSelect label={t('slots.staff')} staff={staff} value={staffId} onChange={setStaffId} emptyLabel={t('slots.pickStaff')} />
      )}
      <div className="form-row">
        <label className="field">
          <span>{t('slots.dateFrom')}</span>
          <DateInput value={form.date_from} onChange={(v) => set('date_from', v)} required />
        </label>
        <label className="field">
          <span>{t('slots.dateTo')}</span>
          <DateInput value={form.date_to} onChange={(v) => set('date_to', v)} required />
        </label>
      </div>
      <fieldset className="weekdays">
        <legend>{t('slots.hoursSource')}</legend>
        <label className="day-check">
          <input
            type="radio"
            name="hours-source"
            checked={form.use_staff_hours}
            disabled={hours !== null && !hasHours}
            onChange={() => set('use_staff_hours', true)}
          />
          <span>{t('slots.useStaffHours')}</span>
        </label>
        <label className="day-check">
          <input
            type="radio"
            name="hours-source"
            checked={!form.use_staff_hours}
            disabled={hasHours}
            onChange={() => set('use_staff_hours', false)}
          />
          <span>{t('slots.useOwnHours')}</span>
        </label>
      </fieldset>
      {hours !== null && <p className="hint">{t(hasHours ? 'slots.staffHasHours' : 'slots.staffNoHours')}</p>}
      {!form.use_staff_hours && (
        <fieldset className="weekdays">
          <legend>{t('slots.weekdays')}</legend>
          {WEEKDAYS.map((d) => (
            <label key={d} className="day-check">
              <input type="checkbox" checked={form.weekdays.includes(d)} onChange={() => toggleDay(d)} />
              <span>{t(`weekday.${d}` as MessageKey)}</span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="form-row form-row-3">
        {!form.use_staff_hours && (
          <>
            <label className="field">
              <span>{t('slots.timeFrom')}</span>
              <TimeInput value={form.time_from} onChange={(v) => set('time_from', v)} required />
            </label>
            <label className="field">
              <span>{t('slots.timeTo')}</span>
              <TimeInput value={form.time_to} onChange={(v) => set('time_to', v)} required />
            </label>
          </>
        )}
        <label className="field">
          <span>{t('slots.step')}</span>
          <input
            type="number"
            inputMode="numeric"
            min={5}
            max={720}
            step={5}
            value={form.step_minutes}
            onChange={(e) => set('step_minutes', e.target.value)}
            required
          />
        </label>
      </div>
      <p className="hint">{t('slots.generateHint')}</p>
      <Problems problems={problems} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('common.saving') : t('slots.generateSubmit')}
        </button>
      </div>
    </form>
  );
}
