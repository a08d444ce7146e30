#![no_main]
//! MIME and PGP/MIME reading: the parser, then the whole mail reader.
use libfuzzer_sys::fuzz_target;
use sealpost_core::mail::{self, mime, ReadOptions};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(part) = mime::parse(data) {
        let mut stack = vec![&part];
        while let Some(p) = stack.pop() {
            let _ = p.decoded();
            let _ = p.text();
            let _ = p.filename();
            stack.extend(p.children.iter());
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = mime::decode_words(text);
        let _ = mime::parse_addresses(text);
        let _ = mime::parse_content_type(text);
    }
    let f = common::fixture();
    let _ = mail::read_mail(
        data,
        &ReadOptions {
            keys: std::slice::from_ref(&f.key),
            key_passphrases: &[],
            verification_certs: std::slice::from_ref(&f.cert),
            policy: &f.policy,
        },
    );
});
