//! `sealpost-verify`: checks that a served web app is the signed, reproducible release.
//! The I/O around sealpost-verifier (read, fetch, rebuild, print); never a check of its own.
//!
//! Exit codes: 0 verified (or, with `check --no-signature-check`, UNSIGNED:
//! no problem among the checks that ran), 1 a mismatch or problem was found
//! (also a bad signature, an expired manifest, a revoked release key), 2
//! usage or I/O error (including a server that is down).  Under `--json`,
//! errors are `{"error":{"code":…,"message":…}}` on standard output.

mod attest;
mod collect;
mod log;
mod provenance;
mod report;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{ArgGroup, Parser, Subcommand, ValueEnum};
use sealpost_core::{keys, Password};
use sealpost_verifier::manifest::{self, Manifest};
use sealpost_verifier::sri::Algorithm;
use sealpost_verifier::{cert, date, ErrorCode};

/// Verify that a web app is exactly its signed, reproducible release.
#[derive(Parser)]
#[command(name = "sealpost-verify", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Alg {
    Sha256,
    Sha384,
    Sha512,
}

#[derive(Subcommand)]
enum Command {
    /// Print Subresource Integrity strings of files (streamed, any size; `-` is standard input).
    Sri {
        /// Files to hash (`-` reads standard input).
        #[arg(required = true)]
        files: Vec<String>,
        /// Hash algorithm.
        #[arg(long, value_enum, default_value = "sha384")]
        algorithm: Alg,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Write a release manifest for DIR (and sign it).
    Manifest {
        /// The release directory to describe.
        #[arg(required_unless_present = "verify", conflicts_with = "verify")]
        dir: Option<PathBuf>,
        /// Where to write the manifest (the signature goes to OUT.sig).
        #[arg(long, requires = "dir")]
        out: Option<PathBuf>,
        /// Secret key to sign the manifest with (`-`: standard input).
        #[arg(long, value_name = "KEY")]
        sign_with: Option<String>,
        /// File holding the signing key's passphrase (`-`: standard input).
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<String>,
        /// Application name.
        #[arg(long, default_value = "sealpost")]
        app: String,
        /// Release version (MAJOR.MINOR.PATCH); required.
        #[arg(long = "release-version", required_unless_present = "verify")]
        release_version: Option<String>,
        /// When the manifest expires (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC).
        #[arg(long, value_name = "DATE", conflicts_with = "valid_days")]
        expires: Option<String>,
        /// Expire the manifest N days after SOURCE_DATE_EPOCH (if set, so builds stay
        /// reproducible) or now.
        #[arg(long, value_name = "N", default_value_t = DEFAULT_VALID_DAYS)]
        valid_days: u64,
        /// HTML entry point(s), relative to DIR (default: index.html if present).
        #[arg(long = "entry")]
        entries: Vec<String>,
        /// Source tree to record provenance from (git commit, lock files, tool versions).
        #[arg(long, value_name = "DIR")]
        source: Option<PathBuf>,
        /// Deprecated: use `verify-manifest MANIFEST`.
        #[arg(long, value_name = "MANIFEST", hide = true)]
        verify: Option<String>,
        /// Deprecated, with --verify.
        #[arg(long, value_name = "CERT", requires = "verify", hide = true)]
        cert: Option<String>,
        /// Deprecated, with --verify.
        #[arg(long, value_name = "SIG", requires = "verify", hide = true)]
        signature: Option<String>,
        /// Deprecated, with --verify.
        #[arg(long, value_name = "DATE", requires = "verify", hide = true)]
        at: Option<String>,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Verify a manifest's signature with the release certificate, and that it has not expired.
    VerifyManifest {
        /// The manifest (`-`: standard input; then give --signature).
        manifest: String,
        /// The release signing certificate (`-`: standard input).
        #[arg(long, value_name = "CERT")]
        cert: String,
        /// The signature (default: MANIFEST.sig; `-`: standard input).
        #[arg(long, value_name = "SIG")]
        signature: Option<String>,
        /// Judge the manifest's expiry at DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ) instead of now.
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Check a served site (URL) or a directory against a signed manifest.
    #[command(group(ArgGroup::new("signer").required(true).args(["cert", "no_signature_check"])))]
    Check {
        /// http(s):// URL of the site, or a directory.
        target: String,
        /// The manifest (a path, `-` for standard input).  Without it, a URL target's manifest,
        /// signature and release certificate are fetched from /.well-known/sealpost/.
        #[arg(long)]
        manifest: Option<String>,
        /// Verify the manifest's signature with this (pinned) release certificate.
        #[arg(long, value_name = "CERT")]
        cert: Option<String>,
        /// Check the files against the manifest without checking who signed it: the verdict
        /// is then UNSIGNED, never VERIFIED (exit 0 if nothing else is wrong).
        #[arg(long)]
        no_signature_check: bool,
        /// The signature (default: MANIFEST.sig, or the site's; `-`: standard input).
        #[arg(long, value_name = "SIG")]
        signature: Option<String>,
        /// Judge the manifest's expiry at DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ) instead of now.
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Rebuild the release from source in a clean temporary copy and compare every output byte with the manifest.
    Rebuild {
        /// The source tree.
        #[arg(long)]
        source: PathBuf,
        /// The manifest to compare with (`-`: standard input).
        #[arg(long)]
        manifest: String,
        /// The build command, run with sh -c in the copy.
        #[arg(long, default_value = "make dist")]
        build_cmd: String,
        /// The build's output directory, relative to the copy.
        #[arg(long, default_value = "dist")]
        output: PathBuf,
        /// On a match, sign a rebuild attestation with this rebuilder key (an Ed25519 note
        /// key: `log keygen --origin NAME`) and print it (or write it to --attestation-out).
        #[arg(long, value_name = "KEY")]
        attest: Option<PathBuf>,
        /// Write the signed attestation here.
        #[arg(long, value_name = "FILE", requires = "attest")]
        attestation_out: Option<PathBuf>,
        /// Append the attestation to this log directory (with --log-key, the log's key).
        #[arg(long, value_name = "DIR", requires_all = ["attest", "log_key"])]
        log: Option<PathBuf>,
        /// The log's private key (for --log).
        #[arg(long, value_name = "KEY", requires = "log")]
        log_key: Option<PathBuf>,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// The release signing certificate: refresh a pinned copy from the site's.
    #[command(subcommand)]
    Cert(CertCommand),
    /// The release transparency log (C2SP tlog-tiles, witnessed): append, checkpoint, prove, verify, monitor.
    #[command(subcommand)]
    Log(log::LogCommand),
}

#[derive(Subcommand)]
enum CertCommand {
    /// Merge the site's release certificate into the pinned one, keeping only what the pinned
    /// key signed; report a revocation (exit 1).
    Refresh {
        /// The pinned certificate (`-`: standard input).
        #[arg(long, value_name = "CERT")]
        pinned: String,
        /// The certificate the site serves now (`-`: standard input).
        #[arg(long, value_name = "CERT")]
        fetched: String,
        /// Write the merged certificate (armored) here.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Judge revocation at DATE instead of now.
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
}

impl Command {
    fn json(&self) -> bool {
        match self {
            Command::Sri { json, .. }
            | Command::Manifest { json, .. }
            | Command::VerifyManifest { json, .. }
            | Command::Check { json, .. }
            | Command::Rebuild { json, .. }
            | Command::Cert(CertCommand::Refresh { json, .. }) => *json,
            Command::Log(_) => std::env::args().any(|a| a == "--json"),
        }
    }
}

/// An error that ends the run, with a stable code: exit code 2 (usage,
/// I/O), or 1 for a verification failure that stops the run (a bad
/// manifest signature, an expired manifest, a revoked or mismatched key).
pub struct Fatal {
    code: &'static str,
    message: String,
    exit_code: u8,
}

impl Fatal {
    fn with(code: &'static str, message: impl Into<String>, exit_code: u8) -> Self {
        Fatal {
            code,
            message: message.into(),
            exit_code,
        }
    }

    /// An I/O error (`IO_ERROR`): exit code 2.
    pub fn new(message: impl Into<String>) -> Self {
        Fatal::with("IO_ERROR", message, 2)
    }

    /// A usage error (`USAGE`): exit code 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Fatal::with("USAGE", message, 2)
    }

    /// The site could not be fetched (`FETCH_FAILED`): exit code 2.
    pub fn fetch(message: impl Into<String>) -> Self {
        Fatal::with("FETCH_FAILED", message, 2)
    }

    /// A verification failure that stops the run (`NOT_VERIFIED`): exit code 1.
    pub fn not_verified(message: impl Into<String>) -> Self {
        Fatal::with("NOT_VERIFIED", message, 1)
    }

    /// The rebuild failed (`BUILD_FAILED`): exit code 2.
    pub fn build(message: impl Into<String>) -> Self {
        Fatal::with("BUILD_FAILED", message, 2)
    }

    /// A library error about `what`, with its code: exit 1 when it is a
    /// verdict (signature, expiry, key), 2 for unreadable input.
    fn lib(what: &str, e: sealpost_verifier::Error) -> Self {
        let exit = match e.code {
            ErrorCode::BadSignature
            | ErrorCode::ReleaseExpired
            | ErrorCode::ExpiryTooFar
            | ErrorCode::CertMismatch => 1,
            _ => 2,
        };
        let message = if what.is_empty() {
            e.message
        } else {
            format!("{what}: {}", e.message)
        };
        Fatal::with(e.code.as_str(), message, exit)
    }
}

impl From<std::io::Error> for Fatal {
    fn from(e: std::io::Error) -> Self {
        Fatal::new(e.to_string())
    }
}

impl From<sealpost_verifier::Error> for Fatal {
    fn from(e: sealpost_verifier::Error) -> Self {
        Fatal::lib("", e)
    }
}

fn print_error(f: &Fatal, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::json!({"error": {"code": f.code, "message": f.message}})
        );
    } else {
        eprintln!(
            "sealpost-verify: {}: {}: {}",
            if f.exit_code == 1 {
                "not verified"
            } else {
                "error"
            },
            f.code,
            f.message
        );
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version go out as clap prints them (exit 0); other
            // usage errors as JSON when --json was asked for.
            if e.use_stderr() && std::env::args().any(|a| a == "--json") {
                let message = e.render().to_string();
                let first = message.lines().next().unwrap_or("").trim();
                let first = first.strip_prefix("error: ").unwrap_or(first);
                print_error(&Fatal::usage(first), true);
                return ExitCode::from(2);
            }
            e.exit();
        }
    };
    let json = cli.command.json();
    match run(cli.command) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(f) => {
            print_error(&f, json);
            ExitCode::from(f.exit_code)
        }
    }
}

/// Whether standard input has been read: only one argument may be `-`.
static STDIN_TAKEN: AtomicBool = AtomicBool::new(false);

fn take_stdin(what: &str) -> Result<(), Fatal> {
    if STDIN_TAKEN.swap(true, Ordering::SeqCst) {
        return Err(Fatal::usage(format!(
            "{what}: only one argument can be `-` (standard input)"
        )));
    }
    Ok(())
}

/// Reads a file, or standard input for `-`.
fn read(path: &str) -> Result<Vec<u8>, Fatal> {
    if path == "-" {
        take_stdin(path)?;
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| Fatal::new(format!("standard input: {e}")))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| Fatal::new(format!("{path}: {e}")))
}

fn sig_path(manifest: &str, explicit: Option<String>) -> Result<String, Fatal> {
    match explicit {
        Some(s) => Ok(s),
        None if manifest == "-" => Err(Fatal::usage(
            "the manifest comes from standard input: give --signature",
        )),
        None => Ok(format!("{manifest}.sig")),
    }
}

/// A manifest expires this many days after it is made, unless told otherwise.
const DEFAULT_VALID_DAYS: u64 = 180;

/// Now, in Unix seconds.
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A date given on the command line: `YYYY-MM-DD` (midnight UTC) or
/// `YYYY-MM-DDTHH:MM:SSZ`.
fn parse_date(flag: &str, s: &str) -> Result<u64, Fatal> {
    let full = if s.len() == 10 {
        format!("{s}T00:00:00Z")
    } else {
        s.to_string()
    };
    date::parse(&full).ok_or_else(|| {
        Fatal::usage(format!(
            "{flag} {s:?}: not a UTC date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"
        ))
    })
}

/// When a new manifest expires: `--expires`, or `--valid-days` after
/// `SOURCE_DATE_EPOCH` (so that a reproducible build writes the same
/// bytes) or after now.
fn expiry(expires: Option<&str>, valid_days: u64) -> Result<u64, Fatal> {
    if let Some(e) = expires {
        return parse_date("--expires", e);
    }
    let base = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => s.trim().parse::<u64>().map_err(|_| {
            Fatal::usage(format!(
                "SOURCE_DATE_EPOCH {s:?} is not a number of seconds"
            ))
        })?,
        Err(_) => now(),
    };
    valid_days
        .checked_mul(86_400)
        .and_then(|d| base.checked_add(d))
        .filter(|&t| t <= date::MAX)
        .ok_or_else(|| {
            Fatal::usage(format!(
                "--valid-days {valid_days} is too far in the future"
            ))
        })
}

/// The time to judge expiry at: `--at`, or now.
fn judge_at(at: Option<&str>) -> Result<u64, Fatal> {
    at.map_or_else(|| Ok(now()), |a| parse_date("--at", a))
}

fn read_cert(name: &str, bytes: &[u8]) -> Result<sealpost_core::Cert, Fatal> {
    keys::read_cert(bytes).map_err(|e| Fatal::with("BAD_KEY", format!("{name}: {e}"), 2))
}

/// A manifest's bytes, where they came from, and what can vouch for them.
struct Source {
    name: String,
    bytes: Vec<u8>,
    /// The signature, when a signature is to be checked.
    signature: Option<Vec<u8>>,
}

/// Parses a manifest; with a cert, verifies its signature first; then
/// refuses it if it has expired at `at` (exit 1, RELEASE_EXPIRED).
/// Returns the manifest and the signer's fingerprint.
fn load_manifest(
    src: &Source,
    cert: Option<&sealpost_core::Cert>,
    at: u64,
) -> Result<(Manifest, Option<String>), Fatal> {
    let (m, signer) = match (cert, &src.signature) {
        (Some(cert), Some(sig)) => (
            manifest::verify_signed(&src.bytes, sig, cert).map_err(|e| Fatal::lib(&src.name, e))?,
            Some(cert.fingerprint().to_hex()),
        ),
        (Some(_), None) => {
            return Err(Fatal::with(
                "BAD_SIGNATURE",
                format!("{}: no signature", src.name),
                1,
            ))
        }
        (None, _) => (
            Manifest::from_bytes(&src.bytes).map_err(|e| Fatal::lib(&src.name, e))?,
            None,
        ),
    };
    m.check_not_expired(at)
        .map_err(|e| Fatal::lib(&src.name, e))?;
    Ok((m, signer))
}

#[allow(clippy::too_many_arguments)]
fn write_manifest(
    dir: PathBuf,
    out: Option<PathBuf>,
    sign_with: Option<String>,
    passphrase_file: Option<String>,
    app: String,
    release_version: String,
    expires: u64,
    entries: Vec<String>,
    source: Option<PathBuf>,
    json: bool,
) -> Result<bool, Fatal> {
    let out = out.unwrap_or_else(|| dir.join("manifest.json"));
    let mut m = Manifest::new(&app, &release_version, expires)?;
    let mut sig_out = out.as_os_str().to_owned();
    sig_out.push(".sig");
    let sig_out = PathBuf::from(sig_out);
    let skip: Vec<PathBuf> = vec![out.clone(), sig_out.clone()];
    for (path, file) in collect::walk(&dir, &skip)? {
        let (hash, size) = collect::hash_file(&file, Algorithm::Sha384)?;
        m.add_file(&path, hash.to_string(), size)?;
    }
    m.entrypoints = if entries.is_empty() {
        m.files
            .keys()
            .filter(|p| p.as_str() == "index.html")
            .cloned()
            .collect()
    } else {
        entries
    };
    if let Some(src) = source {
        m.provenance = provenance::collect(&src);
    }
    // Validate (entry points exist, canonical) by a round trip.
    let bytes = m.to_canonical();
    Manifest::from_bytes(&bytes)?;
    let mut signed = None;
    if let Some(k) = sign_with {
        let key = read_cert(&k, &read(&k)?)?;
        let pass: Vec<Password> = match passphrase_file {
            Some(p) => vec![Password::from(
                String::from_utf8_lossy(&read(&p)?)
                    .trim_end_matches(['\n', '\r'])
                    .to_string(),
            )],
            None => Vec::new(),
        };
        signed = Some((m.sign(&key, &pass)?, key.fingerprint().to_hex()));
    }
    std::fs::write(&out, &bytes).map_err(|e| Fatal::new(format!("{}: {e}", out.display())))?;
    if let Some((sig, _)) = &signed {
        std::fs::write(&sig_out, sig)
            .map_err(|e| Fatal::new(format!("{}: {e}", sig_out.display())))?;
    }
    report::manifest_written(&m, &out, signed.as_ref().map(|s| s.1.as_str()), json);
    Ok(true)
}

fn verify_manifest(
    manifest: String,
    cert: String,
    signature: Option<String>,
    at: Option<String>,
    json: bool,
) -> Result<bool, Fatal> {
    let at = judge_at(at.as_deref())?;
    let sig = sig_path(&manifest, signature)?;
    let src = Source {
        bytes: read(&manifest)?,
        signature: Some(read(&sig)?),
        name: manifest,
    };
    let cert = read_cert(&cert, &read(&cert)?)?;
    let (m, signer) = load_manifest(&src, Some(&cert), at)?;
    report::manifest_verified(&m, signer.as_deref().unwrap_or(""), json);
    Ok(true)
}

fn check(
    target: String,
    manifest: Option<String>,
    cert: Option<String>,
    signature: Option<String>,
    at: Option<String>,
    json: bool,
) -> Result<bool, Fatal> {
    let at = judge_at(at.as_deref())?;
    let is_url = target.starts_with("http://") || target.starts_with("https://");
    let pinned = match &cert {
        Some(c) => Some((c.clone(), read(c)?)),
        None => None,
    };
    let mut skip: Vec<PathBuf> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let (src, served_cert) = match manifest {
        Some(path) => {
            let signature = match &pinned {
                Some(_) => {
                    let s = sig_path(&path, signature)?;
                    skip.push(PathBuf::from(&s));
                    Some(read(&s)?)
                }
                None => None,
            };
            skip.push(PathBuf::from(&path));
            (
                Source {
                    bytes: read(&path)?,
                    signature,
                    name: path,
                },
                None,
            )
        }
        None if is_url => {
            let wk = collect::well_known(&target, pinned.is_some())?;
            let signature = match (&pinned, signature) {
                (None, _) => None,
                (Some(_), Some(s)) => Some(read(&s)?),
                (Some(_), None) => Some(wk.signature.ok_or_else(|| {
                    Fatal::with(
                        "BAD_SIGNATURE",
                        format!("{}.sig: not found", wk.manifest_url),
                        1,
                    )
                })?),
            };
            (
                Source {
                    name: wk.manifest_url,
                    bytes: wk.manifest,
                    signature,
                },
                wk.cert,
            )
        }
        None => {
            return Err(Fatal::usage(
                "give --manifest (the well-known manifest is fetched only for a URL)",
            ))
        }
    };
    // The pinned certificate, refreshed with what the site serves (only
    // what the pinned key signed is taken; a revocation ends the check).
    let cert = match (&pinned, served_cert) {
        (None, _) => None,
        (Some((name, bytes)), None) => Some(read_cert(name, bytes)?),
        (Some((name, bytes)), Some(served)) => {
            let r = cert::refresh(bytes, &served, at).map_err(|e| match e.code {
                ErrorCode::InvalidCert if e.message.starts_with("pinned") => {
                    Fatal::with("BAD_KEY", format!("{name}: {}", e.message), 2)
                }
                _ => Fatal::lib("the site's release-cert.asc", e),
            })?;
            if r.revoked {
                return Err(Fatal::with(
                    "CERT_REVOKED",
                    format!(
                        "the release key {} is revoked ({})",
                        r.fingerprint,
                        r.reason.unwrap_or_default()
                    ),
                    1,
                ));
            }
            if r.changed {
                notes.push(
                    "the site's release-cert.asc updates the pinned certificate (self-signed parts only)"
                        .into(),
                );
            }
            Some(read_cert(name, r.cert.as_bytes())?)
        }
    };
    let (m, signer) = load_manifest(&src, cert.as_ref(), at)?;
    let (served, origin) = if is_url {
        collect::from_url(&target, &m)?
    } else {
        (collect::from_dir(Path::new(&target), &skip)?, None)
    };
    let r = sealpost_verifier::compare::check(&m, &served, origin.as_deref());
    let verdict = match (r.verified, &signer) {
        (false, _) => report::Verdict::NotVerified,
        (true, Some(_)) => report::Verdict::Verified,
        (true, None) => report::Verdict::Unsigned,
    };
    report::check(
        &r,
        &target,
        signer.as_deref(),
        &m.expires,
        &notes,
        verdict,
        json,
    );
    Ok(r.verified)
}

fn refresh(
    pinned: String,
    fetched: String,
    out: Option<PathBuf>,
    at: Option<String>,
    json: bool,
) -> Result<bool, Fatal> {
    let at = judge_at(at.as_deref())?;
    let r = cert::refresh(&read(&pinned)?, &read(&fetched)?, at)?;
    if let Some(o) = &out {
        std::fs::write(o, &r.cert).map_err(|e| Fatal::new(format!("{}: {e}", o.display())))?;
    }
    report::refreshed(&r, out.as_deref(), json);
    Ok(!r.revoked)
}

fn run(command: Command) -> Result<bool, Fatal> {
    match command {
        Command::Sri {
            files,
            algorithm,
            json,
        } => {
            let alg = match algorithm {
                Alg::Sha256 => Algorithm::Sha256,
                Alg::Sha384 => Algorithm::Sha384,
                Alg::Sha512 => Algorithm::Sha512,
            };
            let mut rows = Vec::new();
            for f in &files {
                let (hash, size) = if f == "-" {
                    take_stdin(f)?;
                    collect::hash_stdin(alg)?
                } else {
                    collect::hash_file(Path::new(f), alg)?
                };
                rows.push((f.clone(), hash.to_string(), size));
            }
            report::sri(&rows, json);
            Ok(true)
        }
        Command::Manifest {
            verify: Some(m),
            cert,
            signature,
            at,
            json,
            ..
        } => {
            eprintln!(
                "sealpost-verify: `manifest --verify` is deprecated: use `verify-manifest MANIFEST --cert CERT`"
            );
            let cert = cert.ok_or_else(|| Fatal::usage("manifest --verify needs --cert"))?;
            verify_manifest(m, cert, signature, at, json)
        }
        Command::Manifest {
            dir: Some(dir),
            out,
            sign_with,
            passphrase_file,
            app,
            release_version: Some(release_version),
            expires,
            valid_days,
            entries,
            source,
            json,
            ..
        } => {
            let expires = expiry(expires.as_deref(), valid_days)?;
            write_manifest(
                dir,
                out,
                sign_with,
                passphrase_file,
                app,
                release_version,
                expires,
                entries,
                source,
                json,
            )
        }
        Command::Manifest { .. } => Err(Fatal::usage("give DIR and --release-version")),
        Command::VerifyManifest {
            manifest,
            cert,
            signature,
            at,
            json,
        } => verify_manifest(manifest, cert, signature, at, json),
        Command::Check {
            target,
            manifest,
            cert,
            no_signature_check: _,
            signature,
            at,
            json,
        } => check(target, manifest, cert, signature, at, json),
        Command::Rebuild {
            source,
            manifest,
            build_cmd,
            output,
            attest,
            attestation_out,
            log,
            log_key,
            json,
        } => {
            // A rebuild compares bytes with whatever the manifest lists:
            // not who signed it, nor whether it has expired.
            let manifest_bytes = read(&manifest)?;
            let m = Manifest::from_bytes(&manifest_bytes).map_err(|e| Fatal::lib(&manifest, e))?;
            // The rebuilder's key is read before the (long) build: a bad key fails first.
            let rebuilder = attest.as_deref().map(attest::read_key).transpose()?;
            if rebuilder.is_some() {
                attest::require_commit(&m)?;
            }
            let started = std::time::Instant::now();
            let built = collect::rebuild(&source, &build_cmd, &output, &m)?;
            let build_secs = started.elapsed().as_secs_f64();
            let out_dir = built.path().join(&output);
            let skip = [
                out_dir.join("manifest.json"),
                out_dir.join("manifest.json.sig"),
            ];
            let served = collect::from_dir(&out_dir, &skip)?;
            let r = sealpost_verifier::compare::check(&m, &served, None);
            let verdict = if r.verified {
                report::Verdict::Reproduced
            } else {
                report::Verdict::NotReproduced
            };
            // With --json and --attest, one JSON object on stdout: the attestation's.
            if rebuilder.is_none() || !json || !r.verified {
                report::check(
                    &r,
                    &format!("rebuild of {}", source.display()),
                    None,
                    &m.expires,
                    &[],
                    verdict,
                    json,
                );
            }
            match rebuilder {
                Some(key) if r.verified => attest::attest(
                    &key,
                    &m,
                    &manifest_bytes,
                    built.path(),
                    build_secs,
                    attestation_out.as_deref(),
                    log.as_deref().zip(log_key.as_deref()),
                    json,
                )?,
                Some(_) => eprintln!("sealpost-verify: NOT REPRODUCED: no attestation signed"),
                None => {}
            }
            Ok(r.verified)
        }
        Command::Cert(CertCommand::Refresh {
            pinned,
            fetched,
            out,
            at,
            json,
        }) => refresh(pinned, fetched, out, at, json),
        Command::Log(command) => log::run(command),
    }
}
