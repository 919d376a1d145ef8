// orcheo-chat side by side with the peer widgets, in one Chromium run (scripts/bench runs it).
// Numbers, not pass/fail; BENCHMARKS.md records them.
//
// Every contestant is embedded as its README shows, its files served from 127.0.0.1 (one origin
// for all, brotli-compressed as a CDN would, with Timing-Allow-Origin so the page can see the
// bytes), the page from another origin, and a dummy backend that answers 404 to everything (no
// contestant talks to a real server, so only the widgets themselves are measured). Every load is
// a fresh browser context (nothing cached). The contestants take turns in each of RUNS rounds,
// so a slow moment of the machine hits all of them alike. Per contestant, medians of:
//   bytes      brotli bytes of the widget's files fetched before its launcher is visible
//   launcher   navigation start -> launcher visible, minus the empty page's time to first frame
//   long       long tasks (> 50 ms) from navigation until the page's load event or the launcher
//              is visible, whichever is later; `long idle` counts those of the 3 s after (the
//              panel stage's idle preload, for orcheo-chat)
//   heap       JS heap after two garbage collections, 3 s after load, minus the empty page's
//   cold       click as soon as the launcher is visible -> composer visible
//   warm       the same after the page has settled and the pointer reached the launcher
//              (orcheo-chat: once its preload has fetched and compiled the panel stage, which
//              the click then runs)
//   warm4x     the same with the whole visit at 4× CPU throttling (a mid-range phone)
// Output: one line per contestant and measure, `peer <contestant> <measure> median=… min=… max=…`,
// and a table for BENCHMARKS.md.
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, contestants, dummyBackend, fileRoots, fileServer, hostPage, listen, stats } from './bench-contestants.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 10);
const SETTLE_MS = 3000;
const peers = JSON.parse(process.argv[2] || '{}');

async function heapBytes(page) {
  const session = await page.context().newCDPSession(page);
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  await session.detach();
  return usedSize;
}

/** Polls (each frame) until `expression` holds in the page; its performance.now(), or NaN. */
function until(page, expression, timeoutMs = 15000) {
  return page.evaluate(async ([source, limit]) => {
    const test = new Function(`return (${source});`);
    const start = performance.now();
    while (!test()) {
      if (performance.now() - start > limit) return NaN;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return performance.now();
  }, [expression, timeoutMs]);
}

async function run(browser, site, contestant, { cold }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((list) => window.__long.push(...list.getEntries().map((e) => [e.startTime, e.duration]))).observe({ type: 'longtask', buffered: true });
  });
  site.html = hostPage(contestant.body({ preload: cold ? 'none' : undefined }));
  await page.goto(site.url);
  const launcher = await until(page, contestant.launcher);
  const result = { launcher };
  if (cold) {
    if (contestant.click && Number.isFinite(launcher)) {
      result.cold = await clickTimed(page, contestant);
    }
    await context.close();
    return result;
  }
  const files = await page.evaluate((time) => performance.getEntriesByType('resource')
    .filter((entry) => entry.responseEnd <= time && entry.initiatorType !== 'navigation')
    .reduce((sum, entry) => sum + entry.encodedBodySize, 0), launcher);
  result.bytes = files;
  await page.waitForLoadState('load');
  const loadEnd = await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd);
  const windowEnd = Math.max(loadEnd, launcher);
  await page.waitForTimeout(SETTLE_MS);
  const long = await page.evaluate(() => window.__long);
  result.long = long.filter(([start]) => start <= windowEnd).length;
  result.longMs = long.filter(([start]) => start <= windowEnd).reduce((sum, [, duration]) => sum + duration, 0);
  result.longIdle = long.filter(([start]) => start > windowEnd).length;
  result.heap = await heapBytes(page);
  if (contestant.click) result.warm = await clickToComposer(page, contestant);
  await context.close();
  return result;
}

/**
 * Click → composer on a settled page, the visitor's pointer having reached the launcher first
 * (what `data-preload="intent"` waits for) and whatever the contestant preloads being in.
 */
async function clickToComposer(page, contestant) {
  const box = await page.evaluate((expression) => {
    const rect = new Function(`return (${expression});`)().getBoundingClientRect();
    return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
  }, contestant.click);
  await page.mouse.move(box.x, box.y);
  if (contestant.preloaded) await until(page, contestant.preloaded);
  return clickTimed(page, contestant);
}

/** Clicks the contestant's launcher: the time from the click to its composer showing. */
async function clickTimed(page, contestant) {
  const clicked = await page.evaluate((expression) => { new Function(`return (${expression});`)().click(); return performance.now(); }, contestant.click);
  return (await until(page, contestant.composer)) - clicked;
}

/** Click → composer after the defaults' preload, the whole visit at 4× CPU throttling. */
async function throttledClick(browser, site, contestant) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const session = await context.newCDPSession(page);
  await session.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  site.html = hostPage(contestant.body());
  await page.goto(site.url);
  await until(page, contestant.launcher);
  await page.waitForLoadState('load');
  await page.waitForTimeout(SETTLE_MS);
  const time = await clickToComposer(page, contestant);
  await context.close();
  return time;
}

const servers = [fileServer(fileRoots(peers)), dummyBackend()];
const [files, api] = await Promise.all(servers.map(listen));
const site = { html: '' };
const siteServer = createServer((request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(site.html));
site.url = `${await listen(siteServer)}/`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
const all = contestants(files, api);
const results = Object.fromEntries(all.map((c) => [c.name, []]));
// A first, discarded round: the file server compresses each file once, on its first request.
for (const contestant of all) await run(browser, site, contestant, { cold: false });
for (let round = 0; round < RUNS; round += 1) {
  for (const contestant of all) {
    const warm = await run(browser, site, contestant, { cold: false });
    const cold = await run(browser, site, contestant, { cold: true });
    const warm4x = contestant.click ? await throttledClick(browser, site, contestant) : NaN;
    results[contestant.name].push({ ...warm, cold: cold.cold, warm4x });
    if (process.env.BENCH_TRACE) console.error(`round ${round} ${contestant.name}`, JSON.stringify(results[contestant.name].at(-1)));
  }
}
await browser.close();
for (const server of [...servers, siteServer]) server.close();

const baseline = all.find((c) => c.baseline).name;
const median = (name, key) => stats(results[name].map((r) => r[key]))?.median ?? NaN;
const baseLauncher = median(baseline, 'launcher');
const baseHeap = median(baseline, 'heap');
const table = [];
for (const contestant of all) {
  const rows = results[contestant.name];
  const measures = {
    bytes: rows.map((r) => r.bytes),
    launcher: rows.map((r) => r.launcher - baseLauncher),
    long: rows.map((r) => r.long),
    long_ms: rows.map((r) => r.longMs),
    long_idle: rows.map((r) => r.longIdle),
    heap: rows.map((r) => r.heap - baseHeap),
    cold: rows.map((r) => r.cold),
    warm: rows.map((r) => r.warm),
    warm4x: rows.map((r) => r.warm4x),
  };
  const line = {};
  for (const [key, values] of Object.entries(measures)) {
    const s = stats(values);
    if (!s) continue;
    line[key] = s.median;
    const round = (n) => (key === 'bytes' || key === 'heap' || key.startsWith('long') ? Math.round(n) : n.toFixed(1));
    console.log(`peer ${contestant.name.replace(/ /g, '_')} ${key} median=${round(s.median)} min=${round(s.min)} max=${round(s.max)} runs=${s.runs}`);
  }
  table.push([contestant.name, line]);
}
const kb = (n) => (Number.isFinite(n) ? `${(n / 1000).toFixed(1)} KB` : '—');
const ms = (n) => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : '—');
console.log('\n| contestant | bytes before the launcher | launcher visible (− empty page) | long tasks during load | JS heap (− empty page) | click → composer, cold | after the preload | after the preload, 4× CPU |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, m] of table) {
  if (name === baseline) {
    console.log(`| ${name} (baseline: first frame ${ms(baseLauncher)}, heap ${kb(baseHeap)}) | — | — | ${m.long ?? '—'} | — | — | — | — |`);
    continue;
  }
  console.log(`| ${name} | ${kb(m.bytes)} | ${ms(m.launcher)} | ${m.long ?? '—'} (${ms(m.long_ms)}) | ${kb(m.heap)} | ${ms(m.cold)} | ${ms(m.warm)} | ${ms(m.warm4x)} |`);
}
const ours = Object.fromEntries(table)['orcheo-chat'];
console.log('\n| orcheo-chat ÷ peer | bytes | launcher | heap | cold click |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, m] of table) {
  if (name === baseline || name === 'orcheo-chat') continue;
  const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : '—');
  console.log(`| ${name} | ${ratio(ours.bytes, m.bytes)} | ${ratio(ours.launcher, m.launcher)} | ${ratio(ours.heap, m.heap)} | ${ratio(ours.cold, m.cold)} |`);
}
