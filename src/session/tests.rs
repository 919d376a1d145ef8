//! Every rule of the session, as a visitor or an embedder would notice it.

use serde_json::{json, Value};

use super::*;
use crate::error::{ChatError, ErrorKind};

const BACKEND: &str = "http://127.0.0.1:8000";
const WORKFLOW: &str = "5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10";
const VISITOR: &str = "v_fresh_visitor_id_00";

fn config() -> Config {
    let mut config = Config::default();
    let context = crate::config::ConfigContext { page_origin: "https://shop.example" };
    config.apply("backend", &json!(BACKEND), &context).expect("backend");
    config.apply("workflow", &json!(WORKFLOW), &context).expect("workflow");
    config
}

fn public(name: &str) -> PublicWorkflow {
    PublicWorkflow {
        id: WORKFLOW.into(),
        name: Some(name.into()),
        require_login: false,
        prompts: Vec::new(),
        models: Vec::new(),
    }
}

/// A session connected to a published workflow with no stored conversation.
fn ready() -> Session {
    ready_with(config())
}

fn ready_with(config: Config) -> Session {
    let mut session = Session::new(config, String::new(), true);
    let fx = session.update(Input::Connect);
    let connection = resolve_connection(&fx);
    let fx = session.update(Input::Resolved { connection, result: Ok(public("Echo")) });
    open_fresh_store(&mut session, &fx);
    assert_eq!(session.status, Status::Ready);
    session
}

/// A session that has read `snapshot` from the store, and the effects of reading it (the
/// restore of its conversation, if it names one).
fn with_snapshot(snapshot: Snapshot) -> (Session, Vec<Effect>) {
    let mut session = Session::new(config(), String::new(), false);
    let connection = resolve_connection(&session.update(Input::Connect));
    session.update(Input::Resolved { connection, result: Ok(public("Echo")) });
    let fx = session.update(Input::StoreOpened { connection, snapshot, fresh_visitor_id: VISITOR.into() });
    (session, fx)
}

fn ready_with_snapshot(snapshot: Snapshot) -> Session {
    let (session, _) = with_snapshot(Snapshot { thread_id: None, ..snapshot });
    assert_eq!(session.status, Status::Ready);
    session
}

/// What a visitor who talked before has stored: their id and one conversation, open.
fn returning_visitor() -> Snapshot {
    Snapshot {
        thread_id: Some("thr_old".into()),
        visitor_id: Some("v_returning_visitor".into()),
        threads: vec!["thr_old".into()],
        ..Snapshot::default()
    }
}

fn resolve_connection(fx: &[Effect]) -> u64 {
    fx.iter()
        .find_map(|effect| match effect {
            Effect::Resolve { connection, .. } => Some(*connection),
            _ => None,
        })
        .expect("a Resolve effect")
}

/// Answers the [`Effect::OpenStore`] among `fx` (there must be one) with an empty store.
fn open_fresh_store(session: &mut Session, fx: &[Effect]) -> Vec<Effect> {
    open_store_with(session, fx, Snapshot::default())
}

fn stream(fx: &[Effect]) -> Option<(u64, &Value)> {
    fx.iter().find_map(|effect| match effect {
        Effect::Stream { turn, body, .. } => Some((*turn, body)),
        _ => None,
    })
}

fn settled(fx: &[Effect], ticket: Ticket) -> Option<&Result<String, ChatError>> {
    fx.iter().find_map(|effect| match effect {
        Effect::Settle { ticket: t, result } if *t == ticket => Some(result),
        _ => None,
    })
}

fn emitted(fx: &[Effect]) -> Vec<&ApiEvent> {
    fx.iter()
        .filter_map(|effect| match effect {
            Effect::Emit(event) => Some(event),
            _ => None,
        })
        .collect()
}

fn last_persisted(fx: &[Effect]) -> Option<&Snapshot> {
    fx.iter().rev().find_map(|effect| match effect {
        Effect::Persist(snapshot) => Some(snapshot),
        _ => None,
    })
}

fn event(session: &mut Session, turn: u64, value: Value) -> Vec<Effect> {
    session.update(Input::Event { turn, data: Some(value) })
}

fn user_item(id: &str, text: &str) -> Value {
    json!({"type": "thread.item.done", "item": {"id": id, "thread_id": "thr_1", "created_at": "2026-11-21T09:09:50Z",
        "type": "user_message", "content": [{"type": "input_text", "text": text}], "attachments": [], "inference_options": {}}})
}

fn assistant_item(id: &str, text: &str) -> Value {
    json!({"type": "thread.item.done", "item": {"id": id, "thread_id": "thr_1", "created_at": "2026-11-21T09:09:50Z",
        "type": "assistant_message", "content": [{"type": "output_text", "text": text, "annotations": []}]}})
}

fn thread_created() -> Value {
    json!({"type": "thread.created", "thread": {"id": "thr_1", "created_at": "2026-11-21T09:09:49Z",
        "status": {"type": "active"}, "metadata": {}, "items": {"data": [], "has_more": false}}})
}

/// Runs a whole successful turn for `text` and returns the effects of its end.
fn reply(session: &mut Session, text: &str, answer: &str) -> Vec<Effect> {
    let fx = session.update(Input::Submit { draft: text.into() });
    let (turn, _) = stream(&fx).expect("the message goes");
    if session.thread.id.is_none() {
        event(session, turn, thread_created());
    }
    event(session, turn, user_item(&format!("msg_u{turn}"), text));
    event(session, turn, assistant_item(&format!("msg_a{turn}"), answer));
    session.update(Input::StreamEnded { turn, end: StreamEnd::Complete })
}

/// Answers the [`Call::Check`] among `fx` with these items (newest first), as `items.list` would.
fn answer_check(session: &mut Session, fx: &[Effect], items: Value) -> Vec<Effect> {
    let (call, body) = fx
        .iter()
        .find_map(|effect| match effect {
            Effect::Call { call: Some(call @ Call::Check { .. }), body } => Some((call.clone(), body)),
            _ => None,
        })
        .expect("the session asks whether the server has the message");
    assert_eq!(body["type"], "items.list");
    assert_eq!(body["params"]["order"], "desc");
    session.update(Input::Answered { call, result: Ok(json!({"data": items, "has_more": false})) })
}

fn stored(value: Value) -> Value {
    value["item"].clone()
}

fn rate_limited() -> ChatError {
    ChatError::from_http(429, Some(&json!({"detail": "Too many requests"})), None, 1)
}

// --- Connecting ------------------------------------------------------------------------------

#[test]
fn without_a_backend_the_session_is_unconfigured_and_says_so_once() {
    let mut session = Session::new(Config::default(), String::new(), false);
    let fx = session.update(Input::Connect);
    assert_eq!(session.status, Status::Unconfigured);
    assert_eq!(fx.iter().filter(|e| matches!(e, Effect::Warn(w) if w.contains("data-backend"))).count(), 1);
    let fx = session.update(Input::Send { text: "hi".into(), ticket: 1 });
    assert!(matches!(settled(&fx, 1), Some(Err(ChatError { kind: ErrorKind::Misconfigured, .. }))));
}

#[test]
fn a_published_workflow_is_looked_up_then_ready_with_a_visitor_id() {
    let mut session = Session::new(config(), String::new(), false);
    let fx = session.update(Input::Connect);
    assert_eq!(session.status, Status::Connecting);
    let connection = resolve_connection(&fx);
    let fx = session.update(Input::Resolved { connection, result: Ok(public("Echo assistant")) });
    let key = fx.iter().find_map(|effect| match effect {
        Effect::OpenStore { key, alias, .. } => Some((key.clone(), alias.clone())),
        _ => None,
    });
    assert_eq!(key, Some((format!("orcheo-chat:v1:{BACKEND}:{WORKFLOW}"), None)));
    let fx = session.update(Input::StoreOpened {
        connection,
        snapshot: Snapshot::default(),
        fresh_visitor_id: VISITOR.into(),
    });
    assert!(fx.contains(&Effect::UseEndpoint(Endpoint {
        backend: BACKEND.into(),
        workflow_id: WORKFLOW.into(),
        send_cookies: true,
        auth: Auth::Visitor(VISITOR.into()),
    })));
    assert_eq!(last_persisted(&fx).and_then(|s| s.visitor_id.as_deref()), Some(VISITOR));
    assert_eq!(session.status, Status::Ready);
    assert_eq!(session.title(), Some("Echo assistant"));
}

#[test]
fn a_returning_visitor_keeps_their_id_and_their_conversation_is_restored() {
    let mut session = Session::new(config(), String::new(), false);
    let connection = resolve_connection(&session.update(Input::Connect));
    session.update(Input::Resolved { connection, result: Ok(public("Echo")) });
    let fx = session.update(Input::StoreOpened {
        connection,
        snapshot: returning_visitor(),
        fresh_visitor_id: VISITOR.into(),
    });
    assert!(fx.iter().any(|e| matches!(e, Effect::UseEndpoint(Endpoint { auth: Auth::Visitor(v), .. }) if v == "v_returning_visitor")));
    let call = fx.iter().find_map(|effect| match effect {
        Effect::Call { call: Some(call), body } => Some((call.clone(), body.clone())),
        _ => None,
    });
    let (call, body) = call.expect("items.list");
    assert_eq!(body["type"], "items.list");
    assert_eq!(body["params"]["order"], "desc");
    assert_eq!(session.status, Status::Connecting, "ready once restored");
    let page = json!({"data": [user_item("msg_1", "earlier")["item"], assistant_item("msg_2", "Echo: earlier")["item"]], "has_more": false});
    let fx = session.update(Input::Answered { call, result: Ok(page) });
    assert_eq!(session.status, Status::Ready);
    assert_eq!(session.thread.entries.len(), 2);
    assert!(emitted(&fx).contains(&&ApiEvent::ThreadChange { thread_id: Some("thr_old".into()) }));
}

#[test]
fn a_thread_the_server_no_longer_knows_is_forgotten_quietly() {
    for answer in [Ok(json!({"data": [], "has_more": false})), Err(ChatError::network())] {
        let mut session = Session::new(config(), String::new(), false);
        let connection = resolve_connection(&session.update(Input::Connect));
        session.update(Input::Resolved { connection, result: Ok(public("Echo")) });
        let stored = Snapshot {
            thread_id: Some("thr_gone".into()),
            threads: vec!["thr_gone".into()],
            ..Snapshot::default()
        };
        session.update(Input::StoreOpened { connection, snapshot: stored, fresh_visitor_id: VISITOR.into() });
        let fx = session.update(Input::Answered {
            call: Call::Restore { generation: session.generation(), thread_id: "thr_gone".into() },
            result: answer,
        });
        assert_eq!(session.status, Status::Ready);
        let saved = last_persisted(&fx).expect("forgotten in storage");
        assert_eq!((saved.thread_id.as_deref(), saved.threads.len()), (None, 0));
        assert!(session.thread.entries.is_empty(), "no error shown");
    }
}

#[test]
fn a_workflow_handle_resolves_and_is_remembered_under_an_alias() {
    let mut with_handle = config();
    with_handle.workflow = Some(WorkflowRef::Handle("echo".into()));
    let mut session = Session::new(with_handle, String::new(), false);
    let connection = resolve_connection(&session.update(Input::Connect));
    let fx = session.update(Input::Resolved { connection, result: Ok(public("Echo")) });
    let alias = fx.iter().find_map(|effect| match effect {
        Effect::OpenStore { alias, .. } => alias.clone(),
        _ => None,
    });
    assert_eq!(alias, Some((format!("orcheo-chat:v1:{BACKEND}:@echo"), WORKFLOW.into())));
}

#[test]
fn an_unknown_handle_blocks_with_a_reason_and_refuses_waiting_messages() {
    let mut with_handle = config();
    with_handle.workflow = Some(WorkflowRef::Handle("no-such".into()));
    let mut session = Session::new(with_handle, String::new(), false);
    let connection = resolve_connection(&session.update(Input::Connect));
    session.update(Input::Send { text: "anyone?".into(), ticket: 7 });
    let not_found = ChatError::from_http(404, Some(&json!({"detail": "Workflow not found"})), None, 1);
    let fx = session.update(Input::Resolved { connection, result: Err(not_found) });
    assert_eq!(session.status, Status::Blocked);
    assert!(fx.iter().any(|e| matches!(e, Effect::ConsoleError(m) if m.contains("no-such"))));
    assert!(matches!(settled(&fx, 7), Some(Err(ChatError { kind: ErrorKind::WorkflowNotFound, .. }))));
}

#[test]
fn jwt_mode_with_a_uuid_skips_the_public_lookup_and_uses_tokens() {
    let mut jwt = config();
    jwt.token_url = Some("https://shop.example/token".into());
    let mut session = Session::new(jwt, String::new(), false);
    let fx = session.update(Input::Connect);
    assert!(!fx.iter().any(|e| matches!(e, Effect::Resolve { .. })));
    let fx = open_fresh_store(&mut session, &fx);
    assert!(fx.iter().any(|e| matches!(e, Effect::UseEndpoint(Endpoint { auth: Auth::Token, .. }))));
    assert_eq!(session.status, Status::Ready);
}

#[test]
fn a_token_provider_switches_to_jwt_and_reconnects() {
    let mut session = ready();
    let fx = session.update(Input::TokenProvider);
    assert_eq!(session.status, Status::Connecting);
    let fx = open_fresh_store(&mut session, &fx);
    assert!(fx.iter().any(|e| matches!(e, Effect::UseEndpoint(Endpoint { auth: Auth::Token, .. }))));
}

// --- The turn lifecycle ----------------------------------------------------------------------

#[test]
fn a_message_streams_its_reply_and_every_body_carries_the_workflow_and_metadata() {
    let mut session = ready();
    let fx = session.update(Input::Submit { draft: "  Hello Orcheo  ".into() });
    assert!(fx.contains(&Effect::SetDraft(String::new())), "the composer is cleared");
    let (turn, body) = stream(&fx).expect("a stream");
    assert_eq!(body["type"], "threads.create");
    assert_eq!(body["workflow_id"], WORKFLOW);
    assert_eq!(body["metadata"], json!({"workflow_id": WORKFLOW, "workflow_name": "Echo"}));
    assert_eq!(body["params"]["input"]["content"][0]["text"], "Hello Orcheo");
    assert_eq!(body["params"]["input"]["attachments"], json!([]));
    assert_eq!(body["params"]["input"]["inference_options"], json!({}));
    let asked = last_persisted(&fx).and_then(|s| Asked::from_value(&s.asked));
    assert_eq!(
        asked.and_then(|a| a.text).as_deref(),
        Some("Hello Orcheo"),
        "a question in flight is remembered"
    );
    assert!(session.busy());

    let fx = event(&mut session, turn, thread_created());
    assert_eq!(last_persisted(&fx).and_then(|s| s.thread_id.as_deref()), Some("thr_1"));
    let fx = event(&mut session, turn, user_item("msg_u", "Hello Orcheo"));
    let asked = last_persisted(&fx).and_then(|s| Asked::from_value(&s.asked));
    assert_eq!(
        asked.map(|a| (a.thread_id, a.item_id)),
        Some((Some("thr_1".into()), Some("msg_u".into()))),
        "the note names the stored question"
    );
    let fx = event(&mut session, turn, assistant_item("msg_a", "Echo: Hello Orcheo"));
    assert!(emitted(&fx).iter().any(|e| matches!(e, ApiEvent::Message { role: "assistant", .. })));
    let fx = session.update(Input::StreamEnded { turn, end: StreamEnd::Complete });
    assert!(!session.busy());
    assert_eq!(session.announcement, "Echo: Hello Orcheo");
    assert_eq!(last_persisted(&fx).map(|s| &s.asked), Some(&Value::Null), "the note goes with the answer");
    assert!(emitted(&fx).contains(&&ApiEvent::ResponseEnd { thread_id: Some("thr_1".into()), error: None }));

    let fx = session.update(Input::Submit { draft: "Second".into() });
    let (_, body) = stream(&fx).expect("a second turn");
    assert_eq!(body["type"], "threads.add_user_message");
    assert_eq!(body["params"]["thread_id"], "thr_1");
}

#[test]
fn a_reply_while_the_panel_is_closed_marks_it_unread_until_it_opens() {
    let mut session = ready();
    session.update(Input::Visible(false));
    reply(&mut session, "hi", "Echo: hi");
    assert!(session.unread);
    session.update(Input::Visible(true));
    assert!(!session.unread);
    reply(&mut session, "again", "Echo: again");
    assert!(!session.unread, "read while open");
}

#[test]
fn the_api_send_resolves_with_the_reply_text() {
    let mut session = ready();
    let fx = session.update(Input::Send { text: "via the API".into(), ticket: 3 });
    let (turn, _) = stream(&fx).expect("sent");
    assert!(!fx.iter().any(|e| matches!(e, Effect::SetDraft(_))), "the composer is left alone");
    event(&mut session, turn, thread_created());
    event(&mut session, turn, assistant_item("msg_a", "Echo: via the API"));
    let fx = session.update(Input::StreamEnded { turn, end: StreamEnd::Complete });
    assert_eq!(settled(&fx, 3), Some(&Ok("Echo: via the API".into())));
}

#[test]
fn a_second_message_while_a_reply_streams_is_refused_and_the_composer_keeps_it() {
    let mut session = ready();
    session.update(Input::Submit { draft: "first".into() });
    let fx = session.update(Input::Submit { draft: "second".into() });
    assert!(stream(&fx).is_none());
    assert_eq!(session.draft, "second", "the text stays in the composer");
    assert!(!session.can_submit());
    let fx = session.update(Input::Send { text: "third".into(), ticket: 9 });
    assert!(matches!(settled(&fx, 9), Some(Err(ChatError { kind: ErrorKind::Busy, .. }))));
}

#[test]
fn stop_ends_the_turn_at_once_keeps_the_text_and_ignores_what_arrives_later() {
    let mut session = ready();
    let fx = session.update(Input::Send { text: "take your time".into(), ticket: 4 });
    let (turn, _) = stream(&fx).expect("sent");
    let fx = session.update(Input::Stop);
    assert!(fx.contains(&Effect::Abort { turn }));
    assert!(matches!(settled(&fx, 4), Some(Err(ChatError { kind: ErrorKind::Aborted, .. }))));
    assert!(!session.busy());
    assert_eq!(session.draft, "take your time", "the unacknowledged message is back in the composer");
    let stopped = session.thread.entries.last().expect("a notice");
    assert!(
        matches!(&stopped.kind, EntryKind::Failure { error, retry: Some(_) } if error.kind == ErrorKind::Aborted)
    );
    // The aborted fetch reports in late; nothing changes.
    let before = session.thread.clone();
    event(&mut session, turn, assistant_item("msg_late", "too late"));
    let fx = session.update(Input::StreamEnded { turn, end: StreamEnd::Aborted });
    assert_eq!(session.thread, before);
    assert!(fx.is_empty());
}

// --- Exactly once: a send cut short is checked before it goes again -------------------------

/// A message sent into a known conversation whose stream is cut before the server confirmed
/// the message: the session asks `items.list` before deciding.
fn cut_before_confirmation(session: &mut Session, text: &str) -> Vec<Effect> {
    let (turn, _) = stream(&session.update(Input::Submit { draft: text.into() })).expect("sent");
    if session.thread.id.is_none() {
        event(session, turn, thread_created());
    }
    let fx = session.update(Input::StreamEnded { turn, end: StreamEnd::Broken });
    assert!(session.busy(), "the turn stays open until the server says");
    assert!(!session.can_submit());
    let shown = session.thread.entries.last().map(|entry| &entry.kind);
    assert!(
        matches!(shown, Some(EntryKind::PendingUser(shown)) if shown == text),
        "the message stays in the log meanwhile"
    );
    assert_eq!(session.draft, "", "and out of the composer");
    fx
}

#[test]
fn a_cut_send_the_server_stored_joins_the_log_and_retry_answers_it_without_sending_it_again() {
    let mut session = ready();
    let fx = cut_before_confirmation(&mut session, "count me once");
    let turn = session.turn_id().expect("the turn is open");
    let late = event(&mut session, turn, assistant_item("msg_late", "ignored"));
    assert!(late.is_empty(), "nothing more from the cut stream");
    answer_check(&mut session, &fx, json!([stored(user_item("msg_u", "count me once"))]));
    assert!(!session.busy());
    assert_eq!(session.draft, "", "the server has it: it is not put back to be sent again");
    let ids: Vec<&str> = session.thread.entries.iter().map(|entry| entry.id.as_str()).collect();
    assert_eq!(ids[0], "msg_u", "the stored message is in the log, once");
    let failure = session.thread.entries.last().expect("the failure");
    assert!(
        matches!(&failure.kind, EntryKind::Failure { retry: Some(RetryTarget::RetryAfter(id)), .. } if id == "msg_u")
    );
    let fx = session.update(Input::Retry { entry_id: failure.id.clone() });
    let (_, body) = stream(&fx).expect("retried");
    assert_eq!(body["type"], "threads.retry_after_item");
    assert_eq!(body["params"]["item_id"], "msg_u");
}

#[test]
fn a_cut_send_the_server_never_stored_goes_back_to_the_composer_and_retry_sends_it() {
    let mut session = ready();
    let fx = cut_before_confirmation(&mut session, "lost on the way");
    answer_check(&mut session, &fx, json!([]));
    assert_eq!(session.draft, "lost on the way");
    let failure = session.thread.entries.last().expect("the failure");
    assert!(matches!(&failure.kind, EntryKind::Failure { retry: Some(RetryTarget::Resend(_)), .. }));
    let fx = session.update(Input::Retry { entry_id: failure.id.clone() });
    let (_, body) = stream(&fx).expect("sent again");
    assert_eq!(body["type"], "threads.add_user_message");
}

#[test]
fn a_cut_send_whose_reply_the_server_stored_ends_as_a_reply() {
    let mut session = ready();
    reply(&mut session, "first", "one");
    let fx = session.update(Input::Send { text: "second".into(), ticket: 3 });
    let (turn, _) = stream(&fx).expect("sent");
    let fx = session.update(Input::RequestFailed { turn, error: ChatError::network() });
    assert!(settled(&fx, 3).is_none(), "not settled while checking");
    // Newest first; the earlier message of the same text is known and not taken for it.
    let items = json!([
        stored(assistant_item("msg_a9", "two")),
        stored(user_item("msg_u9", "second")),
        stored(assistant_item("msg_a1", "one")),
        stored(user_item("msg_u1", "first"))
    ]);
    let fx = answer_check(&mut session, &fx, items);
    assert_eq!(settled(&fx, 3), Some(&Ok("two".to_owned())));
    let ids: Vec<&str> = session.thread.entries.iter().map(|entry| entry.id.as_str()).collect();
    assert_eq!(ids, ["msg_u1", "msg_a1", "msg_u9", "msg_a9"], "no failure row, nothing twice");
}

#[test]
fn a_send_refused_by_status_or_into_a_new_conversation_is_not_checked() {
    let mut session = ready();
    let (turn, _) = stream(&session.update(Input::Submit { draft: "new thread".into() })).expect("sent");
    let fx = session.update(Input::RequestFailed { turn, error: ChatError::network() });
    assert!(!session.busy(), "no conversation to look in: the text is back at once");
    assert!(!fx.iter().any(|effect| matches!(effect, Effect::Call { call: Some(Call::Check { .. }), .. })));
    reply(&mut session, "hello", "hi");
    let (turn, _) = stream(&session.update(Input::Submit { draft: "too fast".into() })).expect("sent");
    session.update(Input::RequestFailed { turn, error: rate_limited() });
    assert!(!session.busy(), "a 429 stored nothing");
    assert_eq!(session.draft, "too fast");
}

#[test]
fn stop_before_confirmation_checks_and_a_second_stop_cannot_give_the_message_back() {
    let mut session = ready();
    reply(&mut session, "hello", "hi");
    let (turn, _) = stream(&session.update(Input::Submit { draft: "wait".into() })).expect("sent");
    let fx = session.update(Input::Stop);
    assert!(fx.contains(&Effect::Abort { turn }));
    assert!(session.busy(), "checking whether the server has it");
    assert!(session.update(Input::StreamEnded { turn, end: StreamEnd::Aborted }).is_empty());
    assert!(session.update(Input::Stop).is_empty(), "a second Stop (a double click) does nothing");
    assert!(session.busy());
    answer_check(&mut session, &fx, json!([stored(user_item("msg_w", "wait"))]));
    assert!(!session.busy());
    assert_eq!(session.draft, "", "the server has it: not given back to be sent twice");
    let failure = session.thread.entries.last().expect("the stopped row");
    assert!(
        matches!(&failure.kind, EntryKind::Failure { error, retry: Some(RetryTarget::RetryAfter(id)) } if error.kind == ErrorKind::Aborted && id == "msg_w")
    );
}

#[test]
fn a_failed_send_goes_back_to_an_empty_composer_but_never_over_new_typing() {
    let mut session = ready();
    let fx = session.update(Input::Submit { draft: "is anyone there".into() });
    let (turn, _) = stream(&fx).expect("sent");
    session.update(Input::RequestFailed { turn, error: ChatError::network() });
    assert_eq!(session.draft, "is anyone there");
    let failure = session.thread.entries.last().expect("the error");
    assert!(matches!(failure.kind, EntryKind::Failure { retry: Some(RetryTarget::Resend(_)), .. }));

    let fx = session.update(Input::Submit { draft: "first".into() });
    let (turn, _) = stream(&fx).expect("sent");
    session.update(Input::Draft("typed meanwhile".into()));
    session.update(Input::RequestFailed { turn, error: ChatError::network() });
    assert_eq!(session.draft, "typed meanwhile");
}

#[test]
fn retry_of_an_unsent_message_sends_it_once_and_clears_it_from_the_composer() {
    let mut session = ready();
    let fx = session.update(Input::Submit { draft: "hello".into() });
    let (turn, _) = stream(&fx).expect("sent");
    session.update(Input::RequestFailed { turn, error: ChatError::network() });
    let failure = session.thread.entries.last().map(|e| e.id.clone()).expect("the error");
    let fx = session.update(Input::Retry { entry_id: failure });
    let (_, body) = stream(&fx).expect("sent again");
    assert_eq!(body["params"]["input"]["content"][0]["text"], "hello");
    assert!(fx.contains(&Effect::SetDraft(String::new())));
    let users = session.thread.entries.iter().filter(|e| matches!(e.kind, EntryKind::PendingUser(_))).count();
    assert_eq!(users, 1, "shown once");
}

#[test]
fn retry_of_a_stored_message_asks_the_server_to_answer_it_again() {
    let mut session = ready();
    let fx = session.update(Input::Submit { draft: "please fail".into() });
    let (turn, _) = stream(&fx).expect("sent");
    event(&mut session, turn, thread_created());
    event(&mut session, turn, user_item("msg_user", "please fail"));
    event(&mut session, turn, json!({"type": "error", "code": "stream.error", "allow_retry": true}));
    let fx = session.update(Input::StreamEnded { turn, end: StreamEnd::Complete });
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::Emit(ApiEvent::Error(error)) if error.kind == ErrorKind::Generation)));
    assert_eq!(session.draft, "", "the server has the message: the composer stays empty");
    let failure = session.thread.entries.last().map(|e| e.id.clone()).expect("the error");
    let fx = session.update(Input::Retry { entry_id: failure });
    let (_, body) = stream(&fx).expect("retried");
    assert_eq!(body["type"], "threads.retry_after_item");
    assert_eq!(body["params"]["item_id"], "msg_user");
}

#[test]
fn a_failure_keeps_its_retry_after_the_next_message_and_then_asks_again_at_the_end() {
    let mut session = ready();
    let (turn, _) = stream(&session.update(Input::Submit { draft: "first".into() })).expect("sent");
    event(&mut session, turn, thread_created());
    event(&mut session, turn, user_item("msg_first", "first"));
    event(&mut session, turn, json!({"type": "error", "code": "stream.error", "allow_retry": true}));
    session.update(Input::StreamEnded { turn, end: StreamEnd::Complete });
    let failure = session.thread.entries.last().map(|e| e.id.clone()).expect("the error");
    reply(&mut session, "second", "answer two");
    assert!(
        session.thread.entries.iter().any(|e| e.id == failure),
        "the failure stays with its Retry after the next message"
    );
    let fx = session.update(Input::Retry { entry_id: failure.clone() });
    let (_, body) = stream(&fx).expect("retried");
    // retry_after_item would delete "second" and its answer: the text is asked again instead.
    assert_eq!(body["type"], "threads.add_user_message");
    assert_eq!(body["params"]["input"]["content"][0]["text"], "first");
    assert!(!session.thread.entries.iter().any(|e| e.id == failure), "retried once: its row goes");
    assert!(session.thread.user_text("msg_u2").is_some(), "the later message stays");
}

#[test]
fn a_stored_messages_files_stay_with_it_and_its_retry_does_not_wait_for_uploads() {
    let mut session = ready();
    session.update(Input::Attach(vec![PickedFile { name: "notes.txt".into(), size: 19.0 }]));
    let key = session.uploads[0].key;
    session.update(Input::Uploaded { key, result: Some("atc_1".into()) });
    let (turn, _) = stream(&session.update(Input::Submit { draft: "see attached".into() })).expect("sent");
    event(&mut session, turn, thread_created());
    event(&mut session, turn, user_item("msg_user", "see attached"));
    session.update(Input::StreamEnded { turn, end: StreamEnd::Broken });
    assert!(session.uploads.is_empty(), "the server has the file: it would go twice");
    session.update(Input::Attach(vec![PickedFile { name: "later.txt".into(), size: 19.0 }]));
    let failure = session.thread.entries.last().map(|e| e.id.clone()).expect("the error");
    let fx = session.update(Input::Retry { entry_id: failure });
    let (_, body) = stream(&fx).expect("retried at once");
    assert_eq!(body["type"], "threads.retry_after_item");
    assert_eq!(session.uploads.len(), 1, "the new file stays in the composer");
}

#[test]
fn a_rate_limit_cools_down_the_composer_the_api_and_retry_alike() {
    let mut session = ready();
    let fx = session.update(Input::Submit { draft: "one more".into() });
    let (turn, _) = stream(&fx).expect("sent");
    let fx = session.update(Input::RequestFailed { turn, error: rate_limited() });
    let (cooldown, ms) = fx
        .iter()
        .find_map(|e| match e {
            Effect::Cooldown { cooldown, ms } => Some((*cooldown, *ms)),
            _ => None,
        })
        .expect("a cool-down");
    assert_eq!(ms, 5000, "Orcheo hides Retry-After: a backoff from 5 s");
    assert!(session.cooling_down);
    assert_eq!(session.draft, "one more");

    // The composer, Retry and OrcheoChat.send() all wait for the cool-down.
    assert!(!session.can_submit());
    assert!(stream(&session.update(Input::Submit { draft: "one more".into() })).is_none());
    let failure = session.thread.entries.last().map(|e| e.id.clone()).expect("the error");
    assert!(stream(&session.update(Input::Retry { entry_id: failure.clone() })).is_none());
    let fx = session.update(Input::Send { text: "sneaky".into(), ticket: 5 });
    assert!(stream(&fx).is_none(), "send() respects the cool-down");
    assert!(matches!(settled(&fx, 5), Some(Err(ChatError { kind: ErrorKind::RateLimited, .. }))));

    // A cool-down that was replaced does not end the current one.
    session.update(Input::CooldownOver { cooldown: cooldown + 1 });
    assert!(session.cooling_down);
    session.update(Input::CooldownOver { cooldown });
    assert!(!session.cooling_down);
    let fx = session.update(Input::Retry { entry_id: failure });
    assert_eq!(
        fx.iter().find_map(|e| match e {
            Effect::Stream { attempt, .. } => Some(*attempt),
            _ => None,
        }),
        Some(2),
        "the backoff grows"
    );
}

#[test]
fn a_message_sent_while_connecting_waits_in_the_composer_and_goes_once_ready() {
    let mut session = Session::new(config(), String::new(), true);
    let connection = resolve_connection(&session.update(Input::Connect));
    let fx = session.update(Input::Submit { draft: "Too quick".into() });
    assert!(stream(&fx).is_none());
    assert_eq!(session.draft, "Too quick", "it stays the stored draft until it goes");
    assert_eq!(session.waiting_message(), Some("Too quick"), "and shows as the visitor's message");
    assert!(
        matches!(session.waiting_entry().map(|e| e.kind), Some(EntryKind::PendingUser(text)) if text == "Too quick")
    );
    let fx = session.update(Input::Send { text: "from the API".into(), ticket: 2 });
    assert!(fx.is_empty(), "the API message waits too");
    session.update(Input::Resolved { connection, result: Ok(public("Echo")) });
    let fx = session.update(Input::StoreOpened {
        connection,
        snapshot: Snapshot::default(),
        fresh_visitor_id: VISITOR.into(),
    });
    let (turn, body) = stream(&fx).expect("the composer's message goes first");
    assert_eq!(body["params"]["input"]["content"][0]["text"], "Too quick");
    assert!(fx.contains(&Effect::SetDraft(String::new())));
    assert_eq!(session.waiting_message(), None, "it is in the log now, once");
    assert_eq!(session.thread.user_text("local-1"), Some("Too quick"));
    event(&mut session, turn, thread_created());
    event(&mut session, turn, assistant_item("msg_a", "Echo: Too quick"));
    let fx = session.update(Input::StreamEnded { turn, end: StreamEnd::Complete });
    let (turn, body) = stream(&fx).expect("then the API's");
    assert_eq!(body["params"]["input"]["content"][0]["text"], "from the API");
    event(&mut session, turn, assistant_item("msg_b", "Echo: from the API"));
    let fx = session.update(Input::StreamEnded { turn, end: StreamEnd::Complete });
    assert_eq!(settled(&fx, 2), Some(&Ok("Echo: from the API".into())));
}

// --- Conversations ---------------------------------------------------------------------------

#[test]
fn a_new_conversation_stops_the_reply_and_forgets_the_thread() {
    let mut session = ready();
    reply(&mut session, "first", "Echo: first");
    let fx = session.update(Input::Send { text: "slow".into(), ticket: 8 });
    let (turn, _) = stream(&fx).expect("sent");
    let fx = session.update(Input::NewThread);
    assert!(fx.contains(&Effect::Abort { turn }));
    assert!(matches!(settled(&fx, 8), Some(Err(ChatError { kind: ErrorKind::Aborted, .. }))));
    assert!(emitted(&fx).contains(&&ApiEvent::ResponseEnd {
        thread_id: Some("thr_1".into()),
        error: Some(ChatError::aborted().code)
    }));
    assert!(emitted(&fx).contains(&&ApiEvent::ThreadChange { thread_id: None }));
    let saved = last_persisted(&fx).expect("saved");
    assert_eq!((saved.thread_id.as_deref(), &saved.asked), (None, &Value::Null));
    assert!(session.thread.entries.is_empty());
    let fx = session.update(Input::Submit { draft: "fresh".into() });
    assert_eq!(stream(&fx).map(|(_, body)| body["type"].clone()), Some(json!("threads.create")));
}

#[test]
fn a_new_conversation_before_the_store_is_read_keeps_the_visitor_and_skips_the_restore() {
    let mut session = Session::new(config(), String::new(), true);
    let connection = resolve_connection(&session.update(Input::Connect));
    let fx = session.update(Input::NewThread);
    assert!(last_persisted(&fx).is_none(), "nothing is written over the stored snapshot");
    assert!(emitted(&fx).contains(&&ApiEvent::ThreadChange { thread_id: None }));
    session.update(Input::Resolved { connection, result: Ok(public("Echo")) });
    let fx = session.update(Input::StoreOpened {
        connection,
        snapshot: returning_visitor(),
        fresh_visitor_id: VISITOR.into(),
    });
    assert!(!fx.iter().any(|e| matches!(e, Effect::Call { .. })), "the old conversation is not restored");
    assert_eq!(session.status, Status::Ready);
    let saved = last_persisted(&fx).expect("saved once read");
    assert_eq!(saved.thread_id, None);
    assert_eq!(saved.visitor_id.as_deref(), Some("v_returning_visitor"));
    assert_eq!(saved.threads, vec!["thr_old".to_owned()], "the list still has it");
}

#[test]
fn a_new_conversation_while_one_is_restored_is_ready_at_once_and_drops_the_old_answer() {
    let mut session = Session::new(config(), String::new(), true);
    let connection = resolve_connection(&session.update(Input::Connect));
    session.update(Input::Resolved { connection, result: Ok(public("Echo")) });
    session.update(Input::StoreOpened {
        connection,
        snapshot: returning_visitor(),
        fresh_visitor_id: VISITOR.into(),
    });
    let restoring = session.generation();
    session.update(Input::Send { text: "waiting".into(), ticket: 3 });
    let fx = session.update(Input::NewThread);
    assert_eq!(session.status, Status::Ready);
    let (_, body) = stream(&fx).expect("the waiting message goes, into the new conversation");
    assert_eq!(body["type"], "threads.create");
    let page = json!({"data": [user_item("msg_1", "earlier")["item"]], "has_more": false});
    session.update(Input::Answered {
        call: Call::Restore { generation: restoring, thread_id: "thr_old".into() },
        result: Ok(page),
    });
    assert!(
        session.thread.entries.iter().all(|entry| entry.id != "msg_1"),
        "the old conversation's items do not appear"
    );
    assert_eq!(session.thread.entries.len(), 1, "only the message just sent");
}

#[test]
fn opening_or_deleting_a_conversation_waits_until_connected() {
    let mut session = Session::new(config(), String::new(), true);
    session.update(Input::Connect);
    assert!(session.update(Input::OpenThread { thread_id: "thr_x".into() }).is_empty());
    assert!(session.update(Input::DeleteThread { thread_id: "thr_x".into() }).is_empty());
    assert_eq!(session.status, Status::Connecting);
}

#[test]
fn a_message_sent_while_a_conversation_opens_waits_and_goes_into_it() {
    let mut session = ready();
    let fx = session.update(Input::OpenThread { thread_id: "thr_other".into() });
    assert_eq!(session.status, Status::Connecting);
    let call = fx.iter().find_map(|e| match e {
        Effect::Call { call: Some(call), .. } => Some(call.clone()),
        _ => None,
    });
    let fx = session.update(Input::Send { text: "about that".into(), ticket: 5 });
    assert!(stream(&fx).is_none(), "it waits for the conversation");
    let page = json!({"data": [user_item("msg_o1", "other")["item"]], "has_more": false});
    let fx = session.update(Input::Answered { call: call.expect("items.list"), result: Ok(page) });
    assert_eq!(session.status, Status::Ready);
    let (_, body) = stream(&fx).expect("then it goes");
    assert_eq!(body["type"], "threads.add_user_message");
    assert_eq!(body["params"]["thread_id"], "thr_other");
}

#[test]
fn a_conversation_that_cannot_be_opened_blocks_and_refuses_what_waited() {
    let mut session = ready();
    let fx = session.update(Input::OpenThread { thread_id: "thr_other".into() });
    let call = fx.iter().find_map(|e| match e {
        Effect::Call { call: Some(call), .. } => Some(call.clone()),
        _ => None,
    });
    session.update(Input::Send { text: "about that".into(), ticket: 6 });
    let forbidden = ChatError::from_http(403, Some(&json!({"detail": "Forbidden"})), None, 1);
    let fx = session.update(Input::Answered { call: call.expect("items.list"), result: Err(forbidden) });
    assert_eq!(session.status, Status::Blocked);
    assert!(matches!(settled(&fx, 6), Some(Err(_))), "the waiting send() is refused");
    // Another conversation can still be opened, or a new one started.
    session.update(Input::OpenThread { thread_id: "thr_1".into() });
    assert_eq!((session.status, session.blocked.is_none()), (Status::Connecting, true));
}

#[test]
fn deleting_the_conversation_being_opened_is_ready_at_once() {
    let mut session = ready();
    session.update(Input::OpenThread { thread_id: "thr_other".into() });
    session.update(Input::Send { text: "waiting".into(), ticket: 7 });
    let fx = session.update(Input::DeleteThread { thread_id: "thr_other".into() });
    assert_eq!(session.status, Status::Ready);
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::Call { call: None, body } if body["type"] == "threads.delete")));
    let (_, body) = stream(&fx).expect("the waiting message goes, into a new conversation");
    assert_eq!(body["type"], "threads.create");
}

#[test]
fn a_new_conversation_asked_for_before_a_reconnect_does_not_carry_over() {
    let mut session = Session::new(config(), String::new(), true);
    session.update(Input::Connect);
    session.update(Input::NewThread);
    let mut moved = session.config.clone();
    moved.backend = Some("https://orcheo.example".into());
    let connection = resolve_connection(&session.update(Input::Configure(Box::new(moved))));
    session.update(Input::Resolved { connection, result: Ok(public("Echo")) });
    let fx = session.update(Input::StoreOpened {
        connection,
        snapshot: returning_visitor(),
        fresh_visitor_id: VISITOR.into(),
    });
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Call { call: Some(Call::Restore { .. }), .. })),
        "the other workflow's conversation is restored"
    );
}

#[test]
fn switching_conversations_drops_the_answers_that_belong_to_the_old_one() {
    let mut session = ready();
    reply(&mut session, "first", "Echo: first");
    let fx = session.update(Input::Submit { draft: "still streaming".into() });
    let (old_turn, _) = stream(&fx).expect("sent");
    let old_generation = session.generation();
    let fx = session.update(Input::OpenThread { thread_id: "thr_other".into() });
    assert!(fx.contains(&Effect::Abort { turn: old_turn }));
    let call = fx.iter().find_map(|e| match e {
        Effect::Call { call: Some(call), .. } => Some(call.clone()),
        _ => None,
    });
    assert_eq!(call, Some(Call::Restore { generation: old_generation + 1, thread_id: "thr_other".into() }));
    // The old turn's stream and an old restore answer arrive after the switch.
    event(&mut session, old_turn, assistant_item("msg_stale", "stale"));
    session.update(Input::StreamEnded { turn: old_turn, end: StreamEnd::Complete });
    let stale_page = json!({"data": [assistant_item("msg_old", "old")["item"]], "has_more": false});
    session.update(Input::Answered {
        call: Call::Restore { generation: old_generation, thread_id: "thr_1".into() },
        result: Ok(stale_page),
    });
    assert!(session.thread.entries.is_empty(), "nothing from the old conversation");
    let page = json!({"data": [user_item("msg_o1", "other")["item"]], "has_more": false});
    session.update(Input::Answered {
        call: Call::Restore { generation: old_generation + 1, thread_id: "thr_other".into() },
        result: Ok(page),
    });
    assert_eq!(session.thread.id.as_deref(), Some("thr_other"));
    assert_eq!(session.thread.entries.len(), 1);
}

#[test]
fn the_conversation_list_shows_only_conversations_started_here_newest_first() {
    let mut session = ready();
    reply(&mut session, "first", "Echo: first");
    session.update(Input::NewThread);
    let fx = session.update(Input::Submit { draft: "second".into() });
    let (turn, _) = stream(&fx).expect("sent");
    event(
        &mut session,
        turn,
        json!({"type": "thread.created", "thread": {"id": "thr_2", "created_at": "2026-11-21T09:10:00Z", "status": {"type": "active"}, "items": {"data": [], "has_more": false}}}),
    );
    session.update(Input::StreamEnded { turn, end: StreamEnd::Broken });
    let fx = session.update(Input::ShowHistory(true));
    let (call, body) = fx
        .iter()
        .find_map(|e| match e {
            Effect::Call { call: Some(call), body } => Some((call.clone(), body.clone())),
            _ => None,
        })
        .expect("threads.list");
    assert_eq!(body["type"], "threads.list");
    let listed = json!({"data": [
        {"id": "thr_someone_else", "title": "Not mine", "created_at": "2026-11-21T09:11:00Z"},
        {"id": "thr_2", "title": "Second", "created_at": "2026-11-21T09:10:00Z"},
        {"id": "thr_1", "title": "First", "created_at": "2026-11-21T09:09:00Z"}
    ], "has_more": false});
    session.update(Input::Answered { call, result: Ok(listed) });
    let ids: Vec<&str> = session.history.threads.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["thr_2", "thr_1"]);

    let fx = session.update(Input::RenameThread { thread_id: "thr_1".into(), title: "  Renamed  ".into() });
    assert!(fx.iter().any(|e| matches!(e, Effect::Call { call: None, body } if body["type"] == "threads.update" && body["params"]["title"] == "Renamed")));
    assert_eq!(session.history.threads[1].title.as_deref(), Some("Renamed"));

    // Deleting the open conversation leaves it for a new one.
    let fx = session.update(Input::DeleteThread { thread_id: "thr_2".into() });
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::Call { call: None, body } if body["type"] == "threads.delete")));
    assert!(emitted(&fx).contains(&&ApiEvent::ThreadChange { thread_id: None }));
    assert_eq!(last_persisted(&fx).map(|s| s.threads.clone()), Some(vec!["thr_1".to_owned()]));
    assert_eq!(session.history.threads.len(), 1);
}

// --- Options ---------------------------------------------------------------------------------

#[test]
fn new_metadata_reaches_the_next_request_without_reconnecting() {
    let mut session = ready();
    let mut changed = session.config.clone();
    changed.metadata.insert("plan".into(), json!("pro"));
    changed.metadata.insert("workflow_id".into(), json!("forged"));
    changed.title = Some("Support".into());
    let fx = session.update(Input::Configure(Box::new(changed)));
    assert!(fx.is_empty(), "no reconnect");
    assert_eq!(session.status, Status::Ready);
    let fx = session.update(Input::Submit { draft: "hi".into() });
    let (_, body) = stream(&fx).expect("sent");
    assert_eq!(body["metadata"], json!({"workflow_id": WORKFLOW, "workflow_name": "Support", "plan": "pro"}));
}

#[test]
fn a_new_backend_or_workflow_reconnects_and_stops_the_old_reply() {
    let mut session = ready();
    let fx = session.update(Input::Submit { draft: "hi".into() });
    let (turn, _) = stream(&fx).expect("sent");
    let mut moved = session.config.clone();
    moved.backend = Some("https://orcheo.example".into());
    let fx = session.update(Input::Configure(Box::new(moved)));
    assert!(fx.contains(&Effect::Abort { turn }));
    assert!(fx
        .iter()
        .any(|e| matches!(e, Effect::Resolve { backend, .. } if backend == "https://orcheo.example")));
    assert_eq!(session.status, Status::Connecting);
}

#[test]
fn options_given_before_the_first_connection_wait_for_it() {
    let mut session = Session::new(Config::default(), String::new(), false);
    assert!(session.update(Input::Configure(Box::new(config()))).is_empty());
    assert!(session.update(Input::Connect).iter().any(|e| matches!(e, Effect::Resolve { .. })));
}

// --- Attachments -----------------------------------------------------------------------------

#[test]
fn uploaded_files_go_with_the_next_message_and_come_back_if_it_fails() {
    let mut session = ready();
    let fx = session.update(Input::Attach(vec![
        PickedFile { name: "notes.txt".into(), size: 19.0 },
        PickedFile { name: "big.txt".into(), size: 5_000_001.0 },
    ]));
    assert!(fx.iter().any(|e| matches!(e, Effect::Warn(w) if w.contains("big.txt"))));
    assert_eq!(
        fx.iter().filter(|e| matches!(e, Effect::Upload { index: 0, .. })).count(),
        1,
        "only the small one uploads"
    );
    let key = session.uploads[0].key;
    assert!(!session.can_submit() || session.draft.is_empty());
    let fx = session.update(Input::Submit { draft: "see attached".into() });
    assert!(stream(&fx).is_none(), "Send waits for the upload");
    session.update(Input::Uploaded { key, result: Some("atc_1".into()) });
    let failed = session.uploads[1].key;
    session.update(Input::Detach { key: failed });
    let fx = session.update(Input::Submit { draft: "see attached".into() });
    let (turn, body) = stream(&fx).expect("sent");
    assert_eq!(body["params"]["input"]["attachments"], json!(["atc_1"]));
    assert!(session.uploads.is_empty());
    session.update(Input::RequestFailed { turn, error: ChatError::network() });
    assert_eq!(session.uploads.len(), 1, "the file is back with the text");
    assert_eq!(session.draft, "see attached");
}

#[test]
fn a_file_picked_while_connecting_uploads_once_connected_and_not_after_a_reconnect() {
    let mut session = Session::new(config(), String::new(), true);
    let connection = resolve_connection(&session.update(Input::Connect));
    let fx = session.update(Input::Attach(vec![PickedFile { name: "early.txt".into(), size: 19.0 }]));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Upload { index: 0, .. })),
        "the glue holds it until connected"
    );
    assert_eq!(session.uploads[0].state, UploadState::Uploading);
    let fx = session.update(Input::Resolved { connection, result: Ok(public("Echo")) });
    open_fresh_store(&mut session, &fx);
    let key = session.uploads[0].key;
    session.update(Input::Uploaded { key, result: Some("atc_early".into()) });
    assert_eq!(session.uploads[0].state, UploadState::Ready("atc_early".into()));

    let mut moved = session.config.clone();
    moved.backend = Some("https://orcheo.example".into());
    let fx = session.update(Input::Configure(Box::new(moved)));
    assert!(fx.contains(&Effect::Disconnect), "nothing goes to the old backend, and held files are dropped");
    assert!(session.uploads.is_empty(), "files stored by the old backend mean nothing to the new one");
}

#[test]
fn a_failed_messages_files_come_back_even_when_the_visitor_typed_meanwhile() {
    let mut session = ready();
    session.update(Input::Attach(vec![PickedFile { name: "notes.txt".into(), size: 19.0 }]));
    let key = session.uploads[0].key;
    session.update(Input::Uploaded { key, result: Some("atc_1".into()) });
    let (turn, _) = stream(&session.update(Input::Submit { draft: "see attached".into() })).expect("sent");
    session.update(Input::Draft("something else".into()));
    session.update(Input::RequestFailed { turn, error: ChatError::network() });
    assert_eq!(session.draft, "something else");
    assert_eq!(session.uploads.len(), 1, "the file is not lost");
}

#[test]
fn retry_waits_while_a_file_is_still_uploading() {
    let mut session = ready();
    let (turn, _) = stream(&session.update(Input::Submit { draft: "hello".into() })).expect("sent");
    session.update(Input::RequestFailed { turn, error: ChatError::network() });
    let failure = session.thread.entries.last().expect("the error").id.clone();
    session.update(Input::Attach(vec![PickedFile { name: "notes.txt".into(), size: 19.0 }]));
    let fx = session.update(Input::Retry { entry_id: failure.clone() });
    assert!(stream(&fx).is_none(), "not while the file uploads");
    let key = session.uploads[0].key;
    session.update(Input::Uploaded { key, result: Some("atc_1".into()) });
    let fx = session.update(Input::Retry { entry_id: failure });
    let (_, body) = stream(&fx).expect("then it goes");
    assert_eq!(body["params"]["input"]["attachments"], json!(["atc_1"]));
}

#[test]
fn widget_actions_and_start_prompts_start_turns_only_when_one_can_start() {
    let mut with_prompts = config();
    with_prompts.prompts = Some(vec![Prompt { label: "Say hi".into(), prompt: "Hello there".into() }]);
    let mut session = ready_with(with_prompts);
    let fx = session.update(Input::Prompt { index: 0 });
    let (turn, body) = stream(&fx).expect("the prompt goes");
    assert_eq!(body["params"]["input"]["content"][0]["text"], "Hello there");
    let fx =
        session.update(Input::Action { item_id: Some("wdg_1".into()), action: json!({"type": "choose"}) });
    assert!(stream(&fx).is_none(), "one turn at a time");
    event(&mut session, turn, thread_created());
    let fx = session.update(Input::StreamEnded { turn, end: StreamEnd::Complete });
    answer_check(&mut session, &fx, json!([]));
    let fx =
        session.update(Input::Action { item_id: Some("wdg_1".into()), action: json!({"type": "choose"}) });
    let (_, body) = stream(&fx).expect("the action goes");
    assert_eq!(body["type"], "threads.custom_action");
    assert_eq!(body["params"]["item_id"], "wdg_1");
}

#[test]
fn the_live_region_reads_the_rendered_text_and_at_most_a_thousand_characters_of_it() {
    assert_eq!(announcement("Short reply"), "Short reply");
    assert_eq!(announcement("**Done**: see [the guide](https://x.y)."), "Done: see the guide.");
    let long = "é".repeat(ANNOUNCEMENT_MAX_CHARS + 500);
    let read = announcement(&long);
    assert_eq!(read.chars().count(), ANNOUNCEMENT_MAX_CHARS + 1);
    assert!(read.ends_with('…'));
    assert_eq!(announcement(&"é".repeat(ANNOUNCEMENT_MAX_CHARS)), "é".repeat(ANNOUNCEMENT_MAX_CHARS));
}

#[test]
fn thumbs_on_a_reply_go_to_the_server_once_per_change_of_mind_and_are_remembered() {
    let mut session = ready();
    reply(&mut session, "hi", "hello");
    let fx = session.update(Input::Feedback { item_id: "msg_a1".into(), positive: false });
    let body = fx.iter().find_map(|e| match e {
        Effect::Call { call: None, body } => Some(body),
        _ => None,
    });
    let body = body.expect("items.feedback");
    assert_eq!(
        (body["type"].as_str(), body["params"]["kind"].as_str()),
        (Some("items.feedback"), Some("negative"))
    );
    assert_eq!(body["params"]["item_ids"], json!(["msg_a1"]));
    assert_eq!(last_persisted(&fx).map(|s| s.feedback.clone()), Some(json!({"msg_a1": false})));
    assert!(emitted(&fx).iter().any(|e| matches!(e, ApiEvent::Feedback { positive: false, .. })));
    assert!(
        session.update(Input::Feedback { item_id: "msg_a1".into(), positive: false }).is_empty(),
        "no change"
    );
    let fx = session.update(Input::Feedback { item_id: "msg_a1".into(), positive: true });
    assert_eq!(session.feedback(), [("msg_a1".to_owned(), true)]);
    assert!(last_persisted(&fx).is_some());
}

/// The `Call` and body of the JSON request among `fx`.
fn call(fx: &[Effect]) -> Option<(Call, Value)> {
    fx.iter().find_map(|e| match e {
        Effect::Call { call: Some(call), body } => Some((call.clone(), body.clone())),
        _ => None,
    })
}

fn thread_page(ids: std::ops::Range<u32>, more: bool) -> Value {
    let data: Vec<Value> = ids
        .clone()
        .rev()
        .map(|n| json!({"id": format!("thr_{n}"), "created_at": "2026-11-21T09:10:00Z"}))
        .collect();
    let mut page = json!({"data": data, "has_more": more});
    if more {
        page["after"] = json!(format!("thr_{}", ids.start));
    }
    page
}

#[test]
fn the_list_pages_through_every_conversation_known_here_and_forgets_only_what_the_server_lost() {
    let mut snapshot = returning_visitor();
    snapshot.threads = (0..70).rev().map(|n| format!("thr_{n}")).collect();
    snapshot.thread_id = None;
    let mut session = ready_with_snapshot(snapshot);
    let (first, body) = call(&session.update(Input::ShowHistory(true))).expect("threads.list");
    assert_eq!((body["params"]["limit"].as_u64(), &body["params"]["after"]), (Some(50), &Value::Null));
    // The server lost thr_0..thr_4: it lists thr_69 down to thr_20, then thr_19 down to thr_5.
    let fx = session.update(Input::Answered { call: first, result: Ok(thread_page(20..70, true)) });
    assert!(last_persisted(&fx).is_none(), "nothing is forgotten from a partial list");
    assert_eq!((session.history.threads.len(), session.history.more), (50, true));
    let (second, body) = call(&session.update(Input::MoreThreads)).expect("the next page");
    assert_eq!(body["params"]["after"], "thr_20");
    assert!(call(&session.update(Input::MoreThreads)).is_none(), "one page at a time");
    let fx = session.update(Input::Answered { call: second, result: Ok(thread_page(5..20, false)) });
    assert_eq!((session.history.threads.len(), session.history.more), (65, false));
    assert_eq!(session.history.threads.last().map(|t| t.id.as_str()), Some("thr_5"));
    let kept = last_persisted(&fx).map(|s| s.threads.len());
    assert_eq!(kept, Some(65), "the five the server no longer knows are forgotten, no others");
}

#[test]
fn a_list_answer_to_an_older_request_is_dropped() {
    let mut snapshot = returning_visitor();
    snapshot.threads = vec!["thr_1".into(), "thr_2".into()];
    let mut session = ready_with_snapshot(snapshot);
    let (old, _) = call(&session.update(Input::ShowHistory(true))).expect("threads.list");
    session.update(Input::ShowHistory(false));
    let (new, _) = call(&session.update(Input::ShowHistory(true))).expect("threads.list again");
    session.update(Input::Answered { call: new, result: Ok(thread_page(1..3, false)) });
    session.update(Input::Answered { call: old, result: Ok(thread_page(1..2, false)) });
    assert_eq!(session.history.threads.len(), 2);
}

#[test]
fn earlier_messages_arrive_in_front_of_the_restored_ones() {
    let (mut session, fx) = with_snapshot(returning_visitor());
    let items: Vec<Value> =
        (50..100).rev().map(|n| user_item(&format!("msg_{n}"), &format!("m{n}"))["item"].clone()).collect();
    let (restore, _) = call(&fx).expect("items.list");
    let fx = session.update(Input::Answered {
        call: restore,
        result: Ok(json!({"data": items, "has_more": true, "after": "msg_50"})),
    });
    let loads: Vec<_> =
        emitted(&fx).into_iter().filter(|e| matches!(e, ApiEvent::ThreadLoad { .. })).collect();
    assert_eq!(loads, [&ApiEvent::ThreadLoad { thread_id: "thr_old".into(), done: true }]);
    assert_eq!(session.thread.entries.len(), 50);
    let (earlier, body) = call(&session.update(Input::Earlier)).expect("items.list");
    assert_eq!(
        (body["type"].as_str(), body["params"]["after"].as_str()),
        (Some("items.list"), Some("msg_50"))
    );
    let older: Vec<Value> =
        (0..50).rev().map(|n| user_item(&format!("msg_{n}"), &format!("m{n}"))["item"].clone()).collect();
    session.update(Input::Answered { call: earlier, result: Ok(json!({"data": older, "has_more": false})) });
    assert_eq!(session.thread.entries.len(), 100);
    assert_eq!(session.thread.entries[0].id, "msg_0");
    assert_eq!(session.thread.older_cursor, None);
    assert!(call(&session.update(Input::Earlier)).is_none(), "nothing older");
}

#[test]
fn set_thread_id_before_the_store_is_read_restores_that_conversation() {
    let mut session = Session::new(config(), String::new(), false);
    let connection = resolve_connection(&session.update(Input::Connect));
    session.update(Input::Resolved { connection, result: Ok(public("Echo")) });
    assert!(session.update(Input::OpenThread { thread_id: "thr_wanted".into() }).is_empty());
    let fx = session.update(Input::StoreOpened {
        connection,
        snapshot: returning_visitor(),
        fresh_visitor_id: VISITOR.into(),
    });
    let (_, body) = call(&fx).expect("items.list");
    assert_eq!(body["params"]["thread_id"], "thr_wanted", "not the stored thr_old");
    assert_eq!(
        last_persisted(&fx).map(|s| s.threads.clone()),
        Some(vec!["thr_wanted".to_owned(), "thr_old".to_owned()])
    );
}

#[test]
fn a_custom_action_from_the_api_goes_without_a_widget_item() {
    let mut session = ready();
    reply(&mut session, "hi", "hello");
    let fx = session
        .update(Input::Action { item_id: None, action: json!({"type": "refresh", "payload": {"n": 1}}) });
    let (_, body) = stream(&fx).expect("threads.custom_action");
    assert_eq!(body["type"], "threads.custom_action");
    assert_eq!(body["params"]["action"]["type"], "refresh");
    assert_eq!(body["params"].get("item_id").cloned().unwrap_or(Value::Null), Value::Null);
}

#[test]
fn a_client_effect_reaches_the_host_page_as_an_effect_event() {
    let mut session = ready();
    let (turn, _) = stream(&session.update(Input::Submit { draft: "go".into() })).expect("sent");
    let fx = event(
        &mut session,
        turn,
        json!({"type": "client_effect", "name": "navigate", "data": {"to": "/pricing"}}),
    );
    assert_eq!(
        emitted(&fx),
        [&ApiEvent::Effect { name: "navigate".into(), data: json!({"to": "/pricing"}) }]
    );
}

#[test]
fn the_chosen_model_goes_with_every_message_and_a_restored_conversation_keeps_its_own() {
    let mut config = config();
    config.model = Some("small".into());
    let mut session = Session::new(config, String::new(), false);
    let connection = resolve_connection(&session.update(Input::Connect));
    let model =
        |id: &str, default: bool| crate::protocol::Model { id: id.into(), label: id.to_uppercase(), default };
    let workflow =
        PublicWorkflow { models: vec![model("small", false), model("large", true)], ..public("Echo") };
    session.update(Input::Resolved { connection, result: Ok(workflow) });
    let fx = session.update(Input::StoreOpened {
        connection,
        snapshot: returning_visitor(),
        fresh_visitor_id: VISITOR.into(),
    });
    let (restore, _) = call(&fx).expect("items.list");
    assert_eq!(session.model.as_deref(), Some("small"), "data-model while nothing says otherwise");
    let mut asked = user_item("msg_1", "earlier")["item"].clone();
    asked["inference_options"] = json!({"model": "large"});
    session
        .update(Input::Answered { call: restore, result: Ok(json!({"data": [asked], "has_more": false})) });
    assert_eq!(session.model.as_deref(), Some("large"), "the conversation's own model");
    session.update(Input::Model("unknown".into()));
    assert_eq!(session.model.as_deref(), Some("large"), "only an offered model");
    session.update(Input::Model("small".into()));
    let fx = session.update(Input::Submit { draft: "hi".into() });
    let (_, body) = stream(&fx).expect("sent");
    assert_eq!(body["params"]["input"]["inference_options"], json!({"model": "small"}));
    session.update(Input::NewThread);
    assert_eq!(session.model.as_deref(), Some("small"));
}

#[test]
fn supported_models_are_read_from_public_without_the_disabled_ones() {
    let workflow = PublicWorkflow::from_json(&json!({"id": WORKFLOW, "chatkit": {"supported_models": [
        {"id": "a", "label": "Fast"}, {"id": "b", "disabled": true}, {"id": "c", "default": true}, {"label": "no id"}
    ]}}));
    let workflow = workflow.expect("decoded");
    let ids: Vec<(&str, &str)> = workflow.models.iter().map(|m| (m.id.as_str(), m.label.as_str())).collect();
    assert_eq!(ids, [("a", "Fast"), ("c", "c")]);
    assert_eq!(workflow.default_model(None).as_deref(), Some("c"));
    assert_eq!(workflow.default_model(Some("b")).as_deref(), Some("c"), "a disabled model is not offered");
    let none = PublicWorkflow::from_json(&json!({"id": WORKFLOW, "chatkit": {"supported_models": null}}));
    assert_eq!(none.map(|w| w.default_model(Some("a"))), Ok(None));
}

#[test]
fn a_locked_thread_refuses_messages_with_the_servers_reason() {
    let mut session = ready();
    reply(&mut session, "hi", "hello");
    let (turn, _) = stream(&session.update(Input::Submit { draft: "lock it".into() })).expect("sent");
    event(
        &mut session,
        turn,
        json!({"type": "thread.updated", "thread": {"id": "thr_1", "created_at": "2026-11-21T09:09:49Z",
        "status": {"type": "locked", "reason": "Support closed this chat."}, "items": {"data": [], "has_more": false}}}),
    );
    event(&mut session, turn, assistant_item("msg_bye", "Bye"));
    session.update(Input::StreamEnded { turn, end: StreamEnd::Complete });
    assert_eq!(session.thread.closed.as_deref(), Some("Support closed this chat."));
    assert!(!session.can_start_turn());
    session.update(Input::Draft("still there?".into()));
    assert!(!session.can_submit());
    let fx = session.update(Input::Send { text: "api".into(), ticket: 9 });
    assert!(stream(&fx).is_none());
    let refused = settled(&fx, 9)
        .and_then(|result| result.as_ref().err())
        .map(|e| (e.code.clone(), e.server_message.clone()));
    assert_eq!(refused, Some(("thread_closed".into(), Some("Support closed this chat.".into()))));
    session.update(Input::NewThread);
    assert!(session.can_start_turn(), "a new conversation is open again");
}

#[test]
fn show_history_before_the_store_is_read_lists_once_ready() {
    let mut session = Session::new(config(), String::new(), false);
    let connection = resolve_connection(&session.update(Input::Connect));
    session.update(Input::Resolved { connection, result: Ok(public("Echo")) });
    assert!(call(&session.update(Input::ShowHistory(true))).is_none(), "nothing can go yet");
    let snapshot = Snapshot { thread_id: None, ..returning_visitor() };
    let fx = session.update(Input::StoreOpened { connection, snapshot, fresh_visitor_id: VISITOR.into() });
    let (_, body) = call(&fx).expect("threads.list once ready");
    assert_eq!(body["type"], "threads.list");
}

#[test]
fn the_list_asks_for_a_few_empty_pages_at_most_and_never_the_same_one_twice() {
    let mut snapshot = returning_visitor();
    snapshot.threads = vec!["thr_mine".into()];
    let mut session = ready_with_snapshot(snapshot);
    let (mut next, _) = call(&session.update(Input::ShowHistory(true))).expect("threads.list");
    let mut asked = 1;
    // Every page holds only other visitors' conversations.
    for n in 0..20 {
        let page = json!({"data": [{"id": format!("thr_other{n}"), "created_at": "2026-11-21T09:10:00Z"}], "has_more": true, "after": format!("thr_other{n}")});
        match call(&session.update(Input::Answered { call: next.clone(), result: Ok(page) })) {
            Some((call, _)) => {
                next = call;
                asked += 1;
            }
            None => break,
        }
    }
    assert_eq!(asked, 1 + 5, "the first page and five empty ones");
    assert!(session.history.more, "the visitor can still ask for more");
    let fx = session.update(Input::MoreThreads);
    let (again, _) = call(&fx).expect("on request");
    let same = json!({"data": [], "has_more": true, "after": "thr_other5"});
    session.update(Input::Answered { call: again, result: Ok(same) });
    assert!(!session.history.more, "a cursor that does not move ends the list");
}

#[test]
fn a_restore_cut_short_still_ends_for_the_embedder_and_a_reconnect_forgets_the_list() {
    let (mut session, fx) = with_snapshot(returning_visitor());
    assert!(emitted(&fx).contains(&&ApiEvent::ThreadLoad { thread_id: "thr_old".into(), done: false }));
    let fx = session.update(Input::NewThread);
    assert!(emitted(&fx).contains(&&ApiEvent::ThreadLoad { thread_id: "thr_old".into(), done: true }));
    let (list, _) = call(&session.update(Input::ShowHistory(true))).expect("threads.list");
    let listed =
        json!({"data": [{"id": "thr_old", "created_at": "2026-11-21T09:10:00Z"}], "has_more": false});
    session.update(Input::Answered { call: list, result: Ok(listed) });
    assert_eq!(session.history.threads.len(), 1);
    let mut moved = session.config.clone();
    moved.workflow = Some(crate::config::WorkflowRef::Id("0b1f4a4e-1111-4222-8333-944455556666".into()));
    session.update(Input::Configure(Box::new(moved)));
    assert!(session.history.threads.is_empty(), "the other workflow's list is not shown");
}

// --- What a ChatKit server asks of the page --------------------------------------------------

fn widget_item(id: &str) -> Value {
    json!({"type": "thread.item.done", "item": {"id": id, "thread_id": "thr_1", "created_at": "2026-11-21T09:09:50Z",
        "type": "widget", "widget": {"type": "Card", "children": [{"type": "Text", "value": "before"}]}}})
}

fn tool_call(id: &str) -> Value {
    json!({"type": "thread.item.done", "item": {"id": id, "thread_id": "thr_1", "created_at": "2026-11-21T09:09:51Z",
        "type": "client_tool_call", "status": "pending", "call_id": "call_1", "name": "get_location", "arguments": {"precise": true}}})
}

/// A turn whose reply ends with `last` (after a widget item).
fn turn_ending_with(session: &mut Session, last: Value) -> Vec<Effect> {
    let fx = session.update(Input::Submit { draft: "hi".into() });
    let (turn, _) = stream(&fx).expect("the message goes");
    event(session, turn, thread_created());
    event(session, turn, user_item("msg_u", "hi"));
    event(session, turn, widget_item("msg_w"));
    event(session, turn, last);
    session.update(Input::StreamEnded { turn, end: StreamEnd::Complete })
}

#[test]
fn a_sync_widget_action_goes_as_json_while_a_reply_streams_and_replaces_its_widget() {
    let mut session = ready();
    turn_ending_with(&mut session, assistant_item("msg_a", "ok"));
    // A reply streams; a sync action still goes.
    let streaming = session.update(Input::Submit { draft: "more".into() });
    assert!(stream(&streaming).is_some());
    let fx =
        session.update(Input::SyncAction { item_id: Some("msg_w".into()), action: json!({"type": "flip"}) });
    let (call, body) = fx
        .iter()
        .find_map(|effect| match effect {
            Effect::Call { call: Some(call @ Call::Sync { .. }), body } => Some((call.clone(), body.clone())),
            _ => None,
        })
        .expect("threads.sync_custom_action");
    assert_eq!(body["type"], "threads.sync_custom_action");
    assert_eq!(body["params"], json!({"thread_id": "thr_1", "item_id": "msg_w", "action": {"type": "flip"}}));
    assert_eq!(session.syncing, ["msg_w"]);
    let again =
        session.update(Input::SyncAction { item_id: Some("msg_w".into()), action: json!({"type": "flip"}) });
    assert!(again.iter().all(|effect| !matches!(effect, Effect::Call { .. })), "one at a time per widget");
    let updated = json!({"updated_item": {"id": "msg_w", "thread_id": "thr_1", "created_at": "2026-11-21T09:09:50Z", "type": "widget",
        "widget": {"type": "Card", "children": [{"type": "Text", "value": "after"}]}}});
    session.update(Input::Answered { call, result: Ok(updated) });
    assert!(session.syncing.is_empty());
    let widget =
        session.thread.entries.iter().find(|entry| entry.id == "msg_w").map(|entry| entry.kind.clone());
    assert!(
        matches!(widget, Some(EntryKind::Item { body: ItemBody::Widget { ref widget, .. }, .. }) if widget["children"][0]["value"] == "after")
    );
}

#[test]
fn a_failed_sync_action_is_shown_and_reported() {
    let mut session = ready();
    turn_ending_with(&mut session, assistant_item("msg_a", "ok"));
    let fx =
        session.update(Input::SyncAction { item_id: Some("msg_w".into()), action: json!({"type": "flip"}) });
    let call = fx.iter().find_map(|effect| match effect {
        Effect::Call { call: Some(call), .. } => Some(call.clone()),
        _ => None,
    });
    let fx =
        session.update(Input::Answered { call: call.expect("a call"), result: Err(ChatError::network()) });
    assert_eq!(session.thread.last_failure().map(|error| error.kind), Some(ErrorKind::Network));
    assert!(emitted(&fx).iter().any(|event| matches!(event, ApiEvent::Error(_))));
}

#[test]
fn a_client_tool_call_is_asked_once_and_its_output_goes_back() {
    let mut session = ready();
    let fx = turn_ending_with(&mut session, tool_call("ctc_1"));
    let asked: Vec<_> = fx.iter().filter(|effect| matches!(effect, Effect::ClientTool { .. })).collect();
    assert_eq!(
        asked,
        [&Effect::ClientTool {
            item_id: "ctc_1".into(),
            name: "get_location".into(),
            params: json!({"precise": true})
        }]
    );
    let fx =
        session.update(Input::ToolResult { item_id: "ctc_1".into(), result: Ok(json!({"city": "Oslo"})) });
    let (turn, body) = stream(&fx).expect("the output goes");
    assert_eq!(body["type"], "threads.add_client_tool_output");
    assert_eq!(body["params"], json!({"thread_id": "thr_1", "result": {"city": "Oslo"}}));
    // The answer a second time (a handler resolving twice) sends nothing more.
    assert!(stream(&session.update(Input::ToolResult { item_id: "ctc_1".into(), result: Ok(json!({})) }))
        .is_none());
    event(
        &mut session,
        turn,
        json!({"type": "thread.item.done", "item": {"id": "ctc_1", "thread_id": "thr_1", "created_at": "2026-11-21T09:09:51Z",
        "type": "client_tool_call", "status": "completed", "call_id": "call_1", "name": "get_location", "arguments": {}, "output": {"city": "Oslo"}}}),
    );
    event(&mut session, turn, assistant_item("msg_a2", "You are in Oslo."));
    let fx = session.update(Input::StreamEnded { turn, end: StreamEnd::Complete });
    assert!(
        fx.iter().all(|effect| !matches!(effect, Effect::ClientTool { .. })),
        "answered: not asked again"
    );
    assert_eq!(session.announcement, "You are in Oslo.");
}

#[test]
fn a_client_tool_the_page_cannot_run_is_shown_and_the_server_is_told_why() {
    let mut session = ready();
    turn_ending_with(&mut session, tool_call("ctc_1"));
    let fx = session
        .update(Input::ToolResult { item_id: "ctc_1".into(), result: Err("no handler is set".into()) });
    assert_eq!(session.thread.last_failure().map(|error| error.kind), Some(ErrorKind::ClientTool));
    assert!(fx.iter().any(|effect| matches!(effect, Effect::ConsoleError(message) if message.contains("get_location") && message.contains("no handler"))));
    let (_, body) = stream(&fx).expect("the assistant goes on without it");
    assert_eq!(body["params"]["result"], json!({"error": "no handler is set"}));
}

#[test]
fn while_the_page_runs_a_client_tool_the_conversation_waits_and_stop_tells_the_assistant() {
    let mut session = ready();
    turn_ending_with(&mut session, tool_call("ctc_1"));
    // The reply waits for the page: nothing else may start, or the tool's answer would be lost.
    assert!(session.busy());
    assert!(!session.can_submit());
    let fx = session.update(Input::Send { text: "are you there?".into(), ticket: 4 });
    assert!(stream(&fx).is_none());
    assert!(matches!(settled(&fx, 4), Some(Err(ChatError { kind: ErrorKind::Busy, .. }))));
    // Stop: the assistant hears the visitor stopped the tool; the page's late answer is dropped.
    let fx = session.update(Input::Stop);
    let (_, body) = stream(&fx).expect("the assistant is told");
    assert_eq!(body["params"]["result"], json!({"error": "the visitor stopped it"}));
    assert_eq!(session.thread.last_failure().map(|error| error.kind), Some(ErrorKind::Aborted));
    let late =
        session.update(Input::ToolResult { item_id: "ctc_1".into(), result: Ok(json!({"city": "Oslo"})) });
    assert!(stream(&late).is_none(), "one answer only");
}

#[test]
fn a_new_conversation_while_the_page_runs_a_client_tool_drops_its_answer() {
    let mut session = ready();
    turn_ending_with(&mut session, tool_call("ctc_1"));
    session.update(Input::NewThread);
    assert!(!session.busy(), "the new conversation does not wait for the old one's tool");
    let late = session.update(Input::ToolResult { item_id: "ctc_1".into(), result: Ok(json!({})) });
    assert!(stream(&late).is_none());
    assert!(session.can_start_turn());
}

#[test]
fn structured_input_answers_go_with_threads_add_structured_input() {
    let mut session = ready();
    turn_ending_with(
        &mut session,
        json!({"type": "thread.item.done", "item": {"id": "si_1", "thread_id": "thr_1", "created_at": "2026-11-21T09:09:51Z",
        "type": "structured_input", "status": "pending", "inputs": [
            {"type": "multiple_choice", "id": "lang", "question": "Which?", "options": [{"value": "Rust"}, {"value": "Go"}]}]}}),
    );
    let questions = session.thread.entries.iter().find_map(|entry| match &entry.kind {
        EntryKind::Item { body: ItemBody::StructuredInput(item), .. } => {
            Some(crate::protocol::Questions::from_json(item))
        }
        _ => None,
    });
    let input = questions
        .expect("the questions are shown")
        .answer(&[("lang".into(), vec!["Go".into(), "Rust".into()])], false);
    let fx = session.update(Input::Answer { item_id: "si_1".into(), input });
    let (turn, body) = stream(&fx).expect("the answers go");
    assert_eq!(body["type"], "threads.add_structured_input");
    assert_eq!(
        body["params"],
        json!({"thread_id": "thr_1", "item_id": "si_1", "input": {"status": "answered", "answers": {"lang": {"values": ["Go"], "skipped": false}}}})
    );
    // A cut before anything came back: Retry sends the same answers.
    let fx = session.update(Input::RequestFailed { turn, error: ChatError::network() });
    assert!(!fx.is_empty());
    let retry = session
        .thread
        .entries
        .iter()
        .rev()
        .find(|entry| matches!(entry.kind, EntryKind::Failure { .. }))
        .map(|entry| entry.id.clone());
    let fx = session.update(Input::Retry { entry_id: retry.expect("a failure with Retry") });
    assert_eq!(stream(&fx).map(|(_, body)| body["params"].clone()), Some(body["params"].clone()));
}

// --- Leaving the page while the assistant works ----------------------------------------------

const NOW: f64 = 1_765_000_000_000.0;

fn asked(item_id: Option<&str>, text: Option<&str>, seconds_ago: f64) -> Asked {
    Asked {
        thread_id: Some("thr_1".into()),
        item_id: item_id.map(str::to_owned),
        text: text.map(str::to_owned),
        after: Some("msg_a0".into()),
        at: NOW - seconds_ago * 1000.0,
        resumed: false,
    }
}

/// A new page whose snapshot holds conversation `thr_1` and the note `asked`, after the server
/// answered its restore with `items` (newest first), at [`NOW`]: the session and the effects of
/// the restore's answer.
fn next_page(asked: &Asked, items: Value) -> (Session, Vec<Effect>) {
    let snapshot = Snapshot {
        thread_id: asked.thread_id.clone(),
        threads: asked.thread_id.iter().cloned().collect(),
        asked: asked.to_value(),
        ..returning_visitor()
    };
    let mut session = Session::new(config(), String::new(), true);
    let connection = resolve_connection(&session.update_at(Input::Connect, NOW));
    session.update_at(Input::Resolved { connection, result: Ok(public("Echo")) }, NOW);
    let fx =
        session.update_at(Input::StoreOpened { connection, snapshot, fresh_visitor_id: VISITOR.into() }, NOW);
    let Some(thread_id) = asked.thread_id.clone() else { return (session, fx) };
    assert!(last_persisted(&fx).is_some_and(|s| s.asked == asked.to_value()), "the note stays until decided");
    let call = Call::Restore { generation: session.generation(), thread_id };
    let page = json!({"data": items, "has_more": false});
    let fx = session.update_at(Input::Answered { call, result: Ok(page) }, NOW);
    (session, fx)
}

fn question_and_earlier() -> Value {
    json!([
        stored(user_item("msg_q", "Where is my order?")),
        stored(assistant_item("msg_a0", "Hi")),
        stored(user_item("msg_u0", "Hello"))
    ])
}

fn persisted_asked(fx: &[Effect]) -> Option<Asked> {
    last_persisted(fx).and_then(|s| Asked::from_value(&s.asked))
}

fn failure_retry(session: &Session) -> Option<Option<RetryTarget>> {
    session.thread.entries.last().and_then(|entry| match &entry.kind {
        EntryKind::Failure { retry, .. } => Some(retry.clone()),
        _ => None,
    })
}

#[test]
fn a_stored_question_left_unanswered_by_the_previous_page_is_asked_again_once() {
    let note = asked(Some("msg_q"), Some("Where is my order?"), 3.0);
    let (mut session, fx) = next_page(&note, question_and_earlier());
    let (turn, body) = stream(&fx).expect("asked again at once, with no action");
    assert_eq!(body["type"], "threads.retry_after_item");
    assert_eq!(body["params"]["item_id"], "msg_q");
    assert!(session.busy(), "Working… shows");
    let users = session
        .thread
        .entries
        .iter()
        .filter(|e| matches!(&e.kind, EntryKind::Item { body: ItemBody::User(_), .. }));
    assert_eq!(users.count(), 2, "the question shows once");
    let again = persisted_asked(&fx).expect("a note for the page after");
    assert_eq!((again.resumed, again.at, again.item_id.as_deref()), (true, note.at, Some("msg_q")));
    event(&mut session, turn, assistant_item("msg_a", "On its way"));
    let fx = session.update_at(Input::StreamEnded { turn, end: StreamEnd::Complete }, NOW);
    assert_eq!(session.announcement, "On its way");
    assert_eq!(last_persisted(&fx).map(|s| &s.asked), Some(&Value::Null));
}

#[test]
fn a_question_the_server_never_stored_is_sent_again_exactly_once() {
    let note = asked(None, Some("Where is my order?"), 2.0);
    let earlier = json!([stored(assistant_item("msg_a0", "Hi")), stored(user_item("msg_u0", "Hello"))]);
    let (session, fx) = next_page(&note, earlier.clone());
    let (_, body) = stream(&fx).expect("sent again");
    assert_eq!(body["type"], "threads.add_user_message");
    assert_eq!(body["params"]["input"]["content"][0]["text"], "Where is my order?");
    assert!(matches!(session.thread.entries.last().map(|e| &e.kind), Some(EntryKind::PendingUser(_))));
    let again = persisted_asked(&fx).expect("noted as sent again");
    assert!(again.resumed);
    // The page after that one (the second send was cut too, before the server stored it):
    // not sent a third time; the text goes back to the composer with Retry.
    let (session, fx) = next_page(&again, earlier);
    assert!(stream(&fx).is_none());
    assert!(fx.contains(&Effect::SetDraft("Where is my order?".into())));
    assert_eq!(failure_retry(&session), Some(Some(RetryTarget::Resend("Where is my order?".into()))));
    assert_eq!(last_persisted(&fx).map(|s| &s.asked), Some(&Value::Null));
}

#[test]
fn an_unconfirmed_question_the_server_did_store_is_asked_again_not_sent_twice() {
    let note = asked(None, Some("Where is my order?"), 2.0);
    let (_, fx) = next_page(&note, question_and_earlier());
    let (_, body) = stream(&fx).expect("asked again");
    assert_eq!(
        (body["type"].as_str(), body["params"]["item_id"].as_str()),
        (Some("threads.retry_after_item"), Some("msg_q"))
    );
}

#[test]
fn a_question_already_answered_or_moved_on_from_is_left_alone() {
    let note = asked(Some("msg_q"), Some("Where is my order?"), 3.0);
    let answered = json!([
        stored(assistant_item("msg_a", "On its way")),
        stored(user_item("msg_q", "Where is my order?"))
    ]);
    let moved_on = json!([
        stored(user_item("msg_next", "Never mind")),
        stored(user_item("msg_q", "Where is my order?"))
    ]);
    for items in [answered, moved_on] {
        let (session, fx) = next_page(&note, items);
        assert!(stream(&fx).is_none());
        assert_eq!(failure_retry(&session), None, "nothing to say");
        assert_eq!(last_persisted(&fx).map(|s| &s.asked), Some(&Value::Null), "the note is done with");
    }
}

#[test]
fn an_old_or_already_resumed_question_is_not_asked_by_itself_but_offers_retry() {
    let old = asked(Some("msg_q"), Some("Where is my order?"), RESUME_WINDOW_MS / 1000.0 + 1.0);
    let resumed = Asked { resumed: true, ..asked(Some("msg_q"), Some("Where is my order?"), 3.0) };
    for note in [old, resumed] {
        let (mut session, fx) = next_page(&note, question_and_earlier());
        assert!(stream(&fx).is_none(), "{note:?}");
        assert_eq!(failure_retry(&session), Some(Some(RetryTarget::RetryAfter("msg_q".into()))));
        let entry_id = session.thread.entries.last().map(|e| e.id.clone()).unwrap_or_default();
        let fx = session.update_at(Input::Retry { entry_id }, NOW);
        assert_eq!(
            stream(&fx).map(|(_, body)| body["type"].clone()),
            Some(json!("threads.retry_after_item"))
        );
    }
}

#[test]
fn a_stopped_question_leaves_no_note_and_the_next_page_does_nothing() {
    let mut session = ready();
    reply(&mut session, "Hello", "Hi");
    let fx = session.update_at(Input::Submit { draft: "Where is my order?".into() }, NOW);
    let (turn, _) = stream(&fx).expect("sent");
    event(&mut session, turn, user_item("msg_q", "Where is my order?"));
    let fx = session.update_at(Input::Stop, NOW);
    let snapshot = last_persisted(&fx).cloned().expect("the snapshot after Stop");
    assert_eq!(snapshot.asked, Value::Null);
    // The next page opens what this one stored.
    let (mut next, _) = with_snapshot(snapshot);
    let call = Call::Restore { generation: next.generation(), thread_id: "thr_1".into() };
    let fx = next.update(Input::Answered {
        call,
        result: Ok(json!({"data": question_and_earlier(), "has_more": false})),
    });
    assert!(stream(&fx).is_none());
    assert_eq!(failure_retry(&next), None);
}

#[test]
fn a_question_that_started_a_conversation_the_server_never_created_starts_it_again() {
    let note = Asked { thread_id: None, ..asked(None, Some("First question"), 1.0) };
    let (_, fx) = next_page(&note, json!([]));
    let (_, body) = stream(&fx).expect("sent again");
    assert_eq!(body["type"], "threads.create");
    assert_eq!(body["params"]["input"]["content"][0]["text"], "First question");
}

#[test]
fn a_lost_widget_action_says_it_was_interrupted_and_another_conversations_note_is_dropped() {
    let (session, fx) = next_page(&asked(None, None, 2.0), question_and_earlier());
    assert!(stream(&fx).is_none(), "an action is never sent again by itself");
    assert_eq!(session.thread.last_failure().map(|e| e.kind), Some(ErrorKind::Interrupted));
    let elsewhere = Asked { thread_id: Some("thr_other".into()), ..asked(Some("msg_x"), Some("?"), 2.0) };
    let snapshot = Snapshot { asked: elsewhere.to_value(), ..returning_visitor() };
    let (mut session, _) = with_snapshot(snapshot);
    let call = Call::Restore { generation: session.generation(), thread_id: "thr_old".into() };
    let fx = session.update(Input::Answered {
        call,
        result: Ok(json!({"data": question_and_earlier(), "has_more": false})),
    });
    assert!(stream(&fx).is_none());
    assert_eq!(failure_retry(&session), None);
    assert_eq!(last_persisted(&fx).map(|s| &s.asked), Some(&Value::Null));
}

#[test]
fn leaving_closes_the_stream_but_keeps_the_note_and_the_cache_return_resumes_like_a_new_page() {
    let mut session = ready();
    reply(&mut session, "Hello", "Hi");
    let fx = session.update_at(Input::Send { text: "Where is my order?".into(), ticket: 4 }, NOW);
    let (turn, _) = stream(&fx).expect("sent");
    let fx = event(&mut session, turn, user_item("msg_q", "Where is my order?"));
    let note = persisted_asked(&fx).expect("noted");
    let fx = session.update_at(Input::PageHidden, NOW + 2000.0);
    assert!(fx.contains(&Effect::Abort { turn }), "the stream is closed");
    assert!(last_persisted(&fx).is_none(), "the note is left as it is");
    assert!(matches!(settled(&fx, 4), Some(Err(ChatError { kind: ErrorKind::Interrupted, .. }))));
    assert_eq!(session.thread.last_failure(), None, "no failure is shown");
    assert!(!session.busy());
    // What arrives for the closed stream is dropped.
    event(&mut session, turn, assistant_item("msg_late", "late"));
    assert!(session.thread.entries.iter().all(|e| e.id != "msg_late"));

    let fx = session.update_at(Input::PageShown, NOW + 9000.0);
    assert_eq!(session.status, Status::Connecting);
    let connection = fx
        .iter()
        .find_map(|effect| match effect {
            Effect::OpenStore { connection, key, .. } if key == &storage_key(BACKEND, WORKFLOW) => {
                Some(*connection)
            }
            _ => None,
        })
        .expect("the store is read again");
    let snapshot = Snapshot {
        asked: note.to_value(),
        thread_id: Some("thr_1".into()),
        threads: vec!["thr_1".into()],
        ..returning_visitor()
    };
    let fx = session.update_at(
        Input::StoreOpened { connection, snapshot, fresh_visitor_id: VISITOR.into() },
        NOW + 9000.0,
    );
    assert_eq!(session.thread.entries.len(), 3, "the conversation stays on screen while it is restored");
    let call = fx.iter().find_map(|effect| match effect {
        Effect::Call { call: Some(call @ Call::Restore { .. }), .. } => Some(call.clone()),
        _ => None,
    });
    let items = json!([
        stored(user_item("msg_q", "Where is my order?")),
        stored(assistant_item("msg_a1", "Hi")),
        stored(user_item("msg_u1", "Hello"))
    ]);
    let fx = session.update_at(
        Input::Answered {
            call: call.expect("restored"),
            result: Ok(json!({"data": items, "has_more": false})),
        },
        NOW + 9000.0,
    );
    let (_, body) = stream(&fx).expect("asked again");
    assert_eq!(body["type"], "threads.retry_after_item");
}

#[test]
fn a_page_that_leaves_with_nothing_in_flight_comes_back_with_what_other_pages_stored() {
    let mut session = ready();
    reply(&mut session, "Hello", "Hi");
    assert!(session.update(Input::PageHidden).is_empty());
    let fx = session.update(Input::PageShown);
    let connection = fx.iter().find_map(|effect| match effect {
        Effect::OpenStore { connection, .. } => Some(*connection),
        _ => None,
    });
    // Another page started a new conversation meanwhile.
    let snapshot =
        Snapshot { threads: vec!["thr_1".into()], visitor_id: Some(VISITOR.into()), ..Snapshot::default() };
    session.update(Input::StoreOpened {
        connection: connection.expect("read again"),
        snapshot,
        fresh_visitor_id: VISITOR.into(),
    });
    assert_eq!(session.status, Status::Ready);
    let fx = session.update(Input::Submit { draft: "new".into() });
    assert_eq!(stream(&fx).map(|(_, body)| body["type"].clone()), Some(json!("threads.create")));
}

// --- Tabs that share a conversation ----------------------------------------------------------

fn stream_lock(fx: &[Effect]) -> Option<Option<TurnLock>> {
    fx.iter().find_map(|effect| match effect {
        Effect::Stream { lock, .. } => Some(lock.clone()),
        _ => None,
    })
}

fn refresh_call(fx: &[Effect]) -> Option<Call> {
    fx.iter().find_map(|effect| match effect {
        Effect::Call { call: Some(call @ Call::Refresh { .. }), .. } => Some(call.clone()),
        _ => None,
    })
}

/// The ids of the conversation's rows, in the order shown.
fn entry_ids(session: &Session) -> Vec<&str> {
    session.thread.entries.iter().map(|e| e.id.as_str()).collect()
}

fn user_texts(session: &Session) -> Vec<String> {
    session
        .thread
        .entries
        .iter()
        .filter_map(|entry| match &entry.kind {
            EntryKind::Item { body: ItemBody::User(message), .. } => Some(message.text.clone()),
            EntryKind::PendingUser(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_turn_into_a_conversation_waits_for_its_lock_and_tells_the_other_tabs_when_it_ends() {
    let mut session = ready();
    let fx = session.update(Input::Submit { draft: "first".into() });
    assert_eq!(stream_lock(&fx), Some(None), "a new conversation has no other tab yet");
    let (turn, _) = stream(&fx).expect("sent");
    event(&mut session, turn, thread_created());
    event(&mut session, turn, user_item("msg_u", "first"));
    event(&mut session, turn, assistant_item("msg_a", "Echo: first"));
    let fx = session.update(Input::StreamEnded { turn, end: StreamEnd::Complete });
    assert!(fx.contains(&Effect::Broadcast { thread_id: "thr_1".into() }));
    let fx = session.update(Input::Submit { draft: "second".into() });
    let lock = stream_lock(&fx).flatten().expect("a lock");
    assert_eq!(lock, TurnLock { name: format!("orcheo-chat:{BACKEND}:{WORKFLOW}:thr_1"), wait: true });
}

/// The effects' [`Effect::AwaitLock`], if any.
fn awaited(fx: &[Effect]) -> Option<(u64, &str)> {
    fx.iter().find_map(|effect| match effect {
        Effect::AwaitLock { turn, name } => Some((*turn, name.as_str())),
        _ => None,
    })
}

/// Answers the [`Call::Recheck`] among `fx` with these items (newest first).
fn answer_recheck(session: &mut Session, fx: &[Effect], items: Value) -> Vec<Effect> {
    let call = fx.iter().find_map(|effect| match effect {
        Effect::Call { call: Some(call @ Call::Recheck { .. }), .. } => Some(call.clone()),
        _ => None,
    });
    let call = call.expect("the conversation is read again");
    session.update_at(Input::Answered { call, result: Ok(json!({"data": items, "has_more": false})) }, NOW)
}

#[test]
fn asking_again_waits_while_another_tab_streams_then_reads_the_conversation_before_it_asks() {
    let note = asked(None, Some("Where is my order?"), 2.0);
    let earlier = json!([stored(assistant_item("msg_a0", "Hi")), stored(user_item("msg_u0", "Hello"))]);
    let answered = json!([
        stored(assistant_item("msg_a", "On its way")),
        stored(user_item("msg_q", "Where is my order?")),
        stored(assistant_item("msg_a0", "Hi")),
        stored(user_item("msg_u0", "Hello"))
    ]);
    // The tab the question was asked in (it opened this one) is still streaming its answer.
    let (mut session, fx) = next_page(&note, earlier.clone());
    assert_eq!(
        stream_lock(&fx).flatten().map(|lock| lock.wait),
        Some(false),
        "a page asking again does not queue"
    );
    let (turn, _) = stream(&fx).expect("asked again");
    let fx = session.update_at(Input::LockBusy { turn }, NOW);
    assert_eq!(awaited(&fx), Some((turn, format!("orcheo-chat:{BACKEND}:{WORKFLOW}:thr_1").as_str())));
    assert!(session.busy(), "Working… stays while that tab's reply streams");
    assert_eq!(failure_retry(&session), None);
    // That tab's reply ended, and it answered this very question: nothing is sent.
    let fx = session.update_at(Input::LockFreed { turn }, NOW);
    let fx = answer_recheck(&mut session, &fx, answered);
    assert!(stream(&fx).is_none());
    assert!(!session.busy());
    assert_eq!(user_texts(&session), ["Hello", "Where is my order?"], "the question once, with its answer");
    assert_eq!(session.thread.entries.last().map(|e| e.id.as_str()), Some("msg_a"));
    assert_eq!(failure_retry(&session), None);
    assert_eq!(last_persisted(&fx).map(|s| &s.asked), Some(&Value::Null));
    assert!(
        emitted(&fx).iter().any(|e| matches!(e, ApiEvent::ResponseEnd { error: None, .. })),
        "response.end pairs response.start"
    );

    // The other tab was answering something else: once it is done, the question goes, once,
    // and a message typed meanwhile goes after it.
    let (mut session, fx) = next_page(&note, earlier.clone());
    let (turn, _) = stream(&fx).expect("asked again");
    session.update_at(Input::LockBusy { turn }, NOW);
    let fx = session.update_at(Input::Send { text: "and another thing".into(), ticket: 3 }, NOW);
    assert!(
        matches!(settled(&fx, 3), Some(Err(ChatError { kind: ErrorKind::Busy, .. }))),
        "a reply is on its way"
    );
    let fx = session.update_at(Input::LockFreed { turn }, NOW);
    let fx = answer_recheck(&mut session, &fx, earlier);
    let (_, body) = stream(&fx).expect("sent again now");
    assert_eq!(body["params"]["input"]["content"][0]["text"], "Where is my order?");
    assert_eq!(user_texts(&session), ["Hello", "Where is my order?"], "shown once");
}

#[test]
fn a_repeated_question_is_not_mistaken_for_the_earlier_one_with_the_same_words() {
    // "yes" was asked and answered before; the second "yes" never reached the server.
    let items = json!([
        stored(assistant_item("msg_a1", "Noted")),
        stored(user_item("msg_yes1", "yes")),
        stored(assistant_item("msg_a0", "Hi")),
        stored(user_item("msg_u0", "Hello"))
    ]);
    let note = Asked { after: Some("msg_a1".into()), ..asked(None, Some("yes"), 2.0) };
    let (_, fx) = next_page(&note, items);
    let (_, body) = stream(&fx).expect("the second yes is sent again");
    assert_eq!(body["type"], "threads.add_user_message");
}

#[test]
fn another_tabs_turn_joins_the_log_in_the_servers_order_once_this_tabs_turn_ends() {
    let mut session = ready();
    reply(&mut session, "Hello", "Hi");
    let fx = session.update(Input::Submit { draft: "mine".into() });
    let (turn, _) = stream(&fx).expect("sent");
    // The other tab's turn ended first (this one waited for the lock): it says so.
    let fx = session.update(Input::ThreadChanged { thread_id: "thr_1".into() });
    assert!(refresh_call(&fx).is_none(), "not while this tab's turn is in flight");
    assert!(session.update(Input::ThreadChanged { thread_id: "thr_other".into() }).is_empty());
    event(&mut session, turn, user_item("msg_mine", "mine"));
    event(&mut session, turn, assistant_item("msg_mine_a", "Echo: mine"));
    let fx = session.update(Input::StreamEnded { turn, end: StreamEnd::Complete });
    let call = refresh_call(&fx).expect("read again once the turn ended");
    let items = json!([
        stored(assistant_item("msg_mine_a", "Echo: mine")),
        stored(user_item("msg_mine", "mine")),
        stored(assistant_item("msg_theirs_a", "Echo: theirs")),
        stored(user_item("msg_theirs", "theirs")),
        stored(assistant_item("msg_a1", "Hi")),
        stored(user_item("msg_u1", "Hello")),
    ]);
    session.update(Input::Answered { call, result: Ok(json!({"data": items, "has_more": false})) });
    assert_eq!(user_texts(&session), ["Hello", "theirs", "mine"], "each once, in the server's order");
    let ids = entry_ids(&session);
    assert_eq!(ids, ["msg_u1", "msg_a1", "msg_theirs", "msg_theirs_a", "msg_mine", "msg_mine_a"]);
    // Idle, it reads at once; what it already shows is not added twice.
    let fx = session.update(Input::ThreadChanged { thread_id: "thr_1".into() });
    let call = refresh_call(&fx).expect("idle: read at once");
    session.update(Input::Answered { call, result: Ok(json!({"data": items, "has_more": false})) });
    let again = entry_ids(&session);
    assert_eq!(again, ["msg_u1", "msg_a1", "msg_theirs", "msg_theirs_a", "msg_mine", "msg_mine_a"]);
}

#[test]
fn a_refresh_answered_while_a_turn_runs_waits_for_its_end_and_a_deleted_answer_goes() {
    let mut session = ready();
    reply(&mut session, "Hello", "Hi");
    let fx = session.update(Input::ThreadChanged { thread_id: "thr_1".into() });
    let call = refresh_call(&fx).expect("read again");
    // The visitor sends before the answer arrives; the answer already holds that message.
    let fx = session.update(Input::Submit { draft: "mine".into() });
    let (turn, _) = stream(&fx).expect("sent");
    let with_mine = json!([
        stored(user_item("msg_mine", "mine")),
        stored(assistant_item("msg_a1", "Hi")),
        stored(user_item("msg_u1", "Hello"))
    ]);
    session.update(Input::Answered { call, result: Ok(json!({"data": with_mine, "has_more": false})) });
    assert_eq!(user_texts(&session), ["Hello", "mine"], "not shown twice while it streams");
    event(&mut session, turn, user_item("msg_mine", "mine"));
    event(&mut session, turn, assistant_item("msg_mine_a", "Echo: mine"));
    let fx = session.update(Input::StreamEnded { turn, end: StreamEnd::Complete });
    // Read again after the turn: another tab asked "mine" again meanwhile (retry_after_item),
    // which deleted this tab's answer and gave a new one.
    let call = refresh_call(&fx).expect("read again after the turn");
    let retried = json!([
        stored(assistant_item("msg_mine_b", "Echo: mine, again")),
        stored(user_item("msg_mine", "mine")),
        stored(assistant_item("msg_a1", "Hi")),
        stored(user_item("msg_u1", "Hello"))
    ]);
    session.update(Input::Answered { call, result: Ok(json!({"data": retried, "has_more": false})) });
    let ids = entry_ids(&session);
    assert_eq!(ids, ["msg_u1", "msg_a1", "msg_mine", "msg_mine_b"]);
}

#[test]
fn a_failures_retry_goes_once_another_tab_answered_its_question() {
    let note = Asked { resumed: true, ..asked(Some("msg_q"), Some("Where is my order?"), 3.0) };
    let (mut session, _) = next_page(&note, question_and_earlier());
    assert_eq!(failure_retry(&session), Some(Some(RetryTarget::RetryAfter("msg_q".into()))));
    let fx = session.update_at(Input::ThreadChanged { thread_id: "thr_1".into() }, NOW);
    let call = refresh_call(&fx).expect("read again");
    let answered = json!([
        stored(assistant_item("msg_a", "On its way")),
        stored(user_item("msg_q", "Where is my order?")),
        stored(assistant_item("msg_a0", "Hi")),
        stored(user_item("msg_u0", "Hello"))
    ]);
    session
        .update_at(Input::Answered { call, result: Ok(json!({"data": answered, "has_more": false})) }, NOW);
    assert_eq!(failure_retry(&session), None, "no Retry left that would delete the answer");
    assert_eq!(session.thread.entries.last().map(|e| e.id.as_str()), Some("msg_a"));
}

#[test]
fn a_reconnect_that_cuts_a_reply_keeps_its_note_so_the_answer_is_asked_for_again() {
    let mut session = ready();
    reply(&mut session, "Hello", "Hi");
    let fx = session.update_at(Input::Submit { draft: "Where is my order?".into() }, NOW);
    let (turn, _) = stream(&fx).expect("sent");
    let fx = event(&mut session, turn, user_item("msg_q", "Where is my order?"));
    let stored = last_persisted(&fx).cloned().expect("noted");
    // The page sets a token provider late: the widget reconnects, cutting the reply.
    let fx = session.update_at(Input::TokenProvider, NOW);
    assert!(fx.contains(&Effect::Abort { turn }));
    assert!(last_persisted(&fx).is_none(), "the note is kept");
    let fx = open_store_with(&mut session, &fx, stored);
    let call = fx.iter().find_map(|effect| match effect {
        Effect::Call { call: Some(call @ Call::Restore { .. }), .. } => Some(call.clone()),
        _ => None,
    });
    let fx = session.update_at(
        Input::Answered {
            call: call.expect("restored"),
            result: Ok(json!({"data": question_and_earlier(), "has_more": false})),
        },
        NOW,
    );
    assert_eq!(stream(&fx).map(|(_, body)| body["type"].clone()), Some(json!("threads.retry_after_item")));
}

/// Answers the [`Effect::OpenStore`] among `fx` with `snapshot`.
fn open_store_with(session: &mut Session, fx: &[Effect], snapshot: Snapshot) -> Vec<Effect> {
    let connection = fx.iter().find_map(|effect| match effect {
        Effect::OpenStore { connection, .. } => Some(*connection),
        _ => None,
    });
    session.update_at(
        Input::StoreOpened {
            connection: connection.expect("the store is read"),
            snapshot,
            fresh_visitor_id: VISITOR.into(),
        },
        NOW,
    )
}
