// The key store (src/keystore.js) in a page, in worker mode and in direct mode: driven by
// test/browser.test.mjs, which calls window.__phase1, reloads the page, then calls
// window.__phase2.  Each returns what it saw; a failed check throws.
import * as sp from '../../src/browser.js';

const DB = 'sealpost-keystore-test';
const TAMPERED_DB = 'sealpost-keystore-tampered';
const EMPTY_DB = 'sealpost-keystore-empty';
const OTHER_DB = 'sealpost-keystore-other';
const PASS = 'victim passphrase';

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

const request = (r) => new Promise((resolve, reject) => {
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});

/** The raw records of a key store database, read with IndexedDB itself. */
async function rawRecords(name) {
  const db = await request(indexedDB.open(name));
  try {
    return await request(db.transaction('keys').objectStore('keys').getAll());
  } finally {
    db.close();
  }
}

/** Encrypts to `publicKey` and decrypts with `privateKey`: the key works. */
async function roundTrip(publicKey, privateKey) {
  const ct = await sp.encrypt({ message: await sp.createMessage({ text: 'stored key works' }), encryptionKeys: publicKey });
  const { data } = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: ct }), decryptionKeys: privateKey });
  assert(data === 'stored key works', data);
}

window.__phase1 = async (unlockedArmored) => {
  assert(sp.getMode() === 'worker', sp.getMode());
  for (const name of [DB, TAMPERED_DB, EMPTY_DB, OTHER_DB]) await request(indexedDB.deleteDatabase(name));
  // A database of that name that is empty (opened first by someone else) becomes a key store;
  // one holding other stores is refused, untouched.
  (await request(indexedDB.open(EMPTY_DB))).close();
  const other = indexedDB.open(OTHER_DB);
  other.onupgradeneeded = () => other.result.createObjectStore('kv');
  (await request(other)).close();
  const fromEmpty = await sp.openKeyStore(EMPTY_DB);
  assert((await fromEmpty.list()).length === 0, 'an empty database made a key store');
  fromEmpty.close();
  await rejects(sp.openKeyStore(OTHER_DB), 'INVALID_ARGUMENT', 'a database of another kind');
  await sp.openKeyStore(DB, { cache: true }).then(() => assert(false, 'unknown option'), (e) => assert(e instanceof TypeError && /cache/.test(e.message), e.message));
  const store = await sp.openKeyStore(DB);
  const { privateKey: locked } = await sp.generateKey({ userIDs: 'Victim <victim@example.org>', passphrase: PASS, format: 'object' });
  assert(locked.isPrivate() && locked.isDecrypted() === false, 'generated locked');
  const { publicKey: friend } = await sp.generateKey({ userIDs: 'Friend <friend@example.org>', format: 'object', config: { v6Keys: true } });
  assert((await store.put(locked)) === locked.getFingerprint(), 'put returns the fingerprint');
  assert((await store.put(friend)) === friend.getFingerprint(), 'a v6 public key');
  // Refused: an unlocked private key, whether unlocked from the stored one, generated without
  // a passphrase, or read unlocked; nothing is written.
  const unlocked = await sp.decryptKey({ privateKey: locked, passphrase: PASS });
  await rejects(store.put(unlocked), 'EXPORT_REFUSED', 'unlocked from a locked key');
  const { privateKey: bare } = await sp.generateKey({ userIDs: 'Bare <bare@example.org>', format: 'object' });
  await rejects(store.put(bare), 'EXPORT_REFUSED', 'generated without a passphrase');
  const readUnlocked = await sp.readPrivateKey({ armoredKey: unlockedArmored });
  await rejects(store.put(readUnlocked), 'EXPORT_REFUSED', 'read unlocked');
  // A public key does not replace a stored private key.
  await rejects(store.put(await locked.toPublic()), 'INVALID_ARGUMENT', 'public over private');
  // get: a Key, locked, in either case of the fingerprint; unknown: null.
  const got = await store.get(locked.getFingerprint().toUpperCase());
  assert(got.isPrivate() && got.isDecrypted() === false && got.getFingerprint() === locked.getFingerprint(), 'get a locked private key');
  await rejects(sp.decryptKey({ privateKey: got, passphrase: 'attacker passphrase' }), 'BAD_PASSPHRASE', 'the stored key opens only with its passphrase');
  await roundTrip(await got.toPublic(), await sp.decryptKey({ privateKey: got, passphrase: PASS }));
  assert((await store.get('00'.repeat(20))) === null, 'unknown: null');
  await store.get('xyz').then(() => assert(false, 'bad fingerprint'), (e) => assert(e instanceof TypeError, e.message));
  // list, in fingerprint order.
  const expected = [locked.getFingerprint(), friend.getFingerprint()].sort();
  const listed = await store.list();
  assert(listed.map((k) => k.getFingerprint()).join() === expected.join(), `list ${listed.map((k) => k.getFingerprint())}`);
  assert(listed.find((k) => k.isPrivate()).getUserIDs()[0] === 'Victim <victim@example.org>', 'user ID');
  // delete: true once, then false, and gone.
  const { publicKey: passing } = await sp.generateKey({ userIDs: 'Passing <p@example.org>', format: 'object' });
  await store.put(passing);
  assert((await store.list()).length === 3, 'three stored');
  assert((await store.delete(passing.getFingerprint())) === true, 'deleted');
  assert((await store.delete(passing.getFingerprint())) === false, 'deleted twice');
  assert((await store.get(passing.getFingerprint())) === null, 'gone');
  store.close();

  // Direct mode: the same refusal, and the stored keys read back in this mode.
  await sp.configure({ mode: 'direct' });
  const direct = await sp.openKeyStore(DB);
  const { privateKey: directBare } = await sp.generateKey({ userIDs: 'Direct <d@example.org>', format: 'object' });
  await rejects(direct.put(directBare), 'EXPORT_REFUSED', 'direct mode: unlocked');
  await rejects(direct.put(await sp.readPrivateKey({ armoredKey: unlockedArmored })), 'EXPORT_REFUSED', 'direct mode: read unlocked');
  const directGot = await direct.get(locked.getFingerprint());
  await roundTrip(await directGot.toPublic(), await sp.decryptKey({ privateKey: directGot, passphrase: PASS }));
  direct.close();
  await sp.configure({});
  assert(sp.getMode() === 'worker', 'back to worker mode');

  // A record written around put() (a script of the same origin) with an unlocked key: get and
  // list refuse to hand it out.
  const tampered = await sp.openKeyStore(TAMPERED_DB);
  tampered.close();
  const plain = await sp.readPrivateKey({ armoredKey: unlockedArmored });
  const db = await request(indexedDB.open(TAMPERED_DB));
  const tx = db.transaction('keys', 'readwrite');
  tx.objectStore('keys').put({ fingerprint: plain.getFingerprint(), private: true, armored: unlockedArmored });
  await new Promise((resolve) => { tx.oncomplete = resolve; });
  db.close();
  const reopened = await sp.openKeyStore(TAMPERED_DB);
  await rejects(reopened.get(plain.getFingerprint()), 'EXPORT_REFUSED', 'an unlocked record is not handed out');
  await rejects(reopened.list(), 'EXPORT_REFUSED', 'nor listed');
  reopened.close();

  sessionStorage.setItem('keystore-expected', JSON.stringify(expected));
  return { expected, records: await rawRecords(DB) };
};

window.__phase2 = async () => {
  assert(sp.getMode() === 'worker', sp.getMode());
  const expected = JSON.parse(sessionStorage.getItem('keystore-expected'));
  const store = await sp.openKeyStore(DB);
  const listed = await store.list();
  assert(listed.map((k) => k.getFingerprint()).join() === expected.join(), `after the reload: ${listed.map((k) => k.getFingerprint())}`);
  const priv = listed.find((k) => k.isPrivate());
  const pub = listed.find((k) => !k.isPrivate());
  assert(priv.isDecrypted() === false, 'still locked');
  assert(pub.getFingerprint().length === 64, 'the v6 public key');
  await roundTrip(await priv.toPublic(), await sp.decryptKey({ privateKey: priv, passphrase: PASS }));
  store.close();
  return { listed: listed.map((k) => k.getFingerprint()) };
};

window.__ready = true;
