//! How JSON text becomes `serde_json::Value` and back.
//!
//! The core works on `Value`. Natively (tests, tools) serde_json does the text work; in the
//! browser the glue uses the engine's own `JSON.parse`/`JSON.stringify`, which keeps serde_json's
//! parser and float printer out of the shipped wasm (about 15 KB of brotli, measured) and parses
//! large frames at native speed.

use serde_json::Value;

/// Parses and prints JSON text.
pub trait JsonCodec {
    /// Parses JSON text; `None` when it is not JSON.
    fn parse(&self, text: &str) -> Option<Value>;
    /// Prints a value as compact JSON text.
    fn stringify(&self, value: &Value) -> String;
}

/// serde_json's parser and printer.
#[derive(Clone, Copy, Debug, Default)]
pub struct SerdeJson;

impl JsonCodec for SerdeJson {
    fn parse(&self, text: &str) -> Option<Value> {
        serde_json::from_str(text).ok()
    }

    fn stringify(&self, value: &Value) -> String {
        value.to_string()
    }
}

/// A JSON object from key/value pairs. Building values by hand rather than with `json!` keeps
/// serde's serializer out of the wasm: `json!` converts every field through `Serialize`.
pub fn object(fields: Vec<(&str, Value)>) -> Value {
    let mut map = serde_json::Map::new();
    for (key, value) in fields {
        map.insert(key.to_owned(), value);
    }
    Value::Object(map)
}

/// A string, or `null` for `None`.
pub fn optional(text: &Option<String>) -> Value {
    text.as_ref().map_or(Value::Null, |text| Value::String(text.clone()))
}

/// A list of strings.
pub fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().map(|item| Value::String(item.clone())).collect())
}
