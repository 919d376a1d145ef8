// The entry of dist/orcheo-chat.js. scripts/lib/bundle.mjs fills in __VERSION__, __WASM__ and
// __LOCALES__, bundles this with the part of wasm-bindgen's glue it uses and the panel stage's
// chunk loader into one function scope (nothing but `OrcheoChat` reaches the page's globals),
// and minifies.
//
// The loader defines `window.OrcheoChat` at once (calls made before the wasm arrives are
// queued), fetches the launcher stage's wasm next to its own URL with its SRI hash, and mounts
// one widget. The panel stage's chunk is fetched later, when the widget asks for it
// (orcheo-chat-chunks.js). A second copy of the tag finds `OrcheoChat` already there and does
// nothing.

import init, { mount } from 'orcheo-chat-glue';
import { fetchFile, setBase } from 'orcheo-chat-chunks';

var script = document.currentScript || document.querySelector('script[src*="orcheo-chat"]');
var handlers = {};
var queue = [];
// setOptions() and setTokenProvider() calls made before the widget mounts are handed to mount.
var pendingOptions = {};
var pendingProvider;
var widget;
var destroyed = false;
var readyPromise;
var resolveReady;
var rejectReady;
// The launcher stage's wasm and the locale files shipped next to this script: [file, integrity].
var WASM = __WASM__;
var LOCALES = __LOCALES__;

function origin() {
  return location.origin && location.origin !== 'null' ? location.origin : '';
}

function emit(name, detail) {
  (handlers[name] || []).slice().forEach(function (handler) {
    try {
      handler(detail);
    } catch (error) {
      console.error('orcheo-chat: an "' + name + '" handler threw', error);
    }
  });
}

// Runs `call` now if the widget is up, else once it is.
function whenReady(call) {
  if (destroyed) return;
  if (widget) call();
  else queue.push(call);
}

function failure(code, message) {
  return Object.assign(new Error(message), { code: code });
}

// Settles send() calls made before the widget is up: rejected if it never comes up.
readyPromise = new Promise(function (resolve, reject) {
  resolveReady = resolve;
  rejectReady = reject;
});
// Nobody may be waiting: that is not an unhandled rejection.
readyPromise.catch(function () {});

var api = {
  version: '__VERSION__',
  open: function () {
    whenReady(function () { widget.open(); });
  },
  close: function () {
    whenReady(function () { widget.close(); });
  },
  toggle: function () {
    whenReady(function () { widget.toggle(); });
  },
  newThread: function () {
    whenReady(function () { widget.newThread(); });
  },
  setComposerValue: function (text) {
    whenReady(function () { widget.act('composer', String(text == null ? '' : text)); });
  },
  focusComposer: function () {
    whenReady(function () { widget.act('focus'); });
  },
  setThreadId: function (id) {
    whenReady(function () { widget.act('thread', id == null ? undefined : String(id)); });
  },
  showHistory: function () {
    whenReady(function () { widget.act('history', true); });
  },
  hideHistory: function () {
    whenReady(function () { widget.act('history', false); });
  },
  sendCustomAction: function (action, itemId) {
    whenReady(function () { widget.act('action', action, itemId == null ? undefined : String(itemId)); });
  },
  send: function (text) {
    if (destroyed) return Promise.reject(failure('destroyed', 'orcheo-chat was destroyed'));
    return readyPromise.then(function () {
      if (!widget) throw failure('destroyed', 'orcheo-chat was destroyed');
      return widget.send(String(text == null ? '' : text));
    });
  },
  setOptions: function (options) {
    if (!options || typeof options !== 'object') {
      console.warn('orcheo-chat: setOptions() needs an object of options');
      return;
    }
    if (destroyed) return;
    if (!widget) {
      Object.assign(pendingOptions, options);
    } else if ('locale' in options) {
      fetchLocale(options.locale).then(function (locale) {
        if (widget) widget.setOptions(options, origin(), locale);
      });
    } else {
      widget.setOptions(options, origin(), undefined);
    }
  },
  setTokenProvider: function (provider) {
    if (typeof provider !== 'function') {
      console.warn('orcheo-chat: setTokenProvider() needs a function returning {client_secret, expires_at}');
      return;
    }
    if (destroyed) return;
    if (widget) widget.setTokenProvider(provider);
    else pendingProvider = provider;
  },
  on: function (name, handler) {
    if (typeof handler !== 'function') return function () {};
    (handlers[name] = handlers[name] || []).push(handler);
    return function () {
      handlers[name] = (handlers[name] || []).filter(function (h) { return h !== handler; });
    };
  },
  destroy: function () {
    if (destroyed) return;
    destroyed = true;
    queue.length = 0;
    // Forgotten first, so that whatever destroy() sets off (a handler calling back, a promise
    // settling) finds no widget; freed a tick later, once nothing of it is on the stack.
    var gone = widget;
    widget = undefined;
    handlers = {};
    rejectReady(failure('destroyed', 'orcheo-chat was destroyed'));
    if (gone) {
      gone.destroy();
      // (free() throws only for an object already freed, which `destroyed` rules out.)
      Promise.resolve().then(function () { gone.free(); }).catch(function () {});
    }
  },
};
Object.defineProperty(api, '__orcheoChat', { value: true });
window.OrcheoChat = api;

var globalConfig = window.orcheoChatConfig && typeof window.orcheoChatConfig === 'object' ? window.orcheoChatConfig : {};
if (typeof globalConfig.tokenProvider === 'function') pendingProvider = globalConfig.tokenProvider;
var dataset = {};
if (script && script.dataset) {
  Object.keys(script.dataset).forEach(function (key) {
    dataset[key] = script.dataset[key];
  });
}
setBase(script && script.src ? script.src : location.href);

function fetchLocale(tag) {
  var file = LOCALES[String(tag || '').split(/[-_]/)[0].toLowerCase()];
  if (!file) return Promise.resolve(undefined);
  return fetchFile(file).then(function (response) {
    return response.ok ? response.json() : undefined;
  }).catch(function (error) {
    console.warn('orcheo-chat: could not load the "' + tag + '" strings; using English', error);
  });
}
function localeTag() {
  return pendingOptions.locale || dataset.locale || globalConfig.locale || navigator.language;
}
// Fetched alongside the wasm; fetched again at mount only if setOptions() changed it meanwhile.
var earlyTag = localeTag();
var earlyLocale = fetchLocale(earlyTag);
var loaded = init({ module_or_path: fetchFile(WASM) });
var domReady = document.readyState === 'loading'
  ? new Promise(function (resolve) { document.addEventListener('DOMContentLoaded', resolve, { once: true }); })
  : Promise.resolve();

Promise.all([loaded, domReady, earlyLocale]).then(function (results) {
  var tag = localeTag();
  return (tag === earlyTag ? Promise.resolve(results[2]) : fetchLocale(tag)).then(function (locale) {
    if (destroyed) return;
    widget = mount(globalConfig, dataset, pendingOptions, origin(), emit, pendingProvider, locale);
    if (!widget) {
      rejectReady(failure('config', 'orcheo-chat could not start on this page'));
      return;
    }
    resolveReady();
    queue.splice(0).forEach(function (call) {
      call();
    });
    emit('ready');
    window.dispatchEvent(new CustomEvent('orcheo-chat:ready'));
  });
}, function (error) {
  rejectReady(failure('network', 'orcheo-chat could not load'));
  console.error('orcheo-chat: could not load ' + WASM[0] + ' (a Content-Security-Policy needs script-src \'wasm-unsafe-eval\', and a cross-origin widget needs CORS on the .wasm)', error);
}).catch(function (error) {
  // mount() threw: waiting send() calls are refused, and the page goes on.
  rejectReady(failure('config', 'orcheo-chat could not start on this page'));
  console.error('orcheo-chat: could not start', error);
});
