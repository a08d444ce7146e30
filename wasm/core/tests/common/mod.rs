//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod gpg;

use sealpost_core::keys::{self, GenerateOptions, KeyType};
use sealpost_core::{Cert, Password, Policy};

pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

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

pub fn locked_key(name: &str, passphrase: &str) -> Cert {
    keys::generate(&GenerateOptions {
        user_ids: vec![format!("{name} <{}@example.org>", name.to_lowercase())],
        passphrase: Some(pw(passphrase)),
        ..Default::default()
    })
    .expect("generate")
    .cert
}

pub fn pw(s: &str) -> Password {
    Password::from(s)
}

pub fn policy() -> Policy {
    Policy::new()
}
