// The documentation, exercised: every fenced snippet in docs/ and in the npm package's README
// names what it is with `check=<name>` in its info string, and each check runs it the way a
// reader would use it, with the docs' example addresses replaced by the local ones (Orcheo, the
// widget's server, the token proxy, this page server). A snippet without a check fails. Then
// every link in the docs, the READMEs and the example pages is followed: a file or heading that
// does not exist fails. (External addresses cannot be fetched here: they are checked to be
// well-formed https URLs.)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { Script } from 'node:vm';
import { ROOT, articles, createWorkflow, embedTag, echoAttrs, gotoHtml, openPage, pageUrl, refusedFromAnotherSite, say, screenshotPath, suiteBrowser, vars, widgetReady } from './lib/harness.mjs';

const suite = suiteBrowser();
const run = promisify(execFile);
const DOCS = join(ROOT, 'docs');
const SNIPPET_FILES = [...readdirSync(DOCS).filter((name) => name.endsWith('.md')).map((name) => join(DOCS, name)), join(ROOT, 'package/README.md'), join(ROOT, 'README.md')];
// `UPDATE_DOC_IMAGES=1 scripts/e2e tests/e2e/docs.test.mjs` rewrites the docs' screenshots.
const IMAGES = process.env.UPDATE_DOC_IMAGES ? join(DOCS, 'images') : null;

/** Every fenced block of a markdown file: its language, its check, its text and its line. */
function snippets(file) {
  const found = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[index]);
    if (!open) continue;
    const end = lines.indexOf('```', index + 1);
    if (end < 0) throw new Error(`${relative(ROOT, file)}:${index + 1}: a code fence that never closes`);
    found.push({
      file: relative(ROOT, file), line: index + 1, language: open[1],
      check: /check=(\S+)/.exec(open[2])?.[1], text: lines.slice(index + 1, end).join('\n'),
    });
    index = end;
  }
  return found;
}

const all = SNIPPET_FILES.flatMap(snippets);
const integrity = JSON.parse(readFileSync(join(vars.WIDGET_DIR, 'manifest.json'), 'utf8')).files.find((f) => f.file === 'orcheo-chat.js').integrity;

/** The snippet with the docs' example addresses replaced by the local ones. */
function local(text) {
  return text
    .replaceAll('https://cdn.example.com/orcheo-chat/orcheo-chat.js', vars.WIDGET_URL)
    .replaceAll('"/orcheo-chat/orcheo-chat.js"', `"${vars.WIDGET_URL}"`)
    .replaceAll('https://cdn.example.com', vars.WIDGET_ORIGIN)
    .replaceAll('https://orcheo.example.com', vars.ORCHEO_URL)
    .replaceAll('https://www.example.com/api/chatkit-token', `${vars.TOKEN_PROXY_URL}/chatkit-token`)
    .replaceAll('https://www.example.com', vars.PAGE_ORIGIN)
    .replaceAll('5f0c1a8e-3f3a-4b7e-9a59-2b7b3f7e2c11', vars.ORCHEO_WF_ECHO)
    .replaceAll('9b1d6c2e-7a4f-4e0b-8c55-1f2e3d4c5b6a', vars.ORCHEO_WF_PRIVATE)
    .replaceAll('sha384-…', integrity);
}

const pageName = (snippet) => `docs-${snippet.file.replace(/[^a-z0-9]+/gi, '-')}-${snippet.line}.html`;

/** Opens `body` as a page; the widget is up; nothing was warned or broken on the way. */
async function openSnippetPage(snippet, body, options = {}) {
  const opened = await openPage(suite.browser, options.page);
  await gotoHtml(opened.page, pageName(snippet), body, options);
  await widgetReady(opened.page);
  return opened;
}

async function chats(page, text = 'from the docs', reply = `Echo: ${text}`) {
  if (await page.getByRole('button', { name: 'Open chat' }).count()) await page.getByRole('button', { name: 'Open chat' }).click();
  // The conversation is there once the panel stage is (with data-preload="intent" the click loads it).
  await page.locator('orcheo-chat [role="log"]').waitFor();
  await say(page, text);
  await articles(page, 'assistant').filter({ hasText: reply }).waitFor();
}

async function closeClean(opened, where) {
  assert.deepEqual(opened.problems, [], `${where}: no error on the page`);
  assert.deepEqual(opened.warnings.filter((line) => line.startsWith('orcheo-chat')), [], `${where}: no option the widget could not use`);
  assert.deepEqual(opened.violations, [], `${where}: no policy violation`);
  await opened.context.close();
}

const orcheoEnv = () => ({ ...process.env, ORCHEO_API_URL: vars.ORCHEO_URL, ORCHEO_SERVICE_TOKEN: vars.ORCHEO_BOOTSTRAP_TOKEN, ORCHEO_DISABLE_UPDATE_CHECK: '1' });
/** A documented shell command, run with the Orcheo CLI of the suite's venv; resolves to its output. */
async function orcheoCli(command) {
  const [program, ...args] = command.trim().split(/\s+/);
  assert.equal(program, 'orcheo');
  const { stdout } = await run(join(ROOT, '.cache/orcheo-venv/bin/orcheo'), args, { env: orcheoEnv(), encoding: 'utf8' });
  return stdout;
}

/** What each check does with its snippet. */
const CHECKS = {
  // A page that is the snippet: the widget comes up and chats with the published echo workflow.
  async embed(snippet) {
    const opened = await openSnippetPage(snippet, local(snippet.text));
    await chats(opened.page);
    await closeClean(opened, snippet.check);
  },
  'embed-config': (snippet) => CHECKS.embed(snippet),
  'embed-idle': (snippet) => CHECKS.embed(snippet),
  'embed-dark': async (snippet) => {
    const opened = await openSnippetPage(snippet, local(snippet.text));
    assert.equal(await opened.page.locator('orcheo-chat').getAttribute('data-theme'), 'dark');
    await chats(opened.page);
    await closeClean(opened, snippet.check);
  },
  'embed-sri': async (snippet) => {
    assert.match(snippet.text, /integrity="sha384-…"/, 'the hash is a placeholder for the one in manifest.json');
    await CHECKS.embed(snippet);
  },
  'embed-look': async (snippet) => {
    const opened = await openSnippetPage(snippet, `<main style="padding:24px;font:16px system-ui"><h1>A page</h1></main>${local(snippet.text)}`);
    const host = opened.page.locator('orcheo-chat');
    assert.deepEqual([await host.getAttribute('data-theme'), await host.getAttribute('data-position')], ['dark', 'left']);
    await chats(opened.page, 'How do I change the colours?');
    if (IMAGES) await opened.page.screenshot({ path: join(IMAGES, 'theming-options.png') });
    await closeClean(opened, snippet.check);
  },
  'embed-migrated': async (snippet) => {
    const opened = await openSnippetPage(snippet, local(snippet.text));
    await opened.page.getByRole('button', { name: 'Open chat' }).click();
    await opened.page.locator('orcheo-chat h2.title', { hasText: 'Support Assistant' }).waitFor();
    await opened.page.locator('orcheo-chat').getByText('Welcome to Support Assistant').waitFor();
    await opened.page.locator('orcheo-chat').getByRole('button', { name: 'Capabilities' }).click();
    await articles(opened.page, 'assistant').filter({ hasText: 'Echo: What can you help with?' }).waitFor();
    await closeClean(opened, snippet.check);
  },
  'embed-jwt': async (snippet) => {
    const opened = await openSnippetPage(snippet, local(snippet.text));
    await chats(opened.page, 'members only');
    await closeClean(opened, snippet.check);
  },
  'embed-provider': (snippet) => CHECKS['embed-jwt'](snippet),
  // The page on the site in front of Orcheo (the members' site, which also serves the suite's
  // pages), its backend that site: signed out it asks to sign in; signed in it chats.
  'embed-login': async (snippet) => {
    const html = local(snippet.text).replaceAll(vars.PAGE_ORIGIN, vars.MEMBERS_URL).replaceAll(vars.ORCHEO_WF_ECHO, vars.ORCHEO_WF_LOGIN);
    writeFileSync(join(vars.PAGES_DIR, pageName(snippet)), `<!doctype html><title>Members</title><link rel="icon" href="data:,">${html}`);
    const opened = await openPage(suite.browser);
    await opened.page.goto(`${vars.MEMBERS_URL}/${pageName(snippet)}`);
    await widgetReady(opened.page);
    await opened.page.getByRole('button', { name: 'Open chat' }).click();
    await say(opened.page, 'let me in');
    await opened.page.locator('orcheo-chat article[data-role="error"]', { hasText: 'Please sign in to chat with this assistant.' }).waitFor();
    assert.equal(await opened.page.getByRole('textbox', { name: 'Message' }).inputValue(), 'let me in', 'what was typed is kept');
    // The browser logs the 401 it was answered: that is the documented outcome, not a problem.
    opened.problems.splice(0, opened.problems.length, ...opened.problems.filter((line) => !/401/.test(line)));
    await opened.page.request.post(`${vars.MEMBERS_URL}/sign-in`, { form: { name: 'Ada' }, maxRedirects: 0 });
    await opened.page.reload();
    await widgetReady(opened.page);
    await opened.page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await articles(opened.page, 'assistant').filter({ hasText: 'Echo: let me in' }).waitFor();
    await closeClean(opened, snippet.check);
  },
  // A script on a page with the default embed: it runs, and the widget still chats.
  async api(snippet) {
    const opened = await openSnippetPage(snippet, embedTag(echoAttrs()));
    await opened.page.evaluate(`(async () => { ${local(snippet.text)} })()`);
    if (snippet.text.includes('OrcheoChat.send(')) {
      await opened.page.locator('body > p', { hasText: 'Echo: What are your opening hours?' }).waitFor();
    }
    await chats(opened.page);
    await closeClean(opened, snippet.check);
  },
  // A new token provider on a page in JWT mode: the widget chats with the private workflow.
  'api-provider': async (snippet) => {
    const opened = await openSnippetPage(snippet, embedTag({ backend: vars.ORCHEO_URL, workflow: vars.ORCHEO_WF_PRIVATE, tokenUrl: `${vars.TOKEN_PROXY_URL}/chatkit-token` }));
    await opened.page.evaluate(`(async () => { ${local(snippet.text)} })()`);
    await chats(opened.page, 'members only');
    await closeClean(opened, snippet.check);
  },
  // A stylesheet on a page with the default embed: what it sets is what the widget's own
  // elements show (a colour property on the element it colours, each part's declarations on
  // that part), compared with a plain element given the same values.
  async css(snippet) {
    const opened = await openSnippetPage(snippet, `<style>${snippet.text}</style>${embedTag(echoAttrs({ open: 'true' }))}`);
    const host = opened.page.locator('orcheo-chat');
    await opened.page.locator('orcheo-chat [role="log"]').waitFor();
    const shows = (selector, property, value) => host.evaluate((element, [selector, property, value]) => {
      const reference = document.createElement('div');
      reference.style.setProperty(property, value);
      document.body.append(reference);
      const expected = getComputedStyle(reference).getPropertyValue(property);
      reference.remove();
      return [getComputedStyle(element.shadowRoot.querySelector(selector)).getPropertyValue(property), expected];
    }, [selector, property, value]);
    // Where each colour property shows, for the ones the docs' examples set.
    const SHOWN_ON = {
      '--orcheo-chat-surface': ['.panel', 'background-color'],
      '--orcheo-chat-text': ['.panel', 'color'],
      '--orcheo-chat-accent': ['.launcher', 'background-color'],
    };
    let compared = 0;
    for (const [, name, value] of snippet.text.matchAll(/(--orcheo-chat-[a-z0-9-]+):\s*([^;]+);/g)) {
      if (!SHOWN_ON[name]) continue;
      const [actual, expected] = await shows(SHOWN_ON[name][0], SHOWN_ON[name][1], value.trim());
      assert.equal(actual, expected, `${name} shows on ${SHOWN_ON[name][0]}`);
      compared += 1;
    }
    for (const [, part, block] of snippet.text.matchAll(/::part\(([a-z-]+)\)\s*\{([^}]*)\}/g)) {
      for (const [, property, value] of block.matchAll(/([a-z-]+):\s*([^;]+);/g)) {
        const [actual, expected] = await shows(`[part~="${part}"]`, property, value.trim());
        assert.equal(actual, expected, `::part(${part}) ${property}`);
        compared += 1;
      }
    }
    assert.ok(compared > 0, 'the snippet sets something the check can see');
    await chats(opened.page, 'How do I change the colours?');
    if (IMAGES && snippet.text.includes('--orcheo-chat-surface')) await opened.page.screenshot({ path: join(IMAGES, 'theming-properties.png') });
    await closeClean(opened, snippet.check);
  },
  // A Content-Security-Policy header: a page served with it chats, with no violation.
  async csp(snippet) {
    const [name, value] = local(snippet.text).split(/:\s(.*)/s);
    assert.equal(name, 'Content-Security-Policy');
    const opened = await openSnippetPage(snippet, embedTag(echoAttrs()), { headers: { 'content-security-policy': value.trim() } });
    await chats(opened.page, '**strict** policy', 'Echo: strict policy');
    await closeClean(opened, snippet.check);
  },
  // `frame-ancestors`: the page chats, and another site (localhost) cannot frame it.
  async 'csp-frame'(snippet) {
    const [, value] = snippet.text.split(/:\s(.*)/s);
    const opened = await openSnippetPage(snippet, embedTag(echoAttrs()), { headers: { 'content-security-policy': value.trim() } });
    await chats(opened.page);
    await gotoHtml(opened.page, 'docs-framer.html', `<iframe src="${pageUrl(pageName(snippet))}"></iframe>`);
    await refusedFromAnotherSite(opened.page, 'docs-framer.html');
    await opened.context.close();
  },
  // A `<link>` for the page's head: the page chats with it.
  async preconnect(snippet) {
    const opened = await openSnippetPage(snippet, embedTag(echoAttrs()), { head: local(snippet.text) });
    await chats(opened.page);
    await closeClean(opened, snippet.check);
  },
  // The install command names the package this repository packs, and the suite serves the
  // widget from where it says the files land (scripts/test installs the packed tarball).
  'npm-install': async (snippet) => {
    const { name } = JSON.parse(readFileSync(join(ROOT, 'package/package.json'), 'utf8'));
    assert.equal(snippet.text.trim(), `npm install ${name}`);
    if (process.env.E2E_WIDGET_DIR) assert.match(vars.WIDGET_DIR, new RegExp(`node_modules/${name}/dist$`));
  },
  // Orcheo's CLI publishes a workflow, and then anyone may chat with it.
  'orcheo-publish': async (snippet) => {
    const workflow = await createWorkflow({ script: 'echo.py', name: 'Published from the docs', publish: 'none' });
    const lookup = () => fetch(`${vars.ORCHEO_URL}/api/workflows/${workflow}/public`).then((response) => response.status);
    assert.notEqual(await lookup(), 200, 'not published before');
    await orcheoCli(local(snippet.text).replaceAll(vars.ORCHEO_WF_ECHO, workflow));
    assert.equal(await lookup(), 200, 'published after');
  },
  // Orcheo's CLI creates a service token that mints session tokens.
  'service-token': async (snippet) => {
    const created = JSON.parse(await orcheoCli(snippet.text));
    const secret = created.secret ?? created.token;
    assert.ok(secret, `the CLI prints the secret: ${Object.keys(created)}`);
    const minted = await fetch(`${vars.ORCHEO_URL}/api/chatkit/session`, {
      method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ workflow_id: vars.ORCHEO_WF_PRIVATE }),
    });
    assert.equal(minted.status, 200, await minted.clone().text());
    assert.ok((await minted.json()).client_secret);
  },
  // The documented variable is the one Orcheo reads: the suite's Orcheo, started with it,
  // allows the page origin and no other.
  'cors-origins': async (snippet) => {
    const [, name, list] = /^(\w+)='(.*)'$/.exec(snippet.text.trim());
    assert.equal(name, 'ORCHEO_CORS_ALLOW_ORIGINS');
    assert.ok(Array.isArray(JSON.parse(list)));
    assert.match(readFileSync(join(ROOT, 'scripts/orcheo'), 'utf8'), new RegExp(`"${name}=\\$ORIGINS"`));
    const preflight = (origin) => fetch(`${vars.ORCHEO_URL}/api/chatkit`, {
      method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' },
    }).then((response) => response.headers.get('access-control-allow-origin'));
    assert.equal(await preflight(vars.PAGE_ORIGIN), vars.PAGE_ORIGIN);
    assert.equal(await preflight('https://elsewhere.example'), null);
  },
  // The token answer has the shape the token proxy (and Orcheo) really answer with.
  'token-answer': async (snippet) => {
    const documented = JSON.parse(snippet.text);
    const response = await fetch(`${vars.TOKEN_PROXY_URL}/chatkit-token`, {
      method: 'POST', headers: { origin: vars.PAGE_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ workflow_id: vars.ORCHEO_WF_PRIVATE }),
    });
    const real = await response.json();
    assert.deepEqual(Object.keys(documented).sort(), Object.keys(real).sort());
    assert.ok(!Number.isNaN(Date.parse(documented.expires_at)));
  },
  // TypeScript from the package README, type-checked against the package's types.
  async types(snippet) {
    const dir = mkdtempSync(join(tmpdir(), 'orcheo-chat-types-'));
    const installed = join(dir, 'node_modules/orcheo-chat');
    mkdirSync(installed, { recursive: true });
    cpSync(join(ROOT, 'package/package.json'), join(installed, 'package.json'));
    cpSync(join(ROOT, 'types'), join(installed, 'types'), { recursive: true });
    writeFileSync(join(dir, 'snippet.ts'), `${snippet.text}\nexport {};\n`);
    const config = JSON.parse(readFileSync(join(ROOT, 'tests/types/tsconfig.json'), 'utf8'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ ...config, files: ['snippet.ts'] }));
    await run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', dir], { encoding: 'utf8' });
  },
  // The README's two commands: each is a script of this repository, and CI runs the second.
  'two-commands': async (snippet) => {
    const commands = snippet.text.split('\n').filter((line) => /^\S/.test(line)).map((line) => line.split(/\s+/)[0]);
    assert.deepEqual(commands, ['scripts/demo', 'scripts/test']);
    for (const command of commands) assert.ok(existsSync(join(ROOT, command)), command);
    assert.match(readFileSync(join(ROOT, '.ci/run'), 'utf8'), /scripts\/test/);
  },
  // Orcheo's ChatKit snippet, quoted for the migration guide: OpenAI's script cannot run here,
  // so the quote is checked to be what it says (the element and its options, or the token
  // refresher) and to be valid JavaScript.
  'chatkit-quote': async (snippet) => {
    const scripts = snippet.language === 'html'
      ? [...snippet.text.matchAll(/<script>([^]*?)<\/script>/g)].map((match) => match[1])
      : [snippet.text];
    assert.ok(scripts.length > 0);
    for (const code of scripts) new Script(`(async () => { ${code} })`);
    assert.match(snippet.text, snippet.language === 'html' ? /<openai-chatkit>[^]*setOptions\(\{[^]*domainKey/ : /getToken[^]*Authorization/);
  },
};

test('every snippet in the docs names its check', () => {
  const unchecked = all.filter((snippet) => !CHECKS[snippet.check]).map((s) => `${s.file}:${s.line} (${s.check ?? 'no check'})`);
  assert.deepEqual(unchecked, []);
  assert.ok(all.length >= 25, `${all.length} snippets`);
});

for (const snippet of all) {
  test(`${snippet.file}:${snippet.line} (${snippet.check}) works as written`, async () => {
    if (IMAGES) mkdirSync(IMAGES, { recursive: true });
    await CHECKS[snippet.check]?.(snippet);
  });
}

test('troubleshooting names every sentence the widget can show a visitor when something is wrong', () => {
  const page = readFileSync(join(DOCS, 'troubleshooting.md'), 'utf8').replace(/\s+/g, ' ');
  const english = readFileSync(join(ROOT, 'src/i18n.rs'), 'utf8');
  const sentences = [...english.matchAll(/^\s+(Error\w+|NotConfigured|Unavailable|Loading|LoadFailed|UploadFailed|ReplyTruncated|Stopped) = "\w+" => "([^"]+)",/gm)]
    .map(([, , sentence]) => sentence.replace('{name}', 'notes.txt'));
  assert.ok(sentences.length >= 20, `${sentences.length} sentences`);
  assert.deepEqual(sentences.filter((sentence) => !page.includes(sentence)), []);
});

test('the options page names every option the widget reads, and the types declare each', () => {
  const config = readFileSync(join(ROOT, 'src/config.rs'), 'utf8');
  const apply = config.slice(config.indexOf('pub fn apply('), config.indexOf('pub fn is_connectable'));
  // Each arm's keys (`"images" | "markdownImages" =>` names two).
  const options = [...apply.matchAll(/^\s+((?:"[a-zA-Z]+"(?: \| )?)+) =>/gm)].flatMap((match) => [...match[1].matchAll(/"(\w+)"/g)].map((key) => key[1]));
  assert.ok(options.length >= 25, `${options.length} options`);
  const page = readFileSync(join(DOCS, 'options.md'), 'utf8');
  const types = readFileSync(join(ROOT, 'types/orcheo-chat.d.ts'), 'utf8');
  const kebab = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  assert.deepEqual(options.filter((key) => !page.includes(`\`data-${kebab(key)}\``)), [], 'in docs/options.md');
  assert.deepEqual(options.filter((key) => !new RegExp(`^  ${key}\\?:`, 'm').test(types)), [], 'in types/orcheo-chat.d.ts');
});

// --- Links -------------------------------------------------------------------------------------

/** GitHub's anchor for a heading. */
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
const headings = (file) => new Set(readFileSync(file, 'utf8').replace(/```[^]*?```/g, '').split('\n')
  .filter((line) => /^#{1,6} /.test(line)).map((line) => slug(line.replace(/^#+ /, ''))));

function linksOf(file) {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.html')) return [...text.matchAll(/\s(?:href|src)="([^"]+)"/g)].map((match) => match[1]);
  // Markdown links and images, outside code.
  const prose = text.replace(/```[^]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]);
}

const LINKED_FILES = [
  ...SNIPPET_FILES, 'README.md', 'CHANGELOG.md', 'SECURITY.md', 'BENCHMARKS.md',
  ...readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.html')).map((name) => `examples/${name}`),
].map((file) => resolve(ROOT, file));

test('no link in the docs, the READMEs or the example pages is broken', () => {
  const broken = [];
  let followed = 0;
  for (const file of LINKED_FILES) {
    for (const link of linksOf(file)) {
      followed += 1;
      const where = `${relative(ROOT, file)}: ${link}`;
      if (/^(https?:)?\/\//.test(link)) {
        if (!/^https:\/\/[\w.-]+\.[a-z]{2,}(\/\S*)?$/.test(link)) broken.push(`${where} (not a well-formed https address)`);
        continue;
      }
      // %NAME% addresses are filled in by the page server (the widget's URL, Orcheo's).
      if (/^(mailto:|%[A-Z_]+%)/.test(link)) continue;
      const [path, fragment] = link.split('#');
      const target = path ? resolve(dirname(file), path) : file;
      if (!existsSync(target)) {
        broken.push(`${where} (no such file)`);
      } else if (fragment && target.endsWith('.md') && !headings(target).has(fragment)) {
        broken.push(`${where} (no such heading)`);
      }
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(followed >= 60, `${followed} links followed`);
});
