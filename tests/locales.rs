//! Every shipped locale file names every string in the section of the stage that shows it
//! (`texts`: the launcher stage's, shipped with the script; `panel`: the panel and widget
//! stages', shipped with the panel stage), keeps the placeholders the English text has, and says
//! whether it is right-to-left.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use orcheo_chat::i18n::{
    Key, Locale, PanelText, Text, WidgetText, ENGLISH, KEYS, PANEL_ENGLISH, PANEL_KEYS, WIDGET_ENGLISH,
    WIDGET_KEYS,
};
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
        let section =
            |name: &str| value[name].as_object().cloned().unwrap_or_else(|| panic!("{lang}: {name}"));
        let (launcher, panel) = (section("texts"), section("panel"));
        let stages = [
            ("texts", &launcher, KEYS.iter().zip(ENGLISH).collect::<Vec<_>>()),
            (
                "panel",
                &panel,
                PANEL_KEYS.iter().zip(PANEL_ENGLISH).chain(WIDGET_KEYS.iter().zip(WIDGET_ENGLISH)).collect(),
            ),
        ];
        for (name, texts, strings) in stages {
            for (key, english) in &strings {
                let translated = texts
                    .get(**key)
                    .and_then(|v| v.as_str())
                    .unwrap_or_else(|| panic!("{lang}: missing {key} in {name}"));
                assert!(!translated.trim().is_empty(), "{lang}: empty {key}");
                assert_eq!(placeholders(translated), placeholders(english), "{lang}: placeholders of {key}");
            }
            assert_eq!(texts.len(), strings.len(), "{lang}: no unknown keys in {name}");
        }
        // The launcher stage's file alone, then with the panel's merged in, as the loader does.
        let alone = Locale::from_json(&value).unwrap_or_else(|| panic!("{lang}: a locale"));
        assert_eq!(alone.lang, *lang);
        assert_eq!(alone.rtl, *lang == "ar", "{lang}: direction");
        assert_ne!(alone.get(Text::OpenChat), "Open chat", "{lang}: translated");
        assert_eq!(alone.panel(PanelText::Send), "Send", "{lang}: English until the panel's strings are in");
        let mut merged = value.clone();
        if let Some(texts) = merged["texts"].as_object_mut() {
            texts.extend(panel);
        }
        let locale = Locale::from_json(&merged).unwrap_or_else(|| panic!("{lang}: a locale"));
        assert_ne!(locale.panel(PanelText::Send), "Send", "{lang}: the panel's strings too");
        assert_ne!(WidgetText::ShowMore.in_locale(&locale), "Show more", "{lang}: and the widget stage's");
    }
}
