//! The Leptos UI: a launcher button and the chat panel (header, message log, composer).
//! The DOM and ARIA structure follows the embed contract §3; tests and host pages rely on it.
//!
//! Written for size: every element always exists and reactive state toggles attributes
//! (`hidden`, `disabled`, `aria-*`) rather than creating and destroying subtrees, and the
//! locale's strings are read once per mount (a new locale remounts the view). Layout that
//! depends on the mode (bubble, inline, fullscreen) is CSS keyed on the host's `data-mode`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::Mode;
use crate::i18n::fill;
use crate::web::chat::{Chat, Status};
use crate::web::el;
use crate::web::messages::{MessageList, RenderContext};

/// The whole widget.
#[component]
pub fn App(
    /// The controller.
    chat: Chat,
) -> impl IntoView {
    let s = chat.strings();
    let open = chat.open;
    let floating = move || chat.config.with(|config| config.mode == Mode::Bubble);
    view! {
        <button
            class="launcher"
            part="launcher"
            type="button"
            aria-controls="orcheo-chat-panel"
            aria-expanded=move || if open.get() { "true" } else { "false" }
            aria-label=move || if open.get() { s.close_chat } else { s.open_chat }
            on:click=move |_| chat.set_open(!open.get_untracked())
        >
            <svg class="icon icon-chat" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.4 3.7A.6.6 0 0 1 4.6 19.2V16A2.5 2.5 0 0 1 4 14z"></path>
            </svg>
            <svg class="icon icon-close" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"></path>
            </svg>
            <span class="unread" hidden=move || !chat.unread.get() || open.get()>
                <span class="visually-hidden">{s.unread}</span>
            </span>
        </button>
        <section
            id="orcheo-chat-panel"
            class="panel"
            part="panel"
            role="dialog"
            aria-label=move || chat.title()
            hidden=move || floating() && !open.get()
            on:keydown=move |event: web_sys::KeyboardEvent| {
                if event.key() == "Escape" && floating() {
                    chat.set_open(false);
                }
            }
        >
            <header class="header" part="header">
                <h2 class="title">{move || chat.title()}</h2>
                <button class="icon-button" type="button" aria-label=s.new_conversation on:click=move |_| chat.new_thread()>
                    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M5 4h8v2H6v12h12v-7h2v8a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zm12.3-1.7 2.4 2.4-8.5 8.5-3 .6.6-3z"></path>
                    </svg>
                </button>
                <button class="icon-button close" type="button" aria-label=s.close_chat on:click=move |_| chat.set_open(false)>
                    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"></path>
                    </svg>
                </button>
            </header>
            <Messages chat=chat/>
            <Composer chat=chat/>
        </section>
    }
}

/// The message log: Leptos draws the container; [`MessageList`] keeps its articles in step
/// with the conversation.
#[component]
fn Messages(
    /// The controller.
    chat: Chat,
) -> impl IntoView {
    let s = chat.strings();
    let log = NodeRef::<leptos::html::Div>::new();
    let list = StoredValue::new_local(None::<MessageList>);
    Effect::new(move |_| {
        chat.version.track();
        // Retry waits while a turn runs or a rate limit cools down.
        let waiting = chat.busy() || chat.cooling_down.get();
        let Some(element) = log.get() else { return };
        let title = chat.title();
        list.update_value(|list| {
            let list = list.get_or_insert_with(|| MessageList::new(element.into()));
            chat.with_entries(|entries| list.update(entries, &RenderContext { strings: s, title: &title }));
            list.set_actions_disabled(waiting);
        });
    });
    let on_click = move |event: web_sys::MouseEvent| {
        let Some(button) = el::closest(event.target(), "[data-action]") else { return };
        if button.get_attribute("data-action").as_deref() == Some("retry") {
            if let Some(id) = button.get_attribute("data-entry") {
                chat.retry_entry(&id);
            }
        }
    };
    let blocked =
        move || chat.blocked.with(|error| error.as_ref().map(|e| s.error(e.kind)).unwrap_or_default());
    view! {
        <div class="log" role="log" aria-label=s.messages node_ref=log on:click=on_click></div>
        <p class="status" aria-hidden="true" hidden=move || !chat.busy()>
            {move || chat.turn.with(|turn| turn.as_ref().and_then(|t| t.label.clone())).unwrap_or_else(|| s.working.to_owned())}
        </p>
        <p class="blocked" role="alert" hidden=move || chat.status.get() != Status::Blocked>{blocked}</p>
        <p class="visually-hidden" aria-live="polite">{move || chat.announcement.get()}</p>
    }
}

/// The composer: a textarea, and Send (Stop while a reply runs).
#[component]
fn Composer(
    /// The controller.
    chat: Chat,
) -> impl IntoView {
    let s = chat.strings();
    let placeholder = move || {
        if chat.status.get() == Status::Unconfigured {
            return s.not_configured.to_owned();
        }
        chat.config
            .with(|config| config.placeholder.clone())
            .unwrap_or_else(|| fill(s.placeholder, &[("title", &chat.title())]))
    };
    let cannot_send = move || {
        chat.status.get() != Status::Ready
            || chat.cooling_down.get()
            || chat.draft.with(|draft| draft.trim().is_empty())
    };
    view! {
        <form
            class="composer"
            part="composer"
            on:submit=move |event| {
                event.prevent_default();
                chat.submit();
            }
        >
            <textarea
                class="input"
                rows="1"
                aria-label=s.message_label
                placeholder=placeholder
                disabled=move || matches!(chat.status.get(), Status::Unconfigured | Status::Blocked)
                prop:value=move || chat.draft.get()
                on:input=move |event| {
                    if let Some(area) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                        chat.draft.set(area.value());
                    }
                }
                on:keydown=move |event: web_sys::KeyboardEvent| {
                    // Enter sends; Shift+Enter is a newline; Enter while an IME composes is the IME's.
                    if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
                        event.prevent_default();
                        chat.submit();
                    }
                }
            ></textarea>
            <button class="send" type="submit" aria-label=s.send hidden=move || chat.busy() disabled=cannot_send>
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"></path>
                </svg>
            </button>
            <button class="send" type="button" aria-label=s.stop hidden=move || !chat.busy() on:click=move |_| chat.stop()>
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                    <rect x="6" y="6" width="12" height="12" rx="2"></rect>
                </svg>
            </button>
        </form>
    }
}
