//! RFC 9580 Appendix A sample data (the files ship with sequoia-openpgp's
//! tests; copied to fixtures/rfc9580_*).

#![allow(clippy::unwrap_used)] // tests and examples may panic on failure
mod common;
use common::*;

use sealpost_core::decrypt::{decrypt, DecryptOptions};
use sealpost_core::encrypt::{encrypt, EncryptOptions};
use sealpost_core::keys;
use sealpost_core::verify::{verify, VerifyOptions};
use sealpost_core::ErrorCode;

/// RFC 9580 A.3: the v6 Ed25519/X25519 sample certificate.
const V6_FPR: &str = "CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9";

#[test]
fn a3_sample_certificate() {
    let cert = keys::read_cert(&fixture("rfc9580_v6-minimal-cert.key")).unwrap();
    let info = keys::inspect(&cert, &policy());
    assert_eq!(info.fingerprint, V6_FPR);
    assert_eq!(info.version, 6);
    assert!(!info.is_secret);
    assert!(info.valid, "{:?}", info.invalid_reason);
    assert_eq!(info.keys[0].algorithm, "Ed25519");
    assert_eq!(info.keys[1].algorithm, "X25519");
    assert!(info.keys[1].flags.encrypt_communications);
}

#[test]
fn a4_a5_sample_secret_keys_unlocked_and_locked() {
    let open = keys::read_cert(&fixture("rfc9580_v6-minimal-secret.key")).unwrap();
    assert_eq!(open.fingerprint().to_hex(), V6_FPR);
    assert!(!keys::is_locked(&open));
    let locked = keys::read_cert(&fixture("rfc9580_v6-minimal-secret-locked.key")).unwrap();
    assert!(keys::is_locked(&locked));
    assert_eq!(
        keys::unlock(
            &locked,
            &pw("wrong"),
            &policy().with_max_argon2_kib(1 << 21)
        )
        .unwrap_err()
        .code(),
        ErrorCode::BadPassphrase
    );
    // A.5 is locked with 'correct horse battery staple' under Argon2 with
    // m=21: 2 GiB of memory.  The default policy refuses that up front...
    let e = keys::unlock(&locked, &pw("correct horse battery staple"), &policy()).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceeded, "{e}");
    // ...and a caller who raises the cap gets the key.
    let generous = policy().with_max_argon2_kib(1 << 21);
    let unlocked = keys::unlock(&locked, &pw("correct horse battery staple"), &generous).unwrap();
    assert!(!keys::is_locked(&unlocked));
    // The same key locked for constrained environments opens by default.
    let small = keys::read_cert(&fixture(
        "rfc9580_v6-minimal-secret-locked-for-constrained-envs.key",
    ))
    .unwrap();
    assert_eq!(
        keys::unlock(&small, &pw("wrong"), &policy())
            .unwrap_err()
            .code(),
        ErrorCode::BadPassphrase
    );
    assert!(!keys::is_locked(
        &keys::unlock(&small, &pw("correct horse battery staple"), &policy()).unwrap()
    ));
}

#[test]
fn a6_cleartext_signed_message_verifies() {
    let cert = keys::read_cert(&fixture("rfc9580_v6-minimal-cert.key")).unwrap();
    let p = policy();
    let v = verify(
        &fixture("rfc9580_cleartext-signed-message.txt"),
        &VerifyOptions {
            certs: &[cert],
            require_signature: true,
            policy: &p,
        },
    )
    .unwrap();
    assert_eq!(
        v.data,
        fixture("rfc9580_cleartext-signed-message.txt.plain")
    );
    assert_eq!(v.signatures.len(), 1);
    assert!(v.signatures[0].valid);
    assert_eq!(v.signatures[0].signer_fingerprint.as_deref(), Some(V6_FPR));
}

#[test]
fn a9_a10_a11_v6_skesk_messages_decrypt_with_password() {
    let p = policy();
    for mode in ["eax", "ocb", "gcm"] {
        let pws = [pw("password")];
        let out = decrypt(
            &fixture(&format!("rfc9580_v6skesk-aes128-{mode}.pgp")),
            &DecryptOptions {
                keys: &[],
                key_passphrases: &[],
                passwords: &pws,
                verification_certs: &[],
                session_keys: &[],
                require_signature: false,
                policy: &p,
            },
        )
        .unwrap_or_else(|e| panic!("{mode}: {e}"));
        assert_eq!(out.data, b"Hello, world!", "{mode}");
        assert_eq!(
            out.layers.aead.as_deref().map(|a| a.to_ascii_lowercase()),
            Some(mode.to_string()),
            "{mode}"
        );
        let wrong = [pw("passw0rd")];
        let e = decrypt(
            &fixture(&format!("rfc9580_v6skesk-aes128-{mode}.pgp")),
            &DecryptOptions {
                keys: &[],
                key_passphrases: &[],
                passwords: &wrong,
                verification_certs: &[],
                session_keys: &[],
                require_signature: false,
                policy: &p,
            },
        )
        .unwrap_err();
        assert_eq!(e.code(), ErrorCode::DecryptionFailed, "{mode}");
    }
}

#[test]
fn sample_v6_key_round_trip_seipdv2() {
    let p = policy();
    let secret = keys::read_cert(&fixture("rfc9580_v6-minimal-secret.key")).unwrap();
    let cert = keys::read_cert(&fixture("rfc9580_v6-minimal-cert.key")).unwrap();
    let ct = encrypt(
        b"to the sample key",
        &EncryptOptions {
            recipients: std::slice::from_ref(&cert),
            passwords: &[],
            signers: std::slice::from_ref(&secret),
            signer_passphrases: &[],
            armor: true,
            force_aead: false,
            text: false,
            policy: &p,
        },
    )
    .unwrap();
    let out = decrypt(
        &ct,
        &DecryptOptions {
            keys: &[secret],
            key_passphrases: &[],
            passwords: &[],
            verification_certs: &[cert],
            session_keys: &[],
            require_signature: true,
            policy: &p,
        },
    )
    .unwrap();
    assert_eq!(out.data, b"to the sample key");
    assert!(out.layers.aead.is_some(), "v6 recipient → SEIPDv2");
    assert!(out.signatures[0].valid);
}
