//! The Leptos view: a launcher button and the chat panel (header, message log or conversation
//! list, composer), in the DOM and ARIA structure of the embed contract §3.
//!
//! Written for size (the size budget is the one hard gate): Leptos draws static markup, and
//! one effect, tracking the engine's one trigger, hands the root to [`screen::draw`], which
//! applies the state to the elements. A typed binding per attribute, a signal per field and a
//! closure per button would each add generic code to the wasm. Strings are read once per
//! mount (a new locale draws the view again); layout that depends on the mode is CSS keyed on
//! the host's `data-mode`.

use leptos::html;
use leptos::prelude::*;

use crate::i18n::{Locale, Text};
use crate::web::screen;

/// The whole widget, in the strings of `locale`; `changed` is notified when the state changes.
#[component]
pub fn App(
    /// The engine's change trigger.
    changed: ArcTrigger,
    /// The strings.
    locale: Locale,
) -> impl IntoView {
    let root = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        changed.track();
        if let Some(root) = root.get() {
            screen::draw(root.into());
        }
    });
    let t = |text: Text| locale.get(text).to_owned();
    let dir = if locale.rtl { "rtl" } else { "ltr" };
    view! {
        <div class="root" node_ref=root>
            <button class="launcher" part="launcher" type="button" data-ui="launcher" aria-controls="orcheo-chat-panel" aria-expanded="false" aria-label=t(Text::OpenChat)>
                <svg class="icon icon-chat" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.4 3.7A.6.6 0 0 1 4.6 19.2V16A2.5 2.5 0 0 1 4 14z"></path>
                </svg>
                <svg class="icon icon-close" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"></path>
                </svg>
                <span class="unread" hidden>
                    <span class="visually-hidden">{t(Text::Unread)}</span>
                </span>
            </button>
            <section id="orcheo-chat-panel" class="panel" part="panel" role="dialog" dir=dir lang=locale.lang.clone() hidden>
                <header class="header" part="header">
                    <button class="icon-button" type="button" data-ui="back" aria-label=t(Text::Back) hidden>
                        <svg class="icon flip" viewBox="0 0 24 24" aria-hidden="true">
                            <path d="M15.4 5 16.8 6.4 11.2 12l5.6 5.6-1.4 1.4-7-7z"></path>
                        </svg>
                    </button>
                    <h2 class="title"></h2>
                    <button class="icon-button" type="button" data-ui="list" aria-label=t(Text::Conversations)>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                            <path d="M4 5h16v2H4zm0 6h16v2H4zm0 6h10v2H4z"></path>
                        </svg>
                    </button>
                    <button class="icon-button" type="button" data-ui="new" aria-label=t(Text::NewConversation)>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                            <path d="M5 4h8v2H6v12h12v-7h2v8a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zm12.3-1.7 2.4 2.4-8.5 8.5-3 .6.6-3z"></path>
                        </svg>
                    </button>
                    <button class="icon-button close" type="button" data-ui="close" aria-label=t(Text::CloseChat)>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                            <path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"></path>
                        </svg>
                    </button>
                </header>
                <div class="log-area">
                    <div class="log" role="log" tabindex="0" aria-label=t(Text::Messages)>
                        <button class="older" type="button" data-action="older" hidden>{t(Text::LoadOlder)}</button>
                    </div>
                    <button class="jump" type="button" data-action="jump" hidden>{t(Text::JumpToLatest)}</button>
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
                    <textarea class="input" rows="1" aria-label=t(Text::MessageLabel)></textarea>
                    <button class="send" type="submit" aria-label=t(Text::Send) disabled>
                        <svg class="icon flip" viewBox="0 0 24 24" aria-hidden="true">
                            <path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"></path>
                        </svg>
                    </button>
                    <button class="send" type="button" data-ui="stop" aria-label=t(Text::Stop) hidden>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                            <rect x="6" y="6" width="12" height="12" rx="2"></rect>
                        </svg>
                    </button>
                </form>
            </section>
        </div>
    }
}
