//! The release manifest: every file of a release with its SHA-384 and size,
//! plus build provenance, in a canonical JSON form that is signed with a
//! detached OpenPGP signature.
//!
//! Every manifest carries a signed `expires` (`YYYY-MM-DDTHH:MM:SSZ`): a
//! server cannot hold a user on an old release for ever, because a
//! verifier refuses the manifest from that time on ([`Manifest::check_not_expired`],
//! [`verify_signed_at`]).  How far out it may be is capped too: at most
//! [`MAX_VALIDITY_SECS`] after the signature was made, or the signed
//! manifest is refused (`EXPIRY_TOO_FAR`) — a key holder (or a stolen
//! signing step) cannot mint a release that stays acceptable for decades.
//!
//! Canonical form: UTF-8 JSON, object keys sorted by code point, no
//! insignificant whitespace, integers only, one trailing newline.  A
//! manifest whose bytes differ from the canonical serialization of what
//! they parse to is rejected, so exactly one byte string has a given
//! meaning (no duplicate keys, no reordering games).

use std::collections::BTreeMap;

use sealpost_core::sign::{sign, SignMode, SignOptions};
use sealpost_core::verify::{verify_detached, VerifyOptions};
use sealpost_core::{Cert, Password, Policy};
use serde::{Deserialize, Serialize};

use crate::date;
use crate::error::{Error, ErrorCode, Result};
use crate::sri::{Algorithm, Integrity};

/// The format identifier this library writes and reads.
pub const FORMAT: &str = "sealpost-manifest/1";

/// The longest a signed manifest stays acceptable: its `expires` is at most
/// this long after its signature's creation time (400 days; the CLI's
/// default is 180 days from `SOURCE_DATE_EPOCH`).  A manifest whose
/// `expires` is further out is refused with `EXPIRY_TOO_FAR`.
pub const MAX_VALIDITY_SECS: u64 = 400 * 86_400;

/// One file of the release.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// `sha384-<base64>` of the file's bytes.
    pub integrity: String,
    /// Size in bytes.
    pub size: u64,
}

/// How the release was built.  Every field is what a rebuilder needs to
/// reproduce the bytes, or to tell why they differ.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The source commit (hex), if built from git.
    pub source_commit: Option<String>,
    /// `sha256-<base64>` of `Cargo.lock`.
    pub cargo_lock: Option<String>,
    /// `sha256-<base64>` of `package-lock.json`.
    pub package_lock: Option<String>,
    /// `rustc --version`.
    pub rustc: Option<String>,
    /// `wasm-bindgen --version`.
    pub wasm_bindgen: Option<String>,
    /// `wasm-opt --version`, if used.
    pub wasm_opt: Option<String>,
    /// `SOURCE_DATE_EPOCH` the build used.
    pub source_date_epoch: Option<u64>,
}

/// A release manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The application's name.
    pub app: String,
    /// The release version (`MAJOR.MINOR.PATCH`); newer releases compare greater.
    pub version: String,
    /// HTML entry points (paths in `files`), e.g. `["index.html"]`.
    pub entrypoints: Vec<String>,
    /// When the release stops being acceptable: `YYYY-MM-DDTHH:MM:SSZ`
    /// (UTC).  Required; from this second on the manifest is expired.
    pub expires: String,
    /// Every file: relative path (`/`-separated) → entry.
    pub files: BTreeMap<String, FileEntry>,
    /// Build provenance.
    pub provenance: Provenance,
}

/// Checks that `path` is a plain relative path inside the release root:
/// `/`-separated, no empty, `.` or `..` segments, no leading `/`, no `\`,
/// no control characters, no drive letters.
pub fn check_path(path: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(Error::new(
            ErrorCode::BadPath,
            format!("path {path:?}: {why}"),
        ))
    };
    if path.is_empty() || path.len() > 1024 {
        return bad("empty or longer than 1024 bytes");
    }
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return bad("must be relative, '/'-separated, without ':' or '\\'");
    }
    if path.chars().any(|c| c.is_control()) {
        return bad("contains control characters");
    }
    if path
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return bad("has an empty, '.' or '..' segment");
    }
    Ok(())
}

/// Parses `MAJOR.MINOR.PATCH` (no pre-release part) for ordering.
pub fn parse_version(v: &str) -> Result<(u64, u64, u64)> {
    let parts: Vec<&str> = v.split('.').collect();
    // ASCII digits only: `u64::from_str` also takes a leading `+`.
    let num = |s: &str| {
        s.parse::<u64>().ok().filter(|_| {
            !s.is_empty()
                && s.bytes().all(|c| c.is_ascii_digit())
                && (s == "0" || !s.starts_with('0'))
        })
    };
    match parts.as_slice() {
        [a, b, c] => match (num(a), num(b), num(c)) {
            (Some(a), Some(b), Some(c)) => Ok((a, b, c)),
            _ => Err(Error::new(
                ErrorCode::BadManifest,
                format!("version {v:?} is not MAJOR.MINOR.PATCH"),
            )),
        },
        _ => Err(Error::new(
            ErrorCode::BadManifest,
            format!("version {v:?} is not MAJOR.MINOR.PATCH"),
        )),
    }
}

/// Orders two release versions (`MAJOR.MINOR.PATCH`, numerically): the one
/// comparison behind the rollback ratchet, here and in the extension.
pub fn compare_versions(a: &str, b: &str) -> Result<std::cmp::Ordering> {
    Ok(parse_version(a)?.cmp(&parse_version(b)?))
}

/// Parses an `expires` value (`YYYY-MM-DDTHH:MM:SSZ`) to Unix seconds.
pub fn parse_expires(expires: &str) -> Result<u64> {
    date::parse(expires).ok_or_else(|| {
        Error::new(
            ErrorCode::BadManifest,
            format!(
                "expires {:?} is not a UTC time of the form YYYY-MM-DDTHH:MM:SSZ",
                expires.chars().take(64).collect::<String>()
            ),
        )
    })
}

impl Manifest {
    /// A manifest with no files yet, expiring at `expires` (Unix seconds).
    pub fn new(app: &str, version: &str, expires: u64) -> Result<Self> {
        parse_version(version)?;
        let expires = date::format(expires).ok_or_else(|| {
            Error::new(
                ErrorCode::BadManifest,
                format!("expires {expires} is after 9999-12-31T23:59:59Z"),
            )
        })?;
        Ok(Manifest {
            format: FORMAT.to_string(),
            app: app.to_string(),
            version: version.to_string(),
            entrypoints: Vec::new(),
            expires,
            files: BTreeMap::new(),
            provenance: Provenance::default(),
        })
    }

    /// When the manifest expires, in Unix seconds.
    pub fn expires_at(&self) -> Result<u64> {
        parse_expires(&self.expires)
    }

    /// Fails with `RELEASE_EXPIRED` if the manifest has expired at `now`
    /// (Unix seconds): it is valid strictly before `expires`.
    pub fn check_not_expired(&self, now: u64) -> Result<()> {
        let expires = self.expires_at()?;
        if now >= expires {
            let now_s = date::format(now).unwrap_or_else(|| now.to_string());
            return Err(Error::new(
                ErrorCode::ReleaseExpired,
                format!(
                    "release {} {} expired at {} (now {now_s}): the server may be holding back a newer release",
                    self.app, self.version, self.expires
                ),
            ));
        }
        Ok(())
    }

    /// Fails with `EXPIRY_TOO_FAR` unless `expires` is at most
    /// [`MAX_VALIDITY_SECS`] after `signed_at` (the signature's creation
    /// time, Unix seconds).
    pub fn check_expiry_horizon(&self, signed_at: u64) -> Result<()> {
        let expires = self.expires_at()?;
        let limit = signed_at.saturating_add(MAX_VALIDITY_SECS);
        if expires > limit {
            let signed_s = date::format(signed_at).unwrap_or_else(|| signed_at.to_string());
            return Err(Error::new(
                ErrorCode::ExpiryTooFar,
                format!(
                    "release {} {} expires at {}, more than {} days after its signature ({signed_s}): \
                     a signed manifest may stay valid for {} days at most",
                    self.app,
                    self.version,
                    self.expires,
                    MAX_VALIDITY_SECS / 86_400,
                    MAX_VALIDITY_SECS / 86_400
                ),
            ));
        }
        Ok(())
    }

    /// Adds a file with its precomputed SHA-384 integrity string.
    pub fn add_file(&mut self, path: &str, integrity: String, size: u64) -> Result<()> {
        check_path(path)?;
        self.files
            .insert(path.to_string(), FileEntry { integrity, size });
        Ok(())
    }

    /// The canonical bytes (what is signed and written to `manifest.json`).
    pub fn to_canonical(&self) -> Vec<u8> {
        // serde_json::Value keeps object keys in a BTreeMap (sorted), and
        // to_vec writes no whitespace: that is the canonical form.
        let value = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        let mut out = serde_json::to_vec(&value).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Parses and validates a manifest.  Rejects non-canonical bytes,
    /// unknown fields, a missing or malformed `expires`, bad paths, entry
    /// points not in `files`, and integrity strings that are not a single
    /// SHA-384.  Does not judge expiry (that needs a time: see
    /// [`Manifest::check_not_expired`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let m: Manifest = serde_json::from_slice(bytes).map_err(|e| {
            if e.to_string().starts_with("missing field `expires`") {
                return Error::new(
                    ErrorCode::BadManifest,
                    "manifest has no \"expires\": every manifest must carry a signed expiry \
                     (YYYY-MM-DDTHH:MM:SSZ); make it again with `sealpost-verify manifest`",
                );
            }
            Error::new(
                ErrorCode::BadManifest,
                format!(
                    "manifest JSON at line {}, column {}: {}",
                    e.line(),
                    e.column(),
                    e
                ),
            )
        })?;
        if m.format != FORMAT {
            return Err(Error::new(
                ErrorCode::BadManifest,
                format!("format {:?} is not {FORMAT:?}", m.format),
            ));
        }
        parse_version(&m.version)?;
        parse_expires(&m.expires)?;
        for (path, entry) in &m.files {
            check_path(path)?;
            let i = Integrity::parse(&entry.integrity);
            if i.hashes.len() != 1 || i.strongest() != Some(Algorithm::Sha384) {
                return Err(Error::new(
                    ErrorCode::BadIntegrity,
                    format!("files[{path:?}].integrity must be one sha384-… value"),
                ));
            }
        }
        for e in &m.entrypoints {
            if !m.files.contains_key(e) {
                return Err(Error::new(
                    ErrorCode::BadManifest,
                    format!("entry point {e:?} is not in files"),
                ));
            }
        }
        if m.to_canonical() != bytes {
            return Err(Error::new(
                ErrorCode::BadManifest,
                "manifest is not in canonical form (sorted keys, no whitespace, one trailing newline)",
            ));
        }
        Ok(m)
    }

    /// Signs the canonical bytes: an armored detached OpenPGP signature.
    /// The signature is verified again as a verifier would
    /// ([`verify_signed`]): a manifest whose `expires` is more than
    /// [`MAX_VALIDITY_SECS`] after the signature's time is refused here
    /// (`EXPIRY_TOO_FAR`), not written only to be refused later.
    pub fn sign(&self, key: &Cert, passphrases: &[Password]) -> Result<Vec<u8>> {
        let signature = self.sign_unchecked(key, passphrases)?;
        verify_signed(&self.to_canonical(), &signature, key)?;
        Ok(signature)
    }

    fn sign_unchecked(&self, key: &Cert, passphrases: &[Password]) -> Result<Vec<u8>> {
        let p = Policy::new();
        sign(
            &self.to_canonical(),
            &SignOptions {
                signers: std::slice::from_ref(key),
                passphrases,
                mode: SignMode::Detached,
                text: false,
                armor: true,
                policy: &p,
            },
        )
        .map_err(|e| Error::new(ErrorCode::BadKey, format!("signing the manifest: {e}")))
    }
}

/// Verifies `signature` over the manifest `bytes` with `cert`, then parses
/// the manifest.  Fails unless a signature by `cert` is valid
/// (`BAD_SIGNATURE`), and unless `expires` is at most [`MAX_VALIDITY_SECS`]
/// after that signature's creation time (`EXPIRY_TOO_FAR`).
pub fn verify_signed(bytes: &[u8], signature: &[u8], cert: &Cert) -> Result<Manifest> {
    let p = Policy::new();
    let v = verify_detached(
        bytes,
        signature,
        &VerifyOptions {
            certs: std::slice::from_ref(cert),
            require_signature: true,
            policy: &p,
        },
    )
    .map_err(|e| Error::new(ErrorCode::BadSignature, format!("manifest signature: {e}")))?;
    let fpr = cert.fingerprint().to_hex();
    let valid: Vec<_> = v
        .signatures
        .iter()
        .filter(|s| s.valid && s.signer_fingerprint.as_deref() == Some(fpr.as_str()))
        .collect();
    if valid.is_empty() {
        return Err(Error::new(
            ErrorCode::BadSignature,
            format!("no valid signature by {fpr}"),
        ));
    }
    let m = Manifest::from_bytes(bytes)?;
    // The newest valid signature's time: a later re-signing by the key
    // extends how far out `expires` may be, never anything else.
    let Some(signed_at) = valid.iter().filter_map(|s| s.created).max() else {
        return Err(Error::new(
            ErrorCode::ExpiryTooFar,
            "the manifest signature carries no creation time, so its expiry cannot be bounded",
        ));
    };
    m.check_expiry_horizon(signed_at)?;
    Ok(m)
}

/// [`verify_signed`], then [`Manifest::check_not_expired`] at `now` (Unix
/// seconds): a valid signature is checked first, so an unsigned manifest
/// is `BAD_SIGNATURE` whatever its date, and a genuine but expired one is
/// `RELEASE_EXPIRED`.
pub fn verify_signed_at(bytes: &[u8], signature: &[u8], cert: &Cert, now: u64) -> Result<Manifest> {
    let m = verify_signed(bytes, signature, cert)?;
    m.check_not_expired(now)?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sri::compute;

    fn sample() -> Manifest {
        let mut m = Manifest::new("demo", "1.2.3", 1_800_000_000).unwrap();
        m.add_file(
            "index.html",
            compute(Algorithm::Sha384, b"<html>").to_string(),
            6,
        )
        .unwrap();
        m.add_file("pkg/a.js", compute(Algorithm::Sha384, b"a").to_string(), 1)
            .unwrap();
        m.entrypoints.push("index.html".into());
        m.provenance.source_date_epoch = Some(1_700_000_000);
        m
    }

    #[test]
    fn canonical_round_trip() {
        let m = sample();
        let bytes = m.to_canonical();
        assert!(bytes.starts_with(
            b"{\"app\":\"demo\",\"entrypoints\":[\"index.html\"],\"expires\":\"2027-01-15T08:00:00Z\",\"files\":{\"index.html\":"
        ));
        assert!(bytes.ends_with(b"}\n") && !bytes[..bytes.len() - 1].contains(&b'\n'));
        assert_eq!(Manifest::from_bytes(&bytes).unwrap(), m);
    }

    #[test]
    fn non_canonical_and_invalid_are_rejected() {
        let canon = String::from_utf8(sample().to_canonical()).unwrap();
        let pretty = serde_json::to_string_pretty(&sample()).unwrap();
        assert_eq!(
            Manifest::from_bytes(pretty.as_bytes()).unwrap_err().code,
            ErrorCode::BadManifest
        );
        let dup = canon.replacen(
            "\"files\":{",
            "\"files\":{\"pkg/a.js\":{\"integrity\":\"x\",\"size\":1},",
            1,
        );
        assert!(Manifest::from_bytes(dup.as_bytes()).is_err());
        let extra = canon.replacen("{\"app\"", "{\"admin\":true,\"app\"", 1);
        assert_eq!(
            Manifest::from_bytes(extra.as_bytes()).unwrap_err().code,
            ErrorCode::BadManifest
        );
        let weak = canon.replace(
            &compute(Algorithm::Sha384, b"a").to_string(),
            &compute(Algorithm::Sha256, b"a").to_string(),
        );
        assert_eq!(
            Manifest::from_bytes(weak.as_bytes()).unwrap_err().code,
            ErrorCode::BadIntegrity
        );
        assert!(Manifest::from_bytes(b"").is_err());
        assert!(Manifest::from_bytes(b"{\"format\":")
            .unwrap_err()
            .message
            .contains("line 1"));
    }

    #[test]
    fn expires_is_required_well_formed_and_signed() {
        let m = sample();
        assert_eq!(m.expires, "2027-01-15T08:00:00Z");
        assert_eq!(m.expires_at().unwrap(), 1_800_000_000);
        let canon = String::from_utf8(m.to_canonical()).unwrap();
        // In canonical (sorted) position, between entrypoints and files.
        assert!(canon.contains(
            "\"entrypoints\":[\"index.html\"],\"expires\":\"2027-01-15T08:00:00Z\",\"files\""
        ));
        let missing = canon.replace(",\"expires\":\"2027-01-15T08:00:00Z\"", "");
        let e = Manifest::from_bytes(missing.as_bytes()).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadManifest);
        assert!(e.message.contains("no \"expires\""), "{e}");
        for bad in [
            "2027-01-15",
            "2027-01-15T08:00:00+00:00",
            "2027-01-15T08:00:00.000Z",
            "2027-02-30T08:00:00Z",
            "never",
            "",
        ] {
            let s = canon.replace("2027-01-15T08:00:00Z", bad);
            let e = Manifest::from_bytes(s.as_bytes()).unwrap_err();
            assert_eq!(e.code, ErrorCode::BadManifest, "{bad}");
            assert!(e.message.contains("YYYY-MM-DDTHH:MM:SSZ"), "{bad}: {e}");
        }
        let number = canon.replace("\"2027-01-15T08:00:00Z\"", "1800000000");
        assert_eq!(
            Manifest::from_bytes(number.as_bytes()).unwrap_err().code,
            ErrorCode::BadManifest
        );
        assert!(Manifest::new("x", "1.0.0", date::MAX + 1).is_err());
    }

    #[test]
    fn expiry_is_judged_at_the_given_time() {
        let m = sample();
        m.check_not_expired(0).unwrap();
        m.check_not_expired(1_799_999_999).unwrap();
        for now in [1_800_000_000, 1_800_000_001, u64::MAX] {
            let e = m.check_not_expired(now).unwrap_err();
            assert_eq!(e.code, ErrorCode::ReleaseExpired);
            assert_eq!(e.code.as_str(), "RELEASE_EXPIRED");
            assert!(e.message.contains("expired at 2027-01-15T08:00:00Z"), "{e}");
        }
    }

    #[test]
    fn verify_signed_at_checks_the_signature_then_the_date() {
        use sealpost_core::keys::{generate, GenerateOptions};
        let gen = |uid: &str| {
            generate(&GenerateOptions {
                user_ids: vec![uid.into()],
                ..Default::default()
            })
            .unwrap()
            .cert
        };
        let (key, other) = (gen("R <r@example.org>"), gen("O <o@example.org>"));
        let m = sample();
        let bytes = m.to_canonical();
        let sig = m.sign(&key, &[]).unwrap();
        let public = sealpost_core::keys::public_cert(&key);
        assert_eq!(
            verify_signed_at(&bytes, &sig, &public, 1_700_000_000).unwrap(),
            m
        );
        let e = verify_signed_at(&bytes, &sig, &public, 1_800_000_000).unwrap_err();
        assert_eq!(e.code, ErrorCode::ReleaseExpired);
        // Another key's signature: BAD_SIGNATURE, whatever the date.
        let forged = m.sign(&other, &[]).unwrap();
        for now in [1_700_000_000, 1_900_000_000] {
            assert_eq!(
                verify_signed_at(&bytes, &forged, &public, now)
                    .unwrap_err()
                    .code,
                ErrorCode::BadSignature
            );
        }
        // A later expiry is a different signed text: the signature breaks.
        let moved = String::from_utf8(bytes.clone())
            .unwrap()
            .replace("2027-01-15T08:00:00Z", "2099-01-15T08:00:00Z");
        assert_eq!(
            verify_signed_at(moved.as_bytes(), &sig, &public, 1_900_000_000)
                .unwrap_err()
                .code,
            ErrorCode::BadSignature
        );
    }

    #[test]
    fn a_signed_expiry_is_capped_relative_to_the_signature_time() {
        use sealpost_core::keys::{generate, public_cert, GenerateOptions};
        // The bound itself: at most MAX_VALIDITY_SECS after the signature, to the second.
        let signed_at = 1_700_000_000;
        let at = |expires| Manifest::new("demo", "1.0.0", expires).unwrap();
        at(signed_at + MAX_VALIDITY_SECS)
            .check_expiry_horizon(signed_at)
            .unwrap();
        at(signed_at).check_expiry_horizon(signed_at).unwrap();
        // Signed after it expired: not too far (RELEASE_EXPIRED judges that).
        at(signed_at - 1).check_expiry_horizon(signed_at).unwrap();
        let e = at(signed_at + MAX_VALIDITY_SECS + 1)
            .check_expiry_horizon(signed_at)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::ExpiryTooFar);
        assert_eq!(e.code.as_str(), "EXPIRY_TOO_FAR");
        assert!(e.message.contains("400 days"), "{e}");
        assert_eq!(MAX_VALIDITY_SECS, 400 * 86_400);
        // Real signatures (made now): sign() refuses a manifest too far out,
        // and a verifier refuses one signed without that check.
        let key = generate(&GenerateOptions {
            user_ids: vec!["R <r@example.org>".into()],
            ..Default::default()
        })
        .unwrap()
        .cert;
        let public = public_cert(&key);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let near = at(now + MAX_VALIDITY_SECS - 3600);
        let sig = near.sign(&key, &[]).unwrap();
        assert_eq!(
            verify_signed(&near.to_canonical(), &sig, &public).unwrap(),
            near
        );
        for far in [now + MAX_VALIDITY_SECS + 3600, date::MAX] {
            let m = at(far);
            assert_eq!(m.sign(&key, &[]).unwrap_err().code, ErrorCode::ExpiryTooFar);
            let sig = m.sign_unchecked(&key, &[]).unwrap();
            let bytes = m.to_canonical();
            let e = verify_signed(&bytes, &sig, &public).unwrap_err();
            assert_eq!(e.code, ErrorCode::ExpiryTooFar, "{e}");
            // Also when the date is judged: the cap comes before expiry, after the signature.
            assert_eq!(
                verify_signed_at(&bytes, &sig, &public, now)
                    .unwrap_err()
                    .code,
                ErrorCode::ExpiryTooFar
            );
        }
    }

    #[test]
    fn paths_that_escape_are_rejected() {
        for bad in [
            "../etc/passwd",
            "/abs",
            "a/../b",
            "a//b",
            "./a",
            "c:\\x",
            "a\\b",
            "",
            "a/\u{7}",
        ] {
            assert_eq!(
                check_path(bad).unwrap_err().code,
                ErrorCode::BadPath,
                "{bad:?}"
            );
        }
        for good in ["index.html", "pkg/a.js", "a/b/c.wasm", "x..y"] {
            check_path(good).unwrap();
        }
        let canon = String::from_utf8(sample().to_canonical())
            .unwrap()
            .replace("\"pkg/a.js\"", "\"../a.js\"");
        assert_eq!(
            Manifest::from_bytes(canon.as_bytes()).unwrap_err().code,
            ErrorCode::BadPath
        );
    }

    #[test]
    fn versions() {
        assert!(parse_version("1.2.10").unwrap() > parse_version("1.2.9").unwrap());
        use std::cmp::Ordering::*;
        for (a, b, want) in [
            ("2.0.0", "10.0.0", Less),
            ("1.2.3", "1.2.3", Equal),
            ("1.10.0", "1.4.2", Greater),
            ("0.0.1", "0.0.0", Greater),
        ] {
            assert_eq!(compare_versions(a, b).unwrap(), want, "{a} vs {b}");
        }
        let e = compare_versions("1.2.3", "01.2.3").unwrap_err();
        assert_eq!(e.code, ErrorCode::BadManifest);
        for bad in [
            "1.2",
            "1.2.3.4",
            "01.2.3",
            "1.x.3",
            "",
            "1.2.3-rc1",
            "+1.2.3",
            "1.+2.3",
            "1.2. 3",
        ] {
            assert!(parse_version(bad).is_err(), "{bad}");
        }
    }
}
