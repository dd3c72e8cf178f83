// Accessibility: axe-core (WCAG 2.1 A and AA) on every page of the panel, signed out and signed in, on
// demo data: the login page; Home with the calendar in month, week and day view and the appointments
// table; the add-appointment form; Services; Free times; Clients and its CSV import; Settings with the
// calendar link and webhooks; Notifications; Analytics (the default period and one with bookings);
// the bot simulator. Any violation fails, listed with its rule and the first elements.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { axeViolations, launchBrowser, login, PAGE_TOUR, startServer, visit } from './harness.mjs';

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
    for (const p of PAGE_TOUR) {
      await visit(page, server.baseURL, p);
      found.push(...(await axeViolations(page, p.name)));
    }
    assert.deepEqual(found, [], `\n${found.join('\n')}`);
  });
});
