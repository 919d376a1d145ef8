// A page's TypeScript that uses the widget's API, type-checked against the packed npm package
// (scripts/test installs the tarball next to this file and runs `tsc --noEmit`). Each
// `@ts-expect-error` is a misuse the types must refuse: if they stopped refusing it, tsc fails.
import type { OrcheoChatError, OrcheoChatMessageEvent, OrcheoChatOptions, OrcheoChatToken } from 'orcheo-chat';

const chat = window.OrcheoChat;
const version: string = chat.version;

const options: OrcheoChatOptions = {
  backend: 'https://orcheo.example.com',
  workflow: 'support-bot',
  mode: 'inline',
  target: '#chat',
  theme: 'dark',
  accent: '#0f766e',
  radius: 'soft',
  prompts: ['What can you do?', { label: 'Pricing', prompt: 'How much does it cost?' }, { prompt: 'Hello!' }],
  metadata: { page: location.pathname },
  persist: 'local',
  preload: 'intent',
  images: ['https://cdn.example.com'],
  markdownImages: true,
};
chat.setOptions(options);
// @ts-expect-error: an option is its value, not null
chat.setOptions({ theme: null });
// @ts-expect-error: not a mode
chat.setOptions({ mode: 'sideways' });
// @ts-expect-error: a prompt needs what it sends
chat.setOptions({ prompts: [{ label: 'Pricing' }] });
chat.setOptions({ images: 'none' });
// @ts-expect-error: images are a mode or origins
chat.setOptions({ images: true });

window.orcheoChatConfig = { backend: 'https://orcheo.example.com', workflow: 'support-bot', open: true };

chat.setTokenProvider(async (): Promise<OrcheoChatToken> => {
  const response = await fetch('/api/chatkit-token', { method: 'POST' });
  return (await response.json()) as OrcheoChatToken;
});

const unsubscribe: () => void = chat.on('message', (message: OrcheoChatMessageEvent) => {
  const role: 'user' | 'assistant' = message.role;
  console.log(role, message.text, message.thread_id ?? 'new conversation');
});
unsubscribe();
chat.on('response.end', ({ thread_id, error }) => console.log(thread_id, error?.toUpperCase()));
chat.on('thread.load.end', ({ thread_id }) => console.log(thread_id.length));
chat.on('feedback', ({ kind }) => console.log(kind === 'positive'));
// @ts-expect-error: no such event
chat.on('reply', () => {});

chat.send('Hello').then(
  (reply: string) => console.log(reply.trim()),
  (error: OrcheoChatError) => console.log(error.code),
);
// @ts-expect-error: send takes text
chat.send({ text: 'Hello' });

chat.sendCustomAction({ type: 'approve', payload: { id: 7 } }, 'wdg_1');
chat.setWidgetActionHandler(async (action, item) => {
  if (action.type === 'open') location.assign(String(action.payload?.url ?? '/'));
  console.log(item.id);
});
chat.setClientToolHandler(({ name, params }) => (name === 'get_location' ? { city: 'Oslo', precise: params.precise } : {}));
chat.setClientToolHandler(null);
chat.on('widget.action', ({ action, item_id }) => console.log(action.type, item_id));
chat.on('client_tool.call', ({ name, params }) => console.log(name, Object.keys(params)));
// @ts-expect-error: a handler is a function
chat.setWidgetActionHandler('open');
chat.setThreadId(null);
chat.open();
chat.focusComposer();
addEventListener('orcheo-chat:ready', () => chat.showHistory());
chat.destroy();

export { version };
