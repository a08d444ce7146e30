//! The MIME reader: splits a message into its parts (keeping each part's raw
//! bytes) within the depth, part and header limits, and parses `Content-Type`
//! values.

use super::encoding::{decode_charset, percent_decode};
use super::{header, malformed, ContentType, Header, Part};
use super::{MAX_DEPTH, MAX_HEADER_BYTES, MAX_PARTS};
use crate::error::{Error, ErrorCode, Result};

/// Parses a whole message.
pub fn parse(input: &[u8]) -> Result<Part<'_>> {
    let mut count = 0;
    parse_part(input, 0, &mut count, false)
}

pub(super) fn lines(input: &[u8]) -> impl Iterator<Item = (usize, &[u8], usize)> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
