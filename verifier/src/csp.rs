//! Content Security Policy checks (CSP Level 3), strict: a page may only
//! run what its release declares.
//!
//! A sealpost release runs scripts from `'self'` or pinned by the hash of a
//! release file (`'sha384-…'`), compiles wasm (`'wasm-unsafe-eval'`), and
//! may start its worker from a `blob:` URL (in `worker-src` only: the shim
//! makes it from integrity-checked bytes).  Any other source in
//! `script-src`, `worker-src`, `default-src`, `style-src` or `object-src`
//! — another host, a nonce, a hash of something outside the release,
//! `'strict-dynamic'`, `'unsafe-inline'`, `data:` … — is a problem.  With
//! several policies (headers and `<meta>`), every one is enforced, so a
//! directive is fine as soon as one policy restricts it to declared
//! sources; otherwise every undeclared source is reported.

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

    /// Parses the value of one `Content-Security-Policy` header, which
    /// (CSP3 §2.2.2) may hold several policies separated by commas.
    pub fn parse_header(value: &str) -> Vec<Self> {
        value
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .map(Policy::parse)
            .collect()
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

/// Why a source lets in code the release did not declare, in words.
fn why_undeclared(source: &str) -> String {
    let s = source.to_ascii_lowercase();
    match s.as_str() {
        "'unsafe-inline'" => "allows inline code ('unsafe-inline')".into(),
        "'unsafe-eval'" => "allows eval ('unsafe-eval')".into(),
        "'unsafe-hashes'" => "allows hashed event handlers ('unsafe-hashes')".into(),
        "'strict-dynamic'" => "trusts scripts loaded by scripts ('strict-dynamic')".into(),
        "*" => "allows any host (*)".into(),
        "data:" => "allows data: URLs".into(),
        "blob:" => "allows blob: URLs".into(),
        "filesystem:" => "allows filesystem: URLs".into(),
        "http:" | "https:" => "allows any host of a scheme".into(),
        _ if s.contains('*') => "allows a wildcard host".into(),
        _ if s.starts_with("'nonce-") => format!("allows a nonce ({source})"),
        _ if s.starts_with("'sha") => {
            format!("allows a hash that is not a file of the release ({source})")
        }
        _ => format!("allows a source the release does not declare ({source})"),
    }
}

/// The hash sources (`'sha384-…'`, as CSP writes them) of the release's
/// files, from their `integrity` values.  A value that is not one
/// well-formed `alg-base64` token gives nothing.
pub fn hash_sources<'a>(integrities: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    integrities
        .into_iter()
        .filter_map(|i| {
            let (alg, b64) = i.split_once('-')?;
            let alg_ok = matches!(alg, "sha256" | "sha384" | "sha512");
            let b64_ok = !b64.is_empty()
                && b64
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='));
            (alg_ok && b64_ok).then(|| format!("'{alg}-{b64}'"))
        })
        .collect()
}

/// Whether `source`, found in the list that `provider` supplies for
/// `directive`, is one the release declares.
fn declared(directive: &str, provider: &str, source: &str, hashes: &[String]) -> bool {
    let s = source.to_ascii_lowercase();
    let keyword = |k: &str| s == k;
    if keyword("'none'") {
        return true;
    }
    if directive == "object-src" {
        return keyword("'self'");
    }
    if keyword("'self'") || keyword("'report-sample'") {
        return true;
    }
    let scripts = directive != "style-src";
    if scripts && keyword("'wasm-unsafe-eval'") {
        return true;
    }
    // blob: only where the release's worker comes from, and only when
    // worker-src itself says so (not through script-src or default-src).
    if directive == "worker-src" && provider == "worker-src" && keyword("blob:") {
        return true;
    }
    // A hash: its algorithm prefix is case-insensitive, the base64 is not.
    if s.starts_with("'sha") {
        if let Some((alg, rest)) = source.split_once('-') {
            let canonical = format!("{}-{rest}", alg.to_ascii_lowercase());
            return hashes.contains(&canonical);
        }
    }
    false
}

/// Checks the policies a page is served with, allowing no hash sources.
/// An empty slice means the page has no CSP at all, which is itself a
/// problem.
pub fn check(policies: &[Policy]) -> Vec<Problem> {
    check_release(policies, &[])
}

/// Checks the policies a page is served with against what the release
/// declares: `hashes` are the release's hash sources ([`hash_sources`]).
pub fn check_release(policies: &[Policy], hashes: &[String]) -> Vec<Problem> {
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
        "default-src",
    ] {
        // Directives that fall back to the same lists (script-src-elem →
        // script-src) are checked once, under the first name.
        let providers: Vec<Option<&str>> = policies
            .iter()
            .map(|p| p.effective_from(directive))
            .collect();
        if providers.iter().all(|p| p.is_none()) {
            // Missing everywhere: the directive does not restrict anything.
            if matches!(directive, "script-src" | "object-src") {
                problems.push(Problem {
                    directive: directive.into(),
                    issue: format!("no {directive} (nor default-src): any source is allowed"),
                });
            }
            continue;
        }
        if checked.contains(&providers) {
            continue;
        }
        checked.push(providers.clone());
        let strict = |p: &Policy, provider: &str| {
            p.get(provider)
                .unwrap_or(&[])
                .iter()
                .all(|s| declared(directive, provider, s, hashes))
        };
        let restricted = policies
            .iter()
            .zip(&providers)
            .any(|(p, provider)| provider.is_some_and(|d| strict(p, d)));
        if restricted {
            continue;
        }
        let mut reported: Vec<String> = Vec::new();
        for (p, provider) in policies.iter().zip(&providers) {
            let Some(provider) = provider else { continue };
            for source in p.get(provider).unwrap_or(&[]) {
                if declared(directive, provider, source, hashes) {
                    continue;
                }
                let why = why_undeclared(source);
                if !reported.contains(&why) {
                    reported.push(why.clone());
                    problems.push(Problem {
                        directive: directive.into(),
                        issue: why,
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

    const H1: &str = "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO";

    fn problems_with(policies: &[&str], hashes: &[String]) -> Vec<String> {
        let p: Vec<Policy> = policies.iter().map(|s| Policy::parse(s)).collect();
        check_release(&p, hashes)
            .into_iter()
            .map(|p| format!("{}: {}", p.directive, p.issue))
            .collect()
    }

    fn problems(policies: &[&str]) -> Vec<String> {
        problems_with(policies, &[])
    }

    #[test]
    fn sealpost_policy_is_clean() {
        let csp = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'; base-uri 'none'";
        assert_eq!(problems(&[csp]), Vec::<String>::new());
        // The shim's pinned worker (issue 19): worker-src blob:, and only there.
        let csp = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src blob:";
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
        }
        // Each once: script-src-elem/-attr and worker-src fall back to script-src.
        assert_eq!(p.len(), 5, "{p:?}");
        // blob: through script-src is not the worker's own list: flagged.
        let p = problems(&["script-src 'self' blob:; worker-src 'self'; object-src 'none'"]);
        assert_eq!(p, vec!["script-src: allows blob: URLs"]);
        // data: in worker-src, blob: in default-src or style-src: flagged.
        let p = problems(&["default-src 'none'; script-src 'self'; worker-src data:"]);
        assert_eq!(p, vec!["worker-src: allows data: URLs"]);
        let p = problems(&["default-src blob:; script-src 'self'; style-src 'self'"]);
        assert_eq!(p, vec!["object-src: allows blob: URLs"]);
    }

    /// Anything the release did not declare: another host, a nonce, a hash
    /// of something else, 'strict-dynamic'.
    #[test]
    fn undeclared_sources_are_failures() {
        let hashes = hash_sources([H1]);
        let case = |csp: &str| problems_with(&[csp], &hashes);
        assert_eq!(
            case("default-src 'none'; script-src 'self' https://other.example"),
            vec![
                "script-src: allows a source the release does not declare (https://other.example)"
            ]
        );
        assert_eq!(
            case("default-src 'none'; script-src 'self' 'nonce-abc'"),
            vec!["script-src: allows a nonce ('nonce-abc')"]
        );
        assert_eq!(
            case("default-src 'none'; script-src 'self' 'strict-dynamic'"),
            vec!["script-src: trusts scripts loaded by scripts ('strict-dynamic')"]
        );
        let other = "'sha384-AAAAh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO'";
        assert_eq!(
            case(&format!("default-src 'none'; script-src {other}")),
            vec![format!(
                "script-src: allows a hash that is not a file of the release ({other})"
            )]
        );
        // The release's own hash (prefix in any case) is declared; so is 'self'.
        assert!(case(&format!("default-src 'none'; script-src '{H1}'")).is_empty());
        let upper = format!("'SHA384-{}'", &H1[7..]);
        assert!(case(&format!("default-src 'none'; script-src {upper}")).is_empty());
        // An extra host in default-src is a failure even if script-src is strict.
        assert_eq!(
            case("default-src https://x.example; script-src 'self'; style-src 'self'; object-src 'none'"),
            vec!["default-src: allows a source the release does not declare (https://x.example)"]
        );
        // object-src admits 'none' or 'self' only.
        assert_eq!(
            case("default-src 'none'; script-src 'self'; object-src 'wasm-unsafe-eval'"),
            vec!["object-src: allows a source the release does not declare ('wasm-unsafe-eval')"]
        );
    }

    #[test]
    fn hash_sources_take_only_well_formed_values() {
        assert_eq!(hash_sources([H1]), vec![format!("'{H1}'")]);
        // A manifest value can never inject a CSP token.
        assert!(hash_sources([
            "sha384-abc' 'unsafe-inline",
            "sha384-a;b",
            "md5-abc",
            "sha384-"
        ])
        .is_empty());
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
        assert!(problems(&[
            "default-src 'self'",
            "script-src https://x.example 'nonce-a'"
        ])
        .is_empty());
        // ...but two lax policies are lax.
        assert!(!problems(&[
            "script-src 'unsafe-inline'; object-src 'none'",
            "script-src 'unsafe-inline' 'self'"
        ])
        .is_empty());
        // One header may carry several policies, comma-separated.
        let p = Policy::parse_header("script-src https://x.example, default-src 'self'");
        assert_eq!(p.len(), 2);
        assert!(check(&p).is_empty());
    }

    #[test]
    fn names_are_case_insensitive_and_first_wins() {
        let p = Policy::parse("Script-Src 'self'; script-src 'unsafe-inline'");
        assert_eq!(p.get("script-src"), Some(&["'self'".to_string()][..]));
    }
}
