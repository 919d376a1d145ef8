// What a visitor sees when something goes wrong, against the real local Orcheo: the contract's
// sentences, Retry where it helps, and the typed message never lost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWorkflow, echoAttrs, embedTag, gotoHtml, openPage, openWidget, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';
import { interruptingBackend } from './lib/faults.mjs';

const suite = suiteBrowser();


async function chatWith(workflow, file, extra = {}) {
  const opened = await openPage(suite.browser);
  await gotoHtml(opened.page, file, embedTag({ backend: vars.ORCHEO_URL, workflow, open: 'true', ...extra }));
  await widgetReady(opened.page);
  return opened;
}

const errorArticle = (page) => page.locator('orcheo-chat article[data-role="error"]');
const retryButton = (page) => page.locator('orcheo-chat article[data-role="error"]').getByRole('button', { name: 'Retry' });

test('an unpublished workflow says it is not available, with no Retry', async () => {
  const { page, context } = await chatWith(vars.ORCHEO_WF_PRIVATE, 'unpublished.html');
  await say(page, 'hello');
  await errorArticle(page).waitFor();
  assert.match(await errorArticle(page).innerText(), /This assistant isn't available right now\./);
  assert.equal(await retryButton(page).count(), 0);
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), 'hello', 'the text is kept');
  await context.close();
});

test('a login-required workflow asks the visitor to sign in', async () => {
  const { page, context } = await chatWith(vars.ORCHEO_WF_LOGIN, 'login.html');
  await say(page, 'let me in');
  await errorArticle(page).waitFor();
  assert.match(await errorArticle(page).innerText(), /Please sign in to chat with this assistant\./);
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), 'let me in');
  await context.close();
});

test('a failing workflow offers Retry, which fails again on a workflow that always fails', async () => {
  const { page, context } = await chatWith(vars.ORCHEO_WF_FAIL, 'fail.html');
  await say(page, 'please fail');
  await errorArticle(page).waitFor();
  assert.match(await errorArticle(page).innerText(), /Something went wrong generating a reply\./);
  assert.equal(await page.locator('orcheo-chat article[data-role="user"]').innerText(), 'please fail', 'the stored message stays');
  await page.screenshot({ path: screenshotPath('error-generation') });
  await retryButton(page).click();
  await page.getByRole('button', { name: 'Stop' }).waitFor({ state: 'hidden' });
  await errorArticle(page).waitFor();
  assert.equal(await errorArticle(page).count(), 1, 'one error, not two');
  assert.equal(await page.locator('orcheo-chat article[data-role="user"]').count(), 1, 'the message is not duplicated');
  await context.close();
});

test('Retry produces a reply on a workflow that fails only once', async () => {
  const workflow = await createWorkflow({ script: 'flaky.py', name: 'Flaky' });
  const { page, problems, context } = await chatWith(workflow, 'flaky.html');
  await say(page, 'try me');
  await retryButton(page).waitFor();
  await retryButton(page).click();
  await page.locator('orcheo-chat article[data-role="assistant"]').filter({ hasText: 'It worked on attempt 2' }).waitFor();
  assert.equal(await errorArticle(page).count(), 0, 'the failure is gone');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a failed turn keeps its error and Retry after the next message, and Retry asks it again at the end', async () => {
  const workflow = await createWorkflow({ script: 'flaky.py', name: 'Flaky later' });
  const { page, problems, context } = await chatWith(workflow, 'flaky-later.html');
  await say(page, 'try me');
  await retryButton(page).waitFor();
  await say(page, 'next one');
  const assistants = page.locator('orcheo-chat article[data-role="assistant"]');
  await assistants.filter({ hasText: 'You said: next one' }).waitFor();
  assert.equal(await errorArticle(page).count(), 1, 'the failure is still shown');
  assert.match(await errorArticle(page).innerText(), /Something went wrong generating a reply\./);
  await retryButton(page).click();
  await assistants.filter({ hasText: 'You said: try me' }).waitFor();
  assert.equal(await errorArticle(page).count(), 0, 'retried: the failure is gone');
  // Orcheo's retry would have deleted "next one" and its reply; they stay.
  assert.deepEqual(await page.locator('orcheo-chat article[data-role="user"]').allInnerTexts(), ['try me', 'next one', 'try me']);
  assert.equal(await assistants.count(), 2);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an unknown workflow or handle says it no longer exists', async () => {
  for (const [workflow, file] of [['0b1f4a4e-1111-4222-8333-944455556666', 'unknown-uuid.html'], ['no-such-assistant', 'unknown-handle.html']]) {
    const { page, context } = await chatWith(workflow, file);
    if (file === 'unknown-uuid.html') await say(page, 'anyone?');
    const sentence = page.locator('orcheo-chat').getByText('This assistant no longer exists.');
    await sentence.first().waitFor();
    await context.close();
  }
});

test('without a backend the composer is disabled with a hint, and the page gets one warning', async () => {
  const { page, problems, warnings, context } = await openWidget(suite.browser, 'unconfigured.html', { workflow: 'Not a workflow!', open: 'true' });
  const input = page.getByRole('textbox', { name: 'Message' });
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelector('textarea').disabled);
  assert.equal(await input.getAttribute('placeholder'), "This chat isn't connected to an assistant yet.");
  assert.ok(warnings.some((w) => w.includes('data-workflow') && w.includes('Not a workflow!')), `warning names the attribute: ${warnings}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an accent the browser cannot paint warns once, however often the viewport changes', async () => {
  const { page, problems, warnings, context } = await openWidget(suite.browser, 'bad-accent.html', echoAttrs({ accent: 'notacolour', open: 'true' }));
  const accentWarnings = () => warnings.filter((w) => w.includes('data-accent'));
  await page.waitForFunction(() => getComputedStyle(document.querySelector('orcheo-chat')).getPropertyValue('--orcheo-chat-accent').trim() !== '');
  assert.equal(accentWarnings().length, 1, `one warning: ${warnings}`);
  // A phone keyboard or scrolling resizes the visual viewport again and again.
  for (const height of [700, 600, 500]) {
    await page.setViewportSize({ width: 390, height });
    await page.waitForFunction((h) => getComputedStyle(document.querySelector('orcheo-chat')).getPropertyValue('--orcheo-chat-vh').trim() === `${h}px`, height);
  }
  assert.equal(accentWarnings().length, 1, `still one warning: ${warnings}`);
  const launcherColour = await page.evaluate(() => getComputedStyle(document.querySelector('orcheo-chat').shadowRoot.querySelector('.launcher')).backgroundColor);
  assert.notEqual(launcherColour, 'rgba(0, 0, 0, 0)', 'the launcher keeps the default accent');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an unreachable backend keeps the message and offers Retry', async () => {
  const { page, context } = await chatWith(vars.ORCHEO_WF_ECHO, 'offline.html', { backend: 'http://127.0.0.1:9' });
  await say(page, 'is anyone there');
  await errorArticle(page).waitFor();
  assert.match(await errorArticle(page).innerText(), /Can't reach the assistant\. Check your connection\./);
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), 'is anyone there');
  assert.equal(await retryButton(page).count(), 1);
  await context.close();
});

test('a stream that ends with neither reply nor error is an interrupted turn', async () => {
  const backend = await interruptingBackend();
  try {
    const { page, context } = await chatWith('00000000-0000-4000-8000-000000000001', 'interrupted.html', {
      backend: `http://127.0.0.1:${backend.address().port}`,
    });
    await say(page, 'anyone there?');
    await errorArticle(page).waitFor();
    assert.match(await errorArticle(page).innerText(), /The connection was interrupted\./);
    assert.equal(await retryButton(page).count(), 1);
    await context.close();
  } finally {
    backend.close();
  }
});

test('Stop aborts a slow reply and offers to retry it', async () => {
  const { page, context } = await chatWith(vars.ORCHEO_WF_SLOW, 'slow.html');
  await say(page, 'take your time');
  const stop = page.getByRole('button', { name: 'Stop' });
  await stop.waitFor();
  await page.locator('orcheo-chat .status').filter({ hasText: 'Still working' }).waitFor();
  await stop.click();
  const stopped = page.locator('orcheo-chat article[data-role="notice"]').filter({ hasText: 'You stopped this reply.' });
  await stopped.waitFor();
  assert.equal(await stopped.getByRole('button', { name: 'Retry' }).count(), 1);
  await context.close();
});

test('the per-workflow rate limit asks the visitor to wait, then lets them retry', async () => {
  const workflow = await createWorkflow({ name: 'Rate limited' });
  // Orcheo allows ORCHEO_PUBLISH_LIMIT published-mode requests per workflow per minute; use them up.
  const burn = Array.from({ length: Number(vars.ORCHEO_PUBLISH_LIMIT ?? 60) }, () => fetch(`${vars.ORCHEO_URL}/api/chatkit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-orcheo-visitor-id': 'visitor_rate_limit' },
    body: JSON.stringify({ type: 'threads.list', params: { limit: 1, order: 'desc' }, workflow_id: workflow }),
  }));
  await Promise.all(burn);
  const { page, context } = await chatWith(workflow, 'rate-limit.html');
  await say(page, 'one more');
  await errorArticle(page).waitFor();
  assert.match(await errorArticle(page).innerText(), /Too many messages — try again in a moment\./);
  assert.equal(await retryButton(page).isDisabled(), true, 'Retry waits');
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), 'one more');
  // OrcheoChat.send() waits for the cool-down too: refused at once, nothing sent.
  let posts = 0;
  page.on('request', (request) => { if (request.url().endsWith('/api/chatkit')) posts += 1; });
  const refused = await page.evaluate(() => window.OrcheoChat.send('sneaky').then(() => 'sent', (error) => error.code));
  assert.match(refused, /^http_429$|rate/, `rejected with the rate limit's code: ${refused}`);
  assert.equal(posts, 0, 'no request while cooling down');
  await page.waitForFunction(() => !document.querySelector('orcheo-chat').shadowRoot.querySelector('.retry').disabled, null, { timeout: 15_000 });
  await context.close();
});
