#![no_main]
//! Detached signatures: the first byte splits the input into signature and data.
use libfuzzer_sys::fuzz_target;
use sealpost_core::verify::{verify_detached, VerifyOptions};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let at = (n as usize).min(rest.len());
    let (sig, msg) = rest.split_at(rest.len() - at);
    let f = common::fixture();
    let _ = verify_detached(
        msg,
        sig,
        &VerifyOptions {
            certs: std::slice::from_ref(&f.cert),
            require_signature: false,
            policy: &f.policy,
        },
    );
});
