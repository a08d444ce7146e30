//! sealpost-witness: a C2SP tlog-witness.
//!
//! For each log it follows (configured by the log's Ed25519 verifier key, whose name is the
//! log's origin) it keeps the latest checkpoint it cosigned in SQLite, and cosigns a new one
//! (`cosignature/v1`, Ed25519) only if it is signed by the log and a consistency proof from the
//! held checkpoint verifies. The check and the update are one SQLite transaction, so two
//! concurrent requests cannot roll the log back. Requests that are validly signed but refused
//! for inconsistency are kept in the `evidence` table: a log that forks or rewinds has signed
//! its own misbehaviour.
//!
//! ```text
//! sealpost-witness keygen --name witness.example/w1 --out w1.key      # prints the vkey
//! sealpost-witness serve --key w1.key --db w1.sqlite --listen 127.0.0.1:7001 --log <log vkey>…
//! ```
//!
//! HTTP: `POST /add-checkpoint` (the spec's statuses: 200, 400, 403, 404, 409, 422) and
//! `GET /<sha256(origin) hex>/checkpoint` (the latest cosigned checkpoint, or 404).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use clap::{Parser, Subcommand};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use sealpost_tlog::keys::{SecretKey, VKey, ALG_COSIGNATURE_V1, ALG_ED25519};
use sealpost_tlog::witness::{origin_hash, Latest, Witness, WitnessStore};
use sealpost_tlog::{Error, Hash};

#[derive(Parser)]
#[command(
    name = "sealpost-witness",
    version,
    about = "A C2SP tlog-witness (cosignature/v1, SQLite state)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make a cosigning key: writes the private key to OUT, prints the verifier key.
    Keygen {
        /// The witness's name (a schema-less URL, e.g. witness.example/w1).
        #[arg(long)]
        name: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Serve add-checkpoint.
    Serve {
        /// The witness's private key (from keygen).
        #[arg(long)]
        key: PathBuf,
        /// The SQLite database holding the latest checkpoint per log.
        #[arg(long)]
        db: PathBuf,
        /// Address to listen on (port 0: any free port; the chosen URL is printed).
        #[arg(long, default_value = "127.0.0.1:7001")]
        listen: SocketAddr,
        /// A log to follow: its Ed25519 verifier key (name = origin). Repeatable.
        #[arg(long = "log", required = true)]
        logs: Vec<String>,
    },
}

struct Db<'a>(&'a rusqlite::Transaction<'a>);

fn db_err(e: rusqlite::Error) -> Error {
    Error::io(format!("database: {e}"))
}

impl WitnessStore for Db<'_> {
    fn latest(&mut self, origin: &str) -> sealpost_tlog::Result<Option<Latest>> {
        self.0
            .query_row(
                "SELECT size, root, note FROM latest WHERE origin = ?1",
                params![origin],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Vec<u8>>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                    ))
                },
            )
            .optional()
            .map_err(db_err)?
            .map(|(size, root, note)| {
                let root: [u8; 32] = root
                    .try_into()
                    .map_err(|_| Error::io("database: a stored root is not 32 bytes"))?;
                Ok(Latest {
                    size: u64::try_from(size).map_err(|_| Error::io("database: negative size"))?,
                    root: Hash(root),
                    note,
                })
            })
            .transpose()
    }

    fn store(&mut self, origin: &str, l: &Latest) -> sealpost_tlog::Result<()> {
        let size = i64::try_from(l.size).map_err(|_| Error::io("size too large"))?;
        self.0
            .execute(
                "INSERT INTO latest (origin, origin_hash, size, root, note) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(origin) DO UPDATE SET size = ?3, root = ?4, note = ?5",
                params![origin, origin_hash(origin), size, l.root.0.to_vec(), l.note],
            )
            .map(|_| ())
            .map_err(db_err)
    }
}

struct App {
    witness: Witness,
    db: Mutex<Connection>,
}

fn open_db(path: &Path) -> Result<Connection, String> {
    let c = Connection::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    c.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         CREATE TABLE IF NOT EXISTS latest (
             origin TEXT PRIMARY KEY, origin_hash TEXT NOT NULL, size INTEGER NOT NULL,
             root BLOB NOT NULL, note BLOB NOT NULL);
         CREATE TABLE IF NOT EXISTS evidence (
             id INTEGER PRIMARY KEY, time INTEGER NOT NULL, status INTEGER NOT NULL,
             request BLOB NOT NULL, answer BLOB NOT NULL);",
    )
    .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(c)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(1)
}

fn add_checkpoint(app: &App, body: &[u8]) -> sealpost_tlog::witness::Response {
    let fail = |e: String| sealpost_tlog::witness::Response {
        status: 500,
        content_type: "text/plain; charset=utf-8",
        body: format!("{e}\n").into_bytes(),
    };
    let mut conn = match app.db.lock() {
        Ok(c) => c,
        Err(p) => p.into_inner(),
    };
    // One IMMEDIATE transaction: the size check and the update are atomic.
    let tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(t) => t,
        Err(e) => return fail(e.to_string()),
    };
    let resp = app.witness.add_checkpoint(&mut Db(&tx), body, now());
    if matches!(resp.status, 409 | 422) {
        // Validly signed by the log (else 403/404) and refused: keep it as evidence.
        let _ = tx.execute(
            "INSERT INTO evidence (time, status, request, answer) VALUES (?1, ?2, ?3, ?4)",
            params![now() as i64, resp.status, body, resp.body],
        );
    }
    match tx.commit() {
        Ok(()) => resp,
        Err(e) => fail(e.to_string()),
    }
}

async fn post_add_checkpoint(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let app2 = app.clone();
    let resp = match tokio::task::spawn_blocking(move || add_checkpoint(&app2, &body)).await {
        Ok(r) => r,
        Err(e) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response();
        }
    };
    let status = StatusCode::from_u16(resp.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, resp.content_type)],
        resp.body,
    )
        .into_response()
}

async fn get_checkpoint(State(app): State<Arc<App>>, UrlPath(hash): UrlPath<String>) -> Response {
    let note: Option<Vec<u8>> = {
        let conn = match app.db.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        conn.query_row(
            "SELECT note FROM latest WHERE origin_hash = ?1",
            params![hash],
            |r| r.get(0),
        )
        .optional()
        .unwrap_or(None)
    };
    match note {
        Some(n) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            n,
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            "no checkpoint cosigned for that log\n",
        )
            .into_response(),
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/add-checkpoint", post(post_add_checkpoint))
        .route("/{origin_hash}/checkpoint", get(get_checkpoint))
        .layer(DefaultBodyLimit::max(128 * 1024))
        .with_state(app)
}

fn read_text(p: &Path) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))
}

async fn serve(
    key: PathBuf,
    db: PathBuf,
    listen: SocketAddr,
    logs: Vec<String>,
) -> Result<(), String> {
    let key = SecretKey::parse(&read_text(&key)?).map_err(|e| format!("{}: {e}", key.display()))?;
    if key.alg != ALG_COSIGNATURE_V1 {
        return Err("the witness key must be a cosignature/v1 key (from keygen)".into());
    }
    let mut vkeys = Vec::new();
    for l in &logs {
        let v = VKey::parse(l).map_err(|e| format!("--log: {e}"))?;
        if v.alg != ALG_ED25519 {
            return Err(format!(
                "--log {l}: a log key is an Ed25519 (type 0x01) key"
            ));
        }
        vkeys.push(v);
    }
    let vkey = key.vkey().encode();
    let app = Arc::new(App {
        witness: Witness { key, logs: vkeys },
        db: Mutex::new(open_db(&db)?),
    });
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("{listen}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    println!("sealpost-witness {vkey} listening on http://{local}");
    axum::serve(listener, router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::process::ExitCode {
    let result = match Cli::parse().command {
        Command::Keygen { name, out } => (|| {
            let k = SecretKey::generate(&name, ALG_COSIGNATURE_V1).map_err(|e| e.to_string())?;
            write_private(&out, &k.encode())?;
            println!("{}", k.vkey().encode());
            Ok(())
        })(),
        Command::Serve {
            key,
            db,
            listen,
            logs,
        } => serve(key, db, listen, logs).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sealpost-witness: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// Writes a private key readable by its owner only, refusing to overwrite one.
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    sealpost_tlog::keys::write_private_key_file(path, text)
}
