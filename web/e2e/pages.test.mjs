// Every page of the panel at a desktop and a phone size, on a server filled with demo data:
// a screenshot of each (web/e2e/screenshots/<page>-<width>x<height>.png), no horizontal scrolling,
// and nothing in the console but the first "is there a session?" 401.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, launchBrowser, login, PHONE, snap, startServer, watchConsole } from './harness.mjs';

/** Each page's route and what shows once its data is in. */
const PAGES = [
  { name: 'home', route: '', ready: ['.fc .fc-view-harness', '.card .table-wrap[aria-busy="false"]'] },
  { name: 'services', route: 'services', ready: ['.table-wrap[aria-busy="false"] tbody tr'] },
  { name: 'staff', route: 'staff', ready: ['.staff-table tbody tr[data-staff-id]'] },
  { name: 'slots', route: 'slots', ready: ['.slots-main :is(.slot-day, .empty)'] },
  { name: 'clients', route: 'clients', ready: ['.table-wrap[aria-busy="false"] tbody tr'] },
  { name: 'analytics-month', route: 'analytics', ready: ['section.analytics[aria-busy="false"] :is(.analytics-empty, .analytics-report)'] },
  { name: 'notifications', route: 'notifications', ready: ['.card :is(.empty-state, .table-wrap[aria-busy="false"])'] },
  { name: 'settings', route: 'settings', ready: ['form.settings-form'] },
  { name: 'simulator', route: 'simulator', ready: ['.page .page-head h1'] },
];

/** Forms opened from a page's "+ add" button, checked at the phone size. */
const DIALOGS = [
  { name: 'home-add-appointment', route: '' },
  { name: 'services-add-service', route: 'services' },
  { name: 'staff-add-staff-member', route: 'staff' },
  { name: 'clients-add-client', route: 'clients' },
];

/** How far the page scrolls sideways, and the widest offenders when it does. */
async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const overflow = Math.max(doc.scrollWidth, document.body.scrollWidth) - doc.clientWidth;
    if (overflow <= 0) return { overflow: 0, offenders: [] };
    const clipped = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
      }
      return false;
    };
    const offenders = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 1 && !clipped(el))
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (right ${Math.round(el.getBoundingClientRect().right)})`);
    return { overflow, offenders };
  });
}

async function waitReady(page, selectors) {
  for (const s of selectors) await page.locator(s).first().waitFor();
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(250); // let the calendar settle its sizes
}

describe('every page at 1280×900 and 390×844', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const viewport of [DESKTOP, PHONE]) {
    const size = `${viewport.width}x${viewport.height}`;
    test(`${size}: each page renders without horizontal scrolling (screenshots saved)`, async () => {
      const page = await browser.context.newPage();
      const con = watchConsole(page);
      try {
        await page.setViewportSize(viewport);
        const problems = [];

        await page.goto(`${server.baseURL}/#/`);
        await page.locator('.login-card').waitFor();
        await snap(page, `login-${size}`, { fullPage: true });
        const atLogin = await horizontalOverflow(page);
        if (atLogin.overflow) problems.push(`login scrolls sideways by ${atLogin.overflow}px: ${atLogin.offenders.join(', ')}`);
        await login(page, server.baseURL);

        for (const p of PAGES) {
          await page.goto(`${server.baseURL}/#/${p.route}`);
          await waitReady(page, p.ready);
          await snap(page, `${p.name}-${size}`, { fullPage: true });
          const o = await horizontalOverflow(page);
          if (o.overflow) problems.push(`${p.name} scrolls sideways by ${o.overflow}px: ${o.offenders.join(', ')}`);
        }
        assert.deepEqual(problems, []);

        await page.locator('.topbar-right button.btn-ghost').click(); // log out for the next viewport
        await page.locator('.login-card').waitFor();
        con.assertClean(size);
      } finally {
        await page.close();
      }
    });
  }

  test('390x844: the menu opens from the top bar and navigates; the add forms fit the screen', async () => {
    const page = await browser.context.newPage();
    const con = watchConsole(page);
    try {
      await page.setViewportSize(PHONE);
      await login(page, server.baseURL);
      await waitReady(page, PAGES[0].ready);
      // The calendar starts in day view on a phone.
      assert.equal(await page.locator('.fc .fc-timegrid-col[data-date]').count(), 1);

      const sidebarLink = page.locator('#sidebar a[href="#/services"]');
      assert.equal(await sidebarLink.isVisible(), false, 'the menu is folded away on a phone');
      await page.locator('.topbar .menu-toggle').click();
      await sidebarLink.waitFor({ state: 'visible' });
      await page.waitForTimeout(300); // the slide-in transition
      await snap(page, `menu-open-390x844`);
      await sidebarLink.click();
      await page.locator('.page-head h1', { hasText: 'Послуги' }).waitFor();
      await waitReady(page, PAGES[1].ready);
      await page.waitForFunction(() => !document.querySelector('.shell.menu-open'));

      const problems = [];
      for (const d of DIALOGS) {
        await page.goto(`${server.baseURL}/#/${d.route}`);
        await page.locator('.page-head .btn-primary').click();
        await page.locator('.modal').waitFor();
        await page.waitForTimeout(250);
        await snap(page, `${d.name}-390x844`);
        const o = await horizontalOverflow(page);
        if (o.overflow) problems.push(`${d.name} scrolls sideways by ${o.overflow}px: ${o.offenders.join(', ')}`);
        const box = await page.locator('.modal').boundingBox();
        if (!box || box.x < 0 || box.x + box.width > PHONE.width + 1) problems.push(`${d.name}: the dialog is wider than the screen`);
        await page.keyboard.press('Escape');
        await page.locator('.modal').waitFor({ state: 'detached' });
      }
      assert.deepEqual(problems, []);
      con.assertClean('phone menu and dialogs');
    } finally {
      await page.close();
    }
  });
});
