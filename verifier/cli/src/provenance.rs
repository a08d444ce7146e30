//! Build provenance recorded in a manifest: what a rebuilder needs to
//! reproduce the bytes.

use std::path::Path;
use std::process::Command;

use sealpost_verifier::manifest::Provenance;
use sealpost_verifier::sri::{compute, Algorithm};

fn first_line(cmd: &str, args: &[&str], dir: &Path) -> Option<String> {
    let out = Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout)
        .ok()?
        .lines()
        .next()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
}

fn file_hash(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| compute(Algorithm::Sha256, &b).to_string())
}

/// Collects provenance from a source tree (tools are run in it, so a
/// `rust-toolchain.toml` there takes effect).
pub fn collect(source: &Path) -> Provenance {
    let wasm_opt = source.join("node_modules/.bin/wasm-opt");
    Provenance {
        source_commit: first_line("git", &["rev-parse", "HEAD"], source),
        cargo_lock: file_hash(&source.join("Cargo.lock")),
        package_lock: file_hash(&source.join("package-lock.json")),
        rustc: first_line("rustc", &["--version"], source),
        wasm_bindgen: first_line("wasm-bindgen", &["--version"], source),
        wasm_opt: if wasm_opt.exists() {
            first_line(&wasm_opt.to_string_lossy(), &["--version"], source)
        } else {
            None
        },
        source_date_epoch: std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.parse().ok()),
    }
}
