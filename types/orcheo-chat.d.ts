// Type declarations for orcheo-chat: `window.OrcheoChat`, the options it takes (as
// `data-` attributes on the script tag, `window.orcheoChatConfig`, or `setOptions`), the events
// it emits and their payloads. The widget itself is one script tag; these types describe it for
// TypeScript pages that talk to it.
//
//   /// <reference types="orcheo-chat" />        (or: import type { OrcheoChatApi } from 'orcheo-chat')
//   window.OrcheoChat.send('Hello').then((reply) => console.log(reply));

/** How the widget sits on the page. */
export type OrcheoChatMode = 'bubble' | 'inline' | 'fullscreen';

/** A session token minted for one workflow, as Orcheo's `POST /api/chatkit/session` answers. */
export interface OrcheoChatToken {
  /** The JWT sent as `Authorization: Bearer …`. */
  client_secret: string;
  /** When it expires: an ISO 8601 date or epoch seconds. */
  expires_at: string | number;
}

/** Mints a session token (JWT mode driven by the page's own code). */
export type OrcheoChatTokenProvider = () => OrcheoChatToken | Promise<OrcheoChatToken>;

/** A start prompt: a button on the start screen that sends `prompt`. */
export interface OrcheoChatPrompt {
  /** What it sends. */
  prompt: string;
  /** What the button says (the prompt if absent). */
  label?: string;
}

/**
 * Every option. Each is also a `data-` attribute on the script tag (kebab-case: `tokenUrl` is
 * `data-token-url`), where booleans are `"true"`/`"false"` and lists and objects are JSON.
 * A bad value is one `console.warn` naming it; the default stays.
 */
export interface OrcheoChatOptions {
  /** Orcheo's base URL (`https://api.example.com`); the widget adds `/api/…`. */
  backend?: string;
  /** The workflow's UUID, its handle, or a share URL ending in either. */
  workflow?: string;
  /** Header title (default: the workflow's name from `/public`, else "Chat"). */
  title?: string;
  /** JWT mode: the endpoint that mints session tokens (`POST {"workflow_id": …}`). */
  tokenUrl?: string;
  /** `include` sends cookies (login-required workflows); default `include`. */
  credentials?: 'include' | 'omit';
  /** Opens the panel on load (default `false`). */
  open?: boolean;
  /** `bubble` (default), `inline` (fills `target`) or `fullscreen`. */
  mode?: OrcheoChatMode;
  /** CSS selector of the element an inline widget fills. */
  target?: string;
  /** Which corner the launcher sits in (default `right`). */
  position?: 'right' | 'left';
  /** Launcher distance from the corner's side, px (default 20). */
  offsetX?: number;
  /** Launcher distance from the bottom, px (default 20). */
  offsetY?: number;
  /** Stacking order of launcher and panel (default 2147483000). */
  zIndex?: number;
  /** `auto` (default) follows `prefers-color-scheme`. */
  theme?: 'light' | 'dark' | 'auto';
  /** Accent colour, any CSS colour (default `#4f46e5`). */
  accent?: string;
  /** Corner rounding (default `round`). */
  radius?: 'sharp' | 'soft' | 'round' | 'pill';
  /** A font-family stack; the widget never downloads fonts. */
  font?: string;
  /** A BCP 47 tag (`de`, `pt-BR`); default `navigator.language`, else English. */
  locale?: string;
  /** Start-screen greeting. */
  greeting?: string;
  /** Composer placeholder. */
  placeholder?: string;
  /** A line of markdown under the composer (terms, privacy). */
  disclaimer?: string;
  /** The model a new conversation starts with, if the workflow offers it. */
  model?: string;
  /** Start prompts (default: the workflow's own, from `/public`). */
  prompts?: Array<OrcheoChatPrompt | string>;
  /** Shows the conversation list (default `true`). */
  history?: boolean;
  /** Lets visitors attach text files, up to 5 MB each (default `false`). */
  attachments?: boolean;
  /** Where the conversation is kept across page loads (default `session`). */
  persist?: 'session' | 'local' | 'none';
  /** Merged into every request's `metadata`. */
  metadata?: Record<string, unknown>;
  /** When the panel stage loads (default `idle`). */
  preload?: 'idle' | 'intent' | 'none';
  /**
   * Which images widgets and generated images load: `https` (default: any `https:` image, and
   * `data:` images), `none` (each is its description and a link), or the origins allowed
   * (`https://cdn.example.com`, a list or one string separated by spaces or commas). Never with
   * the page's address or the visitor's cookies.
   */
  images?: 'https' | 'none' | string | string[];
  /** Lets images in replies load too, under `images` (default `false`: they are links). */
  markdownImages?: boolean;
}

/** `window.orcheoChatConfig`: options set before the script runs, plus a token provider. */
export interface OrcheoChatConfig extends OrcheoChatOptions {
  tokenProvider?: OrcheoChatTokenProvider;
}

/** Why a `send()` was refused or an `error` event fired. */
export interface OrcheoChatError extends Error {
  /**
   * Orcheo's `detail.code` (e.g. `chatkit.auth.not_published`, `chatkit.rate_limit.publish`) or
   * an in-stream error's code (`stream.error`), `http_<status>` when Orcheo gave none, or one of
   * the widget's: `network`, `interrupted`, `aborted`, `busy`, `token_unavailable`, `config`,
   * `destroyed`, `thread_closed`, `client_tool`.
   */
  code: string;
}

/** A finished user or assistant message. */
export interface OrcheoChatMessageEvent {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  thread_id: string | null;
}

/** A reply started or ended; `error` is the failure's code when it ended in one. */
export interface OrcheoChatResponseEvent {
  thread_id: string | null;
  error?: string;
}

/** The conversation now shown. `null`: a new one, not created yet. */
export interface OrcheoChatThreadEvent {
  thread_id: string | null;
}

/** A stored conversation's messages are being fetched, or have arrived (or could not be). */
export interface OrcheoChatThreadLoadEvent {
  thread_id: string;
}

/** The server's `client_effect`. */
export interface OrcheoChatEffectEvent {
  name: string;
  data: unknown;
}

/** Something went wrong (not the visitor's own Stop). */
export interface OrcheoChatErrorEvent {
  code: string;
  message: string;
}

/** The visitor gave a reply thumbs up (`positive`) or down (`negative`). */
export interface OrcheoChatFeedbackEvent {
  item_id: string;
  kind: 'positive' | 'negative';
  thread_id: string | null;
}

/** A widget action with `handler: "client"`: for the page, not the server. */
export interface OrcheoChatWidgetActionEvent {
  /** Its `type` and `payload` (with the values of the widget form it was fired in). */
  action: OrcheoChatAction;
  /** The widget item. */
  item_id: string | null;
}

/** The assistant asks the page to run a client tool. */
export interface OrcheoChatClientToolEvent {
  name: string;
  params: Record<string, unknown>;
  /** The `client_tool_call` item. */
  item_id: string;
}

/** Runs a widget's client action (ChatKit's `widgets.onAction`). */
export type OrcheoChatWidgetActionHandler = (action: OrcheoChatAction, item: { id: string | null }) => void | Promise<void>;

/**
 * Runs a client tool the assistant asked for (ChatKit's `onClientTool`: `{name, params}`, and
 * here the item's id too); what it returns (or resolves with) goes back to the assistant. A throw or a rejection tells the assistant the tool
 * failed.
 */
export type OrcheoChatClientToolHandler = (call: OrcheoChatClientToolEvent) => unknown | Promise<unknown>;

/** Each event and its payload. */
export interface OrcheoChatEvents {
  ready: undefined;
  open: null;
  close: null;
  message: OrcheoChatMessageEvent;
  'response.start': OrcheoChatResponseEvent;
  'response.end': OrcheoChatResponseEvent;
  'thread.change': OrcheoChatThreadEvent;
  'thread.load.start': OrcheoChatThreadLoadEvent;
  'thread.load.end': OrcheoChatThreadLoadEvent;
  effect: OrcheoChatEffectEvent;
  error: OrcheoChatErrorEvent;
  feedback: OrcheoChatFeedbackEvent;
  'widget.action': OrcheoChatWidgetActionEvent;
  'client_tool.call': OrcheoChatClientToolEvent;
}

/** A custom action, as ChatKit's `threads.custom_action` carries it. */
export interface OrcheoChatAction {
  type: string;
  payload?: Record<string, unknown>;
}

/** `window.OrcheoChat`. Calls made before the widget is up are queued. */
export interface OrcheoChatApi {
  /** The widget's version (the npm package's). */
  readonly version: string;
  open(): void;
  close(): void;
  toggle(): void;
  /** Sends a message; resolves with the reply's text, rejects with an {@link OrcheoChatError}. */
  send(text: string): Promise<string>;
  /** Starts a fresh conversation. */
  newThread(): void;
  /** Puts `text` in the composer without sending it. */
  setComposerValue(text: string): void;
  /** Opens the panel with focus in the composer. */
  focusComposer(): void;
  /** Opens that conversation (`null`: a new one). */
  setThreadId(id: string | null): void;
  showHistory(): void;
  hideHistory(): void;
  /** Sends `threads.custom_action` into the open conversation, for widget item `itemId`. */
  sendCustomAction(action: OrcheoChatAction, itemId?: string): void;
  /** Merges options; a new backend, workflow, token URL or storage reconnects. */
  setOptions(options: OrcheoChatOptions): void;
  /** JWT mode driven by the page: the widget asks `provider` for each token it needs. */
  setTokenProvider(provider: OrcheoChatTokenProvider): void;
  /** Sets (or, with `null`, removes) the page's handler of widgets' client actions. */
  setWidgetActionHandler(handler: OrcheoChatWidgetActionHandler | null): void;
  /** Sets (or, with `null`, removes) the page's handler of client tool calls. */
  setClientToolHandler(handler: OrcheoChatClientToolHandler | null): void;
  /** Subscribes to `event`; returns the function that unsubscribes. */
  on<E extends keyof OrcheoChatEvents>(event: E, handler: (payload: OrcheoChatEvents[E]) => void): () => void;
  /** Removes the widget, its listeners and timers, and stops a reply in flight. */
  destroy(): void;
}

declare global {
  interface Window {
    OrcheoChat: OrcheoChatApi;
    orcheoChatConfig?: OrcheoChatConfig;
  }
  interface WindowEventMap {
    'orcheo-chat:ready': Event;
  }
}
