// The public XSS corpora (scripts/lib/xss-corpus.mjs: DOMPurify's vectors, wapiti's, wfuzz's,
// xss-polyglots; 300+ payloads, each with its source) through every surface the widget renders.
// The real Orcheo carries what it can: the visitor's text, the reply, conversation titles, file
// names and the workflow's name from /public. The ChatKit stand-in carries the rest: notices,
// progress text, error messages, sources, and every text, URL, image and action field of a
// widget. Each test asserts that nothing ran (alert and friends are traps, page errors are
// collected), that no unsafe node or attribute exists in the panel or the page, that nothing
// was fetched from outside loopback, and that every plain-text surface shows the payload as text.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, articles, createWorkflow, embedTag, gotoHtml, openPage, say, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const CORPUS = join(ROOT, '.cache/xss-corpus/corpus.json');
if (!existsSync(CORPUS)) throw new Error(`${CORPUS} is missing: scripts/setup fetches it`);
const corpus = JSON.parse(readFileSync(CORPUS, 'utf8'));
const payloads = corpus.map(({ payload }) => payload);
const norm = (text) => text.replace(/\s+/g, ' ').trim();

const suite = suiteBrowser();
const STAND_IN_WORKFLOW = '7b0c7f3a-1f4e-4c55-9d31-2a6e0c1f5b20';

/**
 * Runs in the page before anything else: traps for what a payload would call, a record of every
 * Content-Security-Policy report (the page is served with a report-only policy that allows no
 * inline script, handler, `javascript:` URL, eval, frame, plugin, `<base>` or form
 * submission), and a watch on the page and on every shadow root that records each element or
 * attribute that could run script, load something or navigate, the moment it is inserted (so
 * one that comes and goes is caught too). `unsafe()` lists what was recorded.
 */
function guard() {
  const hits = [];
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
    window[name] = (...args) => { hits.push(`${name}(${args.map(String).join(', ')})`); };
  }
  const reports = [];
  const record = (batch) => {
    for (const report of batch) reports.push(`CSP ${report.body.effectiveDirective}: ${report.body.blockedURL} ${report.body.sample ?? ''}`.trim());
  };
  const policy = new ReportingObserver(record, { types: ['csp-violation'], buffered: true });
  policy.observe();
  // The panel's icons and charts: inline SVG of paths, shapes and text, and nothing else.
  const SVG = new Set(['svg', 'path', 'circle', 'rect', 'line', 'polyline', 'polygon', 'g', 'text']);
  const BANNED = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'meta', 'link',
    'img', 'image', 'video', 'audio', 'source', 'track', 'picture', 'math', 'template', 'noscript', 'xmp', 'portal',
    'style', 'marquee', 'isindex', 'keygen', 'param', 'svg', 'use', 'foreignobject', 'animate', 'set']);
  const URL_ATTRIBUTES = new Set(['src', 'srcset', 'srcdoc', 'action', 'formaction', 'data', 'poster', 'background',
    'ping', 'xlink:href', 'codebase', 'dynsrc', 'lowsrc', 'http-equiv']);
  // The image policy of the guarded pages (data-images): only from this origin, or inline.
  const allowedImage = (url) => url.startsWith('https://images.example.com/') || /^data:image\/(png|jpe?g|gif|webp|avif)[;,]/i.test(url);
  // An <img> as the widget draws one: nothing sent with it, and an address only under the policy.
  const privateImage = (element) => element.getAttribute('referrerpolicy') === 'no-referrer'
    && element.getAttribute('crossorigin') === 'anonymous' && element.getAttribute('loading') === 'lazy' && !element.hasAttribute('srcset');
  const found = new Set();
  let parsed = false;
  addEventListener('DOMContentLoaded', () => { parsed = true; });
  function checkAttribute(element, name, where) {
    const attribute = name.toLowerCase();
    const value = element.getAttribute(name) ?? '';
    const shown = `${where}: <${element.localName} ${attribute}="${value.slice(0, 60)}">`;
    const policed = attribute === 'src' && element.localName === 'img' && allowedImage(value);
    if (attribute.startsWith('on') || (URL_ATTRIBUTES.has(attribute) && !policed)) found.add(shown);
    else if (attribute === 'href' && !/^(https?:|mailto:)/i.test(value)) found.add(shown);
    else if (attribute === 'style' && /url\(|expression|javascript|@import|behavior/i.test(value)) found.add(shown);
    else if (attribute === 'target' && (value !== '_blank' || !/noopener/.test(element.getAttribute('rel') ?? ''))) found.add(shown);
  }
  function checkElement(element, inPanel) {
    if (!inPanel) {
      // The page's own markup is what the parser inserts; after that, only the widget's host.
      if (parsed && element.localName !== 'orcheo-chat') found.add(`page: <${element.localName}>`);
      return;
    }
    const tag = element.localName.toLowerCase();
    const svg = element.namespaceURI === 'http://www.w3.org/2000/svg';
    const image = tag === 'img' && !svg && privateImage(element);
    if (svg ? !SVG.has(tag) : BANNED.has(tag) && !image) found.add(`panel: <${tag}>`);
    for (const { name } of element.attributes) checkAttribute(element, name, 'panel');
  }
  function watch(root, inPanel) {
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes') {
          if (inPanel) checkAttribute(record.target, record.attributeName, 'panel');
          continue;
        }
        for (const node of record.addedNodes) {
          if (node.nodeType !== Node.ELEMENT_NODE) continue;
          for (const element of [node, ...node.querySelectorAll('*')]) checkElement(element, inPanel);
        }
      }
    }).observe(root, { childList: true, subtree: true, attributes: inPanel });
  }
  watch(document, false);
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function watched(init) {
    const root = attachShadow.call(this, init);
    watch(root, true);
    return root;
  };
  function unsafe() {
    // What is there now, too (the observer sees insertions, and this sees the rest).
    for (const element of document.querySelector('orcheo-chat')?.shadowRoot?.querySelectorAll('*') ?? []) checkElement(element, true);
    record(policy.takeRecords());
    return [...found, ...reports];
  }
  /** The normalised text of each element matching `selector` in the panel, in order. */
  function texts(selector) {
    const root = document.querySelector('orcheo-chat')?.shadowRoot;
    return [...(root?.querySelectorAll(selector) ?? [])].map((element) => element.textContent.replace(/\s+/g, ' ').trim());
  }
  function attributes(selector, name) {
    const root = document.querySelector('orcheo-chat')?.shadowRoot;
    return [...(root?.querySelectorAll(selector) ?? [])].map((element) => element.getAttribute(name));
  }
  window.__xss = { hits, unsafe, texts, attributes, forget: () => { found.clear(); reports.length = 0; hits.length = 0; } };
}

/** The report-only policy the guarded pages are served with. */
const POLICY = `script-src 'self' ${vars.WIDGET_ORIGIN} 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-src 'none'; form-action 'none'`;

/**
 * A page with the guard installed before the widget loads; records every request's URL. Images
 * may load from one origin no payload names (replies' images too), so that any that loads is
 * one the policy let through.
 */
async function openGuarded(file, attrs) {
  const opened = await openPage(suite.browser);
  const requests = [];
  opened.page.on('request', (request) => requests.push(request.url()));
  await opened.page.addInitScript(guard);
  const policy = { images: 'https://images.example.com', markdownImages: 'true' };
  await gotoHtml(opened.page, file, embedTag({ ...policy, ...attrs }), { headers: { 'content-security-policy-report-only': POLICY } });
  await widgetReady(opened.page);
  return { ...opened, requests };
}

/** Nothing ran, nothing unsafe exists, nothing left loopback, the page saw no error. */
async function assertHarmless(page, problems, requests, where) {
  const { hits, unsafe } = await page.evaluate(() => ({ hits: window.__xss.hits, unsafe: window.__xss.unsafe() }));
  assert.deepEqual(hits, [], `${where}: nothing a payload calls ran`);
  assert.deepEqual(unsafe, [], `${where}: no unsafe node or attribute`);
  assert.deepEqual(requests.filter((url) => !/^(https?:\/\/127\.0\.0\.1[:/]|data:|blob:)/.test(url)), [], `${where}: nothing fetched from outside`);
  assert.deepEqual(problems, [], `${where}: no page error`);
}

/**
 * `shown` is `expected` (normalised), one for one; a failure names the corpus entry, which is
 * `entry(index)` of the corpus for the `index`th shown.
 */
function assertShown(shown, expected, surface, entry) {
  assert.equal(shown.length, expected.length, `${surface}: ${expected.length} shown`);
  expected.forEach((payload, index) => {
    assert.equal(shown[index], norm(payload), `${surface} of ${corpus[entry(index)].source}`);
  });
}

/**
 * What the status line shows for a progress text: Orcheo's progress texts name graph nodes, so
 * the widget shows "Working…" for ones that look internal and the message part of
 * "<node>: <message>" (`progress_label` in src/thread.rs; this is the same rule, as an oracle).
 */
function progressShown(text) {
  const trimmed = text.trim();
  const identifier = (s) => /^[A-Za-z0-9_-]+$/.test(s);
  if (!trimmed || /^agent is working\.\.\.$/i.test(trimmed) || (trimmed.startsWith('Running ') && identifier(trimmed.slice(8)))
    || /^(-> |- |! )/.test(trimmed) || (trimmed.startsWith('[') && trimmed.includes('] '))) return 'Working…';
  const split = trimmed.indexOf(': ');
  if (split >= 0 && identifier(trimmed.slice(0, split)) && trimmed.slice(split + 2).trim()) return trimmed.slice(split + 2).trim();
  return trimmed;
}

test(`the corpus is ${payloads.length} distinct public payloads, each with its source`, () => {
  assert.ok(payloads.length >= 300);
  assert.equal(new Set(payloads).size, payloads.length);
  for (const { source } of corpus) assert.match(source, /^(DOMPurify|wapiti3|wfuzz|xss-polyglots) /);
});

test('every payload as the notice, message and file name, reply, source, widget, progress and error texts of the ChatKit stand-in runs nothing and shows as text', async () => {
  const posted = await fetch(`${vars.CHATKIT_SERVER_URL}/xss`, { method: 'POST', body: JSON.stringify({ payloads }) });
  assert.equal(await posted.text(), `${payloads.length} payloads`);
  const { page, problems, requests, context } = await openGuarded('xss-stand-in.html',
    { backend: vars.CHATKIT_SERVER_URL, workflow: STAND_IN_WORKFLOW, open: 'true' });
  // The traps work: a handler that runs is caught, and so are the node that carried it and the
  // policy report of its running.
  await page.evaluate(() => {
    const image = document.createElement('img');
    image.setAttribute('onerror', 'alert("planted")');
    image.src = 'data:,not an image';
    document.querySelector('orcheo-chat').shadowRoot.append(image);
  });
  const planted = await page.waitForFunction(() => {
    const unsafe = window.__xss.unsafe();
    return window.__xss.hits.length && unsafe.some((line) => line.startsWith('CSP')) && { hits: [...window.__xss.hits], unsafe };
  });
  const caught = await planted.jsonValue();
  assert.deepEqual(caught.hits, ['alert(planted)']);
  for (const line of ['panel: <img>', 'panel: <img onerror="alert("planted")">', 'panel: <img src="data:,not an image">']) {
    assert.ok(caught.unsafe.includes(line), `the guard records ${line}: ${caught.unsafe}`);
  }
  assert.ok(caught.unsafe.some((line) => /^CSP script-src-attr/.test(line)), `the policy reports the handler: ${caught.unsafe}`);
  await page.evaluate(() => {
    document.querySelector('orcheo-chat').shadowRoot.querySelector('img').remove();
    window.__xss.forget();
  });
  const texts = (selector) => page.evaluate((s) => window.__xss.texts(s), selector);
  const attributes = (selector, name) => page.evaluate(([s, n]) => window.__xss.attributes(s, n), [selector, name]);

  const BATCH = 60;
  for (let from = 0; from < payloads.length; from += BATCH) {
    const chosen = payloads.slice(from, from + BATCH);
    await page.evaluate(() => window.OrcheoChat.newThread());
    await say(page, `xss items ${from} ${from + chosen.length}`);
    await articles(page, 'assistant').filter({ hasText: `${chosen.length} payloads shown.` }).waitFor({ timeout: 60_000 });
    const where = `items ${from}-${from + chosen.length}`;
    await assertHarmless(page, problems, requests, where);
    const notices = await texts('article[data-role="notice"] .bubble[data-level]');
    chosen.forEach((payload, index) => {
      assert.ok(notices[index]?.includes(norm(payload)), `notice of ${corpus[from + index].source}`);
    });
    const one = (index) => from + index;
    const two = (index) => from + Math.floor(index / 2);
    const twice = chosen.flatMap((p) => [p, p]);
    assertShown(await texts('ol.sources li'), chosen, 'source title', one);
    // The first user message is the command; then one a payload, with a file of that name.
    assertShown((await texts('article[data-role="user"] .bubble')).slice(1), chosen.map((p, i) => `${p}${p}`), 'message text and file name', one);
    assertShown(await texts('article[data-role="user"] .attachment'), chosen, 'file name of a stored message', one);
    // The widget: every text field, the image's description (never loaded: no payload is on the
    // allowed origin), form fields, the chart's legend and data table, a table cell.
    const card = '.w-card:not(.w-questions)';
    assertShown(await texts(`${card} .w-status`), chosen, 'widget Card status', one);
    assertShown(await texts('p.w-title'), chosen, 'widget Title', one);
    assertShown(await texts(`${card} p.w-text`), twice, 'widget Text and Table cell', two);
    assertShown(await texts(`${card} .w-caption`), chosen, 'widget Caption', one);
    assertShown(await texts('.w-badge'), chosen, 'widget Badge', one);
    assertShown(await texts(`${card} .w-image-link`), chosen, 'widget Image description', one);
    assertShown(await texts(`${card} button.w-button`), twice, 'widget Button and confirm labels', two);
    assertShown(await texts('select.w-select option:not([disabled])'), chosen, 'widget Select option', one);
    assertShown(await texts(`${card} .w-checkbox span`), chosen, 'widget Checkbox label', one);
    assertShown(await texts('.w-radios .w-radio span'), chosen, 'widget RadioGroup option', one);
    assertShown(await texts('label.w-label'), chosen, 'widget Label', one);
    assertShown(await texts('.w-legend-item'), chosen, 'widget Chart series label', one);
    assertShown(await texts('.w-chart table th[scope="row"]'), chosen, 'widget Chart x value', one);
    assertShown(await texts('.w-chart table th[scope="col"]'), chosen, 'widget Chart series in its table', one);
    for (const [selector, name] of [[`${card} input.w-input`, 'placeholder'], [`${card} input.w-input`, 'name'], ['textarea.w-textarea', 'placeholder'], ['input.w-date', 'name']]) {
      assert.deepEqual(await attributes(selector, name), chosen, `${where}: ${selector} ${name}s, exactly`);
    }
    // The other items: a client tool call's name, a workflow's summary, tasks, query and source,
    // questions and their options; a generated image at a refused address is a link at most.
    assertShown(await texts('p.w-task > span'), chosen, 'client tool name', one);
    assertShown(await texts('.w-workflow summary'), chosen, 'workflow summary', one);
    assertShown(await texts('.w-workflow .w-task strong'), twice, 'task titles', two);
    assertShown(await texts('.w-query'), chosen, 'search query', one);
    assertShown(await texts('.w-task-sources li'), chosen, 'task source', one);
    assertShown(await texts('legend.w-title'), chosen, 'question', one);
    assertShown(await texts('.w-question .w-radio span'), chosen, 'question option', one);
    assert.equal(await page.evaluate(() => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('img[src]').length), 0, `${where}: no image has an address`);
  }

  // A widget action whose type and payload are a payload goes back to the server as data.
  const action = page.waitForRequest((request) => request.postData()?.includes('"threads.custom_action"'));
  // The widget's Button (not the card's confirm: that one submits the form, whose fields a
  // payload as their pattern can leave invalid).
  await page.locator('orcheo-chat .w-card:not(.w-questions) button.w-button').first().click();
  const sent = JSON.parse((await action).postData());
  const first = payloads[Math.floor((payloads.length - 1) / BATCH) * BATCH];
  assert.deepEqual([sent.params.action.type, sent.params.action.payload.p], [first, first]);
  await articles(page, 'assistant').filter({ hasText: `Action ` }).last().waitFor();

  // Progress: each payload in turn; the server sends the next once this one was seen.
  await page.evaluate(() => window.OrcheoChat.newThread());
  await say(page, 'xss progress');
  for (const [index, raw] of payloads.entries()) {
    const payload = progressShown(raw);
    const seen = await page.waitForFunction((want) => {
      const [text] = window.__xss.texts('.status-text');
      return text === want && { unsafe: window.__xss.unsafe() };
    }, norm(payload)).catch(async (error) => {
      throw new Error(`progress ${index} (${corpus[index].source}) never showed; the status says ${JSON.stringify(await texts('.status-text'))}: ${error.message}`);
    });
    assert.deepEqual((await seen.jsonValue()).unsafe, [], `progress text of ${corpus[index].source}`);
    await fetch(`${vars.CHATKIT_SERVER_URL}/xss/ack`, { method: 'POST' });
  }
  await articles(page, 'assistant').filter({ hasText: 'Progress shown.' }).waitFor();

  // Error messages: a batch a turn, one payload a line.
  for (let from = 0; from < payloads.length; from += BATCH) {
    const chosen = payloads.slice(from, from + BATCH);
    await page.evaluate(() => window.OrcheoChat.newThread());
    await say(page, `xss error ${from} ${from + chosen.length}`);
    await articles(page, 'error').waitFor();
    const [shown] = await texts('article[data-role="error"]');
    chosen.forEach((payload, index) => assert.ok(shown.includes(norm(payload)), `error message of ${corpus[from + index].source}`));
  }
  await assertHarmless(page, problems, requests, 'progress and errors');
  await context.close();
});

test('every payload as the visitor\'s message, the reply and the conversation title, against the real Orcheo, runs nothing and shows as text', async () => {
  const workflow = await createWorkflow({ script: 'verbatim.py', name: 'XSS corpus' });
  const { page, problems, requests, context } = await openGuarded('xss-orcheo.html',
    { backend: vars.ORCHEO_URL, workflow, open: 'true', history: 'true' });
  // Each payload is a conversation of its own: sent, answered with itself, checked, left.
  const failures = await page.evaluate(async (all) => {
    const found = [];
    const root = document.querySelector('orcheo-chat').shadowRoot;
    const norm = (text) => (text ?? '').replace(/\s+/g, ' ').trim();
    const within = (promise, ms, what) => Promise.race([promise, new Promise((_, fail) => setTimeout(() => fail(new Error(what)), ms))]);
    for (const [index, payload] of all.entries()) {
      const reply = await within(window.OrcheoChat.send(payload), 20_000, `payload ${index}: no reply within 20 s`);
      // The widget sends what was typed without its outer whitespace; the workflow answers it.
      if (reply !== payload.trim()) found.push(`${index}: the reply is ${JSON.stringify(reply)}`);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const user = root.querySelector('article[data-role="user"] .bubble')?.textContent;
      if (norm(user) !== norm(payload)) found.push(`${index}: the message shows ${JSON.stringify(user)}`);
      if (root.querySelectorAll('article[data-role="assistant"]').length !== 1) found.push(`${index}: the reply is not shown`);
      found.push(...window.__xss.unsafe().map((what) => `${index}: ${what}`), ...window.__xss.hits.map((hit) => `${index}: ${hit}`));
      window.__xss.forget();
      window.OrcheoChat.newThread();
    }
    return found;
  }, payloads);
  assert.deepEqual(failures, []);
  await assertHarmless(page, problems, requests, 'messages and replies');

  // The conversation list: every title (Orcheo's is the first message) as text.
  await page.getByRole('button', { name: 'Conversations' }).click();
  const more = page.getByRole('button', { name: 'Show more conversations' });
  for (let page_ = 0; page_ < Math.ceil(payloads.length / 50); page_ += 1) {
    await page.waitForFunction((count) => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('li.thread').length >= count,
      Math.min(payloads.length, (page_ + 1) * 50));
    if (await more.isVisible()) await more.click();
  }
  const titles = new Set(await page.evaluate(() => window.__xss.texts('li.thread button.open')));
  payloads.forEach((payload, index) => assert.ok(titles.has(norm(payload)), `title of ${corpus[index].source}`));
  await assertHarmless(page, problems, requests, 'conversation titles');
  await context.close();
});

test('every payload as the workflow\'s name from /public (the stand-in\'s past 128 characters) and as a file\'s name, against the real Orcheo, runs nothing and shows as text', async () => {
  const workflows = [await createWorkflow({ script: 'verbatim.py', name: 'XSS A' }), await createWorkflow({ script: 'verbatim.py', name: 'XSS B' })];
  const { page, problems, requests, context } = await openGuarded('xss-names.html',
    { backend: vars.ORCHEO_URL, workflow: workflows[0], open: 'true', attachments: 'true' });
  await page.locator('orcheo-chat h2.title', { hasText: 'XSS A' }).waitFor();
  // The two workflows take turns: one is renamed to the next payload, and the widget switches to
  // it. Orcheo caps a name at 128 characters: a longer payload names the stand-in's workflow.
  for (const [index, payload] of payloads.entries()) {
    if (payload.length > 128) {
      await page.evaluate(([backend, workflow]) => window.OrcheoChat.setOptions({ backend, workflow }), [vars.CHATKIT_SERVER_URL, `xss-${index}`]);
      await page.waitForFunction((want) => window.__xss.texts('h2.title')[0] === want, norm(payload)).catch(() => {
        throw new Error(`the title never became the stand-in's name ${corpus[index].source}`);
      });
      continue;
    }
    const workflow = workflows[(index + 1) % 2];
    const renamed = await fetch(`${vars.ORCHEO_URL}/api/workflows/${workflow}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${vars.ORCHEO_BOOTSTRAP_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: payload, actor: 'e2e' }),
    });
    assert.ok(renamed.ok, `Orcheo renames the workflow to ${corpus[index].source}: ${renamed.status} ${await renamed.text()}`);
    await page.evaluate(([backend, id]) => window.OrcheoChat.setOptions({ backend, workflow: id }), [vars.ORCHEO_URL, workflow]);
    await page.waitForFunction((want) => window.__xss.texts('h2.title')[0] === want, norm(payload)).catch(() => {
      throw new Error(`the title never became the name ${corpus[index].source}`);
    });
  }
  await assertHarmless(page, problems, requests, 'workflow names');
  await page.evaluate(([backend, workflow]) => window.OrcheoChat.setOptions({ backend, workflow }), [vars.ORCHEO_URL, workflows[0]]);

  // Files named by payloads, a batch a message: each chip shows its file's name, and the sent
  // message the names Orcheo stored (it makes names safe for its storage, `<a b>` → `a_b`).
  const BATCH = 40;
  const stored = [];
  page.on('response', (response) => {
    if (response.url().includes('/api/chatkit/upload')) stored.push(response.json().then(({ name }) => name, () => '(not JSON)'));
  });
  for (let from = 0; from < payloads.length; from += BATCH) {
    const chosen = payloads.slice(from, from + BATCH);
    await page.evaluate(() => window.OrcheoChat.newThread());
    await page.evaluate((names) => {
      const picker = document.querySelector('orcheo-chat').shadowRoot.querySelector('input[type="file"]');
      const files = new DataTransfer();
      for (const name of names) files.items.add(new File(['a note\n'], name, { type: 'text/plain' }));
      picker.files = files.files;
      picker.dispatchEvent(new Event('change', { bubbles: true }));
    }, chosen);
    await page.waitForFunction((count) => document.querySelector('orcheo-chat').shadowRoot.querySelectorAll('.files li[data-state="ready"]').length === count, chosen.length);
    const chips = await page.evaluate(() => window.__xss.texts('.files li > span'));
    assertShown(chips, chosen, 'file chip', (index) => from + index);
    await say(page, `files ${from}`);
    await articles(page, 'assistant').filter({ hasText: `files ${from}` }).waitFor();
    const sent = await page.evaluate(() => window.__xss.texts('article[data-role="user"] .attachment'));
    const names = await Promise.all(stored.splice(0));
    assert.deepEqual(sent.sort(), names.map(norm).sort(), `files ${from}: the sent message names each file as Orcheo stored it`);
  }
  await assertHarmless(page, problems, requests, 'file names');
  await context.close();
});
