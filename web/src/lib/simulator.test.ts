import { describe, expect, it } from 'vitest';
import type { BotReply } from '../api/types';
import {
  SIMULATOR_MIN_CHAT_ID,
  addAnswers,
  addUserMessage,
  applyReplies,
  emptyChat,
  isSimulatorChatId,
  lastAnswerId,
  newChatId,
} from './simulator';

const reply = (over: Partial<BotReply>): BotReply => ({
  message_id: 1,
  text: 'Привіт',
  edit: false,
  inline_keyboard: null,
  reply_keyboard: null,
  remove_keyboard: false,
  ...over,
});

describe('applyReplies', () => {
  it('appends new bot messages after the user message', () => {
    let s = addUserMessage(emptyChat, '/start');
    s = applyReplies(s, [reply({ message_id: 10, text: 'Вітаємо!' }), reply({ message_id: 11, text: 'Ваше ім’я?' })]);
    expect(s.messages.map((m) => [m.from, m.text])).toEqual([
      ['user', '/start'],
      ['bot', 'Вітаємо!'],
      ['bot', 'Ваше ім’я?'],
    ]);
    expect(new Set(s.messages.map((m) => m.key)).size).toBe(3);
  });

  it('replaces an edited message in place, with its new keyboard', () => {
    let s = applyReplies(emptyChat, [
      reply({ message_id: 5, text: 'Оберіть послугу', inline_keyboard: [[{ text: 'Стрижка', callback_data: 's:1' }]] }),
    ]);
    s = applyReplies(s, [
      reply({ message_id: 5, edit: true, text: 'Оберіть день', inline_keyboard: [[{ text: '‹', callback_data: 'm:-1' }]] }),
    ]);
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]?.text).toBe('Оберіть день');
    expect(s.messages[0]?.inlineKeyboard?.[0]?.[0]?.callback_data).toBe('m:-1');
  });

  it('appends an edit of an unknown message', () => {
    const s = applyReplies(emptyChat, [reply({ message_id: 99, edit: true, text: 'x' })]);
    expect(s.messages).toHaveLength(1);
  });

  it('sets and removes the reply keyboard', () => {
    const kb = [[{ text: 'Записатись', request_contact: false }], [{ text: 'Поділитися', request_contact: true }]];
    let s = applyReplies(emptyChat, [reply({ reply_keyboard: kb })]);
    expect(s.replyKeyboard).toEqual(kb);
    s = applyReplies(s, [reply({ message_id: 2 })]);
    expect(s.replyKeyboard).toEqual(kb);
    s = applyReplies(s, [reply({ message_id: 3, remove_keyboard: true })]);
    expect(s.replyKeyboard).toBeNull();
  });
});

describe('newChatId', () => {
  it('picks a different id in the simulator range, which no real Telegram user has', () => {
    const id = newChatId(SIMULATOR_MIN_CHAT_ID + 1, () => 0.5);
    expect(id).toBe(SIMULATOR_MIN_CHAT_ID + 5_500_000);
    expect(newChatId(id, () => 0.5)).toBe(id + 1);
    expect(isSimulatorChatId(id)).toBe(true);
  });

  it('refuses ids a real client could have', () => {
    expect(isSimulatorChatId(555001)).toBe(false);
    expect(isSimulatorChatId(SIMULATOR_MIN_CHAT_ID - 1)).toBe(false);
    expect(isSimulatorChatId(Number.MAX_SAFE_INTEGER + 2)).toBe(false);
  });
});

// --- support ---
describe('the business’s answers in the simulator', () => {
  it('are shown once each, after what is there, and the newest id is remembered', () => {
    let s = addUserMessage(emptyChat, 'Написати нам');
    s = addAnswers(s, [{ id: 7, text: 'Так' }]);
    s = addAnswers(s, [{ id: 7, text: 'Так' }, { id: 9, text: 'Чекаємо' }]);
    expect(s.messages.map((m) => [m.from, m.text])).toEqual([
      ['user', 'Написати нам'],
      ['bot', 'Так'],
      ['bot', 'Чекаємо'],
    ]);
    expect(lastAnswerId(s)).toBe(9);
    expect(lastAnswerId(emptyChat)).toBe(0);
  });
});
