// The Analytics page on demo data. The demo's bookings all start tomorrow or later, so a few bookings
// for the rest of today are added through the API first (one confirmed, one cancelled), which gives
// the presets (week, month, quarter, all ending today) something to count. Each preset's figures
// must match GET /api/analytics for the same period: the total, the completed and cancelled counts,
// one bar per day with the non-zero ones where the API has days, the funnel, the sources, the
// services and the heat map. A custom period over the next three weeks shows the demo bookings too;
// a period in the past shows the empty state; a period over 400 days is refused before asking.
// Then a reload keeps the period (it is in the hash), the English switch, the phone layout (menu, no
// sideways scrolling), and no console errors. Screenshots: analytics-1280x900, analytics-english-1280x900,
// analytics-390x844 and analytics-empty-390x844. One step per test, in order; a failed step skips the rest.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  addDays,
  DESKTOP,
  launchBrowser,
  login,
  PHONE,
  screenshotPath,
  snap,
  startServer,
  TIME_ZONE,
  todayIn,
  watchConsole,
  orderedSteps,
} from './harness.mjs';

const PRESET_DAYS = { week: 7, month: 30, quarter: 90 };

/** Current hour and minute in the business's zone. */
function nowInZone() {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date())
    .reduce((o, p) => ({ ...o, [p.type]: Number(p.value) }), {});
  return { hour: parts.hour, minute: parts.minute };
}

const digits = (s) => Number((s ?? '').replace(/\D/g, ''));

describe('the analytics page', () => {
  let server;
  let browser;
  let page;
  let con;
  const today = todayIn();
  let todayBookings = 0;

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

  const overflow = () =>
    page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth);

  /** Waits until the page shows the report of [from, to] with nothing loading. */
  async function shown(from, to) {
    await page.locator(`section.analytics[data-from="${from}"][data-to="${to}"][aria-busy="false"]`).waitFor();
  }

  /** Compares what the page shows with GET /api/analytics for the same period; returns the report. */
  async function assertMatchesApi(from, to) {
    const { status, body: r } = await api('GET', `/analytics?from=${from}&to=${to}`);
    assert.equal(status, 200);
    assert.equal(r.from, from);
    assert.equal(r.to, to);
    if (r.total === 0) {
      await page.locator('.analytics-empty').waitFor();
      assert.equal(await page.locator('.analytics-report').count(), 0);
      return r;
    }
    await page.locator('.analytics-report').waitFor();
    const stat = async (id) => digits(await page.locator(`.stat[data-stat="${id}"] .stat-value`).textContent());
    const count = (name) => r.by_status.find((s) => s.name === name)?.count ?? 0;
    assert.equal(await stat('total'), r.total, 'total bookings');
    assert.equal(await stat('completed'), count('completed'), 'completed');
    const note = async (id) => digits(await page.locator(`.stat[data-stat="${id}"] .stat-note`).textContent());
    assert.equal(await note('cancellation'), count('cancelled'), 'cancelled count under the rate');
    assert.equal(await stat('clients'), Number(`${r.new_clients}${r.returning_clients}`), 'new / returning');

    // One bar per day of the period; the non-zero ones are exactly the API's days.
    const bars = await page.locator('.day-bars .day-bar').evaluateAll((els) => els.map((e) => [e.dataset.date, Number(e.dataset.count)]));
    const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
    assert.equal(bars.length, days, 'one bar per day');
    assert.equal(bars[0][0], from);
    assert.equal(bars.at(-1)[0], to);
    assert.deepEqual(
      bars.filter(([, n]) => n > 0),
      r.per_day.filter((d) => d.bookings > 0).map((d) => [d.date, d.bookings]),
      'the non-zero bars are the API per_day',
    );
    const filled = await page.locator('.day-bars .day-fill').evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().height > 0).length);
    assert.equal(filled, r.per_day.filter((d) => d.bookings > 0).length, 'the non-zero bars have a height');

    // The funnel: booked = total, then confirmed (incl. completed and no-show), completed, cancelled, no-show.
    const funnel = await page.locator('.funnel li').evaluateAll((els) => els.map((e) => [e.dataset.key, Number(e.dataset.count)]));
    assert.deepEqual(funnel, [
      ['booked', r.total],
      ['confirmed', count('confirmed') + count('completed') + count('no_show')],
      ['completed', count('completed')],
      ['cancelled', count('cancelled')],
      ['no_show', count('no_show')],
    ]);

    const sources = await page.locator('[data-section="sources"] .legend li').evaluateAll((els) =>
      Object.fromEntries(els.map((e) => [e.dataset.key, Number(e.dataset.count)])),
    );
    const src = (name) => r.by_source.find((s) => s.name === name)?.count ?? 0;
    assert.deepEqual(sources, { bot: src('bot'), admin: src('admin'), api: src('api') });

    const services = await page.locator('.service-figures tbody tr').evaluateAll((els) => els.map((e) => Number(e.dataset.serviceId)));
    assert.deepEqual(services, r.by_service.map((s) => s.service_id));

    // The heat map: only hours with bookings, and its cells add up to the API's.
    const hours = await page.locator('.heat tbody tr').evaluateAll((els) => els.map((e) => Number(e.dataset.hour)));
    assert.deepEqual(hours, [...new Set(r.heat.filter((c) => c.bookings > 0).map((c) => c.hour))].sort((a, b) => a - b));
    const heatSum = await page.locator('.heat tbody td').evaluateAll((els) => els.reduce((s, e) => s + Number(e.dataset.count), 0));
    assert.equal(heatSum, r.heat.reduce((s, c) => s + c.bookings, 0));

    const lead = await page.locator('[data-section="lead-time"] li').evaluateAll((els) => els.map((e) => Number(e.dataset.count)));
    assert.deepEqual(lead, r.lead_time_buckets);
    return r;
  }

  before(
    async () => {
      server = await startServer({ demo: true });
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

  const step = orderedSteps('analytics', () => ({ consoles: [con], pages: { '': page } }));

  step('[1] log in; a few bookings for later today through the API (one confirmed, one cancelled)', async (t) => {
    await login(page, server.baseURL);
    const { hour, minute } = nowInZone();
    // Times at least 90 minutes away (the minimum notice is 60), two hours apart, before midnight.
    const first = hour + (minute > 30 ? 3 : 2);
    const hours = [first, first + 2, first + 4].filter((h) => h <= 23);
    const users = (await api('GET', '/users?limit=10')).body.users;
    const services = (await api('GET', '/services')).body.services.filter((s) => s.duration_minutes <= 60);
    // A staff member of its own, so the demo's bookings cannot be in the way.
    const staff = await api('POST', '/staff', { name: 'E2E', services: services.map((s) => ({ service_id: s.id })) });
    assert.equal(staff.status, 201, JSON.stringify(staff.body));
    const ids = [];
    for (const [i, h] of hours.entries()) {
      const booked = await api('POST', '/appointments', {
        user_id: users[(i + 2) % users.length].id,
        service_id: services[i % services.length].id,
        start: `${today}T${String(h).padStart(2, '0')}:00`,
        staff_id: staff.body.id,
      });
      assert.equal(booked.status, 201, JSON.stringify(booked.body));
      ids.push(booked.body.id);
    }
    if (ids[0]) assert.equal((await api('POST', `/appointments/${ids[0]}/confirm`, {})).status, 200);
    if (ids[1]) assert.equal((await api('POST', `/appointments/${ids[1]}/cancel`, { reason: 'e2e' })).status, 200);
    todayBookings = ids.length;
    if (!todayBookings) t.diagnostic("too late in the day for bookings today: the presets show only the demo's past visits");
  });

  step('[2] Analytics is in the menu; it opens on the last 30 days, matching the API', async () => {
    await page.locator('#sidebar a[href="#/analytics"]').click();
    await page.locator('.page-head h1', { hasText: 'Аналітика' }).waitFor();
    await page.waitForFunction(() => document.title.startsWith('Аналітика'));
    assert.equal(await page.locator('.period-picker [data-preset="month"]').getAttribute('aria-pressed'), 'true');
    const from = addDays(today, -29);
    await shown(from, today);
    assert.match(page.url(), /#\/analytics\?period=month$/);
    const r = await assertMatchesApi(from, today);
    // The demo holds four weeks of past visits as well as today's bookings made above.
    assert.ok(r.total > todayBookings, `the demo's past visits count too (${r.total} > ${todayBookings})`);
    assert.ok(r.per_day.length >= 10, 'several days have visits');
  });

  step('[3] the presets week, quarter and month each match the API for their period', async () => {
    for (const preset of ['week', 'quarter', 'month']) {
      await page.locator(`.period-picker [data-preset="${preset}"]`).click();
      const from = addDays(today, -(PRESET_DAYS[preset] - 1));
      await shown(from, today);
      assert.equal(await page.locator(`.period-picker [data-preset="${preset}"]`).getAttribute('aria-pressed'), 'true');
      const r = await assertMatchesApi(from, today);
      assert.ok(r.total > 0, `${preset}: the period's visits are counted`);
      assert.equal(await page.locator('.day-bars .day-bar').count(), PRESET_DAYS[preset]);
    }
  });

  step('[4] a custom period over the next three weeks shows the demo bookings; a reload keeps it', async () => {
    const to = addDays(today, 20);
    await page.locator('.period-picker [data-preset="custom"]').click();
    const form = page.locator('form.period-custom');
    await form.locator('input[name=from]').fill(today);
    await form.locator('input[name=to]').fill(to);
    await form.locator('button[type=submit]').click();
    await shown(today, to);
    const r = await assertMatchesApi(today, to);
    assert.ok(r.total >= 10, `the demo's bookings are counted (${r.total})`);
    assert.ok(r.per_day.length >= 5);
    assert.ok(r.by_service.length >= 3);
    assert.ok(await page.locator('.heat td.heat-cell:not(.heat-zero)').count() > 0, 'shaded heat cells');
    assert.match(page.url(), new RegExp(`#/analytics\\?from=${today}&to=${to}$`));

    await page.reload();
    await shown(today, to);
    assert.equal(await page.locator('.period-picker [data-preset="custom"]').getAttribute('aria-pressed'), 'true');
    // Written the panel's way (uk: DD.MM.YYYY), whatever the browser's locale.
    assert.equal(await page.locator('form.period-custom input[name=to]').inputValue(), to.split('-').reverse().join('.'));
    await page.evaluate(() => document.fonts.ready);
    await snap(page, 'analytics-1280x900', { fullPage: true });
  });

  step('[5] a period over 400 days is refused before asking the server', async () => {
    let asked = 0;
    const count = (req) => req.url().includes('/api/analytics') && (asked += 1);
    page.on('request', count);
    const form = page.locator('form.period-custom');
    await form.locator('input[name=from]').fill(addDays(today, -500));
    await form.locator('input[name=to]').fill(today);
    await form.locator('button[type=submit]').click();
    assert.match((await form.locator('.form-error').textContent()) ?? '', /400/);
    await page.waitForTimeout(300);
    page.off('request', count);
    assert.equal(asked, 0);
  });

  step('[6] the English switch: texts and numbers in English, the same figures', async () => {
    const to = addDays(today, 20);
    await page.locator('.topbar .lang-switch button[lang=en]').click();
    await page.locator('.page-head h1', { hasText: 'Analytics' }).waitFor();
    await page.waitForFunction(() => document.title.startsWith('Analytics'));
    assert.equal((await page.locator('.stat[data-stat="total"] dt').textContent())?.trim(), 'Bookings');
    assert.equal((await page.locator('[data-section="heat"] thead th').nth(1).textContent())?.trim(), 'Mon');
    assert.match((await page.locator('.period-range').textContent()) ?? '', /21 days/);
    // The refusal left by the last step follows the language too.
    assert.match((await page.locator('form.period-custom .form-error').textContent()) ?? '', /at most 400 days/);
    assert.match((await page.locator('.stat[data-stat="revenue"] .stat-value').textContent()) ?? '', /^UAH /);
    assert.match((await page.locator('.stat[data-stat="cancellation"] .stat-value').textContent()) ?? '', /^\d+(\.\d)?%$/);
    await assertMatchesApi(today, to);
    await snap(page, 'analytics-english-1280x900', { fullPage: true });
    await page.locator('.topbar .lang-switch button[lang=uk]').click();
    await page.locator('.page-head h1', { hasText: 'Аналітика' }).waitFor();
  });

  step('[7] 390×844: from the phone menu, no sideways scrolling; a past period shows the empty state', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.baseURL}/#/`);
    await page.locator('.fc .fc-view-harness').waitFor();
    await page.locator('.topbar .menu-toggle').click();
    await page.locator('#sidebar a[href="#/analytics"]').click();
    await shown(addDays(today, -29), today);
    await page.waitForFunction(() => !document.querySelector('.shell.menu-open'));

    const to = addDays(today, 20);
    await page.locator('.period-picker [data-preset="custom"]').click();
    await page.locator('form.period-custom input[name=from]').fill(today);
    await page.locator('form.period-custom input[name=to]').fill(to);
    await page.locator('form.period-custom button[type=submit]').click();
    await shown(today, to);
    await assertMatchesApi(today, to);
    assert.equal(await overflow(), 0, 'no sideways scrolling on a phone');
    await page.waitForTimeout(300); // the menu's slide-out
    await snap(page, 'analytics-390x844', { fullPage: true });

    const pastFrom = addDays(today, -400);
    const pastTo = addDays(today, -300);
    await page.locator('form.period-custom input[name=from]').fill(pastFrom);
    await page.locator('form.period-custom input[name=to]').fill(pastTo);
    await page.locator('form.period-custom button[type=submit]').click();
    await shown(pastFrom, pastTo);
    await assertMatchesApi(pastFrom, pastTo);
    assert.equal(await overflow(), 0);
    await snap(page, 'analytics-empty-390x844', { fullPage: true });
  });
});
