//! What the visitor's tabs share about a conversation: a Web Lock held while a reply streams
//! into it (so two tabs that send at the same moment take turns, and each question gets its own
//! answer), and a `BroadcastChannel` on which a tab says that a conversation changed (so a reply
//! that lands in one tab shows in the others).
//!
//! web-sys binds the Web Locks API only behind its unstable flag, so [`lock`] calls
//! `navigator.locks.request` through js-sys. Where the browser has no Web Locks (none of the
//! browsers this widget supports lacks them), turns are not serialised across tabs.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, BroadcastChannel, MessageEvent};

use crate::web::js;

/// A Web Lock held until dropped.
pub struct LockGuard {
    release: Function,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = self.release.call0(&JsValue::NULL);
    }
}

/// What asking for a lock gave.
pub enum Locked {
    /// The lock is held.
    Held(LockGuard),
    /// Another tab holds it (asked with `wait: false`).
    Busy,
    /// The browser has no Web Locks.
    Unsupported,
}

/// Asks for the Web Lock `name`: waits for it (`wait`), or gives up at once if another tab
/// holds it. `Err` when `signal` aborted the wait; any other refusal (a sandboxed frame's
/// opaque origin has no locks) is [`Locked::Unsupported`]: the turn goes without one.
pub async fn lock(name: &str, wait: bool, signal: Option<&AbortSignal>) -> Result<Locked, JsValue> {
    let Some(navigator) = web_sys::window().map(|window| window.navigator()) else {
        return Ok(Locked::Unsupported);
    };
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).unwrap_or(JsValue::UNDEFINED);
    let request =
        Reflect::get(&locks, &JsValue::from_str("request")).ok().and_then(|f| f.dyn_into::<Function>().ok());
    let Some(request) = request else { return Ok(Locked::Unsupported) };
    // `held` is what the lock's callback returns: the lock is held until it settles.
    let release = Rc::new(RefCell::new(None::<Function>));
    let slot = release.clone();
    let held = Promise::new(&mut |resolve, _| *slot.borrow_mut() = Some(resolve));
    let granted = Rc::new(RefCell::new(None::<Function>));
    let slot = granted.clone();
    let got = Promise::new(&mut |resolve, _| *slot.borrow_mut() = Some(resolve));
    let callback = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |lock: JsValue| {
        if let Some(grant) = granted.borrow_mut().take() {
            let _ = grant.call1(&JsValue::NULL, &JsValue::from_bool(!lock.is_null()));
        }
        if lock.is_null() {
            JsValue::UNDEFINED
        } else {
            held.clone().into()
        }
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &JsValue::from_str("ifAvailable"), &JsValue::from_bool(!wait));
    if let Some(signal) = signal.filter(|_| wait) {
        let _ = Reflect::set(&options, &JsValue::from_str("signal"), signal);
    }
    let Ok(requested) = request.call3(&locks, &JsValue::from_str(name), &options, callback.as_ref()) else {
        return Ok(Locked::Unsupported);
    };
    // Settles with the grant, or rejects when the request fails (aborted, or refused).
    let outcome = Promise::race(&js_sys::Array::of2(&got, &requested));
    let got = match JsFuture::from(outcome).await {
        Ok(got) => got,
        Err(error) if signal.is_some_and(AbortSignal::aborted) => return Err(error),
        Err(_) => return Ok(Locked::Unsupported),
    };
    // The callback has run (or never will): it can go.
    drop(callback);
    let release = release.borrow_mut().take();
    match (got.as_bool(), release) {
        (Some(true), Some(release)) => Ok(Locked::Held(LockGuard { release })),
        _ => Ok(Locked::Busy),
    }
}

/// The channel a workflow's tabs talk on, with its listener; closed when dropped.
pub struct Channel {
    channel: BroadcastChannel,
    _listener: js::Listener,
}

impl Channel {
    /// Opens the channel `name`; `on_change` gets the conversation id another tab names.
    pub fn open(name: &str, mut on_change: impl FnMut(String) + 'static) -> Option<Self> {
        let channel = BroadcastChannel::new(name).ok()?;
        let listener = js::Listener::new(&channel.clone().into(), "message", move |event| {
            let thread_id = event.dyn_ref::<MessageEvent>().and_then(|message| message.data().as_string());
            if let Some(thread_id) = thread_id {
                on_change(thread_id);
            }
        });
        Some(Self { channel, _listener: listener })
    }

    /// Tells the other tabs that this conversation changed.
    pub fn changed(&self, thread_id: &str) {
        let _ = self.channel.post_message(&JsValue::from_str(thread_id));
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.close();
    }
}
