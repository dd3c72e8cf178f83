import { useState, type FormEvent } from 'react';
import { slots as slotsApi } from '../api';
import type { StaffMember } from '../api/types';
import { useI18n } from '../i18n';
import { useSubmit } from '../lib/useSubmit';
import { validateSlot } from '../lib/validation';
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

export default function AddSlotForm({ defaultDate, staff, onSaved }: Props) {
  const { t } = useI18n();
  const [date, setDate] = useState(defaultDate);
  const [time, setTime] = useState('10:00');
  const [staffId, setStaffId] = useState<number | null>(null);
  const { busy, problems, submit: send } = useSubmit();
  const choose = staff.length > 1;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = validateSlot({ available_date: date, available_time: time, staff_id: choose ? staffId : null });
    const checked = choose && staffId === null ? { ok: false as const, problems: [{ key: 'valid.staffRequired' as const }] } : v;
    if (await send(checked, (value) => slotsApi.create(value), t('slots.created'))) onSaved();
  };

  return (
    <form className="form add-slot-form" onSubmit={submit} noValidate>
      <h2 className="card-title">{t('slots.addOne')}</h2>
      {choose && (
        <StaffSelect label={t('slots.staff')} staff={staff} value={staffId} onChange={setStaffId} emptyLabel={t('slots.pickStaff')} />
      )}
      <div className="form-row">
        <label className="field">
          <span>{t('slots.date')}</span>
          <DateInput value={date} onChange={(v) => setDate(v)} required />
        </label>
        <label className="field">
          <span>{t('slots.time')}</span>
          <TimeInput value={time} onChange={(v) => setTime(v)} required />
        </label>
      </div>
      <Problems problems={problems} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('common.add')}
        </button>
      </div>
    </form>
  );
}
