//! The MIME writer's pieces: header fields and parameters (checked against
//! injection), boundaries and dates.  Everything it writes is 7-bit with CRLF.

use super::encoding::percent_encode;
use crate::error::{Error, ErrorCode, Result};

/// Rejects header input that could inject fields or break the structure.
pub fn check_header_text(what: &str, s: &str) -> Result<()> {
    if s.chars().any(|c| c == '\r' || c == '\n' || c == '\0') {
        return Err(Error::invalid(format!(
            "{what} must not contain line breaks or NUL"
        )));
    }
    Ok(())
}

/// Writes `Name: value` and a CRLF; the value is written as given (fold it
/// first: [`format_mailboxes`](super::format_mailboxes),
/// [`encode_words`](super::encode_words)).
pub fn write_header(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
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
}
