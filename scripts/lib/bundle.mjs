// Turns the split, bound and optimised build into what ships:
//   dist/orcheo-chat.js                  one classic script: loader + the glue it uses + the
//                                        chunk loader, minified (the only file not named by its
//                                        content: embedders link to it)
//   dist/orcheo-chat-<hash>.wasm         the launcher stage
//   dist/orcheo-chat-panel-<hash>.wasm   the panel stage (and any code it shares with the widget
//                                        stage: scripts/lib/merge-chunks.mjs folds it in)
//   dist/orcheo-chat-widgets-<hash>.wasm the widget stage
//   dist/orcheo-chat-<lang>-<hash>.json  per shipped locale, the launcher stage's strings and the
//                                        name and SRI hash of the next file
//   dist/orcheo-chat-<lang>-panel-<hash>.json  its panel and widget stages' strings (fetched
//                                        with the panel stage's chunk)
//   dist/manifest.json                   raw / gzip / brotli size and SRI sha384 of each file
// and fails when a size budget of size-budget.json is exceeded.
//
// usage: node scripts/lib/bundle.mjs <build-dir> <out-dir> <version>
//   <build-dir> holds what scripts/build made: glue/orcheo_chat.js (wasm-bindgen's ES module
//   glue), main.wasm and names.json (wasm-opt's output and its map of minified import and export
//   names), split/__wasm_split.js (the splitter's link module) and chunks/<name>.wasm.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const [buildDir, outDir, version] = process.argv.slice(2);
if (!buildDir || !outDir || !version) {
  console.error('usage: bundle.mjs <build-dir> <out-dir> <version>');
  process.exit(2);
}
const fail = (message) => {
  console.error(`bundle.mjs: ${message}`);
  process.exit(1);
};

const hashed = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const integrity = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const entry = (file, bytes) => [file, integrity(bytes)];

const main = readFileSync(join(buildDir, 'main.wasm'));
const mainFile = `orcheo-chat-${hashed(main)}.wasm`;
// The panel stage's chunks, by the name the splitter gave them (`split_panel.wasm`, and
// `chunk_<n>.wasm` for code shared between split points).
const chunks = readdirSync(join(buildDir, 'chunks'))
  .filter((name) => name.endsWith('.wasm'))
  .sort()
  .map((name) => {
    const bytes = readFileSync(join(buildDir, 'chunks', name));
    const stem = name.replace(/\.wasm$/, '').replace(/^split_/, '').replace(/_/g, '');
    return { name, file: `orcheo-chat-${stem}-${hashed(bytes)}.wasm`, bytes };
  });
if (!chunks.some((chunk) => chunk.name === 'split_panel.wasm')) fail('the splitter made no split_panel.wasm: is the split point gone?');
// Locale files, minified and named by content: src/locales/<lang>.json's `texts` (the launcher
// stage's strings, fetched with the script) and its `panel` (the panel and widget stages', fetched
// with the panel stage's chunk). The first names the second with its SRI hash, so the script
// carries one entry per language. The loader fetches only the language a visitor needs.
const localeFile = (name, value) => {
  const bytes = Buffer.from(JSON.stringify(value));
  return { file: `orcheo-chat-${name}-${hashed(bytes)}.json`, bytes };
};
const locales = readdirSync(join(root, 'src/locales'))
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => {
    const { panel, ...launcher } = JSON.parse(readFileSync(join(root, 'src/locales', name), 'utf8'));
    const lang = name.replace(/\.json$/, '');
    if (!panel || !launcher.texts) fail(`src/locales/${name} needs "texts" and "panel"`);
    const panelFile = localeFile(`${lang}-panel`, { texts: panel });
    return { lang, launcher: localeFile(lang, { ...launcher, panel: entry(panelFile.file, panelFile.bytes) }), panel: panelFile };
  });
const localeEntries = locales.map(({ launcher, panel }) => [launcher, panel]);

const names = JSON.parse(readFileSync(join(buildDir, 'names.json'), 'utf8'));
const exportNames = new Map(names.exports);

/**
 * wasm-bindgen's glue with wasm-opt's short names: the import object (every import module,
 * merged under its short module name) and every `wasm.<export>` it reads. Fails the build when
 * the glue and the wasm's interface no longer agree.
 */
function renameGlue(glue) {
  const module = new WebAssembly.Module(main);
  const problems = [];
  const imports = new Map(names.imports.map(([mod, long, short]) => [`${mod}\0${long}`, short]));
  // The import object: `"<module>": importN,` lines become one merged object per short module.
  const moduleLines = [...glue.matchAll(/^(\s*)"([^"]+)": (import\d+),$/gm)];
  if (moduleLines.length === 0) problems.push('the import object of __wbg_get_imports');
  const bySource = new Map(moduleLines.map(([, , mod, variable]) => [variable, mod]));
  // Rename the keys of import0 (the glue's own functions).
  const ownModule = bySource.get('import0');
  const renamed = new Set();
  glue = glue.replace(/(?<![\w$.])([\w$]+)(?=: function\b)/g, (name) => {
    const short = imports.get(`${ownModule}\0${name}`);
    if (!short) return name;
    renamed.add(name);
    return short;
  });
  for (const [mod, long] of names.imports) {
    if (mod === ownModule && !renamed.has(long)) problems.push(`import ${long}`);
  }
  // The other modules (the splitter's link module) are namespace imports: their members are
  // copied onto import0 under their short names.
  // (wasm-bindgen may import one module under several variables: each member is copied once.)
  const extra = [];
  const copied = new Set();
  for (const [variable, mod] of bySource) {
    if (variable === 'import0') continue;
    for (const [m, long, short] of names.imports) {
      if (m === mod && !copied.has(short)) {
        copied.add(short);
        extra.push(`${JSON.stringify(short)}: ${variable}.${long}`);
      }
    }
  }
  // wasm-opt gives every import the same short module name.
  const targets = new Set(WebAssembly.Module.imports(module).map((i) => i.module));
  if (targets.size !== 1) problems.push(`import modules ${[...bySource.values()]} -> ${[...targets]}`);
  const [target] = targets;
  let first = true;
  glue = glue.replace(/^(\s*)"([^"]+)": (import\d+),$/gm, (line, indent) => {
    if (!first) return '';
    first = false;
    return `${indent}${JSON.stringify(target)}: Object.assign(import0, { ${extra.join(', ')} }),`;
  });
  // Exports the glue never reads need no renaming; every export it does read must exist.
  glue = glue.replace(/\bwasm\.([\w$]+)/g, (match, name) => {
    if (exportNames.has(name)) return `wasm.${exportNames.get(name)}`;
    if (!/intounderlying/i.test(name)) problems.push(`export ${name}`);
    return match;
  });
  if (problems.length) fail(`the glue and the wasm's interface disagree (wasm-bindgen output changed?):\n  ${[...new Set(problems)].join('\n  ')}`);
  return glue;
}

/** The glue without the statements that keep the (dropped) stream adapter classes alive. */
function dropStreamAdapters(glue) {
  return glue.replace(/^\s*if \(Symbol\.dispose\) IntoUnderlying\w+\.prototype\[Symbol\.dispose\] = .*;$/gm, '');
}

/**
 * The glue calling the instance only through the loader's guard (`__guard`, the parameter of
 * the runtime factory: src/loader.js says why).
 */
function guardGlue(glue) {
  const pattern = /^(\s*)wasm = instance\.exports;$/m;
  if (!pattern.test(glue)) fail('the glue no longer sets `wasm = instance.exports` (wasm-bindgen output changed?)');
  return glue.replace(pattern, '$1wasm = __guard(instance.exports, module);');
}

/**
 * The splitter's link module, pointed at the loader's chunk fetching (hashed names, SRI) and
 * at the main module's short export names.
 */
function patchLink(link) {
  const problems = [];
  const require = (pattern, what) => {
    if (!pattern.test(link)) problems.push(what);
  };
  require(/const \{([^}]*)\} = initSync\(undefined, undefined\);/, 'the shared exports read from initSync');
  link = link.replace(/const \{([^}]*)\} = initSync\(undefined, undefined\);/, (_, list) => {
    const fields = list.split(',').map((name) => name.trim()).filter(Boolean).map((name) => {
      if (!exportNames.has(name)) problems.push(`shared export ${name}`);
      return `${exportNames.get(name)}: ${name}`;
    });
    return `const { ${fields.join(', ')} } = initSync(undefined, undefined);`;
  });
  require(/fetch\(new URL\("\.\/([\w.]+)", import\.meta\.url\)\)/, 'the chunk fetch');
  link = link.replace(/fetch\(new URL\("\.\/([\w.]+)", import\.meta\.url\)\)/g, (_, name) => {
    if (!chunks.some((chunk) => chunk.name === name)) problems.push(`chunk ${name}`);
    return `fetchChunk(${JSON.stringify(name)})`;
  });
  require(/WebAssembly\.instantiateStreaming\(/, 'the chunk instantiation');
  link = link.replace(/WebAssembly\.instantiateStreaming\(/g, 'instantiateChunk(');
  // fetchChunk logs a failure once, naming the file.
  link = link.replace(/^\s*console\.error\(e\);$/m, '');
  // The callback into the instance goes through the loader's guard too.
  const callback = /sharedImports\.__wasm_split\.__indirect_function_table\.get\(callbackIndex\)\(callbackData, success\);/;
  require(callback, 'the callback through the function table');
  link = link.replace(callback, 'initSync(undefined, undefined).call(sharedImports.__wasm_split.__indirect_function_table.get(callbackIndex), callbackData, success);');
  if (problems.length) fail(`the splitter's link module is not what this script expects:\n  ${problems.join('\n  ')}`);
  return `import { fetchChunk, instantiateChunk } from 'orcheo-chat-chunks';\n${link}`;
}

const work = resolve(buildDir, 'bundle');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
writeFileSync(join(work, 'main.js'), guardGlue(renameGlue(dropStreamAdapters(readFileSync(join(buildDir, 'glue/orcheo_chat.js'), 'utf8')))));
writeFileSync(join(work, '__wasm_split.js'), patchLink(readFileSync(join(buildDir, 'split/__wasm_split.js'), 'utf8')));
writeFileSync(join(work, 'chunks.js'), readFileSync(join(root, 'src/chunks.js'), 'utf8')
  .replaceAll('__CHUNKS__', JSON.stringify(Object.fromEntries(chunks.map(({ name, file, bytes }) => [name, entry(file, bytes)])))));
const loader = readFileSync(join(root, 'src/loader.js'), 'utf8')
  .replaceAll('__VERSION__', version)
  .replaceAll('__WASM__', JSON.stringify(entry(mainFile, main)))
  .replaceAll('__LOCALES__', JSON.stringify(Object.fromEntries(locales.map(({ lang, launcher }) => [lang, entry(launcher.file, launcher.bytes)]))));

// The glue and the link module, as a factory: each call of `runtime(__guard)` is a fresh copy
// of their state (the wasm instance, its caches, the loaded chunks), for mounting again after
// an instance failed. esbuild bundles them as one module and drops the glue's unused parts;
// its `export { ... }` becomes the factory's result.
const inner = buildSync({
  stdin: { contents: "export { default as init, mount } from 'orcheo-chat-glue';", resolveDir: root, sourcefile: 'runtime.js' },
  alias: { 'orcheo-chat-glue': join(work, 'main.js') },
  external: ['orcheo-chat-chunks'],
  bundle: true,
  format: 'esm',
  target: 'es2019',
  write: false,
  logOverride: { 'empty-import-meta': 'silent' },
}).outputFiles[0].text;
const imports = [...inner.matchAll(/^import [^;]+;$/gm)].map(([line]) => line);
const exported = /^export \{([^}]*)\};?\s*$/m.exec(inner);
if (imports.length !== 1 || !exported) fail('the runtime bundle is not one import and one export list');
const result = exported[1].split(',').map((name) => name.trim()).filter(Boolean).map((name) => {
  const [local, as = local] = name.split(/\s+as\s+/);
  return `${as}: ${local}`;
});
const body = inner.replace(imports[0], '').replace(exported[0], '');
writeFileSync(join(work, 'runtime.js'), `${imports[0]}\nexport function runtime(__guard) {\n${body}\nreturn { ${result.join(', ')} };\n}\n`);

// esbuild bundles the loader with the runtime factory. The result is one function scope
// (`OrcheoChat` is the only global it sets); the guard makes a second copy of the tag a no-op
// before it does any work.
const built = buildSync({
  stdin: { contents: loader, resolveDir: root, sourcefile: 'loader.js' },
  alias: { 'orcheo-chat-runtime': join(work, 'runtime.js'), 'orcheo-chat-chunks': join(work, 'chunks.js') },
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2019',
  legalComments: 'none',
  write: false,
  // The glue's default wasm URL uses import.meta; the loader always passes the response.
  logOverride: { 'empty-import-meta': 'silent' },
});
const code = `if(!(window.OrcheoChat&&window.OrcheoChat.__orcheoChat)){${built.outputFiles[0].text.trim()}}\n`;

mkdirSync(outDir, { recursive: true });
const shipped = [
  { file: mainFile, bytes: main },
  ...chunks,
  ...localeEntries.flat(),
];
const keep = new Set(shipped.map(({ file }) => file));
for (const stale of readdirSync(outDir)) {
  if (/^orcheo-chat-.+\.(wasm|json)$/.test(stale) && !keep.has(stale)) rmSync(join(outDir, stale));
}
writeFileSync(join(outDir, 'orcheo-chat.js'), code);
for (const { file, bytes } of shipped) writeFileSync(join(outDir, file), bytes);

function measure(name, bytes) {
  return {
    file: name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
    integrity: integrity(bytes),
  };
}
const sum = (files) => ({
  raw: files.reduce((total, f) => total + f.raw, 0),
  gzip: files.reduce((total, f) => total + f.gzip, 0),
  brotli: files.reduce((total, f) => total + f.brotli, 0),
});

const script = measure('orcheo-chat.js', Buffer.from(code));
const launcher = measure(mainFile, main);
const chunkFiles = chunks.map(({ file, bytes }) => measure(file, bytes));
const chunkNamed = (name) => chunkFiles[chunks.findIndex((chunk) => chunk.name === name)];
const localeFiles = locales.map(({ launcher, panel }) => ({
  launcher: measure(launcher.file, launcher.bytes),
  panel: measure(panel.file, panel.bytes),
}));
const largest = (files) => files.reduce((big, f) => (f.brotli > big.brotli ? f : big), { brotli: 0, gzip: 0, raw: 0 });
const largestLocale = largest(localeFiles.map(({ launcher }) => launcher));
const largestPanelLocale = largest(localeFiles.map(({ panel }) => panel));
// Stage 1 is what the script tag costs before the launcher shows: the script and the launcher
// stage's wasm (and, for a visitor whose language is not English, its locale file).
const stage1 = sum([script, launcher]);
const stage1WithLocale = sum([script, launcher, largestLocale]);
// The panel stage: its chunk (and, for a visitor whose language is not English, its strings).
const panelStage = sum([chunkNamed('split_panel.wasm'), largestPanelLocale]);
const widgetStage = chunkNamed('split_widgets.wasm');
if (!widgetStage) fail('the splitter made no split_widgets.wasm: is the widget split point gone?');
// Everything one visitor can download, with every feature: every stage and the largest locale.
const total = sum([script, launcher, ...chunkFiles, largestLocale, largestPanelLocale]);
const budget = JSON.parse(readFileSync(join(root, 'size-budget.json'), 'utf8'));
const manifest = {
  version,
  script: 'orcheo-chat.js',
  wasm: mainFile,
  chunks: Object.fromEntries(chunks.map(({ name, file }) => [name, file])),
  files: [script, launcher, ...chunkFiles],
  locales: Object.fromEntries(locales.map(({ lang }, i) => [lang, localeFiles[i]])),
  stage1,
  stage1_with_locale: stage1WithLocale,
  panel: panelStage,
  widgets: sum([widgetStage]),
  total,
  counts: {
    stage1: 'script + launcher-stage wasm',
    stage1_with_locale: 'stage1 + the largest launcher-stage locale file',
    panel: 'the panel-stage wasm + the largest panel-stage locale file',
    widgets: 'the widget-stage wasm',
    total: 'script + every wasm file + the largest locale files',
  },
  budget,
};
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const line = (name, f) => `  ${name.padEnd(44)} raw ${kb(f.raw).padStart(9)}  gzip ${kb(f.gzip).padStart(8)}  brotli ${kb(f.brotli).padStart(8)}`;
for (const f of [script, launcher, ...chunkFiles]) console.error(line(f.file, f));
console.error(line(`largest locale (${largestLocale.file})`, largestLocale));
console.error(line(`largest panel locale (${largestPanelLocale.file})`, largestPanelLocale));
console.error(line('stage 1 (script + launcher wasm)', stage1));
console.error(line('stage 1 with a locale file', stage1WithLocale));
console.error(line('panel stage with its locale file', panelStage));
console.error(line('total (everything, largest locale)', total));
const limits = [
  ['stage1_max_brotli_bytes', stage1WithLocale.brotli, 'stage 1 (script + launcher wasm + largest locale)'],
  ['panel_max_brotli_bytes', panelStage.brotli, 'the panel stage (its wasm + largest locale)'],
  ['widgets_max_brotli_bytes', widgetStage.brotli, 'the widget stage (its wasm)'],
  ['total_max_brotli_bytes', total.brotli, 'everything a visitor can download'],
];
for (const [key, actual, what] of limits) {
  const limit = budget[key];
  if (!Number.isInteger(limit) || limit <= 0) fail(`size-budget.json needs a positive integer "${key}"`);
  if (actual > limit) fail(`SIZE BUDGET EXCEEDED: ${what} is ${actual} bytes brotli; ${key} in size-budget.json is ${limit}.`);
  console.error(`  within the size budget: ${what} ${actual} of ${limit} bytes brotli`);
}
