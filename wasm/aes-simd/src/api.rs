//! The published crate's public types (`Aes128`, `Aes128Enc`, `Aes128Dec`, …)
//! and their `cipher` 0.4 traits, over a `Core` (a key schedule that can run
//! a `BlockClosure`): `simd::Keys` on wasm32 + simd128, `native::Native`
//! elsewhere.

use crate::Core;
use cipher::{
    consts::{U16, U24, U32},
    AlgorithmName, BlockCipher, BlockClosure, BlockDecrypt, BlockEncrypt, BlockSizeUser, Key,
    KeyInit, KeySizeUser,
};
use core::fmt;

macro_rules! aes {
    ($name:ident, $enc:ident, $dec:ident, $key:ty, $core:ty, $doc:literal) => {
        #[doc = concat!($doc, " block cipher")]
        #[derive(Clone)]
        pub struct $name {
            keys: $core,
        }
        impl KeySizeUser for $name {
            type KeySize = $key;
        }
        impl KeyInit for $name {
            #[inline]
            fn new(key: &Key<Self>) -> Self {
                Self {
                    keys: <$core as Core>::new(key.as_slice()),
                }
            }
        }
        impl BlockSizeUser for $name {
            type BlockSize = U16;
        }
        impl BlockCipher for $name {}
        impl BlockEncrypt for $name {
            fn encrypt_with_backend(&self, f: impl BlockClosure<BlockSize = U16>) {
                Core::encrypt(&self.keys, f)
            }
        }
        impl BlockDecrypt for $name {
            fn decrypt_with_backend(&self, f: impl BlockClosure<BlockSize = U16>) {
                Core::decrypt(&self.keys, f)
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), " { .. }"))
            }
        }
        impl AlgorithmName for $name {
            fn write_alg_name(f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(stringify!($name))
            }
        }
        impl Drop for $name {
            fn drop(&mut self) {
                #[cfg(feature = "zeroize")]
                self.keys.wipe();
            }
        }
        #[cfg(feature = "zeroize")]
        impl zeroize::ZeroizeOnDrop for $name {}

        #[doc = concat!($doc, " block cipher (encrypt-only)")]
        #[derive(Clone)]
        pub struct $enc {
            inner: $name,
        }
        #[doc = concat!($doc, " block cipher (decrypt-only)")]
        #[derive(Clone)]
        pub struct $dec {
            inner: $name,
        }
        impl From<$enc> for $name {
            fn from(e: $enc) -> $name {
                e.inner
            }
        }
        impl From<&$enc> for $name {
            fn from(e: &$enc) -> $name {
                e.inner.clone()
            }
        }
        impl From<$enc> for $dec {
            fn from(e: $enc) -> $dec {
                $dec { inner: e.inner }
            }
        }
        impl From<&$enc> for $dec {
            fn from(e: &$enc) -> $dec {
                $dec {
                    inner: e.inner.clone(),
                }
            }
        }
        impl BlockEncrypt for $enc {
            fn encrypt_with_backend(&self, f: impl BlockClosure<BlockSize = U16>) {
                self.inner.encrypt_with_backend(f)
            }
        }
        impl BlockDecrypt for $dec {
            fn decrypt_with_backend(&self, f: impl BlockClosure<BlockSize = U16>) {
                self.inner.decrypt_with_backend(f)
            }
        }
        aes!(@half $enc, $key);
        aes!(@half $dec, $key);
    };
    (@half $half:ident, $key:ty) => {
        impl KeySizeUser for $half {
            type KeySize = $key;
        }
        impl KeyInit for $half {
            #[inline]
            fn new(key: &Key<Self>) -> Self {
                Self {
                    inner: KeyInit::new(key),
                }
            }
        }
        impl BlockSizeUser for $half {
            type BlockSize = U16;
        }
        impl BlockCipher for $half {}
        impl fmt::Debug for $half {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($half), " { .. }"))
            }
        }
        impl AlgorithmName for $half {
            fn write_alg_name(f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(stringify!($half))
            }
        }
        #[cfg(feature = "zeroize")]
        impl zeroize::ZeroizeOnDrop for $half {}
    };
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
use crate::native::{K128, K192, K256};
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use crate::simd::{K128, K192, K256};

aes!(Aes128, Aes128Enc, Aes128Dec, U16, K128, "AES-128");
aes!(Aes192, Aes192Enc, Aes192Dec, U24, K192, "AES-192");
aes!(Aes256, Aes256Enc, Aes256Dec, U32, K256, "AES-256");
