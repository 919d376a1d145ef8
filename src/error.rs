//! What went wrong, in the terms a visitor and an embedder need: a typed error from an HTTP
//! status and Orcheo's `detail.code`, or from an in-stream `error` event, with the sentence to
//! show (as a [`crate::i18n::Text`] key), whether and when Retry helps, and the `code` that
//! `OrcheoChat.send()` rejects with (embed contract §2 and §6).

use serde_json::Value;

/// The kinds of failure the panel distinguishes; each has its own sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `403 chatkit.auth.not_published`.
    NotPublished,
    /// `401 chatkit.auth.oauth_required`: the workflow needs a signed-in visitor.
    LoginRequired,
    /// `401 chatkit.auth.invalid_jwt` even after a fresh token.
    SessionExpired,
    /// The embedder's token endpoint or provider failed to produce a token.
    TokenUnavailable,
    /// `403 chatkit.auth.workflow_mismatch` and the workspace checks.
    NotAuthorised,
    /// `400 chatkit.workflow_id_*`, other 400s, a missing signing key: the embed is wrong.
    Misconfigured,
    /// `404 Workflow not found`.
    WorkflowNotFound,
    /// `429`.
    RateLimited,
    /// An in-stream `error` event.
    Generation,
    /// The stream ended with neither a reply nor an error.
    Interrupted,
    /// No response, a 5xx, or a response the browser would not let us read (CORS).
    Network,
    /// The visitor pressed Stop.
    Aborted,
    /// A reply is still streaming: one message at a time.
    Busy,
    /// The conversation is locked or closed (`thread.status`): it takes no more messages.
    Closed,
    /// The page's client tool failed, or the page has none.
    ClientTool,
}

/// When Retry is offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Retrying cannot help.
    Never,
    /// Retry right away.
    Now,
    /// Retry once the visitor has signed in.
    AfterSignIn,
    /// Retry after this many seconds.
    After(u32),
}

/// A failure, ready to show and to report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatError {
    /// Which sentence to show.
    pub kind: ErrorKind,
    /// The code `send()` rejects with: the backend's `detail.code`, or `network`, `aborted`,
    /// `interrupted`, `http_<status>`.
    pub code: String,
    /// A server-provided sentence that replaces the default one (only for [`ErrorKind::Generation`]).
    pub server_message: Option<String>,
    /// When Retry is offered.
    pub retry: Retry,
    /// What the embedder should fix, for one `console.error` (misconfiguration only).
    pub embedder_hint: Option<String>,
}

/// Seconds to wait after a 429 when `Retry-After` cannot be read (Orcheo sends it but does not
/// expose it to cross-origin scripts): a backoff that starts at a few seconds and doubles per
/// consecutive 429, capped at Orcheo's 60 s window.
pub fn rate_limit_backoff_s(consecutive_429s: u32) -> u32 {
    let doubled = 5u32.saturating_mul(1u32 << consecutive_429s.saturating_sub(1).min(4));
    doubled.min(60)
}

impl ChatError {
    fn new(kind: ErrorKind, code: impl Into<String>, retry: Retry) -> Self {
        Self { kind, code: code.into(), server_message: None, retry, embedder_hint: None }
    }

    /// The fetch itself failed: no network, DNS, CORS, or a 5xx without CORS headers.
    pub fn network() -> Self {
        Self::new(ErrorKind::Network, "network", Retry::Now)
    }

    /// The visitor stopped the reply.
    pub fn aborted() -> Self {
        Self::new(ErrorKind::Aborted, "aborted", Retry::Now)
    }

    /// The conversation is locked or closed; `reason` is the server's, if it gave one.
    pub fn closed(reason: &str) -> Self {
        let mut error = Self::new(ErrorKind::Closed, "thread_closed", Retry::Never);
        error.server_message = Some(reason.trim().to_owned()).filter(|reason| !reason.is_empty());
        error
    }

    /// The page could not run a client tool the assistant asked for; `detail` says why, for
    /// the console.
    pub fn client_tool(detail: impl Into<String>) -> Self {
        let mut error = Self::new(ErrorKind::ClientTool, "client_tool", Retry::Never);
        error.embedder_hint = Some(detail.into());
        error
    }

    /// A message was sent while a reply is still streaming.
    pub fn busy() -> Self {
        Self::new(ErrorKind::Busy, "busy", Retry::Now)
    }

    /// The stream ended with neither a reply nor an `error` event.
    pub fn interrupted() -> Self {
        Self::new(ErrorKind::Interrupted, "interrupted", Retry::Now)
    }

    /// The token endpoint or provider failed; `detail` says how, for the console.
    pub fn token_unavailable(detail: impl Into<String>) -> Self {
        let mut error = Self::new(ErrorKind::TokenUnavailable, "token_unavailable", Retry::Now);
        error.embedder_hint = Some(detail.into());
        error
    }

    /// The configuration cannot work (no backend, no workflow, a bad workflow reference).
    pub fn misconfigured(hint: impl Into<String>) -> Self {
        let mut error = Self::new(ErrorKind::Misconfigured, "config", Retry::Never);
        error.embedder_hint = Some(hint.into());
        error
    }

    /// Maps an HTTP error response: its status, its JSON body (if any), and the `Retry-After`
    /// seconds if the browser could read them. `consecutive_429s` counts this one.
    pub fn from_http(
        status: u16,
        body: Option<&Value>,
        retry_after_s: Option<u32>,
        consecutive_429s: u32,
    ) -> Self {
        let detail = body.and_then(|body| body.get("detail"));
        let code = detail
            .and_then(|detail| detail.get("code"))
            .or_else(|| body.and_then(|body| body.get("code")))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let message = detail
            .and_then(|detail| detail.get("message").or(Some(detail)))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let code_or_status = if code.is_empty() { format!("http_{status}") } else { code.clone() };
        let misconfigured = |hint: String| {
            let mut error = Self::new(ErrorKind::Misconfigured, code_or_status.clone(), Retry::Never);
            error.embedder_hint = Some(hint);
            error
        };
        match (status, code.as_str()) {
            // The second is `/api/workflows/{ref}/public` saying the same.
            (_, "chatkit.auth.not_published" | "workflow.not_public") => {
                Self::new(ErrorKind::NotPublished, code, Retry::Never)
            }
            (_, "chatkit.auth.oauth_required") => Self::new(ErrorKind::LoginRequired, code, Retry::AfterSignIn),
            (_, "chatkit.auth.invalid_jwt" | "chatkit.auth.invalid_jwt_claims" | "chatkit.auth.missing_token") => {
                Self::new(ErrorKind::SessionExpired, code, Retry::Now)
            }
            (_, "chatkit.auth.workflow_mismatch" | "chatkit.auth.workspace_mismatch" | "chatkit.auth.workspace_required") => {
                Self::new(ErrorKind::NotAuthorised, code, Retry::Never)
            }
            (_, "chatkit.workflow_id_missing" | "chatkit.workflow_id_invalid") => misconfigured(format!(
                "the backend rejected the workflow id ({message}); set data-workflow to the workflow's UUID, \
                 its handle, or its share URL"
            )),
            (_, "chatkit.signing_key_missing") => misconfigured(
                "the Orcheo backend has no ORCHEO_CHATKIT_TOKEN_SIGNING_KEY, so it cannot accept session tokens".into(),
            ),
            (_, "chatkit.auth.invalid_scheme" | "chatkit.auth.missing_visitor_id") => {
                misconfigured(format!("the backend rejected the request's credentials: {message}"))
            }
            (429, _) => {
                let wait = retry_after_s.unwrap_or_else(|| rate_limit_backoff_s(consecutive_429s));
                Self::new(ErrorKind::RateLimited, code_or_status, Retry::After(wait))
            }
            (404, _) => Self::new(ErrorKind::WorkflowNotFound, code_or_status, Retry::Never),
            (401 | 403, _) => Self::new(ErrorKind::NotAuthorised, code_or_status, Retry::Never),
            (400..=499, _) => misconfigured(format!("the backend answered {status}: {message}")),
            _ => Self::new(ErrorKind::Network, code_or_status, Retry::Now),
        }
    }

    /// Maps an in-stream `error` event.
    pub fn from_stream(code: &str, message: Option<&str>, allow_retry: bool) -> Self {
        let mut error = Self::new(
            ErrorKind::Generation,
            if code.is_empty() { "stream.error" } else { code },
            if allow_retry { Retry::Now } else { Retry::Never },
        );
        error.server_message = message.map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned);
        error
    }

    /// Whether a Retry button is shown.
    pub fn retryable(&self) -> bool {
        self.retry != Retry::Never
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn http(status: u16, body: Value) -> ChatError {
        ChatError::from_http(status, Some(&body), None, 1)
    }

    #[test]
    fn orcheo_auth_codes_map_to_their_sentences_and_retry_rules() {
        let detail = |code: &str| json!({"detail": {"message": "m", "code": code, "auth_mode": "publish"}});
        let cases = [
            (403, "chatkit.auth.not_published", ErrorKind::NotPublished, Retry::Never),
            (401, "chatkit.auth.oauth_required", ErrorKind::LoginRequired, Retry::AfterSignIn),
            (401, "chatkit.auth.invalid_jwt", ErrorKind::SessionExpired, Retry::Now),
            (403, "chatkit.auth.workflow_mismatch", ErrorKind::NotAuthorised, Retry::Never),
            (400, "chatkit.workflow_id_invalid", ErrorKind::Misconfigured, Retry::Never),
            (400, "chatkit.workflow_id_missing", ErrorKind::Misconfigured, Retry::Never),
            (503, "chatkit.signing_key_missing", ErrorKind::Misconfigured, Retry::Never),
        ];
        for (status, code, kind, retry) in cases {
            let error = http(status, detail(code));
            assert_eq!((error.kind, error.retry, error.code.as_str()), (kind, retry, code), "{code}");
        }
    }

    #[test]
    fn misconfiguration_carries_a_hint_for_the_embedder() {
        let error = http(
            400,
            json!({"detail": {"message": "workflow_id must be a valid UUID.", "code": "chatkit.workflow_id_invalid"}}),
        );
        assert!(error.embedder_hint.unwrap_or_default().contains("data-workflow"));
    }

    #[test]
    fn unknown_workflow_is_a_plain_string_detail() {
        let error = http(404, json!({"detail": "Workflow not found"}));
        assert_eq!((error.kind, error.code.as_str()), (ErrorKind::WorkflowNotFound, "http_404"));
    }

    #[test]
    fn rate_limits_wait_for_retry_after_or_back_off() {
        let body = json!({"detail": {"message": "Too many", "code": "chatkit.rate_limit.publish"}});
        assert_eq!(ChatError::from_http(429, Some(&body), Some(60), 1).retry, Retry::After(60));
        assert_eq!(ChatError::from_http(429, Some(&body), None, 1).retry, Retry::After(5));
        assert_eq!(ChatError::from_http(429, Some(&body), None, 2).retry, Retry::After(10));
        assert_eq!(ChatError::from_http(429, Some(&body), None, 9).retry, Retry::After(60));
        assert_eq!(ChatError::from_http(429, Some(&body), None, 1).code, "chatkit.rate_limit.publish");
    }

    #[test]
    fn server_errors_and_unreadable_bodies_are_network_failures() {
        let error = ChatError::from_http(500, None, None, 0);
        assert_eq!(
            (error.kind, error.retry, error.code.as_str()),
            (ErrorKind::Network, Retry::Now, "http_500")
        );
        assert_eq!(ChatError::network().code, "network");
    }

    #[test]
    fn stream_errors_keep_the_server_sentence_and_the_retry_flag() {
        let error =
            ChatError::from_stream("custom", Some("Workflow completed without producing a reply."), false);
        assert_eq!(error.server_message.as_deref(), Some("Workflow completed without producing a reply."));
        assert!(!error.retryable());
        let error = ChatError::from_stream("stream.error", None, true);
        assert_eq!((error.server_message, error.retry), (None, Retry::Now));
    }
}
