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
//   warm       the same after the page has settled (orcheo-chat: after its idle preload has
//              fetched and compiled the panel stage, which the click then runs)
// Output: one line per contestant and measure, `peer <contestant> <measure> median=… min=… max=…`,
// and a table for BENCHMARKS.md.
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const RUNS = Number(process.env.BENCH_RUNS || 10);
const SETTLE_MS = 3000;
const peers = JSON.parse(process.argv[2] || '{}');

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html; charset=utf-8' };
const compressed = new Map();

/** Serves `roots` (by URL prefix), brotli-compressed when the browser accepts it. */
function fileServer(roots) {
  return createServer((request, response) => {
    const url = new URL(request.url, 'http://x');
    const [prefix, ...rest] = decodeURIComponent(url.pathname).slice(1).split('/');
    const base = roots[prefix];
    const file = base && normalize(join(base, ...rest));
    if (!file || !file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'access-control-allow-origin': '*' }).end();
      return;
    }
    const headers = {
      'content-type': TYPES[extname(file)] || 'application/octet-stream',
      'access-control-allow-origin': '*',
      'timing-allow-origin': '*',
      'cache-control': 'no-store',
    };
    let body = readFileSync(file);
    if (/\bbr\b/.test(request.headers['accept-encoding'] || '')) {
      if (!compressed.has(file)) {
        compressed.set(file, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
      }
      body = compressed.get(file);
      headers['content-encoding'] = 'br';
    }
    response.writeHead(200, headers).end(body);
  });
}

/** Answers 404 to everything, with CORS, as a backend that knows no such bot. */
function dummyBackend() {
  return createServer((request, response) => {
    response.writeHead(404, {
      'access-control-allow-origin': request.headers.origin || '*',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': request.headers['access-control-request-headers'] || '*',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'content-type': 'application/json',
    }).end('{"detail":"Not found"}');
  });
}

const listen = (server) => new Promise((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${server.address().port}`)));

const shadow = (host, selector) => `document.querySelector(${JSON.stringify(host)})?.shadowRoot?.querySelector(${JSON.stringify(selector)})`;
const visible = (expression) => `((el) => !!el && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0)(${expression})`;

/** Each contestant: how its README embeds it, and where its launcher and composer are. */
function contestants(files, api) {
  const ours = (extra) => `<script src="${files}/ours/orcheo-chat.js" async data-backend="${api}" data-workflow="5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10"${extra}></script>`;
  return [
    {
      name: 'empty page',
      baseline: true,
      body: () => '',
      launcher: visible('document.getElementById("marker")'),
    },
    {
      name: 'orcheo-chat',
      body: ({ cold }) => ours(cold ? ' data-preload="none"' : ''),
      launcher: visible(shadow('orcheo-chat', '.launcher')),
      click: shadow('orcheo-chat', '.launcher'),
      // The panel stage's composer (not the frame's text box, which shows at once).
      composer: `(${shadow('orcheo-chat', '[role=log]')}) && ${visible(shadow('orcheo-chat', 'textarea.input'))}`,
      // The idle preload fetches and compiles the panel stage, and runs it on the click.
      preloaded: `performance.getEntriesByType('resource').some((entry) => /orcheo-chat-panel-/.test(entry.name) && entry.responseEnd > 0)`,
    },
    {
      name: '@n8n/chat 1.37.0',
      body: () => `<link href="${files}/n8n/dist/style.css" rel="stylesheet"><script type="module">import { createChat } from '${files}/n8n/dist/chat.bundle.es.js'; createChat({ webhookUrl: '${api}/webhook' });</script>`,
      launcher: visible('document.querySelector(".chat-window-toggle")'),
      click: 'document.querySelector(".chat-window-toggle")',
      // With no backend n8n shows no text box; its chat window is the panel.
      composer: visible('document.querySelector(".chat-window")'),
    },
    {
      name: 'flowise-embed 3.1.6',
      body: () => `<script type="module">import Chatbot from '${files}/flowise/dist/web.js'; Chatbot.init({ chatflowid: 'bench', apiHost: '${api}' });</script>`,
      launcher: visible(shadow('flowise-chatbot', 'button')),
      click: shadow('flowise-chatbot', 'button'),
      composer: visible(shadow('flowise-chatbot', 'textarea')),
    },
    {
      name: '@typebot.io/js 0.10.7',
      body: () => `<script type="module">import Typebot from '${files}/typebot/dist/web.js'; Typebot.initBubble({ typebot: 'bench', apiHost: '${api}' });</script>`,
      launcher: visible(shadow('typebot-bubble', 'button')),
      click: shadow('typebot-bubble', 'button'),
      // With no backend Typebot shows no text box; its bot container is the panel.
      composer: visible(shadow('typebot-bubble', '[part=bot]')),
    },
    {
      name: 'deep-chat 2.4.2',
      body: () => `<script type="module" src="${files}/deepchat/dist/deepChat.bundle.js"></script><deep-chat connect='{"url":"${api}/chat"}'></deep-chat>`,
      // An inline component with no launcher: its text box is its "launcher".
      launcher: visible(shadow('deep-chat', '#text-input')),
    },
  ];
}

function stats(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1), runs: sorted.length };
}

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
  site.html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body><h1 id="marker">Bench</h1>${contestant.body({ cold })}</body></html>`;
  await page.goto(site.url);
  const launcher = await until(page, contestant.launcher);
  const result = { launcher };
  if (cold) {
    if (contestant.click && Number.isFinite(launcher)) {
      const clicked = await page.evaluate((expression) => { new Function(`return (${expression});`)().click(); return performance.now(); }, contestant.click);
      result.cold = (await until(page, contestant.composer)) - clicked;
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
  if (contestant.preloaded) await until(page, contestant.preloaded);
  await page.waitForTimeout(SETTLE_MS);
  const long = await page.evaluate(() => window.__long);
  result.long = long.filter(([start]) => start <= windowEnd).length;
  result.longMs = long.filter(([start]) => start <= windowEnd).reduce((sum, [, duration]) => sum + duration, 0);
  result.longIdle = long.filter(([start]) => start > windowEnd).length;
  result.heap = await heapBytes(page);
  if (contestant.click) {
    const clicked = await page.evaluate((expression) => { new Function(`return (${expression});`)().click(); return performance.now(); }, contestant.click);
    result.warm = (await until(page, contestant.composer)) - clicked;
  }
  await context.close();
  return result;
}

const roots = {
  ours: join(ROOT, 'dist'),
  n8n: peers['@n8n/chat'],
  flowise: peers['flowise-embed'],
  typebot: peers['@typebot.io/js'],
  deepchat: peers['deep-chat'],
};
for (const [name, dir] of Object.entries(roots)) {
  if (!dir || !existsSync(dir)) throw new Error(`bench-peers: ${name} is missing (${dir}); run scripts/bench`);
}
const servers = [fileServer(roots), dummyBackend()];
const [files, api] = await Promise.all(servers.map(listen));
const site = { html: '' };
const siteServer = createServer((request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(site.html));
site.url = `${await listen(siteServer)}/`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const all = contestants(files, api);
const results = Object.fromEntries(all.map((c) => [c.name, []]));
// A first, discarded round: the file server compresses each file once, on its first request.
for (const contestant of all) await run(browser, site, contestant, { cold: false });
for (let round = 0; round < RUNS; round += 1) {
  for (const contestant of all) {
    const warm = await run(browser, site, contestant, { cold: false });
    const cold = await run(browser, site, contestant, { cold: true });
    results[contestant.name].push({ ...warm, cold: cold.cold });
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
console.log('\n| contestant | bytes before the launcher | launcher visible (− empty page) | long tasks during load | JS heap (− empty page) | click → composer, cold | after idle preload |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, m] of table) {
  if (name === baseline) {
    console.log(`| ${name} (baseline: first frame ${ms(baseLauncher)}, heap ${kb(baseHeap)}) | — | — | ${m.long ?? '—'} | — | — | — |`);
    continue;
  }
  console.log(`| ${name} | ${kb(m.bytes)} | ${ms(m.launcher)} | ${m.long ?? '—'} (${ms(m.long_ms)}) | ${kb(m.heap)} | ${ms(m.cold)} | ${ms(m.warm)} |`);
}
const ours = Object.fromEntries(table)['orcheo-chat'];
console.log('\n| orcheo-chat ÷ peer | bytes | launcher | heap | cold click |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, m] of table) {
  if (name === baseline || name === 'orcheo-chat') continue;
  const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : '—');
  console.log(`| ${name} | ${ratio(ours.bytes, m.bytes)} | ${ratio(ours.launcher, m.launcher)} | ${ratio(ours.heap, m.heap)} | ${ratio(ours.cold, m.cold)} |`);
}
