//! `sealpost-verify log …`: the release transparency log (sealpost-tlog) from the command line.
//!
//! - `keygen`: a log key (Ed25519 signed-note key named by the origin);
//! - `append DIR`: log a signed release (manifest + certificate), write tiles and a new checkpoint;
//! - `checkpoint DIR`: ask the policy's witnesses to cosign the checkpoint (tlog-witness);
//! - `prove SRC`: a tlog-proof of a release's inclusion (or a consistency proof);
//! - `verify`: inclusion + consistency + cosignature quorum against a tlog-policy;
//! - `monitor SRC`: every release of an app, two manifests for one version, forks.
//! - `sign-policy POLICY`: a detached OpenPGP signature of a tlog-policy by the release key,
//!   which the site publishes beside it (`.well-known/sealpost/log/policy[.sig]`) and the
//!   browser guard pins at enrollment.
//!
//! SRC is a log directory or the http(s) URL it is served at (tlog-tiles: any static server).
//! Exit codes as for every subcommand: 0 verified, 1 not verified / a problem found, 2 error.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Subcommand;
use sealpost_core::keys;
use sealpost_tlog::attest::Attestation;
use sealpost_tlog::binding::Binding;
use sealpost_tlog::checkpoint::SignedCheckpoint;
use sealpost_tlog::entry::Entry;
use sealpost_tlog::keys::{SecretKey, VKey, ALG_ED25519};
use sealpost_tlog::logdir::{conflicts, read_verified_entries, LogDir};
use sealpost_tlog::policy::Policy;
use sealpost_tlog::proof::{
    consistency_from_tiles, inclusion_from_tiles, verify_consistency, TlogProof,
};
use sealpost_tlog::tiles::{DirSource, TileSource, Tiles, MAX_TILE_FILE};
use sealpost_tlog::witness::AddCheckpoint;
use sealpost_tlog::{ErrorKind, Hash};
use sealpost_verifier::manifest::{self, Manifest};
use serde_json::json;

use crate::Fatal;

#[derive(Subcommand)]
pub enum LogCommand {
    /// Make a log key: writes the private key to OUT, prints the verifier key (for policies).
    Keygen {
        /// The log's origin (a schema-less URL prefix, e.g. releases.example.com/log).
        #[arg(long)]
        origin: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Log a signed release (or, with --attestation, a rebuild attestation) in the log directory
    /// DIR (created if new) and sign a new checkpoint.
    Append {
        dir: PathBuf,
        /// The log's private key.
        #[arg(long)]
        key: PathBuf,
        /// The release manifest.
        #[arg(long, required_unless_present = "attestation", requires = "cert")]
        manifest: Option<PathBuf>,
        /// The release signing certificate; the manifest's signature must verify with it.
        #[arg(long)]
        cert: Option<PathBuf>,
        /// A rebuild attestation (`rebuild --attest … --attestation-out F`) to log instead.
        #[arg(long, conflicts_with_all = ["manifest", "cert", "signature"])]
        attestation: Option<PathBuf>,
        /// The manifest's signature (default: MANIFEST.sig).
        #[arg(long)]
        signature: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Ask the policy's witnesses (those with a URL) to cosign DIR's checkpoint.
    Checkpoint {
        dir: PathBuf,
        /// tlog-policy file: the log key, the witnesses (with URLs) and the quorum.
        #[arg(long)]
        policy: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// A tlog-proof of a release's inclusion, or (--from-size) a consistency proof.
    Prove {
        /// Log directory or URL.
        source: String,
        /// The release's manifest: proves the entry with its SHA-256.
        #[arg(long, conflicts_with = "index")]
        manifest: Option<PathBuf>,
        /// The leaf index to prove.
        #[arg(long)]
        index: Option<u64>,
        /// Instead: the consistency proof from this tree size to the current checkpoint.
        #[arg(long, conflicts_with_all = ["manifest", "index"])]
        from_size: Option<u64>,
        /// Instead: every rebuild attestation of --manifest in the log, as a JSON array of
        /// tlog-proofs each carrying its attestation in `extra` (what the site serves at
        /// .well-known/sealpost/log/rebuild-proofs).
        #[arg(long, requires = "manifest")]
        attestations: bool,
        /// Instead: the newest binding of this origin in the log (what the site serves at
        /// .well-known/sealpost/log/binding-proof, issue 21). Its cool-down counts from when the
        /// witnesses cosigned the checkpoint the proof is under, so with --keep an --out file
        /// that already proves that same binding (under an older checkpoint) is kept as it is.
        #[arg(long, conflicts_with_all = ["manifest", "index", "from_size"])]
        binding: Option<String>,
        /// With --binding: keep an --out file that already proves this binding under a
        /// checkpoint carrying a cosignature.
        #[arg(long, requires = "binding")]
        keep: bool,
        /// Write the proof here (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Verify that a release is logged: inclusion under a checkpoint signed by the log and
    /// cosigned by a quorum of witnesses, and (--since) consistency with an older checkpoint.
    Verify {
        /// tlog-policy file.
        #[arg(long)]
        policy: PathBuf,
        /// The release manifest.
        #[arg(long)]
        manifest: PathBuf,
        /// The release signing certificate (its fingerprint is in the entry).
        #[arg(long)]
        cert: PathBuf,
        /// A tlog-proof file (offline); without it, --log is fetched and the proof computed.
        #[arg(long)]
        proof: Option<PathBuf>,
        /// The log directory or URL.
        #[arg(long = "log")]
        log: Option<String>,
        /// A checkpoint seen before: the proof's checkpoint must extend it (needs --log).
        #[arg(long)]
        since: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// List every release logged for an app; report two manifests for one version, or two
    /// checkpoints of one size with different roots (a fork), with exit code 1.
    Monitor {
        /// Log directory or URL.
        source: String,
        /// The app whose releases to list.
        #[arg(long)]
        app: String,
        /// tlog-policy file (the log key; its quorum applies to the served checkpoint).
        #[arg(long)]
        policy: PathBuf,
        /// Checkpoints of this log seen elsewhere (other clients, witnesses): checked against
        /// the served one.
        #[arg(long = "checkpoint")]
        checkpoints: Vec<PathBuf>,
        /// A file keeping every checkpoint this monitor has seen (created if missing).
        #[arg(long)]
        state: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Log the binding of an origin to its release key (an enrollment record, issue 21): a guard
    /// enrolls the origin only to a key bound in the log for at least the cool-down.
    Bind {
        dir: PathBuf,
        /// The log's private key.
        #[arg(long)]
        key: PathBuf,
        /// The origin, http(s)://host[:port].
        #[arg(long)]
        origin: String,
        /// The release signing certificate the origin is bound to.
        #[arg(long)]
        cert: PathBuf,
        /// The signed log policy the guard pins with the key (its SHA-256 goes into the entry,
        /// sealpost-binding/2; the guard enrolls only with such a binding). Without it a
        /// version 1 binding (origin and key only) is logged, which monitors list but the guard
        /// does not count.
        #[arg(long)]
        policy_file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Sign a tlog-policy with the release key (detached, armored): the guard pins a policy
    /// only with a valid signature by the key it pins.
    SignPolicy {
        /// The tlog-policy file (checked to parse and name a log).
        policy: PathBuf,
        /// The release signing key.
        #[arg(long)]
        sign_with: PathBuf,
        #[arg(long)]
        passphrase_file: Option<PathBuf>,
        /// Where to write the signature (default: POLICY.sig).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn read(path: &Path) -> Result<Vec<u8>, Fatal> {
    std::fs::read(path).map_err(|e| Fatal::new(format!("{}: {e}", path.display())))
}

fn read_text(path: &Path) -> Result<String, Fatal> {
    String::from_utf8(read(path)?).map_err(|_| Fatal::new(format!("{}: not UTF-8", path.display())))
}

/// A library error: malformed input and I/O are errors (2); failed checks are "not verified" (1).
fn tl(e: sealpost_tlog::Error) -> Fatal {
    match e.kind {
        ErrorKind::Invalid | ErrorKind::Conflict => Fatal::not_verified(e.message),
        ErrorKind::Malformed | ErrorKind::Io => Fatal::new(e.message),
    }
}

fn ctx(what: impl std::fmt::Display) -> impl Fn(sealpost_tlog::Error) -> Fatal {
    move |e| tl(e.context(&what))
}

/// A log served over HTTP(S): any static file server.
struct HttpSource {
    agent: ureq::Agent,
    base: String,
}

impl TileSource for HttpSource {
    fn fetch(&self, path: &str) -> sealpost_tlog::Result<Vec<u8>> {
        let url = format!("{}{path}", self.base);
        let mut resp = self
            .agent
            .get(&url)
            .call()
            .map_err(|e| sealpost_tlog::Error::io(format!("cannot fetch {url}: {e}")))?;
        let status = resp.status().as_u16();
        if status != 200 {
            return Err(sealpost_tlog::Error::io(format!("{url}: HTTP {status}")));
        }
        resp.body_mut()
            .with_config()
            .limit(MAX_TILE_FILE as u64)
            .read_to_vec()
            .map_err(|e| sealpost_tlog::Error::io(format!("{url}: {e}")))
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .max_redirects(0)
        .build()
        .into()
}

/// A log directory, or the URL a log is served at.
fn source(s: &str) -> Box<dyn TileSource> {
    if s.starts_with("http://") || s.starts_with("https://") {
        let base = if s.ends_with('/') {
            s.to_string()
        } else {
            format!("{s}/")
        };
        Box::new(HttpSource {
            agent: agent(),
            base,
        })
    } else {
        Box::new(DirSource(PathBuf::from(s)))
    }
}

fn fetch_checkpoint(src: &dyn TileSource, name: &str) -> Result<SignedCheckpoint, Fatal> {
    let bytes = src.fetch("checkpoint").map_err(ctx(name))?;
    SignedCheckpoint::parse(&bytes).map_err(ctx(format!("{name}: checkpoint")))
}

fn policy(path: &Path) -> Result<Policy, Fatal> {
    Policy::parse(&read_text(path)?).map_err(|e| Fatal::new(format!("{}: {e}", path.display())))
}

/// The entry a signed release is logged as: app, version, SHA-256 of the manifest's bytes,
/// the certificate's fingerprint, the source commit and SOURCE_DATE_EPOCH from its provenance.
fn entry_for(m: &Manifest, bytes: &[u8], fingerprint: &str) -> Result<Entry, Fatal> {
    Entry::for_manifest(
        &m.app,
        &m.version,
        bytes,
        fingerprint,
        m.provenance.source_commit.as_deref(),
        m.provenance.source_date_epoch,
    )
    .map_err(|e| Fatal::new(format!("the manifest cannot be logged: {e}")))
}

fn release(manifest: &Path, cert: &Path, signature: Option<PathBuf>) -> Result<Entry, Fatal> {
    let bytes = read(manifest)?;
    let c = keys::read_cert(&read(cert)?)
        .map_err(|e| Fatal::new(format!("{}: {e}", cert.display())))?;
    let m = match signature {
        None => Manifest::from_bytes(&bytes)
            .map_err(|e| Fatal::new(format!("{}: {e}", manifest.display())))?,
        Some(sig) => manifest::verify_signed(&bytes, &read(&sig)?, &c)
            .map_err(|e| Fatal::not_verified(format!("{}: {e}", manifest.display())))?,
    };
    entry_for(&m, &bytes, &c.fingerprint().to_hex())
}

fn sig_path(manifest: &Path) -> PathBuf {
    let mut s = manifest.as_os_str().to_owned();
    s.push(".sig");
    PathBuf::from(s)
}

fn write_private(path: &Path, text: &str) -> Result<(), Fatal> {
    sealpost_tlog::keys::write_private_key_file(path, text).map_err(Fatal::new)
}

fn print(json: bool, value: serde_json::Value, text: &str) {
    if json {
        println!("{value}");
    } else {
        print!("{text}");
    }
}

pub fn run(cmd: LogCommand) -> Result<bool, Fatal> {
    match cmd {
        LogCommand::Keygen { origin, out } => {
            let k = SecretKey::generate(&origin, ALG_ED25519).map_err(tl)?;
            write_private(&out, &k.encode())?;
            println!("{}", k.vkey().encode());
            Ok(true)
        }
        LogCommand::Append {
            dir,
            key,
            attestation: Some(a),
            json,
            ..
        } => {
            let key = SecretKey::parse(&read_text(&key)?)
                .map_err(|e| Fatal::new(format!("{}: {e}", key.display())))?;
            let note = read(&a)?;
            let att = Attestation::parse(&note).map_err(ctx(a.display()))?;
            let mut log = LogDir::open(&dir, Some(&key.vkey())).map_err(tl)?;
            let before = log.size();
            let index = log
                .append_raw(std::slice::from_ref(&note), &key)
                .map_err(tl)?[0];
            let added = log.size() > before;
            print(
                json,
                json!({"index": index, "size": log.size(), "added": added, "attestation": att}),
                &format!(
                    "the attestation of {} {} by {} {} at index {index}; the log has {} entries\n",
                    att.statement.app,
                    att.statement.version,
                    att.signer,
                    if added {
                        "logged"
                    } else {
                        "was already logged"
                    },
                    log.size()
                ),
            );
            Ok(true)
        }
        LogCommand::Append {
            dir,
            key,
            manifest,
            cert,
            signature,
            json,
            ..
        } => {
            let (Some(manifest), Some(cert)) = (manifest, cert) else {
                return Err(Fatal::usage("give --manifest and --cert, or --attestation"));
            };
            let key = SecretKey::parse(&read_text(&key)?)
                .map_err(|e| Fatal::new(format!("{}: {e}", key.display())))?;
            let sig = signature.unwrap_or_else(|| sig_path(&manifest));
            let entry = release(&manifest, &cert, Some(sig))?;
            let mut log = LogDir::open(&dir, Some(&key.vkey())).map_err(tl)?;
            let before = log.size();
            let index = log.append(std::slice::from_ref(&entry), &key).map_err(tl)?[0];
            let added = log.size() > before;
            let cp = log
                .checkpoint()
                .map(|c| c.root().to_string())
                .unwrap_or_default();
            print(
                json,
                json!({"index": index, "size": log.size(), "root": cp, "added": added, "entry": entry}),
                &format!(
                    "{} {} {} at index {index}; the log has {} entries\n",
                    entry.app,
                    entry.version,
                    if added {
                        "logged"
                    } else {
                        "was already logged"
                    },
                    log.size()
                ),
            );
            Ok(true)
        }
        LogCommand::Checkpoint {
            dir,
            policy: p,
            json,
        } => checkpoint(&dir, &policy(&p)?, json),
        LogCommand::Prove {
            source: s,
            manifest,
            index,
            from_size,
            attestations,
            binding,
            keep,
            out,
        } => {
            let src = source(&s);
            let cp = fetch_checkpoint(src.as_ref(), &s)?;
            let tiles = Tiles::new(src.as_ref());
            let text = if let Some(origin) = &binding {
                match binding_proof(&tiles, cp, origin, out.as_deref().filter(|_| keep))? {
                    Some(t) => t,
                    None => return Ok(true),
                }
            } else if let (true, Some(m)) = (attestations, &manifest) {
                attestation_proofs(&tiles, cp, &read(m)?)?
            } else if let Some(old) = from_size {
                let proof = consistency_from_tiles(&tiles, &cp, old).map_err(tl)?;
                let mut t = format!("old {old}\n");
                for h in proof {
                    t.push_str(&format!("{h}\n"));
                }
                t.into_bytes()
            } else {
                let index = match (index, manifest) {
                    (Some(i), _) => i,
                    (None, Some(m)) => {
                        let sha = sealpost_tlog::hex(&sealpost_tlog::sha256(&read(&m)?));
                        let entries = read_verified_entries(&tiles.source(), &cp).map_err(tl)?;
                        entries
                            .iter()
                            .position(|e| {
                                Entry::from_bytes(e).is_ok_and(|e| e.manifest_sha256 == sha)
                            })
                            .ok_or_else(|| {
                                Fatal::not_verified(format!(
                                    "{}: not in the log (NOT_LOGGED)",
                                    m.display()
                                ))
                            })? as u64
                    }
                    (None, None) => return Err(Fatal::new("give --manifest or --index")),
                };
                let proof = inclusion_from_tiles(&tiles, &cp, index).map_err(tl)?;
                TlogProof {
                    extra: None,
                    index,
                    proof,
                    checkpoint: cp,
                }
                .to_bytes()
            };
            match out {
                Some(o) => std::fs::write(&o, &text)
                    .map_err(|e| Fatal::new(format!("{}: {e}", o.display())))?,
                None => print!("{}", String::from_utf8_lossy(&text)),
            }
            Ok(true)
        }
        LogCommand::Verify {
            policy: p,
            manifest,
            cert,
            proof,
            log,
            since,
            json,
        } => verify(&policy(&p)?, &manifest, &cert, proof, log, since, json),
        LogCommand::Monitor {
            source: s,
            app,
            policy: p,
            checkpoints,
            state,
            json,
        } => monitor(&s, &app, &policy(&p)?, &checkpoints, state.as_deref(), json),
        LogCommand::Bind {
            dir,
            key,
            origin,
            cert,
            policy_file,
            json,
        } => {
            let key = SecretKey::parse(&read_text(&key)?)
                .map_err(|e| Fatal::new(format!("{}: {e}", key.display())))?;
            let c = keys::read_cert(&read(&cert)?)
                .map_err(|e| Fatal::new(format!("{}: {e}", cert.display())))?;
            let mut b = Binding::new(&origin.to_ascii_lowercase(), &c.fingerprint().to_hex())
                .map_err(tl)?;
            if let Some(p) = &policy_file {
                let bytes = read(p)?;
                // The policy the guard will pin: it must parse (and name a log).
                let text = std::str::from_utf8(&bytes)
                    .map_err(|_| Fatal::new(format!("{}: not UTF-8", p.display())))?;
                let parsed = Policy::parse(text).map_err(ctx(p.display()))?;
                if parsed.logs.is_empty() {
                    return Err(Fatal::new(format!("{}: names no log", p.display())));
                }
                b = b
                    .with_policy(&sealpost_tlog::hex(&sealpost_tlog::sha256(&bytes)))
                    .map_err(tl)?;
            }
            let mut log = LogDir::open(&dir, Some(&key.vkey())).map_err(tl)?;
            let before = log.size();
            let index = log.append_raw(&[b.to_bytes()], &key).map_err(tl)?[0];
            print(
                json,
                json!({"index": index, "size": log.size(), "added": log.size() > before, "binding": b}),
                &format!(
                    "{} bound to {} at index {index}; the log has {} entries\n",
                    b.origin,
                    b.release_key,
                    log.size()
                ),
            );
            Ok(true)
        }
        LogCommand::SignPolicy {
            policy: p,
            sign_with,
            passphrase_file,
            out,
        } => sign_policy(&p, &sign_with, passphrase_file.as_deref(), out),
    }
}

/// The tlog-proof of the newest binding of `origin` in the log behind `cp`; None when `keep`
/// names a file that already proves that binding (it is kept: its checkpoint is older, and the
/// cool-down counts from when that one was cosigned).
fn binding_proof(
    tiles: &Tiles<&dyn TileSource>,
    cp: SignedCheckpoint,
    origin: &str,
    keep: Option<&Path>,
) -> Result<Option<Vec<u8>>, Fatal> {
    let origin = origin.to_ascii_lowercase();
    let entries = read_verified_entries(&tiles.source(), &cp).map_err(tl)?;
    let (index, entry) = entries
        .iter()
        .enumerate()
        .rev()
        .find(|(_, e)| Binding::from_bytes(e).is_ok_and(|b| b.origin == origin))
        .ok_or_else(|| {
            Fatal::not_verified(format!("{origin}: no binding in the log (NOT_BOUND)"))
        })?;
    if let Some(path) = keep {
        let kept = std::fs::read(path)
            .ok()
            .and_then(|b| TlogProof::parse(&b).ok())
            .filter(|p| {
                // Cosigned by someone besides the log (a proof kept from a run whose witnesses
                // did not answer would never count), of this log, proving this very binding.
                p.checkpoint.signatures.len() > 1
                    && p.checkpoint.origin() == cp.origin()
                    && p.checkpoint.size() <= cp.size()
                    && p.verify_entry(entry).is_ok()
            });
        if let Some(p) = kept {
            eprintln!(
                "sealpost-verify: {} already proves the binding of {origin} (leaf {}, checkpoint of size {}): kept",
                path.display(),
                p.index,
                p.checkpoint.size()
            );
            return Ok(None);
        }
    }
    let proof = inclusion_from_tiles(tiles, &cp, index as u64).map_err(tl)?;
    Ok(Some(
        TlogProof {
            extra: None,
            index: index as u64,
            proof,
            checkpoint: cp,
        }
        .to_bytes(),
    ))
}

/// Every attestation of the manifest `manifest_bytes` in the log behind `cp`, each as a
/// tlog-proof under `cp` with the attestation in `extra`: a JSON array of their texts.
fn attestation_proofs(
    tiles: &Tiles<&dyn TileSource>,
    cp: SignedCheckpoint,
    manifest_bytes: &[u8],
) -> Result<Vec<u8>, Fatal> {
    let sha = sealpost_tlog::hex(&sealpost_tlog::sha256(manifest_bytes));
    let entries = read_verified_entries(&tiles.source(), &cp).map_err(tl)?;
    let cp_bytes = cp.to_bytes();
    let mut proofs = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let Ok(a) = Attestation::parse(e) else {
            continue;
        };
        if a.statement.manifest_sha256 != sha {
            continue;
        }
        let proof = inclusion_from_tiles(tiles, &cp, i as u64).map_err(tl)?;
        let checkpoint = SignedCheckpoint::parse(&cp_bytes).map_err(tl)?;
        let tp = TlogProof {
            extra: Some(e.clone()),
            index: i as u64,
            proof,
            checkpoint,
        };
        proofs.push(String::from_utf8_lossy(&tp.to_bytes()).into_owned());
    }
    eprintln!(
        "sealpost-verify: {} attestation(s) of manifest sha256 {sha} in the log",
        proofs.len()
    );
    let mut out = serde_json::to_vec(&proofs).map_err(|e| Fatal::new(e.to_string()))?;
    out.push(b'\n');
    Ok(out)
}

fn sign_policy(
    path: &Path,
    key: &Path,
    passphrase_file: Option<&Path>,
    out: Option<PathBuf>,
) -> Result<bool, Fatal> {
    let text = read_text(path)?;
    let parsed = policy(path)?;
    if parsed.logs.is_empty() {
        return Err(Fatal::new(format!(
            "{}: the policy names no log",
            path.display()
        )));
    }
    // The guard refuses to pin a policy whose quorum is met with no cosignature (the log
    // operator alone could then show a fork): do not sign one.
    if parsed.quorum_met(&std::collections::BTreeSet::new()) {
        return Err(Fatal::new(format!(
            "{}: the policy's quorum needs no witness (the log alone could show a fork); name witnesses and a quorum",
            path.display()
        )));
    }
    let key = crate::read_cert(&key.display().to_string(), &read(key)?)?;
    let pass: Vec<sealpost_core::Password> = match passphrase_file {
        Some(p) => vec![sealpost_core::Password::from(
            String::from_utf8_lossy(&read(p)?)
                .trim_end_matches(['\n', '\r'])
                .to_string(),
        )],
        None => Vec::new(),
    };
    let p = sealpost_core::Policy::new();
    let sig = sealpost_core::sign::sign(
        text.as_bytes(),
        &sealpost_core::sign::SignOptions {
            signers: std::slice::from_ref(&key),
            passphrases: &pass,
            mode: sealpost_core::sign::SignMode::Detached,
            text: false,
            armor: true,
            policy: &p,
        },
    )
    .map_err(|e| Fatal::new(format!("signing {}: {e}", path.display())))?;
    let out = out.unwrap_or_else(|| sig_path(path));
    std::fs::write(&out, &sig).map_err(|e| Fatal::new(format!("{}: {e}", out.display())))?;
    println!(
        "{} signed by {}: {}",
        path.display(),
        key.fingerprint().to_hex(),
        out.display()
    );
    Ok(true)
}

/// Asks each witness with a URL to cosign; merges the cosignatures into DIR/checkpoint.
fn checkpoint(dir: &Path, policy: &Policy, json: bool) -> Result<bool, Fatal> {
    // The policy's log whose name is the directory's origin.
    let unverified = LogDir::open(dir, None).map_err(tl)?;
    let origin = unverified
        .checkpoint()
        .map(|c| c.origin().to_string())
        .ok_or_else(|| Fatal::new(format!("{}: the log is empty", dir.display())))?;
    let log_key = policy
        .logs
        .iter()
        .find(|l| l.vkey.name == origin)
        .map(|l| l.vkey.clone())
        .ok_or_else(|| Fatal::not_verified(format!("the policy names no log {origin:?}")))?;
    let mut log = LogDir::open(dir, Some(&log_key)).map_err(tl)?;
    let mut cp = log
        .checkpoint()
        .map(|c| SignedCheckpoint::parse(&c.to_bytes()))
        .transpose()
        .map_err(tl)?
        .ok_or_else(|| Fatal::new(format!("{}: the log is empty", dir.display())))?;
    let agent = agent();
    let mut results = Vec::new();
    for w in &policy.witnesses {
        let Some(url) = &w.url else { continue };
        let url = format!("{}/add-checkpoint", url.trim_end_matches('/'));
        let outcome = ask_witness(&agent, &url, &log, &cp, &w.vkey);
        match outcome {
            Ok(sigs) => {
                cp.add_signatures(&sigs);
                results.push(json!({"witness": w.name, "cosigned": true}));
            }
            Err(e) => results.push(json!({"witness": w.name, "cosigned": false, "error": e})),
        }
    }
    log.set_checkpoint(
        SignedCheckpoint::parse(&cp.to_bytes()).map_err(tl)?,
        &log_key,
    )
    .map_err(tl)?;
    let verdict = cp.verify(policy);
    let ok = verdict.is_ok();
    let mut text = String::new();
    for r in &results {
        text.push_str(&format!(
            "{}: {}\n",
            r["witness"].as_str().unwrap_or(""),
            if r["cosigned"] == true {
                "cosigned".to_string()
            } else {
                format!("refused: {}", r["error"].as_str().unwrap_or(""))
            }
        ));
    }
    text.push_str(&match &verdict {
        Ok(_) => format!("checkpoint of size {} cosigned by a quorum\n", cp.size()),
        Err(e) => format!("no quorum: {e}\n"),
    });
    print(
        json,
        json!({"size": cp.size(), "root": cp.root().to_string(), "witnesses": results, "quorum": ok}),
        &text,
    );
    Ok(ok)
}

/// One add-checkpoint exchange: old size 0 first; on 409, the witness's size and a proof from it.
fn ask_witness(
    agent: &ureq::Agent,
    url: &str,
    log: &LogDir,
    cp: &SignedCheckpoint,
    witness: &VKey,
) -> Result<Vec<sealpost_tlog::keys::Signature>, String> {
    let mut old = 0u64;
    for _ in 0..2 {
        let proof = log.prove_consistency(old).map_err(|e| e.message)?;
        let body = AddCheckpoint {
            old_size: old,
            proof,
            checkpoint: cp.to_bytes(),
        }
        .to_bytes();
        let mut resp = agent
            .post(url)
            .send(&body[..])
            .map_err(|e| format!("{url}: {e}"))?;
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_string()
            .map_err(|e| format!("{url}: {e}"))?;
        match status {
            200 => {
                let sigs = SignedCheckpoint::parse_signature_lines(text.as_bytes())
                    .map_err(|e| e.message)?;
                // Keep only the witness's own cosignature, once it verifies.
                let mine: Vec<_> = sigs
                    .into_iter()
                    .filter(|s| s.name() == witness.name && s.id() == witness.id)
                    .collect();
                let mut check = SignedCheckpoint::parse(&cp.to_bytes()).map_err(|e| e.message)?;
                check.add_signatures(&mine);
                check
                    .verify_cosignature(witness)
                    .map_err(|e| format!("the witness's answer does not verify: {e}"))?;
                return Ok(mine);
            }
            409 if old == 0 => {
                old = sealpost_tlog::parse_decimal(text.trim_end(), "409 size")
                    .map_err(|e| e.message)?;
                if old > cp.size() {
                    return Err(format!(
                        "HTTP 409: the witness holds a tree of {old} leaves and refuses this one of {} (a rewind)",
                        cp.size()
                    ));
                }
            }
            _ => return Err(format!("HTTP {status}: {}", text.trim_end())),
        }
    }
    Err("the witness holds another size twice".into())
}

fn verify(
    policy: &Policy,
    manifest: &Path,
    cert: &Path,
    proof: Option<PathBuf>,
    log: Option<String>,
    since: Option<PathBuf>,
    json: bool,
) -> Result<bool, Fatal> {
    let entry = release(manifest, cert, None)?;
    let entry_bytes = entry.to_bytes();
    let src = log.as_deref().map(source);
    let tp = match (&proof, &src) {
        (Some(p), _) => TlogProof::parse(&read(p)?).map_err(ctx(p.display()))?,
        (None, Some(src)) => {
            let name = log.as_deref().unwrap_or("");
            let cp = fetch_checkpoint(src.as_ref(), name)?;
            let tiles = Tiles::new(src.as_ref());
            let entries = read_verified_entries(&tiles.source(), &cp).map_err(tl)?;
            let index = entries
                .iter()
                .position(|e| *e == entry_bytes)
                .ok_or_else(|| {
                    Fatal::not_verified(format!(
                        "NOT_LOGGED: {} {} (manifest {}) is not in the log {}",
                        entry.app, entry.version, entry.manifest_sha256, name
                    ))
                })? as u64;
            let proof = inclusion_from_tiles(&tiles, &cp, index).map_err(tl)?;
            TlogProof {
                extra: None,
                index,
                proof,
                checkpoint: cp,
            }
        }
        (None, None) => return Err(Fatal::new("give --proof FILE or --log DIR|URL")),
    };
    let verified = tp.checkpoint.verify(policy).map_err(tl)?;
    tp.verify_entry(&entry_bytes)
        .map_err(|e| tl(e).prefix("NOT_LOGGED: the proof is not for this release"))?;
    let mut consistent_with = None;
    if let Some(s) = since {
        let old = SignedCheckpoint::parse(&read(&s)?).map_err(ctx(s.display()))?;
        if old.origin() != tp.checkpoint.origin() {
            return Err(Fatal::not_verified(format!(
                "{}: another log ({})",
                s.display(),
                old.origin()
            )));
        }
        let Some(src) = &src else {
            return Err(Fatal::new(
                "--since needs --log (the tiles to prove consistency)",
            ));
        };
        let tiles = Tiles::new(src.as_ref());
        let proof = consistency_from_tiles(&tiles, &tp.checkpoint, old.size())
            .map_err(|e| tl(e).prefix("SPLIT_VIEW"))?;
        verify_consistency(
            &proof,
            old.size(),
            old.root(),
            tp.checkpoint.size(),
            tp.checkpoint.root(),
        )
        .map_err(|e| tl(e).prefix("SPLIT_VIEW"))?;
        consistent_with = Some(old.size());
    }
    print(
        json,
        json!({"verified": true, "entry": entry, "index": tp.index, "checkpoint": verified,
               "proof_hashes": tp.proof.len(), "consistent_with_size": consistent_with}),
        &format!(
            "{} {} is logged at index {} of {} ({}), cosigned by {}{}\n",
            entry.app,
            entry.version,
            tp.index,
            verified.origin,
            verified.size,
            if verified.witnesses.is_empty() {
                "no witness".to_string()
            } else {
                verified
                    .witnesses
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            consistent_with
                .map(|s| format!("; consistent with the checkpoint of size {s}"))
                .unwrap_or_default()
        ),
    );
    Ok(true)
}

impl Fatal {
    fn prefix(mut self, p: &str) -> Self {
        self.message = format!("{p}: {}", self.message);
        self
    }
}

/// The checkpoints a monitor has seen, one signed note after another in a JSON array.
fn load_state(path: &Path) -> Result<Vec<Vec<u8>>, Fatal> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let notes: Vec<String> = serde_json::from_slice(&read(path)?)
        .map_err(|e| Fatal::new(format!("{}: {e}", path.display())))?;
    Ok(notes.into_iter().map(String::into_bytes).collect())
}

fn monitor(
    s: &str,
    app: &str,
    policy: &Policy,
    extra: &[PathBuf],
    state: Option<&Path>,
    json: bool,
) -> Result<bool, Fatal> {
    let src = source(s);
    let cp = fetch_checkpoint(src.as_ref(), s)?;
    let verified = cp.verify(policy).map_err(tl)?;
    let tiles = Tiles::new(src.as_ref());
    let raw = read_verified_entries(&tiles.source(), &cp).map_err(tl)?;
    let mut problems: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    // Rebuild attestations of the app (issue 21): (index, attestation).
    let mut attested: Vec<(u64, Attestation)> = Vec::new();
    // Enrollment records (issue 21): (index, origin bound to a release key).
    let mut bindings: Vec<(u64, Binding)> = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        if sealpost_tlog::binding::is_binding(e) {
            match Binding::from_bytes(e) {
                Ok(b) => bindings.push((i as u64, b)),
                Err(err) => problems.push(format!("entry {i} is malformed: {err}")),
            }
            continue;
        }
        if sealpost_tlog::attest::is_attestation(e) {
            match Attestation::parse(e) {
                Ok(a) if a.statement.app == app => attested.push((i as u64, a)),
                Ok(_) => {}
                Err(err) => problems.push(format!("entry {i} is malformed: {err}")),
            }
            continue;
        }
        match Entry::from_bytes(e) {
            Ok(e) => entries.push((i as u64, e)),
            Err(err) => problems.push(format!("entry {i} is malformed: {err}")),
        }
    }
    let mine: Vec<(u64, Entry)> = entries.into_iter().filter(|(_, e)| e.app == app).collect();
    let dup = conflicts(&mine);
    for c in &dup {
        problems.push(format!(
            "{} {} is logged with {} different manifests: {}",
            c.app,
            c.version,
            c.entries.len(),
            c.entries
                .iter()
                .map(|(i, sha)| format!("index {i} sha256 {sha}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // Every checkpoint seen (state, --checkpoint, now): one size, one root; and each older one
    // must be a prefix of the served tree.
    // (name, checkpoint, read from the state file)
    let mut seen: Vec<(String, SignedCheckpoint, bool)> = Vec::new();
    let mut notes = match state {
        Some(p) => load_state(p)?,
        None => Vec::new(),
    };
    let from_state = notes.len();
    for p in extra {
        notes.push(read(p)?);
    }
    for (n, bytes) in notes.iter().enumerate() {
        let name = if n < from_state {
            format!("checkpoint {} of the state file", n + 1)
        } else {
            extra[n - from_state].display().to_string()
        };
        let c = SignedCheckpoint::parse(bytes).map_err(ctx(&name))?;
        let by_log = policy.logs.iter().any(|l| c.verify_log(&l.vkey).is_ok());
        if !by_log {
            problems.push(format!("{name}: not signed by the log, ignored"));
            continue;
        }
        seen.push((name, c, n < from_state));
    }
    let mut forks = Vec::new();
    for (name, c, _) in &seen {
        if c.size() == cp.size() && c.root() != cp.root() {
            forks.push(json!({"size": c.size(), "roots": [cp.root().to_string(), c.root().to_string()], "evidence": name}));
            problems.push(format!(
                "FORK: {name} and the served checkpoint both have size {} but roots {} and {}",
                c.size(),
                c.root(),
                cp.root()
            ));
        } else if c.size() < cp.size() {
            let ok = consistency_from_tiles(&tiles, &cp, c.size())
                .and_then(|p| verify_consistency(&p, c.size(), c.root(), cp.size(), cp.root()));
            if let Err(e) = ok {
                forks.push(json!({"size": c.size(), "evidence": name, "error": e.message}));
                problems.push(format!(
                    "FORK: the served log (size {}) does not extend {name} (size {}): {e}",
                    cp.size(),
                    c.size()
                ));
            }
        } else if c.size() > cp.size() {
            let ok = consistency_from_tiles(&tiles, c, cp.size())
                .and_then(|p| verify_consistency(&p, cp.size(), cp.root(), c.size(), c.root()));
            if let Err(e) = ok {
                forks.push(json!({"size": c.size(), "evidence": name, "error": e.message}));
                problems.push(format!(
                    "ROLLBACK: the log signed {name} of size {} but serves size {}, and their consistency cannot be shown: {e}",
                    c.size(),
                    cp.size()
                ));
            }
        }
    }
    // Pairs among the checkpoints seen elsewhere, too.
    for (i, (a_name, a, _)) in seen.iter().enumerate() {
        for (b_name, b, _) in &seen[i + 1..] {
            if a.size() == b.size() && a.root() != b.root() {
                forks.push(json!({"size": a.size(), "roots": [a.root().to_string(), b.root().to_string()], "evidence": [a_name, b_name]}));
                problems.push(format!(
                    "FORK: {a_name} and {b_name} both have size {} but different roots",
                    a.size()
                ));
            }
        }
    }
    if let Some(p) = state {
        let mut keep = load_state(p)?;
        let now = cp.to_bytes();
        let known: Vec<(u64, Hash)> = keep
            .iter()
            .filter_map(|b| SignedCheckpoint::parse(b).ok())
            .map(|c| (c.size(), c.root()))
            .collect();
        if !known.contains(&(cp.size(), cp.root())) {
            keep.push(now);
        }
        for (_, c, _) in seen.iter().filter(|(_, _, from_state)| !from_state) {
            if !known.contains(&(c.size(), c.root())) {
                keep.push(c.to_bytes());
            }
        }
        let text: Vec<String> = keep
            .into_iter()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .collect();
        std::fs::write(p, serde_json::to_vec_pretty(&text).unwrap_or_default())
            .map_err(|e| Fatal::new(format!("{}: {e}", p.display())))?;
    }
    let attesters = |sha: &str| -> Vec<String> {
        attested
            .iter()
            .filter(|(_, a)| a.statement.manifest_sha256 == sha)
            .map(|(_, a)| a.signer.clone())
            .collect()
    };
    let releases: Vec<serde_json::Value> = mine
        .iter()
        .map(|(i, e)| {
            json!({"index": i, "version": e.version, "manifest_sha256": e.manifest_sha256,
                   "release_key": e.release_key, "source_commit": e.source_commit, "released": e.released,
                   "attested_by": attesters(&e.manifest_sha256)})
        })
        .collect();
    let attestations: Vec<serde_json::Value> = attested
        .iter()
        .map(|(i, a)| {
            json!({"index": i, "signer": a.signer, "version": a.statement.version,
                   "manifest_sha256": a.statement.manifest_sha256,
                   "source_commit": a.statement.source_commit, "toolchain": a.statement.toolchain,
                   "of_a_logged_release": mine.iter().any(|(_, e)| e.manifest_sha256 == a.statement.manifest_sha256)})
        })
        .collect();
    // Key changes: an origin bound to another key than before (reported; a rotation is not an
    // error, but every monitor should see it: the guard honours it only after the cool-down).
    let mut key_changes = Vec::new();
    let mut notes = Vec::new();
    for (n, (i, b)) in bindings.iter().enumerate() {
        if let Some((pi, prev)) = bindings[..n]
            .iter()
            .rev()
            .find(|(_, p)| p.origin == b.origin)
        {
            if prev.release_key != b.release_key {
                key_changes.push(
                    json!({"origin": b.origin, "from": prev.release_key, "to": b.release_key,
                                         "from_index": pi, "index": i}),
                );
                notes.push(format!(
                    "KEY CHANGE: {} bound to {} at index {pi}, to {} at index {i}",
                    b.origin, prev.release_key, b.release_key
                ));
            }
        }
    }
    let ok = problems.is_empty();
    let mut text = format!(
        "{} (size {}, cosigned by {}): {} release(s) of {app}\n",
        verified.origin,
        verified.size,
        verified.witnesses.len(),
        mine.len()
    );
    for (i, e) in &mine {
        let by = attesters(&e.manifest_sha256);
        text.push_str(&format!(
            "  {i:>6}  {:<12} manifest sha256 {}  key {}  commit {}  rebuilt by {}\n",
            e.version,
            e.manifest_sha256,
            e.release_key,
            e.source_commit.as_deref().unwrap_or("none"),
            if by.is_empty() {
                "nobody".to_string()
            } else {
                by.join(", ")
            }
        ));
    }
    for (i, b) in &bindings {
        text.push_str(&format!(
            "  {i:>6}  binding {} -> {}\n",
            b.origin, b.release_key
        ));
    }
    for n in &notes {
        text.push_str(&format!("{n}\n"));
    }
    for p in &problems {
        text.push_str(&format!("PROBLEM: {p}\n"));
    }
    print(
        json,
        json!({"ok": ok, "log": verified, "app": app, "releases": releases, "attestations": attestations, "bindings": bindings.iter().map(|(i, b)| json!({"index": i, "origin": b.origin, "release_key": b.release_key, "log_policy_sha256": b.log_policy_sha256})).collect::<Vec<_>>(), "key_changes": key_changes,
               "conflicts": dup, "forks": forks, "problems": problems}),
        &text,
    );
    Ok(ok)
}
