//! Native throughput of sealpost-core (crypto-rust backend, as in wasm):
//! key generation, and 16 MiB encrypt+sign / decrypt+verify for v4
//! (SEIPDv1) and v6 (SEIPDv2, OCB) keys.  Prints one JSON line per figure.
//!   cargo run -p sealpost-core --release --example throughput

#![allow(clippy::unwrap_used)] // tests and examples may panic on failure
use std::time::Instant;

use sealpost_core::decrypt::{decrypt, DecryptOptions};
use sealpost_core::encrypt::{encrypt, EncryptOptions};
use sealpost_core::keys::{self, GenerateOptions, KeyType};
use sealpost_core::Policy;

const MIB: usize = 1 << 20;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() -> Result<(), sealpost_core::Error> {
    let p = Policy::new();
    let runs = 3;
    let mut keygen = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        keys::generate(&GenerateOptions {
            user_ids: vec!["Bench <bench@example.org>".into()],
            ..Default::default()
        })?;
        keygen.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "{{\"impl\":\"native\",\"op\":\"keygen-curve25519-v4\",\"ms\":{:.2}}}",
        median(keygen)
    );

    let size = 16 * MIB;
    let data: Vec<u8> = (0..size)
        .map(|i| (i as u32).wrapping_mul(2654435761).to_le_bytes()[3])
        .collect();
    for version in [4u8, 6] {
        let key = keys::generate(&GenerateOptions {
            user_ids: vec!["Bench <bench@example.org>".into()],
            key_type: KeyType::Curve25519,
            version: Some(version),
            ..Default::default()
        })?
        .cert;
        let cert = keys::public_cert(&key);
        let (mut enc_t, mut dec_t) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let t = Instant::now();
            let ct = encrypt(
                &data,
                &EncryptOptions {
                    recipients: std::slice::from_ref(&cert),
                    passwords: &[],
                    signers: std::slice::from_ref(&key),
                    signer_passphrases: &[],
                    armor: false,
                    force_aead: false,
                    text: false,
                    policy: &p,
                },
            )?;
            enc_t.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            let out = decrypt(
                &ct,
                &DecryptOptions {
                    keys: std::slice::from_ref(&key),
                    key_passphrases: &[],
                    passwords: &[],
                    verification_certs: std::slice::from_ref(&cert),
                    session_keys: &[],
                    require_signature: true,
                    policy: &p,
                },
            )?;
            dec_t.push(t.elapsed().as_secs_f64());
            assert!(out.data == data);
        }
        let mibs = |t: f64| size as f64 / MIB as f64 / t;
        let label = if version == 4 {
            "v4-seipdv1"
        } else {
            "v6-seipdv2-ocb"
        };
        println!(
            "{{\"impl\":\"native\",\"op\":\"encrypt+sign-16MiB-{label}\",\"mib_s\":{:.1}}}",
            mibs(median(enc_t))
        );
        println!(
            "{{\"impl\":\"native\",\"op\":\"decrypt+verify-16MiB-{label}\",\"mib_s\":{:.1}}}",
            mibs(median(dec_t))
        );
    }
    Ok(())
}
