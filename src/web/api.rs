//! The functions the loader script calls: `mount` once, then the `window.OrcheoChat` methods.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::config::{Config, ConfigContext};
use crate::error::ChatError;
use crate::web::chat::Chat;
use crate::web::dom::Host;
use crate::web::js;
use crate::web::json::{self, BrowserJson};
use crate::web::view::App;

struct Mounted {
    host: Host,
    chat: Chat,
    /// Leptos' unmount handle: dropping it unmounts the view and removes its listeners.
    view: Box<dyn Any>,
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

/// Mounts the widget. Options apply in order: `global` (`window.orcheoChatConfig`), `dataset`
/// (the script tag's `data-*`), then `pending` (`setOptions` calls made before mounting).
/// `emit(name, detail)` delivers API events; `token_provider` is a `setTokenProvider` function
/// given before mounting.
#[wasm_bindgen]
pub fn mount(
    global: JsValue,
    dataset: JsValue,
    pending: JsValue,
    page_origin: &str,
    emit: js_sys::Function,
    token_provider: Option<js_sys::Function>,
) {
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
    let slot: std::rc::Rc<RefCell<Option<Chat>>> = std::rc::Rc::default();
    let view = {
        let slot = std::rc::Rc::clone(&slot);
        let emit = emit.clone();
        leptos::mount::mount_to(host.shadow.clone().unchecked_into(), move || {
            let chat = Chat::new(config, emit, token_provider);
            *slot.borrow_mut() = Some(chat);
            view! { <App chat=chat/> }
        })
    };
    let Some(chat) = slot.borrow_mut().take() else { return };
    MOUNTED.with(|mounted| *mounted.borrow_mut() = Some(Mounted { host, chat, view: Box::new(view) }));
    chat.connect();
    let _ = emit.call2(&JsValue::NULL, &JsValue::from_str("ready"), &JsValue::UNDEFINED);
}

fn with_chat<T>(action: impl FnOnce(Chat) -> T) -> Option<T> {
    let chat = MOUNTED.with(|mounted| mounted.borrow().as_ref().map(|m| m.chat))?;
    Some(action(chat))
}

/// Opens the panel.
#[wasm_bindgen]
pub fn open() {
    with_chat(|chat| chat.set_open(true));
}

/// Closes the panel.
#[wasm_bindgen]
pub fn close() {
    with_chat(|chat| chat.set_open(false));
}

/// Toggles the panel.
#[wasm_bindgen]
pub fn toggle() {
    with_chat(|chat| chat.set_open(!chat.open.get_untracked()));
}

/// Starts a fresh conversation.
#[wasm_bindgen]
pub fn new_thread() {
    with_chat(Chat::new_thread);
}

/// Sends a message; resolves with the reply text, or rejects with an `Error` whose `code` is
/// the backend's `detail.code` (or `network`, `aborted`, `busy`, `config`).
#[wasm_bindgen]
pub fn send(text: String) -> js_sys::Promise {
    let Some(chat) = with_chat(|chat| chat) else {
        return js_sys::Promise::reject(&api_error(
            &ChatError::misconfigured("not mounted"),
            "orcheo-chat is not mounted",
        ));
    };
    wasm_bindgen_futures::future_to_promise(async move {
        match chat.send(text).await {
            Ok(reply) => Ok(JsValue::from_str(&reply)),
            Err(error) => {
                let message = error
                    .server_message
                    .clone()
                    .unwrap_or_else(|| chat.strings().error(error.kind).to_owned());
                Err(api_error(&error, &message))
            }
        }
    })
}

fn api_error(error: &ChatError, message: &str) -> JsValue {
    let object = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&object, &JsValue::from_str("code"), &JsValue::from_str(&error.code));
    object.into()
}

/// Merges options into the current ones; a new backend, workflow, token URL or storage
/// reconnects.
#[wasm_bindgen]
pub fn set_options(options: JsValue, page_origin: &str) {
    let Some((host_changed, chat)) = MOUNTED.with(|mounted| {
        let mounted = mounted.borrow();
        let mounted = mounted.as_ref()?;
        let before = mounted.chat.config.get_untracked();
        let mut config = before.clone();
        configure(&mut config, &[&options], page_origin);
        mounted.host.apply(&config);
        config.mode = mounted.host.mode(&config);
        let reconnect =
            (&before.backend, &before.workflow, &before.token_url, before.persist, before.send_cookies)
                != (
                    &config.backend,
                    &config.workflow,
                    &config.token_url,
                    config.persist,
                    config.send_cookies,
                );
        mounted.chat.config.set(config);
        Some((reconnect, mounted.chat))
    }) else {
        return;
    };
    if host_changed {
        chat.connect();
    }
}

/// Switches to JWT mode with tokens from `provider` and reconnects.
#[wasm_bindgen]
pub fn set_token_provider(provider: js_sys::Function) {
    with_chat(|chat| chat.set_token_provider(provider));
}

/// Removes the widget, its listeners and timers.
#[wasm_bindgen]
pub fn destroy() {
    if let Some(mounted) = MOUNTED.with(|mounted| mounted.borrow_mut().take()) {
        mounted.chat.shutdown();
        drop(mounted.view);
        mounted.host.remove();
    }
}
