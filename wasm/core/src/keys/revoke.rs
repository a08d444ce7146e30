//! Revocation: revocation certificates, revoking a certificate, and merging
//! a revocation (or any update of the same key) into one.

use openpgp::cert::prelude::*;
use openpgp::crypto::Password;
use openpgp::packet::Signature;
use openpgp::serialize::Serialize;
use openpgp::types::ReasonForRevocation;
use openpgp::{Cert, Packet};
use sequoia_openpgp as openpgp;

use super::lock::insert;
use crate::error::{Error, Result};
use crate::policy::Policy;
use crate::secret;

/// Reasons for revocation (RFC 9580 §5.2.3.31).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevocationReason {
    /// No reason given (treated as a compromise by receivers).
    Unspecified,
    /// The key was superseded by a new one.
    Superseded,
    /// The key material was compromised.
    Compromised,
    /// The key is retired and no longer used.
    Retired,
}

impl RevocationReason {
    /// Parses `"unspecified" | "superseded" | "compromised" | "retired"`.
    pub fn from_name(name: &str) -> Result<Self> {
        Ok(match name {
            "unspecified" | "" => RevocationReason::Unspecified,
            "superseded" => RevocationReason::Superseded,
            "compromised" => RevocationReason::Compromised,
            "retired" => RevocationReason::Retired,
            other => {
                return Err(Error::invalid(format!(
                    "unknown revocation reason {other:?}"
                )))
            }
        })
    }

    fn to_sequoia(self) -> ReasonForRevocation {
        match self {
            RevocationReason::Unspecified => ReasonForRevocation::Unspecified,
            RevocationReason::Superseded => ReasonForRevocation::KeySuperseded,
            RevocationReason::Compromised => ReasonForRevocation::KeyCompromised,
            RevocationReason::Retired => ReasonForRevocation::KeyRetired,
        }
    }
}

/// Makes a revocation signature for the whole certificate with its primary
/// secret key.
fn revocation_signature(
    cert: &Cert,
    reason: RevocationReason,
    message: &str,
    passphrases: &[Password],
    policy: &Policy,
) -> Result<Signature> {
    let primary = cert.primary_key().key().clone();
    let primary = primary
        .parts_into_secret()
        .map_err(|_| Error::invalid("revocation needs the secret primary key"))?;
    let mut signer = secret::keypair(primary.role_as_unspecified(), passphrases, policy)?;
    CertRevocationBuilder::new()
        .set_reason_for_revocation(reason.to_sequoia(), message.as_bytes())
        .map_err(|e| Error::from_op("revocation", e))?
        .build(&mut signer, cert, None)
        .map_err(|e| Error::from_op("revocation", e))
}

/// A revocation certificate: the primary key with the revocation signature,
/// armored, as `sq` and GnuPG import it.
pub fn revocation_certificate(
    cert: &Cert,
    reason: RevocationReason,
    message: &str,
    passphrases: &[Password],
    policy: &Policy,
) -> Result<Vec<u8>> {
    let sig = revocation_signature(cert, reason, message, passphrases, policy)?;
    revocation_cert_bytes(cert, sig)
}

pub(super) fn revocation_cert_bytes(cert: &Cert, sig: Signature) -> Result<Vec<u8>> {
    let primary = Packet::from(cert.primary_key().key().clone());
    let mut w = openpgp::armor::Writer::with_headers(
        Vec::new(),
        openpgp::armor::Kind::PublicKey,
        vec![
            ("Comment", "Revocation certificate for"),
            ("Comment", &cert.fingerprint().to_hex()),
        ],
    )
    .map_err(|e| Error::from_op("armor", e.into()))?;
    primary
        .serialize(&mut w)
        .map_err(|e| Error::from_op("revocation certificate", e))?;
    Packet::from(sig)
        .serialize(&mut w)
        .map_err(|e| Error::from_op("revocation certificate", e))?;
    w.finalize().map_err(|e| Error::from_op("armor", e.into()))
}

/// Revokes the certificate: returns it with a revocation signature merged.
pub fn revoke(
    cert: &Cert,
    reason: RevocationReason,
    message: &str,
    passphrases: &[Password],
    policy: &Policy,
) -> Result<Cert> {
    let sig = revocation_signature(cert, reason, message, passphrases, policy)?;
    insert(cert, vec![sig.into()])
}

/// Merges a revocation certificate (or any update of the same key) into
/// `cert`.  The signatures are checked; the certificates must match.
pub fn merge(cert: &Cert, update: &Cert) -> Result<Cert> {
    if cert.fingerprint() != update.fingerprint() {
        return Err(Error::invalid("the update is for a different key"));
    }
    cert.clone()
        .merge_public(update.clone())
        .map_err(|e| Error::from_op("merging key updates", e))
}
