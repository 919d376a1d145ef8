//! Every visible string. English is compiled in; the other locales are JSON files next to the
//! script that the loader fetches only for visitors who need them, so no visitor downloads eight
//! languages. Each `src/locales/<lang>.json` has two sections, shipped as two files: `texts`, the
//! launcher stage's strings ([`Text`], `dist/orcheo-chat-<lang>-<hash>.json`, fetched with the
//! script), and `panel`, the panel and widget stages' ([`PanelText`], [`WidgetText`],
//! `dist/orcheo-chat-<lang>-panel-<hash>.json`, fetched with the panel stage's chunk, which starts
//! once they are in). The loader merges the second into the first's `texts`.
//! A locale file may miss keys: those stay English. Templates use `{title}`, `{name}` and
//! `{seconds}` placeholders, filled by [`fill`].

use serde_json::{Map, Value};

use crate::error::{ChatError, ErrorKind};

macro_rules! texts {
    ($(#[$meta:meta])* $name:ident, $keys:ident, $english:ident; $($key:ident = $file_key:literal => $text:literal,)*) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs, reason = "each variant is named by its English text below")]
        pub enum $name { $($key,)* }

        /// The keys as written in locale files, in enum order.
        pub const $keys: &[&str] = &[$($file_key,)*];

        /// The English strings, in enum order.
        pub const $english: &[&str] = &[$($text,)*];
    };
}

texts! {
    /// A string the launcher stage shows (compiled into the first download).
    Text, KEYS, ENGLISH;
    DefaultTitle = "default_title" => "Chat",
    OpenChat = "open_chat" => "Open chat",
    CloseChat = "close_chat" => "Close chat",
    MessageLabel = "message_label" => "Message",
    Placeholder = "placeholder" => "Ask {title} a question…",
    Retry = "retry" => "Retry",
    Unread = "unread" => "New reply",
    // Shown by the loader (src/loader.js), not the wasm, after a second failure in a minute.
    Unavailable = "unavailable" => "Chat is unavailable. Reload the page to try again.",
    Loading = "loading" => "Loading the chat…",
    LoadFailed = "load_failed" => "The chat couldn't load. Check your connection and try again.",
}

texts! {
    /// A string only the panel stage shows (its English is in the panel stage's code, and
    /// its translations are read from the locale file when it asks).
    PanelText, PANEL_KEYS, PANEL_ENGLISH;
    NewConversation = "new_conversation" => "New conversation",
    Conversations = "conversations" => "Conversations",
    Back = "back" => "Back",
    Rename = "rename" => "Rename",
    Delete = "delete" => "Delete",
    Save = "save" => "Save",
    Cancel = "cancel" => "Cancel",
    Untitled = "untitled" => "Untitled conversation",
    NoConversations = "no_conversations" => "No conversations yet.",
    MoreConversations = "more_conversations" => "Show more conversations",
    EarlierMessages = "earlier_messages" => "Show earlier messages",
    Messages = "messages" => "Messages",
    Model = "model" => "Model",
    Send = "send" => "Send",
    Stop = "stop" => "Stop",
    Copy = "copy" => "Copy",
    CopyCode = "copy_code" => "Copy code",
    Copied = "copied" => "Copied",
    GoodReply = "good_reply" => "Good response",
    BadReply = "bad_reply" => "Bad response",
    Working = "working" => "Working…",
    Greeting = "greeting" => "Hi! How can I help you today?",
    NotConfigured = "not_configured" => "This chat isn't connected to an assistant yet.",
    JumpToLatest = "jump_to_latest" => "Jump to latest",
    YouSaid = "you_said" => "You said",
    AssistantSaid = "assistant_said" => "{title} said",
    Attach = "attach" => "Attach a file",
    RemoveAttachment = "remove_attachment" => "Remove {name}",
    UploadFailed = "upload_failed" => "Couldn't upload {name}.",
    ErrorNotPublished = "error_not_published" => "This assistant isn't available right now.",
    ErrorLoginRequired = "error_login_required" => "Please sign in to chat with this assistant.",
    ErrorSessionExpired = "error_session_expired" => "Your session expired. Reload to continue.",
    ErrorTokenUnavailable = "error_token_unavailable" => "Couldn't start a secure chat session. Try again in a moment.",
    ErrorNotAuthorised = "error_not_authorised" => "This chat isn't authorised for this assistant.",
    ErrorMisconfigured = "error_misconfigured" => "The chat isn't set up correctly.",
    ErrorWorkflowNotFound = "error_workflow_not_found" => "This assistant no longer exists.",
    ErrorRateLimited = "error_rate_limited" => "Too many messages — try again in a moment.",
    ErrorGeneration = "error_generation" => "Something went wrong generating a reply.",
    ErrorInterrupted = "error_interrupted" => "The connection was interrupted.",
    ErrorNetwork = "error_network" => "Can't reach the assistant. Check your connection.",
    Stopped = "stopped" => "You stopped this reply.",
    ErrorBusy = "error_busy" => "A reply is still on its way.",
    ErrorClosed = "error_closed" => "This conversation is closed.",
    ErrorClientTool = "error_client_tool" => "This page couldn't do what the assistant asked.",
    Sources = "sources" => "Sources",
    ReplyTruncated = "reply_truncated" => "The rest is shown as plain text.",
    GeneratingImage = "generating_image" => "Creating an image…",
}

texts! {
    /// A string only the widget stage shows (its English is in that stage's code; its
    /// translations are read from the locale file like the panel's).
    WidgetText, WIDGET_KEYS, WIDGET_ENGLISH;
    Submit = "submit" => "Submit",
    Steps = "steps" => "Steps ({count})",
    ShowMore = "show_more" => "Show more",
    ShowDetails = "show_details" => "Show details",
    HideDetails = "hide_details" => "Hide details",
    Skip = "skip" => "Skip",
    Skipped = "skipped" => "Skipped",
    OtherAnswer = "other_answer" => "Another answer…",
    Image = "image" => "Image",
    ThoughtFor = "thought_for" => "Thought for {seconds}s",
    WorkedFor = "worked_for" => "Worked for {seconds}s",
}

/// One locale's strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locale {
    /// BCP 47 primary tag, e.g. `de`.
    pub lang: String,
    /// Right-to-left script.
    pub rtl: bool,
    /// The launcher stage's strings, English where the file has none.
    texts: Vec<String>,
    /// The file's texts as given: the panel stage reads its own from them ([`Locale::panel`]).
    file: Map<String, Value>,
}

impl Default for Locale {
    fn default() -> Self {
        Self::english()
    }
}

/// A string's key: a launcher-stage [`Text`], a panel-stage [`PanelText`] or a widget-stage
/// [`WidgetText`].
pub trait Key: Copy {
    /// The string in `locale`.
    fn in_locale(self, locale: &Locale) -> &str;
}

impl Key for Text {
    fn in_locale(self, locale: &Locale) -> &str {
        locale.get(self)
    }
}

impl Key for PanelText {
    fn in_locale(self, locale: &Locale) -> &str {
        locale.panel(self)
    }
}

impl Key for WidgetText {
    fn in_locale(self, locale: &Locale) -> &str {
        locale.in_file(WIDGET_KEYS, WIDGET_ENGLISH, self as usize)
    }
}

impl Locale {
    /// English.
    pub fn english() -> Self {
        Self {
            lang: "en".into(),
            rtl: false,
            texts: ENGLISH.iter().map(|&text| text.to_owned()).collect(),
            file: Map::new(),
        }
    }

    /// A locale file: `{"lang": "de", "rtl": false, "texts": {"open_chat": "…", …}}`. Missing or
    /// empty texts stay English; `None` if it is not a locale file at all.
    pub fn from_json(value: &Value) -> Option<Self> {
        let lang = value.get("lang")?.as_str()?.to_owned();
        let texts = value.get("texts")?.as_object()?;
        let mut locale = Self::english();
        locale.lang = lang;
        locale.rtl = value.get("rtl").and_then(Value::as_bool).unwrap_or(false);
        for (slot, key) in locale.texts.iter_mut().zip(KEYS) {
            if let Some(text) = given(texts, key) {
                *slot = text.to_owned();
            }
        }
        locale.file = texts.clone();
        Some(locale)
    }

    /// A launcher-stage string.
    pub fn get(&self, text: Text) -> &str {
        self.texts.get(text as usize).map_or("", String::as_str)
    }

    /// A panel-stage string: the file's, else English.
    pub fn panel(&self, text: PanelText) -> &str {
        self.in_file(PANEL_KEYS, PANEL_ENGLISH, text as usize)
    }

    /// The string at `index` of a stage's keys: the file's, else the stage's English. (Each
    /// stage passes its own tables, so their English stays in that stage's chunk.)
    fn in_file<'a>(&'a self, keys: &[&str], english: &[&'a str], index: usize) -> &'a str {
        keys.get(index)
            .and_then(|key| given(&self.file, key))
            .unwrap_or_else(|| english.get(index).copied().unwrap_or_default())
    }

    /// The sentence for a failure of this kind.
    pub fn error(&self, kind: ErrorKind) -> &str {
        self.panel(match kind {
            ErrorKind::NotPublished => PanelText::ErrorNotPublished,
            ErrorKind::LoginRequired => PanelText::ErrorLoginRequired,
            ErrorKind::SessionExpired => PanelText::ErrorSessionExpired,
            ErrorKind::TokenUnavailable => PanelText::ErrorTokenUnavailable,
            ErrorKind::NotAuthorised => PanelText::ErrorNotAuthorised,
            ErrorKind::Misconfigured => PanelText::ErrorMisconfigured,
            ErrorKind::WorkflowNotFound => PanelText::ErrorWorkflowNotFound,
            ErrorKind::RateLimited => PanelText::ErrorRateLimited,
            ErrorKind::Generation => PanelText::ErrorGeneration,
            ErrorKind::Interrupted => PanelText::ErrorInterrupted,
            ErrorKind::Network => PanelText::ErrorNetwork,
            ErrorKind::Aborted => PanelText::Stopped,
            ErrorKind::Busy => PanelText::ErrorBusy,
            ErrorKind::Closed => PanelText::ErrorClosed,
            ErrorKind::ClientTool => PanelText::ErrorClientTool,
        })
    }

    /// What a failure says: the server's own sentence if it sent one, else this locale's.
    pub fn error_text(&self, error: &ChatError) -> String {
        error.server_message.clone().unwrap_or_else(|| self.error(error.kind).to_owned())
    }
}

/// A locale file's non-blank text for `key`.
fn given<'a>(texts: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    texts.get(key).and_then(Value::as_str).filter(|text| !text.trim().is_empty())
}

/// The primary language subtag of a BCP 47 tag, lower-cased (`pt-BR` → `pt`).
pub fn primary_language(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase()
}

/// Replaces `{key}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (key, value) in values {
        out = crate::text::replace(&out, &format!("{{{key}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_and_english_line_up() {
        assert_eq!(KEYS.len(), ENGLISH.len());
        assert_eq!(PANEL_KEYS.len(), PANEL_ENGLISH.len());
        assert_eq!(WIDGET_KEYS.len(), WIDGET_ENGLISH.len());
        let english = Locale::english();
        assert_eq!(WidgetText::ShowMore.in_locale(&english), "Show more");
        assert_eq!(english.get(Text::OpenChat), "Open chat");
        assert_eq!(english.panel(PanelText::Stopped), "You stopped this reply.");
    }

    #[test]
    fn locale_files_override_what_they_have_and_keep_english_for_the_rest() {
        let locale = Locale::from_json(
            &json!({"lang": "de", "texts": {"open_chat": "Chat öffnen", "send": "  ", "copy": "Kopieren"}}),
        );
        let locale = locale.unwrap_or_default();
        assert_eq!((locale.lang.as_str(), locale.rtl), ("de", false));
        assert_eq!(locale.get(Text::OpenChat), "Chat öffnen");
        assert_eq!(locale.panel(PanelText::Send), "Send", "an empty text stays English");
        assert_eq!(locale.panel(PanelText::Copy), "Kopieren");
        assert_eq!(Locale::from_json(&json!({"texts": {}})), None);
    }

    #[test]
    fn tags_reduce_to_their_primary_language() {
        assert_eq!(primary_language("pt-BR"), "pt");
        assert_eq!(primary_language("zh_Hant_TW"), "zh");
        assert_eq!(primary_language("AR"), "ar");
    }

    #[test]
    fn templates_fill_their_placeholders() {
        let english = Locale::english();
        assert_eq!(fill(english.get(Text::Placeholder), &[("title", "Support")]), "Ask Support a question…");
    }

    #[test]
    fn the_contract_sentences_are_exact_in_english() {
        let english = Locale::english();
        let cases = [
            (ErrorKind::NotPublished, "This assistant isn't available right now."),
            (ErrorKind::LoginRequired, "Please sign in to chat with this assistant."),
            (ErrorKind::SessionExpired, "Your session expired. Reload to continue."),
            (ErrorKind::NotAuthorised, "This chat isn't authorised for this assistant."),
            (ErrorKind::Misconfigured, "The chat isn't set up correctly."),
            (ErrorKind::WorkflowNotFound, "This assistant no longer exists."),
            (ErrorKind::RateLimited, "Too many messages — try again in a moment."),
            (ErrorKind::Generation, "Something went wrong generating a reply."),
            (ErrorKind::Interrupted, "The connection was interrupted."),
            (ErrorKind::Network, "Can't reach the assistant. Check your connection."),
        ];
        for (kind, sentence) in cases {
            assert_eq!(english.error(kind), sentence);
        }
    }

    #[test]
    fn a_failure_says_the_servers_sentence_when_there_is_one() {
        let german =
            Locale::from_json(&json!({"lang": "de", "texts": {"error_network": "Keine Verbindung."}}))
                .unwrap_or_default();
        let mut error = ChatError::network();
        assert_eq!(german.error_text(&error), "Keine Verbindung.");
        error.server_message = Some("Only 3 messages a day.".into());
        assert_eq!(german.error_text(&error), "Only 3 messages a day.");
    }
}
