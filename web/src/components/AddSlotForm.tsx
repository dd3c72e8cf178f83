import { useState, type FormEvent } from 'react';
import { slots as slotsApi } from '../api';
import { useI18n } from '../i18n';
import { useSubmit } from '../lib/useSubmit';
import { validateSlot } from '../lib/validation';
import Problems from './Problems';

interface Props {
  defaultDate: string;
  onSaved: () => void;
}

export default function AddSlotForm({ defaultDate, onSaved }: Props) {
  const { t } = useI18n();
  const [date, setDate] = useState(defaultDate);
  const [time, setTime] = useState('10:00');
  const { busy, problems, submit: send } = useSubmit();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = validateSlot({ available_date: date, available_time: time });
    if (await send(v, (value) => slotsApi.create(value), t('slots.created'))) onSaved();
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <h2 className="card-title">{t('slots.addOne')}</h2>
      <div className="form-row">
        <label className="field">
          <span>{t('slots.date')}</span>
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </label>
        <label className="field">
          <span>{t('slots.time')}</span>
          <input type="time" step={300} value={time} onChange={(e) => setTime(e.target.value)} required />
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
