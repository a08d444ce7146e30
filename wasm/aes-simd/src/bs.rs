//! The batch path: eight blocks at once, bitsliced.  Bit i of every byte of
//! the eight blocks goes into plane i (byte p of plane i holds bit i of byte p
//! of blocks 0..7, block b in bit b), so the S-box is a circuit of XORs and
//! ANDs over whole planes (`bs_sbox`, generated), ShiftRows and MixColumns'
//! rotations are constant byte permutations of each plane, and xtime is a
//! renaming of planes plus three XORs.  Every instruction is the same whatever
//! the key and the data: no table, no branch, no secret address.
//!
//! The S-box's constant 0x63 is folded into the round keys: encryption's
//! circuit yields S(x) + 0x63, and (ShiftRows and MixColumns map the all-0x63
//! state to itself) every round key after the first carries the 0x63;
//! decryption's circuit takes x + 0x63, so every round key before the last
//! carries it.  Decryption is the equivalent inverse cipher with
//! InvMixColumns = MixColumns ∘ P, P(x) = x + 4·(x + rot2(x)).

use crate::bs_sbox::{sbox_dec, sbox_enc};
use crate::ops::*;
use crate::vaes;

/// Bitsliced round keys: for each round, plane i has 0xff in byte p where
/// bit i of the round key's byte p is set.
#[derive(Clone)]
pub(crate) struct Keys<const N: usize> {
    enc: [[[u8; 16]; 8]; N],
    dec: [[[u8; 16]; 8]; N],
}

/// The planes of a round key plus c in every byte: plane i is 0xff in byte p
/// where bit i of byte p is set (a compare per plane, no branch).
fn planes(k: &[u8; 16], c: u8) -> [[u8; 16]; 8] {
    let mut key = *k;
    for b in key.iter_mut() {
        *b ^= c;
    }
    let v = from_bytes(&key);
    #[cfg(feature = "zeroize")]
    zeroize::Zeroize::zeroize(&mut key);
    core::array::from_fn(|i| {
        let bit = tbl([1 << i; 16]);
        to_bytes(eq(and(v, bit), bit))
    })
}

impl<const N: usize> Keys<N> {
    pub(crate) fn new(v: &vaes::Keys<N>) -> Self {
        let mut enc = [[[0u8; 16]; 8]; N];
        let mut dec = [[[0u8; 16]; 8]; N];
        for r in 0..N {
            enc[r] = planes(&v.enc[r], if r >= 1 { 0x63 } else { 0 });
            dec[r] = planes(&v.dec[r], if r < N - 1 { 0x63 } else { 0 });
        }
        Keys { enc, dec }
    }

    #[cfg(all(
        feature = "zeroize",
        target_arch = "wasm32",
        target_feature = "simd128"
    ))]
    pub(crate) fn zeroize(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.enc);
        zeroize::Zeroize::zeroize(&mut self.dec);
    }

    /// Enciphers eight blocks (one per vector, as loaded).
    #[inline(always)]
    pub(crate) fn encrypt(&self, b: &mut [V; 8]) {
        transpose(b);
        add_key(b, &self.enc[0]);
        for r in 1..N - 1 {
            sbox_enc(b);
            for x in b.iter_mut() {
                *x = shift_rows(*x);
            }
            mix_columns(b);
            add_key(b, &self.enc[r]);
        }
        sbox_enc(b);
        for x in b.iter_mut() {
            *x = shift_rows(*x);
        }
        add_key(b, &self.enc[N - 1]);
        transpose(b);
    }

    /// Deciphers eight blocks (one per vector, as loaded).
    #[inline(always)]
    pub(crate) fn decrypt(&self, b: &mut [V; 8]) {
        transpose(b);
        add_key(b, &self.dec[0]);
        for r in 1..N - 1 {
            sbox_dec(b);
            for x in b.iter_mut() {
                *x = inv_shift_rows(*x);
            }
            // P(x) = x + 4·(x + rot2(x)), then MixColumns
            let mut u = [b[0]; 8];
            for (u, x) in u.iter_mut().zip(b.iter()) {
                *u = xor(*x, rot2(*x));
            }
            let u = xtime(&xtime(&u));
            for (x, u) in b.iter_mut().zip(u) {
                *x = xor(*x, u);
            }
            mix_columns(b);
            add_key(b, &self.dec[r]);
        }
        sbox_dec(b);
        for x in b.iter_mut() {
            *x = inv_shift_rows(*x);
        }
        add_key(b, &self.dec[N - 1]);
        transpose(b);
    }
}

#[inline(always)]
fn add_key(b: &mut [V; 8], k: &[[u8; 16]; 8]) {
    for (x, k) in b.iter_mut().zip(k) {
        *x = xor(*x, from_bytes(k));
    }
}

/// Multiplication by 2 in GF(2^8) of every byte (bit planes): a shift of the
/// planes, the top plane added back at x^4 + x^3 + x + 1.
#[inline(always)]
fn xtime(t: &[V; 8]) -> [V; 8] {
    [
        t[7],
        xor(t[0], t[7]),
        t[1],
        xor(t[2], t[7]),
        xor(t[3], t[7]),
        t[4],
        t[5],
        t[6],
    ]
}

/// MixColumns: row r of a column becomes 2·x[r] + 3·x[r+1] + x[r+2] + x[r+3]
/// = 2·t[r] + x[r+1] + t[r+2] with t = x + rot1(x).
#[inline(always)]
fn mix_columns(b: &mut [V; 8]) {
    let mut r1 = [b[0]; 8];
    let mut t = [b[0]; 8];
    for i in 0..8 {
        r1[i] = rot1(b[i]);
        t[i] = xor(b[i], r1[i]);
    }
    let t2 = xtime(&t);
    for i in 0..8 {
        b[i] = xor(xor(t2[i], r1[i]), rot2(t[i]));
    }
}

/// Exchanges the bits of `a` at mask << n with those of `b` at mask.
#[inline(always)]
fn swap_move(a: &mut V, b: &mut V, n: u32, mask: V) {
    let t = and(xor(shr64(*a, n), *b), mask);
    *b = xor(*b, t);
    *a = xor(*a, shl64(t, n));
}

/// Blocks <-> bit planes: in each byte position, the 8x8 bit matrix (block,
/// bit) is transposed by three layers of bit exchanges; its own inverse.
#[inline(always)]
fn transpose(b: &mut [V; 8]) {
    const M1: V = tbl([0x55; 16]);
    const M2: V = tbl([0x33; 16]);
    const M4: V = tbl([0x0f; 16]);
    for (n, m, step) in [(1, M1, 1), (2, M2, 2), (4, M4, 4)] {
        for i in 0..8 {
            if i & step == 0 {
                let (lo, hi) = b.split_at_mut(i + step);
                swap_move(&mut lo[i], &mut hi[0], n, m);
            }
        }
    }
}

/// The S-box circuits on every byte value (tests): `decrypt` gives S^-1.
#[cfg(any(test, feature = "portable-check"))]
pub(crate) fn sbox_all(decrypt: bool) -> [u8; 256] {
    let mut o = [0u8; 256];
    for chunk in 0..2 {
        // 128 byte values in eight blocks, transposed into planes
        let mut b = [tbl([0; 16]); 8];
        for (k, v) in b.iter_mut().enumerate() {
            let mut bytes = [0u8; 16];
            for (p, x) in bytes.iter_mut().enumerate() {
                *x = (chunk * 128 + k * 16 + p) as u8;
            }
            if decrypt {
                for x in bytes.iter_mut() {
                    *x ^= 0x63;
                }
            }
            *v = from_bytes(&bytes);
        }
        transpose(&mut b);
        if decrypt {
            sbox_dec(&mut b);
        } else {
            sbox_enc(&mut b);
        }
        transpose(&mut b);
        for (k, v) in b.iter().enumerate() {
            let bytes = to_bytes(*v);
            for (p, x) in bytes.iter().enumerate() {
                o[chunk * 128 + k * 16 + p] = if decrypt { *x } else { *x ^ 0x63 };
            }
        }
    }
    o
}
