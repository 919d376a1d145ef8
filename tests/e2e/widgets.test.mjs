// ChatKit widgets, drawn by the widget stage: the gallery (every component with every visible
// prop value, tests/e2e/screenshots/widgets-*.png in light and dark) and real widgets written
// by others, against the ChatKit test server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { articles, embedTag, gotoHtml, openPage, openWidget, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();
// A 48×48 PNG, a blue-to-violet gradient (the gallery's own picture).
const PICTURE = 'iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAABkklEQVR42s3OCyuDURwH4H9EREREIiIiIhEREZEIm7vZXDbXjV1sdrcrEZF82fOe91w4H+P3fIKHKl7/Kl90VVlXl3VNSdeWdF1R1xd0Q0E35nVTXjfndEtOtT6rtqxqz6qOjOrMqK606k6rnpTqTaq+pOpPqIGEHIzLobgcfpIjMTkak2NROR6VE49y8lFOReR0WM6ExWxIzIXEfFAsBMXig1i6F8v3YiUgVgNizS/W/YKgNht3NkFtNm9tgtpsmRDUxnFjE9TGaUJQm91rm6A2e1c2QW0OTAhqc3hpE9Tm2ISgNi6fTVAbt48T1Mbj5QS1ObvgBLU5NyGojfecE9Tm0oSgNldnnKA2NyYEtbk95QS18Xs4QW0CJgS1eXBzgtoE3RZBbcInFkFtIiYEtYm6LILaxI4tgtrETQhqkziyCGqTMiGoTebQIqhN1oSgNrkDi6A2+X2LoDbFfUZQm9IeI6jNiwlBbV53GUFt3kwIavO+wwhq8+FkBLX5NCGozZeDEdTm24SgNj/bjKA2v9vsHyaRGq2ssBLKAAAAAElFTkSuQmCC';
const WORKFLOW = '7b0c7f3a-1f4e-4c55-9d31-2a6e0c1f5b20';
const attrs = (extra = {}) => ({ backend: vars.CHATKIT_SERVER_URL, workflow: WORKFLOW, mode: 'inline', target: '#chat', ...extra });

/**
 * Opens the widget inline in a column as wide as the floating panel and taller than any widget
 * (a widget is screenshot whole), and asks the test server for `message`'s widgets.
 */
async function widgetsFor(message, theme, prepare) {
  const opened = await openWidget(suite.browser, `widgets-${theme}.html`, attrs({ theme }), {
    before: '<div id="chat" style="width:400px;height:2300px"></div>',
    viewport: { width: 440, height: 2400 },
  });
  if (prepare) await prepare(opened.context);
  // The pictures show the widgets alone: no "Jump to latest" over them.
  await opened.page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('.jump { display: none !important; }');
    const root = document.querySelector('orcheo-chat').shadowRoot;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  });
  await say(opened.page, message);
  await articles(opened.page, 'assistant').filter({ hasText: 'Here they are.' }).waitFor();
  // Drawn by the widget stage (its text shows until the stage has loaded).
  await opened.page.locator('orcheo-chat .w-root').first().waitFor();
  return opened;
}

for (const theme of ['light', 'dark']) {
  test(`the widget gallery in ${theme}: every page drawn, screenshot`, async () => {
    const { page, problems, context } = await widgetsFor('gallery', theme);
    const widgets = articles(page, 'widget');
    await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.w-root').length >= 12);
    const count = await widgets.count();
    assert.equal(count, 18, 'one widget per gallery card');
    for (let index = 0; index < count; index += 1) {
      await widgets.nth(index).screenshot({ path: screenshotPath(`widgets-${String(index).padStart(2, '0')}-${theme}`) });
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('the widget stage is fetched and compiled, not run, once the chat is on screen and the browser idle; a widget shows its text until the stage runs', async () => {
  const manifest = JSON.parse(readFileSync(join(vars.WIDGET_DIR, 'manifest.json'), 'utf8'));
  const stageUrl = `${vars.WIDGET_ORIGIN}/${manifest.chunks['split_widgets.wasm']}`;
  const { page, problems, context } = await openPage(suite.browser);
  // The stage's file is held until the widget's text has been seen.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await context.route(stageUrl, async (route) => {
    await held;
    await route.continue();
  });
  const asked = page.waitForRequest(stageUrl);
  await gotoHtml(page, 'widget-stage.html', `<div id="chat" style="width:400px;height:700px"></div>${embedTag(attrs())}`);
  await widgetReady(page);
  await page.locator('orcheo-chat [role="log"]').waitFor({ state: 'attached' });
  await asked;
  const sheets = () => page.evaluate(() => document.querySelector('orcheo-chat').shadowRoot.adoptedStyleSheets.length);
  const panelSheets = await sheets();
  await say(page, 'widget');
  await articles(page, 'assistant').filter({ hasText: 'Counted.' }).waitFor();
  const text = page.locator('orcheo-chat .bubble.widget-text');
  assert.equal(await text.innerText(), 'Counting: one, two, three', 'its text, while the stage is on its way');
  assert.equal(await sheets(), panelSheets, 'the stage has not run: its stylesheet is not adopted');
  release();
  await page.locator('orcheo-chat .w-root').waitFor();
  assert.equal(await text.count(), 0, 'the widget replaced its text');
  assert.equal(await sheets(), panelSheets + 1, 'the stage runs once, with its stylesheet');
  assert.equal(await articles(page, 'widget').locator('.w-card').innerText(), 'Counting: one, two, three');
  assert.deepEqual(problems, []);
  await context.close();
});

test('under a strict Content-Security-Policy with Trusted Types the gallery draws in full, with no violation', async () => {
  const { page, problems, violations, context } = await openPage(suite.browser, { viewport: { width: 440, height: 2400 } });
  const csp = `default-src 'self'; script-src 'self' ${vars.WIDGET_ORIGIN} 'wasm-unsafe-eval'; style-src 'self'; connect-src ${vars.CHATKIT_SERVER_URL} ${vars.WIDGET_ORIGIN}; img-src 'self' https: data:; require-trusted-types-for 'script'`;
  // The floating panel: the policy would refuse the page's own inline style for an inline slot.
  await gotoHtml(page, 'widgets-csp.html', embedTag({ backend: vars.CHATKIT_SERVER_URL, workflow: WORKFLOW, open: 'true' }), {
    head: `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
  });
  await widgetReady(page);
  await say(page, 'gallery');
  await articles(page, 'assistant').filter({ hasText: 'Here they are.' }).waitFor();
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.w-root').length === 18);
  // Props set through the CSSOM hold under style-src 'self': a Box's own background and radius.
  const styled = await page.evaluate(() => [...document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.w-box')]
    .filter((box) => box.style.length > 0).length);
  assert.ok(styled > 10, `${styled} boxes styled by their props`);
  const pictures = page.locator('orcheo-chat img.w-image');
  await pictures.first().scrollIntoViewIfNeeded();
  await page.waitForFunction(() => [...document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('img.w-image')].some((img) => img.complete && img.naturalWidth > 0));
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('widgets far past every bound (10,000 list rows, 2,000 chart points, 1,000 Texts in a Card, Boxes 50 deep) draw at 4× CPU throttling without holding the main thread, and the list shows more on demand', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'w-huge.html', { backend: vars.CHATKIT_SERVER_URL, workflow: WORKFLOW, open: 'true' });
  // The widget stage is loaded first (what is measured is drawing, not fetching).
  await say(page, 'widget');
  await articles(page, 'assistant').filter({ hasText: 'Counted.' }).waitFor();
  await page.locator('orcheo-chat .w-root').waitFor();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__long.push(Math.round(entry.duration)); }).observe({ type: 'longtask' });
  });
  await say(page, 'huge');
  await articles(page, 'assistant').filter({ hasText: 'Big ones.' }).waitFor({ timeout: 60_000 });
  const root = () => page.evaluate(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.w-root').length);
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.w-root').length === 5, null, { timeout: 60_000 });
  assert.equal(await root(), 5, 'the first widget and the four huge ones');
  const list = articles(page, 'widget').nth(1);
  assert.equal(await list.locator('.w-item').count(), 50, 'a list draws 50 rows at a time');
  await list.getByRole('button', { name: 'Show more' }).click();
  await list.locator('.w-item').nth(99).waitFor();
  assert.equal(await list.locator('.w-item').count(), 100);
  assert.equal(await articles(page, 'widget').nth(2).locator('.w-chart table tr').count(), 201, 'the chart draws its first 200 points');
  assert.equal(await articles(page, 'widget').nth(4).locator('.w-text').count(), 999, 'a widget stops at 1,000 components');
  const long = await page.evaluate(() => window.__long);
  // A task of a second or more is a frozen page; at 4× throttling the worst is about 300 ms.
  assert.ok(long.every((ms) => ms < 1000), `main-thread tasks at 4× throttling: ${long.join(', ')} ms`);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await say(page, 'still here?');
  await articles(page, 'assistant').filter({ hasText: 'Echo: still here?' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

/** Serves every https image from a test PNG (the tests have no network). */
async function localImages(context) {
  const png = Buffer.from(PICTURE, 'base64');
  await context.route(/^https:\/\/[^/]+\/.*\.(png|jpe?g|webp)(\?.*)?$/i, (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: png, headers: { 'access-control-allow-origin': '*' } }));
}

test('real widgets written by others, as they render', async () => {
  const { page, problems, warnings, context } = await widgetsFor('samples', 'light', localImages);
  const widgets = articles(page, 'widget');
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.w-root').length >= 11);
  for (let index = 0; index < await widgets.count(); index += 1) {
    await widgets.nth(index).screenshot({ path: screenshotPath(`widgets-sample-${String(index).padStart(2, '0')}`) });
  }
  assert.deepEqual(problems, []);
  console.log(warnings);
  await context.close();
});


/** The ChatKit request bodies the page sends, as they go. */
function chatkitBodies(page) {
  const bodies = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/chatkit') && request.method() === 'POST') bodies.push(request.postDataJSON());
  });
  return bodies;
}

/** Opens the panel on the test server and sends `message`; resolves once `reply` is shown. */
async function chatOn(file, message, reply, extra = {}) {
  const opened = await openWidget(suite.browser, file, { backend: vars.CHATKIT_SERVER_URL, workflow: WORKFLOW, open: 'true', ...extra });
  opened.bodies = chatkitBodies(opened.page);
  await say(opened.page, message);
  await articles(opened.page, 'assistant').filter({ hasText: reply }).waitFor();
  return opened;
}

const lastReply = (page) => articles(page, 'assistant').last();

test('widget actions: form values nest by their dotted names, change actions carry their form, the form checks itself first, and nothing sends twice', async () => {
  const { page, problems, bodies, context } = await chatOn('w-actions.html', 'actions', 'Try them.');
  const card = articles(page, 'widget').first();
  await card.locator('.w-root').waitFor();
  const url = page.url();
  // A required field left empty: the form says so, and nothing is sent.
  await card.getByRole('button', { name: 'Save' }).click();
  assert.equal(await card.getByRole('textbox', { name: 'Name' }).evaluate((input) => input.validity.valueMissing), true);
  assert.equal(bodies.filter((body) => body.type === 'threads.custom_action').length, 0);
  await card.getByRole('textbox', { name: 'Name' }).fill('Ada');
  await card.getByRole('textbox', { name: 'E-mail' }).fill('ada@example.com');
  // Change actions: each sends its type with the whole form.
  const changed = async (act, type) => {
    const before = bodies.filter((body) => body.type === 'threads.custom_action').length;
    // (The reply to wait for is a new one: two actions of one type answer with the same words.)
    const replies = await articles(page, 'assistant').count();
    await act();
    await articles(page, 'assistant').nth(replies).filter({ hasText: `Action ${type} with` }).waitFor();
    const sent = bodies.filter((body) => body.type === 'threads.custom_action');
    assert.equal(sent.length, before + 1, `${type}: one action`);
    return sent.at(-1).params.action;
  };
  let action = await changed(() => card.getByRole('combobox', { name: 'Plan' }).selectOption('team'), 'plan.change');
  assert.deepEqual(action.payload.profile, { name: 'Ada', email: 'ada@example.com' });
  assert.equal(action.payload.plan, 'team');
  action = await changed(() => card.getByRole('checkbox', { name: 'I agree' }).check(), 'terms.toggle');
  assert.equal(action.payload.terms, true);
  action = await changed(() => card.getByRole('radio', { name: 'M' }).check(), 'size.pick');
  assert.equal(action.payload.size, 'm');
  action = await changed(() => card.locator('input[type="date"]').fill('2025-05-01'), 'date.pick');
  assert.equal(action.payload.when, '2025-05-01');
  // The card's confirm: its own payload and the form's fields.
  action = await changed(() => card.getByRole('button', { name: 'Save' }).click(), 'form.save');
  assert.deepEqual(action, {
    type: 'form.save',
    payload: { source: 'card', profile: { name: 'Ada', email: 'ada@example.com' }, plan: 'team', terms: true, size: 'm', when: '2025-05-01' },
  });
  action = await changed(() => card.getByRole('button', { name: 'Discard' }).click(), 'form.discard');
  assert.equal(action.type, 'form.discard');
  // Clickable rows, past the list's limit after "Show more", by pointer and by keyboard.
  const rows = articles(page, 'widget').nth(1);
  assert.equal(await rows.getByRole('button', { name: /^Row/ }).filter({ visible: true }).count(), 2);
  await rows.getByRole('button', { name: 'Show more' }).click();
  action = await changed(() => rows.getByRole('button', { name: 'Row 3' }).click(), 'row.open');
  assert.deepEqual(action.payload, { id: 3 });
  action = await changed(async () => {
    await rows.getByRole('button', { name: 'Row 1' }).focus();
    await page.keyboard.press('Enter');
  }, 'row.open');
  assert.deepEqual(action.payload, { id: 1 });
  assert.equal(page.url(), url, 'the host page never navigated');
  assert.deepEqual(problems, []);
  await context.close();
});

test('loading: a self action marks its button and a container action fades the widget, until the server answers', async () => {
  const { page, problems, context } = await chatOn('w-loading.html', 'actions', 'Try them.');
  const card = articles(page, 'widget').first();
  await card.locator('.w-root').waitFor();
  await card.getByRole('textbox', { name: 'Name' }).fill('Ada');
  const slow = card.getByRole('button', { name: 'Slow' });
  await slow.click();
  await page.waitForFunction(() => [...document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('button')].some((b) => b.textContent === 'Slow' && b.getAttribute('aria-busy') === 'true'));
  assert.equal(await slow.isDisabled(), true, 'it cannot be pressed again');
  assert.equal(await card.getByRole('button', { name: 'Sync' }).isDisabled(), true, 'nor another action of the widget');
  assert.equal(await card.locator('.w-root').getAttribute('aria-busy'), null, 'the widget itself does not fade');
  await fetch(`${vars.CHATKIT_SERVER_URL}/ack`, { method: 'POST' });
  await lastReply(page).filter({ hasText: 'Action slow with' }).waitFor();
  await page.waitForFunction(() => ![...document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('button')].some((b) => b.getAttribute('aria-busy') === 'true'));
  await card.getByRole('button', { name: 'Fade' }).click();
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelector('.w-root[aria-busy="true"][inert]'));
  await card.screenshot({ path: screenshotPath('widgets-fading') });
  await fetch(`${vars.CHATKIT_SERVER_URL}/ack`, { method: 'POST' });
  await lastReply(page).filter({ hasText: 'Action fade with' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('orcheo-chat').shadowRoot.querySelector('.w-root[aria-busy]'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a client action goes to the page\'s handler and the widget.action event, never to the server; a sync action redraws its widget at once', async () => {
  const { page, problems, bodies, context } = await chatOn('w-client.html', 'actions', 'Try them.');
  const card = articles(page, 'widget').first();
  await card.locator('.w-root').waitFor();
  const handled = page.evaluate(() => new Promise((resolve) => {
    const seen = {};
    window.OrcheoChat.on('widget.action', (detail) => { seen.event = detail; });
    window.OrcheoChat.setWidgetActionHandler((action, item) => { seen.handler = { action, item }; resolve(seen); });
  }));
  await card.getByRole('textbox', { name: 'Name' }).fill('Ada');
  const before = bodies.length;
  await card.getByRole('button', { name: 'Ask the page' }).click();
  const seen = await handled;
  assert.equal(seen.handler.action.type, 'page.open');
  assert.equal(seen.handler.action.payload.to, '/pricing');
  assert.equal(seen.handler.action.payload.profile.name, 'Ada', 'with its form');
  assert.match(seen.handler.item.id, /^wdg_/);
  assert.deepEqual(seen.event.action, seen.handler.action);
  assert.equal(bodies.length, before, 'the server got nothing');
  // Sync: JSON, not a stream; the server's copy of the widget replaces it.
  await card.getByRole('button', { name: 'Sync' }).dblclick();
  await card.getByText(/^Synced count\.up #1 with /).waitFor();
  const syncs = bodies.filter((body) => body.type === 'threads.sync_custom_action');
  assert.equal(syncs.length, 1, 'a double click syncs once');
  assert.equal(syncs[0].params.action.payload.profile.name, 'Ada');
  assert.equal(await articles(page, 'assistant').count(), 1, 'no reply: the widget itself changed');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a client tool call is answered by the page\'s handler, and without one the visitor reads why and the assistant goes on', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'w-tool.html', { backend: vars.CHATKIT_SERVER_URL, workflow: WORKFLOW, open: 'true' });
  const sent = chatkitBodies(page);
  await page.evaluate(() => window.OrcheoChat.setClientToolHandler(({ name, params }) => ({ tool: name, city: 'Oslo', precise: params.precise })));
  await say(page, 'tool');
  await lastReply(page).filter({ hasText: 'The page said {"city": "Oslo", "precise": true, "tool": "get_location"}' }).waitFor();
  const output = sent.find((body) => body.type === 'threads.add_client_tool_output');
  assert.deepEqual(output.params.result, { tool: 'get_location', city: 'Oslo', precise: true });
  assert.equal(await articles(page, 'notice').filter({ hasText: 'get_location' }).count(), 1, 'the call shows');
  // No handler: a sentence, one console error naming the tool, and the assistant is told.
  await page.evaluate(() => window.OrcheoChat.setClientToolHandler(null));
  await say(page, 'tool');
  await lastReply(page).filter({ hasText: 'The page said {"error":' }).waitFor();
  await articles(page, 'error').filter({ hasText: "This page couldn't do what the assistant asked." }).waitFor();
  assert.equal(problems.length, 1);
  assert.match(problems[0], /get_location.*no client tool handler/);
  await context.close();
});

test('questions (structured input): picked and written answers go back, a skip too, and the answers show', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'w-questions.html', { backend: vars.CHATKIT_SERVER_URL, workflow: WORKFLOW, open: 'true' });
  const bodies = chatkitBodies(page);
  await say(page, 'questions');
  const form = articles(page, 'widget').last();
  await form.getByText('Which languages do you use?').waitFor();
  await form.screenshot({ path: screenshotPath('widgets-questions') });
  await form.getByRole('checkbox', { name: 'Rust' }).check();
  await form.getByRole('textbox', { name: 'Which languages do you use?' }).fill('Zig');
  await form.getByRole('radio', { name: '11-50' }).check();
  await form.getByRole('textbox', { name: 'What would you like to build?' }).fill('A chat widget');
  await form.getByRole('button', { name: 'Submit' }).click();
  await lastReply(page).filter({ hasText: 'You answered answered: lang=Rust+Zig, team=11-50, why=A chat widget' }).waitFor();
  const input = bodies.find((body) => body.type === 'threads.add_structured_input').params.input;
  assert.deepEqual(input.answers.lang, { values: ['Rust', 'Zig'], skipped: false });
  await articles(page, 'widget').last().getByText('Rust, Zig').waitFor();
  await say(page, 'questions');
  await articles(page, 'widget').last().getByRole('button', { name: 'Skip' }).click();
  await lastReply(page).filter({ hasText: 'You answered skipped: lang=(skipped), team=(skipped), why=(skipped)' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a generated image shows as it is made under the image policy: loaded by default, a link under images="none", refused from origins not listed', async () => {
  for (const [images, https, drawn] of [[undefined, false, true], [undefined, true, true], ['none', false, false], ['https://other.example', true, false]]) {
    const extra = images ? { images } : {};
    const opened = await openWidget(suite.browser, 'w-image.html', { backend: vars.CHATKIT_SERVER_URL, workflow: WORKFLOW, open: 'true', ...extra });
    const requests = [];
    await localImages(opened.context);
    opened.page.on('request', (request) => { if (request.url().startsWith('https://')) requests.push(request); });
    await say(opened.page, https ? 'image https' : 'image');
    await lastReply(opened.page).filter({ hasText: 'Here is your image.' }).waitFor();
    const item = articles(opened.page, 'assistant').filter({ has: opened.page.locator('.w-image-item, .w-image-link') }).first();
    await item.waitFor();
    const img = item.locator('img.w-generated');
    if (drawn) {
      await img.waitFor();
      assert.equal(await img.evaluate((el) => el.complete && el.naturalWidth), 48, `${images}/${https}: loaded`);
      assert.equal(await img.getAttribute('referrerpolicy'), 'no-referrer');
      assert.equal(await img.getAttribute('crossorigin'), 'anonymous');
      assert.equal(await img.getAttribute('loading'), 'lazy');
      if (https) assert.equal(await requests[0].headerValue('referer'), null, 'no referrer');
    } else {
      assert.equal(await item.locator('img[src]').count(), 0, `${images}/${https}: no image has an address`);
      assert.equal(requests.length, 0, 'nothing fetched');
      assert.equal(await item.locator('.w-image-link').innerText(), 'Image');
    }
    assert.deepEqual(opened.problems, []);
    await opened.context.close();
  }
});

test('notices show their level', async () => {
  const { page, problems, context } = await chatOn('w-notices.html', 'notices', 'Three notices.');
  const levels = await page.locator('orcheo-chat article[data-role="notice"] .bubble[data-level]').evaluateAll((all) => all.map((bubble) => [bubble.dataset.level, getComputedStyle(bubble).backgroundColor]));
  assert.deepEqual(levels.map(([level]) => level), ['info', 'warning', 'danger']);
  assert.equal(new Set(levels.map(([, color]) => color)).size, 3, 'each its own colour');
  await page.locator('orcheo-chat .log').screenshot({ path: screenshotPath('notices') });
  assert.deepEqual(problems, []);
  await context.close();
});
