// A visitor who moves around a site while the assistant works, against the real local Orcheo:
// a question asked on one page is answered on the next (Orcheo throws away the reply of a run
// whose request was cut, so the widget asks for it again), with the back/forward cache on and
// off, and the server holds the question once and one answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { after, before } from 'node:test';
import { articles, createWorkflow, embedTag, gotoHtml, launch, openPage, say, screenshotPath, secondTab, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';
import { storedMessages } from './lib/faults.mjs';

const suite = suiteBrowser();
// Playwright turns Chromium's back/forward cache off; this browser has it, as visitors do.
let cachingBrowser;
before(async () => {
  cachingBrowser = await launch({ ignoreDefaultArgs: ['--disable-back-forward-cache'] });
});
after(async () => {
  await cachingBrowser?.close();
});

const slowAttrs = { backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_SLOW, open: 'true' };
const QUESTION = 'Where is my order?';
const ANSWER = `You said: ${QUESTION}`;

/** Writes a two-page site (`a` links to `b` and back), each page with the embed. */
async function twoPageSite(page, name, headers) {
  const pageOf = (self, other) => `<h1>Page ${self}</h1><p><a href="${name}-${other}.html">Go to page ${other}</a></p>${embedTag(slowAttrs)}`;
  await gotoHtml(page, `${name}-b.html`, pageOf('b', 'a'), { headers });
  await gotoHtml(page, `${name}-a.html`, pageOf('a', 'b'), { headers });
  await widgetReady(page);
}

/** What the widget stored for the slow workflow in this tab: the conversation and the visitor. */
async function storedIds(page) {
  const key = `orcheo-chat:v1:${vars.ORCHEO_URL}:${vars.ORCHEO_WF_SLOW}`;
  const stored = JSON.parse(await page.evaluate((k) => sessionStorage.getItem(k), key));
  return { thread: stored.thread_id, visitor: stored.visitor_id };
}

const status = (page) => page.locator('orcheo-chat .status');

for (const cache of ['on', 'off']) {
  test(`a question asked on page A is answered on page B, and A shows it once on the way back (back/forward cache ${cache})`, async () => {
    const { page, problems, context } = await openPage(cache === 'on' ? cachingBrowser : suite.browser);
    await page.addInitScript(() => addEventListener('pageshow', (event) => { window.__restoredFromCache = event.persisted; }));
    // (The page server sends `no-store`, which keeps pages out of the cache; these allow it.)
    await twoPageSite(page, `journey-${cache}`, cache === 'on' ? { 'cache-control': 'no-cache' } : undefined);
    await say(page, QUESTION);
    // The workflow is at work (its first progress line), then the visitor follows a link.
    await status(page).filter({ hasText: 'Still working (1/8 s)' }).waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: 'Go to page b' }).click();
    await page.waitForURL(/-b\.html$/);
    await widgetReady(page);

    // Page B: the question once, the workflow at work again with no action, then the answer.
    await articles(page, 'user').filter({ hasText: QUESTION }).waitFor();
    await status(page).filter({ hasText: 'Still working' }).waitFor({ timeout: 15_000 });
    await articles(page, 'assistant').filter({ hasText: ANSWER }).waitFor({ timeout: 20_000 });
    assert.deepEqual(await articles(page, 'user').allInnerTexts(), [QUESTION]);
    assert.equal(await articles(page, 'assistant').count(), 1);
    assert.equal(await page.locator('orcheo-chat article[data-role="error"]').count(), 0, 'no failure was shown');

    // A draft typed on page B, then back to page A: the same conversation, each message once,
    // and the draft.
    await page.locator('orcheo-chat textarea').fill('half a thought');
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForURL(/-a\.html$/, { waitUntil: 'commit' });
    await widgetReady(page);
    const why = await page.evaluate(() => JSON.stringify(performance.getEntriesByType('navigation')[0]?.notRestoredReasons));
    assert.equal(await page.evaluate(() => window.__restoredFromCache === true), cache === 'on', `the back/forward cache was used as planned (${why})`);
    await articles(page, 'assistant').filter({ hasText: ANSWER }).waitFor();
    assert.deepEqual(await articles(page, 'user').allInnerTexts(), [QUESTION]);
    assert.equal(await articles(page, 'assistant').count(), 1);
    assert.ok(await status(page).isHidden(), 'nothing is still working');
    await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelector('textarea').value === 'half a thought');

    const { thread, visitor } = await storedIds(page);
    const server = await storedMessages(vars.ORCHEO_URL, vars.ORCHEO_WF_SLOW, thread, visitor);
    assert.deepEqual(server.user, [QUESTION], 'Orcheo holds the question once');
    assert.equal(server.assistant.length, 1, 'and one answer');
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('on a slow connection, Enter pressed before the panel stage arrives sends the message once, and it is answered', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // 400 ms round trips, 1.6 Mbit/s: the panel stage takes a second or more to arrive.
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 200_000, uploadThroughput: 200_000 });
  await gotoHtml(page, 'slow-enter.html', embedTag({ backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_ECHO, preload: 'intent' }));
  await widgetReady(page);
  await page.getByRole('button', { name: /open/i }).click();
  // The frame's text box: the one shown while the panel stage is on its way.
  const frameBox = page.locator('orcheo-chat .frame-body ~ .composer textarea');
  await frameBox.fill('typed at once');
  await frameBox.press('Enter');
  // The frame shows it as the visitor's message until the panel stage sends it.
  assert.deepEqual(await frameBox.evaluate((area) => [area.hasAttribute('data-sent'), area.value]), [true, 'typed at once']);
  await page.screenshot({ path: screenshotPath('frame-sent') });
  assert.equal(await page.locator('orcheo-chat .frame-body').count(), 1, 'Enter was pressed before the panel stage was up');
  // Shown as the visitor's message while it waits, then answered.
  await articles(page, 'user').filter({ hasText: 'typed at once' }).waitFor({ timeout: 20_000 });
  await articles(page, 'assistant').filter({ hasText: 'Echo: typed at once' }).waitFor({ timeout: 20_000 });
  assert.deepEqual(await articles(page, 'user').allInnerTexts(), ['typed at once']);
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), '', 'the composer is empty');
  const key = `orcheo-chat:v1:${vars.ORCHEO_URL}:${vars.ORCHEO_WF_ECHO}`;
  const stored = JSON.parse(await page.evaluate((k) => sessionStorage.getItem(k), key));
  const server = await storedMessages(vars.ORCHEO_URL, vars.ORCHEO_WF_ECHO, stored.thread_id, stored.visitor_id);
  assert.deepEqual(server.user, ['typed at once'], 'sent once, without a newline');
  assert.deepEqual(problems, []);
  await context.close();
});

test('two tabs on one conversation press Enter within 50 ms of each other, ten times: each question is answered in its own tab and stored once', async () => {
  // A workflow of its own: forty-odd requests in a few seconds stay clear of other tests' rate limit.
  const workflow = await createWorkflow({ name: 'Echo for two tabs' });
  const { context, page: first, problems } = await openPage(suite.browser);
  await gotoHtml(first, 'two-tabs-at-once.html', embedTag({ backend: vars.ORCHEO_URL, workflow, open: 'true', persist: 'local' }));
  await widgetReady(first);
  await say(first, 'opening');
  await articles(first, 'assistant').filter({ hasText: 'Echo: opening' }).waitFor();
  const second = await secondTab(first, problems);
  await articles(second, 'user').filter({ hasText: 'opening' }).waitFor();
  const tabs = [['A', first], ['B', second]];
  const asked = ['opening'];
  for (let round = 1; round <= 10; round += 1) {
    for (const [name, page] of tabs) await page.locator('orcheo-chat textarea').fill(`round ${round} from ${name}`);
    // Both presses go out together (Playwright drives the two tabs at once).
    const pressedAt = await Promise.all(tabs.map(async ([, page]) => {
      await page.locator('orcheo-chat textarea').press('Enter');
      return Date.now();
    }));
    assert.ok(Math.abs(pressedAt[0] - pressedAt[1]) < 50, `pressed within 50 ms (${pressedAt[0] - pressedAt[1]} ms)`);
    for (const [name, page] of tabs) {
      asked.push(`round ${round} from ${name}`);
      await articles(page, 'assistant').filter({ hasText: `Echo: round ${round} from ${name} ` }).waitFor({ timeout: 20_000 });
    }
  }
  // Each tab ends up showing every question once, in the server's order (the other tab's arrive
  // when that tab's turn ends).
  const key = `orcheo-chat:v1:${vars.ORCHEO_URL}:${workflow}`;
  const stored = JSON.parse(await first.evaluate((k) => localStorage.getItem(k), key));
  const server = await storedMessages(vars.ORCHEO_URL, workflow, stored.thread_id, stored.visitor_id);
  assert.equal(server.user.length, 21, 'each question stored once');
  assert.deepEqual([...server.user].sort(), [...asked].sort());
  assert.equal(server.assistant.length, 21, 'and answered once');
  for (const [name, page] of tabs) {
    await page.waitForFunction((count) => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('article[data-role="user"]').length === count, 21);
    assert.deepEqual(await articles(page, 'user').allInnerTexts(), server.user, `tab ${name} shows each question once, in order`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
