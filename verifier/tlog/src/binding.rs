//! Enrollment records (issue 21): the binding of an origin to its release key, as a log entry,
//! and how long the log has held it publicly.
//!
//! ```text
//! sealpost-binding/1
//! origin https://mail.example
//! release-key 5BE84EB2A98028F9FD749056D8128B09F1D6C81B
//! ```
//!
//! A binding also names the SHA-256 of the signed log policy the guard pins with the key
//! (red-team finding 2: a key holder must not be able to pair a logged key with a fresh,
//! weaker policy at a first visit); that is version 2, and version 1 entries stay readable:
//!
//! ```text
//! sealpost-binding/2
//! origin https://mail.example
//! release-key 5BE84EB2A98028F9FD749056D8128B09F1D6C81B
//! log-policy-sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
//! ```
//!
//! Canonical lines (a parser re-encodes and compares). The log proves *when* a binding became
//! public through the witnesses: a binding counts as bound since the time a quorum of the
//! policy's witnesses cosigned a checkpoint that includes it ([`bound_since`]). A client enrolls
//! an origin only to a key bound for at least [`COOL_DOWN_SECS`], and treats a change of key the
//! same way, so a targeted first-visit attack has to sit in a witnessed log, in view of every
//! monitor, for that long first. `log monitor` reports two keys bound to one origin.

use std::collections::BTreeSet;

use crate::checkpoint::SignedCheckpoint;
use crate::policy::Policy;
use crate::{Error, Result};

/// The first line of every binding.
pub const FORMAT: &str = "sealpost-binding/1";
/// The first line of a binding that also names its log policy's SHA-256.
pub const FORMAT2: &str = "sealpost-binding/2";
/// What the first line of every binding, of any version, starts with.
pub const FAMILY: &str = "sealpost-binding/";
/// How long a binding must have been public before a client enrolls to it: 7 days.
pub const COOL_DOWN_SECS: u64 = 7 * 24 * 3600;
const MAX_ORIGIN: usize = 256;

/// An origin bound to a release key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Binding {
    /// `http(s)://host[:port]`, lower case, no path.
    pub origin: String,
    /// Upper-case hex OpenPGP fingerprint.
    pub release_key: String,
    /// Lower-case hex SHA-256 of the exact bytes of the signed log policy (version 2), or
    /// `None` (version 1: no policy named; the guard does not enroll with such a binding).
    pub log_policy_sha256: Option<String>,
}

fn check_origin(o: &str) -> bool {
    let Some(rest) = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"))
    else {
        return false;
    };
    o.len() <= MAX_ORIGIN
        && !rest.is_empty()
        && rest.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b':')
        })
        && !rest.starts_with(['.', '-', ':'])
}

impl Binding {
    pub fn new(origin: &str, release_key: &str) -> Result<Self> {
        if !check_origin(origin) {
            return Err(Error::malformed(format!(
                "binding: origin {origin:?} is not http(s)://host[:port] in lower case"
            )));
        }
        let fpr_ok = matches!(release_key.len(), 40 | 64)
            && release_key
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
        if !fpr_ok {
            return Err(Error::malformed(format!(
                "binding: release-key {release_key:?} is not an OpenPGP fingerprint (40 or 64 upper-case hex digits)"
            )));
        }
        Ok(Binding {
            origin: origin.into(),
            release_key: release_key.into(),
            log_policy_sha256: None,
        })
    }

    /// The same binding naming the signed log policy whose bytes hash to `sha256` (version 2).
    pub fn with_policy(mut self, sha256: &str) -> Result<Self> {
        let ok = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !ok {
            return Err(Error::malformed(format!(
                "binding: log-policy-sha256 {sha256:?} is not 64 lower-case hex digits"
            )));
        }
        self.log_policy_sha256 = Some(sha256.into());
        Ok(self)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        match &self.log_policy_sha256 {
            None => format!(
                "{FORMAT}\norigin {}\nrelease-key {}\n",
                self.origin, self.release_key
            ),
            Some(p) => format!(
                "{FORMAT2}\norigin {}\nrelease-key {}\nlog-policy-sha256 {p}\n",
                self.origin, self.release_key
            ),
        }
        .into_bytes()
    }

    pub fn from_bytes(data: &[u8]) -> Result<Self> {
        let text = std::str::from_utf8(data)
            .ok()
            .filter(|t| t.len() <= 512)
            .ok_or_else(|| Error::malformed("binding: not short UTF-8 text"))?;
        let mut lines = text.strip_suffix('\n').unwrap_or("\u{0}").split('\n');
        let v2 = match lines.next() {
            Some(FORMAT) => false,
            Some(FORMAT2) => true,
            _ => {
                return Err(Error::malformed(format!(
                    "binding: the first line must be {FORMAT:?} or {FORMAT2:?}"
                )))
            }
        };
        let origin = lines.next().and_then(|l| l.strip_prefix("origin "));
        let key = lines.next().and_then(|l| l.strip_prefix("release-key "));
        let policy = if v2 {
            lines
                .next()
                .and_then(|l| l.strip_prefix("log-policy-sha256 "))
                .map(Some)
        } else {
            Some(None)
        };
        let (Some(origin), Some(key), Some(policy), None) = (origin, key, policy, lines.next())
        else {
            return Err(Error::malformed(
                "binding: expected an origin line, a release-key line and (version 2) a log-policy-sha256 line",
            ));
        };
        let mut b = Binding::new(origin, key)?;
        if let Some(p) = policy {
            b = b.with_policy(p)?;
        }
        if b.to_bytes() != data {
            return Err(Error::malformed("binding: not in canonical form"));
        }
        Ok(b)
    }
}

/// True when `entry` is a binding (its first line).
pub fn is_binding(entry: &[u8]) -> bool {
    entry.starts_with(format!("{FORMAT}\n").as_bytes())
        || entry.starts_with(format!("{FORMAT2}\n").as_bytes())
}

/// Since when a checkpoint (which the caller proved includes the binding) has been public: the
/// earliest time by which a quorum of the policy's witnesses had cosigned it — the largest
/// timestamp among the earliest quorum. `None` without a quorum.
pub fn bound_since(cp: &SignedCheckpoint, policy: &Policy) -> Option<u64> {
    quorum_time(&cp.verify(policy).ok()?.witnesses, policy, false)
}

/// The time by which a quorum of `policy`'s witnesses had cosigned, from their cosignature
/// times (`witnessed`: name, time): the witnesses taken in time order — oldest first
/// (`newest` false: when a quorum first had) or newest first (true: when a quorum last had
/// all cosigned again) — until they form a quorum; the time of the last one taken. `None`
/// without a quorum.
pub(crate) fn quorum_time(
    witnessed: &[(String, u64)],
    policy: &Policy,
    newest: bool,
) -> Option<u64> {
    let mut times: Vec<(u64, usize)> = witnessed
        .iter()
        .filter_map(|(name, t)| {
            policy
                .witnesses
                .iter()
                .position(|w| &w.name == name)
                .map(|i| (*t, i))
        })
        .collect();
    times.sort_unstable();
    if newest {
        times.reverse();
    }
    let mut set = BTreeSet::new();
    for (t, i) in times {
        set.insert(i);
        if policy.quorum_met(&set) {
            return Some(t);
        }
    }
    None
}

/// Whether a binding public since `since` may be enrolled to at `now` with `cool_down`.
pub fn cooled_down(since: u64, now: u64, cool_down: u64) -> bool {
    now.checked_sub(since).is_some_and(|age| age >= cool_down)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::keys::{SecretKey, ALG_COSIGNATURE_V1, ALG_ED25519};
    use crate::logdir::LogDir;

    #[test]
    fn round_trip_and_refusals() {
        let b = Binding::new("https://mail.example:8443", &"AB".repeat(20)).unwrap();
        assert_eq!(Binding::from_bytes(&b.to_bytes()).unwrap(), b);
        assert!(is_binding(&b.to_bytes()));
        let good = String::from_utf8(b.to_bytes()).unwrap();
        for bad in [
            good.replace("https://mail", "https://MAIL"),
            good.replace("https://", "ftp://"),
            good.replace("8443", "8443/path"),
            good.replace(&"AB".repeat(20), &"ab".repeat(20)),
            good.trim_end().to_string(),
            format!("{good}extra\n"),
            good.replace("origin ", "origin  "),
            good.replace("binding/1", "binding/2"),
        ] {
            assert!(Binding::from_bytes(bad.as_bytes()).is_err(), "{bad:?}");
        }
        // Version 2 names the log policy; version 1 entries stay readable.
        let b2 = b.clone().with_policy(&"0f".repeat(32)).unwrap();
        assert_eq!(Binding::from_bytes(&b2.to_bytes()).unwrap(), b2);
        assert!(is_binding(&b2.to_bytes()));
        assert_ne!(b2.to_bytes(), b.to_bytes());
        let good2 = String::from_utf8(b2.to_bytes()).unwrap();
        for bad in [
            good2.replace("binding/2", "binding/1"),
            good2.replace(&"0f".repeat(32), &"0F".repeat(32)),
            good2.replace(&"0f".repeat(32), &"0f".repeat(31)),
            good2.replace("log-policy-sha256 ", "log-policy-sha256  "),
            good2.replace(&format!("log-policy-sha256 {}\n", "0f".repeat(32)), ""),
        ] {
            assert!(Binding::from_bytes(bad.as_bytes()).is_err(), "{bad:?}");
        }
        assert!(b.with_policy("nothex").is_err());
    }

    #[test]
    fn bound_since_is_when_a_quorum_had_cosigned() {
        let log = SecretKey::from_seed("example.com/log", ALG_ED25519, [1; 32]).unwrap();
        let w: Vec<SecretKey> = (0..3)
            .map(|i| {
                SecretKey::from_seed(&format!("w{i}.example"), ALG_COSIGNATURE_V1, [10 + i; 32])
                    .unwrap()
            })
            .collect();
        let policy = Policy::parse(&format!(
            "log {}\nwitness a {}\nwitness b {}\nwitness c {}\ngroup two 2 a b c\nquorum two\n",
            log.vkey().encode(),
            w[0].vkey().encode(),
            w[1].vkey().encode(),
            w[2].vkey().encode()
        ))
        .unwrap();
        let d = tempfile::tempdir().unwrap();
        let mut l = LogDir::open(d.path(), None).unwrap();
        let b = Binding::new("https://mail.example", &"AB".repeat(20)).unwrap();
        l.append_raw(&[b.to_bytes()], &log).unwrap();
        let mut cp = SignedCheckpoint::parse(&l.checkpoint().unwrap().to_bytes()).unwrap();
        assert_eq!(bound_since(&cp, &policy), None, "no cosignature yet");
        cp.add_signatures(&[
            w[0].cosign(&cp.text, 1_000).unwrap(),
            w[2].cosign(&cp.text, 5_000).unwrap(),
        ]);
        assert_eq!(bound_since(&cp, &policy), Some(5_000));
        cp.add_signatures(&[w[1].cosign(&cp.text, 2_000).unwrap()]);
        assert_eq!(bound_since(&cp, &policy), Some(2_000));
        assert!(cooled_down(2_000, 2_000 + COOL_DOWN_SECS, COOL_DOWN_SECS));
        assert!(!cooled_down(2_000, 1_999 + COOL_DOWN_SECS, COOL_DOWN_SECS));
        assert!(!cooled_down(2_000, 1_000, 0), "a time before the binding");
    }
}
