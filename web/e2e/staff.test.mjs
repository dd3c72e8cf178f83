// Staff members («Майстри») in the panel, on the demo data (three staff members with their own
// services and hours): the staff page (add one with a service at their own price, set weekly hours
// with a lunch break, refuse overlapping stretches, add and delete a day off), free times generated
// from her own hours (the answer's counts shown), the calendar's day view with one column per staff member, reassigning a booking by dragging it into another staff
// member's column (accepted, and refused by the server with the event going back), the staff filter,
// "any staff member" in the appointment form, a service's buffers and performers, and hiding instead
// of deleting a busy staff member.
// One step per test, in order; a failed step skips the rest.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  addDays,
  apiClient,
  DESKTOP,
  launchBrowser,
  login,
  noSwal,
  orderedSteps,
  snap,
  startServer,
  toastText,
  todayIn,
  trackRequests,
  waitUntil,
  watchConsole,
} from './harness.mjs';

const NEW_NAME = 'Марія E2E';
const NEW_PRICE = '650';

describe('staff members: page, hours, day columns, reassigning by drag', () => {
  let server;
  let browser;
  let page;
  let con;
  let net;
  let api;
  const ids = {};
  const demo = {};

  before(
    async () => {
      server = await startServer({ demo: true });
      browser = await launchBrowser({ viewport: DESKTOP });
      page = browser.context.pages()[0] ?? (await browser.context.newPage());
      con = watchConsole(page);
      net = trackRequests(page, '/api/');
      api = apiClient(browser.context, server.baseURL);
    },
    { timeout: 60_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const step = orderedSteps('staff', () => ({ consoles: [con], pages: { '': page } }));
  const modal = () => page.locator('.modal');
  const staffRow = (name) => page.locator('.staff-table tbody tr', { hasText: name });
  const column = (staffId) => page.locator(`.staff-col[data-staff-id="${staffId}"]`);

  /** The first start (YYYY-MM-DDTHH:MM) from `fromDay` on at which both staff members offer `serviceId`. */
  async function commonStart(serviceId, a, b, fromDay) {
    for (let d = 0; d < 14; d++) {
      const day = addDays(fromDay, d);
      const list = async (staffId) =>
        (await api('GET', `/available_dates?service_id=${serviceId}&staff_id=${staffId}&from=${day}&to=${day}`)).body.available_dates;
      const [ofA, ofB] = [await list(a), await list(b)];
      const startsOfB = new Set(ofB.map((s) => s.start));
      // Midday first: well inside everyone's hours.
      const found = ofA.filter((s) => startsOfB.has(s.start)).sort((x, y) => Math.abs(12 - Number(x.available_time.slice(0, 2))) - Math.abs(12 - Number(y.available_time.slice(0, 2))))[0];
      if (found) return { day, time: found.available_time, slot: found };
    }
    throw new Error(`no common free time of staff ${a} and ${b} for service ${serviceId}`);
  }

  /** Books `serviceId` with `staffId` at slot `slot` for the first demo client; returns the appointment. */
  async function book(serviceId, slot) {
    const users = (await api('GET', '/users?limit=1')).body.users;
    const r = await api('POST', '/appointments', { user_id: users[0].id, service_id: serviceId, date_id: slot.id });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.appointment;
  }

  /** Shows `day` in the columns view (through the date field). */
  async function showColumnsDay(day) {
    await page.locator('.staff-day-date input[name=staff_day]').fill(day);
    await page.locator('.staff-col .fc-timegrid-col[data-date="' + day + '"]').first().waitFor();
    await net.settle();
  }

  /** Drags the event of appointment `id` from its column into the column of `toStaff` at `time`. */
  async function dragToColumn(eventLocator, toStaff, time) {
    await net.settle();
    // In the middle of the view, away from the edges where FullCalendar scrolls while dragging (which
    // would move the drop by an hour or more, depending on where the booking fell today).
    await eventLocator.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const lane = column(toStaff).locator(`.fc-timegrid-slot-lane[data-time="${time}:00"]`);
    const ev = await eventLocator.boundingBox();
    const col = await column(toStaff).locator('.fc-timegrid-col[data-date]').first().boundingBox();
    const target = await lane.boundingBox();
    assert.ok(ev && col && target, 'the event, the target column and its lane are on screen');
    const grab = { x: ev.x + ev.width / 2, y: ev.y + 5 };
    const drop = { x: col.x + col.width / 2, y: target.y + 5 };
    await page.mouse.move(grab.x, grab.y);
    await page.mouse.down();
    await page.mouse.move(grab.x, grab.y + 8, { steps: 4 }); // past FullCalendar's drag threshold
    await page.mouse.move(drop.x, drop.y, { steps: 20 });
    await page.mouse.up();
  }

  step('[1] the staff page lists the demo staff members with their colours and services', async () => {
    await login(page, server.baseURL);
    const staff = (await api('GET', '/staff')).body.staff;
    assert.equal(staff.length, 3, 'the demo has three staff members');
    demo.staff = staff;
    demo.services = (await api('GET', '/services')).body.services;
    await page.locator('#sidebar a[href="#/staff"]').click();
    await page.locator('.page-head h1', { hasText: 'Майстри' }).waitFor();
    for (const s of staff) await staffRow(s.name).waitFor();
    const dot = await staffRow(staff[0].name).locator('.staff-dot').evaluate((el) => getComputedStyle(el).backgroundColor);
    const hex = staff[0].color.toLowerCase();
    const rgb = `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;
    assert.equal(dot, rgb, 'the colour dot is the staff member’s colour');
  });

  step('[2] add a staff member who performs one service at their own price', async () => {
    const service = demo.services.find((s) => s.service_name === 'Консультація') ?? demo.services[0];
    demo.consultation = service;
    await page.locator('.page-head .btn-primary').click();
    await modal().locator('input[name=name]').fill(NEW_NAME);
    await modal().locator('input[name=color]').fill('#6b4fa3');
    // A new staff member performs every service until unticked: keep only the consultation.
    const rows = modal().locator('.staff-service-list li');
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      const ticked = (await row.textContent())?.includes(service.service_name);
      await row.locator('input[type=checkbox]').setChecked(Boolean(ticked));
    }
    await modal().getByLabel(`Власна ціна «${service.service_name}», грн`).fill(NEW_PRICE);
    const created = page.waitForResponse((r) => r.url().endsWith('/api/staff') && r.request().method() === 'POST');
    await modal().locator('button[type=submit]').click();
    assert.equal((await created).status(), 201);
    assert.equal(await toastText(page), 'Майстра додано');
    await modal().waitFor({ state: 'detached' });
    await staffRow(NEW_NAME).waitFor();
    const stored = (await api('GET', '/staff')).body.staff.find((s) => s.name === NEW_NAME);
    assert.ok(stored, 'stored');
    ids.newStaff = stored.id;
    assert.equal(stored.color, '#6b4fa3');
    assert.deepEqual(stored.service_ids, [service.id]);
    assert.equal(stored.services[0].price, Number(NEW_PRICE));
    assert.match((await staffRow(NEW_NAME).textContent()) ?? '', new RegExp(`${service.service_name}: ${NEW_PRICE} грн`));
    await noSwal(page);
  });

  step('[3] weekly hours: Monday with a lunch break, overlapping stretches refused, saved and kept', async () => {
    await staffRow(NEW_NAME).locator('.btn-schedule').click();
    await modal().locator('.hours-table').waitFor();
    await modal().locator('.notice').waitFor(); // no hours yet
    const monday = modal().locator('tr[data-weekday="1"]');
    await monday.getByRole('button', { name: 'Додати проміжок: Понеділок' }).click();
    await monday.getByLabel('Понеділок, проміжок 1: початок').fill('10:00');
    await monday.getByLabel('Понеділок, проміжок 1: кінець').fill('14:00');
    await monday.getByRole('button', { name: 'Додати проміжок: Понеділок' }).click();
    await monday.getByLabel('Понеділок, проміжок 2: початок').fill('13:00');
    await monday.getByLabel('Понеділок, проміжок 2: кінець').fill('19:00');
    await modal().getByRole('button', { name: 'Зберегти графік' }).click();
    const alert = modal().locator('.form-error[role=alert]');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /«Понеділок»: проміжки перекриваються/);
    assert.deepEqual((await api('GET', `/staff/${ids.newStaff}/hours`)).body.hours, [], 'nothing was sent');

    await monday.getByLabel('Понеділок, проміжок 2: початок').fill('15:00');
    await monday.locator('.muted.small', { hasText: 'перерва 14:00–15:00' }).waitFor();
    // Tuesday to Friday like Monday.
    await modal().getByRole('button', { name: 'Як у понеділок на Вт–Пт' }).click();
    const saved = page.waitForResponse((r) => r.url().endsWith(`/api/staff/${ids.newStaff}/hours`) && r.request().method() === 'PUT');
    await modal().getByRole('button', { name: 'Зберегти графік' }).click();
    assert.equal((await saved).status(), 200);
    assert.equal(await toastText(page), 'Графік збережено');
    const hours = (await api('GET', `/staff/${ids.newStaff}/hours`)).body.hours;
    const expected = [];
    for (let d = 1; d <= 5; d++) expected.push({ weekday: d, from: '10:00', to: '14:00' }, { weekday: d, from: '15:00', to: '19:00' });
    assert.deepEqual(hours, expected);
    await modal().locator('tr[data-weekday="6"] .day-off').waitFor(); // Saturday: day off
    await noSwal(page);
  });

  step('[4] exceptions: a day off added, listed and deleted', async () => {
    const day = addDays(todayIn(), 7);
    const form = modal().locator('.exception-form');
    await form.getByLabel('Вихідний день').check();
    await form.locator('input[name=date_from]').fill(day);
    await form.locator('input[name=note]').fill('Лікар');
    await form.getByRole('button', { name: 'Додати виняток' }).click();
    assert.equal(await toastText(page), 'Виняток додано');
    const row = modal().locator('.exceptions-table tbody tr', { hasText: 'Лікар' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Вихідний день/);
    const stored = (await api('GET', `/staff/${ids.newStaff}/exceptions`)).body.exceptions;
    assert.equal(stored.length, 1);
    assert.equal(stored[0].date_from, day);
    assert.deepEqual(stored[0].hours, []);
    await noSwal(page);
    await snap(page, 'staff-schedule-1280x900');

    await row.getByRole('button', { name: /^Видалити виняток/ }).click();
    await page.locator('.swal2-popup', { hasText: 'Видалити виняток' }).locator('.swal2-confirm').click();
    assert.equal(await toastText(page), 'Виняток видалено');
    await row.waitFor({ state: 'detached' });
    assert.equal((await api('GET', `/staff/${ids.newStaff}/exceptions`)).body.exceptions.length, 0);
    await modal().locator('.modal-head button').click();
    await modal().waitFor({ state: 'detached' });
    await noSwal(page);
  });

  step('[5] free times generated from the new staff member’s own hours: the counts shown, the times listed with her name', async () => {
    await page.locator('#sidebar a[href="#/slots"]').click();
    const form = page.locator('form.generate-form');
    await form.waitFor();
    await form.locator('select[name=staff_id]').selectOption(String(ids.newStaff));
    // She has working hours: the form generates from them (other hours would be refused).
    const own = form.getByLabel('За графіком майстра');
    await waitUntil(() => own.isChecked(), { message: 'her own hours chosen' });
    assert.equal(await form.getByLabel('Задати години тут').isDisabled(), true);
    await form.locator('.hint', { hasText: 'У майстра є графік роботи' }).waitFor();
    const generated = page.waitForResponse((r) => r.url().endsWith('/api/available_dates/generate'));
    await form.locator('button[type=submit]').click();
    const res = await generated;
    assert.equal(res.status(), 201);
    const body = await res.json();
    assert.deepEqual(Object.keys(JSON.parse(res.request().postData() ?? '{}')).sort(), ['date_from', 'date_to', 'staff_id', 'step_minutes']);
    assert.ok(body.created > 0, 'times created');
    assert.equal(await toastText(page), `Додано: ${body.created}, пропущено (вже були): ${body.skipped}, прибрано старих незаброньованих: ${body.removed}`);
    const times = (await api('GET', `/available_dates?staff_id=${ids.newStaff}&limit=500`)).body.available_dates;
    assert.ok(times.length > 0 && times.every((t) => t.staff_id === ids.newStaff));
    // Within her hours only: 10:00–14:00 and 15:00–19:00, never in the lunch break.
    assert.ok(times.every((t) => t.available_time >= '10:00' && t.available_time < '19:00' && !(t.available_time >= '14:00' && t.available_time < '15:00')));
    await page.locator('.slots-main select[name=slot_staff_filter]').selectOption(String(ids.newStaff));
    await page.locator('.slot .slot-staff', { hasText: NEW_NAME }).first().waitFor();
    await noSwal(page);
  });

  step('[6] the day view shows one column per staff member, each with their own bookings', async () => {
    const [a, b] = demo.staff; // sorted by name
    // A booking of a consultation (everyone performs it) with the first staff member at a time the
    // second one is free too: the drag in the next step gives it to the second one.
    const at = await commonStart(demo.consultation.id, a.id, b.id, addDays(todayIn(), 2));
    demo.move = { from: a, to: b, ...at };
    ids.moved = (await book(demo.consultation.id, at.slot)).id;

    await page.goto(`${server.baseURL}/#/`);
    await page.locator('.fc .fc-view-harness').waitFor();
    await page.locator('.mode-switch').getByRole('button', { name: 'День по майстрах' }).click();
    await page.locator('.staff-col').first().waitFor();
    await showColumnsDay(at.day);
    const heads = (await page.locator('.staff-col-head').allTextContents()).map((h) => h.trim());
    const everyone = (await api('GET', '/staff')).body.staff.map((s) => s.name); // all visible, by name
    assert.deepEqual(heads, everyone, 'a column per staff member, in the list’s order');
    // Only the first column shows the time axis.
    const labels = await page.locator('.staff-col').evaluateAll((cols) =>
      cols.map((c) => [...c.querySelectorAll('.fc-timegrid-slot-label-cushion')].filter((x) => x.offsetParent !== null).length),
    );
    assert.ok(labels[0] > 0 && labels.slice(1).every((n) => n === 0), `one time axis: ${labels}`);
    // Every booking of the day sits in its staff member's column.
    const dayItems = (await api('GET', `/appointments?from=${at.day}&to=${at.day}&limit=200`)).body.appointments.filter(
      (x) => x.status_name !== 'cancelled',
    );
    for (const s of demo.staff) {
      const expected = dayItems.filter((x) => x.staff_id === s.id).length;
      assert.equal(await column(s.id).locator('.fc-event').count(), expected, `the bookings of ${s.name}`);
    }
    await column(a.id).locator('.fc-event', { hasText: demo.consultation.service_name }).first().waitFor();
    await snap(page, 'home-staff-columns-1280x900');
  });

  step('[7] dragging a booking into another staff member’s column gives it to them (after asking)', async () => {
    const { from, to, time } = demo.move;
    const ev = column(from.id).locator('.fc-event', { hasText: demo.consultation.service_name }).filter({ hasText: time });
    await dragToColumn(ev.first(), to.id, time);
    const popup = page.locator('.swal2-popup');
    await popup.waitFor();
    assert.match((await popup.locator('.swal2-title').textContent()) ?? '', /Передати запис іншому майстру/);
    assert.match((await popup.locator('.swal2-html-container').textContent()) ?? '', new RegExp(`від майстра ${from.name} до майстра ${to.name}`));
    await page.locator('.swal2-confirm').click();
    assert.equal(await toastText(page), `Запис передано: ${to.name}`);
    const moved = (await api('GET', `/appointments/${ids.moved}`)).body;
    assert.equal(moved.staff_id, to.id, 'reassigned');
    assert.equal(moved.start.slice(11, 16), time, 'at the same time');
    await column(to.id).locator('.fc-event', { hasText: demo.consultation.service_name }).filter({ hasText: time }).first().waitFor();
    await noSwal(page);
  });

  step('[8] a drag the server refuses (the staff member does not perform the service) goes back with its reason', async () => {
    // A service the first demo staff member does not perform.
    const performer = demo.staff.find((s) => demo.services.some((v) => s.service_ids.includes(v.id) && !demo.staff[0].service_ids.includes(v.id)));
    assert.ok(performer, 'a staff member performs a service the first one does not');
    const service = demo.services.find((v) => performer.service_ids.includes(v.id) && !demo.staff[0].service_ids.includes(v.id));
    const slots = async (day) =>
      (await api('GET', `/available_dates?service_id=${service.id}&staff_id=${performer.id}&from=${day}&to=${day}`)).body.available_dates;
    let slot = null;
    for (let d = 2; d < 16 && !slot; d++) slot = (await slots(addDays(todayIn(), d))).find((s) => s.available_time >= '10:00' && s.available_time <= '16:00') ?? null;
    assert.ok(slot, 'a free time of the performer');
    const booked = await book(service.id, slot);
    await page.reload();
    await page.locator('.mode-switch').getByRole('button', { name: 'День по майстрах' }).click();
    await page.locator('.staff-col').first().waitFor();
    await showColumnsDay(slot.available_date);
    const ev = column(performer.id).locator('.fc-event', { hasText: service.service_name }).filter({ hasText: slot.available_time });
    await ev.first().waitFor();
    con.allow(422, `/api/appointments/${booked.id}`);
    await dragToColumn(ev.first(), demo.staff[0].id, slot.available_time);
    await page.locator('.swal2-popup .swal2-title', { hasText: 'Передати запис іншому майстру?' }).waitFor();
    await page.locator('.swal2-confirm').click();
    const error = page.locator('.swal2-popup.swal2-icon-error');
    await error.waitFor();
    assert.match((await error.locator('.swal2-html-container').textContent()) ?? '', /не надає цю послугу/);
    await error.locator('.swal2-confirm').click();
    await noSwal(page);
    // Back in its own column, and nowhere else.
    await ev.first().waitFor();
    assert.equal(
      await column(demo.staff[0].id).locator('.fc-event', { hasText: service.service_name }).count(),
      0,
      'not left in the refusing column',
    );
    assert.equal((await api('GET', `/appointments/${booked.id}`)).body.staff_id, performer.id, 'unchanged on the server');
  });

  step('[9] the staff filter hides columns and events; everyone again shows all', async () => {
    const [, second] = demo.staff;
    const before = await page.locator('.staff-col').count();
    await page.locator('.staff-filter').getByRole('button', { name: second.name }).click();
    await waitUntil(async () => (await page.locator('.staff-col').count()) === before - 1, { message: 'one column fewer' });
    assert.equal(await column(second.id).count(), 0);
    assert.equal(await page.locator('.staff-filter').getByRole('button', { name: second.name }).getAttribute('aria-pressed'), 'false');
    // The month/week calendar follows the same filter.
    await page.locator('.mode-switch').getByRole('button', { name: 'Календар' }).click();
    await page.locator('.fc .fc-view-harness').waitFor();
    await net.settle();
    const titles = await page.locator('.fc-event').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
    assert.ok(titles.every((t) => !t.includes(second.name)), 'no event of the filtered-out staff member');
    await page.locator('.staff-filter').getByRole('button', { name: second.name }).click();
    await page.locator('.mode-switch').getByRole('button', { name: 'День по майстрах' }).click();
    await waitUntil(async () => (await page.locator('.staff-col').count()) === before, { message: 'every column back' });
  });

  step('[10] the appointment form offers «Будь-хто» and the staff who perform the service; the server picks', async () => {
    const users = (await api('GET', '/users?limit=1')).body.users;
    await page.locator('.page-head .btn-primary').click();
    await modal().locator('input[type=search]').fill(users[0].name.split(' ')[0]);
    const clientSelect = modal().locator('.client-picker select');
    await clientSelect.locator(`option[value="${users[0].id}"]`).waitFor({ state: 'attached' });
    await clientSelect.selectOption(String(users[0].id));
    await modal().locator('select[name=service_id]').selectOption(String(demo.consultation.id));
    const staffSelect = modal().locator('select[name=staff_id]');
    await staffSelect.waitFor();
    const options = (await staffSelect.locator('option').allTextContents()).map((x) => x.trim());
    assert.match(options[0], /^Будь-хто/);
    const performers = [...demo.staff, { name: NEW_NAME, hidden: false, service_ids: [demo.consultation.id] }].filter((s) =>
      s.service_ids.includes(demo.consultation.id),
    );
    assert.deepEqual(options.slice(1).sort(), performers.map((s) => s.name).sort());
    const time = modal().locator('select[name=time]');
    await time.locator('option[value^="s:"]').first().waitFor({ state: 'attached' });
    const value = await time.locator('option[value^="s:"]').nth(3).getAttribute('value');
    await time.selectOption(value);
    const created = page.waitForResponse((r) => r.url().endsWith('/api/appointments') && r.request().method() === 'POST');
    await modal().locator('button[type=submit]').click();
    const res = await created;
    assert.equal(res.status(), 201);
    const body = await res.json();
    assert.equal(body.appointment.start.slice(0, 16), value.slice(2), 'at the chosen time');
    assert.ok(performers.some((s) => s.name === body.appointment.staff), `given to a performer (${body.appointment.staff})`);
    assert.equal(await toastText(page), 'Запис створено');
    await modal().waitFor({ state: 'detached' });
    // The table names the staff member.
    await page.locator('.table tbody tr td[data-label="Майстер"]').first().waitFor();
    await noSwal(page);
  });

  step('[11] a service’s buffers and who performs it, from the Services form', async () => {
    const service = demo.services.find((s) => s.service_name === 'Манікюр') ?? demo.services[0];
    await page.goto(`${server.baseURL}/#/services`);
    const row = page.locator('.table tbody tr', { hasText: service.service_name }).first();
    await row.waitFor();
    await row.getByRole('button', { name: 'Змінити' }).click();
    await modal().locator('input[name=buffer_after]').fill('15');
    const who = modal().locator('.service-staff');
    await who.getByLabel(NEW_NAME).check();
    const saved = page.waitForResponse((r) => r.url().endsWith(`/api/services/${service.id}`) && r.request().method() === 'PUT');
    await modal().locator('button[type=submit]').click();
    assert.equal((await saved).status(), 200);
    assert.equal(await toastText(page), 'Послугу збережено');
    const stored = (await api('GET', `/services/${service.id}`)).body;
    assert.equal(stored.buffer_after_minutes, 15);
    assert.equal(stored.buffer_before_minutes, 0);
    assert.ok(stored.staff_ids.includes(ids.newStaff), 'she performs it now');
    await row.locator('.muted.small', { hasText: 'буфер: 0 + 15 хв' }).waitFor();
    await noSwal(page);
  });

  step('[12] deleting a staff member with upcoming bookings is refused: hidden instead', async () => {
    const busy = demo.move.to; // has the reassigned booking ahead
    await page.goto(`${server.baseURL}/#/staff`);
    await staffRow(busy.name).waitFor();
    await net.settle();
    con.allow(409, `/api/staff/${busy.id}`);
    await staffRow(busy.name).getByRole('button', { name: 'Видалити' }).click();
    const refused = page.waitForResponse((r) => r.url().endsWith(`/api/staff/${busy.id}`) && r.request().method() === 'DELETE');
    await page.locator('.swal2-popup', { hasText: `Видалити майстра «${busy.name}»?` }).locator('.swal2-confirm').click();
    assert.equal((await refused).status(), 409, 'refused: upcoming bookings');
    const popup = page.locator('.swal2-popup', { hasText: 'Майстра не видалено' });
    await popup.waitFor();
    assert.match((await popup.textContent()) ?? '', /приховати/i);
    await popup.locator('.swal2-confirm').click();
    assert.equal(await toastText(page), 'Майстра приховано');
    await staffRow(busy.name).locator('.badge', { hasText: 'прихований' }).waitFor();
    const stored = (await api('GET', `/staff/${busy.id}`)).body;
    assert.equal(stored.hidden, true);
    await noSwal(page);
  });
});
