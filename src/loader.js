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
//
// A wasm instance that traps (a RuntimeError, or a RangeError when its stack runs out) may
// have left its state half-changed, so it is never called again: every call into it goes
// through a guard (`guarded`), which catches the error, so that it never reaches the page's
// error handlers, and from then on returns at once. The widget is mounted again on a fresh
// instance (`runtime()` makes a new copy of the glue's state; the compiled module is reused)
// from what it persisted: the conversation, the draft, the open panel. A second failure
// within a minute leaves a plain "unavailable" notice instead.

import { runtime } from 'orcheo-chat-runtime';
import { fetchFile, precompileChunk, setAlongside, setBase } from 'orcheo-chat-chunks';

var script = document.currentScript || document.querySelector('script[src*="orcheo-chat"]');
var handlers = {};
var askers = {};
var queue = [];
// setOptions() and setTokenProvider() calls made before the widget mounts are handed to mount.
var pendingOptions = {};
var pendingProvider;
var widget;
// Mounted, its launcher not yet drawn (the next task draws it; calls wait until then).
var mounting;
var destroyed = false;
// The locale strings in use (remounting reuses them), the compiled launcher-stage module, and
// when the last instance failed.
var currentLocale;
var compiled;
var lastFailure = 0;
// send() calls the mounted widget is answering.
var sending = [];
// Failed twice: the notice shows, and every call is refused.
var broken = false;
var readyPromise;
var resolveReady;
var rejectReady;
// The launcher stage's wasm and the locale files shipped next to this script: [file, integrity].
// A locale file holds the launcher stage's strings and names the file of the panel stage's
// (`panel`, with its integrity): both in one would put the panel's in the first download.
var WASM = __WASM__;
var LOCALES = __LOCALES__;
// The panel stage's chunk has been fetched: a locale fetched from then on brings its strings.
var panelStrings = false;
// setOptions() calls that change the language, one after another.
var localeChanges = Promise.resolve();

function origin() {
  return location.origin && location.origin !== 'null' ? location.origin : '';
}

// Delivers an event to the on() handlers; for `widget.action` and `client_tool.call`, also asks the
// page's handler (setWidgetActionHandler, setClientToolHandler) and returns its answer as a
// promise (undefined when the page set none). `chunk` is the panel stage's, not an event.
function emit(name, detail) {
  // The panel stage asks for a stage's chunk to be fetched and compiled ahead of need.
  if (name === 'chunk') return precompileChunk(detail);
  (handlers[name] || []).slice().forEach(function (handler) {
    try {
      handler(detail);
    } catch (error) {
      console.error('orcheo-chat: an "' + name + '" handler threw', error);
    }
  });
  var ask = askers[name];
  if (ask) return Promise.resolve().then(function () { return ask(detail); });
}

// A guard for one wasm instance, given to the runtime that makes it: wraps the instance's
// exports (see the top of this file). `guard.dead` says whether the instance failed.
function guarded() {
  // Calls into the instance on the stack: a trap in a call made from inside another one
  // unwinds to the outermost, which is where it is caught (the frames between must not go on).
  var depth = 0;
  var guard = function (exports, module) {
    compiled = module;
    var wrap = function (fn) {
      return function () {
        if (guard.dead) return;
        depth += 1;
        try {
          return fn.apply(this, arguments);
        } catch (error) {
          if (depth > 1 || !(error instanceof WebAssembly.RuntimeError || error instanceof RangeError)) throw error;
          guard.dead = true;
          failed(error);
        } finally {
          depth -= 1;
        }
      };
    };
    var out = {};
    Object.keys(exports).forEach(function (name) {
      out[name] = typeof exports[name] === 'function' ? wrap(exports[name]) : exports[name];
    });
    // For the splitter's link module, which calls into the instance through its table.
    out.call = function (fn, a, b) { return wrap(fn)(a, b); };
    return out;
  };
  return guard;
}

// The instance failed: its widget goes, and a fresh one mounts (or, the second time in a
// minute, a notice says the chat is unavailable).
function failed(error) {
  var again = Date.now() - lastFailure < 60000;
  lastFailure = Date.now();
  widget = undefined;
  mounting = undefined;
  removeHosts();
  // A send() the failed instance was answering is refused (the message is in the conversation
  // or back in the composer of the new one).
  sending.splice(0).forEach(function (call) { call.fail(); });
  if (again) {
    console.error('orcheo-chat failed again and stopped; the page goes on without it', error);
    unavailable();
  } else {
    console.error('orcheo-chat failed and starts again', error);
    setTimeout(start);
  }
}

// Every <orcheo-chat> element on the page (there is one widget per page).
function removeHosts() {
  document.querySelectorAll('orcheo-chat').forEach(function (host) { host.remove(); });
}

// A plain notice in place of the widget, drawn without the wasm.
function unavailable() {
  broken = true;
  queue.splice(0).forEach(function (call) { if (call.fail) call.fail(); });
  // send() calls waiting for a first widget that never came are refused.
  rejectReady(failure('destroyed', 'orcheo-chat stopped'));
  var host = document.createElement('orcheo-chat');
  var shadow = host.attachShadow({ mode: 'open' });
  var note = document.createElement('p');
  note.setAttribute('role', 'status');
  note.textContent = (currentLocale && currentLocale.texts && currentLocale.texts.unavailable) || 'Chat is unavailable. Reload the page to try again.';
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync('p{position:fixed;right:20px;bottom:20px;z-index:2147483000;margin:0;max-width:280px;padding:12px 16px;border-radius:12px;background:#fff;color:#1a1a1a;font:14px/1.4 system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.2)}');
    shadow.adoptedStyleSheets = [sheet];
  } catch (error) {}
  shadow.appendChild(note);
  (document.body || document.documentElement).appendChild(host);
}

// Sets (a function) or clears (null) the page's handler for `name`.
function asker(name, handler, ask) {
  if (handler == null) delete askers[name];
  else if (typeof handler === 'function') askers[name] = ask;
  else console.warn('orcheo-chat: a handler must be a function or null');
}

// Removes a widget, then frees it a tick later, once nothing of it is on the stack. (free()
// throws only for an object already freed, which the callers rule out.)
function dispose(gone) {
  // (Scheduled first: freed even if destroy() throws.)
  Promise.resolve().then(function () { gone.free(); }).catch(function () {});
  gone.destroy();
}

// The mounted widget, drawn or not: options apply to it at once.
function live() {
  return widget || mounting;
}

// Runs `call` now if the widget is up, else once it is.
function whenReady(call) {
  if (destroyed || broken) return;
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
      return new Promise(function (resolve, reject) {
        var done = function (settle) {
          return function (value) {
            sending = sending.filter(function (other) { return other !== call; });
            settle(value);
          };
        };
        var call = function () {
          var sent = widget.send(String(text == null ? '' : text));
          if (!sent) return call.fail();
          sending.push(call);
          sent.then(done(resolve), done(reject));
        };
        call.fail = done(function () { reject(failure('destroyed', 'orcheo-chat stopped')); });
        if (broken || destroyed) call.fail();
        else whenReady(call);
      });
    });
  },
  setOptions: function (options) {
    if (!options || typeof options !== 'object') {
      console.warn('orcheo-chat: setOptions() needs an object of options');
      return;
    }
    if (destroyed) return;
    // Kept whole: a widget mounted again gets them all.
    Object.assign(pendingOptions, options);
    if (!live()) {
      return;
    } else if ('locale' in options) {
      // In call order, so that the last language asked for is the one that stays.
      localeChanges = localeChanges.then(function () {
        return fetchLocale(options.locale);
      }).then(function (locale) {
        currentLocale = locale;
        if (live()) live().setOptions(options, origin(), locale);
      }).catch(function (error) {
        console.error('orcheo-chat: could not change the language', error);
      });
    } else {
      live().setOptions(options, origin(), undefined);
    }
  },
  setTokenProvider: function (provider) {
    if (typeof provider !== 'function') {
      console.warn('orcheo-chat: setTokenProvider() needs a function returning {client_secret, expires_at}');
      return;
    }
    if (destroyed) return;
    pendingProvider = provider;
    if (live()) live().setTokenProvider(provider);
  },
  setWidgetActionHandler: function (handler) {
    asker('widget.action', handler, function (detail) { return handler(detail.action, { id: detail.item_id }); });
  },
  // Called with the event's detail: {name, params, item_id}.
  setClientToolHandler: function (handler) {
    asker('client_tool.call', handler, handler);
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
    // Waiting send() calls are refused (the widget itself rejects those it was answering).
    queue.splice(0).forEach(function (call) { if (call.fail) call.fail(); });
    // Forgotten first, so that whatever destroy() sets off (a handler calling back, a promise
    // settling) finds no widget; freed a tick later, once nothing of it is on the stack.
    var gone = widget || mounting;
    widget = undefined;
    mounting = undefined;
    handlers = {};
    askers = {};
    rejectReady(failure('destroyed', 'orcheo-chat was destroyed'));
    // The notice left by a second failure goes too.
    if (broken) removeHosts();
    if (gone) dispose(gone);
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

function fetchJson(file) {
  return fetchFile(file).then(function (response) {
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.json();
  });
}
function couldNotLoad(tag) {
  return function (error) {
    console.warn('orcheo-chat: could not load the "' + tag + '" strings; using English', error);
  };
}
// A locale's strings (the panel stage's too once its chunk has been fetched), or undefined for
// English.
function fetchLocale(tag) {
  var file = LOCALES[String(tag || '').split(/[-_]/)[0].toLowerCase()];
  if (!file) return Promise.resolve(undefined);
  return fetchJson(file).then(addPanelStrings).catch(couldNotLoad(tag));
}
// Merges the panel stage's strings into a locale (in place; `panel` is 0 once they are in), once
// the panel stage's chunk has been fetched. If they fail, the panel's strings stay English.
function addPanelStrings(locale) {
  return panelStrings && locale.panel ? fetchJson(locale.panel).then(function (panel) {
    Object.assign(locale.texts, panel.texts);
    locale.panel = 0;
  }, couldNotLoad(locale.lang)).then(function () {
    return locale;
  }) : locale;
}
// The panel stage's strings are fetched alongside its chunk, which starts once they are in.
setAlongside(function (name) {
  var locale = currentLocale;
  if (name !== 'split_panel.wasm') return;
  panelStrings = true;
  if (!locale || !locale.panel) return;
  return addPanelStrings(locale).then(function () {
    // Not if setOptions() changed the language meanwhile (its fetch brings them itself).
    if (!locale.panel && currentLocale === locale && live()) live().setOptions({}, origin(), locale);
  });
});
function localeTag() {
  return pendingOptions.locale || dataset.locale || globalConfig.locale || navigator.language;
}
// Fetched alongside the wasm; fetched again at mount only if setOptions() changed it meanwhile.
var earlyTag = localeTag();
var earlyLocale = fetchLocale(earlyTag);
var guard = guarded();
var instance = runtime(guard);
var loaded = instance.init({ module_or_path: fetchFile(WASM) });
var domReady = document.readyState === 'loading'
  ? new Promise(function (resolve) { document.addEventListener('DOMContentLoaded', resolve, { once: true }); })
  : Promise.resolve();

Promise.all([loaded, domReady, earlyLocale]).then(function (results) {
  var tag = localeTag();
  return (tag === earlyTag ? Promise.resolve(results[2]) : fetchLocale(tag)).then(function (locale) {
    if (destroyed) return;
    currentLocale = locale;
    up(instance, guard);
  });
}, function (error) {
  rejectReady(failure('network', 'orcheo-chat could not load'));
  console.error('orcheo-chat: could not load ' + WASM[0] + ' (a Content-Security-Policy needs script-src \'wasm-unsafe-eval\', and a cross-origin widget needs CORS on the .wasm)', error);
}).catch(function (error) {
  // mount() threw: waiting send() calls are refused, and the page goes on.
  rejectReady(failure('config', 'orcheo-chat could not start on this page'));
  console.error('orcheo-chat: could not start', error);
});

// Mounts the widget on `from`: reads its options now, then makes and draws it one step per
// task (all in one task would be one long task on a slow phone), then runs the calls that
// waited for it and announces it. A trap on the way mounts again (see `failed`); any other
// error leaves the page as it was, with one console message.
function up(from, guard) {
  var mounted = from.mount(globalConfig, dataset, pendingOptions, origin(), emit, pendingProvider, currentLocale);
  if (guard.dead) return;
  mounting = mounted;
  var giveUp = function (error) {
    mounting = undefined;
    try {
      dispose(mounted);
    } catch (ignored) {}
    rejectReady(failure('config', 'orcheo-chat could not start on this page'));
    if (error) console.error('orcheo-chat: could not start', error);
  };
  var step = function () {
    // Destroyed, or failed, meanwhile.
    if (mounting !== mounted) return;
    var more;
    try {
      more = mounted.draw();
    } catch (error) {
      return giveUp(error);
    }
    if (guard.dead || mounting !== mounted) return;
    if (more) return setTimeout(step);
    // (Nowhere to mount: the console said why.)
    if (more === undefined) return giveUp();
    mounting = undefined;
    widget = mounted;
    resolveReady();
    // A call that makes the instance fail leaves the rest for the next one.
    queue.splice(0).forEach(function (call) {
      if (!widget) return queue.push(call);
      try {
        call();
      } catch (error) {
        console.error('orcheo-chat: a call made before the widget was up failed', error);
      }
    });
    if (widget) announce();
  };
  setTimeout(step);
}

// `ready` (and `orcheo-chat:ready` on window), once: when the first instance is drawn, or the
// one that replaced it after a trap.
var announced = false;
function announce() {
  if (announced) return;
  announced = true;
  emit('ready');
  window.dispatchEvent(new CustomEvent('orcheo-chat:ready'));
}

// Mounts again on a fresh instance of the compiled module.
function start() {
  if (destroyed || broken) return;
  var guard = guarded();
  var fresh = runtime(guard);
  fresh.init({ module_or_path: compiled }).then(function () {
    if (!destroyed) up(fresh, guard);
  }).catch(function (error) {
    console.error('orcheo-chat: could not start again', error);
    unavailable();
  });
}
