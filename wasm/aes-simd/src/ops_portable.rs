//! A plain-Rust model of the few wasm simd128 instructions the algorithm uses,
//! so that it can be checked natively (feature `portable-check`, tests only).
//! Its `swz` indexes memory and branches: it is NOT constant time and never
//! used by the cipher types.

#[derive(Clone, Copy)]
pub(crate) struct V([u8; 16]);

pub(crate) const fn tbl(t: [u8; 16]) -> V {
    V(t)
}
fn map2(a: V, b: V, f: impl Fn(u8, u8) -> u8) -> V {
    let mut r = [0u8; 16];
    for (i, r) in r.iter_mut().enumerate() {
        *r = f(a.0[i], b.0[i]);
    }
    V(r)
}
pub(crate) fn xor(a: V, b: V) -> V {
    map2(a, b, |x, y| x ^ y)
}
pub(crate) fn and(a: V, b: V) -> V {
    map2(a, b, |x, y| x & y)
}
pub(crate) fn swz(t: V, i: V) -> V {
    map2(t, i, |_, k| if k < 16 { t.0[k as usize] } else { 0 })
}
pub(crate) fn add(a: V, b: V) -> V {
    map2(a, b, u8::wrapping_add)
}
pub(crate) fn sub(a: V, b: V) -> V {
    map2(a, b, u8::wrapping_sub)
}
pub(crate) fn min(a: V, b: V) -> V {
    map2(a, b, core::cmp::min)
}
pub(crate) fn shr4(a: V) -> V {
    map2(a, a, |x, _| x >> 4)
}
pub(crate) fn from_bytes(b: &[u8; 16]) -> V {
    V(*b)
}
pub(crate) fn to_bytes(v: V) -> [u8; 16] {
    v.0
}

fn lanes(a: V, f: impl Fn(u64) -> u64) -> V {
    let mut r = [0u8; 16];
    for (o, i) in r.chunks_mut(8).zip(a.0.chunks(8)) {
        let mut w = [0u8; 8];
        w.copy_from_slice(i);
        o.copy_from_slice(&f(u64::from_le_bytes(w)).to_le_bytes());
    }
    V(r)
}
pub(crate) fn eq(a: V, b: V) -> V {
    map2(a, b, |x, y| if x == y { 0xff } else { 0 })
}
pub(crate) fn shl64(a: V, n: u32) -> V {
    lanes(a, |w| w << n)
}
pub(crate) fn shr64(a: V, n: u32) -> V {
    lanes(a, |w| w >> n)
}
pub(crate) fn shift_rows(x: V) -> V {
    swz(x, V(crate::tables::SHIFT_ROWS))
}
pub(crate) fn inv_shift_rows(x: V) -> V {
    swz(x, V(crate::tables::INV_SHIFT_ROWS))
}
pub(crate) fn rot1(x: V) -> V {
    swz(x, V(crate::tables::ROT1))
}
pub(crate) fn rot2(x: V) -> V {
    swz(x, V(crate::tables::ROT2))
}
