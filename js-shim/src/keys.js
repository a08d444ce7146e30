// Keys: the Key and KeyID classes (a Key is a handle; the secret material stays where the wasm
// runs) and the calls that make, read, lock, unlock and revoke keys.
import { SealpostError } from './errors.js';
import { current } from './backend.js';
import { OPTIONS, CONFIG } from './options.js';
import { checkConfig, checkFormat, checkOptions, checkString, optionalStrings, readInput } from './args.js';
import { checkSignal, runCall } from './abort.js';

// The trust path reads a Key's private fields through these two functions,
// set in the class's static block: `#handle in k` is a brand check that no
// object made with Object.create(Key.prototype) or a Proxy passes, and no
// method a caller can override is ever asked (a Key has no _handle()).
let handleOf;
let isPrivateKey;

/** The handles of a Key or a list of Keys (undefined: none); a TypeError for anything else. */
export function keyList(name, v, { privateOnly = false } = {}) {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? [...v] : [v];
  const handles = list.map((k, i) => {
    if (!isPrivateKey(k, `${name}[${i}]`) && privateOnly) throw new TypeError(`${name}[${i}] must be a private key`);
    return k;
  });
  return handles.map((k) => handleOf(k));
}

// Key objects a pending call uses: kept reachable until the call settles, so
// that the FinalizationRegistry below never releases a handle (a message the
// worker would process first) that a call is about to use, e.g. between the
// tries of decryptKey or while a stream starts.
const inUse = new Set();

/** Keeps `keys` (Keys, lists of them, anything) reachable until `promise` settles; returns `promise`. */
export function holding(keys, promise) {
  const token = { keys };
  inUse.add(token);
  const done = () => inUse.delete(token);
  promise.then(done, done);
  return promise;
}

// A Key collected by the garbage collector releases its copy in the crypto instance.
const released = new FinalizationRegistry(({ backend, handle, generation }) => {
  if (backend.generation === generation) backend.call('release', [handle]).catch(() => {});
});

/** An OpenPGP key or certificate.  The secret material stays where the wasm runs. */
export class Key {
  #handle;
  #info;
  #backend;
  #generation;

  static {
    handleOf = (k) => {
      if (k.#handle === null || k.#generation !== k.#backend.generation || k.#backend !== current()) {
        throw new SealpostError('KEY_DISPOSED', 'this key was disposed, or belongs to a crypto instance that was reset or terminated');
      }
      return k.#handle;
    };
    isPrivateKey = (k, name) => {
      if (typeof k !== 'object' || k === null || !(#handle in k)) {
        throw new TypeError(`${name} must be a Key (from readKey, readPrivateKey or generateKey)`);
      }
      return k.#info.isSecret === true;
    };
  }

  /** @internal */
  constructor(token, be, ref) {
    if (token !== KEY_TOKEN) throw new TypeError('use readKey, readPrivateKey or generateKey to make a Key');
    this.#backend = be;
    this.#handle = ref.handle;
    this.#info = Object.freeze(lowerCaseIds(ref.info));
    this.#generation = be.generation;
    released.register(this, { backend: be, handle: ref.handle, generation: be.generation }, this);
  }

  /** Everything known about the key (user IDs, subkeys, flags, validity...). */
  get info() {
    return this.#info;
  }

  getFingerprint() {
    return this.#info.fingerprint;
  }

  getKeyID() {
    return new KeyID(this.#info.keyId);
  }

  /** OpenPGP.js's { algorithm, curve? | bits? } of the primary key (see algorithmInfo). */
  getAlgorithmInfo() {
    return algorithmInfo(this.#info.keys[0]);
  }

  /** The subkeys (all, or those with `keyID`), as Subkey objects read from `info`. */
  getSubkeys(keyID = null) {
    const wanted = keyIdFilter(keyID);
    return this.#info.keys.slice(1).filter((k) => wanted(k.keyId)).map((k) => new Subkey(this, k));
  }

  /** The primary key (this Key) and the subkeys, all or those with `keyID`. */
  getKeys(keyID = null) {
    const wanted = keyIdFilter(keyID);
    return [...(wanted(this.#info.keyId) ? [this] : []), ...this.getSubkeys(keyID)];
  }

  /** The key IDs of the primary key and every subkey. */
  getKeyIDs() {
    return this.#info.keys.map((k) => new KeyID(k.keyId));
  }

  /**
   * Resolves if the primary key is usable now (not revoked, not expired, a valid
   * self-signature under sequoia's StandardPolicy); rejects with NO_USABLE_KEY otherwise.
   * Only the current time: a `date` argument is a TypeError.
   */
  async verifyPrimaryKey(date, userID, config) {
    nowOnly('verifyPrimaryKey', date, config);
    if (userID !== undefined) checkUserIdFilter('verifyPrimaryKey', userID);
    primaryUsable(this.#info);
  }

  /**
   * The primary user as OpenPGP.js gives it: { index, user: { userID: { userID, name, email,
   * comment } }, selfCertification: null } (sealpost exposes no signature packets).  Among the
   * valid, unrevoked user IDs (matching `userID`'s name/email/comment when given), the one
   * flagged primary, else the first; none: NO_USABLE_KEY.
   */
  async getPrimaryUser(date, userID, config) {
    nowOnly('getPrimaryUser', date, config);
    const filter = userID === undefined ? {} : checkUserIdFilter('getPrimaryUser', userID);
    const users = this.#info.userIds
      .map((u, index) => ({ index, u, parsed: parseUserId(u.userId) }))
      .filter(({ u, parsed }) => u.valid && !u.revoked && ['name', 'email', 'comment'].every((f) => filter[f] === undefined || filter[f] === parsed[f]));
    const chosen = users.find(({ u }) => u.primary) ?? users[0];
    if (!chosen) throw new SealpostError('NO_USABLE_KEY', 'Could not find a valid, unrevoked user ID (matching the filter) in the key');
    return { index: chosen.index, user: { userID: { userID: chosen.u.userId, ...chosen.parsed } }, selfCertification: null };
  }

  /**
   * The key to encrypt to, as OpenPGP.js picks it: the most recently created valid subkey
   * flagged for encryption (or the one with `keyID`), else the primary key if it is; after
   * verifyPrimaryKey.  A Subkey, or this Key; none: NO_USABLE_KEY.
   */
  async getEncryptionKey(keyID = null, date, userID, config) {
    nowOnly('getEncryptionKey', date, config);
    if (userID !== undefined) checkUserIdFilter('getEncryptionKey', userID);
    return usableKey(this, this.#info, keyID, (f) => f.encryptCommunications || f.encryptStorage, 'encryption');
  }

  /** As getEncryptionKey, for a key flagged for signing. */
  async getSigningKey(keyID = null, date, userID, config) {
    nowOnly('getSigningKey', date, config);
    if (userID !== undefined) checkUserIdFilter('getSigningKey', userID);
    return usableKey(this, this.#info, keyID, (f) => f.sign, 'signing');
  }

  getUserIDs() {
    return this.#info.userIds.map((u) => u.userId);
  }

  getCreationTime() {
    return new Date(this.#info.created * 1000);
  }

  /** The expiry as a Date, or Infinity if the key does not expire. */
  getExpirationTime() {
    return this.#info.expires == null ? Infinity : new Date(this.#info.expires * 1000);
  }

  isPrivate() {
    return this.#info.isSecret;
  }

  /** For private keys: whether all secret material is unlocked. */
  isDecrypted() {
    return this.#info.isSecret ? !this.#info.isLocked : null;
  }

  isRevoked() {
    return this.#info.revocation === 'revoked';
  }

  /**
   * Armored text: for private keys, the private key in the form its owner
   * protected it (see the export rule in the README), else the certificate.
   */
  async armor() {
    return holding(this, this.#backend.call('exportKey', handleOf(this), { secret: this.#info.isSecret, armor: true }));
  }

  /** Binary serialization, like armor(). */
  async write() {
    return holding(this, this.#backend.call('exportKey', handleOf(this), { secret: this.#info.isSecret, armor: false }));
  }

  /** The public certificate as a new Key. */
  async toPublic() {
    return wrap(this.#backend, await holding(this, this.#backend.call('publicKey', handleOf(this))));
  }

  /**
   * This key updated with `sourceKey` (the same primary key), as OpenPGP.js's update(): a new
   * Key with the source's self-signatures, revocations, user IDs and subkeys merged in, each
   * checked (sequoia merges only what verifies).  Secret material is never merged: a public key
   * updated with its private key gives that private key updated with this one's public parts
   * (their subkeys must be the same, as in OpenPGP.js).  Current time only.
   */
  async update(sourceKey, date, config) {
    nowOnly('update', date, config);
    if (Array.isArray(sourceKey)) throw new TypeError('sourceKey must be a Key');
    const [source] = keyList('sourceKey', sourceKey);
    const other = sourceKey.info;
    if (other.fingerprint !== this.#info.fingerprint) throw new SealpostError('INVALID_ARGUMENT', 'Primary key fingerprints must be equal to update the key');
    let into = handleOf(this);
    let from = source;
    if (!this.#info.isSecret && other.isSecret) {
      const subs = (i) => i.keys.slice(1).map((k) => k.fingerprint).sort().join();
      if (subs(this.#info) !== subs(other)) throw new SealpostError('INVALID_ARGUMENT', 'Cannot update public key with private key if subkeys mismatch');
      [into, from] = [from, into];
    }
    return wrap(this.#backend, await holding([this, sourceKey], this.#backend.call('mergeKey', into, from)));
  }

  /**
   * This key with its valid user IDs certified by each of `privateKeys` (unlocked), as
   * OpenPGP.js's signAllUsers: a new Key.  Current time only.
   */
  async signAllUsers(privateKeys, date, config) {
    nowOnly('signAllUsers', date, config);
    const signers = keyList('privateKeys', privateKeys, { privateOnly: true });
    if (signers.length === 0) throw new TypeError('privateKeys is required');
    return wrap(this.#backend, await holding([this, privateKeys], this.#backend.call('certifyUserIds', handleOf(this), signers)));
  }

  /**
   * A new Key with `userID` (a string or { name, email, comment }) added, bound by this key's
   * primary key (it must be unlocked), with the primary user ID's preferences, not primary.
   * A sealpost addition (OpenPGP.js: reformatKey).
   */
  async addUserID(userID) {
    const uid = userIdString(userID, 0, 'addUserID');
    return wrap(this.#backend, await holding(this, this.#backend.call('addUserId', handleOf(this), uid)));
  }

  /**
   * A new Key that expires `keyExpirationTime` seconds after its creation (0: never), as
   * generateKey's option; signed by this key's primary key (it must be unlocked).  A sealpost
   * addition (OpenPGP.js: reformatKey).
   */
  async setExpirationTime(keyExpirationTime) {
    if (!(Number.isInteger(keyExpirationTime) && keyExpirationTime >= 0)) throw new RangeError('keyExpirationTime must be a whole number of seconds ≥ 0');
    return wrap(this.#backend, await holding(this, this.#backend.call('setExpiration', handleOf(this), keyExpirationTime)));
  }

  /**
   * OpenPGP.js's addSubkey: a new Key with a freshly generated subkey bound by this key's
   * primary key (it must be unlocked).  Options: `sign` (a signing subkey, with its primary key
   * binding signature; default: encryption), `type` / `curve` / `rsaBits` as generateKey's
   * (default: the primary key's kind), `keyExpirationTime` (seconds from the subkey's creation;
   * 0 or absent: none).  The subkey has the primary key's version (v4 or v6) and is unlocked:
   * lock the key afterwards (encryptKey; on a passphrase-protected key, with that passphrase).
   */
  async addSubkey(options = {}) {
    checkOptions('addSubkey', options, OPTIONS.addSubkey);
    checkConfig('addSubkey', options.config);
    if (!this.#info.isSecret) throw new TypeError('addSubkey needs a private key');
    const { type, curve, rsaBits, keyExpirationTime = 0, sign = false } = options;
    if (!(Number.isInteger(keyExpirationTime) && keyExpirationTime >= 0)) throw new RangeError('keyExpirationTime must be a whole number of seconds ≥ 0');
    if (typeof sign !== 'boolean') throw new TypeError('sign must be a boolean');
    const args = { sign, keyExpirationTime };
    if (type !== undefined || curve !== undefined || rsaBits !== undefined) {
      args.type = keyType(type ?? primaryKind(this.#info.keys[0]), curve, rsaBits).type;
    }
    return wrap(this.#backend, await holding(this, this.#backend.call('addSubkey', handleOf(this), args)));
  }

  /** Releases the key in the crypto instance; the object becomes unusable. */
  dispose() {
    if (this.#handle !== null && this.#generation === this.#backend.generation) {
      this.#backend.call('release', [this.#handle]).catch(() => {});
    }
    released.unregister(this);
    this.#handle = null;
  }

  [Symbol.dispose]() {
    this.dispose();
  }
}

const KEY_TOKEN = Symbol('sealpost.Key');

/**
 * A subkey as OpenPGP.js's Subkey presents it, read from its Key's `info` (no call reaches the
 * crypto instance): `mainKey`, `info` (the SubkeyInfo), and the getters below.
 */
export class Subkey {
  #info;
  /** @internal */
  constructor(mainKey, info) {
    this.mainKey = mainKey;
    this.#info = info;
  }

  get info() {
    return this.#info;
  }

  getFingerprint() {
    return this.#info.fingerprint;
  }

  getKeyID() {
    return new KeyID(this.#info.keyId);
  }

  getAlgorithmInfo() {
    return algorithmInfo(this.#info);
  }

  getCreationTime() {
    return new Date(this.#info.created * 1000);
  }

  /** The expiry as a Date, or Infinity if the subkey does not expire. */
  getExpirationTime() {
    return this.#info.expires == null ? Infinity : new Date(this.#info.expires * 1000);
  }

  isRevoked() {
    return this.#info.revoked;
  }

  /** For a secret subkey: whether it is unlocked; null for a public one (or no secret part). */
  isDecrypted() {
    return this.#info.hasSecret ? !this.#info.secretLocked : null;
  }

  /** Resolves if the subkey is valid now (bound, not revoked, not expired); NO_USABLE_KEY otherwise. */
  async verify(date, config) {
    nowOnly('verify', date, config);
    if (!this.#info.valid) throw new SealpostError('NO_USABLE_KEY', `subkey ${this.#info.keyId} is not valid (revoked, expired, or not properly bound)`);
  }
}

// sequoia's algorithm and curve names (key.info) → OpenPGP.js's (enums.publicKey, curve names).
const ALGORITHMS = {
  RSA: 'rsaEncryptSign', DSA: 'dsa', ElGamal: 'elgamal', ECDH: 'ecdh', ECDSA: 'ecdsa', EdDSA: 'eddsaLegacy',
  X25519: 'x25519', X448: 'x448', Ed25519: 'ed25519', Ed448: 'ed448',
};
const CURVES = {
  Ed25519: 'ed25519Legacy', Curve25519: 'curve25519Legacy', 'NIST P-256': 'nistP256', 'NIST P-384': 'nistP384',
  'NIST P-521': 'nistP521', brainpoolP256r1: 'brainpoolP256r1', brainpoolP384r1: 'brainpoolP384r1',
  brainpoolP512r1: 'brainpoolP512r1', secp256k1: 'secp256k1',
};

/**
 * OpenPGP.js's getAlgorithmInfo() shape from a SubkeyInfo: { algorithm } plus `bits` for RSA,
 * DSA and ElGamal, `curve` for ECDH/ECDSA/EdDSA(legacy).  Sequoia reports RSA sign-only and
 * encrypt-only keys as RSA: all three are 'rsaEncryptSign' here.  An algorithm OpenPGP.js has
 * no name for keeps sequoia's (e.g. ML-DSA).
 */
function algorithmInfo(k) {
  const algorithm = ALGORITHMS[k.algorithm] ?? k.algorithm;
  if (['rsaEncryptSign', 'dsa', 'elgamal'].includes(algorithm)) return { algorithm, bits: k.bits };
  if (['ecdh', 'ecdsa', 'eddsaLegacy'].includes(algorithm) && k.curve) return { algorithm, curve: CURVES[k.curve] ?? k.curve };
  return { algorithm };
}

/** A key ID filter: null/undefined (every key) or a KeyID (anything with toHex()). */
function keyIdFilter(keyID) {
  if (keyID === null || keyID === undefined) return () => true;
  if (typeof keyID !== 'object' || typeof keyID.toHex !== 'function') throw new TypeError('keyID must be a KeyID');
  const hex = String(keyID.toHex()).toLowerCase();
  return (id) => id === hex;
}

/** sealpost evaluates keys now, under sequoia's StandardPolicy: a date or a config is refused. */
function nowOnly(call, date, config) {
  if (date !== undefined) throw new TypeError(`${call}: a date is not supported (sealpost evaluates keys at the current time)`);
  if (config !== undefined) checkConfig(call, config);
}

function checkUserIdFilter(call, userID) {
  checkOptions(call, userID, OPTIONS.userID, 'userID');
  return userID;
}

/** 'Name (comment) <email>' → { name, email, comment } as OpenPGP.js parses a user ID ('' when absent). */
function parseUserId(s) {
  const m = /^\s*(.*?)\s*(?:\((.*)\))?\s*(?:<([^<>]*)>)?\s*$/.exec(s);
  if (!m) return { name: s, email: '', comment: '' };
  const [, name = '', comment = '', email = ''] = m;
  return { name, email, comment };
}

/** verifyPrimaryKey's check on a KeyInfo. */
function primaryUsable(info) {
  if (info.revocation === 'revoked') throw new SealpostError('NO_USABLE_KEY', 'Primary key is revoked');
  if (info.expires != null && info.expires * 1000 <= Date.now()) throw new SealpostError('NO_USABLE_KEY', 'Primary key is expired');
  if (!info.valid) throw new SealpostError('NO_USABLE_KEY', `Primary key is not valid${info.invalidReason ? `: ${info.invalidReason}` : ''}`);
}

/** getEncryptionKey / getSigningKey: the newest valid subkey with the capability, else the primary. */
function usableKey(key, info, keyID, capable, what) {
  primaryUsable(info);
  const wanted = keyIdFilter(keyID);
  const subkeys = info.keys.slice(1).map((k, i) => ({ k, i })).sort((a, b) => b.k.created - a.k.created || b.i - a.i);
  for (const { k } of subkeys) {
    if (wanted(k.keyId) && k.valid && !k.revoked && capable(k.flags)) return new Subkey(key, k);
  }
  const primary = info.keys[0];
  if (wanted(primary.keyId) && primary.valid && capable(primary.flags)) return key;
  throw new SealpostError('NO_USABLE_KEY', `Could not find valid ${what} key packet in key ${info.keyId}`);
}

/** Fingerprints and key IDs are lower-case hex everywhere in the JS API, as in OpenPGP.js. */
function lowerCaseIds(info) {
  return {
    ...info,
    fingerprint: info.fingerprint.toLowerCase(),
    keyId: info.keyId.toLowerCase(),
    keys: info.keys.map((k) => ({ ...k, fingerprint: k.fingerprint.toLowerCase(), keyId: k.keyId.toLowerCase() })),
  };
}

export function wrap(be, ref) {
  return new Key(KEY_TOKEN, be, ref);
}

export class KeyID {
  #hex;
  constructor(hex) {
    this.#hex = hex.toLowerCase();
  }
  toHex() {
    return this.#hex;
  }
  equals(other) {
    return other instanceof KeyID && other.toHex() === this.#hex;
  }
}

function userIdString(u, i, call = 'generateKey') {
  if (typeof u === 'string') return u;
  checkOptions(call, u, OPTIONS.userID, call === 'generateKey' || call === 'reformatKey' ? `userIDs[${i}]` : 'userID');
  const { name = '', email = '', comment = '' } = u;
  [name, email, comment].forEach((s) => checkString(`userIDs[${i}] fields`, s));
  let s = name;
  if (comment) s += ` (${comment})`;
  if (email) s += name || comment ? ` <${email}>` : `<${email}>`;
  if (!s) throw new RangeError(`userIDs[${i}] is empty`);
  return s;
}

/** generateKey's `type` of a primary key (for addSubkey given a curve or rsaBits only). */
function primaryKind(k) {
  switch (k.algorithm) {
    case 'RSA':
      return 'rsa';
    case 'Ed25519':
      return 'curve25519';
    case 'Ed448':
      return 'curve448';
    default:
      return 'ecc';
  }
}

function keyType(type, curve, rsaBits) {
  switch (type) {
    case 'ecc':
      switch (curve) {
        case undefined:
        case 'curve25519Legacy':
        case 'ed25519Legacy':
        case 'curve25519':
          return { type: 'curve25519' };
        case 'nistP256':
          return { type: 'p256' };
        case 'nistP384':
          return { type: 'p384' };
        case 'nistP521':
          return { type: 'p521' };
        default:
          throw new RangeError(`curve ${JSON.stringify(curve)} is not supported (curve25519Legacy, nistP256, nistP384, nistP521)`);
      }
    case 'curve25519':
      return { type: 'curve25519', version: 6 };
    case 'curve448':
      return { type: 'curve448' };
    case 'rsa':
      if (rsaBits === undefined || rsaBits === 4096) return { type: 'rsa4096' };
      if (rsaBits === 3072) return { type: 'rsa3072' };
      throw new RangeError('rsaBits must be 3072 or 4096 (smaller RSA keys are refused)');
    case 'pqc':
      return { type: 'pqc-mldsa65-ed25519' };
    default:
      throw new RangeError(`type ${JSON.stringify(type)} is not supported ('ecc', 'curve25519', 'curve448', 'rsa', 'pqc')`);
  }
}

async function formatKey(be, key, format) {
  if (format === 'object') return key;
  return format === 'armored' ? key.armor() : key.write();
}

/**
 * Generates a key: { privateKey, publicKey, revocationCertificate }.
 * Prefer format 'object': the private key then never leaves the crypto worker.
 */
export async function generateKey(options) {
  checkOptions('generateKey', options, OPTIONS.generateKey);
  const { userIDs, type = 'ecc', curve, rsaBits, passphrase, keyExpirationTime = 0, format = 'armored' } = options;
  const config = checkConfig('generateKey', options.config, CONFIG.generateKey);
  const signal = checkSignal(options.signal);
  const uids = (Array.isArray(userIDs) ? userIDs : userIDs === undefined ? [] : [userIDs]).map((u, i) => userIdString(u, i));
  if (passphrase !== undefined) checkString('passphrase', passphrase);
  if (typeof keyExpirationTime !== 'number' || !(keyExpirationTime >= 0)) throw new RangeError('keyExpirationTime must be a number of seconds ≥ 0');
  checkFormat(format, ['armored', 'binary', 'object']);
  const t = keyType(type, curve, rsaBits);
  if (config.v6Keys) t.version = 6;
  const be = current();
  // One call: the key, its public key and their infos (format 'object'), or both exported under
  // the export rule with no handle left behind (armored, binary).
  const r = await runCall(be, 'generateKey', [{
    userIDs: uids,
    ...t,
    passphrase,
    keyExpirationTime,
    aead: Boolean(config.aeadProtect),
  }, { format }], signal);
  if (format !== 'object') return { privateKey: r.privateKey, publicKey: r.publicKey, revocationCertificate: r.revocationCertificate };
  return { privateKey: wrap(be, r.key), publicKey: wrap(be, r.publicKey), revocationCertificate: r.revocationCertificate };
}

/**
 * OpenPGP.js's reformatKey: the private key's own key material (every secret unlocked, else
 * KEY_LOCKED) bound anew: `userIDs` (the first primary; a v4 key needs one), every other user ID,
 * certification and revocation dropped; `keyExpirationTime` for the primary key and each subkey
 * (seconds from each one's creation; 0: never); the primary key flagged to certify and sign, each
 * subkey keeping its role.  { privateKey, publicKey, revocationCertificate } in `format`.
 * `passphrase` locks the result: a key never protected is locked with it (once, as encryptKey);
 * in browsers a passphrase-protected key takes only its own passphrase (KEY_PROTECTED otherwise)
 * and keeps its locked form's secret packets.
 */
export async function reformatKey(options) {
  checkOptions('reformatKey', options, OPTIONS.reformatKey);
  const config = checkConfig('reformatKey', options.config, CONFIG.reformatKey);
  const { privateKey, userIDs, passphrase, keyExpirationTime = 0, format = 'armored' } = options;
  const signal = checkSignal(options.signal);
  const [handle] = oneKey('privateKey', privateKey);
  const uids = (Array.isArray(userIDs) ? userIDs : userIDs === undefined ? [] : [userIDs]).map((u, i) => userIdString(u, i, 'reformatKey'));
  if (passphrase !== undefined) checkString('passphrase', passphrase);
  if (!(Number.isInteger(keyExpirationTime) && keyExpirationTime >= 0)) throw new RangeError('keyExpirationTime must be a whole number of seconds ≥ 0');
  checkFormat(format, ['armored', 'binary', 'object']);
  const be = current();
  // One call, as generateKey: the key and its public key (handles, or both exported).
  const r = await holding(privateKey, runCall(be, 'reformatKey', [handle, {
    userIDs: uids,
    keyExpirationTime,
    aead: Boolean(config.aeadProtect),
    ...(passphrase !== undefined && { passphrase }),
  }, { format }], signal));
  if (format !== 'object') return { privateKey: r.privateKey, publicKey: r.publicKey, revocationCertificate: r.revocationCertificate };
  return { privateKey: wrap(be, r.key), publicKey: wrap(be, r.publicKey), revocationCertificate: r.revocationCertificate };
}

/** Reads one key: readKey({ armoredKey }) or readKey({ binaryKey }). */
export async function readKey(options) {
  return firstKey('readKey', options);
}

/**
 * The first key of the input (readPrivateKey: the first private key), as OpenPGP.js's readKey
 * and readPrivateKey return it: every key in the input is read and checked, the others are
 * released; readKeys returns them all.
 */
async function firstKey(call, options, { privateOnly = false } = {}) {
  checkOptions(call, options, OPTIONS.readKey);
  checkConfig(call, options.config);
  const keys = await parseKeys(options, ['armoredKey', 'binaryKey']);
  const first = keys.find((k) => !privateOnly || isPrivateKey(k, 'key'));
  for (const k of keys) if (k !== first) k.dispose();
  if (!first) {
    if (keys.length === 0) throw new SealpostError('MALFORMED_INPUT', 'no key found');
    throw new SealpostError('INVALID_ARGUMENT', 'the key is not a private key');
  }
  return first;
}

/** Reads a keyring: readKeys({ armoredKeys }) or readKeys({ binaryKeys }) (also armoredKey/binaryKey). */
export async function readKeys(options) {
  checkOptions('readKeys', options, OPTIONS.readKeys);
  checkConfig('readKeys', options.config);
  const names = options.armoredKeys !== undefined || options.binaryKeys !== undefined ? ['armoredKeys', 'binaryKeys'] : ['armoredKey', 'binaryKey'];
  return parseKeys(options, names);
}

async function parseKeys(options, names) {
  const data = await readInput(options, names);
  const be = current();
  return (await be.call('readKeys', data)).map((ref) => wrap(be, ref));
}

/**
 * Reads the private keys of a keyring: readPrivateKeys({ armoredKeys }) or ({ binaryKeys }).
 * Public keys in the input are skipped (and released), as OpenPGP.js does; none private:
 * INVALID_ARGUMENT.
 */
export async function readPrivateKeys(options) {
  checkOptions('readPrivateKeys', options, OPTIONS.readPrivateKeys);
  checkConfig('readPrivateKeys', options.config);
  const keys = await parseKeys(options, ['armoredKeys', 'binaryKeys']);
  const privateKeys = keys.filter((k) => isPrivateKey(k, 'key'));
  for (const k of keys) if (!privateKeys.includes(k)) k.dispose();
  if (privateKeys.length === 0) {
    if (keys.length === 0) throw new SealpostError('MALFORMED_INPUT', 'no key found');
    throw new SealpostError('INVALID_ARGUMENT', 'no private key found');
  }
  return privateKeys;
}

/** Reads a private key: the first private key of the input; INVALID_ARGUMENT if there is none. */
export async function readPrivateKey(options) {
  return firstKey('readPrivateKey', options, { privateOnly: true });
}

/**
 * Unlocks a private key: a new Key whose secret material is decrypted (in the worker).  On an
 * unlocked key of a protected lineage the passphrase is checked against its locked form.
 * lockAfter (ms): the unlocked copy, the unlocked copies made from it and the streams using
 * them are dropped after that long unused; their calls then fail with KEY_LOCKED (unlock the
 * locked key again).
 */
export async function decryptKey(options) {
  checkOptions('decryptKey', options, OPTIONS.decryptKey);
  checkConfig('decryptKey', options.config);
  const { privateKey, passphrase, lockAfter } = options;
  const signal = checkSignal(options.signal);
  return holding(privateKey, tryPassphrases(privateKey, passphrase, lockAfter, signal));
}

async function tryPassphrases(privateKey, passphrase, lockAfter, signal) {
  const [handle] = oneKey('privateKey', privateKey);
  optionalStrings('passphrase', passphrase);
  if (lockAfter !== undefined && !(Number.isInteger(lockAfter) && lockAfter > 0 && lockAfter <= 2 ** 31 - 1)) {
    throw new RangeError('lockAfter must be a whole number of milliseconds > 0');
  }
  const passes = Array.isArray(passphrase) ? passphrase : [passphrase];
  const be = current();
  let lastError;
  for (const p of passes) {
    try {
      return wrap(be, await runCall(be, 'unlockKey', [handle, p, lockAfter === undefined ? {} : { lockAfter }], signal));
    } catch (e) {
      lastError = e;
      if (e.code !== 'BAD_PASSPHRASE') throw e;
    }
  }
  throw lastError;
}

/** Locks a private key with a passphrase: a new Key. */
export async function encryptKey(options) {
  checkOptions('encryptKey', options, OPTIONS.encryptKey);
  checkConfig('encryptKey', options.config);
  const { privateKey, passphrase } = options;
  const [handle] = oneKey('privateKey', privateKey);
  checkString('passphrase', passphrase);
  const be = current();
  return wrap(be, await holding(privateKey, runCall(be, 'lockKey', [handle, passphrase], checkSignal(options.signal))));
}

/** Re-locks a private key under a new passphrase (sealpost addition). */
export async function changeKeyPassphrase(options) {
  checkOptions('changeKeyPassphrase', options, OPTIONS.changeKeyPassphrase);
  const { privateKey, oldPassphrase, newPassphrase } = options;
  const [handle] = oneKey('privateKey', privateKey);
  checkString('oldPassphrase', oldPassphrase);
  checkString('newPassphrase', newPassphrase);
  const be = current();
  return wrap(be, await holding(privateKey, runCall(be, 'changePassphrase', [handle, oldPassphrase, newPassphrase], checkSignal(options.signal))));
}

/** The handle of exactly one private Key (not a list). */
function oneKey(name, v) {
  if (Array.isArray(v) || v === undefined) throw new TypeError(`${name} must be a Key (from readKey, readPrivateKey or generateKey)`);
  return keyList(name, v, { privateOnly: true });
}

const REVOCATION_FLAGS = { 0: 'unspecified', 1: 'superseded', 2: 'compromised', 3: 'retired' };

/**
 * Revokes a key.  With a private key: { privateKey, publicKey } revoked.
 * reasonForRevocation: { flag: 0 (no reason) | 1 (superseded) | 2 (compromised) | 3 (retired), string }.
 */
export async function revokeKey(options) {
  checkOptions('revokeKey', options, OPTIONS.revokeKey);
  checkConfig('revokeKey', options.config);
  return holding(options.key, revoke(options));
}

/** Where the first OpenPGP packet of `bytes` ends (its header and body), or -1. */
function firstPacketEnd(bytes) {
  const b = bytes[0];
  if (b === undefined || !(b & 0x80)) return -1;
  if (b & 0x40) {
    const o = bytes[1];
    if (o < 192) return 2 + o;
    if (o < 224) return 3 + ((o - 192) << 8) + bytes[2] + 192;
    if (o === 255) return 6 + ((bytes[2] << 24) >>> 0) + (bytes[3] << 16) + (bytes[4] << 8) + bytes[5];
    return -1; // partial lengths: not a key packet
  }
  const n = [1, 2, 4][b & 3];
  if (n === undefined) return -1;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + bytes[1 + i];
  return 1 + n + len;
}

/** The tag of the first OpenPGP packet of `bytes`, or -1. */
const firstPacketTag = (bytes) => (bytes[0] & 0x80 ? (bytes[0] & 0x40 ? bytes[0] & 0x3f : (bytes[0] >> 2) & 0x0f) : -1);

/**
 * The update a revocation certificate makes to a key, as a Key to merge: sealpost's own
 * certificates are certificates already; OpenPGP.js's (and GnuPG's) are a lone signature packet,
 * which is placed after the key's primary key packet (where a key revocation belongs).  Merging
 * verifies it: a signature that does not verify revokes nothing.
 */
async function revocationUpdate(be, handle, text) {
  try {
    const [update, ...rest] = await readKeys({ armoredKey: text });
    for (const k of rest) k.dispose();
    return update;
  } catch (e) {
    if (e.code !== 'MALFORMED_INPUT') throw e;
    const signature = await be.call('dearmor', text);
    if (firstPacketTag(signature) !== 2 || firstPacketEnd(signature) !== signature.length) throw e;
    const cert = await be.call('exportKey', handle, { secret: false, armor: false });
    const end = firstPacketEnd(cert);
    if (end <= 0 || end > cert.length) throw e;
    const bytes = new Uint8Array(cert.length + signature.length);
    bytes.set(cert.subarray(0, end));
    bytes.set(signature, end);
    bytes.set(cert.subarray(end), end + signature.length);
    const [ref] = await be.call('readKeys', bytes);
    return wrap(be, ref);
  }
}

async function revoke({ key, reasonForRevocation = {}, revocationCertificate, format = 'armored' }) {
  const [handle] = keyList('key', key);
  if (Array.isArray(key)) throw new TypeError('key must be a Key');
  checkOptions('revokeKey', reasonForRevocation, OPTIONS.reasonForRevocation, 'reasonForRevocation');
  checkFormat(format, ['armored', 'binary', 'object']);
  const be = current();
  let revoked;
  if (revocationCertificate !== undefined) {
    checkString('revocationCertificate', revocationCertificate);
    const update = await revocationUpdate(be, handle, revocationCertificate);
    revoked = wrap(be, await be.call('mergeKey', handle, handleOf(update)));
    update.dispose();
  } else {
    const flag = reasonForRevocation.flag ?? 0;
    if (!(flag in REVOCATION_FLAGS)) throw new RangeError('reasonForRevocation.flag must be 0, 1, 2 or 3');
    const text = reasonForRevocation.string ?? '';
    checkString('reasonForRevocation.string', text);
    revoked = wrap(be, await be.call('revokeKey', handle, REVOCATION_FLAGS[flag], text, undefined));
  }
  const publicKey = await revoked.toPublic();
  return {
    privateKey: isPrivateKey(revoked, 'key') ? await formatKey(be, revoked, format) : null,
    publicKey: await formatKey(be, publicKey, format),
  };
}

/** The key types this build can generate (sealpost names). */
export async function supportedKeyTypes() {
  return current().call('supportedKeyTypes');
}
