//! Building outgoing mail: checks on what the caller gave, the body tree
//! (text, HTML, attachments), and the PGP/MIME encrypted and signed forms.

use openpgp::parse::Parse;
use openpgp::types::HashAlgorithm;
use openpgp::{Packet, PacketPile};
use sequoia_openpgp as openpgp;

use super::mime::{self, Mailbox};
use super::protect::{
    clear_fields, hp_outer, obscured_outer, protect_root, protected_fields, Field,
};
use super::{autocrypt, BccCopy, MailCopies, OutgoingMail, SendOptions, MAX_MAIL_BYTES};
use crate::encrypt::{self, EncryptOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::policy;
use crate::sign::{self, SignMode, SignOptions};

/// The checked addresses of an outgoing mail.
pub(super) struct Addresses {
    pub(super) from: Mailbox,
    pub(super) to: Vec<Mailbox>,
    pub(super) cc: Vec<Mailbox>,
    pub(super) reply_to: Vec<Mailbox>,
    pub(super) bcc: Vec<Mailbox>,
}

/// Header names a custom field may not take: fields with their own option
/// (the message says which), and fields that MIME, header protection,
/// Autocrypt or the transport own.
const OWN_OPTION: [(&str, &str); 10] = [
    ("from", "from"),
    ("to", "to"),
    ("cc", "cc"),
    ("bcc", "bcc"),
    ("subject", "subject"),
    ("date", "date"),
    ("message-id", "messageId"),
    ("reply-to", "replyTo"),
    ("in-reply-to", "inReplyTo"),
    ("references", "references"),
];
const RESERVED: [&str; 8] = [
    "mime-version",
    "sender",
    "hp-outer",
    "received",
    "return-path",
    "dkim-signature",
    "authentication-results",
    "autocrypt",
];
const RESERVED_PREFIXES: [&str; 4] = ["content-", "autocrypt-", "resent-", "arc-"];
/// At most this many custom fields, each value at most this many bytes.
const MAX_CUSTOM_HEADERS: usize = 64;
const MAX_CUSTOM_VALUE: usize = 4096;
/// At most this many message IDs in `References`.
const MAX_REFERENCES: usize = 200;

fn check_custom_headers(headers: &[(String, String)]) -> Result<()> {
    if headers.len() > MAX_CUSTOM_HEADERS {
        return Err(Error::invalid(format!(
            "headers: at most {MAX_CUSTOM_HEADERS} fields"
        )));
    }
    for (i, (name, value)) in headers.iter().enumerate() {
        let ok_name = !name.is_empty()
            && name.len() <= 76
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && name.as_bytes()[0].is_ascii_alphanumeric();
        if !ok_name {
            return Err(Error::invalid(format!(
                "headers[{i}]: a field name is 1 to 76 letters, digits and '-', starting with a letter or digit"
            )));
        }
        let lower = name.to_ascii_lowercase();
        if let Some((_, option)) = OWN_OPTION.iter().find(|(n, _)| *n == lower) {
            return Err(Error::invalid(format!(
                "headers: {name} is set with the mail.{option} option"
            )));
        }
        if RESERVED.contains(&lower.as_str())
            || RESERVED_PREFIXES.iter().any(|p| lower.starts_with(p))
        {
            return Err(Error::invalid(format!(
                "headers: {name} is written by sealpost or the transport, not by the caller"
            )));
        }
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(Error::invalid(format!(
                "headers[{i}]: a value must not contain line breaks or control characters"
            )));
        }
        if value.len() > MAX_CUSTOM_VALUE {
            return Err(Error::invalid(format!(
                "headers[{i}]: a value is at most {MAX_CUSTOM_VALUE} bytes"
            )));
        }
    }
    Ok(())
}

/// A message ID as `In-Reply-To` and `References` carry it: `<left@right>`,
/// printable ASCII without spaces or angle brackets inside.
fn check_message_id(what: &str, id: &str) -> Result<()> {
    let inner = id.strip_prefix('<').and_then(|r| r.strip_suffix('>'));
    let ok = inner.is_some_and(|s| {
        s.len() <= 250
            && s.bytes()
                .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>')
            && s.split_once('@')
                .is_some_and(|(l, r)| !l.is_empty() && !r.is_empty())
    });
    if !ok {
        return Err(Error::invalid(format!(
            "{what}: a message ID looks like <id@domain>"
        )));
    }
    Ok(())
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
    let reply_to = list("replyTo", &mail.reply_to)?;
    let bcc = list("bcc", &mail.bcc)?;
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
    for id in &mail.in_reply_to {
        check_message_id("inReplyTo", id)?;
    }
    if mail.references.len() > MAX_REFERENCES {
        return Err(Error::invalid(format!(
            "references: at most {MAX_REFERENCES} message IDs"
        )));
    }
    for id in &mail.references {
        check_message_id("references", id)?;
    }
    check_custom_headers(&mail.headers)?;
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
    Ok(Addresses {
        from,
        to,
        cc,
        reply_to,
        bcc,
    })
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
    protected: &[Field],
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
/// A mail with Bcc recipients is refused: use [`encrypt_mail_copies`].
pub fn encrypt_mail(mail: &OutgoingMail, opts: &SendOptions<'_>) -> Result<Vec<u8>> {
    if !mail.bcc.is_empty() {
        return Err(Error::invalid(
            "bcc: an encrypted mail with Bcc recipients is several messages (encrypt_mail_copies)",
        ));
    }
    Ok(encrypt_mail_copies(mail, opts)?.message)
}

/// A Bcc address and the keys its copy is encrypted to.
type BccKeys = (String, Vec<openpgp::Cert>);

/// Which recipient keys each message is encrypted to: the main message to
/// every key that is not only a Bcc recipient's (a key with a user ID for a
/// Bcc address and none for the sender, a To or a Cc address); each Bcc
/// address's copy to those and the keys with that address.  So no To or Cc
/// recipient's message names a Bcc recipient's key, and each Bcc recipient
/// sees only its own.
fn split_recipients(
    a: &Addresses,
    opts: &SendOptions<'_>,
) -> Result<(Vec<openpgp::Cert>, Vec<BccKeys>)> {
    let visible: Vec<String> = std::iter::once(&a.from)
        .chain(&a.to)
        .chain(&a.cc)
        .map(Mailbox::normalized)
        .collect();
    let bcc: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        for m in &a.bcc {
            let n = m.normalized();
            if !v.contains(&n) {
                v.push(n);
            }
        }
        v
    };
    let has = |c: &openpgp::Cert, list: &[String]| {
        list.iter()
            .any(|addr| autocrypt::has_address(c, addr, opts.policy))
    };
    let main: Vec<openpgp::Cert> = opts
        .recipients
        .iter()
        .filter(|c| bcc.is_empty() || has(c, &visible) || !has(c, &bcc))
        .cloned()
        .collect();
    if main.is_empty() {
        return Err(Error::new(
            ErrorCode::NoUsableKey,
            "encryptionKeys: no key for the sender or a To or Cc recipient (the others are Bcc recipients' own)",
        ));
    }
    let mut copies = Vec::new();
    for (i, addr) in bcc.iter().enumerate() {
        let own: Vec<openpgp::Cert> = opts
            .recipients
            .iter()
            .filter(|c| autocrypt::has_address(c, addr, opts.policy))
            .filter(|c| !main.iter().any(|m| m.fingerprint() == c.fingerprint()))
            .cloned()
            .collect();
        if own.is_empty()
            && !main
                .iter()
                .any(|c| autocrypt::has_address(c, addr, opts.policy))
        {
            return Err(Error::new(
                ErrorCode::NoUsableKey,
                format!("bcc[{i}]: no key in encryptionKeys has a user ID for this address"),
            ));
        }
        let mut keys = main.clone();
        keys.extend(own);
        copies.push((addr.clone(), keys));
    }
    Ok((main, copies))
}

/// [`encrypt_mail`] for a mail that may have Bcc recipients: the message for
/// the To and Cc recipients, and one message for each Bcc address.  None of
/// them carries a Bcc field or a Bcc address; all carry the same header
/// fields, Message-ID and content.
pub fn encrypt_mail_copies(mail: &OutgoingMail, opts: &SendOptions<'_>) -> Result<MailCopies> {
    let a = check_mail(mail)?;
    if opts.recipients.is_empty() {
        return Err(Error::invalid(
            "encryptMail needs at least one recipient key",
        ));
    }
    let (main, bcc) = split_recipients(&a, opts)?;
    let date = date_of(mail);
    let id = message_id(mail, &a.from)?;
    let protected = protected_fields(mail, &a, &date, &id);
    let outer = obscured_outer(&protected);
    let mut extra = hp_outer(&outer);
    let autocrypt = sender_autocrypt(&a, opts)?;
    if opts.autocrypt && a.to.len() + a.cc.len() > 1 {
        for m in a.to.iter().chain(&a.cc) {
            let addr = m.normalized();
            if let Some(cert) = main
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
    let build = |recipients: &[openpgp::Cert]| -> Result<Vec<u8>> {
        let ciphertext = encrypt::encrypt(
            &inner,
            &EncryptOptions {
                recipients,
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
        if let Some(ac) = &autocrypt {
            mime::write_header(&mut out, "Autocrypt", ac);
        }
        finish_outer(
            &mut out,
            &ct,
            "This is an OpenPGP/MIME encrypted message (RFC 3156).",
            &body,
        );
        Ok(out)
    };
    let message = build(&main)?;
    let mut copies = Vec::with_capacity(bcc.len());
    for (address, keys) in bcc {
        copies.push(BccCopy {
            address,
            message: build(&keys)?,
        });
    }
    Ok(MailCopies {
        message,
        bcc: copies,
    })
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
    let clear = clear_fields(&protected);
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
    for (n, v) in &clear {
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
