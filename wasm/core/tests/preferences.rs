//! Issue 26, item 3: the cipher (and, for SEIPDv2, the AEAD mode) is chosen
//! from the recipients' preferences — the strongest every recipient lists,
//! falling back to AES-128 (with OCB), never one a recipient does not list
//! nor one the policy refuses.  Each case reads the algorithm actually used
//! back out of the message with sequoia: the SEIPDv2 header, or the session
//! key a PKESKv3 carries (the only place SEIPDv1 names its cipher).
//! Before the fix every message was AES-256, whatever the recipients said.

#![allow(clippy::unwrap_used)] // tests may panic on failure
#![allow(deprecated)] // 3DES and CAST5 appear as what a recipient may list
mod common;
use common::*;

use std::time::Duration;

use sealpost_core::decrypt::decrypt;
use sealpost_core::encrypt::{choose_algorithms, encrypt};
use sealpost_core::keys::{self, KeyType};
use sealpost_core::{Cert, Policy};
use sequoia_openpgp as openpgp;

use openpgp::packet::signature::SignatureBuilder;
use openpgp::packet::SEIP;
use openpgp::parse::{PacketParser, PacketParserResult, Parse};
use openpgp::policy::StandardPolicy;
use openpgp::types::{AEADAlgorithm, Features, SignatureType, SymmetricAlgorithm};
use openpgp::Packet;

use AEADAlgorithm::{GCM, OCB};
use SymmetricAlgorithm::{Camellia128, Camellia256, TripleDES, AES128, AES192, AES256, CAST5};

/// `key` with its preferences replaced: the preferred ciphers, AEAD
/// ciphersuites (none: the subpacket is left out) and whether it
/// advertises SEIPDv2, on both its direct-key signature and its primary
/// user ID's binding (re-signed one second later, so they supersede).
fn with_prefs(
    key: &Cert,
    syms: &[SymmetricAlgorithm],
    suites: &[(SymmetricAlgorithm, AEADAlgorithm)],
    seipdv2: bool,
) -> Cert {
    let sp = StandardPolicy::new();
    let vc = key.with_policy(&sp, None).unwrap();
    let mut signer = signing_pair_of_primary(key);
    let features = if seipdv2 {
        Features::empty().set_seipdv1().set_seipdv2()
    } else {
        Features::empty().set_seipdv1()
    };
    let tweak = |sig: &openpgp::packet::Signature, typ: SignatureType| {
        let mut b = SignatureBuilder::from(sig.clone())
            .set_type(typ)
            .set_signature_creation_time(
                sig.signature_creation_time().unwrap() + Duration::from_secs(1),
            )
            .unwrap()
            .set_preferred_symmetric_algorithms(syms.to_vec())
            .unwrap()
            .set_features(features.clone())
            .unwrap();
        b = if suites.is_empty() {
            let mut b = b;
            b.hashed_area_mut().remove_all(
                openpgp::packet::signature::subpacket::SubpacketTag::PreferredAEADCiphersuites,
            );
            b
        } else {
            b.set_preferred_aead_ciphersuites(suites.to_vec()).unwrap()
        };
        b
    };
    let mut packets: Vec<Packet> = Vec::new();
    if let Ok(dk) = vc.direct_key_signature() {
        let sig = tweak(dk, SignatureType::DirectKey)
            .sign_direct_key(&mut signer, None)
            .unwrap();
        packets.push(sig.into());
    }
    let uid = vc.primary_userid().unwrap();
    let binding = uid.binding_signature();
    let sig = tweak(binding, binding.typ())
        .sign_userid_binding(&mut signer, None, uid.userid())
        .unwrap();
    packets.push(uid.userid().clone().into());
    packets.push(sig.into());
    let cert = key.clone().insert_packets(packets).unwrap().0;
    // The new preferences are the ones sequoia now reads.
    use openpgp::cert::Preferences;
    let vc = cert.with_policy(&sp, None).unwrap();
    assert_eq!(vc.preferred_symmetric_algorithms(), Some(syms));
    assert_eq!(vc.features().unwrap().supports_seipdv2(), seipdv2);
    cert
}

fn signing_pair_of_primary(key: &Cert) -> openpgp::crypto::KeyPair {
    key.primary_key()
        .key()
        .clone()
        .parts_into_secret()
        .unwrap()
        .into_keypair()
        .unwrap()
}

/// Encrypts to `recipients` and reads back (cipher, AEAD mode) from the
/// message: SEIPDv2 names both in its header; for SEIPDv1 the cipher is
/// the one the session key was made for, which every recipient (`keys`)
/// must open to the same answer.
fn used(
    recipients: &[Cert],
    force_aead: bool,
    p: &Policy,
) -> (SymmetricAlgorithm, Option<AEADAlgorithm>) {
    let publics: Vec<Cert> = recipients.iter().map(keys::public_cert).collect();
    let ct = encrypt(
        b"which cipher?",
        &sealpost_core::encrypt::EncryptOptions {
            force_aead,
            ..common::craft::encrypt_options(&publics, &[], p)
        },
    )
    .unwrap();
    let mut header = None;
    let mut ppr = PacketParser::from_bytes(&ct).unwrap();
    while let PacketParserResult::Some(pp) = ppr {
        if let Packet::SEIP(SEIP::V2(s)) = &pp.packet {
            header = Some((s.symmetric_algo(), Some(s.aead())));
        }
        ppr = pp.next().unwrap().1;
    }
    let mut from_keys = None;
    for k in recipients {
        let out = decrypt(
            &ct,
            &common::craft::decrypt_options(std::slice::from_ref(k), &[], p),
        )
        .unwrap();
        let algo = SymmetricAlgorithm::from(out.session_key.unwrap().algo);
        assert!(from_keys.is_none_or(|a| a == algo));
        from_keys = Some(algo);
    }
    match header {
        Some(h) => h,
        None => (from_keys.unwrap(), None),
    }
}

#[test]
fn the_cipher_is_the_strongest_every_recipient_prefers() {
    let p = policy();
    let v4 = |name: &str| key(name, KeyType::Curve25519, Some(4));
    let aes128_only = with_prefs(&v4("Aesone"), &[AES128], &[], false);
    let aes192 = with_prefs(&v4("Aesnine"), &[AES192, AES128], &[], false);
    let camellia = with_prefs(&v4("Camellia"), &[Camellia256, Camellia128], &[], false);
    let everything = with_prefs(
        &v4("Every"),
        &[AES256, Camellia256, AES192, AES128, Camellia128],
        &[],
        false,
    );
    let weak_only = with_prefs(&v4("Weak"), &[TripleDES, CAST5], &[], false);
    let default = v4("Default");

    // One recipient: its first choice.
    assert_eq!(
        used(std::slice::from_ref(&aes128_only), false, &p),
        (AES128, None)
    );
    assert_eq!(
        used(std::slice::from_ref(&aes192), false, &p),
        (AES192, None)
    );
    assert_eq!(
        used(std::slice::from_ref(&camellia), false, &p),
        (Camellia256, None)
    );
    assert_eq!(
        used(std::slice::from_ref(&default), false, &p),
        (AES256, None)
    );
    // Only 64-bit-block ciphers listed: never one of them; AES-128, which
    // every list implicitly ends with.
    assert_eq!(
        used(std::slice::from_ref(&weak_only), false, &p),
        (AES128, None)
    );
    // Mixed: the strongest in the intersection.
    assert_eq!(
        used(&[everything.clone(), aes192.clone()], false, &p),
        (AES192, None)
    );
    assert_eq!(
        used(&[everything.clone(), camellia.clone()], false, &p),
        (Camellia256, None)
    );
    assert_eq!(
        used(&[default.clone(), aes192.clone()], false, &p),
        (AES128, None)
    );
    assert_eq!(
        used(&[camellia.clone(), aes192.clone()], false, &p),
        (AES128, None)
    );
    assert_eq!(
        used(
            &[everything.clone(), aes128_only.clone(), default.clone()],
            false,
            &p
        ),
        (AES128, None)
    );
    // No preferences at all: AES-128.
    let none = with_prefs(&v4("None"), &[], &[], false);
    assert_eq!(used(&[none], false, &p), (AES128, None));

    // SEIPDv2: from the AEAD ciphersuites.
    let v6 = |name: &str| key(name, KeyType::Curve25519, Some(6));
    let six_default = v6("Sixdefault");
    let six_192 = with_prefs(
        &v6("Sixnine"),
        &[AES192, AES128],
        &[(AES192, OCB), (AES128, OCB)],
        true,
    );
    let six_gcm = with_prefs(
        &v6("Sixgcm"),
        &[AES256, AES128],
        &[(AES256, GCM), (AES128, GCM)],
        true,
    );
    let six_all = with_prefs(
        &v6("Sixall"),
        &[AES256, AES192, AES128],
        &[(AES256, OCB), (AES256, GCM), (AES192, OCB)],
        true,
    );
    assert_eq!(
        used(std::slice::from_ref(&six_default), false, &p),
        choose_algorithms(
            std::slice::from_ref(&keys::public_cert(&six_default)),
            &p,
            false
        )
        .unwrap()
    );
    assert_eq!(
        used(std::slice::from_ref(&six_192), false, &p),
        (AES192, Some(OCB))
    );
    assert_eq!(
        used(std::slice::from_ref(&six_gcm), false, &p),
        (AES256, Some(GCM))
    );
    assert_eq!(
        used(&[six_all.clone(), six_192.clone()], false, &p),
        (AES192, Some(OCB))
    );
    assert_eq!(
        used(&[six_all.clone(), six_gcm.clone()], false, &p),
        (AES256, Some(GCM))
    );
    // Nothing shared but the implicit AES-128/OCB.
    assert_eq!(
        used(&[six_192.clone(), six_gcm.clone()], false, &p),
        (AES128, Some(OCB))
    );
    // A v4 recipient without SEIPDv2 among them: SEIPDv1, from the ciphers.
    assert_eq!(
        used(&[six_all.clone(), aes192.clone()], false, &p),
        (AES192, None)
    );
    // No ciphersuite listed (sealpost's own v6 keys; SEIPDv2 forced for a v4
    // key): its preferred ciphers with OCB, which SEIPDv2 must support.
    assert_eq!(
        used(std::slice::from_ref(&aes192), true, &p),
        (AES192, Some(OCB))
    );
    assert_eq!(
        used(std::slice::from_ref(&six_default), false, &p),
        (AES256, Some(OCB))
    );
    assert_eq!(
        used(&[six_default.clone(), six_192.clone()], false, &p),
        (AES128, Some(OCB))
    );

    // Passwords only: AES-256.
    assert_eq!(choose_algorithms(&[], &p, false).unwrap(), (AES256, None));
    assert_eq!(
        choose_algorithms(&[], &p, true).unwrap(),
        (AES256, Some(OCB))
    );
}

/// `key` with its encryption subkey's ECDH KDF parameters replaced by
/// (`hash`, `sym`), re-bound by the primary key.
pub fn with_ecdh_params(
    key: &Cert,
    hash: openpgp::types::HashAlgorithm,
    sym: SymmetricAlgorithm,
) -> Cert {
    use openpgp::crypto::mpi::PublicKey;
    let sp = StandardPolicy::new();
    let vc = key.with_policy(&sp, None).unwrap();
    let ka = vc.keys().subkeys().for_storage_encryption().next().unwrap();
    let binding = ka.binding_signature().clone();
    let mut sub = ka.key().clone().parts_into_public();
    let PublicKey::ECDH { curve, q, .. } = sub.mpis().clone() else {
        panic!("an ECDH subkey");
    };
    sub.set_mpis(PublicKey::ECDH {
        curve,
        q,
        hash,
        sym,
    });
    let template = SignatureBuilder::from(binding.clone())
        .set_signature_creation_time(
            binding.signature_creation_time().unwrap() + Duration::from_secs(1),
        )
        .unwrap();
    let mut signer = signing_pair_of_primary(key);
    let public = keys::public_cert(key).retain_subkeys(|_| false);
    let sig = sub.bind(&mut signer, &public, template).unwrap();
    public
        .insert_packets(vec![Packet::from(sub), sig.into()])
        .unwrap()
        .0
}

/// An ECDH subkey whose KDF hash is shorter than its key-wrapping cipher
/// (SHA-224's 28 bytes for AES-256's 32) cannot work: sequoia would fail
/// mid-encryption with an internal-looking "Hash digest too short".  It is
/// bad key data (MALFORMED_INPUT, which SOP maps to BAD_DATA, 41), said
/// before anything is written; SHA-256 with AES-256 works.
#[test]
fn an_ecdh_key_whose_kdf_hash_is_too_short_is_bad_key_data() {
    use openpgp::types::HashAlgorithm::{SHA224, SHA256};
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, Some(4));
    let good = with_ecdh_params(&alice, SHA256, AES256);
    assert!(encrypt(b"x", &common::craft::encrypt_options(&[good], &[], &p)).is_ok());
    let short = with_ecdh_params(&alice, SHA224, AES256);
    let e = encrypt(
        b"x",
        &common::craft::encrypt_options(std::slice::from_ref(&short), &[], &p),
    )
    .unwrap_err();
    assert_eq!(e.code(), sealpost_core::ErrorCode::MalformedInput, "{e}");
    assert!(
        e.message().contains("SHA224") || e.message().contains("SHA-224"),
        "{e}"
    );
    if let Ok(path) = std::env::var("SEALPOST_WRITE_ECDH_FIXTURE") {
        std::fs::write(path, keys::write_cert(&short, false, true).unwrap()).unwrap();
    }
}
