//! HTTP on gloo-net: requests built with `gloo_net::http::Request`, answers read as text and
//! parsed by the browser's JSON, and SSE bodies read chunk by chunk from the response's
//! `ReadableStream` into the core's decoder (`EventSource` cannot POST or send headers).
//!
//! gloo-net throws into the page when a header name or value is one the browser refuses
//! (`Headers.set` is unwrapped inside it), so every header is checked here first: a request
//! with a bad header is a [`FetchFailure`], never an exception.

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, ReadableStreamDefaultReader, RequestCredentials};

use gloo_net::http::{Request, Response};

use crate::json::JsonCodec;
use crate::protocol::is_valid_header;
use crate::session::StreamEnd;
use crate::sse::{SseDecoder, SseEvent};
use crate::web::json::BrowserJson;

/// Why a request produced no response.
#[derive(Debug)]
pub enum FetchFailure {
    /// The request was aborted (Stop, a new conversation, or `destroy()`).
    Aborted,
    /// No response: offline, DNS, CORS, a refused URL or header.
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

/// A request body.
#[derive(Clone)]
pub enum Body {
    /// JSON text (`Content-Type: application/json`).
    Json(String),
    /// A multipart form (the browser writes its `Content-Type` with the boundary).
    Form(web_sys::FormData),
}

/// Sends a request; any HTTP status counts as a response.
///
/// # Errors
/// [`FetchFailure`] when there is no response to read.
pub async fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<Body>,
    send_cookies: bool,
    signal: Option<&AbortSignal>,
) -> Result<Response, FetchFailure> {
    let mut builder = match method {
        "GET" => Request::get(url),
        _ => Request::post(url),
    };
    builder = builder
        .credentials(if send_cookies { RequestCredentials::Include } else { RequestCredentials::Omit })
        .abort_signal(signal);
    for (name, value) in headers {
        if !is_valid_header(name, value) {
            return Err(FetchFailure::Network(format!(
                "the {name} header has characters a browser cannot send"
            )));
        }
        builder = builder.header(name, value);
    }
    let request = match body {
        Some(Body::Json(text)) => {
            builder.header("Content-Type", "application/json").body(JsValue::from_str(&text))
        }
        Some(Body::Form(form)) => builder.body(form),
        None => builder.build(),
    };
    let request = request.map_err(|error| FetchFailure::Network(describe(&error)))?;
    request.send().await.map_err(|error| match &error {
        gloo_net::Error::JsError(js) if js.name == "AbortError" => FetchFailure::Aborted,
        _ => FetchFailure::Network(describe(&error)),
    })
}

/// What went wrong with a request, for the console. Not `to_string()`: gloo-net's error can
/// also hold a serde_json error, and formatting it would link serde_json's messages (and
/// std's I/O error texts) into the wasm for a case this code never has.
fn describe(error: &gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(js) => js.message.clone(),
        gloo_net::Error::GlooError(message) => message.clone(),
        _ => "the request could not be made".to_owned(),
    }
}

/// The body as JSON; `None` if it is not JSON.
pub async fn json(response: &Response) -> Option<Value> {
    let text = response.text().await.ok()?;
    BrowserJson.parse(&text)
}

/// `Retry-After` in seconds, when the browser lets us read it (Orcheo does not expose it to
/// cross-origin scripts, so usually `None`).
pub fn retry_after_s(response: &Response) -> Option<u32> {
    response.headers().get("retry-after").and_then(|value| value.trim().parse().ok())
}

/// How long (ms) stream events may be handled in one go before the page gets its turn.
const YIELD_AFTER_MS: i64 = 8;

/// Reads an SSE body to its end, handing each event to `on_event` as it is decoded.
pub async fn read_events(response: &Response, mut on_event: impl FnMut(SseEvent)) -> StreamEnd {
    let Some(body) = response.body() else { return StreamEnd::Complete };
    let Ok(reader) = body.get_reader().dyn_into::<ReadableStreamDefaultReader>() else {
        return StreamEnd::Broken;
    };
    let mut decoder = SseDecoder::new();
    // A body that is already buffered resolves read after read in one task; between events the
    // page gets its turn once this much time has gone on them.
    let mut since_yield = crate::web::js::now_ms();
    loop {
        let chunk = match JsFuture::from(reader.read()).await {
            Ok(chunk) => chunk,
            Err(error) if crate::web::js::is_abort(&error) => return StreamEnd::Aborted,
            Err(_) => return StreamEnd::Broken,
        };
        if crate::web::js::property(&chunk, "done").is_truthy() {
            return StreamEnd::Complete;
        }
        if let Some(bytes) = crate::web::js::property(&chunk, "value").dyn_ref::<js_sys::Uint8Array>() {
            for event in decoder.feed(&bytes.to_vec()) {
                on_event(event);
                if crate::web::js::now_ms() - since_yield >= YIELD_AFTER_MS {
                    crate::web::js::next_task().await;
                    since_yield = crate::web::js::now_ms();
                }
            }
        }
    }
}
