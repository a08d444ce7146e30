//! Content Security Policy checks (CSP Level 3).
//!
//! sealpost's pages must only run code the manifest covers: scripts from
//! `'self'` (plus `'wasm-unsafe-eval'` to compile wasm), no inline code, no
//! `eval`, no wildcards or `data:`/`blob:` sources.  With several policies
//! (header and `<meta>`), every one is enforced, so something is allowed
//! only if *all* of them allow it: a problem is reported only then.

use serde::Serialize;

/// One parsed policy: directive name (lower-case) → source list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    directives: Vec<(String, Vec<String>)>,
}

impl Policy {
    /// Parses a serialized policy.  Per CSP3 §2.2.1, directive names are
    /// case-insensitive and a repeated directive is ignored.
    pub fn parse(text: &str) -> Self {
        let mut directives: Vec<(String, Vec<String>)> = Vec::new();
        for part in text.split(';') {
            let mut tokens = part.split_ascii_whitespace();
            let Some(name) = tokens.next() else { continue };
            let name = name.to_ascii_lowercase();
            if directives.iter().any(|(n, _)| *n == name) {
                continue;
            }
            directives.push((name, tokens.map(|t| t.to_string()).collect()));
        }
        Policy { directives }
    }

    /// The source list of a directive, if present.
    pub fn get(&self, name: &str) -> Option<&[String]> {
        self.directives
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// The effective source list for `directive`, following the CSP3
    /// fallback chain (e.g. `script-src-elem` → `script-src` → `default-src`).
    pub fn effective(&self, directive: &str) -> Option<&[String]> {
        self.effective_from(directive).and_then(|d| self.get(d))
    }

    /// Which directive actually supplies the effective list of `directive`.
    pub fn effective_from<'a>(&self, directive: &'a str) -> Option<&'a str> {
        let chain: &[&'a str] = match directive {
            "script-src-elem" | "script-src-attr" => &[directive, "script-src", "default-src"],
            "style-src-elem" | "style-src-attr" => &[directive, "style-src", "default-src"],
            "worker-src" => &["worker-src", "child-src", "script-src", "default-src"],
            "object-src" | "script-src" | "style-src" | "connect-src" | "img-src" => {
                &[directive, "default-src"]
            }
            _ => &[directive],
        };
        chain.iter().copied().find(|d| self.get(d).is_some())
    }
}

/// A problem with the page's policies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The directive concerned.
    pub directive: String,
    /// What is wrong, for humans.
    pub issue: String,
}

/// Sources that let code other than the release's own run.
fn unsafe_source(source: &str) -> Option<&'static str> {
    let s = source.to_ascii_lowercase();
    match s.as_str() {
        "'unsafe-inline'" => Some("allows inline code ('unsafe-inline')"),
        "'unsafe-eval'" => Some("allows eval ('unsafe-eval')"),
        "'unsafe-hashes'" => Some("allows hashed event handlers ('unsafe-hashes')"),
        "*" => Some("allows any host (*)"),
        "data:" => Some("allows data: URLs"),
        "blob:" => Some("allows blob: URLs"),
        "filesystem:" => Some("allows filesystem: URLs"),
        "http:" | "https:" => Some("allows any host of a scheme"),
        _ if s.contains('*') => Some("allows a wildcard host"),
        _ => None,
    }
}

/// Checks the policies a page is served with.  An empty slice means the
/// page has no CSP at all, which is itself a problem.
pub fn check(policies: &[Policy]) -> Vec<Problem> {
    let mut problems = Vec::new();
    if policies.is_empty() {
        problems.push(Problem {
            directive: "(none)".into(),
            issue: "the page has no Content-Security-Policy".into(),
        });
        return problems;
    }
    let mut checked: Vec<Vec<Option<&str>>> = Vec::new();
    for directive in [
        "script-src",
        "script-src-elem",
        "script-src-attr",
        "worker-src",
        "object-src",
        "style-src",
    ] {
        // Directives that fall back to the same lists (script-src-elem →
        // script-src) are checked once, under the first name.
        let providers: Vec<Option<&str>> = policies
            .iter()
            .map(|p| p.effective_from(directive))
            .collect();
        if providers.iter().any(|p| p.is_some()) {
            if checked.contains(&providers) {
                continue;
            }
            checked.push(providers);
        }
        // Missing everywhere: the directive does not restrict anything.
        if policies.iter().all(|p| p.effective(directive).is_none()) {
            if matches!(directive, "script-src" | "object-src") {
                problems.push(Problem {
                    directive: directive.into(),
                    issue: format!("no {directive} (nor default-src): any source is allowed"),
                });
            }
            continue;
        }
        // A source is a problem only if every policy allows it (or does not
        // restrict the directive at all).
        let mut reported: Vec<&'static str> = Vec::new();
        for p in policies {
            for source in p.effective(directive).unwrap_or(&[]) {
                let Some(why) = unsafe_source(source) else {
                    continue;
                };
                let everywhere = policies.iter().all(|q| match q.effective(directive) {
                    None => true,
                    Some(list) => list.iter().any(|s| s.eq_ignore_ascii_case(source)),
                });
                if everywhere && !reported.contains(&why) {
                    reported.push(why);
                    problems.push(Problem {
                        directive: directive.into(),
                        issue: why.to_string(),
                    });
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(policies: &[&str]) -> Vec<String> {
        let p: Vec<Policy> = policies.iter().map(|s| Policy::parse(s)).collect();
        check(&p)
            .into_iter()
            .map(|p| format!("{}: {}", p.directive, p.issue))
            .collect()
    }

    #[test]
    fn sealpost_policy_is_clean() {
        let csp = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; worker-src 'self'; base-uri 'none'";
        assert_eq!(problems(&[csp]), Vec::<String>::new());
    }

    #[test]
    fn unsafe_sources_are_flagged() {
        let p = problems(&["script-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob: *.cdn.example; object-src 'none'"]);
        for want in [
            "unsafe-inline",
            "unsafe-eval",
            "data:",
            "blob:",
            "wildcard host",
        ] {
            assert!(p.iter().any(|x| x.contains(want)), "{want} not in {p:?}");
            // Each once: script-src-elem/-attr and worker-src fall back to script-src.
            assert_eq!(p.len(), 5, "{p:?}");
            // A directive with its own list is checked on its own.
            let p = problems(&["script-src 'self'; worker-src blob:; object-src 'none'"]);
            assert_eq!(p, vec!["worker-src: allows blob: URLs"]);
        }
    }

    #[test]
    fn missing_policy_or_script_src() {
        assert_eq!(
            problems(&[]),
            vec!["(none): the page has no Content-Security-Policy"]
        );
        let p = problems(&["img-src 'self'"]);
        assert!(
            p.iter().any(|x| x.starts_with("script-src: no script-src")),
            "{p:?}"
        );
        // default-src covers script-src.
        assert!(problems(&["default-src 'self'"]).is_empty());
    }

    #[test]
    fn every_policy_is_enforced() {
        // A strict header makes a lax <meta> harmless...
        assert!(problems(&["default-src 'self'", "script-src 'unsafe-inline'"]).is_empty());
        // ...but two lax policies are lax.
        assert!(!problems(&[
            "script-src 'unsafe-inline'; object-src 'none'",
            "script-src 'unsafe-inline' 'self'"
        ])
        .is_empty());
    }

    #[test]
    fn names_are_case_insensitive_and_first_wins() {
        let p = Policy::parse("Script-Src 'self'; script-src 'unsafe-inline'");
        assert_eq!(p.get("script-src"), Some(&["'self'".to_string()][..]));
    }
}
