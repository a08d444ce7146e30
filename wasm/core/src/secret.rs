//! Turning (possibly locked) secret keys into usable key pairs.
//!
//! Passphrases are held as sequoia `Password`s, which are encrypted in
//! memory and zeroized on drop.

use sequoia_openpgp as openpgp;
use openpgp::crypto::{KeyPair, Password};
use openpgp::packet::key::{SecretParts, UnspecifiedRole};
use openpgp::packet::Key;

use crate::error::{Error, ErrorCode, Result};

/// Makes a key pair from a key with secret material, trying `passphrases`
/// if the material is encrypted.
pub(crate) fn keypair(
    key: &Key<SecretParts, UnspecifiedRole>,
    passphrases: &[Password],
) -> Result<KeyPair> {
    let key = unlocked(key, passphrases)?;
    key.into_keypair()
        .map_err(|e| Error::from_op("secret key", e))
}

/// Returns the key with decrypted secret material.
pub(crate) fn unlocked(
    key: &Key<SecretParts, UnspecifiedRole>,
    passphrases: &[Password],
) -> Result<Key<SecretParts, UnspecifiedRole>> {
    if key.has_unencrypted_secret() {
        return Ok(key.clone());
    }
    if let openpgp::packet::key::SecretKeyMaterial::Encrypted(e) = key.secret() {
        // A GNU dummy / stub key (gpg --export-secret-subkeys) has no usable
        // material at all: say so instead of "wrong passphrase".
        if matches!(e.s2k(), openpgp::crypto::S2K::Private { .. } | openpgp::crypto::S2K::Unknown { .. }) {
            return Err(Error::new(
                ErrorCode::Unsupported,
                format!("secret key {} is a stub without key material", key.fingerprint()),
            ));
        }
    }
    if passphrases.is_empty() {
        return Err(Error::new(
            ErrorCode::KeyLocked,
            format!("secret key {} is locked and no passphrase was given", key.fingerprint()),
        ));
    }
    for p in passphrases {
        if let Ok(k) = key.clone().decrypt_secret(p) {
            return Ok(k);
        }
    }
    Err(Error::new(
        ErrorCode::BadPassphrase,
        format!("no given passphrase unlocks secret key {}", key.fingerprint()),
    ))
}
