// Turns wasm-bindgen's `web` (ES module) output into what ships:
//   dist/orcheo-chat.js            one classic script: loader + the glue it uses, minified
//   dist/orcheo-chat-<hash>.wasm   the module, named by its content
//   dist/orcheo-chat-<lang>-<hash>.json   one strings file per shipped locale
//   dist/manifest.json             raw / gzip / brotli size and SRI sha384 of each file
// and fails when the brotli size of what one visitor downloads exceeds size-budget.json.
//
// usage: node scripts/lib/bundle.mjs <glue.js> <module.wasm> <names.json> <out-dir> <version>
//   names.json: wasm-opt's map of minified import and export names, applied to the glue here.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const [gluePath, wasmPath, namesPath, outDir, version] = process.argv.slice(2);
if (!gluePath || !wasmPath || !namesPath || !outDir || !version) {
  console.error('usage: bundle.mjs <glue.js> <module.wasm> <names.json> <out-dir> <version>');
  process.exit(2);
}

const hashed = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const wasm = readFileSync(wasmPath);
const wasmFile = `orcheo-chat-${hashed(wasm)}.wasm`;
// Locale files, minified and named by content; the loader fetches only the one a visitor needs.
const locales = readdirSync(join(root, 'src/locales'))
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => {
    const bytes = Buffer.from(JSON.stringify(JSON.parse(readFileSync(join(root, 'src/locales', name), 'utf8'))));
    const lang = name.replace(/\.json$/, '');
    return { lang, file: `orcheo-chat-${lang}-${hashed(bytes)}.json`, bytes };
  });

/**
 * The glue with wasm-opt's short names for the import module, the import keys and every
 * `wasm.<export>` it reads, each renamed in one pass (a new name can equal an old one). Fails
 * the build when the glue and the wasm's interface no longer agree.
 */
function renameInterface(glue, names) {
  const module = new WebAssembly.Module(wasm);
  const shortModules = new Set(WebAssembly.Module.imports(module).map((i) => i.module));
  const longModules = new Set(names.imports.map(([long]) => long));
  if (longModules.size !== 1 || shortModules.size !== 1) {
    console.error(`bundle.mjs: expected the imports to come from one module, got ${[...longModules]} -> ${[...shortModules]}`);
    process.exit(1);
  }
  const [[longModule], [shortModule]] = [[...longModules], [...shortModules]];
  const imports = new Map(names.imports.map(([, long, short]) => [long, short]));
  const exports = new Map(names.exports);
  const problems = [];
  const moduleKey = `${JSON.stringify(longModule)}: import0`;
  if (!glue.includes(moduleKey)) problems.push(`the import object key ${moduleKey}`);
  glue = glue.replace(moduleKey, `${JSON.stringify(shortModule)}: import0`);
  const renamedImports = new Set();
  glue = glue.replace(/(?<![\w$.])([\w$]+)(?=: function\b)/g, (name) => {
    if (!imports.has(name)) return name;
    renamedImports.add(name);
    return imports.get(name);
  });
  for (const long of imports.keys()) if (!renamedImports.has(long)) problems.push(`import ${long}`);
  // Exports the glue never reads (dropped or unused ones) need no renaming; every export it
  // does read must exist under its new name (the dropped stream adapters' glue is dead code).
  const exported = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  glue = glue.replace(/\bwasm\.([\w$]+)/g, (match, name) => {
    if (exports.has(name)) return `wasm.${exports.get(name)}`;
    if (!/intounderlying/i.test(name)) problems.push(`export ${name}`);
    return match;
  });
  if (problems.length) {
    console.error(`bundle.mjs: the glue and the wasm's interface disagree (wasm-bindgen output changed?):\n  ${[...new Set(problems)].join('\n  ')}`);
    process.exit(1);
  }
  return glue;
}

/** The glue without the statements that keep the (dropped) stream adapter classes alive. */
function dropStreamAdapters(glue) {
  return glue.replace(/^\s*if \(Symbol\.dispose\) IntoUnderlying\w+\.prototype\[Symbol\.dispose\] = .*;$/gm, '');
}

const names = JSON.parse(readFileSync(namesPath, 'utf8'));
const glue = renameInterface(dropStreamAdapters(readFileSync(gluePath, 'utf8')), names);
const loader = readFileSync(join(root, 'src/loader.js'), 'utf8')
  .replaceAll('__VERSION__', version)
  .replaceAll('__WASM_FILE__', wasmFile)
  .replaceAll('__LOCALES__', JSON.stringify(Object.fromEntries(locales.map(({ lang, file }) => [lang, file]))));
const gluePatched = resolve(dirname(wasmPath), 'glue.js');
writeFileSync(gluePatched, glue);

// esbuild bundles the loader with the glue it imports and drops the rest of the glue. The
// result is one function scope (`OrcheoChat` is the only global it sets); the guard makes a
// second copy of the tag a no-op before it does any work.
const built = buildSync({
  stdin: { contents: loader, resolveDir: root, sourcefile: 'loader.js' },
  alias: { 'orcheo-chat-glue': gluePatched },
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2019',
  legalComments: 'none',
  write: false,
  // The glue's default wasm URL uses import.meta; the loader always passes the URL.
  logOverride: { 'empty-import-meta': 'silent' },
});
const code = `if(!(window.OrcheoChat&&window.OrcheoChat.__orcheoChat)){${built.outputFiles[0].text.trim()}}\n`;

mkdirSync(outDir, { recursive: true });
const keep = new Set([wasmFile, ...locales.map(({ file }) => file)]);
for (const stale of readdirSync(outDir)) {
  if (/^orcheo-chat-.+\.(wasm|json)$/.test(stale) && !keep.has(stale)) rmSync(join(outDir, stale));
}
writeFileSync(join(outDir, 'orcheo-chat.js'), code);
writeFileSync(join(outDir, wasmFile), wasm);
for (const { file, bytes } of locales) writeFileSync(join(outDir, file), bytes);

function measure(name, bytes) {
  return {
    file: name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
    integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
  };
}

const files = [measure('orcheo-chat.js', Buffer.from(code)), measure(wasmFile, wasm)];
const localeFiles = locales.map(({ file, bytes }) => measure(file, bytes));
// The budget covers what one visitor downloads at most: the script, the wasm, and the
// largest locale file (English visitors fetch none).
const largestLocale = localeFiles.reduce((big, f) => (f.brotli > big.brotli ? f : big), { brotli: 0, gzip: 0, raw: 0 });
const counted = [...files, largestLocale];
const total = {
  raw: counted.reduce((sum, f) => sum + f.raw, 0),
  gzip: counted.reduce((sum, f) => sum + f.gzip, 0),
  brotli: counted.reduce((sum, f) => sum + f.brotli, 0),
};
const budget = JSON.parse(readFileSync(join(root, 'size-budget.json'), 'utf8'));
const manifest = {
  version,
  script: 'orcheo-chat.js',
  wasm: wasmFile,
  files,
  locales: Object.fromEntries(locales.map(({ lang }, i) => [lang, localeFiles[i]])),
  total,
  total_counts: 'script + wasm + the largest locale file',
  budget,
};
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const line = (name, f) => `  ${name.padEnd(40)} raw ${kb(f.raw).padStart(9)}  gzip ${kb(f.gzip).padStart(8)}  brotli ${kb(f.brotli).padStart(8)}`;
for (const f of files) console.error(line(f.file, f));
console.error(line(`largest locale (${largestLocale.file})`, largestLocale));
console.error(line('total', total));
const limit = budget.max_brotli_bytes;
if (!Number.isInteger(limit) || limit <= 0) {
  console.error(`size-budget.json needs a positive integer "max_brotli_bytes"`);
  process.exit(1);
}
if (total.brotli > limit) {
  console.error(`SIZE BUDGET EXCEEDED: script + wasm + largest locale are ${total.brotli} bytes brotli; the budget in size-budget.json is ${limit}.`);
  process.exit(1);
}
console.error(`  within the size budget: ${total.brotli} of ${limit} bytes brotli (${basename(outDir)}/manifest.json)`);
