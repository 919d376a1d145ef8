// A small static file server for the demo and the end-to-end tests.
//
// HTML files are templates: `%NAME%` is replaced by the value of NAME in `vars` (the local
// Orcheo's URL and workflow ids, the widget's URL), so the example pages show the real
// one-tag embed with real values. Every response allows any origin, as a CDN serving the
// widget would (the page fetches the .wasm cross-origin). A file `<name>.headers.json` next to
// a file adds its headers to that file's response (a test page's own policy headers).
//
// As a module: `const server = await serve({ roots, port, vars })`, later `server.close()`; a
// path is looked up in each root in turn.
// As a command: node scripts/lib/serve.mjs <port> <vars.json|-> <root>...
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export function fill(text, vars) {
  return text.replace(/%([A-Z][A-Z0-9_]*)%/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

export function serve({ roots, port, host = '127.0.0.1', vars = {} }) {
  const bases = roots.map((root) => resolve(root));
  const server = createServer(async (request, response) => {
    const headers = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    try {
      const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
      const file = await find(bases, path);
      let body = await readFile(file);
      const type = TYPES[extname(file)] || 'application/octet-stream';
      if (type.startsWith('text/html')) body = Buffer.from(fill(body.toString('utf8'), vars));
      const own = await readFile(`${file}.headers.json`, 'utf8').then(JSON.parse, () => ({}));
      response.writeHead(200, { ...headers, ...own, 'content-type': type, 'content-length': body.length });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      const missing = error.code === 'ENOENT' || error.code === 'ENOTDIR';
      response.writeHead(missing ? 404 : 500, { ...headers, 'content-type': 'text/plain' });
      response.end(missing ? 'not found' : 'server error');
    }
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done(server));
  });
}

async function find(bases, path) {
  for (const base of bases) {
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) continue;
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      await stat(file);
      return file;
    } catch {
      // not in this root
    }
  }
  throw Object.assign(new Error('not found'), { code: 'ENOENT' });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [port, varsFile, ...roots] = process.argv.slice(2);
  const vars = varsFile && varsFile !== '-' ? JSON.parse(await readFile(varsFile, 'utf8')) : {};
  await serve({ roots, port: Number(port), vars });
  console.error(`serving ${roots.join(', ')} on http://127.0.0.1:${port}`);
}
