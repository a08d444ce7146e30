#!/usr/bin/env python3
"""Writes ../src/bs_sbox.rs: the bitsliced S-box circuits of wasm/aes-simd's
batch path (src/bs.rs), as straight-line XOR/AND code over 8 bit planes.

Run from anywhere: python3 wasm/aes-simd/gen/bitsliced_sbox.py
The output is committed; src/bs.rs's tests check it against the S-box of
every byte value, and this script checks it before writing.

The construction is the one src/tables.rs describes, in gates: a byte is
mapped (linearly) into the tower field GF(16)[y]/(y^2 + y + LAMBDA), GF(16)
being GF(2)[z]/(p(z)) for an irreducible quartic p; a1*y + a0 is inverted as
    d = LAMBDA*a1^2 + a1*a0 + a0^2,  e = 1/d,
    1/(a1*y + a0) = (a1*e)*y + (a0 + a1)*e,
and mapped (linearly) back.  Each GF(16) product is nine ANDs of linear forms
of its operands (Karatsuba, two levels) and a linear combination of them; the
forms of a1 are shared by two products and those of e by two.  The linear
layers (into the tower, the products' combinations, out of the tower) are
reduced by greedy common-subexpression elimination (the pair of signals that
occurs together in most rows becomes one XOR, repeated).  The S-box's 0x63
is not in the circuit: src/bs.rs folds it into the round keys.  Every
choice of p, LAMBDA and the isomorphism (a root of AES's polynomial in the
tower) gives the same S-box; the search keeps the circuit with fewest gates
(the choice is named in the output; src/tables.rs's single-block path keeps
its own).  About a minute.

  enc: x -> AFFINE(FROM_TOWER(inv(TO_TOWER(x))))          = S(x) + 0x63
  dec: x -> FROM_TOWER(inv(TO_TOWER(AFFINE^-1(x))))       = S^-1(x + 0x63)
"""
import os
import random
import sys


def gmul(a, b):
    r = 0
    while b:
        if b & 1:
            r ^= a
        a = ((a << 1) ^ (0x1B if a & 0x80 else 0)) & 0xFF
        b >>= 1
    return r


def g16(a, b):
    r = 0
    for i in range(4):
        if (b >> i) & 1:
            r ^= a
        a <<= 1
        if a & 0x10:
            a ^= POLY
    return r


def lambdas():
    """Every LAMBDA for which y^2 + y + LAMBDA has no root in GF(16)
    (absolute trace 1)."""
    out = []
    for l in range(1, 16):
        l2 = g16(l, l)
        l4 = g16(l2, l2)
        l8 = g16(l4, l4)
        if l ^ l2 ^ l4 ^ l8 == 1:
            out.append(l)
    return out


# The field choices (GF(16)'s polynomial, LAMBDA, the root BETA) are
# searched: every choice is an isomorphic tower, and they differ in gates.
POLY = 0x13
LAMBDA = 0


def tmul(a, b):
    a1, a0, b1, b0 = a >> 4, a & 15, b >> 4, b & 15
    hi = g16(a1, b1) ^ g16(a1, b0) ^ g16(a0, b1)
    lo = g16(g16(a1, b1), LAMBDA) ^ g16(a0, b0)
    return (hi << 4) | lo


def betas():
    """The roots in the tower of AES's polynomial x^8 + x^4 + x^3 + x + 1."""
    out = []
    for b in range(2, 256):
        b2 = tmul(b, b)
        b3 = tmul(b2, b)
        b4 = tmul(b2, b2)
        b8 = tmul(b4, b4)
        if b8 ^ b4 ^ b3 ^ b ^ 1 == 0:
            out.append(b)
    return out


def configure(poly, lam, beta):
    """Sets the field choices; TO_TOWER sends x to BETA."""
    global POLY, LAMBDA, TO_TOWER, FROM_TOWER, R
    POLY, LAMBDA = poly, lam
    pow_ = [1]
    for _ in range(7):
        pow_.append(tmul(pow_[-1], beta))
    TO_TOWER = []
    for x in range(256):
        v = 0
        for bit in range(8):
            if (x >> bit) & 1:
                v ^= pow_[bit]
        TO_TOWER.append(v)
    FROM_TOWER = [0] * 256
    for x, t in enumerate(TO_TOWER):
        FROM_TOWER[t] = x
    R = solve_combination()


def affine(x):
    r = x
    for k in range(1, 5):
        r ^= ((x << k) | (x >> (8 - k))) & 0xFF
    return r


AFFINE = [affine(x) for x in range(256)]
AFFINE_INV = [0] * 256
for x, t in enumerate(AFFINE):
    AFFINE_INV[t] = x


def sbox(x):
    inv = 1
    for _ in range(254):
        inv = gmul(inv, x)
    return affine(inv) ^ 0x63


SBOX = [sbox(x) for x in range(256)]
INV_SBOX = [0] * 256
for x, s in enumerate(SBOX):
    INV_SBOX[s] = x


def matrix(f, n_in, n_out):
    """Rows (bit masks over the inputs) of a GF(2)-linear map f."""
    rows = [0] * n_out
    for i in range(n_in):
        y = f(1 << i)
        for j in range(n_out):
            if (y >> j) & 1:
                rows[j] |= 1 << i
    return rows


# Karatsuba (two levels) forms of a GF(16) element's 4 bits, and the 4x9
# combination R with a*b = R . (F_k(a) & F_k(b)), found by solving over GF(2).
FORMS = [0b0001, 0b0010, 0b0011, 0b0100, 0b1000, 0b1100, 0b0101, 0b1010, 0b1111]


def bilinear(fa, fb):
    """The bilinear form (a, b) -> fa(a)*fb(b) as a 16-bit vector of a_i*b_j."""
    v = 0
    for i in range(4):
        for j in range(4):
            if (fa >> i) & 1 and (fb >> j) & 1:
                v ^= 1 << (4 * i + j)
    return v


def product_bit_forms():
    """For each bit c of a*b in GF(16), its bilinear form."""
    out = [0] * 4
    for i in range(4):
        for j in range(4):
            c = g16(1 << i, 1 << j)
            for k in range(4):
                if (c >> k) & 1:
                    out[k] ^= 1 << (4 * i + j)
    return out


def solve_combination():
    basis = [bilinear(f, f) for f in FORMS]
    rows = []
    for target in product_bit_forms():
        found = None
        for sel in range(1 << 9):
            v = 0
            for k in range(9):
                if (sel >> k) & 1:
                    v ^= basis[k]
            if v == target:
                found = sel
                break
        if found is None:
            raise SystemExit("no Karatsuba combination")
        rows.append(found)
    return rows


R = None
# GF(16)'s irreducible polynomials; seeds of the greedy tie-breaks per choice
POLYS = [0x13, 0x19, 0x1F]
SEEDS = 12


class Circuit:
    def __init__(self, n_inputs, seed):
        self.gates = []  # (op, a, b)
        self.n = n_inputs
        self.names = {}
        self.rng = random.Random(seed)

    def gate(self, op, a, b):
        key = (op, min(a, b), max(a, b))
        if key in self.names:
            return self.names[key]
        self.gates.append(key)
        s = self.n + len(self.gates) - 1
        self.names[key] = s
        return s

    def xor(self, a, b):
        return self.gate("xor", a, b)

    def and_(self, a, b):
        return self.gate("and", a, b)

    def linear(self, rows):
        """Greedy CSE: each row is a set of signals; returns one signal per row."""
        rows = [set(r) for r in rows]
        while True:
            count = {}
            for r in rows:
                if len(r) > 1:
                    s = sorted(r)
                    for i in range(len(s)):
                        for j in range(i + 1, len(s)):
                            count[(s[i], s[j])] = count.get((s[i], s[j]), 0) + 1
            if not count:
                break
            top = max(count.values())
            best = self.rng.choice(sorted(k for k, v in count.items() if v == top))
            new = self.xor(*best)
            for r in rows:
                if best[0] in r and best[1] in r:
                    r -= set(best)
                    r.add(new)
        out = []
        for r in rows:
            if len(r) != 1:
                raise SystemExit("empty linear row")
            out.append(next(iter(r)))
        return out


def bits(mask):
    return [i for i in range(mask.bit_length()) if (mask >> i) & 1]


def gf16_inverse_anf():
    """Each bit of 1/d (1/0 = 0) as a set of monomials (bit masks over d0..d3)."""
    inv = [0] * 16
    for d in range(1, 16):
        for e in range(1, 16):
            if g16(d, e) == 1:
                inv[d] = e
    anf = []
    for k in range(4):
        f = [(inv[d] >> k) & 1 for d in range(16)]
        # Moebius transform
        for i in range(4):
            for m in range(16):
                if m & (1 << i):
                    f[m] ^= f[m ^ (1 << i)]
        anf.append({m for m in range(16) if f[m]})
    return anf


def build(inner, seed):
    """inner: 8x8 rows, input byte -> tower byte; outer: tower byte -> output.
    seed: the tie-breaks of the greedy elimination (the smallest circuit of
    a fixed set of seeds is kept)."""
    into, outof = inner
    c = Circuit(8, seed)
    # Top: linear forms of the input needed by the products and d's linear part.
    a0 = lambda f: [into[i] for i in bits(f)]  # noqa: E731
    a1 = lambda f: [into[4 + i] for i in bits(f)]  # noqa: E731

    def form(rows_of):
        m = 0
        for r in rows_of:
            m ^= r
        return m

    fa1 = [form(a1(f)) for f in FORMS]
    fa0 = [form(a0(f)) for f in FORMS]
    fs = [x ^ y for x, y in zip(fa0, fa1)]
    # LAMBDA*a1^2 + a0^2, linear in the tower bits, hence in x
    lin = matrix(lambda t: g16(LAMBDA, g16(t >> 4, t >> 4)) ^ g16(t & 15, t & 15), 8, 4)
    lin_x = [form([into[i] for i in bits(r)]) for r in lin]
    top_rows = fa1 + fa0 + fs + lin_x
    sig = c.linear([set(bits(m)) for m in top_rows])
    s_a1, s_a0, s_s, s_lin = sig[0:9], sig[9:18], sig[18:27], sig[27:31]
    # d = LAMBDA*a1^2 + a0^2 + a1*a0
    p = [c.and_(s_a1[k], s_a0[k]) for k in range(9)]
    d = c.linear([{s_lin[i]} | {p[k] for k in bits(R[i])} for i in range(4)])
    # e = 1/d from its algebraic normal form
    monos = {}

    def mono(m):
        if m in monos:
            return monos[m]
        b = bits(m)
        if len(b) == 1:
            s = d[b[0]]
        else:
            s = c.and_(mono(m & (m - 1)), d[b[0]])
        monos[m] = s
        return s

    anf = gf16_inverse_anf()
    # degree-3 monomials reuse a degree-2 one; pick those that are shared
    e = c.linear([{mono(m) for m in sorted(a)} for a in anf])
    fe = c.linear([{e[i] for i in bits(f)} for f in FORMS])
    q = [c.and_(s_a1[k], fe[k]) for k in range(9)]  # a1 * e
    r = [c.and_(s_s[k], fe[k]) for k in range(9)]  # (a0 + a1) * e
    # b1 = R q, b0 = R r; output bit j = sum of outof[j] over tower bits
    out_rows = []
    for j in range(8):
        row = set()
        for t in bits(outof[j]):
            src = q if t >= 4 else r
            for k in bits(R[t % 4]):
                row ^= {src[k]}
        out_rows.append(row)
    y = c.linear(out_rows)
    return c, y


def simulate(c, y, x):
    v = [(x >> i) & 1 for i in range(8)]
    for op, a, b in c.gates:
        v.append(v[a] ^ v[b] if op == "xor" else v[a] & v[b])
    return sum(v[s] << i for i, s in enumerate(y))


def emit(name, doc, c, y):
    lines = [f"/// {doc}", "#[inline(always)]", f"pub(crate) fn {name}(x: &mut [V; 8]) {{"]
    sig = {i: f"x{i}" for i in range(8)}
    lines.append("    let [" + ", ".join(f"x{i}" for i in range(8)) + "] = *x;")
    for n, (op, a, b) in enumerate(c.gates):
        s = c.n + n
        sig[s] = f"g{n}"
        fn = "xor" if op == "xor" else "and"
        lines.append(f"    let g{n} = {fn}({sig[a]}, {sig[b]});")
    lines.append("    *x = [" + ", ".join(sig[s] for s in y) + "];")
    lines.append("}")
    return "\n".join(lines)


def main():
    best = {}
    for poly in POLYS:
        configure(poly, 1, 2)
        for lam in lambdas():
            configure(poly, lam, 2)
            for beta in betas():
                configure(poly, lam, beta)
                maps = {
                    "enc": (
                        matrix(lambda x: TO_TOWER[x], 8, 8),
                        matrix(lambda t: AFFINE[FROM_TOWER[t]], 8, 8),
                    ),
                    "dec": (
                        matrix(lambda x: TO_TOWER[AFFINE_INV[x]], 8, 8),
                        matrix(lambda t: FROM_TOWER[t], 8, 8),
                    ),
                }
                for name, m in maps.items():
                    for seed in range(SEEDS):
                        c, y = build(m, seed)
                        if name not in best or len(c.gates) < len(best[name][0].gates):
                            best[name] = (c, y, (poly, lam, beta, seed))
    enc, enc_y, enc_choice = best["enc"]
    dec, dec_y, dec_choice = best["dec"]
    for x in range(256):
        if simulate(enc, enc_y, x) != SBOX[x] ^ 0x63:
            raise SystemExit(f"enc circuit wrong at {x:#04x}")
        if simulate(dec, dec_y, x) != INV_SBOX[x ^ 0x63]:
            raise SystemExit(f"dec circuit wrong at {x:#04x}")

    def count(c):
        a = sum(1 for g in c.gates if g[0] == "and")
        return f"{len(c.gates)} gates ({a} AND, {len(c.gates) - a} XOR)"

    def choice(ch):
        return f"GF(16) polynomial {ch[0]:#04x}, LAMBDA {ch[1]}, root {ch[2]:#04x}, seed {ch[3]}"

    head = f"""//! Generated by gen/bitsliced_sbox.py (see there); do not edit.
//! The bitsliced S-box circuits of `bs`: bit plane i of every byte in x[i].
//! enc: {count(enc)}; {choice(enc_choice)}.
//! dec: {count(dec)}; {choice(dec_choice)}.
//! Only XOR and AND of whole planes: no table, no branch.

use crate::ops::{{and, xor, V}};

"""
    body = (
        emit("sbox_enc", "S(x) + 0x63 of every byte (bit planes).", enc, enc_y)
        + "\n\n"
        + emit("sbox_dec", "S^-1(x + 0x63) of every byte (bit planes).", dec, dec_y)
        + "\n"
    )
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "bs_sbox.rs")
    with open(path, "w") as f:
        f.write(head + body)
    print(f"enc {count(enc)}, dec {count(dec)} -> {os.path.normpath(path)}", file=sys.stderr)


main()
