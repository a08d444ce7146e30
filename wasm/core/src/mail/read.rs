//! Reading mail: PGP/MIME encrypted or signed, inline PGP, or plain, into
//! what a mail client shows ([`ReadMail`]).

use super::binding::bind_signatures;
use super::mime::{self, Part};
use super::protect::{is_protected_root, message_fields};
use super::{
    autocrypt, Address, Attachment, HeaderField, MailKind, ReadMail, ReadOptions, MAX_MAIL_BYTES,
};
use crate::decrypt::{self, DecryptOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::report::{Layers, SignatureResult};
use crate::verify::{self, VerifyOptions};

pub(super) fn decoded_headers(part: &Part<'_>) -> Vec<HeaderField> {
    part.headers
        .iter()
        .map(|h| HeaderField {
            name: h.name.clone(),
            value: mime::decode_words(&h.value),
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

/// The message IDs (`<...>`, no spaces inside) in the fields called `name`.
fn message_ids(h: &[HeaderField], name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for f in h.iter().filter(|f| f.name.eq_ignore_ascii_case(name)) {
        let mut rest = f.value.as_str();
        while let Some(start) = rest.find('<') {
            let Some(len) = rest[start..].find('>') else {
                break;
            };
            let id = &rest[start..start + len + 1];
            if !id[1..].contains(['<', ' ', '\t']) && id.len() > 2 {
                out.push(id.to_owned());
            }
            rest = &rest[start + len + 1..];
        }
    }
    out
}

/// Fields the named results read, and MIME / header-protection bookkeeping.
fn is_named_field(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "from"
            | "to"
            | "cc"
            | "subject"
            | "date"
            | "message-id"
            | "reply-to"
            | "in-reply-to"
            | "references"
            | "mime-version"
            | "hp-outer"
            | "autocrypt"
            | "autocrypt-gossip"
    ) || n.starts_with("content-")
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
    mime::reset_unknown_charsets();
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
    let unknown_charsets = mime::take_unknown_charsets();
    Ok(ReadMail {
        kind,
        encrypted,
        to: addresses_of(&headers, "to"),
        cc: addresses_of(&headers, "cc"),
        subject: field(&headers, "subject").map(str::to_owned),
        date: field(&headers, "date").map(str::to_owned),
        message_id: field(&headers, "message-id").map(str::to_owned),
        reply_to: addresses_of(&headers, "reply-to"),
        in_reply_to: message_ids(&headers, "in-reply-to"),
        references: message_ids(&headers, "references"),
        custom_headers: headers
            .iter()
            .filter(|h| !is_named_field(&h.name))
            .cloned()
            .collect(),
        charset_unknown: !unknown_charsets.is_empty(),
        unknown_charsets,
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
