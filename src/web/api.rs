//! The functions the loader script calls: `mount` once, then the `window.OrcheoChat` methods.

use std::any::Any;
use std::cell::RefCell;

use any_spawner::Executor;
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::config::{Config, ConfigContext};
use crate::error::ChatError;
use crate::i18n::Locale;
use crate::web::chat;
use crate::web::dom::Host;
use crate::web::js::{self, Listener};
use crate::web::json::{self, BrowserJson};
use crate::web::screen;
use crate::web::view::App;

struct Mounted {
    host: Host,
    /// Leptos' unmount handle: dropping it unmounts the view and disposes its effect.
    view: Option<Box<dyn Any>>,
    /// Keeps the panel above the on-screen keyboard (visual viewport `resize`/`scroll`).
    viewport: Vec<Listener>,
}

thread_local! {
    static MOUNTED: RefCell<Option<Mounted>> = const { RefCell::new(None) };
}

/// Applies option objects in order, warning once per bad value.
fn configure(config: &mut Config, sources: &[&JsValue], page_origin: &str) {
    let context = ConfigContext { page_origin, json: &BrowserJson };
    for source in sources {
        if let Value::Object(options) = json::to_value(source) {
            for warning in
                config.apply_all(options.iter().map(|(key, value)| (key.as_str(), value)), &context)
            {
                js::warn(&warning.0);
            }
        }
    }
}

/// Draws the view into the host's shadow root.
fn render(host: &Host) -> Option<Box<dyn Any>> {
    let changed = chat::trigger()?;
    let shadow = host.shadow.clone();
    let root = host.shadow.clone().unchecked_into();
    Some(Box::new(leptos::mount::mount_to(root, move || view! { <App changed=changed shadow=shadow/> })))
}

/// Mounts the widget. Options apply in order: `global` (`window.orcheoChatConfig`), `dataset`
/// (the script tag's `data-*`), then `pending` (`setOptions` calls made before mounting).
/// `emit(name, detail)` delivers API events; `token_provider` is a `setTokenProvider` function
/// given before mounting; `locale` is the locale file the loader fetched (or undefined).
#[wasm_bindgen]
pub fn mount(
    global: JsValue,
    dataset: JsValue,
    pending: JsValue,
    page_origin: &str,
    emit: js_sys::Function,
    token_provider: Option<js_sys::Function>,
    locale: JsValue,
) {
    // The shipped build aborts on panic without a message (see scripts/build); debug builds,
    // used by the tests, print one.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    if MOUNTED.with(|mounted| mounted.borrow().is_some()) {
        return;
    }
    let mut config = Config::default();
    configure(&mut config, &[&global, &dataset, &pending], page_origin);
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let host = match Host::create(&document, &config) {
        Ok(host) => host,
        Err(message) => {
            js::error(&format!("could not mount: {message}"));
            return;
        }
    };
    config.mode = host.mode(&config);
    let locale = Locale::from_json(&json::to_value(&locale)).unwrap_or_default();
    // The executor runs the view's effect and the controller's tasks.
    let _ = Executor::init_wasm_bindgen();
    chat::start(config, emit, token_provider, locale);
    let view = render(&host);
    let viewport = watch_viewport();
    MOUNTED.with(|mounted| *mounted.borrow_mut() = Some(Mounted { host, view, viewport }));
    // `ready` goes out when the first connection attempt has finished.
    chat::connect();
}

/// Keeps the panel's height equal to the visual viewport's, so on phones the composer stays
/// above the on-screen keyboard.
fn watch_viewport() -> Vec<Listener> {
    let Some(viewport) = web_sys::window().and_then(|window| window.visual_viewport()) else {
        return Vec::new();
    };
    let target: web_sys::EventTarget = viewport.clone().into();
    let update = move |_| {
        MOUNTED.with(|mounted| {
            if let Some(mounted) = mounted.borrow().as_ref() {
                mounted.host.set_viewport(viewport.height() as i32, viewport.offset_top() as i32);
            }
        });
    };
    vec![Listener::new(&target, "resize", update.clone()), Listener::new(&target, "scroll", update)]
}

fn is_mounted() -> bool {
    MOUNTED.with(|mounted| mounted.borrow().is_some())
}

/// Opens the panel.
#[wasm_bindgen]
pub fn open() {
    chat::set_open(true);
}

/// Closes the panel.
#[wasm_bindgen]
pub fn close() {
    chat::set_open(false);
}

/// Toggles the panel.
#[wasm_bindgen]
pub fn toggle() {
    chat::toggle();
}

/// Starts a fresh conversation.
#[wasm_bindgen]
pub fn new_thread() {
    if is_mounted() {
        chat::new_thread();
    }
}

/// Sends a message; resolves with the reply text, or rejects with an `Error` whose `code` is
/// the backend's `detail.code` (or `network`, `aborted`, `busy`, `config`).
#[wasm_bindgen]
pub fn send(text: String) -> js_sys::Promise {
    let reply = chat::send(text);
    wasm_bindgen_futures::future_to_promise(async move {
        match reply.await {
            Ok(reply) => Ok(JsValue::from_str(&reply)),
            Err(error) => Err(api_error(&error, &chat::error_text(&error))),
        }
    })
}

fn api_error(error: &ChatError, message: &str) -> JsValue {
    let object = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&object, &JsValue::from_str("code"), &JsValue::from_str(&error.code));
    object.into()
}

/// Merges options into the current ones; a new backend, workflow, token URL or storage
/// reconnects. `locale` is the locale file for a new `locale` option (or undefined).
#[wasm_bindgen]
pub fn set_options(options: JsValue, page_origin: &str, locale: JsValue) {
    let Some(before) = chat::config() else { return };
    let mut config = before.clone();
    configure(&mut config, &[&options], page_origin);
    let relocalise = before.locale != config.locale;
    let reconnect =
        (&before.backend, &before.workflow, &before.token_url, before.persist, before.send_cookies)
            != (&config.backend, &config.workflow, &config.token_url, config.persist, config.send_cookies);
    MOUNTED.with(|mounted| {
        let mut mounted = mounted.borrow_mut();
        let Some(mounted) = mounted.as_mut() else { return };
        mounted.host.apply(&config);
        config.mode = mounted.host.mode(&config);
        chat::set_config(config);
        if relocalise {
            chat::set_locale(Locale::from_json(&json::to_value(&locale)).unwrap_or_default());
        }
    });
    if reconnect {
        chat::connect();
    }
}

/// Switches to JWT mode with tokens from `provider` and reconnects.
#[wasm_bindgen]
pub fn set_token_provider(provider: js_sys::Function) {
    if is_mounted() {
        chat::set_token_provider(provider);
    }
}

/// Removes the widget, its listeners and timers.
#[wasm_bindgen]
pub fn destroy() {
    if let Some(mounted) = MOUNTED.with(|mounted| mounted.borrow_mut().take()) {
        chat::shutdown();
        let Mounted { host, view, viewport } = mounted;
        drop(viewport);
        drop(view);
        screen::clear();
        host.remove();
    }
}
