// @vitest-environment happy-dom
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Settings, TelegramInfo } from '../api/types';
import { AppContext } from '../lib/context';
import { flush, inAct, render } from '../lib/render.test-helper';
import TelegramSection from './TelegramSection';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const NONE: TelegramInfo = { configured: false, mode: 'none', bot_username: null, source: 'none', problem: null };
const SAVED: TelegramInfo = { configured: true, mode: 'polling', bot_username: 'zapys_test_bot', source: 'settings', problem: null };
const ENV: TelegramInfo = { ...SAVED, source: 'environment' };

const api = vi.hoisted(() => ({
  get: vi.fn<() => Promise<TelegramInfo>>(),
  connect: vi.fn<(token: string) => Promise<TelegramInfo>>(),
  disconnect: vi.fn<() => Promise<TelegramInfo>>(),
}));
vi.mock('../api', () => ({ settings: { telegram: api } }));

const seen = vi.hoisted(() => ({ toasts: [] as string[], errors: [] as unknown[], confirm: true, confirmed: 0 }));
vi.mock('../lib/notify', () => ({
  toastSuccess: (text: string) => void seen.toasts.push(text),
  showError: async (err: unknown) => void seen.errors.push(err),
  confirmDialog: async () => {
    seen.confirmed += 1;
    return seen.confirm;
  },
}));

afterEach(() => {
  vi.clearAllMocks();
  seen.toasts.length = 0;
  seen.errors.length = 0;
  seen.confirm = true;
  seen.confirmed = 0;
});

let current: Settings | null = null;
/** The section in an app context whose settings follow what it sets (like App does). */
function WithSettings({ telegram }: { telegram: TelegramInfo }) {
  const [settings, setSettings] = useState<Settings>({ telegram } as Settings);
  current = settings;
  return (
    <AppContext.Provider value={{ user: { username: 'admin' }, settings, setSettings, timeZone: 'Europe/Kyiv', liveMode: 'live' }}>
      <TelegramSection />
    </AppContext.Provider>
  );
}

const $ = <E extends Element = HTMLElement>(root: HTMLElement, selector: string) => root.querySelector<E>(selector);

async function type(input: HTMLInputElement, value: string) {
  await inAct(() => {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit(form: HTMLFormElement) {
  await inAct(() => void form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
  await flush();
}

describe('TelegramSection', () => {
  it('without a bot: the how-to and a password input; a badly shaped token is not sent', async () => {
    const r = await render(<WithSettings telegram={NONE} />);
    expect($(r.container, '.telegram-steps')!.textContent).toContain('/newbot');
    expect($(r.container, 'a[href="https://t.me/BotFather"]')).not.toBeNull();
    const input = $<HTMLInputElement>(r.container, 'input[name=telegram-token]')!;
    expect(input.type).toBe('password');
    expect(input.getAttribute('autocomplete')).toBe('off');
    expect($(r.container, '.telegram-disconnect')).toBeNull();

    await type(input, 'not-a-token');
    await submit($<HTMLFormElement>(r.container, 'form.telegram-form')!);
    expect(api.connect).not.toHaveBeenCalled();
    expect($(r.container, '.form-error')!.textContent).toContain('не схоже на токен бота');
    await r.unmount();
  });

  it('connects with the pasted token, forgets it and shows the bot the server answered', async () => {
    api.connect.mockResolvedValue(SAVED);
    const r = await render(<WithSettings telegram={NONE} />);
    await type($<HTMLInputElement>(r.container, 'input[name=telegram-token]')!, `  ${TOKEN}\n`);
    await submit($<HTMLFormElement>(r.container, 'form.telegram-form')!);
    expect(api.connect).toHaveBeenCalledWith(TOKEN);
    expect(seen.toasts).toEqual(['Бота @zapys_test_bot підключено']);
    expect(current?.telegram).toEqual(SAVED);
    const link = $<HTMLAnchorElement>(r.container, '.telegram-username a')!;
    expect(link.textContent).toBe('@zapys_test_bot');
    expect(link.getAttribute('href')).toBe('https://t.me/zapys_test_bot');
    expect($(r.container, 'input[name=telegram-token]')).toBeNull();
    // Replacing opens an empty input: the token sent before is kept nowhere.
    await inAct(() => $(r.container, '.telegram-replace')!.click());
    expect($<HTMLInputElement>(r.container, 'input[name=telegram-token]')!.value).toBe('');
    await r.unmount();
  });

  it('after a refused token: the error shown, the input kept, the status asked again', async () => {
    const refused = Object.assign(new Error('refused'), { status: 422, code: 'telegram_token_refused' });
    api.connect.mockRejectedValue(refused);
    api.get.mockResolvedValue({ ...NONE, problem: 'token_refused' });
    const r = await render(<WithSettings telegram={NONE} />);
    const input = $<HTMLInputElement>(r.container, 'input[name=telegram-token]')!;
    await type(input, TOKEN);
    await submit($<HTMLFormElement>(r.container, 'form.telegram-form')!);
    expect(seen.errors).toEqual([refused]);
    expect(api.get).toHaveBeenCalledTimes(1);
    await flush();
    expect(input.value).toBe(TOKEN);
    expect($(r.container, '.telegram-problem')!.textContent).toContain('@BotFather');
    await r.unmount();
  });

  it('disconnects only after the confirmation, then offers the input again', async () => {
    api.disconnect.mockResolvedValue(NONE);
    const r = await render(<WithSettings telegram={SAVED} />);
    seen.confirm = false;
    await inAct(() => $(r.container, '.telegram-disconnect')!.click());
    await flush();
    expect(seen.confirmed).toBe(1);
    expect(api.disconnect).not.toHaveBeenCalled();

    seen.confirm = true;
    await inAct(() => $(r.container, '.telegram-disconnect')!.click());
    await flush();
    expect(api.disconnect).toHaveBeenCalledTimes(1);
    expect(seen.toasts).toEqual(['Бота від’єднано']);
    expect(current?.telegram).toEqual(NONE);
    expect($(r.container, 'input[name=telegram-token]')).not.toBeNull();
    await r.unmount();
  });

  it('with TELEGRAM_BOT_TOKEN on the server: the bot shown, nothing to change', async () => {
    const r = await render(<WithSettings telegram={ENV} />);
    expect($(r.container, '.telegram-username')!.textContent).toBe('@zapys_test_bot');
    expect($(r.container, '.telegram-source')!.textContent).toContain('TELEGRAM_BOT_TOKEN');
    expect($(r.container, 'input[name=telegram-token]')).toBeNull();
    expect($(r.container, '.telegram-disconnect')).toBeNull();
    expect($(r.container, '.telegram-replace')).toBeNull();
    await r.unmount();
  });

  it('a saved token that stopped working: what to do, the input at once, and disconnect', async () => {
    const r = await render(<WithSettings telegram={{ ...SAVED, bot_username: null, mode: 'none', problem: 'token_refused' }} />);
    expect($(r.container, '.telegram-problem')!.textContent).toContain('вставте його тут');
    expect($(r.container, 'input[name=telegram-token]')).not.toBeNull();
    expect($(r.container, '.telegram-disconnect')).not.toBeNull();
    await r.unmount();
  });
});
