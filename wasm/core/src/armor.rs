//! ASCII armor (RFC 9580 §6).

use std::io::{Read, Write};

use openpgp::armor::{Kind, Reader, ReaderMode, Writer};
use openpgp::parse::{PacketParser, PacketParserResult, Parse};
use openpgp::Packet;
use sequoia_openpgp as openpgp;

use crate::error::{Error, ErrorCode, Result};

/// What an armored block is labelled as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArmorKind {
    /// `PGP MESSAGE`
    Message,
    /// `PGP PUBLIC KEY BLOCK`
    PublicKey,
    /// `PGP PRIVATE KEY BLOCK`
    SecretKey,
    /// `PGP SIGNATURE`
    Signature,
}

impl ArmorKind {
    /// Parses `"message" | "public-key" | "secret-key" | "signature"`.
    pub fn from_name(name: &str) -> Result<Self> {
        Ok(match name {
            "message" => ArmorKind::Message,
            "public-key" | "publickey" | "cert" => ArmorKind::PublicKey,
            "secret-key" | "private-key" | "key" => ArmorKind::SecretKey,
            "signature" => ArmorKind::Signature,
            other => return Err(Error::invalid(format!("unknown armor kind {other:?}"))),
        })
    }

    fn to_sequoia(self) -> Kind {
        match self {
            ArmorKind::Message => Kind::Message,
            ArmorKind::PublicKey => Kind::PublicKey,
            ArmorKind::SecretKey => Kind::SecretKey,
            ArmorKind::Signature => Kind::Signature,
        }
    }
}

/// Whether `data` looks armored (starts, after whitespace, with `-----BEGIN PGP`).
pub fn is_armored(data: &[u8]) -> bool {
    let start = data
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(data.len());
    data[start..].starts_with(b"-----BEGIN PGP")
}

/// Guesses the armor label from the first packet.
pub fn detect_kind(data: &[u8]) -> Result<ArmorKind> {
    let ppr = PacketParser::from_bytes(data).map_err(|e| Error::from_parse("packets", e))?;
    Ok(match ppr {
        PacketParserResult::Some(pp) => match &pp.packet {
            Packet::SecretKey(_) => ArmorKind::SecretKey,
            Packet::PublicKey(_) => ArmorKind::PublicKey,
            Packet::Signature(_) => ArmorKind::Signature,
            Packet::Unknown(_) => {
                return Err(Error::new(
                    ErrorCode::MalformedInput,
                    "packets: unknown or malformed first packet",
                ))
            }
            _ => ArmorKind::Message,
        },
        PacketParserResult::EOF(_) => {
            return Err(Error::new(
                ErrorCode::MalformedInput,
                "packets: empty input",
            ))
        }
    })
}

/// Armors binary OpenPGP data.  With `kind == None` the label is guessed
/// from the first packet.  Already-armored input is returned unchanged.
pub fn armor(data: &[u8], kind: Option<ArmorKind>) -> Result<Vec<u8>> {
    if data.is_empty() {
        return Err(Error::new(ErrorCode::MalformedInput, "armor: empty input"));
    }
    if is_armored(data) {
        return Ok(data.to_vec());
    }
    let kind = match kind {
        Some(k) => k,
        None => detect_kind(data)?,
    };
    let mut w = Writer::new(Vec::new(), kind.to_sequoia())
        .map_err(|e| Error::from_op("armor", e.into()))?;
    w.write_all(data)
        .map_err(|e| Error::from_op("armor", e.into()))?;
    w.finalize().map_err(|e| Error::from_op("armor", e.into()))
}

/// Removes ASCII armor.  The CRC-24 checksum, if present, is not required
/// (RFC 9580 §6.1 says it SHOULD NOT be checked strictly); base64 errors
/// and truncation are errors.
pub fn dearmor(data: &[u8]) -> Result<Vec<u8>> {
    if !is_armored(data) {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "armor: no armor header line",
        ));
    }
    let mut r = Reader::from_bytes(data, ReaderMode::Tolerant(None));
    let mut out = Vec::new();
    r.read_to_end(&mut out)
        .map_err(|e| Error::from_parse("armor", e.into()))?;
    if out.is_empty() {
        return Err(Error::new(ErrorCode::MalformedInput, "armor: no data"));
    }
    Ok(out)
}
