import { useState, type FormEvent } from 'react';
import { services as servicesApi } from '../api';
import type { Service } from '../api/types';
import { useI18n } from '../i18n';
import { useSubmit } from '../lib/useSubmit';
import { validateService, type ServiceForm as Form } from '../lib/validation';
import Modal from './Modal';
import Problems from './Problems';

interface Props {
  service?: Service;
  onClose: () => void;
  onSaved: () => void;
}

export default function ServiceForm({ service, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const [form, setForm] = useState<Form>({
    service_name: service?.service_name ?? '',
    duration_minutes: service ? String(service.duration_minutes) : '60',
    price: service?.price === null || service?.price === undefined ? '' : String(service.price),
    description: service?.description ?? '',
    hidden: service?.hidden ?? false,
  });
  const { busy, problems, submit: send } = useSubmit();
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = service
      ? await send(validateService(form), (value) => servicesApi.update(service.id, value), t('services.saved'))
      : await send(validateService(form), (value) => servicesApi.create(value), t('services.created'));
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
