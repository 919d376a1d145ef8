//! The conversation controller's decisions, as a pure state machine.
//!
//! An [`Input`] is something the visitor, the embedder's script or the network did; feeding it
//! to [`Session::update`] changes the session and returns the [`Effect`]s for the browser glue
//! to carry out (requests, timers, storage writes, API events). What an effect produces comes
//! back as another input. Nothing here touches the browser, so every rule is tested natively:
//! the turn lifecycle (start, stream, end, Stop, Retry), the rate-limit cool-down, connecting
//! and restoring, switching conversations, dropping stale responses, and option changes.
//!
//! The composer and `OrcheoChat.send()` start turns through the same gate (`Session::admit`):
//! while connecting a message waits, while a reply streams or a rate limit cools down it is
//! refused, and once the workflow is blocked it is refused with the reason.
//!
//! Connecting: the workflow is looked up (`/public`), the stored snapshot is read, and the
//! stored conversation is restored (`items.list`); opening a conversation from the list
//! restores it the same way. Until the snapshot is read nothing is written to storage (it would
//! overwrite the visitor's) and no ChatKit request goes.
//!
//! Staleness: every asynchronous result names what it belongs to: the connection
//! (`connection`: the workflow lookup and the store), the conversation epoch (`generation`:
//! `items.list`, `threads.list`) or the turn (`turn`). A reconnect ends the connection; a new
//! conversation, a switch or a reconnect ends the epoch; Stop ends the turn. A result for one
//! that has ended is dropped, never applied. (`destroy()` drops the whole session.)
//!
//! Leaving the page: the question whose answer is on its way is noted in the snapshot
//! ([`crate::persist::Asked`]); `pagehide` closes the stream but keeps the note, and the next page
//! (or this one, back from the back/forward cache) asks again once the conversation is restored
//! (`resume`). Tabs that share a conversation take turns: a turn's stream holds the
//! conversation's Web Lock ([`TurnLock`]), and a tab reads the conversation again when another
//! says it changed ([`Input::ThreadChanged`]).
//!
//! What the session does not own: whether the panel is open and the composer's text are the
//! launcher stage's (they exist before this stage loads). The session is told about both
//! ([`Input::Visible`], [`Input::Draft`]) and asks to change the text with [`Effect::SetDraft`];
//! of the persisted snapshot it writes only its own fields (see [`Effect::Persist`]).

use serde_json::Value;

use crate::config::{Config, Prompt, WorkflowRef};
use crate::error::{ChatError, ErrorKind, Retry};
use crate::persist::{alias_key, is_valid_visitor_id, storage_key, Asked, Feedback, Snapshot};
use crate::protocol::{
    assistant_text, request_metadata, Item, ItemBody, Page, PublicWorkflow, Request, StreamEvent, ThreadMeta,
    UserInput,
};
use crate::thread::{Answer, Entry, EntryKind, RetryTarget, ThreadState, TurnOutcome};

mod resume;
mod widgets;

use resume::Resume;
pub use resume::RESUME_WINDOW_MS;

/// Newest items fetched when a conversation is restored.
pub const HISTORY_PAGE: u32 = 50;

/// Newest items read to find out whether the server stored a message it never confirmed
/// (a page of history: a reply's steps, tools and widgets come after the message).
const CHECK_PAGE: u32 = HISTORY_PAGE;

/// Conversations asked for per page of the list.
pub const THREAD_PAGE: u32 = 50;

/// Pages of the list in a row without any of this visitor's conversations that are fetched
/// before waiting for the visitor to scroll on.
const MAX_EMPTY_PAGES: u32 = 5;

/// Largest file Orcheo stores (its default `ORCHEO_CHATKIT_MAX_UPLOAD_SIZE_BYTES`).
pub const MAX_UPLOAD_BYTES: f64 = 5_000_000.0;

/// Identifies an `OrcheoChat.send()` promise, settled by [`Effect::Settle`].
pub type Ticket = u64;

/// Whether the widget can talk to its workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// No backend or workflow configured.
    Unconfigured,
    /// Resolving the workflow and restoring the conversation (or opening one from the list).
    Connecting,
    /// Ready to send (the store has been read and the conversation restored).
    Ready,
    /// The workflow cannot be reached ([`Session::blocked`] says why).
    Blocked,
}

/// A file attached to the next message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// Names the upload (the glue keeps the file under it while it uploads).
    pub key: usize,
    /// The file's name.
    pub name: String,
    /// Where the upload stands.
    pub state: UploadState,
}

/// Where an upload stands.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum UploadState {
    /// Being sent to `/api/chatkit/upload`.
    Uploading,
    /// Stored: the attachment id goes with the next message.
    Ready(String),
    /// Too large, or the upload failed.
    Failed,
}

/// A file the visitor picked.
#[derive(Clone, Debug, PartialEq)]
pub struct PickedFile {
    /// Its name.
    pub name: String,
    /// Its size in bytes.
    pub size: f64,
}

/// The conversation list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// The list is showing instead of the log.
    pub showing: bool,
    /// Conversations started here, most recently used first.
    pub threads: Vec<ThreadMeta>,
    /// The conversation being renamed.
    pub editing: Option<String>,
    /// The server has more conversations after the last one listed.
    pub more: bool,
    /// A page of the list is on its way.
    pub loading: bool,
}

/// How requests identify the visitor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Published mode: `X-Orcheo-Visitor-Id`.
    Visitor(String),
    /// JWT mode: a session token from the embedder's endpoint or provider.
    Token,
}

/// Where requests go once connected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The backend's base URL.
    pub backend: String,
    /// The workflow's UUID.
    pub workflow_id: String,
    /// `credentials: "include"`.
    pub send_cookies: bool,
    /// The visitor's identity.
    pub auth: Auth,
}

impl Endpoint {
    /// The `BroadcastChannel` on which the visitor's tabs tell each other that a conversation
    /// of this workflow changed.
    pub fn channel(&self) -> String {
        format!("orcheo-chat:{}:{}", self.backend, self.workflow_id)
    }

    /// The Web Lock a conversation's turn holds while its reply streams.
    fn turn_lock(&self, thread_id: &str) -> String {
        format!("{}:{thread_id}", self.channel())
    }
}

/// The Web Lock a turn holds while its stream is open: a conversation streams one reply at a
/// time across the visitor's tabs, so each question gets its own answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TurnLock {
    /// The lock's name ([`Endpoint::channel`] and the conversation).
    pub name: String,
    /// Wait while another tab's reply streams (a message), or give up at once and report
    /// [`Input::LockBusy`] (asking again after a page change: that tab is getting the answer).
    pub wait: bool,
}

/// A JSON request whose answer the session wants back ([`Input::Answered`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    /// `items.list` of a conversation being restored or opened.
    Restore {
        /// The epoch it belongs to.
        generation: u64,
        /// The conversation.
        thread_id: String,
    },
    /// `threads.list` for the conversation list.
    ListThreads {
        /// The epoch it belongs to.
        generation: u64,
        /// Which request of the list it answers (only the latest one counts).
        request: u64,
        /// Its first page (the list starts over).
        first: bool,
    },
    /// `items.list` of the messages before the oldest one shown.
    Earlier {
        /// The epoch it belongs to.
        generation: u64,
    },
    /// `items.list` after a send failed before its message was confirmed: did the server
    /// store it anyway?
    Check {
        /// The turn it belongs to (it stays open until the answer).
        turn: u64,
    },
    /// `items.list` of the newest items, after another tab changed the conversation.
    Refresh {
        /// The epoch it belongs to.
        generation: u64,
    },
    /// `items.list` once another tab's reply into the conversation ended, before this page
    /// asks again for the previous page's answer (that tab may have answered it).
    Recheck {
        /// The turn waiting to ask again.
        turn: u64,
    },
    /// `threads.sync_custom_action` of a widget.
    Sync {
        /// The epoch it belongs to.
        generation: u64,
        /// The widget item.
        item_id: String,
    },
}

/// How a stream ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamEnd {
    /// The body ended.
    Complete,
    /// The body broke off.
    Broken,
    /// The request was aborted.
    Aborted,
}

/// An event for the JS API's `on(name, handler)` (the glue names and localises them).
#[derive(Clone, Debug, PartialEq)]
pub enum ApiEvent {
    /// `message`: a finished user or assistant item.
    Message {
        /// The item id.
        id: String,
        /// `user` or `assistant`.
        role: &'static str,
        /// Its plain text.
        text: String,
        /// The conversation.
        thread_id: Option<String>,
    },
    /// `response.start`.
    ResponseStart {
        /// The conversation (none before `thread.created`).
        thread_id: Option<String>,
    },
    /// `response.end`, with the failure's code if the turn failed.
    ResponseEnd {
        /// The conversation.
        thread_id: Option<String>,
        /// The failure's code.
        error: Option<String>,
    },
    /// `thread.load.start` (`done: false`) and `thread.load.end`: a stored conversation's
    /// messages are being fetched, or have arrived (or could not be).
    ThreadLoad {
        /// The conversation.
        thread_id: String,
        /// The load has ended.
        done: bool,
    },
    /// `thread.change`.
    ThreadChange {
        /// The conversation now shown (none for a new one).
        thread_id: Option<String>,
    },
    /// `error`: a failure the visitor was shown.
    Error(ChatError),
    /// `effect`: the server sent a `client_effect` for the host page.
    Effect {
        /// The effect's name.
        name: String,
        /// Its data.
        data: Value,
    },
    /// `feedback`: the visitor gave a reply thumbs up (`positive`) or down.
    Feedback {
        /// The assistant item.
        item_id: String,
        /// Thumbs up.
        positive: bool,
        /// The conversation.
        thread_id: Option<String>,
    },
}

/// What the glue must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// `GET /api/workflows/{ref}/public`, then report [`Input::Resolved`].
    Resolve {
        /// The connection it belongs to.
        connection: u64,
        /// The backend.
        backend: String,
        /// The workflow as the embed names it.
        workflow: WorkflowRef,
        /// `credentials: "include"`.
        send_cookies: bool,
    },
    /// Read the snapshot under `key` (after writing `alias`, a handle's key and the UUID it
    /// stands for), then report [`Input::StoreOpened`].
    OpenStore {
        /// The connection it belongs to.
        connection: u64,
        /// `orcheo-chat:v1:<backend>:<uuid>`.
        key: String,
        /// `(alias key, workflow UUID)` for a workflow named by handle.
        alias: Option<(String, String)>,
    },
    /// Send every request from now on to this endpoint, as this visitor.
    UseEndpoint(Endpoint),
    /// POST a ChatKit body whose answer streams; report each event ([`Input::Event`]) and the
    /// end ([`Input::StreamEnded`] or [`Input::RequestFailed`]).
    Stream {
        /// The turn it belongs to.
        turn: u64,
        /// The whole request body.
        body: Value,
        /// Consecutive rate-limited answers so far, counting this request (sets the backoff).
        attempt: u32,
        /// The lock to hold while it streams (a turn into a conversation that exists).
        lock: Option<TurnLock>,
    },
    /// Wait until no tab holds this lock (another tab's reply is streaming into the
    /// conversation), then report [`Input::LockFreed`].
    AwaitLock {
        /// The turn waiting (its Stop ends the wait).
        turn: u64,
        /// The lock ([`TurnLock::name`]).
        name: String,
    },
    /// Tell the visitor's other tabs that this conversation changed.
    Broadcast {
        /// The conversation.
        thread_id: String,
    },
    /// Abort the stream of this turn.
    Abort {
        /// The turn.
        turn: u64,
    },
    /// POST a ChatKit body whose answer is JSON; report it ([`Input::Answered`]) if `call` is
    /// given, else ignore it.
    Call {
        /// What the answer is for.
        call: Option<Call>,
        /// The whole request body.
        body: Value,
    },
    /// Upload the file the glue holds at `index` of the last [`Input::Attach`], under `key`
    /// (while connecting: once [`Effect::UseEndpoint`] says where); report [`Input::Uploaded`].
    Upload {
        /// The upload's key.
        key: usize,
        /// Position in the attached files.
        index: usize,
    },
    /// Forget the endpoint, and the files waiting for it: the connection ended (nothing goes
    /// until the next [`Effect::UseEndpoint`]).
    Disconnect,
    /// Store the snapshot's conversation fields (`thread_id`, `visitor_id`, `threads`,
    /// `pending`); `open` and `draft` are the launcher stage's to write.
    Persist(Snapshot),
    /// Replace the composer's text.
    SetDraft(String),
    /// Report [`Input::CooldownOver`] with this number after `ms`.
    Cooldown {
        /// The cool-down's number.
        cooldown: u64,
        /// How long it lasts.
        ms: u32,
    },
    /// Resolve (`Ok`, the reply text) or reject an `OrcheoChat.send()` promise.
    Settle {
        /// The promise.
        ticket: Ticket,
        /// Its outcome.
        result: Result<String, ChatError>,
    },
    /// Ask the page's client tool handler; report [`Input::ToolResult`].
    ClientTool {
        /// The `client_tool_call` item.
        item_id: String,
        /// The tool's name.
        name: String,
        /// Its arguments.
        params: Value,
    },
    /// Deliver a JS API event.
    Emit(ApiEvent),
    /// `console.warn` for the embedder.
    Warn(String),
    /// `console.error` for the embedder.
    ConsoleError(String),
}

/// What happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// Start: resolve the workflow and restore the conversation (the first connection).
    Connect,
    /// The options changed (`setOptions`).
    Configure(Box<Config>),
    /// A token provider was set (`setTokenProvider`): JWT mode.
    TokenProvider,
    /// The panel opened (`true`) or closed.
    Visible(bool),
    /// The page is going away (`pagehide`: a navigation, a reload, or into the back/forward
    /// cache). The reply's stream is closed without ending the turn: its note stays stored for
    /// the page that comes next.
    PageHidden,
    /// The page came back from the back/forward cache (`pageshow` with `persisted`): the store
    /// is read again (other pages may have moved on) and the conversation restored, and a turn
    /// the page left in flight is resumed as on a new page.
    PageShown,
    /// The composer's text changed.
    Draft(String),
    /// The composer sends its text (Enter, or Send).
    Submit {
        /// The composer's text at that moment.
        draft: String,
    },
    /// `OrcheoChat.send(text)`.
    Send {
        /// The message.
        text: String,
        /// Its promise.
        ticket: Ticket,
    },
    /// Retry the failure shown by this entry.
    Retry {
        /// The failure's entry id.
        entry_id: String,
    },
    /// A start prompt was clicked.
    Prompt {
        /// Its position.
        index: usize,
    },
    /// A widget sent an action (or `OrcheoChat.sendCustomAction`).
    Action {
        /// The widget item it belongs to.
        item_id: Option<String>,
        /// `{type, payload}`.
        action: Value,
    },
    /// A widget action the server answers at once (`streaming: false`):
    /// `threads.sync_custom_action`, which may go while a reply streams.
    SyncAction {
        /// The widget item it belongs to.
        item_id: Option<String>,
        /// `{type, payload}`.
        action: Value,
    },
    /// The page's client tool answered (`Err`: it has no handler, or it failed, and why).
    ToolResult {
        /// The `client_tool_call` item.
        item_id: String,
        /// Its output, or why there is none.
        result: Result<Value, String>,
    },
    /// The visitor answered a `structured_input` item (or skipped it).
    Answer {
        /// The item.
        item_id: String,
        /// `{status, answers}` ([`crate::protocol::Questions::answer`]).
        input: Value,
    },
    /// Stop the reply.
    Stop,
    /// Start a fresh conversation.
    NewThread,
    /// Open a conversation from the list.
    OpenThread {
        /// The conversation.
        thread_id: String,
    },
    /// Show (`true`) or leave the conversation list.
    ShowHistory(bool),
    /// The next page of the conversation list (the visitor scrolled to its end).
    MoreThreads,
    /// The visitor picked a model.
    Model(String),
    /// The messages before the oldest one shown ("Show earlier messages", or scrolling up).
    Earlier,
    /// Start (`Some`) or end renaming a conversation.
    EditThread(Option<String>),
    /// Rename a conversation.
    RenameThread {
        /// The conversation.
        thread_id: String,
        /// The new title.
        title: String,
    },
    /// Delete a conversation.
    DeleteThread {
        /// The conversation.
        thread_id: String,
    },
    /// Thumbs up (`positive`) or down on a reply.
    Feedback {
        /// The assistant item.
        item_id: String,
        /// Thumbs up.
        positive: bool,
    },
    /// Files were picked.
    Attach(Vec<PickedFile>),
    /// An attached file was removed.
    Detach {
        /// The upload's key.
        key: usize,
    },
    /// What [`Effect::Resolve`] found.
    Resolved {
        /// The connection.
        connection: u64,
        /// The workflow, or why it could not be looked up.
        result: Result<PublicWorkflow, ChatError>,
    },
    /// What [`Effect::OpenStore`] read.
    StoreOpened {
        /// The connection.
        connection: u64,
        /// The stored snapshot (a fresh one if none).
        snapshot: Snapshot,
        /// A new random visitor id, used if the snapshot has none.
        fresh_visitor_id: String,
    },
    /// The answer to an [`Effect::Call`].
    Answered {
        /// What it was for.
        call: Call,
        /// The JSON answer, or the failure.
        result: Result<Value, ChatError>,
    },
    /// One SSE `data:` payload of a turn's stream, as JSON (`None`: it was not JSON).
    Event {
        /// The turn.
        turn: u64,
        /// The payload.
        data: Option<Value>,
    },
    /// A turn's stream ended.
    StreamEnded {
        /// The turn.
        turn: u64,
        /// How.
        end: StreamEnd,
    },
    /// A turn's request failed before or instead of a stream.
    RequestFailed {
        /// The turn.
        turn: u64,
        /// Why.
        error: ChatError,
    },
    /// Another tab streams a reply into this turn's conversation ([`TurnLock::wait`] was
    /// `false`): the turn ends quietly and the conversation is read again once that tab is done.
    LockBusy {
        /// The turn.
        turn: u64,
    },
    /// The lock [`Effect::AwaitLock`] waited for is free.
    LockFreed {
        /// The turn.
        turn: u64,
    },
    /// Another tab says a conversation changed.
    ThreadChanged {
        /// The conversation.
        thread_id: String,
    },
    /// A cool-down's time is up.
    CooldownOver {
        /// The cool-down's number.
        cooldown: u64,
    },
    /// An upload finished: the attachment id, or `None` if it failed.
    Uploaded {
        /// The upload's key.
        key: usize,
        /// The attachment id.
        result: Option<String>,
    },
}

/// What starts a turn.
#[derive(Clone, Debug, PartialEq)]
enum Start {
    /// Text and attachment ids.
    Send(String, Vec<String>),
    /// `threads.retry_after_item` for this user item.
    Retry(String),
    /// A widget action.
    Action { item_id: Option<String>, action: Value },
    /// An answer to the server's question.
    Answer(Answer),
}

/// A message waiting for the connection.
#[derive(Clone, Debug, PartialEq)]
enum Queued {
    /// The composer's text, taken when the message goes.
    Composer,
    /// An API message.
    Api { text: String, ticket: Ticket },
}

/// The turn in flight, as far as the glue is concerned.
#[derive(Clone, Debug, PartialEq)]
struct ActiveTurn {
    id: u64,
    ticket: Option<Ticket>,
    /// The files that went with the message: back to the composer if it never arrives.
    uploads: Vec<Upload>,
    /// How the turn ended, while `items.list` finds out whether the server stored its
    /// unconfirmed message ([`Call::Check`]).
    check: Option<TurnOutcome>,
    /// The note of the previous page's turn that this one asks again (as that page left it).
    resumed_from: Option<Asked>,
}

/// Why a message cannot start a turn now.
enum Refusal {
    /// Connecting: it waits.
    Wait,
    /// It cannot go, for this reason.
    Refuse(ChatError),
}

/// The conversation controller's state.
#[derive(Clone, Debug)]
pub struct Session {
    /// The options in force.
    pub config: Config,
    /// `setTokenProvider` was called: JWT mode.
    token_provider: bool,
    /// Connection state.
    pub status: Status,
    /// Why the workflow cannot be reached, when [`Status::Blocked`].
    pub blocked: Option<ChatError>,
    /// What `/public` said about the workflow.
    pub workflow: Option<PublicWorkflow>,
    /// Where requests go, once connected.
    endpoint: Option<Endpoint>,
    /// The conversation on screen.
    pub thread: ThreadState,
    /// The composer's text.
    pub draft: String,
    /// The panel is open.
    visible: bool,
    /// A reply arrived while the panel was closed.
    pub unread: bool,
    /// The polite live region's text: the last completed reply.
    pub announcement: String,
    /// The model the next message asks for (`inference_options.model`), when the workflow
    /// offers models: the conversation's last, or the default for a new one.
    pub model: Option<String>,
    /// A rate limit is in force: messages and Retry wait.
    pub cooling_down: bool,
    /// The rate-limited answer that started the cool-down (`send()` rejects with it).
    cooldown_error: Option<ChatError>,
    cooldown: u64,
    consecutive_429s: u32,
    /// Connected at least once (option changes reconnect only after that).
    started: bool,
    /// The connection in force: [`Effect::Resolve`] and [`Effect::OpenStore`] results of an
    /// earlier one are dropped.
    connection: u64,
    /// The stored snapshot has been read for this connection: until then nothing is written
    /// (the default snapshot would overwrite the visitor's) and no ChatKit request can go.
    opened: bool,
    /// New conversation was asked for before the snapshot was read: the stored conversation
    /// is not restored.
    fresh: bool,
    /// The conversation epoch: results of `items.list` and `threads.list` for an earlier one
    /// are dropped.
    generation: u64,
    next_turn: u64,
    turn: Option<ActiveTurn>,
    /// Messages waiting for the connection, oldest first (a handful at most: a plain list).
    queue: Vec<Queued>,
    /// The conversation list.
    pub history: History,
    /// Files attached to the next message.
    pub uploads: Vec<Upload>,
    next_upload: usize,
    /// The session's part of the persisted snapshot.
    record: Snapshot,
    /// The thumbs given to replies (stored in `record.feedback`).
    feedback: Feedback,
    /// The latest `threads.list` request; the cursor of the page after the last one listed.
    list_request: u64,
    list_after: Option<String>,
    /// The conversations known here when the list started from its first page: those the
    /// whole list turns out not to hold are gone from the server, and forgotten.
    listing_known: Option<Vec<String>>,
    /// Earlier messages are on their way.
    loading_earlier: bool,
    /// The conversation `setThreadId()` asked for before the store was read.
    wanted_thread: Option<String>,
    /// The conversation whose restore is on its way (for `thread.load.end`).
    restoring: Option<String>,
    /// Pages of the list in a row that held none of this visitor's conversations.
    empty_pages: u32,
    /// Widget items whose `threads.sync_custom_action` is on its way.
    pub syncing: Vec<String>,
    /// The client tool call the page was asked to answer (it is asked once).
    asked_tool: Option<String>,
    /// The page is running the client tool call it was asked (`asked_tool`): the conversation
    /// waits for it.
    tool_running: bool,
    /// The page's answer to a client tool call, waiting until a turn can start.
    tool_output: Option<Value>,
    /// The time of the input being applied (ms since the Unix epoch; see [`Session::update_at`]).
    now: f64,
    /// What the previous page was waiting for, until the conversation is restored and
    /// [`resume::plan`] has decided what to do with it.
    resumable: Option<Asked>,
    /// The note of the turn being asked again, for [`Session::begin`] to keep (its first
    /// time, and that it was asked again).
    resuming: Option<Asked>,
    /// Another tab changed the conversation while a turn was in flight here: it is read again
    /// once the turn ends.
    stale: bool,
}

/// The most of a reply the live region reads out: a screen reader reading a very long reply
/// aloud helps nobody, and a megabyte in the live region costs the page a long layout.
pub const ANNOUNCEMENT_MAX_CHARS: usize = 1_000;

/// What the live region announces for a finished reply: the text its markdown renders to (a
/// screen reader must not read out `**` or link targets), cut after [`ANNOUNCEMENT_MAX_CHARS`]
/// characters with an ellipsis.
pub fn announcement(reply: &str) -> String {
    // Four bytes per character at most: the head holds every character that can be read out.
    let text = crate::markdown::rendered_text(reply, ANNOUNCEMENT_MAX_CHARS * 4 + 1);
    match text.char_indices().nth(ANNOUNCEMENT_MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

impl Session {
    /// A session for `config` that has not connected yet; `draft` and `visible` are what the
    /// launcher stage shows.
    pub fn new(config: Config, draft: String, visible: bool) -> Self {
        Self {
            config,
            token_provider: false,
            status: Status::Connecting,
            blocked: None,
            workflow: None,
            endpoint: None,
            thread: ThreadState::new(),
            draft,
            visible,
            unread: false,
            announcement: String::new(),
            cooling_down: false,
            cooldown_error: None,
            cooldown: 0,
            consecutive_429s: 0,
            started: false,
            connection: 0,
            opened: false,
            fresh: false,
            generation: 0,
            next_turn: 0,
            turn: None,
            queue: Vec::new(),
            history: History::default(),
            uploads: Vec::new(),
            next_upload: 0,
            record: Snapshot::default(),
            feedback: Feedback::default(),
            list_request: 0,
            list_after: None,
            listing_known: None,
            loading_earlier: false,
            wanted_thread: None,
            model: None,
            restoring: None,
            empty_pages: 0,
            syncing: Vec::new(),
            asked_tool: None,
            tool_running: false,
            tool_output: None,
            now: 0.0,
            resumable: None,
            resuming: None,
            stale: false,
        }
    }

    /// The header title: the embed's, else the workflow's name, else `None` (the locale's).
    pub fn title(&self) -> Option<&str> {
        self.config.title.as_deref().or_else(|| self.workflow.as_ref().and_then(|w| w.name.as_deref()))
    }

    /// The start prompts: the embed's, else the workflow's.
    pub fn prompts(&self) -> &[Prompt] {
        self.config
            .prompts
            .as_deref()
            .or_else(|| self.workflow.as_ref().map(|w| w.prompts.as_slice()))
            .unwrap_or_default()
    }

    /// A reply is streaming, or the page is running a client tool the reply waits for.
    pub fn busy(&self) -> bool {
        self.turn.is_some() || self.tool_running
    }

    /// The composer's message that waits for the connection (Enter while connecting): it stays
    /// the composer's text (and the stored draft) until it goes, but shows as the visitor's
    /// message.
    pub fn waiting_message(&self) -> Option<&str> {
        Some(self.draft.trim()).filter(|text| !text.is_empty() && self.queue.contains(&Queued::Composer))
    }

    /// [`Session::waiting_message`] as the log shows it: the visitor's message, not yet sent.
    pub fn waiting_entry(&self) -> Option<Entry> {
        let text = self.waiting_message()?;
        Some(Entry { id: "local-waiting".into(), rev: 0, kind: EntryKind::PendingUser(text.to_owned()) })
    }

    /// An upload is still running (Send waits for it).
    pub fn uploading(&self) -> bool {
        self.uploads.iter().any(|upload| upload.state == UploadState::Uploading)
    }

    /// Whether the composer's Send would send now (or queue, while connecting).
    pub fn can_submit(&self) -> bool {
        matches!(self.status, Status::Ready | Status::Connecting)
            && self.thread.closed.is_none()
            && !self.busy()
            && !self.cooling_down
            && !self.uploading()
            && !self.draft.trim().is_empty()
    }

    /// Whether the controls that start a turn (Retry, prompts, widget actions) are live.
    pub fn can_start_turn(&self) -> bool {
        self.status == Status::Ready && !self.busy() && !self.cooling_down && self.thread.closed.is_none()
    }

    /// The epoch in force.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The turn in flight, if any.
    pub fn turn_id(&self) -> Option<u64> {
        self.turn.as_ref().map(|turn| turn.id)
    }

    /// The turn whose stream is open (not one waiting for [`Call::Check`]).
    fn streaming_turn(&self) -> Option<u64> {
        self.turn.as_ref().filter(|turn| turn.check.is_none()).map(|turn| turn.id)
    }

    /// Applies one input that happened at `now` (ms since the Unix epoch: the time a turn was
    /// asked is remembered, and a page asks again by itself only for a recent one).
    pub fn update_at(&mut self, input: Input, now: f64) -> Vec<Effect> {
        self.now = now;
        self.update(input)
    }

    /// Applies one input and returns what the glue must do, in order (at the time of the
    /// previous input: see [`Session::update_at`]).
    pub fn update(&mut self, input: Input) -> Vec<Effect> {
        let mut fx = Vec::new();
        match input {
            Input::Connect => {
                self.started = true;
                self.reconnect(&mut fx);
            }
            Input::Configure(config) => self.configure(*config, &mut fx),
            Input::TokenProvider => {
                self.token_provider = true;
                if self.started {
                    self.reconnect(&mut fx);
                }
            }
            Input::Visible(visible) => {
                self.visible = visible;
                if visible {
                    self.unread = false;
                }
            }
            Input::Draft(text) => self.draft = text,
            Input::PageHidden => self.page_hidden(&mut fx),
            Input::PageShown => self.page_shown(&mut fx),
            Input::Submit { draft } => {
                self.draft = draft;
                self.submit(&mut fx);
            }
            Input::Send { text, ticket } => self.send(text, ticket, &mut fx),
            Input::Retry { entry_id } => self.retry(&entry_id, &mut fx),
            Input::Prompt { index } => {
                if let Some(prompt) = self.prompts().get(index).map(|p| p.prompt.clone()) {
                    if self.can_start_turn() {
                        self.begin(Start::Send(prompt, Vec::new()), None, Vec::new(), &mut fx);
                    }
                }
            }
            Input::Action { .. } if self.thread.id.is_none() => {
                fx.push(Effect::Warn("a custom action needs a conversation: send a message first".into()));
            }
            Input::Action { item_id, action } => {
                if self.can_start_turn() {
                    self.begin(Start::Action { item_id, action }, None, Vec::new(), &mut fx);
                }
            }
            Input::SyncAction { item_id, action } => self.sync_action(item_id, action, &mut fx),
            Input::ToolResult { item_id, result } => self.tool_answered(&item_id, result, &mut fx),
            Input::Answer { item_id, input } => self.answer_questions(&item_id, input, &mut fx),
            Input::Stop => self.stop(&mut fx),
            Input::NewThread => self.new_thread(&mut fx),
            Input::OpenThread { thread_id } => self.open_thread(thread_id, &mut fx),
            Input::ShowHistory(show) => self.show_history(show, &mut fx),
            Input::EditThread(thread_id) => self.history.editing = thread_id,
            Input::RenameThread { thread_id, title } => self.rename_thread(thread_id, &title, &mut fx),
            Input::DeleteThread { thread_id } => self.delete_thread(thread_id, &mut fx),
            Input::MoreThreads => self.list_threads(false, &mut fx),
            Input::Model(id) => {
                if self.workflow.as_ref().is_some_and(|workflow| workflow.models.iter().any(|m| m.id == id)) {
                    self.model = Some(id);
                }
            }
            Input::Earlier => self.earlier(&mut fx),
            Input::Feedback { item_id, positive } => self.give_feedback(item_id, positive, &mut fx),
            Input::Attach(files) => self.attach(files, &mut fx),
            Input::Detach { key } => self.uploads.retain(|upload| upload.key != key),
            Input::Resolved { connection, result } => {
                if connection == self.connection && self.status == Status::Connecting {
                    self.resolved(result, &mut fx);
                }
            }
            Input::StoreOpened { connection, snapshot, fresh_visitor_id } => {
                if connection == self.connection && self.status == Status::Connecting && !self.opened {
                    self.store_opened(snapshot, fresh_visitor_id, &mut fx);
                }
            }
            Input::Answered { call, result } => self.answered(call, result, &mut fx),
            Input::Event { turn, data } => {
                if self.streaming_turn() == Some(turn) {
                    self.event(data, &mut fx);
                }
            }
            Input::StreamEnded { turn, end } => {
                if self.streaming_turn() == Some(turn) {
                    let outcome = match end {
                        StreamEnd::Aborted => self.thread.abort(),
                        StreamEnd::Complete | StreamEnd::Broken => self.thread.end_stream(),
                    };
                    self.end(outcome, &mut fx);
                }
            }
            Input::RequestFailed { turn, error } => {
                if self.streaming_turn() == Some(turn) {
                    let outcome = self.thread.fail_request(error);
                    self.end(outcome, &mut fx);
                }
            }
            // Another tab streams a reply into this conversation: "Working…" stays while this
            // page waits for it to end, then reads the conversation again before asking.
            Input::LockBusy { turn } => {
                let name = match (&self.endpoint, &self.thread.id) {
                    (Some(endpoint), Some(thread_id)) => endpoint.turn_lock(thread_id),
                    _ => return fx,
                };
                if self.streaming_turn() == Some(turn) {
                    fx.push(Effect::AwaitLock { turn, name });
                }
            }
            Input::LockFreed { turn } => {
                let body = self
                    .thread
                    .id
                    .as_deref()
                    .and_then(|thread_id| self.newest_items(thread_id, HISTORY_PAGE));
                if let Some(body) = body.filter(|_| self.streaming_turn() == Some(turn)) {
                    fx.push(Effect::Call { call: Some(Call::Recheck { turn }), body });
                }
            }
            Input::ThreadChanged { thread_id } => {
                if self.thread.id.as_deref() == Some(&thread_id) && self.status == Status::Ready {
                    self.stale = true;
                    if !self.busy() {
                        self.refresh(&mut fx);
                    }
                }
            }
            Input::CooldownOver { cooldown } => {
                if cooldown == self.cooldown && self.cooling_down {
                    self.cooling_down = false;
                    self.cooldown_error = None;
                    self.drain(&mut fx);
                }
            }
            Input::Uploaded { key, result } => {
                if let Some(upload) = self.uploads.iter_mut().find(|upload| upload.key == key) {
                    upload.state = result.map_or(UploadState::Failed, UploadState::Ready);
                }
            }
        }
        fx
    }

    // --- Connecting ------------------------------------------------------------------------

    fn jwt(&self) -> bool {
        self.token_provider || self.config.token_url.is_some()
    }

    /// Ends the epoch: stops the turn in flight and forgets the conversation on screen, and
    /// the note of the turn in flight: the visitor moved on.
    fn reset(&mut self, fx: &mut Vec<Effect>) {
        self.leave_conversation(fx);
        self.resumable = None;
        self.forget_asked(fx);
    }

    /// Ends the epoch and forgets the conversation on screen (a reconnect keeps the note of a
    /// turn it cut: the store is read again, and the answer asked for again).
    fn leave_conversation(&mut self, fx: &mut Vec<Effect>) {
        self.end_epoch(fx);
        self.thread = ThreadState::new();
        self.model = self.conversation_model();
        self.history.editing = None;
        self.stale = false;
    }

    /// Drops every answer on its way (they belong to an epoch that has ended) and stops the
    /// turn in flight; the conversation stays on screen.
    fn end_epoch(&mut self, fx: &mut Vec<Effect>) {
        self.generation += 1;
        // A restore whose answer will now be dropped still ends for the embedder.
        if let Some(thread_id) = self.restoring.take() {
            fx.push(Effect::Emit(ApiEvent::ThreadLoad { thread_id, done: true }));
        }
        if let Some(turn) = self.turn.take() {
            fx.push(Effect::Abort { turn: turn.id });
            if let Some(ticket) = turn.ticket {
                fx.push(Effect::Settle { ticket, result: Err(ChatError::aborted()) });
            }
            let error = Some(ChatError::aborted().code);
            fx.push(Effect::Emit(ApiEvent::ResponseEnd { thread_id: self.thread.id.clone(), error }));
        }
        // A client tool answer belongs to the conversation that asked.
        self.tool_running = false;
        self.tool_output = None;
        // Answers of the epoch that ended are dropped: nothing is on its way any more.
        self.history.loading = false;
        self.loading_earlier = false;
    }

    /// The page is going away: the reply's stream is closed (a page with an open request
    /// cannot enter the back/forward cache, and the next page asks for the answer again), but
    /// the turn is not ended: no failure, and its note stays stored.
    fn page_hidden(&mut self, fx: &mut Vec<Effect>) {
        if let Some(turn) = self.turn.take() {
            fx.push(Effect::Abort { turn: turn.id });
            self.thread.leave_turn();
            // A page back from the cache asks again, but this promise's page may never run again.
            if let Some(ticket) = turn.ticket {
                fx.push(Effect::Settle { ticket, result: Err(ChatError::interrupted()) });
            }
        }
    }

    /// Back from the back/forward cache: read the store again and restore the conversation, as
    /// a new page would (the conversation stays on screen until its items arrive).
    fn page_shown(&mut self, fx: &mut Vec<Effect>) {
        if !self.opened || self.status == Status::Unconfigured {
            return;
        }
        let Some(endpoint) = self.endpoint.clone() else { return };
        self.end_epoch(fx);
        self.connection += 1;
        self.opened = false;
        self.status = Status::Connecting;
        self.blocked = None;
        fx.push(Effect::OpenStore {
            connection: self.connection,
            key: storage_key(&endpoint.backend, &endpoint.workflow_id),
            alias: None,
        });
    }

    /// (Re)connects with the options in force.
    fn reconnect(&mut self, fx: &mut Vec<Effect>) {
        self.leave_conversation(fx);
        self.connection += 1;
        self.opened = false;
        self.uploads.clear();
        fx.push(Effect::Disconnect);
        // "New conversation" and `setThreadId()` were meant for the connection that is ending,
        // and the list was of its workflow.
        self.fresh = false;
        self.wanted_thread = None;
        self.history.threads.clear();
        self.history.more = false;
        self.list_after = None;
        self.listing_known = None;
        self.endpoint = None;
        self.workflow = None;
        self.blocked = None;
        self.status = Status::Connecting;
        let (Some(backend), Some(workflow)) = (self.config.backend.clone(), self.config.workflow.clone())
        else {
            self.status = Status::Unconfigured;
            fx.push(Effect::Warn(
                "set data-backend and data-workflow to connect the chat to an Orcheo workflow".into(),
            ));
            let error =
                ChatError::misconfigured("the chat is not connected: set data-backend and data-workflow");
            self.reject_queue(&error, fx);
            return;
        };
        // `/public` names the workflow, lists its start prompts, and resolves handles. A JWT
        // workflow is usually private (its `/public` answers 403, which the browser logs), so
        // with a UUID in JWT mode it is not asked: the embed sets the title and prompts.
        match workflow {
            WorkflowRef::Id(id) if self.jwt() => self.open_store(&backend, id, None, fx),
            workflow => fx.push(Effect::Resolve {
                connection: self.connection,
                backend,
                workflow,
                send_cookies: self.config.send_cookies,
            }),
        }
    }

    fn configure(&mut self, config: Config, fx: &mut Vec<Effect>) {
        let connection = |c: &Config| {
            (c.backend.clone(), c.workflow.clone(), c.token_url.clone(), c.persist, c.send_cookies)
        };
        let reconnect = connection(&self.config) != connection(&config);
        self.config = config;
        if !self.config.history {
            self.history.showing = false;
        }
        if reconnect && self.started {
            self.reconnect(fx);
        }
    }

    fn resolved(&mut self, result: Result<PublicWorkflow, ChatError>, fx: &mut Vec<Effect>) {
        let (Some(backend), Some(reference)) = (self.config.backend.clone(), self.config.workflow.clone())
        else {
            return;
        };
        match (reference, result) {
            (WorkflowRef::Id(id), result) => {
                self.workflow = result.ok();
                self.model = self.conversation_model();
                self.open_store(&backend, id, None, fx);
            }
            (WorkflowRef::Handle(handle), Ok(found)) => {
                let id = found.id.clone();
                self.workflow = Some(found);
                self.model = self.conversation_model();
                self.open_store(&backend, id, Some(&handle), fx);
            }
            (WorkflowRef::Handle(handle), Err(error)) => {
                if matches!(error.kind, ErrorKind::Misconfigured | ErrorKind::WorkflowNotFound) {
                    fx.push(Effect::ConsoleError(format!(
                        "the workflow handle \"{handle}\" could not be resolved at {backend}"
                    )));
                }
                self.block(error, fx);
            }
        }
    }

    fn open_store(&mut self, backend: &str, workflow_id: String, handle: Option<&str>, fx: &mut Vec<Effect>) {
        fx.push(Effect::OpenStore {
            connection: self.connection,
            key: storage_key(backend, &workflow_id),
            alias: handle.map(|handle| (alias_key(backend, handle), workflow_id.clone())),
        });
        self.endpoint = Some(Endpoint {
            backend: backend.to_owned(),
            workflow_id,
            send_cookies: self.config.send_cookies,
            auth: Auth::Token,
        });
    }

    fn store_opened(&mut self, snapshot: Snapshot, fresh_visitor_id: String, fx: &mut Vec<Effect>) {
        let Some(endpoint) = self.endpoint.as_mut() else { return };
        let visitor =
            snapshot.visitor_id.clone().filter(|id| is_valid_visitor_id(id)).unwrap_or(fresh_visitor_id);
        self.feedback = Feedback::from_value(&snapshot.feedback);
        // The note of a turn in flight stays stored until the conversation is restored and the
        // turn asked again (a page that goes before that leaves it for the next one).
        self.resumable = Asked::from_value(&snapshot.asked);
        self.record = Snapshot { visitor_id: Some(visitor.clone()), ..snapshot };
        if let Some(thread_id) = self.wanted_thread.take() {
            self.record.remember_thread(&thread_id);
        }
        if std::mem::take(&mut self.fresh) {
            self.record.thread_id = None;
        }
        self.opened = true;
        // Back from the back/forward cache: another page may have moved to another conversation.
        if self.thread.id.is_some() && self.thread.id != self.record.thread_id {
            self.thread = ThreadState::new();
            if self.record.thread_id.is_none() {
                fx.push(Effect::Emit(ApiEvent::ThreadChange { thread_id: None }));
            }
        }
        endpoint.auth = if self.token_provider || self.config.token_url.is_some() {
            Auth::Token
        } else {
            Auth::Visitor(visitor)
        };
        fx.push(Effect::UseEndpoint(endpoint.clone()));
        self.persist(fx);
        match self.record.thread_id.clone() {
            Some(thread_id) => self.restore(thread_id, fx),
            None => self.ready(fx),
        }
    }

    /// The body of `items.list` for the conversation's newest `limit` items, newest first.
    fn newest_items(&self, thread_id: &str, limit: u32) -> Option<Value> {
        let request = Request::ItemsList {
            thread_id: thread_id.to_owned(),
            limit: Some(limit),
            descending: true,
            after: None,
        };
        self.body(&request)
    }

    fn restore(&mut self, thread_id: String, fx: &mut Vec<Effect>) {
        if let Some(body) = self.newest_items(&thread_id, HISTORY_PAGE) {
            self.restoring = Some(thread_id.clone());
            fx.push(Effect::Emit(ApiEvent::ThreadLoad { thread_id: thread_id.clone(), done: false }));
            fx.push(Effect::Call {
                call: Some(Call::Restore { generation: self.generation, thread_id }),
                body,
            });
        }
    }

    /// Fetches the page of messages before the oldest one shown.
    fn earlier(&mut self, fx: &mut Vec<Effect>) {
        let (Some(thread_id), Some(after)) = (self.thread.id.clone(), self.thread.older_cursor.clone())
        else {
            return;
        };
        if self.loading_earlier || self.status != Status::Ready {
            return;
        }
        let request =
            Request::ItemsList { thread_id, limit: Some(HISTORY_PAGE), descending: true, after: Some(after) };
        if let Some(body) = self.body(&request) {
            self.loading_earlier = true;
            fx.push(Effect::Call { call: Some(Call::Earlier { generation: self.generation }), body });
        }
    }

    fn ready(&mut self, fx: &mut Vec<Effect>) {
        if self.status == Status::Connecting {
            self.status = Status::Ready;
            // `showHistory()` before the store was read could not ask for the list yet.
            if self.history.showing && self.history.threads.is_empty() && !self.history.loading {
                self.list_threads(true, fx);
            }
            self.resume(fx);
            self.drain(fx);
        }
    }

    /// The workflow cannot be reached: say why, and refuse what was waiting.
    fn block(&mut self, error: ChatError, fx: &mut Vec<Effect>) {
        if let Some(hint) = &error.embedder_hint {
            fx.push(Effect::ConsoleError(hint.clone()));
        }
        self.reject_queue(&error, fx);
        self.status = Status::Blocked;
        self.blocked = Some(error);
    }

    fn reject_queue(&mut self, error: &ChatError, fx: &mut Vec<Effect>) {
        for queued in self.queue.drain(..) {
            if let Queued::Api { ticket, .. } = queued {
                fx.push(Effect::Settle { ticket, result: Err(error.clone()) });
            }
        }
    }

    fn answered(&mut self, call: Call, result: Result<Value, ChatError>, fx: &mut Vec<Effect>) {
        match call {
            Call::Restore { generation, thread_id } if generation == self.generation => {
                self.restoring = None;
                fx.push(Effect::Emit(ApiEvent::ThreadLoad { thread_id: thread_id.clone(), done: true }));
                let page = result.map(|value| Page::from_json(&value, Item::from_json));
                match page {
                    Ok(Ok(page)) if !page.data.is_empty() => {
                        self.thread.load_history(&thread_id, page);
                        // Opened from the list: the list said whether it is locked or closed.
                        self.thread.closed = self
                            .history
                            .threads
                            .iter()
                            .find(|t| t.id == thread_id)
                            .and_then(|t| t.closed.clone());
                        self.model = self.conversation_model();
                        fx.push(Effect::Emit(ApiEvent::ThreadChange { thread_id: Some(thread_id) }));
                    }
                    // An empty page, an answer we cannot read, or an error the browser would
                    // not let us see: the server no longer knows the thread. Forget it quietly.
                    Ok(_) | Err(ChatError { kind: ErrorKind::Network, .. }) => {
                        self.record.forget_thread(&thread_id);
                        self.persist(fx);
                    }
                    Err(error) => {
                        self.block(error, fx);
                        return;
                    }
                }
                self.ready(fx);
            }
            Call::ListThreads { generation, request, first }
                if generation == self.generation && request == self.list_request =>
            {
                self.history.loading = false;
                let Ok(Ok(page)) = result.map(|value| Page::from_json(&value, ThreadMeta::from_json)) else {
                    return;
                };
                self.listed(page, first, fx);
            }
            Call::Earlier { generation } if generation == self.generation => {
                self.loading_earlier = false;
                if let Ok(Ok(page)) = result.map(|value| Page::from_json(&value, Item::from_json)) {
                    self.thread.prepend_history(page);
                }
            }
            Call::Check { turn } if self.turn_id() == Some(turn) => self.checked(result, fx),
            Call::Sync { generation, item_id } => self.synced(generation, &item_id, result, fx),
            // (Not while a turn is in flight: its own items would show twice. After it.)
            Call::Refresh { generation } if generation == self.generation && self.turn.is_some() => {
                self.stale = true;
            }
            Call::Refresh { generation } if generation == self.generation => {
                if let Ok(Ok(page)) = result.map(|value| Page::from_json(&value, Item::from_json)) {
                    self.thread.merge_newest(page);
                }
            }
            Call::Recheck { turn } if self.streaming_turn() == Some(turn) => self.rechecked(result, fx),
            Call::Restore { .. }
            | Call::ListThreads { .. }
            | Call::Earlier { .. }
            | Call::Check { .. }
            | Call::Refresh { .. }
            | Call::Recheck { .. } => {}
        }
    }

    // --- Sending ---------------------------------------------------------------------------

    /// The request body for `request`: `type`, `params`, the embedder's metadata as it is now,
    /// and the workflow id (contract §4). `None` before the workflow is known and the store
    /// has been read.
    pub fn body(&self, request: &Request) -> Option<Value> {
        let endpoint = self.endpoint.as_ref().filter(|_| self.opened)?;
        let name = self.title().unwrap_or_default();
        let metadata = request_metadata(&endpoint.workflow_id, name, &self.config.metadata);
        Some(request.body(&endpoint.workflow_id, &metadata))
    }

    /// The model of the conversation on screen: the one its newest message asked for, if the
    /// workflow still offers it, else the default for a new conversation.
    fn conversation_model(&self) -> Option<String> {
        let workflow = self.workflow.as_ref()?;
        let last = self.thread.entries.iter().rev().find_map(|entry| match &entry.kind {
            EntryKind::Item { body: ItemBody::User(message), .. } => Some(message.model.clone()),
            _ => None,
        });
        let wanted = last.flatten().or_else(|| self.config.model.clone());
        workflow.default_model(wanted.as_deref())
    }

    /// The thumbs given to replies: `(item id, positive)`.
    pub fn feedback(&self) -> &[(String, bool)] {
        &self.feedback.0
    }

    /// Whether a new message may start a turn now.
    fn admit(&self) -> Result<(), Refusal> {
        match self.status {
            Status::Connecting => Err(Refusal::Wait),
            Status::Unconfigured => Err(Refusal::Refuse(ChatError::misconfigured(
                "the chat is not connected: set data-backend and data-workflow",
            ))),
            Status::Blocked => Err(Refusal::Refuse(self.blocked.clone().unwrap_or_else(ChatError::network))),
            Status::Ready if self.busy() => Err(Refusal::Refuse(ChatError::busy())),
            Status::Ready if self.thread.closed.is_some() => {
                Err(Refusal::Refuse(ChatError::closed(self.thread.closed.as_deref().unwrap_or_default())))
            }
            Status::Ready if self.cooling_down => {
                Err(Refusal::Refuse(self.cooldown_error.clone().unwrap_or_else(ChatError::busy)))
            }
            Status::Ready => Ok(()),
        }
    }

    fn submit(&mut self, fx: &mut Vec<Effect>) {
        let text = self.draft.trim().to_owned();
        if text.is_empty() || self.uploading() {
            return;
        }
        match self.admit() {
            Ok(()) => {
                let (ids, sent) = self.take_uploads();
                self.set_draft(String::new(), fx);
                self.begin(Start::Send(text, ids), None, sent, fx);
            }
            // The text waits in the composer and goes once connected.
            Err(Refusal::Wait) => {
                if !self.queue.contains(&Queued::Composer) {
                    self.queue.push(Queued::Composer);
                }
            }
            // The composer's Send is disabled in these states; nothing to do.
            Err(Refusal::Refuse(_)) => {}
        }
    }

    fn send(&mut self, text: String, ticket: Ticket, fx: &mut Vec<Effect>) {
        match self.admit() {
            Ok(()) => self.begin(Start::Send(text, Vec::new()), Some(ticket), Vec::new(), fx),
            Err(Refusal::Wait) => self.queue.push(Queued::Api { text, ticket }),
            Err(Refusal::Refuse(error)) => fx.push(Effect::Settle { ticket, result: Err(error) }),
        }
    }

    /// Starts the next waiting message, if one can go.
    fn drain(&mut self, fx: &mut Vec<Effect>) {
        while self.admit().is_ok() {
            // A client tool's answer goes first: the reply it belongs to waits for it.
            if let Some(output) = self.tool_output.take() {
                self.begin(Start::Answer(Answer::Tool(output)), None, Vec::new(), fx);
                continue;
            }
            match (!self.queue.is_empty()).then(|| self.queue.remove(0)) {
                Some(Queued::Composer) => self.submit(fx),
                Some(Queued::Api { text, ticket }) => self.send(text, ticket, fx),
                None => return,
            }
        }
    }

    fn set_draft(&mut self, text: String, fx: &mut Vec<Effect>) {
        if self.draft != text {
            self.draft.clone_from(&text);
            fx.push(Effect::SetDraft(text));
        }
    }

    /// The composer's uploads, taken for the message being sent: their attachment ids.
    fn take_uploads(&mut self) -> (Vec<String>, Vec<Upload>) {
        let sent = std::mem::take(&mut self.uploads);
        let ids = sent
            .iter()
            .filter_map(|upload| match &upload.state {
                UploadState::Ready(id) => Some(id.clone()),
                _ => None,
            })
            .collect();
        (ids, sent)
    }

    fn retry(&mut self, entry_id: &str, fx: &mut Vec<Effect>) {
        if !self.can_start_turn() {
            return;
        }
        let target = self.thread.entries.iter().find(|entry| entry.id == entry_id).and_then(|entry| {
            match &entry.kind {
                EntryKind::Failure { retry: Some(target), .. } => Some(target.clone()),
                _ => None,
            }
        });
        match target {
            // A failed send put its text and files back in the composer: they go again.
            // A resend takes the composer's files: not while one is still uploading.
            Some(RetryTarget::Resend(_)) if self.uploading() => {}
            Some(RetryTarget::Resend(text)) => {
                if self.draft.trim() == text.trim() {
                    self.set_draft(String::new(), fx);
                }
                let (ids, sent) = self.take_uploads();
                self.thread.retire_failure(entry_id);
                self.begin(Start::Send(text, ids), None, sent, fx);
            }
            // The conversation went on after the failed message: Orcheo's retry would delete
            // every later message, so the question is asked again at the end instead.
            Some(RetryTarget::RetryAfter(item_id)) if self.thread.has_user_message_after(&item_id) => {
                let Some(text) = self.thread.user_text(&item_id).map(str::to_owned) else { return };
                self.thread.retire_failure(entry_id);
                self.begin(Start::Send(text, Vec::new()), None, Vec::new(), fx);
            }
            Some(RetryTarget::RetryAfter(item_id)) => self.begin(Start::Retry(item_id), None, Vec::new(), fx),
            Some(RetryTarget::Action { item_id, action }) => {
                self.thread.retire_failure(entry_id);
                self.begin(Start::Action { item_id, action }, None, Vec::new(), fx);
            }
            Some(RetryTarget::Answer(answer)) => {
                self.thread.retire_failure(entry_id);
                self.begin(Start::Answer(answer), None, Vec::new(), fx);
            }
            None => {}
        }
    }

    /// Starts a turn (the caller has checked that one may start).
    fn begin(&mut self, start: Start, ticket: Option<Ticket>, uploads: Vec<Upload>, fx: &mut Vec<Effect>) {
        let thread_id = self.thread.id.clone();
        // The note the next page reads if this one goes before the answer arrives.
        // The newest stored item shown: a question sent after it is looked for after it.
        let after = self.thread.entries.iter().rev().find_map(|entry| match entry.kind {
            EntryKind::Item { .. } => Some(entry.id.clone()),
            _ => None,
        });
        let (item_id, text) = match &start {
            Start::Send(text, _) => (None, Some(text.clone())),
            Start::Retry(item_id) => {
                (Some(item_id.clone()), self.thread.user_text(item_id).map(str::to_owned))
            }
            Start::Action { .. } | Start::Answer(_) => (None, None),
        };
        let request = match start {
            Start::Send(text, attachments) => {
                self.thread.begin_send(&text);
                let input = UserInput { attachments, model: self.model.clone(), ..UserInput::text(text) };
                match thread_id.clone() {
                    Some(thread_id) => Request::ThreadsAddUserMessage { thread_id, input },
                    None => Request::ThreadsCreate { input },
                }
            }
            Start::Retry(item_id) => {
                self.thread.begin_retry(&item_id);
                Request::ThreadsRetryAfterItem { thread_id: thread_id.clone().unwrap_or_default(), item_id }
            }
            Start::Action { item_id, action } => {
                self.thread.begin_action(item_id.clone(), action.clone());
                Request::ThreadsCustomAction {
                    thread_id: thread_id.clone().unwrap_or_default(),
                    item_id,
                    action,
                }
            }
            Start::Answer(answer) => {
                self.thread.begin_answer(answer.clone());
                let thread_id = thread_id.clone().unwrap_or_default();
                match answer {
                    Answer::Tool(result) => Request::ThreadsAddClientToolOutput { thread_id, result },
                    Answer::Questions { item_id, input } => {
                        Request::ThreadsAddStructuredInput { thread_id, item_id, input }
                    }
                }
            }
        };
        // There is a body: turns start only when Ready, which follows reading the store.
        let Some(body) = self.body(&request) else { return };
        self.next_turn += 1;
        let turn = self.next_turn;
        let resumed_from = self.resuming.take();
        let asked = match resumed_from.clone() {
            Some(first) => Asked { resumed: true, ..first },
            None => {
                Asked { thread_id: thread_id.clone(), item_id, text, after, at: self.now, resumed: false }
            }
        };
        self.turn = Some(ActiveTurn { id: turn, ticket, uploads, check: None, resumed_from });
        let resuming = asked.resumed;
        self.record.asked = asked.to_value();
        self.persist(fx);
        let lock = match (&self.endpoint, &thread_id) {
            (Some(endpoint), Some(thread_id)) => {
                Some(TurnLock { name: endpoint.turn_lock(thread_id), wait: !resuming })
            }
            _ => None,
        };
        fx.push(Effect::Stream { turn, body, attempt: self.consecutive_429s + 1, lock });
        fx.push(Effect::Emit(ApiEvent::ResponseStart { thread_id }));
    }

    fn stop(&mut self, fx: &mut Vec<Effect>) {
        if self.turn.is_none() && self.tool_running {
            self.stop_tool(fx);
            return;
        }
        // While the session asks whether the server stored the message, there is nothing to
        // stop: ending now would give back, to be sent again, a message the server may have.
        let Some(turn) = self.turn.as_ref().filter(|turn| turn.check.is_none()) else { return };
        fx.push(Effect::Abort { turn: turn.id });
        // A stopped question is never asked again by another page, even if this one goes
        // before its end is settled.
        self.forget_asked(fx);
        let outcome = self.thread.abort();
        self.end(outcome, fx);
    }

    /// A turn's stream ended. A message the server may have stored without confirming it
    /// ([`TurnOutcome::Unconfirmed`]) would be stored twice if it were sent again, so the turn
    /// stays open until `items.list` says ([`Call::Check`]).
    fn end(&mut self, outcome: Option<TurnOutcome>, fx: &mut Vec<Effect>) {
        if let (Some(TurnOutcome::Unconfirmed { .. }), Some(thread_id)) = (&outcome, &self.thread.id) {
            let body = self.newest_items(thread_id, CHECK_PAGE);
            if let (Some(body), Some(turn)) = (body, self.turn.as_mut()) {
                turn.check = outcome;
                fx.push(Effect::Call { call: Some(Call::Check { turn: turn.id }), body });
                return;
            }
        }
        // No request could be made: as if the server does not have the message.
        let outcome = match outcome {
            Some(TurnOutcome::Unconfirmed { error, text }) => {
                Some(self.thread.confirm_sent(error, text, None))
            }
            outcome => outcome,
        };
        self.finish(outcome, fx);
    }

    /// The answer to [`Call::Check`].
    fn checked(&mut self, result: Result<Value, ChatError>, fx: &mut Vec<Effect>) {
        let page = result.ok().and_then(|value| Page::from_json(&value, Item::from_json).ok());
        let outcome = match self.turn.as_mut().and_then(|turn| turn.check.take()) {
            Some(TurnOutcome::Unconfirmed { error, text }) => self.thread.confirm_sent(error, text, page),
            Some(outcome) => outcome,
            None => return,
        };
        self.finish(Some(outcome), fx);
    }

    fn event(&mut self, data: Option<Value>, fx: &mut Vec<Effect>) {
        let Some(value) = data else {
            fx.push(Effect::Warn("skipped a stream event that is not JSON".into()));
            return;
        };
        let event = match StreamEvent::from_json(&value) {
            Ok(event) => event,
            Err(error) => {
                fx.push(Effect::Warn(format!("skipped a stream event: {}", error.0)));
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
        if let StreamEvent::ClientEffect { name, data } = &event {
            fx.push(Effect::Emit(ApiEvent::Effect { name: name.clone(), data: data.clone() }));
        }
        self.thread.apply(event);
        // Only a new conversation or a stored user message adds to the note (not every delta).
        if created.is_some() || finished.as_ref().is_some_and(|(_, role, _)| *role == "user") {
            self.note_confirmed(created.as_deref(), fx);
        }
        if let Some(thread_id) = created {
            self.record.remember_thread(&thread_id);
            self.persist(fx);
            fx.push(Effect::Emit(ApiEvent::ThreadChange { thread_id: Some(thread_id) }));
        }
        if let Some((id, role, text)) = finished {
            fx.push(Effect::Emit(ApiEvent::Message { id, role, text, thread_id: self.thread.id.clone() }));
        }
    }

    /// Records how a turn ended: the reply for the live region and the unread dot, or the
    /// failure (its text and files back in the composer, a rate limit's cool-down, the `error`
    /// event); then the next waiting message goes.
    fn finish(&mut self, outcome: Option<TurnOutcome>, fx: &mut Vec<Effect>) {
        let Some(turn) = self.turn.take() else { return };
        self.forget_asked(fx);
        let result = match outcome {
            Some(TurnOutcome::Replied(text)) => {
                self.consecutive_429s = 0;
                self.announcement = announcement(&text);
                self.unread |= !self.visible;
                Ok(text)
            }
            Some(TurnOutcome::Failed { error, restore_draft }) => {
                // A message that never arrived goes back into the composer unless the visitor
                // has typed since, and its files go back in any case (a message the server
                // stored keeps them: sending them again would attach them twice).
                if let Some(text) = restore_draft {
                    if self.draft.trim().is_empty() {
                        self.set_draft(text, fx);
                    }
                    let later = std::mem::replace(&mut self.uploads, turn.uploads);
                    self.uploads.extend(later);
                }
                if let Retry::After(seconds) = error.retry {
                    self.consecutive_429s += 1;
                    self.cooling_down = true;
                    self.cooldown += 1;
                    self.cooldown_error = Some(error.clone());
                    let ms = seconds.saturating_mul(1000).min(i32::MAX as u32);
                    fx.push(Effect::Cooldown { cooldown: self.cooldown, ms });
                }
                Err(error)
            }
            // (`end` and `checked` settle an unconfirmed turn before it gets here.)
            None | Some(TurnOutcome::Unconfirmed { .. }) => Err(ChatError::aborted()),
        };
        let failure = result.as_ref().err().filter(|error| error.kind != ErrorKind::Aborted).cloned();
        let thread_id = self.thread.id.clone();
        let code = result.as_ref().err().map(|error| error.code.clone());
        // The promise is settled first: an event handler that calls `destroy()` must not turn
        // its rejection into `destroyed`.
        if let Some(ticket) = turn.ticket {
            fx.push(Effect::Settle { ticket, result });
        }
        if let Some(error) = failure {
            if let Some(hint) = &error.embedder_hint {
                fx.push(Effect::ConsoleError(hint.clone()));
            }
            fx.push(Effect::Emit(ApiEvent::Error(error)));
        }
        if let Some(thread_id) = &thread_id {
            fx.push(Effect::Broadcast { thread_id: thread_id.clone() });
        }
        fx.push(Effect::Emit(ApiEvent::ResponseEnd { thread_id, error: code }));
        if self.stale {
            self.refresh(fx);
        }
        self.ask_tool(fx);
        self.drain(fx);
    }

    // --- Asking again after a page change -----------------------------------------------------

    /// Forgets the note of a turn in flight (it ended, or the visitor moved on).
    fn forget_asked(&mut self, fx: &mut Vec<Effect>) {
        if !self.record.asked.is_null() {
            self.record.asked = Value::Null;
            self.persist(fx);
        }
    }

    /// Adds to the note of the turn in flight what the stream has just confirmed: the new
    /// conversation's id, the question's id.
    fn note_confirmed(&mut self, created: Option<&str>, fx: &mut Vec<Effect>) {
        let Some(mut asked) = Asked::from_value(&self.record.asked) else { return };
        let confirmed = self.thread.turn.as_ref().and_then(|turn| turn.user_item_id.clone());
        let before = asked.clone();
        if let Some(thread_id) = created {
            asked.thread_id = Some(thread_id.to_owned());
        }
        if asked.item_id.is_none() && asked.text.is_some() {
            asked.item_id = confirmed;
        }
        if asked != before {
            self.record.asked = asked.to_value();
            // (A new conversation is persisted by the caller, with its id.)
            if created.is_none() {
                self.persist(fx);
            }
        }
    }

    /// Once the conversation is restored: asks again for the answer the previous page was
    /// waiting for, sends again a question the server never got, or says the answer was
    /// interrupted ([`resume::plan`]).
    fn resume(&mut self, fx: &mut Vec<Effect>) {
        let Some(asked) = self.resumable.take() else { return };
        let plan = if self.can_start_turn() {
            resume::plan(&asked, &self.thread, self.now)
        } else {
            Resume::Nothing
        };
        match plan {
            Resume::RetryAfter(item_id) => {
                self.resuming = Some(asked);
                self.begin(Start::Retry(item_id), None, Vec::new(), fx);
            }
            Resume::Resend(text) => {
                self.resuming = Some(asked);
                self.begin(Start::Send(text, Vec::new()), None, Vec::new(), fx);
            }
            Resume::Interrupted(retry) => {
                if let Some(RetryTarget::Resend(text)) = &retry {
                    if self.draft.trim().is_empty() {
                        self.set_draft(text.clone(), fx);
                    }
                }
                self.thread.show_failure(ChatError::interrupted(), retry);
                self.forget_asked(fx);
            }
            Resume::Nothing => self.forget_asked(fx),
        }
    }

    /// The conversation as it is once another tab's reply ended: the turn that waited is put
    /// aside (nothing was sent) and the previous page's note decided again, on what the
    /// server has now.
    fn rechecked(&mut self, result: Result<Value, ChatError>, fx: &mut Vec<Effect>) {
        if let Ok(Ok(page)) = result.map(|value| Page::from_json(&value, Item::from_json)) {
            self.thread.merge_newest(page);
        }
        let Some(turn) = self.turn.take() else { return };
        self.thread.drop_turn();
        fx.push(Effect::Emit(ApiEvent::ResponseEnd { thread_id: self.thread.id.clone(), error: None }));
        self.resumable = turn.resumed_from;
        self.resume(fx);
        self.drain(fx);
    }

    /// Reads the conversation's newest items again (another tab changed it): what this tab
    /// has not seen joins the log in the server's order.
    fn refresh(&mut self, fx: &mut Vec<Effect>) {
        let body = self.thread.id.as_deref().and_then(|thread_id| self.newest_items(thread_id, HISTORY_PAGE));
        if let Some(body) = body {
            self.stale = false;
            fx.push(Effect::Call { call: Some(Call::Refresh { generation: self.generation }), body });
        }
    }

    // --- Conversations ---------------------------------------------------------------------

    fn persist(&self, fx: &mut Vec<Effect>) {
        if self.opened {
            fx.push(Effect::Persist(self.record.clone()));
        }
    }

    fn new_thread(&mut self, fx: &mut Vec<Effect>) {
        self.reset(fx);
        self.history.showing = false;
        self.record.thread_id = None;
        if self.opened {
            self.persist(fx);
            // A restore still in flight is dropped (the epoch ended): nothing is left to wait for.
            self.ready(fx);
        } else if self.status == Status::Connecting {
            self.fresh = true;
            self.wanted_thread = None;
        }
        fx.push(Effect::Emit(ApiEvent::ThreadChange { thread_id: None }));
        self.drain(fx);
    }

    /// Opens a conversation from the list: the session is Connecting until its items arrive
    /// (a message sent meanwhile waits, then goes into it).
    fn open_thread(&mut self, thread_id: String, fx: &mut Vec<Effect>) {
        if !self.opened {
            // `setThreadId()` before the store is read: that conversation is the one restored.
            if self.status == Status::Connecting {
                self.wanted_thread = Some(thread_id);
                self.fresh = false;
            }
            return;
        }
        self.reset(fx);
        self.history.showing = false;
        self.record.remember_thread(&thread_id);
        self.persist(fx);
        self.status = Status::Connecting;
        self.blocked = None;
        self.restore(thread_id, fx);
    }

    fn show_history(&mut self, show: bool, fx: &mut Vec<Effect>) {
        self.history.showing = show && self.config.history;
        self.history.editing = None;
        if self.history.showing {
            self.list_threads(true, fx);
        }
    }

    /// Asks for the list's first page (it starts over) or the page after the last one listed.
    fn list_threads(&mut self, first: bool, fx: &mut Vec<Effect>) {
        if !self.history.showing || (!first && (self.history.loading || !self.history.more)) {
            return;
        }
        let after = if first { None } else { self.list_after.clone() };
        let request = Request::ThreadsList { limit: Some(THREAD_PAGE), descending: true, after };
        let Some(body) = self.body(&request) else { return };
        if first {
            self.listing_known = Some(self.record.threads.clone());
        }
        self.list_request += 1;
        self.history.loading = true;
        let call = Call::ListThreads { generation: self.generation, request: self.list_request, first };
        fx.push(Effect::Call { call: Some(call), body });
    }

    /// A page of the list arrived: the conversations started here join it in the server's
    /// order. Once the whole list has arrived, a conversation known here that it does not hold
    /// is gone from the server and is forgotten.
    fn listed(&mut self, page: Page<ThreadMeta>, first: bool, fx: &mut Vec<Effect>) {
        if first {
            self.history.threads.clear();
        }
        // Only conversations started here (older Orcheo releases list every visitor's threads).
        let known = &self.record.threads;
        let mine: Vec<ThreadMeta> = page
            .data
            .into_iter()
            .filter(|thread| known.contains(&thread.id))
            .filter(|thread| !self.history.threads.iter().any(|shown| shown.id == thread.id))
            .collect();
        let found = !mine.is_empty();
        self.history.threads.extend(mine);
        // A cursor that does not move would ask for the same page for ever.
        let after =
            page.after.filter(|after| page.has_more && (first || self.list_after.as_ref() != Some(after)));
        self.list_after = after;
        self.history.more = self.list_after.is_some();
        self.empty_pages = if found || first { 0 } else { self.empty_pages + 1 };
        let all_found = self.record.threads.iter().all(|id| self.history.threads.iter().any(|t| &t.id == id));
        if !self.history.more {
            if let Some(known) = self.listing_known.take() {
                let listed = &self.history.threads;
                let current = self.record.thread_id.clone();
                let gone: Vec<String> = known
                    .into_iter()
                    .filter(|id| {
                        Some(id) != current.as_ref() && !listed.iter().any(|thread| &thread.id == id)
                    })
                    .collect();
                if !gone.is_empty() {
                    for id in &gone {
                        self.record.forget_thread(id);
                    }
                    self.persist(fx);
                }
            }
        } else if !found && !all_found && self.empty_pages < MAX_EMPTY_PAGES {
            // A page of other visitors' conversations (older Orcheo releases list everyone's)
            // shows nothing: go on to the next, a few pages at most before the visitor asks.
            self.list_threads(false, fx);
        }
    }

    fn rename_thread(&mut self, thread_id: String, title: &str, fx: &mut Vec<Effect>) {
        let title = title.trim().to_owned();
        self.history.editing = None;
        if title.is_empty() {
            return;
        }
        if let Some(thread) = self.history.threads.iter_mut().find(|thread| thread.id == thread_id) {
            thread.title = Some(title.clone());
        }
        if let Some(body) = self.body(&Request::ThreadsUpdate { thread_id, title }) {
            fx.push(Effect::Call { call: None, body });
        }
    }

    fn delete_thread(&mut self, thread_id: String, fx: &mut Vec<Effect>) {
        let Some(body) = self.body(&Request::ThreadsDelete { thread_id: thread_id.clone() }) else { return };
        self.history.threads.retain(|thread| thread.id != thread_id);
        // The conversation on screen, or the one being opened (not on screen yet).
        let open_one =
            [self.thread.id.as_deref(), self.record.thread_id.as_deref()].contains(&Some(&thread_id));
        self.record.forget_thread(&thread_id);
        self.persist(fx);
        fx.push(Effect::Call { call: None, body });
        if open_one {
            self.reset(fx);
            fx.push(Effect::Emit(ApiEvent::ThreadChange { thread_id: None }));
            // It may have been opening: nothing is left to wait for.
            self.ready(fx);
            self.drain(fx);
        }
    }

    /// Records the visitor's thumbs on a reply (shown from the snapshot after a reload: Orcheo
    /// discards them) and tells the server and the embedder, once per change of mind.
    fn give_feedback(&mut self, item_id: String, positive: bool, fx: &mut Vec<Effect>) {
        let Some(thread_id) = self.thread.id.clone() else { return };
        let request = Request::ItemsFeedback {
            thread_id: thread_id.clone(),
            item_ids: vec![item_id.clone()],
            positive,
        };
        let Some(body) = self.body(&request) else { return };
        if !self.feedback.give(&item_id, positive) {
            return;
        }
        self.record.feedback = self.feedback.to_value();
        self.persist(fx);
        fx.push(Effect::Call { call: None, body });
        fx.push(Effect::Emit(ApiEvent::Feedback { item_id, positive, thread_id: Some(thread_id) }));
    }

    // --- Attachments -----------------------------------------------------------------------

    fn attach(&mut self, files: Vec<PickedFile>, fx: &mut Vec<Effect>) {
        for (index, file) in files.into_iter().enumerate() {
            self.next_upload += 1;
            let key = self.next_upload;
            let too_big = file.size > MAX_UPLOAD_BYTES;
            if too_big {
                fx.push(Effect::Warn(format!("\"{}\" is larger than Orcheo's 5 MB upload limit", file.name)));
            }
            // While connecting the glue holds the file and uploads it once connected.
            let state = if too_big || !matches!(self.status, Status::Ready | Status::Connecting) {
                UploadState::Failed
            } else {
                fx.push(Effect::Upload { key, index });
                UploadState::Uploading
            };
            self.uploads.push(Upload { key, name: file.name, state });
        }
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

#[cfg(test)]
mod tests;
