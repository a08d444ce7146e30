//! Errors of the verifier library.  Problems found in what is checked are
//! not errors: they are entries of a [`crate::compare::Report`].  Errors are
//! for input that cannot be read at all.

use std::fmt;

/// Stable error codes.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// A manifest that is not valid JSON of the documented shape, or not canonical.
    BadManifest,
    /// A path that escapes the root or is otherwise not a plain relative path.
    BadPath,
    /// An integrity string with no usable hash.
    BadIntegrity,
    /// The manifest signature is missing, invalid, or by another key.
    BadSignature,
    /// A key or certificate could not be read.
    BadKey,
    /// A genuine manifest whose `expires` has passed.
    ReleaseExpired,
    /// A signed manifest whose `expires` is further than
    /// [`crate::manifest::MAX_VALIDITY_SECS`] after its signature was made
    /// (or whose signature carries no creation time).
    ExpiryTooFar,
    /// A certificate update (refresh) that is not a certificate, or none
    /// that can be used.
    InvalidCert,
    /// A certificate update for another primary key than the pinned one.
    CertMismatch,
    /// A certificate larger than the verifier reads or pins: the pinned
    /// copy over [`crate::cert::MAX_CERT_BYTES`], or a refresh whose result
    /// would be over half of it.
    CertTooLarge,
}

impl ErrorCode {
    /// The stable string form.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadManifest => "BAD_MANIFEST",
            ErrorCode::BadPath => "BAD_PATH",
            ErrorCode::BadIntegrity => "BAD_INTEGRITY",
            ErrorCode::BadSignature => "BAD_SIGNATURE",
            ErrorCode::BadKey => "BAD_KEY",
            ErrorCode::ReleaseExpired => "RELEASE_EXPIRED",
            ErrorCode::ExpiryTooFar => "EXPIRY_TOO_FAR",
            ErrorCode::InvalidCert => "INVALID_CERT",
            ErrorCode::CertMismatch => "CERT_MISMATCH",
            ErrorCode::CertTooLarge => "CERT_TOO_LARGE",
        }
    }
}

/// A verifier error: a code and a message naming the place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The code.
    pub code: ErrorCode,
    /// What and where.
    pub message: String,
}

impl Error {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Error {}

/// The verifier's result type.
pub type Result<T> = std::result::Result<T, Error>;
