// Settings' newer pieces on an empty database: the booking horizon (out of range refused before saving;
// saved and kept after a reload), the API tokens (a "read" token created, listed with its scope, shown
// once, working as a Bearer token, revoked after a confirmation and refused from then on) and a webhook
// that sends the client's name (its personal field shown in the table and kept by the server).
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
  startServer,
  toastText,
  waitUntil,
  watchConsole,
} from './harness.mjs';

const HOOK_URL = 'http://127.0.0.1:9/personal-hook';
const TOKEN_NAME = 'crm-read';

describe('settings: booking horizon, API tokens, webhook personal fields', () => {
  let server;
  let browser;
  let page;
  let con;
  let api;
  let token = '';

  /** A request with a Bearer token only (no session cookie): what an integration does. */
  const withToken = async (path) =>
    (await fetch(`${server.baseURL}/api${path}`, { headers: { Authorization: `Bearer ${token}` } })).status;

  before(
    async () => {
      server = await startServer({ privateWebhooks: true }); // the webhook receiver below is on 127.0.0.1
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
  });

  const step = orderedSteps('settings', () => ({ consoles: [con], pages: { '': page } }));
  const horizon = () => page.locator('input[name=booking_horizon_days]');
  const save = () => page.locator('form.settings-form button[type=submit]').click();

  step('[1] the booking horizon: 365 by default, 0 refused before saving, 30 saved and kept after a reload', async () => {
    await login(page, server.baseURL);
    await page.goto(`${server.baseURL}/#/settings`);
    await page.locator('form.settings-form').waitFor();
    await waitUntil(async () => (await horizon().inputValue()) === '365', { message: 'the default horizon' });
    assert.match((await page.locator('#horizon-hint').textContent()) ?? '', /не пропонується і не приймається/);

    await horizon().fill('0');
    await save();
    const error = page.locator('.settings-form .form-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /від 1 до 3650/);
    assert.equal((await api('GET', '/settings')).body.booking_horizon_days, 365, 'nothing was saved');

    await horizon().fill('30');
    await save();
    assert.ok((await toastText(page)).length > 0, 'a toast confirms the save');
    await error.waitFor({ state: 'detached' });
    assert.equal((await api('GET', '/settings')).body.booking_horizon_days, 30);

    await noSwal(page);
    await page.reload();
    await page.locator('form.settings-form').waitFor();
    await waitUntil(async () => (await horizon().inputValue()) === '30', { message: 'the horizon kept after a reload' });
  });

  step('[2] create a "read" API token: listed with its scope, shown once, working as a Bearer token', async () => {
    const section = page.locator('section.api-tokens');
    await section.locator('.tokens-empty').waitFor();
    await section.locator('.token-form button[type=submit]').click();
    await section.locator('.token-form .form-error').waitFor(); // a name is needed

    await section.locator('input[name=token-name]').fill(TOKEN_NAME);
    await section.locator('input[name=token-scope][value=read]').check();
    await section.locator('.token-form button[type=submit]').click();
    const shown = section.locator('input[name=api-token]');
    await shown.waitFor();
    token = await shown.inputValue();
    assert.ok(token.length >= 16, 'a token');

    const row = section.locator('.tokens-table tbody tr', { hasText: TOKEN_NAME });
    await row.waitFor();
    assert.equal((await row.locator('.token-scope').textContent())?.trim(), 'Лише читання');
    const listed = await api('GET', '/tokens');
    assert.deepEqual(
      listed.body.tokens.map((k) => [k.name, k.scope]),
      [[TOKEN_NAME, 'read']],
    );
    assert.equal(JSON.stringify(listed.body).includes(token), false, 'the list never repeats the token');
    assert.equal(await withToken('/services'), 200, 'the token reads');

    await noSwal(page);
    await section.locator('.token-done').click();
    assert.equal(await shown.count(), 0);
    await page.reload();
    await page.locator('section.api-tokens .tokens-table tbody tr', { hasText: TOKEN_NAME }).waitFor();
    assert.equal(await page.locator('input[name=api-token]').count(), 0, 'shown only once');
  });

  step('[3] revoke the token after a confirmation: gone from the list, refused from then on', async () => {
    const section = page.locator('section.api-tokens');
    await section.locator('.tokens-table tbody tr', { hasText: TOKEN_NAME }).locator('.token-revoke').click();
    const popup = page.locator('.swal2-popup');
    await popup.waitFor();
    assert.match((await popup.textContent()) ?? '', new RegExp(TOKEN_NAME));
    await popup.locator('.swal2-confirm').click();
    assert.match(await toastText(page), /.+/);
    await section.locator('.tokens-empty').waitFor();
    assert.deepEqual((await api('GET', '/tokens')).body.tokens, []);
    assert.equal(await withToken('/services'), 401, 'a revoked token is refused');
    await noSwal(page);
  });

  step("[4] a webhook that sends the client's name: the field shown in the table and kept by the server", async () => {
    const section = page.locator('section.webhooks');
    await section.locator('.hooks-empty').waitFor();
    assert.match((await section.locator('#webhook-url-hint').textContent()) ?? '', /https:\/\//);
    assert.match((await section.locator('#webhook-personal-hint').textContent()) ?? '', /залишають Zapys/);

    await section.locator('input[name=webhook-url]').fill(HOOK_URL);
    await section.locator('input[name=webhook-client_name]').check();
    await section.locator('.webhook-form button[type=submit]').click();
    await section.locator('input[name=webhook-secret]').waitFor();
    const row = section.locator('.webhooks-table tbody tr', { hasText: HOOK_URL });
    await row.waitFor();
    assert.equal((await row.locator('.webhook-personal').textContent())?.trim(), 'ім’я');
    assert.equal(await section.locator('input[name=webhook-client_name]').isChecked(), false, 'the form is cleared');

    const listed = await api('GET', '/webhooks');
    assert.deepEqual(
      listed.body.webhooks.map((w) => [w.url, w.personal_fields]),
      [[HOOK_URL, ['client_name']]],
    );
    await noSwal(page);
    await page.reload();
    const kept = page.locator('section.webhooks .webhooks-table tbody tr', { hasText: HOOK_URL });
    await kept.waitFor();
    assert.equal((await kept.locator('.webhook-personal').textContent())?.trim(), 'ім’я');
  });
});
