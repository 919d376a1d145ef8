//! Markdown blocks ([`crate::markdown`]) as Leptos views: text is always text, never HTML; a
//! link keeps its target only if the parser found it safe (http, https, mailto) and opens in a
//! new tab without an opener. Headings start at `<h3>`: the panel title is the `<h2>`.
//!
//! Nesting deeper than [`MAX_DEPTH`] (a quote in a list in a quote…) is shown as its plain text:
//! a reply is written by a model the embedder does not control, and the renderer must not
//! recurse without bound.

use leptos::prelude::*;

use crate::i18n::Text;
use crate::markdown::{self, Align, Block, Inline};
use crate::web::panel::log::CopyButton;
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
        return view! { <p>{block_text(&block)}</p> }.into_any();
    }
    let deeper = depth + 1;
    match block {
        Block::Heading(level, content) => {
            let content = inlines(content, deeper);
            match level {
                1 => view! { <h3>{content}</h3> }.into_any(),
                2 => view! { <h4>{content}</h4> }.into_any(),
                3 => view! { <h5>{content}</h5> }.into_any(),
                _ => view! { <h6>{content}</h6> }.into_any(),
            }
        }
        Block::Paragraph(content) => view! { <p>{inlines(content, deeper)}</p> }.into_any(),
        Block::Code { lang, text } => {
            let lang = (!lang.is_empty()).then_some(lang);
            let copied = text.clone();
            view! {
                <div class="code">
                    <CopyButton chat=chat class="copy-code" label=Text::CopyCode text=move || copied.clone()/>
                    <pre>
                        <code data-lang=lang>{text}</code>
                    </pre>
                </div>
            }
            .into_any()
        }
        Block::List { ordered, start, items } => {
            let items = items
                .into_iter()
                .map(|item| view! { <li>{blocks(chat, item, deeper)}</li> })
                .collect::<Vec<_>>();
            if ordered {
                let start = (start != 1).then(|| start.to_string());
                view! { <ol start=start>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }
        }
        Block::Quote(inner) => view! { <blockquote>{blocks(chat, inner, deeper)}</blockquote> }.into_any(),
        Block::Table { align, head, rows } => {
            let class = |alignment: &Align| match alignment {
                Align::Center => "center",
                Align::Right => "end",
                Align::Left | Align::None => "",
            };
            let head = head
                .into_iter()
                .zip(&align)
                .map(|(cell, alignment)| view! { <th class=class(alignment)>{inlines(cell, deeper)}</th> })
                .collect::<Vec<_>>();
            let rows = rows
                .into_iter()
                .map(|row| {
                    let cells = row
                        .into_iter()
                        .zip(&align)
                        .map(|(cell, alignment)| view! { <td class=class(alignment)>{inlines(cell, deeper)}</td> })
                        .collect::<Vec<_>>();
                    view! { <tr>{cells}</tr> }
                })
                .collect::<Vec<_>>();
            view! {
                <div class="table">
                    <table>
                        <thead>
                            <tr>{head}</tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }
        Block::Rule => view! { <hr/> }.into_any(),
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
        Inline::Break => view! { <br/> }.into_any(),
        Inline::Code(code) => view! { <code>{code}</code> }.into_any(),
        Inline::Strong(children) => view! { <strong>{inlines(children, deeper)}</strong> }.into_any(),
        Inline::Em(children) => view! { <em>{inlines(children, deeper)}</em> }.into_any(),
        Inline::Link { href: Some(href), children } => view! {
            <a href=href target="_blank" rel="noopener noreferrer">{inlines(children, deeper)}</a>
        }
        .into_any(),
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
