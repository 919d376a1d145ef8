//! ChatKit widgets as a typed view model: a widget item's JSON becomes a tree of [`Node`]s, each
//! a component ([`Kind`]) with its props parsed and clamped, its look as CSS declarations and
//! `data-` tokens, and its actions parsed ([`action`]). The browser layer only draws the tree.
//!
//! The catalogue is openai-chatkit 1.6.5's `chatkit/widgets.py` and `@openai/chatkit` 1.9.0's
//! `widgets.d.ts`: Card, ListView, ListViewItem, Basic, Box, Row, Col, Form, Transition, Spacer,
//! Divider, Text, Title, Caption, Markdown, Label, Badge, Icon, Image, Button, Input, Textarea,
//! Select, DatePicker, Checkbox, RadioGroup, Chart, Table (with Table.Row and Table.Cell).
//!
//! Widget JSON comes from the server: nothing here trusts it. A tree deeper than [`MAX_DEPTH`]
//! or larger than [`MAX_NODES`] stops there; a prop of the wrong type is left out; raw CSS
//! passes [`style::safe_css`]; every text stays text. An unknown component still shows its
//! children, and unknown components and props are listed ([`Widget::unknown`]) so the glue can
//! warn once for each.

pub mod action;
pub mod chart;
pub mod icons;
pub mod style;

use std::cell::RefCell;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::widget::action::Action;
use crate::widget::chart::Chart;
use crate::widget::style::{
    as_number, color, length, number, plain, radius, sides, spacing, ColorRole, Paint,
};

/// Deepest nesting of components drawn.
pub const MAX_DEPTH: usize = 24;
/// Most components drawn from one widget.
pub const MAX_NODES: usize = 1_000;
/// Most options of a Select or RadioGroup, rows of a ListView, points of a chart series.
pub const MAX_ITEMS: usize = 500;

/// A parsed widget.
#[derive(Clone, Debug, PartialEq)]
pub struct Widget {
    /// The root component (Card, ListView or Basic; anything else is drawn too).
    pub root: Node,
    /// Unknown component types (`"Carousel"`) and props (`"Text.glow"`), each once.
    pub unknown: Vec<String>,
}

/// One component.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What it is, with what only it has.
    pub kind: Kind,
    /// Its `id` (streaming updates address it).
    pub id: Option<String>,
    /// Its `key` (a stable identity among its siblings).
    pub key: Option<String>,
    /// Its base class (`w-card`, `w-text`, …).
    pub class: &'static str,
    /// `data-` attributes the stylesheet keys on (`("size", "sm")`, `("color", "danger")`).
    pub data: Vec<(&'static str, String)>,
    /// CSS declarations, set one property at a time.
    pub style: Vec<(&'static str, Paint)>,
    /// Its children (shared: the glue keeps a list's rows to draw them later without copying).
    pub children: Arc<[Node]>,
}

/// The components, with what each needs beyond its class, tokens and style.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// `Card`: a surface; with `asForm` a form whose `confirm` action carries its fields.
    Card(Box<Card>),
    /// `ListView`: rows, the first `limit` shown until "Show more".
    ListView {
        /// Rows shown before "Show more".
        limit: Option<usize>,
        /// A status line above it.
        status: Option<Status>,
    },
    /// `ListViewItem`: a row; clickable with an action.
    ListViewItem {
        /// Sent on a click.
        action: Option<Action>,
    },
    /// `Box`, `Row`, `Col`, `Basic` and `Form`: a flex container (`Form` with its submit
    /// action).
    Container {
        /// A form, with its `onSubmitAction` if it has one.
        form: Option<Option<Action>>,
    },
    /// `Transition`: its one child, faded in when it changes.
    Transition,
    /// `Spacer`: pushes its siblings apart.
    Spacer,
    /// `Divider`.
    Divider,
    /// `Text`, `Title`, `Caption`, and `Text` with `editable` (then a field).
    Text {
        /// The text.
        value: String,
        /// An editable text's field.
        editable: Option<Field>,
    },
    /// `Label`: a `<label>` for a field.
    Label {
        /// The text.
        value: String,
        /// The field's `name`.
        field: String,
    },
    /// `Markdown`: the reply renderer's markdown.
    Markdown {
        /// The markdown.
        value: String,
    },
    /// `Badge`.
    Badge {
        /// Its text.
        label: String,
    },
    /// `Icon`.
    Icon {
        /// The icon, when it is one the widget draws.
        name: Option<&'static str>,
    },
    /// `Image`: drawn under the embed's image policy.
    Image {
        /// The address.
        src: String,
        /// Its description.
        alt: String,
    },
    /// `Button`.
    Button(Box<Button>),
    /// `Input`.
    Input {
        /// The field.
        field: Field,
        /// Its `type` attribute.
        input_type: &'static str,
    },
    /// `Textarea`.
    Textarea {
        /// The field.
        field: Field,
        /// Rows shown at first.
        rows: u32,
        /// Grows with its text up to this many rows (`autoResize`).
        max_rows: Option<u32>,
    },
    /// `Select`.
    Select {
        /// The field.
        field: Field,
        /// Its options.
        options: Vec<Choice>,
        /// Sent when the value changes.
        action: Option<Action>,
    },
    /// `DatePicker`: a date field (`YYYY-MM-DD`).
    DatePicker {
        /// The field (its default a date).
        field: Field,
        /// Earliest date allowed.
        min: Option<String>,
        /// Latest date allowed.
        max: Option<String>,
        /// Sent when the date changes.
        action: Option<Action>,
    },
    /// `Checkbox`.
    Checkbox {
        /// The field.
        field: Field,
        /// Its label.
        label: String,
        /// Checked at first.
        checked: bool,
        /// Sent when it is ticked or cleared.
        action: Option<Action>,
    },
    /// `RadioGroup`.
    RadioGroup {
        /// The field.
        field: Field,
        /// Its choices.
        options: Vec<Choice>,
        /// Its accessible name.
        label: String,
        /// Sent when the choice changes.
        action: Option<Action>,
    },
    /// `Chart`.
    Chart(Box<Chart>),
    /// `Table`.
    Table,
    /// `Table.Row`.
    TableRow {
        /// A header row (its cells are `<th>`).
        header: bool,
    },
    /// `Table.Cell`.
    TableCell {
        /// Columns it spans.
        col_span: u32,
        /// Rows it spans.
        row_span: u32,
    },
    /// A component this widget does not know: its children are drawn.
    Unknown(String),
}

/// A Card's parts.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// `asForm`: its fields go with `confirm`.
    pub form: bool,
    /// The confirm button.
    pub confirm: Option<CardAction>,
    /// The cancel button.
    pub cancel: Option<CardAction>,
    /// A status line above it.
    pub status: Option<Status>,
    /// Its body folds away (its main action has run).
    pub collapsed: bool,
}

/// A button in a card's footer.
#[derive(Clone, Debug, PartialEq)]
pub struct CardAction {
    /// Its label.
    pub label: String,
    /// What it sends.
    pub action: Action,
}

/// A status line (`{text, icon}` or `{text, favicon, frame}`).
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// Its text.
    pub text: String,
    /// An icon before it.
    pub icon: Option<&'static str>,
    /// A favicon address before it (drawn under the image policy).
    pub favicon: Option<String>,
    /// A frame around the favicon.
    pub frame: bool,
}

/// A Button's parts.
#[derive(Clone, Debug, PartialEq)]
pub struct Button {
    /// Its label (may be empty: an icon-only button).
    pub label: String,
    /// An icon before the label.
    pub icon_start: Option<&'static str>,
    /// An icon after the label.
    pub icon_end: Option<&'static str>,
    /// Its icon size, px.
    pub icon_px: u32,
    /// What it sends.
    pub action: Option<Action>,
    /// Submits its form.
    pub submit: bool,
    /// Cannot be pressed.
    pub disabled: bool,
}

/// A form field's common props.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Field {
    /// Its `name` (its key in the form's values; dots nest).
    pub name: String,
    /// Its first value.
    pub default: String,
    /// Placeholder text.
    pub placeholder: String,
    /// Must be filled before the form goes.
    pub required: bool,
    /// A pattern its value must match.
    pub pattern: Option<String>,
    /// Cannot be changed.
    pub disabled: bool,
    /// Takes focus when drawn.
    pub auto_focus: bool,
}

/// An option of a Select or RadioGroup.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// Its value.
    pub value: String,
    /// Its label.
    pub label: String,
    /// Cannot be chosen.
    pub disabled: bool,
    /// Secondary text (Select).
    pub description: Option<String>,
}

/// A JSON value as text: strings as they are, numbers printed (`3.5`), anything else empty.
pub fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(integer) => integer.to_string(),
            None => n.as_f64().map(number).unwrap_or_default(),
        },
        Some(Value::Bool(flag)) => flag.to_string(),
        _ => String::new(),
    }
}

/// The texts of an item's JSON (its `title`, `value`, `label`, `content` and `question`
/// strings, in order, one per line), without parsing it: what the panel shows of a widget,
/// task, workflow or question until the widget stage has loaded.
pub fn json_text(value: &Value) -> String {
    fn walk(value: &Value, depth: usize, out: &mut String) {
        if depth > MAX_DEPTH || out.len() > 4_000 {
            return;
        }
        match value {
            Value::Object(fields) => {
                for key in ["title", "title_query", "value", "label", "content", "question"] {
                    if let Some(text) =
                        fields.get(key).and_then(Value::as_str).map(str::trim).filter(|text| !text.is_empty())
                    {
                        if !out.is_empty() {
                            out.push('\n');
                        }
                        out.push_str(text);
                    }
                }
                for key in ["children", "tasks", "inputs", "task"] {
                    if let Some(inner) = fields.get(key) {
                        walk(inner, depth + 1, out);
                    }
                }
            }
            Value::Array(list) => list.iter().for_each(|child| walk(child, depth + 1, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    walk(value, 0, &mut out);
    out
}

/// A component's props, remembering which were read (the rest are unknown).
struct Props<'a> {
    fields: &'a Map<String, Value>,
    read: RefCell<Vec<&'static str>>,
}

impl<'a> Props<'a> {
    fn new(fields: &'a Map<String, Value>) -> Self {
        Self { fields, read: RefCell::new(Vec::new()) }
    }

    fn get(&self, key: &'static str) -> Option<&'a Value> {
        if let Ok(mut read) = self.read.try_borrow_mut() {
            read.push(key);
        }
        self.fields.get(key).filter(|value| !value.is_null())
    }

    /// Marks props that are known but change nothing here.
    fn known(&self, keys: &[&'static str]) {
        if let Ok(mut read) = self.read.try_borrow_mut() {
            read.extend_from_slice(keys);
        }
    }

    fn text(&self, key: &'static str) -> String {
        text_of(self.get(key))
    }

    fn token(&self, key: &'static str) -> Option<&'a str> {
        self.get(key).and_then(Value::as_str)
    }

    fn flag(&self, key: &'static str) -> bool {
        self.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    fn count(&self, key: &'static str, max: u32) -> Option<u32> {
        self.get(key).and_then(as_number).filter(|n| *n >= 0.0).map(|n| n.min(f64::from(max)) as u32)
    }

    fn action(&self, key: &'static str) -> Option<Action> {
        self.get(key).and_then(Action::parse)
    }

    fn unknown(&self, kind: &str, out: &mut Vec<String>) {
        let read = self.read.try_borrow().map(|read| read.clone()).unwrap_or_default();
        for key in self.fields.keys() {
            if !matches!(key.as_str(), "type" | "children" | "id" | "key") && !read.contains(&key.as_str()) {
                note(out, format!("{kind}.{key}"));
            }
        }
    }
}

fn note(out: &mut Vec<String>, what: String) {
    if out.len() < 100 && !out.contains(&what) {
        out.push(what);
    }
}

/// CSS declarations under construction.
#[derive(Default)]
struct Css(Vec<(&'static str, Paint)>);

impl Css {
    fn set(&mut self, property: &'static str, value: Option<String>) {
        if let Some(value) = value {
            self.0.push((property, Paint::Css(value)));
        }
    }

    fn fixed(&mut self, property: &'static str, value: &str) {
        self.0.push((property, Paint::Css(value.to_owned())));
    }

    fn paint(&mut self, property: &'static str, value: Option<Paint>) {
        if let Some(value) = value {
            self.0.push((property, value));
        }
    }
}

/// `(font px, line px)` of the text size tokens.
fn text_size(kind: &str, token: Option<&str>) -> (u32, u32) {
    match (kind, token.unwrap_or("md")) {
        ("Caption", "sm") => (12, 16),
        ("Caption", "lg") => (14, 20),
        ("Caption", _) => (13, 18),
        ("Title", "xs") => (15, 22),
        ("Title", "sm") => (16, 22),
        ("Title", "lg") => (20, 28),
        ("Title", "xl") => (24, 32),
        ("Title", "2xl") => (28, 36),
        ("Title", "3xl") => (32, 40),
        ("Title", "4xl") => (40, 48),
        ("Title", "5xl") => (48, 56),
        ("Title", _) => (18, 26),
        (_, "xs") => (12, 18),
        (_, "sm") => (14, 20),
        (_, "lg") => (17, 26),
        (_, "xl") => (20, 28),
        _ => (15, 22),
    }
}

/// Icon sizes (`xs` … `3xl`), px.
pub fn icon_px(token: Option<&str>) -> u32 {
    match token.unwrap_or("md") {
        "xs" => 12,
        "sm" => 14,
        "lg" => 20,
        "xl" => 24,
        "2xl" => 28,
        "3xl" => 32,
        _ => 16,
    }
}

/// A control size token (`3xs` … `3xl`): `(height, gutter, font, radius)` in px.
fn control(token: Option<&str>) -> (u32, u32, u32, u32) {
    match token.unwrap_or("md") {
        "3xs" => (22, 6, 12, 6),
        "2xs" => (24, 8, 12, 6),
        "xs" => (26, 8, 13, 6),
        "sm" => (28, 10, 14, 6),
        "lg" => (36, 12, 14, 8),
        "xl" => (40, 14, 15, 10),
        "2xl" => (44, 14, 16, 12),
        "3xl" => (48, 16, 16, 12),
        _ => (32, 12, 14, 8),
    }
}

fn flex_align(token: &str) -> Option<&'static str> {
    Some(match token {
        "start" => "flex-start",
        "center" => "center",
        "end" => "flex-end",
        "baseline" => "baseline",
        "stretch" => "stretch",
        _ => return None,
    })
}

fn flex_justify(token: &str) -> Option<&'static str> {
    Some(match token {
        "between" => "space-between",
        "around" => "space-around",
        "evenly" => "space-evenly",
        other => return flex_align(other).filter(|value| *value != "baseline"),
    })
}

fn one_of<'a>(token: Option<&str>, allowed: &[&'a str]) -> Option<&'a str> {
    let token = token?;
    allowed.iter().find(|allowed| **allowed == token).copied()
}

/// The sizing props every block has (`width`, `height`, `size`, `min*`, `max*`,
/// `aspectRatio`, `radius`, `margin`).
fn block(props: &Props, css: &mut Css) {
    let pairs: [(&'static str, &'static str, &'static str); 3] = [
        ("width", "height", "size"),
        ("minWidth", "minHeight", "minSize"),
        ("maxWidth", "maxHeight", "maxSize"),
    ];
    let properties = [("width", "height"), ("min-width", "min-height"), ("max-width", "max-height")];
    for ((width, height, both), (css_width, css_height)) in pairs.iter().zip(properties) {
        let both = props.get(both).and_then(length);
        css.set(css_width, props.get(width).and_then(length).or_else(|| both.clone()));
        css.set(css_height, props.get(height).and_then(length).or(both));
    }
    css.set("aspect-ratio", props.get("aspectRatio").and_then(plain));
    css.set("border-radius", props.token("radius").and_then(radius).map(str::to_owned));
    if let Some(margin) = props.get("margin") {
        for (side, value) in sides(margin) {
            css.set(margin_property(side), Some(value));
        }
    }
}

fn margin_property(side: &str) -> &'static str {
    match side {
        "top" => "margin-top",
        "right" => "margin-right",
        "bottom" => "margin-bottom",
        _ => "margin-left",
    }
}

fn padding_property(side: &str) -> &'static str {
    match side {
        "top" => "padding-top",
        "right" => "padding-right",
        "bottom" => "padding-bottom",
        _ => "padding-left",
    }
}

/// A border: a width in px, `{size, color, style}`, or per side `{top, right, …, x, y}`.
fn border(value: &Value, css: &mut Css) {
    let one = |value: &Value| -> Option<(String, Paint, &'static str)> {
        match value {
            Value::Number(_) => Some((length(value)?, Paint::Css("var(--w-border)".into()), "solid")),
            Value::Object(fields) => {
                let width = fields.get("size").and_then(length)?;
                let paint = fields
                    .get("color")
                    .and_then(|value| color(value, ColorRole::Border))
                    .unwrap_or_else(|| Paint::Css("var(--w-border)".into()));
                let style = one_of(
                    fields.get("style").and_then(Value::as_str),
                    &["solid", "dashed", "dotted", "double", "groove", "ridge", "inset", "outset"],
                )
                .unwrap_or("solid");
                Some((width, paint, style))
            }
            _ => None,
        }
    };
    let sides: Vec<(&'static str, (String, Paint, &'static str))> = match one(value) {
        Some(all) => ["top", "right", "bottom", "left"].iter().map(|side| (*side, all.clone())).collect(),
        None => {
            let Some(fields) = value.as_object() else { return };
            [("top", "y"), ("right", "x"), ("bottom", "y"), ("left", "x")]
                .iter()
                .filter_map(|(side, axis)| {
                    fields.get(*side).or_else(|| fields.get(*axis)).and_then(one).map(|found| (*side, found))
                })
                .collect()
        }
    };
    for (side, (width, paint, style)) in sides {
        let (w, c, s) = match side {
            "top" => ("border-top-width", "border-top-color", "border-top-style"),
            "right" => ("border-right-width", "border-right-color", "border-right-style"),
            "bottom" => ("border-bottom-width", "border-bottom-color", "border-bottom-style"),
            _ => ("border-left-width", "border-left-color", "border-left-style"),
        };
        css.set(w, Some(width));
        css.paint(c, Some(paint));
        css.fixed(s, style);
    }
}

/// The props of every flex container: alignment, gap, padding, border, background, flex.
fn container(props: &Props, css: &mut Css) {
    css.set("align-items", props.token("align").and_then(flex_align).map(str::to_owned));
    css.set("justify-content", props.token("justify").and_then(flex_justify).map(str::to_owned));
    css.set("flex-wrap", one_of(props.token("wrap"), &["nowrap", "wrap", "wrap-reverse"]).map(str::to_owned));
    css.set("flex", props.get("flex").and_then(plain));
    css.set("gap", props.get("gap").and_then(spacing));
    if let Some(padding) = props.get("padding") {
        for (side, value) in sides(padding) {
            css.set(padding_property(side), Some(value));
        }
    }
    if let Some(value) = props.get("border") {
        border(value, css);
    }
    css.paint("background", props.get("background").and_then(|value| color(value, ColorRole::Surface)));
    block(props, css);
}

/// Text styling: colour, weight, alignment, truncation, line clamps.
fn text_style(props: &Props, kind: &str, css: &mut Css) {
    let (font, line) = text_size(kind, props.token("size"));
    css.set("font-size", Some(format!("{font}px")));
    css.set("line-height", Some(format!("{line}px")));
    css.paint("color", props.get("color").and_then(|value| color(value, ColorRole::Text)));
    let weight = match props.token("weight") {
        Some("normal") => Some("400"),
        Some("medium") => Some("500"),
        Some("semibold") => Some("600"),
        Some("bold") => Some("700"),
        _ => None,
    };
    css.set("font-weight", weight.map(str::to_owned));
    css.set("text-align", one_of(props.token("textAlign"), &["start", "center", "end"]).map(str::to_owned));
    if props.flag("truncate") {
        css.fixed("white-space", "nowrap");
        css.fixed("overflow", "hidden");
        css.fixed("text-overflow", "ellipsis");
    }
    if let Some(lines) = props.count("maxLines", 100).filter(|lines| *lines > 0) {
        css.fixed("display", "-webkit-box");
        css.fixed("-webkit-box-orient", "vertical");
        css.set("-webkit-line-clamp", Some(lines.to_string()));
        css.fixed("overflow", "hidden");
    }
    if let Some(lines) = props.count("minLines", 100) {
        css.set("min-height", Some(format!("{}px", lines * line)));
    }
}

/// A status line.
fn status(value: Option<&Value>) -> Option<Status> {
    let fields = value?.as_object()?;
    let text = text_of(fields.get("text"));
    let icon = fields.get("icon").and_then(Value::as_str).and_then(icons::lookup);
    let favicon = fields.get("favicon").and_then(Value::as_str).map(str::to_owned);
    let frame = fields.get("frame").and_then(Value::as_bool).unwrap_or(false);
    (!text.is_empty() || icon.is_some() || favicon.is_some()).then_some(Status { text, icon, favicon, frame })
}

/// A field's common props.
fn field(props: &Props) -> Field {
    props.known(&["autoSelect", "allowAutofillExtensions", "autoComplete"]);
    Field {
        name: props.text("name"),
        default: props.text("defaultValue"),
        placeholder: props.text("placeholder"),
        required: props.flag("required"),
        pattern: props
            .token("pattern")
            .filter(|pattern| !pattern.is_empty() && pattern.len() <= 500)
            .map(str::to_owned),
        disabled: props.flag("disabled"),
        auto_focus: props.flag("autoFocus"),
    }
}

/// Options of a Select or RadioGroup.
fn choices(props: &Props) -> Vec<Choice> {
    let list = props.get("options").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    list.iter()
        .take(MAX_ITEMS)
        .filter_map(|option| {
            let option = option.as_object()?;
            let value = text_of(option.get("value"));
            let label = Some(text_of(option.get("label")))
                .filter(|label| !label.is_empty())
                .unwrap_or_else(|| value.clone());
            Some(Choice {
                value,
                label,
                disabled: option.get("disabled").and_then(Value::as_bool).unwrap_or(false),
                description: option.get("description").and_then(Value::as_str).map(str::to_owned),
            })
        })
        .collect()
}

/// A date from ChatKit's ISO datetime (the Python SDK sends `2025-01-31T00:00:00`): its
/// `YYYY-MM-DD`, or `None`.
pub fn date_part(value: &str) -> Option<String> {
    let head = value.get(..10)?;
    let bytes = head.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    (digits(0..4) && bytes[4] == b'-' && digits(5..7) && bytes[7] == b'-' && digits(8..10))
        .then(|| head.to_owned())
}

/// Control styling shared by inputs, selects and date pickers: size, gutter, variant, pill,
/// block.
fn control_style(props: &Props, css: &mut Css, data: &mut Vec<(&'static str, String)>, default_block: bool) {
    let (height, gutter, font, corner) = control(props.token("size"));
    let gutter = match props.token("gutterSize") {
        Some("2xs") => 6,
        Some("xs") => 8,
        Some("sm") => 10,
        Some("md") => 12,
        Some("lg") => 14,
        Some("xl") => 16,
        _ => gutter,
    };
    css.set("min-height", Some(format!("{height}px")));
    css.set("padding-inline", Some(format!("{gutter}px")));
    css.set("font-size", Some(format!("{font}px")));
    let pill = props.flag("pill");
    css.set("border-radius", Some(if pill { "9999px".to_owned() } else { format!("{corner}px") }));
    let variant = one_of(props.token("variant"), &["soft", "outline", "solid", "ghost"]).unwrap_or("outline");
    data.push(("variant", variant.to_owned()));
    let wide = props.get("block").and_then(Value::as_bool).unwrap_or(default_block);
    css.fixed(if wide { "width" } else { "align-self" }, if wide { "100%" } else { "flex-start" });
}

/// Parses widget JSON. Anything at all comes back as a tree (a root that is not an object is
/// an empty `Unknown`).
pub fn parse(value: &Value) -> Widget {
    let mut parser = Parser { nodes: 0, unknown: Vec::new() };
    let root = parser.node(value, 0).unwrap_or_else(|| Node::bare(Kind::Unknown(String::new()), "w-box"));
    Widget { root, unknown: parser.unknown }
}

impl Node {
    fn bare(kind: Kind, class: &'static str) -> Self {
        Node {
            kind,
            id: None,
            key: None,
            class,
            data: Vec::new(),
            style: Vec::new(),
            children: Arc::from([]),
        }
    }
}

struct Parser {
    nodes: usize,
    unknown: Vec<String>,
}

impl Parser {
    fn children(&mut self, value: Option<&Value>, depth: usize) -> Vec<Node> {
        match value {
            // `Transition` and dynamic widgets may have one child rather than a list.
            Some(child @ Value::Object(_)) => self.node(child, depth + 1).into_iter().collect(),
            Some(Value::Array(list)) => list.iter().filter_map(|child| self.node(child, depth + 1)).collect(),
            _ => Vec::new(),
        }
    }

    fn node(&mut self, value: &Value, depth: usize) -> Option<Node> {
        if depth >= MAX_DEPTH || self.nodes >= MAX_NODES {
            return None;
        }
        let fields = value.as_object()?;
        let kind = fields.get("type").and_then(Value::as_str)?;
        self.nodes += 1;
        let props = Props::new(fields);
        let mut css = Css::default();
        let mut data = Vec::new();
        let mut children = self.children(fields.get("children"), depth);
        let (kind_of, class) = match kind {
            "Card" => {
                container(&props, &mut css);
                let size = one_of(props.token("size"), &["sm", "md", "lg", "full"]).unwrap_or("md");
                data.push(("size", size.to_owned()));
                if let Some(theme) = one_of(props.token("theme"), &["light", "dark"]) {
                    data.push(("theme", theme.to_owned()));
                }
                let card_action = |key: &'static str| {
                    let value = props.get(key)?;
                    Some(CardAction {
                        label: text_of(value.get("label")),
                        action: Action::parse(value.get("action")?)?,
                    })
                };
                let card = Card {
                    form: props.flag("asForm"),
                    confirm: card_action("confirm"),
                    cancel: card_action("cancel"),
                    status: status(props.get("status")),
                    collapsed: props.flag("collapsed"),
                };
                (Kind::Card(Box::new(card)), "w-card")
            }
            "ListView" => {
                if let Some(theme) = one_of(props.token("theme"), &["light", "dark"]) {
                    data.push(("theme", theme.to_owned()));
                }
                children.truncate(MAX_ITEMS);
                let limit = props.count("limit", MAX_ITEMS as u32).map(|n| n.max(1) as usize);
                (Kind::ListView { limit, status: status(props.get("status")) }, "w-list")
            }
            "ListViewItem" => {
                container(&props, &mut css);
                (Kind::ListViewItem { action: props.action("onClickAction") }, "w-item")
            }
            "Box" | "Row" | "Col" | "Basic" | "Form" => {
                container(&props, &mut css);
                let row = match kind {
                    "Row" => true,
                    "Col" => false,
                    _ => props.token("direction") == Some("row"),
                };
                css.fixed("flex-direction", if row { "row" } else { "column" });
                data.push(("dir", if row { "row" } else { "col" }.to_owned()));
                if row && props.get("align").is_none() {
                    css.fixed("align-items", "center");
                }
                if kind == "Basic" {
                    if let Some(theme) = one_of(props.token("theme"), &["light", "dark"]) {
                        data.push(("theme", theme.to_owned()));
                    }
                }
                let form = (kind == "Form").then(|| props.action("onSubmitAction"));
                (Kind::Container { form }, "w-box")
            }
            "Transition" => (Kind::Transition, "w-transition"),
            "Spacer" => {
                css.set("flex-basis", props.get("minSize").and_then(length));
                (Kind::Spacer, "w-spacer")
            }
            "Divider" => {
                css.paint(
                    "border-top-color",
                    props.get("color").and_then(|value| color(value, ColorRole::Border)),
                );
                css.set("border-top-width", props.get("size").and_then(length));
                if let Some(gap) = props.get("spacing").and_then(spacing) {
                    css.set("margin-top", Some(gap.clone()));
                    css.set("margin-bottom", Some(gap));
                }
                if props.flag("flush") {
                    data.push(("flush", String::new()));
                }
                (Kind::Divider, "w-divider")
            }
            "Text" | "Title" | "Caption" => {
                text_style(&props, kind, &mut css);
                props.known(&["streaming"]);
                if kind == "Text" {
                    if props.flag("italic") {
                        css.fixed("font-style", "italic");
                    }
                    if props.flag("lineThrough") {
                        css.fixed("text-decoration", "line-through");
                    }
                    css.set("width", props.get("width").and_then(length));
                }
                let editable = props
                    .get("editable")
                    .and_then(Value::as_object)
                    .map(|editable| field(&Props::new(editable)));
                let class = match kind {
                    "Title" => "w-title",
                    "Caption" => "w-caption",
                    _ => "w-text",
                };
                (Kind::Text { value: props.text("value"), editable }, class)
            }
            "Label" => {
                text_style(&props, kind, &mut css);
                (Kind::Label { value: props.text("value"), field: props.text("fieldName") }, "w-label")
            }
            "Markdown" => {
                props.known(&["streaming"]);
                (Kind::Markdown { value: props.text("value") }, "w-markdown markdown")
            }
            "Badge" => {
                let color_token = one_of(
                    props.token("color"),
                    &["secondary", "success", "danger", "warning", "info", "discovery"],
                );
                data.push(("color", color_token.unwrap_or("secondary").to_owned()));
                let variant = one_of(props.token("variant"), &["solid", "soft", "outline"]).unwrap_or("soft");
                data.push(("variant", variant.to_owned()));
                let (height, gutter, font, corner) = match props.token("size") {
                    Some("md") => (22, 6, 14, 4),
                    Some("lg") => (24, 8, 14, 6),
                    _ => (20, 6, 12, 4),
                };
                css.set("height", Some(format!("{height}px")));
                css.set("padding-inline", Some(format!("{gutter}px")));
                css.set("font-size", Some(format!("{font}px")));
                let pill = props.flag("pill");
                css.set(
                    "border-radius",
                    Some(if pill { "9999px".to_owned() } else { format!("{corner}px") }),
                );
                (Kind::Badge { label: props.text("label") }, "w-badge")
            }
            "Icon" => {
                let px = icon_px(props.token("size"));
                css.set("width", Some(format!("{px}px")));
                css.set("height", Some(format!("{px}px")));
                css.paint("color", props.get("color").and_then(|value| color(value, ColorRole::Text)));
                (Kind::Icon { name: props.token("name").and_then(icons::lookup) }, "w-icon")
            }
            "Image" => {
                block(&props, &mut css);
                css.set(
                    "object-fit",
                    one_of(props.token("fit"), &["cover", "contain", "fill", "scale-down", "none"])
                        .map(str::to_owned),
                );
                css.set(
                    "object-position",
                    one_of(
                        props.token("position"),
                        &[
                            "top left",
                            "top",
                            "top right",
                            "left",
                            "center",
                            "right",
                            "bottom left",
                            "bottom",
                            "bottom right",
                        ],
                    )
                    .map(str::to_owned),
                );
                css.paint(
                    "background",
                    props.get("background").and_then(|value| color(value, ColorRole::Surface)),
                );
                css.set("flex", props.get("flex").and_then(plain));
                if props.flag("frame") {
                    data.push(("frame", String::new()));
                }
                if props.flag("flush") {
                    data.push(("flush", String::new()));
                }
                (Kind::Image { src: props.text("src"), alt: props.text("alt") }, "w-image")
            }
            "Button" => {
                let (style_color, style_variant) = match props.token("style") {
                    Some("secondary") => ("secondary", "outline"),
                    _ => ("primary", "solid"),
                };
                let color_token = one_of(
                    props.token("color"),
                    &["primary", "secondary", "info", "discovery", "success", "caution", "warning", "danger"],
                )
                .unwrap_or(style_color);
                data.push(("color", color_token.to_owned()));
                let variant = one_of(props.token("variant"), &["solid", "soft", "outline", "ghost"])
                    .unwrap_or(style_variant);
                data.push(("variant", variant.to_owned()));
                let (height, gutter, font, _) = control(props.token("size"));
                css.set("min-height", Some(format!("{height}px")));
                let label = props.text("label");
                let uniform = props.flag("uniform") || label.is_empty();
                if uniform {
                    css.set("min-width", Some(format!("{height}px")));
                    css.fixed("padding-inline", "0");
                } else {
                    css.set("padding-inline", Some(format!("{}px", gutter + 2)));
                }
                css.set("font-size", Some(format!("{font}px")));
                let pill = props.get("pill").and_then(Value::as_bool).unwrap_or(true);
                if !pill {
                    css.set("border-radius", Some(format!("{}px", control(props.token("size")).3)));
                }
                if props.flag("block") {
                    data.push(("block", String::new()));
                }
                let icon_px = match props.token("iconSize") {
                    Some("sm") => 14,
                    Some("lg") => 18,
                    Some("xl") => 20,
                    Some("2xl") => 24,
                    _ => 16,
                };
                let button = Button {
                    label,
                    icon_start: props.token("iconStart").and_then(icons::lookup),
                    icon_end: props.token("iconEnd").and_then(icons::lookup),
                    icon_px,
                    action: props.action("onClickAction").or_else(|| props.action("action")),
                    submit: props.flag("submit"),
                    disabled: props.flag("disabled"),
                };
                (Kind::Button(Box::new(button)), "w-button")
            }
            "Input" => {
                control_style(&props, &mut css, &mut data, true);
                let input_type =
                    one_of(props.token("inputType"), &["number", "email", "text", "password", "tel", "url"])
                        .unwrap_or("text");
                (Kind::Input { field: field(&props), input_type }, "w-input")
            }
            "Textarea" => {
                control_style(&props, &mut css, &mut data, true);
                css.0.retain(|(property, _)| *property != "min-height");
                css.fixed("padding-block", "6px");
                let rows = props.count("rows", 30).filter(|rows| *rows > 0).unwrap_or(3);
                let max_rows =
                    props.flag("autoResize").then(|| props.count("maxRows", 60).unwrap_or(rows.max(10)));
                (Kind::Textarea { field: field(&props), rows, max_rows }, "w-textarea")
            }
            "Select" => {
                control_style(&props, &mut css, &mut data, true);
                props.known(&["clearable", "searchable"]);
                (
                    Kind::Select {
                        field: field(&props),
                        options: choices(&props),
                        action: props.action("onChangeAction"),
                    },
                    "w-select",
                )
            }
            "DatePicker" => {
                control_style(&props, &mut css, &mut data, false);
                props.known(&["side", "align", "clearable"]);
                let mut date = field(&props);
                date.default = date_part(&date.default).unwrap_or_default();
                let bound = |key| props.token(key).and_then(date_part);
                (
                    Kind::DatePicker {
                        field: date,
                        min: bound("min"),
                        max: bound("max"),
                        action: props.action("onChangeAction"),
                    },
                    "w-date",
                )
            }
            "Checkbox" => {
                let checked = match props.get("defaultChecked") {
                    Some(Value::Bool(flag)) => *flag,
                    // Before 1.3 the Python SDK sent a string.
                    Some(Value::String(text)) => text == "true",
                    _ => false,
                };
                (
                    Kind::Checkbox {
                        field: field(&props),
                        label: props.text("label"),
                        checked,
                        action: props.action("onChangeAction"),
                    },
                    "w-checkbox",
                )
            }
            "RadioGroup" => {
                if props.token("direction") == Some("row") {
                    css.fixed("flex-direction", "row");
                }
                let field = field(&props);
                let label = Some(props.text("ariaLabel"))
                    .filter(|label| !label.is_empty())
                    .unwrap_or_else(|| field.name.clone());
                (
                    Kind::RadioGroup {
                        options: choices(&props),
                        label,
                        action: props.action("onChangeAction"),
                        field,
                    },
                    "w-radios",
                )
            }
            "Chart" => {
                block(&props, &mut css);
                css.set("flex", props.get("flex").and_then(plain));
                // Read by the chart's own parser.
                props.known(&[
                    "data",
                    "series",
                    "xAxis",
                    "showYAxis",
                    "showLegend",
                    "showTooltip",
                    "barGap",
                    "barCategoryGap",
                    "height",
                    "size",
                    "aspectRatio",
                ]);
                (Kind::Chart(Box::new(chart::parse(fields))), "w-chart")
            }
            "Table" => (Kind::Table, "w-table"),
            "Table.Row" => (Kind::TableRow { header: props.flag("header") }, "w-tr"),
            "Table.Cell" => {
                css.set("width", props.get("width").and_then(length));
                if let Some(padding) = props.get("padding") {
                    for (side, value) in sides(padding) {
                        css.set(padding_property(side), Some(value));
                    }
                }
                css.set(
                    "text-align",
                    one_of(props.token("align"), &["start", "center", "end"]).map(str::to_owned),
                );
                let valign = match props.token("vAlign") {
                    Some("start") => Some("top"),
                    Some("center") => Some("middle"),
                    Some("end") => Some("bottom"),
                    _ => None,
                };
                css.set("vertical-align", valign.map(str::to_owned));
                let col_width = match props.token("colSize") {
                    Some("xs") => Some("48px"),
                    Some("sm") => Some("80px"),
                    Some("md") => Some("120px"),
                    Some("lg") => Some("160px"),
                    Some("xl") => Some("240px"),
                    _ => None,
                };
                if props.get("width").is_none() {
                    css.set("width", col_width.map(str::to_owned));
                }
                let span = |key| props.count(key, 100).filter(|n| *n > 0).unwrap_or(1);
                (Kind::TableCell { col_span: span("colSpan"), row_span: span("rowSpan") }, "w-td")
            }
            other => {
                note(&mut self.unknown, other.to_owned());
                return Some(Node {
                    kind: Kind::Unknown(other.to_owned()),
                    id: None,
                    key: None,
                    class: "w-box",
                    data,
                    style: vec![("flex-direction", Paint::Css("column".into()))],
                    children: children.into(),
                });
            }
        };
        props.unknown(kind, &mut self.unknown);
        let id = fields.get("id").and_then(Value::as_str).map(str::to_owned);
        let key = fields.get("key").map(|key| text_of(Some(key))).filter(|key| !key.is_empty());
        Some(Node { kind: kind_of, id, key, class, data, style: css.0, children: children.into() })
    }
}

#[cfg(test)]
mod tests;
