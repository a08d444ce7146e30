//! The verifier library through its wasm exports (Node by default,
//! Chromium with WASM_BINDGEN_USE_BROWSER=1).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)] // tests may panic on failure

use js_sys::{Array, Object, Reflect, Uint8Array};
use sealpost_core::keys::{self, GenerateOptions};
use sealpost_verifier::manifest::Manifest;
use sealpost_verifier_wasm::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap()
}

#[wasm_bindgen_test]
fn sri_spec_example_and_matching() {
    let body = b"alert('Hello, world.');";
    let h = sri(body, None).unwrap();
    assert_eq!(
        h,
        "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
    );
    assert_eq!(sri_matches(&format!("sha256-AAAA {h}?x"), body), "matched");
    assert_eq!(sri_matches(&h, b"other"), "mismatched");
    assert_eq!(sri_matches("md5-xyz", body), "no_metadata");
    assert!(sri(body, Some("md5".into())).is_err());
}

#[wasm_bindgen_test]
fn discovery_and_csp() {
    let page = discover(b"<script src=a.js integrity=sha384-x></script><script>evil()</script><meta http-equiv=Content-Security-Policy content=\"script-src 'self'\">").unwrap();
    assert_eq!(Array::from(&get(&page, "resources")).length(), 1);
    assert_eq!(Array::from(&get(&page, "inline")).length(), 1);
    let problems = Array::from(
        &csp_problems(vec![
            "script-src 'self' 'unsafe-eval'; object-src 'none'".into()
        ])
        .unwrap(),
    );
    assert_eq!(problems.length(), 1);
    assert!(get(&problems.get(0), "issue")
        .as_string()
        .unwrap()
        .contains("unsafe-eval"));
    assert_eq!(
        Array::from(&csp_problems(vec!["default-src 'self'".into()]).unwrap()).length(),
        0
    );
}

#[wasm_bindgen_test]
fn signed_manifest_and_check() {
    let key = keys::generate(&GenerateOptions {
        user_ids: vec!["R <r@example.org>".into()],
        ..Default::default()
    })
    .unwrap()
    .cert;
    let other = keys::generate(&GenerateOptions {
        user_ids: vec!["O <o@example.org>".into()],
        ..Default::default()
    })
    .unwrap()
    .cert;
    let js = b"console.log(1)";
    let html = format!(
        "<script src=app.js integrity=\"{}\"></script>",
        sri(js, None).unwrap()
    );
    let mut m = Manifest::new("t", "1.0.0", 1_800_000_000).unwrap();
    m.add_file(
        "index.html",
        sri(html.as_bytes(), None).unwrap(),
        html.len() as u64,
    )
    .unwrap();
    m.add_file("app.js", sri(js, None).unwrap(), js.len() as u64)
        .unwrap();
    m.entrypoints.push("index.html".into());
    let bytes = m.to_canonical();
    let sig = m.sign(&key, &[]).unwrap();
    let cert = keys::write_cert(&key, false, true).unwrap();
    let v = verify_manifest(&bytes, &sig, &cert, None).unwrap();
    let info = cert_info(&cert).unwrap();
    assert_eq!(
        get(&info, "fingerprint").as_string(),
        Some(key.fingerprint().to_hex())
    );
    assert_eq!(
        Array::from(&get(&info, "userIds"))
            .get(0)
            .as_string()
            .as_deref(),
        Some("R <r@example.org>")
    );
    assert!(cert_info(b"not a key").is_err());
    assert_eq!(get(&v, "version").as_string().as_deref(), Some("1.0.0"));
    assert_eq!(
        get(&v, "expires").as_string().as_deref(),
        Some("2027-01-15T08:00:00Z")
    );
    // With a time: valid strictly before `expires`, RELEASE_EXPIRED from then on.
    let v = verify_manifest(&bytes, &sig, &cert, Some(1_799_999_999.9)).unwrap();
    assert_eq!(get(&v, "app").as_string().as_deref(), Some("t"));
    let e = verify_manifest(&bytes, &sig, &cert, Some(1_800_000_000.0)).unwrap_err();
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("RELEASE_EXPIRED")
    );
    assert_eq!(
        get(&e, "name").as_string().as_deref(),
        Some("SealpostVerifyError")
    );
    for bad in [f64::NAN, -1.0, f64::INFINITY] {
        let e = verify_manifest(&bytes, &sig, &cert, Some(bad)).unwrap_err();
        assert_eq!(get(&e, "code").as_string().as_deref(), Some("BAD_ARGUMENT"));
    }
    let other_cert = keys::write_cert(&other, false, true).unwrap();
    for now in [None, Some(1_900_000_000.0)] {
        let e = verify_manifest(&bytes, &sig, &other_cert, now).unwrap_err();
        assert_eq!(
            get(&e, "code").as_string().as_deref(),
            Some("BAD_SIGNATURE")
        );
    }

    let served = |js_body: &[u8]| {
        let a = Array::new();
        for (path, body, csp) in [
            ("index.html", html.as_bytes(), true),
            ("app.js", js_body, false),
        ] {
            let o = Object::new();
            Reflect::set(&o, &"path".into(), &path.into()).unwrap();
            Reflect::set(&o, &"integrity".into(), &sri(body, None).unwrap().into()).unwrap();
            Reflect::set(&o, &"size".into(), &(body.len() as f64).into()).unwrap();
            Reflect::set(&o, &"content".into(), &Uint8Array::from(body).into()).unwrap();
            if csp {
                let h = Array::new();
                h.push(&"default-src 'self'".into());
                Reflect::set(&o, &"cspHeaders".into(), &h).unwrap();
            }
            a.push(&o);
        }
        a
    };
    let r = check_served(&bytes, served(js), Some("http://127.0.0.1:1".into())).unwrap();
    assert_eq!(get(&r, "verified").as_bool(), Some(true));
    let r = check_served(&bytes, served(b"console.log(2)"), None).unwrap();
    assert_eq!(get(&r, "verified").as_bool(), Some(false));
}

#[wasm_bindgen_test]
fn versions_compare_numerically_and_refuse_other_forms() {
    assert_eq!(compare_versions("2.0.0", "10.0.0").unwrap(), -1);
    assert_eq!(compare_versions("1.2.3", "1.2.3").unwrap(), 0);
    assert_eq!(compare_versions("1.10.0", "1.4.2").unwrap(), 1);
    let e = compare_versions("01.2.3", "1.2.3").unwrap_err();
    assert_eq!(get(&e, "code").as_string().as_deref(), Some("BAD_MANIFEST"));
}

#[wasm_bindgen_test]
fn refresh_cert_merges_revokes_and_refuses() {
    let gen = |uid: &str| {
        keys::generate(&GenerateOptions {
            user_ids: vec![uid.into()],
            ..Default::default()
        })
        .unwrap()
        .cert
    };
    let key = gen("R <r@example.org>");
    let other = gen("O <o@example.org>");
    let pinned = keys::write_cert(&key, false, true).unwrap();
    let now = 1_900_000_000.0_f64.min(js_sys::Date::now() / 1000.0);
    let r = refresh_cert(&pinned, &pinned, now).unwrap();
    assert_eq!(get(&r, "changed").as_bool(), Some(false));
    assert_eq!(get(&r, "revoked").as_bool(), Some(false));
    assert!(get(&r, "reason").is_null());
    assert_eq!(
        get(&r, "fingerprint").as_string(),
        Some(key.fingerprint().to_hex())
    );
    assert!(get(&r, "cert")
        .as_string()
        .unwrap()
        .starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    let revoked = keys::revoke(
        &key,
        keys::RevocationReason::Retired,
        "moved to a new key",
        &[],
        &sealpost_core::Policy::new(),
    )
    .unwrap();
    let fetched = keys::write_cert(&revoked, false, true).unwrap();
    // A "retired" revocation is a soft one: in force from its creation
    // time (this second), so judge it a little later than `now` above.
    let later = js_sys::Date::now() / 1000.0 + 5.0;
    let r = refresh_cert(&pinned, &fetched, later).unwrap();
    assert_eq!(get(&r, "changed").as_bool(), Some(true));
    assert_eq!(get(&r, "revoked").as_bool(), Some(true));
    assert_eq!(
        get(&r, "reason").as_string().as_deref(),
        Some("retired: moved to a new key")
    );
    let code = |e: JsValue| get(&e, "code").as_string().unwrap();
    let other_cert = keys::write_cert(&other, false, true).unwrap();
    assert_eq!(
        code(refresh_cert(&pinned, &other_cert, now).unwrap_err()),
        "CERT_MISMATCH"
    );
    assert_eq!(
        code(refresh_cert(&pinned, b"<html>", now).unwrap_err()),
        "INVALID_CERT"
    );
    assert_eq!(
        code(refresh_cert(b"", &pinned, now).unwrap_err()),
        "INVALID_CERT"
    );
    assert_eq!(
        code(refresh_cert(&pinned, &pinned, f64::NAN).unwrap_err()),
        "BAD_ARGUMENT"
    );
}
