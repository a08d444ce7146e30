//! Keys: generation, import/export, passphrase locking, revocation and
//! inspection.  This file holds the small queries and the re-exports; each
//! concern has its own file.

use openpgp::cert::prelude::*;
use openpgp::types::RevocationStatus;
use openpgp::Cert;
use sequoia_openpgp as openpgp;

use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;

mod edit;
mod generate;
mod inspect;
mod lock;
mod parse;
mod reformat;
mod revoke;
mod userid;

pub use edit::{add_user_id, certify_user_ids, set_expiration};
pub use generate::{generate, GenerateOptions, GeneratedKey, KeyType};
pub use inspect::{inspect, KeyFlagsInfo, KeyInfo, SubkeyInfo, UserIdInfo};
pub use lock::{change_passphrase, lock, unlock};
pub(crate) use parse::parse_cert;
pub use parse::{
    read_cert, read_cert_without_lacking_subkeys, read_certs, write_cert, MAX_V4_KEY_PUBLIC_LEN,
};
pub use reformat::{
    add_subkey, reformat, with_secrets_of, ReformatOptions, Reformatted, SubkeyOptions,
};
pub use revoke::{merge, revocation_certificate, revoke, RevocationReason};
pub use userid::{userid_email, userid_email_normalized, MAX_USER_ID_LEN};

/// The public certificate of a (secret) key.
pub fn public_cert(cert: &Cert) -> Cert {
    cert.clone().strip_secret_key_material()
}

/// Whether any secret key material is present.
pub fn is_secret(cert: &Cert) -> bool {
    cert.is_tsk()
}

/// Whether any real secret key material is still encrypted.  GnuPG stubs
/// (the offline primary of `gpg --export-secret-subkeys`, divert-to-card)
/// hold no secret and do not count: a key whose every real secret is
/// unlocked is unlocked.
pub fn is_locked(cert: &Cert) -> bool {
    cert.keys()
        .secret()
        .any(|k| !k.key().has_unencrypted_secret() && !crate::secret::is_stub(k.key().secret()))
}

/// Finds a certificate by fingerprint or key ID (of the primary or any
/// subkey), given as hex.
pub fn find<'a>(certs: &'a [Cert], handle: &str) -> Option<&'a Cert> {
    let h: openpgp::KeyHandle = handle.parse().ok()?;
    certs
        .iter()
        .find(|c| c.keys().any(|k| k.key().key_handle().aliases(&h)))
}

/// The certificate as valid under the policy now, refusing expired and
/// revoked certificates.  Key-level checks (`.alive().revoked(false)`) do
/// not see a revocation of the whole certificate: this does.
pub(crate) fn usable<'a>(
    cert: &'a Cert,
    policy: &'a Policy,
    purpose: &str,
) -> Result<ValidCert<'a>> {
    let unusable = |why: &str| {
        Error::new(
            ErrorCode::NoUsableKey,
            format!(
                "certificate {} cannot be used to {purpose}: {why}",
                cert.fingerprint()
            ),
        )
    };
    let vc = cert
        .with_policy(policy.standard(), policy.time())
        .map_err(|_| {
            // Its self-signatures could not be checked without the algorithm.
            if crate::error::cert_lacking(cert) {
                Error::missing(format!(
                    "certificate {}: its algorithm is not in this build",
                    cert.fingerprint()
                ))
            } else {
                unusable("not valid under the policy")
            }
        })?;
    if let RevocationStatus::Revoked(_) = vc.revocation_status() {
        return Err(unusable("revoked"));
    }
    vc.alive()
        .map_err(|_| unusable("expired or not yet valid"))?;
    Ok(vc)
}
