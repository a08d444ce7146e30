//! Inspection: what a certificate is, as data ([`KeyInfo`]): validity,
//! revocation, user IDs and every (sub)key's capabilities.

use std::time::{SystemTime, UNIX_EPOCH};

use openpgp::cert::prelude::*;
use openpgp::types::RevocationStatus;
use openpgp::Cert;
use sequoia_openpgp as openpgp;
use serde::Serialize as SerdeSerialize;

use super::{is_locked, userid_email};
use crate::error::Error;
use crate::policy::Policy;

/// What a key is, as data.  Times are seconds since the Unix epoch.
#[derive(Clone, Debug, SerdeSerialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    /// Primary key fingerprint, upper-case hex.
    pub fingerprint: String,
    /// Primary key ID, upper-case hex.
    pub key_id: String,
    /// Key version: 4 or 6.
    pub version: u8,
    /// Whether secret key material is present.
    pub is_secret: bool,
    /// Whether any secret key material is encrypted (locked).
    pub is_locked: bool,
    /// Primary key creation time.
    pub created: u64,
    /// Expiration time of the certificate, if any.
    pub expires: Option<u64>,
    /// `"not_revoked"`, `"revoked"` or `"maybe_revoked"` (a third-party
    /// revocation we cannot check).
    pub revocation: &'static str,
    /// Whether the certificate is valid now under the policy (not expired,
    /// not revoked, acceptable algorithms and self-signatures).
    pub valid: bool,
    /// Why not, if `valid` is false.
    pub invalid_reason: Option<String>,
    /// User IDs (valid ones first: the primary one first of all).
    pub user_ids: Vec<UserIdInfo>,
    /// The primary key and all subkeys, primary first.
    pub keys: Vec<SubkeyInfo>,
}

/// A user ID and its state.
#[derive(Clone, Debug, SerdeSerialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct UserIdInfo {
    /// The user ID as text (lossy UTF-8).
    pub user_id: String,
    /// The e-mail address in it, if one parses.
    pub email: Option<String>,
    /// Whether it is the primary user ID.
    pub primary: bool,
    /// Whether it is validly bound and not revoked.
    pub valid: bool,
    /// Whether it was revoked.
    pub revoked: bool,
}

/// A (sub)key and its state.
#[derive(Clone, Debug, SerdeSerialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SubkeyInfo {
    /// Fingerprint, upper-case hex.
    pub fingerprint: String,
    /// Key ID, upper-case hex.
    pub key_id: String,
    /// Public-key algorithm, e.g. `"EdDSA"`, `"X25519"`, `"RSA"`.
    pub algorithm: String,
    /// Curve name for ECC keys.
    pub curve: Option<String>,
    /// Key size in bits, where meaningful.
    pub bits: Option<usize>,
    /// Whether this is the primary key.
    pub primary: bool,
    /// Capabilities under the current binding signature.
    pub flags: KeyFlagsInfo,
    /// Creation time.
    pub created: u64,
    /// Expiration time, if any.
    pub expires: Option<u64>,
    /// Whether it was revoked.
    pub revoked: bool,
    /// Whether it is usable now under the policy.
    pub valid: bool,
    /// Whether secret material is present (a GnuPG stub, such as an
    /// offline primary key or one on a smartcard, is not).
    pub has_secret: bool,
    /// Whether the secret material is encrypted.
    pub secret_locked: bool,
}

/// Key capabilities.
#[derive(Clone, Debug, Default, SerdeSerialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct KeyFlagsInfo {
    /// May certify other keys and user IDs.
    pub certify: bool,
    /// May sign data.
    pub sign: bool,
    /// May encrypt communications.
    pub encrypt_communications: bool,
    /// May encrypt storage.
    pub encrypt_storage: bool,
    /// May authenticate.
    pub authenticate: bool,
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Describes a certificate under `policy`.
pub fn inspect(cert: &Cert, policy: &Policy) -> KeyInfo {
    let p = policy.standard();
    let t = policy.time();
    let vc = cert.with_policy(p, t);
    let (valid, invalid_reason) = match &vc {
        Ok(vc) => match vc.alive() {
            Ok(()) => match vc.revocation_status() {
                RevocationStatus::Revoked(_) => (false, Some("revoked".to_string())),
                _ => (true, None),
            },
            Err(_) => (false, Some("expired or not yet valid".to_string())),
        },
        Err(e) => (
            false,
            Some(
                Error::from_parse("key", anyhow::anyhow!("{e}"))
                    .message()
                    .to_string(),
            ),
        ),
    };
    let revocation = match cert.revocation_status(p, t) {
        RevocationStatus::Revoked(_) => "revoked",
        RevocationStatus::CouldBe(_) => "maybe_revoked",
        RevocationStatus::NotAsFarAsWeKnow => "not_revoked",
    };
    let expires = vc
        .as_ref()
        .ok()
        .and_then(|vc| vc.primary_key().key_expiration_time())
        .map(secs);

    let primary_uid = vc
        .as_ref()
        .ok()
        .and_then(|vc| vc.primary_userid().ok())
        .map(|u| u.userid().clone());
    let mut user_ids: Vec<UserIdInfo> = cert
        .userids()
        .map(|ua| {
            let uid = ua.userid();
            let valid_ua = vc
                .as_ref()
                .ok()
                .and_then(|vc| vc.userids().find(|v| v.userid() == uid));
            let revoked = matches!(ua.revocation_status(p, t), RevocationStatus::Revoked(_));
            UserIdInfo {
                user_id: String::from_utf8_lossy(uid.value()).into_owned(),
                email: userid_email(uid),
                primary: primary_uid.as_ref() == Some(uid),
                valid: valid_ua.is_some() && !revoked,
                revoked,
            }
        })
        .collect();
    user_ids.sort_by_key(|u| (!u.primary, !u.valid));

    let keys = cert
        .keys()
        .map(|ka| {
            let key = ka.key();
            let vka = vc.as_ref().ok().and_then(|vc| {
                vc.keys()
                    .find(|v| v.key().fingerprint() == key.fingerprint())
            });
            let flags = vka
                .as_ref()
                .and_then(|v| v.key_flags())
                .map(|f| KeyFlagsInfo {
                    certify: f.for_certification(),
                    sign: f.for_signing(),
                    encrypt_communications: f.for_transport_encryption(),
                    encrypt_storage: f.for_storage_encryption(),
                    authenticate: f.for_authentication(),
                });
            let revoked = vka
                .as_ref()
                .map(|v| matches!(v.revocation_status(), RevocationStatus::Revoked(_)))
                .unwrap_or(false);
            let key_valid =
                vka.as_ref().map(|v| v.alive().is_ok()).unwrap_or(false) && !revoked && valid;
            // A GnuPG stub (offline primary, divert-to-card) holds no secret.
            let (has_secret, secret_locked) = match key.optional_secret() {
                Some(s) if crate::secret::is_stub(s) => (false, false),
                Some(s) => (
                    true,
                    !matches!(s, openpgp::packet::key::SecretKeyMaterial::Unencrypted(_)),
                ),
                None => (false, false),
            };
            SubkeyInfo {
                fingerprint: key.fingerprint().to_hex(),
                key_id: key.keyid().to_hex(),
                algorithm: format!("{}", key.pk_algo()),
                curve: curve_of(key.mpis()),
                bits: key.mpis().bits(),
                primary: ka.primary(),
                flags: flags.unwrap_or_default(),
                created: secs(key.creation_time()),
                expires: vka.as_ref().and_then(|v| v.key_expiration_time()).map(secs),
                revoked,
                valid: key_valid,
                has_secret,
                secret_locked,
            }
        })
        .collect();

    KeyInfo {
        fingerprint: cert.fingerprint().to_hex(),
        key_id: cert.keyid().to_hex(),
        version: cert.primary_key().key().version(),
        is_secret: cert.is_tsk(),
        is_locked: is_locked(cert),
        created: secs(cert.primary_key().key().creation_time()),
        expires,
        revocation,
        valid,
        invalid_reason,
        user_ids,
        keys,
    }
}

fn curve_of(mpis: &openpgp::crypto::mpi::PublicKey) -> Option<String> {
    use openpgp::crypto::mpi::PublicKey as P;
    match mpis {
        P::EdDSA { curve, .. } | P::ECDSA { curve, .. } | P::ECDH { curve, .. } => {
            Some(curve.to_string())
        }
        _ => None,
    }
}
