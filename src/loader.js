// The entry of dist/orcheo-chat.js. scripts/lib/bundle.mjs fills in __VERSION__, __WASM_FILE__
// and __LOCALES__, bundles this with the part of wasm-bindgen's glue it uses into one function
// scope (nothing but `OrcheoChat` reaches the page's globals), and minifies.
//
// The loader defines `window.OrcheoChat` at once (calls made before the wasm arrives are
// queued), finds the content-hashed wasm next to its own URL, and mounts one widget. A second
// copy of the tag finds `OrcheoChat` already there and does nothing.

import init, { close, destroy, mount, new_thread, open, send, set_options, set_token_provider, toggle } from 'orcheo-chat-glue';

// Named imports let the bundler drop the glue the widget does not use.
var wasm_bindgen = { close, destroy, mount, new_thread, open, send, set_options, set_token_provider, toggle };

var script = document.currentScript || document.querySelector('script[src*="orcheo-chat"]');
var handlers = {};
var queue = [];
// setOptions() and setTokenProvider() calls made before the widget mounts are handed to mount.
var pendingOptions = {};
var pendingProvider;
var ready = false;
var destroyed = false;
var readyPromise;
var resolveReady;
// Locale files shipped next to this script, by primary language (English is built in).
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
  if (name === 'ready') {
    ready = true;
    resolveReady();
    queue.splice(0).forEach(function (call) {
      call();
    });
    window.dispatchEvent(new CustomEvent('orcheo-chat:ready', { detail: detail }));
  }
}

// Runs `call` now if the widget is up, else once it is.
function whenReady(call) {
  if (destroyed) return;
  if (ready) call();
  else queue.push(call);
}

readyPromise = new Promise(function (resolve) {
  resolveReady = resolve;
});

var api = {
  version: '__VERSION__',
  open: function () {
    whenReady(function () { wasm_bindgen.open(); });
  },
  close: function () {
    whenReady(function () { wasm_bindgen.close(); });
  },
  toggle: function () {
    whenReady(function () { wasm_bindgen.toggle(); });
  },
  newThread: function () {
    whenReady(function () { wasm_bindgen.new_thread(); });
  },
  send: function (text) {
    if (destroyed) return Promise.reject(Object.assign(new Error('orcheo-chat was destroyed'), { code: 'destroyed' }));
    return readyPromise.then(function () {
      return wasm_bindgen.send(String(text == null ? '' : text));
    });
  },
  setOptions: function (options) {
    if (!options || typeof options !== 'object') {
      console.warn('orcheo-chat: setOptions() needs an object of options');
      return;
    }
    if (destroyed) return;
    if (!ready) {
      Object.assign(pendingOptions, options);
    } else if ('locale' in options) {
      fetchLocale(options.locale).then(function (locale) {
        if (!destroyed) wasm_bindgen.set_options(options, origin(), locale);
      });
    } else {
      wasm_bindgen.set_options(options, origin(), undefined);
    }
  },
  setTokenProvider: function (provider) {
    if (typeof provider !== 'function') {
      console.warn('orcheo-chat: setTokenProvider() needs a function returning {client_secret, expires_at}');
      return;
    }
    if (destroyed) return;
    if (ready) wasm_bindgen.set_token_provider(provider);
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
    if (ready) wasm_bindgen.destroy();
    handlers = {};
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

var base = script && script.src ? script.src : location.href;
var wasmUrl = new URL('__WASM_FILE__', base);

function fetchLocale(tag) {
  var file = LOCALES[String(tag || '').split(/[-_]/)[0].toLowerCase()];
  if (!file) return Promise.resolve(undefined);
  return fetch(new URL(file, base)).then(function (response) {
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
var loaded = init({ module_or_path: wasmUrl });
var domReady = document.readyState === 'loading'
  ? new Promise(function (resolve) { document.addEventListener('DOMContentLoaded', resolve, { once: true }); })
  : Promise.resolve();

Promise.all([loaded, domReady, earlyLocale]).then(function (results) {
  var tag = localeTag();
  return (tag === earlyTag ? Promise.resolve(results[2]) : fetchLocale(tag)).then(function (locale) {
    if (!destroyed) wasm_bindgen.mount(globalConfig, dataset, pendingOptions, origin(), emit, pendingProvider, locale);
  });
}, function (error) {
  console.error('orcheo-chat: could not load ' + wasmUrl + ' (a Content-Security-Policy needs script-src \'wasm-unsafe-eval\', and a cross-origin widget needs CORS on the .wasm)', error);
});
