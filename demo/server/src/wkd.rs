//! A Web Key Directory for the demo's local users (draft-koch-openpgp-webkey-service).
//!
//! A logged-in user (IMAP mode) publishes their public key with `PUT /api/wkd`;
//! the server keeps it only if it is a valid certificate with a user ID for the
//! session's address (sealpost-core's WKD check, the same the browser applies
//! to an answer) and stores it without any secret part.  It answers
//! `/.well-known/openpgpkey/hu/<hash>` (direct) and
//! `/.well-known/openpgpkey/<domain>/hu/<hash>` (advanced), plus an empty
//! `policy` file.  Kept in memory: a restart forgets what was published.

use std::collections::HashMap;
use std::sync::Mutex;

use sealpost_core::mail::wkd;
use sealpost_core::Policy;

/// The largest key accepted for publication.
pub const MAX_KEY: usize = 64 * 1024;

/// (domain, z-base-32 hash of the local part) → the binary certificate(s).
#[derive(Default)]
pub struct Directory {
    keys: Mutex<HashMap<(String, String), Vec<u8>>>,
}

impl Directory {
    /// Publishes `key` for `address`; `Err(code, message)` if it is not a
    /// valid public key for that address.
    pub fn publish(&self, address: &str, key: &[u8]) -> Result<(), (&'static str, String)> {
        if key.len() > MAX_KEY {
            return Err(("KEY_TOO_LARGE", "the key is larger than 64 KiB".into()));
        }
        let urls = wkd::urls(address).map_err(|e| ("NOT_AN_ADDRESS", e.message().to_owned()))?;
        let certs = wkd::select(key, address, &Policy::default())
            .map_err(|e| (e.code().as_str(), e.message().to_owned()))?;
        let mut out = Vec::new();
        for c in &certs {
            let bytes = sealpost_core::keys::write_cert(c, false, false)
                .map_err(|e| (e.code().as_str(), e.message().to_owned()))?;
            out.extend_from_slice(&bytes);
        }
        let domain = address
            .rsplit_once('@')
            .map(|(_, d)| d.to_ascii_lowercase())
            .unwrap_or_default();
        if let Ok(mut keys) = self.keys.lock() {
            keys.insert((domain, urls.hash), out);
        }
        Ok(())
    }

    /// The answer for a `/.well-known/openpgpkey/…` path, if any.
    pub fn lookup(&self, path: &str) -> Option<Vec<u8>> {
        let rest = path.strip_prefix("/.well-known/openpgpkey/")?;
        let (domain, hash) = match rest.split('/').collect::<Vec<_>>().as_slice() {
            ["hu", hash] => (None, *hash),
            [domain, "hu", hash] => (Some(domain.to_ascii_lowercase()), *hash),
            _ => return None,
        };
        let keys = self.keys.lock().ok()?;
        let mut found = keys
            .iter()
            .filter(|((d, h), _)| h == hash && domain.as_ref().is_none_or(|want| want == d));
        let first = found.next()?;
        // The direct method does not name the domain: answer only if one matches.
        if domain.is_none() && found.next().is_some() {
            return None;
        }
        Some(first.1.clone())
    }
}

/// Whether `path` is a WKD policy file (an empty answer says "WKD is served here").
pub fn is_policy(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/.well-known/openpgpkey/") else {
        return false;
    };
    rest == "policy" || rest.split_once('/').is_some_and(|(_, p)| p == "policy")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_valid_key_for_the_address_is_published_and_found_by_hash() {
        let gen = sealpost_core::keys::generate(&sealpost_core::keys::GenerateOptions {
            user_ids: vec!["Joe <Joe.Doe@example.org>".into()],
            ..Default::default()
        })
        .unwrap();
        let public = sealpost_core::keys::write_cert(&gen.cert, false, true).unwrap();
        let d = Directory::default();
        assert!(d.publish("mallory@example.org", &public).is_err());
        assert!(d.publish("joe.doe@example.org", b"not a key").is_err());
        d.publish("joe.doe@example.org", &public).unwrap();
        // draft-koch-openpgp-webkey-service §3.1's hash of "joe.doe".
        let hash = "iy9q119eutrkn8s1mk4r39qejnbu3n5q";
        let direct = d
            .lookup(&format!("/.well-known/openpgpkey/hu/{hash}"))
            .unwrap();
        let advanced = d
            .lookup(&format!("/.well-known/openpgpkey/example.org/hu/{hash}"))
            .unwrap();
        assert_eq!(direct, advanced);
        assert!(d
            .lookup(&format!("/.well-known/openpgpkey/example.net/hu/{hash}"))
            .is_none());
        assert!(d.lookup("/.well-known/openpgpkey/hu/yyyyyyyy").is_none());
        // Never a secret part.
        let served = sealpost_core::keys::read_cert(&direct).unwrap();
        assert!(!sealpost_core::keys::is_secret(&served));
        assert!(is_policy("/.well-known/openpgpkey/policy"));
        assert!(is_policy("/.well-known/openpgpkey/example.org/policy"));
        assert!(!is_policy("/.well-known/openpgpkey/hu/x"));
    }
}
