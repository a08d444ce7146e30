//! Rebinding a key's own key material (OpenPGP.js's `reformatKey`), adding
//! a fresh subkey (OpenPGP.js's `key.addSubkey`), and putting a locked
//! form's secret packets back under a key's new public parts (the JS
//! engine's export rule).

use std::time::Duration;

use openpgp::cert::prelude::*;
use openpgp::crypto::Password;
use openpgp::packet::key::{SecretParts, UnspecifiedRole};
use openpgp::packet::signature::SignatureBuilder;
use openpgp::packet::{Key, UserID};
use openpgp::types::{
    CompressionAlgorithm, Curve, Features, HashAlgorithm, KeyFlags, PublicKeyAlgorithm,
    SignatureType, SymmetricAlgorithm,
};
use openpgp::{Cert, Packet};
use sequoia_openpgp as openpgp;

use super::generate::KeyType;
use super::lock::insert;
use super::revoke::revocation_cert_bytes;
use super::userid::check_user_id;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;
use crate::secret;

/// Options for [`reformat`].
#[derive(Clone, Debug, Default)]
pub struct ReformatOptions {
    /// The user IDs to bind, the first one primary.  v4 keys need one.
    pub user_ids: Vec<String>,
    /// Validity of the primary key and of every subkey from its own
    /// creation time; `None`: never expires.
    pub expires_in: Option<Duration>,
    /// Advertise SEIPDv2 (AEAD) on a v4 key (v6 keys always do).
    pub v4_aead: bool,
}

/// A reformatted key and its new revocation certificate.
#[derive(Clone, Debug)]
pub struct Reformatted {
    /// The key (its secret material unlocked, as given).
    pub cert: Cert,
    /// A revocation certificate for it (armored).
    pub revocation_certificate: Vec<u8>,
}

fn unlocked_secret(
    key: &Key<openpgp::packet::key::PublicParts, UnspecifiedRole>,
    what: &str,
) -> Result<Key<SecretParts, UnspecifiedRole>> {
    let k = key.clone().parts_into_secret().map_err(|_| {
        Error::invalid(format!("{what} needs the secret key {}", key.fingerprint()))
    })?;
    if secret::is_stub(k.secret()) {
        return Err(Error::new(
            ErrorCode::Unsupported,
            format!(
                "secret key {} is a stub without key material",
                k.fingerprint()
            ),
        ));
    }
    if !k.has_unencrypted_secret() {
        return Err(Error::new(
            ErrorCode::KeyLocked,
            format!(
                "{what}: the secret key {} is locked: unlock it first",
                k.fingerprint()
            ),
        ));
    }
    Ok(k)
}

/// Key flags for a subkey being rebound: its newest binding's signing or
/// encryption capability (as OpenPGP.js keeps it), else what the algorithm
/// can do (encryption first).
fn subkey_flags(
    ka: &SubordinateKeyAmalgamation<'_, openpgp::packet::key::PublicParts>,
) -> KeyFlags {
    let newest = ka
        .self_signatures()
        .find(|s| s.typ() == SignatureType::SubkeyBinding);
    let flags = newest.and_then(|s| s.key_flags());
    let sign = KeyFlags::empty().set_signing();
    let encrypt = KeyFlags::empty()
        .set_transport_encryption()
        .set_storage_encryption();
    match flags {
        Some(f) if f.for_signing() => sign,
        Some(f) if f.for_transport_encryption() || f.for_storage_encryption() => encrypt,
        _ if ka.key().pk_algo().for_encryption() => encrypt,
        _ => sign,
    }
}

/// The self-signature properties OpenPGP.js's reformatKey writes (and
/// sequoia's generator): AES-256/128, SHA-512/256, no compression preferred,
/// the features, the primary key's flags and validity.
fn primary_template(
    typ: SignatureType,
    version: u8,
    opts: &ReformatOptions,
    policy: &Policy,
) -> Result<SignatureBuilder> {
    let features = if version == 6 || opts.v4_aead {
        Features::empty().set_seipdv1().set_seipdv2()
    } else {
        Features::empty().set_seipdv1()
    };
    let e = |e| Error::from_op("reformatting the key", e);
    SignatureBuilder::new(typ)
        .set_hash_algo(HashAlgorithm::SHA512)
        .set_signature_creation_time(policy.time())
        .map_err(e)?
        .set_features(features)
        .map_err(e)?
        .set_key_flags(KeyFlags::empty().set_certification().set_signing())
        .map_err(e)?
        .set_key_validity_period(opts.expires_in)
        .map_err(e)?
        .set_preferred_hash_algorithms(vec![HashAlgorithm::SHA512, HashAlgorithm::SHA256])
        .map_err(e)?
        .set_preferred_symmetric_algorithms(vec![
            SymmetricAlgorithm::AES256,
            SymmetricAlgorithm::AES128,
        ])
        .map_err(e)?
        .set_preferred_compression_algorithms(vec![
            CompressionAlgorithm::Uncompressed,
            CompressionAlgorithm::Zlib,
            CompressionAlgorithm::Zip,
        ])
        .map_err(e)
}

fn check_expiry(
    created: std::time::SystemTime,
    after: Option<Duration>,
    policy: &Policy,
    whose: &str,
) -> Result<()> {
    if let Some(d) = after {
        let at = created
            .checked_add(d)
            .ok_or_else(|| Error::invalid("the expiration time is out of range"))?;
        if at <= policy.time() {
            return Err(Error::invalid(format!(
                "keyExpirationTime puts the expiry of {whose} in the past (it counts from the key's creation time)"
            )));
        }
    }
    Ok(())
}

/// Rebinds the key's own key material (primary and subkeys, unchanged) with
/// new self-signatures, as OpenPGP.js's `reformatKey`: the given user IDs
/// (the first primary; every other user ID, certification and revocation
/// of the input is dropped), a new expiry for the primary key and each
/// subkey (counted from each key's creation), the primary key flagged to
/// certify and sign, each subkey keeping its signing or encryption role.
/// Every secret key must be unlocked (`KEY_LOCKED`).
pub fn reformat(cert: &Cert, opts: &ReformatOptions, policy: &Policy) -> Result<Reformatted> {
    let version = cert.primary_key().key().version();
    if !cert.is_tsk() || !cert.primary_key().key().has_secret() {
        return Err(Error::invalid("reformatting needs a private key"));
    }
    if version != 6 && opts.user_ids.is_empty() {
        return Err(Error::invalid("a v4 key needs at least one user ID"));
    }
    for uid in &opts.user_ids {
        check_user_id(uid)?;
    }
    let mut seen = std::collections::HashSet::new();
    if !opts.user_ids.iter().all(|u| seen.insert(u.as_str())) {
        return Err(Error::invalid("the same user ID is given twice"));
    }
    let primary = unlocked_secret(
        cert.primary_key().key().role_as_unspecified(),
        "reformatting",
    )?;
    check_expiry(
        primary.creation_time(),
        opts.expires_in,
        policy,
        "the primary key",
    )?;
    let mut subkeys = Vec::new();
    for ka in cert.keys().subkeys() {
        let k = unlocked_secret(ka.key().role_as_unspecified(), "reformatting")?;
        check_expiry(k.creation_time(), opts.expires_in, policy, "a subkey")?;
        subkeys.push((k, subkey_flags(&ka)));
    }
    let e = |e| Error::from_op("reformatting the key", e);
    let mut signer = primary.clone().into_keypair().map_err(e)?;
    let primary_packet = primary.clone().role_into_primary();
    let mut packets: Vec<Packet> = vec![primary_packet.clone().into()];
    if version == 6 {
        let sig = primary_template(SignatureType::DirectKey, version, opts, policy)?
            .sign_direct_key(&mut signer, primary_packet.parts_as_public())
            .map_err(e)?;
        packets.push(sig.into());
    }
    let skeleton = Cert::from_packets(packets.clone().into_iter()).map_err(e)?;
    for (i, uid) in opts.user_ids.iter().enumerate() {
        let uid = UserID::from(uid.as_str());
        let template =
            primary_template(SignatureType::PositiveCertification, version, opts, policy)?
                .set_primary_userid(i == 0)
                .map_err(e)?;
        let sig = uid.bind(&mut signer, &skeleton, template).map_err(e)?;
        packets.push(uid.into());
        packets.push(sig.into());
    }
    let mut new = Cert::from_packets(packets.into_iter()).map_err(e)?;
    let sk_packets = {
        let vc = new
            .with_policy(policy.standard(), policy.time())
            .map_err(|_| {
                Error::new(
                    ErrorCode::PolicyRejected,
                    "the reformatted key is not valid under the policy (its key algorithm?)",
                )
            })?;
        let mut out = Vec::new();
        for (k, flags) in &subkeys {
            let template = SignatureBuilder::new(SignatureType::SubkeyBinding)
                .set_signature_creation_time(policy.time())
                .map_err(e)?
                .set_key_flags(flags.clone())
                .map_err(e)?
                .set_key_validity_period(opts.expires_in)
                .map_err(e)?;
            let subkey = k.clone().role_into_subordinate();
            out.extend(
                SubkeyBuilder::new_with(vc.clone(), subkey, template)
                    .set_primary_key_signer(signer.clone())
                    .attach()
                    .map_err(e)?,
            );
        }
        out
    };
    new = new.insert_packets(sk_packets).map_err(e)?.0;
    let rev = CertRevocationBuilder::new()
        .set_reason_for_revocation(openpgp::types::ReasonForRevocation::Unspecified, b"")
        .map_err(e)?
        .build(&mut signer, &new, None)
        .map_err(e)?;
    let revocation_certificate = revocation_cert_bytes(&new, rev)?;
    Ok(Reformatted {
        cert: new,
        revocation_certificate,
    })
}

/// Options for [`add_subkey`].
#[derive(Clone, Debug, Default)]
pub struct SubkeyOptions {
    /// The key type; `None`: the primary key's own (RSA keeps its size).
    pub key_type: Option<KeyType>,
    /// A signing subkey (with its primary key binding signature) instead of
    /// an encryption subkey.
    pub sign: bool,
    /// Validity from the subkey's creation; `None`: the subkey sets none.
    pub expires_in: Option<Duration>,
}

/// The key type of a primary key, for the subkeys added to it.
fn key_type_of(
    k: &Key<openpgp::packet::key::PublicParts, openpgp::packet::key::PrimaryRole>,
) -> Result<KeyType> {
    use openpgp::crypto::mpi::PublicKey as Mpi;
    Ok(match (k.pk_algo(), k.mpis()) {
        (PublicKeyAlgorithm::RSAEncryptSign, _) => {
            if k.mpis().bits().unwrap_or(0) > 3072 {
                KeyType::Rsa4096
            } else {
                KeyType::Rsa3072
            }
        }
        (PublicKeyAlgorithm::Ed25519 | PublicKeyAlgorithm::EdDSA, _) => KeyType::Curve25519,
        (PublicKeyAlgorithm::Ed448, _) => KeyType::Curve448,
        (PublicKeyAlgorithm::ECDSA, Mpi::ECDSA { curve, .. }) => match curve {
            Curve::NistP256 => KeyType::P256,
            Curve::NistP384 => KeyType::P384,
            Curve::NistP521 => KeyType::P521,
            c => {
                return Err(Error::new(
                    ErrorCode::Unsupported,
                    format!("no subkey type for a primary key on {c}: give a type"),
                ))
            }
        },
        (PublicKeyAlgorithm::MLDSA65_Ed25519, _) => KeyType::PqcMlDsa65Ed25519,
        (PublicKeyAlgorithm::MLDSA87_Ed448, _) => KeyType::PqcMlDsa87Ed448,
        (a, _) => {
            return Err(Error::new(
                ErrorCode::Unsupported,
                format!("no subkey type for a {a} primary key: give a type"),
            ))
        }
    })
}

/// Adds a freshly generated subkey (OpenPGP.js's `key.addSubkey`), bound by
/// the (unlocked) primary key; a signing subkey also carries its primary
/// key binding signature.  The subkey's version is the primary key's; its
/// secret is unlocked (lock the whole key afterwards).
pub fn add_subkey(
    cert: &Cert,
    opts: &SubkeyOptions,
    passphrases: &[Password],
    policy: &Policy,
) -> Result<Cert> {
    let key_type = match opts.key_type {
        Some(t) => t,
        None => key_type_of(cert.primary_key().key())?,
    };
    let version = cert.primary_key().key().version();
    if version == 4
        && matches!(
            key_type,
            KeyType::PqcMlDsa65Ed25519 | KeyType::PqcMlDsa87Ed448
        )
    {
        return Err(Error::invalid("post-quantum subkeys exist only on v6 keys"));
    }
    if !key_type.is_supported() {
        return Err(Error::new(
            ErrorCode::Unsupported,
            format!(
                "key type {} is not supported by this build",
                key_type.name()
            ),
        ));
    }
    if opts.expires_in.is_some_and(|d| d.is_zero()) {
        return Err(Error::invalid("a subkey validity of zero seconds"));
    }
    let primary = cert
        .primary_key()
        .key()
        .clone()
        .parts_into_secret()
        .map_err(|_| Error::invalid("adding a subkey needs the secret primary key"))?;
    let signer = secret::keypair(primary.role_as_unspecified(), passphrases, policy)?;
    let vc = crate::keys::usable(cert, policy, "add a subkey")?;
    let flags = if opts.sign {
        KeyFlags::empty().set_signing()
    } else {
        KeyFlags::empty()
            .set_transport_encryption()
            .set_storage_encryption()
    };
    let e = |e| Error::from_op("adding a subkey", e);
    // Created now, not backdated as sequoia's builder does by default: senders (OpenPGP.js,
    // GnuPG) pick the newest subkey, and a backdated one would predate a key made a minute ago.
    let packets = KeyBuilder::new(flags)
        .set_cipher_suite(key_type.suite())
        .set_creation_time(policy.time())
        .subkey(vc)
        .map_err(e)?
        .set_key_validity_period(opts.expires_in)
        .map_err(e)?
        .set_primary_key_signer(signer)
        .attach()
        .map_err(e)?;
    insert(cert, packets)
}

/// `cert` with the secret packets of `from` (the same key material, e.g. a
/// locked form) for every key `from` holds a secret of; keys `from` does
/// not hold keep their own.  Public parts (user IDs, signatures, subkeys)
/// are `cert`'s alone.  A key of `from` whose public part differs:
/// `INVALID_ARGUMENT`.
pub fn with_secrets_of(cert: &Cert, from: &Cert) -> Result<Cert> {
    if cert.fingerprint() != from.fingerprint() {
        return Err(Error::invalid("the keys have different primary keys"));
    }
    let mut packets: Vec<Packet> = Vec::new();
    for ka in from.keys().secret() {
        let fp = ka.key().fingerprint();
        if !cert.keys().any(|k| k.key().fingerprint() == fp) {
            continue;
        }
        let k = ka.key().clone().role_into_unspecified();
        packets.push(if ka.primary() {
            Packet::from(k.role_into_primary())
        } else {
            Packet::from(k.role_into_subordinate())
        });
    }
    // Cert::insert_packets replaces a key's secret when the public key is equal.
    insert(&cert.clone().strip_secret_key_material(), packets).and_then(|stripped| {
        // Keys `from` has no secret for keep `cert`'s.
        let mut own: Vec<Packet> = Vec::new();
        for ka in cert.keys().secret() {
            let fp = ka.key().fingerprint();
            if from.keys().secret().any(|k| k.key().fingerprint() == fp) {
                continue;
            }
            let k = ka.key().clone().role_into_unspecified();
            own.push(if ka.primary() {
                Packet::from(k.role_into_primary())
            } else {
                Packet::from(k.role_into_subordinate())
            });
        }
        insert(&stripped, own)
    })
}
