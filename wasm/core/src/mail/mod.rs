//! Mail: PGP/MIME (RFC 3156) with header protection (RFC 9788), inline PGP,
//! Autocrypt Level 1 and Web Key Directory.
//!
//! [`encrypt_mail`] and [`sign_mail`] build complete RFC 5322 messages;
//! [`read_mail`] takes any message (PGP/MIME encrypted or signed, inline
//! PGP, or plain) and returns what a mail client shows, with the signature
//! state bound to the `From` address.  Only the content inside the
//! encrypted or signed tree is returned as that message's content: parts
//! outside it are never mixed in.

pub mod autocrypt;
pub mod mime;
pub mod wkd;

use openpgp::parse::Parse;
use openpgp::types::HashAlgorithm;
use openpgp::{Cert, Packet, PacketPile};
use sequoia_openpgp as openpgp;
use serde::Serialize;

use crate::decrypt::{self, DecryptOptions};
use crate::encrypt::{self, EncryptOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::{self, Policy};
use crate::report::{Layers, SignatureResult};
use crate::sign::{self, SignMode, SignOptions};
use crate::verify::{self, VerifyOptions};
use crate::Password;
use mime::{Mailbox, Part};

/// The largest message [`read_mail`] accepts, and the largest that
/// [`encrypt_mail`] / [`sign_mail`] build.
pub const MAX_MAIL_BYTES: usize = 64 * 1024 * 1024;

/// What outer `Subject` an encrypted message carries (RFC 9788's
/// `hcp_baseline`): the real one is inside, encrypted.
pub const OBSCURED_SUBJECT: &str = "[...]";

/// A file attached to a mail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// The file name (no directory part).
    pub filename: String,
    /// Its media type, e.g. `application/pdf`.
    pub content_type: String,
    /// Its bytes (not serialized: the bindings pass them as binary).
    #[serde(skip)]
    pub data: Vec<u8>,
}

/// A mail to send.  Addresses are `addr@example.org` or
/// `Display Name <addr@example.org>`.
#[derive(Clone, Debug, Default)]
pub struct OutgoingMail {
    /// The author.
    pub from: String,
    /// Primary recipients (at least one).
    pub to: Vec<String>,
    /// Carbon-copy recipients.
    pub cc: Vec<String>,
    /// The subject (protected: encrypted mail shows `[...]` outside).
    pub subject: String,
    /// The plain-text body.
    pub text: Option<String>,
    /// An HTML body (sent as multipart/alternative with the text).
    pub html: Option<String>,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// Seconds since the epoch; now if absent.
    pub date: Option<u64>,
    /// `<id@domain>`; a random one if absent.
    pub message_id: Option<String>,
}

/// Options for [`encrypt_mail`] and [`sign_mail`].
#[derive(Clone, Copy)]
pub struct SendOptions<'a> {
    /// Recipients' certificates (include your own to read Sent mail).
    /// Ignored by [`sign_mail`].
    pub recipients: &'a [Cert],
    /// Signing keys (required for [`sign_mail`]).
    pub signers: &'a [Cert],
    /// Passphrases for locked signing keys.
    pub signer_passphrases: &'a [Password],
    /// Add an `Autocrypt:` header with the sender's key (the signer whose
    /// user ID is the `From` address), and gossip headers inside encrypted
    /// mail to several recipients.
    pub autocrypt: bool,
    /// Autocrypt's `prefer-encrypt=mutual`.
    pub prefer_encrypt_mutual: bool,
    /// The policy.
    pub policy: &'a Policy,
}

/// Options for [`read_mail`].
#[derive(Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Secret keys that may decrypt.
    pub keys: &'a [Cert],
    /// Passphrases for locked keys.
    pub key_passphrases: &'a [Password],
    /// Certificates whose signatures are checked (the address book).
    pub verification_certs: &'a [Cert],
    /// The policy.
    pub policy: &'a Policy,
}

/// How a message was protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MailKind {
    /// `multipart/encrypted` (RFC 3156 §4).
    PgpMimeEncrypted,
    /// `multipart/signed` (RFC 3156 §5).
    PgpMimeSigned,
    /// An armored OpenPGP message in a text body.
    InlineEncrypted,
    /// A cleartext-signed text body.
    InlineSigned,
    /// No OpenPGP protection.
    Plain,
}

/// The signature state to show, bound to the `From` address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureState {
    /// A valid signature by a known key that has a user ID for the `From`
    /// address.
    Verified,
    /// A valid signature, but no valid signer has the `From` address: show
    /// a warning, the mail may be forged.
    SignerMismatch,
    /// Signed, but no signature is valid (unknown key, bad signature, ...).
    Invalid,
    /// Not signed.
    Unsigned,
}

/// One signature with its binding to the sender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailSignature {
    /// The cryptographic result.
    #[serde(flatten)]
    pub result: SignatureResult,
    /// The signer's email addresses (from valid user IDs).
    pub signer_addresses: Vec<String>,
    /// Whether one of them is the `From` address.
    pub matches_from: bool,
}

/// A header field, decoded for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeaderField {
    /// The name as written.
    pub name: String,
    /// The value, RFC 2047 words decoded.
    pub value: String,
}

/// A mailbox for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Address {
    /// The display name (may be empty).
    pub name: String,
    /// The address.
    pub address: String,
}

/// A read message.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadMail {
    /// How it was protected.
    pub kind: MailKind,
    /// Whether it was encrypted.
    pub encrypted: bool,
    /// The header fields to show: the protected ones when the message
    /// carries them, else the outer ones.
    pub headers: Vec<HeaderField>,
    /// The header fields as transported (outside any protection).
    pub outer_headers: Vec<HeaderField>,
    /// Whether `headers` came from inside the protection (RFC 9788).
    pub protected_headers: bool,
    /// The author (from `headers`).
    pub from: Option<Address>,
    /// Primary recipients.
    pub to: Vec<Address>,
    /// Carbon-copy recipients.
    pub cc: Vec<Address>,
    /// The subject.
    pub subject: Option<String>,
    /// The `Date` field as written.
    pub date: Option<String>,
    /// The `Message-ID` field.
    pub message_id: Option<String>,
    /// The plain-text body.
    pub text: Option<String>,
    /// The HTML body: render only in a sandbox without scripts or remote
    /// content.
    pub html: Option<String>,
    /// Attachments, byte-exact.
    pub attachments: Vec<Attachment>,
    /// Every signature found over the content.
    pub signatures: Vec<MailSignature>,
    /// The verdict to show.
    pub signature_state: SignatureState,
    /// Text outside an inline-PGP block was dropped (it is not protected).
    pub unprotected_text_dropped: bool,
    /// The sender's `Autocrypt:` header, if valid and for the `From` address.
    pub autocrypt: Option<autocrypt::Autocrypt>,
    /// `Autocrypt-Gossip` headers from inside an encrypted message.
    pub gossip: Vec<autocrypt::Autocrypt>,
    /// The encryption layers.
    pub layers: Layers,
}

// ---------------------------------------------------------------------------
// Building

struct Addresses {
    from: Mailbox,
    to: Vec<Mailbox>,
    cc: Vec<Mailbox>,
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

/// The header fields that header protection carries inside.
fn protected_fields(
    mail: &OutgoingMail,
    a: &Addresses,
    date: &str,
    id: &str,
) -> Vec<(&'static str, String)> {
    let mut h = vec![
        ("From", mime::format_mailbox(&a.from)),
        ("To", mime::format_mailboxes(&a.to)),
    ];
    if !a.cc.is_empty() {
        h.push(("Cc", mime::format_mailboxes(&a.cc)));
    }
    h.push(("Subject", mime::encode_words(&mail.subject)));
    h.push(("Date", date.to_owned()));
    h.push(("Message-ID", id.to_owned()));
    h
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

/// Splits an entity into its header section (without the blank line) and body.
fn split_entity(entity: &[u8]) -> (&[u8], &[u8]) {
    match entity.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => (&entity[..i + 2], &entity[i + 4..]),
        None => (entity, b""),
    }
}

/// The cryptographic payload: the body tree, its root carrying the
/// protected header fields, `hp`, and any extra fields (HP-Outer, gossip).
fn payload(
    mail: &OutgoingMail,
    protected: &[(&str, String)],
    hp: &str,
    extra: &[(String, String)],
) -> Result<Vec<u8>> {
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
    // Re-head the root: its Content-Type gains `hp`, the protected fields
    // and extra fields join it.
    let (head, body) = split_entity(&root);
    let mut out = Vec::with_capacity(root.len() + 1024);
    for line in String::from_utf8_lossy(head).split_inclusive("\r\n") {
        if line.to_ascii_lowercase().starts_with("content-type:") {
            out.extend_from_slice(line.trim_end().as_bytes());
            out.extend_from_slice(format!("; hp=\"{hp}\"\r\n").as_bytes());
        } else {
            out.extend_from_slice(line.as_bytes());
        }
    }
    for (name, value) in protected {
        mime::write_header(&mut out, name, value);
    }
    for (name, value) in extra {
        mime::write_header(&mut out, name, value);
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    Ok(out)
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
    let outer: Vec<(&str, String)> = protected
        .iter()
        .map(|(n, v)| {
            let v = if *n == "Subject" {
                OBSCURED_SUBJECT.to_owned()
            } else {
                v.clone()
            };
            (*n, v)
        })
        .collect();
    let mut extra: Vec<(String, String)> = outer
        .iter()
        .map(|(n, v)| ("HP-Outer".to_owned(), format!("{n}: {v}")))
        .collect();
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
    let mut data = Vec::new();
    mime::write_header(
        &mut data,
        "Content-Type",
        "application/octet-stream; name=\"encrypted.asc\"",
    );
    mime::write_header(
        &mut data,
        "Content-Description",
        "OpenPGP encrypted message",
    );
    mime::write_header(
        &mut data,
        "Content-Disposition",
        "inline; filename=\"encrypted.asc\"",
    );
    data.extend_from_slice(b"\r\n");
    data.extend(mime::canonical_crlf(&ciphertext));
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
    let mut sig_part = Vec::new();
    mime::write_header(
        &mut sig_part,
        "Content-Type",
        "application/pgp-signature; name=\"signature.asc\"",
    );
    mime::write_header(
        &mut sig_part,
        "Content-Description",
        "OpenPGP digital signature",
    );
    mime::write_header(
        &mut sig_part,
        "Content-Disposition",
        "attachment; filename=\"signature.asc\"",
    );
    sig_part.extend_from_slice(b"\r\n");
    sig_part.extend(mime::canonical_crlf(&signature));
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

// ---------------------------------------------------------------------------
// Reading

fn decoded_headers(part: &Part<'_>) -> Vec<HeaderField> {
    part.headers
        .iter()
        .map(|h| HeaderField {
            name: h.name.clone(),
            value: mime::decode_words(&h.value),
        })
        .collect()
}

/// Header fields of a payload root that are message fields, not MIME or
/// header-protection bookkeeping.
fn message_fields(part: &Part<'_>) -> Vec<HeaderField> {
    decoded_headers(part)
        .into_iter()
        .filter(|h| {
            let n = h.name.to_ascii_lowercase();
            !(n.starts_with("content-")
                || n == "mime-version"
                || n == "hp-outer"
                || n == "autocrypt-gossip")
        })
        .collect()
}

fn field<'h>(h: &'h [HeaderField], name: &str) -> Option<&'h str> {
    h.iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .map(|f| f.value.as_str())
}

fn addresses_of(h: &[HeaderField], name: &str) -> Vec<Address> {
    h.iter()
        .filter(|f| f.name.eq_ignore_ascii_case(name))
        .flat_map(|f| mime::parse_addresses(&f.value))
        .map(|m| Address {
            name: m.name,
            address: m.address,
        })
        .collect()
}

#[derive(Default)]
struct Body {
    text: Option<String>,
    html: Option<String>,
    attachments: Vec<Attachment>,
}

fn collect_body(part: &Part<'_>, out: &mut Body) -> Result<()> {
    let mime_type = part.ctype.mime.as_str();
    if mime_type.starts_with("multipart/") {
        for child in &part.children {
            collect_body(child, out)?;
        }
        return Ok(());
    }
    // RFC 9788 legacy display elements repeat the headers for old clients.
    if part.ctype.param("hp-legacy-display") == Some("1") {
        return Ok(());
    }
    if !part.is_attachment() {
        let text = part.text()?.replace("\r\n", "\n");
        let slot = if mime_type == "text/html" {
            &mut out.html
        } else {
            &mut out.text
        };
        match slot {
            None => *slot = Some(text),
            Some(s) => {
                s.push('\n');
                s.push_str(&text);
            }
        }
        return Ok(());
    }
    let n = out.attachments.len() + 1;
    out.attachments.push(Attachment {
        filename: part
            .filename()
            .map(|f| basename(&f))
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| format!("attachment-{n}")),
        content_type: part.ctype.mime.clone(),
        data: part.decoded()?,
    });
    Ok(())
}

/// No directory parts in a received file name.
fn basename(name: &str) -> String {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .trim()
        .to_owned()
}

fn bind_signatures(
    results: Vec<SignatureResult>,
    from: Option<&Address>,
    opts: &ReadOptions<'_>,
) -> (Vec<MailSignature>, SignatureState) {
    let from = from.map(|a| a.address.to_lowercase());
    let sigs: Vec<MailSignature> = results
        .into_iter()
        .map(|result| {
            let cert = result.signer_fingerprint.as_ref().and_then(|fp| {
                opts.verification_certs
                    .iter()
                    .find(|c| c.fingerprint().to_hex() == *fp)
            });
            let signer_addresses = cert
                .map(|c| autocrypt::addresses(c, opts.policy))
                .unwrap_or_default();
            let matches_from = result.valid
                && from
                    .as_ref()
                    .is_some_and(|f| signer_addresses.iter().any(|a| a == f));
            MailSignature {
                result,
                signer_addresses,
                matches_from,
            }
        })
        .collect();
    let state = if sigs.iter().any(|s| s.matches_from) {
        SignatureState::Verified
    } else if sigs.iter().any(|s| s.result.valid) {
        SignatureState::SignerMismatch
    } else if !sigs.is_empty() {
        SignatureState::Invalid
    } else {
        SignatureState::Unsigned
    };
    (sigs, state)
}

fn is_protected_root(part: &Part<'_>) -> bool {
    part.ctype.param("hp").is_some() || part.ctype.param("protected-headers") == Some("v1")
}

/// Finds the armored block `-----BEGIN PGP <label>-----` … `-----END …`.
fn armored_block(text: &str, label: &str) -> Option<(usize, usize)> {
    let begin = format!("-----BEGIN PGP {label}-----");
    let start = text.find(&begin)?;
    // A cleartext-signed message ends with its signature block.
    let end_marker = if label == "SIGNED MESSAGE" {
        "-----END PGP SIGNATURE-----"
    } else {
        "-----END PGP MESSAGE-----"
    };
    let end = text[start..].find(end_marker)? + start + end_marker.len();
    // The block must start a line.
    if start > 0 && !text[..start].ends_with('\n') {
        return None;
    }
    Some((start, end))
}

/// Reads a message: decrypts and verifies PGP/MIME or inline PGP, or
/// returns a plain message as unsigned.
pub fn read_mail(message: &[u8], opts: &ReadOptions<'_>) -> Result<ReadMail> {
    if message.len() > MAX_MAIL_BYTES {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!("mail larger than {} MiB", MAX_MAIL_BYTES >> 20),
        ));
    }
    let outer = mime::parse(message)?;
    let outer_headers = decoded_headers(&outer);
    let dopts = DecryptOptions {
        keys: opts.keys,
        key_passphrases: opts.key_passphrases,
        passwords: &[],
        verification_certs: opts.verification_certs,
        session_keys: &[],
        require_signature: false,
        policy: opts.policy,
    };
    let vopts = VerifyOptions {
        certs: opts.verification_certs,
        require_signature: false,
        policy: opts.policy,
    };
    let mut unprotected_text_dropped = false;
    // The decrypted inner message must outlive the parts borrowed from it.
    let inner_bytes;
    let (kind, payload, results, layers, inline_text): (
        MailKind,
        Option<Part<'_>>,
        Vec<SignatureResult>,
        Layers,
        Option<String>,
    ) = match outer.ctype.mime.as_str() {
        "multipart/encrypted" => {
            if !outer
                .ctype
                .param("protocol")
                .is_some_and(|p| p.eq_ignore_ascii_case("application/pgp-encrypted"))
                || outer.children.len() != 2
            {
                return Err(Error::new(
                    ErrorCode::MalformedInput,
                    "mail: multipart/encrypted is not PGP/MIME (RFC 3156 §4)",
                ));
            }
            let d = decrypt::decrypt(&outer.children[1].decoded()?, &dopts)?;
            inner_bytes = d.data;
            let inner = mime::parse(&inner_bytes)?;
            if inner.ctype.mime == "multipart/signed" {
                // Signed, then encrypted as a whole (RFC 3156 §6.1).
                let (part, results) = verify_signed(&inner, &vopts)?;
                (
                    MailKind::PgpMimeEncrypted,
                    Some(part),
                    results,
                    d.layers,
                    None,
                )
            } else {
                (
                    MailKind::PgpMimeEncrypted,
                    Some(inner),
                    d.signatures,
                    d.layers,
                    None,
                )
            }
        }
        "multipart/signed" => {
            let (part, results) = verify_signed(&outer, &vopts)?;
            (
                MailKind::PgpMimeSigned,
                Some(part),
                results,
                Layers::default(),
                None,
            )
        }
        "text/plain" if !outer.is_attachment() => {
            let text = outer.text()?;
            if let Some((s, e)) = armored_block(&text, "MESSAGE") {
                unprotected_text_dropped =
                    !(text[..s].trim().is_empty() && text[e..].trim().is_empty());
                let d = decrypt::decrypt(&text.as_bytes()[s..e], &dopts)?;
                let plain = String::from_utf8(d.data).map_err(|_| {
                    Error::new(
                        ErrorCode::MalformedInput,
                        "mail: inline PGP plaintext is not UTF-8 text",
                    )
                })?;
                (
                    MailKind::InlineEncrypted,
                    None,
                    d.signatures,
                    d.layers,
                    Some(plain),
                )
            } else if let Some((s, e)) = armored_block(&text, "SIGNED MESSAGE") {
                unprotected_text_dropped =
                    !(text[..s].trim().is_empty() && text[e..].trim().is_empty());
                let v = verify::verify(&text.as_bytes()[s..e], &vopts)?;
                let plain = String::from_utf8_lossy(&v.data).into_owned();
                (
                    MailKind::InlineSigned,
                    None,
                    v.signatures,
                    Layers::default(),
                    Some(plain),
                )
            } else {
                (MailKind::Plain, None, Vec::new(), Layers::default(), None)
            }
        }
        _ => (MailKind::Plain, None, Vec::new(), Layers::default(), None),
    };

    let mut body = Body::default();
    let (headers, protected_headers, gossip_source) = match &payload {
        Some(p) => {
            collect_body(p, &mut body)?;
            if is_protected_root(p) {
                (message_fields(p), true, Some(p))
            } else {
                (outer_headers.clone(), false, Some(p))
            }
        }
        None => {
            match inline_text {
                Some(t) => body.text = Some(t.replace("\r\n", "\n")),
                None => collect_body(&outer, &mut body)?,
            }
            (outer_headers.clone(), false, None)
        }
    };
    let from = addresses_of(&headers, "from").into_iter().next();
    let (signatures, signature_state) = bind_signatures(results, from.as_ref(), opts);
    let encrypted = layers.encrypted;
    let autocrypt = outer
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("autocrypt"))
        .map(|h| h.value.as_str())
        .collect::<Vec<_>>();
    let autocrypt = from
        .as_ref()
        .and_then(|f| autocrypt::from_headers(&autocrypt, &f.address, opts.policy));
    let gossip = match gossip_source {
        Some(p) if encrypted => p
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("autocrypt-gossip"))
            .filter_map(|h| autocrypt::parse(&h.value, opts.policy).ok())
            .collect(),
        _ => Vec::new(),
    };
    Ok(ReadMail {
        kind,
        encrypted,
        to: addresses_of(&headers, "to"),
        cc: addresses_of(&headers, "cc"),
        subject: field(&headers, "subject").map(str::to_owned),
        date: field(&headers, "date").map(str::to_owned),
        message_id: field(&headers, "message-id").map(str::to_owned),
        from,
        headers,
        outer_headers,
        protected_headers,
        text: body.text,
        html: body.html,
        attachments: body.attachments,
        signatures,
        signature_state,
        unprotected_text_dropped,
        autocrypt,
        gossip,
        layers,
    })
}

/// Verifies a `multipart/signed` entity; returns the signed part and the
/// results.  The signature covers the first part's raw bytes, line endings
/// made CRLF (RFC 3156 §5).
fn verify_signed<'a>(
    part: &Part<'a>,
    opts: &VerifyOptions<'_>,
) -> Result<(Part<'a>, Vec<SignatureResult>)> {
    if !part
        .ctype
        .param("protocol")
        .is_some_and(|p| p.eq_ignore_ascii_case("application/pgp-signature"))
        || part.children.len() != 2
    {
        return Err(Error::new(
            ErrorCode::MalformedInput,
            "mail: multipart/signed is not PGP/MIME (RFC 3156 §5)",
        ));
    }
    let signed = &part.children[0];
    let signature = part.children[1].decoded()?;
    let v = verify::verify_detached(&mime::canonical_crlf(signed.raw), &signature, opts)?;
    Ok((signed.clone(), v.signatures))
}
