// Browser benchmarks against a real local Orcheo (run by scripts/bench through scripts/e2e, which
// starts Orcheo and the servers). Numbers, not pass/fail: each line is
//   bench <name> median=<n> min=<n> max=<n> unit=<unit> runs=<n>
// and BENCHMARKS.md records them.
import { echoAttrs, embedTag, gotoHtml, launch, openPage, vars, widgetReady } from '../../tests/e2e/lib/harness.mjs';
import { streamingBackend } from '../../tests/e2e/lib/faults.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 7);

function report(name, values, unit) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const round = (n) => (unit === 'ms' ? n.toFixed(1) : String(Math.round(n)));
  console.log(`bench ${name} median=${round(median)} min=${round(sorted[0])} max=${round(sorted.at(-1))} unit=${unit} runs=${values.length}`);
}

const shadow = (selector) => `document.querySelector('orcheo-chat')?.shadowRoot?.querySelector(${JSON.stringify(selector)})`;

/** A page expression: an assistant message containing `text` is on screen. */
const replyShown = (text) =>
  `[...document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('article[data-role=assistant]')].some((a) => a.textContent.includes(${JSON.stringify(text)}))`;

/** Milliseconds from `start` (a performance.now() in the page) until `condition` holds. */
async function until(page, condition) {
  return page.evaluate(async (source) => {
    const test = new Function(`return (${source});`);
    while (!test()) await new Promise((resolve) => requestAnimationFrame(resolve));
    return performance.now();
  }, condition);
}

/** The JS heap after a full GC, and the page's DOM nodes and event listeners. */
async function memory(page) {
  const session = await page.context().newCDPSession(page);
  // Two collections: the first can leave DOM that was reachable only through JS wrappers.
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  const { nodes, jsEventListeners } = await session.send('Memory.getDOMCounters');
  await session.detach();
  return { heap: usedSize, nodes, listeners: jsEventListeners };
}

/** A page that records the widget's `orcheo-chat:ready` event. */
async function benchPage() {
  const opened = await openPage(browser);
  await opened.page.addInitScript(() => addEventListener('orcheo-chat:ready', () => { window.benchReady = true; }));
  return opened;
}

// Ready, with the panel stage running (an open panel runs it at once).
const ready = async (page) => {
  await page.waitForFunction(() => window.benchReady === true);
  await page.waitForFunction(() => Boolean(document.querySelector('orcheo-chat')?.shadowRoot?.querySelector('[role=log]')));
};
// Ready, the visitor's pointer having reached the launcher (the default preload, "intent", runs
// the panel stage then; the click shows it).
const hovered = async (page) => {
  await page.waitForFunction(() => window.benchReady === true);
  await page.locator('orcheo-chat .launcher').hover();
  await ready(page);
};

const browser = await launch();
const step = (what) => process.env.BENCH_TRACE && console.error(`bench: ${what}`);
const timings = { bubble: [], open: [], composer: [], reply: [], long: [], longTask: [] };
for (let run = 0; run < RUNS; run += 1) {
  // A new context each run: nothing cached; times are from the page's navigation start.
  const { page, context } = await benchPage();
  await gotoHtml(page, `bench-${run}.html`, `<h1>Bench</h1>${embedTag(echoAttrs())}`);
  step('bubble');
  timings.bubble.push(await until(page, `${shadow('.launcher')} && ${shadow('.launcher')}.getBoundingClientRect().width > 0`));
  step('ready');
  await widgetReady(page);
  await hovered(page);
  step('open');
  const clicked = await page.evaluate(() => {
    document.querySelector('orcheo-chat').shadowRoot.querySelector('.launcher').click();
    return performance.now();
  });
  timings.open.push((await until(page, `!${shadow('.panel')}.hidden && document.querySelector('orcheo-chat').shadowRoot.activeElement`)) - clicked);
  // The panel stage the hover ran: its composer is there.
  timings.composer.push((await until(page, `${shadow('[role=log]')} && ${shadow('textarea.input')}`)) - clicked);
  const sent = await page.evaluate(() => {
    const area = document.querySelector('orcheo-chat').shadowRoot.querySelector('textarea');
    area.value = 'benchmark';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    return performance.now();
  });
  step('reply');
  timings.reply.push((await until(page, replyShown('Echo: benchmark'))) - sent);
  await context.close();

  // A ~60 KB markdown reply (about 100 sections with code): from send() to its end on screen.
  step('long');
  const long = await benchPage();
  await gotoHtml(long.page, `bench-long-${run}.html`, embedTag({ backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_LONG, open: 'true' }));
  await ready(long.page);
  const asked = await long.page.evaluate(() => {
    // The longest main-thread task while the reply arrives and renders (0: none over 50 ms).
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
    }).observe({ type: 'longtask' });
    window.OrcheoChat.send('long');
    return performance.now();
  });
  timings.long.push((await until(long.page, replyShown('You said: long'))) - asked);
  timings.longTask.push(await long.page.evaluate(() => window.__longest));
  await long.context.close();
}
// A ~60 KB reply streamed as 2,000 deltas in four paced quarters (a stand-in: Orcheo sends a
// reply whole): the main thread's script and task time per quarter. Flat numbers mean a delta
// costs the same at the end of a long reply as at its start.
const quarters = Array.from({ length: 4 }, (_, q) => {
  let text = '';
  for (let n = 0; text.length < 15000; n += 1) text += `## Part ${q}.${n}\n\nSome text for part ${n} with **bold** and \`code\`.\n\n`;
  return `${text}End of quarter ${q}.\n\n`;
});
const perQuarter = { script: [[], [], [], []], task: [[], [], [], []] };
for (let run = 0; run < RUNS; run += 1) {
  const backend = await streamingBackend({ reply: quarters, deltas: 2000, paced: true });
  const { page, context } = await benchPage();
  await gotoHtml(page, `bench-stream-${run}.html`, embedTag({ backend: `http://127.0.0.1:${backend.address().port}`, workflow: '00000000-0000-4000-8000-000000000002', open: 'true' }));
  await ready(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  await page.evaluate(() => { window.OrcheoChat.send('stream'); });
  for (let q = 0; q < 4; q += 1) {
    const before = await metrics();
    backend.release();
    await page.waitForFunction(replyShown(`End of quarter ${q}.`));
    const after = await metrics();
    perQuarter.script[q].push((after.ScriptDuration - before.ScriptDuration) * 1000);
    perQuarter.task[q].push((after.TaskDuration - before.TaskDuration) * 1000);
  }
  await context.close();
  backend.close();
}
for (let q = 0; q < 4; q += 1) {
  report(`stream_500_deltas_quarter_${q + 1}_script`, perQuarter.script[q], 'ms');
  report(`stream_500_deltas_quarter_${q + 1}_task`, perQuarter.task[q], 'ms');
}

// A 1,000-item conversation on the openai-chatkit test server: restored (its newest 50), then
// every earlier page, then scrolled from its top to its end a screen per frame. The longest
// main-thread task of the page load and restore, and of the earlier pages and the scroll (0:
// none over 50 ms), and the longest frame while scrolling.
const thousand = { restore: [], loadTask: [], all: [], longTask: [], frame: [] };
for (let run = 0; run < RUNS; run += 1) {
  const { page, context } = await benchPage();
  const workflow = '7b0c7f3a-1f4e-4c55-9d31-2a6e0c1f5b20';
  await page.addInitScript((key) => {
    sessionStorage.setItem(key, JSON.stringify({ v: 1, thread_id: 'thr_thousand', visitor_id: 'v_bench_thousand', open: true, draft: '', threads: ['thr_thousand'] }));
  }, `orcheo-chat:v1:${vars.CHATKIT_SERVER_URL}:${workflow}`);
  await page.addInitScript(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await gotoHtml(page, `bench-thousand-${run}.html`, embedTag({ backend: vars.CHATKIT_SERVER_URL, workflow }));
  const count = `document.querySelector('orcheo-chat')?.shadowRoot?.querySelectorAll('article').length`;
  thousand.restore.push(await until(page, `${count} === 50`));
  thousand.loadTask.push(await page.evaluate(() => window.__longest));
  const started = await page.evaluate(() => { window.__longest = 0; return performance.now(); });
  for (let shown = 100; shown <= 1000; shown += 50) {
    await page.evaluate(() => document.querySelector('orcheo-chat').shadowRoot.querySelector('.earlier').click());
    await until(page, `${count} >= ${shown}`);
  }
  thousand.all.push((await page.evaluate(() => performance.now())) - started);
  thousand.frame.push(await page.evaluate(() => new Promise((resolve) => {
    const log = document.querySelector('orcheo-chat').shadowRoot.querySelector('.log');
    log.scrollTop = 0;
    let last = performance.now();
    let longest = 0;
    const step = (now) => {
      longest = Math.max(longest, now - last);
      last = now;
      if (log.scrollTop + log.clientHeight >= log.scrollHeight - 1) return resolve(longest);
      log.scrollTop += log.clientHeight;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  })));
  thousand.longTask.push(await page.evaluate(() => window.__longest));
  await context.close();
}
report('thread_1000_items_restore_newest_50', thousand.restore, 'ms');
report('thread_1000_items_all_earlier_pages', thousand.all, 'ms');
report('thread_1000_items_load_and_restore_longest_task', thousand.loadTask, 'ms');
report('thread_1000_items_earlier_pages_and_scroll_longest_task', thousand.longTask, 'ms');
report('thread_1000_items_longest_scroll_frame', thousand.frame, 'ms');

report('time_to_bubble_from_navigation', timings.bubble, 'ms');
report('open_panel', timings.open, 'ms');
report('composer_from_click_after_hover', timings.composer, 'ms');
report('echo_reply_from_enter', timings.reply, 'ms');
report('long_markdown_reply_60kb_from_send', timings.long, 'ms');
report('long_markdown_reply_60kb_longest_task', timings.longTask, 'ms');

// Memory: the JS heap, DOM nodes and listeners before the widget, after mounting, after 20
// turns with open/close, and after destroy() (what is left is the page's own).
const { page, context } = await benchPage();
await gotoHtml(page, 'bench-empty.html', '<h1>Memory</h1>');
// Playwright injects its own script on the first wait; let it do so here too, so the baseline
// holds it and the difference is the widget's.
await page.waitForFunction(() => document.readyState === 'complete');
const empty = await memory(page);
await gotoHtml(page, 'bench-memory.html', `<h1>Memory</h1>${embedTag(echoAttrs())}`);
await page.evaluate(() => { window.OrcheoChat.open(); window.OrcheoChat.close(); });
await ready(page);
// Connected: the echo workflow's start prompts (from its /public answer) are drawn.
await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.prompts button').length === 2);
const mounted = await memory(page);
for (let turn = 0; turn < 20; turn += 1) {
  await page.evaluate((n) => window.OrcheoChat.send(`turn ${n}`), turn);
  // waitForFunction, not until(): until()'s evaluation keeps the DOM it touched alive in
  // DevTools, which would be counted as the widget's after destroy().
  await page.waitForFunction(replyShown(`Echo: turn ${turn}`));
  await page.evaluate(() => { window.OrcheoChat.open(); window.OrcheoChat.close(); });
}
const afterTurns = await memory(page);
await page.evaluate(() => window.OrcheoChat.destroy());
const destroyed = await memory(page);
for (const [name, sample] of [['page_without_widget', empty], ['after_mount', mounted], ['after_20_turns', afterTurns], ['after_destroy', destroyed]]) {
  report(`js_heap_${name}`, [sample.heap], 'bytes');
  report(`dom_nodes_${name}`, [sample.nodes], 'count');
  report(`event_listeners_${name}`, [sample.listeners], 'count');
}
await context.close();
await browser.close();
