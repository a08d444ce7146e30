//! Reformatting a key (OpenPGP.js's reformatKey) and adding a subkey
//! (key.addSubkey): what the new key holds, refusals with their codes, and
//! a subkey added by sealpost used by the real GnuPG.

#![allow(clippy::unwrap_used)] // tests may panic on failure
mod common;
use common::craft::{decrypt_options, verify_options};
use common::gpg::{Gpg, PASS};
use common::*;

use std::time::Duration;

use sealpost_core::decrypt::decrypt;
use sealpost_core::keys::{self, KeyType, ReformatOptions, SubkeyOptions};
use sealpost_core::packets::message_key_ids;
use sealpost_core::verify::verify;
use sealpost_core::{ErrorCode, Policy};

fn opts(uids: &[&str], expires_in: Option<Duration>) -> ReformatOptions {
    ReformatOptions {
        user_ids: uids.iter().map(|s| s.to_string()).collect(),
        expires_in,
        v4_aead: false,
    }
}

#[test]
fn reformat_rebinds_the_same_key_material_with_new_user_ids() {
    let p = Policy::new();
    for version in [None, Some(6)] {
        let old = key("Old", KeyType::Curve25519, version);
        let old_info = keys::inspect(&old, &p);
        let day = Duration::from_secs(86_400);
        let r = keys::reformat(
            &old,
            &opts(
                &["New <new@example.org>", "Second <second@example.org>"],
                Some(day * 30),
            ),
            &p,
        )
        .unwrap();
        let info = keys::inspect(&r.cert, &p);
        assert!(info.valid, "{version:?}: {:?}", info.invalid_reason);
        // Same primary key and subkeys (fingerprints), same secret, unlocked.
        let fps = |i: &keys::KeyInfo| {
            i.keys
                .iter()
                .map(|k| k.fingerprint.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(fps(&info), fps(&old_info));
        assert!(keys::is_secret(&r.cert) && !keys::is_locked(&r.cert));
        // Only the new user IDs, the first primary; the old one is gone.
        let uids: Vec<_> = info
            .user_ids
            .iter()
            .map(|u| (u.user_id.as_str(), u.primary, u.valid))
            .collect();
        assert_eq!(
            uids,
            vec![
                ("New <new@example.org>", true, true),
                ("Second <second@example.org>", false, true)
            ],
            "{version:?}"
        );
        // Each key keeps its role; each expires 30 days after its creation.
        for (k, o) in info.keys.iter().zip(&old_info.keys).skip(1) {
            assert_eq!(
                (k.flags.sign, k.flags.encrypt_storage),
                (o.flags.sign, o.flags.encrypt_storage)
            );
            assert_eq!(k.expires, Some(k.created + 30 * 86_400));
            assert!(k.valid);
        }
        assert_eq!(info.expires, Some(info.created + 30 * 86_400));
        assert!(info.keys[0].flags.certify && info.keys[0].flags.sign);
        // The revocation certificate revokes the new key.
        let rc = keys::read_cert(&r.revocation_certificate).unwrap();
        let revoked = keys::merge(&r.cert, &rc).unwrap();
        assert_eq!(keys::inspect(&revoked, &p).revocation, "revoked");
        // Messages to the reformatted key and signatures by it work.
        let ct = encrypt_to(
            b"to the reformatted key",
            &[keys::public_cert(&r.cert)],
            false,
            &p,
        );
        let out = decrypt(&ct, &decrypt_options(std::slice::from_ref(&old), &[], &p)).unwrap();
        assert_eq!(
            out.data, b"to the reformatted key",
            "the old key opens it: same material"
        );
    }
}

#[test]
fn reformat_drops_a_revocation_and_revives_an_expired_key() {
    let p = Policy::new();
    let k = key("Rev", KeyType::Curve25519, None);
    let revoked = keys::revoke(&k, keys::RevocationReason::Retired, "", &[], &p).unwrap();
    assert_eq!(keys::inspect(&revoked, &p).revocation, "revoked");
    let r = keys::reformat(&revoked, &opts(&["Rev <rev@example.org>"], None), &p).unwrap();
    let info = keys::inspect(&r.cert, &p);
    assert_eq!(
        (info.revocation, info.valid, info.expires),
        ("not_revoked", true, None)
    );
}

#[test]
fn reformat_refusals() {
    let p = Policy::new();
    let v4 = key("V4", KeyType::Curve25519, None);
    let code = |r: sealpost_core::Result<keys::Reformatted>| r.unwrap_err().code();
    // v4 without user IDs; v6 without user IDs is fine (direct key signature).
    assert_eq!(
        code(keys::reformat(&v4, &opts(&[], None), &p)),
        ErrorCode::InvalidArgument
    );
    let v6 = key("V6", KeyType::Curve25519, Some(6));
    let r = keys::reformat(&v6, &opts(&[], None), &p).unwrap();
    assert!(keys::inspect(&r.cert, &p).valid);
    assert!(keys::inspect(&r.cert, &p).user_ids.is_empty());
    // Twice the same user ID, a bad one.
    assert_eq!(
        code(keys::reformat(
            &v4,
            &opts(&["A <a@example.org>", "A <a@example.org>"], None),
            &p
        )),
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        code(keys::reformat(&v4, &opts(&["a\nb"], None), &p)),
        ErrorCode::InvalidArgument
    );
    // An expiry already past (counted from the key's creation).
    let old = keys::generate(&keys::GenerateOptions {
        user_ids: vec!["Old <old@example.org>".into()],
        creation_time: Some(std::time::SystemTime::now() - Duration::from_secs(10 * 86_400)),
        ..Default::default()
    })
    .unwrap()
    .cert;
    assert_eq!(
        code(keys::reformat(
            &old,
            &opts(&["O <o@example.org>"], Some(Duration::from_secs(86_400))),
            &p
        )),
        ErrorCode::InvalidArgument
    );
    // Locked, public.
    let locked = locked_key("Lou", "pw");
    assert_eq!(
        code(keys::reformat(
            &locked,
            &opts(&["L <l@example.org>"], None),
            &p
        )),
        ErrorCode::KeyLocked
    );
    let unlocked = keys::unlock(&locked, &pw("pw"), &p).unwrap();
    assert!(keys::reformat(&unlocked, &opts(&["L <l@example.org>"], None), &p).is_ok());
    assert_eq!(
        code(keys::reformat(
            &keys::public_cert(&v4),
            &opts(&["P <p@example.org>"], None),
            &p
        )),
        ErrorCode::InvalidArgument
    );
}

/// The fingerprints of `after`'s keys that `before` does not have (sequoia orders subkeys its own way).
fn new_keys(before: &keys::KeyInfo, after: &keys::KeyInfo) -> Vec<String> {
    after
        .keys
        .iter()
        .filter(|k| !before.keys.iter().any(|b| b.fingerprint == k.fingerprint))
        .map(|k| k.fingerprint.clone())
        .collect()
}

#[test]
fn add_subkey_binds_a_new_encryption_or_signing_subkey() {
    let p = Policy::new();
    for (kt, version) in [
        (KeyType::Curve25519, None),
        (KeyType::Curve25519, Some(6)),
        (KeyType::P256, None),
    ] {
        let k = key("Sub", kt, version);
        let before = keys::inspect(&k, &p);
        let enc = keys::add_subkey(&k, &SubkeyOptions::default(), &[], &p).unwrap();
        let both = keys::add_subkey(
            &enc,
            &SubkeyOptions {
                sign: true,
                expires_in: Some(Duration::from_secs(86_400)),
                ..Default::default()
            },
            &[],
            &p,
        )
        .unwrap();
        let info = keys::inspect(&both, &p);
        assert_eq!(info.keys.len(), before.keys.len() + 2);
        let enc_fp = &new_keys(&before, &keys::inspect(&enc, &p))[0];
        let added = new_keys(&before, &info);
        let find = |fp: &str| info.keys.iter().find(|k| k.fingerprint == fp).unwrap();
        let e = find(enc_fp);
        let s = find(added.iter().find(|f| *f != enc_fp).unwrap());
        assert!(
            e.valid && e.flags.encrypt_storage && e.flags.encrypt_communications && !e.flags.sign,
            "{e:?}"
        );
        assert!(s.valid && s.flags.sign && !s.flags.encrypt_storage, "{s:?}");
        assert_eq!((e.expires, s.expires), (None, Some(s.created + 86_400)));
        assert!(e.has_secret && !e.secret_locked);
        let old_enc = before
            .keys
            .iter()
            .find(|k| k.flags.encrypt_storage)
            .unwrap();
        assert_eq!(
            e.algorithm, old_enc.algorithm,
            "{kt:?} {version:?}: the primary key's kind"
        );
        // The newest encryption subkey is the one a sender picks: sealpost decrypts with it.
        let ct = encrypt_to(b"to the new subkey", &[keys::public_cert(&both)], false, &p);
        assert_eq!(
            decrypt(&ct, &decrypt_options(std::slice::from_ref(&both), &[], &p))
                .unwrap()
                .data,
            b"to the new subkey"
        );
        // sealpost encrypts to every valid encryption subkey: the new one is among them, and
        // the key with the new subkey's secret alone opens it.
        let ids = message_key_ids(&ct, &p).unwrap().encryption_key_ids;
        assert!(ids.contains(&e.key_id), "{ids:?} {}", e.key_id);
    }
    // An explicit type: an RSA-3072 encryption subkey on a Curve25519 key.
    let k = key("Rsa", KeyType::Curve25519, None);
    let r = keys::add_subkey(
        &k,
        &SubkeyOptions {
            key_type: Some(KeyType::Rsa3072),
            ..Default::default()
        },
        &[],
        &p,
    )
    .unwrap();
    let info = keys::inspect(&r, &p);
    let fp = &new_keys(&keys::inspect(&k, &p), &info)[0];
    let last = info.keys.iter().find(|x| &x.fingerprint == fp).unwrap();
    assert_eq!((last.algorithm.as_str(), last.bits), ("RSA", Some(3072)));
}

#[test]
fn add_subkey_refusals() {
    let p = Policy::new();
    let locked = locked_key("Lou", "pw");
    let code = |r: sealpost_core::Result<sealpost_core::Cert>| r.unwrap_err().code();
    assert_eq!(
        code(keys::add_subkey(
            &locked,
            &SubkeyOptions::default(),
            &[],
            &p
        )),
        ErrorCode::KeyLocked
    );
    assert!(keys::add_subkey(&locked, &SubkeyOptions::default(), &[pw("pw")], &p).is_ok());
    let k = key("K", KeyType::Curve25519, None);
    assert_eq!(
        code(keys::add_subkey(
            &keys::public_cert(&k),
            &SubkeyOptions::default(),
            &[],
            &p
        )),
        ErrorCode::InvalidArgument
    );
    let pq = SubkeyOptions {
        key_type: Some(KeyType::PqcMlDsa65Ed25519),
        ..Default::default()
    };
    assert_eq!(
        code(keys::add_subkey(&k, &pq, &[], &p)),
        ErrorCode::InvalidArgument
    );
    let revoked = keys::revoke(&k, keys::RevocationReason::Retired, "", &[], &p).unwrap();
    assert_eq!(
        code(keys::add_subkey(
            &revoked,
            &SubkeyOptions::default(),
            &[],
            &p
        )),
        ErrorCode::NoUsableKey
    );
}

#[test]
fn with_secrets_of_puts_the_locked_secrets_under_new_public_parts() {
    let p = Policy::new();
    let locked = locked_key("Lou", "pw");
    let unlocked = keys::unlock(&locked, &pw("pw"), &p).unwrap();
    let r = keys::reformat(
        &unlocked,
        &opts(&["Lou New <lounew@example.org>"], None),
        &p,
    )
    .unwrap();
    let grown = keys::add_subkey(&r.cert, &SubkeyOptions::default(), &[], &p).unwrap();
    let out = keys::with_secrets_of(&grown, &locked).unwrap();
    let info = keys::inspect(&out, &p);
    // The reformatted user ID only; the locked form's keys locked, the new subkey its own (unlocked).
    assert_eq!(
        info.user_ids
            .iter()
            .map(|u| u.user_id.as_str())
            .collect::<Vec<_>>(),
        ["Lou New <lounew@example.org>"]
    );
    let added = &new_keys(&keys::inspect(&r.cert, &p), &info)[0];
    for k in &info.keys {
        assert!(
            k.has_secret && k.secret_locked == (&k.fingerprint != added),
            "{k:?}"
        );
    }
    // The locked keys open with the old passphrase.
    assert!(keys::unlock(&out, &pw("pw"), &p).is_ok());
    let other = key("Other", KeyType::Curve25519, None);
    assert_eq!(
        keys::with_secrets_of(&grown, &other).unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
}

/// The brief's interop check: a subkey added by sealpost, exported to GnuPG:
/// gpg encrypts to the new encryption subkey (named explicitly) and sealpost
/// decrypts; gpg verifies a signature made by the new signing subkey (its
/// primary key binding signature is what gpg checks).  v4 (what gpg reads).
#[test]
fn a_subkey_added_by_sealpost_is_used_by_gpg() {
    let p = Policy::new();
    let g = Gpg::new();
    for kt in [KeyType::Curve25519, KeyType::Rsa3072] {
        // Made a day ago: the subkeys added now are the newest, the ones gpg picks.
        let k0 = keys::generate(&keys::GenerateOptions {
            user_ids: vec![format!(
                "Grow {} <grow-{}@example.org>",
                kt.name(),
                kt.name()
            )],
            key_type: kt,
            creation_time: Some(std::time::SystemTime::now() - Duration::from_secs(86_400)),
            ..Default::default()
        })
        .unwrap()
        .cert;
        let k1 = keys::add_subkey(&k0, &SubkeyOptions::default(), &[], &p).unwrap();
        let k = keys::add_subkey(
            &k1,
            &SubkeyOptions {
                sign: true,
                ..Default::default()
            },
            &[],
            &p,
        )
        .unwrap();
        let info = keys::inspect(&k, &p);
        let new_enc = &new_keys(&keys::inspect(&k0, &p), &keys::inspect(&k1, &p))[0];
        let new_sig = &new_keys(&keys::inspect(&k1, &p), &info)[0];
        let locked = keys::lock(&k, &pw(PASS)).unwrap();
        g.run(
            &["--import"],
            &keys::write_cert(&locked, true, true).unwrap(),
        );
        // gpg lists both new subkeys, with their capabilities.
        let (list, _) = g.run(
            &[
                "--with-colons",
                "--with-subkey-fingerprint",
                "--list-keys",
                &info.fingerprint,
            ],
            b"",
        );
        let list = String::from_utf8(list).unwrap();
        let cap = |fp: &str| {
            let lines: Vec<&str> = list.lines().collect();
            let i = lines
                .iter()
                .position(|l| l.starts_with("fpr:") && l.contains(fp))
                .unwrap();
            lines[i - 1].split(':').nth(11).unwrap().to_string()
        };
        assert_eq!(
            (cap(new_enc).as_str(), cap(new_sig).as_str()),
            ("e", "s"),
            "{}:\n{list}",
            kt.name()
        );
        // gpg encrypts to the new encryption subkey, by its fingerprint ("!": that subkey exactly).
        let (ct, status) = g.run(
            &["--encrypt", "--armor", "-r", &format!("{new_enc}!")],
            b"from gpg to the new subkey",
        );
        assert!(status.contains("END_ENCRYPTION"), "{status}");
        let out = decrypt(&ct, &decrypt_options(std::slice::from_ref(&k), &[], &p)).unwrap();
        assert_eq!(out.data, b"from gpg to the new subkey");
        // And to the key as a whole: gpg picks the newest encryption subkey, ours.
        let (ct, _) = g.run(&["--encrypt", "-r", &info.fingerprint], b"whole key");
        let ids = message_key_ids(&ct, &p).unwrap().encryption_key_ids;
        assert_eq!(
            ids,
            [new_enc[new_enc.len() - 16..].to_string()],
            "{}",
            kt.name()
        );
        assert_eq!(
            decrypt(&ct, &decrypt_options(std::slice::from_ref(&k), &[], &p))
                .unwrap()
                .data,
            b"whole key"
        );
        // gpg signs with the new signing subkey (it refuses a signing subkey without a valid
        // primary key binding signature); sealpost verifies the signature as that subkey's.
        let (sig, status) = g.run(
            &["--sign", "--armor", "-u", &format!("{new_sig}!")],
            b"signed by the new subkey",
        );
        assert!(status.contains("SIG_CREATED"), "{status}");
        let v = verify(&sig, &verify_options(&[keys::public_cert(&k)], &p)).unwrap();
        assert_eq!(v.data, b"signed by the new subkey");
        assert!(
            v.signatures.len() == 1 && v.signatures[0].valid,
            "{:?}",
            v.signatures
        );
        assert_eq!(
            v.signatures[0].signing_key_fingerprint.as_deref(),
            Some(new_sig.as_str())
        );
    }
}

/// Locking a v6 key (its secrets are bound to their packet type): it failed with "cannot encrypt
/// key with unspecified role" before; a grown v6 key locks and opens with the passphrase.
#[test]
fn a_v6_key_locks_and_opens() {
    let p = Policy::new();
    let k = key("Six", KeyType::Curve25519, Some(6));
    let k = keys::add_subkey(&k, &SubkeyOptions::default(), &[], &p).unwrap();
    let locked = keys::lock(&k, &pw("pw")).unwrap();
    assert!(keys::inspect(&locked, &p)
        .keys
        .iter()
        .all(|k| k.secret_locked));
    let back = keys::read_cert(&keys::write_cert(&locked, true, false).unwrap()).unwrap();
    let open = keys::unlock(&back, &pw("pw"), &p).unwrap();
    assert!(!keys::is_locked(&open));
    assert_eq!(
        keys::unlock(&back, &pw("no"), &p).unwrap_err().code(),
        ErrorCode::BadPassphrase
    );
}
