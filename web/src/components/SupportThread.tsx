// --- support ---
import { useState, type FormEvent } from 'react';
import { support } from '../api';
import type { Client } from '../api/types';
import { useI18n } from '../i18n';
import { useApp } from '../lib/context';
import { useLiveRefresh } from '../lib/live';
import { supportLine } from '../lib/support';
import { formatApiTime } from '../lib/time';
import { useLoad } from '../lib/useLoad';
import { useSubmit } from '../lib/useSubmit';

/**
 * A client's support thread («Написати нам»): what they wrote in the bot and the answers, oldest
 * first, with an answer box that reaches them through the bot. A simple log, not a helpdesk.
 */
export default function SupportThread({ client }: { client: Client }) {
  const { t, lang } = useI18n();
  const { timeZone } = useApp();
  const { data, failed, reload } = useLoad(() => support.thread(client.id), [client.id]);
  useLiveRefresh(['client'], reload);
  const [text, setText] = useState('');
  const { busy, run } = useSubmit();
  const messages = data ?? (failed ? [] : null);
  const reachable = client.telegram_id !== null;

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    const sent = await run(() => support.answer(client.id, value), t('support.sent'));
    if (sent) {
      setText('');
      reload();
    }
  };

  return (
    <section className="support-thread" aria-labelledby="support-title">
      <h3 id="support-title">{t('support.title')}</h3>
      {messages === null && <p role="status">{t('common.loading')}</p>}
      {messages !== null && messages.length === 0 && <p className="empty">{t('support.empty')}</p>}
      {messages !== null && messages.length > 0 && (
        <ol className="support-log">
          {messages.map((m) => {
            const line = supportLine(m);
            return (
              <li key={m.id} className={`support-item support-${m.direction}`} data-direction={m.direction}>
                <div className="muted small">
                  {t(line.who, { author: m.author ?? '' })} · {formatApiTime(m.created_at, lang, timeZone)}
                  {line.media && ` · ${t(line.media)}`}
                </div>
                {m.text && <div className="support-text">{m.text}</div>}
              </li>
            );
          })}
        </ol>
      )}
      {reachable ? (
        <form className="support-answer" onSubmit={send}>
          <label className="field">
            <span>{t('support.answer')}</span>
            <textarea value={text} onChange={(e) => setText(e.target.value)} rows={2} maxLength={4000} />
          </label>
          <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()}>
            {t('support.send')}
          </button>
        </form>
      ) : (
        <p className="muted small">{t('support.noTelegram')}</p>
      )}
    </section>
  );
}
