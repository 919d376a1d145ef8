//! Every visible string, per locale. `data-locale` (else `navigator.language`) picks a table by
//! its primary language subtag; English is the fallback. Templates use `{title}`, `{name}` and
//! `{seconds}` placeholders, filled by [`fill`].

use crate::error::ErrorKind;

/// One locale's strings.
#[derive(Debug)]
pub struct Strings {
    /// BCP 47 primary tag, e.g. `de`.
    pub lang: &'static str,
    /// Right-to-left script.
    pub rtl: bool,
    /// Header title when neither the embed nor the workflow names one.
    pub default_title: &'static str,
    /// Launcher name while closed.
    pub open_chat: &'static str,
    /// Launcher and header close button name while open.
    pub close_chat: &'static str,
    /// Header button that starts a fresh conversation.
    pub new_conversation: &'static str,
    /// Header button that shows the conversation list.
    pub conversations: &'static str,
    /// Back from the conversation list.
    pub back: &'static str,
    /// Rename a conversation.
    pub rename: &'static str,
    /// Delete a conversation.
    pub delete: &'static str,
    /// A conversation without a title.
    pub untitled: &'static str,
    /// Shown when the conversation list is empty.
    pub no_conversations: &'static str,
    /// Accessible name of the message list.
    pub messages: &'static str,
    /// Accessible name of the composer textarea.
    pub message_label: &'static str,
    /// Composer placeholder, `{title}`.
    pub placeholder: &'static str,
    /// Send button.
    pub send: &'static str,
    /// Stop button.
    pub stop: &'static str,
    /// Retry button.
    pub retry: &'static str,
    /// Retry button while waiting, `{seconds}`.
    pub retry_in: &'static str,
    /// Copy a message.
    pub copy: &'static str,
    /// Copy a code block.
    pub copy_code: &'static str,
    /// After copying.
    pub copied: &'static str,
    /// Status while a reply is being produced.
    pub working: &'static str,
    /// Start-screen greeting.
    pub greeting: &'static str,
    /// Composer hint while no backend or workflow is configured.
    pub not_configured: &'static str,
    /// Button shown when new content is below the fold.
    pub jump_to_latest: &'static str,
    /// Button that loads older history.
    pub load_older: &'static str,
    /// Accessible label of a visitor message.
    pub you_said: &'static str,
    /// Accessible label of an assistant message, `{title}`.
    pub assistant_said: &'static str,
    /// Attach a file.
    pub attach: &'static str,
    /// Remove an attachment, `{name}`.
    pub remove_attachment: &'static str,
    /// Upload failed, `{name}`.
    pub upload_failed: &'static str,
    /// Launcher badge for an unread reply.
    pub unread: &'static str,
    /// Widget form submit fallback label.
    pub submit: &'static str,
    /// `403 not_published`.
    pub error_not_published: &'static str,
    /// `401 oauth_required`.
    pub error_login_required: &'static str,
    /// `401 invalid_jwt` after a refresh.
    pub error_session_expired: &'static str,
    /// Token endpoint failure.
    pub error_token_unavailable: &'static str,
    /// `403 workflow_mismatch`.
    pub error_not_authorised: &'static str,
    /// Bad configuration.
    pub error_misconfigured: &'static str,
    /// `404`.
    pub error_workflow_not_found: &'static str,
    /// `429`.
    pub error_rate_limited: &'static str,
    /// In-stream error without a message.
    pub error_generation: &'static str,
    /// Stream ended without a reply.
    pub error_interrupted: &'static str,
    /// Network failure.
    pub error_network: &'static str,
    /// The visitor pressed Stop.
    pub stopped: &'static str,
}

impl Strings {
    /// The sentence for a failure of this kind.
    pub fn error(&self, kind: ErrorKind) -> &'static str {
        match kind {
            ErrorKind::NotPublished => self.error_not_published,
            ErrorKind::LoginRequired => self.error_login_required,
            ErrorKind::SessionExpired => self.error_session_expired,
            ErrorKind::TokenUnavailable => self.error_token_unavailable,
            ErrorKind::NotAuthorised => self.error_not_authorised,
            ErrorKind::Misconfigured => self.error_misconfigured,
            ErrorKind::WorkflowNotFound => self.error_workflow_not_found,
            ErrorKind::RateLimited => self.error_rate_limited,
            ErrorKind::Generation => self.error_generation,
            ErrorKind::Interrupted => self.error_interrupted,
            ErrorKind::Network => self.error_network,
            ErrorKind::Aborted => self.stopped,
        }
    }
}

/// Replaces `{key}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

/// English.
pub static EN: Strings = Strings {
    lang: "en",
    rtl: false,
    default_title: "Chat",
    open_chat: "Open chat",
    close_chat: "Close chat",
    new_conversation: "New conversation",
    conversations: "Conversations",
    back: "Back",
    rename: "Rename",
    delete: "Delete",
    untitled: "Untitled conversation",
    no_conversations: "No conversations yet.",
    messages: "Messages",
    message_label: "Message",
    placeholder: "Ask {title} a question…",
    send: "Send",
    stop: "Stop",
    retry: "Retry",
    retry_in: "Retry in {seconds} s",
    copy: "Copy",
    copy_code: "Copy code",
    copied: "Copied",
    working: "Working…",
    greeting: "Hi! How can I help you today?",
    not_configured: "This chat isn't connected to an assistant yet.",
    jump_to_latest: "Jump to latest",
    load_older: "Show earlier messages",
    you_said: "You said",
    assistant_said: "{title} said",
    attach: "Attach a file",
    remove_attachment: "Remove {name}",
    upload_failed: "Couldn't upload {name}.",
    unread: "New reply",
    submit: "Submit",
    error_not_published: "This assistant isn't available right now.",
    error_login_required: "Please sign in to chat with this assistant.",
    error_session_expired: "Your session expired. Reload to continue.",
    error_token_unavailable: "Couldn't start a secure chat session. Try again in a moment.",
    error_not_authorised: "This chat isn't authorised for this assistant.",
    error_misconfigured: "The chat isn't set up correctly.",
    error_workflow_not_found: "This assistant no longer exists.",
    error_rate_limited: "Too many messages — try again in a moment.",
    error_generation: "Something went wrong generating a reply.",
    error_interrupted: "The connection was interrupted.",
    error_network: "Can't reach the assistant. Check your connection.",
    stopped: "You stopped this reply.",
};

/// Every shipped table.
pub static LOCALES: &[&Strings] = &[&EN];

/// The table for a BCP 47 tag (`de-AT` → German, `zh-Hant-TW` → Chinese), English if none.
pub fn for_tag(tag: &str) -> &'static Strings {
    let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    LOCALES.iter().copied().find(|strings| strings.lang == primary).unwrap_or(&EN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_match_by_primary_language_and_fall_back_to_english() {
        assert_eq!(for_tag("en-GB").lang, "en");
        assert_eq!(for_tag("tlh").lang, "en");
        assert_eq!(for_tag("").lang, "en");
    }

    #[test]
    fn templates_fill_their_placeholders() {
        assert_eq!(fill(EN.placeholder, &[("title", "Support")]), "Ask Support a question…");
        assert_eq!(fill(EN.retry_in, &[("seconds", "5")]), "Retry in 5 s");
    }

    #[test]
    fn the_contract_sentences_are_exact_in_english() {
        assert_eq!(EN.error(ErrorKind::NotPublished), "This assistant isn't available right now.");
        assert_eq!(EN.error(ErrorKind::LoginRequired), "Please sign in to chat with this assistant.");
        assert_eq!(EN.error(ErrorKind::SessionExpired), "Your session expired. Reload to continue.");
        assert_eq!(EN.error(ErrorKind::NotAuthorised), "This chat isn't authorised for this assistant.");
        assert_eq!(EN.error(ErrorKind::Misconfigured), "The chat isn't set up correctly.");
        assert_eq!(EN.error(ErrorKind::WorkflowNotFound), "This assistant no longer exists.");
        assert_eq!(EN.error(ErrorKind::RateLimited), "Too many messages — try again in a moment.");
        assert_eq!(EN.error(ErrorKind::Generation), "Something went wrong generating a reply.");
        assert_eq!(EN.error(ErrorKind::Interrupted), "The connection was interrupted.");
        assert_eq!(EN.error(ErrorKind::Network), "Can't reach the assistant. Check your connection.");
    }
}
