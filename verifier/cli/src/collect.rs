//! Gathering what is served: from a directory, over HTTP(S), or from a
//! rebuild in a clean temporary copy of the source.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use sealpost_verifier::compare::{resolve, Served, ServedFile};
use sealpost_verifier::html;
use sealpost_verifier::manifest::Manifest;
use sealpost_verifier::sri::{Algorithm, Hash, Hasher};

use crate::Fatal;

/// Pages and scripts are kept in memory for analysis up to this size.
const MAX_ANALYSED: u64 = 32 << 20;

fn analysed(path: &str) -> bool {
    [".html", ".htm", ".js", ".mjs"]
        .iter()
        .any(|e| path.ends_with(e))
}

/// Hashes a reader in 1 MiB steps; keeps the bytes if asked.
fn hash_reader<R: Read>(
    mut r: R,
    alg: Algorithm,
    keep: bool,
    what: &str,
) -> Result<(Hash, u64, Option<Vec<u8>>), Fatal> {
    let mut h = Hasher::new(alg);
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    let mut kept = keep.then(Vec::new);
    loop {
        let n = r
            .read(&mut buf)
            .map_err(|e| Fatal::new(format!("{what}: {e}")))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        size += n as u64;
        if let Some(k) = kept.as_mut() {
            if size <= MAX_ANALYSED {
                k.extend_from_slice(&buf[..n]);
            }
        }
    }
    Ok((h.finish(), size, kept.filter(|_| size <= MAX_ANALYSED)))
}

/// The SRI hash and size of standard input, streamed.
pub fn hash_stdin(alg: Algorithm) -> Result<(Hash, u64), Fatal> {
    let (h, size, _) = hash_reader(std::io::stdin().lock(), alg, false, "standard input")?;
    Ok((h, size))
}

/// The SRI hash and size of a file, streamed.
pub fn hash_file(path: &Path, alg: Algorithm) -> Result<(Hash, u64), Fatal> {
    let f =
        std::fs::File::open(path).map_err(|e| Fatal::new(format!("{}: {e}", path.display())))?;
    let (h, size, _) = hash_reader(f, alg, false, &path.display().to_string())?;
    Ok((h, size))
}

/// Every regular file under `dir` as (relative '/'-path, full path), sorted;
/// `skip` lists files to leave out (the manifest being written).
pub fn walk(dir: &Path, skip: &[PathBuf]) -> Result<Vec<(String, PathBuf)>, Fatal> {
    let skip: Vec<PathBuf> = skip.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| Fatal::new(format!("{}: {e}", d.display())))?;
        for e in entries {
            let e = e.map_err(|e| Fatal::new(format!("{}: {e}", d.display())))?;
            let p = e.path();
            let ft = e
                .file_type()
                .map_err(|e| Fatal::new(format!("{}: {e}", p.display())))?;
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() {
                if p.canonicalize().map(|c| skip.contains(&c)).unwrap_or(false) {
                    continue;
                }
                let rel = p.strip_prefix(dir).map_err(|e| Fatal::new(e.to_string()))?;
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push((parts.join("/"), p));
            } else if ft.is_symlink() {
                return Err(Fatal::new(format!(
                    "{}: symbolic links are not followed in a release directory",
                    p.display()
                )));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// What a directory serves (headers unknown).  `skip` lists files that are
/// not part of the app (the manifest being checked and its signature).
pub fn from_dir(dir: &Path, skip: &[PathBuf]) -> Result<Served, Fatal> {
    if !dir.is_dir() {
        return Err(Fatal::new(format!("{}: not a directory", dir.display())));
    }
    let mut served = Served::new();
    for (path, file) in walk(dir, skip)? {
        let f = std::fs::File::open(&file)
            .map_err(|e| Fatal::new(format!("{}: {e}", file.display())))?;
        let (sha384, size, content) = hash_reader(f, Algorithm::Sha384, analysed(&path), &path)?;
        served.insert(
            path,
            ServedFile {
                sha384,
                size,
                content,
                csp_headers: None,
            },
        );
    }
    Ok(served)
}

struct Fetcher {
    agent: ureq::Agent,
    base: String,
}

enum Fetched {
    Ok(ServedFile),
    NotFound,
}

impl Fetcher {
    fn get(&self, path: &str, keep: bool) -> Result<Fetched, Fatal> {
        let url = format!("{}{}", self.base, path.replace(' ', "%20"));
        let mut resp = match self.agent.get(&url).call() {
            Ok(r) => r,
            Err(e) => return Err(Fatal::fetch(format!("cannot fetch {url}: {e}"))),
        };
        let status = resp.status().as_u16();
        if status == 404 || status == 410 {
            return Ok(Fetched::NotFound);
        }
        if !(200..300).contains(&status) {
            return Err(Fatal::fetch(format!("{url}: HTTP {status}")));
        }
        let csp: Vec<String> = resp
            .headers()
            .get_all("content-security-policy")
            .iter()
            .filter_map(|v| v.to_str().ok().map(|s| s.to_string()))
            .collect();
        let reader = resp.body_mut().with_config().limit(u64::MAX).reader();
        let (sha384, size, content) = hash_reader(reader, Algorithm::Sha384, keep, &url)?;
        Ok(Fetched::Ok(ServedFile {
            sha384,
            size,
            content,
            csp_headers: Some(csp),
        }))
    }
}

/// What a site publishes under `/.well-known/sealpost/` for verifiers.
pub struct WellKnown {
    /// `manifest.json`'s URL.
    pub manifest_url: String,
    /// `manifest.json`.
    pub manifest: Vec<u8>,
    /// `manifest.json.sig`, if served.
    pub signature: Option<Vec<u8>>,
    /// `release-cert.asc`, if served.
    pub cert: Option<Vec<u8>>,
}

/// Reads one small well-known file: `None` for 404/410, an error for any
/// other failure or for more than `limit` bytes.
fn get_small(agent: &ureq::Agent, url: &str, limit: u64) -> Result<Option<Vec<u8>>, Fatal> {
    let mut resp = agent
        .get(url)
        .call()
        .map_err(|e| Fatal::fetch(format!("cannot fetch {url}: {e}")))?;
    let status = resp.status().as_u16();
    if status == 404 || status == 410 {
        return Ok(None);
    }
    if !(200..300).contains(&status) {
        return Err(Fatal::fetch(format!("{url}: HTTP {status}")));
    }
    let mut body = Vec::new();
    resp.body_mut()
        .with_config()
        .limit(limit + 1)
        .reader()
        .read_to_end(&mut body)
        .map_err(|e| Fatal::fetch(format!("{url}: {e}")))?;
    if body.len() as u64 > limit {
        return Err(Fatal::fetch(format!("{url}: more than {limit} bytes")));
    }
    Ok(Some(body))
}

/// Fetches the manifest, its signature and the release certificate from
/// the target's origin (`/.well-known/sealpost/`, RFC 8615: always at the
/// origin's root).  `with_signature` fetches the last two as well.
pub fn well_known(target: &str, with_signature: bool) -> Result<WellKnown, Fatal> {
    let (scheme, rest) = target
        .split_once("://")
        .ok_or_else(|| Fatal::usage(format!("{target}: not a URL")))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() {
        return Err(Fatal::usage(format!("{target}: no host")));
    }
    let base = format!("{scheme}://{host}/.well-known/sealpost/");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .max_redirects(0)
        .build()
        .into();
    let manifest_url = format!("{base}manifest.json");
    let manifest = get_small(&agent, &manifest_url, 64 << 20)?
        .ok_or_else(|| Fatal::fetch(format!("{manifest_url}: not found")))?;
    let (signature, cert) = if with_signature {
        (
            get_small(&agent, &format!("{base}manifest.json.sig"), 1 << 20)?,
            get_small(&agent, &format!("{base}release-cert.asc"), 1 << 20)?,
        )
    } else {
        (None, None)
    };
    Ok(WellKnown {
        manifest_url,
        manifest,
        signature,
        cert,
    })
}

/// Fetches the site: every manifest file, the URL itself, and every
/// same-origin resource its pages and scripts reference (unlisted ones
/// then show up as unexpected).  Returns what was served and the origin.
pub fn from_url(target: &str, manifest: &Manifest) -> Result<(Served, Option<String>), Fatal> {
    let (scheme, rest) = target
        .split_once("://")
        .ok_or_else(|| Fatal::usage(format!("{target}: not a URL")))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(Fatal::usage(format!("{target}: no host")));
    }
    let origin = format!("{scheme}://{host}");
    let path_in_site = &rest[host.len()..];
    let dir_part = match path_in_site.rfind('/') {
        Some(i) => &path_in_site[..=i],
        None => "/",
    };
    let base = format!("{origin}{dir_part}");
    let entry_name = path_in_site[dir_part.len()..].to_string();
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .max_redirects(0)
        .build();
    let f = Fetcher {
        agent: config.into(),
        base,
    };

    let mut served = Served::new();
    for path in manifest.files.keys() {
        if let Fetched::Ok(file) =
            f.get(path, analysed(path) || manifest.entrypoints.contains(path))?
        {
            served.insert(path.clone(), file);
        }
    }
    // What a visitor of the URL itself gets: if the server answers the
    // bare URL differently from the file it stands for, say so.
    let entry = if entry_name.is_empty() {
        manifest
            .entrypoints
            .first()
            .cloned()
            .unwrap_or_else(|| "index.html".into())
    } else {
        entry_name.clone()
    };
    if let Fetched::Ok(root) = f.get(&entry_name, true)? {
        match served.get(&entry) {
            Some(listed) if listed.sha384 == root.sha384 => {}
            Some(_) => {
                served.insert(format!("{entry} (as served at {target})"), root);
            }
            None => {
                served.insert(entry.clone(), root);
            }
        }
    }
    // Follow references from pages and scripts to unlisted same-origin files.
    let mut seen: BTreeSet<String> = served.keys().cloned().collect();
    let mut queue: Vec<String> = served.keys().cloned().collect();
    while let Some(path) = queue.pop() {
        let Some(content) = served.get(&path).and_then(|s| s.content.clone()) else {
            continue;
        };
        let mut refs: Vec<String> = Vec::new();
        if path.ends_with(".html") || path.ends_with(".htm") || manifest.entrypoints.contains(&path)
        {
            refs.extend(
                html::discover(&content)
                    .resources
                    .iter()
                    .filter_map(|r| resolve(&r.url, &path, Some(&origin))),
            );
        } else {
            refs.extend(
                html::script_references(&content)
                    .iter()
                    .filter_map(|u| resolve(u, &path, Some(&origin))),
            );
        }
        for r in refs {
            if seen.insert(r.clone()) {
                if let Fetched::Ok(file) = f.get(&r, analysed(&r))? {
                    served.insert(r.clone(), file);
                    queue.push(r);
                }
            }
        }
    }
    Ok((served, Some(origin)))
}

/// Exports the tree of `commit` of the git repository `source` into `to` (`git archive`,
/// unpacked by `tar`): exactly the files of that commit, nothing of the working tree.
fn export_commit(source: &Path, commit: &str, to: &Path) -> Result<(), Fatal> {
    // Only a commit ID goes to git (never an option or a revision expression).
    if !matches!(commit.len(), 40 | 64)
        || !commit
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(Fatal::build(format!(
            "the manifest's source commit {commit:?} is not a git commit ID (40 or 64 lower-case hex digits)"
        )));
    }
    let known = Command::new("git")
        .arg("-C")
        .arg(source)
        .args(["cat-file", "-e", &format!("{commit}^{{commit}}")])
        .output()
        .map_err(|e| Fatal::build(format!("running git: {e}")))?;
    if !known.status.success() {
        return Err(Fatal::build(format!(
            "the manifest's source commit {commit} is not in {}",
            source.display()
        )));
    }
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(source)
        .args(["archive", "--format=tar", commit])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| Fatal::build(format!("running git archive: {e}")))?;
    let stdout = archive
        .stdout
        .take()
        .ok_or_else(|| Fatal::build("git archive: no output"))?;
    let untar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(to)
        .stdin(stdout)
        .status()
        .map_err(|e| Fatal::build(format!("running tar: {e}")))?;
    let archived = archive
        .wait()
        .map_err(|e| Fatal::build(format!("git archive: {e}")))?;
    if !archived.success() || !untar.success() {
        return Err(Fatal::build(format!(
            "exporting commit {commit} failed (git archive {archived}, tar {untar})"
        )));
    }
    Ok(())
}

/// Puts the release's source into a fresh temporary directory and runs the build there: the
/// tree of the commit the manifest names when it names one (`git archive`; a source without
/// that commit is `BUILD_FAILED`), else the source's tracked files (or, outside git,
/// everything but build outputs).  The directory is deleted when the returned value is dropped.
pub fn rebuild(
    source: &Path,
    build_cmd: &str,
    output: &Path,
    manifest: &Manifest,
) -> Result<tempfile::TempDir, Fatal> {
    let tmp = tempfile::Builder::new()
        .prefix("sealpost-rebuild-")
        .tempdir()?;
    if let Some(commit) = &manifest.provenance.source_commit {
        export_commit(source, commit, tmp.path())?;
        return run_build(tmp, build_cmd, output, manifest);
    }
    let files: Vec<String> = match Command::new("git")
        .arg("-C")
        .arg(source)
        .args(["ls-files", "-z"])
        .output()
    {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout)
            .split('\0')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        _ => walk(source, &[])?
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| {
                !["target/", "node_modules/", "build/", "dist/", ".git/"]
                    .iter()
                    .any(|d| p.starts_with(d))
            })
            .collect(),
    };
    for rel in &files {
        let from = source.join(rel);
        if !from.is_file() {
            continue;
        }
        let to = tmp.path().join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&from, &to).map_err(|e| Fatal::new(format!("{}: {e}", from.display())))?;
    }
    run_build(tmp, build_cmd, output, manifest)
}

fn run_build(
    tmp: tempfile::TempDir,
    build_cmd: &str,
    output: &Path,
    manifest: &Manifest,
) -> Result<tempfile::TempDir, Fatal> {
    eprintln!(
        "sealpost-verify: building in {} with `{build_cmd}`",
        tmp.path().display()
    );
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(build_cmd).current_dir(tmp.path());
    if let Some(epoch) = manifest.provenance.source_date_epoch {
        cmd.env("SOURCE_DATE_EPOCH", epoch.to_string());
    }
    let status = cmd
        .status()
        .map_err(|e| Fatal::build(format!("running `{build_cmd}`: {e}")))?;
    if !status.success() {
        return Err(Fatal::build(format!(
            "the build `{build_cmd}` failed ({status})"
        )));
    }
    if !tmp.path().join(output).is_dir() {
        return Err(Fatal::build(format!(
            "the build produced no {}",
            output.display()
        )));
    }
    Ok(tmp)
}
