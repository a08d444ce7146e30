//! Native figures of sealpost-core (crypto-rust backend, as in wasm), the
//! same operations as tests/bench/workload.mjs: key generation, encrypt+sign
//! and decrypt+verify at 1 KiB … 64 MiB (v4 SEIPDv1, v6 SEIPDv2), password
//! encryption of 1 MiB, detached sign/verify of 1 KiB.  One JSON row per
//! line: `{"op","variant","size","ms","mib_s"|"ops_s"}` (medians).
//!   cargo run -p sealpost-core --release --example throughput [-- --quick]

#![allow(clippy::unwrap_used)] // tests and examples may panic on failure
use std::time::Instant;

use sealpost_core::decrypt::{decrypt, DecryptOptions};
use sealpost_core::encrypt::{encrypt, EncryptOptions};
use sealpost_core::keys::{self, GenerateOptions, KeyType};
use sealpost_core::sign::{sign, SignMode, SignOptions};
use sealpost_core::verify::{verify_detached, VerifyOptions};
use sealpost_core::{Cert, Password, Policy};

const KIB: usize = 1 << 10;
const MIB: usize = 1 << 20;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Median ms of `reps` runs after one warm-up.
fn time(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    median(
        (0..reps)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

fn pattern(size: usize) -> Vec<u8> {
    let mut x: u32 = 2463534242;
    (0..size)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

fn row(op: &str, variant: &str, size: usize, ms: f64) {
    let rate = if size >= MIB {
        format!("\"mib_s\":{:.3}", size as f64 / MIB as f64 / (ms / 1000.0))
    } else {
        format!("\"ops_s\":{:.3}", 1000.0 / ms)
    };
    println!("{{\"op\":\"{op}\",\"variant\":\"{variant}\",\"size\":{size},\"ms\":{ms:.4},{rate}}}");
}

fn generate(version: u8) -> Cert {
    keys::generate(&GenerateOptions {
        user_ids: vec!["Bench <bench@example.org>".into()],
        key_type: KeyType::Curve25519,
        version: Some(version),
        ..Default::default()
    })
    .unwrap()
    .cert
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let p = Policy::new();
    let sizes: &[usize] = if quick {
        &[KIB, MIB, 16 * MIB]
    } else {
        &[KIB, MIB, 16 * MIB, 64 * MIB]
    };
    let mut keys_by_variant = Vec::new();
    for (variant, version) in [("v4", 4u8), ("v6", 6)] {
        let ms = time(10, || {
            generate(version);
        });
        row("keygen", variant, 0, ms);
        let key = generate(version);
        keys_by_variant.push((variant, keys::public_cert(&key), key));
    }
    for (variant, cert, key) in &keys_by_variant {
        for &size in sizes {
            let data = pattern(size);
            let reps = if size >= 16 * MIB { 3 } else { 5 };
            let enc = || {
                encrypt(
                    &data,
                    &EncryptOptions {
                        recipients: std::slice::from_ref(cert),
                        passwords: &[],
                        signers: std::slice::from_ref(key),
                        signer_passphrases: &[],
                        armor: false,
                        // As OpenPGP.js's aeadProtect: SEIPDv2 for v6.
                        force_aead: *variant == "v6",
                        text: false,
                        policy: &p,
                    },
                )
                .unwrap()
            };
            let ct = enc();
            let batch = if size <= 64 * KIB { 100 } else { 1 };
            let ms = time(reps, || {
                for _ in 0..batch {
                    enc();
                }
            }) / batch as f64;
            row("encrypt+sign", variant, size, ms);
            let ms = time(reps, || {
                for _ in 0..batch {
                    let out = decrypt(
                        &ct,
                        &DecryptOptions {
                            keys: std::slice::from_ref(key),
                            key_passphrases: &[],
                            passwords: &[],
                            verification_certs: std::slice::from_ref(cert),
                            session_keys: &[],
                            require_signature: true,
                            policy: &p,
                        },
                    )
                    .unwrap();
                    assert_eq!(out.data.len(), size);
                }
            }) / batch as f64;
            row("decrypt+verify", variant, size, ms);
        }
    }
    let data = pattern(MIB);
    let pw = [Password::from("correct horse battery staple")];
    let ms = time(5, || {
        encrypt(
            &data,
            &EncryptOptions {
                recipients: &[],
                passwords: &pw,
                signers: &[],
                signer_passphrases: &[],
                armor: false,
                force_aead: false,
                text: false,
                policy: &p,
            },
        )
        .unwrap();
    });
    row("password-encrypt", "default", MIB, ms);
    let data = pattern(KIB);
    for (variant, cert, key) in &keys_by_variant {
        let sign_once = || {
            sign(
                &data,
                &SignOptions {
                    signers: std::slice::from_ref(key),
                    passphrases: &[],
                    mode: SignMode::Detached,
                    text: false,
                    armor: false,
                    policy: &p,
                },
            )
            .unwrap()
        };
        let sig = sign_once();
        let ms = time(5, || {
            for _ in 0..100 {
                sign_once();
            }
        }) / 100.0;
        row("sign-detached", variant, KIB, ms);
        let ms = time(5, || {
            for _ in 0..100 {
                let v = verify_detached(
                    &data,
                    &sig,
                    &VerifyOptions {
                        certs: std::slice::from_ref(cert),
                        require_signature: true,
                        policy: &p,
                    },
                )
                .unwrap();
                assert!(v.signatures[0].valid);
            }
        }) / 100.0;
        row("verify-detached", variant, KIB, ms);
    }
}
