//! The `cipher` 0.4 traits over `vaes` (wasm32 + simd128 only).

use crate::ops::{from_bytes, to_bytes, V};
use crate::vaes::Keys;
use crate::{Block, Core};
use cipher::{
    consts::{U16, U8},
    inout::InOut,
    BlockBackend, BlockClosure, BlockSizeUser, ParBlocks, ParBlocksSizeUser,
};

fn load(b: &Block) -> V {
    let a: &[u8; 16] = b.as_ref();
    from_bytes(a)
}
fn store(b: &mut Block, v: V) {
    b.copy_from_slice(&to_bytes(v));
}

/// The block functions of one key size, not generic: compiled here (at the
/// release profile's opt-level 3 for aes), not in the mode crate that calls.
pub(crate) trait Rounds {
    fn enc1(&self, b: &mut [V; 1]);
    fn enc8(&self, b: &mut [V; 8]);
    fn dec1(&self, b: &mut [V; 1]);
    fn dec8(&self, b: &mut [V; 8]);
}
macro_rules! rounds {
    ($n:literal) => {
        impl Rounds for Keys<$n> {
            #[inline(never)]
            fn enc1(&self, b: &mut [V; 1]) {
                self.encrypt(b)
            }
            #[inline(never)]
            fn enc8(&self, b: &mut [V; 8]) {
                self.encrypt(b)
            }
            #[inline(never)]
            fn dec1(&self, b: &mut [V; 1]) {
                self.decrypt(b)
            }
            #[inline(never)]
            fn dec8(&self, b: &mut [V; 8]) {
                self.decrypt(b)
            }
        }
    };
}
rounds!(11);
rounds!(13);
rounds!(15);

struct Enc<'a, K>(&'a K);
struct Dec<'a, K>(&'a K);

macro_rules! backend {
    ($t:ident, $one:ident, $many:ident) => {
        impl<K> BlockSizeUser for $t<'_, K> {
            type BlockSize = U16;
        }
        impl<K> ParBlocksSizeUser for $t<'_, K> {
            type ParBlocksSize = U8;
        }
        impl<K: Rounds> BlockBackend for $t<'_, K> {
            #[inline]
            fn proc_block(&mut self, mut block: InOut<'_, '_, Block>) {
                let mut v = [load(block.get_in())];
                self.0.$one(&mut v);
                store(block.get_out(), v[0]);
            }
            #[inline]
            fn proc_par_blocks(&mut self, mut blocks: InOut<'_, '_, ParBlocks<Self>>) {
                let input = blocks.get_in();
                let mut v = [
                    load(&input[0]),
                    load(&input[1]),
                    load(&input[2]),
                    load(&input[3]),
                    load(&input[4]),
                    load(&input[5]),
                    load(&input[6]),
                    load(&input[7]),
                ];
                self.0.$many(&mut v);
                let output = blocks.get_out();
                for (o, v) in output.iter_mut().zip(v) {
                    store(o, v);
                }
            }
        }
    };
}
backend!(Enc, enc1, enc8);
backend!(Dec, dec1, dec8);

impl<const N: usize> Core for Keys<N>
where
    Keys<N>: Rounds,
{
    fn new(key: &[u8]) -> Self {
        Keys::new(key)
    }
    fn encrypt(&self, f: impl BlockClosure<BlockSize = U16>) {
        f.call(&mut Enc(self))
    }
    fn decrypt(&self, f: impl BlockClosure<BlockSize = U16>) {
        f.call(&mut Dec(self))
    }
    #[cfg(feature = "zeroize")]
    fn wipe(&mut self) {
        self.zeroize()
    }
}

/// The key schedule of each key size.
pub(crate) type K128 = Keys<11>;
pub(crate) type K192 = Keys<13>;
pub(crate) type K256 = Keys<15>;
