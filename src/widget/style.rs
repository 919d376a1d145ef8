//! ChatKit's design tokens as CSS values: the spacing unit, radii, text, surface and border
//! colours, the primitive palette, and raw CSS strings a widget may carry instead of a token.
//!
//! Token values are ChatKit's scales (one spacing unit is 4 px; radii 2 px to 24 px) mapped
//! onto the panel's own custom properties wherever the panel has one (surface, text, muted text,
//! border, accent), so an embedder's theme reaches widgets too. Colours that differ between light
//! and dark come back as a [`Paint::Scheme`] pair; the renderer picks one for the scheme in force.
//!
//! A widget's CSS strings come from the server, so they are checked before they reach the page:
//! no `url()` or `image()` (which would fetch something past the image policy), no escapes, no
//! declaration or block punctuation. See [`safe_css`].

use serde_json::Value;

/// A colour, as CSS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paint {
    /// The same in light and dark (a custom property that follows the theme by itself, or a
    /// fixed colour).
    Css(String),
    /// One value for each colour scheme (ChatKit's `{light, dark}`, and the grey palette).
    Scheme {
        /// In the light scheme.
        light: String,
        /// In the dark scheme.
        dark: String,
    },
}

impl Paint {
    /// The value for a scheme.
    pub fn pick(&self, dark: bool) -> &str {
        match self {
            Paint::Css(css) => css,
            Paint::Scheme { light, dark: in_dark } => {
                if dark {
                    in_dark
                } else {
                    light
                }
            }
        }
    }
}

/// The longest raw CSS value taken from a widget.
const MAX_CSS: usize = 200;

/// `value` if it is a CSS value a widget may set: short, and free of anything that could fetch
/// (`url(`, `image(`, `image-set(`, `element(`, `src(`), escape (`\`), comment, or end the
/// declaration (`;`, `{`, `}`, `!`, `<`, `@`). Everything else is for the browser's CSS parser to
/// accept or ignore: values are set one property at a time (CSSOM), never as style text.
pub fn safe_css(value: &str) -> Option<String> {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    let banned = ["url", "image", "element", "src(", "expression", "/*", "\\"];
    let ok = !value.is_empty()
        && value.len() <= MAX_CSS
        && !value.contains([';', '{', '}', '!', '<', '>', '@', '"', '\'', '\n', '\r'])
        && !banned.iter().any(|word| lower.contains(word));
    ok.then(|| value.to_owned())
}

/// A number as CSS text without a float printer (which would add kilobytes to the wasm for
/// something this small): integers as integers, others with up to three decimals.
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_owned();
    }
    let thousandths = (value * 1000.0).round();
    if thousandths.abs() >= 9.0e15 {
        return if value < 0.0 { "-999999999999".to_owned() } else { "999999999999".to_owned() };
    }
    let thousandths = thousandths as i64;
    let sign = if thousandths < 0 { "-" } else { "" };
    let (whole, fraction) = (thousandths.unsigned_abs() / 1000, thousandths.unsigned_abs() % 1000);
    if fraction == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{fraction:03}");
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}

/// A JSON number as `f64` (a numeric string is not one: parsing decimals would add a float
/// parser to the wasm for props ChatKit types as numbers).
pub fn as_number(value: &Value) -> Option<f64> {
    value.as_f64().filter(|n| n.is_finite())
}

/// ChatKit's spacing: a number is that many spacing units of 4 px, a string is CSS.
pub fn spacing(value: &Value) -> Option<String> {
    match value {
        Value::Number(_) => as_number(value).map(|units| format!("{}px", number(units * 4.0))),
        Value::String(css) => safe_css(css),
        _ => None,
    }
}

/// A size: a number is pixels, a string is CSS.
pub fn length(value: &Value) -> Option<String> {
    match value {
        Value::Number(_) => as_number(value).map(|px| format!("{}px", number(px))),
        Value::String(css) => safe_css(css),
        _ => None,
    }
}

/// A plain number (`flex`, `aspectRatio`), or CSS.
pub fn plain(value: &Value) -> Option<String> {
    match value {
        Value::Number(_) => as_number(value).map(number),
        Value::String(css) => safe_css(css),
        _ => None,
    }
}

/// The sides of a box, for padding and margin: a spacing, or `{top, right, bottom, left, x, y}`
/// (a side wins over its axis). Returns `(side, value)` pairs, sides as `top`, `right`,
/// `bottom`, `left`.
pub fn sides(value: &Value) -> Vec<(&'static str, String)> {
    if let Some(all) = spacing(value) {
        return ["top", "right", "bottom", "left"].iter().map(|side| (*side, all.clone())).collect();
    }
    let Some(fields) = value.as_object() else { return Vec::new() };
    let pick = |side: &str, axis: &str| fields.get(side).or_else(|| fields.get(axis)).and_then(spacing);
    [("top", "y"), ("right", "x"), ("bottom", "y"), ("left", "x")]
        .iter()
        .filter_map(|(side, axis)| pick(side, axis).map(|css| (*side, css)))
        .collect()
}

/// A radius token (ChatKit's scale, 2 px to 24 px, and `full`, `100%`, `none`).
pub fn radius(token: &str) -> Option<&'static str> {
    Some(match token {
        "none" => "0",
        "2xs" => "2px",
        "xs" => "4px",
        "sm" => "6px",
        "md" => "8px",
        "lg" => "10px",
        "xl" => "12px",
        "2xl" => "16px",
        "3xl" => "20px",
        "4xl" => "24px",
        "full" => "9999px",
        "100%" => "100%",
        _ => return None,
    })
}

/// Text colour tokens (`prose`, `primary`, `emphasis`, `secondary`, `tertiary`, `success`,
/// `warning`, `danger`, and the other intents).
fn text_token(token: &str) -> Option<&'static str> {
    Some(match token {
        "prose" | "primary" | "emphasis" => "var(--w-text)",
        "secondary" => "var(--w-text-2)",
        "tertiary" => "var(--w-text-3)",
        "success" => "var(--w-success)",
        "warning" => "var(--w-warning)",
        "danger" => "var(--w-danger)",
        "info" => "var(--w-info)",
        "discovery" => "var(--w-discovery)",
        "caution" => "var(--w-caution)",
        _ => return None,
    })
}

/// Surface tokens for backgrounds.
fn surface_token(token: &str) -> Option<&'static str> {
    Some(match token {
        "surface" | "surface-elevated" => "var(--w-surface)",
        "surface-secondary" | "surface-elevated-secondary" => "var(--w-surface-2)",
        "surface-tertiary" => "var(--w-surface-3)",
        _ => return None,
    })
}

/// Border colour tokens.
fn border_token(token: &str) -> Option<&'static str> {
    Some(match token {
        "default" => "var(--w-border)",
        "subtle" => "var(--w-border-subtle)",
        "strong" => "var(--w-border-strong)",
        _ => return None,
    })
}

/// Chart series colour tokens.
fn chart_token(token: &str) -> Option<&'static str> {
    Some(match token {
        "blue" => "#0285ff",
        "purple" => "#924ff7",
        "orange" => "#fb6a22",
        "green" => "#04b84c",
        "red" => "#fa423e",
        "yellow" => "#ffc300",
        "pink" => "#ff66ad",
        _ => return None,
    })
}

/// The default palette of chart series, in order.
pub const SERIES_PALETTE: [&str; 7] = ["blue", "purple", "orange", "green", "red", "yellow", "pink"];

/// Steps of the coloured palettes, and the grey one (light, dark).
const STEPS: [u16; 14] = [25, 50, 75, 100, 200, 300, 400, 500, 600, 700, 800, 900, 950, 1000];

/// The primitive palette (`blue-400`, …): one row per hue, a colour per step of [`STEPS`].
const HUES: [(&str, [u32; 14]); 7] = [
    (
        "green",
        [
            0xedfaf2, 0xd9f4e4, 0xb8ebcc, 0x8cdfad, 0x66d492, 0x40c977, 0x04b84c, 0x00a240, 0x008635,
            0x00692a, 0x004f1f, 0x003716, 0x011c0b, 0x001207,
        ],
    ),
    (
        "red",
        [
            0xfff0f0, 0xffd9d9, 0xffc6c5, 0xffa4a2, 0xff8583, 0xff6764, 0xfa423e, 0xe02e2a, 0xba2623,
            0x911e1b, 0x6e1615, 0x4d100e, 0x280b0a, 0x1f0909,
        ],
    ),
    (
        "pink",
        [
            0xfff4f9, 0xffe8f3, 0xffd4e8, 0xffbada, 0xffa3ce, 0xff8cc1, 0xff66ad, 0xe04c91, 0xba437a,
            0x963c67, 0x6e2c4a, 0x4d1f34, 0x29101c, 0x1a0a11,
        ],
    ),
    (
        "orange",
        [
            0xfff5f0, 0xffe7d9, 0xffcfb4, 0xffb790, 0xff9e6c, 0xff8549, 0xfb6a22, 0xe25507, 0xb9480d,
            0x923b0f, 0x6d2e0f, 0x4a2206, 0x281105, 0x211107,
        ],
    ),
    (
        "yellow",
        [
            0xfffbed, 0xfff6d9, 0xffeeb8, 0xffe48c, 0xffdb66, 0xffd240, 0xffc300, 0xe0ac00, 0xba8e00,
            0x916f00, 0x6e5400, 0x4d3b00, 0x261d00, 0x1a1400,
        ],
    ),
    (
        "purple",
        [
            0xf9f5fe, 0xefe5fe, 0xe0cefd, 0xceb0fb, 0xbe95fa, 0xad7bf9, 0x924ff7, 0x8046d9, 0x6b3ab4,
            0x532d8d, 0x3f226a, 0x2c184a, 0x160c25, 0x100a19,
        ],
    ),
    (
        "blue",
        [
            0xf5faff, 0xe5f3ff, 0xcce6ff, 0x99ceff, 0x66b5ff, 0x339cff, 0x0285ff, 0x0169cc, 0x004f99,
            0x003f7a, 0x013566, 0x00284d, 0x000e1a, 0x000d19,
        ],
    ),
];

/// The grey palette: step, light, dark.
const GRAYS: [(u16, u32, u32); 25] = [
    (0, 0xffffff, 0x0d0d0d),
    (25, 0xfcfcfc, 0x101010),
    (50, 0xf9f9f9, 0x131313),
    (75, 0xf3f3f3, 0x161616),
    (100, 0xededed, 0x181818),
    (150, 0xdfdfdf, 0x1c1c1c),
    (200, 0xcdcdcd, 0x212121),
    (250, 0xb9b9b9, 0x282828),
    (300, 0xafafaf, 0x303030),
    (350, 0x9f9f9f, 0x393939),
    (400, 0x8f8f8f, 0x414141),
    (450, 0x767676, 0x4f4f4f),
    (500, 0x5d5d5d, 0x5d5d5d),
    (550, 0x4f4f4f, 0x767676),
    (600, 0x414141, 0x8f8f8f),
    (650, 0x393939, 0x9f9f9f),
    (700, 0x303030, 0xafafaf),
    (750, 0x282828, 0xb9b9b9),
    (800, 0x212121, 0xcdcdcd),
    (850, 0x1c1c1c, 0xdcdcdc),
    (900, 0x181818, 0xededed),
    (925, 0x161616, 0xf3f3f3),
    (950, 0x131313, 0xf3f3f3),
    (975, 0x101010, 0xf9f9f9),
    (1000, 0x0d0d0d, 0xffffff),
];

fn hex(rgb: u32) -> String {
    format!("#{rgb:06x}")
}

/// A primitive palette token: `blue-400`, `gray-200` (different in dark), `alpha-70` (the text
/// colour at 70 %), `white`, `black`.
fn primitive(token: &str) -> Option<Paint> {
    match token {
        "white" => return Some(Paint::Css("#ffffff".into())),
        "black" => return Some(Paint::Css("#000000".into())),
        _ => {}
    }
    let (hue, step) = token.rsplit_once('-')?;
    let step: u16 = step.parse().ok()?;
    if hue == "alpha" {
        if step > 100 {
            return None;
        }
        let alpha = number(f64::from(step) / 100.0);
        return Some(Paint::Scheme {
            light: format!("rgba(13,13,13,{alpha})"),
            dark: format!("rgba(255,255,255,{alpha})"),
        });
    }
    if hue == "gray" {
        let (_, light, dark) = GRAYS.iter().find(|(at, ..)| *at == step)?;
        return Some(Paint::Scheme { light: hex(*light), dark: hex(*dark) });
    }
    let (_, row) = HUES.iter().find(|(name, _)| *name == hue)?;
    let index = STEPS.iter().position(|at| *at == step)?;
    Some(Paint::Css(hex(row[index])))
}

/// Which tokens a colour prop takes besides the palette and CSS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorRole {
    /// Text and icons.
    Text,
    /// Backgrounds.
    Surface,
    /// Borders and dividers.
    Border,
    /// Chart series.
    Chart,
}

/// A colour prop: a token of its role, a palette token, CSS, or `{light, dark}`.
pub fn color(value: &Value, role: ColorRole) -> Option<Paint> {
    match value {
        Value::String(token) => {
            let named = match role {
                ColorRole::Text => text_token(token),
                ColorRole::Surface => surface_token(token),
                ColorRole::Border => border_token(token),
                ColorRole::Chart => chart_token(token),
            };
            named
                .map(|css| Paint::Css(css.to_owned()))
                .or_else(|| primitive(token))
                .or_else(|| safe_css(token).map(Paint::Css))
        }
        Value::Object(fields) => {
            let side = |key: &str| fields.get(key).and_then(|value| color(value, role));
            let (light, dark) = (side("light")?, side("dark")?);
            Some(Paint::Scheme { light: light.pick(false).to_owned(), dark: dark.pick(true).to_owned() })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn spacing_is_four_pixels_a_unit_and_strings_are_css() {
        assert_eq!(spacing(&json!(2)).as_deref(), Some("8px"));
        assert_eq!(spacing(&json!(0.5)).as_deref(), Some("2px"));
        assert_eq!(spacing(&json!("12px")).as_deref(), Some("12px"));
        assert_eq!(spacing(&json!(true)), None);
        assert_eq!(length(&json!(120)).as_deref(), Some("120px"));
        assert_eq!(length(&json!("50%")).as_deref(), Some("50%"));
    }

    #[test]
    fn padding_takes_a_side_over_its_axis() {
        assert_eq!(
            sides(&json!({"x": 2, "top": 1})),
            vec![("top", "4px".to_owned()), ("right", "8px".to_owned()), ("left", "8px".to_owned())]
        );
        assert_eq!(sides(&json!(3)).len(), 4);
    }

    #[test]
    fn css_that_could_fetch_escape_or_break_out_is_refused() {
        for bad in [
            "url(https://evil.example/x.png)",
            "URL(x)",
            "image-set('a.png' 1x)",
            "u\\72l(x)",
            "red; background: red",
            "red}body{color:red",
            "red !important",
            "/* */red",
            "element(#x)",
        ] {
            assert_eq!(safe_css(bad), None, "{bad}");
        }
        assert_eq!(
            safe_css("linear-gradient(90deg, #fff, rgb(0 0 0 / 50%))").as_deref(),
            Some("linear-gradient(90deg, #fff, rgb(0 0 0 / 50%))")
        );
        assert_eq!(safe_css(&"1".repeat(201)), None);
    }

    #[test]
    fn numbers_print_without_a_float_printer() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(3.5), "3.5");
        assert_eq!(number(-0.125), "-0.125");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(1.0 / 3.0), "0.333");
        assert_eq!(number(f64::NAN), "0");
    }

    #[test]
    fn colours_resolve_tokens_palette_css_and_scheme_pairs() {
        assert_eq!(color(&json!("secondary"), ColorRole::Text), Some(Paint::Css("var(--w-text-2)".into())));
        assert_eq!(
            color(&json!("surface-secondary"), ColorRole::Surface),
            Some(Paint::Css("var(--w-surface-2)".into()))
        );
        assert_eq!(color(&json!("blue-400"), ColorRole::Text), Some(Paint::Css("#0285ff".into())));
        assert_eq!(
            color(&json!("gray-200"), ColorRole::Surface),
            Some(Paint::Scheme { light: "#cdcdcd".into(), dark: "#212121".into() })
        );
        assert_eq!(
            color(&json!("alpha-70"), ColorRole::Text).map(|p| p.pick(true).to_owned()).as_deref(),
            Some("rgba(255,255,255,0.7)")
        );
        assert_eq!(
            color(&json!({"light": "red-400", "dark": "#fff"}), ColorRole::Text),
            Some(Paint::Scheme { light: "#fa423e".into(), dark: "#fff".into() })
        );
        assert_eq!(color(&json!("url(x)"), ColorRole::Surface), None);
        assert_eq!(color(&json!({"light": "red"}), ColorRole::Text), None);
    }
}
