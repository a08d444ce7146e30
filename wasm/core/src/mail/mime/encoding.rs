//! Transfer and header encodings: base64, quoted-printable, RFC 2047
//! encoded words, RFC 2231 percent-encoding, charsets and CRLF line endings.

use std::cell::RefCell;
use std::sync::OnceLock;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;

use super::malformed;
use super::read::lines;
use crate::error::Result;

pub(super) fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

pub(super) fn percent_decode(s: &str) -> Vec<u8> {
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

/// windows-1252's characters for the bytes 0x80 to 0x9F (the rest of it is
/// ISO-8859-1: the byte's own code point).  The five bytes windows-1252
/// leaves unassigned keep their C1 code point, as the WHATWG Encoding
/// standard decodes them.
const WINDOWS_1252_80_9F: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// A decoder for the charsets this crate has no table for: `(label, bytes)`
/// to text, or `None` when it does not know the label.  The wasm bindings
/// install the platform's `TextDecoder` (the WHATWG Encoding standard's
/// charsets) so that the module carries no encoding tables.
pub type CharsetDecoder = fn(&str, &[u8]) -> Option<String>;

static DECODER: OnceLock<CharsetDecoder> = OnceLock::new();

thread_local! {
    static UNKNOWN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Installs the decoder for other charsets (once per process; later calls
/// keep the first).
pub fn set_charset_decoder(decoder: CharsetDecoder) {
    let _ = DECODER.set(decoder);
}

/// Forgets the charsets recorded as unknown on this thread (a reader calls
/// it before a message, then [`take_unknown_charsets`] after).
pub fn reset_unknown_charsets() {
    UNKNOWN.with(|u| u.borrow_mut().clear());
}

/// The charset labels read as UTF-8 since [`reset_unknown_charsets`]
/// because no decoder knew them (at most 8, each at most 40 characters).
pub fn take_unknown_charsets() -> Vec<String> {
    UNKNOWN.with(|u| std::mem::take(&mut *u.borrow_mut()))
}

fn note_unknown(label: &str) {
    let label: String = label
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(40)
        .collect();
    UNKNOWN.with(|u| {
        let mut u = u.borrow_mut();
        if u.len() < 8 && !u.contains(&label) {
            u.push(label);
        }
    });
}

/// Bytes to text by charset.  UTF-8, US-ASCII, ISO-8859-1 and windows-1252
/// are decoded here; the ISO-8859-1 and US-ASCII labels are read as
/// windows-1252, as browsers and the WHATWG Encoding standard do (mail
/// labelled Latin-1 is in practice windows-1252: its 0x80-0x9F are curly
/// quotes, dashes, the euro sign, not C1 controls).  Other labels go to the
/// installed [`CharsetDecoder`]; a label it does not know either is read as
/// UTF-8 with replacement characters rather than failing the whole message,
/// and recorded ([`take_unknown_charsets`]).
pub fn decode_charset(bytes: &[u8], charset: &str) -> String {
    let label = charset.trim().to_ascii_lowercase();
    match label.as_str() {
        "iso-8859-1" | "latin1" | "iso8859-1" | "iso_8859-1" | "l1" | "us-ascii" | "ascii"
        | "windows-1252" | "cp1252" | "x-cp1252" => bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => WINDOWS_1252_80_9F[usize::from(b - 0x80)],
                _ => char::from(b),
            })
            .collect(),
        "utf-8" | "utf8" | "" => String::from_utf8_lossy(bytes).into_owned(),
        _ => {
            let known = !label.is_empty()
                && label.len() <= 40
                && label.bytes().all(|b| b.is_ascii_graphic());
            let decoded = match DECODER.get() {
                Some(decode) if known => decode(&label, bytes),
                _ => None,
            };
            decoded.unwrap_or_else(|| {
                note_unknown(&label);
                String::from_utf8_lossy(bytes).into_owned()
            })
        }
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

#[cfg(test)]
mod tests {

    #[test]
    fn windows_1252_high_bytes_are_its_characters() {
        let bytes: Vec<u8> = (0x80..=0x9F).collect();
        let expected = "\u{20AC}\u{0081}\u{201A}\u{0192}\u{201E}\u{2026}\u{2020}\u{2021}\u{02C6}\u{2030}\u{0160}\u{2039}\u{0152}\u{008D}\u{017D}\u{008F}\u{0090}\u{2018}\u{2019}\u{201C}\u{201D}\u{2022}\u{2013}\u{2014}\u{02DC}\u{2122}\u{0161}\u{203A}\u{0153}\u{009D}\u{017E}\u{0178}";
        for label in ["windows-1252", "ISO-8859-1", "latin1", "cp1252"] {
            assert_eq!(decode_charset(&bytes, label), expected, "{label}");
        }
        assert_eq!(
            decode_charset(b"caf\xe9 \x80 5", "windows-1252"),
            "caf\u{e9} \u{20AC} 5"
        );
    }
    use super::*;

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
}
