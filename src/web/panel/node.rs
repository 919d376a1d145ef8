//! Elements for content that arrives as data (a reply's markdown, a widget's JSON): Leptos
//! elements built with tachys' own builders, all of one concrete type (a tag, a list of
//! type-erased attributes, a list of children). `view!` gives every distinct element shape its
//! own type, and with it its own copy of the rendering code; a tree whose shape only the data
//! knows would instantiate that code once per kind of node. Built this way, every node of every
//! reply shares one copy. Text is always text: nothing here takes HTML.

use leptos::prelude::*;
use leptos::tachys::html::attribute::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::tachys::html::attribute::custom::custom_attribute;
use leptos::tachys::html::element::custom;
use leptos::tachys::html::event::on;
use leptos::tachys::html::property::prop;
use leptos::tachys::view::add_attr::AddAnyAttr;

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

    /// Disables the element while `disabled` says so (reactive).
    pub fn disabled(mut self, disabled: impl Fn() -> bool + Send + Sync + 'static) -> Self {
        self.attributes.push(custom_attribute("disabled", disabled).into_any_attr());
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
    pub fn on_click(mut self, handler: impl FnMut(leptos::ev::MouseEvent) + Send + 'static) -> Self {
        self.attributes.push(on(leptos::ev::click, handler).into_any_attr());
        self
    }

    /// Runs `handler` when the form is submitted.
    pub fn on_submit(mut self, handler: impl FnMut(leptos::ev::SubmitEvent) + Send + 'static) -> Self {
        self.attributes.push(on(leptos::ev::submit, handler).into_any_attr());
        self
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
}
