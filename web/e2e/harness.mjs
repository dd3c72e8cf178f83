// Shared pieces of the browser end-to-end tests: the real `zapys` binary on a free port with a
// temporary database, Debian's Chromium driven by playwright-core, console watching, dates in the
// business's time zone, and a few helpers for SweetAlert2 and FullCalendar.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = path.resolve(here, '..');
export const SCREENSHOT_DIR = path.join(here, 'screenshots');
export const PASSWORD = 'e2e-secret-password';
export const DATA_KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
/** The business's zone of a new database (the server's default). */
export const TIME_ZONE = 'Europe/Kyiv';

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** `${ZAPYS_BIN}` (relative to the current directory) or ../target/debug/zapys beside web/. */
function binaryPath() {
  const fromEnv = process.env.ZAPYS_BIN;
  return fromEnv ? path.resolve(fromEnv) : path.resolve(WEB_DIR, '..', 'target', 'debug', 'zapys');
}

/** A port nobody listens on right now (bind port 0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the binary with a fresh database in a temporary directory and waits for /healthz.
 * Returns { baseURL, stop }. `stop` kills the process it started (by its pid) and removes the directory.
 * `privateWebhooks`: let webhooks go to this machine's own receivers (ZAPYS_WEBHOOK_ALLOW_PRIVATE).
 * `telegramApiUrl`: where the bot talks to Telegram (TELEGRAM_API_URL), e.g. startFakeTelegram's `apiUrl`.
 */
export async function startServer({ demo = false, privateWebhooks = false, telegramApiUrl = null } = {}) {
  const bin = binaryPath();
  if (!existsSync(bin)) throw new Error(`zapys binary not found at ${bin} (build it, or set ZAPYS_BIN)`);
  if (!existsSync(path.join(WEB_DIR, 'dist', 'index.html'))) {
    throw new Error('web/dist is missing: run `npm run build` first (the server serves the built panel)');
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'zapys-e2e-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    ZAPYS_ADDR: `127.0.0.1:${port}`,
    DATABASE_URL: `sqlite://${path.join(dir, 'zapys.db')}`,
    ZAPYS_ADMIN_PASSWORD: PASSWORD,
    ZAPYS_DATA_KEY: DATA_KEY,
    RUST_LOG: 'warn',
    ZAPYS_DEMO: demo ? '1' : '0',
    ZAPYS_WEBHOOK_ALLOW_PRIVATE: privateWebhooks ? '1' : '0',
  };
  delete env.TELEGRAM_BOT_TOKEN;
  delete env.ZAPYS_TIMEZONE;
  if (telegramApiUrl) env.TELEGRAM_API_URL = telegramApiUrl;
  else delete env.TELEGRAM_API_URL;
  const proc = runChild(bin, ['serve'], { cwd: dir, env });
  const stop = async () => {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exited() !== null) {
      await stop();
      throw new Error(`zapys exited early (${JSON.stringify(proc.exited())}):\n${proc.output()}`);
    }
    try {
      const r = await fetch(`${baseURL}/healthz`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`zapys did not answer /healthz within 30 s:\n${proc.output()}`);
    }
    await sleep(100);
  }
  return { baseURL, pid: proc.pid, stop, output: proc.output };
}

/**
 * Runs a program of ours in the background and keeps the last 8000 characters of its output.
 * `onLine` sees each line of its standard output. Returns { pid, exited, output, stop }: `exited()`
 * is null while it runs; `stop()` asks it to end (SIGTERM), then ends it (SIGKILL) after 5 s. Never
 * left behind, even if the test runner dies first.
 */
function runChild(bin, args, { cwd, env, onLine } = {}) {
  const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let pending = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on('data', (chunk) => {
    keep(chunk);
    if (!onLine) return;
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) onLine(line.trim());
  });
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const kill = (signal) => {
    try {
      process.kill(child.pid, signal);
    } catch {
      /* already gone */
    }
  };
  const onExit = () => {
    if (exited === null) kill('SIGKILL');
  };
  process.on('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    if (exited !== null) return;
    kill('SIGTERM');
    for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
    if (exited === null) {
      kill('SIGKILL');
      for (let i = 0; i < 20 && exited === null; i++) await sleep(100);
    }
  };
  return { pid: child.pid, exited: () => exited, output: () => output, stop };
}

/** `${ZAPYS_FAKE_TELEGRAM_BIN}` (relative to the current directory) or zapys-fake-telegram beside the zapys binary. */
function fakeTelegramPath() {
  const fromEnv = process.env.ZAPYS_FAKE_TELEGRAM_BIN;
  return fromEnv ? path.resolve(fromEnv) : path.join(path.dirname(binaryPath()), 'zapys-fake-telegram');
}

/**
 * Starts the fake Bot API (`zapys-fake-telegram <token>`: its bot is @zapys_test_bot and knows only
 * `token`) and waits for its `listening URL` line. It prints one line per Bot API call: `call getme`,
 * `call getupdates`, … (lowercased), or `refused getme` for a call with another token.
 * Returns { apiUrl, calls, waitForCall, stop }:
 * - `calls()`: those lines so far, in order (method names lowercased: ['refused getme', 'call getme', 'call getupdates']);
 * - `waitForCall(name, ms, since)`: waits for a line `name` (a whole line, or a method name meaning
 *   `call <method>`) at index `since` or later, and answers its index;
 * - `stop()`: ends the process it started (by its pid).
 */
export async function startFakeTelegram(token) {
  const bin = fakeTelegramPath();
  if (!existsSync(bin)) {
    throw new Error(`zapys-fake-telegram not found at ${bin} (build it beside zapys, or set ZAPYS_FAKE_TELEGRAM_BIN)`);
  }
  const lines = [];
  let apiUrl = null;
  const proc = runChild(bin, [token], {
    onLine: (line) => {
      const listening = /^listening (\S+)$/.exec(line);
      if (listening) apiUrl ??= listening[1];
      else if (/^(call|refused) \S+$/.test(line)) lines.push(line);
    },
  });
  const { stop, output } = proc;

  const deadline = Date.now() + 10_000;
  while (apiUrl === null) {
    if (proc.exited() !== null) {
      await stop();
      throw new Error(`zapys-fake-telegram exited early (${JSON.stringify(proc.exited())}):\n${output()}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`zapys-fake-telegram printed no "listening URL" line within 10 s:\n${output()}`);
    }
    await sleep(50);
  }

  const calls = () => [...lines];
  const waitForCall = async (name, ms = 10_000, since = 0) => {
    // Bot API method names are case-insensitive; the fake prints them lowercased.
    const wanted = (/^(call|refused) /.test(name) ? name : `call ${name}`).toLowerCase();
    try {
      const found = await waitUntil(
        () => {
          const i = lines.indexOf(wanted, since);
          return i >= 0 ? { i } : null;
        },
        { timeout: ms, interval: 50, message: `the fake Telegram to print "${wanted}"` },
      );
      return found.i;
    } catch (err) {
      throw new Error(`${err.message}; it printed: ${lines.join(', ') || 'nothing'}`);
    }
  };
  return { apiUrl, calls, waitForCall, stop, output };
}

/**
 * Debian's Chromium in a persistent context on a fresh temporary user-data-dir.
 * Returns { context, close }; `close` closes the browser and removes the directory.
 */
export async function launchBrowser({ viewport = DESKTOP } = {}) {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'zapys-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    viewport,
    locale: 'uk-UA',
    // Far from the business's zone on purpose: the panel must show Kyiv's wall-clock times as they are.
    timezoneId: process.env.E2E_BROWSER_TZ || 'America/Los_Angeles',
  });
  context.setDefaultTimeout(10_000);
  const close = async () => {
    try {
      await context.close();
    } finally {
      rmSync(userDataDir, { recursive: true, force: true });
    }
  };
  return { context, close };
}

/**
 * Collects console errors and uncaught page errors. Failed requests the test provokes on purpose
 * are allowed one by one with `allow(status, urlPart)`: Chromium logs each as
 * "Failed to load resource: the server responded with a status of N (...)" with the request's URL.
 */
export function watchConsole(page) {
  const problems = [];
  const allowed = [];
  const FAILED = /^Failed to load resource: the server responded with a status of (\d{3})\b/;
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const url = msg.location()?.url ?? '';
    const m = FAILED.exec(text);
    if (m) {
      const status = Number(m[1]);
      const i = allowed.findIndex((a) => a.status === status && url.includes(a.urlPart) && a.left > 0);
      if (i >= 0) {
        allowed[i].left -= 1;
        return;
      }
    }
    problems.push(`console.error: ${text}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.stack || err.message}`));
  return {
    /** Allows `times` failed requests answered `status` whose URL contains `urlPart`. */
    allow(status, urlPart, times = 1) {
      allowed.push({ status, urlPart, left: times });
    },
    problems,
    /** Throws when anything unexpected was logged so far (and forgets it). */
    assertClean(where) {
      if (problems.length) {
        const list = problems.splice(0).join('\n');
        throw new Error(`unexpected console output${where ? ` (${where})` : ''}:\n${list}`);
      }
    },
  };
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}

// ---- dates in the business's zone -------------------------------------------------------

/** Today's date in `timeZone` as YYYY-MM-DD. */
export function todayIn(timeZone = TIME_ZONE, now = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(isoDate, days) {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// ---- the panel ----------------------------------------------------------------------------

/** Opens the panel and signs in as admin (the login form must be showing). */
export async function login(page, baseURL, password = PASSWORD) {
  await page.goto(`${baseURL}/#/`);
  await page.locator('.login-card input[name=username]').fill('admin');
  await page.locator('.login-card input[name=password]').fill(password);
  await page.locator('.login-card button[type=submit]').click();
  await page.locator('.shell .topbar').waitFor();
}

/** Waits for a SweetAlert2 toast and returns its title. */
export async function toastText(page) {
  const toast = page.locator('.swal2-container .swal2-toast .swal2-title').last();
  await toast.waitFor();
  return (await toast.textContent())?.trim() ?? '';
}

/** Waits until no SweetAlert2 popup or toast is left. */
export async function noSwal(page, timeout = 10_000) {
  await page.locator('.swal2-container').waitFor({ state: 'detached', timeout });
}

/**
 * Brings the calendar to the period that holds `selector` (a day cell of a date in the near future):
 * "today" first (when it is enabled), then "next" until the cell shows.
 */
export async function showDate(page, selector, maxClicks = 3) {
  const today = page.locator('.fc .fc-today-button');
  if (await today.isEnabled()) await today.click();
  for (let i = 0; ; i++) {
    try {
      await page.locator(selector).first().waitFor({ timeout: 1000 });
      return;
    } catch {
      if (i >= maxClicks) throw new Error(`the calendar never showed ${selector}`);
    }
    await page.locator('.fc .fc-next-button').click();
  }
}

/** Polls `fn` until it returns a truthy value; returns that value. */
export async function waitUntil(fn, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message} (last: ${last})`);
    await sleep(interval);
  }
}

/**
 * Counts the page's API requests in flight (the event stream aside). `settle()` waits until none has
 * been running for `quietMs`, longer than the panel's 300 ms coalescing of live refreshes, so no
 * refetch re-renders the calendar under a click or a drag.
 */
export function trackRequests(page, urlPart) {
  const inflight = new Set();
  let lastChange = Date.now();
  const counts = (req) => req.url().includes(urlPart) && !req.url().includes('/api/events');
  page.on('request', (req) => {
    if (!counts(req)) return;
    inflight.add(req);
    lastChange = Date.now();
  });
  const done = (req) => {
    if (inflight.delete(req)) lastChange = Date.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return {
    async settle(quietMs = 450, timeout = 10_000) {
      await waitUntil(() => inflight.size === 0 && Date.now() - lastChange >= quietMs, {
        timeout,
        interval: 50,
        message: 'the API requests to settle',
      });
    },
  };
}

/** Waits (at most `timeout`) for running CSS animations and transitions to end, for steady screenshots. */
export async function animationsDone(page, timeout = 1500) {
  await page
    .waitForFunction(
      () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
      undefined,
      { timeout },
    )
    .catch(() => undefined);
}

/** A screenshot once animations have ended. */
export async function snap(page, name, options = {}) {
  await animationsDone(page);
  await page.screenshot({ path: screenshotPath(name), ...options });
}

/**
 * The ordered steps of one flow, one test each: a failed step skips the rest, every step must leave the
 * watched consoles clean, and a failure saves a screenshot of each watched page. `watch()` is asked when
 * a step runs (the pages are opened in `before`) and answers `{ consoles, pages }`, pages by label.
 */
export function orderedSteps(prefix, watch) {
  let failed = null;
  let current;
  afterEach(() => {
    if (current?.failed) failed ??= current.name;
  });
  return (name, fn) =>
    test(name, { timeout: 60_000 }, async (t) => {
      if (failed) {
        t.skip(`an earlier step failed: ${failed}`);
        return;
      }
      current = { name, failed: true };
      const { consoles, pages } = watch();
      try {
        await fn(t);
        for (const con of consoles) con.assertClean(name);
        current.failed = false;
      } catch (err) {
        const n = /^\[(\d+)\]/.exec(name)?.[1] ?? 'x';
        for (const [label, page] of Object.entries(pages)) {
          const file = `failure-${prefix}-step-${n}${label ? `-${label}` : ''}-1280x900`;
          await page.screenshot({ path: screenshotPath(file), fullPage: true }).catch(() => undefined);
        }
        throw err;
      }
    });
}

/** A JSON API client with the browser context's cookies (the same session as its pages). */
export function apiClient(context, baseURL) {
  return async function api(method, path, body) {
    const r = await context.request.fetch(`${baseURL}/api${path}`, {
      method,
      data: body === undefined ? undefined : body,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    });
    const text = await r.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: r.status(), body: parsed };
  };
}

// ---- accessibility (axe-core) ---------------------------------------------------------------

const AXE_SOURCE = path.join(WEB_DIR, 'node_modules', 'axe-core', 'axe.min.js');
/** WCAG 2.1 level A and AA. */
const routed = new WeakSet();

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page as it is now (injected from node_modules once per document) and returns
 * its WCAG 2.1 A/AA violations as readable lines: rule, impact, how many elements, the first few.
 */
export async function axeViolations(page, where) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // The panel's CSP allows same-origin scripts only (no inline ones), so axe is served from a
    // same-origin address the test answers itself: the page's policy stays as in production.
    if (!routed.has(page)) {
      routed.add(page);
      await page.route('**/__e2e/axe.min.js', (route) =>
        route.fulfill({ status: 200, contentType: 'text/javascript', body: readFileSync(AXE_SOURCE, 'utf8') }),
      );
    }
    await page.addScriptTag({ url: '/__e2e/axe.min.js' });
  }
  const violations = await page.evaluate(
    async (tags) => {
      const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}` : ''}`),
      }));
    },
    WCAG_TAGS,
  );
  return violations.map(
    (v) => `${where}: ${v.id} (${v.impact}, ${v.nodes.length} elements): ${v.help}\n    ${v.nodes.slice(0, 4).join('\n    ')}`,
  );
}

// ---- a tour of the panel -------------------------------------------------------------------

/**
 * Every page, calendar view and main form of the signed-in panel on demo data: where to go, what to
 * click, and what shows once its data is in (used by the accessibility and the console tests).
 */
export const PAGE_TOUR = [
  { name: 'home (week) and the appointments table', route: '', ready: ['.fc .fc-timegrid-col[data-date]', '.card .table-wrap[aria-busy="false"] tbody tr'] },
  { name: 'home (month)', route: '', view: 'dayGridMonth', ready: ['.fc .fc-daygrid-day[data-date]'] },
  { name: 'home (day)', route: '', view: 'timeGridDay', ready: ['.fc .fc-timegrid-col[data-date]'] },
  { name: 'home (day by staff member)', route: '', open: '.mode-switch .btn-by-staff', ready: ['.staff-col .fc-timegrid-col[data-date]'] },
  { name: 'add appointment', route: '', open: '.page-head .btn-primary', ready: ['.modal form'] },
  { name: 'services', route: 'services', ready: ['.table-wrap[aria-busy="false"] tbody tr'] },
  { name: 'staff', route: 'staff', ready: ['.staff-table tbody tr[data-staff-id]'] },
  { name: 'staff: add', route: 'staff', open: '.page-head .btn-primary', ready: ['.modal form.staff-form'] },
  {
    name: 'staff: weekly hours and exceptions',
    route: 'staff',
    open: '.staff-table tbody tr:first-child .btn-schedule',
    ready: ['.modal .hours-table', '.modal .staff-exceptions .table-wrap[aria-busy="false"]'],
  },
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

/** Opens one stop of PAGE_TOUR in a fresh document and waits until its data is in. */
export async function visit(page, baseURL, p) {
  await page.goto(`${baseURL}/#/${p.route}`);
  await page.reload(); // a fresh document per page (the hash router keeps the old one otherwise)
  await page.locator('.shell .topbar').waitFor();
  if (p.view) await page.locator(`.fc .fc-${p.view}-button`).click();
  if (p.open) {
    await page.locator('.page .page-head h1').waitFor();
    await page.locator(p.open).click();
  }
  await waitReady(page, p.ready);
}

async function waitReady(page, selectors) {
  for (const s of selectors) await page.locator(s).first().waitFor();
  await page.waitForTimeout(300); // the calendar settles its sizes; transitions end
}

