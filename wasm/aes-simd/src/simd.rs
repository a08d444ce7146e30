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
/// The key schedules of both paths: single blocks through the vector
/// permutation AES (`vaes`, CFB encryption's one block per call), batches of
/// eight bitsliced (`bs`).  `--cfg aes_vperm_batch` runs batches through
/// `vaes` too (eight blocks interleaved), for A/B measurements only.
#[derive(Clone)]
pub(crate) struct Both<const N: usize> {
    one: Keys<N>,
    many: crate::bs::Keys<N>,
}

macro_rules! rounds {
    ($n:literal) => {
        impl Rounds for Both<$n> {
            #[inline(never)]
            fn enc1(&self, b: &mut [V; 1]) {
                self.one.encrypt(b)
            }
            #[inline(never)]
            fn enc8(&self, b: &mut [V; 8]) {
                #[cfg(not(aes_vperm_batch))]
                self.many.encrypt(b);
                #[cfg(aes_vperm_batch)]
                self.one.encrypt(b);
            }
            #[inline(never)]
            fn dec1(&self, b: &mut [V; 1]) {
                self.one.decrypt(b)
            }
            #[inline(never)]
            fn dec8(&self, b: &mut [V; 8]) {
                #[cfg(not(aes_vperm_batch))]
                self.many.decrypt(b);
                #[cfg(aes_vperm_batch)]
                self.one.decrypt(b);
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

impl<const N: usize> Core for Both<N>
where
    Both<N>: Rounds,
{
    fn new(key: &[u8]) -> Self {
        let one = Keys::new(key);
        let many = crate::bs::Keys::new(&one);
        Both { one, many }
    }
    fn encrypt(&self, f: impl BlockClosure<BlockSize = U16>) {
        f.call(&mut Enc(self))
    }
    fn decrypt(&self, f: impl BlockClosure<BlockSize = U16>) {
        f.call(&mut Dec(self))
    }
    #[cfg(feature = "zeroize")]
    fn wipe(&mut self) {
        self.one.zeroize();
        self.many.zeroize();
    }
}

/// The key schedule of each key size.
pub(crate) type K128 = Both<11>;
pub(crate) type K192 = Both<13>;
pub(crate) type K256 = Both<15>;
