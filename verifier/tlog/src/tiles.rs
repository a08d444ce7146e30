//! C2SP tlog-tiles: tile paths, hash tiles and entry bundles.
//!
//! `tlog_tiles` 0.2.0 does the tile maths (which tiles a tree has, the hashes in them, and
//! authenticating fetched tiles against a checkpoint's root: `TileHashReader`), but names tiles
//! the Go checksum database's way, `tile/<H>/<L>/<N>` and `tile/<H>/data/<N>`. tlog-tiles fixes
//! the height at 8 and drops it from the path, and calls data tiles `entries`:
//! `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`. [`path`] and [`from_path`] translate.
//! An entry bundle is the entries of one level-0 tile, each prefixed by its big-endian `u16`
//! length.

use std::cell::RefCell;
use std::collections::HashMap;

use tlog_tiles::{Tile, TileReader, HASH_SIZE};

use crate::{Error, Result};

/// tlog-tiles' fixed tile height: full tiles hold 256 hashes.
pub const HEIGHT: u8 = 8;
/// Hashes (or entries) in a full tile.
pub const FULL_WIDTH: u32 = 1 << HEIGHT;
/// The largest file a tile source may return (a full bundle of maximal entries is ~263 KiB).
pub const MAX_TILE_FILE: usize = 1 << 20;

/// The C2SP path of a hash tile or (for a data tile) entry bundle.
pub fn path(tile: &Tile) -> String {
    tile.path()
        .replacen("tile/8/data/", "tile/entries/", 1)
        .replacen("tile/8/", "tile/", 1)
}

/// Parses a C2SP tile path (hash tile or entry bundle).
pub fn from_path(p: &str) -> Result<Tile> {
    let bad = |why: &str| Error::malformed(format!("tile path {p:?}: {why}"));
    if p.len() > 64 {
        return Err(bad("too long"));
    }
    let rest = p
        .strip_prefix("tile/")
        .ok_or_else(|| bad("not under tile/"))?;
    let (level, rest) = rest.split_once('/').ok_or_else(|| bad("no index"))?;
    // tlog_tiles asserts (panics) on a level above 63 or a width of 0: check those first.
    if level != "entries" {
        let l = crate::parse_decimal(level, "level").map_err(|_| bad("bad level"))?;
        if l > 63 {
            return Err(bad("level above 63"));
        }
    }
    if let Some((_, w)) = rest.split_once(".p/") {
        let w = crate::parse_decimal(w, "width").map_err(|_| bad("bad partial width"))?;
        if !(1..u64::from(FULL_WIDTH)).contains(&w) {
            return Err(bad("a partial tile's width is 1 to 255"));
        }
    }
    let go = if level == "entries" {
        format!("tile/8/data/{rest}")
    } else {
        format!("tile/8/{level}/{rest}")
    };
    let t = Tile::from_path(&go).map_err(|_| bad("not a tile coordinate path"))?;
    if path(&t) != p {
        return Err(bad("not in canonical form"));
    }
    Ok(t)
}

/// The tile of the same coordinates holding entries instead of hashes.
pub fn data_tile(tile: &Tile) -> Tile {
    let mut t = *tile;
    t.set_is_data();
    t
}

/// Encodes an entry bundle.
pub fn encode_bundle<E: AsRef<[u8]>>(entries: &[E]) -> Result<Vec<u8>> {
    if entries.len() > FULL_WIDTH as usize {
        return Err(Error::malformed("entry bundle: more than 256 entries"));
    }
    let mut out = Vec::new();
    for e in entries {
        let e = e.as_ref();
        let len = u16::try_from(e.len())
            .map_err(|_| Error::malformed("entry bundle: an entry longer than 65535 bytes"))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(e);
    }
    Ok(out)
}

/// Decodes an entry bundle that must hold exactly `count` entries.
pub fn decode_bundle(data: &[u8], count: usize) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        if out.len() == count {
            return Err(Error::malformed(format!(
                "entry bundle: {} trailing bytes after {count} entries",
                rest.len()
            )));
        }
        let (len, tail) = rest.split_first_chunk::<2>().ok_or_else(|| {
            Error::malformed(format!(
                "entry bundle: entry {} has a truncated length",
                out.len()
            ))
        })?;
        let len = usize::from(u16::from_be_bytes(*len));
        if tail.len() < len {
            return Err(Error::malformed(format!(
                "entry bundle: entry {} is {len} bytes but only {} remain",
                out.len(),
                tail.len()
            )));
        }
        let (entry, tail) = tail.split_at(len);
        out.push(entry.to_vec());
        rest = tail;
    }
    if out.len() != count {
        return Err(Error::malformed(format!(
            "entry bundle: {} entries, expected {count}",
            out.len()
        )));
    }
    Ok(out)
}

/// Checks a hash tile's length: `width` hashes of 32 bytes.
pub fn check_hash_tile(data: &[u8], width: u32) -> Result<()> {
    let want = width as usize * HASH_SIZE;
    if data.len() != want {
        return Err(Error::malformed(format!(
            "hash tile: {} bytes, expected {want} ({width} hashes)",
            data.len()
        )));
    }
    Ok(())
}

/// Where tiles and checkpoints come from: a directory, an HTTP server, memory.
pub trait TileSource {
    /// The bytes at `path` (relative, e.g. `checkpoint` or `tile/0/000.p/3`).
    fn fetch(&self, path: &str) -> Result<Vec<u8>>;
}

/// A log directory on disk.
pub struct DirSource(pub std::path::PathBuf);

impl TileSource for DirSource {
    fn fetch(&self, path: &str) -> Result<Vec<u8>> {
        let p = self.0.join(path);
        let meta = std::fs::metadata(&p).map_err(|e| Error::io(format!("{}: {e}", p.display())))?;
        if meta.len() > MAX_TILE_FILE as u64 {
            return Err(Error::malformed(format!(
                "{}: larger than {MAX_TILE_FILE} bytes",
                p.display()
            )));
        }
        std::fs::read(&p).map_err(|e| Error::io(format!("{}: {e}", p.display())))
    }
}

impl<S: TileSource + ?Sized> TileSource for &S {
    fn fetch(&self, path: &str) -> Result<Vec<u8>> {
        (**self).fetch(path)
    }
}

/// A `tlog_tiles::TileReader` over a [`TileSource`]: fetches C2SP paths, checks lengths, caches.
/// `tlog_tiles`' error type cannot carry our messages, so the first failure is kept in
/// [`Tiles::take_error`].
pub struct Tiles<S: TileSource> {
    source: S,
    cache: RefCell<HashMap<Tile, Vec<u8>>>,
    error: RefCell<Option<Error>>,
}

impl<S: TileSource> Tiles<S> {
    pub fn new(source: S) -> Self {
        Tiles {
            source,
            cache: RefCell::new(HashMap::new()),
            error: RefCell::new(None),
        }
    }

    pub fn source(&self) -> &S {
        &self.source
    }

    /// The error behind the last failed `read_tiles`, if it was ours.
    pub fn take_error(&self) -> Option<Error> {
        self.error.borrow_mut().take()
    }

    /// Converts a `tlog_tiles` error, preferring the message of our own failure behind it.
    pub fn error(&self, e: tlog_tiles::Error) -> Error {
        self.take_error().unwrap_or_else(|| from_tlog(e))
    }

    fn fetch_one(&self, tile: &Tile) -> Result<Vec<u8>> {
        if let Some(d) = self.cache.borrow().get(tile) {
            return Ok(d.clone());
        }
        let p = path(tile);
        let data = self.source.fetch(&p)?;
        check_hash_tile(&data, tile.width()).map_err(|e| e.context(&p))?;
        self.cache.borrow_mut().insert(*tile, data.clone());
        Ok(data)
    }
}

impl<S: TileSource> TileReader for Tiles<S> {
    fn height(&self) -> u8 {
        HEIGHT
    }

    fn read_tiles(&self, tiles: &[Tile]) -> std::result::Result<Vec<Vec<u8>>, tlog_tiles::Error> {
        let mut out = Vec::with_capacity(tiles.len());
        for t in tiles {
            match self.fetch_one(t) {
                Ok(d) => out.push(d),
                Err(e) => {
                    *self.error.borrow_mut() = Some(e);
                    return Err(tlog_tiles::Error::InvalidTile);
                }
            }
        }
        Ok(out)
    }

    fn save_tiles(&self, _tiles: &[Tile], _data: &[Vec<u8>]) {}
}

/// Our error for a `tlog_tiles` one.
pub fn from_tlog(e: tlog_tiles::Error) -> Error {
    use tlog_tiles::Error as E;
    match e {
        E::InvalidProof => Error::invalid("the proof does not verify"),
        E::InconsistentTile => {
            Error::invalid("a tile does not match the checkpoint's root hash (tampered or forked)")
        }
        E::IndexesNotInTree => Error::invalid("index not in the tree"),
        E::InvalidInput(m) => Error::malformed(m),
        other => Error::malformed(format!("tile: {other}")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn paths_are_c2sp() {
        assert_eq!(path(&Tile::new(8, 0, 0, 256, false)), "tile/0/000");
        assert_eq!(
            path(&Tile::new(8, 1, 1_234_067, 5, false)),
            "tile/1/x001/x234/067.p/5"
        );
        assert_eq!(path(&Tile::new(8, 0, 3, 7, true)), "tile/entries/003.p/7");
        for p in [
            "tile/0/000",
            "tile/2/x001/x234/067.p/5",
            "tile/entries/003.p/7",
            "tile/63/000",
        ] {
            assert_eq!(path(&from_path(p).unwrap()), p);
        }
        for (p, why) in [
            ("tile/8/0/000", "coordinate"),
            ("tile/64/000", "level above 63"),
            ("tile/200/000", "level above 63"),
            ("tile/0/000.p/0", "width"),
            ("tile/0/000.p/256", "width"),
            ("tile/0/000.p/01", "width"),
            ("tile/0/1", "coordinate"),
            ("tile/0/x000/001", "coordinate"),
            ("tile/00/000", "level"),
            ("tiles/0/000", "tile/"),
            ("tile/0", "no index"),
            ("tile/data/000", "level"),
        ] {
            let e = from_path(p).unwrap_err();
            assert!(e.message.contains(why), "{p}: {e}");
        }
    }

    #[test]
    fn bundles() {
        let b = encode_bundle(&[b"a".as_slice(), b"", b"xyz"]).unwrap();
        assert_eq!(b, b"\0\x01a\0\0\0\x03xyz");
        assert_eq!(
            decode_bundle(&b, 3).unwrap(),
            vec![b"a".to_vec(), vec![], b"xyz".to_vec()]
        );
        for (data, n, why) in [
            (&b[..b.len() - 1], 3, "only 2 remain"),
            (&b[..6], 3, "truncated length"),
            (&b[..], 2, "trailing"),
            (&b[..], 4, "expected 4"),
        ] {
            let e = decode_bundle(data, n).unwrap_err();
            assert!(e.message.contains(why), "{e}");
        }
        assert!(check_hash_tile(&[0; 64], 2).is_ok());
        assert!(check_hash_tile(&[0; 63], 2)
            .unwrap_err()
            .message
            .contains("expected 64"));
    }
}
