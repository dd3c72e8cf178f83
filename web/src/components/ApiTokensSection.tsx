import { useState, type FormEvent } from 'react';
import { tokens as tokensApi } from '../api';
import { TOKEN_SCOPES, type ApiToken, type ApiTokenCreated, type TokenScope } from '../api/types';
import { useI18n } from '../i18n';
import { useApp } from '../lib/context';
import { tokenName } from '../lib/integrations';
import { confirmDialog, runAction } from '../lib/notify';
import { useLoad } from '../lib/useLoad';
import { useSubmit } from '../lib/useSubmit';
import { formatApiTime } from '../lib/time';
import ShownOnce from './ShownOnce';

/** Settings: the API tokens of integrations (list, create with a scope, revoke); a new token is shown once. */
export default function ApiTokensSection() {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('read');
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, run } = useSubmit();
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const { data: loaded, failed, reload } = useLoad(() => tokensApi.list(), []);
  // A failed first load shows an empty list (and the error), not "Loading…" for ever.
  const items = loaded ?? (failed ? [] : null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const checked = tokenName(name);
    if (checked === null) {
      setProblem(t('tokens.badName'));
      return;
    }
    setProblem(null);
    const r = await run(() => tokensApi.create({ name: checked, scope }), t('tokens.added'));
    if (r) {
      setCreated(r);
      setName('');
      reload();
    }
  };

  const revoke = async (k: ApiToken) => {
    const ok = await confirmDialog({
      title: t('tokens.revokeTitle'),
      text: t('tokens.revokeText', { name: k.name }),
      confirmText: t('tokens.revokeConfirm'),
      danger: true,
    });
    if (!ok) return;
    if (await runAction(() => tokensApi.revoke(k.id), t('tokens.revoked'))) {
      if (created?.id === k.id) setCreated(null);
      reload();
    }
  };

  const when = (iso: string | null) => (iso ? formatApiTime(iso, lang, timeZone) : t('tokens.neverUsed'));

  return (
    <section className="card integration api-tokens" aria-labelledby="tokens-title">
      <h2 id="tokens-title" className="card-title">
        {t('tokens.title')}
      </h2>
      <p className="plain-line">{t('tokens.plain')}</p>
      <p className="small">{t('tokens.intro')}</p>

      {created && (
        <ShownOnce
          className="token-once"
          title={t('tokens.onceTitle', { name: created.name })}
          label={t('tokens.tokenLabel')}
          value={created.token}
          name="api-token"
          hint={t('tokens.once')}
          doneLabel={t('tokens.done')}
          doneClassName="token-done"
          onDone={() => setCreated(null)}
        />
      )}

      {items === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted tokens-empty">{t('tokens.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards tokens-table">
            <thead>
              <tr>
                <th scope="col">{t('tokens.name')}</th>
                <th scope="col">{t('tokens.scope')}</th>
                <th scope="col">{t('tokens.created')}</th>
                <th scope="col">{t('tokens.lastUsed')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((k) => (
                <tr key={k.id} data-id={k.id}>
                  <td className="token-name" data-label={t('tokens.name')}>
                    {k.name}
                  </td>
                  <td className="token-scope" data-label={t('tokens.scope')}>
                    {t(`tokens.scope.${k.scope}`)}
                  </td>
                  <td className="nowrap" data-label={t('tokens.created')}>
                    {when(k.created_at)}
                  </td>
                  <td className="nowrap" data-label={t('tokens.lastUsed')}>
                    {when(k.last_used_at)}
                  </td>
                  <td className="cell-actions">
                    <div className="row-actions">
                      <button
                        type="button"
                        className="btn btn-sm btn-danger token-revoke"
                        aria-label={t('tokens.revokeOne', { name: k.name })}
                        onClick={() => void revoke(k)}
                      >
                        {t('tokens.revoke')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <form className="form token-form" onSubmit={(e) => void add(e)} noValidate>
        <label className="field">
          <span>{t('tokens.name')}</span>
          <input
            name="token-name"
            maxLength={100}
            placeholder={t('tokens.namePlaceholder')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
          />
        </label>
        <fieldset className="field token-scopes">
          <legend>{t('tokens.scope')}</legend>
          {TOKEN_SCOPES.map((s) => (
            <label key={s} className="check">
              <input
                type="radio"
                name="token-scope"
                value={s}
                checked={scope === s}
                onChange={() => setScope(s)}
              />
              <span>
                <strong>{t(`tokens.scope.${s}`)}</strong>: {t(`tokens.scopeHint.${s}`)}
              </span>
            </label>
          ))}
        </fieldset>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <div className="form-actions form-actions-start">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('tokens.adding') : `+ ${t('tokens.add')}`}
          </button>
        </div>
      </form>
    </section>
  );
}
