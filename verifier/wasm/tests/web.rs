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

/// A fresh Curve25519 key with one user ID: a release key.
fn new_key(uid: &str) -> sealpost_core::Cert {
    keys::generate(&GenerateOptions {
        user_ids: vec![uid.into()],
        ..Default::default()
    })
    .unwrap()
    .cert
}

/// `key` revoked as retired ("moved to a new key").
fn retired(key: &sealpost_core::Cert) -> sealpost_core::Cert {
    keys::revoke(
        key,
        keys::RevocationReason::Retired,
        "moved to a new key",
        &[],
        &sealpost_core::Policy::new(),
    )
    .unwrap()
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
    let key = new_key("R <r@example.org>");
    let other = new_key("O <o@example.org>");
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
fn a_release_key_of_an_algorithm_left_out_is_refused_by_name() {
    // The extension's verifier carries sequoia's base algorithms only (Curve25519, RSA; issue 23):
    // a P-256 release key (made by gpg) is refused when read, saying why, before any check.
    let cert = include_bytes!("fixtures/p256-release.cert");
    let e = verify_manifest(b"{}", b"", cert, None).unwrap_err();
    assert_eq!(get(&e, "code").as_string().unwrap(), "BAD_KEY");
    let message = get(&e, "message").as_string().unwrap();
    assert!(message.contains("not in this build"), "{message}");
}

#[wasm_bindgen_test]
fn a_revocation_is_read_whatever_subkey_of_a_left_out_algorithm_comes_with_it() {
    // A third party appends a P-256 subkey (gpg's P-256 key packet, re-tagged as a public subkey)
    // to a revoked release certificate.  The guard's build cannot check that algorithm: it drops
    // the subkey, reads the rest, and the revocation gets through.
    let key = new_key("R <r@example.org>");
    let pinned = keys::write_cert(&key, false, false).unwrap();
    let mut fetched = keys::write_cert(&retired(&key), false, false).unwrap();
    let p256 = sealpost_core::armor::dearmor(include_bytes!("fixtures/p256-release.cert")).unwrap();
    assert_eq!(
        p256[0], 0x98,
        "an old-format public-key packet, one-octet length"
    );
    let len = usize::from(p256[1]);
    fetched.extend_from_slice(&[0xB8, p256[1]]); // old format, tag 14 (public subkey)
    fetched.extend_from_slice(&p256[2..2 + len]);
    let later = js_sys::Date::now() / 1000.0 + 5.0;
    let r = refresh_cert(&pinned, &fetched, later).unwrap();
    assert_eq!(get(&r, "revoked").as_bool(), Some(true));
    assert_eq!(
        get(&r, "reason").as_string().as_deref(),
        Some("retired: moved to a new key")
    );
    // The pinned certificate with such a subkey still verifies what its primary key signed.
    let mut with_subkey = pinned.clone();
    with_subkey.extend_from_slice(&[0xB8, p256[1]]);
    with_subkey.extend_from_slice(&p256[2..2 + len]);
    let manifest = br#"{}"#;
    let e = verify_manifest(manifest, b"", &with_subkey, None).unwrap_err();
    assert_ne!(get(&e, "code").as_string().unwrap(), "BAD_KEY");
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
    let key = new_key("R <r@example.org>");
    let other = new_key("O <o@example.org>");
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
    let fetched = keys::write_cert(&retired(&key), false, true).unwrap();
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

/// The release log's client checks through the wasm exports: a log built in
/// memory (no file system in wasm), its tiles handed over as JS objects.
mod tlog {
    use super::*;
    use sealpost_tlog::checkpoint::SignedCheckpoint;
    use sealpost_tlog::keys::{SecretKey, ALG_COSIGNATURE_V1, ALG_ED25519};
    use sealpost_tlog::logdir::Hashes;
    use sealpost_tlog::proof::{inclusion, TlogProof};
    use sealpost_tlog::tiles::{data_tile, encode_bundle, path, FULL_WIDTH, HEIGHT};

    struct Log {
        log: SecretKey,
        witnesses: Vec<SecretKey>,
        entries: Vec<Vec<u8>>,
        hashes: Hashes,
    }

    impl Log {
        fn new(entries: Vec<Vec<u8>>) -> Self {
            Log {
                log: SecretKey::from_seed("example.com/log", ALG_ED25519, [1; 32]).unwrap(),
                witnesses: (2..4)
                    .map(|i| {
                        SecretKey::from_seed(&format!("w{i}.example"), ALG_COSIGNATURE_V1, [i; 32])
                            .unwrap()
                    })
                    .collect(),
                hashes: Hashes::of(&entries).unwrap(),
                entries,
            }
        }
        fn policy(&self) -> String {
            format!(
                "log {}\nwitness a {}\nwitness b {}\ngroup both all a b\nquorum both\n",
                self.log.vkey().encode(),
                self.witnesses[0].vkey().encode(),
                self.witnesses[1].vkey().encode()
            )
        }
        fn checkpoint(&self, cosigners: usize) -> SignedCheckpoint {
            let size = self.entries.len() as u64;
            let mut cp =
                SignedCheckpoint::sign(&self.log, size, self.hashes.root(size).unwrap()).unwrap();
            let sigs: Vec<_> = self.witnesses[..cosigners]
                .iter()
                .map(|w| w.cosign(&cp.text, 5).unwrap())
                .collect();
            cp.add_signatures(&sigs);
            cp
        }
        fn proof(&self, index: u64, cosigners: usize) -> Vec<u8> {
            let size = self.entries.len() as u64;
            TlogProof {
                extra: None,
                index,
                proof: inclusion(&self.hashes, size, index).unwrap(),
                checkpoint: self.checkpoint(cosigners),
            }
            .to_bytes()
        }
        /// Every hash tile and entry bundle, as a JS object.
        fn tiles(&self) -> JsValue {
            let o = Object::new();
            let size = self.entries.len() as u64;
            for t in tlog_tiles::Tile::new_tiles(HEIGHT, 0, size) {
                let data = t.read_data(&self.hashes).unwrap();
                Reflect::set(&o, &path(&t).into(), &Uint8Array::from(&data[..])).unwrap();
                if t.level() == 0 {
                    let start = (t.level_index() * u64::from(FULL_WIDTH)) as usize;
                    let b =
                        encode_bundle(&self.entries[start..start + t.width() as usize]).unwrap();
                    Reflect::set(&o, &path(&data_tile(&t)).into(), &Uint8Array::from(&b[..]))
                        .unwrap();
                }
            }
            o.into()
        }
    }

    const FPR: &str = "0123456789ABCDEF0123456789ABCDEF01234567";

    fn manifest(version: &str, salt: &str) -> Vec<u8> {
        let mut m = Manifest::new("demo", version, 1_800_000_000).unwrap();
        let js = format!("console.log({salt:?})");
        m.add_file("app.js", sri(js.as_bytes(), None).unwrap(), js.len() as u64)
            .unwrap();
        m.to_canonical()
    }

    fn entry(m: &[u8]) -> Vec<u8> {
        let parsed = Manifest::from_bytes(m).unwrap();
        sealpost_tlog::entry::Entry::for_manifest("demo", &parsed.version, m, FPR, None, None)
            .unwrap()
            .to_bytes()
    }

    fn code(e: JsValue) -> String {
        get(&e, "code").as_string().unwrap()
    }

    #[wasm_bindgen_test]
    fn logged_not_logged_and_split_view() {
        let ms: Vec<Vec<u8>> = (0..300)
            .map(|i| manifest(&format!("1.0.{i}"), "x"))
            .collect();
        let small = Log::new(ms[..3].iter().map(|m| entry(m)).collect());
        let policy = small.policy();
        // Logged: the first checkpoint is kept.
        let r = tlog_check_release(
            &policy,
            &small.proof(2, 2),
            &ms[2],
            FPR,
            None,
            JsValue::NULL,
        )
        .unwrap();
        let logged = get(&r, "logged");
        assert_eq!(get(&logged, "checkpoint_size").as_f64(), Some(3.0));
        assert_eq!(get(&logged, "advanced").as_bool(), Some(true));
        let held = get(&logged, "checkpoint").as_string().unwrap();
        // Another manifest than the logged one; too few cosignatures.
        let other = manifest("1.0.2", "y");
        assert_eq!(
            code(
                tlog_check_release(
                    &policy,
                    &small.proof(2, 2),
                    &other,
                    FPR,
                    None,
                    JsValue::NULL
                )
                .unwrap_err()
            ),
            "NOT_LOGGED"
        );
        assert_eq!(
            code(
                tlog_check_release(
                    &policy,
                    &small.proof(2, 1),
                    &ms[2],
                    FPR,
                    None,
                    JsValue::NULL
                )
                .unwrap_err()
            ),
            "NOT_LOGGED"
        );
        assert_eq!(
            code(
                tlog_check_release(&policy, b"junk", &ms[2], FPR, None, JsValue::NULL).unwrap_err()
            ),
            "NOT_LOGGED"
        );
        // The log grows: tiles are asked for, then the consistency is proven.
        let big = Log::new(ms.iter().map(|m| entry(m)).collect());
        let proof = big.proof(299, 2);
        let r = tlog_check_release(
            &policy,
            &proof,
            &ms[299],
            FPR,
            Some(held.clone().into_bytes()),
            JsValue::NULL,
        )
        .unwrap();
        let need = Array::from(&get(&r, "needTiles"));
        assert!(need.length() > 0);
        let r = tlog_check_release(
            &policy,
            &proof,
            &ms[299],
            FPR,
            Some(held.clone().into_bytes()),
            big.tiles(),
        )
        .unwrap();
        assert_eq!(
            get(&get(&r, "logged"), "checkpoint_size").as_f64(),
            Some(300.0)
        );
        // A fork of the held size: the log signed two trees of size 3.
        let mut forked: Vec<Vec<u8>> = ms[..2].iter().map(|m| entry(m)).collect();
        forked.push(entry(&other));
        let fork = Log::new(forked);
        let e = tlog_check_release(
            &policy,
            &fork.proof(2, 0),
            &other,
            FPR,
            Some(held.clone().into_bytes()),
            JsValue::NULL,
        )
        .unwrap_err();
        assert_eq!(code(e.clone()), "SPLIT_VIEW", "{:?}", get(&e, "message"));
        // A grown fork whose tiles cannot prove it extends the held tree.
        let mut grown: Vec<Vec<u8>> = fork.entries.clone();
        grown.push(entry(&ms[3]));
        let grown = Log::new(grown);
        let e = tlog_check_release(
            &policy,
            &grown.proof(3, 2),
            &ms[3],
            FPR,
            Some(held.into_bytes()),
            grown.tiles(),
        )
        .unwrap_err();
        assert_eq!(code(e), "SPLIT_VIEW");
        // The count of releases, from the entry bundles.
        let paths = tlog_entry_bundle_paths(300.0).unwrap();
        assert_eq!(paths, ["tile/entries/000", "tile/entries/001.p/44"]);
        // A huge size from the server: an error, not a trap (2^40 leaves were 2^32 paths).
        for size in [2f64.powi(40), 2f64.powi(30), 1e300, 64.0 * 256.0 + 1.0] {
            assert_eq!(
                code(tlog_entry_bundle_paths(size).unwrap_err()),
                "LOG_MALFORMED"
            );
        }
        assert_eq!(tlog_entry_bundle_paths(64.0 * 256.0).unwrap().len(), 64);
        let c = tlog_count_releases(&big.checkpoint(2).to_bytes(), big.tiles(), "demo").unwrap();
        assert_eq!(get(&c, "count").as_f64(), Some(300.0));
        assert_eq!(
            code(
                tlog_count_releases(&big.checkpoint(2).to_bytes(), small.tiles(), "demo")
                    .unwrap_err()
            ),
            "LOG_MALFORMED"
        );
    }

    #[wasm_bindgen_test]
    fn a_replaced_binding_is_refused_in_a_recent_view() {
        use sealpost_tlog::binding::Binding;
        let origin = "https://mail.example";
        let (k1, k2) = ("AB".repeat(20), "CD".repeat(20));
        // The site's policy text names the log and two witnesses; the guard ships the same two.
        let policy = Log::new(vec![]).policy();
        let sha = sealpost_tlog::hex(&sealpost_tlog::sha256(policy.as_bytes()));
        let bind = |key: &str| {
            Binding::new(origin, key)
                .unwrap()
                .with_policy(&sha)
                .unwrap()
                .to_bytes()
        };
        let log = Log::new(vec![entry(&manifest("1.0.0", "a")), bind(&k1), bind(&k2)]);
        let cp = log.checkpoint(2).to_bytes(); // cosigned at time 5
        let v = tlog_fresh_view(&policy, &policy, &cp, 10.0, 100.0).unwrap();
        assert_eq!(get(&v, "size").as_f64(), Some(3.0));
        assert_eq!(get(&v, "at").as_f64(), Some(5.0));
        assert_eq!(
            code(tlog_fresh_view(&policy, &policy, &cp, 1_000.0, 100.0).unwrap_err()),
            "NOT_BOUND"
        );
        assert_eq!(
            code(
                tlog_fresh_view(&policy, &policy, &log.checkpoint(1).to_bytes(), 10.0, 100.0)
                    .unwrap_err()
            ),
            "NOT_BOUND",
            "one of the two witnesses is no quorum"
        );
        let newest = |index: f64, key: &str, now: f64| {
            tlog_check_newest_binding(
                &policy,
                &policy,
                &cp,
                log.tiles(),
                "example.com/log",
                index,
                origin,
                key,
                now,
                100.0,
            )
        };
        let e = newest(1.0, &k1, 10.0).unwrap_err();
        assert_eq!(code(e.clone()), "NOT_BOUND");
        let message = get(&e, "message").as_string().unwrap();
        assert!(message.contains("superseded binding: leaf 2"), "{message}");
        assert_eq!(
            get(&newest(2.0, &k2, 10.0).unwrap(), "size").as_f64(),
            Some(3.0)
        );
        assert_eq!(code(newest(2.0, &k2, 1_000.0).unwrap_err()), "NOT_BOUND");
        assert_eq!(
            code(newest(f64::NAN, &k2, 10.0).unwrap_err()),
            "BAD_ARGUMENT"
        );
    }

    #[wasm_bindgen_test]
    fn the_policy_must_be_signed_by_the_release_key() {
        let gen = |uid: &str| {
            keys::generate(&GenerateOptions {
                user_ids: vec![uid.into()],
                ..Default::default()
            })
            .unwrap()
            .cert
        };
        let (key, other) = (gen("R <r@example.org>"), gen("O <o@example.org>"));
        let policy = Log::new(vec![b"x".to_vec()]).policy();
        let p = sealpost_core::Policy::new();
        let sign = |k: &sealpost_core::Cert, data: &[u8]| {
            sealpost_core::sign::sign(
                data,
                &sealpost_core::sign::SignOptions {
                    signers: std::slice::from_ref(k),
                    passphrases: &[],
                    mode: sealpost_core::sign::SignMode::Detached,
                    text: false,
                    armor: true,
                    policy: &p,
                },
            )
            .unwrap()
        };
        let cert = keys::write_cert(&key, false, true).unwrap();
        let ok = tlog_policy(policy.as_bytes(), &sign(&key, policy.as_bytes()), &cert).unwrap();
        assert_eq!(
            Array::from(&get(&ok, "logs")).get(0).as_string().as_deref(),
            Some("example.com/log")
        );
        assert_eq!(Array::from(&get(&ok, "witnesses")).length(), 2);
        assert_eq!(
            code(
                tlog_policy(policy.as_bytes(), &sign(&other, policy.as_bytes()), &cert)
                    .unwrap_err()
            ),
            "LOG_POLICY"
        );
        let changed = policy.replace("quorum both", "quorum none");
        assert_eq!(
            code(
                tlog_policy(changed.as_bytes(), &sign(&key, policy.as_bytes()), &cert).unwrap_err()
            ),
            "LOG_POLICY"
        );
        let junk = b"not a policy\n";
        assert_eq!(
            code(tlog_policy(junk, &sign(&key, junk), &cert).unwrap_err()),
            "LOG_POLICY"
        );
        // Signed, but its quorum needs no witness: refused (the log alone could fork).
        let e =
            tlog_policy(changed.as_bytes(), &sign(&key, changed.as_bytes()), &cert).unwrap_err();
        assert_eq!(code(e.clone()), "LOG_POLICY");
        assert!(get(&e, "message")
            .as_string()
            .unwrap()
            .contains("needs no witness"));
    }
}
