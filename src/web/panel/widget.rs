//! ChatKit widgets (Card, ListView and their components) as Leptos views. Every text is text;
//! a control that sends an action carries that action in its handler, with the values of its
//! form merged into the action's `payload` when it sends. Forms never submit natively (that
//! would navigate the host page); Enter in a field sends the form's own action.
//!
//! A widget tree deeper than [`MAX_DEPTH`] stops there: widget JSON comes from the server.

use leptos::html;
use leptos::prelude::*;
use serde_json::{Map, Value};
use wasm_bindgen::JsCast;
use web_sys::{HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use crate::i18n::Text;
use crate::session::Input;
use crate::web::panel::markdown::Markdown;
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
    chat.send(Input::Action { item_id: item_id.to_owned(), action });
}

/// A button that sends `action`; `submit` makes it its form's submit button (Enter in a field
/// sends it too).
fn action_button(chat: Chat, item_id: &str, label: String, action: Value, submit: bool) -> AnyView {
    let item_id = item_id.to_owned();
    let button = NodeRef::<html::Button>::new();
    view! {
        <button
            class="widget-button"
            type=if submit { "submit" } else { "button" }
            node_ref=button
            disabled=move || !chat.can_start_turn()
            on:click=move |event| {
                event.prevent_default();
                let form = button.get_untracked().and_then(|button| button.form());
                send_action(chat, &item_id, &action, form);
            }
        >
            {label}
        </button>
    }
    .into_any()
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
                let form = NodeRef::<html::Form>::new();
                let submit_action = confirm.as_ref().map(|(_, action)| action.clone());
                let button = confirm.map(|(label, action)| action_button(chat, item_id, label, action, true));
                let item_id = item_id.to_owned();
                view! {
                    <form
                        class=class
                        node_ref=form
                        on:submit=move |event| {
                            // Never a native submission: it would navigate the host page.
                            event.prevent_default();
                            if let Some(action) = &submit_action {
                                send_action(chat, &item_id, action, form.get_untracked());
                            }
                        }
                    >
                        {inner}
                        {button}
                    </form>
                }
                .into_any()
            } else {
                let button =
                    confirm.map(|(label, action)| action_button(chat, item_id, label, action, false));
                view! { <div class=class>{inner}{button}</div> }.into_any()
            }
        }
        "Title" => view! { <p class="w-title">{text("value")}</p> }.into_any(),
        "Text" | "Caption" | "Label" => {
            let class = if kind == "Caption" { "w-caption" } else { "w-text" };
            let value =
                Some(text("value")).filter(|value| !value.is_empty()).unwrap_or_else(|| text("label"));
            view! { <p class=class>{value}</p> }.into_any()
        }
        "Markdown" => view! {
            <div class="w-markdown">
                <Markdown chat=chat source=text("value") streaming=false/>
            </div>
        }
        .into_any(),
        "Badge" => view! { <span class="w-badge">{text("label")}</span> }.into_any(),
        "Divider" => view! { <hr/> }.into_any(),
        "Spacer" => view! { <div class=SPACER></div> }.into_any(),
        "Image" => view! { <p class="w-caption">{text("alt")}</p> }.into_any(),
        "Button" => match node.get("onClickAction").or_else(|| node.get("action")) {
            Some(action) => action_button(chat, item_id, text("label"), action.clone(), flag(node, "submit")),
            None => view! { <span class="w-badge">{text("label")}</span> }.into_any(),
        },
        "Input" | "Textarea" | "DatePicker" => {
            let label = Some(text("label")).filter(|label| !label.is_empty()).unwrap_or_else(|| text("name"));
            let (name, placeholder, default) = (text("name"), text("placeholder"), text("defaultValue"));
            let field = if kind == "Textarea" {
                view! { <textarea name=name placeholder=placeholder aria-label=label prop:value=default></textarea> }.into_any()
            } else {
                let kind = (kind == "DatePicker").then_some("date");
                view! { <input type=kind name=name placeholder=placeholder aria-label=label prop:value=default/> }.into_any()
            };
            view! { <label class="w-field">{field}</label> }.into_any()
        }
        "Select" | "RadioGroup" => {
            let (name, default) = (text("name"), text("defaultValue"));
            let options = node.get("options").and_then(Value::as_array).cloned().unwrap_or_default();
            if kind == "Select" {
                let label =
                    Some(text("placeholder")).filter(|p| !p.is_empty()).unwrap_or_else(|| name.clone());
                let choices = options
                    .iter()
                    .map(|option| {
                        let value = text_of(option, "value");
                        let selected = value == default;
                        view! { <option value=value selected=selected>{text_of(option, "label")}</option> }
                    })
                    .collect::<Vec<_>>();
                view! { <select name=name aria-label=label>{choices}</select> }.into_any()
            } else {
                let choices = options
                    .iter()
                    .map(|option| {
                        let value = text_of(option, "value");
                        let checked = value == default;
                        view! {
                            <label class="w-choice">
                                <input type="radio" name=name.clone() value=value prop:checked=checked/>
                                {text_of(option, "label")}
                            </label>
                        }
                    })
                    .collect::<Vec<_>>();
                view! { <fieldset class="w-radios">{choices}</fieldset> }.into_any()
            }
        }
        "Checkbox" => {
            let checked = flag(node, "defaultChecked");
            view! {
                <label class="w-choice">
                    <input type="checkbox" name=text("name") prop:checked=checked/>
                    {text("label")}
                </label>
            }
            .into_any()
        }
        // Unknown components still show their children.
        _ => view! { <div class="w-col">{children(chat, item_id, node, depth)}</div> }.into_any(),
    }
}

/// The spacer's class (a constant, so Leptos builds the element node by node; see
/// `launcher.rs`).
const SPACER: &str = "w-spacer";

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
