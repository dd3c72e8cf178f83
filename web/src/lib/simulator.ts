// The simulator's chat as pure state: applying the bot's replies to what the screen shows.
import type { BotReply, InlineButton, ReplyButton } from '../api/types';

export interface ChatMessage {
  /** Unique key for React. */
  key: string;
  from: 'bot' | 'user';
  text: string;
  /** The bot's message id (edits replace the message with the same id). */
  messageId?: number;
  inlineKeyboard?: InlineButton[][] | null;
}

export interface ChatState {
  messages: ChatMessage[];
  replyKeyboard: ReplyButton[][] | null;
  counter: number;
}

export const emptyChat: ChatState = { messages: [], replyKeyboard: null, counter: 0 };

export function addUserMessage(state: ChatState, text: string): ChatState {
  const counter = state.counter + 1;
  return { ...state, counter, messages: [...state.messages, { key: `u${counter}`, from: 'user', text }] };
}

/** Applies the bot's replies in order: new messages are appended, edits replace in place. */
export function applyReplies(state: ChatState, replies: BotReply[]): ChatState {
  let { messages, replyKeyboard, counter } = state;
  messages = messages.slice();
  for (const r of replies) {
    const index = r.edit ? messages.findIndex((m) => m.from === 'bot' && m.messageId === r.message_id) : -1;
    if (index >= 0) {
      const old = messages[index] as ChatMessage;
      messages[index] = { ...old, text: r.text, inlineKeyboard: r.inline_keyboard };
    } else {
      counter += 1;
      messages.push({
        key: `b${counter}`,
        from: 'bot',
        text: r.text,
        messageId: r.message_id,
        inlineKeyboard: r.inline_keyboard,
      });
    }
    if (r.remove_keyboard) replyKeyboard = null;
    if (r.reply_keyboard && r.reply_keyboard.length > 0) replyKeyboard = r.reply_keyboard;
  }
  return { messages, replyKeyboard, counter };
}

/** A fresh simulated client id, different from the current one. */
/**
 * Simulated clients' chat ids: from 2^52 (above every real Telegram user id, so the simulator can
 * never act as a real client; the server refuses anything else) to 2^53 − 1 (exact in JavaScript).
 */
export const SIMULATOR_MIN_CHAT_ID = 2 ** 52;
export const SIMULATOR_MAX_CHAT_ID = Number.MAX_SAFE_INTEGER;

export function isSimulatorChatId(n: number): boolean {
  return Number.isSafeInteger(n) && n >= SIMULATOR_MIN_CHAT_ID && n <= SIMULATOR_MAX_CHAT_ID;
}

/** A new simulated client's chat id, different from the current one. */
export function newChatId(current: number, random: () => number = Math.random): number {
  for (let i = 0; i < 10; i++) {
    const id = SIMULATOR_MIN_CHAT_ID + 1_000_000 + Math.floor(random() * 9_000_000);
    if (id !== current) return id;
  }
  return current + 1;
}

// --- support ---
/** The business's answers (to «Написати нам») as bot messages, each once, in the order given. */
export function addAnswers(state: ChatState, answers: { id: number; text: string }[]): ChatState {
  const shown = new Set(state.messages.map((m) => m.key));
  const fresh = answers.filter((a) => !shown.has(`s${a.id}`));
  if (fresh.length === 0) return state;
  const added: ChatMessage[] = fresh.map((a) => ({ key: `s${a.id}`, from: 'bot', text: a.text }));
  return { ...state, messages: [...state.messages, ...added] };
}

/** The largest answer id shown, to ask only for newer ones. */
export function lastAnswerId(state: ChatState): number {
  return state.messages.reduce((max, m) => {
    const id = m.key.startsWith('s') ? Number(m.key.slice(1)) : 0;
    return Number.isFinite(id) && id > max ? id : max;
  }, 0);
}
