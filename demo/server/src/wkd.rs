//! A Web Key Directory for the demo's local users (draft-koch-openpgp-webkey-service).
//!
//! A logged-in user (IMAP mode) publishes their public key with `PUT /api/wkd`;
//! the server keeps it only if it is a valid certificate with a user ID for the
//! session's address (sealpost-core's WKD check, the same the browser applies
//! to an answer) and stores it without any secret part.  It answers
//! `/.well-known/openpgpkey/hu/<hash>` (direct) and
//! `/.well-known/openpgpkey/<domain>/hu/<hash>` (advanced), plus an empty
//! `policy` file.  Kept in memory, and with `--state DIR` also in
//! `DIR/wkd.json` (public keys only), read back at start.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;

use sealpost_core::mail::wkd;
use sealpost_core::Policy;

/// The largest key accepted for publication.
pub const MAX_KEY: usize = 64 * 1024;

/// (domain, z-base-32 hash of the local part) → the binary certificate(s).
#[derive(Default)]
pub struct Directory {
    keys: Mutex<HashMap<(String, String), Vec<u8>>>,
    /// Where the keys are saved (`--state`), if anywhere.
    file: Option<PathBuf>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Saved {
    domain: String,
    hash: String,
    key: String,
}

impl Directory {
    /// A directory saved in `dir/wkd.json` (created if missing), with what
    /// was saved there before.  Each key is checked again as it is read.
    pub fn persistent(dir: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("--state {}: {e}", dir.display()))?;
        let file = dir.join("wkd.json");
        let mut keys = HashMap::new();
        match std::fs::read(&file) {
            Ok(bytes) => {
                let saved: Vec<Saved> = serde_json::from_slice(&bytes)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                for s in saved {
                    let key = B64
                        .decode(s.key.as_bytes())
                        .map_err(|e| format!("{}: {e}", file.display()))?;
                    // Still a public key, nothing secret (the file could have been edited).
                    let ok = sealpost_core::keys::read_cert(&key)
                        .is_ok_and(|c| !sealpost_core::keys::is_secret(&c));
                    if ok {
                        keys.insert((s.domain, s.hash), key);
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: {e}", file.display())),
        }
        Ok(Directory {
            keys: Mutex::new(keys),
            file: Some(file),
        })
    }

    fn save(&self, keys: &HashMap<(String, String), Vec<u8>>) -> Result<(), String> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let saved: Vec<Saved> = keys
            .iter()
            .map(|((domain, hash), key)| Saved {
                domain: domain.clone(),
                hash: hash.clone(),
                key: B64.encode(key),
            })
            .collect();
        let tmp = file.with_extension("json.tmp");
        let json = serde_json::to_vec(&saved).map_err(|e| e.to_string())?;
        std::fs::write(&tmp, json).map_err(|e| e.to_string())?;
        std::fs::rename(&tmp, file).map_err(|e| e.to_string())
    }

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
        let mut keys = self
            .keys
            .lock()
            .map_err(|_| ("STORE_FAILED", "the key directory failed".to_owned()))?;
        keys.insert((domain, urls.hash), out);
        self.save(&keys).map_err(|_| {
            (
                "STORE_FAILED",
                "the key directory could not be saved".to_owned(),
            )
        })
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

    #[test]
    fn a_persistent_directory_answers_after_a_restart() {
        let gen = sealpost_core::keys::generate(&sealpost_core::keys::GenerateOptions {
            user_ids: vec!["Joe <joe.doe@example.org>".into()],
            ..Default::default()
        })
        .unwrap();
        let public = sealpost_core::keys::write_cert(&gen.cert, false, true).unwrap();
        let dir = std::env::temp_dir().join(format!("sealpost-wkd-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = "/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q";
        let first = Directory::persistent(&dir).unwrap();
        assert!(first.lookup(path).is_none());
        first.publish("joe.doe@example.org", &public).unwrap();
        let served = first.lookup(path).unwrap();
        drop(first);
        let again = Directory::persistent(&dir).unwrap();
        assert_eq!(again.lookup(path), Some(served));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
