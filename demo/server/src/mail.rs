//! Where the demo's mail lives: a [`Mailbox`] interface with two backends.
//!
//! - [`SqliteStore`], the default: one SQLite file, nothing else to install.
//! - [`ImapSmtp`]: a real mail system — the message is submitted over SMTP
//!   (with the user's credentials) and read back over IMAP from the INBOX.
//!
//! Either way the server relays bytes: what the browser encrypted goes out as
//! it came in, and what the mailbox holds goes back to the browser as it is.
//! Errors carry a stable code and never a password or message content.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use futures_util::TryStreamExt as _;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncWrite};

/// How long one connection to the mail server may take for anything.
const MAIL_TIMEOUT: Duration = Duration::from_secs(15);

/// A mail failure the page can explain: a stable code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailError {
    /// The mail server could not be reached (refused, timed out, TLS failed).
    Unreachable(String),
    /// The mail server did not accept the user's name and password.
    AuthFailed,
    /// The mail server refused the message or a recipient (with its reply code).
    Refused(String),
    /// No such message in this mailbox.
    NotFound,
    /// A request without a valid session (IMAP mode needs one).
    NoSession,
    /// The local store failed.
    Store,
    /// A message larger than this server relays or shows (sizes in bytes).
    TooLarge { size: u64, limit: u64 },
    /// The TLS connection to the mail server failed: most often a
    /// certificate no trusted CA issued (see `--ca`).
    Tls(String),
    /// The same outbox message (its id) is being sent right now.
    InProgress,
}

impl MailError {
    pub fn code(&self) -> &'static str {
        match self {
            MailError::Unreachable(_) => "MAIL_SERVER_UNREACHABLE",
            MailError::AuthFailed => "MAIL_AUTH_FAILED",
            MailError::Refused(_) => "MAIL_REFUSED",
            MailError::NotFound => "NOT_FOUND",
            MailError::NoSession => "NO_SESSION",
            MailError::Store => "STORE_FAILED",
            MailError::TooLarge { .. } => "MESSAGE_TOO_LARGE",
            MailError::Tls(_) => "MAIL_TLS_FAILED",
            MailError::InProgress => "SEND_IN_PROGRESS",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            MailError::Unreachable(_) => StatusCode::BAD_GATEWAY,
            MailError::AuthFailed | MailError::NoSession => StatusCode::UNAUTHORIZED,
            MailError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            MailError::NotFound => StatusCode::NOT_FOUND,
            MailError::Store => StatusCode::INTERNAL_SERVER_ERROR,
            MailError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            MailError::Tls(_) => StatusCode::BAD_GATEWAY,
            MailError::InProgress => StatusCode::CONFLICT,
        }
    }
}

impl fmt::Display for MailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailError::Unreachable(why) => write!(f, "the mail server cannot be reached ({why})"),
            MailError::AuthFailed => {
                f.write_str("the mail server refused the user name or password")
            }
            MailError::Refused(why) => write!(f, "the mail server refused the message ({why})"),
            MailError::NotFound => f.write_str("no such message"),
            MailError::NoSession => f.write_str("log in to your mail account first"),
            MailError::Store => f.write_str("the mail store failed"),
            MailError::TooLarge { size, limit } => write!(
                f,
                "the message is {size} bytes, larger than the {limit} bytes this server relays"
            ),
            MailError::Tls(why) => write!(f, "no secure connection to the mail server ({why})"),
            MailError::InProgress => f.write_str("this message is being sent right now"),
        }
    }
}

/// Who is asking: the address, and in IMAP mode the mail password.
#[derive(Clone)]
pub struct Account {
    pub address: String,
    pub password: String,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the password, not even in a debug print.
        f.debug_struct("Account")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

/// One message in a listing.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Listed {
    pub id: i64,
    pub received: i64,
    pub size: i64,
}

/// The largest message the server relays, stores or returns (a 16 MiB
/// attachment, encrypted and armored, is about 31 MB).  Larger ones are
/// refused with `MESSAGE_TOO_LARGE` before their bytes are read.
pub const MAX_MESSAGE: usize = 32 * 1024 * 1024;

/// Which mailbox a listing or a fetch reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folder {
    Inbox,
    /// The sender's copies (IMAP mode: the `Sent` mailbox, written with APPEND).
    Sent,
}

impl Folder {
    /// `inbox` (or nothing) and `sent`.
    pub fn parse(name: Option<&str>) -> Option<Folder> {
        match name {
            None | Some("inbox") => Some(Folder::Inbox),
            Some("sent") => Some(Folder::Sent),
            _ => None,
        }
    }

    fn imap_name(self) -> &'static str {
        match self {
            Folder::Inbox => "INBOX",
            Folder::Sent => "Sent",
        }
    }
}

/// What a send did.
#[derive(Serialize, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Delivered {
    /// The stored id (SQLite); none when a mail server took it.
    pub id: Option<i64>,
    /// IMAP mode: whether the sender's copy was saved in their Sent folder
    /// (a failure there does not make the send fail: it went out).
    pub saved_to_sent: Option<bool>,
}

/// What a mail backend does for the demo: take a message for recipients,
/// list a mailbox, return one message's bytes.
pub trait Mailbox {
    /// Checks the account's credentials (IMAP mode); the SQLite store has none.
    async fn login(&self, who: &Account) -> Result<(), MailError>;
    /// Delivers `raw` (unchanged) to `to`.
    async fn send(
        &self,
        who: &Account,
        to: &[String],
        raw: Vec<u8>,
    ) -> Result<Delivered, MailError>;
    /// The messages in `who`'s `folder`, newest first.
    async fn list(&self, who: &Account, folder: Folder) -> Result<Vec<Listed>, MailError>;
    /// One message's bytes, as stored; [`MailError::TooLarge`] above
    /// [`MAX_MESSAGE`], without reading them.
    async fn fetch(&self, who: &Account, folder: Folder, id: i64) -> Result<Vec<u8>, MailError>;
}

/// The backend the server was started with.
pub enum Backend {
    Sqlite(SqliteStore),
    Imap(ImapSmtp),
}

impl Backend {
    /// Whether requests need a session (a login with the mail password).
    pub fn needs_login(&self) -> bool {
        matches!(self, Backend::Imap(_))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Imap(_) => "imap",
        }
    }
}

impl Mailbox for Backend {
    async fn login(&self, who: &Account) -> Result<(), MailError> {
        match self {
            Backend::Sqlite(s) => s.login(who).await,
            Backend::Imap(s) => s.login(who).await,
        }
    }
    async fn send(
        &self,
        who: &Account,
        to: &[String],
        raw: Vec<u8>,
    ) -> Result<Delivered, MailError> {
        match self {
            Backend::Sqlite(s) => s.send(who, to, raw).await,
            Backend::Imap(s) => s.send(who, to, raw).await,
        }
    }
    async fn list(&self, who: &Account, folder: Folder) -> Result<Vec<Listed>, MailError> {
        match self {
            Backend::Sqlite(s) => s.list(who, folder).await,
            Backend::Imap(s) => s.list(who, folder).await,
        }
    }
    async fn fetch(&self, who: &Account, folder: Folder, id: i64) -> Result<Vec<u8>, MailError> {
        match self {
            Backend::Sqlite(s) => s.fetch(who, folder, id).await,
            Backend::Imap(s) => s.fetch(who, folder, id).await,
        }
    }
}

// ------------------------------------------------------------------ SQLite

/// Messages and deliveries in one SQLite file (the default).
pub struct SqliteStore {
    db: Mutex<Connection>,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl SqliteStore {
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let db = Connection::open(path)?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS messages (
                 id INTEGER PRIMARY KEY,
                 received INTEGER NOT NULL,
                 raw BLOB NOT NULL
             );
             CREATE TABLE IF NOT EXISTS deliveries (
                 message INTEGER NOT NULL REFERENCES messages(id),
                 recipient TEXT NOT NULL
             );
             CREATE INDEX IF NOT EXISTS deliveries_recipient ON deliveries(recipient);",
        )?;
        Ok(SqliteStore { db: Mutex::new(db) })
    }
}

impl Mailbox for SqliteStore {
    async fn login(&self, _who: &Account) -> Result<(), MailError> {
        Ok(())
    }

    async fn send(
        &self,
        _who: &Account,
        to: &[String],
        raw: Vec<u8>,
    ) -> Result<Delivered, MailError> {
        let mut db = self.db.lock().map_err(|_| MailError::Store)?;
        let stored = (|| -> rusqlite::Result<i64> {
            let tx = db.transaction()?;
            tx.execute(
                "INSERT INTO messages (received, raw) VALUES (?1, ?2)",
                params![now(), raw],
            )?;
            let id = tx.last_insert_rowid();
            for r in to {
                tx.execute(
                    "INSERT INTO deliveries (message, recipient) VALUES (?1, ?2)",
                    params![id, r],
                )?;
            }
            tx.commit()?;
            Ok(id)
        })();
        stored
            .map(|id| Delivered {
                id: Some(id),
                saved_to_sent: None,
            })
            .map_err(|_| MailError::Store)
    }

    async fn list(&self, who: &Account, folder: Folder) -> Result<Vec<Listed>, MailError> {
        // The demo store keeps no sender: it has no Sent folder.
        if folder == Folder::Sent {
            return Ok(Vec::new());
        }
        let db = self.db.lock().map_err(|_| MailError::Store)?;
        let rows = (|| -> rusqlite::Result<Vec<Listed>> {
            let mut st = db.prepare(
                "SELECT m.id, m.received, length(m.raw) FROM messages m
                 JOIN deliveries d ON d.message = m.id WHERE d.recipient = ?1 ORDER BY m.id DESC",
            )?;
            let rows = st.query_map(params![who.address], |r| {
                Ok(Listed {
                    id: r.get(0)?,
                    received: r.get(1)?,
                    size: r.get(2)?,
                })
            })?;
            rows.collect()
        })();
        rows.map_err(|_| MailError::Store)
    }

    async fn fetch(&self, _who: &Account, folder: Folder, id: i64) -> Result<Vec<u8>, MailError> {
        if folder == Folder::Sent {
            return Err(MailError::NotFound);
        }
        let db = self.db.lock().map_err(|_| MailError::Store)?;
        let raw: Option<Vec<u8>> = db
            .query_row("SELECT raw FROM messages WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|_| MailError::Store)?;
        raw.ok_or(MailError::NotFound)
    }
}

// --------------------------------------------------------------- IMAP+SMTP

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SmtpTls {
    /// Plain (loopback only).
    None,
    /// STARTTLS, required (`smtp://…?tls=required`).
    StartTls,
    /// TLS from the first byte (`smtps://`).
    Wrapper,
}

/// An IMAP server (`imap://host:port`, or `imaps://` for TLS from the first
/// byte) and an SMTP submission server (`smtp://`, `smtp://…?tls=required`
/// for STARTTLS, `smtps://`).  Each user's own credentials log in to both.
/// TLS trusts the Mozilla roots (webpki-roots) plus the CAs given with
/// `--ca`, and nothing else: a certificate no trusted CA issued is refused
/// (`MAIL_TLS_FAILED`), never accepted with a warning.
pub struct ImapSmtp {
    imap_host: String,
    imap_port: u16,
    imap_tls: bool,
    smtp_host: String,
    smtp_port: u16,
    smtp_tls: SmtpTls,
    smtp_params: Option<lettre::transport::smtp::client::TlsParameters>,
    tls: Arc<tokio_rustls::rustls::ClientConfig>,
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug> Io for T {}

type Imap = async_imap::Session<Box<dyn Io>>;

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

async fn timed<T>(
    what: &str,
    f: impl std::future::Future<Output = Result<T, MailError>>,
) -> Result<T, MailError> {
    match tokio::time::timeout(MAIL_TIMEOUT, f).await {
        Ok(r) => r,
        Err(_) => Err(MailError::Unreachable(format!("{what} timed out"))),
    }
}

/// The TLS library's reason, if a TLS error is somewhere in `e`'s chain
/// ("invalid peer certificate: UnknownIssuer"): names no user data.
fn tls_reason(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<tokio_rustls::rustls::Error>() {
            return Some(r.to_string());
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if let Some(r) = io
                .get_ref()
                .and_then(|i| i.downcast_ref::<tokio_rustls::rustls::Error>())
            {
                return Some(r.to_string());
            }
        }
        cur = err.source();
    }
    None
}

fn imap_error(e: async_imap::error::Error) -> MailError {
    use async_imap::error::Error as E;
    match e {
        E::Io(e) => MailError::Unreachable(e.kind().to_string()),
        E::ConnectionLost => MailError::Unreachable("connection lost".into()),
        // A NO or BAD reply; its text is the server's, not the user's data.
        E::No(_) | E::Bad(_) => MailError::Refused("IMAP command refused".into()),
        _ => MailError::Unreachable("unexpected IMAP reply".into()),
    }
}

/// Reads the PEM certificates of a `--ca` file (one or more).
pub fn read_ca(
    pem: &[u8],
) -> Result<Vec<tokio_rustls::rustls::pki_types::CertificateDer<'static>>, String> {
    use tokio_rustls::rustls::pki_types::pem::PemObject as _;
    use tokio_rustls::rustls::pki_types::CertificateDer;
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("not PEM certificates: {e}"))?;
    if certs.is_empty() {
        return Err("no certificate in it".into());
    }
    Ok(certs)
}

impl ImapSmtp {
    /// Checks both URLs.  Credentials never cross a network in clear:
    /// plain `imap://` or `smtp://` (without `tls=required`) must be loopback.
    /// `extra_roots`: CA certificates trusted besides the Mozilla roots (`--ca`).
    pub fn new(
        imap: &str,
        smtp: &str,
        extra_roots: &[tokio_rustls::rustls::pki_types::CertificateDer<'static>],
    ) -> Result<Self, String> {
        let u = url::Url::parse(imap).map_err(|e| format!("--imap {imap}: {e}"))?;
        let imap_tls = match u.scheme() {
            "imaps" => true,
            "imap" => false,
            s => return Err(format!("--imap: scheme {s} (imap:// or imaps://)")),
        };
        let imap_host = u
            .host_str()
            .ok_or_else(|| format!("--imap {imap}: no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let imap_port = u.port().unwrap_or(if imap_tls { 993 } else { 143 });
        if !imap_tls && !is_loopback(&imap_host) {
            return Err("--imap: a plain imap:// server must be on loopback (use imaps://)".into());
        }
        let s = url::Url::parse(smtp).map_err(|e| format!("--smtp {smtp}: {e}"))?;
        let tls_param = s
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let (smtp_tls, default_port) = match (s.scheme(), tls_param.as_deref()) {
            ("smtps", None) => (SmtpTls::Wrapper, 465),
            ("smtp", Some("required")) => (SmtpTls::StartTls, 587),
            ("smtp", None) => (SmtpTls::None, 25),
            ("smtp" | "smtps", Some(other)) => {
                return Err(format!("--smtp: tls={other} (only tls=required)"))
            }
            (other, _) => return Err(format!("--smtp: scheme {other} (smtp:// or smtps://)")),
        };
        let smtp_host = s
            .host_str()
            .ok_or_else(|| format!("--smtp {smtp}: no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let smtp_port = s.port().unwrap_or(default_port);
        if smtp_tls == SmtpTls::None && !is_loopback(&smtp_host) {
            return Err(
                "--smtp: a plain smtp:// server must be on loopback (use smtps:// or ?tls=required)"
                    .into(),
            );
        }
        let mut roots = tokio_rustls::rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for c in extra_roots {
            roots
                .add(c.clone())
                .map_err(|e| format!("--ca: a certificate rustls cannot use: {e}"))?;
        }
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let tls = tokio_rustls::rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let smtp_params = if smtp_tls == SmtpTls::None {
            None
        } else {
            use lettre::transport::smtp::client::{Certificate, CertificateStore, TlsParameters};
            let mut b = TlsParameters::builder(smtp_host.clone())
                .certificate_store(CertificateStore::WebpkiRoots);
            for c in extra_roots {
                b = b.add_root_certificate(
                    Certificate::from_der(c.to_vec()).map_err(|e| format!("--ca: {e}"))?,
                );
            }
            Some(b.build_rustls().map_err(|e| format!("--smtp TLS: {e}"))?)
        };
        Ok(ImapSmtp {
            imap_host,
            imap_port,
            imap_tls,
            smtp_host,
            smtp_port,
            smtp_tls,
            smtp_params,
            tls: Arc::new(tls),
        })
    }

    async fn connect(&self, who: &Account) -> Result<Imap, MailError> {
        timed("IMAP", async {
            let tcp = tokio::net::TcpStream::connect((self.imap_host.as_str(), self.imap_port))
                .await
                .map_err(|e| MailError::Unreachable(format!("IMAP: {}", e.kind())))?;
            let stream: Box<dyn Io> = if self.imap_tls {
                let name =
                    tokio_rustls::rustls::pki_types::ServerName::try_from(self.imap_host.clone())
                        .map_err(|_| MailError::Unreachable("IMAP: bad host name".into()))?;
                let tls = tokio_rustls::TlsConnector::from(self.tls.clone())
                    .connect(name, tcp)
                    .await
                    .map_err(|e| {
                        MailError::Tls(format!(
                            "IMAP: {}",
                            tls_reason(&e).unwrap_or_else(|| "TLS handshake failed".into())
                        ))
                    })?;
                Box::new(tls)
            } else {
                Box::new(tcp)
            };
            let mut client = async_imap::Client::new(stream);
            match client.read_response().await {
                Ok(Some(_greeting)) => {}
                _ => return Err(MailError::Unreachable("IMAP: no greeting".into())),
            }
            match client.login(&who.address, &who.password).await {
                Ok(session) => Ok(session),
                Err((async_imap::error::Error::No(_), _)) => Err(MailError::AuthFailed),
                Err((e, _)) => Err(imap_error(e)),
            }
        })
        .await
    }

    /// Saves the sender's copy — the very bytes submitted — in their Sent
    /// mailbox (created if missing), marked read.
    async fn save_sent(&self, who: &Account, raw: &[u8]) -> Result<(), MailError> {
        let mut s = self.connect(who).await?;
        timed("IMAP", async {
            // Fails when it exists; a real failure shows at APPEND.
            let _ = s.create(Folder::Sent.imap_name()).await;
            let r = s
                .append(Folder::Sent.imap_name(), Some("(\\Seen)"), None, raw)
                .await
                .map_err(imap_error);
            let _ = s.logout().await;
            r
        })
        .await
    }
}

impl Mailbox for ImapSmtp {
    async fn login(&self, who: &Account) -> Result<(), MailError> {
        let mut s = self.connect(who).await?;
        let _ = timed("IMAP", async { s.logout().await.map_err(imap_error) }).await;
        Ok(())
    }

    async fn send(
        &self,
        who: &Account,
        to: &[String],
        raw: Vec<u8>,
    ) -> Result<Delivered, MailError> {
        use lettre::address::{Address, Envelope};
        use lettre::transport::smtp::authentication::Credentials;
        use lettre::transport::smtp::client::Tls;
        use lettre::AsyncTransport as _;
        if raw.len() > MAX_MESSAGE {
            return Err(MailError::TooLarge {
                size: raw.len() as u64,
                limit: MAX_MESSAGE as u64,
            });
        }
        let parse = |a: &str| {
            a.parse::<Address>()
                .map_err(|_| MailError::Refused("an address the mail server cannot take".into()))
        };
        let envelope = Envelope::new(
            Some(parse(&who.address)?),
            to.iter().map(|a| parse(a)).collect::<Result<_, _>>()?,
        )
        .map_err(|_| MailError::Refused("no recipients".into()))?;
        let tls = match (self.smtp_tls, &self.smtp_params) {
            (SmtpTls::StartTls, Some(p)) => Tls::Required(p.clone()),
            (SmtpTls::Wrapper, Some(p)) => Tls::Wrapper(p.clone()),
            _ => Tls::None,
        };
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous(
            &self.smtp_host,
        )
        .port(self.smtp_port)
        .tls(tls)
        .credentials(Credentials::new(who.address.clone(), who.password.clone()))
        .timeout(Some(MAIL_TIMEOUT))
        .build();
        // The transport ends DATA with CRLF "." CRLF itself: a message that
        // already ends on a line break would gain an empty line.
        let body = raw.strip_suffix(b"\r\n").unwrap_or(&raw);
        if let Err(e) = transport.send_raw(&envelope, body).await {
            return Err(match e.status().map(|c| c.to_string()) {
                Some(c) if c == "535" || c == "530" => MailError::AuthFailed,
                Some(c) if c == "552" => MailError::TooLarge {
                    size: raw.len() as u64,
                    limit: MAX_MESSAGE as u64,
                },
                Some(c) => MailError::Refused(format!("SMTP {c}")),
                None if e.is_timeout() => MailError::Unreachable("SMTP timed out".into()),
                None => match tls_reason(&e) {
                    Some(why) => MailError::Tls(format!("SMTP: {why}")),
                    None if e.is_tls() => MailError::Tls("SMTP: TLS failed".into()),
                    None => MailError::Unreachable("SMTP connection failed".into()),
                },
            });
        }
        // The message went out: a Sent copy that fails is reported, not an error
        // (an error would have the page send it again).
        let saved = self.save_sent(who, &raw).await.is_ok();
        Ok(Delivered {
            id: None,
            saved_to_sent: Some(saved),
        })
    }

    async fn list(&self, who: &Account, folder: Folder) -> Result<Vec<Listed>, MailError> {
        let mut s = self.connect(who).await?;
        timed("IMAP", async {
            let mailbox = match s.examine(folder.imap_name()).await {
                Ok(m) => m,
                // No Sent mailbox yet: nothing sent from here.
                Err(async_imap::error::Error::No(_)) if folder == Folder::Sent => {
                    let _ = s.logout().await;
                    return Ok(Vec::new());
                }
                Err(e) => return Err(imap_error(e)),
            };
            let mut rows = Vec::new();
            if mailbox.exists > 0 {
                let fetches: Vec<_> = s
                    .uid_fetch("1:*", "(UID RFC822.SIZE INTERNALDATE)")
                    .await
                    .map_err(imap_error)?
                    .try_collect()
                    .await
                    .map_err(imap_error)?;
                for f in fetches {
                    let Some(uid) = f.uid else { continue };
                    rows.push(Listed {
                        id: i64::from(uid),
                        received: f.internal_date().map_or(0, |d| d.timestamp()),
                        size: i64::from(f.size.unwrap_or(0)),
                    });
                }
            }
            let _ = s.logout().await;
            rows.sort_by_key(|r| std::cmp::Reverse(r.id));
            Ok(rows)
        })
        .await
    }

    async fn fetch(&self, who: &Account, folder: Folder, id: i64) -> Result<Vec<u8>, MailError> {
        let uid = u32::try_from(id).map_err(|_| MailError::NotFound)?;
        let mut s = self.connect(who).await?;
        let limit = MAX_MESSAGE as u64;
        timed("IMAP", async {
            s.examine(folder.imap_name()).await.map_err(imap_error)?;
            // The size first: a message above the limit is never downloaded.
            let sizes: Vec<_> = s
                .uid_fetch(uid.to_string(), "(UID RFC822.SIZE)")
                .await
                .map_err(imap_error)?
                .try_collect()
                .await
                .map_err(imap_error)?;
            let size = sizes
                .iter()
                .find(|f| f.uid == Some(uid))
                .and_then(|f| f.size)
                .ok_or(MailError::NotFound)?;
            if u64::from(size) > limit {
                let _ = s.logout().await;
                return Err(MailError::TooLarge {
                    size: u64::from(size),
                    limit,
                });
            }
            let fetches: Vec<_> = s
                .uid_fetch(uid.to_string(), "BODY.PEEK[]")
                .await
                .map_err(imap_error)?
                .try_collect()
                .await
                .map_err(imap_error)?;
            let _ = s.logout().await;
            let body = fetches
                .iter()
                .find(|f| f.uid == Some(uid))
                .and_then(|f| f.body())
                .ok_or(MailError::NotFound)?;
            if body.len() as u64 > limit {
                return Err(MailError::TooLarge {
                    size: body.len() as u64,
                    limit,
                });
            }
            Ok(body.to_vec())
        })
        .await
    }
}

// ---------------------------------------------------------------- sessions

/// Logged-in users (IMAP mode): a random token → the account.  In memory
/// only: a restart logs everyone out.
#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Account>>,
}

/// At most this many sessions at once (oldest dropped first is not worth it
/// here: a full table refuses new logins).
const MAX_SESSIONS: usize = 10_000;

impl Sessions {
    pub fn create(&self, account: Account) -> Result<String, MailError> {
        let mut bytes = [0u8; 32];
        getrandom::getrandom(&mut bytes).map_err(|_| MailError::Store)?;
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut map = self.map.lock().map_err(|_| MailError::Store)?;
        if map.len() >= MAX_SESSIONS {
            return Err(MailError::Store);
        }
        map.insert(token.clone(), account);
        Ok(token)
    }

    pub fn get(&self, token: &str) -> Option<Account> {
        self.map.lock().ok()?.get(token).cloned()
    }

    pub fn remove(&self, token: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(token);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_protocols_only_on_loopback() {
        assert!(ImapSmtp::new("imap://127.0.0.1:1143", "smtp://127.0.0.1:1587", &[]).is_ok());
        assert!(ImapSmtp::new("imap://localhost", "smtp://[::1]:25", &[]).is_ok());
        assert!(ImapSmtp::new("imap://mail.example.org", "smtps://mail.example.org", &[]).is_err());
        assert!(ImapSmtp::new("imaps://mail.example.org", "smtp://mail.example.org", &[]).is_err());
        assert!(ImapSmtp::new(
            "imaps://mail.example.org",
            "smtp://mail.example.org:587?tls=required",
            &[]
        )
        .is_ok());
        assert!(ImapSmtp::new("http://x", "smtp://127.0.0.1", &[]).is_err());
        assert!(ImapSmtp::new("imaps://h", "smtp://h?tls=opportunistic", &[]).is_err());
        assert!(read_ca(b"not pem").is_err());
    }

    #[test]
    fn the_password_is_never_printed() {
        let a = Account {
            address: "a@example.org".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{a:?}").contains("hunter2"));
    }

    #[tokio::test]
    async fn an_unreachable_server_is_named_as_such() {
        // A port that was just free: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let b = ImapSmtp::new(
            &format!("imap://127.0.0.1:{port}"),
            &format!("smtp://127.0.0.1:{port}"),
            &[],
        )
        .unwrap();
        let who = Account {
            address: "a@example.org".into(),
            password: "pw".into(),
        };
        let e = b.login(&who).await.unwrap_err();
        assert_eq!(e.code(), "MAIL_SERVER_UNREACHABLE");
        let e = b
            .send(&who, &["b@example.org".into()], b"x\r\n".to_vec())
            .await
            .unwrap_err();
        assert_eq!(e.code(), "MAIL_SERVER_UNREACHABLE");
    }
}
