//! JWT mode: ChatKit session tokens from the embedder's token endpoint (`data-token-url`) or
//! from `OrcheoChat.setTokenProvider(fn)`. The token lives in memory only. It is refreshed when
//! less than 30 s of it remain ([`SessionToken::needs_refresh`]), and concurrent requests wait
//! for one shared refresh.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::error::ChatError;
use crate::json::{object, JsonCodec};
use crate::token::SessionToken;
use crate::web::json::{self, BrowserJson};
use crate::web::{js, net};

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
    refreshing: RefCell<Option<js_sys::Promise>>,
}

impl Tokens {
    /// Tokens for `workflow_id` from `source`.
    pub fn new(source: TokenSource, workflow_id: String, send_cookies: bool) -> Rc<Self> {
        Rc::new(Self {
            source,
            workflow_id,
            send_cookies,
            current: RefCell::new(None),
            refreshing: RefCell::new(None),
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
        let existing = self.refreshing.borrow().clone();
        let promise = existing.unwrap_or_else(|| {
            let tokens = Rc::clone(self);
            let promise = future_to_promise(async move {
                let result = tokens.fetch().await;
                tokens.refreshing.borrow_mut().take();
                match result {
                    Ok(token) => {
                        let secret = JsValue::from_str(&token.secret);
                        *tokens.current.borrow_mut() = Some(token);
                        Ok(secret)
                    }
                    Err(why) => Err(JsValue::from_str(&why)),
                }
            });
            *self.refreshing.borrow_mut() = Some(promise.clone());
            promise
        });
        match JsFuture::from(promise).await {
            Ok(secret) => {
                secret.as_string().ok_or_else(|| ChatError::token_unavailable("the token is not a string"))
            }
            Err(why) => {
                let why = why.as_string().unwrap_or_default();
                Err(ChatError::token_unavailable(why))
            }
        }
    }

    async fn fetch(&self) -> Result<SessionToken, String> {
        let answer = match &self.source {
            TokenSource::Url(url) => {
                let request =
                    net::HttpRequest {
                        method: "POST",
                        url,
                        body: Some(BrowserJson.stringify(&object(vec![(
                            "workflow_id",
                            Value::from(self.workflow_id.as_str()),
                        )]))),
                        headers: Vec::new(),
                        send_cookies: self.send_cookies,
                        signal: None,
                    };
                let response = net::send(request).await.map_err(|failure| {
                    format!("the token endpoint {url} could not be reached ({})", failure.describe())
                })?;
                if !response.ok() {
                    return Err(format!("the token endpoint {url} answered HTTP {}", response.status()));
                }
                net::json(&response)
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
        SessionToken::from_response(&answer, js::now_ms(), &BrowserJson)
    }
}
