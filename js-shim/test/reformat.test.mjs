// reformatKey and key.addSubkey (issue 25) against OpenPGP.js 6.3.2's own behaviour: the same
// call on the same key in both libraries gives the same user IDs, expiry, subkey roles and
// algorithms; each library uses what the other made (encrypts to the new subkey, verifies the new
// signing subkey's signature, revokes with the new revocation certificate); the refusals, each
// with its code; v4 and v6 keys; a subkey added by sealpost used by GnuPG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import * as sp from '../src/node.js';

const code = (c) => (e) => {
  assert.equal(e.code, c, `${e.code}: ${e.message}`);
  return true;
};

/** The fingerprints of `after`'s subkeys that `before` lacks (either library's key objects). */
const added = (before, after) => after.getSubkeys().map((k) => k.getFingerprint()).filter((fp) => !before.getSubkeys().some((b) => b.getFingerprint() === fp));

for (const v6 of [false, true]) {
  const label = v6 ? 'v6' : 'v4';
  const config = { v6Keys: v6 };

  test(`${label}: reformatKey gives what OpenPGP.js's gives, and each reads the other's`, async () => {
    const o = await openpgp.generateKey({ userIDs: [{ name: 'Old', email: 'old@example.org' }], format: 'object', config });
    const key = await sp.readPrivateKey({ armoredKey: o.privateKey.armor() });
    const userIDs = [{ name: 'New', email: 'new@example.org' }, { name: 'Second', email: 'second@example.org' }];
    const keyExpirationTime = 86400 * 30;
    const theirs = await openpgp.reformatKey({ privateKey: o.privateKey, userIDs, keyExpirationTime, format: 'object' });
    const ours = await sp.reformatKey({ privateKey: key, userIDs, keyExpirationTime, format: 'object' });
    for (const r of [theirs, ours]) {
      assert.equal(r.privateKey.getFingerprint(), o.privateKey.getFingerprint());
      assert.deepEqual(r.privateKey.getUserIDs(), ['New <new@example.org>', 'Second <second@example.org>']);
      assert.equal((await r.privateKey.getPrimaryUser()).user.userID.email, 'new@example.org');
      assert.equal(r.privateKey.isDecrypted(), true);
      assert.ok(r.revocationCertificate.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----'));
    }
    // sealpost's reformatted key as OpenPGP.js reads it: same expiry, same subkey roles.
    const read = await openpgp.readKey({ armoredKey: await ours.publicKey.armor() });
    await read.verifyPrimaryKey();
    assert.equal((await read.getExpirationTime()).getTime(), (await theirs.publicKey.getExpirationTime()).getTime());
    assert.equal((await read.getEncryptionKey()).getKeyID().toHex(), (await theirs.publicKey.getEncryptionKey()).getKeyID().toHex());
    assert.equal((await read.getSigningKey()).getKeyID().toHex(), (await theirs.publicKey.getSigningKey()).getKeyID().toHex());
    assert.equal(ours.privateKey.getExpirationTime().getTime(), (await theirs.publicKey.getExpirationTime()).getTime());
    // Only the new user IDs: the old one is gone in both.
    assert.deepEqual(read.getUserIDs(), theirs.publicKey.getUserIDs());
    // OpenPGP.js encrypts and signs with ours, sealpost with theirs.
    const c = await openpgp.encrypt({ message: await openpgp.createMessage({ text: 'to the reformatted key' }), encryptionKeys: read });
    assert.equal((await sp.decrypt({ message: await sp.readMessage({ armoredMessage: c }), decryptionKeys: ours.privateKey })).data, 'to the reformatted key');
    const theirsInSp = await sp.readKey({ armoredKey: theirs.publicKey.armor() });
    const s = await sp.sign({ message: await sp.createMessage({ text: 'signed' }), signingKeys: ours.privateKey });
    const v = await openpgp.verify({ message: await openpgp.readMessage({ armoredMessage: s }), verificationKeys: read, expectSigned: true });
    assert.equal(v.data, 'signed');
    assert.equal((await sp.verify({ message: await sp.readMessage({ armoredMessage: s }), verificationKeys: theirsInSp, expectSigned: true })).data, 'signed', 'same key material: the other library\'s reformat verifies it');
    // Our revocation certificate (the primary key and its revocation, as sq and GnuPG import it)
    // is a revoked key to OpenPGP.js, and merges into ours; theirs (a lone signature) revokes ours in sealpost.
    assert.equal(await (await openpgp.readKey({ armoredKey: ours.revocationCertificate })).isRevoked(), true);
    assert.equal(await (await read.update(await openpgp.readKey({ armoredKey: ours.revocationCertificate }))).isRevoked(), true);
    const revokedHere = await sp.revokeKey({ key: ours.publicKey, revocationCertificate: theirs.revocationCertificate, format: 'object' });
    assert.equal(revokedHere.publicKey.isRevoked(), true);
  });

  test(`${label}: reformatKey with a passphrase, without user IDs, and its refusals, as OpenPGP.js`, async () => {
    const o = await openpgp.generateKey({ userIDs: [{ email: 'p@example.org' }], format: 'object', config });
    const armoredKey = o.privateKey.armor();
    const key = await sp.readPrivateKey({ armoredKey });
    for (const lib of [openpgp, sp]) {
      // OpenPGP.js's reformatKey with a passphrase encrypts the input's packets in place: a fresh copy each time.
      const fresh = async () => (lib === sp ? key : openpgp.readPrivateKey({ armoredKey }));
      const privateKey = await fresh();
      const r = await lib.reformatKey({ privateKey, userIDs: { email: 'q@example.org' }, passphrase: 'pw' });
      const locked = await sp.readPrivateKey({ armoredKey: r.privateKey });
      assert.equal(locked.isDecrypted(), false, 'locked with the passphrase');
      assert.equal((await sp.decryptKey({ privateKey: locked, passphrase: 'pw' })).isDecrypted(), true);
      const oLocked = await openpgp.readPrivateKey({ armoredKey: r.privateKey });
      assert.equal((await openpgp.decryptKey({ privateKey: oLocked, passphrase: 'pw' })).isDecrypted(), true);
      // No user IDs: a v4 key refuses, a v6 key (a direct key signature) takes it.
      const bare = lib.reformatKey({ privateKey: await fresh(), userIDs: [], format: 'object' });
      if (v6) {
        const b = await bare;
        assert.deepEqual(b.privateKey.getUserIDs(), []);
      } else {
        await assert.rejects(bare, lib === sp ? code('INVALID_ARGUMENT') : /UserIDs are required for V4 keys/);
      }
      // A locked key: refused (OpenPGP.js: Error, sealpost: KEY_LOCKED).
      const lockedKey = lib === sp ? locked : oLocked;
      await assert.rejects(lib.reformatKey({ privateKey: lockedKey, userIDs: { email: 'x@example.org' } }), lib === sp ? code('KEY_LOCKED') : /Key is not decrypted/);
      // Options OpenPGP.js has and sealpost does not: a TypeError naming them.
      if (lib === sp) {
        await assert.rejects(sp.reformatKey({ privateKey, userIDs: { email: 'x@example.org' }, date: new Date() }), (e) => e instanceof TypeError && /'date'/.test(e.message));
        await assert.rejects(sp.reformatKey({ privateKey, userIDs: { email: 'x@example.org' }, config: { minRSABits: 1 } }), (e) => e instanceof TypeError && /minRSABits/.test(e.message));
        await assert.rejects(sp.reformatKey({ privateKey: await privateKey.toPublic(), userIDs: { email: 'x@example.org' } }), TypeError);
      }
    }
  });

  test(`${label}: addSubkey gives what OpenPGP.js's gives, and each uses the other's new subkeys`, async () => {
    const o = await openpgp.generateKey({ userIDs: [{ email: 'grow@example.org' }], format: 'object', config });
    const key = await sp.readPrivateKey({ armoredKey: o.privateKey.armor() });
    // Whole seconds: subkeys made in the key's second would tie with its own on "newest".
    await new Promise((r) => setTimeout(r, 1100));
    const theirs = await (await o.privateKey.addSubkey()).addSubkey({ sign: true });
    const ours = await (await key.addSubkey()).addSubkey({ sign: true });
    const [tEnc, tSig] = added(o.privateKey, theirs).map((fp) => theirs.getSubkeys().find((k) => k.getFingerprint() === fp));
    const newFps = added(key, ours);
    assert.equal(newFps.length, 2);
    const oursRead = await openpgp.readKey({ armoredKey: await (await ours.toPublic()).armor() });
    await oursRead.verifyPrimaryKey();
    // OpenPGP.js picks the new subkeys of sealpost's key for encryption and signing; their
    // algorithms are the ones OpenPGP.js's addSubkey chose on the same key.
    const enc = await oursRead.getEncryptionKey();
    const sig = await oursRead.getSigningKey();
    assert.ok(newFps.includes(enc.getFingerprint()) && newFps.includes(sig.getFingerprint()) && enc !== sig);
    assert.deepEqual(enc.getAlgorithmInfo(), tEnc.getAlgorithmInfo());
    assert.deepEqual(sig.getAlgorithmInfo(), tSig.getAlgorithmInfo());
    assert.deepEqual(ours.getSubkeys().find((k) => k.getFingerprint() === enc.getFingerprint()).getAlgorithmInfo(), tEnc.getAlgorithmInfo(), 'sealpost names it as OpenPGP.js does');
    assert.equal(enc.keyPacket.version, v6 ? 6 : 4);
    // OpenPGP.js encrypts to the new subkey, sealpost decrypts; sealpost signs with the new
    // signing subkey (the newest), OpenPGP.js verifies it (it checks the primary key binding).
    const c = await openpgp.encrypt({ message: await openpgp.createMessage({ text: 'to the new subkey' }), encryptionKeys: oursRead });
    assert.deepEqual((await openpgp.readMessage({ armoredMessage: c })).getEncryptionKeyIDs().map((k) => k.toHex()), [enc.getKeyID().toHex()]);
    assert.equal((await sp.decrypt({ message: await sp.readMessage({ armoredMessage: c }), decryptionKeys: ours })).data, 'to the new subkey');
    // OpenPGP.js signs with our key's newest signing subkey (ours: the binding and its primary key
    // binding signature are valid to it); both libraries verify the signature as that subkey's.
    const oursPrivate = await openpgp.readPrivateKey({ armoredKey: await ours.armor() });
    const s = await openpgp.sign({ message: await openpgp.createMessage({ text: 'by the new subkey' }), signingKeys: oursPrivate });
    const v = await openpgp.verify({ message: await openpgp.readMessage({ armoredMessage: s }), verificationKeys: oursRead, expectSigned: true });
    assert.equal(v.signatures[0].keyID.toHex(), sig.getKeyID().toHex());
    const vs = await sp.verify({ message: await sp.readMessage({ armoredMessage: s }), verificationKeys: await ours.toPublic(), expectSigned: true });
    assert.equal(vs.signatures[0].signingKeyFingerprint, sig.getFingerprint());
    // sealpost signs with the same subkey OpenPGP.js picked: the newest signing one.
    const mine = await sp.sign({ message: await sp.createMessage({ text: 'ours, by the newest' }), signingKeys: ours });
    const vm = await openpgp.verify({ message: await openpgp.readMessage({ armoredMessage: mine }), verificationKeys: oursRead, expectSigned: true });
    assert.equal(vm.signatures[0].keyID.toHex(), sig.getKeyID().toHex(), 'sealpost signs with the newest signing subkey');
    assert.equal(await vm.signatures[0].verified, true);
    // The other way: OpenPGP.js's new subkeys in sealpost.
    const theirsHere = await sp.readPrivateKey({ armoredKey: theirs.armor() });
    assert.equal((await theirsHere.getEncryptionKey()).getFingerprint(), tEnc.getFingerprint());
    assert.equal((await theirsHere.getSigningKey()).getFingerprint(), tSig.getFingerprint());
    const c2 = await sp.encrypt({ message: await sp.createMessage({ text: 'to theirs' }), encryptionKeys: await theirsHere.toPublic() });
    assert.equal((await openpgp.decrypt({ message: await openpgp.readMessage({ armoredMessage: c2 }), decryptionKeys: theirs })).data, 'to theirs');
    // Options: an explicit type and an expiry.
    const rsa = await key.addSubkey({ type: 'rsa', rsaBits: 3072, keyExpirationTime: 86400 });
    const r = rsa.getSubkeys().find((k) => !key.getSubkeys().some((b) => b.getFingerprint() === k.getFingerprint()));
    assert.deepEqual(r.getAlgorithmInfo(), { algorithm: 'rsaEncryptSign', bits: 3072 });
    assert.equal(r.getExpirationTime().getTime(), r.getCreationTime().getTime() + 86400 * 1000);
  });

  test(`${label}: addSubkey refusals, as OpenPGP.js refuses them`, async () => {
    const o = await openpgp.generateKey({ userIDs: [{ email: 'r@example.org' }], format: 'object', config, passphrase: 'pw' });
    const locked = await sp.readPrivateKey({ armoredKey: o.privateKey.armor() });
    await assert.rejects(o.privateKey.addSubkey(), /Key is not decrypted/);
    await assert.rejects(locked.addSubkey(), code('KEY_LOCKED'));
    const oOpen = await openpgp.decryptKey({ privateKey: o.privateKey, passphrase: 'pw' });
    const open = await sp.decryptKey({ privateKey: locked, passphrase: 'pw' });
    // A passphrase for the subkey alone: OpenPGP.js throws, sealpost too (an option it does not take).
    await assert.rejects(oOpen.addSubkey({ passphrase: 'x' }), /encrypt whole key/);
    await assert.rejects(open.addSubkey({ passphrase: 'x' }), (e) => e instanceof TypeError && /'passphrase'/.test(e.message));
    // Small RSA: both refuse.
    await assert.rejects(oOpen.addSubkey({ type: 'rsa', rsaBits: 1024 }), /rsaBits should be at least/);
    await assert.rejects(open.addSubkey({ type: 'rsa', rsaBits: 1024 }), RangeError);
    // A public key has no addSubkey in OpenPGP.js (a TypeError calling it): sealpost's TypeError.
    await assert.rejects(async () => (await oOpen.toPublic()).addSubkey(), TypeError);
    await assert.rejects((await open.toPublic()).addSubkey(), TypeError);
    await assert.rejects(open.addSubkey({ date: new Date() }), (e) => e instanceof TypeError && /'date'/.test(e.message));
    // The whole key locked again afterwards, with the key's passphrase, as OpenPGP.js does it.
    const grown = await open.addSubkey();
    const relocked = await sp.encryptKey({ privateKey: grown, passphrase: 'pw' });
    const back = await openpgp.readPrivateKey({ armoredKey: await relocked.armor() });
    assert.equal(back.isDecrypted(), false);
    assert.equal((await openpgp.decryptKey({ privateKey: back, passphrase: 'pw' })).getSubkeys().length, 2, "OpenPGP.js's one subkey and ours");
  });
}

test('a subkey added by sealpost: GnuPG imports the key and encrypts to the new subkey', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'sp-gpg-'));
  chmodSync(home, 0o700);
  t.after(() => {
    try {
      execFileSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home } });
    } catch {}
    rmSync(home, { recursive: true, force: true });
  });
  const gpg = (args, input) => execFileSync('gpg', ['--batch', '--yes', '--no-tty', '--trust-model', 'always', ...args], { env: { ...process.env, GNUPGHOME: home }, input, stdio: ['pipe', 'pipe', 'pipe'] });
  const { privateKey } = await sp.generateKey({ userIDs: 'Grow <grow@example.org>', format: 'object' });
  await new Promise((r) => setTimeout(r, 1100));
  const grown = await privateKey.addSubkey();
  const [fp] = added(privateKey, grown);
  gpg(['--import'], await (await grown.toPublic()).armor());
  // By the subkey's fingerprint ("!": that subkey exactly), and by the key: gpg picks the newest, ours.
  for (const r of [`${fp}!`, grown.getFingerprint()]) {
    const c = gpg(['--encrypt', '--armor', '-r', r], 'from gpg').toString();
    const ids = (await (await sp.readMessage({ armoredMessage: c })).getEncryptionKeyIDs()).map((k) => k.toHex());
    assert.deepEqual(ids, [fp.slice(-16)], r);
    assert.equal((await sp.decrypt({ message: await sp.readMessage({ armoredMessage: c }), decryptionKeys: grown })).data, 'from gpg');
  }
});
