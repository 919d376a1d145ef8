//! The launcher stage's view: the launcher button and the panel's frame, in the DOM and ARIA
//! structure of the embed contract §3.
//!
//! The frame is what the panel looks like until the panel stage has mounted into it: the
//! header with the title and Close, a loading line (or, if the stage failed to load, a sentence
//! and Retry), and a text box the visitor can already type into. The panel stage mounts its own
//! header, log and composer into `.panel-mount` and the frame goes.
//!
//! Trusted Types: Leptos builds a fully static subtree of a `view!` from an HTML string (through
//! `innerHTML`, which a page that requires Trusted Types refuses). No subtree here is fully
//! static: each element carries a reactive value or a value from a constant (`TRUE`, the icon
//! paths), which makes Leptos create it node by node.

use leptos::prelude::*;

use crate::config::Mode;
use crate::i18n::{fill, Text};
use crate::stage::Trigger;
use crate::web::shell::Shell;

/// `"true"`, for ARIA attributes (a constant, not a literal: see the module docs).
pub const TRUE: &str = "true";

/// Whether a key press in a text box sends the message: Enter, but not Shift+Enter (a
/// newline) nor Enter while an input method composes (it is the IME's).
pub fn sends_message(event: &web_sys::KeyboardEvent) -> bool {
    event.key() == "Enter" && !event.shift_key() && !event.is_composing() && event.key_code() != 229
}

/// Icon paths, 24×24.
pub mod icons {
    /// A speech bubble.
    pub const CHAT: &str = "M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.4 3.7A.6.6 0 0 1 4.6 19.2V16A2.5 2.5 0 0 1 4 14z";
    /// A cross.
    pub const CLOSE: &str =
        "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z";
    /// A chevron pointing back.
    pub const BACK: &str = "M15.4 5 16.8 6.4 11.2 12l5.6 5.6-1.4 1.4-7-7z";
    /// Three lines.
    pub const LIST: &str = "M4 5h16v2H4zm0 6h16v2H4zm0 6h10v2H4z";
    /// A pencil on a page.
    pub const NEW: &str = "M5 4h8v2H6v12h12v-7h2v8a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zm12.3-1.7 2.4 2.4-8.5 8.5-3 .6.6-3z";
    /// A paper clip.
    pub const ATTACH: &str = "M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z";
    /// A paper plane.
    pub const SEND: &str = "M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z";
    /// A square.
    pub const STOP: &str = "M8 6h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2z";
    /// A thumb up (drawn upside down for thumbs down).
    pub const THUMB: &str = "M2 10h4v11H2zm6 11h9.3a2 2 0 0 0 2-1.6l1.6-7.5A2 2 0 0 0 19 9.5h-5.3l.8-4.1A1.8 1.8 0 0 0 12.8 3L8 9.4z";
    /// Two sheets.
    pub const COPY: &str = "M8 3h9a2 2 0 0 1 2 2v11h-2V5H8zM5 7h9a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V9a2 2 0 0 1 2-2zm0 2v10h9V9z";
}

/// A decorative 24×24 icon.
#[component]
pub fn Icon(
    /// The path's `d`.
    path: &'static str,
    /// Extra classes after `icon`.
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let class = if class.is_empty() { "icon" } else { class };
    view! {
        <svg class=class viewBox="0 0 24 24" aria-hidden=TRUE>
            <path d=path></path>
        </svg>
    }
}

/// The whole launcher stage: the launcher and the panel (the frame until the panel stage is
/// mounted, then the panel stage inside it).
#[component]
pub fn Root(
    /// The launcher stage's state.
    shell: Shell,
) -> impl IntoView {
    let s = shell;
    let floating = move || s.mode() == Mode::Bubble;
    let ready = move || s.ready.get();
    view! {
        <div class="root">
            <button
                class="launcher"
                part="launcher"
                type="button"
                node_ref=s.refs.launcher
                aria-controls="orcheo-chat-panel"
                aria-expanded=move || if s.open.get() { "true" } else { "false" }
                aria-label=move || s.text(if s.open.get() { Text::CloseChat } else { Text::OpenChat })
                on:click=move |_| s.toggle()
                on:pointerenter=move |_| s.want_panel(Trigger::Intent)
                on:pointerdown=move |_| s.want_panel(Trigger::Intent)
                on:focus=move |_| s.want_panel(Trigger::Intent)
            >
                <Icon path=icons::CHAT class="icon icon-chat"/>
                <Icon path=icons::CLOSE class="icon icon-close"/>
                <span class="unread" hidden=move || s.open.get() || !s.unread.get()>
                    <span class="visually-hidden">{move || s.text(Text::Unread)}</span>
                </span>
            </button>
            <section
                id="orcheo-chat-panel"
                class="panel"
                part="panel"
                role="dialog"
                tabindex="-1"
                hidden=move || floating() && !s.open.get()
                aria-label=move || s.title()
                aria-busy=move || (!ready()).then_some(TRUE)
                lang=move || s.settings.with(|settings| settings.locale.lang.clone())
                dir=move || if s.settings.with(|settings| settings.locale.rtl) { "rtl" } else { "ltr" }
                on:keydown=move |event| s.on_keydown(&event)
            >
                // Drawn when the panel shows: a page view that never opens the chat does not
                // pay for it.
                <Show when=move || !ready() && (!floating() || s.open.get())>
                    <Frame shell=s/>
                </Show>
                <div class="panel-mount" node_ref=s.refs.mount></div>
            </section>
        </div>
    }
}

/// The panel before the panel stage is up: title and Close, a loading line or the failure with
/// Retry, and a text box that already takes the visitor's message.
#[component]
fn Frame(shell: Shell) -> impl IntoView {
    let s = shell;
    let failed = move || s.failed.get();
    let placeholder = move || {
        s.config(|config| config.placeholder.clone())
            .flatten()
            .unwrap_or_else(|| fill(&s.text(Text::Placeholder), &[("title", &s.title())]))
    };
    view! {
        <header class="header" part="header">
            <h2 class="title">{move || s.title()}</h2>
            <button class="icon-button close" type="button" aria-label=move || s.text(Text::CloseChat) on:click=move |_| s.set_open(false)>
                <Icon path=icons::CLOSE/>
            </button>
        </header>
        <div class="frame-body" role="status">
            <span class="dots" aria-hidden=TRUE hidden=failed>
                <span></span>
                <span></span>
                <span></span>
            </span>
            <p>{move || s.text(if failed() { Text::LoadFailed } else { Text::Loading })}</p>
            <button class="frame-retry" type="button" hidden=move || !failed() on:click=move |_| s.load_panel()>
                {move || s.text(Text::Retry)}
            </button>
        </div>
        <form class="composer" part="composer" on:submit=|event| event.prevent_default()>
            <textarea
                class="input"
                rows="1"
                node_ref=s.refs.frame_input
                data-sent=s.frame_sent().then_some("")
                aria-label=move || s.text(Text::MessageLabel)
                placeholder=placeholder
                prop:value=move || s.draft.get()
                on:input=move |event| s.set_draft(event_target_value(&event))
            ></textarea>
        </form>
    }
}
