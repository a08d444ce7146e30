//! Subresource Integrity (W3C SRI): computing, parsing and matching
//! integrity metadata.
//!
//! Parsing follows the spec's "parse metadata": the attribute is split on
//! ASCII whitespace; each token is `alg-value[?options]`; options are
//! ignored; tokens with an unknown algorithm or a malformed value are
//! skipped, never fatal.  Matching follows "do bytes match metadataList":
//! only the strongest algorithm present counts, and any one of its values
//! matching is enough.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
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
    /// The hashes, in attribute order.  Empty if nothing was usable.
    pub hashes: Vec<Hash>,
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

fn decode_digest(value: &str, algorithm: Algorithm) -> Option<Vec<u8>> {
    // The spec's grammar is base64; base64url is accepted by browsers too.
    // A value that decodes to the wrong length cannot be a digest of that
    // algorithm and is treated as malformed.
    [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(value).ok())
        .filter(|d| d.len() == algorithm.digest_len())
}

impl Integrity {
    /// Parses an `integrity` attribute value.  Never fails: unusable tokens
    /// are skipped, as the spec requires.
    pub fn parse(metadata: &str) -> Self {
        let hashes = metadata
            .split(|c: char| c.is_ascii_whitespace())
            .filter(|t| !t.is_empty())
            .filter_map(|token| {
                let without_options = token.split('?').next().unwrap_or("");
                let (alg, value) = without_options.split_once('-')?;
                let algorithm = Algorithm::from_name(alg)?;
                let digest = decode_digest(value, algorithm)?;
                Some(Hash { algorithm, digest })
            })
            .collect();
        Integrity { hashes }
    }

    /// The strongest algorithm present, if any.
    pub fn strongest(&self) -> Option<Algorithm> {
        self.hashes.iter().map(|h| h.algorithm).max()
    }

    /// The hashes of the strongest algorithm.
    pub fn strongest_hashes(&self) -> impl Iterator<Item = &Hash> {
        let s = self.strongest();
        self.hashes.iter().filter(move |h| Some(h.algorithm) == s)
    }

    /// Matches bytes against this metadata.
    pub fn matches(&self, data: &[u8]) -> Match {
        match self.strongest() {
            None => Match::NoMetadata,
            Some(alg) => self.matches_hash(&compute(alg, data)),
        }
    }

    /// Matches a precomputed hash (of the strongest algorithm).
    pub fn matches_hash(&self, actual: &Hash) -> Match {
        match self.strongest() {
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
            "  md5-AAAA sha1-BBBB {good}?foo=bar sha384-not!base64 sha256- sha384-AAAA \t"
        ));
        assert_eq!(i.hashes.len(), 1);
        assert_eq!(i.matches(body), Match::Matched);
        assert_eq!(Integrity::parse("").matches(body), Match::NoMetadata);
        assert_eq!(
            Integrity::parse("md5-abc sha999-xyz").matches(body),
            Match::NoMetadata
        );
        // Algorithm names are case-insensitive; base64url is accepted.
        let url = good.replace('+', "-").replace('/', "_");
        assert_eq!(
            Integrity::parse(&good.replace("sha384", "SHA384")).matches(body),
            Match::Matched
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
