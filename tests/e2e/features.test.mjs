// The rest of what a visitor and an embedder use, against the real local Orcheo: widget forms,
// start prompts, the conversation list, languages, theming, the unread dot and scrolling.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, articles, echoAttrs, embedTag, gotoHtml, openPage, openWidget, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();

// Both stages' strings (src/locales/<lang>.json's `texts` and `panel`).
const strings = (lang) => (({ texts, panel }) => ({ ...texts, ...panel }))(JSON.parse(readFileSync(join(ROOT, `src/locales/${lang}.json`), 'utf8')));
const input = (page) => page.locator('orcheo-chat textarea');
const widget = (page) => page.locator('orcheo-chat');


test('a widget form sends its values with its action, and the answer arrives', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'widget.html', { backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_WIDGET, open: 'true' });
  await say(page, 'plans?');
  const form = articles(page, 'widget').first();
  await form.getByText('Pick a plan').waitFor();
  await form.getByRole('radio', { name: 'Team' }).check();
  await form.getByRole('checkbox', { name: 'Email me updates' }).check();
  await form.getByRole('button', { name: 'Choose' }).click();
  await articles(page, 'assistant').filter({ hasText: 'Thanks, you picked team.' }).waitFor();
  await articles(page, 'widget').filter({ hasText: 'You picked team.' }).waitFor();
  await page.screenshot({ path: screenshotPath('widget') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('start prompts from the embed show on the start screen and send when clicked', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  const prompts = JSON.stringify([{ label: 'Say hi', prompt: 'Hello there' }, 'Plain prompt']);
  await gotoHtml(page, 'prompts.html', embedTag(echoAttrs({ open: 'true', greeting: 'Welcome aboard!', prompts })));
  await widgetReady(page);
  await widget(page).getByText('Welcome aboard!').waitFor();
  assert.deepEqual(await widget(page).locator('.prompt').allInnerTexts(), ['Say hi', 'Plain prompt']);
  await widget(page).getByRole('button', { name: 'Say hi' }).click();
  await articles(page, 'assistant').filter({ hasText: 'Echo: Hello there (turn 1)' }).waitFor();
  assert.equal(await widget(page).locator('.prompt').count(), 0, 'the start screen goes once the conversation starts');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the conversation list switches, renames and deletes conversations started here', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'history.html', echoAttrs({ open: 'true', persist: 'local' }), { before: `<script>window.changes = []; addEventListener('orcheo-chat:ready', () =>
    OrcheoChat.on('thread.change', (e) => changes.push(e.thread_id)));</script>` });
  await say(page, 'First topic');
  await articles(page, 'assistant').filter({ hasText: 'Echo: First topic' }).waitFor();
  await widget(page).getByRole('button', { name: 'New conversation' }).click();
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('article').length === 0);
  await say(page, 'Second topic');
  await articles(page, 'assistant').filter({ hasText: 'Echo: Second topic' }).waitFor();

  await widget(page).getByRole('button', { name: 'Conversations' }).click();
  const list = widget(page).locator('.history li.thread');
  await list.nth(1).waitFor();
  assert.deepEqual(await list.locator('.open').allInnerTexts(), ['Second topic', 'First topic'], 'newest first, titled by the server');
  assert.ok(await input(page).isHidden(), 'the composer hides behind the list');
  await page.screenshot({ path: screenshotPath('history') });

  await list.nth(1).getByRole('button', { name: 'First topic' }).click();
  await articles(page, 'user').filter({ hasText: 'First topic' }).waitFor();
  assert.equal(await articles(page, 'user').filter({ hasText: 'Second topic' }).count(), 0);
  await say(page, 'Back again');
  await articles(page, 'assistant').filter({ hasText: 'Echo: Back again (turn 3)' }).waitFor();

  // The server's list lands while the visitor is typing a new title: what they typed stays.
  let releaseList;
  const listHeld = new Promise((resolve) => { releaseList = resolve; });
  await page.route(`${vars.ORCHEO_URL}/api/chatkit`, async (route) => {
    if (route.request().postData()?.includes('"threads.list"')) await listHeld;
    await route.continue();
  });
  await widget(page).getByRole('button', { name: 'Conversations' }).click();
  await list.nth(1).waitFor();
  await list.filter({ hasText: 'First topic' }).getByRole('button', { name: 'Rename' }).click();
  const title = widget(page).getByRole('textbox', { name: 'Rename' });
  await title.fill('Renamed topic');
  const shownFirst = await list.first().elementHandle();
  const listed = page.waitForResponse((response) => response.request().postData()?.includes('"threads.list"'));
  releaseList();
  await listed;
  // The answer is applied before the next frame; the rows are keyed, so the edited one stays.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.equal(await title.inputValue(), 'Renamed topic', 'the typing survives the list arriving');
  assert.ok(await shownFirst.evaluate((item) => item.isConnected), 'rows are kept, not redrawn');
  await page.unroute(`${vars.ORCHEO_URL}/api/chatkit`);
  await title.press('Enter');
  await list.filter({ hasText: 'Renamed topic' }).waitFor();
  await list.filter({ hasText: 'Second topic' }).getByRole('button', { name: 'Delete' }).click();
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.history li.thread').length === 1);

  // What the server now says: the rename stuck, and the deleted thread is gone.
  await page.reload();
  await widgetReady(page);
  await widget(page).getByRole('button', { name: 'Conversations' }).click();
  await list.first().waitFor();
  assert.deepEqual(await list.locator('.open').allInnerTexts(), ['Renamed topic']);
  const changes = await page.evaluate(() => window.changes);
  assert.ok(changes.length === 0 || changes.every((id) => id === null || /^thr_/.test(id)), `thread.change ids: ${changes}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the language follows navigator.language, data-locale, and setOptions at runtime', async () => {
  const [de, fr] = [strings('de'), strings('fr')];
  const { page, problems, context } = await openWidget(suite.browser, 'german.html', echoAttrs(), { locale: 'de-DE', lang: 'de' });
  await widget(page).getByRole('button', { name: de.open_chat }).click();
  await widget(page).getByRole('textbox', { name: de.message_label }).fill('Hallo');
  await widget(page).getByRole('textbox', { name: de.message_label }).press('Enter');
  await articles(page, 'assistant').filter({ hasText: 'Echo: Hallo' }).waitFor();

  await page.evaluate(() => window.OrcheoChat.setOptions({ locale: 'fr' }));
  await widget(page).getByRole('textbox', { name: fr.message_label }).waitFor();
  assert.equal(await widget(page).locator('.panel').getAttribute('lang'), 'fr');
  assert.equal(await widget(page).getByRole('button', { name: fr.send }).count(), 1);
  assert.equal(await articles(page, 'assistant').filter({ hasText: 'Echo: Hallo' }).count(), 1, 'the conversation stays');
  assert.equal(await articles(page, 'user').first().getAttribute('aria-label'), fr.you_said);
  await context.close();

  const chosen = await openPage(suite.browser, { locale: 'de-DE' });
  await gotoHtml(chosen.page, 'spanish.html', embedTag(echoAttrs({ locale: 'es' })));
  await widgetReady(chosen.page);
  await widget(chosen.page).getByRole('button', { name: strings('es').open_chat }).waitFor();
  assert.deepEqual([...problems, ...chosen.problems], []);
  await chosen.context.close();
});

test('theming: accent, radius, side, offsets, z-index and dark theme from attributes; ::part from the page', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  const attrs = echoAttrs({ accent: '#0f766e', radius: 'sharp', position: 'left', offsetX: '40', offsetY: '30', zIndex: '5000', theme: 'dark' });
  await gotoHtml(page, 'theme.html', embedTag(attrs), { head: '<style>orcheo-chat::part(header) { outline: 3px solid rgb(1, 2, 3); }</style>' });
  await widgetReady(page);
  const launcher = widget(page).locator('.launcher');
  await launcher.waitFor();
  const look = await launcher.evaluate((el) => {
    const style = getComputedStyle(el);
    return { background: style.backgroundColor, color: style.color, zIndex: style.zIndex };
  });
  assert.deepEqual(look, { background: 'rgb(15, 118, 110)', color: 'rgb(255, 255, 255)', zIndex: '5000' });
  const box = await launcher.boundingBox();
  assert.deepEqual([box.x, 800 - (box.y + box.height)], [40, 30], 'left side, 40px in, 30px up');
  await launcher.click();
  const panel = widget(page).locator('.panel');
  await panel.waitFor();
  const panelLook = await panel.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).borderTopLeftRadius]);
  assert.deepEqual(panelLook, ['rgb(17, 24, 39)', '0px'], 'the dark surface, sharp corners');
  assert.equal(await widget(page).locator('.header').evaluate((el) => getComputedStyle(el).outlineColor), 'rgb(1, 2, 3)', '::part(header) reaches in');
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.getAnimations().length === 0);
  const panelBox = await panel.boundingBox();
  assert.ok(panelBox.x <= 41, `the panel opens on the left: ${panelBox.x}`);
  await page.screenshot({ path: screenshotPath('themed') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a reply that lands while the panel is closed shows the unread dot until it is opened', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'unread.html', echoAttrs());
  const reply = await page.evaluate(() => window.OrcheoChat.send('While closed'));
  assert.match(reply, /Echo: While closed/);
  const dot = widget(page).locator('.unread');
  await dot.waitFor();
  assert.equal(await widget(page).getByText('New reply').count(), 1, 'the dot has a name');
  await widget(page).locator('.launcher').click();
  await dot.waitFor({ state: 'hidden' });
  await articles(page, 'assistant').filter({ hasText: 'Echo: While closed' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the log follows replies only while the reader is at the end; Jump to latest brings it back', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'scroll.html', { backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_LONG, open: 'true' });
  await say(page, 'a long one');
  const log = widget(page).locator('[role="log"]');
  await articles(page, 'assistant').first().waitFor();
  const atEnd = () => log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 32);
  await page.waitForFunction(() => {
    const el = document.querySelector('orcheo-chat').shadowRoot.querySelector('[role="log"]');
    return el.scrollHeight - el.scrollTop - el.clientHeight < 32;
  });
  const jump = widget(page).getByRole('button', { name: 'Jump to latest' });
  assert.ok(await jump.isHidden());

  await log.evaluate((el) => { el.scrollTop = 0; });
  await jump.waitFor();
  await page.evaluate(() => window.OrcheoChat.send('another'));
  await articles(page, 'assistant').nth(1).waitFor();
  assert.equal(await log.evaluate((el) => el.scrollTop), 0, 'a reader scrolled up stays where they are');
  await jump.click();
  await jump.waitFor({ state: 'hidden' });
  assert.ok(await atEnd());
  assert.deepEqual(problems, []);
  await context.close();
});

test('with data-attachments a file uploads, goes with the next message, and a too-large one is refused', async () => {
  const { page, problems, warnings, context } = await openPage(suite.browser);
  // The workflow's lookup is held until the file is picked: a file picked while the widget is
  // still connecting waits and uploads once it is connected.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/api/workflows/*/public', async (route) => {
    await held;
    await route.continue();
  });
  await gotoHtml(page, 'files.html', embedTag(echoAttrs({ open: 'true', attachments: 'true' })));
  await widgetReady(page);
  const attach = widget(page).getByRole('button', { name: 'Attach a file' });
  await attach.waitFor();
  const picker = widget(page).locator('input[type="file"]');
  await picker.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Remember the milk.\n') });
  const chip = widget(page).locator('.files li');
  await chip.filter({ hasText: 'notes.txt' }).and(widget(page).locator('[data-state="uploading"]')).waitFor();
  release();
  await widget(page).locator('.files li[data-state="ready"]').filter({ hasText: 'notes.txt' }).waitFor();

  await picker.setInputFiles({ name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(5_000_001, 'a') });
  await chip.filter({ hasText: "Couldn't upload big.txt." }).waitFor();
  assert.ok(warnings.some((w) => w.includes('big.txt')), `the page is told why: ${warnings}`);
  await widget(page).getByRole('button', { name: 'Remove big.txt' }).click();
  await page.waitForFunction(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.files li').length === 1);

  await say(page, 'See the attached notes');
  const sent = articles(page, 'user').filter({ hasText: 'See the attached notes' });
  await sent.locator('.attachment').filter({ hasText: 'notes.txt' }).waitFor();
  await articles(page, 'assistant').filter({ hasText: 'Echo: See the attached notes' }).waitFor();
  assert.ok(await widget(page).locator('.files').isHidden(), 'the files went with the message');
  await page.screenshot({ path: screenshotPath('attachments') });
  assert.deepEqual(problems, []);
  await context.close();

  const plain = await openPage(suite.browser);
  await gotoHtml(plain.page, 'no-files.html', embedTag(echoAttrs({ open: 'true' })));
  await widgetReady(plain.page);
  await widget(plain.page).locator('textarea').waitFor();
  assert.equal(await widget(plain.page).getByRole('button', { name: 'Attach a file' }).count(), 0, 'off by default');
  await plain.context.close();
});
