import { useRef, useState, type FormEvent } from 'react';
import { settings as settingsApi } from '../api';
import type { TelegramInfo } from '../api/types';
import { useI18n } from '../i18n';
import { useApp } from '../lib/context';
import { confirmDialog } from '../lib/notify';
import { botHandle, botLink, botWorks, telegramProblemKeys, telegramView, validateBotToken } from '../lib/telegram';
import { useSubmit } from '../lib/useSubmit';
import Problems from './Problems';

const BOTFATHER = 'https://t.me/BotFather';

/**
 * Settings: the Telegram bot. Its token pasted here (checked with Telegram, kept sealed by the server),
 * replaced or disconnected; or set on the server by TELEGRAM_BOT_TOKEN, which wins and is only shown.
 */
export default function TelegramSection() {
  const { t } = useI18n();
  const { settings, setSettings } = useApp();
  // What a call answers lands in the latest settings (not the ones of the render that started it).
  const latest = useRef(settings);
  latest.current = settings;
  const [token, setToken] = useState('');
  const [replacing, setReplacing] = useState(false);
  const connecting = useSubmit();
  const disconnecting = useSubmit();

  const status = settings?.telegram;
  if (!status) return null;

  const show = (telegram: TelegramInfo) => {
    if (latest.current) setSettings({ ...latest.current, telegram });
  };
  /** After a refusal: what the server knows now (e.g. the token of the environment, or the last problem). */
  const refresh = () => {
    settingsApi.telegram.get().then(show, () => undefined);
  };

  const view = telegramView(status);
  const handle = botHandle(status.bot_username);
  const link = botLink(status.bot_username);
  const problem = telegramProblemKeys(status);
  const busy = connecting.busy || disconnecting.busy;

  const connect = async (e: FormEvent) => {
    e.preventDefault();
    const checked = validateBotToken(token);
    const answer = await connecting.submit(checked, (value) => settingsApi.telegram.connect(value), (s) => {
      const bot = botHandle(s.bot_username);
      return bot ? t('telegram.connectedToast', { bot }) : t('telegram.connectedToastPlain');
    });
    if (answer) {
      setToken(''); // the token is the server's now: nothing keeps it in the page
      setReplacing(false);
      show(answer);
    } else if (checked.ok) {
      refresh();
    }
  };

  const disconnect = async () => {
    const ok = await confirmDialog({
      title: t('telegram.disconnectTitle'),
      text: t('telegram.disconnectText'),
      confirmText: t('telegram.disconnectConfirm'),
      danger: true,
    });
    if (!ok) return;
    const answer = await disconnecting.run(() => settingsApi.telegram.disconnect(), t('telegram.disconnected'));
    if (answer) {
      setToken('');
      setReplacing(false);
      show(answer);
    } else {
      refresh();
    }
  };

  const [beforeBotFather, afterBotFather = ''] = t('telegram.step1').split('{botfather}');

  const tokenForm = (hint: string) => (
    <form className="form telegram-form" onSubmit={(e) => void connect(e)} noValidate>
      <Problems problems={connecting.problems} />
      <div className="field">
        <span>
          <label htmlFor="telegram-token">{t('telegram.tokenLabel')}</label>
        </span>
        <input
          id="telegram-token"
          type="password"
          name="telegram-token"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          placeholder="123456789:AAH…"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby="telegram-token-hint"
        />
        <span id="telegram-token-hint" className="hint">
          {hint}
        </span>
      </div>
      <div className="form-actions form-actions-start">
        <button type="submit" className="btn btn-primary telegram-connect" disabled={busy}>
          {connecting.busy ? t('telegram.checking') : t('telegram.connect')}
        </button>
        {view === 'settings' && replacing && (
          <button
            type="button"
            className="btn telegram-replace-cancel"
            disabled={busy}
            onClick={() => {
              setToken('');
              setReplacing(false);
            }}
          >
            {t('telegram.replaceCancel')}
          </button>
        )}
      </div>
    </form>
  );

  return (
    <section className={`card integration telegram telegram-${view}`} aria-labelledby="telegram-title" aria-busy={busy}>
      <h2 id="telegram-title" className="card-title">
        {t('settings.telegram')}
      </h2>
      <p className="plain-line">{t('settings.telegramPlain')}</p>

      <p className="telegram-state" role="status">
        {botWorks(status) ? t('telegram.connected') : t('telegram.notConnected')}
      </p>
      {status.configured && (
        <dl className="kv telegram-bot">
          <dt>{t('settings.telegramBot')}</dt>
          <dd className="telegram-username">
            {link ? (
              <a href={link} target="_blank" rel="noopener noreferrer">
                {handle}
              </a>
            ) : (
              (handle ?? t('common.none'))
            )}
          </dd>
          <dt>{t('settings.telegramMode')}</dt>
          <dd className="telegram-mode">{t(`settings.mode.${status.mode}`)}</dd>
        </dl>
      )}

      {problem && (
        <div className="notice telegram-problem">
          <p>{t(problem.what)}</p>
          <p>{t(problem.todo)}</p>
        </div>
      )}

      {view === 'environment' && <p className="small telegram-source">{t('telegram.fromEnvironment')}</p>}

      {view === 'settings' && (
        <>
          <p className="muted small telegram-source">{t('telegram.fromSettings')}</p>
          {/* A saved token that no longer works: the input is there at once. */}
          {(replacing || !botWorks(status)) && tokenForm(t('telegram.replaceHint'))}
          {!replacing && (
            <div className="form-actions form-actions-start telegram-actions">
              {botWorks(status) && (
                <button type="button" className="btn telegram-replace" disabled={busy} onClick={() => setReplacing(true)}>
                  {t('telegram.replace')}
                </button>
              )}
              <button type="button" className="btn btn-danger telegram-disconnect" disabled={busy} onClick={() => void disconnect()}>
                {disconnecting.busy ? t('telegram.disconnecting') : t('telegram.disconnect')}
              </button>
            </div>
          )}
        </>
      )}

      {view === 'none' && (
        <>
          <h3 className="telegram-how">{t('telegram.howTitle')}</h3>
          <ol className="telegram-steps">
            <li>
              {beforeBotFather}
              <a href={BOTFATHER} target="_blank" rel="noopener noreferrer">
                @BotFather
              </a>
              {afterBotFather}
            </li>
            <li>{t('telegram.step2')}</li>
            <li>{t('telegram.step3')}</li>
          </ol>
          {tokenForm(t('telegram.tokenHint'))}
        </>
      )}
    </section>
  );
}
