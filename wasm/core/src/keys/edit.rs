//! Editing a key with its own primary secret key: a new user ID, a new
//! expiration time; and certifying another key's user IDs (OpenPGP.js's
//! `signAllUsers`).  Each returns a new certificate with the new
//! signatures merged in; only public parts change (the secret material is
//! the input's), so a key's locked form stays what its owner locked.

use std::time::Duration;

use openpgp::cert::prelude::*;
use openpgp::crypto::{KeyPair, Password};
use openpgp::packet::signature::SignatureBuilder;
use openpgp::packet::UserID;
use openpgp::types::SignatureType;
use openpgp::{Cert, Packet};
use sequoia_openpgp as openpgp;

use super::lock::insert;
use super::userid::check_user_id;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;
use crate::secret;

/// The primary key's signer (unlocked, or opened with `passphrases`).
fn primary_signer(
    cert: &Cert,
    passphrases: &[Password],
    policy: &Policy,
    what: &str,
) -> Result<KeyPair> {
    let primary = cert
        .primary_key()
        .key()
        .clone()
        .parts_into_secret()
        .map_err(|_| Error::invalid(format!("{what} needs the secret primary key")))?;
    secret::keypair(primary.role_as_unspecified(), passphrases, policy)
}

/// The certificate as valid now, for a self-signature to build on.
fn valid<'a>(cert: &'a Cert, policy: &'a Policy, what: &str) -> Result<ValidCert<'a>> {
    cert.with_policy(policy.standard(), policy.time())
        .map_err(|_| {
            Error::new(
                ErrorCode::NoUsableKey,
                format!(
                    "{what}: the key {} is not valid under the policy",
                    cert.fingerprint()
                ),
            )
        })
}

/// Adds `user_id`, bound with a self-signature that takes the preferences
/// and features of the primary user ID's (or, without one, of the direct
/// key signature's), not flagged primary.  An existing user ID:
/// `INVALID_ARGUMENT`.
pub fn add_user_id(
    cert: &Cert,
    user_id: &str,
    passphrases: &[Password],
    policy: &Policy,
) -> Result<Cert> {
    check_user_id(user_id)?;
    if cert
        .userids()
        .any(|u| u.userid().value() == user_id.as_bytes())
    {
        return Err(Error::invalid("the key already has this user ID"));
    }
    let vc = valid(cert, policy, "adding a user ID")?;
    let template: SignatureBuilder = match vc.primary_userid() {
        Ok(u) => u.binding_signature().clone().into(),
        Err(_) => vc
            .direct_key_signature()
            .map_err(|_| Error::invalid("the key has no self-signature to take preferences from"))?
            .clone()
            .into(),
    };
    let template = template
        .set_type(SignatureType::PositiveCertification)
        .set_primary_userid(false)
        .and_then(|b| b.set_signature_creation_time(policy.time()))
        .map_err(|e| Error::from_op("adding a user ID", e))?;
    let mut signer = primary_signer(cert, passphrases, policy, "adding a user ID")?;
    let uid = UserID::from(user_id);
    let sig = uid
        .bind(&mut signer, cert, template)
        .map_err(|e| Error::from_op("adding a user ID", e))?;
    insert(cert, vec![Packet::from(uid), sig.into()])
}

/// Sets when the key expires: `after` from its creation time, or never
/// (`None`), with new self-signatures on the primary key (its direct key
/// signature and each valid user ID binding), as sequoia makes them.
pub fn set_expiration(
    cert: &Cert,
    after: Option<Duration>,
    passphrases: &[Password],
    policy: &Policy,
) -> Result<Cert> {
    let created = cert.primary_key().key().creation_time();
    let at = match after {
        None => None,
        Some(d) => Some(
            created
                .checked_add(d)
                .ok_or_else(|| Error::invalid("the expiration time is out of range"))?,
        ),
    };
    if let Some(t) = at {
        if t <= policy.time() {
            return Err(Error::invalid("the expiration time is in the past"));
        }
    }
    valid(cert, policy, "changing the expiration time")?;
    let mut signer = primary_signer(cert, passphrases, policy, "changing the expiration time")?;
    let sigs = cert
        .set_expiration_time(policy.standard(), policy.time(), &mut signer, at)
        .map_err(|e| Error::from_op("changing the expiration time", e))?;
    insert(cert, sigs.into_iter().map(Packet::from).collect())
}

/// Certifies every valid user ID of `cert` with the primary key of each
/// `signers` key (a generic certification, as OpenPGP.js's signAllUsers).
pub fn certify_user_ids(
    cert: &Cert,
    signers: &[Cert],
    passphrases: &[Password],
    policy: &Policy,
) -> Result<Cert> {
    if signers.is_empty() {
        return Err(Error::invalid(
            "signing user IDs needs at least one private key",
        ));
    }
    let vc = valid(cert, policy, "signing user IDs")?;
    let uids: Vec<UserID> = vc.userids().map(|u| u.userid().clone()).collect();
    if uids.is_empty() {
        return Err(Error::new(
            ErrorCode::NoUsableKey,
            "the key has no valid user ID to sign",
        ));
    }
    let mut packets = Vec::new();
    for s in signers {
        let sv = crate::keys::usable(s, policy, "certify")?;
        let can_certify = sv
            .primary_key()
            .has_any_key_flag(openpgp::types::KeyFlags::empty().set_certification());
        if !can_certify {
            return Err(Error::new(
                ErrorCode::NoUsableKey,
                format!("key {} cannot certify", s.fingerprint()),
            ));
        }
        let mut signer = primary_signer(s, passphrases, policy, "signing user IDs")?;
        for u in &uids {
            let sig = u
                .certify(
                    &mut signer,
                    cert,
                    SignatureType::GenericCertification,
                    None,
                    policy.time(),
                )
                .map_err(|e| Error::from_op("signing user IDs", e))?;
            packets.push(Packet::from(sig));
        }
    }
    insert(cert, packets)
}
