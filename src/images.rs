//! Which images the widget loads: the `images` option (widget `Image`s, generated images, status
//! favicons) and `markdownImages` (images in replies).
//!
//! Loading an image tells its host the visitor's address and when they read the conversation,
//! and an address a model wrote can carry what the conversation said. So: only `https:` (or a
//! `data:` image, which fetches nothing); never with the page's address (no referrer) or the
//! visitor's cookies (anonymous CORS); lazily. An embedder may narrow it to a list of origins,
//! or turn it off (each image is then its description and a link). Images in replies, where a
//! model writes freely, stay links unless the embedder opts in.

use serde_json::{Map, Value};

/// The `images` option.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ImageMode {
    /// Any `https:` image (the default).
    #[default]
    Https,
    /// Only from these origins (`https://cdn.example.com`, lower-cased, no path).
    Origins(Vec<String>),
    /// Never: the description and a link instead.
    Never,
}

/// What the embedder allows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImagePolicy {
    /// Widget and generated images.
    pub mode: ImageMode,
    /// Images in replies load too (under `mode`).
    pub markdown: bool,
}

/// The raster formats a `data:` image may be in.
const DATA_TYPES: [&str; 6] = ["png", "jpeg", "jpg", "gif", "webp", "avif"];

/// `https://host[:port]` of an `https:` URL, lower-cased; `None` for anything else.
pub fn https_origin(url: &str) -> Option<String> {
    let rest = url.trim().strip_prefix("https://").or_else(|| {
        let lower = url.trim().get(..8)?.to_ascii_lowercase();
        (lower == "https://").then(|| &url.trim()[8..])
    })?;
    let host = rest.split(['/', '?', '#']).next()?;
    let valid = !host.is_empty()
        && !host.contains(['@', '\\', ' '])
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    valid.then(|| format!("https://{}", host.to_ascii_lowercase()))
}

/// Whether `url` is a `data:` image in a raster format.
fn is_data_image(url: &str) -> bool {
    let Some(head) = url.get(..32).or(Some(url)).map(str::to_ascii_lowercase) else { return false };
    let Some(kind) = head.strip_prefix("data:image/") else { return false };
    DATA_TYPES.iter().any(|format| {
        kind.strip_prefix(format).is_some_and(|after| after.starts_with(';') || after.starts_with(','))
    })
}

impl ImagePolicy {
    /// The `images` option's value: `"https"`, `"none"`, or origins (a list, or a string of
    /// origins separated by spaces or commas).
    pub fn parse_mode(value: &Value) -> Option<ImageMode> {
        let origins: Vec<String> = match value {
            Value::String(text) => match text.trim() {
                "https" => return Some(ImageMode::Https),
                "none" => return Some(ImageMode::Never),
                list => {
                    list.split([' ', ',']).filter(|origin| !origin.is_empty()).map(str::to_owned).collect()
                }
            },
            Value::Array(list) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            Value::Bool(false) => return Some(ImageMode::Never),
            _ => return None,
        };
        let parsed: Option<Vec<String>> = origins
            .iter()
            .map(|origin| {
                https_origin(origin).filter(|found| found.len() == origin.trim_end_matches('/').len())
            })
            .collect();
        parsed.filter(|list| !list.is_empty() && list.len() <= 50).map(ImageMode::Origins)
    }

    /// Applies the `images` and `markdownImages` options of `options` that differ from
    /// `before` (what was applied last time); returns a warning for each bad value (the policy
    /// then keeps what it had).
    pub fn apply(&mut self, options: &Map<String, Value>, before: &Map<String, Value>) -> Vec<String> {
        let mut warnings = Vec::new();
        for (key, value) in options {
            if before.get(key) == Some(value) {
                continue;
            }
            let applied = match key.as_str() {
                "images" => Self::parse_mode(value).map(|mode| self.mode = mode),
                _ => match value {
                    Value::Bool(flag) => Some(*flag),
                    Value::String(text) if matches!(text.trim(), "" | "true" | "false") => {
                        Some(text.trim() != "false")
                    }
                    _ => None,
                }
                .map(|flag| self.markdown = flag),
            };
            if applied.is_none() {
                let (attribute, expected) = match key.as_str() {
                    "images" => ("data-images", "\"https\", \"none\" or a list of https origins"),
                    _ => ("data-markdown-images", "true or false"),
                };
                warnings.push(format!("{attribute} is not {expected}; using the default or previous value"));
            }
        }
        warnings
    }

    /// Whether an image at `url` may load.
    pub fn allows(&self, url: &str) -> bool {
        if url.len() > 2_000_000 {
            return false;
        }
        match &self.mode {
            ImageMode::Never => false,
            _ if is_data_image(url) => true,
            ImageMode::Https => https_origin(url).is_some(),
            ImageMode::Origins(origins) => https_origin(url).is_some_and(|origin| origins.contains(&origin)),
        }
    }

    /// Whether an image in a reply at `url` may load.
    pub fn allows_in_reply(&self, url: &str) -> bool {
        self.markdown && self.allows(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn by_default_https_and_data_images_load_and_nothing_else() {
        let policy = ImagePolicy::default();
        assert!(policy.allows("https://images.example.com/a.png"));
        assert!(policy.allows("HTTPS://Images.Example.com/a.png"));
        assert!(policy.allows("data:image/png;base64,iVBORw0KGgo="));
        for refused in [
            "http://images.example.com/a.png",
            "//images.example.com/a.png",
            "/a.png",
            "javascript:alert(1)",
            "data:image/svg+xml;base64,PHN2Zz4=",
            "data:text/html,<b>",
            "https://user@evil.example/a.png",
            "https:///a.png",
            "blob:https://example.com/1",
        ] {
            assert!(!policy.allows(refused), "{refused}");
        }
        assert!(!policy.allows_in_reply("https://images.example.com/a.png"), "replies' images stay links");
        assert!(ImagePolicy { markdown: true, ..ImagePolicy::default() }
            .allows_in_reply("https://images.example.com/a.png"));
    }

    #[test]
    fn an_allow_list_narrows_to_its_origins() {
        let mode =
            ImagePolicy::parse_mode(&json!("https://cdn.example.com, https://img.example.org:8443")).unwrap();
        let policy = ImagePolicy { mode, markdown: false };
        assert!(policy.allows("https://cdn.example.com/x/y.png?z=1"));
        assert!(policy.allows("https://img.example.org:8443/a.webp"));
        assert!(!policy.allows("https://cdn.example.com.evil.example/a.png"));
        assert!(!policy.allows("https://img.example.org/a.webp"), "another port is another origin");
        assert!(policy.allows("data:image/webp;base64,UklGRg=="));
    }

    #[test]
    fn options_apply_once_and_a_bad_value_keeps_the_last_good_one() {
        let mut policy = ImagePolicy::default();
        let first = json!({"images": "none", "markdownImages": "true"});
        assert!(policy.apply(first.as_object().unwrap(), &Map::new()).is_empty());
        assert_eq!(policy, ImagePolicy { mode: ImageMode::Never, markdown: true });
        let second = json!({"images": "everything", "markdownImages": "true"});
        let warnings = policy.apply(second.as_object().unwrap(), first.as_object().unwrap());
        assert_eq!(warnings, ["data-images is not \"https\", \"none\" or a list of https origins; using the default or previous value"]);
        assert_eq!(policy.mode, ImageMode::Never);
        assert!(
            policy.apply(second.as_object().unwrap(), second.as_object().unwrap()).is_empty(),
            "warned once"
        );
    }

    #[test]
    fn the_option_takes_https_none_or_origins_and_refuses_the_rest() {
        assert_eq!(ImagePolicy::parse_mode(&json!("https")), Some(ImageMode::Https));
        assert_eq!(ImagePolicy::parse_mode(&json!("none")), Some(ImageMode::Never));
        assert_eq!(ImagePolicy::parse_mode(&json!(false)), Some(ImageMode::Never));
        assert_eq!(
            ImagePolicy::parse_mode(&json!(["https://A.example.com/"])),
            Some(ImageMode::Origins(vec!["https://a.example.com".into()]))
        );
        for bad in [
            json!("http://a.example.com"),
            json!("https://a.example.com/path"),
            json!("everything"),
            json!(3),
            json!([]),
        ] {
            assert_eq!(ImagePolicy::parse_mode(&bad), None, "{bad}");
        }
        assert!(!ImagePolicy { mode: ImageMode::Never, markdown: true }.allows("data:image/png;base64,AA=="));
    }
}
