//! sealpost-demo: the demo webmail's server (the release bundle, strict headers, a mailbox).
//! Never sees a key and never decrypts: it stores and returns what the browser encrypted.
//!
//! It serves the release bundle (`dist/`) with the headers sealpost needs —
//! a strict CSP without inline script or eval, the wasm MIME type,
//! cross-origin isolation, nosniff, no referrer — and a tiny mailbox API
//! that stores and returns bytes in SQLite.  The signed release manifest is
//! served at `/.well-known/sealpost/manifest.json` (and `.sig`) for the
//! verifier and the extension, and the release signing certificate
//! (`--release-cert`) at `/.well-known/sealpost/release-cert.asc` for the
//! extension's first enrollment (trust on first use).
//!
//! Mail lives in SQLite by default, or on a real IMAP + SMTP server
//! (`--imap`, `--smtp`; see [`mail`]).  Every request's `Host` and `Origin`
//! are checked ([`origin`]): a DNS-rebinding page cannot read mailboxes.

mod mail;
mod origin;
mod wkd;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use clap::Parser;
use mail::{Account, Folder, MailError, Mailbox as _, MAX_MESSAGE};
use serde::{Deserialize, Serialize};

/// The Content-Security-Policy of every response.  `frame-src 'self'`
/// admits only the sandboxed `srcdoc` frame that shows HTML mail; it
/// inherits this policy, so it can load nothing remote and run nothing.
pub const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src blob:; \
frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The Integrity-Policy of every response: the browser refuses any script
/// fetched without integrity metadata (a user without the guard gets this too).
pub const INTEGRITY_POLICY: &str = "blocked-destinations=(script)";

const MAX_RECIPIENTS: usize = 50;

/// At most this many message bodies in the server's memory at once (sends
/// and fetches, each at most [`MAX_MESSAGE`]): memory stays bounded however
/// many large requests come in.  The others wait their turn.
const BODIES_IN_FLIGHT: usize = 2;

#[derive(Parser, Debug)]
#[command(
    name = "sealpost-demo",
    version,
    about = "Serve the sealpost demo webmail: the release bundle with strict headers, and a mailbox that stores only ciphertext"
)]
struct Args {
    /// The built site (make dist).
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// The SQLite database file (created if missing).
    #[arg(long, default_value = "build/demo-mail.sqlite")]
    db: PathBuf,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The release signing certificate (public key) to publish at
    /// `/.well-known/sealpost/release-cert.asc`.
    #[arg(long)]
    release_cert: Option<PathBuf>,
    /// A release transparency log directory (C2SP tlog-tiles, from `sealpost-verify log
    /// append`) to publish at `/.well-known/sealpost/log/` (`checkpoint`, `tile/…`).
    #[arg(long)]
    log: Option<PathBuf>,
    /// Keep mail on an IMAP server instead of SQLite (`imap://127.0.0.1:1143`,
    /// `imaps://mail.example.org`); needs --smtp.  Users log in with their mail password.
    #[arg(long, requires = "smtp")]
    imap: Option<String>,
    /// The SMTP submission server for --imap (`smtp://127.0.0.1:1587`,
    /// `smtp://host:587?tls=required`, `smtps://host`).
    #[arg(long, requires = "imap")]
    smtp: Option<String>,
    /// A PEM file of CA certificates trusted for the mail servers' TLS
    /// (besides the Mozilla roots): a local or company CA.
    #[arg(long, requires = "imap")]
    ca: Option<PathBuf>,
    /// A directory for what should survive a restart: the WKD keys users
    /// published (public keys only) and the outbox ids already sent.
    /// Sessions are never written (they hold mail passwords): after a
    /// restart users log in again.
    #[arg(long)]
    state: Option<PathBuf>,
    /// Another `Host` this server answers to besides 127.0.0.1/localhost/[::1] at
    /// its port (a name in front of it: `mail.example.org` or `name:port`).
    #[arg(long)]
    public_host: Vec<String>,
}

struct App {
    dist: PathBuf,
    release_cert: Option<Vec<u8>>,
    log: Option<PathBuf>,
    mail: mail::Backend,
    sessions: mail::Sessions,
    allowed: origin::Allowed,
    wkd: wkd::Directory,
    sends: SendLog,
    bodies: tokio::sync::Semaphore,
}

/// Outbox ids (the page's id for one encrypted message) already handed to
/// the mail system, or being handed now, per sender: a page that sends
/// again a message whose answer it never got (a lost connection, a second
/// tab with the same outbox) does not send it twice.  The newest
/// [`SendLog::MAX`] ids, in memory and with `--state DIR` also in
/// `DIR/sent-ids` (read back at start: a restart forgets no sent id).
#[derive(Default)]
struct SendLog {
    inner: Mutex<SendIds>,
    file: Option<PathBuf>,
}

/// (sender, outbox id).
type SendKey = (String, String);

/// Each id: sent (true) or being sent (false); and the ids oldest first.
type SendIds = (HashMap<SendKey, bool>, VecDeque<SendKey>);

enum SendStart {
    /// Not seen: send it (and call `finish`).
    New,
    /// Sent before: answer as sent, send nothing.
    Done,
}

impl SendLog {
    const MAX: usize = 10_000;

    /// The log kept in `dir/sent-ids` (one `sender<TAB>id` line per sent
    /// message), with the newest [`SendLog::MAX`] lines of an earlier run.
    fn persistent(dir: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("--state {}: {e}", dir.display()))?;
        let file = dir.join("sent-ids");
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("{}: {e}", file.display())),
        };
        let lines: Vec<&str> = text.lines().filter(|l| l.contains('\t')).collect();
        let newest = &lines[lines.len().saturating_sub(Self::MAX)..];
        let (mut map, mut order) = (HashMap::new(), VecDeque::new());
        for line in newest {
            if let Some((who, id)) = line.split_once('\t') {
                let key = (who.to_owned(), id.to_owned());
                if map.insert(key.clone(), true).is_none() {
                    order.push_back(key);
                }
            }
        }
        // Written back without the older lines, so the file stays bounded.
        let mut compact = newest.join("\n");
        if !compact.is_empty() {
            compact.push('\n');
        }
        std::fs::write(&file, compact).map_err(|e| format!("{}: {e}", file.display()))?;
        Ok(SendLog {
            inner: Mutex::new((map, order)),
            file: Some(file),
        })
    }

    /// An id the log can keep: what the page makes (a UUID), nothing that
    /// could break a line of the file.
    fn valid_id(id: &str) -> bool {
        (1..=64).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    }

    fn begin(&self, key: &SendKey) -> Result<SendStart, MailError> {
        let mut g = self.inner.lock().map_err(|_| MailError::Store)?;
        let (map, order) = &mut *g;
        match map.get(key) {
            Some(true) => Ok(SendStart::Done),
            Some(false) => Err(MailError::InProgress),
            None => {
                map.insert(key.clone(), false);
                order.push_back(key.clone());
                while order.len() > Self::MAX {
                    if let Some(old) = order.pop_front() {
                        map.remove(&old);
                    }
                }
                Ok(SendStart::New)
            }
        }
    }

    fn finish(&self, key: &SendKey, sent: bool) {
        if let Ok(mut g) = self.inner.lock() {
            let (map, order) = &mut *g;
            if sent {
                map.insert(key.clone(), true);
                if let Some(file) = &self.file {
                    use std::io::Write as _;
                    // Best effort: the message went out either way.
                    let _ = std::fs::OpenOptions::new()
                        .append(true)
                        .create(true)
                        .open(file)
                        .and_then(|mut f| writeln!(f, "{}\t{}", key.0, key.1));
                }
            } else {
                map.remove(key);
                order.retain(|k| k != key);
            }
        }
    }
}

type Shared = Arc<App>;

#[derive(Deserialize)]
struct Send {
    to: Vec<String>,
    /// The RFC 5322 message, base64.
    message: String,
    /// The page's outbox id for this message: sending it again is answered
    /// as sent, without a second copy.
    #[serde(default)]
    id: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Sent {
    #[serde(flatten)]
    delivered: mail::Delivered,
    /// True when this outbox id had been sent before: nothing was sent now.
    duplicate: bool,
}

#[derive(Deserialize)]
struct ListQuery {
    to: Option<String>,
    folder: Option<String>,
}

#[derive(Deserialize)]
struct FetchQuery {
    folder: Option<String>,
}

#[derive(Deserialize)]
struct Login {
    address: String,
    password: String,
}

fn strict(mut response: Response) -> Response {
    let h = response.headers_mut();
    for (name, value) in [
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        // Scripts without integrity metadata are refused by the browser itself.
        ("integrity-policy", INTEGRITY_POLICY),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-embedder-policy", "require-corp"),
        ("cross-origin-resource-policy", "same-origin"),
        ("cache-control", "no-store"),
    ] {
        // A response that says how long it may be cached (the log's tiles) keeps that.
        if name == "cache-control" && h.contains_key(header::CACHE_CONTROL) {
            continue;
        }
        h.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    response
}

fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({ "error": message }).to_string(),
    )
        .into_response()
}

fn mail_error(e: &MailError) -> Response {
    (
        e.status(),
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({ "error": e.to_string(), "code": e.code() }).to_string(),
    )
        .into_response()
}

/// Who is asking.  With a mail server: the session's account (bearer token
/// from POST /api/session).  With SQLite: the address named in `to` (the
/// demo store has no accounts), or none for sending.
fn account(app: &App, headers: &HeaderMap, to: Option<&str>) -> Result<Account, MailError> {
    if app.mail.needs_login() {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(MailError::NoSession)?;
        return app.sessions.get(token.trim()).ok_or(MailError::NoSession);
    }
    Ok(Account {
        address: to.and_then(normalize_address).unwrap_or_default(),
        password: String::new(),
    })
}

async fn config(State(app): State<Shared>) -> Response {
    Json(serde_json::json!({
        "backend": app.mail.name(),
        "login": app.mail.needs_login(),
        "maxMessage": MAX_MESSAGE,
        "folders": if app.mail.needs_login() { vec!["inbox", "sent"] } else { vec!["inbox"] },
    }))
    .into_response()
}

/// Logs in to the mail server with the user's address and mail password
/// (checked there), and returns a session token for the other API calls.
async fn login(State(app): State<Shared>, Json(body): Json<Login>) -> Response {
    let Some(address) = normalize_address(&body.address) else {
        return error(StatusCode::BAD_REQUEST, "not an address");
    };
    if !app.mail.needs_login() {
        return error(
            StatusCode::NOT_FOUND,
            "this server keeps mail in SQLite: no login",
        );
    }
    let who = Account {
        address,
        password: body.password,
    };
    if let Err(e) = app.mail.login(&who).await {
        return mail_error(&e);
    }
    match app.sessions.create(who) {
        Ok(token) => (
            StatusCode::CREATED,
            Json(serde_json::json!({ "token": token })),
        )
            .into_response(),
        Err(e) => mail_error(&e),
    }
}

async fn logout(State(app): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        app.sessions.remove(token.trim());
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Publishes the logged-in user's public key in this server's WKD (IMAP mode:
/// the session says whose address it is).
async fn publish_key(State(app): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if !app.mail.needs_login() {
        return error(StatusCode::NOT_FOUND, "no accounts in SQLite mode: no WKD");
    }
    let who = match account(&app, &headers, None) {
        Ok(who) => who,
        Err(e) => return mail_error(&e),
    };
    match app.wkd.publish(&who.address, &body) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err((code, message)) => (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::json!({ "error": message, "code": code }).to_string(),
        )
            .into_response(),
    }
}

async fn wkd_answer(State(app): State<Shared>, uri: Uri) -> Response {
    if wkd::is_policy(uri.path()) {
        return ([(header::CONTENT_TYPE, "text/plain")], "").into_response();
    }
    match app.wkd.lookup(uri.path()) {
        Some(key) => ([(header::CONTENT_TYPE, "application/octet-stream")], key).into_response(),
        None => error(StatusCode::NOT_FOUND, "no key for that address"),
    }
}

/// Refuses a request whose Host or Origin is not this server's (DNS rebinding, CSRF).
async fn check_origin(State(app): State<Shared>, request: Request, next: Next) -> Response {
    match app
        .allowed
        .check(request.method(), request.uri().path(), request.headers())
    {
        Ok(()) => next.run(request).await,
        Err(code) => (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::json!({ "error": "this server does not answer for that host or origin", "code": code })
                .to_string(),
        )
            .into_response(),
    }
}

fn normalize_address(a: &str) -> Option<String> {
    let a = a.trim().to_lowercase();
    let ok = a.len() <= 254
        && a.matches('@').count() == 1
        && !a.starts_with('@')
        && !a.ends_with('@')
        && !a.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(a)
}

async fn send(
    State(app): State<Shared>,
    headers: HeaderMap,
    body: Result<Json<Send>, JsonRejection>,
) -> Response {
    let body = match body {
        Ok(Json(body)) => body,
        Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return mail_error(&MailError::TooLarge {
                size: headers
                    .get(header::CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok()?.parse().ok())
                    .map_or(0, |n: u64| n / 4 * 3),
                limit: MAX_MESSAGE as u64,
            })
        }
        Err(r) => return error(r.status(), &r.body_text()),
    };
    let who = match account(&app, &headers, None) {
        Ok(who) => who,
        Err(e) => return mail_error(&e),
    };
    if body.to.is_empty() || body.to.len() > MAX_RECIPIENTS {
        return error(StatusCode::BAD_REQUEST, "1 to 50 recipients");
    }
    let Some(to) = body
        .to
        .iter()
        .map(|a| normalize_address(a))
        .collect::<Option<Vec<_>>>()
    else {
        return error(StatusCode::BAD_REQUEST, "a recipient is not an address");
    };
    if body.id.as_ref().is_some_and(|id| !SendLog::valid_id(id)) {
        return error(
            StatusCode::BAD_REQUEST,
            "id: 1 to 64 letters, digits, '-', '_' or '.'",
        );
    }
    let Ok(raw) = B64.decode(body.message.as_bytes()) else {
        return error(StatusCode::BAD_REQUEST, "message must be base64");
    };
    drop(body.message);
    if raw.is_empty() {
        return error(StatusCode::BAD_REQUEST, "an empty message");
    }
    if raw.len() > MAX_MESSAGE {
        return mail_error(&MailError::TooLarge {
            size: raw.len() as u64,
            limit: MAX_MESSAGE as u64,
        });
    }
    let key = body.id.map(|id| (who.address.clone(), id));
    if let Some(key) = &key {
        match app.sends.begin(key) {
            Ok(SendStart::New) => {}
            Ok(SendStart::Done) => {
                return (
                    StatusCode::OK,
                    Json(Sent {
                        delivered: mail::Delivered::default(),
                        duplicate: true,
                    }),
                )
                    .into_response()
            }
            Err(e) => return mail_error(&e),
        }
    }
    let result = app.mail.send(&who, &to, raw).await;
    if let Some(key) = &key {
        app.sends.finish(key, result.is_ok());
    }
    match result {
        Ok(delivered) => (
            StatusCode::CREATED,
            Json(Sent {
                delivered,
                duplicate: false,
            }),
        )
            .into_response(),
        Err(e) => mail_error(&e),
    }
}

/// Holds one of the [`BODIES_IN_FLIGHT`] permits while a request that
/// carries a message body (a send, a fetch) runs: taken before the body is read.
async fn body_permit(State(app): State<Shared>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let carries = path.starts_with("/api/messages/")
        || (path == "/api/messages" && request.method() == Method::POST);
    if !carries {
        return next.run(request).await;
    }
    let Ok(_permit) = app.bodies.acquire().await else {
        return mail_error(&MailError::Store);
    };
    next.run(request).await
}

async fn list(
    State(app): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    if !app.mail.needs_login() && q.to.as_deref().and_then(normalize_address).is_none() {
        return error(StatusCode::BAD_REQUEST, "not an address");
    }
    let who = match account(&app, &headers, q.to.as_deref()) {
        Ok(who) => who,
        Err(e) => return mail_error(&e),
    };
    let Some(folder) = Folder::parse(q.folder.as_deref()) else {
        return error(StatusCode::BAD_REQUEST, "folder: inbox or sent");
    };
    match app.mail.list(&who, folder).await {
        Ok(rows) => Json(rows).into_response(),
        Err(e) => mail_error(&e),
    }
}

async fn fetch(
    State(app): State<Shared>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<i64>,
    Query(q): Query<FetchQuery>,
) -> Response {
    let who = match account(&app, &headers, None) {
        Ok(who) => who,
        Err(e) => return mail_error(&e),
    };
    let Some(folder) = Folder::parse(q.folder.as_deref()) else {
        return error(StatusCode::BAD_REQUEST, "folder: inbox or sent");
    };
    match app.mail.fetch(&who, folder, id).await {
        Ok(raw) => ([(header::CONTENT_TYPE, "message/rfc822")], raw).into_response(),
        Err(MailError::NotFound) => error(StatusCode::NOT_FOUND, "no such message"),
        Err(e) => mail_error(&e),
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("sig" | "asc") => "application/pgp-signature",
        _ => "application/octet-stream",
    }
}

/// Where the release signing certificate is published.
const RELEASE_CERT_PATH: &str = "/.well-known/sealpost/release-cert.asc";

/// Where the release log (tlog-tiles) is published.
const LOG_PREFIX: &str = "/.well-known/sealpost/log/";

/// Maps a path under [`LOG_PREFIX`] into the log directory: `checkpoint`, `tile/…`, the
/// signed log policy (`policy`, `policy.sig`), the release's tlog-proof (`release-proof`), its
/// rebuild attestations' proofs (`rebuild-proofs`) and the proof of the origin's binding to its
/// release key and policy (`binding-proof`, issue 21) only.
fn resolve_log(log: &Path, uri_path: &str) -> Option<PathBuf> {
    let rel = uri_path.strip_prefix(LOG_PREFIX)?;
    if !matches!(
        rel,
        "checkpoint"
            | "policy"
            | "policy.sig"
            | "release-proof"
            | "rebuild-proofs"
            | "binding-proof"
    ) && !rel.starts_with("tile/")
    {
        return None;
    }
    let p = Path::new(rel);
    if !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(log.join(p))
}

/// Maps a request path into `dist`, refusing anything that is not a plain
/// relative path (no `..`, no absolute parts).
fn resolve(dist: &Path, uri_path: &str) -> Option<PathBuf> {
    let mut rel = uri_path.trim_start_matches('/').to_owned();
    if rel.is_empty() || rel.ends_with('/') {
        rel.push_str("index.html");
    }
    let mapped = match rel.as_str() {
        ".well-known/sealpost/manifest.json" => "manifest.json".to_owned(),
        ".well-known/sealpost/manifest.json.sig" => "manifest.json.sig".to_owned(),
        _ => rel,
    };
    let p = Path::new(&mapped);
    if !p.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(dist.join(p))
}

async fn static_file(State(app): State<Shared>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return error(StatusCode::METHOD_NOT_ALLOWED, "GET only");
    }
    if uri.path() == RELEASE_CERT_PATH {
        return match &app.release_cert {
            Some(cert) => (
                [(header::CONTENT_TYPE, "application/pgp-keys")],
                if method == Method::HEAD {
                    Bytes::new()
                } else {
                    Bytes::from(cert.clone())
                },
            )
                .into_response(),
            None => error(StatusCode::NOT_FOUND, "no release certificate published"),
        };
    }
    if uri.path().starts_with(LOG_PREFIX) {
        let Some(path) = app.log.as_deref().and_then(|l| resolve_log(l, uri.path())) else {
            return error(StatusCode::NOT_FOUND, "no such log file");
        };
        let Ok(body) = tokio::fs::read(&path).await else {
            return error(StatusCode::NOT_FOUND, "not found");
        };
        // The content types tlog-tiles names, and how long each may be cached: a full tile
        // never changes (immutable); a partial one is replaced by a wider path, not rewritten
        // (an hour); the checkpoint, the policy and the release's proof change, so are not stored.
        let ct = if uri.path().ends_with("/checkpoint") {
            "text/plain; charset=utf-8"
        } else {
            "application/octet-stream"
        };
        let cache = if !uri.path().contains("/tile/") {
            "no-store"
        } else if uri.path().contains(".p/") {
            "public, max-age=3600"
        } else {
            "public, max-age=31536000, immutable"
        };
        let body = if method == Method::HEAD {
            Bytes::new()
        } else {
            Bytes::from(body)
        };
        return (
            [(header::CONTENT_TYPE, ct), (header::CACHE_CONTROL, cache)],
            body,
        )
            .into_response();
    }
    let Some(path) = resolve(&app.dist, uri.path()) else {
        return error(StatusCode::BAD_REQUEST, "bad path");
    };
    match tokio::fs::read(&path).await {
        Ok(body) => {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&path)),
            );
            let body = if method == Method::HEAD {
                Bytes::new()
            } else {
                Bytes::from(body)
            };
            (headers, body).into_response()
        }
        Err(_) => error(StatusCode::NOT_FOUND, "not found"),
    }
}

fn router(app: Shared) -> Router {
    Router::new()
        .route("/api/messages", get(list).post(send))
        .route("/api/messages/{id}", get(fetch))
        .route("/api/config", get(config))
        .route("/api/session", post(login).delete(logout))
        .route("/api/wkd", put(publish_key))
        .route("/.well-known/openpgpkey/{*rest}", get(wkd_answer))
        .fallback(static_file)
        .layer(DefaultBodyLimit::max(MAX_MESSAGE / 3 * 4 + 4096))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            body_permit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            check_origin,
        ))
        .layer(axum::middleware::map_response(|r: Response| async move {
            strict(r)
        }))
        .with_state(app)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    if let Err(e) = run(args).await {
        eprintln!("sealpost-demo: {e}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), String> {
    if !args.dist.join("index.html").is_file() {
        return Err(format!(
            "{}: no index.html (run make dist first)",
            args.dist.display()
        ));
    }
    if let Some(dir) = args.db.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
    }
    let mail = match (&args.imap, &args.smtp) {
        (Some(imap), Some(smtp)) => {
            let roots = match &args.ca {
                Some(p) => mail::read_ca(
                    &std::fs::read(p).map_err(|e| format!("--ca {}: {e}", p.display()))?,
                )
                .map_err(|e| format!("--ca {}: {e}", p.display()))?,
                None => Vec::new(),
            };
            mail::Backend::Imap(mail::ImapSmtp::new(imap, smtp, &roots)?)
        }
        _ => mail::Backend::Sqlite(
            mail::SqliteStore::open(&args.db).map_err(|e| format!("{}: {e}", args.db.display()))?,
        ),
    };
    let release_cert = match &args.release_cert {
        Some(p) => Some(std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?),
        None => None,
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("{addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let app = Arc::new(App {
        dist: args.dist,
        release_cert,
        log: args.log,
        mail,
        sessions: mail::Sessions::default(),
        allowed: origin::Allowed::new(local.port(), &args.public_host),
        wkd: match &args.state {
            Some(dir) => wkd::Directory::persistent(dir)?,
            None => wkd::Directory::default(),
        },
        sends: match &args.state {
            Some(dir) => SendLog::persistent(dir)?,
            None => SendLog::default(),
        },
        bodies: tokio::sync::Semaphore::new(BODIES_IN_FLIGHT),
    });
    println!("listening on http://{local}/");
    axum::serve(listener, router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_dist() {
        let d = Path::new("/srv/dist");
        assert_eq!(resolve(d, "/"), Some(d.join("index.html")));
        assert_eq!(resolve(d, "/sealpost/a.js"), Some(d.join("sealpost/a.js")));
        assert_eq!(
            resolve(d, "/.well-known/sealpost/manifest.json"),
            Some(d.join("manifest.json"))
        );
        assert_eq!(resolve(d, "/../etc/passwd"), None);
        assert_eq!(resolve(d, "/a/../../b"), None);
        let l = Path::new("/srv/log");
        let r = |p| resolve_log(l, p);
        assert_eq!(
            r("/.well-known/sealpost/log/checkpoint"),
            Some(l.join("checkpoint"))
        );
        assert_eq!(
            r("/.well-known/sealpost/log/tile/entries/000.p/3"),
            Some(l.join("tile/entries/000.p/3"))
        );
        assert_eq!(r("/.well-known/sealpost/log/tile/../../etc/passwd"), None);
        assert_eq!(r("/.well-known/sealpost/log/log.key"), None);
        assert_eq!(
            r("/.well-known/sealpost/log/release-proof"),
            Some(l.join("release-proof"))
        );
        assert_eq!(
            r("/.well-known/sealpost/log/policy.sig"),
            Some(l.join("policy.sig"))
        );
        assert_eq!(r("/.well-known/sealpost/manifest.json"), None);
    }

    #[test]
    fn addresses_are_normalized() {
        assert_eq!(
            normalize_address(" Bob@Example.ORG "),
            Some("bob@example.org".into())
        );
        assert_eq!(normalize_address("no-at"), None);
        assert_eq!(normalize_address("a b@c"), None);
    }

    #[test]
    fn scripts_without_integrity_are_refused_by_the_browser() {
        assert_eq!(INTEGRITY_POLICY, "blocked-destinations=(script)");
        let r = strict(Response::new(axum::body::Body::empty()));
        assert_eq!(r.headers()["integrity-policy"], INTEGRITY_POLICY);
    }

    #[test]
    fn an_outbox_id_is_sent_once() {
        let log = SendLog::default();
        let k = ("a@example.org".to_owned(), "id-1".to_owned());
        assert!(matches!(log.begin(&k), Ok(SendStart::New)));
        // A second request while the first is with the mail server waits its turn.
        assert_eq!(log.begin(&k).err(), Some(MailError::InProgress));
        log.finish(&k, false);
        // A failed send may be tried again ...
        assert!(matches!(log.begin(&k), Ok(SendStart::New)));
        log.finish(&k, true);
        // ... a sent one is answered as sent, and only for the same sender.
        assert!(matches!(log.begin(&k), Ok(SendStart::Done)));
        let other = ("b@example.org".to_owned(), "id-1".to_owned());
        assert!(matches!(log.begin(&other), Ok(SendStart::New)));
        assert!(SendLog::valid_id("6f1c2a9e-0b7d-4c1e-9a55-2f0e8d3b7c11"));
        assert!(
            !SendLog::valid_id("a\tb")
                && !SendLog::valid_id("")
                && !SendLog::valid_id(&"x".repeat(65))
        );
    }

    #[test]
    fn sent_ids_survive_a_restart_with_state() {
        let dir = std::env::temp_dir().join(format!("sealpost-sent-ids-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let k = ("a@example.org".to_owned(), "id-1".to_owned());
        let failed = ("a@example.org".to_owned(), "id-2".to_owned());
        let log = SendLog::persistent(&dir).unwrap();
        assert!(matches!(log.begin(&k), Ok(SendStart::New)));
        log.finish(&k, true);
        assert!(matches!(log.begin(&failed), Ok(SendStart::New)));
        log.finish(&failed, false);
        drop(log);
        let again = SendLog::persistent(&dir).unwrap();
        assert!(matches!(again.begin(&k), Ok(SendStart::Done)));
        assert!(matches!(again.begin(&failed), Ok(SendStart::New)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn csp_has_no_unsafe_inline_or_eval() {
        assert!(!CSP.contains("'unsafe-inline'") && !CSP.contains("'unsafe-eval'"));
        assert!(CSP.contains("script-src 'self' 'wasm-unsafe-eval'"));
    }
}
