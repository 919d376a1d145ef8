//! The widget's one element on the page: `<orcheo-chat>` with an open shadow root, styled by
//! constructable stylesheets (so a page whose CSP allows only `style-src 'self'` still renders
//! it fully styled, and nothing leaks in or out). The launcher stage brings the launcher's and
//! the panel frame's styles; the panel stage adopts its own sheet when it mounts.

use std::cell::{Cell, RefCell};

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, Document, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::config::{Config, Mode, Side, Theme};
use crate::theme::host_properties;
use crate::web::js;

/// The launcher stage's stylesheet, compiled in (minified by build.rs).
const LAUNCHER_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/launcher.css"));

/// The host element and its shadow root.
pub struct Host {
    /// `<orcheo-chat>`.
    pub element: HtmlElement,
    /// Where the view is mounted.
    pub shadow: ShadowRoot,
    /// The per-embed custom properties (regenerated when options change).
    properties: Option<CssStyleSheet>,
    /// The custom properties the options give, kept so that a viewport change (frequent while
    /// a phone scrolls) rewrites the sheet without re-checking the options.
    options_css: RefCell<String>,
    /// The visual viewport's height and top offset in px (the on-screen keyboard shrinks it).
    viewport: Cell<Option<(i32, i32)>>,
}

impl Host {
    /// Creates the host element where `config` says (inside `data-target` for inline mode,
    /// else at the end of `<body>`) and attaches its shadow root and styles.
    ///
    /// # Errors
    /// A sentence for the console when the page has no document to attach to.
    pub fn create(document: &Document, config: &Config) -> Result<Self, String> {
        let element: HtmlElement = document
            .create_element("orcheo-chat")
            .map_err(|err| js::describe(&err))?
            .dyn_into()
            .map_err(|_| "could not create the <orcheo-chat> element".to_owned())?;
        let shadow = element
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|err| format!("could not attach a shadow root: {}", js::describe(&err)))?;
        let parent = inline_target(document, config)
            .or_else(|| document.body().map(Into::into))
            .or_else(|| document.document_element().map(Into::into))
            .ok_or("the page has no <body> to attach to")?;
        parent.append_child(&element).map_err(|err| js::describe(&err))?;

        let base = stylesheet(LAUNCHER_CSS);
        let properties = stylesheet("");
        let sheets = js_sys::Array::new();
        for sheet in [&base, &properties].into_iter().flatten() {
            sheets.push(sheet);
        }
        shadow.set_adopted_style_sheets(&sheets);
        if base.is_none() {
            js::warn("this browser cannot use constructable stylesheets; the chat will look unstyled");
        }
        let host =
            Self { element, shadow, properties, options_css: RefCell::default(), viewport: Cell::new(None) };
        host.apply(config);
        Ok(host)
    }

    /// The layout actually used: inline mode without a target falls back to a bubble.
    pub fn mode(&self, config: &Config) -> Mode {
        effective_mode(config, self.element.parent_element().map(|parent| parent.tag_name()))
    }

    /// Reflects the options onto the host: attributes for layout and theme, and the custom
    /// properties stylesheet.
    pub fn apply(&self, config: &Config) {
        let mode = self.mode(config);
        let set = |name: &str, value: &str| {
            let _ = self.element.set_attribute(name, value);
        };
        set(
            "data-mode",
            match mode {
                Mode::Bubble => "bubble",
                Mode::Inline => "inline",
                Mode::Fullscreen => "fullscreen",
            },
        );
        set("data-position", if config.side == Side::Left { "left" } else { "right" });
        set(
            "data-theme",
            match config.theme {
                Theme::Light => "light",
                Theme::Dark => "dark",
                Theme::Auto => "auto",
            },
        );
        if self.properties.is_some() {
            let mut safe = config.clone();
            if !css_supports("color", &config.accent) {
                js::warn(&format!(
                    "data-accent \"{}\" is not a colour this browser knows; using the default",
                    config.accent
                ));
                safe.accent = crate::config::DEFAULT_ACCENT.to_owned();
            }
            *self.options_css.borrow_mut() = host_properties(&safe);
            self.write_properties();
        }
    }

    /// Adds a stylesheet after the others (the panel stage's).
    pub fn adopt(&self, css: &str) {
        let Some(sheet) = stylesheet(css) else { return };
        let sheets = self.shadow.adopted_style_sheets();
        sheets.push(&sheet);
        self.shadow.set_adopted_style_sheets(&sheets);
    }

    /// Records the visual viewport (on phones the panel fits above the on-screen keyboard).
    pub fn set_viewport(&self, height: i32, top: i32) {
        if self.viewport.get() != Some((height, top)) {
            self.viewport.set(Some((height, top)));
            self.write_properties();
        }
    }

    /// The custom properties sheet: the options' properties and the visual viewport's.
    fn write_properties(&self) {
        let Some(sheet) = &self.properties else { return };
        let mut css = self.options_css.borrow().clone();
        if let Some((height, top)) = self.viewport.get() {
            css.push_str(&format!(":host{{--orcheo-chat-vh:{height}px;--orcheo-chat-vtop:{top}px}}"));
        }
        let _ = sheet.replace_sync(&css);
    }

    /// Takes the element off the page.
    pub fn remove(&self) {
        self.element.remove();
    }
}

/// Inline mode needs its target; without one the widget falls back to a bubble.
fn effective_mode(config: &Config, parent_tag: Option<String>) -> Mode {
    match (config.mode, parent_tag.as_deref()) {
        (Mode::Inline, Some("BODY" | "HTML") | None) => Mode::Bubble,
        (mode, _) => mode,
    }
}

fn inline_target(document: &Document, config: &Config) -> Option<web_sys::Node> {
    if config.mode != Mode::Inline {
        return None;
    }
    let Some(selector) = config.target.as_deref() else {
        js::warn("data-mode=\"inline\" needs data-target (a CSS selector); showing a chat bubble instead");
        return None;
    };
    match document.query_selector(selector) {
        Ok(Some(element)) => Some(element.into()),
        Ok(None) => {
            js::warn(&format!(
                "data-target \"{selector}\" matches nothing on the page; showing a chat bubble instead"
            ));
            None
        }
        Err(_) => {
            js::warn(&format!(
                "data-target \"{selector}\" is not a valid CSS selector; showing a chat bubble instead"
            ));
            None
        }
    }
}

fn stylesheet(css: &str) -> Option<CssStyleSheet> {
    let sheet = CssStyleSheet::new().ok()?;
    sheet.replace_sync(css).ok()?;
    Some(sheet)
}

/// `CSS.supports(property, value)`, true where the question cannot be asked.
fn css_supports(property: &str, value: &str) -> bool {
    let supports = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("CSS"))
        .and_then(|css| js_sys::Reflect::get(&css, &JsValue::from_str("supports")).map(|f| (css, f)));
    match supports {
        Ok((css, function)) => function
            .dyn_ref::<js_sys::Function>()
            .and_then(|f| f.call2(&css, &JsValue::from_str(property), &JsValue::from_str(value)).ok())
            .is_none_or(|answer| answer.is_truthy()),
        Err(_) => true,
    }
}
