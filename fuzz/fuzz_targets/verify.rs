#![no_main]
//! Inline and cleartext verification, and inline detaching.
use libfuzzer_sys::fuzz_target;
use sealpost_core::verify::{detach, verify, VerifyOptions};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let f = common::fixture();
    let opts = VerifyOptions {
        certs: std::slice::from_ref(&f.cert),
        require_signature: false,
        policy: &f.policy,
    };
    let _ = verify(data, &opts);
    let _ = detach(data, &f.policy);
});
