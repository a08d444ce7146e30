//! Subresource Integrity (W3C SRI): computing, parsing and matching
//! integrity metadata — parsed exactly as Chromium parses it, because the
//! verifier must say "the browser refuses these bytes" only when Chromium
//! does.
//!
//! Parsing (case by case against headless Chromium: the table
//! `verifier/tests/sri-chromium.json`, run by `tests/sri_chromium.rs` here
//! and by `tests/e2e/sri-chromium.test.mjs` in Chromium): the attribute is
//! split on ASCII whitespace; a token is `prefix-digest[?options]` where the
//! prefix is `sha256`, `sha384`, `sha512`, `sha-256`, `sha-384` or
//! `sha-512`, **lower case only** (Chromium skips `SHA384-…`); the digest is
//! base64 or base64url, padding optional; options are ignored; a token
//! with any other character after the digest, or an empty digest, is
//! skipped.  A recognized digest of the wrong length is not skipped: it is
//! a value that never matches.  `ed25519-…` asks for a signature
//! (Chromium's signature-based integrity), which sealpost never serves: it
//! never matches.  Matching follows "do bytes match metadataList": only the
//! strongest algorithm present counts, and any one of its values matching
//! is enough.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The hash algorithms SRI defines, weakest first (the order is the
/// spec's priority order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Algorithm {
    /// SHA-256
    Sha256,
    /// SHA-384 (sealpost's default)
    Sha384,
    /// SHA-512
    Sha512,
}

impl Algorithm {
    /// Parses `sha256` / `sha384` / `sha512` (ASCII case-insensitive).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "sha256" => Some(Algorithm::Sha256),
            "sha384" => Some(Algorithm::Sha384),
            "sha512" => Some(Algorithm::Sha512),
            _ => None,
        }
    }

    /// The token form.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha384 => "sha384",
            Algorithm::Sha512 => "sha512",
        }
    }

    fn digest_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 32,
            Algorithm::Sha384 => 48,
            Algorithm::Sha512 => 64,
        }
    }
}

/// One hash: an algorithm and a digest.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Hash {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// The raw digest.
    pub digest: Vec<u8>,
}

impl std::fmt::Display for Hash {
    /// `sha384-<base64>`, the form used in `integrity` attributes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}-{}",
            self.algorithm.name(),
            STANDARD.encode(&self.digest)
        )
    }
}

/// An incremental hasher, so large files are hashed streaming.
pub struct Hasher(Inner);

enum Inner {
    S256(Sha256),
    S384(Sha384),
    S512(Sha512),
}

impl Hasher {
    /// A new hasher for `algorithm`.
    pub fn new(algorithm: Algorithm) -> Self {
        Hasher(match algorithm {
            Algorithm::Sha256 => Inner::S256(Sha256::new()),
            Algorithm::Sha384 => Inner::S384(Sha384::new()),
            Algorithm::Sha512 => Inner::S512(Sha512::new()),
        })
    }

    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            Inner::S256(h) => h.update(data),
            Inner::S384(h) => h.update(data),
            Inner::S512(h) => h.update(data),
        }
    }

    /// The final hash.
    pub fn finish(self) -> Hash {
        let (algorithm, digest) = match self.0 {
            Inner::S256(h) => (Algorithm::Sha256, h.finalize().to_vec()),
            Inner::S384(h) => (Algorithm::Sha384, h.finalize().to_vec()),
            Inner::S512(h) => (Algorithm::Sha512, h.finalize().to_vec()),
        };
        Hash { algorithm, digest }
    }
}

/// Hashes `data` in one go.
pub fn compute(algorithm: Algorithm, data: &[u8]) -> Hash {
    let mut h = Hasher::new(algorithm);
    h.update(data);
    h.finish()
}

/// Parsed integrity metadata: the usable hashes of an `integrity` value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Integrity {
    /// The well-formed hashes, in attribute order.  Empty if nothing was usable.
    pub hashes: Vec<Hash>,
    /// Algorithms of recognized tokens whose digest can never match (the
    /// wrong length, or not base64): they still count for "the strongest".
    pub unmatchable: Vec<Algorithm>,
    /// An `ed25519-…` token: a signature is required, which never holds here.
    pub signature_required: bool,
}

/// The outcome of matching bytes against integrity metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// A value of the strongest algorithm matched.
    Matched,
    /// No value of the strongest algorithm matched.
    Mismatched,
    /// There was no usable metadata (the spec then lets the resource load;
    /// sealpost reports it as a problem of its own).
    NoMetadata,
}

/// Algorithm prefixes as Chromium recognizes them (case-sensitive).
const PREFIXES: [(&str, Option<Algorithm>); 7] = [
    ("sha256-", Some(Algorithm::Sha256)),
    ("sha-256-", Some(Algorithm::Sha256)),
    ("sha384-", Some(Algorithm::Sha384)),
    ("sha-384-", Some(Algorithm::Sha384)),
    ("sha512-", Some(Algorithm::Sha512)),
    ("sha-512-", Some(Algorithm::Sha512)),
    ("ed25519-", None),
];

/// One token's meaning: a digest of an algorithm (`Some` bytes if it can
/// match), or a signature requirement.
enum Token {
    Digest(Algorithm, Option<Vec<u8>>),
    Signature,
}

/// A token, or `None` if it is skipped.
fn parse_token(token: &str) -> Option<Token> {
    let (algorithm, rest) = PREFIXES
        .iter()
        .find_map(|(p, a)| token.strip_prefix(p).map(|rest| (*a, rest)))?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_' | '=')))
        .unwrap_or(rest.len());
    let (value, after) = rest.split_at(end);
    // After the digest: nothing, or options after '?'; anything else spoils the token.
    if value.is_empty() || !(after.is_empty() || after.starts_with('?')) {
        return None;
    }
    match algorithm {
        None => Some(Token::Signature),
        Some(a) => Some(Token::Digest(a, decode_digest(value, a))),
    }
}

fn decode_digest(value: &str, algorithm: Algorithm) -> Option<Vec<u8>> {
    // base64 or base64url, padding optional (as Chromium).  A value that
    // decodes to the wrong length cannot be a digest of that algorithm.
    let normalized: String = value
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    STANDARD_NO_PAD
        .decode(normalized)
        .ok()
        .filter(|d| d.len() == algorithm.digest_len())
}

impl Integrity {
    /// Parses an `integrity` attribute value.  Never fails: unusable tokens
    /// are skipped, as Chromium does.
    pub fn parse(metadata: &str) -> Self {
        let mut out = Integrity::default();
        let tokens = metadata
            .split(|c: char| c.is_ascii_whitespace())
            .filter(|t| !t.is_empty());
        for token in tokens {
            match parse_token(token) {
                None => {}
                Some(Token::Signature) => out.signature_required = true,
                Some(Token::Digest(algorithm, Some(digest))) => {
                    out.hashes.push(Hash { algorithm, digest })
                }
                Some(Token::Digest(algorithm, None)) => out.unmatchable.push(algorithm),
            }
        }
        out
    }

    /// The strongest algorithm present, if any.
    pub fn strongest(&self) -> Option<Algorithm> {
        self.hashes
            .iter()
            .map(|h| h.algorithm)
            .chain(self.unmatchable.iter().copied())
            .max()
    }

    /// The hashes of the strongest algorithm.
    pub fn strongest_hashes(&self) -> impl Iterator<Item = &Hash> {
        let s = self.strongest();
        self.hashes.iter().filter(move |h| Some(h.algorithm) == s)
    }

    /// Matches bytes against this metadata.
    pub fn matches(&self, data: &[u8]) -> Match {
        match self.strongest() {
            None if self.signature_required => Match::Mismatched,
            None => Match::NoMetadata,
            Some(alg) => self.matches_hash(&compute(alg, data)),
        }
    }

    /// Matches a precomputed hash (of the strongest algorithm).
    pub fn matches_hash(&self, actual: &Hash) -> Match {
        match self.strongest() {
            _ if self.signature_required => Match::Mismatched,
            None => Match::NoMetadata,
            Some(alg) if alg != actual.algorithm => Match::Mismatched,
            Some(_) => {
                if self.strongest_hashes().any(|h| h.digest == actual.digest) {
                    Match::Matched
                } else {
                    Match::Mismatched
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of the SRI specification (§3.2.1).
    #[test]
    fn spec_worked_example() {
        let h = compute(Algorithm::Sha384, b"alert('Hello, world.');");
        assert_eq!(
            h.to_string(),
            "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
        );
    }

    #[test]
    fn strongest_algorithm_rule() {
        let body = b"alert('Hello, world.');";
        let good384 = compute(Algorithm::Sha384, body).to_string();
        let bad512 = compute(Algorithm::Sha512, b"something else").to_string();
        let good256 = compute(Algorithm::Sha256, body).to_string();
        // Only the strongest (sha512) counts: a wrong sha512 fails even with a right sha384.
        assert_eq!(
            Integrity::parse(&format!("{good384} {bad512}")).matches(body),
            Match::Mismatched
        );
        // Any value of the strongest algorithm may match.
        let good512 = compute(Algorithm::Sha512, body).to_string();
        assert_eq!(
            Integrity::parse(&format!("{bad512} {good512} {good256}")).matches(body),
            Match::Matched
        );
        // A weaker wrong value is irrelevant.
        let bad256 = compute(Algorithm::Sha256, b"x").to_string();
        assert_eq!(
            Integrity::parse(&format!("{bad256} {good384}")).matches(body),
            Match::Matched
        );
    }

    #[test]
    fn options_ignored_unknown_and_malformed_skipped() {
        let body = b"x";
        let good = compute(Algorithm::Sha384, body).to_string();
        let i = Integrity::parse(&format!(
            "  md5-AAAA sha1-BBBB {good}?foo=bar sha384-not!base64 sha256- \t"
        ));
        assert_eq!(i.hashes.len(), 1);
        assert_eq!(i.matches(body), Match::Matched);
        assert_eq!(Integrity::parse("").matches(body), Match::NoMetadata);
        assert_eq!(
            Integrity::parse("md5-abc sha999-xyz").matches(body),
            Match::NoMetadata
        );
        // Algorithm names are lower case only (as in Chromium); base64url is accepted.
        let url = good.replace('+', "-").replace('/', "_");
        assert_eq!(
            Integrity::parse(&good.replace("sha384", "SHA384")).matches(body),
            Match::NoMetadata
        );
        assert_eq!(Integrity::parse(&url).matches(body), Match::Matched);
    }

    #[test]
    fn streaming_equals_one_shot() {
        let data: Vec<u8> = (0..100_000u32).map(|i| i as u8).collect();
        for alg in [Algorithm::Sha256, Algorithm::Sha384, Algorithm::Sha512] {
            let mut h = Hasher::new(alg);
            for c in data.chunks(777) {
                h.update(c);
            }
            assert_eq!(h.finish(), compute(alg, &data));
        }
    }
}
