//! What a ChatKit server asks of the page beyond messages: widget actions it answers at once
//! (`threads.sync_custom_action`), client tools the page runs (`threads.add_client_tool_output`),
//! and questions the visitor answers (`threads.add_structured_input`).

use serde_json::Value;

use super::{Call, Effect, Session, Start, Status};
use crate::error::ChatError;
use crate::json::object;
use crate::protocol::{Item, ItemBody, Request};
use crate::thread::{Answer, EntryKind};

impl Session {
    /// A widget action the server answers at once; it may go while a reply streams. One per
    /// widget at a time.
    pub(super) fn sync_action(&mut self, item_id: Option<String>, action: Value, fx: &mut Vec<Effect>) {
        let (Some(thread_id), Some(item)) = (self.thread.id.clone(), item_id.clone()) else {
            fx.push(Effect::Warn("a widget action needs its widget's conversation".into()));
            return;
        };
        if self.status != Status::Ready || self.syncing.contains(&item) {
            return;
        }
        let request = Request::ThreadsSyncCustomAction { thread_id, item_id, action };
        if let Some(body) = self.body(&request) {
            self.syncing.push(item.clone());
            fx.push(Effect::Call {
                call: Some(Call::Sync { generation: self.generation, item_id: item }),
                body,
            });
        }
    }

    /// The answer to a sync action: `{"updated_item": …}` replaces the widget; a failure is
    /// shown (and reported) like any other.
    pub(super) fn synced(
        &mut self,
        generation: u64,
        item_id: &str,
        result: Result<Value, ChatError>,
        fx: &mut Vec<Effect>,
    ) {
        self.syncing.retain(|id| id != item_id);
        if generation != self.generation {
            return;
        }
        match result {
            Ok(answer) => {
                if let Some(Ok(item)) = answer.get("updated_item").map(Item::from_json) {
                    self.thread.replace_item(item);
                }
            }
            Err(error) => {
                self.thread.show_failure(error.clone(), None);
                fx.push(Effect::Emit(super::ApiEvent::Error(error)));
            }
        }
    }

    /// When the conversation ends in a client tool call the page has not been asked to run:
    /// asks it (once).
    pub(super) fn ask_tool(&mut self, fx: &mut Vec<Effect>) {
        let Some((item_id, call)) = self.thread.pending_tool() else { return };
        if self.asked_tool.as_deref() == Some(item_id) {
            return;
        }
        self.asked_tool = Some(item_id.to_owned());
        self.tool_running = true;
        fx.push(Effect::ClientTool {
            item_id: item_id.to_owned(),
            name: call.name.clone(),
            params: call.arguments.clone(),
        });
    }

    /// The page's client tool answered: its output goes to the server, which goes on with the
    /// reply (at once, or as soon as a turn can start: it is never dropped or sent twice). A
    /// tool that failed (or a page with no handler) is shown, and the server is told why, so
    /// that the assistant can go on without it.
    pub(super) fn tool_answered(
        &mut self,
        item_id: &str,
        result: Result<Value, String>,
        fx: &mut Vec<Effect>,
    ) {
        if !self.tool_running
            || self.asked_tool.as_deref() != Some(item_id)
            || self.thread.pending_tool().map(|(id, _)| id) != Some(item_id)
        {
            return;
        }
        self.tool_running = false;
        let output = match result {
            Ok(output) => output,
            Err(why) => {
                let name = self.thread.pending_tool().map(|(_, call)| call.name.clone()).unwrap_or_default();
                let error =
                    ChatError::client_tool(format!("the client tool \"{name}\" did not answer: {why}"));
                fx.push(Effect::ConsoleError(error.embedder_hint.clone().unwrap_or_default()));
                self.thread.show_failure(error.clone(), None);
                fx.push(Effect::Emit(super::ApiEvent::Error(error)));
                object(vec![("error", Value::String(why))])
            }
        };
        self.tool_output = Some(output);
        self.drain(fx);
    }

    /// Stop while the page runs a client tool: the assistant is told the visitor stopped it,
    /// and the page's answer, if it still comes, is dropped.
    pub(super) fn stop_tool(&mut self, fx: &mut Vec<Effect>) {
        if std::mem::take(&mut self.tool_running) {
            self.thread.show_failure(ChatError::aborted(), None);
            self.tool_output = Some(object(vec![("error", Value::from("the visitor stopped it"))]));
            self.drain(fx);
        }
    }

    /// The visitor's answers to a `structured_input` item still waiting for them (`input` is
    /// [`crate::protocol::Questions::answer`]'s).
    pub(super) fn answer_questions(&mut self, item_id: &str, input: Value, fx: &mut Vec<Effect>) {
        let waiting = self.thread.entries.iter().any(|entry| {
            entry.id == item_id
                && matches!(&entry.kind, EntryKind::Item { body: ItemBody::StructuredInput(item), .. }
                    if item.get("status").and_then(Value::as_str).is_none_or(|status| status == "pending"))
        });
        if waiting && self.can_start_turn() {
            self.begin(
                Start::Answer(Answer::Questions { item_id: item_id.to_owned(), input }),
                None,
                Vec::new(),
                fx,
            );
        }
    }
}
