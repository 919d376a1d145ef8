// Against a second real server: openai-chatkit's own ChatKitServer (tests/servers/chatkit_server.py),
// for what Orcheo never sends: a reply streamed as 2,000 deltas, sources, workflow and task
// items, a streamed widget, a locked thread, a client effect, and a 500-item thread.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articles, embedTag, gotoHtml, openPage, openWidget, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();
// The server ignores the workflow id; the widget needs one to connect.
const WORKFLOW = '7b0c7f3a-1f4e-4c55-9d31-2a6e0c1f5b20';
const attrs = (extra = {}) => ({ backend: vars.CHATKIT_SERVER_URL, workflow: WORKFLOW, open: 'true', ...extra });
const shadow = (page, selector) => page.locator(`orcheo-chat ${selector}`);

test('a reply streamed as 2,000 deltas ends as exactly the server\'s text', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'ck-long.html', attrs());
  const expected = await (await fetch(`${vars.CHATKIT_SERVER_URL}/expected/long`)).text();
  const reply = page.evaluate(() => new Promise((resolve) => {
    window.OrcheoChat.on('message', ({ role, text }) => { if (role === 'assistant') resolve(text); });
  }));
  await say(page, 'long reply please');
  assert.equal(await reply, expected);
  const answer = articles(page, 'assistant');
  // `##` headings are the panel's fourth level (a reply's `#` is an <h3> under the panel's <h2>).
  await answer.locator('h4', { hasText: 'Section 100' }).waitFor();
  assert.equal(await answer.locator('h4').count(), 100);
  assert.equal(await answer.locator('pre code').count(), 100);
  assert.deepEqual(problems, []);
  await context.close();
});

test('sources show as numbered markers in the text and a list, each once, linked only when the address is http(s)', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'ck-sources.html', attrs());
  await say(page, 'sources');
  const sources = articles(page, 'assistant').getByRole('list', { name: 'Sources' });
  await sources.waitFor();
  assert.deepEqual(await sources.locator('li').allInnerTexts(), ['Orcheo guide', 'Sneaky', 'Release notes', 'Orcheo team']);
  const text = articles(page, 'assistant').locator('.bubble');
  assert.equal(await text.innerText(), 'Orcheo runs workflows as chat assistants, documented in its guide[1][2] and its notes[3][4].[1]');
  assert.equal(await text.locator('sup.cite').count(), 5);
  await page.screenshot({ path: screenshotPath('sources') });
  const links = sources.getByRole('link');
  assert.equal(await links.count(), 1, 'javascript:, file and entity sources are text');
  assert.equal(await links.first().getAttribute('href'), 'https://example.com/guide');
  assert.equal(await links.first().getAttribute('rel'), 'noopener noreferrer');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a workflow folds away behind its summary, its tasks and a task item show, and a streamed widget ends in its last state', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'ck-steps.html', attrs());
  await say(page, 'steps');
  await articles(page, 'assistant').filter({ hasText: 'Done in three steps.' }).waitFor();
  const workflow = shadow(page, 'details.w-workflow');
  assert.equal(await workflow.locator('summary').innerText(), 'Looked things up', 'the server\'s summary title');
  assert.equal(await workflow.getAttribute('open'), null, 'folded');
  await workflow.locator('summary').click();
  await page.screenshot({ path: screenshotPath('steps') });
  assert.deepEqual(await workflow.locator('.w-task > span:not([class])').allInnerTexts(), ['Read the question: It asks about steps.', 'Searched the docs', 'Thought it over: Three steps are enough.']);
  assert.deepEqual(await workflow.locator('.w-query').allInnerTexts(), ['orcheo steps'], 'the search\'s query');
  assert.equal(await workflow.locator('.w-task svg').count(), 3, 'each task has its icon');
  assert.equal(await articles(page, 'notice').filter({ hasText: 'Checked the answer: It holds.' }).count(), 1);
  await say(page, 'widget');
  await articles(page, 'assistant').filter({ hasText: 'Counted.' }).waitFor();
  assert.equal(await articles(page, 'widget').innerText(), 'Counting: one, two, three');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a locked thread disables the composer with the server\'s reason, and a new conversation opens it again', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'ck-lock.html', attrs());
  await say(page, 'lock please');
  await articles(page, 'assistant').filter({ hasText: 'Handing you over.' }).waitFor();
  const input = page.getByRole('textbox', { name: 'Message' });
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelector('textarea').disabled);
  assert.equal(await shadow(page, '.closed').innerText(), 'A person from support takes it from here.');
  const refused = await page.evaluate(() => window.OrcheoChat.send('anyone?').then(() => 'sent', (error) => error.code));
  assert.equal(refused, 'thread_closed');
  await page.evaluate(() => window.OrcheoChat.newThread());
  await page.waitForFunction(() => !document.querySelector('orcheo-chat').shadowRoot.querySelector('textarea').disabled);
  await input.fill('hello again');
  await input.press('Enter');
  await articles(page, 'assistant').filter({ hasText: 'Echo: hello again' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('sendCustomAction() sends threads.custom_action into the open conversation', async () => {
  const { page, problems, warnings, context } = await openWidget(suite.browser, 'ck-action.html', attrs());
  await say(page, 'hello');
  await articles(page, 'assistant').filter({ hasText: 'Echo: hello' }).waitFor();
  await page.evaluate(() => window.OrcheoChat.sendCustomAction({ type: 'refresh', payload: { page: 2 } }));
  await articles(page, 'assistant').filter({ hasText: "Action refresh with {'page': 2} from none" }).waitFor();
  const warned = page.waitForEvent('console', (message) => message.type() === 'warning');
  await page.evaluate(() => window.OrcheoChat.sendCustomAction('not an action'));
  assert.match((await warned).text(), /sendCustomAction\(\) needs an action object/);
  assert.equal(warnings.length, 1, 'one console warning, and nothing sent');
  assert.equal(await articles(page, 'assistant').count(), 2);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Enter in a form nested in a widget form sends that form\'s action, and the host page neither navigates nor submits', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'ck-form.html', attrs(), {
    // A form of the host's, which a widget must never submit.
    before: '<form id="host-form" action="/elsewhere.html"><input name="host" value="mine"></form>',
  });
  const url = page.url();
  await say(page, 'form');
  const card = articles(page, 'widget').first();
  await card.getByRole('textbox', { name: 'Code' }).fill('SPRING');
  await card.getByRole('textbox', { name: 'Code' }).press('Enter');
  await articles(page, 'assistant').filter({ hasText: "Action redeem with {'code': 'SPRING'}" }).waitFor();
  await card.getByRole('textbox', { name: 'E-mail' }).fill('a@example.com');
  await card.getByRole('textbox', { name: 'E-mail' }).press('Enter');
  await articles(page, 'assistant').filter({ hasText: "Action signup with {'email': 'a@example.com'" }).waitFor();
  assert.equal(await articles(page, 'assistant').count(), 2, 'one action per Enter');
  assert.equal(page.url(), url, 'the host page did not navigate');
  assert.equal(await page.locator('#host-form input').inputValue(), 'mine', 'and its own form is as it was');
  const buttons = await page.locator('orcheo-chat button').evaluateAll((all) => all.map((b) => b.type).filter((t) => t !== 'button' && t !== 'submit'));
  assert.deepEqual(buttons, [], 'every button says what it is');
  const submitters = await page.locator('orcheo-chat button[type="submit"]').evaluateAll((all) => all.every((b) => b.form && b.getRootNode() === b.form.getRootNode()));
  assert.ok(submitters, 'a submit button only ever submits a form of the widget\'s own');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a client effect reaches OrcheoChat.on(\'effect\')', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'ck-effect.html', attrs());
  const effect = page.evaluate(() => new Promise((resolve) => window.OrcheoChat.on('effect', resolve)));
  await say(page, 'effect');
  assert.deepEqual(await effect, { name: 'navigate', data: { to: '/pricing' } });
  await articles(page, 'assistant').filter({ hasText: 'Opening pricing.' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a 500-item thread restores its newest 50 and reaches its first message', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  const key = `orcheo-chat:v1:${vars.CHATKIT_SERVER_URL}:${WORKFLOW}`;
  await page.addInitScript((storageKey) => {
    if (!sessionStorage.getItem(storageKey)) {
      sessionStorage.setItem(storageKey, JSON.stringify({ v: 1, thread_id: 'thr_five_hundred', visitor_id: 'v_five_hundred', open: true, draft: '', threads: ['thr_five_hundred'] }));
    }
  }, key);
  await gotoHtml(page, 'ck-500.html', embedTag(attrs()));
  await widgetReady(page);
  await articles(page, 'assistant').filter({ hasText: /^answer 250$/ }).waitFor();
  assert.equal(await shadow(page, 'article').count(), 50);
  const earlier = page.getByRole('button', { name: 'Show earlier messages' });
  const count = () => page.evaluate(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('article').length);
  // Scrolling to the top loads the page before by itself too, so a page may arrive without a
  // click: each round waits for the button or for everything to be shown, whichever comes.
  const everything = page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('article').length >= 500);
  for (let shown = await count(); shown < 500; shown = await count()) {
    await Promise.race([earlier.click().catch(() => {}), everything]);
    await page.waitForFunction((before) => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('article').length > before, shown);
  }
  await earlier.waitFor({ state: 'hidden' });
  assert.equal(await shadow(page, 'article').count(), 500);
  assert.equal(await articles(page, 'user').first().innerText(), 'question 1');
  assert.deepEqual(problems, []);
  await context.close();
});
