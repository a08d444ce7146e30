//! Inclusion and consistency proofs (RFC 6962 §2.1.1–2.1.2, by `tlog_tiles`), bounded so that
//! no input reaches `tlog_tiles`' internal assertions, and C2SP tlog-proof files.

use tlog_tiles::{
    check_record, check_tree, prove_record, prove_tree, record_hash, Hash, HashReader,
};

use crate::checkpoint::SignedCheckpoint;
use crate::tiles::{from_tlog, TileSource, Tiles};
use crate::{parse_decimal, parse_hash, Error, Result, MAX_TREE_SIZE};

/// No proof is longer: a tree of 2^40 leaves needs at most 40 (inclusion) or 41 (consistency)
/// hashes, and tlog-witness allows 63 lines.
pub const MAX_PROOF_HASHES: usize = 63;

fn check_size(size: u64) -> Result<()> {
    if size > MAX_TREE_SIZE {
        return Err(Error::malformed(format!(
            "tree size {size} is larger than {MAX_TREE_SIZE}"
        )));
    }
    Ok(())
}

fn check_len(proof: &[Hash]) -> Result<()> {
    if proof.len() > MAX_PROOF_HASHES {
        return Err(Error::malformed(format!(
            "a proof of {} hashes (at most {MAX_PROOF_HASHES})",
            proof.len()
        )));
    }
    Ok(())
}

/// The RFC 6962 leaf hash of an entry.
pub fn leaf_hash(entry: &[u8]) -> Hash {
    record_hash(entry)
}

/// The audit path for leaf `index` in the tree of `size` leaves.
pub fn inclusion<R: HashReader>(r: &R, size: u64, index: u64) -> Result<Vec<Hash>> {
    check_size(size)?;
    if index >= size {
        return Err(Error::invalid(format!(
            "index {index} is not in a tree of size {size}"
        )));
    }
    prove_record(size, index, r).map_err(from_tlog)
}

/// Verifies that `entry` is leaf `index` of the tree of `size` leaves with root `root`.
pub fn verify_inclusion(
    proof: &[Hash],
    size: u64,
    root: Hash,
    index: u64,
    entry: &[u8],
) -> Result<()> {
    check_size(size)?;
    check_len(proof)?;
    if index >= size {
        return Err(Error::invalid(format!(
            "index {index} is not in a tree of size {size}"
        )));
    }
    check_record(&proof.to_vec(), size, root, index, leaf_hash(entry)).map_err(|e| {
        from_tlog(e).context(format!(
            "inclusion of leaf {index} in the tree of size {size}"
        ))
    })
}

/// The consistency proof from the tree of `old` leaves to the tree of `new` leaves
/// (empty when `old` is 0 or equals `new`).
pub fn consistency<R: HashReader>(r: &R, new: u64, old: u64) -> Result<Vec<Hash>> {
    check_size(new)?;
    if old > new {
        return Err(Error::invalid(format!(
            "no consistency proof from size {old} to the smaller {new}"
        )));
    }
    if old == 0 {
        return Ok(Vec::new());
    }
    prove_tree(new, old, r).map_err(from_tlog)
}

/// Verifies that the tree (`new`, `new_root`) extends the tree (`old`, `old_root`).
pub fn verify_consistency(
    proof: &[Hash],
    old: u64,
    old_root: Hash,
    new: u64,
    new_root: Hash,
) -> Result<()> {
    check_size(new)?;
    check_len(proof)?;
    if old > new {
        return Err(Error::conflict(format!(
            "the tree shrank from {old} to {new} leaves (a rewind)"
        )));
    }
    if old == 0 {
        if !proof.is_empty() {
            return Err(Error::invalid("a proof from the empty tree must be empty"));
        }
        return Ok(());
    }
    check_tree(&proof.to_vec(), new, new_root, old, old_root).map_err(|e| {
        from_tlog(e).context(format!(
            "the tree of size {new} is not consistent with the tree of size {old}"
        ))
    })
}

/// The hashes of a tree served as tiles, each authenticated against the checkpoint's root.
pub fn tile_hashes<'a, S: TileSource>(
    tiles: &'a Tiles<S>,
    checkpoint: &SignedCheckpoint,
) -> Result<tlog_tiles::TileHashReader<'a>> {
    check_size(checkpoint.size())?;
    if checkpoint.size() == 0 {
        return Err(Error::invalid("the log is empty"));
    }
    Ok(tlog_tiles::TileHashReader::new(
        checkpoint.size(),
        checkpoint.root(),
        tiles,
    ))
}

/// Inclusion proof from tiles; errors carry the tile source's message when it failed.
pub fn inclusion_from_tiles<S: TileSource>(
    tiles: &Tiles<S>,
    checkpoint: &SignedCheckpoint,
    index: u64,
) -> Result<Vec<Hash>> {
    let r = tile_hashes(tiles, checkpoint)?;
    if index >= checkpoint.size() {
        return Err(Error::invalid(format!(
            "index {index} is not in a tree of size {}",
            checkpoint.size()
        )));
    }
    prove_record(checkpoint.size(), index, &r).map_err(|e| tiles.error(e))
}

/// Consistency proof from tiles, from `old` leaves to the checkpoint's tree.
pub fn consistency_from_tiles<S: TileSource>(
    tiles: &Tiles<S>,
    checkpoint: &SignedCheckpoint,
    old: u64,
) -> Result<Vec<Hash>> {
    if old == 0 {
        return Ok(Vec::new());
    }
    if old > checkpoint.size() {
        return Err(Error::conflict(format!(
            "the log's checkpoint has {} leaves, fewer than the {old} already seen (a rewind)",
            checkpoint.size()
        )));
    }
    let r = tile_hashes(tiles, checkpoint)?;
    prove_tree(checkpoint.size(), old, &r).map_err(|e| tiles.error(e))
}

/// A C2SP tlog-proof: `c2sp.org/tlog-proof@v1`, optional `extra`, `index`, the audit path,
/// a blank line, the signed checkpoint.
#[derive(Debug)]
pub struct TlogProof {
    pub extra: Option<Vec<u8>>,
    pub index: u64,
    pub proof: Vec<Hash>,
    pub checkpoint: SignedCheckpoint,
}

/// The first line of a tlog-proof.
pub const TLOG_PROOF_HEADER: &str = "c2sp.org/tlog-proof@v1";

impl TlogProof {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = format!("{TLOG_PROOF_HEADER}\n");
        if let Some(x) = &self.extra {
            s.push_str(&format!("extra {}\n", crate::b64(x)));
        }
        s.push_str(&format!("index {}\n", self.index));
        for h in &self.proof {
            s.push_str(&format!("{h}\n"));
        }
        s.push('\n');
        let mut out = s.into_bytes();
        out.extend_from_slice(&self.checkpoint.to_bytes());
        out
    }

    /// Parses a tlog-proof (the checkpoint is parsed, not verified).
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > crate::checkpoint::MAX_NOTE_SIZE + 8 * 1024 {
            return Err(Error::malformed("tlog-proof: too long"));
        }
        let sep = bytes
            .windows(2)
            .position(|w| w == b"\n\n")
            .ok_or_else(|| Error::malformed("tlog-proof: no blank line before the checkpoint"))?;
        let head = std::str::from_utf8(&bytes[..sep])
            .map_err(|_| Error::malformed("tlog-proof: not UTF-8"))?;
        let checkpoint =
            SignedCheckpoint::parse(&bytes[sep + 2..]).map_err(|e| e.context("tlog-proof"))?;
        let mut lines = head.split('\n');
        if lines.next() != Some(TLOG_PROOF_HEADER) {
            return Err(Error::malformed(format!(
                "tlog-proof: the first line must be {TLOG_PROOF_HEADER}"
            )));
        }
        let mut line = lines.next();
        let mut extra = None;
        if let Some(x) = line.and_then(|l| l.strip_prefix("extra ")) {
            extra = Some(
                crate::unb64(x)
                    .ok_or_else(|| Error::malformed("tlog-proof: extra is not base64"))?,
            );
            line = lines.next();
        }
        let index = line
            .and_then(|l| l.strip_prefix("index "))
            .ok_or_else(|| Error::malformed("tlog-proof: no index line"))?;
        let index = parse_decimal(index, "tlog-proof index")?;
        let mut proof = Vec::new();
        for l in lines {
            if proof.len() == MAX_PROOF_HASHES {
                return Err(Error::malformed(format!(
                    "tlog-proof: more than {MAX_PROOF_HASHES} proof hashes"
                )));
            }
            proof.push(parse_hash(l, "tlog-proof hash")?);
        }
        Ok(TlogProof {
            extra,
            index,
            proof,
            checkpoint,
        })
    }

    /// Verifies the inclusion of `entry` under the proof's checkpoint (whose signatures the caller
    /// verifies against its policy).
    pub fn verify_entry(&self, entry: &[u8]) -> Result<()> {
        verify_inclusion(
            &self.proof,
            self.checkpoint.size(),
            self.checkpoint.root(),
            self.index,
            entry,
        )
    }
}
