#![no_main]
//! Message decryption with a secret key and a password: never a panic.
use libfuzzer_sys::fuzz_target;
use sealpost_core::decrypt::{decrypt, DecryptOptions};
use sealpost_core::Password;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let f = common::fixture();
    let passwords = [Password::from("fuzz")];
    let _ = decrypt(
        data,
        &DecryptOptions {
            keys: std::slice::from_ref(&f.key),
            key_passphrases: &[],
            passwords: &passwords,
            verification_certs: std::slice::from_ref(&f.cert),
            session_keys: &[],
            require_signature: false,
            policy: &f.policy,
        },
    );
});
