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
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            MailError::Unreachable(_) => StatusCode::BAD_GATEWAY,
            MailError::AuthFailed | MailError::NoSession => StatusCode::UNAUTHORIZED,
            MailError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            MailError::NotFound => StatusCode::NOT_FOUND,
            MailError::Store => StatusCode::INTERNAL_SERVER_ERROR,
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

/// What a mail backend does for the demo: take a message for recipients,
/// list a mailbox, return one message's bytes.
pub trait Mailbox {
    /// Checks the account's credentials (IMAP mode); the SQLite store has none.
    async fn login(&self, who: &Account) -> Result<(), MailError>;
    /// Delivers `raw` (unchanged) to `to`; returns the stored id where there is one.
    async fn send(
        &self,
        who: &Account,
        to: &[String],
        raw: Vec<u8>,
    ) -> Result<Option<i64>, MailError>;
    /// The messages delivered to `who`, newest first.
    async fn list(&self, who: &Account) -> Result<Vec<Listed>, MailError>;
    /// One message's bytes, as stored.
    async fn fetch(&self, who: &Account, id: i64) -> Result<Vec<u8>, MailError>;
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
    ) -> Result<Option<i64>, MailError> {
        match self {
            Backend::Sqlite(s) => s.send(who, to, raw).await,
            Backend::Imap(s) => s.send(who, to, raw).await,
        }
    }
    async fn list(&self, who: &Account) -> Result<Vec<Listed>, MailError> {
        match self {
            Backend::Sqlite(s) => s.list(who).await,
            Backend::Imap(s) => s.list(who).await,
        }
    }
    async fn fetch(&self, who: &Account, id: i64) -> Result<Vec<u8>, MailError> {
        match self {
            Backend::Sqlite(s) => s.fetch(who, id).await,
            Backend::Imap(s) => s.fetch(who, id).await,
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
    ) -> Result<Option<i64>, MailError> {
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
        stored.map(Some).map_err(|_| MailError::Store)
    }

    async fn list(&self, who: &Account) -> Result<Vec<Listed>, MailError> {
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

    async fn fetch(&self, _who: &Account, id: i64) -> Result<Vec<u8>, MailError> {
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

/// An IMAP server (`imap://host:port`, or `imaps://` for TLS from the first
/// byte) and an SMTP submission server (`smtp://`, `smtp://…?tls=required`
/// for STARTTLS, `smtps://`).  Each user's own credentials log in to both.
pub struct ImapSmtp {
    imap_host: String,
    imap_port: u16,
    imap_tls: bool,
    smtp_url: String,
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

impl ImapSmtp {
    /// Checks both URLs.  Credentials never cross a network in clear:
    /// plain `imap://` or `smtp://` (without `tls=required`) must be loopback.
    pub fn new(imap: &str, smtp: &str) -> Result<Self, String> {
        let u = url::Url::parse(imap).map_err(|e| format!("--imap {imap}: {e}"))?;
        let imap_tls = match u.scheme() {
            "imaps" => true,
            "imap" => false,
            s => return Err(format!("--imap: scheme {s} (imap:// or imaps://)")),
        };
        let imap_host = u
            .host_str()
            .ok_or_else(|| format!("--imap {imap}: no host"))?
            .to_owned();
        let imap_port = u.port().unwrap_or(if imap_tls { 993 } else { 143 });
        if !imap_tls && !is_loopback(&imap_host) {
            return Err("--imap: a plain imap:// server must be on loopback (use imaps://)".into());
        }
        let s = url::Url::parse(smtp).map_err(|e| format!("--smtp {smtp}: {e}"))?;
        let smtp_tls = match s.scheme() {
            "smtps" => true,
            "smtp" => s.query_pairs().any(|(k, v)| k == "tls" && v == "required"),
            other => return Err(format!("--smtp: scheme {other} (smtp:// or smtps://)")),
        };
        let smtp_host = s
            .host_str()
            .ok_or_else(|| format!("--smtp {smtp}: no host"))?;
        if !smtp_tls && !is_loopback(smtp_host) {
            return Err(
                "--smtp: a plain smtp:// server must be on loopback (use smtps:// or ?tls=required)"
                    .into(),
            );
        }
        // Check the URL the way the transport will read it.
        lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(smtp)
            .map_err(|e| format!("--smtp {smtp}: {e}"))?;
        let roots = tokio_rustls::rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let tls = tokio_rustls::rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(ImapSmtp {
            imap_host,
            imap_port,
            imap_tls,
            smtp_url: smtp.to_owned(),
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
                    .map_err(|_| MailError::Unreachable("IMAP: TLS handshake failed".into()))?;
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
    ) -> Result<Option<i64>, MailError> {
        use lettre::address::{Address, Envelope};
        use lettre::transport::smtp::authentication::Credentials;
        use lettre::AsyncTransport as _;
        let parse = |a: &str| {
            a.parse::<Address>()
                .map_err(|_| MailError::Refused("an address the mail server cannot take".into()))
        };
        let envelope = Envelope::new(
            Some(parse(&who.address)?),
            to.iter().map(|a| parse(a)).collect::<Result<_, _>>()?,
        )
        .map_err(|_| MailError::Refused("no recipients".into()))?;
        let transport =
            lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&self.smtp_url)
                .map_err(|_| MailError::Unreachable("bad SMTP URL".into()))?
                .credentials(Credentials::new(who.address.clone(), who.password.clone()))
                .timeout(Some(MAIL_TIMEOUT))
                .build();
        // The transport ends DATA with CRLF "." CRLF itself: a message that
        // already ends on a line break would gain an empty line.
        let body = raw.strip_suffix(b"\r\n").unwrap_or(&raw);
        match transport.send_raw(&envelope, body).await {
            Ok(_) => Ok(None),
            Err(e) => Err(match e.status().map(|c| c.to_string()) {
                Some(c) if c == "535" || c == "530" => MailError::AuthFailed,
                Some(c) => MailError::Refused(format!("SMTP {c}")),
                None if e.is_timeout() => MailError::Unreachable("SMTP timed out".into()),
                None if e.is_tls() => MailError::Unreachable("SMTP TLS failed".into()),
                None => MailError::Unreachable("SMTP connection failed".into()),
            }),
        }
    }

    async fn list(&self, who: &Account) -> Result<Vec<Listed>, MailError> {
        let mut s = self.connect(who).await?;
        timed("IMAP", async {
            let mailbox = s.examine("INBOX").await.map_err(imap_error)?;
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

    async fn fetch(&self, who: &Account, id: i64) -> Result<Vec<u8>, MailError> {
        let uid = u32::try_from(id).map_err(|_| MailError::NotFound)?;
        let mut s = self.connect(who).await?;
        timed("IMAP", async {
            s.examine("INBOX").await.map_err(imap_error)?;
            let fetches: Vec<_> = s
                .uid_fetch(uid.to_string(), "BODY.PEEK[]")
                .await
                .map_err(imap_error)?
                .try_collect()
                .await
                .map_err(imap_error)?;
            let _ = s.logout().await;
            fetches
                .iter()
                .find(|f| f.uid == Some(uid))
                .and_then(|f| f.body())
                .map(<[u8]>::to_vec)
                .ok_or(MailError::NotFound)
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
        assert!(ImapSmtp::new("imap://127.0.0.1:1143", "smtp://127.0.0.1:1587").is_ok());
        assert!(ImapSmtp::new("imap://localhost", "smtp://[::1]:25").is_ok());
        assert!(ImapSmtp::new("imap://mail.example.org", "smtps://mail.example.org").is_err());
        assert!(ImapSmtp::new("imaps://mail.example.org", "smtp://mail.example.org").is_err());
        assert!(ImapSmtp::new(
            "imaps://mail.example.org",
            "smtp://mail.example.org:587?tls=required"
        )
        .is_ok());
        assert!(ImapSmtp::new("http://x", "smtp://127.0.0.1").is_err());
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
