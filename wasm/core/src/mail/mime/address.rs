//! Addresses: reading `From`/`To`/`Cc` lists into [`Mailbox`]es, checking
//! an address we write, and formatting mailboxes for a header field.

use super::encoding::{decode_words, encode_words};
use super::write::check_header_text;
use crate::error::{Error, Result};

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

/// Joins mailboxes for `To`/`Cc`, one per folded line.
pub fn format_mailboxes(list: &[Mailbox]) -> String {
    list.iter()
        .map(format_mailbox)
        .collect::<Vec<_>>()
        .join(",\r\n ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let l = parse_addresses("\"Doe, Jane\" <jane@example.org>, bob@example.org (Bob), =?utf-8?Q?J=C3=B6rg?= <j@x.de>");
        assert_eq!(l.len(), 3);
        assert_eq!(l[0].name, "Doe, Jane");
        assert_eq!(l[1].address, "bob@example.org");
        assert_eq!(l[2].name, "Jörg");
    }
}
