// One benchmark workload, run unchanged against sealpost and OpenPGP.js (the
// shim speaks OpenPGP.js's API), in Node and in Chromium.  Returns rows
// { op, variant, size, ms, mib_s, ops_s }: medians of repeated runs.
//
// Variants: 'v4' = v4 Curve25519 keys, SEIPDv1; 'v6' = v6 Ed25519/X25519
// keys, SEIPDv2 (aeadProtect, which OpenPGP.js needs for SEIPDv2).

const KIB = 1024;
const MIB = 1024 * KIB;

const now = () => performance.now();
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];

function pattern(size) {
  const data = new Uint8Array(size);
  // Incompressible-ish bytes, the same on every run.
  let x = 2463534242;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    data[i] = x & 0xff;
  }
  return data;
}

/** Times `fn` `reps` times (after one warm-up); the median in ms. */
async function time(fn, reps) {
  await fn();
  const t = [];
  for (let i = 0; i < reps; i++) {
    const s = now();
    await fn();
    t.push(now() - s);
  }
  return median(t);
}

/** Small operations: the median over `reps` batches of `batch` calls, as ops/s. */
async function rate(fn, batch, reps) {
  const ms = await time(async () => {
    for (let i = 0; i < batch; i++) await fn();
  }, reps);
  return { ms: ms / batch, ops_s: batch / (ms / 1000) };
}

/**
 * An encrypt+sign and a decrypt+verify of `data` in `format` ('binary' or 'armored'), each a
 * closure to time; the decryption checks the signature and the plaintext.  Encrypts once first,
 * so that there is a message to decrypt.
 */
async function roundTrip(lib, { privateKey, publicKey }, data, format, config) {
  let ciphertext;
  const encryptOnce = async () => {
    ciphertext = await lib.encrypt({ message: await lib.createMessage({ binary: data }), encryptionKeys: publicKey, signingKeys: privateKey, format, config });
  };
  const decryptOnce = async () => {
    const { data: out, signatures } = await lib.decrypt({
      message: await lib.readMessage(format === 'armored' ? { armoredMessage: ciphertext } : { binaryMessage: ciphertext }),
      decryptionKeys: privateKey,
      verificationKeys: publicKey,
      expectSigned: true,
      format: 'binary',
    });
    await signatures[0].verified;
    if (out.length !== data.length || out[data.length >> 1] !== data[data.length >> 1]) throw new Error('round trip mismatch');
  };
  await encryptOnce();
  if (format === 'armored' && !(typeof ciphertext === 'string' && ciphertext.startsWith('-----BEGIN PGP MESSAGE-----'))) throw new Error('armored output expected');
  return { encryptOnce, decryptOnce };
}

/**
 * @param lib  the sealpost module or the openpgp module
 * @param opts { sizes: number[] (bytes), quick: boolean, log: (s) => void,
 *               bulk: boolean (only keygen and the sized encrypt/decrypt rows),
 *               small: boolean (no password-encrypt rows: with sizes [1024], the small rows only) }
 */
export async function run(lib, { sizes = [KIB, MIB, 16 * MIB, 64 * MIB], quick = false, log = () => {}, bulk = false, small = false } = {}) {
  const rows = [];
  const row = (r) => {
    rows.push(r);
    log(JSON.stringify(r));
  };
  const keys = {};
  for (const variant of ['v4', 'v6']) {
    const options = {
      userIDs: [{ name: 'Bench', email: 'bench@example.org' }],
      format: 'object',
      ...(variant === 'v4' ? { type: 'ecc', curve: 'curve25519Legacy' } : { type: 'curve25519', config: { v6Keys: true } }),
    };
    const { ms, ops_s } = await rate(() => lib.generateKey(options), quick ? 3 : 10, 3);
    row({ op: 'keygen', variant, size: 0, ms, ops_s });
    const { privateKey, publicKey } = await lib.generateKey(options);
    keys[variant] = { privateKey, publicKey };
  }

  for (const variant of ['v4', 'v6']) {
    const config = variant === 'v6' ? { aeadProtect: true } : {};
    for (const size of sizes) {
      const data = pattern(size);
      const reps = size >= 16 * MIB ? (quick ? 1 : 3) : size >= MIB ? 5 : 5;
      const { encryptOnce, decryptOnce } = await roundTrip(lib, keys[variant], data, 'binary', config);
      if (size <= 64 * KIB) {
        const batch = quick ? 20 : 100;
        const e = await rate(encryptOnce, batch, 5);
        row({ op: 'encrypt+sign', variant, size, ms: e.ms, ops_s: e.ops_s, mib_s: size / MIB / (e.ms / 1000) });
        const d = await rate(decryptOnce, batch, 5);
        row({ op: 'decrypt+verify', variant, size, ms: d.ms, ops_s: d.ops_s, mib_s: size / MIB / (d.ms / 1000) });
      } else {
        const e = await time(encryptOnce, reps);
        row({ op: 'encrypt+sign', variant, size, ms: e, mib_s: size / MIB / (e / 1000) });
        const d = await time(decryptOnce, reps);
        row({ op: 'decrypt+verify', variant, size, ms: d, mib_s: size / MIB / (d / 1000) });
      }
    }
  }

  // Armored v6 messages, what mail carries (PGP/MIME bodies are armored): the same 16 MiB rows
  // with armored output and input, so the armor's encoder and decoder show in the figures.
  if (sizes.includes(16 * MIB)) {
    const reps = quick ? 1 : 3;
    const { encryptOnce, decryptOnce } = await roundTrip(lib, keys.v6, pattern(16 * MIB), 'armored', { aeadProtect: true });
    const e = await time(encryptOnce, reps);
    row({ op: 'encrypt+sign', variant: 'v6-armored', size: 16 * MIB, ms: e, mib_s: 16 / (e / 1000) });
    const d = await time(decryptOnce, reps);
    row({ op: 'decrypt+verify', variant: 'v6-armored', size: 16 * MIB, ms: d, mib_s: 16 / (d / 1000) });
  }

  if (bulk) return rows;

  // Password encryption of 1 MiB (v4 style): each library's default S2K
  // (sealpost: sequoia's iterated SHA-256 over 65,011,712 bytes; OpenPGP.js:
  // 16,777,216 bytes), then OpenPGP.js with sealpost's count (byte 255), so
  // that one row compares the same work.
  if (!small) {
    const data = pattern(MIB);
    for (const [variant, config] of [['default', {}], ['same-s2k', lib.enums ? { s2kIterationCountByte: 255 } : {}]]) {
      const e = await time(async () => lib.encrypt({ message: await lib.createMessage({ binary: data }), passwords: 'correct horse battery staple', format: 'binary', config }), 5);
      row({ op: 'password-encrypt', variant, size: MIB, ms: e, mib_s: 1 / (e / 1000) });
    }
  }

  // Detached sign and verify of 1 KiB.
  for (const variant of ['v4', 'v6']) {
    const { privateKey, publicKey } = keys[variant];
    const data = pattern(KIB);
    // A fresh message each call: OpenPGP.js's Message objects are consumed.
    const signOnce = async () => lib.sign({ message: await lib.createMessage({ binary: data }), signingKeys: privateKey, detached: true, format: 'binary' });
    const sig = await signOnce();
    const batch = quick ? 20 : 100;
    const s = await rate(signOnce, batch, 5);
    row({ op: 'sign-detached', variant, size: KIB, ms: s.ms, ops_s: s.ops_s });
    const v = await rate(async () => {
      const r = await lib.verify({ message: await lib.createMessage({ binary: data }), signature: await lib.readSignature({ binarySignature: sig }), verificationKeys: publicKey, expectSigned: true });
      await r.signatures[0].verified;
    }, batch, 5);
    row({ op: 'verify-detached', variant, size: KIB, ms: v.ms, ops_s: v.ops_s });
  }
  return rows;
}
