// What scripts/bench's browser comparisons share (scripts/lib/bench-peers.mjs and
// scripts/lib/bench-lighthouse.mjs): every contestant embedded as its README shows, its files
// served from one origin (brotli-compressed as a CDN would, with Timing-Allow-Origin so the page
// can see the bytes), the pages from another, and a dummy backend that answers 404 to everything
// (no contestant talks to a real server, so only the widgets themselves are measured).
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html; charset=utf-8' };
const compressed = new Map();

/** Serves `roots` (by URL prefix), brotli-compressed when the browser accepts it. */
export function fileServer(roots) {
  return createServer((request, response) => {
    const url = new URL(request.url, 'http://x');
    const [prefix, ...rest] = decodeURIComponent(url.pathname).slice(1).split('/');
    const base = roots[prefix];
    const file = base && normalize(join(base, ...rest));
    if (!file || !file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'access-control-allow-origin': '*' }).end();
      return;
    }
    const headers = {
      'content-type': TYPES[extname(file)] || 'application/octet-stream',
      'access-control-allow-origin': '*',
      'timing-allow-origin': '*',
      'cache-control': 'no-store',
    };
    let body = readFileSync(file);
    if (/\bbr\b/.test(request.headers['accept-encoding'] || '')) {
      if (!compressed.has(file)) {
        compressed.set(file, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
      }
      body = compressed.get(file);
      headers['content-encoding'] = 'br';
    }
    response.writeHead(200, headers).end(body);
  });
}

/** Answers 404 to everything, with CORS, as a backend that knows no such bot. */
export function dummyBackend() {
  return createServer((request, response) => {
    response.writeHead(404, {
      'access-control-allow-origin': request.headers.origin || '*',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': request.headers['access-control-request-headers'] || '*',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'content-type': 'application/json',
    }).end('{"detail":"Not found"}');
  });
}

export const listen = (server) => new Promise((done) => server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${server.address().port}`)));

const shadow = (host, selector) => `document.querySelector(${JSON.stringify(host)})?.shadowRoot?.querySelector(${JSON.stringify(selector)})`;
const visible = (expression) => `((el) => !!el && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0)(${expression})`;

/** Each contestant: how its README embeds it, and where its launcher and composer are. */
export function contestants(files, api) {
  const ours = (preload) => `<script src="${files}/ours/orcheo-chat.js" async data-backend="${api}" data-workflow="5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10"${preload ? ` data-preload="${preload}"` : ''}></script>`;
  return [
    {
      name: 'empty page',
      baseline: true,
      body: () => '',
      launcher: visible('document.getElementById("marker")'),
    },
    {
      name: 'orcheo-chat',
      body: ({ preload } = {}) => ours(preload),
      launcher: visible(shadow('orcheo-chat', '.launcher')),
      click: shadow('orcheo-chat', '.launcher'),
      // The panel stage's composer (not the frame's text box, which shows at once).
      composer: `(${shadow('orcheo-chat', '[role=log]')}) && ${visible(shadow('orcheo-chat', 'textarea.input'))}`,
      // The pointer on the launcher runs the panel stage (fetched first unless the idle
      // preload has): it is in once its log is, hidden until the click.
      preloaded: `!!(${shadow('orcheo-chat', '[role=log]')})`,
    },
    {
      name: '@n8n/chat 1.37.0',
      body: () => `<link href="${files}/n8n/dist/style.css" rel="stylesheet"><script type="module">import { createChat } from '${files}/n8n/dist/chat.bundle.es.js'; createChat({ webhookUrl: '${api}/webhook' });</script>`,
      launcher: visible('document.querySelector(".chat-window-toggle")'),
      click: 'document.querySelector(".chat-window-toggle")',
      // With no backend n8n shows no text box; its chat window is the panel.
      composer: visible('document.querySelector(".chat-window")'),
    },
    {
      name: 'flowise-embed 3.1.6',
      body: () => `<script type="module">import Chatbot from '${files}/flowise/dist/web.js'; Chatbot.init({ chatflowid: 'bench', apiHost: '${api}' });</script>`,
      launcher: visible(shadow('flowise-chatbot', 'button')),
      click: shadow('flowise-chatbot', 'button'),
      composer: visible(shadow('flowise-chatbot', 'textarea')),
    },
    {
      name: '@typebot.io/js 0.10.7',
      body: () => `<script type="module">import Typebot from '${files}/typebot/dist/web.js'; Typebot.initBubble({ typebot: 'bench', apiHost: '${api}' });</script>`,
      launcher: visible(shadow('typebot-bubble', 'button')),
      click: shadow('typebot-bubble', 'button'),
      // With no backend Typebot shows no text box; its bot container is the panel.
      composer: visible(shadow('typebot-bubble', '[part=bot]')),
    },
    {
      name: 'deep-chat 2.4.2',
      body: () => `<script type="module" src="${files}/deepchat/dist/deepChat.bundle.js"></script><deep-chat connect='{"url":"${api}/chat"}'></deep-chat>`,
      // An inline component with no launcher: its text box is its "launcher".
      launcher: visible(shadow('deep-chat', '#text-input')),
    },
  ];
}

/** The peers' unpacked packages (scripts/lib/peers.mjs's output) and ours, by URL prefix. */
export function fileRoots(peers) {
  const roots = {
    ours: join(ROOT, 'dist'),
    n8n: peers['@n8n/chat'],
    flowise: peers['flowise-embed'],
    typebot: peers['@typebot.io/js'],
    deepchat: peers['deep-chat'],
  };
  for (const [name, dir] of Object.entries(roots)) {
    if (!dir || !existsSync(dir)) throw new Error(`${name} is missing (${dir}); run scripts/bench`);
  }
  return roots;
}

/** The host page every contestant is embedded in: a heading and the contestant's tag. */
export const hostPage = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body><h1 id="marker">Bench</h1>${body}</body></html>`;

/** `{ median, min, max, runs }` of the finite values, or null. */
export function stats(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1), runs: sorted.length };
}

/** Debian's Chromium's flags for a quiet measuring browser. */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
