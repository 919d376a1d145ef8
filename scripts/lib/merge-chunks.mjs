// Folds the splitter's shared chunks into the panel stage.
//
// wasm-split-cli puts the code both the panel stage and the widget stage use (Leptos, the
// markdown renderer, the Node builder…) into a chunk of its own, fetched before either. But the
// widget stage is only ever loaded by the panel stage (src/web/split.rs), so that chunk is
// always fetched with the panel: as a second file it costs a second request and compresses
// worse (measured: 4.3 KB brotli more than one file). Here each shared chunk that the panel
// needs is merged into the panel's module with binaryen's wasm-merge, and the link module
// (__wasm_split.js) loses the chunk's loader.
//
// Every split module imports the same three things from the main module (memory, function
// table, stack pointer) and places its functions in the shared table with active element
// segments; merged, the panel's module imports them once and places both sets.
//
// usage: node scripts/lib/merge-chunks.mjs <split dir>   (rewrites it in place)
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (tool) => join(root, 'node_modules/.bin', tool);
const FEATURES = ['--enable-bulk-memory', '--enable-reference-types', '--enable-mutable-globals', '--enable-sign-ext',
  '--enable-nontrapping-float-to-int', '--enable-multivalue'];
const [dir] = process.argv.slice(2);
if (!dir) {
  console.error('usage: merge-chunks.mjs <split dir>');
  process.exit(2);
}
const fail = (message) => {
  console.error(`merge-chunks.mjs: ${message}`);
  process.exit(1);
};
const run = (tool, args) => execFileSync(bin(tool), [...FEATURES, ...args], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });

const linkFile = join(dir, '__wasm_split.js');
let link = readFileSync(linkFile, 'utf8');
// The splitter names each chunk's users in a comment: `/* panel, widgets */ const __chunk_3 = makeLoad(…, []);`
const chunkLoader = /\/\* ([\w, ]+) \*\/\nconst (__chunk_\d+) = makeLoad\(\(\) => \{\n\s*const src = fetch\(new URL\("\.\/(chunk_\d+\.wasm)", import\.meta\.url\)\);[\s\S]*?\n\}\n, \[\]\);\n/g;
const chunks = [...link.matchAll(chunkLoader)];
const onDisk = readdirSync(dir).filter((name) => /^chunk_\d+\.wasm$/.test(name));
if (chunks.length !== onDisk.length) fail(`the link module names ${chunks.length} chunks, the splitter wrote ${onDisk.length} (its output changed?)`);

const IMPORT = /\(import "__wasm_split" "(memory|__indirect_function_table|__wasm_split_shared0)" \((memory|table|global) (\$[^\s)]+)/g;
for (const [block, users, loader, file] of chunks) {
  if (!users.split(', ').includes('panel')) fail(`chunk ${file} is not the panel's (${users}): only the panel's chunks can be folded into it`);
  const panelFile = join(dir, 'split_panel.wasm');
  // The chunk re-exports what it imports; the panel imports those from it instead.
  let chunk = run('wasm-dis', [join(dir, file)]).toString();
  const imported = [...chunk.matchAll(IMPORT)];
  if (imported.length !== 3) fail(`chunk ${file} does not import memory, table and stack pointer (it imports ${imported.length})`);
  const last = Math.max(...imported.map((match) => chunk.indexOf('\n', match.index)));
  const exports = imported.map(([, name, kind, id]) => `\n (export "${name}" (${kind} ${id}))`).join('');
  chunk = chunk.slice(0, last) + exports + chunk.slice(last);
  let panel = run('wasm-dis', [panelFile]).toString();
  if ([...panel.matchAll(IMPORT)].length !== 3) fail('split_panel.wasm does not import memory, table and stack pointer');
  panel = panel.replaceAll('(import "__wasm_split" ', '(import "shared" ');
  const work = join(dir, 'merge');
  execFileSync('mkdir', ['-p', work]);
  writeFileSync(join(work, 'chunk.wat'), chunk);
  writeFileSync(join(work, 'panel.wat'), panel);
  run('wasm-as', [join(work, 'chunk.wat'), '-o', join(work, 'chunk.wasm')]);
  run('wasm-as', [join(work, 'panel.wat'), '-o', join(work, 'panel.wasm')]);
  run('wasm-merge', [join(work, 'chunk.wasm'), 'shared', join(work, 'panel.wasm'), 'panel', '-o', panelFile]);
  rmSync(work, { recursive: true, force: true });
  rmSync(join(dir, file));
  // Its loader goes, and nothing waits for it any more.
  link = link.replace(block, '').replaceAll(`[${loader}]`, '[]').replaceAll(`${loader}, `, '').replaceAll(`, ${loader}`, '');
  if (link.includes(loader)) fail(`the link module still refers to ${loader}`);
}
writeFileSync(linkFile, link);
