// The full module on demand in worker mode (issue 23 step 4), driven by
// test/browser-on-demand.test.mjs on a copy of the shim staged with the default module first
// (tests/node/on-demand-stage.mjs).  Node counts the requests between phases; each phase returns
// what it saw, and a failed check throws.
import * as sp from '../../src/browser.js';

function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

async function rejects(promise, code, msg) {
  try {
    await promise;
  } catch (e) {
    assert(e.code === code, `${msg}: ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`expected ${code}: ${msg}`);
}

const SECRET = 'on-demand browser test, 9a3d';
let open;
let guarded;
let unlocked;
let lockedBefore;
let roundTrip;

async function decryptWith(armoredKey, armoredMessage) {
  const decryptionKeys = await sp.readPrivateKey({ armoredKey });
  const { data } = await sp.decrypt({ message: await sp.readMessage({ armoredMessage }), decryptionKeys });
  return data;
}

async function signs(key, publicKey) {
  const signed = await sp.sign({ message: await sp.createMessage({ text: 'signed' }), signingKeys: key });
  const v = await sp.verify({ message: await sp.readMessage({ armoredMessage: signed }), verificationKeys: publicKey, expectSigned: true });
  return v.signatures[0].verified;
}

/** Keys made on the default module, and a call that needs nothing extra. */
window.__phase1 = async ({ fullWasmUrl } = {}) => {
  await sp.configure(fullWasmUrl ? { fullWasmUrl } : {});
  assert(sp.getMode() === 'worker', 'worker mode');
  ({ privateKey: open } = await sp.generateKey({ userIDs: 'Open <open@example.org>', format: 'object' }));
  ({ privateKey: guarded } = await sp.generateKey({ userIDs: 'Guarded <g@example.org>', passphrase: 'pw one', format: 'object' }));
  unlocked = await sp.decryptKey({ privateKey: guarded, passphrase: 'pw one' });
  lockedBefore = await guarded.armor();
  await rejects(open.armor(), 'EXPORT_REFUSED', 'before the switch');
  roundTrip = await sp.encrypt({ message: await sp.createMessage({ text: SECRET }), encryptionKeys: await open.toPublic(), signingKeys: unlocked });
  const back = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: roundTrip }), decryptionKeys: open, verificationKeys: await guarded.toPublic(), expectSigned: true });
  assert(back.data === SECRET, 'Curve25519 round trip');
  return { ok: true };
};

/** P-256 (gpg) and Curve448, with a sign started meanwhile; then the keys made before. */
window.__phase2 = async ({ p256Key, p256Message, c448Key, c448Message }) => {
  const openPublic = await open.toPublic();
  const [p256Text, during, c448Text] = await Promise.all([
    decryptWith(p256Key, p256Message),
    signs(open, openPublic),
    decryptWith(c448Key, c448Message),
  ]);
  assert(p256Text === SECRET, 'P-256 plaintext');
  assert(c448Text === SECRET, 'Curve448 plaintext');
  assert(await during, 'the signature made during the switch verifies');
  assert(await signs(open, openPublic), 'the unprotected key signs after the switch');
  assert(await signs(unlocked, await guarded.toPublic()), 'the unlocked protected key signs after the switch');
  const again = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: roundTrip }), decryptionKeys: open });
  assert(again.data === SECRET, 'a message to a key made before decrypts after');
  await rejects(open.armor(), 'EXPORT_REFUSED', 'after the switch');
  assert(await guarded.armor() === lockedBefore, 'the protected key exports its locked form');
  assert(await unlocked.armor() === lockedBefore, 'its unlocked handle exports the locked form');
  await rejects(sp.decryptKey({ privateKey: unlocked, passphrase: 'not it' }), 'BAD_PASSPHRASE', 'the locked form still decides');
  const { privateKey: c448 } = await sp.generateKey({ userIDs: 'c <c@example.org>', type: 'curve448', format: 'object' });
  assert(c448.getFingerprint(), 'a Curve448 key after the switch');
  return { lockedBefore };
};

/** A tampered full module: INTEGRITY_FAILED, and the default instance keeps working. */
window.__tampered = async ({ c448Key, c448Message }) => {
  await rejects(decryptWith(c448Key, c448Message), 'INTEGRITY_FAILED', 'a tampered full module');
  assert(await signs(open, await open.toPublic()), 'the key made before still signs');
  await rejects(open.armor(), 'EXPORT_REFUSED', 'the export rule on the default instance');
  const e = await rejects(sp.generateKey({ userIDs: 'c <c@example.org>', type: 'curve448' }), 'INTEGRITY_FAILED', 'asked again');
  return { message: e.message };
};
