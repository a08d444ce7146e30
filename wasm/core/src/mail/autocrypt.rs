//! Autocrypt Level 1: the `Autocrypt:` and `Autocrypt-Gossip:` header
//! fields.
//!
//! Writing: the key data is the smallest certificate that does the job —
//! the primary key, the user ID for the address, the newest valid
//! encryption subkey and, when the primary key cannot sign (sealpost's own
//! keys: it only certifies), the newest valid signing subkey, each with its
//! self-signatures (the signing subkey with its back signature), so that a
//! correspondent who learns the key from a header can check the sender's
//! signatures too.  Reading: a header
//! with an unknown attribute that does not start with `_` is invalid and
//! ignored (as the spec says), and a sender header counts only when it is
//! the single valid one for the `From` address.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use openpgp::cert::amalgamation::ValidAmalgamation;
use openpgp::serialize::SerializeInto;
use openpgp::types::RevocationStatus;
use openpgp::Cert;
use sequoia_openpgp as openpgp;
use serde::Serialize;

use crate::error::{Error, ErrorCode, Result};
use crate::keys;
use crate::policy::Policy;

/// The largest key data accepted in one header.
pub const MAX_KEYDATA_BYTES: usize = 64 * 1024;

/// One parsed Autocrypt (or gossip) header.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Autocrypt {
    /// The address the key is for, as written.
    pub addr: String,
    /// `mutual` or `nopreference`.
    pub prefer_encrypt: String,
    /// The certificate's fingerprint.
    pub fingerprint: String,
    /// Whether the key has a user ID for `addr`.
    pub user_id_matches: bool,
    /// The certificate.
    #[serde(skip)]
    pub cert: Cert,
}

/// The lowercased email addresses of a certificate's valid, unrevoked user
/// IDs; empty if the certificate is not valid under the policy.
pub fn addresses(cert: &Cert, policy: &Policy) -> Vec<String> {
    let Ok(vc) = cert.with_policy(policy.standard(), policy.time()) else {
        return Vec::new();
    };
    vc.userids()
        .filter(|u| !matches!(u.revocation_status(), RevocationStatus::Revoked(_)))
        .filter_map(|u| keys::userid_email_normalized(u.userid()))
        .collect()
}

/// Whether the certificate has a valid user ID for `addr` (lowercase).
pub fn has_address(cert: &Cert, addr: &str, policy: &Policy) -> bool {
    addresses(cert, policy).iter().any(|a| a == addr)
}

/// The minimal certificate for `addr`: primary key, that user ID, the
/// newest valid encryption subkey, and the newest valid signing subkey when
/// the primary key is not signing-capable.
pub fn minimal_cert(cert: &Cert, addr: &str, policy: &Policy) -> Result<Cert> {
    let addr = addr.to_lowercase();
    let vc = cert
        .with_policy(policy.standard(), policy.time())
        .map_err(|_| Error::new(ErrorCode::NoUsableKey, "autocrypt: the key is not valid"))?;
    let uid = vc
        .userids()
        .filter(|u| !matches!(u.revocation_status(), RevocationStatus::Revoked(_)))
        .find(|u| keys::userid_email_normalized(u.userid()).as_deref() == Some(&addr))
        .map(|u| u.userid().clone())
        .ok_or_else(|| {
            Error::new(
                ErrorCode::NoUsableKey,
                "autocrypt: the key has no user ID for this address",
            )
        })?;
    let sub = vc
        .keys()
        .subkeys()
        .alive()
        .revoked(false)
        .for_transport_encryption()
        .max_by_key(|k| k.key().creation_time())
        .map(|k| k.key().fingerprint())
        .ok_or_else(|| {
            Error::new(
                ErrorCode::NoUsableKey,
                "autocrypt: the key has no valid encryption subkey",
            )
        })?;
    let primary_signs = vc.primary_key().for_signing();
    let signer = if primary_signs {
        None
    } else {
        vc.keys()
            .subkeys()
            .alive()
            .revoked(false)
            .for_signing()
            .max_by_key(|k| k.key().creation_time())
            .map(|k| k.key().fingerprint())
    };
    Ok(keys::public_cert(cert)
        .retain_userids(|u| *u.userid() == uid)
        .retain_user_attributes(|_| false)
        .retain_subkeys(|k| {
            let f = k.key().fingerprint();
            f == sub || signer.as_ref() == Some(&f)
        }))
}

/// An `Autocrypt:` header value (folded, without the field name).
pub fn header_value(
    addr: &str,
    cert: &Cert,
    prefer_mutual: bool,
    policy: &Policy,
) -> Result<String> {
    let minimal = minimal_cert(cert, addr, policy)?;
    let data = minimal
        .to_vec()
        .map_err(|_| Error::new(ErrorCode::Internal, "autocrypt: cannot serialize the key"))?;
    let mut v = format!("addr={addr};");
    if prefer_mutual {
        v.push_str(" prefer-encrypt=mutual;");
    }
    v.push_str(" keydata=");
    let encoded = B64.encode(data);
    for chunk in encoded.as_bytes().chunks(76) {
        v.push_str("\r\n ");
        v.push_str(std::str::from_utf8(chunk).unwrap_or_default());
    }
    Ok(v)
}

fn bad(what: &str) -> Error {
    Error::new(ErrorCode::MalformedInput, format!("autocrypt: {what}"))
}

/// Parses one header value (the part after `Autocrypt:`).
pub fn parse(value: &str, policy: &Policy) -> Result<Autocrypt> {
    let (mut addr, mut prefer, mut keydata) = (None, None, None);
    for attr in value.split(';') {
        let attr = attr.trim();
        if attr.is_empty() {
            continue;
        }
        let (name, val) = attr
            .split_once('=')
            .ok_or_else(|| bad("attribute without '='"))?;
        let (name, val) = (name.trim(), val.trim());
        let slot = match name {
            "addr" => &mut addr,
            "prefer-encrypt" => &mut prefer,
            "keydata" => &mut keydata,
            n if n.starts_with('_') => continue,
            _ => return Err(bad("unknown critical attribute")),
        };
        if slot.replace(val.to_owned()).is_some() {
            return Err(bad("repeated attribute"));
        }
    }
    let addr = addr.ok_or_else(|| bad("no addr attribute"))?;
    let keydata = keydata.ok_or_else(|| bad("no keydata attribute"))?;
    let clean: String = keydata.chars().filter(|c| !c.is_whitespace()).collect();
    if clean.len() / 4 * 3 > MAX_KEYDATA_BYTES {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            "autocrypt: keydata too large",
        ));
    }
    let bytes = B64
        .decode(clean)
        .map_err(|_| bad("keydata is not base64"))?;
    let cert = crate::keys::parse_cert("autocrypt keydata", &bytes)?;
    let vc = cert
        .with_policy(policy.standard(), policy.time())
        .map_err(|_| Error::new(ErrorCode::NoUsableKey, "autocrypt: the key is not valid"))?;
    if vc
        .keys()
        .alive()
        .revoked(false)
        .for_transport_encryption()
        .next()
        .is_none()
    {
        return Err(Error::new(
            ErrorCode::NoUsableKey,
            "autocrypt: the key cannot encrypt",
        ));
    }
    let lower = addr.to_lowercase();
    Ok(Autocrypt {
        user_id_matches: has_address(&cert, &lower, policy),
        prefer_encrypt: if prefer.as_deref() == Some("mutual") {
            "mutual".to_owned()
        } else {
            "nopreference".to_owned()
        },
        fingerprint: cert.fingerprint().to_hex(),
        addr,
        cert,
    })
}

/// The sender's Autocrypt state from a message's `Autocrypt:` values: the
/// one valid header for `from`, or nothing (none, or more than one).
pub fn from_headers(values: &[&str], from: &str, policy: &Policy) -> Option<Autocrypt> {
    let from = from.to_lowercase();
    let mut valid: Vec<Autocrypt> = values
        .iter()
        .filter_map(|v| parse(v, policy).ok())
        .filter(|a| a.addr.to_lowercase() == from)
        .collect();
    if valid.len() == 1 {
        valid.pop()
    } else {
        None
    }
}
