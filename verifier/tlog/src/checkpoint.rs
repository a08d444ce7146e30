//! Signed checkpoints: a C2SP tlog-checkpoint body (`tlog_tiles::Checkpoint`) in a C2SP
//! signed note (`signed_note::Note`), with the log's signature and witnesses' cosignatures.

use std::collections::BTreeSet;

use signed_note::{Note, Signature, VerifierList};
use tlog_tiles::{Checkpoint, Hash, EMPTY_HASH};

use crate::keys::{cosignature_time, SecretKey, VKey};
use crate::policy::Policy;
use crate::{Error, Result, MAX_TREE_SIZE};

/// No checkpoint note is longer (signed_note allows 1 MB; ours are a few hundred bytes).
pub const MAX_NOTE_SIZE: usize = 64 * 1024;

/// A checkpoint with its signature lines, parsed but not yet verified.
#[derive(Debug)]
pub struct SignedCheckpoint {
    pub checkpoint: Checkpoint,
    /// The note text (the checkpoint body, ending in a newline).
    pub text: Vec<u8>,
    pub signatures: Vec<Signature>,
}

/// What verification established.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Verified {
    pub origin: String,
    pub size: u64,
    pub root: String,
    /// Names of the policy's witnesses whose cosignatures verified, with their timestamps.
    pub witnesses: Vec<(String, u64)>,
}

impl SignedCheckpoint {
    /// Parses a signed note holding a checkpoint.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > MAX_NOTE_SIZE {
            return Err(Error::malformed(format!(
                "checkpoint: {} bytes, more than {MAX_NOTE_SIZE}",
                bytes.len()
            )));
        }
        let note = Note::from_bytes(bytes).map_err(|e| {
            Error::malformed(format!(
                "checkpoint: not a signed note ({e}): a note is UTF-8 text without control characters, ending in a newline, then a blank line, then lines \"— <name> <base64>\""
            ))
        })?;
        let text = note.text().to_vec();
        let checkpoint = Checkpoint::from_bytes(&text).map_err(|_| {
            Error::malformed(
                "checkpoint: the note text is not <origin>\\n<size>\\n<base64 root hash>\\n[extension lines]",
            )
        })?;
        if checkpoint.size() > MAX_TREE_SIZE {
            return Err(Error::malformed(format!(
                "checkpoint: size {} is larger than {MAX_TREE_SIZE}",
                checkpoint.size()
            )));
        }
        // The note parsed, so its signature block is well-formed: read its lines in order.
        let block = std::str::from_utf8(&bytes[text.len() + 1..])
            .map_err(|_| Error::malformed("checkpoint: signatures are not UTF-8"))?;
        let mut signatures = Vec::new();
        for line in block.lines() {
            signatures.push(
                Signature::from_bytes(line.as_bytes())
                    .map_err(|e| Error::malformed(format!("checkpoint: signature line: {e}")))?,
            );
        }
        Ok(SignedCheckpoint {
            checkpoint,
            text,
            signatures,
        })
    }

    /// A new checkpoint signed by the log key (its name is the origin).
    pub fn sign(log_key: &SecretKey, size: u64, root: Hash) -> Result<Self> {
        let checkpoint = Checkpoint::new(&log_key.name, size, root, "")
            .map_err(|_| Error::malformed("checkpoint: invalid origin"))?;
        let text = checkpoint.to_bytes();
        let sig = log_key.sign_note(&text)?;
        Ok(SignedCheckpoint {
            checkpoint,
            text,
            signatures: vec![sig],
        })
    }

    pub fn origin(&self) -> &str {
        self.checkpoint.origin()
    }
    pub fn size(&self) -> u64 {
        self.checkpoint.size()
    }
    pub fn root(&self) -> Hash {
        *self.checkpoint.hash()
    }

    /// The signed note.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.text.clone();
        out.push(b'\n');
        for s in &self.signatures {
            out.extend_from_slice(&s.to_bytes());
        }
        out
    }

    /// Adds signatures, replacing any earlier one by the same key (name and ID).
    pub fn add_signatures(&mut self, new: &[Signature]) {
        let keys: BTreeSet<(&str, u32)> = new.iter().map(|s| (s.name(), s.id())).collect();
        self.signatures
            .retain(|s| !keys.contains(&(s.name(), s.id())));
        self.signatures.extend_from_slice(new);
    }

    /// Parses witness response lines (`— name base64`, one per line).
    pub fn parse_signature_lines(body: &[u8]) -> Result<Vec<Signature>> {
        if body.len() > MAX_NOTE_SIZE {
            return Err(Error::malformed("cosignatures: too long"));
        }
        let text =
            std::str::from_utf8(body).map_err(|_| Error::malformed("cosignatures: not UTF-8"))?;
        if !text.ends_with('\n') {
            return Err(Error::malformed(
                "cosignatures: the response does not end in a newline",
            ));
        }
        text.lines()
            .map(|l| {
                Signature::from_bytes(l.as_bytes()).map_err(|_| {
                    Error::malformed(format!("cosignatures: bad signature line {l:?}"))
                })
            })
            .collect()
    }

    fn note(&self) -> Result<Note> {
        Note::new(&self.text, &self.signatures)
            .map_err(|e| Error::malformed(format!("checkpoint: {e}")))
    }

    /// Verifies the checkpoint against one log key only (no witnesses).
    pub fn verify_log(&self, log: &VKey) -> Result<()> {
        let origin = self.origin();
        if log.name != origin {
            return Err(Error::invalid(format!(
                "checkpoint origin {origin:?} is not the log {:?}",
                log.name
            )));
        }
        let list = VerifierList::new(vec![log.verifier()?]);
        self.note()?
            .verify(&list)
            .map_err(|e| note_error(e, origin))?;
        self.check_empty_root()
    }

    /// Verifies that a valid `cosignature/v1` by `witness` is present; returns its timestamp.
    pub fn verify_cosignature(&self, witness: &VKey) -> Result<u64> {
        let list = VerifierList::new(vec![witness.verifier()?]);
        let (verified, _) = self
            .note()?
            .verify(&list)
            .map_err(|e| note_error(e, self.origin()))?;
        verified
            .first()
            .and_then(cosignature_time)
            .ok_or_else(|| Error::invalid(format!("no cosignature by {}", witness.name)))
    }

    fn check_empty_root(&self) -> Result<()> {
        if self.size() == 0 && self.root() != EMPTY_HASH {
            return Err(Error::invalid(
                "checkpoint of size 0 without the empty tree's root hash",
            ));
        }
        Ok(())
    }

    /// Verifies the log signature (a log of the policy whose name is the origin) and the
    /// cosignatures of the policy's witnesses, then the quorum.
    pub fn verify(&self, policy: &Policy) -> Result<Verified> {
        let origin = self.origin();
        let logs: Vec<&VKey> = policy
            .logs
            .iter()
            .filter(|l| l.vkey.name == origin)
            .map(|l| &l.vkey)
            .collect();
        if logs.is_empty() {
            return Err(Error::invalid(format!(
                "checkpoint origin {origin:?} is not a log of the policy"
            )));
        }
        let mut verifiers = Vec::new();
        for l in &logs {
            verifiers.push(l.verifier()?);
        }
        for w in &policy.witnesses {
            verifiers.push(w.vkey.verifier()?);
        }
        let (verified, _unknown) = self
            .note()?
            .verify(&VerifierList::new(verifiers))
            .map_err(|e| note_error(e, origin))?;
        let by_log = verified
            .iter()
            .any(|s| logs.iter().any(|l| l.name == s.name() && l.id == s.id()));
        if !by_log {
            return Err(Error::invalid(format!(
                "checkpoint is not signed by the log {origin:?}"
            )));
        }
        self.check_empty_root()?;
        let mut cosigned = BTreeSet::new();
        let mut witnesses = Vec::new();
        for s in &verified {
            if let Some(i) = policy
                .witnesses
                .iter()
                .position(|w| w.vkey.name == s.name() && w.vkey.id == s.id())
            {
                cosigned.insert(i);
                witnesses.push((
                    policy.witnesses[i].name.clone(),
                    cosignature_time(s).unwrap_or(0),
                ));
            }
        }
        if !policy.quorum_met(&cosigned) {
            return Err(Error::invalid(format!(
                "checkpoint is cosigned by {} of the policy's witnesses ({}), which is not a quorum",
                witnesses.len(),
                witnesses
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Ok(Verified {
            origin: origin.to_string(),
            size: self.size(),
            root: self.root().to_string(),
            witnesses,
        })
    }
}

fn note_error(e: signed_note::NoteError, origin: &str) -> Error {
    match e {
        signed_note::NoteError::UnverifiedNote => Error::invalid(format!(
            "checkpoint for {origin:?} carries no signature by a known key"
        )),
        signed_note::NoteError::InvalidSignature { name, id } => Error::invalid(format!(
            "checkpoint for {origin:?}: the signature of {name}+{id:08x} does not verify"
        )),
        other => Error::invalid(format!("checkpoint for {origin:?}: {other}")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::keys::{ALG_COSIGNATURE_V1, ALG_ED25519};

    #[test]
    fn sign_parse_verify() {
        let log = SecretKey::from_seed("example.com/log", ALG_ED25519, [1; 32]).unwrap();
        let w = SecretKey::from_seed("w.example/1", ALG_COSIGNATURE_V1, [2; 32]).unwrap();
        let mut c = SignedCheckpoint::sign(&log, 0, EMPTY_HASH).unwrap();
        c.add_signatures(&[w.cosign(&c.text, 5).unwrap()]);
        let bytes = c.to_bytes();
        let p = SignedCheckpoint::parse(&bytes).unwrap();
        assert_eq!(p.to_bytes(), bytes);
        p.verify_log(&log.vkey()).unwrap();
        let policy = Policy::parse(&format!(
            "log {}\nwitness a {}\nquorum a\n",
            log.vkey().encode(),
            w.vkey().encode()
        ))
        .unwrap();
        let v = p.verify(&policy).unwrap();
        assert_eq!(v.witnesses, vec![("a".to_string(), 5)]);
        // A later cosignature by the same witness replaces the earlier one.
        let mut q = SignedCheckpoint::parse(&bytes).unwrap();
        q.add_signatures(&[w.cosign(&q.text, 6).unwrap()]);
        assert_eq!(q.signatures.len(), 2);
        assert_eq!(q.verify(&policy).unwrap().witnesses[0].1, 6);
    }

    #[test]
    fn malformed_checkpoints_say_why() {
        let log = SecretKey::from_seed("example.com/log", ALG_ED25519, [1; 32]).unwrap();
        let good = String::from_utf8(
            SignedCheckpoint::sign(&log, 0, EMPTY_HASH)
                .unwrap()
                .to_bytes(),
        )
        .unwrap();
        for (text, why) in [
            ("".to_string(), "not a signed note"),
            (good.replace("\n\n", "\n"), "not a signed note"),
            (good.replace("— ", "- "), "not a signed note"),
            (good.replacen("\n0\n", "\n00\n", 1), "note text is not"),
            (good.replacen("\n0\n", "\n-1\n", 1), "note text is not"),
            (
                good.replacen(
                    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                    "47DEQpj8",
                    1,
                ),
                "note text is not",
            ),
            (
                good.replacen("\n0\n", "\n99999999999999\n", 1),
                "larger than",
            ),
            (good.replace('\n', "\r\n"), "not a signed note"),
            ("x".repeat(MAX_NOTE_SIZE + 1), "more than"),
        ] {
            let e = SignedCheckpoint::parse(text.as_bytes()).unwrap_err();
            assert!(e.message.contains(why), "{text:?}: {e}");
        }
        // Well-formed, but the signature is by someone else, or does not verify.
        let other = SecretKey::from_seed("example.com/log", ALG_ED25519, [9; 32]).unwrap();
        let c = SignedCheckpoint::parse(good.as_bytes()).unwrap();
        assert!(c
            .verify_log(&other.vkey())
            .unwrap_err()
            .message
            .contains("no signature by a known key"));
        let mut forged = SignedCheckpoint::parse(good.as_bytes()).unwrap();
        let s = &forged.signatures[0];
        let mut sig = s.signature().to_vec();
        sig[0] ^= 1;
        forged.signatures = vec![Signature::new(s.name().into(), s.id(), sig).unwrap()];
        assert!(forged
            .verify_log(&log.vkey())
            .unwrap_err()
            .message
            .contains("does not verify"));
        // Size 0 with another root.
        let bad = SignedCheckpoint::sign(&log, 0, Hash([1; 32])).unwrap();
        assert!(bad
            .verify_log(&log.vkey())
            .unwrap_err()
            .message
            .contains("empty tree"));
    }
}
