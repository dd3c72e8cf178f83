// First-load measurement of the Home page (not a test: timings on shared machines are noisy, so
// nothing here passes or fails). Run from web/ with `node e2e/measure-load.mjs` (not part of
// `npm run e2e`); it needs the binary and web/dist like the e2e tests.
//
// Starts the binary with ZAPYS_DEMO=1 on a temporary database, logs in once, then opens the Home page
// RUNS times (default 10), each in a fresh page of the same browser context: the first half with the
// browser cache disabled (cold), the other half with a warm cache (after one unmeasured load that fills
// it). For each load: domContentLoaded and load (from the navigation timing entry) and the time until
// the first FullCalendar event is visible (a MutationObserver in the page, from navigation start).
// Prints the medians, the bytes transferred by the first cold load, and the sizes (raw and gzip) of
// the files in web/dist/assets.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, login, startServer, WEB_DIR } from './harness.mjs';

const RUNS = Number(process.env.RUNS || 10);

/** Records in the page when the first `.fc-event` with a size inside the viewport appears. */
const FIRST_EVENT_PROBE = () => {
  const visible = () => {
    for (const el of document.querySelectorAll('.fc .fc-event')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && getComputedStyle(el).visibility !== 'hidden') {
        return true;
      }
    }
    return false;
  };
  const check = () => {
    if (window.__firstEventAt === undefined && visible()) {
      window.__firstEventAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  const start = () => observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true });
  if (document.documentElement) start();
  else document.addEventListener('readystatechange', start, { once: true });
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(0)} ms`;
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** One load of the Home page in a fresh page; returns its timings (and the bytes it moved). */
async function loadHome(context, baseURL, { cold }) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: cold });
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => requests.set(e.requestId, { url: e.request.url, type: e.type, bytes: 0, cached: false }));
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.cached = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) {
      r.status = e.response.status;
      r.fromDiskCache = e.response.fromDiskCache;
      r.encoding = e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? null;
    }
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  cdp.on('Network.dataReceived', (e) => {
    // The event stream never finishes: count what it sent so far.
    const r = requests.get(e.requestId);
    if (r && r.type === 'EventSource') r.bytes += e.encodedDataLength;
  });
  await page.addInitScript(FIRST_EVENT_PROBE);
  try {
    await page.goto(`${baseURL}/#/`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__firstEventAt !== undefined, undefined, { timeout: 30_000 });
    await page.waitForLoadState('networkidle').catch(() => undefined); // the event stream may keep it busy
    await page.waitForTimeout(300);
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        domContentLoaded: nav.domContentLoadedEventEnd - nav.startTime,
        load: nav.loadEventEnd - nav.startTime,
        firstEvent: window.__firstEventAt - nav.startTime,
      };
    });
    return { ...t, requests: [...requests.values()] };
  } finally {
    await cdp.detach().catch(() => undefined);
    await page.close();
  }
}

function assetSizes() {
  const dir = path.join(WEB_DIR, 'dist', 'assets');
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const buf = readFileSync(path.join(dir, name));
      return { name, raw: statSync(path.join(dir, name)).size, gzip: gzipSync(buf, { level: 9 }).length };
    });
}

const server = await startServer({ demo: true });
const browser = await launchBrowser();
try {
  const first = browser.context.pages()[0] ?? (await browser.context.newPage());
  await login(first, server.baseURL);
  await first.close();

  const cold = [];
  const warm = [];
  const half = Math.ceil(RUNS / 2);
  for (let i = 0; i < half; i++) cold.push(await loadHome(browser.context, server.baseURL, { cold: true }));
  await loadHome(browser.context, server.baseURL, { cold: false }); // fills the cache, not measured
  for (let i = half; i < RUNS; i++) warm.push(await loadHome(browser.context, server.baseURL, { cold: false }));

  const row = (label, runs) =>
    `${label.padEnd(12)} n=${String(runs.length).padEnd(3)} domContentLoaded ${ms(median(runs.map((r) => r.domContentLoaded))).padStart(8)}` +
    `   load ${ms(median(runs.map((r) => r.load))).padStart(8)}   first event visible ${ms(median(runs.map((r) => r.firstEvent))).padStart(8)}`;

  console.log(`Home page (#/), demo data, ${RUNS} loads in fresh pages, medians (from navigation start):`);
  console.log(row('cold cache', cold));
  console.log(row('warm cache', warm));
  console.log(row('all', [...cold, ...warm]));
  console.log('');
  console.log('each load (ms: domContentLoaded / load / first event):');
  for (const [label, runs] of [['cold', cold], ['warm', warm]]) {
    console.log(`  ${label}: ${runs.map((r) => `${r.domContentLoaded.toFixed(0)}/${r.load.toFixed(0)}/${r.firstEvent.toFixed(0)}`).join('  ')}`);
  }

  const firstCold = cold[0].requests;
  const total = firstCold.reduce((sum, r) => sum + r.bytes, 0);
  console.log('');
  console.log(`first cold load: ${firstCold.length} requests, ${total} bytes transferred (${kb(total)}), headers included:`);
  for (const r of firstCold) {
    const u = new URL(r.url);
    const where = u.protocol === 'data:' ? `${r.url.slice(0, 40)}…` : `${u.pathname}${u.search}`;
    console.log(
      `  ${String(r.status ?? '-').padEnd(4)} ${(r.type ?? '').padEnd(12)} ${String(r.bytes).padStart(8)} B  ${r.encoding ? `(${r.encoding}) ` : ''}${where}`,
    );
  }
  const warmBytes = warm[0]?.requests.reduce((sum, r) => sum + r.bytes, 0);
  if (warmBytes !== undefined) console.log(`first warm load: ${warm[0].requests.length} requests, ${warmBytes} bytes from the network (${kb(warmBytes)})`);

  console.log('');
  console.log('web/dist/assets:');
  let raw = 0;
  let gz = 0;
  for (const f of assetSizes()) {
    raw += f.raw;
    gz += f.gzip;
    console.log(`  ${f.name.padEnd(28)} raw ${String(f.raw).padStart(8)} B (${kb(f.raw).padStart(10)})   gzip -9 ${String(f.gzip).padStart(7)} B (${kb(f.gzip).padStart(9)})`);
  }
  console.log(`  ${'total'.padEnd(28)} raw ${String(raw).padStart(8)} B (${kb(raw).padStart(10)})   gzip -9 ${String(gz).padStart(7)} B (${kb(gz).padStart(9)})`);
} finally {
  await browser.close();
  await server.stop();
}
