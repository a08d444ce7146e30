//! sealpost-wasm: the wasm-bindgen exports of sealpost-core, for the npm shim and the demo.
//! Conversion and errors only, never OpenPGP logic: every operation is one call into the core.
//!
//! It is the leaf crate that picks sequoia's crypto backend (`crypto-rust`).
//! Keys are opaque [`Key`] objects (a parsed certificate held in wasm
//! memory); operations are small builder objects that borrow keys, so a
//! key passed from JS is never consumed.  Every failure is thrown as a
//! JS `SealpostError` (an `Error` subclass) with a stable `code`.
#![forbid(unsafe_code)]

mod convert;
mod error;
mod keys;
mod mail;
mod ops;

pub use error::error_codes;
pub use keys::*;
pub use mail::*;
pub use ops::*;

/// Traps the module on purpose (a Rust panic is a wasm `unreachable`).
/// Exists only so that tests can prove that a trapped instance is replaced
/// and that pending calls fail with `WASM_TRAPPED`; it touches no data.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = __testTrap)]
pub fn test_trap() {
    panic!("deliberate trap for testing")
}
