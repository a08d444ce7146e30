//! Issue 26, item 4: compressed messages.  BZip2 (which gpg writes with
//! `--compress-algo bzip2`) is read; a compression algorithm this build
//! does not know is reported as UNSUPPORTED — but only once the message
//! authenticated (MDC or AEAD tags), so that the answer is no oracle: a
//! damaged message is DECRYPTION_FAILED whatever it claims to hold.

#![allow(clippy::unwrap_used)] // tests may panic on failure
mod common;
use common::gpg::Gpg;
use common::*;

use std::io::Write;

use sealpost_core::decrypt::{decrypt, DecryptOptions};
use sealpost_core::{ErrorCode, Password, Policy};
use sequoia_openpgp as openpgp;

use openpgp::serialize::stream::{Encryptor, Message};
use openpgp::types::AEADAlgorithm;

const MSG: &[u8] = b"bzip2 from gpg\nline two\n";

fn by_password<'a>(pws: &'a [Password], p: &'a Policy) -> DecryptOptions<'a> {
    DecryptOptions {
        keys: &[],
        key_passphrases: &[],
        passwords: pws,
        verification_certs: &[],
        session_keys: &[],
        require_signature: false,
        policy: p,
    }
}

/// `inner` (raw packets) encrypted with the password "pw", as SEIPDv1 or
/// SEIPDv2: sequoia's writer does not look at what it encrypts.
fn encrypted_raw(inner: &[u8], aead: bool) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let m = Message::new(&mut out);
        let mut e = Encryptor::with_passwords(m, [Password::from("pw")]);
        if aead {
            e = e.aead_algo(AEADAlgorithm::OCB);
        }
        let mut w = e.build().unwrap();
        w.write_all(inner).unwrap();
        w.finalize().unwrap();
    }
    out
}

/// A compressed data packet claiming the private-use algorithm 110 around
/// `body` (new format, one-octet length).
fn compressed_with_unknown_algorithm(body: &[u8]) -> Vec<u8> {
    let mut p = vec![0xC8, u8::try_from(body.len() + 1).unwrap(), 110];
    p.extend_from_slice(body);
    p
}

#[test]
fn bzip2_messages_from_gpg_decrypt() {
    let p = policy();
    let g = Gpg::new();
    let plain = g.file("plain.txt", MSG);
    let (ct, _) = g.run_with(
        "bzip2 password",
        &[
            "--symmetric",
            "--compress-algo",
            "bzip2",
            "--cipher-algo",
            "AES256",
            "-o",
            "-",
            plain.to_str().unwrap(),
        ],
        b"",
    );
    // gpg did compress with BZip2 (algorithm 3).
    let (packets, _) = g.run_with("bzip2 password", &["--list-packets"], &ct);
    let packets = String::from_utf8_lossy(&packets);
    assert!(packets.contains("compressed packet: algo=3"), "{packets}");
    let pws = [pw("bzip2 password")];
    let out = decrypt(&ct, &by_password(&pws, &p)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.data, MSG);
    assert!(out.layers.compressed);
}

#[test]
fn an_unsupported_algorithm_inside_is_unsupported_only_once_authenticated() {
    let p = policy();
    let pws = [pw("pw")];
    for aead in [false, true] {
        let ct = encrypted_raw(&compressed_with_unknown_algorithm(&[0x55; 100]), aead);
        let e = decrypt(&ct, &by_password(&pws, &p)).unwrap_err();
        eprintln!("aead={aead}: {e}");
        assert_eq!(e.code(), ErrorCode::Unsupported, "aead={aead}: {e}");
        // Damage after the packet header (the MDC, the last AEAD tag): the
        // header still decrypts to "algorithm 110", but nothing is said
        // about it.
        let mut bad = ct.clone();
        let n = bad.len();
        bad[n - 2] ^= 0x01;
        let e = decrypt(&bad, &by_password(&pws, &p)).unwrap_err();
        eprintln!("aead={aead} damaged: {e}");
        assert_eq!(e.code(), ErrorCode::DecryptionFailed, "aead={aead}: {e}");
    }
}
