//! Widget actions: ChatKit's `ActionConfig` (`type`, `payload`, `handler`, `loadingBehavior`,
//! `streaming`), what each control does while its action runs, and the form values that go with
//! an action fired inside a form, keyed as ChatKit keys them (`todo.title` nests as
//! `{"todo": {"title": …}}`).

use serde_json::{Map, Value};

/// What shows that an action is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loading {
    /// Nothing shows (the control still cannot fire again until the action ends).
    Nothing,
    /// The control that fired it shows it is working.
    Control,
    /// The whole widget fades and takes no input.
    Widget,
}

/// Where an action is bound: ChatKit's `loadingBehavior: "auto"` depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    /// `Button.onClickAction`.
    Button,
    /// `ListViewItem.onClickAction`.
    ListItem,
    /// `Card.confirm`, `Form.onSubmitAction`: the form's own action.
    Submit,
    /// `Card.cancel`.
    Cancel,
    /// An `onChangeAction` (Select, Checkbox, RadioGroup, DatePicker).
    Change,
}

/// A widget action, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// Its `type`.
    pub kind: String,
    /// Its `payload` (an object, or `Null`).
    pub payload: Value,
    /// `handler: "client"`: it goes to the page's handler, not to the server.
    pub client: bool,
    /// Its `loadingBehavior`, `None` for `auto`.
    loading: Option<Loading>,
    /// `streaming: false`: the server answers it at once, with JSON
    /// (`threads.sync_custom_action`), and it may run while a reply streams.
    pub sync: bool,
}

impl Action {
    /// An `ActionConfig`; `None` unless it is an object with a string `type`.
    pub fn parse(value: &Value) -> Option<Self> {
        let fields = value.as_object()?;
        let kind = fields.get("type")?.as_str()?.to_owned();
        let text = |key: &str| fields.get(key).and_then(Value::as_str);
        let loading = match text("loadingBehavior") {
            Some("none") => Some(Loading::Nothing),
            Some("self") => Some(Loading::Control),
            Some("container") => Some(Loading::Widget),
            _ => None,
        };
        // ChatKit's docs write `streaming: "false"` once; the SDK sends a boolean.
        let sync =
            matches!(fields.get("streaming"), Some(Value::Bool(false))) || text("streaming") == Some("false");
        Some(Self {
            kind,
            payload: fields
                .get("payload")
                .filter(|payload| payload.is_object())
                .cloned()
                .unwrap_or(Value::Null),
            client: text("handler") == Some("client"),
            loading,
            sync,
        })
    }

    /// What shows while it runs, bound at `site` (ChatKit's `auto`: a button shows it,
    /// a form's submit and a card's buttons fade the widget, a change shows nothing).
    pub fn loading(&self, site: Site) -> Loading {
        self.loading.unwrap_or(match site {
            Site::Button | Site::ListItem | Site::Cancel => Loading::Control,
            Site::Submit => Loading::Widget,
            Site::Change => Loading::Nothing,
        })
    }

    /// The action as sent (`{type, payload}`), with `fields` (a form's values, by field name)
    /// merged into its payload. A field whose key the payload already has is left out (the
    /// payload wins, as in ChatKit); its name comes back in the second value.
    pub fn with_fields(&self, fields: &[(String, Value)]) -> (Value, Vec<String>) {
        let mut payload = self.payload.as_object().cloned().unwrap_or_default();
        let preset: Vec<String> = payload.keys().cloned().collect();
        let mut collisions = Vec::new();
        for (name, value) in fields {
            let first = name.split('.').next().unwrap_or_default();
            let taken = preset.iter().any(|key| key == first);
            if taken || !insert_dotted(&mut payload, name, value.clone()) {
                collisions.push(name.clone());
            }
        }
        let mut action = Map::new();
        action.insert("type".into(), Value::String(self.kind.clone()));
        if !payload.is_empty() || !self.payload.is_null() {
            action.insert("payload".into(), Value::Object(payload));
        }
        (Value::Object(action), collisions)
    }
}

/// Most levels a dotted field name nests its value (`a.b.c` is three); a longer path is kept as
/// one flat key, so that a server's field name cannot build a payload deep enough to exhaust
/// the stack of whatever walks it.
const MAX_PATH: usize = 16;

/// Puts `value` at a dotted path (`a.b.c`) of `map`, making objects on the way (a path of more
/// than [`MAX_PATH`] parts is one key). `false` when the path runs into a value that is not an
/// object (`a` is a string and `a.b` is asked for).
fn insert_dotted(map: &mut Map<String, Value>, path: &str, value: Value) -> bool {
    if path.split('.').filter(|part| !part.is_empty()).nth(MAX_PATH).is_some() {
        map.insert(path.to_owned(), value);
        return true;
    }
    let mut parts = path.split('.').filter(|part| !part.is_empty()).peekable();
    let mut here = map;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            here.insert(part.to_owned(), value);
            return true;
        }
        let next = here.entry(part.to_owned()).or_insert_with(|| Value::Object(Map::new()));
        match next.as_object_mut() {
            Some(inner) => here = inner,
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_field_name_of_very_many_dots_stays_one_flat_key() {
        let action = Action::parse(&json!({"type": "save"})).unwrap();
        let deep = "a.".repeat(50_000);
        let (sent, _) = action.with_fields(&[(deep.clone(), json!(1)), ("b.c".into(), json!(2))]);
        assert_eq!(sent["payload"][deep.as_str()], json!(1), "not 50,000 levels deep");
        assert_eq!(sent["payload"]["b"]["c"], json!(2));
    }

    #[test]
    fn an_action_config_is_read_with_chatkits_defaults() {
        let action = Action::parse(&json!({"type": "choices.toggle", "payload": {"id": "opt1"}})).unwrap();
        assert_eq!(action.kind, "choices.toggle");
        assert!(!action.client && !action.sync);
        assert_eq!(action.loading(Site::Button), Loading::Control);
        assert_eq!(action.loading(Site::Submit), Loading::Widget);
        assert_eq!(action.loading(Site::Change), Loading::Nothing);
        let client = Action::parse(
            &json!({"type": "open", "handler": "client", "loadingBehavior": "container", "streaming": false}),
        )
        .unwrap();
        assert!(client.client && client.sync);
        assert_eq!(client.loading(Site::Button), Loading::Widget);
        assert_eq!(Action::parse(&json!({"payload": {}})), None);
        assert_eq!(Action::parse(&json!({"type": 3})), None);
    }

    #[test]
    fn form_values_nest_by_their_dotted_names() {
        let action = Action::parse(&json!({"type": "choices.toggle", "payload": {"id": "opt1"}})).unwrap();
        let fields = vec![
            ("choices.opt1".to_owned(), json!(true)),
            ("choices.opt2".to_owned(), json!(false)),
            ("note".to_owned(), json!("hi")),
        ];
        let (sent, collisions) = action.with_fields(&fields);
        assert_eq!(
            sent,
            json!({"type": "choices.toggle", "payload": {"id": "opt1", "choices": {"opt1": true, "opt2": false}, "note": "hi"}})
        );
        assert!(collisions.is_empty());
    }

    #[test]
    fn the_payload_wins_over_a_form_field_of_the_same_key() {
        let action = Action::parse(&json!({"type": "submit", "payload": {"max": 3}})).unwrap();
        let (sent, collisions) = action.with_fields(&[
            ("max".to_owned(), json!("9")),
            ("max.x".to_owned(), json!("1")),
            ("a".to_owned(), json!("1")),
            ("a.b".to_owned(), json!("2")),
        ]);
        assert_eq!(sent, json!({"type": "submit", "payload": {"max": 3, "a": "1"}}));
        assert_eq!(collisions, ["max", "max.x", "a.b"]);
    }

    #[test]
    fn only_type_and_payload_go_to_the_server() {
        let action =
            Action::parse(&json!({"type": "submit", "requestAssistantResponse": true, "handler": "server"}))
                .unwrap();
        assert_eq!(action.with_fields(&[]).0, json!({"type": "submit"}));
    }
}
