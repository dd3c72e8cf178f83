import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, simulator, support } from '../api';
import type { SimulatorInput } from '../api/types';
import { useI18n } from '../i18n';
import { useLiveRefresh } from '../lib/live';
import { describeError, promptText, showError, toastInfo } from '../lib/notify';
import {
  SIMULATOR_MIN_CHAT_ID,
  addAnswers,
  addUserMessage,
  applyReplies,
  emptyChat,
  isSimulatorChatId,
  lastAnswerId,
  newChatId,
  type ChatState,
} from '../lib/simulator';
import type { Lang } from '../lib/time';

const DEFAULT_CHAT_ID = SIMULATOR_MIN_CHAT_ID + 1_000_001;
const CHAT_KEY = 'zapys.sim.chat';

function loadChatId(): number {
  try {
    const n = Number(localStorage.getItem(CHAT_KEY));
    return isSimulatorChatId(n) ? n : DEFAULT_CHAT_ID;
  } catch {
    return DEFAULT_CHAT_ID;
  }
}

export default function SimulatorPage() {
  const { t, lang } = useI18n();
  const [chatId, setChatId] = useState<number>(loadChatId);
  const [chatIdText, setChatIdText] = useState(String(chatId));
  const [clientLang, setClientLang] = useState<Lang>(lang);
  const [chat, setChat] = useState<ChatState>(emptyChat);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [unavailable, setUnavailable] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const logRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    try {
      localStorage.setItem(CHAT_KEY, String(chatId));
    } catch {
      /* storage unavailable */
    }
  }, [chatId]);

  // --- support --- The business's answers to «Написати нам» arrive on their own, as in Telegram.
  const current = useRef({ chat, chatId });
  current.current = { chat, chatId };
  const fetchAnswers = () => {
    const id = chatId;
    support
      .simulatorAnswers(id, lastAnswerId(current.current.chat))
      .then((answers) => {
        if (answers.length === 0 || current.current.chatId !== id) return;
        const shown = answers.map((a) => ({ id: a.id, text: t('sim.supportAnswer', { text: a.text }) }));
        setChat((c) => addAnswers(c, shown));
      })
      .catch(() => {
        /* the next change or poll tries again */
      });
  };
  useLiveRefresh(['client'], fetchAnswers);
  useEffect(fetchAnswers, [chatId]);

  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [chat]);

  const send = async (input: Omit<SimulatorInput, 'chat_id' | 'language'>, shown: string | null) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    if (shown !== null) setChat((c) => addUserMessage(c, shown));
    try {
      const answer = await simulator.send({ ...input, chat_id: chatId, language: clientLang });
      setUnavailable(false);
      setChat((c) => applyReplies(c, answer.replies));
      // The server's own text, already in the simulated client's language.
      if (answer.toast) toastInfo(answer.toast);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 405)) setUnavailable(true);
      else {
        setError(describeError(err));
        await showError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    setText('');
    void send({ text: value }, value);
  };

  const shareContact = async () => {
    const phone = await promptText({
      title: t('sim.shareContact'),
      label: t('sim.contactPrompt'),
      value: '+380501234567',
      confirmText: t('sim.send'),
    });
    if (phone === null || !phone.trim()) return;
    void send({ contact_phone: phone.trim() }, t('sim.contactSent', { phone: phone.trim() }));
  };

  const applyChatId = () => {
    const n = Number(chatIdText.trim());
    if (!isSimulatorChatId(n)) {
      void showError(new Error(t('valid.chatId')));
      setChatIdText(String(chatId));
      return;
    }
    if (n !== chatId) {
      setChatId(n);
      setChat(emptyChat);
    }
  };

  const reset = () => {
    const id = newChatId(chatId);
    setChatId(id);
    setChatIdText(String(id));
    setChat(emptyChat);
    setError(null);
  };

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('sim.title')}</h1>
      </div>
      <p className="muted">{t('sim.intro')}</p>
      <div className="sim-controls card">
        <label className="field">
          <span>{t('sim.chatId')}</span>
          <input
            inputMode="numeric"
            value={chatIdText}
            onChange={(e) => setChatIdText(e.target.value)}
            onBlur={applyChatId}
            onKeyDown={(e) => e.key === 'Enter' && applyChatId()}
          />
        </label>
        <label className="field">
          <span>{t('sim.language')}</span>
          <select value={clientLang} onChange={(e) => setClientLang(e.target.value as Lang)}>
            <option value="uk">{t('lang.ukName')}</option>
            <option value="en">{t('lang.enName')}</option>
          </select>
        </label>
        <button type="button" className="btn" onClick={reset}>
          {t('sim.newChat')}
        </button>
      </div>

      {unavailable && (
        <p className="notice" role="alert">
          {t('sim.unavailable')}
        </p>
      )}

      <div className="phone">
        <div className="chat-log" ref={logRef} aria-live="polite">
          {chat.messages.length === 0 && <p className="chat-empty">{t('sim.empty')}</p>}
          {chat.messages.map((m) => (
            <div key={m.key} className={`bubble-row bubble-row-${m.from}`}>
              <div className={`bubble bubble-${m.from}`}>
                <span className="sr-only">{m.from === 'bot' ? t('sim.bot') : t('sim.you')}: </span>
                <div className="bubble-text">{m.text}</div>
                {m.inlineKeyboard && m.inlineKeyboard.length > 0 && (
                  <div className="inline-kb">
                    {m.inlineKeyboard.map((row, i) => (
                      <div className="kb-row" key={i}>
                        {row.map((b, j) => (
                          <button
                            key={`${j}-${b.callback_data}`}
                            type="button"
                            className="kb-btn"
                            disabled={busy}
                            onClick={() => void send({ callback_data: b.callback_data, message_id: m.messageId }, null)}
                          >
                            {b.text}
                          </button>
                        ))}
                      </div>
                    ))}
                  </div>
                )}
              </div>
            </div>
          ))}
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {chat.replyKeyboard && (
          <div className="reply-kb" role="group" aria-label={t('sim.keyboard')}>
            {chat.replyKeyboard.map((row, i) => (
              <div className="kb-row" key={i}>
                {row.map((b, j) => (
                  <button
                    key={`${j}-${b.text}`}
                    type="button"
                    className="kb-btn"
                    disabled={busy}
                    onClick={() => (b.request_contact ? void shareContact() : void send({ text: b.text }, b.text))}
                  >
                    {b.text || (b.request_contact ? t('sim.contactButton', { text: t('sim.shareContact') }) : '')}
                  </button>
                ))}
              </div>
            ))}
          </div>
        )}
        <form className="chat-input" onSubmit={submit}>
          {chat.messages.length === 0 && (
            <button type="button" className="btn" onClick={() => void send({ text: '/start' }, '/start')} disabled={busy}>
              {t('sim.start')}
            </button>
          )}
          <label className="sr-only" htmlFor="sim-text">
            {t('sim.input')}
          </label>
          <input
            id="sim-text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('sim.input')}
            autoComplete="off"
          />
          <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()}>
            {t('sim.send')}
          </button>
        </form>
      </div>
    </section>
  );
}
