// The default wasm module (sealpost-wasm without its `full` feature; issue 23) beside the full
// one, in Node: what the default module leaves out (NIST curves, Curve448, legacy ciphers, BZip2)
// is UNSUPPORTED with `missing: 'algorithm'`, and the full module does the same call; what no
// build supports or accepts (CAST5, past the policy's cut-off) gets no marker; RSA and
// Curve25519 work in both.  Keys and messages come from GnuPG (RSA-3072, NIST P-256, Camellia,
// CAST5, BZip2) and from the full module (Curve448: this GnuPG, 2.2, has no Ed448).
// `make build-dev` builds both: build/node-dev-default/ and build/node-dev/
// (SEALPOST_WASM_NODE_DEFAULT and SEALPOST_WASM_NODE point elsewhere).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const load = (env, dir) => import(process.env[env]
  ? pathToFileURL(process.env[env]).href
  : new URL(`../../build/${dir}/sealpost_wasm.js`, import.meta.url).href);
const small = await load('SEALPOST_WASM_NODE_DEFAULT', 'node-dev-default');
const full = await load('SEALPOST_WASM_NODE', 'node-dev');

const SECRET = 'default module test, 7c1e';
const enc = (s) => new TextEncoder().encode(s);
const dec = (b) => new TextDecoder().decode(b);

const home = mkdtempSync(join(tmpdir(), 'sealpost-gpg-default-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));
function gpg(args, input, passphrase = '') {
  const r = spawnSync('gpg', ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', passphrase, ...args], { input });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout;
}

// A gpg key (unprotected) and a message gpg encrypted to it.
function gpgKeyAndMessage(algo, extra = []) {
  const uid = `${algo} <${algo}@example.org>`;
  gpg(['--quick-gen-key', uid, algo, 'sign,cert', 'never']);
  const fpr = gpg(['--with-colons', '--list-keys', `${algo}@example.org`]).toString().match(/^fpr:+([0-9A-F]{40}):/m)[1];
  gpg(['--quick-add-key', fpr, algo, 'encr', 'never']);
  const secret = gpg(['--armor', '--export-secret-keys', `${algo}@example.org`]).toString();
  const message = gpg(['--trust-model', 'always', '--encrypt', '-r', `${algo}@example.org`, ...extra], enc(SECRET));
  return { secret, message: new Uint8Array(message) };
}

function decryptWith(sp, armoredKey, message) {
  const d = new sp.Decryption();
  d.addKey(sp.readKey(armoredKey));
  return dec(d.decrypt(message).data);
}

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `wasm trapped: ${e}`);
    assert.equal(e.name, 'SealpostError', String(e));
    assert.ok(!e.message.includes(SECRET), 'plaintext in the error message');
    return e;
  }
  assert.fail('nothing was thrown');
}

function assertMissing(fn) {
  const e = thrown(fn);
  assert.equal(e.code, 'UNSUPPORTED', e.message);
  assert.equal(e.missing, 'algorithm', e.message);
  return e;
}

test('the two modules differ: the default one generates no Curve448 or NIST key, the full one does', () => {
  for (const type of ['curve448', 'nistp256']) {
    assertMissing(() => small.generateKey({ userIDs: ['a <a@example.org>'], type }));
    assert.ok(full.generateKey({ userIDs: ['a <a@example.org>'], type }).privateKey);
  }
  // Curve25519 (the default) in both.
  assert.ok(small.generateKey({ userIDs: ['a <a@example.org>'] }).privateKey);
});

test('RSA-3072 from gpg: the default module decrypts it', () => {
  const { secret, message } = gpgKeyAndMessage('rsa3072');
  assert.equal(decryptWith(small, secret, message), SECRET);
  assert.equal(decryptWith(full, secret, message), SECRET);
});

test('NIST P-256 from gpg: default UNSUPPORTED missing algorithm as soon as the key is read (its info could be wrong), full decrypts', () => {
  const { secret, message } = gpgKeyAndMessage('nistp256');
  assertMissing(() => decryptWith(small, secret, message));
  assert.equal(decryptWith(full, secret, message), SECRET);
  const pub = full.readKey(secret).toPublic().toArmored();
  assertMissing(() => small.readKey(secret));
  assertMissing(() => small.readKey(pub));
  assertMissing(() => small.readKeys(pub));
  // Its info in the full module: a valid key (the default module could not check that).
  assert.equal(full.readKey(pub).info().valid, true);
});

test('a session key given for a cipher the default module lacks (Camellia-256, from gpg): UNSUPPORTED missing algorithm, full decrypts', () => {
  const PASSWORD = 'session key password';
  const m = new Uint8Array(gpg(['--symmetric', '--cipher-algo', 'CAMELLIA256', '--compress-algo', 'none'], enc(SECRET), PASSWORD));
  const r = spawnSync('gpg', ['--homedir', home, '--batch', '--pinentry-mode', 'loopback', '--passphrase', PASSWORD, '--show-session-key', '--decrypt'], { input: m });
  assert.equal(r.status, 0, r.stderr.toString());
  const sk = r.stderr.toString().match(/session key: '(\d+:[0-9A-F]+)'/)[1];
  assert.match(sk, /^13:/);
  const withSessionKey = (sp) => {
    const d = new sp.Decryption();
    d.addSessionKey(sk);
    return dec(d.decrypt(m).data);
  };
  assertMissing(() => withSessionKey(small));
  assert.equal(withSessionKey(full), SECRET);
});

test('Curve448 (made by the full module): default UNSUPPORTED missing algorithm, full decrypts', () => {
  const key = full.generateKey({ userIDs: ['c448 <c448@example.org>'], type: 'curve448' }).privateKey;
  const e = new full.Encryption();
  e.addRecipient(key.toPublic());
  const message = e.encrypt(enc(SECRET));
  const armored = key.toArmored(true);
  assertMissing(() => decryptWith(small, armored, message));
  assert.equal(decryptWith(full, armored, message), SECRET);
});

test('Camellia-256 and BZip2 from gpg (password): default UNSUPPORTED missing algorithm, full decrypts; CAST5 and altered: no marker', () => {
  const PASSWORD = 'default module password';
  const sym = (extra) => new Uint8Array(gpg(['--symmetric', ...extra], enc(SECRET.repeat(20)), PASSWORD));
  const withPassword = (sp, m) => {
    const d = new sp.Decryption();
    d.addPassword(PASSWORD);
    return dec(d.decrypt(m).data);
  };
  for (const extra of [['--cipher-algo', 'CAMELLIA256', '--compress-algo', 'none'], ['--cipher-algo', 'AES256', '--compress-algo', 'bzip2']]) {
    const m = sym(extra);
    assertMissing(() => withPassword(small, m));
    assert.equal(withPassword(full, m), SECRET.repeat(20));
  }
  // CAST5 is past the policy's cut-off in both modules: no marker (the full module would
  // refuse it too).
  const cast5 = sym(['--cipher-algo', 'CAST5', '--compress-algo', 'none']);
  for (const sp of [small, full]) {
    const e = thrown(() => withPassword(sp, cast5));
    assert.equal(e.code, 'DECRYPTION_FAILED', e.message);
    assert.equal(e.missing, undefined);
  }
  // BZip2 is named only once the message authenticated: one changed byte is a decryption
  // failure in both modules, without the marker (no hint to whoever altered it).
  const bad = sym(['--cipher-algo', 'AES256', '--compress-algo', 'bzip2']);
  bad[Math.floor(bad.length / 2)] ^= 1;
  for (const sp of [small, full]) {
    const e = thrown(() => withPassword(sp, bad));
    assert.equal(e.code, 'DECRYPTION_FAILED', e.message);
    assert.equal(e.missing, undefined);
  }
});

test('what no build supports is plain UNSUPPORTED in both (a CAST5 session key to encrypt with)', () => {
  const key = small.generateKey({ userIDs: ['p <p@example.org>'] }).privateKey;
  for (const sp of [small, full]) {
    const e = new sp.Encryption();
    e.addRecipient(sp.readKey(key.toPublic().toArmored()));
    e.setSessionKey(`3:${'00'.repeat(16)}`);
    const err = thrown(() => e.encrypt(enc('x')));
    assert.equal(err.code, 'UNSUPPORTED', err.message);
    assert.equal(err.missing, undefined);
  }
});

test("the marker crosses the worker boundary (the shim's serializeError/reviveError, structured clone)", async () => {
  const { serializeError, reviveError, SealpostError } = await import('../../js-shim/src/errors.js');
  const e = assertMissing(() => small.generateKey({ userIDs: ['a <a@example.org>'], type: 'curve448' }));
  const back = reviveError(structuredClone(serializeError(e)));
  assert.ok(back instanceof SealpostError);
  assert.equal(back.code, 'UNSUPPORTED');
  assert.equal(back.missing, 'algorithm');
  const plain = reviveError(structuredClone(serializeError(new SealpostError('UNSUPPORTED', 'x'))));
  assert.equal(plain.missing, undefined);
});

test('supportedKeyTypes: the default module lists what it can generate, and with the full module what a package that fetches it can', () => {
  const own = small.supportedKeyTypes();
  const withFull = small.supportedKeyTypes(true);
  const fullTypes = full.supportedKeyTypes();
  assert.ok(own.includes('curve25519') && own.includes('rsa3072'), String(own));
  for (const t of ['p256', 'curve448', 'pqc-mldsa65-ed25519']) {
    assert.ok(!own.includes(t), `the default module says it generates ${t}`);
    assert.ok(fullTypes.includes(t), `the full module does not list ${t}: ${fullTypes}`);
  }
  assert.deepEqual(withFull, fullTypes);
  // In the full module both answers are the same list.
  assert.deepEqual(full.supportedKeyTypes(true), fullTypes);
});

test('a signature by a given certificate of a left-out algorithm gets no verdict in the default module (UNSUPPORTED missing algorithm), a valid one in the full module', () => {
  // A NIST P-256 key from gpg signs (detached and inline); the full module made a post-quantum one.
  const uid = 'p256 signer <p256signer@example.org>';
  gpg(['--quick-gen-key', uid, 'nistp256', 'sign,cert', 'never']);
  const p256Cert = gpg(['--armor', '--export', 'p256signer@example.org']).toString();
  const data = enc('signed by a key of an algorithm the default module left out');
  const detached = new Uint8Array(gpg(['--detach-sign', '-u', 'p256signer@example.org'], data));
  const inline = new Uint8Array(gpg(['--sign', '-u', 'p256signer@example.org'], data));
  const pqc = full.generateKey({ userIDs: ['pqc <pqc@example.org>'], type: 'pqc-mldsa65-ed25519' }).privateKey;
  const s = new full.Signing();
  s.addSigner(pqc);
  s.setMode('detached');
  const pqcSig = s.sign(data);
  const ed = small.generateKey({ userIDs: ['ed <ed@example.org>'] }).privateKey;
  const s2 = new small.Signing();
  s2.addSigner(ed);
  s2.setMode('detached');
  const edSig = s2.sign(data);
  const verifier = (sp, ...certs) => {
    const v = new sp.Verification();
    for (const c of certs) v.addKey(sp.readKey(c));
    return v;
  };
  const pqcCert = pqc.toPublic().toArmored();
  const edCert = ed.toPublic().toArmored();
  for (const [cert, sig] of [[p256Cert, detached], [pqcCert, pqcSig]]) {
    assertMissing(() => verifier(small, cert).verifyDetached(data, sig));
    const r = verifier(full, cert).verifyDetached(data, sig);
    assert.equal(r.signatures.length, 1);
    assert.equal(r.signatures[0].valid, true, JSON.stringify(r.signatures));
  }
  assertMissing(() => verifier(small, p256Cert).verify(inline));
  assert.equal(verifier(full, p256Cert).verify(inline).signatures[0].valid, true);
  // The default module's own algorithms keep their verdict, and a signature no given certificate
  // issued is "unknown key" in both modules (no fetch for it).
  const r = verifier(small, edCert).verifyDetached(data, edSig);
  assert.equal(r.signatures[0].valid, true, JSON.stringify(r.signatures));
  for (const sp of [small, full]) {
    const unknown = verifier(sp, edCert).verifyDetached(data, detached);
    assert.equal(unknown.signatures[0].valid, false);
    assert.equal(unknown.signatures[0].status, 'unknown_key', JSON.stringify(unknown.signatures));
  }
});
