// The playground (examples/playground.html), as a new user meets it: the composer waits for a
// backend and a workflow; pointed at the local Orcheo by share URL it chats; the settings
// apply live and survive a reload; and the tag it writes, pasted into a blank page, chats too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articles, gotoHtml, openPage, pageUrl, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();
const shareUrl = () => `${vars.ORCHEO_URL}/chat/${vars.ORCHEO_WF_ECHO}`;

test('the playground: set by share URL it chats, keeps its settings, and its copied tag chats on a blank page', async () => {
  const { page, problems, context } = await openPage(suite.browser, { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto(pageUrl('playground.html'));
  await widgetReady(page);
  await page.getByRole('button', { name: 'Open chat' }).click();
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.waitFor();
  assert.equal(await composer.isDisabled(), true, 'the composer waits for a backend and a workflow');

  const form = page.locator('#settings');
  await form.getByLabel('Backend URL').fill(vars.ORCHEO_URL);
  await form.getByLabel('Backend URL').press('Tab');
  await form.getByLabel('Workflow (share URL, id or handle)').fill(shareUrl());
  await form.getByLabel('Workflow (share URL, id or handle)').press('Tab');
  await form.getByLabel('Display name').fill('Playground bot');
  await form.getByLabel('Display name').press('Tab');
  await form.getByLabel('Theme').selectOption('dark');
  await page.locator('orcheo-chat h2.title', { hasText: 'Playground bot' }).waitFor();
  await composer.and(page.locator(':enabled')).waitFor();
  await say(page, 'hello from the playground');
  await articles(page, 'assistant').filter({ hasText: 'Echo: hello from the playground' }).waitFor();
  assert.equal(await page.locator('orcheo-chat').getAttribute('data-theme'), 'dark', 'the theme applied live');

  // A cleared field is the widget's default again (the workflow's own name), after a reload
  // that keeps the conversation.
  const reloaded = page.waitForEvent('load');
  await form.getByLabel('Display name').fill('');
  await form.getByLabel('Display name').press('Tab');
  await reloaded;
  await widgetReady(page);
  // The panel was open, and it still is.
  await page.locator('orcheo-chat h2.title', { hasText: 'Echo assistant' }).waitFor();
  await articles(page, 'assistant').filter({ hasText: 'Echo: hello from the playground' }).waitFor();
  await form.getByLabel('Display name').fill('Playground bot');
  await form.getByLabel('Display name').press('Tab');

  const tag = await page.locator('#tag').innerText();
  assert.equal(tag, `<script src="${vars.WIDGET_URL}" async
        data-backend="${vars.ORCHEO_URL}"
        data-workflow="${shareUrl()}"
        data-title="Playground bot"
        data-theme="dark"></script>`);
  await page.screenshot({ path: screenshotPath('playground') });

  // The settings are the tab's: a reload keeps them, and the widget starts with them.
  await page.reload();
  await widgetReady(page);
  assert.equal(await form.getByLabel('Workflow (share URL, id or handle)').inputValue(), shareUrl());
  assert.equal(await page.locator('#tag').innerText(), tag);
  await page.locator('orcheo-chat h2.title', { hasText: 'Playground bot' }).waitFor();

  await page.getByRole('button', { name: 'Copy the tag' }).click();
  await page.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, tag);
  assert.deepEqual(problems, []);

  // Pasted into a blank page, the tag chats.
  const blank = await openPage(suite.browser);
  await gotoHtml(blank.page, 'pasted-from-playground.html', copied);
  await widgetReady(blank.page);
  await blank.page.getByRole('button', { name: 'Open chat' }).click();
  await say(blank.page, 'pasted tag');
  await articles(blank.page, 'assistant').filter({ hasText: 'Echo: pasted tag' }).waitFor();
  assert.equal(await blank.page.locator('orcheo-chat h2.title').innerText(), 'Playground bot');
  assert.deepEqual(blank.problems, []);
  await blank.context.close();
  await context.close();
});

test('the playground\'s inline mode draws the chat in its box, and the tag brings the box along', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  await page.goto(pageUrl('playground.html'));
  await widgetReady(page);
  await page.getByRole('button', { name: 'Use the local Echo assistant' }).click();
  // A new mode is a new place on the page: the playground starts the widget again there.
  const reloaded = page.waitForEvent('load');
  await page.locator('#settings').getByLabel('Mode').selectOption('inline');
  await reloaded;
  await widgetReady(page);
  const box = page.locator('#chat');
  await box.waitFor();
  await page.locator('#chat orcheo-chat[data-mode="inline"]').waitFor({ state: 'attached' });
  await say(page, 'inline now');
  await articles(page, 'assistant').filter({ hasText: 'Echo: inline now' }).waitFor();
  const panel = await page.locator('orcheo-chat [role="log"]').boundingBox();
  const slot = await box.boundingBox();
  assert.ok(panel.x >= slot.x && panel.y >= slot.y && panel.x + panel.width <= slot.x + slot.width + 1, 'the panel is inside the box');
  assert.match(await page.locator('#tag').innerText(), /^<div id="chat" style="height: 600px"><\/div>\n<script [^]*data-mode="inline"[^]*data-target="#chat"><\/script>$/);
  assert.deepEqual(problems, []);
  await context.close();
});
