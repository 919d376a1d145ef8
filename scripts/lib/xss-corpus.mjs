// Builds the XSS payload corpus the e2e suite pushes through every surface the widget renders
// (tests/e2e/xss.test.mjs), from public corpora at pinned versions, each checked by SHA-256:
//
//   DOMPurify 0.8.2 (npm)     test/fixtures/expect.js: its regression vectors, many from
//                             html5sec.org and the OWASP XSS filter evasion cheat sheet
//   wapiti3 3.2.3 (PyPI)      wapitiCore/data/attacks/xssPayloads.ini: the scanner's payloads
//   wfuzz 3.1.0-2 (Debian)    wordlist/Injections/XSS.txt, and the script-like lines of
//                             All_attack.txt
//   xss-polyglots 1.0.0 (npm) its polyglot payloads
//
// Fetched, not copied into the repository: they carry their own licences (MPL/Apache, GPL-2,
// MIT). Writes .cache/xss-corpus/corpus.json: [{ payload, source }], duplicates dropped.
// Needs GNU tar, dpkg-deb (Debian) and a Python 3 (`$PYTHON`, else python3) to unpack them.
// wfuzz's pin is bookworm's package: when it leaves Debian's mirror, pin the one that replaced it.
//   PYTHON=… node scripts/lib/xss-corpus.mjs <output dir>
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';

const SOURCES = {
  dompurify: {
    url: 'https://registry.npmjs.org/dompurify/-/dompurify-0.8.2.tgz',
    sha256: 'fd49086e2dcb753f19e56cc340e4e089f39d9d453c6e8b0b8653b0a388c9c1dc',
  },
  polyglots: {
    url: 'https://registry.npmjs.org/xss-polyglots/-/xss-polyglots-1.0.0.tgz',
    sha256: 'c93c92d2a374064c8b2a7c1da26aefb4e08c2d81f46727e922a2bc37a0b77719',
  },
  wapiti: {
    url: 'https://files.pythonhosted.org/packages/03/40/a76693c6720ee74f78e08af1541757806d7e81d99ddc31fc387fbfcd54f9/wapiti3-3.2.3-py3-none-any.whl',
    sha256: 'a17ed94b602e498f3b781d9a148220adb31619891cb8cbdcc3234d83a61cc1db',
  },
  wfuzz: {
    url: 'http://deb.debian.org/debian/pool/main/w/wfuzz/wfuzz_3.1.0-2_all.deb',
    sha256: 'e984a780fc723ae925d8d19cea565fef0d15eeccde59621f4aa567b272fc62b4',
  },
};

const out = process.argv[2] && resolve(process.argv[2]);
if (!out) throw new Error('usage: node scripts/lib/xss-corpus.mjs <output dir>');
mkdirSync(out, { recursive: true });

async function download(name) {
  const { url, sha256 } = SOURCES[name];
  const file = join(out, url.split('/').pop());
  if (existsSync(file)) return file;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  // Checked before it is kept: a proxy's error page never passes for the file.
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) throw new Error(`${url}: SHA-256 ${actual}, expected ${sha256} (a proxy's answer, or the file changed)`);
  writeFileSync(`${file}.part`, bytes);
  renameSync(`${file}.part`, file);
  return file;
}

const dir = (name) => {
  const path = join(out, name);
  mkdirSync(path, { recursive: true });
  return path;
};
const lines = (text) => text.split('\n').map((line) => line.replace(/\r$/, '')).filter((line) => line.trim());

/** The exports of a CommonJS data module, evaluated apart from this process's globals. */
function commonJs(path) {
  const module = { exports: {} };
  runInNewContext(readFileSync(join(out, path), 'utf8'), { module, exports: module.exports });
  return module.exports;
}

const entries = [];
const add = (payload, source) => entries.push({ payload, source });

// DOMPurify's fixtures are a CommonJS module of plain data.
execFileSync('tar', ['--warning=no-unknown-keyword', '-xzf', await download('dompurify'), '-C', dir('dompurify'), 'package/test/fixtures/expect.js']);
commonJs('dompurify/package/test/fixtures/expect.js').forEach(({ payload, title }, index) =>
  add(payload, `DOMPurify 0.8.2 test/fixtures/expect.js #${index + 1}: ${title}`));

// xss-polyglots exports a function of the callee's name.
execFileSync('tar', ['--warning=no-unknown-keyword', '-xzf', await download('polyglots'), '-C', dir('polyglots'), 'package/index.js']);
commonJs('polyglots/package/index.js')('alert').forEach((payload, index) =>
  add(payload, `xss-polyglots 1.0.0 index.js #${index + 1}`));

// A wheel is a zip: Python's zipfile reads it (no unzip needed).
const wapiti = dir('wapiti');
execFileSync(process.env.PYTHON || 'python3', ['-m', 'zipfile', '-e', await download('wapiti'), wapiti]);
lines(readFileSync(join(wapiti, 'wapitiCore/data/attacks/xssPayloads.ini'), 'utf8'))
  .filter((line) => line.startsWith('payload = ') && line !== 'payload = None')
  .forEach((line, index) => add(line.slice('payload = '.length).replaceAll('__XSS__', 'wapiti'),
    `wapiti3 3.2.3 wapitiCore/data/attacks/xssPayloads.ini payload #${index + 1}`));

const wfuzz = dir('wfuzz');
execFileSync('dpkg-deb', ['-x', await download('wfuzz'), wfuzz]);
const injections = join(wfuzz, 'usr/share/wfuzz/wordlist/Injections');
lines(readFileSync(join(injections, 'XSS.txt'), 'utf8')).forEach((payload, index) =>
  add(payload, `wfuzz 3.1.0 wordlist/Injections/XSS.txt line ${index + 1}`));
lines(readFileSync(join(injections, 'All_attack.txt'), 'utf8')).forEach((payload, index) => {
  if (/<|javascript|script|alert/i.test(payload)) add(payload, `wfuzz 3.1.0 wordlist/Injections/All_attack.txt line ${index + 1}`);
});

const seen = new Set();
const corpus = entries.filter(({ payload }) => !seen.has(payload) && seen.add(payload));
writeFileSync(join(out, 'corpus.json'), `${JSON.stringify(corpus, null, 1)}\n`);
console.log(`${corpus.length} payloads from ${Object.keys(SOURCES).length} public corpora in ${join(out, 'corpus.json')}`);
