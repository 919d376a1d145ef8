// Every example page (examples/, what `scripts/demo` serves), opened as a visitor would: the
// widget comes up where the page says, chats with the page's workflow, and the page sees no
// error. The members' page is served by the site in front of Orcheo (members-site.mjs). The
// JWT page and the playground have tests of their own (jwt, playground).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { membersSite } from '../../scripts/lib/members-site.mjs';
import { articles, openPage, pageUrl, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();

async function visit(file, options) {
  const opened = await openPage(suite.browser, options);
  await opened.page.goto(pageUrl(file));
  await widgetReady(opened.page);
  return opened;
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

test('the widget gallery: the real Orcheo answers with every component, drawn in light and, after the page\'s switch, in dark', async () => {
  const { page, problems, context } = await visit('widgets.html', { viewport: { width: 1100, height: 900 } });
  await page.locator('#chat orcheo-chat[data-mode="inline"]').waitFor({ state: 'attached' });
  await page.locator('orcheo-chat .prompt', { hasText: 'Show the whole gallery' }).click();
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.w-root').length === 18);
  const widgets = page.locator('orcheo-chat article[data-role="widget"]');
  await widgets.first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('example-widgets-light') });
  const surface = () => page.locator('orcheo-chat .w-card').first().evaluate((card) => getComputedStyle(card).backgroundColor);
  const light = await surface();
  await page.getByRole('button', { name: 'Dark' }).click();
  await page.waitForFunction(() => document.querySelector('orcheo-chat').getAttribute('data-theme') === 'dark');
  const dark = await surface();
  const sum = (color) => color.match(/\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b, 0);
  assert.ok(sum(light) > 600 && sum(dark) < 200, `a light card turned dark: ${light} → ${dark}`);
  await page.screenshot({ path: screenshotPath('example-widgets-dark') });
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

test('the members\' site passes on only the identity it knows: forged identity and forwarding headers are dropped', async () => {
  // The site in front of a recording stand-in for Orcheo, so what it passes on can be seen.
  const received = [];
  const upstream = createServer((request, response) => {
    received.push(request.headers);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const site = await membersSite({ port: 0, vars: { ...vars, ORCHEO_URL: `http://127.0.0.1:${upstream.address().port}` } });
  const base = `http://127.0.0.1:${site.address().port}`;
  try {
    const forged = {
      'x-orcheo-oauth-subject': 'member:mallory', 'x-orcheo-oauth-workspaces': 'all', 'x-orcheo-proxy-secret': 'guess',
      'x-orcheo-dev-session': 'mallory', 'x-forwarded-for': '203.0.113.9', 'x-orcheo-visitor-id': 'v-1',
    };
    const call = (cookie) => fetch(`${base}/api/chatkit`, { method: 'POST', headers: { ...forged, ...(cookie ? { cookie } : {}) }, body: '{}' });
    assert.equal((await call()).status, 200);
    assert.equal((await call('members_site_visitor=%E6%9D%8E%20Ada')).status, 200);
    assert.equal((await call('members_site_visitor=%E0%A4%A')).status, 200, 'a cookie it did not write signs nobody in');
    const [signedOut, signedIn, badCookie] = received;
    for (const headers of [signedOut, badCookie]) {
      assert.deepEqual(Object.keys(headers).filter((name) => name.startsWith('x-orcheo-')), ['x-orcheo-visitor-id']);
    }
    assert.equal(signedIn['x-orcheo-oauth-subject'], 'member:%E6%9D%8E%20Ada');
    assert.equal(signedIn['x-orcheo-proxy-secret'], vars.ORCHEO_PROXY_SECRET);
    assert.equal(signedIn['x-orcheo-oauth-workspaces'], vars.ORCHEO_WORKSPACE_ID);
    assert.equal(signedIn['x-orcheo-dev-session'], undefined);
    assert.equal(signedIn['x-forwarded-for'], '127.0.0.1');
    // A browser on another site's page is refused before anything is passed on.
    const crossSite = await fetch(`${base}/api/chatkit`, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site', cookie: 'members_site_visitor=Ada' }, body: '{}' });
    assert.equal(crossSite.status, 403);
    assert.equal(received.length, 3);
  } finally {
    site.close();
    upstream.close();
  }
});
