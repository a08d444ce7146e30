//! Key generation: the key types sealpost makes, their options, and
//! [`generate`] (primary for certification, a signing and an encryption subkey).

use std::time::{Duration, SystemTime};

use openpgp::cert::prelude::*;
use openpgp::crypto::Password;
use openpgp::types::Features;
use openpgp::{Cert, Profile};
use sequoia_openpgp as openpgp;

use super::revoke::revocation_cert_bytes;
use super::userid::check_user_id;
use crate::error::{Error, ErrorCode, Result};

/// The key types sealpost generates.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    /// Curve25519 (EdDSA + ECDH), the most widely interoperable modern key.
    Curve25519,
    /// Curve448 (Ed448 + X448).
    Curve448,
    /// RSA with 3072-bit moduli.
    Rsa3072,
    /// RSA with 4096-bit moduli.
    Rsa4096,
    /// NIST P-256 (ECDSA + ECDH).
    P256,
    /// NIST P-384 (ECDSA + ECDH).
    P384,
    /// NIST P-521 (ECDSA + ECDH).
    P521,
    /// Post-quantum composite: ML-DSA-65+Ed25519 signing, ML-KEM-768+X25519
    /// encryption (RFC 9980).  v6 only.
    PqcMlDsa65Ed25519,
    /// Post-quantum composite: ML-DSA-87+Ed448 signing, ML-KEM-1024+X448
    /// encryption (RFC 9980).  v6 only.
    PqcMlDsa87Ed448,
}

impl KeyType {
    /// Every key type, for capability reports.
    pub const ALL: &'static [KeyType] = &[
        KeyType::Curve25519,
        KeyType::Curve448,
        KeyType::Rsa3072,
        KeyType::Rsa4096,
        KeyType::P256,
        KeyType::P384,
        KeyType::P521,
        KeyType::PqcMlDsa65Ed25519,
        KeyType::PqcMlDsa87Ed448,
    ];

    /// Parses the names used across the API (`"curve25519"`, `"rsa4096"`,
    /// `"pqc-mldsa65-ed25519"`, ...).
    pub fn from_name(name: &str) -> Result<Self> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "curve25519" | "ed25519" | "cv25519" | "x25519" => KeyType::Curve25519,
            "curve448" | "ed448" | "x448" => KeyType::Curve448,
            "rsa3072" | "rsa" => KeyType::Rsa3072,
            "rsa4096" => KeyType::Rsa4096,
            "p256" | "nistp256" | "p-256" => KeyType::P256,
            "p384" | "nistp384" | "p-384" => KeyType::P384,
            "p521" | "nistp521" | "p-521" => KeyType::P521,
            "pqc-mldsa65-ed25519" | "mldsa65-ed25519" | "pqc" => KeyType::PqcMlDsa65Ed25519,
            "pqc-mldsa87-ed448" | "mldsa87-ed448" => KeyType::PqcMlDsa87Ed448,
            other => return Err(Error::invalid(format!("unknown key type {other:?}"))),
        })
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        match self {
            KeyType::Curve25519 => "curve25519",
            KeyType::Curve448 => "curve448",
            KeyType::Rsa3072 => "rsa3072",
            KeyType::Rsa4096 => "rsa4096",
            KeyType::P256 => "p256",
            KeyType::P384 => "p384",
            KeyType::P521 => "p521",
            KeyType::PqcMlDsa65Ed25519 => "pqc-mldsa65-ed25519",
            KeyType::PqcMlDsa87Ed448 => "pqc-mldsa87-ed448",
        }
    }

    pub(crate) fn suite(self) -> CipherSuite {
        match self {
            KeyType::Curve25519 => CipherSuite::Cv25519,
            KeyType::Curve448 => CipherSuite::Cv448,
            KeyType::Rsa3072 => CipherSuite::RSA3k,
            KeyType::Rsa4096 => CipherSuite::RSA4k,
            KeyType::P256 => CipherSuite::P256,
            KeyType::P384 => CipherSuite::P384,
            KeyType::P521 => CipherSuite::P521,
            KeyType::PqcMlDsa65Ed25519 => CipherSuite::MLDSA65_Ed25519,
            KeyType::PqcMlDsa87Ed448 => CipherSuite::MLDSA87_Ed448,
        }
    }

    /// The key version used when the caller does not choose: v6 where the
    /// algorithm only exists in RFC 9580 (Curve448 as Ed448/X448, PQC),
    /// v4 otherwise, because v4 is what GnuPG and most mail clients read.
    pub fn default_version(self) -> u8 {
        match self {
            KeyType::Curve448 | KeyType::PqcMlDsa65Ed25519 | KeyType::PqcMlDsa87Ed448 => 6,
            _ => 4,
        }
    }

    /// Whether this build can generate and use this key type.
    pub fn is_supported(self) -> bool {
        self.support().is_ok()
    }

    /// Whether the full build (every algorithm) can: this build can, or its
    /// error only says that this build left the algorithm out.
    pub fn is_supported_by_full_build(self) -> bool {
        self.support()
            .map_or_else(|e| e.missing_algorithm(), |()| true)
    }

    /// Why this build cannot generate this key type: UNSUPPORTED, marked
    /// [`Error::missing_algorithm`] where only this build lacks it.
    fn support(self) -> Result<()> {
        let Err(e) = self.suite().is_supported() else {
            return Ok(());
        };
        let message = format!(
            "key type {} is not supported by this build: {e}",
            self.name()
        );
        let lacking = e
            .downcast_ref::<sequoia_openpgp::Error>()
            .is_some_and(crate::error::build_lacks);
        Err(if lacking {
            Error::missing(message)
        } else {
            Error::new(ErrorCode::Unsupported, message)
        })
    }
}

/// Options for [`generate`].
#[derive(Clone, Debug)]
pub struct GenerateOptions {
    /// User IDs, e.g. `"Alice <alice@example.org>"`; the first is primary.
    pub user_ids: Vec<String>,
    /// The key type.
    pub key_type: KeyType,
    /// 4 (RFC 4880 keys, widest interoperability) or 6 (RFC 9580).
    /// `None` picks [`KeyType::default_version`].
    pub version: Option<u8>,
    /// Validity period from creation; `None` for no expiry.
    pub expires_in: Option<Duration>,
    /// Locks the secret key material with this passphrase.
    pub passphrase: Option<Password>,
    /// The creation time; `None` for now.
    pub creation_time: Option<SystemTime>,
    /// Whether a v4 key advertises SEIPDv2 (AEAD) support.  v6 keys always
    /// do.  Off by default for v4: GnuPG 2.2/2.4 and OpenPGP.js's defaults
    /// cannot read SEIPDv2, and senders pick the format from this flag.
    pub v4_aead: bool,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            user_ids: Vec::new(),
            key_type: KeyType::Curve25519,
            version: None,
            expires_in: None,
            passphrase: None,
            creation_time: None,
            v4_aead: false,
        }
    }
}

/// A freshly generated key.
#[derive(Clone, Debug)]
pub struct GeneratedKey {
    /// The secret key (locked if a passphrase was given).
    pub cert: Cert,
    /// The revocation certificate for the key (armored), to keep safe.
    pub revocation_certificate: Vec<u8>,
}

/// Generates a key: a certification-capable primary key, a signing subkey
/// and an encryption subkey, bound to the given user IDs.
pub fn generate(opts: &GenerateOptions) -> Result<GeneratedKey> {
    let version = opts
        .version
        .unwrap_or_else(|| opts.key_type.default_version());
    let profile = match version {
        4 => Profile::RFC4880,
        6 => Profile::RFC9580,
        v => {
            return Err(Error::invalid(format!(
                "key version must be 4 or 6, not {v}"
            )))
        }
    };
    opts.key_type.support()?;
    if version == 4
        && matches!(
            opts.key_type,
            KeyType::PqcMlDsa65Ed25519 | KeyType::PqcMlDsa87Ed448
        )
    {
        return Err(Error::invalid("post-quantum keys exist only as v6 keys"));
    }
    for uid in &opts.user_ids {
        check_user_id(uid)?;
    }
    if let Some(p) = &opts.passphrase {
        if p.map(|b| b.is_empty()) {
            return Err(Error::invalid(
                "an empty passphrase would not protect the key; omit it instead",
            ));
        }
    }

    let features = if version == 6 || opts.v4_aead {
        Features::empty().set_seipdv1().set_seipdv2()
    } else {
        Features::empty().set_seipdv1()
    };
    let mut b = CertBuilder::new()
        .set_cipher_suite(opts.key_type.suite())
        .set_profile(profile)
        .map_err(|e| Error::from_op("key generation", e))?
        .set_features(features)
        .map_err(|e| Error::from_op("key generation", e))?
        .set_primary_key_flags(openpgp::types::KeyFlags::empty().set_certification())
        .add_signing_subkey()
        .add_subkey(
            openpgp::types::KeyFlags::empty()
                .set_transport_encryption()
                .set_storage_encryption(),
            None,
            None,
        )
        .set_validity_period(opts.expires_in)
        .set_password(opts.passphrase.clone());
    // Creation time: sequoia backdates "now" slightly; an explicit time is
    // used as given (reproducible test keys).
    if let Some(t) = opts.creation_time {
        b = b.set_creation_time(t);
    }
    for uid in &opts.user_ids {
        b = b.add_userid(uid.as_str());
    }
    let (cert, rev) = b
        .generate()
        .map_err(|e| Error::from_op("key generation", e))?;
    let revocation_certificate = revocation_cert_bytes(&cert, rev)?;
    Ok(GeneratedKey {
        cert,
        revocation_certificate,
    })
}
