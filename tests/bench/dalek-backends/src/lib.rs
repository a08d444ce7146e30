//! curve25519-dalek's field backends on wasm32 (issue 24): the operations sealpost's Ed25519 and
//! X25519 spend their time in, exported for tests/bench/dalek-backends/run.mjs, which builds this
//! crate once per backend and times each export in Node.
use curve25519_dalek::constants::ED25519_BASEPOINT_TABLE;
use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::montgomery::MontgomeryPoint;
use curve25519_dalek::scalar::Scalar;

fn scalar(i: u32) -> Scalar {
    let mut b = [7u8; 32];
    b[0..4].copy_from_slice(&i.to_le_bytes());
    Scalar::from_bytes_mod_order(b)
}

/// Fixed-base multiplications (Ed25519 keygen and signing), n times; returns a byte of the result.
#[no_mangle]
pub extern "C" fn mul_base(n: u32) -> u32 {
    let mut acc = 0u32;
    for i in 0..n {
        let p = &scalar(i) * ED25519_BASEPOINT_TABLE;
        acc ^= p.compress().as_bytes()[0] as u32;
    }
    acc
}

/// a*A + b*B, variable time (Ed25519 verification), n times.
#[no_mangle]
pub extern "C" fn double_mul(n: u32) -> u32 {
    let a = &scalar(99) * ED25519_BASEPOINT_TABLE;
    let mut acc = 0u32;
    for i in 0..n {
        let p = EdwardsPoint::vartime_double_scalar_mul_basepoint(&scalar(i), &a, &scalar(i + 1));
        acc ^= p.compress().as_bytes()[0] as u32;
    }
    acc
}

/// X25519 scalar multiplications, n times.
#[no_mangle]
pub extern "C" fn x25519(n: u32) -> u32 {
    let mut p = MontgomeryPoint([9u8; 32]);
    for i in 0..n {
        let mut k = [5u8; 32];
        k[0..4].copy_from_slice(&i.to_le_bytes());
        p = p.mul_clamped(k);
    }
    p.0[0] as u32
}
