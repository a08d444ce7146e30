//! Our policy, built in one place: sequoia's `StandardPolicy` plus the
//! limits that sequoia leaves to applications.

use std::time::SystemTime;

use openpgp::policy::StandardPolicy;
use openpgp::types::Timestamp;
use sequoia_openpgp as openpgp;

use crate::error::{Error, ErrorCode, Result};

static STANDARD: StandardPolicy<'static> = StandardPolicy::new();

/// Default cap on plaintext produced by one buffered (non-streaming)
/// decryption or verification.  It bounds a decompression bomb as well:
/// the limit applies to the decompressed output.
pub const DEFAULT_MAX_PLAINTEXT: u64 = 256 << 20;

/// Default cap on the memory an Argon2 S2K may demand, in KiB (2^19 KiB =
/// 512 MiB, the level RFC 9580 §4.4.2 suggests for constrained
/// environments).  A key asking for more (RFC 9580 A.5 asks for 2 GiB) is
/// refused with `LIMIT_EXCEEDED` instead of exhausting a browser tab.
pub const DEFAULT_MAX_ARGON2_KIB: u64 = 1 << 19;

/// Default cap on how many times larger than its input a message's output
/// may grow (decompression).  Deflate alone reaches ~1030:1 on zeros, text
/// 3–10:1; checked only past [`RATIO_GRACE`] of output, so that small,
/// very compressible messages always pass.  0 turns the check off.
pub const DEFAULT_MAX_COMPRESSION_RATIO: u64 = 256;

/// Output below this size is never called a decompression bomb.
pub const RATIO_GRACE: u64 = 1 << 20;

/// Default cap on encrypted-session-key packets (recipients and passwords)
/// in one message: each may cost a public-key operation or an Argon2 run.
pub const DEFAULT_MAX_RECIPIENTS: usize = 256;

/// Default cap on signatures checked in one message or detached signature
/// block: each costs a public-key operation.
pub const DEFAULT_MAX_SIGNATURES: usize = 64;

/// The policy every operation is judged by.
///
/// The cryptographic part is sequoia's [`StandardPolicy`] unchanged: it
/// rejects SHA-1 in data signatures, MD5, weak and short keys, and
/// non-integrity-protected encryption (SED).  We never loosen it.
#[derive(Clone, Debug)]
pub struct Policy {
    time: Option<SystemTime>,
    max_plaintext: u64,
    max_argon2_kib: u64,
    max_compression_ratio: u64,
    max_recipients: usize,
    max_signatures: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            time: None,
            max_plaintext: DEFAULT_MAX_PLAINTEXT,
            max_argon2_kib: DEFAULT_MAX_ARGON2_KIB,
            max_compression_ratio: DEFAULT_MAX_COMPRESSION_RATIO,
            max_recipients: DEFAULT_MAX_RECIPIENTS,
            max_signatures: DEFAULT_MAX_SIGNATURES,
        }
    }
}

impl Policy {
    /// The strict default policy, judged at the current time.
    pub fn new() -> Self {
        Self::default()
    }

    /// Judges validity at a fixed reference time instead of now (tests,
    /// or checking an old message as of its date).
    pub fn at(mut self, time: SystemTime) -> Self {
        self.time = Some(time);
        self
    }

    /// Sets the plaintext cap for buffered operations (bytes).
    pub fn with_max_plaintext(mut self, bytes: u64) -> Self {
        self.max_plaintext = bytes;
        self
    }

    /// The plaintext cap for buffered operations.
    pub fn max_plaintext(&self) -> u64 {
        self.max_plaintext
    }

    /// Sets the Argon2 memory cap (KiB) for unlocking keys and decrypting
    /// password-protected data.
    pub fn with_max_argon2_kib(mut self, kib: u64) -> Self {
        self.max_argon2_kib = kib;
        self
    }

    /// The Argon2 memory cap in KiB.
    pub fn max_argon2_kib(&self) -> u64 {
        self.max_argon2_kib
    }

    /// Sets the decompression ratio cap (output ÷ input; 0 = off).
    pub fn with_max_compression_ratio(mut self, ratio: u64) -> Self {
        self.max_compression_ratio = ratio;
        self
    }

    /// The decompression ratio cap (0 = off).
    pub fn max_compression_ratio(&self) -> u64 {
        self.max_compression_ratio
    }

    /// Sets the cap on encrypted-session-key packets per message.
    pub fn with_max_recipients(mut self, n: usize) -> Self {
        self.max_recipients = n;
        self
    }

    /// The cap on encrypted-session-key packets per message.
    pub fn max_recipients(&self) -> usize {
        self.max_recipients
    }

    /// Sets the cap on signatures checked per message.
    pub fn with_max_signatures(mut self, n: usize) -> Self {
        self.max_signatures = n;
        self
    }

    /// The cap on signatures checked per message.
    pub fn max_signatures(&self) -> usize {
        self.max_signatures
    }

    /// Fails with `DECOMPRESSION_BOMB` once `produced` bytes of output from
    /// `consumed` bytes of input exceed the ratio cap (past [`RATIO_GRACE`]).
    pub fn check_ratio(&self, produced: u64, consumed: u64) -> Result<()> {
        let ratio = self.max_compression_ratio;
        if ratio > 0 && produced > RATIO_GRACE && produced > consumed.saturating_mul(ratio) {
            return Err(Error::new(
                ErrorCode::DecompressionBomb,
                format!(
                    "the output grew past {ratio} times the input ({consumed} bytes in, over {produced} out): a decompression bomb?"
                ),
            ));
        }
        Ok(())
    }

    /// Fails with `LIMIT_EXCEEDED` when `n` things exceed `max`.
    pub(crate) fn check_count(what: &str, n: usize, max: usize) -> Result<()> {
        if n > max {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                format!("{n} {what} exceed the limit of {max}"),
            ));
        }
        Ok(())
    }

    /// The sequoia policy object.  One static instance: it is never
    /// modified, and a `'static` reference lets streaming decryptors own
    /// everything they use.
    pub fn standard(&self) -> &'static StandardPolicy<'static> {
        &STANDARD
    }

    /// The reference time: the fixed one, or now.  `Timestamp::now()` is
    /// used because `SystemTime::now()` traps on wasm32-unknown-unknown,
    /// while sequoia's clock goes through the JS `Date` there.
    pub fn time(&self) -> SystemTime {
        self.time.unwrap_or_else(|| Timestamp::now().into())
    }
}

impl Policy {
    /// The reference time to give sequoia's message parsers: `None` unless
    /// a fixed time was set.  With `None`, sequoia judges signatures as of
    /// *when it checks them* and tolerates the sender's clock being a
    /// little ahead (its clock-skew tolerance); a fixed "now" taken before
    /// a streamed message ends would reject a signature made at its end.
    pub fn message_time(&self) -> Option<SystemTime> {
        self.time
    }
}

/// The current time, safe on every target (see [`Policy::time`]).
pub fn now() -> SystemTime {
    Timestamp::now().into()
}
