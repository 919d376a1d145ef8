//! JWT mode: ChatKit session tokens from the embedder's token endpoint (`data-token-url`) or
//! from `OrcheoChat.setTokenProvider(fn)`. The token lives in memory only. It is refreshed when
//! less than 30 s of it remain ([`SessionToken::needs_refresh`]), and concurrent requests wait
//! for one shared refresh.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::error::ChatError;
use crate::json::{object, JsonCodec};
use crate::protocol::is_valid_header;
use crate::token::SessionToken;
use crate::web::js;
use crate::web::json::{self, BrowserJson};
use crate::web::panel::http::{self, Body};

/// Where tokens come from.
#[derive(Clone)]
pub enum TokenSource {
    /// POST `{"workflow_id"}` to this URL; expect `{client_secret, expires_at}`.
    Url(String),
    /// Call this function; it returns (a promise of) `{client_secret, expires_at}`.
    Provider(js_sys::Function),
}

/// The session token of one workflow.
pub struct Tokens {
    source: TokenSource,
    workflow_id: String,
    send_cookies: bool,
    current: RefCell<Option<SessionToken>>,
    /// A refresh is running; requests that need a token wait for it instead of starting another.
    refreshing: Cell<bool>,
    waiting: RefCell<Vec<Waker>>,
    /// Why the last refresh failed, for the requests that waited on it.
    failure: RefCell<Option<String>>,
}

/// Resolves when the running refresh has finished.
struct RefreshDone(Rc<Tokens>);

impl Future for RefreshDone {
    type Output = ();

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.0.refreshing.get() {
            self.0.waiting.borrow_mut().push(context.waker().clone());
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    }
}

impl Tokens {
    /// Tokens for `workflow_id` from `source`.
    pub fn new(source: TokenSource, workflow_id: String, send_cookies: bool) -> Rc<Self> {
        Rc::new(Self {
            source,
            workflow_id,
            send_cookies,
            current: RefCell::new(None),
            refreshing: Cell::new(false),
            waiting: RefCell::new(Vec::new()),
            failure: RefCell::new(None),
        })
    }

    /// A token good for at least 30 more seconds, refreshing first if needed.
    ///
    /// # Errors
    /// [`ChatError::token_unavailable`] when no token can be had.
    pub async fn bearer(self: &Rc<Self>) -> Result<String, ChatError> {
        let cached = self
            .current
            .borrow()
            .as_ref()
            .filter(|token| !token.needs_refresh(js::now_ms()))
            .map(|t| t.secret.clone());
        match cached {
            Some(secret) => Ok(secret),
            None => self.refresh().await,
        }
    }

    /// Drops the current token (the server rejected it) and fetches another.
    ///
    /// # Errors
    /// As [`Tokens::bearer`].
    pub async fn replace(self: &Rc<Self>) -> Result<String, ChatError> {
        self.current.borrow_mut().take();
        self.refresh().await
    }

    async fn refresh(self: &Rc<Self>) -> Result<String, ChatError> {
        if self.refreshing.get() {
            RefreshDone(Rc::clone(self)).await;
        } else {
            self.refreshing.set(true);
            let result = self.fetch().await;
            match result {
                Ok(token) => {
                    *self.current.borrow_mut() = Some(token);
                    self.failure.borrow_mut().take();
                }
                Err(why) => *self.failure.borrow_mut() = Some(why),
            }
            self.refreshing.set(false);
            for waker in self.waiting.borrow_mut().drain(..) {
                waker.wake();
            }
        }
        match (self.current.borrow().as_ref(), self.failure.borrow().as_ref()) {
            (_, Some(why)) => Err(ChatError::token_unavailable(why.clone())),
            (Some(token), None) => Ok(token.secret.clone()),
            (None, None) => Err(ChatError::token_unavailable("no token")),
        }
    }

    async fn fetch(&self) -> Result<SessionToken, String> {
        let answer = match &self.source {
            TokenSource::Url(url) => {
                let body = object(vec![("workflow_id", Value::from(self.workflow_id.as_str()))]);
                let response = http::send(
                    "POST",
                    url,
                    &[],
                    Some(Body::Json(BrowserJson.stringify(&body))),
                    self.send_cookies,
                    None,
                )
                .await
                .map_err(|failure| {
                    format!("the token endpoint {url} could not be reached ({})", failure.describe())
                })?;
                if !response.ok() {
                    return Err(format!("the token endpoint {url} answered HTTP {}", response.status()));
                }
                http::json(&response)
                    .await
                    .ok_or_else(|| format!("the token endpoint {url} did not answer with JSON"))?
            }
            TokenSource::Provider(provider) => {
                let returned = provider
                    .call0(&JsValue::NULL)
                    .map_err(|err| format!("the token provider threw: {}", js::describe(&err)))?;
                let resolved = match returned.dyn_into::<js_sys::Promise>() {
                    Ok(promise) => JsFuture::from(promise).await.map_err(|err| {
                        format!("the token provider's promise rejected: {}", js::describe(&err))
                    })?,
                    Err(value) => value,
                };
                json::to_value(&resolved)
            }
        };
        let token = SessionToken::from_response(&answer, js::now_ms(), &BrowserJson)?;
        if !is_valid_header("Authorization", &token.secret) {
            return Err("the session token has characters that cannot go in an Authorization header".into());
        }
        Ok(token)
    }
}
