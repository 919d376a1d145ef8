//! HTTP for the widget: `fetch` with an abort signal, JSON bodies, and an SSE body read chunk
//! by chunk from its `ReadableStream` into the core's decoder. (`EventSource` cannot POST or
//! send headers, so streams are read by hand.) Plain `web-sys` rather than gloo-net: the reader
//! loop needs the raw stream anyway, and every kilobyte counts against the size budget.

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, ReadableStreamDefaultReader, RequestCredentials, RequestInit, Response};

use crate::json::JsonCodec;
use crate::sse::{SseDecoder, SseEvent};
use crate::web::js;
use crate::web::json::BrowserJson;

/// Why a fetch produced no response.
#[derive(Debug)]
pub enum FetchFailure {
    /// The request was aborted (Stop, a new conversation, or `destroy()`).
    Aborted,
    /// No response: offline, DNS, CORS, or a server error without CORS headers.
    Network(String),
}

impl FetchFailure {
    /// A few words for the console.
    pub fn describe(&self) -> &str {
        match self {
            FetchFailure::Aborted => "aborted",
            FetchFailure::Network(why) => why,
        }
    }
}

/// How a stream ended.
#[derive(Debug)]
pub enum StreamEnd {
    /// The body ended.
    Complete,
    /// The body broke off (the connection dropped, or the server aborted the response).
    Broken,
    /// The request was aborted.
    Aborted,
}

/// A request body.
#[derive(Clone)]
pub enum Body {
    /// JSON text (`Content-Type: application/json`).
    Json(String),
    /// A multipart form (the browser writes its `Content-Type` with the boundary).
    Form(web_sys::FormData),
}

/// A request to send.
pub struct HttpRequest<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// Absolute URL.
    pub url: &'a str,
    /// The body, if any.
    pub body: Option<Body>,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
    /// Send cookies (`credentials: "include"`) rather than none.
    pub send_cookies: bool,
    /// Aborts the request and its body.
    pub signal: Option<&'a AbortSignal>,
}

/// Sends a request; any HTTP status counts as a response.
///
/// # Errors
/// [`FetchFailure`] when there is no response to read.
pub fn send(request: HttpRequest<'_>) -> Pin<Box<dyn Future<Output = Result<Response, FetchFailure>> + '_>> {
    // Boxed: awaited from several places, its state machine should exist once.
    Box::pin(send_inner(request))
}

async fn send_inner(request: HttpRequest<'_>) -> Result<Response, FetchFailure> {
    let init = RequestInit::new();
    init.set_method(request.method);
    init.set_credentials(if request.send_cookies {
        RequestCredentials::Include
    } else {
        RequestCredentials::Omit
    });
    let headers = Headers::new().map_err(|err| FetchFailure::Network(js::describe(&err)))?;
    for (name, value) in &request.headers {
        let _ = headers.append(name, value);
    }
    match &request.body {
        Some(Body::Json(text)) => {
            let _ = headers.append("Content-Type", "application/json");
            init.set_body(&JsValue::from_str(text));
        }
        Some(Body::Form(form)) => init.set_body(form),
        None => {}
    }
    init.set_headers(&headers);
    init.set_signal(request.signal);
    let window = web_sys::window().ok_or_else(|| FetchFailure::Network("no window".into()))?;
    let promise = window.fetch_with_str_and_init(request.url, &init);
    match JsFuture::from(promise).await {
        Ok(response) => {
            response.dyn_into::<Response>().map_err(|_| FetchFailure::Network("not a Response".into()))
        }
        Err(err) if js::is_abort(&err) => Err(FetchFailure::Aborted),
        Err(err) => Err(FetchFailure::Network(js::describe(&err))),
    }
}

/// The body as JSON; `None` if it is not JSON.
pub fn json(response: &Response) -> Pin<Box<dyn Future<Output = Option<Value>> + '_>> {
    Box::pin(async move {
        let promise = response.text().ok()?;
        let text = JsFuture::from(promise).await.ok()?.as_string()?;
        BrowserJson.parse(&text)
    })
}

/// `Retry-After` in seconds, when the browser lets us read it (Orcheo does not expose it to
/// cross-origin scripts, so usually `None`).
pub fn retry_after_s(response: &Response) -> Option<u32> {
    response.headers().get("retry-after").ok().flatten().and_then(|value| value.trim().parse().ok())
}

/// Reads an SSE body to its end, handing each event to `on_event` as it is decoded.
pub async fn read_events(response: &Response, mut on_event: impl FnMut(SseEvent)) -> StreamEnd {
    let Some(body) = response.body() else { return StreamEnd::Complete };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut decoder = SseDecoder::new();
    loop {
        let chunk = match JsFuture::from(reader.read()).await {
            Ok(chunk) => chunk,
            Err(err) if js::is_abort(&err) => return StreamEnd::Aborted,
            Err(_) => return StreamEnd::Broken,
        };
        let done =
            js_sys::Reflect::get(&chunk, &JsValue::from_str("done")).map(|d| d.is_truthy()).unwrap_or(true);
        if done {
            return StreamEnd::Complete;
        }
        if let Ok(value) = js_sys::Reflect::get(&chunk, &JsValue::from_str("value")) {
            if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
                for event in decoder.feed(&bytes.to_vec()) {
                    on_event(event);
                }
            }
        }
    }
}
