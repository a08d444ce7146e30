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
