//! wasm/ocb3 must produce exactly what RustCrypto's ocb3 0.1.0 produces —
//! ciphertext and tag — for every AES key size, sequoia's 15-byte nonces
//! and the 12-byte default, random nonces (every value of the nonce's low
//! six bits, which select the offset's shift), and lengths around every
//! block and batch boundary, with and without associated data; and it must
//! open what it sealed and refuse a changed tag, leaving zeros.

use aead::consts::{U12, U15};
use aead::generic_array::GenericArray;
use aead::{AeadInPlace, KeyInit};

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

macro_rules! agree {
    ($c:ty, $n:ty, $key:expr, $nonce:expr, $ad:expr, $pt:expr) => {{
        let reference = reference::Ocb3::<$c, $n>::new_from_slice($key).expect("key size");
        let ours = ours::Ocb3::<$c, $n>::new_from_slice($key).expect("key size");
        let nonce = GenericArray::from_slice($nonce);
        let (mut a, mut b) = ($pt.to_vec(), $pt.to_vec());
        let ta = reference
            .encrypt_in_place_detached(nonce, $ad, &mut a)
            .expect("seal");
        let tb = ours
            .encrypt_in_place_detached(nonce, $ad, &mut b)
            .expect("seal");
        assert!(
            a == b && ta == tb,
            "differs: {} bytes, {} bytes of associated data",
            $pt.len(),
            $ad.len()
        );
        ours.decrypt_in_place_detached(nonce, $ad, &mut b, &tb)
            .expect("open");
        assert!(b == $pt, "round trip");
        let mut bad = tb;
        bad[0] ^= 1;
        assert!(ours
            .decrypt_in_place_detached(nonce, $ad, &mut a, &bad)
            .is_err());
        assert!(a.iter().all(|&x| x == 0), "plaintext left after a bad tag");
    }};
}

#[test]
fn agrees_with_ocb3_0_1_0() {
    let mut rng = Rng(0x1234_5678_9abc_def0);
    let mut cases = 0;
    let mut bottoms = [false; 64];
    for len in (0..300).chain([1023, 1024, 1025, 4096, 4097, 65_553]) {
        for adlen in [0usize, 1, 15, 16, 17, 31, 32, 33, 129, 300] {
            let key = rng.bytes(32);
            let nonce = rng.bytes(15);
            let ad = rng.bytes(adlen);
            let pt = rng.bytes(len);
            bottoms[usize::from(nonce[14] & 63)] = true;
            agree!(aes::Aes128, U15, &key[..16], &nonce[..15], &ad, &pt[..]);
            agree!(aes::Aes192, U15, &key[..24], &nonce[..15], &ad, &pt[..]);
            agree!(aes::Aes256, U15, &key[..32], &nonce[..15], &ad, &pt[..]);
            agree!(aes::Aes256, U12, &key[..32], &nonce[..12], &ad, &pt[..]);
            cases += 4;
        }
    }
    assert_eq!(cases, 12_240);
    assert!(
        bottoms.iter().all(|&b| b),
        "not every nonce shift was covered"
    );
}
