// Shared setup for the end-to-end tests. scripts/test starts the real local Orcheo, the page
// server, the widget server (dist/, or the unpacked npm package, on another origin, like a
// CDN) and the token proxy, and passes their addresses in E2E_VARS (a JSON file). Each test
// gets a fresh browser context.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOTS = join(ROOT, 'tests/e2e/screenshots');

function loadVars() {
  const file = process.env.E2E_VARS;
  if (!file) {
    throw new Error('E2E_VARS is not set: run the end-to-end tests through scripts/test (it starts Orcheo and the servers)');
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Orcheo's URL, workflow ids and tokens, and the page, widget and proxy URLs. */
export const vars = loadVars();

/** A page URL on the page origin. */
export function pageUrl(path) {
  return `${vars.PAGE_ORIGIN}/${path.replace(/^\//, '')}`;
}

/** Debian's Chromium, headless; `options` go to Playwright's launch (e.g. `ignoreDefaultArgs`). */
export async function launch(options = {}) {
  return chromium.launch({
    ...options,
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * A fresh page whose console errors, page errors and failed requests are collected, so a test
 * can assert that the widget never broke the page; `violations` are the console's
 * Content-Security-Policy and Trusted Types refusals.
 */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  const warnings = [];
  const violations = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
    if (/Content Security Policy|Trusted Type|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return { context, page, problems, warnings, violations };
}

/**
 * Opens `first`'s page again in a second tab of its context, whose console errors and page
 * errors join `problems`; resolves once the widget is there.
 */
export async function secondTab(first, problems) {
  const second = await first.context().newPage();
  second.on('console', (message) => { if (message.type() === 'error') problems.push(`second tab: ${message.text()}`); });
  second.on('pageerror', (error) => problems.push(`second tab: ${error.message}`));
  await second.goto(first.url());
  await widgetReady(second);
  return second;
}

/** Waits until the widget announced itself ready. */
export async function widgetReady(page) {
  await page.waitForFunction(() => Boolean(window.OrcheoChat && document.querySelector('orcheo-chat')));
  await page.locator('orcheo-chat').first().waitFor({ state: 'attached' });
}

export function screenshotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${name}.png`);
}

/** Creates and optionally publishes a workflow of its own for one test, via Orcheo's REST API. */
export async function createWorkflow({ script = 'echo.py', name = 'Test workflow', publish = 'public', handle, chatkit } = {}) {
  const call = async (method, path, body) => {
    const response = await fetch(`${vars.ORCHEO_URL}${path}`, {
      method,
      headers: { authorization: `Bearer ${vars.ORCHEO_BOOTSTRAP_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const workflow = await call('POST', '/api/workflows', { name, handle, actor: 'e2e' });
  const source = readFileSync(join(ROOT, 'scripts/lib/orcheo/workflows', script), 'utf8');
  await call('POST', `/api/workflows/${workflow.id}/versions/ingest`, { script: source, entrypoint: 'build_graph', created_by: 'e2e' });
  if (chatkit) await call('PUT', `/api/workflows/${workflow.id}`, { chatkit, actor: 'e2e' });
  if (publish === 'public' || publish === 'login') {
    await call('POST', `/api/workflows/${workflow.id}/publish`, { require_login: publish === 'login', actor: 'e2e' });
  }
  return workflow.id;
}

const escapeAttr = (value) => String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The one-tag embed, with `data-*` attributes from `attrs` (camelCase keys become kebab-case). */
export function embedTag(attrs = {}, { src = vars.WIDGET_URL, extra = '' } = {}) {
  const data = Object.entries(attrs)
    .map(([key, value]) => ` data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}="${escapeAttr(value)}"`)
    .join('');
  return `<script src="${src}" async${data}${extra}></script>`;
}

/** The default embed: the local Orcheo's echo workflow. */
export function echoAttrs(extra = {}) {
  return { backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_ECHO, ...extra };
}

/**
 * Writes `body` as an HTML page that the page server (on loopback, like the widget and Orcheo,
 * so Chromium's local-network checks treat all three alike) serves at `path`, with `headers`
 * added to its response, and opens it.
 */
export async function gotoHtml(page, path, body, { head = '', lang = 'en', headers } = {}) {
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="/favicon.svg">${head}<title>e2e</title></head>
<body>${body}</body></html>`;
  mkdirSync(vars.PAGES_DIR, { recursive: true });
  writeFileSync(join(vars.PAGES_DIR, path), html);
  const sidecar = join(vars.PAGES_DIR, `${path}.headers.json`);
  if (headers) writeFileSync(sidecar, JSON.stringify(headers));
  else rmSync(sidecar, { force: true });
  await page.goto(pageUrl(path));
}

/**
 * Opens the page at `path` as another site would (localhost is another origin than 127.0.0.1);
 * resolves once the browser refused a frame in it for its `frame-ancestors`.
 */
export async function refusedFromAnotherSite(page, path) {
  const refused = page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
  await page.goto(pageUrl(path).replace('127.0.0.1', 'localhost'));
  await refused;
}

/**
 * One browser for a test file: launched before its tests, closed after them. Returns a holder
 * whose `browser` is set once the tests run.
 */
export function suiteBrowser() {
  const holder = { browser: undefined };
  before(async () => {
    holder.browser = await launch();
  });
  after(async () => {
    await holder.browser?.close();
  });
  return holder;
}

/** Opens a page (`openPage` options) with the embed `attrs` (plus `before` markup) at `file`. */
export async function openWidget(browser, file, attrs, { before: markup = '', head, lang, ...options } = {}) {
  const opened = await openPage(browser, options);
  await gotoHtml(opened.page, file, `${markup}${embedTag(attrs)}`, { head, lang });
  await widgetReady(opened.page);
  return opened;
}

/** Types into the composer and presses Enter. */
export async function say(page, text) {
  const input = page.locator('orcheo-chat textarea');
  await input.fill(text);
  await input.press('Enter');
}

/** The log's articles of one `data-role`. */
export function articles(page, role) {
  return page.locator(`orcheo-chat article[data-role="${role}"]`);
}

/**
 * How far two PNG screenshots of the same size differ: the largest difference of any colour
 * channel of any pixel (0 for identical pictures, 255 for black against white), or Infinity
 * when their sizes differ. Anti-aliasing noise is 1 or 2; a changed colour, font or layout is
 * far more.
 */
export async function pixelDifference(browser, a, b) {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async ([first, second]) => {
      const load = (base64) => new Promise((resolve, reject) => {
        const image = new Image();
        image.onload = () => resolve(image);
        image.onerror = reject;
        image.src = `data:image/png;base64,${base64}`;
      });
      const [x, y] = await Promise.all([load(first), load(second)]);
      if (x.width !== y.width || x.height !== y.height) return Infinity;
      const pixels = (image) => {
        const canvas = new OffscreenCanvas(image.width, image.height);
        const context = canvas.getContext('2d');
        context.drawImage(image, 0, 0);
        return context.getImageData(0, 0, image.width, image.height).data;
      };
      const [p, q] = [pixels(x), pixels(y)];
      let most = 0;
      for (let i = 0; i < p.length; i += 1) most = Math.max(most, Math.abs(p[i] - q[i]));
      return most;
    }, [a.toString('base64'), b.toString('base64')]);
  } finally {
    await page.close();
  }
}
