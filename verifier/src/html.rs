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

/// Everything found in a page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Page {
    /// External resources, in document order.
    pub resources: Vec<Resource>,
    /// Inline code, in document order.
    pub inline: Vec<Inline>,
    /// `<meta http-equiv=Content-Security-Policy content=…>` values.
    pub meta_csp: Vec<String>,
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

    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
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
                    "meta" => {
                        let equiv = attr(&tag, "http-equiv").map(|s| s.to_ascii_lowercase());
                        if equiv.as_deref() == Some("content-security-policy") {
                            if let Some(c) = attr(&tag, "content") {
                                page.meta_csp.push(c);
                            }
                        }
                    }
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
