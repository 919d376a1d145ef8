// The members' site of examples/members.html: a page served from the backend's origin, in front
// of Orcheo, for a workflow published with "sign-in required". It is what a site that signs its
// own visitors in does: it serves its pages, keeps who is signed in (a cookie of its own, set by
// its sign-in form), and passes `/api/*` to Orcheo, vouching for the signed-in visitor with
// Orcheo's trusted-proxy headers (`X-Orcheo-Proxy-Secret`, the visitor as
// `X-Orcheo-OAuth-Subject`, the workspace in `X-Orcheo-OAuth-Workspaces`). Identity headers a
// browser sends itself are dropped, so nobody can claim to be someone.
// Pages in an extra directory (the e2e suite's) are served too, as they are.
//   node scripts/lib/members-site.mjs <port> <vars.json> [pages dir]   (vars: Orcheo's URL, secret, workspace)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fill } from './serve.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const COOKIE = 'members_site_visitor';

/** The signed-in visitor's name, from this site's own cookie (a demo: a real site signs it). */
function visitor(request) {
  const cookie = (request.headers.cookie ?? '').split(/;\s*/).find((pair) => pair.startsWith(`${COOKIE}=`));
  try {
    return cookie ? decodeURIComponent(cookie.slice(COOKIE.length + 1)) || undefined : undefined;
  } catch {
    return undefined; // a cookie this site did not write: nobody is signed in
  }
}

/** What a browser may not say about itself: identity and forwarding headers, and the rest. */
const DROPPED = ['host', 'connection', 'content-length', 'cookie', 'origin', 'referer', 'forwarded', 'x-forwarded-for', 'x-real-ip'];
const forwardable = (name) => !DROPPED.includes(name) && (!name.startsWith('x-orcheo-') || name === 'x-orcheo-visitor-id');

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function body(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export function membersSite({ port, vars, pages }) {
  const orcheo = vars.ORCHEO_URL;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://x');
    try {
      if (url.pathname.startsWith('/api/')) {
        // Calls from other sites' pages are refused (a browser says where a call comes from);
        // the sign-in cookie would go along with them.
        const site = request.headers['sec-fetch-site'];
        if (site && site !== 'same-origin') {
          response.writeHead(403, { 'content-type': 'text/plain' }).end('only this site\'s pages may chat here');
          return;
        }
        // To Orcheo, with what this site knows about the visitor and nothing the browser claims.
        const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => forwardable(name)));
        headers['x-forwarded-for'] = request.socket.remoteAddress;
        const name = visitor(request);
        if (name) {
          Object.assign(headers, {
            'x-orcheo-proxy-secret': vars.ORCHEO_PROXY_SECRET,
            // Header values are Latin-1: a name is sent percent-encoded.
            'x-orcheo-oauth-subject': `member:${encodeURIComponent(name)}`,
            'x-orcheo-oauth-workspaces': vars.ORCHEO_WORKSPACE_ID,
          });
        }
        const sent = ['GET', 'HEAD'].includes(request.method) ? undefined : await body(request);
        const upstream = await fetch(`${orcheo}${url.pathname}${url.search}`, { method: request.method, headers, body: sent });
        const passed = Object.fromEntries([...upstream.headers].filter(([header]) => !['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(header) && !header.startsWith('access-control-')));
        response.writeHead(upstream.status, passed);
        response.flushHeaders();
        for await (const chunk of upstream.body ?? []) response.write(chunk);
        response.end();
        return;
      }
      if (request.method === 'POST' && url.pathname === '/sign-in') {
        const name = new URLSearchParams((await body(request)).toString('utf8')).get('name')?.trim().slice(0, 40) || 'guest';
        response.writeHead(303, { location: '/members.html', 'set-cookie': `${COOKIE}=${encodeURIComponent(name)}; Path=/; HttpOnly; SameSite=Lax` });
        response.end();
        return;
      }
      if (request.method === 'POST' && url.pathname === '/sign-out') {
        response.writeHead(303, { location: '/members.html', 'set-cookie': `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax` });
        response.end();
        return;
      }
      const file = { '/': 'members.html', '/members.html': 'members.html', '/site.css': 'site.css', '/favicon.svg': 'favicon.svg' }[url.pathname];
      if (!file && pages && /^\/[\w.-]+\.html$/.test(url.pathname)) {
        const page = await readFile(join(pages, url.pathname)).catch(() => null);
        if (page) {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
          return;
        }
      }
      if (!file) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const text = await readFile(join(ROOT, 'examples', file));
      const own = `http://127.0.0.1:${server.address().port}`;
      const name = visitor(request);
      const types = { html: 'text/html; charset=utf-8', css: 'text/css', svg: 'image/svg+xml' };
      const page = file.endsWith('.html')
        ? fill(text.toString('utf8'), { ...vars, MEMBERS_ORIGIN: own, MEMBER: escapeHtml(name ?? ''), SIGNED_IN: name ? 'signed-in' : 'signed-out' })
        : text;
      response.writeHead(200, { 'content-type': types[file.split('.').pop()], 'cache-control': 'no-store' });
      response.end(page);
    } catch (error) {
      response.writeHead(502, { 'content-type': 'text/plain' }).end(`members site: ${error.message}`);
    }
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [port, varsFile, pages] = process.argv.slice(2);
  const vars = JSON.parse(await readFile(varsFile, 'utf8'));
  const server = await membersSite({ port: Number(port), vars, pages });
  console.error(`members site on http://127.0.0.1:${server.address().port}`);
}
