#![no_main]
//! Release manifests: parsing, and signature checking against a fixed cert.
use libfuzzer_sys::fuzz_target;
use sealpost_verifier::manifest::{self, Manifest};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let _ = Manifest::from_bytes(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = manifest::parse_version(text);
        let _ = manifest::check_path(text);
    }
    let f = common::fixture();
    let mid = data.len() / 2;
    let _ = manifest::verify_signed(&data[..mid], &data[mid..], &f.cert);
});
