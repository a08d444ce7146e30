//! A log kept in a directory, laid out exactly as C2SP tlog-tiles serves it, so that any
//! static file server, bucket or CDN can publish the directory as it is:
//!
//! ```text
//! checkpoint                 the latest signed (and cosigned) checkpoint
//! tile/<L>/<N>[.p/<W>]       hash tiles
//! tile/entries/<N>[.p/<W>]   entry bundles
//! ```
//!
//! Partial tiles are kept after their full tile appears, so every checkpoint ever published
//! stays provable. Tiles are immutable: rewriting one with other bytes is refused.
//! The operator side keeps every hash in memory (rebuilt from the entry bundles, checked
//! against the checkpoint): a release log holds one leaf per release.

use std::path::{Path, PathBuf};

use tlog_tiles::{stored_hashes, tree_hash, Hash, HashReader, Tile};

use crate::checkpoint::SignedCheckpoint;
use crate::entry::Entry;
use crate::keys::{SecretKey, VKey};
use crate::proof::{consistency, inclusion, TlogProof};
use crate::tiles::{
    data_tile, decode_bundle, encode_bundle, path, DirSource, TileSource, FULL_WIDTH, HEIGHT,
};
use crate::{Error, Result, MAX_TREE_SIZE};

/// Every stored hash of a tree, indexed by `tlog_tiles::stored_hash_index`.
#[derive(Default)]
pub struct Hashes(pub Vec<Hash>);

impl HashReader for Hashes {
    fn read_hashes(&self, indexes: &[u64]) -> std::result::Result<Vec<Hash>, tlog_tiles::Error> {
        indexes
            .iter()
            .map(|&i| {
                usize::try_from(i)
                    .ok()
                    .and_then(|i| self.0.get(i).copied())
                    .ok_or(tlog_tiles::Error::IndexesNotInTree)
            })
            .collect()
    }
}

impl Hashes {
    /// The stored hashes of a tree of these entries.
    pub fn of<E: AsRef<[u8]>>(entries: &[E]) -> Result<Self> {
        let mut h = Hashes::default();
        for (n, e) in entries.iter().enumerate() {
            h.push_at(n as u64, e.as_ref())?;
        }
        Ok(h)
    }

    /// Appends leaf `n` (the next one) given `n` leaves so far.
    fn push_at(&mut self, n: u64, entry: &[u8]) -> Result<()> {
        let new = stored_hashes(n, entry, self).map_err(crate::tiles::from_tlog)?;
        self.0.extend(new);
        Ok(())
    }

    /// The root of the first `size` leaves.
    pub fn root(&self, size: u64) -> Result<Hash> {
        tree_hash(size, self).map_err(crate::tiles::from_tlog)
    }
}

/// Reads (and decodes) the entries of a tree of `size` leaves from its entry bundles.
pub fn read_entries<S: TileSource>(src: &S, size: u64) -> Result<Vec<Vec<u8>>> {
    if size > MAX_TREE_SIZE {
        return Err(Error::malformed(format!("tree size {size} is too large")));
    }
    let mut out = Vec::new();
    let full = u64::from(FULL_WIDTH);
    for n in 0..size.div_ceil(full) {
        let w = (size - n * full).min(full) as u32;
        let t = Tile::new(HEIGHT, 0, n, w, true);
        let p = path(&t);
        let data = src.fetch(&p)?;
        out.extend(decode_bundle(&data, w as usize).map_err(|e| e.context(&p))?);
    }
    Ok(out)
}

/// Reads every entry of the log behind `checkpoint` and checks that they hash to its root:
/// what a monitor does (the entries are then exactly the log's, whoever served them).
pub fn read_verified_entries<S: TileSource>(
    src: &S,
    checkpoint: &SignedCheckpoint,
) -> Result<Vec<Vec<u8>>> {
    let entries = read_entries(src, checkpoint.size())?;
    let root = Hashes::of(&entries)?.root(checkpoint.size())?;
    if root != checkpoint.root() {
        return Err(Error::invalid(format!(
            "the {} entries served do not hash to the checkpoint's root (tampered or forked log)",
            entries.len()
        )));
    }
    Ok(entries)
}

/// A log directory, opened by its operator.
pub struct LogDir {
    dir: PathBuf,
    entries: Vec<Vec<u8>>,
    hashes: Hashes,
    checkpoint: Option<SignedCheckpoint>,
}

fn write_atomic(p: &Path, data: &[u8]) -> Result<()> {
    let io = |e: std::io::Error| Error::io(format!("{}: {e}", p.display()));
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut tmp = p.as_os_str().to_owned();
    tmp.push(".tmp");
    std::fs::write(&tmp, data).map_err(io)?;
    std::fs::rename(&tmp, p).map_err(io)
}

impl LogDir {
    /// Opens (or starts, if it has no checkpoint yet) the log in `dir`. With `log_key`, the
    /// checkpoint must verify under it. The entries must hash to the checkpoint's root.
    pub fn open(dir: &Path, log_key: Option<&VKey>) -> Result<Self> {
        let cp_path = dir.join("checkpoint");
        let mut log = LogDir {
            dir: dir.to_path_buf(),
            entries: Vec::new(),
            hashes: Hashes::default(),
            checkpoint: None,
        };
        if !cp_path.exists() {
            return Ok(log);
        }
        let src = DirSource(dir.to_path_buf());
        let cp = SignedCheckpoint::parse(&src.fetch("checkpoint")?)
            .map_err(|e| e.context(cp_path.display()))?;
        if let Some(k) = log_key {
            cp.verify_log(k).map_err(|e| e.context(cp_path.display()))?;
        }
        log.entries = read_verified_entries(&src, &cp).map_err(|e| e.context(dir.display()))?;
        log.hashes = Hashes::of(&log.entries)?;
        log.checkpoint = Some(cp);
        Ok(log)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
    pub fn size(&self) -> u64 {
        self.entries.len() as u64
    }
    pub fn entries(&self) -> &[Vec<u8>] {
        &self.entries
    }
    pub fn hashes(&self) -> &Hashes {
        &self.hashes
    }
    pub fn checkpoint(&self) -> Option<&SignedCheckpoint> {
        self.checkpoint.as_ref()
    }

    /// The index of an identical entry already in the log.
    pub fn find(&self, entry: &[u8]) -> Option<u64> {
        self.entries
            .iter()
            .position(|e| e == entry)
            .map(|i| i as u64)
    }

    /// Appends entries (an entry already logged is not logged twice: its index is returned),
    /// writes the new tiles and bundles, then a checkpoint signed by `key` (last, so a reader
    /// never sees a checkpoint whose tiles are missing). Returns the entries' indexes.
    pub fn append(&mut self, entries: &[Entry], key: &SecretKey) -> Result<Vec<u64>> {
        let raw: Vec<Vec<u8>> = entries.iter().map(Entry::to_bytes).collect();
        self.append_raw(&raw, key)
    }

    /// [`append`](Self::append) for raw leaves (tests of the tree maths use arbitrary bytes).
    pub fn append_raw(&mut self, entries: &[Vec<u8>], key: &SecretKey) -> Result<Vec<u64>> {
        if let Some(cp) = &self.checkpoint {
            if cp.origin() != key.name {
                return Err(Error::invalid(format!(
                    "the log's origin is {:?}, the key's name {:?}",
                    cp.origin(),
                    key.name
                )));
            }
        }
        let old = self.size();
        let mut indexes = Vec::new();
        for e in entries {
            if e.len() > usize::from(u16::MAX) {
                return Err(Error::malformed("an entry longer than 65535 bytes"));
            }
            if let Some(i) = self.find(e) {
                indexes.push(i);
                continue;
            }
            self.hashes.push_at(self.size(), e)?;
            self.entries.push(e.clone());
            indexes.push(self.size() - 1);
        }
        if self.size() > MAX_TREE_SIZE {
            return Err(Error::invalid("the log is full"));
        }
        self.publish(old, key)?;
        Ok(indexes)
    }

    fn publish(&mut self, old: u64, key: &SecretKey) -> Result<()> {
        let new = self.size();
        for t in Tile::new_tiles(HEIGHT, old, new) {
            let data = t.read_data(&self.hashes).map_err(crate::tiles::from_tlog)?;
            self.write_tile(&t, &data)?;
            if t.level() == 0 {
                let start = (t.level_index() * u64::from(FULL_WIDTH)) as usize;
                let end = start + t.width() as usize;
                let bundle = encode_bundle(&self.entries[start..end])?;
                self.write_tile(&data_tile(&t), &bundle)?;
            }
        }
        let root = self.hashes.root(new)?;
        let unchanged = self
            .checkpoint
            .as_ref()
            .is_some_and(|c| c.size() == new && c.root() == root);
        if !unchanged {
            let cp = SignedCheckpoint::sign(key, new, root)?;
            write_atomic(&self.dir.join("checkpoint"), &cp.to_bytes())?;
            self.checkpoint = Some(cp);
        }
        Ok(())
    }

    fn write_tile(&self, t: &Tile, data: &[u8]) -> Result<()> {
        let p = self.dir.join(path(t));
        if let Ok(existing) = std::fs::read(&p) {
            if existing == data {
                return Ok(());
            }
            return Err(Error::conflict(format!(
                "{} exists with other bytes: tiles are immutable",
                p.display()
            )));
        }
        write_atomic(&p, data)
    }

    /// Replaces the checkpoint by the same tree head with more signatures (cosignatures).
    pub fn set_checkpoint(&mut self, cp: SignedCheckpoint, log_key: &VKey) -> Result<()> {
        cp.verify_log(log_key)?;
        if cp.size() != self.size() || cp.root() != self.hashes.root(self.size())? {
            return Err(Error::invalid(
                "that checkpoint is not this log's current tree head",
            ));
        }
        write_atomic(&self.dir.join("checkpoint"), &cp.to_bytes())?;
        self.checkpoint = Some(cp);
        Ok(())
    }

    /// The tlog-proof of leaf `index` under the current checkpoint.
    pub fn prove(&self, index: u64) -> Result<TlogProof> {
        let cp = self
            .checkpoint
            .as_ref()
            .ok_or_else(|| Error::invalid("the log is empty"))?;
        let proof = inclusion(&self.hashes, cp.size(), index)?;
        Ok(TlogProof {
            extra: None,
            index,
            proof,
            checkpoint: SignedCheckpoint::parse(&cp.to_bytes())?,
        })
    }

    /// The consistency proof from the tree of `old` leaves to the current one.
    pub fn prove_consistency(&self, old: u64) -> Result<Vec<Hash>> {
        consistency(&self.hashes, self.size(), old)
    }
}

/// Two manifests logged for one app and version: a split view made visible.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Conflict {
    pub app: String,
    pub version: String,
    /// (leaf index, manifest SHA-256) of every entry for that version.
    pub entries: Vec<(u64, String)>,
}

/// Every app and version logged with more than one manifest.
pub fn conflicts(entries: &[(u64, Entry)]) -> Vec<Conflict> {
    let mut by: std::collections::BTreeMap<(&str, &str), Vec<(u64, String)>> = Default::default();
    for (i, e) in entries {
        by.entry((&e.app, &e.version))
            .or_default()
            .push((*i, e.manifest_sha256.clone()));
    }
    by.into_iter()
        .filter(|(_, v)| {
            let mut shas: Vec<&String> = v.iter().map(|(_, s)| s).collect();
            shas.sort();
            shas.dedup();
            shas.len() > 1
        })
        .map(|((app, version), entries)| Conflict {
            app: app.to_string(),
            version: version.to_string(),
            entries,
        })
        .collect()
}
