//! Every shipped locale file names every string, keeps the placeholders the English text has,
//! and says whether it is right-to-left.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use orcheo_chat::i18n::{Locale, Text, ENGLISH, KEYS};
use orcheo_chat::json::{JsonCodec, SerdeJson};

const SHIPPED: &[&str] = &["ar", "de", "es", "fr", "ja", "pt", "zh"];

fn placeholders(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> =
        text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
    found.sort_unstable();
    found
}

#[test]
fn every_locale_translates_every_string_with_the_same_placeholders() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/locales");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("src/locales")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".json").map(str::to_owned))
        .collect();
    files.sort();
    assert_eq!(files, SHIPPED, "the shipped locales (English is built in)");
    for lang in SHIPPED {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.json"))).expect("readable");
        let value = SerdeJson.parse(&text).unwrap_or_else(|| panic!("{lang}.json is not JSON"));
        let texts = value["texts"].as_object().unwrap_or_else(|| panic!("{lang}: texts"));
        for (key, english) in KEYS.iter().zip(ENGLISH) {
            let translated =
                texts.get(*key).and_then(|v| v.as_str()).unwrap_or_else(|| panic!("{lang}: missing {key}"));
            assert!(!translated.trim().is_empty(), "{lang}: empty {key}");
            assert_eq!(placeholders(translated), placeholders(english), "{lang}: placeholders of {key}");
        }
        assert_eq!(texts.len(), KEYS.len(), "{lang}: no unknown keys");
        let locale = Locale::from_json(&value).unwrap_or_else(|| panic!("{lang}: a locale"));
        assert_eq!(locale.lang, *lang);
        assert_eq!(locale.rtl, *lang == "ar", "{lang}: direction");
        assert_ne!(locale.get(Text::OpenChat), "Open chat", "{lang}: translated");
    }
}
