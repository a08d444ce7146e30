//! C2SP tlog-policy files: which logs, which witnesses, and the quorum of cosignatures.
//!
//! ```text
//! log example.com/log+1234abcd+AR…= https://example.com/log/
//! witness w1 w1.example+89abcdef+BP…= http://127.0.0.1:7001
//! witness w2 w2.example+01234567+BF…=
//! group both all w1 w2
//! quorum both
//! ```
//!
//! Lines are `log <vkey> [url]`, `witness <name> <vkey> [url]`, `group <name> all|any|<k>
//! <member>…` and exactly one `quorum <name>|none`; `#` comments and blank lines are ignored; a
//! group or the quorum names only witnesses and groups defined above it. Log keys are Ed25519
//! (type 0x01) and their key name is the log's origin; witness keys are `cosignature/v1` (0x04).
//!
//! sealpost adds two lines of its own (issue 21), which a site's signed policy uses to name who
//! must have rebuilt a release before the guard runs it:
//!
//! ```text
//! rebuilder ci rebuilder.example/ci+1234abcd+AR…=
//! rebuilder audit audit.example/r1+89abcdef+AQ…=
//! rebuild-quorum 2
//! ```
//!
//! `rebuilder <name> <vkey>` (an Ed25519 note key, type 0x01; the name is the policy's own, as
//! for witnesses) and exactly one `rebuild-quorum <k>` when any rebuilder is named, `k` between
//! 1 and their number: attestations by `k` distinct listed rebuilders are needed. A policy
//! without them asks for none.

use std::collections::{BTreeSet, HashMap};

use crate::keys::{VKey, ALG_COSIGNATURE_V1, ALG_ED25519};
use crate::{Error, Result};

const MAX_POLICY: usize = 64 * 1024;
const MAX_ITEMS: usize = 64;

#[derive(Debug, Clone)]
pub struct PolicyLog {
    pub vkey: VKey,
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PolicyWitness {
    /// The name inside the policy (not the key name).
    pub name: String,
    pub vkey: VKey,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    Witness(usize),
    Group(usize),
}

#[derive(Debug, Clone)]
struct Group {
    threshold: usize,
    members: Vec<Member>,
}

/// A rebuilder named by the policy (issue 21).
#[derive(Debug, Clone)]
pub struct PolicyRebuilder {
    /// The name inside the policy.
    pub name: String,
    pub vkey: VKey,
}

/// A parsed policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub logs: Vec<PolicyLog>,
    pub witnesses: Vec<PolicyWitness>,
    /// Rebuilders whose attestations count, and how many distinct ones a release needs (0: none).
    pub rebuilders: Vec<PolicyRebuilder>,
    pub rebuild_quorum: usize,
    groups: Vec<Group>,
    quorum: Option<Member>,
}

impl Policy {
    /// Parses a policy file; every error names its line.
    pub fn parse(text: &str) -> Result<Self> {
        if text.len() > MAX_POLICY {
            return Err(Error::malformed("policy: larger than 64 KiB"));
        }
        let mut p = Policy {
            logs: Vec::new(),
            witnesses: Vec::new(),
            rebuilders: Vec::new(),
            rebuild_quorum: 0,
            groups: Vec::new(),
            quorum: None,
        };
        let mut rebuild_quorum: Option<(usize, u64)> = None;
        let mut names: HashMap<String, Member> = HashMap::new();
        let mut seen_quorum = false;
        let mut keys = BTreeSet::new();
        for (i, line) in text.split('\n').enumerate() {
            let n = i + 1;
            let err = |m: String| Error::malformed(format!("policy line {n}: {m}"));
            if line.bytes().any(|b| b < 0x20 && b != b'\t' || b == 0x7f) {
                return Err(err("control character".into()));
            }
            let t = line.trim_matches([' ', '\t']);
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = t.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
            match words.as_slice() {
                ["log", vkey, rest @ ..] if rest.len() <= 1 => {
                    let vkey = VKey::parse(vkey).map_err(|e| err(e.message))?;
                    if vkey.alg != ALG_ED25519 {
                        return Err(err("a log key must be an Ed25519 (type 0x01) key".into()));
                    }
                    if !keys.insert(vkey.public) {
                        return Err(err("duplicate key".into()));
                    }
                    p.logs.push(PolicyLog {
                        vkey,
                        url: rest.first().map(|s| s.to_string()),
                    });
                }
                ["witness", name, vkey, rest @ ..] if rest.len() <= 1 => {
                    if *name == "none" || names.contains_key(*name) {
                        return Err(err(format!("name {name:?} is already defined")));
                    }
                    let vkey = VKey::parse(vkey).map_err(|e| err(e.message))?;
                    if vkey.alg != ALG_COSIGNATURE_V1 {
                        return Err(err(
                            "a witness key must be a cosignature/v1 (type 0x04) key".into(),
                        ));
                    }
                    if !keys.insert(vkey.public) {
                        return Err(err("duplicate key".into()));
                    }
                    names.insert(name.to_string(), Member::Witness(p.witnesses.len()));
                    p.witnesses.push(PolicyWitness {
                        name: name.to_string(),
                        vkey,
                        url: rest.first().map(|s| s.to_string()),
                    });
                }
                ["group", name, k, members @ ..] if !members.is_empty() => {
                    if *name == "none" || names.contains_key(*name) {
                        return Err(err(format!("name {name:?} is already defined")));
                    }
                    let mut ms = Vec::new();
                    for m in members {
                        let member = *names
                            .get(*m)
                            .ok_or_else(|| err(format!("{m:?} is not defined above")))?;
                        if ms.contains(&member) {
                            return Err(err(format!("{m:?} is listed twice")));
                        }
                        ms.push(member);
                    }
                    let threshold = match *k {
                        "all" => ms.len(),
                        "any" => 1,
                        k => {
                            let k =
                                crate::parse_decimal(k, "threshold").map_err(|e| err(e.message))?;
                            if k == 0 || k > ms.len() as u64 {
                                return Err(err(format!(
                                    "threshold {k} is not between 1 and {}",
                                    ms.len()
                                )));
                            }
                            k as usize
                        }
                    };
                    names.insert(name.to_string(), Member::Group(p.groups.len()));
                    p.groups.push(Group {
                        threshold,
                        members: ms,
                    });
                }
                ["rebuilder", name, vkey] => {
                    if p.rebuilders.iter().any(|r| r.name == *name) {
                        return Err(err(format!("rebuilder {name:?} is already defined")));
                    }
                    let vkey = VKey::parse(vkey).map_err(|e| err(e.message))?;
                    if vkey.alg != ALG_ED25519 {
                        return Err(err(
                            "a rebuilder key must be an Ed25519 (type 0x01) note key".into(),
                        ));
                    }
                    if !keys.insert(vkey.public) {
                        return Err(err("duplicate key".into()));
                    }
                    p.rebuilders.push(PolicyRebuilder {
                        name: name.to_string(),
                        vkey,
                    });
                }
                ["rebuild-quorum", k] => {
                    if rebuild_quorum.is_some() {
                        return Err(err("a second rebuild-quorum line".into()));
                    }
                    let k = crate::parse_decimal(k, "rebuild-quorum").map_err(|e| err(e.message))?;
                    rebuild_quorum = Some((n, k));
                }
                ["quorum", name] => {
                    if seen_quorum {
                        return Err(err("a second quorum line".into()));
                    }
                    seen_quorum = true;
                    p.quorum = if *name == "none" {
                        None
                    } else {
                        Some(
                            *names
                                .get(*name)
                                .ok_or_else(|| err(format!("{name:?} is not defined above")))?,
                        )
                    };
                }
                _ => {
                    return Err(err(format!(
                        "expected log, witness, group, quorum, rebuilder or rebuild-quorum with their arguments, got {t:?}"
                    )))
                }
            }
            if p.logs.len() > MAX_ITEMS
                || p.witnesses.len() > MAX_ITEMS
                || p.rebuilders.len() > MAX_ITEMS
                || p.groups.len() > MAX_ITEMS
            {
                return Err(err(format!(
                    "more than {MAX_ITEMS} logs, witnesses or groups"
                )));
            }
        }
        if !seen_quorum {
            return Err(Error::malformed("policy: no quorum line"));
        }
        match rebuild_quorum {
            None if !p.rebuilders.is_empty() => {
                return Err(Error::malformed(
                    "policy: rebuilders are named but there is no rebuild-quorum line",
                ))
            }
            None => {}
            Some((n, k)) => {
                if k == 0 || k > p.rebuilders.len() as u64 {
                    return Err(Error::malformed(format!(
                        "policy line {n}: rebuild-quorum {k} is not between 1 and the {} rebuilder(s) named",
                        p.rebuilders.len()
                    )));
                }
                p.rebuild_quorum = k as usize;
            }
        }
        Ok(p)
    }

    /// Whether the witnesses with these indexes (into `witnesses`) make a quorum.
    pub fn quorum_met(&self, cosigned: &BTreeSet<usize>) -> bool {
        match self.quorum {
            None => true,
            Some(m) => self.member_met(m, cosigned),
        }
    }

    fn member_met(&self, m: Member, cosigned: &BTreeSet<usize>) -> bool {
        match m {
            Member::Witness(i) => cosigned.contains(&i),
            // Groups only name earlier groups, so this recursion ends.
            Member::Group(g) => {
                let group = &self.groups[g];
                group
                    .members
                    .iter()
                    .filter(|&&x| self.member_met(x, cosigned))
                    .count()
                    >= group.threshold
            }
        }
    }

    /// True when the quorum is `none`.
    pub fn needs_no_witness(&self) -> bool {
        self.quorum.is_none()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::keys::SecretKey;

    fn w(i: u8) -> String {
        SecretKey::from_seed(&format!("w{i}.example"), ALG_COSIGNATURE_V1, [i; 32])
            .unwrap()
            .vkey()
            .encode()
    }

    #[test]
    fn the_spec_example_quorum() {
        let log = SecretKey::from_seed("example.com/log", ALG_ED25519, [99; 32]).unwrap();
        let text = format!(
            "# example\nlog {} https://example.com/log\n\n\twitness X1 {}\nwitness X2 {}\nwitness X3 {}\ngroup X-witnesses 2 X1 X2 X3\nwitness Y1 {}\nwitness Y2 {} http://y2\nwitness Y3 {}\ngroup Y-witnesses any Y1 Y2 Y3\ngroup X-and-Y all X-witnesses Y-witnesses\nquorum X-and-Y\n",
            log.vkey().encode(), w(1), w(2), w(3), w(4), w(5), w(6)
        );
        let p = Policy::parse(&text).unwrap();
        assert_eq!(p.logs.len(), 1);
        assert_eq!(p.witnesses[4].url.as_deref(), Some("http://y2"));
        let set = |v: &[usize]| v.iter().copied().collect::<BTreeSet<_>>();
        assert!(p.quorum_met(&set(&[0, 1, 3])));
        assert!(p.quorum_met(&set(&[0, 2, 5])));
        assert!(!p.quorum_met(&set(&[0, 3, 4, 5])));
        assert!(!p.quorum_met(&set(&[0, 1, 2])));
        assert!(Policy::parse("quorum none\n")
            .unwrap()
            .quorum_met(&BTreeSet::new()));
        let r = SecretKey::from_seed("ci.example/r", ALG_ED25519, [7; 32]).unwrap();
        let with = Policy::parse(&format!(
            "{text}rebuilder ci {}\nrebuild-quorum 1\n",
            r.vkey().encode()
        ))
        .unwrap();
        assert_eq!((with.rebuilders.len(), with.rebuild_quorum), (1, 1));
        assert_eq!(with.rebuilders[0].name, "ci");
        assert_eq!(p.rebuild_quorum, 0);
    }

    #[test]
    fn bad_policies_name_the_line() {
        let log = SecretKey::from_seed("l", ALG_ED25519, [9; 32])
            .unwrap()
            .vkey()
            .encode();
        for (text, why) in [
            (String::new(), "no quorum"),
            (
                format!("witness a {}\nquorum b\n", w(1)),
                "line 2: \"b\" is not defined",
            ),
            (
                format!("witness a {}\nwitness a {}\nquorum a\n", w(1), w(2)),
                "line 2: name \"a\"",
            ),
            (
                format!("witness a {}\nwitness b {}\nquorum a\n", w(1), w(1)),
                "duplicate key",
            ),
            (
                format!("witness a {}\ngroup g 2 a\nquorum g\n", w(1)),
                "threshold 2",
            ),
            (
                format!("witness a {}\ngroup g 1 a a\nquorum g\n", w(1)),
                "listed twice",
            ),
            (
                format!("log {log}\nquorum none\nquorum none\n"),
                "second quorum",
            ),
            (format!("witness a {log}\nquorum a\n"), "cosignature/v1"),
            (format!("log {}\nquorum none\n", w(1)), "Ed25519"),
            ("quorum none\nfrobnicate\n".into(), "line 2: expected"),
            ("quorum none\x01\n".into(), "control"),
            (
                format!("log {log}\nrebuilder r {}\nquorum none\n", w(1)),
                "Ed25519 (type 0x01) note key",
            ),
            (
                format!("rebuilder r {log}\nquorum none\n"),
                "no rebuild-quorum",
            ),
            (
                format!("rebuilder r {log}\nrebuild-quorum 2\nquorum none\n"),
                "line 2: rebuild-quorum 2",
            ),
            (
                format!("rebuilder r {log}\nrebuild-quorum 0\nquorum none\n"),
                "rebuild-quorum 0",
            ),
            ("rebuild-quorum 1\nquorum none\n".into(), "rebuild-quorum 1"),
            (
                format!("rebuilder r {log}\nrebuilder r {log}\nrebuild-quorum 1\nquorum none\n"),
                "already defined",
            ),
            (
                format!("log {log}\nrebuilder r {log}\nrebuild-quorum 1\nquorum none\n"),
                "duplicate key",
            ),
            (
                "log l+00000000+AQ==\nquorum none\n".into(),
                "line 1: verifier key",
            ),
        ] {
            let e = Policy::parse(&text).unwrap_err();
            assert!(e.message.contains(why), "{text:?}: {e}");
        }
    }
}
