use std::{
    borrow::Cow,
};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as base64std;

use crate::{
    packet::Header,
};

/// Remove whitespace, etc. from the base64 data.
///
/// This function returns the filtered base64 data (i.e., stripped of
/// all skippable data like whitespace), and the amount of unfiltered
/// data that corresponds to.  Thus, if we have the following 7 bytes:
///
/// ```text
///     ab  cde
///     0123456
/// ```
///
/// This function returns ("abcd", 6), because the 'd' is the last
/// character in the last complete base64 chunk, and it is at offset 5.
///
/// If 'd' is followed by whitespace, it is undefined whether that
/// whitespace is included in the count.
///
/// This function only returns full chunks of base64 data.  As a
/// consequence, if base64_data_max is less than 4, then this will not
/// return any data.
///
/// This function will stop after it sees base64 padding, and if it
/// sees invalid base64 data.
pub fn base64_filter(bytes: Cow<[u8]>, base64_data_max: usize,
                     mut prefix_remaining: usize, prefix_len: usize)
    -> (Cow<[u8]>, usize, usize)
{
    // Round down to the nearest chunk size.
    let base64_data_max = base64_data_max / 4 * 4;

    // Borrowed data: the prefix and whitespace at the start are cut
    // off the slice (and counted as consumed), so that data that
    // needs no filtering stays borrowed.  Owned data is filtered in
    // place.
    let (bytes, leading_whitespace) = match bytes {
        Cow::Borrowed(s) if base64_data_max > 0 => {
            let mut lead = 0;
            while lead < s.len() {
                if prefix_remaining > 0 {
                    prefix_remaining -= 1;
                } else if s[lead].is_ascii_whitespace() {
                    if s[lead] == b'\n' {
                        prefix_remaining = prefix_len;
                    }
                } else {
                    break;
                }
                lead += 1;
            }
            (Cow::Borrowed(&s[lead..]), lead)
        }
        bytes => (bytes, 0),
    };

    // The run of base64 characters at the start needs no filtering.
    let run = if prefix_remaining > 0 {
        0
    } else {
        bytes.iter().take(base64_data_max)
            .take_while(|b| is_base64_char(b)).count()
    };

    if let Cow::Borrowed(s) = bytes {
        if run == base64_data_max || run == s.len() {
            // Nothing to filter: return a subslice.
            let len = run - run % 4;
            return (Cow::Borrowed(&s[..len]), len + leading_whitespace,
                    prefix_remaining);
        }
    }

    // Filter the rest in place, on a plain slice.  Base64 data is
    // moved to the front, so `&buf[..base64_len]` is the base64
    // data; `offset` is the next byte of unfiltered data.
    let mut buf = bytes.into_owned();
    let mut base64_len = run;
    let mut offset = run;
    // The offset just past the last byte of the last ***complete***
    // base64 chunk in the unfiltered data.
    let mut complete_len = run - run % 4;
    // Number of bytes of padding that we've seen so far.
    let mut padding = 0;

    while offset < buf.len()
        && base64_len < base64_data_max
        // A valid base64 chunk never starts with padding.
        && ! (padding > 0 && base64_len % 4 == 0)
    {
        // If we have some prefix to skip, skip it.
        if prefix_remaining > 0 {
            prefix_remaining -= 1;
            offset += 1;
            continue;
        }
        match buf[offset] {
            // White space.
            c if c.is_ascii_whitespace() => {
                if c == b'\n' {
                    prefix_remaining = prefix_len;
                }
            }

            // Padding.
            b'=' => {
                // There can never be more than two bytes of padding,
                // and padding can never occur at the start of a
                // base64 chunk.
                if padding == 2 || base64_len % 4 == 0 {
                    break;
                }
                buf[base64_len] = b'=';
                base64_len += 1;
                if base64_len % 4 == 0 {
                    complete_len = offset + 1;
                }
                padding += 1;
            }

            // The only thing that can occur after padding is
            // whitespace or padding.  Those cases were covered above.
            _ if padding > 0 => break,

            // Base64 data!  The whole run of it (a line) at once.
            b if is_base64_char(&b) => {
                let n = buf[offset..].iter()
                    .take(base64_data_max - base64_len)
                    .take_while(|b| is_base64_char(b)).count();
                buf.copy_within(offset..offset + n, base64_len);
                // The last character of the run that completes a
                // chunk, if any.
                let last = n.checked_sub((base64_len + n) % 4);
                if let Some(last) = last.filter(|&l| l > 0) {
                    complete_len = offset + last;
                }
                base64_len += n;
                offset += n;
                continue;
            }

            // Not base64 data.
            _ => break,
        }

        offset += 1;
    }

    crate::vec_truncate(&mut buf, base64_len - (base64_len % 4));
    (Cow::Owned(buf), complete_len + leading_whitespace, prefix_remaining)
}

/// Checks whether the given bytes contain armored OpenPGP data.
pub fn is_armored_pgp_blob(bytes: &[u8]) -> bool {
    // Get up to 32 bytes of base64 data.  That's 24 bytes of data
    // (ignoring padding), which is more than enough to get the first
    // packet's header.
    let (bytes, _, _) = base64_filter(Cow::Borrowed(bytes), 32, 0, 0);

    match base64std.decode(bytes) {
        Ok(d) => {
            // Don't consider an empty message to be valid.
            if d.is_empty() {
                false
            } else {
                let mut br = buffered_reader::Memory::new(&d);
                if let Ok(header) = Header::parse(&mut br) {
                    header.ctb().tag().valid_start_of_message()
                        && header.valid(false).is_ok()
                } else {
                    false
                }
            }
        },
        Err(_err) => false,
    }
}

/// Checks whether the given byte is in the base64 character set.
#[inline(always)]
pub fn is_base64_char(b: &u8) -> bool {
    // A table lookup: the filter runs it on every byte of armor.
    BASE64_CHARS[*b as usize]
}

/// The base64 character set, indexed by byte.
static BASE64_CHARS: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'+' || c == b'/';
        b += 1;
    }
    t
};

/// Returns the number of bytes of base64 data are needed to encode
/// `s` bytes of raw data.
pub fn base64_size(s: usize) -> usize {
    (s + 3 - 1) / 3 * 4
}

#[test]
fn base64_size_test() {
    assert_eq!(base64_size(0), 0);
    assert_eq!(base64_size(1), 4);
    assert_eq!(base64_size(2), 4);
    assert_eq!(base64_size(3), 4);
    assert_eq!(base64_size(4), 8);
    assert_eq!(base64_size(5), 8);
    assert_eq!(base64_size(6), 8);
    assert_eq!(base64_size(7), 12);
}

/// The filter as published in sequoia-openpgp 2.4.2, the reference
/// for the differential test below.
#[cfg(test)]
fn base64_filter_reference(mut bytes: Cow<[u8]>, base64_data_max: usize,
                     mut prefix_remaining: usize, prefix_len: usize)
    -> (Cow<[u8]>, usize, usize)
{
    let mut leading_whitespace = 0;

    // Round down to the nearest chunk size.
    let base64_data_max = base64_data_max / 4 * 4;

    // Number of bytes of base64 data.  Since we update `bytes` in
    // place, the base64 data is `&bytes[..base64_len]`.
    let mut base64_len = 0;

    // Offset of the next byte of unfiltered data to process.
    let mut unfiltered_offset = 0;

    // Offset of the last byte of the last ***complete*** base64 chunk
    // in the unfiltered data.
    let mut unfiltered_complete_len = 0;

    // Number of bytes of padding that we've seen so far.
    let mut padding = 0;

    while unfiltered_offset < bytes.len()
        && base64_len < base64_data_max
        // A valid base64 chunk never starts with padding.
        && ! (padding > 0 && base64_len % 4 == 0)
    {
        // If we have some prefix to skip, skip it.
        if prefix_remaining > 0 {
            prefix_remaining -= 1;
            if unfiltered_offset == 0 {
                match bytes {
                    Cow::Borrowed(s) => {
                        // We're at the beginning.  Avoid moving
                        // data by cutting off the start of the
                        // slice.
                        bytes = Cow::Borrowed(&s[1..]);
                        leading_whitespace += 1;
                        continue;
                    }
                    Cow::Owned(_) => (),
                }
            }
            unfiltered_offset += 1;
            continue;
        }
        match bytes[unfiltered_offset] {
            // White space.
            c if c.is_ascii_whitespace() => {
                if c == b'\n' {
                    prefix_remaining = prefix_len;
                }
                if unfiltered_offset == 0 {
                    match bytes {
                        Cow::Borrowed(s) => {
                            // We're at the beginning.  Avoid moving
                            // data by cutting off the start of the
                            // slice.
                            bytes = Cow::Borrowed(&s[1..]);
                            leading_whitespace += 1;
                            continue;
                        }
                        Cow::Owned(_) => (),
                    }
                }
            }

            // Padding.
            b'=' => {
                if padding == 2 {
                    // There can never be more than two bytes of
                    // padding.
                    break;
                }
                if base64_len % 4 == 0 {
                    // Padding can never occur at the start of a
                    // base64 chunk.
                    break;
                }

                if unfiltered_offset != base64_len {
                    bytes.to_mut()[base64_len] = b'=';
                }
                base64_len += 1;
                if base64_len % 4 == 0 {
                    unfiltered_complete_len = unfiltered_offset + 1;
                }
                padding += 1;
            }

            // The only thing that can occur after padding is
            // whitespace or padding.  Those cases were covered above.
            _ if padding > 0 => break,

            // Base64 data!
            b if is_base64_char(&b) => {
                if unfiltered_offset != base64_len {
                    bytes.to_mut()[base64_len] = b;
                }
                base64_len += 1;
                if base64_len % 4 == 0 {
                    unfiltered_complete_len = unfiltered_offset + 1;
                }
            }

            // Not base64 data.
            _ => break,
        }

        unfiltered_offset += 1;
    }

    let base64_len = base64_len - (base64_len % 4);
    unfiltered_complete_len += leading_whitespace;
    match bytes {
        Cow::Borrowed(s) =>
            (Cow::Borrowed(&s[..base64_len]), unfiltered_complete_len,
             prefix_remaining),
        Cow::Owned(mut v) => {
            crate::vec_truncate(&mut v, base64_len);
            (Cow::Owned(v), unfiltered_complete_len, prefix_remaining)
        }
    }
}


/// Both filters on one input, borrowed and owned: the same data, consumed
/// count and prefix state.
#[cfg(test)]
fn check_against_reference(input: &[u8], max: usize, prefix_remaining: usize,
                           prefix_len: usize) {
    for owned in [false, true] {
        let arg = || if owned {
            Cow::Owned(input.to_vec())
        } else {
            Cow::Borrowed(input)
        };
        let new = base64_filter(arg(), max, prefix_remaining, prefix_len);
        let old = base64_filter_reference(
            arg(), max, prefix_remaining, prefix_len);
        assert_eq!((&new.0[..], new.1, new.2), (&old.0[..], old.1, old.2),
                   "owned {}, max {}, prefix {}/{}: {:?}",
                   owned, max, prefix_remaining, prefix_len,
                   String::from_utf8_lossy(input));
    }
}

#[cfg(test)]
fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

#[test]
fn base64_filter_matches_reference_on_every_short_input() {
    // Every string of up to 5 bytes over the bytes the filter treats
    // differently, every small limit (0-3 round down to no data) and
    // prefix state.
    let alphabet: &[u8] = b"A= \n->";
    let mut input = Vec::new();
    fn each(input: &mut Vec<u8>, alphabet: &[u8], left: usize) {
        for max in 0..10 {
            for prefix_len in 0..3 {
                for prefix_remaining in [0, 1, 3] {
                    check_against_reference(input, max, prefix_remaining,
                                            prefix_len);
                }
            }
        }
        if left > 0 {
            for &b in alphabet {
                input.push(b);
                each(input, alphabet, left - 1);
                input.pop();
            }
        }
    }
    each(&mut input, alphabet, 5);
}

#[test]
fn base64_filter_matches_reference_on_random_inputs() {
    // Longer inputs with lines, padding, whitespace (LF, CRLF, tabs,
    // vertical tab, form feed), prefixes and garbage; limits small,
    // as large as the caller's and huge.
    let alphabet: &[u8] =
        b"AZaz09+/====  \t\r\n\n\x0b\x0c>->-:*\x00\x80\xff";
    let b64: &[u8] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut next = xorshift(0x2545_f491_4f6c_dd1d);
    for _ in 0..20_000 {
        let len = (next() % 600) as usize;
        let width = 1 + (next() % 80) as usize;
        let input: Vec<u8> = (0..len).map(|i| {
            if i % (width + 1) == width {
                b'\n'
            } else if next() % 8 != 0 {
                // Mostly base64, so that long runs occur.
                b64[(next() % 64) as usize]
            } else {
                alphabet[(next() % alphabet.len() as u64) as usize]
            }
        }).collect();
        let max = match next() % 3 {
            0 => (next() % 8) as usize,
            1 => (next() % 700) as usize,
            _ => usize::MAX - (next() % 8) as usize,
        };
        let (prefix_len, prefix_remaining) = if next() % 10 == 0 {
            (usize::MAX, (next() % 3) as usize)
        } else {
            ((next() % 3) as usize, (next() % 4) as usize)
        };
        check_against_reference(&input, max, prefix_remaining, prefix_len);
    }
}

#[test]
fn base64_filter_matches_reference_as_the_reader_calls_it() {
    // Armor bodies wrapped at widths 1-100, LF or CRLF, with a "> "
    // prefix on every line or none and trailing blanks, taken in
    // windows of random sizes the way Reader::read_armored_data does:
    // each call starts where the last one's consumed count ended, with
    // its prefix state.  Both filters must walk the body alike.
    let b64: &[u8] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..2_000 {
        let prefix: &[u8] = if next() % 2 == 0 { b"> " } else { b"" };
        let eol: &[u8] = if next() % 2 == 0 { b"\n" } else { b"\r\n" };
        let width = 1 + (next() % 100) as usize;
        let chars = (next() % 400) as usize;
        let mut body: Vec<u8> = (0..chars)
            .map(|_| b64[(next() % 64) as usize]).collect();
        body.extend(std::iter::repeat(b'=').take((next() % 3) as usize));
        let mut text = Vec::new();
        for line in body.chunks(width) {
            text.extend_from_slice(prefix);
            text.extend_from_slice(line);
            text.extend_from_slice([&b""[..], b" ", b"\t"][(next() % 3) as usize]);
            text.extend_from_slice(eol);
        }
        text.extend_from_slice(b"-----END PGP MESSAGE-----");
        let (mut at_new, mut at_old) = (0, 0);
        let (mut pr_new, mut pr_old) = (0, 0);
        loop {
            // What read_armored_data asks for a caller's buffer.
            let buf_len = 1 + (next() % 300) as usize;
            let window = std::cmp::max(
                66, base64_size(buf_len) + 2 * ((buf_len + 63) / 64));
            let max = std::cmp::max(64, buf_len / 3 * 4);
            let new_end = std::cmp::min(text.len(), at_new + window);
            let old_end = std::cmp::min(text.len(), at_old + window);
            let new = base64_filter(Cow::Borrowed(&text[at_new..new_end]),
                                    max, pr_new, prefix.len());
            let old = base64_filter_reference(
                Cow::Borrowed(&text[at_old..old_end]),
                max, pr_old, prefix.len());
            assert_eq!((&new.0[..], new.1, new.2), (&old.0[..], old.1, old.2),
                       "at {} of {:?}", at_new, String::from_utf8_lossy(&text));
            at_new += new.1;
            at_old += old.1;
            pr_new = new.2;
            pr_old = old.2;
            if new.0.is_empty() {
                break;
            }
        }
    }
}

#[test]
fn base64_character_table() {
    for b in 0..=255u8 {
        assert_eq!(is_base64_char(&b),
                   b.is_ascii_alphanumeric() || b == b'+' || b == b'/',
                   "{}", b);
    }
}
