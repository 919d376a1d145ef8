//! The embed options of contract §1: parsed from the script tag's `data-*` attributes,
//! `window.orcheoChatConfig`, and `OrcheoChat.setOptions()`, validated, with one warning per bad
//! value and the previous (initially the default) value kept.

use serde_json::{Map, Value};

use crate::json::JsonCodec;

/// How the widget is laid out on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A floating launcher that opens a panel.
    Bubble,
    /// The panel fills the element matched by `data-target`.
    Inline,
    /// The panel fills the viewport.
    Fullscreen,
}

/// Which corner the launcher sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Bottom right.
    Right,
    /// Bottom left.
    Left,
}

/// Colour scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Always light.
    Light,
    /// Always dark.
    Dark,
    /// Follows `prefers-color-scheme`.
    Auto,
}

/// Corner rounding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Radius {
    /// Square corners.
    Sharp,
    /// Slightly rounded.
    Soft,
    /// Rounded (the default).
    Round,
    /// Fully rounded controls.
    Pill,
}

impl Radius {
    /// The CSS length for panels; controls derive theirs from it.
    pub fn css(self) -> &'static str {
        match self {
            Radius::Sharp => "0px",
            Radius::Soft => "6px",
            Radius::Round => "14px",
            Radius::Pill => "22px",
        }
    }
}

/// Where the persistence snapshot lives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Persist {
    /// `sessionStorage`: survives reloads, not new tabs.
    #[default]
    Session,
    /// `localStorage`: survives everything until cleared.
    Local,
    /// Memory only.
    None,
}

/// When the panel stage (everything behind the launcher) is fetched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preload {
    /// After the page's `load` event, when the browser is idle (as [`Preload::Intent`] on a
    /// save-data or 2G connection).
    Idle,
    /// When the visitor shows intent: pointer over, focus on or touch of the launcher (the
    /// default: a page view with no interaction then costs the launcher stage alone; see
    /// docs/preload.md for the figures).
    Intent,
    /// Only when needed: a click, an API call that needs the panel, or an open panel.
    None,
}

/// The workflow named by `data-workflow`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkflowRef {
    /// A UUID, lower-cased; usable in `/api/chatkit` as is.
    Id(String),
    /// A handle; resolved to a UUID with `GET /api/workflows/{handle}/public`.
    Handle(String),
}

impl WorkflowRef {
    /// The path segment for `/api/workflows/{ref}/public`.
    pub fn as_str(&self) -> &str {
        match self {
            WorkflowRef::Id(id) | WorkflowRef::Handle(id) => id,
        }
    }
}

/// A start-screen prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// The button text.
    pub label: String,
    /// The message sent when it is clicked.
    pub prompt: String,
}

/// Every option, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Orcheo base URL without a trailing slash; `None` disables the composer.
    pub backend: Option<String>,
    /// The workflow; `None` disables the composer.
    pub workflow: Option<WorkflowRef>,
    /// Header title and launcher label; `None` means the workflow's name, else "Chat".
    pub title: Option<String>,
    /// JWT mode: the embedder's token endpoint.
    pub token_url: Option<String>,
    /// Whether cookies are sent (`credentials: "include"`).
    pub send_cookies: bool,
    /// Open the panel on load.
    pub open: bool,
    /// Layout mode.
    pub mode: Mode,
    /// CSS selector of the element that hosts an inline widget.
    pub target: Option<String>,
    /// Launcher corner.
    pub side: Side,
    /// Launcher distance from the side, px.
    pub offset_x: u32,
    /// Launcher distance from the bottom, px.
    pub offset_y: u32,
    /// Stacking order.
    pub z_index: i32,
    /// Colour scheme.
    pub theme: Theme,
    /// Accent colour, a CSS colour.
    pub accent: String,
    /// Corner rounding.
    pub radius: Radius,
    /// Font-family stack; `None` is the system UI stack.
    pub font: Option<String>,
    /// BCP 47 locale tag; `None` follows `navigator.language`.
    pub locale: Option<String>,
    /// Start-screen greeting; `None` is the locale's.
    pub greeting: Option<String>,
    /// Composer placeholder; `None` is the locale's "Ask {title} a question…".
    pub placeholder: Option<String>,
    /// A line of markdown under the composer (terms, privacy); `None` shows none.
    pub disclaimer: Option<String>,
    /// The model a new conversation starts with, if the workflow lists it; `None` is the
    /// workflow's default.
    pub model: Option<String>,
    /// Start prompts; `None` uses the workflow's from `/public`.
    pub prompts: Option<Vec<Prompt>>,
    /// Show the conversation list.
    pub history: bool,
    /// Allow file uploads.
    pub attachments: bool,
    /// Snapshot storage.
    pub persist: Persist,
    /// Merged into every request's `metadata`.
    pub metadata: Map<String, Value>,
    /// When the panel stage loads.
    pub preload: Preload,
    /// Options only the panel stage reads as given (`images`, `markdownImages`).
    pub panel: Map<String, Value>,
    /// The other options only the panel stage reads ([`PANEL_OPTIONS`]), as given, in the order
    /// given, until [`Config::resolve_panel`] checks them.
    pub unchecked: Vec<(String, Value)>,
}

/// Options only the panel stage reads. The launcher stage keeps them as given (in
/// [`Config::panel`] or [`Config::unchecked`]) and the panel stage checks them
/// ([`Config::resolve_panel`]), so that the launcher stage carries none of their code; a bad
/// value warns when the panel stage starts.
pub const PANEL_OPTIONS: [&str; 9] = [
    "prompts",
    "metadata",
    "model",
    "greeting",
    "disclaimer",
    "history",
    "attachments",
    "images",
    "markdownImages",
];

/// The panel options the panel stage reads as given, kept in [`Config::panel`].
const READ_AS_GIVEN: [&str; 2] = ["images", "markdownImages"];

/// The default accent colour.
pub const DEFAULT_ACCENT: &str = "#4f46e5";

impl Default for Config {
    fn default() -> Self {
        Self {
            backend: None,
            workflow: None,
            title: None,
            token_url: None,
            send_cookies: true,
            open: false,
            mode: Mode::Bubble,
            target: None,
            side: Side::Right,
            offset_x: 20,
            offset_y: 20,
            z_index: 2_147_483_000,
            theme: Theme::Auto,
            accent: DEFAULT_ACCENT.to_owned(),
            radius: Radius::Round,
            font: None,
            locale: None,
            greeting: None,
            placeholder: None,
            disclaimer: None,
            model: None,
            prompts: None,
            history: true,
            attachments: false,
            persist: Persist::Session,
            metadata: Map::new(),
            preload: Preload::Intent,
            panel: Map::new(),
            unchecked: Vec::new(),
        }
    }
}

/// What option parsing needs from its surroundings.
pub struct ConfigContext<'a> {
    /// The page's origin (`https://shop.example`), to resolve root-relative URLs.
    pub page_origin: &'a str,
}

/// A rejected option value: the message for `console.warn`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigWarning(pub String);

impl Config {
    /// Applies each `(key, value)` pair in order, keeping the previous value of any bad one.
    pub fn apply_all<'a>(
        &mut self,
        pairs: impl IntoIterator<Item = (&'a str, &'a Value)>,
        context: &ConfigContext,
    ) -> Vec<ConfigWarning> {
        pairs.into_iter().filter_map(|(key, value)| self.apply(key, value, context).err()).collect()
    }

    /// Applies one option. `key` may be camelCase (`tokenUrl`), kebab-case or `data-` prefixed.
    ///
    /// # Errors
    /// A warning naming the attribute when the key is unknown or the value is not usable; the
    /// option then keeps its previous value.
    pub fn apply(&mut self, key: &str, value: &Value, context: &ConfigContext) -> Result<(), ConfigWarning> {
        let key = camel_case(key.strip_prefix("data-").unwrap_or(key));
        let url = || text(value).and_then(|url| http_url(&url, context.page_origin));
        let applied = match key.as_str() {
            "backend" => url().map(|url| self.backend = Some(strip_api_suffix(&url))),
            "workflow" => {
                text(value).as_deref().and_then(parse_workflow_ref).map(|w| self.workflow = Some(w))
            }
            "title" => bounded_text(value, 120).map(|title| self.title = Some(title)),
            "tokenUrl" => url().map(|url| self.token_url = Some(url)),
            "credentials" => choice(value, &["include", "omit"]).map(|i| self.send_cookies = i == 0),
            "open" => boolean(value).map(|flag| self.open = flag),
            "mode" => choice(value, &["bubble", "inline", "fullscreen"])
                .map(|i| self.mode = [Mode::Bubble, Mode::Inline, Mode::Fullscreen][i]),
            "target" => bounded_text(value, 500).map(|selector| self.target = Some(selector)),
            "position" => choice(value, &["right", "left"]).map(|i| self.side = [Side::Right, Side::Left][i]),
            "offsetX" => integer(value, 0, 2000).map(|n| self.offset_x = n as u32),
            "offsetY" => integer(value, 0, 2000).map(|n| self.offset_y = n as u32),
            "zIndex" => {
                integer(value, i64::from(i32::MIN), i64::from(i32::MAX)).map(|n| self.z_index = n as i32)
            }
            "theme" => choice(value, &["light", "dark", "auto"])
                .map(|i| self.theme = [Theme::Light, Theme::Dark, Theme::Auto][i]),
            "accent" => text(value).filter(|colour| is_css_colour(colour)).map(|colour| self.accent = colour),
            "radius" => choice(value, &["sharp", "soft", "round", "pill"])
                .map(|i| self.radius = [Radius::Sharp, Radius::Soft, Radius::Round, Radius::Pill][i]),
            "font" => text(value).filter(|font| is_font_stack(font)).map(|font| self.font = Some(font)),
            "locale" => text(value).filter(|tag| is_language_tag(tag)).map(|tag| self.locale = Some(tag)),
            "placeholder" => bounded_text(value, 200).map(|placeholder| self.placeholder = Some(placeholder)),
            "preload" => choice(value, &["idle", "intent", "none"])
                .map(|i| self.preload = [Preload::Idle, Preload::Intent, Preload::None][i]),
            "persist" => choice(value, &["session", "local", "none"])
                .map(|i| self.persist = [Persist::Session, Persist::Local, Persist::None][i]),
            key if READ_AS_GIVEN.contains(&key) => {
                self.panel.insert(key.to_owned(), value.clone());
                Some(())
            }
            key if PANEL_OPTIONS.contains(&key) => {
                self.unchecked.push((key.to_owned(), value.clone()));
                Some(())
            }
            _ => return Err(unknown_option(&key)),
        };
        applied.ok_or_else(|| invalid_value(&key, value))
    }

    /// Whether options kept for the panel stage wait to be checked ([`Config::resolve_panel`]).
    pub fn has_unresolved(&self) -> bool {
        !self.unchecked.is_empty()
    }

    /// Checks the options [`Config::apply`] kept for the panel stage, in the order given, and
    /// sets them: what the panel stage calls when it starts and whenever options change. Each
    /// bad value warns once and keeps the previous one (an earlier good value, or the default).
    pub fn resolve_panel(&mut self, json: &dyn JsonCodec) -> Vec<ConfigWarning> {
        let mut warnings = Vec::new();
        for (key, value) in std::mem::take(&mut self.unchecked) {
            if self.apply_panel(&key, &value, json).is_none() {
                warnings.push(invalid_value(&key, &value));
            }
        }
        warnings
    }

    /// Applies one of [`PANEL_OPTIONS`]; `None` when the value is not usable.
    fn apply_panel(&mut self, key: &str, value: &Value, json: &dyn JsonCodec) -> Option<()> {
        let json_value = |value: &Value| match value {
            Value::String(text) => json.parse(text),
            other => Some(other.clone()),
        };
        match key {
            "history" => boolean(value).map(|flag| self.history = flag),
            "attachments" => boolean(value).map(|flag| self.attachments = flag),
            "greeting" => bounded_text(value, 500).map(|greeting| self.greeting = Some(greeting)),
            "disclaimer" => bounded_text(value, 1000).map(|disclaimer| self.disclaimer = Some(disclaimer)),
            "model" => bounded_text(value, 200).map(|model| self.model = Some(model)),
            "prompts" => {
                json_value(value).as_ref().and_then(parse_prompts).map(|prompts| self.prompts = Some(prompts))
            }
            "metadata" => match json_value(value) {
                Some(Value::Object(metadata)) => {
                    self.metadata = metadata;
                    Some(())
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether images in replies may load (`markdownImages`: `true`, or the bare attribute).
    pub fn markdown_images(&self) -> bool {
        match self.panel.get("markdownImages") {
            Some(Value::Bool(flag)) => *flag,
            Some(Value::String(text)) => matches!(text.trim(), "" | "true"),
            _ => false,
        }
    }

    /// Whether the widget has what it needs to talk to a workflow.
    pub fn is_connectable(&self) -> bool {
        self.backend.is_some() && self.workflow.is_some()
    }
}

/// What a valid value of `key` looks like, for warnings.
fn expectation(key: &str) -> &'static str {
    match key {
        "backend" | "tokenUrl" => "an http(s) URL",
        "workflow" => "a workflow UUID, handle or share URL",
        "title" => "a title of 1 to 120 characters",
        "credentials" => "\"include\" or \"omit\"",
        "open" | "history" | "attachments" => "true or false",
        "mode" => "\"bubble\", \"inline\" or \"fullscreen\"",
        "target" => "a CSS selector",
        "position" => "\"right\" or \"left\"",
        "offsetX" | "offsetY" => "a number of pixels from 0 to 2000",
        "zIndex" => "an integer",
        "theme" => "\"light\", \"dark\" or \"auto\"",
        "accent" => "a CSS colour",
        "radius" => "\"sharp\", \"soft\", \"round\" or \"pill\"",
        "font" => "a font-family list",
        "locale" => "a BCP 47 language tag such as \"de\" or \"pt-BR\"",
        "greeting" => "a greeting of 1 to 500 characters",
        "placeholder" => "a placeholder of 1 to 200 characters",
        "disclaimer" => "a line of 1 to 1000 characters",
        "model" => "a model id",
        "prompts" => "a JSON list of {\"label\", \"prompt\"} objects",
        "persist" => "\"session\", \"local\" or \"none\"",
        "preload" => "\"idle\", \"intent\" or \"none\"",
        "metadata" => "a JSON object",
        _ => "valid",
    }
}

#[inline(never)]
fn invalid_value(key: &str, value: &Value) -> ConfigWarning {
    let mut message = attribute_name(key);
    message.push(' ');
    message.push_str(&describe(value));
    message.push_str(" is not ");
    message.push_str(expectation(key));
    message.push_str("; using the default or previous value");
    ConfigWarning(message)
}

#[inline(never)]
fn unknown_option(key: &str) -> ConfigWarning {
    let mut message = attribute_name(key);
    message.push_str(" is not an orcheo-chat option; ignored");
    ConfigWarning(message)
}

/// The index of the value among `options`.
fn choice(value: &Value, options: &[&str]) -> Option<usize> {
    let value = value.as_str()?.trim();
    options.iter().position(|option| *option == value)
}

/// `offset-x` and `offsetX` both become `offsetX`.
fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '-' || c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `tokenUrl` → `data-token-url`, for messages that name what the embedder wrote.
pub fn attribute_name(camel: &str) -> String {
    let mut out = String::from("data-");
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn describe(value: &Value) -> String {
    let shown = match value {
        Value::String(text) => format!("\"{text}\""),
        Value::Number(_) | Value::Bool(_) | Value::Null => "(that value)".to_owned(),
        Value::Array(_) => "(a list)".to_owned(),
        Value::Object(_) => "(an object)".to_owned(),
    };
    shown.chars().take(80).collect()
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_owned()),
        // Integers only: formatting a float would link the float printer for nothing.
        Value::Number(number) => number.as_i64().map(|n| n.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn bounded_text(value: &Value, max_chars: usize) -> Option<String> {
    text(value).filter(|text| !text.is_empty() && text.chars().count() <= max_chars)
}

fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        // A bare `data-open` attribute has the empty string as its value.
        Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
            "" | "true" | "1" | "yes" | "on" => Some(true),
            "false" | "0" | "no" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn integer(value: &Value, min: i64, max: i64) -> Option<i64> {
    let number = match value {
        Value::Number(number) => {
            number.as_i64().or_else(|| number.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
        }
        // (`strip_suffix`, not `trim_end_matches`: that one brings a 1 KB reverse string
        // searcher into the launcher stage for this one call.)
        Value::String(text) => {
            let text = text.trim();
            crate::text::parse_integer(text.strip_suffix("px").unwrap_or(text))
        }
        _ => None,
    }?;
    (min..=max).contains(&number).then_some(number)
}

fn parse_prompts(value: &Value) -> Option<Vec<Prompt>> {
    let prompts: Option<Vec<Prompt>> = value
        .as_array()?
        .iter()
        .map(|entry| match entry {
            Value::String(prompt) => Some(Prompt { label: prompt.clone(), prompt: prompt.clone() }),
            Value::Object(fields) => {
                let prompt = fields.get("prompt").and_then(Value::as_str)?.trim();
                let label = fields.get("label").and_then(Value::as_str).map(str::trim).unwrap_or(prompt);
                Some(Prompt { label: label.to_owned(), prompt: prompt.to_owned() })
            }
            _ => None,
        })
        .collect();
    prompts.filter(|prompts| {
        prompts.iter().all(|p| {
            (1..=120).contains(&p.label.chars().count()) && (1..=2000).contains(&p.prompt.chars().count())
        })
    })
}

/// Resolves `url` against the page when it is root-relative, and accepts only http(s) URLs
/// with a host. Returns it without trailing slashes.
pub fn http_url(url: &str, page_origin: &str) -> Option<String> {
    let absolute = if url.starts_with('/') && !url.starts_with("//") {
        format!("{}{url}", page_origin.trim_end_matches('/'))
    } else {
        url.to_owned()
    };
    let rest = absolute.strip_prefix("https://").or_else(|| absolute.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let valid_host =
        !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]_@%".contains(&b));
    let clean =
        !absolute.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control() || b == b'"' || b == b'\\');
    (valid_host && clean).then(|| absolute.trim_end_matches('/').to_owned())
}

/// `https://x/api` and `https://x/api/chatkit` name the same backend as `https://x`: the widget
/// appends `/api/...` itself.
fn strip_api_suffix(url: &str) -> String {
    let url = url.trim_end_matches('/');
    for suffix in ["/api/chatkit", "/api"] {
        if let Some(base) = url.strip_suffix(suffix) {
            if crate::text::after_scheme(base).is_some_and(|rest| !rest.is_empty()) {
                return base.to_owned();
            }
        }
    }
    url.to_owned()
}

/// A UUID, a handle, or a share URL whose last path segment is one of them.
pub fn parse_workflow_ref(raw: &str) -> Option<WorkflowRef> {
    let raw = raw.trim();
    let segment = if let Some(rest) = crate::text::after_scheme(raw) {
        let without_suffix = rest.split(['?', '#']).next().unwrap_or_default();
        let path = without_suffix.split_once('/')?.1;
        path.rsplit('/').find(|segment| !segment.is_empty())?
    } else {
        raw
    };
    if is_uuid(segment) {
        Some(WorkflowRef::Id(segment.to_ascii_lowercase()))
    } else if is_handle(segment) {
        Some(WorkflowRef::Handle(segment.to_owned()))
    } else {
        None
    }
}

/// 8-4-4-4-12 hexadecimal digits.
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Orcheo's handle rule: lowercase `[a-z0-9]+(-[a-z0-9]+)*`, at most 64 characters.
fn is_handle(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text.split('-').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A value that can sit in a CSS declaration without closing it: colour names, hex, and
/// colour functions. The browser layer also asks `CSS.supports("color", …)`.
pub fn is_css_colour(value: &str) -> bool {
    (1..=64).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"#(),.% /+-".contains(&b))
        && value.matches('(').count() == value.matches(')').count()
}

fn is_font_stack(value: &str) -> bool {
    (1..=200).contains(&value.len())
        // Any non-ASCII character may name a font ("微软雅黑"); ASCII is limited to what a
        // font list needs, so the value cannot close the declaration.
        && value.chars().all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || " ,'\"-_.".contains(c))
        && value.matches('"').count().is_multiple_of(2)
        && value.matches('\'').count().is_multiple_of(2)
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|part| (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::json::SerdeJson;

    const CONTEXT: ConfigContext = ConfigContext { page_origin: "https://shop.example" };

    /// The options as the launcher stage applies them, then as the panel stage checks its own.
    fn parse(pairs: &[(&str, Value)]) -> (Config, Vec<ConfigWarning>) {
        let mut config = Config::default();
        let mut warnings = config.apply_all(pairs.iter().map(|(k, v)| (*k, v)), &CONTEXT);
        warnings.extend(config.resolve_panel(&SerdeJson));
        (config, warnings)
    }

    #[test]
    fn the_contract_example_parses_without_warnings() {
        let (config, warnings) = parse(&[
            ("backend", json!("https://orcheo.example.com/")),
            ("workflow", json!("5F0C1A8E-2b8f-4e4e-9a55-3c2f4c1b7d10")),
            ("title", json!("Support Assistant")),
        ]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.backend.as_deref(), Some("https://orcheo.example.com"));
        assert_eq!(config.workflow, Some(WorkflowRef::Id("5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10".into())));
        assert_eq!(config.title.as_deref(), Some("Support Assistant"));
        assert!(config.is_connectable());
    }

    #[test]
    fn share_urls_resolve_to_a_uuid_or_a_handle() {
        assert_eq!(
            parse_workflow_ref(
                "https://orcheo.example.com/chat/5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10?x=1#top"
            ),
            Some(WorkflowRef::Id("5f0c1a8e-2b8f-4e4e-9a55-3c2f4c1b7d10".into()))
        );
        assert_eq!(
            parse_workflow_ref("https://orcheo.example.com/chat/support-bot/"),
            Some(WorkflowRef::Handle("support-bot".into()))
        );
        assert_eq!(parse_workflow_ref("support-bot"), Some(WorkflowRef::Handle("support-bot".into())));
        for bad in ["Support Bot", "https://orcheo.example.com/", "-x", "a--b", "", "Upper-Case"] {
            assert_eq!(parse_workflow_ref(bad), None, "{bad}");
        }
    }

    #[test]
    fn backend_urls_are_normalised() {
        let cases = [
            ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
            ("https://api.example.com/api/", "https://api.example.com"),
            ("https://api.example.com/api/chatkit", "https://api.example.com"),
            ("/", "https://shop.example"),
            ("/orcheo", "https://shop.example/orcheo"),
        ];
        for (raw, expected) in cases {
            let (config, warnings) = parse(&[("data-backend", json!(raw))]);
            assert!(warnings.is_empty(), "{raw}: {warnings:?}");
            assert_eq!(config.backend.as_deref(), Some(expected), "{raw}");
        }
    }

    #[test]
    fn each_bad_value_warns_once_naming_the_attribute_and_keeps_the_default() {
        let (config, warnings) = parse(&[
            ("backend", json!("javascript:alert(1)")),
            ("workflow", json!("not a workflow")),
            ("offset-x", json!("lots")),
            ("zIndex", json!("9e99")),
            ("theme", json!("purple")),
            ("accent", json!("red; } * { display: none")),
            ("prompts", json!("[not json")),
            ("metadata", json!("[1, 2]")),
            ("persist", json!("cookie")),
            ("workfow", json!("typo")),
        ]);
        assert_eq!(warnings.len(), 10, "{warnings:?}");
        assert!(warnings[2].0.starts_with("data-offset-x \"lots\""), "{}", warnings[2].0);
        assert!(warnings[7].0.contains("data-workfow is not an orcheo-chat option"));
        // The panel stage's own options warn when it checks them, after the launcher's.
        assert!(warnings[8].0.starts_with("data-prompts \"[not json\" is not"), "{}", warnings[8].0);
        assert!(warnings[9].0.starts_with("data-metadata \"[1, 2]\" is not"), "{}", warnings[9].0);
        assert_eq!(config, Config::default());
    }

    #[test]
    fn the_launcher_stage_keeps_the_panel_options_as_given_until_the_panel_stage_checks_them() {
        let mut config = Config::default();
        let warnings = config.apply_all(
            [("history", &json!("false")), ("prompts", &json!("[not json")), ("images", &json!("none"))],
            &CONTEXT,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(config.history && config.has_unresolved());
        let warnings = config.resolve_panel(&SerdeJson);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(!config.history && !config.has_unresolved());
        assert_eq!(config.panel.get("images"), Some(&json!("none")), "read as given");
        assert_eq!(config.panel.len(), 1, "the widget stage's image options, nothing else");
        // Checked once: nothing is left to warn about.
        assert!(config.resolve_panel(&SerdeJson).is_empty());
    }

    #[test]
    fn a_bad_later_panel_option_warns_and_keeps_the_good_earlier_one() {
        let (config, warnings) = parse(&[
            ("prompts", json!([{"label": "Hi", "prompt": "Say hi"}])),
            ("data-prompts", json!("[not json")),
            ("greeting", json!("Hello")),
            ("greeting", json!("x".repeat(600))),
        ]);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(config.prompts.as_ref().map(Vec::len), Some(1));
        assert_eq!(config.greeting.as_deref(), Some("Hello"));
    }

    #[test]
    fn typed_values_from_javascript_are_accepted() {
        let (config, warnings) = parse(&[
            ("open", json!(true)),
            ("offsetX", json!(32)),
            ("zIndex", json!(10)),
            ("prompts", json!([{"label": "Hi", "prompt": "Say hi"}, "Plain"])),
            ("metadata", json!({"page": "pricing"})),
            ("tokenUrl", json!("/chatkit-token")),
            ("credentials", json!("omit")),
        ]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(config.open && !config.send_cookies);
        assert_eq!((config.offset_x, config.z_index), (32, 10));
        assert_eq!(config.prompts.as_ref().map(Vec::len), Some(2));
        assert_eq!(config.metadata.get("page"), Some(&json!("pricing")));
        assert_eq!(config.token_url.as_deref(), Some("https://shop.example/chatkit-token"));
    }

    #[test]
    fn attribute_strings_parse_as_their_types() {
        let (config, warnings) = parse(&[
            ("open", json!("")),
            ("history", json!("false")),
            ("offsetY", json!("40px")),
            ("prompts", json!("[{\"label\":\"Pricing\",\"prompt\":\"What does it cost?\"}]")),
            ("metadata", json!("{\"plan\":\"pro\"}")),
            ("mode", json!("inline")),
            ("target", json!("#chat")),
            ("radius", json!("pill")),
            ("font", json!("\"Inter\", system-ui, sans-serif")),
            ("locale", json!("pt-BR")),
        ]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(config.open && !config.history);
        assert_eq!(config.offset_y, 40);
        assert_eq!(
            config.prompts,
            Some(vec![Prompt { label: "Pricing".into(), prompt: "What does it cost?".into() }])
        );
        assert_eq!((config.mode, config.radius), (Mode::Inline, Radius::Pill));
        assert_eq!(config.locale.as_deref(), Some("pt-BR"));
    }

    #[test]
    fn later_values_merge_over_earlier_ones() {
        let (mut config, _) = parse(&[("title", json!("First")), ("accent", json!("#ff0000"))]);
        let warnings = config.apply_all([("title", &json!("Second"))], &CONTEXT);
        assert!(warnings.is_empty());
        assert_eq!((config.title.as_deref(), config.accent.as_str()), (Some("Second"), "#ff0000"));
    }

    #[test]
    fn css_values_cannot_escape_their_declaration() {
        assert!(
            is_css_colour("rgb(10 20 30 / 50%)")
                && is_css_colour("#4F46E5")
                && is_css_colour("rebeccapurple")
        );
        assert!(
            !is_css_colour("red;background:url(x)") && !is_css_colour("red}") && !is_css_colour("rgb(1,2")
        );
        assert!(is_font_stack("\"Segoe UI\", Roboto, sans-serif"));
        assert!(!is_font_stack("x; } body { display:none") && !is_font_stack("\"unclosed"));
    }
}
