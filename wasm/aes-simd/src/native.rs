//! Everywhere but wasm32 + simd128: the published `aes` crate's AES (AES-NI or
//! ARMv8 AES when the CPU has it, constant-time fixsliced software AES
//! otherwise) behind the 0.8 API.  It has to be aes 0.7: cargo allows one
//! crates.io `aes` 0.8 in a build, and the root [patch] makes that this crate.
//! aes 0.7 cannot zeroize its round keys on drop (it has no such feature);
//! the wasm build, the one that ships, does.

use crate::{Block, Core};
use aes07::cipher::NewBlockCipher;
use cipher::{
    consts::{U16, U8},
    generic_array::GenericArray,
    inout::InOut,
    BlockBackend, BlockClosure, BlockSizeUser, ParBlocks, ParBlocksSizeUser,
};

#[derive(Clone)]
pub(crate) struct Native<C>(C);

struct Enc<'a, C>(&'a C);
struct Dec<'a, C>(&'a C);

macro_rules! backend {
    ($t:ident, $one:ident, $many:ident) => {
        impl<C> BlockSizeUser for $t<'_, C> {
            type BlockSize = U16;
        }
        impl<C> ParBlocksSizeUser for $t<'_, C> {
            type ParBlocksSize = U8;
        }
        impl<C: aes07::cipher::BlockEncrypt + aes07::cipher::BlockDecrypt> BlockBackend
            for $t<'_, C>
        where
            C: aes07::cipher::BlockCipher<BlockSize = U16>,
        {
            #[inline]
            fn proc_block(&mut self, mut block: InOut<'_, '_, Block>) {
                let mut b = *block.get_in();
                self.0.$one(&mut b);
                *block.get_out() = b;
            }
            #[inline]
            fn proc_par_blocks(&mut self, mut blocks: InOut<'_, '_, ParBlocks<Self>>) {
                let mut b = blocks.get_in().clone();
                self.0.$many(&mut b[..]);
                *blocks.get_out() = b;
            }
        }
    };
}
backend!(Enc, encrypt_block, encrypt_blocks);
backend!(Dec, decrypt_block, decrypt_blocks);

impl<C> Core for Native<C>
where
    C: NewBlockCipher
        + aes07::cipher::BlockCipher<BlockSize = U16>
        + aes07::cipher::BlockEncrypt
        + aes07::cipher::BlockDecrypt
        + Clone,
{
    fn new(key: &[u8]) -> Self {
        Native(C::new(GenericArray::from_slice(key)))
    }
    fn encrypt(&self, f: impl BlockClosure<BlockSize = U16>) {
        f.call(&mut Enc(&self.0))
    }
    fn decrypt(&self, f: impl BlockClosure<BlockSize = U16>) {
        f.call(&mut Dec(&self.0))
    }
    #[cfg(feature = "zeroize")]
    fn wipe(&mut self) {}
}

pub(crate) type K128 = Native<aes07::Aes128>;
pub(crate) type K192 = Native<aes07::Aes192>;
pub(crate) type K256 = Native<aes07::Aes256>;
