//! JSON through the browser's own `JSON.parse` / `JSON.stringify` (see [`crate::json`] for why).
//! Numbers become `i64` when they are safe integers, else `f64` (JavaScript has nothing wider).
//!
//! `JSON.parse` takes any depth, but turning its result into a `Value` is a recursive walk on
//! the wasm stack, and so is everything later done with the `Value` (cloning, dropping, the
//! widget tree): text nested deeper than [`MAX_DEPTH`] is not JSON here, as text nested too
//! deep is not for serde_json natively (whose recursion limit is about the same, 127 levels).
//!
//! Each array and object is taken up to [`MAX_ENTRIES`] entries: every entry crosses from
//! JavaScript into the wasm one call at a time, and a server's answer of hundreds of thousands
//! of values (a widget of 10,000 list rows) would hold the page's main thread for a second. No
//! message of the protocol has that many entries in one list; what is drawn is capped lower.

use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

use crate::json::JsonCodec;

/// The browser's JSON.
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserJson;

impl JsonCodec for BrowserJson {
    fn parse(&self, text: &str) -> Option<Value> {
        js_sys::JSON::parse(text).ok().and_then(|value| to_value_within(&value, MAX_DEPTH))
    }

    fn stringify(&self, value: &Value) -> String {
        js_sys::JSON::stringify(&to_js(value)).ok().and_then(|text| text.as_string()).unwrap_or_default()
    }
}

/// Deepest nesting of arrays and objects taken.
pub const MAX_DEPTH: usize = 128;

/// Most entries taken of one array or object (the rest are left out).
pub const MAX_ENTRIES: usize = 1_000;

/// A JavaScript value as JSON data. Functions, `undefined` and symbols become `null` (or are
/// left out of objects), as `JSON.stringify` would. A value that nests deeper than
/// [`MAX_DEPTH`] (or contains itself) becomes `null` as a whole.
pub fn to_value(value: &JsValue) -> Value {
    to_value_within(value, MAX_DEPTH).unwrap_or(Value::Null)
}

/// [`to_value`], or `None` when `value` nests arrays and objects deeper than `depth`.
fn to_value_within(value: &JsValue, depth: usize) -> Option<Value> {
    if let Some(text) = value.as_string() {
        return Some(Value::String(text));
    }
    if let Some(flag) = value.as_bool() {
        return Some(Value::Bool(flag));
    }
    if let Some(number) = value.as_f64() {
        const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
        return Some(if number.fract() == 0.0 && number.abs() <= MAX_SAFE {
            Value::Number(Number::from(number as i64))
        } else {
            Number::from_f64(number).map_or(Value::Null, Value::Number)
        });
    }
    let inner = depth.checked_sub(1);
    if let Some(array) = value.dyn_ref::<js_sys::Array>() {
        let inner = inner?;
        return array
            .iter()
            .take(MAX_ENTRIES)
            .map(|entry| to_value_within(&entry, inner))
            .collect::<Option<_>>()
            .map(Value::Array);
    }
    if value.is_object() && !value.is_function() {
        let inner = inner?;
        let mut map = Map::new();
        if let Ok(entries) = js_sys::Object::entries(value.unchecked_ref()).dyn_into::<js_sys::Array>() {
            for entry in entries.iter().take(MAX_ENTRIES) {
                let pair: js_sys::Array = entry.unchecked_into();
                let field = pair.get(1);
                if let Some(key) = pair.get(0).as_string() {
                    if !field.is_undefined() && !field.is_function() {
                        map.insert(key, to_value_within(&field, inner)?);
                    }
                }
            }
        }
        return Some(Value::Object(map));
    }
    Some(Value::Null)
}

/// JSON data as a JavaScript value.
pub fn to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(flag) => JsValue::from_bool(*flag),
        Value::Number(number) => match (number.as_i64(), number.as_f64()) {
            (Some(integer), _) => JsValue::from_f64(integer as f64),
            (None, Some(float)) => JsValue::from_f64(float),
            (None, None) => JsValue::NULL,
        },
        Value::String(text) => JsValue::from_str(text),
        Value::Array(entries) => entries.iter().map(to_js).collect::<js_sys::Array>().into(),
        Value::Object(fields) => {
            let object = js_sys::Object::new();
            for (key, field) in fields {
                let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &to_js(field));
            }
            object.into()
        }
    }
}
