//! ChatKit widgets (Card, ListView and their components) as Leptos elements (built with
//! [`Node`]: one element type for every kind of component). Every text is text;
//! a control that sends an action carries that action in its handler, with the values of its
//! form merged into the action's `payload` when it sends. Forms never submit natively (that
//! would navigate the host page); Enter in a field sends the form's own action.
//!
//! A widget tree deeper than [`MAX_DEPTH`] stops there: widget JSON comes from the server.

use leptos::prelude::*;
use serde_json::{Map, Value};
use wasm_bindgen::JsCast;
use web_sys::{HtmlButtonElement, HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use crate::i18n::Text;
use crate::session::Input;
use crate::web::panel::controller::PanelState;
use crate::web::panel::markdown::markdown_view;
use crate::web::panel::node::Node;
use crate::web::panel::view::Chat;

/// Deepest nesting of widget components drawn.
pub const MAX_DEPTH: usize = 24;

/// A widget item's tree as views.
pub fn render_widget(chat: Chat, item_id: &str, widget: &Value) -> AnyView {
    node(chat, item_id, widget, 0)
}

fn text_of(node: &Value, key: &str) -> String {
    match node.get(key) {
        Some(Value::String(text)) => text.clone(),
        // Integers only: formatting a float would link a float printer for a rare label.
        Some(Value::Number(number)) => number.as_i64().map(|n| n.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

fn flag(node: &Value, key: &str) -> bool {
    node.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Sends `action` for `item_id`, with the values of `form` (if any) merged into its payload.
fn send_action(chat: Chat, item_id: &str, action: &Value, form: Option<HtmlFormElement>) {
    let mut action = action.clone();
    if let (Some(form), Some(fields)) = (form, action.as_object_mut()) {
        let mut payload = match fields.remove("payload") {
            Some(Value::Object(payload)) => payload,
            _ => Map::new(),
        };
        form_values(&form, &mut payload);
        fields.insert("payload".into(), Value::Object(payload));
    }
    chat.follow();
    chat.send(Input::Action { item_id: Some(item_id.to_owned()), action });
}

/// A button that sends `action`; `submit` makes it its form's submit button (Enter in a field
/// sends it too). Its form's values go with the action.
fn action_button(chat: Chat, item_id: &str, label: String, action: Value, submit: bool) -> AnyView {
    let item_id = item_id.to_owned();
    Node::with_class("button", "widget-button")
        .attr("type", if submit { "submit" } else { "button" })
        .disabled(move || !chat.view.read(PanelState::can_start_turn))
        .on_click(move |event| {
            event.prevent_default();
            let form = event
                .target()
                .and_then(|target| target.dyn_into::<HtmlButtonElement>().ok())
                .and_then(|button| button.form());
            if chat.view.read(PanelState::can_start_turn) {
                send_action(chat, &item_id, &action, form);
            }
        })
        .text(label)
        .build()
}

fn children(chat: Chat, item_id: &str, node: &Value, depth: usize) -> Vec<AnyView> {
    node.get("children")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|child| self::node(chat, item_id, child, depth + 1))
        .collect()
}

fn node(chat: Chat, item_id: &str, node: &Value, depth: usize) -> AnyView {
    if depth >= MAX_DEPTH {
        return ().into_any();
    }
    let Some(kind) = node.get("type").and_then(Value::as_str) else { return ().into_any() };
    let text = |key: &str| text_of(node, key);
    match kind {
        "Card" | "ListView" | "Box" | "Row" | "Col" | "Form" | "ListViewItem" | "Transition" => {
            let is_form = kind == "Form" || flag(node, "asForm");
            let class = match kind {
                "Card" => "w-card",
                "ListView" => "w-list",
                "Row" => "w-row",
                _ => "w-col",
            };
            let inner = children(chat, item_id, node, depth);
            let confirm = node.get("confirm").and_then(|confirm| {
                let action = confirm.get("action")?.clone();
                let label = Some(text_of(confirm, "label"))
                    .filter(|label| !label.is_empty())
                    .unwrap_or_else(|| chat.text(Text::Submit));
                Some((label, action))
            });
            if is_form {
                let submit_action = confirm
                    .as_ref()
                    .map(|(_, action)| action.clone())
                    .or_else(|| node.get("onSubmitAction").cloned());
                let button = confirm.map(|(label, action)| action_button(chat, item_id, label, action, true));
                let item_id = item_id.to_owned();
                Node::with_class("form", class)
                    .on_submit(move |event| {
                        // Never a native submission: it would navigate the host page. A form
                        // inside another one answers for itself alone.
                        event.prevent_default();
                        event.stop_propagation();
                        let form =
                            event.target().and_then(|target| target.dyn_into::<HtmlFormElement>().ok());
                        if let Some(action) =
                            submit_action.as_ref().filter(|_| chat.view.read(PanelState::can_start_turn))
                        {
                            send_action(chat, &item_id, action, form);
                        }
                    })
                    .children(inner)
                    .children(button.into_iter().collect())
                    .build()
            } else {
                let button =
                    confirm.map(|(label, action)| action_button(chat, item_id, label, action, false));
                Node::with_class("div", class).children(inner).children(button.into_iter().collect()).build()
            }
        }
        "Title" => Node::with_class("p", "w-title").text(text("value")).build(),
        "Text" | "Caption" | "Label" => {
            let class = if kind == "Caption" { "w-caption" } else { "w-text" };
            let value =
                Some(text("value")).filter(|value| !value.is_empty()).unwrap_or_else(|| text("label"));
            Node::with_class("p", class).text(value).build()
        }
        "Markdown" => {
            Node::with_class("div", "w-markdown").child(markdown_view(chat, &text("value"))).build()
        }
        "Badge" => Node::with_class("span", "w-badge").text(text("label")).build(),
        "Divider" => Node::new("hr").build(),
        "Spacer" => Node::with_class("div", "w-spacer").build(),
        "Image" => Node::with_class("p", "w-caption").text(text("alt")).build(),
        "Button" => match node.get("onClickAction").or_else(|| node.get("action")) {
            Some(action) => action_button(chat, item_id, text("label"), action.clone(), flag(node, "submit")),
            // A submit button without an action of its own sends its form's.
            None if flag(node, "submit") => {
                Node::with_class("button", "widget-button").attr("type", "submit").text(text("label")).build()
            }
            None => Node::with_class("span", "w-badge").text(text("label")).build(),
        },
        "Input" | "Textarea" | "DatePicker" => {
            // Named by its label, else by what its placeholder asks for, else by its field name.
            let label = [text("label"), text("placeholder")]
                .into_iter()
                .find(|label| !label.is_empty())
                .unwrap_or_else(|| text("name"));
            let field = Node::new(if kind == "Textarea" { "textarea" } else { "input" })
                .attr_if("type", (kind == "DatePicker").then(|| "date".to_owned()))
                .attr("name", text("name"))
                .attr("placeholder", text("placeholder"))
                .attr("aria-label", label)
                .value(text("defaultValue"));
            Node::with_class("label", "w-field").child(field.build()).build()
        }
        "Select" | "RadioGroup" => {
            let (name, default) = (text("name"), text("defaultValue"));
            let options =
                node.get("options").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            if kind == "Select" {
                let label =
                    Some(text("placeholder")).filter(|p| !p.is_empty()).unwrap_or_else(|| name.clone());
                let choices = options
                    .iter()
                    .map(|option| {
                        let value = text_of(option, "value");
                        let selected = (value == default).then(String::new);
                        Node::new("option")
                            .attr("value", value)
                            .attr_if("selected", selected)
                            .text(text_of(option, "label"))
                            .build()
                    })
                    .collect();
                Node::new("select").attr("name", name).attr("aria-label", label).children(choices).build()
            } else {
                let choices = options
                    .iter()
                    .map(|option| {
                        let value = text_of(option, "value");
                        let radio = Node::new("input")
                            .attr("type", "radio")
                            .attr("name", name.clone())
                            .checked(value == default)
                            .attr("value", value);
                        Node::with_class("label", "w-choice")
                            .child(radio.build())
                            .text(text_of(option, "label"))
                            .build()
                    })
                    .collect();
                Node::with_class("fieldset", "w-radios").children(choices).build()
            }
        }
        "Checkbox" => {
            let checkbox = Node::new("input")
                .attr("type", "checkbox")
                .attr("name", text("name"))
                .checked(flag(node, "defaultChecked"));
            Node::with_class("label", "w-choice").child(checkbox.build()).text(text("label")).build()
        }
        // Unknown components still show their children.
        _ => Node::with_class("div", "w-col").children(children(chat, item_id, node, depth)).build(),
    }
}

/// Reads a widget form's fields into `payload` (checkboxes as booleans).
fn form_values(form: &HtmlFormElement, payload: &mut Map<String, Value>) {
    let elements = form.elements();
    for index in 0..elements.length() {
        let Some(element) = elements.item(index) else { continue };
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            if input.name().is_empty() {
                continue;
            }
            match input.type_().as_str() {
                "checkbox" => {
                    payload.insert(input.name(), Value::Bool(input.checked()));
                }
                "radio" if !input.checked() => {}
                "submit" | "button" => {}
                _ => {
                    payload.insert(input.name(), Value::String(input.value()));
                }
            }
        } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
            payload.insert(select.name(), Value::String(select.value()));
        } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
            payload.insert(area.name(), Value::String(area.value()));
        }
    }
}
