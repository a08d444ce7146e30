//! Human and JSON output.

use std::path::Path;

use sealpost_verifier::cert::CertRefresh;
use sealpost_verifier::compare::{FileStatus, PageProblem, Report};
use sealpost_verifier::html::MetaCspPlacement;
use sealpost_verifier::manifest::Manifest;
use serde_json::json;

pub fn sri(rows: &[(String, String, u64)], as_json: bool) {
    if as_json {
        let v: Vec<_> = rows
            .iter()
            .map(|(f, h, s)| json!({"file": f, "integrity": h, "size": s}))
            .collect();
        println!("{}", json!(v));
    } else {
        for (f, h, _) in rows {
            println!("{h}  {f}");
        }
    }
}

pub fn manifest_written(m: &Manifest, out: &Path, signer: Option<&str>, as_json: bool) {
    if as_json {
        println!(
            "{}",
            json!({"manifest": out.display().to_string(), "files": m.files.len(), "entrypoints": m.entrypoints, "expires": m.expires, "signed_by": signer})
        );
    } else {
        println!(
            "wrote {} ({} files, entry points: {}, expires {})",
            out.display(),
            m.files.len(),
            m.entrypoints.join(", "),
            m.expires
        );
        if let Some(s) = signer {
            println!("signed by {s} → {}.sig", out.display());
        }
    }
}

pub fn manifest_verified(m: &Manifest, signer: &str, as_json: bool) {
    if as_json {
        println!(
            "{}",
            json!({"verified": true, "app": m.app, "version": m.version, "expires": m.expires, "files": m.files.len(), "signed_by": signer})
        );
    } else {
        println!(
            "manifest OK: {} {} ({} files), signed by {signer}, expires {}",
            m.app,
            m.version,
            m.files.len(),
            m.expires
        );
    }
}

fn describe(p: &PageProblem) -> String {
    match p {
        PageProblem::NoIntegrity { url } => format!("{url}: no integrity attribute"),
        PageProblem::IntegrityMismatch {
            url,
            integrity,
            expected,
        } => {
            format!("{url}: integrity {integrity} does not match the manifest ({expected})")
        }
        PageProblem::IntegrityNotSha384 { url } => {
            format!("{url}: integrity is not sha384; cannot check against the manifest")
        }
        PageProblem::Unlisted { url, path } => {
            format!("{url}: loads {path}, which the manifest does not list")
        }
        PageProblem::External { url } => format!("{url}: not from this origin"),
        PageProblem::InlineCode { kind, hash } => format!("inline code ({kind:?}, '{hash}')"),
        PageProblem::BaseHref { href } => format!("<base href={href:?}> re-targets relative URLs"),
        PageProblem::MetaCspMisplaced {
            placement,
            after,
            content,
        } => {
            let where_ = match (placement, after) {
                (MetaCspPlacement::AfterElement, Some(el)) => format!("after a <{el}>"),
                (MetaCspPlacement::AfterElement, None) => "after an element".into(),
                (MetaCspPlacement::OutsideHead, _) => "outside <head>".into(),
                (MetaCspPlacement::Inert, _) => "inside <noscript> or <template>".into(),
            };
            format!(
                "<meta> CSP {content:?} {where_}: not the document's policy (meta_csp_misplaced)"
            )
        }
        PageProblem::Csp { directive, issue } => format!("CSP {directive}: {issue}"),
    }
}

/// The one word a check ends with.  VERIFIED only when the manifest's
/// signature was checked too.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Everything matches a manifest signed by the given certificate.
    Verified,
    /// Everything matches, but no one checked who signed the manifest.
    Unsigned,
    /// Something does not match.
    NotVerified,
    /// A rebuild gave the manifest's bytes.
    Reproduced,
    /// A rebuild gave other bytes.
    NotReproduced,
}

impl Verdict {
    fn word(self) -> &'static str {
        match self {
            Verdict::Verified => "VERIFIED",
            Verdict::Unsigned => "UNSIGNED",
            Verdict::NotVerified => "NOT VERIFIED",
            Verdict::Reproduced => "REPRODUCED",
            Verdict::NotReproduced => "NOT REPRODUCED",
        }
    }
}

pub fn check(
    r: &Report,
    target: &str,
    signer: Option<&str>,
    expires: &str,
    notes: &[String],
    verdict: Verdict,
    as_json: bool,
) {
    if as_json {
        let mut v = serde_json::to_value(r).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            // `verified` is true only for VERIFIED (or REPRODUCED).
            o.insert(
                "verified".into(),
                json!(matches!(verdict, Verdict::Verified | Verdict::Reproduced)),
            );
            o.insert("verdict".into(), json!(verdict.word()));
            o.insert("signature_checked".into(), json!(signer.is_some()));
            o.insert("target".into(), json!(target));
            o.insert("manifest_signed_by".into(), json!(signer));
            o.insert("expires".into(), json!(expires));
            o.insert("notes".into(), json!(notes));
        }
        println!("{v}");
        return;
    }
    let matched = r
        .files
        .iter()
        .filter(|f| f.status == FileStatus::Matched)
        .count();
    println!(
        "{target}: {} {} — {matched}/{} files match",
        r.app,
        r.version,
        r.files.len()
    );
    match signer {
        Some(s) => println!("  manifest signed by {s}, expires {expires}"),
        None if matches!(verdict, Verdict::Reproduced | Verdict::NotReproduced) => {}
        None => {
            println!("  manifest signature NOT checked (--no-signature-check), expires {expires}")
        }
    }
    for n in notes {
        println!("  note       {n}");
    }
    for f in r.bad_files() {
        match &f.status {
            FileStatus::Mismatched { expected, actual } => println!(
                "  MISMATCH   {}: expected {expected}, served {actual}",
                f.path
            ),
            FileStatus::Missing => println!("  MISSING    {}", f.path),
            FileStatus::Unexpected => {
                println!("  UNEXPECTED {} (served, not in the manifest)", f.path)
            }
            FileStatus::Matched => {}
        }
    }
    for p in &r.pages {
        for problem in &p.problems {
            println!("  PAGE       {}: {}", p.path, describe(problem));
        }
        if !p.csp_headers_checked {
            println!(
                "  note       {}: CSP headers not checked (directory)",
                p.path
            );
        }
    }
    println!("{}", verdict.word());
}

pub fn refreshed(r: &CertRefresh, out: Option<&Path>, as_json: bool) {
    if as_json {
        println!(
            "{}",
            json!({"fingerprint": r.fingerprint, "changed": r.changed, "revoked": r.revoked, "reason": r.reason, "cert": r.cert, "out": out.map(|o| o.display().to_string())})
        );
        return;
    }
    println!(
        "{}: {}",
        r.fingerprint,
        if r.changed {
            "updated (only what the pinned key signed)"
        } else {
            "unchanged"
        }
    );
    if let Some(o) = out {
        println!("wrote {}", o.display());
    }
    match &r.reason {
        Some(reason) if r.revoked => println!("REVOKED: {reason}"),
        _ => println!("not revoked"),
    }
}
