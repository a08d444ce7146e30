//! The one error type of the core, and the only place where sequoia's
//! `anyhow` errors are inspected.
//!
//! Every variant maps to a stable [`ErrorCode`] whose string form is public
//! API (the wasm layer and the JS shim expose it as `err.code`).  Messages
//! never contain secret key material, passphrases or plaintext: they are
//! written here, from fixed text plus public facts (fingerprints, algorithm
//! names, limits).

use std::fmt;

/// Stable machine-readable error codes.  The string form never changes.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// A passphrase did not unlock a secret key.
    BadPassphrase,
    /// A secret key is locked and no passphrase was given for it.
    KeyLocked,
    /// None of the given keys or passwords is one the message was encrypted to.
    NoMatchingKey,
    /// Decryption failed: wrong session key, damaged ciphertext or failed
    /// integrity check.  Deliberately coarse (no oracle).
    DecryptionFailed,
    /// The input is not well-formed OpenPGP (or armor) data.
    MalformedInput,
    /// The input is well-formed but rejected by the policy (SHA-1
    /// signatures, weak keys, data without integrity protection...).
    PolicyRejected,
    /// A feature or algorithm that this build does not support.
    Unsupported,
    /// An argument was out of range or inconsistent.
    InvalidArgument,
    /// A certificate has no key usable for the requested operation
    /// (expired, revoked, or no such capability).
    NoUsableKey,
    /// A valid signature was required but none was found.
    NoValidSignature,
    /// A resource limit was exceeded (size, count, memory).
    LimitExceeded,
    /// Decompression produced far more output than the input could
    /// legitimately hold (see `Policy::with_max_compression_ratio`).
    DecompressionBomb,
    /// `decrypt` was given data that is not encrypted (use `verify`).
    NotEncrypted,
    /// Anything else.  Should not happen; report it.
    Internal,
}

impl ErrorCode {
    /// Every code, for parity tests with the JS table.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::BadPassphrase,
        ErrorCode::KeyLocked,
        ErrorCode::NoMatchingKey,
        ErrorCode::DecryptionFailed,
        ErrorCode::MalformedInput,
        ErrorCode::PolicyRejected,
        ErrorCode::Unsupported,
        ErrorCode::InvalidArgument,
        ErrorCode::NoUsableKey,
        ErrorCode::NoValidSignature,
        ErrorCode::LimitExceeded,
        ErrorCode::DecompressionBomb,
        ErrorCode::NotEncrypted,
        ErrorCode::Internal,
    ];

    /// The stable string form, e.g. `"BAD_PASSPHRASE"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadPassphrase => "BAD_PASSPHRASE",
            ErrorCode::KeyLocked => "KEY_LOCKED",
            ErrorCode::NoMatchingKey => "NO_MATCHING_KEY",
            ErrorCode::DecryptionFailed => "DECRYPTION_FAILED",
            ErrorCode::MalformedInput => "MALFORMED_INPUT",
            ErrorCode::PolicyRejected => "POLICY_REJECTED",
            ErrorCode::Unsupported => "UNSUPPORTED",
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::NoUsableKey => "NO_USABLE_KEY",
            ErrorCode::NoValidSignature => "NO_VALID_SIGNATURE",
            ErrorCode::LimitExceeded => "LIMIT_EXCEEDED",
            ErrorCode::DecompressionBomb => "DECOMPRESSION_BOMB",
            ErrorCode::NotEncrypted => "NOT_ENCRYPTED",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from the core: a stable code plus a human-readable message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
    /// UNSUPPORTED because this build left the algorithm out (the default
    /// wasm module); the full build has it.
    missing_algorithm: bool,
}

impl std::error::Error for Error {}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// The core's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Creates an error.  `message` must not contain secrets or plaintext.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            missing_algorithm: false,
        }
    }

    /// An UNSUPPORTED error for an algorithm this build left out but the full
    /// build has (see [`build_lacks`]).
    pub(crate) fn missing(message: impl Into<String>) -> Self {
        Error {
            missing_algorithm: true,
            ..Error::new(ErrorCode::Unsupported, message)
        }
    }

    /// Whether this error is UNSUPPORTED only because this build left the
    /// algorithm out: a build with every algorithm (the wasm `full` module)
    /// may do what this one could not.  Never set for what no build supports.
    pub fn missing_algorithm(&self) -> bool {
        self.missing_algorithm
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human-readable message (no secrets, no plaintext).
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidArgument, message)
    }

    /// The uniform decryption failure.  The same text whatever went wrong,
    /// so that the error cannot serve as an oracle.
    pub(crate) fn decryption_failed() -> Self {
        Error::new(ErrorCode::DecryptionFailed, "decryption failed")
    }

    /// Finds one of our own errors however deep sequoia wrapped it (in anyhow,
    /// in io::Error, in anyhow again).  Our errors carry decisions (a required
    /// signature missing, a limit) that must not be re-labelled.
    pub(crate) fn own(e: &anyhow::Error) -> Option<Error> {
        fn walk(e: &(dyn std::error::Error + 'static), depth: usize) -> Option<Error> {
            if depth > 16 {
                return None;
            }
            if let Some(own) = e.downcast_ref::<Error>() {
                return Some(own.clone());
            }
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if let Some(inner) = io.get_ref() {
                    if let Some(found) = walk(inner, depth + 1) {
                        return Some(found);
                    }
                }
            }
            e.source().and_then(|s| walk(s, depth + 1))
        }
        if let Some(own) = e.downcast_ref::<Error>() {
            return Some(own.clone());
        }
        e.chain().find_map(|c| walk(c, 0))
    }

    /// Classifies an error from sequoia while *parsing or checking* data.
    /// `what` names the input ("certificate", "message", ...).
    pub(crate) fn from_parse(what: &str, e: anyhow::Error) -> Self {
        use sequoia_openpgp::Error as E;
        if let Some(own) = Error::own(&e) {
            return own;
        }
        if let Some(se) = e.downcast_ref::<E>() {
            let code = match se {
                E::PolicyViolation(..) => ErrorCode::PolicyRejected,
                E::UnsupportedPacketType(..)
                | E::UnsupportedHashAlgorithm(..)
                | E::UnsupportedPublicKeyAlgorithm(..)
                | E::UnsupportedEllipticCurve(..)
                | E::UnsupportedSymmetricAlgorithm(..)
                | E::UnsupportedAEADAlgorithm(..)
                | E::UnsupportedCompressionAlgorithm(..)
                | E::UnsupportedSignatureType(..) => ErrorCode::Unsupported,
                E::ManipulatedMessage | E::MissingSessionKey(..) => {
                    return Error::decryption_failed()
                }
                E::InvalidPassword => ErrorCode::BadPassphrase,
                _ => ErrorCode::MalformedInput,
            };
            let msg = format!("{what}: {}", sanitize(&se.to_string()));
            if code == ErrorCode::Unsupported && build_lacks(se) {
                return Error::missing(msg);
            }
            return Error::new(code, msg);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            // sequoia's streaming readers wrap their errors in io::Error.
            if let Some(inner) = io.get_ref() {
                if let Some(se) = inner.downcast_ref::<E>() {
                    let wrapped = anyhow::Error::from(se.clone());
                    return Error::from_parse(what, wrapped);
                }
            }
            return Error::new(
                ErrorCode::MalformedInput,
                format!("{what}: {}", sanitize(&io.to_string())),
            );
        }
        Error::new(
            ErrorCode::MalformedInput,
            format!("{what}: {}", sanitize(&e.to_string())),
        )
    }

    /// Classifies an error from sequoia while *producing* data from inputs
    /// we already parsed: anything unexpected is internal.
    pub(crate) fn from_op(what: &str, e: anyhow::Error) -> Self {
        use sequoia_openpgp::Error as E;
        if let Some(own) = Error::own(&e) {
            return own;
        }
        match e.downcast_ref::<E>() {
            Some(E::PolicyViolation(..)) => Error::new(
                ErrorCode::PolicyRejected,
                format!("{what}: {}", sanitize(&e.to_string())),
            ),
            Some(
                se @ (E::UnsupportedPublicKeyAlgorithm(..)
                | E::UnsupportedEllipticCurve(..)
                | E::UnsupportedHashAlgorithm(..)
                | E::UnsupportedSymmetricAlgorithm(..)
                | E::UnsupportedAEADAlgorithm(..)),
            ) => {
                let msg = format!("{what}: {}", sanitize(&e.to_string()));
                if build_lacks(se) {
                    Error::missing(msg)
                } else {
                    Error::new(ErrorCode::Unsupported, msg)
                }
            }
            Some(E::InvalidPassword) => Error::new(ErrorCode::BadPassphrase, "wrong passphrase"),
            Some(E::InvalidArgument(..) | E::InvalidOperation(..)) => Error::new(
                ErrorCode::InvalidArgument,
                format!("{what}: {}", sanitize(&e.to_string())),
            ),
            _ => Error::new(
                ErrorCode::Internal,
                format!("{what}: {}", sanitize(&e.to_string())),
            ),
        }
    }
}

/// Whether sequoia's Unsupported* error names an algorithm that this build
/// left out and the full build has: the families sealpost-wasm's default
/// module leaves out (NIST curves, Curve448, DSA, post-quantum, the legacy
/// ciphers and hashes, BZip2; third_party/PATCH.md).  What sequoia's pure-Rust
/// backend never implements (ElGamal, Brainpool, private and unknown
/// algorithms) is plain UNSUPPORTED in every build.
pub(crate) fn build_lacks(e: &sequoia_openpgp::Error) -> bool {
    use sequoia_openpgp::Error as E;
    match e {
        E::UnsupportedPublicKeyAlgorithm(a) => pk_algo_lacking(*a),
        E::UnsupportedEllipticCurve(c) => curve_lacking(c),
        E::UnsupportedSymmetricAlgorithm(s) => symmetric_lacking(*s),
        E::UnsupportedHashAlgorithm(h) => hash_lacking(*h),
        E::UnsupportedCompressionAlgorithm(c) => compression_lacking(*c),
        _ => false,
    }
}

pub(crate) fn pk_algo_lacking(a: sequoia_openpgp::types::PublicKeyAlgorithm) -> bool {
    use sequoia_openpgp::types::PublicKeyAlgorithm as P;
    #[allow(deprecated)]
    let full_has = matches!(
        a,
        P::X448
            | P::Ed448
            | P::DSA
            | P::MLDSA65_Ed25519
            | P::MLDSA87_Ed448
            | P::SLHDSA128s
            | P::SLHDSA128f
            | P::SLHDSA256s
            | P::MLKEM768_X25519
            | P::MLKEM1024_X448
    );
    full_has && !a.is_supported()
}

pub(crate) fn curve_lacking(c: &sequoia_openpgp::types::Curve) -> bool {
    use sequoia_openpgp::types::Curve as C;
    matches!(c, C::NistP256 | C::NistP384 | C::NistP521) && !c.is_supported()
}

pub(crate) fn symmetric_lacking(s: sequoia_openpgp::types::SymmetricAlgorithm) -> bool {
    // IDEA, TripleDES and CAST5 are past sequoia's StandardPolicy cut-off: the full
    // build refuses them too for messages, so fetching it would not help.
    use sequoia_openpgp::policy::{Policy as _, StandardPolicy};
    symmetric_in_full_only(s) && StandardPolicy::new().symmetric_algorithm(s).is_ok()
}

/// A cipher only the full build has, whatever the policy says of it: what
/// protects a secret key is not policed (sequoia unlocks a CAST5-protected
/// key, as old GnuPG exports are), so there the full build does help.
pub(crate) fn symmetric_in_full_only(s: sequoia_openpgp::types::SymmetricAlgorithm) -> bool {
    use sequoia_openpgp::types::SymmetricAlgorithm as S;
    #[allow(deprecated)]
    let full_has = matches!(
        s,
        S::IDEA
            | S::TripleDES
            | S::CAST5
            | S::Blowfish
            | S::Twofish
            | S::Camellia128
            | S::Camellia192
            | S::Camellia256
    );
    full_has && !s.is_supported()
}

pub(crate) fn hash_lacking(h: sequoia_openpgp::types::HashAlgorithm) -> bool {
    use sequoia_openpgp::types::HashAlgorithm as H;
    matches!(h, H::MD5 | H::RipeMD) && !h.is_supported()
}

pub(crate) fn compression_lacking(c: sequoia_openpgp::types::CompressionAlgorithm) -> bool {
    use sequoia_openpgp::types::CompressionAlgorithm as Z;
    matches!(c, Z::BZip2) && !c.is_supported()
}

/// Whether a key uses an algorithm (or curve) this build left out and the
/// full build has.
pub(crate) fn key_lacking<P, R>(key: &sequoia_openpgp::packet::Key<P, R>) -> bool
where
    P: sequoia_openpgp::packet::key::KeyParts,
    R: sequoia_openpgp::packet::key::KeyRole,
{
    use sequoia_openpgp::crypto::mpi::PublicKey as M;
    let curve = match key.mpis() {
        M::ECDSA { curve, .. } | M::ECDH { curve, .. } | M::EdDSA { curve, .. } => Some(curve),
        _ => None,
    };
    pk_algo_lacking(key.pk_algo()) || curve.is_some_and(curve_lacking)
}

/// Whether any key of the certificate uses an algorithm this build left out
/// and the full build has.
pub(crate) fn cert_lacking(cert: &sequoia_openpgp::Cert) -> bool {
    cert.keys().any(|ka| key_lacking(ka.key()))
}

/// Bounds what a third-party message can put into ours: one line, printable
/// characters, at most 200 of them.  sequoia's messages describe structure,
/// not content, but we do not rely on that for length or control characters.
fn sanitize(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect();
    if s.chars().count() > 200 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_screaming_snake() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(s.chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{s}");
        }
    }

    #[test]
    #[allow(deprecated)]
    fn a_full_build_lacks_nothing() {
        // The native tests build sequoia with every family (crypto-rust), so
        // nothing is missing; the default wasm module's answers are tested in
        // Node (tests/node/default-module.test.mjs).
        use sequoia_openpgp::types::*;
        use sequoia_openpgp::Error as E;
        assert!(!build_lacks(&E::UnsupportedEllipticCurve(Curve::NistP256)));
        assert!(!build_lacks(&E::UnsupportedPublicKeyAlgorithm(
            PublicKeyAlgorithm::X448
        )));
        assert!(!build_lacks(&E::UnsupportedSymmetricAlgorithm(
            SymmetricAlgorithm::CAST5
        )));
        assert!(!build_lacks(&E::UnsupportedHashAlgorithm(
            HashAlgorithm::MD5
        )));
        assert!(!build_lacks(&E::UnsupportedCompressionAlgorithm(
            CompressionAlgorithm::BZip2
        )));
        // Never in any build.
        let elgamal = PublicKeyAlgorithm::ElGamalEncrypt;
        assert!(!build_lacks(&E::UnsupportedPublicKeyAlgorithm(elgamal)));
        assert!(!build_lacks(&E::UnsupportedEllipticCurve(
            Curve::BrainpoolP256
        )));
        let e = Error::from_op(
            "sign",
            E::UnsupportedEllipticCurve(Curve::BrainpoolP256).into(),
        );
        assert_eq!(e.code(), ErrorCode::Unsupported);
        assert!(!e.missing_algorithm());
    }

    #[test]
    fn sanitize_bounds_length_and_controls() {
        let long = "a\nb".repeat(300);
        let s = sanitize(&long);
        assert!(!s.contains('\n'));
        assert!(s.chars().count() <= 201);
    }
}
