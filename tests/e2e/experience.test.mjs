// The chat experience against the real local Orcheo: keyboard-only use, markdown replies, the
// phone sheet, right-to-left layout, accessibility (axe-core), hostile page CSS, and the
// screenshots of each state (written to tests/e2e/screenshots/, git-ignored).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, articles, echoAttrs, embedTag, gotoHtml, openPage, openWidget, pixelDifference, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
// Both stages' strings (src/locales/ar.json's `texts` and `panel`).
const ARABIC = (({ texts, panel }) => ({ ...texts, ...panel }))(JSON.parse(readFileSync(join(ROOT, 'src/locales/ar.json'), 'utf8')));

const input = (page, name = 'Message') => page.getByRole('textbox', { name });
const panel = (page) => page.locator('orcheo-chat .panel');
const launcher = (page) => page.locator('orcheo-chat .launcher');

/** Waits until the widget's open/close transition is over. */
async function settled(page) {
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.getAnimations().length === 0);
}


/** What has focus inside the widget: the focused element's `data-ui`, class or tag. */
function focused(page) {
  return page.evaluate(() => {
    const element = document.querySelector('orcheo-chat')?.shadowRoot?.activeElement;
    return element ? element.dataset.ui || element.className || element.tagName.toLowerCase() : null;
  });
}

/** axe-core's serious and critical violations inside the widget. */
async function accessibilityProblems(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run({ include: [['orcheo-chat']] }, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

test('keyboard only: open, type, send, hear the reply, and Escape back to the launcher', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'keyboard.html', echoAttrs(), { before: '<h1>Keyboard</h1>' });
  await launcher(page).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'launcher', 'Tab reaches the launcher');
  await page.keyboard.press('Enter');
  await panel(page).waitFor();
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.activeElement?.tagName === 'TEXTAREA');
  assert.equal(await launcher(page).getAttribute('aria-expanded'), 'true');

  await page.keyboard.type('first line');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('second line');
  assert.equal(await input(page).inputValue(), 'first line\nsecond line', 'Shift+Enter is a newline');
  assert.equal(await articles(page, 'user').count(), 0, 'Shift+Enter does not send');
  await page.keyboard.press('Enter');
  await articles(page, 'assistant').filter({ hasText: 'Echo: first line' }).waitFor();
  const live = page.locator('orcheo-chat [aria-live="polite"]');
  await assert.doesNotReject(live.filter({ hasText: 'Echo: first line' }).waitFor({ state: 'attached' }));

  await page.keyboard.press('Escape');
  await panel(page).waitFor({ state: 'hidden' });
  assert.equal(await focused(page), 'launcher', 'focus returns to the launcher');
  assert.equal(await launcher(page).getAttribute('aria-expanded'), 'false');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a markdown reply becomes DOM: headings, lists, a table, code with Copy, and only safe links', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'markdown.html', { backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_MARKDOWN, open: 'true' });
  await say(page, 'notes please');
  const reply = articles(page, 'assistant').filter({ hasText: 'Release notes' });
  await reply.waitFor();
  await reply.getByRole('button', { name: 'Copy', exact: true }).waitFor();

  assert.equal(await reply.getByRole('heading', { name: 'Release notes' }).count(), 1);
  assert.equal(await reply.locator('strong').first().innerText(), 'bold');
  assert.equal(await reply.locator('em').first().innerText(), 'italic');
  assert.deepEqual(await reply.locator('ol > li').allInnerTexts(), ['First step', 'Second step with code']);
  assert.equal(await reply.locator('ul > li').count(), 2);
  assert.match(await reply.locator('blockquote').innerText(), /Quoted advice stays quoted\./);
  assert.deepEqual(await reply.locator('th').allInnerTexts(), ['Plan', 'Price', 'Seats']);
  assert.deepEqual(await reply.locator('tbody tr').first().locator('td').allInnerTexts(), ['Free', '0', '1']);

  const code = reply.locator('pre code');
  assert.equal(await code.getAttribute('data-lang'), 'python');
  assert.match(await code.innerText(), /return f"<b>Hello, \{name\}<\/b>"/, 'code is text');
  assert.equal(await reply.locator('b').count(), 0, 'markup in the reply never becomes elements');
  assert.equal(await reply.getByRole('button', { name: 'Copy code' }).count(), 1);

  const links = await reply.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href'), a.target, a.rel]));
  assert.deepEqual(links, [
    ['docs link', 'https://example.com/docs?a=1&b=2', '_blank', 'noopener noreferrer'],
    ['support', 'mailto:help@example.com', '_blank', 'noopener noreferrer'],
  ]);
  assert.match(await reply.innerText(), /this one must stay text/, 'the javascript: link is shown as its text');
  await reply.screenshot({ path: screenshotPath('markdown') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a phone the panel is a full-screen sheet with the composer in view', async () => {
  for (const [width, height] of [[390, 844], [320, 640]]) {
    const { page, problems, context } = await openWidget(suite.browser, `phone-${width}.html`, echoAttrs(), { before: '<h1>Phone</h1>', viewport: { width, height }, isMobile: true, hasTouch: true });
    await launcher(page).tap();
    await panel(page).waitFor();
    await settled(page);
    const sheet = await panel(page).boundingBox();
    assert.deepEqual([sheet.x, sheet.y, sheet.width, sheet.height], [0, 0, width, height], 'the panel fills the screen');
    const composer = await input(page).boundingBox();
    assert.ok(composer.y >= 0 && composer.y + composer.height <= height, `the composer is on screen: ${JSON.stringify(composer)}`);
    assert.ok(composer.x >= 0 && composer.x + composer.width <= width);
    assert.equal(await input(page).evaluate((el) => getComputedStyle(el).fontSize), '16px', 'no zoom on focus in iOS');
    const overflow = await page.evaluate(() => {
      const shadow = document.querySelector('orcheo-chat').shadowRoot;
      return [document.documentElement.scrollWidth, shadow.querySelector('.panel').scrollWidth];
    });
    assert.ok(overflow.every((w) => w <= width), `no horizontal scroll at ${width}px: ${overflow}`);
    await say(page, 'Hello from a phone');
    await articles(page, 'assistant').filter({ hasText: 'Echo: Hello from a phone' }).waitFor();
    if (width === 390) await page.screenshot({ path: screenshotPath('mobile') });
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('Arabic lays the panel out right to left, in Arabic', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'arabic.html', echoAttrs({ locale: 'ar' }), { lang: 'ar' });
  await page.getByRole('button', { name: ARABIC.open_chat }).click();
  await panel(page).waitFor();
  assert.equal(await panel(page).getAttribute('dir'), 'rtl');
  assert.equal(await panel(page).getAttribute('lang'), 'ar');
  const box = await input(page, ARABIC.message_label).boundingBox();
  const send = await page.locator('orcheo-chat').getByRole('button', { name: ARABIC.send }).boundingBox();
  assert.ok(send.x + send.width <= box.x + 1, 'Send sits to the left of the text box');
  const title = await page.locator('orcheo-chat .title').boundingBox();
  const close = await panel(page).getByRole('button', { name: ARABIC.close_chat }).boundingBox();
  assert.ok(close.x < title.x, 'Close sits at the left end of the header');
  await input(page, ARABIC.message_label).fill('مرحبا');
  await input(page, ARABIC.message_label).press('Enter');
  await articles(page, 'assistant').filter({ hasText: 'مرحبا' }).waitFor();
  await page.screenshot({ path: screenshotPath('rtl') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('axe-core finds no serious or critical problems, closed, open and mid-conversation, light and dark', async () => {
  for (const theme of ['light', 'dark']) {
    const { page, problems, context } = await openWidget(suite.browser, `axe-${theme}.html`, { backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_MARKDOWN, theme: 'auto' }, { before: '<main><h1>Accessibility</h1></main>', colorScheme: theme });
    await launcher(page).waitFor();
    assert.deepEqual(await accessibilityProblems(page), [], `${theme}, closed`);
    if (theme === 'light') await page.screenshot({ path: screenshotPath('closed') });
    await launcher(page).click();
    await panel(page).waitFor();
    await settled(page);
    assert.deepEqual(await accessibilityProblems(page), [], `${theme}, open`);
    if (theme === 'light') await page.screenshot({ path: screenshotPath('open') });
    await say(page, 'notes please');
    await articles(page, 'assistant').filter({ hasText: 'Release notes' }).waitFor();
    await input(page).fill('A draft in progress');
    assert.deepEqual(await accessibilityProblems(page), [], `${theme}, mid-conversation`);
    if (theme === 'dark') await page.screenshot({ path: screenshotPath('dark') });
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a page with hostile global CSS does not change how the widget looks', async () => {
  const hostile = `<style>
    * { all: unset !important; }
    html { font-size: 48px !important; line-height: 3 !important; }
    button { display: none !important; }
    section, div, p, textarea { color: red !important; background: yellow !important; }
  </style>`;
  const shots = [];
  for (const [name, head] of [['plain', ''], ['hostile', hostile]]) {
    const { page, problems, context } = await openWidget(suite.browser, `css-${name}.html`, echoAttrs({ title: 'Support' }), { head });
    await launcher(page).waitFor();
    const closed = await launcher(page).screenshot({ animations: 'disabled' });
    await launcher(page).click();
    await panel(page).waitFor();
    // The click runs the panel stage (by default nothing ran before it): compare the panel
    // once it is connected and drawn, with the workflow's two start prompts.
    await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.prompts button').length === 2);
    await settled(page);
    // Inside the rounded corners: there the page shows through (and the hostile page's `all:
    // unset` makes its <head> visible as text).
    const box = await panel(page).boundingBox();
    const clip = { x: box.x + 16, y: box.y + 16, width: box.width - 32, height: box.height - 32 };
    const open = await page.screenshot({ animations: 'disabled', clip });
    const boxes = await Promise.all([launcher(page).boundingBox(), panel(page).boundingBox(), input(page).boundingBox()]);
    shots.push({ closed, open, boxes });
    if (name === 'hostile') await page.screenshot({ path: screenshotPath('hostile-css') });
    assert.deepEqual(problems, []);
    await context.close();
  }
  const [plain, hostilePage] = shots;
  assert.deepEqual(hostilePage.boxes, plain.boxes, 'launcher, panel and composer keep their size and place');
  // (Up to 2 of 255 per channel: Chromium's anti-aliasing of a rounded border varies between two
  // loads of the same page; the hostile page's red, yellow, 48px type or missing buttons would
  // differ by far more.)
  assert.ok(await pixelDifference(suite.browser, hostilePage.closed, plain.closed) <= 2, 'the launcher looks the same');
  assert.ok(await pixelDifference(suite.browser, hostilePage.open, plain.open) <= 2, 'the open panel looks the same');
});

test('mid-stream and error states, as a visitor sees them', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'states.html', { backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_SLOW, open: 'true' });
  await say(page, 'take your time');
  const status = page.locator('orcheo-chat .status');
  await status.filter({ hasText: /\S/ }).waitFor();
  const stop = page.locator('orcheo-chat').getByRole('button', { name: 'Stop' });
  await stop.waitFor();
  assert.equal(await page.locator('orcheo-chat').getByRole('button', { name: 'Send' }).count(), 0, 'Stop replaces Send');
  await page.screenshot({ path: screenshotPath('mid-stream') });
  await stop.click();
  await articles(page, 'notice').filter({ hasText: 'You stopped this reply.' }).waitFor();
  await context.close();

  const failing = await openPage(suite.browser);
  await gotoHtml(failing.page, 'error-state.html', embedTag({ backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_FAIL, open: 'true' }));
  await widgetReady(failing.page);
  await say(failing.page, 'this will fail');
  await articles(failing.page, 'error').getByRole('button', { name: 'Retry' }).waitFor();
  await failing.page.screenshot({ path: screenshotPath('error') });
  assert.deepEqual(problems, []);
  await failing.context.close();
});
