//! Talking to Orcheo: `POST /api/chatkit` with the workflow id and metadata on every body, the
//! visitor id or a bearer token on every request, one refresh-and-retry when a token is
//! rejected, and HTTP failures mapped to [`ChatError`]s.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use serde_json::{Map, Value};
use web_sys::{AbortSignal, Response};

use crate::config::WorkflowRef;
use crate::error::{ChatError, ErrorKind};
use crate::json::JsonCodec;
use crate::protocol::{PublicWorkflow, Request};
use crate::web::auth::Tokens;
use crate::web::json::BrowserJson;
use crate::web::net::{self, Body, FetchFailure, HttpRequest};

/// How requests identify the visitor.
#[derive(Clone)]
pub enum Identity {
    /// Published mode: an anonymous visitor id (`X-Orcheo-Visitor-Id`).
    Visitor(String),
    /// JWT mode: a ChatKit session token.
    Token(Rc<Tokens>),
}

/// A connection to one workflow on one backend.
pub struct Client {
    /// The backend's base URL.
    pub backend: String,
    /// The workflow's UUID.
    pub workflow_id: String,
    /// `metadata` of every request.
    pub metadata: Map<String, Value>,
    /// `credentials: "include"`.
    pub send_cookies: bool,
    /// Visitor id or token.
    pub identity: Identity,
}

impl Client {
    /// Sends a ChatKit request and returns the successful response (a stream or JSON).
    ///
    /// # Errors
    /// The mapped failure; `consecutive_429s` (counting this request) sets the rate-limit wait.
    pub fn post<'a>(
        &'a self,
        request: &'a Request,
        signal: Option<&'a AbortSignal>,
        consecutive_429s: u32,
    ) -> Pin<Box<dyn Future<Output = Result<Response, ChatError>> + 'a>> {
        let body = BrowserJson.stringify(&request.body(&self.workflow_id, &self.metadata));
        self.send(format!("{}/api/chatkit", self.backend), Body::Json(body), signal, consecutive_429s)
    }

    /// Uploads a file to `/api/chatkit/upload`; returns the attachment id for the next message.
    ///
    /// # Errors
    /// As [`Client::post`], or [`ChatError::network`] when the answer has no id.
    pub fn upload(
        &self,
        file: web_sys::File,
    ) -> Pin<Box<dyn Future<Output = Result<String, ChatError>> + '_>> {
        Box::pin(async move {
            let form = web_sys::FormData::new().map_err(|_| ChatError::network())?;
            form.append_with_blob_and_filename("file", &file, &file.name())
                .map_err(|_| ChatError::network())?;
            form.append_with_str("workflow_id", &self.workflow_id).map_err(|_| ChatError::network())?;
            let url = format!("{}/api/chatkit/upload", self.backend);
            let response = self.send(url, Body::Form(form), None, 1).await?;
            let answer = net::json(&response).await;
            answer
                .as_ref()
                .and_then(|a| a.get("id")?.as_str())
                .map(str::to_owned)
                .ok_or_else(ChatError::network)
        })
    }

    /// Sends a body with the visitor's identity; a rejected token is refreshed once and the
    /// request sent once more. Boxed so that its state machine exists once rather than inlined
    /// into every caller.
    fn send<'a>(
        &'a self,
        url: String,
        body: Body,
        signal: Option<&'a AbortSignal>,
        consecutive_429s: u32,
    ) -> Pin<Box<dyn Future<Output = Result<Response, ChatError>> + 'a>> {
        Box::pin(self.send_inner(url, body, signal, consecutive_429s))
    }

    async fn send_inner(
        &self,
        url: String,
        body: Body,
        signal: Option<&AbortSignal>,
        consecutive_429s: u32,
    ) -> Result<Response, ChatError> {
        let mut retried = false;
        loop {
            let header = match &self.identity {
                Identity::Visitor(id) => ("X-Orcheo-Visitor-Id", id.clone()),
                Identity::Token(tokens) => ("Authorization", format!("Bearer {}", tokens.bearer().await?)),
            };
            let http = HttpRequest {
                method: "POST",
                url: &url,
                body: Some(body.clone()),
                headers: vec![header],
                send_cookies: self.send_cookies,
                signal,
            };
            let response = net::send(http).await.map_err(|failure| match failure {
                FetchFailure::Aborted => ChatError::aborted(),
                FetchFailure::Network(_) => ChatError::network(),
            })?;
            if response.ok() {
                return Ok(response);
            }
            let error = http_error(&response, consecutive_429s).await;
            // A rejected token is refreshed once and the request sent once more.
            if let (Identity::Token(tokens), ErrorKind::SessionExpired, false) =
                (&self.identity, error.kind, retried)
            {
                retried = true;
                tokens.replace().await?;
                continue;
            }
            return Err(error);
        }
    }

    /// Sends a ChatKit request whose answer is JSON.
    ///
    /// # Errors
    /// As [`Client::post`], or [`ChatError::network`] when the answer is not JSON.
    pub async fn call(&self, request: &Request) -> Result<Value, ChatError> {
        let response = self.post(request, None, 1).await?;
        net::json(&response).await.ok_or_else(ChatError::network)
    }
}

/// Maps an error response.
pub async fn http_error(response: &Response, consecutive_429s: u32) -> ChatError {
    let body = net::json(response).await;
    ChatError::from_http(response.status(), body.as_ref(), net::retry_after_s(response), consecutive_429s)
}

/// `GET /api/workflows/{ref}/public`: the workflow's UUID, name and start prompts.
///
/// # Errors
/// The mapped failure (a workflow that is not published answers 403, an unknown one 404).
pub fn public_workflow<'a>(
    backend: &'a str,
    workflow: &'a WorkflowRef,
    send_cookies: bool,
) -> Pin<Box<dyn Future<Output = Result<PublicWorkflow, ChatError>> + 'a>> {
    Box::pin(public_workflow_inner(backend, workflow, send_cookies))
}

async fn public_workflow_inner(
    backend: &str,
    workflow: &WorkflowRef,
    send_cookies: bool,
) -> Result<PublicWorkflow, ChatError> {
    let url = format!("{backend}/api/workflows/{}/public", workflow.as_str());
    let request =
        HttpRequest { method: "GET", url: &url, body: None, headers: Vec::new(), send_cookies, signal: None };
    let response = net::send(request).await.map_err(|_| ChatError::network())?;
    if !response.ok() {
        return Err(http_error(&response, 1).await);
    }
    let body = net::json(&response).await.ok_or_else(ChatError::network)?;
    PublicWorkflow::from_json(&body).map_err(|_| ChatError::network())
}
