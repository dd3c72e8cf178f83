// The Telegram bot connected from Settings, against the fake Bot API (`zapys-fake-telegram`, its bot
// @zapys_test_bot), on an empty database at 1280×900 (and a 390×844 screenshot): a token of the right
// shape that Telegram does not know is refused in words (the fake saw `refused getme`, nothing saved);
// the fake's token connects (while it checks, the button says so; the panel shows @zapys_test_bot
// linked to t.me, the input is gone; the fake saw getMe, then the start of polling); a reload
// keeps it (saved on the server); «Від’єднати бота» after a confirmation shows the input again.
// One step per test, in order; a failed step skips the rest.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  apiClient,
  DESKTOP,
  launchBrowser,
  login,
  noSwal,
  orderedSteps,
  PHONE,
  snap,
  startFakeTelegram,
  startServer,
  toastText,
  waitUntil,
  watchConsole,
} from './harness.mjs';

/** The fake's token: the only one its Bot API knows. */
const FAKE_TOKEN = '7000000001:AAFakeTokenForZapysBrowserTests_0123456';
/** Shaped like a bot token (digits, ':', 30+ of [A-Za-z0-9_-]), but not the fake's. */
const WRONG_TOKEN = '7000000002:AAWrongTokenNobodyKnowsAtAll_000000000';
const BOT = '@zapys_test_bot';

describe('the Telegram bot token in Settings', () => {
  let fake;
  let server;
  let browser;
  let page;
  let con;
  let api;

  before(
    async () => {
      fake = await startFakeTelegram(FAKE_TOKEN);
      server = await startServer({ telegramApiUrl: fake.apiUrl });
      browser = await launchBrowser({ viewport: DESKTOP });
      page = browser.context.pages()[0] ?? (await browser.context.newPage());
      con = watchConsole(page);
      api = apiClient(browser.context, server.baseURL);
    },
    { timeout: 60_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
    await fake?.stop();
  });

  const step = orderedSteps('telegram', () => ({ consoles: [con], pages: { '': page } }));
  const section = () => page.locator('section.telegram');
  const input = () => section().locator('input[name=telegram-token]');
  const connectButton = () => section().locator('button.telegram-connect');
  const status = async () => {
    const r = await api('GET', '/settings/telegram');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };

  async function openSettings() {
    await page.goto(`${server.baseURL}/#/settings`);
    await page.reload(); // a fresh document: what the server has now
    await page.locator('form.settings-form').waitFor();
    await section().waitFor();
  }

  step('[1] Settings without a bot: not connected, how to get a token from @BotFather, a password input', async () => {
    await login(page, server.baseURL);
    await openSettings();
    const fresh = await status();
    assert.deepEqual([fresh.configured, fresh.source, fresh.bot_username ?? null, fresh.problem ?? null], [false, 'none', null, null]);
    assert.match((await section().locator('.telegram-state').textContent()) ?? '', /Бота не підключено/);
    const steps = (await section().locator('.telegram-steps').textContent()) ?? '';
    assert.match(steps, /@BotFather/);
    assert.match(steps, /\/newbot/);
    assert.equal(await section().locator('.telegram-steps a').getAttribute('href'), 'https://t.me/BotFather');
    assert.equal(await input().getAttribute('type'), 'password');
    assert.equal(await input().getAttribute('autocomplete'), 'off');
    assert.equal((await connectButton().textContent())?.trim(), 'Перевірити і підключити');
    assert.equal(await section().locator('.telegram-disconnect').count(), 0);
    // The old advice (set TELEGRAM_BOT_TOKEN and restart) is gone.
    assert.doesNotMatch((await section().textContent()) ?? '', /TELEGRAM_BOT_TOKEN/);
  });

  step('[2] a token Telegram does not know: "checking" while it runs, then refused in words; nothing saved', async () => {
    // Chromium logs the 422 answer as a failed resource load: expected here.
    con.allow(422, '/api/settings/telegram');
    // Hold the answer back a little, so the button's "checking" text can be seen.
    let release;
    const held = new Promise((r) => (release = r));
    await page.route('**/api/settings/telegram', async (route) => {
      if (route.request().method() === 'PUT') await held;
      await route.continue();
    });
    await input().fill(WRONG_TOKEN);
    await connectButton().click();
    await waitUntil(async () => (await connectButton().textContent())?.trim() === 'Перевіряємо в Telegram…', {
      message: 'the button to say it is checking',
    });
    assert.equal(await connectButton().isDisabled(), true, 'no second send while it checks');
    release();

    const popup = page.locator('.swal2-popup');
    await popup.waitFor();
    assert.match((await popup.textContent()) ?? '', /Telegram не знає цього токена/);
    await fake.waitForCall('refused getMe');
    assert.equal(fake.calls().includes('call getme'), false, 'the wrong token never passed');
    await snap(page, 'telegram-refused-1280x900');
    await popup.locator('.swal2-confirm').click();
    await noSwal(page);
    await page.unroute('**/api/settings/telegram');

    const now = await status();
    assert.equal(now.configured, false);
    assert.equal(now.source, 'none', 'nothing saved');
    assert.equal((await connectButton().textContent())?.trim(), 'Перевірити і підключити');
    assert.equal(await input().inputValue(), WRONG_TOKEN, 'the owner can fix what they pasted');
  });

  step('[3] the fake\'s token connects: @zapys_test_bot shown and linked, the input cleared; getMe, then polling', async () => {
    const before = fake.calls().length;
    await input().fill(FAKE_TOKEN);
    await connectButton().click();
    assert.match(await toastText(page), /@zapys_test_bot/);

    const username = section().locator('.telegram-username');
    await username.waitFor();
    assert.equal((await username.textContent())?.trim(), BOT);
    assert.equal(await username.locator('a').getAttribute('href'), 'https://t.me/zapys_test_bot');
    assert.match((await section().locator('.telegram-state').textContent()) ?? '', /Бот підключено/);
    assert.match((await section().locator('.telegram-mode').textContent()) ?? '', /long polling/);
    assert.ok(await section().locator('.telegram-disconnect').isVisible());
    assert.equal(await input().count(), 0, 'no token input once connected');
    assert.equal((await page.content()).includes(FAKE_TOKEN), false, 'the token is not kept in the page');

    // Polling begins by removing any webhook (`deleteWebhook`), then long-polls `getUpdates`, which the
    // fake prints only once a poll ends (up to 25 s later); the first is the proof the bot polls.
    const getMe = await fake.waitForCall('getMe', 10_000, before);
    const polling = await fake.waitForCall('deleteWebhook', 10_000, getMe + 1);
    assert.ok(polling > getMe, `getMe before polling: ${fake.calls().join(', ')}`);

    const now = await status();
    assert.equal(now.configured, true);
    assert.equal(now.source, 'settings');
    assert.equal(now.bot_username, 'zapys_test_bot');
    assert.equal(now.mode, 'polling');
    assert.equal(now.problem, null);
    assert.equal(JSON.stringify(now).includes(FAKE_TOKEN), false, 'the server never answers the token');

    await noSwal(page);
    await snap(page, 'telegram-connected-1280x900', { fullPage: true });
    await page.setViewportSize(PHONE);
    await section().scrollIntoViewIfNeeded();
    assert.equal(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      true,
      'no sideways scrolling on a phone',
    );
    await snap(page, 'telegram-connected-390x844');
    await page.setViewportSize(DESKTOP);
  });

  step('[4] a reload keeps the bot (saved on the server)', async () => {
    await openSettings();
    const username = section().locator('.telegram-username');
    await username.waitFor();
    assert.equal((await username.textContent())?.trim(), BOT);
    assert.match((await section().locator('.telegram-source').textContent()) ?? '', /зашифрованим/);
    assert.equal(await input().count(), 0);
    assert.ok(await section().locator('.telegram-disconnect').isVisible());
  });

  step('[5] «Від’єднати бота» after a confirmation: not connected, the input again', async () => {
    const disconnect = section().locator('.telegram-disconnect');
    assert.match((await disconnect.textContent()) ?? '', /Від.єднати бота/);

    // Cancelled first: nothing changes.
    await disconnect.click();
    const popup = page.locator('.swal2-popup');
    await popup.waitFor();
    assert.match((await popup.textContent()) ?? '', /перестане відповідати клієнтам/);
    await popup.locator('.swal2-cancel').click();
    await noSwal(page);
    assert.equal((await status()).configured, true, 'a cancelled confirmation changes nothing');

    await disconnect.click();
    await popup.waitFor();
    await popup.locator('.swal2-confirm').click();
    assert.match(await toastText(page), /від’єднано/);
    await input().waitFor();
    assert.match((await section().locator('.telegram-state').textContent()) ?? '', /Бота не підключено/);
    assert.equal(await section().locator('.telegram-username').count(), 0);
    assert.equal(await input().inputValue(), '', 'an empty input');
    assert.equal((await connectButton().textContent())?.trim(), 'Перевірити і підключити');

    const now = await status();
    assert.equal(now.configured, false);
    assert.equal(now.source, 'none');
    await noSwal(page);
    await snap(page, 'telegram-disconnected-1280x900', { fullPage: true });

    // Still so after a reload.
    await openSettings();
    await input().waitFor();
    assert.match((await section().locator('.telegram-state').textContent()) ?? '', /Бота не підключено/);
  });
});
