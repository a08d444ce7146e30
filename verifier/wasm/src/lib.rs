//! sealpost-verifier-wasm: the wasm-bindgen exports of sealpost-verifier, for the extension.
//! Conversion only, never a check of its own: every export is one library call.
//!
//! Errors are thrown as JS `Error`s with `name = "SealpostVerifyError"` and
//! a stable `code`.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;

use js_sys::{Reflect, Uint8Array};
use sealpost_verifier::compare::{self, ServedFile};
use sealpost_verifier::csp::{self, Policy};
use sealpost_verifier::manifest::{self, Manifest};
use sealpost_verifier::sri::{self, Algorithm, Integrity, Match};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn error(code: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("SealpostVerifyError");
    let _ = Reflect::set(&e, &JsValue::from_str("code"), &JsValue::from_str(code));
    e.into()
}

fn from_lib(e: sealpost_verifier::Error) -> JsValue {
    error(e.code.as_str(), &e.message)
}

fn plain<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error("INTERNAL", &e.to_string()))
}

fn algorithm(name: Option<String>) -> Result<Algorithm, JsValue> {
    match name.as_deref() {
        None => Ok(Algorithm::Sha384),
        Some(n) => Algorithm::from_name(n).ok_or_else(|| {
            js_sys::RangeError::new("algorithm must be sha256, sha384 or sha512").into()
        }),
    }
}

/// The SRI string (`sha384-…` by default) of `data`.
#[wasm_bindgen]
pub fn sri(data: &[u8], algorithm_name: Option<String>) -> Result<String, JsValue> {
    Ok(sri::compute(algorithm(algorithm_name)?, data).to_string())
}

/// Matches `data` against integrity metadata (the strongest-hash rule):
/// `"matched"`, `"mismatched"` or `"no_metadata"`.
#[wasm_bindgen(js_name = sriMatches)]
pub fn sri_matches(metadata: &str, data: &[u8]) -> String {
    match Integrity::parse(metadata).matches(data) {
        Match::Matched => "matched",
        Match::Mismatched => "mismatched",
        Match::NoMetadata => "no_metadata",
    }
    .to_string()
}

/// What a page loads or runs (resources, inline code, `<meta>` CSP).
#[wasm_bindgen]
pub fn discover(html: &[u8]) -> Result<JsValue, JsValue> {
    plain(&sealpost_verifier::html::discover(html))
}

/// CSP problems of the policies a page is served with (all enforced).
#[wasm_bindgen(js_name = cspProblems)]
pub fn csp_problems(policies: Vec<String>) -> Result<JsValue, JsValue> {
    let p: Vec<Policy> = policies.iter().map(|s| Policy::parse(s)).collect();
    plain(&csp::check(&p))
}

/// Unix seconds from a JS number (e.g. `Date.now() / 1000`): finite and
/// not negative, else `BAD_ARGUMENT`.  Fractions are dropped.
fn seconds(name: &str, v: f64) -> Result<u64, JsValue> {
    if !v.is_finite() || v < 0.0 {
        return Err(error(
            "BAD_ARGUMENT",
            &format!("{name} must be a finite, non-negative number of seconds"),
        ));
    }
    // `as` saturates: 1e300 becomes u64::MAX, which is simply "far future".
    Ok(v.floor() as u64)
}

/// Verifies a manifest's detached signature with the release certificate
/// (armored or binary) and returns the manifest as a plain object (with
/// its `expires`).  With `now_seconds` (Unix seconds), a genuine manifest
/// whose `expires` has passed throws `RELEASE_EXPIRED`; the signature is
/// checked first (`BAD_SIGNATURE`).
#[wasm_bindgen(js_name = verifyManifest)]
pub fn verify_manifest(
    manifest_bytes: &[u8],
    signature: &[u8],
    cert: &[u8],
    now_seconds: Option<f64>,
) -> Result<JsValue, JsValue> {
    let now = now_seconds.map(|n| seconds("nowSeconds", n)).transpose()?;
    let cert = sealpost_core::keys::read_cert_without_lacking_subkeys(cert)
        .map_err(|e| error("BAD_KEY", e.message()))?;
    let m = match now {
        Some(now) => manifest::verify_signed_at(manifest_bytes, signature, &cert, now),
        None => manifest::verify_signed(manifest_bytes, signature, &cert),
    }
    .map_err(from_lib)?;
    plain(&m)
}

#[derive(Serialize)]
struct Refreshed {
    cert: String,
    fingerprint: String,
    changed: bool,
    revoked: bool,
    reason: Option<String>,
}

/// Merges the release certificate the site serves now (`fetched`) into the
/// pinned one, keeping only what the pinned primary key signed, and judges
/// its revocation at `now_seconds`.  Returns `{ cert, fingerprint, changed,
/// revoked, reason }` (`cert` armored; `reason` a string or null).  Throws
/// `CERT_MISMATCH` (another primary key), `INVALID_CERT` (not one readable
/// certificate), `CERT_TOO_LARGE` (a pin over 256 KiB, or a merged result
/// over 128 KiB that does not revoke) or `BAD_ARGUMENT` (a bad time).
#[wasm_bindgen(js_name = refreshCert)]
pub fn refresh_cert(pinned: &[u8], fetched: &[u8], now_seconds: f64) -> Result<JsValue, JsValue> {
    let now = seconds("nowSeconds", now_seconds)?;
    let r = sealpost_verifier::cert::refresh(pinned, fetched, now).map_err(from_lib)?;
    plain(&Refreshed {
        cert: r.cert,
        fingerprint: r.fingerprint,
        changed: r.changed,
        revoked: r.revoked,
        reason: r.reason,
    })
}

/// Orders two release versions (`MAJOR.MINOR.PATCH`): -1, 0 or 1.  Throws
/// `BAD_MANIFEST` for anything else.  The extension's rollback ratchet.
#[wasm_bindgen(js_name = compareVersions)]
pub fn compare_versions(a: &str, b: &str) -> Result<i32, JsValue> {
    Ok(manifest::compare_versions(a, b).map_err(from_lib)? as i32)
}

/// Compares served files with a manifest (already verified).  `served` is
/// an array of `{ path, integrity, size, content?: Uint8Array,
/// cspHeaders?: string[] }`.
#[wasm_bindgen(js_name = checkServed)]
pub fn check_served(
    manifest_bytes: &[u8],
    served: js_sys::Array,
    origin: Option<String>,
) -> Result<JsValue, JsValue> {
    let m = Manifest::from_bytes(manifest_bytes).map_err(from_lib)?;
    let mut map = BTreeMap::new();
    for item in served.iter() {
        let get = |k: &str| Reflect::get(&item, &JsValue::from_str(k));
        let path = get("path")?
            .as_string()
            .ok_or_else(|| js_sys::TypeError::new("served[].path must be a string"))?;
        let integrity = get("integrity")?
            .as_string()
            .ok_or_else(|| js_sys::TypeError::new("served[].integrity must be a string"))?;
        let hash = Integrity::parse(&integrity)
            .hashes
            .into_iter()
            .find(|h| h.algorithm == Algorithm::Sha384)
            .ok_or_else(|| {
                error(
                    "BAD_INTEGRITY",
                    &format!("served[{path:?}].integrity must be sha384"),
                )
            })?;
        let size = get("size")?
            .as_f64()
            .ok_or_else(|| js_sys::TypeError::new("served[].size must be a number"))?
            as u64;
        let content = get("content")?
            .dyn_into::<Uint8Array>()
            .ok()
            .map(|a| a.to_vec());
        let csp_headers = get("cspHeaders")?
            .dyn_into::<js_sys::Array>()
            .ok()
            .map(|a| a.iter().filter_map(|v| v.as_string()).collect());
        map.insert(
            path,
            ServedFile {
                sha384: hash,
                size,
                content,
                csp_headers,
            },
        );
    }
    plain(&compare::check(&m, &map, origin.as_deref()))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CertInfo {
    fingerprint: String,
    user_ids: Vec<String>,
}

/// The fingerprint (uppercase hex) and user IDs of a certificate, for
/// showing the release signing key to the user at enrollment.
#[wasm_bindgen(js_name = certInfo)]
pub fn cert_info(cert: &[u8]) -> Result<JsValue, JsValue> {
    let cert = sealpost_core::keys::read_cert_without_lacking_subkeys(cert)
        .map_err(|e| error("BAD_KEY", e.message()))?;
    plain(&CertInfo {
        fingerprint: cert.fingerprint().to_hex(),
        user_ids: cert
            .userids()
            .map(|u| String::from_utf8_lossy(u.userid().value()).into_owned())
            .collect(),
    })
}

// --- the release transparency log (sealpost-tlog's client checks)

fn tlog_error(code: &str, e: impl std::fmt::Display) -> JsValue {
    error(code, &e.to_string())
}

/// `{ path: Uint8Array }` → map (anything else in the object is ignored).
fn tile_map(tiles: &JsValue) -> Result<std::collections::HashMap<String, Vec<u8>>, JsValue> {
    let mut m = std::collections::HashMap::new();
    if tiles.is_undefined() || tiles.is_null() {
        return Ok(m);
    }
    let obj: &js_sys::Object = tiles
        .dyn_ref()
        .ok_or_else(|| js_sys::TypeError::new("tiles must be an object of Uint8Arrays"))?;
    for pair in js_sys::Object::entries(obj).iter() {
        let pair = js_sys::Array::from(&pair);
        if let (Some(k), Ok(v)) = (
            pair.get(0).as_string(),
            pair.get(1).dyn_into::<Uint8Array>(),
        ) {
            m.insert(k, v.to_vec());
        }
    }
    Ok(m)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogPolicy {
    logs: Vec<String>,
    witnesses: Vec<String>,
    /// The rebuilders the policy names and how many must attest a release (issue 21; 0: none).
    rebuilders: Vec<String>,
    /// Their keys (the guard keeps them as an origin's policy floor).
    rebuilder_keys: Vec<String>,
    rebuild_quorum: usize,
}

/// Verifies a C2SP tlog-policy served by a site with its detached OpenPGP
/// signature by the release certificate `cert`, and returns the names of
/// its logs (origins) and witnesses.  Throws `LOG_POLICY` (unsigned,
/// signed by another key, or not a policy).
#[wasm_bindgen(js_name = tlogPolicy)]
pub fn tlog_policy(policy: &[u8], signature: &[u8], cert: &[u8]) -> Result<JsValue, JsValue> {
    let cert = sealpost_core::keys::read_cert_without_lacking_subkeys(cert)
        .map_err(|e| error("BAD_KEY", e.message()))?;
    let p = sealpost_core::Policy::new();
    let v = sealpost_core::verify::verify_detached(
        policy,
        signature,
        &sealpost_core::verify::VerifyOptions {
            certs: std::slice::from_ref(&cert),
            require_signature: true,
            policy: &p,
        },
    )
    .map_err(|e| {
        tlog_error(
            "LOG_POLICY",
            format!("the log policy's signature: {}", e.message()),
        )
    })?;
    let fpr = cert.fingerprint().to_hex();
    if !v
        .signatures
        .iter()
        .any(|s| s.valid && s.signer_fingerprint.as_deref() == Some(fpr.as_str()))
    {
        return Err(error(
            "LOG_POLICY",
            &format!("the log policy is not signed by the release key {fpr}"),
        ));
    }
    let text = std::str::from_utf8(policy)
        .map_err(|_| error("LOG_POLICY", "the log policy is not UTF-8"))?;
    let parsed =
        sealpost_tlog::policy::Policy::parse(text).map_err(|e| tlog_error("LOG_POLICY", e))?;
    if parsed.logs.is_empty() {
        return Err(error("LOG_POLICY", "the log policy names no log"));
    }
    // A quorum met with no cosignature (`quorum none`, an empty group): the log
    // operator alone could show a user a fork; such a policy is not pinned.
    if parsed.quorum_met(&std::collections::BTreeSet::new()) {
        return Err(error(
            "LOG_POLICY",
            "the log policy's quorum needs no witness (the log alone could show a fork)",
        ));
    }
    plain(&LogPolicy {
        logs: parsed.logs.iter().map(|l| l.vkey.name.clone()).collect(),
        witnesses: parsed.witnesses.iter().map(|w| w.name.clone()).collect(),
        rebuilders: parsed.rebuilders.iter().map(|r| r.name.clone()).collect(),
        rebuilder_keys: parsed.rebuilders.iter().map(|r| r.vkey.encode()).collect(),
        rebuild_quorum: parsed.rebuild_quorum,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReleaseCheck {
    logged: Option<sealpost_tlog::client::Logged>,
    need_tiles: Option<Vec<String>>,
}

/// Whether the release `manifest` (signed by the key `fingerprint`) is in
/// the log: `proof` is the tlog-proof the site serves, `policy` the pinned
/// tlog-policy text, `stored` the newest checkpoint held of that log (or
/// null), `tiles` `{ path: Uint8Array }` fetched after a first call asked
/// for them.  Returns `{ logged, needTiles }` (one of them null); throws
/// `NOT_LOGGED` or `SPLIT_VIEW` (sealpost_tlog::client::check_release).
#[wasm_bindgen(js_name = tlogCheckRelease)]
pub fn tlog_check_release(
    policy: &str,
    proof: &[u8],
    manifest_bytes: &[u8],
    fingerprint: &str,
    stored: Option<Vec<u8>>,
    tiles: JsValue,
) -> Result<JsValue, JsValue> {
    let policy =
        sealpost_tlog::policy::Policy::parse(policy).map_err(|e| tlog_error("LOG_POLICY", e))?;
    let m = Manifest::from_bytes(manifest_bytes).map_err(from_lib)?;
    let entry = sealpost_tlog::entry::Entry::for_manifest(
        &m.app,
        &m.version,
        manifest_bytes,
        fingerprint,
        m.provenance.source_commit.as_deref(),
        m.provenance.source_date_epoch,
    )
    .map_err(|e| {
        tlog_error(
            "NOT_LOGGED",
            format!("this release cannot be a log entry: {e}"),
        )
    })?;
    let tiles = tile_map(&tiles)?;
    match sealpost_tlog::client::check_release(
        &policy,
        proof,
        &entry.to_bytes(),
        stored.as_deref(),
        &tiles,
    ) {
        Ok(sealpost_tlog::client::Outcome::Logged(l)) => plain(&ReleaseCheck {
            logged: Some(l),
            need_tiles: None,
        }),
        Ok(sealpost_tlog::client::Outcome::NeedTiles(t)) => plain(&ReleaseCheck {
            logged: None,
            need_tiles: Some(t),
        }),
        Err(r) => Err(error(r.code(), r.message())),
    }
}

/// Whether a quorum of the pinned policy's rebuilders attested this release
/// (issue 21): `releaseProof` is the tlog-proof `tlogCheckRelease` accepted,
/// `proofs` the site's `rebuild-proofs` as parsed JSON: an array of
/// tlog-proof strings, each with its attestation in `extra` (anything else
/// in it counts for nothing).  Returns `{ rebuilders, quorum,
/// missing, ignored }`; throws `NOT_REBUILT` naming who is missing
/// (sealpost_tlog::client::check_rebuilt).
#[wasm_bindgen(js_name = tlogCheckRebuilt)]
pub fn tlog_check_rebuilt(
    policy: &str,
    release_proof: &[u8],
    manifest_bytes: &[u8],
    proofs: JsValue,
) -> Result<JsValue, JsValue> {
    let policy =
        sealpost_tlog::policy::Policy::parse(policy).map_err(|e| tlog_error("LOG_POLICY", e))?;
    let m = Manifest::from_bytes(manifest_bytes).map_err(from_lib)?;
    let proofs: Vec<Vec<u8>> = match proofs.dyn_ref::<js_sys::Array>() {
        Some(a) => a
            .iter()
            .take(sealpost_tlog::client::MAX_ATTESTATION_PROOFS + 1)
            .map(|v| v.as_string().unwrap_or_default().into_bytes())
            .collect(),
        None => Vec::new(),
    };
    let sha = sealpost_tlog::hex(&sealpost_tlog::sha256(manifest_bytes));
    sealpost_tlog::client::check_rebuilt(&policy, release_proof, &m.app, &m.version, &sha, &proofs)
        .map_err(|r| error(r.code(), r.message()))
        .and_then(|r| plain(&r))
}

/// Whether the log binds `origin` to the release key `fingerprint` and to
/// the log policy `policy` (its text; its SHA-256 is in the binding entry),
/// publicly for at least `coolDownSecs` at `nowSecs` (issue 21). `proof` is
/// the site's `binding-proof` (a tlog-proof of the entry, under any
/// checkpoint of the policy's log); `witnesses` the guard's own witness list
/// (`witness`/`group`/`quorum` lines, a build-time constant): only their
/// cosignatures count. Returns `{ log, index, since, witnesses: [[name,
/// time]], coolDown }`; throws `NOT_BOUND`, or `BINDING_COOLING_DOWN` with
/// `until` (Unix seconds) (sealpost_tlog::client::check_binding).
#[wasm_bindgen(js_name = tlogCheckBinding)]
#[allow(clippy::too_many_arguments)]
pub fn tlog_check_binding(
    policy: &str,
    witnesses: &str,
    proof: &[u8],
    origin: &str,
    fingerprint: &str,
    now_secs: f64,
    cool_down_secs: f64,
) -> Result<JsValue, JsValue> {
    let (site, guard) = site_and_guard(policy, witnesses)?;
    let now = seconds("now", now_secs)?;
    let cool_down = seconds("coolDown", cool_down_secs)?;
    sealpost_tlog::client::check_binding(
        &site,
        &guard,
        proof,
        origin,
        fingerprint,
        policy,
        now,
        cool_down,
    )
    .map_err(|r| {
        let e = error(r.code(), r.message());
        if let sealpost_tlog::client::Refusal::BindingCoolingDown { until, .. } = r {
            let _ = Reflect::set(
                &e,
                &JsValue::from_str("until"),
                &JsValue::from_f64(until as f64),
            );
        }
        e
    })
    .and_then(|b| plain(&b))
}

/// The site's policy and the guard's witness list, parsed (their errors coded as the binding
/// checks report them).
fn site_and_guard(
    policy: &str,
    witnesses: &str,
) -> Result<(sealpost_tlog::policy::Policy, sealpost_tlog::policy::Policy), JsValue> {
    let site =
        sealpost_tlog::policy::Policy::parse(policy).map_err(|e| tlog_error("LOG_POLICY", e))?;
    let guard = sealpost_tlog::policy::Policy::parse(witnesses)
        .map_err(|e| tlog_error("NOT_BOUND", format!("the guard's witness list: {e}")))?;
    Ok((site, guard))
}

/// Whether `checkpoint` (a signed note) is a view of the site's log cosigned by a quorum of
/// the guard's own `witnesses` at most `maxAgeSecs` before `nowSecs`: `{ log, size, at }`;
/// throws `NOT_BOUND` (sealpost_tlog::client::fresh_view).
#[wasm_bindgen(js_name = tlogFreshView)]
pub fn tlog_fresh_view(
    policy: &str,
    witnesses: &str,
    checkpoint: &[u8],
    now_secs: f64,
    max_age_secs: f64,
) -> Result<JsValue, JsValue> {
    let (site, guard) = site_and_guard(policy, witnesses)?;
    let now = seconds("now", now_secs)?;
    let max_age = seconds("maxAge", max_age_secs)?;
    sealpost_tlog::client::fresh_view(&site, &guard, checkpoint, now, max_age)
        .map_err(|r| error(r.code(), r.message()))
        .and_then(|v| plain(&v))
}

/// Whether the binding `tlogCheckBinding` proved (leaf `index` of the log `log`) is still the
/// origin's newest in the recent view `checkpoint` (tlogFreshView), read whole from its entry
/// `bundles` (`{ path: Uint8Array }`, paths from tlogEntryBundlePaths): `{ log, size, at }`;
/// throws `NOT_BOUND` naming a later binding of the origin to another key or policy
/// (sealpost_tlog::client::check_newest_binding).
#[wasm_bindgen(js_name = tlogCheckNewestBinding)]
#[allow(clippy::too_many_arguments)]
pub fn tlog_check_newest_binding(
    policy: &str,
    witnesses: &str,
    checkpoint: &[u8],
    bundles: JsValue,
    log: &str,
    index: f64,
    origin: &str,
    fingerprint: &str,
    now_secs: f64,
    max_age_secs: f64,
) -> Result<JsValue, JsValue> {
    let (site, guard) = site_and_guard(policy, witnesses)?;
    let bundles = tile_map(&bundles)?;
    let index = seconds("index", index)?;
    let now = seconds("now", now_secs)?;
    let max_age = seconds("maxAge", max_age_secs)?;
    sealpost_tlog::client::check_newest_binding(
        &site,
        &guard,
        checkpoint,
        &bundles,
        log,
        index,
        origin,
        fingerprint,
        policy,
        now,
        max_age,
    )
    .map_err(|r| error(r.code(), r.message()))
    .and_then(|v| plain(&v))
}

/// The entry bundle paths of a log of `size` leaves (for tlogCountReleases).
#[wasm_bindgen(js_name = tlogEntryBundlePaths)]
pub fn tlog_entry_bundle_paths(size: f64) -> Result<Vec<String>, JsValue> {
    let size = seconds("size", size)?;
    sealpost_tlog::client::entry_bundle_paths(size).map_err(|e| tlog_error("LOG_MALFORMED", e))
}

/// `app`'s releases in the log behind `checkpoint` (verified before), from
/// its entry bundles `{ path: Uint8Array }`: `{ count, size, since,
/// conflicts }`.  Throws `LOG_MALFORMED` when the bundles do not hash to
/// the checkpoint's root.
#[wasm_bindgen(js_name = tlogCountReleases)]
pub fn tlog_count_releases(
    checkpoint: &[u8],
    bundles: JsValue,
    app: &str,
) -> Result<JsValue, JsValue> {
    let bundles = tile_map(&bundles)?;
    let r = sealpost_tlog::client::count_releases(checkpoint, &bundles, app)
        .map_err(|e| tlog_error("LOG_MALFORMED", e))?;
    plain(&r)
}
