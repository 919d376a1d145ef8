//! A widget's tree ([`crate::widget::Node`]) as DOM: one element per component, its class,
//! `data-` tokens and CSS from the view model, and what each control does.
//!
//! Actions: a control sends its action with the values of its form (the `<form>` it is in,
//! keyed by field name, dots nesting) merged into the payload. A `handler: "client"` action goes
//! to the page's handler (`OrcheoChat.setWidgetActionHandler`, and the `widget.action` event),
//! a `streaming: false` one to `threads.sync_custom_action`, every other one starts a turn
//! (`threads.custom_action`). While it runs, the control (or the whole widget) shows it and
//! nothing in the widget fires again. Forms never submit natively (that would navigate the host
//! page): Enter in a field sends the form's own action, after the browser's own checks
//! (`required`, `pattern`).

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use crate::i18n::{PanelText, WidgetText};
use crate::images::ImagePolicy;
use crate::json::object;
use crate::session::Input;
use crate::web::js;
use crate::web::launcher::TRUE;
use crate::web::panel::markdown::markdown_view;
use crate::web::panel::node::Node;
use crate::web::panel::view::{KeyedList, Row};
use crate::web::widgets::{chart, Ctx, Running};
use crate::widget::action::{Action, Loading, Site};
use crate::widget::style::Paint;
use crate::widget::{icons, Card, Choice, Field, Kind, Node as Model, Status};

/// A widget item's tree, in its root element (which fades while a widget-wide action runs).
pub fn widget(ctx: &Ctx, root: &Model) -> AnyView {
    let state = ctx.state;
    let chat = ctx.chat;
    // An action the server answers ends with the turn (or the sync calls) it started.
    Effect::new(move |_| {
        let (busy, syncing) = chat.view.read(|view| (view.busy, view.syncing > 0));
        if let Some(running) = state.running.get() {
            if !running.client && !busy && !syncing {
                state.running.set(None);
            }
        }
    });
    let mut next = 0;
    let tree = node(ctx, root, &mut next);
    let fading = move || state.running.get().is_some_and(|running| running.loading == Loading::Widget);
    Node::with_class("div", "w-root")
        .attr_with("aria-busy", move || fading().then(|| TRUE.to_owned()))
        .attr_with("inert", move || fading().then(String::new))
        .child(tree)
        .build()
}

/// The `data-` attribute for a token the view model names.
fn data_name(key: &str) -> &'static str {
    match key {
        "size" => "data-size",
        "color" => "data-color",
        "variant" => "data-variant",
        "theme" => "data-theme",
        "flush" => "data-flush",
        "dir" => "data-dir",
        "block" => "data-block",
        _ => "data-frame",
    }
}

/// An element with the component's class, tokens and CSS.
fn element(ctx: &Ctx, model: &Model, tag: &'static str) -> Node {
    let mut element = Node::with_class(tag, model.class);
    for (key, value) in &model.data {
        element = element.attr(data_name(key), value.clone());
    }
    for (property, paint) in &model.style {
        element = match paint {
            Paint::Css(value) => element.style(property, value.clone()),
            Paint::Scheme { light, dark } => {
                let (light, dark, scheme) = (light.clone(), dark.clone(), ctx.dark);
                element.style_with(property, move || if scheme.get() { dark.clone() } else { light.clone() })
            }
        }
    }
    element
}

/// A context whose scheme is `theme` (`"light"`, `"dark"`) when the component forces one.
fn themed(ctx: &Ctx, model: &Model) -> Ctx {
    match model.data.iter().find(|(key, _)| *key == "theme") {
        Some((_, theme)) => Ctx { dark: Signal::stored(theme == "dark"), ..ctx.clone() },
        None => ctx.clone(),
    }
}

fn children(ctx: &Ctx, model: &Model, next: &mut usize) -> Vec<AnyView> {
    model.children.iter().map(|child| node(ctx, child, next)).collect()
}

fn node(ctx: &Ctx, model: &Model, next: &mut usize) -> AnyView {
    let index = *next;
    *next += 1;
    match &model.kind {
        Kind::Card(card) => self::card(&themed(ctx, model), model, card, index, next),
        Kind::ListView { limit, status } => list(&themed(ctx, model), model, *limit, status.as_ref()),
        Kind::ListViewItem { action } => {
            let inner = children(ctx, model, next);
            let row = element(ctx, model, "div").children(inner);
            match action {
                Some(action) => {
                    let (ctx, action, key_ctx, key_action) =
                        (ctx.clone(), action.clone(), ctx.clone(), action.clone());
                    row.attr("role", "button")
                        .attr("tabindex", "0")
                        .attr("data-clickable", "")
                        .attr_with(
                            "aria-disabled",
                            disabled_when(&ctx, &action, false, |off| off.then(|| TRUE.to_owned())),
                        )
                        .attr_with("aria-busy", busy_when(&ctx, index))
                        .on_click(move |event| {
                            // A click on a control inside the row is that control's.
                            if clicked_control(&event) {
                                return;
                            }
                            fire(&ctx, index, &action, Site::ListItem, None);
                        })
                        .on("keydown", move |event| {
                            let own = event.target() == event.current_target();
                            let key = event
                                .dyn_ref::<web_sys::KeyboardEvent>()
                                .map(web_sys::KeyboardEvent::key)
                                .unwrap_or_default();
                            if own && (key == "Enter" || key == " ") {
                                event.prevent_default();
                                fire(&key_ctx, index, &key_action, Site::ListItem, None);
                            }
                        })
                        .build()
                }
                None => row.build(),
            }
        }
        Kind::Container { form } => {
            let inner = children(&themed(ctx, model), model, next);
            match form {
                Some(action) => self::form(ctx, element(ctx, model, "form"), action.clone(), index)
                    .children(inner)
                    .build(),
                None => element(ctx, model, "div").children(inner).build(),
            }
        }
        Kind::Transition => {
            let inner = children(ctx, model, next);
            element(ctx, model, "div").children(inner).build()
        }
        Kind::Spacer => element(ctx, model, "div").attr("aria-hidden", TRUE).build(),
        Kind::Divider => element(ctx, model, "hr").build(),
        Kind::Text { value, editable } => match editable {
            Some(field) => {
                let input = element(ctx, model, "input")
                    .attr("class", format!("{} w-editable", model.class))
                    .attr("type", "text")
                    .value(value.clone());
                field_attrs(ctx, input, field, value).build()
            }
            None => element(ctx, model, "p").text(value.clone()).build(),
        },
        Kind::Label { value, field } => {
            element(ctx, model, "label").attr("for", field_id(ctx, field)).text(value.clone()).build()
        }
        Kind::Markdown { value } => element(ctx, model, "div").child(markdown_view(ctx.chat, value)).build(),
        Kind::Badge { label } => element(ctx, model, "span").text(label.clone()).build(),
        Kind::Icon { name } => {
            element(ctx, model, "span").attr("aria-hidden", TRUE).child(icon(*name, None)).build()
        }
        Kind::Image { src, alt } => image(ctx.images, element(ctx, model, "img"), src, alt),
        Kind::Button(button) => {
            let icon_px = Some(button.icon_px);
            let label =
                (!button.label.is_empty()).then(|| Node::new("span").text(button.label.clone()).build());
            let content = [
                button.icon_start.map(|name| icon(Some(name), icon_px)),
                label,
                button.icon_end.map(|name| icon(Some(name), icon_px)),
            ]
            .into_iter()
            .flatten()
            .collect();
            let name = Some(button.label.clone())
                .filter(|label| !label.is_empty())
                .or_else(|| button.icon_start.or(button.icon_end).map(str::to_owned));
            let element = element(ctx, model, "button")
                .attr("type", if button.submit { "submit" } else { "button" })
                .attr_if("aria-label", name.filter(|_| button.label.is_empty()))
                .children(content);
            action_button(ctx, element, button.action.clone(), button.submit, button.disabled, index)
        }
        Kind::Input { field, input_type } => {
            let input = element(ctx, model, "input").attr("type", *input_type).value(field.default.clone());
            field_attrs(ctx, input, field, &field.placeholder).build()
        }
        Kind::Textarea { field, rows, max_rows } => {
            let area =
                element(ctx, model, "textarea").attr("rows", rows.to_string()).value(field.default.clone());
            let area = match max_rows {
                Some(max) => area.attr("data-grow", "").style("max-height", format!("{}lh", max)),
                None => area,
            };
            field_attrs(ctx, area, field, &field.placeholder).build()
        }
        Kind::Select { field, options, action } => {
            let mut choices: Vec<AnyView> = Vec::new();
            if field.default.is_empty() || !field.placeholder.is_empty() {
                // The placeholder, chosen until the visitor picks: it is not itself a choice.
                choices.push(
                    Node::new("option")
                        .attr("value", "")
                        .attr("disabled", "")
                        .attr_if("selected", field.default.is_empty().then(String::new))
                        .text(field.placeholder.clone())
                        .build(),
                );
            }
            choices.extend(options.iter().map(|choice| option(choice, &field.default)));
            let select =
                field_attrs(ctx, element(ctx, model, "select"), field, &field.placeholder).children(choices);
            on_change(ctx, select, action.as_ref(), field.disabled, index).build()
        }
        Kind::DatePicker { field, min, max, action } => {
            let date = element(ctx, model, "input")
                .attr("type", "date")
                .attr_if("min", min.clone())
                .attr_if("max", max.clone())
                .value(field.default.clone());
            let date = field_attrs(ctx, date, field, &field.placeholder);
            on_change(ctx, date, action.as_ref(), field.disabled, index).build()
        }
        Kind::Checkbox { field, label, checked, action } => {
            let input = Node::new("input").attr("type", "checkbox").checked(*checked);
            let input = field_attrs(ctx, input, field, label);
            let input = on_change(ctx, input, action.as_ref(), field.disabled, index);
            element(ctx, model, "label")
                .child(input.build())
                .child(Node::new("span").text(label.clone()).build())
                .build()
        }
        Kind::RadioGroup { field, options, label, action } => {
            let radios = options
                .iter()
                .map(|choice| {
                    let radio = Node::new("input")
                        .attr("type", "radio")
                        .attr("name", field.name.clone())
                        .attr("value", choice.value.clone())
                        .checked(choice.value == field.default)
                        .attr_if("required", field.required.then(String::new));
                    let radio =
                        on_change(ctx, radio, action.as_ref(), field.disabled || choice.disabled, index);
                    Node::with_class("label", "w-radio")
                        .child(radio.build())
                        .child(Node::new("span").text(choice.label.clone()).build())
                        .build()
                })
                .collect();
            element(ctx, model, "div")
                .attr("role", "radiogroup")
                .attr("aria-label", label.clone())
                .children(radios)
                .build()
        }
        Kind::Chart(model_chart) => element(ctx, model, "div").child(chart::chart(ctx, model_chart)).build(),
        Kind::Table => {
            let rows = children(ctx, model, next);
            element(ctx, model, "table").child(Node::new("tbody").children(rows).build()).build()
        }
        Kind::TableRow { header } => {
            let cells: Vec<AnyView> = model
                .children
                .iter()
                .map(|cell| {
                    let position = *next;
                    *next += 1;
                    match &cell.kind {
                        Kind::TableCell { col_span, row_span } => {
                            let inner = children(ctx, cell, next);
                            element(ctx, cell, if *header { "th" } else { "td" })
                                .attr_if("colspan", (*col_span > 1).then(|| col_span.to_string()))
                                .attr_if("rowspan", (*row_span > 1).then(|| row_span.to_string()))
                                .children(inner)
                                .build()
                        }
                        // Anything else in a row gets a cell of its own.
                        _ => {
                            *next = position;
                            Node::new("td").child(node(ctx, cell, next)).build()
                        }
                    }
                })
                .collect();
            element(ctx, model, "tr").children(cells).build()
        }
        Kind::TableCell { .. } => {
            let inner = children(ctx, model, next);
            element(ctx, model, "div").children(inner).build()
        }
        Kind::Unknown(_) => {
            let inner = children(ctx, model, next);
            element(ctx, model, "div").children(inner).build()
        }
    }
}

/// A card: its status line, its body (folded when collapsed), its confirm and cancel buttons.
fn card(ctx: &Ctx, model: &Model, card: &Card, index: usize, next: &mut usize) -> AnyView {
    let inner = children(ctx, model, next);
    let open = RwSignal::new(false);
    let folded = card.collapsed;
    let toggle = folded.then(|| {
        let chat = ctx.chat;
        Node::with_class("button", "w-fold")
            .attr("type", "button")
            .attr_with("aria-expanded", move || Some(open.get().to_string()))
            .on_click(move |_| open.update(|open| *open = !*open))
            .child(icon(Some("chevron-right"), Some(16)))
            .child(
                Node::new("span")
                    .child(
                        (move || {
                            chat.text(if open.get() {
                                WidgetText::HideDetails
                            } else {
                                WidgetText::ShowDetails
                            })
                        })
                        .into_any(),
                    )
                    .build(),
            )
            .build()
    });
    let body = Node::with_class("div", "w-body")
        .attr_with("hidden", move || (folded && !open.get()).then(String::new))
        .children(inner);
    let buttons: Vec<AnyView> = [(&card.cancel, false), (&card.confirm, true)]
        .into_iter()
        .filter_map(|(action, confirm)| {
            let action = action.as_ref()?;
            let label = Some(action.label.clone()).filter(|label| !label.is_empty()).unwrap_or_else(|| {
                if confirm {
                    ctx.chat.text(WidgetText::Submit)
                } else {
                    ctx.chat.text(PanelText::Cancel)
                }
            });
            let button = Node::with_class("button", "w-button")
                .attr("data-color", if confirm { "primary" } else { "secondary" })
                .attr("data-variant", if confirm { "solid" } else { "outline" })
                .attr("type", if confirm && card.form { "submit" } else { "button" })
                .child(Node::new("span").text(label).build());
            let site = if confirm { Site::Submit } else { Site::Cancel };
            Some(site_button(
                ctx,
                button,
                action.action.clone(),
                confirm && card.form,
                false,
                site,
                index * 1000 + usize::from(confirm),
            ))
        })
        .collect();
    let footer = (!buttons.is_empty()).then(|| {
        Node::with_class("div", "w-footer")
            .attr_with("hidden", move || (folded && !open.get()).then(String::new))
            .children(buttons)
            .build()
    });
    let parts: Vec<AnyView> =
        [card.status.as_ref().map(|status| status_line(ctx, status)), Some(body.build()), footer, toggle]
            .into_iter()
            .flatten()
            .collect();
    if card.form {
        let action = card.confirm.as_ref().map(|confirm| confirm.action.clone());
        self::form(ctx, element(ctx, model, "form"), action, index).children(parts).build()
    } else {
        element(ctx, model, "div").children(parts).build()
    }
}

/// Most rows a list draws at once: at first (fewer if its `limit` says so) and at each "Show
/// more". Rows past them are built only when shown, so that a list of hundreds of rows never
/// holds the page's main thread for long.
const ROWS_AT_ONCE: usize = 50;

/// A list: its status line, its first rows (`limit` of them, at most [`ROWS_AT_ONCE`]), and
/// "Show more" for the next ones, a batch at a time.
fn list(ctx: &Ctx, model: &Model, limit: Option<usize>, status: Option<&Status>) -> AnyView {
    let rows = Arc::clone(&model.children);
    let total = rows.len();
    let shown = RwSignal::new(limit.unwrap_or(ROWS_AT_ONCE).clamp(1, ROWS_AT_ONCE));
    // The panel's keyed list: a row once drawn stays; "Show more" draws only the new ones. Each
    // row numbers its controls from its own base, past any a widget can have elsewhere.
    let row_ctx = ctx.clone();
    let drawn = Signal::derive(move || {
        (0..shown.get().min(total))
            .map(|position| {
                let (ctx, rows) = (row_ctx.clone(), Arc::clone(&rows));
                Row::new(position.to_string(), move || {
                    let mut next = (position + 1) << 12;
                    rows.get(position).map_or_else(|| ().into_any(), |row| node(&ctx, row, &mut next))
                })
            })
            .collect()
    });
    let mut parts: Vec<AnyView> = status.map(|status| status_line(ctx, status)).into_iter().collect();
    parts.push(view! { <KeyedList rows=drawn/> }.into_any());
    let chat = ctx.chat;
    parts.push(
        Node::with_class("button", "w-more")
            .attr("type", "button")
            .attr_with("hidden", move || (shown.get() >= total).then(String::new))
            .on_click(move |_| shown.update(|count| *count += ROWS_AT_ONCE))
            .child((move || chat.text(WidgetText::ShowMore)).into_any())
            .build(),
    );
    element(ctx, model, "div").children(parts).build()
}

/// An `<img>` that tells its host nothing of the page or the visitor: no referrer, no cookies
/// (anonymous CORS), and fetched only when scrolled near.
fn private_image(img: Node) -> Node {
    img.attr("loading", "lazy")
        .attr("decoding", "async")
        .attr("referrerpolicy", "no-referrer")
        .attr("crossorigin", "anonymous")
}

/// A status line: an icon or a favicon (under the image policy), then its text.
fn status_line(ctx: &Ctx, status: &Status) -> AnyView {
    let mark = match (&status.favicon, status.icon) {
        // A favicon is decoration: one the policy refuses, or that fails, is left out.
        (Some(favicon), _) if ctx.images.with_untracked(|policy| policy.allows(favicon)) => {
            let failed = RwSignal::new(false);
            let img = Node::with_class("img", "w-favicon")
                .attr_if("data-frame", status.frame.then(String::new))
                .attr("alt", "");
            Some(
                private_image(img)
                    .attr_with("hidden", move || failed.get().then(String::new))
                    .on("error", move |_| failed.set(true))
                    .attr("src", favicon.clone())
                    .build(),
            )
        }
        (_, Some(name)) => Some(icon(Some(name), Some(16))),
        _ => None,
    };
    Node::with_class("div", "w-status")
        .children(mark.into_iter().collect())
        .child(Node::new("span").text(status.text.clone()).build())
        .build()
}

/// A Lucide icon, 24×24 drawn at the component's size (or `px`).
pub fn icon(name: Option<&'static str>, px: Option<u32>) -> AnyView {
    let (stroke, fill) = name.and_then(icons::glyph).unwrap_or(("", ""));
    let (stroke, class) = match stroke.strip_prefix('!') {
        Some(stroke) => (stroke, "w-stroke w-knockout"),
        None => (stroke, "w-stroke"),
    };
    let size = px.map(|px| format!("{px}px"));
    Node::svg("svg")
        .attr("class", "w-svg")
        .attr("viewBox", "0 0 24 24")
        .attr_if("width", size.clone())
        .attr_if("height", size)
        .attr("aria-hidden", TRUE)
        .child(Node::svg("path").attr("class", "w-fill").attr("d", fill).build_svg())
        .child(Node::svg("path").attr("class", class).attr("d", stroke).build_svg())
        .build_svg()
}

/// An image under the embed's policy: drawn if it may load (without the page's address or the
/// visitor's cookies, lazily), else (or if it fails) its description, linked when the address
/// is `https:`.
pub fn image(policy: RwSignal<ImagePolicy>, img: Node, src: &str, alt: &str) -> AnyView {
    let allowed = policy.with_untracked(|policy| policy.allows(src));
    let failed = RwSignal::new(!allowed);
    let (src, alt) = (src.to_owned(), alt.to_owned());
    let fallback = {
        let (src, alt) = (src.clone(), alt.clone());
        move || {
            let label = if alt.is_empty() { src.clone() } else { alt.clone() };
            if crate::images::https_origin(&src).is_some() {
                Node::with_class("a", "w-image-link")
                    .attr("href", src.clone())
                    .attr("target", "_blank")
                    .attr("rel", "noopener noreferrer")
                    .text(label)
            } else {
                Node::with_class("span", "w-image-link").text(label)
            }
        }
    };
    let drawn = private_image(img.attr("alt", alt))
        .attr_with("hidden", move || failed.get().then(String::new))
        .on("error", move |_| failed.set(true));
    // The address is set only when it may load: an <img> fetches as soon as it has one.
    let drawn = if allowed { drawn.attr("src", src).build() } else { drawn.build() };
    let instead = fallback().attr_with("hidden", move || (!failed.get()).then(String::new)).build();
    vec![drawn, instead].into_any()
}

/// An `<option>`.
fn option(choice: &Choice, chosen: &str) -> AnyView {
    Node::new("option")
        .attr("value", choice.value.clone())
        .attr_if("selected", (choice.value == chosen).then(String::new))
        .attr_if("disabled", choice.disabled.then(String::new))
        .attr_if("title", choice.description.clone())
        .text(choice.label.clone())
        .build()
}

/// The id of a widget field (a Label's `for` names it).
fn field_id(ctx: &Ctx, name: &str) -> String {
    format!("w-{}-{}", ctx.item_id, name.replace(char::is_whitespace, "_"))
}

/// A field's attributes: its name and id, rules, placeholder, and the name it is read by.
fn field_attrs(ctx: &Ctx, element: Node, field: &Field, label: &str) -> Node {
    let label = [label, &field.placeholder, &field.name]
        .into_iter()
        .find(|text| !text.is_empty())
        .unwrap_or_default()
        .to_owned();
    element
        .attr("name", field.name.clone())
        .attr("id", field_id(ctx, &field.name))
        .attr_if("placeholder", (!field.placeholder.is_empty()).then(|| field.placeholder.clone()))
        .attr_if("required", field.required.then(String::new))
        .attr_if("pattern", field.pattern.clone())
        .attr_if("disabled", field.disabled.then(String::new))
        .attr_if("autofocus", field.auto_focus.then(String::new))
        .attr("aria-label", label)
}

/// Whether a click landed on a control of its own (inside a clickable row).
fn clicked_control(event: &web_sys::MouseEvent) -> bool {
    let Some(target) = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    target.closest("button, a, input, select, textarea, label").ok().flatten().is_some()
}

/// The form an event's target is in.
fn form_of(target: Option<web_sys::EventTarget>) -> Option<HtmlFormElement> {
    let element = target?.dyn_into::<web_sys::Element>().ok()?;
    element.closest("form").ok().flatten()?.dyn_into::<HtmlFormElement>().ok()
}

/// A form's fields, by name: a checkbox as true or false, the checked radio's value, every
/// other field's text.
fn form_fields(form: &HtmlFormElement) -> Vec<(String, Value)> {
    let elements = form.elements();
    let mut fields = Vec::new();
    for index in 0..elements.length() {
        let Some(element) = elements.item(index) else { continue };
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            // A field of a form nested inside this one belongs to that form.
            if input.name().is_empty() || input.form().as_ref() != Some(form) {
                continue;
            }
            match input.type_().as_str() {
                "checkbox" => fields.push((input.name(), Value::Bool(input.checked()))),
                "radio" if input.checked() => fields.push((input.name(), Value::String(input.value()))),
                "radio" | "submit" | "button" | "reset" => {}
                _ => fields.push((input.name(), Value::String(input.value()))),
            }
        } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
            if !select.name().is_empty() && select.form().as_ref() == Some(form) {
                fields.push((select.name(), Value::String(select.value())));
            }
        } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
            if !area.name().is_empty() && area.form().as_ref() == Some(form) {
                fields.push((area.name(), Value::String(area.value())));
            }
        }
    }
    fields
}

/// Whether a control of this action is off now: its own `disabled`, an action of the widget
/// running, or (for an action that starts a turn) a turn that cannot start.
fn disabled_when<T>(
    ctx: &Ctx,
    action: &Action,
    disabled: bool,
    out: impl Fn(bool) -> T + Send + Sync + 'static,
) -> impl Fn() -> T + Send + Sync + 'static {
    let (state, chat) = (ctx.state, ctx.chat);
    let needs_turn = !action.client && !action.sync;
    move || out(disabled || state.running.get().is_some() || (needs_turn && !chat.can_start_turn()))
}

/// `aria-busy` on the control whose action is running (when it shows that).
fn busy_when(ctx: &Ctx, index: usize) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let state = ctx.state;
    move || {
        state
            .running
            .get()
            .filter(|running| running.control == index && running.loading == Loading::Control)
            .map(|_| TRUE.to_owned())
    }
}

/// Sends a control's action (see the module docs).
fn fire(ctx: &Ctx, control: usize, action: &Action, site: Site, form: Option<HtmlFormElement>) {
    let state = ctx.state;
    if state.running.get_untracked().is_some() {
        return;
    }
    let fields = form.as_ref().map(form_fields).unwrap_or_default();
    let (sent, collisions) = action.with_fields(&fields);
    for name in collisions {
        js::warn(&format!(
            "the widget field \"{name}\" was left out of its action: the payload already has that key"
        ));
    }
    let running = Running { control, loading: action.loading(site), client: action.client };
    let chat = ctx.chat;
    let item_id = Some(ctx.item_id.to_string());
    if action.client {
        let detail = object(vec![("action", sent), ("item_id", item_id.map_or(Value::Null, Value::String))]);
        let answer = chat.shell.ask("widget.action", &detail);
        if let Ok(promise) = answer.dyn_into::<js_sys::Promise>() {
            state.running.set(Some(running));
            spawn_local(async move {
                if let Err(thrown) = wasm_bindgen_futures::JsFuture::from(promise).await {
                    js::error(&format!("the page's widget action handler failed: {}", js::describe(&thrown)));
                }
                state.running.try_set(None);
            });
        }
    } else if action.sync {
        state.running.set(Some(running));
        chat.send(Input::SyncAction { item_id, action: sent });
    } else if chat.can_start_turn() {
        state.running.set(Some(running));
        chat.follow();
        chat.send(Input::Action { item_id, action: sent });
    }
}

/// A button that sends `action` (a submit button checks its form first), or, without one, a
/// submit button that sends its form's, or a plain button.
fn action_button(
    ctx: &Ctx,
    element: Node,
    action: Option<Action>,
    submit: bool,
    disabled: bool,
    index: usize,
) -> AnyView {
    match action {
        Some(action) => site_button(ctx, element, action, submit, disabled, Site::Button, index),
        None if disabled => element.attr("disabled", "").build(),
        None => element.build(),
    }
}

#[allow(clippy::too_many_arguments, reason = "a button's parts, each used once")]
fn site_button(
    ctx: &Ctx,
    element: Node,
    action: Action,
    submit: bool,
    off: bool,
    site: Site,
    index: usize,
) -> AnyView {
    let disabled = disabled_when(ctx, &action, off, |off| off);
    let ctx = ctx.clone();
    element
        .attr_with("aria-busy", busy_when(&ctx, index))
        .disabled(disabled)
        .on_click(move |event| {
            event.prevent_default();
            let form = form_of(event.target());
            if submit && !form.as_ref().is_none_or(HtmlFormElement::report_validity) {
                return;
            }
            fire(&ctx, index, &action, site, form);
        })
        .build()
}

/// A control with an `onChangeAction`: it sends it (with its form's values) when it changes.
fn on_change(ctx: &Ctx, element: Node, action: Option<&Action>, disabled: bool, index: usize) -> Node {
    match action {
        Some(action) => {
            let off = disabled_when(ctx, action, disabled, |off| off);
            let (ctx, action) = (ctx.clone(), action.clone());
            element.disabled(off).attr_with("aria-busy", busy_when(&ctx, index)).on("change", move |event| {
                fire(&ctx, index, &action, Site::Change, form_of(event.target()));
            })
        }
        None if disabled => element.attr("disabled", ""),
        None => element,
    }
}

/// A widget form: never submitted natively; Enter (or a submit button without an action of its
/// own) sends the form's action after the browser's checks.
fn form(ctx: &Ctx, element: Node, action: Option<Action>, index: usize) -> Node {
    let ctx = ctx.clone();
    element.attr("novalidate", "").on_submit(move |event| {
        event.prevent_default();
        // A form inside another one answers for itself alone.
        event.stop_propagation();
        let form = event.target().and_then(|target| target.dyn_into::<HtmlFormElement>().ok());
        let Some(form) = form else { return };
        if !form.report_validity() {
            return;
        }
        if let Some(action) = &action {
            fire(&ctx, index * 1000 + 1, action, Site::Submit, Some(form));
        }
    })
}
