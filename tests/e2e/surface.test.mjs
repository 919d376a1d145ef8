// The rest of the ChatKit surface against the real local Orcheo (issue #9): feedback on
// replies, the whole conversation list, and the earlier messages of a long conversation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articles, echoAttrs, openWidget, say, suiteBrowser, widgetReady } from './lib/harness.mjs';

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
