//! Passphrase locking: unlock, lock and change the passphrase of the secret
//! key material, key by key.

use openpgp::cert::prelude::*;
use openpgp::crypto::Password;
use openpgp::{Cert, Packet};
use sequoia_openpgp as openpgp;

use crate::error::{Error, Result};
use crate::policy::Policy;
use crate::secret;

/// Decrypts every locked secret key with `passphrase`.  Fails with
/// `BAD_PASSPHRASE` if any locked key does not open with it.  GnuPG stubs
/// (no secret, or one on a smartcard) are left as they are.
pub fn unlock(cert: &Cert, passphrase: &Password, policy: &Policy) -> Result<Cert> {
    if !cert.is_tsk() {
        return Err(Error::invalid("not a secret key"));
    }
    let mut packets: Vec<Packet> = Vec::new();
    for ka in cert.keys().secret() {
        // Already open, or a GnuPG stub with nothing to open.
        if ka.key().has_unencrypted_secret() || secret::is_stub(ka.key().secret()) {
            continue;
        }
        let k = secret::unlocked(
            ka.key().role_as_unspecified(),
            std::slice::from_ref(passphrase),
            policy,
        )?;
        packets.push(to_packet(k, ka.primary()));
    }
    insert(cert, packets)
}

/// Encrypts every unlocked secret key with `passphrase`.
pub fn lock(cert: &Cert, passphrase: &Password) -> Result<Cert> {
    if !cert.is_tsk() {
        return Err(Error::invalid("not a secret key"));
    }
    if passphrase.map(|b| b.is_empty()) {
        return Err(Error::invalid(
            "an empty passphrase would not protect the key",
        ));
    }
    let mut packets: Vec<Packet> = Vec::new();
    for ka in cert.keys().secret() {
        if !ka.key().has_unencrypted_secret() {
            continue;
        }
        // Encrypted in its role: a v6 key's secret is bound to its packet type (AEAD).
        let e = |e| Error::from_op("locking a key", e);
        packets.push(if ka.primary() {
            Packet::from(
                ka.key()
                    .clone()
                    .role_into_primary()
                    .encrypt_secret(passphrase)
                    .map_err(e)?,
            )
        } else {
            Packet::from(
                ka.key()
                    .clone()
                    .role_into_subordinate()
                    .encrypt_secret(passphrase)
                    .map_err(e)?,
            )
        });
    }
    insert(cert, packets)
}

/// Re-encrypts the secret key material under a new passphrase.
pub fn change_passphrase(
    cert: &Cert,
    old: &Password,
    new: &Password,
    policy: &Policy,
) -> Result<Cert> {
    lock(&unlock(cert, old, policy)?, new)
}

fn to_packet(
    k: openpgp::packet::Key<
        openpgp::packet::key::SecretParts,
        openpgp::packet::key::UnspecifiedRole,
    >,
    primary: bool,
) -> Packet {
    if primary {
        Packet::from(k.role_into_primary())
    } else {
        Packet::from(k.role_into_subordinate())
    }
}

pub(super) fn insert(cert: &Cert, packets: Vec<Packet>) -> Result<Cert> {
    // insert_packets replaces a key's secret material when the public
    // parts are equal, which is exactly the case here.
    cert.clone()
        .insert_packets(packets)
        .map(|(c, _)| c)
        .map_err(|e| Error::from_op("updating a key", e))
}
