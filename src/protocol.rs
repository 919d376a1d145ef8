//! The ChatKit wire protocol as Orcheo's `POST /api/chatkit` speaks it: every request type, and
//! every stream event, thread item and item update of openai-chatkit 1.4 and 1.6.
//!
//! Decoding is forgiving by design. Unknown event, item and update types come back as `Unknown`
//! variants (kept, never an error); unknown fields are ignored; optional fields may be missing
//! or `null`. Only a `data:` line that is not JSON, or a known event missing what defines it,
//! is a [`ProtocolError`].

use serde_json::{Map, Value};

use crate::json::{object, optional, strings};
use crate::time::parse_iso8601_ms;

/// A request body's `type` and `params`.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// `threads.create` (streams).
    ThreadsCreate {
        /// The first message.
        input: UserInput,
    },
    /// `threads.add_user_message` (streams).
    ThreadsAddUserMessage {
        /// The thread to add to.
        thread_id: String,
        /// The message.
        input: UserInput,
    },
    /// `threads.retry_after_item` (streams): re-runs the workflow for a user message and
    /// deletes every item after it on the server (without `thread.item.removed` events).
    ThreadsRetryAfterItem {
        /// The thread.
        thread_id: String,
        /// The user message to answer again.
        item_id: String,
    },
    /// `threads.custom_action` (streams): a widget action.
    ThreadsCustomAction {
        /// The thread.
        thread_id: String,
        /// The widget item that sent it.
        item_id: Option<String>,
        /// `{type, payload}`.
        action: Value,
    },
    /// `threads.sync_custom_action` (1.6, JSON).
    ThreadsSyncCustomAction {
        /// The thread.
        thread_id: String,
        /// The widget item that sent it.
        item_id: Option<String>,
        /// `{type, payload}`.
        action: Value,
    },
    /// `threads.add_client_tool_output` (streams).
    ThreadsAddClientToolOutput {
        /// The thread.
        thread_id: String,
        /// The tool's result.
        result: Value,
    },
    /// `threads.add_structured_input` (1.6, streams).
    ThreadsAddStructuredInput {
        /// The thread.
        thread_id: String,
        /// The structured-input item answered.
        item_id: String,
        /// `{status, answers}`.
        input: Value,
    },
    /// `threads.list` (JSON).
    ThreadsList {
        /// Page size.
        limit: Option<u32>,
        /// Newest first when `true`.
        descending: bool,
        /// Cursor: a thread id.
        after: Option<String>,
    },
    /// `items.list` (JSON).
    ItemsList {
        /// The thread.
        thread_id: String,
        /// Page size.
        limit: Option<u32>,
        /// Newest first when `true`.
        descending: bool,
        /// Cursor: an item id.
        after: Option<String>,
    },
    /// `threads.update` (JSON): rename.
    ThreadsUpdate {
        /// The thread.
        thread_id: String,
        /// The new title.
        title: String,
    },
    /// `threads.delete` (JSON).
    ThreadsDelete {
        /// The thread.
        thread_id: String,
    },
    /// `items.feedback` (JSON).
    ItemsFeedback {
        /// The thread.
        thread_id: String,
        /// The rated items.
        item_ids: Vec<String>,
        /// `true` for positive.
        positive: bool,
    },
}

/// A user message as sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserInput {
    /// The text.
    pub text: String,
    /// Attachment ids from the upload endpoint.
    pub attachments: Vec<String>,
    /// A model id from the workflow's `supported_models`.
    pub model: Option<String>,
}

impl UserInput {
    /// A text-only message.
    pub fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), ..Self::default() }
    }

    fn to_json(&self) -> Value {
        let mut options = Map::new();
        if let Some(model) = &self.model {
            options.insert("model".into(), Value::String(model.clone()));
        }
        let text = object(vec![("type", "input_text".into()), ("text", self.text.clone().into())]);
        // Orcheo rejects a message without `attachments` and `inference_options`.
        object(vec![
            ("content", Value::Array(vec![text])),
            ("attachments", strings(&self.attachments)),
            ("inference_options", Value::Object(options)),
        ])
    }
}

impl Request {
    /// The `type` field.
    pub fn kind(&self) -> &'static str {
        match self {
            Request::ThreadsCreate { .. } => "threads.create",
            Request::ThreadsAddUserMessage { .. } => "threads.add_user_message",
            Request::ThreadsRetryAfterItem { .. } => "threads.retry_after_item",
            Request::ThreadsCustomAction { .. } => "threads.custom_action",
            Request::ThreadsSyncCustomAction { .. } => "threads.sync_custom_action",
            Request::ThreadsAddClientToolOutput { .. } => "threads.add_client_tool_output",
            Request::ThreadsAddStructuredInput { .. } => "threads.add_structured_input",
            Request::ThreadsList { .. } => "threads.list",
            Request::ItemsList { .. } => "items.list",
            Request::ThreadsUpdate { .. } => "threads.update",
            Request::ThreadsDelete { .. } => "threads.delete",
            Request::ItemsFeedback { .. } => "items.feedback",
        }
    }

    /// Whether the answer is an SSE stream rather than JSON.
    pub fn is_streaming(&self) -> bool {
        matches!(
            self,
            Request::ThreadsCreate { .. }
                | Request::ThreadsAddUserMessage { .. }
                | Request::ThreadsRetryAfterItem { .. }
                | Request::ThreadsCustomAction { .. }
                | Request::ThreadsAddClientToolOutput { .. }
                | Request::ThreadsAddStructuredInput { .. }
        )
    }

    /// The `params` object.
    pub fn params(&self) -> Value {
        let id = |text: &String| Value::String(text.clone());
        let order = |descending: bool| Value::from(if descending { "desc" } else { "asc" });
        let limit = |limit: &Option<u32>| limit.map_or(Value::Null, Value::from);
        object(match self {
            Request::ThreadsCreate { input } => vec![("input", input.to_json())],
            Request::ThreadsAddUserMessage { thread_id, input } => {
                vec![("thread_id", id(thread_id)), ("input", input.to_json())]
            }
            Request::ThreadsRetryAfterItem { thread_id, item_id } => {
                vec![("thread_id", id(thread_id)), ("item_id", id(item_id))]
            }
            Request::ThreadsCustomAction { thread_id, item_id, action }
            | Request::ThreadsSyncCustomAction { thread_id, item_id, action } => {
                vec![("thread_id", id(thread_id)), ("item_id", optional(item_id)), ("action", action.clone())]
            }
            Request::ThreadsAddClientToolOutput { thread_id, result } => {
                vec![("thread_id", id(thread_id)), ("result", result.clone())]
            }
            Request::ThreadsAddStructuredInput { thread_id, item_id, input } => {
                vec![("thread_id", id(thread_id)), ("item_id", id(item_id)), ("input", input.clone())]
            }
            Request::ThreadsDelete { thread_id } => {
                vec![("thread_id", id(thread_id))]
            }
            Request::ThreadsList { limit: size, descending, after } => {
                vec![("limit", limit(size)), ("order", order(*descending)), ("after", optional(after))]
            }
            Request::ItemsList { thread_id, limit: size, descending, after } => vec![
                ("thread_id", id(thread_id)),
                ("limit", limit(size)),
                ("order", order(*descending)),
                ("after", optional(after)),
            ],
            Request::ThreadsUpdate { thread_id, title } => {
                vec![("thread_id", id(thread_id)), ("title", id(title))]
            }
            Request::ItemsFeedback { thread_id, item_ids, positive } => vec![
                ("thread_id", id(thread_id)),
                ("item_ids", strings(item_ids)),
                ("kind", Value::from(if *positive { "positive" } else { "negative" })),
            ],
        })
    }

    /// The whole JSON body: `type`, `params`, the merged `metadata`, and Orcheo's top-level
    /// `workflow_id` (contract §4).
    pub fn body(&self, workflow_id: &str, metadata: &Map<String, Value>) -> Value {
        object(vec![
            ("type", Value::from(self.kind())),
            ("params", self.params()),
            ("metadata", Value::Object(metadata.clone())),
            ("workflow_id", Value::from(workflow_id)),
        ])
    }
}

/// The `metadata` every request carries: `{workflow_id, workflow_name, ...embedder metadata}`.
/// The embedder's keys may add to it but never change `workflow_id`.
pub fn request_metadata(
    workflow_id: &str,
    workflow_name: &str,
    extra: &Map<String, Value>,
) -> Map<String, Value> {
    let mut metadata = Map::new();
    metadata.insert("workflow_id".into(), Value::from(workflow_id));
    metadata.insert("workflow_name".into(), Value::from(workflow_name));
    for (key, value) in extra {
        if key != "workflow_id" {
            metadata.insert(key.clone(), value.clone());
        }
    }
    metadata
}

/// Whether a browser accepts `name: value` as a request header: a token name, and a value
/// without line breaks, NUL or characters beyond Latin-1 (the Fetch standard's rules). A token
/// from an embedder's endpoint is checked with this before it goes into `Authorization`.
pub fn is_valid_header(name: &str, value: &str) -> bool {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    !name.is_empty()
        && name.chars().all(token)
        && value.chars().all(|c| c != '\r' && c != '\n' && c != '\0' && u32::from(c) <= 0xFF)
}

/// A stream event or a body that could not be understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolError(pub String);

/// Thread-level fields (`thread.created`, `thread.updated`, list entries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadMeta {
    /// `thr_…`.
    pub id: String,
    /// Orcheo sets it to the first user text.
    pub title: Option<String>,
    /// Milliseconds since the epoch.
    pub created_at_ms: Option<i64>,
    /// `None` while the thread is active; `Some(reason)` once it is locked or closed (the
    /// reason may be empty).
    pub closed: Option<String>,
}

/// A thread item.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// `msg_…`.
    pub id: String,
    /// Milliseconds since the epoch (naive timestamps read as UTC).
    pub created_at_ms: Option<i64>,
    /// What kind of item, with its content.
    pub body: ItemBody,
}

/// The item kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemBody {
    /// `user_message`.
    User(UserMessage),
    /// `assistant_message`.
    Assistant(Vec<AssistantPart>),
    /// `widget`: the root component is kept as JSON for the renderer.
    Widget {
        /// `Card`, `ListView` or a dynamic root.
        widget: Value,
        /// Plain text for copying.
        copy_text: Option<String>,
    },
    /// `client_tool_call`: the server asks the page to run a tool.
    ClientToolCall(ToolCall),
    /// `task`: one task, as JSON ([`TaskSummary::from_json`] reads it where it is drawn).
    Task(Value),
    /// `workflow`: a group of tasks, as JSON ([`Workflow::from_json`]).
    Workflow(Value),
    /// `generated_image` (1.6).
    GeneratedImage {
        /// The image URL (a partial one while it is generated).
        url: Option<String>,
        /// How far along it is (0 to 1), while it is generated.
        progress: Option<f64>,
    },
    /// `structured_input` (1.6): questions for the visitor, the whole item as JSON
    /// ([`Questions::from_json`]).
    StructuredInput(Value),
    /// `end_of_turn`.
    EndOfTurn,
    /// `hidden_context_item` and `sdk_hidden_context`: never shown.
    Hidden,
    /// A type this client does not know: kept with its raw JSON.
    Unknown {
        /// The `type` field.
        kind: String,
        /// The whole item.
        raw: Value,
    },
}

/// A user message's content.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserMessage {
    /// The text parts (`input_text` and `input_tag`), joined by a space.
    pub text: String,
    /// Attached files.
    pub attachments: Vec<Attachment>,
    /// The model it asked for (`inference_options.model`).
    pub model: Option<String>,
}

/// An attachment as echoed in a user message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// `atc_…`.
    pub id: String,
    /// File name.
    pub name: String,
    /// MIME type.
    pub mime_type: String,
}

/// One `output_text` part of an assistant message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssistantPart {
    /// Markdown text.
    pub text: String,
    /// Sources cited by the text.
    pub annotations: Vec<Annotation>,
}

/// The text of an assistant message: its parts, a blank line apart.
pub fn assistant_text(parts: &[AssistantPart]) -> String {
    let mut text = String::new();
    for part in parts {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&part.text);
    }
    text
}

/// A cited source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// Display title.
    pub title: String,
    /// Where it links, for URL sources.
    pub url: Option<String>,
    /// Where in the text it is cited (a character offset), if the server says.
    pub index: Option<usize>,
}

/// A task (of a `task` item or of a workflow).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskSummary {
    /// Title, if any (a search's query when it has no title).
    pub title: Option<String>,
    /// Body, if any.
    pub content: Option<String>,
    /// Its `type`: `custom`, `web_search`, `thought`, `file`, `image`.
    pub kind: String,
    /// A ChatKit icon name (custom tasks).
    pub icon: Option<String>,
    /// `loading` or `complete` (in a workflow), else `None`.
    pub status: Option<String>,
    /// A search's queries.
    pub queries: Vec<String>,
    /// A search's or a file task's sources: title and address.
    pub sources: Vec<(String, Option<String>)>,
}

/// A `workflow` item's content.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workflow {
    /// Its tasks.
    pub tasks: Vec<TaskSummary>,
    /// `reasoning` (the model's thoughts) rather than `custom`.
    pub reasoning: bool,
    /// Its summary: a title (with an icon), or how long it took.
    pub summary: Option<Summary>,
    /// Shown unfolded.
    pub expanded: bool,
}

/// A workflow's summary.
#[derive(Clone, Debug, PartialEq)]
pub enum Summary {
    /// A title, with an optional ChatKit icon name.
    Title(String, Option<String>),
    /// Seconds it took.
    Duration(u64),
}

/// A `client_tool_call` item.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolCall {
    /// The tool's name.
    pub name: String,
    /// Its call id.
    pub call_id: String,
    /// Its arguments (ChatKit's `params` for the page's handler).
    pub arguments: Value,
    /// `pending` until the page answered.
    pub pending: bool,
}

/// A `structured_input` item: questions for the visitor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Questions {
    /// `pending`, `answered` or `skipped`.
    pub status: String,
    /// The questions, in order.
    pub inputs: Vec<Question>,
}

/// One question.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Question {
    /// Its id (the key of its answer).
    pub id: String,
    /// The question.
    pub question: String,
    /// Suggested choices (multiple choice); a visitor may also write their own.
    pub options: Vec<String>,
    /// More than one choice may be picked.
    pub multiple: bool,
    /// A free-form question (no choices): its description.
    pub description: Option<String>,
    /// The answer given: its values, or `None` while unanswered (or skipped).
    pub answer: Option<Vec<String>>,
}

impl Questions {
    /// The `input` of `threads.add_structured_input`: each question's values (an empty list
    /// is a skipped question), or all skipped.
    pub fn answer(&self, values: &[(String, Vec<String>)], skip_all: bool) -> Value {
        let mut answers = Map::new();
        for question in &self.inputs {
            let given: Vec<String> = values
                .iter()
                .find(|(id, _)| *id == question.id)
                .map(|(_, values)| {
                    values
                        .iter()
                        .map(|value| value.trim().to_owned())
                        .filter(|value| !value.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let given = if question.multiple { given } else { given.into_iter().take(1).collect() };
            let skipped = skip_all || given.is_empty();
            let mut answer = Map::new();
            answer.insert("values".into(), strings(if skipped { &[] } else { &given }));
            answer.insert("skipped".into(), Value::Bool(skipped));
            answers.insert(question.id.clone(), Value::Object(answer));
        }
        object(vec![
            ("status", Value::from(if skip_all { "skipped" } else { "answered" })),
            ("answers", Value::Object(answers)),
        ])
    }
}

/// The `update` of a `thread.item.updated` event.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemUpdate {
    /// `assistant_message.content_part.added`.
    PartAdded {
        /// Index of the part.
        index: usize,
        /// Its initial content.
        part: AssistantPart,
    },
    /// `assistant_message.content_part.text_delta`.
    TextDelta {
        /// Index of the part.
        index: usize,
        /// Text to append.
        delta: String,
    },
    /// `assistant_message.content_part.annotation_added`.
    AnnotationAdded {
        /// Index of the part.
        index: usize,
        /// The annotation.
        annotation: Annotation,
    },
    /// `assistant_message.content_part.done`: the part's final content (replaces, never appends).
    PartDone {
        /// Index of the part.
        index: usize,
        /// Final content.
        part: AssistantPart,
    },
    /// `widget.root.updated`: the whole widget is replaced.
    WidgetRoot(Value),
    /// `widget.component.updated`: the component with this `id` is replaced.
    WidgetComponent {
        /// Component id.
        id: String,
        /// The new component.
        component: Value,
    },
    /// `widget.streaming_text.value_delta`: text appended to a component's `value`.
    WidgetTextDelta {
        /// Component id.
        id: String,
        /// Text to append.
        delta: String,
    },
    /// `workflow.task.added` / `workflow.task.updated`.
    Task {
        /// Index in the workflow.
        index: usize,
        /// The task, as JSON.
        task: Value,
    },
    /// `generated_image.updated`: a partial (or the final) image.
    Image {
        /// Its address.
        url: Option<String>,
        /// How far along it is.
        progress: Option<f64>,
    },
    /// Anything else (for example `generated_image.updated`): ignored.
    Unknown(String),
}

/// A `notice` event's level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeLevel {
    /// `info`.
    Info,
    /// `warning`.
    Warning,
    /// `danger`.
    Danger,
}

/// One decoded SSE `data:` payload.
#[derive(Clone, Debug, PartialEq)]
pub enum StreamEvent {
    /// `thread.created`.
    ThreadCreated(ThreadMeta),
    /// `thread.updated` (its `items` are always empty; only the title matters).
    ThreadUpdated(ThreadMeta),
    /// `thread.item.added`.
    ItemAdded(Item),
    /// `thread.item.updated`.
    ItemUpdated {
        /// The item.
        item_id: String,
        /// The change.
        update: ItemUpdate,
    },
    /// `thread.item.done`.
    ItemDone(Item),
    /// `thread.item.removed`.
    ItemRemoved(String),
    /// `thread.item.replaced`.
    ItemReplaced(Item),
    /// `stream_options`.
    StreamOptions {
        /// Whether Stop may be shown.
        allow_cancel: bool,
    },
    /// `progress_update`.
    Progress(String),
    /// `client_effect`.
    ClientEffect {
        /// Effect name.
        name: String,
        /// Effect data.
        data: Value,
    },
    /// `error`.
    Error {
        /// `stream.error` or `custom`.
        code: String,
        /// A sentence for the user, if the server sent one.
        message: Option<String>,
        /// Whether `threads.retry_after_item` may help.
        allow_retry: bool,
    },
    /// `notice`.
    Notice {
        /// Severity.
        level: NoticeLevel,
        /// Markdown text.
        message: String,
        /// Optional title.
        title: Option<String>,
    },
    /// An event type this client does not know.
    Unknown(String),
}

/// A page of a list response.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The entries in the order asked for.
    pub data: Vec<T>,
    /// More entries exist after `after`.
    pub has_more: bool,
    /// Cursor for the next page.
    pub after: Option<String>,
}

fn str_field(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn index_field(value: &Value, key: &str) -> usize {
    value.get(key).and_then(Value::as_u64).map_or(0, |index| index as usize)
}

fn missing(what: &str) -> ProtocolError {
    ProtocolError(format!("missing or malformed {what}"))
}

impl ThreadMeta {
    /// Decodes a `Thread` or `ThreadMetadata` object.
    ///
    /// # Errors
    /// When there is no `id`.
    pub fn from_json(value: &Value) -> Result<Self, ProtocolError> {
        Ok(Self {
            id: str_field(value, "id").ok_or_else(|| missing("thread id"))?,
            title: str_field(value, "title"),
            created_at_ms: value.get("created_at").and_then(Value::as_str).and_then(parse_iso8601_ms),
            closed: value
                .get("status")
                .filter(|status| matches!(str_field(status, "type").as_deref(), Some("locked" | "closed")))
                .map(|status| str_field(status, "reason").unwrap_or_default()),
        })
    }
}

impl AssistantPart {
    fn from_json(value: &Value) -> Self {
        Self {
            text: str_field(value, "text").unwrap_or_default(),
            annotations: value
                .get("annotations")
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(Annotation::from_json).collect())
                .unwrap_or_default(),
        }
    }
}

impl Annotation {
    fn from_json(value: &Value) -> Option<Self> {
        let source = value.get("source")?;
        let url = str_field(source, "url");
        let title = str_field(source, "title")
            .or_else(|| str_field(source, "filename"))
            .or_else(|| url.clone())
            .unwrap_or_default();
        let index = value.get("index").and_then(Value::as_u64).map(|index| index as usize);
        Some(Self { title, url, index })
    }
}

impl TaskSummary {
    /// A `Task` (the `task` of a task item, an entry of a workflow's `tasks`).
    pub fn from_json(value: &Value) -> Self {
        let list =
            |key: &str| value.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        Self {
            title: str_field(value, "title").or_else(|| str_field(value, "title_query")),
            content: str_field(value, "content"),
            kind: str_field(value, "type").unwrap_or_else(|| "custom".into()),
            icon: str_field(value, "icon"),
            status: str_field(value, "status_indicator").filter(|status| status != "none"),
            queries: list("queries").iter().filter_map(Value::as_str).take(20).map(str::to_owned).collect(),
            sources: list("sources")
                .iter()
                .take(20)
                .map(|source| {
                    let url = str_field(source, "url");
                    let title = str_field(source, "title")
                        .or_else(|| str_field(source, "filename"))
                        .or_else(|| url.clone());
                    (title.unwrap_or_default(), url)
                })
                .collect(),
        }
    }
}

impl Workflow {
    /// A workflow item's `workflow`.
    pub fn from_json(value: &Value) -> Self {
        let summary =
            value.get("summary").and_then(|summary| match summary.get("duration").and_then(Value::as_u64) {
                Some(seconds) => Some(Summary::Duration(seconds)),
                None => {
                    str_field(summary, "title").map(|title| Summary::Title(title, str_field(summary, "icon")))
                }
            });
        Self {
            tasks: value
                .get("tasks")
                .and_then(Value::as_array)
                .map(|tasks| {
                    tasks.iter().take(crate::thread::MAX_TASKS).map(TaskSummary::from_json).collect()
                })
                .unwrap_or_default(),
            reasoning: str_field(value, "type").as_deref() == Some("reasoning"),
            summary,
            expanded: value.get("expanded").and_then(Value::as_bool).unwrap_or(false),
        }
    }
}

impl Questions {
    /// A `structured_input` item.
    pub fn from_json(value: &Value) -> Self {
        let inputs = value.get("inputs").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        Self {
            status: str_field(value, "status").unwrap_or_else(|| "pending".into()),
            inputs: inputs
                .iter()
                .take(50)
                .filter_map(|input| {
                    let options =
                        input.get("options").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
                    let answer = input.get("answer").filter(|answer| !answer.is_null());
                    Some(Question {
                        id: str_field(input, "id")?,
                        question: str_field(input, "question").unwrap_or_default(),
                        options: options
                            .iter()
                            .take(100)
                            .filter_map(|option| str_field(option, "value"))
                            .collect(),
                        multiple: input.get("multiple").and_then(Value::as_bool).unwrap_or(false),
                        description: str_field(input, "description"),
                        answer: answer
                            .filter(|answer| answer.get("skipped").and_then(Value::as_bool) != Some(true))
                            .map(|answer| {
                                let values = answer
                                    .get("values")
                                    .and_then(Value::as_array)
                                    .map(Vec::as_slice)
                                    .unwrap_or_default();
                                values.iter().filter_map(Value::as_str).map(str::to_owned).collect()
                            }),
                    })
                })
                .collect(),
        }
    }
}

impl Item {
    /// Decodes a `ThreadItem`.
    ///
    /// # Errors
    /// When `id` or `type` is missing.
    pub fn from_json(value: &Value) -> Result<Self, ProtocolError> {
        let id = str_field(value, "id").ok_or_else(|| missing("item id"))?;
        let kind = value.get("type").and_then(Value::as_str).ok_or_else(|| missing("item type"))?;
        let list =
            |key: &str| value.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        let body = match kind {
            "user_message" => {
                let text = list("content")
                    .iter()
                    .filter_map(|part| part.get("text").and_then(Value::as_str))
                    .collect::<Vec<_>>()
                    .join(" ");
                let attachments = list("attachments")
                    .iter()
                    .filter_map(|attachment| {
                        Some(Attachment {
                            id: str_field(attachment, "id")?,
                            name: str_field(attachment, "name").unwrap_or_default(),
                            mime_type: str_field(attachment, "mime_type").unwrap_or_default(),
                        })
                    })
                    .collect();
                let model = value.get("inference_options").and_then(|options| str_field(options, "model"));
                ItemBody::User(UserMessage { text, attachments, model })
            }
            "assistant_message" => {
                ItemBody::Assistant(list("content").iter().map(AssistantPart::from_json).collect())
            }
            "widget" => ItemBody::Widget {
                widget: value.get("widget").cloned().unwrap_or(Value::Null),
                copy_text: str_field(value, "copy_text"),
            },
            "client_tool_call" => ItemBody::ClientToolCall(ToolCall {
                name: str_field(value, "name").unwrap_or_default(),
                call_id: str_field(value, "call_id").unwrap_or_default(),
                arguments: value.get("arguments").cloned().unwrap_or(Value::Null),
                pending: str_field(value, "status").as_deref() != Some("completed"),
            }),
            "task" => ItemBody::Task(value.get("task").cloned().unwrap_or(Value::Null)),
            "workflow" => ItemBody::Workflow(value.get("workflow").cloned().unwrap_or(Value::Null)),
            "generated_image" => ItemBody::GeneratedImage {
                url: value.get("image").and_then(|image| str_field(image, "url")),
                progress: None,
            },
            "structured_input" => ItemBody::StructuredInput(value.clone()),
            "end_of_turn" => ItemBody::EndOfTurn,
            "hidden_context_item" | "sdk_hidden_context" => ItemBody::Hidden,
            other => ItemBody::Unknown { kind: other.to_owned(), raw: value.clone() },
        };
        Ok(Self {
            id,
            created_at_ms: value.get("created_at").and_then(Value::as_str).and_then(parse_iso8601_ms),
            body,
        })
    }
}

impl ItemUpdate {
    fn from_json(value: &Value) -> Result<Self, ProtocolError> {
        let kind = value.get("type").and_then(Value::as_str).ok_or_else(|| missing("update type"))?;
        let index = index_field(value, "content_index");
        let part =
            || value.get("content").map(AssistantPart::from_json).ok_or_else(|| missing("content part"));
        Ok(match kind {
            "assistant_message.content_part.added" => ItemUpdate::PartAdded { index, part: part()? },
            "assistant_message.content_part.text_delta" => ItemUpdate::TextDelta {
                index,
                delta: str_field(value, "delta").ok_or_else(|| missing("delta"))?,
            },
            "assistant_message.content_part.annotation_added" => ItemUpdate::AnnotationAdded {
                index,
                annotation: value
                    .get("annotation")
                    .and_then(Annotation::from_json)
                    .ok_or_else(|| missing("annotation"))?,
            },
            "assistant_message.content_part.done" => ItemUpdate::PartDone { index, part: part()? },
            "widget.root.updated" => {
                ItemUpdate::WidgetRoot(value.get("widget").cloned().ok_or_else(|| missing("widget"))?)
            }
            "widget.component.updated" => ItemUpdate::WidgetComponent {
                id: str_field(value, "component_id").ok_or_else(|| missing("component_id"))?,
                component: value.get("component").cloned().ok_or_else(|| missing("component"))?,
            },
            "widget.streaming_text.value_delta" => ItemUpdate::WidgetTextDelta {
                id: str_field(value, "component_id").ok_or_else(|| missing("component_id"))?,
                delta: str_field(value, "delta").unwrap_or_default(),
            },
            "workflow.task.added" | "workflow.task.updated" => ItemUpdate::Task {
                index: index_field(value, "task_index"),
                task: value.get("task").cloned().unwrap_or(Value::Null),
            },
            "generated_image.updated" => ItemUpdate::Image {
                url: value.get("image").and_then(|image| str_field(image, "url")),
                progress: value.get("progress").and_then(Value::as_f64),
            },
            other => ItemUpdate::Unknown(other.to_owned()),
        })
    }
}

impl StreamEvent {
    /// Decodes one SSE `data:` payload.
    ///
    /// # Errors
    /// When the payload is not a JSON object with a `type`, or a known event lacks the fields
    /// that define it.
    pub fn parse(data: &str) -> Result<Self, ProtocolError> {
        let value: Value =
            serde_json::from_str(data).map_err(|error| ProtocolError(format!("not JSON: {error}")))?;
        Self::from_json(&value)
    }

    /// Decodes a parsed stream event.
    ///
    /// # Errors
    /// As [`StreamEvent::parse`].
    pub fn from_json(value: &Value) -> Result<Self, ProtocolError> {
        let kind = value.get("type").and_then(Value::as_str).ok_or_else(|| missing("event type"))?;
        let thread = || value.get("thread").ok_or_else(|| missing("thread")).and_then(ThreadMeta::from_json);
        let item = || value.get("item").ok_or_else(|| missing("item")).and_then(Item::from_json);
        Ok(match kind {
            "thread.created" => StreamEvent::ThreadCreated(thread()?),
            "thread.updated" => StreamEvent::ThreadUpdated(thread()?),
            "thread.item.added" => StreamEvent::ItemAdded(item()?),
            "thread.item.done" => StreamEvent::ItemDone(item()?),
            "thread.item.replaced" => StreamEvent::ItemReplaced(item()?),
            "thread.item.updated" => StreamEvent::ItemUpdated {
                item_id: str_field(value, "item_id").ok_or_else(|| missing("item_id"))?,
                update: ItemUpdate::from_json(value.get("update").ok_or_else(|| missing("update"))?)?,
            },
            "thread.item.removed" => {
                StreamEvent::ItemRemoved(str_field(value, "item_id").ok_or_else(|| missing("item_id"))?)
            }
            "stream_options" => StreamEvent::StreamOptions {
                allow_cancel: value
                    .get("stream_options")
                    .and_then(|options| options.get("allow_cancel"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            },
            "progress_update" => StreamEvent::Progress(str_field(value, "text").unwrap_or_default()),
            "client_effect" => StreamEvent::ClientEffect {
                name: str_field(value, "name").unwrap_or_default(),
                data: value.get("data").cloned().unwrap_or(Value::Null),
            },
            "error" => StreamEvent::Error {
                code: str_field(value, "code").unwrap_or_else(|| "custom".into()),
                message: str_field(value, "message"),
                allow_retry: value.get("allow_retry").and_then(Value::as_bool).unwrap_or(false),
            },
            "notice" => StreamEvent::Notice {
                level: match value.get("level").and_then(Value::as_str) {
                    Some("danger") => NoticeLevel::Danger,
                    Some("warning") => NoticeLevel::Warning,
                    _ => NoticeLevel::Info,
                },
                message: str_field(value, "message").unwrap_or_default(),
                title: str_field(value, "title"),
            },
            other => StreamEvent::Unknown(other.to_owned()),
        })
    }
}

impl<T> Page<T> {
    /// Decodes a `Page` whose entries are decoded by `entry`; bad entries are skipped.
    ///
    /// # Errors
    /// When `data` is not a list.
    pub fn from_json<E>(
        value: &Value,
        entry: impl Fn(&Value) -> Result<T, E>,
    ) -> Result<Self, ProtocolError> {
        let data = value.get("data").and_then(Value::as_array).ok_or_else(|| missing("page data"))?;
        Ok(Self {
            data: data.iter().filter_map(|value| entry(value).ok()).collect(),
            has_more: value.get("has_more").and_then(Value::as_bool).unwrap_or(false),
            after: str_field(value, "after"),
        })
    }
}

/// What `GET /api/workflows/{ref}/public` says about a published workflow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicWorkflow {
    /// The UUID, for `/api/chatkit`.
    pub id: String,
    /// The workflow's name: the default title.
    pub name: Option<String>,
    /// Whether chatting needs a signed-in visitor.
    pub require_login: bool,
    /// `chatkit.start_screen_prompts`.
    pub prompts: Vec<crate::config::Prompt>,
    /// `chatkit.supported_models`, without the disabled ones.
    pub models: Vec<Model>,
}

/// A model the workflow offers (`chatkit.supported_models`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
    /// What goes in `inference_options.model`.
    pub id: String,
    /// What the picker shows (the id if none).
    pub label: String,
    /// The workflow's default.
    pub default: bool,
}

impl PublicWorkflow {
    /// The model a new conversation starts with: `wanted` if the workflow offers it, else the
    /// one marked default, else the first (Orcheo's own rule when none is asked for).
    pub fn default_model(&self, wanted: Option<&str>) -> Option<String> {
        let offered = |id: &str| self.models.iter().any(|model| model.id == id);
        wanted
            .filter(|id| offered(id))
            .map(str::to_owned)
            .or_else(|| self.models.iter().find(|model| model.default).map(|model| model.id.clone()))
            .or_else(|| self.models.first().map(|model| model.id.clone()))
    }
}

impl PublicWorkflow {
    /// Decodes the `/public` response.
    ///
    /// # Errors
    /// When there is no `id`.
    pub fn from_json(value: &Value) -> Result<Self, ProtocolError> {
        let prompts = value
            .get("chatkit")
            .and_then(|chatkit| chatkit.get("start_screen_prompts"))
            .and_then(Value::as_array)
            .map(|prompts| {
                prompts
                    .iter()
                    .filter_map(|entry| {
                        let prompt = str_field(entry, "prompt")?;
                        let label = str_field(entry, "label").unwrap_or_else(|| prompt.clone());
                        Some(crate::config::Prompt { label, prompt })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let models = value
            .get("chatkit")
            .and_then(|chatkit| chatkit.get("supported_models"))
            .and_then(Value::as_array)
            .map(|models| {
                models
                    .iter()
                    .filter(|model| model.get("disabled").and_then(Value::as_bool) != Some(true))
                    .filter_map(|model| {
                        let id = str_field(model, "id").filter(|id| !id.is_empty())?;
                        let label = str_field(model, "label")
                            .filter(|l| !l.trim().is_empty())
                            .unwrap_or_else(|| id.clone());
                        let default = model.get("default").and_then(Value::as_bool) == Some(true);
                        Some(Model { id, label, default })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            id: str_field(value, "id").ok_or_else(|| missing("workflow id"))?,
            name: str_field(value, "name").filter(|name| !name.trim().is_empty()),
            require_login: value.get("require_login").and_then(Value::as_bool).unwrap_or(false),
            prompts,
            models,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn headers_a_browser_would_refuse_are_caught_before_they_are_sent() {
        assert!(super::is_valid_header("X-Orcheo-Visitor-Id", "v_abcdefgh"));
        assert!(super::is_valid_header("Authorization", "Bearer eyJ.abc.def"));
        assert!(!super::is_valid_header("Authorization", "Bearer a\r\nX-Evil: 1"));
        assert!(!super::is_valid_header("Authorization", "Bearer \u{2603}"));
        assert!(!super::is_valid_header("Bad Name", "x"));
        assert!(!super::is_valid_header("", "x"));
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn user_input_always_carries_attachments_and_inference_options() {
        let value = Request::ThreadsCreate { input: UserInput::text("Hello") }.body("wf-1", &Map::new());
        assert_eq!(value["type"], "threads.create");
        assert_eq!(value["workflow_id"], "wf-1");
        assert_eq!(value["params"]["input"]["attachments"], json!([]));
        assert_eq!(value["params"]["input"]["inference_options"], json!({}));
        assert_eq!(value["params"]["input"]["content"], json!([{"type": "input_text", "text": "Hello"}]));
    }

    #[test]
    fn metadata_merges_embedder_keys_but_keeps_the_workflow_id() {
        let mut extra = Map::new();
        extra.insert("page".into(), json!("pricing"));
        extra.insert("workflow_id".into(), json!("spoofed"));
        let metadata = request_metadata("wf-1", "Support", &extra);
        assert_eq!(
            Value::Object(metadata),
            json!({"workflow_id": "wf-1", "workflow_name": "Support", "page": "pricing"})
        );
    }

    #[test]
    fn every_request_type_names_itself_and_knows_whether_it_streams() {
        let thread_id = || "thr_1".to_string();
        let requests = [
            (Request::ThreadsCreate { input: UserInput::text("x") }, true),
            (Request::ThreadsAddUserMessage { thread_id: thread_id(), input: UserInput::text("x") }, true),
            (Request::ThreadsRetryAfterItem { thread_id: thread_id(), item_id: "msg_1".into() }, true),
            (
                Request::ThreadsCustomAction {
                    thread_id: thread_id(),
                    item_id: None,
                    action: json!({"type": "submit"}),
                },
                true,
            ),
            (
                Request::ThreadsSyncCustomAction { thread_id: thread_id(), item_id: None, action: json!({}) },
                false,
            ),
            (Request::ThreadsAddClientToolOutput { thread_id: thread_id(), result: json!(1) }, true),
            (
                Request::ThreadsAddStructuredInput {
                    thread_id: thread_id(),
                    item_id: "i".into(),
                    input: json!({}),
                },
                true,
            ),
            (Request::ThreadsList { limit: Some(20), descending: true, after: None }, false),
            (
                Request::ItemsList { thread_id: thread_id(), limit: Some(50), descending: true, after: None },
                false,
            ),
            (Request::ThreadsUpdate { thread_id: thread_id(), title: "t".into() }, false),
            (Request::ThreadsDelete { thread_id: thread_id() }, false),
            (
                Request::ItemsFeedback {
                    thread_id: thread_id(),
                    item_ids: vec!["a".into()],
                    positive: false,
                },
                false,
            ),
        ];
        let mut kinds: Vec<&str> = requests.iter().map(|(request, _)| request.kind()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), requests.len());
        for (request, streams) in &requests {
            assert_eq!(request.is_streaming(), *streams, "{}", request.kind());
            assert!(request.params().is_object());
        }
        let list =
            Request::ItemsList { thread_id: thread_id(), limit: Some(50), descending: true, after: None };
        assert_eq!(list.params()["order"], "desc");
        let feedback = Request::ItemsFeedback { thread_id: thread_id(), item_ids: vec![], positive: true };
        assert_eq!(feedback.params()["kind"], "positive");
    }

    #[test]
    fn unknown_event_item_and_update_types_are_kept_not_errors() {
        assert_eq!(
            StreamEvent::parse(r#"{"type":"thread.frobnicated","x":1}"#),
            Ok(StreamEvent::Unknown("thread.frobnicated".into()))
        );
        let item =
            Item::from_json(&json!({"id": "msg_1", "type": "hologram", "created_at": "2026-11-21T08:00:00"}));
        assert!(
            matches!(item, Ok(Item { body: ItemBody::Unknown { ref kind, .. }, .. }) if kind == "hologram")
        );
        let update = StreamEvent::parse(
            r#"{"type":"thread.item.updated","item_id":"msg_1","update":{"type":"image.sharpened","image":{}}}"#,
        );
        assert!(matches!(update, Ok(StreamEvent::ItemUpdated { update: ItemUpdate::Unknown(_), .. })));
    }

    #[test]
    fn the_items_chatkit_1_6_added_are_read_whole() {
        let tool = Item::from_json(
            &json!({"id": "ctc_1", "type": "client_tool_call", "status": "pending", "call_id": "call_1",
            "name": "get_location", "arguments": {"precise": true}}),
        );
        assert!(
            matches!(tool, Ok(Item { body: ItemBody::ClientToolCall(ToolCall { ref name, pending: true, ref arguments, .. }), .. })
            if name == "get_location" && arguments == &json!({"precise": true}))
        );
        let update = StreamEvent::parse(
            r#"{"type":"thread.item.updated","item_id":"img_1","update":{"type":"generated_image.updated","image":{"id":"i","url":"data:image/png;base64,AA=="},"progress":0.5}}"#,
        );
        assert!(
            matches!(update, Ok(StreamEvent::ItemUpdated { update: ItemUpdate::Image { url: Some(_), progress: Some(p) }, .. }) if p == 0.5)
        );
        let questions = Item::from_json(
            &json!({"id": "si_1", "type": "structured_input", "status": "pending", "inputs": [
                {"type": "multiple_choice", "id": "lang", "question": "Which language?", "options": [{"value": "Rust"}, {"value": "Go"}], "multiple": true},
                {"type": "freeform", "id": "why", "question": "Why?", "description": "A sentence", "answer": {"values": [], "skipped": true}}
            ]}),
        );
        let Ok(Item { body: ItemBody::StructuredInput(questions), .. }) = questions else {
            panic!("questions")
        };
        let questions = Questions::from_json(&questions);
        assert_eq!(questions.inputs[0].options, ["Rust", "Go"]);
        assert!(questions.inputs[0].multiple && questions.inputs[1].answer.is_none());
        assert_eq!(
            questions.answer(
                &[("lang".into(), vec!["Rust".into(), " Zig ".into()]), ("why".into(), vec!["  ".into()])],
                false
            ),
            json!({"status": "answered", "answers": {"lang": {"values": ["Rust", "Zig"], "skipped": false}, "why": {"values": [], "skipped": true}}})
        );
        assert_eq!(questions.answer(&[], true)["status"], "skipped");
        let workflow = Item::from_json(
            &json!({"id": "wf_1", "type": "workflow", "workflow": {"type": "reasoning", "expanded": true,
            "summary": {"duration": 12}, "tasks": [{"type": "web_search", "title_query": "orcheo", "queries": ["orcheo"], "status_indicator": "complete",
            "sources": [{"type": "url", "title": "Orcheo", "url": "https://example.com"}]}]}}),
        );
        let Ok(Item { body: ItemBody::Workflow(workflow), .. }) = workflow else { panic!("a workflow") };
        let workflow = Workflow::from_json(&workflow);
        assert!(workflow.reasoning && workflow.expanded);
        assert_eq!(workflow.summary, Some(Summary::Duration(12)));
        let task = &workflow.tasks[0];
        assert_eq!(
            (task.kind.as_str(), task.title.as_deref(), task.status.as_deref()),
            ("web_search", Some("orcheo"), Some("complete"))
        );
        assert_eq!(task.sources, [("Orcheo".to_owned(), Some("https://example.com".to_owned()))]);
    }

    #[test]
    fn malformed_payloads_are_errors() {
        assert!(StreamEvent::parse("not json").is_err());
        assert!(StreamEvent::parse(r#"{"no":"type"}"#).is_err());
        assert!(StreamEvent::parse(r#"{"type":"thread.item.done"}"#).is_err());
    }

    #[test]
    fn timestamps_with_and_without_zone_both_parse() {
        let naive = Item::from_json(
            &json!({"id": "a", "type": "end_of_turn", "created_at": "2026-11-21T09:09:49.860378"}),
        );
        let zulu = Item::from_json(
            &json!({"id": "a", "type": "end_of_turn", "created_at": "2026-11-21T09:09:49.860378Z"}),
        );
        assert!(naive.as_ref().is_ok_and(|item| item.created_at_ms.is_some()));
        assert_eq!(naive.map(|item| item.created_at_ms), zulu.map(|item| item.created_at_ms));
    }

    #[test]
    fn chatkit_1_6_items_and_fields_decode() {
        let image =
            Item::from_json(&json!({"id": "i", "thread_id": "t", "created_at": "2026-01-01T00:00:00Z",
            "type": "generated_image", "image": {"id": "g", "url": "https://img.example/1.png"}}));
        assert!(matches!(image, Ok(Item { body: ItemBody::GeneratedImage { url: Some(_), .. }, .. })));
        let thread = ThreadMeta::from_json(&json!({"id": "thr_1", "created_at": "2026-01-01T00:00:00Z",
            "status": {"type": "active"}, "allowed_image_domains": ["img.example"], "metadata": {}}));
        assert_eq!(thread.map(|thread| thread.id), Ok("thr_1".to_string()));
    }

    #[test]
    fn public_workflow_supplies_name_and_prompts() {
        let workflow = PublicWorkflow::from_json(
            &json!({"id": "u", "name": "Echo Bot", "require_login": false,
            "chatkit": {"start_screen_prompts": [{"label": "Say hi", "prompt": "Hello!", "icon": "sparkle"}]}}),
        );
        let workflow = workflow.unwrap_or_default();
        assert_eq!(workflow.name.as_deref(), Some("Echo Bot"));
        assert_eq!(
            workflow.prompts,
            vec![crate::config::Prompt { label: "Say hi".into(), prompt: "Hello!".into() }]
        );
    }
}
