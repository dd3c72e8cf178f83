// Nothing in the browser's console on any page, signed out or signed in (demo data): no error the
// panel logs, no uncaught exception, and no failed request, which Chromium logs as
// "Failed to load resource: the server responded with a status of N". Signed out, the panel's only
// request is "is there a session?" (GET /api/auth/me), so "not signed in" must be an ordinary answer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, login, PAGE_TOUR, startServer, visit, watchConsole } from './harness.mjs';

/** Addresses opened signed out: each shows the login page. */
const SIGNED_OUT_ROUTES = ['', 'services', 'slots', 'clients', 'analytics', 'notifications', 'settings', 'simulator', 'no-such-page'];

describe('no console error on any page', () => {
  let server;
  let browser;

  before(
    async () => {
      server = await startServer({ demo: true });
      browser = await launchBrowser();
    },
    { timeout: 60_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('signed out: every address shows the login page with a clean console', { timeout: 60_000 }, async () => {
    const problems = [];
    for (const route of SIGNED_OUT_ROUTES) {
      const page = await browser.context.newPage();
      const con = watchConsole(page);
      try {
        await page.goto(`${server.baseURL}/#/${route}`);
        await page.locator('.login-card').waitFor();
        await page.waitForTimeout(300);
        problems.push(...con.problems.map((p) => `#/${route}: ${p}`));
      } finally {
        await page.close();
      }
    }
    assert.deepEqual(problems, []);
  });

  test('signed in: every page, calendar view and form, each in a fresh document, with a clean console', { timeout: 120_000 }, async () => {
    const page = await browser.context.newPage();
    const con = watchConsole(page);
    try {
      await login(page, server.baseURL);
      con.assertClean('logging in');
      for (const p of PAGE_TOUR) {
        await visit(page, server.baseURL, p);
        await page.waitForTimeout(200);
        con.assertClean(p.name);
      }
      // Logging out leaves no error behind either.
      await page.locator('.topbar-right button.btn-ghost').click();
      await page.locator('.login-card').waitFor();
      await page.waitForTimeout(300);
      con.assertClean('logging out');
    } finally {
      await page.close();
    }
  });
});
