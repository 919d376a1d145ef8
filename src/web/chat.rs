//! The chat controller: owns the conversation ([`ThreadState`]), what the panel shows
//! ([`Ui`]), the connection to Orcheo and the persisted snapshot, and runs turns.
//!
//! All of it lives in one engine per page. Every change ends by notifying one trigger; the
//! view tracks that trigger and redraws from [`with_state`] (see `view.rs`). One trigger rather
//! than a signal per field keeps the reactive machinery, and the wasm, small: the size budget
//! is the one hard gate.
//!
//! Every asynchronous step checks a generation number before touching state, so work that
//! outlives a new conversation, a reconnect or `destroy()` is dropped instead of applied.
//! Host callbacks (`emit`) run with no borrow of the engine held: a handler may call the JS API.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::{ArcTrigger, Notify};
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
    assistant_text, request_metadata, Item, ItemBody, Page, PublicWorkflow, Request, StreamEvent, ThreadMeta,
    UserInput,
};
use crate::sse::SseEvent;
use crate::thread::{EntryKind, RetryTarget, ThreadState, TurnOutcome};
use crate::web::auth::{TokenSource, Tokens};
use crate::web::client::{self, Client, Identity};
use crate::web::js::{self, Timeout};
use crate::web::json::{self, BrowserJson};
use crate::web::net::{self, StreamEnd};
use crate::web::storage::BrowserStore;

/// A boxed, single-threaded future: one copy of its state machine, whoever awaits it.
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

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
    /// The workflow cannot be reached (see [`Ui::blocked`]).
    Blocked,
}

/// What the panel shows besides the conversation.
pub struct Ui {
    /// The options in force.
    pub config: Config,
    /// The strings in use.
    pub locale: Locale,
    /// Bumped when `locale` changes: every string is drawn again then.
    pub locale_rev: u64,
    /// Whether the panel is open.
    pub open: bool,
    /// Connection state.
    pub status: Status,
    /// Why the workflow cannot be reached, when [`Status::Blocked`].
    pub blocked: Option<ChatError>,
    /// What `/public` said about the workflow (name, start prompts).
    pub workflow: Option<PublicWorkflow>,
    /// The composer's text.
    pub draft: String,
    /// A reply arrived while the panel was closed.
    pub unread: bool,
    /// The polite live region's text: the last completed assistant turn.
    pub announcement: String,
    /// A rate limit is in force: Send and Retry wait.
    pub cooling_down: bool,
    /// The conversation list is showing.
    pub showing_history: bool,
    /// The conversations of the list, newest first.
    pub threads: Vec<ThreadMeta>,
    /// The conversation being renamed in the list.
    pub editing: Option<String>,
    /// Bumped when `threads` or `editing` changes: the list is redrawn then.
    pub threads_rev: u64,
    /// Files attached to the next message.
    pub uploads: Vec<Upload>,
    /// Bumped when `uploads` changes.
    pub uploads_rev: u64,
}

/// A file attached to the next message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// Names the upload in the view (`data-key`).
    pub key: usize,
    /// The file's name.
    pub name: String,
    /// Where the upload stands.
    pub state: UploadState,
}

/// Where an upload stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UploadState {
    /// Being sent to `/api/chatkit/upload`.
    Uploading,
    /// Stored: the attachment id goes with the next message.
    Ready(String),
    /// Too large, or the upload failed.
    Failed,
}

/// Largest file Orcheo stores (its default `ORCHEO_CHATKIT_MAX_UPLOAD_SIZE_BYTES`).
const MAX_UPLOAD_BYTES: f64 = 5_000_000.0;

impl Ui {
    /// A string of the locale in use.
    pub fn text(&self, text: Text) -> &str {
        self.locale.get(text)
    }

    /// The header title: the embed's, else the workflow's name, else the locale's "Chat".
    pub fn title(&self) -> &str {
        self.config
            .title
            .as_deref()
            .or_else(|| self.workflow.as_ref().and_then(|w| w.name.as_deref()))
            .unwrap_or_else(|| self.text(Text::DefaultTitle))
    }

    /// The start prompts: the embed's, else the workflow's.
    pub fn prompts(&self) -> &[Prompt] {
        self.config
            .prompts
            .as_deref()
            .or_else(|| self.workflow.as_ref().map(|w| w.prompts.as_slice()))
            .unwrap_or_default()
    }

    /// An upload is still running (Send waits for it).
    pub fn uploading(&self) -> bool {
        self.uploads.iter().any(|upload| upload.state == UploadState::Uploading)
    }

    /// The start screen's greeting: the embed's, else the locale's.
    pub fn greeting(&self) -> &str {
        self.config.greeting.as_deref().unwrap_or_else(|| self.text(Text::Greeting))
    }
}

/// What starts a turn.
enum Start {
    /// Text and attachment ids.
    Send(String, Vec<String>),
    Retry(String),
    Action {
        item_id: Option<String>,
        action: Value,
    },
}

struct Engine {
    ui: Ui,
    thread: ThreadState,
    /// Notified after every change; the view tracks it.
    changed: ArcTrigger,
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
    /// The visitor sent while the widget was still connecting: send once it is ready.
    send_when_ready: bool,
    /// Numbers the uploads.
    next_upload: usize,
    /// The uploads of the message in flight: back to the composer if it never arrives.
    sent_uploads: Vec<Upload>,
    rate_limit_timer: Option<Timeout>,
}

impl Engine {
    /// Writes the snapshot to storage (best effort: storage may be full or blocked).
    fn save(&mut self) {
        if let (Some(store), Some(key)) = (self.store.as_mut(), self.key.as_ref()) {
            let _ = self.snapshot.save(store, key, &BrowserJson);
        }
    }

    /// Aborts the request of the turn in flight, if any.
    fn abort_turn(&mut self) {
        if let Some(abort) = self.abort.take() {
            abort.abort();
        }
    }

    fn busy(&self) -> bool {
        self.thread.turn.is_some()
    }

    fn can_start_turn(&self) -> bool {
        self.ui.status == Status::Ready && !self.busy() && !self.ui.cooling_down
    }

    /// Takes the composer's uploads for the message being sent: their attachment ids.
    fn take_uploads(&mut self) -> Vec<String> {
        self.sent_uploads = std::mem::take(&mut self.ui.uploads);
        self.ui.uploads_rev += 1;
        self.sent_uploads
            .iter()
            .filter_map(|upload| match &upload.state {
                UploadState::Ready(id) => Some(id.clone()),
                _ => None,
            })
            .collect()
    }
}

thread_local! {
    /// The engine of the page's one widget (a page mounts at most one).
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

/// Reads or changes the engine without telling the view; `None` once the widget is destroyed
/// (or while the engine is borrowed, which only a host callback re-entering the widget could
/// cause).
fn write<T>(f: impl FnOnce(&mut Engine) -> T) -> Option<T> {
    ENGINE.with(|engine| engine.try_borrow_mut().ok()?.as_mut().map(f))
}

/// Changes the engine and tells the view (whose effect runs later, as a task: it never
/// re-enters the engine from here).
fn change<T>(f: impl FnOnce(&mut Engine) -> T) -> Option<T> {
    write(|engine| {
        let out = f(engine);
        engine.changed.notify();
        out
    })
}

/// Reads what the view draws. `None` once the widget is destroyed.
pub fn with_state<T>(f: impl FnOnce(&Ui, &ThreadState) -> T) -> Option<T> {
    write(|engine| f(&engine.ui, &engine.thread))
}

/// Delivers a JS API event (no engine borrow is held while the host's handlers run).
fn emit(name: &str, detail: Value) {
    if let Some(emit) = write(|engine| engine.emit.clone()) {
        let _ = emit.call2(&JsValue::NULL, &JsValue::from_str(name), &json::to_js(&detail));
    }
}

fn thread_change(thread_id: Option<&str>) {
    emit("thread.change", object(vec![("thread_id", thread_id.map_or(Value::Null, Value::from))]));
}

fn is_current(generation: u64) -> bool {
    write(|engine| engine.generation == generation).unwrap_or(false)
}

fn client() -> Option<Rc<Client>> {
    write(|engine| engine.client.clone()).flatten()
}

fn thread_id() -> Option<String> {
    write(|engine| engine.thread.id.clone()).flatten()
}

/// Creates the engine for `config`; `emit(name, detail)` delivers the JS API's events. Returns
/// the trigger the view tracks.
pub fn start(
    config: Config,
    emit: js_sys::Function,
    token_provider: Option<js_sys::Function>,
    locale: Locale,
) -> ArcTrigger {
    let changed = ArcTrigger::new();
    let ui = Ui {
        open: config.open,
        config,
        locale,
        locale_rev: 0,
        status: Status::Connecting,
        blocked: None,
        workflow: None,
        draft: String::new(),
        unread: false,
        announcement: String::new(),
        cooling_down: false,
        showing_history: false,
        threads: Vec::new(),
        editing: None,
        threads_rev: 0,
        uploads: Vec::new(),
        uploads_rev: 0,
    };
    let engine = Engine {
        ui,
        thread: ThreadState::new(),
        changed: changed.clone(),
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
        send_when_ready: false,
        next_upload: 0,
        sent_uploads: Vec::new(),
        rate_limit_timer: None,
    };
    ENGINE.with(|cell| *cell.borrow_mut() = Some(engine));
    changed
}

/// The trigger the view tracks (a new view after a locale change tracks the same one).
pub fn trigger() -> Option<ArcTrigger> {
    write(|engine| engine.changed.clone())
}

/// The options in force.
pub fn config() -> Option<Config> {
    write(|engine| engine.ui.config.clone())
}

/// Replaces the options (the caller reconnects when the connection settings changed).
pub fn set_config(config: Config) {
    change(|engine| engine.ui.config = config);
}

/// Switches the strings.
pub fn set_locale(locale: Locale) {
    change(|engine| {
        engine.ui.locale = locale;
        engine.ui.locale_rev += 1;
    });
}

/// What a failure says, in the locale in use.
pub fn error_text(error: &ChatError) -> String {
    write(|engine| engine.ui.locale.error_text(error)).unwrap_or_else(|| error.code.clone())
}

/// Opens or closes the panel, announcing the change with an `open`/`close` event.
pub fn set_open(open: bool) {
    let changed = change(|engine| {
        if engine.ui.open == open {
            return false;
        }
        engine.ui.open = open;
        if open {
            engine.ui.unread = false;
        }
        engine.snapshot.open = open;
        engine.save();
        true
    });
    if changed == Some(true) {
        emit(if open { "open" } else { "close" }, Value::Null);
    }
}

/// Opens a closed panel and closes an open one.
pub fn toggle() {
    if let Some(open) = write(|engine| engine.ui.open) {
        set_open(!open);
    }
}

/// Records the composer's text (and keeps it across reloads).
pub fn set_draft(text: String) {
    change(|engine| {
        engine.snapshot.draft.clone_from(&text);
        engine.ui.draft = text;
        engine.save();
    });
}

/// (Re)connects: resolves the workflow, opens storage, and restores the conversation.
/// The first connection ends with the `ready` event: the widget is then interactive and
/// `OrcheoChat.send()` can run.
pub fn connect() {
    spawn_local(async move {
        let generation = connect_now().await;
        let first = write(|engine| std::mem::replace(&mut engine.ready_sent, true)) == Some(false);
        if first && is_current(generation) {
            emit("ready", Value::Null);
        }
    });
}

fn connect_now() -> LocalFuture<u64> {
    Box::pin(connect_inner())
}

fn set_status(status: Status, blocked: Option<ChatError>) {
    change(|engine| {
        engine.ui.status = status;
        engine.ui.blocked = blocked;
    });
}

async fn connect_inner() -> u64 {
    let generation = reset();
    set_status(Status::Connecting, None);
    let Some((config, jwt_mode)) =
        write(|engine| (engine.ui.config.clone(), engine.token_provider.is_some()))
    else {
        return generation;
    };
    let jwt_mode = jwt_mode || config.token_url.is_some();
    let (Some(backend), Some(reference)) = (config.backend.clone(), config.workflow.clone()) else {
        set_status(Status::Unconfigured, None);
        js::warn("set data-backend and data-workflow to connect the chat to an Orcheo workflow");
        return generation;
    };
    // `/public` names the workflow and lists its start prompts, and resolves handles. A JWT
    // workflow is usually private (its `/public` answers 403 and the browser logs that), so
    // with a UUID in JWT mode it is not asked: the embed sets the title and prompts.
    let public = match (&reference, jwt_mode) {
        (WorkflowRef::Id(_), true) => Err(ChatError::network()),
        _ => client::public_workflow(&backend, &reference, config.send_cookies).await,
    };
    if !is_current(generation) {
        return generation;
    }
    let workflow_id = match (&reference, &public) {
        (WorkflowRef::Id(id), _) => id.clone(),
        (WorkflowRef::Handle(_), Ok(found)) => found.id.clone(),
        (WorkflowRef::Handle(handle), Err(error)) => {
            if error.kind == ErrorKind::Misconfigured || error.kind == ErrorKind::WorkflowNotFound {
                js::error(&format!("the workflow handle \"{handle}\" could not be resolved at {backend}"));
            }
            block(error.clone());
            return generation;
        }
    };
    let public = public.ok();
    let name =
        public.as_ref().and_then(|w| w.name.clone()).or_else(|| config.title.clone()).unwrap_or_default();

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

    let provider = write(|engine| engine.token_provider.clone()).flatten();
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
    let was_open = snapshot.open;
    change(|engine| {
        engine.ui.workflow = public;
        if engine.ui.draft.is_empty() {
            engine.ui.draft.clone_from(&snapshot.draft);
        }
        engine.store = Some(store);
        engine.key = Some(key);
        engine.snapshot = snapshot;
        engine.client = Some(Rc::clone(&client));
    });
    if was_open {
        set_open(true);
    }
    if let Some(thread_id) = restore {
        restore_thread(client, thread_id, generation).await;
    }
    if is_current(generation) && write(|engine| engine.ui.status) == Some(Status::Connecting) {
        set_status(Status::Ready, None);
        if write(|engine| std::mem::take(&mut engine.send_when_ready)) == Some(true) {
            submit();
        }
    }
    generation
}

/// Loads a stored conversation's newest items. A thread the server no longer knows (an
/// empty page, or an error the browser cannot read) is forgotten quietly.
fn restore_thread(client: Rc<Client>, thread_id: String, generation: u64) -> LocalFuture<()> {
    Box::pin(async move {
        let request = Request::ItemsList {
            thread_id: thread_id.clone(),
            limit: Some(HISTORY_PAGE),
            descending: true,
            after: None,
        };
        let result = client.call(&request).await;
        if !is_current(generation) {
            return;
        }
        match result.map(|value| Page::from_json(&value, Item::from_json)) {
            Ok(Ok(page)) if !page.data.is_empty() => {
                change(|engine| engine.thread.load_history(&thread_id, page));
                thread_change(Some(&thread_id));
            }
            Ok(_) | Err(ChatError { kind: ErrorKind::Network, .. }) => {
                write(|engine| {
                    engine.snapshot.forget_thread(&thread_id);
                    engine.save();
                });
            }
            Err(error) => block(error),
        }
    })
}

fn block(error: ChatError) {
    log_embedder_hint(&error);
    set_status(Status::Blocked, Some(error));
}

/// Tells the embedder, in the console, how to fix a failure that is theirs to fix.
fn log_embedder_hint(error: &ChatError) {
    if let Some(hint) = &error.embedder_hint {
        js::error(hint);
    }
}

/// Stops any turn, forgets the conversation on screen, and returns the new generation.
fn reset() -> u64 {
    change(|engine| {
        engine.generation += 1;
        engine.abort_turn();
        engine.thread = ThreadState::new();
        engine.rate_limit_timer = None;
        engine.ui.cooling_down = false;
        engine.generation
    })
    .unwrap_or(u64::MAX)
}

/// Starts a fresh conversation.
pub fn new_thread() {
    reset();
    change(|engine| {
        engine.ui.showing_history = false;
        engine.snapshot.thread_id = None;
        engine.save();
    });
    thread_change(None);
}

/// Sends the composer's text (once connected, if the widget is still connecting).
pub fn submit() {
    let start = write(|engine| {
        let text = engine.ui.draft.trim().to_owned();
        engine.send_when_ready = !text.is_empty() && engine.ui.status == Status::Connecting;
        (!text.is_empty() && engine.can_start_turn() && !engine.ui.uploading())
            .then(|| Start::Send(text, engine.take_uploads()))
    });
    if let Some(start) = start.flatten() {
        set_draft(String::new());
        spawn_turn(start);
    }
}

/// Attaches files to the next message and uploads them.
pub fn attach(files: Vec<web_sys::File>) {
    for file in files {
        let too_big = file.size() > MAX_UPLOAD_BYTES;
        let prepared = change(|engine| {
            engine.next_upload += 1;
            let key = engine.next_upload;
            let client = engine.client.clone().filter(|_| !too_big);
            let state = if client.is_some() { UploadState::Uploading } else { UploadState::Failed };
            engine.ui.uploads.push(Upload { key, name: file.name(), state });
            engine.ui.uploads_rev += 1;
            Some((key, client?))
        });
        if too_big {
            js::warn(&format!("\"{}\" is larger than Orcheo's 5 MB upload limit", file.name()));
        }
        let Some(Some((key, client))) = prepared else { continue };
        spawn_local(async move {
            let result = client.upload(file).await;
            change(|engine| {
                if let Some(upload) = engine.ui.uploads.iter_mut().find(|upload| upload.key == key) {
                    upload.state = result.map_or(UploadState::Failed, UploadState::Ready);
                    engine.ui.uploads_rev += 1;
                }
            });
        });
    }
}

/// Removes an upload from the next message.
pub fn detach(key: usize) {
    change(|engine| {
        engine.ui.uploads.retain(|upload| upload.key != key);
        engine.ui.uploads_rev += 1;
    });
}

/// Sends `text` and resolves with the reply text (`OrcheoChat.send`).
///
/// # Errors
/// What went wrong; the failure is also shown in the panel.
pub fn send(text: String) -> LocalFuture<Result<String, ChatError>> {
    let refused = write(|engine| match engine.ui.status {
        Status::Ready if engine.busy() => {
            let mut error = ChatError::network();
            error.code = "busy".into();
            Some(error)
        }
        Status::Ready => None,
        _ => Some(engine.ui.blocked.clone().unwrap_or_else(|| {
            ChatError::misconfigured("the chat is not connected: set data-backend and data-workflow")
        })),
    });
    match refused {
        Some(None) => run(Start::Send(text, Vec::new())),
        Some(Some(error)) => Box::pin(async move { Err(error) }),
        None => Box::pin(async { Err(ChatError::misconfigured("orcheo-chat is not mounted")) }),
    }
}

fn spawn_turn(start: Start) {
    spawn_local(async move {
        let _ = run(start).await;
    });
}

/// Retries the failed turn shown by the entry `id`.
pub fn retry_entry(id: &str) {
    let target = write(|engine| {
        if engine.busy() || engine.ui.cooling_down {
            return None;
        }
        let entry = engine.thread.entries.iter().find(|entry| entry.id == id)?;
        let EntryKind::Failure { retry: Some(target), .. } = &entry.kind else { return None };
        // A failed send put its text and files back in the composer: they go again.
        Some(match target.clone() {
            RetryTarget::Resend(text) => {
                if engine.ui.draft.trim() == text.trim() {
                    engine.ui.draft.clear();
                    engine.snapshot.draft.clear();
                }
                Start::Send(text, engine.take_uploads())
            }
            RetryTarget::RetryAfter(item_id) => Start::Retry(item_id),
            RetryTarget::Action { item_id, action } => Start::Action { item_id, action },
        })
    });
    let start = match target.flatten() {
        Some(start) => start,
        None => return,
    };
    spawn_turn(start);
}

/// Sends start prompt number `index`.
pub fn send_prompt(index: usize) {
    let text = write(|engine| {
        let prompt = engine.ui.prompts().get(index)?;
        engine.can_start_turn().then(|| prompt.prompt.clone())
    });
    if let Some(text) = text.flatten() {
        spawn_turn(Start::Send(text, Vec::new()));
    }
}

/// Sends a widget action (`threads.custom_action`).
pub fn action(item_id: String, action: Value) {
    if write(|engine| engine.can_start_turn()) == Some(true) {
        spawn_turn(Start::Action { item_id: Some(item_id), action });
    }
}

/// Stops the reply in flight.
pub fn stop() {
    write(Engine::abort_turn);
}

/// Runs one turn. Boxed so its (large) state machine exists once, not inlined into every
/// place that starts a turn.
fn run(start: Start) -> LocalFuture<Result<String, ChatError>> {
    Box::pin(run_turn(start))
}

/// The request that starts the turn, recorded in the thread; `None` without a connection.
fn begin_turn(engine: &mut Engine, start: Start, controller: Option<AbortController>) -> Option<Prepared> {
    let client = engine.client.clone()?;
    let thread_id = engine.thread.id.clone();
    let request = match start {
        Start::Send(text, attachments) => {
            engine.thread.begin_send(&text);
            let input = UserInput { attachments, ..UserInput::text(text) };
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
    Some(Prepared { client, request, generation: engine.generation, attempt: engine.consecutive_429s + 1 })
}

struct Prepared {
    client: Rc<Client>,
    request: Request,
    generation: u64,
    attempt: u32,
}

async fn run_turn(start: Start) -> Result<String, ChatError> {
    let controller = AbortController::new().ok();
    let signal = controller.as_ref().map(AbortController::signal);
    let Some(Some(prepared)) = change(|engine| begin_turn(engine, start, controller)) else {
        return Err(ChatError::misconfigured("the chat is not connected"));
    };
    let Prepared { client, request, generation, attempt } = prepared;
    emit("response.start", object(vec![("thread_id", optional(&thread_id()))]));

    let outcome = match client.post(&request, signal.as_ref(), attempt).await {
        Err(error) => write(|engine| engine.thread.fail_request(error)).flatten(),
        Ok(response) => {
            let end = net::read_events(&response, |event| on_event(event, generation)).await;
            write(|engine| match end {
                StreamEnd::Aborted => engine.thread.abort(),
                StreamEnd::Complete | StreamEnd::Broken => engine.thread.end_stream(),
            })
            .flatten()
        }
    };
    if !is_current(generation) {
        return Err(ChatError::aborted());
    }
    let result = finish_turn(outcome);
    let mut detail = vec![("thread_id", optional(&thread_id()))];
    if let Err(error) = &result {
        detail.push(("error", Value::from(error.code.as_str())));
    }
    emit("response.end", object(detail));
    result
}

/// Records how a turn ended: the reply for the live region and the unread dot, or the failure
/// (its text back in the composer, a rate limit's cool-down, the `error` event).
fn finish_turn(outcome: Option<TurnOutcome>) -> Result<String, ChatError> {
    let result = change(|engine| {
        engine.abort = None;
        let files = std::mem::take(&mut engine.sent_uploads);
        match outcome {
            Some(TurnOutcome::Replied(text)) => {
                engine.consecutive_429s = 0;
                engine.ui.announcement.clone_from(&text);
                engine.ui.unread |= !engine.ui.open;
                Ok(text)
            }
            Some(TurnOutcome::Failed { error, restore_draft }) => {
                if let Some(text) = restore_draft.filter(|_| engine.ui.draft.trim().is_empty()) {
                    engine.snapshot.draft.clone_from(&text);
                    engine.ui.draft = text;
                    engine.save();
                    let later = std::mem::replace(&mut engine.ui.uploads, files);
                    engine.ui.uploads.extend(later);
                    engine.ui.uploads_rev += 1;
                }
                if let Retry::After(seconds) = error.retry {
                    engine.ui.cooling_down = true;
                    engine.consecutive_429s += 1;
                    let delay = seconds.saturating_mul(1000).min(i32::MAX as u32) as i32;
                    engine.rate_limit_timer = Some(Timeout::new(delay, || {
                        change(|engine| engine.ui.cooling_down = false);
                    }));
                }
                Err(error)
            }
            None => Err(ChatError::aborted()),
        }
    })
    .unwrap_or_else(|| Err(ChatError::aborted()));
    if let Err(error) = &result {
        if error.kind != ErrorKind::Aborted {
            log_embedder_hint(error);
            let message = error_text(error);
            emit(
                "error",
                object(vec![("code", Value::from(error.code.as_str())), ("message", Value::from(message))]),
            );
        }
    }
    result
}

fn on_event(event: SseEvent, generation: u64) {
    if !is_current(generation) {
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
    change(|engine| {
        engine.thread.apply(event);
        if let Some(thread_id) = &created {
            engine.snapshot.remember_thread(thread_id);
            engine.save();
        }
    });
    if created.is_some() {
        thread_change(created.as_deref());
    }
    if let Some((id, role, text)) = finished {
        let detail = object(vec![
            ("id", Value::from(id)),
            ("role", Value::from(role)),
            ("text", Value::from(text)),
            ("thread_id", optional(&thread_id())),
        ]);
        emit("message", detail);
    }
}

/// `(id, role, text)` of a finished user or assistant item, for the `message` event.
fn message_detail(item: &Item) -> Option<(String, &'static str, String)> {
    let (role, text) = match &item.body {
        ItemBody::User(message) => ("user", message.text.clone()),
        ItemBody::Assistant(parts) => ("assistant", assistant_text(parts)),
        _ => return None,
    };
    Some((item.id.clone(), role, text))
}

/// Shows (`true`) or leaves (`false`) the conversation list. Showing refreshes it from the
/// server; only conversations started here are listed (older Orcheo releases list every
/// visitor's threads).
pub fn show_history(show: bool) {
    let known = change(|engine| {
        engine.ui.showing_history = show;
        engine.ui.editing = None;
        engine.ui.threads_rev += 1;
        Some((engine.client.clone()?, engine.snapshot.threads.clone()))
    });
    let Some(Some((client, known))) = known.filter(|_| show) else { return };
    spawn_local(async move {
        let request = Request::ThreadsList { limit: Some(50), descending: true, after: None };
        let Ok(value) = client.call(&request).await else { return };
        let Ok(page) = Page::from_json(&value, ThreadMeta::from_json) else { return };
        // In the order they were last used here.
        let mut listed = page.data;
        let threads: Vec<ThreadMeta> = known
            .iter()
            .filter_map(|id| {
                let index = listed.iter().position(|thread| &thread.id == id)?;
                Some(listed.swap_remove(index))
            })
            .collect();
        change(|engine| {
            engine.ui.threads = threads;
            engine.ui.threads_rev += 1;
        });
    });
}

/// Starts (`Some`) or ends (`None`) renaming a conversation of the list.
pub fn edit_thread(thread_id: Option<String>) {
    change(|engine| {
        engine.ui.editing = thread_id;
        engine.ui.threads_rev += 1;
    });
}

/// Opens a conversation from the list.
pub fn open_thread(thread_id: String) {
    let generation = reset();
    let client = change(|engine| {
        engine.ui.showing_history = false;
        engine.snapshot.remember_thread(&thread_id);
        engine.save();
        engine.client.clone()
    });
    if let Some(Some(client)) = client {
        spawn_local(restore_thread(client, thread_id, generation));
    }
}

/// Renames a conversation.
pub fn rename_thread(thread_id: String, title: String) {
    let title = title.trim().to_owned();
    let client = change(|engine| {
        engine.ui.editing = None;
        engine.ui.threads_rev += 1;
        if let Some(thread) = engine.ui.threads.iter_mut().find(|thread| thread.id == thread_id) {
            thread.title = Some(title.clone()).filter(|title| !title.is_empty());
        }
        engine.client.clone()
    });
    if let (Some(Some(client)), false) = (client, title.is_empty()) {
        spawn_local(async move {
            let _ = client.call(&Request::ThreadsUpdate { thread_id, title }).await;
        });
    }
}

/// Deletes a conversation (and leaves it if it is the open one).
pub fn delete_thread(thread_id: String) {
    let Some(client) = client() else { return };
    let open_one = change(|engine| {
        engine.ui.threads.retain(|thread| thread.id != thread_id);
        engine.ui.threads_rev += 1;
        engine.snapshot.forget_thread(&thread_id);
        engine.save();
        engine.thread.id.as_deref() == Some(thread_id.as_str())
    });
    if open_one == Some(true) {
        reset();
        thread_change(None);
    }
    spawn_local(async move {
        let _ = client.call(&Request::ThreadsDelete { thread_id }).await;
    });
}

/// Replaces the token provider (JWT mode driven by host JS) and reconnects.
pub fn set_token_provider(provider: js_sys::Function) {
    write(|engine| engine.token_provider = Some(provider));
    connect();
}

/// Stops everything in flight, drops timers, and removes the engine (the widget is going).
pub fn shutdown() {
    reset();
    let engine = ENGINE.with(|engine| engine.try_borrow_mut().ok().and_then(|mut engine| engine.take()));
    drop(engine);
}
