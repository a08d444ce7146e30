//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod craft;
pub mod gpg;

#[allow(unused_imports)] // not every test file uses both
pub use craft::{encrypt_to, key};

use sealpost_core::keys::{self, GenerateOptions};
use sealpost_core::{Cert, Password, Policy};

pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
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
