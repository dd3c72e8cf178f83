import { useEffect, useState, type FormEvent } from 'react';
import { clients as clientsApi } from '../api';
import type { Client } from '../api/types';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/useLoad';
import { useSubmit } from '../lib/useSubmit';

/** The longest notes the server keeps, in characters. */
export const MAX_NOTES_CHARS = 4000;

/** The client card's private notes (allergies, a colour formula): the business's only, sealed at rest. */
export default function ClientNotes({ client }: { client: Client }) {
  const { t } = useI18n();
  const { data: saved, failed } = useLoad(() => clientsApi.notes(client.id), [client.id]);
  const [notes, setNotes] = useState('');
  const { busy, run } = useSubmit();
  useEffect(() => setNotes(saved ?? ''), [saved]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    await run(() => clientsApi.setNotes(client.id, notes.trim()), t('clientNotes.saved'));
  };

  return (
    <form className="client-notes" onSubmit={save}>
      <label className="field">
        <span>{t('clientNotes.label')}</span>
        <textarea
          rows={3}
          name="client-notes"
          maxLength={MAX_NOTES_CHARS}
          value={notes}
          disabled={saved === null && !failed}
          aria-describedby="client-notes-hint"
          onChange={(e) => setNotes(e.target.value)}
        />
        <span id="client-notes-hint" className="hint">
          {t('clientNotes.hint')}
        </span>
      </label>
      <button type="submit" className="btn" disabled={busy || saved === null || notes.trim() === (saved ?? '').trim()}>
        {busy ? t('common.saving') : t('clientNotes.save')}
      </button>
    </form>
  );
}
