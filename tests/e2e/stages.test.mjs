// The two stages: the script tag brings only the launcher stage; the panel stage's chunk comes
// when data-preload says (after the page's load when idle, on intent, or only when needed), is
// checked against its SRI hash, and a failed load shows a sentence with Retry. A click before the
// panel stage is ready opens the frame at once, and what the visitor types there is kept.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { articles, echoAttrs, embedTag, gotoHtml, openPage, say, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';
import { faultProxy } from './lib/faults.mjs';

const suite = suiteBrowser();
const manifest = JSON.parse(readFileSync(join(vars.WIDGET_DIR, 'manifest.json'), 'utf8'));
const chunkFile = manifest.chunks['split_panel.wasm'];
const chunkUrl = `${vars.WIDGET_ORIGIN}/${chunkFile}`;

const widget = (page) => page.locator('orcheo-chat');
const panelStage = (page) => widget(page).locator('[role="log"]');
const frameFailure = (page) => widget(page).getByText("The chat couldn't load. Check your connection and try again.");

/** The widget's files the page has fetched so far, in order, with when each started. */
function fetched(page) {
  return page.evaluate(() => performance.getEntriesByType('resource')
    .filter((entry) => /orcheo-chat/.test(entry.name))
    .map((entry) => ({ file: new URL(entry.name).pathname.slice(1), start: entry.startTime })));
}

/** Resolves once the page has loaded and the browser has been idle twice since. */
async function loadedAndIdle(page) {
  await page.waitForLoadState('load');
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => requestIdleCallback(resolve, { timeout: 3000 }), { timeout: 3000 })));
}

async function open(attrs, file, options = {}) {
  const opened = await openPage(suite.browser, options);
  await gotoHtml(opened.page, file, `<h1>Stages</h1>${embedTag(echoAttrs(attrs))}`);
  await widgetReady(opened.page);
  return opened;
}

test('with data-preload="idle" the script tag fetches only the launcher stage; an idle browser fetches and compiles the panel stage, not runs it, and the backend hears nothing until the visitor acts', async () => {
  const backend = await faultProxy(vars.ORCHEO_URL);
  const { page, problems, context } = await openPage(suite.browser);
  await gotoHtml(page, 'stage-idle.html', `<h1>Stages</h1>${embedTag({ backend: backend.url, workflow: vars.ORCHEO_WF_ECHO, preload: 'idle' })}`);
  await widgetReady(page);
  await page.waitForFunction((file) => performance.getEntriesByType('resource').some((entry) => entry.name.endsWith(file)), chunkFile);
  const files = await fetched(page);
  const loadEnd = await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd);
  const chunk = files.find((entry) => entry.file === chunkFile);
  assert.ok(chunk.start >= loadEnd, `only after the page's load event (${chunk.start} ms, load ended at ${loadEnd} ms)`);
  const before = files.filter((entry) => entry.start < loadEnd).map((entry) => entry.file);
  assert.deepEqual(before, ['orcheo-chat.js', manifest.wasm], 'before that: the script and the launcher stage only');
  await loadedAndIdle(page);
  assert.equal(await panelStage(page).count(), 0, 'compiled, not run: nothing mounted');
  assert.equal(backend.seen.requests, 0, 'a page view with no interaction sends the backend nothing');
  // The widget stage waits for the chat to be on screen: a closed bubble never fetches it.
  const widgetStage = manifest.chunks['split_widgets.wasm'];
  assert.ok(!(await fetched(page)).some((entry) => entry.file === widgetStage), 'no widget stage for a chat nobody opened');
  // The first hover runs the compiled stage (not fetched again); a click opens a working composer.
  await widget(page).locator('.launcher').hover();
  await panelStage(page).waitFor({ state: 'attached' });
  assert.equal(await widget(page).locator('.panel').isHidden(), true, 'hovering runs it but does not open');
  await widget(page).locator('.launcher').click();
  await say(page, 'after the idle preload');
  await articles(page, 'assistant').filter({ hasText: 'Echo: after the idle preload' }).waitFor();
  assert.equal((await fetched(page)).filter((entry) => entry.file === chunkFile).length, 1, 'the panel stage was fetched once');
  assert.deepEqual(problems, []);
  await context.close();
  backend.close();
});

test('a German visitor gets the launcher\'s strings with the script and the panel\'s with the panel stage, never an English panel', async () => {
  const { launcher, panel } = manifest.locales.de;
  const { page, problems, context } = await open({ preload: 'intent' }, 'stage-german.html', { locale: 'de-DE' });
  await loadedAndIdle(page);
  assert.deepEqual((await fetched(page)).map((entry) => entry.file).sort(), ['orcheo-chat.js', manifest.wasm, launcher.file].sort(), 'no panel strings before the panel');
  assert.equal(await widget(page).locator('.launcher').getAttribute('aria-label'), 'Chat öffnen');
  // The first panel drawn is German: Send is labelled in German from the start.
  await page.evaluate(() => {
    window.sendLabels = [];
    new MutationObserver(() => {
      const send = document.querySelector('orcheo-chat').shadowRoot.querySelector('button.send');
      if (send) window.sendLabels.push(send.getAttribute('aria-label'));
    }).observe(document.querySelector('orcheo-chat').shadowRoot, { subtree: true, childList: true, attributes: true });
  });
  await widget(page).locator('.launcher').click();
  await panelStage(page).waitFor();
  const files = (await fetched(page)).map((entry) => entry.file);
  assert.ok(files.includes(panel.file), `the panel's strings came with it: ${files}`);
  assert.equal(await widget(page).getByRole('textbox').getAttribute('aria-label'), 'Nachricht');
  const labels = await page.evaluate(() => [...new Set(window.sendLabels)]);
  assert.deepEqual(labels, ['Senden'], 'never labelled in English');
  assert.deepEqual(problems, []);
  await context.close();
});

test('by default (data-preload="intent") a page view fetches the launcher stage alone and sends the backend nothing; the pointer on the launcher runs the panel stage, and a click opens a working composer', async () => {
  const backend = await faultProxy(vars.ORCHEO_URL);
  const { page, problems, context } = await openPage(suite.browser);
  await gotoHtml(page, 'stage-intent.html', `<h1>Stages</h1>${embedTag({ backend: backend.url, workflow: vars.ORCHEO_WF_ECHO })}`);
  await widgetReady(page);
  await loadedAndIdle(page);
  assert.deepEqual((await fetched(page)).map((entry) => entry.file), ['orcheo-chat.js', manifest.wasm]);
  assert.equal(backend.seen.requests, 0, 'a page view with no interaction sends the backend nothing');
  const loading = page.waitForRequest(chunkUrl);
  await widget(page).locator('.launcher').hover();
  await loading;
  await panelStage(page).waitFor({ state: 'attached' });
  assert.equal(await widget(page).locator('.panel').isHidden(), true, 'hovering loads but does not open');
  await widget(page).locator('.launcher').click();
  await say(page, 'after hovering');
  await articles(page, 'assistant').filter({ hasText: 'Echo: after hovering' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
  backend.close();
});

test('idle preloading waits for intent on a save-data connection', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  await page.addInitScript(() => Object.defineProperty(navigator, 'connection', { value: { saveData: true, effectiveType: '4g' } }));
  await gotoHtml(page, 'stage-save-data.html', embedTag(echoAttrs({ preload: 'idle' })));
  await widgetReady(page);
  await loadedAndIdle(page);
  assert.deepEqual((await fetched(page)).map((entry) => entry.file), ['orcheo-chat.js', manifest.wasm]);
  await widget(page).locator('.launcher').focus();
  await panelStage(page).waitFor({ state: 'attached' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('with data-preload="none" neither idleness nor hovering loads the panel stage; a click does', async () => {
  const { page, problems, context } = await open({ preload: 'none' }, 'stage-none.html');
  await loadedAndIdle(page);
  await widget(page).locator('.launcher').hover();
  await loadedAndIdle(page);
  assert.deepEqual((await fetched(page)).map((entry) => entry.file), ['orcheo-chat.js', manifest.wasm]);
  await widget(page).locator('.launcher').click();
  await widget(page).getByRole('textbox', { name: 'Message' }).waitFor();
  await panelStage(page).waitFor();
  await say(page, 'loaded on click');
  await articles(page, 'assistant').filter({ hasText: 'Echo: loaded on click' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a click before the panel stage is ready shows the busy panel at once, and what is typed there is kept', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(chunkUrl, async (route) => {
    await held;
    await route.continue();
  });
  await gotoHtml(page, 'stage-early-click.html', embedTag(echoAttrs({ preload: 'none' })));
  await widgetReady(page);
  await widget(page).locator('.launcher').click();
  const panel = widget(page).getByRole('dialog');
  await panel.waitFor();
  assert.equal(await panel.getAttribute('aria-busy'), 'true', 'busy while the panel stage loads');
  await widget(page).getByText('Loading the chat…').waitFor();
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.activeElement?.tagName === 'TEXTAREA');
  await page.keyboard.type('typed early');
  release();
  await panelStage(page).waitFor();
  await page.waitForFunction(() => !document.querySelector('orcheo-chat').shadowRoot.querySelector('[role=dialog]').hasAttribute('aria-busy'));
  const composer = widget(page).getByRole('textbox', { name: 'Message' });
  assert.equal(await composer.count(), 1, 'one text box: the frame gave way to the composer');
  assert.equal(await composer.inputValue(), 'typed early', 'the text is kept');
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.activeElement?.classList.contains('input'));
  await page.keyboard.type(' and more');
  await page.keyboard.press('Enter');
  await articles(page, 'assistant').filter({ hasText: 'Echo: typed early and more' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a panel stage that fails to load once shows a sentence, and Retry loads it and sends the message sent meanwhile', async () => {
  const { page, context } = await openPage(suite.browser);
  let attempts = 0;
  let sent;
  const enterPressed = new Promise((resolve) => { sent = resolve; });
  await page.route(chunkUrl, async (route) => {
    attempts += 1;
    if (attempts === 1) {
      await enterPressed;
      await route.fulfill({ status: 404, body: 'gone' });
    } else await route.continue();
  });
  await gotoHtml(page, 'stage-404.html', embedTag(echoAttrs({ preload: 'none', open: 'true' })));
  await widgetReady(page);
  // Enter in the frame while the stage is on its way (and about to fail).
  const frameBox = widget(page).locator('.frame-body ~ .composer textarea');
  await frameBox.fill('typed before the failure');
  await frameBox.press('Enter');
  // Closed and opened again while the stage is on its way (the frame is drawn again): still
  // shown as sent.
  await widget(page).getByRole('button', { name: 'Close chat' }).first().click();
  await widget(page).locator('.launcher').click();
  assert.deepEqual(await frameBox.evaluate((area) => [area.hasAttribute('data-sent'), area.value]), [true, 'typed before the failure']);
  sent();
  await frameFailure(page).waitFor();
  // Still the visitor's message, waiting; it is the stored draft, so leaving loses nothing.
  assert.deepEqual(await frameBox.evaluate((area) => [area.hasAttribute('data-sent'), area.value]), [true, 'typed before the failure']);
  await widget(page).getByRole('button', { name: 'Retry' }).click();
  await panelStage(page).waitFor();
  assert.equal(attempts, 2, 'fetched again');
  await articles(page, 'assistant').filter({ hasText: 'Echo: typed before the failure' }).waitFor();
  assert.deepEqual(await articles(page, 'user').allInnerTexts(), ['typed before the failure'], 'sent once');
  await context.close();
});

test('a panel stage whose bytes do not match its hash is refused', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const genuine = readFileSync(join(vars.WIDGET_DIR, chunkFile));
  const tampered = Buffer.from(genuine);
  tampered[tampered.length - 1] ^= 0xff;
  await page.route(chunkUrl, (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: tampered, headers: { 'access-control-allow-origin': '*' } }));
  await gotoHtml(page, 'stage-tampered.html', embedTag(echoAttrs({ preload: 'none', open: 'true' })));
  await widgetReady(page);
  await frameFailure(page).waitFor();
  assert.equal(await panelStage(page).count(), 0, 'never instantiated');
  assert.ok(problems.some((problem) => problem.includes(chunkFile)), `the console names the file: ${problems}`);
  assert.deepEqual(pageErrors, [], 'nothing thrown into the page');
  await context.close();
});

test('OrcheoChat.send() before the panel stage loads it, and the reply comes back', async () => {
  const { page, problems, context } = await open({ preload: 'none' }, 'stage-api.html');
  assert.equal(await panelStage(page).count(), 0);
  const reply = await page.evaluate(() => window.OrcheoChat.send('loaded by the API'));
  assert.match(reply, /^Echo: loaded by the API/);
  assert.equal(await widget(page).locator('.panel').isHidden(), true, 'the panel stays closed');
  assert.deepEqual(problems, []);
  await context.close();
});

test('destroy() while the panel stage downloads: a waiting send() is refused, nothing mounts, nothing is thrown', async () => {
  const { page, context } = await openPage(suite.browser);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let requested;
  const chunkAsked = new Promise((resolve) => { requested = resolve; });
  await page.route(chunkUrl, async (route) => {
    requested();
    await held;
    await route.continue();
  });
  // Records every instantiation, so the test can wait for the late chunk's.
  await page.addInitScript(() => {
    window.instantiations = [];
    for (const name of ['instantiate', 'instantiateStreaming']) {
      const original = WebAssembly[name];
      WebAssembly[name] = function (...args) {
        const result = original.apply(this, args);
        window.instantiations.push(result.then(() => 'ok', (error) => String(error)));
        return result;
      };
    }
  });
  await gotoHtml(page, 'stage-destroy.html', embedTag(echoAttrs({ preload: 'none' })));
  await widgetReady(page);
  await page.evaluate(() => {
    window.sent = window.OrcheoChat.send('never sent').then(() => 'resolved', (error) => error.code);
  });
  await chunkAsked;
  await page.evaluate(() => window.OrcheoChat.destroy());
  const afterDestroy = [];
  page.on('request', (request) => { if (request.url().includes('/api/')) afterDestroy.push(request.url()); });
  assert.equal(await page.evaluate(() => window.sent), 'destroyed');
  assert.equal(await widget(page).count(), 0, 'the widget left the page');
  const before = await page.evaluate(() => window.instantiations.length);
  release();
  // The chunk arrives after destroy(): it is instantiated, then (once the tasks queued behind
  // it have run) has found nothing to mount into.
  await page.waitForFunction((count) => window.instantiations.length > count, before);
  const outcomes = await page.evaluate(async () => {
    const all = await Promise.all(window.instantiations);
    await new Promise((resolve) => setTimeout(resolve, 0));
    return all;
  });
  assert.deepEqual(outcomes, outcomes.map(() => 'ok'));
  assert.deepEqual(afterDestroy, [], 'the late panel stage never started connecting');
  assert.deepEqual(pageErrors, [], 'nothing thrown into the page');
  await context.close();
});

test('when the widget cannot load at all, a waiting send() is refused and the page is told why', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  await page.route(`${vars.WIDGET_ORIGIN}/${manifest.wasm}`, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await gotoHtml(page, 'stage-no-wasm.html', embedTag(echoAttrs({})));
  const code = await page.evaluate(() => window.OrcheoChat.send('hello?').then(() => 'resolved', (error) => error.code));
  assert.equal(code, 'network');
  assert.ok(problems.some((problem) => problem.includes(manifest.wasm)), `the console names the file: ${problems}`);
  await context.close();
});

test('setOptions({metadata}) after mount reaches the next request', async () => {
  const { page, problems, context } = await open({ open: 'true' }, 'stage-metadata.html');
  const bodies = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/chatkit') && request.method() === 'POST') bodies.push(JSON.parse(request.postData()));
  });
  await widget(page).getByRole('textbox', { name: 'Message' }).waitFor();
  await page.evaluate(() => window.OrcheoChat.setOptions({ metadata: { plan: 'pro' } }));
  await say(page, 'with metadata');
  await articles(page, 'assistant').filter({ hasText: 'Echo: with metadata' }).waitFor();
  const sent = bodies.find((body) => body.type === 'threads.create');
  assert.equal(sent.metadata.plan, 'pro');
  assert.equal(sent.metadata.workflow_id, vars.ORCHEO_WF_ECHO);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a reply in flight when the last page went away loads the panel stage at once and restores the conversation', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  // First visit: a conversation whose reply was still streaming when the visitor navigated on.
  await gotoHtml(page, 'stage-pending.html', embedTag(echoAttrs({ preload: 'none', open: 'true' })));
  await widgetReady(page);
  await say(page, 'before leaving');
  await articles(page, 'assistant').filter({ hasText: 'Echo: before leaving' }).waitFor();
  const key = `orcheo-chat:v1:${vars.ORCHEO_URL}:${vars.ORCHEO_WF_ECHO}`;
  await page.evaluate((storageKey) => {
    const saved = JSON.parse(sessionStorage.getItem(storageKey));
    // The note the widget leaves while a question's answer is on its way.
    const asked = { thread_id: saved.thread_id, item_id: null, text: 'before leaving', after: null, at: Date.now(), resumed: false };
    sessionStorage.setItem(storageKey, JSON.stringify({ ...saved, open: false, asked }));
  }, key);
  // The next page load: closed panel, preload "none", and still the panel stage comes at once.
  await gotoHtml(page, 'stage-pending-2.html', embedTag(echoAttrs({ preload: 'none' })));
  await widgetReady(page);
  await panelStage(page).waitFor({ state: 'attached' });
  await articles(page, 'assistant').filter({ hasText: 'Echo: before leaving' }).waitFor({ state: 'attached' });
  assert.equal(await widget(page).locator('.panel').isHidden(), true, 'restored behind the closed launcher');
  // The answer is there: nothing is asked again, and the note is done with.
  await page.waitForFunction((storageKey) => JSON.parse(sessionStorage.getItem(storageKey)).asked === null, key);
  assert.equal(await articles(page, 'assistant').count(), 1, 'not asked again');
  assert.deepEqual(problems, []);
  await context.close();
});
