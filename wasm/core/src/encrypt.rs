//! Encryption to certificates and/or passwords, optionally signed.
//!
//! Writes the common shape `[armor] encrypt [sign [literal]]`.  The
//! container format follows the recipients: SEIPDv2 (AEAD, OCB) when every
//! recipient advertises it, SEIPDv1 otherwise.  Both are integrity
//! protected; SED is never produced.

use std::io::Write;

use openpgp::crypto::Password;
use openpgp::packet::signature::SignatureBuilder;
use openpgp::serialize::stream::{Armorer, Encryptor, LiteralWriter, Message, Recipient, Signer};
use openpgp::types::{AEADAlgorithm, DataFormat, SignatureType};
use openpgp::Cert;
use sequoia_openpgp as openpgp;

use crate::error::{Error, ErrorCode, Result};
use crate::policy::Policy;
use crate::sign::signing_keypairs;

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
        for ka in vc
            .keys()
            .supported()
            .alive()
            .revoked(false)
            .for_transport_encryption()
            .for_storage_encryption()
        {
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

/// Starts an encrypting writer over `sink`.  Write the plaintext into the
/// returned message and call `finalize()`: without it the output is
/// truncated and will not decrypt.
pub fn encrypt_writer<'a, W: Write + Send + Sync + 'a>(
    sink: W,
    opts: &EncryptOptions<'a>,
) -> Result<Message<'a>> {
    if opts.recipients.is_empty() && opts.passwords.is_empty() {
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
    let recips = recipients(opts.recipients, opts.policy, opts.force_aead)?;
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
    let mut enc =
        Encryptor::for_recipients(message, recips).add_passwords(opts.passwords.iter().cloned());
    if opts.force_aead {
        enc = enc.aead_algo(AEADAlgorithm::OCB);
    }
    let mut message = enc.build().map_err(op)?;
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
    LiteralWriter::new(message)
        .format(format)
        .build()
        .map_err(op)
}

/// Encrypts `plaintext` held in memory.
pub fn encrypt(plaintext: &[u8], opts: &EncryptOptions<'_>) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(plaintext.len() + plaintext.len() / 3 + 1024);
    {
        let mut w = encrypt_writer(&mut out, opts)?;
        w.write_all(plaintext)
            .map_err(|e| Error::from_op("encryption", e.into()))?;
        w.finalize().map_err(|e| Error::from_op("encryption", e))?;
    }
    Ok(out)
}
