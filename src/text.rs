//! Finding and replacing a piece of text, and reading a whole number, by bytes, for the
//! launcher stage.
//!
//! `str::find`, `contains`, `split` and `replace` with a string pattern each bring core's
//! two-way string searcher (about 1 KB of wasm) into whichever stage calls them first, and
//! `str::parse::<i64>` its generic number parser (0.6 KB). The
//! launcher stage only ever looks for a few short markers (`://`, `{title}`) in short texts (an
//! option's value, a sentence of the locale), so a plain scan does the same job there and the
//! searcher stays in the panel stage, which needs it anyway.

/// The byte offset of the first `needle` in `haystack`.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.as_bytes().windows(needle.len()).position(|window| window == needle.as_bytes())
}

/// `text` with every `from` replaced by `to`.
pub fn replace(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find(rest, from).filter(|_| !from.is_empty()) {
        out.push_str(&rest[..at]);
        out.push_str(to);
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

/// A whole number written in decimal digits, with an optional sign (what an integer option
/// holds: `z-index`, an offset), up to 15 digits.
pub fn parse_integer(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = digits.bytes().fold(0i64, |value, b| value * 10 + i64::from(b - b'0'));
    Some(if negative { -value } else { value })
}

/// What follows the first `://` (a URL's authority and path), if there is one.
pub fn after_scheme(url: &str) -> Option<&str> {
    find(url, "://").map(|at| &url[at + 3..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_replaces_as_the_standard_library_does() {
        for (haystack, needle) in
            [("https://x/api", "://"), ("a{title}b{title}", "{title}"), ("", "x"), ("abc", ""), ("ééa", "a")]
        {
            assert_eq!(find(haystack, needle), haystack.find(needle), "{haystack:?} {needle:?}");
            assert_eq!(
                replace(haystack, needle, "<>"),
                if needle.is_empty() { haystack.to_owned() } else { haystack.replace(needle, "<>") }
            );
        }
        assert_eq!(after_scheme("https://x.example/api"), Some("x.example/api"));
        for text in ["0", "42", "-7", "+7", "999999999999999", "", "-", "4 2", "1.5", "x", "9999999999999999"]
        {
            let expected =
                text.parse::<i64>().ok().filter(|_| text.trim_start_matches(['-', '+']).len() <= 15);
            assert_eq!(parse_integer(text), expected, "{text:?}");
        }
        assert_eq!(after_scheme("x.example"), None);
    }
}
