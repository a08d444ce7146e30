//! Building outgoing mail: checks on what the caller gave, the body tree
//! (text, HTML, attachments), and the PGP/MIME encrypted and signed forms.

use openpgp::parse::Parse;
use openpgp::types::HashAlgorithm;
use openpgp::{Packet, PacketPile};
use sequoia_openpgp as openpgp;

use super::mime::{self, Mailbox};
use super::protect::{hp_outer, obscured_outer, protect_root, protected_fields};
use super::{autocrypt, OutgoingMail, SendOptions, MAX_MAIL_BYTES};
use crate::encrypt::{self, EncryptOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::policy;
use crate::sign::{self, SignMode, SignOptions};

/// The checked addresses of an outgoing mail.
pub(super) struct Addresses {
    pub(super) from: Mailbox,
    pub(super) to: Vec<Mailbox>,
    pub(super) cc: Vec<Mailbox>,
}

fn one_mailbox(what: &str, s: &str) -> Result<Mailbox> {
    mime::check_header_text(what, s)?;
    let mut list = mime::parse_addresses(s);
    if list.len() != 1 {
        return Err(Error::invalid(format!("{what}: expected one address")));
    }
    let m = list.remove(0);
    mime::check_address(what, &m.address)?;
    Ok(m)
}

fn check_mail(mail: &OutgoingMail) -> Result<Addresses> {
    let from = one_mailbox("from", &mail.from)?;
    let list = |what: &str, v: &[String]| -> Result<Vec<Mailbox>> {
        v.iter().map(|s| one_mailbox(what, s)).collect()
    };
    let to = list("to", &mail.to)?;
    let cc = list("cc", &mail.cc)?;
    if to.is_empty() {
        return Err(Error::invalid("to: at least one recipient is required"));
    }
    mime::check_header_text("subject", &mail.subject)?;
    if let Some(id) = &mail.message_id {
        mime::check_header_text("messageId", id)?;
        if !(id.starts_with('<') && id.ends_with('>') && id.contains('@')) {
            return Err(Error::invalid("messageId must look like <id@domain>"));
        }
    }
    for a in &mail.attachments {
        mime::check_header_text("attachment filename", &a.filename)?;
        mime::check_header_text("attachment contentType", &a.content_type)?;
        let ct = mime::parse_content_type(&a.content_type);
        if ct.mime.split('/').count() != 2 || ct.mime.contains(char::is_whitespace) {
            return Err(Error::invalid(
                "attachment contentType must be type/subtype",
            ));
        }
    }
    let size: usize = mail.attachments.iter().map(|a| a.data.len()).sum::<usize>()
        + mail.text.as_ref().map_or(0, String::len)
        + mail.html.as_ref().map_or(0, String::len);
    // Base64 grows by a third; keep the built message within the limit.
    if size / 3 * 4 > MAX_MAIL_BYTES {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!("mail larger than {} MiB", MAX_MAIL_BYTES >> 20),
        ));
    }
    Ok(Addresses { from, to, cc })
}

fn message_id(mail: &OutgoingMail, from: &Mailbox) -> Result<String> {
    if let Some(id) = &mail.message_id {
        return Ok(id.clone());
    }
    let domain = from.address.rsplit('@').next().unwrap_or("localhost");
    let b = mime::boundary()?;
    Ok(format!(
        "<{}@{domain}>",
        b.trim_start_matches("=-sealpost-")
    ))
}

fn text_entity(mime_type: &str, text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    mime::write_header(
        &mut out,
        "Content-Type",
        &format!("{mime_type}; charset=\"utf-8\""),
    );
    mime::write_header(&mut out, "Content-Transfer-Encoding", "quoted-printable");
    out.extend_from_slice(b"\r\n");
    out.extend(mime::encode_qp(text));
    out
}

fn multipart(subtype: &str, extra: &str, children: &[Vec<u8>]) -> Result<(String, Vec<u8>)> {
    let b = mime::boundary()?;
    let mut body = Vec::new();
    for c in children {
        body.extend_from_slice(format!("--{b}\r\n").as_bytes());
        body.extend_from_slice(c);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{b}--\r\n").as_bytes());
    Ok((
        format!("multipart/{subtype}; boundary=\"{b}\"{extra}"),
        body,
    ))
}

/// The body tree: the text (with an HTML alternative), then any
/// attachments.
fn body_tree(mail: &OutgoingMail) -> Result<Vec<u8>> {
    let text = mail.text.as_deref().unwrap_or("");
    let body = match &mail.html {
        Some(html) => {
            let (ct, body) = multipart(
                "alternative",
                "",
                &[
                    text_entity("text/plain", text),
                    text_entity("text/html", html),
                ],
            )?;
            let mut e = Vec::new();
            mime::write_header(&mut e, "Content-Type", &ct);
            e.extend_from_slice(b"\r\n");
            e.extend(body);
            e
        }
        None => text_entity("text/plain", text),
    };
    let root = if mail.attachments.is_empty() {
        body
    } else {
        let mut children = vec![body];
        for a in &mail.attachments {
            let mut e = Vec::new();
            let ct = mime::parse_content_type(&a.content_type);
            mime::write_header(
                &mut e,
                "Content-Type",
                &format!("{}; {}", ct.mime, mime::format_param("name", &a.filename)),
            );
            mime::write_header(
                &mut e,
                "Content-Disposition",
                &format!(
                    "attachment; {}",
                    mime::format_param("filename", &a.filename)
                ),
            );
            mime::write_header(&mut e, "Content-Transfer-Encoding", "base64");
            e.extend_from_slice(b"\r\n");
            e.extend(mime::encode_base64_lines(&a.data));
            children.push(e);
        }
        let (ct, body) = multipart("mixed", "", &children)?;
        let mut e = Vec::new();
        mime::write_header(&mut e, "Content-Type", &ct);
        e.extend_from_slice(b"\r\n");
        e.extend(body);
        e
    };
    Ok(root)
}

/// The cryptographic payload: the body tree, its root carrying the
/// protected header fields, `hp`, and any extra fields (HP-Outer, gossip).
fn payload(
    mail: &OutgoingMail,
    protected: &[(&str, String)],
    hp: &str,
    extra: &[(String, String)],
) -> Result<Vec<u8>> {
    Ok(protect_root(&body_tree(mail)?, protected, hp, extra))
}

fn date_of(mail: &OutgoingMail) -> String {
    let secs = mail.date.unwrap_or_else(|| {
        policy::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    mime::format_date(secs)
}

/// The sender's Autocrypt header value, if asked for and a signer has the
/// `From` address.
fn sender_autocrypt(a: &Addresses, opts: &SendOptions<'_>) -> Result<Option<String>> {
    if !opts.autocrypt {
        return Ok(None);
    }
    let from = a.from.normalized();
    for signer in opts.signers {
        if autocrypt::has_address(signer, &from, opts.policy) {
            let value =
                autocrypt::header_value(&from, signer, opts.prefer_encrypt_mutual, opts.policy)?;
            return Ok(Some(value));
        }
    }
    Err(Error::new(
        ErrorCode::NoUsableKey,
        "autocrypt: no signing key has a user ID for the From address",
    ))
}

/// Ends the outer header section and appends the preamble line (shown by
/// clients without PGP/MIME) and the multipart body.
/// A MIME part carrying armored OpenPGP data: its three headers, then the
/// armor with CRLF line ends.
fn armored_part(
    content_type: &str,
    description: &str,
    disposition: &str,
    armored: &[u8],
) -> Vec<u8> {
    let mut part = Vec::new();
    mime::write_header(&mut part, "Content-Type", content_type);
    mime::write_header(&mut part, "Content-Description", description);
    mime::write_header(&mut part, "Content-Disposition", disposition);
    part.extend_from_slice(b"\r\n");
    part.extend(mime::canonical_crlf(armored));
    part
}

fn finish_outer(out: &mut Vec<u8>, content_type: &str, preamble: &str, body: &[u8]) {
    mime::write_header(out, "MIME-Version", "1.0");
    mime::write_header(out, "Content-Type", content_type);
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(preamble.as_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
}

/// Builds an encrypted (and, with signers, signed) PGP/MIME message.
///
/// The signed MIME tree (RFC 3156 §6.2, signature inside the OpenPGP
/// message) carries the real header fields; the outer `Subject` is
/// `[...]`.  With `autocrypt`, gossip headers for each recipient with a
/// matching certificate go inside when there are several recipients.
pub fn encrypt_mail(mail: &OutgoingMail, opts: &SendOptions<'_>) -> Result<Vec<u8>> {
    let a = check_mail(mail)?;
    if opts.recipients.is_empty() {
        return Err(Error::invalid(
            "encryptMail needs at least one recipient key",
        ));
    }
    let date = date_of(mail);
    let id = message_id(mail, &a.from)?;
    let protected = protected_fields(mail, &a, &date, &id);
    let outer = obscured_outer(&protected);
    let mut extra = hp_outer(&outer);
    let autocrypt = sender_autocrypt(&a, opts)?;
    if opts.autocrypt && a.to.len() + a.cc.len() > 1 {
        for m in a.to.iter().chain(&a.cc) {
            let addr = m.normalized();
            if let Some(cert) = opts
                .recipients
                .iter()
                .find(|c| autocrypt::has_address(c, &addr, opts.policy))
            {
                extra.push((
                    "Autocrypt-Gossip".to_owned(),
                    autocrypt::header_value(&addr, cert, false, opts.policy)?,
                ));
            }
        }
    }
    let inner = payload(mail, &protected, "cipher", &extra)?;
    let ciphertext = encrypt::encrypt(
        &inner,
        &EncryptOptions {
            recipients: opts.recipients,
            passwords: &[],
            signers: opts.signers,
            signer_passphrases: opts.signer_passphrases,
            armor: true,
            force_aead: false,
            text: false,
            policy: opts.policy,
        },
    )?;
    let mut control = Vec::new();
    mime::write_header(&mut control, "Content-Type", "application/pgp-encrypted");
    mime::write_header(
        &mut control,
        "Content-Description",
        "PGP/MIME version identification",
    );
    control.extend_from_slice(b"\r\nVersion: 1\r\n");
    let data = armored_part(
        "application/octet-stream; name=\"encrypted.asc\"",
        "OpenPGP encrypted message",
        "inline; filename=\"encrypted.asc\"",
        &ciphertext,
    );
    let (ct, body) = multipart(
        "encrypted",
        "; protocol=\"application/pgp-encrypted\"",
        &[control, data],
    )?;
    let mut out = Vec::new();
    for (n, v) in &outer {
        mime::write_header(&mut out, n, v);
    }
    if let Some(ac) = autocrypt {
        mime::write_header(&mut out, "Autocrypt", &ac);
    }
    finish_outer(
        &mut out,
        &ct,
        "This is an OpenPGP/MIME encrypted message (RFC 3156).",
        &body,
    );
    Ok(out)
}

fn micalg(h: HashAlgorithm) -> Result<&'static str> {
    Ok(match h {
        HashAlgorithm::SHA256 => "pgp-sha256",
        HashAlgorithm::SHA384 => "pgp-sha384",
        HashAlgorithm::SHA512 => "pgp-sha512",
        HashAlgorithm::SHA224 => "pgp-sha224",
        HashAlgorithm::SHA3_256 => "pgp-sha3-256",
        HashAlgorithm::SHA3_512 => "pgp-sha3-512",
        _ => {
            return Err(Error::new(
                ErrorCode::Unsupported,
                "signature hash algorithm has no micalg name",
            ))
        }
    })
}

/// Builds a signed, unencrypted PGP/MIME message (`multipart/signed`,
/// RFC 3156 §5) whose signed part carries the header fields protected
/// (RFC 9788, `hp="clear"`).
pub fn sign_mail(mail: &OutgoingMail, opts: &SendOptions<'_>) -> Result<Vec<u8>> {
    let a = check_mail(mail)?;
    if opts.signers.is_empty() {
        return Err(Error::invalid("signMail needs a signing key"));
    }
    let date = date_of(mail);
    let id = message_id(mail, &a.from)?;
    let protected = protected_fields(mail, &a, &date, &id);
    let signed = payload(mail, &protected, "clear", &[])?;
    let signature = sign::sign(
        &signed,
        &SignOptions {
            signers: opts.signers,
            passphrases: opts.signer_passphrases,
            mode: SignMode::Detached,
            text: false,
            armor: true,
            policy: opts.policy,
        },
    )?;
    let pile = PacketPile::from_bytes(&signature).map_err(|e| Error::from_parse("signature", e))?;
    let hashes: Vec<HashAlgorithm> = pile
        .descendants()
        .filter_map(|p| match p {
            Packet::Signature(s) => Some(s.hash_algo()),
            _ => None,
        })
        .collect();
    if hashes.is_empty() {
        return Err(Error::new(ErrorCode::Internal, "no signature made"));
    }
    // One micalg names all signatures' hashes (RFC 3156 §5): a comma list.
    let mut names: Vec<&str> = Vec::new();
    for h in &hashes {
        let n = micalg(*h)?;
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let sig_part = armored_part(
        "application/pgp-signature; name=\"signature.asc\"",
        "OpenPGP digital signature",
        "attachment; filename=\"signature.asc\"",
        &signature,
    );
    let (ct, body) = multipart(
        "signed",
        &format!(
            "; micalg=\"{}\"; protocol=\"application/pgp-signature\"",
            names.join(",")
        ),
        &[signed, sig_part],
    )?;
    let mut out = Vec::new();
    for (n, v) in &protected {
        mime::write_header(&mut out, n, v);
    }
    if let Some(ac) = sender_autocrypt(&a, opts)? {
        mime::write_header(&mut out, "Autocrypt", &ac);
    }
    finish_outer(
        &mut out,
        &ct,
        "This is an OpenPGP/MIME signed message (RFC 3156).",
        &body,
    );
    Ok(out)
}
