// The type declarations (types/orcheo-chat.d.ts) against what the widget really emits: every
// event a visit produces is recorded with its payload, and each payload has exactly the
// properties its declared interface names (the required ones always, the optional ones at
// most). A payload the types do not describe fails, and so does an event they do not list.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, articles, echoAttrs, embedTag, gotoHtml, openPage, say, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();
const DECLARATIONS = readFileSync(join(ROOT, 'types/orcheo-chat.d.ts'), 'utf8');

/** `{ required, optional }` property names of interface `name` in the declarations. */
function properties(name) {
  const body = new RegExp(`export interface ${name}(?: extends \\w+)? \\{([^}]*)\\}`).exec(DECLARATIONS)?.[1];
  assert.ok(body, `interface ${name} is declared`);
  const members = [...body.matchAll(/^\s+(\w+)(\??):/gm)];
  return { required: members.filter((m) => !m[2]).map((m) => m[1]), optional: members.filter((m) => m[2]).map((m) => m[1]) };
}

/** Each event's declared payload: an interface name, or `undefined`/`null`. */
const EVENTS = Object.fromEntries([...(/export interface OrcheoChatEvents \{([^}]*)\}/.exec(DECLARATIONS)[1])
  .matchAll(/^\s+'?([\w.]+)'?: (\w+);/gm)].map(([, event, type]) => [event, type]));

/** Subscribes to every declared event the moment `window.OrcheoChat` is defined, so `ready` too. */
function record(names) {
  window.seen = [];
  let api;
  Object.defineProperty(window, 'OrcheoChat', {
    configurable: true,
    get: () => api,
    set: (value) => {
      api = value;
      for (const name of names) value.on(name, (payload) => window.seen.push([name, payload === undefined ? 'undefined' : payload]));
    },
  });
}

test('every event payload the widget emits is exactly what types/orcheo-chat.d.ts declares', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  await page.addInitScript(record, Object.keys(EVENTS));
  await gotoHtml(page, 'api-types.html', embedTag(echoAttrs({ persist: 'local' })));
  await widgetReady(page);
  await page.evaluate(() => OrcheoChat.open());
  await say(page, 'typed events');
  const reply = articles(page, 'assistant').filter({ hasText: 'Echo: typed events' });
  await reply.waitFor();
  await reply.getByRole('button', { name: 'Good response' }).click();
  await page.waitForFunction(() => window.seen.some(([name]) => name === 'feedback'));
  await page.evaluate(() => OrcheoChat.close());
  const firstVisit = await page.evaluate(() => window.seen);
  // A stored conversation loads on the next visit; then a failing workflow sends an error.
  await page.reload();
  await widgetReady(page);
  await page.evaluate(() => OrcheoChat.open());
  await page.waitForFunction(() => window.seen.some(([name]) => name === 'thread.load.end'));
  await page.evaluate(([backend, workflow]) => OrcheoChat.setOptions({ backend, workflow }), [vars.ORCHEO_URL, vars.ORCHEO_WF_FAIL]);
  await say(page, 'please fail');
  await page.waitForFunction(() => window.seen.some(([name]) => name === 'error'));
  const seen = [...firstVisit, ...(await page.evaluate(() => window.seen))];

  const emitted = new Set(seen.map(([name]) => name));
  for (const event of ['ready', 'open', 'close', 'message', 'response.start', 'response.end', 'thread.change', 'thread.load.start', 'thread.load.end', 'feedback', 'error']) {
    assert.ok(emitted.has(event), `the visit emitted ${event}`);
  }
  for (const [event, payload] of seen) {
    const declared = EVENTS[event];
    assert.ok(declared, `${event} is declared`);
    if (declared === 'undefined' || declared === 'null') {
      assert.equal(payload === 'undefined' ? 'undefined' : payload === null ? 'null' : typeof payload, declared, `${event}'s payload`);
      continue;
    }
    const { required, optional } = properties(declared);
    const keys = Object.keys(payload);
    assert.deepEqual(keys.filter((key) => !required.includes(key) && !optional.includes(key)), [], `${event}: no undeclared property in ${JSON.stringify(payload)}`);
    assert.deepEqual(required.filter((key) => !keys.includes(key)), [], `${event}: every required property in ${JSON.stringify(payload)}`);
  }
  // The browser logs the failing workflow's answer: that is this test's doing.
  assert.deepEqual(problems.filter((line) => !/status of 5\d\d/.test(line)), []);
  await context.close();
});

test('the widget.action and client_tool.call payloads, against the ChatKit test server, are what the types declare', async () => {
  const { page, problems, context } = await openPage(suite.browser);
  await page.addInitScript(record, ['widget.action', 'client_tool.call']);
  await gotoHtml(page, 'api-types-widgets.html', embedTag({ backend: vars.CHATKIT_SERVER_URL, workflow: '7b0c7f3a-1f4e-4c55-9d31-2a6e0c1f5b20', open: 'true' }));
  await widgetReady(page);
  await page.evaluate(() => {
    OrcheoChat.setClientToolHandler(() => ({ city: 'Oslo' }));
    OrcheoChat.setWidgetActionHandler(() => {});
  });
  await say(page, 'tool');
  await articles(page, 'assistant').filter({ hasText: 'The page said' }).waitFor();
  await say(page, 'actions');
  const card = articles(page, 'widget').filter({ hasText: 'Ask the page' });
  await card.locator('.w-root').waitFor();
  await card.getByRole('textbox', { name: 'Name' }).fill('Ada');
  await card.getByRole('button', { name: 'Ask the page' }).click();
  await page.waitForFunction(() => window.seen.some(([name]) => name === 'widget.action'));
  const seen = await page.evaluate(() => window.seen);
  assert.deepEqual(seen.map(([name]) => name), ['client_tool.call', 'widget.action']);
  for (const [event, payload] of seen) {
    const { required, optional } = properties(EVENTS[event]);
    const keys = Object.keys(payload);
    assert.deepEqual(keys.filter((key) => !required.includes(key) && !optional.includes(key)), [], `${event}: no undeclared property in ${JSON.stringify(payload)}`);
    assert.deepEqual(required.filter((key) => !keys.includes(key)), [], `${event}: every required property in ${JSON.stringify(payload)}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
