// The panel as a salon owner meets it (issue 14), on the demo data (three staff members with their
// hours; nobody works on Sundays), at 1366×900 and on a 390×844 phone:
// actions that cannot work are not offered (no "done"/"no-show" before a visit starts, "Статус" once
// in a cancelled booking's dialog); the calendar reads (the status legend, compact short bookings with
// their full text on hover, working hours and breaks shaded per staff column, a closed day and a day
// without bookings said in words, «Список»); numbers and dates in the panel's language; the phone's
// calendar (day view first, week headers that never overlap, "+N" in the month view not cut) and menu
// (closed by the current page, a tap outside, Esc); today first (today's visits, awaiting confirmation,
// the badge of new bot bookings since the last look, the table from today on); booking by a click in
// the calendar (date, time and staff member filled in, the time with its date, a new client inline);
// the searchable time zone list and the plain words under the integrations; the phone's week view
// showing each booking's time and name whole; dated exceptions (a vacation, other hours) shaded.
// One step per test, in order; a failed step skips the rest.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  addDays,
  apiClient,
  launchBrowser,
  login,
  noSwal,
  orderedSteps,
  PHONE,
  snap,
  startServer,
  toastText,
  todayIn,
  trackRequests,
  waitUntil,
  watchConsole,
} from './harness.mjs';

const OWNER = { width: 1366, height: 900 };
const TODAY = todayIn();
/** "YYYY-MM-DD" → "DD.MM.YYYY", as the Ukrainian panel writes it. */
const ukDate = (iso) => iso.split('-').reverse().join('.');
/** The API weekday of a date: 1 Monday … 7 Sunday. */
const weekday = (iso) => new Date(`${iso}T12:00:00Z`).getUTCDay() || 7;
/** The first date on or after `from` with the given API weekday. */
const nextWeekday = (from, wd) => {
  for (let d = 0; d < 7; d++) if (weekday(addDays(from, d)) === wd) return addDays(from, d);
  throw new Error('unreachable');
};

describe('the panel as a salon owner meets it', () => {
  let server;
  let browser;
  let page;
  let con;
  let net;
  let api;
  const demo = {};

  before(
    async () => {
      server = await startServer({ demo: true });
      browser = await launchBrowser({ viewport: OWNER });
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

  const step = orderedSteps('polish', () => ({ consoles: [con], pages: { '': page } }));
  const modal = () => page.locator('.modal');

  async function home() {
    await page.goto(`${server.baseURL}/#/`);
    await page.reload();
    await page.locator('.fc .fc-view-harness').waitFor();
    await page.locator('.card .table-wrap[aria-busy="false"]').waitFor();
    await net.settle();
  }

  step('[1] home: today first — today’s visits, awaiting confirmation, the table from today on, earliest first', async () => {
    await login(page, server.baseURL);
    demo.staff = (await api('GET', '/staff')).body.staff;
    demo.services = (await api('GET', '/services')).body.services;
    await home();
    await page.locator('.today-panel .today-visits').waitFor();
    const waiting = (await api('GET', `/appointments?from=${TODAY}&status=pending&limit=1000`)).body;
    await waitUntil(async () => (await page.locator('.today-waiting .today-count').textContent())?.trim() === String(waiting.total), {
      message: `the awaiting count ${waiting.total}`,
    });
    assert.ok(waiting.total > 0, 'the demo has bookings awaiting confirmation');
    assert.equal(await page.locator('.today-waiting li .btn-action-confirm').count(), Math.min(6, waiting.total));

    // The table starts today, earliest first.
    assert.equal(await page.locator('.filters input[type=text]').first().inputValue(), ukDate(TODAY), 'the "from" filter is today, written the Ukrainian way');
    const starts = await page.locator('.card .table-wrap tbody tr td[data-label="Початок"]').allTextContents();
    assert.ok(starts.length > 1, 'rows in the table');
    const keys = starts.map((s) => {
      const m = /(\d{2})\.(\d{2})\.(\d{4}),? (\d{2}):(\d{2})/.exec(s);
      assert.ok(m, `a start time: ${s}`);
      return `${m[3]}-${m[2]}-${m[1]}T${m[4]}:${m[5]}`;
    });
    assert.ok(keys[0] >= TODAY, `the first row is today or later: ${keys[0]}`);
    assert.deepEqual(keys, keys.slice().sort(), 'earliest first');
    await snap(page, 'polish-home-1366x900', { fullPage: true });
  });

  step('[2] home: a badge counts the bot bookings made since the last look, and is gone after it', async () => {
    // The demo's bookings were made at the server's start: a last look an hour before makes them new.
    const lastLook = new Date(Date.now() - 3600_000).toISOString();
    const active = (await api('GET', `/appointments?from=${TODAY}&status=active&limit=1000`)).body.appointments;
    const fromBot = active.filter((a) => a.source === 'bot' && Date.parse(a.created_at) > Date.parse(lastLook));
    assert.ok(fromBot.length > 0, 'the demo has bot bookings');
    await page.evaluate((v) => localStorage.setItem('zapys.lastLook', v), lastLook);
    await home();
    const badge = page.locator('.today-new .badge-new');
    await waitUntil(async () => (await badge.textContent().catch(() => ''))?.trim() === String(fromBot.length), {
      message: `the badge to say ${fromBot.length}`,
    });
    assert.match((await badge.getAttribute('aria-label')) ?? '', /Нових записів з бота: \d+/);
    // The look just made is the next visit's "last look": no badge then.
    await home();
    await page.locator('.today-panel .today-visits').waitFor();
    await page.waitForTimeout(500);
    assert.equal(await page.locator('.today-new').count(), 0, 'nothing new since the last look');
    // "Seen" clears it at once.
    await page.evaluate((v) => localStorage.setItem('zapys.lastLook', v), lastLook);
    await home();
    await page.locator('.today-new .btn-seen').click();
    await page.locator('.today-new').waitFor({ state: 'detached' });
  });

  step('[3] future visits offer no "done" or "no-show"; a cancelled booking’s dialog says "Статус" once', async () => {
    const rows = page.locator('.card .table-wrap tbody tr');
    assert.ok((await rows.count()) > 0);
    assert.ok((await page.locator('.card .table-wrap .btn-action-confirm, .card .table-wrap .btn-action-cancel').count()) > 0, 'other actions are offered');
    assert.equal(await page.locator('.card .table-wrap .btn-action-complete').count(), 0, 'no "Виконано" on future visits');
    assert.equal(await page.locator('.card .table-wrap .btn-action-no_show').count(), 0, 'no "Не прийшов" on future visits');
    // A visit still to come (one under way at this hour offers other actions).
    await rows.filter({ has: page.locator('.btn-action-cancel') }).first().locator('button.link').click();
    await page.locator('.swal2-popup .details').waitFor();
    assert.equal(await page.locator('.swal2-popup button[data-action=complete], .swal2-popup button[data-action=no_show]').count(), 0);
    assert.ok((await page.locator('.swal2-popup button[data-action=cancel]').count()) === 1);
    await page.keyboard.press('Escape');
    await noSwal(page);

    await page.locator('.filters select').first().selectOption('cancelled');
    await page.locator('.card .table-wrap[aria-busy="false"] tbody tr.row-faded').first().waitFor();
    await page.locator('.card .table-wrap tbody tr.row-faded button.link').first().click();
    await page.locator('.swal2-popup .details').waitFor();
    const labels = await page.locator('.swal2-popup .details th').allTextContents();
    assert.equal(labels.filter((l) => l.trim() === 'Статус').length, 1, `one "Статус" in ${labels.join(', ')}`);
    assert.ok(labels.includes('Хто скасував'), labels.join(', '));
    await page.keyboard.press('Escape');
    await noSwal(page);
  });

  step('[4] the calendar reads: legend, compact events with their full text on hover, shaded hours, a closed Sunday, «Список»', async () => {
    await home();
    const legend = page.locator('.calendar-wrap .status-legend .status-key');
    assert.deepEqual(
      (await legend.allTextContents()).map((s) => s.trim()),
      ['Очікує', 'Підтверджено', 'Виконано', 'Не прийшов'],
      'a colour legend for the statuses',
    );
    assert.equal((await page.locator('.fc .fc-listWeek-button').textContent())?.trim(), 'Список');

    // Week view: off-hours and breaks shaded; the Sunday says it is closed.
    await page.locator('.fc .fc-next-button').click(); // next week: a full week of bookings ahead
    await net.settle();
    await page.locator('.fc .fc-timegrid-col[data-date] .fc-non-business').first().waitFor();
    const sunday = page.locator('.fc .fc-col-header-cell.fc-day-sun');
    assert.match((await sunday.textContent()) ?? '', /вихідний/);

    // Compact events: "HH:MM Name" on one line, cut with an ellipsis, the full text in the title.
    const events = page.locator('.fc .fc-timegrid-event');
    await events.first().waitFor();
    const checks = await events.evaluateAll((els) =>
      els.map((el) => {
        const line = el.querySelector('.ev-compact .ev-line');
        const style = line ? getComputedStyle(line) : null;
        return {
          time: el.querySelector('.ev-time')?.textContent ?? '',
          name: el.querySelector('.ev-name')?.textContent ?? '',
          title: el.getAttribute('title') ?? '',
          nowrap: style?.whiteSpace === 'nowrap' && style?.textOverflow === 'ellipsis',
          short: el.querySelector('.ev-short') !== null,
          // the first line fits the event's height (a 30-45 minute booking shows at least its time and name)
          fits: line ? line.getBoundingClientRect().height <= el.getBoundingClientRect().height + 1 : false,
        };
      }),
    );
    assert.ok(checks.length > 3, 'events in the week');
    for (const c of checks) {
      assert.match(c.time, /^\d{2}:\d{2}$/, JSON.stringify(c));
      assert.ok(c.name.length > 0, JSON.stringify(c));
      assert.match(c.title, /^\d{2}:\d{2}–\d{2}:\d{2} · /, `the full text on hover: ${c.title}`);
      assert.ok(c.title.includes(c.name), JSON.stringify(c));
      assert.ok(c.nowrap, `one line with an ellipsis: ${JSON.stringify(c)}`);
      assert.ok(c.fits, `the time and name fit: ${JSON.stringify(c)}`);
    }
    assert.ok(checks.some((c) => c.short), 'short (under an hour) bookings among them');
    await snap(page, 'polish-week-1366x900');

    // Day view on that Sunday: "closed" in words.
    await page.locator('.fc .fc-timeGridDay-button').click();
    for (let i = 0; i < 7 && !(await page.locator('.fc .fc-timegrid-col.fc-day-sun').count()); i++) {
      await page.locator('.fc .fc-next-button').click();
    }
    await page.locator('.calendar-wrap .day-note-closed', { hasText: 'Вихідний' }).waitFor();
    await page.locator('.fc .fc-timeGridWeek-button').click();
  });

  step('[5] the day by staff member: each column shaded by its own hours and breaks; a day without bookings says so', async () => {
    await page.locator('.mode-switch .btn-by-staff').click();
    // A Monday four weeks ahead: no demo bookings yet; Оксана does not work on Mondays.
    const monday = nextWeekday(addDays(TODAY, 28), 1);
    await page.locator('.staff-day-date input[name=staff_day]').fill(monday);
    await page.locator(`.staff-col .fc-timegrid-col[data-date="${monday}"]`).first().waitFor();
    await net.settle();
    await page.locator('.staff-day .day-note-empty', { hasText: 'На цей день записів немає.' }).waitFor();
    const oksana = demo.staff.find((s) => s.name === 'Оксана Мельник');
    const taras = demo.staff.find((s) => s.name === 'Тарас Коваль');
    assert.match((await page.locator(`.staff-col[data-staff-id="${oksana.id}"] .staff-col-head`).textContent()) ?? '', /вихідний/);
    assert.doesNotMatch((await page.locator(`.staff-col[data-staff-id="${taras.id}"] .staff-col-head`).textContent()) ?? '', /вихідний/);
    // Тарас's lunch break (13:00–14:00) is shaded, his 11:00 is not.
    const shaded = (staffId, time) =>
      page.locator(`.staff-col[data-staff-id="${staffId}"]`).evaluate((col, t) => {
        const lane = col.querySelector(`td.fc-timegrid-slot-lane[data-time="${t}"]`);
        const y = lane.getBoundingClientRect().top + 3;
        return [...col.querySelectorAll('.fc-non-business')].some((b) => {
          const r = b.getBoundingClientRect();
          return r.top <= y && r.bottom >= y && r.height > 0;
        });
      }, time);
    assert.equal(await shaded(taras.id, '13:00:00'), true, 'the break is shaded');
    assert.equal(await shaded(taras.id, '11:00:00'), false, 'working time is not');
    assert.equal(await shaded(oksana.id, '11:00:00'), true, 'a day off is shaded through');
    await snap(page, 'polish-by-staff-1366x900');
    demo.monday = monday;
    demo.taras = taras;
  });

  step('[6] a click on an empty time in a staff column opens «Новий запис» with the date, time and staff member; a new client inline', async () => {
    const col = page.locator(`.staff-col[data-staff-id="${demo.taras.id}"]`);
    await col.locator('td.fc-timegrid-slot-lane[data-time="11:00:00"]').scrollIntoViewIfNeeded();
    const lane = await col.locator('td.fc-timegrid-slot-lane[data-time="11:00:00"]').boundingBox();
    const day = await col.locator('.fc-timegrid-col[data-date]').first().boundingBox();
    await page.mouse.click(day.x + day.width / 2, lane.y + lane.height / 2);
    await modal().locator('h2', { hasText: 'Новий запис' }).waitFor();

    // A service Тарас performs with someone else too: the staff choice shows him.
    const shared = demo.services.find((s) => s.service_name === 'Жіноча стрижка');
    await modal().locator('select[name=service_id]').selectOption(String(shared.id));
    await waitUntil(async () => (await modal().locator('select[name=staff_id]').inputValue()) === String(demo.taras.id), { message: 'Тарас chosen' });
    assert.equal(await modal().locator('input[name=day]').inputValue(), ukDate(demo.monday), 'the clicked day, written the Ukrainian way');
    const chosen = modal().locator('.chosen-time');
    await chosen.waitFor();
    const text = (await chosen.textContent()) ?? '';
    assert.match(text, /Обрано: Понеділок, \d{1,2} [а-яіїєґ]+, 11:00/, text);
    const option = await modal().locator('select[name=time] option:checked').textContent();
    assert.match(option ?? '', new RegExp(`^пн, ${ukDate(demo.monday).slice(0, 5)} · 11:00`), `the option carries its date: ${option}`);

    // A new client, made without leaving the form.
    await modal().locator('.btn-new-client').click();
    await modal().locator('input[name=new_client_name]').fill('Софія Нова');
    await modal().locator('input[name=new_client_phone]').fill('+380 67 555 44 33');
    await modal().locator('.btn-create-client').click();
    assert.equal(await toastText(page), 'Клієнта додано');
    await noSwal(page);
    const picked = await modal().locator('select[name=user_id] option:checked').textContent();
    assert.match(picked ?? '', /Софія Нова/);
    await snap(page, 'polish-book-form-1366x900');
    await modal().locator('button[type=submit]').click();
    assert.equal(await toastText(page), 'Запис створено');
    await noSwal(page);
    const made = (await api('GET', `/appointments?from=${demo.monday}&to=${demo.monday}&q=${encodeURIComponent('Софія')}`)).body.appointments;
    assert.equal(made.length, 1, JSON.stringify(made));
    assert.equal(made[0].start.slice(0, 16), `${demo.monday}T11:00`);
    assert.equal(made[0].staff_id, demo.taras.id);
    await page.locator('.mode-switch button', { hasText: 'Календар' }).click();
  });

  step('[7] a click on an empty time in the week view opens «Новий запис» on that day and time', async () => {
    await home();
    for (let i = 0; i < 6 && !(await page.locator(`.fc .fc-timegrid-col[data-date="${demo.monday}"]`).count()); i++) {
      await page.locator('.fc .fc-next-button').click();
    }
    await net.settle();
    const col = await page.locator(`.fc .fc-timegrid-col[data-date="${demo.monday}"]`).boundingBox();
    const lane = page.locator('.fc td.fc-timegrid-slot-lane[data-time="15:00:00"]');
    await lane.scrollIntoViewIfNeeded();
    const box = await lane.boundingBox();
    await page.mouse.click(col.x + col.width / 2, box.y + box.height / 2);
    await modal().locator('h2', { hasText: 'Новий запис' }).waitFor();
    const service = demo.services.find((s) => s.service_name === 'Консультація');
    await modal().locator('select[name=service_id]').selectOption(String(service.id));
    const text = (await modal().locator('.chosen-time').textContent()) ?? '';
    assert.match(text, /Понеділок, \d{1,2} [а-яіїєґ]+, 15:00/, text);
    await page.keyboard.press('Escape');
    await modal().waitFor({ state: 'detached' });
  });

  step('[8] numbers in the panel’s language: "1,5 год", "850,50 грн"; English "1.5 h", "UAH 850.50"; dates follow the switch', async () => {
    const made = await api('POST', '/services', { service_name: 'Пілінг E2E', duration_minutes: 45, price: 850.5 });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await page.goto(`${server.baseURL}/#/services`);
    const row = page.locator('.table-wrap tbody tr', { hasText: 'Пілінг E2E' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /850,50\s?грн/);
    assert.match((await row.textContent()) ?? '', /0,75 год/);
    const manicure = page.locator('.table-wrap tbody tr', { hasText: 'Манікюр' });
    assert.match((await manicure.textContent()) ?? '', /1,5 год/);
    await page.locator('.lang-switch button', { hasText: 'ENG' }).click();
    await waitUntil(async () => /UAH 850\.50/.test((await row.textContent()) ?? ''), { message: 'the English price' });
    assert.match((await row.textContent()) ?? '', /0\.75 h/);
    await page.goto(`${server.baseURL}/#/`);
    await page.locator('.card .table-wrap[aria-busy="false"]').waitFor();
    assert.equal(await page.locator('.filters input[type=text]').first().inputValue(), TODAY.split('-').reverse().join('/'), 'the date field in English');
    await page.locator('.lang-switch button', { hasText: 'УКР' }).click();
    await waitUntil(async () => (await page.locator('.filters input[type=text]').first().inputValue()) === ukDate(TODAY), { message: 'the date field in Ukrainian' });
  });

  step('[9] clients: "in Telegram: yes / no" instead of the raw Telegram id; the client card’s figures and "book again"', async () => {
    await page.goto(`${server.baseURL}/#/clients`);
    await page.locator('.table-wrap[aria-busy="false"] tbody tr').first().waitFor();
    assert.ok((await page.locator('.table thead th').allTextContents()).includes('У Telegram'));
    const cell = (name) => page.locator('.table tbody tr', { hasText: name }).locator('td.cell-telegram');
    assert.equal((await cell('Олена Коваленко').textContent())?.trim(), 'так');
    assert.equal(await cell('Олена Коваленко').locator('span').getAttribute('title'), 'Telegram ID: 100000001');
    assert.equal((await cell('Ігор Мельник').textContent())?.trim(), 'ні');

    // The client's card: visits, last visit, money spent, no-shows, bookings ahead — as the API's history says.
    const olena = (await api('GET', `/users?q=${encodeURIComponent('Олена Коваленко')}`)).body.users[0];
    const history = (await api('GET', `/users/${olena.id}/appointments?limit=1000`)).body.appointments;
    const done = history.filter((a) => a.status_name === 'completed');
    await page.locator('.table tbody tr', { hasText: 'Олена Коваленко' }).locator('button.link').click();
    const stats = modal().locator('.client-stats');
    await stats.waitFor();
    assert.equal((await stats.locator('[data-stat=visits]').textContent())?.trim(), String(done.length));
    assert.equal((await stats.locator('[data-stat=no-shows]').textContent())?.trim(), String(history.filter((a) => a.status_name === 'no_show').length));
    const spent = done.reduce((s, a) => s + (a.price ?? 0), 0);
    assert.equal((await stats.locator('[data-stat=spent]').textContent())?.replace(/\s/g, ' ').trim(), `${String(spent).replace(/\B(?=(\d{3})+$)/g, ' ')} грн`);
    const ahead = history.filter((a) => a.status_name === 'pending' || a.status_name === 'confirmed').length;
    assert.ok(ahead > 0, 'the demo client has bookings ahead');
    assert.equal((await stats.locator('[data-stat=upcoming]').textContent())?.trim(), String(ahead));
    // "Book again": the booking form with her and the service of her latest booking.
    await modal().locator('.btn-book-again').click();
    await modal().locator('h2', { hasText: 'Новий запис' }).waitFor();
    assert.equal(await modal().locator('select[name=user_id]').inputValue(), String(olena.id));
    assert.equal(await modal().locator('select[name=service_id]').inputValue(), String(history[0].service_id));
    await page.keyboard.press('Escape');
    await modal().waitFor({ state: 'detached' });
  });

  step('[10] settings: the time zone is a searchable list; plain words under the integrations', async () => {
    await page.goto(`${server.baseURL}/#/settings`);
    await page.locator('form.settings-form').waitFor();
    const zone = page.locator('select[name=timezone]');
    assert.match(await zone.inputValue(), /^Europe\/K(yiv|iev)$/);
    await page.locator('input[name=timezone_search]').fill('Варшава');
    await waitUntil(async () => (await zone.inputValue()) === 'Europe/Warsaw', { message: 'Warsaw found and chosen' });
    const options = await zone.locator('option').allTextContents();
    assert.ok(options.length <= 3, `a narrowed list: ${options.join(', ')}`);
    assert.ok(options.some((o) => /^Europe\/Warsaw \(UTC\+\d\)$/.test(o)), options.join(', '));
    await page.locator('input[name=timezone_search]').fill('Київ');
    await waitUntil(async () => /^Europe\/K(yiv|iev)$/.test(await zone.inputValue()), { message: 'Kyiv found again' });
    for (const section of ['.calendar-feed', '.webhooks', '.api-tokens']) {
      assert.match((await page.locator(`${section} .plain-line`).textContent()) ?? '', /^Простими словами: /, section);
    }
    await snap(page, 'polish-settings-1366x900', { fullPage: true });
  });

  step('[11] phone: day view first; week headers never overlap; bookings show time and name whole, none over another; "+N" in the month view is not cut', async () => {
    await page.setViewportSize(PHONE);
    await home();
    assert.equal(await page.locator('.fc .fc-timegrid-col[data-date]').count(), 1, 'the day view on a phone');
    await page.locator('.fc .fc-timeGridWeek-button').click();
    await page.locator('.fc .fc-next-button').click();
    await net.settle();
    const heads = await page.locator('.fc .fc-col-header-cell').evaluateAll((cells) =>
      cells.map((cell) => {
        const c = cell.getBoundingClientRect();
        const inner = (cell.querySelector('.day-head') ?? cell.querySelector('.fc-col-header-cell-cushion')).getBoundingClientRect();
        const cushion = cell.querySelector('.fc-col-header-cell-cushion');
        return { cell: [c.left, c.right], inner: [inner.left, inner.right], cut: cushion.scrollWidth > cushion.clientWidth + 1, text: cell.textContent };
      }),
    );
    assert.equal(heads.length, 7);
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      assert.ok(h.inner[0] >= h.cell[0] - 0.5 && h.inner[1] <= h.cell[1] + 0.5, `header ${h.text} inside its cell: ${JSON.stringify(h)}`);
      assert.ok(!h.cut, `header ${h.text} not cut`);
      if (i > 0) assert.ok(heads[i - 1].inner[1] <= h.inner[0], `headers ${heads[i - 1].text} and ${h.text} do not overlap`);
    }
    // Bookings in the phone's week: each shows its time and name (or initials) whole, none cut to a
    // fragment, none over another.
    const boxes = await page.locator('.fc .fc-timegrid-event').evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        const lines = [...el.querySelectorAll('.ev-narrow .ev-line')].map((line) => {
          const b = line.getBoundingClientRect();
          return { text: line.textContent ?? '', cut: line.scrollWidth > line.clientWidth + 1 || b.bottom > r.bottom + 1 || b.right > r.right + 1 };
        });
        return { col: el.closest('.fc-timegrid-col')?.dataset.date, rect: [r.left, r.top, r.right, r.bottom], lines, label: el.getAttribute('aria-label') ?? el.title };
      }),
    );
    assert.ok(boxes.length >= 5, `bookings in the week: ${boxes.length}`);
    for (const b of boxes) {
      assert.equal(b.lines.length, 2, `the time and the name: ${JSON.stringify(b)}`);
      for (const l of b.lines) assert.ok(!l.cut, `"${l.text}" shown whole: ${JSON.stringify(b)}`);
      const name = b.lines[1].text;
      assert.ok([...name].length >= 2, `the name (or initials) readable: ${JSON.stringify(b)}`);
      const wide = b.rect[2] - b.rect[0] >= 30;
      if (wide) assert.match(b.lines[0].text, /^\d{2}:\d{2}$/, `the start time in a full-width box: ${JSON.stringify(b)}`);
    }
    assert.ok(boxes.filter((b) => b.lines[0].text).length >= boxes.length / 2, 'most bookings show their start time');
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i].rect, boxes[j].rect];
        const overlap = Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > 0.5 && Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 0.5;
        assert.ok(!overlap, `bookings do not overlap: ${JSON.stringify(boxes[i])} / ${JSON.stringify(boxes[j])}`);
      }
    }
    // A tap still opens the booking with everything.
    const first = page.locator('.fc .fc-timegrid-event').first();
    const fullName = (await first.locator('.sr-only').textContent())?.trim() ?? '';
    await first.click();
    await page.locator('.swal2-popup .details').waitFor();
    const name = fullName.replace(/^\d{2}:\d{2} /, '').split(' · ')[0];
    assert.match((await page.locator('.swal2-popup').textContent()) ?? '', new RegExp(name), `the dialog names ${name}`);
    await page.keyboard.press('Escape');
    await noSwal(page);
    await snap(page, 'polish-week-390x844');

    await page.locator('.fc .fc-dayGridMonth-button').click();
    await net.settle();
    const more = page.locator('.fc .fc-daygrid-more-link');
    await more.first().waitFor();
    const links = await more.evaluateAll((els) => els.map((el) => ({ text: el.textContent, cut: el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > el.closest('td').getBoundingClientRect().right + 0.5 })));
    for (const l of links) {
      assert.match(l.text ?? '', /^\+\d+$/, 'a short "+N"');
      assert.ok(!l.cut, `"${l.text}" is not cut`);
    }
    await snap(page, 'polish-month-390x844');
    await page.locator('.fc .fc-timeGridDay-button').click();
  });

  step('[12] phone: the menu closes after tapping the current page, outside it, or Esc', async () => {
    const toggle = page.locator('.topbar .menu-toggle');
    const open = async () => {
      await toggle.click();
      await page.waitForFunction(() => document.querySelector('.shell.menu-open'));
    };
    const closed = () => page.waitForFunction(() => !document.querySelector('.shell.menu-open'));
    await open();
    await page.locator('#sidebar a[href="#/"]').click(); // the current page
    await closed();
    await open();
    await page.keyboard.press('Escape');
    await closed();
    assert.equal(await toggle.evaluate((el) => el === document.activeElement), true, 'focus back on the menu button');
    await open();
    await page.mouse.click(PHONE.width - 20, PHONE.height - 40); // beside the menu
    await closed();
    await snap(page, 'polish-home-390x844', { fullPage: true });
    await page.setViewportSize(OWNER);
  });

  step('[13] dated exceptions are shaded: a vacation greyed with its note, other hours on a date shading the rest', async () => {
    // Тарас (weekly 09–13 and 14–18 on weekdays) is away a Wednesday and Thursday five weeks ahead,
    // and works 12:00–15:00 only on the Monday after.
    const wednesday = nextWeekday(addDays(TODAY, 35), 3);
    const thursday = addDays(wednesday, 1);
    const monday = nextWeekday(wednesday, 1);
    const id = demo.taras.id;
    const away = await api('POST', `/staff/${id}/exceptions`, { date_from: wednesday, date_to: thursday, note: 'Відпустка в Карпатах' });
    assert.equal(away.status, 201, JSON.stringify(away.body));
    const short = await api('POST', `/staff/${id}/exceptions`, { date_from: monday, hours: [{ from: '12:00', to: '15:00' }] });
    assert.equal(short.status, 201, JSON.stringify(short.body));

    const shadedAt = (staffId, time) =>
      page.locator(`.staff-col[data-staff-id="${staffId}"]`).evaluate((col, t) => {
        const lane = col.querySelector(`td.fc-timegrid-slot-lane[data-time="${t}"]`);
        const y = lane.getBoundingClientRect().top + 3;
        return [...col.querySelectorAll('.fc-non-business, .fc-bg-event.exc-shade')].some((b) => {
          const r = b.getBoundingClientRect();
          return r.top <= y && r.bottom >= y && r.height > 0 && getComputedStyle(b).backgroundColor !== 'rgba(0, 0, 0, 0)';
        });
      }, time);
    await home();
    await page.locator('.mode-switch .btn-by-staff').click();
    const show = async (date) => {
      await page.locator('.staff-day-date input[name=staff_day]').fill(date);
      await page.locator(`.staff-col .fc-timegrid-col[data-date="${date}"]`).first().waitFor();
      await net.settle();
    };
    await show(monday);
    const col = page.locator(`.staff-col[data-staff-id="${id}"]`);
    await waitUntil(async () => /інші години/.test((await col.locator('.staff-col-head').textContent()) ?? ''), { message: 'other hours named in his column' });
    assert.equal(await shadedAt(id, '10:00:00'), true, 'before the other hours');
    assert.equal(await shadedAt(id, '12:30:00'), false, 'within them');
    assert.equal(await shadedAt(id, '16:00:00'), true, 'after them, though the weekly hours would work');

    await show(wednesday);
    await waitUntil(async () => /Відпустка/.test((await col.locator('.staff-col-head').textContent()) ?? ''), { message: 'the vacation named in his column' });
    assert.equal(await col.locator('.exc-mark').getAttribute('title'), 'Відпустка в Карпатах');
    assert.equal((await col.locator('.fc-bg-event.exc-shade .fc-event-title').first().textContent())?.trim(), 'Відпустка в Карпатах');
    for (const time of ['09:00:00', '11:00:00', '16:00:00']) assert.equal(await shadedAt(id, time), true, `his ${time} is shaded on the vacation`);
    const other = demo.staff.find((s) => s.name === 'Ірина Савчук');
    assert.equal(await shadedAt(other.id, '11:00:00'), false, 'Ірина still works on Wednesday');
    await snap(page, 'polish-exception-by-staff-1366x900');

    // The week view (it opens on the day the columns showed) with Тарас alone: both days greyed
    // through, the note in view; on a phone too.
    await page.locator('.mode-switch button', { hasText: 'Календар' }).click();
    await page.locator(`.fc .fc-timegrid-col[data-date="${wednesday}"]`).waitFor();
    for (const s of demo.staff) if (s.id !== id) await page.locator('.staff-chip', { hasText: s.name }).click();
    await net.settle();
    const labels = async () =>
      page.locator('.fc .fc-bg-event.exc-shade-off').evaluateAll((els) =>
        els.map((el) => {
          const title = el.querySelector('.fc-event-title');
          const box = el.closest('.fc-timegrid-col').getBoundingClientRect();
          const t = title.getBoundingClientRect();
          const scroller = el.closest('.fc-scroller').getBoundingClientRect();
          return {
            date: el.closest('[data-date]').dataset.date,
            text: title.textContent,
            inColumn: t.left >= box.left - 0.5 && t.right <= box.right + 0.5,
            inView: t.top >= scroller.top - 0.5 && t.top < scroller.bottom,
            whole: title.scrollWidth <= title.clientWidth + 1 && title.scrollHeight <= title.clientHeight + 1,
          };
        }),
      );
    const wide = await labels();
    assert.deepEqual(wide.map((l) => l.date), [wednesday, thursday]);
    for (const l of wide) assert.ok(l.text === 'Відпустка в Карпатах' && l.inColumn && l.inView, JSON.stringify(l));
    await snap(page, 'polish-exception-week-1366x900');
    await page.setViewportSize(PHONE);
    await home(); // the phone's layout is chosen when the calendar opens
    await page.locator('.fc .fc-timeGridWeek-button').click();
    for (let i = 0; i < 8 && !(await page.locator(`.fc .fc-timegrid-col[data-date="${wednesday}"]`).count()); i++) {
      await page.locator('.fc .fc-next-button').click();
    }
    for (const s of demo.staff) if (s.id !== id) await page.locator('.staff-chip', { hasText: s.name }).click();
    await net.settle();
    const narrow = await labels();
    assert.equal(narrow.length, 2, JSON.stringify(narrow));
    for (const l of narrow) assert.ok(l.inColumn && l.inView && l.whole, `the note whole within its narrow column: ${JSON.stringify(l)}`);
    await snap(page, 'polish-exception-week-390x844');
    await page.setViewportSize(OWNER);
    for (const s of demo.staff) if (s.id !== id) await page.locator('.staff-chip', { hasText: s.name }).click();
  });
});
