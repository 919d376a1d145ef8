//! Golden tests from raw HTTP captures of real Orcheo backends (tests/fixtures/orcheo-0.39 is
//! orcheo-backend 0.39.0 with openai-chatkit 1.6.5; orcheo-0.29.1 is 0.29.1 with 1.6.3): every
//! stream decodes into known events whatever the chunking, and the reducer turns each
//! conversation into the thread a visitor should see.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

use orcheo_chat::error::{ChatError, ErrorKind};
use orcheo_chat::json::{JsonCodec, SerdeJson};
use orcheo_chat::protocol::{Item, ItemBody, Page, StreamEvent, ThreadMeta};
use orcheo_chat::sse::SseDecoder;
use orcheo_chat::thread::{EntryKind, ThreadState, TurnOutcome};
use orcheo_chat::token::SessionToken;
use serde_json::{json, Value};

struct Capture {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

fn fixtures(version: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(version)
}

fn capture(version: &str, name: &str) -> Capture {
    let raw = fs::read(fixtures(version).join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let text = String::from_utf8_lossy(&raw);
    let start = text.find("HTTP/1.1 ").unwrap_or_else(|| panic!("{name}: no status line"));
    let response = &raw[start..];
    let split =
        response.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("{name}: no header end"));
    let head = String::from_utf8_lossy(&response[..split]);
    let status = head[9..12].parse().unwrap_or_else(|_| panic!("{name}: bad status"));
    let content_type =
        head.lines().find_map(|line| line.strip_prefix("content-type: ")).unwrap_or_default().to_owned();
    Capture { status, content_type, body: response[split + 4..].to_vec() }
}

fn stream_captures(version: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fixtures(version))
        .expect("fixtures")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".http"))
        .filter(|name| capture(version, name).content_type.starts_with("text/event-stream"))
        .collect();
    names.sort();
    names
}

fn events_in_chunks(body: &[u8], chunk: usize) -> Vec<StreamEvent> {
    let mut decoder = SseDecoder::new();
    body.chunks(chunk)
        .flat_map(|bytes| decoder.feed(bytes))
        .map(|event| {
            StreamEvent::parse(&event.data)
                .unwrap_or_else(|e| panic!("undecodable event {}: {}", event.data, e.0))
        })
        .collect()
}

fn events(version: &str, name: &str) -> Vec<StreamEvent> {
    events_in_chunks(&capture(version, name).body, 4096)
}

/// The visible conversation, one string per entry.
fn shown(state: &ThreadState) -> Vec<String> {
    state
        .entries
        .iter()
        .map(|entry| match &entry.kind {
            EntryKind::Item { body: ItemBody::User(message), .. } => format!("user: {}", message.text),
            EntryKind::Item { body: ItemBody::Assistant(parts), .. } => {
                format!("assistant: {}", parts.iter().map(|p| p.text.as_str()).collect::<String>())
            }
            EntryKind::Item { body: ItemBody::Widget { widget, .. }, .. } => {
                format!("widget: {}", widget["children"][0]["value"].as_str().unwrap_or_default())
            }
            EntryKind::Failure { error, .. } => format!("failure: {}", error.code),
            other => format!("{other:?}"),
        })
        .collect()
}

fn run(state: &mut ThreadState, events: Vec<StreamEvent>) -> Option<TurnOutcome> {
    for event in events {
        state.apply(event);
    }
    state.end_stream()
}

#[test]
fn every_captured_stream_decodes_the_same_in_any_chunking_and_holds_only_known_events() {
    for version in ["orcheo-0.39", "orcheo-0.29.1"] {
        let names = stream_captures(version);
        assert!(names.len() >= 10, "{version}: {} stream captures", names.len());
        for name in names {
            let body = capture(version, &name).body;
            let whole = events_in_chunks(&body, body.len().max(1));
            for chunk in [1, 2, 3, 7, 64, 1000] {
                assert_eq!(events_in_chunks(&body, chunk), whole, "{version}/{name} in {chunk}-byte chunks");
            }
            for event in &whole {
                assert!(
                    !matches!(event, StreamEvent::Unknown(_)),
                    "{version}/{name}: unknown event {event:?}"
                );
            }
        }
    }
}

#[test]
fn an_echo_turn_becomes_the_users_message_and_the_reply() {
    for version in ["orcheo-0.39", "orcheo-0.29.1"] {
        let mut state = ThreadState::new();
        state.begin_send("Hello Orcheo");
        let outcome = run(&mut state, events(version, "01-threads-create.http"));
        let reply = match outcome {
            Some(TurnOutcome::Replied(text)) => text,
            other => panic!("{version}: {other:?}"),
        };
        assert!(reply.starts_with("Echo: Hello Orcheo"), "{version}: {reply}");
        assert_eq!(
            shown(&state),
            [String::from("user: Hello Orcheo"), format!("assistant: {reply}")],
            "{version}"
        );
        assert!(state.id.as_deref().is_some_and(|id| id.starts_with("thr_")));
        if version == "orcheo-0.39" {
            // 0.39 titles a thread after its first message (0.29.1 leaves it untitled).
            assert_eq!(state.title.as_deref(), Some("Hello Orcheo"), "thread.updated sets the title");
        }

        // The next message on the same thread, then a retry of it (the server drops the old
        // reply silently; so do we).
        state.begin_send("Second turn");
        assert!(matches!(
            run(&mut state, events(version, "02-threads-add-user-message.http")),
            Some(TurnOutcome::Replied(_))
        ));
        assert_eq!(shown(&state).len(), 4);
        let second_user = state.entries[2].id.clone();
        state.begin_retry(&second_user);
        assert!(matches!(
            run(&mut state, events(version, "08-threads-retry-after-item.http")),
            Some(TurnOutcome::Replied(_))
        ));
        assert_eq!(shown(&state).len(), 4, "{version}: the retried reply replaces the old one");
    }
}

#[test]
fn a_multi_step_stream_reports_progress_then_one_reply() {
    let events = events("orcheo-0.39", "12-stream-multistep.http");
    let progress = events.iter().filter(|e| matches!(e, StreamEvent::Progress(_))).count();
    assert!(progress >= 5, "{progress} progress updates");
    let mut state = ThreadState::new();
    state.begin_send("stream please");
    assert!(
        matches!(run(&mut state, events), Some(TurnOutcome::Replied(text)) if text.contains("alpha beta gamma"))
    );
}

#[test]
fn a_failing_workflow_ends_in_a_retryable_failure_after_the_stored_message() {
    let mut state = ThreadState::new();
    state.begin_send("please fail");
    let outcome = run(&mut state, events("orcheo-0.39", "13-workflow-error.http"));
    assert!(
        matches!(outcome, Some(TurnOutcome::Failed { ref error, restore_draft: None }) if error.kind == ErrorKind::Generation && error.retryable())
    );
    assert_eq!(shown(&state), ["user: please fail", "failure: stream.error"]);
}

#[test]
fn a_workflow_without_a_version_fails_with_its_custom_message_and_no_retry() {
    let mut state = ThreadState::new();
    state.begin_send("hi");
    let outcome = run(&mut state, events("orcheo-0.39", "43-err-noversion-workflow.http"));
    assert!(
        matches!(outcome, Some(TurnOutcome::Failed { ref error, .. }) if error.server_message.as_deref() == Some("latest") && !error.retryable())
    );
}

#[test]
fn the_flaky_workflow_fails_then_succeeds_on_retry() {
    let mut state = ThreadState::new();
    state.begin_send("Try once");
    assert!(matches!(
        run(&mut state, events("orcheo-0.39", "67-flaky-threads-create-error.http")),
        Some(TurnOutcome::Failed { .. })
    ));
    let user = state.entries[0].id.clone();
    state.begin_retry(&user);
    let outcome = run(&mut state, events("orcheo-0.39", "68-flaky-retry-after-item.http"));
    assert!(matches!(outcome, Some(TurnOutcome::Replied(text)) if text.starts_with("Succeeded on run 2")));
    assert_eq!(shown(&state).len(), 2, "the failure is gone: {:?}", shown(&state));
}

#[test]
fn a_widget_turn_and_its_submitted_action_update_the_card_in_place() {
    let mut state = ThreadState::new();
    state.begin_send("show me a form");
    assert!(matches!(
        run(&mut state, events("orcheo-0.39", "65-widget-threads-create.http")),
        Some(TurnOutcome::Replied(_))
    ));
    assert_eq!(shown(&state)[1], "widget: Pick one");
    let widget_id = state.entries[1].id.clone();
    state.begin_action(Some(widget_id.clone()), json!({"type": "submit", "payload": {"choice": "A"}}));
    let outcome = run(&mut state, events("orcheo-0.39", "66-widget-custom-action-submit.http"));
    assert!(
        matches!(outcome, Some(TurnOutcome::Replied(text)) if text == "You chose A"),
        "{:?}",
        shown(&state)
    );
    assert_eq!(state.entries[1].id, widget_id, "the card stays where it was");
    assert_eq!(shown(&state)[1], "widget: Thanks!");
}

#[test]
fn a_stream_cut_off_mid_turn_is_an_interrupted_turn() {
    let mut state = ThreadState::new();
    state.begin_send("Abort me");
    let outcome = run(&mut state, events("orcheo-0.39", "70-slow-client-abort-2s.http"));
    assert!(
        matches!(outcome, Some(TurnOutcome::Failed { ref error, .. }) if error.kind == ErrorKind::Interrupted)
    );
}

#[test]
fn markdown_and_long_replies_arrive_whole() {
    let mut state = ThreadState::new();
    state.begin_send("markdown");
    let outcome = run(&mut state, events("orcheo-0.39", "64-markdown-threads-create.http"));
    assert!(
        matches!(outcome, Some(TurnOutcome::Replied(text)) if text.contains("| Feature |") && text.contains("javascript:"))
    );
    let mut state = ThreadState::new();
    state.begin_send("long");
    let outcome = run(&mut state, events("orcheo-0.39", "73-long-threads-create.http"));
    assert!(matches!(outcome, Some(TurnOutcome::Replied(text)) if text.len() > 60_000));
}

#[test]
fn list_responses_decode_into_pages_and_restore_a_thread() {
    let body = |name: &str| {
        SerdeJson.parse(&String::from_utf8_lossy(&capture("orcheo-0.39", name).body)).unwrap_or(Value::Null)
    };
    let items = Page::from_json(&body("05-items-list.http"), Item::from_json).expect("items page");
    assert!(items.data.len() >= 4);
    let mut descending = items.clone();
    descending.data.reverse();
    let mut state = ThreadState::new();
    state.load_history("thr_786de263", descending);
    assert_eq!(shown(&state)[0], "user: Hello Orcheo", "oldest first");
    let threads =
        Page::from_json(&body("03-threads-list.http"), ThreadMeta::from_json).expect("threads page");
    assert!(threads.data.iter().all(|thread| thread.id.starts_with("thr_")));
}

#[test]
fn the_minted_session_token_is_read_with_its_lifetime() {
    let answer = SerdeJson
        .parse(&String::from_utf8_lossy(&capture("orcheo-0.39", "14-session-mint.http").body))
        .unwrap_or(Value::Null);
    let token = SessionToken::from_response(&answer, 0, &SerdeJson).expect("a token");
    assert_eq!(token.expires_at_ms, 300_000, "a 300 s token, laid onto our clock");
}

#[test]
fn error_captures_map_to_the_contracts_sentences() {
    let cases = [
        ("25-err-require-login-no-cookie.http", ErrorKind::LoginRequired),
        ("31-err-invalid-workflow-id.http", ErrorKind::Misconfigured),
        ("30-err-missing-workflow-id.http", ErrorKind::Misconfigured),
        ("32-err-unknown-workflow.http", ErrorKind::WorkflowNotFound),
        ("33-err-unpublished-workflow.http", ErrorKind::NotPublished),
        ("35-err-garbage-bearer.http", ErrorKind::SessionExpired),
        ("36-err-expired-bearer.http", ErrorKind::SessionExpired),
        ("37-err-token-other-workflow.http", ErrorKind::NotAuthorised),
        ("39-err-wrong-auth-scheme.http", ErrorKind::Misconfigured),
        ("74-rate-limit-publish-429.http", ErrorKind::RateLimited),
        ("44-err-other-visitor-thread.http", ErrorKind::Network),
    ];
    for (name, kind) in cases {
        let capture = capture("orcheo-0.39", name);
        let body = SerdeJson.parse(&String::from_utf8_lossy(&capture.body));
        let error = ChatError::from_http(capture.status, body.as_ref(), None, 1);
        assert_eq!(error.kind, kind, "{name}");
    }
}
