// Interoperability with OpenPGP.js 6 (npm `openpgp`, a dev dependency):
// keys and messages made by each are read by the other, both directions,
// for v4 keys (SEIPDv1) and v6 keys (SEIPDv2), including locked private
// keys, passwords, and cleartext and detached signatures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as openpgp from 'openpgp';
import * as sp from '../src/node.js';

const PASS = 'interop passphrase';

for (const v6 of [false, true]) {
  const label = v6 ? 'v6 keys / SEIPDv2' : 'v4 keys / SEIPDv1';

  test(`${label}: OpenPGP.js → sealpost`, async () => {
    // OpenPGP.js 6 advertises (and then writes) SEIPDv2 only with aeadProtect,
    // even for v6 keys.
    const o = await openpgp.generateKey({ userIDs: [{ name: 'Opal', email: 'opal@example.org' }], passphrase: PASS, config: { v6Keys: v6, aeadProtect: v6 } });
    // sealpost reads OpenPGP.js's locked private key and unlocks it.
    const key = await sp.decryptKey({ privateKey: await sp.readPrivateKey({ armoredKey: o.privateKey }), passphrase: PASS });
    assert.equal(key.info.version, v6 ? 6 : 4);
    const oPriv = await openpgp.decryptKey({ privateKey: await openpgp.readPrivateKey({ armoredKey: o.privateKey }), passphrase: PASS });
    const oPub = await openpgp.readKey({ armoredKey: o.publicKey });
    assert.equal(key.getFingerprint(), oPub.getFingerprint());

    const armored = await openpgp.encrypt({ message: await openpgp.createMessage({ text: 'from OpenPGP.js ✓' }), encryptionKeys: oPub, signingKeys: oPriv });
    const r = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: key, verificationKeys: await sp.readKey({ armoredKey: o.publicKey }), expectSigned: true });
    assert.equal(r.data, 'from OpenPGP.js ✓');
    assert.equal(r.layers.aead !== null, v6, `container follows the key version (${JSON.stringify(r.layers)})`);
    assert.equal(await r.signatures[0].verified, true);

    const clear = await openpgp.sign({ message: await openpgp.createCleartextMessage({ text: 'cleartext from OpenPGP.js' }), signingKeys: oPriv });
    const v = await sp.verify({ message: await sp.readCleartextMessage({ cleartextMessage: clear }), verificationKeys: await key.toPublic(), expectSigned: true });
    assert.equal(v.data, 'cleartext from OpenPGP.js');
    const detached = await openpgp.sign({ message: await openpgp.createMessage({ binary: new Uint8Array([1, 2, 3]) }), signingKeys: oPriv, detached: true });
    const dv = await sp.verify({ message: await sp.createMessage({ binary: new Uint8Array([1, 2, 3]) }), signature: await sp.readSignature({ armoredSignature: detached }), verificationKeys: await key.toPublic(), expectSigned: true });
    assert.equal(dv.signatures[0].valid, true);

    const byPassword = await openpgp.encrypt({ message: await openpgp.createMessage({ text: 'password message' }), passwords: 'pw for both', config: { aeadProtect: v6 } });
    assert.equal((await sp.decrypt({ message: await sp.readMessage({ armoredMessage: byPassword }), passwords: 'pw for both' })).data, 'password message');
  });

  test(`${label}: sealpost → OpenPGP.js`, async () => {
    const s = await sp.generateKey({ userIDs: [{ name: 'Sam', email: 'sam@example.org' }], passphrase: PASS, config: { v6Keys: v6 } });
    // OpenPGP.js reads sealpost's locked private key and unlocks it.
    const oPriv = await openpgp.decryptKey({ privateKey: await openpgp.readPrivateKey({ armoredKey: s.privateKey }), passphrase: PASS });
    const oPub = await openpgp.readKey({ armoredKey: s.publicKey });
    const sPriv = await sp.decryptKey({ privateKey: await sp.readPrivateKey({ armoredKey: s.privateKey }), passphrase: PASS });
    const sPub = await sp.readKey({ armoredKey: s.publicKey });

    const armored = await sp.encrypt({ message: await sp.createMessage({ text: 'from sealpost ✓' }), encryptionKeys: sPub, signingKeys: sPriv });
    const r = await openpgp.decrypt({ message: await openpgp.readMessage({ armoredMessage: armored }), decryptionKeys: oPriv, verificationKeys: oPub, expectSigned: true });
    assert.equal(r.data, 'from sealpost ✓');
    assert.equal(await r.signatures[0].verified, true);
    const packets = (await openpgp.readMessage({ armoredMessage: armored })).packets;
    const container = packets.findPacket(openpgp.SymEncryptedIntegrityProtectedDataPacket.tag);
    assert.equal(container.version, v6 ? 2 : 1, 'SEIPD version');

    const clear = await sp.sign({ message: await sp.createCleartextMessage({ text: 'cleartext from sealpost' }), signingKeys: sPriv });
    const v = await openpgp.verify({ message: await openpgp.readCleartextMessage({ cleartextMessage: clear }), verificationKeys: oPub, expectSigned: true });
    assert.equal(v.data, 'cleartext from sealpost');
    const detached = await sp.sign({ message: await sp.createMessage({ binary: new Uint8Array([4, 5]) }), signingKeys: sPriv, detached: true });
    const dv = await openpgp.verify({ message: await openpgp.createMessage({ binary: new Uint8Array([4, 5]) }), signature: await openpgp.readSignature({ armoredSignature: detached }), verificationKeys: oPub, expectSigned: true });
    assert.equal(await dv.signatures[0].verified, true);

    const byPassword = await sp.encrypt({ message: await sp.createMessage({ text: 'password message' }), passwords: 'pw for both', config: { aeadProtect: v6 } });
    const pr = await openpgp.decrypt({ message: await openpgp.readMessage({ armoredMessage: byPassword }), passwords: 'pw for both' });
    assert.equal(pr.data, 'password message');
  });
}

test('OpenPGP.js refuses what sealpost refuses: a tampered sealpost message', async () => {
  const s = await sp.generateKey({ userIDs: 'T <t@example.org>' });
  const ct = await sp.encrypt({ message: await sp.createMessage({ text: 'x' }), encryptionKeys: await sp.readKey({ armoredKey: s.publicKey }), format: 'binary' });
  ct[ct.length - 3] ^= 1;
  const oPriv = await openpgp.readPrivateKey({ armoredKey: s.privateKey });
  await assert.rejects(openpgp.decrypt({ message: await openpgp.readMessage({ binaryMessage: ct }), decryptionKeys: oPriv }));
  await assert.rejects(sp.decrypt({ message: await sp.readMessage({ binaryMessage: ct }), decryptionKeys: await sp.readPrivateKey({ armoredKey: s.privateKey }) }), (e) => e.code === 'DECRYPTION_FAILED');
});

test('OpenPGP.js text (written as CRLF) decrypts and verifies to the same string; its { data, algorithm } session keys open the message', async () => {
  const o = await openpgp.generateKey({ userIDs: [{ name: 'Lin', email: 'lin@example.org' }], format: 'object' });
  const key = await sp.readPrivateKey({ armoredKey: o.privateKey.armor() });
  const text = 'line one\nline two\n\nlast line';
  const armored = await openpgp.encrypt({ message: await openpgp.createMessage({ text }), encryptionKeys: o.publicKey, signingKeys: o.privateKey });
  const r = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: key, verificationKeys: await key.toPublic(), expectSigned: true });
  assert.equal(r.data, text);
  assert.equal((await openpgp.decrypt({ message: await openpgp.readMessage({ armoredMessage: armored }), decryptionKeys: o.privateKey })).data, text);
  // The bytes are OpenPGP's canonical CRLF; format 'binary' gives them as they are.
  const bytes = (await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: key, format: 'binary' })).data;
  assert.equal(new TextDecoder().decode(bytes), text.replace(/\n/g, '\r\n'));
  const signed = await openpgp.sign({ message: await openpgp.createMessage({ text }), signingKeys: o.privateKey });
  assert.equal((await sp.verify({ message: await sp.readMessage({ armoredMessage: signed }), verificationKeys: await key.toPublic(), expectSigned: true })).data, text);
  // decryptSessionKeys' result, passed as sealpost's sessionKeys.
  const [sessionKey] = await openpgp.decryptSessionKeys({ message: await openpgp.readMessage({ armoredMessage: armored }), decryptionKeys: o.privateKey });
  assert.equal((await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), sessionKeys: sessionKey })).data, text);
  assert.equal(key.getFingerprint(), o.privateKey.getFingerprint(), 'lower-case hex, as OpenPGP.js');
  assert.equal(key.info.fingerprint, o.privateKey.getFingerprint());
});

test('revokeKey takes OpenPGP.js revocation certificates (a lone signature); one made for another key revokes nothing', async () => {
  const g = await openpgp.generateKey({ userIDs: [{ name: 'Rev', email: 'rev@example.org' }] });
  const other = await openpgp.generateKey({ userIDs: [{ name: 'Other', email: 'other@example.org' }] });
  const revoked = await sp.revokeKey({ key: await sp.readKey({ armoredKey: g.publicKey }), revocationCertificate: g.revocationCertificate });
  assert.equal((await sp.readKey({ armoredKey: revoked.publicKey })).isRevoked(), true);
  assert.equal(await (await openpgp.readKey({ armoredKey: revoked.publicKey })).isRevoked(), true, 'OpenPGP.js reads it as revoked');
  const { privateKey } = await sp.revokeKey({ key: await sp.readPrivateKey({ armoredKey: g.privateKey }), revocationCertificate: g.revocationCertificate });
  assert.equal((await sp.readKey({ armoredKey: privateKey })).isRevoked(), true, 'a private key too');
  const foreign = await sp.revokeKey({ key: await sp.readKey({ armoredKey: other.publicKey }), revocationCertificate: g.revocationCertificate });
  assert.equal((await sp.readKey({ armoredKey: foreign.publicKey })).isRevoked(), false, 'the signature does not verify for this key');
  await assert.rejects(sp.revokeKey({ key: await sp.readKey({ armoredKey: other.publicKey }), revocationCertificate: 'not armor' }), (e) => e.code === 'MALFORMED_INPUT');
});
