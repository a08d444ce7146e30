//! Keys: generation, import/export, passphrase locking, revocation and
//! inspection.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use openpgp::cert::prelude::*;
use openpgp::crypto::Password;
use openpgp::packet::Signature;
use openpgp::parse::Parse;
use openpgp::serialize::{Serialize, SerializeInto};
use openpgp::types::{Features, ReasonForRevocation, RevocationStatus};
use openpgp::{Cert, Packet, Profile};
use sequoia_openpgp as openpgp;
use serde::Serialize as SerdeSerialize;

use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;
use crate::secret;

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

    fn suite(self) -> CipherSuite {
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
        self.suite().is_supported().is_ok()
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
    if let Err(e) = opts.key_type.suite().is_supported() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            format!(
                "key type {} is not supported by this build: {e}",
                opts.key_type.name()
            ),
        ));
    }
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

/// RFC 9580 §5.11 puts no bound on a user ID's length; we do, so a hostile
/// key cannot make us carry megabytes of "name".
pub const MAX_USER_ID_LEN: usize = 4096;

fn check_user_id(uid: &str) -> Result<()> {
    if uid.is_empty() {
        return Err(Error::invalid("a user ID must not be empty"));
    }
    if uid.len() > MAX_USER_ID_LEN {
        return Err(Error::invalid(format!(
            "a user ID must be at most {MAX_USER_ID_LEN} bytes"
        )));
    }
    if uid.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(
            "a user ID must not contain control characters",
        ));
    }
    Ok(())
}

/// Reads one certificate or secret key, armored or binary.
pub fn read_cert(data: &[u8]) -> Result<Cert> {
    if data.is_empty() {
        return Err(Error::new(ErrorCode::MalformedInput, "key: empty input"));
    }
    let cert = Cert::from_bytes(data).map_err(|e| Error::from_parse("key", e))?;
    check_read_limits(&cert)?;
    Ok(cert)
}

/// Limits on keys read from outside: no user ID longer than
/// [`MAX_USER_ID_LEN`] (`LIMIT_EXCEEDED`).
fn check_read_limits(cert: &Cert) -> Result<()> {
    if let Some(long) = cert
        .userids()
        .map(|u| u.userid().value().len())
        .find(|&n| n > MAX_USER_ID_LEN)
    {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!("key: a user ID of {long} bytes exceeds the limit of {MAX_USER_ID_LEN}"),
        ));
    }
    Ok(())
}

/// Reads a keyring: any number of certificates, armored or binary.
pub fn read_certs(data: &[u8]) -> Result<Vec<Cert>> {
    if data.is_empty() {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "keyring: empty input",
        ));
    }
    let parser = CertParser::from_bytes(data).map_err(|e| Error::from_parse("keyring", e))?;
    let mut certs = Vec::new();
    for c in parser {
        let cert = c.map_err(|e| Error::from_parse("keyring", e))?;
        check_read_limits(&cert)?;
        certs.push(cert);
    }
    if certs.is_empty() {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "keyring: no certificate found",
        ));
    }
    Ok(certs)
}

/// Serializes a certificate.  With `secret`, includes secret key material
/// (as it is: locked stays locked); otherwise only the public certificate.
pub fn write_cert(cert: &Cert, secret: bool, armor: bool) -> Result<Vec<u8>> {
    let r = match (secret, armor) {
        (true, true) => cert.as_tsk().armored().to_vec(),
        (true, false) => cert.as_tsk().to_vec(),
        (false, true) => cert.armored().to_vec(),
        (false, false) => cert.to_vec(),
    };
    r.map_err(|e| Error::from_op("key serialization", e))
}

/// The public certificate of a (secret) key.
pub fn public_cert(cert: &Cert) -> Cert {
    cert.clone().strip_secret_key_material()
}

/// Whether any secret key material is present.
pub fn is_secret(cert: &Cert) -> bool {
    cert.is_tsk()
}

/// Whether any secret key material is still encrypted.
pub fn is_locked(cert: &Cert) -> bool {
    cert.keys()
        .secret()
        .any(|k| !k.key().has_unencrypted_secret())
}

/// Decrypts every locked secret key with `passphrase`.  Fails with
/// `BAD_PASSPHRASE` if any locked key does not open with it.
pub fn unlock(cert: &Cert, passphrase: &Password, policy: &Policy) -> Result<Cert> {
    if !cert.is_tsk() {
        return Err(Error::invalid("not a secret key"));
    }
    let mut packets: Vec<Packet> = Vec::new();
    for ka in cert.keys().secret() {
        if ka.key().has_unencrypted_secret() {
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
        let k = ka
            .key()
            .clone()
            .role_into_unspecified()
            .encrypt_secret(passphrase)
            .map_err(|e| Error::from_op("locking a key", e))?;
        packets.push(to_packet(k, ka.primary()));
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

fn insert(cert: &Cert, packets: Vec<Packet>) -> Result<Cert> {
    // insert_packets replaces a key's secret material when the public
    // parts are equal, which is exactly the case here.
    cert.clone()
        .insert_packets(packets)
        .map(|(c, _)| c)
        .map_err(|e| Error::from_op("updating a key", e))
}

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

fn revocation_cert_bytes(cert: &Cert, sig: Signature) -> Result<Vec<u8>> {
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
    /// Whether secret material is present.
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
            let (has_secret, secret_locked) = match key.optional_secret() {
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
        .map_err(|_| unusable("not valid under the policy"))?;
    if let RevocationStatus::Revoked(_) = vc.revocation_status() {
        return Err(unusable("revoked"));
    }
    vc.alive()
        .map_err(|_| unusable("expired or not yet valid"))?;
    Ok(vc)
}

/// The email address of a user ID (`Name <addr>` or a bare `addr`), as
/// written.  Ours rather than sequoia's `UserID::email`: that one parses
/// with a regular expression, and calling it links the `regex` crate and its
/// Unicode tables into the wasm (about 15% of the module).
pub fn userid_email(uid: &openpgp::packet::UserID) -> Option<String> {
    let text = std::str::from_utf8(uid.value()).ok()?.trim();
    let addr = match (text.rfind('<'), text.ends_with('>')) {
        (Some(lt), true) => &text[lt + 1..text.len() - 1],
        _ => text,
    };
    let ok = addr.matches('@').count() == 1
        && !addr.starts_with('@')
        && !addr.ends_with('@')
        && !addr
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c));
    ok.then(|| addr.to_owned())
}

/// [`userid_email`], lowercased for comparison.
pub fn userid_email_normalized(uid: &openpgp::packet::UserID) -> Option<String> {
    userid_email(uid).map(|a| a.to_lowercase())
}

#[cfg(test)]
mod userid_tests {
    use super::*;
    use openpgp::packet::UserID;

    #[test]
    fn emails_match_sequoias_for_the_usual_forms() {
        for (uid, want) in [
            ("Alice <alice@example.org>", Some("alice@example.org")),
            ("alice@example.org", Some("alice@example.org")),
            ("Bob (work) <Bob@Example.ORG>", Some("Bob@Example.ORG")),
            (
                "a1ebd68d-8c77@autocrypt.org",
                Some("a1ebd68d-8c77@autocrypt.org"),
            ),
            ("No Address", None),
            ("Broken <not an address>", None),
            ("<@example.org>", None),
        ] {
            let u = UserID::from(uid);
            assert_eq!(userid_email(&u).as_deref(), want, "{uid}");
            if want.is_some() {
                assert_eq!(
                    userid_email(&u).map(|a| a.to_lowercase()),
                    u.email_normalized().ok().flatten(),
                    "{uid}: same as sequoia's"
                );
            }
        }
    }
}
