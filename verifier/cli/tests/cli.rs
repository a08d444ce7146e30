//! sealpost-verify end to end: a test site served over real HTTP on
//! 127.0.0.1, manifests made and signed by the CLI, and every failure the
//! issue names provoked on purpose.
#![allow(clippy::unwrap_used)] // tests may panic on failure

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use sealpost_core::keys::{self, GenerateOptions};
use sealpost_verifier::date;
use sealpost_verifier::manifest::MAX_VALIDITY_SECS;
use sealpost_verifier::sri::{compute, Algorithm};

const STRICT_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'";

/// Now, in Unix seconds (a signed manifest's expiry is bounded from its signature's time, now).
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// `t` (Unix seconds) as `YYYY-MM-DDTHH:MM:SSZ`.
fn utc(t: u64) -> String {
    date::format(t).unwrap()
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sealpost-verify"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn sri(data: &[u8]) -> String {
    compute(Algorithm::Sha384, data).to_string()
}

/// A small site like sealpost's: a page, a module with SRI, a stylesheet,
/// a module imported by the first, and a wasm it fetches.
fn make_site(dir: &Path) {
    let lib = b"export const answer = 42;\n".to_vec();
    let wasm = b"\0asm\x01\0\0\0".to_vec();
    let app = b"import { answer } from './pkg/lib.js';\nfetch('pkg/module.wasm');\nconsole.log(answer);\n".to_vec();
    let css = b"body { color: #222; }\n".to_vec();
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("pkg/lib.js"), &lib).unwrap();
    std::fs::write(dir.join("pkg/module.wasm"), &wasm).unwrap();
    std::fs::write(dir.join("app.js"), &app).unwrap();
    std::fs::write(dir.join("style.css"), &css).unwrap();
    let html = format!(
        "<!doctype html><html><head><link rel=stylesheet href=style.css integrity=\"{}\">\
         <script type=module src=app.js integrity=\"{}\"></script></head><body>hi</body></html>\n",
        sri(&css),
        sri(&app)
    );
    std::fs::write(dir.join("index.html"), html).unwrap();
}

/// A minimal HTTP/1.1 file server on 127.0.0.1 with a settable CSP header.
struct Server {
    url: String,
    csp: Arc<Mutex<String>>,
}

fn serve(root: PathBuf) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let csp = Arc::new(Mutex::new(STRICT_CSP.to_string()));
    let csp2 = csp.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
            }
            let mut path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/')
                .to_string();
            if path.is_empty() {
                path = "index.html".into();
            }
            let file = root.join(&path);
            let (status, body) = match std::fs::read(&file) {
                Ok(b) if !path.contains("..") => ("200 OK", b),
                _ => ("404 Not Found", b"not found".to_vec()),
            };
            let csp = csp2.lock().unwrap().clone();
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Security-Policy: {csp}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    Server { url, csp }
}

struct Fixture {
    _tmp: tempfile::TempDir,
    site: PathBuf,
    manifest: PathBuf,
    cert: PathBuf,
    other_cert: PathBuf,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    make_site(&site);
    let key = keys::generate(&GenerateOptions {
        user_ids: vec!["Release <release@example.org>".into()],
        ..Default::default()
    })
    .unwrap()
    .cert;
    let other = keys::generate(&GenerateOptions {
        user_ids: vec!["Other <other@example.org>".into()],
        ..Default::default()
    })
    .unwrap()
    .cert;
    let key_path = tmp.path().join("release.key");
    let cert = tmp.path().join("release.cert");
    let other_cert = tmp.path().join("other.cert");
    std::fs::write(&key_path, keys::write_cert(&key, true, true).unwrap()).unwrap();
    std::fs::write(&cert, keys::write_cert(&key, false, true).unwrap()).unwrap();
    std::fs::write(&other_cert, keys::write_cert(&other, false, true).unwrap()).unwrap();
    let manifest = tmp.path().join("manifest.json");
    let o = run(&[
        "manifest",
        site.to_str().unwrap(),
        "--out",
        manifest.to_str().unwrap(),
        "--sign-with",
        key_path.to_str().unwrap(),
        "--app",
        "testsite",
        "--release-version",
        "1.0.0",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    Fixture {
        _tmp: tmp,
        site,
        manifest,
        cert,
        other_cert,
    }
}

fn check(f: &Fixture, target: &str) -> Output {
    run(&[
        "check",
        target,
        "--manifest",
        f.manifest.to_str().unwrap(),
        "--cert",
        f.cert.to_str().unwrap(),
    ])
}

#[test]
fn good_site_over_http_verifies() {
    let f = fixture();
    let s = serve(f.site.clone());
    let o = check(&f, &s.url);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("VERIFIED") && text(&o).contains("5/5 files match"),
        "{}",
        text(&o)
    );
    // JSON output is machine-readable and says the same.
    let o = run(&[
        "check",
        &s.url,
        "--manifest",
        f.manifest.to_str().unwrap(),
        "--cert",
        f.cert.to_str().unwrap(),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verified"], true);
    assert_eq!(v["verdict"], "VERIFIED");
    assert_eq!(v["signature_checked"], true);
    assert_eq!(v["files"].as_array().unwrap().len(), 5);
}

#[test]
fn flipped_byte_in_a_script_is_named() {
    let f = fixture();
    let mut lib = std::fs::read(f.site.join("pkg/lib.js")).unwrap();
    lib[7] ^= 0x01;
    std::fs::write(f.site.join("pkg/lib.js"), lib).unwrap();
    let s = serve(f.site.clone());
    let o = check(&f, &s.url);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("MISMATCH   pkg/lib.js"), "{}", text(&o));
}

#[test]
fn an_unlisted_script_added_to_the_page() {
    let f = fixture();
    std::fs::write(f.site.join("extra.js"), "steal()").unwrap();
    let html = std::fs::read_to_string(f.site.join("index.html")).unwrap();
    let extra_sri = sri(b"steal()");
    std::fs::write(
        f.site.join("index.html"),
        html.replace(
            "</head>",
            &format!("<script src=extra.js integrity=\"{extra_sri}\"></script></head>"),
        ),
    )
    .unwrap();
    let s = serve(f.site.clone());
    let o = check(&f, &s.url);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("UNEXPECTED extra.js"), "{t}");
    assert!(
        t.contains("loads extra.js, which the manifest does not list"),
        "{t}"
    );
    assert!(t.contains("MISMATCH   index.html"), "{t}");
}

#[test]
fn a_script_without_integrity() {
    let f = fixture();
    // Re-sign a manifest for a page whose script lacks integrity: the page
    // itself is then "genuine", and the check must still refuse it.
    let html = std::fs::read_to_string(f.site.join("index.html")).unwrap();
    let stripped = regex_free_strip_integrity(&html, "app.js");
    std::fs::write(f.site.join("index.html"), stripped).unwrap();
    let m = f.manifest.to_str().unwrap();
    let o = run(&[
        "manifest",
        f.site.to_str().unwrap(),
        "--out",
        m,
        "--release-version",
        "1.0.0",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let s = serve(f.site.clone());
    let o = run(&["check", &s.url, "--manifest", m, "--no-signature-check"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("app.js: no integrity attribute"),
        "{}",
        text(&o)
    );
}

fn regex_free_strip_integrity(html: &str, src: &str) -> String {
    let start = html.find(&format!("src={src} integrity=\"")).unwrap() + format!("src={src}").len();
    let end = html[start..].find("\"></script>").unwrap() + start + 1;
    format!("{}{}", &html[..start], &html[end..])
}

#[test]
fn an_unsafe_inline_csp() {
    let f = fixture();
    let s = serve(f.site.clone());
    *s.csp.lock().unwrap() = "script-src 'self' 'unsafe-inline'; object-src 'none'".into();
    let o = check(&f, &s.url);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("CSP script-src: allows inline code ('unsafe-inline')"),
        "{}",
        text(&o)
    );
}

#[test]
fn server_down_is_an_error_not_a_mismatch() {
    let f = fixture();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let o = check(&f, &format!("http://127.0.0.1:{port}/"));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("cannot fetch"), "{}", text(&o));
}

#[test]
fn manifest_signature_good_tampered_wrong_key() {
    let f = fixture();
    let m = f.manifest.to_str().unwrap();
    let o = run(&[
        "manifest",
        "--verify",
        m,
        "--cert",
        f.cert.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("manifest OK: testsite 1.0.0 (5 files)"),
        "{}",
        text(&o)
    );
    let o = run(&[
        "verify-manifest",
        m,
        "--cert",
        f.other_cert.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "wrong key: {}", text(&o));
    let tampered = std::fs::read_to_string(m)
        .unwrap()
        .replace("\"version\":\"1.0.0\"", "\"version\":\"1.0.1\"");
    std::fs::write(m, tampered).unwrap();
    let o = run(&["verify-manifest", m, "--cert", f.cert.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "tampered: {}", text(&o));
    // check refuses to use it as well.
    let o = check(&f, f.site.to_str().unwrap());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}

#[test]
fn directory_check_and_bad_input() {
    let f = fixture();
    let o = check(&f, f.site.to_str().unwrap());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("CSP headers not checked (directory)"),
        "{}",
        text(&o)
    );
    std::fs::write(f.site.join("style.css"), "body{}").unwrap();
    let o = check(&f, f.site.to_str().unwrap());
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("MISMATCH   style.css"), "{}", text(&o));
    // Malformed manifest: a clear error naming the place, exit 2.
    let bad = f.site.join("../bad.json");
    std::fs::write(&bad, "{\"format\": 1,").unwrap();
    let o = run(&[
        "check",
        f.site.to_str().unwrap(),
        "--manifest",
        bad.to_str().unwrap(),
        "--no-signature-check",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("line 1, column"), "{}", text(&o));
    // A path escaping the root.
    let canon = std::fs::read_to_string(&f.manifest)
        .unwrap()
        .replace("\"style.css\"", "\"../style.css\"");
    std::fs::write(&bad, canon).unwrap();
    let o = run(&[
        "check",
        f.site.to_str().unwrap(),
        "--manifest",
        bad.to_str().unwrap(),
        "--no-signature-check",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("BAD_PATH"), "{}", text(&o));
    // Usage errors.
    assert_eq!(run(&["check"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn sri_matches_an_independent_implementation() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("f.bin");
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7) as u8).collect();
    std::fs::write(&p, &data).unwrap();
    let o = run(&["sri", p.to_str().unwrap()]);
    let ours = String::from_utf8(o.stdout).unwrap();
    // sha384sum prints hex; convert to the SRI form to compare.
    let hex = Command::new("sha384sum").arg(&p).output().unwrap();
    let hex = String::from_utf8(hex.stdout).unwrap();
    let hex = hex.split_whitespace().next().unwrap();
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    use base64::Engine;
    let expected = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    );
    assert_eq!(ours.split_whitespace().next().unwrap(), expected);
}

#[test]
fn rebuild_in_a_clean_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("www")).unwrap();
    std::fs::write(src.join("www/index.html"), "<!doctype html><p>hello</p>\n").unwrap();
    // A deterministic "build": copies www/ and stamps SOURCE_DATE_EPOCH.
    std::fs::write(
        src.join("Makefile"),
        "dist:\n\tmkdir -p dist && cp www/* dist/ && echo $$SOURCE_DATE_EPOCH > dist/epoch.txt\n",
    )
    .unwrap();
    let git = |args: &[&str]| {
        assert!(Command::new("git")
            .arg("-C")
            .arg(&src)
            .args(args)
            .output()
            .unwrap()
            .status
            .success())
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "commit",
        "-qm",
        "init",
    ]);
    let dist = tmp.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::copy(src.join("www/index.html"), dist.join("index.html")).unwrap();
    std::fs::write(dist.join("epoch.txt"), "1700000000\n").unwrap();
    let m = tmp.path().join("manifest.json");
    let o = bin()
        .args([
            "manifest",
            dist.to_str().unwrap(),
            "--out",
            m.to_str().unwrap(),
            "--source",
            src.to_str().unwrap(),
            "--release-version",
            "1.0.0",
        ])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let manifest = std::fs::read_to_string(&m).unwrap();
    assert!(
        manifest.contains("\"source_date_epoch\":1700000000")
            && manifest.contains("\"source_commit\":\""),
        "{manifest}"
    );
    // Untracked junk in the source tree is not part of the published
    // source: the clean copy leaves it out, so the rebuild still matches.
    std::fs::write(src.join("www/junk.html"), "not committed").unwrap();
    let o = run(&[
        "rebuild",
        "--source",
        src.to_str().unwrap(),
        "--manifest",
        m.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).ends_with("\nREPRODUCED\n"),
        "{}",
        text(&o)
    );
    // A later commit changes nothing: the rebuild is of the commit the manifest names.
    std::fs::write(
        src.join("www/index.html"),
        "<!doctype html><p>changed</p>\n",
    )
    .unwrap();
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "commit",
        "-qam",
        "change",
    ]);
    let o = run(&[
        "rebuild",
        "--source",
        src.to_str().unwrap(),
        "--manifest",
        m.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // A release whose bytes are not the source's (one byte changed after the build) does show.
    let bad = dist.join("index.html");
    let mut bytes = std::fs::read(&bad).unwrap();
    bytes[16] ^= 1;
    std::fs::write(&bad, bytes).unwrap();
    let o = bin()
        .args([
            "manifest",
            dist.to_str().unwrap(),
            "--out",
            m.to_str().unwrap(),
            "--source",
            src.to_str().unwrap(),
            "--release-version",
            "1.0.0",
        ])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    // (the manifest names the new HEAD: rebuilt from it, index.html is "changed", not the
    // release's bytes either way)
    let o = run(&[
        "rebuild",
        "--source",
        src.to_str().unwrap(),
        "--manifest",
        m.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("MISMATCH   index.html"), "{}", text(&o));
}

#[test]
fn manifest_expiry_is_signed_reproducible_and_enforced() {
    let f = fixture();
    let tmp = tempfile::tempdir().unwrap();
    let m = tmp.path().join("m.json");
    let make = |extra: &[&str], epoch: Option<&str>| {
        let mut c = bin();
        c.args([
            "manifest",
            f.site.to_str().unwrap(),
            "--out",
            m.to_str().unwrap(),
            "--release-version",
            "1.0.0",
        ])
        .args(extra);
        match epoch {
            Some(e) => c.env("SOURCE_DATE_EPOCH", e),
            None => c.env_remove("SOURCE_DATE_EPOCH"),
        };
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", text(&o));
        std::fs::read_to_string(&m).unwrap()
    };
    // From SOURCE_DATE_EPOCH: the same bytes every time, 180 days on by default.
    let a = make(&[], Some("1700000000"));
    assert!(a.contains("\"expires\":\"2024-05-12T22:13:20Z\""), "{a}");
    assert_eq!(make(&[], Some("1700000000")), a);
    let b = make(&["--valid-days", "1"], Some("1700000000"));
    assert!(b.contains("\"expires\":\"2023-11-15T22:13:20Z\""), "{b}");
    // --expires, a day or a second (within the cap of a signed manifest: a month from now).
    let month = utc(now() + 30 * 86_400);
    let day = &month[..10];
    let c = make(&["--expires", day], None);
    assert!(
        c.contains(&format!("\"expires\":\"{day}T00:00:00Z\"")),
        "{c}"
    );
    let d = make(&["--expires", &month], None);
    assert!(d.contains(&format!("\"expires\":\"{month}\"")), "{d}");
    // Without SOURCE_DATE_EPOCH: from now, so a fresh manifest is valid.
    let now_m = make(&[], None);
    assert!(now_m.contains("\"expires\":\"20"), "{now_m}");
    // Bad input is a usage error.
    for bad in [
        &["--expires", "next year"][..],
        &["--expires", "2031-02-30"],
        &["--expires", "2031-02-03", "--valid-days", "3"],
        &["--valid-days", "-1"],
    ] {
        let o = bin()
            .args([
                "manifest",
                f.site.to_str().unwrap(),
                "--out",
                m.to_str().unwrap(),
            ])
            .args(["--release-version", "1.0.0"])
            .args(bad)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", text(&o));
    }
    let o = bin()
        .args([
            "manifest",
            f.site.to_str().unwrap(),
            "--out",
            m.to_str().unwrap(),
        ])
        .args(["--release-version", "1.0.0"])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("SOURCE_DATE_EPOCH"), "{}", text(&o));
}

#[test]
fn an_expired_manifest_is_refused_by_check_and_verify() {
    let f = fixture();
    let key = f.cert.with_file_name("release.key");
    // Ten days from now, at midnight (within the cap: signed now).
    let day = (now() / 86_400 + 10) * 86_400;
    let expires = utc(day);
    let (before, before_day, after_day) = (utc(day - 1), utc(day - 86_400), utc(day + 86_400));
    let o = run(&[
        "manifest",
        f.site.to_str().unwrap(),
        "--out",
        f.manifest.to_str().unwrap(),
        "--sign-with",
        key.to_str().unwrap(),
        "--release-version",
        "1.0.0",
        "--expires",
        &expires,
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let (m, c, site) = (
        f.manifest.to_str().unwrap(),
        f.cert.to_str().unwrap(),
        f.site.to_str().unwrap(),
    );
    let check_at = |at: &str| run(&["check", site, "--manifest", m, "--cert", c, "--at", at]);
    let verify_at = |at: &str| run(&["verify-manifest", m, "--cert", c, "--at", at]);
    for o in [check_at(&before), verify_at(&before_day[..10])] {
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    let o = verify_at(&before_day[..10]);
    assert!(
        text(&o).contains(&format!("expires {expires}")),
        "{}",
        text(&o)
    );
    for o in [check_at(&expires), verify_at(&after_day[..10])] {
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(
            text(&o).contains("RELEASE_EXPIRED")
                && text(&o).contains(&format!("expired at {expires}")),
            "{}",
            text(&o)
        );
        assert!(!String::from_utf8_lossy(&o.stdout).contains("VERIFIED"));
    }
    // A malformed --at is a usage error, not a verdict.
    assert_eq!(check_at("soon").status.code(), Some(2));
    // A manifest without "expires" (an old one) is refused with a clear error.
    let old = std::fs::read_to_string(&f.manifest)
        .unwrap()
        .replace(&format!(",\"expires\":\"{expires}\""), "");
    std::fs::write(&f.manifest, old).unwrap();
    let o = run(&[
        "check",
        site,
        "--manifest",
        m,
        "--at",
        &before_day[..10],
        "--no-signature-check",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("no \"expires\""), "{}", text(&o));
}

#[test]
fn a_signed_expiry_further_than_the_cap_is_refused_when_signing_and_when_verifying() {
    let f = fixture();
    let key = f.cert.with_file_name("release.key");
    let (site, m, c) = (
        f.site.to_str().unwrap(),
        f.manifest.to_str().unwrap(),
        f.cert.to_str().unwrap(),
    );
    let make = |expires: &str| {
        run(&[
            "manifest",
            site,
            "--out",
            m,
            "--sign-with",
            key.to_str().unwrap(),
            "--release-version",
            "1.0.0",
            "--expires",
            expires,
            "--json",
        ])
    };
    // Within the cap (400 days after the signature, made now): signed and verified.
    let near = utc(now() + MAX_VALIDITY_SECS - 86_400);
    let o = make(&near);
    assert!(o.status.success(), "{}", text(&o));
    let o = run(&["verify-manifest", m, "--cert", c]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Beyond it: not signed (nothing written), with the stable code.
    let sig = PathBuf::from(format!("{m}.sig"));
    let _ = std::fs::remove_file(&sig);
    for far in [
        utc(now() + MAX_VALIDITY_SECS + 86_400),
        "2099-01-01T00:00:00Z".to_string(),
    ] {
        let o = make(&far);
        assert_eq!(o.status.code(), Some(1), "{far}: {}", text(&o));
        let e = json_of(&o);
        assert_eq!(e["error"]["code"], "EXPIRY_TOO_FAR", "{far}: {}", text(&o));
        assert!(
            e["error"]["message"].as_str().unwrap().contains("400 days"),
            "{}",
            text(&o)
        );
        assert!(!sig.exists(), "a signature was written for {far}");
    }
}

fn json_of(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(o)))
}

fn with_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::process::Stdio;
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn check_never_says_verified_without_a_certificate() {
    let f = fixture();
    let (m, site) = (f.manifest.to_str().unwrap(), f.site.to_str().unwrap());
    // Neither --cert nor --no-signature-check: a usage error naming both.
    let o = run(&["check", site, "--manifest", m]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("--cert") && text(&o).contains("--no-signature-check"),
        "{}",
        text(&o)
    );
    // Both at once is refused too.
    let c = f.cert.to_str().unwrap();
    let o = run(&[
        "check",
        site,
        "--manifest",
        m,
        "--cert",
        c,
        "--no-signature-check",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    // Opting out: UNSIGNED (exit 0), never VERIFIED.
    let o = run(&["check", site, "--manifest", m, "--no-signature-check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.lines().last() == Some("UNSIGNED"), "{out}");
    assert!(!out.contains("VERIFIED"), "{out}");
    assert!(out.contains("signature NOT checked"), "{out}");
    let o = run(&[
        "check",
        site,
        "--manifest",
        m,
        "--no-signature-check",
        "--json",
    ]);
    let v = json_of(&o);
    assert_eq!(v["verdict"], "UNSIGNED");
    assert_eq!(v["verified"], false);
    assert_eq!(v["signature_checked"], false);
    assert_eq!(v["manifest_signed_by"], serde_json::Value::Null);
    // A mismatch is NOT VERIFIED (exit 1) either way.
    std::fs::write(f.site.join("style.css"), "body{}").unwrap();
    let o = run(&["check", site, "--manifest", m, "--no-signature-check"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).ends_with("NOT VERIFIED\n"));
}

#[test]
fn errors_are_json_under_json_with_stable_codes() {
    let f = fixture();
    let (m, c, site) = (
        f.manifest.to_str().unwrap(),
        f.cert.to_str().unwrap(),
        f.site.to_str().unwrap(),
    );
    let code = |o: &Output| json_of(o)["error"]["code"].as_str().unwrap().to_string();
    // I/O: a missing file.
    let o = run(&[
        "check",
        site,
        "--manifest",
        "/nonexistent/m.json",
        "--cert",
        c,
        "--json",
    ]);
    assert_eq!(
        (o.status.code(), code(&o).as_str()),
        (Some(2), "IO_ERROR"),
        "{}",
        text(&o)
    );
    assert!(json_of(&o)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("/nonexistent/m.json"));
    // Another key: BAD_SIGNATURE, exit 1.
    let other = f.other_cert.to_str().unwrap();
    let o = run(&["verify-manifest", m, "--cert", other, "--json"]);
    assert_eq!(
        (o.status.code(), code(&o).as_str()),
        (Some(1), "BAD_SIGNATURE"),
        "{}",
        text(&o)
    );
    // Expired: RELEASE_EXPIRED, exit 1.
    let o = run(&[
        "verify-manifest",
        m,
        "--cert",
        c,
        "--at",
        "9999-01-01",
        "--json",
    ]);
    assert_eq!(
        (o.status.code(), code(&o).as_str()),
        (Some(1), "RELEASE_EXPIRED"),
        "{}",
        text(&o)
    );
    // Not a certificate: BAD_KEY.
    let o = run(&["verify-manifest", m, "--cert", m, "--json"]);
    assert_eq!(
        (o.status.code(), code(&o).as_str()),
        (Some(2), "BAD_KEY"),
        "{}",
        text(&o)
    );
    // A malformed manifest: BAD_MANIFEST.
    let bad = f.site.join("../bad.json");
    std::fs::write(&bad, "{").unwrap();
    let o = run(&[
        "check",
        site,
        "--manifest",
        bad.to_str().unwrap(),
        "--no-signature-check",
        "--json",
    ]);
    assert_eq!(
        (o.status.code(), code(&o).as_str()),
        (Some(2), "BAD_MANIFEST"),
        "{}",
        text(&o)
    );
    // Usage errors, from clap and from us.
    let o = run(&["check", site, "--manifest", m, "--json"]);
    assert_eq!(
        (o.status.code(), code(&o).as_str()),
        (Some(2), "USAGE"),
        "{}",
        text(&o)
    );
    let o = run(&[
        "verify-manifest",
        m,
        "--cert",
        c,
        "--at",
        "tomorrow",
        "--json",
    ]);
    assert_eq!(
        (o.status.code(), code(&o).as_str()),
        (Some(2), "USAGE"),
        "{}",
        text(&o)
    );
    // A server that is down: FETCH_FAILED.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let o = run(&[
        "check",
        &format!("http://127.0.0.1:{port}/"),
        "--manifest",
        m,
        "--cert",
        c,
        "--json",
    ]);
    assert_eq!(
        (o.status.code(), code(&o).as_str()),
        (Some(2), "FETCH_FAILED"),
        "{}",
        text(&o)
    );
    // Without --json, errors stay on stderr with the code.
    let o = run(&["verify-manifest", m, "--cert", other]);
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not verified: BAD_SIGNATURE"));
}

#[test]
fn dash_reads_standard_input() {
    let f = fixture();
    let (m, c, site) = (
        f.manifest.to_str().unwrap(),
        f.cert.to_str().unwrap(),
        f.site.to_str().unwrap(),
    );
    let manifest = std::fs::read(&f.manifest).unwrap();
    let sig = format!("{m}.sig");
    // The manifest from stdin (then --signature is needed).
    let o = with_stdin(
        &["verify-manifest", "-", "--cert", c, "--signature", &sig],
        &manifest,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = with_stdin(&["verify-manifest", "-", "--cert", c], &manifest);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--signature"), "{}", text(&o));
    // The certificate from stdin.
    let o = with_stdin(
        &["verify-manifest", m, "--cert", "-"],
        &std::fs::read(&f.cert).unwrap(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // check with the manifest from stdin.
    let o = with_stdin(
        &[
            "check",
            site,
            "--manifest",
            "-",
            "--signature",
            &sig,
            "--cert",
            c,
        ],
        &manifest,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).ends_with("VERIFIED\n"));
    // sri of stdin equals sri of the file.
    let o = with_stdin(&["sri", "-"], b"alert('Hello, world.');");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO  -\n"
    );
    // Only one argument can be stdin.
    let o = with_stdin(
        &["verify-manifest", "-", "--cert", "-", "--signature", &sig],
        &manifest,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("only one argument"), "{}", text(&o));
}

#[test]
fn subcommands_help_and_required_version() {
    for sub in [
        &["sri"][..],
        &["manifest"],
        &["verify-manifest"],
        &["check"],
        &["rebuild"],
        &["cert"],
        &["cert", "refresh"],
    ] {
        let mut args = sub.to_vec();
        args.push("--help");
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{sub:?}: {}", text(&o));
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Usage:"),
            "{sub:?}"
        );
    }
    // --verify is not advertised (deprecated alias).
    let help = String::from_utf8_lossy(&run(&["manifest", "--help"]).stdout).into_owned();
    assert!(
        !help.contains("--verify") && help.contains("--release-version"),
        "{help}"
    );
    // --release-version has no silent default.
    let tmp = tempfile::tempdir().unwrap();
    make_site(tmp.path());
    let o = run(&["manifest", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--release-version"), "{}", text(&o));
    assert!(!tmp.path().join("manifest.json").exists());
}

#[test]
fn deprecated_manifest_verify_still_works() {
    let f = fixture();
    let o = run(&[
        "manifest",
        "--verify",
        f.manifest.to_str().unwrap(),
        "--cert",
        f.cert.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("deprecated"));
}

/// A site that publishes its manifest, signature and release certificate
/// at /.well-known/sealpost/, as the demo server does.
fn well_known_site(f: &Fixture, served_cert: &[u8]) -> Server {
    let wk = f.site.join(".well-known/sealpost");
    std::fs::create_dir_all(&wk).unwrap();
    std::fs::copy(&f.manifest, wk.join("manifest.json")).unwrap();
    std::fs::copy(
        format!("{}.sig", f.manifest.display()),
        wk.join("manifest.json.sig"),
    )
    .unwrap();
    std::fs::write(wk.join("release-cert.asc"), served_cert).unwrap();
    serve(f.site.clone())
}

#[test]
fn check_takes_the_manifest_from_the_well_known_path() {
    let f = fixture();
    let c = f.cert.to_str().unwrap();
    let s = well_known_site(&f, &std::fs::read(&f.cert).unwrap());
    let url = format!("{}index.html", s.url);
    let o = run(&["check", &url, "--cert", c]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).ends_with("\nVERIFIED\n"),
        "{}",
        text(&o)
    );
    // Signed by another key than the pinned one: not verified.
    let o = run(&[
        "check",
        &s.url,
        "--cert",
        f.other_cert.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(json_of(&o)["error"]["code"], "CERT_MISMATCH");
    // Without the signature served: not verified, never UNSIGNED by accident.
    std::fs::remove_file(f.site.join(".well-known/sealpost/manifest.json.sig")).unwrap();
    let o = run(&["check", &s.url, "--cert", c, "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(json_of(&o)["error"]["code"], "BAD_SIGNATURE");
    let o = run(&["check", &s.url, "--no-signature-check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).ends_with("\nUNSIGNED\n"));
    // A directory target needs --manifest.
    let o = run(&["check", f.site.to_str().unwrap(), "--cert", c]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn a_revoked_release_key_served_by_the_site_ends_the_check() {
    let f = fixture();
    let key =
        keys::read_cert(&std::fs::read(f.cert.with_file_name("release.key")).unwrap()).unwrap();
    let revoked = keys::revoke(
        &key,
        keys::RevocationReason::Compromised,
        "signing host broken into",
        &[],
        &sealpost_core::Policy::new(),
    )
    .unwrap();
    let revoked = keys::write_cert(&revoked, false, true).unwrap();
    let s = well_known_site(&f, &revoked);
    let o = run(&[
        "check",
        &s.url,
        "--cert",
        f.cert.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let e = &json_of(&o)["error"];
    assert_eq!(e["code"], "CERT_REVOKED");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("compromised: signing host broken into"));
    // cert refresh says the same, and writes the merged certificate.
    let tmp = tempfile::tempdir().unwrap();
    let (fetched, out) = (
        tmp.path().join("fetched.asc"),
        tmp.path().join("merged.asc"),
    );
    std::fs::write(&fetched, &revoked).unwrap();
    let o = run(&[
        "cert",
        "refresh",
        "--pinned",
        f.cert.to_str().unwrap(),
        "--fetched",
        fetched.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v = json_of(&o);
    assert_eq!(
        (v["revoked"].as_bool(), v["changed"].as_bool()),
        (Some(true), Some(true))
    );
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("BEGIN PGP PUBLIC KEY BLOCK"));
    let o = run(&[
        "cert",
        "refresh",
        "--pinned",
        f.cert.to_str().unwrap(),
        "--fetched",
        f.cert.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("unchanged") && text(&o).contains("not revoked"),
        "{}",
        text(&o)
    );
    let o = run(&[
        "cert",
        "refresh",
        "--pinned",
        f.cert.to_str().unwrap(),
        "--fetched",
        f.other_cert.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(json_of(&o)["error"]["code"], "CERT_MISMATCH");
}
