//! Minifies the stylesheets (`style/launcher.css`, `style/panel.css`, `style/widgets.css`) into `$OUT_DIR` for the
//! wasm: comments go, runs of whitespace shrink, and the spaces around `{ } ; , >` and after a
//! property's `:` go.

use std::{env, fs, path::Path};

fn minify(css: &str) -> String {
    let mut without_comments = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        without_comments.push_str(&rest[..start]);
        rest = rest[start + 2..].split_once("*/").map_or("", |(_, after)| after);
    }
    without_comments.push_str(rest);
    let collapsed = without_comments.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len());
    let chars: Vec<char> = collapsed.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = out.chars().last();
            let after = chars.get(i + 1).copied();
            let tight = |c: Option<char>| matches!(c, Some('{' | '}' | ';' | ',' | '>'));
            // After a declaration's `:` (an identifier right after `{` or `;`).
            let after_property = before == Some(':') && {
                let head = out.trim_end_matches(':');
                let name_start = head.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '-');
                name_start.len() < head.len() && matches!(name_start.chars().last(), Some('{' | ';'))
            };
            if tight(before) || tight(after) || after_property {
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn main() {
    let out_dir = env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    for name in ["launcher.css", "panel.css", "widgets.css"] {
        let source = format!("style/{name}");
        println!("cargo::rerun-if-changed={source}");
        let css = fs::read_to_string(&source).unwrap_or_default();
        let _ = fs::write(Path::new(&out_dir).join(name), minify(&css));
    }
}
