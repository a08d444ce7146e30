//! Reading certificates and keyrings (armored or binary, with our limits on
//! keys from outside) and writing them back.

use openpgp::cert::prelude::*;
use openpgp::parse::Parse;
use openpgp::serialize::SerializeInto;
use openpgp::Cert;
use sequoia_openpgp as openpgp;

use super::MAX_USER_ID_LEN;
use crate::error::{Error, ErrorCode, Result};

/// Reads one certificate or secret key, armored or binary.
pub fn read_cert(data: &[u8]) -> Result<Cert> {
    let cert = parse_cert("key", non_empty(data)?)?;
    check_read_limits(&cert)?;
    Ok(cert)
}

/// One certificate from outside, for a reader that relies only on what its
/// primary key signed (the guard's release key): a subkey of an algorithm
/// this build left out is dropped, not refused (this build could not check
/// what it signs, so it must not count), while a primary key of such an
/// algorithm is UNSUPPORTED + missing, as in [`read_cert`].  So a subkey
/// appended by a third party cannot keep the rest of the certificate (a
/// revocation) from being read.
pub fn read_cert_without_lacking_subkeys(data: &[u8]) -> Result<Cert> {
    let cert = parse_unchecked("key", non_empty(data)?)?;
    if crate::error::key_lacking(cert.primary_key().key()) {
        return Err(lacking(&cert));
    }
    let cert = cert.retain_subkeys(|ka| !crate::error::key_lacking(ka.key()));
    check_read_limits(&cert)?;
    Ok(cert)
}

fn non_empty(data: &[u8]) -> Result<&[u8]> {
    if data.is_empty() {
        return Err(Error::new(ErrorCode::MalformedInput, "key: empty input"));
    }
    Ok(data)
}

/// One certificate from outside (`what` names it in errors): its key packets
/// checked before sequoia sees them, then parsed.
pub(crate) fn parse_cert(what: &str, data: &[u8]) -> Result<Cert> {
    let cert = parse_unchecked(what, data)?;
    check_build_has(&cert)?;
    Ok(cert)
}

/// [`parse_cert`] without the check of the build's algorithms.
fn parse_unchecked(what: &str, data: &[u8]) -> Result<Cert> {
    check_key_packets(what, data)?;
    Cert::from_bytes(data).map_err(|e| Error::from_parse(what, e))
}

/// A certificate with a key of an algorithm this build left out (the
/// default wasm module) is UNSUPPORTED, marked [`Error::missing_algorithm`],
/// as soon as it is read: this build cannot check its self-signatures, so
/// whatever it said about the key (valid, revoked, its user IDs, what it can
/// do) could be wrong.  The full build reads it.
fn check_build_has(cert: &Cert) -> Result<()> {
    if crate::error::cert_lacking(cert) {
        return Err(lacking(cert));
    }
    Ok(())
}

fn lacking(cert: &Cert) -> Error {
    Error::missing(format!(
        "certificate {}: its algorithm is not in this build",
        cert.fingerprint()
    ))
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

/// The largest public part of a v4 key packet: its fingerprint (and every
/// signature over it) hashes the length in two octets (RFC 9580 §5.5.4).
pub const MAX_V4_KEY_PUBLIC_LEN: usize = 0xFFFF;

/// Refuses, before sequoia builds a certificate, any v4 key packet whose
/// public part is longer than [`MAX_V4_KEY_PUBLIC_LEN`].  sequoia-openpgp
/// 2.4.2 panics computing such a key's fingerprint ("v4 key hashing is
/// infallible: out of range integral type conversion"), which in wasm traps
/// the instance: a certificate with a big unknown-algorithm subkey would be
/// a denial of service for anyone who reads it.  Parsing the packets does
/// not compute fingerprints; building the certificate does.  Input sequoia
/// cannot parse at all is left to the real parser to report.
fn check_key_packets(what: &str, data: &[u8]) -> Result<()> {
    use openpgp::packet::Key;
    use openpgp::parse::{PacketParser, PacketParserResult};
    use openpgp::serialize::MarshalInto;
    use openpgp::Packet;
    let Ok(mut ppr) = PacketParser::from_bytes(data) else {
        return Ok(());
    };
    while let PacketParserResult::Some(pp) = ppr {
        // The v4 public part: version, creation time and algorithm (6
        // octets), then the public key material.
        let public_len = match &pp.packet {
            Packet::PublicKey(Key::V4(k)) => Some(6 + k.mpis().serialized_len()),
            Packet::PublicSubkey(Key::V4(k)) => Some(6 + k.mpis().serialized_len()),
            Packet::SecretKey(Key::V4(k)) => Some(6 + k.mpis().serialized_len()),
            Packet::SecretSubkey(Key::V4(k)) => Some(6 + k.mpis().serialized_len()),
            _ => None,
        };
        if let Some(n) = public_len.filter(|&n| n > MAX_V4_KEY_PUBLIC_LEN) {
            return Err(Error::new(
                ErrorCode::MalformedInput,
                format!(
                    "{what}: a v4 key packet of {n} bytes exceeds the {MAX_V4_KEY_PUBLIC_LEN} \
                     its fingerprint can cover (RFC 9580 §5.5.4)"
                ),
            ));
        }
        ppr = match pp.next() {
            Ok((_, next)) => next,
            Err(_) => return Ok(()),
        };
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
    check_key_packets("keyring", data)?;
    let parser = CertParser::from_bytes(data).map_err(|e| Error::from_parse("keyring", e))?;
    let mut certs = Vec::new();
    for c in parser {
        let cert = c.map_err(|e| Error::from_parse("keyring", e))?;
        check_build_has(&cert)?;
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
