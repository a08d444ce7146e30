//! What a client of the log (the browser guard) checks before it runs a release, with no I/O
//! of its own: the caller fetches, this module decides.
//!
//! [`check_release`] takes the pinned policy, the tlog-proof the site serves for its release,
//! the release's entry and the newest checkpoint the client has seen of that log (if any):
//!
//! 1. the proof's checkpoint must be signed by the policy's log, and if the client holds a
//!    checkpoint of the same size, have the same root — else [`Refusal::SplitView`] (two
//!    tree heads of one size signed by the log: evidence of a fork);
//! 2. cosigned by a quorum of the policy's witnesses, and the entry included under it — else
//!    [`Refusal::NotLogged`];
//! 3. consistent with the checkpoint held (whichever of the two is newer must extend the other),
//!    proven from the log's hash tiles — else [`Refusal::SplitView`]. The tiles needed are
//!    named by a first call ([`Outcome::NeedTiles`]); the caller fetches them and calls again.
//!
//! Tiles come from the server, but are authenticated against the larger checkpoint's root
//! (`tlog_tiles::TileHashReader`), so a server cannot make a false proof out of them.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use tlog_tiles::{prove_tree, Tile, TileHashReader, TileReader};

use crate::attest::Attestation;
use crate::checkpoint::SignedCheckpoint;
use crate::entry::Entry;
use crate::logdir::read_verified_entries;
use crate::policy::Policy;
use crate::proof::{verify_consistency, TlogProof};
use crate::tiles::{check_hash_tile, path, TileSource, FULL_WIDTH, HEIGHT};
use crate::{Error, MAX_TREE_SIZE};

/// Why a release is refused, with the stable code the guard shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No valid inclusion proof under a checkpoint of the log cosigned by a quorum.
    NotLogged(String),
    /// Two views of the log that cannot both be true: same size with another root, or no
    /// consistency between the checkpoint held and the one served.
    SplitView(String),
    /// Fewer than the policy's rebuild quorum of its rebuilders attested, in the log, that they
    /// rebuilt exactly this manifest from source (issue 21). The message names who is missing.
    NotRebuilt(String),
    /// No proof that the log binds the origin to this release key and this log policy under a
    /// checkpoint cosigned by a quorum of the witnesses the client itself ships (issue 21).
    NotBound(String),
    /// The binding is proven, but public for less than the cool-down: `until` is the Unix time
    /// from which it counts.
    BindingCoolingDown { until: u64, message: String },
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotLogged(_) => "NOT_LOGGED",
            Refusal::SplitView(_) => "SPLIT_VIEW",
            Refusal::NotRebuilt(_) => "NOT_REBUILT",
            Refusal::NotBound(_) => "NOT_BOUND",
            Refusal::BindingCoolingDown { .. } => "BINDING_COOLING_DOWN",
        }
    }
    pub fn message(&self) -> &str {
        match self {
            Refusal::NotLogged(m)
            | Refusal::SplitView(m)
            | Refusal::NotRebuilt(m)
            | Refusal::NotBound(m)
            | Refusal::BindingCoolingDown { message: m, .. } => m,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

fn not_logged(e: impl std::fmt::Display) -> Refusal {
    Refusal::NotLogged(e.to_string())
}

/// A release proven to be in the log.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Logged {
    /// The log's origin (its key name).
    pub origin: String,
    /// The release's leaf index.
    pub index: u64,
    /// The size of the checkpoint the inclusion was proven under.
    pub size: u64,
    /// The newest checkpoint now known (the proof's, or the one held if that is newer): the
    /// signed note to keep.
    pub checkpoint: String,
    /// Its size.
    pub checkpoint_size: u64,
    /// Whether `checkpoint` is newer than the one held (the caller stores it).
    pub advanced: bool,
    /// The policy's witnesses that cosigned the proof's checkpoint.
    pub witnesses: Vec<String>,
}

/// What [`check_release`] needs or found.
#[derive(Debug, Clone)]
pub enum Outcome {
    Logged(Logged),
    /// Fetch these tile paths (relative to the log's URL) and call again with them.
    NeedTiles(Vec<String>),
}

/// Tiles held in memory, by C2SP path; records the paths asked for that it lacks.
struct MapTiles<'a> {
    map: &'a HashMap<String, Vec<u8>>,
    missing: RefCell<Vec<String>>,
    bad: RefCell<Option<Error>>,
}

impl TileReader for MapTiles<'_> {
    fn height(&self) -> u8 {
        HEIGHT
    }

    fn read_tiles(&self, tiles: &[Tile]) -> Result<Vec<Vec<u8>>, tlog_tiles::Error> {
        let mut out = Vec::with_capacity(tiles.len());
        for t in tiles {
            let p = path(t);
            match self.map.get(&p) {
                Some(d) => {
                    if let Err(e) = check_hash_tile(d, t.width()) {
                        *self.bad.borrow_mut() = Some(e.context(&p));
                        return Err(tlog_tiles::Error::InvalidTile);
                    }
                    out.push(d.clone());
                }
                None => self.missing.borrow_mut().push(p),
            }
        }
        if self.missing.borrow().is_empty() {
            Ok(out)
        } else {
            Err(tlog_tiles::Error::InvalidTile)
        }
    }

    fn save_tiles(&self, _tiles: &[Tile], _data: &[Vec<u8>]) {}
}

/// Proves that the tree (`new`) extends the tree (`old`) from tiles authenticated against
/// `new`'s root: Ok(None) when proven, Ok(Some(paths)) when tiles are missing.
fn consistent(
    old: &SignedCheckpoint,
    new: &SignedCheckpoint,
    tiles: &HashMap<String, Vec<u8>>,
) -> Result<Option<Vec<String>>, Refusal> {
    if old.size() == 0 {
        return Ok(None);
    }
    let reader = MapTiles {
        map: tiles,
        missing: RefCell::new(Vec::new()),
        bad: RefCell::new(None),
    };
    let hashes = TileHashReader::new(new.size(), new.root(), &reader);
    match prove_tree(new.size(), old.size(), &hashes) {
        Ok(proof) => verify_consistency(&proof, old.size(), old.root(), new.size(), new.root())
            .map(|()| None)
            .map_err(|e| {
                Refusal::SplitView(format!(
                    "the log's checkpoint of size {} does not extend the one of size {} seen before: {e}",
                    new.size(),
                    old.size()
                ))
            }),
        Err(e) => {
            let missing = reader.missing.take();
            if !missing.is_empty() {
                return Ok(Some(missing));
            }
            let why = reader
                .bad
                .take()
                .unwrap_or_else(|| crate::tiles::from_tlog(e));
            Err(Refusal::SplitView(format!(
                "no proof that the checkpoint of size {} extends the one of size {} seen before (the tiles served do not match the larger tree: {why})",
                new.size(),
                old.size()
            )))
        }
    }
}

/// The checks described in the module's documentation. `stored` is the newest checkpoint the
/// client holds of this log (a signed note it verified before); `tiles` the tiles fetched after
/// an [`Outcome::NeedTiles`] (empty at first).
pub fn check_release(
    policy: &Policy,
    proof: &[u8],
    entry: &[u8],
    stored: Option<&[u8]>,
    tiles: &HashMap<String, Vec<u8>>,
) -> Result<Outcome, Refusal> {
    // A policy met with no cosignature leaves the log operator alone able to fork.
    if policy.quorum_met(&BTreeSet::new()) {
        return Err(not_logged(
            "the pinned log policy's quorum needs no witness (the log alone could show a fork)",
        ));
    }
    let proof = TlogProof::parse(proof).map_err(|e| not_logged(format!("the log proof: {e}")))?;
    let cp = &proof.checkpoint;
    let log = policy
        .logs
        .iter()
        .find(|l| l.vkey.name == cp.origin())
        .ok_or_else(|| {
            not_logged(format!(
                "the proof's checkpoint is of the log {:?}, not a log of the pinned policy",
                cp.origin()
            ))
        })?;
    cp.verify_log(&log.vkey)
        .map_err(|e| not_logged(format!("the proof's checkpoint: {e}")))?;
    let held = match stored {
        None => None,
        Some(b) => {
            let h = SignedCheckpoint::parse(b).map_err(|e| {
                Refusal::SplitView(format!(
                    "the checkpoint held for this log is unreadable: {e}"
                ))
            })?;
            if h.origin() != cp.origin() {
                return Err(Refusal::SplitView(format!(
                    "the checkpoint held is of the log {:?}, the served one of {:?}",
                    h.origin(),
                    cp.origin()
                )));
            }
            // Held under this log's name but not signed by the pinned log key: another log's
            // (another site's policy naming its own key under this name); not evidence of a
            // fork of this one, ignored.
            h.verify_log(&log.vkey).is_ok().then_some(h)
        }
    };
    if let Some(h) = &held {
        if h.size() == cp.size() && h.root() != cp.root() {
            return Err(Refusal::SplitView(format!(
                "the log signed two different trees of size {}: root {} seen before, {} now",
                cp.size(),
                h.root(),
                cp.root()
            )));
        }
    }
    let verified = cp
        .verify(policy)
        .map_err(|e| not_logged(format!("the proof's checkpoint: {e}")))?;
    proof.verify_entry(entry).map_err(|e| {
        not_logged(format!(
            "this release is not leaf {} of the log's tree of size {}: {e}",
            proof.index,
            cp.size()
        ))
    })?;
    let (newest, advanced) = match &held {
        None => (cp, true),
        Some(h) if h.size() < cp.size() => {
            if let Some(paths) = consistent(h, cp, tiles)? {
                return Ok(Outcome::NeedTiles(paths));
            }
            (cp, true)
        }
        Some(h) if h.size() > cp.size() => {
            if let Some(paths) = consistent(cp, h, tiles)? {
                return Ok(Outcome::NeedTiles(paths));
            }
            (h, false)
        }
        Some(h) => (h, false),
    };
    Ok(Outcome::Logged(Logged {
        origin: cp.origin().to_string(),
        index: proof.index,
        size: cp.size(),
        checkpoint: String::from_utf8_lossy(&newest.to_bytes()).into_owned(),
        checkpoint_size: newest.size(),
        advanced,
        witnesses: verified.witnesses.into_iter().map(|(n, _)| n).collect(),
    }))
}

/// At most this many attestation proofs are looked at for one release (the list is the server's).
pub const MAX_ATTESTATION_PROOFS: usize = 64;

/// A release the policy's rebuilders attested.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Rebuilt {
    /// The policy's names of the rebuilders whose attestations counted.
    pub rebuilders: Vec<String>,
    /// How many the policy asks for (0: none).
    pub quorum: usize,
    /// The policy's rebuilders with no valid attestation here.
    pub missing: Vec<String>,
    /// Why each attestation that did not count was ignored.
    pub ignored: Vec<String>,
}

/// Whether a quorum of the policy's rebuilders attested the release `app` `version` whose
/// manifest's SHA-256 is `manifest_sha256`, from tlog-proofs of their attestation entries (the
/// entry in each proof's `extra`). Call it only after [`check_release`] accepted
/// `release_proof`: an attestation counts only under that proof's checkpoint (same log, size
/// and root, verified again here against the policy), included in it, signed by a rebuilder
/// the policy names, for exactly this app, version and manifest; each rebuilder counts once.
/// Everything else is ignored (and said why in [`Rebuilt::ignored`]); too few is
/// [`Refusal::NotRebuilt`], naming the rebuilders missing.
pub fn check_rebuilt(
    policy: &Policy,
    release_proof: &[u8],
    app: &str,
    version: &str,
    manifest_sha256: &str,
    attestation_proofs: &[Vec<u8>],
) -> Result<Rebuilt, Refusal> {
    let quorum = policy.rebuild_quorum;
    let names = |v: &[usize]| -> Vec<String> {
        v.iter()
            .map(|&i| policy.rebuilders[i].name.clone())
            .collect()
    };
    if quorum == 0 {
        return Ok(Rebuilt {
            rebuilders: Vec::new(),
            quorum,
            missing: Vec::new(),
            ignored: Vec::new(),
        });
    }
    let release = TlogProof::parse(release_proof)
        .map_err(|e| Refusal::NotRebuilt(format!("the release's log proof: {e}")))?;
    let cp = &release.checkpoint;
    cp.verify(policy)
        .map_err(|e| Refusal::NotRebuilt(format!("the release's checkpoint: {e}")))?;
    let mut ignored = Vec::new();
    if attestation_proofs.len() > MAX_ATTESTATION_PROOFS {
        ignored.push(format!(
            "{} attestation proofs served, only the first {MAX_ATTESTATION_PROOFS} looked at",
            attestation_proofs.len()
        ));
    }
    let mut counted: Vec<usize> = Vec::new();
    for (n, bytes) in attestation_proofs
        .iter()
        .take(MAX_ATTESTATION_PROOFS)
        .enumerate()
    {
        let why = (|| -> Result<usize, String> {
            let p = TlogProof::parse(bytes).map_err(|e| e.to_string())?;
            let c = &p.checkpoint;
            if c.origin() != cp.origin() || c.size() != cp.size() || c.root() != cp.root() {
                return Err(format!(
                    "under another checkpoint ({} size {}) than the release's ({} size {})",
                    c.origin(),
                    c.size(),
                    cp.origin(),
                    cp.size()
                ));
            }
            let entry = p
                .extra
                .as_deref()
                .ok_or("the proof carries no attestation (extra)")?;
            p.verify_entry(entry)
                .map_err(|e| format!("not in the log: leaf {} does not prove it: {e}", p.index))?;
            let a = Attestation::parse(entry).map_err(|e| e.to_string())?;
            let s = &a.statement;
            if s.app != app || s.version != version || s.manifest_sha256 != manifest_sha256 {
                return Err(format!(
                    "by {} for {} {} manifest {}, not this release",
                    a.signer, s.app, s.version, s.manifest_sha256
                ));
            }
            if s.source_commit.is_none() {
                return Err(format!(
                    "by {}: built from no named commit (source-commit none), not from public source",
                    a.signer
                ));
            }
            policy
                .rebuilders
                .iter()
                .position(|r| a.signed_by(&r.vkey))
                .ok_or_else(|| format!("by {}, a key the pinned policy does not name", a.signer))
        })();
        match why {
            Ok(i) if counted.contains(&i) => ignored.push(format!(
                "attestation {n}: a second one by {}",
                policy.rebuilders[i].name
            )),
            Ok(i) => counted.push(i),
            Err(e) => ignored.push(format!("attestation {n}: {e}")),
        }
    }
    let missing: Vec<usize> = (0..policy.rebuilders.len())
        .filter(|i| !counted.contains(i))
        .collect();
    if counted.len() < quorum {
        let mut m = format!(
            "{} of the {quorum} rebuild attestation(s) the policy asks for are in the log for this manifest (sha256 {manifest_sha256}); missing: {}",
            counted.len(),
            names(&missing).join(", ")
        );
        if !ignored.is_empty() {
            m.push_str(&format!("; ignored: {}", ignored.join("; ")));
        }
        return Err(Refusal::NotRebuilt(m));
    }
    counted.sort_unstable();
    Ok(Rebuilt {
        rebuilders: names(&counted),
        quorum,
        missing: names(&missing),
        ignored,
    })
}

/// An origin's binding to a release key and log policy, proven and cooled down.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Bound {
    /// The log the binding is in (its origin).
    pub log: String,
    /// The binding's leaf index.
    pub index: u64,
    /// Since when it is public: when a quorum of the client's own witnesses had cosigned a
    /// checkpoint holding it (Unix seconds).
    pub since: u64,
    /// The client's witnesses that cosigned that checkpoint, with the time each did.
    pub witnesses: Vec<(String, u64)>,
    /// The cool-down applied (seconds).
    pub cool_down: u64,
    /// The binding proof's checkpoint (a signed note, cosigned by the client's witnesses): a
    /// view of the log the client may use for [`check_newest_binding`] if it is recent enough.
    pub checkpoint: String,
}

/// Whether the log binds `origin` to `release_key` and to the log policy whose text is
/// `policy_text` (its SHA-256 is in the entry: `sealpost-binding/2`), publicly for at least
/// `cool_down` seconds at `now`.
///
/// `site` is the site's signed log policy (only its logs are used: which log key signs the
/// checkpoint); `witnesses` the client's *own* witness list and quorum (a tlog-policy text of
/// `witness`, `group` and `quorum` lines, shipped with the client, never from a server): only
/// their cosignatures count, so a server cannot name witnesses it runs and backdate their
/// cosignatures (red-team finding 1). `proof` is a tlog-proof of the binding entry; it may be
/// under an old checkpoint — that is the point: the time a quorum cosigned *that* checkpoint is
/// since when the binding is public ([`crate::binding::bound_since`]).
#[allow(clippy::too_many_arguments)]
pub fn check_binding(
    site: &Policy,
    witnesses: &Policy,
    proof: &[u8],
    origin: &str,
    release_key: &str,
    policy_text: &str,
    now: u64,
    cool_down: u64,
) -> Result<Bound, Refusal> {
    let nb = |m: String| Refusal::NotBound(m);
    let combined = guard_view(site, witnesses)?;
    let (binding, sha) = expected_binding(origin, release_key, policy_text)?;
    let proof = TlogProof::parse(proof).map_err(|e| nb(format!("the binding proof: {e}")))?;
    let cp = &proof.checkpoint;
    let verified = cp.verify(&combined).map_err(|e| {
        nb(format!(
            "the binding's checkpoint is not signed by the site's log and cosigned by a quorum of the guard's own witnesses: {e}"
        ))
    })?;
    proof.verify_entry(&binding.to_bytes()).map_err(|e| {
        nb(format!(
            "leaf {} of the log's tree of size {} is not the binding of {origin} to {release_key} with this log policy (sha256 {sha}): {e}",
            proof.index,
            cp.size()
        ))
    })?;
    let since = crate::binding::bound_since(cp, &combined)
        .ok_or_else(|| nb("no quorum of the guard's witnesses cosigned the binding".into()))?;
    let until = since.saturating_add(cool_down);
    if !crate::binding::cooled_down(since, now, cool_down) {
        return Err(Refusal::BindingCoolingDown {
            until,
            message: format!(
                "{origin} is bound to {release_key} in the log since {since} (Unix time, cosigned by {}), less than the cool-down of {cool_down} s: it counts from {until}",
                verified
                    .witnesses
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    Ok(Bound {
        log: cp.origin().to_string(),
        index: proof.index,
        since,
        witnesses: verified.witnesses,
        cool_down,
        checkpoint: String::from_utf8_lossy(&cp.to_bytes()).into_owned(),
    })
}

/// The binding entry a client expects for `origin` → `release_key` with the log policy whose
/// text is `policy_text` (version 2: the policy's SHA-256 in it), and that SHA-256 (hex).
fn expected_binding(
    origin: &str,
    release_key: &str,
    policy_text: &str,
) -> Result<(crate::binding::Binding, String), Refusal> {
    let sha = crate::hex(&crate::sha256(policy_text.as_bytes()));
    let binding = crate::binding::Binding::new(origin, release_key)
        .and_then(|b| b.with_policy(&sha))
        .map_err(|e| Refusal::NotBound(e.to_string()))?;
    Ok((binding, sha))
}

/// The policy a client checks the site's log against when only its own witnesses may count:
/// the site's logs (which key signs checkpoints), the client's witnesses and quorum.
fn guard_view(site: &Policy, witnesses: &Policy) -> Result<Policy, Refusal> {
    if witnesses.quorum_met(&BTreeSet::new()) || witnesses.witnesses.is_empty() {
        return Err(Refusal::NotBound(
            "the guard ships no witness quorum: no binding can be proven".into(),
        ));
    }
    if !quorums_intersect(witnesses) {
        return Err(Refusal::NotBound(format!(
            "the guard's witness list lets two quorums share no witness (or names more than {MAX_GUARD_WITNESSES} witnesses): a quorum that never saw the log's newest tree could vouch for an old one"
        )));
    }
    let mut combined = witnesses.clone();
    combined.logs = site.logs.clone();
    combined.rebuilders.clear();
    combined.rebuild_quorum = 0;
    Ok(combined)
}

/// The most witnesses a client's own list may name: [`quorums_intersect`] tries every subset.
pub const MAX_GUARD_WITNESSES: usize = 16;

/// Whether every two quorums of `policy` share a witness: no set of witnesses is a quorum
/// while the witnesses outside it are one too. A recent view proves the tree is the log's
/// newest only then — each witness cosigns no tree smaller than one it cosigned, but a quorum
/// of witnesses the log never fed could cosign an old tree afresh. False for a list of more
/// than [`MAX_GUARD_WITNESSES`].
pub fn quorums_intersect(policy: &Policy) -> bool {
    let n = policy.witnesses.len();
    if n > MAX_GUARD_WITNESSES {
        return false;
    }
    let set = |mask: u32| -> BTreeSet<usize> { (0..n).filter(|i| mask & (1 << i) != 0).collect() };
    let all = (1u32 << n) - 1;
    (0..=all).all(|mask| !(policy.quorum_met(&set(mask)) && policy.quorum_met(&set(all & !mask))))
}

/// How far in the future a cosignature may be dated and still count as recent (a witness's
/// clock a little ahead of the user's); later than that is refused, not taken as age 0.
pub const MAX_CLOCK_SKEW_SECS: u64 = 600;

/// A tree of the site's log that the client's own witnesses vouch for, and how recently.
#[derive(Debug, Clone, serde::Serialize)]
pub struct View {
    /// The log (its origin line).
    pub log: String,
    /// The tree's size.
    pub size: u64,
    /// The time by which a quorum of the client's witnesses had cosigned this tree most
    /// recently (the oldest of the newest cosignatures a quorum needs; Unix seconds).
    pub at: u64,
}

/// Whether `checkpoint` is a view of the site's log that a quorum of the client's witnesses
/// cosigned at most `max_age` seconds before `now`.
///
/// Witnesses cosign only a tree that extends the one they cosigned before, so a recent
/// cosignature means: every entry the log held by then is in this tree. A server cannot show
/// an old tree as the log of today for longer than `max_age` — which is what lets a client
/// ask whether a binding was replaced since ([`check_newest_binding`]). The log operator must
/// have its witnesses cosign again (the same size is cosigned again) more often than that.
pub fn fresh_view(
    site: &Policy,
    witnesses: &Policy,
    checkpoint: &[u8],
    now: u64,
    max_age: u64,
) -> Result<View, Refusal> {
    fresh_checkpoint(site, witnesses, checkpoint, now, max_age).map(|(view, _)| view)
}

/// [`fresh_view`], with the checkpoint it parsed and verified.
fn fresh_checkpoint(
    site: &Policy,
    witnesses: &Policy,
    checkpoint: &[u8],
    now: u64,
    max_age: u64,
) -> Result<(View, SignedCheckpoint), Refusal> {
    let nb = |m: String| Refusal::NotBound(m);
    let combined = guard_view(site, witnesses)?;
    let cp = SignedCheckpoint::parse(checkpoint)
        .map_err(|e| nb(format!("the log's checkpoint: {e}")))?;
    let verified = cp.verify(&combined).map_err(|e| {
        nb(format!(
            "the log's checkpoint is not signed by the site's log and cosigned by a quorum of the guard's own witnesses: {e}"
        ))
    })?;
    let at =
        crate::binding::quorum_time(&verified.witnesses, &combined, true).ok_or_else(|| {
            nb("no quorum of the guard's witnesses cosigned the log's checkpoint".into())
        })?;
    if at > now.saturating_add(MAX_CLOCK_SKEW_SECS) {
        return Err(nb(format!(
            "the log's checkpoint (tree size {}) was cosigned at {at} (Unix time), after the time now ({now}): this computer's clock is behind, or a witness's is ahead",
            cp.size()
        )));
    }
    let age = now.saturating_sub(at);
    if age > max_age {
        return Err(nb(format!(
            "the newest view of the log the site shows (tree size {}) was cosigned by a quorum of the guard's witnesses at {at} (Unix time), {age} s ago, more than the {max_age} s a view may be old: a server can hide from an old view what the log holds now",
            cp.size()
        )));
    }
    let view = View {
        log: cp.origin().to_string(),
        size: cp.size(),
        at,
    };
    Ok((view, cp))
}

/// Whether the binding [`check_binding`] proved (leaf `bound_index` of the log `bound_log`:
/// `origin` → `release_key` with the log policy `policy_text`) is still the newest binding of
/// the origin in a recent view of the log ([`fresh_view`] of `checkpoint`, read whole from its
/// entry `bundles`, [`entry_bundle_paths`]).
///
/// A binding stays valid in every old checkpoint, so without this a server still holding a key
/// the site replaced could replay that key's old binding to a client that never enrolled
/// (red-team finding). Any later binding of the origin to another key or another policy
/// supersedes it: `NOT_BOUND`, naming it.
#[allow(clippy::too_many_arguments)]
pub fn check_newest_binding(
    site: &Policy,
    witnesses: &Policy,
    checkpoint: &[u8],
    bundles: &HashMap<String, Vec<u8>>,
    bound_log: &str,
    bound_index: u64,
    origin: &str,
    release_key: &str,
    policy_text: &str,
    now: u64,
    max_age: u64,
) -> Result<View, Refusal> {
    let nb = |m: String| Refusal::NotBound(m);
    let (view, cp) = fresh_checkpoint(site, witnesses, checkpoint, now, max_age)?;
    if view.log != bound_log {
        return Err(nb(format!(
            "the log's recent checkpoint is of the log {:?}, not of {bound_log:?} which holds the binding",
            view.log
        )));
    }
    if bound_index >= view.size {
        return Err(nb(format!(
            "the binding at leaf {bound_index} is not in the log's recent tree of size {}",
            view.size
        )));
    }
    let (binding, _) = expected_binding(origin, release_key, policy_text)?;
    let entries = read_verified_entries(&MapSource(bundles), &cp).map_err(|e| {
        nb(format!(
            "the log's entries (tree size {}) could not be read: {e}",
            view.size
        ))
    })?;
    let at = |i: u64| entries.get(i as usize).map(Vec::as_slice);
    if at(bound_index) != Some(binding.to_bytes().as_slice()) {
        return Err(nb(format!(
            "leaf {bound_index} of the log's recent tree is not the binding of {origin} to {release_key}"
        )));
    }
    for j in bound_index + 1..view.size {
        let Some(e) = at(j).filter(|e| e.starts_with(crate::binding::FAMILY.as_bytes())) else {
            continue;
        };
        match crate::binding::Binding::from_bytes(e) {
            Ok(later) if later.origin != origin || later == binding => {}
            Ok(later) => {
                return Err(nb(format!(
                    "the site serves a superseded binding: leaf {j}, newer than the binding at leaf {bound_index}, binds {origin} to {} (log policy sha256 {})",
                    later.release_key,
                    later.log_policy_sha256.as_deref().unwrap_or("none named")
                )));
            }
            // A binding this client cannot read (a later format) supersedes unless it plainly
            // names another origin on its second line: fail closed.
            Err(_) => {
                let named = std::str::from_utf8(e)
                    .ok()
                    .and_then(|t| t.split('\n').nth(1))
                    .and_then(|l| l.strip_prefix("origin "));
                if named.is_none_or(|o| o == origin) {
                    return Err(nb(format!(
                        "leaf {j}, newer than the binding at leaf {bound_index}, is a binding this guard cannot read{}: it may supersede it",
                        if named.is_some() { format!(" for {origin}") } else { String::new() }
                    )));
                }
            }
        }
    }
    Ok(view)
}

/// At most this many entry bundles are fetched to count releases (`MAX_COUNTED_BUNDLES` full
/// bundles of 256 entries): the size comes from the server, and each bundle is a fetch.
pub const MAX_COUNTED_BUNDLES: u64 = 64;

/// The entry bundle paths of a tree of `size` leaves, in order. An error (never a panic or a
/// huge allocation) for a tree of more than [`MAX_COUNTED_BUNDLES`] bundles.
pub fn entry_bundle_paths(size: u64) -> crate::Result<Vec<String>> {
    if size > MAX_TREE_SIZE {
        return Err(Error::malformed(format!("tree size {size} is too large")));
    }
    let full = u64::from(FULL_WIDTH);
    let bundles = size.div_ceil(full);
    if bundles > MAX_COUNTED_BUNDLES {
        return Err(Error::malformed(format!(
            "the log's {size} entries are {bundles} bundles, more than the {MAX_COUNTED_BUNDLES} fetched to count releases"
        )));
    }
    Ok((0..size.div_ceil(full))
        .map(|n| {
            let w = (size - n * full).min(full) as u32;
            path(&Tile::new(HEIGHT, 0, n, w, true))
        })
        .collect())
}

struct MapSource<'a>(&'a HashMap<String, Vec<u8>>);

impl TileSource for MapSource<'_> {
    fn fetch(&self, p: &str) -> crate::Result<Vec<u8>> {
        self.0
            .get(p)
            .cloned()
            .ok_or_else(|| Error::io(format!("{p}: not fetched")))
    }
}

/// An app's releases in the log.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Releases {
    /// How many entries of the log are releases of the app.
    pub count: u64,
    /// The log's size.
    pub size: u64,
    /// The earliest `released` time among them (Unix seconds), if any says.
    pub since: Option<u64>,
    /// Versions logged with more than one manifest.
    pub conflicts: Vec<String>,
}

/// Counts `app`'s releases in the log behind `checkpoint` (a signed note verified by the
/// caller), from its entry bundles ([`entry_bundle_paths`]), which must hash to its root.
pub fn count_releases(
    checkpoint: &[u8],
    bundles: &HashMap<String, Vec<u8>>,
    app: &str,
) -> crate::Result<Releases> {
    let cp = SignedCheckpoint::parse(checkpoint)?;
    let raw = read_verified_entries(&MapSource(bundles), &cp)?;
    let mut mine = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        if let Ok(e) = Entry::from_bytes(e) {
            if e.app == app {
                mine.push((i as u64, e));
            }
        }
    }
    Ok(Releases {
        count: mine.len() as u64,
        size: cp.size(),
        since: mine.iter().filter_map(|(_, e)| e.released).min(),
        conflicts: crate::logdir::conflicts(&mine)
            .into_iter()
            .map(|c| c.version)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::keys::{SecretKey, ALG_COSIGNATURE_V1, ALG_ED25519};
    use crate::logdir::LogDir;
    use crate::tiles::DirSource;

    struct Setup {
        log: SecretKey,
        w: [SecretKey; 2],
        policy: Policy,
    }

    fn setup() -> Setup {
        let log = SecretKey::from_seed("example.com/log", ALG_ED25519, [1; 32]).unwrap();
        let w = [
            SecretKey::from_seed("w1.example", ALG_COSIGNATURE_V1, [2; 32]).unwrap(),
            SecretKey::from_seed("w2.example", ALG_COSIGNATURE_V1, [3; 32]).unwrap(),
        ];
        let policy = Policy::parse(&format!(
            "log {}\nwitness a {}\nwitness b {}\ngroup both all a b\nquorum both\n",
            log.vkey().encode(),
            w[0].vkey().encode(),
            w[1].vkey().encode()
        ))
        .unwrap();
        Setup { log, w, policy }
    }

    fn entry(v: u64, sha: u8) -> Vec<u8> {
        Entry::new(
            "demo",
            &format!("0.1.{v}"),
            &format!("{sha:02x}").repeat(32),
            &"AB".repeat(20),
            None,
            Some(1_700_000_000 + v),
        )
        .unwrap()
        .to_bytes()
    }

    /// A log in a temp dir with these entries, its checkpoint cosigned by `cosigners`.
    fn log_of(s: &Setup, entries: &[Vec<u8>], cosigners: &[usize]) -> (tempfile::TempDir, LogDir) {
        let d = tempfile::tempdir().unwrap();
        let mut l = LogDir::open(d.path(), None).unwrap();
        l.append_raw(entries, &s.log).unwrap();
        let mut cp = SignedCheckpoint::parse(&l.checkpoint().unwrap().to_bytes()).unwrap();
        let sigs: Vec<_> = cosigners
            .iter()
            .map(|&i| s.w[i].cosign(&cp.text, 10).unwrap())
            .collect();
        cp.add_signatures(&sigs);
        l.set_checkpoint(cp, &s.log.vkey()).unwrap();
        (d, l)
    }

    fn all_tiles(dir: &std::path::Path) -> HashMap<String, Vec<u8>> {
        let mut m = HashMap::new();
        fn walk(base: &std::path::Path, d: &std::path::Path, m: &mut HashMap<String, Vec<u8>>) {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(base, &p, m);
                } else {
                    let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                    m.insert(rel, std::fs::read(&p).unwrap());
                }
            }
        }
        walk(dir, dir, &mut m);
        m
    }

    #[test]
    fn rebuild_attestations_count_only_from_the_policy_in_the_log_for_this_manifest() {
        use crate::attest::Statement;
        let s = setup();
        let r: Vec<SecretKey> = (0..3)
            .map(|i| {
                SecretKey::from_seed(&format!("r{i}.example/rebuild"), ALG_ED25519, [40 + i; 32])
                    .unwrap()
            })
            .collect();
        let text = format!(
            "log {}\nwitness a {}\nwitness b {}\ngroup both all a b\nquorum both\nrebuilder ci {}\nrebuilder audit {}\nrebuild-quorum 2\n",
            s.log.vkey().encode(),
            s.w[0].vkey().encode(),
            s.w[1].vkey().encode(),
            r[0].vkey().encode(),
            r[1].vkey().encode()
        );
        let policy = Policy::parse(&text).unwrap();
        let release = entry(1, 0x11);
        let sha = "11".repeat(32);
        let commit = "ab".repeat(20);
        let att_of = |k: &SecretKey, sha: &str, commit: Option<&str>| {
            Statement::new("demo", "0.1.1", sha, commit, "rustc 1.95.0")
                .unwrap()
                .sign(k)
                .unwrap()
        };
        let att = |k: &SecretKey, sha: &str| att_of(k, sha, Some(&commit));
        // Leaves: the release, ci's and audit's attestations, one by a key outside the policy
        // (r2), one by ci for another manifest.
        let entries = vec![
            release.clone(),
            att(&r[0], &sha),
            att(&r[1], &sha),
            att(&r[2], &sha),
            att(&r[0], &"22".repeat(32)),
            att_of(&r[1], &sha, None),
        ];
        let (_d, l) = log_of(&s, &entries, &[0, 1]);
        let proof = |i: u64| {
            let mut p = l.prove(i).unwrap();
            p.extra = Some(entries[i as usize].clone());
            p.to_bytes()
        };
        let rp = l.prove(0).unwrap().to_bytes();
        assert!(matches!(
            check_release(&policy, &rp, &release, None, &HashMap::new()),
            Ok(Outcome::Logged(_))
        ));
        let check = |proofs: &[Vec<u8>]| check_rebuilt(&policy, &rp, "demo", "0.1.1", &sha, proofs);
        let ok = check(&[proof(1), proof(2)]).unwrap();
        assert_eq!(ok.rebuilders, ["ci", "audit"]);
        assert!(ok.missing.is_empty() && ok.ignored.is_empty());
        // One genuine, plus the outsider's, ci's other manifest, and ci twice: not a quorum.
        let e = check(&[proof(1), proof(3), proof(4), proof(1)]).unwrap_err();
        assert_eq!(e.code(), "NOT_REBUILT");
        let m = e.message();
        assert!(
            m.contains("1 of the 2") && m.contains("missing: audit"),
            "{m}"
        );
        assert!(m.contains("a key the pinned policy does not name"), "{m}");
        assert!(m.contains(&format!("manifest {}", "22".repeat(32))), "{m}");
        assert!(m.contains("a second one by ci"), "{m}");
        // An attestation not in the log: audit's statement carried by ci's leaf proof.
        let mut fake = l.prove(1).unwrap();
        fake.extra = Some(entries[2].clone());
        let e = check(&[proof(1), fake.to_bytes()]).unwrap_err();
        assert!(e.message().contains("not in the log"), "{e}");
        // Audit's attestation made and signed but never logged (a proof of another leaf).
        let unlogged = att(&r[1], &sha);
        let mut p = l.prove(3).unwrap();
        p.extra = Some(unlogged);
        assert!(check(&[proof(1), p.to_bytes()]).is_err());
        // Under another checkpoint (a log of its own with the attestation, same log key).
        let (_d2, l2) = log_of(&s, &[entries[2].clone()], &[0, 1]);
        let mut other = l2.prove(0).unwrap();
        other.extra = Some(entries[2].clone());
        let e = check(&[proof(1), other.to_bytes()]).unwrap_err();
        assert!(e.message().contains("another checkpoint"), "{e}");
        // Audit's attestation of a rebuild from no named commit (a working tree): not counted.
        let e = check(&[proof(1), proof(5)]).unwrap_err();
        assert!(e.message().contains("no named commit"), "{e}");
        // No attestations at all, and garbage.
        let e = check(&[b"junk".to_vec()]).unwrap_err();
        assert!(
            e.message().contains("0 of the 2") && e.message().contains("missing: ci, audit"),
            "{e}"
        );
        // A policy without rebuilders asks for none.
        assert!(check_rebuilt(&s.policy, &rp, "demo", "0.1.1", &sha, &[]).is_ok());
    }

    #[test]
    fn entry_bundle_paths_are_bounded() {
        // 2^40 leaves would be 2^32 paths (a capacity overflow on wasm32): an error instead.
        for size in [1u64 << 40, MAX_TREE_SIZE, u64::MAX, 64 * 256 + 1] {
            let e = entry_bundle_paths(size).unwrap_err();
            assert!(
                e.to_string().contains("bundles") || e.to_string().contains("too large"),
                "{e}"
            );
        }
        assert_eq!(entry_bundle_paths(64 * 256).unwrap().len(), 64);
        assert_eq!(entry_bundle_paths(0).unwrap().len(), 0);
    }

    #[test]
    fn a_policy_met_with_no_witness_is_refused() {
        let s = setup();
        let (_d, l) = log_of(&s, &[entry(0, 1)], &[]);
        for q in ["quorum none\n", "group nobody all\nquorum nobody\n"] {
            let text = format!(
                "log {}\nwitness a {}\nwitness b {}\n{q}",
                s.log.vkey().encode(),
                s.w[0].vkey().encode(),
                s.w[1].vkey().encode()
            );
            let Ok(policy) = Policy::parse(&text) else {
                continue; // not a policy at all (an empty group may be refused by the parser)
            };
            let none = Setup { policy, ..setup() };
            let r = run(&none, &l, 0, &entry(0, 1), None, None).unwrap_err();
            assert_eq!(r.code(), "NOT_LOGGED", "{q}: {r}");
            assert!(r.message().contains("needs no witness"), "{r}");
        }
    }

    #[test]
    fn a_held_checkpoint_of_another_key_under_the_same_name_is_ignored() {
        let s = setup();
        let e: Vec<_> = (0..3).map(|i| entry(i, i as u8)).collect();
        let (_d, l) = log_of(&s, &e, &[0, 1]);
        // Another "log" of the same name but its own key, size 3, another root, cosigned by
        // witnesses of its own policy: held (a preview of another site stored it).
        let other = Setup {
            log: SecretKey::from_seed("example.com/log", ALG_ED25519, [9; 32]).unwrap(),
            ..setup()
        };
        let (_d2, l2) = log_of(&other, &[entry(0, 7), entry(1, 8), entry(2, 9)], &[0, 1]);
        let foreign = l2.checkpoint().unwrap().to_bytes();
        let r = run(&s, &l, 1, &e[1], Some(&foreign), None).unwrap();
        assert!(
            r.advanced,
            "the foreign note is ignored, the served checkpoint is the newest"
        );
        // A held note of the pinned key with another root of that size is still a split view.
        let (_d3, l3) = log_of(&s, &[entry(0, 7), entry(1, 8), entry(2, 9)], &[0, 1]);
        let fork = l3.checkpoint().unwrap().to_bytes();
        let r = run(&s, &l, 1, &e[1], Some(&fork), None).unwrap_err();
        assert_eq!(r.code(), "SPLIT_VIEW", "{r}");
    }

    fn run(
        s: &Setup,
        l: &LogDir,
        index: u64,
        e: &[u8],
        stored: Option<&[u8]>,
        tiles_from: Option<&std::path::Path>,
    ) -> Result<Logged, Refusal> {
        let proof = l.prove(index).unwrap().to_bytes();
        let first = check_release(&s.policy, &proof, e, stored, &HashMap::new())?;
        match first {
            Outcome::Logged(x) => Ok(x),
            Outcome::NeedTiles(paths) => {
                let all = all_tiles(tiles_from.unwrap_or(l.dir()));
                let got: HashMap<String, Vec<u8>> = paths
                    .iter()
                    .map(|p| (p.clone(), all.get(p).cloned().unwrap_or_default()))
                    .collect();
                match check_release(&s.policy, &proof, e, stored, &got)? {
                    Outcome::Logged(x) => Ok(x),
                    Outcome::NeedTiles(p) => panic!("asked twice: {p:?}"),
                }
            }
        }
    }

    #[test]
    fn a_logged_release_passes_and_the_checkpoint_advances_consistently() {
        let s = setup();
        let entries: Vec<Vec<u8>> = (0..300).map(|i| entry(i, (i % 250) as u8)).collect();
        let (_d1, l1) = log_of(&s, &entries[..3], &[0, 1]);
        let first = run(&s, &l1, 2, &entries[2], None, None).unwrap();
        assert!(first.advanced);
        assert_eq!((first.index, first.checkpoint_size), (2, 3));
        // The same log grown to 300 (two level-0 tiles): consistency from 3 is proven from tiles.
        let (_d2, l2) = log_of(&s, &entries, &[0, 1]);
        let grown = run(
            &s,
            &l2,
            299,
            &entries[299],
            Some(first.checkpoint.as_bytes()),
            None,
        )
        .unwrap();
        assert!(grown.advanced);
        assert_eq!(grown.checkpoint_size, 300);
        // An older proof (size 3) against the held 300: fine, the held one stays.
        let old = run(
            &s,
            &l1,
            1,
            &entries[1],
            Some(grown.checkpoint.as_bytes()),
            Some(l2.dir()),
        )
        .unwrap();
        assert!(!old.advanced);
        assert_eq!(old.checkpoint_size, 300);
        // The same checkpoint again.
        let same = run(
            &s,
            &l2,
            5,
            &entries[5],
            Some(grown.checkpoint.as_bytes()),
            None,
        )
        .unwrap();
        assert!(!same.advanced);
    }

    #[test]
    fn not_logged_cases() {
        let s = setup();
        let entries: Vec<Vec<u8>> = (0..4).map(|i| entry(i, i as u8)).collect();
        let (_d, l) = log_of(&s, &entries, &[0, 1]);
        let code = |r: Result<Logged, Refusal>| r.unwrap_err().code();
        // Another entry than the one proven (a release not in the log).
        assert_eq!(code(run(&s, &l, 3, &entry(9, 9), None, None)), "NOT_LOGGED");
        // Only one of the two witnesses: no quorum.
        let (_d1, l1) = log_of(&s, &entries, &[0]);
        let r = run(&s, &l1, 3, &entries[3], None, None).unwrap_err();
        assert_eq!(r.code(), "NOT_LOGGED");
        assert!(r.message().contains("not a quorum"), "{r}");
        // A checkpoint by another log key.
        let other = Setup {
            log: SecretKey::from_seed("example.com/log", ALG_ED25519, [7; 32]).unwrap(),
            ..setup()
        };
        let (_d2, l2) = log_of(&other, &entries, &[0, 1]);
        assert_eq!(code(run(&s, &l2, 3, &entries[3], None, None)), "NOT_LOGGED");
        // Garbage proofs.
        for bad in [
            &b""[..],
            b"c2sp.org/tlog-proof@v1\nindex 0\n\nx\n",
            &[0xff; 70],
        ] {
            let r = check_release(&s.policy, bad, &entries[0], None, &HashMap::new());
            assert_eq!(r.unwrap_err().code(), "NOT_LOGGED");
        }
    }

    #[test]
    fn split_views() {
        let s = setup();
        let entries: Vec<Vec<u8>> = (0..6).map(|i| entry(i, i as u8)).collect();
        let (_d, genuine) = log_of(&s, &entries[..4], &[0, 1]);
        let held = run(&s, &genuine, 3, &entries[3], None, None).unwrap();
        // A fork of the same size, signed by the log (the witnesses would refuse it).
        let mut forked = entries[..3].to_vec();
        forked.push(entry(3, 0xee));
        let (_d1, fork) = log_of(&s, &forked, &[]);
        let r = run(
            &s,
            &fork,
            3,
            &forked[3],
            Some(held.checkpoint.as_bytes()),
            None,
        )
        .unwrap_err();
        assert_eq!(r.code(), "SPLIT_VIEW", "{r}");
        // Even cosigned by both (witnesses who signed two forks), it is a split view.
        let (_d2, fork2) = log_of(&s, &forked, &[0, 1]);
        let r = run(
            &s,
            &fork2,
            3,
            &forked[3],
            Some(held.checkpoint.as_bytes()),
            None,
        )
        .unwrap_err();
        assert_eq!(r.code(), "SPLIT_VIEW");
        // A larger fork (not extending the held tree): the consistency proof fails.
        let mut bigger = forked.clone();
        bigger.push(entries[4].clone());
        let (_d3, fork3) = log_of(&s, &bigger, &[0, 1]);
        let r = run(
            &s,
            &fork3,
            4,
            &bigger[4],
            Some(held.checkpoint.as_bytes()),
            None,
        )
        .unwrap_err();
        assert_eq!(r.code(), "SPLIT_VIEW", "{r}");
        // Tiles from another tree are refused, not trusted.
        let (_d4, grown) = log_of(&s, &entries, &[0, 1]);
        let proof = grown.prove(5).unwrap().to_bytes();
        let Outcome::NeedTiles(paths) = check_release(
            &s.policy,
            &proof,
            &entries[5],
            Some(held.checkpoint.as_bytes()),
            &HashMap::new(),
        )
        .unwrap() else {
            panic!("tiles expected")
        };
        let wrong = all_tiles(fork3.dir());
        let got: HashMap<String, Vec<u8>> = paths
            .iter()
            .map(|p| {
                (
                    p.clone(),
                    wrong.get(p).cloned().unwrap_or_else(|| vec![0; 32]),
                )
            })
            .collect();
        let r = check_release(
            &s.policy,
            &proof,
            &entries[5],
            Some(held.checkpoint.as_bytes()),
            &got,
        )
        .unwrap_err();
        assert_eq!(r.code(), "SPLIT_VIEW", "{r}");
    }

    #[test]
    fn a_binding_the_site_replaced_since_is_superseded_in_a_recent_view() {
        use crate::binding::Binding;
        let s = setup();
        let guard = Policy::parse(&format!(
            "witness a {}\nwitness b {}\ngroup both all a b\nquorum both\n",
            s.w[0].vkey().encode(),
            s.w[1].vkey().encode()
        ))
        .unwrap();
        let site_text = format!("log {}\nquorum none\n", s.log.vkey().encode());
        let site = Policy::parse(&site_text).unwrap();
        let sha = crate::hex(&crate::sha256(site_text.as_bytes()));
        let bind = |origin: &str, key: &str| {
            Binding::new(origin, key)
                .unwrap()
                .with_policy(&sha)
                .unwrap()
                .to_bytes()
        };
        let (k1, k2) = ("AB".repeat(20), "CD".repeat(20));
        let mail = "https://mail.example";
        let day = 86_400;
        let d = tempfile::tempdir().unwrap();
        let mut l = LogDir::open(d.path(), None).unwrap();
        // The view of a tree, cosigned by the guard's witnesses at these times, with its bundles.
        let view = |l: &LogDir, times: [u64; 2]| {
            let mut cp = SignedCheckpoint::parse(&l.checkpoint().unwrap().to_bytes()).unwrap();
            let text = cp.text.clone();
            cp.add_signatures(&[
                s.w[0].cosign(&text, times[0]).unwrap(),
                s.w[1].cosign(&text, times[1]).unwrap(),
            ]);
            let src = DirSource(d.path().to_path_buf());
            let bundles: HashMap<String, Vec<u8>> = entry_bundle_paths(l.size())
                .unwrap()
                .into_iter()
                .map(|p| {
                    let b = src.fetch(&p).unwrap();
                    (p, b)
                })
                .collect();
            (cp.to_bytes(), bundles)
        };
        l.append_raw(&[entry(1, 1), bind(mail, &k1), entry(2, 2)], &s.log)
            .unwrap();
        let log = l.checkpoint().unwrap().origin().to_string();
        let check = |cp: &[u8], bundles: &HashMap<String, Vec<u8>>, index, key: &str, now| {
            check_newest_binding(
                &site, &guard, cp, bundles, &log, index, mail, key, &site_text, now, day,
            )
        };
        let (old, old_bundles) = view(&l, [2_000, 3_000]);
        // The newest binding of the origin in a view a day old at most: bound.
        let v = check(&old, &old_bundles, 1, &k1, 3_000 + 100).unwrap();
        assert_eq!(
            (v.size, v.at),
            (3, 2_000),
            "at: the oldest cosignature a quorum needs"
        );
        // The site moves to k2; another origin's binding to k2 is no change of mail.example's.
        l.append_raw(
            &[
                bind("https://other.example", &k2),
                bind(mail, &k2),
                entry(3, 3),
            ],
            &s.log,
        )
        .unwrap();
        let now = 10 * day;
        let (new, new_bundles) = view(&l, [now - 60, now - 30]);
        let e = check(&new, &new_bundles, 1, &k1, now).unwrap_err();
        assert_eq!(e.code(), "NOT_BOUND", "{e}");
        assert!(
            e.message().contains("superseded binding: leaf 4")
                && e.message().contains(&k2)
                && e.message().contains(&sha),
            "{e}"
        );
        assert_eq!(check(&new, &new_bundles, 4, &k2, now).unwrap().size, 6);
        // The old tree, served as today's: its cosignatures are ten days old.
        let e = check(&old, &old_bundles, 1, &k1, now).unwrap_err();
        assert!(e.message().contains("more than the 86400 s"), "{e}");
        // A quorum needs both: one fresh cosignature and one old one is an old view.
        let mut mixed = SignedCheckpoint::parse(&old).unwrap();
        let text = mixed.text.clone();
        mixed.add_signatures(&[s.w[0].cosign(&text, now - 5).unwrap()]);
        let e = check(&mixed.to_bytes(), &old_bundles, 1, &k1, now).unwrap_err();
        assert!(e.message().contains("ago"), "{e}");
        // A view cosigned only by a witness the guard does not ship proves nothing.
        let x = SecretKey::from_seed("x.example", ALG_COSIGNATURE_V1, [9; 32]).unwrap();
        let mut foreign = SignedCheckpoint::parse(&l.checkpoint().unwrap().to_bytes()).unwrap();
        let text = foreign.text.clone();
        foreign.add_signatures(&[x.cosign(&text, now).unwrap()]);
        assert_eq!(
            check(&foreign.to_bytes(), &new_bundles, 4, &k2, now)
                .unwrap_err()
                .code(),
            "NOT_BOUND"
        );
        // Bundles of another tree, a leaf that is not the binding, a leaf past the tree, another
        // log's name, garbage: refused, never a panic.
        for (cp, bundles, index, key, bound_log) in [
            (&new, &old_bundles, 4, &k2, log.as_str()),
            (&new, &new_bundles, 0, &k2, log.as_str()),
            (&new, &new_bundles, 2, &k1, log.as_str()),
            (&new, &new_bundles, 6, &k2, log.as_str()),
            (&new, &new_bundles, 4, &k2, "another.example/log"),
            (&b"garbage".to_vec(), &new_bundles, 4, &k2, log.as_str()),
        ] {
            let e = check_newest_binding(
                &site, &guard, cp, bundles, bound_log, index, mail, key, &site_text, now, day,
            )
            .unwrap_err();
            assert_eq!(e.code(), "NOT_BOUND", "{index} {bound_log}: {e}");
        }
        // fresh_view alone: the time a quorum last cosigned, and its refusal when too old.
        let v = fresh_view(&site, &guard, &new, now, day).unwrap();
        assert_eq!((v.size, v.at), (6, now - 60));
        assert!(fresh_view(&site, &guard, &new, now + day, day).is_err());
        // Bundles at the right paths of another tree of the same size (the superseding binding
        // replaced by a release entry): they do not hash to the view's root.
        let d2 = tempfile::tempdir().unwrap();
        let mut l2 = LogDir::open(d2.path(), None).unwrap();
        l2.append_raw(
            &[
                entry(1, 1),
                bind(mail, &k1),
                entry(2, 2),
                bind("https://other.example", &k2),
                entry(4, 4),
                entry(3, 3),
            ],
            &s.log,
        )
        .unwrap();
        let src2 = DirSource(d2.path().to_path_buf());
        let forged: HashMap<String, Vec<u8>> = new_bundles
            .keys()
            .map(|p| (p.clone(), src2.fetch(p).unwrap()))
            .collect();
        let e = check(&new, &forged, 1, &k1, now).unwrap_err();
        assert!(e.message().contains("could not be read"), "{e}");
        // A cosignature dated after now, beyond the allowed skew, is refused (not taken as fresh).
        let (future, future_bundles) = view(&l, [now + 3_600, now + 3_600]);
        let e = check(&future, &future_bundles, 4, &k2, now).unwrap_err();
        assert!(e.message().contains("clock"), "{e}");
        let (soon, soon_bundles) = view(&l, [now + 60, now + 60]);
        assert_eq!(check(&soon, &soon_bundles, 4, &k2, now).unwrap().size, 6);
        // A binding in a format this client cannot read supersedes, unless it names another origin.
        l.append_raw(
            &[b"sealpost-binding/3\norigin https://other.example\nkey x\n".to_vec()],
            &s.log,
        )
        .unwrap();
        let (v7, b7) = view(&l, [now, now]);
        assert_eq!(check(&v7, &b7, 4, &k2, now).unwrap().size, 7);
        l.append_raw(
            &[b"sealpost-binding/3\norigin https://mail.example\nkey x\n".to_vec()],
            &s.log,
        )
        .unwrap();
        let (v8, b8) = view(&l, [now, now]);
        let e = check(&v8, &b8, 4, &k2, now).unwrap_err();
        assert!(e.message().contains("cannot read"), "{e}");
        // A guard list in which two quorums can share no witness proves nothing.
        let four: Vec<String> = (0..4u8)
            .map(|i| {
                SecretKey::from_seed(&format!("g{i}.example"), ALG_COSIGNATURE_V1, [40 + i; 32])
                    .unwrap()
                    .vkey()
                    .encode()
            })
            .collect();
        let list = |k: usize| {
            Policy::parse(&format!(
                "witness a {}\nwitness b {}\nwitness c {}\nwitness d {}\ngroup g {k} a b c d\nquorum g\n",
                four[0], four[1], four[2], four[3]
            ))
            .unwrap()
        };
        assert!(!quorums_intersect(&list(2)));
        assert!(quorums_intersect(&list(3)));
        assert!(quorums_intersect(&guard));
        let e = fresh_view(&site, &list(2), &new, now, day).unwrap_err();
        assert!(e.message().contains("share no witness"), "{e}");
    }

    #[test]
    fn counting_releases() {
        let s = setup();
        let mut entries: Vec<Vec<u8>> = (0..260).map(|i| entry(i, (i % 200) as u8)).collect();
        entries.push(entry(7, 0xfe)); // a second manifest for 0.1.7
        let (d, l) = log_of(&s, &entries, &[0, 1]);
        let cp = l.checkpoint().unwrap().to_bytes();
        let paths = entry_bundle_paths(l.size()).unwrap();
        assert_eq!(paths, ["tile/entries/000", "tile/entries/001.p/5"]);
        let src = DirSource(d.path().to_path_buf());
        let bundles: HashMap<String, Vec<u8>> = paths
            .iter()
            .map(|p| (p.clone(), src.fetch(p).unwrap()))
            .collect();
        let r = count_releases(&cp, &bundles, "demo").unwrap();
        assert_eq!((r.count, r.size, r.since), (261, 261, Some(1_700_000_000)));
        assert_eq!(r.conflicts, ["0.1.7"]);
        assert_eq!(count_releases(&cp, &bundles, "other").unwrap().count, 0);
        // A bundle that does not hash to the root is refused.
        let mut bad = bundles.clone();
        bad.insert(
            paths[1].clone(),
            entries[0..5]
                .iter()
                .flat_map(|e| {
                    let mut v = (e.len() as u16).to_be_bytes().to_vec();
                    v.extend_from_slice(e);
                    v
                })
                .collect(),
        );
        assert!(count_releases(&cp, &bad, "demo").is_err());
    }

    #[test]
    fn a_binding_counts_only_cosigned_by_the_guards_witnesses_for_this_key_and_policy_after_the_cool_down(
    ) {
        use crate::binding::Binding;
        let s = setup();
        // The guard's own witnesses: s.w (both). The site's policy names its own witness x.
        let guard = Policy::parse(&format!(
            "witness a {}\nwitness b {}\ngroup both all a b\nquorum both\n",
            s.w[0].vkey().encode(),
            s.w[1].vkey().encode()
        ))
        .unwrap();
        let x = SecretKey::from_seed("x.example", ALG_COSIGNATURE_V1, [9; 32]).unwrap();
        let site_text = format!(
            "log {}\nwitness x {}\nquorum x\n",
            s.log.vkey().encode(),
            x.vkey().encode()
        );
        let site = Policy::parse(&site_text).unwrap();
        let fpr = "AB".repeat(20);
        let sha = crate::hex(&crate::sha256(site_text.as_bytes()));
        let b = Binding::new("https://mail.example", &fpr)
            .unwrap()
            .with_policy(&sha)
            .unwrap();
        let d = tempfile::tempdir().unwrap();
        let mut l = LogDir::open(d.path(), None).unwrap();
        l.append_raw(&[entry(1, 1), b.to_bytes()], &s.log).unwrap();
        let mut p = l.prove(1).unwrap();
        let text = p.checkpoint.text.clone();
        let day = 86_400;
        let check = |p: &TlogProof, origin: &str, key: &str, policy: &str, now: u64| {
            check_binding(
                &site,
                &guard,
                &p.to_bytes(),
                origin,
                key,
                policy,
                now,
                7 * day,
            )
        };
        // Cosigned only by the witness the site names (backdated by a year): not bound.
        p.checkpoint
            .add_signatures(&[x.cosign(&text, 1_000).unwrap()]);
        let e = check(&p, "https://mail.example", &fpr, &site_text, 400 * day).unwrap_err();
        assert_eq!(e.code(), "NOT_BOUND", "{e}");
        // One of the guard's two: not a quorum.
        p.checkpoint
            .add_signatures(&[s.w[0].cosign(&text, 1_000).unwrap()]);
        assert_eq!(
            check(&p, "https://mail.example", &fpr, &site_text, 400 * day)
                .unwrap_err()
                .code(),
            "NOT_BOUND"
        );
        p.checkpoint
            .add_signatures(&[s.w[1].cosign(&text, 2_000).unwrap()]);
        // Both: bound since 2000; inside the cool-down it says until when.
        match check(&p, "https://mail.example", &fpr, &site_text, 2_000 + day) {
            Err(Refusal::BindingCoolingDown { until, message }) => {
                assert_eq!(until, 2_000 + 7 * day);
                assert!(message.contains("a, b"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let ok = check(
            &p,
            "https://mail.example",
            &fpr,
            &site_text,
            2_000 + 7 * day,
        )
        .unwrap();
        assert_eq!((ok.since, ok.index, ok.cool_down), (2_000, 1, 7 * day));
        assert_eq!(ok.witnesses.len(), 2);
        // Another origin, another key, another (weaker) policy, another leaf: not bound.
        let later = 2_000 + 30 * day;
        let other_policy = site_text.replace("quorum x", "quorum none");
        for (origin, key, policy) in [
            ("https://evil.example", fpr.as_str(), site_text.as_str()),
            (
                "https://mail.example",
                &"CD".repeat(20)[..],
                site_text.as_str(),
            ),
            ("https://mail.example", fpr.as_str(), other_policy.as_str()),
        ] {
            let e = check(&p, origin, key, policy, later).unwrap_err();
            assert_eq!(e.code(), "NOT_BOUND", "{origin} {key}: {e}");
        }
        let mut release = TlogProof::parse(&p.to_bytes()).unwrap();
        release.index = 0;
        release.proof = l.prove(0).unwrap().proof;
        assert_eq!(
            check(&release, "https://mail.example", &fpr, &site_text, later)
                .unwrap_err()
                .code(),
            "NOT_BOUND"
        );
        // A version 1 binding (no policy named) does not count.
        let v1 = Binding::new("https://mail.example", &fpr).unwrap();
        l.append_raw(&[v1.to_bytes()], &s.log).unwrap();
        let mut p1 = l.prove(2).unwrap();
        let t1 = p1.checkpoint.text.clone();
        p1.checkpoint.add_signatures(&[
            s.w[0].cosign(&t1, 1_000).unwrap(),
            s.w[1].cosign(&t1, 1_000).unwrap(),
        ]);
        assert_eq!(
            check(&p1, "https://mail.example", &fpr, &site_text, later)
                .unwrap_err()
                .code(),
            "NOT_BOUND"
        );
        // A checkpoint of another log (a key the site's policy does not name): not bound.
        let other_log = SecretKey::from_seed("example.com/log", ALG_ED25519, [7; 32]).unwrap();
        let d2 = tempfile::tempdir().unwrap();
        let mut l2 = LogDir::open(d2.path(), None).unwrap();
        l2.append_raw(&[b.to_bytes()], &other_log).unwrap();
        let mut p2 = l2.prove(0).unwrap();
        let t2 = p2.checkpoint.text.clone();
        p2.checkpoint.add_signatures(&[
            s.w[0].cosign(&t2, 1_000).unwrap(),
            s.w[1].cosign(&t2, 1_000).unwrap(),
        ]);
        assert_eq!(
            check(&p2, "https://mail.example", &fpr, &site_text, later)
                .unwrap_err()
                .code(),
            "NOT_BOUND"
        );
        // A guard that ships no witness quorum proves nothing; a malformed proof is a refusal.
        let none = Policy::parse("quorum none\n").unwrap();
        assert_eq!(
            check_binding(
                &site,
                &none,
                &p.to_bytes(),
                "https://mail.example",
                &fpr,
                &site_text,
                later,
                0
            )
            .unwrap_err()
            .code(),
            "NOT_BOUND"
        );
        assert_eq!(
            check(
                &TlogProof::parse(&p.to_bytes()).unwrap(),
                "https://mail.example",
                &fpr,
                &site_text,
                later
            )
            .unwrap()
            .since,
            2_000
        );
        assert_eq!(
            check_binding(
                &site,
                &guard,
                b"garbage",
                "https://mail.example",
                &fpr,
                &site_text,
                later,
                0
            )
            .unwrap_err()
            .code(),
            "NOT_BOUND"
        );
    }
}
