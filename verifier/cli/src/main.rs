//! `sealpost-verify`: checks that a served web app is the signed, reproducible release.
//! The I/O around sealpost-verifier (read, fetch, rebuild, print); never a check of its own.
//!
//! Exit codes: 0 verified, 1 a mismatch or problem was found, 2 usage or
//! I/O error (including a server that is down).

mod collect;
mod log;
mod provenance;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use sealpost_core::{keys, Password};
use sealpost_verifier::date;
use sealpost_verifier::manifest::{self, Manifest};
use sealpost_verifier::sri::Algorithm;

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
    /// Print Subresource Integrity strings of files (streamed, any size).
    Sri {
        /// Files to hash.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Hash algorithm.
        #[arg(long, value_enum, default_value = "sha384")]
        algorithm: Alg,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Write a release manifest for DIR (and sign it), or verify one.
    Manifest {
        /// The release directory to describe.
        #[arg(required_unless_present = "verify", conflicts_with = "verify")]
        dir: Option<PathBuf>,
        /// Where to write the manifest (the signature goes to OUT.sig).
        #[arg(long, requires = "dir")]
        out: Option<PathBuf>,
        /// Secret key to sign the manifest with.
        #[arg(long, value_name = "KEY")]
        sign_with: Option<PathBuf>,
        /// File holding the signing key's passphrase.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// Application name.
        #[arg(long, default_value = "sealpost")]
        app: String,
        /// Release version (MAJOR.MINOR.PATCH).
        #[arg(long = "release-version", default_value = "0.1.0")]
        release_version: String,
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
        /// Verify this manifest instead of writing one.
        #[arg(long, value_name = "MANIFEST")]
        verify: Option<PathBuf>,
        /// The release signing certificate (with --verify).
        #[arg(long, value_name = "CERT", requires = "verify")]
        cert: Option<PathBuf>,
        /// The signature (default: MANIFEST.sig).
        #[arg(long, value_name = "SIG")]
        signature: Option<PathBuf>,
        /// Judge the manifest's expiry at DATE instead of now (with --verify).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Check a served site (URL) or a directory against a manifest.
    Check {
        /// http(s):// URL of the site, or a directory.
        target: String,
        /// The manifest (a path).
        #[arg(long)]
        manifest: PathBuf,
        /// Verify the manifest's signature with this certificate first.
        #[arg(long, value_name = "CERT")]
        cert: Option<PathBuf>,
        /// The signature (default: MANIFEST.sig).
        #[arg(long, value_name = "SIG")]
        signature: Option<PathBuf>,
        /// Judge the manifest's expiry at DATE instead of now.
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
        /// The manifest to compare with.
        #[arg(long)]
        manifest: PathBuf,
        /// The build command, run with sh -c in the copy.
        #[arg(long, default_value = "make dist")]
        build_cmd: String,
        /// The build's output directory, relative to the copy.
        #[arg(long, default_value = "dist")]
        output: PathBuf,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// The release transparency log (C2SP tlog-tiles, witnessed): append, checkpoint, prove, verify, monitor.
    #[command(subcommand)]
    Log(log::LogCommand),
}

/// An error that ends the run: exit code 2 (usage, I/O), or 1 for a
/// verification failure that stops the run (a bad manifest signature).
pub struct Fatal {
    message: String,
    exit_code: u8,
}

impl Fatal {
    /// Usage or I/O error: exit code 2.
    pub fn new(message: impl Into<String>) -> Self {
        Fatal {
            message: message.into(),
            exit_code: 2,
        }
    }

    /// A verification failure that stops the run: exit code 1.
    pub fn not_verified(message: impl Into<String>) -> Self {
        Fatal {
            message: message.into(),
            exit_code: 1,
        }
    }
}

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Self {
        Fatal::new(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(f) => {
            eprintln!(
                "sealpost-verify: {}: {}",
                if f.exit_code == 1 {
                    "not verified"
                } else {
                    "error"
                },
                f.message
            );
            ExitCode::from(f.exit_code)
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Fatal> {
    std::fs::read(path).map_err(|e| Fatal::new(format!("{}: {e}", path.display())))
}

fn sig_path(manifest: &Path, explicit: Option<PathBuf>) -> PathBuf {
    explicit.unwrap_or_else(|| {
        let mut s = manifest.as_os_str().to_owned();
        s.push(".sig");
        PathBuf::from(s)
    })
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
        Fatal::new(format!(
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
            Fatal::new(format!(
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
            Fatal::new(format!(
                "--valid-days {valid_days} is too far in the future"
            ))
        })
}

/// The time to judge expiry at: `--at`, or now.
fn judge_at(at: Option<&str>) -> Result<u64, Fatal> {
    at.map_or_else(|| Ok(now()), |a| parse_date("--at", a))
}

/// Reads a manifest; with a cert, verifies its signature first; then
/// refuses it if it has expired at `at` (exit 1, RELEASE_EXPIRED).
fn load_manifest(
    path: &Path,
    cert: Option<&Path>,
    signature: Option<PathBuf>,
    at: u64,
) -> Result<(Manifest, Option<String>), Fatal> {
    let (m, signer) = read_manifest(path, cert, signature)?;
    m.check_not_expired(at)
        .map_err(|e| Fatal::not_verified(format!("{}: {e}", path.display())))?;
    Ok((m, signer))
}

/// Reads a manifest; with a cert, verifies its signature first.
fn read_manifest(
    path: &Path,
    cert: Option<&Path>,
    signature: Option<PathBuf>,
) -> Result<(Manifest, Option<String>), Fatal> {
    let bytes = read(path)?;
    match cert {
        None => Ok((
            Manifest::from_bytes(&bytes)
                .map_err(|e| Fatal::new(format!("{}: {e}", path.display())))?,
            None,
        )),
        Some(c) => {
            let cert = keys::read_cert(&read(c)?)
                .map_err(|e| Fatal::new(format!("{}: {e}", c.display())))?;
            let sig = read(&sig_path(path, signature))?;
            let m = manifest::verify_signed(&bytes, &sig, &cert).map_err(|e| {
                let msg = format!("{}: {e}", path.display());
                if e.code == sealpost_verifier::ErrorCode::BadSignature {
                    Fatal::not_verified(msg)
                } else {
                    Fatal::new(msg)
                }
            })?;
            Ok((m, Some(cert.fingerprint().to_hex())))
        }
    }
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
                let (hash, size) = collect::hash_file(f, alg)?;
                rows.push((f.display().to_string(), hash.to_string(), size));
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
            let Some(cert) = cert else {
                return Err(Fatal::new("manifest --verify needs --cert"));
            };
            let at = judge_at(at.as_deref())?;
            let (manifest, signer) = load_manifest(&m, Some(&cert), signature, at)?;
            report::manifest_verified(&manifest, signer.as_deref().unwrap_or(""), json);
            Ok(true)
        }
        Command::Manifest {
            dir: Some(dir),
            out,
            sign_with,
            passphrase_file,
            app,
            release_version,
            entries,
            source,
            expires,
            valid_days,
            json,
            ..
        } => {
            let out = out.unwrap_or_else(|| dir.join("manifest.json"));
            let expires = expiry(expires.as_deref(), valid_days)?;
            let mut m = Manifest::new(&app, &release_version, expires)?;
            let skip: Vec<PathBuf> = vec![out.clone(), sig_path(&out, None)];
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
            std::fs::write(&out, &bytes)
                .map_err(|e| Fatal::new(format!("{}: {e}", out.display())))?;
            let mut signed_by = None;
            if let Some(k) = sign_with {
                let key = keys::read_cert(&read(&k)?)
                    .map_err(|e| Fatal::new(format!("{}: {e}", k.display())))?;
                let pass: Vec<Password> = match passphrase_file {
                    Some(p) => vec![Password::from(
                        String::from_utf8_lossy(&read(&p)?)
                            .trim_end_matches(['\n', '\r'])
                            .to_string(),
                    )],
                    None => Vec::new(),
                };
                let sig = m.sign(&key, &pass)?;
                let sp = sig_path(&out, None);
                std::fs::write(&sp, sig)
                    .map_err(|e| Fatal::new(format!("{}: {e}", sp.display())))?;
                signed_by = Some(key.fingerprint().to_hex());
            }
            report::manifest_written(&m, &out, signed_by.as_deref(), json);
            Ok(true)
        }
        Command::Manifest { .. } => Err(Fatal::new("give a DIR or --verify MANIFEST")),
        Command::Check {
            target,
            manifest,
            cert,
            signature,
            at,
            json,
        } => {
            let at = judge_at(at.as_deref())?;
            let (m, signer) = load_manifest(&manifest, cert.as_deref(), signature, at)?;
            let (served, origin) =
                if target.starts_with("http://") || target.starts_with("https://") {
                    collect::from_url(&target, &m)?
                } else {
                    let sig = sig_path(&manifest, None);
                    (
                        collect::from_dir(Path::new(&target), &[manifest.clone(), sig])?,
                        None,
                    )
                };
            let r = sealpost_verifier::compare::check(&m, &served, origin.as_deref());
            report::check(&r, &target, signer.as_deref(), json);
            Ok(r.verified)
        }
        Command::Rebuild {
            source,
            manifest,
            build_cmd,
            output,
            json,
        } => {
            // A rebuild compares bytes with whatever the manifest lists, expired or not.
            let (m, _) = read_manifest(&manifest, None, None)?;
            let built = collect::rebuild(&source, &build_cmd, &output, &m)?;
            let out_dir = built.path().join(&output);
            let skip = [
                out_dir.join("manifest.json"),
                out_dir.join("manifest.json.sig"),
            ];
            let served = collect::from_dir(&out_dir, &skip)?;
            let r = sealpost_verifier::compare::check(&m, &served, None);
            report::check(&r, &format!("rebuild of {}", source.display()), None, json);
            Ok(r.verified)
        }
        Command::Log(command) => log::run(command),
    }
}
