// Stand-in backends for what the real Orcheo cannot be made to do on demand: a stream that ends
// cleanly with neither a reply nor an error (an interrupted turn), and a reply streamed as many
// small deltas (Orcheo sends each reply whole). They answer `/api/workflows/*/public` and
// `/api/chatkit` like Orcheo does, with CORS.
import { createServer } from 'node:http';

/**
 * A backend whose `/public` names `workflow` and whose every ChatKit request gets the SSE body
 * `stream(send)` writes (`send(event)` writes one `data:` line); resolves once it listens.
 */
function standIn(workflow, stream) {
  const server = createServer(async (request, response) => {
    const cors = {
      'access-control-allow-origin': request.headers.origin || '*',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': request.headers['access-control-request-headers'] || '*',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
    };
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
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
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
