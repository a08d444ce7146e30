//! Interoperability with the real GnuPG binary, both directions.
//!
//! gpg-made keys (Curve25519 and RSA) and messages (encrypted, signed,
//! encrypted+signed, password) are read by sealpost; sealpost's output is
//! decrypted and verified by gpg.  Each test uses its own GNUPGHOME.

#![allow(clippy::unwrap_used)] // tests and examples may panic on failure
mod common;
use common::gpg::{Gpg, PASS};
use common::*;

use sealpost_core::decrypt::{decrypt, DecryptOptions};
use sealpost_core::encrypt::{encrypt, EncryptOptions};
use sealpost_core::keys::{self, KeyType};
use sealpost_core::sign::{sign, SignMode, SignOptions};
use sealpost_core::verify::{verify, verify_detached, VerifyOptions};
use sealpost_core::Cert;

const MSG: &[u8] = b"Interop test message\nwith two lines and UTF-8: \xc3\xa9t\xc3\xa9\n";

fn dec<'a>(
    keys: &'a [Cert],
    verify: &'a [Cert],
    passphrases: &'a [sealpost_core::Password],
    p: &'a sealpost_core::Policy,
) -> DecryptOptions<'a> {
    DecryptOptions {
        keys,
        key_passphrases: passphrases,
        passwords: &[],
        verification_certs: verify,
        session_keys: &[],
        require_signature: false,
        policy: p,
    }
}

#[test]
fn gpg_keys_and_messages_are_read_by_sealpost() {
    let p = policy();
    let g = Gpg::new();
    for (uid, algo) in [
        ("Gnu Curve <curve@example.org>", "ed25519"),
        ("Gnu Rsa <rsa@example.org>", "rsa3072"),
    ] {
        let (key, fpr) = g.generate(uid, algo);
        assert_eq!(key.fingerprint().to_hex(), fpr, "{algo}");
        assert!(keys::is_locked(&key), "gpg exports locked keys");
        let info = keys::inspect(&key, &p);
        assert!(info.valid, "{algo}: {:?}", info.invalid_reason);
        let cert = keys::public_cert(&key);
        let pass = [pw(PASS)];
        let plain = g.file("plain.txt", MSG);
        let plain = plain.to_str().unwrap();

        // Encrypted only.
        let (ct, _) = g.run(&["--encrypt", "--armor", "-r", &fpr, "-o", "-", plain], b"");
        let out = decrypt(&ct, &dec(std::slice::from_ref(&key), &[], &pass, &p))
            .unwrap_or_else(|e| panic!("{algo} encrypt: {e}"));
        assert_eq!(out.data, MSG, "{algo}");
        assert!(out.signatures.is_empty());

        // Encrypted and signed.
        let (ct, _) = g.run(
            &[
                "--encrypt",
                "--sign",
                "-u",
                &fpr,
                "-r",
                &fpr,
                "-o",
                "-",
                plain,
            ],
            b"",
        );
        let out = decrypt(
            &ct,
            &dec(
                std::slice::from_ref(&key),
                std::slice::from_ref(&cert),
                &pass,
                &p,
            ),
        )
        .unwrap();
        assert_eq!(out.data, MSG);
        assert!(
            out.signatures.len() == 1 && out.signatures[0].valid,
            "{algo}: {:?}",
            out.signatures
        );
        assert_eq!(
            out.signatures[0].signer_fingerprint.as_deref(),
            Some(fpr.as_str())
        );

        // Inline-signed, cleartext-signed, detached.
        let vopts = VerifyOptions {
            certs: std::slice::from_ref(&cert),
            require_signature: true,
            policy: &p,
        };
        let (signed, _) = g.run(&["--sign", "-u", &fpr, "-o", "-", plain], b"");
        assert_eq!(verify(&signed, &vopts).unwrap().data, MSG);
        let (clear, _) = g.run(&["--clearsign", "-u", &fpr, "-o", "-", plain], b"");
        let v = verify(&clear, &vopts).unwrap();
        assert!(v.signatures[0].valid);
        // The cleartext framework strips trailing whitespace; the lines survive.
        assert_eq!(
            String::from_utf8(v.data).unwrap().trim_end(),
            String::from_utf8_lossy(MSG).trim_end()
        );
        let (det, _) = g.run(
            &["--detach-sign", "--armor", "-u", &fpr, "-o", "-", plain],
            b"",
        );
        assert!(verify_detached(MSG, &det, &vopts).unwrap().signatures[0].valid);
        assert!(
            !verify_detached(
                b"other data",
                &det,
                &VerifyOptions {
                    require_signature: false,
                    ..vopts
                }
            )
            .unwrap()
            .signatures[0]
                .valid
        );
    }

    // Password-encrypted by gpg (SEIPDv1 with MDC, AES256).
    let plain = g.file("plain.txt", MSG);
    let (ct, _) = g.run(
        &[
            "--symmetric",
            "--cipher-algo",
            "AES256",
            "-o",
            "-",
            plain.to_str().unwrap(),
        ],
        b"",
    );
    let pws = [pw(PASS)];
    let out = decrypt(
        &ct,
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
    .unwrap();
    assert_eq!(out.data, MSG);
}

#[test]
fn sealpost_output_is_read_by_gpg() {
    let p = policy();
    let g = Gpg::new();
    let (gpg_key, gpg_fpr) = g.generate("Gnu Reader <reader@example.org>", "ed25519");
    let gpg_cert = keys::public_cert(&gpg_key);
    for kt in [KeyType::Curve25519, KeyType::Rsa3072] {
        let alice = keys::generate(&keys::GenerateOptions {
            user_ids: vec![format!(
                "Sealpost {} <sp-{}@example.org>",
                kt.name(),
                kt.name()
            )],
            key_type: kt,
            passphrase: Some(pw(PASS)),
            ..Default::default()
        })
        .unwrap()
        .cert;
        let afpr = alice.fingerprint().to_hex();
        // gpg imports sealpost's secret key (locked, as stored) and public cert.
        g.run(
            &["--import"],
            &keys::write_cert(&alice, true, true).unwrap(),
        );
        let pass = [pw(PASS)];

        // Encrypted + signed by sealpost to gpg's key and to itself.
        let ct = encrypt(
            MSG,
            &EncryptOptions {
                recipients: &[gpg_cert.clone(), keys::public_cert(&alice)],
                passwords: &[],
                signers: std::slice::from_ref(&alice),
                signer_passphrases: &pass,
                armor: true,
                force_aead: false,
                text: false,
                policy: &p,
            },
        )
        .unwrap();
        let (out, status) = g.run(&["--decrypt"], &ct);
        assert_eq!(out, MSG, "{}", kt.name());
        assert!(
            status.contains("DECRYPTION_OKAY") && status.contains("GOODMDC"),
            "{status}"
        );
        assert!(
            status.contains("VALIDSIG") && status.contains(&afpr),
            "{}: {status}",
            kt.name()
        );

        // Signed: inline, cleartext, detached (binary and text).
        for (mode, text) in [
            (SignMode::Inline, false),
            (SignMode::Cleartext, true),
            (SignMode::Detached, false),
            (SignMode::Detached, true),
        ] {
            let sig = sign(
                MSG,
                &SignOptions {
                    signers: std::slice::from_ref(&alice),
                    passphrases: &pass,
                    mode,
                    text,
                    armor: true,
                    policy: &p,
                },
            )
            .unwrap();
            let status = if mode == SignMode::Detached {
                let s = g.file("sig.asc", &sig);
                let d = g.file("data.txt", MSG);
                g.run(&["--verify", s.to_str().unwrap(), d.to_str().unwrap()], b"")
                    .1
            } else {
                let (out, status) = g.run(&["--decrypt"], &sig);
                assert_eq!(
                    String::from_utf8_lossy(&out).trim_end(),
                    String::from_utf8_lossy(MSG).trim_end()
                );
                status
            };
            assert!(
                status.contains("GOODSIG") && status.contains(&afpr),
                "{mode:?} text={text}: {status}"
            );
        }
    }

    // Password-encrypted by sealpost.
    let pws = [pw("a password for gpg")];
    let ct = encrypt(
        MSG,
        &EncryptOptions {
            recipients: &[],
            passwords: &pws,
            signers: &[],
            signer_passphrases: &[],
            armor: true,
            force_aead: false,
            text: false,
            policy: &p,
        },
    )
    .unwrap();
    let (out, status) = g.run_with("a password for gpg", &["--decrypt"], &ct);
    assert_eq!(out, MSG);
    assert!(status.contains("GOODMDC"), "{status}");
    let _ = gpg_fpr;
}

#[test]
fn a_gnu_dummy_stub_cannot_decrypt_cve_2015_8013() {
    // gpg exports a secret key whose secret part it does not hold as a
    // GNU-dummy stub.  A stub must never "decrypt": sealpost says it is a
    // stub (or that no key matches), and returns no plaintext.
    let p = policy();
    let g = Gpg::new();
    let (_, fpr) = g.generate("Stub <stub@example.org>", "ed25519");
    let (listing, _) = g.run(&["--with-colons", "--list-secret-keys", &fpr], b"");
    let listing = String::from_utf8(listing).unwrap();
    let enc_fpr = listing
        .lines()
        .skip_while(|l| !l.starts_with("ssb:"))
        .find(|l| l.starts_with("fpr:"))
        .unwrap()
        .split(':')
        .nth(9)
        .unwrap()
        .to_string();
    // Drop the encryption subkey's secret from gpg, then export: it comes out as a stub.
    g.run(&["--delete-secret-keys", &format!("{enc_fpr}!")], b"");
    let (sec, _) = g.run(&["--export-secret-keys", "--armor", &fpr], b"");
    let stubbed = keys::read_cert(&sec).unwrap();
    let cert = keys::public_cert(&stubbed);
    let ct = encrypt_to(
        b"for the real key only",
        std::slice::from_ref(&cert),
        true,
        &p,
    );
    let pass = [common::pw(PASS)];
    let e = decrypt(&ct, &dec(std::slice::from_ref(&stubbed), &[], &pass, &p)).unwrap_err();
    assert_eq!(e.code(), sealpost_core::ErrorCode::Unsupported, "{e}");
    assert!(e.message().contains("stub"), "{e}");
    // The primary key's real secret still signs.
    let sig = sign(
        b"signed by the primary",
        &SignOptions {
            signers: std::slice::from_ref(&stubbed),
            passphrases: &pass,
            mode: SignMode::Detached,
            text: false,
            armor: false,
            policy: &p,
        },
    );
    assert!(sig.is_ok(), "{:?}", sig.err());
}

/// Issue 26, item 1: keys exported with `gpg --export-secret-subkeys` (the
/// "offline primary key" setup: the primary's secret is a GNU-dummy stub, or
/// a divert-to-card stub for a key on a smartcard) sign, inline-sign,
/// decrypt and encrypt-and-sign with their subkeys, unprotected and
/// passphrase-locked.  The stubs are not counted as locked secrets.  Before
/// the fix the unprotected export read as locked, unlocking it failed
/// (UNSUPPORTED: "a stub"), and signing picked the stubbed primary.
#[test]
fn gpg_offline_primary_keys_work_with_their_subkeys() {
    use common::gpg::divert_to_card;
    use sealpost_core::ErrorCode;
    let p = policy();
    for passphrase in ["", PASS] {
        let locked = !passphrase.is_empty();
        let g = Gpg::new();
        let (export, fpr) = g.offline_primary("Offline <offline@example.org>", passphrase);
        let (listing, _) = g.run(&["--with-colons", "--list-keys", &fpr], b"");
        let fprs: Vec<String> = String::from_utf8(listing)
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("fpr:"))
            .map(|l| l.split(':').nth(9).unwrap().to_string())
            .collect();
        let (sign_fpr, enc_fpr) = (fprs[1].clone(), fprs[2].clone());
        let plain = g.file("plain.txt", MSG);
        let plain = plain.to_str().unwrap();
        for (stub, bytes) in [
            ("gnu-dummy", export.clone()),
            ("divert-to-card", divert_to_card(&export)),
        ] {
            let what = format!("{stub}, locked={locked}");
            let key = keys::read_cert(&bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(key.fingerprint().to_hex(), fpr);
            // The stub is no secret: locked only if a real secret is.
            assert_eq!(keys::is_locked(&key), locked, "{what}");
            let info = keys::inspect(&key, &p);
            assert_eq!(info.is_locked, locked, "{what}");
            let primary = info.keys.iter().find(|k| k.primary).unwrap();
            assert!(!primary.has_secret && !primary.secret_locked, "{what}");
            assert!(
                info.keys
                    .iter()
                    .filter(|k| !k.primary)
                    .all(|k| k.has_secret && k.secret_locked == locked),
                "{what}"
            );
            // Unlocking opens the real secrets and leaves the stub alone;
            // a wrong passphrase is still BAD_PASSPHRASE.
            let unlocked =
                keys::unlock(&key, &pw(PASS), &p).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(!keys::is_locked(&unlocked), "{what}");
            if locked {
                let e = keys::unlock(&key, &pw("wrong"), &p).unwrap_err();
                assert_eq!(e.code(), ErrorCode::BadPassphrase, "{what}: {e}");
                // Without a passphrase, signing says the key is locked.
                let e = sign(
                    MSG,
                    &SignOptions {
                        signers: std::slice::from_ref(&key),
                        passphrases: &[],
                        mode: SignMode::Detached,
                        text: false,
                        armor: true,
                        policy: &p,
                    },
                )
                .unwrap_err();
                assert_eq!(e.code(), ErrorCode::KeyLocked, "{what}: {e}");
            }
            let pass = [pw(PASS)];
            // The locked key with its passphrase, and the unlocked copy.
            for (k, passes) in [(&key, &pass[..]), (&unlocked, &[][..])] {
                // Detached and inline signatures, made with the signing subkey.
                for mode in [SignMode::Detached, SignMode::Inline] {
                    let sig = sign(
                        MSG,
                        &SignOptions {
                            signers: std::slice::from_ref(k),
                            passphrases: passes,
                            mode,
                            text: false,
                            armor: true,
                            policy: &p,
                        },
                    )
                    .unwrap_or_else(|e| panic!("{what} {mode:?}: {e}"));
                    let status = if mode == SignMode::Detached {
                        let s = g.file("sig.asc", &sig);
                        g.run(&["--verify", s.to_str().unwrap(), plain], b"").1
                    } else {
                        let (out, status) = g.run(&["--decrypt"], &sig);
                        assert_eq!(out, MSG);
                        status
                    };
                    assert!(
                        status.contains(&format!("VALIDSIG {sign_fpr}")) && status.contains(&fpr),
                        "{what} {mode:?}: {status}"
                    );
                }
                // Decrypt what gpg encrypted to the encryption subkey.
                let (ct, _) = g.run(&["--encrypt", "-r", &fpr, "-o", "-", plain], b"");
                let out = decrypt(&ct, &dec(std::slice::from_ref(k), &[], passes, &p))
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(out.data, MSG, "{what}");
                // Encrypt and sign: gpg decrypts and verifies.
                let ct = encrypt(
                    MSG,
                    &EncryptOptions {
                        recipients: &[keys::public_cert(k)],
                        passwords: &[],
                        signers: std::slice::from_ref(k),
                        signer_passphrases: passes,
                        armor: true,
                        force_aead: false,
                        text: false,
                        policy: &p,
                    },
                )
                .unwrap_or_else(|e| panic!("{what}: {e}"));
                let (out, status) = g.run(&["--decrypt"], &ct);
                assert_eq!(out, MSG, "{what}");
                assert!(
                    status.contains(&format!("VALIDSIG {sign_fpr}"))
                        && status.contains(&enc_fpr[24..]),
                    "{what}: {status}"
                );
                // And sealpost reads its own: decrypted with the subkey, the
                // signature valid against the public certificate.
                let cert = keys::public_cert(k);
                let out = decrypt(
                    &ct,
                    &dec(
                        std::slice::from_ref(k),
                        std::slice::from_ref(&cert),
                        passes,
                        &p,
                    ),
                )
                .unwrap();
                assert!(
                    out.signatures.len() == 1 && out.signatures[0].valid,
                    "{what}"
                );
            }
            // Locking again locks the real secrets only, and round-trips.
            let relocked = keys::lock(&unlocked, &pw("new passphrase")).unwrap();
            assert!(keys::is_locked(&relocked), "{what}");
            let reopened = keys::unlock(&relocked, &pw("new passphrase"), &p).unwrap();
            assert!(!keys::is_locked(&reopened), "{what}");
        }
    }
}
