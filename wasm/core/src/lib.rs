//! sealpost-core: all of sealpost's OpenPGP logic, a small strict library on sequoia-openpgp.
//! Never: picks a crypto backend (the leaf crate does), depends on wasm-bindgen, or does I/O.
//!
//! It builds and tests natively; the wasm crate (`wasm/bindings`) only
//! converts types, and the platform does any fetching (WKD, for one).
//!
//! # Which call to use
//! - New identity: [`keys::generate`]; store it with [`keys::write_cert`]
//!   (locked with a passphrase), share [`keys::public_cert`].
//! - Send mail: [`encrypt::encrypt`] with recipients and a signer.
//! - Read mail: [`decrypt::decrypt`]; signature outcomes come back as data
//!   in [`decrypt::Decrypted::signatures`], never as an error unless you
//!   set `require_signature`.
//! - Signed but not encrypted: [`sign::sign`] / [`verify::verify`] /
//!   [`verify::verify_detached`].
//!
//! ```
//! use sealpost_core::{keys, encrypt, decrypt, Policy};
//! let policy = Policy::new();
//! let alice = keys::generate(&keys::GenerateOptions {
//!     user_ids: vec!["Alice <alice@example.org>".into()],
//!     ..Default::default()
//! })?.cert;
//! let bob = keys::generate(&keys::GenerateOptions {
//!     user_ids: vec!["Bob <bob@example.org>".into()],
//!     ..Default::default()
//! })?.cert;
//! let ct = encrypt::encrypt(b"hello", &encrypt::EncryptOptions {
//!     recipients: &[keys::public_cert(&bob)], passwords: &[],
//!     signers: &[alice.clone()], signer_passphrases: &[],
//!     armor: true, force_aead: false, text: false, policy: &policy,
//! })?;
//! let pt = decrypt::decrypt(&ct, &decrypt::DecryptOptions {
//!     keys: &[bob], key_passphrases: &[], passwords: &[],
//!     verification_certs: &[keys::public_cert(&alice)],
//!     session_keys: &[],
//!     require_signature: true, policy: &policy,
//! })?;
//! assert_eq!(pt.data, b"hello");
//! assert!(pt.signatures[0].valid);
//! # Ok::<(), sealpost_core::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod armor;
pub mod decrypt;
pub mod encrypt;
pub mod error;
pub mod keys;
pub mod mail;
pub mod packets;
pub mod policy;
pub mod report;
mod secret;
pub mod sign;
pub mod stream;
pub mod verify;

pub use error::{Error, ErrorCode, Result};
pub use policy::Policy;
pub use sequoia_openpgp::crypto::Password;
pub use sequoia_openpgp::Cert;
/// A buffer zeroed when dropped (for the bindings' copies of secret input).
pub use zeroize::Zeroizing;
