//! A reply's markdown tree ([`crate::markdown`]) as Leptos elements, built with [`Node`] (one
//! element type for every kind of node): text is always text, never HTML, and raw HTML in a
//! reply shows as the text it is. A link keeps its target only if the tree kept it and, resolved
//! against the page, it is still `http:`, `https:` or `mailto:`; it opens in a new tab without
//! an opener. An image is never loaded (an image address in a model's reply can carry what the
//! conversation said to a third party): it shows as a link to the image, named by its
//! description. Headings start at `<h3>`: the panel title is the `<h2>`.
//!
//! The tree is at most [`crate::markdown::MAX_DEPTH`] deep, so drawing it recursively is bounded.
//!
//! All server markdown (replies, notices, widgets' `Markdown`) goes through [`chunk_rows`]: the
//! same size and cost bounds, drawn a slice per animation frame.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use leptos::prelude::*;

use crate::i18n::PanelText;
use crate::markdown::{self, Align, Element, Kind, Node as Markdown};
use crate::web::js::AnimationFrame;
use crate::web::panel::log::CopyButton;
use crate::web::panel::node::Node;
use crate::web::panel::view::{Chat, KeyedList, Row};

/// The chunks of a piece of markdown as keyed rows (see [`markdown::Reply`]): while it streams
/// only its open tail is parsed again, and a chunk is drawn again only when its content changes.
/// A long text appears a slice per animation frame ([`markdown::FIRST_SLICE_COST`], then
/// [`markdown::SLICE_COST`] more each frame),
/// and a chunk once drawn stays drawn. `source` gives the text and whether more may follow.
pub fn chunk_rows(chat: Chat, source: Arc<dyn Fn() -> (String, bool) + Send + Sync>) -> Signal<Vec<Row>> {
    let renderer = Mutex::new(markdown::Reply::default());
    // How many chunks are drawn (a plain counter: only the frame's flip is reactive), and the
    // frame that draws the next slice.
    let drawn = AtomicUsize::new(0);
    let next_slice_due = RwSignal::new(false);
    let next_slice = StoredValue::new_local(None::<AnimationFrame>);
    Signal::derive(move || {
        next_slice_due.track();
        let (text, streaming) = source();
        // The renderer answers a second ask for the same text (the next slice) from what it kept.
        let chunks = renderer.lock().unwrap_or_else(PoisonError::into_inner).render(&text, streaming);
        let already = drawn.load(Ordering::Relaxed);
        let budget = if already == 0 { markdown::FIRST_SLICE_COST } else { markdown::SLICE_COST };
        let count = markdown::reveal(&chunks, already, budget);
        drawn.store(count, Ordering::Relaxed);
        let due = move || next_slice_due.update(|flip| *flip = !*flip);
        next_slice.set_value((count < chunks.len()).then(|| AnimationFrame::new(due)));
        chunks[..count]
            .iter()
            .map(|chunk| {
                let node = chunk.node.clone();
                Row::new(chunk.key.clone(), move || {
                    view! { <div class="chunk">{node_view(chat, &node, false)}</div> }.into_any()
                })
            })
            .collect()
    })
}

/// A piece of markdown that does not stream (a notice, a widget's `Markdown`).
pub fn markdown_view(chat: Chat, source: &str) -> AnyView {
    let source = source.to_owned();
    let rows = chunk_rows(chat, Arc::new(move || (source.clone(), false)));
    view! { <KeyedList rows=rows/> }.into_any()
}

/// One node of a reply and everything in it. `in_head`: inside a table's header row.
pub fn node_view(chat: Chat, node: &Markdown, in_head: bool) -> AnyView {
    let element = match node {
        // A citation marker (see `markdown::with_citations`) is drawn as its number.
        Markdown::Text(text) if text.contains(markdown::CITE) => {
            let pieces = markdown::text_pieces(text)
                .into_iter()
                .map(|piece| match piece {
                    markdown::TextPiece::Text(text) => text.to_owned().into_any(),
                    markdown::TextPiece::Cite(number) => {
                        Node::with_class("sup", "cite").text(format!("[{number}]")).build()
                    }
                })
                .collect::<Vec<_>>();
            return pieces.into_any();
        }
        Markdown::Text(text) | Markdown::Html(text) => return text.clone().into_any(),
        Markdown::Element(element) => element,
    };
    let children = |element: &Element| -> Vec<AnyView> {
        element.children.iter().map(|child| node_view(chat, child, in_head)).collect()
    };
    let tag = match &element.kind {
        Kind::Paragraph => "p",
        Kind::Heading(level) => ["h3", "h4", "h5", "h6"][usize::from(*level).clamp(1, 4) - 1],
        Kind::Quote => "blockquote",
        Kind::Item => "li",
        Kind::TableRow => "tr",
        Kind::Rule => "hr",
        Kind::Emphasis => "em",
        Kind::Strong => "strong",
        Kind::Strikethrough => "del",
        Kind::Code => "code",
        Kind::Break => "br",
        Kind::CodeBlock(lang) => {
            let text = markdown::plain_text(node);
            let copied = text.clone();
            let copy = view! { <CopyButton chat=chat class="copy-code" label=PanelText::CopyCode text=Arc::new(move || copied.clone())/> };
            let code =
                Node::new("code").attr_if("data-lang", (!lang.is_empty()).then(|| lang.clone())).text(text);
            return Node::with_class("div", "code")
                .child(copy.into_any())
                .child(Node::new("pre").child(code.build()).build())
                .build();
        }
        Kind::HtmlBlock => return Node::with_class("p", "raw").text(markdown::plain_text(node)).build(),
        Kind::Plain => return Node::with_class("p", "plain").text(markdown::plain_text(node)).build(),
        Kind::TruncatedNote => {
            return Node::with_class("p", "note").text(chat.text(PanelText::ReplyTruncated)).build()
        }
        Kind::List(None) => "ul",
        Kind::List(Some(start)) => {
            return Node::new("ol")
                .attr_if("start", (*start != 1).then(|| start.to_string()))
                .children(children(element))
                .build()
        }
        Kind::Task(checked) => {
            let checkbox = Node::new("input").attr("type", "checkbox").attr("disabled", "");
            return if *checked { checkbox.attr("checked", "") } else { checkbox }.build();
        }
        Kind::Table => {
            // The header row, then the body rows in a `<tbody>`.
            let (head, rows): (Vec<_>, Vec<_>) = element
                .children
                .iter()
                .partition(|child| matches!(child, Markdown::Element(Element { kind: Kind::TableHead, .. })));
            let head = head.into_iter().map(|head| node_view(chat, head, true)).collect();
            let body = Node::new("tbody")
                .children(rows.into_iter().map(|row| node_view(chat, row, false)).collect());
            let table = Node::new("table").children(head).child(body.build());
            return Node::with_class("div", "table").child(table.build()).build();
        }
        Kind::TableHead => {
            let row = Node::new("tr").children(children(element)).build();
            return Node::new("thead").child(row).build();
        }
        Kind::TableCell(align) => {
            let class = match align {
                Align::Center => "center",
                Align::Right => "end",
                Align::Left | Align::None => "",
            };
            return Node::with_class(if in_head { "th" } else { "td" }, class)
                .children(children(element))
                .build();
        }
        Kind::Link { href, title } => {
            return match href.as_deref().and_then(resolve) {
                Some(href) => link(href, title).children(children(element)).build(),
                // A link whose target is not allowed is shown as its text only.
                None => children(element).into_any(),
            };
        }
        Kind::Image { src, title } => {
            // Named by its description, or by its address when it has none. Drawn only when the
            // embed lets replies' images load (by the widget stage, under the image policy).
            let description = markdown::plain_text(node);
            let drawn = chat.shell.config(crate::config::Config::markdown_images).unwrap_or(false);
            return match (src.as_deref().and_then(resolve), drawn.then(|| chat.widgets()).flatten()) {
                (Some(src), Some(stage)) => (stage.image)(&src, &description),
                (Some(src), None) => {
                    let name = if description.trim().is_empty() { src.clone() } else { description };
                    link(src, title).attr("class", "image").text(name).build()
                }
                (None, _) => description.into_any(),
            };
        }
    };
    Node::new(tag).children(children(element)).build()
}

/// One source of a reply (an annotation): a link in a new tab when its address is `http:` or
/// `https:` once resolved against the page, else its title only (file and entity sources, and
/// any other scheme).
pub fn source_view(title: &str, url: Option<&str>) -> AnyView {
    let href = url
        .and_then(markdown::link_target)
        .as_deref()
        .and_then(resolve)
        .filter(|href| href.starts_with("http:") || href.starts_with("https:"));
    match href {
        Some(href) => link(href, "").text(title.to_owned()).build(),
        None => title.to_owned().into_any(),
    }
}

/// `<a>` to `href` in a new tab without an opener.
fn link(href: String, title: &str) -> Node {
    Node::new("a")
        .attr("href", href)
        .attr("target", "_blank")
        .attr("rel", "noopener noreferrer")
        .attr_if("title", (!title.is_empty()).then(|| title.to_owned()))
}

/// A kept target resolved against the page, if it is still `http:`, `https:` or `mailto:`
/// there (a relative address on a `file:` page is a `file:` address).
fn resolve(href: &str) -> Option<String> {
    let base = web_sys::window()?.document()?.base_uri().ok()??;
    let url = web_sys::Url::new_with_base(href, &base).ok()?;
    matches!(url.protocol().as_str(), "http:" | "https:" | "mailto:").then(|| url.href())
}
