//! What a page makes the browser load or run.
//!
//! Tokenizes HTML with a WHATWG-conformant tokenizer (html5gum) and lists
//! external resources (with their `integrity`), inline code (hashed as CSP
//! hashes it: SHA-256 of the UTF-8 text), import maps and `<meta>` CSPs.
//! It is a tokenizer, not a full tree builder: the rare documents whose
//! tokenization depends on tree construction (e.g. `<script>` inside SVG
//! foreign content) may be read differently from a browser.  The manifest
//! check does not depend on this list being complete: every served byte
//! must be listed in the manifest anyway.

use std::collections::BTreeMap;

use html5gum::{DefaultEmitter, Token, Tokenizer};
use serde::Serialize;

use crate::sri::{compute, Algorithm};

/// Kinds of external resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    /// `<script src>` (classic).
    Script,
    /// `<script type=module src>`.
    ModuleScript,
    /// `<link rel=stylesheet>`.
    Stylesheet,
    /// `<link rel=modulepreload>`.
    ModulePreload,
    /// `<link rel=preload>` (with its `as`).
    Preload,
    /// `<link rel=icon>` and friends.
    Icon,
    /// `<iframe src>`, `<frame src>`, `<object data>`, `<embed src>`.
    Frame,
    /// `<img src>`, media and other passive content.
    Passive,
    /// A URL found in a script: `new Worker(…)`, `import(…)`, a `.wasm` URL.
    ReferencedByScript,
}

impl ResourceKind {
    /// Whether the browser runs it as code or applies it as style: such
    /// resources must carry `integrity` (or be covered by the manifest and a
    /// strict CSP, for those HTML cannot give an integrity attribute).
    pub fn is_active(self) -> bool {
        matches!(
            self,
            ResourceKind::Script
                | ResourceKind::ModuleScript
                | ResourceKind::Stylesheet
                | ResourceKind::ModulePreload
                | ResourceKind::Preload
        )
    }
}

/// An external resource a page references.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Resource {
    /// What it is.
    pub kind: ResourceKind,
    /// The URL as written.
    pub url: String,
    /// The `integrity` attribute, if any.
    pub integrity: Option<String>,
}

/// Kinds of inline code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InlineKind {
    /// `<script>` with a body.
    Script,
    /// `<script type=importmap>`.
    ImportMap,
    /// `<style>` with a body.
    Style,
    /// An `on…=` event handler attribute.
    EventHandler,
    /// A `javascript:` URL.
    JavascriptUrl,
    /// A `style=` attribute.
    StyleAttribute,
}

/// Inline code in the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Inline {
    /// What it is.
    pub kind: InlineKind,
    /// Its CSP hash source, `'sha256-…'` without quotes.
    pub csp_hash: String,
    /// Its length in bytes.
    pub len: usize,
}

/// Why a `<meta http-equiv=Content-Security-Policy>` is not the
/// document's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetaCspPlacement {
    /// Not a child of `<head>` (HTML ignores it there altogether).
    OutsideHead,
    /// After a `<script>`, `<link>`, `<style>` or `<base>`: it applies
    /// only to what follows it, so that element was not under it.
    AfterElement,
    /// Inside `<noscript>`, `<template>`, `<noframes>`, `<noembed>`,
    /// `<xmp>` or `<iframe>`, where it is text or inert content, never the
    /// document's policy.
    Inert,
}

/// A `<meta>` CSP that does not count as the document's policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MisplacedMetaCsp {
    /// The `content` value.
    pub content: String,
    /// Why it does not count.
    pub placement: MetaCspPlacement,
    /// The element it comes after (for [`MetaCspPlacement::AfterElement`]).
    pub after: Option<String>,
}

/// Everything found in a page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Page {
    /// External resources, in document order.
    pub resources: Vec<Resource>,
    /// Inline code, in document order.
    pub inline: Vec<Inline>,
    /// `<meta http-equiv=Content-Security-Policy content=…>` values that
    /// are the document's policy: in `<head>`, before any `<script>`,
    /// `<link>`, `<style>` or `<base>`, and not inside `<noscript>` or
    /// `<template>`.  A `<meta>` CSP applies only to what comes after it.
    pub meta_csp: Vec<String>,
    /// `<meta>` CSPs found anywhere else: not counted as the policy.
    pub misplaced_meta_csp: Vec<MisplacedMetaCsp>,
    /// `<base href>`, if any (it changes how every relative URL resolves).
    pub base_href: Option<String>,
    /// Import map entries: specifier → URL, and URL → integrity.
    pub import_map: BTreeMap<String, String>,
    /// Integrity given in an import map's `integrity` section.
    pub import_map_integrity: BTreeMap<String, String>,
}

fn attr(tag: &html5gum::StartTag<()>, name: &str) -> Option<String> {
    tag.attributes
        .get(name.as_bytes())
        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
}

fn csp_hash(text: &[u8]) -> String {
    compute(Algorithm::Sha256, text).to_string()
}

/// Where the tokenizer is, as far as `<meta>` CSP placement goes: the
/// HTML tree builder's "in head" (also "initial" / "before head") and
/// "after head" modes, where a `<meta>` still lands in `<head>`, or past
/// them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Head,
    AfterHead,
    Body,
}

/// Start tags the tree builder keeps in `<head>` (HTML §13.2.6.4.4).
fn head_element(name: &str) -> bool {
    matches!(
        name,
        "html"
            | "head"
            | "base"
            | "basefont"
            | "bgsound"
            | "link"
            | "meta"
            | "title"
            | "noscript"
            | "noframes"
            | "style"
            | "script"
            | "template"
    )
}

/// Elements whose content is never the document's markup as far as a
/// `<meta>` CSP goes: raw text to the browser (`noframes`, `noembed`,
/// `xmp`, `iframe`, and `noscript` with scripting on) or inert
/// (`template`).  html5gum 0.9 switches to raw text for most of them but
/// misspells `noframes`, so a tag inside it would otherwise look real.
const INERT: &[&str] = &[
    "noscript", "template", "noframes", "noembed", "xmp", "iframe",
];

/// Lists what `html` makes a browser load or run.
pub fn discover(html: &[u8]) -> Page {
    let mut page = Page::default();
    let mut emitter = DefaultEmitter::default();
    // Switches into script-data / rawtext states after <script>, <style>
    // etc., which a tree builder would do.
    emitter.naively_switch_states(true);
    // Open <script>/<style>: its kind, type and whether it has a src.
    let mut open: Option<(String, Option<String>, bool)> = None;
    let mut body: Vec<u8> = Vec::new();
    // For <meta> CSP placement: the phase, the first element that loads
    // or changes URLs, open <noscript>/<template> and <title>.
    let mut phase = Phase::Head;
    let mut first_loader: Option<String> = None;
    let mut inert_depth = 0usize;
    let mut in_title = false;

    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match &token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if inert_depth == 0 {
                    // In "after head", the head elements (not <noscript>)
                    // are put back into <head>; anything else starts the body.
                    let stays = match phase {
                        Phase::Head => head_element(&name),
                        Phase::AfterHead => head_element(&name) && name != "noscript",
                        Phase::Body => true,
                    };
                    if !stays {
                        phase = Phase::Body;
                    }
                }
                if name == "meta" {
                    // Compared as the browser does: ASCII case-insensitive, not trimmed.
                    let equiv = attr(tag, "http-equiv").map(|s| s.to_ascii_lowercase());
                    if equiv.as_deref() == Some("content-security-policy") {
                        if let Some(content) = attr(tag, "content") {
                            let misplaced = |placement, after| MisplacedMetaCsp {
                                content: content.clone(),
                                placement,
                                after,
                            };
                            if inert_depth > 0 {
                                page.misplaced_meta_csp
                                    .push(misplaced(MetaCspPlacement::Inert, None));
                            } else if phase == Phase::Body {
                                page.misplaced_meta_csp
                                    .push(misplaced(MetaCspPlacement::OutsideHead, None));
                            } else if let Some(el) = &first_loader {
                                page.misplaced_meta_csp.push(misplaced(
                                    MetaCspPlacement::AfterElement,
                                    Some(el.clone()),
                                ));
                            } else {
                                page.meta_csp.push(content);
                            }
                        }
                    }
                }
                if matches!(name.as_str(), "script" | "link" | "style" | "base")
                    && first_loader.is_none()
                {
                    first_loader = Some(name.clone());
                }
                match name.as_str() {
                    n if INERT.contains(&n) && !tag.self_closing => inert_depth += 1,
                    "title" if !tag.self_closing => in_title = true,
                    _ => {}
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                match name.as_str() {
                    n if INERT.contains(&n) => inert_depth = inert_depth.saturating_sub(1),
                    "title" => in_title = false,
                    "head" if inert_depth == 0 && phase == Phase::Head => phase = Phase::AfterHead,
                    "body" | "html" | "br" if inert_depth == 0 => phase = Phase::Body,
                    _ => {}
                }
            }
            Token::String(s)
                if inert_depth == 0
                    && !in_title
                    && open.is_none()
                    && !s.value.iter().all(|b| b.is_ascii_whitespace()) =>
            {
                phase = Phase::Body;
            }
            _ => {}
        }
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                attributes(&tag, &mut page);
                match name.as_str() {
                    "script" => {
                        let ty = attr(&tag, "type").map(|t| t.trim().to_ascii_lowercase());
                        let src = attr(&tag, "src");
                        if let Some(src) = &src {
                            let kind = if ty.as_deref() == Some("module") {
                                ResourceKind::ModuleScript
                            } else {
                                ResourceKind::Script
                            };
                            page.resources.push(Resource {
                                kind,
                                url: src.clone(),
                                integrity: attr(&tag, "integrity"),
                            });
                        }
                        open = Some(("script".into(), ty, src.is_some()));
                        body.clear();
                    }
                    "style" => {
                        open = Some(("style".into(), None, false));
                        body.clear();
                    }
                    "link" => link(&tag, &mut page),
                    // Only the first <base> counts (HTML §4.2.3).
                    "base" if page.base_href.is_none() => page.base_href = attr(&tag, "href"),
                    "iframe" | "frame" | "embed" => {
                        push_passive(&tag, "src", ResourceKind::Frame, &mut page)
                    }
                    "object" => push_passive(&tag, "data", ResourceKind::Frame, &mut page),
                    "img" | "audio" | "video" | "source" | "track" | "input" => {
                        push_passive(&tag, "src", ResourceKind::Passive, &mut page)
                    }
                    _ => {}
                }
            }
            Token::String(s) if open.is_some() => body.extend_from_slice(&s.value),
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if let Some((kind, ty, has_src)) = open.take() {
                    if kind != name {
                        open = Some((kind, ty, has_src));
                        continue;
                    }
                    close(&kind, ty.as_deref(), has_src, &body, &mut page);
                }
            }
            _ => {}
        }
    }
    // An unterminated <script> still runs in a browser: count its body.
    if let Some((kind, ty, has_src)) = open {
        close(&kind, ty.as_deref(), has_src, &body, &mut page);
    }
    page
}

fn close(kind: &str, ty: Option<&str>, has_src: bool, body: &[u8], page: &mut Page) {
    if kind == "style" {
        if !body.is_empty() {
            page.inline.push(Inline {
                kind: InlineKind::Style,
                csp_hash: csp_hash(body),
                len: body.len(),
            });
        }
        return;
    }
    if ty == Some("importmap") {
        page.inline.push(Inline {
            kind: InlineKind::ImportMap,
            csp_hash: csp_hash(body),
            len: body.len(),
        });
        import_map(body, page);
        return;
    }
    // A script with src ignores its body; data blocks (unknown types) do not run.
    let runs = matches!(
        ty,
        None | Some("") | Some("module") | Some("text/javascript") | Some("application/javascript")
    );
    if !has_src && runs && !body.iter().all(|b| b.is_ascii_whitespace()) {
        page.inline.push(Inline {
            kind: InlineKind::Script,
            csp_hash: csp_hash(body),
            len: body.len(),
        });
    }
}

fn push_passive(
    tag: &html5gum::StartTag<()>,
    attr_name: &str,
    kind: ResourceKind,
    page: &mut Page,
) {
    if let Some(url) = attr(tag, attr_name) {
        page.resources.push(Resource {
            kind,
            url,
            integrity: None,
        });
    }
}

fn link(tag: &html5gum::StartTag<()>, page: &mut Page) {
    let Some(href) = attr(tag, "href") else {
        return;
    };
    let rels = attr(tag, "rel").unwrap_or_default().to_ascii_lowercase();
    for rel in rels.split_ascii_whitespace() {
        let kind = match rel {
            "stylesheet" => ResourceKind::Stylesheet,
            "modulepreload" => ResourceKind::ModulePreload,
            "preload" => ResourceKind::Preload,
            "icon" | "apple-touch-icon" | "manifest" => ResourceKind::Icon,
            _ => continue,
        };
        page.resources.push(Resource {
            kind,
            url: href.clone(),
            integrity: attr(tag, "integrity"),
        });
        break;
    }
}

/// Inline code carried by attributes: event handlers, `javascript:` URLs,
/// `style=`.
fn attributes(tag: &html5gum::StartTag<()>, page: &mut Page) {
    for (name, value) in &tag.attributes {
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        let v: &[u8] = &value.value;
        if name.starts_with("on") && name.len() > 2 {
            page.inline.push(Inline {
                kind: InlineKind::EventHandler,
                csp_hash: csp_hash(v),
                len: v.len(),
            });
        } else if matches!(
            name.as_str(),
            "href" | "src" | "action" | "formaction" | "data"
        ) {
            let trimmed: String = String::from_utf8_lossy(v)
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                .collect();
            if trimmed.to_ascii_lowercase().starts_with("javascript:") {
                page.inline.push(Inline {
                    kind: InlineKind::JavascriptUrl,
                    csp_hash: csp_hash(v),
                    len: v.len(),
                });
            }
        } else if name == "style" {
            page.inline.push(Inline {
                kind: InlineKind::StyleAttribute,
                csp_hash: csp_hash(v),
                len: v.len(),
            });
        }
    }
}

fn import_map(body: &[u8], page: &mut Page) {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    if let Some(imports) = v.get("imports").and_then(|i| i.as_object()) {
        for (k, url) in imports {
            if let Some(u) = url.as_str() {
                page.import_map.insert(k.clone(), u.to_string());
                page.resources.push(Resource {
                    kind: ResourceKind::ModuleScript,
                    url: u.to_string(),
                    integrity: None,
                });
            }
        }
    }
    if let Some(integrity) = v.get("integrity").and_then(|i| i.as_object()) {
        for (url, i) in integrity {
            if let Some(i) = i.as_str() {
                page.import_map_integrity.insert(url.clone(), i.to_string());
            }
        }
    }
    // Resources named in the import map take the map's integrity.
    for r in page.resources.iter_mut().filter(|r| r.integrity.is_none()) {
        if let Some(i) = page.import_map_integrity.get(&r.url) {
            r.integrity = Some(i.clone());
        }
    }
}

/// URLs a script refers to that the browser will fetch as code: string
/// literals passed to `new Worker(…)`, `new SharedWorker(…)`, `import(…)`,
/// `import … from`, `new URL(…, import.meta.url)`, and any literal ending
/// in `.wasm`.  A heuristic (it does not run the script); its job is to
/// make such files visible in reports, while the manifest still has to list
/// every served file.
pub fn script_references(js: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(js);
    let mut out: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let q = bytes[i];
        if q == b'\'' || q == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes[j] != q && bytes[j] != b'\n' {
                if bytes[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            if j >= bytes.len() || bytes[j] != q {
                i = start;
                continue;
            }
            let lit = &text[start..j];
            let before = text[..i].trim_end();
            let code_context = [
                "new Worker(",
                "new SharedWorker(",
                "import(",
                "from",
                "import",
                "new URL(",
            ]
            .iter()
            .any(|c| before.ends_with(c));
            let looks_like_path = !lit.is_empty()
                && lit.len() < 300
                && !lit.contains(char::is_whitespace)
                && (lit.ends_with(".js")
                    || lit.ends_with(".mjs")
                    || lit.ends_with(".wasm")
                    || lit.ends_with(".css"));
            if looks_like_path
                && (code_context || lit.ends_with(".wasm"))
                && !out.iter().any(|o| o == lit)
            {
                out.push(lit.to_string());
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="script-src 'self'">
<link rel="stylesheet" href="style.css" integrity="sha384-abc">
<link rel="modulepreload" href="pkg/a.js" integrity="sha384-def">
<link rel=icon href=favicon.svg>
<script type="module" src="app.js" integrity="sha384-ghi"></script>
<script src="classic.js"></script>
<script>alert('Hello, world.');</script>
<script type="application/json">{"data": true}</script>
<script type="importmap">{"imports": {"x": "./x.js"}, "integrity": {"./x.js": "sha384-xyz"}}</script>
<style>body{color:red}</style>
</head><body onload="go()"><a href=" javascript:alert(1)">x</a><img src="i.png"><iframe src="f.html"></iframe></body></html>"#;

    #[test]
    fn finds_everything_a_page_loads_or_runs() {
        let p = discover(PAGE.as_bytes());
        let urls: Vec<(&str, ResourceKind, Option<&str>)> = p
            .resources
            .iter()
            .map(|r| (r.url.as_str(), r.kind, r.integrity.as_deref()))
            .collect();
        assert_eq!(
            urls,
            vec![
                ("style.css", ResourceKind::Stylesheet, Some("sha384-abc")),
                ("pkg/a.js", ResourceKind::ModulePreload, Some("sha384-def")),
                ("favicon.svg", ResourceKind::Icon, None),
                ("app.js", ResourceKind::ModuleScript, Some("sha384-ghi")),
                ("classic.js", ResourceKind::Script, None),
                ("./x.js", ResourceKind::ModuleScript, Some("sha384-xyz")),
                ("i.png", ResourceKind::Passive, None),
                ("f.html", ResourceKind::Frame, None),
            ]
        );
        let kinds: Vec<InlineKind> = p.inline.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            vec![
                InlineKind::Script,
                InlineKind::ImportMap,
                InlineKind::Style,
                InlineKind::EventHandler,
                InlineKind::JavascriptUrl
            ]
        );
        // CSP hashes the script text exactly: the SRI spec's example string.
        assert_eq!(
            p.inline[0].csp_hash,
            crate::sri::compute(crate::sri::Algorithm::Sha256, b"alert('Hello, world.');")
                .to_string()
        );
        assert_eq!(p.meta_csp, vec!["script-src 'self'".to_string()]);
    }

    fn placement(html: &str) -> (Vec<String>, Vec<(MetaCspPlacement, Option<String>)>) {
        let p = discover(html.as_bytes());
        (
            p.meta_csp,
            p.misplaced_meta_csp
                .into_iter()
                .map(|m| (m.placement, m.after))
                .collect(),
        )
    }

    #[test]
    fn a_meta_csp_counts_only_where_it_applies() {
        use MetaCspPlacement::*;
        const M: &str = "<meta http-equiv=Content-Security-Policy content=\"script-src 'none'\">";
        let counted = |html: &str| {
            let (good, bad) = placement(html);
            assert!(bad.is_empty(), "{html}: {bad:?}");
            assert_eq!(good.len(), 1, "{html}");
        };
        let misplaced = |html: &str, want: (MetaCspPlacement, Option<&str>)| {
            let (good, bad) = placement(html);
            assert!(good.is_empty(), "{html}: counted {good:?}");
            assert_eq!(bad, vec![(want.0, want.1.map(String::from))], "{html}");
        };
        // First thing in <head>, also with implied <html>/<head>, after
        // <meta charset>, <title> (with text) and comments, or after </head>
        // (the tree builder moves it back into <head>).
        counted(&format!(
            "<!doctype html><html><head>{M}<script src=a.js></script>"
        ));
        counted(&format!("{M}<p>x"));
        counted(&format!(
            "<!doctype html>\n<html lang=en>\n <head>\n  <meta charset=utf-8><title>Mail <b></title><!-- x -->\n  {M}"
        ));
        counted(&format!("<html><head><title>t</title></head>\n{M}<body>"));
        counted("<head><META HTTP-EQUIV=\"Content-Security-POLICY\" CONTENT=\"default-src 'none'\"></head>");
        // An http-equiv with spaces is no CSP to a browser, nor to us.
        let (good, bad) =
            placement("<head><meta http-equiv=\" content-security-policy \" content=\"x\">");
        assert!(good.is_empty() && bad.is_empty());
        // After an element it cannot cover.
        for el in [
            "<script src=a.js></script>",
            "<script>1</script>",
            "<link rel=stylesheet href=s.css>",
            "<link rel=icon href=i.svg>",
            "<style>p{}</style>",
            "<base href=/x/>",
        ] {
            let name = el[1..].split([' ', '>']).next().unwrap();
            misplaced(&format!("<head>{el}{M}</head>"), (AfterElement, Some(name)));
        }
        // Outside <head>: in <body>, after text or a body element, after
        // </head> once the body started, or in <svg>.
        misplaced(&format!("<head></head><body>{M}"), (OutsideHead, None));
        misplaced(&format!("<html>hello {M}"), (OutsideHead, None));
        misplaced(&format!("<head><div></div>{M}"), (OutsideHead, None));
        misplaced(&format!("<head></head><p>x</p>{M}"), (OutsideHead, None));
        misplaced(
            &format!("<head></head><body></body>{M}"),
            (OutsideHead, None),
        );
        misplaced(&format!("<svg>{M}</svg>"), (OutsideHead, None));
        misplaced(
            &format!("<head></head><noscript></noscript>{M}"),
            (OutsideHead, None),
        );
        // Inside <noscript> or <template>: text or inert, never the policy.
        // (html5gum reads <noscript> as raw text, as a browser with
        // scripting does: the <meta> is not even seen.)
        let (good, bad) = placement(&format!("<head><noscript>{M}</noscript>"));
        assert!(
            good.is_empty() && bad.iter().all(|b| b.0 == Inert),
            "{bad:?}"
        );
        misplaced(&format!("<head><template>{M}</template>"), (Inert, None));
        misplaced(
            &format!("<head><template><template></template>{M}</template>"),
            (Inert, None),
        );
        // Raw text to Chromium: a <meta> inside is never counted (html5gum
        // 0.9 tokenizes <noframes> content as tags: it misspells the name).
        for el in ["noframes", "noembed", "xmp", "iframe", "NOFRAMES"] {
            let html = format!("<head><{el}>{M}</{el}></head>");
            let (good, bad) = placement(&html);
            assert!(good.is_empty(), "{html}: counted {good:?}");
            assert!(bad.iter().all(|b| b.0 == Inert), "{html}: {bad:?}");
        }
        misplaced(&format!("<head><noframes>{M}</noframes>"), (Inert, None));
        // …and what follows them is placed normally again.
        counted(&format!("<head><noscript><p>x</p></noscript>{M}"));
        counted(&format!("<head><noframes>x</noframes>{M}"));
        // A script's text is not a <meta>.
        let (good, bad) = placement(&format!("<head><script>'{M}'</script>"));
        assert!(good.is_empty() && bad.is_empty());
        // Several: each judged on its own.
        let (good, bad) = placement(&format!(
            "<head>{M}{M}<script src=a.js></script>{M}</head><body>{M}"
        ));
        assert_eq!(good.len(), 2);
        assert_eq!(
            bad,
            vec![(AfterElement, Some("script".into())), (OutsideHead, None)]
        );
    }

    #[test]
    fn script_text_is_not_parsed_as_tags() {
        let p = discover(b"<script>document.write('<script src=evil.js></' + 'script>')</script>");
        assert!(p.resources.is_empty(), "{:?}", p.resources);
        assert_eq!(p.inline.len(), 1);
    }

    #[test]
    fn unterminated_script_counts() {
        let p = discover(b"<p>hi<script>steal()");
        assert_eq!(p.inline.len(), 1);
    }

    #[test]
    fn script_references_find_workers_imports_and_wasm() {
        let js = br#"import init from './pkg/a.js'; const w = new Worker(new URL('./worker.js', import.meta.url));
            const m = await import("./lazy.mjs"); fetch('pkg/sealpost_bg.wasm'); const s = 'not a path.js maybe'; x = "other.js";"#;
        assert_eq!(
            script_references(js),
            vec![
                "./pkg/a.js",
                "./worker.js",
                "./lazy.mjs",
                "pkg/sealpost_bg.wasm"
            ]
        );
    }

    #[test]
    fn never_panics_on_junk() {
        for seed in 0..300u32 {
            let junk: Vec<u8> = (0..(seed * 7 % 500))
                .map(|i| (i.wrapping_mul(seed).wrapping_add(seed) % 256) as u8)
                .collect();
            let _ = discover(&junk);
            let _ = script_references(&junk);
        }
        let _ = discover(b"<script type=importmap>{not json</script><link rel=stylesheet><meta http-equiv=content-security-policy>");
    }
}
