//! Building blocks for crafted (often hostile) OpenPGP input: shared by the
//! integration tests (as `common::craft`, re-exported by `common`) and by
//! the adversarial corpus generator (`examples/adversarial_corpus.rs`,
//! included with `#[path]`).  Only sealpost-core and sequoia here.

use sealpost_core::decrypt::DecryptOptions;
use sealpost_core::encrypt::EncryptOptions;
use sealpost_core::keys::{self, GenerateOptions, KeyType};
use sealpost_core::sign::{sign, SignMode, SignOptions};
use sealpost_core::verify::VerifyOptions;
use sealpost_core::{Cert, Password, Policy};
use sequoia_openpgp as openpgp;

use openpgp::serialize::stream::{Compressor, Encryptor, LiteralWriter, Message};
use openpgp::serialize::Serialize;
use openpgp::types::CompressionAlgorithm;
use openpgp::Packet;

/// A new unprotected key with the user ID `name <name@example.org>`.
pub fn key(name: &str, key_type: KeyType, version: Option<u8>) -> Cert {
    keys::generate(&GenerateOptions {
        user_ids: vec![format!("{name} <{}@example.org>", name.to_lowercase())],
        key_type,
        version,
        ..Default::default()
    })
    .expect("generate")
    .cert
}

/// Encrypts `plaintext` to `recipients`, unsigned, with the default
/// container choice: what most hostile-input cases start from.
pub fn encrypt_to(plaintext: &[u8], recipients: &[Cert], armor: bool, policy: &Policy) -> Vec<u8> {
    let opts = EncryptOptions {
        armor,
        ..encrypt_options(recipients, &[], policy)
    };
    sealpost_core::encrypt::encrypt(plaintext, &opts).expect("encrypt")
}

/// Unsigned, binary encryption options with the default container choice.
pub fn encrypt_options<'a>(
    recipients: &'a [Cert],
    passwords: &'a [Password],
    policy: &'a Policy,
) -> EncryptOptions<'a> {
    EncryptOptions {
        recipients,
        passwords,
        signers: &[],
        signer_passphrases: &[],
        armor: false,
        force_aead: false,
        text: false,
        policy,
    }
}

/// `data` signed by `key` in `mode` (cleartext signatures armored, as text).
pub fn signed(data: &[u8], key: &Cert, mode: SignMode, p: &Policy) -> Vec<u8> {
    sign(
        data,
        &SignOptions {
            signers: std::slice::from_ref(key),
            passphrases: &[],
            mode,
            text: mode == SignMode::Cleartext,
            armor: mode == SignMode::Cleartext,
            policy: p,
        },
    )
    .expect("sign")
}

/// The signing key pair of an unprotected `key`, for hand-made signatures.
pub fn signing_pair(key: &Cert, p: &Policy) -> openpgp::crypto::KeyPair {
    key.keys()
        .with_policy(p.standard(), None)
        .for_signing()
        .secret()
        .next()
        .expect("a signing key")
        .key()
        .clone()
        .into_keypair()
        .expect("unprotected")
}

/// One packet, serialized.
pub fn packet_bytes(p: impl Into<Packet>) -> Vec<u8> {
    let mut out = Vec::new();
    p.into().serialize(&mut out).expect("serialize");
    out
}

/// A literal of `len` bytes (zeros, or `fill(offset)`) under `depth`
/// deflate layers, optionally encrypted with `password`.
pub fn compressed(
    depth: usize,
    len: usize,
    password: Option<&str>,
    fill: Option<fn(usize) -> u8>,
) -> Vec<u8> {
    const CHUNK: usize = 1 << 16;
    let mut out = Vec::new();
    {
        let mut m = Message::new(&mut out);
        if let Some(pw) = password {
            m = Encryptor::with_passwords(m, [Password::from(pw)])
                .build()
                .expect("encryptor");
        }
        for _ in 0..depth {
            m = Compressor::new(m)
                .algo(CompressionAlgorithm::Zip)
                .build()
                .expect("compressor");
        }
        let mut w = LiteralWriter::new(m).build().expect("literal");
        let mut chunk = vec![0u8; CHUNK];
        for start in (0..len).step_by(CHUNK) {
            let n = CHUNK.min(len - start);
            if let Some(f) = fill {
                for (i, b) in chunk[..n].iter_mut().enumerate() {
                    *b = f(start + i);
                }
            }
            std::io::Write::write_all(&mut w, &chunk[..n]).expect("write");
        }
        w.finalize().expect("finalize");
    }
    out
}

/// Decryption options with everything else empty or off.
pub fn decrypt_options<'a>(
    keys: &'a [Cert],
    passwords: &'a [Password],
    policy: &'a Policy,
) -> DecryptOptions<'a> {
    DecryptOptions {
        keys,
        key_passphrases: &[],
        passwords,
        verification_certs: &[],
        session_keys: &[],
        require_signature: false,
        policy,
    }
}

/// Verification options that report signatures instead of requiring one.
pub fn verify_options<'a>(certs: &'a [Cert], policy: &'a Policy) -> VerifyOptions<'a> {
    VerifyOptions {
        certs,
        require_signature: false,
        policy,
    }
}

/// `message` (binary, one ECDH PKESK) with the ephemeral point of its PKESK
/// changed by `tweak` — for invalid-curve cases.
pub fn with_ecdh_point(message: &[u8], tweak: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    use openpgp::crypto::mpi::{Ciphertext, MPI};
    use openpgp::packet::pkesk::PKESK3;
    use openpgp::packet::PKESK;
    use openpgp::parse::Parse;
    let mut tweak = Some(tweak);
    let mut out = Vec::new();
    for packet in openpgp::PacketPile::from_bytes(message)
        .expect("a message")
        .into_children()
    {
        let packet = match &packet {
            Packet::PKESK(PKESK::V3(pkesk)) => {
                let Ciphertext::ECDH { e, key } = pkesk.esk() else {
                    panic!("not ECDH")
                };
                let mut point = e.value().to_vec();
                (tweak.take().expect("one PKESK"))(&mut point);
                let esk = Ciphertext::ECDH {
                    e: MPI::new(&point),
                    key: key.clone(),
                };
                let bad =
                    PKESK3::new(pkesk.recipient().cloned(), pkesk.pk_algo(), esk).expect("PKESK");
                Packet::from(PKESK::from(bad))
            }
            _ => packet,
        };
        packet.serialize(&mut out).expect("serialize");
    }
    assert!(tweak.is_none(), "no ECDH PKESK in the message");
    out
}

/// A v4 key packet (`tag` 6 primary, 14 subkey; public) whose body is
/// `body_len` bytes: version 4, a creation time, the private-use algorithm
/// 100, and `body_len - 6` bytes of key material sequoia keeps as they
/// are.  Over 65535 bytes, sequoia-openpgp 2.4.2 panics computing its
/// fingerprint (issue 26).
pub fn v4_key_packet(tag: u8, body_len: usize) -> Vec<u8> {
    let mut body = vec![4u8];
    body.extend_from_slice(&1_700_000_000u32.to_be_bytes());
    body.push(100);
    body.resize(body_len, 0x42);
    // New-format header with a five-octet length.
    let mut out = vec![0xC0 | tag, 0xFF];
    out.extend_from_slice(&u32::try_from(body.len()).expect("small").to_be_bytes());
    out.extend_from_slice(&body);
    out
}

/// `cert` (public) followed by a big v4 subkey packet of `body_len` bytes.
pub fn cert_with_big_subkey(cert: &Cert, body_len: usize) -> Vec<u8> {
    let mut out = keys::write_cert(cert, false, false).expect("serialize");
    out.extend_from_slice(&v4_key_packet(14, body_len));
    out
}
