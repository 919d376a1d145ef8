//! A token proxy for orcheo-chat's JWT mode.
//!
//! The browser must never see an Orcheo service token. This server holds one (with the
//! `chatkit:session` scope) and exposes `POST /chatkit-token`: given `{"workflow_id": "<uuid>"}`
//! it asks Orcheo's `POST /api/chatkit/session` for a short-lived ChatKit session token and
//! returns `{client_secret, expires_at}`. Only the configured page origins may call it (CORS).
//! Put your own sign-in check in [`authorize`] to tie tokens to your users.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

/// What the proxy needs to run.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Orcheo's base URL, e.g. `https://orcheo.example.com`.
    pub orcheo_url: String,
    /// A service token with the `chatkit:session` scope.
    pub service_token: String,
    /// Page origins allowed to ask for tokens, e.g. `https://www.example.com`.
    pub allowed_origins: Vec<String>,
    /// Workflows tokens may be minted for; empty means any.
    pub allowed_workflows: Vec<String>,
}

/// Shared state of the running proxy.
pub struct Proxy {
    settings: Settings,
    http: reqwest::Client,
    minted: AtomicU64,
}

#[derive(Deserialize)]
struct TokenRequest {
    workflow_id: String,
}

/// The proxy's routes: `POST /chatkit-token` (and its CORS preflight) and `GET /healthz`.
pub fn router(settings: Settings) -> Router {
    let proxy = Arc::new(Proxy { settings, http: reqwest::Client::new(), minted: AtomicU64::new(0) });
    Router::new()
        .route("/chatkit-token", post(mint).options(preflight))
        .route("/healthz", get(health))
        .with_state(proxy)
}

/// Whether `origin` may call the proxy.
pub fn origin_allowed(settings: &Settings, origin: Option<&str>) -> bool {
    origin.is_some_and(|origin| settings.allowed_origins.iter().any(|allowed| allowed == origin))
}

/// Checks the request body: a UUID, and an allowed workflow.
///
/// # Errors
/// A sentence for the client.
pub fn validate_workflow(settings: &Settings, workflow_id: &str) -> Result<(), &'static str> {
    let groups: Vec<&str> = workflow_id.split('-').collect();
    let is_uuid = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    if !is_uuid {
        return Err("workflow_id must be a UUID");
    }
    if !settings.allowed_workflows.is_empty()
        && !settings.allowed_workflows.iter().any(|w| w.eq_ignore_ascii_case(workflow_id))
    {
        return Err("this proxy does not mint tokens for that workflow");
    }
    Ok(())
}

/// Your sign-in check goes here: look at the request's cookies or headers and decide whether
/// this visitor may chat, and as whom. The example lets everyone through anonymously.
fn authorize(_headers: &HeaderMap) -> Option<Value> {
    Some(json!({ "id": "anonymous" }))
}

fn cors(headers: &HeaderMap, response: &mut Response) {
    if let Some(origin) = headers.get(header::ORIGIN).cloned() {
        let response_headers = response.headers_mut();
        response_headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        response_headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
        response_headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
}

fn origin(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ORIGIN).and_then(|value| value.to_str().ok())
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

async fn preflight(State(proxy): State<Arc<Proxy>>, headers: HeaderMap) -> Response {
    if !origin_allowed(&proxy.settings, origin(&headers)) {
        return error(StatusCode::FORBIDDEN, "origin not allowed");
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    cors(&headers, &mut response);
    let response_headers = response.headers_mut();
    response_headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST"));
    response_headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
    response_headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    response
}

async fn mint(
    State(proxy): State<Arc<Proxy>>,
    headers: HeaderMap,
    body: Option<Json<TokenRequest>>,
) -> Response {
    // Same-origin requests carry no Origin on some browsers; cross-origin ones always do.
    if origin(&headers).is_some() && !origin_allowed(&proxy.settings, origin(&headers)) {
        return error(StatusCode::FORBIDDEN, "origin not allowed");
    }
    let mut response = mint_for(&proxy, &headers, body).await;
    cors(&headers, &mut response);
    response
}

async fn mint_for(proxy: &Proxy, headers: &HeaderMap, body: Option<Json<TokenRequest>>) -> Response {
    let Some(Json(request)) = body else {
        return error(StatusCode::BAD_REQUEST, "send {\"workflow_id\": \"<uuid>\"}");
    };
    if let Err(message) = validate_workflow(&proxy.settings, &request.workflow_id) {
        return error(StatusCode::BAD_REQUEST, message);
    }
    let Some(user) = authorize(headers) else {
        return error(StatusCode::UNAUTHORIZED, "sign in first");
    };
    let url = format!("{}/api/chatkit/session", proxy.settings.orcheo_url.trim_end_matches('/'));
    let upstream = proxy
        .http
        .post(url)
        .bearer_auth(&proxy.settings.service_token)
        .json(&json!({ "workflow_id": request.workflow_id, "user": user }))
        .send()
        .await;
    let upstream = match upstream {
        Ok(upstream) => upstream,
        Err(_) => return error(StatusCode::BAD_GATEWAY, "Orcheo could not be reached"),
    };
    let status = upstream.status();
    let Ok(answer) = upstream.json::<Value>().await else {
        return error(StatusCode::BAD_GATEWAY, "Orcheo answered something that is not JSON");
    };
    if !status.is_success() {
        return error(StatusCode::BAD_GATEWAY, &format!("Orcheo refused to mint a session token ({status})"));
    }
    let (Some(secret), Some(expires_at)) = (answer.get("client_secret"), answer.get("expires_at")) else {
        return error(StatusCode::BAD_GATEWAY, "Orcheo's answer lacks client_secret or expires_at");
    };
    proxy.minted.fetch_add(1, Ordering::Relaxed);
    let mut response = Json(json!({ "client_secret": secret, "expires_at": expires_at })).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn health(State(proxy): State<Arc<Proxy>>) -> Response {
    Json(json!({ "ok": true, "minted": proxy.minted.load(Ordering::Relaxed) })).into_response()
}

/// Reads the settings from the environment: `ORCHEO_URL`, `ORCHEO_SERVICE_TOKEN`,
/// `ALLOWED_ORIGINS` (comma-separated), optional `ALLOWED_WORKFLOWS` (comma-separated).
///
/// # Errors
/// The name of the first missing variable.
pub fn settings_from_env() -> Result<Settings, String> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let list =
        |text: String| text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    Ok(Settings {
        orcheo_url: var("ORCHEO_URL")?,
        service_token: var("ORCHEO_SERVICE_TOKEN")?,
        allowed_origins: list(var("ALLOWED_ORIGINS")?),
        allowed_workflows: std::env::var("ALLOWED_WORKFLOWS").map(list).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            orcheo_url: "http://127.0.0.1:8000".into(),
            service_token: "secret".into(),
            allowed_origins: vec!["http://127.0.0.1:8080".into()],
            allowed_workflows: vec![],
        }
    }

    #[test]
    fn only_configured_origins_are_allowed() {
        let settings = settings();
        assert!(origin_allowed(&settings, Some("http://127.0.0.1:8080")));
        assert!(!origin_allowed(&settings, Some("http://evil.example")));
        assert!(!origin_allowed(&settings, None));
    }

    #[test]
    fn workflow_ids_must_be_uuids_and_allowed() {
        let mut settings = settings();
        assert!(validate_workflow(&settings, "5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10").is_ok());
        assert!(validate_workflow(&settings, "echo").is_err());
        settings.allowed_workflows = vec!["5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10".into()];
        assert!(validate_workflow(&settings, "5F0C1A8E-2b8f-4e4e-9a55-3c2f4c1b7d10").is_ok());
        assert!(validate_workflow(&settings, "00000000-0000-0000-0000-000000000000").is_err());
    }
}
