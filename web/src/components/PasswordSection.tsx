import { useState, type FormEvent } from 'react';
import { auth } from '../api';
import { useI18n } from '../i18n';
import { useSubmit } from '../lib/useSubmit';
import { MIN_PASSWORD_CHARS, validatePassword, type PasswordForm } from '../lib/validation';
import Problems from './Problems';

const EMPTY: PasswordForm = { current: '', next: '', repeat: '' };

/** Settings: the signed-in admin changes their own password; their other sessions end. */
export default function PasswordSection() {
  const { t } = useI18n();
  const [form, setForm] = useState<PasswordForm>(EMPTY);
  const { busy, problems, submit } = useSubmit();
  const set = (key: keyof PasswordForm, value: string) => setForm((f) => ({ ...f, [key]: value }));

  const change = async (e: FormEvent) => {
    e.preventDefault();
    const done = await submit(validatePassword(form), (value) => auth.changePassword(value), t('password.changed'));
    if (done) setForm(EMPTY);
  };

  return (
    <section className="card password-section" aria-labelledby="password-title">
      <h2 id="password-title" className="card-title">
        {t('password.title')}
      </h2>
      <p className="muted small">{t('password.intro')}</p>
      <form onSubmit={change} noValidate>
        <Problems problems={problems} />
        <label className="field">
          <span>{t('password.current')}</span>
          <input
            type="password"
            name="current-password"
            autoComplete="current-password"
            value={form.current}
            onChange={(e) => set('current', e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('password.new')}</span>
          <input
            type="password"
            name="new-password"
            autoComplete="new-password"
            minLength={MIN_PASSWORD_CHARS}
            value={form.next}
            onChange={(e) => set('next', e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('password.repeat')}</span>
          <input
            type="password"
            name="repeat-password"
            autoComplete="new-password"
            value={form.repeat}
            onChange={(e) => set('repeat', e.target.value)}
          />
        </label>
        <button type="submit" className="btn" disabled={busy}>
          {busy ? t('common.saving') : t('password.change')}
        </button>
      </form>
    </section>
  );
}
