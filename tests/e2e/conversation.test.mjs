// Published mode against the real local Orcheo: a conversation, its persistence across a
// reload, a fresh thread, the JS API, and a workflow named by its handle.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articles, echoAttrs, embedTag, gotoHtml, openPage, openWidget, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();



test('send, get the echo reply, continue the thread, and find it all again after a reload', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'conversation.html', echoAttrs({ open: 'true' }));
  await say(page, 'Hello Orcheo');
  await assert.doesNotReject(articles(page, 'assistant').filter({ hasText: 'Echo: Hello Orcheo' }).waitFor());
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), '', 'the composer is cleared');
  await say(page, 'Second message');
  await articles(page, 'assistant').filter({ hasText: 'Echo: Second message (turn 3)' }).waitFor();
  assert.deepEqual(await articles(page, 'user').allInnerTexts(), ['Hello Orcheo', 'Second message']);
  const ids = await page.locator('orcheo-chat article').evaluateAll((els) => els.map((el) => el.dataset.itemId));
  assert.ok(ids.every((id) => /^msg_/.test(id)), `server item ids: ${ids}`);
  await page.screenshot({ path: screenshotPath('conversation') });

  await page.reload();
  await widgetReady(page);
  await articles(page, 'assistant').filter({ hasText: 'Echo: Second message' }).waitFor();
  assert.deepEqual(await articles(page, 'user').allInnerTexts(), ['Hello Orcheo', 'Second message'], 'history restored');
  await say(page, 'After reload');
  await articles(page, 'assistant').filter({ hasText: 'Echo: After reload (turn 5)' }).waitFor();

  await page.evaluate(() => window.OrcheoChat.newThread());
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('article').length === 0);
  await say(page, 'Fresh start');
  await articles(page, 'assistant').filter({ hasText: 'Echo: Fresh start (turn 1)' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('OrcheoChat.send() resolves with the reply, and events fire', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'api.html', echoAttrs(), { before: `<script>
    window.seen = [];
    window.orcheoChatConfig = { title: 'API test' };
    addEventListener('orcheo-chat:ready', () => {
      for (const name of ['open', 'close', 'message', 'response.start', 'response.end', 'thread.change']) {
        OrcheoChat.on(name, (detail) => seen.push(name + ':' + (detail && (detail.role || detail.thread_id || '')) ));
      }
    });
  </script>` });
  const reply = await page.evaluate(() => OrcheoChat.send('via the API'));
  assert.match(reply, /^Echo: via the API/);
  await page.evaluate(() => { OrcheoChat.open(); OrcheoChat.close(); });
  const seen = await page.evaluate(() => window.seen);
  for (const expected of ['response.start:', 'message:user', 'message:assistant', 'response.end:thr_', 'open:', 'close:']) {
    assert.ok(seen.some((entry) => entry.startsWith(expected)), `${expected} in ${seen}`);
  }
  assert.ok(seen.some((entry) => /^thread\.change:thr_/.test(entry)), `thread.change in ${seen}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a workflow handle resolves through /public, which also names the assistant', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'handle.html', { backend: vars.ORCHEO_URL, workflow: `${vars.ORCHEO_URL}/chat/echo`, open: 'true' });
  await page.getByRole('dialog', { name: 'Echo assistant' }).waitFor();
  await say(page, 'by handle');
  await articles(page, 'assistant').filter({ hasText: 'Echo: by handle' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a stored thread the server no longer knows is forgotten quietly and a new one starts', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  // What an earlier visit left behind: a thread id this backend has never seen.
  const key = `orcheo-chat:v1:${vars.ORCHEO_URL}:${vars.ORCHEO_WF_ECHO}`;
  await page.addInitScript(([storageKey]) => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      sessionStorage.setItem(storageKey, JSON.stringify({ v: 1, thread_id: 'thr_gone0000', visitor_id: 'v_returning_visitor', open: true, draft: 'half-typed', threads: ['thr_gone0000'] }));
    }
  }, [key]);
  await gotoHtml(page, 'forgotten.html', embedTag(echoAttrs()));
  await widgetReady(page);
  await page.getByRole('dialog').waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), 'half-typed', 'the draft survives');
  await page.waitForFunction((storageKey) => !JSON.parse(sessionStorage.getItem(storageKey)).thread_id, key);
  await say(page, 'new beginning');
  await articles(page, 'assistant').filter({ hasText: 'Echo: new beginning (turn 1)' }).waitFor();
  assert.equal(await page.locator('orcheo-chat article[data-role="error"]').count(), 0, 'no error shown');
  const saved = await page.evaluate((storageKey) => JSON.parse(sessionStorage.getItem(storageKey)), key);
  assert.equal(saved.visitor_id, 'v_returning_visitor', 'the visitor keeps their id');
  assert.match(saved.thread_id, /^thr_/);
  assert.ok(!JSON.stringify(saved).includes('ey'), 'no token in storage');
  assert.deepEqual(problems, []);
  await context.close();
});

test('with data-persist="none" nothing is stored and a reload starts over', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'persist-none.html', echoAttrs({ persist: 'none', open: 'true' }));
  await say(page, 'forget me');
  await articles(page, 'assistant').filter({ hasText: 'Echo: forget me' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0);
  await page.reload();
  await widgetReady(page);
  await page.getByRole('dialog').waitFor();
  // Send enables once the widget is connected, which is after any restore would have run.
  await page.getByRole('textbox', { name: 'Message' }).fill('x');
  await page.waitForFunction(() => !document.querySelector('orcheo-chat').shadowRoot.querySelector('button.send[type=submit]').disabled);
  assert.equal(await page.locator('orcheo-chat article').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a message sent while the widget is still connecting goes out once it is ready', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  // Hold the workflow lookup, so the visitor types while the widget is still connecting.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/api/workflows/*/public', async (route) => {
    await held;
    await route.continue();
  });
  const sent = [];
  page.on('request', (request) => { if (request.method() === 'POST' && request.url().includes('/api/chatkit')) sent.push(request.url()); });
  await gotoHtml(page, 'early.html', embedTag(echoAttrs({ open: 'true' })));
  await widgetReady(page);
  await say(page, 'Too quick');
  // Shown at once as the visitor's message, waiting; the composer is free of it.
  const waiting = articles(page, 'user').filter({ hasText: 'Too quick' });
  await waiting.waitFor();
  assert.equal(await waiting.getAttribute('aria-busy'), 'true');
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), '');
  assert.deepEqual(sent, [], 'nothing is sent before the widget is connected');
  release();
  await articles(page, 'assistant').filter({ hasText: 'Echo: Too quick (turn 1)' }).waitFor();
  assert.deepEqual(await articles(page, 'user').allInnerTexts(), ['Too quick'], 'shown once');
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), '');
  assert.deepEqual(problems, []);
  await context.close();
});
