//! The functions the loader script calls: `mount` once, then the `window.OrcheoChat` methods.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::config::Config;
use crate::web::dom::Host;
use crate::web::view::{App, Ui};
use crate::web::{js, json};

struct Mounted {
    host: Host,
    ui: Ui,
    /// Leptos' unmount handle: dropping it unmounts the view and its listeners.
    view: Box<dyn Any>,
}

thread_local! {
    static MOUNTED: RefCell<Option<Mounted>> = const { RefCell::new(None) };
}

/// Applies option objects in order (`window.orcheoChatConfig`, then the script tag's
/// `dataset`), warning once per bad value.
fn configure(config: &mut Config, sources: &[&JsValue], page_origin: &str) {
    for source in sources {
        if let Value::Object(options) = json::to_value(source) {
            for warning in
                config.apply_all(options.iter().map(|(key, value)| (key.as_str(), value)), page_origin)
            {
                js::warn(&warning.0);
            }
        }
    }
}

/// Mounts the widget. `global` is `window.orcheoChatConfig` and `dataset` the script tag's
/// `dataset`; `emit(name, detail)` delivers API events.
#[wasm_bindgen]
pub fn mount(global: JsValue, dataset: JsValue, page_origin: &str, emit: js_sys::Function) {
    console_error_panic_hook::set_once();
    if MOUNTED.with(|mounted| mounted.borrow().is_some()) {
        return;
    }
    let mut config = Config::default();
    configure(&mut config, &[&global, &dataset], page_origin);
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let host = match Host::create(&document, &config) {
        Ok(host) => host,
        Err(message) => {
            js::error(&format!("could not mount: {message}"));
            return;
        }
    };
    let ui = Ui { config: RwSignal::new(config.clone()), open: RwSignal::new(config.open) };
    let view = leptos::mount::mount_to(host.shadow.clone().unchecked_into(), move || view! { <App ui=ui/> });
    MOUNTED.with(|mounted| *mounted.borrow_mut() = Some(Mounted { host, ui, view: Box::new(view) }));
    let _ = emit.call2(&JsValue::NULL, &JsValue::from_str("ready"), &JsValue::UNDEFINED);
}

fn with_ui(action: impl FnOnce(Ui)) {
    if let Some(ui) = MOUNTED.with(|mounted| mounted.borrow().as_ref().map(|m| m.ui)) {
        action(ui);
    }
}

/// Opens the panel.
#[wasm_bindgen]
pub fn open() {
    with_ui(|ui| ui.open.set(true));
}

/// Closes the panel.
#[wasm_bindgen]
pub fn close() {
    with_ui(|ui| ui.open.set(false));
}

/// Toggles the panel.
#[wasm_bindgen]
pub fn toggle() {
    with_ui(|ui| ui.open.update(|open| *open = !*open));
}

/// Merges options into the current ones.
#[wasm_bindgen]
pub fn set_options(options: JsValue, page_origin: &str) {
    MOUNTED.with(|mounted| {
        if let Some(mounted) = mounted.borrow().as_ref() {
            let mut config = mounted.ui.config.get_untracked();
            configure(&mut config, &[&options], page_origin);
            mounted.host.apply(&config);
            mounted.ui.config.set(config);
        }
    });
}

/// Removes the widget, its listeners and timers.
#[wasm_bindgen]
pub fn destroy() {
    if let Some(mounted) = MOUNTED.with(|mounted| mounted.borrow_mut().take()) {
        drop(mounted.view);
        mounted.host.remove();
    }
}
