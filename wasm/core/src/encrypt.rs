//! Encryption to certificates and/or passwords, optionally signed.
//!
//! Writes the common shape `[armor] encrypt [sign [literal]]`.  The
//! container format follows the recipients: SEIPDv2 (AEAD) when every
//! recipient advertises it, SEIPDv1 otherwise.  Both are integrity
//! protected; SED is never produced.  The cipher (and AEAD mode) is the
//! strongest every recipient prefers ([`choose_algorithms`]).

use std::io::Write;

use openpgp::cert::Preferences;
use openpgp::crypto::Password;
use openpgp::packet::signature::SignatureBuilder;
use openpgp::policy::Policy as _;
use openpgp::serialize::stream::{Armorer, Encryptor, LiteralWriter, Message, Recipient, Signer};
use openpgp::types::{AEADAlgorithm, DataFormat, SignatureType, SymmetricAlgorithm};
use openpgp::Cert;
use sequoia_openpgp as openpgp;

use crate::decrypt::SessionKeyData;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;
use crate::sign::signing_keypairs;

/// Settings of an encryption that most callers leave unset (OpenPGP.js's
/// `sessionKey` and `createMessage({ filename })`).
#[derive(Clone, Default)]
pub struct EncryptExtra {
    /// Encrypt the data with this session key instead of a fresh one (its
    /// algorithm is the cipher; it must be one [`choose_algorithms`] could
    /// pick).
    pub session_key: Option<SessionKeyData>,
    /// The AEAD mode to use with `session_key` (a SEIPDv2 container).
    /// `None`: SEIPDv1, unless every recipient advertises SEIPDv2 (then
    /// OCB) or `force_aead` asks for it.
    pub session_aead: Option<AEADAlgorithm>,
    /// The literal packet's file name (at most 255 bytes; none: empty).
    pub filename: Option<Vec<u8>>,
}

impl std::fmt::Debug for EncryptExtra {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncryptExtra")
            .field("session_key", &self.session_key)
            .field("session_aead", &self.session_aead)
            .field("filename", &self.filename.as_ref().map(|n| n.len()))
            .finish()
    }
}

/// The longest literal file name (its length is one octet).
pub const MAX_FILENAME: usize = 255;

/// Checks a session key given by the caller: a cipher this build and the
/// policy accept (never a 64-bit-block one) and a key of its size; and an
/// AEAD mode the policy accepts.
pub fn check_session_key(
    sk: &SessionKeyData,
    aead: Option<AEADAlgorithm>,
    policy: &Policy,
) -> Result<SymmetricAlgorithm> {
    let algo = SymmetricAlgorithm::from(sk.algo);
    let standard = policy.standard();
    if !SYMMETRIC.contains(&algo)
        || !algo.is_supported()
        || standard.symmetric_algorithm(algo).is_err()
    {
        return Err(Error::new(
            ErrorCode::Unsupported,
            format!("the session key's cipher ({algo}) is not one sealpost encrypts with"),
        ));
    }
    let size = algo
        .key_size()
        .map_err(|_| Error::invalid("the session key's cipher has no key size"))?;
    if sk.key.len() != size {
        return Err(Error::invalid(format!(
            "a {algo} session key is {size} bytes, this one is {}",
            sk.key.len()
        )));
    }
    if let Some(a) = aead {
        if !AEAD.contains(&a) || !a.is_supported() || standard.aead_algorithm(a).is_err() {
            return Err(Error::new(
                ErrorCode::Unsupported,
                format!("the AEAD mode {a} is not one sealpost encrypts with"),
            ));
        }
    }
    Ok(algo)
}

/// Inputs of an encryption.
#[derive(Clone, Copy)]
pub struct EncryptOptions<'a> {
    /// Recipient certificates; every valid encryption subkey is used.
    pub recipients: &'a [Cert],
    /// Passwords that can also decrypt the message.
    pub passwords: &'a [Password],
    /// Secret keys to sign with (optional).
    pub signers: &'a [Cert],
    /// Passphrases to try on locked signing keys.
    pub signer_passphrases: &'a [Password],
    /// ASCII armor the output.
    pub armor: bool,
    /// Use SEIPDv2 (AEAD) even if not every recipient advertises it.
    /// `false` leaves the choice to the recipients' features.
    pub force_aead: bool,
    /// The plaintext is text: a UTF-8 literal packet and text signatures
    /// (line endings canonicalized when signing).
    pub text: bool,
    /// The policy.
    pub policy: &'a Policy,
}

/// Why an ECDH key's KDF parameters cannot wrap a session key: its hash
/// gives fewer bytes than its key-wrapping cipher needs (RFC 9580 §11.5
/// takes the KEK from one hash output), or either is unknown.  sequoia would
/// fail mid-encryption ("Hash digest too short"); such a subkey is skipped.
fn unusable_kdf(mpis: &openpgp::crypto::mpi::PublicKey) -> Option<String> {
    let openpgp::crypto::mpi::PublicKey::ECDH { hash, sym, .. } = mpis else {
        return None;
    };
    let Ok(kek) = sym.key_size() else {
        return Some(format!("its ECDH key wraps with an unknown cipher ({sym})"));
    };
    let Ok(ctx) = hash.context() else {
        return Some(format!(
            "its ECDH key derives with an unknown hash ({hash})"
        ));
    };
    let digest = ctx.for_digest().digest_size();
    (digest < kek).then(|| {
        format!(
            "its ECDH key derives a {kek}-byte {sym} key from {hash}, which gives only {digest} bytes"
        )
    })
}

/// Collects the encryption-capable, alive, non-revoked subkeys of every
/// recipient.  A recipient without one is an error, never silently skipped.
fn recipients<'a>(
    certs: &'a [Cert],
    policy: &'a Policy,
    force_aead: bool,
) -> Result<Vec<Recipient<'a>>> {
    let mut out = Vec::new();
    for cert in certs {
        let vc = crate::keys::usable(cert, policy, "encrypt")?;
        let before = out.len();
        let mut bad_kdf = None;
        for ka in vc
            .keys()
            .supported()
            .alive()
            .revoked(false)
            .for_transport_encryption()
            .for_storage_encryption()
        {
            if let Some(why) = unusable_kdf(ka.key().mpis()) {
                bad_kdf = Some(why);
                continue;
            }
            if force_aead {
                // A v6 PKESK names its recipient by fingerprint; sequoia
                // uses the key ID for recipients that do not advertise
                // SEIPDv2, so name them explicitly when AEAD is forced.
                let features = openpgp::types::Features::empty()
                    .set_seipdv1()
                    .set_seipdv2();
                out.push(Recipient::new(
                    features,
                    openpgp::KeyHandle::from(ka.key().fingerprint()),
                    ka.key(),
                ));
            } else {
                out.push(Recipient::from(ka));
            }
        }
        if let (true, Some(why)) = (out.len() == before, bad_kdf) {
            // Key data that cannot work, rather than a key not meant to.
            return Err(Error::new(
                ErrorCode::MalformedInput,
                format!("certificate {}: {why}", cert.fingerprint()),
            ));
        }
        if out.len() == before && crate::error::cert_lacking(cert) {
            return Err(Error::missing(format!(
                "certificate {}: its encryption key's algorithm is not in this build",
                cert.fingerprint()
            )));
        }
        if out.len() == before {
            return Err(Error::new(
                ErrorCode::NoUsableKey,
                format!(
                    "certificate {} has no valid encryption key (expired, revoked or none)",
                    cert.fingerprint()
                ),
            ));
        }
    }
    Ok(out)
}

/// The ciphers we choose from, strongest first (at equal key size, AES
/// first).  64-bit-block ciphers (CAST5, IDEA, 3DES, Blowfish) are never
/// chosen, whatever a recipient lists.
const SYMMETRIC: [SymmetricAlgorithm; 7] = [
    SymmetricAlgorithm::AES256,
    SymmetricAlgorithm::Camellia256,
    SymmetricAlgorithm::Twofish,
    SymmetricAlgorithm::AES192,
    SymmetricAlgorithm::Camellia192,
    SymmetricAlgorithm::AES128,
    SymmetricAlgorithm::Camellia128,
];

/// The AEAD modes we choose from, in order (OCB is the one all must
/// implement).
const AEAD: [AEADAlgorithm; 3] = [AEADAlgorithm::OCB, AEADAlgorithm::GCM, AEADAlgorithm::EAX];

/// Chooses the cipher, and for SEIPDv2 the AEAD mode, from what every
/// recipient certificate prefers (RFC 9580 §5.2.3.14, §5.2.3.15): the
/// strongest that all of them list, that this build supports and that the
/// policy accepts; AES-128 (with OCB), which every implementation must
/// support and every list implicitly ends with, when nothing else is
/// shared.  A recipient that lists no AEAD ciphersuite is taken to accept
/// its preferred ciphers with OCB.  Returns `None` for the AEAD mode when
/// the message is SEIPDv1:
/// SEIPDv2 is used when `force_aead` asks for it or when every recipient
/// advertises it.  Without recipients (passwords only): AES-256.
pub fn choose_algorithms(
    certs: &[Cert],
    policy: &Policy,
    force_aead: bool,
) -> Result<(SymmetricAlgorithm, Option<AEADAlgorithm>)> {
    let standard = policy.standard();
    let sym_ok =
        |a: SymmetricAlgorithm| a.is_supported() && standard.symmetric_algorithm(a).is_ok();
    let aead_ok = |a: AEADAlgorithm| a.is_supported() && standard.aead_algorithm(a).is_ok();
    let mut prefs = Vec::with_capacity(certs.len());
    for cert in certs {
        let vc = crate::keys::usable(cert, policy, "encrypt")?;
        prefs.push((
            vc.features().is_some_and(|f| f.supports_seipdv2()),
            vc.preferred_symmetric_algorithms().unwrap_or(&[]).to_vec(),
            vc.preferred_aead_ciphersuites().unwrap_or(&[]).to_vec(),
        ));
    }
    if prefs.is_empty() {
        let aead = force_aead.then_some(AEADAlgorithm::OCB);
        return Ok((SymmetricAlgorithm::AES256, aead));
    }
    let seipdv2 = force_aead || prefs.iter().all(|(v2, _, _)| *v2);
    if seipdv2 {
        // A recipient without a ciphersuites list (sequoia's own v6 keys,
        // for one) gets its preferred ciphers with OCB, the mode every
        // SEIPDv2 implementation must have.
        let everyone_lists = |s: SymmetricAlgorithm, a: AEADAlgorithm| {
            prefs.iter().all(|(_, syms, suites)| {
                (s, a) == (SymmetricAlgorithm::AES128, AEADAlgorithm::OCB)
                    || suites.contains(&(s, a))
                    || (suites.is_empty() && a == AEADAlgorithm::OCB && syms.contains(&s))
            })
        };
        for s in SYMMETRIC.into_iter().filter(|&s| sym_ok(s)) {
            for a in AEAD.into_iter().filter(|&a| aead_ok(a)) {
                if everyone_lists(s, a) {
                    return Ok((s, Some(a)));
                }
            }
        }
        return Ok((SymmetricAlgorithm::AES128, Some(AEADAlgorithm::OCB)));
    }
    let chosen = SYMMETRIC
        .into_iter()
        .filter(|&s| sym_ok(s))
        .find(|&s| {
            prefs
                .iter()
                .all(|(_, syms, _)| s == SymmetricAlgorithm::AES128 || syms.contains(&s))
        })
        .unwrap_or(SymmetricAlgorithm::AES128);
    Ok((chosen, None))
}

/// Starts an encrypting writer over `sink`.  Write the plaintext into the
/// returned message and call `finalize()`: without it the output is
/// truncated and will not decrypt.
pub fn encrypt_writer<'a, W: Write + Send + Sync + 'a>(
    sink: W,
    opts: &EncryptOptions<'a>,
) -> Result<Message<'a>> {
    encrypt_writer_with(sink, opts, &EncryptExtra::default())
}

/// [`encrypt_writer`] with the settings of [`EncryptExtra`].
pub fn encrypt_writer_with<'a, W: Write + Send + Sync + 'a>(
    sink: W,
    opts: &EncryptOptions<'a>,
    extra: &EncryptExtra,
) -> Result<Message<'a>> {
    let given = check_inputs(opts, extra)?;
    // A given AEAD mode makes the container SEIPDv2 whatever the recipients
    // advertise: name them as v6 session key packets need (by fingerprint).
    let v2 = opts.force_aead || extra.session_aead.is_some();
    let recips = recipients(opts.recipients, opts.policy, v2)?;
    // The same cap a reader applies: a message it would refuse is not made.
    Policy::check_count(
        "recipient keys and passwords",
        recips.len() + opts.passwords.len(),
        opts.policy.max_recipients(),
    )?;
    let signers = signing_keypairs(opts.signers, opts.signer_passphrases, opts.policy)?;
    let op = |e| Error::from_op("encryption", e);

    let mut message = Message::new(sink);
    if opts.armor {
        message = Armorer::new(message).build().map_err(op)?;
    }
    let (sym, aead) = choose_algorithms(opts.recipients, opts.policy, v2)?;
    let enc = match given {
        // The caller's key and cipher; SEIPDv2 with the caller's mode, or
        // with the mode chosen for the recipients when they all take it.
        Some((algo, key)) => {
            let e = Encryptor::with_session_key(message, algo, key)
                .map_err(op)?
                .add_recipients(recips)
                .add_passwords(opts.passwords.iter().cloned());
            match extra.session_aead.or(aead) {
                Some(a) => e.aead_algo(a),
                None => e,
            }
        }
        None => {
            let e = Encryptor::for_recipients(message, recips)
                .add_passwords(opts.passwords.iter().cloned())
                .symmetric_algo(sym);
            match aead {
                Some(a) => e.aead_algo(a),
                None => e,
            }
        }
    };
    let message = enc.build().map_err(op)?;
    signed_literal(message, opts, extra, signers)
}

/// What every encryption checks before it writes anything: the file name,
/// the caller's session key (returned with its cipher), that there is
/// someone to encrypt to, and no empty password.
fn check_inputs(
    opts: &EncryptOptions<'_>,
    extra: &EncryptExtra,
) -> Result<Option<(SymmetricAlgorithm, openpgp::crypto::SessionKey)>> {
    if let Some(name) = &extra.filename {
        if name.len() > MAX_FILENAME {
            return Err(Error::invalid(format!(
                "a file name is at most {MAX_FILENAME} bytes (UTF-8), this one is {}",
                name.len()
            )));
        }
    }
    let given = match &extra.session_key {
        Some(sk) => Some((
            check_session_key(sk, extra.session_aead, opts.policy)?,
            sk.key.clone(),
        )),
        None => None,
    };
    if opts.recipients.is_empty() && opts.passwords.is_empty() && given.is_none() {
        return Err(Error::invalid(
            "encryption needs at least one recipient or password",
        ));
    }
    for p in opts.passwords {
        if p.map(|b| b.is_empty()) {
            return Err(Error::invalid(
                "an empty password would not protect the message",
            ));
        }
    }
    Ok(given)
}

/// The packets inside the encryption: `[sign] literal`, written into
/// `message` (signatures by `signers`, naming `opts.recipients` as intended
/// recipients).
fn signed_literal<'a>(
    mut message: Message<'a>,
    opts: &EncryptOptions<'a>,
    extra: &EncryptExtra,
    signers: Vec<openpgp::crypto::KeyPair>,
) -> Result<Message<'a>> {
    let op = |e| Error::from_op("encryption", e);
    let mut signers = signers.into_iter();
    if let Some(first) = signers.next() {
        let sig_type = if opts.text {
            SignatureType::Text
        } else {
            SignatureType::Binary
        };
        let mut s =
            Signer::with_template(message, first, SignatureBuilder::new(sig_type)).map_err(op)?;
        for more in signers {
            s = s.add_signer(more).map_err(op)?;
        }
        // Intended recipients (RFC 9580 §5.2.3.36) bind the signature to
        // this encryption, defeating re-encryption to someone else.
        for r in opts.recipients {
            s = s.add_intended_recipient(r);
        }
        message = s.build().map_err(op)?;
    }
    let format = if opts.text {
        DataFormat::Unicode
    } else {
        DataFormat::Binary
    };
    let mut literal = LiteralWriter::new(message).format(format);
    if let Some(name) = &extra.filename {
        literal = literal.filename(name).map_err(op)?;
    }
    literal.build().map_err(op)
}

/// Encrypts `plaintext` held in memory.
pub fn encrypt(plaintext: &[u8], opts: &EncryptOptions<'_>) -> Result<Vec<u8>> {
    encrypt_with(plaintext, opts, &EncryptExtra::default())
}

/// A fresh session key for encrypting to `certs` (OpenPGP.js's
/// `generateSessionKey`): the cipher and, for a SEIPDv2 container, the AEAD
/// mode that [`choose_algorithms`] picks for them, and random key bytes of
/// the cipher's size.
pub fn generate_session_key(
    certs: &[Cert],
    policy: &Policy,
    force_aead: bool,
) -> Result<(SessionKeyData, Option<AEADAlgorithm>)> {
    // The same refusal as encrypting: every certificate needs a usable
    // encryption key.
    recipients(certs, policy, force_aead)?;
    let (sym, aead) = choose_algorithms(certs, policy, force_aead)?;
    let size = sym
        .key_size()
        .map_err(|e| Error::from_op("session key", e))?;
    Ok((
        SessionKeyData {
            algo: u8::from(sym),
            key: openpgp::crypto::SessionKey::new(size)
                .map_err(|e| Error::from_op("session key", e))?,
        },
        aead,
    ))
}

/// The encrypted session key packets (PKESK for every encryption key of
/// `certs`, SKESK for every password) that give `sk` to their holders
/// (OpenPGP.js's `encryptSessionKey`): v6 packets for a SEIPDv2 container
/// (`aead` set), v3/v4 packets otherwise.  Armored as a `PGP MESSAGE` when
/// asked.  They are the packets [`encrypt_writer_with`] writes for the same
/// inputs: the encryption of nothing is made and its session key packets
/// are kept.
pub fn encrypt_session_key(
    sk: &SessionKeyData,
    aead: Option<AEADAlgorithm>,
    certs: &[Cert],
    passwords: &[Password],
    policy: &Policy,
    armor: bool,
) -> Result<Vec<u8>> {
    use openpgp::parse::{PacketParser, PacketParserResult, Parse};
    use openpgp::serialize::Serialize as _;
    if certs.is_empty() && passwords.is_empty() {
        return Err(Error::invalid(
            "encryptSessionKey needs at least one recipient or password",
        ));
    }
    let opts = EncryptOptions {
        recipients: certs,
        passwords,
        signers: &[],
        signer_passphrases: &[],
        armor: false,
        force_aead: aead.is_some(),
        text: false,
        policy,
    };
    let extra = EncryptExtra {
        session_key: Some(sk.clone()),
        session_aead: aead,
        filename: None,
    };
    let whole = encrypt_with(&[], &opts, &extra)?;
    let bad = |e| Error::from_op("encryptSessionKey", e);
    let mut out = Vec::new();
    let mut ppr = PacketParser::from_bytes(&whole).map_err(bad)?;
    while let PacketParserResult::Some(pp) = ppr {
        let keep = matches!(
            pp.packet,
            openpgp::Packet::PKESK(_) | openpgp::Packet::SKESK(_)
        );
        let (packet, next) = pp.next().map_err(bad)?;
        if !keep {
            break;
        }
        packet.serialize(&mut out).map_err(bad)?;
        ppr = next;
    }
    if armor {
        return crate::armor::armor(&out, Some(crate::armor::ArmorKind::Message));
    }
    Ok(out)
}

/// Encrypts `plaintext` held in memory, with the settings of [`EncryptExtra`].
pub fn encrypt_with(
    plaintext: &[u8],
    opts: &EncryptOptions<'_>,
    extra: &EncryptExtra,
) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(plaintext.len() + plaintext.len() / 3 + 1024);
    {
        let mut w = encrypt_writer_with(&mut out, opts, extra)?;
        w.write_all(plaintext)
            .map_err(|e| Error::from_op("encryption", e.into()))?;
        w.finalize().map_err(|e| Error::from_op("encryption", e))?;
    }
    Ok(out)
}

/// A SEIPDv1 message made in memory whose encryption is left to the caller
/// ([`encrypt_cfb_pending`]).
pub struct CfbPending {
    /// The binary message: its session key packets, then the SEIPDv1 packet
    /// (a five-octet length, version 1) whose encrypted part, from
    /// `body_start` on, is still plaintext: the random prefix and its two
    /// repeated octets, the packets, and the MDC packet (`D3 14`) whose 20
    /// octets of SHA-1 are left zero.
    pub message: Vec<u8>,
    /// Where the part to encrypt starts.
    pub body_start: usize,
    /// The session key (AES-128 or AES-256) that the session key packets
    /// give their holders.
    pub session_key: SessionKeyData,
}

impl std::fmt::Debug for CfbPending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CfbPending")
            .field("message", &self.message.len())
            .field("body_start", &self.body_start)
            .field("session_key", &self.session_key)
            .finish()
    }
}

/// [`encrypt_with`] for a message that would be SEIPDv1 with AES-128 or
/// AES-256, with its last two steps left to the caller: the MDC's SHA-1 over
/// `message[body_start..len - 20]`, written into the last 20 octets, then
/// AES in CFB mode (zero IV, RFC 4880 §5.13) over `message[body_start..]`
/// with the session key.  The same checks, session key packets, signatures
/// and literal packet as [`encrypt_with`]; never armored.  `None` when the
/// message would be SEIPDv2 or use another cipher: encrypt it whole.
///
/// CFB encryption is serial, one block cipher call per 16 octets, which
/// software AES in wasm does at about 100 MB/s; a browser's WebCrypto does
/// the same with the CPU's AES instructions (the shim's `cfb.js`).
pub fn encrypt_cfb_pending(
    plaintext: &[u8],
    opts: &EncryptOptions<'_>,
    extra: &EncryptExtra,
) -> Result<Option<CfbPending>> {
    use openpgp::crypto::SessionKey;
    let given = check_inputs(opts, extra)?;
    if opts.force_aead || extra.session_aead.is_some() {
        return Ok(None);
    }
    let (sym, aead) = choose_algorithms(opts.recipients, opts.policy, false)?;
    let algo = given.as_ref().map_or(sym, |(a, _)| *a);
    if aead.is_some()
        || !matches!(
            algo,
            SymmetricAlgorithm::AES128 | SymmetricAlgorithm::AES256
        )
    {
        return Ok(None);
    }
    let op = |e| Error::from_op("encryption", e);
    let key = match given {
        Some((_, key)) => key,
        None => SessionKey::new(algo.key_size().map_err(op)?).map_err(op)?,
    };
    let session_key = SessionKeyData {
        algo: u8::from(algo),
        key,
    };
    // The recipients' and passwords' checks and packets are the ones an
    // encryption with this session key writes.
    let esk = if opts.recipients.is_empty() && opts.passwords.is_empty() {
        Vec::new()
    } else {
        encrypt_session_key(
            &session_key,
            None,
            opts.recipients,
            opts.passwords,
            opts.policy,
            false,
        )?
    };
    let signers = signing_keypairs(opts.signers, opts.signer_passphrases, opts.policy)?;

    // Room for everything, so that the buffer holding the plaintext is never
    // moved (a move would leave a copy behind): the literal's partial body
    // headers take one octet per 512 or more, a signature a few hundred.
    let room = plaintext.len() + plaintext.len() / 256 + 1024 * (opts.signers.len() + 8);
    let mut out = Vec::with_capacity(esk.len() + room);
    out.extend_from_slice(&esk);
    // SEIPD (tag 18), new format, its five-octet length filled in below.
    out.push(0xC0 | 18);
    let len_at = out.len();
    out.extend_from_slice(&[0xFF, 0, 0, 0, 0, 1]);
    let body_start = out.len();
    // The prefix: a block of random octets, its last two repeated.
    let mut prefix = [0u8; 18];
    openpgp::crypto::random(&mut prefix[..16]).map_err(op)?;
    prefix[16] = prefix[14];
    prefix[17] = prefix[15];
    out.extend_from_slice(&prefix);
    {
        let mut w = signed_literal(Message::new(&mut out), opts, extra, signers)?;
        w.write_all(plaintext).map_err(|e| op(e.into()))?;
        w.finalize().map_err(op)?;
    }
    // The MDC packet; its SHA-1 is the caller's.
    out.extend_from_slice(&[0xD3, 0x14]);
    out.extend_from_slice(&[0u8; 20]);
    let body_len = u32::try_from(out.len() - len_at - 5)
        .map_err(|_| Error::invalid("a message of 4 GiB or more cannot be encrypted in memory"))?;
    out[len_at + 1..len_at + 5].copy_from_slice(&body_len.to_be_bytes());
    Ok(Some(CfbPending {
        message: out,
        body_start,
        session_key,
    }))
}
