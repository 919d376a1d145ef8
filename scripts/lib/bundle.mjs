// Turns wasm-bindgen's `no-modules` output into what ships:
//   dist/orcheo-chat.js            one classic script (glue + loader, wrapped, minified)
//   dist/orcheo-chat-<hash>.wasm   the module, named by its content
//   dist/manifest.json             raw / gzip / brotli size and SRI sha384 of each file
// and fails when the brotli size of js + wasm exceeds size-budget.json.
//
// usage: node scripts/lib/bundle.mjs <glue.js> <module.wasm> <out-dir> <version>
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const [gluePath, wasmPath, outDir, version] = process.argv.slice(2);
if (!gluePath || !wasmPath || !outDir || !version) {
  console.error('usage: bundle.mjs <glue.js> <module.wasm> <out-dir> <version>');
  process.exit(2);
}

const wasm = readFileSync(wasmPath);
const wasmFile = `orcheo-chat-${createHash('sha256').update(wasm).digest('hex').slice(0, 16)}.wasm`;
const glue = readFileSync(gluePath, 'utf8');
const loader = readFileSync(join(root, 'src/loader.js'), 'utf8')
  .replaceAll('__VERSION__', version)
  .replaceAll('__WASM_FILE__', wasmFile);

// One function scope: the glue's `wasm_bindgen` and every loader variable stay private. The
// guard makes a second copy of the tag a no-op before it does any work.
const source = `(function () {
'use strict';
if (window.OrcheoChat && window.OrcheoChat.__orcheoChat) return;
${glue}
${loader}
})();
`;
const { code } = transformSync(source, { minify: true, target: 'es2019', legalComments: 'none' });

mkdirSync(outDir, { recursive: true });
for (const stale of readdirSync(outDir)) {
  if (/^orcheo-chat-[0-9a-f]+\.wasm$/.test(stale) && stale !== wasmFile) rmSync(join(outDir, stale));
}
writeFileSync(join(outDir, 'orcheo-chat.js'), code);
writeFileSync(join(outDir, wasmFile), wasm);

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
const total = {
  raw: files.reduce((sum, f) => sum + f.raw, 0),
  gzip: files.reduce((sum, f) => sum + f.gzip, 0),
  brotli: files.reduce((sum, f) => sum + f.brotli, 0),
};
const budget = JSON.parse(readFileSync(join(root, 'size-budget.json'), 'utf8'));
const manifest = { version, script: 'orcheo-chat.js', wasm: wasmFile, files, total, budget };
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
for (const f of files) {
  console.error(`  ${f.file.padEnd(40)} raw ${kb(f.raw).padStart(9)}  gzip ${kb(f.gzip).padStart(8)}  brotli ${kb(f.brotli).padStart(8)}`);
}
console.error(`  ${'total'.padEnd(40)} raw ${kb(total.raw).padStart(9)}  gzip ${kb(total.gzip).padStart(8)}  brotli ${kb(total.brotli).padStart(8)}`);
const limit = budget.max_brotli_bytes;
if (!Number.isInteger(limit) || limit <= 0) {
  console.error(`size-budget.json needs a positive integer "max_brotli_bytes"`);
  process.exit(1);
}
if (total.brotli > limit) {
  console.error(`SIZE BUDGET EXCEEDED: js + wasm are ${total.brotli} bytes brotli, the budget in size-budget.json is ${limit}.`);
  process.exit(1);
}
console.error(`  within the size budget: ${total.brotli} of ${limit} bytes brotli (${basename(outDir)}/manifest.json)`);
