#![no_main]
//! tlog-tiles paths, and hash tiles served by a hostile server: proofs computed from tiles
//! (authenticated by tlog_tiles' TileHashReader against a checkpoint) must fail cleanly.
use libfuzzer_sys::fuzz_target;
use sealpost_tlog::checkpoint::SignedCheckpoint;
use sealpost_tlog::keys::{SecretKey, ALG_ED25519};
use sealpost_tlog::proof::{consistency_from_tiles, inclusion_from_tiles};
use sealpost_tlog::tiles::{from_path, path, TileSource, Tiles};
use sealpost_tlog::{Hash, MAX_TREE_SIZE};

/// Serves the fuzz input's slices as every tile.
struct Hostile<'a>(&'a [u8]);

impl TileSource for Hostile<'_> {
    fn fetch(&self, p: &str) -> sealpost_tlog::Result<Vec<u8>> {
        let n = p.len() % 7;
        Ok(self.0.get(n * 32..).unwrap_or_default().to_vec())
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(t) = from_path(s) {
            assert_eq!(path(&t), s, "a parsed tile path re-encodes to itself");
        }
    }
    if data.len() < 48 {
        return;
    }
    let (head, tiles) = data.split_at(48);
    let mut n = [0u8; 8];
    n.copy_from_slice(&head[..8]);
    let size = u64::from_be_bytes(n) % (MAX_TREE_SIZE + 1);
    let mut i = [0u8; 8];
    i.copy_from_slice(&head[8..16]);
    let index = u64::from_be_bytes(i) % size.max(1);
    let mut root = [0u8; 32];
    root.copy_from_slice(&head[16..48]);
    let Ok(key) = SecretKey::from_seed("example.com/log", ALG_ED25519, [1; 32]) else {
        return;
    };
    let Ok(cp) = SignedCheckpoint::sign(&key, size, Hash(root)) else {
        return;
    };
    let t = Tiles::new(Hostile(tiles));
    let _ = inclusion_from_tiles(&t, &cp, index);
    let _ = consistency_from_tiles(&t, &cp, index);
});
