//! Given session keys, session key packets, literal file names and the key
//! IDs a message names (OpenPGP.js's encrypt({ sessionKey }),
//! generateSessionKey, encryptSessionKey, createMessage({ filename }),
//! getEncryptionKeyIDs / getSigningKeyIDs), natively; each refusal with
//! its code.

#![allow(clippy::unwrap_used)] // tests may panic on failure
mod common;
use common::craft::{decrypt_options, encrypt_options, signed};
use common::*;

use sealpost_core::decrypt::{decrypt, SessionKeyData};
use sealpost_core::encrypt::{
    encrypt_session_key, encrypt_with, generate_session_key, EncryptExtra,
};
use sealpost_core::keys::{self, KeyType};
use sealpost_core::packets::message_key_ids;
use sealpost_core::sign::SignMode;
use sealpost_core::{Cert, ErrorCode, Policy};
use sequoia_openpgp::types::AEADAlgorithm;

fn encryption_key_id(cert: &Cert) -> String {
    let p = sequoia_openpgp::policy::StandardPolicy::new();
    cert.with_policy(&p, None)
        .unwrap()
        .keys()
        .for_transport_encryption()
        .next()
        .unwrap()
        .key()
        .keyid()
        .to_hex()
}

#[test]
fn a_given_session_key_encrypts_and_is_the_one_decryption_finds() {
    let p = Policy::new();
    for (version, aead) in [
        (None, None),
        (Some(6), Some(AEADAlgorithm::OCB)),
        (None, Some(AEADAlgorithm::GCM)),
    ] {
        let bob = key("Bob", KeyType::Curve25519, version);
        let recipients = [keys::public_cert(&bob)];
        let (sk, chosen) = generate_session_key(&recipients, &p, aead.is_some()).unwrap();
        assert_eq!(sk.algo, 9, "AES-256");
        assert_eq!(chosen.is_some(), aead.is_some() || version == Some(6));
        let extra = EncryptExtra {
            session_key: Some(sk.clone()),
            session_aead: aead,
            filename: Some("report ✓.pdf".as_bytes().to_vec()),
        };
        let ct =
            encrypt_with(b"given key", &encrypt_options(&recipients, &[], &p), &extra).unwrap();
        let d = decrypt(&ct, &decrypt_options(std::slice::from_ref(&bob), &[], &p)).unwrap();
        assert_eq!(d.data, b"given key");
        assert_eq!(*d.session_key.unwrap().to_text(), *sk.to_text());
        assert_eq!(d.layers.filename.as_deref(), Some("report ✓.pdf"));
        assert_eq!(
            d.layers.aead.is_some(),
            aead.is_some() || version == Some(6),
            "{:?}",
            d.layers
        );
        if let Some(a) = aead {
            assert_eq!(d.layers.aead.as_deref(), Some(a.to_string().as_str()));
        }
        // The session key alone opens it too.
        let mut opts = decrypt_options(&[], &[], &p);
        let given = [sk.clone()];
        opts.session_keys = &given;
        assert_eq!(decrypt(&ct, &opts).unwrap().data, b"given key");
    }
}

#[test]
fn session_key_packets_open_data_encrypted_with_the_key_alone() {
    let p = Policy::new();
    let bob = key("Bob", KeyType::Curve25519, None);
    let recipients = [keys::public_cert(&bob)];
    let sk = SessionKeyData::parse(&format!("9:{}", "AB".repeat(32))).unwrap();
    let extra = EncryptExtra {
        session_key: Some(sk.clone()),
        ..Default::default()
    };
    // The data with no session key packet at all, then the packets made for it.
    let bare = encrypt_with(b"bare", &encrypt_options(&[], &[], &p), &extra).unwrap();
    let passwords = [pw("pw")];
    let esk = encrypt_session_key(&sk, None, &recipients, &passwords, &p, false).unwrap();
    let joined = [esk.clone(), bare.clone()].concat();
    let d = decrypt(
        &joined,
        &decrypt_options(std::slice::from_ref(&bob), &[], &p),
    )
    .unwrap();
    assert_eq!(d.data, b"bare");
    let d = decrypt(&joined, &decrypt_options(&[], &passwords, &p)).unwrap();
    assert_eq!(d.data, b"bare");
    assert_eq!(d.layers.filename, None, "no file name: None");
    // Without the packets: not encrypted to anyone.
    let e = decrypt(&bare, &decrypt_options(std::slice::from_ref(&bob), &[], &p)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotEncrypted, "{e}");
    // The packets name the recipient; armored they are a PGP MESSAGE.
    assert_eq!(
        message_key_ids(&esk, &p).unwrap().encryption_key_ids,
        vec![encryption_key_id(&bob)]
    );
    let armored =
        encrypt_session_key(&sk, Some(AEADAlgorithm::OCB), &recipients, &[], &p, true).unwrap();
    assert!(armored.starts_with(b"-----BEGIN PGP MESSAGE-----"));
}

#[test]
fn bad_session_keys_and_file_names_are_refused_with_their_code() {
    let p = Policy::new();
    let bob = key("Bob", KeyType::Curve25519, None);
    let recipients = [keys::public_cert(&bob)];
    let opts = encrypt_options(&recipients, &[], &p);
    let with = |text: &str, aead: Option<AEADAlgorithm>| EncryptExtra {
        session_key: Some(SessionKeyData::parse(text).unwrap()),
        session_aead: aead,
        filename: None,
    };
    let code = |extra: &EncryptExtra| encrypt_with(b"x", &opts, extra).unwrap_err().code();
    // 64-bit-block ciphers (CAST5, 3DES), unencrypted, unknown.
    assert_eq!(
        code(&with(&format!("3:{}", "00".repeat(16)), None)),
        ErrorCode::Unsupported
    );
    assert_eq!(
        code(&with(&format!("2:{}", "00".repeat(24)), None)),
        ErrorCode::Unsupported
    );
    assert_eq!(
        code(&with(&format!("0:{}", "00".repeat(16)), None)),
        ErrorCode::Unsupported
    );
    assert_eq!(
        code(&with(&format!("200:{}", "00".repeat(16)), None)),
        ErrorCode::Unsupported
    );
    // A key of the wrong size.
    assert_eq!(
        code(&with(&format!("9:{}", "00".repeat(16)), None)),
        ErrorCode::InvalidArgument
    );
    // A private or unknown AEAD mode.
    assert_eq!(
        code(&with(
            &format!("9:{}", "00".repeat(32)),
            Some(AEADAlgorithm::from(100))
        )),
        ErrorCode::Unsupported
    );
    // A file name over 255 bytes.
    let long = EncryptExtra {
        filename: Some(vec![b'a'; 256]),
        ..Default::default()
    };
    assert_eq!(code(&long), ErrorCode::InvalidArgument);
    let sk = SessionKeyData::parse(&format!("9:{}", "00".repeat(32))).unwrap();
    let e = encrypt_session_key(&sk, None, &[], &[], &p, true).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    // A recipient without an encryption key: the same refusal as encrypting.
    let signer = key("Signer", KeyType::Curve25519, None);
    let only_signing =
        keys::public_cert(&signer).retain_subkeys(|k| !k.key().pk_algo().for_encryption());
    let e = generate_session_key(&[only_signing], &p, false).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NoUsableKey, "{e}");
}

#[test]
fn message_key_ids_name_recipients_and_signers_without_decrypting() {
    let p = Policy::new();
    let bob = key("Bob", KeyType::Curve25519, None);
    let carol = key("Carol", KeyType::Curve25519, Some(6));
    let recipients = [keys::public_cert(&bob), keys::public_cert(&carol)];
    let passwords = [pw("pw")];
    let ct = encrypt_with(
        b"x",
        &encrypt_options(&recipients, &passwords, &p),
        &EncryptExtra::default(),
    )
    .unwrap();
    let ids = message_key_ids(&ct, &p).unwrap();
    assert_eq!(
        ids.encryption_key_ids,
        vec![encryption_key_id(&bob), encryption_key_id(&carol)]
    );
    assert!(
        ids.signing_key_ids.is_empty(),
        "signatures inside the encryption are not read"
    );
    // A signed message: its signer (inline), armored or not.
    let s = signed(b"data", &bob, SignMode::Inline, &p);
    let ids = message_key_ids(&s, &p).unwrap();
    let p2 = sequoia_openpgp::policy::StandardPolicy::new();
    let signing = bob
        .with_policy(&p2, None)
        .unwrap()
        .keys()
        .for_signing()
        .next()
        .unwrap()
        .key()
        .keyid()
        .to_hex();
    assert_eq!(ids.signing_key_ids, vec![signing]);
    assert!(ids.encryption_key_ids.is_empty());
    // Garbage and an empty armor are MALFORMED_INPUT; more session keys than the limit LIMIT_EXCEEDED.
    assert_eq!(
        message_key_ids(b"\x01\x02\x03", &p).unwrap_err().code(),
        ErrorCode::MalformedInput
    );
    assert_eq!(
        message_key_ids(b"", &p).unwrap_err().code(),
        ErrorCode::MalformedInput
    );
    let few = Policy::new().with_max_recipients(1);
    assert_eq!(
        message_key_ids(&ct, &few).unwrap_err().code(),
        ErrorCode::LimitExceeded
    );
}
