//! Verification of inline, cleartext and detached signatures.
//!
//! The data returned for an inline or cleartext message is exactly the
//! data the signatures were checked over: sequoia parses the message once
//! and enforces the OpenPGP message grammar, so an extra literal packet or
//! text outside the signed part is an error, not silently returned
//! (CVE-2025-47934, CVE-2023-41037).

use openpgp::parse::stream::{DetachedVerifierBuilder, VerifierBuilder};
use openpgp::parse::Parse;
use openpgp::Cert;
use sequoia_openpgp as openpgp;
use zeroize::Zeroizing;

use crate::decrypt::read_limited;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;
use crate::report::{Helper, SignatureResult};

/// sequoia reports a message that breaks the OpenPGP grammar (e.g. an extra
/// literal packet after a signed one, CVE-2025-47934) as "manipulated
/// message", which the shared mapping reads as a decryption failure.
/// Nothing is decrypted here: it is malformed input.
fn parse_error(what: &str, e: anyhow::Error) -> Error {
    let err = Error::from_parse(what, e);
    if err.code() == ErrorCode::DecryptionFailed {
        Error::new(
            ErrorCode::MalformedInput,
            format!("{what}: not a valid signed message (its packet structure was altered)"),
        )
    } else {
        err
    }
}

/// Inputs of a verification.
#[derive(Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// Certificates whose signatures count.
    pub certs: &'a [Cert],
    /// Fail with `NO_VALID_SIGNATURE` unless at least one signature is valid.
    pub require_signature: bool,
    /// The policy.
    pub policy: &'a Policy,
}

/// The outcome of a verification.
#[derive(Debug)]
pub struct Verified {
    /// The signed data (inline and cleartext messages); empty for detached.
    pub data: Vec<u8>,
    /// One result per signature.
    pub signatures: Vec<SignatureResult>,
}

/// Verifies an inline-signed or cleartext-signed message.
pub fn verify(message: &[u8], opts: &VerifyOptions<'_>) -> Result<Verified> {
    if message.is_empty() {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "message: empty input",
        ));
    }
    let p = opts.policy;
    let helper = Helper::new(
        opts.certs,
        opts.require_signature,
        false,
        p.max_signatures(),
    );
    let mut v = VerifierBuilder::from_bytes(message)
        .map_err(|e| parse_error("signed message", e))?
        .with_policy(p.standard(), p.message_time(), helper)
        .map_err(|e| parse_error("signed message", e))?;
    let mut data = Zeroizing::new(Vec::new());
    read_limited(&mut v, &mut data, p, message.len() as u64, |e| {
        parse_error("signed message", e)
    })?;
    if !v.message_processed() {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "signed message: trailing data",
        ));
    }
    let helper = v.into_helper();
    if helper.layers.encrypted {
        return Err(Error::invalid("the message is encrypted: use decrypt"));
    }
    Ok(Verified {
        data: std::mem::take(&mut *data),
        signatures: helper.results,
    })
}

/// Refuses a signature block with more than `max` signatures before any
/// is verified (each verification is a public-key operation).  Inline
/// messages are bounded when their signatures are evaluated instead: their
/// signatures follow the data, so counting first would mean reading twice.
fn count_signatures(block: &[u8], max: usize) -> Result<()> {
    use openpgp::parse::{PacketParser, PacketParserResult};
    let bad = |e| parse_error("signature", e);
    let mut ppr = PacketParser::from_bytes(block).map_err(bad)?;
    let mut n = 0;
    while let PacketParserResult::Some(pp) = ppr {
        if matches!(pp.packet, openpgp::Packet::Signature(_)) {
            n += 1;
            Policy::check_count("signatures", n, max)?;
        }
        ppr = pp.next().map_err(bad)?.1;
    }
    Ok(())
}

/// Verifies a detached signature over `data`.
pub fn verify_detached(
    data: &[u8],
    signature: &[u8],
    opts: &VerifyOptions<'_>,
) -> Result<Verified> {
    if signature.is_empty() {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "signature: empty input",
        ));
    }
    let p = opts.policy;
    count_signatures(signature, p.max_signatures())?;
    let helper = Helper::new(
        opts.certs,
        opts.require_signature,
        false,
        p.max_signatures(),
    );
    let mut v = DetachedVerifierBuilder::from_bytes(signature)
        .map_err(|e| parse_error("signature", e))?
        .with_policy(p.standard(), p.message_time(), helper)
        .map_err(|e| parse_error("signature", e))?;
    v.verify_bytes(data)
        .map_err(|e| parse_error("signature", e))?;
    Ok(Verified {
        data: Vec::new(),
        signatures: v.into_helper().results,
    })
}

/// An inline-signed message split into its data and its signatures.
#[derive(Debug)]
pub struct Detached {
    /// The literal data.
    pub data: Vec<u8>,
    /// The signature packets, binary, as a detached signature over `data`.
    pub signatures: Vec<u8>,
}

/// Collects every signature of a message without checking any: given no
/// certificates, each comes back as "missing key" with its packet.
struct Collector {
    signatures: Vec<openpgp::packet::Signature>,
    encrypted: bool,
}

impl openpgp::parse::stream::VerificationHelper for Collector {
    fn get_certs(&mut self, _: &[openpgp::KeyHandle]) -> openpgp::Result<Vec<Cert>> {
        Ok(Vec::new())
    }
    fn check(
        &mut self,
        structure: openpgp::parse::stream::MessageStructure,
    ) -> openpgp::Result<()> {
        use openpgp::parse::stream::{MessageLayer, VerificationError as V};
        for layer in structure.into_iter() {
            match layer {
                MessageLayer::Encryption { .. } => self.encrypted = true,
                MessageLayer::Compression { .. } => {}
                MessageLayer::SignatureGroup { results } => {
                    for r in results {
                        let sig = match r {
                            Ok(good) => good.sig,
                            Err(V::MissingKey { sig })
                            | Err(V::UnboundKey { sig, .. })
                            | Err(V::BadKey { sig, .. })
                            | Err(V::BadSignature { sig, .. })
                            | Err(V::MalformedSignature { sig, .. }) => sig,
                            Err(_) => continue,
                        };
                        self.signatures.push(sig.clone());
                    }
                }
            }
        }
        Ok(())
    }
}

/// Splits an inline-signed or cleartext-signed message into the data and
/// detached signatures over it (SOP's `inline-detach`).  Nothing is
/// verified, but the message must follow the signed-message grammar (one
/// literal packet, its signatures, optionally compressed); encrypted input
/// is refused.
pub fn detach(message: &[u8], policy: &Policy) -> Result<Detached> {
    use openpgp::serialize::Serialize;
    if message.is_empty() {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "message: empty input",
        ));
    }
    let bad = |e| parse_error("signed message", e);
    let helper = Collector {
        signatures: Vec::new(),
        encrypted: false,
    };
    let mut v = VerifierBuilder::from_bytes(message)
        .map_err(bad)?
        .with_policy(policy.standard(), policy.message_time(), helper)
        .map_err(bad)?;
    let mut data = Vec::new();
    read_limited(&mut v, &mut data, policy, message.len() as u64, bad)?;
    if !v.message_processed() {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "signed message: trailing data",
        ));
    }
    let helper = v.into_helper();
    if helper.encrypted {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "the message is encrypted, not inline-signed",
        ));
    }
    if helper.signatures.is_empty() {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "not an inline-signed message: no signature",
        ));
    }
    let mut signatures = Vec::new();
    for sig in helper.signatures {
        openpgp::Packet::Signature(sig)
            .serialize(&mut signatures)
            .map_err(|e| Error::new(ErrorCode::Internal, format!("serialize: {e}")))?;
    }
    Ok(Detached { data, signatures })
}
