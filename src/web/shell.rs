//! The launcher stage's state, shared with the panel stage: the options and strings in force,
//! whether the panel is open, the composer's text, persistence, the JS API's events, and the
//! loading of the panel stage.
//!
//! [`Shell`] is a `Copy` handle of signals and node refs (so components and the panel stage can
//! hold it freely); what is not reactive lives once, behind it, owned by the widget's reactive
//! owner and dropped with it by `destroy()`. There is no global state: two widgets on one page
//! would not share anything.
//!
//! Commands from the JS API that need the panel stage ([`PanelCommand`]) wait in a queue until
//! it has mounted; asking for one starts the load.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::KeyboardEvent;

use crate::config::{Config, Mode};
use crate::error::ChatError;
use crate::i18n::{Key, Locale, Text};
use crate::stage::{effective_preload, load_for, Load, PanelStage, Trigger};
use crate::web::host::Host;
use crate::web::js::{self, AnimationFrame, Idle, Listener};
use crate::web::json;
use crate::web::split;
use crate::web::storage::Persistence;

/// How long an idle preload waits at most for the browser to be idle.
const IDLE_TIMEOUT_MS: u32 = 2000;

/// The elements both stages need to reach (for focus, and for mounting the panel stage).
#[derive(Clone, Copy)]
pub struct Refs {
    /// The launcher button.
    pub launcher: NodeRef<html::Button>,
    /// Where the panel stage mounts (inside the panel, `role="dialog"`).
    pub mount: NodeRef<html::Div>,
    /// The frame's text box, shown until the panel stage is ready.
    pub frame_input: NodeRef<html::Textarea>,
    /// The panel stage's composer text box.
    pub composer: NodeRef<html::Textarea>,
}

/// How an `OrcheoChat.send()` promise is settled.
pub struct Reply {
    resolve: js_sys::Function,
    reject: js_sys::Function,
}

impl Reply {
    /// The promise's two functions.
    pub fn new(resolve: js_sys::Function, reject: js_sys::Function) -> Self {
        Self { resolve, reject }
    }

    /// Resolves with the reply text.
    pub fn resolve(&self, text: &str) {
        let _ = self.resolve.call1(&JsValue::NULL, &JsValue::from_str(text));
    }

    /// Rejects with an `Error` whose `code` is `code`.
    pub fn reject(&self, code: &str, message: &str) {
        let error = js_sys::Error::new(message);
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
        let _ = self.reject.call1(&JsValue::NULL, &error);
    }
}

/// What the JS API asks of the panel stage.
pub enum PanelCommand {
    /// `OrcheoChat.send(text)`.
    Send {
        /// The message.
        text: String,
        /// Its promise.
        reply: Reply,
    },
    /// `OrcheoChat.newThread()`.
    NewThread,
    /// `OrcheoChat.setThreadId(id)`: open that conversation (`None`: a new one).
    OpenThread(Option<String>),
    /// `OrcheoChat.showHistory()` (`true`) and `hideHistory()`.
    ShowHistory(bool),
    /// `OrcheoChat.sendCustomAction(action, itemId)`.
    Action {
        /// `{type, payload?}`.
        action: Value,
        /// The widget item it belongs to.
        item_id: Option<String>,
    },
    /// `OrcheoChat.setTokenProvider()`: JWT mode with the shell's provider.
    TokenProvider,
    /// Enter in the frame's text box before the panel stage was up: send the composer's text
    /// (it stays the stored draft until it goes, so leaving the page first loses nothing).
    Submit,
}

/// The mounted panel stage: it takes commands, and dropping it stops and unmounts it.
pub struct PanelHandle {
    /// Runs a command.
    pub run: Rc<dyn Fn(PanelCommand)>,
    /// The stage's mount and controller.
    pub keep: Box<dyn Any>,
}

/// The options, the strings and the layout in force: one signal, as all three change rarely
/// (and reading several signals of one type each would cost more code than it saves work).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The options.
    pub config: Config,
    /// The strings.
    pub locale: Locale,
    /// The layout actually used (inline mode without a target falls back to a bubble).
    pub mode: Mode,
}

/// What is not reactive: created once per widget, dropped by `destroy()`.
struct Inner {
    /// Where the panel stage stands (the view sees it through `ready` and `failed`).
    stage: Cell<PanelStage>,
    host: Host,
    emit: js_sys::Function,
    token_provider: RefCell<Option<js_sys::Function>>,
    persistence: RefCell<Persistence>,
    panel: RefCell<Option<PanelHandle>>,
    queue: RefCell<Vec<PanelCommand>>,
    /// The page's `load` listener and the idle callback of an idle preload.
    preload: RefCell<Vec<Box<dyn Any>>>,
    /// Keeps the panel's height equal to the visual viewport's (phones with a keyboard up).
    viewport: RefCell<Vec<Listener>>,
    /// A focus move waiting for the next frame.
    focus: RefCell<Option<AnimationFrame>>,
}

/// The launcher stage's state (a `Copy` handle).
#[derive(Clone, Copy)]
pub struct Shell {
    /// The options, strings and layout in force.
    pub settings: RwSignal<Settings>,
    /// The panel is open.
    pub open: RwSignal<bool>,
    /// A reply arrived while the panel was closed.
    pub unread: RwSignal<bool>,
    /// The panel stage is mounted and running.
    pub ready: RwSignal<bool>,
    /// The panel stage's last load failed (the frame shows Retry).
    pub failed: RwSignal<bool>,
    /// The composer's text.
    pub draft: RwSignal<String>,
    /// The workflow's name once the panel stage has looked it up (empty until then).
    pub workflow_name: RwSignal<String>,
    /// Elements both stages reach.
    pub refs: Refs,
    inner: StoredValue<Rc<Inner>, LocalStorage>,
}

impl Shell {
    /// The launcher stage's state for `config`, shown in `host`; `emit(name, detail)` delivers
    /// API events. Call inside the widget's reactive owner.
    pub fn new(config: Config, host: Host, locale: Locale, emit: js_sys::Function) -> Self {
        let persistence = Persistence::open(&config, &json::BrowserJson);
        let (open, draft) = {
            let snapshot = persistence.snapshot();
            (config.open || snapshot.open, snapshot.draft.clone())
        };
        let mode = host.mode(&config);
        let inner = Inner {
            stage: Cell::new(PanelStage::Waiting),
            host,
            emit,
            token_provider: RefCell::new(None),
            persistence: RefCell::new(persistence),
            panel: RefCell::new(None),
            queue: RefCell::new(Vec::new()),
            preload: RefCell::new(Vec::new()),
            viewport: RefCell::new(Vec::new()),
            focus: RefCell::new(None),
        };
        Self {
            settings: RwSignal::new(Settings { config, locale, mode }),
            open: RwSignal::new(open),
            unread: RwSignal::new(false),
            ready: RwSignal::new(false),
            failed: RwSignal::new(false),
            draft: RwSignal::new(draft),
            workflow_name: RwSignal::new(String::new()),
            refs: Refs {
                launcher: NodeRef::new(),
                mount: NodeRef::new(),
                frame_input: NodeRef::new(),
                composer: NodeRef::new(),
            },
            inner: StoredValue::new_local(Rc::new(inner)),
        }
    }

    /// Runs `f` with what is not reactive; `None` once the widget is destroyed.
    fn with_inner<T>(self, f: impl FnOnce(&Inner) -> T) -> Option<T> {
        self.inner.try_get_value().map(|inner| f(&inner))
    }

    /// Reads the options (tracked: a reactive closure reruns when they change).
    pub fn config<T>(self, f: impl FnOnce(&Config) -> T) -> Option<T> {
        self.settings.try_with(|settings| f(&settings.config))
    }

    /// Reads the options without tracking.
    pub fn config_untracked<T>(self, f: impl FnOnce(&Config) -> T) -> Option<T> {
        self.settings.try_with_untracked(|settings| f(&settings.config))
    }

    /// The layout in use (tracked).
    pub fn mode(self) -> Mode {
        self.settings.try_with(|settings| settings.mode).unwrap_or(Mode::Bubble)
    }

    /// A string of the locale in use (tracked).
    pub fn text(self, text: impl Key) -> String {
        self.settings.try_with(|settings| text.in_locale(&settings.locale).to_owned()).unwrap_or_default()
    }

    /// What a failure says, in the locale in use (tracked).
    pub fn error_text(self, error: &ChatError) -> String {
        self.settings.try_with(|settings| settings.locale.error_text(error)).unwrap_or_default()
    }

    /// The header title and the dialog's name: the embed's, else the workflow's name, else
    /// the locale's "Chat".
    pub fn title(self) -> String {
        let own = self.config(|config| config.title.clone()).flatten();
        let found = self.workflow_name.try_get().filter(|name| !name.is_empty());
        own.or(found).unwrap_or_else(|| self.text(Text::DefaultTitle))
    }

    /// Runs `f` with the host element.
    pub fn with_host<T>(self, f: impl FnOnce(&Host) -> T) -> Option<T> {
        self.with_inner(|inner| f(&inner.host))
    }

    /// Runs `f` with the persisted snapshot's store.
    pub fn with_persistence<T>(self, f: impl FnOnce(&mut Persistence) -> T) -> Option<T> {
        self.with_inner(|inner| inner.persistence.try_borrow_mut().ok().map(|mut p| f(&mut p))).flatten()
    }

    /// The token provider given with `setTokenProvider()` (or `orcheoChatConfig.tokenProvider`).
    pub fn token_provider(self) -> Option<js_sys::Function> {
        self.with_inner(|inner| inner.token_provider.try_borrow().ok().and_then(|p| p.clone())).flatten()
    }

    /// Switches to JWT mode with tokens from `provider` (the panel stage reconnects if it runs).
    pub fn set_token_provider(self, provider: js_sys::Function) {
        self.with_inner(|inner| set(&inner.token_provider, Some(provider)));
        let running = self.with_inner(|inner| inner.stage.get() == PanelStage::Ready).unwrap_or(false);
        if running {
            self.command(PanelCommand::TokenProvider);
        }
    }

    /// Delivers a JS API event (the loader catches what a handler throws).
    pub fn emit(self, name: &str, detail: &Value) {
        self.ask(name, detail);
    }

    /// Asks the page's handler for `name` (`widget.action`, `client_tool.call`): the loader delivers
    /// `detail` as an event and returns the handler's promise, or `undefined` when the page
    /// set none.
    pub fn ask(self, name: &str, detail: &Value) -> JsValue {
        self.with_inner(|inner| inner.emit.clone())
            .and_then(|emit| emit.call2(&JsValue::NULL, &JsValue::from_str(name), &json::to_js(detail)).ok())
            .unwrap_or(JsValue::UNDEFINED)
    }

    /// Keeps the panel above an on-screen keyboard: the visual viewport's size goes into the
    /// host's custom properties.
    pub fn watch_viewport(self) {
        let Some(viewport) = web_sys::window().and_then(|window| window.visual_viewport()) else { return };
        let target: web_sys::EventTarget = viewport.clone().into();
        let update = move |_| {
            self.with_host(|host| host.set_viewport(viewport.height() as i32, viewport.offset_top() as i32));
        };
        let listeners =
            vec![Listener::new(&target, "resize", update.clone()), Listener::new(&target, "scroll", update)];
        self.with_inner(|inner| set(&inner.viewport, listeners));
    }

    // --- Open and closed -------------------------------------------------------------------

    /// Opens or closes the panel: persisted, announced with `open`/`close`, focus into the
    /// panel when it opens and back to the launcher when it closes.
    pub fn set_open(self, open: bool) {
        if self.open.try_get_untracked() != Some(!open) {
            return;
        }
        self.open.set(open);
        if open {
            self.unread.set(false);
            self.want_panel(Trigger::Open);
        }
        self.with_persistence(|persistence| persistence.set_open(open));
        self.emit(if open { "open" } else { "close" }, &Value::Null);
        if self.settings.try_with_untracked(|settings| settings.mode) == Some(Mode::Bubble) {
            self.focus_later(open);
        }
    }

    /// Opens a closed panel and closes an open one.
    pub fn toggle(self) {
        if let Some(open) = self.open.try_get_untracked() {
            self.set_open(!open);
        }
    }

    /// Records the composer's text (and keeps it across reloads).
    pub fn set_draft(self, text: String) {
        self.with_persistence(|persistence| persistence.set_draft(&text));
        self.draft.set(text);
    }

    /// Whether the frame's message was sent (Enter) and waits for the panel stage: the frame,
    /// drawn again when the panel shows again, still shows it as sent.
    pub fn frame_sent(self) -> bool {
        self.with_inner(|inner| {
            inner
                .queue
                .try_borrow()
                .is_ok_and(|queue| queue.iter().any(|c| matches!(c, PanelCommand::Submit)))
        })
        .unwrap_or(false)
    }

    /// Escape closes a floating panel and returns focus to the launcher; Enter in the frame's
    /// text box, before the panel stage is up (its composer handles its own), sends the
    /// message as soon as the stage can.
    pub fn on_keydown(self, event: &KeyboardEvent) {
        let target = event.target();
        let in_text_box =
            target.as_ref().is_some_and(|target| target.is_instance_of::<web_sys::HtmlTextAreaElement>());
        if in_text_box && !self.ready.get_untracked() && crate::web::launcher::sends_message(event) {
            event.prevent_default();
            if !self.draft.with_untracked(|draft| draft.trim().is_empty()) {
                // Shown as the visitor's message until the panel stage takes it (the frame goes).
                if let Some(area) = target.and_then(|target| target.dyn_into::<web_sys::Element>().ok()) {
                    let _ = area.set_attribute("data-sent", "");
                }
                self.command(PanelCommand::Submit);
            }
        }
        if event.key() == "Escape"
            && self.open.try_get_untracked() == Some(true)
            && self.settings.try_with_untracked(|settings| settings.mode) == Some(Mode::Bubble)
        {
            event.stop_propagation();
            self.set_open(false);
        }
    }

    /// Opens the panel with focus in the composer (`OrcheoChat.focusComposer()`).
    pub fn focus_composer(self) {
        self.set_open(true);
        self.focus_later(true);
    }

    /// Moves focus: back to the launcher at once when the panel closes; into the panel (its
    /// composer if it can take focus, else the frame's text box, else the panel itself) on the
    /// next frame when it opens, once the panel is shown.
    fn focus_later(self, into_panel: bool) {
        if !into_panel {
            if let Some(launcher) = self.refs.launcher.try_get_untracked().flatten() {
                let _ = launcher.focus();
            }
            return;
        }
        let frame = AnimationFrame::new(move || self.focus_panel());
        self.with_inner(|inner| set(&inner.focus, Some(frame)));
    }

    /// Puts focus in the panel: the composer if enabled, else the frame's text box, else the
    /// dialog itself.
    pub fn focus_panel(self) {
        let composer = self.refs.composer.try_get_untracked().flatten().filter(|area| !area.disabled());
        let frame = self.refs.frame_input.try_get_untracked().flatten();
        if let Some(area) = composer.or(frame) {
            let _ = area.focus();
        } else if let Some(panel) =
            self.refs.mount.try_get_untracked().flatten().and_then(|mount| mount.parent_element())
        {
            if let Some(panel) = panel.dyn_ref::<web_sys::HtmlElement>() {
                let _ = panel.focus();
            }
        }
    }

    // --- The panel stage -------------------------------------------------------------------

    /// Runs the panel stage, or (an idle browser) only fetches and compiles it, as `trigger`
    /// calls for under the embed's preload policy ([`load_for`]).
    pub fn want_panel(self, trigger: Trigger) {
        let Some(preload) = self.config_untracked(|config| config.preload) else { return };
        match load_for(effective_preload(preload, &js::network_hints()), trigger) {
            Load::Run => self.load_panel(),
            // (The loader's chunk cache: running the stage later only instantiates it.)
            Load::Compile => {
                self.ask("chunk", &Value::from("split_panel.wasm"));
            }
            Load::Nothing => {}
        }
    }

    /// Schedules an idle preload: after the page's `load` event, once the browser is idle.
    pub fn preload_when_idle(self) {
        let idle = move || {
            let callback = Idle::new(IDLE_TIMEOUT_MS, move || self.want_panel(Trigger::Idle));
            self.with_inner(|inner| push(&inner.preload, Box::new(callback)));
        };
        let Some(window) = web_sys::window() else { return };
        let loaded = window.document().is_some_and(|document| document.ready_state() == "complete");
        if loaded {
            idle();
        } else {
            let listener = Listener::new(&window.into(), "load", move |_| idle());
            self.with_inner(|inner| push(&inner.preload, Box::new(listener)));
        }
    }

    fn set_stage(self, stage: PanelStage) {
        self.with_inner(|inner| inner.stage.set(stage));
        self.ready.set(stage == PanelStage::Ready);
        self.failed.set(stage == PanelStage::Failed);
    }

    /// Fetches and mounts the panel stage (once; again after a failure).
    pub fn load_panel(self) {
        if !self.with_inner(|inner| inner.stage.get().should_start()).unwrap_or(false) {
            return;
        }
        self.set_stage(PanelStage::Loading);
        spawn_local(async move {
            let result = split::load_panel(self).await;
            // `destroy()` while the chunk loaded: a stage that mounted anyway is dropped here.
            if self.inner.try_get_value().is_none() {
                return;
            }
            match result {
                Ok(handle) => self.panel_ready(handle),
                Err(why) => {
                    js::error(&format!("could not load the chat panel ({why})"));
                    self.set_stage(PanelStage::Failed);
                    let message = self.text(Text::LoadFailed);
                    let waiting = self.with_inner(|inner| take(&inner.queue)).unwrap_or_default();
                    for command in waiting {
                        match command {
                            PanelCommand::Send { reply, .. } => reply.reject("network", &message),
                            // Sent from the frame: it goes once Retry has loaded the stage (it is
                            // the stored draft until then).
                            PanelCommand::Submit => {
                                self.with_inner(|inner| {
                                    if let Ok(mut queue) = inner.queue.try_borrow_mut() {
                                        queue.push(PanelCommand::Submit);
                                    }
                                });
                            }
                            _ => {}
                        }
                    }
                }
            }
        });
    }

    fn panel_ready(self, handle: PanelHandle) {
        // Typing in the frame's text box goes on in the composer, caret and all.
        let frame = self.refs.frame_input.try_get_untracked().flatten();
        let typing = frame.as_ref().filter(|area| {
            self.with_host(|host| host.shadow.active_element()).flatten().is_some_and(|active| {
                let active: &JsValue = active.as_ref();
                let area: &JsValue = area.as_ref();
                active == area
            })
        });
        let caret =
            typing.map(|area| (area.selection_start().ok().flatten(), area.selection_end().ok().flatten()));
        let Some(waiting) = self.with_inner(|inner| {
            if let Ok(mut panel) = inner.panel.try_borrow_mut() {
                *panel = Some(handle);
            }
            take(&inner.queue)
        }) else {
            return;
        };
        self.set_stage(PanelStage::Ready);
        for command in waiting {
            self.command(command);
        }
        if let Some((start, end)) = caret {
            let frame = AnimationFrame::new(move || {
                if let Some(area) = self.refs.composer.try_get_untracked().flatten() {
                    let _ = area.focus();
                    let _ = area.set_selection_start(start);
                    let _ = area.set_selection_end(end);
                }
            });
            self.with_inner(|inner| set(&inner.focus, Some(frame)));
        }
    }

    /// Runs a command in the panel stage, or queues it and loads the stage.
    pub fn command(self, command: PanelCommand) {
        let Some(inner) = self.inner.try_get_value() else {
            refuse_destroyed(command);
            return;
        };
        // No borrow is held while the command runs: it may call back into the widget.
        let run =
            inner.panel.try_borrow().ok().and_then(|panel| panel.as_ref().map(|panel| Rc::clone(&panel.run)));
        match run {
            Some(run) => run(command),
            None => {
                if let Ok(mut queue) = inner.queue.try_borrow_mut() {
                    queue.push(command);
                }
                drop(inner);
                self.want_panel(Trigger::Api);
            }
        }
    }

    /// Rejects `reply` with the sentence for `error` in the locale in use.
    pub fn reject(self, reply: &Reply, error: &ChatError) {
        let message = self
            .settings
            .try_with_untracked(|settings| settings.locale.error_text(error))
            .unwrap_or_default();
        reply.reject(&error.code, &message);
    }

    /// Stops and unmounts the panel stage, and drops what the launcher stage holds.
    pub fn shut_down(self) {
        let parts = self.with_inner(|inner| {
            (
                take(&inner.panel),
                take(&inner.queue),
                take(&inner.preload),
                take(&inner.viewport),
                take(&inner.focus),
            )
        });
        if let Some((panel, queue, ..)) = parts {
            // The stage stops first, so nothing it settles races the rejections.
            drop(panel);
            queue.into_iter().for_each(refuse_destroyed);
        }
    }
}

/// Rejects a command's promise, if it has one: the widget is gone.
fn refuse_destroyed(command: PanelCommand) {
    if let PanelCommand::Send { reply, .. } = command {
        reply.reject("destroyed", "orcheo-chat was destroyed");
    }
}

/// Takes a cell's value, leaving the default; nothing if the cell is in use (a callback that
/// re-entered the widget), never a panic.
fn take<T: Default>(cell: &RefCell<T>) -> T {
    cell.try_borrow_mut().map(|mut value| std::mem::take(&mut *value)).unwrap_or_default()
}

/// Replaces a cell's value (nothing if the cell is in use).
fn set<T>(cell: &RefCell<T>, value: T) {
    if let Ok(mut slot) = cell.try_borrow_mut() {
        *slot = value;
    }
}

/// Appends to a cell's list (nothing if the cell is in use).
fn push<T>(cell: &RefCell<Vec<T>>, value: T) {
    if let Ok(mut list) = cell.try_borrow_mut() {
        list.push(value);
    }
}
