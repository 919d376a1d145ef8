//! Talking to Orcheo: `POST /api/chatkit` with bodies the session built (workflow id and the
//! metadata in force), the visitor id or a bearer token and the widget's language
//! (`Accept-Language`) on every request, one refresh-and-retry
//! when a token is rejected, uploads, the `/public` lookup, and HTTP failures mapped to
//! [`ChatError`]s.

use std::rc::Rc;

use gloo_net::http::Response;
use leptos::prelude::WithUntracked;
use serde_json::Value;
use web_sys::AbortSignal;

use crate::config::WorkflowRef;
use crate::error::{ChatError, ErrorKind};
use crate::json::JsonCodec;
use crate::protocol::PublicWorkflow;
use crate::session::{Auth, Endpoint};
use crate::web::json::BrowserJson;
use crate::web::panel::auth::Tokens;
use crate::web::panel::http::{self, Body, FetchFailure};
use crate::web::shell::Shell;

/// The widget's language for `Accept-Language`: the `locale` option as given, else the
/// language of the strings in use.
pub fn language(shell: Shell) -> String {
    shell
        .settings
        .try_with_untracked(|settings| {
            settings.config.locale.clone().unwrap_or_else(|| settings.locale.lang.clone())
        })
        .unwrap_or_default()
        // `zh_Hant` is accepted as a locale; a header value with `_` is not CORS-safelisted.
        .replace('_', "-")
}

/// A connection to one workflow on one backend, as one visitor.
pub struct Client {
    endpoint: Endpoint,
    /// JWT mode's tokens.
    tokens: Option<Rc<Tokens>>,
    /// Where the language in force is read, request by request (it can change in place).
    shell: Shell,
}

impl Client {
    /// A client for `endpoint`; `tokens` are required when it uses [`Auth::Token`].
    pub fn new(endpoint: Endpoint, tokens: Option<Rc<Tokens>>, shell: Shell) -> Self {
        Self { endpoint, tokens, shell }
    }

    /// Posts a ChatKit body and returns the successful response (a stream or JSON).
    ///
    /// # Errors
    /// The mapped failure; `consecutive_429s` (counting this request) sets the rate-limit wait.
    pub async fn post(
        &self,
        body: &Value,
        signal: Option<&AbortSignal>,
        consecutive_429s: u32,
    ) -> Result<Response, ChatError> {
        let url = format!("{}/api/chatkit", self.endpoint.backend);
        self.send(&url, Body::Json(BrowserJson.stringify(body)), signal, consecutive_429s).await
    }

    /// Posts a ChatKit body whose answer is JSON.
    ///
    /// # Errors
    /// As [`Client::post`], or [`ChatError::network`] when the answer is not JSON.
    pub async fn call(&self, body: &Value) -> Result<Value, ChatError> {
        let response = self.post(body, None, 1).await?;
        http::json(&response).await.ok_or_else(ChatError::network)
    }

    /// Uploads a file to `/api/chatkit/upload`; returns the attachment id for the next message.
    ///
    /// # Errors
    /// As [`Client::post`], or [`ChatError::network`] when the answer has no id.
    pub async fn upload(&self, file: &web_sys::File) -> Result<String, ChatError> {
        let form = web_sys::FormData::new().map_err(|_| ChatError::network())?;
        form.append_with_blob_and_filename("file", file, &file.name()).map_err(|_| ChatError::network())?;
        form.append_with_str("workflow_id", &self.endpoint.workflow_id).map_err(|_| ChatError::network())?;
        let url = format!("{}/api/chatkit/upload", self.endpoint.backend);
        let response = self.send(&url, Body::Form(form), None, 1).await?;
        let answer = http::json(&response).await;
        answer.as_ref().and_then(|a| a.get("id")?.as_str()).map(str::to_owned).ok_or_else(ChatError::network)
    }

    /// Sends a body with the visitor's identity; a rejected token is refreshed once and the
    /// request sent once more.
    async fn send(
        &self,
        url: &str,
        body: Body,
        signal: Option<&AbortSignal>,
        consecutive_429s: u32,
    ) -> Result<Response, ChatError> {
        let mut retried = false;
        loop {
            let header = match (&self.endpoint.auth, &self.tokens) {
                (Auth::Visitor(id), _) => ("X-Orcheo-Visitor-Id", id.clone()),
                (Auth::Token, Some(tokens)) => {
                    ("Authorization", format!("Bearer {}", tokens.bearer().await?))
                }
                (Auth::Token, None) => return Err(ChatError::token_unavailable("no token source is set")),
            };
            let language = language(self.shell);
            let response = http::send(
                "POST",
                url,
                &[(header.0, &header.1), ("Accept-Language", &language)],
                Some(body.clone()),
                self.endpoint.send_cookies,
                signal,
            )
            .await
            .map_err(|failure| match failure {
                FetchFailure::Aborted => ChatError::aborted(),
                FetchFailure::Network(_) => ChatError::network(),
            })?;
            if response.ok() {
                return Ok(response);
            }
            let error = http_error(&response, consecutive_429s).await;
            if let (Some(tokens), ErrorKind::SessionExpired, false) = (&self.tokens, error.kind, retried) {
                retried = true;
                tokens.replace().await?;
                continue;
            }
            return Err(error);
        }
    }
}

/// Maps an error response.
pub async fn http_error(response: &Response, consecutive_429s: u32) -> ChatError {
    let body = http::json(response).await;
    ChatError::from_http(response.status(), body.as_ref(), http::retry_after_s(response), consecutive_429s)
}

/// `GET /api/workflows/{ref}/public`: the workflow's UUID, name and start prompts.
///
/// # Errors
/// The mapped failure (a workflow that is not published answers 403, an unknown one 404).
pub async fn public_workflow(
    backend: &str,
    workflow: &WorkflowRef,
    send_cookies: bool,
    language: &str,
) -> Result<PublicWorkflow, ChatError> {
    let url = format!("{backend}/api/workflows/{}/public", workflow.as_str());
    let headers = [("Accept-Language", language)];
    let response = http::send("GET", &url, &headers, None, send_cookies, None)
        .await
        .map_err(|_| ChatError::network())?;
    if !response.ok() {
        return Err(http_error(&response, 1).await);
    }
    let body = http::json(&response).await.ok_or_else(ChatError::network)?;
    PublicWorkflow::from_json(&body).map_err(|_| ChatError::network())
}
