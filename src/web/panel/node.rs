//! Elements for content that arrives as data (a reply's markdown, a widget's JSON): Leptos
//! elements built with tachys' own builders, all of one concrete type (a tag, a list of
//! type-erased attributes, a list of children). `view!` gives every distinct element shape its
//! own type, and with it its own copy of the rendering code; a tree whose shape only the data
//! knows would instantiate that code once per kind of node. Built this way, every node of every
//! reply shares one copy. Text is always text: nothing here takes HTML.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::tachys::html::attribute::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::tachys::html::attribute::custom::custom_attribute;
use leptos::tachys::html::element::custom;
use leptos::tachys::html::event::{on, Custom};
use leptos::tachys::html::property::prop;
use leptos::tachys::html::style::style;
use leptos::tachys::view::add_attr::AddAnyAttr;
use wasm_bindgen::JsCast;

/// A reactive value, type-erased.
type Reactive<T> = Arc<dyn Fn() -> T + Send + Sync>;

/// An element under construction.
pub struct Node {
    tag: &'static str,
    attributes: Vec<AnyAttribute>,
    children: Vec<AnyView>,
}

impl Node {
    /// `<tag>`.
    pub fn new(tag: &'static str) -> Self {
        Self { tag, attributes: Vec::new(), children: Vec::new() }
    }

    /// An SVG element (`svg`, `path`, `rect`, `line`, `text` or `g`), built with
    /// [`Node::build_svg`].
    pub fn svg(tag: &'static str) -> Self {
        Self::new(tag)
    }

    /// `<tag class="…">`.
    pub fn with_class(tag: &'static str, class: &'static str) -> Self {
        Self::new(tag).attr("class", class)
    }

    /// Sets an attribute (an empty class is left out).
    pub fn attr(mut self, name: &'static str, value: impl Into<String>) -> Self {
        let value = value.into();
        if !(name == "class" && value.is_empty()) {
            self.attributes.push(custom_attribute(name, value).into_any_attr());
        }
        self
    }

    /// Sets an attribute when there is a value.
    pub fn attr_if(self, name: &'static str, value: Option<String>) -> Self {
        match value {
            Some(value) => self.attr(name, value),
            None => self,
        }
    }

    /// Sets an attribute that follows a reactive value (`None` removes it).
    pub fn attr_with(
        mut self,
        name: &'static str,
        value: impl Fn() -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        // Type-erased: one copy of the attribute's code, whatever the closure.
        let value: Reactive<Option<String>> = Arc::new(value);
        self.attributes.push(custom_attribute(name, move || value()).into_any_attr());
        self
    }

    /// Disables the element while `disabled` says so (reactive).
    pub fn disabled(self, disabled: impl Fn() -> bool + Send + Sync + 'static) -> Self {
        self.attr_with("disabled", move || disabled().then(String::new))
    }

    /// Sets a CSS property (through the CSSOM: a value is never parsed as style text).
    pub fn style(mut self, name: &'static str, value: String) -> Self {
        self.attributes.push(style((name, value)).into_any_attr());
        self
    }

    /// Sets a CSS property that follows a reactive value.
    pub fn style_with(
        mut self,
        name: &'static str,
        value: impl Fn() -> String + Send + Sync + 'static,
    ) -> Self {
        let value: Reactive<String> = Arc::new(value);
        self.attributes.push(style((name, move || value())).into_any_attr());
        self
    }

    /// Runs `handler` on events named `name`. Every event goes through one type-erased
    /// listener: one copy of the listener's code in the wasm, whatever the event or handler.
    pub fn on(mut self, name: &'static str, handler: impl FnMut(web_sys::Event) + Send + 'static) -> Self {
        let handler: Box<dyn FnMut(web_sys::Event) + Send> = Box::new(handler);
        self.attributes.push(on(Custom::<web_sys::Event>::new(name), handler).into_any_attr());
        self
    }

    /// Sets a string property (a field's current `value`).
    pub fn value(mut self, value: String) -> Self {
        self.attributes.push(prop("value", value).into_any_attr());
        self
    }

    /// Sets the `checked` property.
    pub fn checked(mut self, checked: bool) -> Self {
        self.attributes.push(prop("checked", checked).into_any_attr());
        self
    }

    /// Runs `handler` on clicks.
    pub fn on_click(self, mut handler: impl FnMut(leptos::ev::MouseEvent) + Send + 'static) -> Self {
        self.on("click", move |event| handler(event.unchecked_into()))
    }

    /// Runs `handler` when the form is submitted.
    pub fn on_submit(self, mut handler: impl FnMut(leptos::ev::SubmitEvent) + Send + 'static) -> Self {
        self.on("submit", move |event| handler(event.unchecked_into()))
    }

    /// Appends a child.
    pub fn child(mut self, child: AnyView) -> Self {
        self.children.push(child);
        self
    }

    /// Appends children.
    pub fn children(mut self, children: Vec<AnyView>) -> Self {
        self.children.extend(children);
        self
    }

    /// Appends text.
    pub fn text(self, text: String) -> Self {
        self.child(text.into_any())
    }

    /// The element as a view.
    pub fn build(self) -> AnyView {
        custom(self.tag).add_any_attr(self.attributes).child(self.children).into_any()
    }

    /// The element as a view in SVG's namespace (a node made with [`Node::svg`]). Apart from
    /// [`Node::build`] so that only what draws SVG carries this code.
    pub fn build_svg(self) -> AnyView {
        let Node { tag, attributes, children, .. } = self;
        // Each SVG tag has its own constructor.
        match tag {
            "svg" => leptos::svg::svg().add_any_attr(attributes).child(children).into_any(),
            "path" => leptos::svg::path().add_any_attr(attributes).child(children).into_any(),
            "rect" => leptos::svg::rect().add_any_attr(attributes).child(children).into_any(),
            "line" => leptos::svg::line().add_any_attr(attributes).child(children).into_any(),
            "text" => leptos::svg::text().add_any_attr(attributes).child(children).into_any(),
            _ => leptos::svg::g().add_any_attr(attributes).child(children).into_any(),
        }
    }
}
