//! sealpost's `aes`: the API of crates.io's `aes` 0.8 (`Aes128`/`Aes192`/`Aes256`,
//! their `…Enc`/`…Dec` halves, `Block`, `Block8`, `cipher`), patched in for
//! sequoia-openpgp, `aes-gcm`, `eax`, `cfb-mode` and our `ocb3` by the root
//! `Cargo.toml`.
//!
//! - On wasm32 with `simd128` (sealpost's wasm builds): a constant-time AES on
//!   wasm's 128-bit vectors (`vaes`), one block per vector, batches of eight.
//! - Everywhere else: the published `aes` crate's AES (0.7.5: AES-NI or ARMv8
//!   AES where the CPU has it, its fixsliced software AES otherwise), `native`.
#![no_std]

pub use cipher;
use cipher::{
    consts::{U16, U8},
    generic_array::GenericArray,
};

/// An AES block.
pub type Block = GenericArray<u8, U16>;
/// Eight AES blocks.
pub type Block8 = GenericArray<Block, U8>;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[path = "ops_wasm.rs"]
mod ops;
#[cfg(all(
    any(test, feature = "portable-check"),
    not(all(target_arch = "wasm32", target_feature = "simd128"))
))]
#[path = "ops_portable.rs"]
mod ops;

#[cfg(any(
    test,
    feature = "portable-check",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
mod bs;
#[cfg(any(
    test,
    feature = "portable-check",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
mod bs_sbox;
#[cfg(any(
    test,
    feature = "portable-check",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
mod tables;
#[cfg(any(
    test,
    feature = "portable-check",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
mod vaes;

mod api;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod native;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd;
pub use api::{
    Aes128, Aes128Dec, Aes128Enc, Aes192, Aes192Dec, Aes192Enc, Aes256, Aes256Dec, Aes256Enc,
};

/// A key schedule that runs `cipher`'s block closures.
trait Core: Clone {
    fn new(key: &[u8]) -> Self;
    fn encrypt(&self, f: impl cipher::BlockClosure<BlockSize = U16>);
    fn decrypt(&self, f: impl cipher::BlockClosure<BlockSize = U16>);
    #[cfg(feature = "zeroize")]
    fn wipe(&mut self);
}

/// Tests only (feature `portable-check`): the vector algorithm block by block
/// (natively on a portable model of the wasm instructions).
#[cfg(any(test, feature = "portable-check"))]
#[doc(hidden)]
pub mod portable_check {
    use crate::ops::{from_bytes, to_bytes};
    use crate::vaes::Keys;

    fn run<const N: usize>(key: &[u8], block: &[u8; 16], decrypt: bool) -> [u8; 16] {
        let keys = Keys::<N>::new(key);
        let mut v = [from_bytes(block)];
        if decrypt {
            keys.decrypt(&mut v);
        } else {
            keys.encrypt(&mut v);
        }
        to_bytes(v[0])
    }

    /// Enciphers (or deciphers) one block with a 16-, 24- or 32-byte key.
    pub fn cipher(key: &[u8], block: &[u8; 16], decrypt: bool) -> [u8; 16] {
        match key.len() {
            16 => run::<11>(key, block, decrypt),
            24 => run::<13>(key, block, decrypt),
            32 => run::<15>(key, block, decrypt),
            _ => panic!("key size"),
        }
    }

    /// The S-box of all 256 byte values.
    pub fn sbox() -> [u8; 256] {
        crate::vaes::sbox_all()
    }

    /// The batch path's (bitsliced) S-box circuit, or its inverse's, on all
    /// 256 byte values.
    pub fn sbox_bitsliced(inverse: bool) -> [u8; 256] {
        crate::bs::sbox_all(inverse)
    }

    fn run8<const N: usize>(key: &[u8], blocks: &mut [[u8; 16]; 8], decrypt: bool) {
        let keys = Keys::<N>::new(key);
        let bs = crate::bs::Keys::new(&keys);
        let mut v = blocks.map(|b| from_bytes(&b));
        if decrypt {
            bs.decrypt(&mut v);
        } else {
            bs.encrypt(&mut v);
        }
        *blocks = v.map(to_bytes);
    }

    /// Enciphers (or deciphers) eight blocks with the batch (bitsliced) path.
    pub fn cipher8(key: &[u8], blocks: &mut [[u8; 16]; 8], decrypt: bool) {
        match key.len() {
            16 => run8::<11>(key, blocks, decrypt),
            24 => run8::<13>(key, blocks, decrypt),
            32 => run8::<15>(key, blocks, decrypt),
            _ => panic!("key size"),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fips197_appendix_c_1() {
        let key: [u8; 16] = core::array::from_fn(|i| i as u8);
        let pt: [u8; 16] = core::array::from_fn(|i| (i as u8) * 0x11);
        let ct = [
            0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30, 0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4,
            0xc5, 0x5a,
        ];
        assert_eq!(crate::portable_check::cipher(&key, &pt, false), ct);
        assert_eq!(crate::portable_check::cipher(&key, &ct, true), pt);
        let mut eight = [pt; 8];
        eight[5] = [0; 16];
        let mut want = [ct; 8];
        want[5] = crate::portable_check::cipher(&key, &[0; 16], false);
        crate::portable_check::cipher8(&key, &mut eight, false);
        assert_eq!(eight, want);
        crate::portable_check::cipher8(&key, &mut eight, true);
        assert_eq!(eight[0], pt);
        assert_eq!(eight[5], [0; 16]);
    }

    #[test]
    fn bitsliced_sbox_all_values() {
        let s = crate::portable_check::sbox();
        assert_eq!(crate::portable_check::sbox_bitsliced(false), s);
        let inv = crate::portable_check::sbox_bitsliced(true);
        for x in 0..=255u8 {
            assert_eq!(inv[s[x as usize] as usize], x, "S^-1(S({x:#04x}))");
        }
    }
}
