//! Incremental (push-style) encryption and decryption, for messages too
//! large to hold in memory.  The caller pushes input chunks and receives
//! output chunks; memory stays bounded by the chunk sizes and a fixed
//! margin, not by the message size.
//!
//! Decryption rules (docs/DESIGN.md, §3 Streams):
//! - SEIPDv2 (AEAD): plaintext is released chunk by chunk, each only after
//!   its authentication tag verified.  The final tag (which detects
//!   truncation) and the signatures are known only at [`DecryptStream::finish`]:
//!   a caller must treat released data as provisional until then.
//! - SEIPDv1: nothing can be authenticated before the end, so all plaintext
//!   is held (up to the policy's plaintext cap) and released by `finish`
//!   only if the whole message authenticated.  The cap applies only to
//!   held plaintext: streamed SEIPDv2 output is not held, so its size is
//!   not limited here (memory stays bounded either way).
//!
//! If `finish` is never called, an encryption's output is truncated and
//! will not decrypt, and a decryption's held plaintext is dropped (and
//! zeroized).

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};

use openpgp::crypto::Password;
use openpgp::parse::stream::{Decryptor, DecryptorBuilder};
use openpgp::parse::Parse;
use openpgp::serialize::stream::Message;
use openpgp::Cert;
use sequoia_openpgp as openpgp;
use zeroize::Zeroizing;

use crate::decrypt::{
    classify, extend_wiping, inspect_container, Container, DHelper, DecryptOptions,
};
use crate::encrypt::{encrypt_writer_with, EncryptExtra, EncryptOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;
use crate::report::{Layers, SignatureResult};
use std::sync::atomic::AtomicBool;

/// How much unread input must be buffered before sequoia is asked for more
/// output, when nothing better is known (SEIPDv1, or a container not found
/// yet).  sequoia pulls input synchronously; it may read ahead by at most
/// one AEAD chunk (≤ 4 MiB, RFC 9580 §5.13.2) plus its own buffers, so with
/// this margin it never runs out mid-read.  If it did, the stream fails
/// with an error: it is never silently truncated.
pub const INPUT_MARGIN: usize = 8 << 20;

/// The margin for a SEIPDv2 container with `chunk`-byte AEAD chunks: what
/// one read of `OUT_PIECE` bytes can pull through sequoia's layers (each
/// buffered reader may ask for twice what it was asked, the AEAD layer
/// reads a chunk and two tags at a time) with room to spare, times the
/// input's `expansion` (in eighths, see [`expansion_eighths`]).  Binary
/// input with small chunks (4 KiB from sequoia, 256 KiB from OpenPGP.js)
/// gets 3 MiB, the largest 4 MiB chunks about 11 MiB.
pub fn aead_margin(chunk: usize, expansion: usize) -> usize {
    (2 * (chunk + 32).max(1 << 20) + (1 << 20)) / 8 * expansion
}

/// How much longer the input is than the binary message, in eighths,
/// judged from a prefix of it: 8 for binary; for ASCII armor, base64's 4/3
/// times the share of line ends and other non-base64 bytes seen, plus a
/// quarter for safety (14 for the usual 64-character lines), at most 5×
/// (one character per line with CRLF, the worst valid armor, is 4×).
pub fn expansion_eighths(prefix: &[u8]) -> usize {
    if prefix.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'-') {
        return 8;
    }
    let base64 = prefix
        .iter()
        .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        .count()
        .max(1);
    // 8 × 4/3 × 5/4 × len/base64, rounded up
    (prefix.len() * 40).div_ceil(base64 * 3).clamp(8, 40)
}

/// Input is inspected for its container once this much is buffered, and
/// at most this much of it (doubling until [`INPUT_MARGIN`] if the
/// container is further in).
const SCAN_FIRST: usize = 64 << 10;

/// Output is produced in pieces of at most this size.
const OUT_PIECE: usize = 256 << 10;

/// A `Write` sink shared between a writer stack and its owner, drained as
/// output is produced.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Sink {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut v = self
            .0
            .lock()
            .map_err(|_| io::Error::other("sink poisoned"))?;
        // sequoia writes a partial-body header, then a chunk of up to 4 MiB,
        // then the next header: leave room for those instead of letting
        // the vector double to 8 MiB.
        if v.capacity() - v.len() < buf.len() {
            let len = v.len();
            let target = (len + buf.len() + (64 << 10)).max(len * 3 / 2);
            v.reserve_exact(target - len);
        }
        v.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What an encryption stream keeps alive for its writer stack.
pub struct EncryptInputs {
    /// Recipient certificates.
    pub recipients: Vec<Cert>,
    /// Passwords.
    pub passwords: Vec<Password>,
    /// Signing keys.
    pub signers: Vec<Cert>,
    /// Passphrases for locked signing keys.
    pub signer_passphrases: Vec<Password>,
    /// Armor the output.
    pub armor: bool,
    /// Force SEIPDv2.
    pub force_aead: bool,
    /// A text literal packet and text signatures.
    pub text: bool,
    /// The policy.
    pub policy: Policy,
    /// A given session key, a file name.
    pub extra: EncryptExtra,
}

type Writer<'a> = Option<Message<'a>>;

self_cell::self_cell!(
    struct EncryptCell {
        owner: EncryptInputs,
        #[not_covariant]
        dependent: Writer,
    }
);

/// An encryption in progress.
pub struct EncryptStream {
    cell: EncryptCell,
    sink: Sink,
}

impl EncryptStream {
    /// Starts an encryption.  Output (headers, session key packets) may be
    /// available right away from [`EncryptStream::take_output`].
    pub fn new(inputs: EncryptInputs) -> Result<Self> {
        let sink = Sink::default();
        let writer_sink = sink.clone();
        let cell = EncryptCell::try_new(inputs, |i| {
            encrypt_writer_with(
                writer_sink,
                &EncryptOptions {
                    recipients: &i.recipients,
                    passwords: &i.passwords,
                    signers: &i.signers,
                    signer_passphrases: &i.signer_passphrases,
                    armor: i.armor,
                    force_aead: i.force_aead,
                    text: i.text,
                    policy: &i.policy,
                },
                &i.extra,
            )
            .map(Some)
        })?;
        Ok(EncryptStream { cell, sink })
    }

    /// Encrypts a chunk; returns the output produced so far.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<u8>> {
        self.cell.with_dependent_mut(|_, w| match w {
            Some(w) => w
                .write_all(chunk)
                .map_err(|e| Error::from_op("encryption", e.into())),
            None => Err(Error::invalid("the encryption stream is finished")),
        })?;
        Ok(self.sink.take())
    }

    /// Output produced but not yet taken.
    pub fn take_output(&mut self) -> Vec<u8> {
        self.sink.take()
    }

    /// Ends the message; returns the last output.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        self.cell.with_dependent_mut(|_, w| match w.take() {
            Some(w) => w.finalize().map_err(|e| Error::from_op("encryption", e)),
            None => Err(Error::invalid("the encryption stream is finished")),
        })?;
        Ok(self.sink.take())
    }
}

/// Input pushed so far and not yet read by sequoia: the pushed pieces, as
/// they came (no copying into one growing buffer, no compaction).
#[derive(Default)]
struct Input {
    pieces: VecDeque<Vec<u8>>,
    /// Bytes of the first piece already read.
    pos: usize,
    unread: usize,
    ended: bool,
}

impl Input {
    fn push(&mut self, chunk: Vec<u8>) {
        if !chunk.is_empty() {
            self.unread += chunk.len();
            self.pieces.push_back(chunk);
        }
    }

    /// The first `n` unread bytes (or all of them), in one slice.
    fn prefix(&self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n.min(self.unread));
        let mut skip = self.pos;
        for p in &self.pieces {
            let want = n - out.len();
            if want == 0 {
                break;
            }
            let p = &p[skip..];
            skip = 0;
            out.extend_from_slice(&p[..want.min(p.len())]);
        }
        out
    }
}

#[derive(Clone, Default)]
struct Source(Arc<Mutex<Input>>);

impl Source {
    fn with<T>(&self, f: impl FnOnce(&mut Input) -> T) -> io::Result<T> {
        self.0
            .lock()
            .map(|mut i| f(&mut i))
            .map_err(|_| io::Error::other("input poisoned"))
    }
    fn unread(&self) -> usize {
        self.with(|i| i.unread).unwrap_or(0)
    }
    fn ended(&self) -> bool {
        self.with(|i| i.ended).unwrap_or(true)
    }
}

impl Read for Source {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.with(|i| {
            if i.unread == 0 {
                return if i.ended {
                    Ok(0)
                } else {
                    // Only reachable if sequoia reads further ahead than
                    // INPUT_MARGIN allows for: fail, never fake an EOF.
                    Err(io::Error::other(Error::new(
                        ErrorCode::Internal,
                        "stream input underrun: the decryptor read further ahead than the margin allows",
                    )))
                };
            }
            let mut n = 0;
            while n < out.len() {
                let Some(first) = i.pieces.front() else { break };
                let take = (first.len() - i.pos).min(out.len() - n);
                out[n..n + take].copy_from_slice(&first[i.pos..i.pos + take]);
                n += take;
                i.pos += take;
                if i.pos == first.len() {
                    i.pieces.pop_front();
                    i.pos = 0;
                }
            }
            i.unread -= n;
            Ok(n)
        })?
    }
}

enum State {
    /// Waiting for enough input to parse the session key packets.
    Starting(Box<DHelper>),
    /// Decrypting.
    Running(Box<Decryptor<'static, DHelper>>),
    /// Finished or failed.
    Done,
}

/// The outcome of a finished decryption stream.
#[derive(Debug)]
pub struct DecryptSummary {
    /// Plaintext released by `finish` (all of it for SEIPDv1).
    pub data: Vec<u8>,
    /// Signature results.
    pub signatures: Vec<SignatureResult>,
    /// The message's layers.
    pub layers: Layers,
}

/// A decryption in progress.  See the module docs for what is released when.
pub struct DecryptStream {
    source: Source,
    state: State,
    /// SEIPDv1 plaintext held until the end.
    held: Zeroizing<Vec<u8>>,
    /// Whether the container is SEIPDv2 (release as we go).
    streaming: bool,
    opened: Arc<AtomicBool>,
    produced: u64,
    /// Input bytes pushed so far (for the decompression ratio).
    consumed: u64,
    policy: Policy,
    /// How much input the last look for the container saw.
    scanned: usize,
    /// The margin of unread input kept ahead of sequoia, once the
    /// container is found.
    found: Option<usize>,
}

impl DecryptStream {
    /// Starts a decryption with the same options as [`crate::decrypt::decrypt`].
    pub fn new(opts: &DecryptOptions<'_>) -> Result<Self> {
        let helper = DHelper::new(opts)?;
        Ok(DecryptStream {
            opened: helper.opened.clone(),
            source: Source::default(),
            state: State::Starting(Box::new(helper)),
            held: Zeroizing::new(Vec::new()),
            streaming: false,
            produced: 0,
            consumed: 0,
            policy: opts.policy.clone(),
            scanned: 0,
            found: None,
        })
    }

    /// Adds input; returns plaintext that may be released now (SEIPDv2 only).
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<u8>> {
        self.push_vec(chunk.to_vec())
    }

    /// [`DecryptStream::push`] for input already in a `Vec`, kept as it
    /// is (the bindings receive each chunk as one: no second copy).
    pub fn push_vec(&mut self, chunk: Vec<u8>) -> Result<Vec<u8>> {
        let len = chunk.len();
        self.source
            .with(|i| i.push(chunk))
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        self.consumed += len as u64;
        self.advance()
    }

    /// Input pushed and not yet read by sequoia: at most the margin for
    /// the message's container plus the last push (memory does not grow
    /// with the message).
    pub fn buffered(&self) -> usize {
        self.source.unread()
    }

    /// Ends the input and the message: returns the summary, with any
    /// plaintext still to release.  Fails if the message did not
    /// authenticate, with no plaintext.
    pub fn finish(mut self) -> Result<DecryptSummary> {
        self.source
            .with(|i| i.ended = true)
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        let mut data = self.advance()?;
        let State::Running(d) = std::mem::replace(&mut self.state, State::Done) else {
            return Err(Error::new(
                ErrorCode::MalformedInput,
                "message: empty or truncated input",
            ));
        };
        if !d.message_processed() {
            return Err(Error::new(
                ErrorCode::MalformedInput,
                "message: truncated or trailing data",
            ));
        }
        let helper = d.into_helper();
        if !self.streaming {
            data = std::mem::take(&mut *self.held);
        }
        Ok(DecryptSummary {
            data,
            signatures: helper.inner.results,
            layers: helper.inner.layers,
        })
    }

    /// Whether enough input is buffered to start sequoia: the container
    /// is found (and a short SEIPDv1 one refused) in a bounded prefix,
    /// which sets the margin; without a container in sight, the input
    /// ends or [`INPUT_MARGIN`] is buffered.
    fn ready_to_start(&mut self) -> Result<bool> {
        let (unread, ended) = (self.source.unread(), self.source.ended());
        if let Some(margin) = self.found {
            return Ok(ended || unread >= margin);
        }
        let last_chance = ended || unread >= INPUT_MARGIN;
        if !last_chance && (unread < SCAN_FIRST || unread < 2 * self.scanned) {
            return Ok(false);
        }
        let mut container = self.inspect(unread.min(INPUT_MARGIN))?;
        if container.is_none() && last_chance && unread > INPUT_MARGIN {
            // Only when all the input must be searched: one copy of it.
            container = self.inspect(unread)?;
        }
        let margin = match container {
            Some(m) => m,
            None if last_chance => INPUT_MARGIN,
            None => return Ok(false),
        };
        self.found = Some(margin);
        Ok(ended || unread >= margin)
    }

    /// Looks for the container in the first `window` unread bytes; its
    /// margin if found.
    fn inspect(&mut self, window: usize) -> Result<Option<usize>> {
        self.scanned = window;
        let prefix = self
            .source
            .with(|i| i.prefix(window))
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        Ok(
            match inspect_container(&prefix).map_err(|e| self.fail(e))? {
                Container::V2 { chunk } => Some(aead_margin(chunk, expansion_eighths(&prefix))),
                Container::V1 => Some(INPUT_MARGIN),
                Container::Unknown => None,
            },
        )
    }

    fn fail(&mut self, e: Error) -> Error {
        self.state = State::Done;
        self.held.clear();
        e
    }

    /// Runs sequoia as far as the buffered input safely allows.
    fn advance(&mut self) -> Result<Vec<u8>> {
        if let State::Starting(_) = self.state {
            if !self.ready_to_start()? {
                return Ok(Vec::new());
            }
            let State::Starting(helper) = std::mem::replace(&mut self.state, State::Done) else {
                return Ok(Vec::new());
            };
            let standard = self.policy.standard();
            let d = DecryptorBuilder::from_reader(self.source.clone())
                .map_err(|e| Error::from_parse("message", e))
                .and_then(|b| {
                    // Hold back little: release decisions are ours (below).
                    b.buffer_size(OUT_PIECE)
                        .with_policy(standard, helper.message_time(), *helper)
                        .map_err(|e| classify(e, &self.opened))
                });
            let d = d.map_err(|e| self.fail(e))?;
            self.streaming = d.helper_ref().seipd_version == Some(2);
            self.state = State::Running(Box::new(d));
        }
        // Unread input kept ahead of sequoia (see `aead_margin`).
        let margin = self.found.unwrap_or(INPUT_MARGIN);
        let enough = |s: &Source| s.ended() || s.unread() >= margin;
        // About what this push makes available, in one allocation.
        let expected = self.source.unread().saturating_sub(margin);
        let mut released = Zeroizing::new(Vec::with_capacity(if self.streaming {
            expected.min(INPUT_MARGIN) + OUT_PIECE
        } else {
            0
        }));
        let mut piece = Zeroizing::new(vec![0u8; OUT_PIECE]);
        let max = self.policy.max_plaintext();
        while enough(&self.source) {
            let State::Running(d) = &mut self.state else {
                break;
            };
            let n = match d.read(&mut piece) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    let err = classify(e.into(), &self.opened);
                    return Err(self.fail(err));
                }
            };
            self.produced += n as u64;
            if let Err(e) = self.policy.check_ratio(self.produced, self.consumed) {
                return Err(self.fail(e));
            }
            // The cap bounds memory: it applies to plaintext held until
            // the end (SEIPDv1).  SEIPDv2 output leaves as it is produced,
            // so its size is the consumer's business.
            if !self.streaming && self.produced > max {
                let e = Error::new(
                    ErrorCode::LimitExceeded,
                    format!("plaintext exceeds the limit of {max} bytes"),
                );
                return Err(self.fail(e));
            }
            if self.streaming {
                extend_wiping(&mut released, &piece[..n]);
            } else {
                extend_wiping(&mut self.held, &piece[..n]);
            }
        }
        Ok(std::mem::take(&mut *released))
    }
}
