//! wasm/aes-simd against the FIPS-197 and SP 800-38A vectors and, differentially,
//! against crates.io's aes 0.8.4: every key size, random keys and blocks, every
//! batch length up to 40 and a few long ones (the 8-block batches and the
//! single-block tail), in place and out of place, encrypt and decrypt, and
//! CFB (sequoia's SEIPDv1, one block per call).  On wasm32 this runs the
//! shipped simd128 code in Node; natively the same algorithm on a portable
//! model of the instructions (`ours::portable_check`) and the re-exported
//! published crate.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use cipher::{
    generic_array::GenericArray, AsyncStreamCipher, BlockDecrypt, BlockEncrypt, KeyInit, KeyIvInit,
};
use ours::cipher;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

struct Rng(u64);
impl Rng {
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n)
            .map(|_| {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                (self.0 >> 24) as u8
            })
            .collect()
    }
}

/// Enciphers `pt` (whole blocks) as ECB with our type for the key's size.
fn ecb(key: &[u8], data: &[u8], decrypt: bool) -> Vec<u8> {
    let mut blocks: Vec<_> = data
        .chunks(16)
        .map(|c| *GenericArray::from_slice(c))
        .collect();
    macro_rules! go {
        ($c:ty) => {{
            let c = <$c>::new_from_slice(key).expect("key");
            if decrypt {
                c.decrypt_blocks(&mut blocks)
            } else {
                c.encrypt_blocks(&mut blocks)
            }
        }};
    }
    match key.len() {
        16 => go!(ours::Aes128),
        24 => go!(ours::Aes192),
        _ => go!(ours::Aes256),
    }
    blocks.concat()
}

fn ecb_reference(key: &[u8], data: &[u8], decrypt: bool) -> Vec<u8> {
    let mut blocks: Vec<_> = data
        .chunks(16)
        .map(|c| *GenericArray::from_slice(c))
        .collect();
    macro_rules! go {
        ($c:ty) => {{
            let c = <$c>::new_from_slice(key).expect("key");
            if decrypt {
                c.decrypt_blocks(&mut blocks)
            } else {
                c.encrypt_blocks(&mut blocks)
            }
        }};
    }
    match key.len() {
        16 => go!(reference::Aes128),
        24 => go!(reference::Aes192),
        _ => go!(reference::Aes256),
    }
    blocks.concat()
}

/// The vector algorithm block by block (portable model natively).
fn one_by_one(key: &[u8], data: &[u8], decrypt: bool) -> Vec<u8> {
    data.chunks(16)
        .flat_map(|c| {
            let mut b = [0u8; 16];
            b.copy_from_slice(c);
            ours::portable_check::cipher(key, &b, decrypt)
        })
        .collect()
}

fn check_ecb(key: &str, pt: &str, ct: &str) {
    let (key, pt, ct) = (hex(key), hex(pt), hex(ct));
    assert_eq!(ecb_reference(&key, &pt, false), ct, "vector text");
    assert_eq!(ecb(&key, &pt, false), ct, "encrypt");
    assert_eq!(ecb(&key, &ct, true), pt, "decrypt");
    assert_eq!(one_by_one(&key, &pt, false), ct, "encrypt, block by block");
    assert_eq!(one_by_one(&key, &ct, true), pt, "decrypt, block by block");
}

#[test]
fn fips197_appendix_c() {
    let pt = "00112233445566778899aabbccddeeff";
    check_ecb(
        "000102030405060708090a0b0c0d0e0f",
        pt,
        "69c4e0d86a7b0430d8cdb78070b4c55a",
    );
    check_ecb(
        "000102030405060708090a0b0c0d0e0f1011121314151617",
        pt,
        "dda97ca4864cdfe06eaf70a0ec0d7191",
    );
    check_ecb(
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        pt,
        "8ea2b7ca516745bfeafc49904b496089",
    );
}

const SP800_38A_PT: &str = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
const SP800_38A_KEYS: [&str; 3] = [
    "2b7e151628aed2a6abf7158809cf4f3c",
    "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
    "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
];

#[test]
fn sp800_38a_ecb() {
    // F.1.1/F.1.2, F.1.3/F.1.4, F.1.5/F.1.6
    let ct = [
        "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4",
        "bd334f1d6e45f25ff712a214571fa5cc974104846d0ad3ad7734ecb3ecee4eefef7afd2270e2e60adce0ba2face6444e9a4b41ba738d6c72fb16691603c18e0e",
        "f3eed1bdb5d2a03c064b5a7e3db181f8591ccb10d410ed26dc5ba74a31362870b6ed21b99ca6f4f9f153e7b1beafed1d23304b7a39f9f3ff067d8d8f9e24ecc7",
    ];
    for (key, ct) in SP800_38A_KEYS.iter().zip(ct) {
        check_ecb(key, SP800_38A_PT, ct);
    }
}

#[test]
fn sp800_38a_cfb128() {
    // F.3.13/F.3.14 (AES-128), F.3.15/F.3.16, F.3.17/F.3.18
    let iv = hex("000102030405060708090a0b0c0d0e0f");
    let ct = [
        "3b3fd92eb72dad20333449f8e83cfb4ac8a64537a0b3a93fcde3cdad9f1ce58b26751f67a3cbb140b1808cf187a4f4dfc04b05357c5d1c0eeac4c66f9ff7f2e6",
        "cdc80d6fddf18cab34c25909c99a417467ce7f7f81173621961a2b70171d3d7a2e1e8a1dd59b88b1c8e60fed1efac4c9c05f9f9ca9834fa042ae8fba584b09ff",
        "dc7e84bfda79164b7ecd8486985d386039ffed143b28b1c832113c6331e5407bdf10132415e54b92a13ed0a8267ae2f975a385741ab9cef82031623d55b1e471",
    ];
    for (key, ct) in SP800_38A_KEYS.iter().zip(ct) {
        let (key, pt, ct) = (hex(key), hex(SP800_38A_PT), hex(ct));
        macro_rules! go {
            ($c:ty, $r:ty) => {{
                let mut buf = pt.clone();
                cfb_mode::Encryptor::<$r>::new_from_slices(&key, &iv)
                    .expect("key")
                    .encrypt(&mut buf);
                assert_eq!(buf, ct, "vector text");
                let mut buf = pt.clone();
                cfb_mode::Encryptor::<$c>::new_from_slices(&key, &iv)
                    .expect("key")
                    .encrypt(&mut buf);
                assert_eq!(buf, ct, "CFB encrypt");
                cfb_mode::Decryptor::<$c>::new_from_slices(&key, &iv)
                    .expect("key")
                    .decrypt(&mut buf);
                assert_eq!(buf, pt, "CFB decrypt");
            }};
        }
        match key.len() {
            16 => go!(ours::Aes128, reference::Aes128),
            24 => go!(ours::Aes192, reference::Aes192),
            _ => go!(ours::Aes256, reference::Aes256),
        }
    }
}

#[test]
fn sbox_all_values() {
    // The S-box by its definition (x^254, then the affine map), computed
    // here independently of the crate under test.
    fn mul(mut a: u8, mut b: u8) -> u8 {
        let mut r = 0;
        while b != 0 {
            if b & 1 != 0 {
                r ^= a;
            }
            a = (a << 1) ^ if a & 0x80 != 0 { 0x1b } else { 0 };
            b >>= 1;
        }
        r
    }
    let s = ours::portable_check::sbox();
    for x in 0..=255u8 {
        let mut inv = 1u8;
        for _ in 0..254 {
            inv = mul(inv, x);
        }
        let want = inv
            ^ inv.rotate_left(1)
            ^ inv.rotate_left(2)
            ^ inv.rotate_left(3)
            ^ inv.rotate_left(4)
            ^ 0x63;
        assert_eq!(s[x as usize], want, "S({x:#04x})");
    }
}

#[test]
fn differential_random_and_edges() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let lengths: Vec<usize> = (0..=40).chain([63, 64, 65, 100, 257]).collect();
    for key_len in [16, 24, 32] {
        let mut keys = vec![vec![0u8; key_len], vec![0xff; key_len]];
        keys.extend((0..6).map(|_| rng.bytes(key_len)));
        for key in &keys {
            for &n in &lengths {
                let data = match n % 3 {
                    0 => rng.bytes(16 * n),
                    1 => vec![0u8; 16 * n],
                    _ => vec![0xffu8; 16 * n],
                };
                let want = ecb_reference(key, &data, false);
                assert_eq!(ecb(key, &data, false), want, "encrypt {key_len} {n}");
                assert_eq!(
                    ecb(key, &data, true),
                    ecb_reference(key, &data, true),
                    "decrypt {key_len} {n}"
                );
                assert_eq!(ecb(key, &want, true), data, "round trip {key_len} {n}");
                if n < 3 {
                    assert_eq!(
                        one_by_one(key, &data, false),
                        want,
                        "block by block {key_len} {n}"
                    );
                }
            }
        }
    }
}

/// The batch path itself (eight blocks, bitsliced; natively on the portable
/// model, on wasm32 the shipped code) against aes 0.8.4: every key size,
/// all-zero, all-ones and random keys, random blocks and the edges (all-zero,
/// all-ones and mixed blocks in one batch), both directions.
#[test]
fn batch_path_differential() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for key_len in [16, 24, 32] {
        let mut keys = vec![vec![0u8; key_len], vec![0xff; key_len]];
        keys.extend((0..10).map(|_| rng.bytes(key_len)));
        for key in &keys {
            for round in 0..4 {
                let data = match round {
                    0 => vec![0u8; 128],
                    1 => vec![0xffu8; 128],
                    2 => [vec![0u8; 48], vec![0xffu8; 32], rng.bytes(48)].concat(),
                    _ => rng.bytes(128),
                };
                let mut blocks = [[0u8; 16]; 8];
                for (b, c) in blocks.iter_mut().zip(data.chunks(16)) {
                    b.copy_from_slice(c);
                }
                let want = ecb_reference(key, &data, false);
                let mut enc = blocks;
                ours::portable_check::cipher8(key, &mut enc, false);
                assert_eq!(enc.concat(), want, "encrypt {key_len} {round}");
                let mut dec = blocks;
                ours::portable_check::cipher8(key, &mut dec, true);
                assert_eq!(
                    dec.concat(),
                    ecb_reference(key, &data, true),
                    "decrypt {key_len} {round}"
                );
            }
        }
    }
}

#[test]
fn batch_sbox_circuits_all_values() {
    let s = ours::portable_check::sbox();
    assert_eq!(ours::portable_check::sbox_bitsliced(false), s);
    let inv = ours::portable_check::sbox_bitsliced(true);
    for x in 0..=255u8 {
        assert_eq!(inv[s[x as usize] as usize], x, "S^-1(S({x:#04x}))");
    }
}

/// Long and odd batch lengths through `encrypt_blocks`/`decrypt_blocks`
/// (eight-block batches, then single blocks for the tail) and through CFB
/// decryption (which hands cfb-mode's batches to our encryption), every key
/// size, against aes 0.8.4.
#[test]
fn long_odd_batches_and_cfb_decrypt() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    for key_len in [16, 24, 32] {
        let key = rng.bytes(key_len);
        let iv = rng.bytes(16);
        for n in [7, 9, 15, 17, 511, 1023, 1025] {
            let data = rng.bytes(16 * n + 5);
            let whole = &data[..16 * n];
            assert_eq!(
                ecb(&key, whole, false),
                ecb_reference(&key, whole, false),
                "encrypt {key_len} {n}"
            );
            assert_eq!(
                ecb(&key, whole, true),
                ecb_reference(&key, whole, true),
                "decrypt {key_len} {n}"
            );
            macro_rules! cfb {
                ($c:ty, $r:ty) => {{
                    let mut want = data.clone();
                    cfb_mode::Decryptor::<$r>::new_from_slices(&key, &iv)
                        .expect("key")
                        .decrypt(&mut want);
                    let mut got = data.clone();
                    cfb_mode::Decryptor::<$c>::new_from_slices(&key, &iv)
                        .expect("key")
                        .decrypt(&mut got);
                    assert_eq!(got, want, "CFB decrypt {key_len} {n}");
                }};
            }
            match key_len {
                16 => cfb!(ours::Aes128, reference::Aes128),
                24 => cfb!(ours::Aes192, reference::Aes192),
                _ => cfb!(ours::Aes256, reference::Aes256),
            }
        }
    }
}

#[test]
fn out_of_place_halves_and_clones() {
    use cipher::{BlockDecryptMut, BlockEncryptMut};
    let mut rng = Rng(7);
    let key = rng.bytes(32);
    let data = rng.bytes(16 * 19);
    let blocks: Vec<ours::Block> = data
        .chunks(16)
        .map(|c| *GenericArray::from_slice(c))
        .collect();
    let mut out = vec![ours::Block::default(); blocks.len()];
    let enc = ours::Aes256Enc::new_from_slice(&key).expect("key");
    enc.encrypt_blocks_b2b(&blocks, &mut out).expect("lengths");
    assert_eq!(out.concat(), ecb_reference(&key, &data, false));
    let mut dec: ours::Aes256Dec = (&enc).into();
    let mut back = vec![ours::Block::default(); blocks.len()];
    dec.decrypt_blocks_b2b_mut(&out, &mut back)
        .expect("lengths");
    assert_eq!(back.concat(), data);
    let full: ours::Aes256 = enc.clone().into();
    let copy = full.clone();
    drop(full);
    let mut again = blocks.clone();
    let mut copy_mut = copy.clone();
    copy_mut.encrypt_blocks_mut(&mut again);
    assert_eq!(again, out);
    let mut one = blocks[3];
    copy.encrypt_block(&mut one);
    assert_eq!(one, out[3]);
    copy.decrypt_block(&mut one);
    assert_eq!(one, blocks[3]);
}

/// Throughput of ours and the published crate (`--include-ignored --nocapture`,
/// release build): ECB in batches (OCB, CTR, CFB decryption) and CFB
/// encryption (one block per call).  On wasm32 in Node it counts the process's
/// CPU time (a loaded machine swings wall-clock figures), the best of 3.
#[test]
#[ignore]
fn throughput() {
    #[cfg(target_arch = "wasm32")]
    fn now() -> f64 {
        js_sys::eval(
            "typeof process === 'object' ? (u => (u.user + u.system) / 1e6)(process.cpuUsage()) : Date.now() / 1000",
        )
        .ok()
        .and_then(|v| v.as_f64())
        .expect("clock")
    }
    #[cfg(not(target_arch = "wasm32"))]
    fn now() -> f64 {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock")
            .as_secs_f64()
    }
    #[cfg(target_arch = "wasm32")]
    macro_rules! say { ($($t:tt)*) => { wasm_bindgen_test::console_log!($($t)*) } }
    #[cfg(not(target_arch = "wasm32"))]
    macro_rules! say { ($($t:tt)*) => { println!($($t)*) } }

    const MIB: usize = 1 << 20;
    let mut buf = vec![0u8; 8 * MIB];
    let key = [7u8; 32];
    let iv = [9u8; 16];
    macro_rules! bench {
        ($label:expr, $c:ty) => {{
            let c =
                <$c>::new_from_slice(&key[..<$c as cipher::KeySizeUser>::key_size()]).expect("key");
            let mut blocks: Vec<ours::Block> = vec![Default::default(); buf.len() / 16];
            let t = now();
            c.encrypt_blocks(&mut blocks);
            let e = now() - t;
            let t = now();
            c.decrypt_blocks(&mut blocks);
            let d = now() - t;
            let t = now();
            cfb_mode::Encryptor::<$c>::new_from_slices(
                &key[..<$c as cipher::KeySizeUser>::key_size()],
                &iv,
            )
            .expect("key")
            .encrypt(&mut buf[..2 * MIB]);
            let f = now() - t;
            say!(
                "{:<28} ECB enc {:7.1} MB/s  ECB dec {:7.1} MB/s  CFB enc {:7.1} MB/s",
                $label,
                buf.len() as f64 / e / 1e6,
                buf.len() as f64 / d / 1e6,
                (2 * MIB) as f64 / f / 1e6
            );
        }};
    }
    {
        bench!("published aes 0.8.4 AES-128", reference::Aes128);
        bench!("ours AES-128", ours::Aes128);
        bench!("published aes 0.8.4 AES-256", reference::Aes256);
        bench!("ours AES-256", ours::Aes256);
    }
}
