// generateKey and reformatKey in one call to the crypto instance (issue 24): what the engine
// answers (Node, direct mode; the browser suite counts the worker's messages), and what it refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sp from '../src/node.js';
import { current } from '../src/backend.js';

const options = { userIDs: ['One <one@example.org>'], type: 'curve25519', keyExpirationTime: 0, aead: false };

test('the engine answers generateKey with both keys and their infos; the public info is toPublic()\'s', async () => {
  for (const version of [undefined, 6]) {
    const be = current();
    const r = await be.run('generateKey', [{ ...options, ...(version && { version }) }]);
    assert.equal(typeof r.key.handle, 'string');
    assert.equal(typeof r.publicKey.handle, 'string');
    assert.notEqual(r.key.handle, r.publicKey.handle);
    assert.equal(r.key.info.isSecret, true);
    const again = await be.run('publicKey', [r.key.handle]);
    assert.deepEqual(r.publicKey.info, again.info);
    await be.run('release', [[r.key.handle, r.publicKey.handle, again.handle]]);
  }
  const { privateKey, publicKey } = await sp.generateKey({ userIDs: 'Two <two@example.org>', format: 'object' });
  const re = await sp.reformatKey({ privateKey, userIDs: 'Re <re@example.org>', format: 'object' });
  assert.deepEqual(re.publicKey.info, (await re.privateKey.toPublic()).info);
  assert.equal(publicKey.getFingerprint(), re.publicKey.getFingerprint());
});

test('armored and binary output: both keys exported in the same call, the handles dropped', async () => {
  const be = current();
  const armored = await be.run('generateKey', [{ ...options, passphrase: 'pw' }, { format: 'armored' }]);
  assert.match(armored.privateKey, /^-----BEGIN PGP PRIVATE KEY BLOCK-----/);
  assert.match(armored.publicKey, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
  assert.equal(armored.key, undefined);
  const binary = await sp.generateKey({ userIDs: 'Bin <bin@example.org>', passphrase: 'pw', format: 'binary' });
  assert.ok(binary.privateKey instanceof Uint8Array && binary.publicKey instanceof Uint8Array);
  const read = await sp.readPrivateKey({ binaryKey: binary.privateKey });
  assert.equal(read.isDecrypted(), false);
});

test('a format the engine does not know is INVALID_ARGUMENT', async () => {
  const be = current();
  for (const format of ['pem', 1, null]) {
    await assert.rejects(be.run('generateKey', [options, { format }]), (e) => e.code === 'INVALID_ARGUMENT');
  }
  const { privateKey } = await sp.generateKey({ userIDs: 'Three <three@example.org>', format: 'object' });
  // The public call checks it first.
  await assert.rejects(sp.reformatKey({ privateKey, userIDs: 'X <x@example.org>', format: 'pem' }), RangeError);
});
