//! Refreshing the pinned release certificate with real sequoia keys: what
//! the release key itself signed is taken (a new subkey, a new expiry, its
//! revocation), nothing a server forges is (a user ID, subkey or
//! revocation signed by another key, or claiming the pinned key as issuer
//! without its signature).
#![allow(clippy::unwrap_used)] // tests may panic on failure

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sealpost_verifier::cert::{refresh, self_certified, MAX_CERT_BYTES};
use sealpost_verifier::ErrorCode;
use sequoia_openpgp as openpgp;

use openpgp::cert::prelude::*;
use openpgp::crypto::KeyPair;
use openpgp::packet::key::{Key4, SecretParts, SubordinateRole};
use openpgp::packet::signature::SignatureBuilder;
use openpgp::packet::{Key, UserID};
use openpgp::parse::Parse;
use openpgp::policy::StandardPolicy;
use openpgp::serialize::{Serialize, SerializeInto};
use openpgp::types::{Curve, KeyFlags, ReasonForRevocation, RevocationStatus, SignatureType};
use openpgp::{Cert, Packet};

const P: &StandardPolicy = &StandardPolicy::new();

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A release key like `keys/demo-release.key`: Ed25519 primary that certifies and signs.
fn release_key(uid: &str) -> Cert {
    CertBuilder::new()
        .set_cipher_suite(CipherSuite::Cv25519)
        .set_creation_time(SystemTime::now() - Duration::from_secs(3600))
        .set_primary_key_flags(KeyFlags::empty().set_certification().set_signing())
        .add_userid(uid)
        .generate()
        .unwrap()
        .0
}

fn signer(cert: &Cert) -> KeyPair {
    cert.primary_key()
        .key()
        .clone()
        .parts_into_secret()
        .unwrap()
        .into_keypair()
        .unwrap()
}

fn public_bytes(cert: &Cert) -> Vec<u8> {
    cert.armored().to_vec().unwrap()
}

/// The pinned cert's packets followed by `extra`, serialized as a hostile
/// server would send them (no canonicalization on the way).
fn with_packets(cert: &Cert, extra: Vec<Packet>) -> Vec<u8> {
    let mut out = Vec::new();
    for p in cert
        .clone()
        .strip_secret_key_material()
        .into_packets()
        .chain(extra)
    {
        p.serialize(&mut out).unwrap();
    }
    out
}

fn parse(armored: &str) -> Cert {
    Cert::from_bytes(armored.as_bytes()).unwrap()
}

#[test]
fn unchanged_cert_and_secret_material_dropped() {
    let key = release_key("Release <release@example.org>");
    let pinned = public_bytes(&key);
    let r = refresh(&pinned, &pinned, now()).unwrap();
    assert!(!r.changed && !r.revoked && r.reason.is_none(), "{r:?}");
    assert_eq!(r.fingerprint, key.fingerprint().to_hex());
    assert!(r.cert.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    // The site serving the secret key (a mistake) leaks nothing into the pin.
    let tsk = key.as_tsk().armored().to_vec().unwrap();
    let r = refresh(&pinned, &tsk, now()).unwrap();
    assert!(!r.changed, "{r:?}");
    assert!(!parse(&r.cert).is_tsk());
    assert!(!r.cert.contains("PRIVATE KEY"));
    // The output reads back as the same certificate (a fixed point).
    let again = refresh(r.cert.as_bytes(), r.cert.as_bytes(), now()).unwrap();
    assert_eq!(again.cert, r.cert);
}

#[test]
fn a_new_subkey_is_taken() {
    let key = release_key("Release <release@example.org>");
    let pinned = public_bytes(&key);
    let updated = KeyBuilder::new(KeyFlags::empty().set_signing())
        .set_cipher_suite(CipherSuite::Cv25519)
        .subkey(key.with_policy(P, None).unwrap())
        .unwrap()
        .attach_cert()
        .unwrap();
    let r = refresh(&pinned, &public_bytes(&updated), now()).unwrap();
    assert!(r.changed && !r.revoked, "{r:?}");
    let merged = parse(&r.cert);
    let vc = merged.with_policy(P, None).unwrap();
    assert_eq!(vc.keys().subkeys().count(), 1);
    assert!(vc.keys().subkeys().for_signing().next().is_some());
}

#[test]
fn a_new_expiry_is_taken() {
    let key = release_key("Release <release@example.org>");
    let pinned = public_bytes(&key);
    let until = SystemTime::now() + Duration::from_secs(400 * 86_400);
    let sigs = key
        .set_expiration_time(P, None, &mut signer(&key), Some(until))
        .unwrap();
    let updated = key.clone().insert_packets(sigs).unwrap().0;
    let r = refresh(&pinned, &public_bytes(&updated), now()).unwrap();
    assert!(r.changed && !r.revoked, "{r:?}");
    let merged = parse(&r.cert);
    let got = merged
        .with_policy(P, None)
        .unwrap()
        .primary_key()
        .key_expiration_time()
        .unwrap();
    let diff = got.duration_since(until).unwrap_or_else(|e| e.duration());
    assert!(diff < Duration::from_secs(2), "{got:?} vs {until:?}");
    // Before the update the pinned key had no expiry.
    assert!(key
        .with_policy(P, None)
        .unwrap()
        .primary_key()
        .key_expiration_time()
        .is_none());
}

#[test]
fn a_self_revocation_is_honoured_with_a_clean_reason() {
    let key = release_key("Release <release@example.org>");
    let pinned = public_bytes(&key);
    let rev = CertRevocationBuilder::new()
        .set_reason_for_revocation(
            ReasonForRevocation::KeyCompromised,
            "leaked\u{202E}txt.exe\n\u{7}on   the\tbuild host".as_bytes(),
        )
        .unwrap()
        .build(&mut signer(&key), &key, None)
        .unwrap();
    let revoked = key.clone().insert_packets(rev.clone()).unwrap().0;
    let r = refresh(&pinned, &public_bytes(&revoked), now()).unwrap();
    assert!(r.changed && r.revoked, "{r:?}");
    assert_eq!(
        r.reason.as_deref(),
        Some("compromised: leakedtxt.exe on the build host")
    );
    // The merged cert carries the revocation: pinning it keeps the key revoked.
    let again = refresh(r.cert.as_bytes(), &pinned, now()).unwrap();
    assert!(again.revoked && !again.changed, "{again:?}");
    // A bare revocation certificate (primary key + revocation signature),
    // as `sq` and sealpost's revocationCertificate write it, works too.
    let mut bare = Vec::new();
    let public = key.clone().strip_secret_key_material();
    Packet::from(public.primary_key().key().clone())
        .serialize(&mut bare)
        .unwrap();
    Packet::from(rev).serialize(&mut bare).unwrap();
    assert!(refresh(&pinned, &bare, now()).unwrap().revoked);
    // A long reason is capped; no reason at all is "unspecified".
    let long = CertRevocationBuilder::new()
        .set_reason_for_revocation(ReasonForRevocation::KeyRetired, &[b'x'; 5000])
        .unwrap()
        .build(&mut signer(&key), &key, None)
        .unwrap();
    let r = refresh(&pinned, &with_packets(&key, vec![long.into()]), now()).unwrap();
    let reason = r.reason.unwrap();
    assert!(reason.starts_with("retired: xxx") && reason.ends_with('…'));
    assert!(reason.chars().count() <= 201, "{}", reason.chars().count());
    let plain = SignatureBuilder::new(SignatureType::KeyRevocation)
        .sign_direct_key(&mut signer(&key), None)
        .unwrap();
    let r = refresh(&pinned, &with_packets(&key, vec![plain.into()]), now()).unwrap();
    assert!(r.revoked);
    assert_eq!(r.reason.as_deref(), Some("unspecified"));
}

#[test]
fn a_soft_revocation_counts_from_its_time() {
    let key = release_key("Release <release@example.org>");
    let when = SystemTime::now() - Duration::from_secs(60);
    let rev = CertRevocationBuilder::new()
        .set_reason_for_revocation(ReasonForRevocation::KeySuperseded, b"new key")
        .unwrap()
        .set_signature_creation_time(when)
        .unwrap()
        .build(&mut signer(&key), &key, None)
        .unwrap();
    let fetched = with_packets(&key, vec![rev.into()]);
    let at = when.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let r = refresh(&public_bytes(&key), &fetched, at + 10).unwrap();
    assert!(r.revoked && r.reason.as_deref() == Some("superseded: new key"));
    let r = refresh(&public_bytes(&key), &fetched, at - 10).unwrap();
    assert!(
        !r.revoked,
        "a soft revocation is not in force before it was made"
    );
}

#[test]
fn another_key_is_a_mismatch() {
    let key = release_key("Release <release@example.org>");
    let other = release_key("Release <release@example.org>");
    let e = refresh(&public_bytes(&key), &public_bytes(&other), now()).unwrap_err();
    assert_eq!(e.code, ErrorCode::CertMismatch);
    assert_eq!(e.code.as_str(), "CERT_MISMATCH");
    assert!(e.message.contains(&key.fingerprint().to_hex()), "{e}");
    // A keyring is not "a certificate" either.
    let mut ring = key.to_vec().unwrap();
    ring.extend(other.to_vec().unwrap());
    let e = refresh(&public_bytes(&key), &ring, now()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidCert, "{e}");
}

#[test]
fn garbage_is_invalid_cert() {
    let key = release_key("Release <release@example.org>");
    let pinned = public_bytes(&key);
    let mut truncated = key.to_vec().unwrap();
    truncated.truncate(truncated.len() / 2);
    let mut flipped = key.to_vec().unwrap();
    let n = flipped.len();
    flipped[n - 10] ^= 0x55;
    for junk in [
        b"".to_vec(),
        b"<html>not found</html>".to_vec(),
        truncated,
        vec![0xff; 1000],
        vec![b'A'; MAX_CERT_BYTES + 1],
    ] {
        let e = refresh(&pinned, &junk, now()).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidCert, "{e}");
        assert!(e.message.starts_with("fetched certificate"), "{e}");
        let e = refresh(&junk, &pinned, now()).unwrap_err();
        // A pin too large to read has its own code: the caller cannot
        // take it for "keep the pin".
        let code = if junk.len() > MAX_CERT_BYTES {
            ErrorCode::CertTooLarge
        } else {
            ErrorCode::InvalidCert
        };
        assert_eq!(e.code, code, "{e}");
        assert!(e.message.starts_with("pinned certificate"), "{e}");
    }
    // A flipped byte in a signature parses, but that signature no longer
    // verifies: nothing changes, nothing breaks.
    if let Ok(r) = refresh(&pinned, &flipped, now()) {
        assert!(!r.revoked);
    }
    // Every truncation of a real certificate: an answer, never a panic.
    let whole = key.to_vec().unwrap();
    for cut in 0..whole.len() {
        let _ = refresh(&pinned, &whole[..cut], now());
    }
}

#[test]
fn forged_revocations_do_not_revoke() {
    let key = release_key("Release <release@example.org>");
    let mallory = release_key("Mallory <mallory@example.org>");
    let pinned = public_bytes(&key);
    // A third-party revocation: another key revokes ours.
    let third_party = CertRevocationBuilder::new()
        .set_reason_for_revocation(ReasonForRevocation::KeyCompromised, b"forged")
        .unwrap()
        .build(&mut signer(&mallory), &key, None)
        .unwrap();
    // A revocation made by another key but naming ours as its issuer.
    let claimed = SignatureBuilder::new(SignatureType::KeyRevocation)
        .set_reason_for_revocation(ReasonForRevocation::KeyCompromised, b"forged")
        .unwrap()
        .set_issuer(key.keyid())
        .unwrap()
        .set_issuer_fingerprint(key.fingerprint())
        .unwrap()
        .sign_direct_key(&mut signer(&mallory), Some(key.primary_key().key()))
        .unwrap();
    assert_eq!(
        claimed.issuer_fingerprints().next(),
        Some(&key.fingerprint())
    );
    // A real revocation signature of the *other* key, transplanted.
    let transplanted = CertRevocationBuilder::new()
        .build(&mut signer(&mallory), &mallory, None)
        .unwrap();
    for (name, sig) in [
        ("third-party", third_party),
        ("claimed issuer", claimed),
        ("transplanted", transplanted),
    ] {
        let fetched = with_packets(&key, vec![sig.into()]);
        // sequoia alone, without our reduction, does not call it revoked either.
        let raw = Cert::from_bytes(&fetched).unwrap();
        assert!(
            !matches!(raw.revocation_status(P, None), RevocationStatus::Revoked(_)),
            "{name}"
        );
        let r = refresh(&pinned, &fetched, now()).unwrap();
        assert!(!r.revoked && r.reason.is_none(), "{name}: {r:?}");
        assert!(!r.changed, "{name}: the forged signature must not be kept");
        let out = parse(&r.cert);
        assert_eq!(out.bad_signatures().count(), 0, "{name}");
        assert_eq!(
            out.primary_key().bundle().other_revocations().count(),
            0,
            "{name}"
        );
    }
}

#[test]
fn forged_user_ids_and_subkeys_are_dropped() {
    let key = release_key("Release <release@example.org>");
    let mallory = release_key("Mallory <mallory@example.org>");
    let pinned = public_bytes(&key);
    let primary = key.primary_key().key();
    // A user ID certified by another key.
    let uid = UserID::from("Release Team <security@evil.example>");
    let uid_sig = SignatureBuilder::new(SignatureType::PositiveCertification)
        .sign_userid_binding(&mut signer(&mallory), Some(primary), &uid)
        .unwrap();
    // The same, claiming our key as issuer.
    let uid2 = UserID::from("Release <new-address@evil.example>");
    let uid2_sig = SignatureBuilder::new(SignatureType::PositiveCertification)
        .set_issuer_fingerprint(key.fingerprint())
        .unwrap()
        .set_issuer(key.keyid())
        .unwrap()
        .sign_userid_binding(&mut signer(&mallory), Some(primary), &uid2)
        .unwrap();
    // A user ID with no signature at all.
    let uid3 = UserID::from("Unsigned <unsigned@evil.example>");
    // A signing subkey whose binding another key made (mallory holds its secret).
    let sub: Key<SecretParts, SubordinateRole> =
        Key4::generate_ecc(true, Curve::Ed25519).unwrap().into();
    let mut sub_signer = sub.clone().into_keypair().unwrap();
    let backsig = SignatureBuilder::new(SignatureType::PrimaryKeyBinding)
        .sign_primary_key_binding(&mut sub_signer, primary, sub.parts_as_public())
        .unwrap();
    let sub_sig = SignatureBuilder::new(SignatureType::SubkeyBinding)
        .set_key_flags(KeyFlags::empty().set_signing())
        .unwrap()
        .set_issuer_fingerprint(key.fingerprint())
        .unwrap()
        .set_embedded_signature(backsig)
        .unwrap()
        .sign_subkey_binding(&mut signer(&mallory), Some(primary), sub.parts_as_public())
        .unwrap();
    let fetched = with_packets(
        &key,
        vec![
            uid.clone().into(),
            uid_sig.into(),
            uid2.clone().into(),
            uid2_sig.into(),
            uid3.into(),
            Packet::from(sub.clone().parts_into_public()),
            sub_sig.into(),
        ],
    );
    let raw = Cert::from_bytes(&fetched).unwrap();
    assert_eq!(raw.userids().count(), 4, "sequoia keeps the components…");
    let r = refresh(&pinned, &fetched, now()).unwrap();
    assert!(!r.changed && !r.revoked, "{r:?}");
    let out = parse(&r.cert);
    let uids: Vec<String> = out
        .userids()
        .map(|u| String::from_utf8_lossy(u.userid().value()).into_owned())
        .collect();
    assert_eq!(uids, vec!["Release <release@example.org>"], "…we do not");
    assert_eq!(out.keys().subkeys().count(), 0);
    assert_eq!(out.bad_signatures().count(), 0);
    for ua in out.userids() {
        assert_eq!(ua.bundle().certifications().count(), 0);
    }
}

#[test]
fn unsigned_junk_in_unhashed_areas_changes_nothing() {
    use openpgp::packet::signature::subpacket::{NotationDataFlags, Subpacket, SubpacketValue};
    let key = release_key("Release <release@example.org>");
    let pinned = public_bytes(&key);
    let mut packets: Vec<Packet> = key
        .clone()
        .strip_secret_key_material()
        .into_packets()
        .collect();
    for p in packets.iter_mut() {
        if let Packet::Signature(sig) = p {
            let notation = openpgp::packet::signature::subpacket::NotationData::new(
                "junk@evil.example",
                vec![0u8; 2000],
                NotationDataFlags::empty(),
            );
            sig.unhashed_area_mut()
                .add(Subpacket::new(SubpacketValue::NotationData(notation), false).unwrap())
                .unwrap();
        }
    }
    let mut fetched = Vec::new();
    for p in packets {
        p.serialize(&mut fetched).unwrap();
    }
    let r = refresh(&pinned, &fetched, now()).unwrap();
    assert!(!r.changed, "{r:?}");
    assert!(r.cert.len() < 2000, "{}", r.cert.len());
}

#[test]
fn the_reduction_keeps_what_the_key_signed() {
    let key = release_key("Release <release@example.org>");
    let full = KeyBuilder::new(KeyFlags::empty().set_transport_encryption())
        .set_cipher_suite(CipherSuite::Cv25519)
        .subkey(key.with_policy(P, None).unwrap())
        .unwrap()
        .attach_cert()
        .unwrap()
        .strip_secret_key_material();
    let reduced = self_certified(&full).unwrap();
    assert_eq!(reduced.to_vec().unwrap(), full.to_vec().unwrap());
}

/// `cert`'s public packets with every signature's unhashed area stuffed
/// with `n` Issuer subpackets naming other keys (ids from `seed`), and
/// `extra` after them: what a server without the key can serve.
fn stuffed(cert: &Cert, seed: u64, n: u64, extra: Vec<Packet>) -> Vec<u8> {
    use openpgp::packet::signature::subpacket::{Subpacket, SubpacketValue};
    let mut out = Vec::new();
    for mut p in cert
        .clone()
        .strip_secret_key_material()
        .into_packets()
        .chain(extra)
    {
        if let Packet::Signature(sig) = &mut p {
            for i in 0..n {
                let id = openpgp::KeyID::from(seed * 1_000_000 + i);
                // Stops adding when the area is full, as a server would.
                if sig
                    .unhashed_area_mut()
                    .add(Subpacket::new(SubpacketValue::Issuer(id), false).unwrap())
                    .is_err()
                {
                    break;
                }
            }
        }
        p.serialize(&mut out).unwrap();
    }
    out
}

#[test]
fn issuer_stuffing_neither_grows_the_pin_nor_hides_a_revocation() {
    let key = release_key("Release <release@example.org>");
    let first = refresh(&public_bytes(&key), &public_bytes(&key), now()).unwrap();
    assert!(!first.changed, "{first:?}");
    let mut pinned = first.cert.clone().into_bytes();
    // Round after round of bogus issuers: before the fix each round was
    // `changed` and the pin grew until it could no longer be read.
    for round in 1..=6u64 {
        let fetched = stuffed(&key, round, 1500, vec![]);
        assert!(fetched.len() > 20_000, "{}", fetched.len());
        let r = refresh(&pinned, &fetched, now()).unwrap();
        assert!(!r.changed && !r.revoked, "round {round}: {r:?}");
        assert_eq!(r.cert, first.cert, "round {round}");
        // The extension pins only when changed; pinning anyway is harmless.
        pinned = r.cert.into_bytes();
    }
    // Then the key owner revokes; the server still stuffs issuers into
    // every signature, the revocation included.
    let rev = CertRevocationBuilder::new()
        .set_reason_for_revocation(ReasonForRevocation::KeyCompromised, b"leaked")
        .unwrap()
        .build(&mut signer(&key), &key, None)
        .unwrap();
    let fetched = stuffed(&key, 99, 1500, vec![rev.into()]);
    let r = refresh(&pinned, &fetched, now()).unwrap();
    assert!(r.changed && r.revoked, "{r:?}");
    assert_eq!(r.reason.as_deref(), Some("compromised: leaked"));
    assert!(r.cert.len() < first.cert.len() + 1000, "{}", r.cert.len());
}

#[test]
fn unhashed_issuers_and_back_signatures_are_bounded_and_checked() {
    use openpgp::packet::signature::subpacket::{Subpacket, SubpacketValue};
    let key = release_key("Release <release@example.org>");
    let primary = key.primary_key().key();
    // A signing subkey whose back-signature sits in the UNHASHED area of
    // its binding (allowed: the back-signature is itself a signature),
    // preceded there by a bogus one and followed by copies of the issuer.
    let sub: Key<SecretParts, SubordinateRole> =
        Key4::generate_ecc(true, Curve::Ed25519).unwrap().into();
    let mut sub_signer = sub.clone().into_keypair().unwrap();
    let backsig = SignatureBuilder::new(SignatureType::PrimaryKeyBinding)
        .sign_primary_key_binding(&mut sub_signer, primary, sub.parts_as_public())
        .unwrap();
    let other: Key<SecretParts, SubordinateRole> =
        Key4::generate_ecc(true, Curve::Ed25519).unwrap().into();
    let bogus = SignatureBuilder::new(SignatureType::PrimaryKeyBinding)
        .sign_primary_key_binding(
            &mut other.clone().into_keypair().unwrap(),
            primary,
            sub.parts_as_public(),
        )
        .unwrap();
    let mut binding = SignatureBuilder::new(SignatureType::SubkeyBinding)
        .set_key_flags(KeyFlags::empty().set_signing())
        .unwrap()
        .sign_subkey_binding(&mut signer(&key), Some(primary), sub.parts_as_public())
        .unwrap();
    let area = binding.unhashed_area_mut();
    area.clear();
    for s in [
        SubpacketValue::EmbeddedSignature(bogus),
        SubpacketValue::EmbeddedSignature(backsig),
        SubpacketValue::Issuer(key.keyid()),
        SubpacketValue::Issuer(key.keyid()),
        SubpacketValue::IssuerFingerprint(key.fingerprint()),
        SubpacketValue::IssuerFingerprint(key.fingerprint()),
    ] {
        area.add(Subpacket::new(s, false).unwrap()).unwrap();
    }
    let fetched = with_packets(
        &key,
        vec![
            Packet::from(sub.clone().parts_into_public()),
            binding.into(),
        ],
    );
    let r = refresh(&public_bytes(&key), &fetched, now()).unwrap();
    assert!(r.changed && !r.revoked, "{r:?}");
    let out = parse(&r.cert);
    // The subkey still binds for signing: the genuine back-signature was kept.
    let vc = out.with_policy(P, None).unwrap();
    assert_eq!(vc.keys().subkeys().for_signing().count(), 1);
    let sig = out
        .keys()
        .subkeys()
        .next()
        .unwrap()
        .bundle()
        .self_signatures()
        .next()
        .unwrap()
        .clone();
    use openpgp::packet::signature::subpacket::SubpacketTag as T;
    let mut tags: Vec<T> = sig.unhashed_area().iter().map(|s| s.tag()).collect();
    tags.sort_by_key(|t| u8::from(*t));
    let mut want = vec![T::IssuerFingerprint, T::Issuer, T::EmbeddedSignature];
    want.sort_by_key(|t| u8::from(*t));
    assert_eq!(tags, want, "one of each");
    // Pinning that and refreshing with the same again: no change.
    let again = refresh(r.cert.as_bytes(), &fetched, now()).unwrap();
    assert!(!again.changed, "{again:?}");
    assert_eq!(again.cert, r.cert);
}

#[test]
fn a_result_too_large_to_pin_is_refused_unless_it_revokes() {
    use openpgp::packet::signature::subpacket::NotationDataFlags;
    let key = release_key("Release <release@example.org>");
    let pinned = public_bytes(&key);
    let primary = key.primary_key().key();
    // The key owner (only they can) certifies many large user IDs.
    let mut extra: Vec<Packet> = Vec::new();
    for i in 0..160 {
        let uid = UserID::from(format!("Release {i} <r{i}@example.org>"));
        let sig = SignatureBuilder::new(SignatureType::PositiveCertification)
            .add_notation(
                "pad@example.org",
                vec![b'p'; 1000],
                NotationDataFlags::empty(),
                false,
            )
            .unwrap()
            .sign_userid_binding(&mut signer(&key), Some(primary), &uid)
            .unwrap();
        extra.push(uid.into());
        extra.push(sig.into());
    }
    let e = refresh(&pinned, &with_packets(&key, extra.clone()), now()).unwrap_err();
    assert_eq!(e.code, ErrorCode::CertTooLarge, "{e}");
    assert_eq!(e.code.as_str(), "CERT_TOO_LARGE");
    // With a revocation in it, the revocation is reported and the pin kept.
    let rev = CertRevocationBuilder::new()
        .set_reason_for_revocation(ReasonForRevocation::KeyRetired, b"")
        .unwrap()
        .build(&mut signer(&key), &key, None)
        .unwrap();
    extra.push(rev.into());
    let r = refresh(&pinned, &with_packets(&key, extra), now()).unwrap();
    assert!(r.revoked && !r.changed, "{r:?}");
    assert_eq!(parse(&r.cert).userids().count(), 1);
}
