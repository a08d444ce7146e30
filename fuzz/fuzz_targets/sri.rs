#![no_main]
//! Subresource Integrity metadata and CSP parsing.
use libfuzzer_sys::fuzz_target;
use sealpost_verifier::{csp, sri};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let integrity = sri::Integrity::parse(text);
        let _ = format!("{integrity:?}");
        let policy = csp::Policy::parse(text);
        let _ = csp::check(&[policy]);
    }
});
