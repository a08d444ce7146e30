// Session keys, file names, format 'object', message key IDs and progress (issue 25), against
// OpenPGP.js 6.3.2 both ways: generateSessionKey, encryptSessionKey and decryptSessionKeys,
// encrypt({ sessionKey }) and decrypt({ sessionKeys }) made by one library and read by the other,
// for v4 keys (SEIPDv1) and v6 keys (SEIPDv2); the refusals, each with its code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as openpgp from 'openpgp';
import * as sp from '../src/node.js';

const code = (c) => (e) => {
  assert.equal(e.code, c, `${e.code}: ${e.message}`);
  return true;
};

for (const v6 of [false, true]) {
  const label = v6 ? 'v6 keys / SEIPDv2' : 'v4 keys / SEIPDv1';
  const config = { v6Keys: v6, aeadProtect: v6 };

  test(`${label}: session keys and file names, OpenPGP.js → sealpost`, async () => {
    const o = await openpgp.generateKey({ userIDs: [{ email: 'o@example.org' }], format: 'object', config });
    const key = await sp.readPrivateKey({ armoredKey: o.privateKey.armor() });
    // OpenPGP.js's own session key, its session key packets and a message under that key.
    const sk = await openpgp.generateSessionKey({ encryptionKeys: o.publicKey, config });
    const armored = await openpgp.encrypt({ message: await openpgp.createMessage({ text: 'from OpenPGP.js', filename: 'o.txt' }), encryptionKeys: o.publicKey, sessionKey: sk, config });
    const found = await sp.decryptSessionKeys({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: key });
    assert.equal(found.length, 1);
    assert.deepEqual([...found[0].data], [...sk.data]);
    assert.equal(found[0].algorithm, sk.algorithm);
    const r = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), sessionKeys: found[0] });
    assert.equal(r.data, 'from OpenPGP.js');
    assert.equal(r.filename, 'o.txt');
    // OpenPGP.js's session key as given, too.
    assert.equal((await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), sessionKeys: sk })).data, 'from OpenPGP.js');
    // The message's recipients: the same key IDs as OpenPGP.js reads.
    const ids = (await (await sp.readMessage({ armoredMessage: armored })).getEncryptionKeyIDs()).map((k) => k.toHex());
    assert.deepEqual(ids, (await openpgp.readMessage({ armoredMessage: armored })).getEncryptionKeyIDs().map((k) => k.toHex()));
    // OpenPGP.js's session key packets for a password, in front of its data encrypted with the key alone.
    const esk = await openpgp.encryptSessionKey({ ...sk, passwords: 'pw', format: 'binary', config });
    const bare = await openpgp.encrypt({ message: await openpgp.createMessage({ binary: new Uint8Array([7, 8, 9]) }), sessionKey: sk, format: 'binary', config });
    const joined = new Uint8Array([...esk, ...bare]);
    const byPassword = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: joined }), passwords: 'pw', format: 'binary' });
    assert.deepEqual([...byPassword.data], [7, 8, 9]);
    assert.equal(byPassword.filename, null, 'no file name: null, as OpenPGP.js');
  });

  test(`${label}: session keys and file names, sealpost → OpenPGP.js`, async () => {
    const g = await sp.generateKey({ userIDs: 'S <s@example.org>', format: 'object', config });
    const oPriv = await openpgp.readPrivateKey({ armoredKey: await g.privateKey.armor() });
    const sk = await sp.generateSessionKey({ encryptionKeys: g.publicKey, config: { aeadProtect: v6 } });
    assert.equal(sk.algorithm, 'aes256');
    assert.equal(sk.data.length, 32);
    assert.equal(sk.aeadAlgorithm, v6 ? 'ocb' : undefined);
    assert.ok(Object.hasOwn(sk, 'aeadAlgorithm'), "the key is there (undefined) as in OpenPGP.js's object");
    const armored = await sp.encrypt({ message: await sp.createMessage({ text: 'from sealpost', filename: 'café.txt' }), encryptionKeys: g.publicKey, sessionKey: sk });
    const om = await openpgp.readMessage({ armoredMessage: armored });
    assert.equal(om.packets.findPacket(openpgp.enums.packet.symEncryptedIntegrityProtectedData).version, v6 ? 2 : 1, 'SEIPD version');
    const theirs = await openpgp.decryptSessionKeys({ message: om, decryptionKeys: oPriv });
    assert.deepEqual([...theirs[0].data], [...sk.data]);
    const r = await openpgp.decrypt({ message: await openpgp.readMessage({ armoredMessage: armored }), sessionKeys: sk });
    assert.equal(r.data, 'from sealpost');
    assert.equal(r.filename, 'café.txt');
    // sealpost's session key packets, read by OpenPGP.js.
    const esk = await sp.encryptSessionKey({ ...sk, encryptionKeys: g.publicKey, passwords: 'pw', format: 'object' });
    assert.ok(esk instanceof sp.Message);
    const eskMessage = await openpgp.readMessage({ armoredMessage: await esk.armor() });
    const byKey = await openpgp.decryptSessionKeys({ message: eskMessage, decryptionKeys: oPriv });
    assert.deepEqual([...byKey[0].data], [...sk.data]);
    const byPassword = await openpgp.decryptSessionKeys({ message: eskMessage, passwords: 'pw' });
    assert.deepEqual([...byPassword[0].data], [...sk.data]);
    // decrypt({ returnSessionKey }) and decryptSessionKeys give the same key.
    const back = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: g.privateKey, returnSessionKey: true });
    const hex = [...sk.data].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
    assert.equal(back.sessionKey, `9:${hex}`);
    assert.equal(back.filename, 'café.txt');
  });
}

test('format object: encrypt gives a Message, sign a Message, a Signature or a CleartextMessage; OpenPGP.js reads each', async () => {
  const o = await openpgp.generateKey({ userIDs: [{ email: 'f@example.org' }], format: 'object' });
  const key = await sp.readPrivateKey({ armoredKey: o.privateKey.armor() });
  const pub = await key.toPublic();
  const m = await sp.encrypt({ message: await sp.createMessage({ text: 'object' }), encryptionKeys: pub, format: 'object' });
  assert.ok(m instanceof sp.Message);
  assert.equal((await openpgp.decrypt({ message: await openpgp.readMessage({ binaryMessage: await m.write() }), decryptionKeys: o.privateKey })).data, 'object');
  assert.equal((await sp.decrypt({ message: m, decryptionKeys: key })).data, 'object', 'the Message decrypts as is');
  const inline = await sp.sign({ message: await sp.createMessage({ text: 'signed' }), signingKeys: key, format: 'object' });
  assert.ok(inline instanceof sp.Message);
  assert.deepEqual((await inline.getSigningKeyIDs()).map((k) => k.toHex()), [(await o.privateKey.getSigningKey()).getKeyID().toHex()]);
  assert.deepEqual((await inline.getSigningKeyIDs()).map((k) => k.toHex()), [...(await openpgp.readMessage({ armoredMessage: await inline.armor() })).getSigningKeyIDs()].map((k) => k.toHex()));
  const detached = await sp.sign({ message: await sp.createMessage({ text: 'signed' }), signingKeys: key, detached: true, format: 'object' });
  assert.ok(detached instanceof sp.Signature);
  const v = await sp.verify({ message: await sp.createMessage({ text: 'signed' }), signature: detached, verificationKeys: pub, expectSigned: true });
  assert.equal(v.signatures[0].valid, true);
  const clear = await sp.sign({ message: await sp.createCleartextMessage({ text: 'clear' }), signingKeys: key, format: 'object' });
  assert.ok(clear instanceof sp.CleartextMessage);
  assert.equal((await sp.verify({ message: clear, verificationKeys: pub, expectSigned: true })).data, 'clear');
  // An encrypted message names no signer outside the encryption; a created one nothing.
  assert.deepEqual(await m.getSigningKeyIDs(), []);
  assert.deepEqual(await (await sp.createMessage({ text: 'x' })).getEncryptionKeyIDs(), []);
});

test('session keys, file names, key IDs: bad input refused with its code, nothing encrypted', async () => {
  const g = await sp.generateKey({ userIDs: 'B <b@example.org>', format: 'object' });
  const other = await sp.generateKey({ userIDs: 'C <c@example.org>', format: 'object' });
  const msg = () => sp.createMessage({ text: 'x' });
  // 64-bit-block and unknown ciphers, wrong key sizes, unknown AEAD modes.
  await assert.rejects(sp.encrypt({ message: await msg(), encryptionKeys: g.publicKey, sessionKey: { data: new Uint8Array(16), algorithm: 'cast5' } }), code('UNSUPPORTED'));
  await assert.rejects(sp.encryptSessionKey({ data: new Uint8Array(24), algorithm: 'tripledes', encryptionKeys: g.publicKey }), code('UNSUPPORTED'));
  await assert.rejects(sp.encrypt({ message: await msg(), encryptionKeys: g.publicKey, sessionKey: { data: new Uint8Array(16), algorithm: 'aes256' } }), code('INVALID_ARGUMENT'));
  await assert.rejects(sp.encrypt({ message: await msg(), passwords: 'pw', sessionKey: { data: new Uint8Array(32), algorithm: 'rot13' } }), RangeError);
  await assert.rejects(sp.encrypt({ message: await msg(), passwords: 'pw', sessionKey: { data: new Uint8Array(32), algorithm: 'aes256', aeadAlgorithm: 'xyz' } }), RangeError);
  await assert.rejects(sp.encrypt({ message: await msg(), passwords: 'pw', sessionKey: { data: new Uint8Array(32), algorithm: 'aes256', extra: 1 } }), /extra/);
  await assert.rejects(sp.encryptSessionKey({ data: new Uint8Array(32), algorithm: 'aes256' }), TypeError, 'no recipient');
  await assert.rejects(sp.generateSessionKey({ encryptionKeys: g.publicKey, date: new Date() }), /date/);
  // Session keys of a message for someone else, or with a wrong password.
  const c = await sp.encrypt({ message: await msg(), encryptionKeys: g.publicKey, passwords: 'pw' });
  await assert.rejects(sp.decryptSessionKeys({ message: await sp.readMessage({ armoredMessage: c }), decryptionKeys: other.privateKey }), code('NO_MATCHING_KEY'));
  await assert.rejects(sp.decryptSessionKeys({ message: await sp.readMessage({ armoredMessage: c }), passwords: 'wrong' }), code('DECRYPTION_FAILED'));
  await assert.rejects(sp.decryptSessionKeys({ message: await sp.readMessage({ armoredMessage: c }) }), TypeError);
  // A file name over 255 bytes; key IDs of garbage and of a stream.
  await assert.rejects(sp.createMessage({ text: 'x', filename: 'é'.repeat(128) }), RangeError);
  await assert.rejects(sp.createMessage({ text: 'x', filename: 7 }), TypeError);
  await assert.rejects((await sp.readMessage({ binaryMessage: new Uint8Array([1, 2, 3, 4]) })).getEncryptionKeyIDs(), code('MALFORMED_INPUT'));
  const stream = new ReadableStream({ start(ctl) { ctl.enqueue(new Uint8Array([1])); ctl.close(); } });
  await assert.rejects((await sp.readMessage({ binaryMessage: stream })).getEncryptionKeyIDs(), code('STREAM_NOT_SUPPORTED'));
  // A message to two recipients and a password: both key IDs, in order; the password adds none.
  const two = await sp.encrypt({ message: await msg(), encryptionKeys: [g.publicKey, other.publicKey], passwords: 'pw' });
  const enc = (k) => k.getSubkeys().find((s) => s.info.flags.encryptCommunications).getKeyID().toHex();
  assert.deepEqual((await (await sp.readMessage({ armoredMessage: two })).getEncryptionKeyIDs()).map((k) => k.toHex()), [enc(g.publicKey), enc(other.publicKey)]);
});

test('readPrivateKeys and Key.update, compared with OpenPGP.js', async () => {
  const a = await openpgp.generateKey({ userIDs: [{ email: 'a@example.org' }] });
  const b = await openpgp.generateKey({ userIDs: [{ email: 'b@example.org' }] });
  const ring = new Uint8Array([
    ...(await openpgp.readKey({ armoredKey: a.publicKey })).write(),
    ...(await openpgp.readKey({ armoredKey: a.privateKey })).write(),
    ...(await openpgp.readKey({ armoredKey: b.privateKey })).write(),
  ]);
  const ours = await sp.readPrivateKeys({ binaryKeys: ring });
  const theirs = await openpgp.readPrivateKeys({ binaryKeys: ring });
  assert.deepEqual(ours.map((k) => k.getFingerprint()), theirs.map((k) => k.getFingerprint()));
  assert.ok(ours.every((k) => k.isPrivate()));
  await assert.rejects(sp.readPrivateKeys({ armoredKeys: a.publicKey }), code('INVALID_ARGUMENT'));
  await assert.rejects(sp.readPrivateKeys({ armoredKey: a.privateKey }), /armoredKey/);
  // update: a public key with a revocation, and a public key with its private key.
  const pub = await sp.readKey({ armoredKey: a.publicKey });
  const revoked = (await sp.revokeKey({ key: pub, revocationCertificate: a.revocationCertificate, format: 'object' })).publicKey;
  const updated = await pub.update(revoked);
  assert.equal(updated.isRevoked(), true);
  assert.equal(pub.isRevoked(), false, 'update returns a new key');
  const withSecret = await pub.update(ours[0]);
  assert.equal(withSecret.isPrivate(), true, 'as OpenPGP.js: the private key, updated');
  const theirUpdate = await (await openpgp.readKey({ armoredKey: a.publicKey })).update(theirs[0]);
  assert.equal(theirUpdate.isPrivate(), true);
  await assert.rejects(pub.update(ours[1]), code('INVALID_ARGUMENT'), 'another key');
  await assert.rejects(pub.update({ info: pub.info }), TypeError, 'not a Key');
  await assert.rejects(pub.update(revoked, new Date()), /date/);
});

test('onProgress: buffered calls over 4 MiB in 1 MiB steps, streams per chunk; same output as without', async () => {
  const g = await sp.generateKey({ userIDs: 'P <p@example.org>', format: 'object' });
  const data = new Uint8Array(9 * 1024 * 1024 + 5).map((_, i) => i * 7);
  const seen = [];
  const c = await sp.encrypt({ message: await sp.createMessage({ binary: data }), encryptionKeys: g.publicKey, format: 'binary', onProgress: (p) => seen.push(p) });
  assert.deepEqual(seen.map((p) => p.processed), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => n << 20).concat([data.length]));
  assert.ok(seen.every((p) => p.total === data.length));
  const seen2 = [];
  const r = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: c }), decryptionKeys: g.privateKey, format: 'binary', onProgress: (p) => seen2.push(p.processed) });
  assert.equal(seen2.at(-1), c.length);
  assert.ok(seen2.every((n, i) => i === 0 || n > seen2[i - 1]), 'increasing');
  assert.equal(Buffer.compare(r.data, data), 0);
  // A tampered message through the chunked path: no data, the same code as the one-call path.
  const t = c.slice();
  t[t.length - 100] ^= 1;
  const tampered = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: t }), decryptionKeys: g.privateKey, format: 'binary' }).catch((e) => e.code);
  await assert.rejects(sp.decrypt({ message: await sp.readMessage({ binaryMessage: t }), decryptionKeys: g.privateKey, format: 'binary', onProgress: () => {} }), code(tampered));
  // Small buffered calls: start and end only.  A callback that throws changes nothing.
  const small = [];
  await sp.encrypt({ message: await sp.createMessage({ text: 'x' }), passwords: 'pw', onProgress: (p) => small.push(p.processed) });
  assert.deepEqual(small, [0, 1]);
  assert.equal(typeof await sp.encrypt({ message: await sp.createMessage({ binary: data }), passwords: 'pw', onProgress: () => { throw new Error('ignored'); } }), 'string');
  await assert.rejects(sp.encrypt({ message: await sp.createMessage({ text: 'x' }), passwords: 'pw', onProgress: 1 }), TypeError);
  // Streams: after each chunk pushed.
  const chunks = [new Uint8Array(1000), new Uint8Array(2000), new Uint8Array(3000)];
  const source = new ReadableStream({ pull(ctl) { const n = chunks.shift(); if (n) ctl.enqueue(n); else ctl.close(); } });
  const streamed = [];
  const out = await sp.encrypt({ message: await sp.createMessage({ binary: source }), encryptionKeys: g.publicKey, format: 'binary', stream: true, onProgress: (p) => streamed.push(p.processed) });
  await new Response(out).arrayBuffer();
  assert.deepEqual(streamed, [1000, 3000, 6000]);
});

test('a session key with an AEAD mode makes a SEIPDv2 message for v4 keys too; OpenPGP.js opens it', async () => {
  const g = await sp.generateKey({ userIDs: 'G <g@example.org>', format: 'object' });
  const oPriv = await openpgp.readPrivateKey({ armoredKey: await g.privateKey.armor() });
  const sk = { data: crypto.getRandomValues(new Uint8Array(16)), algorithm: 'aes128', aeadAlgorithm: 'gcm' };
  const armored = await sp.encrypt({ message: await sp.createMessage({ text: 'gcm' }), encryptionKeys: g.publicKey, sessionKey: sk });
  const r = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: g.privateKey });
  assert.deepEqual([r.layers.cipher, r.layers.aead], ['AES-128', 'GCM']);
  assert.equal((await openpgp.decrypt({ message: await openpgp.readMessage({ armoredMessage: armored }), decryptionKeys: oPriv })).data, 'gcm');
  const esk = await sp.encryptSessionKey({ ...sk, encryptionKeys: g.publicKey });
  const [found] = await openpgp.decryptSessionKeys({ message: await openpgp.readMessage({ armoredMessage: esk }), decryptionKeys: oPriv });
  assert.deepEqual([...found.data], [...sk.data]);
});

test('key edits: signAllUsers (OpenPGP.js verifies the certifications), addUserID, setExpirationTime', async () => {
  const o = await openpgp.generateKey({ userIDs: [{ email: 'o@example.org' }, { email: 'o2@example.org' }], format: 'object' });
  // The certifier: an OpenPGP.js key (OpenPGP.js 6.3.2 accepts a certification only from a primary
  // key also flagged to sign data; sealpost's primary keys certify only: it reports theirs
  // valid: false, which sequoia checks in wasm/core/tests/keys_edit.rs).
  const c = await openpgp.generateKey({ userIDs: [{ email: 'c@example.org' }], format: 'object' });
  const signer = await sp.readPrivateKey({ armoredKey: c.privateKey.armor() });
  const theirs = await sp.readKey({ armoredKey: o.publicKey.armor() });
  const certified = await theirs.signAllUsers([signer]);
  assert.deepEqual(certified.getUserIDs(), theirs.getUserIDs());
  // OpenPGP.js finds one valid certification by the signer on each user ID.
  const back = await openpgp.readKey({ armoredKey: await certified.armor() });
  for (const user of back.users) {
    const results = await user.verifyAllCertifications([c.publicKey]);
    assert.equal(results.filter((r) => r.valid === true && r.keyID.toHex() === signer.getKeyID().toHex()).length, 1, user.userID.userID);
  }
  // OpenPGP.js's own signAllUsers of the same key, read by sealpost: the same user IDs.
  const theirSigned = await o.publicKey.signAllUsers([c.privateKey]);
  assert.deepEqual((await sp.readKey({ armoredKey: theirSigned.armor() })).getUserIDs(), certified.getUserIDs());
  await assert.rejects(theirs.signAllUsers([]), TypeError);
  await assert.rejects(theirs.signAllUsers([await signer.toPublic()]), TypeError);
  const own = (await sp.generateKey({ userIDs: 'Own <own@example.org>', format: 'object' })).privateKey;
  assert.equal((await theirs.signAllUsers(own)).getUserIDs().length, 2, 'a sealpost key certifies too');

  // addUserID and setExpirationTime on a protected key: unlocked to edit.
  const g = await sp.generateKey({ userIDs: 'Edit <edit@example.org>', passphrase: 'pw', format: 'object' });
  await assert.rejects(g.privateKey.addUserID('Second <second@example.org>'), code('KEY_LOCKED'));
  const unlocked = await sp.decryptKey({ privateKey: g.privateKey, passphrase: 'pw' });
  const added = await unlocked.addUserID({ name: 'Second', email: 'second@example.org' });
  assert.deepEqual(added.getUserIDs(), ['Edit <edit@example.org>', 'Second <second@example.org>']);
  assert.ok(added.info.userIds.every((u) => u.valid));
  await new Promise((r) => setTimeout(r, 1100)); // a second after the key's self-signatures (see below)
  const expiring = await added.setExpirationTime(3 * 365 * 86400);
  assert.equal(expiring.getExpirationTime().getTime(), expiring.getCreationTime().getTime() + 3 * 365 * 86400 * 1000);
  // Self-signatures carry whole seconds: a second change made in the same second would tie with
  // the first (which one counts is then sequoia's pick), so the next one waits for the next second.
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal((await (await expiring.setExpirationTime(0)).getExpirationTime()), Infinity);
  await assert.rejects(added.addUserID('Edit <edit@example.org>'), code('INVALID_ARGUMENT'), 'already there');
  await assert.rejects(added.setExpirationTime(1), code('INVALID_ARGUMENT'), 'in the past');
  await assert.rejects(added.setExpirationTime(-1), RangeError);
  await assert.rejects(added.addUserID({ name: 'x', extra: 1 }), /extra/);
  // OpenPGP.js reads the edited key (Node exports what it holds, here unlocked; in a browser
  // the locked form: test/browser/suite.js).
  const exported = await openpgp.readPrivateKey({ armoredKey: await expiring.armor() });
  assert.deepEqual(exported.getUserIDs(), ['Edit <edit@example.org>', 'Second <second@example.org>']);
  assert.equal((await exported.getExpirationTime()).getTime(), expiring.getExpirationTime().getTime());
  assert.equal((await exported.getPrimaryUser()).user.userID.email, 'edit@example.org');
});
