//! A tiny element builder for the parts of the view that are drawn imperatively (message
//! bodies, markdown, widgets): a few non-generic calls per element, where `view!` would
//! instantiate a new generic type for each shape. Text is always set as text, never as HTML.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

/// The document the widget lives in.
pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// An element under construction.
pub struct El(pub Element);

impl El {
    /// `<tag>`; `None` only if the page has no document.
    pub fn new(tag: &str) -> Option<Self> {
        document()?.create_element(tag).ok().map(El)
    }

    /// `<tag class="…">`.
    pub fn with_class(tag: &str, class: &str) -> Option<Self> {
        let el = Self::new(tag)?;
        el.0.set_class_name(class);
        Some(el)
    }

    /// Sets an attribute.
    pub fn attr(self, name: &str, value: &str) -> Self {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Appends a text node.
    pub fn text(self, text: &str) -> Self {
        append_text(&self.0, text);
        self
    }

    /// Appends a child.
    pub fn child(self, child: Option<El>) -> Self {
        if let Some(child) = child {
            let _ = self.0.append_child(&child.0);
        }
        self
    }
}

/// Adds (`on`) or removes a boolean attribute such as `hidden` or `disabled`, touching the
/// element only when that changes it.
pub fn toggle(element: &Element, name: &str, on: bool) {
    if element.has_attribute(name) != on {
        let _ = if on { element.set_attribute(name, "") } else { element.remove_attribute(name) };
    }
}

/// Appends `text` as a text node.
pub fn append_text(parent: &Element, text: &str) {
    if let Some(node) = document().map(|d| d.create_text_node(text)) {
        let _ = parent.append_child(&node);
    }
}

/// Removes every child.
pub fn clear(element: &Element) {
    while let Some(child) = element.last_child() {
        let _ = element.remove_child(&child);
    }
}

/// The nearest ancestor-or-self of an event target matching `selector`.
pub fn closest(target: Option<web_sys::EventTarget>, selector: &str) -> Option<Element> {
    target?.dyn_into::<Node>().ok().and_then(|node| match node.dyn_into::<Element>() {
        Ok(element) => element.closest(selector).ok().flatten(),
        Err(node) => node.parent_element()?.closest(selector).ok().flatten(),
    })
}

/// Appends a decorative 24×24 SVG icon drawn by `path`.
pub fn append_icon(parent: &Element, path: &str) {
    let Some(document) = document() else { return };
    const SVG: &str = "http://www.w3.org/2000/svg";
    let (Ok(svg), Ok(shape)) =
        (document.create_element_ns(Some(SVG), "svg"), document.create_element_ns(Some(SVG), "path"))
    else {
        return;
    };
    let _ = svg.set_attribute("viewBox", "0 0 24 24");
    let _ = svg.set_attribute("class", "icon");
    let _ = svg.set_attribute("aria-hidden", "true");
    let _ = shape.set_attribute("d", path);
    let _ = svg.append_child(&shape);
    let _ = parent.append_child(&svg);
}
