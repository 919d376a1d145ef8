// JWT mode through the example token proxy: chat with a private workflow, a token refresh
// before expiry (the test's clock jumps ahead; the proxy counts the mints), and what the
// visitor sees when no valid token can be had, or when it comes slowly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { embedTag, gotoHtml, openPage, openWidget, pageUrl, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();

async function minted() {
  const response = await fetch(`${vars.TOKEN_PROXY_URL}/healthz`);
  return (await response.json()).minted;
}


const reply = (page, text) => page.locator('orcheo-chat article[data-role="assistant"]').filter({ hasText: text }).waitFor();

test('the JWT example page chats with a private workflow through the token proxy', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  await page.goto(pageUrl('jwt.html'));
  await widgetReady(page);
  await page.getByRole('button', { name: 'Open chat' }).click();
  await say(page, 'members only');
  await reply(page, 'Echo: members only');
  await page.screenshot({ path: screenshotPath('jwt-example') });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a session token is refreshed before it expires, without a visible error', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  await page.clock.install();
  await gotoHtml(page, 'jwt-refresh.html', embedTag({
    backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_PRIVATE, tokenUrl: `${vars.TOKEN_PROXY_URL}/chatkit-token`, open: 'true',
  }));
  await widgetReady(page);
  const before = await minted();
  await say(page, 'first');
  await reply(page, 'Echo: first');
  assert.equal(await minted(), before + 1, 'one token for the first message');
  await say(page, 'second');
  await reply(page, 'Echo: second');
  assert.equal(await minted(), before + 1, 'a fresh token is reused');
  // scripts/test runs Orcheo with 60 s tokens; jump to where fewer than 30 s are left.
  await page.clock.fastForward((Number(vars.ORCHEO_TOKEN_TTL) - 25) * 1000);
  await say(page, 'third');
  await reply(page, 'Echo: third');
  assert.equal(await minted(), before + 2, 'refreshed once before the third message');
  assert.equal(await page.locator('orcheo-chat article[data-role="error"]').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a token that cannot be refreshed shows the session-expired sentence and keeps the text', async () => {
  const { page, context } = await openWidget(suite.browser, 'jwt-expired.html', { backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_PRIVATE, open: 'true' }, { before: `<script>
    // A provider that only ever has a token the server rejects (signed with another key).
    window.orcheoChatConfig = { tokenProvider: async () => ({
      client_secret: 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJl',
      expires_at: '2099-01-01T00:00:00Z',
    }) };
  </script>` });
  await say(page, 'please keep this');
  const error = page.locator('orcheo-chat article[data-role="error"]');
  await error.waitFor();
  assert.match(await error.innerText(), /Your session expired\. Reload to continue\./);
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), 'please keep this');
  assert.equal(await page.locator('orcheo-chat article[data-role="user"]').count(), 0, 'not shown as sent');
  await page.screenshot({ path: screenshotPath('jwt-expired') });
  await context.close();
});

test('a failing token endpoint is reported clearly', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  await gotoHtml(page, 'jwt-endpoint-down.html', embedTag({
    backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_PRIVATE, tokenUrl: `${vars.PAGE_ORIGIN}/no-such-token-endpoint`, open: 'true',
  }));
  await widgetReady(page);
  await say(page, 'hello?');
  const error = page.locator('orcheo-chat article[data-role="error"]');
  await error.waitFor();
  assert.match(await error.innerText(), /Couldn't start a secure chat session/);
  assert.ok(problems.some((p) => p.includes('no-such-token-endpoint') && p.includes('404')), `console names the endpoint: ${problems}`);
  assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), 'hello?');
  await context.close();
});

test('a slow token endpoint: the message waits for the token, then is sent once, with it, and answered', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let asked;
  const tokenAsked = new Promise((resolve) => { asked = resolve; });
  await page.route(`${vars.TOKEN_PROXY_URL}/chatkit-token`, async (route) => {
    asked();
    await held;
    await route.continue();
  });
  const sends = [];
  page.on('request', (request) => {
    if (/"type":"threads\.(create|add_user_message)"/.test(request.postData() ?? '')) sends.push(request.headers().authorization ?? 'none');
  });
  await gotoHtml(page, 'jwt-slow-token.html', embedTag({
    backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_PRIVATE, tokenUrl: `${vars.TOKEN_PROXY_URL}/chatkit-token`, open: 'true',
  }));
  await widgetReady(page);
  await say(page, 'worth the wait');
  await tokenAsked;
  await page.locator('orcheo-chat article[data-role="user"]').filter({ hasText: 'worth the wait' }).waitFor();
  assert.deepEqual(sends, [], 'nothing is sent while the token is on its way');
  release();
  await reply(page, 'Echo: worth the wait');
  assert.equal(sends.length, 1, 'the message was sent once');
  assert.match(sends[0], /^Bearer ./, 'with the token');
  assert.equal(await page.locator('orcheo-chat article[data-role="error"]').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
