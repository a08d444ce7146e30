//! Resource limits (strict by default, each configurable through `Policy`)
//! and the remaining adversarial cases: unhashed subpackets
//! (CVE-2019-9154) and armor checksum damage (RFC 9580 §6.1).

#![allow(clippy::unwrap_used)] // tests may panic on failure
mod common;
use common::craft::*;
use common::*;

use sealpost_core::decrypt::decrypt;
use sealpost_core::encrypt::encrypt;
use sealpost_core::keys::{self, KeyType};
use sealpost_core::sign::SignMode;
use sealpost_core::stream::DecryptStream;
use sealpost_core::verify::verify_detached;
use sealpost_core::{ErrorCode, Policy};
use sequoia_openpgp as openpgp;

use openpgp::cert::CertBuilder;
use openpgp::packet::signature::subpacket::{Subpacket, SubpacketValue};
use openpgp::parse::{PacketParser, PacketParserResult, Parse};
use openpgp::serialize::Serialize;
use openpgp::types::KeyFlags;
use openpgp::Packet;

/// Pseudo-random words from a small vocabulary, 8 bytes a slot: compresses
/// like text, a few to one.
fn text_byte(i: usize) -> u8 {
    const WORDS: &[&[u8]] = &[
        b"mail ",
        b"key ",
        b"sealed ",
        b"browser ",
        b"the ",
        b"of ",
        b"plan\n",
        b"quarterly ",
        b"attachment ",
        b"signature ",
        b"Bob ",
        b"Alice ",
        b"and ",
        b"verified ",
    ];
    // splitmix64 of the slot number
    let mut z = (i as u64 / 8).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    let word = WORDS[(z % WORDS.len() as u64) as usize];
    word[i % 8 % word.len()]
}

#[test]
fn decompression_bomb_has_its_own_code_buffered_and_streamed_and_the_ratio_is_configurable() {
    let p = policy();
    let bomb = compressed(1, 64 << 20, Some("pw"), None);
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    let pws = [pw("pw")];
    let t = std::time::Instant::now();
    let e = decrypt(&bomb, &decrypt_options(&[], &pws, &p)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::DecompressionBomb, "{e}");
    assert!(t.elapsed().as_secs() < 10, "{:?}", t.elapsed());

    // Streamed, pushed in small pieces: the same code, and nothing released.
    let mut s = DecryptStream::new(&decrypt_options(&[], &pws, &p)).unwrap();
    let mut released = 0;
    let mut err = None;
    for chunk in bomb.chunks(4096) {
        match s.push(chunk) {
            Ok(out) => released += out.len(),
            Err(e) => {
                err = Some(e);
                break;
            }
        }
    }
    let e = match err {
        Some(e) => e,
        None => s.finish().unwrap_err(),
    };
    assert_eq!(e.code(), ErrorCode::DecompressionBomb, "{e}");
    assert_eq!(released, 0, "SEIPDv1 releases nothing before the end");

    // With the ratio check off, the plaintext cap still stops it (LIMIT_EXCEEDED).
    let lax = Policy::new()
        .with_max_compression_ratio(0)
        .with_max_plaintext(8 << 20);
    let e = decrypt(&bomb, &decrypt_options(&[], &pws, &lax)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceeded, "{e}");
    // With a ratio high enough, the message is just big data.
    let roomy = Policy::new().with_max_compression_ratio(4096);
    assert_eq!(
        decrypt(&bomb, &decrypt_options(&[], &pws, &roomy))
            .unwrap()
            .data
            .len(),
        64 << 20
    );
}

#[test]
fn compressible_text_well_past_the_grace_size_is_not_a_bomb() {
    let p = policy();
    let msg = compressed(1, 8 << 20, Some("pw"), Some(text_byte));
    let ratio = (8 << 20) / msg.len();
    assert!((2..64).contains(&ratio), "test data compresses {ratio}:1");
    let d = decrypt(&msg, &decrypt_options(&[], &[pw("pw")], &p)).unwrap();
    assert_eq!(d.data.len(), 8 << 20);
    assert!(d.data.iter().enumerate().all(|(i, &b)| b == text_byte(i)));
}

/// `msg` with its first packet (a PKESK) repeated, `n` in all.
fn with_repeated_first_packet(msg: &[u8], n: usize) -> Vec<u8> {
    let PacketParserResult::Some(pp) = PacketParser::from_bytes(msg).unwrap() else {
        panic!("empty message");
    };
    let (first, _) = pp.next().unwrap();
    assert!(matches!(first, Packet::PKESK(_)));
    let mut out = Vec::new();
    for _ in 1..n {
        first.serialize(&mut out).unwrap();
    }
    out.extend_from_slice(msg);
    out
}

#[test]
fn too_many_encrypted_session_keys_are_refused_before_any_is_tried() {
    let p = policy();
    let bob = key("Bob", KeyType::Curve25519, None);
    let msg = encrypt_to(b"hello", std::slice::from_ref(&bob), false, &p);
    let crowded = with_repeated_first_packet(&msg, 300);
    let e = decrypt(
        &crowded,
        &decrypt_options(std::slice::from_ref(&bob), &[], &p),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceeded, "{e}");
    assert!(e.message().contains("300 encrypted session keys"), "{e}");
    // Within a raised limit the same message decrypts.
    let roomy = Policy::new().with_max_recipients(300);
    let d = decrypt(
        &crowded,
        &decrypt_options(std::slice::from_ref(&bob), &[], &roomy),
    )
    .unwrap();
    assert_eq!(d.data, b"hello");
    // The writer applies the same cap.
    let tight = Policy::new().with_max_recipients(1);
    let e = encrypt(b"x", &encrypt_options(&[], &[pw("a"), pw("b")], &tight)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceeded, "{e}");
}

#[test]
fn too_many_signatures_are_refused_and_the_limit_is_configurable() {
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, None);
    let sig = signed(b"data", &alice, SignMode::Detached, &p);
    let many: Vec<u8> = sig.repeat(65);
    let certs = [alice];
    let e = verify_detached(b"data", &many, &verify_options(&certs, &p)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceeded, "{e}");
    let at_limit: Vec<u8> = sig.repeat(64);
    let v = verify_detached(b"data", &at_limit, &verify_options(&certs, &p)).unwrap();
    assert_eq!(v.signatures.len(), 64);
    let one = Policy::new().with_max_signatures(1);
    let e = verify_detached(b"data", &sig.repeat(2), &verify_options(&certs, &one)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceeded, "{e}");
}

#[test]
fn a_key_with_an_oversized_user_id_is_refused_on_read() {
    let long = format!("{} <x@example.org>", "N".repeat(keys::MAX_USER_ID_LEN));
    let (cert, _) = CertBuilder::general_purpose(Some(long.as_str()))
        .generate()
        .unwrap();
    let bytes = keys::write_cert(&cert, false, false).unwrap();
    let e = keys::read_cert(&bytes).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceeded, "{e}");
    let e = keys::read_certs(&bytes).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LimitExceeded, "{e}");
    // At the limit it reads.
    let ok = "N".repeat(keys::MAX_USER_ID_LEN);
    let (cert, _) = CertBuilder::general_purpose(Some(ok.as_str()))
        .generate()
        .unwrap();
    keys::read_cert(&keys::write_cert(&cert, false, false).unwrap()).unwrap();
}

/// Adds `value` to the unhashed area of the signature packet in `sig`.
fn with_unhashed(sig: &[u8], value: SubpacketValue) -> Vec<u8> {
    let Packet::Signature(mut s) = Packet::from_bytes(sig).unwrap() else {
        panic!("not a signature");
    };
    s.unhashed_area_mut()
        .add(Subpacket::new(value, false).unwrap())
        .unwrap();
    let mut out = Vec::new();
    Packet::from(s).serialize(&mut out).unwrap();
    out
}

#[test]
fn cve_2019_9154_unhashed_subpackets_decide_nothing() {
    let p = policy();
    let alice = key("Alice", KeyType::Curve25519, None);
    let sig = signed(b"data", &alice, SignMode::Detached, &p);
    let certs = [alice.clone()];
    let genuine = verify_detached(b"data", &sig, &verify_options(&certs, &p)).unwrap();
    let created = genuine.signatures[0].created;

    // An unhashed creation time far in the past, and an unhashed expiry of one
    // second: neither moves the signature's time nor expires it.
    let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    let forged = with_unhashed(
        &sig,
        SubpacketValue::SignatureCreationTime(old.try_into().unwrap()),
    );
    let forged = with_unhashed(
        &forged,
        SubpacketValue::SignatureExpirationTime(
            std::time::Duration::from_secs(1).try_into().unwrap(),
        ),
    );
    let v = verify_detached(b"data", &forged, &verify_options(&certs, &p)).unwrap();
    assert!(v.signatures[0].valid, "{:?}", v.signatures[0]);
    assert_eq!(
        v.signatures[0].created, created,
        "the hashed creation time counts"
    );

    // Key flags in a binding signature's unhashed area do not make a
    // signing-only subkey an encryption key.
    let (cert, _) = CertBuilder::new()
        .add_userid("Signer <signer@example.org>")
        .add_signing_subkey()
        .generate()
        .unwrap();
    let mut packets: Vec<Packet> = cert.into_packets().collect();
    for packet in &mut packets {
        if let Packet::Signature(s) = packet {
            if s.typ() == openpgp::types::SignatureType::SubkeyBinding {
                s.unhashed_area_mut()
                    .add(
                        Subpacket::new(
                            SubpacketValue::KeyFlags(
                                KeyFlags::empty()
                                    .set_transport_encryption()
                                    .set_storage_encryption(),
                            ),
                            false,
                        )
                        .unwrap(),
                    )
                    .unwrap();
            }
        }
    }
    let mut bytes = Vec::new();
    for packet in &packets {
        packet.serialize(&mut bytes).unwrap();
    }
    let cert = keys::read_cert(&bytes).unwrap();
    let e = encrypt(b"x", &encrypt_options(&[cert], &[], &p)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NoUsableKey, "{e}");
}

#[test]
fn armor_checksum_damage_is_ignored_as_rfc_9580_says_integrity_comes_from_the_packets() {
    // RFC 9580 §6.1: the CRC24 is optional, and a reader should not reject
    // data for it; integrity comes from SEIPD / signatures, which still hold.
    let p = policy();
    let bob = key("Bob", KeyType::Curve25519, None);
    let armored =
        String::from_utf8(encrypt_to(b"hello", std::slice::from_ref(&bob), true, &p)).unwrap();
    let crc_line = armored
        .lines()
        .find(|l| l.starts_with('=') && l.len() == 5)
        .map(str::to_owned);
    let variants: Vec<String> = match &crc_line {
        Some(line) => vec![
            armored.replace(&format!("{line}\n"), ""),
            armored.replace(line.as_str(), "=AAAA"),
        ],
        // A writer that omits the CRC (as RFC 9580 recommends): add a wrong one.
        None => vec![armored.replace("\n-----END", "\n=AAAA\n-----END")],
    };
    let keys = [bob];
    for v in variants {
        let d = decrypt(v.as_bytes(), &decrypt_options(&keys, &[], &p)).unwrap();
        assert_eq!(d.data, b"hello");
    }
    // Damage inside the armored body is still caught (by the packets).
    let body_line = armored.lines().nth(3).unwrap().to_owned();
    let mut flipped = body_line.clone().into_bytes();
    flipped[10] = if flipped[10] == b'A' { b'B' } else { b'A' };
    let damaged = armored.replace(&body_line, std::str::from_utf8(&flipped).unwrap());
    assert!(decrypt(damaged.as_bytes(), &decrypt_options(&keys, &[], &p)).is_err());
}
