//! Inclusion and consistency proofs against an independent computation: a naive, recursive
//! transcription of RFC 9162 §2.1 (MTH, PATH, PROOF/SUBPROOF) written here from the RFC, for
//! every tree size 1…1000 (sampled indexes and old sizes), through both the operator's
//! in-memory hashes and the tiles a client fetches from the log directory. Plus the RFC 6962
//! reference tree's published roots and audit paths, and rejections of wrong proofs.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use sealpost_tlog::keys::{SecretKey, ALG_ED25519};
use sealpost_tlog::logdir::LogDir;
use sealpost_tlog::proof::{
    consistency_from_tiles, inclusion_from_tiles, verify_consistency, verify_inclusion,
};
use sealpost_tlog::tiles::{DirSource, Tiles};
use sealpost_tlog::{sha256, Hash};

/// RFC 9162 §2.1, literally: the reference the library is checked against.
struct Reference {
    leaves: Vec<[u8; 32]>,
    memo: HashMap<(usize, usize), [u8; 32]>,
}

fn h(parts: &[&[u8]]) -> [u8; 32] {
    sha256(&parts.concat())
}

/// The largest power of two smaller than n (n > 1).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

impl Reference {
    fn new(data: &[Vec<u8>]) -> Self {
        Reference {
            leaves: data.iter().map(|d| h(&[&[0], d])).collect(),
            memo: HashMap::new(),
        }
    }

    /// MTH(D[lo:hi]).
    fn mth(&mut self, lo: usize, hi: usize) -> [u8; 32] {
        if let Some(x) = self.memo.get(&(lo, hi)) {
            return *x;
        }
        let n = hi - lo;
        let r = match n {
            0 => sha256(b""),
            1 => self.leaves[lo],
            _ => {
                let k = split(n);
                let l = self.mth(lo, lo + k);
                let r = self.mth(lo + k, hi);
                h(&[&[1], &l, &r])
            }
        };
        self.memo.insert((lo, hi), r);
        r
    }

    /// PATH(m, D[lo:hi]).
    fn path(&mut self, m: usize, lo: usize, hi: usize) -> Vec<[u8; 32]> {
        let n = hi - lo;
        if n == 1 {
            return Vec::new();
        }
        let k = split(n);
        if m < k {
            let mut p = self.path(m, lo, lo + k);
            p.push(self.mth(lo + k, hi));
            p
        } else {
            let mut p = self.path(m - k, lo + k, hi);
            p.push(self.mth(lo, lo + k));
            p
        }
    }

    /// SUBPROOF(m, D[lo:hi], b).
    fn subproof(&mut self, m: usize, lo: usize, hi: usize, b: bool) -> Vec<[u8; 32]> {
        let n = hi - lo;
        if m == n {
            return if b {
                Vec::new()
            } else {
                vec![self.mth(lo, hi)]
            };
        }
        let k = split(n);
        if m <= k {
            let mut p = self.subproof(m, lo, lo + k, b);
            p.push(self.mth(lo + k, hi));
            p
        } else {
            let mut p = self.subproof(m - k, lo + k, hi, false);
            p.push(self.mth(lo, lo + k));
            p
        }
    }
}

fn hashes(v: &[[u8; 32]]) -> Vec<Hash> {
    v.iter().map(|x| Hash(*x)).collect()
}

/// A small deterministic generator for the samples.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn leaf(i: usize) -> Vec<u8> {
    format!("leaf {i}\n").into_bytes()
}

#[test]
fn every_size_1_to_1000_matches_rfc_9162() {
    const N: usize = 1000;
    let data: Vec<Vec<u8>> = (0..N).map(leaf).collect();
    let mut r = Reference::new(&data);
    let dir = tempfile::tempdir().unwrap();
    let key = SecretKey::from_seed("test.example/log", ALG_ED25519, [5; 32]).unwrap();
    let mut log = LogDir::open(dir.path(), None).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut roots: Vec<[u8; 32]> = vec![sha256(b"")];
    let (mut incl, mut cons) = (0, 0);
    for size in 1..=N {
        // Grow the log one leaf (one checkpoint) at a time, as releases do.
        log.append_raw(&data[size - 1..size], &key).unwrap();
        let cp = log.checkpoint().unwrap();
        let root = r.mth(0, size);
        assert_eq!(cp.root().0, root, "root of size {size}");
        roots.push(root);
        let tiles = Tiles::new(DirSource(dir.path().to_path_buf()));
        // Inclusion: first, last, middle and two random leaves.
        let mut idx = vec![0, size - 1, size / 2, rng.below(size), rng.below(size)];
        idx.sort();
        idx.dedup();
        for i in idx {
            let want = hashes(&r.path(i, 0, size));
            let mem = sealpost_tlog::proof::inclusion(log.hashes(), size as u64, i as u64).unwrap();
            assert_eq!(mem, want, "inclusion {i} in {size} (memory)");
            let tiled = inclusion_from_tiles(&tiles, cp, i as u64).unwrap();
            assert_eq!(tiled, want, "inclusion {i} in {size} (tiles)");
            verify_inclusion(&want, size as u64, Hash(root), i as u64, &data[i]).unwrap();
            incl += 1;
        }
        // Consistency: from 1, size-1, half, two random sizes, and size itself.
        let mut olds = vec![
            1,
            size - 1,
            size / 2,
            1 + rng.below(size),
            1 + rng.below(size),
            size,
        ];
        olds.retain(|&m| m >= 1);
        olds.sort();
        olds.dedup();
        for m in olds {
            let want = hashes(&r.subproof(m, 0, size, true));
            let mem = log.prove_consistency(m as u64).unwrap();
            assert_eq!(mem, want, "consistency {m} -> {size} (memory)");
            let tiled = consistency_from_tiles(&tiles, cp, m as u64).unwrap();
            assert_eq!(tiled, want, "consistency {m} -> {size} (tiles)");
            verify_consistency(&want, m as u64, Hash(roots[m]), size as u64, Hash(root)).unwrap();
            cons += 1;
        }
    }
    assert!(
        incl > 3000 && cons > 3000,
        "{incl} inclusion, {cons} consistency proofs"
    );
    // The log directory reopens to the same tree.
    let again = LogDir::open(dir.path(), Some(&key.vkey())).unwrap();
    assert_eq!(again.size(), N as u64);
    assert_eq!(again.checkpoint().unwrap().root().0, roots[N]);
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn rfc_6962_reference_tree() {
    // The reference tree of RFC 6962's test suite: 8 leaves, its roots for sizes 0..8 and two
    // audit paths (as published with Certificate Transparency's and Trillian's tests).
    let data: Vec<Vec<u8>> = [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
    .iter()
    .map(|s| unhex(s))
    .collect();
    let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    let mut r = Reference::new(&data);
    let mem = sealpost_tlog::logdir::Hashes::of(&data).unwrap();
    for (n, want) in roots.iter().enumerate() {
        assert_eq!(r.mth(0, n).to_vec(), unhex(want), "reference, size {n}");
        assert_eq!(
            mem.root(n as u64).unwrap().0.to_vec(),
            unhex(want),
            "library, size {n}"
        );
    }
    let paths = [
        (
            0,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
    ];
    for (i, path) in paths {
        let want: Vec<Hash> = path
            .iter()
            .map(|p| Hash(unhex(p).try_into().unwrap()))
            .collect();
        assert_eq!(sealpost_tlog::proof::inclusion(&mem, 8, i).unwrap(), want);
        verify_inclusion(&want, 8, Hash(r.mth(0, 8)), i, &data[i as usize]).unwrap();
    }
}

#[test]
fn wrong_proofs_are_rejected() {
    let data: Vec<Vec<u8>> = (0..37).map(leaf).collect();
    let mem = sealpost_tlog::logdir::Hashes::of(&data).unwrap();
    let root = mem.root(37).unwrap();
    let p = sealpost_tlog::proof::inclusion(&mem, 37, 10).unwrap();
    verify_inclusion(&p, 37, root, 10, &data[10]).unwrap();
    // A proof for another leaf: another entry, or another index.
    let e = verify_inclusion(&p, 37, root, 10, &data[11]).unwrap_err();
    assert!(e.message.contains("does not verify"), "{e}");
    assert!(verify_inclusion(&p, 37, root, 11, &data[11]).is_err());
    assert!(verify_inclusion(&p, 37, root, 11, &data[10]).is_err());
    // Another tree, a flipped bit, a missing or extra hash, an index outside the tree.
    assert!(verify_inclusion(&p, 37, mem.root(36).unwrap(), 10, &data[10]).is_err());
    let mut flipped = p.clone();
    flipped[2].0[0] ^= 1;
    assert!(verify_inclusion(&flipped, 37, root, 10, &data[10]).is_err());
    assert!(verify_inclusion(&p[..p.len() - 1], 37, root, 10, &data[10]).is_err());
    let mut long = p.clone();
    long.push(root);
    assert!(verify_inclusion(&long, 37, root, 10, &data[10]).is_err());
    assert!(verify_inclusion(&[], 37, root, 37, &data[0])
        .unwrap_err()
        .message
        .contains("not in a tree"));
    let huge = vec![root; 1000];
    assert!(verify_inclusion(&huge, 37, root, 10, &data[10])
        .unwrap_err()
        .message
        .contains("at most"));
    assert!(verify_inclusion(&p, u64::MAX, root, 10, &data[10])
        .unwrap_err()
        .message
        .contains("larger than"));
    // Consistency: a fork (same size, other root), a rewind, a proof from the empty tree.
    let c = mem.root(20).unwrap();
    let cp = sealpost_tlog::proof::consistency(&mem, 37, 20).unwrap();
    verify_consistency(&cp, 20, c, 37, root).unwrap();
    let forked = Hash([7; 32]);
    assert!(verify_consistency(&cp, 20, forked, 37, root).is_err());
    assert!(verify_consistency(&cp, 20, c, 37, forked).is_err());
    assert!(verify_consistency(&[], 37, root, 37, forked).is_err());
    assert!(verify_consistency(&[], 37, root, 20, c)
        .unwrap_err()
        .message
        .contains("rewind"));
    assert!(verify_consistency(&cp, 0, c, 37, root).is_err());
    verify_consistency(&[], 0, c, 37, root).unwrap();
    verify_consistency(&[], 37, root, 37, root).unwrap();
}

/// What a client downloads and checks for one release in a log of 1,000: the tlog-proof's size
/// (asserted, as verifier/README.md states it) and the time to verify it (printed; run with
/// `--nocapture`).
#[test]
fn proof_size_and_verification_time_for_1000_releases() {
    use sealpost_tlog::checkpoint::SignedCheckpoint;
    use sealpost_tlog::keys::ALG_COSIGNATURE_V1;
    use sealpost_tlog::policy::Policy;
    use sealpost_tlog::proof::TlogProof;
    let dir = tempfile::tempdir().unwrap();
    let key = SecretKey::from_seed("releases.example.com/log", ALG_ED25519, [5; 32]).unwrap();
    let w1 = SecretKey::from_seed("witness-1.example.net", ALG_COSIGNATURE_V1, [6; 32]).unwrap();
    let w2 = SecretKey::from_seed("witness-2.example.org", ALG_COSIGNATURE_V1, [7; 32]).unwrap();
    let entry = |i: usize| {
        sealpost_tlog::entry::Entry::new(
            "sealpost-demo",
            &format!("1.{i}.0"),
            &"ab".repeat(32),
            &"0123456789ABCDEF".repeat(3)[..40],
            Some(&"3f".repeat(20)),
            Some(1_795_881_600),
        )
        .unwrap()
    };
    let entries: Vec<_> = (0..1000).map(entry).collect();
    let mut log = LogDir::open(dir.path(), None).unwrap();
    log.append(&entries, &key).unwrap();
    let mut cp = SignedCheckpoint::parse(&log.checkpoint().unwrap().to_bytes()).unwrap();
    let sigs = [
        w1.cosign(&cp.text, 1_800_000_000).unwrap(),
        w2.cosign(&cp.text, 1_800_000_000).unwrap(),
    ];
    cp.add_signatures(&sigs);
    log.set_checkpoint(cp, &key.vkey()).unwrap();
    let proof = log.prove(777).unwrap().to_bytes();
    let entry_bytes = entries[777].to_bytes();
    let policy = Policy::parse(&format!(
        "log {}\nwitness a {}\nwitness b {}\ngroup both all a b\nquorum both\n",
        key.vkey().encode(),
        w1.vkey().encode(),
        w2.vkey().encode()
    ))
    .unwrap();
    assert!(proof.len() < 1024, "tlog-proof of {} bytes", proof.len());
    let disk: u64 = walk(dir.path());
    assert!(disk < 1 << 20, "log of {disk} bytes");
    let runs = 200;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        let p = TlogProof::parse(&proof).unwrap();
        p.checkpoint.verify(&policy).unwrap();
        p.verify_entry(&entry_bytes).unwrap();
    }
    let per = start.elapsed() / runs;
    println!(
        "1,000 releases: log directory {disk} bytes, entry {} bytes, tlog-proof {} bytes ({} hashes), parse + 3 signatures + inclusion: {per:?} per proof (this build's profile)",
        entry_bytes.len(),
        proof.len(),
        TlogProof::parse(&proof).unwrap().proof.len()
    );
}

fn walk(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(&e.path())
            } else {
                e.metadata().unwrap().len()
            }
        })
        .sum()
}
