// Every public call of the sealpost package, in Node (direct mode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
// The test entry first: it enables its hooks only before an entry point chose the backend.
import { __testTrap } from '../src/testing.js';
import * as sp from '../src/node.js';

const text = (s) => sp.createMessage({ text: s });

async function keyPair(opts = {}) {
  return sp.generateKey({ userIDs: [{ name: 'Alice', email: 'alice@example.org' }], format: 'object', ...opts });
}

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof sp.SealpostError, `${e && e.name}: ${e && e.message}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

test('mode and capabilities', async () => {
  assert.equal(sp.getMode(), 'direct');
  const types = await sp.supportedKeyTypes();
  assert.ok(types.includes('curve25519') && types.includes('pqc-mldsa65-ed25519'));
  const codes = await sp.errorCodes();
  for (const c of ['BAD_PASSPHRASE', 'DECRYPTION_FAILED', 'WASM_TRAPPED', 'KEY_DISPOSED', 'INTEGRITY_FAILED']) assert.ok(codes.includes(c), c);
  await assert.rejects(sp.configure({ mode: 'worker' }), (e) => e.code === 'NOT_SUPPORTED');
  await sp.configure({});
});

test('generateKey: formats, types, user IDs, expiry', async () => {
  const armored = await sp.generateKey({ userIDs: [{ name: 'A', email: 'a@example.org' }, 'Second <b@example.org>'] });
  assert.match(armored.privateKey, /^-----BEGIN PGP PRIVATE KEY BLOCK-----/);
  assert.match(armored.publicKey, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
  assert.match(armored.revocationCertificate, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
  const binary = await sp.generateKey({ userIDs: 'B <b@example.org>', format: 'binary' });
  assert.ok(binary.privateKey instanceof Uint8Array);
  for (const [opts, algo, version] of [
    [{}, 'EdDSA', 4],
    [{ type: 'curve25519' }, 'Ed25519', 6],
    [{ config: { v6Keys: true } }, 'Ed25519', 6],
    [{ type: 'curve448' }, 'Ed448', 6],
    [{ type: 'ecc', curve: 'nistP256' }, 'ECDSA', 4],
    [{ type: 'rsa', rsaBits: 3072 }, 'RSA', 4],
    [{ type: 'pqc' }, 'ML-DSA-65\\+Ed25519', 6],
  ]) {
    const { privateKey } = await keyPair(opts);
    assert.equal(privateKey.info.version, version, JSON.stringify(opts));
    assert.match(privateKey.info.keys[0].algorithm, new RegExp(`^${algo}$`), JSON.stringify(opts));
  }
  const { privateKey } = await keyPair({ keyExpirationTime: 3600 });
  const exp = privateKey.getExpirationTime();
  assert.ok(exp instanceof Date && Math.abs(exp - privateKey.getCreationTime() - 3600_000) < 120_000);
  assert.equal((await keyPair()).privateKey.getExpirationTime(), Infinity);
  assert.deepEqual(privateKey.getUserIDs(), ['Alice <alice@example.org>']);
  assert.equal(privateKey.getKeyID().toHex(), privateKey.getFingerprint().slice(-16));
});

test('generateKey: argument errors name the argument', async () => {
  await assert.rejects(sp.generateKey(), TypeError);
  await assert.rejects(sp.generateKey({ type: 'dsa' }), /type "dsa" is not supported/);
  await assert.rejects(sp.generateKey({ type: 'rsa', rsaBits: 2048 }), RangeError);
  await assert.rejects(sp.generateKey({ keyExpirationTime: -1 }), RangeError);
  await assert.rejects(sp.generateKey({ format: 'pem' }), RangeError);
  await assert.rejects(sp.generateKey({ userIDs: [42] }), /userIDs\[0\] must be an object/);
  await assert.rejects(sp.generateKey({ passphrase: 5 }), /passphrase must be a string/);
});

test('readKey, readKeys, readPrivateKey, armor/write, toPublic', async () => {
  const { privateKey, publicKey } = await keyPair();
  const armored = await privateKey.armor();
  const back = await sp.readKey({ armoredKey: armored });
  assert.equal(back.getFingerprint(), privateKey.getFingerprint());
  assert.equal(back.isPrivate(), true);
  const bin = await publicKey.write();
  assert.equal((await sp.readKey({ binaryKey: bin })).isPrivate(), false);
  await rejectsWith(sp.readPrivateKey({ binaryKey: bin }), 'INVALID_ARGUMENT');
  const other = await keyPair();
  const ring = (await publicKey.armor()) + (await other.publicKey.armor());
  assert.equal((await sp.readKeys({ armoredKeys: ring })).length, 2);
  // As OpenPGP.js: readKey of several keys is the first one; readPrivateKey the first private one.
  assert.equal((await sp.readKey({ armoredKey: ring })).getFingerprint(), publicKey.getFingerprint());
  const mixed = [...bin, ...(await other.privateKey.write())];
  assert.equal((await sp.readPrivateKey({ binaryKey: new Uint8Array(mixed) })).getFingerprint(), other.privateKey.getFingerprint());
  await rejectsWith(sp.readKey({ armoredKey: 'nope' }), 'MALFORMED_INPUT');
  await assert.rejects(sp.readKey({}), TypeError);
  await assert.rejects(sp.readKey({ binaryKey: 'string' }), /binaryKey must be a Uint8Array/);
});

test('decryptKey, encryptKey, changeKeyPassphrase', async () => {
  const { privateKey } = await keyPair({ passphrase: 'first' });
  assert.equal(privateKey.isDecrypted(), false);
  await rejectsWith(sp.decryptKey({ privateKey, passphrase: 'wrong' }), 'BAD_PASSPHRASE');
  const open = await sp.decryptKey({ privateKey, passphrase: ['wrong', 'first'] });
  assert.equal(open.isDecrypted(), true);
  assert.equal(privateKey.isDecrypted(), false, 'the original stays locked');
  const relocked = await sp.encryptKey({ privateKey: open, passphrase: 'second' });
  assert.equal(relocked.isDecrypted(), false);
  await sp.decryptKey({ privateKey: relocked, passphrase: 'second' });
  const changed = await sp.changeKeyPassphrase({ privateKey: relocked, oldPassphrase: 'second', newPassphrase: 'third' });
  await sp.decryptKey({ privateKey: changed, passphrase: 'third' });
  await assert.rejects(sp.decryptKey({ privateKey: await privateKey.toPublic(), passphrase: 'x' }), /must be a private key/);
});

test('revokeKey, with a reason and with a revocation certificate', async () => {
  const { privateKey, revocationCertificate } = await keyPair();
  const { privateKey: revoked, publicKey: revokedPub } = await sp.revokeKey({ key: privateKey, reasonForRevocation: { flag: 2, string: 'stolen' }, format: 'object' });
  assert.equal(revoked.isRevoked(), true);
  assert.equal(revokedPub.isRevoked(), true);
  await rejectsWith(sp.encrypt({ message: await text('x'), encryptionKeys: revokedPub }), 'NO_USABLE_KEY');
  const { publicKey } = await sp.revokeKey({ key: await privateKey.toPublic(), revocationCertificate, format: 'object' });
  assert.equal(publicKey.isRevoked(), true);
  await assert.rejects(sp.revokeKey({ key: privateKey, reasonForRevocation: { flag: 9 } }), RangeError);
});

test('encrypt / decrypt: keys, passwords, formats, signatures', async () => {
  const alice = await keyPair();
  const bob = await keyPair();
  const message = await text('to bob');
  const armored = await sp.encrypt({ message, encryptionKeys: [bob.publicKey], signingKeys: alice.privateKey, passwords: 'also a password' });
  const r = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: bob.privateKey, verificationKeys: alice.publicKey });
  assert.equal(r.data, 'to bob');
  assert.equal(r.signatures.length, 1);
  assert.equal(r.signatures[0].valid, true);
  assert.equal(r.signatures[0].signerFingerprint, alice.privateKey.getFingerprint());
  assert.ok(r.signatures[0].created instanceof Date);
  assert.equal(await r.signatures[0].verified, true);
  const byPassword = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), passwords: ['also a password'], format: 'binary' });
  assert.deepEqual(byPassword.data, new TextEncoder().encode('to bob'));
  // Unknown signer: data is returned, `verified` rejects (created lazily: no unhandled rejection).
  const r2 = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: bob.privateKey });
  assert.equal(r2.signatures[0].status, 'unknown_key');
  await rejectsWith(r2.signatures[0].verified, 'NO_VALID_SIGNATURE');
  await rejectsWith(sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: bob.privateKey, expectSigned: true }), 'NO_VALID_SIGNATURE');
  // Binary in, binary out.
  const bytes = new Uint8Array(100_000).map((_, i) => i * 31);
  const ct = await sp.encrypt({ message: await sp.createMessage({ binary: bytes }), encryptionKeys: bob.publicKey, format: 'binary' });
  assert.ok(ct instanceof Uint8Array);
  const out = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: ct }), decryptionKeys: bob.privateKey, format: 'binary' });
  assert.deepEqual(out.data, bytes);
  // Errors.
  await rejectsWith(sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: alice.privateKey }), 'NO_MATCHING_KEY');
  await rejectsWith(sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), passwords: 'wrong' }), 'DECRYPTION_FAILED');
  await assert.rejects(sp.encrypt({ message: 'plain string', encryptionKeys: bob.publicKey }), /message must be a Message/);
  await assert.rejects(sp.encrypt({ message }), /encryptionKeys, passwords or sessionKey is required/);
  await assert.rejects(sp.decrypt({ message, decryptionKeys: bob.privateKey }), /readMessage/);
  await assert.rejects(sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: bob.publicKey }), /must be a private key/);
  await assert.rejects(sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: bob.privateKey, maxPlaintext: -1 }), RangeError);
});

test('AEAD: v6 recipients and config.aeadProtect', async () => {
  const v6 = await keyPair({ config: { v6Keys: true } });
  const v4 = await keyPair();
  const message = await text('aead');
  const a = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: await sp.encrypt({ message, encryptionKeys: v6.publicKey }) }), decryptionKeys: v6.privateKey });
  assert.equal(a.layers.aead, 'OCB');
  const b = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: await sp.encrypt({ message, encryptionKeys: v4.publicKey }) }), decryptionKeys: v4.privateKey });
  assert.equal(b.layers.aead, null);
  const c = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: await sp.encrypt({ message, encryptionKeys: v4.publicKey, config: { aeadProtect: true } }) }), decryptionKeys: v4.privateKey });
  assert.equal(c.layers.aead, 'OCB');
});

test('sign / verify: inline, detached, cleartext', async () => {
  const { privateKey, publicKey } = await keyPair();
  const inline = await sp.sign({ message: await text('inline'), signingKeys: privateKey });
  let v = await sp.verify({ message: await sp.readMessage({ armoredMessage: inline }), verificationKeys: publicKey, expectSigned: true });
  assert.equal(v.data, 'inline');
  const detached = await sp.sign({ message: await sp.createMessage({ binary: new Uint8Array([9, 9]) }), signingKeys: privateKey, detached: true, format: 'binary' });
  v = await sp.verify({ message: await sp.createMessage({ binary: new Uint8Array([9, 9]) }), signature: await sp.readSignature({ binarySignature: detached }), verificationKeys: publicKey, format: 'binary' });
  assert.equal(v.signatures[0].valid, true);
  v = await sp.verify({ message: await sp.createMessage({ binary: new Uint8Array([9, 8]) }), signature: await sp.readSignature({ binarySignature: detached }), verificationKeys: publicKey });
  assert.equal(v.signatures[0].status, 'bad_signature');
  const clear = await sp.sign({ message: await sp.createCleartextMessage({ text: 'cleartext\nsecond line' }), signingKeys: privateKey });
  assert.match(clear, /^-----BEGIN PGP SIGNED MESSAGE-----/);
  v = await sp.verify({ message: await sp.readCleartextMessage({ cleartextMessage: clear }), verificationKeys: publicKey, expectSigned: true });
  assert.equal(v.data, 'cleartext\nsecond line');
  await rejectsWith(sp.verify({ message: await sp.readCleartextMessage({ cleartextMessage: clear }), verificationKeys: (await keyPair()).publicKey, expectSigned: true }), 'NO_VALID_SIGNATURE');
  await assert.rejects(sp.readCleartextMessage({ cleartextMessage: 'hello' }), (e) => e.code === 'MALFORMED_INPUT');
});

test('armor / unarmor', async () => {
  const { publicKey } = await keyPair();
  const bin = await publicKey.write();
  const armored = await sp.armor(bin);
  assert.match(armored, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
  assert.deepEqual((await sp.unarmor(armored)).data, bin);
  assert.match(await sp.armor(bin, 'message'), /^-----BEGIN PGP MESSAGE-----/);
  await assert.rejects(sp.armor('text'), TypeError);
  await assert.rejects(sp.armor(bin, 'pem'), RangeError);
  await rejectsWith(sp.unarmor('-----BEGIN PGP MESSAGE-----\n\nAAAA'), 'MALFORMED_INPUT');
});

test('disposed keys and a trapped instance', async () => {
  const { privateKey } = await keyPair();
  const pub = await privateKey.toPublic();
  privateKey.dispose();
  await assert.rejects(sp.encrypt({ message: await text('x'), encryptionKeys: pub, signingKeys: privateKey }), (e) => e.code === 'KEY_DISPOSED');
  await rejectsWith(__testTrap(), 'WASM_TRAPPED');
  await rejectsWith(pub.armor(), 'KEY_DISPOSED');
  const fresh = await keyPair();
  assert.equal(fresh.privateKey.getFingerprint().length, 40);
});

test('session keys: returned on request, and enough to decrypt alone', async () => {
  const { privateKey } = await keyPair();
  const publicKey = await privateKey.toPublic();
  const armored = await sp.encrypt({ message: await text('session'), encryptionKeys: publicKey });
  const message = await sp.readMessage({ armoredMessage: armored });
  const plain = await sp.decrypt({ message, decryptionKeys: privateKey });
  assert.equal('sessionKey' in plain, false, 'not revealed unless asked');
  const { sessionKey } = await sp.decrypt({ message, decryptionKeys: privateKey, returnSessionKey: true });
  assert.match(sessionKey, /^9:[0-9A-F]{64}$/);
  const { data } = await sp.decrypt({ message, sessionKeys: sessionKey });
  assert.equal(data, 'session');
  await rejectsWith(sp.decrypt({ message, sessionKeys: '9:' + '00'.repeat(32) }), 'DECRYPTION_FAILED');
  await rejectsWith(sp.decrypt({ message, sessionKeys: 'nonsense' }), 'INVALID_ARGUMENT');
});

test('a crafted message that crashed sequoia (found by make fuzz) is an error, not a trap', async () => {
  const { readFileSync } = await import('node:fs');
  const key = await sp.readKey({ armoredKey: readFileSync(new URL('../../fuzz/key.asc', import.meta.url), 'utf8') });
  const crash = readFileSync(new URL('../../fuzz/regressions/decrypt/seipdv1-too-short-after-armor-error-panics-sequoia', import.meta.url), 'utf8');
  await rejectsWith(sp.decrypt({ message: await sp.readMessage({ armoredMessage: crash }), decryptionKeys: key, passwords: 'fuzz' }), 'MALFORMED_INPUT');
  // The instance did not trap: it still works.
  assert.equal((await sp.supportedKeyTypes()).includes('curve25519'), true);
});

test('limits: a decompression bomb made by OpenPGP.js is DECOMPRESSION_BOMB; every limit is configurable and checked', async () => {
  const openpgp = await import('openpgp');
  // 16 MiB of zeros, zlib-compressed by OpenPGP.js: ~1000:1.
  const bomb = await openpgp.encrypt({
    message: await openpgp.createMessage({ binary: new Uint8Array(16 << 20) }),
    passwords: 'pw',
    format: 'binary',
    config: { preferredCompressionAlgorithm: openpgp.enums.compression.zlib },
  });
  assert.ok(bomb.length < 256 << 10, `${bomb.length} bytes`);
  const message = await sp.readMessage({ binaryMessage: bomb });
  await rejectsWith(sp.decrypt({ message, passwords: 'pw', format: 'binary' }), 'DECOMPRESSION_BOMB');
  const whole = await sp.decrypt({ message, passwords: 'pw', format: 'binary', limits: { maxCompressionRatio: 0 } });
  assert.equal(whole.data.length, 16 << 20);
  await rejectsWith(sp.decrypt({ message, passwords: 'pw', limits: { maxCompressionRatio: 0, maxPlaintext: 1 << 20 } }), 'LIMIT_EXCEEDED');

  // Recipients and signatures.
  const a = await keyPair();
  const b = await keyPair();
  const two = await sp.readMessage({ armoredMessage: await sp.encrypt({ message: await text('x'), encryptionKeys: [a.publicKey, b.publicKey] }) });
  assert.equal((await sp.decrypt({ message: two, decryptionKeys: a.privateKey })).data, 'x');
  await rejectsWith(sp.decrypt({ message: two, decryptionKeys: a.privateKey, limits: { maxRecipients: 1 } }), 'LIMIT_EXCEEDED');
  const data = await text('signed twice');
  const sigs = await sp.readSignature({ armoredSignature: await sp.sign({ message: data, signingKeys: [a.privateKey, b.privateKey], detached: true }) });
  const ok = await sp.verify({ message: data, signature: sigs, verificationKeys: [a.publicKey, b.publicKey] });
  assert.equal(ok.signatures.length, 2);
  await rejectsWith(sp.verify({ message: data, signature: sigs, verificationKeys: a.publicKey, limits: { maxSignatures: 1 } }), 'LIMIT_EXCEEDED');

  // Argument mistakes are TypeError / RangeError, named.
  await assert.rejects(sp.decrypt({ message, passwords: 'pw', limits: { maxRecipient: 3 } }), (e) => e instanceof TypeError && /unknown limit "maxRecipient"/.test(e.message));
  await assert.rejects(sp.decrypt({ message, passwords: 'pw', limits: 'strict' }), TypeError);
  await assert.rejects(sp.decrypt({ message, passwords: 'pw', limits: { maxSignatures: 1.5 } }), (e) => e instanceof RangeError && /maxSignatures/.test(e.message));
  await assert.rejects(sp.verify({ message: data, signature: sigs, limits: { maxRecipients: 1 } }), /unknown limit "maxRecipients"/);
});

test('a Key the caller drops is released in the crypto instance when collected', async () => {
  const { execFileSync } = await import('node:child_process');
  const src = new URL('../src/', import.meta.url).href;
  const script = `
    import * as sp from '${src}node.js';
    import { keyList } from '${src}keys.js';
    import { current } from '${src}backend.js';
    let kept = (await sp.generateKey({ userIDs: 'K <k@example.org>', format: 'object' })).privateKey;
    let dropped = (await sp.generateKey({ userIDs: 'D <d@example.org>', format: 'object' })).privateKey;
    const [keptHandle] = keyList('k', kept);
    const [droppedHandle] = keyList('d', dropped);
    dropped = null;
    for (let i = 0; i < 20; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
    const state = async (h) => current().call('publicKey', h).then(() => 'alive', (e) => e.code);
    console.log(await state(keptHandle), await state(droppedHandle), kept.getFingerprint().length);
  `;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
  assert.equal(out, 'alive KEY_DISPOSED 40');
});

test('a Key a pending call uses is not released by the garbage collector before the call settles', async () => {
  // A backend that collects garbage (and lets finalizers run) before every call: a Key only the
  // call's arguments refer to must stay alive until the call settled.
  const { execFileSync } = await import('node:child_process');
  const src = new URL('../src/', import.meta.url).href;
  const script = `
    import { setBackendFactory } from '${src}testing.js';
    import * as sp from '${src}node.js';
    import { current } from '${src}backend.js';
    const { privateKey: armored } = await sp.generateKey({ userIDs: 'G <g@example.org>', passphrase: 'right' });
    const { privateKey: bareArmored, revocationCertificate } = await sp.generateKey({ userIDs: 'R <r@example.org>', passphrase: 'r' });
    const inner = current();
    const tick = () => new Promise((r) => setTimeout(r, 10));
    setBackendFactory(() => ({
      kind: 'direct',
      get generation() { return inner.generation; },
      async call(op, ...args) {
        if (op !== 'release') for (let i = 0; i < 10; i++) { globalThis.gc(); await tick(); }
        return inner.call(op, ...args);
      },
      async terminate() {},
    }));
    await sp.configure({});
    const read = (a) => sp.readPrivateKey({ armoredKey: a });
    const out = [];
    const settle = (p) => p.then(() => 'ok', (e) => e.code);
    out.push(await settle((await read(armored)).armor()));
    out.push(await settle(sp.decryptKey({ privateKey: await read(armored), passphrase: ['wrong', 'also wrong', 'right'] })));
    out.push(await settle(sp.revokeKey({ key: await read(bareArmored), revocationCertificate })));
    const { publicKey } = await sp.generateKey({ userIDs: 'P <p@example.org>', format: 'object' });
    const input = new ReadableStream({ start(c) { c.enqueue(new Uint8Array(100)); c.close(); } });
    const encrypted = await sp.encrypt({ message: await sp.createMessage({ binary: input }), encryptionKeys: publicKey, signingKeys: await sp.decryptKey({ privateKey: await read(armored), passphrase: 'right' }), format: 'binary' });
    out.push(await settle((async () => { for await (const c of encrypted); })()));
    console.log(out.join(' '));
  `;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
  assert.equal(out, 'ok ok ok ok');
});

test('the direct backend answers the engine methods only: no trap op (src/testing.js traps it)', async () => {
  const { current } = await import('../src/backend.js');
  const { privateKey } = await keyPair();
  for (const op of ['__testTrap', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    await rejectsWith(current().call(op), 'INVALID_ARGUMENT');
  }
  assert.equal((await privateKey.toPublic()).getFingerprint(), privateKey.getFingerprint(), 'nothing trapped: the key is still there');
});

test('createWorker and the backend factory: refused (CONFIG_REFUSED) through the production entry, before and after the first call', async () => {
  // A fresh process that imports the entry point only, like a page: no test hooks.
  const { execFileSync } = await import('node:child_process');
  const src = new URL('../src/', import.meta.url).href;
  const script = `
    import * as sp from '${src}node.js';
    import { setBackendFactory } from '${src}backend.js';
    const code = (p) => p.then(() => 'accepted', (e) => e.code ?? e.name);
    const out = [];
    const evil = () => { throw new Error('evil worker started'); };
    out.push(await code(sp.configure({ createWorker: evil })));            // before the first call
    out.push(await code(sp.configure({ mode: 'worker', createWorker: evil })));
    out.push(sp.getMode());
    await sp.generateKey({ userIDs: 'N <n@example.org>' });
    out.push(await code(sp.configure({ createWorker: evil })));            // late
    out.push(await code(sp.configure({ createWorker: 'not even a function' })));
    out.push(await code((async () => setBackendFactory(() => ({ kind: 'evil', generation: 0, call: evil, terminate() {} })))()));
    out.push(await code(import('${src}testing.js')));                      // the test entry, imported late
    out.push(await code(sp.configure({ createWorker: evil })));
    out.push(sp.getMode(), (await sp.generateKey({ userIDs: 'M <m@example.org>', format: 'object' })).privateKey.isPrivate());
    console.log(out.join(' '));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
  assert.equal(out, 'CONFIG_REFUSED CONFIG_REFUSED direct CONFIG_REFUSED CONFIG_REFUSED CONFIG_REFUSED CONFIG_REFUSED CONFIG_REFUSED direct true');
  assert.ok((await sp.errorCodes()).includes('CONFIG_REFUSED'));
});

test('strict options, as OpenPGP.js: an unknown option or config key is a TypeError naming it, for every call', async () => {
  const { privateKey, publicKey } = await keyPair();
  const armoredKey = await publicKey.armor();
  const message = await text('strict');
  const encrypted = await sp.encrypt({ message, encryptionKeys: publicKey, format: 'binary' });
  const readEncrypted = await sp.readMessage({ binaryMessage: encrypted });
  const signature = await sp.sign({ message, signingKeys: privateKey, detached: true });
  const clear = await sp.sign({ message: await sp.createCleartextMessage({ text: 'c' }), signingKeys: privateKey });
  const locked = (await sp.generateKey({ userIDs: 'L <l@example.org>', passphrase: 'pw', format: 'object' })).privateKey;
  const mail = { from: 'alice@example.org', to: 'alice@example.org', text: 'hi' };
  // Each: the call with one option it does not take (OpenPGP.js options sealpost does not implement, typos).
  const calls = [
    ['configure', 'nope', () => sp.configure({ nope: 1 })],
    ['generateKey', 'date', () => sp.generateKey({ userIDs: 'A <a@example.org>', date: new Date() })],
    ['generateKey', 'subkeys', () => sp.generateKey({ userIDs: 'A <a@example.org>', subkeys: [{}] })],
    ['generateKey', 'mail', () => sp.generateKey({ userIDs: [{ name: 'A', mail: 'a@example.org' }] })],
    ['readKey', 'armoredkey', () => sp.readKey({ armoredKey, armoredkey: armoredKey })],
    ['readKeys', 'binaryKeyz', () => sp.readKeys({ armoredKeys: armoredKey, binaryKeyz: 1 })],
    ['readPrivateKey', 'passphrase', () => sp.readPrivateKey({ armoredKey, passphrase: 'x' })],
    ['decryptKey', 'passphrases', () => sp.decryptKey({ privateKey: locked, passphrases: ['pw'] })],
    ['encryptKey', 'date', () => sp.encryptKey({ privateKey, passphrase: 'x', date: new Date() })],
    ['changeKeyPassphrase', 'passphrase', () => sp.changeKeyPassphrase({ privateKey: locked, oldPassphrase: 'pw', newPassphrase: 'n', passphrase: 'pw' })],
    ['revokeKey', 'date', () => sp.revokeKey({ key: privateKey, date: new Date() })],
    ['revokeKey', 'text', () => sp.revokeKey({ key: privateKey, reasonForRevocation: { flag: 1, text: 'x' } })],
    ['createMessage', 'date', () => sp.createMessage({ text: 'x', date: new Date() })],
    ['readMessage', 'armoredmessage', () => sp.readMessage({ binaryMessage: encrypted, armoredmessage: '' })],
    ['createCleartextMessage', 'format', () => sp.createCleartextMessage({ text: 'x', format: 'utf8' })],
    ['readCleartextMessage', 'text', () => sp.readCleartextMessage({ cleartextMessage: clear, text: 'x' })],
    ['readSignature', 'binarysignature', () => sp.readSignature({ armoredSignature: signature, binarysignature: 1 })],
    ['encrypt', 'date', () => sp.encrypt({ message, encryptionKeys: publicKey, date: new Date() })],
    ['encrypt', 'wildcard', () => sp.encrypt({ message, encryptionKeys: publicKey, wildcard: true })],
    ['encrypt', 'signature', () => sp.encrypt({ message, encryptionKeys: publicKey, signature: null })],
    ['decrypt', 'signature', () => sp.decrypt({ message: readEncrypted, decryptionKeys: privateKey, signature })],
    ['decrypt', 'date', () => sp.decrypt({ message: readEncrypted, decryptionKeys: privateKey, date: new Date() })],
    ['sign', 'recipientKeys', () => sp.sign({ message, signingKeys: privateKey, recipientKeys: [publicKey] })],
    ['sign', 'signingKeyIDs', () => sp.sign({ message, signingKeys: privateKey, signingKeyIDs: [] })],
    ['verify', 'date', async () => sp.verify({ message, signature: await sp.readSignature({ armoredSignature: signature }), verificationKeys: publicKey, date: new Date() })],
    ['encryptMail', 'sign', () => sp.encryptMail(mail, { encryptionKeys: publicKey, sign: true })],
    ['encryptMail', 'priority', () => sp.encryptMail({ ...mail, priority: 'high' }, { encryptionKeys: publicKey })],
    ['encryptMail', 'name', () => sp.encryptMail({ ...mail, attachments: [{ name: 'a', data: 'x' }] }, { encryptionKeys: publicKey })],
    ['encryptMail', 'prefer', () => sp.encryptMail(mail, { encryptionKeys: publicKey, autocrypt: { prefer: 'mutual' } })],
    ['signMail', 'encryptionKeys', () => sp.signMail(mail, { signingKeys: privateKey, encryptionKeys: publicKey })],
    ['decryptMail', 'expectSigned', () => sp.decryptMail('From: a@example.org\r\n\r\nhi\r\n', { expectSigned: true })],
    ['autocryptHeader', 'prefer', () => sp.autocryptHeader(publicKey, 'alice@example.org', { prefer: 'mutual' })],
    ['wkdLookup', 'timeout', () => sp.wkdLookup('alice@example.org', { fetch: async () => new Response(null, { status: 404 }), timeout: 1 })],
  ];
  for (const [call, name, fn] of calls) {
    await assert.rejects(fn(), (e) => {
      assert.ok(e instanceof TypeError, `${call} ${name}: ${e.name}: ${e.message}`);
      assert.match(e.message, new RegExp(`^${call}: unknown option '${name}'`));
      return true;
    }, `${call} ${name}`);
  }
  // config: the keys a call honours (generateKey: v6Keys, aeadProtect; encrypt: aeadProtect); any other is named.
  const configCalls = {
    generateKey: () => sp.generateKey({ userIDs: 'A <a@example.org>', config: { v6Keys: true, preferredSymmetricAlgorithm: 9 } }),
    encrypt: () => sp.encrypt({ message, encryptionKeys: publicKey, config: { aeadProtect: true, preferredCompressionAlgorithm: 2 } }),
    decrypt: () => sp.decrypt({ message: readEncrypted, decryptionKeys: privateKey, config: { allowInsecureDecryptionWithSigningKeys: true } }),
    sign: () => sp.sign({ message, signingKeys: privateKey, config: { preferredHashAlgorithm: 8 } }),
    verify: () => sp.verify({ message: readEncrypted, config: { minRSABits: 1024 } }),
    readKey: () => sp.readKey({ armoredKey, config: { ignoreUnsupportedPackets: true } }),
    readMessage: () => sp.readMessage({ binaryMessage: encrypted, config: { aeadProtect: true } }),
    decryptKey: () => sp.decryptKey({ privateKey: locked, passphrase: 'pw', config: { v6Keys: true } }),
    revokeKey: () => sp.revokeKey({ key: privateKey, config: { v6Keys: true } }),
  };
  const unsupported = {
    generateKey: 'preferredSymmetricAlgorithm', encrypt: 'preferredCompressionAlgorithm', decrypt: 'allowInsecureDecryptionWithSigningKeys',
    sign: 'preferredHashAlgorithm', verify: 'minRSABits', readKey: 'ignoreUnsupportedPackets', readMessage: 'aeadProtect', decryptKey: 'v6Keys', revokeKey: 'v6Keys',
  };
  for (const [call, fn] of Object.entries(configCalls)) {
    // Named: the one key the call does not honour (not v6Keys/aeadProtect where they are honoured).
    await assert.rejects(fn(), (e) => e instanceof TypeError && new RegExp(`^${call}: unsupported config key '(\\w+)'`).exec(e.message)?.[1] === unsupported[call], call);
  }
  await assert.rejects(sp.generateKey({ userIDs: 'A <a@example.org>', config: 'v6' }), TypeError);
  // What each call honours still works, with an (OpenPGP.js-style) empty config anywhere.
  assert.equal((await sp.generateKey({ userIDs: 'A <a@example.org>', format: 'object', config: { v6Keys: true, aeadProtect: true } })).privateKey.info.version, 6);
  assert.equal((await sp.readKey({ armoredKey, config: {} })).getFingerprint(), publicKey.getFingerprint());
  const r = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: encrypted, config: {} }), decryptionKeys: privateKey, config: {}, format: 'utf8' });
  assert.equal(r.data, 'strict');
});

test('sign: a CleartextMessage is neither detached nor binary (TypeError, as OpenPGP.js refuses it)', async () => {
  const { privateKey } = await keyPair();
  const message = await sp.createCleartextMessage({ text: 'clear' });
  await assert.rejects(sp.sign({ message, signingKeys: privateKey, detached: true }), (e) => e instanceof TypeError && /detach/.test(e.message));
  await assert.rejects(sp.sign({ message, signingKeys: privateKey, format: 'binary' }), (e) => e instanceof TypeError && /binary/.test(e.message));
  await assert.rejects(sp.sign({ message, signingKeys: privateKey, detached: 'yes' }), TypeError);
  assert.match(await sp.sign({ message, signingKeys: privateKey, detached: false, format: 'armored' }), /^-----BEGIN PGP SIGNED MESSAGE-----/);
});

test('same semantics as OpenPGP.js: CRLF text, lower-case fingerprints, { data, algorithm } session keys', async () => {
  const { privateKey, publicKey } = await keyPair();
  // Text decrypts and verifies with CRLF normalized to LF (format 'utf8'); format 'binary' is exact.
  const crlf = 'one\r\ntwo\nthree\r\n\r\nlone \r stays';
  const normalized = 'one\ntwo\nthree\n\nlone \r stays';
  const ct = await sp.encrypt({ message: await text(crlf), encryptionKeys: publicKey, signingKeys: privateKey, format: 'binary' });
  const readCt = () => sp.readMessage({ binaryMessage: ct });
  assert.equal((await sp.decrypt({ message: await readCt(), decryptionKeys: privateKey })).data, normalized);
  assert.equal(new TextDecoder().decode((await sp.decrypt({ message: await readCt(), decryptionKeys: privateKey, format: 'binary' })).data), crlf);
  const signed = await sp.sign({ message: await text(crlf), signingKeys: privateKey });
  assert.equal((await sp.verify({ message: await sp.readMessage({ armoredMessage: signed }), verificationKeys: publicKey, expectSigned: true })).data, normalized);
  // Streamed: the same text, whatever the chunk boundaries (a CR at a chunk's end waits for its
  // LF).  SEIPDv2 releases AEAD chunks (powers of two: 2^k mod 5 = 4 for k = 18, 22) as they
  // authenticate, and 'abc\r\n' puts a CR at the end of such a chunk.
  const v6 = (await keyPair({ config: { v6Keys: true } })).privateKey;
  const big = 'abc\r\n'.repeat(1_000_000) + 'end\r';
  const bigCt = await sp.encrypt({ message: await text(big), encryptionKeys: v6, format: 'binary' });
  const streamOf = () => new ReadableStream({ start(c) { for (let i = 0; i < bigCt.length; i += 65_537) c.enqueue(bigCt.subarray(i, i + 65_537)); c.close(); } });
  const decryptStream = async (format) => (await sp.decrypt({ message: await sp.readMessage({ binaryMessage: streamOf() }), decryptionKeys: v6, stream: true, format })).data;
  let crAtEnd = 0;
  for await (const chunk of await decryptStream('binary')) if (chunk[chunk.length - 1] === 0x0d) crAtEnd++;
  assert.ok(crAtEnd > 1, 'the binary stream has chunks ending in CR');
  let out = '';
  for await (const chunk of await decryptStream('utf8')) out += chunk;
  assert.equal(out, 'abc\n'.repeat(1_000_000) + 'end\r');
  // Lower-case hex fingerprints and key IDs everywhere: info, subkeys, signatures, Autocrypt.
  const hex = /^[0-9a-f]+$/;
  for (const k of [privateKey.info, ...privateKey.info.keys]) {
    assert.match(k.fingerprint, hex);
    assert.match(k.keyId, hex);
  }
  assert.equal(privateKey.info.fingerprint, privateKey.getFingerprint());
  assert.equal(privateKey.getKeyID().toHex(), privateKey.info.keyId);
  const mail = await sp.encryptMail({ from: 'alice@example.org', to: 'alice@example.org', text: 'x' }, { encryptionKeys: publicKey, signingKeys: privateKey, autocrypt: true });
  const read = await sp.decryptMail(mail, { decryptionKeys: privateKey, verificationKeys: publicKey });
  assert.equal(read.autocrypt.fingerprint, privateKey.getFingerprint());
  assert.match(read.signatures[0].signerFingerprint, hex);
  // sessionKeys in OpenPGP.js's form { data, algorithm } as well as 'ALGO:HEX'.
  const { sessionKey } = await sp.decrypt({ message: await readCt(), decryptionKeys: privateKey, returnSessionKey: true });
  const [algo, keyHex] = sessionKey.split(':');
  const data = new Uint8Array(keyHex.match(/../g).map((h) => parseInt(h, 16)));
  const name = { 7: 'aes128', 8: 'aes192', 9: 'aes256' }[algo];
  assert.equal((await sp.decrypt({ message: await readCt(), sessionKeys: { data, algorithm: name } })).data, normalized);
  assert.equal((await sp.decrypt({ message: await readCt(), sessionKeys: [{ data, algorithm: name, aeadAlgorithm: null }] })).data, normalized);
  await assert.rejects(sp.decrypt({ message: await readCt(), sessionKeys: { data, algorithm: 'rot13' } }), RangeError);
  await assert.rejects(sp.decrypt({ message: await readCt(), sessionKeys: { data: keyHex, algorithm: name } }), TypeError);
  await assert.rejects(sp.decrypt({ message: await readCt(), sessionKeys: { data, algorithm: name, extra: 1 } }), /unknown option 'extra'/);
  // A verification's keyID is the signing key's 8-byte key ID (as OpenPGP.js), v4 and v6.
  for (const config of [{}, { v6Keys: true }]) {
    const k = (await keyPair({ config })).privateKey;
    const signedBy = await sp.sign({ message: await text('k'), signingKeys: k });
    const [s] = (await sp.verify({ message: await sp.readMessage({ armoredMessage: signedBy }), verificationKeys: k })).signatures;
    const signer = k.info.keys.find((sub) => sub.fingerprint === s.signingKeyFingerprint);
    assert.equal(s.keyID.toHex(), signer.keyId, JSON.stringify(config));
    assert.match(s.keyID.toHex(), /^[0-9a-f]{16}$/);
  }
  // createMessage({ filename }): written into the literal packet, read back by decrypt (test/sessionkeys.test.mjs).
  assert.equal((await sp.createMessage({ text: 'x', filename: 'a.txt' })).getFilename(), 'a.txt');
});

test('long calls take an AbortSignal (direct mode): aborted before → ABORTED with the reason as cause; a stream aborted midway errors and cancels its source; sign/verify refuse a stream', async () => {
  const { privateKey, publicKey } = await keyPair();
  const reason = new Error('user left');
  const aborted = AbortSignal.abort(reason);
  const isAborted = (e) => e instanceof sp.SealpostError && e.code === 'ABORTED' && e.cause === reason;
  const calls = [
    sp.generateKey({ userIDs: 'A <a@example.org>', signal: aborted }),
    sp.decryptKey({ privateKey, passphrase: 'x', signal: aborted }),
    sp.encrypt({ message: await text('x'), encryptionKeys: publicKey, signal: aborted }),
    sp.decrypt({ message: await sp.readMessage({ armoredMessage: await sp.encrypt({ message: await text('x'), encryptionKeys: publicKey }) }), decryptionKeys: privateKey, signal: aborted }),
    sp.sign({ message: await text('x'), signingKeys: privateKey, signal: aborted }),
    sp.verify({ message: await sp.readMessage({ armoredMessage: await sp.sign({ message: await text('x'), signingKeys: privateKey }) }), verificationKeys: publicKey, signal: aborted }),
    sp.encryptMail({ from: 'a@example.org', to: ['a@example.org'], subject: 's', text: 't' }, { encryptionKeys: publicKey, signal: aborted }),
    sp.signMail({ from: 'a@example.org', to: ['a@example.org'], subject: 's', text: 't' }, { signingKeys: privateKey, signal: aborted }),
    sp.decryptMail('Subject: x\r\n\r\nbody\r\n', { signal: aborted }),
    sp.encryptKey({ privateKey, passphrase: 'p', signal: aborted }),
    sp.changeKeyPassphrase({ privateKey, oldPassphrase: 'a', newPassphrase: 'b', signal: aborted }),
    sp.wkdLookup('a@example.org', { fetch: async () => new Response(null, { status: 404 }), signal: aborted }),
  ];
  for (const [i, c] of calls.entries()) await assert.rejects(c, isAborted, `call ${i}`);
  // A live signal changes nothing; anything else is a TypeError.
  const live = new AbortController().signal;
  assert.equal((await sp.sign({ message: await text('x'), signingKeys: privateKey, signal: live })).includes('BEGIN PGP MESSAGE'), true);
  await assert.rejects(sp.encrypt({ message: await text('x'), encryptionKeys: publicKey, signal: {} }), TypeError);
  // A timeout's reason is a TimeoutError; the message says so.
  const late = AbortSignal.timeout(1);
  await new Promise((r) => setTimeout(r, 20));
  await assert.rejects(sp.encrypt({ message: await text('x'), encryptionKeys: publicKey, signal: late }), (e) => e.code === 'ABORTED' && e.cause.name === 'TimeoutError' && /timed out/.test(e.message));
  // A stream aborted midway.
  let cancelled = null;
  const endless = new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(1 << 16)); }, cancel(r) { cancelled = r; } });
  const controller = new AbortController();
  const out = await sp.encrypt({ message: await sp.createMessage({ binary: endless }), encryptionKeys: publicKey, format: 'binary', stream: true, signal: controller.signal });
  const reader = out.getReader();
  assert.ok((await reader.read()).value.length > 0);
  controller.abort(reason);
  await assert.rejects(reader.read(), isAborted);
  assert.ok(isAborted(cancelled), 'the source stream is cancelled with the abort error');
  // A decrypt stream: data errors, and signatures reject with the same error.
  const encrypted = await sp.encrypt({ message: await text('x'.repeat(1 << 16)), encryptionKeys: publicKey, signingKeys: privateKey, format: 'binary' });
  const dc = new AbortController();
  const src = new ReadableStream({ start(c) { c.enqueue(encrypted.subarray(0, 100)); }, pull() {} });
  const r = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: src }), decryptionKeys: privateKey, format: 'binary', stream: true, signal: dc.signal });
  const pulling = r.data.getReader().read();
  dc.abort(reason);
  await assert.rejects(pulling, isAborted);
  await assert.rejects(r.signatures, isAborted);
  // sign/verify: bytes only (a stream is STREAM_NOT_SUPPORTED, before anything reaches the wasm).
  const streamOf = (t) => new ReadableStream({ start(c) { c.enqueue(t); c.close(); } });
  await rejectsWith(sp.sign({ message: await sp.createMessage({ text: streamOf('x') }), signingKeys: privateKey }), 'STREAM_NOT_SUPPORTED');
  await rejectsWith(sp.verify({ message: await sp.readMessage({ armoredMessage: streamOf('x') }), verificationKeys: publicKey }), 'STREAM_NOT_SUPPORTED');
  // wkdLookup: the signal reaches fetch, and a fetch that ignores it does not hang the lookup.
  const hangingFetch = (seen) => (url, init) => { seen.push(init.signal); return new Promise(() => {}); };
  const seen = [];
  // (A ref'd timer: AbortSignal.timeout's does not keep Node's event loop alive.)
  const wc = new AbortController();
  setTimeout(() => wc.abort(reason), 100);
  await assert.rejects(sp.wkdLookup('a@example.org', { fetch: hangingFetch(seen), signal: wc.signal }), isAborted);
  assert.ok(seen.length === 1 && seen[0] instanceof AbortSignal, 'fetch got the signal');
  const codes = await sp.errorCodes();
  for (const c of ['ABORTED', 'WORKER_FAILED', 'STREAM_NOT_SUPPORTED']) assert.ok(codes.includes(c), c);
});

test('key methods from key.info: getKeys, getSubkeys, getKeyIDs, getAlgorithmInfo, getPrimaryUser, getEncryptionKey, getSigningKey, verifyPrimaryKey', async () => {
  const { publicKey } = await keyPair();
  const subs = publicKey.getSubkeys();
  assert.ok(subs.every((s) => s instanceof sp.Subkey && s.mainKey === publicKey));
  assert.deepEqual(publicKey.getKeys().map((k) => k.getFingerprint()), publicKey.info.keys.map((k) => k.fingerprint));
  assert.deepEqual(publicKey.getKeyIDs().map((id) => id.toHex()), publicKey.info.keys.map((k) => k.keyId));
  assert.equal(publicKey.getKeys(subs[1].getKeyID())[0].getFingerprint(), subs[1].getFingerprint());
  assert.deepEqual(publicKey.getAlgorithmInfo(), { algorithm: 'eddsaLegacy', curve: 'ed25519Legacy' });
  const enc = await publicKey.getEncryptionKey();
  const sig = await publicKey.getSigningKey();
  assert.ok(enc.info.flags.encryptCommunications && sig.info.flags.sign && enc !== publicKey && sig !== publicKey);
  await rejectsWith(publicKey.getSigningKey(enc.getKeyID()), 'NO_USABLE_KEY');
  const pu = await publicKey.getPrimaryUser();
  assert.deepEqual(pu, { index: 0, user: { userID: { userID: 'Alice <alice@example.org>', name: 'Alice', email: 'alice@example.org', comment: '' } }, selfCertification: null });
  await rejectsWith(publicKey.getPrimaryUser(undefined, { email: 'x@example.org' }), 'NO_USABLE_KEY');
  await assert.rejects(publicKey.getPrimaryUser(undefined, { mail: 'x' }), TypeError);
  await assert.rejects(publicKey.getEncryptionKey(undefined, new Date()), TypeError);
  await assert.rejects(publicKey.verifyPrimaryKey(undefined, undefined, { minRSABits: 1024 }), TypeError);
  assert.throws(() => publicKey.getKeys('0123456789abcdef'), TypeError);
  assert.equal(await publicKey.verifyPrimaryKey(), undefined);
  // An expired key and a revoked key: verifyPrimaryKey and the key pickers reject, NO_USABLE_KEY.
  const { privateKey: short } = await sp.generateKey({ userIDs: 'S <s@example.org>', keyExpirationTime: 1, format: 'object' });
  await new Promise((r) => setTimeout(r, 2100));
  const expired = await sp.readKey({ armoredKey: await (await short.toPublic()).armor() });
  await rejectsWith(expired.verifyPrimaryKey(), 'NO_USABLE_KEY');
  await rejectsWith(expired.getEncryptionKey(), 'NO_USABLE_KEY');
  const { publicKey: revoked } = await sp.revokeKey({ key: (await keyPair()).privateKey, format: 'object' });
  for (const call of [revoked.verifyPrimaryKey(), revoked.getEncryptionKey(), revoked.getSigningKey()]) await rejectsWith(call, 'NO_USABLE_KEY');
  // A v6 key: the RFC 9580 algorithm names, no curve.
  const { publicKey: v6 } = await sp.generateKey({ userIDs: 'V <v@example.org>', type: 'curve25519', format: 'object' });
  assert.deepEqual([v6.getAlgorithmInfo(), ...v6.getSubkeys().map((s) => s.getAlgorithmInfo())].map((a) => a.algorithm).sort(), ['ed25519', 'ed25519', 'x25519']);
});

test('message methods: getText, armor, write (a readMessage() message), refusals with stable codes', async () => {
  const { privateKey, publicKey } = await keyPair();
  assert.equal((await text('a\r\nb')).getText(), 'a\r\nb');
  assert.equal((await sp.createMessage({ binary: new TextEncoder().encode('ü') })).getText(), 'ü');
  const textStream = new ReadableStream({ start(c) { c.enqueue('s'); c.close(); } });
  assert.equal((await sp.createMessage({ text: textStream })).getText(), textStream);
  const binaryStream = new ReadableStream({ start(c) { c.close(); } });
  assert.throws(() => sp.Message.prototype.getText.call(null), TypeError);
  const binaryMessage = await sp.createMessage({ binary: binaryStream });
  assert.throws(() => binaryMessage.getText(), (e) => e.code === 'STREAM_NOT_SUPPORTED');
  const encrypted = await sp.encrypt({ message: await text('round'), encryptionKeys: publicKey, format: 'binary' });
  const read = await sp.readMessage({ binaryMessage: encrypted });
  const armored = await read.armor();
  assert.match(armored, /^-----BEGIN PGP MESSAGE-----\n/);
  assert.deepEqual(await (await sp.readMessage({ armoredMessage: armored })).write(), encrypted);
  assert.equal((await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: privateKey })).data, 'round');
  const w = await read.write();
  w[0] ^= 1;
  assert.deepEqual(await read.write(), encrypted, 'write() returns a copy');
  assert.throws(() => read.getText(), (e) => e.code === 'UNSUPPORTED');
  await rejectsWith((await text('x')).armor(), 'UNSUPPORTED');
  await rejectsWith((await sp.readMessage({ binaryMessage: new ReadableStream() })).armor(), 'STREAM_NOT_SUPPORTED');
  assert.throws(() => sp.Message.prototype.getText.call(Object.create(sp.Message.prototype)), TypeError);
  await rejectsWith((await sp.readMessage({ armoredMessage: 'not armor' })).armor(), 'MALFORMED_INPUT');
});
