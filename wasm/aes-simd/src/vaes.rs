//! AES on 128-bit vectors (one block per vector, byte 4·column + row), with
//! the S-box computed by inversion in a tower field through 16-entry
//! swizzle tables (see `tables`).  No memory access and no branch depends on
//! the key or the data: the round count and the block count are public.

use crate::ops::*;
use crate::tables as t;

const M0F: V = tbl([0x0f; 16]);
const FIFTEEN: V = tbl([15; 16]);
const LOG: V = tbl(t::LOG);
const NEG_LOG: V = tbl(t::NEG_LOG);
const EXP: V = tbl(t::EXP);
const LAMBDA_SQ: V = tbl(t::LAMBDA_SQ);
const SQ: V = tbl(t::SQ);
const SHIFT_ROWS: V = tbl(t::SHIFT_ROWS);
const INV_SHIFT_ROWS: V = tbl(t::INV_SHIFT_ROWS);
const ROT1: V = tbl(t::ROT1);
const ROT2: V = tbl(t::ROT2);
const ROT3: V = tbl(t::ROT3);

/// z^(s mod 15) for log sums s in 0..=28; 0 for sums involving LOG_ZERO.
#[inline(always)]
fn exp(s: V) -> V {
    // s < 15: s - 15 wraps above s, so min keeps s; s >= 15: min is s - 15.
    // A sum with LOG_ZERO stays >= 0x31, where swizzle gives 0.
    swz(EXP, min(s, sub(s, FIFTEEN)))
}

/// Inverts every byte in the tower field, the byte first mapped in by the
/// nibble tables (lo, hi).  Returns the inverse's two GF(16) halves (b1, b0).
#[inline(always)]
fn invert(x: V, in_lo: V, in_hi: V) -> (V, V) {
    let tw = xor(swz(in_lo, and(x, M0F)), swz(in_hi, shr4(x)));
    let a0 = and(tw, M0F);
    let a1 = shr4(tw);
    let l1 = swz(LOG, a1);
    let l0 = swz(LOG, a0);
    // norm d = LAMBDA·a1^2 + a1·a0 + a0^2 (0 only for the zero byte)
    let d = xor(xor(swz(LAMBDA_SQ, a1), swz(SQ, a0)), exp(add(l1, l0)));
    let nd = swz(NEG_LOG, d);
    let b1 = exp(add(l1, nd));
    let b0 = exp(add(swz(LOG, xor(a0, a1)), nd));
    (b1, b0)
}

#[inline(always)]
fn out(b1: V, b0: V, lo: V, hi: V) -> V {
    xor(swz(hi, b1), swz(lo, b0))
}

const ENC_IN_LO: V = tbl(t::ENC_IN_LO);
const ENC_IN_HI: V = tbl(t::ENC_IN_HI);
const ENC_OUT1_LO: V = tbl(t::ENC_OUT1_LO);
const ENC_OUT1_HI: V = tbl(t::ENC_OUT1_HI);
const ENC_OUT2_LO: V = tbl(t::ENC_OUT2_LO);
const ENC_OUT2_HI: V = tbl(t::ENC_OUT2_HI);
const DEC_IN_LO: V = tbl(t::DEC_IN_LO);
const DEC_IN_HI: V = tbl(t::DEC_IN_HI);
const DEC_OUT1_LO: V = tbl(t::DEC_OUT1_LO);
const DEC_OUT1_HI: V = tbl(t::DEC_OUT1_HI);
const DEC_OUTE_LO: V = tbl(t::DEC_OUTE_LO);
const DEC_OUTE_HI: V = tbl(t::DEC_OUTE_HI);
const DEC_OUTB_LO: V = tbl(t::DEC_OUTB_LO);
const DEC_OUTB_HI: V = tbl(t::DEC_OUTB_HI);
const DEC_OUTD_LO: V = tbl(t::DEC_OUTD_LO);
const DEC_OUTD_HI: V = tbl(t::DEC_OUTD_HI);
const DEC_OUT9_LO: V = tbl(t::DEC_OUT9_LO);
const DEC_OUT9_HI: V = tbl(t::DEC_OUT9_HI);

/// SubBytes of every byte.
#[inline(always)]
fn sub_bytes(x: V) -> V {
    let (b1, b0) = invert(x, ENC_IN_LO, ENC_IN_HI);
    out(b1, b0, ENC_OUT1_LO, ENC_OUT1_HI)
}

/// ShiftRows, SubBytes, MixColumns.
#[inline(always)]
fn enc_round(s: V) -> V {
    let (b1, b0) = invert(swz(s, SHIFT_ROWS), ENC_IN_LO, ENC_IN_HI);
    let s1 = out(b1, b0, ENC_OUT1_LO, ENC_OUT1_HI);
    let s2 = out(b1, b0, ENC_OUT2_LO, ENC_OUT2_HI);
    // row r: 2·s[r] + 3·s[r+1] + s[r+2] + s[r+3]
    xor(
        xor(s2, swz(xor(s1, s2), ROT1)),
        xor(swz(s1, ROT2), swz(s1, ROT3)),
    )
}

#[inline(always)]
fn enc_last(s: V) -> V {
    sub_bytes(swz(s, SHIFT_ROWS))
}

/// InvShiftRows, InvSubBytes, InvMixColumns (the equivalent inverse cipher).
#[inline(always)]
fn dec_round(s: V) -> V {
    let (b1, b0) = invert(swz(s, INV_SHIFT_ROWS), DEC_IN_LO, DEC_IN_HI);
    let e = out(b1, b0, DEC_OUTE_LO, DEC_OUTE_HI);
    let b = out(b1, b0, DEC_OUTB_LO, DEC_OUTB_HI);
    let d = out(b1, b0, DEC_OUTD_LO, DEC_OUTD_HI);
    let n = out(b1, b0, DEC_OUT9_LO, DEC_OUT9_HI);
    // row r: 14·s[r] + 11·s[r+1] + 13·s[r+2] + 9·s[r+3]
    xor(xor(e, swz(b, ROT1)), xor(swz(d, ROT2), swz(n, ROT3)))
}

#[inline(always)]
fn dec_last(s: V) -> V {
    let (b1, b0) = invert(swz(s, INV_SHIFT_ROWS), DEC_IN_LO, DEC_IN_HI);
    out(b1, b0, DEC_OUT1_LO, DEC_OUT1_HI)
}

/// Round keys for N - 1 rounds (N = 11, 13, 15), for encryption and for the
/// equivalent inverse cipher, kept as bytes so that they can be zeroized.
#[derive(Clone)]
pub(crate) struct Keys<const N: usize> {
    pub(crate) enc: [[u8; 16]; N],
    pub(crate) dec: [[u8; 16]; N],
}

/// Multiplication by a public constant in GF(2^8), branch-free in `a`.
#[inline(always)]
fn mul_const(mut a: u8, k: u8) -> u8 {
    let mut r = 0;
    for bit in 0..8 {
        if (k >> bit) & 1 == 1 {
            r ^= a;
        }
        a = (a << 1) ^ (0x1b & 0u8.wrapping_sub(a >> 7));
    }
    r
}

fn inv_mix_columns(b: &[u8; 16]) -> [u8; 16] {
    let mut o = [0u8; 16];
    for c in 0..4 {
        for r in 0..4 {
            let a = |k: usize| b[4 * c + (r + k) % 4];
            o[4 * c + r] = mul_const(a(0), 14)
                ^ mul_const(a(1), 11)
                ^ mul_const(a(2), 13)
                ^ mul_const(a(3), 9);
        }
    }
    o
}

impl<const N: usize> Keys<N> {
    /// FIPS-197 key expansion; `key.len()` is 16, 24 or 32 for N = 11, 13, 15.
    pub(crate) fn new(key: &[u8]) -> Self {
        let nk = key.len() / 4;
        debug_assert_eq!(N, nk + 7);
        let mut w = [[0u8; 4]; 60];
        for (i, word) in w.iter_mut().take(nk).enumerate() {
            word.copy_from_slice(&key[4 * i..4 * i + 4]);
        }
        let mut rcon = 1u8;
        for i in nk..4 * N {
            let mut tmp = w[i - 1];
            if i % nk == 0 {
                tmp = sub_word([tmp[1], tmp[2], tmp[3], tmp[0]]);
                tmp[0] ^= rcon;
                rcon = (rcon << 1) ^ if rcon & 0x80 != 0 { 0x1b } else { 0 };
            } else if nk > 6 && i % nk == 4 {
                tmp = sub_word(tmp);
            }
            for (j, t) in tmp.iter().enumerate() {
                w[i][j] = w[i - nk][j] ^ t;
            }
        }
        let mut enc = [[0u8; 16]; N];
        for (r, k) in enc.iter_mut().enumerate() {
            for c in 0..4 {
                k[4 * c..4 * c + 4].copy_from_slice(&w[4 * r + c]);
            }
        }
        let mut dec = [[0u8; 16]; N];
        dec[0] = enc[N - 1];
        for r in 1..N - 1 {
            dec[r] = inv_mix_columns(&enc[N - 1 - r]);
        }
        dec[N - 1] = enc[0];
        #[cfg(feature = "zeroize")]
        zeroize::Zeroize::zeroize(&mut w);
        Keys { enc, dec }
    }

    #[inline(always)]
    pub(crate) fn encrypt<const B: usize>(&self, blocks: &mut [V; B]) {
        let k = from_bytes(&self.enc[0]);
        for b in blocks.iter_mut() {
            *b = xor(*b, k);
        }
        for r in 1..N - 1 {
            let k = from_bytes(&self.enc[r]);
            for b in blocks.iter_mut() {
                *b = xor(enc_round(*b), k);
            }
        }
        let k = from_bytes(&self.enc[N - 1]);
        for b in blocks.iter_mut() {
            *b = xor(enc_last(*b), k);
        }
    }

    #[inline(always)]
    pub(crate) fn decrypt<const B: usize>(&self, blocks: &mut [V; B]) {
        let k = from_bytes(&self.dec[0]);
        for b in blocks.iter_mut() {
            *b = xor(*b, k);
        }
        for r in 1..N - 1 {
            let k = from_bytes(&self.dec[r]);
            for b in blocks.iter_mut() {
                *b = xor(dec_round(*b), k);
            }
        }
        let k = from_bytes(&self.dec[N - 1]);
        for b in blocks.iter_mut() {
            *b = xor(dec_last(*b), k);
        }
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
}

fn sub_word(w: [u8; 4]) -> [u8; 4] {
    let mut b = [0u8; 16];
    b[..4].copy_from_slice(&w);
    let s = to_bytes(sub_bytes(from_bytes(&b)));
    [s[0], s[1], s[2], s[3]]
}

/// The S-box of every byte value, through the vector code (tests).
#[cfg(any(test, feature = "portable-check"))]
pub(crate) fn sbox_all() -> [u8; 256] {
    let mut o = [0u8; 256];
    for chunk in 0..16 {
        let mut b = [0u8; 16];
        for (i, x) in b.iter_mut().enumerate() {
            *x = (chunk * 16 + i) as u8;
        }
        o[chunk * 16..chunk * 16 + 16].copy_from_slice(&to_bytes(sub_bytes(from_bytes(&b))));
    }
    o
}
