//! Every constant of the vector AES, computed here at compile time from the
//! field definitions, so none is a magic number copied from elsewhere.
//!
//! The S-box is inversion in GF(2^8) followed by an affine map.  Inversion is
//! done in an isomorphic "tower" field GF(16)[y]/(y^2 + y + LAMBDA): a byte
//! `t = a1·16 + a0` there stands for `a1·y + a0` with `a1`, `a0` in GF(16)
//! (polynomial z^4 + z + 1).  With the norm `d = LAMBDA·a1^2 + a1·a0 + a0^2`,
//! `1/(a1·y + a0) = (a1/d)·y + (a0 + a1)/d`.  Products and quotients of two
//! nibbles are done with logarithms: the 16-entry log and exp tables are read
//! with `i8x16.swizzle`, an in-register permutation whose timing does not
//! depend on the indices (nothing is read from memory at a secret address).
//! Every GF(2)-linear map of a byte is two 16-entry tables, one for each nibble.

/// Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (compile time only:
/// it branches on its operands).
const fn gmul(mut a: u8, mut b: u8) -> u8 {
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

/// Multiplication in GF(16) modulo z^4 + z + 1 (compile time only).
const fn g16(mut a: u8, b: u8) -> u8 {
    let mut r = 0;
    let mut i = 0;
    while i < 4 {
        if (b >> i) & 1 != 0 {
            r ^= a;
        }
        a <<= 1;
        if a & 0x10 != 0 {
            a ^= 0x13;
        }
        i += 1;
    }
    r
}

/// The smallest LAMBDA for which y^2 + y + LAMBDA has no root in GF(16),
/// i.e. whose absolute trace is 1.
const fn find_lambda() -> u8 {
    let mut l = 1;
    while l < 16 {
        let l2 = g16(l, l);
        let l4 = g16(l2, l2);
        let l8 = g16(l4, l4);
        if l ^ l2 ^ l4 ^ l8 == 1 {
            return l;
        }
        l += 1;
    }
    panic!("no lambda")
}

pub(crate) const LAMBDA: u8 = find_lambda();

/// Multiplication in the tower field.
pub(crate) const fn tmul(a: u8, b: u8) -> u8 {
    let (a1, a0, b1, b0) = (a >> 4, a & 15, b >> 4, b & 15);
    let hi = g16(a1, b1) ^ g16(a1, b0) ^ g16(a0, b1);
    let lo = g16(g16(a1, b1), LAMBDA) ^ g16(a0, b0);
    (hi << 4) | lo
}

/// A root in the tower field of AES's polynomial x^8 + x^4 + x^3 + x + 1:
/// sending x to it is a field isomorphism from AES's GF(2^8) to the tower.
const fn find_beta() -> u8 {
    let mut c: u16 = 2;
    while c < 256 {
        let b = c as u8;
        let b2 = tmul(b, b);
        let b3 = tmul(b2, b);
        let b4 = tmul(b2, b2);
        let b8 = tmul(b4, b4);
        if b8 ^ b4 ^ b3 ^ b ^ 1 == 0 {
            return b;
        }
        c += 1;
    }
    panic!("no root")
}

/// AES byte -> tower byte.
pub(crate) const TO_TOWER: [u8; 256] = {
    let beta = find_beta();
    let mut pow = [0u8; 8];
    pow[0] = 1;
    let mut i = 1;
    while i < 8 {
        pow[i] = tmul(pow[i - 1], beta);
        i += 1;
    }
    let mut t = [0u8; 256];
    let mut x = 0;
    while x < 256 {
        let mut v = 0;
        let mut bit = 0;
        while bit < 8 {
            if (x >> bit) & 1 != 0 {
                v ^= pow[bit];
            }
            bit += 1;
        }
        t[x] = v;
        x += 1;
    }
    t
};

const fn invert(f: &[u8; 256]) -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut x = 0;
    while x < 256 {
        t[f[x] as usize] = x as u8;
        x += 1;
    }
    t
}

/// Tower byte -> AES byte.
pub(crate) const FROM_TOWER: [u8; 256] = invert(&TO_TOWER);

/// The linear part of the S-box's affine map.
const fn affine(x: u8) -> u8 {
    x ^ x.rotate_left(1) ^ x.rotate_left(2) ^ x.rotate_left(3) ^ x.rotate_left(4)
}
const AFFINE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut x = 0;
    while x < 256 {
        t[x] = affine(x as u8);
        x += 1;
    }
    t
};
const AFFINE_INV: [u8; 256] = invert(&AFFINE);

const fn nibbles(f: &[u8; 256], hi: bool, k: u8, c: u8) -> [u8; 16] {
    // The table of nibble n of a linear map f, scaled by k in GF(2^8), plus c.
    let mut t = [0u8; 16];
    let mut n = 0;
    while n < 16 {
        let x = if hi { n << 4 } else { n };
        t[n] = gmul(f[x], k) ^ c;
        n += 1;
    }
    t
}

const fn compose(f: &[u8; 256], g: &[u8; 256]) -> [u8; 256] {
    // x -> f(g(x))
    let mut t = [0u8; 256];
    let mut x = 0;
    while x < 256 {
        t[x] = f[g[x] as usize];
        x += 1;
    }
    t
}

const ENC_OUT: [u8; 256] = compose(&AFFINE, &FROM_TOWER);
const DEC_IN: [u8; 256] = compose(&TO_TOWER, &AFFINE_INV);

// Encryption: AES byte -> tower byte.
pub(crate) const ENC_IN_LO: [u8; 16] = nibbles(&TO_TOWER, false, 1, 0);
pub(crate) const ENC_IN_HI: [u8; 16] = nibbles(&TO_TOWER, true, 1, 0);
// Decryption: x -> tower(affine^-1(x + 0x63)); the constant goes to the low nibble.
pub(crate) const DEC_IN_LO: [u8; 16] = nibbles(&DEC_IN, false, 1, DEC_IN[0x63]);
pub(crate) const DEC_IN_HI: [u8; 16] = nibbles(&DEC_IN, true, 1, 0);
// Encryption: inverse (tower) -> S-box output times 1 and times 2.
pub(crate) const ENC_OUT1_LO: [u8; 16] = nibbles(&ENC_OUT, false, 1, 0x63);
pub(crate) const ENC_OUT1_HI: [u8; 16] = nibbles(&ENC_OUT, true, 1, 0);
pub(crate) const ENC_OUT2_LO: [u8; 16] = nibbles(&ENC_OUT, false, 2, gmul(0x63, 2));
pub(crate) const ENC_OUT2_HI: [u8; 16] = nibbles(&ENC_OUT, true, 2, 0);
// Decryption: inverse (tower) -> AES byte times 1, 14, 11, 13, 9 (InvMixColumns).
pub(crate) const DEC_OUT1_LO: [u8; 16] = nibbles(&FROM_TOWER, false, 1, 0);
pub(crate) const DEC_OUT1_HI: [u8; 16] = nibbles(&FROM_TOWER, true, 1, 0);
pub(crate) const DEC_OUTE_LO: [u8; 16] = nibbles(&FROM_TOWER, false, 14, 0);
pub(crate) const DEC_OUTE_HI: [u8; 16] = nibbles(&FROM_TOWER, true, 14, 0);
pub(crate) const DEC_OUTB_LO: [u8; 16] = nibbles(&FROM_TOWER, false, 11, 0);
pub(crate) const DEC_OUTB_HI: [u8; 16] = nibbles(&FROM_TOWER, true, 11, 0);
pub(crate) const DEC_OUTD_LO: [u8; 16] = nibbles(&FROM_TOWER, false, 13, 0);
pub(crate) const DEC_OUTD_HI: [u8; 16] = nibbles(&FROM_TOWER, true, 13, 0);
pub(crate) const DEC_OUT9_LO: [u8; 16] = nibbles(&FROM_TOWER, false, 9, 0);
pub(crate) const DEC_OUT9_HI: [u8; 16] = nibbles(&FROM_TOWER, true, 9, 0);

/// Marks log(0): any sum with it stays >= 16 after the mod-15 step, where
/// swizzle yields 0.
pub(crate) const LOG_ZERO: u8 = 0x40;

/// log_z in GF(16) (z = 2 generates it), log(0) = LOG_ZERO.
pub(crate) const LOG: [u8; 16] = {
    let mut t = [LOG_ZERO; 16];
    let mut p = 1;
    let mut i = 0;
    while i < 15 {
        t[p as usize] = i;
        p = g16(p, 2);
        i += 1;
    }
    t
};
/// log(1/n), log(1/0) = LOG_ZERO.
pub(crate) const NEG_LOG: [u8; 16] = {
    let mut t = [LOG_ZERO; 16];
    let mut n = 1;
    while n < 16 {
        t[n] = (15 - LOG[n]) % 15;
        n += 1;
    }
    t
};
/// z^i for i in 0..15 (entry 15 is never read).
pub(crate) const EXP: [u8; 16] = {
    let mut t = [0u8; 16];
    let mut p = 1;
    let mut i = 0;
    while i < 15 {
        t[i] = p;
        p = g16(p, 2);
        i += 1;
    }
    t
};
/// n -> LAMBDA·n^2 and n -> n^2 (linear in n).
pub(crate) const LAMBDA_SQ: [u8; 16] = {
    let mut t = [0u8; 16];
    let mut n = 0;
    while n < 16 {
        t[n] = g16(LAMBDA, g16(n as u8, n as u8));
        n += 1;
    }
    t
};
pub(crate) const SQ: [u8; 16] = {
    let mut t = [0u8; 16];
    let mut n = 0;
    while n < 16 {
        t[n] = g16(n as u8, n as u8);
        n += 1;
    }
    t
};

/// Byte permutations of the state (byte 4·column + row).
const fn perm(f: [usize; 16]) -> [u8; 16] {
    let mut t = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        t[i] = f[i] as u8;
        i += 1;
    }
    t
}
const fn shift_rows(inverse: bool) -> [usize; 16] {
    let mut f = [0usize; 16];
    let mut i = 0;
    while i < 16 {
        let (c, r) = (i / 4, i % 4);
        let src = if inverse {
            (c + 4 - r) % 4
        } else {
            (c + r) % 4
        };
        f[i] = src * 4 + r;
        i += 1;
    }
    f
}
const fn rot(k: usize) -> [usize; 16] {
    let mut f = [0usize; 16];
    let mut i = 0;
    while i < 16 {
        f[i] = (i / 4) * 4 + (i % 4 + k) % 4;
        i += 1;
    }
    f
}
pub(crate) const SHIFT_ROWS: [u8; 16] = perm(shift_rows(false));
pub(crate) const INV_SHIFT_ROWS: [u8; 16] = perm(shift_rows(true));
pub(crate) const ROT1: [u8; 16] = perm(rot(1));
pub(crate) const ROT2: [u8; 16] = perm(rot(2));
pub(crate) const ROT3: [u8; 16] = perm(rot(3));

/// The S-box by definition (compile time, for the key schedule's tests).
#[cfg(test)]
pub(crate) const fn sbox_reference(x: u8) -> u8 {
    // x^254 by repeated multiplication.
    let mut r = 1;
    let mut i = 0;
    while i < 254 {
        r = gmul(r, x);
        i += 1;
    }
    affine(r) ^ 0x63
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tower_is_a_field_isomorphism() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert_eq!(
                    TO_TOWER[gmul(a, b) as usize],
                    tmul(TO_TOWER[a as usize], TO_TOWER[b as usize])
                );
            }
        }
    }

    #[test]
    fn known_sbox_values() {
        // FIPS-197 figure 7: S(00) = 63, S(53) = ed, S(ff) = 16.
        assert_eq!(sbox_reference(0x00), 0x63);
        assert_eq!(sbox_reference(0x53), 0xed);
        assert_eq!(sbox_reference(0xff), 0x16);
    }
}
