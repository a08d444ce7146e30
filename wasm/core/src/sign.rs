//! Signing: inline, detached and cleartext signatures.

use std::io::Write;

use openpgp::armor;
use openpgp::cert::amalgamation::key::PrimaryKey as _;
use openpgp::crypto::{KeyPair, Password};
use openpgp::packet::signature::SignatureBuilder;
use openpgp::serialize::stream::{Armorer, LiteralWriter, Message, Signer};
use openpgp::types::{DataFormat, SignatureType};
use openpgp::Cert;
use sequoia_openpgp as openpgp;

use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;
use crate::secret;

/// The kinds of signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignMode {
    /// A signed message containing the data.
    Inline,
    /// A signature alone; the data travels separately.
    Detached,
    /// The cleartext signature framework (RFC 9580 §7): readable text plus
    /// an armored signature.  Always armored; always a text signature.
    Cleartext,
}

/// Inputs of a signature.
#[derive(Clone, Copy)]
pub struct SignOptions<'a> {
    /// Secret keys to sign with.
    pub signers: &'a [Cert],
    /// Passphrases to try on locked keys.
    pub passphrases: &'a [Password],
    /// Inline, detached or cleartext.
    pub mode: SignMode,
    /// Make a text signature (line endings canonicalized) instead of binary.
    pub text: bool,
    /// ASCII armor the output (ignored for cleartext, which is armored).
    pub armor: bool,
    /// The policy.
    pub policy: &'a Policy,
}

/// One key pair per signer cert: of its valid, alive, non-revoked
/// signing-capable keys with real secret material (a GnuPG stub, such as
/// the offline primary of `gpg --export-secret-subkeys`, is passed over),
/// the newest subkey, or the primary key when no subkey can sign — the
/// choice OpenPGP.js and GnuPG make, so a signing subkey added later is
/// the one used.
pub(crate) fn signing_keypairs(
    certs: &[Cert],
    passphrases: &[Password],
    policy: &Policy,
) -> Result<Vec<KeyPair>> {
    let mut out = Vec::new();
    for cert in certs {
        let vc = crate::keys::usable(cert, policy, "sign")?;
        let ka = vc
            .keys()
            .secret()
            .supported()
            .alive()
            .revoked(false)
            .for_signing()
            .filter(|ka| !secret::is_stub(ka.key().secret()))
            .max_by_key(|ka| (!ka.primary(), ka.key().creation_time()))
            .ok_or_else(|| {
                if crate::error::cert_lacking(cert) {
                    return Error::missing(format!(
                        "key {}: its signing key's algorithm is not in this build",
                        cert.fingerprint()
                    ));
                }
                Error::new(
                    ErrorCode::NoUsableKey,
                    format!(
                        "key {} has no valid signing key with secret material",
                        cert.fingerprint()
                    ),
                )
            })?;
        out.push(secret::keypair(
            ka.key().role_as_unspecified(),
            passphrases,
            policy,
        )?);
    }
    Ok(out)
}

/// Signs `data` held in memory.
pub fn sign(data: &[u8], opts: &SignOptions<'_>) -> Result<Vec<u8>> {
    if opts.signers.is_empty() {
        return Err(Error::invalid("signing needs at least one key"));
    }
    let pairs = signing_keypairs(opts.signers, opts.passphrases, opts.policy)?;
    let op = |e| Error::from_op("signing", e);
    let text = opts.text || opts.mode == SignMode::Cleartext;
    let sig_type = if text {
        SignatureType::Text
    } else {
        SignatureType::Binary
    };

    let mut out = Vec::new();
    {
        let mut message = Message::new(&mut out);
        let armored = opts.armor && opts.mode != SignMode::Cleartext;
        if armored {
            let kind = if opts.mode == SignMode::Detached {
                armor::Kind::Signature
            } else {
                armor::Kind::Message
            };
            message = Armorer::new(message).kind(kind).build().map_err(op)?;
        }
        let mut pairs = pairs.into_iter();
        let first = pairs
            .next()
            .ok_or_else(|| Error::invalid("signing needs at least one key"))?;
        let mut s =
            Signer::with_template(message, first, SignatureBuilder::new(sig_type)).map_err(op)?;
        for more in pairs {
            s = s.add_signer(more).map_err(op)?;
        }
        s = match opts.mode {
            SignMode::Inline => s,
            SignMode::Detached => s.detached(),
            SignMode::Cleartext => s.cleartext(),
        };
        let mut w = s.build().map_err(op)?;
        if opts.mode == SignMode::Inline {
            let format = if text {
                DataFormat::Unicode
            } else {
                DataFormat::Binary
            };
            w = LiteralWriter::new(w).format(format).build().map_err(op)?;
        }
        w.write_all(data).map_err(|e| op(e.into()))?;
        w.finalize().map_err(op)?;
    }
    Ok(out)
}
