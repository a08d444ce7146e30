//! The adversarial corpus (`tests/adversarial/`, written by
//! `examples/adversarial_corpus.rs`), natively: every case must have the
//! outcome `cases.json` names.  `tests/node/adversarial.test.mjs` runs the
//! same files through the wasm build.

#![allow(clippy::unwrap_used)] // tests may panic on failure
mod common;
use common::craft::{decrypt_options, verify_options};

use std::path::PathBuf;

use sealpost_core::decrypt::{decrypt, DecryptOptions};
use sealpost_core::keys;
use sealpost_core::verify::{verify, verify_detached};
use sealpost_core::{Cert, Password, Policy};
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/adversarial")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn list<'a>(case: &'a Value, key: &str) -> Vec<&'a str> {
    case[key]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap()).collect())
        .unwrap_or_default()
}

fn certs(case: &Value, key: &str) -> Vec<Cert> {
    list(case, key)
        .into_iter()
        .map(|f| keys::read_cert(&read(f)).unwrap())
        .collect()
}

/// What a case produced: `Err(code, message)` or `Ok(data, [(valid, created)])`.
type Outcome = Result<(Vec<u8>, Vec<(bool, Option<u64>)>), (String, String)>;

fn run(case: &Value, p: &Policy) -> Outcome {
    let verification = certs(case, "verification");
    let sigs = |s: &[sealpost_core::report::SignatureResult]| {
        s.iter().map(|r| (r.valid, r.created)).collect::<Vec<_>>()
    };
    let err = |e: sealpost_core::Error| (e.code().as_str().to_owned(), e.message().to_owned());
    let vopts = verify_options(&verification, p);
    match case["op"].as_str().unwrap() {
        "decrypt" => {
            let keys = certs(case, "keys");
            let passwords: Vec<Password> = list(case, "passwords")
                .into_iter()
                .map(Password::from)
                .collect();
            decrypt(
                &read(case["message"].as_str().unwrap()),
                &DecryptOptions {
                    verification_certs: &verification,
                    ..decrypt_options(&keys, &passwords, p)
                },
            )
            .map(|d| (d.data.clone(), sigs(&d.signatures)))
            .map_err(err)
        }
        "verify" => verify(&read(case["message"].as_str().unwrap()), &vopts)
            .map(|v| (v.data.clone(), sigs(&v.signatures)))
            .map_err(err),
        "verifyDetached" => verify_detached(
            &read(case["data"].as_str().unwrap()),
            &read(case["signature"].as_str().unwrap()),
            &vopts,
        )
        .map(|v| (Vec::new(), sigs(&v.signatures)))
        .map_err(err),
        op => panic!("unknown op {op}"),
    }
}

/// Whether `outcome` is what `expect` says: `error` (that code, and the
/// message free of the secret), `data` (exactly), `valid` (every signature,
/// at least one), `created` (every signature's time).  Returned data may
/// carry the secret only when `data` expects exactly that.
fn meets(outcome: &Outcome, expect: &Value, secret: &str) -> bool {
    match outcome {
        Err((code, message)) => {
            expect["error"].as_str() == Some(code.as_str()) && !message.contains(secret)
        }
        Ok((data, sigs)) => {
            let want_data = expect["data"].as_str();
            expect["error"].is_null()
                && want_data.is_none_or(|d| d.as_bytes() == data.as_slice())
                && (want_data == Some(secret) || !String::from_utf8_lossy(data).contains(secret))
                && expect["valid"].as_bool().is_none_or(|want| {
                    !sigs.is_empty() && sigs.iter().all(|(valid, _)| *valid == want)
                })
                && expect["created"]
                    .as_u64()
                    .is_none_or(|c| sigs.iter().all(|(_, t)| *t == Some(c)))
        }
    }
}

#[test]
fn every_case_of_the_adversarial_corpus_has_its_expected_outcome() {
    let doc: Value = serde_json::from_slice(&read("cases.json")).unwrap();
    let secret = doc["secret"].as_str().unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    let p = Policy::new();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let expect = &case["expect"];
        let outcome = run(case, &p);
        let ok = meets(&outcome, expect, secret);
        if !ok {
            failures.push(format!("{name}: expected {expect}, got {outcome:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
