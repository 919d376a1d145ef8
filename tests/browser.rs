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

#[wasm_bindgen_test]
async fn the_launcher_toggles_the_panel() {
    orcheo_chat::web::api::destroy();
    orcheo_chat::web::api::mount(
        options(&[("title", "Test title")]),
        options(&[]),
        "http://localhost",
        js_sys::Function::new_no_args(""),
    );
    tick().await;
    let launcher = query("button.launcher").expect("a launcher button");
    assert_eq!(launcher.get_attribute("aria-label").as_deref(), Some("Open chat"));
    let panel = query("[role=dialog]").expect("the panel");
    assert!(panel.hidden(), "closed at first");
    launcher.click();
    tick().await;
    assert!(!panel.hidden(), "open after a click");
    assert_eq!(panel.get_attribute("aria-label").as_deref(), Some("Test title"));
    assert_eq!(launcher.get_attribute("aria-expanded").as_deref(), Some("true"));
    launcher.click();
    tick().await;
    assert!(panel.hidden(), "closed after a second click");
    orcheo_chat::web::api::destroy();
    let document = web_sys::window().and_then(|w| w.document()).expect("document");
    assert!(document.query_selector("orcheo-chat").ok().flatten().is_none(), "destroy removes the host");
}
