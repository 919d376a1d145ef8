//! The panel stage's controller: feeds the [`Session`] its inputs, carries out the effects it
//! returns (requests over gloo-net, storage, timers, API events), and mirrors its state into the
//! signals the view reads ([`ViewState`]).
//!
//! Inputs are processed one at a time, in order: an input that arrives while another is being
//! handled (an effect that reports back at once, or a host page's event handler calling the JS
//! API) waits in the inbox. No borrow of the session is held while an effect runs.
//!
//! The view is updated fine-grained: each conversation entry has its own signal, set only when
//! the entry's revision moved, and the keyed list changes only when entries come or go. Stream
//! events are applied to the session at once but reach the view at most once per animation
//! frame, so a fast stream costs one render per frame, not one per delta.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::{Rc, Weak};

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::JsValue;
use web_sys::AbortController;

use crate::config::Prompt;
use crate::config::{Mode, Preload};
use crate::error::ChatError;
use crate::json::{object, optional, JsonCodec};
use crate::persist::visitor_id_from_bytes;
use crate::protocol::Model;
use crate::session::{
    ApiEvent, Auth, Effect, History, Input, PickedFile, Session, Status, Ticket, TurnLock, Upload,
    UploadState,
};
use crate::stage::effective_preload;
use crate::thread::{progress_label, Entry};
use crate::web::js::{self, AnimationFrame, Idle, Listener, Timeout};
use crate::web::json::BrowserJson;
use crate::web::panel::auth::{TokenSource, Tokens};
use crate::web::panel::client::{self, Client};
use crate::web::panel::http;
use crate::web::panel::tabs::{self, Channel, LockGuard, Locked};
use crate::web::panel::view::Chat;
use crate::web::shell::{PanelCommand, Reply, Shell};
use crate::web::widgets::WidgetStage;

/// How long the widget stage's precompile waits at most for the browser to be idle.
const WIDGETS_IDLE_MS: u32 = 3000;
/// How long after a failed load of the widget stage before a widget asks for it again.
const WIDGETS_RETRY_MS: i64 = 30_000;

/// One conversation entry as the view holds it: its id (the list's key) and its own signal.
#[derive(Clone)]
pub struct EntryCell {
    /// The entry's id.
    pub id: String,
    /// The entry, set whenever its revision moves.
    pub entry: ArcRwSignal<Entry>,
}

/// Everything the panel shows besides the entries, as one value: it changes a few times per
/// turn, and one signal of one type costs far less code than a signal per field.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelState {
    /// Connection state.
    pub status: Status,
    /// Why the workflow cannot be reached.
    pub blocked: Option<ChatError>,
    /// A reply is streaming.
    pub busy: bool,
    /// The reply's progress text worth showing a visitor.
    pub progress: Option<String>,
    /// Some of the reply has arrived (the typing dots go).
    pub has_content: bool,
    /// A rate limit is in force.
    pub cooling_down: bool,
    /// The last completed reply, for the live region.
    pub announcement: String,
    /// The conversation list.
    pub history: History,
    /// Files attached to the next message.
    pub uploads: Vec<Upload>,
    /// The start prompts.
    pub prompts: Vec<Prompt>,
    /// The thumbs given to replies: `(item id, positive)`.
    pub feedback: Vec<(String, bool)>,
    /// The server has messages before the oldest one shown.
    pub earlier: bool,
    /// The models the workflow offers.
    pub models: Vec<Model>,
    /// The model the next message asks for.
    pub model: Option<String>,
    /// Why the conversation takes no more messages, in the visitor's words (it is locked or
    /// closed).
    pub closed: Option<ChatError>,
    /// Sync actions on their way (a widget's working state ends when none is).
    pub syncing: usize,
    /// The composer's message waits for the connection (it shows in the log as the visitor's,
    /// the composer empty, until it goes).
    pub queued: bool,
}

impl PanelState {
    fn of(session: &Session) -> Self {
        let turn = session.thread.turn.as_ref();
        Self {
            status: session.status,
            blocked: session.blocked.clone(),
            // A turn is open while the stream is and while the session asks whether the server
            // stored a message it never confirmed.
            busy: session.busy(),
            progress: turn.and_then(|turn| turn.progress.as_deref()).and_then(progress_label),
            has_content: turn.is_some_and(|turn| turn.has_content),
            cooling_down: session.cooling_down,
            announcement: session.announcement.clone(),
            history: session.history.clone(),
            uploads: session.uploads.clone(),
            prompts: session.prompts().to_vec(),
            feedback: session.feedback().to_vec(),
            earlier: session.thread.older_cursor.is_some(),
            models: session.workflow.as_ref().map(|workflow| workflow.models.clone()).unwrap_or_default(),
            model: session.model.clone(),
            closed: session.thread.closed.as_deref().map(ChatError::closed),
            syncing: session.syncing.len(),
            queued: session.waiting_message().is_some(),
        }
    }

    /// Whether Retry, prompts and widget actions can start a turn now.
    pub fn can_start_turn(&self) -> bool {
        self.status == Status::Ready && !self.busy && !self.cooling_down && self.closed.is_none()
    }

    /// A file is still uploading (Send, and Retry of a message that never arrived, wait).
    pub fn uploading(&self) -> bool {
        self.uploads.iter().any(|upload| upload.state == UploadState::Uploading)
    }
}

/// What the panel stage's view reads (a `Copy` handle of signals).
#[derive(Clone, Copy)]
pub struct ViewState {
    /// Everything but the entries.
    pub state: RwSignal<PanelState>,
    /// The conversation's entries, in order.
    pub entries: RwSignal<Vec<EntryCell>>,
    /// Notified whenever what the log shows changed (it scrolls along if it follows).
    pub content: Trigger,
    /// The log follows new content (the reader is at its end, or just sent a message).
    pub following: RwSignal<bool>,
    /// The widget stage has loaded (widgets are drawn; until then, their text).
    pub widgets_ready: RwSignal<bool>,
}

impl ViewState {
    fn new(session: &Session) -> Self {
        Self {
            state: RwSignal::new(PanelState::of(session)),
            entries: RwSignal::new(Vec::new()),
            content: Trigger::new(),
            following: RwSignal::new(true),
            widgets_ready: RwSignal::new(false),
        }
    }

    /// Reads the state (tracked).
    pub fn read<T: Default>(self, f: impl FnOnce(&PanelState) -> T) -> T {
        self.state.try_with(f).unwrap_or_default()
    }
}

/// The entry signals, by id, with the revision each was last set to.
#[derive(Default)]
struct Mirror {
    cells: HashMap<String, (u64, ArcRwSignal<Entry>)>,
    order: Vec<String>,
}

/// The panel stage's controller.
pub struct Controller {
    shell: Shell,
    view: ViewState,
    session: RefCell<Session>,
    inbox: RefCell<VecDeque<Input>>,
    handling: Cell<bool>,
    alive: Cell<bool>,
    this: RefCell<Weak<Controller>>,
    client: RefCell<Option<Rc<Client>>>,
    /// The turn whose stream is open, and its abort switch.
    stream: RefCell<Option<(u64, AbortController)>>,
    replies: RefCell<Vec<(Ticket, Reply)>>,
    next_ticket: Cell<Ticket>,
    /// The files of the last pick, by position; taken as their uploads start.
    picked: RefCell<Vec<Option<web_sys::File>>>,
    /// Files picked while connecting, by upload key: they upload once connected.
    waiting_files: RefCell<Vec<(usize, web_sys::File)>>,
    cooldown: RefCell<Option<Timeout>>,
    /// A view update waiting for the next frame.
    frame: RefCell<Option<AnimationFrame>>,
    mirror: RefCell<Mirror>,
    /// The panel stage's reactive owner (the widget stage starts in it) and its handle.
    owner: RefCell<Option<(Owner, Chat)>>,
    /// The widget stage, once loaded.
    widgets: RefCell<Option<WidgetStage>>,
    /// The widget stage is on its way.
    widgets_loading: Cell<bool>,
    /// When the widget stage last failed to load (ms since the epoch; 0: never).
    widgets_failed_at: Cell<i64>,
    /// Fetching and compiling the widget stage once the browser is idle.
    precompile: RefCell<Option<Idle>>,
    /// A client tool call waiting for the widget stage (which asks the page).
    tool_call: RefCell<Option<(String, String, Value)>>,
    /// `pagehide` and `pageshow` on the window (no `unload`: it would keep the page out of the
    /// back/forward cache).
    page_listeners: RefCell<Vec<Listener>>,
    /// What the visitor's tabs say about this workflow's conversations (closed while the page
    /// is in the back/forward cache).
    channel: RefCell<Option<Channel>>,
    /// The conversation's Web Lock while this tab's reply streams (released at once on
    /// `pagehide`, so the next page finds it free).
    held: RefCell<Option<LockGuard>>,
}

impl Controller {
    /// A controller for the shell's options; call inside the panel stage's reactive owner.
    pub fn new(shell: Shell) -> Rc<Self> {
        let config = shell.config_untracked(Clone::clone).unwrap_or_default();
        let draft = shell.draft.try_get_untracked().unwrap_or_default();
        let session = Session::new(config, draft, shell.open.try_get_untracked().unwrap_or(false));
        let view = ViewState::new(&session);
        let controller = Rc::new(Self {
            shell,
            view,
            session: RefCell::new(session),
            inbox: RefCell::new(VecDeque::new()),
            handling: Cell::new(false),
            alive: Cell::new(true),
            this: RefCell::new(Weak::new()),
            client: RefCell::new(None),
            stream: RefCell::new(None),
            replies: RefCell::new(Vec::new()),
            next_ticket: Cell::new(0),
            picked: RefCell::new(Vec::new()),
            waiting_files: RefCell::new(Vec::new()),
            cooldown: RefCell::new(None),
            frame: RefCell::new(None),
            mirror: RefCell::new(Mirror::default()),
            owner: RefCell::new(None),
            widgets: RefCell::new(None),
            widgets_loading: Cell::new(false),
            widgets_failed_at: Cell::new(0),
            precompile: RefCell::new(None),
            tool_call: RefCell::new(None),
            page_listeners: RefCell::new(Vec::new()),
            channel: RefCell::new(None),
            held: RefCell::new(None),
        });
        *controller.this.borrow_mut() = Rc::downgrade(&controller);
        controller
    }

    /// The signals the view reads.
    pub fn view(&self) -> ViewState {
        self.view
    }

    /// The launcher stage's state.
    pub fn shell(&self) -> Shell {
        self.shell
    }

    fn weak(&self) -> Weak<Controller> {
        self.this.try_borrow().map(|this| this.clone()).unwrap_or_default()
    }

    /// Remembers the panel stage's reactive owner and its handle.
    pub fn set_owner(&self, owner: Owner, chat: Chat) {
        if let Ok(mut slot) = self.owner.try_borrow_mut() {
            *slot = Some((owner, chat));
        }
    }

    /// The widget stage, if it has loaded.
    pub fn widget_stage(&self) -> Option<WidgetStage> {
        self.widgets.try_borrow().ok().and_then(|stage| stage.clone())
    }

    /// Whether the panel stage still runs (`destroy()` has not stopped it).
    pub fn is_alive(&self) -> bool {
        self.alive.get()
    }

    /// Loads the widget stage (once; after a failure, again the next time a widget wants it,
    /// at most every [`WIDGETS_RETRY_MS`]: each redraw of a widget's text asks).
    pub fn want_widgets(&self) {
        let failed_lately = js::now_ms() - self.widgets_failed_at.get() < WIDGETS_RETRY_MS;
        if !self.alive.get() || self.widgets_loading.get() || self.widget_stage().is_some() || failed_lately {
            return;
        }
        let Some((owner, chat)) = self.owner.try_borrow().ok().and_then(|owner| owner.clone()) else {
            return;
        };
        self.widgets_loading.set(true);
        let this = self.weak();
        spawn_local(async move {
            let loaded = crate::web::split::load_widgets(chat, owner).await;
            let Some(this) = this.upgrade() else { return };
            this.widgets_loading.set(false);
            if !this.alive.get() {
                return;
            }
            match loaded {
                Ok(stage) => {
                    if let Ok(mut slot) = this.widgets.try_borrow_mut() {
                        *slot = Some(stage);
                    }
                    this.view.widgets_ready.set(true);
                    this.call_tool();
                }
                Err(_) => {
                    // The chunk loader has said which file and why.
                    this.widgets_failed_at.set(js::now_ms());
                    js::error("could not load the widget renderer; widgets show as text");
                    // A client tool call waiting for it fails as the page's would.
                    let waiting = this.tool_call.try_borrow_mut().ok().and_then(|mut call| call.take());
                    if let Some((item_id, _, _)) = waiting {
                        let why = "the widget renderer could not load".to_owned();
                        this.dispatch(Input::ToolResult { item_id, result: Err(why) });
                    }
                }
            }
        });
    }

    /// Has the widget stage ask the page's handler for the client tool call waiting, once the
    /// stage has loaded (the page's code lives with the widgets, not in the panel stage).
    fn call_tool(&self) {
        let Some(stage) = self.widget_stage() else { return };
        let Some(chat) = self.owner.try_borrow().ok().and_then(|owner| owner.as_ref().map(|(_, chat)| *chat))
        else {
            return;
        };
        if let Some((item_id, name, params)) =
            self.tool_call.try_borrow_mut().ok().and_then(|mut call| call.take())
        {
            (stage.call_tool)(chat, item_id, name, params);
        }
    }

    /// Once the panel is on screen, has the widget stage fetched and compiled, not run, when the
    /// browser is idle: the first widget then only instantiates it. Not with
    /// `data-preload="none"`, nor on a slow or data-saving connection; a visitor who never opens
    /// the chat downloads none of it.
    pub fn precompile_widgets(&self) {
        let wanted = self.shell.config_untracked(|config| config.preload).unwrap_or(Preload::None)
            != Preload::None
            && effective_preload(Preload::Idle, &js::network_hints()) == Preload::Idle;
        let scheduled = self.precompile.try_borrow().map(|slot| slot.is_some()).unwrap_or(true);
        if !wanted || scheduled || !self.alive.get() {
            return;
        }
        let this = self.weak();
        let precompile = Idle::new(WIDGETS_IDLE_MS, move || {
            let Some(this) = this.upgrade() else { return };
            if this.alive.get() && !this.widgets_loading.get() && this.widget_stage().is_none() {
                this.shell.ask("chunk", &Value::from("split_widgets.wasm"));
            }
        });
        if let Ok(mut slot) = self.precompile.try_borrow_mut() {
            *slot = Some(precompile);
        }
    }

    /// Starts connecting (and, with a token provider already set, in JWT mode), and follows
    /// the page leaving and coming back from the back/forward cache.
    pub fn start(&self) {
        if let Some(window) = web_sys::window() {
            let (hidden, shown) = (self.weak(), self.weak());
            let listeners = vec![
                Listener::new(&window.clone().into(), "pagehide", move |_| {
                    if let Some(this) = hidden.upgrade() {
                        if let Ok(mut channel) = this.channel.try_borrow_mut() {
                            channel.take();
                        }
                        if let Ok(mut held) = this.held.try_borrow_mut() {
                            held.take();
                        }
                        this.dispatch(Input::PageHidden);
                    }
                }),
                Listener::new(&window.into(), "pageshow", move |event| {
                    // (`PageTransitionEvent.persisted`, read as a property: one import less.)
                    let persisted = js_sys::Reflect::get(&event, &JsValue::from_str("persisted"))
                        .is_ok_and(|persisted| persisted.is_truthy());
                    if let Some(this) = shown.upgrade().filter(|_| persisted) {
                        // The composer's text as another page left it.
                        if let Some(stored) = this.shell.with_persistence(|p| p.reread()) {
                            this.shell.draft.set(stored.draft);
                        }
                        this.dispatch(Input::PageShown);
                    }
                }),
            ];
            if let Ok(mut slot) = self.page_listeners.try_borrow_mut() {
                *slot = listeners;
            }
        }
        if self.shell.token_provider().is_some() {
            self.dispatch(Input::TokenProvider);
        }
        self.dispatch(Input::Connect);
        // A chat on screen from the start (inline, full page, or open): the widget stage is
        // compiled ahead now; a closed bubble's, once it opens.
        if self.shell.mode() != Mode::Bubble || self.shell.open.get_untracked() {
            self.precompile_widgets();
        }
    }

    /// Runs a command from the JS API.
    pub fn command(&self, command: PanelCommand) {
        match command {
            PanelCommand::Send { text, reply } => {
                let ticket = self.next_ticket.get() + 1;
                self.next_ticket.set(ticket);
                if let Ok(mut replies) = self.replies.try_borrow_mut() {
                    replies.push((ticket, reply));
                }
                self.dispatch(Input::Send { text, ticket });
            }
            PanelCommand::NewThread | PanelCommand::OpenThread(None) => self.dispatch(Input::NewThread),
            PanelCommand::OpenThread(Some(thread_id)) => self.dispatch(Input::OpenThread { thread_id }),
            PanelCommand::ShowHistory(show) => self.dispatch(Input::ShowHistory(show)),
            PanelCommand::Action { action, item_id } => self.dispatch(Input::Action { item_id, action }),
            PanelCommand::TokenProvider => self.dispatch(Input::TokenProvider),
            PanelCommand::Submit => {
                let draft = self.shell.draft.try_get_untracked().unwrap_or_default();
                self.dispatch(Input::Submit { draft });
            }
        }
    }

    /// Files the visitor picked: remembered for their uploads, then told to the session.
    pub fn attach(&self, files: Vec<web_sys::File>) {
        let picked = files.iter().map(|file| PickedFile { name: file.name(), size: file.size() }).collect();
        if let Ok(mut slots) = self.picked.try_borrow_mut() {
            *slots = files.into_iter().map(Some).collect();
        }
        self.dispatch(Input::Attach(picked));
    }

    /// Applies an input, runs its effects, and updates the view.
    pub fn dispatch(&self, input: Input) {
        if !self.alive.get() {
            return;
        }
        let batched = matches!(input, Input::Event { .. });
        if let Ok(mut inbox) = self.inbox.try_borrow_mut() {
            inbox.push_back(input);
        }
        if self.handling.replace(true) {
            // The outer dispatch handles it, in order.
            return;
        }
        // An effect may end the widget (an API event handler calling `destroy()`): what is left
        // is dropped.
        while self.alive.get() {
            let next = self.inbox.try_borrow_mut().ok().and_then(|mut inbox| inbox.pop_front());
            let Some(input) = next else { break };
            let effects = match self.session.try_borrow_mut() {
                Ok(mut session) => session.update_at(input, js_sys::Date::now()),
                Err(_) => break,
            };
            for effect in effects {
                if !self.alive.get() {
                    break;
                }
                self.run(effect);
            }
        }
        self.handling.set(false);
        if !self.alive.get() {
            return;
        }
        if batched {
            self.sync_next_frame();
        } else {
            self.sync();
        }
    }

    fn run(&self, effect: Effect) {
        match effect {
            Effect::Resolve { connection, backend, workflow, send_cookies } => {
                let this = self.weak();
                let language = client::language(self.shell);
                spawn_local(async move {
                    let result = client::public_workflow(&backend, &workflow, send_cookies, &language).await;
                    if let Some(this) = this.upgrade() {
                        this.dispatch(Input::Resolved { connection, result });
                    }
                });
            }
            Effect::OpenStore { connection, key, alias } => {
                let persist = self.shell.config_untracked(|config| config.persist).unwrap_or_default();
                let snapshot =
                    self.shell.with_persistence(|p| p.switch(persist, key, alias)).unwrap_or_default();
                let fresh_visitor_id = visitor_id_from_bytes(&js::random_bytes(22));
                self.dispatch(Input::StoreOpened { connection, snapshot, fresh_visitor_id });
            }
            Effect::UseEndpoint(endpoint) => {
                let tokens = (endpoint.auth == Auth::Token).then(|| {
                    let token_url = self.shell.config_untracked(|config| config.token_url.clone()).flatten();
                    let source = match (self.shell.token_provider(), token_url) {
                        (Some(provider), _) => TokenSource::Provider(provider),
                        (None, Some(url)) => TokenSource::Url(url),
                        (None, None) => TokenSource::Url(String::new()),
                    };
                    Tokens::new(source, endpoint.workflow_id.clone(), endpoint.send_cookies)
                });
                let this = self.weak();
                let channel = Channel::open(&endpoint.channel(), move |thread_id| {
                    if let Some(this) = this.upgrade() {
                        this.dispatch(Input::ThreadChanged { thread_id });
                    }
                });
                if let Ok(mut slot) = self.channel.try_borrow_mut() {
                    *slot = channel;
                }
                if let Ok(mut client) = self.client.try_borrow_mut() {
                    *client = Some(Rc::new(Client::new(endpoint, tokens, self.shell)));
                }
                let waiting =
                    self.waiting_files.try_borrow_mut().map(|mut files| std::mem::take(&mut *files));
                for (key, file) in waiting.unwrap_or_default() {
                    self.upload(key, file);
                }
            }
            Effect::Stream { turn, body, attempt, lock } => self.stream(turn, body, attempt, lock),
            Effect::AwaitLock { turn, name } => {
                let signal = self.stream.try_borrow().ok().and_then(|stream| {
                    stream.as_ref().filter(|(open, _)| *open == turn).map(|(_, abort)| abort.signal())
                });
                let this = self.weak();
                spawn_local(async move {
                    // Held for no longer than it takes to say it is free; Stop ends the wait.
                    if tabs::lock(&name, true, signal.as_ref()).await.is_ok() {
                        if let Some(this) = this.upgrade() {
                            this.dispatch(Input::LockFreed { turn });
                        }
                    }
                });
            }
            Effect::Broadcast { thread_id } => {
                if let Ok(channel) = self.channel.try_borrow() {
                    if let Some(channel) = channel.as_ref() {
                        channel.changed(&thread_id);
                    }
                }
            }
            Effect::Abort { turn } => {
                let open = self.stream.try_borrow_mut().ok().and_then(|mut stream| {
                    stream.take_if(|(open_turn, _)| *open_turn == turn).map(|(_, abort)| abort)
                });
                if let Some(abort) = open {
                    abort.abort();
                }
            }
            Effect::Call { call, body } => {
                let Some(client) = self.client() else { return };
                let this = self.weak();
                spawn_local(async move {
                    let result = client.call(&body).await;
                    if let (Some(call), Some(this)) = (call, this.upgrade()) {
                        this.dispatch(Input::Answered { call, result });
                    }
                });
            }
            Effect::Upload { key, index } => {
                let file =
                    self.picked.try_borrow_mut().ok().and_then(|mut files| files.get_mut(index)?.take());
                match file {
                    Some(file) => self.upload(key, file),
                    None => self.dispatch(Input::Uploaded { key, result: None }),
                }
            }
            Effect::Disconnect => {
                if let Ok(mut client) = self.client.try_borrow_mut() {
                    client.take();
                }
                if let Ok(mut files) = self.waiting_files.try_borrow_mut() {
                    files.clear();
                }
            }
            Effect::Persist(record) => {
                self.shell.with_persistence(|p| p.save_conversation(&record));
            }
            Effect::SetDraft(text) => self.shell.set_draft(text),
            Effect::Cooldown { cooldown, ms } => {
                let this = self.weak();
                let timer = Timeout::new(ms, move || {
                    if let Some(this) = this.upgrade() {
                        this.dispatch(Input::CooldownOver { cooldown });
                    }
                });
                if let Ok(mut slot) = self.cooldown.try_borrow_mut() {
                    *slot = Some(timer);
                }
            }
            Effect::Settle { ticket, result } => {
                let reply = self.replies.try_borrow_mut().ok().and_then(|mut replies| {
                    let index = replies.iter().position(|(t, _)| *t == ticket)?;
                    Some(replies.swap_remove(index).1)
                });
                match (reply, result) {
                    (Some(reply), Ok(text)) => reply.resolve(&text),
                    (Some(reply), Err(error)) => self.shell.reject(&reply, &error),
                    (None, _) => {}
                }
            }
            Effect::ClientTool { item_id, name, params } => {
                if let Ok(mut slot) = self.tool_call.try_borrow_mut() {
                    *slot = Some((item_id, name, params));
                }
                self.want_widgets();
                self.call_tool();
            }
            Effect::Emit(event) => self.emit(event),
            Effect::Warn(message) => js::warn(&message),
            Effect::ConsoleError(message) => js::error(&message),
        }
    }

    /// Uploads a file, or keeps it until connected.
    fn upload(&self, key: usize, file: web_sys::File) {
        let Some(client) = self.client() else {
            if let Ok(mut files) = self.waiting_files.try_borrow_mut() {
                files.push((key, file));
            }
            return;
        };
        let this = self.weak();
        spawn_local(async move {
            let result = client.upload(&file).await.ok();
            if let Some(this) = this.upgrade() {
                this.dispatch(Input::Uploaded { key, result });
            }
        });
    }

    fn client(&self) -> Option<Rc<Client>> {
        self.client.try_borrow().ok().and_then(|client| client.clone())
    }

    /// Opens a turn's stream and reports its events and its end.
    /// Streams a turn's reply, holding its conversation's lock (`lock`) while it does.
    fn stream(&self, turn: u64, body: Value, attempt: u32, lock: Option<TurnLock>) {
        let Some(client) = self.client() else {
            self.dispatch(Input::RequestFailed { turn, error: ChatError::network() });
            return;
        };
        let abort = AbortController::new().ok();
        let signal = abort.as_ref().map(AbortController::signal);
        if let (Some(abort), Ok(mut stream)) = (abort, self.stream.try_borrow_mut()) {
            *stream = Some((turn, abort));
        }
        let this = self.weak();
        spawn_local(async move {
            // Held until the stream ends, or the page goes.
            let held = match &lock {
                Some(TurnLock { name, wait }) => match tabs::lock(name, *wait, signal.as_ref()).await {
                    Ok(Locked::Held(guard)) => Some(guard),
                    Ok(Locked::Unsupported) => None,
                    Ok(Locked::Busy) => {
                        if let Some(this) = this.upgrade() {
                            this.dispatch(Input::LockBusy { turn });
                        }
                        return;
                    }
                    // Stopped while it waited for another tab's reply.
                    Err(_) => {
                        if let Some(this) = this.upgrade() {
                            this.dispatch(Input::RequestFailed { turn, error: ChatError::aborted() });
                        }
                        return;
                    }
                },
                None => None,
            };
            if let Some(this) = this.upgrade() {
                if let Ok(mut slot) = this.held.try_borrow_mut() {
                    *slot = held;
                }
            }
            let response = client.post(&body, signal.as_ref(), attempt).await;
            let end = match response {
                Err(error) => Input::RequestFailed { turn, error },
                Ok(response) => {
                    let events = this.clone();
                    let end = http::read_events(&response, move |event| {
                        if let Some(this) = events.upgrade() {
                            this.dispatch(Input::Event { turn, data: BrowserJson.parse(&event.data) });
                        }
                    })
                    .await;
                    Input::StreamEnded { turn, end }
                }
            };
            if let Some(this) = this.upgrade() {
                if let Ok(mut stream) = this.stream.try_borrow_mut() {
                    stream.take_if(|(open_turn, _)| *open_turn == turn);
                }
                if let Ok(mut held) = this.held.try_borrow_mut() {
                    held.take();
                }
                this.dispatch(end);
            }
        });
    }

    /// Delivers a JS API event.
    fn emit(&self, event: ApiEvent) {
        let id = |thread_id: Option<String>| optional(&thread_id);
        let (name, detail) = match event {
            ApiEvent::Message { id: item, role, text, thread_id } => (
                "message",
                object(vec![
                    ("id", Value::from(item)),
                    ("role", Value::from(role)),
                    ("text", Value::from(text)),
                    ("thread_id", id(thread_id)),
                ]),
            ),
            ApiEvent::ResponseStart { thread_id } => {
                ("response.start", object(vec![("thread_id", id(thread_id))]))
            }
            ApiEvent::ResponseEnd { thread_id, error } => {
                let mut fields = vec![("thread_id", id(thread_id))];
                if let Some(code) = error {
                    fields.push(("error", Value::from(code)));
                }
                ("response.end", object(fields))
            }
            ApiEvent::ThreadLoad { thread_id, done } => (
                if done { "thread.load.end" } else { "thread.load.start" },
                object(vec![("thread_id", Value::from(thread_id))]),
            ),
            ApiEvent::ThreadChange { thread_id } => {
                ("thread.change", object(vec![("thread_id", id(thread_id))]))
            }
            ApiEvent::Error(error) => {
                let message = self
                    .shell
                    .settings
                    .try_with_untracked(|settings| settings.locale.error_text(&error))
                    .unwrap_or_default();
                ("error", object(vec![("code", Value::from(error.code)), ("message", Value::from(message))]))
            }
            ApiEvent::Effect { name, data } => {
                ("effect", object(vec![("name", Value::from(name)), ("data", data)]))
            }
            ApiEvent::Feedback { item_id, positive, thread_id } => (
                "feedback",
                object(vec![
                    ("item_id", Value::from(item_id)),
                    ("kind", Value::from(if positive { "positive" } else { "negative" })),
                    ("thread_id", id(thread_id)),
                ]),
            ),
        };
        self.shell.emit(name, &detail);
    }

    /// Updates the view on the next frame (stream events come faster than frames).
    fn sync_next_frame(&self) {
        let pending = self.frame.try_borrow().map(|frame| frame.is_some()).unwrap_or(true);
        if pending {
            return;
        }
        let this = self.weak();
        let frame = AnimationFrame::new(move || {
            if let Some(this) = this.upgrade() {
                this.sync();
            }
        });
        if let Ok(mut slot) = self.frame.try_borrow_mut() {
            *slot = Some(frame);
        }
    }

    /// Mirrors the session into the view's signals, setting only what changed.
    fn sync(&self) {
        if let Ok(mut frame) = self.frame.try_borrow_mut() {
            frame.take();
        }
        let Ok(session) = self.session.try_borrow() else { return };
        let (view, shell) = (self.view, self.shell);
        let state = PanelState::of(&session);
        let turn_changed = view
            .state
            .try_with_untracked(|old| {
                (old.busy, old.has_content, &old.progress) != (state.busy, state.has_content, &state.progress)
            })
            .unwrap_or(false);
        if view.state.try_with_untracked(|old| *old != state).unwrap_or(false) {
            view.state.set(state);
        }
        if shell.unread.try_get_untracked() != Some(session.unread) {
            shell.unread.set(session.unread);
        }
        let name = session.workflow.as_ref().and_then(|w| w.name.clone()).unwrap_or_default();
        if shell.workflow_name.try_with_untracked(|old| *old != name).unwrap_or(false) {
            shell.workflow_name.set(name);
        }
        let waiting = session.waiting_entry();
        if self.sync_entries(session.thread.entries.iter().chain(&waiting)) || turn_changed {
            view.content.notify();
        }
    }

    /// Sets the signal of every entry whose revision moved, and the list when entries came,
    /// went or moved. Returns whether anything changed.
    fn sync_entries<'a>(&self, entries: impl Iterator<Item = &'a Entry>) -> bool {
        let Ok(mut mirror) = self.mirror.try_borrow_mut() else { return false };
        let mut old = std::mem::take(&mut mirror.cells);
        let mut changed = false;
        let mut order = Vec::new();
        let mut cells = Vec::new();
        for entry in entries {
            let cell = match old.remove(&entry.id) {
                Some((rev, signal)) => {
                    if rev != entry.rev {
                        signal.set(entry.clone());
                        changed = true;
                    }
                    signal
                }
                None => ArcRwSignal::new(entry.clone()),
            };
            order.push(entry.id.clone());
            cells.push(EntryCell { id: entry.id.clone(), entry: cell.clone() });
            mirror.cells.insert(entry.id.clone(), (entry.rev, cell));
        }
        if order != mirror.order {
            mirror.order = order;
            self.view.entries.set(cells);
            changed = true;
        }
        changed
    }

    /// Stops what runs: the stream, timers, pending frames; later reports are dropped.
    pub fn stop(&self) {
        self.alive.set(false);
        if let Ok(mut stream) = self.stream.try_borrow_mut() {
            if let Some((_, abort)) = stream.take() {
                abort.abort();
            }
        }
        if let Ok(mut timer) = self.cooldown.try_borrow_mut() {
            timer.take();
        }
        if let Ok(mut frame) = self.frame.try_borrow_mut() {
            frame.take();
        }
        if let Ok(mut idle) = self.precompile.try_borrow_mut() {
            idle.take();
        }
        if let Ok(mut listeners) = self.page_listeners.try_borrow_mut() {
            listeners.clear();
        }
        if let Ok(mut channel) = self.channel.try_borrow_mut() {
            channel.take();
        }
        if let Ok(mut held) = self.held.try_borrow_mut() {
            held.take();
        }
        let replies = self.replies.try_borrow_mut().map(|mut replies| std::mem::take(&mut *replies));
        for (_, reply) in replies.unwrap_or_default() {
            reply.reject("destroyed", "orcheo-chat was destroyed");
        }
    }
}

impl Drop for Controller {
    /// However the controller goes, its stream and timers go with it.
    fn drop(&mut self) {
        self.stop();
    }
}
