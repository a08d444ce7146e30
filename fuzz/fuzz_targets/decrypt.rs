#![no_main]
//! Message decryption with a secret key and a password, buffered and
//! streamed in data-dependent pieces: never a panic, and when both succeed
//! they return the same plaintext.
use libfuzzer_sys::fuzz_target;
use sealpost_core::decrypt::{decrypt, DecryptOptions};
use sealpost_core::stream::DecryptStream;
use sealpost_core::Password;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let f = common::fixture();
    let passwords = [Password::from("fuzz")];
    let opts = DecryptOptions {
        keys: std::slice::from_ref(&f.key),
        key_passphrases: &[],
        passwords: &passwords,
        verification_certs: std::slice::from_ref(&f.cert),
        session_keys: &[],
        require_signature: false,
        policy: &f.policy,
    };
    let buffered = decrypt(data, &opts);
    let Ok(mut s) = DecryptStream::new(&opts) else {
        return;
    };
    let piece = 1 + usize::from(data.first().copied().unwrap_or(0)) % 97;
    let mut out = Vec::new();
    for chunk in data.chunks(piece) {
        match s.push(chunk) {
            Ok(o) => out.extend_from_slice(&o),
            Err(_) => return,
        }
    }
    if let (Ok(summary), Ok(b)) = (s.finish(), buffered) {
        out.extend_from_slice(&summary.data);
        assert_eq!(out, b.data, "streamed and buffered plaintext differ");
    }
});
