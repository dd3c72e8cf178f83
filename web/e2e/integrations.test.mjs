// The integrations on an empty database: the CSV exports (clients and appointments, fetched through the
// page's own links: UTF-8 with a BOM), the clients' CSV import dialog (a dry-run preview with one good
// row and one bad phone, then the import and the new client in the list), the calendar subscription link
// in Settings (the .ics answers 200 text/calendar, then 404 once revoked), and a webhook (added, its
// secret shown once, a booking's delivery labelled on the Notifications page, deleted).
// Screenshots at 1280×900. One step per test, in order; a failed step skips the rest.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  addDays,
  DESKTOP,
  launchBrowser,
  login,
  noSwal,
  screenshotPath,
  snap,
  startServer,
  toastText,
  todayIn,
  waitUntil,
  watchConsole,
  orderedSteps,
} from './harness.mjs';

const DAY = addDays(todayIn(), 2);
const EXPORTED = 'Олена Експортна';
const IMPORTED = 'Тарас Імпортний';
const HOOK_URL = 'http://127.0.0.1:9/hook';

describe('integrations: CSV, calendar feed, webhooks', () => {
  let server;
  let browser;
  let page;
  let con;
  const ids = {};
  let feedUrl = '';

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

  /** Fetches a URL in the page (its cookies, its origin): status, content type, first bytes, text. */
  const fetchInPage = (url) =>
    page.evaluate(async (u) => {
      const r = await fetch(u, { credentials: 'same-origin' });
      const bytes = new Uint8Array(await r.arrayBuffer());
      return {
        status: r.status,
        type: r.headers.get('content-type') ?? '',
        disposition: r.headers.get('content-disposition') ?? '',
        head: [...bytes.slice(0, 3)],
        text: new TextDecoder().decode(bytes),
      };
    }, url);

  before(
    async () => {
      server = await startServer({ privateWebhooks: true }); // the receiver below is on 127.0.0.1
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

  const step = orderedSteps('integrations', () => ({ consoles: [con], pages: { '': page } }));

  step('[1] export the clients as CSV through the page link: a BOM, the client, the search kept', async () => {
    await login(page, server.baseURL);
    const c = await api('POST', '/users', { name: EXPORTED, phone: '+380671112233' });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    ids.client = c.body.id;

    await page.goto(`${server.baseURL}/#/clients`);
    await page.locator('.table tbody td', { hasText: EXPORTED }).waitFor();
    const link = page.locator('.page-head a.export-csv');
    // The panel speaks Ukrainian: the file is for Ukrainian Excel (semicolons, Ukrainian headers).
    assert.equal(await link.getAttribute('href'), '/api/users.csv?lang=uk&delimiter=semicolon');
    assert.notEqual(await link.getAttribute('download'), null, 'a download link');
    const csv = await fetchInPage(await link.getAttribute('href'));
    assert.equal(csv.status, 200);
    assert.match(csv.type, /^text\/csv/);
    assert.match(csv.disposition, /attachment/);
    assert.deepEqual(csv.head, [0xef, 0xbb, 0xbf], 'UTF-8 with a BOM (for Excel)');
    assert.ok(csv.text.includes(EXPORTED), 'the client is in the file');
    assert.ok(csv.text.startsWith("Ім'я;Телефон;"), `Ukrainian headers with semicolons: ${csv.text.slice(0, 60)}`);

    await page.locator('.filters input[type=search]').fill('Олена');
    await waitUntil(async () => (await link.getAttribute('href')) === `/api/users.csv?lang=uk&delimiter=semicolon&q=${encodeURIComponent('Олена')}`, {
      message: 'the search in the export link',
    });
    const searched = await fetchInPage(await link.getAttribute('href'));
    assert.ok(searched.text.includes(EXPORTED));
    await page.locator('.filters input[type=search]').fill('');
  });

  step('[2] the appointments table exports with its filters (all pages)', async () => {
    await page.goto(`${server.baseURL}/#/`);
    const link = page.locator('.filters a.export-csv');
    await link.waitFor();
    // The table starts from today (earliest first), and so does its export.
    const today = todayIn();
    assert.equal(await link.getAttribute('href'), `/api/appointments.csv?lang=uk&delimiter=semicolon&from=${today}`);
    await page.locator('.filters select', { has: page.locator('option[value="confirmed"]') }).selectOption('confirmed');
    await waitUntil(async () => (await link.getAttribute('href')) === `/api/appointments.csv?lang=uk&delimiter=semicolon&from=${today}&status=confirmed`, {
      message: 'the status filter in the export link',
    });
    const csv = await fetchInPage(await link.getAttribute('href'));
    assert.equal(csv.status, 200);
    assert.match(csv.type, /^text\/csv/);
    assert.deepEqual(csv.head, [0xef, 0xbb, 0xbf]);
  });

  step('[3] import a CSV: the preview shows one good row and the bad phone, then the client is listed', async () => {
    await page.goto(`${server.baseURL}/#/clients`);
    await page.locator('.table tbody td', { hasText: EXPORTED }).waitFor();
    await page.locator('.page-head button.import-csv').click();
    const dialog = page.locator('.modal');
    await dialog.waitFor();
    assert.equal(await dialog.locator('.import-submit').isDisabled(), true, 'nothing to import before a file');

    const csv = `name;phone;telegram_id\n${IMPORTED};+380931234567;\nБез телефону;12;\n`;
    await dialog.locator('input[type=file]').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dialog.locator('.import-preview').waitFor();
    assert.match((await dialog.locator('.import-valid-count').textContent()) ?? '', /Готові до імпорту: 1/);
    const rows = dialog.locator('.import-rejected tbody tr');
    assert.equal(await rows.count(), 1);
    assert.equal((await rows.locator('td').first().textContent())?.trim(), '3', 'the line of the bad row');
    assert.match((await rows.locator('td').nth(1).textContent()) ?? '', /phone/);
    assert.equal((await api('GET', `/users?q=${encodeURIComponent(IMPORTED)}`)).body.users.length, 0, 'the preview created nothing');
    const submit = dialog.locator('.import-submit');
    assert.match((await submit.textContent()) ?? '', /1/);
    await snap(page, 'integrations-import-preview-1280x900');

    await submit.click();
    assert.match(await toastText(page), /Імпортовано клієнтів: 1, пропущено рядків: 1/);
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.table tbody td', { hasText: IMPORTED }).waitFor();
    const found = await api('GET', `/users?q=${encodeURIComponent(IMPORTED)}`);
    assert.equal(found.body.users.length, 1);
    assert.equal(found.body.users[0].phone, '+380931234567');
    await noSwal(page);
  });

  step('[4] Settings: create a calendar link, the .ics answers text/calendar; revoke it, then 404', async () => {
    await page.goto(`${server.baseURL}/#/settings`);
    const section = page.locator('section.calendar-feed');
    await section.locator('.feed-state').waitFor();
    assert.match((await section.textContent()) ?? '', /Google/);
    assert.equal(await section.locator('.feed-revoke').count(), 0, 'nothing to revoke yet');
    await section.locator('.feed-create').click();
    const input = section.locator('input[name=feed-url]');
    await input.waitFor();
    feedUrl = await input.inputValue();
    assert.match(feedUrl, new RegExp(`^${server.baseURL.replace(/[.]/g, '\\.')}/calendar/[^/]+\\.ics$`));
    const ics = await fetchInPage(feedUrl);
    assert.equal(ics.status, 200);
    assert.match(ics.type, /^text\/calendar/);
    assert.match(ics.text, /BEGIN:VCALENDAR/);
    await noSwal(page);
    await section.scrollIntoViewIfNeeded();
    await snap(page, 'integrations-calendar-1280x900');

    // "New link" asks first: the old address stops working.
    assert.match((await section.locator('.feed-create').textContent()) ?? '', /Нове посилання/);
    await section.locator('.feed-revoke').click();
    await page.locator('.swal2-popup .swal2-confirm').click();
    assert.match(await toastText(page), /.+/);
    await section.locator('.feed-state').waitFor();
    assert.equal(await input.count(), 0, 'the address is gone');
    con.allow(404, '/calendar/');
    assert.equal((await fetchInPage(feedUrl)).status, 404);
    assert.equal((await api('GET', '/calendar_feed')).body.enabled, false);
    await noSwal(page);
  });

  step('[5] add a webhook: listed, its secret shown once with the signature explained', async () => {
    const section = page.locator('section.webhooks');
    await section.locator('.hooks-empty').waitFor();
    await section.locator('input[name=webhook-url]').fill('ftp://nope');
    await section.locator('.webhook-form button[type=submit]').click();
    await section.locator('.webhook-form .form-error').waitFor();

    await section.locator('input[name=webhook-url]').fill(HOOK_URL);
    await section.locator('input[type=checkbox][value="booking.created"]').check();
    await section.locator('.webhook-form button[type=submit]').click();
    const secret = section.locator('input[name=webhook-secret]');
    await secret.waitFor();
    const value = await secret.inputValue();
    assert.ok(value.length >= 16, 'a secret');
    assert.match((await section.locator('.webhook-secret').textContent()) ?? '', /X-Zapys-Signature: sha256=/);
    const row = section.locator('.webhooks-table tbody tr', { hasText: HOOK_URL });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /booking\.created/);
    const listed = await api('GET', '/webhooks');
    assert.deepEqual(listed.body.webhooks.map((w) => [w.url, w.events]), [[HOOK_URL, ['booking.created']]]);
    ids.hook = listed.body.webhooks[0].id;
    assert.equal(JSON.stringify(listed.body).includes(value), false, 'the list never repeats the secret');
    await noSwal(page);
    await section.scrollIntoViewIfNeeded();
    await snap(page, 'integrations-webhook-secret-1280x900');

    await section.locator('.secret-done').click();
    assert.equal(await secret.count(), 0);
    await page.reload();
    await page.locator('section.webhooks .webhooks-table tbody tr', { hasText: HOOK_URL }).waitFor();
    assert.equal(await page.locator('input[name=webhook-secret]').count(), 0, 'shown only once');
  });

  step('[6] a booking sends a webhook delivery, labelled with its event on the Notifications page', async () => {
    const svc = await api('POST', '/services', { service_name: 'Вебхук-тест', duration_minutes: 60 });
    assert.equal(svc.status, 201, JSON.stringify(svc.body));
    const slot = await api('POST', '/available_dates', { available_date: DAY, available_time: '12:00' });
    assert.equal(slot.status, 201, JSON.stringify(slot.body));
    const appt = await api('POST', '/appointments', { user_id: ids.client, service_id: svc.body.id, date_id: slot.body.id });
    assert.equal(appt.status, 201, JSON.stringify(appt.body));

    await page.goto(`${server.baseURL}/#/notifications`);
    await page.locator('.tabs .tab[data-status="all"]').click();
    const row = page.locator('.notices-table tbody tr', { has: page.locator('code.notice-event', { hasText: 'booking.created' }) });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    assert.match(text, /Вебхук/);
    assert.match(text, new RegExp(`Вебхук №${ids.hook}`));
  });

  step('[7] delete the webhook', async () => {
    await page.goto(`${server.baseURL}/#/settings`);
    const section = page.locator('section.webhooks');
    await section.locator('.webhooks-table tbody tr', { hasText: HOOK_URL }).locator('.webhook-delete').click();
    await page.locator('.swal2-popup .swal2-confirm').click();
    assert.match(await toastText(page), /.+/);
    await section.locator('.hooks-empty').waitFor();
    assert.deepEqual((await api('GET', '/webhooks')).body.webhooks, []);
  });
});
