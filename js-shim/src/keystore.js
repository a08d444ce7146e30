// A key store in IndexedDB for the keys a page keeps between visits: passphrase-locked private
// keys and public keys, by fingerprint, handed back as Key objects.  An unlocked private key is
// refused (EXPORT_REFUSED): what rests in the browser's storage opens only with its passphrase.
//
// One database per store (the name the caller gives), one object store 'keys' whose records are
// { fingerprint, private, armored, userIDs, stored }: armored text, readable by any OpenPGP tool.
// Browsers have IndexedDB; Node has none: pass { indexedDB } (any IDBFactory) or get NOT_SUPPORTED.
import { SealpostError } from './errors.js';
import { Key, readKey, readPrivateKey } from './keys.js';

const STORE = 'keys';
const FINGERPRINT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The request's result once it succeeds. */
function settled(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Runs `fn(objectStore)` in one transaction; resolves with fn's result once the transaction completed. */
function inTransaction(db, mode, fn) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    let result;
    Promise.resolve(fn(tx.objectStore(STORE))).then((r) => {
      result = r;
    }, (e) => {
      try {
        tx.abort();
      } catch {
        // already finished
      }
      reject(e);
    });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new SealpostError('INVALID_ARGUMENT', 'the key store transaction was aborted'));
  });
}

function checkFingerprint(fingerprint) {
  if (typeof fingerprint !== 'string') throw new TypeError('fingerprint must be a string of hex digits');
  const f = fingerprint.replace(/\s+/g, '').toLowerCase();
  if (!FINGERPRINT.test(f)) throw new TypeError('fingerprint must be 40 (v4) or 64 (v6) hex digits');
  return f;
}

/** Whether any secret key material of the key (primary or subkey) is unlocked. */
function holdsOpenSecret(key) {
  return key.isPrivate() && key.info.keys.some((k) => k.hasSecret && !k.secretLocked);
}

const refused = () => new SealpostError(
  'EXPORT_REFUSED',
  'the key store keeps passphrase-locked private keys and public keys only: lock the key first (encryptKey), or store its public key (toPublic)',
);

/** A stored record read back as a Key: it must be the key the record names, and not unlocked. */
async function toKey(record) {
  if (!record || typeof record.armored !== 'string') throw new SealpostError('MALFORMED_INPUT', 'a key store record without a key');
  const key = record.private ? await readPrivateKey({ armoredKey: record.armored }) : await readKey({ armoredKey: record.armored });
  if (key.getFingerprint() !== record.fingerprint || key.isPrivate() !== Boolean(record.private)) {
    key.dispose();
    throw new SealpostError('MALFORMED_INPUT', `the key store record ${record.fingerprint} holds another key`);
  }
  // Written by something other than put() (a script of the same origin, an older version):
  // an unlocked key is not handed out.
  if (holdsOpenSecret(key)) {
    key.dispose();
    throw refused();
  }
  return key;
}

/**
 * The key store of an IndexedDB database named `name` (created on first use).  `options`:
 * `indexedDB`, the IDBFactory to use (default: the global one; Node has none).
 */
export async function openKeyStore(name, options = {}) {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('name must be a non-empty string (the IndexedDB database name)');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  for (const k of Object.keys(options)) {
    if (k !== 'indexedDB') throw new TypeError(`openKeyStore: unknown option ${JSON.stringify(k)} (known: indexedDB)`);
  }
  const factory = options.indexedDB ?? globalThis.indexedDB;
  if (!factory || typeof factory.open !== 'function') {
    throw new SealpostError('NOT_SUPPORTED', 'openKeyStore needs IndexedDB: browsers have it; in Node pass { indexedDB } (an IDBFactory)');
  }
  // Opened at whatever version it has (a new database: created, with the store).
  let db = await openWithStore(factory, name);
  if (!db.objectStoreNames.contains(STORE)) {
    // An empty database of that name (opened by someone else first): made a key store.  One
    // holding anything else is not ours to change.
    const empty = db.objectStoreNames.length === 0;
    const version = db.version;
    db.close();
    if (!empty) throw new SealpostError('INVALID_ARGUMENT', `the IndexedDB database ${JSON.stringify(name)} is not a key store`);
    db = await openWithStore(factory, name, version + 1);
  }
  return new KeyStore(db);
}

/** Opens the database (at `version` if given), creating the 'keys' store on an upgrade. */
function openWithStore(factory, name, version) {
  const request = version === undefined ? factory.open(name) : factory.open(name, version);
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: 'fingerprint' });
  };
  return settled(request);
}

/** Keys by fingerprint in one IndexedDB database.  Every call is one transaction. */
export class KeyStore {
  #db;

  /** @internal */
  constructor(db) {
    this.#db = db;
    // Another page upgrading the database (or deleting it) is not kept waiting by this one.
    db.onversionchange = () => db.close();
  }

  /**
   * Stores a locked private key or a public key under its fingerprint (replacing what was
   * stored there, but a public key never replaces a stored private key); resolves with the
   * fingerprint.  An unlocked private key: EXPORT_REFUSED, nothing stored.
   */
  async put(key) {
    if (!(key instanceof Key)) throw new TypeError('put takes a Key (from readKey, readPrivateKey, generateKey, …)');
    if (holdsOpenSecret(key)) throw refused();
    const armored = await key.armor();
    // What is written is checked, not the handle: the stored text must itself be locked.
    const check = await toKey({ fingerprint: key.getFingerprint(), private: key.isPrivate(), armored });
    check.dispose();
    const record = { fingerprint: key.getFingerprint(), private: key.isPrivate(), armored, userIDs: key.getUserIDs(), stored: Date.now() };
    await inTransaction(this.#db, 'readwrite', async (s) => {
      const old = await settled(s.get(record.fingerprint));
      if (old && old.private && !record.private) {
        throw new SealpostError('INVALID_ARGUMENT', `a private key is stored as ${record.fingerprint}: delete it first to keep only its public key`);
      }
      await settled(s.put(record));
    });
    return record.fingerprint;
  }

  /** The key stored under `fingerprint` (hex, either case), or null. */
  async get(fingerprint) {
    const f = checkFingerprint(fingerprint);
    const record = await inTransaction(this.#db, 'readonly', (s) => settled(s.get(f)));
    return record === undefined ? null : toKey(record);
  }

  /** Every stored key, in fingerprint order. */
  async list() {
    const records = await inTransaction(this.#db, 'readonly', (s) => settled(s.getAll()));
    const keys = [];
    for (const r of records) keys.push(await toKey(r));
    return keys;
  }

  /** Deletes the key stored under `fingerprint`; resolves with whether there was one. */
  async delete(fingerprint) {
    const f = checkFingerprint(fingerprint);
    return inTransaction(this.#db, 'readwrite', async (s) => {
      const had = (await settled(s.count(f))) > 0;
      await settled(s.delete(f));
      return had;
    });
  }

  /** Closes the database connection (later calls fail). */
  close() {
    this.#db.close();
  }
}
