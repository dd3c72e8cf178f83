import { useState, type FormEvent } from 'react';
import { services as servicesApi } from '../api';
import type { Service, StaffMember } from '../api/types';
import { useI18n } from '../i18n';
import { priceInput } from '../lib/format';
import { useSubmit } from '../lib/useSubmit';
import { validateService, type ServiceForm as Form } from '../lib/validation';
import Modal from './Modal';
import Problems from './Problems';
import StaffDot from './StaffDot';

interface Props {
  service?: Service;
  /** Every staff member; the "who performs it" checks show when there is more than one. */
  staff: StaffMember[];
  onClose: () => void;
  onSaved: () => void;
}

export default function ServiceForm({ service, staff, onClose, onSaved }: Props) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState<Form>({
    service_name: service?.service_name ?? '',
    duration_minutes: service ? String(service.duration_minutes) : '60',
    price: priceInput(service?.price, lang),
    description: service?.description ?? '',
    hidden: service?.hidden ?? false,
    buffer_before: service ? String(service.buffer_before_minutes ?? 0) : '0',
    buffer_after: service ? String(service.buffer_after_minutes ?? 0) : '0',
    // A new service: every visible staff member performs it unless unticked.
    staff_ids: service ? (service.staff_ids ?? []) : staff.filter((s) => !s.hidden).map((s) => s.id),
    // --- comeback ---
    rebook_after_days: service?.rebook_after_days ? String(service.rebook_after_days) : '',
  });
  const chooseStaff = staff.length > 1;
  const toggleStaff = (id: number) => {
    const ids = form.staff_ids ?? [];
    set('staff_ids', ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]);
  };
  const { busy, problems, submit: send } = useSubmit();
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // With one staff member (or none known yet) the server decides who performs it.
    const v = validateService(chooseStaff ? form : { ...form, staff_ids: null });
    const r = service
      ? await send(v, (value) => servicesApi.update(service.id, value), t('services.saved'))
      : await send(v, (value) => servicesApi.create(value), t('services.created'));
    if (r) onSaved();
  };

  return (
    <Modal title={service ? t('services.editTitle') : t('services.addTitle')} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <label className="field">
          <span>{t('services.name')}</span>
          <input value={form.service_name} onChange={(e) => set('service_name', e.target.value)} required maxLength={200} />
        </label>
        <div className="form-row">
          <label className="field">
            <span>{t('services.durationMinutes')}</span>
            <input
              type="number"
              inputMode="numeric"
              min={5}
              max={1440}
              step={5}
              value={form.duration_minutes}
              onChange={(e) => set('duration_minutes', e.target.value)}
              required
            />
          </label>
          <label className="field">
            <span>{t('services.price')}</span>
            <input inputMode="decimal" value={form.price} onChange={(e) => set('price', e.target.value)} />
          </label>
        </div>
        <div className="form-row">
          <label className="field">
            <span>{t('services.bufferBefore')}</span>
            <input
              type="number"
              name="buffer_before"
              inputMode="numeric"
              min={0}
              max={240}
              step={5}
              value={form.buffer_before}
              onChange={(e) => set('buffer_before', e.target.value)}
              aria-describedby="service-buffer-hint"
            />
          </label>
          <label className="field">
            <span>{t('services.bufferAfter')}</span>
            <input
              type="number"
              name="buffer_after"
              inputMode="numeric"
              min={0}
              max={240}
              step={5}
              value={form.buffer_after}
              onChange={(e) => set('buffer_after', e.target.value)}
              aria-describedby="service-buffer-hint"
            />
          </label>
        </div>
        <p className="hint" id="service-buffer-hint">
          {t('services.bufferHint')}
        </p>
        {/* --- comeback --- */}
        <label className="field">
          <span>{t('services.rebookAfter')}</span>
          <input
            type="number"
            name="rebook_after_days"
            inputMode="numeric"
            min={1}
            max={730}
            placeholder={t('services.rebookNever')}
            value={form.rebook_after_days}
            onChange={(e) => set('rebook_after_days', e.target.value)}
            aria-describedby="service-rebook-hint"
          />
        </label>
        <p className="hint" id="service-rebook-hint">
          {t('services.rebookHint')}
        </p>
        {chooseStaff && (
          <fieldset className="weekdays service-staff">
            <legend>{t('services.staff')}</legend>
            {staff.map((s) => (
              <label key={s.id} className="day-check">
                <input type="checkbox" checked={(form.staff_ids ?? []).includes(s.id)} onChange={() => toggleStaff(s.id)} />
                <StaffDot color={s.color} />
                <span>{s.hidden ? `${s.name} (${t('staff.hiddenMark')})` : s.name}</span>
              </label>
            ))}
          </fieldset>
        )}
        <label className="field">
          <span>{t('services.description')}</span>
          <textarea rows={3} value={form.description} onChange={(e) => set('description', e.target.value)} maxLength={2000} />
        </label>
        <label className="check">
          <input type="checkbox" checked={form.hidden} onChange={(e) => set('hidden', e.target.checked)} />
          <span>{t('services.hidden')}</span>
        </label>
        <Problems problems={problems} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
