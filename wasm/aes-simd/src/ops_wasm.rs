//! The vector operations the algorithm uses, as wasm simd128 instructions.
//! `swz` is `i8x16.swizzle`: a permutation of a register's bytes, the same
//! instruction stream whatever the (secret) indices are.

use core::arch::wasm32::*;

pub(crate) type V = v128;

#[inline(always)]
pub(crate) const fn tbl(t: [u8; 16]) -> V {
    u8x16(
        t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13],
        t[14], t[15],
    )
}
#[inline(always)]
pub(crate) fn xor(a: V, b: V) -> V {
    v128_xor(a, b)
}
#[inline(always)]
pub(crate) fn and(a: V, b: V) -> V {
    v128_and(a, b)
}
/// Bytes of `t` at indices `i`; 0 where an index is 16 or more.
#[inline(always)]
pub(crate) fn swz(t: V, i: V) -> V {
    i8x16_swizzle(t, i)
}
#[inline(always)]
pub(crate) fn add(a: V, b: V) -> V {
    u8x16_add(a, b)
}
#[inline(always)]
pub(crate) fn sub(a: V, b: V) -> V {
    u8x16_sub(a, b)
}
#[inline(always)]
pub(crate) fn min(a: V, b: V) -> V {
    u8x16_min(a, b)
}
#[inline(always)]
pub(crate) fn shr4(a: V) -> V {
    u8x16_shr(a, 4)
}
#[inline(always)]
pub(crate) fn from_bytes(b: &[u8; 16]) -> V {
    let mut lo = [0u8; 8];
    let mut hi = [0u8; 8];
    lo.copy_from_slice(&b[..8]);
    hi.copy_from_slice(&b[8..]);
    u64x2(u64::from_le_bytes(lo), u64::from_le_bytes(hi))
}
#[inline(always)]
pub(crate) fn to_bytes(v: V) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&u64x2_extract_lane::<0>(v).to_le_bytes());
    b[8..].copy_from_slice(&u64x2_extract_lane::<1>(v).to_le_bytes());
    b
}

// The batch path (`bs`): 64-bit lane shifts (the bit transposition) and byte
// permutations by constant tables (`i8x16.shuffle`, indices in the code).
/// 0xff in every byte where a and b are equal, else 0.
#[inline(always)]
pub(crate) fn eq(a: V, b: V) -> V {
    u8x16_eq(a, b)
}
#[inline(always)]
pub(crate) fn shl64(a: V, n: u32) -> V {
    u64x2_shl(a, n)
}
#[inline(always)]
pub(crate) fn shr64(a: V, n: u32) -> V {
    u64x2_shr(a, n)
}
macro_rules! permutation {
    ($name:ident, $t:path) => {
        /// The bytes of `x` in the order of the table of the same name.
        #[inline(always)]
        pub(crate) fn $name(x: V) -> V {
            use $t as T;
            i8x16_shuffle::<
                { T[0] as usize },
                { T[1] as usize },
                { T[2] as usize },
                { T[3] as usize },
                { T[4] as usize },
                { T[5] as usize },
                { T[6] as usize },
                { T[7] as usize },
                { T[8] as usize },
                { T[9] as usize },
                { T[10] as usize },
                { T[11] as usize },
                { T[12] as usize },
                { T[13] as usize },
                { T[14] as usize },
                { T[15] as usize },
            >(x, x)
        }
    };
}
permutation!(shift_rows, crate::tables::SHIFT_ROWS);
permutation!(inv_shift_rows, crate::tables::INV_SHIFT_ROWS);
permutation!(rot1, crate::tables::ROT1);
permutation!(rot2, crate::tables::ROT2);
