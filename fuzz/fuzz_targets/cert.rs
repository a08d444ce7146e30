#![no_main]
//! Certificate and key parsing, inspection, Autocrypt and WKD answer checks.
use libfuzzer_sys::fuzz_target;
use sealpost_core::keys;
use sealpost_core::mail::{autocrypt, wkd};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let f = common::fixture();
    if let Ok(certs) = keys::read_certs(data) {
        for c in &certs {
            let _ = keys::inspect(c, &f.policy);
            let _ = keys::write_cert(c, false, true);
            let _ = autocrypt::minimal_cert(c, "fuzz@example.org", &f.policy);
        }
    }
    let _ = wkd::select(data, "fuzz@example.org", &f.policy);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = autocrypt::parse(text, &f.policy);
        let _ = wkd::urls(text);
    }
});
