//! The message list, drawn imperatively: one `<article>` per entry, kept in step with the
//! conversation by id and revision. An entry whose revision did not move is not touched; an
//! assistant message re-renders only the markdown chunks whose text changed, so a streaming
//! reply redraws its tail, not itself. Buttons carry `data-action` and are handled by one
//! delegated listener on the log ([`MessageList::action_at`]), so no per-message closures exist.

use serde_json::{Map, Value};
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::config::Prompt;
use crate::error::ErrorKind;
use crate::i18n::{fill, Locale, Text};
use crate::markdown::{self, Align, Block, Inline};
use crate::protocol::{assistant_text, ItemBody};
use crate::thread::{Entry, EntryKind};
use crate::web::el::{self, El};

/// A rendered markdown chunk: its source, whether it was parsed as a stream's tail, its node.
struct Chunk {
    source: String,
    streaming: bool,
    element: Element,
}

struct Rendered {
    id: String,
    rev: u64,
    article: Element,
    /// The markdown container of an assistant message, reused across revisions.
    body: Option<Element>,
    chunks: Vec<Chunk>,
    /// Widget actions, indexed by the `data-index` of the controls that send them.
    actions: Vec<Value>,
}

/// The articles on screen, and the start screen when there are none.
pub struct MessageList {
    log: Element,
    rendered: Vec<Rendered>,
    start: Option<(String, Element)>,
}

/// What rendering needs besides the entries.
pub struct RenderContext<'a> {
    /// The strings.
    pub locale: &'a Locale,
    /// The assistant's name.
    pub title: &'a str,
    /// Start prompts, for the start screen.
    pub prompts: &'a [Prompt],
    /// The start screen's greeting.
    pub greeting: &'a str,
}

/// What a click in the log asks for.
pub enum LogAction {
    /// Retry the failure shown by this entry.
    Retry(String),
    /// Send start prompt number N.
    Prompt(usize),
    /// A widget action: `(item id, action)`.
    Widget(String, Value),
}

impl MessageList {
    /// A list drawing into `log` (the `role="log"` element).
    pub fn new(log: Element) -> Self {
        Self { log, rendered: Vec::new(), start: None }
    }

    /// Brings the articles in line with `entries`: new ones are created, changed ones
    /// re-rendered, gone ones removed, and the order fixed.
    pub fn update(&mut self, entries: &[Entry], context: &RenderContext) {
        self.update_start(entries.is_empty(), context);
        let mut next = Vec::with_capacity(entries.len());
        for entry in entries {
            let existing =
                self.rendered.iter().position(|r| r.id == entry.id).map(|i| self.rendered.swap_remove(i));
            let mut rendered = match existing {
                Some(rendered) if rendered.rev == entry.rev => {
                    next.push(rendered);
                    continue;
                }
                Some(rendered) => rendered,
                None => match El::with_class("article", "message") {
                    Some(article) => Rendered {
                        id: entry.id.clone(),
                        rev: 0,
                        article: article.0,
                        body: None,
                        chunks: Vec::new(),
                        actions: Vec::new(),
                    },
                    None => continue,
                },
            };
            draw(&mut rendered, entry, context);
            rendered.rev = entry.rev;
            next.push(rendered);
        }
        for gone in self.rendered.drain(..) {
            gone.article.remove();
        }
        // Put each article in place after the start screen; articles already in order are not
        // moved (moving one would lose its selection and restart its animation).
        let mut cursor = self.log.first_element_child();
        if let (Some((_, start)), Some(current)) = (&self.start, &cursor) {
            if current == start {
                cursor = current.next_element_sibling();
            }
        }
        for rendered in &next {
            match &cursor {
                Some(current) if current == &rendered.article => cursor = current.next_element_sibling(),
                Some(current) => {
                    let _ = self.log.insert_before(&rendered.article, Some(current));
                }
                None => {
                    let _ = self.log.append_child(&rendered.article);
                }
            }
        }
        self.rendered = next;
    }

    fn update_start(&mut self, empty: bool, context: &RenderContext) {
        let signature = if empty {
            let mut signature = context.greeting.to_owned();
            for prompt in context.prompts {
                signature.push('\u{1}');
                signature.push_str(&prompt.label);
            }
            Some(signature)
        } else {
            None
        };
        if self.start.as_ref().map(|(s, _)| s) == signature.as_ref() {
            return;
        }
        if let Some((_, old)) = self.start.take() {
            old.remove();
        }
        let Some(signature) = signature else { return };
        let Some(start) = El::with_class("div", "start") else { return };
        let mut start = start.child(El::with_class("p", "greeting").map(|p| p.text(context.greeting)));
        if !context.prompts.is_empty() {
            let mut list = El::with_class("div", "prompts");
            for (index, prompt) in context.prompts.iter().enumerate() {
                let button = El::with_class("button", "prompt").map(|b| {
                    b.attr("type", "button")
                        .attr("data-action", "prompt")
                        .attr("data-index", &index.to_string())
                        .text(&prompt.label)
                });
                list = list.map(|list| list.child(button));
            }
            start = start.child(list);
        }
        let _ = self.log.prepend_with_node_1(&start.0);
        self.start = Some((signature, start.0));
    }

    /// Removes every article and the start screen (they are drawn again on the next update).
    pub fn clear(&mut self) {
        for rendered in self.rendered.drain(..) {
            rendered.article.remove();
        }
        if let Some((_, start)) = self.start.take() {
            start.remove();
        }
    }

    /// Enables or disables the buttons and forms that start a turn.
    pub fn set_actions_disabled(&self, disabled: bool) {
        let Ok(controls) =
            self.log.query_selector_all("[data-action=retry],[data-action=prompt],.widget button")
        else {
            return;
        };
        for index in 0..controls.length() {
            if let Some(control) = controls.item(index).and_then(|node| node.dyn_into::<Element>().ok()) {
                el::toggle(&control, "disabled", disabled);
            }
        }
    }

    /// What the control `target` (a click or submit inside the log) asks for.
    pub fn action_at(&self, target: &Element) -> Option<LogAction> {
        if target.tag_name() == "FORM" {
            return self.widget_action(target, Some(target));
        }
        let control = target.closest("[data-action]").ok().flatten()?;
        let index = || control.get_attribute("data-index").and_then(|i| i.parse::<usize>().ok());
        match control.get_attribute("data-action")?.as_str() {
            "retry" => Some(LogAction::Retry(control.get_attribute("data-entry")?)),
            "prompt" => Some(LogAction::Prompt(index()?)),
            "widget" => self.widget_action(&control, control.closest("form").ok().flatten().as_ref()),
            _ => None,
        }
    }

    /// A widget action with the values of the form it belongs to merged into its payload.
    fn widget_action(&self, control: &Element, form: Option<&Element>) -> Option<LogAction> {
        let article = control.closest("article").ok().flatten()?;
        let rendered = self.rendered.iter().find(|r| r.article == article)?;
        let index = control.get_attribute("data-index")?.parse::<usize>().ok()?;
        let mut action = rendered.actions.get(index)?.clone();
        if let (Some(form), Some(fields)) = (form, action.as_object_mut()) {
            let mut payload = match fields.remove("payload") {
                Some(Value::Object(payload)) => payload,
                _ => Map::new(),
            };
            form_values(form, &mut payload);
            fields.insert("payload".into(), Value::Object(payload));
        }
        Some(LogAction::Widget(rendered.id.clone(), action))
    }

    /// Whether the log is scrolled to (nearly) its end.
    pub fn at_bottom(&self) -> bool {
        self.log.scroll_height() - self.log.scroll_top() - self.log.client_height() < 32
    }

    /// Scrolls to the end.
    pub fn scroll_to_bottom(&self) {
        self.log.set_scroll_top(self.log.scroll_height());
    }
}

/// The `data-role` of an entry (contract §3).
pub fn role_of(entry: &Entry) -> &'static str {
    match &entry.kind {
        EntryKind::PendingUser(_) | EntryKind::Item { body: ItemBody::User(_), .. } => "user",
        EntryKind::Item { body: ItemBody::Widget { .. }, .. } => "widget",
        EntryKind::Item { body: ItemBody::Task(_) | ItemBody::Workflow(_), .. }
        | EntryKind::Notice { .. } => "notice",
        EntryKind::Item { .. } => "assistant",
        EntryKind::Failure { error, .. } if error.kind == ErrorKind::Aborted => "notice",
        EntryKind::Failure { .. } => "error",
    }
}

fn set_or_remove(element: &Element, name: &str, value: Option<&str>) {
    let _ = match value {
        Some(value) => element.set_attribute(name, value),
        None => element.remove_attribute(name),
    };
}

/// Draws `entry` into its article. Assistant text reuses the chunks that did not change.
fn draw(rendered: &mut Rendered, entry: &Entry, context: &RenderContext) {
    let article = &rendered.article;
    let role = role_of(entry);
    let _ = article.set_attribute("data-role", role);
    let _ = article.set_attribute("data-item-id", &entry.id);
    let label = match role {
        "user" => Some(context.locale.get(Text::YouSaid).to_owned()),
        "assistant" => Some(fill(context.locale.get(Text::AssistantSaid), &[("title", context.title)])),
        _ => None,
    };
    set_or_remove(article, "aria-label", label.as_deref());
    set_or_remove(article, "aria-busy", matches!(entry.kind, EntryKind::PendingUser(_)).then_some("true"));

    if let EntryKind::Item { body: ItemBody::Assistant(parts), streaming } = &entry.kind {
        let text = assistant_text(parts);
        if rendered.body.is_none() {
            el::clear(article);
            let body = El::with_class("div", "bubble markdown");
            rendered.body = body.map(|b| b.0);
            if let Some(body) = &rendered.body {
                let _ = article.append_child(body);
            }
            rendered.chunks.clear();
        }
        if let Some(body) = &rendered.body {
            update_markdown(
                body,
                &mut rendered.chunks,
                &text,
                *streaming,
                context.locale.get(Text::CopyCode),
            );
        }
        // Copy appears once the reply is complete.
        let copy = article.query_selector(".copy").ok().flatten();
        match (copy, *streaming) {
            (None, false) => {
                let button = El::with_class("button", "copy").map(|b| {
                    b.attr("type", "button")
                        .attr("data-action", "copy")
                        .attr("aria-label", context.locale.get(Text::Copy))
                });
                if let Some(button) = button {
                    el::append_icon(&button.0, COPY_ICON);
                    let _ = article.append_child(&button.0);
                }
            }
            (Some(button), true) => button.remove(),
            _ => {}
        }
        return;
    }

    rendered.body = None;
    rendered.chunks.clear();
    rendered.actions.clear();
    el::clear(article);
    let Some(bubble) = El::with_class("div", "bubble") else { return };
    match &entry.kind {
        EntryKind::PendingUser(text) => el::append_text(&bubble.0, text),
        EntryKind::Item { body, .. } => match body {
            ItemBody::User(message) => {
                el::append_text(&bubble.0, &message.text);
                for attachment in &message.attachments {
                    let chip = El::with_class("span", "attachment").map(|chip| chip.text(&attachment.name));
                    let _ = chip.map(|chip| bubble.0.append_child(&chip.0));
                }
            }
            ItemBody::Widget { widget, .. } => {
                let _ = bubble.0.set_attribute("class", "bubble widget");
                if let Some(node) = widget_node(widget, &mut rendered.actions, context.locale) {
                    let _ = bubble.0.append_child(&node);
                }
            }
            ItemBody::Task(task) => append_task(&bubble.0, task),
            ItemBody::Workflow(tasks) => tasks.iter().for_each(|task| append_task(&bubble.0, task)),
            _ => {}
        },
        EntryKind::Notice { title, message, .. } => {
            if let Some(strong) = title.as_deref().and_then(|title| El::new("strong").map(|s| s.text(title)))
            {
                let _ = bubble.0.append_child(&strong.0);
            }
            blocks_into(&bubble.0, &markdown::parse(message, false), context.locale.get(Text::CopyCode));
        }
        EntryKind::Failure { error, .. } => {
            el::append_text(&bubble.0, &context.locale.error_text(error));
        }
    }
    let _ = article.append_child(&bubble.0);
    if let EntryKind::Failure { retry: Some(_), .. } = &entry.kind {
        let button = El::with_class("button", "retry").map(|b| {
            b.attr("type", "button")
                .attr("data-action", "retry")
                .attr("data-entry", &entry.id)
                .text(context.locale.get(Text::Retry))
        });
        let _ = button.map(|button| article.append_child(&button.0));
    }
}

fn append_task(parent: &Element, task: &crate::protocol::TaskSummary) {
    let line =
        [task.title.as_deref(), task.content.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(": ");
    let _ = El::new("p").map(|p| parent.append_child(&p.text(&line).0));
}

/// Redraws the markdown chunks of `text` whose source (or streaming state) changed.
fn update_markdown(body: &Element, chunks: &mut Vec<Chunk>, text: &str, streaming: bool, copy_label: &str) {
    let sources = markdown::chunks(text);
    let last = sources.len().saturating_sub(1);
    for (index, source) in sources.iter().enumerate() {
        let tail = streaming && index == last;
        if chunks.get(index).is_some_and(|chunk| chunk.source == *source && chunk.streaming == tail) {
            continue;
        }
        let Some(element) = El::with_class("div", "chunk") else { continue };
        blocks_into(&element.0, &markdown::parse(source, tail), copy_label);
        let chunk = Chunk { source: (*source).to_owned(), streaming: tail, element: element.0 };
        match chunks.get_mut(index) {
            Some(old) => {
                let _ = body.replace_child(&chunk.element, &old.element);
                *old = chunk;
            }
            None => {
                let _ = body.append_child(&chunk.element);
                chunks.push(chunk);
            }
        }
    }
    for extra in chunks.drain(sources.len().min(chunks.len())..) {
        extra.element.remove();
    }
}

/// Appends markdown blocks as DOM nodes. Headings start at `<h3>`: the panel title is the `<h2>`.
pub fn blocks_into(parent: &Element, blocks: &[Block], copy_label: &str) {
    for block in blocks {
        let node = match block {
            Block::Heading(level, inlines) => {
                El::new(["h3", "h4", "h5", "h6"][usize::from(*level).clamp(1, 4) - 1])
                    .map(|h| inlines_into(h, inlines))
            }
            Block::Paragraph(inlines) => El::new("p").map(|p| inlines_into(p, inlines)),
            Block::Code { lang, text } => El::with_class("div", "code").map(|wrap| {
                let copy = El::with_class("button", "copy-code").map(|b| {
                    b.attr("type", "button").attr("data-action", "copy-code").attr("aria-label", copy_label)
                });
                if let Some(copy) = &copy {
                    el::append_icon(&copy.0, COPY_ICON);
                }
                let code =
                    El::new("code")
                        .map(|code| if lang.is_empty() { code } else { code.attr("data-lang", lang) });
                wrap.child(copy).child(El::new("pre").map(|pre| pre.child(code.map(|code| code.text(text)))))
            }),
            Block::List { ordered, start, items } => {
                El::new(if *ordered { "ol" } else { "ul" }).map(|mut list| {
                    if *ordered && *start != 1 {
                        list = list.attr("start", &start.to_string());
                    }
                    for item in items {
                        if let Some(li) = El::new("li") {
                            blocks_into(&li.0, item, copy_label);
                            list = list.child(Some(li));
                        }
                    }
                    list
                })
            }
            Block::Quote(inner) => {
                El::new("blockquote").inspect(|quote| blocks_into(&quote.0, inner, copy_label))
            }
            Block::Table { align, head, rows } => El::with_class("div", "table").map(|wrap| {
                let row = |tag: &str, cells: &[Vec<Inline>]| {
                    El::new("tr").map(|mut tr| {
                        for (cell, alignment) in cells.iter().zip(align) {
                            let class = match alignment {
                                Align::Center => "center",
                                Align::Right => "end",
                                Align::Left | Align::None => "",
                            };
                            tr = tr.child(El::with_class(tag, class).map(|c| inlines_into(c, cell)));
                        }
                        tr
                    })
                };
                let mut body = El::new("tbody");
                for cells in rows {
                    body = body.map(|b| b.child(row("td", cells)));
                }
                wrap.child(
                    El::new("table")
                        .map(|t| t.child(El::new("thead").map(|h| h.child(row("th", head)))).child(body)),
                )
            }),
            Block::Rule => El::new("hr"),
        };
        if let Some(node) = node {
            let _ = parent.append_child(&node.0);
        }
    }
}

fn inlines_into(mut parent: El, inlines: &[Inline]) -> El {
    for inline in inlines {
        parent = match inline {
            Inline::Text(text) => parent.text(text),
            Inline::Break => parent.child(El::new("br")),
            Inline::Code(code) => parent.child(El::new("code").map(|c| c.text(code))),
            Inline::Strong(children) => parent.child(El::new("strong").map(|s| inlines_into(s, children))),
            Inline::Em(children) => parent.child(El::new("em").map(|e| inlines_into(e, children))),
            Inline::Link { href: Some(href), children } => parent.child(El::new("a").map(|a| {
                inlines_into(
                    a.attr("href", href).attr("target", "_blank").attr("rel", "noopener noreferrer"),
                    children,
                )
            })),
            // A link whose target is not http(s)/mailto is shown as its text only.
            Inline::Link { href: None, children } => inlines_into(parent, children),
        };
    }
    parent
}

const COPY_ICON: &str = "M8 3h9a2 2 0 0 1 2 2v11h-2V5H8zM5 7h9a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V9a2 2 0 0 1 2-2zm0 2v10h9V9z";

fn text_of(node: &Value, key: &str) -> String {
    match node.get(key) {
        Some(Value::String(text)) => text.clone(),
        // Integers only: formatting a float would link a float printer for a rare label.
        Some(Value::Number(number)) => number.as_i64().map(|n| n.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// Draws a ChatKit widget (Card, ListView and their components) as DOM. Controls that send
/// an action get `data-action="widget"` and the index of the action in `actions`.
fn widget_node(node: &Value, actions: &mut Vec<Value>, locale: &Locale) -> Option<Element> {
    let kind = node.get("type")?.as_str()?;
    let text = |key: &str| text_of(node, key);
    let action_button = |label: String, action: &Value, actions: &mut Vec<Value>, submit: bool| {
        actions.push(action.clone());
        El::with_class("button", "widget-button").map(|b| {
            b.attr("type", if submit { "submit" } else { "button" })
                .attr("data-action", "widget")
                .attr("data-index", &(actions.len() - 1).to_string())
                .text(&label)
        })
    };
    let element = match kind {
        "Card" | "ListView" | "Box" | "Row" | "Col" | "Form" | "ListViewItem" | "Transition" => {
            let form = kind == "Form" || node.get("asForm").and_then(Value::as_bool).unwrap_or(false);
            let class = match kind {
                "Card" => "w-card",
                "ListView" => "w-list",
                "Row" => "w-row",
                _ => "w-col",
            };
            let mut container = El::with_class(if form { "form" } else { "div" }, class)?;
            widget_children(&container.0, node, actions, locale);
            if let Some(confirm) = node.get("confirm") {
                let label = Some(text_of(confirm, "label"))
                    .filter(|l| !l.is_empty())
                    .unwrap_or_else(|| locale.get(Text::Submit).to_owned());
                if let Some(action) = confirm.get("action") {
                    container = container.child(action_button(label, action, actions, form));
                }
            }
            if form {
                container = container.attr("data-widget-form", "");
            }
            container
        }
        "Title" => El::with_class("p", "w-title")?.text(&text("value")),
        "Text" | "Caption" | "Label" => {
            El::with_class("p", if kind == "Caption" { "w-caption" } else { "w-text" })?.text(&{
                let value = text("value");
                if value.is_empty() {
                    text("label")
                } else {
                    value
                }
            })
        }
        "Markdown" => {
            let wrap = El::with_class("div", "w-markdown")?;
            blocks_into(&wrap.0, &markdown::parse(&text("value"), false), locale.get(Text::CopyCode));
            wrap
        }
        "Badge" => El::with_class("span", "w-badge")?.text(&text("label")),
        "Divider" => El::new("hr")?,
        "Spacer" => El::with_class("div", "w-spacer")?,
        "Image" => El::with_class("p", "w-caption")?.text(&text("alt")),
        "Button" => {
            let label = text("label");
            match node.get("onClickAction").or_else(|| node.get("action")) {
                Some(action) => action_button(
                    label,
                    action,
                    actions,
                    node.get("submit").and_then(Value::as_bool).unwrap_or(false),
                )?,
                None => El::with_class("span", "w-badge")?.text(&label),
            }
        }
        "Input" | "Textarea" | "DatePicker" => {
            let field = El::new(if kind == "Textarea" { "textarea" } else { "input" })?
                .attr("name", &text("name"))
                .attr("placeholder", &text("placeholder"))
                .attr(
                    "aria-label",
                    &Some(text("label")).filter(|l| !l.is_empty()).unwrap_or_else(|| text("name")),
                );
            let field = if kind == "DatePicker" { field.attr("type", "date") } else { field };
            let default = text("defaultValue");
            if !default.is_empty() {
                if let Some(input) = field.0.dyn_ref::<web_sys::HtmlInputElement>() {
                    input.set_value(&default);
                }
            }
            El::with_class("label", "w-field")?.child(Some(field))
        }
        "Select" | "RadioGroup" => {
            let name = text("name");
            let default = text("defaultValue");
            let options =
                node.get("options").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            if kind == "Select" {
                let mut select = El::new("select")?.attr("name", &name).attr(
                    "aria-label",
                    &Some(text("placeholder")).filter(|p| !p.is_empty()).unwrap_or_else(|| name.clone()),
                );
                for option in options {
                    let value = text_of(option, "value");
                    let mut choice = El::new("option")?.attr("value", &value).text(&text_of(option, "label"));
                    if value == default {
                        choice = choice.attr("selected", "");
                    }
                    select = select.child(Some(choice));
                }
                select
            } else {
                let mut group = El::with_class("fieldset", "w-radios")?;
                for option in options {
                    let value = text_of(option, "value");
                    let mut radio =
                        El::new("input")?.attr("type", "radio").attr("name", &name).attr("value", &value);
                    if value == default {
                        radio = radio.attr("checked", "");
                    }
                    group = group.child(
                        El::with_class("label", "w-choice")
                            .map(|l| l.child(Some(radio)).text(&text_of(option, "label"))),
                    );
                }
                group
            }
        }
        "Checkbox" => {
            let mut checkbox = El::new("input")?.attr("type", "checkbox").attr("name", &text("name"));
            if node.get("defaultChecked").and_then(Value::as_bool).unwrap_or(false) {
                checkbox = checkbox.attr("checked", "");
            }
            El::with_class("label", "w-choice")?.child(Some(checkbox)).text(&text("label"))
        }
        // Unknown components still show their children.
        _ => {
            let wrap = El::with_class("div", "w-col")?;
            widget_children(&wrap.0, node, actions, locale);
            wrap
        }
    };
    Some(element.0)
}

/// Draws the `children` of a widget component into `parent`.
fn widget_children(parent: &Element, node: &Value, actions: &mut Vec<Value>, locale: &Locale) {
    for child in node.get("children").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
        if let Some(child) = widget_node(child, actions, locale) {
            let _ = parent.append_child(&child);
        }
    }
}

/// Reads a widget form's fields into `payload` (checkboxes as booleans).
fn form_values(form: &Element, payload: &mut Map<String, Value>) {
    let Ok(fields) = form.query_selector_all("input[name],select[name],textarea[name]") else { return };
    for index in 0..fields.length() {
        let Some(node) = fields.item(index) else { continue };
        if let Some(input) = node.dyn_ref::<web_sys::HtmlInputElement>() {
            match input.type_().as_str() {
                "checkbox" => {
                    payload.insert(input.name(), Value::Bool(input.checked()));
                }
                "radio" if !input.checked() => {}
                _ => {
                    payload.insert(input.name(), Value::String(input.value()));
                }
            }
        } else if let Some(select) = node.dyn_ref::<web_sys::HtmlSelectElement>() {
            payload.insert(select.name(), Value::String(select.value()));
        } else if let Some(area) = node.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            payload.insert(area.name(), Value::String(area.value()));
        }
    }
}
