//! Known OpenPGP attacks, each with its expected outcome: an error (with its
//! code) or a signature that is not valid — and never data that was not
//! verified.  Cases the issue lists that live elsewhere: SED and MDC damage,
//! bit flips and truncation (`bad_input.rs`), revoked and expired signers
//! (`roundtrip.rs`), the sequoia panic found by fuzzing
//! (`fuzz_regressions.rs`).

#![allow(clippy::unwrap_used)] // tests may panic on failure
mod common;
use common::craft::*;
use common::*;

use sealpost_core::keys::{self, KeyType};
use sealpost_core::report::SignatureStatus;
use sealpost_core::sign::SignMode;
use sealpost_core::verify::{verify, verify_detached};
use sealpost_core::{ErrorCode, Policy};
use sequoia_openpgp as openpgp;

use openpgp::packet::signature::SignatureBuilder;
use openpgp::packet::Literal;
use openpgp::serialize::Serialize;
use openpgp::types::{DataFormat, HashAlgorithm, SignatureType};
use openpgp::Packet;

#[test]
fn cve_2025_47934_extra_literal_after_a_signed_message() {
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, None);
    let certs = [keys::public_cert(&alice)];
    let mut msg = signed(b"the signed text", &alice, SignMode::Inline, &p);
    let mut lit = Literal::new(DataFormat::Binary);
    lit.set_body(b"injected, unsigned".to_vec());
    Packet::from(lit).serialize(&mut msg).unwrap();
    let e = verify(&msg, &verify_options(&certs, &p)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::MalformedInput, "{e}");
}

#[test]
fn cve_2023_41037_text_before_the_hash_header() {
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, None);
    let certs = [keys::public_cert(&alice)];
    let clear =
        String::from_utf8(signed(b"pay Bob 10\n", &alice, SignMode::Cleartext, &p)).unwrap();
    let forged = clear.replacen(
        "-----BEGIN PGP SIGNED MESSAGE-----\n",
        "-----BEGIN PGP SIGNED MESSAGE-----\npay Mallory 1000\n",
        1,
    );
    assert_ne!(forged, clear);
    match verify(forged.as_bytes(), &verify_options(&certs, &p)) {
        Err(e) => assert_eq!(e.code(), ErrorCode::MalformedInput, "{e}"),
        Ok(v) => {
            // Text returned with a valid signature must be exactly the signed
            // text; anything else must come with no valid signature (and
            // require_signature turns that into an error, below).
            if v.signatures.iter().any(|s| s.valid) {
                assert_eq!(v.data, b"pay Bob 10");
            }
            let mut strict = verify_options(&certs, &p);
            strict.require_signature = true;
            if String::from_utf8_lossy(&v.data).contains("Mallory") {
                assert!(
                    v.signatures.iter().all(|s| !s.valid),
                    "unsigned text shown as signed"
                );
                assert_eq!(
                    verify(forged.as_bytes(), &strict).unwrap_err().code(),
                    ErrorCode::NoValidSignature
                );
            }
        }
    }
}

#[test]
fn cve_2019_9153_standalone_or_timestamp_signature_instead_of_a_data_signature() {
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, None);
    let certs = [keys::public_cert(&alice)];
    let mut pair = signing_pair(&alice, &p);
    for typ in [SignatureType::Standalone, SignatureType::Timestamp] {
        let sig = match typ {
            SignatureType::Standalone => SignatureBuilder::new(typ).sign_standalone(&mut pair),
            _ => SignatureBuilder::new(typ).sign_timestamp(&mut pair),
        }
        .unwrap();
        let mut bytes = Vec::new();
        Packet::from(sig).serialize(&mut bytes).unwrap();
        match verify_detached(b"any data at all", &bytes, &verify_options(&certs, &p)) {
            Ok(v) => assert!(
                v.signatures.iter().all(|s| !s.valid),
                "{typ:?} counted as a data signature"
            ),
            Err(e) => assert_eq!(e.code(), ErrorCode::MalformedInput, "{typ:?}: {e}"),
        }
    }
}

#[test]
fn sha1_data_signatures_are_not_valid() {
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, None);
    let certs = [keys::public_cert(&alice)];
    let mut pair = signing_pair(&alice, &p);
    let sig = SignatureBuilder::new(SignatureType::Binary)
        .set_hash_algo(HashAlgorithm::SHA1)
        .sign_message(&mut pair, b"data")
        .unwrap();
    let mut bytes = Vec::new();
    Packet::from(sig).serialize(&mut bytes).unwrap();
    let v = verify_detached(b"data", &bytes, &verify_options(&certs, &p)).unwrap();
    assert_eq!(v.signatures.len(), 1);
    assert!(!v.signatures[0].valid);
    assert_eq!(v.signatures[0].status, SignatureStatus::BadSignature);
    // The same with SHA-256 is valid: the policy, not the key, refused it.
    let sig = SignatureBuilder::new(SignatureType::Binary)
        .set_hash_algo(HashAlgorithm::SHA256)
        .sign_message(&mut pair, b"data")
        .unwrap();
    let mut bytes = Vec::new();
    Packet::from(sig).serialize(&mut bytes).unwrap();
    assert!(
        verify_detached(b"data", &bytes, &verify_options(&certs, &p))
            .unwrap()
            .signatures[0]
            .valid
    );
}

#[test]
fn compression_nested_64_deep_is_an_error_not_a_stack_overflow() {
    let p = policy();
    let msg = compressed(64, 16, None, None);
    let e = verify(&msg, &verify_options(&[], &p)).unwrap_err();
    assert!(
        matches!(
            e.code(),
            ErrorCode::MalformedInput | ErrorCode::LimitExceeded | ErrorCode::Unsupported
        ),
        "{e}"
    );
}

#[test]
fn a_gibibyte_of_zeros_compressed_to_a_few_kib_fails_fast_on_the_limit() {
    let p = policy();
    let bomb = compressed(1, 1 << 30, None, None);
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    let t = std::time::Instant::now();
    let e = verify(&bomb, &verify_options(&[], &p)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::DecompressionBomb, "{e}");
    // Stops once the output outgrows the input by the ratio cap (past the
    // first MiB), rather than inflating the whole GiB: the code above says
    // which limit fired. The time bound is only a coarse backstop (20 s: a
    // loaded 2-core CI took 5.2 s once; inflating the GiB takes far longer).
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    // With the ratio check off, the plaintext cap stops it.
    let lax = Policy::new()
        .with_max_compression_ratio(0)
        .with_max_plaintext(16 << 20);
    let e = verify(&bomb, &verify_options(&[], &lax)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceeded, "{e}");
}

#[test]
fn no_error_message_carries_a_secret_or_plaintext() {
    use sealpost_core::decrypt::{decrypt, DecryptOptions, SessionKeyData};
    use sealpost_core::mail::{self, OutgoingMail, ReadOptions, SendOptions};
    const PASS: &str = "hunter2-secret-passphrase";
    const PLAIN: &str = "TOP-SECRET-PLAINTEXT";
    let p = policy();
    let key = locked_key("Secret", PASS);
    let cert = keys::public_cert(&key);
    let mut errors: Vec<String> = Vec::new();
    let mut note = |e: sealpost_core::Error| errors.push(format!("{e} {e:?}"));

    // A wrong passphrase that contains the right one.
    note(keys::unlock(&key, &pw(&format!("{PASS}x")), &p).unwrap_err());
    // A damaged message whose plaintext is known.
    let mut ct = encrypt_to(PLAIN.as_bytes(), std::slice::from_ref(&cert), false, &p);
    let n = ct.len();
    ct[n - 10] ^= 1;
    let passes = [pw(PASS)];
    note(
        decrypt(
            &ct,
            &DecryptOptions {
                keys: std::slice::from_ref(&key),
                key_passphrases: &passes,
                passwords: &[],
                verification_certs: &[],
                session_keys: &[],
                require_signature: false,
                policy: &p,
            },
        )
        .unwrap_err(),
    );
    // A signed message with an injected literal carrying the secret.
    let unlocked = keys::unlock(&key, &pw(PASS), &p).unwrap();
    let mut msg = signed(b"signed", &unlocked, SignMode::Inline, &p);
    let mut lit = Literal::new(DataFormat::Binary);
    lit.set_body(PLAIN.as_bytes().to_vec());
    Packet::from(lit).serialize(&mut msg).unwrap();
    note(verify(&msg, &verify_options(&[], &p)).unwrap_err());
    // Mail: a subject with an injected header, and a malformed mail holding the secret.
    let m = OutgoingMail {
        from: "a@example.org".into(),
        to: vec!["b@example.org".into()],
        subject: format!("{PLAIN}\r\nBcc: {PLAIN}@example.org"),
        ..Default::default()
    };
    note(
        mail::encrypt_mail(
            &m,
            &SendOptions {
                recipients: std::slice::from_ref(&cert),
                signers: &[],
                signer_passphrases: &[],
                autocrypt: false,
                prefer_encrypt_mutual: false,
                policy: &p,
            },
        )
        .unwrap_err(),
    );
    let bad_mail =
        format!("Subject: {PLAIN}\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n{PLAIN}");
    note(
        mail::read_mail(
            bad_mail.as_bytes(),
            &ReadOptions {
                keys: &[],
                key_passphrases: &[],
                verification_certs: &[],
                policy: &p,
            },
        )
        .unwrap_err(),
    );
    // A session key that does not parse.
    note(SessionKeyData::parse(&format!("9:{PLAIN}")).unwrap_err());

    assert_eq!(errors.len(), 6);
    for e in &errors {
        assert!(
            !e.contains(PASS) && !e.contains("hunter2"),
            "a passphrase leaked: {e}"
        );
        assert!(!e.contains(PLAIN), "plaintext leaked: {e}");
    }
}

#[test]
fn cve_2019_9155_ecdh_point_not_on_the_curve() {
    // A PKESK to a NIST P-256 key whose ephemeral point is not on the
    // curve: decryption must fail cleanly (an invalid-curve attack needs it
    // to go ahead), never panic, never release plaintext.
    use sealpost_core::decrypt::decrypt;
    let p = policy();
    let bob = key("Bob", KeyType::P256, None);
    let ct = encrypt_to(
        b"plaintext behind a bad point",
        &[keys::public_cert(&bob)],
        false,
        &p,
    );
    let out = [
        // Same length, y flipped: off the curve.
        with_ecdh_point(&ct, |point| {
            let last = point.len() - 1;
            point[last] ^= 1;
        }),
        // x = y = 1.
        with_ecdh_point(&ct, |point| {
            for b in &mut point[1..] {
                *b = 0;
            }
            let half = (point.len() - 1) / 2;
            point[half] = 1;
            let last = point.len() - 1;
            point[last] = 1;
        }),
    ];
    for (i, msg) in out.iter().enumerate() {
        let e = decrypt(msg, &decrypt_options(std::slice::from_ref(&bob), &[], &p)).unwrap_err();
        assert!(
            matches!(
                e.code(),
                ErrorCode::DecryptionFailed | ErrorCode::NoMatchingKey | ErrorCode::MalformedInput
            ),
            "variant {i}: {e}"
        );
    }
}
