//! Every operation of the core, natively: keys, encrypt/decrypt, sign/verify, armor.

#![allow(clippy::unwrap_used)] // tests and examples may panic on failure
mod common;
use common::*;

use sealpost_core::decrypt::{decrypt, DecryptOptions};
use sealpost_core::encrypt::{encrypt, EncryptOptions};
use sealpost_core::keys::{self, KeyType, RevocationReason};
use sealpost_core::report::SignatureStatus;
use sealpost_core::sign::{sign, SignMode, SignOptions};
use sealpost_core::verify::{verify, verify_detached, VerifyOptions};
use sealpost_core::{armor, Cert, ErrorCode, Password, Policy};

fn enc(pt: &[u8], to: &[Cert], signers: &[Cert], passwords: &[Password], p: &Policy) -> Vec<u8> {
    encrypt(
        pt,
        &EncryptOptions {
            recipients: to,
            passwords,
            signers,
            signer_passphrases: &[],
            armor: true,
            force_aead: false,
            text: false,
            policy: p,
        },
    )
    .expect("encrypt")
}

fn dec_opts<'a>(keys: &'a [Cert], verify: &'a [Cert], p: &'a Policy) -> DecryptOptions<'a> {
    DecryptOptions {
        keys,
        key_passphrases: &[],
        passwords: &[],
        verification_certs: verify,
        session_keys: &[],
        require_signature: false,
        policy: p,
    }
}

#[test]
fn every_key_type_generates_encrypts_signs_and_reports_support() {
    let p = policy();
    let mut report = Vec::new();
    for &kt in KeyType::ALL {
        // A native build has every algorithm: what the full build supports is what this one does.
        assert_eq!(
            kt.is_supported(),
            kt.is_supported_by_full_build(),
            "{}",
            kt.name()
        );
        if !kt.is_supported() {
            report.push(format!("{}: unsupported", kt.name()));
            continue;
        }
        let versions: &[u8] = match kt {
            KeyType::PqcMlDsa65Ed25519 | KeyType::PqcMlDsa87Ed448 => &[6],
            _ => &[4, 6],
        };
        for &v in versions {
            let alice = key("Alice", kt, Some(v));
            let info = keys::inspect(&alice, &p);
            assert_eq!(info.version, v, "{}", kt.name());
            assert!(info.valid, "{} v{v}: {:?}", kt.name(), info.invalid_reason);
            assert_eq!(info.keys.len(), 3);
            let pubc = keys::public_cert(&alice);
            let ct = enc(
                b"hi there",
                std::slice::from_ref(&pubc),
                std::slice::from_ref(&alice),
                &[],
                &p,
            );
            let out = decrypt(&ct, &dec_opts(std::slice::from_ref(&alice), &[pubc], &p))
                .expect("decrypt");
            assert_eq!(out.data, b"hi there");
            assert!(out.signatures[0].valid, "{} v{v}", kt.name());
            assert_eq!(
                out.layers.aead.is_some(),
                v == 6,
                "{} v{v}: SEIPD version follows features",
                kt.name()
            );
            report.push(format!("{} v{v}: ok", kt.name()));
        }
    }
    eprintln!("key types: {report:#?}");
}

#[test]
fn default_key_is_v4_curve25519_seipdv1_and_inspects() {
    let p = policy();
    let k = keys::generate(&keys::GenerateOptions {
        user_ids: vec![
            "Alice <alice@example.org>".into(),
            "Alice W. <aw@example.net>".into(),
        ],
        expires_in: Some(std::time::Duration::from_secs(86400 * 365)),
        ..Default::default()
    })
    .unwrap();
    let info = keys::inspect(&k.cert, &p);
    assert_eq!(info.version, 4);
    assert!(info.is_secret && !info.is_locked && info.valid);
    assert_eq!(info.revocation, "not_revoked");
    assert_eq!(info.user_ids.len(), 2);
    assert!(info.user_ids[0].primary);
    assert_eq!(info.user_ids[0].email.as_deref(), Some("alice@example.org"));
    assert_eq!(info.keys[0].algorithm, "EdDSA");
    assert!(info.keys[0].flags.certify && !info.keys[0].flags.sign);
    assert!(info.keys[1].flags.sign);
    assert!(info.keys[2].flags.encrypt_communications && info.keys[2].flags.encrypt_storage);
    assert_eq!(info.keys[2].algorithm, "ECDH");
    assert_eq!(info.keys[2].curve.as_deref(), Some("Curve25519"));
    let exp = info.expires.expect("expiry");
    assert!((exp as i64 - info.created as i64 - 86400 * 365).abs() < 120);
    assert_eq!(info.fingerprint.len(), 40);
    assert!(info.fingerprint.ends_with(&info.key_id));
    // The revocation certificate is an armored public key block that revokes.
    let rev = keys::read_cert(&k.revocation_certificate).unwrap();
    let revoked = keys::merge(&keys::public_cert(&k.cert), &rev).unwrap();
    assert_eq!(keys::inspect(&revoked, &p).revocation, "revoked");
}

#[test]
fn read_write_armored_and_binary() {
    let k = key("Alice", KeyType::Curve25519, None);
    for (secret, armored) in [(true, true), (true, false), (false, true), (false, false)] {
        let bytes = keys::write_cert(&k, secret, armored).unwrap();
        assert_eq!(armor::is_armored(&bytes), armored);
        let back = keys::read_cert(&bytes).unwrap();
        assert_eq!(back.fingerprint(), k.fingerprint());
        assert_eq!(back.is_tsk(), secret);
    }
    let ring = [
        keys::write_cert(&k, false, true).unwrap(),
        keys::write_cert(&key("Bob", KeyType::Curve25519, None), false, true).unwrap(),
    ]
    .concat();
    assert_eq!(keys::read_certs(&ring).unwrap().len(), 2);
}

#[test]
fn lock_unlock_change_passphrase() {
    let p = policy();
    let k = locked_key("Alice", "correct horse");
    assert!(keys::is_locked(&k));
    assert_eq!(
        keys::unlock(&k, &pw("wrong"), &policy())
            .unwrap_err()
            .code(),
        ErrorCode::BadPassphrase
    );
    let open = keys::unlock(&k, &pw("correct horse"), &policy()).unwrap();
    assert!(!keys::is_locked(&open));
    let relocked =
        keys::change_passphrase(&k, &pw("correct horse"), &pw("battery staple"), &policy())
            .unwrap();
    assert!(keys::is_locked(&relocked));
    assert!(keys::unlock(&relocked, &pw("correct horse"), &p).is_err());
    keys::unlock(&relocked, &pw("battery staple"), &policy()).unwrap();
    // Serialized locked keys stay locked.
    let bytes = keys::write_cert(&relocked, true, true).unwrap();
    assert!(keys::is_locked(&keys::read_cert(&bytes).unwrap()));
    // Signing with a locked key: KEY_LOCKED without passphrase, BAD_PASSPHRASE with a wrong one.
    let opts = |pp: &'static [Password]| SignOptions {
        signers: std::slice::from_ref(&k),
        passphrases: pp,
        mode: SignMode::Inline,
        text: false,
        armor: true,
        policy: &p,
    };
    assert_eq!(
        sign(b"x", &opts(&[])).unwrap_err().code(),
        ErrorCode::KeyLocked
    );
    let wrong: &'static [Password] = Box::leak(Box::new([pw("nope")]));
    assert_eq!(
        sign(b"x", &opts(wrong)).unwrap_err().code(),
        ErrorCode::BadPassphrase
    );
    let right: &'static [Password] = Box::leak(Box::new([pw("correct horse")]));
    sign(b"x", &opts(right)).unwrap();
}

#[test]
fn decrypt_with_locked_key_and_passphrase() {
    let p = policy();
    let bob = locked_key("Bob", "s3cret pass");
    let ct = enc(b"for bob", &[keys::public_cert(&bob)], &[], &[], &p);
    let mut o = dec_opts(std::slice::from_ref(&bob), &[], &p);
    assert_eq!(decrypt(&ct, &o).unwrap_err().code(), ErrorCode::KeyLocked);
    let wrong = [pw("nope")];
    o.key_passphrases = &wrong;
    assert_eq!(
        decrypt(&ct, &o).unwrap_err().code(),
        ErrorCode::BadPassphrase
    );
    let right = [pw("s3cret pass")];
    o.key_passphrases = &right;
    assert_eq!(decrypt(&ct, &o).unwrap().data, b"for bob");
}

#[test]
fn many_recipients_and_passwords() {
    let p = policy();
    let (a, b, c) = (
        key("A", KeyType::Curve25519, None),
        key("B", KeyType::Rsa3072, None),
        key("C", KeyType::Curve448, Some(6)),
    );
    let pws = [pw("hunter2 hunter2")];
    let ct = enc(
        b"to all",
        &[
            keys::public_cert(&a),
            keys::public_cert(&b),
            keys::public_cert(&c),
        ],
        &[],
        &pws,
        &p,
    );
    for k in [&a, &b, &c] {
        let out = decrypt(&ct, &dec_opts(std::slice::from_ref(k), &[], &p)).unwrap();
        assert_eq!(out.data, b"to all");
        assert!(
            out.layers.aead.is_none(),
            "mixed v4/v6 recipients fall back to SEIPDv1"
        );
    }
    let mut o = dec_opts(&[], &[], &p);
    o.passwords = &pws;
    assert_eq!(decrypt(&ct, &o).unwrap().data, b"to all");
    let wrong = [pw("hunter3")];
    o.passwords = &wrong;
    assert_eq!(
        decrypt(&ct, &o).unwrap_err().code(),
        ErrorCode::DecryptionFailed
    );
}

#[test]
fn password_only_and_forced_aead() {
    let p = policy();
    let pws = [pw("a long passphrase")];
    for force_aead in [false, true] {
        let ct = encrypt(
            b"secret",
            &EncryptOptions {
                recipients: &[],
                passwords: &pws,
                signers: &[],
                signer_passphrases: &[],
                armor: false,
                force_aead,
                text: false,
                policy: &p,
            },
        )
        .unwrap();
        assert!(!armor::is_armored(&ct));
        let mut o = dec_opts(&[], &[], &p);
        o.passwords = &pws;
        let out = decrypt(&ct, &o).unwrap();
        assert_eq!(out.data, b"secret");
        assert_eq!(out.layers.aead.is_some(), force_aead);
    }
}

#[test]
fn forced_aead_to_v4_and_mixed_recipients() {
    let p = policy();
    let (v4, v6) = (
        key("Four", KeyType::Curve25519, Some(4)),
        key("Six", KeyType::Curve25519, Some(6)),
    );
    let to = [keys::public_cert(&v4), keys::public_cert(&v6)];
    let ct = encrypt(
        b"forced",
        &EncryptOptions {
            recipients: &to,
            passwords: &[],
            signers: &[],
            signer_passphrases: &[],
            armor: true,
            force_aead: true,
            text: false,
            policy: &p,
        },
    )
    .unwrap();
    for k in [&v4, &v6] {
        let out = decrypt(&ct, &dec_opts(std::slice::from_ref(k), &[], &p)).unwrap();
        assert_eq!(out.data, b"forced");
        assert!(out.layers.aead.is_some());
    }
}

#[test]
fn signature_results_are_data_unless_required() {
    let p = policy();
    let (alice, bob, mallory) = (
        key("Alice", KeyType::Curve25519, None),
        key("Bob", KeyType::Curve25519, None),
        key("Mallory", KeyType::Curve25519, None),
    );
    let ct = enc(
        b"signed",
        &[keys::public_cert(&bob)],
        std::slice::from_ref(&mallory),
        &[],
        &p,
    );
    // Signed by someone we have no cert for: decrypts, signature reported as unknown.
    let out = decrypt(
        &ct,
        &dec_opts(std::slice::from_ref(&bob), &[keys::public_cert(&alice)], &p),
    )
    .unwrap();
    assert_eq!(out.signatures.len(), 1);
    assert_eq!(out.signatures[0].status, SignatureStatus::UnknownKey);
    assert!(!out.signatures[0].valid);
    assert_eq!(
        out.signatures[0].issuer.as_deref().map(|s| s.len() >= 16),
        Some(true)
    );
    // Required: error, and no plaintext.
    let mut o = dec_opts(std::slice::from_ref(&bob), std::slice::from_ref(&alice), &p);
    o.require_signature = true;
    assert_eq!(
        decrypt(&ct, &o).unwrap_err().code(),
        ErrorCode::NoValidSignature
    );
    // Unsigned with require: error as well.
    let unsigned = enc(b"unsigned", &[keys::public_cert(&bob)], &[], &[], &p);
    assert_eq!(
        decrypt(&unsigned, &o).unwrap_err().code(),
        ErrorCode::NoValidSignature
    );
}

#[test]
fn sign_verify_inline_detached_cleartext() {
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, None);
    let certs = [keys::public_cert(&alice)];
    let vopts = VerifyOptions {
        certs: &certs,
        require_signature: true,
        policy: &p,
    };
    let data = b"line one\nline two\n";
    for (mode, text) in [
        (SignMode::Inline, false),
        (SignMode::Inline, true),
        (SignMode::Cleartext, true),
        (SignMode::Detached, false),
        (SignMode::Detached, true),
    ] {
        for armored in [true, false] {
            let sig = sign(
                data,
                &SignOptions {
                    signers: std::slice::from_ref(&alice),
                    passphrases: &[],
                    mode,
                    text,
                    armor: armored,
                    policy: &p,
                },
            )
            .unwrap();
            let v = if mode == SignMode::Detached {
                verify_detached(data, &sig, &vopts).unwrap()
            } else {
                verify(&sig, &vopts).unwrap()
            };
            assert!(v.signatures.iter().all(|s| s.valid), "{mode:?} text={text}");
            assert_eq!(
                v.signatures[0].signer_fingerprint.as_deref(),
                Some(alice.fingerprint().to_hex().as_str())
            );
            if mode != SignMode::Detached {
                assert_eq!(v.data, data, "{mode:?}");
            }
            if mode == SignMode::Cleartext {
                assert!(sig.starts_with(b"-----BEGIN PGP SIGNED MESSAGE-----"));
            }
            // Tampered data fails verification.
            if mode == SignMode::Detached {
                let bad = verify_detached(
                    b"line one\nline 2\n",
                    &sig,
                    &VerifyOptions {
                        require_signature: false,
                        ..vopts
                    },
                )
                .unwrap();
                assert_eq!(bad.signatures[0].status, SignatureStatus::BadSignature);
            }
        }
    }
}

#[test]
fn revoke_and_refuse_to_encrypt_to_revoked_or_expired() {
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, None);
    let revoked = keys::revoke(
        &alice,
        RevocationReason::Compromised,
        "lost laptop",
        &[],
        &p,
    )
    .unwrap();
    let info = keys::inspect(&revoked, &p);
    assert_eq!(info.revocation, "revoked");
    assert!(!info.valid);
    let e = encrypt(
        b"x",
        &EncryptOptions {
            recipients: &[keys::public_cert(&revoked)],
            passwords: &[],
            signers: &[],
            signer_passphrases: &[],
            armor: true,
            force_aead: false,
            text: false,
            policy: &p,
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::NoUsableKey);
    // A separately made revocation certificate revokes the public cert too.
    let rc = keys::revocation_certificate(&alice, RevocationReason::Retired, "", &[], &p).unwrap();
    let merged = keys::merge(&keys::public_cert(&alice), &keys::read_cert(&rc).unwrap()).unwrap();
    assert_eq!(keys::inspect(&merged, &p).revocation, "revoked");
    // Expired: judged a year later.
    let short = keys::generate(&keys::GenerateOptions {
        user_ids: vec!["S <s@example.org>".into()],
        expires_in: Some(std::time::Duration::from_secs(3600)),
        ..Default::default()
    })
    .unwrap()
    .cert;
    let later = Policy::new()
        .at(sealpost_core::policy::now() + std::time::Duration::from_secs(86400 * 365));
    assert!(!keys::inspect(&short, &later).valid);
    let e = encrypt(
        b"x",
        &EncryptOptions {
            recipients: &[short],
            passwords: &[],
            signers: &[],
            signer_passphrases: &[],
            armor: true,
            force_aead: false,
            text: false,
            policy: &later,
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::NoUsableKey);
}

#[test]
fn armor_dearmor() {
    let alice = key("Alice", KeyType::Curve25519, None);
    let bin = keys::write_cert(&alice, false, false).unwrap();
    let a = armor::armor(&bin, None).unwrap();
    assert!(a.starts_with(b"-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    assert_eq!(armor::armor(&a, None).unwrap(), a, "armor is idempotent");
    assert_eq!(armor::dearmor(&a).unwrap(), bin);
    let sec = armor::armor(&keys::write_cert(&alice, true, false).unwrap(), None).unwrap();
    assert!(sec.starts_with(b"-----BEGIN PGP PRIVATE KEY BLOCK-----"));
    assert_eq!(
        armor::dearmor(b"not armor").unwrap_err().code(),
        ErrorCode::MalformedInput
    );
    let truncated = &a[..a.len() / 2];
    assert_eq!(
        armor::dearmor(truncated).unwrap_err().code(),
        ErrorCode::MalformedInput
    );
}

#[test]
fn large_message_roundtrip_16_mib() {
    let p = policy();
    let (alice, bob) = (
        key("Alice", KeyType::Curve25519, None),
        key("Bob", KeyType::Curve25519, Some(6)),
    );
    let data: Vec<u8> = (0..16u32 << 20)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    for to in [&alice, &bob] {
        let ct = encrypt(
            &data,
            &EncryptOptions {
                recipients: &[keys::public_cert(to)],
                passwords: &[],
                signers: std::slice::from_ref(&alice),
                signer_passphrases: &[],
                armor: false,
                force_aead: false,
                text: false,
                policy: &p,
            },
        )
        .unwrap();
        let out = decrypt(
            &ct,
            &dec_opts(std::slice::from_ref(to), &[keys::public_cert(&alice)], &p),
        )
        .unwrap();
        assert!(out.data == data);
        assert!(out.signatures[0].valid);
    }
}

#[test]
fn plaintext_limit_is_enforced() {
    let p = policy();
    let bob = key("Bob", KeyType::Curve25519, None);
    let ct = enc(
        &vec![7u8; 2 << 20],
        &[keys::public_cert(&bob)],
        &[],
        &[],
        &p,
    );
    let small = Policy::new().with_max_plaintext(1 << 20);
    let e = decrypt(&ct, &dec_opts(std::slice::from_ref(&bob), &[], &small)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceeded);
}

/// A sender whose clock runs ahead: the signature's creation time is in our
/// future.  sequoia tolerates clock skew only when no fixed reference time
/// is given; sealpost used to pass "now" and reported such mail as
/// bad_signature ("not live until ..."). Also what a streamed decryption
/// sees when its input is still being signed.
#[test]
fn signature_from_a_clock_slightly_ahead_is_valid() {
    use openpgp::serialize::stream::{LiteralWriter, Message, Signer};
    use sequoia_openpgp as openpgp;
    use std::io::Write;
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, None);
    let signing = alice
        .with_policy(p.standard(), None)
        .unwrap()
        .keys()
        .secret()
        .for_signing()
        .next()
        .unwrap()
        .key()
        .clone()
        .into_keypair()
        .unwrap();
    let mut signed = Vec::new();
    {
        let m = Message::new(&mut signed);
        let ahead = sealpost_core::policy::now() + std::time::Duration::from_secs(120);
        let m = Signer::new(m, signing)
            .unwrap()
            .creation_time(ahead)
            .build()
            .unwrap();
        let mut w = LiteralWriter::new(m).build().unwrap();
        w.write_all(b"from the future").unwrap();
        w.finalize().unwrap();
    }
    let v = verify(
        &signed,
        &VerifyOptions {
            certs: &[keys::public_cert(&alice)],
            require_signature: true,
            policy: &p,
        },
    )
    .unwrap();
    assert!(v.signatures[0].valid, "{:?}", v.signatures[0]);
}

#[test]
fn session_key_out_and_decrypt_with_session_key() {
    use sealpost_core::decrypt::SessionKeyData;
    let p = policy();
    for version in [None, Some(6)] {
        let bob = key("Bob", KeyType::Curve25519, version);
        let ct = enc(b"by session key", &[keys::public_cert(&bob)], &[], &[], &p);
        let out = decrypt(&ct, &dec_opts(std::slice::from_ref(&bob), &[], &p)).unwrap();
        let sk = out.session_key.expect("the session key is recorded");
        assert_eq!(sk.algo, 9, "AES-256");
        let text = sk.to_text();
        assert!(
            text.starts_with("9:") && text.len() == 2 + 64,
            "{}",
            &text[..2]
        );
        assert!(
            !format!("{sk:?}").contains(&text[2..10]),
            "Debug redacts the key"
        );
        // Only the session key: no secret key at all.
        let given = [SessionKeyData::parse(&text.to_lowercase()).unwrap()];
        let mut o = dec_opts(&[], &[], &p);
        o.session_keys = &given;
        assert_eq!(decrypt(&ct, &o).unwrap().data, b"by session key");
        // A wrong session key opens nothing.
        let mut wrong = text.to_string();
        let last = wrong.pop().unwrap();
        wrong.push(if last == '0' { '1' } else { '0' });
        let given = [SessionKeyData::parse(&wrong).unwrap()];
        o.session_keys = &given;
        assert_eq!(
            decrypt(&ct, &o).unwrap_err().code(),
            ErrorCode::DecryptionFailed
        );
    }
    for bad in ["", "9", "x:00", "9:0", "9:zz", "300:00"] {
        assert_eq!(
            SessionKeyData::parse(bad).unwrap_err().code(),
            ErrorCode::InvalidArgument,
            "{bad}"
        );
    }
}

#[test]
fn text_encryption_makes_text_signatures() {
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, None);
    let ct = encrypt(
        b"line one\nline two\n",
        &EncryptOptions {
            recipients: &[keys::public_cert(&alice)],
            passwords: &[],
            signers: std::slice::from_ref(&alice),
            signer_passphrases: &[],
            armor: false,
            force_aead: false,
            text: true,
            policy: &p,
        },
    )
    .unwrap();
    let out = decrypt(
        &ct,
        &dec_opts(
            std::slice::from_ref(&alice),
            &[keys::public_cert(&alice)],
            &p,
        ),
    )
    .unwrap();
    assert_eq!(out.data, b"line one\nline two\n");
    assert!(out.signatures[0].valid);
}

#[test]
fn inline_detach_gives_data_and_a_detached_signature() {
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, None);
    let certs = [keys::public_cert(&alice)];
    for (mode, text) in [
        (SignMode::Inline, false),
        (SignMode::Inline, true),
        (SignMode::Cleartext, true),
    ] {
        let signed = sign(
            b"detach me\nsecond line\n",
            &SignOptions {
                signers: std::slice::from_ref(&alice),
                passphrases: &[],
                mode,
                text,
                armor: true,
                policy: &p,
            },
        )
        .unwrap();
        let d = sealpost_core::verify::detach(&signed, &p).unwrap_or_else(|e| {
            panic!("{mode:?} {text}: {e}\n{}", String::from_utf8_lossy(&signed))
        });
        assert!(d.data.starts_with(b"detach me\n"), "{mode:?}");
        let v = verify_detached(
            &d.data,
            &d.signatures,
            &VerifyOptions {
                certs: &certs,
                require_signature: true,
                policy: &p,
            },
        )
        .unwrap();
        assert!(v.signatures[0].valid, "{mode:?}");
        assert_eq!(
            v.signatures[0].mode.as_deref(),
            Some(if text { "text" } else { "binary" })
        );
    }
    let ct = enc(b"x", &certs, &[], &[], &p);
    assert_eq!(
        sealpost_core::verify::detach(&ct, &p).unwrap_err().code(),
        ErrorCode::MalformedInput
    );
}
