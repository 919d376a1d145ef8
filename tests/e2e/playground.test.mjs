// The playground (examples/playground.html), as a new user meets it through the README's demo
// command: the composer waits for a backend and a workflow; pointed at the demo's Orcheo by the
// share URL the demo printed, it chats; the settings apply live and survive a reload; and the
// tag it writes, pasted into a blank HTML file served locally, chats too.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { serve } from '../../scripts/lib/serve.mjs';
import { ROOT, articles, openPage, pageUrl, say, screenshotPath, suiteBrowser, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();
/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * `scripts/demo`, the README's demo command, on free ports (with the dist/ this run built):
 * resolves once it printed its URLs, with the playground's URL and the Echo assistant's share
 * URL as it printed them, and `stop()` (Ctrl-C).
 */
async function startDemo() {
  const [page, widget, orcheo, proxy, members, own] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const child = spawn(join(ROOT, 'scripts/demo'), [], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DEMO_PORT: page, DEMO_WIDGET_PORT: widget, DEMO_ORCHEO_PORT: orcheo, DEMO_PROXY_PORT: proxy, DEMO_MEMBERS_PORT: members, DEMO_OWN_PORT: own, ORCHEO_CHAT_SKIP_SETUP: '1', ORCHEO_CHAT_SKIP_BUILD: '1' },
  });
  let printed = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      printed += chunk;
      if (printed.includes('Press Ctrl-C to stop.')) resolve();
    });
    exited.then(() => reject(new Error(`scripts/demo exited early:\n${printed}`)));
  });
  const first = /Open the playground first:\s+(\S+)/.exec(printed)?.[1];
  const share = /share URL:\s+(\S+?)\)/.exec(printed)?.[1];
  const stop = async () => {
    process.kill(-child.pid, 'SIGINT');
    await exited;
  };
  return { printed, playground: first, share, widgetUrl: `http://127.0.0.1:${widget}/orcheo-chat.js`, ownPort: own, stop };
}

test('a new user runs scripts/demo, sets up the playground by share URL, chats, and the copied tag chats on a blank page of their own', async () => {
  const demo = await startDemo();
  // A blank page of the user's own, on the origin the demo's Orcheo allows for it.
  const ownPages = mkdtempSync(join(tmpdir(), 'orcheo-chat-own-'));
  const ownServer = await serve({ roots: [ownPages], port: demo.ownPort });
  try {
    assert.match(demo.playground, /\/playground\.html$/, `the demo prints the playground first:\n${demo.printed}`);
    const backend = new URL(demo.share).origin;
    const { page, problems, context } = await openPage(suite.browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(demo.playground);
    await widgetReady(page);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.waitFor();
    assert.equal(await composer.isDisabled(), true, 'the composer waits for a backend and a workflow');

    const form = page.locator('#settings');
    const fill = async (label, value) => {
      await form.getByLabel(label).fill(value);
      await form.getByLabel(label).press('Tab');
    };
    await fill('Backend URL', backend);
    await fill('Workflow (share URL, id or handle)', demo.share);
    await fill('Display name', 'Playground bot');
    await form.getByLabel('Theme').selectOption('dark');
    await page.locator('orcheo-chat h2.title', { hasText: 'Playground bot' }).waitFor();
    await composer.and(page.locator(':enabled')).waitFor();
    await say(page, 'hello from the playground');
    await articles(page, 'assistant').filter({ hasText: 'Echo: hello from the playground' }).waitFor();
    assert.equal(await page.locator('orcheo-chat').getAttribute('data-theme'), 'dark', 'the theme applied live');

    // A cleared field is the widget's default again (the workflow's own name), after a reload
    // that keeps the conversation and the open panel.
    const reloaded = page.waitForEvent('load');
    await fill('Display name', '');
    await reloaded;
    await widgetReady(page);
    await page.locator('orcheo-chat h2.title', { hasText: 'Echo assistant' }).waitFor();
    await articles(page, 'assistant').filter({ hasText: 'Echo: hello from the playground' }).waitFor();
    await fill('Display name', 'Playground bot');

    const tag = await page.locator('#tag').innerText();
    assert.equal(tag, `<script src="${demo.widgetUrl}" async
        data-backend="${backend}"
        data-workflow="${demo.share}"
        data-title="Playground bot"
        data-theme="dark"></script>`);
    await page.screenshot({ path: screenshotPath('playground') });

    // The settings are the tab's: a reload keeps them, and the widget starts with them.
    await page.reload();
    await widgetReady(page);
    assert.equal(await form.getByLabel('Workflow (share URL, id or handle)').inputValue(), demo.share);
    assert.equal(await page.locator('#tag').innerText(), tag);
    await page.locator('orcheo-chat h2.title', { hasText: 'Playground bot' }).waitFor();

    await page.getByRole('button', { name: 'Copy the tag' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, tag);
    assert.deepEqual(problems, []);
    await context.close();

    // Pasted into a blank HTML file, served locally, the tag chats.
    // (The icon link only keeps the browser from asking for a /favicon.ico the server lacks.)
    writeFileSync(join(ownPages, 'index.html'), `<!doctype html>\n<title>My page</title><link rel="icon" href="data:,">\n${copied}\n`);
    const blank = await openPage(suite.browser);
    await blank.page.goto(`http://127.0.0.1:${demo.ownPort}/`);
    await widgetReady(blank.page);
    await blank.page.getByRole('button', { name: 'Open chat' }).click();
    await say(blank.page, 'pasted tag');
    await articles(blank.page, 'assistant').filter({ hasText: 'Echo: pasted tag' }).waitFor();
    assert.equal(await blank.page.locator('orcheo-chat h2.title').innerText(), 'Playground bot');
    assert.deepEqual(blank.problems, []);
    await blank.context.close();
  } finally {
    ownServer.close();
    await demo.stop();
  }
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
