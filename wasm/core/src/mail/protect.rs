//! Header protection (RFC 9788): the fields that travel inside the
//! cryptographic payload, the root entity that carries them, the obscured
//! outer fields, and recognising a protected root when reading.

use super::compose::Addresses;
use super::mime::{self, Part};
use super::read::decoded_headers;
use super::{HeaderField, OutgoingMail, OBSCURED_SUBJECT};

/// The header fields that header protection carries inside.
pub(super) fn protected_fields(
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

/// The outer header fields of an encrypted message: the protected ones with
/// the `Subject` obscured (RFC 9788's `hcp_baseline`).
pub(super) fn obscured_outer(protected: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    protected
        .iter()
        .map(|(n, v)| {
            let v = if *n == "Subject" {
                OBSCURED_SUBJECT.to_owned()
            } else {
                v.clone()
            };
            (*n, v)
        })
        .collect()
}

/// One `HP-Outer` field inside for each outer field, so a reader can tell
/// what the outside showed.
pub(super) fn hp_outer(outer: &[(&str, String)]) -> Vec<(String, String)> {
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
    protected: &[(&str, String)],
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
    for (name, value) in protected {
        mime::write_header(&mut out, name, value);
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
