//! The Leptos UI: a launcher button and the chat panel.

use leptos::prelude::*;

use crate::config::{Config, Mode};
use crate::i18n::{self, Strings};

/// View state shared by the components.
#[derive(Clone, Copy)]
pub struct Ui {
    /// The options in force.
    pub config: RwSignal<Config>,
    /// Whether the panel is open.
    pub open: RwSignal<bool>,
}

impl Ui {
    fn strings(&self) -> &'static Strings {
        i18n::for_tag(self.config.with(|config| config.locale.clone()).as_deref().unwrap_or("en"))
    }

    fn title(&self) -> String {
        self.config
            .with(|config| config.title.clone())
            .unwrap_or_else(|| self.strings().default_title.to_owned())
    }
}

/// The whole widget.
#[component]
pub fn App(
    /// The shared view state.
    ui: Ui,
) -> impl IntoView {
    let is_bubble = move || ui.config.with(|config| config.mode == Mode::Bubble);
    view! {
        <Show when=is_bubble>
            <button
                class="launcher"
                part="launcher"
                type="button"
                aria-controls="orcheo-chat-panel"
                aria-expanded=move || if ui.open.get() { "true" } else { "false" }
                aria-label=move || if ui.open.get() { ui.strings().close_chat } else { ui.strings().open_chat }
                on:click=move |_| ui.open.update(|open| *open = !*open)
            >
                <Show when=move || ui.open.get() fallback=|| view! { <ChatIcon/> }>
                    <CloseIcon/>
                </Show>
            </button>
        </Show>
        <section
            id="orcheo-chat-panel"
            class="panel"
            part="panel"
            role="dialog"
            aria-label=move || ui.title()
            hidden=move || is_bubble() && !ui.open.get()
        >
            <header class="header" part="header">
                <h2 class="title">{move || ui.title()}</h2>
                <Show when=is_bubble>
                    <button
                        class="icon-button"
                        type="button"
                        aria-label=move || ui.strings().close_chat
                        on:click=move |_| ui.open.set(false)
                    >
                        <CloseIcon/>
                    </button>
                </Show>
            </header>
        </section>
    }
}

/// A speech bubble.
#[component]
fn ChatIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.4 3.7A.6.6 0 0 1 4.6 19.2V16A2.5 2.5 0 0 1 4 14z"/>
        </svg>
    }
}

/// A cross.
#[component]
fn CloseIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"/>
        </svg>
    }
}
