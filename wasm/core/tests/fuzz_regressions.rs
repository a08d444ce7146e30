//! Every input under fuzz/regressions/TARGET/ — crashes `make fuzz` found,
//! kept after the fix — replayed through the same calls as the fuzz target:
//! each must return (an error is fine), never panic.  The fixed fuzz key
//! (fuzz/key.asc) is the one the inputs were made against.

#![allow(clippy::unwrap_used)] // tests may panic on failure
use std::path::Path;

use sealpost_core::decrypt::{decrypt, DecryptOptions};
use sealpost_core::keys;
use sealpost_core::mail::{self, mime, ReadOptions};
use sealpost_core::stream::DecryptStream;
use sealpost_core::verify::{detach, verify, verify_detached, VerifyOptions};
use sealpost_core::{Password, Policy};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut v: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn decrypt_regressions_return_errors_buffered_and_streamed() {
    let key = keys::read_cert(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/key.asc")).unwrap(),
    )
    .unwrap();
    let cert = keys::public_cert(&key);
    let policy = Policy::new().with_max_plaintext(1 << 20);
    let passwords = [Password::from("fuzz")];
    let opts = DecryptOptions {
        keys: std::slice::from_ref(&key),
        key_passphrases: &[],
        passwords: &passwords,
        verification_certs: std::slice::from_ref(&cert),
        session_keys: &[],
        require_signature: false,
        policy: &policy,
    };
    let cases = inputs("decrypt");
    assert!(
        !cases.is_empty(),
        "fuzz/regressions/decrypt holds the crash found by make fuzz"
    );
    for (name, data) in cases {
        let r = decrypt(&data, &opts);
        assert!(r.is_err(), "{name}: decrypted?");
        let mut s = DecryptStream::new(&opts).unwrap();
        let pushed = s.push(&data);
        assert!(
            pushed.is_err() || s.finish().is_err(),
            "{name}: the stream decrypted?"
        );
    }
}

#[test]
fn other_regressions_do_not_panic() {
    let key = keys::read_cert(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/key.asc")).unwrap(),
    )
    .unwrap();
    let cert = keys::public_cert(&key);
    let policy = Policy::new().with_max_plaintext(1 << 20);
    let vopts = VerifyOptions {
        certs: std::slice::from_ref(&cert),
        require_signature: false,
        policy: &policy,
    };
    for (_, data) in inputs("verify") {
        let _ = verify(&data, &vopts);
        let _ = detach(&data, &policy);
    }
    for (_, data) in inputs("verify_detached") {
        if let Some((&n, rest)) = data.split_first() {
            let at = (n as usize).min(rest.len());
            let (sig, msg) = rest.split_at(rest.len() - at);
            let _ = verify_detached(msg, sig, &vopts);
        }
    }
    for (_, data) in inputs("mime") {
        let _ = mime::parse(&data);
        let _ = mail::read_mail(
            &data,
            &ReadOptions {
                keys: std::slice::from_ref(&key),
                key_passphrases: &[],
                verification_certs: &[],
                policy: &policy,
            },
        );
    }
    // As the cert fuzz target does: whatever reads must also inspect,
    // write and minimize without a panic.
    for (_, data) in inputs("cert") {
        if let Ok(certs) = keys::read_certs(&data) {
            for c in &certs {
                let _ = keys::inspect(c, &policy);
                let _ = keys::write_cert(c, false, true);
                let _ = mail::autocrypt::minimal_cert(c, "fuzz@example.org", &policy);
            }
        }
        let _ = mail::wkd::select(&data, "fuzz@example.org", &policy);
    }
}
