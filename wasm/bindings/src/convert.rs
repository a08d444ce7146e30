//! JS value ↔ Rust conversions shared by the exports.

use js_sys::{Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::invalid;

/// Bytes from a `Uint8Array` or a string (UTF-8, e.g. armored text).
pub(crate) fn bytes(name: &str, v: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = v.as_string() {
        return Ok(s.into_bytes());
    }
    if let Some(a) = v.dyn_ref::<Uint8Array>() {
        return Ok(a.to_vec());
    }
    Err(js_sys::TypeError::new(&format!("{name} must be a Uint8Array or a string")).into())
}

/// Serializes a core result struct into a plain JS object (no `Map`s).
pub(crate) fn to_plain<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| invalid(format!("internal conversion error: {e}")))
}

/// Builds a plain object from key/value pairs.
pub(crate) fn object(fields: &[(&str, JsValue)]) -> Result<JsValue, JsValue> {
    let o = Object::new();
    for (k, v) in fields {
        Reflect::set(&o, &JsValue::from_str(k), v)?;
    }
    Ok(o.into())
}

/// Reads an optional field of an options object.
pub(crate) fn field(opts: &JsValue, name: &str) -> Result<Option<JsValue>, JsValue> {
    if opts.is_undefined() || opts.is_null() {
        return Ok(None);
    }
    if !opts.is_object() {
        return Err(js_sys::TypeError::new("options must be an object").into());
    }
    let v = Reflect::get(opts, &JsValue::from_str(name))?;
    Ok(if v.is_undefined() || v.is_null() {
        None
    } else {
        Some(v)
    })
}

/// Reads an optional field of one JS type; a value of another type is a
/// `TypeError` naming the field and the expected type.
fn typed_field<T>(
    opts: &JsValue,
    name: &str,
    expected: &str,
    extract: impl FnOnce(&JsValue) -> Option<T>,
) -> Result<Option<T>, JsValue> {
    match field(opts, name)? {
        None => Ok(None),
        Some(v) => extract(&v)
            .map(Some)
            .ok_or_else(|| js_sys::TypeError::new(&format!("{name} must be {expected}")).into()),
    }
}

pub(crate) fn string_field(opts: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    typed_field(opts, name, "a string", JsValue::as_string)
}

pub(crate) fn number_field(opts: &JsValue, name: &str) -> Result<Option<f64>, JsValue> {
    typed_field(opts, name, "a number", JsValue::as_f64)
}

pub(crate) fn bool_field(opts: &JsValue, name: &str) -> Result<Option<bool>, JsValue> {
    typed_field(opts, name, "a boolean", JsValue::as_bool)
}

pub(crate) fn strings_field(opts: &JsValue, name: &str) -> Result<Vec<String>, JsValue> {
    match field(opts, name)? {
        None => Ok(Vec::new()),
        Some(v) => {
            if let Some(s) = v.as_string() {
                return Ok(vec![s]);
            }
            let arr = v.dyn_ref::<js_sys::Array>().ok_or_else(|| {
                JsValue::from(js_sys::TypeError::new(&format!(
                    "{name} must be a string or an array of strings"
                )))
            })?;
            arr.iter()
                .map(|x| {
                    x.as_string().ok_or_else(|| {
                        js_sys::TypeError::new(&format!("{name} must contain only strings")).into()
                    })
                })
                .collect()
        }
    }
}
