import { useEffect, useState } from 'react';
import { clients } from '../api';
import type { Client } from '../api/types';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/useLoad';
import { useDebounced } from '../lib/useDebounced';

interface Props {
  value: number | null;
  onChange: (id: number | null) => void;
}

/** A search box (GET /api/users?q=) and a select of the matching clients. */
export default function ClientPicker({ value, onChange }: Props) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim(), 300);
  const { data: page, loading } = useLoad(() => clients.list({ q, limit: 30 }), [q]);
  const options: Client[] = page?.items ?? [];
  // Exactly one match: pick it, saving a click. (onChange is a setter from the parent; only a new answer picks.)
  useEffect(() => {
    if (page?.items.length === 1 && page.items[0]) onChange(page.items[0].id);
  }, [page]);

  const selectedMissing = value !== null && !options.some((c) => c.id === value);

  return (
    <div className="client-picker">
      <label className="field">
        <span>{t('apptForm.clientSearch')}</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      </label>
      <label className="field">
        <span>{t('apptForm.client')}</span>
        <select
          value={value ?? ''}
          onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}
          aria-busy={loading}
          required
        >
          <option value="">{options.length || loading ? t('apptForm.pickClient') : t('apptForm.noClients')}</option>
          {selectedMissing && <option value={value}>#{value}</option>}
          {options.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} · {c.phone}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
