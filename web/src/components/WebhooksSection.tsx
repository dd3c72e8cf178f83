import { useState, type FormEvent } from 'react';
import { webhooks as webhooksApi } from '../api';
import { PERSONAL_FIELDS, WEBHOOK_EVENTS, type Webhook, type WebhookCreated } from '../api/types';
import { useI18n } from '../i18n';
import { useApp } from '../lib/context';
import { eventsToSend, hasAllEvents, isWebhookUrl, personalFieldsToSend } from '../lib/integrations';
import { confirmDialog, runAction } from '../lib/notify';
import { useLoad } from '../lib/useLoad';
import { useSubmit } from '../lib/useSubmit';
import { formatApiTime } from '../lib/time';
import ShownOnce from './ShownOnce';

/** Settings: the webhooks (list, add with the events to send, delete); a new one's secret is shown once. */
export default function WebhooksSection() {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [personal, setPersonal] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, run } = useSubmit();
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const { data: loaded, failed, reload } = useLoad(() => webhooksApi.list(), []);
  // A failed first load shows an empty list (and the error), not "Loading…" for ever.
  const items = loaded ?? (failed ? [] : null);

  const toggle = (e: string, on: boolean) => setEvents((old) => (on ? [...old, e] : old.filter((x) => x !== e)));
  const togglePersonal = (f: string, on: boolean) =>
    setPersonal((old) => (on ? [...old, f] : old.filter((x) => x !== f)));

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!isWebhookUrl(url)) {
      setProblem(t('hooks.badUrl'));
      return;
    }
    setProblem(null);
    const r = await run(() => webhooksApi.create(url.trim(), eventsToSend(events), personalFieldsToSend(personal)), t('hooks.added'));
    if (r) {
      setCreated(r);
      setUrl('');
      setEvents([]);
      setPersonal([]);
      reload();
    }
  };

  const remove = async (w: Webhook) => {
    const ok = await confirmDialog({
      title: t('hooks.deleteTitle'),
      text: t('hooks.deleteText', { url: w.url }),
      confirmText: t('common.delete'),
      danger: true,
    });
    if (!ok) return;
    if (await runAction(() => webhooksApi.remove(w.id), t('hooks.deleted'))) {
      if (created?.id === w.id) setCreated(null);
      reload();
    }
  };

  const eventsText = (list: string[]) => (hasAllEvents(list) ? t('hooks.allEvents') : list.join(', '));
  /** The personal data a webhook sends, in words (unknown fields as the server named them). */
  const personalText = (list: readonly string[] | null | undefined) =>
    list && list.length
      ? list.map((f) => ((PERSONAL_FIELDS as readonly string[]).includes(f) ? t(`hooks.field.${f as 'client_name'}`) : f)).join(', ')
      : t('hooks.idsOnly');

  return (
    <section className="card integration webhooks" aria-labelledby="hooks-title">
      <h2 id="hooks-title" className="card-title">
        {t('hooks.title')}
      </h2>
      <p className="plain-line">{t('hooks.plain')}</p>
      <p className="small">{t('hooks.intro')}</p>

      {created && (
        <ShownOnce
          className="webhook-secret"
          title={t('hooks.secretTitle', { id: created.id })}
          label={t('hooks.secretLabel')}
          value={created.secret}
          name="webhook-secret"
          hint={t('hooks.secretOnce')}
          doneLabel={t('hooks.secretDone')}
          doneClassName="secret-done"
          onDone={() => setCreated(null)}
        >
          <p className="small">{t('hooks.signature')}</p>
        </ShownOnce>
      )}

      {items === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted hooks-empty">{t('hooks.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-cards webhooks-table">
            <thead>
              <tr>
                <th scope="col">{t('hooks.url')}</th>
                <th scope="col">{t('hooks.events')}</th>
                <th scope="col">{t('hooks.personal')}</th>
                <th scope="col">{t('hooks.created')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((w) => (
                <tr key={w.id} data-id={w.id}>
                  <td className="webhook-url" data-label={t('hooks.url')}>
                    {w.url}
                  </td>
                  <td data-label={t('hooks.events')}>{eventsText(w.events)}</td>
                  <td className="webhook-personal" data-label={t('hooks.personal')}>
                    {personalText(w.personal_fields)}
                  </td>
                  <td className="nowrap" data-label={t('hooks.created')}>
                    {formatApiTime(w.created_at, lang, timeZone)}
                  </td>
                  <td className="cell-actions">
                    <div className="row-actions">
                      <button
                        type="button"
                        className="btn btn-sm btn-danger webhook-delete"
                        aria-label={t('hooks.delete', { url: w.url })}
                        onClick={() => void remove(w)}
                      >
                        {t('common.delete')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <form className="form webhook-form" onSubmit={(e) => void add(e)} noValidate>
        <div className="field">
          <span>
            <label htmlFor="webhook-url">{t('hooks.url')}</label>
          </span>
          <input
            id="webhook-url"
            type="url"
            name="webhook-url"
            inputMode="url"
            placeholder="https://example.com/zapys"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            autoComplete="off"
            aria-describedby="webhook-url-hint"
          />
          <span id="webhook-url-hint" className="hint">
            {t('hooks.urlHint')}
          </span>
        </div>
        <fieldset className="field webhook-events">
          <legend>{t('hooks.events')}</legend>
          <div className="event-checks">
            {WEBHOOK_EVENTS.map((ev) => (
              <label key={ev} className="check">
                <input type="checkbox" value={ev} checked={events.includes(ev)} onChange={(e) => toggle(ev, e.target.checked)} />
                <span>
                  {t(`hooks.event.${ev}`)} <code className="small">{ev}</code>
                </span>
              </label>
            ))}
          </div>
          <span className="hint">{t('hooks.eventsHint')}</span>
        </fieldset>
        <fieldset className="field webhook-personal-fields">
          <legend>{t('hooks.personal')}</legend>
          <div className="event-checks">
            {PERSONAL_FIELDS.map((f) => (
              <label key={f} className="check">
                <input
                  type="checkbox"
                  name={`webhook-${f}`}
                  value={f}
                  checked={personal.includes(f)}
                  aria-describedby="webhook-personal-hint"
                  onChange={(e) => togglePersonal(f, e.target.checked)}
                />
                <span>{t(`hooks.send.${f}`)}</span>
              </label>
            ))}
          </div>
          <span id="webhook-personal-hint" className="hint">
            {t('hooks.personalHint')}
          </span>
        </fieldset>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <div className="form-actions form-actions-start">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('hooks.adding') : `+ ${t('hooks.add')}`}
          </button>
        </div>
      </form>
    </section>
  );
}
