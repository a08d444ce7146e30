//! sealpost's release transparency log, in the C2SP formats only:
//!
//! - [`attest`]: rebuild attestations (a rebuilder's signed statement, logged as its own entry kind);
//! - [`binding`]: enrollment records (an origin bound to its release key, and since when: the cool-down);
//! - [`entry`]: what one leaf says (app, version, manifest SHA-256, release key, source commit);
//! - [`tiles`]: C2SP `tlog-tiles` paths and entry bundles over `tlog_tiles`' tile maths;
//! - [`keys`]: Ed25519 log keys (signed-note type 0x01) and `cosignature/v1` witness keys (0x04);
//! - [`checkpoint`]: signed `tlog-checkpoint` notes, their signatures and cosignatures;
//! - [`policy`]: C2SP `tlog-policy` files (logs, witnesses, groups, quorum);
//! - [`proof`]: inclusion and consistency proofs, and C2SP `tlog-proof` files;
//! - [`witness`]: the `tlog-witness` `add-checkpoint` protocol (request, checks, answer);
//! - [`client`]: what the browser guard checks (inclusion, quorum, consistency with the checkpoint it holds);
//! - [`logdir`]: a log kept in a directory laid out as `tlog-tiles`, servable by any static host.
//!
//! The Merkle maths (RFC 6962 §2.1 hashing, audit paths, consistency proofs,
//! tile authentication) is `tlog_tiles`'; notes are `signed_note`'s. This crate
//! is the glue, and every parser here bounds its input and returns an error,
//! never panics: `tlog_tiles` asserts on some impossible inputs (tree sizes near
//! 2^64, over-long proofs), so sizes and lengths are checked before it sees them.

pub mod attest;
pub mod binding;
pub mod checkpoint;
pub mod client;
pub mod entry;
pub mod keys;
pub mod logdir;
pub mod policy;
pub mod proof;
pub mod tiles;
pub mod witness;

pub use tlog_tiles::{Hash, HASH_SIZE};

/// The largest tree this crate handles (2^40 leaves: a trillion releases). Bounding it keeps
/// `tlog_tiles`' shifts (`size >> 8*level`) far from 64 bits.
pub const MAX_TREE_SIZE: u64 = 1 << 40;

/// Every failure, with a message that says what was wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

/// What kind of failure: malformed input, a failed cryptographic check, or I/O.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bytes that do not parse: a malformed entry, tile, note, checkpoint, proof or policy.
    Malformed,
    /// Well-formed, but a signature, proof or quorum does not verify.
    Invalid,
    /// The log or a witness refuses (rewind, fork, unknown log).
    Conflict,
    /// Reading or writing failed.
    Io,
}

impl Error {
    pub fn malformed(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Malformed,
            message: message.into(),
        }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Invalid,
            message: message.into(),
        }
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Conflict,
            message: message.into(),
        }
    }
    pub fn io(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Io,
            message: message.into(),
        }
    }
    /// The same error with `context: ` in front of its message.
    pub fn context(mut self, context: impl std::fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Standard base64 (RFC 4648 §4), as every C2SP format uses.
pub(crate) fn b64(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Strict standard base64: canonical padding, no whitespace.
pub(crate) fn unb64(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

/// A hash from its base64 line, or a clear error naming `what`.
pub fn parse_hash(s: &str, what: &str) -> Result<Hash> {
    let bytes = unb64(s).ok_or_else(|| Error::malformed(format!("{what}: not base64: {s:?}")))?;
    let arr: [u8; HASH_SIZE] = bytes.try_into().map_err(|v: Vec<u8>| {
        Error::malformed(format!(
            "{what}: a hash is {HASH_SIZE} bytes, this is {}",
            v.len()
        ))
    })?;
    Ok(Hash(arr))
}

/// A decimal with no leading zeroes ("0" itself is fine), as C2SP formats write sizes and indexes.
pub fn parse_decimal(s: &str, what: &str) -> Result<u64> {
    let ok = !s.is_empty()
        && s.len() <= 20
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'));
    if !ok {
        return Err(Error::malformed(format!(
            "{what}: {s:?} is not a decimal without leading zeroes"
        )));
    }
    s.parse::<u64>()
        .map_err(|_| Error::malformed(format!("{what}: {s:?} is too large")))
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(data).into()
}

/// Lower-case hex.
pub fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}
