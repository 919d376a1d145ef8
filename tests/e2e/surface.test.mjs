// The rest of the ChatKit surface against the real local Orcheo (issue #9): feedback on
// replies, the whole conversation list, and the earlier messages of a long conversation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articles, createWorkflow, echoAttrs, embedTag, gotoHtml, openPage, openWidget, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();

/** The `/api/chatkit` request bodies the page sends, as parsed JSON, from now on. */
function chatkitBodies(page) {
  const bodies = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/chatkit') && request.method() === 'POST') bodies.push(JSON.parse(request.postData() ?? 'null'));
  });
  return bodies;
}

test('thumbs on a reply send items.feedback, show as pressed, and stay pressed after a reload', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'feedback.html', echoAttrs({ open: 'true' }));
  const events = [];
  await page.exposeFunction('sawFeedback', (detail) => events.push(detail));
  await page.evaluate(() => window.OrcheoChat.on('feedback', (detail) => window.sawFeedback(detail)));
  const bodies = chatkitBodies(page);
  await say(page, 'Rate me');
  const reply = articles(page, 'assistant').filter({ hasText: 'Echo: Rate me' });
  await reply.waitFor();
  const down = reply.getByRole('button', { name: 'Bad response' });
  const up = reply.getByRole('button', { name: 'Good response' });
  assert.equal(await down.getAttribute('aria-pressed'), 'false');
  await down.click();
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelector('.feedback[aria-pressed="true"]'));
  const itemId = await reply.getAttribute('data-item-id');
  const sent = bodies.filter((body) => body.type === 'items.feedback');
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0].params.item_ids, [itemId]);
  assert.equal(sent[0].params.kind, 'negative');
  assert.equal(await up.getAttribute('aria-pressed'), 'false');
  await down.click();
  // Whatever the second click sent would go before the next message.
  await say(page, 'Next');
  await articles(page, 'assistant').filter({ hasText: 'Echo: Next' }).waitFor();
  assert.equal(bodies.filter((body) => body.type === 'items.feedback').length, 1, 'the same choice again sends nothing');
  assert.deepEqual(events.map((event) => event.kind), ['negative']);

  await page.reload();
  await widgetReady(page);
  const restored = articles(page, 'assistant').filter({ hasText: 'Echo: Rate me' });
  await restored.waitFor();
  assert.equal(await restored.getByRole('button', { name: 'Bad response' }).getAttribute('aria-pressed'), 'true', 'kept across the reload');
  await restored.getByRole('button', { name: 'Good response' }).click();
  await page.waitForFunction(() => [...document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.feedback')]
    .some((button) => button.getAttribute('aria-label') === 'Good response' && button.getAttribute('aria-pressed') === 'true'));
  assert.equal(await restored.getByRole('button', { name: 'Bad response' }).getAttribute('aria-pressed'), 'false', 'one choice at a time');
  assert.deepEqual(problems, []);
  await context.close();
});

test('60 conversations started through the widget are all in the list after a reload', async () => {
  const workflow = await createWorkflow({ name: 'Sixty' });
  const { page, problems, context } = await openWidget(suite.browser, 'sixty.html', { backend: vars.ORCHEO_URL, workflow });
  const created = await page.evaluate(async () => {
    const ids = [];
    window.OrcheoChat.on('thread.change', ({ thread_id: id }) => { if (id && !ids.includes(id)) ids.push(id); });
    for (let n = 1; n <= 60; n += 1) {
      await window.OrcheoChat.send(`conversation ${n}`);
      window.OrcheoChat.newThread();
    }
    return ids;
  });
  assert.equal(created.length, 60);
  await page.reload();
  await widgetReady(page);
  await page.evaluate(() => window.OrcheoChat.open());
  await page.getByRole('button', { name: 'Conversations' }).click();
  const rows = page.locator('orcheo-chat li.thread');
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('li.thread').length === 50);
  const more = page.getByRole('button', { name: 'Show more conversations' });
  assert.equal(await more.isVisible(), true, 'the list says there is more');
  // Scrolling to the end brings the next page.
  await page.locator('orcheo-chat .history ul').evaluate((list) => { list.scrollTop = list.scrollHeight; });
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('li.thread').length === 60);
  await more.waitFor({ state: 'hidden' });
  const listed = await rows.evaluateAll((items) => items.map((item) => item.dataset.thread));
  assert.deepEqual([...listed].sort(), [...created].sort(), 'every conversation started here, once');
  // The oldest one still opens.
  await rows.last().locator('button.open').click();
  await articles(page, 'user').filter({ hasText: 'conversation 1' }).first().waitFor();
  assert.deepEqual(await articles(page, 'user').allInnerTexts(), ['conversation 1']);
  assert.deepEqual(problems, []);
  await context.close();
});

/** Sends `count` messages into one new conversation straight to Orcheo, as `visitor`. */
async function longConversation(workflow, visitor, count) {
  let threadId;
  for (let n = 1; n <= count; n += 1) {
    const input = { content: [{ type: 'input_text', text: `message ${n}` }], attachments: [], inference_options: {} };
    const body = threadId
      ? { type: 'threads.add_user_message', params: { thread_id: threadId, input } }
      : { type: 'threads.create', params: { input } };
    const response = await fetch(`${vars.ORCHEO_URL}/api/chatkit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-orcheo-visitor-id': visitor },
      body: JSON.stringify({ ...body, workflow_id: workflow }),
    });
    const text = await response.text();
    assert.equal(response.status, 200, text.slice(0, 200));
    threadId ??= JSON.parse(text.split('\n').find((line) => line.includes('"thread.created"')).slice(6)).thread.id;
  }
  return threadId;
}

test('a 300-item conversation restores its newest messages and "Show earlier messages" reaches the first', async () => {
  const workflow = await createWorkflow({ name: 'Long talk' });
  const visitor = 'v_long_conversation';
  const threadId = await longConversation(workflow, visitor, 150);
  const { page, problems, context } = await openPage(suite.browser);
  const key = `orcheo-chat:v1:${vars.ORCHEO_URL}:${workflow}`;
  await page.addInitScript(([storageKey, stored]) => {
    if (!sessionStorage.getItem(storageKey)) sessionStorage.setItem(storageKey, stored);
  }, [key, JSON.stringify({ v: 1, thread_id: threadId, visitor_id: visitor, open: true, draft: '', threads: [threadId] })]);
  const loads = [];
  await page.exposeFunction('sawLoad', (name) => loads.push(name));
  await gotoHtml(page, 'long-talk.html', `<script>addEventListener('orcheo-chat:ready', () => {
    OrcheoChat.on('thread.load.start', () => sawLoad('start'));
    OrcheoChat.on('thread.load.end', () => sawLoad('end'));
  });</script>${embedTag({ backend: vars.ORCHEO_URL, workflow })}`);
  await widgetReady(page);
  const users = articles(page, 'user');
  await users.filter({ hasText: /^message 150$/ }).waitFor();
  assert.equal(await page.locator('orcheo-chat article').count(), 50, 'the newest 50 items');
  assert.deepEqual(loads, ['start', 'end']);
  const earlier = page.getByRole('button', { name: 'Show earlier messages' });
  assert.equal(await earlier.count(), 1);
  const log = page.locator('orcheo-chat .log');
  // Scrolling to the top brings the page before; what the visitor was reading stays put.
  for (let shown = 50; shown < 250; shown += 50) {
    const before = await log.evaluate((el) => {
      el.scrollTop = 0;
      const oldest = el.querySelector('article');
      return { id: oldest.dataset.itemId, top: oldest.getBoundingClientRect().top };
    });
    await page.waitForFunction((count) => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('article').length === count, shown + 50);
    await page.waitForFunction(({ id, top }) => {
      const el = document.querySelector('orcheo-chat').shadowRoot.querySelector(`article[data-item-id="${id}"]`);
      return Math.abs(el.getBoundingClientRect().top - top) < 2;
    }, before);
  }
  // The last page through the button.
  await earlier.click();
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('article').length === 300);
  await earlier.waitFor({ state: 'hidden' });
  assert.equal(await users.first().innerText(), 'message 1', 'the first message is reached');
  assert.equal(await users.count(), 150);
  assert.ok(await log.evaluate((el) => el.scrollHeight > el.clientHeight));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a model picked in the picker reaches the workflow as inputs.model, and a restored conversation keeps it', async () => {
  const workflow = await createWorkflow({
    script: 'model.py',
    name: 'Models',
    chatkit: { supported_models: [
      { id: 'gpt-small', label: 'Small' },
      { id: 'gpt-large', label: 'Large', default: true },
      { id: 'gpt-retired', label: 'Retired', disabled: true },
    ] },
  });
  const { page, problems, context } = await openWidget(suite.browser, 'models.html', { backend: vars.ORCHEO_URL, workflow, open: 'true' });
  const picker = page.getByRole('combobox', { name: 'Model' });
  await picker.waitFor();
  assert.deepEqual(await picker.locator('option').allInnerTexts(), ['Small', 'Large'], 'the disabled one is not offered');
  assert.equal(await picker.inputValue(), 'gpt-large', 'the default');
  await say(page, 'one');
  await articles(page, 'assistant').filter({ hasText: 'Model: gpt-large. You said: one' }).waitFor();
  await picker.selectOption('gpt-small');
  await say(page, 'two');
  await articles(page, 'assistant').filter({ hasText: 'Model: gpt-small. You said: two' }).waitFor();
  await page.screenshot({ path: screenshotPath('models') });
  await page.reload();
  await widgetReady(page);
  await articles(page, 'assistant').filter({ hasText: 'You said: two' }).waitFor();
  assert.equal(await picker.inputValue(), 'gpt-small', 'the conversation keeps its model');
  await page.evaluate(() => window.OrcheoChat.newThread());
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelector('select.model').value === 'gpt-large');
  assert.deepEqual(problems, []);
  await context.close();
});

test('data-model picks the starting model, and a workflow without models shows no picker', async () => {
  const workflow = await createWorkflow({
    script: 'model.py',
    name: 'Models by attribute',
    chatkit: { supported_models: [{ id: 'gpt-small', label: 'Small' }, { id: 'gpt-large', label: 'Large', default: true }] },
  });
  const { page, problems, context } = await openWidget(suite.browser, 'data-model.html', { backend: vars.ORCHEO_URL, workflow, open: 'true', model: 'gpt-small' });
  await say(page, 'hi');
  await articles(page, 'assistant').filter({ hasText: 'Model: gpt-small. You said: hi' }).waitFor();
  await context.close();
  const plain = await openWidget(suite.browser, 'no-models.html', echoAttrs({ open: 'true' }));
  await plain.page.getByRole('textbox', { name: 'Message' }).waitFor();
  assert.equal(await plain.page.getByRole('combobox', { name: 'Model' }).isVisible(), false);
  assert.deepEqual([...problems, ...plain.problems], []);
  await plain.context.close();
});

test('the API prefills and focuses the composer, switches conversations and the list, and every request carries the language', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'api-parity.html', echoAttrs({ locale: 'de', disclaimer: 'Antworten können Fehler enthalten. [Datenschutz](https://example.com/privacy)' }));
  const languages = [];
  page.on('request', (request) => {
    if (request.url().startsWith(vars.ORCHEO_URL)) languages.push(request.headers()['accept-language']);
  });
  await page.evaluate(() => window.OrcheoChat.setComposerValue('Vorschlag'));
  await page.evaluate(() => window.OrcheoChat.focusComposer());
  const input = page.getByRole('textbox', { name: 'Nachricht' });
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.activeElement?.tagName === 'TEXTAREA');
  assert.equal(await input.inputValue(), 'Vorschlag', 'prefilled, not sent');
  const disclaimer = page.locator('orcheo-chat .disclaimer');
  assert.equal(await disclaimer.innerText(), 'Antworten können Fehler enthalten. Datenschutz');
  assert.equal(await disclaimer.getByRole('link', { name: 'Datenschutz' }).getAttribute('href'), 'https://example.com/privacy');
  await input.press('Enter');
  await articles(page, 'assistant').filter({ hasText: 'Echo: Vorschlag' }).waitFor();
  const first = await page.evaluate(() => new Promise((resolve) => {
    const off = window.OrcheoChat.on('thread.change', ({ thread_id: id }) => { off(); resolve(id); });
    window.OrcheoChat.setThreadId(null);
  }));
  assert.equal(first, null, 'setThreadId(null) starts a new conversation');
  await say(page, 'Zweite');
  await articles(page, 'assistant').filter({ hasText: 'Echo: Zweite' }).waitFor();
  const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.startsWith('orcheo-chat:v1:')))).threads);
  await page.evaluate((id) => window.OrcheoChat.setThreadId(id), stored[1]);
  await articles(page, 'user').filter({ hasText: 'Vorschlag' }).waitFor();
  assert.deepEqual(await articles(page, 'user').allInnerTexts(), ['Vorschlag']);
  await page.evaluate(() => window.OrcheoChat.showHistory());
  await page.locator('orcheo-chat li.thread').first().waitFor();
  assert.equal(await page.locator('orcheo-chat li.thread').count(), 2);
  await page.evaluate(() => window.OrcheoChat.hideHistory());
  await page.locator('orcheo-chat .history').waitFor({ state: 'detached' });
  assert.ok(languages.length >= 4, `requests seen: ${languages.length}`);
  assert.deepEqual([...new Set(languages)], ['de'], 'Accept-Language is the widget\'s locale on every request');
  assert.deepEqual(problems, []);
  await context.close();
});
