// Accessibility: axe-core (WCAG 2.1 A and AA) on every page of the panel, signed out and signed in, on
// demo data: the login page; Home with the calendar in month, week and day view and the appointments
// table; the add-appointment form; Services; Free times; Clients and its CSV import; Settings with the
// calendar link and webhooks; Notifications; Analytics (the default period and one with bookings);
// the bot simulator. Any violation fails, listed with its rule and the first elements.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDays, axeViolations, launchBrowser, login, startServer, todayIn } from './harness.mjs';

/** What to open and what shows once its data is in. */
const SIGNED_IN = [
  { name: 'home (week) and the appointments table', route: '', ready: ['.fc .fc-timegrid-col[data-date]', '.card .table-wrap[aria-busy="false"] tbody tr'] },
  { name: 'home (month)', route: '', view: 'dayGridMonth', ready: ['.fc .fc-daygrid-day[data-date]'] },
  { name: 'home (day)', route: '', view: 'timeGridDay', ready: ['.fc .fc-timegrid-col[data-date]'] },
  { name: 'add appointment', route: '', open: '.page-head .btn-primary', ready: ['.modal form'] },
  { name: 'services', route: 'services', ready: ['.table-wrap[aria-busy="false"] tbody tr'] },
  { name: 'free times', route: 'slots', ready: ['.slots-main :is(.slot-day, .empty)'] },
  { name: 'clients', route: 'clients', ready: ['.table-wrap[aria-busy="false"] tbody tr'] },
  { name: 'clients: CSV import', route: 'clients', open: '.head-actions .import-csv', ready: ['.modal'] },
  { name: 'settings, calendar link and webhooks', route: 'settings', ready: ['form.settings-form', '.calendar-feed', '.webhooks'] },
  { name: 'notifications', route: 'notifications', ready: ['.card :is(.empty-state, .table-wrap[aria-busy="false"])'] },
  { name: 'analytics (last 30 days)', route: 'analytics', ready: ['section.analytics[aria-busy="false"] :is(.analytics-empty, .analytics-report)'] },
  {
    name: 'analytics (the next three weeks, with bookings)',
    route: `analytics?from=${todayIn()}&to=${addDays(todayIn(), 20)}`,
    ready: ['section.analytics[aria-busy="false"] .analytics-report'],
  },
  { name: 'bot simulator', route: 'simulator', ready: ['.page .page-head h1'] },
];

async function waitReady(page, selectors) {
  for (const s of selectors) await page.locator(s).first().waitFor();
  await page.waitForTimeout(300); // the calendar settles its sizes; transitions end
}

describe('WCAG 2.1 A/AA on every page (axe-core)', () => {
  let server;
  let browser;
  let page;

  before(
    async () => {
      server = await startServer({ demo: true });
      browser = await launchBrowser();
      page = await browser.context.newPage();
    },
    { timeout: 60_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('signed out: the login page, in Ukrainian and in English', { timeout: 60_000 }, async () => {
    await page.goto(`${server.baseURL}/#/`);
    await page.locator('.login-card').waitFor();
    const found = await axeViolations(page, 'login (uk)');
    await page.locator('.login-card .lang-switch button[lang=en]').click();
    await page.locator('html[lang=en]').waitFor();
    found.push(...(await axeViolations(page, 'login (en)')));
    await page.locator('.login-card .lang-switch button[lang=uk]').click();
    assert.deepEqual(found, [], found.join('\n'));
  });

  test('signed in: every page, view and form', { timeout: 180_000 }, async () => {
    await login(page, server.baseURL);
    const found = [];
    for (const p of SIGNED_IN) {
      await page.goto(`${server.baseURL}/#/${p.route}`);
      await page.reload(); // a fresh document per page (the hash router keeps the old one otherwise)
      await page.locator('.shell .topbar').waitFor();
      if (p.view) {
        await page.locator(`.fc .fc-${p.view}-button`).click();
      }
      if (p.open) {
        await page.locator('.page .page-head h1').waitFor();
        await page.locator(p.open).click();
      }
      await waitReady(page, p.ready);
      found.push(...(await axeViolations(page, p.name)));
    }
    assert.deepEqual(found, [], `\n${found.join('\n')}`);
  });
});
