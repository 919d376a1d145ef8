//! The panel and its header, and [`Chat`]: what every component of the panel stage holds to
//! read the state and to tell the controller what the visitor did.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

use crate::i18n::{Key, PanelText, Text};
use crate::session::Input;
use crate::web::js;
use crate::web::launcher::{icons, Icon};
use crate::web::panel::composer::{Composer, ComposerFoot};
use crate::web::panel::controller::{Controller, PanelState, ViewState};
use crate::web::panel::history::ConversationList;
use crate::web::panel::log::MessageList;
use crate::web::shell::Shell;

/// The panel stage's handle for its components (`Copy`; the controller lives once, behind it).
#[derive(Clone, Copy)]
pub struct Chat {
    /// The launcher stage's state.
    pub shell: Shell,
    /// The session as signals.
    pub view: ViewState,
    controller: StoredValue<Rc<Controller>, LocalStorage>,
}

impl Chat {
    /// The handle of `controller`; call inside the panel stage's reactive owner.
    pub fn new(controller: Rc<Controller>) -> Self {
        Self {
            shell: controller.shell(),
            view: controller.view(),
            controller: StoredValue::new_local(controller),
        }
    }

    /// Tells the session what happened.
    pub fn send(self, input: Input) {
        if let Some(controller) = self.controller.try_get_value() {
            controller.dispatch(input);
        }
    }

    /// The widget stage, if it has loaded (tracked: a view that reads it is drawn again when it
    /// arrives); asks for it otherwise.
    pub fn widgets(self) -> Option<crate::web::widgets::WidgetStage> {
        if !self.view.widgets_ready.get() {
            if let Some(controller) = self.controller.try_get_value() {
                controller.want_widgets();
            }
            return None;
        }
        self.controller.try_get_value().and_then(|controller| controller.widget_stage())
    }

    /// Has the widget stage compiled ahead of need ([`Controller::precompile_widgets`]).
    pub fn precompile_widgets(self) {
        if let Some(controller) = self.controller.try_get_value() {
            controller.precompile_widgets();
        }
    }

    /// Whether the panel stage still runs (`destroy()` has not stopped it).
    pub fn live(self) -> bool {
        self.controller.try_get_value().is_some_and(|controller| controller.is_alive())
    }

    /// Files the visitor picked.
    pub fn attach(self, files: Vec<web_sys::File>) {
        if let Some(controller) = self.controller.try_get_value() {
            controller.attach(files);
        }
    }

    /// A string of the locale in use.
    pub fn text(self, text: impl Key) -> String {
        self.shell.text(text)
    }

    /// Whether Retry, prompts and widget actions can start a turn now.
    pub fn can_start_turn(self) -> bool {
        self.view.read(PanelState::can_start_turn)
    }

    /// The visitor is starting a turn: the log follows it to its end.
    pub fn follow(self) {
        self.view.following.set(true);
    }

    /// Copies `text` to the clipboard (which needs a secure page).
    pub fn copy(self, text: &str) {
        let Some(navigator) = web_sys::window().map(|window| window.navigator()) else { return };
        if js::property(&navigator, "clipboard").is_undefined() {
            js::warn("copying needs a secure (https) page");
        } else {
            let _ = navigator.clipboard().write_text(text);
        }
    }
}

/// One row of a keyed list: its key, and how to draw it.
#[derive(Clone)]
pub struct Row {
    /// The row's identity: a row whose key stays is kept as it is.
    pub key: Arc<str>,
    /// Draws the row (called once per key).
    pub view: Arc<dyn Fn() -> AnyView + Send + Sync>,
}

impl Row {
    /// A row drawn by `view`.
    pub fn new(key: impl Into<Arc<str>>, view: impl Fn() -> AnyView + Send + Sync + 'static) -> Self {
        Self { key: key.into(), view: Arc::new(view) }
    }
}

/// A keyed list (Leptos's `<For>`): rows whose key stays keep their DOM, rows with new keys are
/// drawn, rows whose key went are removed. Every list of the panel is one of these, so the keyed
/// list's code exists once in the wasm rather than once per list.
#[component]
pub fn KeyedList(
    /// The rows, in order.
    rows: Signal<Vec<Row>>,
) -> impl IntoView {
    view! { <For each=move || rows.get() key=|row| row.key.clone() children=|row| (row.view)()/> }
}

/// The panel stage inside the launcher stage's panel: header, log (or the conversation list),
/// composer. It also tells the session when the options, the token provider or the panel's
/// visibility change.
#[component]
pub fn Panel(
    /// The panel stage's handle.
    chat: Chat,
) -> impl IntoView {
    let shell = chat.shell;
    Effect::watch(
        move || shell.config(Clone::clone),
        move |config, _, _| {
            match config {
                // Options given later (`setOptions`) that only the panel stage reads are checked
                // first; checking them changes the options, which runs this again.
                Some(config) if config.has_unresolved() => crate::web::panel::resolve_options(shell),
                Some(config) => chat.send(Input::Configure(Box::new(config.clone()))),
                None => {}
            }
        },
        false,
    );
    Effect::watch(
        move || shell.open.get(),
        move |open, _, _| {
            chat.send(Input::Visible(*open));
            // Once the chat is on screen, the widget stage is compiled ahead (inline: at start).
            if *open {
                chat.precompile_widgets();
            }
        },
        false,
    );
    // The composer's text, however it changed (typing, `setComposerValue`, the session itself).
    Effect::watch(
        move || shell.draft.get(),
        move |draft, _, _| chat.send(Input::Draft(draft.clone())),
        false,
    );
    // Replies' images are drawn by the widget stage: with them on, it loads at once.
    Effect::new(move |_| {
        if shell.config(crate::config::Config::markdown_images).unwrap_or(false) {
            chat.widgets();
        }
    });
    let listing = move || chat.view.read(|state| state.history.showing);
    view! {
        <Header chat=chat/>
        <MessageList chat=chat/>
        <Show when=listing>
            <ConversationList chat=chat/>
        </Show>
        <Composer chat=chat/>
        <ComposerFoot chat=chat/>
    }
}

/// Back (from the conversation list), the title, the list, a new conversation, Close.
#[component]
fn Header(chat: Chat) -> impl IntoView {
    let listing = move || chat.view.read(|state| state.history.showing);
    let history_on = move || chat.shell.config(|config| config.history).unwrap_or(false);
    view! {
        <header class="header" part="header">
            <button
                class="icon-button"
                type="button"
                hidden=move || !listing()
                aria-label=move || chat.text(PanelText::Back)
                on:click=move |_| chat.send(Input::ShowHistory(false))
            >
                <Icon path=icons::BACK class="icon flip"/>
            </button>
            <h2 class="title">{move || if listing() { chat.text(PanelText::Conversations) } else { chat.shell.title() }}</h2>
            <button
                class="icon-button"
                type="button"
                hidden=move || listing() || !history_on()
                aria-label=move || chat.text(PanelText::Conversations)
                on:click=move |_| chat.send(Input::ShowHistory(true))
            >
                <Icon path=icons::LIST/>
            </button>
            <button
                class="icon-button"
                type="button"
                aria-label=move || chat.text(PanelText::NewConversation)
                on:click=move |_| chat.send(Input::NewThread)
            >
                <Icon path=icons::NEW/>
            </button>
            <button
                class="icon-button close"
                type="button"
                aria-label=move || chat.text(Text::CloseChat)
                on:click=move |_| chat.shell.set_open(false)
            >
                <Icon path=icons::CLOSE/>
            </button>
        </header>
    }
}
