//! Small helpers at the JavaScript boundary: console messages, the clock, randomness, and
//! listeners and timers that are owned and removed on drop (never `forget()`-ed).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, EventTarget};

/// `console.warn("orcheo-chat: …")`.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("orcheo-chat: {message}")));
}

/// `console.error("orcheo-chat: …")`.
pub fn error(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(&format!("orcheo-chat: {message}")));
}

/// Milliseconds since the epoch on the visitor's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// `n` random bytes from `crypto.getRandomValues`, or `Math.random` where that is missing.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

/// A readable message from a thrown JavaScript value.
pub fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

/// Whether a thrown value is the `AbortError` of an aborted fetch.
pub fn is_abort(value: &JsValue) -> bool {
    value.dyn_ref::<web_sys::DomException>().is_some_and(|error| error.name() == "AbortError")
}

/// An event listener that is removed when dropped.
pub struct Listener {
    target: EventTarget,
    name: &'static str,
    closure: Closure<dyn FnMut(Event)>,
}

impl Listener {
    /// Adds `handler` for `name` events on `target`.
    pub fn new(target: &EventTarget, name: &'static str, handler: impl FnMut(Event) + 'static) -> Self {
        let closure = Closure::<dyn FnMut(Event)>::new(handler);
        if let Err(err) = target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref()) {
            warn(&format!("could not listen for {name}: {}", describe(&err)));
        }
        Self { target: target.clone(), name, closure }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ =
            self.target.remove_event_listener_with_callback(self.name, self.closure.as_ref().unchecked_ref());
    }
}

/// A `setTimeout` that is cleared when dropped.
pub struct Timeout {
    id: Option<i32>,
    _closure: Closure<dyn FnMut()>,
}

impl Timeout {
    /// Runs `callback` once after `delay_ms`.
    pub fn new(delay_ms: i32, callback: impl FnMut() + 'static) -> Self {
        let closure = Closure::<dyn FnMut()>::new(callback);
        let id = web_sys::window().and_then(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    closure.as_ref().unchecked_ref(),
                    delay_ms,
                )
                .ok()
        });
        Self { id, _closure: closure }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let (Some(id), Some(window)) = (self.id, web_sys::window()) {
            window.clear_timeout_with_handle(id);
        }
    }
}
