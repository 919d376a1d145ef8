// The page cost of orcheo-chat and its peers as site owners measure it: Lighthouse (pinned in
// benches/lighthouse, installed by scripts/bench into .cache/lighthouse) driving Debian's
// Chromium, its mobile profile (the default: simulated slow 4G and a 4× slower CPU) and its
// desktop profile, in one run. Numbers, not pass/fail; BENCHMARKS.md records them.
//
// The host page, the files and the dummy backend are those of scripts/lib/bench-peers.mjs
// (scripts/lib/bench-contestants.mjs); orcheo-chat is measured with each `data-preload` policy.
// Lighthouse never interacts with the page, so what it sees is what a visitor who never opens
// the chat costs. The contestants take turns in each of LH_RUNS rounds (3 by default); per
// contestant and profile, medians of:
//   tbt     Total Blocking Time
//   work    main-thread work (Lighthouse's breakdown: scripting, compiling, style, layout…)
//   bytes   bytes transferred besides the host page itself
// Output: `lighthouse <profile> <contestant> <measure> median=… min=… max=…` lines, then the
// tables for BENCHMARKS.md (with the differences from the empty page, and ratios).
//   node scripts/lib/bench-lighthouse.mjs <lighthouse dir> <peers JSON>
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_FLAGS, contestants, dummyBackend, fileRoots, fileServer, hostPage, listen, stats } from './bench-contestants.mjs';

const [lighthouseDir, peersJson] = process.argv.slice(2);
const RUNS = Number(process.env.LH_RUNS || 3);
const load = (path) => import(pathToFileURL(join(lighthouseDir, 'node_modules', path)).href);
const { default: lighthouse } = await load('lighthouse/core/index.js');
const { default: desktopConfig } = await load('lighthouse/core/config/desktop-config.js');
const chromeLauncher = await load('chrome-launcher/dist/index.js');

const servers = [fileServer(fileRoots(JSON.parse(peersJson || '{}'))), dummyBackend()];
const [files, api] = await Promise.all(servers.map(listen));

// Every contestant, and orcheo-chat once per preload policy (the first is its default).
const pages = [];
for (const contestant of contestants(files, api)) {
  if (contestant.name !== 'orcheo-chat') {
    pages.push({ name: contestant.name, baseline: contestant.baseline, launcher: !!contestant.click, html: hostPage(contestant.body()) });
    continue;
  }
  for (const preload of [undefined, 'idle', 'intent', 'none']) {
    const name = preload ? `orcheo-chat, data-preload="${preload}"` : 'orcheo-chat, defaults';
    pages.push({ name, ours: true, launcher: true, html: hostPage(contestant.body({ preload })) });
  }
}
pages.forEach((page, index) => { page.path = `/${index}.html`; });
const site = createServer((request, response) => {
  const page = pages.find((candidate) => candidate.path === new URL(request.url, 'http://x').pathname);
  response.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page?.html ?? '');
});
const siteUrl = await listen(site);

const profiles = { mobile: undefined, desktop: desktopConfig };
const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: ['--headless=new', ...CHROMIUM_FLAGS] });
const results = {};
try {
  for (let round = 0; round < RUNS; round += 1) {
    for (const [profile, config] of Object.entries(profiles)) {
      for (const page of pages) {
        const url = siteUrl + page.path;
        const runner = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] }, config);
        const { audits } = runner.lhr;
        if (runner.lhr.runtimeError) throw new Error(`${page.name}: ${runner.lhr.runtimeError.message}`);
        const requests = audits['network-requests'].details.items;
        const row = {
          tbt: audits['total-blocking-time'].numericValue,
          work: audits['mainthread-work-breakdown'].numericValue,
          bytes: requests.filter((item) => item.url !== url).reduce((sum, item) => sum + (item.transferSize || 0), 0),
        };
        ((results[profile] ??= {})[page.name] ??= []).push(row);
        if (process.env.BENCH_TRACE) console.error(`round ${round} ${profile} ${page.name}`, JSON.stringify(row));
      }
    }
  }
} finally {
  chrome.kill();
  for (const server of [...servers, site]) server.close();
}

const ms = (n) => `${Math.round(n)} ms`;
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const signed = (n, format) => (n > 0 ? `+${format(n)}` : n < 0 ? `−${format(-n)}` : format(0));
for (const [profile, byPage] of Object.entries(results)) {
  const median = (name, key) => stats(byPage[name].map((row) => row[key])).median;
  for (const page of pages) {
    for (const key of ['tbt', 'work', 'bytes']) {
      const s = stats(byPage[page.name].map((row) => row[key]));
      console.log(`lighthouse ${profile} ${page.name.replace(/[ ,]+/g, '_')} ${key} median=${Math.round(s.median)} min=${Math.round(s.min)} max=${Math.round(s.max)} runs=${s.runs}`);
    }
  }
  const empty = pages.find((page) => page.baseline).name;
  console.log(`\nLighthouse ${profile} (medians of ${RUNS}; the empty page: TBT ${ms(median(empty, 'tbt'))}, main-thread work ${ms(median(empty, 'work'))})\n`);
  console.log('| contestant | TBT − empty page | main-thread work − empty page | transferred besides the page |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const page of pages) {
    if (page.baseline) continue;
    const launcher = page.launcher ? '' : ' (inline, no launcher)';
    console.log(`| ${page.name}${launcher} | ${signed(median(page.name, 'tbt') - median(empty, 'tbt'), ms)} | ${signed(median(page.name, 'work') - median(empty, 'work'), ms)} | ${kb(median(page.name, 'bytes'))} |`);
  }
  const ours = pages.find((page) => page.ours).name;
  console.log(`\n| ${ours} ÷ peer (${profile}) | main-thread work − empty page | transferred |`);
  console.log('| --- | ---: | ---: |');
  const extra = (name) => median(name, 'work') - median(empty, 'work');
  const ratio = (a, b) => (b > 0 ? (a / b).toFixed(2) : '—');
  for (const page of pages) {
    if (page.baseline || page.ours) continue;
    console.log(`| ${page.name} | ${ratio(extra(ours), extra(page.name))} | ${ratio(median(ours, 'bytes'), median(page.name, 'bytes'))} |`);
  }
}
