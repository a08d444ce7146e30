//! One log entry: a release of an app.
//!
//! Canonical, line-oriented, ASCII, each line `key value`, in this order, ending in a newline:
//!
//! ```text
//! sealpost-release/1
//! app sealpost-demo
//! version 0.1.0
//! manifest-sha256 5d41402abc4b2a76b9719d911017c592a0e9d5a07a4a1b2e3c4d5e6f708192a3
//! release-key 0123456789ABCDEF0123456789ABCDEF01234567
//! source-commit 3f786850e387550fdab836ed7e6dc881de23001b
//! released 1795881600
//! ```
//!
//! `manifest-sha256` is the SHA-256 of the exact bytes of the signed `manifest.json`,
//! `release-key` the OpenPGP fingerprint of the release signing certificate (upper-case hex,
//! v4: 40 digits, v6: 64), `source-commit` the git commit the release was built from (lower-case
//! hex, 40 or 64 digits) or `none`, `released` the release's `SOURCE_DATE_EPOCH` (the source
//! commit's time, so rebuilding gives the same entry; what "logged since" is shown from) or
//! `none`. One meaning has one byte string: a parser re-encodes what it
//! read and rejects anything that differs, so an entry's leaf hash identifies it.

use crate::{hex, Error, Result};

/// The first line of every entry.
pub const FORMAT: &str = "sealpost-release/1";
/// No entry is longer (tlog-tiles bundles allow 65535; releases need far less).
pub const MAX_ENTRY_SIZE: usize = 1024;
const MAX_APP: usize = 64;
const MAX_VERSION: usize = 64;

/// A release, as logged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    pub app: String,
    pub version: String,
    /// Lower-case hex SHA-256 of the manifest's bytes.
    pub manifest_sha256: String,
    /// Upper-case hex OpenPGP fingerprint of the release key.
    pub release_key: String,
    /// Lower-case hex git commit, or `None`.
    pub source_commit: Option<String>,
    /// The release's `SOURCE_DATE_EPOCH` (Unix seconds), or `None`.
    pub released: Option<u64>,
}

fn check_app(app: &str) -> Result<()> {
    let ok = !app.is_empty()
        && app.len() <= MAX_APP
        && app
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Error::malformed(format!(
            "entry: app {app:?} must be 1 to {MAX_APP} characters of A-Z a-z 0-9 . _ -"
        )))
    }
}

fn check_version(v: &str) -> Result<()> {
    let parts: Vec<&str> = v.split('.').collect();
    let ok = v.len() <= MAX_VERSION
        && parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 19
                && p.bytes().all(|b| b.is_ascii_digit())
                && (*p == "0" || !p.starts_with('0'))
        });
    if ok {
        Ok(())
    } else {
        Err(Error::malformed(format!(
            "entry: version {v:?} is not MAJOR.MINOR.PATCH (decimal, no leading zeroes)"
        )))
    }
}

fn is_hex(s: &str, lens: &[usize], upper: bool) -> bool {
    lens.contains(&s.len())
        && s.bytes().all(|b| {
            b.is_ascii_digit()
                || if upper {
                    (b'A'..=b'F').contains(&b)
                } else {
                    (b'a'..=b'f').contains(&b)
                }
        })
}

impl Entry {
    /// A validated entry.
    pub fn new(
        app: &str,
        version: &str,
        manifest_sha256: &str,
        release_key: &str,
        source_commit: Option<&str>,
        released: Option<u64>,
    ) -> Result<Self> {
        check_app(app)?;
        check_version(version)?;
        if !is_hex(manifest_sha256, &[64], false) {
            return Err(Error::malformed(format!(
                "entry: manifest-sha256 {manifest_sha256:?} is not 64 lower-case hex digits"
            )));
        }
        if !is_hex(release_key, &[40, 64], true) {
            return Err(Error::malformed(format!(
                "entry: release-key {release_key:?} is not an OpenPGP fingerprint (40 or 64 upper-case hex digits)"
            )));
        }
        if let Some(c) = source_commit {
            if !is_hex(c, &[40, 64], false) {
                return Err(Error::malformed(format!(
                    "entry: source-commit {c:?} is not a git commit (40 or 64 lower-case hex digits)"
                )));
            }
        }
        Ok(Entry {
            app: app.to_string(),
            version: version.to_string(),
            manifest_sha256: manifest_sha256.to_string(),
            release_key: release_key.to_string(),
            source_commit: source_commit.map(str::to_string),
            released,
        })
    }

    /// The entry for a manifest's bytes: its SHA-256 is computed here.
    pub fn for_manifest(
        app: &str,
        version: &str,
        manifest_bytes: &[u8],
        release_key: &str,
        source_commit: Option<&str>,
        released: Option<u64>,
    ) -> Result<Self> {
        Entry::new(
            app,
            version,
            &hex(&crate::sha256(manifest_bytes)),
            release_key,
            source_commit,
            released,
        )
    }

    /// The canonical bytes (what the log's leaf hashes).
    pub fn to_bytes(&self) -> Vec<u8> {
        format!(
            "{FORMAT}\napp {}\nversion {}\nmanifest-sha256 {}\nrelease-key {}\nsource-commit {}\nreleased {}\n",
            self.app,
            self.version,
            self.manifest_sha256,
            self.release_key,
            self.source_commit.as_deref().unwrap_or("none"),
            self.released.map_or_else(|| "none".to_string(), |t| t.to_string())
        )
        .into_bytes()
    }

    /// Parses canonical bytes; anything else is an error saying what is wrong.
    pub fn from_bytes(data: &[u8]) -> Result<Self> {
        if data.len() > MAX_ENTRY_SIZE {
            return Err(Error::malformed(format!(
                "entry: {} bytes, more than {MAX_ENTRY_SIZE}",
                data.len()
            )));
        }
        let text = std::str::from_utf8(data)
            .ok()
            .filter(|t| t.is_ascii())
            .ok_or_else(|| Error::malformed("entry: not ASCII text"))?;
        let body = text
            .strip_suffix('\n')
            .ok_or_else(|| Error::malformed("entry: does not end in a newline"))?;
        let lines: Vec<&str> = body.split('\n').collect();
        const KEYS: [&str; 6] = [
            "app",
            "version",
            "manifest-sha256",
            "release-key",
            "source-commit",
            "released",
        ];
        if lines.first() != Some(&FORMAT) {
            return Err(Error::malformed(format!(
                "entry: the first line must be {FORMAT:?}"
            )));
        }
        if lines.len() != KEYS.len() + 1 {
            return Err(Error::malformed(format!(
                "entry: {} lines, expected {}",
                lines.len(),
                KEYS.len() + 1
            )));
        }
        let mut values = Vec::with_capacity(KEYS.len());
        for (line, key) in lines[1..].iter().zip(KEYS) {
            let value = line
                .strip_prefix(key)
                .and_then(|r| r.strip_prefix(' '))
                .ok_or_else(|| {
                    Error::malformed(format!("entry: expected a {key:?} line, got {line:?}"))
                })?;
            values.push(value);
        }
        let commit = match values[4] {
            "none" => None,
            c => Some(c),
        };
        let released = match values[5] {
            "none" => None,
            t => Some(crate::parse_decimal(t, "entry: released")?),
        };
        let e = Entry::new(values[0], values[1], values[2], values[3], commit, released)?;
        if e.to_bytes() != data {
            return Err(Error::malformed("entry: not in canonical form"));
        }
        Ok(e)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sample() -> Entry {
        Entry::new(
            "sealpost-demo",
            "1.2.3",
            &"ab".repeat(32),
            &"0123456789ABCDEF".repeat(3)[..40],
            Some(&"3f".repeat(20)),
            Some(1_795_881_600),
        )
        .unwrap()
    }

    #[test]
    fn round_trip() {
        let e = sample();
        assert_eq!(Entry::from_bytes(&e.to_bytes()).unwrap(), e);
        let mut none = e.clone();
        none.source_commit = None;
        none.released = None;
        assert_eq!(Entry::from_bytes(&none.to_bytes()).unwrap(), none);
    }

    #[test]
    fn rejects_everything_else_with_a_reason() {
        let good = String::from_utf8(sample().to_bytes()).unwrap();
        let cases: Vec<(String, &str)> = vec![
            (good.trim_end().to_string(), "newline"),
            (good.replace("1.2.3", "1.02.3"), "version"),
            (good.replace("1.2.3", "1.2"), "version"),
            (good.replace("sealpost-demo", "a b"), "app"),
            (good.replace("sealpost-demo", ""), "app"),
            (
                good.replace(&"ab".repeat(32), &"AB".repeat(32)),
                "manifest-sha256",
            ),
            (
                good.replace("0123456789ABCDEF", "0123456789abcdef"),
                "release-key",
            ),
            (good.replace(&"3f".repeat(20), "HEAD"), "source-commit"),
            (good.replace("app ", "app  "), "app"),
            (
                good.replace("sealpost-release/1", "sealpost-release/2"),
                "first line",
            ),
            (format!("{good}extra\n"), "lines"),
            (good.replace("1795881600", "01795881600"), "released"),
            (good.replace("1795881600", "soon"), "released"),
            (good.replace('\n', "\r\n"), "first line"),
            ("é".into(), "ASCII"),
            ("x".repeat(2000), "more than"),
        ];
        for (text, want) in cases {
            let err = Entry::from_bytes(text.as_bytes()).unwrap_err();
            assert!(err.message.contains(want), "{text:?}: {err}");
            assert_eq!(err.kind, crate::ErrorKind::Malformed);
        }
    }
}
