//! What survives a reload (contract §5): a versioned snapshot behind a small storage trait, so
//! the browser's `sessionStorage`/`localStorage` and an in-memory fallback look the same.
//!
//! A snapshot that is corrupt, from another version, or holds values that could not have been
//! written by us starts fresh; nothing here panics on what it reads. Tokens are never stored.

use serde_json::Value;

use crate::json::{object, optional, strings, JsonCodec};

/// The snapshot format written by this version.
pub const SNAPSHOT_VERSION: u64 = 1;
/// Most replies whose feedback is remembered (the oldest is forgotten first).
pub const MAX_FEEDBACK: usize = 500;
/// Longest draft kept.
const MAX_DRAFT_CHARS: usize = 20_000;
/// Longest question remembered to be sent again: a longer one is remembered without its text
/// (cut, it would be a different question), so it is never sent again by itself.
const MAX_ASKED_CHARS: usize = 100_000;

/// A storage failure (unavailable, security error, quota).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(pub String);

/// A string key-value store: `web_sys::Storage` in the browser, [`MemoryStore`] elsewhere.
pub trait KeyValueStore {
    /// Reads a key.
    ///
    /// # Errors
    /// When the storage cannot be read.
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Writes a key.
    ///
    /// # Errors
    /// When the storage cannot be written (quota, disabled).
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    /// Deletes a key.
    ///
    /// # Errors
    /// When the storage cannot be written.
    fn remove(&mut self, key: &str) -> Result<(), StoreError>;
}

/// A store that lives as long as the page. It holds a handful of keys (one per workflow the
/// page talks to), so a list is all it needs.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore(Vec<(String, String)>);

impl KeyValueStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.0.iter().find(|(k, _)| k == key).map(|(_, value)| value.clone()))
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, slot)) => value.clone_into(slot),
            None => self.0.push((key.to_owned(), value.to_owned())),
        }
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.0.retain(|(k, _)| k != key);
        Ok(())
    }
}

/// Everything the widget remembers for one backend and workflow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The open conversation.
    pub thread_id: Option<String>,
    /// The anonymous visitor id sent as `X-Orcheo-Visitor-Id`.
    pub visitor_id: Option<String>,
    /// Whether the panel was open.
    pub open: bool,
    /// Unsent composer text.
    pub draft: String,
    /// Conversations this visitor started here, most recently used first. There is no cap: an
    /// id goes when its conversation is deleted or the server's whole list no longer holds it.
    pub threads: Vec<String>,
    /// The question whose answer was on its way when the snapshot was written (stored form,
    /// `null` when none; see [`Asked`]): the next page load restores the conversation at once
    /// and asks for the answer again. The launcher stage keeps it as it is.
    pub asked: Value,
    /// The thumbs given to replies, as stored (`{"<item id>": true, …}`, oldest first; see
    /// [`Feedback`]). Orcheo discards `items.feedback`, so what the visitor chose is shown from
    /// here after a reload. The launcher stage keeps it as it is; only the panel stage reads it.
    pub feedback: Value,
}

/// A question this tab asked whose answer had not arrived when the snapshot was written: what
/// lets the next page (after a navigation, a reload, or a return from the back/forward cache)
/// ask for the answer again. A turn that is not a question (a widget action, an answer to the
/// server) is remembered too, without a text, so the next page can say it was interrupted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Asked {
    /// The conversation it was asked in (`None`: a new conversation the server had not created
    /// yet).
    pub thread_id: Option<String>,
    /// The question's server id, once the server confirmed storing it.
    pub item_id: Option<String>,
    /// The question's text (`None` for a turn that is not a question).
    pub text: Option<String>,
    /// The newest stored item shown when it was asked: a question not confirmed yet is looked
    /// for after it (an earlier message with the same words is another question).
    pub after: Option<String>,
    /// When it was first asked: milliseconds since the Unix epoch, by the page's clock.
    pub at: f64,
    /// A page already asked for the answer again (it is done once per question).
    pub resumed: bool,
}

impl Asked {
    /// The stored form.
    pub fn to_value(&self) -> Value {
        object(vec![
            ("thread_id", optional(&self.thread_id)),
            ("item_id", optional(&self.item_id)),
            ("text", optional(&self.text)),
            ("after", optional(&self.after)),
            ("at", Value::from(self.at)),
            ("resumed", Value::Bool(self.resumed)),
        ])
    }

    /// Reads the stored form; `None` when nothing was in flight or it is not what we write.
    pub fn from_value(value: &Value) -> Option<Self> {
        let id = |key: &str| value.get(key).and_then(Value::as_str).filter(|id| is_plausible_id(id));
        Some(Self {
            thread_id: id("thread_id").map(str::to_owned),
            item_id: id("item_id").map(str::to_owned),
            after: id("after").map(str::to_owned),
            text: value
                .get("text")
                .and_then(Value::as_str)
                .filter(|text| text.chars().nth(MAX_ASKED_CHARS).is_none())
                .map(str::to_owned),
            at: value.get("at").and_then(Value::as_f64).filter(|at| at.is_finite())?,
            resumed: value.get("resumed").and_then(Value::as_bool).unwrap_or(false),
        })
    }
}

/// The thumbs given to replies: `(item id, positive)`, oldest first, at most [`MAX_FEEDBACK`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Feedback(pub Vec<(String, bool)>);

impl Feedback {
    /// Reads the stored form, dropping what we could not have written.
    pub fn from_value(value: &Value) -> Self {
        let mut given: Vec<(String, bool)> = value
            .as_object()
            .map(|given| {
                given
                    .iter()
                    .filter(|(id, _)| is_plausible_id(id))
                    .filter_map(|(id, positive)| Some((id.clone(), positive.as_bool()?)))
                    .collect()
            })
            .unwrap_or_default();
        given.drain(..given.len().saturating_sub(MAX_FEEDBACK));
        Self(given)
    }

    /// The stored form.
    pub fn to_value(&self) -> Value {
        Value::Object(self.0.iter().map(|(id, positive)| (id.clone(), Value::Bool(*positive))).collect())
    }

    /// The feedback given to a reply: `Some(true)` for thumbs up.
    pub fn on(&self, item_id: &str) -> Option<bool> {
        self.0.iter().find(|(id, _)| id == item_id).map(|(_, positive)| *positive)
    }

    /// Records feedback on a reply; `false` when it was already the visitor's choice.
    pub fn give(&mut self, item_id: &str, positive: bool) -> bool {
        if self.on(item_id) == Some(positive) {
            return false;
        }
        self.0.retain(|(id, _)| id != item_id);
        self.0.push((item_id.to_owned(), positive));
        self.0.drain(..self.0.len().saturating_sub(MAX_FEEDBACK));
        true
    }
}

/// `orcheo-chat:v1:<backend>:<workflow-uuid>`.
pub fn storage_key(backend: &str, workflow_id: &str) -> String {
    format!("orcheo-chat:v{SNAPSHOT_VERSION}:{backend}:{workflow_id}")
}

/// Where the UUID of a workflow named by its handle is remembered, so that the next page load
/// finds its snapshot before asking the backend: `orcheo-chat:v1:<backend>:@<handle>`.
pub fn alias_key(backend: &str, handle: &str) -> String {
    format!("orcheo-chat:v{SNAPSHOT_VERSION}:{backend}:@{handle}")
}

/// The stored form of an alias: `{"v":1,"id":"<uuid>"}`.
pub fn alias_value(workflow_id: &str) -> Value {
    object(vec![("v", Value::from(SNAPSHOT_VERSION)), ("id", Value::from(workflow_id))])
}

/// The UUID an alias names, if it is one this version wrote.
pub fn alias_target(value: &Value) -> Option<String> {
    if value.get("v").and_then(Value::as_u64) != Some(SNAPSHOT_VERSION) {
        return None;
    }
    value.get("id").and_then(Value::as_str).filter(|id| crate::config::is_uuid(id)).map(str::to_owned)
}

/// Orcheo's visitor id rule: `[A-Za-z0-9_-]{8,128}`.
pub fn is_valid_visitor_id(id: &str) -> bool {
    (8..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A visitor id from random bytes (from `crypto.getRandomValues`): `v_` and base64url digits.
pub fn visitor_id_from_bytes(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut id = String::from("v_");
    id.extend(bytes.iter().map(|byte| DIGITS[usize::from(byte & 63)] as char));
    id
}

/// ChatKit ids are short ASCII tokens (`thr_1a2b3c4d`); anything else was not written by us.
fn is_plausible_id(id: &str) -> bool {
    (1..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl Snapshot {
    /// Reads the snapshot under `key`. Returns a fresh one when nothing usable is stored, plus
    /// the storage error if reading failed (to be reported once).
    pub fn load(store: &dyn KeyValueStore, key: &str, codec: &dyn JsonCodec) -> (Self, Option<StoreError>) {
        match store.get(key) {
            Ok(Some(text)) => {
                (codec.parse(&text).and_then(|value| Self::from_value(&value)).unwrap_or_default(), None)
            }
            Ok(None) => (Self::default(), None),
            Err(error) => (Self::default(), Some(error)),
        }
    }

    /// Writes the snapshot under `key`.
    ///
    /// # Errors
    /// When the storage refuses the write.
    pub fn save(
        &self,
        store: &mut dyn KeyValueStore,
        key: &str,
        codec: &dyn JsonCodec,
    ) -> Result<(), StoreError> {
        store.set(key, &codec.stringify(&self.to_value()))
    }

    /// The stored form, `{"v":1, ...}`.
    pub fn to_value(&self) -> Value {
        object(vec![
            ("v", Value::from(SNAPSHOT_VERSION)),
            ("thread_id", optional(&self.thread_id)),
            ("visitor_id", optional(&self.visitor_id)),
            ("open", Value::Bool(self.open)),
            ("draft", Value::String(self.draft.clone())),
            ("threads", strings(&self.threads)),
            ("asked", self.asked.clone()),
            ("feedback", self.feedback.clone()),
        ])
    }

    /// Reads a stored snapshot; `None` when it is not one this version wrote.
    pub fn from_value(value: &Value) -> Option<Self> {
        if value.get("v").and_then(Value::as_u64) != Some(SNAPSHOT_VERSION) {
            return None;
        }
        let id_field = |key: &str| {
            value.get(key).and_then(Value::as_str).filter(|id| is_plausible_id(id)).map(str::to_owned)
        };
        let threads = value
            .get("threads")
            .and_then(Value::as_array)
            .map(|ids| {
                ids.iter()
                    .filter_map(Value::as_str)
                    .filter(|id| is_plausible_id(id))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Some(Self {
            thread_id: id_field("thread_id"),
            visitor_id: id_field("visitor_id").filter(|id| is_valid_visitor_id(id)),
            open: value.get("open").and_then(Value::as_bool).unwrap_or(false),
            draft: value
                .get("draft")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .chars()
                .take(MAX_DRAFT_CHARS)
                .collect(),
            threads,
            asked: value.get("asked").filter(|asked| asked.is_object()).cloned().unwrap_or(Value::Null),
            feedback: value.get("feedback").cloned().unwrap_or(Value::Null),
        })
    }

    /// Makes `thread_id` the current conversation and remembers it first in the list.
    pub fn remember_thread(&mut self, thread_id: &str) {
        self.thread_id = Some(thread_id.to_owned());
        self.threads.retain(|id| id != thread_id);
        self.threads.insert(0, thread_id.to_owned());
    }

    /// Forgets a conversation (deleted, or unknown to the server).
    pub fn forget_thread(&mut self, thread_id: &str) {
        if self.thread_id.as_deref() == Some(thread_id) {
            self.thread_id = None;
        }
        self.threads.retain(|id| id != thread_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::SerdeJson;

    fn from_text(text: &str) -> Option<Snapshot> {
        SerdeJson.parse(text).and_then(|value| Snapshot::from_value(&value))
    }

    struct BrokenStore;

    impl KeyValueStore for BrokenStore {
        fn get(&self, _: &str) -> Result<Option<String>, StoreError> {
            Err(StoreError("SecurityError: access denied".into()))
        }
        fn set(&mut self, _: &str, _: &str) -> Result<(), StoreError> {
            Err(StoreError("QuotaExceededError".into()))
        }
        fn remove(&mut self, _: &str) -> Result<(), StoreError> {
            Err(StoreError("SecurityError".into()))
        }
    }

    #[test]
    fn a_snapshot_round_trips_through_a_store() {
        let mut store = MemoryStore::default();
        let key = storage_key("http://127.0.0.1:8000", "5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10");
        assert_eq!(key, "orcheo-chat:v1:http://127.0.0.1:8000:5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10");
        let mut snapshot = Snapshot {
            visitor_id: Some("v_abcdefgh1234".into()),
            open: true,
            draft: "half a thought".into(),
            ..Snapshot::default()
        };
        snapshot.remember_thread("thr_1");
        snapshot.remember_thread("thr_2");
        assert!(snapshot.save(&mut store, &key, &SerdeJson).is_ok());
        let (loaded, error) = Snapshot::load(&store, &key, &SerdeJson);
        assert_eq!((loaded.clone(), error), (snapshot, None));
        assert_eq!(loaded.threads, ["thr_2", "thr_1"]);
    }

    #[test]
    fn corrupt_or_old_snapshots_start_fresh() {
        for stored in [
            "",
            "{",
            "null",
            "[]",
            "{\"v\":0,\"thread_id\":\"thr_1\"}",
            "{\"v\":\"1\"}",
            "{\"v\":2,\"open\":true}",
        ] {
            assert_eq!(from_text(stored), None, "{stored}");
        }
        let mut store = MemoryStore::default();
        assert!(store.set("k", "{definitely not json").is_ok());
        assert_eq!(Snapshot::load(&store, "k", &SerdeJson), (Snapshot::default(), None));
    }

    #[test]
    fn values_we_could_not_have_written_are_dropped() {
        let snapshot = from_text(
            r#"{"v":1,"thread_id":"<script>","visitor_id":"short","open":"yes","draft":7,"threads":["thr_1",3,"a b"]}"#,
        );
        assert_eq!(snapshot, Some(Snapshot { threads: vec!["thr_1".into()], ..Snapshot::default() }));
    }

    #[test]
    fn a_throwing_store_reports_once_and_yields_a_fresh_snapshot() {
        let (snapshot, error) = Snapshot::load(&BrokenStore, "k", &SerdeJson);
        assert_eq!(snapshot, Snapshot::default());
        assert!(error.is_some());
        assert!(Snapshot::default().save(&mut BrokenStore, "k", &SerdeJson).is_err());
    }

    #[test]
    fn the_snapshot_never_holds_a_token() {
        let value = Snapshot { thread_id: Some("thr_1".into()), ..Snapshot::default() }.to_value();
        let mut keys: Vec<&String> = value.as_object().map(|o| o.keys().collect()).unwrap_or_default();
        keys.sort();
        assert_eq!(keys, ["asked", "draft", "feedback", "open", "thread_id", "threads", "v", "visitor_id"]);
    }

    #[test]
    fn feedback_round_trips_changes_its_mind_and_forgets_the_oldest_first() {
        let mut feedback = Feedback::default();
        assert!(feedback.give("msg_1", true));
        assert!(!feedback.give("msg_1", true), "the same choice again changes nothing");
        assert!(feedback.give("msg_1", false));
        assert!(feedback.give("msg_2", true));
        let snapshot = Snapshot { feedback: feedback.to_value(), ..Snapshot::default() };
        let loaded = Snapshot::from_value(&snapshot.to_value()).map(|s| Feedback::from_value(&s.feedback));
        let loaded = loaded.unwrap_or_default();
        assert_eq!((loaded.on("msg_1"), loaded.on("msg_2")), (Some(false), Some(true)));
        for n in 0..MAX_FEEDBACK {
            feedback.give(&format!("msg_n{n}"), true);
        }
        assert_eq!(feedback.0.len(), MAX_FEEDBACK);
        assert_eq!(feedback.on("msg_1"), None, "the oldest went first");
        let stored = from_text(r#"{"v":1,"feedback":{"msg_ok":true,"<b>":true,"msg_bad":"yes"}}"#);
        assert_eq!(
            stored.map(|s| Feedback::from_value(&s.feedback).0),
            Some(vec![("msg_ok".to_owned(), true)])
        );
    }

    #[test]
    fn a_question_in_flight_is_remembered_and_an_older_snapshot_has_none() {
        let asked = Asked {
            thread_id: Some("thr_1".into()),
            item_id: None,
            text: Some("How long is shipping?".into()),
            after: Some("msg_0".into()),
            at: 1_765_000_000_000.0,
            resumed: false,
        };
        let snapshot = Snapshot { asked: asked.to_value(), ..Snapshot::default() };
        let loaded = Snapshot::from_value(&snapshot.to_value());
        assert_eq!(loaded.as_ref().and_then(|s| Asked::from_value(&s.asked)), Some(asked));
        // Written before `asked` existed (it had `pending`): nothing to ask again.
        let old = from_text(r#"{"v":1,"open":true,"pending":true}"#);
        assert_eq!(old.map(|s| (s.open, s.asked)), Some((true, Value::Null)));
        // What we could not have written is dropped, and a question too long to have been
        // kept whole is remembered without its text.
        for stored in [r#"{"at":"now"}"#, r#"{"text":"hi"}"#, "[]", "7"] {
            assert_eq!(SerdeJson.parse(stored).and_then(|v| Asked::from_value(&v)), None, "{stored}");
        }
        let long =
            object(vec![("text", Value::from("x".repeat(MAX_ASKED_CHARS + 1))), ("at", Value::from(1))]);
        assert_eq!(Asked::from_value(&long).map(|a| a.text), Some(None));
    }

    #[test]
    fn a_handle_alias_names_only_a_uuid() {
        let uuid = "5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10";
        assert_eq!(
            alias_key("http://127.0.0.1:8000", "support"),
            "orcheo-chat:v1:http://127.0.0.1:8000:@support"
        );
        assert_eq!(alias_target(&alias_value(uuid)).as_deref(), Some(uuid));
        for stored in
            [r#"{"v":1,"id":"not-a-uuid"}"#, r#"{"v":2,"id":"5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10"}"#, "[]"]
        {
            assert_eq!(SerdeJson.parse(stored).and_then(|value| alias_target(&value)), None, "{stored}");
        }
    }

    #[test]
    fn visitor_ids_meet_orcheos_rule() {
        let id = visitor_id_from_bytes(&[
            0, 63, 64, 255, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
        ]);
        assert!(is_valid_visitor_id(&id), "{id}");
        assert_eq!(&id[..6], "v_A_A_");
        assert!(!is_valid_visitor_id("short") && !is_valid_visitor_id("has space in it"));
    }

    #[test]
    fn forgetting_a_thread_clears_it_everywhere() {
        let mut snapshot = Snapshot::default();
        snapshot.remember_thread("thr_1");
        snapshot.remember_thread("thr_2");
        snapshot.forget_thread("thr_2");
        assert_eq!((snapshot.thread_id, snapshot.threads), (None, vec!["thr_1".to_string()]));
    }
}
