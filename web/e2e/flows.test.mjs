// The admin panel's main flows in a real browser against the real server, one step per test, in
// order: each step builds on the data the previous ones made. A failed step skips the rest.
//
// Dates: everything happens "tomorrow" in the business's zone (Europe/Kyiv), so every time used is
// in the future whatever the wall clock says; the calendar is navigated to that day.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  addDays,
  launchBrowser,
  login,
  PASSWORD,
  snap,
  showDate,
  startServer,
  toastText,
  todayIn,
  trackRequests,
  waitUntil,
  watchConsole,
  orderedSteps,
} from './harness.mjs';

const DAY = addDays(todayIn(), 1); // tomorrow, business time
const SERVICE = 'Стрижка E2E';
const CLIENT = 'Олена Тестова';
const OTHER_CLIENT = 'Іван Інший';
const REASON = 'Клієнтка захворіла';
const CONFIRMED_BG = 'rgb(46, 125, 85)'; // STATUS_COLOURS.confirmed.background
const PENDING_BG = 'rgb(246, 196, 83)'; // STATUS_COLOURS.pending.background

describe('admin panel flows', () => {
  let server;
  let browser;
  let page;
  let con;
  let net;
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

  async function getAppointment(id) {
    const r = await api('GET', `/appointments/${id}`);
    assert.equal(r.status, 200, `GET /api/appointments/${id}`);
    return r.body;
  }

  /** A calendar event of the test day with this text (in the time grid or the month grid). */
  const eventIn = (cell, text) => page.locator(`${cell} .fc-event`, { hasText: text });
  const weekEvent = (text) => eventIn(`.fc-timegrid-col[data-date="${DAY}"]`, text);

  async function useView(button, cell) {
    await page.locator(`.fc .fc-${button}-button`).click();
    await showDate(page, cell);
  }

  /** Drags the event from its first half-hour to the time-grid lane of `time` in the test day's column. */
  async function dragEventTo(event, time) {
    await net.settle(); // no calendar refetch may land mid-drag
    await event.scrollIntoViewIfNeeded();
    const lane = page.locator(`.fc-timegrid-slot-lane[data-time="${time}:00"]`);
    await lane.scrollIntoViewIfNeeded();
    const ev = await event.boundingBox();
    const col = await page.locator(`.fc-timegrid-col[data-date="${DAY}"]`).boundingBox();
    const target = await lane.boundingBox();
    assert.ok(ev && col && target, 'event, column and lane are on screen');
    const grab = { x: ev.x + ev.width / 2, y: ev.y + 6 };
    const drop = { x: col.x + col.width / 2, y: target.y + 6 };
    await page.mouse.move(grab.x, grab.y);
    await page.mouse.down();
    await page.mouse.move(grab.x, grab.y + 8, { steps: 4 }); // past FullCalendar's drag threshold
    await page.mouse.move(drop.x, drop.y, { steps: 15 });
    await page.mouse.up();
  }

  /** The top of the lane of `time` and of the event, to see where the event sits. */
  async function eventSitsAt(event, time) {
    const lane = await page.locator(`.fc-timegrid-slot-lane[data-time="${time}:00"]`).boundingBox();
    const ev = await event.boundingBox();
    return lane && ev && Math.abs(ev.y - lane.y) <= 3;
  }

  before(
    async () => {
      server = await startServer();
      browser = await launchBrowser();
      page = browser.context.pages()[0] ?? (await browser.context.newPage());
      con = watchConsole(page);
      net = trackRequests(page, '/api/');
    },
    { timeout: 60_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const step = orderedSteps('flows', () => ({ consoles: [con], pages: { '': page } }));

  step('[1] log in: a wrong password shows an error, the right one enters, a reload keeps the session, logout returns to login', async () => {
    await page.goto(`${server.baseURL}/#/`);
    const form = page.locator('.login-card');
    await form.waitFor();

    con.allow(401, '/api/auth/login');
    await form.locator('input[name=username]').fill('admin');
    await form.locator('input[name=password]').fill('not-the-password');
    await form.locator('button[type=submit]').click();
    const error = form.locator('.form-error[role=alert]');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /Не вдалося увійти:\s*\S/);
    await snap(page, 'flow-login-error-1280x900');

    await form.locator('input[name=password]').fill(PASSWORD);
    await form.locator('button[type=submit]').click();
    await page.locator('.shell .topbar .user-name').waitFor();
    assert.equal(await page.locator('.topbar .user-name').textContent(), 'admin');

    await page.reload();
    await page.locator('.shell .topbar .user-name').waitFor();
    assert.equal(await page.locator('.login-card').count(), 0, 'still signed in after a reload');

    await page.locator('.topbar-right button.btn-ghost').click(); // "Вийти"
    await form.waitFor();
    assert.equal((await api('GET', '/auth/me')).body.authenticated, false, 'the session is gone on the server too');
    await page.reload();
    await form.waitFor();

    await login(page, server.baseURL);
  });

  step('[2] add a service through the Services page form', async () => {
    await page.goto(`${server.baseURL}/#/services`);
    await page.locator('.page-head .btn-primary').click();
    const modal = page.locator('.modal');
    await modal.waitFor();
    await modal.getByLabel('Назва').fill(SERVICE);
    await modal.getByLabel('Тривалість, хв').fill('60');
    await modal.getByLabel('Ціна, грн').fill('450');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/services') && r.request().method() === 'POST');
    await modal.locator('button[type=submit]').click();
    assert.equal((await created).status(), 201);
    assert.ok((await toastText(page)).length > 0);
    await modal.waitFor({ state: 'detached' });
    await page.locator('.table tbody tr', { hasText: SERVICE }).waitFor();

    const list = await api('GET', '/services');
    const s = list.body.services.find((x) => x.service_name === SERVICE);
    assert.ok(s, 'the service is stored');
    assert.equal(s.duration_minutes, 60);
    assert.equal(s.price, 450);
    ids.service = s.id;
  });

  step('[3] generate free times from working hours (next 7 days, Mon–Sun, 09:00–17:00, 60 min) and see them listed', async () => {
    await page.goto(`${server.baseURL}/#/slots`);
    const form = page.locator('form', { has: page.locator('fieldset.weekdays') });
    await form.waitFor();
    await form.getByLabel('З дати').fill(DAY);
    await form.getByLabel('По дату').fill(addDays(DAY, 6));
    const days = form.locator('fieldset.weekdays input[type=checkbox]');
    assert.equal(await days.count(), 7);
    for (let i = 0; i < 7; i++) await days.nth(i).check();
    await form.getByLabel('Початок дня').fill('09:00');
    await form.getByLabel('Кінець дня').fill('17:00');
    await form.getByLabel('Крок, хв').fill('60');
    const generated = page.waitForResponse((r) => r.url().endsWith('/api/available_dates/generate'));
    await form.locator('button[type=submit]').click();
    const res = await generated;
    assert.equal(res.status(), 201);
    const body = await res.json();
    assert.equal(body.created, 7 * 8, '8 times a day (09:00…16:00) for 7 days');
    assert.equal(body.skipped, 0);
    assert.match(await toastText(page), /56/);

    for (let i = 0; i < 7; i++) {
      const date = addDays(DAY, i);
      const section = page.locator('section.slot-day', { has: page.locator(`h3[id="day-${date}"]`) });
      await waitUntil(async () => (await section.locator('li.slot').count()) === 8, { message: `8 times listed on ${date}` });
      assert.equal(await section.locator('.slot-time').first().textContent(), '09:00');
      assert.equal(await section.locator('.slot-time').last().textContent(), '16:00');
      assert.equal(await section.locator('.slot-reserved').count(), 0);
    }
  });

  step('[4] add a client on the Clients page, then an appointment from Home (client → service → a free time)', async () => {
    await page.goto(`${server.baseURL}/#/clients`);
    await page.locator('.page-head .btn-primary').click();
    let modal = page.locator('.modal');
    await modal.getByLabel('Ім’я').fill(CLIENT);
    await modal.getByLabel('Телефон').fill('+380 50 111 22 33');
    await modal.locator('button[type=submit]').click();
    await toastText(page);
    await modal.waitFor({ state: 'detached' });
    await page.locator('.table tbody tr', { hasText: CLIENT }).waitFor();
    const found = await api('GET', `/users?q=${encodeURIComponent(CLIENT)}`);
    const client = found.body.users.find((u) => u.name === CLIENT);
    assert.ok(client, 'the client is stored');
    assert.equal(client.phone, '+380501112233', 'the phone is stored normalised');
    ids.client = client.id;

    const slots = await api('GET', `/available_dates?from=${DAY}&to=${DAY}`);
    const at10 = slots.body.available_dates.find((s) => s.available_time === '10:00');
    assert.ok(at10, 'a free time at 10:00 tomorrow');

    await page.goto(`${server.baseURL}/#/`);
    await page.locator('.page-head .btn-primary').click();
    modal = page.locator('.modal');
    await modal.locator('input[type=search]').fill('Олена');
    const clientSelect = modal.locator('.client-picker select');
    await clientSelect.locator(`option[value="${client.id}"]`).waitFor({ state: 'attached' });
    await clientSelect.selectOption(String(client.id));
    await modal.locator('select').nth(1).selectOption(String(ids.service));
    const slotSelect = modal.locator('select').nth(2);
    await slotSelect.locator(`option[value="${at10.id}"]`).waitFor({ state: 'attached' });
    await slotSelect.selectOption(String(at10.id));
    const created = page.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
    await modal.locator('button[type=submit]').click();
    const res = await created;
    assert.equal(res.status(), 201);
    ids.appointment = (await res.json()).id;
    assert.equal(await toastText(page), 'Запис створено');
    await modal.waitFor({ state: 'detached' });

    const a = await getAppointment(ids.appointment);
    assert.equal(a.start, `${DAY}T10:00:00`);
    assert.equal(a.end, `${DAY}T11:00:00`);
    assert.equal(a.title, CLIENT);
    assert.equal(a.status_name, 'pending');
  });

  step("[5] the appointment shows in the calendar's month, week and day views", async () => {
    await page.locator('.fc').waitFor();
    // Week view is the default on a desktop.
    await showDate(page, `.fc-timegrid-col[data-date="${DAY}"]`);
    const week = weekEvent(CLIENT);
    await week.waitFor();
    assert.match((await week.textContent()) ?? '', /10:00/);
    assert.match((await week.textContent()) ?? '', new RegExp(SERVICE));
    // (the live refetch after the booking may replace the element meanwhile: read it once they settled;
    // a detached element has no computed style)
    await net.settle();
    assert.equal(await week.evaluate((el) => getComputedStyle(el).backgroundColor), PENDING_BG);
    await snap(page, 'flow-week-1280x900');

    await useView('dayGridMonth', `.fc-daygrid-day[data-date="${DAY}"]`);
    await eventIn(`.fc-daygrid-day[data-date="${DAY}"]`, CLIENT).waitFor();
    await snap(page, 'flow-month-1280x900');

    await useView('timeGridDay', `.fc-timegrid-col[data-date="${DAY}"]`);
    assert.equal(await page.locator('.fc-timegrid-col[data-date]').count(), 1, 'day view shows one day');
    await weekEvent(CLIENT).waitFor();
    await snap(page, 'flow-day-1280x900');

    await useView('timeGridWeek', `.fc-timegrid-col[data-date="${DAY}"]`);
    assert.equal(await page.locator('.fc-timegrid-col[data-date]').count(), 7, 'week view shows seven days');
    await weekEvent(CLIENT).waitFor();
  });

  step("[6] confirm it from the event's details dialog", async () => {
    await net.settle();
    await weekEvent(CLIENT).click();
    const popup = page.locator('.swal2-popup.appt-popup');
    await popup.waitFor();
    assert.match((await popup.textContent()) ?? '', new RegExp(CLIENT));
    assert.match((await popup.textContent()) ?? '', /\+380501112233/);
    await popup.locator('.badge-pending').waitFor();
    await snap(page, 'flow-details-1280x900');
    const confirmed = page.waitForResponse((r) => r.url().endsWith(`/api/appointments/${ids.appointment}/confirm`));
    await popup.locator('button[data-action=confirm]').click();
    assert.equal((await confirmed).status(), 200);
    await toastText(page);

    const ev = weekEvent(CLIENT);
    await page.locator(`.fc-timegrid-col[data-date="${DAY}"] .fc-event.ev-confirmed`, { hasText: CLIENT }).waitFor();
    // (the refetches after the change may replace the element meanwhile: read it once they settled)
    await net.settle();
    assert.equal(await ev.evaluate((el) => getComputedStyle(el).backgroundColor), CONFIRMED_BG);
    assert.equal((await getAppointment(ids.appointment)).status_name, 'confirmed');

    // The dialog now shows the new status and no "confirm" button.
    await net.settle();
    await ev.click();
    await page.locator('.swal2-popup.appt-popup .badge-confirmed').waitFor();
    assert.equal(await page.locator('.swal2-popup button[data-action=confirm]').count(), 0);
    await page.locator('.swal2-popup .swal2-close').click();
    await page.locator('.swal2-popup.appt-popup').waitFor({ state: 'detached' });
  });

  step('[7] move it by drag and drop in week view to another free time (13:00)', async () => {
    const ev = weekEvent(CLIENT);
    await dragEventTo(ev, '13:00');
    const dialog = page.locator('.swal2-popup');
    await dialog.locator('.swal2-confirm').waitFor();
    assert.match((await dialog.textContent()) ?? '', /13:00/);
    const moved = page.waitForResponse(
      (r) => r.url().endsWith(`/api/appointments/${ids.appointment}`) && r.request().method() === 'PUT',
    );
    await dialog.locator('.swal2-confirm').click();
    assert.equal((await moved).status(), 200);
    await toastText(page);

    const a = await getAppointment(ids.appointment);
    assert.equal(a.start, `${DAY}T13:00:00`, 'the server has the new time');
    assert.equal(a.end, `${DAY}T14:00:00`);
    await waitUntil(() => eventSitsAt(weekEvent(CLIENT), '13:00'), { message: 'the event at 13:00' });
    assert.match((await weekEvent(CLIENT).textContent()) ?? '', /13:00/);

    // The old time is free again, the new one reserved.
    const slots = (await api('GET', `/available_dates?from=${DAY}&to=${DAY}`)).body.available_dates;
    assert.equal(slots.find((s) => s.available_time === '10:00')?.is_appointments, 0);
    assert.equal(slots.find((s) => s.available_time === '13:00')?.is_appointments, 1);
  });

  step('[10] live update: a booking made through the REST API appears in the open calendar without a reload', async () => {
    // (The same through the bot simulator, clicking its buttons, is in simulator.test.mjs.)
    await page.locator('.live-dot.live-live').waitFor();
    await page.evaluate(() => {
      window.__e2eNoReload = true;
    });
    const client = await api('POST', '/users', { name: OTHER_CLIENT, phone: '+380671234567' });
    assert.equal(client.status, 201);
    ids.other = client.body.id;
    const slots = (await api('GET', `/available_dates?from=${DAY}&to=${DAY}`)).body.available_dates;
    const at15 = slots.find((s) => s.available_time === '15:00');
    const booked = await api('POST', '/appointments', { user_id: ids.other, service_id: ids.service, date_id: at15.id });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    ids.otherAppointment = booked.body.id;

    await weekEvent(OTHER_CLIENT).waitFor({ timeout: 10_000 });
    assert.ok(await eventSitsAt(weekEvent(OTHER_CLIENT), '15:00'));
    assert.equal(await page.evaluate(() => window.__e2eNoReload), true, 'the page was not reloaded');
    // The table below the calendar has it too.
    await page.locator('.table tbody tr', { hasText: OTHER_CLIENT }).waitFor();
  });

  step('[8] a conflict: dropping onto a taken time shows the translated error of the server’s code and the event snaps back', async () => {
    const ev = weekEvent(CLIENT);
    await dragEventTo(ev, '15:00');
    const dialog = page.locator('.swal2-popup');
    await dialog.locator('.swal2-confirm').waitFor();
    assert.match((await dialog.textContent()) ?? '', /15:00/);
    con.allow(409, `/api/appointments/${ids.appointment}`);
    const refused = page.waitForResponse(
      (r) => r.url().endsWith(`/api/appointments/${ids.appointment}`) && r.request().method() === 'PUT',
    );
    await dialog.locator('.swal2-confirm').click();
    const res = await refused;
    assert.equal(res.status(), 409);
    const body = await res.json();
    assert.ok(body.error, 'the server explains the conflict');

    // The panel shows its own translation of the server's code (a server without codes: the generic
    // text of a 409), never the server's English text.
    const expected =
      body.code === 'time_taken'
        ? 'Цей час уже зайнятий. Виберіть інший.'
        : 'Дію не виконано: дані змінилися. Оновіть сторінку і спробуйте ще раз.';
    const error = page.locator('.swal2-popup.swal2-icon-error');
    await error.waitFor();
    const shown = (await error.locator('.swal2-html-container').textContent())?.trim();
    assert.equal(shown, expected);
    assert.ok(!shown.includes(body.error), 'the server text is not shown in Ukrainian');
    await snap(page, 'flow-conflict-1280x900');
    await error.locator('.swal2-confirm').click();
    await error.waitFor({ state: 'detached' });

    assert.ok(await eventSitsAt(weekEvent(CLIENT), '13:00'), 'the event is back at 13:00');
    assert.equal((await getAppointment(ids.appointment)).start, `${DAY}T13:00:00`);
  });

  step('[9] cancel it with a reason', async () => {
    await net.settle();
    await weekEvent(CLIENT).click();
    const details = page.locator('.swal2-popup.appt-popup');
    await details.locator('button[data-action=cancel]').click();
    const prompt = page.locator('.swal2-popup', { has: page.locator('input.swal2-input') });
    await prompt.waitFor();
    await prompt.locator('input.swal2-input').fill(REASON);
    const cancelled = page.waitForResponse((r) => r.url().endsWith(`/api/appointments/${ids.appointment}/cancel`));
    await prompt.locator('.swal2-confirm').click();
    assert.equal((await cancelled).status(), 200);
    await toastText(page);

    const a = await getAppointment(ids.appointment);
    assert.equal(a.status_name, 'cancelled');
    assert.equal(a.cancel_reason, REASON);
    // Cancelled ones leave the calendar unless asked for; then they show faded.
    await weekEvent(CLIENT).waitFor({ state: 'detached' });
    await page.locator('.calendar-wrap .toolbar input[type=checkbox]').check();
    await page.locator(`.fc-timegrid-col[data-date="${DAY}"] .fc-event.ev-cancelled`, { hasText: CLIENT }).waitFor();
    await page.locator('.calendar-wrap .toolbar input[type=checkbox]').uncheck();
    // The other booking still stands.
    await weekEvent(OTHER_CLIENT).waitFor();
  });

  step('[11] the English switch changes the texts', async () => {
    const services = page.locator('#sidebar a[href="#/services"]');
    assert.equal((await services.textContent())?.trim(), 'Послуги');
    await page.locator('.topbar .lang-switch button[lang=en]').click();
    await waitUntil(async () => (await services.textContent())?.trim() === 'Services', { message: '"Services" in the menu' });
    assert.equal((await page.locator('.page-head h1').textContent())?.trim(), 'Appointment calendar');
    assert.equal((await page.locator('.fc .fc-today-button').textContent())?.trim().toLowerCase(), 'today');
    await snap(page, 'flow-english-1280x900');

    // The choice is remembered across a reload.
    await page.reload();
    await page.locator('.shell .topbar').waitFor();
    assert.equal((await services.textContent())?.trim(), 'Services');

    await page.locator('.topbar .lang-switch button[lang=uk]').click();
    await waitUntil(async () => (await services.textContent())?.trim() === 'Послуги', { message: 'Ukrainian again' });
  });

  step('[13] no console errors during the flows (only the provoked 401s and 409 were logged)', async () => {
    // Every step above already failed on anything unexpected; this one also reloads every page once.
    for (const route of ['', 'services', 'slots', 'clients', 'notifications', 'settings', 'simulator']) {
      await page.goto(`${server.baseURL}/#/${route}`);
      await page.locator('.page h1').waitFor();
      await page.waitForTimeout(300);
    }
    assert.deepEqual(con.problems, []);
  });
});
