// A stand-in backend for the one fault the real Orcheo cannot be made to produce on demand:
// a stream that ends cleanly with neither a reply nor an error (an interrupted turn). It
// answers `/api/workflows/*/public` and `/api/chatkit` like Orcheo does, with CORS.
import { createServer } from 'node:http';

export function interruptingBackend() {
  const server = createServer((request, response) => {
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
      response.end(JSON.stringify({ id: '00000000-0000-4000-8000-000000000001', name: 'Flaky line', require_login: false }));
      return;
    }
    response.writeHead(200, { ...cors, 'content-type': 'text/event-stream' });
    const events = [
      { type: 'thread.created', thread: { id: 'thr_fault', created_at: '2026-11-21T10:00:00', status: { type: 'active' }, metadata: {}, items: { data: [], has_more: false } } },
      { type: 'thread.item.done', item: { id: 'msg_user', thread_id: 'thr_fault', created_at: '2026-11-21T10:00:00', type: 'user_message', content: [{ type: 'input_text', text: 'anyone there?' }], attachments: [], inference_options: {} } },
      { type: 'progress_update', text: 'Agent is working...' },
    ];
    response.end(events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join(''));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
