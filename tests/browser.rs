//! Component tests in headless Chromium (`cargo test --target wasm32-unknown-unknown --test
//! browser`): the widget mounted into this page, driven through its DOM.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

/// Lets Leptos run the effects it scheduled.
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .map(|window| window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0));
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn options(pairs: &[(&str, &str)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    object.into()
}

fn shadow() -> ShadowRoot {
    let document = web_sys::window().and_then(|w| w.document()).expect("document");
    let host = document.query_selector("orcheo-chat").ok().flatten().expect("the widget's host element");
    host.shadow_root().expect("an open shadow root")
}

fn query(selector: &str) -> Option<HtmlElement> {
    shadow().query_selector(selector).ok().flatten().and_then(|element| element.dyn_into().ok())
}

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("document")
}

/// Waits (a tick at a time, at most two seconds) until `ready` holds.
async fn until(mut ready: impl FnMut() -> bool) -> bool {
    for _ in 0..200 {
        if ready() {
            return true;
        }
        sleep_ms(10).await;
    }
    ready()
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .map(|window| window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms));
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn mount(pairs: &[(&str, &str)]) -> orcheo_chat::web::entry::Widget {
    let widget = orcheo_chat::web::entry::mount(
        options(pairs),
        options(&[]),
        options(&[]),
        "http://localhost",
        js_sys::Function::new_no_args(""),
        None,
        JsValue::UNDEFINED,
    );
    // Made and drawn one step at a time (the loader gives each its own task).
    while widget.draw().expect("mounted") {}
    widget
}

#[wasm_bindgen_test]
async fn the_launcher_opens_the_panel_stage_and_destroy_removes_everything() {
    let widget = mount(&[("title", "Test title"), ("preload", "none")]);
    tick().await;
    let launcher = query("button.launcher").expect("a launcher button");
    assert_eq!(launcher.get_attribute("aria-label").as_deref(), Some("Open chat"));
    let panel = query("[role=dialog]").expect("the panel");
    assert!(panel.hidden(), "closed at first");
    assert!(query("textarea").is_none(), "the frame is drawn when the panel shows, not before");
    assert_eq!(panel.get_attribute("aria-busy").as_deref(), Some("true"), "the panel stage is not loaded");
    launcher.click();
    tick().await;
    assert!(!panel.hidden(), "open after a click");
    assert!(query("textarea").is_some(), "the frame's text box is there before the panel stage");
    assert_eq!(panel.get_attribute("aria-label").as_deref(), Some("Test title"));
    assert_eq!(launcher.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert!(until(|| query("[role=log]").is_some()).await, "the panel stage mounts on the click");
    assert!(until(|| panel.get_attribute("aria-busy").is_none()).await, "and the panel is no longer busy");
    assert!(query(".frame-body").is_none(), "the frame gave way to the panel stage");
    launcher.click();
    tick().await;
    assert!(panel.hidden(), "closed after a second click");
    widget.destroy();
    assert!(document().query_selector("orcheo-chat").ok().flatten().is_none(), "destroy removes the host");
    widget.open();
    widget.destroy();
}

#[wasm_bindgen_test]
async fn a_send_before_the_panel_stage_is_loaded_waits_for_it_and_gets_an_answer() {
    let widget = mount(&[("preload", "none")]);
    tick().await;
    assert!(query("[role=log]").is_none(), "nothing loaded yet");
    // Not configured: the answer is the configuration error, but it comes from the panel stage.
    let outcome = wasm_bindgen_futures::JsFuture::from(widget.send("hello".into())).await;
    let error = outcome.expect_err("rejected");
    let code =
        js_sys::Reflect::get(&error, &JsValue::from_str("code")).ok().and_then(|code| code.as_string());
    assert_eq!(code.as_deref(), Some("config"));
    assert!(query("[role=log]").is_some(), "the call loaded the panel stage");
    widget.destroy();
}

/// Runs a snippet of JavaScript in the test page and returns its value.
fn js(body: &str) -> JsValue {
    js_sys::Function::new_no_args(body).call0(&JsValue::NULL).expect("the snippet runs")
}

#[wasm_bindgen_test]
async fn the_stream_reader_decodes_events_split_across_chunks() {
    use orcheo_chat::session::StreamEnd;
    use orcheo_chat::web::panel::http::read_events;
    // Two chunks that split an event in the middle of a multi-byte character and of a CRLF.
    let response: web_sys::Response = js(r#"
        const bytes = new TextEncoder().encode('data: {"text":"h\u00e9llo"}\r\n\r\ndata: second\r\n\r\n');
        const cut = 14;
        return new Response(new ReadableStream({ start(c) { c.enqueue(bytes.slice(0, cut)); c.enqueue(bytes.slice(cut)); c.close(); } }));
    "#)
    .unchecked_into();
    let response = gloo_net::http::Response::from(response);
    let mut events = Vec::new();
    let end = read_events(&response, |event| events.push(event.data)).await;
    assert!(matches!(end, StreamEnd::Complete));
    assert_eq!(events, vec!["{\"text\":\"h\u{e9}llo\"}".to_string(), "second".to_string()]);
}

#[wasm_bindgen_test]
async fn a_stream_that_breaks_off_is_reported_as_broken() {
    use orcheo_chat::session::StreamEnd;
    use orcheo_chat::web::panel::http::read_events;
    let response: web_sys::Response = js(r#"
        let sent = false;
        return new Response(new ReadableStream({ pull(c) {
            if (!sent) { sent = true; c.enqueue(new TextEncoder().encode('data: one\n\n')); }
            else { c.error(new TypeError('network error')); }
        } }));
    "#)
    .unchecked_into();
    let response = gloo_net::http::Response::from(response);
    let mut events = Vec::new();
    let end = read_events(&response, |event| events.push(event.data)).await;
    assert!(matches!(end, StreamEnd::Broken));
    assert_eq!(events, vec!["one".to_string()]);
}

#[wasm_bindgen_test]
fn storage_that_throws_falls_back_to_memory_with_one_warning() {
    use orcheo_chat::config::Persist;
    use orcheo_chat::persist::KeyValueStore;
    use orcheo_chat::web::storage::BrowserStore;
    js(r#"
        window.__warnings = [];
        window.__realWarn = console.warn;
        console.warn = (...args) => window.__warnings.push(args.join(' '));
        window.__realSetItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };
    "#);
    let mut store = BrowserStore::open(Persist::Session);
    assert!(store.is_persistent(), "sessionStorage is there at first");
    assert!(store.set("k", "one").is_ok(), "a refused write is not an error for the caller");
    assert!(!store.is_persistent(), "falls back to memory");
    assert!(store.set("k", "two").is_ok());
    assert_eq!(store.get("k"), Ok(Some("two".to_string())), "memory holds the latest value");
    let warnings = js("return window.__warnings.length;").as_f64();
    js("console.warn = window.__realWarn; Storage.prototype.setItem = window.__realSetItem;");
    assert_eq!(warnings, Some(1.0), "one console.warn");
}

#[wasm_bindgen_test]
fn storage_that_cannot_be_opened_falls_back_to_memory() {
    use orcheo_chat::config::Persist;
    use orcheo_chat::persist::KeyValueStore;
    use orcheo_chat::web::storage::BrowserStore;
    js(r#"
        window.__warnings = [];
        window.__realWarn = console.warn;
        console.warn = (...args) => window.__warnings.push(args.join(' '));
        Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });
    "#);
    let mut store = BrowserStore::open(Persist::Local);
    assert!(!store.is_persistent());
    assert!(store.set("k", "v").is_ok());
    assert_eq!(store.get("k"), Ok(Some("v".to_string())));
    let warnings = js("return window.__warnings.length;").as_f64();
    js("console.warn = window.__realWarn; delete window.localStorage;");
    assert_eq!(warnings, Some(1.0));
}

#[wasm_bindgen_test]
fn a_workflow_named_by_handle_finds_its_snapshot_through_the_alias() {
    use orcheo_chat::config::{Config, ConfigContext, Persist};
    use orcheo_chat::web::json::BrowserJson;
    use orcheo_chat::web::storage::Persistence;
    let context = ConfigContext { page_origin: "http://localhost" };
    let mut config = Config::default();
    let _ = config.apply("backend", &"http://127.0.0.1:8000".into(), &context);
    let _ = config.apply("workflow", &"support-bot".into(), &context);
    js("sessionStorage.clear();");
    let mut first = Persistence::open(&config, &BrowserJson);
    assert!(!first.snapshot().open, "nothing stored yet");
    first.set_open(true);
    let uuid = "5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10";
    let key = format!("orcheo-chat:v1:http://127.0.0.1:8000:{uuid}");
    let alias = ("orcheo-chat:v1:http://127.0.0.1:8000:@support-bot".to_owned(), uuid.to_owned());
    let moved = first.switch(Persist::Session, key, Some(alias));
    assert!(moved.open, "what the launcher showed moves with it");
    // The next page load reads the snapshot before anything asks the backend.
    let again = Persistence::open(&config, &BrowserJson);
    assert!(again.snapshot().open, "found through the alias");
    js("sessionStorage.clear();");
}

#[wasm_bindgen_test]
fn json_nested_past_the_limit_is_refused_and_a_cycle_ends_in_null_without_a_trap() {
    use orcheo_chat::json::JsonCodec;
    use orcheo_chat::web::json::{to_value, BrowserJson, MAX_DEPTH};
    let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    assert!(BrowserJson.parse(&nested(MAX_DEPTH)).is_some(), "128 levels are taken");
    assert_eq!(BrowserJson.parse(&nested(MAX_DEPTH + 1)), None);
    // A server event nested 100,000 deep: JSON.parse takes it, the walk into a Value does not.
    let deep = format!(r#"{{"type":"notice","message":{}}}"#, nested(100_000));
    assert_eq!(BrowserJson.parse(&deep), None);
    // An embedder's object that contains itself (metadata, options).
    let cycle = js("const a = { name: 'loop' }; a.self = a; return a;");
    assert_eq!(to_value(&cycle), serde_json::Value::Null, "a value with no end is no value");
    assert_eq!(to_value(&js("return { depth: 1 };"))["depth"], 1, "and the walk still works");
}

#[wasm_bindgen_test]
fn a_list_of_more_entries_than_any_message_has_is_cut_at_the_limit() {
    use orcheo_chat::json::JsonCodec;
    use orcheo_chat::web::json::{BrowserJson, MAX_ENTRIES};
    let rows = (0..10_000).map(|n| format!(r#"{{"row":{n}}}"#)).collect::<Vec<_>>().join(",");
    let parsed = BrowserJson.parse(&format!(r#"{{"children":[{rows}]}}"#)).expect("JSON");
    let kept = parsed["children"].as_array().map(Vec::len);
    assert_eq!(kept, Some(MAX_ENTRIES), "the first 1,000 rows");
    assert_eq!(parsed["children"][999]["row"], 999);
    let keys = (0..5_000).map(|n| format!(r#""k{n}":{n}"#)).collect::<Vec<_>>().join(",");
    let object = BrowserJson.parse(&format!("{{{keys}}}")).expect("JSON");
    assert_eq!(object.as_object().map(|fields| fields.len()), Some(MAX_ENTRIES));
}
