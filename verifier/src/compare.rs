//! Served files vs the manifest → a report.
//!
//! The caller (CLI or extension) gathers what is served: the SHA-384 of
//! every file, the bytes of HTML pages and scripts to analyse, and the CSP
//! headers of pages where it saw them.  [`check`] compares it all with the
//! manifest.  Verified means: every manifest file is served with the listed
//! hash, nothing else is served, and every page loads only listed files,
//! with `integrity` on every script and stylesheet, under a strict CSP.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::csp::{self, Policy};
use crate::html::{self, InlineKind, MetaCspPlacement, ResourceKind};
use crate::manifest::Manifest;
use crate::sri::{Algorithm, Hash, Integrity, Match};

/// One served file.
#[derive(Clone, Debug)]
pub struct ServedFile {
    /// SHA-384 of the served bytes.
    pub sha384: Hash,
    /// Size in bytes.
    pub size: u64,
    /// The bytes, for HTML pages and scripts (what gets analysed); `None`
    /// for other files.
    pub content: Option<Vec<u8>>,
    /// For pages: the `Content-Security-Policy` headers it was served
    /// with, or `None` when headers are unknown (checking a directory).
    pub csp_headers: Option<Vec<String>>,
}

/// What is served: path (as in the manifest) → file.
pub type Served = BTreeMap<String, ServedFile>;

/// A file's status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum FileStatus {
    /// Served with the listed hash.
    Matched,
    /// Served with another hash.
    Mismatched {
        /// The manifest's integrity.
        expected: String,
        /// The served bytes' integrity.
        actual: String,
    },
    /// Listed but not served.
    Missing,
    /// Served (or referenced by a page) but not listed.
    Unexpected,
}

/// A file result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileResult {
    /// The path.
    pub path: String,
    /// Its status.
    #[serde(flatten)]
    pub status: FileStatus,
}

/// A problem found in a page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum PageProblem {
    /// A script or stylesheet without an `integrity` attribute.
    NoIntegrity {
        /// The URL as written.
        url: String,
    },
    /// An `integrity` attribute that does not match the manifest.
    IntegrityMismatch {
        /// The URL as written.
        url: String,
        /// The attribute.
        integrity: String,
        /// The manifest's value.
        expected: String,
    },
    /// An `integrity` attribute whose strongest hash is not SHA-384, so it
    /// cannot be cross-checked with the manifest.
    IntegrityNotSha384 {
        /// The URL as written.
        url: String,
    },
    /// A same-origin resource that the manifest does not list.
    Unlisted {
        /// The URL as written.
        url: String,
        /// The path it resolves to.
        path: String,
    },
    /// A resource from another origin, or a `data:`/`blob:` URL.
    External {
        /// The URL as written.
        url: String,
    },
    /// Inline code (sealpost pages carry none).
    InlineCode {
        /// What kind.
        kind: InlineKind,
        /// Its CSP hash.
        hash: String,
    },
    /// A `<base href>`, which re-targets every relative URL.
    BaseHref {
        /// The value.
        href: String,
    },
    /// A `<meta http-equiv=Content-Security-Policy>` where it is not the
    /// document's policy (outside `<head>`, after a `<script>`, `<link>`,
    /// `<style>` or `<base>`, or inside `<noscript>`/`<template>`): it is
    /// not counted in the CSP check.
    MetaCspMisplaced {
        /// Why it does not count.
        placement: MetaCspPlacement,
        /// The element it comes after, if that is why.
        after: Option<String>,
        /// Its `content`.
        content: String,
    },
    /// A CSP problem.
    Csp {
        /// The directive.
        directive: String,
        /// The issue.
        issue: String,
    },
}

/// A page's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PageResult {
    /// The page's path.
    pub path: String,
    /// Whether CSP headers were known (URL checks) or only `<meta>` (directories).
    pub csp_headers_checked: bool,
    /// Problems, empty if none.
    pub problems: Vec<PageProblem>,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// `true` if nothing below is a problem.
    pub verified: bool,
    /// The manifest's app and version.
    pub app: String,
    /// The manifest's version.
    pub version: String,
    /// Per file, sorted by path.
    pub files: Vec<FileResult>,
    /// Per HTML page.
    pub pages: Vec<PageResult>,
}

impl Report {
    /// Files that are not `Matched`.
    pub fn bad_files(&self) -> impl Iterator<Item = &FileResult> {
        self.files
            .iter()
            .filter(|f| f.status != FileStatus::Matched)
    }
}

/// Resolves `url` as written in the document at `base_path` to a path in
/// the release, or `None` if it points elsewhere (another origin, a
/// `data:` URL...).  `origin` is `scheme://host[:port]` in URL checks.
pub fn resolve(url: &str, base_path: &str, origin: Option<&str>) -> Option<String> {
    let url = url.trim();
    let url = url.split(['#', '?']).next().unwrap_or("");
    let path_part = if let Some(rest) = url.strip_prefix("//") {
        // Scheme-relative: same origin only if the host matches.
        let o = origin?;
        let host = o.split_once("://").map(|x| x.1)?;
        rest.strip_prefix(host)?.to_string()
    } else if let Some((scheme, _)) = url.split_once(':') {
        if scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !scheme.is_empty()
        {
            let o = origin?;
            url.strip_prefix(o)?.to_string()
        } else {
            url.to_string()
        }
    } else {
        url.to_string()
    };
    let mut segments: Vec<&str> = if path_part.starts_with('/') {
        Vec::new()
    } else {
        let mut base: Vec<&str> = base_path.split('/').collect();
        base.pop();
        base
    };
    for seg in path_part.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    if path_part.ends_with('/') || path_part.is_empty() && url.is_empty() {
        segments.push("index.html");
    }
    let joined = segments.join("/");
    (!joined.is_empty()).then_some(joined)
}

/// Compares what is served with the manifest.
pub fn check(manifest: &Manifest, served: &Served, origin: Option<&str>) -> Report {
    let mut files = Vec::new();
    for (path, entry) in &manifest.files {
        let status = match served.get(path) {
            None => FileStatus::Missing,
            Some(f) => match Integrity::parse(&entry.integrity).matches_hash(&f.sha384) {
                Match::Matched if f.size == entry.size => FileStatus::Matched,
                _ => FileStatus::Mismatched {
                    expected: entry.integrity.clone(),
                    actual: f.sha384.to_string(),
                },
            },
        };
        files.push(FileResult {
            path: path.clone(),
            status,
        });
    }
    for path in served.keys().filter(|p| !manifest.files.contains_key(*p)) {
        files.push(FileResult {
            path: path.clone(),
            status: FileStatus::Unexpected,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let mut pages = Vec::new();
    for (path, file) in served {
        let is_html = path.ends_with(".html")
            || path.ends_with(".htm")
            || manifest.entrypoints.contains(path);
        let Some(content) = file.content.as_ref().filter(|_| is_html) else {
            continue;
        };
        pages.push(check_page(
            manifest,
            served,
            path,
            content,
            file.csp_headers.as_deref(),
            origin,
        ));
    }
    let verified = files.iter().all(|f| f.status == FileStatus::Matched)
        && pages.iter().all(|p| p.problems.is_empty());
    Report {
        verified,
        app: manifest.app.clone(),
        version: manifest.version.clone(),
        files,
        pages,
    }
}

fn check_page(
    manifest: &Manifest,
    served: &Served,
    path: &str,
    content: &[u8],
    csp_headers: Option<&[String]>,
    origin: Option<&str>,
) -> PageResult {
    let page = html::discover(content);
    let mut problems = Vec::new();
    if let Some(href) = &page.base_href {
        problems.push(PageProblem::BaseHref { href: href.clone() });
    }
    for inline in &page.inline {
        problems.push(PageProblem::InlineCode {
            kind: inline.kind,
            hash: inline.csp_hash.clone(),
        });
    }
    for r in &page.resources {
        let Some(target) = resolve(&r.url, path, origin) else {
            problems.push(PageProblem::External { url: r.url.clone() });
            continue;
        };
        let Some(entry) = manifest.files.get(&target) else {
            problems.push(PageProblem::Unlisted {
                url: r.url.clone(),
                path: target,
            });
            continue;
        };
        if !r.kind.is_active() {
            continue;
        }
        match &r.integrity {
            None => problems.push(PageProblem::NoIntegrity { url: r.url.clone() }),
            Some(attr) => {
                let parsed = Integrity::parse(attr);
                match parsed.strongest() {
                    None => problems.push(PageProblem::NoIntegrity { url: r.url.clone() }),
                    Some(Algorithm::Sha384) => {
                        let listed = Integrity::parse(&entry.integrity);
                        let listed_hash = listed.hashes.first();
                        let ok =
                            listed_hash.is_some_and(|h| parsed.matches_hash(h) == Match::Matched);
                        if !ok {
                            problems.push(PageProblem::IntegrityMismatch {
                                url: r.url.clone(),
                                integrity: attr.clone(),
                                expected: entry.integrity.clone(),
                            });
                        }
                    }
                    Some(_) => {
                        problems.push(PageProblem::IntegrityNotSha384 { url: r.url.clone() })
                    }
                }
            }
        }
        // Scripts name further code: workers, dynamic imports, wasm.
        if matches!(
            r.kind,
            ResourceKind::Script | ResourceKind::ModuleScript | ResourceKind::ModulePreload
        ) {
            if let Some(js) = served.get(&target).and_then(|f| f.content.as_ref()) {
                for reference in html::script_references(js) {
                    let from_script = resolve(&reference, &target, origin);
                    let from_page = resolve(&reference, path, origin);
                    let listed = [&from_script, &from_page]
                        .iter()
                        .any(|p| p.as_ref().is_some_and(|p| manifest.files.contains_key(p)));
                    if !listed {
                        match from_script {
                            Some(p) => problems.push(PageProblem::Unlisted {
                                url: reference,
                                path: p,
                            }),
                            None => problems.push(PageProblem::External { url: reference }),
                        }
                    }
                }
            }
        }
    }
    for m in &page.misplaced_meta_csp {
        problems.push(PageProblem::MetaCspMisplaced {
            placement: m.placement,
            after: m.after.clone(),
            content: m.content.clone(),
        });
    }
    // Only a <meta> CSP placed where it covers the whole document counts.
    let mut policies: Vec<Policy> = page.meta_csp.iter().map(|c| Policy::parse(c)).collect();
    if let Some(h) = csp_headers {
        let from_headers: Vec<Policy> = h.iter().flat_map(|c| Policy::parse_header(c)).collect();
        // Served over HTTP, the policy must come with the response: a
        // `<meta>` one starts only once the parser reaches it.
        if from_headers.is_empty() {
            problems.push(PageProblem::Csp {
                directive: "(none)".into(),
                issue: "the page was served without a Content-Security-Policy header".into(),
            });
        }
        policies.extend(from_headers);
    }
    // In a directory there are no headers: an absent CSP is not knowable
    // there, but an unsafe one in <meta> still is.
    if csp_headers.is_some() || !policies.is_empty() {
        let hashes = csp::hash_sources(manifest.files.values().map(|f| f.integrity.as_str()));
        for p in csp::check_release(&policies, &hashes) {
            problems.push(PageProblem::Csp {
                directive: p.directive,
                issue: p.issue,
            });
        }
    }
    problems.dedup();
    PageResult {
        path: path.to_string(),
        csp_headers_checked: csp_headers.is_some(),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sri::compute;

    /// A one-page release whose page is served with `headers` (None: a directory).
    fn page_problems(headers: Option<Vec<&str>>) -> Vec<PageProblem> {
        page_problems_of(b"<!doctype html><title>x</title>", headers)
    }

    fn page_problems_of(html: &[u8], headers: Option<Vec<&str>>) -> Vec<PageProblem> {
        let html = html.to_vec();
        let hash = compute(Algorithm::Sha384, &html);
        let mut m = Manifest::new("t", "1.0.0", 4_000_000_000).unwrap();
        m.add_file("index.html", hash.to_string(), html.len() as u64)
            .unwrap();
        let mut served = Served::new();
        served.insert(
            "index.html".into(),
            ServedFile {
                sha384: hash,
                size: html.len() as u64,
                content: Some(html),
                csp_headers: headers.map(|h| h.into_iter().map(String::from).collect()),
            },
        );
        check(&m, &served, Some("http://127.0.0.1:1"))
            .pages
            .remove(0)
            .problems
    }

    #[test]
    fn a_missing_csp_header_is_a_failure_never_a_skip() {
        let strict = "default-src 'none'; script-src 'self'";
        assert_eq!(page_problems(Some(vec![strict])), vec![]);
        let none = page_problems(Some(vec![]));
        assert!(
            matches!(&none[0], PageProblem::Csp { directive, .. } if directive == "(none)"),
            "{none:?}"
        );
        // An extra host is a failure; a second, strict header restricts it again.
        let extra = page_problems(Some(vec![
            "default-src 'none'; script-src 'self' https://o.example",
        ]));
        assert_eq!(extra.len(), 1, "{extra:?}");
        assert_eq!(
            page_problems(Some(vec!["script-src https://o.example", strict])),
            vec![]
        );
        // A directory has no headers to check.
        assert_eq!(page_problems(None), vec![]);
    }

    #[test]
    fn a_misplaced_meta_csp_is_reported_and_not_counted() {
        let strict = "default-src 'none'; script-src 'self'";
        let meta =
            |p: &str| format!("<meta http-equiv=content-security-policy content=\"{strict}\">{p}");
        // In <head> first: it restricts a lax header (all policies are enforced).
        let lax = "default-src 'none'; script-src 'self' https://o.example";
        let good = format!("<head>{}</head><body>x", meta(""));
        assert_eq!(page_problems_of(good.as_bytes(), Some(vec![lax])), vec![]);
        // The same <meta> in <body>: reported, and the lax header is then the policy.
        let body = format!("<head></head><body>{}", meta(""));
        let p = page_problems_of(body.as_bytes(), Some(vec![lax]));
        assert!(
            matches!(&p[0], PageProblem::MetaCspMisplaced { placement: MetaCspPlacement::OutsideHead, after: None, content } if content == strict),
            "{p:?}"
        );
        assert!(
            p.iter().any(
                |x| matches!(x, PageProblem::Csp { issue, .. } if issue.contains("o.example"))
            ),
            "{p:?}"
        );
        // After a <link> (a directory: no headers, only the meta could count).
        let late = format!("<head><link rel=preconnect href=/>{}</head>", meta(""));
        let p = page_problems_of(late.as_bytes(), None);
        assert_eq!(
            p[0],
            PageProblem::MetaCspMisplaced {
                placement: MetaCspPlacement::AfterElement,
                after: Some("link".into()),
                content: strict.into(),
            }
        );
        let json = serde_json::to_value(&p[0]).unwrap();
        assert_eq!(json["problem"], "meta_csp_misplaced");
        assert_eq!(json["placement"], "after_element");
    }

    #[test]
    fn resolution() {
        assert_eq!(
            resolve("app.js", "index.html", None).as_deref(),
            Some("app.js")
        );
        assert_eq!(
            resolve("./pkg/a.js?v=1#x", "index.html", None).as_deref(),
            Some("pkg/a.js")
        );
        assert_eq!(
            resolve("../b.js", "sub/page.html", None).as_deref(),
            Some("b.js")
        );
        assert_eq!(
            resolve("/c.css", "sub/page.html", None).as_deref(),
            Some("c.css")
        );
        assert_eq!(
            resolve(
                "https://evil.example/x.js",
                "index.html",
                Some("http://127.0.0.1:8080")
            ),
            None
        );
        assert_eq!(
            resolve(
                "http://127.0.0.1:8080/x.js",
                "index.html",
                Some("http://127.0.0.1:8080")
            )
            .as_deref(),
            Some("x.js")
        );
        assert_eq!(
            resolve(
                "//127.0.0.1:8080/y.js",
                "index.html",
                Some("http://127.0.0.1:8080")
            )
            .as_deref(),
            Some("y.js")
        );
        assert_eq!(
            resolve(
                "//cdn.example/y.js",
                "index.html",
                Some("http://127.0.0.1:8080")
            ),
            None
        );
        assert_eq!(
            resolve("data:text/javascript,alert(1)", "index.html", None),
            None
        );
        assert_eq!(
            resolve("sub/", "index.html", None).as_deref(),
            Some("sub/index.html")
        );
        assert_eq!(
            resolve("../../../etc/passwd", "index.html", None).as_deref(),
            Some("etc/passwd")
        );
    }
}
