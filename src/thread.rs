//! The conversation model and its reducer: ChatKit stream events in, an ordered list of
//! entries out, plus the state of the turn in flight.
//!
//! Every change bumps the changed entry's `rev`, so the view can update exactly the entries
//! whose revision moved (and re-render only the tail of a streaming message).

use serde_json::Value;

use crate::error::{ChatError, ErrorKind};
use crate::protocol::{
    assistant_text, AssistantPart, Item, ItemBody, ItemUpdate, NoticeLevel, Page, StreamEvent, ToolCall,
    UserMessage,
};

/// One row of the conversation.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The server's item id, or a local id (`local-…`) for optimistic and client-side rows.
    pub id: String,
    /// Bumped whenever this entry changes.
    pub rev: u64,
    /// What it shows.
    pub kind: EntryKind,
}

impl Entry {
    /// A server item as a row, finished (history, or read again from the server).
    fn stored(item: Item, rev: u64) -> Self {
        Self { id: item.id, rev, kind: EntryKind::Item { body: item.body, streaming: false } }
    }
}

/// What an entry shows.
#[derive(Clone, Debug, PartialEq)]
pub enum EntryKind {
    /// A server item. `streaming` is true between `thread.item.added` and `thread.item.done`.
    Item {
        /// The item's content.
        body: ItemBody,
        /// Still receiving deltas.
        streaming: bool,
    },
    /// The visitor's message, shown before the server has stored it.
    PendingUser(String),
    /// A `notice` event.
    Notice {
        /// Severity.
        level: NoticeLevel,
        /// Optional heading.
        title: Option<String>,
        /// Markdown text.
        message: String,
    },
    /// A failed or stopped turn, with what Retry would do.
    Failure {
        /// What went wrong.
        error: ChatError,
        /// What Retry does; `None` when retrying cannot help.
        retry: Option<RetryTarget>,
    },
}

/// Most tasks a workflow shows.
pub const MAX_TASKS: usize = 200;

/// What answers a question the server asked.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// The page's client tool's output (`threads.add_client_tool_output`).
    Tool(Value),
    /// The visitor's answers to a `structured_input` item (`threads.add_structured_input`).
    Questions {
        /// The item.
        item_id: String,
        /// `{status, answers}`.
        input: Value,
    },
}

/// What Retry does for a failed turn.
#[derive(Clone, Debug, PartialEq)]
pub enum RetryTarget {
    /// The message never reached the server: send this text again.
    Resend(String),
    /// The server has the user message: `threads.retry_after_item` with its id.
    RetryAfter(String),
    /// Send the widget action again.
    Action {
        /// The widget item.
        item_id: Option<String>,
        /// `{type, payload}`.
        action: Value,
    },
    /// Send the answer again.
    Answer(Answer),
}

/// What started a turn.
#[derive(Clone, Debug, PartialEq)]
pub enum TurnKind {
    /// A new user message, shown optimistically under `local_id`.
    Send {
        /// Id of the optimistic entry.
        local_id: String,
        /// The text sent.
        text: String,
    },
    /// `threads.retry_after_item`.
    Retry,
    /// `threads.custom_action`.
    Action {
        /// The widget item.
        item_id: Option<String>,
        /// `{type, payload}`.
        action: Value,
    },
    /// An answer to a question the server asked.
    Answer(Answer),
}

/// The turn in flight.
#[derive(Clone, Debug, PartialEq)]
pub struct Turn {
    /// What started it.
    pub kind: TurnKind,
    /// The latest `progress_update` text.
    pub progress: Option<String>,
    /// `stream_options.allow_cancel`.
    pub allow_cancel: bool,
    /// The server id of the user message this turn answers, once known.
    pub user_item_id: Option<String>,
    /// Ids of the reply items (assistant messages, widgets) completed in this turn.
    pub reply_ids: Vec<String>,
    /// Any assistant content has arrived (hides the typing indicator).
    pub has_content: bool,
    /// An `error` event arrived.
    pub error: Option<ChatError>,
}

/// How a turn ended.
#[derive(Clone, Debug, PartialEq)]
pub enum TurnOutcome {
    /// A reply arrived; its plain text (assistant parts joined).
    Replied(String),
    /// The turn failed. `restore_draft` holds the visitor's text when the server never stored
    /// it, so it goes back into the composer (never lost, never duplicated).
    Failed {
        /// What went wrong.
        error: ChatError,
        /// Text to put back into the composer.
        restore_draft: Option<String>,
    },
    /// A message sent into a known conversation failed before the server confirmed it, in a
    /// way that leaves open whether the server stored it (the stream was cut or stopped, or
    /// the answer could not be read). It stays in the log until [`ThreadState::confirm_sent`]
    /// is told what the server has.
    Unconfirmed {
        /// What went wrong.
        error: ChatError,
        /// The message's text.
        text: String,
    },
}

/// A conversation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThreadState {
    /// `thr_…`, once the server has created the thread.
    pub id: Option<String>,
    /// The server's title.
    pub title: Option<String>,
    /// Rows in display order.
    pub entries: Vec<Entry>,
    /// The turn in flight.
    pub turn: Option<Turn>,
    /// Cursor for older items when the history was loaded newest-first and there is more.
    pub older_cursor: Option<String>,
    /// Why the conversation takes no more messages (it is locked or closed), once the server
    /// has said so: the reason may be empty.
    pub closed: Option<String>,
    rev: u64,
    next_local: u64,
}

/// Orcheo's progress texts name internal graph nodes ("Running respond", "\[partial\] step").
/// Returns the text worth showing a visitor, or `None` for a generic "Working…".
pub fn progress_label(text: &str) -> Option<String> {
    let text = text.trim();
    let is_identifier =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let internal = text.is_empty()
        || text.eq_ignore_ascii_case("Agent is working...")
        || text.strip_prefix("Running ").is_some_and(is_identifier)
        || text.starts_with("-> ")
        || text.starts_with("- ")
        || text.starts_with("! ")
        || (text.starts_with('[') && text.contains("] "));
    if internal {
        return None;
    }
    // `node_status` events arrive as "<node>: <message>"; the message is the human part.
    match text.split_once(": ") {
        Some((node, message)) if is_identifier(node) && !message.trim().is_empty() => {
            Some(message.trim().to_owned())
        }
        _ => Some(text.to_owned()),
    }
}

impl ThreadState {
    /// An empty conversation.
    pub fn new() -> Self {
        Self::default()
    }

    fn bump(&mut self) -> u64 {
        self.rev += 1;
        self.rev
    }

    fn local_id(&mut self) -> String {
        self.next_local += 1;
        format!("local-{}", self.next_local)
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.entries.iter().position(|entry| entry.id == id)
    }

    fn push(&mut self, id: String, kind: EntryKind) {
        let rev = self.bump();
        self.entries.push(Entry { id, rev, kind });
    }

    /// Removes the failure that offered to send `text` again: sending it from the composer is
    /// that failure's retry. Every other failure keeps its sentence and its Retry.
    fn drop_resend_of(&mut self, text: &str) {
        self.entries.retain(|entry| {
            !matches!(&entry.kind, EntryKind::Failure { retry: Some(RetryTarget::Resend(resend)), .. } if resend.trim() == text.trim())
        });
    }

    /// Puts the server's new copy of an item in place of the one shown (a widget updated by a
    /// `threads.sync_custom_action`); an item not shown is left out.
    pub fn replace_item(&mut self, item: Item) {
        if let Some(index) = self.position(&item.id) {
            let rev = self.bump();
            self.entries[index] = Entry::stored(item, rev);
        }
    }

    /// Shows a failure that belongs to no turn in flight (a widget's action that failed, a turn
    /// the previous page did not see end), with what Retry does.
    pub fn show_failure(&mut self, error: ChatError, retry: Option<RetryTarget>) {
        self.push_failure(error, retry, None);
    }

    /// Removes the failure row with this id (it is being retried).
    pub fn retire_failure(&mut self, entry_id: &str) {
        if let Some(index) = self.position(entry_id) {
            if matches!(self.entries[index].kind, EntryKind::Failure { .. }) {
                self.entries.remove(index);
                self.bump();
            }
        }
    }

    /// Whether a user message follows the item with this id (Orcheo's
    /// `threads.retry_after_item` would delete it, and everything else after the item).
    pub fn has_user_message_after(&self, id: &str) -> bool {
        self.position(id).is_some_and(|index| {
            self.entries[index + 1..].iter().any(|entry| {
                matches!(
                    entry.kind,
                    EntryKind::PendingUser(_) | EntryKind::Item { body: ItemBody::User(_), .. }
                )
            })
        })
    }

    /// Replaces the entry with this id, or appends one.
    fn upsert(&mut self, id: String, kind: EntryKind) {
        let rev = self.bump();
        match self.position(&id) {
            Some(index) => self.entries[index] = Entry { id, rev, kind },
            None => self.entries.push(Entry { id, rev, kind }),
        }
    }

    /// Whether a turn is in flight.
    pub fn is_busy(&self) -> bool {
        self.turn.is_some()
    }

    /// Starts a turn for a new user message and shows it right away.
    pub fn begin_send(&mut self, text: &str) {
        self.drop_resend_of(text);
        let local_id = self.local_id();
        self.push(local_id.clone(), EntryKind::PendingUser(text.to_owned()));
        self.turn = Some(Turn::new(TurnKind::Send { local_id, text: text.to_owned() }, None));
    }

    /// Starts a `threads.retry_after_item` turn. The server deletes every item after the
    /// user message without telling us, so they go here too.
    pub fn begin_retry(&mut self, user_item_id: &str) {
        if let Some(index) = self.position(user_item_id) {
            self.entries.truncate(index + 1);
        }
        self.bump();
        self.turn = Some(Turn::new(TurnKind::Retry, Some(user_item_id.to_owned())));
    }

    /// Starts a `threads.custom_action` turn.
    pub fn begin_action(&mut self, item_id: Option<String>, action: Value) {
        self.bump();
        self.turn = Some(Turn::new(TurnKind::Action { item_id, action }, None));
    }

    /// Starts a turn that answers the server (a client tool's output, a structured input).
    pub fn begin_answer(&mut self, answer: Answer) {
        self.bump();
        self.turn = Some(Turn::new(TurnKind::Answer(answer), None));
    }

    /// The client tool call the conversation ends with, still waiting for the page: its item id
    /// and the call.
    pub fn pending_tool(&self) -> Option<(&str, &ToolCall)> {
        self.entries.iter().rev().find_map(|entry| match &entry.kind {
            EntryKind::Item { body: ItemBody::Hidden | ItemBody::EndOfTurn, .. } => None,
            EntryKind::Item { body: ItemBody::ClientToolCall(call), .. } => {
                Some(Some((entry.id.as_str(), call)).filter(|_| call.pending))
            }
            _ => Some(None),
        })?
    }

    /// Applies one stream event.
    pub fn apply(&mut self, event: StreamEvent) {
        match event {
            StreamEvent::ThreadCreated(meta) => {
                self.id = Some(meta.id);
                if meta.title.is_some() {
                    self.title = meta.title;
                }
                self.closed = meta.closed;
                self.bump();
            }
            // `thread.updated` carries an empty item page; only the title and status mean
            // anything.
            StreamEvent::ThreadUpdated(meta) => {
                if (meta.title.is_some() && meta.title != self.title) || meta.closed != self.closed {
                    if meta.title.is_some() {
                        self.title = meta.title;
                    }
                    self.closed = meta.closed;
                    self.bump();
                }
            }
            StreamEvent::ItemAdded(item) => self.item_arrived(item, true),
            StreamEvent::ItemDone(item) | StreamEvent::ItemReplaced(item) => self.item_arrived(item, false),
            StreamEvent::ItemUpdated { item_id, update } => self.update_item(&item_id, update),
            StreamEvent::ItemRemoved(item_id) => {
                if let Some(index) = self.position(&item_id) {
                    self.entries.remove(index);
                    self.bump();
                }
            }
            StreamEvent::StreamOptions { allow_cancel } => {
                if let Some(turn) = &mut self.turn {
                    turn.allow_cancel = allow_cancel;
                    self.bump();
                }
            }
            StreamEvent::Progress(text) => {
                if let Some(turn) = &mut self.turn {
                    turn.progress = Some(text);
                    self.bump();
                }
            }
            StreamEvent::Error { code, message, allow_retry } => {
                let error = ChatError::from_stream(&code, message.as_deref(), allow_retry);
                if let Some(turn) = &mut self.turn {
                    turn.error = Some(error);
                } else {
                    let id = self.local_id();
                    self.push(id, EntryKind::Failure { error, retry: None });
                }
                self.bump();
            }
            StreamEvent::Notice { level, message, title } => {
                let id = self.local_id();
                self.push(id, EntryKind::Notice { level, title, message });
            }
            StreamEvent::ClientEffect { .. } | StreamEvent::Unknown(_) => {}
        }
    }

    fn item_arrived(&mut self, item: Item, streaming: bool) {
        let Item { id, body, .. } = item;
        if matches!(body, ItemBody::Hidden) {
            return;
        }
        let is_user = matches!(body, ItemBody::User(_));
        if let Some(turn) = &mut self.turn {
            if is_user {
                turn.user_item_id = Some(id.clone());
                // The server's copy replaces the optimistic one in place.
                if let TurnKind::Send { local_id, .. } = &turn.kind {
                    let local_id = local_id.clone();
                    if let Some(index) = self.position(&local_id) {
                        let rev = self.bump();
                        self.entries[index] =
                            Entry { id, rev, kind: EntryKind::Item { body, streaming: false } };
                        return;
                    }
                }
            } else {
                turn.has_content = true;
                if !streaming && !turn.reply_ids.contains(&id) {
                    turn.reply_ids.push(id.clone());
                }
            }
        }
        self.upsert(id, EntryKind::Item { body, streaming });
    }

    fn update_item(&mut self, item_id: &str, update: ItemUpdate) {
        let Some(index) = self.position(item_id) else { return };
        let changed = match &mut self.entries[index].kind {
            EntryKind::Item { body: ItemBody::Assistant(parts), .. } => apply_text_update(parts, update),
            EntryKind::Item { body: ItemBody::Widget { widget, .. }, .. } => {
                apply_widget_update(widget, update)
            }
            EntryKind::Item { body: ItemBody::Workflow(workflow), .. } => {
                match (update, workflow.as_object_mut()) {
                    (ItemUpdate::Task { index, task }, Some(fields)) => {
                        let tasks = fields.entry("tasks").or_insert_with(|| Value::Array(Vec::new()));
                        match tasks.as_array_mut() {
                            Some(tasks) if index < tasks.len() => tasks[index] = task,
                            Some(tasks) if tasks.len() < MAX_TASKS => tasks.push(task),
                            _ => {}
                        }
                        true
                    }
                    _ => false,
                }
            }
            EntryKind::Item { body: ItemBody::GeneratedImage { url, progress }, .. } => match update {
                ItemUpdate::Image { url: partial, progress: done } => {
                    if partial.is_some() {
                        *url = partial;
                    }
                    *progress = done;
                    true
                }
                _ => false,
            },
            _ => false,
        };
        if changed {
            let rev = self.bump();
            self.entries[index].rev = rev;
            if let Some(turn) = &mut self.turn {
                turn.has_content = true;
                // A widget replaced in response to an action is that action's reply.
                if matches!(turn.kind, TurnKind::Action { .. })
                    && !turn.reply_ids.iter().any(|id| id == item_id)
                {
                    turn.reply_ids.push(item_id.to_owned());
                }
            }
        }
    }

    /// The response body ended (normally or not). Closes the turn and says how it went.
    pub fn end_stream(&mut self) -> Option<TurnOutcome> {
        let turn = self.turn.take()?;
        self.finish_streaming_entries();
        if let Some(error) = turn.error.clone() {
            return Some(self.fail_turn(turn, error));
        }
        if turn.reply_ids.is_empty() {
            return Some(self.fail_turn(turn, ChatError::interrupted()));
        }
        Some(TurnOutcome::Replied(self.reply_text(&turn.reply_ids)))
    }

    /// The request failed before or instead of a stream (HTTP error, no network).
    pub fn fail_request(&mut self, error: ChatError) -> Option<TurnOutcome> {
        let turn = self.turn.take()?;
        self.finish_streaming_entries();
        Some(self.fail_turn(turn, error))
    }

    /// The page is going away while a reply is on its way: the turn is dropped without an
    /// outcome (the next page asks for the answer again).
    pub fn leave_turn(&mut self) {
        self.turn = None;
        self.finish_streaming_entries();
        self.bump();
    }

    /// Drops the turn in flight as if it never started: another tab is getting this answer.
    /// A message shown before the server had it goes too (that tab sent it).
    pub fn drop_turn(&mut self) {
        if let Some(Turn { kind: TurnKind::Send { local_id, .. }, .. }) = self.turn.take() {
            if let Some(index) = self.position(&local_id) {
                self.entries.remove(index);
            }
        }
        self.finish_streaming_entries();
        self.bump();
    }

    /// Brings the log in line with the conversation's newest page (newest first), as another
    /// tab left it: items not shown join the log, each after the server item it follows;
    /// stored items the page no longer holds (another tab's `threads.retry_after_item` deleted
    /// them) go; a failure whose Retry would ask again for a question that now has its answer
    /// goes too. Items older than everything shown are left to "Show earlier messages".
    pub fn merge_newest(&mut self, page: Page<Item>) {
        let items: Vec<Item> =
            page.data.into_iter().rev().filter(|item| !matches!(item.body, ItemBody::Hidden)).collect();
        let Some(first_shown) = items.iter().position(|item| self.position(&item.id).is_some()) else {
            return;
        };
        let rev = self.bump();
        // Stored items after the page's first shown one that the page does not hold are gone.
        if let Some(start) = self.position(&items[first_shown].id) {
            let mut index = 0;
            self.entries.retain(|entry| {
                index += 1;
                index <= start + 1
                    || !matches!(entry.kind, EntryKind::Item { streaming: false, .. })
                    || items.iter().any(|item| item.id == entry.id)
            });
        }
        let mut at = self.position(&items[first_shown].id).map_or(0, |index| index + 1);
        for item in items.into_iter().skip(first_shown + 1) {
            match self.position(&item.id) {
                Some(index) => at = index + 1,
                None => {
                    self.entries.insert(at, Entry::stored(item, rev));
                    at += 1;
                }
            }
        }
        let is_user = |entry: &Entry| matches!(entry.kind, EntryKind::Item { body: ItemBody::User(_), .. });
        let answered: Vec<String> = self
            .entries
            .windows(2)
            .filter(|pair| {
                is_user(&pair[0]) && matches!(pair[1].kind, EntryKind::Item { .. }) && !is_user(&pair[1])
            })
            .map(|pair| pair[0].id.clone())
            .collect();
        self.entries.retain(|entry| {
            !matches!(&entry.kind, EntryKind::Failure { retry: Some(RetryTarget::RetryAfter(id)), .. } if answered.contains(id))
        });
    }

    /// The visitor pressed Stop.
    pub fn abort(&mut self) -> Option<TurnOutcome> {
        self.fail_request(ChatError::aborted())
    }

    fn fail_turn(&mut self, turn: Turn, error: ChatError) -> TurnOutcome {
        let mut restore_draft = None;
        let retry = match (turn.kind, turn.user_item_id) {
            (TurnKind::Send { text, .. }, None)
                if self.id.is_some()
                    && matches!(
                        error.kind,
                        ErrorKind::Interrupted | ErrorKind::Network | ErrorKind::Aborted
                    ) =>
            {
                return TurnOutcome::Unconfirmed { error, text };
            }
            (TurnKind::Send { local_id, text }, None) => {
                // The server never confirmed the message: take it back into the composer.
                if let Some(index) = self.position(&local_id) {
                    self.entries.remove(index);
                }
                restore_draft = Some(text.clone());
                Some(RetryTarget::Resend(text))
            }
            (TurnKind::Action { item_id, action }, _) => Some(RetryTarget::Action { item_id, action }),
            (TurnKind::Answer(answer), _) => Some(RetryTarget::Answer(answer)),
            (_, Some(user_item_id)) => Some(RetryTarget::RetryAfter(user_item_id)),
            (TurnKind::Retry, None) => None,
        };
        self.push_failure(error, retry, restore_draft)
    }

    fn push_failure(
        &mut self,
        error: ChatError,
        retry: Option<RetryTarget>,
        restore_draft: Option<String>,
    ) -> TurnOutcome {
        let retry = retry.filter(|_| error.retryable());
        let id = self.local_id();
        self.push(id, EntryKind::Failure { error: error.clone(), retry });
        TurnOutcome::Failed { error, restore_draft }
    }

    /// Ends the entries still streaming; only they change (a widget the visitor is filling in
    /// keeps its drawing, and what was typed into it).
    fn finish_streaming_entries(&mut self) {
        let streaming = |entry: &Entry| matches!(entry.kind, EntryKind::Item { streaming: true, .. });
        if !self.entries.iter().any(streaming) {
            return;
        }
        let rev = self.bump();
        for entry in &mut self.entries {
            if let EntryKind::Item { streaming: streaming @ true, .. } = &mut entry.kind {
                *streaming = false;
                entry.rev = rev;
            }
        }
    }

    fn reply_text(&self, ids: &[String]) -> String {
        let texts: Vec<String> = ids
            .iter()
            .filter_map(|id| self.entries.iter().find(|entry| &entry.id == id))
            .filter_map(|entry| match &entry.kind {
                EntryKind::Item { body: ItemBody::Assistant(parts), .. } => Some(assistant_text(parts)),
                EntryKind::Item { body: ItemBody::Widget { copy_text: Some(text), .. }, .. } => {
                    Some(text.clone())
                }
                _ => None,
            })
            .collect();
        texts.join("\n\n")
    }

    /// Replaces the conversation with a history page fetched newest-first (`items.list`
    /// with `order: "desc"`), shown oldest-first.
    pub fn load_history(&mut self, thread_id: &str, page: Page<Item>) {
        self.id = Some(thread_id.to_owned());
        self.entries.clear();
        self.turn = None;
        self.prepend_history(page);
    }

    /// Puts an older newest-first page in front of what is shown.
    pub fn prepend_history(&mut self, page: Page<Item>) {
        self.older_cursor = if page.has_more { page.after } else { None };
        let rev = self.bump();
        let older: Vec<Entry> = page
            .data
            .into_iter()
            .rev()
            .filter(|item| !matches!(item.body, ItemBody::Hidden) && self.position(&item.id).is_none())
            .map(|item| Entry::stored(item, rev))
            .collect();
        self.entries.splice(0..0, older);
    }

    /// Ends an [`TurnOutcome::Unconfirmed`] turn with what the server has: `page` is the
    /// conversation's newest items, newest first (`None`: it could not be asked). A stored
    /// message takes the place of the one shown, with what followed it; the turn ends as its
    /// stored reply, or as a failure whose Retry is `threads.retry_after_item`. A message the
    /// server does not have goes back to the composer, to be sent again.
    pub fn confirm_sent(&mut self, error: ChatError, text: String, page: Option<Page<Item>>) -> TurnOutcome {
        let shown = self.entries.iter().rposition(|entry| matches!(entry.kind, EntryKind::PendingUser(_)));
        let unseen: Vec<Item> = page
            .map(|page| page.data)
            .unwrap_or_default()
            .into_iter()
            .rev()
            .filter(|item| !matches!(item.body, ItemBody::Hidden) && self.position(&item.id).is_none())
            .collect();
        let start = unseen.iter().rposition(
            |item| matches!(&item.body, ItemBody::User(message) if message.text.trim() == text.trim()),
        );
        let (Some(shown), Some(start)) = (shown, start) else {
            if let Some(shown) = shown {
                self.entries.remove(shown);
            }
            return self.push_failure(error, Some(RetryTarget::Resend(text.clone())), Some(text));
        };
        let ids: Vec<String> = unseen[start..].iter().map(|item| item.id.clone()).collect();
        let rev = self.bump();
        let stored = unseen.into_iter().skip(start).map(|item| Entry::stored(item, rev));
        self.entries.splice(shown..=shown, stored);
        let reply = self.reply_text(&ids[1..]);
        if reply.is_empty() {
            self.push_failure(error, Some(RetryTarget::RetryAfter(ids[0].clone())), None)
        } else {
            TurnOutcome::Replied(reply)
        }
    }

    /// The text of the user message with this id (for Retry of a stored message).
    pub fn user_text(&self, id: &str) -> Option<&str> {
        self.entries.iter().find(|entry| entry.id == id).and_then(|entry| match &entry.kind {
            EntryKind::Item { body: ItemBody::User(UserMessage { text, .. }), .. } => Some(text.as_str()),
            EntryKind::PendingUser(text) => Some(text.as_str()),
            _ => None,
        })
    }

    /// The latest revision: any change moves it.
    pub fn rev(&self) -> u64 {
        self.rev
    }

    /// Whether the latest failure is of this kind (tests and the view's banner logic).
    pub fn last_failure(&self) -> Option<&ChatError> {
        self.entries.iter().rev().find_map(|entry| match &entry.kind {
            EntryKind::Failure { error, .. } => Some(error),
            _ => None,
        })
    }

    /// Whether nothing has been said yet (the start screen shows).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.turn.is_none()
    }

    /// The failure's kind, if the conversation ended in one that blocks chatting.
    pub fn blocking_failure(&self) -> Option<ErrorKind> {
        self.last_failure().map(|error| error.kind).filter(|kind| {
            matches!(kind, ErrorKind::NotPublished | ErrorKind::WorkflowNotFound | ErrorKind::Misconfigured)
        })
    }
}

impl Turn {
    fn new(kind: TurnKind, user_item_id: Option<String>) -> Self {
        Self {
            kind,
            progress: None,
            allow_cancel: false,
            user_item_id,
            reply_ids: Vec::new(),
            has_content: false,
            error: None,
        }
    }
}

fn part_at(parts: &mut Vec<AssistantPart>, index: usize) -> &mut AssistantPart {
    if parts.len() <= index {
        parts.resize_with(index + 1, AssistantPart::default);
    }
    &mut parts[index]
}

fn apply_text_update(parts: &mut Vec<AssistantPart>, update: ItemUpdate) -> bool {
    match update {
        ItemUpdate::PartAdded { index, part } | ItemUpdate::PartDone { index, part } => {
            *part_at(parts, index) = part
        }
        ItemUpdate::TextDelta { index, delta } => part_at(parts, index).text.push_str(&delta),
        ItemUpdate::AnnotationAdded { index, annotation } => {
            part_at(parts, index).annotations.push(annotation)
        }
        _ => return false,
    }
    true
}

fn apply_widget_update(widget: &mut Value, update: ItemUpdate) -> bool {
    match update {
        ItemUpdate::WidgetRoot(root) => {
            *widget = root;
            true
        }
        ItemUpdate::WidgetComponent { id, component } => {
            find_component(widget, &id).map(|slot| *slot = component).is_some()
        }
        ItemUpdate::WidgetTextDelta { id, delta } => find_component(widget, &id)
            .and_then(|slot| slot.as_object_mut())
            .map(|fields| {
                let value = fields.entry("value").or_insert_with(|| Value::String(String::new()));
                if let Value::String(text) = value {
                    text.push_str(&delta);
                }
            })
            .is_some(),
        _ => false,
    }
}

/// The widget component whose `id` is `id`, searched depth-first through `children`.
fn find_component<'a>(node: &'a mut Value, id: &str) -> Option<&'a mut Value> {
    if node.get("id").and_then(Value::as_str) == Some(id) {
        return Some(node);
    }
    node.get_mut("children")?.as_array_mut()?.iter_mut().find_map(|child| find_component(child, id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Retry;
    use serde_json::json;

    fn event(value: Value) -> StreamEvent {
        StreamEvent::from_json(&value).unwrap_or(StreamEvent::Unknown("bad test event".into()))
    }

    fn user_done(id: &str, text: &str) -> StreamEvent {
        event(
            json!({"type": "thread.item.done", "item": {"id": id, "thread_id": "thr_1", "created_at": "2026-11-21T09:00:00",
            "type": "user_message", "content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}}),
        )
    }

    fn assistant(kind: &str, id: &str, text: &str) -> StreamEvent {
        event(
            json!({"type": kind, "item": {"id": id, "thread_id": "thr_1", "created_at": "2026-11-21T09:00:00Z",
            "type": "assistant_message", "content": [{"annotations": [], "text": text, "type": "output_text"}]}}),
        )
    }

    fn delta(id: &str, text: &str) -> StreamEvent {
        event(json!({"type": "thread.item.updated", "item_id": id,
            "update": {"type": "assistant_message.content_part.text_delta", "content_index": 0, "delta": text}}))
    }

    fn texts(state: &ThreadState) -> Vec<String> {
        state
            .entries
            .iter()
            .map(|entry| match &entry.kind {
                EntryKind::Item { body: ItemBody::User(message), .. } => format!("user:{}", message.text),
                EntryKind::Item { body: ItemBody::Assistant(parts), .. } => {
                    format!("assistant:{}", parts.iter().map(|p| p.text.as_str()).collect::<String>())
                }
                EntryKind::PendingUser(text) => format!("pending:{text}"),
                EntryKind::Failure { error, .. } => format!("failure:{}", error.code),
                EntryKind::Notice { message, .. } => format!("notice:{message}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn the_optimistic_message_is_replaced_by_the_servers_in_place() {
        let mut state = ThreadState::new();
        state.begin_send("Hello");
        assert_eq!(texts(&state), ["pending:Hello"]);
        state.apply(event(
            json!({"type": "thread.created", "thread": {"id": "thr_1", "created_at": "2026-11-21T09:00:00"}}),
        ));
        state.apply(user_done("msg_u", "Hello"));
        assert_eq!(texts(&state), ["user:Hello"]);
        assert_eq!(state.entries[0].id, "msg_u");
        state.apply(assistant("thread.item.done", "msg_a", "Echo: Hello"));
        assert_eq!(state.end_stream(), Some(TurnOutcome::Replied("Echo: Hello".into())));
        assert_eq!(texts(&state), ["user:Hello", "assistant:Echo: Hello"]);
        assert_eq!(state.id.as_deref(), Some("thr_1"));
        assert!(!state.is_busy());
    }

    #[test]
    fn a_streamed_message_and_its_done_never_duplicate_text() {
        let mut state = ThreadState::new();
        state.begin_send("Hi");
        state.apply(user_done("msg_u", "Hi"));
        state.apply(event(json!({"type": "thread.item.added", "item": {"id": "msg_a", "thread_id": "thr_1",
            "created_at": "2026-11-21T09:00:00Z", "type": "assistant_message", "content": []}})));
        state.apply(event(json!({"type": "thread.item.updated", "item_id": "msg_a", "update": {
            "type": "assistant_message.content_part.added", "content_index": 0,
            "content": {"type": "output_text", "text": "", "annotations": []}}})));
        state.apply(delta("msg_a", "Hel"));
        state.apply(delta("msg_a", "lo!"));
        assert!(matches!(state.entries[1].kind, EntryKind::Item { streaming: true, .. }));
        assert_eq!(texts(&state)[1], "assistant:Hello!");
        state.apply(event(json!({"type": "thread.item.updated", "item_id": "msg_a", "update": {
            "type": "assistant_message.content_part.done", "content_index": 0,
            "content": {"type": "output_text", "text": "Hello!", "annotations": []}}})));
        assert_eq!(texts(&state)[1], "assistant:Hello!");
        state.apply(assistant("thread.item.done", "msg_a", "Hello!"));
        assert_eq!(texts(&state), ["user:Hi", "assistant:Hello!"]);
        assert!(matches!(state.entries[1].kind, EntryKind::Item { streaming: false, .. }));
        assert_eq!(state.end_stream(), Some(TurnOutcome::Replied("Hello!".into())));
    }

    #[test]
    fn deltas_bump_only_the_streaming_entry() {
        let mut state = ThreadState::new();
        state.begin_send("Hi");
        state.apply(user_done("msg_u", "Hi"));
        state.apply(assistant("thread.item.added", "msg_a", ""));
        let user_rev = state.entries[0].rev;
        let before = state.entries[1].rev;
        state.apply(delta("msg_a", "x"));
        assert_eq!(state.entries[0].rev, user_rev);
        assert!(state.entries[1].rev > before);
    }

    #[test]
    fn thread_updated_changes_the_title_and_never_the_items() {
        let mut state = ThreadState::new();
        state.begin_send("Hi");
        state.apply(user_done("msg_u", "Hi"));
        state.apply(event(json!({"type": "thread.updated", "thread": {"id": "thr_1", "title": "Hi",
            "created_at": "2026-11-21T09:00:00", "items": {"data": [], "has_more": false}}})));
        assert_eq!(state.title.as_deref(), Some("Hi"));
        assert_eq!(texts(&state), ["user:Hi"]);
    }

    #[test]
    fn an_error_event_fails_the_turn_with_retry_after_the_stored_message() {
        let mut state = ThreadState::new();
        state.begin_send("please fail");
        state.apply(user_done("msg_u", "please fail"));
        state.apply(event(json!({"type": "error", "code": "stream.error", "allow_retry": true})));
        let outcome = state.end_stream();
        assert!(matches!(outcome, Some(TurnOutcome::Failed { restore_draft: None, .. })));
        assert_eq!(texts(&state), ["user:please fail", "failure:stream.error"]);
        assert!(
            matches!(&state.entries[1].kind, EntryKind::Failure { retry: Some(RetryTarget::RetryAfter(id)), .. } if id == "msg_u")
        );
    }

    #[test]
    fn a_custom_error_without_retry_offers_none() {
        let mut state = ThreadState::new();
        state.begin_send("x");
        state.apply(user_done("msg_u", "x"));
        state.apply(event(
            json!({"type": "error", "code": "custom", "message": "latest", "allow_retry": false}),
        ));
        state.end_stream();
        assert!(
            matches!(&state.entries[1].kind, EntryKind::Failure { retry: None, error } if error.server_message.as_deref() == Some("latest"))
        );
    }

    #[test]
    fn retry_drops_later_items_locally_and_replaces_the_failure() {
        let mut state = ThreadState::new();
        state.begin_send("x");
        state.apply(user_done("msg_u", "x"));
        state.apply(assistant("thread.item.done", "msg_a", "old answer"));
        state.end_stream();
        state.begin_retry("msg_u");
        assert_eq!(texts(&state), ["user:x"]);
        state.apply(assistant("thread.item.done", "msg_b", "new answer"));
        assert_eq!(state.end_stream(), Some(TurnOutcome::Replied("new answer".into())));
        assert_eq!(texts(&state), ["user:x", "assistant:new answer"]);
    }

    #[test]
    fn a_stream_with_neither_reply_nor_error_is_interrupted() {
        let mut state = ThreadState::new();
        state.begin_send("x");
        state.apply(user_done("msg_u", "x"));
        state.apply(event(json!({"type": "progress_update", "text": "Running respond"})));
        let outcome = state.end_stream();
        assert!(
            matches!(outcome, Some(TurnOutcome::Failed { ref error, restore_draft: None }) if error.kind == ErrorKind::Interrupted)
        );
        assert_eq!(texts(&state), ["user:x", "failure:interrupted"]);
    }

    #[test]
    fn a_request_that_fails_before_the_server_stored_the_message_gives_the_text_back() {
        let mut state = ThreadState::new();
        state.begin_send("keep me");
        let outcome = state.fail_request(ChatError::network());
        assert_eq!(
            outcome,
            Some(TurnOutcome::Failed { error: ChatError::network(), restore_draft: Some("keep me".into()) })
        );
        // Not shown twice: the bubble goes, the failure offers to send the text again.
        assert_eq!(texts(&state), ["failure:network"]);
        assert!(
            matches!(&state.entries[0].kind, EntryKind::Failure { retry: Some(RetryTarget::Resend(text)), .. } if text == "keep me")
        );
    }

    #[test]
    fn failures_that_retrying_cannot_fix_offer_no_retry() {
        let mut state = ThreadState::new();
        state.begin_send("x");
        let body = json!({"detail": {"code": "chatkit.auth.not_published"}});
        state.fail_request(ChatError::from_http(403, Some(&body), None, 0));
        assert!(matches!(&state.entries[0].kind, EntryKind::Failure { retry: None, .. }));
        assert_eq!(state.blocking_failure(), Some(ErrorKind::NotPublished));
    }

    #[test]
    fn stop_after_the_message_was_stored_offers_a_retry_of_it() {
        let mut state = ThreadState::new();
        state.begin_send("slow");
        state.apply(user_done("msg_u", "slow"));
        let outcome = state.abort();
        assert!(
            matches!(outcome, Some(TurnOutcome::Failed { ref error, restore_draft: None }) if error.kind == ErrorKind::Aborted)
        );
        assert_eq!(texts(&state), ["user:slow", "failure:aborted"]);
    }

    #[test]
    fn a_failure_keeps_its_row_when_another_message_goes() {
        let mut state = ThreadState::new();
        state.begin_send("x");
        state.apply(user_done("msg_x", "x"));
        state.fail_request(ChatError::network());
        state.begin_send("y");
        assert_eq!(texts(&state), ["user:x", "failure:network", "pending:y"]);
        assert!(state.has_user_message_after("msg_x"));
    }

    #[test]
    fn sending_the_text_a_failure_gave_back_is_its_retry() {
        let mut state = ThreadState::new();
        state.begin_send("lost");
        state.fail_request(ChatError::network());
        state.begin_send("other");
        state.fail_request(ChatError::network());
        // The composer got "lost" back; sending it again retires only its failure.
        state.begin_send(" lost ");
        assert_eq!(texts(&state), ["failure:network", "pending: lost "]);
        assert!(
            matches!(&state.entries[0].kind, EntryKind::Failure { retry: Some(RetryTarget::Resend(text)), .. } if text == "other")
        );
    }

    #[test]
    fn removed_and_replaced_items_apply() {
        let mut state = ThreadState::new();
        state.apply(assistant("thread.item.done", "msg_a", "one"));
        state.apply(assistant("thread.item.done", "msg_b", "two"));
        state.apply(assistant("thread.item.replaced", "msg_a", "uno"));
        state.apply(event(json!({"type": "thread.item.removed", "item_id": "msg_b"})));
        assert_eq!(texts(&state), ["assistant:uno"]);
    }

    #[test]
    fn a_stopped_stream_changes_only_the_entries_that_were_streaming() {
        let mut state = ThreadState::new();
        state.begin_send("form");
        state.apply(user_done("msg_u", "form"));
        state.apply(event(json!({"type": "thread.item.done", "item": {"id": "msg_w", "thread_id": "thr_1",
            "type": "widget", "widget": {"type": "Card", "children": [{"type": "Input", "name": "code"}]}}})));
        state.apply(assistant("thread.item.added", "msg_a", "Fill it in"));
        let (user, widget) = (state.entries[0].rev, state.entries[1].rev);
        state.abort();
        assert_eq!(
            (state.entries[0].rev, state.entries[1].rev),
            (user, widget),
            "the widget keeps its drawing"
        );
        assert!(state.entries[2].rev > widget, "the reply that was streaming ends");
        assert!(matches!(state.entries[2].kind, EntryKind::Item { streaming: false, .. }));
    }

    #[test]
    fn widget_updates_replace_the_root_components_and_stream_text() {
        let mut state = ThreadState::new();
        state.apply(event(json!({"type": "thread.item.done", "item": {"id": "msg_w", "thread_id": "t", "created_at": "2026-11-21T09:00:00Z",
            "type": "widget", "widget": {"type": "Card", "children": [{"type": "Text", "id": "status", "value": "Wait"}]}}})));
        state.apply(event(json!({"type": "thread.item.updated", "item_id": "msg_w", "update": {
            "type": "widget.streaming_text.value_delta", "component_id": "status", "delta": "ing", "done": false}})));
        state.apply(event(json!({"type": "thread.item.updated", "item_id": "msg_w", "update": {
            "type": "widget.component.updated", "component_id": "status", "component": {"type": "Text", "id": "status", "value": "Done"}}})));
        let widget = |state: &ThreadState| match &state.entries[0].kind {
            EntryKind::Item { body: ItemBody::Widget { widget, .. }, .. } => widget.clone(),
            _ => Value::Null,
        };
        assert_eq!(widget(&state)["children"][0]["value"], "Done");
        state.begin_action(Some("msg_w".into()), json!({"type": "submit"}));
        state.apply(event(json!({"type": "thread.item.updated", "item_id": "msg_w", "update": {
            "type": "widget.root.updated", "widget": {"type": "Card", "children": []}}})));
        assert_eq!(widget(&state), json!({"type": "Card", "children": []}));
        assert!(matches!(state.end_stream(), Some(TurnOutcome::Replied(_))));
    }

    #[test]
    fn progress_notices_and_options_update_the_turn() {
        let mut state = ThreadState::new();
        state.begin_send("x");
        state.apply(event(json!({"type": "stream_options", "stream_options": {"allow_cancel": true}})));
        state.apply(event(json!({"type": "progress_update", "text": "slow: 3/8 s"})));
        state.apply(event(json!({"type": "notice", "level": "danger", "message": "Widget unavailable"})));
        let turn = state.turn.clone().unwrap_or_else(|| Turn::new(TurnKind::Retry, None));
        assert!(turn.allow_cancel);
        assert_eq!(turn.progress.as_deref().and_then(progress_label).as_deref(), Some("3/8 s"));
        assert_eq!(texts(&state), ["pending:x", "notice:Widget unavailable"]);
    }

    #[test]
    fn internal_progress_texts_become_a_generic_working() {
        for internal in [
            "Agent is working...",
            "Running respond",
            "[partial] chunk 1: alpha",
            "-> tool starting...",
            "- tool completed",
        ] {
            assert_eq!(progress_label(internal), None, "{internal}");
        }
        assert_eq!(
            progress_label("Searching the knowledge base"),
            Some("Searching the knowledge base".into())
        );
    }

    #[test]
    fn history_arrives_newest_first_and_is_shown_oldest_first() {
        let item = |id: &str, text: &str| Item {
            id: id.into(),
            created_at_ms: None,
            body: ItemBody::User(UserMessage { text: text.into(), attachments: vec![], model: None }),
        };
        let mut state = ThreadState::new();
        state.load_history(
            "thr_1",
            Page { data: vec![item("c", "3"), item("b", "2")], has_more: true, after: Some("b".into()) },
        );
        assert_eq!(texts(&state), ["user:2", "user:3"]);
        assert_eq!(state.older_cursor.as_deref(), Some("b"));
        state.prepend_history(Page { data: vec![item("a", "1")], has_more: false, after: None });
        assert_eq!(texts(&state), ["user:1", "user:2", "user:3"]);
        assert_eq!(state.older_cursor, None);
    }

    #[test]
    fn rate_limit_failures_carry_their_wait() {
        let mut state = ThreadState::new();
        state.begin_send("x");
        state.fail_request(ChatError::from_http(429, None, None, 1));
        assert_eq!(state.last_failure().map(|error| error.retry), Some(Retry::After(5)));
    }
}
