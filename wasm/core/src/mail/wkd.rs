//! Web Key Directory (draft-koch-openpgp-webkey-service): where to look up
//! an address's key, and which of the returned certificates to accept.
//!
//! The lookup itself is the platform's `fetch` (in the shim); this module
//! computes the URLs and checks the answer: only certificates valid under
//! the policy with a user ID for the looked-up address are returned.

use openpgp::types::HashAlgorithm;
use openpgp::Cert;
use sequoia_openpgp as openpgp;
use serde::Serialize;

use crate::error::{Error, ErrorCode, Result};
use crate::keys;
use crate::mail::{autocrypt, mime};
use crate::policy::Policy;

/// The largest WKD answer accepted.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

const ZBASE32: &[u8; 32] = b"ybndrfg8ejkmcpqxot1uwisza345h769";

/// z-base-32 (most significant bit first, no padding).
pub fn zbase32(data: &[u8]) -> String {
    let mut out = String::with_capacity((data.len() * 8).div_ceil(5));
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in data {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ZBASE32[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ZBASE32[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The lookup URLs for one address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WkdUrls {
    /// z-base-32 of the SHA-1 of the lowercased local part.
    pub hash: String,
    /// `https://openpgpkey.<domain>/.well-known/openpgpkey/<domain>/hu/<hash>?l=<local>`
    pub advanced: String,
    /// `https://<domain>/.well-known/openpgpkey/hu/<hash>?l=<local>`
    pub direct: String,
}

/// Computes the advanced and direct URLs for `address`.
pub fn urls(address: &str) -> Result<WkdUrls> {
    let address = address.trim();
    let (local, domain) = address
        .rsplit_once('@')
        .filter(|(l, d)| !l.is_empty() && !d.is_empty())
        .ok_or_else(|| Error::invalid("wkd: not an email address"))?;
    if !domain.is_ascii()
        || !domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return Err(Error::invalid(
            "wkd: the domain must be ASCII (use the xn-- form of international names)",
        ));
    }
    if local.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Error::invalid("wkd: not an email address"));
    }
    let domain = domain.to_ascii_lowercase();
    let mut ctx = HashAlgorithm::SHA1
        .context()
        .map_err(|_| Error::new(ErrorCode::Unsupported, "wkd: SHA-1 is not available"))?
        .for_digest();
    ctx.update(local.to_ascii_lowercase().as_bytes());
    let digest = ctx
        .into_digest()
        .map_err(|_| Error::new(ErrorCode::Internal, "wkd: hashing failed"))?;
    let hash = zbase32(&digest);
    let l = mime::percent_encode(local);
    Ok(WkdUrls {
        advanced: format!(
            "https://openpgpkey.{domain}/.well-known/openpgpkey/{domain}/hu/{hash}?l={l}"
        ),
        direct: format!("https://{domain}/.well-known/openpgpkey/hu/{hash}?l={l}"),
        hash,
    })
}

/// The certificates in a WKD answer that are valid and carry a user ID for
/// `address`; an error if there is none.
pub fn select(response: &[u8], address: &str, policy: &Policy) -> Result<Vec<Cert>> {
    if response.len() > MAX_RESPONSE_BYTES {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            "wkd: answer larger than 1 MiB",
        ));
    }
    let wanted = address.trim().to_lowercase();
    let certs: Vec<Cert> = keys::read_certs(response)?
        .into_iter()
        .filter(|c| autocrypt::has_address(c, &wanted, policy))
        .map(|c| keys::public_cert(&c))
        .collect();
    if certs.is_empty() {
        return Err(Error::new(
            ErrorCode::NoUsableKey,
            "wkd: no valid key with a user ID for this address",
        ));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_example() {
        // The example of draft-koch-openpgp-webkey-service §3.1.
        let u = urls("Joe.Doe@Example.ORG").unwrap();
        assert_eq!(u.hash, "iy9q119eutrkn8s1mk4r39qejnbu3n5q");
        assert_eq!(
            u.advanced,
            "https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe"
        );
        assert_eq!(
            u.direct,
            "https://example.org/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe"
        );
    }

    #[test]
    fn zbase32_vectors() {
        assert_eq!(zbase32(&[]), "");
        assert_eq!(zbase32(&[0; 5]), "yyyyyyyy");
        assert_eq!(zbase32(&[0xff; 5]), "99999999");
        // 0b10000: the fifth symbol; a final partial group is zero-padded.
        assert_eq!(zbase32(&[0b1000_0000]), "oy");
    }

    #[test]
    fn rejects() {
        assert!(urls("no-at-sign").is_err());
        assert!(urls("a@bü.de").is_err());
        assert!(urls("a b@c.de").is_err());
    }
}
