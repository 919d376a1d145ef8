//! The message list, drawn imperatively: one `<article>` per entry, kept in step with the
//! conversation by id and revision. An entry whose revision did not move is not touched, so a
//! streaming reply re-renders only itself. Buttons inside messages carry `data-action` and are
//! handled by one delegated listener on the log, so no per-message closures exist.

use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::error::ErrorKind;
use crate::i18n::{fill, Strings};
use crate::protocol::ItemBody;
use crate::thread::{Entry, EntryKind};
use crate::web::el::{self, El};

struct Rendered {
    id: String,
    rev: u64,
    article: Element,
}

/// The articles on screen.
pub struct MessageList {
    log: Element,
    rendered: Vec<Rendered>,
}

/// What rendering needs besides the entry.
pub struct RenderContext<'a> {
    /// The locale's strings.
    pub strings: &'static Strings,
    /// The assistant's name, for accessible labels.
    pub title: &'a str,
}

impl MessageList {
    /// A list drawing into `log` (the `role="log"` element).
    pub fn new(log: Element) -> Self {
        Self { log, rendered: Vec::new() }
    }

    /// Brings the articles in line with `entries`: new ones are created, changed ones
    /// re-rendered, gone ones removed, and the order fixed.
    pub fn update(&mut self, entries: &[Entry], context: &RenderContext) {
        let mut next = Vec::with_capacity(entries.len());
        for entry in entries {
            let existing =
                self.rendered.iter().position(|r| r.id == entry.id).map(|i| self.rendered.swap_remove(i));
            let rendered = match existing {
                Some(rendered) if rendered.rev == entry.rev => rendered,
                Some(rendered) => {
                    draw(&rendered.article, entry, context);
                    Rendered { rev: entry.rev, ..rendered }
                }
                None => match El::with_class("article", "message") {
                    Some(article) => {
                        draw(&article.0, entry, context);
                        Rendered { id: entry.id.clone(), rev: entry.rev, article: article.0 }
                    }
                    None => continue,
                },
            };
            next.push(rendered);
        }
        for gone in self.rendered.drain(..) {
            gone.article.remove();
        }
        // Put each article in place; articles already in order are not moved (moving one
        // would restart its animations and lose selection).
        let mut cursor = self.log.first_element_child();
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
}

impl MessageList {
    /// Enables or disables the buttons that start a turn (Retry).
    pub fn set_actions_disabled(&self, disabled: bool) {
        let Ok(buttons) = self.log.query_selector_all("button[data-action=retry]") else { return };
        for index in 0..buttons.length() {
            if let Some(button) = buttons.item(index).and_then(|node| node.dyn_into::<Element>().ok()) {
                let _ = if disabled {
                    button.set_attribute("disabled", "")
                } else {
                    button.remove_attribute("disabled")
                };
            }
        }
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

/// Draws `entry` into `article`, replacing what was there.
fn draw(article: &Element, entry: &Entry, context: &RenderContext) {
    el::clear(article);
    let role = role_of(entry);
    let _ = article.set_attribute("data-role", role);
    let _ = article.set_attribute("data-item-id", &entry.id);
    let label = match role {
        "user" => context.strings.you_said.to_owned(),
        "assistant" => fill(context.strings.assistant_said, &[("title", context.title)]),
        _ => String::new(),
    };
    if label.is_empty() {
        let _ = article.remove_attribute("aria-label");
    } else {
        let _ = article.set_attribute("aria-label", &label);
    }
    if matches!(entry.kind, EntryKind::PendingUser(_)) {
        let _ = article.set_attribute("aria-busy", "true");
    } else {
        let _ = article.remove_attribute("aria-busy");
    }
    let Some(bubble) = El::with_class("div", "bubble") else { return };
    match &entry.kind {
        EntryKind::PendingUser(text) => el::append_text(&bubble.0, text),
        EntryKind::Item { body, .. } => match body {
            ItemBody::User(message) => el::append_text(&bubble.0, &message.text),
            ItemBody::Assistant(parts) => {
                for part in parts {
                    el::append_text(&bubble.0, &part.text);
                }
            }
            ItemBody::Widget { copy_text, .. } => {
                el::append_text(&bubble.0, copy_text.as_deref().unwrap_or_default())
            }
            ItemBody::Task(task) => el::append_text(&bubble.0, task.title.as_deref().unwrap_or_default()),
            ItemBody::Workflow(tasks) => {
                for task in tasks {
                    el::append_text(&bubble.0, task.title.as_deref().unwrap_or_default());
                }
            }
            _ => {}
        },
        EntryKind::Notice { title, message, .. } => {
            if let Some(strong) = title.as_deref().and_then(|title| El::new("strong").map(|s| s.text(title)))
            {
                let _ = bubble.0.append_child(&strong.0);
                el::append_text(&bubble.0, " ");
            }
            el::append_text(&bubble.0, message);
        }
        EntryKind::Failure { error, .. } => {
            let text =
                error.server_message.clone().unwrap_or_else(|| context.strings.error(error.kind).to_owned());
            el::append_text(&bubble.0, &text);
        }
    }
    let _ = article.append_child(&bubble.0);
    if let EntryKind::Failure { retry: Some(_), .. } = &entry.kind {
        let button = El::with_class("button", "retry").map(|b| {
            b.attr("type", "button")
                .attr("data-action", "retry")
                .attr("data-entry", &entry.id)
                .text(context.strings.retry)
        });
        if let Some(button) = button {
            let _ = article.append_child(&button.0);
        }
    }
}
