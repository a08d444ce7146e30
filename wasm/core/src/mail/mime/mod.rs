//! A small, strict MIME reader and writer: just what PGP/MIME (RFC 3156),
//! header protection (RFC 9788) and Autocrypt need.
//!
//! The reader keeps every part's raw bytes (a `multipart/signed` signature
//! covers the first part byte for byte), bounds depth, part count and header
//! size, and returns errors for what it cannot read: it never guesses at a
//! structure.  The writer emits CRLF line endings and 7-bit transfer
//! encodings only, so that what it signs survives transport unchanged.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;

use crate::error::{Error, ErrorCode, Result};

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

/// Parses a whole message.
pub fn parse(input: &[u8]) -> Result<Part<'_>> {
    let mut count = 0;
    parse_part(input, 0, &mut count, false)
}

fn lines(input: &[u8]) -> impl Iterator<Item = (usize, &[u8], usize)> {
    // (start, line without its ending, start of the next line)
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= input.len() {
            return None;
        }
        let start = pos;
        let (end, next) = match input[pos..].iter().position(|&b| b == b'\n') {
            Some(i) => (pos + i, pos + i + 1),
            None => (input.len(), input.len()),
        };
        pos = next;
        let mut line = &input[start..end];
        if let Some(l) = line.strip_suffix(b"\r") {
            line = l;
        }
        Some((start, line, next))
    })
}

/// Splits a header section from its body; returns the headers and the
/// offset where the body starts.
fn parse_headers(input: &[u8]) -> Result<(Vec<Header>, usize)> {
    let mut headers: Vec<Header> = Vec::new();
    let mut body_start = input.len();
    for (start, line, next) in lines(input) {
        if start > MAX_HEADER_BYTES {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                "mail: header section too large",
            ));
        }
        if line.is_empty() {
            body_start = next;
            break;
        }
        let text = String::from_utf8_lossy(line);
        if line[0] == b' ' || line[0] == b'\t' {
            match headers.last_mut() {
                Some(h) => {
                    h.value.push_str(&text);
                }
                None => return Err(malformed("header section starts with a continuation line")),
            }
            continue;
        }
        let colon = text
            .find(':')
            .ok_or_else(|| malformed("header line without a colon"))?;
        let name = &text[..colon];
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(malformed("invalid header field name"));
        }
        headers.push(Header {
            name: name.to_owned(),
            value: text[colon + 1..].to_owned(),
        });
    }
    for h in &mut headers {
        h.value = h.value.trim().to_owned();
    }
    Ok((headers, body_start))
}

fn parse_part<'a>(
    input: &'a [u8],
    depth: usize,
    count: &mut usize,
    digest: bool,
) -> Result<Part<'a>> {
    *count += 1;
    if *count > MAX_PARTS {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!("mail: more than {MAX_PARTS} MIME parts"),
        ));
    }
    let (headers, body_start) = parse_headers(input)?;
    let ctype = match header(&headers, "content-type") {
        Some(v) => parse_content_type(v),
        None if digest => parse_content_type("message/rfc822"),
        None => parse_content_type("text/plain; charset=us-ascii"),
    };
    let body = &input[body_start..];
    let mut children = Vec::new();
    if ctype.mime.starts_with("multipart/") {
        if depth >= MAX_DEPTH {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                format!("mail: multiparts nested deeper than {MAX_DEPTH}"),
            ));
        }
        let boundary = ctype
            .param("boundary")
            .ok_or_else(|| malformed("multipart without a boundary"))?;
        if boundary.is_empty() || boundary.len() > 70 {
            return Err(malformed("multipart boundary must be 1 to 70 characters"));
        }
        let is_digest = ctype.mime == "multipart/digest";
        for raw in split_multipart(body, boundary)? {
            children.push(parse_part(raw, depth + 1, count, is_digest)?);
        }
    }
    Ok(Part {
        raw: input,
        headers,
        body,
        ctype,
        children,
    })
}

/// The body parts of a multipart, each without the line break that belongs
/// to the following delimiter (RFC 2046 §5.1.1).
fn split_multipart<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<&'a [u8]>> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut current: Option<usize> = None;
    let mut closed = false;
    for (start, line, next) in lines(body) {
        let Some(rest) = line.strip_prefix(delimiter.as_bytes()) else {
            continue;
        };
        let (close, rest) = match rest.strip_prefix(b"--") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if !rest.iter().all(|&b| b == b' ' || b == b'\t') {
            continue;
        }
        if let Some(s) = current {
            let mut end = start;
            if end > s && body[end - 1] == b'\n' {
                end -= 1;
                if end > s && body[end - 1] == b'\r' {
                    end -= 1;
                }
            }
            parts.push(&body[s..end]);
        }
        if close {
            closed = true;
            break;
        }
        current = Some(next);
    }
    if !closed {
        // A missing close delimiter is common in the wild; the last part
        // then runs to the end.  A multipart without any delimiter is not.
        match current {
            Some(s) => parts.push(&body[s..]),
            None => return Err(malformed("multipart body has no boundary delimiter")),
        }
    }
    if parts.is_empty() {
        return Err(malformed("multipart without parts"));
    }
    Ok(parts)
}

/// Parses a `Content-Type` or `Content-Disposition` value.
pub fn parse_content_type(value: &str) -> ContentType {
    let mut rest = value;
    let end = rest.find(';').unwrap_or(rest.len());
    let mime = rest[..end].trim().to_ascii_lowercase();
    rest = &rest[end..];
    // (name, section, extended, value)
    let mut raw: Vec<(String, Option<u32>, bool, String)> = Vec::new();
    while let Some(r) = rest.strip_prefix(';') {
        rest = r.trim_start();
        let Some(eq) = rest.find('=') else { break };
        let name = rest[..eq].trim().to_ascii_lowercase();
        rest = rest[eq + 1..].trim_start();
        let val;
        if let Some(r) = rest.strip_prefix('"') {
            let mut out = String::new();
            let mut chars = r.char_indices();
            let mut consumed = r.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            out.push(n);
                        }
                    }
                    '"' => {
                        consumed = i + 1;
                        break;
                    }
                    _ => out.push(c),
                }
            }
            val = out;
            rest = &r[consumed..];
            rest = &rest[rest.find(';').unwrap_or(rest.len())..];
        } else {
            let end = rest.find(';').unwrap_or(rest.len());
            val = rest[..end].trim().to_owned();
            rest = &rest[end..];
        }
        let (base, extended) = match name.strip_suffix('*') {
            Some(b) => (b.to_owned(), true),
            None => (name.clone(), false),
        };
        let (base, section) = match base.rsplit_once('*') {
            Some((b, n)) if !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()) => {
                (b.to_owned(), n.parse().ok())
            }
            _ => (base, None),
        };
        raw.push((base, section, extended, val));
    }
    let mut params: Vec<(String, String)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for (n, ..) in &raw {
        if !names.contains(n) {
            names.push(n.clone());
        }
    }
    for name in names {
        let mut sections: Vec<_> = raw.iter().filter(|r| r.0 == name).collect();
        sections.sort_by_key(|r| r.1.unwrap_or(0));
        let mut bytes = Vec::new();
        let mut charset = None;
        for (i, (_, _, extended, v)) in sections.iter().enumerate() {
            if *extended {
                let mut v = v.as_str();
                if i == 0 {
                    // charset'language'value
                    let mut it = v.splitn(3, '\'');
                    if let (Some(cs), Some(_), Some(val)) = (it.next(), it.next(), it.next()) {
                        charset = Some(cs.to_ascii_lowercase());
                        v = val;
                    }
                }
                bytes.extend(percent_decode(v));
            } else {
                bytes.extend_from_slice(v.as_bytes());
            }
        }
        let value = decode_charset(&bytes, charset.as_deref().unwrap_or("utf-8"));
        params.push((name, value));
    }
    ContentType { mime, params }
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Decodes base64, ignoring line breaks and other whitespace.
pub fn decode_base64(body: &[u8]) -> Result<Vec<u8>> {
    let clean: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    LENIENT
        .decode(&clean)
        .map_err(|_| malformed("invalid base64 body"))
}

/// Standard alphabet; padding optional (some writers drop it).
const LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// Decodes quoted-printable; malformed escapes are kept literally (RFC 2045
/// §6.7 note 1).
pub fn decode_qp(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut first = true;
    for (_, line, next) in lines(body) {
        if !first {
            out.extend_from_slice(b"\r\n");
        }
        first = false;
        // Trailing whitespace is transport padding.
        let mut line = line;
        while let Some(l) = line.strip_suffix(b" ").or_else(|| line.strip_suffix(b"\t")) {
            line = l;
        }
        let mut soft = false;
        let mut i = 0;
        while i < line.len() {
            if line[i] == b'=' {
                if i + 1 == line.len() {
                    soft = true;
                    break;
                }
                if let (Some(h), Some(l)) = (
                    line.get(i + 1).copied().and_then(hex),
                    line.get(i + 2).copied().and_then(hex),
                ) {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
            }
            out.push(line[i]);
            i += 1;
        }
        if soft {
            first = true;
        }
        if next == body.len() && body.ends_with(b"\n") && !soft {
            out.extend_from_slice(b"\r\n");
        }
    }
    out
}

/// Bytes to text by charset; unknown charsets are read as UTF-8 with
/// replacement characters rather than failing the whole message.
pub fn decode_charset(bytes: &[u8], charset: &str) -> String {
    match charset.trim().to_ascii_lowercase().as_str() {
        "iso-8859-1" | "latin1" | "iso8859-1" | "windows-1252" | "cp1252" => {
            bytes.iter().map(|&b| b as char).collect()
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Decodes RFC 2047 encoded words in an unstructured header value.
pub fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut last_was_word = false;
    while !rest.is_empty() {
        let Some(start) = rest.find("=?") else {
            out.push_str(rest);
            break;
        };
        let (before, candidate) = rest.split_at(start);
        if let Some((decoded, len)) = encoded_word(candidate) {
            // Whitespace between two encoded words is not displayed.
            if !(last_was_word && before.chars().all(char::is_whitespace)) {
                out.push_str(before);
            }
            out.push_str(&decoded);
            rest = &candidate[len..];
            last_was_word = true;
        } else {
            out.push_str(before);
            out.push_str("=?");
            rest = &candidate[2..];
            last_was_word = false;
        }
    }
    out
}

/// One `=?charset?B|Q?text?=`; returns the text and the length consumed.
fn encoded_word(s: &str) -> Option<(String, usize)> {
    let body = s.strip_prefix("=?")?;
    let q1 = body.find('?')?;
    let charset = body[..q1].split('*').next()?;
    let enc = body.get(q1 + 1..q1 + 2)?;
    if body.get(q1 + 2..q1 + 3)? != "?" {
        return None;
    }
    let text_start = q1 + 3;
    let end = body[text_start..].find("?=")? + text_start;
    let text = &body[text_start..end];
    if text.contains(char::is_whitespace) {
        return None;
    }
    let bytes = match enc {
        "B" | "b" => LENIENT.decode(text).ok()?,
        "Q" | "q" => {
            let mut out = Vec::new();
            let b = text.as_bytes();
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    b'_' => out.push(b' '),
                    b'=' if i + 2 < b.len() => {
                        out.push(hex(b[i + 1])? << 4 | hex(b[i + 2])?);
                        i += 2;
                    }
                    c => out.push(c),
                }
                i += 1;
            }
            out
        }
        _ => return None,
    };
    Some((decode_charset(&bytes, charset), 2 + end + 2))
}

/// One mailbox: display name and address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    /// The display name, decoded (may be empty).
    pub name: String,
    /// The address as written.
    pub address: String,
}

impl Mailbox {
    /// The address lowercased for comparison (RFC 5321 allows a
    /// case-sensitive local part; no real system uses one).
    pub fn normalized(&self) -> String {
        self.address.to_lowercase()
    }
}

/// Parses an address list (`From`, `To`, `Cc`, or a user ID); groups are
/// flattened, entries without an address are skipped.
pub fn parse_addresses(value: &str) -> Vec<Mailbox> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut angle, mut comment) = (false, false, 0usize);
    let mut escape = false;
    for c in value.chars() {
        if escape {
            cur.push(c);
            escape = false;
            continue;
        }
        match c {
            '\\' if quoted => {
                escape = true;
                cur.push(c);
            }
            '"' if comment == 0 => {
                quoted = !quoted;
                cur.push(c);
            }
            '(' if !quoted => {
                comment += 1;
                cur.push(c);
            }
            ')' if !quoted && comment > 0 => {
                comment -= 1;
                cur.push(c);
            }
            '<' if !quoted && comment == 0 => {
                angle = true;
                cur.push(c);
            }
            '>' if !quoted && comment == 0 => {
                angle = false;
                cur.push(c);
            }
            ',' | ';' if !quoted && !angle && comment == 0 => items.push(std::mem::take(&mut cur)),
            ':' if !quoted && !angle && comment == 0 => cur.clear(), // group name
            _ => cur.push(c),
        }
    }
    items.push(cur);
    items
        .into_iter()
        .filter_map(|item| parse_mailbox(item.trim()))
        .collect()
}

fn parse_mailbox(item: &str) -> Option<Mailbox> {
    if item.is_empty() {
        return None;
    }
    if let (Some(lt), Some(gt)) = (item.rfind('<'), item.rfind('>')) {
        if lt < gt {
            let address = item[lt + 1..gt].trim().to_owned();
            let name = item[..lt].trim().trim_matches('"').replace("\\\"", "\"");
            return address.contains('@').then(|| Mailbox {
                name: decode_words(name.trim()),
                address,
            });
        }
    }
    let address = strip_comments(item);
    (address.contains('@') && !address.contains(char::is_whitespace)).then(|| Mailbox {
        name: String::new(),
        address,
    })
}

fn strip_comments(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

// ---------------------------------------------------------------------------
// Writing

/// Rejects header input that could inject fields or break the structure.
pub fn check_header_text(what: &str, s: &str) -> Result<()> {
    if s.chars().any(|c| c == '\r' || c == '\n' || c == '\0') {
        return Err(Error::invalid(format!(
            "{what} must not contain line breaks or NUL"
        )));
    }
    Ok(())
}

/// Checks an address (`local@domain`) and returns it.
pub fn check_address(what: &str, address: &str) -> Result<()> {
    check_header_text(what, address)?;
    let ok = address.matches('@').count() == 1
        && !address.starts_with('@')
        && !address.ends_with('@')
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!("{what}: not an email address")))
    }
}

fn is_atext_phrase(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || "!#$%&'*+-/=?^_`{|}~.".contains(c))
        && !s.contains("=?")
}

/// Formats one mailbox for a header field.
pub fn format_mailbox(m: &Mailbox) -> String {
    if m.name.is_empty() {
        return m.address.clone();
    }
    let name = if is_atext_phrase(&m.name) && !m.name.contains('.') {
        m.name.clone()
    } else if m.name.is_ascii() && !m.name.contains("=?") {
        format!("\"{}\"", m.name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        encode_words(&m.name)
    };
    format!("{name} <{}>", m.address)
}

/// Encodes an unstructured value as RFC 2047 words when it is not plain
/// printable ASCII.  Long values become several words, folded.
pub fn encode_words(s: &str) -> String {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) && !s.contains("=?") && s.len() <= 900 {
        return s.to_owned();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?utf-8?B?{}?=", B64.encode(&chunk)));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?utf-8?B?{}?=", B64.encode(&chunk)));
    }
    words.join("\r\n ")
}

/// Writes `Name: value` and a CRLF; the value is written as given (fold it
/// first: [`format_mailboxes`], [`encode_words`]).
pub fn write_header(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// Joins mailboxes for `To`/`Cc`, one per folded line.
pub fn format_mailboxes(list: &[Mailbox]) -> String {
    list.iter()
        .map(format_mailbox)
        .collect::<Vec<_>>()
        .join(",\r\n ")
}

/// A parameter value, quoted when needed; non-ASCII values use RFC 2231.
pub fn format_param(name: &str, value: &str) -> String {
    if value.is_ascii() && !value.chars().any(|c| c.is_control()) {
        format!(
            "{name}=\"{}\"",
            value.replace('\\', "\\\\").replace('"', "\\\"")
        )
    } else {
        let enc = format!("utf-8''{}", percent_encode(value));
        format!("{name}*={enc}")
    }
}

/// Percent-encoding of every byte but RFC 3986's unreserved characters
/// (RFC 2231 parameter values, URL query values).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Quoted-printable with CRLF line endings; lines at most 76 characters,
/// trailing whitespace and a leading "From " protected (RFC 3156 §3).
pub fn encode_qp(text: &str) -> Vec<u8> {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::with_capacity(normalized.len() + normalized.len() / 8);
    for (n, line) in normalized.split('\n').enumerate() {
        if n > 0 {
            out.extend_from_slice(b"\r\n");
        }
        let bytes = line.as_bytes();
        let mut width = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let last = i + 1 == bytes.len();
            let from = i == 0 && line.starts_with("From ");
            let needs = !(b'!'..=b'~').contains(&b) && b != b' '
                || b == b'='
                || (last && (b == b' ' || b == b'\t'))
                || from
                || (i == 0 && b == b'.');
            let piece: Vec<u8> = if needs {
                format!("={b:02X}").into_bytes()
            } else {
                vec![b]
            };
            // Keep room for the soft break "=" (and the rest of a line's end).
            if width + piece.len() > 75 {
                out.extend_from_slice(b"=\r\n");
                width = 0;
            }
            out.extend_from_slice(&piece);
            width += piece.len();
        }
    }
    out
}

/// Base64 in 76-character CRLF lines.
pub fn encode_base64_lines(data: &[u8]) -> Vec<u8> {
    let encoded = B64.encode(data);
    let mut out = Vec::with_capacity(encoded.len() + encoded.len() / 38 + 2);
    for chunk in encoded.as_bytes().chunks(76) {
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Converts lone LF line endings to CRLF (the canonical form that RFC 3156
/// signatures are made over).
pub fn canonical_crlf(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 32);
    let mut prev = 0u8;
    for &b in data {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    out
}

/// A fresh random boundary.
pub fn boundary() -> Result<String> {
    let mut r = [0u8; 16];
    sequoia_openpgp::crypto::random(&mut r)
        .map_err(|_| Error::new(ErrorCode::Internal, "no randomness available"))?;
    Ok(format!(
        "=-sealpost-{}",
        r.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

/// An RFC 5322 date (`Sat, 28 Nov 2026 18:53:25 +0000`) for seconds since
/// the epoch, in UTC.
pub fn format_date(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    const WD: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MO: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {d:02} {} {y} {h:02}:{m:02}:{s:02} +0000",
        WD[days.rem_euclid(7) as usize],
        MO[(mo - 1) as usize]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(format_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(
            format_date(1_795_892_005),
            "Sat, 28 Nov 2026 18:53:25 +0000"
        );
        assert_eq!(format_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 +0000");
    }

    #[test]
    fn qp_round_trip() {
        let text = "Grüße, =ja= \nFrom here\n.dot\ntrailing \n".to_owned() + &"x".repeat(200);
        let enc = encode_qp(&text);
        assert!(enc.split(|&b| b == b'\n').all(|l| l.len() <= 77));
        let dec = decode_qp(&enc);
        assert_eq!(String::from_utf8(dec).unwrap(), text.replace('\n', "\r\n"));
    }

    #[test]
    fn words() {
        assert_eq!(
            decode_words("=?utf-8?Q?Gr=C3=BC=C3=9Fe?= =?utf-8?B?IQ==?="),
            "Grüße!"
        );
        assert_eq!(decode_words("plain =? not"), "plain =? not");
        let long = "ä".repeat(100);
        assert_eq!(decode_words(&encode_words(&long).replace("\r\n", "")), long);
    }

    #[test]
    fn params() {
        let ct = parse_content_type(
            "multipart/signed; micalg=pgp-sha256;\r\n protocol=\"application/pgp-signature\"; boundary=\"a;b\"",
        );
        assert_eq!(ct.mime, "multipart/signed");
        assert_eq!(ct.param("boundary"), Some("a;b"));
        assert_eq!(ct.param("protocol"), Some("application/pgp-signature"));
        let cd = parse_content_type("attachment; filename*0*=utf-8''%C3%A4; filename*1=\".txt\"");
        assert_eq!(cd.param("filename"), Some("ä.txt"));
    }

    #[test]
    fn addresses() {
        let l = parse_addresses("\"Doe, Jane\" <jane@example.org>, bob@example.org (Bob), =?utf-8?Q?J=C3=B6rg?= <j@x.de>");
        assert_eq!(l.len(), 3);
        assert_eq!(l[0].name, "Doe, Jane");
        assert_eq!(l[1].address, "bob@example.org");
        assert_eq!(l[2].name, "Jörg");
    }

    #[test]
    fn multipart_offsets() {
        let m = b"Content-Type: multipart/mixed; boundary=b\r\n\r\npre\r\n--b\r\n\r\none\r\n--b\r\nContent-Type: text/html\r\n\r\ntwo\r\n--b--\r\nepilogue";
        let p = parse(m).unwrap();
        assert_eq!(p.children.len(), 2);
        assert_eq!(p.children[0].raw, b"\r\none");
        assert_eq!(p.children[0].body, b"one");
        assert_eq!(p.children[1].ctype.mime, "text/html");
        assert!(parse(b"Content-Type: multipart/mixed; boundary=b\r\n\r\nno delimiter").is_err());
    }
}
