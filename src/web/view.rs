//! The Leptos view: a launcher button and the chat panel (header, message log or conversation
//! list, composer), in the DOM and ARIA structure of the embed contract §3.
//!
//! Written for size (the size budget is the one hard gate). The markup is static, so Leptos
//! builds it from one HTML template; one effect, tracking the engine's one trigger, hands the
//! root to [`screen::draw`], which applies the state and the locale's strings (`data-text`
//! names the string of an element or attribute). A typed binding per attribute, a signal per
//! field and a closure per button would each add generic code to the wasm. Layout that depends
//! on the mode is CSS keyed on the host's `data-mode`.

use leptos::prelude::*;
use web_sys::ShadowRoot;

use crate::web::screen;

/// The whole widget, drawn into `shadow`; `changed` is notified when the state changes.
#[component]
pub fn App(
    /// The engine's change trigger.
    changed: ArcTrigger,
    /// Where the view is mounted. The effect finds the view's root there: it first runs as a
    /// task, after mounting (a node ref would add a signal and thread checks for the same).
    shadow: ShadowRoot,
) -> impl IntoView {
    Effect::new(move |_| {
        changed.track();
        if let Some(root) = shadow.first_element_child() {
            screen::draw(root);
        }
    });
    // Icon paths are 24×24; `data-label` names the string for `aria-label`, `data-text` the
    // string for the text.
    view! {
        <div class="root">
            <button class="launcher" part="launcher" type="button" data-ui="launcher" aria-controls="orcheo-chat-panel" aria-expanded="false">
                <svg class="icon icon-chat" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.4 3.7A.6.6 0 0 1 4.6 19.2V16A2.5 2.5 0 0 1 4 14z"></path></svg>
                <svg class="icon icon-close" viewBox="0 0 24 24" aria-hidden="true"><path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"></path></svg>
                <span class="unread" hidden><span class="visually-hidden" data-text="unread"></span></span>
            </button>
            <section id="orcheo-chat-panel" class="panel" part="panel" role="dialog" hidden>
                <header class="header" part="header">
                    <button class="icon-button" type="button" data-ui="back" data-label="back" hidden>
                        <svg class="icon flip" viewBox="0 0 24 24" aria-hidden="true"><path d="M15.4 5 16.8 6.4 11.2 12l5.6 5.6-1.4 1.4-7-7z"></path></svg>
                    </button>
                    <h2 class="title"></h2>
                    <button class="icon-button" type="button" data-ui="list" data-label="conversations">
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 5h16v2H4zm0 6h16v2H4zm0 6h10v2H4z"></path></svg>
                    </button>
                    <button class="icon-button" type="button" data-ui="new" data-label="new_conversation">
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M5 4h8v2H6v12h12v-7h2v8a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zm12.3-1.7 2.4 2.4-8.5 8.5-3 .6.6-3z"></path></svg>
                    </button>
                    <button class="icon-button close" type="button" data-ui="close" data-label="close_chat">
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"></path></svg>
                    </button>
                </header>
                <div class="log-area">
                    <div class="log" role="log" tabindex="0" data-label="messages"></div>
                    <button class="jump" type="button" data-action="jump" data-text="jump_to_latest" hidden></button>
                    <div class="status" hidden>
                        <span class="dots" aria-hidden="true"><span></span><span></span><span></span></span>
                        <span class="status-text"></span>
                    </div>
                    <p class="blocked" role="alert" hidden></p>
                    <p class="visually-hidden" aria-live="polite"></p>
                </div>
                <div class="history" hidden>
                    <ul></ul>
                </div>
                <form class="composer" part="composer">
                    <ul class="files" hidden></ul>
                    <button class="icon-button attach" type="button" data-ui="attach" data-label="attach" hidden>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z"></path></svg>
                    </button>
                    <input class="file-input" type="file" multiple accept=".txt,.md,.json,.csv,.log,text/plain,text/markdown,application/json,text/csv" tabindex="-1" aria-hidden="true" hidden/>
                    <textarea class="input" rows="1" data-label="message_label"></textarea>
                    <button class="send" type="submit" data-label="send" disabled>
                        <svg class="icon flip" viewBox="0 0 24 24" aria-hidden="true"><path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"></path></svg>
                    </button>
                    <button class="send" type="button" data-ui="stop" data-label="stop" hidden>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M8 6h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2z"></path></svg>
                    </button>
                </form>
            </section>
        </div>
    }
}
