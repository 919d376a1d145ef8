// The widget never dies with the page watching: a wasm instance that fails is replaced by a
// fresh one from what it persisted, the page sees one console error and no page error, and a
// second failure within a minute leaves a plain notice instead of a loop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articles, echoAttrs, openWidget, say, suiteBrowser } from './lib/harness.mjs';

const suite = suiteBrowser();

// The test-only trap: the clipboard call the Copy button makes throws the error a trapping
// instance throws, from inside the wasm call, as an `unreachable` or an out-of-bounds access
// would (the Rust code is cut off mid-way, its state left half-changed).
function trapOnCopy() {
  Object.defineProperty(Navigator.prototype, 'clipboard', {
    configurable: true,
    get: () => ({
      writeText: () => {
        window.__traps = (window.__traps || 0) + 1;
        throw new WebAssembly.RuntimeError('unreachable (forced by the test)');
      },
    }),
  });
}

test('a trapped instance is replaced within a second with the conversation and the draft, and a second trap leaves a notice', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'trap.html', echoAttrs({ open: 'true' }));
  await page.evaluate(trapOnCopy);
  await page.evaluate(() => {
    const seen = () => { window.__seen = (window.__seen || 0) + 1; };
    window.addEventListener('error', seen);
    window.addEventListener('unhandledrejection', seen);
  });
  await say(page, 'remember me');
  const reply = articles(page, 'assistant').filter({ hasText: 'Echo: remember me' });
  await reply.waitFor();
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill('half a thought');

  const before = await page.evaluate(() => performance.now());
  await reply.getByRole('button', { name: 'Copy', exact: true }).click();
  // The new instance's host element, with the draft in its composer.
  await page.waitForFunction(() => {
    const hosts = document.querySelectorAll('orcheo-chat');
    const input = hosts.length === 1 && hosts[0].shadowRoot.querySelector('textarea');
    return input && input.value === 'half a thought';
  });
  const remounted = await page.evaluate(() => performance.now());
  assert.ok(remounted - before < 1000, `mounted again in ${Math.round(remounted - before)} ms`);
  await reply.waitFor();
  assert.deepEqual(await articles(page, 'user').allInnerTexts(), ['remember me'], 'the conversation is back');
  assert.equal(problems.length, 1, `exactly one console error: ${problems.join(' | ')}`);
  assert.match(problems[0], /^console\.error: orcheo-chat failed and starts again/);
  assert.equal(await page.evaluate(() => window.__seen ?? 0), 0, 'the page\'s own error handlers saw nothing');

  // The fresh instance chats.
  await say(page, 'still here');
  await articles(page, 'assistant').filter({ hasText: 'Echo: still here' }).waitFor();

  // A second failure within the minute: a plain notice, and the API refuses.
  await articles(page, 'assistant').first().getByRole('button', { name: 'Copy', exact: true }).click();
  const notice = page.locator('orcheo-chat').getByRole('status');
  await notice.waitFor();
  assert.equal(await notice.innerText(), 'Chat is unavailable. Reload the page to try again.');
  assert.equal(await page.locator('orcheo-chat').count(), 1);
  const refused = await page.evaluate(() => window.OrcheoChat.send('anyone?').then(() => 'sent', (error) => error.code));
  assert.equal(refused, 'destroyed');
  assert.equal(await page.evaluate(() => window.__traps), 2);
  assert.equal(problems.length, 2, `one console error per failure: ${problems.join(' | ')}`);
  assert.equal(await page.evaluate(() => window.__seen ?? 0), 0);
  await context.close();
});
