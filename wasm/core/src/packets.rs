//! What a message says about itself before anything is decrypted or
//! verified: the key IDs its encrypted session keys name and the key IDs of
//! its signers (OpenPGP.js's `getEncryptionKeyIDs` / `getSigningKeyIDs`).
//! Nothing here is authenticated: these are hints for choosing keys.

use openpgp::armor;
use openpgp::packet::Tag;
use openpgp::packet::{Signature, PKESK};
use openpgp::parse::{PacketParserBuilder, PacketParserResult, Parse};
use openpgp::{KeyHandle, KeyID, Packet};
use sequoia_openpgp as openpgp;
use serde::Serialize;

use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;

/// The key IDs a message names, as upper-case hex.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageKeyIds {
    /// One per public-key encrypted session key, in order; a wildcard
    /// (anonymous) recipient is `0000000000000000`.
    pub encryption_key_ids: Vec<String>,
    /// The issuers of the one-pass signatures before the literal data (or,
    /// without any, of the signatures before it), in order; none for an
    /// encrypted message (its signatures are inside the encryption).
    pub signing_key_ids: Vec<String>,
}

fn key_id(h: Option<KeyHandle>) -> String {
    match h {
        Some(h) => KeyID::from(&h).to_hex(),
        None => KeyID::wildcard().to_hex(),
    }
}

fn signature_issuer(sig: &Signature) -> Option<KeyHandle> {
    sig.get_issuers().into_iter().next()
}

/// Reads the packets of `message` (armored or binary) up to its encrypted
/// container or literal data, never into either.  A compressed layer is
/// entered (its first packets only).  At most `policy`'s recipient and
/// signature counts are read; more is `LIMIT_EXCEEDED`.
pub fn message_key_ids(message: &[u8], policy: &Policy) -> Result<MessageKeyIds> {
    let bad = |e| Error::from_parse("message", e);
    // Armor is decoded as the packets are read: only the first packets are.
    let input: Box<dyn std::io::Read + Send + Sync + '_> = if crate::armor::is_armored(message) {
        Box::new(armor::Reader::from_bytes(
            message,
            armor::ReaderMode::Tolerant(None),
        ))
    } else {
        Box::new(message)
    };
    let mut out = MessageKeyIds::default();
    let mut ops = Vec::new();
    let mut sigs = Vec::new();
    let mut seen = 0usize;
    let mut ppr = PacketParserBuilder::from_reader(input)
        .map_err(bad)?
        .dearmor(openpgp::parse::Dearmor::Disabled)
        .build()
        .map_err(bad)?;
    while let PacketParserResult::Some(pp) = ppr {
        seen += 1;
        if seen > policy.max_recipients() + policy.max_signatures() + 2 {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                "message: more packets before the data than the limits allow",
            ));
        }
        match &pp.packet {
            Packet::PKESK(p) => {
                let h = match p {
                    PKESK::V3(p) => p.recipient().map(KeyHandle::from),
                    PKESK::V6(p) => p.recipient().map(KeyHandle::from),
                    _ => None,
                };
                out.encryption_key_ids.push(key_id(h));
                Policy::check_count(
                    "encrypted session keys",
                    out.encryption_key_ids.len(),
                    policy.max_recipients(),
                )?;
            }
            Packet::OnePassSig(o) => ops.push(key_id(Some(o.issuer().clone()))),
            Packet::Signature(s) => sigs.push(key_id(signature_issuer(s))),
            _ if matches!(pp.packet.tag(), Tag::SEIP | Tag::SED | Tag::Literal) => break,
            _ => {}
        }
        Policy::check_count(
            "signatures",
            ops.len() + sigs.len(),
            policy.max_signatures(),
        )?;
        ppr = pp.recurse().map_err(bad)?.1;
    }
    if out.encryption_key_ids.is_empty() && ops.is_empty() && sigs.is_empty() && seen == 0 {
        return Err(Error::new(ErrorCode::MalformedInput, "message: no packets"));
    }
    out.signing_key_ids = if ops.is_empty() { sigs } else { ops };
    Ok(out)
}
