import { useEffect, useState } from 'react';
import { clients } from '../api';
import type { Client } from '../api/types';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/useLoad';
import { useDebounced } from '../lib/useDebounced';
import { useSubmit } from '../lib/useSubmit';
import { validateClient } from '../lib/validation';
import Problems from './Problems';

interface Props {
  value: number | null;
  onChange: (id: number | null) => void;
  /** A client chosen beforehand (e.g. "book again"): listed even when the search does not find them. */
  preset?: Client;
}

/**
 * A search box (GET /api/users?q=) and a select of the matching clients; "+ new client" adds one on
 * the spot (name and phone, POST /api/users) and picks them, without leaving the booking form.
 */
export default function ClientPicker({ value, onChange, preset }: Props) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 300);
  const { data: page, loading } = useLoad(() => clients.list({ q, limit: 30 }), [q]);
  const [created, setCreated] = useState<Client | null>(preset ?? null);
  const options: Client[] = page?.items ?? [];
  // Exactly one match: pick it, saving a click. (onChange is a setter from the parent; only a new answer picks.)
  useEffect(() => {
    if (page?.items.length === 1 && page.items[0]) onChange(page.items[0].id);
  }, [page]);

  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const { busy, problems, submit } = useSubmit();

  const create = async () => {
    const r = await submit(validateClient({ name, phone, telegram_id: '' }), (v) => clients.create(v), t('clients.createdToast'));
    if (!r) return;
    setCreated(r.user);
    onChange(r.id);
    setAdding(false);
    setName('');
    setPhone('');
  };

  const shown = created && !options.some((c) => c.id === created.id) ? [created, ...options] : options;
  const selectedMissing = value !== null && !shown.some((c) => c.id === value);

  return (
    <div className="client-picker">
      <label className="field">
        <span>{t('apptForm.clientSearch')}</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      </label>
      <label className="field">
        <span>{t('apptForm.client')}</span>
        <select
          name="user_id"
          value={value ?? ''}
          onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}
          aria-busy={loading}
          required
        >
          <option value="">{shown.length || loading ? t('apptForm.pickClient') : t('apptForm.noClients')}</option>
          {selectedMissing && <option value={value}>#{value}</option>}
          {shown.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} · {c.phone}
            </option>
          ))}
        </select>
      </label>
      {adding ? (
        <fieldset className="new-client">
          <legend>{t('apptForm.newClient')}</legend>
          <div className="form-row">
            <label className="field">
              <span>{t('clients.name')}</span>
              <input name="new_client_name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" maxLength={100} />
            </label>
            <label className="field">
              <span>{t('clients.phone')}</span>
              <input
                name="new_client_phone"
                type="tel"
                inputMode="tel"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                autoComplete="off"
                placeholder="+380501234567"
              />
            </label>
          </div>
          <Problems problems={problems} />
          <div className="form-actions form-actions-start">
            <button type="button" className="btn btn-primary btn-sm btn-create-client" disabled={busy} onClick={() => void create()}>
              {busy ? t('common.saving') : t('apptForm.createClient')}
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setAdding(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </fieldset>
      ) : (
        <button
          type="button"
          className="btn btn-sm btn-ghost btn-new-client"
          onClick={() => {
            setAdding(true);
            // What was typed in the search is most likely the new client's name or phone.
            const typed = query.trim();
            if (typed) (/^[+\d][\d\s().-]*$/.test(typed) ? setPhone : setName)(typed);
          }}
        >
          + {t('apptForm.newClient')}
        </button>
      )}
    </div>
  );
}
