//! `rebuild --attest KEY`: after a rebuild that reproduced every byte, the rebuilder's signed
//! statement (sealpost_tlog::attest) — app, version, the manifest's SHA-256, the source commit
//! and the toolchain the rebuild ran with — written out and/or appended to a log directory.

use std::path::Path;
use std::process::Command;

use sealpost_tlog::attest::Statement;
use sealpost_tlog::keys::{SecretKey, ALG_ED25519};
use sealpost_tlog::logdir::LogDir;
use sealpost_verifier::manifest::Manifest;
use serde_json::json;

use crate::Fatal;

fn read_secret(path: &Path, what: &str) -> Result<SecretKey, Fatal> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fatal::new(format!("{}: {e}", path.display())))?;
    // The parser's errors never echo the key.
    let k = SecretKey::parse(&text)
        .map_err(|e| Fatal::new(format!("{} ({what}): {e}", path.display())))?;
    if k.alg != ALG_ED25519 {
        return Err(Fatal::new(format!(
            "{} ({what}): a cosignature (witness) key, not an Ed25519 note key",
            path.display()
        )));
    }
    Ok(k)
}

/// The rebuilder's key (an Ed25519 note key, as `log keygen` writes).
pub fn read_key(path: &Path) -> Result<SecretKey, Fatal> {
    read_secret(path, "the rebuilder key")
}

/// The first line of `cmd --version` run in `dir` (where a rust-toolchain file applies), if any.
fn version_of(cmd: &str, dir: &Path) -> Option<String> {
    let o = Command::new(cmd)
        .arg("--version")
        .current_dir(dir)
        .output()
        .ok()?;
    let line = String::from_utf8_lossy(&o.stdout)
        .lines()
        .next()?
        .trim()
        .to_string();
    (o.status.success() && !line.is_empty()).then_some(line)
}

/// What the rebuild ran with: `rustc --version; node --version` in the build directory, made
/// printable and at most the statement's 200 characters.
pub fn toolchain(dir: &Path) -> String {
    let parts: Vec<String> = ["rustc", "node"]
        .iter()
        .filter_map(|c| {
            version_of(c, dir).map(|v| if c == &"node" { format!("node {v}") } else { v })
        })
        .collect();
    let mut t: String = parts
        .join("; ")
        .chars()
        .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
        .collect();
    t.truncate(sealpost_tlog::attest::MAX_TOOLCHAIN);
    let t = t.trim().to_string();
    if t.is_empty() {
        "unknown".into()
    } else {
        t
    }
}

/// Only a build of a named, public commit is attested: a manifest without one would be
/// rebuilt from this rebuilder's working tree, which nobody else can rebuild.
pub fn require_commit(m: &Manifest) -> Result<(), Fatal> {
    if m.provenance.source_commit.is_none() {
        return Err(Fatal::new(
            "the release cannot be attested: its manifest names no source commit (a rebuild of a working tree is not a rebuild of public source)",
        ));
    }
    Ok(())
}

/// Signs the statement for the manifest `m` (`manifest_bytes`) that the rebuild in `built`
/// reproduced, writes it to `out`, appends it to `log` (directory, log key), and prints it.
#[allow(clippy::too_many_arguments)]
pub fn attest(
    key: &SecretKey,
    m: &Manifest,
    manifest_bytes: &[u8],
    built: &Path,
    build_secs: f64,
    out: Option<&Path>,
    log: Option<(&Path, &Path)>,
    json: bool,
) -> Result<(), Fatal> {
    require_commit(m)?;
    let sha = sealpost_tlog::hex(&sealpost_tlog::sha256(manifest_bytes));
    let statement = Statement::new(
        &m.app,
        &m.version,
        &sha,
        m.provenance.source_commit.as_deref(),
        &toolchain(built),
    )
    .map_err(|e| Fatal::new(format!("the release cannot be attested: {e}")))?;
    let note = statement
        .sign(key)
        .map_err(|e| Fatal::new(format!("signing the attestation: {e}")))?;
    if let Some(o) = out {
        std::fs::write(o, &note).map_err(|e| Fatal::new(format!("{}: {e}", o.display())))?;
    }
    let mut logged = None;
    if let Some((dir, log_key)) = log {
        let lk = read_secret(log_key, "the log key")?;
        let mut l = LogDir::open(dir, Some(&lk.vkey()))
            .map_err(|e| Fatal::new(format!("{}: {e}", dir.display())))?;
        let index = l
            .append_raw(std::slice::from_ref(&note), &lk)
            .map_err(|e| Fatal::new(format!("{}: {e}", dir.display())))?[0];
        logged = Some((index, l.size()));
    }
    let text = String::from_utf8_lossy(&note).into_owned();
    if json {
        println!(
            "{}",
            json!({"verdict": "REPRODUCED", "attestation": text, "bytes": note.len(),
                   "statement": statement, "signer": format!("{}+{:08x}", key.name, key.id),
                   "build_seconds": build_secs,
                   "logged": logged.map(|(i, s)| json!({"index": i, "size": s}))})
        );
    } else {
        eprintln!(
            "sealpost-verify: attested by {} ({} bytes; rebuild {build_secs:.1} s){}",
            key.name,
            note.len(),
            logged
                .map(|(i, s)| format!("; logged at index {i}, the log has {s} entries"))
                .unwrap_or_default()
        );
        if out.is_none() && log.is_none() {
            print!("{text}");
        }
    }
    Ok(())
}
