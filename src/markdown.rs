//! Markdown for assistant text: CommonMark with GitHub's tables, strikethrough, task lists and
//! autolinks, parsed by pulldown-cmark into a small tree ([`Node`]) that the view turns into DOM
//! nodes. Nothing here produces HTML: raw HTML in a reply is kept as text ([`Node::Html`],
//! [`Kind::HtmlBlock`]), a link keeps its target only when it is `http:`, `https:`, `mailto:` or
//! relative ([`link_target`]), and an image is kept as a description of one, never loaded.
//!
//! Written here, because pulldown-cmark does not do them:
//! - GFM's extended autolinks (`www.example.com`, `https://…` and `name@example.com` in plain
//!   text; [`autolinks`]), as GFM specifies them.
//! - Streaming ([`Reply`]): a reply is cut into top-level blocks. A block that another block
//!   follows after a blank line cannot change any more (its text can: a reference definition may
//!   come after its use), except that a bare number after a numbered list may still become its
//!   next item; so while a reply streams only the open tail, from the start of the last block's
//!   line, is parsed again, with the reference definitions found before it. The tail is first
//!   repaired ([`repair_tail`]): what a stream left half-written (a `**`, a backtick, a `[link`)
//!   is closed or hidden so it never flashes. Once the reply is complete it is parsed whole, so a
//!   streamed reply ends exactly as the same reply sent whole, definitions after their use
//!   included (`tests/commonmark.rs` streams every spec example a character at a time).
//! - Bounds: the tree is at most [`MAX_DEPTH`] elements deep (what lies deeper becomes text of
//!   the deepest element), a reply is markdown for its first [`MAX_MARKDOWN_BYTES`] and plain
//!   text after that (with a note), a block costlier to draw than [`MAX_CHUNK_COST`] shows as
//!   its text, tables hold at most [`MAX_TABLE_CELLS`] cells in all, and every step looks at each
//!   character a bounded number of times. The builder walks the parser's events with an explicit
//!   stack: no recursion on server input.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{
    Alignment, BrokenLink, BrokenLinkCallback, CowStr, Event, LinkType, Options, Parser, Tag,
};

/// Deepest nesting of elements in the tree (a quote in a list in a quote…); what lies deeper
/// is shown as the text of the deepest element.
pub const MAX_DEPTH: usize = 32;

/// How much of a reply is rendered as markdown; the rest is shown as plain text.
pub const MAX_MARKDOWN_BYTES: usize = 100_000;

/// The plain-text tail of a long reply is drawn in pieces of about this size, one slice at a
/// time, so no single step lays out a megabyte of text.
pub const PLAIN_PIECE_BYTES: usize = 8_192;

/// A node of a rendered reply.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// Text as written (a soft line break is a `\n`; the view shows it as a space).
    Text(String),
    /// Raw HTML from the reply, shown as the text it is.
    Html(String),
    /// An element.
    Element(Element),
}

/// An element and its children.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Element {
    /// What it is.
    pub kind: Kind,
    /// What it contains.
    pub children: Vec<Node>,
}

/// The kinds of element a reply can contain.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A paragraph.
    Paragraph,
    /// A heading, level 1 to 6.
    Heading(u8),
    /// A block quote.
    Quote,
    /// A code block and the first word of its info string (possibly empty).
    CodeBlock(String),
    /// A raw HTML block, shown as text.
    HtmlBlock,
    /// A list; numbered lists have their first number.
    List(Option<u64>),
    /// A list item.
    Item,
    /// A task item's checkbox (checked or not).
    Task(bool),
    /// A table.
    Table,
    /// The table's header row.
    TableHead,
    /// A body row.
    TableRow,
    /// A cell (a header cell when in the head) and its column's alignment.
    TableCell(Align),
    /// A thematic break.
    Rule,
    /// Emphasis.
    Emphasis,
    /// Strong emphasis.
    Strong,
    /// Strikethrough.
    Strikethrough,
    /// Inline code.
    Code,
    /// A hard line break.
    Break,
    /// A link; `href` is `None` when its target is not allowed (its text stays).
    Link {
        /// The target as written, when allowed.
        href: Option<String>,
        /// The title, possibly empty.
        title: String,
    },
    /// An image, never loaded: the view shows its description as a link to it.
    Image {
        /// The image's address as written, when allowed.
        src: Option<String>,
        /// The title, possibly empty.
        title: String,
    },
    /// The plain-text tail of a reply longer than [`MAX_MARKDOWN_BYTES`].
    Plain,
    /// The note before that tail.
    TruncatedNote,
}

/// Table column alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Align {
    /// Not given.
    None,
    /// `:---`.
    Left,
    /// `:---:`.
    Center,
    /// `---:`.
    Right,
}

/// The options replies are parsed with: CommonMark plus GFM's tables, strikethrough and task
/// lists (GFM autolinks are added by [`autolinks`]).
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Whether a link or image target may be kept: `http:`, `https:` and `mailto:` addresses, and
/// relative ones (the view resolves those against the page and checks the result again). The
/// scheme is read as a URL parser reads it: tabs and newlines anywhere, and controls and spaces
/// at the ends, do not count.
pub fn link_target(href: &str) -> Option<String> {
    let cleaned: String =
        href.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    let allowed = match scheme_end {
        Some(end) if cleaned[end..].starts_with(':') => {
            let scheme = cleaned[..end].to_ascii_lowercase();
            // Not a scheme at all (`1:2`, a colon after a path segment) when it does not start
            // with a letter or holds other characters: then the target is relative.
            let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            !is_scheme || matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    };
    allowed.then(|| href.to_owned())
}

/// A reference definition found earlier in a streaming reply: label, target, title.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Definition {
    label: String,
    dest: String,
    title: String,
}

/// A reference label as CommonMark matches labels: Unicode case-folded (with the case folding
/// pulldown-cmark already carries), runs of whitespace as one.
fn label_key(label: &str) -> unicase::UniCase<String> {
    unicase::UniCase::new(label.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The reference definitions found before a reply's open tail, by label; the first definition
/// of a label wins, as in CommonMark.
type Definitions = HashMap<unicase::UniCase<String>, (String, String)>;

/// Resolves `[text][label]` in a reply's open tail with the definitions found before it (one
/// lookup per broken link, however many definitions there are).
struct EarlierDefinitions<'a>(&'a Definitions);

impl<'input> BrokenLinkCallback<'input> for EarlierDefinitions<'_> {
    fn handle_broken_link(&mut self, link: BrokenLink<'input>) -> Option<(CowStr<'input>, CowStr<'input>)> {
        if self.0.is_empty() {
            return None;
        }
        self.0
            .get(&label_key(&link.reference))
            .map(|(dest, title)| (dest.clone().into(), title.clone().into()))
    }
}

/// A top-level block of a reply and where it starts in the text parsed.
struct TopBlock {
    node: Node,
    /// Where the parser says it starts (an indented code block: after its indentation).
    start: usize,
}

/// Parses `text` into its top-level blocks; `earlier` resolves references to definitions that
/// precede `text` in the reply. Returns the blocks and the definitions `text` itself holds
/// (with where they end).
fn parse_blocks(text: &str, earlier: &Definitions) -> (Vec<TopBlock>, Vec<(Definition, usize)>) {
    let text = defuse_large_tables(text);
    let mut events =
        Parser::new_with_broken_link_callback(&text, options(), Some(EarlierDefinitions(earlier)))
            .into_offset_iter();
    let mut builder = Builder::default();
    for (event, range) in events.by_ref() {
        builder.event(event, range);
    }
    let definitions = events
        .reference_definitions()
        .iter()
        .map(|(label, definition)| {
            let found = Definition {
                label: label.to_owned(),
                dest: definition.dest.to_string(),
                title: definition.title.as_deref().unwrap_or_default().to_owned(),
            };
            (found, definition.span.end)
        })
        .collect();
    (builder.blocks, definitions)
}

/// How many table cells a reply may hold in all. GFM pads every short row to the header's width,
/// so a few kilobytes of `|` can ask for hundreds of thousands of cells; past this many, a
/// table is not made a table (its text stays).
pub const MAX_TABLE_CELLS: usize = 50_000;

/// Spoils the delimiter row (`|---|---|`) of every table that would take the reply past
/// [`MAX_TABLE_CELLS`], counting a table as its columns times its lines up to the next blank
/// line (at least what GFM will build). The row's first `-` becomes a `\\`, which keeps every
/// byte offset where it was. Linear: one pass over the lines.
fn defuse_large_tables(text: &str) -> std::borrow::Cow<'_, str> {
    let mut cells = 0_usize;
    let mut spoil = Vec::new();
    let mut lines = text.split_inclusive('\n').scan(0, |offset, line| {
        let at = *offset;
        *offset += line.len();
        Some((at, line))
    });
    while let Some((at, line)) = lines.next() {
        let trimmed = line.trim();
        let is_delimiter_row = trimmed.contains('-')
            && trimmed.contains('|')
            && trimmed.bytes().all(|byte| matches!(byte, b'|' | b'-' | b':' | b' ' | b'\t'));
        if !is_delimiter_row {
            continue;
        }
        let columns = trimmed.split('|').filter(|cell| cell.contains('-')).count();
        // The header row, then the rows up to the next blank line.
        let mut rows = 1;
        for (_, next) in lines.by_ref() {
            if next.trim().is_empty() {
                break;
            }
            rows += 1;
        }
        cells = cells.saturating_add(columns.saturating_mul(rows));
        if cells > MAX_TABLE_CELLS {
            spoil.push(at + line.find('-').unwrap_or(0));
        }
    }
    if spoil.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for at in spoil {
        bytes[at] = b'\\';
    }
    // Only ASCII `-` became ASCII `\\`: still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned()))
}

/// Parses a whole piece of markdown (a widget's text, a test) into its top-level nodes.
pub fn parse(text: &str) -> Vec<Node> {
    parse_blocks(text, &Definitions::new()).0.into_iter().map(|block| block.node).collect()
}

/// Builds the tree from the parser's events with an explicit stack of open elements.
#[derive(Default)]
struct Builder {
    open: Vec<Element>,
    /// Where the open top-level block started.
    start: usize,
    /// Elements opened beyond [`MAX_DEPTH`], whose content goes to the deepest open element.
    ignored: usize,
    /// The alignments of the open tables' columns, and the next cell's column.
    tables: Vec<(Vec<Align>, usize)>,
    blocks: Vec<TopBlock>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range.start),
            Event::End(_) => self.end(),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.leaf(Kind::Code, Some(Node::Text(code.into_string()))),
            Event::Html(html) => self.text_node(Node::Html(html.into_string())),
            Event::InlineHtml(html) => self.text_node(Node::Html(html.into_string())),
            Event::SoftBreak => self.text("\n"),
            Event::HardBreak => self.leaf(Kind::Break, None),
            Event::Rule => {
                if self.open.is_empty() {
                    self.start = range.start;
                }
                self.leaf(Kind::Rule, None)
            }
            Event::TaskListMarker(checked) => self.leaf(Kind::Task(checked), None),
            // Not enabled; kept as the text they came from.
            Event::InlineMath(text) | Event::DisplayMath(text) | Event::FootnoteReference(text) => {
                self.text(&text)
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, at: usize) {
        if self.open.is_empty() {
            self.start = at;
        }
        if self.open.len() >= MAX_DEPTH {
            self.ignored += 1;
            return;
        }
        let kind = match tag {
            Tag::Paragraph => Kind::Paragraph,
            Tag::Heading { level, .. } => Kind::Heading(level as u8),
            Tag::BlockQuote(_) => Kind::Quote,
            Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info)) => {
                Kind::CodeBlock(info.split_whitespace().next().unwrap_or_default().to_owned())
            }
            Tag::CodeBlock(_) => Kind::CodeBlock(String::new()),
            Tag::HtmlBlock => Kind::HtmlBlock,
            Tag::List(start) => Kind::List(start),
            Tag::Item => Kind::Item,
            Tag::Table(alignments) => {
                let alignments = alignments
                    .into_iter()
                    .map(|alignment| match alignment {
                        Alignment::None => Align::None,
                        Alignment::Left => Align::Left,
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                    })
                    .collect();
                self.tables.push((alignments, 0));
                Kind::Table
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some((_, column)) = self.tables.last_mut() {
                    *column = 0;
                }
                if matches!(tag, Tag::TableHead) {
                    Kind::TableHead
                } else {
                    Kind::TableRow
                }
            }
            Tag::TableCell => {
                let align = self.tables.last_mut().map_or(Align::None, |(alignments, column)| {
                    *column += 1;
                    alignments.get(*column - 1).copied().unwrap_or(Align::None)
                });
                Kind::TableCell(align)
            }
            Tag::Emphasis => Kind::Emphasis,
            Tag::Strong => Kind::Strong,
            Tag::Strikethrough => Kind::Strikethrough,
            Tag::Link { link_type: LinkType::Email, dest_url, title, .. } => {
                Kind::Link { href: link_target(&format!("mailto:{dest_url}")), title: title.into_string() }
            }
            Tag::Link { dest_url, title, .. } => {
                Kind::Link { href: link_target(&dest_url), title: title.into_string() }
            }
            Tag::Image { dest_url, title, .. } => {
                Kind::Image { src: link_target(&dest_url), title: title.into_string() }
            }
            // Not enabled (footnotes, definition lists, metadata, super/subscript): their
            // content stays, in an element that shows nothing of its own.
            _ => Kind::Paragraph,
        };
        self.open.push(Element { kind, children: Vec::new() });
    }

    fn end(&mut self) {
        if self.ignored > 0 {
            self.ignored -= 1;
            // Keep the words of blocks that became text apart.
            self.text(" ");
            return;
        }
        let Some(mut element) = self.open.pop() else { return };
        if element.kind == Kind::Table {
            self.tables.pop();
        }
        let in_link =
            self.open.iter().any(|open| matches!(open.kind, Kind::Link { .. } | Kind::Image { .. }));
        if !in_link && links_plain_text(&element.kind) {
            element.children = autolinks(std::mem::take(&mut element.children));
        }
        self.push(Node::Element(element));
    }

    /// Appends a finished node to the open element, or as a top-level block.
    fn push(&mut self, node: Node) {
        match self.open.last_mut() {
            Some(parent) => parent.children.push(node),
            None => self.blocks.push(TopBlock { node, start: self.start }),
        }
    }

    fn leaf(&mut self, kind: Kind, child: Option<Node>) {
        if self.open.len() >= MAX_DEPTH {
            if let Some(Node::Text(text)) = child {
                self.text(&text);
            }
            return;
        }
        self.push(Node::Element(Element { kind, children: child.into_iter().collect() }));
    }

    /// Appends text, joined to the text before it (the parser splits text at escapes and
    /// entities).
    fn text(&mut self, text: &str) {
        if let Some(Node::Text(last)) = self.open.last_mut().and_then(|parent| parent.children.last_mut()) {
            last.push_str(text);
            return;
        }
        self.text_node(Node::Text(text.to_owned()));
    }

    fn text_node(&mut self, node: Node) {
        match self.open.last_mut() {
            Some(parent) => parent.children.push(node),
            // Text outside any block: only from a parser event we do not expect; keep it.
            None => self.blocks.push(TopBlock {
                node: Node::Element(Element { kind: Kind::Paragraph, children: vec![node] }),
                start: self.start,
            }),
        }
    }
}

/// Whether GFM autolinks apply to an element's text (not in code, raw HTML or a link).
fn links_plain_text(kind: &Kind) -> bool {
    !matches!(
        kind,
        Kind::Code | Kind::CodeBlock(_) | Kind::HtmlBlock | Kind::Link { .. } | Kind::Image { .. }
    )
}

/// GFM's extended autolinks in plain text: `www.` and `http(s)://` addresses with a valid
/// domain, and e-mail addresses, become links; trailing punctuation, an unbalanced `)` and an
/// entity-like `&…;` at the end stay outside. Each character is looked at a bounded number of
/// times (a domain is checked over at most [`MAX_DOMAIN_BYTES`]).
pub fn autolinks(children: Vec<Node>) -> Vec<Node> {
    let mut out = Vec::with_capacity(children.len());
    for child in children {
        let Node::Text(text) = child else {
            out.push(child);
            continue;
        };
        let mut rest = 0;
        let mut at = 0;
        let bytes = text.as_bytes();
        while at < bytes.len() {
            let boundary =
                at == 0 || matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r' | b'*' | b'_' | b'~' | b'(');
            let found = if boundary { url_autolink(&text, at) } else { None }
                .or_else(|| (bytes[at] == b'@').then(|| email_autolink(&text, at, rest)).flatten());
            match found {
                Some((start, end, href)) => {
                    if start > rest {
                        out.push(Node::Text(text[rest..start].to_owned()));
                    }
                    out.push(Node::Element(Element {
                        kind: Kind::Link { href: Some(href), title: String::new() },
                        children: vec![Node::Text(text[start..end].to_owned())],
                    }));
                    rest = end;
                    at = end;
                }
                None => at += 1,
            }
        }
        if rest == 0 {
            out.push(Node::Text(text));
        } else if rest < text.len() {
            out.push(Node::Text(text[rest..].to_owned()));
        }
    }
    out
}

/// A `www.`, `http://` or `https://` autolink starting at `at`: its range and target.
fn url_autolink(text: &str, at: usize) -> Option<(usize, usize, String)> {
    let tail = &text[at..];
    let lower = |prefix: &str| {
        tail.len() >= prefix.len() && tail.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    };
    let (domain_at, prefix) = if lower("www.") {
        (at, "http://")
    } else if lower("https://") {
        (at + 8, "")
    } else if lower("http://") {
        (at + 7, "")
    } else {
        return None;
    };
    let domain_len = valid_domain(&text[domain_at..])?;
    let end = trim_autolink_end(text, at, domain_at + domain_len);
    Some((at, end, format!("{prefix}{}", &text[at..end])))
}

/// The length of a valid GFM domain at the start of `text` (segments of alphanumerics, `_`
/// and `-` joined by `.`, no `_` in the last two; any non-ASCII character counts as alphanumeric,
/// as in internationalised names), followed by the rest of the address up to whitespace or `<`.
fn valid_domain(text: &str) -> Option<usize> {
    // A domain name is at most 253 bytes: looking no further keeps the scan from every `www.`
    // in a run like `_www._www._www.…` bounded.
    let domain_end = text
        .char_indices()
        .find(|&(at, c)| {
            at >= MAX_DOMAIN_BYTES
                || !(c.is_ascii_alphanumeric() || !c.is_ascii() || matches!(c, '.' | '-' | '_'))
        })
        .map_or(text.len(), |(at, _)| at);
    let domain = text[..domain_end].trim_end_matches('.');
    let segments: Vec<&str> = domain.split('.').collect();
    if domain.is_empty() || segments.iter().any(|segment| segment.is_empty()) {
        return None;
    }
    if segments.iter().rev().take(2).any(|segment| segment.contains('_')) {
        return None;
    }
    let address_end = text.find(|c: char| c.is_whitespace() || c == '<').unwrap_or(text.len());
    Some(address_end.max(domain.len()))
}

/// The longest domain name an autolink's domain is checked over.
const MAX_DOMAIN_BYTES: usize = 253;

/// Where an extended autolink from `start` that could run to `end` really ends: without
/// trailing `?!.,:*_~`, an unbalanced trailing `)`, or a trailing entity-like `&name;`.
fn trim_autolink_end(text: &str, start: usize, mut end: usize) -> usize {
    let mut unbalanced =
        text[start..end].matches(')').count() as isize - text[start..end].matches('(').count() as isize;
    loop {
        let link = &text[start..end];
        let Some(last) = link.chars().last() else { return end };
        let closes_nothing = last == ')' && unbalanced > 0;
        if closes_nothing || matches!(last, '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' | '\'' | '"') {
            unbalanced -= isize::from(last == ')');
            end -= 1;
        } else if last == ';' {
            let name_start = link[..link.len() - 1]
                .rfind(|c: char| !c.is_ascii_alphanumeric())
                .filter(|&amp| link.as_bytes()[amp] == b'&');
            match name_start {
                Some(amp) if amp + 1 < link.len() - 1 => end = start + amp,
                _ => return end,
            }
        } else {
            return end;
        }
    }
}

/// An e-mail autolink around the `@` at `at` (not starting before `rest`): its range and
/// `mailto:` target.
fn email_autolink(text: &str, at: usize, rest: usize) -> Option<(usize, usize, String)> {
    let local_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+');
    let start = text[rest..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| !local_ok(c))
        .map_or(rest, |(i, c)| rest + i + c.len_utf8());
    if start == at || text[..start].ends_with('/') || text[..start].ends_with(':') {
        return None;
    }
    let domain = &text[at + 1..];
    let domain_end = domain
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(domain.len());
    let mut domain = &domain[..domain_end];
    domain = domain.trim_end_matches('.');
    if !domain.contains('.') || domain.ends_with(['-', '_']) {
        return None;
    }
    let end = at + 1 + domain.len();
    Some((start, end, format!("mailto:{}", &text[start..end])))
}

/// While a reply streams: closes or hides what its last paragraph leaves half-written, so the
/// markers never flash. An unmatched `` ` `` run is closed; `*`, `_` and `~~` runs that most
/// likely open emphasis (at the start of a word, not before a digit) are closed in reverse
/// order; an unfinished `[link` or `[link](addr` shows its text only; a delimiter run at the very
/// end, and a last line that is only the start of a fence, wait for what follows. Code (fenced,
/// also in a quote or list, or indented) is left as it is.
pub fn repair_tail(text: &str) -> String {
    // (Bytes, not `rfind("\n\n")`: a string pattern searched backwards brings a two-way
    // searcher of its own into the panel stage.)
    let group_start = text
        .trim_end_matches([' ', '\t'])
        .as_bytes()
        .windows(2)
        .rposition(|pair| pair == b"\n\n")
        .map_or(0, |i| i + 2);
    if inside_open_fence(&text[..group_start]) || inside_open_fence(text) {
        // Code shows as code while it streams; only a half-written closing fence waits.
        let last_line_start = text.rfind('\n').map_or(0, |i| i + 1);
        let last_line = text[last_line_start..].trim();
        if !last_line.is_empty() && last_line.chars().all(|c| c == '`' || c == '~') {
            return text[..last_line_start].to_owned();
        }
        return text.to_owned();
    }
    let last_line_start = text.rfind('\n').map_or(0, |i| i + 1);
    let last_line = text[last_line_start..].trim();
    if !last_line.is_empty() && last_line.len() < 3 && last_line.chars().all(|c| c == '`' || c == '~') {
        return text[..last_line_start].to_owned();
    }
    let group = &text[group_start..];
    if group.starts_with("    ") || group.starts_with('\t') {
        // Indented code (or a deeply indented continuation): shown as it is.
        return text.to_owned();
    }
    let mut removed: Vec<Range<usize>> = Vec::new();
    let mut delimiters: Vec<(u8, usize)> = Vec::new();
    let mut brackets: Vec<usize> = Vec::new();
    let bytes = group.as_bytes();
    let mut at = 0;
    let mut code_closer = None;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte == b'\\' {
            at += 2;
            continue;
        }
        let run = bytes[at..].iter().take_while(|&&b| b == byte).count();
        match byte {
            b'`' => {
                match group[at + run..]
                    .find(&"`".repeat(run))
                    .filter(|&found| bytes.get(at + run + found + run) != Some(&b'`'))
                {
                    Some(found) => at += run + found + run,
                    // A run at the very end waits for what follows; an earlier one is closed.
                    None if at + run == bytes.len() => {
                        removed.push(at..at + run);
                        break;
                    }
                    None => {
                        code_closer = Some(run);
                        break;
                    }
                }
                continue;
            }
            b'*' | b'_' | b'~' => {
                let before = group[..at].chars().last();
                let after = group[at + run..].chars().next();
                let can_close = before.is_some_and(|c| !c.is_whitespace());
                // Only what most likely opens emphasis is closed early: a run at the start of a
                // word, not `a*b`, `snake_case` or `~5 minutes`, and strikethrough as `~~`.
                let in_word = before.is_some_and(|c| c.is_ascii_alphanumeric() || !c.is_ascii());
                let can_open = after.is_some_and(|c| !(c.is_whitespace() || run == 1 && c.is_ascii_digit()))
                    && !in_word
                    && !(byte == b'~' && run < 2);
                if after.is_none() {
                    // A run at the very end may be half of a closer: it waits, and what it
                    // would close is closed in full below.
                    removed.push(at..at + run);
                } else if can_close && delimiters.last().is_some_and(|&(open, _)| open == byte) {
                    delimiters.pop();
                } else if can_open {
                    delimiters.push((byte, run));
                }
            }
            b'[' => brackets.push(at),
            b']' => {
                if let Some(open) = brackets.pop() {
                    let bang = usize::from(open > 0 && bytes[open - 1] == b'!');
                    if at + 1 == bytes.len() {
                        // `[text]` at the very end may become a link: its brackets wait.
                        removed.push(open - bang..open + 1);
                        removed.push(at..at + 1);
                    } else if group[at + 1..].starts_with('(') {
                        match group[at + 1..].find(')') {
                            Some(close) => at += 1 + close,
                            None => {
                                removed.push(open - bang..open + 1);
                                removed.push(at..group.len());
                                break;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        at += run.max(1);
    }
    for open in brackets {
        let bang = usize::from(open > 0 && bytes[open - 1] == b'!');
        removed.push(open - bang..open + 1);
    }
    if removed.is_empty() && delimiters.is_empty() && code_closer.is_none() {
        return text.to_owned();
    }
    removed.sort_by_key(|range| range.start);
    let mut repaired = String::with_capacity(text.len() + 8);
    repaired.push_str(&text[..group_start]);
    let mut kept = 0;
    for range in &removed {
        if range.start >= kept {
            repaired.push_str(&group[kept..range.start]);
            kept = range.end;
        }
    }
    repaired.push_str(&group[kept.min(group.len())..]);
    if let Some(run) = code_closer {
        repaired.push_str(&"`".repeat(run));
    } else {
        let trimmed = repaired.trim_end_matches([' ', '\t', '\n']).len();
        repaired.truncate(trimmed);
        for (byte, run) in delimiters.iter().rev() {
            repaired.extend(std::iter::repeat_n(char::from(*byte), *run));
        }
    }
    repaired
}

/// Whether `text` ends inside a fenced code block (a line scan: fences open and close on lines
/// of three or more backticks or tildes).
fn inside_open_fence(text: &str) -> bool {
    let mut fence: Option<(u8, usize)> = None;
    for line in text.lines() {
        // A fence inside a quote or a list item counts too.
        let trimmed = line.trim_start_matches([' ', '>']);
        let Some(&first) = trimmed.as_bytes().first().filter(|&&b| b == b'`' || b == b'~') else {
            continue;
        };
        let run = trimmed.bytes().take_while(|&b| b == first).count();
        match fence {
            Some((marker, len)) if marker == first && run >= len && trimmed[run..].trim().is_empty() => {
                fence = None
            }
            None if run >= 3 && !(first == b'`' && trimmed[run..].contains('`')) => {
                fence = Some((first, run))
            }
            _ => {}
        }
    }
    fence.is_some()
}

/// One top-level piece of a rendered reply, with a key that changes whenever its content does.
#[derive(Clone, Debug)]
pub struct Chunk {
    /// The key: the chunk's position and a hash of its content (streaming and the whole parse
    /// cut a reply into the same chunks, so a chunk keeps its key, and its DOM, when the reply
    /// completes).
    pub key: Arc<str>,
    /// The content.
    pub node: Arc<Node>,
    /// What drawing it costs ([`cost`] units).
    pub weight: usize,
}

impl PartialEq for Chunk {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Chunk {
    fn new(index: usize, node: Node) -> Self {
        let mut hasher = DefaultHasher::new();
        node.hash(&mut hasher);
        let weight = cost(&node);
        Self { key: format!("{index}:{:x}", hasher.finish()).into(), node: Arc::new(node), weight }
    }
}

/// What drawing a node costs, in units: one per DOM node, one per [`TEXT_BYTES_PER_UNIT`] bytes
/// of text (laying text out costs too).
pub fn cost(node: &Node) -> usize {
    let (mut nodes, mut bytes) = (0, 0);
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        nodes += 1;
        match node {
            Node::Text(text) | Node::Html(text) => bytes += text.len(),
            Node::Element(element) => stack.extend(&element.children),
        }
    }
    nodes + bytes / TEXT_BYTES_PER_UNIT
}

/// Bytes of text that cost as much to draw as one DOM node (see [`cost`]).
pub const TEXT_BYTES_PER_UNIT: usize = 32;

/// What one animation frame draws of a reply at most (beyond its first chunk), in [`cost`] units.
pub const SLICE_COST: usize = 800;

/// What the first slice of a reply draws: less, because the frame that shows a new message
/// also lays out the log around it.
pub const FIRST_SLICE_COST: usize = 200;

/// The most a single block may cost to draw as markdown: a bigger one (a hostile reply's
/// thousands of links in one paragraph) is shown as its text, in plain pieces drawn a slice at a
/// time.
pub const MAX_CHUNK_COST: usize = 4_000;

/// Appends a top-level block as the next chunk, or as its text in plain pieces when drawing it
/// would cost more than [`MAX_CHUNK_COST`].
fn push_block(chunks: &mut Vec<Chunk>, node: Node) {
    if cost(&node) <= MAX_CHUNK_COST {
        chunks.push(Chunk::new(chunks.len(), node));
        return;
    }
    let text = block_text(&node);
    for piece in plain_pieces(&text) {
        chunks.push(Chunk::new(chunks.len(), plain_node(piece)));
    }
}

/// The text of a block with a line break after each block inside it and a space between table
/// cells, gathered without recursion.
fn block_text(node: &Node) -> String {
    enum Step<'a> {
        Visit(&'a Node),
        Append(&'static str),
    }
    let mut out = String::new();
    let mut stack = vec![Step::Visit(node)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Append(text) => out.push_str(text),
            Step::Visit(Node::Text(text) | Node::Html(text)) => out.push_str(text),
            Step::Visit(Node::Element(element)) => {
                let after = match element.kind {
                    Kind::TableCell(_) => " ",
                    Kind::Emphasis
                    | Kind::Strong
                    | Kind::Strikethrough
                    | Kind::Code
                    | Kind::Link { .. }
                    | Kind::Image { .. }
                    | Kind::Task(_) => "",
                    _ => "\n",
                };
                stack.push(Step::Append(after));
                stack.extend(element.children.iter().rev().map(Step::Visit));
            }
        }
    }
    out
}

/// How many chunks to show after the next slice, when `shown` are shown: at least one more,
/// then more while their weight stays within `budget` ([`cost`] units). A long reply is drawn a
/// slice per frame, so no single step holds the page's main thread for long.
pub fn reveal(chunks: &[Chunk], shown: usize, budget: usize) -> usize {
    let mut spent = 0;
    let mut count = shown.min(chunks.len());
    while let Some(chunk) = chunks.get(count) {
        if spent > 0 && spent + chunk.weight > budget {
            break;
        }
        spent += chunk.weight;
        count += 1;
    }
    count
}

/// A reply rendered as it streams: it keeps the finished blocks and parses only the open tail
/// again (see the module docs).
#[derive(Default)]
pub struct Reply {
    /// The source of the finished blocks (the tail starts where it ends).
    finished_source: String,
    finished: Vec<Chunk>,
    definitions: Definitions,
    /// The plain-text pieces of an over-long reply that can no longer change.
    plain: Vec<Chunk>,
    /// The last text rendered, whether it was streaming, and its chunks: the view asks again
    /// for each slice it draws.
    last: Option<(String, bool, Vec<Chunk>)>,
}

impl Reply {
    /// The chunks of `text`; `streaming` while more may follow.
    pub fn render(&mut self, text: &str, streaming: bool) -> Vec<Chunk> {
        if let Some((_, _, chunks)) =
            self.last.as_ref().filter(|(last, was, _)| *was == streaming && last == text)
        {
            return chunks.clone();
        }
        let markdown_end = markdown_end(text);
        let markdown = &text[..markdown_end];
        if !streaming || !markdown.starts_with(self.finished_source.as_str()) {
            *self = Self::default();
        }
        let mut chunks = Vec::new();
        let blocks = if streaming {
            let open = self.finish_blocks(markdown);
            chunks.clone_from(&self.finished);
            parse_blocks(&repair_tail(open), &self.definitions).0
        } else {
            parse_blocks(markdown, &Definitions::new()).0
        };
        for block in blocks {
            push_block(&mut chunks, block.node);
        }
        if markdown_end < text.len() {
            let note = Element { kind: Kind::TruncatedNote, children: Vec::new() };
            chunks.push(Chunk::new(chunks.len(), Node::Element(note)));
            let pieces = plain_pieces(&text[markdown_end..]);
            let stable = pieces.len().saturating_sub(1);
            let first = chunks.len();
            for (index, piece) in pieces.iter().enumerate().take(stable).skip(self.plain.len()) {
                self.plain.push(Chunk::new(first + index, plain_node(piece)));
            }
            chunks.extend(self.plain.iter().take(stable).cloned());
            if let Some(last) = pieces.last() {
                chunks.push(Chunk::new(first + stable, plain_node(last)));
            }
        }
        // Kept for the slices of a complete reply; a streaming one changes with every delta.
        self.last = (!streaming).then(|| (text.to_owned(), streaming, chunks.clone()));
        chunks
    }

    /// Parses the open tail and keeps every block of it that another block now follows (with
    /// the reference definitions before the last block); returns what is still open.
    fn finish_blocks<'a>(&mut self, markdown: &'a str) -> &'a str {
        let tail = &markdown[self.finished_source.len()..];
        let (blocks, definitions) = parse_blocks(tail, &self.definitions);
        let Some(last) = blocks.last() else { return tail };
        // From the start of its line: an indented code block starts after its indentation.
        let last_start = tail[..last.start].rfind('\n').map_or(0, |newline| newline + 1);
        if last_start == 0 || !can_finish_before(tail, last_start) {
            return tail;
        }
        for block in blocks.into_iter().filter(|block| block.start < last_start) {
            push_block(&mut self.finished, block.node);
        }
        self.finished_source.push_str(&tail[..last_start]);
        for (definition, end) in definitions {
            if end <= last_start {
                let key = label_key(&definition.label);
                self.definitions.entry(key).or_insert((definition.dest, definition.title));
            }
        }
        &tail[last_start..]
    }
}

/// Whether what precedes the line at `at` is finished for good while more text may come: only
/// after a blank line (a line right after a block can still join it: a definition's title, a
/// lazy continuation), and not while the last line is a bare number, which may yet become the
/// next item of a numbered list above it.
fn can_finish_before(tail: &str, at: usize) -> bool {
    let before = tail[..at].strip_suffix('\n').unwrap_or(&tail[..at]);
    let previous_line = &before[before.rfind('\n').map_or(0, |newline| newline + 1)..];
    let after_blank_line = previous_line.trim().is_empty() && before.len() > previous_line.len();
    let open = tail[at..].trim();
    let bare_number = !open.is_empty()
        && open.len() <= 10
        && open.trim_end_matches(['.', ')']).bytes().all(|byte| byte.is_ascii_digit());
    after_blank_line && !bare_number
}

/// Where the markdown part of a reply ends: all of it up to [`MAX_MARKDOWN_BYTES`], else the
/// last line end before that limit.
fn markdown_end(text: &str) -> usize {
    if text.len() <= MAX_MARKDOWN_BYTES {
        return text.len();
    }
    let mut limit = MAX_MARKDOWN_BYTES;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    text[..limit].rfind('\n').map_or(limit, |newline| newline + 1)
}

/// The plain-text tail in pieces of about [`PLAIN_PIECE_BYTES`], cut at character boundaries.
fn plain_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while rest.len() > PLAIN_PIECE_BYTES {
        let mut cut = PLAIN_PIECE_BYTES;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        pieces.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
}

fn plain_node(text: &str) -> Node {
    Node::Element(Element { kind: Kind::Plain, children: vec![Node::Text(text.to_owned())] })
}

/// What a reader hears of a reply: the text its markdown renders to (no `**`, no link targets),
/// a line per block, from the reply's first `head_bytes` at most (cut at a line end), so a
/// long reply is not parsed whole for the part that is read out.
pub fn rendered_text(markdown: &str, head_bytes: usize) -> String {
    let mut cut = markdown.len().min(head_bytes);
    while !markdown.is_char_boundary(cut) {
        cut -= 1;
    }
    if cut < markdown.len() {
        cut = markdown[..cut].rfind('\n').map_or(cut, |newline| newline + 1);
    }
    let text: String = parse(&markdown[..cut]).iter().map(block_text).collect();
    text.trim().to_owned()
}

/// Opens a citation marker in a reply's source: [`CITE`], the source's number, [`CITE_END`].
/// Both are Unicode private-use characters, which the parser passes through as text, so a
/// marker lands in whatever text node holds its place and the view draws it there.
pub const CITE: char = '\u{E000}';
/// Closes a citation marker.
pub const CITE_END: char = '\u{E001}';

/// `text` with a citation marker for each `(character index, source number)` (ChatKit's
/// annotation `index`), put after that many characters (at the end when beyond it).
pub fn with_citations(text: &str, marks: &[(usize, usize)]) -> String {
    let mut marks: Vec<(usize, usize)> = marks.to_vec();
    marks.sort_unstable();
    let mut out = String::with_capacity(text.len() + marks.len() * 8);
    let mut pending = marks.into_iter().peekable();
    let mark = |out: &mut String, number: usize| {
        out.push(CITE);
        out.push_str(&number.to_string());
        out.push(CITE_END);
    };
    for (position, character) in text.chars().enumerate() {
        while let Some((_, number)) = pending.next_if(|(index, _)| *index <= position) {
            mark(&mut out, number);
        }
        out.push(character);
    }
    for (_, number) in pending {
        mark(&mut out, number);
    }
    out
}

/// A piece of a text node: text, or a citation's number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextPiece<'a> {
    /// Plain text.
    Text(&'a str),
    /// A citation marker's number.
    Cite(&'a str),
}

/// The pieces of a text node that holds citation markers (see [`with_citations`]).
pub fn text_pieces(text: &str) -> Vec<TextPiece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(CITE) {
        if start > 0 {
            pieces.push(TextPiece::Text(&rest[..start]));
        }
        let after = &rest[start + CITE.len_utf8()..];
        match after.find(CITE_END) {
            Some(end) => {
                pieces.push(TextPiece::Cite(&after[..end]));
                rest = &after[end + CITE_END.len_utf8()..];
            }
            None => {
                rest = after;
            }
        }
    }
    if !rest.is_empty() {
        pieces.push(TextPiece::Text(rest));
    }
    pieces
}

/// The text of a node and everything in it, gathered without recursion.
pub fn plain_text(node: &Node) -> String {
    let mut out = String::new();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match node {
            Node::Text(text) | Node::Html(text) => out.push_str(text),
            Node::Element(element) => stack.extend(element.children.iter().rev()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn citations_land_after_their_character_and_come_back_out_as_pieces() {
        let cited = with_citations("Orcheo runs.", &[(6, 1), (12, 2), (99, 3), (6, 4)]);
        assert_eq!(cited, "Orcheo\u{E000}1\u{E001}\u{E000}4\u{E001} runs.\u{E000}2\u{E001}\u{E000}3\u{E001}");
        let pieces = text_pieces(&cited);
        use TextPiece::{Cite, Text};
        assert_eq!(pieces, [Text("Orcheo"), Cite("1"), Cite("4"), Text(" runs."), Cite("2"), Cite("3")]);
        // Markers pass through the parser as text, inside the paragraph they were put in.
        let chunks = Reply::default().render(&with_citations("*Orcheo* runs.", &[(8, 1)]), false);
        assert!(chunks.iter().any(|chunk| plain_text(&chunk.node) == "Orcheo\u{E000}1\u{E001} runs."));
        assert_eq!(text_pieces("no markers"), [Text("no markers")]);
        assert_eq!(text_pieces("broken \u{E000}7"), [Text("broken "), Text("7")]);
    }

    use super::*;

    fn text(s: &str) -> Node {
        Node::Text(s.into())
    }

    fn element(kind: Kind, children: Vec<Node>) -> Node {
        Node::Element(Element { kind, children })
    }

    fn reply_whole(text: &str) -> Vec<(Arc<str>, Node)> {
        Reply::default()
            .render(text, false)
            .into_iter()
            .map(|chunk| (chunk.key, (*chunk.node).clone()))
            .collect()
    }

    #[test]
    fn what_a_reader_hears_is_the_rendered_text() {
        assert_eq!(
            rendered_text("# Plan\n\n**Bold** and [the site](https://x.y) `code`\n\n- one\n- two", 4096),
            "Plan\nBold and the site code\none\ntwo"
        );
        let long = "para **b**\n".repeat(1000);
        assert!(rendered_text(&long, 100).len() < 200);
    }

    #[test]
    fn raw_html_stays_text_and_soft_breaks_are_newlines() {
        assert_eq!(
            parse("Hello <b>world</b>\nsecond line"),
            vec![element(
                Kind::Paragraph,
                vec![
                    text("Hello "),
                    Node::Html("<b>".into()),
                    text("world"),
                    Node::Html("</b>".into()),
                    text("\nsecond line")
                ]
            )]
        );
        assert_eq!(
            parse("<script>alert(1)</script>\n"),
            vec![element(Kind::HtmlBlock, vec![Node::Html("<script>alert(1)</script>\n".into())])]
        );
    }

    #[test]
    fn only_http_https_mailto_and_relative_targets_are_kept() {
        for kept in
            ["https://example.com/a?b#c", "HTTP://x", "mailto:a@b.c", "/docs", "page.html", "#top", "a/b:c"]
        {
            assert_eq!(link_target(kept).as_deref(), Some(kept), "{kept}");
        }
        for refused in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "\u{1}javascript:x",
            "file:///etc",
        ] {
            assert_eq!(link_target(refused), None, "{refused:?}");
        }
        assert_eq!(
            parse("[x](javascript:alert(1))"),
            vec![element(
                Kind::Paragraph,
                vec![element(Kind::Link { href: None, title: String::new() }, vec![text("x")])]
            )]
        );
    }

    #[test]
    fn gfm_autolinks_in_text_but_not_in_code() {
        let link = |href: &str, shown: &str| {
            element(Kind::Link { href: Some(href.into()), title: String::new() }, vec![text(shown)])
        };
        assert_eq!(
            parse("Visit www.commonmark.org/help, or https://example.com/a_(b)). Mail foo.bar@example.com. `www.no.com`"),
            vec![element(
                Kind::Paragraph,
                vec![
                    text("Visit "),
                    link("http://www.commonmark.org/help", "www.commonmark.org/help"),
                    text(", or "),
                    link("https://example.com/a_(b)", "https://example.com/a_(b)"),
                    text("). Mail "),
                    link("mailto:foo.bar@example.com", "foo.bar@example.com"),
                    text(". "),
                    element(Kind::Code, vec![text("www.no.com")]),
                ]
            )]
        );
        assert_eq!(
            parse("www.a_b.c_d is not a domain"),
            vec![element(Kind::Paragraph, vec![text("www.a_b.c_d is not a domain")])]
        );
    }

    #[test]
    fn nesting_beyond_the_limit_becomes_text_without_recursion() {
        let deep = format!("{}deep", "> ".repeat(10_000));
        let nodes = parse(&deep);
        let mut depth = 0;
        let mut node = &nodes[0];
        while let Node::Element(element) = node {
            depth += 1;
            match element.children.iter().find(|child| matches!(child, Node::Element(_))) {
                Some(child) => node = child,
                None => {
                    assert!(plain_text(node).contains("deep"));
                    break;
                }
            }
        }
        assert!(depth <= MAX_DEPTH, "{depth}");
    }

    #[test]
    fn a_long_reply_is_markdown_up_to_the_limit_then_plain_text_in_pieces() {
        let line = "word **bold** [link](https://x.y)\n";
        let text = line.repeat(MAX_MARKDOWN_BYTES / line.len() + 1000);
        let chunks = reply_whole(&text);
        let note = chunks
            .iter()
            .position(|(_, node)| matches!(node, Node::Element(Element { kind: Kind::TruncatedNote, .. })))
            .expect("a note");
        let plain: String = chunks[note + 1..]
            .iter()
            .map(|(_, node)| {
                assert!(matches!(node, Node::Element(Element { kind: Kind::Plain, .. })));
                plain_text(node)
            })
            .collect();
        assert_eq!(plain.len() + markdown_end(&text), text.len());
        assert!(text.ends_with(&plain));
        assert!(chunks[note + 1..].iter().all(|(_, node)| plain_text(node).len() <= PLAIN_PIECE_BYTES));
    }

    #[test]
    fn a_streamed_reply_ends_as_the_same_reply_sent_whole() {
        let text = "Steps:\n\n1. Install\n\n   ```sh\n   cargo add x\n\n   cargo build\n   ```\n\n2. Run *it **now***\n\n\
                    | a | b |\n|---|:-:|\n| x \\| y | ~~z~~ |\n\nSee [the guide][g] and [later][l].\n\n[g]: https://g.example\n\n\
                    - [x] done\n- [ ] todo\n\n[l]: https://l.example\n";
        let whole = reply_whole(text);
        let mut reply = Reply::default();
        let mut streamed = Vec::new();
        for end in (1..=text.len()).filter(|&end| text.is_char_boundary(end)) {
            streamed = reply.render(&text[..end], true);
        }
        assert!(!streamed.is_empty());
        let finished: Vec<_> =
            reply.render(text, false).into_iter().map(|chunk| (chunk.key, (*chunk.node).clone())).collect();
        assert_eq!(finished, whole);
    }

    #[test]
    fn streaming_only_the_tail_is_parsed_again() {
        let mut reply = Reply::default();
        let first = reply.render("# Title\n\nFirst paragraph.\n\nSecond", true);
        assert_eq!(reply.finished.len(), 2, "the heading and the first paragraph are finished");
        assert_eq!(reply.finished_source, "# Title\n\nFirst paragraph.\n\n");
        let before: Vec<_> = first.iter().take(2).map(|chunk| chunk.key.clone()).collect();
        let chunks = reply.render("# Title\n\nFirst paragraph.\n\nSecond paragraph", true);
        assert_eq!(chunks.iter().take(2).map(|chunk| chunk.key.clone()).collect::<Vec<_>>(), before);
        assert_eq!(plain_text(&chunks[2].node), "Second paragraph");
    }

    #[test]
    fn what_can_still_change_is_not_finished() {
        let finished = |text: &str| {
            let mut reply = Reply::default();
            reply.render(text, true);
            reply.finished_source
        };
        // A definition's title may follow on the next line; a bare number may become the next
        // item of the list above; a rule inside a quote is inside the quote.
        assert_eq!(finished("[g]: https://g\n\"Gui"), "");
        assert_eq!(finished("1. a\n\n2"), "");
        assert_eq!(finished("> a\n> ***\n> b"), "");
        // An indented code block is cut at the start of its line, not after its indentation.
        assert_eq!(finished("Run:\n\n    *p = 1;"), "Run:\n\n");
        let chunks = Reply::default().render("Run:\n\n    *p = 1;\n    x", true);
        assert_eq!(*chunks[1].node, element(Kind::CodeBlock(String::new()), vec![text("*p = 1;\nx")]));
    }

    #[test]
    fn huge_tables_and_runaway_autolink_candidates_stay_linear() {
        let header = format!("{}\n{}\n", "a|".repeat(362), "-|".repeat(362));
        let tables = format!("{header}{}\n", "x\n".repeat(724)).repeat(30);
        let started = std::time::Instant::now();
        let nodes = parse(&tables);
        let cells: usize = nodes.iter().map(cost).sum();
        assert!(cells < 2 * MAX_TABLE_CELLS + tables.len(), "{cells} nodes");
        for hostile in [
            "_www.".repeat(20_000),
            "\\".repeat(100_000),
            format!("{}{}", "[d]: u\n".repeat(4_000), "[x] ".repeat(14_000)),
        ] {
            Reply::default().render(&hostile, false);
            Reply::default().render(&hostile, true);
        }
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn half_written_syntax_never_shows_its_markers() {
        let shown = |text: &str| {
            let chunks = Reply::default().render(text, true);
            chunks.iter().map(|chunk| plain_text(&chunk.node)).collect::<Vec<_>>().join("|")
        };
        assert_eq!(shown("Some **bold"), "Some bold");
        assert_eq!(shown("Some *it"), "Some it");
        assert_eq!(shown("Some **"), "Some");
        assert_eq!(shown("Use `cargo b"), "Use cargo b");
        assert_eq!(shown("Use `"), "Use");
        assert_eq!(shown("Some **bold words*"), "Some bold words");
        assert_eq!(shown("Some ~~gone~"), "Some gone");
        assert_eq!(shown("See [the guide]"), "See the guide");
        assert_eq!(shown("See [the guide"), "See the guide");
        assert_eq!(shown("See [the guide](https://exa"), "See the guide");
        assert_eq!(shown("An ![image](https://exa"), "An image");
        assert_eq!(shown("Code:\n\n``"), "Code:");
        assert_eq!(shown("2 * 3 = 6 and snake_case"), "2 * 3 = 6 and snake_case");
        assert_eq!(shown("```rust\nfn main() {}\n``"), "fn main() {}\n");
        let bold = Reply::default().render("Some **bold", true);
        assert_eq!(
            *bold[0].node,
            element(Kind::Paragraph, vec![text("Some "), element(Kind::Strong, vec![text("bold")])])
        );
    }

    #[test]
    fn a_long_reply_is_revealed_a_slice_at_a_time() {
        let text = "A paragraph of some length, about forty.\n\n".repeat(100);
        let chunks = Reply::default().render(&text, false);
        assert_eq!(chunks.len(), 100);
        let each = chunks[0].weight;
        assert_eq!(each, 2 + 41 / TEXT_BYTES_PER_UNIT, "a paragraph and its text node, and its text");
        let first = reveal(&chunks, 0, 10 * each);
        assert_eq!(first, 10);
        assert_eq!(reveal(&chunks, first, 10 * each), 20);
        assert_eq!(reveal(&chunks, 99, 10 * each), 100);
        assert_eq!(reveal(&chunks, 100, 10 * each), 100);
        assert_eq!(reveal(&chunks, 0, 1), 1, "a chunk over the budget still shows, alone");
    }

    #[test]
    fn a_block_too_costly_to_draw_is_shown_as_its_text_in_pieces() {
        let text = format!("Before.\n\n{}\n\nAfter.", "a [link](https://x.y) and **b** ".repeat(3_000));
        let chunks = Reply::default().render(&text, false);
        assert!(chunks.iter().all(|chunk| chunk.weight <= MAX_CHUNK_COST));
        assert_eq!(plain_text(&chunks[0].node), "Before.");
        assert_eq!(plain_text(&chunks[chunks.len() - 1].node), "After.");
        let middle = &chunks[1..chunks.len() - 1];
        assert!(
            middle.len() > 1
                && middle
                    .iter()
                    .all(|chunk| matches!(&*chunk.node, Node::Element(Element { kind: Kind::Plain, .. })))
        );
        let shown: String = middle.iter().map(|chunk| plain_text(&chunk.node)).collect();
        assert!(shown.starts_with("a link and b a link"), "{}", &shown[..40]);
    }

    #[test]
    fn hostile_replies_parse_in_linear_time() {
        for hostile in [
            "[".repeat(50_000),
            format!("a{}", "*".repeat(50_000)),
            "[a](b".repeat(30_000),
            "- ".repeat(10_000),
        ] {
            let started = std::time::Instant::now();
            let chunks = Reply::default().render(&hostile, false);
            assert!(!chunks.is_empty());
            assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
            let mut reply = Reply::default();
            for end in (1..=8).map(|part| hostile.len() * part / 8) {
                reply.render(&hostile[..end], true);
            }
        }
    }
}
