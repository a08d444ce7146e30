// The wasm build as JavaScript sees it, in Node: the API shape, the error
// class and codes, and hostile input.  Every bad input must throw a
// SealpostError with the right code, never trap, and never yield plaintext.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

// The dev build by default; SEALPOST_WASM_NODE points at another (e.g. release).
const modulePath = process.env.SEALPOST_WASM_NODE
  ? pathToFileURL(process.env.SEALPOST_WASM_NODE).href
  : new URL('../../build/node-dev/sealpost_wasm.js', import.meta.url).href;
const sp = await import(modulePath);
const fixture = (name) => readFileSync(new URL(`../../wasm/core/tests/fixtures/${name}`, import.meta.url));
const enc = (s) => new TextEncoder().encode(s);
const SECRET = 'the plaintext nobody may see';

function expectCode(fn, code) {
  let thrown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, `expected ${code}, but nothing was thrown`);
  assert.ok(thrown instanceof Error, `not an Error: ${thrown}`);
  assert.ok(!(thrown instanceof WebAssembly.RuntimeError), `wasm trapped: ${thrown}`);
  assert.equal(thrown.name, 'SealpostError');
  assert.equal(thrown.code, code, thrown.message);
  assert.ok(!thrown.message.includes(SECRET), 'plaintext leaked into the error message');
  return thrown;
}

function newKey(name, opts = {}) {
  return sp.generateKey({ userIDs: [`${name} <${name}@example.org>`], ...opts }).privateKey;
}

function encryptTo(key, { armor = true } = {}) {
  const e = new sp.Encryption();
  e.addRecipient(key.toPublic());
  e.setArmor(armor);
  return e.encrypt(enc(SECRET));
}

function decryptor(key, passphrase) {
  const d = new sp.Decryption();
  d.addKey(key);
  if (passphrase) d.addKeyPassphrase(passphrase);
  return d;
}

const bob = newKey('bob');

test('error codes are a stable list', () => {
  const codes = sp.errorCodes();
  for (const c of ['BAD_PASSPHRASE', 'KEY_LOCKED', 'NO_MATCHING_KEY', 'DECRYPTION_FAILED', 'MALFORMED_INPUT',
    'POLICY_REJECTED', 'UNSUPPORTED', 'INVALID_ARGUMENT', 'NO_USABLE_KEY', 'NO_VALID_SIGNATURE', 'LIMIT_EXCEEDED', 'DECOMPRESSION_BOMB', 'NOT_ENCRYPTED', 'INTERNAL']) {
    assert.ok(codes.includes(c), c);
  }
  assert.equal(new Set(codes).size, codes.length);
});

test('round trip with signature results as data', () => {
  const alice = newKey('alice');
  const e = new sp.Encryption();
  e.addRecipient(bob.toPublic());
  e.addSigner(alice);
  const ct = e.encrypt(enc('hello bob'));
  assert.match(new TextDecoder().decode(ct), /^-----BEGIN PGP MESSAGE-----/);
  const d = decryptor(bob);
  d.addVerificationKey(alice.toPublic());
  const { data, signatures, layers } = d.decrypt(ct);
  assert.equal(new TextDecoder().decode(data), 'hello bob');
  assert.equal(signatures.length, 1);
  assert.equal(signatures[0].status, 'valid');
  assert.equal(signatures[0].signerFingerprint, alice.fingerprint);
  assert.equal(typeof signatures[0].created, 'number');
  assert.deepEqual(layers, { encrypted: true, cipher: 'AES-256', aead: null, compressed: false, filename: null });
  const info = alice.info();
  assert.equal(info.fingerprint, alice.fingerprint);
  assert.equal(info.userIds[0].email, 'alice@example.org');
  assert.equal(info.keys.length, 3);
});

test('random bytes', () => {
  let x = 0x1234567;
  for (let i = 0; i < 200; i++) {
    const junk = new Uint8Array(1 + ((i * 37) % 2000)).map(() => {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      return x & 0xff;
    });
    try {
      decryptor(bob).decrypt(junk);
      assert.fail(`random input ${i} decrypted`);
    } catch (e) {
      assert.equal(e.name, 'SealpostError', `input ${i}: ${e}`);
      assert.ok(['MALFORMED_INPUT', 'UNSUPPORTED', 'NO_MATCHING_KEY', 'NOT_ENCRYPTED', 'DECRYPTION_FAILED', 'POLICY_REJECTED'].includes(e.code), `input ${i}: ${e.code}`);
    }
  }
});

test('empty input', () => {
  expectCode(() => decryptor(bob).decrypt(new Uint8Array(0)), 'MALFORMED_INPUT');
  expectCode(() => decryptor(bob).decrypt(''), 'MALFORMED_INPUT');
  expectCode(() => sp.readKey(''), 'MALFORMED_INPUT');
  expectCode(() => sp.dearmor(''), 'MALFORMED_INPUT');
});

test('truncated armor', () => {
  const ct = new TextDecoder().decode(encryptTo(bob));
  expectCode(() => decryptor(bob).decrypt(ct.slice(0, ct.length / 2)), 'MALFORMED_INPUT');
  const key = bob.toPublic().toArmored();
  expectCode(() => sp.readKey(key.slice(0, key.length - 60)), 'MALFORMED_INPUT');
  expectCode(() => sp.dearmor(key.slice(0, 80)), 'MALFORMED_INPUT');
});

test('a flipped byte in the ciphertext (SEIPDv1 and SEIPDv2)', () => {
  for (const version of [4, 6]) {
    const k = newKey(`flip${version}`, { version });
    const ct = encryptTo(k, { armor: false });
    for (const at of [ct.length - 1, ct.length - 5, ct.length - 30]) {
      const bad = Uint8Array.from(ct);
      bad[at] ^= 0x08;
      expectCode(() => decryptor(k).decrypt(bad), 'DECRYPTION_FAILED');
    }
  }
});

test('a message without integrity protection (SED)', () => {
  const key = sp.readKey(fixture('fail_sed_no_mdc.key'));
  expectCode(() => decryptor(key).decrypt(fixture('fail_sed_no_mdc.pgp')), 'POLICY_REJECTED');
});

test('a wrong passphrase, and a locked key without one', () => {
  const locked = newKey('carol', { passphrase: 'right passphrase' });
  const ct = encryptTo(locked);
  const e = expectCode(() => decryptor(locked, 'wrong passphrase').decrypt(ct), 'BAD_PASSPHRASE');
  assert.ok(!e.message.includes('wrong passphrase'), 'passphrase leaked into the error');
  expectCode(() => decryptor(locked).decrypt(ct), 'KEY_LOCKED');
  expectCode(() => sp.unlockKey(locked, 'nope'), 'BAD_PASSPHRASE');
  assert.equal(new TextDecoder().decode(decryptor(locked, 'right passphrase').decrypt(ct).data), SECRET);
});

test('a message to an unknown key', () => {
  expectCode(() => decryptor(newKey('eve')).decrypt(encryptTo(bob)), 'NO_MATCHING_KEY');
});

test('argument types are checked', () => {
  assert.throws(() => sp.readKey(42), TypeError);
  assert.throws(() => sp.generateKey({ userIDs: 5 }), TypeError);
  assert.throws(() => sp.generateKey({ version: 5 }), RangeError);
  expectCode(() => sp.generateKey({ type: 'rsa1024' }), 'INVALID_ARGUMENT');
  const s = new sp.Signing();
  assert.throws(() => s.setMode('sideways'), RangeError);
});

test('a v4 key packet over 64 KiB (sequoia 2.4.2 panics on its fingerprint) is refused, not a trap', () => {
  // fuzz/regressions/cert/: the fuzz key's certificate plus a 64 KiB subkey (issue 26).
  const big = readFileSync(new URL('../../fuzz/regressions/cert/v4-key-packet-over-64k-panics-sequoia', import.meta.url));
  const before = newKey('carol');
  expectCode(() => sp.readKey(big), 'MALFORMED_INPUT');
  expectCode(() => sp.readKeys(big), 'MALFORMED_INPUT');
  expectCode(() => sp.readKey(sp.armor(big)), 'MALFORMED_INPUT');
  // No trap: a key made before still works, and so does the module.
  assert.equal(new TextDecoder().decode(decryptor(before).decrypt(encryptTo(before)).data), SECRET);
});

test('the module keeps working after all of the above', () => {
  assert.equal(new TextDecoder().decode(decryptor(bob).decrypt(encryptTo(bob)).data), SECRET);
});
