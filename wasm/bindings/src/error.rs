//! core::Error → JS `SealpostError`.

use sealpost_core::{Error, ErrorCode};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/error.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeSealpostError)]
    fn make_sealpost_error(code: &str, message: &str, missing_algorithm: bool) -> JsValue;
}

/// Converts a core error into the JS exception value.  An UNSUPPORTED error
/// for an algorithm this module left out carries `missing: 'algorithm'`.
pub(crate) fn to_js(e: Error) -> JsValue {
    make_sealpost_error(e.code().as_str(), e.message(), e.missing_algorithm())
}

/// A `SealpostError` with code `INVALID_ARGUMENT` naming the argument.
pub(crate) fn invalid(message: impl AsRef<str>) -> JsValue {
    make_sealpost_error(ErrorCode::InvalidArgument.as_str(), message.as_ref(), false)
}

/// The stable error codes, for parity tests with the JS table.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

pub(crate) trait IntoJs<T> {
    fn js(self) -> Result<T, JsValue>;
}

impl<T> IntoJs<T> for sealpost_core::Result<T> {
    fn js(self) -> Result<T, JsValue> {
        self.map_err(to_js)
    }
}
