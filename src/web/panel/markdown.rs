//! Markdown blocks ([`crate::markdown`]) as Leptos elements (built with [`Node`], one element
//! type for every kind of block): text is always text, never HTML; a
//! link keeps its target only if the parser found it safe (http, https, mailto) and opens in a
//! new tab without an opener. Headings start at `<h3>`: the panel title is the `<h2>`.
//!
//! Nesting deeper than [`MAX_DEPTH`] (a quote in a list in a quote…) is shown as its plain text:
//! a reply is written by a model the embedder does not control, and the renderer must not
//! recurse without bound.

use std::sync::Arc;

use leptos::prelude::*;

use crate::i18n::Text;
use crate::markdown::{self, Align, Block, Inline};
use crate::web::panel::log::CopyButton;
use crate::web::panel::node::Node;
use crate::web::panel::view::Chat;

/// Deepest nesting of blocks and inlines drawn as elements.
pub const MAX_DEPTH: usize = 24;

/// A piece of markdown. `streaming` closes what a stream's tail left open, so half-written
/// syntax never flashes.
#[component]
pub fn Markdown(
    /// The panel stage's handle.
    chat: Chat,
    /// The markdown.
    source: String,
    /// It is the open tail of a streaming reply.
    streaming: bool,
) -> impl IntoView {
    blocks(chat, markdown::parse(&source, streaming), 0)
}

fn blocks(chat: Chat, blocks: Vec<Block>, depth: usize) -> Vec<AnyView> {
    blocks.into_iter().map(|block| block_view(chat, block, depth)).collect()
}

fn block_view(chat: Chat, block: Block, depth: usize) -> AnyView {
    if depth >= MAX_DEPTH {
        return Node::new("p").text(block_text(&block)).build();
    }
    let deeper = depth + 1;
    match block {
        Block::Heading(level, content) => {
            let tag = ["h3", "h4", "h5", "h6"][usize::from(level).clamp(1, 4) - 1];
            Node::new(tag).children(inlines(content, deeper)).build()
        }
        Block::Paragraph(content) => Node::new("p").children(inlines(content, deeper)).build(),
        Block::Code { lang, text } => {
            let copied = text.clone();
            let copy = view! { <CopyButton chat=chat class="copy-code" label=Text::CopyCode text=Arc::new(move || copied.clone())/> };
            let code = Node::new("code").attr_if("data-lang", (!lang.is_empty()).then_some(lang)).text(text);
            Node::with_class("div", "code")
                .child(copy.into_any())
                .child(Node::new("pre").child(code.build()).build())
                .build()
        }
        Block::List { ordered, start, items } => {
            let items = items
                .into_iter()
                .map(|item| Node::new("li").children(blocks(chat, item, deeper)).build())
                .collect();
            if ordered {
                Node::new("ol")
                    .attr_if("start", (start != 1).then(|| start.to_string()))
                    .children(items)
                    .build()
            } else {
                Node::new("ul").children(items).build()
            }
        }
        Block::Quote(inner) => Node::new("blockquote").children(blocks(chat, inner, deeper)).build(),
        Block::Table { align, head, rows } => {
            let class = |alignment: &Align| match alignment {
                Align::Center => "center",
                Align::Right => "end",
                Align::Left | Align::None => "",
            };
            let row = |tag: &'static str, cells: Vec<Vec<Inline>>| {
                let cells = cells
                    .into_iter()
                    .zip(&align)
                    .map(|(cell, alignment)| {
                        Node::with_class(tag, class(alignment)).children(inlines(cell, deeper)).build()
                    })
                    .collect();
                Node::new("tr").children(cells).build()
            };
            let head = Node::new("thead").child(row("th", head)).build();
            let body =
                Node::new("tbody").children(rows.into_iter().map(|cells| row("td", cells)).collect()).build();
            Node::with_class("div", "table").child(Node::new("table").child(head).child(body).build()).build()
        }
        Block::Rule => Node::new("hr").build(),
    }
}

fn inlines(content: Vec<Inline>, depth: usize) -> Vec<AnyView> {
    content.into_iter().map(|inline| inline_view(inline, depth)).collect()
}

fn inline_view(inline: Inline, depth: usize) -> AnyView {
    if depth >= MAX_DEPTH {
        let mut text = String::new();
        inline_text(&inline, &mut text);
        return text.into_any();
    }
    let deeper = depth + 1;
    match inline {
        Inline::Text(text) => text.into_any(),
        Inline::Break => Node::new("br").build(),
        Inline::Code(code) => Node::new("code").text(code).build(),
        Inline::Strong(children) => Node::new("strong").children(inlines(children, deeper)).build(),
        Inline::Em(children) => Node::new("em").children(inlines(children, deeper)).build(),
        Inline::Link { href: Some(href), children } => Node::new("a")
            .attr("href", href)
            .attr("target", "_blank")
            .attr("rel", "noopener noreferrer")
            .children(inlines(children, deeper))
            .build(),
        // A link whose target is not http(s)/mailto is shown as its text only.
        Inline::Link { href: None, children } => inlines(children, deeper).into_any(),
    }
}

/// The text of a block and everything in it, gathered without recursion.
fn block_text(block: &Block) -> String {
    let mut out = String::new();
    let mut stack = vec![block];
    while let Some(block) = stack.pop() {
        match block {
            Block::Heading(_, content) | Block::Paragraph(content) => {
                content.iter().for_each(|inline| inline_text(inline, &mut out));
                out.push(' ');
            }
            Block::Code { text, .. } => {
                out.push_str(text);
                out.push(' ');
            }
            Block::List { items, .. } => stack.extend(items.iter().rev().flat_map(|item| item.iter().rev())),
            Block::Quote(inner) => stack.extend(inner.iter().rev()),
            Block::Table { head, rows, .. } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    cell.iter().for_each(|inline| inline_text(inline, &mut out));
                    out.push(' ');
                }
            }
            Block::Rule => {}
        }
    }
    out.trim_end().to_owned()
}

/// Appends the text of an inline and everything in it, without recursion.
fn inline_text(inline: &Inline, out: &mut String) {
    let mut stack = vec![inline];
    while let Some(inline) = stack.pop() {
        match inline {
            Inline::Text(text) | Inline::Code(text) => out.push_str(text),
            Inline::Break => out.push(' '),
            Inline::Strong(children) | Inline::Em(children) | Inline::Link { children, .. } => {
                stack.extend(children.iter().rev());
            }
        }
    }
}
