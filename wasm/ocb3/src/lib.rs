//! OCB3 (RFC 7253) for sequoia's OCB mode, batched for bitsliced software AES.
//! Never: secret-dependent timing, or unauthenticated plaintext left in a buffer.
//!
//! It sits behind the API of crates.io's `ocb3` 0.1, which sequoia-openpgp's
//! pure-Rust backend uses for OpenPGP's OCB mode (SEIPDv2, RFC 9580
//! §5.13.2).  The root `Cargo.toml` patches it in; `README.md` here says why
//! and how it is checked.
//!
//! The reason it exists: a bitsliced AES — the constant-time software AES
//! that a wasm build gets, having no AES instructions — always computes a
//! batch of blocks (two on 32-bit targets), so a mode that enciphers one
//! block per call throws half of that work away.  OCB's offsets do not
//! depend on the data, so here the blocks of a message are enciphered
//! [`BATCH`] at a time, and XORs work on whole 128-bit words.
//!
//! Everything secret-dependent is constant time: the block cipher is the
//! caller's, offsets depend only on the key, nonce and block index, and the
//! tag is compared with `subtle`.  A failed decryption leaves zeros, never
//! unauthenticated plaintext, in the buffer.

#![no_std]

use core::marker::PhantomData;

use aead::generic_array::{ArrayLength, GenericArray};
use cipher::consts::{U0, U12, U16};
use cipher::{BlockCipher, BlockDecrypt, BlockEncrypt, BlockSizeUser, KeyInit, KeySizeUser};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

pub use aead::{self, AeadCore, AeadInPlace, Error, Key};

/// Type-level sizes, as `ocb3` 0.1 exports them.
pub mod consts {
    pub use cipher::consts::{U0, U12, U15, U16, U6};
}

/// An OCB nonce of `NonceSize` bytes (1 to 15).
pub type Nonce<NonceSize> = GenericArray<u8, NonceSize>;

/// An OCB tag of `TagSize` bytes (1 to 16).
pub type Tag<TagSize> = GenericArray<u8, TagSize>;

/// Blocks enciphered per call to the block cipher.  A multiple of every
/// bitsliced batch (2 or 4 for software AES) and of AES-NI's 8.
pub const BATCH: usize = 8;

/// Entries of the L table: messages (and associated data) of fewer than
/// 2^`L_TABLE` blocks, i.e. up to 1 TiB.  OpenPGP chunks are ≤ 4 MiB.
const L_TABLE: usize = 36;

type Block = GenericArray<u8, U16>;

#[inline(always)]
fn word(b: &[u8]) -> u128 {
    let mut a = [0u8; 16];
    a.copy_from_slice(b);
    u128::from_be_bytes(a)
}

/// A block's bytes as a u128 in the machine's byte order ("memory form"): XOR
/// does not care about byte order, so the per-block work (offsets, whitening,
/// checksums) runs in this form, with no byte swap per block (wasm has no
/// byte-swap instruction).  `mem` converts a big-endian word (RFC 7253's
/// arithmetic) to memory form and back (it is its own inverse).
#[inline(always)]
fn mem_word(b: &[u8]) -> u128 {
    let mut a = [0u8; 16];
    a.copy_from_slice(b);
    u128::from_ne_bytes(a)
}
#[inline(always)]
fn mem(x: u128) -> u128 {
    u128::from_ne_bytes(x.to_be_bytes())
}

/// Multiplication by x in GF(2^128) (RFC 7253 §2, `double`), constant time.
fn double(x: u128) -> u128 {
    (x << 1) ^ ((x >> 127) * 0x87)
}

/// A final partial block, padded with a one bit and zeros.
fn padded(part: &[u8]) -> u128 {
    let mut a = [0u8; 16];
    a[..part.len()].copy_from_slice(part);
    a[part.len()] = 0x80;
    let w = u128::from_be_bytes(a);
    a.zeroize();
    w
}

/// How many whole blocks `data` has; an error past the L table's reach.
fn full_blocks(data: &[u8]) -> Result<usize, Error> {
    let full = data.len() / 16;
    if full as u64 >= 1 << L_TABLE {
        return Err(Error);
    }
    Ok(full)
}

/// Clears what passed through the cipher (plaintext, keystream, offsets).
fn wipe(batch: &mut [Block; BATCH], offsets: &mut [u128; BATCH]) {
    for b in batch.iter_mut() {
        b.as_mut_slice().zeroize();
    }
    offsets.zeroize();
}

// The per-block work around the cipher, kept out of the generic code: the
// generic functions are compiled where they are instantiated (in sequoia,
// built for size), these are compiled here, for speed.

/// For the (up to [`BATCH`]) blocks of `data`: advances the offset, keeps
/// each block's offset, and fills the cipher's input (block xor offset);
/// adds the blocks to `checksum` if given (encryption: plaintext in).
#[inline(never)]
fn whiten_in(
    l: &[u128; L_TABLE],
    offset: &mut u128,
    i: &mut usize,
    data: &[u8],
    offsets: &mut [u128; BATCH],
    batch: &mut [Block; BATCH],
    checksum: Option<&mut u128>,
) {
    // l, offsets: memory form; offset, checksum: big-endian words
    let n = data.len() / 16;
    let mut sum = 0u128;
    let mut off = mem(*offset);
    for j in 0..n {
        *i += 1;
        off ^= l[i.trailing_zeros() as usize];
        offsets[j] = off;
        let x = mem_word(&data[16 * j..16 * j + 16]);
        sum ^= x;
        batch[j] = Block::from((x ^ off).to_ne_bytes());
    }
    *offset = mem(off);
    off.zeroize();
    if let Some(c) = checksum {
        *c ^= mem(sum);
    }
}

/// Writes the cipher's output xor each block's offset to `out`; adds the
/// results to `checksum` if given (decryption: plaintext out).
#[inline(never)]
fn whiten_out(
    batch: &[Block; BATCH],
    offsets: &[u128; BATCH],
    out: &mut [u8],
    checksum: Option<&mut u128>,
) {
    let n = out.len() / 16;
    let mut sum = 0u128;
    for j in 0..n {
        let y = mem_word(&batch[j]) ^ offsets[j];
        sum ^= y;
        out[16 * j..16 * j + 16].copy_from_slice(&y.to_ne_bytes());
    }
    if let Some(c) = checksum {
        *c ^= mem(sum);
    }
}

/// OCB3 over the 128-bit block cipher `C`, with `NonceSize`-byte nonces and
/// `TagSize`-byte tags (the defaults are RFC 7253's).
pub struct Ocb3<C, NonceSize = U12, TagSize = U16> {
    cipher: C,
    l_star: u128,
    l_dollar: u128,
    /// L_0, L_1, … in memory form (see `mem`).
    l: [u128; L_TABLE],
    sizes: PhantomData<(NonceSize, TagSize)>,
}

impl<C, N, T> Drop for Ocb3<C, N, T> {
    fn drop(&mut self) {
        self.l_star.zeroize();
        self.l_dollar.zeroize();
        self.l.zeroize();
    }
}

impl<C, N, T> From<C> for Ocb3<C, N, T>
where
    C: BlockCipher + BlockSizeUser<BlockSize = U16> + BlockEncrypt,
{
    fn from(cipher: C) -> Self {
        let mut zero = Block::default();
        cipher.encrypt_block(&mut zero);
        let l_star = word(&zero);
        let l_dollar = double(l_star);
        let mut l = [0u128; L_TABLE];
        let mut x = l_dollar;
        for e in l.iter_mut() {
            x = double(x);
            *e = mem(x);
        }
        x.zeroize();
        Ocb3 {
            cipher,
            l_star,
            l_dollar,
            l,
            sizes: PhantomData,
        }
    }
}

impl<C, N, T> KeySizeUser for Ocb3<C, N, T>
where
    C: KeySizeUser,
{
    type KeySize = C::KeySize;
}

impl<C, N, T> KeyInit for Ocb3<C, N, T>
where
    C: BlockCipher + BlockSizeUser<BlockSize = U16> + BlockEncrypt + KeyInit,
{
    fn new(key: &Key<Self>) -> Self {
        C::new(key).into()
    }
}

impl<C, N, T> AeadCore for Ocb3<C, N, T>
where
    N: ArrayLength<u8>,
    T: ArrayLength<u8>,
{
    type NonceSize = N;
    type TagSize = T;
    type CiphertextOverhead = U0;
}

/// Which way the blocks go.
#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Encrypt,
    Decrypt,
}

impl<C, N, T> Ocb3<C, N, T>
where
    C: BlockCipher + BlockSizeUser<BlockSize = U16> + BlockEncrypt,
    N: ArrayLength<u8>,
    T: ArrayLength<u8>,
{
    fn encipher(&self, x: u128) -> u128 {
        let mut b = Block::from(x.to_be_bytes());
        self.cipher.encrypt_block(&mut b);
        let w = word(&b);
        b.as_mut_slice().zeroize();
        w
    }

    /// Offset_0 from the nonce (RFC 7253 §4.2).
    fn initial_offset(&self, nonce: &[u8]) -> Result<u128, Error> {
        let (n, t) = (nonce.len(), T::USIZE);
        if !(1..=15).contains(&n) || !(1..=16).contains(&t) {
            return Err(Error);
        }
        // num2str(TAGLEN mod 128, 7) || zeros || 1 || N
        let mut block = [0u8; 16];
        block[16 - n..].copy_from_slice(nonce);
        block[15 - n] |= 1;
        block[0] |= (((t * 8) % 128) as u8) << 1;
        let bottom = u32::from(block[15] & 0x3f);
        block[15] &= 0xc0;
        let ktop = self.encipher(u128::from_be_bytes(block));
        // Stretch = Ktop || (Ktop[1..64] xor Ktop[9..72]); Offset_0 is its
        // bits bottom+1 .. bottom+128.
        let stretch = (ktop >> 64) as u64 ^ (ktop >> 56) as u64;
        Ok(if bottom == 0 {
            ktop
        } else {
            (ktop << bottom) | (u128::from(stretch) >> (64 - bottom))
        })
    }

    /// HASH(K, A) (RFC 7253 §4.1).
    fn hash(&self, ad: &[u8]) -> Result<u128, Error> {
        let full = full_blocks(ad)?;
        let (mut sum, mut offset, mut i) = (0u128, 0u128, 0usize);
        let mut batch = [Block::default(); BATCH];
        let mut offsets = [0u128; BATCH];
        for group in ad[..full * 16].chunks(16 * BATCH) {
            let n = group.len() / 16;
            whiten_in(
                &self.l,
                &mut offset,
                &mut i,
                group,
                &mut offsets,
                &mut batch,
                None,
            );
            self.cipher.encrypt_blocks(&mut batch[..n]);
            sum ^= mem(batch[..n].iter().fold(0, |s, b| s ^ mem_word(b)));
        }
        wipe(&mut batch, &mut offsets);
        let rest = &ad[full * 16..];
        if !rest.is_empty() {
            offset ^= self.l_star;
            sum ^= self.encipher(padded(rest) ^ offset);
        }
        Ok(sum)
    }

    /// Enciphers or deciphers `buffer` in place; returns the full tag.
    fn crypt(
        &self,
        nonce: &[u8],
        ad: &[u8],
        buffer: &mut [u8],
        dir: Direction,
    ) -> Result<u128, Error>
    where
        C: BlockDecrypt,
    {
        let full = full_blocks(buffer)?;
        let mut offset = self.initial_offset(nonce)?;
        let mut checksum = 0u128;
        let mut i = 0usize;
        let mut batch = [Block::default(); BATCH];
        let mut offsets = [0u128; BATCH];
        for group in buffer[..full * 16].chunks_mut(16 * BATCH) {
            let n = group.len() / 16;
            let sum = (dir == Direction::Encrypt).then_some(&mut checksum);
            whiten_in(
                &self.l,
                &mut offset,
                &mut i,
                group,
                &mut offsets,
                &mut batch,
                sum,
            );
            match dir {
                Direction::Encrypt => self.cipher.encrypt_blocks(&mut batch[..n]),
                Direction::Decrypt => self.cipher.decrypt_blocks(&mut batch[..n]),
            }
            let sum = (dir == Direction::Decrypt).then_some(&mut checksum);
            whiten_out(&batch, &offsets, group, sum);
        }
        wipe(&mut batch, &mut offsets);
        let rest = &mut buffer[full * 16..];
        if !rest.is_empty() {
            offset ^= self.l_star;
            let mut pad = self.encipher(offset).to_be_bytes();
            if dir == Direction::Encrypt {
                checksum ^= padded(rest);
            }
            for (x, p) in rest.iter_mut().zip(pad.iter()) {
                *x ^= p;
            }
            if dir == Direction::Decrypt {
                checksum ^= padded(rest);
            }
            pad.zeroize();
        }
        let tag = self.encipher(checksum ^ offset ^ self.l_dollar) ^ self.hash(ad)?;
        checksum.zeroize();
        Ok(tag)
    }
}

impl<C, N, T> AeadInPlace for Ocb3<C, N, T>
where
    C: BlockCipher + BlockSizeUser<BlockSize = U16> + BlockEncrypt + BlockDecrypt,
    N: ArrayLength<u8>,
    T: ArrayLength<u8>,
{
    fn encrypt_in_place_detached(
        &self,
        nonce: &Nonce<N>,
        associated_data: &[u8],
        buffer: &mut [u8],
    ) -> Result<Tag<T>, Error> {
        let tag = self.crypt(nonce, associated_data, buffer, Direction::Encrypt)?;
        Ok(GenericArray::clone_from_slice(
            &tag.to_be_bytes()[..T::USIZE],
        ))
    }

    fn decrypt_in_place_detached(
        &self,
        nonce: &Nonce<N>,
        associated_data: &[u8],
        buffer: &mut [u8],
        tag: &Tag<T>,
    ) -> Result<(), Error> {
        let expected = match self.crypt(nonce, associated_data, buffer, Direction::Decrypt) {
            Ok(t) => t.to_be_bytes(),
            Err(e) => {
                buffer.zeroize();
                return Err(e);
            }
        };
        if bool::from(expected[..T::USIZE].ct_eq(tag.as_slice())) {
            Ok(())
        } else {
            buffer.zeroize();
            Err(Error)
        }
    }
}
