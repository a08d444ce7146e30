//! A small, strict MIME reader and writer: just what PGP/MIME (RFC 3156),
//! header protection (RFC 9788) and Autocrypt need.
//!
//! The reader keeps every part's raw bytes (a `multipart/signed` signature
//! covers the first part byte for byte), bounds depth, part count and header
//! size, and returns errors for what it cannot read: it never guesses at a
//! structure.  The writer emits CRLF line endings and 7-bit transfer
//! encodings only, so that what it signs survives transport unchanged.
//!
//! The reader is in `read.rs`, the writer's pieces in `write.rs`, addresses
//! in `address.rs`, and transfer and header encodings in `encoding.rs`.

use crate::error::{Error, ErrorCode, Result};

mod address;
mod encoding;
mod read;
mod write;

pub use address::{check_address, format_mailbox, format_mailboxes, parse_addresses, Mailbox};
pub use encoding::{
    canonical_crlf, decode_base64, decode_charset, decode_qp, decode_words, encode_base64_lines,
    encode_qp, encode_words, percent_encode, reset_unknown_charsets, set_charset_decoder,
    take_unknown_charsets, CharsetDecoder,
};
pub use read::{parse, parse_content_type};
pub use write::{boundary, check_header_text, format_date, format_param, write_header};

/// Nesting depth of multiparts.
pub const MAX_DEPTH: usize = 16;
/// Parts in one message, all levels together.
pub const MAX_PARTS: usize = 1000;
/// Bytes in one part's header section.
pub const MAX_HEADER_BYTES: usize = 256 * 1024;

fn malformed(what: &str) -> Error {
    Error::new(ErrorCode::MalformedInput, format!("mail: {what}"))
}

/// One header field, unfolded; the value is still RFC 2047-encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The name as written.
    pub name: String,
    /// The unfolded value, leading whitespace trimmed.
    pub value: String,
}

/// A parsed `Content-Type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentType {
    /// `type/subtype`, lowercase.
    pub mime: String,
    /// Parameters, names lowercase, RFC 2231 continuations joined.
    pub params: Vec<(String, String)>,
}

impl ContentType {
    /// A parameter's value.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One MIME entity.
#[derive(Clone, Debug)]
pub struct Part<'a> {
    /// The whole entity as it was read: header section and body.
    pub raw: &'a [u8],
    /// The header fields in order.
    pub headers: Vec<Header>,
    /// The body, still transfer-encoded.
    pub body: &'a [u8],
    /// The content type (RFC 2045's default when absent).
    pub ctype: ContentType,
    /// The parts of a multipart, in order.
    pub children: Vec<Part<'a>>,
}

impl<'a> Part<'a> {
    /// The first header field called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// The body with its transfer encoding removed.
    pub fn decoded(&self) -> Result<Vec<u8>> {
        let cte = self
            .header("content-transfer-encoding")
            .unwrap_or("7bit")
            .trim()
            .to_ascii_lowercase();
        match cte.as_str() {
            "base64" => decode_base64(self.body),
            "quoted-printable" => Ok(decode_qp(self.body)),
            "7bit" | "8bit" | "binary" | "" => Ok(self.body.to_vec()),
            _ => Err(malformed("unknown Content-Transfer-Encoding")),
        }
    }

    /// The body as text, decoded by its charset.
    pub fn text(&self) -> Result<String> {
        let bytes = self.decoded()?;
        Ok(decode_charset(
            &bytes,
            self.ctype.param("charset").unwrap_or("us-ascii"),
        ))
    }

    /// `attachment`, `inline`, or nothing.
    pub fn disposition(&self) -> Option<ContentType> {
        self.header("content-disposition").map(parse_content_type)
    }

    /// The file name from Content-Disposition or the Content-Type `name`.
    pub fn filename(&self) -> Option<String> {
        self.disposition()
            .and_then(|d| d.param("filename").map(str::to_owned))
            .or_else(|| self.ctype.param("name").map(str::to_owned))
            .map(|n| decode_words(&n))
    }

    /// Whether this leaf is an attachment rather than body text.
    pub fn is_attachment(&self) -> bool {
        let disposition = self.disposition();
        if disposition.as_ref().is_some_and(|d| d.mime == "attachment") {
            return true;
        }
        !matches!(self.ctype.mime.as_str(), "text/plain" | "text/html") || self.filename().is_some()
    }
}

/// The first header field called `name` (case-insensitive) in `headers`.
pub fn header<'h>(headers: &'h [Header], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}
