// The Telegram bot in Settings, as pure pieces: the pasted token cleaned and checked for its shape
// (the server checks it with Telegram), what the section shows for where the token comes from, the
// bot's t.me link, and the words for the last failed connect.
import type { TelegramInfo } from '../api/types';
import type { MessageKey } from '../i18n/uk';
import type { Validated } from './validation';

/** A bot token as @BotFather gives it: 1–20 digits, ':', then 30–100 of A-Z a-z 0-9 _ - (as the server checks). */
export const BOT_TOKEN_RE = /^\d{1,20}:[A-Za-z0-9_-]{30,100}$/;

/** Whether the bot answers clients: a token is in use and Telegram neither refused it nor its webhook. */
export function botWorks(s: Pick<TelegramInfo, 'configured' | 'problem'>): boolean {
  return s.configured && s.problem !== 'token_refused' && s.problem !== 'webhook_refused';
}

/** The pasted token without the spaces and line breaks a copy from a chat may bring along. */
export function cleanBotToken(raw: string): string {
  return raw.replace(/\s+/g, '');
}

export function validateBotToken(raw: string): Validated<string> {
  const token = cleanBotToken(raw);
  if (token === '') return { ok: false, problems: [{ key: 'valid.required', field: 'telegram.tokenLabel' }] };
  if (!BOT_TOKEN_RE.test(token)) return { ok: false, problems: [{ key: 'valid.botToken' }] };
  return { ok: true, value: token };
}

/**
 * What the section offers: `environment`: the server's TELEGRAM_BOT_TOKEN (it wins; nothing to change
 * here); `settings`: a token pasted here (disconnect, replace); `none`: how to get one, and its input.
 */
export type TelegramView = 'environment' | 'settings' | 'none';

export function telegramView(s: Pick<TelegramInfo, 'source'>): TelegramView {
  return s.source === 'environment' || s.source === 'settings' ? s.source : 'none';
}

/** https://t.me/<username>, or null for a name Telegram would not give a bot. */
export function botLink(username: string | null | undefined): string | null {
  return username && /^[A-Za-z0-9_]{3,64}$/.test(username) ? `https://t.me/${username}` : null;
}

/** The bot's name as the owner knows it (`@zapys_test_bot`), or null when the server sent none. */
export function botHandle(username: string | null | undefined): string | null {
  const name = username?.trim().replace(/^@/, '');
  return name ? `@${name}` : null;
}

/** The last failed connect in words: what happened, and what to do (here, or on the server). */
export function telegramProblemKeys(s: Pick<TelegramInfo, 'problem' | 'source'>): { what: MessageKey; todo: MessageKey } | null {
  if (!s.problem) return null;
  const onServer = s.source === 'environment';
  switch (s.problem) {
    case 'token_refused':
      return { what: 'telegram.problem.token_refused', todo: onServer ? 'telegram.todo.token_refused.server' : 'telegram.todo.token_refused.here' };
    case 'unreachable':
      return { what: 'telegram.problem.unreachable', todo: onServer ? 'telegram.todo.unreachable.server' : 'telegram.todo.unreachable.here' };
    case 'webhook_refused':
      return { what: 'telegram.problem.webhook_refused', todo: 'telegram.todo.webhook_refused' };
    default:
      // A reason this panel does not know yet.
      return { what: 'telegram.problem.other', todo: onServer ? 'telegram.todo.other.server' : 'telegram.todo.other.here' };
  }
}
