// encrypt's WebCrypto path (src/cfb.js): a buffered encryption of CFB_WEBCRYPTO_MIN bytes or more
// that makes a SEIPDv1 message with AES gets its MDC and CFB from WebCrypto.  Checked against
// OpenSSL's own AES-CFB and SHA-1 (node:crypto), and end to end: sealpost, OpenPGP.js and GnuPG
// decrypt what it makes and verify its signature; should WebCrypto fail, encrypt still succeeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import * as sp from '../src/node.js';
import { finishCfb } from '../src/cfb.js';
import { CFB_WEBCRYPTO_MIN } from '../src/engine.js';

const subtle = globalThis.crypto.subtle;

/** What finishCfb must produce, by OpenSSL: SHA-1 into the last 20 bytes, then AES-CFB128, zero IV. */
function reference(message, bodyStart, key) {
  const out = Uint8Array.from(message);
  const body = out.subarray(bodyStart);
  body.set(createHash('sha1').update(body.subarray(0, body.length - 20)).digest(), body.length - 20);
  const c = createCipheriv(`aes-${key.length * 8}-cfb`, key, Buffer.alloc(16));
  body.set(Buffer.concat([c.update(body), c.final()]));
  return out;
}

test("finishCfb equals OpenSSL's SHA-1 and AES-CFB for every length, offset and alignment", async () => {
  const lengths = [40, 41, 47, 48, 49, 63, 64, 65, 100, 255, 256, 257, 4095, 4096, 4097, 65536 + 7, 1 << 20];
  for (let n = 40; n < 40 + 70; n++) lengths.push(n);
  let runs = 0;
  for (const [algo, bytes] of [[7, 16], [9, 32]]) {
    for (const len of lengths) {
      for (const bodyStart of [1, 2, 3, 4, 7, 300]) {
        // In a bigger buffer at an odd offset sometimes, as a subarray can be.
        const pad = len % 3;
        const buf = new Uint8Array(pad + bodyStart + len);
        const message = buf.subarray(pad);
        message.set(randomBytes(message.length));
        const key = new Uint8Array(randomBytes(bytes));
        const want = reference(message, bodyStart, key);
        const keyCopy = Uint8Array.from(key);
        const got = await finishCfb({ message, bodyStart, algo, key }, subtle);
        assert.equal(got, message, 'in place');
        assert.deepEqual(Buffer.from(got), Buffer.from(want), `AES-${bytes * 8}, ${len} bytes from ${bodyStart}`);
        assert.ok(key.every((b) => b === 0), 'the raw key is zeroed');
        assert.notDeepEqual(keyCopy, key);
        runs++;
      }
    }
  }
  assert.equal(runs, 2 * 87 * 6);
});

test('finishCfb refuses what is not an AES-128/256 key or a pending body, and zeroes the key', async () => {
  for (const [algo, bytes, len] of [[8, 24, 100], [9, 16, 100], [7, 32, 100], [13, 32, 100], [9, 32, 39]]) {
    const key = new Uint8Array(bytes).fill(7);
    await assert.rejects(finishCfb({ message: new Uint8Array(len + 5), bodyStart: 5, algo, key }, subtle), RangeError);
    assert.ok(key.every((b) => b === 0));
  }
});

/** The SEIPD packet's first two header bytes in a binary message (new-format packets). */
function seipdHeader(bin) {
  let i = 0;
  while (i < bin.length) {
    const tag = bin[i] & 0x3f;
    assert.equal(bin[i] & 0xc0, 0xc0, 'new-format packets');
    if (tag === 18) return [bin[i], bin[i + 1]];
    const l = bin[i + 1];
    if (l < 192) i += 2 + l;
    else if (l < 224) i += 3 + ((l - 192) << 8) + bin[i + 2] + 192;
    else if (l === 255) i += 6 + new DataView(bin.buffer, bin.byteOffset + i + 2).getUint32(0);
    else assert.fail('a partial length before the SEIPD packet');
  }
  assert.fail('no SEIPD packet');
}

/**
 * Runs fn with globalThis.crypto replaced by one that counts its subtle calls by name and lets
 * `override` (name → function) replace some; restores it after.  Returns { result, calls }.
 */
async function withSubtle(override, fn) {
  const real = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  const original = globalThis.crypto;
  const calls = {};
  const counted = (name) => (...args) => {
    calls[name] = (calls[name] ?? 0) + 1;
    return (override[name] ?? subtle[name].bind(subtle))(...args);
  };
  const fake = {
    getRandomValues: (a) => original.getRandomValues(a),
    subtle: { importKey: counted('importKey'), digest: counted('digest'), encrypt: counted('encrypt') },
  };
  Object.defineProperty(globalThis, 'crypto', { configurable: true, enumerable: real.enumerable, value: fake });
  try {
    return { result: await fn(), calls };
  } finally {
    Object.defineProperty(globalThis, 'crypto', real);
  }
}

const alice = await sp.generateKey({ userIDs: [{ name: 'Alice', email: 'alice@example.org' }], config: { v6Keys: false } });
const bob = await sp.generateKey({ userIDs: [{ name: 'Bob', email: 'bob@example.org' }], config: { v6Keys: false } });
const alicePriv = await sp.readPrivateKey({ armoredKey: alice.privateKey });
const bobPub = await sp.readKey({ armoredKey: bob.publicKey });
const bobPriv = await sp.readPrivateKey({ armoredKey: bob.privateKey });
const alicePub = await sp.readKey({ armoredKey: alice.publicKey });

async function encryptToBob(data, format = 'binary') {
  return sp.encrypt({ message: await sp.createMessage({ binary: data }), encryptionKeys: bobPub, signingKeys: alicePriv, format });
}

test('v4 keys: from CFB_WEBCRYPTO_MIN bytes the message is finished by WebCrypto, and sealpost and OpenPGP.js read it', async () => {
  const oBob = await openpgp.readPrivateKey({ armoredKey: bob.privateKey });
  const oAlice = await openpgp.readKey({ armoredKey: alice.publicKey });
  for (const len of [CFB_WEBCRYPTO_MIN - 1, CFB_WEBCRYPTO_MIN, CFB_WEBCRYPTO_MIN + 15, 3 << 20]) {
    const data = new Uint8Array(randomBytes(len));
    const { result: bin, calls } = await withSubtle({}, () => encryptToBob(data));
    // The WebCrypto path: one key import, SHA-1 once, AES-CBC twice (keystream block 1, the rest).
    const webcrypto = len >= CFB_WEBCRYPTO_MIN;
    assert.deepEqual(calls, webcrypto ? { importKey: 1, digest: 1, encrypt: 2 } : {}, `${len} bytes`);
    assert.equal(seipdHeader(bin)[0], 0xd2);
    const r = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: bin }), decryptionKeys: bobPriv, verificationKeys: alicePub, expectSigned: true, format: 'binary' });
    assert.deepEqual(r.data, data);
    assert.equal(r.layers.aead, null, 'SEIPDv1');
    const o = await openpgp.decrypt({ message: await openpgp.readMessage({ binaryMessage: bin }), decryptionKeys: oBob, verificationKeys: oAlice, expectSigned: true, format: 'binary' });
    assert.deepEqual(o.data, data);
    assert.equal(await o.signatures[0].verified, true);
  }
  // Armored, as encrypt's default is.
  const data = new Uint8Array(randomBytes(CFB_WEBCRYPTO_MIN * 2));
  const armored = await encryptToBob(data, 'armored');
  assert.match(armored, /^-----BEGIN PGP MESSAGE-----\n/);
  const r = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: bobPriv, verificationKeys: alicePub, expectSigned: true, format: 'binary' });
  assert.deepEqual(r.data, data);
});

test('passwords and a caller\'s session key take the WebCrypto path too; GnuPG reads it', async () => {
  const data = new Uint8Array(randomBytes(CFB_WEBCRYPTO_MIN + 1));
  const { result: bin, calls } = await withSubtle({}, async () => sp.encrypt({ message: await sp.createMessage({ binary: data }), passwords: 'for gpg', format: 'binary' }));
  assert.equal(calls.encrypt, 2);
  const home = mkdtempSync(join(tmpdir(), 'sp-cfb-gpg-'));
  try {
    const out = execFileSync('gpg', ['--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', 'for gpg', '--decrypt'], { env: { ...process.env, GNUPGHOME: home }, input: bin, stdio: ['pipe', 'pipe', 'pipe'] });
    assert.deepEqual(new Uint8Array(out), data);
  } finally {
    try {
      execFileSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home } });
    } catch {}
    rmSync(home, { recursive: true, force: true });
  }
  const sessionKey = { data: new Uint8Array(randomBytes(16)), algorithm: 'aes128' };
  const { result: withKey, calls: keyed } = await withSubtle({}, async () => sp.encrypt({ message: await sp.createMessage({ binary: data }), encryptionKeys: bobPub, sessionKey, format: 'binary' }));
  assert.equal(keyed.encrypt, 2);
  const [found] = await sp.decryptSessionKeys({ message: await sp.readMessage({ binaryMessage: withKey }), decryptionKeys: bobPriv });
  assert.deepEqual(found.data, sessionKey.data);
  assert.equal(found.algorithm, 'aes128');
});

test('should WebCrypto fail, encrypt still succeeds (in wasm)', async () => {
  const data = new Uint8Array(randomBytes(CFB_WEBCRYPTO_MIN + 100));
  for (const failing of ['importKey', 'digest', 'encrypt']) {
    const refuse = () => Promise.reject(new DOMException(`no ${failing} here`, 'NotSupportedError'));
    const { result: bin, calls } = await withSubtle({ [failing]: refuse }, () => encryptToBob(data));
    assert.equal(calls[failing], 1, `${failing} was tried`);
    const r = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: bin }), decryptionKeys: bobPriv, verificationKeys: alicePub, expectSigned: true, format: 'binary' });
    assert.deepEqual(r.data, data, failing);
  }
});
