//! User IDs: the length and content checks on the ones we make, and the
//! e-mail address in one (parsed without sequoia's regex).

use sequoia_openpgp as openpgp;

use crate::error::{Error, Result};

/// RFC 9580 §5.11 puts no bound on a user ID's length; we do, so a hostile
/// key cannot make us carry megabytes of "name".
pub const MAX_USER_ID_LEN: usize = 4096;

pub(super) fn check_user_id(uid: &str) -> Result<()> {
    if uid.is_empty() {
        return Err(Error::invalid("a user ID must not be empty"));
    }
    if uid.len() > MAX_USER_ID_LEN {
        return Err(Error::invalid(format!(
            "a user ID must be at most {MAX_USER_ID_LEN} bytes"
        )));
    }
    if uid.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(
            "a user ID must not contain control characters",
        ));
    }
    Ok(())
}

/// The email address of a user ID (`Name <addr>` or a bare `addr`), as
/// written.  Ours rather than sequoia's `UserID::email`: that one parses
/// with a regular expression, and calling it links the `regex` crate and its
/// Unicode tables into the wasm (about 15% of the module).
pub fn userid_email(uid: &openpgp::packet::UserID) -> Option<String> {
    let text = std::str::from_utf8(uid.value()).ok()?.trim();
    let addr = match (text.rfind('<'), text.ends_with('>')) {
        (Some(lt), true) => &text[lt + 1..text.len() - 1],
        _ => text,
    };
    let ok = addr.matches('@').count() == 1
        && !addr.starts_with('@')
        && !addr.ends_with('@')
        && !addr
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c));
    ok.then(|| addr.to_owned())
}

/// [`userid_email`], lowercased for comparison.
pub fn userid_email_normalized(uid: &openpgp::packet::UserID) -> Option<String> {
    userid_email(uid).map(|a| a.to_lowercase())
}

#[cfg(test)]
mod userid_tests {
    use super::*;
    use openpgp::packet::UserID;

    #[test]
    fn emails_match_sequoias_for_the_usual_forms() {
        for (uid, want) in [
            ("Alice <alice@example.org>", Some("alice@example.org")),
            ("alice@example.org", Some("alice@example.org")),
            ("Bob (work) <Bob@Example.ORG>", Some("Bob@Example.ORG")),
            (
                "a1ebd68d-8c77@autocrypt.org",
                Some("a1ebd68d-8c77@autocrypt.org"),
            ),
            ("No Address", None),
            ("Broken <not an address>", None),
            ("<@example.org>", None),
        ] {
            let u = UserID::from(uid);
            assert_eq!(userid_email(&u).as_deref(), want, "{uid}");
            if want.is_some() {
                assert_eq!(
                    userid_email(&u).map(|a| a.to_lowercase()),
                    u.email_normalized().ok().flatten(),
                    "{uid}: same as sequoia's"
                );
            }
        }
    }
}
