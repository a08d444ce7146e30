//! `encrypt_cfb_pending`: a SEIPDv1 message whose MDC and CFB encryption are
//! the caller's (the shim's WebCrypto path).  Finished here with a CFB written
//! from the AES block function and sequoia's SHA-1, the messages must be what
//! `decrypt` accepts, signatures included; anything else is refused.

#![allow(clippy::unwrap_used)] // tests may panic on failure
mod common;
use common::craft::decrypt_options;
use common::*;

use aes::cipher::{generic_array::GenericArray, BlockEncrypt, KeyInit};
use sealpost_core::decrypt::{decrypt, DecryptOptions, SessionKeyData};
use sealpost_core::encrypt::{encrypt_cfb_pending, CfbPending, EncryptExtra, EncryptOptions};
use sealpost_core::keys::KeyType;
use sealpost_core::{Cert, ErrorCode, Password, Policy};
use sequoia_openpgp as openpgp;

/// AES-CFB with a zero IV over `data`, in place (RFC 4880 §13.9 without the resync).
fn cfb<C: BlockEncrypt>(cipher: &C, data: &mut [u8]) {
    let mut feedback = [0u8; 16];
    for block in data.chunks_mut(16) {
        let mut ks = GenericArray::clone_from_slice(&feedback);
        cipher.encrypt_block(&mut ks);
        for (b, k) in block.iter_mut().zip(ks.iter()) {
            *b ^= k;
        }
        feedback[..block.len()].copy_from_slice(block);
    }
}

/// Does what the caller of `encrypt_cfb_pending` must: the MDC's SHA-1, then CFB.
fn finish(p: CfbPending) -> Vec<u8> {
    let CfbPending {
        mut message,
        body_start,
        session_key,
    } = p;
    let end = message.len() - 20;
    let mut sha1 = openpgp::types::HashAlgorithm::SHA1
        .context()
        .unwrap()
        .for_digest();
    sha1.update(&message[body_start..end]);
    let digest = sha1.into_digest().unwrap();
    message[end..].copy_from_slice(&digest);
    let body = &mut message[body_start..];
    match session_key.algo {
        7 => cfb(
            &aes::Aes128::new_from_slice(&session_key.key).unwrap(),
            body,
        ),
        9 => cfb(
            &aes::Aes256::new_from_slice(&session_key.key).unwrap(),
            body,
        ),
        a => panic!("cipher {a}"),
    }
    message
}

fn options<'a>(
    to: &'a [Cert],
    passwords: &'a [Password],
    signers: &'a [Cert],
    text: bool,
    p: &'a Policy,
) -> EncryptOptions<'a> {
    EncryptOptions {
        recipients: to,
        passwords,
        signers,
        signer_passphrases: &[],
        armor: true,
        force_aead: false,
        text,
        policy: p,
    }
}

fn pending(pt: &[u8], opts: &EncryptOptions<'_>, extra: &EncryptExtra) -> CfbPending {
    encrypt_cfb_pending(pt, opts, extra)
        .expect("encrypt_cfb_pending")
        .expect("a SEIPDv1 message with AES")
}

#[test]
fn finished_messages_decrypt_and_their_signatures_verify() {
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, Some(4));
    let bob = key("Bob", KeyType::Curve25519, Some(4));
    let to = [bob.clone()];
    let signers = [alice.clone()];
    let keys = [bob];
    for (len, text) in [
        (0, false),
        (1, false),
        (15, true),
        (16, false),
        (17, false),
        (4099, true),
        (200_000, false),
    ] {
        let pt: Vec<u8> = (0..len)
            .map(|i| match (text, i % 61) {
                (true, 60) => b'\n',
                (true, _) => b'a' + (i % 26) as u8,
                (false, _) => (i * 7 % 251) as u8,
            })
            .collect();
        let opts = options(&to, &[], &signers, text, &p);
        let pend = pending(&pt, &opts, &EncryptExtra::default());
        assert_eq!(
            pend.session_key.algo, 9,
            "AES-256, the recipients' first choice"
        );
        let m = &pend.message;
        assert_eq!(m[0] & 0x3F, 1, "a PKESK first");
        let seipd = pend.body_start - 7;
        assert_eq!(
            &m[seipd..seipd + 2],
            &[0xD2, 0xFF],
            "SEIPD, five-octet length"
        );
        assert_eq!(m[pend.body_start - 1], 1, "version 1");
        let len = u32::from_be_bytes(m[seipd + 2..seipd + 6].try_into().unwrap()) as usize;
        assert_eq!(
            seipd + 6 + len,
            m.len(),
            "the length covers the packet to its end"
        );
        let ct = finish(pend);
        let verify = [alice.clone()];
        let d = decrypt(
            &ct,
            &DecryptOptions {
                verification_certs: &verify,
                require_signature: true,
                ..decrypt_options(&keys, &[], &p)
            },
        )
        .unwrap_or_else(|e| panic!("{len} bytes: {e}"));
        assert_eq!(d.data, pt, "{len} bytes");
        assert_eq!(d.signatures.len(), 1);
        assert!(d.signatures[0].valid, "{len} bytes: {:?}", d.signatures[0]);
        assert_eq!(
            d.signatures[0].mode.as_deref(),
            Some(if text { "text" } else { "binary" })
        );
    }
}

#[test]
fn passwords_and_a_given_session_key_work_and_aes128_is_kept() {
    let p = policy();
    let pws = [pw("correct horse")];
    let opts = options(&[], &pws, &[], false, &p);
    let ct = finish(pending(b"by password", &opts, &EncryptExtra::default()));
    let d = decrypt(&ct, &decrypt_options(&[], &pws, &p)).unwrap();
    assert_eq!(d.data, b"by password");

    // A caller's AES-128 session key and no one to give it to: it alone opens the message.
    let sk = SessionKeyData::parse("7:000102030405060708090A0B0C0D0E0F").unwrap();
    let extra = EncryptExtra {
        session_key: Some(sk.clone()),
        filename: Some(b"n.txt".to_vec()),
        ..Default::default()
    };
    let pend = pending(
        b"by session key",
        &options(&[], &[], &[], false, &p),
        &extra,
    );
    assert_eq!(pend.session_key.algo, 7);
    assert_eq!(&pend.session_key.key[..], &sk.key[..]);
    assert_eq!(pend.message[0], 0xD2, "no session key packets");
    let ct = finish(pend);
    let sks = [sk];
    let d = decrypt(
        &ct,
        &DecryptOptions {
            session_keys: &sks,
            ..decrypt_options(&[], &[], &p)
        },
    )
    .unwrap();
    assert_eq!(d.data, b"by session key");
}

#[test]
fn seipdv2_and_other_ciphers_are_left_to_encrypt() {
    let p = policy();
    let v6 = key("Carol", KeyType::Curve25519, Some(6));
    let v4 = key("Dave", KeyType::Curve25519, Some(4));
    let none = |opts: &EncryptOptions<'_>, extra: &EncryptExtra| {
        assert!(encrypt_cfb_pending(b"x", opts, extra).unwrap().is_none());
    };
    let to6 = [v6];
    none(
        &options(&to6, &[], &[], false, &p),
        &EncryptExtra::default(),
    );
    let to4 = [v4];
    let forced = EncryptOptions {
        force_aead: true,
        ..options(&to4, &[], &[], false, &p)
    };
    none(&forced, &EncryptExtra::default());
    let camellia = EncryptExtra {
        session_key: Some(SessionKeyData::parse(&format!("13:{}", "AB".repeat(32))).unwrap()),
        ..Default::default()
    };
    none(&options(&to4, &[], &[], false, &p), &camellia);
    // The checks of encrypt come first: an empty password is refused, not left to encrypt.
    let empty = [pw("")];
    let e = encrypt_cfb_pending(
        b"x",
        &options(&[], &empty, &[], false, &p),
        &EncryptExtra::default(),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
}

#[test]
fn an_unfinished_or_altered_message_is_refused_with_no_plaintext() {
    let p = policy();
    let bob = key("Bob", KeyType::Curve25519, Some(4));
    let to = [bob.clone()];
    let keys = [bob];
    let pt = vec![0x41u8; 5000];
    let opts = options(&to, &[], &[], false, &p);
    let fails = |ct: &[u8], what: &str| {
        let e = decrypt(ct, &decrypt_options(&keys, &[], &p)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::DecryptionFailed, "{what}: {e}");
        assert!(!e.to_string().contains("AAAA"), "{what}: plaintext in {e}");
    };
    // The MDC's SHA-1 left zero.
    let mut pend = pending(&pt, &opts, &EncryptExtra::default());
    let body_start = pend.body_start;
    cfb(
        &aes::Aes256::new_from_slice(&pend.session_key.key).unwrap(),
        &mut pend.message[body_start..],
    );
    fails(&pend.message, "MDC left zero");
    // One bit of the finished ciphertext flipped, in the data and in the MDC.
    let ct = finish(pending(&pt, &opts, &EncryptExtra::default()));
    for at in [body_start + 40, ct.len() - 3] {
        let mut bad = ct.clone();
        bad[at] ^= 0x10;
        fails(&bad, &format!("bit flipped at {at}"));
    }
}
