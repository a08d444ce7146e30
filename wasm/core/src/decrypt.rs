//! Decryption with secret keys or passwords, verifying embedded signatures.
//!
//! Only integrity-protected data is ever decrypted (SEIPDv1 with MDC,
//! SEIPDv2); the policy rejects SED.  The buffered API returns plaintext
//! only after the whole message, including its integrity check and
//! signatures, has been processed: on any error no plaintext is returned
//! and the partial buffer is zeroized.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use openpgp::crypto::{Password, SessionKey};
use openpgp::packet::{PKESK, SKESK};
use openpgp::parse::stream::{
    DecryptionHelper, DecryptorBuilder, MessageStructure, VerificationHelper,
};
use openpgp::parse::Parse;
use openpgp::types::SymmetricAlgorithm;
use openpgp::{Cert, KeyHandle};
use sequoia_openpgp as openpgp;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;
use crate::report::{Helper, Layers, SignatureResult};
use crate::secret;

/// Inputs of a decryption.
#[derive(Clone, Copy)]
pub struct DecryptOptions<'a> {
    /// Secret keys to try (locked or unlocked).
    pub keys: &'a [Cert],
    /// Passphrases to try on locked secret keys.
    pub key_passphrases: &'a [Password],
    /// Message passwords (symmetric encryption).
    pub passwords: &'a [Password],
    /// Certificates to verify embedded signatures against.
    pub verification_certs: &'a [Cert],
    /// Session keys to try before any key or password (SOP's
    /// `--with-session-key`).
    pub session_keys: &'a [SessionKeyData],
    /// Fail with `NO_VALID_SIGNATURE` unless at least one signature by a
    /// `verification_certs` key is valid.
    pub require_signature: bool,
    /// The policy.
    pub policy: &'a Policy,
}

/// A decrypted message.
#[derive(Debug)]
pub struct Decrypted {
    /// The plaintext, exactly the bytes that were authenticated and over
    /// which the signatures were checked.
    pub data: Vec<u8>,
    /// One result per signature found.
    pub signatures: Vec<SignatureResult>,
    /// The message's layers.
    pub layers: Layers,
    /// The session key that opened the message (a secret: reveal it only
    /// when asked, e.g. SOP's `--session-key-out`).
    pub session_key: Option<SessionKeyData>,
}

/// A message's session key with its symmetric algorithm, in SOP's
/// `ALGO:HEX` text form.
#[derive(Clone)]
pub struct SessionKeyData {
    /// The OpenPGP symmetric algorithm number (9 = AES-256).
    pub algo: u8,
    /// The key.
    pub key: SessionKey,
}

impl std::fmt::Debug for SessionKeyData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SessionKeyData {{ algo: {}, key: <redacted> }}",
            self.algo
        )
    }
}

impl SessionKeyData {
    /// Parses `ALGO:HEX` (the hex is case-insensitive).
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || Error::invalid("a session key is ALGO:HEX, e.g. 9:0123…");
        let (algo, hex) = text.trim().split_once(':').ok_or_else(bad)?;
        let algo: u8 = algo.parse().map_err(|_| bad())?;
        if hex.len() % 2 != 0 || hex.is_empty() {
            return Err(bad());
        }
        let mut key: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::with_capacity(hex.len() / 2));
        for pair in hex.as_bytes().chunks(2) {
            let digit = |c: u8| (c as char).to_digit(16).ok_or_else(bad);
            key.push((digit(pair[0])? << 4 | digit(pair[1])?) as u8);
        }
        Ok(SessionKeyData {
            algo,
            key: SessionKey::from(&key[..]),
        })
    }

    /// `ALGO:HEX`, hex in upper case.
    pub fn to_text(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(format!("{}:", self.algo));
        for b in self.key.iter() {
            s.push_str(&format!("{b:02X}"));
        }
        s
    }
}

/// The decryption helper.  It owns copies of its inputs, so a streaming
/// decryptor can keep it for as long as the stream lasts.
pub(crate) struct DHelper {
    pub(crate) inner: Helper,
    keys: Vec<Cert>,
    key_passphrases: Vec<Password>,
    passwords: Vec<Password>,
    policy: Policy,
    /// The SEIPD version of the encryption container, once seen.
    pub(crate) seipd_version: Option<u8>,
    /// Set once a session key opened the container.  From then on any
    /// failure is reported as DECRYPTION_FAILED: telling "garbled inner
    /// packets" from "failed integrity check" apart would be an oracle.
    pub(crate) opened: Arc<AtomicBool>,
    session_keys: Vec<SessionKeyData>,
    /// The session key that opened the container.
    pub(crate) session_key: Option<SessionKeyData>,
    /// The same, shared with the caller: it outlives the helper when
    /// sequoia fails mid-message (see [`classify_opened`]).
    pub(crate) opened_with: Arc<Mutex<Option<SessionKeyData>>>,
    /// The most specific reason decryption could not start, reported if
    /// no PKESK or SKESK works.
    failure: Option<Error>,
}

impl VerificationHelper for DHelper {
    fn inspect(&mut self, pp: &openpgp::parse::PacketParser) -> openpgp::Result<()> {
        if let openpgp::Packet::SEIP(seip) = &pp.packet {
            self.seipd_version.get_or_insert(seip.version());
        }
        self.inner.inspect(pp)
    }
    fn get_certs(&mut self, ids: &[KeyHandle]) -> openpgp::Result<Vec<Cert>> {
        self.inner.get_certs(ids)
    }
    fn check(&mut self, structure: MessageStructure) -> openpgp::Result<()> {
        self.inner.check(structure)
    }
}

impl DHelper {
    fn set_session_key(&mut self, sk: SessionKeyData) {
        if let Ok(mut shared) = self.opened_with.lock() {
            *shared = Some(sk.clone());
        }
        self.session_key = Some(sk);
    }

    /// The reference time to give sequoia (see [`Policy::message_time`]).
    pub(crate) fn message_time(&self) -> Option<std::time::SystemTime> {
        self.policy.message_time()
    }

    /// Validates the options and makes a helper owning copies of them.
    pub(crate) fn new(opts: &DecryptOptions<'_>) -> Result<Self> {
        if opts.keys.is_empty() && opts.passwords.is_empty() && opts.session_keys.is_empty() {
            return Err(Error::invalid(
                "decryption needs at least one secret key, password or session key",
            ));
        }
        for k in opts.keys {
            if !k.is_tsk() {
                return Err(Error::invalid(format!(
                    "key {} has no secret key material",
                    k.fingerprint()
                )));
            }
        }
        Ok(DHelper {
            inner: Helper::new(
                opts.verification_certs,
                opts.require_signature,
                true,
                opts.policy.max_signatures(),
            ),
            keys: opts.keys.to_vec(),
            key_passphrases: opts.key_passphrases.to_vec(),
            passwords: opts.passwords.to_vec(),
            policy: opts.policy.clone(),
            seipd_version: None,
            opened: Arc::new(AtomicBool::new(false)),
            session_keys: opts.session_keys.to_vec(),
            session_key: None,
            opened_with: Arc::new(Mutex::new(None)),
            failure: None,
        })
    }
}

impl DecryptionHelper for DHelper {
    fn decrypt(
        &mut self,
        pkesks: &[PKESK],
        skesks: &[SKESK],
        sym_algo: Option<SymmetricAlgorithm>,
        decrypt: &mut dyn FnMut(Option<SymmetricAlgorithm>, &SessionKey) -> bool,
    ) -> openpgp::Result<Option<Cert>> {
        Policy::check_count(
            "encrypted session keys",
            pkesks.len() + skesks.len(),
            self.policy.max_recipients(),
        )?;
        let found = |algo: Option<SymmetricAlgorithm>, sk: &SessionKey| SessionKeyData {
            algo: algo.or(sym_algo).map_or(0, u8::from),
            key: sk.clone(),
        };
        // Session keys given directly.
        for given in &self.session_keys {
            let algo = SymmetricAlgorithm::from(given.algo);
            if decrypt(Some(algo), &given.key) {
                self.opened.store(true, Ordering::Relaxed);
                self.set_session_key(given.clone());
                return Ok(None);
            }
            // The caller named the cipher: saying that this build lacks it tells
            // an attacker nothing about the message.
            if crate::error::symmetric_lacking(algo) {
                note(&mut self.failure, cipher_missing(Some(algo)));
            } else {
                note(&mut self.failure, Error::decryption_failed());
            }
        }
        // Public-key encrypted session keys: try every matching secret key.
        // Wildcard recipients (no key ID) are tried against every secret key.
        for pkesk in pkesks {
            let recipient = pkesk.recipient();
            for cert in &self.keys {
                for ka in cert.keys().secret() {
                    let matches = match &recipient {
                        Some(r) => ka.key().key_handle().aliases(r),
                        None => true,
                    };
                    if !matches {
                        continue;
                    }
                    if crate::error::key_lacking(ka.key()) {
                        note(
                            &mut self.failure,
                            Error::missing(format!(
                                "key {}: its algorithm is not in this build",
                                ka.key().fingerprint()
                            )),
                        );
                        continue;
                    }
                    let mut pair = match secret::keypair(
                        ka.key().role_as_unspecified(),
                        &self.key_passphrases,
                        &self.policy,
                    ) {
                        Ok(p) => p,
                        Err(e) => {
                            note(&mut self.failure, e);
                            continue;
                        }
                    };
                    match pkesk.decrypt(&mut pair, sym_algo) {
                        Some((algo, sk)) if decrypt(algo, &sk) => {
                            self.opened.store(true, Ordering::Relaxed);
                            let cert = cert.clone();
                            self.set_session_key(found(algo, &sk));
                            return Ok(Some(cert));
                        }
                        Some((algo, _))
                            if algo
                                .or(sym_algo)
                                .is_some_and(crate::error::symmetric_lacking) =>
                        {
                            note(&mut self.failure, cipher_missing(algo.or(sym_algo)));
                        }
                        _ => {
                            if recipient.is_some() {
                                note(&mut self.failure, Error::decryption_failed());
                            }
                        }
                    }
                }
            }
        }
        // Password-encrypted session keys.  A wrong password is reported as
        // a plain decryption failure: it is indistinguishable from damage.
        for skesk in skesks {
            for password in &self.passwords {
                let s2k = match skesk {
                    SKESK::V4(s) => s.s2k(),
                    SKESK::V6(s) => s.s2k(),
                    _ => continue,
                };
                if let Err(e) = secret::check_s2k(s2k, &self.policy) {
                    note(&mut self.failure, e);
                    continue;
                }
                match skesk.decrypt(password) {
                    Ok((algo, sk)) => {
                        if decrypt(algo, &sk) {
                            self.opened.store(true, Ordering::Relaxed);
                            self.set_session_key(found(algo, &sk));
                            return Ok(None);
                        }
                        if algo
                            .or(sym_algo)
                            .is_some_and(crate::error::symmetric_lacking)
                        {
                            note(&mut self.failure, cipher_missing(algo.or(sym_algo)));
                            continue;
                        }
                    }
                    Err(e) => {
                        let lacking = e
                            .downcast_ref::<openpgp::Error>()
                            .is_some_and(crate::error::build_lacks);
                        if lacking {
                            note(
                                &mut self.failure,
                                Error::from_parse("password-encrypted session key", e),
                            );
                            continue;
                        }
                    }
                }
                note(&mut self.failure, Error::decryption_failed());
            }
        }
        let err = self.failure.take().unwrap_or_else(|| {
            if pkesks.is_empty() && skesks.is_empty() {
                Error::new(ErrorCode::NotEncrypted, "the message is not encrypted")
            } else {
                Error::new(
                    ErrorCode::NoMatchingKey,
                    "the message is not encrypted to any given key or password",
                )
            }
        });
        Err(err.into())
    }
}

/// What [`inspect_container`] saw of a message's encrypted container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    /// A SEIPDv1 container (long enough to be parsed safely).
    V1,
    /// A SEIPDv2 (AEAD) container with this chunk size in bytes.
    V2 { chunk: usize },
    /// No container in `input` (yet), or input sequoia cannot parse: the
    /// decryptor reports the problem.
    Unknown,
}

/// Finds the message's encrypted container in `input` (a message or a
/// prefix of one) and refuses a SEIPDv1 container too short to hold its
/// quick-check prefix and MDC (fewer than 40 bytes after the version byte:
/// no valid message is that short).  sequoia-openpgp 2.4.2 panics on such a
/// container once a session key opened it (an `unwrap` in parse.rs,
/// "unexpected EOF"), which in wasm traps the instance: found by `make
/// fuzz` (decrypt target), kept as `fuzz/regressions/decrypt/`.  A body cut
/// short by the end of a prefix counts as long enough only if 40 bytes of
/// it are there.  Streams also learn the AEAD chunk size here, which bounds
/// how far sequoia reads ahead.
pub(crate) fn inspect_container(input: &[u8]) -> Result<Container> {
    use openpgp::packet::SEIP;
    use openpgp::parse::{PacketParser, PacketParserResult};
    const MIN_BODY: usize = 16 + 2 + 22;
    let short = || {
        Error::new(
            ErrorCode::MalformedInput,
            "message: the encrypted container is too short to be valid",
        )
    };
    let Ok(mut ppr) = PacketParser::from_bytes(input) else {
        return Ok(Container::Unknown);
    };
    while let PacketParserResult::Some(mut pp) = ppr {
        match &pp.packet {
            openpgp::Packet::SEIP(SEIP::V2(s)) => {
                return Ok(Container::V2 {
                    chunk: usize::try_from(s.chunk_size()).unwrap_or(usize::MAX),
                })
            }
            openpgp::Packet::SEIP(SEIP::V1(_)) => {
                let mut buf = [0u8; MIN_BODY];
                let mut got = 0;
                while got < MIN_BODY {
                    match pp.read(&mut buf[got..]) {
                        Ok(0) | Err(_) => return Err(short()),
                        Ok(n) => got += n,
                    }
                }
                return Ok(Container::V1);
            }
            _ => {}
        }
        ppr = match pp.next() {
            Ok((_, next)) => next,
            Err(_) => return Ok(Container::Unknown),
        };
    }
    Ok(Container::Unknown)
}

/// Decrypts a whole message (armored or binary) held in memory.
pub fn decrypt(ciphertext: &[u8], opts: &DecryptOptions<'_>) -> Result<Decrypted> {
    if ciphertext.is_empty() {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "message: empty input",
        ));
    }
    let helper = DHelper::new(opts)?;
    inspect_container(ciphertext)?;
    let opened = helper.opened.clone();
    let opened_with = helper.opened_with.clone();
    let fail = |e| classify_opened(e, &opened, &opened_with, ciphertext);
    let p = opts.policy;
    let mut d = DecryptorBuilder::from_bytes(ciphertext)
        .map_err(|e| Error::from_parse("message", e))?
        .with_policy(p.standard(), p.message_time(), helper)
        .map_err(fail)?;

    let mut data = Zeroizing::new(Vec::new());
    read_limited(&mut d, &mut data, p, ciphertext.len() as u64, fail)?;
    if !d.message_processed() {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "message: trailing data after the message",
        ));
    }
    let helper = d.into_helper();
    Ok(Decrypted {
        data: std::mem::take(&mut *data),
        signatures: helper.inner.results,
        layers: helper.inner.layers,
        session_key: helper.session_key,
    })
}

/// Reads all of `r` into `out`, failing with `LIMIT_EXCEEDED` past `max`
/// bytes.  The limit applies to decompressed output, which is what bounds a
/// decompression bomb.
pub(crate) fn read_limited<R: Read>(
    r: &mut R,
    out: &mut Vec<u8>,
    policy: &Policy,
    input_len: u64,
    on_error: impl Fn(anyhow::Error) -> Error,
) -> Result<()> {
    let max = policy.max_plaintext();
    let mut piece = Zeroizing::new(vec![0u8; 64 * 1024]);
    // Uncompressed plaintext is shorter than its message: room for that up
    // front means no reallocation (each would copy the plaintext so far).
    let expected = usize::try_from(input_len.min(max)).unwrap_or(usize::MAX);
    out.reserve(expected.saturating_add(piece.len()));
    loop {
        let n = r.read(&mut piece).map_err(|e| on_error(e.into()))?;
        if n == 0 {
            return Ok(());
        }
        extend_wiping(out, &piece[..n]);
        let produced = out.len() as u64;
        policy.check_ratio(produced, input_len)?;
        if produced > max {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                format!("plaintext exceeds the limit of {max} bytes"),
            ));
        }
    }
}

/// Appends `data` to `out`; when `out` must grow, the old buffer is wiped
/// before it is freed (a plain `Vec` reallocation would leave a copy of the
/// plaintext so far in freed memory, out of reach of `Zeroizing`).
pub(crate) fn extend_wiping(out: &mut Vec<u8>, data: &[u8]) {
    if out.capacity() - out.len() < data.len() {
        let want = (out.len() + data.len()).max(out.capacity() * 2);
        let mut grown = Vec::with_capacity(want);
        grown.extend_from_slice(out);
        let mut old = std::mem::replace(out, grown);
        old.zeroize();
    }
    out.extend_from_slice(data);
}

/// Keeps the most actionable failure: a resource limit, then a bad
/// passphrase, then a locked key, then an algorithm this build left out, then
/// "this key did not work".
fn note(failure: &mut Option<Error>, e: Error) {
    // An algorithm this build left out outranks a plain decryption failure:
    // the full build may open the message (the shim retries there).
    let rank = |e: &Error| match e.code() {
        ErrorCode::LimitExceeded | ErrorCode::DecompressionBomb => 8,
        ErrorCode::BadPassphrase => 6,
        ErrorCode::KeyLocked => 4,
        ErrorCode::Unsupported if e.missing_algorithm() => 3,
        ErrorCode::DecryptionFailed => 2,
        _ => 0,
    };
    if failure.as_ref().is_none_or(|f| rank(&e) > rank(f)) {
        *failure = Some(e);
    }
}

/// The session key names a cipher this build left out.
fn cipher_missing(algo: Option<SymmetricAlgorithm>) -> Error {
    let algo = algo.map_or_else(|| "?".to_string(), |a| a.to_string());
    Error::missing(format!(
        "the message's cipher ({algo}) is not in this build"
    ))
}

/// Classifies a failure of a whole message held in memory, as [`classify`]
/// does, with one exception: when the opened container authenticates (a
/// valid MDC, or every AEAD tag to the end) and holds something this build
/// does not support (a compression algorithm), that is UNSUPPORTED.  It is
/// said only once the ciphertext proved genuine, so it tells an attacker
/// nothing about a message they altered.
pub(crate) fn classify_opened(
    e: anyhow::Error,
    opened: &AtomicBool,
    opened_with: &Mutex<Option<SessionKeyData>>,
    message: &[u8],
) -> Error {
    let classified = classify(e, opened);
    if classified.code() != ErrorCode::DecryptionFailed {
        return classified;
    }
    let sk = opened_with.lock().ok().and_then(|g| g.clone());
    match sk.and_then(|sk| unsupported_inside(message, &sk)) {
        Some((what, lacking)) => {
            let msg =
                format!("the message authenticated, but {what}, which this build does not support");
            if lacking {
                Error::missing(msg)
            } else {
                Error::new(ErrorCode::Unsupported, msg)
            }
        }
        None => classified,
    }
}

/// Opens the message's container again with the session key that opened it
/// and reads it to the end without decompressing anything: if every byte
/// authenticates and a compressed packet inside uses an algorithm this
/// build cannot read, names it.  Anything else (damage, a bad MDC or tag,
/// nothing unsupported): `None`.
#[allow(deprecated)] // sequoia 2 deprecates the MDC packet; SEIPDv1 still ends with one
fn unsupported_inside(message: &[u8], sk: &SessionKeyData) -> Option<(String, bool)> {
    use openpgp::packet::SEIP;
    use openpgp::parse::{PacketParser, PacketParserResult};
    use openpgp::Packet;
    let mut ppr = PacketParser::from_bytes(message).ok()?;
    let mut version = None;
    let mut mdc_ok = false;
    let mut what = None;
    while let PacketParserResult::Some(mut pp) = ppr {
        match &pp.packet {
            Packet::SEIP(seip) if version.is_none() => {
                let v = seip.version();
                let algo = match seip {
                    SEIP::V1(_) => Some(SymmetricAlgorithm::from(sk.algo)),
                    _ => None,
                };
                pp.decrypt(algo, &sk.key).ok()?;
                version = Some(v);
                ppr = pp.recurse().ok()?.1;
                continue;
            }
            Packet::CompressedData(c) if version.is_some() && !c.algo().is_supported() => {
                what.get_or_insert_with(|| {
                    (
                        format!("it is compressed with {}", c.algo()),
                        crate::error::compression_lacking(c.algo()),
                    )
                });
            }
            Packet::MDC(m) => mdc_ok = m.valid(),
            _ => {}
        }
        // Over, not into, the inner packets: their bodies are read (and
        // authenticated) without being decompressed.
        ppr = pp.next().ok()?.1;
    }
    match version? {
        1 if !mdc_ok => None,
        _ => what,
    }
}

/// Classifies a failure of a decryption: our own errors as they are; after
/// the container was opened, DECRYPTION_FAILED; before, as a parse error.
pub(crate) fn classify(e: anyhow::Error, opened: &AtomicBool) -> Error {
    match Error::own(&e) {
        Some(own) => own,
        None if opened.load(Ordering::Relaxed) => Error::decryption_failed(),
        None => Error::from_parse("message", e),
    }
}

#[cfg(test)]
mod tests {
    use super::extend_wiping;

    #[test]
    fn extend_wiping_appends_across_every_growth() {
        let (mut got, mut want) = (Vec::new(), Vec::new());
        let mut grew = 0;
        for i in 0..2000usize {
            let piece = vec![(i % 251) as u8; i % 37];
            let cap = got.capacity();
            extend_wiping(&mut got, &piece);
            grew += usize::from(got.capacity() != cap);
            want.extend_from_slice(&piece);
        }
        assert!(got == want);
        // Amortized: the capacity at least doubles when it grows.
        assert!(grew < 20, "{grew} reallocations");
    }
}
