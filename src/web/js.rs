//! Small helpers at the JavaScript boundary: console messages, the clock, randomness, what the
//! browser says about the connection, and listeners, timers, animation frames and idle
//! callbacks that are owned and cancelled on drop (never `forget()`-ed).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, EventTarget};

use crate::stage::NetworkHints;

/// `console.warn("orcheo-chat: …")`.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("orcheo-chat: {message}")));
}

/// `console.error("orcheo-chat: …")`.
pub fn error(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(&format!("orcheo-chat: {message}")));
}

/// Lets the page run before going on: resolves in a later task (a timer), so work done in
/// pieces with this between them never holds the main thread for long. In a hidden page, where
/// nobody waits for a frame and timers are slowed down, it resolves at once.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let visible =
            web_sys::window().and_then(|window| window.document()).is_some_and(|document| !document.hidden());
        let scheduled = visible
            && web_sys::window().is_some_and(|window| window.set_timeout_with_callback(&resolve).is_ok());
        if !scheduled {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
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
        .unwrap_or_else(|| "an unknown error".to_owned())
}

/// Whether a thrown value is the `AbortError` of an aborted fetch.
pub fn is_abort(value: &JsValue) -> bool {
    value.dyn_ref::<web_sys::DomException>().is_some_and(|error| error.name() == "AbortError")
}

/// A property of a JavaScript object, `undefined` when it is missing or the lookup throws.
pub fn property(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `navigator.connection`'s `saveData` and `effectiveType` (not every browser has them).
pub fn network_hints() -> NetworkHints {
    let Some(window) = web_sys::window() else { return NetworkHints::default() };
    let connection = property(&window.navigator(), "connection");
    NetworkHints {
        save_data: property(&connection, "saveData").is_truthy(),
        effective_type: property(&connection, "effectiveType").as_string(),
    }
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
        Self::boxed(target, name, Box::new(handler))
    }

    /// The body of [`Listener::new`], once for every handler type (a generic body would be
    /// compiled again for each).
    fn boxed(target: &EventTarget, name: &'static str, handler: Box<dyn FnMut(Event)>) -> Self {
        let closure = Closure::wrap(handler);
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

/// Calls `window[name](args...)`, returning what it returns (`undefined` where it is missing).
///
/// Timer handles are kept as the page gave them: a page (or a test's fake clock) may return
/// handles that do not fit the integers web-sys expects, and a handle truncated on the way in
/// would cancel nothing on the way out.
fn call_window(name: &str, args: &[&JsValue]) -> JsValue {
    let Some(window) = web_sys::window() else { return JsValue::UNDEFINED };
    let Ok(function) = property(&window, name).dyn_into::<js_sys::Function>() else {
        return JsValue::UNDEFINED;
    };
    let arguments: js_sys::Array = args.iter().copied().collect();
    function.apply(&window, &arguments).unwrap_or(JsValue::UNDEFINED)
}

/// A callback scheduled with `schedule`, cancelled with `cancel` when dropped.
struct Scheduled {
    handle: JsValue,
    cancel: &'static str,
    _closure: Closure<dyn FnMut()>,
}

impl Scheduled {
    fn new(
        schedule: &str,
        cancel: &'static str,
        extra: Option<&JsValue>,
        callback: impl FnMut() + 'static,
    ) -> Self {
        let closure = Closure::<dyn FnMut()>::new(callback);
        let function: &JsValue = closure.as_ref();
        let handle = match extra {
            Some(extra) => call_window(schedule, &[function, extra]),
            None => call_window(schedule, &[function]),
        };
        Self { handle, cancel, _closure: closure }
    }
}

impl Drop for Scheduled {
    fn drop(&mut self) {
        if !self.handle.is_undefined() {
            call_window(self.cancel, &[&self.handle]);
        }
    }
}

/// A `setTimeout` that is cleared when dropped.
pub struct Timeout {
    _scheduled: Scheduled,
}

impl Timeout {
    /// Runs `callback` once after `delay_ms`.
    pub fn new(delay_ms: u32, callback: impl FnMut() + 'static) -> Self {
        Self {
            _scheduled: Scheduled::new(
                "setTimeout",
                "clearTimeout",
                Some(&JsValue::from(delay_ms)),
                callback,
            ),
        }
    }
}

/// A `requestAnimationFrame` callback that is cancelled when dropped.
pub struct AnimationFrame {
    _scheduled: Scheduled,
}

impl AnimationFrame {
    /// Runs `callback` before the next paint.
    pub fn new(callback: impl FnMut() + 'static) -> Self {
        Self { _scheduled: Scheduled::new("requestAnimationFrame", "cancelAnimationFrame", None, callback) }
    }
}

/// A `requestIdleCallback` (a timeout where the browser has none) that is cancelled when
/// dropped.
pub struct Idle {
    _scheduled: Scheduled,
}

impl Idle {
    /// Runs `callback` once the browser is idle, or after `timeout_ms` at the latest.
    pub fn new(timeout_ms: u32, callback: impl FnMut() + 'static) -> Self {
        let has_idle =
            web_sys::window().is_some_and(|window| property(&window, "requestIdleCallback").is_function());
        if has_idle {
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &JsValue::from_str("timeout"), &JsValue::from(timeout_ms));
            Self {
                _scheduled: Scheduled::new(
                    "requestIdleCallback",
                    "cancelIdleCallback",
                    Some(&options),
                    callback,
                ),
            }
        } else {
            Self {
                _scheduled: Scheduled::new(
                    "setTimeout",
                    "clearTimeout",
                    Some(&JsValue::from(timeout_ms.min(1000))),
                    callback,
                ),
            }
        }
    }
}
