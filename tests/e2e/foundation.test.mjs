// The foundation: one script tag gives one bubble that opens and closes a panel, on a plain
// page, on a page with a strict Content-Security-Policy, and when the tag appears twice; the
// widget adds no frame, and a host page that forbids framing stays unframed with it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, echoAttrs, embedTag, gotoHtml, openPage, openWidget, pageUrl, refusedFromAnotherSite, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();

async function bubbleOpensAndCloses(page) {
  const launcher = page.getByRole('button', { name: 'Open chat' });
  await launcher.waitFor();
  assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
  const dialog = page.getByRole('dialog');
  assert.equal(await dialog.count(), 0, 'the panel starts closed');
  await launcher.click();
  await dialog.waitFor();
  const close = page.getByRole('button', { name: 'Close chat' }).first();
  assert.equal(await page.locator('orcheo-chat .launcher').getAttribute('aria-expanded'), 'true');
  await close.click();
  await dialog.waitFor({ state: 'hidden' });
}

test('the bubble appears, opens and closes the panel, with no errors on the page', async () => {
  const { page, problems, context } = await openWidget(suite.browser, 'plain.html', echoAttrs({ title: 'Acme Support' }), { before: '<h1>Host page</h1>' });
  await page.screenshot({ path: screenshotPath('foundation-closed') });
  await bubbleOpensAndCloses(page);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('dialog', { name: 'Acme Support' }).waitFor();
  await page.screenshot({ path: screenshotPath('foundation-open') });
  assert.deepEqual(problems, []);
  const globals = await page.evaluate(() => Object.keys(window).filter((key) => /wasm|orcheo/i.test(key)));
  assert.deepEqual(globals, ['OrcheoChat'], 'the only global is OrcheoChat');
  await context.close();
});

test('a page with a strict CSP renders the widget fully styled', async () => {
  const { page, problems, violations, context } = await openPage(suite.browser);
  const csp = `default-src 'self'; script-src 'self' ${vars.WIDGET_ORIGIN} 'wasm-unsafe-eval'; style-src 'self'; connect-src ${vars.ORCHEO_URL} ${vars.WIDGET_ORIGIN}`;
  await gotoHtml(page, 'csp.html', `<h1>Strict CSP</h1>${embedTag(echoAttrs())}`, {
    head: `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
  });
  await widgetReady(page);
  await bubbleOpensAndCloses(page);
  const launcher = page.locator('orcheo-chat .launcher');
  const style = await launcher.evaluate((el) => {
    const s = getComputedStyle(el);
    return { position: s.position, width: s.width, background: s.backgroundColor };
  });
  assert.deepEqual(style, { position: 'fixed', width: '56px', background: 'rgb(79, 70, 229)' }, 'styled by the constructable stylesheet');
  await page.screenshot({ path: screenshotPath('foundation-csp') });
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a page that requires Trusted Types runs the widget with no violation', async () => {
  const { page, problems, violations, context } = await openPage(suite.browser);
  const csp = `default-src 'self'; script-src 'self' ${vars.WIDGET_ORIGIN} 'wasm-unsafe-eval'; style-src 'self'; connect-src ${vars.ORCHEO_URL} ${vars.WIDGET_ORIGIN}; require-trusted-types-for 'script'`;
  await gotoHtml(page, 'trusted-types.html', `<h1>Trusted Types</h1>${embedTag(echoAttrs({ preload: 'none' }))}`, {
    head: `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
  });
  await widgetReady(page);
  await bubbleOpensAndCloses(page);
  await page.getByRole('button', { name: 'Open chat' }).click();
  const input = page.getByRole('textbox', { name: 'Message' });
  await page.locator('orcheo-chat [role="log"]').waitFor();
  await input.fill('**trusted** reply');
  await input.press('Enter');
  await page.locator('orcheo-chat article[data-role="assistant"]').filter({ hasText: 'Echo: trusted reply' }).waitFor();
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the widget never adds a frame, and a host page that forbids framing cannot be framed with the chat in it', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  // Every frame-like element added anywhere, in the page or in a shadow root, from the start.
  await page.addInitScript(() => {
    window.__frames = [];
    const watch = (root) => new MutationObserver((records) => {
      for (const node of records.flatMap((record) => [...record.addedNodes])) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        for (const element of [node, ...node.querySelectorAll('*')]) {
          if (/^(iframe|frame|frameset|object|embed|portal|fencedframe)$/.test(element.localName)) window.__frames.push(element.localName);
        }
      }
    }).observe(root, { childList: true, subtree: true });
    watch(document);
    const attachShadow = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function watched(init) {
      const root = attachShadow.call(this, init);
      watch(root);
      return root;
    };
  });
  // The host page forbids other sites to frame it, as SECURITY.md tells embedders to.
  const host = pageUrl('frame-host.html');
  await gotoHtml(page, 'frame-host.html', `<h1>Host</h1>${embedTag(echoAttrs({ open: 'true' }))}`,
    { headers: { 'content-security-policy': "frame-ancestors 'self'" } });
  await widgetReady(page);
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('no frames');
  await input.press('Enter');
  await page.locator('orcheo-chat article[data-role="assistant"]').filter({ hasText: 'Echo: no frames' }).waitFor();
  assert.deepEqual(await page.evaluate(() => window.__frames), [], 'the widget added no frame, in the page or the panel');
  assert.deepEqual(problems, []);

  // The host's own origin may frame it (and the widget comes up there)...
  await gotoHtml(page, 'framer.html', `<iframe src="${host}" width="800" height="600"></iframe>`);
  await page.frames().find((frame) => frame !== page.mainFrame()).getByRole('button', { name: 'Close chat' }).first().waitFor();
  // ...another site (localhost is another origin than 127.0.0.1) may not: the frame is refused.
  // (Only the other site's frame counts: the first frame's chat, still there until the page
  // goes, may fetch more of the widget meanwhile.)
  const widgetFetches = [];
  page.on('request', (request) => {
    const fromOtherSite = page.mainFrame().url().startsWith('http://localhost');
    if (fromOtherSite && request.frame() !== page.mainFrame() && request.url().startsWith(vars.WIDGET_ORIGIN)) widgetFetches.push(request.url());
  });
  await refusedFromAnotherSite(page, 'framer.html');
  const framed = page.frames().find((frame) => frame !== page.mainFrame());
  assert.equal(await framed.locator('orcheo-chat').count(), 0, 'no chat inside the frame');
  assert.deepEqual(widgetFetches, [], 'the framed page never ran, so the widget never loaded there');
  await context.close();
});

test('the tag included twice still gives one widget', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  await gotoHtml(page, 'twice.html', `${embedTag(echoAttrs())}<p>Middle</p>${embedTag(echoAttrs(), { src: `${vars.WIDGET_URL}?v=2` })}`);
  await widgetReady(page);
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('orcheo-chat').count(), 1);
  await bubbleOpensAndCloses(page);
  assert.deepEqual(problems, []);
  await context.close();
});

test('OrcheoChat.version is the version of the package the widget was served from, and of Cargo.toml', async () => {
  // scripts/test serves the unpacked npm package's dist/; scripts/e2e alone serves dist/.
  const json = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {});
  const packed = json(join(vars.WIDGET_DIR, '..', 'package.json'));
  const served = packed.name === 'orcheo-chat' ? packed : json(join(vars.WIDGET_DIR, 'manifest.json'));
  const cargo = /^version = "([^"]+)"/m.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))[1];
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package/package.json'), 'utf8'));
  const { page, problems, context } = await openWidget(suite.browser, 'version.html', echoAttrs());
  assert.deepEqual([await page.evaluate(() => window.OrcheoChat.version), served.version, version], [cargo, cargo, cargo]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the local Orcheo answers a ChatKit request', async () => {
  const response = await fetch(`${vars.ORCHEO_URL}/api/chatkit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-orcheo-visitor-id': 'visitor_smoke_test' },
    body: JSON.stringify({
      type: 'threads.create',
      workflow_id: vars.ORCHEO_WF_ECHO,
      metadata: {},
      params: { input: { content: [{ type: 'input_text', text: 'ping' }], attachments: [], inference_options: {} } },
    }),
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /text\/event-stream/);
  const body = await response.text();
  assert.match(body, /"type":"assistant_message".*"text":"Echo: ping/);
});
