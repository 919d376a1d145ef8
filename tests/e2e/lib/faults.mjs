// Stand-in backends for what the real Orcheo cannot be made to do on demand: a stream that ends
// cleanly with neither a reply nor an error (an interrupted turn), and a reply streamed as many
// small deltas (Orcheo sends each reply whole). They answer `/api/workflows/*/public` and
// `/api/chatkit` like Orcheo does, with CORS.
import { createServer } from 'node:http';

/** The CORS headers Orcheo answers `request` with (credentials allowed, its origin echoed). */
function corsHeaders(request) {
  return {
    'access-control-allow-origin': request.headers.origin || '*',
    'access-control-allow-credentials': 'true',
    'access-control-allow-headers': request.headers['access-control-request-headers'] || '*',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
  };
}

/**
 * A backend whose `/public` names `workflow` and whose every ChatKit request gets the SSE body
 * `stream(send)` writes (`send(event)` writes one `data:` line); resolves once it listens.
 */
function standIn(workflow, stream) {
  const server = createServer(async (request, response) => {
    const cors = corsHeaders(request);
    if (request.method === 'OPTIONS') {
      response.writeHead(200, cors).end();
      return;
    }
    if (request.url.includes('/public')) {
      response.writeHead(200, { ...cors, 'content-type': 'application/json' });
      response.end(JSON.stringify({ ...workflow, require_login: false }));
      return;
    }
    response.writeHead(200, { ...cors, 'content-type': 'text/event-stream' });
    await stream((event) => response.write(`data: ${JSON.stringify(event)}\n\n`));
    response.end();
  });
  // Unreferenced: a test that fails before closing it must not keep its file's process alive.
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)).unref());
}

const NOW = '2026-12-01T10:00:00';
const created = (thread) => ({ type: 'thread.created', thread: { id: thread, created_at: NOW, status: { type: 'active' }, metadata: {}, items: { data: [], has_more: false } } });
const userItem = (thread, text) => ({ type: 'thread.item.done', item: { id: 'msg_user', thread_id: thread, created_at: NOW, type: 'user_message', content: [{ type: 'input_text', text }], attachments: [], inference_options: {} } });

/** A turn that stores the message, says it is working, and ends without a reply. */
export function interruptingBackend() {
  return standIn({ id: '00000000-0000-4000-8000-000000000001', name: 'Flaky line' }, (send) => {
    send(created('thr_fault'));
    send(userItem('thr_fault', 'anyone there?'));
    send({ type: 'progress_update', text: 'Agent is working...' });
  });
}
/**
 * A stand-in that streams one reply as many small text deltas (the real Orcheo sends a reply
 * whole, so only a stand-in shows how the widget takes a token-by-token stream). `reply` (a
 * string, or a list of parts that each make one batch) is cut into about `deltas` pieces, sent
 * in `batches`: each batch waits until `release()` is called (or goes at once when `paced` is
 * false).
 */
export function streamingBackend({ reply, deltas = 2000, batches = 4, paced = false } = {}) {
  const parts = Array.isArray(reply) ? reply : null;
  reply = parts ? parts.join('') : reply;
  const size = Math.max(1, Math.ceil(reply.length / deltas));
  const cut = (text) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
  const batched = parts ? parts.map(cut) : (() => {
    const pieces = cut(reply);
    const perBatch = Math.ceil(pieces.length / batches);
    return Array.from({ length: Math.ceil(pieces.length / perBatch) }, (_, b) => pieces.slice(b * perBatch, (b + 1) * perBatch));
  })();
  // Batch n goes once release() has been called n + 1 times (calls may come early).
  let released = 0;
  let wake = () => {};
  const release = () => {
    released += 1;
    wake();
  };
  const allowed = (batch) => new Promise((resolve) => {
    const check = () => (released > batch ? resolve() : (wake = check));
    check();
  });
  const listening = standIn({ id: '00000000-0000-4000-8000-000000000002', name: 'Streaming line' }, async (send) => {
    send(created('thr_stream'));
    send(userItem('thr_stream', 'stream please'));
    send({ type: 'thread.item.added', item: { id: 'msg_reply', thread_id: 'thr_stream', created_at: NOW, type: 'assistant_message', content: [{ type: 'output_text', text: '', annotations: [] }] } });
    for (let batch = 0; batch < batched.length; batch += 1) {
      if (paced) await allowed(batch);
      for (const delta of batched[batch]) {
        send({ type: 'thread.item.updated', item_id: 'msg_reply', update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta } });
      }
      // Let the socket flush, so the batch arrives as a stream rather than one buffer.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    send({ type: 'thread.item.done', item: { id: 'msg_reply', thread_id: 'thr_stream', created_at: NOW, type: 'assistant_message', content: [{ type: 'output_text', text: reply, annotations: [] }] } });
  });
  return listening.then((server) => Object.assign(server, { release }));
}

/**
 * A proxy in front of the real Orcheo that breaks ChatKit calls the way networks do, which
 * Orcheo itself cannot be made to do. `fault(call)` is asked for each ChatKit POST (`call` is
 * its parsed body and its number among streaming calls, from 1) and returns nothing (pass it
 * through) or one fault:
 * - `{ cutAfter: 'thread.created' }`: pass the stream through up to and including the first
 *   event of that type (`'thread.item.done:assistant_message'` names the item's type too),
 *   then break the connection to the browser. The proxy goes on reading Orcheo's stream to its
 *   end, as a network cut between browser and server leaves it: the server finishes the turn
 *   and stores it. Later requests wait until it has (so what they find does not depend on
 *   how fast the workflow is). With `until` (a promise), the cut waits for it: a browser
 *   drops the chunks it has not yet read when the connection breaks, so a test that needs the
 *   widget to have seen the event waits until it says so.
 * - `{ stallAfter: type }`: the same, but the browser's connection stays open and silent.
 * - `{ status: 500, cors: false }` or `{ status: 429 }`: answer at once without asking Orcheo.
 * While `refuse()` is true, every request (preflights, `/public`, `items.list`) has its
 * connection closed without an answer, as a backend that is restarting does.
 * Resolves to the server, with its `url` and `seen`: `threads` (ids in `thread.created`
 * events), `visitor` (the last `X-Orcheo-Visitor-Id`), for counting what Orcheo stored
 * (`storedMessages`), `faults` (how many were injected: a test checks its fault happened) and
 * `requests` (every request that reached the backend, preflights too).
 */
export function faultProxy(target, fault = () => undefined, { refuse } = {}) {
  let streaming = 0;
  const state = { threads: [], visitor: undefined, faults: 0, requests: 0 };
  let draining = Promise.resolve();
  const server = createServer(async (request, response) => {
    state.requests += 1;
    if (refuse?.()) {
      state.faults += 1;
      request.socket.destroy();
      return;
    }
    await draining;
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const cors = corsHeaders(request);
    let planned;
    if (request.method === 'POST' && request.url.startsWith('/api/chatkit') && !request.url.includes('upload')) {
      const call = JSON.parse(body.toString('utf8') || '{}');
      if (['threads.create', 'threads.add_user_message', 'threads.retry_after_item', 'threads.custom_action'].includes(call.type)) {
        streaming += 1;
        planned = fault({ ...call, number: streaming });
      }
      if (request.headers['x-orcheo-visitor-id']) state.visitor = request.headers['x-orcheo-visitor-id'];
    }
    if (planned?.status) {
      state.faults += 1;
      const headers = { 'content-type': 'application/json', ...(planned.cors === false ? {} : cors), ...(planned.status === 429 ? { 'retry-after': '1' } : {}) };
      response.writeHead(planned.status, headers).end(JSON.stringify({ detail: 'injected fault' }));
      return;
    }
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)));
    let upstream;
    try {
      upstream = await fetch(`${target}${request.url}`, { method: request.method, headers, body: ['GET', 'HEAD'].includes(request.method) ? undefined : body });
    } catch {
      response.socket?.destroy();
      return;
    }
    const passed = Object.fromEntries([...upstream.headers].filter(([name]) => !['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)));
    response.writeHead(upstream.status, passed);
    response.flushHeaders();
    const cutAt = planned?.cutAfter ?? planned?.stallAfter;
    const decoder = new TextDecoder();
    let pending = '';
    let broken = false;
    let drained = () => {};
    for await (const chunk of upstream.body ?? []) {
      pending += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const frame = pending.slice(0, end + 2);
        pending = pending.slice(end + 2);
        const type = /"type":\s*"([^"]+)"/.exec(frame)?.[1];
        const item = /"item":\s*\{[^{]*?"type":\s*"([^"]+)"/.exec(frame)?.[1];
        if (type === 'thread.created') state.threads.push(/"id":\s*"([^"]+)"/.exec(frame)?.[1]);
        if (broken) continue;
        response.write(frame);
        if (cutAt && (type === cutAt || `${type}:${item}` === cutAt)) {
          broken = true;
          state.faults += 1;
          draining = new Promise((resolve) => { drained = resolve; });
          // Once the frame has left: a connection closed before any byte of the answer would
          // have Chromium send the request again by itself (as it does on a reused socket).
          if (planned.cutAfter) response.write('', () => Promise.resolve(planned.until).then(() => response.socket?.destroy()));
        }
      }
    }
    drained();
    if (!broken) response.end(pending);
  });
  // Unreferenced: a test that fails before closing it must not keep its file's process alive.
  server.unref();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(Object.assign(server, {
    seen: state,
    url: `http://127.0.0.1:${server.address().port}`,
  }))));
}

/**
 * What Orcheo stored in a conversation, asked directly (not through the widget): the texts of
 * its user messages and of its replies, oldest first.
 */
export async function storedMessages(orcheo, workflow, thread, visitor) {
  const response = await fetch(`${orcheo}/api/chatkit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-orcheo-visitor-id': visitor },
    body: JSON.stringify({ type: 'items.list', params: { thread_id: thread, limit: 200, order: 'asc' }, workflow_id: workflow }),
  });
  if (!response.ok) throw new Error(`items.list ${thread}: ${response.status} ${await response.text()}`);
  const { data } = await response.json();
  const texts = (type) => data.filter((item) => item.type === type).map((item) => item.content.map((part) => part.text).join(''));
  return { user: texts('user_message'), assistant: texts('assistant_message') };
}
