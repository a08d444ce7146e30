//! RFC 7253 Appendix A: the sample results (AES-128, 96-bit nonces,
//! 128-bit tags) and the iterated check over many lengths for every AES
//! key size, plus the properties sequoia relies on.
#![allow(clippy::unwrap_used)] // tests may panic on failure

use aead::consts::{U12, U15};
use aead::generic_array::GenericArray;
use aead::{AeadInPlace, KeyInit};
use ocb3::Ocb3;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn seal<C>(key: &[u8], nonce: &[u8], ad: &[u8], pt: &[u8]) -> Vec<u8>
where
    Ocb3<C, U12>: KeyInit + AeadInPlace<NonceSize = U12>,
{
    let ocb = Ocb3::<C, U12>::new_from_slice(key).unwrap();
    let mut buf = pt.to_vec();
    let tag = ocb
        .encrypt_in_place_detached(GenericArray::from_slice(nonce), ad, &mut buf)
        .unwrap();
    buf.extend_from_slice(&tag);
    buf
}

#[test]
fn sample_results() {
    let key = hex("000102030405060708090A0B0C0D0E0F");
    // (nonce suffix, associated data, plaintext, ciphertext || tag)
    let data8 = "0001020304050607";
    let data16 = "000102030405060708090A0B0C0D0E0F";
    let cases = [
        ("00", "", "", "785407BFFFC8AD9EDCC5520AC9111EE6"),
        (
            "01",
            data8,
            data8,
            "6820B3657B6F615A5725BDA0D3B4EB3A257C9AF1F8F03009",
        ),
        ("02", data8, "", "81017F8203F081277152FADE694A0A00"),
        (
            "03",
            "",
            data8,
            "45DD69F8F5AAE72414054CD1F35D82760B2CD00D2F99BFA9",
        ),
        (
            "04",
            data16,
            data16,
            "571D535B60B277188BE5147170A9A22C3AD7A4FF3835B8C5701C1CCEC8FC3358",
        ),
    ];
    for (n, ad, pt, want) in cases {
        let nonce = hex(&format!("BBAA998877665544332211{n}"));
        let got = seal::<aes::Aes128>(&key, &nonce, &hex(ad), &hex(pt));
        assert_eq!(got, hex(want), "nonce {n}");
        // And back.
        let ocb = Ocb3::<aes::Aes128, U12>::new_from_slice(&key).unwrap();
        let (ct, tag) = got.split_at(got.len() - 16);
        let mut buf = ct.to_vec();
        ocb.decrypt_in_place_detached(
            GenericArray::from_slice(&nonce),
            &hex(ad),
            &mut buf,
            GenericArray::from_slice(tag),
        )
        .unwrap();
        assert_eq!(buf, hex(pt), "nonce {n}");
    }
}

/// RFC 7253 Appendix A's iterated test: for i = 0..127, seal S = zeros(8i)
/// three ways (with and without associated data), concatenate everything,
/// and seal that with an empty plaintext; the last tag is published.
fn iterated<C>(keylen: usize) -> Vec<u8>
where
    Ocb3<C, U12>: KeyInit + AeadInPlace<NonceSize = U12>,
{
    let mut key = vec![0u8; keylen];
    key[keylen - 1] = 128; // TAGLEN (these results are for 128-bit tags)
    let nonce = |i: u32| {
        let mut n = [0u8; 12];
        n[8..].copy_from_slice(&i.to_be_bytes());
        n
    };
    let mut all = Vec::new();
    for i in 0..128u32 {
        let s = vec![0u8; i as usize];
        all.extend(seal::<C>(&key, &nonce(3 * i + 1), &s, &s));
        all.extend(seal::<C>(&key, &nonce(3 * i + 2), &[], &s));
        all.extend(seal::<C>(&key, &nonce(3 * i + 3), &s, &[]));
    }
    seal::<C>(&key, &nonce(385), &all, &[])
}

#[test]
fn iterated_results_for_every_aes_key_size() {
    assert_eq!(
        iterated::<aes::Aes128>(16),
        hex("67E944D23256C5E0B6C61FA22FDF1EA2")
    );
    assert_eq!(
        iterated::<aes::Aes192>(24),
        hex("F673F2C3E7174AAE7BAE986CA9F29E17")
    );
    assert_eq!(
        iterated::<aes::Aes256>(32),
        hex("D90EB8E9C977C88B79DD793D7FFA161C")
    );
}

#[test]
fn a_bad_tag_fails_and_leaves_no_plaintext() {
    let ocb = Ocb3::<aes::Aes256, U15>::new_from_slice(&[7u8; 32]).unwrap();
    let nonce = GenericArray::from_slice(&[9u8; 15]);
    let pt: Vec<u8> = (0..1000u32).map(|i| (i * 31) as u8).collect();
    let mut buf = pt.clone();
    let tag = ocb
        .encrypt_in_place_detached(nonce, b"ad", &mut buf)
        .unwrap();
    for (what, ad, flip_tag, flip_ct) in [
        ("tag", &b"ad"[..], true, false),
        ("ciphertext", b"ad", false, true),
        ("associated data", b"aD", false, false),
    ] {
        let mut ct = buf.clone();
        let mut t = tag;
        if flip_tag {
            t[15] ^= 1;
        }
        if flip_ct {
            ct[500] ^= 0x40;
        }
        assert!(
            ocb.decrypt_in_place_detached(nonce, ad, &mut ct, &t)
                .is_err(),
            "{what}"
        );
        assert!(ct.iter().all(|&b| b == 0), "{what}: plaintext left behind");
    }
    let mut ct = buf.clone();
    ocb.decrypt_in_place_detached(nonce, b"ad", &mut ct, &tag)
        .unwrap();
    assert_eq!(ct, pt);
}

#[test]
fn batched_and_one_block_lengths_agree_with_a_block_at_a_time_split() {
    // OCB is defined block by block: sealing a message must give the same
    // ciphertext prefix whatever the batching, for every length around
    // the batch boundaries.
    let ocb = Ocb3::<aes::Aes128, U15>::new_from_slice(&[1u8; 16]).unwrap();
    let nonce = GenericArray::from_slice(&[2u8; 15]);
    let long: Vec<u8> = (0..16 * 40 + 7).map(|i| i as u8).collect();
    let mut full = long.clone();
    ocb.encrypt_in_place_detached(nonce, &[], &mut full)
        .unwrap();
    for blocks in 0..40 {
        let mut part = long[..blocks * 16].to_vec();
        ocb.encrypt_in_place_detached(nonce, &[], &mut part)
            .unwrap();
        assert_eq!(part, full[..blocks * 16], "{blocks} blocks");
    }
}
