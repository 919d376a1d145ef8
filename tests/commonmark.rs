//! The CommonMark spec examples (npm `commonmark-spec` 0.31.2) and GFM's extension examples
//! (github/cmark-gfm), in `tests/fixtures/commonmark/`, run through the widget's markdown tree
//! and this file's tree-to-HTML renderer, which writes what the view builds as the spec writes
//! HTML. Where the widget differs on purpose the example is listed in [`DEVIATIONS`] with the
//! reason; every other example must match, and each listed one must still differ (so the list
//! stays true).
//!
//! Raw HTML: a reply's HTML is shown as text, so the examples that contain it are checked for
//! exactly that instead: every piece of HTML the parser found is in the tree as text, and the
//! tree holds no element that came from HTML.

#![cfg(not(target_arch = "wasm32"))]

use orcheo_chat::markdown::{parse, Align, Element, Kind, Node};

/// One spec example.
struct Example {
    number: usize,
    section: String,
    extension: Option<String>,
    markdown: String,
    html: String,
}

/// Reads examples in the spec's format (a 32-backtick fence with `example`, the markdown, a
/// `.` line, the HTML; `→` stands for a tab).
fn examples(spec: &str) -> Vec<Example> {
    let fence = "`".repeat(32);
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if let Some(heading) = line.strip_prefix('#') {
            section = heading.trim_start_matches('#').trim().to_owned();
            continue;
        }
        let Some(kind) = line.strip_prefix(&format!("{fence} example")) else { continue };
        let extension = Some(kind.trim().to_owned()).filter(|kind| !kind.is_empty());
        let (mut markdown, mut html, mut in_html) = (String::new(), String::new(), false);
        for line in lines.by_ref() {
            if line == fence {
                break;
            }
            if line == "." && !in_html {
                in_html = true;
                continue;
            }
            let target = if in_html { &mut html } else { &mut markdown };
            target.push_str(&line.replace('→', "\t"));
            target.push('\n');
        }
        out.push(Example { number: out.len() + 1, section: section.clone(), extension, markdown, html });
    }
    out
}

/// CommonMark examples where the widget differs on purpose, with why.
const DEVIATIONS: &[(usize, &str)] = &[
    (596, SCHEME),
    (598, SCHEME),
    (599, SCHEME),
    (601, SCHEME),
    (606, GFM_AUTOLINK),
    (608, GFM_AUTOLINK),
    (611, GFM_AUTOLINK),
    (612, GFM_AUTOLINK),
];

/// Why a link to another scheme is shown as its text.
const SCHEME: &str = "links keep their target only for http, https, mailto and relative addresses (irc:, \
    made-up schemes and `localhost:` are schemes too): a reply is written by a model the embedder does not control";

/// Why bare addresses are links.
const GFM_AUTOLINK: &str = "replies follow GFM, whose extended autolinks make bare `https://…`, `www.…` and \
    e-mail addresses links where plain CommonMark keeps them text";

/// GFM extension examples (numbered in `gfm-extensions.txt`) where the widget differs on
/// purpose, with why.
const GFM_DEVIATIONS: &[(usize, &str)] = &[(
    20,
    "`ftp://` is not autolinked: links keep their target only for http, https, mailto and relative addresses",
)];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Percent-encodes a link target as the spec's reference renderer does (keeping `%XX` and the
/// characters a URL may hold), then escapes it for an attribute.
fn escape_href(href: &str) -> String {
    let mut out = String::new();
    let bytes = href.as_bytes();
    for (index, &byte) in bytes.iter().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || b";/?:@&=+$,-_.!~*'()#".contains(&byte)
            || (byte == b'%'
                && bytes.get(index + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(index + 2).is_some_and(u8::is_ascii_hexdigit));
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    escape(&out)
}

/// The tree as the spec writes HTML (the test renderer; the widget builds DOM nodes instead).
fn to_html(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        write_node(node, &mut out, false);
    }
    out
}

fn text_of(nodes: &[Node]) -> String {
    nodes.iter().map(orcheo_chat::markdown::plain_text).collect()
}

fn cr(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn write_children(element: &Element, out: &mut String, in_table_head: bool) {
    for child in &element.children {
        write_node(child, out, in_table_head);
    }
}

fn write_node(node: &Node, out: &mut String, in_head: bool) {
    let element = match node {
        Node::Text(text) | Node::Html(text) => {
            out.push_str(&escape(text));
            return;
        }
        Node::Element(element) => element,
    };
    let block = |out: &mut String, tag: &str, element: &Element, inner_cr: bool| {
        cr(out);
        out.push_str(&format!("<{tag}>"));
        if inner_cr {
            out.push('\n');
        }
        write_children(element, out, false);
        if inner_cr {
            cr(out);
        }
        out.push_str(&format!("</{tag}>"));
        out.push('\n');
    };
    match &element.kind {
        Kind::Paragraph | Kind::HtmlBlock => block(out, "p", element, false),
        Kind::Heading(level) => block(out, &format!("h{level}"), element, false),
        Kind::Quote => block(out, "blockquote", element, true),
        Kind::CodeBlock(lang) => {
            cr(out);
            let class =
                if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape(lang)) };
            out.push_str(&format!(
                "<pre><code{class}>{}</code></pre>\n",
                escape(&text_of(&element.children))
            ));
        }
        Kind::List(start) => {
            let tag = match start {
                Some(1) => "<ol>".to_owned(),
                Some(start) => format!("<ol start=\"{start}\">"),
                None => "<ul>".to_owned(),
            };
            cr(out);
            out.push_str(&tag);
            out.push('\n');
            write_children(element, out, false);
            cr(out);
            out.push_str(if start.is_some() { "</ol>\n" } else { "</ul>\n" });
        }
        Kind::Item => {
            cr(out);
            out.push_str("<li>");
            write_children(element, out, false);
            out.push_str("</li>\n");
        }
        Kind::Task(checked) => {
            out.push_str(if *checked {
                "<input checked=\"\" disabled=\"\" type=\"checkbox\"> "
            } else {
                "<input disabled=\"\" type=\"checkbox\"> "
            });
        }
        Kind::Table => {
            cr(out);
            out.push_str("<table>\n");
            let mut body_open = false;
            for child in &element.children {
                if let Node::Element(Element { kind: Kind::TableRow, .. }) = child {
                    if !body_open {
                        out.push_str("<tbody>\n");
                        body_open = true;
                    }
                }
                write_node(child, out, false);
            }
            if body_open {
                out.push_str("</tbody>\n");
            }
            out.push_str("</table>\n");
        }
        Kind::TableHead => {
            out.push_str("<thead>\n<tr>\n");
            write_children(element, out, true);
            out.push_str("</tr>\n</thead>\n");
        }
        Kind::TableRow => {
            out.push_str("<tr>\n");
            write_children(element, out, false);
            out.push_str("</tr>\n");
        }
        Kind::TableCell(align) => {
            let tag = if in_head { "th" } else { "td" };
            let align = match align {
                Align::None => "",
                Align::Left => " align=\"left\"",
                Align::Center => " align=\"center\"",
                Align::Right => " align=\"right\"",
            };
            out.push_str(&format!("<{tag}{align}>"));
            write_children(element, out, false);
            out.push_str(&format!("</{tag}>\n"));
        }
        Kind::Rule => {
            cr(out);
            out.push_str("<hr />\n");
        }
        Kind::Emphasis | Kind::Strong | Kind::Strikethrough | Kind::Code => {
            let tag = match element.kind {
                Kind::Emphasis => "em",
                Kind::Strong => "strong",
                Kind::Strikethrough => "del",
                _ => "code",
            };
            out.push_str(&format!("<{tag}>"));
            write_children(element, out, false);
            out.push_str(&format!("</{tag}>"));
        }
        Kind::Break => out.push_str("<br />\n"),
        Kind::Link { href, title } => match href {
            Some(href) => {
                let title =
                    if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escape(title)) };
                out.push_str(&format!("<a href=\"{}\"{title}>", escape_href(href)));
                write_children(element, out, false);
                out.push_str("</a>");
            }
            // A link to a scheme the widget refuses is shown as its text.
            None => write_children(element, out, false),
        },
        Kind::Image { src, title } => {
            let title =
                if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escape(title)) };
            let src = src.as_deref().map(escape_href).unwrap_or_default();
            out.push_str(&format!(
                "<img src=\"{src}\" alt=\"{}\"{title} />",
                escape(&text_of(&element.children))
            ));
        }
        Kind::Plain | Kind::TruncatedNote => block(out, "p", element, false),
    }
}

/// As pulldown-cmark's and cmark's suites compare: line breaks between tags do not count, and
/// void elements are written one way.
fn standardise(html: &str) -> String {
    html.replace("<br>", "<br />").replace("<hr>", "<hr />").replace(">\n<", "><").trim_end().to_owned()
}

/// Whether the parser found raw HTML in the example (shown as text by the widget).
fn holds_html(nodes: &[Node]) -> bool {
    let mut stack: Vec<&Node> = nodes.iter().collect();
    while let Some(node) = stack.pop() {
        match node {
            Node::Html(_) => return true,
            Node::Element(Element { kind: Kind::HtmlBlock, .. }) => return true,
            Node::Element(element) => stack.extend(&element.children),
            Node::Text(_) => {}
        }
    }
    false
}

/// Every piece of raw HTML is in the tree as text, in order, exactly as written.
fn html_shown_as_text(markdown: &str, nodes: &[Node]) -> bool {
    let mut pieces = Vec::new();
    let mut stack: Vec<&Node> = nodes.iter().rev().collect();
    while let Some(node) = stack.pop() {
        match node {
            Node::Html(html) => pieces.push(html.as_str()),
            Node::Element(element) => stack.extend(element.children.iter().rev()),
            Node::Text(_) => {}
        }
    }
    let mut rest = markdown;
    pieces.iter().all(|piece| {
        // The parser strips a block's indentation and quote markers line by line; match line
        // by line too.
        piece.lines().all(|line| match rest.find(line.trim()) {
            Some(at) => {
                rest = &rest[at + line.trim().len()..];
                true
            }
            None => false,
        })
    })
}

struct Score {
    passed: usize,
    failures: Vec<String>,
    html_examples: usize,
}

fn run(examples: &[Example], deviations: &[(usize, &str)]) -> Score {
    let mut score = Score { passed: 0, failures: Vec::new(), html_examples: 0 };
    for example in examples {
        let nodes = parse(&example.markdown);
        if holds_html(&nodes) || example.section.contains("HTML") {
            score.html_examples += 1;
            if !html_shown_as_text(&example.markdown, &nodes) {
                score
                    .failures
                    .push(format!("#{} ({}): raw HTML not kept as text", example.number, example.section));
            }
            continue;
        }
        let matches = standardise(&to_html(&nodes)) == standardise(&example.html);
        let deviation = deviations.iter().any(|(number, _)| *number == example.number);
        match (matches, deviation) {
            (true, false) => score.passed += 1,
            (false, true) => {}
            (true, true) => {
                score.failures.push(format!("#{} is listed as a deviation but matches", example.number))
            }
            (false, false) => score.failures.push(format!(
                "#{} ({}):\n{}\nexpected:\n{}\ngot:\n{}",
                example.number,
                example.section,
                example.markdown,
                example.html,
                to_html(&nodes)
            )),
        }
    }
    score
}

#[test]
fn commonmark_spec_examples() {
    let examples = examples(include_str!("fixtures/commonmark/commonmark-0.31.2-spec.txt"));
    assert_eq!(examples.len(), 652);
    let score = run(&examples, DEVIATIONS);
    let markdown_examples = examples.len() - score.html_examples;
    println!(
        "CommonMark 0.31.2: {} of {} examples without raw HTML match ({:.1} %), {} listed deviations; {} raw-HTML examples",
        score.passed,
        markdown_examples,
        100.0 * score.passed as f64 / markdown_examples as f64,
        DEVIATIONS.len(),
        score.html_examples
    );
    assert!(
        score.failures.is_empty(),
        "{} failures:\n\n{}",
        score.failures.len(),
        score.failures.join("\n\n")
    );
    assert!(score.passed * 100 >= markdown_examples * 95);
}

#[test]
fn gfm_extension_examples() {
    let examples = examples(include_str!("fixtures/commonmark/gfm-extensions.txt"));
    assert_eq!(examples.len(), 24);
    assert!(examples.iter().all(|example| example.extension.is_some()));
    let score = run(&examples, GFM_DEVIATIONS);
    println!(
        "GFM extensions: {} of {} match, {} listed deviations",
        score.passed,
        examples.len() - score.html_examples,
        GFM_DEVIATIONS.len()
    );
    assert!(
        score.failures.is_empty(),
        "{} failures:\n\n{}",
        score.failures.len(),
        score.failures.join("\n\n")
    );
}

/// Streamed a character at a time, every spec example (closed by a blank line, so nothing is
/// left half-written) shows exactly what it shows sent whole: the blocks the streaming renderer
/// finished early were really finished. Examples with reference definitions are left out: a
/// definition may come after its use, and only the final whole parse can know that.
#[test]
fn spec_examples_streamed_show_what_they_show_whole() {
    use orcheo_chat::markdown::Reply;
    let mut failures = Vec::new();
    let spec = examples(include_str!("fixtures/commonmark/commonmark-0.31.2-spec.txt"));
    let gfm = examples(include_str!("fixtures/commonmark/gfm-extensions.txt"));
    for example in spec.iter().chain(&gfm) {
        if example.markdown.contains("]:") {
            continue;
        }
        let text = format!("{}\n\n", example.markdown);
        let mut reply = Reply::default();
        for end in (1..text.len()).filter(|&end| text.is_char_boundary(end)) {
            reply.render(&text[..end], true);
        }
        let keys = |chunks: Vec<orcheo_chat::markdown::Chunk>| {
            chunks.into_iter().map(|chunk| chunk.key).collect::<Vec<_>>()
        };
        let streamed = keys(reply.render(&text, true));
        let whole = keys(Reply::default().render(&text, false));
        if streamed != whole {
            let mut html = String::new();
            for chunk in reply.render(&text, true) {
                html.push_str(&to_html(std::slice::from_ref(&chunk.node)));
            }
            failures.push(format!(
                "#{} ({}):\n{}\nstreamed:\n{}\nwhole:\n{}",
                example.number,
                example.section,
                example.markdown,
                html,
                to_html(&parse(&text))
            ));
        }
    }
    assert!(failures.is_empty(), "{} examples differ:\n\n{}", failures.len(), failures.join("\n\n"));
}
