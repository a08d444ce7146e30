//! Rebuild attestations (issue 21): a rebuilder's signed word that it rebuilt a release from
//! its public source and got every byte of it.
//!
//! The statement is a small canonical body of `key value` lines (the one format of ours here),
//! and it is carried in a C2SP signed note, signed by the rebuilder's Ed25519 note key (type
//! 0x01, the same kind of key a log has): the signature is `signed_note`'s, not ours.
//!
//! ```text
//! sealpost-rebuild/1
//! app sealpost-demo
//! version 0.1.1796085291
//! manifest-sha256 5d41402abc4b2a76b9719d911017c592a0e9d5a07a4a1b2e3c4d5e6f708192a3
//! source-commit 3f786850e387550fdab836ed7e6dc881de23001b
//! toolchain rustc 1.95.0 (59807616e 2026-04-14); node v20.19.2
//!
//! — rebuilder.example/ci Az3grl…
//! ```
//!
//! `manifest-sha256` names the exact signed manifest the rebuild matched (its bytes' SHA-256,
//! as in the release entry), `source-commit` the commit built (or `none`), `toolchain` what
//! the rebuilder built with (1 to 200 printable ASCII characters). The whole signed note is
//! the log entry: its leaf hash covers the statement and the signature, so a monitor sees who
//! attested what. A parser re-encodes and compares (one meaning, one byte string), and accepts
//! exactly one signature line.

use signed_note::{Note, VerifierList};

use crate::keys::{SecretKey, VKey, ALG_ED25519};
use crate::{Error, Result};

/// The first line of every statement.
pub const FORMAT: &str = "sealpost-rebuild/1";
/// The longest toolchain description.
pub const MAX_TOOLCHAIN: usize = 200;

/// What a rebuilder states.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Statement {
    pub app: String,
    pub version: String,
    /// Lower-case hex SHA-256 of the manifest's bytes.
    pub manifest_sha256: String,
    /// Lower-case hex git commit, or `None`.
    pub source_commit: Option<String>,
    pub toolchain: String,
}

/// A signed statement: the entry a rebuilder's attestation is logged as.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attestation {
    pub statement: Statement,
    /// The signing key's name and ID (`name+hexid`), as in its signature line.
    pub signer: String,
    /// The signed note (the log entry's exact bytes).
    #[serde(skip)]
    pub note: Vec<u8>,
}

fn check_toolchain(t: &str) -> Result<()> {
    let ok = !t.is_empty()
        && t.len() <= MAX_TOOLCHAIN
        && t.bytes().all(|b| (0x20..0x7f).contains(&b))
        && t.trim() == t;
    if ok {
        Ok(())
    } else {
        Err(Error::malformed(format!(
            "attestation: toolchain {t:?} must be 1 to {MAX_TOOLCHAIN} printable ASCII characters, no space at either end"
        )))
    }
}

impl Statement {
    /// A validated statement (app, version, SHA-256 and commit are checked as a release entry's).
    pub fn new(
        app: &str,
        version: &str,
        manifest_sha256: &str,
        source_commit: Option<&str>,
        toolchain: &str,
    ) -> Result<Self> {
        // The release entry's checks, with a placeholder key (a statement names none).
        crate::entry::Entry::new(
            app,
            version,
            manifest_sha256,
            &"0".repeat(40),
            source_commit,
            None,
        )
        .map_err(|e| Error::malformed(e.message.replacen("entry:", "attestation:", 1)))?;
        check_toolchain(toolchain)?;
        Ok(Statement {
            app: app.into(),
            version: version.into(),
            manifest_sha256: manifest_sha256.into(),
            source_commit: source_commit.map(str::to_string),
            toolchain: toolchain.into(),
        })
    }

    /// The canonical body (the note text).
    pub fn to_text(&self) -> String {
        format!(
            "{FORMAT}\napp {}\nversion {}\nmanifest-sha256 {}\nsource-commit {}\ntoolchain {}\n",
            self.app,
            self.version,
            self.manifest_sha256,
            self.source_commit.as_deref().unwrap_or("none"),
            self.toolchain
        )
    }

    /// Parses a canonical body.
    pub fn parse(text: &str) -> Result<Self> {
        let body = text
            .strip_suffix('\n')
            .ok_or_else(|| Error::malformed("attestation: does not end in a newline"))?;
        let lines: Vec<&str> = body.split('\n').collect();
        if lines.first() != Some(&FORMAT) {
            return Err(Error::malformed(format!(
                "attestation: the first line must be {FORMAT:?}"
            )));
        }
        const KEYS: [&str; 5] = [
            "app",
            "version",
            "manifest-sha256",
            "source-commit",
            "toolchain",
        ];
        if lines.len() != KEYS.len() + 1 {
            return Err(Error::malformed(format!(
                "attestation: {} lines, expected {}",
                lines.len(),
                KEYS.len() + 1
            )));
        }
        let mut v = Vec::new();
        for (line, key) in lines[1..].iter().zip(KEYS) {
            v.push(
                line.strip_prefix(key)
                    .and_then(|r| r.strip_prefix(' '))
                    .ok_or_else(|| {
                        Error::malformed(format!(
                            "attestation: expected a {key:?} line, got {line:?}"
                        ))
                    })?,
            );
        }
        let commit = (v[3] != "none").then_some(v[3]);
        let s = Statement::new(v[0], v[1], v[2], commit, v[4])?;
        if s.to_text() != text {
            return Err(Error::malformed("attestation: not in canonical form"));
        }
        Ok(s)
    }

    /// Signs the statement with a rebuilder's note key: the signed note (the log entry).
    pub fn sign(&self, key: &SecretKey) -> Result<Vec<u8>> {
        if key.alg != ALG_ED25519 {
            return Err(Error::invalid(
                "a rebuilder key is an Ed25519 note key (log keygen makes one)",
            ));
        }
        let text = self.to_text();
        let sig = key.sign_note(text.as_bytes())?;
        let mut out = text.into_bytes();
        out.push(b'\n');
        out.extend_from_slice(&sig.to_bytes());
        Ok(out)
    }
}

/// True when `entry` is an attestation (its first line), whatever else it holds.
pub fn is_attestation(entry: &[u8]) -> bool {
    entry.starts_with(format!("{FORMAT}\n").as_bytes())
}

impl Attestation {
    /// Parses a signed statement (not yet verified): one signature line, a canonical body.
    pub fn parse(note: &[u8]) -> Result<Self> {
        if note.len() > crate::entry::MAX_ENTRY_SIZE {
            return Err(Error::malformed(format!(
                "attestation: {} bytes, more than {}",
                note.len(),
                crate::entry::MAX_ENTRY_SIZE
            )));
        }
        let n = Note::from_bytes(note)
            .map_err(|e| Error::malformed(format!("attestation: not a signed note ({e})")))?;
        let text = std::str::from_utf8(n.text())
            .map_err(|_| Error::malformed("attestation: not UTF-8"))?;
        let statement = Statement::parse(text)?;
        // The note parsed, so its signature block is well-formed: its lines, in order.
        let block = std::str::from_utf8(&note[n.text().len() + 1..])
            .map_err(|_| Error::malformed("attestation: signatures are not UTF-8"))?;
        let sigs = block
            .lines()
            .map(|l| signed_note::Signature::from_bytes(l.as_bytes()))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::malformed(format!("attestation: signature line: {e}")))?;
        if sigs.len() != 1 {
            return Err(Error::malformed(format!(
                "attestation: {} signature lines, expected one",
                sigs.len()
            )));
        }
        let signer = format!("{}+{:08x}", sigs[0].name(), sigs[0].id());
        Ok(Attestation {
            statement,
            signer,
            note: note.to_vec(),
        })
    }

    /// Whether `key` signed it (a valid signature by that key, name and ID included).
    pub fn signed_by(&self, key: &VKey) -> bool {
        let Ok(v) = key.verifier() else {
            return false;
        };
        let Ok(n) = Note::from_bytes(&self.note) else {
            return false;
        };
        n.verify(&VerifierList::new(vec![v]))
            .is_ok_and(|(ok, _)| !ok.is_empty())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn key(n: u8) -> SecretKey {
        SecretKey::from_seed(&format!("rebuilder{n}.example"), ALG_ED25519, [n; 32]).unwrap()
    }

    fn sample() -> Statement {
        Statement::new(
            "sealpost-demo",
            "0.1.7",
            &"ab".repeat(32),
            Some(&"3f".repeat(20)),
            "rustc 1.95.0 (59807616e 2026-04-14); node v20.19.2",
        )
        .unwrap()
    }

    #[test]
    fn signed_round_trip() {
        let note = sample().sign(&key(1)).unwrap();
        assert!(is_attestation(&note));
        let a = Attestation::parse(&note).unwrap();
        assert_eq!(a.statement, sample());
        assert!(a.signed_by(&key(1).vkey()));
        assert!(!a.signed_by(&key(2).vkey()));
        assert!(a.signer.starts_with("rebuilder1.example+"));
        assert!(note.len() < 400, "{}", note.len());
    }

    #[test]
    fn rejects_everything_else_with_a_reason() {
        let good = String::from_utf8(sample().sign(&key(1)).unwrap()).unwrap();
        let two = {
            let sig2 = key(2).sign_note(sample().to_text().as_bytes()).unwrap();
            format!("{good}{}", String::from_utf8(sig2.to_bytes()).unwrap())
        };
        let cases: Vec<(String, &str)> = vec![
            (good.replace("0.1.7", "0.1"), "version"),
            (
                good.replace("toolchain rustc", "toolchain  rustc"),
                "toolchain",
            ),
            (
                good.replace("sealpost-rebuild/1", "sealpost-rebuild/2"),
                "first line",
            ),
            (good.replace("source-commit", "commit"), "source-commit"),
            (
                good.replace(&"ab".repeat(32), &"AB".repeat(32)),
                "manifest-sha256",
            ),
            (two, "expected one"),
            (good.replace("\n\n", "\n"), "signed note"),
            ("x".repeat(2000), "more than"),
        ];
        for (text, want) in cases {
            let e = Attestation::parse(text.as_bytes()).unwrap_err();
            assert!(e.message.contains(want), "{text:?}: {e}");
        }
        // A signature over another text does not verify.
        let forged = good.replace("0.1.7", "0.1.8");
        let a = Attestation::parse(forged.as_bytes()).unwrap();
        assert!(!a.signed_by(&key(1).vkey()));
        // A toolchain with a control character or too long.
        assert!(Statement::new("a", "1.0.0", &"ab".repeat(32), None, "x\ty").is_err());
        assert!(Statement::new("a", "1.0.0", &"ab".repeat(32), None, &"x".repeat(201)).is_err());
    }
}
