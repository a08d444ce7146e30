//! The wasm build, exercised through its exports.  Runs in Node by default
//! and in headless Chromium with WASM_BINDGEN_USE_BROWSER=1 (make test
//! runs both).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)] // tests may panic on failure

use js_sys::{Array, Reflect, Uint8Array};
use sealpost_wasm::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

const V6_CERT: &[u8] = include_bytes!("../../core/tests/fixtures/rfc9580_v6-minimal-cert.key");
const V6_SECRET_LOCKED: &[u8] =
    include_bytes!("../../core/tests/fixtures/rfc9580_v6-minimal-secret-locked.key");
const CLEARTEXT: &[u8] =
    include_bytes!("../../core/tests/fixtures/rfc9580_cleartext-signed-message.txt");
const CLEARTEXT_PLAIN: &[u8] =
    include_bytes!("../../core/tests/fixtures/rfc9580_cleartext-signed-message.txt.plain");
const V6_SECRET_CONSTRAINED: &[u8] = include_bytes!(
    "../../core/tests/fixtures/rfc9580_v6-minimal-secret-locked-for-constrained-envs.key"
);
const SKESK_OCB: &[u8] = include_bytes!("../../core/tests/fixtures/rfc9580_v6skesk-aes128-ocb.pgp");
const V6_FPR: &str = "CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9";

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).expect("property")
}

fn opts(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn new_key(name: &str, key_type: &str, version: Option<u8>) -> Key {
    let mut o = vec![
        (
            "userIDs",
            JsValue::from_str(&format!("{name} <{name}@example.org>")),
        ),
        ("type", key_type.into()),
    ];
    if let Some(v) = version {
        o.push(("version", JsValue::from(v)));
    }
    let r =
        generate_key(opts(&o)).unwrap_or_else(|e| panic!("{key_type}: {:?}", get(&e, "message")));
    key_of(&r)
}

/// The `privateKey` of a generateKey result, as the Rust handle.
fn key_of(r: &JsValue) -> Key {
    use wasm_bindgen::convert::TryFromJsValue;
    Key::try_from_js_value(get(r, "privateKey")).expect("a Key")
}

/// The error thrown must be a SealpostError with this code.
fn assert_code(e: JsValue, code: &str) {
    assert!(e.is_instance_of::<js_sys::Error>(), "not an Error: {e:?}");
    assert_eq!(
        get(&e, "name").as_string().as_deref(),
        Some("SealpostError")
    );
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some(code),
        "message: {:?}",
        get(&e, "message")
    );
}

fn signatures_valid(r: &JsValue) -> Vec<bool> {
    Array::from(&get(r, "signatures"))
        .iter()
        .map(|s| get(&s, "valid").as_bool().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn key_types_generate_and_round_trip() {
    let types = supported_key_types(None);
    // RSA 4096 generation is slow in wasm; the native suite covers it.
    for t in types.iter().filter(|t| t.as_str() != "rsa4096") {
        let k = new_key("alice", t, None);
        let info = k.info().unwrap();
        assert!(get(&info, "valid").as_bool().unwrap(), "{t}");
        let mut e = Encryption::new();
        e.add_recipient(&k.to_public());
        e.add_signer(&k);
        let ct = e.encrypt(b"wasm says hi").unwrap();
        let mut d = Decryption::new();
        d.add_key(&k);
        d.add_verification_key(&k.to_public());
        d.set_require_signature(true);
        let r = d.decrypt(Uint8Array::from(&ct[..]).into()).unwrap();
        assert_eq!(
            Uint8Array::new(&get(&r, "data")).to_vec(),
            b"wasm says hi",
            "{t}"
        );
        assert_eq!(signatures_valid(&r), vec![true], "{t}");
    }
}

#[wasm_bindgen_test]
fn v6_keys_use_seipdv2_and_passwords_work() {
    let k = new_key("bob", "curve25519", Some(6));
    let mut e = Encryption::new();
    e.add_recipient(&k.to_public());
    e.add_password("correct horse".into());
    e.set_armor(false);
    let ct = e.encrypt(b"v6").unwrap();
    let mut d = Decryption::new();
    d.add_key(&k);
    let r = d.decrypt(Uint8Array::from(&ct[..]).into()).unwrap();
    assert!(get(&get(&r, "layers"), "aead").as_string().is_some());
    let mut d = Decryption::new();
    d.add_password("correct horse".into());
    assert_eq!(
        Uint8Array::new(&get(
            &d.decrypt(Uint8Array::from(&ct[..]).into()).unwrap(),
            "data"
        ))
        .to_vec(),
        b"v6"
    );
}

#[wasm_bindgen_test]
fn lock_unlock_revoke_armor() {
    let r = generate_key(opts(&[
        ("userIDs", "carol <carol@example.org>".into()),
        ("passphrase", "pass phrase".into()),
    ]))
    .unwrap();
    let locked = key_of(&r);
    assert!(locked.is_locked());
    assert_code(
        unlock_key(&locked, "wrong".into()).err().unwrap(),
        "BAD_PASSPHRASE",
    );
    let open = unlock_key(&locked, "pass phrase".into()).unwrap();
    assert!(!open.is_locked());
    let mut s = Signing::new();
    s.add_signer(&locked);
    assert_code(s.sign("x".into()).err().unwrap(), "KEY_LOCKED");
    s.add_passphrase("pass phrase".into());
    let signed = s.sign("x".into()).unwrap();
    let mut v = Verification::new();
    v.add_key(&locked.to_public());
    assert_eq!(
        signatures_valid(&v.verify(Uint8Array::from(&signed[..]).into()).unwrap()),
        vec![true]
    );

    let revoked = revoke_key(&open, Some("compromised".into()), Some("lost".into()), None).unwrap();
    assert_eq!(
        get(&revoked.info().unwrap(), "revocation")
            .as_string()
            .as_deref(),
        Some("revoked")
    );
    let mut e = Encryption::new();
    e.add_recipient(&revoked.to_public());
    assert_code(e.encrypt(b"x").err().unwrap(), "NO_USABLE_KEY");
    let rc = get(&r, "revocationCertificate").as_string().unwrap();
    let merged = merge_key(&locked.to_public(), &read_key(rc.into()).unwrap()).unwrap();
    assert_eq!(
        get(&merged.info().unwrap(), "revocation")
            .as_string()
            .as_deref(),
        Some("revoked")
    );

    let bin = open.to_public().to_bytes(None).unwrap();
    let armored = armor(&bin, None).unwrap();
    assert!(armored.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    assert_eq!(dearmor(armored.into()).unwrap(), bin);
}

#[wasm_bindgen_test]
fn sign_verify_all_modes() {
    let k = new_key("dave", "curve25519", None);
    for mode in ["inline", "cleartext", "detached"] {
        let mut s = Signing::new();
        s.add_signer(&k);
        s.set_mode(mode).unwrap();
        let sig = s.sign("some text\n".into()).unwrap();
        let mut v = Verification::new();
        v.add_key(&k.to_public());
        v.set_require_signature(true);
        let r = if mode == "detached" {
            v.verify_detached("some text\n".into(), Uint8Array::from(&sig[..]).into())
                .unwrap()
        } else {
            let r = v.verify(Uint8Array::from(&sig[..]).into()).unwrap();
            assert_eq!(
                Uint8Array::new(&get(&r, "data")).to_vec(),
                b"some text\n",
                "{mode}"
            );
            r
        };
        assert_eq!(signatures_valid(&r), vec![true], "{mode}");
    }
    let mut s = Signing::new();
    assert!(s.set_mode("sideways").is_err());
}

#[wasm_bindgen_test]
fn rfc9580_vectors() {
    let cert = read_key(Uint8Array::from(V6_CERT).into()).unwrap();
    assert_eq!(cert.fingerprint(), V6_FPR);
    let mut v = Verification::new();
    v.add_key(&cert);
    let r = v.verify(Uint8Array::from(CLEARTEXT).into()).unwrap();
    assert_eq!(Uint8Array::new(&get(&r, "data")).to_vec(), CLEARTEXT_PLAIN);
    assert_eq!(signatures_valid(&r), vec![true]);
    // A.5 wants 2 GiB for Argon2: refused up front with a clear code.
    let locked = read_key(Uint8Array::from(V6_SECRET_LOCKED).into()).unwrap();
    assert_code(
        unlock_key(&locked, "correct horse battery staple".into())
            .err()
            .unwrap(),
        "LIMIT_EXCEEDED",
    );
    let small = read_key(Uint8Array::from(V6_SECRET_CONSTRAINED).into()).unwrap();
    assert!(!unlock_key(&small, "correct horse battery staple".into())
        .unwrap()
        .is_locked());
    let mut d = Decryption::new();
    d.add_password("password".into());
    let r = d.decrypt(Uint8Array::from(SKESK_OCB).into()).unwrap();
    assert_eq!(Uint8Array::new(&get(&r, "data")).to_vec(), b"Hello, world!");
}

#[wasm_bindgen_test]
fn bad_input_gets_codes_not_traps() {
    let bob = new_key("bob", "curve25519", None);
    let eve = new_key("eve", "curve25519", None);
    let mut e = Encryption::new();
    e.add_recipient(&bob.to_public());
    let ct = e.encrypt(b"the secret plaintext").unwrap();
    let mut d = Decryption::new();
    d.add_key(&bob);
    assert_code(
        d.decrypt(Uint8Array::new_with_length(0).into())
            .err()
            .unwrap(),
        "MALFORMED_INPUT",
    );
    assert_code(
        d.decrypt(Uint8Array::from(&b"\x85\x01\x02garbage"[..]).into())
            .err()
            .unwrap(),
        "MALFORMED_INPUT",
    );
    assert_code(
        d.decrypt(Uint8Array::from(&ct[..ct.len() / 2]).into())
            .err()
            .unwrap(),
        "MALFORMED_INPUT",
    );
    let mut flipped = dearmor(Uint8Array::from(&ct[..]).into()).unwrap();
    let n = flipped.len();
    flipped[n - 10] ^= 0x40;
    assert_code(
        d.decrypt(Uint8Array::from(&flipped[..]).into())
            .err()
            .unwrap(),
        "DECRYPTION_FAILED",
    );
    let mut d_eve = Decryption::new();
    d_eve.add_key(&eve);
    assert_code(
        d_eve
            .decrypt(Uint8Array::from(&ct[..]).into())
            .err()
            .unwrap(),
        "NO_MATCHING_KEY",
    );
    assert_code(
        read_key("not a key".into()).err().unwrap(),
        "MALFORMED_INPUT",
    );
    let type_err = read_key(JsValue::from(42)).err().unwrap();
    assert!(type_err.is_instance_of::<js_sys::TypeError>());
    assert!(generate_key(opts(&[("type", "rsa1024".into())])).is_err());
    // The module still works after all of that.
    assert_eq!(
        Uint8Array::new(&get(
            &d.decrypt(Uint8Array::from(&ct[..]).into()).unwrap(),
            "data"
        ))
        .to_vec(),
        b"the secret plaintext"
    );
}
