//! Push-style streams: bounded memory, and the release rules (SEIPDv2 chunk
//! by chunk after each tag; SEIPDv1 only after the whole message).
#![allow(clippy::unwrap_used)] // tests may panic on failure

mod common;
use common::*;

use sealpost_core::decrypt::{decrypt, DecryptOptions};
use sealpost_core::keys::{self, KeyType};
use sealpost_core::stream::{
    aead_margin, expansion_eighths, DecryptStream, EncryptInputs, EncryptStream, INPUT_MARGIN,
};
use sealpost_core::{Cert, ErrorCode, Policy};

fn data(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u32).wrapping_mul(2654435761).to_le_bytes()[3])
        .collect()
}

fn stream_encrypt(pt: &[u8], to: &Cert, signer: Option<&Cert>, chunk: usize) -> Vec<u8> {
    let mut s = EncryptStream::new(EncryptInputs {
        recipients: vec![keys::public_cert(to)],
        passwords: vec![],
        signers: signer.into_iter().cloned().collect(),
        signer_passphrases: vec![],
        armor: false,
        force_aead: false,
        text: false,
        policy: policy(),
        extra: Default::default(),
    })
    .unwrap();
    let mut out = s.take_output();
    for c in pt.chunks(chunk) {
        out.extend(s.push(c).unwrap());
    }
    out.extend(s.finish().unwrap());
    out
}

fn opts<'a>(key: &'a [Cert], verify: &'a [Cert], p: &'a Policy) -> DecryptOptions<'a> {
    DecryptOptions {
        keys: key,
        key_passphrases: &[],
        passwords: &[],
        verification_certs: verify,
        session_keys: &[],
        require_signature: false,
        policy: p,
    }
}

/// Pushes `ct` in `chunk`-sized pieces; returns (released before finish, finish result).
fn stream_decrypt(
    ct: &[u8],
    o: &DecryptOptions<'_>,
    chunk: usize,
) -> (
    Vec<u8>,
    sealpost_core::Result<sealpost_core::stream::DecryptSummary>,
) {
    let mut d = DecryptStream::new(o).unwrap();
    let mut early = Vec::new();
    for c in ct.chunks(chunk) {
        match d.push(c) {
            Ok(out) => early.extend(out),
            Err(e) => return (early, Err(e)),
        }
    }
    (early, d.finish())
}

#[test]
fn round_trips_64_mib_v4_and_v6() {
    let p = policy();
    let pt = data(64 << 20);
    for version in [4u8, 6] {
        let k = key("Stream", KeyType::Curve25519, Some(version));
        let pubc = [keys::public_cert(&k)];
        let ct = stream_encrypt(&pt, &k, Some(&k), 1_000_003);
        let (early, done) = stream_decrypt(&ct, &opts(std::slice::from_ref(&k), &pubc, &p), 65_537);
        let done = done.unwrap();
        if version == 6 {
            // SEIPDv2: almost everything was released while streaming.
            assert!(
                early.len() as u64 > (pt.len() - 2 * INPUT_MARGIN) as u64,
                "v6 released only {}",
                early.len()
            );
        } else {
            assert!(
                early.is_empty(),
                "SEIPDv1 plaintext released before authentication"
            );
        }
        let all = [early, done.data].concat();
        assert!(all == pt, "v{version}: round trip differs");
        assert!(done.signatures[0].valid, "v{version}");
        // The stream's output is an ordinary message.
        let buffered = decrypt(&ct, &opts(std::slice::from_ref(&k), &pubc, &p)).unwrap();
        assert!(buffered.data == pt);
    }
}

#[test]
fn buffered_input_is_bounded_by_the_chunk_margin() {
    // sequoia writes 4 KiB AEAD chunks: the margin is a few MiB, however
    // long the message, while nothing is lost to an underrun.
    let p = policy();
    let pt = data(40 << 20);
    let k = key("Bounded", KeyType::Curve25519, Some(6));
    let pubc = [keys::public_cert(&k)];
    let ct = stream_encrypt(&pt, &k, Some(&k), 1 << 20);
    assert_eq!(expansion_eighths(&ct), 8, "binary");
    let margin = aead_margin(4096, 8);
    assert!(margin <= 3 << 20, "margin {margin}");
    for push in [4096, 65_537, 4 << 20] {
        let o = opts(std::slice::from_ref(&k), &pubc, &p);
        let mut d = DecryptStream::new(&o).unwrap();
        let (mut out, mut most) = (Vec::new(), 0);
        for c in ct.chunks(push) {
            out.extend(d.push(c).unwrap());
            most = most.max(d.buffered());
        }
        assert!(most <= margin + push, "push {push}: {most} bytes buffered");
        let done = d.finish().unwrap();
        assert!(done.signatures[0].valid);
        assert!([out, done.data].concat() == pt, "push {push}");
    }
}

#[test]
fn armor_with_short_crlf_lines_gets_a_wider_margin_and_streams() {
    // Valid armor may wrap base64 at any width: here 4 characters and CRLF,
    // 2x the binary size (the usual 64-character lines: 1.37x).  The
    // margin must grow with it, or sequoia would run out of input.
    let p = policy();
    let k = key("Armor", KeyType::Curve25519, Some(6));
    let pt = data(6 << 20);
    let armored = encrypt_to(&pt, &[keys::public_cert(&k)], true, &p);
    let usual = expansion_eighths(&armored[..1 << 20]);
    assert!((11..=14).contains(&usual), "64-character lines: {usual}/8");
    let text = String::from_utf8(armored).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (begin, end) = (lines[0], lines[lines.len() - 1]);
    let body = &lines[1..lines.len() - 1];
    let b64: String = body
        .iter()
        .filter(|l| !l.is_empty() && !l.contains(": ") && !l.starts_with('='))
        .copied()
        .collect();
    let crc = body.iter().filter(|l| l.starts_with('='));
    let mut narrow = format!("{begin}\r\n\r\n");
    for piece in b64.as_bytes().chunks(4) {
        narrow.push_str(std::str::from_utf8(piece).unwrap());
        narrow.push_str("\r\n");
    }
    for l in crc.chain([&end]) {
        narrow.push_str(l);
        narrow.push_str("\r\n");
    }
    let wide = expansion_eighths(&narrow.as_bytes()[..1 << 20]);
    assert!(wide >= 20, "4-character CRLF lines: {wide}/8");
    let (early, done) = stream_decrypt(
        narrow.as_bytes(),
        &opts(std::slice::from_ref(&k), &[], &p),
        16 << 10,
    );
    let done = done.unwrap();
    assert!(!early.is_empty(), "nothing released while streaming");
    assert!([early, done.data].concat() == pt);
}

#[test]
fn large_pushes_like_a_piped_encryption() {
    // An EncryptStream emits 4 MiB partial-body chunks; a decryption fed
    // straight from it gets pushes of that size.
    let p = policy();
    let pt = data(24 << 20);
    for version in [4u8, 6] {
        let k = key("Piped", KeyType::Curve25519, Some(version));
        let ct = stream_encrypt(&pt, &k, Some(&k), 1 << 20);
        for chunk in [4 << 20, 4_194_401, 9 << 20] {
            let pubc = [keys::public_cert(&k)];
            let (early, done) =
                stream_decrypt(&ct, &opts(std::slice::from_ref(&k), &pubc, &p), chunk);
            let done = done.unwrap_or_else(|e| panic!("v{version} chunk {chunk}: {e}"));
            assert!(
                [early, done.data].concat() == pt,
                "v{version} chunk {chunk}"
            );
        }
    }
}

#[test]
fn buffered_output_decrypts_as_a_stream() {
    let p = policy();
    let k = key("Mixed", KeyType::Curve25519, Some(6));
    let pt = data(3 << 20);
    let ct = encrypt_to(&pt, &[keys::public_cert(&k)], true, &p);
    let (early, done) = stream_decrypt(&ct, &opts(std::slice::from_ref(&k), &[], &p), 4096);
    assert!([early, done.unwrap().data].concat() == pt);
}

#[test]
fn tampering_releases_nothing_unauthenticated() {
    let p = policy();
    let pt = data(20 << 20);
    for version in [4u8, 6] {
        let k = key("Tamper", KeyType::Curve25519, Some(version));
        let ct = stream_encrypt(&pt, &k, None, 1 << 20);
        // Early damage: the first chunk fails, nothing is released.
        let mut early_bad = ct.clone();
        early_bad[400] ^= 1;
        let (released, r) = stream_decrypt(
            &early_bad,
            &opts(std::slice::from_ref(&k), &[], &p),
            1 << 16,
        );
        assert!(
            released.is_empty(),
            "v{version}: {} bytes released from a damaged first chunk",
            released.len()
        );
        assert_eq!(
            r.unwrap_err().code(),
            ErrorCode::DecryptionFailed,
            "v{version}"
        );
        // Late damage: SEIPDv2 may have released the authenticated chunks
        // before it (each verified), SEIPDv1 none; both fail at the end.
        let mut late_bad = ct.clone();
        let at = late_bad.len() - 100;
        late_bad[at] ^= 1;
        let (released, r) =
            stream_decrypt(&late_bad, &opts(std::slice::from_ref(&k), &[], &p), 1 << 16);
        assert!(r.is_err(), "v{version}: late damage not detected");
        if version == 4 {
            assert!(
                released.is_empty(),
                "SEIPDv1 released {} bytes",
                released.len()
            );
        } else {
            assert!(
                pt.starts_with(&released),
                "v6 released data that is not the authenticated prefix"
            );
        }
    }
}

#[test]
fn truncation_and_limits() {
    let p = policy();
    let k = key("Trunc", KeyType::Curve25519, Some(6));
    let ct = stream_encrypt(&data(10 << 20), &k, None, 1 << 20);
    let (_, r) = stream_decrypt(
        &ct[..ct.len() - 1000],
        &opts(std::slice::from_ref(&k), &[], &p),
        1 << 16,
    );
    assert!(r.is_err(), "a truncated stream finished");
    let (_, r) = stream_decrypt(&[], &opts(std::slice::from_ref(&k), &[], &p), 1);
    assert_eq!(r.unwrap_err().code(), ErrorCode::MalformedInput);
    // SEIPDv1 is held in memory until authenticated: bounded by the cap.
    let v4 = key("Cap", KeyType::Curve25519, Some(4));
    let ct = stream_encrypt(&data(12 << 20), &v4, None, 1 << 20);
    let small = Policy::new().with_max_plaintext(8 << 20);
    let (released, r) = stream_decrypt(&ct, &opts(std::slice::from_ref(&v4), &[], &small), 1 << 16);
    assert!(released.is_empty());
    assert_eq!(r.unwrap_err().code(), ErrorCode::LimitExceeded);
    // SEIPDv2 streams are not held, so the cap does not apply to them.
    let ct = stream_encrypt(&data(12 << 20), &k, None, 1 << 20);
    let (released, r) = stream_decrypt(&ct, &opts(std::slice::from_ref(&k), &[], &small), 1 << 16);
    assert_eq!(released.len() + r.unwrap().data.len(), 12 << 20);
}

#[test]
fn signatures_required_over_a_large_stream() {
    let p = policy();
    let pt = data(40 << 20);
    for version in [4u8, 6] {
        let k = key("Signed", KeyType::Curve25519, Some(version));
        let pubc = [keys::public_cert(&k)];
        let ct = stream_encrypt(&pt, &k, Some(&k), 1 << 20);
        let mut o = opts(std::slice::from_ref(&k), &pubc, &p);
        o.require_signature = true;
        let (early, done) = stream_decrypt(&ct, &o, 1 << 20);
        let done = done.unwrap_or_else(|e| panic!("v{version}: {e}"));
        assert!(done.signatures[0].valid, "v{version}");
        assert!([early, done.data].concat() == pt);
    }
}

#[test]
fn armor_wrapped_any_way_decrypts_whole_and_streamed() {
    // The armor decoder (sequoia's, with sealpost's faster filter:
    // third_party/PATCH.md) against armor rewrapped at random: line widths
    // 1-200, LF or CRLF, trailing spaces and tabs, blank lines, with and
    // without the CRC line; read whole and pushed in random pieces.
    let p = policy();
    let k = key("Wrapped", KeyType::Curve25519, Some(6));
    let pubc = [keys::public_cert(&k)];
    let pt = data(300 << 10);
    let signers = [k.clone()];
    let armored = sealpost_core::encrypt::encrypt(
        &pt,
        &sealpost_core::encrypt::EncryptOptions {
            armor: true,
            signers: &signers,
            ..common::craft::encrypt_options(&pubc, &[], &p)
        },
    )
    .unwrap();
    let armored = String::from_utf8(armored).unwrap();
    let lines: Vec<&str> = armored.lines().collect();
    let (begin, end) = (lines[0], lines[lines.len() - 1]);
    let b64: String = lines[1..lines.len() - 1]
        .iter()
        .filter(|l| !l.is_empty() && !l.contains(": ") && !l.starts_with('='))
        .copied()
        .collect();
    let crc = lines.iter().find(|l| l.starts_with('=')).copied();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n) as usize
    };
    for round in 0..12 {
        let eol = if round % 2 == 0 { "\n" } else { "\r\n" };
        let mut text = format!("{begin}{eol}{eol}");
        let mut rest = b64.as_str();
        while !rest.is_empty() {
            let width = (1 + next(200)).min(rest.len());
            text.push_str(&rest[..width]);
            rest = &rest[width..];
            text.push_str(["", " ", "\t", "  \t"][next(4)]);
            text.push_str(eol);
            if next(50) == 0 {
                text.push_str(eol);
            }
        }
        if let Some(crc) = crc.filter(|_| round % 3 != 0) {
            text.push_str(crc);
            text.push_str(eol);
        }
        text.push_str(end);
        text.push_str(eol);
        let o = opts(std::slice::from_ref(&k), &pubc, &p);
        let whole = decrypt(text.as_bytes(), &o).unwrap();
        assert!(whole.data == pt, "round {round}: whole");
        assert!(whole.signatures[0].valid, "round {round}");
        let piece = 1 + next(20_000);
        let (early, done) = stream_decrypt(text.as_bytes(), &o, piece);
        let done = done.unwrap();
        assert!(
            [early, done.data].concat() == pt,
            "round {round}: pieces of {piece}"
        );
        assert!(done.signatures[0].valid, "round {round}: streamed");
        // A character outside base64 in the body: an error, no plaintext.
        let mut bad = text.clone().into_bytes();
        let at = begin.len() + 100 + next((bad.len() - begin.len() - 200) as u64);
        let at = (at..bad.len())
            .find(|&i| bad[i].is_ascii_alphanumeric())
            .unwrap();
        bad[at] = b'*';
        let e = decrypt(&bad, &o).unwrap_err();
        assert!(
            !format!("{e:?}").contains("Wrapped"),
            "round {round}: {e:?}"
        );
    }
}
