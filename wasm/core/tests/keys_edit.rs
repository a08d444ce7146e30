//! Editing keys with their own primary key: a new user ID, a new expiration
//! time, certifications of another key's user IDs (OpenPGP.js's
//! signAllUsers); refusals with their codes; the secret material unchanged.

#![allow(clippy::unwrap_used)] // tests may panic on failure
mod common;
use common::*;

use std::time::Duration;

use sealpost_core::keys::{self, KeyType};
use sealpost_core::{ErrorCode, Policy};

#[test]
fn a_new_user_id_is_bound_valid_and_not_primary() {
    let p = Policy::new();
    for version in [None, Some(6)] {
        let alice = key("Alice", KeyType::Curve25519, version);
        let edited = keys::add_user_id(&alice, "Alice Work <alice@work.example>", &[], &p).unwrap();
        let info = keys::inspect(&edited, &p);
        assert_eq!(info.user_ids.len(), 2, "{version:?}");
        let added = info
            .user_ids
            .iter()
            .find(|u| u.user_id == "Alice Work <alice@work.example>")
            .unwrap();
        assert!(added.valid && !added.primary, "{added:?}");
        assert!(info
            .user_ids
            .iter()
            .any(|u| u.primary && u.user_id.starts_with("Alice <")));
        // The secret material is the input's.
        assert!(keys::is_secret(&edited) && !keys::is_locked(&edited));
        // Again: refused; empty or with control characters: refused.
        for bad in ["Alice Work <alice@work.example>", "", "a\nb"] {
            let e = keys::add_user_id(&edited, bad, &[], &p).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidArgument, "{bad:?}: {e}");
        }
    }
    // A locked key without its passphrase, a public key.
    let locked = locked_key("Lou", "pw");
    assert_eq!(
        keys::add_user_id(&locked, "x <x@example.org>", &[], &p)
            .unwrap_err()
            .code(),
        ErrorCode::KeyLocked
    );
    assert!(keys::add_user_id(&locked, "x <x@example.org>", &[pw("pw")], &p).is_ok());
    let public = keys::public_cert(&key("Pub", KeyType::Curve25519, None));
    assert_eq!(
        keys::add_user_id(&public, "x <x@example.org>", &[], &p)
            .unwrap_err()
            .code(),
        ErrorCode::InvalidArgument
    );
}

#[test]
fn the_expiration_time_changes_and_can_be_removed() {
    let p = Policy::new();
    let alice = key("Alice", KeyType::Curve25519, None);
    let created = keys::inspect(&alice, &p).created;
    // Self-signatures carry whole seconds: each change a second after the last (a change in
    // the same second would tie with it).
    let tick = || std::thread::sleep(Duration::from_millis(1100));
    tick();
    let in_a_year =
        keys::set_expiration(&alice, Some(Duration::from_secs(365 * 86400)), &[], &p).unwrap();
    assert_eq!(
        keys::inspect(&in_a_year, &p).expires,
        Some(created + 365 * 86400)
    );
    tick();
    let never = keys::set_expiration(&in_a_year, None, &[], &p).unwrap();
    assert_eq!(keys::inspect(&never, &p).expires, None);
    // In the past: refused, nothing signed.
    let e = keys::set_expiration(&alice, Some(Duration::from_secs(0)), &[], &p).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
}

#[test]
fn signing_all_user_ids_adds_verifying_certifications() {
    let p = Policy::new();
    let alice = key("Alice", KeyType::Curve25519, None);
    let bob = keys::add_user_id(
        &key("Bob", KeyType::Curve25519, None),
        "Bob 2 <bob2@example.org>",
        &[],
        &p,
    )
    .unwrap();
    let bob_public = keys::public_cert(&bob);
    let signed =
        keys::certify_user_ids(&bob_public, std::slice::from_ref(&alice), &[], &p).unwrap();
    let alice_fp = alice.fingerprint();
    for u in signed.userids() {
        let by_alice: Vec<_> = u
            .certifications()
            .filter(|c| {
                c.get_issuers()
                    .iter()
                    .any(|i| i.aliases(sequoia_openpgp::KeyHandle::from(alice_fp.clone())))
            })
            .collect();
        assert_eq!(by_alice.len(), 1, "{:?}", u.userid());
        let sig = by_alice[0].clone();
        sig.verify_userid_binding(
            alice.primary_key().key(),
            signed.primary_key().key(),
            u.userid(),
        )
        .unwrap();
    }
    assert!(!keys::is_secret(&signed), "still a public key");
    // No signer, a public signer.
    assert_eq!(
        keys::certify_user_ids(&bob_public, &[], &[], &p)
            .unwrap_err()
            .code(),
        ErrorCode::InvalidArgument
    );
    let e = keys::certify_user_ids(&bob_public, &[keys::public_cert(&alice)], &[], &p).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
}
