// User-supplied text is never markup. Any Telegram user chooses their own name, so a client named
// `<img src=x onerror=window.__xss=1>` (and a service and booking notes with the same text) is opened
// in every dialog that shows it: the delete confirmations of Clients and Services (SweetAlert2, whose
// `title` renders HTML), the client's history and edit form, the appointment's details dialog. The text
// shows as text, no <img> element is ever created from it, and window.__xss stays undefined.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, apiClient, launchBrowser, login, noSwal, startServer, todayIn, watchConsole } from './harness.mjs';

const PAYLOAD = '<img src=x onerror=window.__xss=1>';
const DAY = addDays(todayIn(), 1);

describe('user-supplied text is rendered as text only', () => {
  let server;
  let browser;
  let page;
  let con;
  let api;

  before(
    async () => {
      server = await startServer();
      browser = await launchBrowser();
      page = await browser.context.newPage();
      // Records every <img> that ever enters the document, from the first script on.
      await page.addInitScript(() => {
        window.__imgs = [];
        new MutationObserver((records) => {
          for (const r of records) {
            for (const n of r.addedNodes) {
              if (n.nodeType !== 1) continue;
              const imgs = n.tagName === 'IMG' ? [n] : [...n.querySelectorAll('img')];
              // (SweetAlert2's own empty, hidden `img.swal2-image` is part of every popup)
              for (const img of imgs) if (!img.classList.contains('swal2-image')) window.__imgs.push(img.outerHTML);
            }
          }
        }).observe(document, { childList: true, subtree: true });
      });
      con = watchConsole(page);
      api = apiClient(browser.context, server.baseURL);
    },
    { timeout: 60_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Nothing was injected so far. */
  async function assertNoInjection(where) {
    const { imgs, xss } = await page.evaluate(() => ({ imgs: window.__imgs, xss: window.__xss }));
    assert.deepEqual(imgs, [], `${where}: an <img> was created`);
    assert.equal(xss, undefined, `${where}: the payload ran`);
  }

  test('a client, a service and notes named with HTML show as text in every dialog', { timeout: 90_000 }, async () => {
    await login(page, server.baseURL);

    const service = await api('POST', '/services', { service_name: PAYLOAD, duration_minutes: 60, price: 300 });
    assert.equal(service.status, 201, JSON.stringify(service.body));
    const slot = await api('POST', '/available_dates', { available_date: DAY, available_time: '10:00' });
    assert.equal(slot.status, 201, JSON.stringify(slot.body));
    const client = await api('POST', '/users', { name: PAYLOAD, phone: '+380501234567' });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    const booked = await api('POST', '/appointments', {
      user_id: client.body.id,
      service_id: service.body.id,
      date_id: slot.body.id,
      notes: PAYLOAD,
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));

    // Clients: the list, the delete confirmation (SweetAlert2 title), the history, the edit form.
    await page.goto(`${server.baseURL}/#/clients`);
    const row = page.locator('.table tbody tr', { hasText: PAYLOAD });
    await row.waitFor();
    await row.locator('.btn-danger').click();
    const confirm = page.locator('.swal2-popup');
    await confirm.waitFor();
    assert.match((await confirm.locator('.swal2-title').textContent()) ?? '', /<img src=x onerror=window\.__xss=1>/);
    await confirm.locator('.swal2-cancel').click();
    await noSwal(page);
    await assertNoInjection('clients: delete confirmation');

    await row.locator('td button.link').click();
    const history = page.locator('.modal');
    await history.waitFor();
    assert.match((await history.locator('h2, .modal-title').first().textContent()) ?? '', /<img src=x/);
    await page.keyboard.press('Escape');
    await history.waitFor({ state: 'detached' });
    await row.locator('.btn', { hasText: 'Змінити' }).click();
    await page.locator('.modal input').first().waitFor();
    assert.equal(await page.locator('.modal input').first().inputValue(), PAYLOAD);
    await page.keyboard.press('Escape');
    await assertNoInjection('clients: history and edit form');

    // Services: the list and the delete confirmation.
    await page.goto(`${server.baseURL}/#/services`);
    const srow = page.locator('.table tbody tr', { hasText: PAYLOAD });
    await srow.waitFor();
    await srow.locator('.btn-danger').click();
    await confirm.waitFor();
    assert.match((await confirm.locator('.swal2-title').textContent()) ?? '', /<img src=x/);
    await confirm.locator('.swal2-cancel').click();
    await noSwal(page);
    await assertNoInjection('services: delete confirmation');

    // Home: the appointment's details dialog (client, service and notes).
    await page.goto(`${server.baseURL}/#/`);
    const arow = page.locator('.card .table tbody tr', { hasText: PAYLOAD });
    await arow.waitFor();
    await arow.locator('td button.link').click();
    const details = page.locator('.swal2-popup.appt-popup');
    await details.waitFor();
    const cells = await details.locator('table.details td').allTextContents();
    assert.equal(cells.filter((c) => c === PAYLOAD).length, 3, `client, service and notes as text: ${JSON.stringify(cells)}`);
    await page.keyboard.press('Escape');
    await noSwal(page);
    await assertNoInjection('home: appointment details');

    con.assertClean('the dialogs');
  });
});
