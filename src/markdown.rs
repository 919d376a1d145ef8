//! Markdown for assistant text: a compact parser for what chat replies use (paragraphs,
//! headings, emphasis, inline and fenced code, lists, block quotes, tables, rules, links), into
//! a tree the view turns into DOM nodes. Nothing here produces HTML: raw HTML in the source is
//! text, and a link keeps its target only if it is `http:`, `https:` or `mailto:`.
//!
//! Streaming: [`chunks`] cuts a message at top-level blank lines (never inside a code fence).
//! A chunk followed by another can no longer change, so while a reply streams only the last
//! chunk is parsed and drawn again. [`parse`] with `streaming` set closes what the tail left open
//! (an unterminated fence, `**`, `` ` `` or `[link`), so half-written syntax never flashes.

/// A block-level element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// `#` to `######`.
    Heading(u8, Vec<Inline>),
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A fenced code block and its info string's first word.
    Code {
        /// Language, possibly empty.
        lang: String,
        /// The code, without the fences.
        text: String,
    },
    /// A list; each item is a list of blocks.
    List {
        /// Numbered.
        ordered: bool,
        /// First number of a numbered list.
        start: u32,
        /// The items.
        items: Vec<Vec<Block>>,
    },
    /// `>` quoted blocks.
    Quote(Vec<Block>),
    /// A pipe table.
    Table {
        /// Column alignment.
        align: Vec<Align>,
        /// Header cells.
        head: Vec<Vec<Inline>>,
        /// Body rows.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// `---`.
    Rule,
}

/// Table column alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// An inline element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// `**strong**`.
    Strong(Vec<Inline>),
    /// `*emphasis*`.
    Em(Vec<Inline>),
    /// `` `code` ``.
    Code(String),
    /// A link; `href` is `None` when the target is not a safe scheme (its text stays).
    Link {
        /// The target, when safe.
        href: Option<String>,
        /// The link text.
        children: Vec<Inline>,
    },
    /// A line break.
    Break,
}

/// Splits a message into independently parsable chunks at blank lines outside code fences.
pub fn chunks(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut fence: Option<(u8, usize)> = None;
    let mut offset = 0;
    let mut content = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        match fence {
            Some(open) if closes_fence(trimmed, open) => fence = None,
            Some(_) => {}
            None => {
                if let Some(open) = opens_fence(trimmed) {
                    fence = Some(open);
                }
            }
        }
        if trimmed.is_empty() && fence.is_none() {
            if content {
                out.push(&text[start..offset]);
                content = false;
            }
            start = offset + line.len();
        } else {
            content = true;
        }
        offset += line.len();
    }
    if content {
        out.push(&text[start..]);
    }
    out
}

fn opens_fence(line: &str) -> Option<(u8, usize)> {
    let first = *line.as_bytes().first()?;
    if first != b'`' && first != b'~' {
        return None;
    }
    let run = line.bytes().take_while(|&b| b == first).count();
    (run >= 3 && !(first == b'`' && line[run..].contains('`'))).then_some((first, run))
}

fn closes_fence(line: &str, (marker, len): (u8, usize)) -> bool {
    let run = line.bytes().take_while(|&b| b == marker).count();
    run >= len && line[run..].trim().is_empty()
}

/// Parses one chunk (or a whole message) into blocks.
pub fn parse(text: &str, streaming: bool) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    Parser { lines, at: 0, streaming }.blocks()
}

struct Parser<'a> {
    lines: Vec<&'a str>,
    at: usize,
    streaming: bool,
}

fn list_marker(line: &str) -> Option<(bool, u32, usize)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let bytes = trimmed.as_bytes();
    match bytes.first()? {
        b'-' | b'*' | b'+' if bytes.get(1).is_some_and(|&b| b == b' ') => Some((false, 1, indent + 2)),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            let after = bytes.get(digits)?;
            if digits <= 9
                && matches!(after, b'.' | b')')
                && bytes.get(digits + 1).is_some_and(|&b| b == b' ')
            {
                Some((true, trimmed[..digits].parse().unwrap_or(1), indent + digits + 2))
            } else {
                None
            }
        }
        _ => None,
    }
}

fn is_rule(line: &str) -> bool {
    let mut marks = line.bytes().filter(|b| !b.is_ascii_whitespace());
    let first = marks.next();
    matches!(first, Some(b'-' | b'*' | b'_')) && marks.clone().count() >= 2 && marks.all(|b| Some(b) == first)
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let rest = &line[hashes..];
    ((1..=6).contains(&hashes) && (rest.is_empty() || rest.starts_with(' ')))
        .then(|| (hashes as u8, rest.trim().trim_end_matches('#').trim_end()))
}

fn table_cells(line: &str) -> Vec<&str> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    line.split('|').map(str::trim).collect()
}

fn table_alignment(line: &str) -> Option<Vec<Align>> {
    if !line.contains('-') {
        return None;
    }
    table_cells(line)
        .into_iter()
        .map(|cell| {
            let dashes = cell.trim_matches(':');
            (!dashes.is_empty() && dashes.bytes().all(|b| b == b'-')).then(|| {
                match (cell.starts_with(':'), cell.ends_with(':')) {
                    (true, true) => Align::Center,
                    (true, false) => Align::Left,
                    (false, true) => Align::Right,
                    (false, false) => Align::None,
                }
            })
        })
        .collect()
}

impl Parser<'_> {
    fn starts_block(&self, line: &str) -> bool {
        let trimmed = line.trim_start();
        heading(trimmed).is_some()
            || opens_fence(trimmed).is_some()
            || trimmed.starts_with('>')
            || list_marker(line).is_some()
            || is_rule(trimmed)
    }

    fn blocks(mut self) -> Vec<Block> {
        let mut blocks = Vec::new();
        while self.at < self.lines.len() {
            let line = self.lines[self.at];
            let trimmed = line.trim_start();
            if trimmed.is_empty() {
                self.at += 1;
            } else if let Some(open) = opens_fence(trimmed) {
                blocks.push(self.code(open));
            } else if let Some((level, text)) = heading(trimmed) {
                self.at += 1;
                blocks.push(Block::Heading(level, inlines(text, self.streaming)));
            } else if is_rule(trimmed) {
                self.at += 1;
                blocks.push(Block::Rule);
            } else if trimmed.starts_with('>') {
                blocks.push(self.quote());
            } else if let Some((ordered, start, _)) = list_marker(line) {
                blocks.push(self.list(ordered, start));
            } else if let Some(table) = self.table() {
                blocks.push(table);
            } else {
                blocks.push(self.paragraph());
            }
        }
        blocks
    }

    fn code(&mut self, open: (u8, usize)) -> Block {
        let info = self.lines[self.at].trim_start()[open.1..].trim();
        let lang = info.split_whitespace().next().unwrap_or_default().to_owned();
        self.at += 1;
        let mut body = Vec::new();
        while self.at < self.lines.len() {
            let line = self.lines[self.at];
            self.at += 1;
            if closes_fence(line.trim(), open) {
                break;
            }
            body.push(line);
        }
        Block::Code { lang, text: body.join("\n") }
    }

    fn quote(&mut self) -> Block {
        let mut inner = Vec::new();
        while let Some(line) = self.lines.get(self.at) {
            let Some(rest) = line.trim_start().strip_prefix('>') else { break };
            inner.push(rest.strip_prefix(' ').unwrap_or(rest));
            self.at += 1;
        }
        Block::Quote(Parser { lines: inner, at: 0, streaming: self.streaming }.blocks())
    }

    fn list(&mut self, ordered: bool, start: u32) -> Block {
        let mut items = Vec::new();
        while let Some(&line) = self.lines.get(self.at) {
            match list_marker(line) {
                Some((same_kind, _, content)) if same_kind == ordered => {
                    let mut body = vec![line.get(content..).unwrap_or_default()];
                    self.at += 1;
                    // Continuation: lines indented past the marker, or lazy paragraph lines.
                    while let Some(&next) = self.lines.get(self.at) {
                        let indent = next.len() - next.trim_start().len();
                        if next.trim().is_empty()
                            || (indent < content && (list_marker(next).is_some() || self.starts_block(next)))
                        {
                            break;
                        }
                        body.push(next.get(content.min(indent)..).unwrap_or_default());
                        self.at += 1;
                    }
                    items.push(Parser { lines: body, at: 0, streaming: self.streaming }.blocks());
                }
                _ => break,
            }
        }
        Block::List { ordered, start, items }
    }

    fn table(&mut self) -> Option<Block> {
        let head = self.lines[self.at];
        let align = table_alignment(self.lines.get(self.at + 1)?)?;
        let head_cells = table_cells(head);
        if !head.contains('|') || head_cells.len() != align.len() {
            return None;
        }
        self.at += 2;
        let cells = |line: &str, streaming| {
            let mut cells: Vec<Vec<Inline>> =
                table_cells(line).into_iter().map(|cell| inlines(cell, streaming)).collect();
            cells.resize(align.len(), Vec::new());
            cells
        };
        let head = cells(head, self.streaming);
        let mut rows = Vec::new();
        while let Some(&line) = self.lines.get(self.at) {
            if !line.contains('|') || line.trim().is_empty() {
                break;
            }
            rows.push(cells(line, self.streaming));
            self.at += 1;
        }
        Some(Block::Table { align, head, rows })
    }

    fn paragraph(&mut self) -> Block {
        let mut text = String::new();
        while let Some(&line) = self.lines.get(self.at) {
            if line.trim().is_empty() || (!text.is_empty() && self.starts_block(line)) {
                break;
            }
            if !text.is_empty() {
                // A chat reply's line break is meant as one: keep it (two trailing spaces or a
                // backslash are Markdown's hard breaks; we treat every newline as one).
                text.push('\n');
            }
            text.push_str(line.trim_end().trim_end_matches('\\').trim_start());
            self.at += 1;
        }
        Block::Paragraph(inlines(&text, self.streaming))
    }
}

/// Whether a link target may become a link.
pub fn safe_href(href: &str) -> Option<String> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    let safe = ["http://", "https://", "mailto:"].iter().any(|scheme| lower.starts_with(scheme))
        && !href.bytes().any(|b| b.is_ascii_control() || b == b' ' || b == b'"' || b == b'<' || b == b'>');
    safe.then(|| href.to_owned())
}

/// Parses inline markup. With `streaming`, constructs the text ends inside are closed at the
/// end instead of showing their markers.
pub fn inlines(text: &str, streaming: bool) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let flush = |plain: &mut String, out: &mut Vec<Inline>| {
        if !plain.is_empty() {
            out.push(Inline::Text(std::mem::take(plain)));
        }
    };
    while i < bytes.len() {
        let rest = &text[i..];
        let byte = bytes[i];
        if byte == b'\\' && bytes.get(i + 1).is_some_and(|b| b.is_ascii_punctuation()) {
            plain.push(bytes[i + 1] as char);
            i += 2;
        } else if byte == b'\n' {
            flush(&mut plain, &mut out);
            out.push(Inline::Break);
            i += 1;
        } else if byte == b'`' {
            let run = rest.bytes().take_while(|&b| b == b'`').count();
            let ticks = &rest[..run];
            match rest[run..].find(ticks) {
                Some(end) => {
                    flush(&mut plain, &mut out);
                    out.push(Inline::Code(rest[run..run + end].trim().to_owned()));
                    i += run + end + run;
                }
                None if streaming => {
                    flush(&mut plain, &mut out);
                    out.push(Inline::Code(rest[run..].to_owned()));
                    i = bytes.len();
                }
                None => {
                    plain.push_str(ticks);
                    i += run;
                }
            }
        } else if byte == b'*' || byte == b'_' {
            let run = rest.bytes().take_while(|&b| b == byte).count().min(3);
            let marker = &rest[..run];
            // `_` only opens at a word start (snake_case stays text).
            let opens = byte == b'*' || i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
            let after = &rest[run..];
            let closer = if opens && !after.starts_with(' ') { after.find(marker) } else { None };
            match closer {
                Some(end) if end > 0 => {
                    flush(&mut plain, &mut out);
                    out.push(emphasis(run, inlines(&after[..end], streaming)));
                    i += run + end + run;
                }
                None if streaming
                    && opens
                    && !after.is_empty()
                    && !after.contains(byte as char)
                    && !after.starts_with(' ') =>
                {
                    flush(&mut plain, &mut out);
                    out.push(emphasis(run, inlines(after, streaming)));
                    i = bytes.len();
                }
                _ => {
                    plain.push_str(marker);
                    i += run;
                }
            }
        } else if byte == b'[' {
            match link(rest) {
                Some((label, href, used)) => {
                    flush(&mut plain, &mut out);
                    out.push(Inline::Link { href: safe_href(href), children: inlines(label, streaming) });
                    i += used;
                }
                None if streaming && unfinished_link(rest) => {
                    // `[text` or `[text](htt…` at the end of a stream: show the text only.
                    flush(&mut plain, &mut out);
                    let label = rest[1..].split("](").next().unwrap_or_default().trim_end_matches(']');
                    out.extend(inlines(label, streaming));
                    i = bytes.len();
                }
                None => {
                    plain.push('[');
                    i += 1;
                }
            }
        } else if byte == b'<' && rest.find('>').is_some_and(|end| safe_href(&rest[1..end]).is_some()) {
            let end = rest.find('>').unwrap_or(1);
            flush(&mut plain, &mut out);
            let href = &rest[1..end];
            out.push(Inline::Link { href: safe_href(href), children: vec![Inline::Text(href.to_owned())] });
            i += end + 1;
        } else if (rest.starts_with("https://") || rest.starts_with("http://"))
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
        {
            // A bare URL, up to whitespace; trailing punctuation is the sentence's.
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '"']);
            flush(&mut plain, &mut out);
            out.push(Inline::Link { href: safe_href(url), children: vec![Inline::Text(url.to_owned())] });
            i += url.len();
        } else {
            let step = rest.chars().next().map_or(1, char::len_utf8);
            let next = rest[step..]
                .find(['\\', '\n', '`', '*', '_', '[', '<', 'h'])
                .map_or(rest.len(), |n| n + step);
            plain.push_str(&rest[..next]);
            i += next;
        }
    }
    flush(&mut plain, &mut out);
    out
}

fn emphasis(run: usize, children: Vec<Inline>) -> Inline {
    match run {
        1 => Inline::Em(children),
        2 => Inline::Strong(children),
        _ => Inline::Strong(vec![Inline::Em(children)]),
    }
}

/// `[label](href "title")` at the start of `text`: the label, the href and the bytes used.
fn link(text: &str) -> Option<(&str, &str, usize)> {
    let mut depth = 0;
    let close = text.char_indices().find_map(|(at, c)| {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
        None
    })?;
    let rest = text[close + 1..].strip_prefix('(')?;
    // The destination may hold balanced parentheses (`…/wiki/Rust_(language)`).
    let mut open = 0;
    let end = rest.char_indices().find_map(|(at, c)| {
        match c {
            '(' => open += 1,
            ')' if open == 0 => return Some(at),
            ')' => open -= 1,
            _ => {}
        }
        None
    })?;
    let target = rest[..end].trim();
    let href = target.split_once(char::is_whitespace).map_or(target, |(href, _)| href);
    Some((&text[1..close], href.trim_start_matches('<').trim_end_matches('>'), close + 2 + end + 1))
}

fn unfinished_link(text: &str) -> bool {
    !text.contains('\n') && (!text.contains(']') || (text.contains("](") && !text.contains(')')))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text the inlines show, for comparing parses.
    fn plain_text(inlines: &[Inline]) -> String {
        let mut out = String::new();
        for inline in inlines {
            match inline {
                Inline::Text(text) | Inline::Code(text) => out.push_str(text),
                Inline::Strong(children) | Inline::Em(children) | Inline::Link { children, .. } => {
                    out.push_str(&plain_text(children))
                }
                Inline::Break => out.push('\n'),
            }
        }
        out
    }

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn paragraphs_keep_line_breaks_and_escape_nothing_into_html() {
        assert_eq!(
            parse("Hello <b>world</b>\nsecond line", false),
            vec![Block::Paragraph(vec![text("Hello <b>world</b>"), Inline::Break, text("second line")])]
        );
    }

    #[test]
    fn emphasis_code_and_escapes() {
        assert_eq!(
            inlines("**bold**, *it*, ***both*** and `a*b` \\*not\\* snake_case_name", false),
            vec![
                Inline::Strong(vec![text("bold")]),
                text(", "),
                Inline::Em(vec![text("it")]),
                text(", "),
                Inline::Strong(vec![Inline::Em(vec![text("both")])]),
                text(" and "),
                Inline::Code("a*b".into()),
                text(" *not* snake_case_name"),
            ]
        );
    }

    #[test]
    fn only_http_https_and_mailto_links_become_links() {
        let links = inlines("[a](https://x.example/?a=1&b=2) [b](mailto:me@x.example) [c](javascript:alert(1)) [d](/relative)", false);
        let hrefs: Vec<Option<String>> = links
            .iter()
            .filter_map(|inline| match inline {
                Inline::Link { href, .. } => Some(href.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            hrefs,
            vec![Some("https://x.example/?a=1&b=2".into()), Some("mailto:me@x.example".into()), None, None]
        );
        assert_eq!(safe_href(" JAVASCRIPT:alert(1)"), None);
        assert_eq!(safe_href("HTTPS://ok.example"), Some("HTTPS://ok.example".into()));
    }

    #[test]
    fn bare_urls_link_without_their_trailing_punctuation() {
        assert_eq!(
            inlines("see https://example.com/a.", false),
            vec![
                text("see "),
                Inline::Link {
                    href: Some("https://example.com/a".into()),
                    children: vec![text("https://example.com/a")]
                },
                text(".")
            ]
        );
    }

    #[test]
    fn blocks_of_every_kind() {
        let source = "# Title\n\nIntro **text**.\n\n```python\nprint('<b>')\n\nx = 1\n```\n\n1. one\n2. two\n   continued\n\n- a\n  - nested\n- b\n\n> quoted\n> more\n\n| A | B |\n| :--- | ---: |\n| 1 | 2 |\n\n---\n";
        let blocks = parse(source, false);
        assert_eq!(blocks[0], Block::Heading(1, vec![text("Title")]));
        assert_eq!(blocks[2], Block::Code { lang: "python".into(), text: "print('<b>')\n\nx = 1".into() });
        assert_eq!(
            blocks[3],
            Block::List {
                ordered: true,
                start: 1,
                items: vec![
                    vec![Block::Paragraph(vec![text("one")])],
                    vec![Block::Paragraph(vec![text("two"), Inline::Break, text("continued")])]
                ]
            }
        );
        assert!(matches!(&blocks[4], Block::List { ordered: false, items, .. } if items[0].len() == 2));
        assert_eq!(
            blocks[5],
            Block::Quote(vec![Block::Paragraph(vec![text("quoted"), Inline::Break, text("more")])])
        );
        assert_eq!(
            blocks[6],
            Block::Table {
                align: vec![Align::Left, Align::Right],
                head: vec![vec![text("A")], vec![text("B")]],
                rows: vec![vec![vec![text("1")], vec![text("2")]]]
            }
        );
        assert_eq!(blocks[7], Block::Rule);
    }

    #[test]
    fn chunks_split_at_blank_lines_but_never_inside_a_fence() {
        assert_eq!(chunks("a\nb\n\n```\nx\n\ny\n```\n\n\nc"), vec!["a\nb\n", "```\nx\n\ny\n```\n", "c"]);
        // Chunks parse to the same blocks as the whole.
        let source = "# H\n\npara\n\n```\ncode\n\nmore\n```\n\n- x\n- y";
        let joined: Vec<Block> = chunks(source).into_iter().flat_map(|chunk| parse(chunk, false)).collect();
        assert_eq!(joined, parse(source, false));
    }

    #[test]
    fn half_written_constructs_do_not_show_their_syntax_while_streaming() {
        assert_eq!(inlines("see [the docs](https://exa", true), vec![text("see "), text("the docs")]);
        assert_eq!(inlines("see [the do", true), vec![text("see "), text("the do")]);
        assert_eq!(inlines("very **impor", true), vec![text("very "), Inline::Strong(vec![text("impor")])]);
        assert_eq!(inlines("run `cargo te", true), vec![text("run "), Inline::Code("cargo te".into())]);
        assert_eq!(
            parse("```rust\nfn main() {", true),
            vec![Block::Code { lang: "rust".into(), text: "fn main() {".into() }]
        );
        // Finished text is unaffected.
        assert_eq!(inlines("a [b] c", false), vec![text("a [b] c")]);
    }

    #[test]
    fn every_prefix_of_a_rich_reply_parses_while_streaming() {
        let sample = include_str!("../tests/fixtures/markdown-sample.md");
        for (end, _) in sample.char_indices() {
            for chunk in chunks(&sample[..end]) {
                let _ = parse(chunk, true);
            }
        }
        let blocks = parse(sample, false);
        assert!(blocks.iter().any(|b| matches!(b, Block::Table { .. })));
        assert!(blocks.iter().any(|b| matches!(b, Block::Code { lang, .. } if lang == "python")));
    }

    #[test]
    fn the_javascript_link_in_the_captured_reply_stays_text() {
        let sample = include_str!("../tests/fixtures/markdown-sample.md");
        fn links(blocks: &[Block], out: &mut Vec<(Option<String>, String)>) {
            fn walk(inlines: &[Inline], out: &mut Vec<(Option<String>, String)>) {
                for inline in inlines {
                    match inline {
                        Inline::Link { href, children } => out.push((href.clone(), plain_text(children))),
                        Inline::Strong(c) | Inline::Em(c) => walk(c, out),
                        _ => {}
                    }
                }
            }
            for block in blocks {
                match block {
                    Block::Paragraph(i) | Block::Heading(_, i) => walk(i, out),
                    Block::Quote(b) => links(b, out),
                    Block::List { items, .. } => items.iter().for_each(|item| links(item, out)),
                    _ => {}
                }
            }
        }
        let mut found = Vec::new();
        links(&parse(sample, false), &mut found);
        assert!(found.contains(&(None, "click me".into())), "{found:?}");
        assert!(found.contains(&(Some("https://example.com/docs?a=1&b=2".into()), "Orcheo docs".into())));
        assert!(found.contains(&(Some("mailto:team@example.com".into()), "mail us".into())));
    }

    #[test]
    fn arbitrary_input_never_panics() {
        let alphabet: Vec<char> = "ab *_`[]()<>#|:-\\\n>1.é日😀htps:/".chars().collect();
        let mut seed: u64 = 0x5eed;
        for _ in 0..3000 {
            let len = (seed >> 33) as usize % 40;
            let text: String = (0..len)
                .map(|_| {
                    seed =
                        seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            for chunk in chunks(&text) {
                let _ = parse(chunk, true);
                let _ = parse(chunk, false);
            }
        }
    }

    #[test]
    fn link_targets_may_hold_balanced_parentheses() {
        assert_eq!(
            inlines("[Rust](https://en.wikipedia.org/wiki/Rust_(language)) rocks", false),
            vec![
                Inline::Link {
                    href: Some("https://en.wikipedia.org/wiki/Rust_(language)".into()),
                    children: vec![text("Rust")]
                },
                text(" rocks")
            ]
        );
    }
}
