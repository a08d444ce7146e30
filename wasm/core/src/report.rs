//! Signature outcomes as data, shared by decrypt and verify.

use std::time::{SystemTime, UNIX_EPOCH};

use openpgp::parse::stream::{
    MessageLayer, MessageStructure, VerificationError, VerificationHelper,
};
use openpgp::{Cert, KeyHandle};
use sequoia_openpgp as openpgp;
use serde::Serialize;

use crate::error::{Error, ErrorCode};

/// The outcome of checking one signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureStatus {
    /// Cryptographically good, by a key valid under the policy at the
    /// signature's time.
    Valid,
    /// No given certificate has the issuing key.
    UnknownKey,
    /// The issuing key is known but not usable: revoked, expired, not
    /// signing-capable, or rejected by the policy.
    BadKey,
    /// The signature does not verify, or is rejected by the policy (SHA-1).
    BadSignature,
    /// The signature packet is malformed.
    Malformed,
    /// The signature uses an unsupported version or algorithm.
    Unsupported,
}

/// One signature's result.  Times are seconds since the Unix epoch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureResult {
    /// The outcome.
    pub status: SignatureStatus,
    /// `status == Valid`, for convenience.
    pub valid: bool,
    /// Fingerprint of the signer's certificate (primary key), if known.
    pub signer_fingerprint: Option<String>,
    /// Fingerprint of the key that made the signature, if known.
    pub signing_key_fingerprint: Option<String>,
    /// The issuer named in the signature (fingerprint or key ID).
    pub issuer: Option<String>,
    /// `binary` or `text` (the signature's type), as SOP reports it.
    pub mode: Option<String>,
    /// The signature's creation time.
    pub created: Option<u64>,
    /// Why it is not valid (no secrets, no plaintext).
    pub reason: Option<String>,
}

fn secs(t: Option<SystemTime>) -> Option<u64> {
    t.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
}

/// What a message's layers were.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Layers {
    /// Whether there was an encryption container.
    pub encrypted: bool,
    /// The symmetric algorithm, if encrypted.
    pub cipher: Option<String>,
    /// The AEAD mode for SEIPDv2, `None` for SEIPDv1.
    pub aead: Option<String>,
    /// Whether there was a compression layer.
    pub compressed: bool,
    /// The literal data packet's file name (UTF-8, lossily), `None` when
    /// it is empty.
    pub filename: Option<String>,
}

/// The verification helper.  Signature outcomes are collected as data;
/// only `require_valid` turns "no valid signature" into an error.
pub(crate) struct Helper {
    pub certs: Vec<Cert>,
    pub require_valid: bool,
    pub require_encrypted: bool,
    pub results: Vec<SignatureResult>,
    pub layers: Layers,
    pub max_signatures: usize,
}

impl Helper {
    /// `max_signatures`: how many signatures a message may carry.
    pub fn new(
        certs: &[Cert],
        require_valid: bool,
        require_encrypted: bool,
        max_signatures: usize,
    ) -> Self {
        Helper {
            certs: certs.to_vec(),
            require_valid,
            require_encrypted,
            results: Vec::new(),
            layers: Layers::default(),
            max_signatures,
        }
    }
}

impl VerificationHelper for Helper {
    fn inspect(&mut self, pp: &openpgp::parse::PacketParser) -> openpgp::Result<()> {
        if let openpgp::Packet::Literal(l) = &pp.packet {
            self.layers.filename = l
                .filename()
                .filter(|n| !n.is_empty())
                .map(|n| String::from_utf8_lossy(n).into_owned());
        }
        Ok(())
    }

    fn get_certs(&mut self, ids: &[KeyHandle]) -> openpgp::Result<Vec<Cert>> {
        Ok(self
            .certs
            .iter()
            .filter(|c| {
                c.keys()
                    .any(|k| ids.iter().any(|id| k.key().key_handle().aliases(id)))
            })
            .cloned()
            .collect())
    }

    fn check(&mut self, structure: MessageStructure) -> openpgp::Result<()> {
        for layer in structure.into_iter() {
            match layer {
                MessageLayer::Compression { .. } => self.layers.compressed = true,
                MessageLayer::Encryption {
                    sym_algo,
                    aead_algo,
                } => {
                    self.layers.encrypted = true;
                    self.layers.cipher = Some(sym_algo.to_string());
                    self.layers.aead = aead_algo.map(|a| a.to_string());
                }
                MessageLayer::SignatureGroup { results } => {
                    crate::policy::Policy::check_count(
                        "signatures",
                        self.results.len() + results.len(),
                        self.max_signatures,
                    )?;
                    for r in results {
                        self.results.push(describe(r));
                    }
                }
            }
        }
        if self.require_encrypted && !self.layers.encrypted {
            return Err(Error::new(ErrorCode::NotEncrypted, "the message is not encrypted").into());
        }
        if self.require_valid && !self.results.iter().any(|r| r.valid) {
            return Err(Error::new(
                ErrorCode::NoValidSignature,
                "no valid signature by a given key",
            )
            .into());
        }
        Ok(())
    }
}

fn mode_of(sig: &openpgp::packet::Signature) -> Option<String> {
    Some(
        match sig.typ() {
            openpgp::types::SignatureType::Binary => "binary",
            openpgp::types::SignatureType::Text => "text",
            _ => return None,
        }
        .to_owned(),
    )
}

fn issuer_of(sig: &openpgp::packet::Signature) -> Option<String> {
    sig.get_issuers().first().map(|h| h.to_hex())
}

fn describe(
    r: Result<openpgp::parse::stream::GoodChecksum<'_>, VerificationError<'_>>,
) -> SignatureResult {
    match r {
        Ok(good) => SignatureResult {
            status: SignatureStatus::Valid,
            valid: true,
            signer_fingerprint: Some(good.ka.cert().fingerprint().to_hex()),
            signing_key_fingerprint: Some(good.ka.key().fingerprint().to_hex()),
            issuer: issuer_of(good.sig),
            mode: mode_of(good.sig),
            created: secs(good.sig.signature_creation_time()),
            reason: None,
        },
        Err(VerificationError::MissingKey { sig }) => SignatureResult {
            status: SignatureStatus::UnknownKey,
            valid: false,
            signer_fingerprint: None,
            signing_key_fingerprint: None,
            issuer: issuer_of(sig),
            mode: mode_of(sig),
            created: secs(sig.signature_creation_time()),
            reason: Some("no given certificate has the signing key".into()),
        },
        Err(VerificationError::UnboundKey { sig, cert, error }) => SignatureResult {
            status: SignatureStatus::BadKey,
            valid: false,
            signer_fingerprint: Some(cert.fingerprint().to_hex()),
            signing_key_fingerprint: None,
            issuer: issuer_of(sig),
            mode: mode_of(sig),
            created: secs(sig.signature_creation_time()),
            reason: Some(format!("signing key not validly bound: {}", short(&error))),
        },
        Err(VerificationError::BadKey { sig, ka, error }) => SignatureResult {
            status: SignatureStatus::BadKey,
            valid: false,
            signer_fingerprint: Some(ka.cert().fingerprint().to_hex()),
            signing_key_fingerprint: Some(ka.key().fingerprint().to_hex()),
            issuer: issuer_of(sig),
            mode: mode_of(sig),
            created: secs(sig.signature_creation_time()),
            reason: Some(format!("signing key not usable: {}", short(&error))),
        },
        Err(VerificationError::BadSignature { sig, ka, error }) => SignatureResult {
            status: SignatureStatus::BadSignature,
            valid: false,
            signer_fingerprint: Some(ka.cert().fingerprint().to_hex()),
            signing_key_fingerprint: Some(ka.key().fingerprint().to_hex()),
            issuer: issuer_of(sig),
            mode: mode_of(sig),
            created: secs(sig.signature_creation_time()),
            reason: Some(format!("bad signature: {}", short(&error))),
        },
        Err(VerificationError::MalformedSignature { sig, error }) => SignatureResult {
            status: SignatureStatus::Malformed,
            valid: false,
            signer_fingerprint: None,
            signing_key_fingerprint: None,
            issuer: issuer_of(sig),
            mode: mode_of(sig),
            created: secs(sig.signature_creation_time()),
            reason: Some(format!("malformed signature: {}", short(&error))),
        },
        Err(VerificationError::UnknownSignature { .. }) | Err(_) => SignatureResult {
            status: SignatureStatus::Unsupported,
            valid: false,
            signer_fingerprint: None,
            signing_key_fingerprint: None,
            issuer: None,
            mode: None,
            created: None,
            reason: Some("unsupported signature".into()),
        },
    }
}

fn short(e: &anyhow::Error) -> String {
    // By characters: truncating a String at a byte index can panic.
    e.to_string()
        .chars()
        .filter(|c| !c.is_control())
        .take(160)
        .collect()
}
