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

/// Encrypts `plaintext` to `recipients`, unsigned, binary, with the default
/// container choice: what most hostile-input tests start from.
pub fn encrypt_to(plaintext: &[u8], recipients: &[Cert], armor: bool, policy: &Policy) -> Vec<u8> {
    sealpost_core::encrypt::encrypt(
        plaintext,
        &sealpost_core::encrypt::EncryptOptions {
            recipients,
            passwords: &[],
            signers: &[],
            signer_passphrases: &[],
            armor,
            force_aead: false,
            text: false,
            policy,
        },
    )
    .expect("encrypt")
}
