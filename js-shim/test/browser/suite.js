// Runs in a page, in worker mode (the browser default).  Results are left
// in window.__results for the driving test (test/browser.test.mjs).
// The test entry first: it enables its hooks (createWorker, setBackendFactory) only before the entry point chose the backend.
import { __pendingCalls, __testTrap, setBackendFactory, workerBackend } from '../../src/testing.js';
import * as sp from '../../src/browser.js';
import { TRAP_WORKER_INTEGRITY } from './trap-pin.js';
import { CHARSET_CASES } from './charsets.js';

const results = { done: false, passed: [], failed: [] };
window.__results = results;
const log = (s) => { document.getElementById('log').textContent += `${s}\n`; };

function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

async function rejects(promise, check, msg) {
  try {
    await promise;
  } catch (e) {
    check(e);
    return e;
  }
  throw new Error(`expected a rejection: ${msg}`);
}

const tests = [];
const test = (name, fn) => tests.push([name, fn]);

test('runs in worker mode by default', async () => {
  assert(sp.getMode() === 'worker', sp.getMode());
});

test('mail in the worker: encryptMail → decryptMail, attachment bytes exact, sender verified', async () => {
  const make = async (name) => (await sp.generateKey({ userIDs: [{ name, email: `${name.toLowerCase()}@example.org` }], format: 'object' })).privateKey;
  const alice = await make('Alice');
  const bob = await make('Bob');
  const data = new Uint8Array(3000).map((_, i) => (i * 13) & 0xff);
  const mail = await sp.encryptMail(
    { from: 'Alice <alice@example.org>', to: 'bob@example.org', subject: 'Grüße aus dem Worker', text: 'hi', attachments: [{ filename: 'a.bin', data }] },
    { encryptionKeys: await bob.toPublic(), signingKeys: alice },
  );
  const r = await sp.decryptMail(mail, { decryptionKeys: bob, verificationKeys: await alice.toPublic() });
  assert(r.subject === 'Grüße aus dem Worker' && r.protectedHeaders, r.subject);
  assert(r.signatureState === 'verified', r.signatureState);
  assert(r.attachments[0].data.length === 3000 && r.attachments[0].data.every((b, i) => b === ((i * 13) & 0xff)), 'attachment');
});

test('mail charsets in the worker: the platform\'s TextDecoder decodes what the wasm hands it, as Python\'s codecs wrote it', async () => {
  assert(CHARSET_CASES.length === 8, 'cases');
  const bob = (await sp.generateKey({ userIDs: [{ name: 'Bob', email: 'bob@example.org' }], format: 'object' })).privateKey;
  const enc = new TextEncoder();
  for (const { label, mail, expected } of CHARSET_CASES) {
    const bytes = Uint8Array.from(atob(mail), (c) => c.charCodeAt(0));
    // Plain, and the same entity inside PGP/MIME (decrypted in the worker's wasm).
    const at = new TextDecoder('latin1').decode(bytes).indexOf('MIME-Version');
    const ct = await sp.encrypt({ message: await sp.createMessage({ binary: bytes.subarray(at) }), encryptionKeys: await bob.toPublic() });
    const encrypted = new Uint8Array([
      ...bytes.subarray(0, at),
      ...enc.encode(`MIME-Version: 1.0\r\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e"\r\n\r\n--e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--e\r\nContent-Type: application/octet-stream\r\n\r\n${ct}\r\n--e--\r\n`),
    ]);
    for (const [how, message] of [['plain', bytes], ['encrypted', encrypted]]) {
      const r = await sp.decryptMail(message, { decryptionKeys: bob });
      const what = `${label} ${how}`;
      assert(r.subject === expected.subject, `${what} subject: ${r.subject}`);
      assert(r.from.name === expected.fromName, `${what} from: ${r.from.name}`);
      assert(r.text === expected.text, `${what} text: ${r.text}`);
      assert(r.attachments[0].filename === expected.filename, `${what} filename: ${r.attachments[0].filename}`);
      const unknown = label === 'x-sealpost-unknown';
      assert(r.charsetUnknown === unknown && r.unknownCharsets.join() === (unknown ? label : ''), `${what} charsetUnknown`);
    }
  }
});

test('generate, encrypt + sign, decrypt + verify (v4 and v6)', async () => {
  for (const config of [{}, { v6Keys: true }]) {
    const { privateKey, publicKey } = await sp.generateKey({ userIDs: [{ name: 'Alice', email: 'alice@example.org' }], format: 'object', config });
    const message = await sp.createMessage({ text: 'hello from the page ✓' });
    const armored = await sp.encrypt({ message, encryptionKeys: publicKey, signingKeys: privateKey });
    assert(armored.startsWith('-----BEGIN PGP MESSAGE-----'), 'armored');
    const { data, signatures, layers } = await sp.decrypt({
      message: await sp.readMessage({ armoredMessage: armored }),
      decryptionKeys: privateKey, verificationKeys: publicKey, expectSigned: true,
    });
    assert(data === 'hello from the page ✓', data);
    assert(await signatures[0].verified === true, 'verified');
    assert((layers.aead !== null) === Boolean(config.v6Keys), `SEIPD version for ${JSON.stringify(config)}`);
  }
});

test('the page holds handles, not key material', async () => {
  const { privateKey } = await sp.generateKey({ userIDs: 'Carol <carol@example.org>', format: 'object', passphrase: 'pass phrase' });
  assert(Object.keys(privateKey).length === 0, 'no own enumerable properties');
  assert(!JSON.stringify(privateKey.info).includes('PRIVATE'), 'info has no key material');
  const armored = await privateKey.armor();
  assert(armored.startsWith('-----BEGIN PGP PRIVATE KEY BLOCK-----'), 'explicit export works');
  await rejects(sp.sign({ message: await sp.createMessage({ text: 'x' }), signingKeys: privateKey }), (e) => assert(e.code === 'KEY_LOCKED', e.code), 'locked key');
  const unlocked = await sp.decryptKey({ privateKey, passphrase: 'pass phrase' });
  assert(unlocked.isDecrypted() === true, 'unlocked');
  const signed = await sp.sign({ message: await sp.createCleartextMessage({ text: 'signed text' }), signingKeys: unlocked });
  const v = await sp.verify({ message: await sp.readCleartextMessage({ cleartextMessage: signed }), verificationKeys: await unlocked.toPublic(), expectSigned: true });
  assert(v.data === 'signed text', v.data);
});

test('an unlocked private key never leaves the worker', async () => {
  const { privateKey } = await sp.generateKey({ userIDs: 'U <u@example.org>', format: 'object' });
  await rejects(privateKey.armor(), (e) => assert(e.code === 'EXPORT_REFUSED', e.code), 'unlocked export');
  await rejects(privateKey.write(), (e) => assert(e.code === 'EXPORT_REFUSED', e.code), 'unlocked binary export');
  await rejects(sp.generateKey({ userIDs: 'U <u@example.org>' }), (e) => assert(e.code === 'EXPORT_REFUSED', e.code), 'armored generation without passphrase');
  const locked = await sp.encryptKey({ privateKey, passphrase: 'lock it' });
  assert((await locked.armor()).startsWith('-----BEGIN PGP PRIVATE KEY BLOCK-----'), 'locked export works');
  assert((await (await privateKey.toPublic()).armor()).startsWith('-----BEGIN PGP PUBLIC KEY BLOCK-----'), 'public export works');
  const { privateKey: armored } = await sp.generateKey({ userIDs: 'U <u@example.org>', passphrase: 'given' });
  assert(armored.startsWith('-----BEGIN PGP PRIVATE KEY BLOCK-----'), 'armored generation with a passphrase works');
});

test('the remaining calls in worker mode', async () => {
  const { privateKey, revocationCertificate } = await sp.generateKey({ userIDs: 'R <r@example.org>', format: 'object', passphrase: 'one' });
  const armoredPrivate = await privateKey.armor();
  const publicKey = await privateKey.toPublic();
  const ring = (await publicKey.armor()) + (await (await sp.generateKey({ userIDs: 'Q <q@example.org>', format: 'object' })).publicKey.armor());
  assert((await sp.readKeys({ armoredKeys: ring })).length === 2, 'readKeys');
  assert((await sp.readPrivateKey({ armoredKey: armoredPrivate })).isPrivate(), 'readPrivateKey');
  const changed = await sp.changeKeyPassphrase({ privateKey, oldPassphrase: 'one', newPassphrase: 'two' });
  const open = await sp.decryptKey({ privateKey: changed, passphrase: 'two' });
  const data = new Uint8Array([1, 2, 3, 4]);
  const sig = await sp.sign({ message: await sp.createMessage({ binary: data }), signingKeys: open, detached: true, format: 'binary' });
  const dv = await sp.verify({ message: await sp.createMessage({ binary: data }), signature: await sp.readSignature({ binarySignature: sig }), verificationKeys: publicKey, expectSigned: true });
  assert(dv.signatures[0].valid, 'detached');
  const inline = await sp.sign({ message: await sp.createMessage({ text: 'inline' }), signingKeys: open });
  assert((await sp.verify({ message: await sp.readMessage({ armoredMessage: inline }), verificationKeys: publicKey })).data === 'inline', 'inline');
  const pw = await sp.encrypt({ message: await sp.createMessage({ text: 'by password' }), passwords: 'pw' });
  assert((await sp.decrypt({ message: await sp.readMessage({ armoredMessage: pw }), passwords: 'pw' })).data === 'by password', 'password');
  // Message methods: armor()/write() of a read message go through the worker.
  const read = await sp.readMessage({ armoredMessage: pw });
  const pwBytes = await read.write();
  const rearmored = await (await sp.readMessage({ binaryMessage: pwBytes })).armor();
  assert((await sp.decrypt({ message: await sp.readMessage({ armoredMessage: rearmored }), passwords: 'pw' })).data === 'by password', 'message armor/write');
  assert((await sp.createMessage({ text: 'gt' })).getText() === 'gt', 'getText');
  await rejects((await sp.createMessage({ text: 'x' })).armor(), (e) => assert(e.code === 'UNSUPPORTED', e.code), 'armor of literal data');
  const bin = await publicKey.write();
  assert((await sp.unarmor(await sp.armor(bin))).data.join() === bin.join(), 'armor round trip');
  const { publicKey: revoked } = await sp.revokeKey({ key: publicKey, revocationCertificate, format: 'object' });
  assert(revoked.isRevoked(), 'revokeKey with a certificate');
  const { privateKey: selfRevoked } = await sp.revokeKey({ key: open, reasonForRevocation: { flag: 3 }, format: 'object' });
  assert(selfRevoked.isRevoked(), 'revokeKey with a reason');
  // Key methods (from key.info, the same in worker mode).
  const subs = publicKey.getSubkeys();
  assert(publicKey.getKeys().length === subs.length + 1 && publicKey.getKeyIDs().length === subs.length + 1, 'getKeys / getKeyIDs');
  assert((await publicKey.getEncryptionKey()).getKeyID().equals(subs.find((k) => k.info.flags.encryptCommunications).getKeyID()), 'getEncryptionKey');
  assert((await publicKey.getSigningKey()).info.flags.sign, 'getSigningKey');
  assert((await publicKey.getPrimaryUser()).user.userID.email === 'r@example.org', 'getPrimaryUser');
  assert(publicKey.getAlgorithmInfo().algorithm === 'eddsaLegacy', JSON.stringify(publicKey.getAlgorithmInfo()));
  await publicKey.verifyPrimaryKey();
  await rejects(revoked.verifyPrimaryKey(), (e) => assert(e.code === 'NO_USABLE_KEY', e.code), 'verifyPrimaryKey of a revoked key');
  await rejects(revoked.getEncryptionKey(), (e) => assert(e.code === 'NO_USABLE_KEY', e.code), 'getEncryptionKey of a revoked key');
  assert((await sp.supportedKeyTypes()).includes('curve25519') && (await sp.errorCodes()).includes('EXPORT_REFUSED'), 'capabilities');
  open.dispose();
  await rejects(sp.sign({ message: await sp.createMessage({ text: 'x' }), signingKeys: open }), (e) => assert(e.code === 'KEY_DISPOSED', e.code), 'disposed');
});

test('issue 25 calls in the worker: session keys, file names, format object, key IDs, readPrivateKeys, update, key edits, progress', async () => {
  const g = await sp.generateKey({ userIDs: 'W <w@example.org>', format: 'object' });
  const sk = await sp.generateSessionKey({ encryptionKeys: g.publicKey });
  assert(sk.algorithm === 'aes256' && sk.data.length === 32, JSON.stringify(sk.algorithm));
  const data = await sp.encrypt({ message: await sp.createMessage({ text: 'in the worker', filename: 'w.txt' }), encryptionKeys: g.publicKey, sessionKey: sk, format: 'object' });
  assert(data instanceof sp.Message, 'format object');
  const [found] = await sp.decryptSessionKeys({ message: data, decryptionKeys: g.privateKey });
  assert(found.data.join() === sk.data.join(), 'decryptSessionKeys');
  const r = await sp.decrypt({ message: data, sessionKeys: found });
  assert(r.data === 'in the worker' && r.filename === 'w.txt', `${r.data} ${r.filename}`);
  const esk = await sp.encryptSessionKey({ ...sk, passwords: 'pw', format: 'binary' });
  const joined = new Uint8Array([...esk, ...(await data.write())]);
  assert((await sp.decrypt({ message: await sp.readMessage({ binaryMessage: joined }), passwords: 'pw' })).data === 'in the worker', 'encryptSessionKey');
  const encryptionKeyId = (await g.publicKey.getEncryptionKey()).getKeyID().toHex();
  assert((await data.getEncryptionKeyIDs()).map((k) => k.toHex()).join() === encryptionKeyId, 'getEncryptionKeyIDs');
  const signed = await sp.sign({ message: await sp.createMessage({ text: 's' }), signingKeys: g.privateKey, format: 'object' });
  assert((await signed.getSigningKeyIDs()).map((k) => k.toHex()).join() === (await g.publicKey.getSigningKey()).getKeyID().toHex(), 'getSigningKeyIDs');
  const sig = await sp.sign({ message: await sp.createMessage({ text: 's' }), signingKeys: g.privateKey, detached: true, format: 'object' });
  assert((await sp.verify({ message: await sp.createMessage({ text: 's' }), signature: sig, verificationKeys: g.publicKey, expectSigned: true })).signatures[0].valid, 'detached object');
  // readPrivateKeys: the locked form of a protected key (an unlocked unprotected one stays in the worker).
  const locked = await sp.generateKey({ userIDs: 'L <l@example.org>', passphrase: 'pw', format: 'object' });
  const ring = new Uint8Array([...(await g.publicKey.write()), ...(await locked.privateKey.write())]);
  const keys = await sp.readPrivateKeys({ binaryKeys: ring });
  assert(keys.length === 1 && keys[0].getFingerprint() === locked.privateKey.getFingerprint(), 'readPrivateKeys');
  const updated = await locked.publicKey.update(keys[0]);
  assert(updated.isPrivate() && !updated.isDecrypted(), 'update: the private key, still locked');
  await rejects(locked.publicKey.update(g.publicKey), (e) => assert(e.code === 'INVALID_ARGUMENT', e.code), 'update with another key');
  // Edits on a protected key: made with its unlocked copy, exported as its locked form with the
  // new user ID and expiry merged in (the export rule), opening with the owner's passphrase only.
  const unlocked = await sp.decryptKey({ privateKey: locked.privateKey, passphrase: 'pw' });
  const second = await unlocked.addUserID('Second <second@example.org>');
  // Self-signatures carry whole seconds: a new expiry made in the second of the key's last
  // self-signature would tie with it.
  await new Promise((r) => setTimeout(r, 1100));
  const edited = await second.setExpirationTime(86400 * 400);
  const exported = await sp.readPrivateKey({ armoredKey: await edited.armor() });
  assert(exported.isDecrypted() === false, 'exported locked');
  assert(exported.getUserIDs().join() === 'L <l@example.org>,Second <second@example.org>', exported.getUserIDs().join());
  assert(exported.getExpirationTime().getTime() === edited.getExpirationTime().getTime(), 'expiry exported');
  await rejects(sp.decryptKey({ privateKey: exported, passphrase: 'other' }), (e) => assert(e.code === 'BAD_PASSPHRASE', e.code), 'only the owner passphrase');
  assert((await sp.decryptKey({ privateKey: exported, passphrase: 'pw' })).isDecrypted(), 'opens with pw');
  const certified = await g.publicKey.signAllUsers(unlocked);
  assert(certified.getUserIDs().join() === g.publicKey.getUserIDs().join(), 'signAllUsers');
  // Progress over 5 MiB in memory, in the worker.
  const big = new Uint8Array(5 << 20).map((_, i) => i);
  const steps = [];
  const c = await sp.encrypt({ message: await sp.createMessage({ binary: big }), encryptionKeys: g.publicKey, format: 'binary', onProgress: (p) => steps.push(p.processed) });
  assert(steps.join() === [0, 1, 2, 3, 4, 5].map((n) => n << 20).join(), steps.join());
  const back = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: c }), decryptionKeys: g.privateKey, format: 'binary', onProgress: () => {} });
  assert(back.data.length === big.length && back.data.every((b, i) => b === (i & 0xff)), 'round trip');
  assert(__pendingCalls() === 0, 'nothing pending');
});

test('reformatKey, addSubkey and key server lookups in the worker: a protected key stays under its own passphrase', async () => {
  const { privateKey: locked } = await sp.generateKey({ userIDs: 'Old <old@example.org>', passphrase: 'pw', format: 'object' });
  await rejects(sp.reformatKey({ privateKey: locked, userIDs: 'New <new@example.org>' }), (e) => assert(e.code === 'KEY_LOCKED', e.code), 'locked key');
  const unlocked = await sp.decryptKey({ privateKey: locked, passphrase: 'pw' });
  // Reformatted without a passphrase: the handle is unlocked, its export the locked form's secrets under the new user ID.
  const r = await sp.reformatKey({ privateKey: unlocked, userIDs: [{ name: 'New', email: 'new@example.org' }], keyExpirationTime: 86400 * 30, format: 'object' });
  assert(r.privateKey.isDecrypted() && r.privateKey.getUserIDs().join() === 'New <new@example.org>', r.privateKey.getUserIDs().join());
  assert(r.privateKey.getFingerprint() === locked.getFingerprint(), 'same key material');
  assert(r.revocationCertificate.includes('BEGIN PGP PUBLIC KEY BLOCK'), 'revocation certificate');
  const out = await sp.readPrivateKey({ armoredKey: await r.privateKey.armor() });
  assert(!out.isDecrypted() && out.getUserIDs().join() === 'New <new@example.org>', `exported: ${out.getUserIDs().join()}`);
  assert(out.getExpirationTime().getTime() === (out.getCreationTime().getTime() + 86400 * 30 * 1000), 'expiry');
  await rejects(sp.decryptKey({ privateKey: out, passphrase: 'other' }), (e) => assert(e.code === 'BAD_PASSPHRASE', e.code), 'the owner passphrase only');
  // With the key's own passphrase: returned locked; another one: KEY_PROTECTED.
  const again = await sp.reformatKey({ privateKey: unlocked, userIDs: 'Again <again@example.org>', passphrase: 'pw', format: 'armored' });
  const againKey = await sp.readPrivateKey({ armoredKey: again.privateKey });
  assert(!againKey.isDecrypted() && againKey.getUserIDs().join() === 'Again <again@example.org>', 'reformatted, locked');
  assert((await sp.decryptKey({ privateKey: againKey, passphrase: 'pw' })).isDecrypted(), 'opens with pw');
  await rejects(sp.reformatKey({ privateKey: unlocked, userIDs: 'X <x@example.org>', passphrase: 'new' }), (e) => assert(e.code === 'KEY_PROTECTED', e.code), 'a new passphrase');
  // addSubkey: exported once locked with the key's passphrase; the new subkey decrypts.
  const grown = await unlocked.addSubkey({ sign: false });
  assert(grown.getSubkeys().length === 3, `${grown.getSubkeys().length} subkeys`);
  await rejects(grown.armor(), (e) => assert(e.code === 'EXPORT_REFUSED', e.code), 'an unlocked new subkey');
  await rejects(sp.encryptKey({ privateKey: grown, passphrase: 'wrong' }), (e) => assert(e.code === 'BAD_PASSPHRASE', e.code), 'not the key passphrase');
  const relocked = await sp.encryptKey({ privateKey: grown, passphrase: 'pw' });
  const exported = await sp.readPrivateKey({ armoredKey: await relocked.armor() });
  assert(exported.getSubkeys().length === 3 && exported.getSubkeys().every((k) => k.isDecrypted() === false), 'every subkey locked');
  const opened = await sp.decryptKey({ privateKey: exported, passphrase: 'pw' });
  const newest = await opened.getEncryptionKey();
  const fresh = grown.getSubkeys().find((k) => !unlocked.getSubkeys().some((o) => o.getFingerprint() === k.getFingerprint()));
  assert(newest.getFingerprint() === fresh.getFingerprint(), 'the new subkey is the encryption key');
  const c = await sp.encrypt({ message: await sp.createMessage({ text: 'to the new subkey' }), encryptionKeys: await exported.toPublic() });
  assert((await sp.decrypt({ message: await sp.readMessage({ armoredMessage: c }), decryptionKeys: opened })).data === 'to the new subkey', 'decrypts');
  // The unlocked handle made before it exports the grown locked form's secrets for its own keys.
  assert(!(await sp.readPrivateKey({ armoredKey: await unlocked.armor() })).isDecrypted(), 'older handle');
  // Key server answers are selected in the worker: only the key asked for, as its public key.
  const other = (await sp.generateKey({ userIDs: 'Other <other@example.org>', format: 'object' })).publicKey;
  const answer = `${await (await locked.toPublic()).armor()}\n${await other.armor()}`;
  const seen = [];
  const fetch = async (url) => {
    seen.push(url);
    return new Response(answer);
  };
  const byFp = await sp.vksLookup(locked.getFingerprint(), { url: 'https://keys.example', fetch });
  assert(byFp.length === 1 && byFp[0].getFingerprint() === locked.getFingerprint() && !byFp[0].isPrivate(), 'vks by fingerprint');
  const byEmail = await sp.hkpLookup('other@example.org', { url: 'https://keys.example', fetch });
  assert(byEmail.length === 1 && byEmail[0].getFingerprint() === other.getFingerprint(), 'hkp by address');
  await rejects(sp.vksLookup('nobody@example.org', { url: 'https://keys.example', fetch }), (e) => assert(e.code === 'NO_USABLE_KEY', e.code), 'no match');
  assert(seen.join() === [`https://keys.example/vks/v1/by-fingerprint/${locked.getFingerprint().toUpperCase()}`, 'https://keys.example/pks/lookup?op=get&options=mr&search=other%40example.org', 'https://keys.example/vks/v1/by-email/nobody%40example.org'].join(), seen.join());
  assert(__pendingCalls() === 0, 'nothing pending');
});

test('errors cross the worker boundary with their class and code', async () => {
  const { privateKey } = await sp.generateKey({ userIDs: 'Dave <dave@example.org>', format: 'object' });
  const e = await rejects(sp.decrypt({ message: await sp.readMessage({ armoredMessage: 'not a message' }), decryptionKeys: privateKey }),
    (err) => assert(err instanceof sp.SealpostError && err.code === 'MALFORMED_INPUT', `${err.name} ${err.code}`), 'junk');
  assert(e instanceof Error, 'an Error');
  await rejects(sp.encrypt({ message: 'text', encryptionKeys: privateKey }), (err) => assert(err instanceof TypeError, err.name), 'type');
  await rejects(sp.generateKey({ type: 'rsa', rsaBits: 1024 }), (err) => assert(err instanceof RangeError, err.name), 'range');
});

test('a v4 key packet over 64 KiB is an error in the worker, not a trap: loaded keys stay usable', async () => {
  // sequoia-openpgp 2.4.2 panics on the fingerprint of such a key (issue 26): a trap would
  // replace the worker and drop every loaded key.  A certificate plus a 64 KiB subkey packet
  // of the private-use algorithm 100.
  const { privateKey } = await sp.generateKey({ userIDs: 'Kim <kim@example.org>', format: 'object' });
  const cert = await (await privateKey.toPublic()).write();
  const packet = new Uint8Array(6 + 0x10000).fill(0x42);
  packet.set([0xce, 0xff, 0x00, 0x01, 0x00, 0x00, 4, 0x65, 0x53, 0xf1, 0x00, 100]);
  const big = new Uint8Array(cert.length + packet.length);
  big.set(cert);
  big.set(packet, cert.length);
  const malformed = (e) => assert(e instanceof sp.SealpostError && e.code === 'MALFORMED_INPUT', `${e.name} ${e.code}`);
  await rejects(sp.readKey({ binaryKey: big }), malformed, 'readKey');
  await rejects(sp.readKeys({ binaryKeys: big }), malformed, 'readKeys');
  const signed = await sp.sign({ message: await sp.createMessage({ text: 'still here' }), signingKeys: privateKey });
  assert(signed.includes('BEGIN PGP MESSAGE'), 'the key loaded before still signs');
});

test('streams through the worker: 24 MiB round trip, SEIPDv2 released as it goes', async () => {
  const { privateKey, publicKey } = await sp.generateKey({ userIDs: 'S <s@example.org>', format: 'object', config: { v6Keys: true } });
  const MiB = 1 << 20;
  let pulled = 0;
  const input = new ReadableStream({
    pull(c) {
      if (pulled >= 24 * MiB) return c.close();
      const chunk = new Uint8Array(MiB);
      for (let i = 0; i < MiB; i += 4096) chunk[i] = (pulled + i) >>> 12;
      pulled += MiB;
      c.enqueue(chunk);
    },
  });
  const encrypted = await sp.encrypt({ message: await sp.createMessage({ binary: input }), encryptionKeys: publicKey, signingKeys: privateKey, format: 'binary', stream: true });
  const { data, signatures } = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: encrypted }), decryptionKeys: privateKey, verificationKeys: publicKey, expectSigned: true, format: 'binary', stream: true });
  let total = 0;
  let pulledAtFirst = null;
  for await (const c of data) {
    pulledAtFirst ??= pulled;
    for (let i = 0; i < c.length; i++) {
      const at = total + i;
      const expected = at % 4096 === 0 ? (at >>> 12) & 255 : 0;
      if (c[i] !== expected) throw new Error(`byte ${at} differs`);
    }
    total += c.length;
  }
  assert(total === 24 * MiB, `got ${total}`);
  assert(pulledAtFirst < 24 * MiB, 'nothing was released before the end');
  assert(await (await signatures)[0].verified === true, 'signature');
});

test('a wasm that does not match its SHA-384 is refused', async () => {
  await sp.configure({ mode: 'worker', wasmUrl: new URL('./tampered.wasm', import.meta.url) });
  await rejects(sp.generateKey({ userIDs: 'X <x@example.org>' }), (e) => assert(e.code === 'INTEGRITY_FAILED', `${e.code}: ${e.message}`), 'tampered');
  await sp.configure({ mode: 'direct', wasmUrl: new URL('./tampered.wasm', import.meta.url) });
  await rejects(sp.generateKey({ userIDs: 'X <x@example.org>' }), (e) => assert(e.code === 'INTEGRITY_FAILED', e.code), 'tampered, direct');
  await sp.configure({});
  assert(sp.getMode() === 'worker', 'back to worker mode');
});

test('direct mode in the page works too', async () => {
  await sp.configure({ mode: 'direct' });
  const { privateKey, publicKey } = await sp.generateKey({ userIDs: 'G <g@example.org>', format: 'object' });
  const ct = await sp.encrypt({ message: await sp.createMessage({ binary: new Uint8Array([1, 2, 3]) }), encryptionKeys: publicKey, format: 'binary' });
  const { data } = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: ct }), decryptionKeys: privateKey, format: 'binary' });
  assert(data.join() === '1,2,3', data.join());
  // The direct backend answers engine methods only: the trap op is the test entry's.
  const backend = await import('../../src/backend.js');
  await rejects(backend.current().call('__testTrap'), (e) => assert(e.code === 'INVALID_ARGUMENT', e.code), 'no trap op in direct mode');
  assert((await privateKey.toPublic()).getFingerprint() === privateKey.getFingerprint(), 'nothing trapped');
  await sp.configure({});
});

test('a page without Worker: NOT_SUPPORTED, not direct mode, unless direct mode is asked for', async () => {
  const saved = Object.getOwnPropertyDescriptor(window, 'Worker');
  try {
    delete window.Worker;
    assert(typeof Worker === 'undefined', 'Worker removed');
    const unsupported = (e) => assert(e.code === 'NOT_SUPPORTED', `${e.code}: ${e.message}`);
    await rejects(sp.configure({}), unsupported, 'the default mode');
    await rejects(sp.generateKey({ userIDs: 'N <n@example.org>', format: 'object' }), unsupported, 'a call');
    await rejects(sp.configure({ mode: 'worker' }), unsupported, 'worker mode');
    assert((await sp.configure({ mode: 'direct' })).mode === 'direct', 'direct mode when asked for');
    assert((await sp.generateKey({ userIDs: 'N <n@example.org>', format: 'object' })).privateKey.isPrivate(), 'direct mode works');
  } finally {
    Object.defineProperty(window, 'Worker', saved);
    await sp.configure({});
  }
  assert(sp.getMode() === 'worker', 'worker mode again');
});

test('a worker file that does not match its SHA-384 never runs', async () => {
  await sp.configure({ mode: 'worker', workerUrl: new URL('./tampered-worker.js', import.meta.url) });
  await rejects(sp.generateKey({ userIDs: 'X <x@example.org>', format: 'object' }), (e) => assert(e.code === 'INTEGRITY_FAILED', `${e.code}: ${e.message}`), 'tampered worker');
  // configure({ workerUrl, createWorker }): a copy of the genuine file, started by the caller from the checked Blob URL.
  let started = null;
  await sp.configure({
    workerUrl: new URL('../../src/wasm/worker.bundle.js', import.meta.url).href,
    createWorker: (url) => { started = url; return new Worker(url, { type: 'module' }); },
  });
  const { privateKey } = await sp.generateKey({ userIDs: 'W <w@example.org>', format: 'object' });
  assert(privateKey.getFingerprint().length === 40 && String(started).startsWith('blob:'), String(started));
  await sp.configure({});
});

test('lockAfter: an unlocked key left idle is dropped', async () => {
  const { privateKey } = await sp.generateKey({ userIDs: 'I <i@example.org>', format: 'object', passphrase: 'idle pass' });
  // Wide margins: on a loaded machine a call alone can take a few hundred ms.
  const open = await sp.decryptKey({ privateKey, passphrase: 'idle pass', lockAfter: 2000 });
  const message = await sp.createMessage({ text: 'x' });
  await sp.sign({ message, signingKeys: open });
  await new Promise((r) => setTimeout(r, 700));
  await sp.sign({ message, signingKeys: open }); // use restarts the clock
  await new Promise((r) => setTimeout(r, 700));
  await sp.sign({ message, signingKeys: open });
  await new Promise((r) => setTimeout(r, 3500));
  await rejects(sp.sign({ message, signingKeys: open }), (e) => assert(e.code === 'KEY_LOCKED', e.code), 'idle');
  assert((await sp.decryptKey({ privateKey, passphrase: 'idle pass' })).isDecrypted(), 'unlocks again');
  await rejects(sp.decryptKey({ privateKey, passphrase: 'x', lockAfter: -1 }), (e) => assert(e instanceof RangeError, e.name), 'lockAfter checked');
  // An unlocked key does not unlock again with a wrong passphrase; a revoked copy shares its timer.
  const timed = await sp.decryptKey({ privateKey, passphrase: 'idle pass', lockAfter: 3000 });
  await rejects(sp.decryptKey({ privateKey: timed, passphrase: 'wrong' }), (e) => assert(e.code === 'BAD_PASSPHRASE', e.code), 'a wrong passphrase on an unlocked key');
  const { privateKey: revokedCopy } = await sp.revokeKey({ key: timed, format: 'object' });
  await new Promise((r) => setTimeout(r, 4500));
  await rejects(revokedCopy.toPublic(), (e) => assert(e.code === 'KEY_LOCKED', e.code), 'the revoked copy is dropped with it');
});

// Adversarial page scripts: the victim (the webmail) holds a key protected by its
// passphrase, unlocked in the worker; an injected script tries to get secret key
// material that opens without that passphrase.  Everything it obtains goes to
// window.__loot, which the driving test tries to open with the attacker's passphrase.
const ATTACKER = 'attacker passphrase';
const VICTIM = 'victim passphrase';
const loot = [];
window.__loot = loot;
window.__attacks = [];
async function attack(name, fn, expect) {
  let outcome;
  try {
    const got = await fn();
    if (got !== undefined) loot.push({ name, got: got instanceof Uint8Array ? Array.from(got) : got });
    outcome = 'returned';
  } catch (e) {
    outcome = e && (e.code || e.name);
  }
  window.__attacks.push({ name, outcome });
  assert(expect.includes(outcome), `${name}: ${outcome}, expected ${expect}`);
}

test('attacks: no page script gets a secret key that opens without the victim passphrase', async () => {
  const { privateKey: victimLocked } = await sp.generateKey({ userIDs: 'Victim <v@example.org>', format: 'object', passphrase: VICTIM });
  const victim = await sp.decryptKey({ privateKey: victimLocked, passphrase: VICTIM });
  const { privateKey: bare } = await sp.generateKey({ userIDs: 'Bare <b@example.org>', format: 'object' });
  const backend = await import('../../src/backend.js');
  const keys = await import('../../src/keys.js');
  const call = (...a) => backend.current().call(...a);

  // 1. Forging Key objects (no reference to the victim's key).
  const forged = Object.create(sp.Key.prototype);
  forged._handle = () => '1';
  forged.isPrivate = () => true;
  await attack('forged Key: encryptKey', () => sp.encryptKey({ privateKey: forged, passphrase: ATTACKER }), ['TypeError']);
  await attack('forged Key: armor', () => forged.armor(), ['TypeError']);
  await attack('forged Key: decrypt', async () => sp.decrypt({ message: await sp.readMessage({ armoredMessage: 'x' }), decryptionKeys: forged }), ['TypeError']);
  await attack('Proxy of a real Key', () => sp.encryptKey({ privateKey: new Proxy(victim, {}), passphrase: ATTACKER }), ['TypeError']);
  // 2. Guessing handles, straight to the crypto instance.
  for (const guess of ['1', '2', 1, 2, '0'.repeat(32), 'constructor', '__proto__']) {
    await attack(`guessed handle ${JSON.stringify(guess)}: exportKey`, () => call('exportKey', guess, { secret: true }), ['KEY_DISPOSED']);
    await attack(`guessed handle ${JSON.stringify(guess)}: lockKey`, () => call('lockKey', guess, ATTACKER), ['KEY_DISPOSED']);
  }
  // 3. Overriding methods on a real key does not change what it is.
  victim.isPrivate = () => false;
  Object.defineProperty(victim, 'isDecrypted', { value: () => false });
  await attack('overridden methods: encryptKey', () => sp.encryptKey({ privateKey: victim, passphrase: ATTACKER }), ['KEY_PROTECTED']);
  // 4. Re-locking the referenced unlocked key, through the API and the instance.
  await attack('re-lock: encryptKey', () => sp.encryptKey({ privateKey: victim, passphrase: ATTACKER }), ['KEY_PROTECTED']);
  await attack('re-lock: changeKeyPassphrase with a wrong old one', () => sp.changeKeyPassphrase({ privateKey: victim, oldPassphrase: '', newPassphrase: ATTACKER }), ['BAD_PASSPHRASE', 'INVALID_ARGUMENT']);
  await attack('re-lock: changeKeyPassphrase, old = new', () => sp.changeKeyPassphrase({ privateKey: victim, oldPassphrase: ATTACKER, newPassphrase: ATTACKER }), ['BAD_PASSPHRASE']);
  const [h] = keys.keyList('k', victim);
  await attack('re-lock: lockKey on the handle', () => call('lockKey', h, ATTACKER), ['KEY_PROTECTED']);
  await attack('re-lock: changePassphrase on the handle', () => call('changePassphrase', h, 'guess', ATTACKER), ['BAD_PASSPHRASE']);
  const revoked = (await sp.revokeKey({ key: victim, format: 'object' })).privateKey;
  await attack('re-lock: a revoked copy', () => sp.encryptKey({ privateKey: revoked, passphrase: ATTACKER }), ['KEY_PROTECTED']);
  // A certificate of the same key merged with the unlocked key takes no secret from it.
  const cert = await sp.readKey({ armoredKey: await (await victim.toPublic()).armor() });
  await attack('merge: the unlocked key into its certificate', async () => {
    const merged = await call('mergeKey', keys.keyList('c', cert)[0], h);
    return call('exportKey', merged.handle, { secret: true });
  }, ['returned']);
  await attack('merge, then lock', async () => {
    const merged = await call('mergeKey', keys.keyList('c', cert)[0], h);
    return call('lockKey', merged.handle, ATTACKER);
  }, ['INVALID_ARGUMENT']);
  // 5. Exporting it directly: the locked form the victim made, nothing else.
  await attack('export: armor() of the unlocked key', () => victim.armor(), ['returned']);
  await attack('export: write() of the unlocked key', () => victim.write(), ['returned']);
  await attack('export: exportKey on the handle', () => call('exportKey', h, { secret: true, armor: true }), ['returned']);
  await attack('export: the revoked copy', () => revoked.armor(), ['returned']);
  await attack('export: an unprotected unlocked key', () => bare.armor(), ['EXPORT_REFUSED']);
  // 5b. Rebinding the key material (reformatKey) and growing the key (addSubkey): the victim's
  // secrets leave only as its locked form; a passphrase the attacker chooses locks nothing.
  await attack('reformat: with the attacker passphrase', () => sp.reformatKey({ privateKey: victim, userIDs: 'Mallory <m@example.org>', passphrase: ATTACKER }), ['KEY_PROTECTED']);
  await attack('reformat: on the handle, with the attacker passphrase', () => call('reformatKey', h, { userIDs: ['Mallory <m@example.org>'], passphrase: ATTACKER }), ['KEY_PROTECTED']);
  await attack('reformat: then export', async () => (await sp.reformatKey({ privateKey: victim, userIDs: 'Mallory <m@example.org>', format: 'object' })).privateKey.armor(), ['returned']);
  await attack('reformat: then encryptKey', async () => sp.encryptKey({ privateKey: (await sp.reformatKey({ privateKey: victim, userIDs: 'Mallory <m@example.org>', format: 'object' })).privateKey, passphrase: ATTACKER }), ['KEY_PROTECTED']);
  const grown = await victim.addSubkey();
  await attack('addSubkey: then export', () => grown.armor(), ['EXPORT_REFUSED']);
  await attack('addSubkey: then encryptKey with the attacker passphrase', () => sp.encryptKey({ privateKey: grown, passphrase: ATTACKER }), ['BAD_PASSPHRASE']);
  await attack('addSubkey: then changeKeyPassphrase', () => sp.changeKeyPassphrase({ privateKey: grown, oldPassphrase: ATTACKER, newPassphrase: ATTACKER }), ['EXPORT_REFUSED', 'BAD_PASSPHRASE']);
  // 6. Tampered prototypes of Message and Signature carry no key out.
  const fakeMessage = Object.create(sp.Message.prototype, { kind: { value: 'literal' }, data: { value: h }, isText: { value: false } });
  // (It signs the handle's text: misuse of a key the script holds, not theft; the signature is checked as loot.)
  await attack('forged Message: sign with the victim key', async () => {
    const signed = await sp.sign({ message: fakeMessage, signingKeys: victim, format: 'binary' });
    const { data } = await sp.verify({ message: await sp.readMessage({ binaryMessage: signed }), verificationKeys: await victim.toPublic(), expectSigned: true });
    assert(data === h, `it signed the handle's text, nothing else: ${data}`);
    return signed;
  }, ['returned']);
  const fakeSignature = Object.create(sp.Signature.prototype, { data: { value: h } });
  await attack('forged Signature: verify', async () => sp.verify({ message: await sp.createMessage({ text: 'x' }), signature: fakeSignature, verificationKeys: victim }), ['MALFORMED_INPUT', 'INVALID_ARGUMENT']);
  Object.defineProperty(sp.Message.prototype, 'data', { configurable: true, get() { return h; } });
  let sealed;
  await attack('Message.prototype.data getter', async () => {
    sealed = await sp.encrypt({ message: Object.create(sp.Message.prototype, { kind: { value: 'literal' } }), passwords: ATTACKER, format: 'binary' });
    return sealed;
  }, ['returned']);
  delete sp.Message.prototype.data;
  // The wasm glue copies the string into bytes as an array-like ('0'..'9' → 0..9, 'a'..'f' → 0):
  // the message is those 32 bytes of the handle's text, nothing from the key.
  const opened = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: sealed }), passwords: ATTACKER, format: 'binary' });
  assert(opened.data.length === h.length && opened.data.every((b, i) => b === (Number(h[i]) || 0)), `the getter's message is the handle's text, nothing else: ${opened.data}`);
  // 7. The worker answers its own engine's methods only, and starts once.
  for (const op of ['__testTrap', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    await attack(`op ${op}`, () => call(op), ['INVALID_ARGUMENT']);
  }
  await attack('a second init', () => call('init', { wasmUrl: 'https://attacker.example/evil.wasm' }), ['INVALID_ARGUMENT']);
  // The victim's own calls still work.
  const signed = await sp.sign({ message: await sp.createMessage({ text: 'still mine' }), signingKeys: victim });
  assert(signed.includes('BEGIN PGP MESSAGE'), 'victim signs');
  window.__victimFingerprint = victim.getFingerprint();
});

// A worker from a Blob of `source`: a stand-in crypto worker that answers init, then misbehaves.
const blobWorker = (source) => () => new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
const INIT_OK = "if (data.op === 'init') { self.postMessage({ id: data.id, ok: true, result: null }); return; }";

test('generateKey and reformatKey are one message to the worker: the key, its public key and their infos (armored: both exported)', async () => {
  const posted = [];
  await sp.configure({
    createWorker: (url) => {
      const inner = new Worker(url, { type: 'module' });
      return {
        postMessage(m) { posted.push(m.op); inner.postMessage(m); },
        set onmessage(f) { inner.onmessage = f; },
        set onerror(f) { inner.onerror = f; },
        set onmessageerror(f) { inner.onmessageerror = f; },
        terminate() { inner.terminate(); },
      };
    },
  });
  await sp.supportedKeyTypes();
  for (const config of [undefined, { v6Keys: true }]) {
    posted.length = 0;
    const { privateKey, publicKey, revocationCertificate } = await sp.generateKey({ userIDs: 'One <one@example.org>', format: 'object', config });
    assert(posted.join() === 'generateKey', `messages: ${posted.join()}`);
    assert(privateKey.isPrivate() && !publicKey.isPrivate() && /BEGIN PGP PUBLIC KEY BLOCK/.test(revocationCertificate), 'shapes');
    // The public key's info (derived from the private key's in the worker) is what toPublic() reads.
    const again = await privateKey.toPublic();
    assert(JSON.stringify(publicKey.info) === JSON.stringify(again.info), `info differs:\n${JSON.stringify(publicKey.info)}\n${JSON.stringify(again.info)}`);
    assert(publicKey.info.keys.every((k) => k.hasSecret === false && k.secretLocked === false) && publicKey.info.isLocked === false, 'no secret in the public info');
    const signed = await sp.sign({ message: await sp.createMessage({ text: 'x' }), signingKeys: privateKey, detached: true });
    const { signatures } = await sp.verify({ message: await sp.createMessage({ text: 'x' }), signature: await sp.readSignature({ armoredSignature: signed }), verificationKeys: publicKey, expectSigned: true });
    assert(await signatures[0].verified, 'the public key verifies');
    // reformatKey likewise: one message, the public key's info as toPublic() reads it.
    posted.length = 0;
    const re = await sp.reformatKey({ privateKey, userIDs: 'Re <re@example.org>', format: 'object' });
    assert(posted.join() === 'reformatKey', `reformat messages: ${posted.join()}`);
    assert(JSON.stringify(re.publicKey.info) === JSON.stringify((await re.privateKey.toPublic()).info), 'reformatted info differs');
    assert(re.publicKey.getUserIDs().join() === 'Re <re@example.org>' && !re.publicKey.isPrivate(), 'reformatted public key');
  }
  posted.length = 0;
  const armored = await sp.generateKey({ userIDs: 'Two <two@example.org>', passphrase: 'pw', format: 'armored' });
  assert(posted.join() === 'generateKey', `armored messages: ${posted.join()}`);
  const read = await sp.readPrivateKey({ armoredKey: armored.privateKey });
  assert(read.isDecrypted() === false, 'exported locked');
  assert((await sp.readKey({ armoredKey: armored.publicKey })).getFingerprint() === read.getFingerprint(), 'same key');
  // Unprotected and armored: the export rule refuses it in that same call.
  await rejects(sp.generateKey({ userIDs: 'Three <three@example.org>', format: 'armored' }), (e) => assert(e.code === 'EXPORT_REFUSED', e.code), 'unprotected armored');
  assert(__pendingCalls() === 0, `pending: ${__pendingCalls()}`);
  await sp.configure({});
});

test('long work in the worker: AbortSignal, a failed, hung or terminated worker, no pending call left', async () => {
  const code = (c) => (e) => assert(e.code === c, `${e.code}: ${e.message}`);
  const uid = 'L <l@example.org>';
  // 1. sign/verify with a stream: refused before posting (was DataCloneError and a leaked pending call).
  const { privateKey, publicKey } = await sp.generateKey({ userIDs: uid, format: 'object' });
  const streamOf = (t) => new ReadableStream({ start(c) { c.enqueue(t); c.close(); } });
  await rejects(sp.sign({ message: await sp.createMessage({ text: streamOf('x') }), signingKeys: privateKey }), code('STREAM_NOT_SUPPORTED'), 'sign stream');
  const sig = await sp.readSignature({ armoredSignature: await sp.sign({ message: await sp.createMessage({ text: 'x' }), signingKeys: privateKey, detached: true }) });
  await rejects(sp.verify({ message: await sp.createMessage({ text: streamOf('x') }), signature: sig, verificationKeys: publicKey }), code('STREAM_NOT_SUPPORTED'), 'verify stream');
  await rejects(sp.verify({ message: await sp.readMessage({ armoredMessage: streamOf('x') }), verificationKeys: publicKey }), code('STREAM_NOT_SUPPORTED'), 'verify inline stream');
  assert(__pendingCalls() === 0, `pending after stream refusals: ${__pendingCalls()}`);
  // 2. An aborted signal: ABORTED, the reason as cause; nothing posted.
  const reason = new Error('user left');
  await rejects(sp.encrypt({ message: await sp.createMessage({ text: 'x' }), encryptionKeys: publicKey, signal: AbortSignal.abort(reason) }),
    (e) => assert(e.code === 'ABORTED' && e.cause === reason, `${e.code} ${e.cause}`), 'aborted before');
  await rejects(sp.sign({ message: await sp.createMessage({ text: 'x' }), signingKeys: privateKey, signal: 'nope' }), (e) => assert(e instanceof TypeError, String(e)), 'not a signal');
  // 3. Aborted while the worker works: rejected at once, and the keys the worker still made (the
  //    key and its public key, one answer) are released.
  const seen = [];
  const controller = new AbortController();
  await sp.configure({
    createWorker: (url) => {
      const inner = new Worker(url, { type: 'module' });
      return {
        postMessage(m) { seen.push(m.op === 'release' ? `release:${m.args[0].join()}` : m.op); inner.postMessage(m); if (m.op === 'generateKey') controller.abort(); },
        set onmessage(f) { inner.onmessage = (ev) => { if (ev.data.result?.key?.handle) seen.push(`made:${[ev.data.result.key.handle, ev.data.result.publicKey?.handle].filter(Boolean).join()}`); f(ev); }; },
        set onerror(f) { inner.onerror = f; },
        set onmessageerror(f) { inner.onmessageerror = f; },
        terminate() { inner.terminate(); },
      };
    },
  });
  await rejects(sp.generateKey({ userIDs: uid, format: 'object', signal: controller.signal }), code('ABORTED'), 'aborted while working');
  assert(__pendingCalls() === 0, `pending after abort: ${__pendingCalls()}`);
  for (let i = 0; i < 100 && !seen.some((s) => s.startsWith('release:')); i++) await new Promise((r) => setTimeout(r, 50));
  const made = seen.find((s) => s.startsWith('made:'));
  assert(made && seen.includes(`release:${made.slice(5)}`), `the orphaned key was not released: ${seen.join(' ')}`);
  // 4. A hung worker (never answers): AbortSignal.timeout bounds the call.
  await sp.configure({ createWorker: blobWorker(`self.onmessage = ({ data }) => { ${INIT_OK} };`) });
  const t0 = performance.now();
  await rejects(sp.generateKey({ userIDs: uid, format: 'object', signal: AbortSignal.timeout(300) }),
    (e) => assert(e.code === 'ABORTED' && e.cause?.name === 'TimeoutError', `${e.code} ${e.cause?.name}`), 'hung worker');
  assert(performance.now() - t0 < 5000, 'timeout took too long');
  assert(__pendingCalls() === 0, 'pending after timeout');
  // … and without a signal: the built-in call timeout (configure({ callTimeout })) replaces the
  // worker and fails every pending call with WORKER_TIMEOUT.
  await sp.configure({ callTimeout: 400, createWorker: blobWorker(`self.onmessage = ({ data }) => { ${INIT_OK} };`) });
  const t1 = performance.now();
  const first = sp.generateKey({ userIDs: uid, format: 'object' });
  const second = sp.generateKey({ userIDs: uid, format: 'object' });
  await rejects(first, code('WORKER_TIMEOUT'), 'call timeout');
  await rejects(second, code('WORKER_TIMEOUT'), 'the other pending call');
  assert(performance.now() - t1 < 5000, 'call timeout took too long');
  assert(__pendingCalls() === 0, 'pending after the call timeout');
  await rejects(sp.configure({ callTimeout: 0 }), (e) => assert(e instanceof RangeError, String(e)), 'callTimeout 0');
  // … and terminate() with calls pending on it: WORKER_FAILED.
  const hanging = sp.generateKey({ userIDs: uid, format: 'object' });
  await new Promise((r) => setTimeout(r, 100));
  await sp.terminate();
  await rejects(hanging, code('WORKER_FAILED'), 'terminated');
  // 5. A worker that fails (an error event): every pending call WORKER_FAILED, none left.
  await sp.configure({ createWorker: blobWorker(`self.onmessage = ({ data }) => { ${INIT_OK} if (data.op === 'generateKey') setTimeout(() => { throw new Error('boom'); }, 100); };`) });
  const a = sp.generateKey({ userIDs: uid, format: 'object' });
  const b = sp.generateKey({ userIDs: uid, format: 'object' });
  await rejects(a, code('WORKER_FAILED'), 'first pending');
  await rejects(b, code('WORKER_FAILED'), 'second pending');
  assert(__pendingCalls() === 0, 'pending after failure');
  // 6. A stream aborted midway: the output errors ABORTED, the source is cancelled, the worker's stream dropped.
  await sp.configure({});
  const keys = await sp.generateKey({ userIDs: uid, format: 'object' });
  let cancelled = null;
  const endless = new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(1 << 16)); }, cancel(r) { cancelled = r; } });
  const sc = new AbortController();
  const out = await sp.encrypt({ message: await sp.createMessage({ binary: endless }), encryptionKeys: keys.publicKey, format: 'binary', stream: true, signal: sc.signal });
  const reader = out.getReader();
  await reader.read();
  sc.abort();
  await rejects((async () => { for (;;) { const { done } = await reader.read(); if (done) return; } })(), code('ABORTED'), 'stream read');
  assert(cancelled?.code === 'ABORTED', `source not cancelled: ${cancelled}`);
  await new Promise((r) => setTimeout(r, 100));
  assert(__pendingCalls() === 0, 'pending after stream abort');
  // Still works afterwards.
  const text = await sp.encrypt({ message: await sp.createMessage({ text: 'after' }), encryptionKeys: keys.publicKey, signal: new AbortController().signal });
  const back = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: text }), decryptionKeys: keys.privateKey });
  assert(back.data === 'after', back.data);
});

test('a trap replaces the worker: pending calls fail, later calls work', async () => {
  // The production worker has no trap op: a test build of it does, pinned by its own hash.
  const rejected = await rejects(__testTrap(), (e) => assert(e.code === 'INVALID_ARGUMENT', e.code), 'production worker');
  assert(/unknown operation/.test(rejected.message), rejected.message);
  setBackendFactory(() => workerBackend({
    workerUrl: new URL('./trap-worker.bundle.js', import.meta.url),
    integrity: TRAP_WORKER_INTEGRITY,
    wasmUrl: new URL('../../src/wasm/sealpost_wasm_bg.wasm', import.meta.url),
  }));
  await sp.configure({});
  const { privateKey } = await sp.generateKey({ userIDs: 'Eve <eve@example.org>', format: 'object' });
  const trap = __testTrap();
  const pending = sp.generateKey({ userIDs: 'Pending <p@example.org>', format: 'object' });
  await rejects(trap, (e) => assert(e.code === 'WASM_TRAPPED', e.code), 'trap');
  await rejects(pending, (e) => assert(e.code === 'WASM_TRAPPED', e.code), 'pending call');
  await rejects(privateKey.armor(), (e) => assert(e.code === 'KEY_DISPOSED', e.code), 'old handle');
  const { privateKey: fresh } = await sp.generateKey({ userIDs: 'Fresh <f@example.org>', format: 'object' });
  assert(fresh.getFingerprint().length === 40, 'works again');
});

for (const [name, fn] of tests) {
  try {
    await fn();
    results.passed.push(name);
    log(`ok ${name}`);
  } catch (e) {
    results.failed.push({ name, error: `${e && e.name}: ${e && e.message}` });
    log(`FAIL ${name}: ${e && e.message}`);
  }
}
results.done = true;
