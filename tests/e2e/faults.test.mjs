// The fault matrix: the real Orcheo behind a proxy that cuts, stalls, resets and refuses its
// calls the way networks and restarting servers do (two tabs share one conversation, too), and after each fault what Orcheo stored, counted by asking it directly. A
// visitor's message is stored once, whatever broke, and the reply comes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articles, createWorkflow, embedTag, gotoHtml, openPage, say, secondTab, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';
import { faultProxy, storedMessages } from './lib/faults.mjs';

const suite = suiteBrowser();

/** A page whose widget talks to `workflow` through a fault proxy planned by `fault`. */
async function chatThrough(workflow, file, fault, { init, refuse } = {}) {
  const proxy = await faultProxy(vars.ORCHEO_URL, fault, { refuse });
  const opened = await openPage(suite.browser);
  if (init) await opened.page.addInitScript(init);
  await gotoHtml(opened.page, file, embedTag({ backend: proxy.url, workflow, open: 'true' }));
  await widgetReady(opened.page);
  const close = async () => {
    await opened.context.close();
    proxy.close();
  };
  return { ...opened, proxy, close };
}

const retryButton = (page) => page.locator('orcheo-chat article[data-role="error"], orcheo-chat article[data-role="notice"]').getByRole('button', { name: 'Retry' });
/** Retry once it can be pressed (while the widget asks Orcheo whether it has the message, it cannot). */
const readyRetry = (page) => retryButton(page).and(page.locator(':enabled'));
const composer = (page) => page.getByRole('textbox', { name: 'Message' });

/** Waits for the reply `pattern`, pressing Retry if the widget offers it first. */
async function replyOrRetry(page, pattern) {
  const reply = articles(page, 'assistant').filter({ hasText: pattern });
  await reply.or(readyRetry(page)).first().waitFor({ timeout: 20_000 });
  if (await reply.count() === 0) await retryButton(page).click();
  await reply.waitFor({ timeout: 20_000 });
}

/** What Orcheo stored in the conversation the proxy saw created (once its one fault happened). */
async function stored(proxy, workflow, faults = 1) {
  assert.equal(proxy.seen.faults, faults, 'the planned fault happened');
  const thread = proxy.seen.threads.at(-1);
  assert.ok(thread, 'a conversation was created');
  return storedMessages(vars.ORCHEO_URL, workflow, thread, proxy.seen.visitor);
}

test('a cut right after thread.created: Retry answers the stored message, which Orcheo holds once', async () => {
  // The flaky workflow fails its first run: Orcheo stores the message but no reply.
  const workflow = await createWorkflow({ script: 'flaky.py', name: 'Flaky behind a cut' });
  // The cut comes once the widget has seen the conversation created (its thread.change event).
  let seen;
  const until = new Promise((resolve) => { seen = resolve; });
  const chat = await chatThrough(workflow, 'cut-created.html', (call) => (call.number === 1 ? { cutAfter: 'thread.created', until } : undefined));
  const { page } = chat;
  await page.exposeFunction('__threadSeen', () => seen());
  await page.evaluate(() => window.OrcheoChat.on('thread.change', (event) => { if (event.thread_id) window.__threadSeen(); }));
  await say(page, 'count me once');
  await readyRetry(page).waitFor();
  assert.deepEqual(await articles(page, 'user').allInnerTexts(), ['count me once'], 'the stored message is in the log, once');
  assert.equal(await composer(page).inputValue(), '', 'and not put back to be sent again');
  await retryButton(page).click();
  await articles(page, 'assistant').filter({ hasText: 'It worked on attempt 2. You said: count me once' }).waitFor();
  const server = await stored(chat.proxy, workflow);
  assert.deepEqual(server.user, ['count me once'], 'Orcheo stored the message once');
  assert.equal(server.assistant.length, 1);
  await chat.close();
});

// Cuts after each event Orcheo sends in a turn, in the second message of a conversation; the
// echo workflow answers at once, so a cut often leaves a reply stored that the widget shows.
const CUTS = ['thread.created', 'thread.item.done:user_message', 'stream_options', 'progress_update', 'thread.updated', 'thread.item.done:assistant_message'];

for (const cutAfter of CUTS) {
  test(`a cut after ${cutAfter}: the message is stored once and its reply shows once`, async () => {
    const first = cutAfter === 'thread.created';
    const chat = await chatThrough(vars.ORCHEO_WF_ECHO, `cut-${cutAfter.replace(/[^a-z]/g, '-')}.html`, (call) => (call.number === (first ? 1 : 2) ? { cutAfter } : undefined));
    const { page } = chat;
    if (!first) {
      await say(page, 'before the cut');
      await articles(page, 'assistant').filter({ hasText: 'Echo: before the cut' }).waitFor();
    }
    await say(page, 'through the cut');
    await replyOrRetry(page, 'Echo: through the cut');
    const expected = first ? ['through the cut'] : ['before the cut', 'through the cut'];
    assert.deepEqual(await articles(page, 'user').allInnerTexts(), expected, 'each message shows once');
    assert.equal(await articles(page, 'assistant').count(), expected.length, 'each reply shows once');
    const server = await stored(chat.proxy, vars.ORCHEO_WF_ECHO);
    assert.deepEqual(server.user, expected, 'Orcheo stored each message once');
    assert.equal(server.assistant.length, expected.length);
    await chat.close();
  });
}

test('a stream that stalls after thread.created: Stop, then Retry, stores the message once', async () => {
  const workflow = await createWorkflow({ script: 'flaky.py', name: 'Flaky behind a stall' });
  const chat = await chatThrough(workflow, 'stall.html', (call) => (call.number === 1 ? { stallAfter: 'thread.created' } : undefined));
  const { page } = chat;
  await say(page, 'are you stuck');
  await page.getByRole('button', { name: 'Stop' }).click();
  await readyRetry(page).waitFor();
  assert.deepEqual(await articles(page, 'user').allInnerTexts(), ['are you stuck'], 'the stopped message stays in the log, once');
  await retryButton(page).click();
  await articles(page, 'assistant').filter({ hasText: 'You said: are you stuck' }).waitFor();
  const server = await stored(chat.proxy, workflow);
  assert.deepEqual(server.user, ['are you stuck']);
  await chat.close();
});

const REFUSALS = [
  ['a 500 without CORS', { status: 500, cors: false }, /connection|reach/i],
  ['a 429', { status: 429 }, /Too many messages/],
];

for (const [name, refusal, sentence] of REFUSALS) {
  test(`${name} on the second message keeps its text, and Retry stores it once`, async () => {
    const chat = await chatThrough(vars.ORCHEO_WF_ECHO, `refused-${refusal.status}.html`, (call) => (call.number === 2 ? refusal : undefined));
    const { page } = chat;
    await say(page, 'first');
    await articles(page, 'assistant').filter({ hasText: 'Echo: first' }).waitFor();
    await say(page, 'refused once');
    const error = page.locator('orcheo-chat article[data-role="error"]');
    await error.waitFor();
    assert.match(await error.innerText(), sentence);
    assert.equal(await composer(page).inputValue(), 'refused once', 'the text is kept');
    await readyRetry(page).waitFor();
    await retryButton(page).click();
    await articles(page, 'assistant').filter({ hasText: 'Echo: refused once' }).waitFor();
    assert.equal(await composer(page).inputValue(), '');
    const server = await stored(chat.proxy, vars.ORCHEO_WF_ECHO);
    assert.deepEqual(server.user, ['first', 'refused once']);
    await chat.close();
  });
}

test('offline: the message waits in the composer, and once online Retry stores it once', async () => {
  const chat = await chatThrough(vars.ORCHEO_WF_ECHO, 'offline.html', () => undefined);
  const { page, context } = chat;
  await say(page, 'online');
  await articles(page, 'assistant').filter({ hasText: 'Echo: online' }).waitFor();
  await context.setOffline(true);
  await say(page, 'sent offline');
  await retryButton(page).waitFor();
  assert.equal(await composer(page).inputValue(), 'sent offline');
  await context.setOffline(false);
  await retryButton(page).click();
  await articles(page, 'assistant').filter({ hasText: 'Echo: sent offline' }).waitFor();
  const server = await stored(chat.proxy, vars.ORCHEO_WF_ECHO, 0);
  assert.deepEqual(server.user, ['online', 'sent offline']);
  await chat.close();
});

test('a backend that goes away and comes back (every call refused meanwhile): the text stays, and Retry stores it once', async () => {
  let down = false;
  const chat = await chatThrough(vars.ORCHEO_WF_ECHO, 'restart.html', () => undefined, { refuse: () => down });
  const { page } = chat;
  await say(page, 'before the restart');
  await articles(page, 'assistant').filter({ hasText: 'Echo: before the restart' }).waitFor();
  down = true;
  await say(page, 'during the restart');
  await readyRetry(page).waitFor();
  assert.equal(await composer(page).inputValue(), 'during the restart', 'the text is back in the composer');
  assert.ok(chat.proxy.seen.faults >= 1, 'calls were refused');
  down = false;
  await retryButton(page).click();
  await articles(page, 'assistant').filter({ hasText: 'Echo: during the restart' }).waitFor();
  const server = await storedMessages(vars.ORCHEO_URL, vars.ORCHEO_WF_ECHO, chat.proxy.seen.threads.at(-1), chat.proxy.seen.visitor);
  assert.deepEqual(server.user, ['before the restart', 'during the restart']);
  await chat.close();
});

test('two tabs on one conversation (persist: local), taking turns: each message is stored once, each reply shows where it was asked, and a reload shows all of it once', async () => {
  const proxy = await faultProxy(vars.ORCHEO_URL, () => undefined);
  const { context, page: first, problems } = await openPage(suite.browser);
  await gotoHtml(first, 'two-tabs.html', embedTag({ backend: proxy.url, workflow: vars.ORCHEO_WF_ECHO, open: 'true', persist: 'local' }));
  await widgetReady(first);
  await say(first, 'from the first tab');
  await articles(first, 'assistant').filter({ hasText: 'Echo: from the first tab (turn 1)' }).waitFor();
  const second = await secondTab(first, problems);
  await articles(second, 'user').filter({ hasText: 'from the first tab' }).waitFor();
  // The second tab goes on with the conversation it found, then the first tab again, which has
  // not seen the second tab's turn: Orcheo's history counts it all the same.
  await say(second, 'from the second tab');
  await articles(second, 'assistant').filter({ hasText: 'Echo: from the second tab (turn 3)' }).waitFor();
  await say(first, 'first tab again');
  await articles(first, 'assistant').filter({ hasText: 'Echo: first tab again (turn 5)' }).waitFor();
  assert.equal(proxy.seen.threads.length, 1, 'one conversation');
  const server = await storedMessages(vars.ORCHEO_URL, vars.ORCHEO_WF_ECHO, proxy.seen.threads[0], proxy.seen.visitor);
  assert.deepEqual(server.user, ['from the first tab', 'from the second tab', 'first tab again']);
  // A reload shows what the server has, each message once, in order.
  await first.reload();
  await widgetReady(first);
  await articles(first, 'user').nth(2).waitFor();
  assert.deepEqual(await articles(first, 'user').allInnerTexts(), ['from the first tab', 'from the second tab', 'first tab again']);
  assert.deepEqual(problems, []);
  await context.close();
  proxy.close();
});

test('storage that throws on every call: the widget still chats, once per message', async () => {
  const chat = await chatThrough(vars.ORCHEO_WF_ECHO, 'throwing-storage.html', () => undefined, {
    init: () => {
      for (const name of ['getItem', 'setItem', 'removeItem', 'key', 'clear']) {
        Storage.prototype[name] = () => { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
      }
    },
  });
  const { page, problems } = chat;
  await say(page, 'no storage');
  await articles(page, 'assistant').filter({ hasText: 'Echo: no storage' }).waitFor();
  await say(page, 'still none');
  await articles(page, 'assistant').filter({ hasText: 'Echo: still none' }).waitFor();
  const server = await stored(chat.proxy, vars.ORCHEO_WF_ECHO, 0);
  assert.deepEqual(server.user, ['no storage', 'still none']);
  assert.deepEqual(problems.filter((problem) => !/Failed to load resource/.test(problem)), [], 'nothing reaches the page as an error');
  await chat.close();
});

test('a double click on Send stores one message and gets one reply; Stop is not under the second click', async () => {
  const chat = await chatThrough(vars.ORCHEO_WF_SLOW, 'double-send.html', () => undefined);
  const { page } = chat;
  await composer(page).fill('just once');
  const send = page.getByRole('button', { name: 'Send' });
  const box = await send.boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.click(x, y);
  // A visitor's double click: the second press lands 150 ms later, where Stop now is.
  await page.waitForTimeout(150);
  await page.mouse.click(x, y);
  // (Not elementFromPoint: hit testing skips Stop while it ignores the pointer.)
  const stopBox = await page.getByRole('button', { name: 'Stop' }).boundingBox();
  assert.ok(stopBox && x >= stopBox.x && x <= stopBox.x + stopBox.width && y >= stopBox.y && y <= stopBox.y + stopBox.height, 'the second click landed where Stop now is');
  await page.locator('orcheo-chat .status').filter({ hasText: 'Still working' }).waitFor();
  assert.equal(await page.locator('orcheo-chat article').filter({ hasText: 'You stopped this reply.' }).count(), 0, 'the reply was not stopped');
  await articles(page, 'assistant').filter({ hasText: 'You said: just once' }).waitFor({ timeout: 20_000 });
  const server = await stored(chat.proxy, vars.ORCHEO_WF_SLOW, 0);
  assert.deepEqual(server.user, ['just once']);
  assert.equal(server.assistant.length, 1);
  await chat.close();
});
