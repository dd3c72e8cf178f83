// The two new notice settings and the Notifications page, on an empty database without Telegram:
// the thank-you and the auto-cancel time survive a save and a reload (and the API agrees); the
// Notifications page explains itself while empty; a confirmation made through the API queues a notice
// for a client with a Telegram id, which the server marks "skipped" (no Telegram connection) and the
// open page counts live; the "skipped" filter shows it, with its reason and a link to the booking.
// Screenshots at 1280×900 and 390×844. One step per test, in order; a failed step skips the rest.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  addDays,
  DESKTOP,
  launchBrowser,
  login,
  noSwal,
  PHONE,
  screenshotPath,
  snap,
  startServer,
  toastText,
  todayIn,
  waitUntil,
  watchConsole,
  orderedSteps,
} from './harness.mjs';

const DAY = addDays(todayIn(), 1); // tomorrow, business time
const SKIP_REASON = 'no Telegram connection';

describe('notice settings and the notifications page', () => {
  let server;
  let browser;
  let page;
  let con;
  const ids = {};

  /** A JSON API call with the browser context's cookies (same session as the page). */
  async function api(method, path, body) {
    const r = await browser.context.request.fetch(`${server.baseURL}/api${path}`, {
      method,
      data: body === undefined ? undefined : body,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    });
    const text = await r.text();
    return { status: r.status(), body: text ? JSON.parse(text) : null };
  }

  /** How far the page scrolls sideways. */
  const overflow = () =>
    page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth);

  const tabCount = async (status) =>
    (await page.locator(`.tabs .tab[data-status="${status}"] .tab-count`).textContent())?.trim();

  before(
    async () => {
      server = await startServer();
      browser = await launchBrowser({ viewport: DESKTOP });
      page = browser.context.pages()[0] ?? (await browser.context.newPage());
      con = watchConsole(page);
    },
    { timeout: 60_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const step = orderedSteps('notifications', () => ({ consoles: [con], pages: { '': page } }));

  step('[1] log in; Settings shows the defaults: two reminders, no thank-you, auto-cancel off', async () => {
    await login(page, server.baseURL);
    await page.goto(`${server.baseURL}/#/settings`);
    await page.locator('form.settings-form').waitFor();
    const amounts = page.locator('.reminder-row input[type=number]');
    await waitUntil(async () => (await amounts.count()) === 2, { message: 'two reminder rows' });
    assert.deepEqual(await amounts.evaluateAll((els) => els.map((e) => e.value)), ['24', '2']);
    assert.deepEqual(await page.locator('.reminder-row select').evaluateAll((els) => els.map((e) => e.value)), ['hours', 'hours']);
    assert.equal(await page.locator('input[name=thank_you]').isChecked(), false);
    assert.equal(await page.locator('input[name=auto_cancel_enabled]').isChecked(), false);
    assert.equal(await page.locator('input[name=auto_cancel-amount]').isDisabled(), true, 'the time is greyed out while off');
  });

  step('[2] an auto-cancel time out of range is refused before saving', async () => {
    await page.locator('input[name=auto_cancel_enabled]').check();
    await page.locator('select[name=auto_cancel-unit]').selectOption('minutes');
    await page.locator('input[name=auto_cancel-amount]').fill('3');
    await page.locator('form.settings-form button[type=submit]').click();
    const error = page.locator('.settings-form .form-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /Автоскасування/);
    const s = await api('GET', '/settings');
    assert.equal(s.body.auto_cancel_pending_minutes, null, 'nothing was saved');
  });

  step('[3] turn on the thank-you and auto-cancel at 180 minutes, save, reload: both kept', async () => {
    await page.locator('input[name=thank_you]').check();
    await page.locator('input[name=auto_cancel-amount]').fill('180');
    await page.locator('form.settings-form button[type=submit]').click();
    assert.ok((await toastText(page)).length > 0, 'a toast confirms the save');
    await page.locator('.settings-form .form-error').waitFor({ state: 'detached' });

    const s = await api('GET', '/settings');
    assert.equal(s.status, 200);
    assert.equal(s.body.thank_you, true);
    assert.equal(s.body.auto_cancel_pending_minutes, 180);
    assert.deepEqual(s.body.reminder_offsets_minutes, [1440, 120], 'the reminders are unchanged');

    await noSwal(page);
    await page.reload();
    await page.locator('form.settings-form').waitFor();
    await waitUntil(() => page.locator('input[name=thank_you]').isChecked(), { message: 'the thank-you checked after a reload' });
    assert.equal(await page.locator('input[name=auto_cancel_enabled]').isChecked(), true);
    // 180 minutes come back as whole hours.
    assert.equal(await page.locator('input[name=auto_cancel-amount]').inputValue(), '3');
    assert.equal(await page.locator('select[name=auto_cancel-unit]').inputValue(), 'hours');
    assert.equal(await page.locator('input[name=auto_cancel-amount]').isDisabled(), false);
  });

  step('[4] the Notifications page is in the menu and explains itself while empty', async () => {
    await page.locator('#sidebar a[href="#/notifications"]').click();
    await page.locator('.page-head h1', { hasText: 'Сповіщення' }).waitFor();
    const empty = page.locator('.empty-state');
    await empty.waitFor();
    assert.match((await empty.textContent()) ?? '', /Повідомлення, які бот надсилає сам: нагадування, підтвердження, скасування/);
    assert.equal(await page.locator('.tabs .tab[aria-pressed=true]').getAttribute('data-status'), 'all', 'opens on every notice');
    assert.match((await page.locator('p.notice').textContent()) ?? '', /Telegram не підключено/);
    await waitUntil(async () => (await tabCount('all')) === '0', { message: 'the counts' });
    await snap(page, 'notifications-empty-1280x900', { fullPage: true });
  });

  step('[5] a booking confirmed through the API queues a notice; the open page counts it as skipped, live', async () => {
    const service = await api('POST', '/services', { service_name: 'Манікюр E2E', duration_minutes: 60 });
    assert.equal(service.status, 201, JSON.stringify(service.body));
    const slot = await api('POST', '/available_dates', { available_date: DAY, available_time: '11:00' });
    assert.equal(slot.status, 201, JSON.stringify(slot.body));
    const client = await api('POST', '/users', { name: 'Марта Телеграмна', phone: '+380671234567', telegram_id: 700100200 });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    const booked = await api('POST', '/appointments', { user_id: client.body.id, service_id: service.body.id, date_id: slot.body.id });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    ids.appointment = booked.body.id;
    const confirmed = await api('POST', `/appointments/${ids.appointment}/confirm`, {});
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));

    // No reload: the `notice` event refreshes the counts.
    await waitUntil(async () => Number(await tabCount('skipped')) >= 1, { message: 'the skipped count to go up live' });
    assert.equal(await tabCount('failed'), '0');

    const list = await api('GET', '/notifications?status=skipped');
    assert.equal(list.status, 200);
    const notice = list.body.notifications.find((n) => n.appointment_id === ids.appointment && n.kind === 'confirmed');
    assert.ok(notice, `a "confirmed" notice for the booking: ${JSON.stringify(list.body)}`);
    assert.equal(notice.last_error, SKIP_REASON);
    ids.notice = notice.id;
  });

  step('[6] the "skipped" filter shows the notice with its reason, times and a link to the booking', async () => {
    await page.locator('.tabs .tab[data-status=skipped]').click();
    const row = page.locator(`.notices-table tbody tr[data-id="${ids.notice}"]`);
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    assert.match(text, /Запис підтверджено/);
    // The client by name, the booking by its client and time (not "№N"), the reason in the owner's words.
    await waitUntil(async () => /Клієнт: Марта Телеграмна/.test((await row.textContent()) ?? ''), { message: 'the client named' });
    const named = (await row.textContent()) ?? '';
    assert.match(named, new RegExp(`Марта Телеграмна, ${DAY.slice(8, 10)}\\.${DAY.slice(5, 7)}\\.${DAY.slice(0, 4)},? 11:00`), named);
    assert.ok(!named.includes(`№${ids.appointment}`), 'no bare booking number');
    assert.match(text, /Пропущено/);
    assert.match(named, /Бот не підключений до Telegram/, 'the reason in Ukrainian with what to do');
    assert.equal(await row.locator('.notice-error [title]').getAttribute('title'), `Відповідь сервера: ${SKIP_REASON}`);
    assert.match(text, /\d{2}\.\d{2}\.\d{4}/, 'created/finished times shown');
    assert.equal(await row.locator('.btn-retry').count(), 0, 'no retry for a skipped notice');

    // The booking link opens its details.
    await row.locator('button.link').click();
    const title = page.locator('.swal2-popup .swal2-title');
    await title.waitFor();
    assert.equal((await title.textContent())?.trim(), `Запис №${ids.appointment}`);
    assert.match((await page.locator('.swal2-popup').textContent()) ?? '', /Марта Телеграмна/);
    await page.keyboard.press('Escape');
    await noSwal(page);

    await snap(page, 'notifications-skipped-1280x900', { fullPage: true });
    assert.equal(await overflow(), 0, 'no sideways scrolling at 1280×900');
  });

  step('[7] on a phone the rows become cards, nothing scrolls sideways', async () => {
    await page.setViewportSize(PHONE);
    const row = page.locator(`.notices-table tbody tr[data-id="${ids.notice}"]`);
    await row.waitFor();
    await page.waitForTimeout(250);
    assert.equal(await page.locator('.notices-table thead').isVisible(), false, 'no table head on a phone');
    const label = await row.locator('td[data-label]').first().evaluate((el) => getComputedStyle(el, '::before').content);
    assert.notEqual(label, 'none', 'each cell carries its label');
    await snap(page, 'notifications-skipped-390x844', { fullPage: true });
    assert.equal(await overflow(), 0, 'no sideways scrolling at 390×844');

    // The settings form fits the phone too.
    await page.goto(`${server.baseURL}/#/settings`);
    await page.locator('form.settings-form .reminder-row').first().waitFor();
    assert.equal(await overflow(), 0, 'the settings page does not scroll sideways at 390×844');
    await page.setViewportSize(DESKTOP);
  });
});
