#![no_main]
//! HTML discovery of scripts, styles, workers and CSP, and script references.
use libfuzzer_sys::fuzz_target;
use sealpost_verifier::html;

fuzz_target!(|data: &[u8]| {
    let _ = html::discover(data);
    let _ = html::script_references(data);
});
