//! Colours and the per-embed custom properties: contrast maths for choosing text on the accent
//! colour, and the `:host { --orcheo-chat-… }` block generated from the options.

use crate::config::Config;

/// The system UI font stack (no web fonts, ever).
pub const SYSTEM_FONT: &str =
    "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, \"Noto Sans\", sans-serif";

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#rgb`, `#rrggbb` (an alpha part is ignored) and `rgb(r g b)` / `rgb(r, g, b)`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        if let Some(hex) = text.strip_prefix('#') {
            let digit = |i: usize| u8::from_str_radix(hex.get(i..=i)?, 16).ok();
            let pair = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
            return match hex.len() {
                3 | 4 => Some(Rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
                6 | 8 => Some(Rgb(pair(0)?, pair(2)?, pair(4)?)),
                _ => None,
            };
        }
        let inner = text.strip_prefix("rgb(").or_else(|| text.strip_prefix("rgba("))?.strip_suffix(')')?;
        // Integer channels only: a float parser would cost more than it is worth here.
        let channels: Vec<u8> = inner
            .split([',', ' ', '/'])
            .filter(|part| !part.is_empty())
            .take(3)
            .map(|part| {
                part.split('.').next().and_then(|whole| whole.parse::<u32>().ok()).map(|v| v.min(255) as u8)
            })
            .collect::<Option<_>>()?;
        (channels.len() == 3).then(|| Rgb(channels[0], channels[1], channels[2]))
    }

    /// WCAG 2 relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |value: u8| {
            let c = f64::from(value) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                pow_2_4((c + 0.055) / 1.055)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }
}

/// `x^2.4` for `x` in (0, 1], as `x² · ⁵√(x²)`. The fifth root comes from Newton's method
/// (quadratic convergence from 1; 40 steps are exact to f64 precision for x ≥ 0.04): `powf`
/// would link a general `pow` (about 1.4 KB of wasm) for this one use.
fn pow_2_4(x: f64) -> f64 {
    let square = x * x;
    let mut root = 1.0_f64;
    for _ in 0..40 {
        let fourth = root * root * root * root;
        root -= (fourth * root - square) / (5.0 * fourth);
    }
    square * root
}

/// WCAG 2 contrast ratio between two colours (1 to 21).
pub fn contrast_ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// White or near-black, whichever reads better on `accent` (white when the colour cannot be
/// parsed, e.g. a named colour).
pub fn text_on(accent: &str) -> &'static str {
    const WHITE: Rgb = Rgb(255, 255, 255);
    const INK: Rgb = Rgb(17, 24, 39);
    match Rgb::parse(accent) {
        Some(colour) if contrast_ratio(colour, INK) > contrast_ratio(colour, WHITE) => "#111827",
        _ => "#ffffff",
    }
}

/// The custom properties for one embed's options, as the body of a `:host` rule. They sit in
/// their own stylesheet, so the host element never needs a `style` attribute and a page can
/// still override each one (`orcheo-chat { --orcheo-chat-accent: … }`).
pub fn host_properties(config: &Config) -> String {
    format!(
        ":host{{--orcheo-chat-accent:{accent};--orcheo-chat-on-accent:{on};--orcheo-chat-radius:{radius};\
         --orcheo-chat-font:{font};--orcheo-chat-z-index:{z};--orcheo-chat-offset-x:{x}px;--orcheo-chat-offset-y:{y}px}}",
        accent = config.accent,
        on = text_on(&config.accent),
        radius = config.radius.css(),
        font = config.font.as_deref().unwrap_or(SYSTEM_FONT),
        z = config.z_index,
        x = config.offset_x,
        y = config.offset_y,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pow_2_4_matches_powf_over_the_srgb_range() {
        for value in 11..=255_u8 {
            let x = (f64::from(value) / 255.0 + 0.055) / 1.055;
            let (ours, exact) = (pow_2_4(x), x.powf(2.4));
            assert!((ours - exact).abs() < 1e-12, "{x}: {ours} vs {exact}");
        }
    }
    use crate::config::DEFAULT_ACCENT;

    #[test]
    fn the_default_accent_carries_white_text_above_aa() {
        let accent = Rgb::parse(DEFAULT_ACCENT).unwrap_or(Rgb(0, 0, 0));
        assert_eq!(text_on(DEFAULT_ACCENT), "#ffffff");
        let ratio = contrast_ratio(accent, Rgb(255, 255, 255));
        assert!(ratio >= 4.5, "{ratio}");
    }

    #[test]
    fn light_accents_get_dark_text() {
        assert_eq!(text_on("#fde047"), "#111827");
        assert_eq!(text_on("rgb(250 250 250)"), "#111827");
        assert_eq!(text_on("#123"), "#ffffff");
        assert_eq!(text_on("rebeccapurple"), "#ffffff");
    }

    #[test]
    fn colours_parse_in_the_common_notations() {
        assert_eq!(Rgb::parse("#4F46E5"), Some(Rgb(79, 70, 229)));
        assert_eq!(Rgb::parse("#fff"), Some(Rgb(255, 255, 255)));
        assert_eq!(Rgb::parse("#4f46e580"), Some(Rgb(79, 70, 229)));
        assert_eq!(Rgb::parse("rgba(1, 2, 3, 0.5)"), Some(Rgb(1, 2, 3)));
        assert_eq!(Rgb::parse("#12345"), None);
        assert!((contrast_ratio(Rgb(0, 0, 0), Rgb(255, 255, 255)) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn host_properties_carry_every_themable_option() {
        let css = host_properties(&Config::default());
        for needle in [
            "--orcheo-chat-accent:#4f46e5",
            "--orcheo-chat-on-accent:#ffffff",
            "--orcheo-chat-radius:14px",
            "--orcheo-chat-z-index:2147483000",
            "--orcheo-chat-offset-x:20px",
            "system-ui",
        ] {
            assert!(css.contains(needle), "{needle} in {css}");
        }
    }
}
