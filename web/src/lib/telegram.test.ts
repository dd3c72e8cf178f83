import { describe, expect, it } from 'vitest';
import { TELEGRAM_PROBLEMS } from '../api/types';
import { en } from '../i18n/en';
import { uk } from '../i18n/uk';
import { BOT_TOKEN_RE, botHandle, botWorks, botLink, cleanBotToken, telegramProblemKeys, telegramView, validateBotToken } from './telegram';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

describe('the pasted bot token', () => {
  it('is taken without the spaces and line breaks a copy brings along', () => {
    expect(cleanBotToken(`  ${TOKEN}\n`)).toBe(TOKEN);
    expect(cleanBotToken('123456789: AAH dqT\tcv')).toBe('123456789:AAHdqTcv');
    expect(validateBotToken(` ${TOKEN} \r\n`)).toEqual({ ok: true, value: TOKEN });
  });

  it('must be shaped like one: 1–20 digits, a colon, 30–100 of A-Z a-z 0-9 _ - (as the server checks)', () => {
    expect(BOT_TOKEN_RE.test(`1:${'a'.repeat(30)}`)).toBe(true);
    expect(BOT_TOKEN_RE.test(`1:${'a'.repeat(29)}`)).toBe(false);
    expect(BOT_TOKEN_RE.test(`1:${'a'.repeat(100)}`)).toBe(true);
    expect(BOT_TOKEN_RE.test(`1:${'a'.repeat(101)}`)).toBe(false);
    expect(BOT_TOKEN_RE.test(`${'1'.repeat(21)}:${'a'.repeat(35)}`)).toBe(false);
    expect(BOT_TOKEN_RE.test(`1:${'A_b-9'.repeat(8)}`)).toBe(true);
    for (const wrong of [
      'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', // no bot id
      `:${'a'.repeat(35)}`,
      `12a:${'a'.repeat(35)}`,
      `123:${'a'.repeat(34)}!`,
      `bot${TOKEN}`,
      `https://api.telegram.org/bot${TOKEN}/getMe`,
    ]) {
      expect(validateBotToken(wrong), wrong).toEqual({ ok: false, problems: [{ key: 'valid.botToken' }] });
    }
  });

  it('is asked for when empty', () => {
    expect(validateBotToken('  \n')).toEqual({ ok: false, problems: [{ key: 'valid.required', field: 'telegram.tokenLabel' }] });
  });
});

describe('what the section offers', () => {
  it('follows where the token comes from', () => {
    expect(telegramView({ source: 'environment' })).toBe('environment');
    expect(telegramView({ source: 'settings' })).toBe('settings');
    expect(telegramView({ source: 'none' })).toBe('none');
    // A source this panel does not know: the input, as with none (the server refuses what it must).
    expect(telegramView({ source: 'vault' as never })).toBe('none');
  });
});

describe("the bot's name and link", () => {
  it('links to t.me for a bot username', () => {
    expect(botLink('zapys_test_bot')).toBe('https://t.me/zapys_test_bot');
    expect(botHandle('zapys_test_bot')).toBe('@zapys_test_bot');
    expect(botHandle('@zapys_test_bot')).toBe('@zapys_test_bot');
  });

  it('has no link for a missing or odd name', () => {
    expect(botLink(null)).toBeNull();
    expect(botLink('')).toBeNull();
    expect(botLink('evil/../x')).toBeNull();
    expect(botLink('a b')).toBeNull();
    expect(botHandle(null)).toBeNull();
    expect(botHandle('  ')).toBeNull();
  });
});

describe('the last failed connect in words', () => {
  it('says nothing when nothing failed', () => {
    expect(telegramProblemKeys({ problem: null, source: 'settings' })).toBeNull();
  });

  it('tells the owner what to do where they can do it: here, or on the server', () => {
    expect(telegramProblemKeys({ problem: 'token_refused', source: 'settings' })).toEqual({
      what: 'telegram.problem.token_refused',
      todo: 'telegram.todo.token_refused.here',
    });
    expect(telegramProblemKeys({ problem: 'token_refused', source: 'environment' })?.todo).toBe('telegram.todo.token_refused.server');
    expect(telegramProblemKeys({ problem: 'unreachable', source: 'none' })?.todo).toBe('telegram.todo.unreachable.here');
    expect(telegramProblemKeys({ problem: 'unreachable', source: 'environment' })?.todo).toBe('telegram.todo.unreachable.server');
    expect(telegramProblemKeys({ problem: 'webhook_refused', source: 'settings' })?.todo).toBe('telegram.todo.webhook_refused');
  });

  it('words every problem the server names, and an unknown one, in both languages', () => {
    for (const problem of [...TELEGRAM_PROBLEMS, 'brand_new' as never]) {
      for (const source of ['environment', 'settings', 'none'] as const) {
        const keys = telegramProblemKeys({ problem, source });
        expect(keys, problem).not.toBeNull();
        for (const key of [keys!.what, keys!.todo]) {
          expect(uk[key], key).toBeTruthy();
          expect(en[key], key).toBeTruthy();
        }
      }
    }
    expect(telegramProblemKeys({ problem: 'brand_new' as never, source: 'settings' })?.what).toBe('telegram.problem.other');
  });
});

describe('whether the bot works', () => {
  it('needs a token Telegram accepted, and its webhook when there is one', () => {
    expect(botWorks({ configured: true, problem: null })).toBe(true);
    expect(botWorks({ configured: true, problem: 'unreachable' })).toBe(true); // it keeps trying
    expect(botWorks({ configured: true, problem: 'token_refused' })).toBe(false);
    expect(botWorks({ configured: true, problem: 'webhook_refused' })).toBe(false);
    expect(botWorks({ configured: false, problem: null })).toBe(false);
  });
});
