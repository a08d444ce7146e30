//! Header protection (RFC 9788): the fields that travel inside the
//! cryptographic payload, the root entity that carries them, the obscured
//! outer fields, and recognising a protected root when reading.

use super::compose::Addresses;
use super::mime::{self, Part};
use super::read::decoded_headers;
use super::{HeaderField, OutgoingMail, OBSCURED_SUBJECT};

/// How a protected field travels in an encrypted message (RFC 9788).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Outside {
    /// Copied outside as it is: From, To, Cc, Date, Message-ID, Reply-To
    /// (a client without header protection replies there), In-Reply-To and
    /// References (servers and clients thread by them).
    Copied,
    /// Outside as `[...]`: the Subject (RFC 9788's `hcp_baseline`).
    Obscured,
    /// Inside only: custom fields, which may say anything about the content.
    Confidential,
}

/// One header field that header protection carries inside.
pub(super) struct Field {
    pub(super) name: String,
    pub(super) value: String,
    pub(super) outside: Outside,
}

fn field(name: &str, value: String, outside: Outside) -> Field {
    Field {
        name: name.to_owned(),
        value,
        outside,
    }
}

/// Message IDs on folded lines.
fn id_list(ids: &[String]) -> String {
    ids.join("\r\n ")
}

/// The header fields that header protection carries inside, in order.
/// Bcc is not among them: no Bcc address is written anywhere.
pub(super) fn protected_fields(
    mail: &OutgoingMail,
    a: &Addresses,
    date: &str,
    id: &str,
) -> Vec<Field> {
    use Outside::*;
    let mut h = vec![
        field("From", mime::format_mailbox(&a.from), Copied),
        field("To", mime::format_mailboxes(&a.to), Copied),
    ];
    if !a.cc.is_empty() {
        h.push(field("Cc", mime::format_mailboxes(&a.cc), Copied));
    }
    if !a.reply_to.is_empty() {
        h.push(field(
            "Reply-To",
            mime::format_mailboxes(&a.reply_to),
            Copied,
        ));
    }
    h.push(field(
        "Subject",
        mime::encode_words(&mail.subject),
        Obscured,
    ));
    h.push(field("Date", date.to_owned(), Copied));
    h.push(field("Message-ID", id.to_owned(), Copied));
    if !mail.in_reply_to.is_empty() {
        h.push(field("In-Reply-To", id_list(&mail.in_reply_to), Copied));
    }
    if !mail.references.is_empty() {
        h.push(field("References", id_list(&mail.references), Copied));
    }
    for (name, value) in &mail.headers {
        h.push(field(name, mime::encode_words(value), Confidential));
    }
    h
}

/// The fields as written in the clear (a signed message's outer header).
pub(super) fn clear_fields(protected: &[Field]) -> Vec<(String, String)> {
    protected
        .iter()
        .map(|f| (f.name.clone(), f.value.clone()))
        .collect()
}

/// The outer header fields of an encrypted message: the Subject obscured,
/// the confidential fields left out.
pub(super) fn obscured_outer(protected: &[Field]) -> Vec<(String, String)> {
    protected
        .iter()
        .filter_map(|f| match f.outside {
            Outside::Copied => Some((f.name.clone(), f.value.clone())),
            Outside::Obscured => Some((f.name.clone(), OBSCURED_SUBJECT.to_owned())),
            Outside::Confidential => None,
        })
        .collect()
}

/// One `HP-Outer` field inside for each outer field, so a reader can tell
/// what the outside showed.
pub(super) fn hp_outer(outer: &[(String, String)]) -> Vec<(String, String)> {
    outer
        .iter()
        .map(|(n, v)| ("HP-Outer".to_owned(), format!("{n}: {v}")))
        .collect()
}

/// Splits an entity into its header section (without the blank line) and body.
fn split_entity(entity: &[u8]) -> (&[u8], &[u8]) {
    match entity.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => (&entity[..i + 2], &entity[i + 4..]),
        None => (entity, b""),
    }
}

/// Re-heads the root of a body tree: its Content-Type gains `hp`, the
/// protected fields and extra fields (HP-Outer, gossip) join it.
pub(super) fn protect_root(
    root: &[u8],
    protected: &[Field],
    hp: &str,
    extra: &[(String, String)],
) -> Vec<u8> {
    let (head, body) = split_entity(root);
    let mut out = Vec::with_capacity(root.len() + 1024);
    for line in String::from_utf8_lossy(head).split_inclusive("\r\n") {
        if line.to_ascii_lowercase().starts_with("content-type:") {
            out.extend_from_slice(line.trim_end().as_bytes());
            out.extend_from_slice(format!("; hp=\"{hp}\"\r\n").as_bytes());
        } else {
            out.extend_from_slice(line.as_bytes());
        }
    }
    for f in protected {
        mime::write_header(&mut out, &f.name, &f.value);
    }
    for (name, value) in extra {
        mime::write_header(&mut out, name, value);
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// Header fields of a payload root that are message fields, not MIME or
/// header-protection bookkeeping.
pub(super) fn message_fields(part: &Part<'_>) -> Vec<HeaderField> {
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

/// Whether a payload root carries protected header fields (`hp`, or the
/// older `protected-headers="v1"`).
pub(super) fn is_protected_root(part: &Part<'_>) -> bool {
    part.ctype.param("hp").is_some() || part.ctype.param("protected-headers") == Some("v1")
}
