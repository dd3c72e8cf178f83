import { useState, type FormEvent } from 'react';
import { ApiError, auth } from '../api';
import type { AuthUser } from '../api/types';
import LanguageSwitch from '../components/LanguageSwitch';
import { useI18n } from '../i18n';
import { describeError } from '../lib/notify';

interface Props {
  expired: boolean;
  onLogin: (user: AuthUser) => void;
}

export default function LoginPage({ expired, onLogin }: Props) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t('login.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const user = await auth.login(username.trim(), password);
      onLogin(user);
    } catch (err) {
      // A 401 here is the answer to the password, not an ended session.
      setError(err instanceof ApiError && err.status === 401 ? t('login.wrongCredentials') : describeError(err));
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={submit} noValidate>
        <div className="login-head">
          <span className="brand-mark" aria-hidden="true">Z</span>
          <h1>{t('login.title')}</h1>
        </div>
        {expired && !error && (
          <p className="notice" role="status">
            {t('error.sessionEnded')}
          </p>
        )}
        {error && (
          <p className="form-error" role="alert">
            <strong>{t('login.failed')}:</strong> {error}
          </p>
        )}
        <label className="field">
          <span>{t('login.username')}</span>
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoFocus
            required
          />
        </label>
        <label className="field">
          <span>{t('login.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('common.loading') : t('login.submit')}
        </button>
        <div className="login-foot">
          <LanguageSwitch />
        </div>
      </form>
    </div>
  );
}
