import { useState, type FormEvent } from 'react';
import { clients as clientsApi } from '../api';
import type { Client } from '../api/types';
import { useI18n } from '../i18n';
import { useSubmit } from '../lib/useSubmit';
import { validateClient, type ClientForm as Form } from '../lib/validation';
import Modal from './Modal';
import Problems from './Problems';

interface Props {
  client?: Client;
  onClose: () => void;
  onSaved: () => void;
}

export default function ClientForm({ client, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const [form, setForm] = useState<Form>({
    name: client?.name ?? '',
    phone: client?.phone ?? '',
    telegram_id: client?.telegram_id ? String(client.telegram_id) : '',
  });
  const { busy, problems, submit: send } = useSubmit();
  const set = (key: keyof Form, value: string) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = client
      ? await send(validateClient(form), (value) => clientsApi.update(client.id, value), t('clients.saved'))
      : await send(validateClient(form), (value) => clientsApi.create(value), t('clients.createdToast'));
    if (r) onSaved();
  };

  return (
    <Modal title={client ? t('clients.editTitle') : t('clients.addTitle')} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <label className="field">
          <span>{t('clients.name')}</span>
          <input value={form.name} onChange={(e) => set('name', e.target.value)} autoComplete="off" required maxLength={200} />
        </label>
        <label className="field">
          <span>{t('clients.phone')}</span>
          <input
            type="tel"
            inputMode="tel"
            value={form.phone}
            onChange={(e) => set('phone', e.target.value)}
            autoComplete="off"
            placeholder="+380501234567"
            required
          />
        </label>
        <label className="field">
          <span>
            {t('clients.telegram')} <span className="muted small">({t('clients.telegramHint')})</span>
          </span>
          <input inputMode="numeric" value={form.telegram_id} onChange={(e) => set('telegram_id', e.target.value)} />
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
