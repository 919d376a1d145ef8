//! The chat controller: owns the conversation ([`ThreadState`]), the connection to Orcheo and
//! the persisted snapshot, runs turns, and mirrors the state into the signals the view reads.
//!
//! Every asynchronous step checks a generation number before touching state, so work that
//! outlives a new conversation, a reconnect or `destroy()` is dropped instead of applied.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

/// A boxed, single-threaded future: one copy of its state machine, whoever awaits it.
type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::JsValue;
use web_sys::AbortController;

use crate::config::{Config, Prompt, WorkflowRef};
use crate::error::{ChatError, ErrorKind, Retry};
use crate::i18n::{Locale, Text};
use crate::json::{object, optional, JsonCodec};
use crate::persist::{is_valid_visitor_id, storage_key, visitor_id_from_bytes, Snapshot};
use crate::protocol::{
    request_metadata, Item, ItemBody, Page, PublicWorkflow, Request, StreamEvent, ThreadMeta, UserInput,
};
use crate::sse::SseEvent;
use crate::thread::{progress_label, Entry, RetryTarget, ThreadState, TurnOutcome};
use crate::web::auth::{TokenSource, Tokens};
use crate::web::client::{self, Client, Identity};
use crate::web::js::{self, Timeout};
use crate::web::json::{self, BrowserJson};
use crate::web::net::{self, StreamEnd};
use crate::web::storage::BrowserStore;

/// Newest history items fetched when a conversation is restored.
const HISTORY_PAGE: u32 = 50;

/// Whether the widget can talk to its workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// No backend or workflow configured.
    Unconfigured,
    /// Resolving the workflow and restoring the conversation.
    Connecting,
    /// Ready to send.
    Ready,
    /// The workflow cannot be reached (see [`Chat::blocked`]).
    Blocked,
}

/// The turn in flight, as the view shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct TurnView {
    /// Progress text worth showing; `None` means a generic "Working…".
    pub label: Option<String>,
    /// Assistant content has started to arrive (the typing indicator goes).
    pub has_content: bool,
}

/// What starts a turn.
enum Start {
    Send(String),
    Retry(String),
    Action { item_id: Option<String>, action: Value },
}

struct Engine {
    thread: ThreadState,
    store: Option<BrowserStore>,
    key: Option<String>,
    snapshot: Snapshot,
    client: Option<Rc<Client>>,
    abort: Option<AbortController>,
    emit: js_sys::Function,
    token_provider: Option<js_sys::Function>,
    consecutive_429s: u32,
    generation: u64,
    /// The `ready` event went out.
    ready_sent: bool,
    rate_limit_timer: Option<Timeout>,
}

/// The controller. `Copy`: every field is an arena handle.
#[derive(Clone, Copy)]
pub struct Chat {
    /// The options in force.
    pub config: RwSignal<Config>,
    /// Whether the panel is open.
    pub open: RwSignal<bool>,
    /// Connection state.
    pub status: RwSignal<Status>,
    /// Why the workflow cannot be reached, when [`Status::Blocked`].
    pub blocked: RwSignal<Option<ChatError>>,
    /// What `/public` said about the workflow (name, start prompts).
    pub workflow: RwSignal<Option<PublicWorkflow>>,
    /// Bumped whenever the conversation changes; the message list re-reads it then.
    pub version: RwSignal<u64>,
    /// The turn in flight.
    pub turn: RwSignal<Option<TurnView>>,
    /// The composer's text.
    pub draft: RwSignal<String>,
    /// A reply arrived while the panel was closed.
    pub unread: RwSignal<bool>,
    /// The polite live region's text: the last completed assistant turn.
    pub announcement: RwSignal<String>,
    /// A rate limit is in force: Send and Retry wait.
    pub cooling_down: RwSignal<bool>,
    /// Older history can be loaded.
    pub has_older: RwSignal<bool>,
    /// The conversation list is showing.
    pub showing_history: RwSignal<bool>,
    /// The conversations of the list, newest first.
    pub threads: RwSignal<Vec<ThreadMeta>>,
    /// The strings in use.
    locale: StoredValue<Locale>,
}

thread_local! {
    /// The engine of the page's one widget (a page mounts at most one).
    static ENGINE: std::cell::RefCell<Option<Engine>> = const { std::cell::RefCell::new(None) };
}

/// Reads the engine; `None` once the widget is destroyed.
fn read<T>(f: impl FnOnce(&Engine) -> T) -> Option<T> {
    ENGINE.with(|engine| engine.try_borrow().ok()?.as_ref().map(f))
}

/// Changes the engine; `None` once the widget is destroyed.
fn write<T>(f: impl FnOnce(&mut Engine) -> T) -> Option<T> {
    ENGINE.with(|engine| engine.try_borrow_mut().ok()?.as_mut().map(f))
}

impl Chat {
    /// A controller for `config`; `emit(name, detail)` delivers the JS API's events.
    /// Call inside the reactive owner that renders the view.
    pub fn new(
        config: Config,
        emit: js_sys::Function,
        token_provider: Option<js_sys::Function>,
        locale: Locale,
    ) -> Self {
        let open = config.open;
        let chat = Self {
            config: RwSignal::new(config),
            open: RwSignal::new(open),
            status: RwSignal::new(Status::Connecting),
            blocked: RwSignal::new(None),
            workflow: RwSignal::new(None),
            version: RwSignal::new(0),
            turn: RwSignal::new(None),
            draft: RwSignal::new(String::new()),
            unread: RwSignal::new(false),
            announcement: RwSignal::new(String::new()),
            cooling_down: RwSignal::new(false),
            has_older: RwSignal::new(false),
            showing_history: RwSignal::new(false),
            threads: RwSignal::new(Vec::new()),
            locale: StoredValue::new(locale),
        };
        ENGINE.with(|engine| {
            *engine.borrow_mut() = Some(Engine {
                thread: ThreadState::new(),
                store: None,
                key: None,
                snapshot: Snapshot::default(),
                client: None,
                abort: None,
                emit,
                token_provider,
                consecutive_429s: 0,
                generation: 0,
                ready_sent: false,
                rate_limit_timer: None,
            });
        });
        chat.watch();
        chat
    }

    /// A string of the locale in use.
    pub fn text(&self, text: Text) -> String {
        self.locale.with_value(|locale| locale.get(text).to_owned())
    }

    /// The locale in use.
    pub fn locale(&self) -> Locale {
        self.locale.get_value()
    }

    /// Switches the locale (the view is remounted by the caller to pick it up).
    pub fn set_locale(&self, locale: Locale) {
        self.locale.set_value(locale);
    }

    /// What a failure says: the server's sentence if it sent one, else the locale's.
    pub fn error_text(&self, error: &ChatError) -> String {
        error
            .server_message
            .clone()
            .unwrap_or_else(|| self.locale.with_value(|locale| locale.error(error.kind).to_owned()))
    }

    /// The header title: the embed's, else the workflow's name, else the locale's "Chat".
    pub fn title(&self) -> String {
        self.config
            .with(|config| config.title.clone())
            .or_else(|| self.workflow.with(|workflow| workflow.as_ref().and_then(|w| w.name.clone())))
            .unwrap_or_else(|| self.text(Text::DefaultTitle))
    }

    /// The start prompts: the embed's, else the workflow's.
    pub fn prompts(&self) -> Vec<Prompt> {
        self.config
            .with(|config| config.prompts.clone())
            .or_else(|| self.workflow.with(|workflow| workflow.as_ref().map(|w| w.prompts.clone())))
            .unwrap_or_default()
    }

    /// Whether a turn is running.
    pub fn busy(&self) -> bool {
        self.turn.with(Option::is_some)
    }

    fn emit(&self, name: &str, detail: Value) {
        let emit = read(|engine| engine.emit.clone());
        if let Some(emit) = emit {
            let _ = emit.call2(&JsValue::NULL, &JsValue::from_str(name), &json::to_js(&detail));
        }
    }

    fn is_current(&self, generation: u64) -> bool {
        read(|engine| engine.generation == generation).unwrap_or(false)
    }

    /// Opens or closes the panel, announcing the change with an `open`/`close` event.
    pub fn set_open(self, open: bool) {
        if self.open.get_untracked() == open {
            return;
        }
        self.open.set(open);
        if open {
            self.unread.set(false);
        }
        self.emit(if open { "open" } else { "close" }, Value::Null);
    }

    /// Effects that keep the snapshot in step with the panel and the composer.
    fn watch(self) {
        Effect::new(move |_| {
            let open = self.open.get();
            self.persist(|snapshot| snapshot.open = open);
        });
        Effect::new(move |_| {
            let draft = self.draft.get();
            self.persist(|snapshot| snapshot.draft = draft);
        });
    }

    fn persist(&self, change: impl FnOnce(&mut Snapshot)) {
        write(|engine| {
            change(&mut engine.snapshot);
            if let (Some(store), Some(key)) = (engine.store.as_mut(), engine.key.as_ref()) {
                let _ = engine.snapshot.save(store, key, &BrowserJson);
            }
        });
    }

    /// (Re)connects: resolves the workflow, opens storage, and restores the conversation.
    /// The first connection ends with the `ready` event: the widget is then interactive and
    /// `OrcheoChat.send()` can run.
    pub fn connect(self) {
        spawn_local(async move {
            let generation = self.connect_now().await;
            let first = write(|engine| std::mem::replace(&mut engine.ready_sent, true)) == Some(false);
            if first && self.is_current(generation) {
                self.emit("ready", Value::Null);
            }
        });
    }

    fn connect_now(self) -> LocalFuture<u64> {
        Box::pin(self.connect_inner())
    }

    async fn connect_inner(self) -> u64 {
        let generation = self.reset();
        self.status.set(Status::Connecting);
        self.blocked.set(None);
        let config = self.config.get_untracked();
        let (Some(backend), Some(reference)) = (config.backend.clone(), config.workflow.clone()) else {
            self.status.set(Status::Unconfigured);
            js::warn("set data-backend and data-workflow to connect the chat to an Orcheo workflow");
            return generation;
        };
        // `/public` names the workflow and lists its start prompts, and resolves handles. A JWT
        // workflow is usually private (its `/public` answers 403 and the browser logs that), so
        // with a UUID in JWT mode it is not asked: the embed sets the title and prompts.
        let jwt_mode = config.token_url.is_some() || read(|e| e.token_provider.is_some()).unwrap_or(false);
        let public = match (&reference, jwt_mode) {
            (WorkflowRef::Id(_), true) => Err(ChatError::network()),
            _ => client::public_workflow(&backend, &reference, config.send_cookies).await,
        };
        if !self.is_current(generation) {
            return generation;
        }
        let workflow_id = match (&reference, &public) {
            (WorkflowRef::Id(id), _) => id.clone(),
            (WorkflowRef::Handle(_), Ok(found)) => found.id.clone(),
            (WorkflowRef::Handle(handle), Err(error)) => {
                if error.kind == ErrorKind::Misconfigured || error.kind == ErrorKind::WorkflowNotFound {
                    js::error(&format!(
                        "the workflow handle \"{handle}\" could not be resolved at {backend}"
                    ));
                }
                self.block(error.clone());
                return generation;
            }
        };
        let public = public.ok();
        let name =
            public.as_ref().and_then(|w| w.name.clone()).or_else(|| config.title.clone()).unwrap_or_default();
        self.workflow.set(public);

        let mut store = BrowserStore::open(config.persist);
        let key = storage_key(&backend, &workflow_id);
        let (mut snapshot, error) = Snapshot::load(&store, &key, &BrowserJson);
        if let Some(error) = error {
            js::warn(&format!("could not read the saved conversation ({})", error.0));
        }
        let visitor = match snapshot.visitor_id.clone().filter(|id| is_valid_visitor_id(id)) {
            Some(id) => id,
            None => visitor_id_from_bytes(&js::random_bytes(22)),
        };
        snapshot.visitor_id = Some(visitor.clone());
        let _ = snapshot.save(&mut store, &key, &BrowserJson);

        let provider = read(|engine| engine.token_provider.clone()).flatten();
        let source =
            provider.map(TokenSource::Provider).or_else(|| config.token_url.clone().map(TokenSource::Url));
        let identity = match source {
            Some(source) => Identity::Token(Tokens::new(source, workflow_id.clone(), config.send_cookies)),
            None => Identity::Visitor(visitor),
        };
        let client = Rc::new(Client {
            backend,
            metadata: request_metadata(&workflow_id, &name, &config.metadata),
            workflow_id,
            send_cookies: config.send_cookies,
            identity,
        });
        let restore = snapshot.thread_id.clone();
        let draft = snapshot.draft.clone();
        let was_open = snapshot.open;
        write(|engine| {
            engine.store = Some(store);
            engine.key = Some(key);
            engine.snapshot = snapshot;
            engine.client = Some(Rc::clone(&client));
        });
        if !draft.is_empty() && self.draft.with_untracked(String::is_empty) {
            self.draft.set(draft);
        }
        if was_open {
            self.set_open(true);
        }
        if let Some(thread_id) = restore {
            self.restore(&client, &thread_id, generation).await;
        }
        if self.is_current(generation) {
            self.status.set(Status::Ready);
        }
        generation
    }

    /// Loads a stored conversation's newest items. A thread the server no longer knows (an
    /// empty page, or an error the browser cannot read) is forgotten quietly.
    async fn restore(self, client: &Client, thread_id: &str, generation: u64) {
        let request = Request::ItemsList {
            thread_id: thread_id.to_owned(),
            limit: Some(HISTORY_PAGE),
            descending: true,
            after: None,
        };
        let result = client.call(&request).await;
        if !self.is_current(generation) {
            return;
        }
        match result.map(|value| Page::from_json(&value, Item::from_json)) {
            Ok(Ok(page)) if !page.data.is_empty() => {
                write(|engine| engine.thread.load_history(thread_id, page));
                self.sync();
                self.emit("thread.change", object(vec![("thread_id", Value::from(thread_id))]));
            }
            Ok(_) | Err(ChatError { kind: ErrorKind::Network, .. }) => {
                self.persist(|snapshot| snapshot.forget_thread(thread_id));
            }
            Err(error) => self.block(error),
        }
    }

    fn block(&self, error: ChatError) {
        if let Some(hint) = &error.embedder_hint {
            js::error(hint);
        }
        self.blocked.set(Some(error));
        self.status.set(Status::Blocked);
    }

    /// Stops any turn, forgets the conversation on screen, and returns the new generation.
    fn reset(&self) -> u64 {
        let generation = write(|engine| {
            engine.generation += 1;
            if let Some(abort) = engine.abort.take() {
                abort.abort();
            }
            engine.thread = ThreadState::new();
            engine.rate_limit_timer = None;
            engine.generation
        })
        .unwrap_or(u64::MAX);
        self.cooling_down.set(false);
        self.sync();
        generation
    }

    /// Starts a fresh conversation.
    pub fn new_thread(self) {
        self.reset();
        self.persist(|snapshot| snapshot.thread_id = None);
        self.emit("thread.change", object(vec![("thread_id", Value::Null)]));
    }

    /// Sends the composer's text.
    pub fn submit(self) {
        let text = self.draft.get_untracked().trim().to_owned();
        if text.is_empty()
            || self.busy()
            || self.cooling_down.get_untracked()
            || self.status.get_untracked() != Status::Ready
        {
            return;
        }
        self.draft.set(String::new());
        spawn_local(async move {
            let _ = self.send(text).await;
        });
    }

    /// Sends `text` and resolves with the reply text.
    ///
    /// # Errors
    /// What went wrong; the failure is also shown in the panel.
    pub async fn send(self, text: String) -> Result<String, ChatError> {
        self.turn_guard()?;
        self.run(Start::Send(text)).await
    }

    /// Retries a failed turn as its failure entry says.
    pub fn retry(self, target: RetryTarget) {
        if self.busy() || self.cooling_down.get_untracked() {
            return;
        }
        let start = match target {
            RetryTarget::Resend(text) => {
                // The text went back to the composer when the send failed: take it out again.
                if self.draft.with_untracked(|draft| draft.trim() == text.trim()) {
                    self.draft.set(String::new());
                }
                Start::Send(text)
            }
            RetryTarget::RetryAfter(item_id) => Start::Retry(item_id),
            RetryTarget::Action { item_id, action } => Start::Action { item_id, action },
        };
        spawn_local(async move {
            let _ = self.run(start).await;
        });
    }

    /// Sends a widget action (`threads.custom_action`).
    pub fn action(self, item_id: Option<String>, action: Value) {
        if self.busy() {
            return;
        }
        spawn_local(async move {
            let _ = self.run(Start::Action { item_id, action }).await;
        });
    }

    /// Stops the reply in flight.
    pub fn stop(self) {
        write(|engine| {
            if let Some(abort) = engine.abort.take() {
                abort.abort();
            }
        });
    }

    fn turn_guard(&self) -> Result<(), ChatError> {
        match self.status.get_untracked() {
            Status::Ready if self.busy() => {
                let mut error = ChatError::network();
                error.code = "busy".into();
                Err(error)
            }
            Status::Ready => Ok(()),
            _ => Err(self.blocked.get_untracked().unwrap_or_else(|| {
                ChatError::misconfigured("the chat is not connected: set data-backend and data-workflow")
            })),
        }
    }

    /// Runs one turn. Boxed so its (large) state machine exists once, not inlined into every
    /// place that starts a turn.
    fn run(self, start: Start) -> LocalFuture<Result<String, ChatError>> {
        Box::pin(self.run_turn(start))
    }

    async fn run_turn(self, start: Start) -> Result<String, ChatError> {
        let Some(client) = read(|engine| engine.client.clone()).flatten() else {
            return Err(ChatError::misconfigured("the chat is not connected"));
        };
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        let prepared = write(|engine| {
            let thread_id = engine.thread.id.clone();
            let request = match start {
                Start::Send(text) => {
                    engine.thread.begin_send(&text);
                    let input = UserInput::text(text);
                    match thread_id {
                        Some(thread_id) => Request::ThreadsAddUserMessage { thread_id, input },
                        None => Request::ThreadsCreate { input },
                    }
                }
                Start::Retry(item_id) => {
                    engine.thread.begin_retry(&item_id);
                    Request::ThreadsRetryAfterItem { thread_id: thread_id.unwrap_or_default(), item_id }
                }
                Start::Action { item_id, action } => {
                    engine.thread.begin_action(item_id.clone(), action.clone());
                    Request::ThreadsCustomAction { thread_id: thread_id.unwrap_or_default(), item_id, action }
                }
            };
            engine.abort = controller;
            (request, engine.generation, engine.consecutive_429s + 1)
        });
        let Some((request, generation, attempt)) = prepared else { return Err(ChatError::aborted()) };
        self.sync();
        self.emit("response.start", object(vec![("thread_id", optional(&self.thread_id()))]));

        let outcome = match client.post(&request, signal.as_ref(), attempt).await {
            Err(error) => write(|engine| engine.thread.fail_request(error)).flatten(),
            Ok(response) => {
                let end = net::read_events(&response, |event| self.on_event(event, generation)).await;
                write(|engine| match end {
                    StreamEnd::Aborted => engine.thread.abort(),
                    StreamEnd::Complete | StreamEnd::Broken => engine.thread.end_stream(),
                })
                .flatten()
            }
        };
        if !self.is_current(generation) {
            return Err(ChatError::aborted());
        }
        write(|engine| engine.abort = None);
        self.sync();
        let result = match outcome {
            Some(TurnOutcome::Replied(text)) => {
                write(|engine| engine.consecutive_429s = 0);
                self.announcement.set(text.clone());
                if !self.open.get_untracked() {
                    self.unread.set(true);
                }
                Ok(text)
            }
            Some(TurnOutcome::Failed { error, restore_draft }) => {
                self.failed(&error, restore_draft);
                Err(error)
            }
            None => Err(ChatError::aborted()),
        };
        let mut detail = vec![("thread_id", optional(&self.thread_id()))];
        if let Err(error) = &result {
            detail.push(("error", Value::from(error.code.as_str())));
        }
        let detail = object(detail);
        self.emit("response.end", detail);
        result
    }

    fn failed(self, error: &ChatError, restore_draft: Option<String>) {
        if let Some(text) = restore_draft {
            if self.draft.with_untracked(|draft| draft.trim().is_empty()) {
                self.draft.set(text);
            }
        }
        if let Some(hint) = &error.embedder_hint {
            js::error(hint);
        }
        if let Retry::After(seconds) = error.retry {
            self.cooling_down.set(true);
            let timer =
                Timeout::new(seconds.saturating_mul(1000) as i32, move || self.cooling_down.set(false));
            write(|engine| {
                engine.consecutive_429s += 1;
                engine.rate_limit_timer = Some(timer);
            });
        }
        let message = self.error_text(error);
        self.emit(
            "error",
            object(vec![("code", Value::from(error.code.as_str())), ("message", Value::from(message))]),
        );
    }

    fn on_event(self, event: SseEvent, generation: u64) {
        if !self.is_current(generation) {
            return;
        }
        let Some(value) = BrowserJson.parse(&event.data) else {
            js::warn("skipped a stream event that is not JSON");
            return;
        };
        let event = match StreamEvent::from_json(&value) {
            Ok(event) => event,
            Err(error) => {
                js::warn(&format!("skipped a stream event: {}", error.0));
                return;
            }
        };
        let created = match &event {
            StreamEvent::ThreadCreated(meta) => Some(meta.id.clone()),
            _ => None,
        };
        let finished = match &event {
            StreamEvent::ItemDone(item) => message_detail(item),
            _ => None,
        };
        write(|engine| engine.thread.apply(event));
        if let Some(thread_id) = created {
            self.persist(|snapshot| snapshot.remember_thread(&thread_id));
            self.emit("thread.change", object(vec![("thread_id", Value::from(thread_id))]));
        }
        if let Some((id, role, text)) = finished {
            let detail = object(vec![
                ("id", Value::from(id)),
                ("role", Value::from(role)),
                ("text", Value::from(text)),
                ("thread_id", optional(&self.thread_id())),
            ]);
            self.emit("message", detail);
        }
        self.sync();
    }

    fn thread_id(&self) -> Option<String> {
        read(|engine| engine.thread.id.clone()).flatten()
    }

    /// Loads the next page of older history.
    pub fn load_older(self) {
        let prepared = read(|engine| {
            Some((
                engine.client.clone()?,
                engine.thread.id.clone()?,
                engine.thread.older_cursor.clone()?,
                engine.generation,
            ))
        });
        let Some((client, thread_id, after, generation)) = prepared.flatten() else { return };
        spawn_local(async move {
            let request = Request::ItemsList {
                thread_id,
                limit: Some(HISTORY_PAGE),
                descending: true,
                after: Some(after),
            };
            let page = client
                .call(&request)
                .await
                .ok()
                .and_then(|value| Page::from_json(&value, Item::from_json).ok());
            if let Some(page) = page.filter(|_| self.is_current(generation)) {
                write(|engine| engine.thread.prepend_history(page));
                self.sync();
            }
        });
    }

    /// Tells the view the conversation changed, and mirrors the turn.
    fn sync(&self) {
        let synced = read(|engine| {
            let turn = engine.thread.turn.as_ref().map(|turn| TurnView {
                label: turn.progress.as_deref().and_then(progress_label),
                has_content: turn.has_content,
            });
            (turn, engine.thread.older_cursor.is_some())
        });
        let Some((turn, has_older)) = synced else { return };
        self.version.update(|version| *version += 1);
        if self.turn.with_untracked(|current| current != &turn) {
            self.turn.set(turn);
        }
        if self.has_older.get_untracked() != has_older {
            self.has_older.set(has_older);
        }
    }

    /// Reads the conversation's entries (for the message list).
    pub fn with_entries<T>(&self, use_entries: impl FnOnce(&[Entry]) -> T) -> Option<T> {
        read(|engine| use_entries(&engine.thread.entries))
    }

    /// Retries the failed turn shown by the entry `id`.
    pub fn retry_entry(self, id: &str) {
        let target = self.with_entries(|entries| {
            entries.iter().find(|entry| entry.id == id).and_then(|entry| match &entry.kind {
                crate::thread::EntryKind::Failure { retry, .. } => retry.clone(),
                _ => None,
            })
        });
        if let Some(target) = target.flatten() {
            self.retry(target);
        }
    }

    /// Sends a start prompt.
    pub fn send_prompt(self, text: String) {
        if self.busy() || self.status.get_untracked() != Status::Ready {
            return;
        }
        spawn_local(async move {
            let _ = self.send(text).await;
        });
    }

    /// Shows the conversation list, refreshing it from the server (only conversations started
    /// here are listed: older Orcheo releases list every visitor's threads).
    pub fn show_history(self) {
        self.showing_history.set(true);
        let prepared = read(|engine| (engine.client.clone(), engine.snapshot.threads.clone()));
        let Some((Some(client), known)) = prepared else { return };
        spawn_local(async move {
            let request = Request::ThreadsList { limit: Some(50), descending: true, after: None };
            let Ok(value) = client.call(&request).await else { return };
            let Ok(page) = Page::from_json(&value, ThreadMeta::from_json) else { return };
            let mut threads: Vec<ThreadMeta> =
                page.data.into_iter().filter(|thread| known.contains(&thread.id)).collect();
            threads.sort_by_key(|thread| known.iter().position(|id| id == &thread.id));
            self.threads.set(threads);
        });
    }

    /// Opens a conversation from the list.
    pub fn open_thread(self, thread_id: String) {
        self.showing_history.set(false);
        let generation = self.reset();
        self.persist(|snapshot| snapshot.remember_thread(&thread_id));
        let client = read(|engine| engine.client.clone()).flatten();
        if let Some(client) = client {
            spawn_local(async move { self.restore(&client, &thread_id, generation).await });
        }
    }

    /// Renames a conversation.
    pub fn rename_thread(self, thread_id: String, title: String) {
        let title = title.trim().to_owned();
        let client = read(|engine| engine.client.clone()).flatten();
        let (Some(client), false) = (client, title.is_empty()) else { return };
        self.threads.update(|threads| {
            if let Some(thread) = threads.iter_mut().find(|thread| thread.id == thread_id) {
                thread.title = Some(title.clone());
            }
        });
        spawn_local(async move {
            let _ = client.call(&Request::ThreadsUpdate { thread_id, title }).await;
        });
    }

    /// Deletes a conversation (and leaves it if it is the open one).
    pub fn delete_thread(self, thread_id: String) {
        let client = read(|engine| engine.client.clone()).flatten();
        let Some(client) = client else { return };
        self.threads.update(|threads| threads.retain(|thread| thread.id != thread_id));
        if self.thread_id().as_deref() == Some(thread_id.as_str()) {
            self.new_thread();
        }
        self.persist(|snapshot| snapshot.forget_thread(&thread_id));
        spawn_local(async move {
            let _ = client.call(&Request::ThreadsDelete { thread_id }).await;
        });
    }

    /// Replaces the token provider (JWT mode driven by host JS) and reconnects.
    pub fn set_token_provider(self, provider: js_sys::Function) {
        write(|engine| engine.token_provider = Some(provider));
        self.connect();
    }

    /// Stops everything in flight and drops timers (the view is being removed).
    pub fn shutdown(self) {
        self.reset();
        // Dropping the engine aborts nothing more (reset did) and clears its timers.
        let engine = ENGINE.with(|engine| engine.try_borrow_mut().ok().and_then(|mut engine| engine.take()));
        drop(engine);
    }
}

/// `(id, role, text)` of a finished user or assistant item, for the `message` event.
fn message_detail(item: &Item) -> Option<(String, &'static str, String)> {
    let (role, text) = match &item.body {
        ItemBody::User(message) => ("user", message.text.clone()),
        ItemBody::Assistant(parts) => {
            ("assistant", parts.iter().map(|part| part.text.as_str()).collect::<Vec<_>>().join("\n\n"))
        }
        _ => return None,
    };
    Some((item.id.clone(), role, text))
}
