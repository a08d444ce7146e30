//! Turning (possibly locked) secret keys into usable key pairs.
//!
//! Passphrases are held as sequoia `Password`s, which are encrypted in
//! memory and zeroized on drop.

use openpgp::crypto::{KeyPair, Password};
use openpgp::packet::key::{SecretParts, UnspecifiedRole};
use openpgp::packet::Key;
use sequoia_openpgp as openpgp;

use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;

/// Whether this secret key material is a GnuPG stub rather than a secret:
/// GNU-dummy S2K (mode 1001, the primary of `gpg --export-secret-subkeys`),
/// divert-to-card (mode 1002, the secret is on a smartcard), or any other
/// private or unknown S2K we cannot open.  A stub is neither locked nor
/// unlocked: it is skipped when choosing keys, locking or unlocking.
pub(crate) fn is_stub(secret: &openpgp::packet::key::SecretKeyMaterial) -> bool {
    match secret {
        openpgp::packet::key::SecretKeyMaterial::Encrypted(e) => matches!(
            e.s2k(),
            openpgp::crypto::S2K::Private { .. } | openpgp::crypto::S2K::Unknown { .. }
        ),
        _ => false,
    }
}

/// Makes a key pair from a key with secret material, trying `passphrases`
/// if the material is encrypted.
pub(crate) fn keypair(
    key: &Key<SecretParts, UnspecifiedRole>,
    passphrases: &[Password],
    policy: &Policy,
) -> Result<KeyPair> {
    let key = unlocked(key, passphrases, policy)?;
    key.into_keypair()
        .map_err(|e| Error::from_op("secret key", e))
}

/// Returns the key with decrypted secret material.
pub(crate) fn unlocked(
    key: &Key<SecretParts, UnspecifiedRole>,
    passphrases: &[Password],
    policy: &Policy,
) -> Result<Key<SecretParts, UnspecifiedRole>> {
    if key.has_unencrypted_secret() {
        return Ok(key.clone());
    }
    if let openpgp::packet::key::SecretKeyMaterial::Encrypted(e) = key.secret() {
        check_s2k(e.s2k(), policy)?;
        // A GNU dummy / stub key (gpg --export-secret-subkeys) has no usable
        // material at all: say so instead of "wrong passphrase".
        if is_stub(key.secret()) {
            return Err(Error::new(
                ErrorCode::Unsupported,
                format!(
                    "secret key {} is a stub without key material",
                    key.fingerprint()
                ),
            ));
        }
    }
    if passphrases.is_empty() {
        return Err(Error::new(
            ErrorCode::KeyLocked,
            format!(
                "secret key {} is locked and no passphrase was given",
                key.fingerprint()
            ),
        ));
    }
    for p in passphrases {
        match key.clone().decrypt_secret(p) {
            Ok(k) => return Ok(k),
            // A wrong passphrase shows up as a failed checksum or AEAD tag
            // (ManipulatedMessage) or as garbage key material
            // (MalformedPacket, MalformedMPI: found by the webmail e2e test).  Anything else (unsupported S2K, allocation
            // failure) is not the passphrase's fault: say so.
            Err(e) => match e.downcast_ref::<openpgp::Error>() {
                Some(
                    openpgp::Error::ManipulatedMessage
                    | openpgp::Error::MalformedPacket(_)
                    | openpgp::Error::MalformedMPI(_)
                    | openpgp::Error::InvalidPassword,
                )
                | None => continue,
                Some(openpgp::Error::UnsupportedSymmetricAlgorithm(s))
                    if crate::error::symmetric_in_full_only(*s) =>
                {
                    return Err(Error::missing(format!(
                        "secret key {} is protected with {s}, which this build does not support",
                        key.fingerprint()
                    )))
                }
                Some(_) => return Err(Error::from_op("unlocking a secret key", e)),
            },
        }
    }
    Err(Error::new(
        ErrorCode::BadPassphrase,
        format!(
            "no given passphrase unlocks secret key {}",
            key.fingerprint()
        ),
    ))
}

/// Refuses string-to-key parameters that would cost more than the policy
/// allows, before any work is done.
pub(crate) fn check_s2k(s2k: &openpgp::crypto::S2K, policy: &Policy) -> Result<()> {
    if let openpgp::crypto::S2K::Argon2 { m, .. } = s2k {
        // RFC 9580 §3.7.1.4: memory is 2^m KiB.
        let kib = 1u64.checked_shl(u32::from(*m)).unwrap_or(u64::MAX);
        if kib > policy.max_argon2_kib() {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                format!(
                    "Argon2 key derivation asks for {} MiB of memory; the limit is {} MiB",
                    kib / 1024,
                    policy.max_argon2_kib() / 1024
                ),
            ));
        }
    }
    Ok(())
}
