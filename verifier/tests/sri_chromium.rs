//! The verifier's SRI parser against Chromium's real behaviour: every case
//! of `sri-chromium.json` (observed in headless Chromium, and re-checked
//! there by `tests/e2e/sri-chromium.test.mjs`) must get the same answer —
//! "runs" exactly when the parser says matched or no usable metadata.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sealpost_verifier::sri::{compute, Algorithm, Integrity, Match};

/// Fills `{name}` placeholders the way the Chromium test does.
fn fill(template: &str, body: &[u8]) -> String {
    let b64 = |alg, data: &[u8]| STANDARD.encode(compute(alg, data).digest);
    let mut vars: Vec<(String, String)> = Vec::new();
    for (alg, name) in [
        (Algorithm::Sha256, "256"),
        (Algorithm::Sha384, "384"),
        (Algorithm::Sha512, "512"),
    ] {
        let good = b64(alg, body);
        let bad = b64(alg, b"other");
        vars.push((format!("sha{name}.b64"), good.clone()));
        vars.push((format!("sha{name}"), format!("sha{name}-{good}")));
        vars.push((format!("bad{name}.b64"), bad.clone()));
        vars.push((format!("bad{name}"), format!("sha{name}-{bad}")));
    }
    let url = |s: &str| s.replace('+', "-").replace('/', "_");
    let get = |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let extra = [
        ("sha384.b64url", url(&get("sha384.b64").unwrap_or_default())),
        ("bad384.b64url", url(&get("bad384.b64").unwrap_or_default())),
        (
            "sha256.b64nopad",
            get("sha256.b64")
                .unwrap_or_default()
                .trim_end_matches('=')
                .to_string(),
        ),
        (
            "bad256.b64nopad",
            get("bad256.b64")
                .unwrap_or_default()
                .trim_end_matches('=')
                .to_string(),
        ),
    ];
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("unclosed placeholder") + start;
        let key = &rest[start + 1..end];
        let value = get(key)
            .or_else(|| {
                extra
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone())
            })
            .unwrap_or_else(|| panic!("unknown placeholder {key}"));
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_case_parses_as_chromium_does() {
    let table: serde_json::Value =
        serde_json::from_str(include_str!("sri-chromium.json")).expect("the table is JSON");
    let body = table["body"].as_str().expect("body").as_bytes();
    let cases = table["cases"].as_array().expect("cases");
    assert!(cases.len() >= 40, "the table has {} cases", cases.len());
    let mut wrong = Vec::new();
    for case in cases {
        let template = case["integrity"].as_str().expect("integrity");
        let runs = case["runs"].as_bool().expect("runs");
        let got = Integrity::parse(&fill(template, body)).matches(body);
        if (got != Match::Mismatched) != runs {
            wrong.push(format!(
                "{template:?} ({}): Chromium {}, the verifier says {got:?}",
                case["note"],
                if runs { "runs it" } else { "refuses it" }
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "differences from Chromium:\n{}",
        wrong.join("\n")
    );
}
