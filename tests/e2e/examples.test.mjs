// Every example page (examples/, what `scripts/demo` serves), opened as a visitor would: the
// widget comes up where the page says, chats with the page's workflow, and the page sees no
// error. The members' page is served by the site in front of Orcheo (members-site.mjs). The
// JWT page and the playground have tests of their own (jwt, playground).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articles, openPage, pageUrl, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();

async function visit(file, options) {
  const opened = await openPage(suite.browser, options);
  const violations = [];
  opened.page.on('console', (message) => {
    if (/Content Security Policy|Trusted Type|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await opened.page.goto(pageUrl(file));
  await widgetReady(opened.page);
  return { ...opened, violations };
}

const openChat = (page) => page.getByRole('button', { name: 'Open chat' }).click();
const reply = (page, text) => articles(page, 'assistant').filter({ hasText: text }).waitFor();

test('the landing page: a bubble in the corner that opens the Echo assistant', async () => {
  const { page, problems, context } = await visit('index.html');
  assert.equal(await page.locator('orcheo-chat').getAttribute('data-mode'), 'bubble');
  await openChat(page);
  await page.locator('orcheo-chat h2.title', { hasText: 'Acme Support' }).waitFor();
  await say(page, 'hello landing page');
  await reply(page, 'Echo: hello landing page');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the docs page: the chat fills its box in the page, no launcher', async () => {
  const { page, problems, context } = await visit('inline.html');
  await page.locator('#chat orcheo-chat[data-mode="inline"]').waitFor({ state: 'attached' });
  assert.equal(await page.getByRole('button', { name: 'Open chat' }).count(), 0);
  const [log, box] = [await page.locator('orcheo-chat [role="log"]').boundingBox(), await page.locator('#chat').boundingBox()];
  assert.ok(log.y >= box.y && log.y + log.height <= box.y + box.height + 1, 'inside the box');
  await say(page, 'steps please');
  await articles(page, 'assistant').first().waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the full-page chat fills the window', async () => {
  const { page, problems, context } = await visit('fullpage.html');
  const panel = await page.locator('orcheo-chat [role="dialog"]').boundingBox();
  assert.deepEqual([panel.x, panel.y, panel.width, panel.height], [0, 0, 1280, 800]);
  await say(page, 'full page');
  await reply(page, 'Echo: full page');
  await page.screenshot({ path: screenshotPath('example-fullpage') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the two-page prototype: each page its own workflow, each conversation kept across the pages', async () => {
  const { page, problems, context } = await visit('prototype-one.html');
  await openChat(page);
  await say(page, 'on page one');
  await reply(page, 'Echo: on page one');
  await page.getByRole('link', { name: 'page 2' }).click();
  await widgetReady(page);
  // Each workflow's chat keeps its own state, the open panel too: page 2's starts closed.
  await openChat(page);
  await page.locator('orcheo-chat h2.title', { hasText: 'Support' }).waitFor();
  assert.equal(await articles(page, 'user').count(), 0, 'page 2 has a conversation of its own');
  await say(page, 'on page two');
  await articles(page, 'assistant').first().waitFor();
  await page.getByRole('link', { name: 'Back to page 1' }).click();
  await widgetReady(page);
  // Page 1's panel was left open, and is open again, with its conversation.
  await page.locator('orcheo-chat h2.title', { hasText: 'Sales' }).waitFor();
  await articles(page, 'user').filter({ hasText: 'on page one' }).waitFor();
  await reply(page, 'Echo: on page one');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the strict-CSP page (Trusted Types required): fully styled, chats, no violation', async () => {
  const { page, problems, violations, context } = await visit('strict-csp.html');
  await openChat(page);
  const launcherStyled = await page.locator('orcheo-chat').evaluate((host) => getComputedStyle(host.shadowRoot.querySelector('.launcher')).position);
  assert.equal(launcherStyled, 'fixed', 'the widget\'s styles apply');
  await say(page, '**strict** page');
  await reply(page, 'Echo: strict page');
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the dark page: the dark theme with the page\'s accent, whatever the system says', async () => {
  const { page, problems, context } = await visit('dark.html', { colorScheme: 'light' });
  await openChat(page);
  const host = page.locator('orcheo-chat');
  assert.equal(await host.getAttribute('data-theme'), 'dark');
  const surface = await host.evaluate((element) => getComputedStyle(element.shadowRoot.querySelector('.panel')).backgroundColor);
  const [r, g, b] = surface.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 200, `a dark panel: ${surface}`);
  await say(page, 'in the dark');
  await reply(page, 'Echo: in the dark');
  await page.screenshot({ path: screenshotPath('example-dark') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the members\' page, served from the backend\'s origin: a signed-out visitor is asked to sign in, a signed-in one chats', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  await page.goto(`${vars.MEMBERS_URL}/members.html`);
  await widgetReady(page);
  await openChat(page);
  await say(page, 'let me in');
  const error = page.locator('orcheo-chat article[data-role="error"]');
  await error.filter({ hasText: 'Please sign in to chat with this assistant.' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), 'let me in', 'the text is kept');
  // The browser logs the 401 it was answered: the documented outcome, not a problem.
  problems.splice(0, problems.length, ...problems.filter((line) => !/401/.test(line)));

  await page.getByLabel('Your name').fill('Ada');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in as Ada').waitFor();
  await widgetReady(page);
  // The panel was open and the message unsent: both are back, and now it goes through.
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await reply(page, 'Echo: let me in');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the members\' site never passes on an identity the browser claims for itself', async () => {
  const forged = await fetch(`${vars.MEMBERS_URL}/api/chatkit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-orcheo-oauth-subject': 'member:mallory', 'x-orcheo-oauth-workspaces': vars.ORCHEO_WORKSPACE_ID, 'x-orcheo-proxy-secret': 'guess', 'x-orcheo-visitor-id': 'v-forged' },
    body: JSON.stringify({ type: 'threads.create', params: { input: { content: [{ type: 'input_text', text: 'hi' }], attachments: [], inference_options: {} } }, workflow_id: vars.ORCHEO_WF_LOGIN }),
  });
  assert.equal(forged.status, 401);
  assert.match(await forged.text(), /oauth_required/);
});
