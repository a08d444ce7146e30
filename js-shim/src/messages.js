// The public API, shared by every entry point.  Names and options follow
// OpenPGP.js v6 where the concept is the same; see the README's migration
// table for where sealpost deliberately differs.
import { SealpostError, SHIM_ERROR_CODES } from './errors.js';

let backendFactory = null;
let backend = null;

/** Set by the entry point: how to create the default backend. */
export function setBackendFactory(factory) {
  backendFactory = factory;
}

function current() {
  if (!backend) {
    if (!backendFactory) throw new SealpostError('NOT_INITIALIZED', 'sealpost was imported without an entry point');
    backend = backendFactory({});
  }
  return backend;
}

/**
 * Chooses how sealpost runs, before the first call (or after `terminate()`).
 * `mode`: 'worker' (browser default: keys live in a Web Worker) or 'direct'.
 */
export async function configure(options = {}) {
  checkObject('options', options);
  if (options.mode !== undefined && !['worker', 'direct'].includes(options.mode)) {
    throw new RangeError("options.mode must be 'worker' or 'direct'");
  }
  if (backend) await backend.terminate();
  backend = backendFactory(options);
  return { mode: backend.kind };
}

/** Stops the worker (if any); every key handle becomes invalid. */
export async function terminate() {
  if (backend) await backend.terminate();
  backend = null;
}

/** The mode in use: 'worker' or 'direct'. */
export function getMode() {
  return current().kind;
}

// ---------------------------------------------------------------- arguments

function checkObject(name, v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`${name} must be an object`);
}

function checkString(name, v) {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a string`);
}

function checkBytes(name, v) {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
}

function optionalStrings(name, v) {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  list.forEach((s, i) => checkString(`${name}[${i}]`, s));
  return list;
}

function keyList(name, v, { privateOnly = false } = {}) {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((k, i) => {
    if (!(k instanceof Key)) throw new TypeError(`${name}[${i}] must be a Key (from readKey, readPrivateKey or generateKey)`);
    if (privateOnly && !k.isPrivate()) throw new TypeError(`${name}[${i}] must be a private key`);
    return k._handle();
  });
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });

// --------------------------------------------------------------------- keys

/** An OpenPGP key or certificate.  The secret material stays where the wasm runs. */
export class Key {
  #handle;
  #info;
  #backend;
  #generation;

  /** @internal */
  constructor(token, be, ref) {
    if (token !== KEY_TOKEN) throw new TypeError('use readKey, readPrivateKey or generateKey to make a Key');
    this.#backend = be;
    this.#handle = ref.handle;
    this.#info = ref.info;
    this.#generation = be.generation;
  }

  /** @internal */
  _handle() {
    if (this.#handle === null || this.#generation !== this.#backend.generation || this.#backend !== current()) {
      throw new SealpostError('KEY_DISPOSED', 'this key was disposed, or belongs to a crypto instance that was reset or terminated');
    }
    return this.#handle;
  }

  /** Everything known about the key (user IDs, subkeys, flags, validity...). */
  get info() {
    return this.#info;
  }

  getFingerprint() {
    return this.#info.fingerprint.toLowerCase();
  }

  getKeyID() {
    return new KeyID(this.#info.keyId);
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

  /** Armored text: the private key (as stored, locked stays locked) for private keys. */
  async armor() {
    return this.#backend.call('exportKey', this._handle(), { secret: this.isPrivate(), armor: true });
  }

  /** Binary serialization, like armor(). */
  async write() {
    return this.#backend.call('exportKey', this._handle(), { secret: this.isPrivate(), armor: false });
  }

  /** The public certificate as a new Key. */
  async toPublic() {
    return wrap(this.#backend, await this.#backend.call('publicKey', this._handle()));
  }

  /** Releases the key in the crypto instance; the object becomes unusable. */
  dispose() {
    if (this.#handle !== null && this.#generation === this.#backend.generation) {
      this.#backend.call('release', [this.#handle]).catch(() => {});
    }
    this.#handle = null;
  }

  [Symbol.dispose]() {
    this.dispose();
  }
}

const KEY_TOKEN = Symbol('sealpost.Key');

function wrap(be, ref) {
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

function userIdString(u, i) {
  if (typeof u === 'string') return u;
  checkObject(`userIDs[${i}]`, u);
  const { name = '', email = '', comment = '' } = u;
  [name, email, comment].forEach((s) => checkString(`userIDs[${i}] fields`, s));
  let s = name;
  if (comment) s += ` (${comment})`;
  if (email) s += name || comment ? ` <${email}>` : `<${email}>`;
  if (!s) throw new RangeError(`userIDs[${i}] is empty`);
  return s;
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

function checkFormat(format, allowed) {
  if (!allowed.includes(format)) throw new RangeError(`format must be one of ${allowed.map((f) => `'${f}'`).join(', ')}`);
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
  checkObject('options', options);
  const { userIDs, type = 'ecc', curve, rsaBits, passphrase, keyExpirationTime = 0, format = 'armored', config = {} } = options;
  const uids = (Array.isArray(userIDs) ? userIDs : userIDs === undefined ? [] : [userIDs]).map(userIdString);
  if (passphrase !== undefined) checkString('passphrase', passphrase);
  if (typeof keyExpirationTime !== 'number' || !(keyExpirationTime >= 0)) throw new RangeError('keyExpirationTime must be a number of seconds ≥ 0');
  checkFormat(format, ['armored', 'binary', 'object']);
  checkObject('config', config);
  const t = keyType(type, curve, rsaBits);
  if (config.v6Keys) t.version = 6;
  const be = current();
  const { key: ref, revocationCertificate } = await be.call('generateKey', {
    userIDs: uids,
    ...t,
    passphrase,
    keyExpirationTime,
    aead: Boolean(config.aeadProtect),
  });
  const privateKey = wrap(be, ref);
  const publicKey = await privateKey.toPublic();
  try {
    return {
      privateKey: await formatKey(be, privateKey, format),
      publicKey: await formatKey(be, publicKey, format),
      revocationCertificate,
    };
  } finally {
    // Handed out as text or bytes: the handles are not needed any more.
    if (format !== 'object') {
      privateKey.dispose();
      publicKey.dispose();
    }
  }
}

async function readInput(options, names) {
  checkObject('options', options);
  const [armoredName, binaryName] = names;
  if (options[armoredName] !== undefined) {
    checkString(armoredName, options[armoredName]);
    return options[armoredName];
  }
  if (options[binaryName] !== undefined) {
    checkBytes(binaryName, options[binaryName]);
    return options[binaryName];
  }
  throw new TypeError(`options.${armoredName} or options.${binaryName} is required`);
}

/** Reads one key: readKey({ armoredKey }) or readKey({ binaryKey }). */
export async function readKey(options) {
  const keys = await readKeys(options);
  if (keys.length !== 1) {
    for (const k of keys.slice(1)) k.dispose();
    throw new SealpostError('MALFORMED_INPUT', `expected one key, found ${keys.length}`);
  }
  return keys[0];
}

/** Reads a keyring: readKeys({ armoredKeys }) or readKeys({ binaryKeys }) (also armoredKey/binaryKey). */
export async function readKeys(options) {
  checkObject('options', options);
  const names = options.armoredKeys !== undefined || options.binaryKeys !== undefined ? ['armoredKeys', 'binaryKeys'] : ['armoredKey', 'binaryKey'];
  const data = await readInput(options, names);
  const be = current();
  return (await be.call('readKeys', data)).map((ref) => wrap(be, ref));
}

/** Reads a private key; fails for a public one. */
export async function readPrivateKey(options) {
  const key = await readKey(options);
  if (!key.isPrivate()) {
    key.dispose();
    throw new SealpostError('INVALID_ARGUMENT', 'the key is not a private key');
  }
  return key;
}

/** Unlocks a private key: a new Key whose secret material is decrypted (in the worker). */
export async function decryptKey({ privateKey, passphrase } = {}) {
  keyList('privateKey', privateKey, { privateOnly: true });
  optionalStrings('passphrase', passphrase);
  const passes = Array.isArray(passphrase) ? passphrase : [passphrase];
  const be = current();
  let lastError;
  for (const p of passes) {
    try {
      return wrap(be, await be.call('unlockKey', privateKey._handle(), p));
    } catch (e) {
      lastError = e;
      if (e.code !== 'BAD_PASSPHRASE') throw e;
    }
  }
  throw lastError;
}

/** Locks a private key with a passphrase: a new Key. */
export async function encryptKey({ privateKey, passphrase } = {}) {
  keyList('privateKey', privateKey, { privateOnly: true });
  checkString('passphrase', passphrase);
  const be = current();
  return wrap(be, await be.call('lockKey', privateKey._handle(), passphrase));
}

/** Re-locks a private key under a new passphrase (sealpost addition). */
export async function changeKeyPassphrase({ privateKey, oldPassphrase, newPassphrase } = {}) {
  keyList('privateKey', privateKey, { privateOnly: true });
  checkString('oldPassphrase', oldPassphrase);
  checkString('newPassphrase', newPassphrase);
  const be = current();
  return wrap(be, await be.call('changePassphrase', privateKey._handle(), oldPassphrase, newPassphrase));
}

const REVOCATION_FLAGS = { 0: 'unspecified', 1: 'superseded', 2: 'compromised', 3: 'retired' };

/**
 * Revokes a key.  With a private key: { privateKey, publicKey } revoked.
 * reasonForRevocation: { flag: 0 (no reason) | 1 (superseded) | 2 (compromised) | 3 (retired), string }.
 */
export async function revokeKey({ key, reasonForRevocation = {}, revocationCertificate, format = 'armored' } = {}) {
  keyList('key', key);
  checkObject('reasonForRevocation', reasonForRevocation);
  checkFormat(format, ['armored', 'binary', 'object']);
  const be = current();
  let revoked;
  if (revocationCertificate !== undefined) {
    checkString('revocationCertificate', revocationCertificate);
    const [update] = await readKeys({ armoredKey: revocationCertificate });
    revoked = wrap(be, await be.call('mergeKey', key._handle(), update._handle()));
    update.dispose();
  } else {
    const flag = reasonForRevocation.flag ?? 0;
    if (!(flag in REVOCATION_FLAGS)) throw new RangeError('reasonForRevocation.flag must be 0, 1, 2 or 3');
    const text = reasonForRevocation.string ?? '';
    checkString('reasonForRevocation.string', text);
    revoked = wrap(be, await be.call('revokeKey', key._handle(), REVOCATION_FLAGS[flag], text, undefined));
  }
  const publicKey = await revoked.toPublic();
  return {
    privateKey: revoked.isPrivate() ? await formatKey(be, revoked, format) : null,
    publicKey: await formatKey(be, publicKey, format),
  };
}

// ----------------------------------------------------------------- messages

/** A message: literal data to encrypt or sign, or an encoded OpenPGP message. */
export class Message {
  /** @internal */
  constructor(kind, data, isText) {
    this.kind = kind;
    this.data = data;
    this.isText = isText;
  }
}

/** A cleartext-signed (or to-be-signed) text message. */
export class CleartextMessage {
  /** @internal */
  constructor(text, armored) {
    this.text = text;
    this.armored = armored;
  }
  getText() {
    return this.text;
  }
}

/** A detached signature. */
export class Signature {
  /** @internal */
  constructor(data) {
    this.data = data;
  }
}

const isStream = (v) => v !== null && typeof v === 'object' && typeof v.getReader === 'function';

/**
 * createMessage({ text }) or createMessage({ binary }); either may be a
 * ReadableStream (of strings / Uint8Arrays) to encrypt in bounded memory.
 */
export async function createMessage(options) {
  checkObject('options', options);
  if (options.text !== undefined) {
    if (isStream(options.text)) return new Message('literal', options.text, true);
    checkString('text', options.text);
    return new Message('literal', enc.encode(options.text), true);
  }
  if (options.binary !== undefined) {
    if (isStream(options.binary)) return new Message('literal', options.binary, false);
    checkBytes('binary', options.binary);
    return new Message('literal', options.binary, false);
  }
  throw new TypeError('options.text or options.binary is required');
}

/**
 * readMessage({ armoredMessage }) or readMessage({ binaryMessage }); either
 * may be a ReadableStream, to decrypt in bounded memory.
 */
export async function readMessage(options) {
  checkObject('options', options);
  for (const name of ['armoredMessage', 'binaryMessage']) {
    if (isStream(options[name])) return new Message('encoded', options[name], false);
  }
  return new Message('encoded', await readInput(options, ['armoredMessage', 'binaryMessage']), false);
}

/**
 * Pumps `source` through a wasm stream (started by `startOp`), pulled by
 * the consumer: memory is bounded by the chunk size, not the message.
 * `onFinish(result)` gets the finish result and returns the last output.
 */
function pump(be, startOp, options, source, { mapOut, onFinish, onError }) {
  let id = null;
  let reader = null;
  const abort = () => {
    if (id !== null) be.call('streamAbort', id).catch(() => {});
    id = null;
  };
  return new ReadableStream({
    async start(controller) {
      try {
        const started = await be.call(startOp, options);
        id = started.id;
        reader = source.getReader();
        if (started.output.length) controller.enqueue(mapOut(started.output, false));
      } catch (e) {
        onError(e);
        throw e;
      }
    },
    async pull(controller) {
      try {
        // Loop until there is output: a pull that enqueues nothing would
        // not be called again for a waiting reader.
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            const result = await be.call('streamFinish', id);
            id = null;
            const last = onFinish(result);
            if (last.length) controller.enqueue(mapOut(last, true));
            else {
              const tail = mapOut(new Uint8Array(0), true);
              if (tail.length) controller.enqueue(tail);
            }
            controller.close();
            return;
          }
          const chunk = typeof value === 'string' ? enc.encode(value) : value;
          if (!(chunk instanceof Uint8Array)) throw new TypeError('a message stream must yield Uint8Array (or string) chunks');
          const out = await be.call('streamPush', id, chunk);
          if (out.length) {
            controller.enqueue(mapOut(out, false));
            return;
          }
        }
      } catch (e) {
        abort();
        reader?.cancel(e).catch(() => {});
        onError(e);
        controller.error(e);
      }
    },
    cancel(reason) {
      abort();
      return reader?.cancel(reason);
    },
  });
}

/** createCleartextMessage({ text }): for cleartext signatures. */
export async function createCleartextMessage(options) {
  checkObject('options', options);
  checkString('text', options.text);
  return new CleartextMessage(options.text, null);
}

/** readCleartextMessage({ cleartextMessage }): a '-----BEGIN PGP SIGNED MESSAGE-----' text. */
export async function readCleartextMessage(options) {
  checkObject('options', options);
  checkString('cleartextMessage', options.cleartextMessage);
  if (!options.cleartextMessage.trimStart().startsWith('-----BEGIN PGP SIGNED MESSAGE-----')) {
    throw new SealpostError('MALFORMED_INPUT', 'not a cleartext signed message');
  }
  return new CleartextMessage(null, options.cleartextMessage);
}

/** readSignature({ armoredSignature }) or readSignature({ binarySignature }). */
export async function readSignature(options) {
  return new Signature(await readInput(options, ['armoredSignature', 'binarySignature']));
}

function output(bytes, format) {
  return format === 'armored' ? dec.decode(bytes) : bytes;
}

/** A verification result, shaped like OpenPGP.js's; `verified` is created on first access. */
function signatureResults(list) {
  return list.map((s) => {
    const result = {
      keyID: new KeyID(s.issuer ?? '0000000000000000'),
      signerFingerprint: s.signerFingerprint ? s.signerFingerprint.toLowerCase() : null,
      signingKeyFingerprint: s.signingKeyFingerprint ? s.signingKeyFingerprint.toLowerCase() : null,
      status: s.status,
      valid: s.valid,
      created: s.created == null ? null : new Date(s.created * 1000),
      mode: s.mode ?? null,
      reason: s.reason,
    };
    let verified;
    Object.defineProperty(result, 'verified', {
      enumerable: true,
      get() {
        verified ??= s.valid
          ? Promise.resolve(true)
          : Promise.reject(new SealpostError('NO_VALID_SIGNATURE', s.reason || `signature ${s.status}`));
        return verified;
      },
    });
    return result;
  });
}

/** `stream: true` documents (and, for TypeScript, types) a streamed call. */
function checkStreamHint(stream, message) {
  if (stream === undefined) return;
  if (typeof stream !== 'boolean') throw new TypeError('stream must be a boolean');
  if (stream !== isStream(message.data)) {
    throw new TypeError(stream ? 'stream: true needs a message made from a ReadableStream' : 'the message is a ReadableStream; pass stream: true or omit it');
  }
}

function checkMessage(name, m, kinds) {
  if (!(m instanceof Message) || !kinds.includes(m.kind)) {
    const made = kinds[0] === 'encoded' ? 'readMessage' : 'createMessage';
    throw new TypeError(`${name} must be a Message from ${made}()`);
  }
}

/**
 * Encrypts: encrypt({ message, encryptionKeys, signingKeys, passwords, format }).
 * Output is armored text by default, or a Uint8Array with format 'binary'.
 */
export async function encrypt(options) {
  checkObject('options', options);
  const { message, encryptionKeys, signingKeys, passwords, format = 'armored', config = {}, stream } = options;
  checkMessage('message', message, ['literal']);
  checkStreamHint(stream, message);
  checkFormat(format, ['armored', 'binary']);
  const recipients = keyList('encryptionKeys', encryptionKeys);
  const pws = optionalStrings('passwords', passwords);
  if (recipients.length === 0 && pws.length === 0) throw new TypeError('encryptionKeys or passwords is required');
  const options_ = {
    recipients,
    signers: keyList('signingKeys', signingKeys, { privateOnly: true }),
    passwords: pws,
    armor: format === 'armored',
    forceAead: Boolean(config.aeadProtect),
    text: message.isText,
  };
  const be = current();
  if (isStream(message.data)) {
    // A stream in, a stream out: strings when armored, bytes when binary.
    const ascii = new TextDecoder();
    return pump(be, 'encryptStart', options_, message.data, {
      mapOut: (bytes) => (format === 'armored' ? ascii.decode(bytes) : bytes),
      onFinish: (last) => last,
      onError: () => {},
    });
  }
  return output(await be.call('encrypt', { ...options_, data: message.data }), format);
}

/**
 * Decrypts: decrypt({ message, decryptionKeys, passwords, sessionKeys, verificationKeys, expectSigned, format, returnSessionKey }).
 * sessionKeys are 'ALGO:HEX' strings (SOP's form); returnSessionKey adds `sessionKey` in that form.
 * Returns { data, signatures }; data is a string (format 'utf8', default) or Uint8Array ('binary').
 * No data is returned unless the whole message authenticated; with expectSigned, unless a
 * signature by a verificationKeys key is valid.
 */
const LIMITS_DECRYPT = ['maxPlaintext', 'maxCompressionRatio', 'maxRecipients', 'maxSignatures'];
const LIMITS_VERIFY = ['maxPlaintext', 'maxCompressionRatio', 'maxSignatures'];

/**
 * The `limits` option (and the older top-level `maxPlaintext`) as a plain
 * object of whole numbers ≥ 0 with known names, or undefined.
 */
function limitOptions(limits, maxPlaintext, known) {
  if (limits !== undefined && (limits === null || typeof limits !== 'object' || Array.isArray(limits))) {
    throw new TypeError('limits must be an object');
  }
  const out = { ...(limits || {}) };
  if (maxPlaintext !== undefined) out.maxPlaintext = maxPlaintext;
  for (const [name, value] of Object.entries(out)) {
    if (!known.includes(name)) throw new TypeError(`unknown limit ${JSON.stringify(name)} (known: ${known.join(', ')})`);
    if (value === undefined) delete out[name];
    else if (!(Number.isInteger(value) && value >= 0)) throw new RangeError(`${name} must be a whole number ≥ 0`);
  }
  return Object.keys(out).length ? out : undefined;
}

export async function decrypt(options) {
  checkObject('options', options);
  const { message, decryptionKeys, passwords, verificationKeys, expectSigned = false, format = 'utf8', maxPlaintext, limits, stream, sessionKeys, returnSessionKey = false } = options;
  checkMessage('message', message, ['encoded']);
  checkStreamHint(stream, message);
  checkFormat(format, ['utf8', 'binary']);
  const keys = keyList('decryptionKeys', decryptionKeys, { privateOnly: true });
  const pws = optionalStrings('passwords', passwords);
  const sks = optionalStrings('sessionKeys', sessionKeys);
  if (keys.length === 0 && pws.length === 0 && sks.length === 0) throw new TypeError('decryptionKeys, passwords or sessionKeys is required');
  const options_ = {
    keys,
    passwords: pws,
    verification: keyList('verificationKeys', verificationKeys),
    requireSignature: Boolean(expectSigned),
    limits: limitOptions(limits, maxPlaintext, LIMITS_DECRYPT),
    sessionKeys: sks,
    returnSessionKey: Boolean(returnSessionKey),
  };
  const be = current();
  if (isStream(message.data)) {
    return decryptStream(be, options_, message.data, format);
  }
  const r = await be.call('decrypt', { ...options_, data: message.data });
  const result = { data: format === 'utf8' ? dec.decode(r.data) : r.data, signatures: signatureResults(r.signatures), layers: r.layers };
  if (returnSessionKey) result.sessionKey = r.sessionKey;
  return result;
}

/**
 * A streamed decryption: `data` is a ReadableStream; `signatures` and
 * `layers` are Promises that settle when the stream ends.  SEIPDv2
 * plaintext arrives chunk by chunk, each chunk authenticated; SEIPDv1
 * arrives only at the end, after the whole message authenticated.  If the
 * stream errors, everything read from it must be discarded.
 */
function decryptStream(be, options, source, format) {
  let settle;
  const done = new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Nobody may ever await these: never an unhandled rejection.
  done.catch(() => {});
  const text = new TextDecoder('utf-8');
  const data = pump(be, 'decryptStart', options, source, {
    mapOut: (bytes, last) => (format === 'utf8' ? text.decode(bytes, { stream: !last }) : bytes),
    onFinish: (r) => {
      settle.resolve(r);
      return r.data;
    },
    onError: (e) => settle.reject(e),
  });
  const signatures = done.then((r) => signatureResults(r.signatures));
  const layers = done.then((r) => r.layers);
  signatures.catch(() => {});
  layers.catch(() => {});
  return { data, signatures, layers };
}

/**
 * Signs: sign({ message, signingKeys, detached, format }).  A CleartextMessage gives a
 * cleartext-signed text; a Message gives an inline-signed message or, with detached,
 * a signature.  Text messages get text signatures.
 */
export async function sign(options) {
  checkObject('options', options);
  const { message, signingKeys, detached = false, format = 'armored' } = options;
  checkFormat(format, ['armored', 'binary']);
  const signers = keyList('signingKeys', signingKeys, { privateOnly: true });
  if (signers.length === 0) throw new TypeError('signingKeys is required');
  let args;
  if (message instanceof CleartextMessage && message.text !== null) {
    args = { data: enc.encode(message.text), mode: 'cleartext', text: true, armor: true };
  } else {
    checkMessage('message', message, ['literal']);
    args = { data: message.data, mode: detached ? 'detached' : 'inline', text: message.isText, armor: format === 'armored' };
  }
  const out = await current().call('sign', { ...args, signers });
  return output(out, args.mode === 'cleartext' ? 'armored' : format);
}

/**
 * Verifies: verify({ message, signature, verificationKeys, expectSigned, format }).
 * message: a readCleartextMessage() or readMessage() (inline), or a createMessage() with a
 * readSignature() (detached).  Returns { data, signatures }.
 */
export async function verify(options) {
  checkObject('options', options);
  const { message, signature, verificationKeys, expectSigned = false, format = 'utf8', maxPlaintext, limits } = options;
  checkFormat(format, ['utf8', 'binary']);
  const limits_ = limitOptions(limits, maxPlaintext, LIMITS_VERIFY);
  const keys = keyList('verificationKeys', verificationKeys);
  let r;
  let data;
  if (signature !== undefined) {
    if (!(signature instanceof Signature)) throw new TypeError('signature must be a Signature from readSignature()');
    checkMessage('message', message, ['literal']);
    r = await current().call('verify', { data: message.data, signature: signature.data, keys, requireSignature: Boolean(expectSigned), limits: limits_ });
    data = message.data;
  } else {
    let input;
    if (message instanceof CleartextMessage && message.armored !== null) input = message.armored;
    else {
      checkMessage('message', message, ['encoded']);
      input = message.data;
    }
    r = await current().call('verify', { data: input, keys, requireSignature: Boolean(expectSigned), limits: limits_ });
    data = r.data;
  }
  return { data: format === 'utf8' ? dec.decode(data) : data, signatures: signatureResults(r.signatures) };
}

// --------------------------------------------------------------------- mail

function mailArgs(mail) {
  checkObject('mail', mail);
  const { from, to, cc, subject = '', text, html, attachments = [], date, messageId } = mail;
  checkString('mail.from', from);
  checkString('mail.subject', subject);
  if (text !== undefined) checkString('mail.text', text);
  if (html !== undefined) checkString('mail.html', html);
  if (messageId !== undefined) checkString('mail.messageId', messageId);
  if (date !== undefined && !(date instanceof Date && Number.isFinite(date.getTime()))) throw new TypeError('mail.date must be a valid Date');
  if (!Array.isArray(attachments)) throw new TypeError('mail.attachments must be an array');
  return {
    from,
    to: optionalStrings('mail.to', to),
    cc: optionalStrings('mail.cc', cc),
    subject,
    text,
    html,
    messageId,
    date: date === undefined ? undefined : Math.floor(date.getTime() / 1000),
    attachments: attachments.map((a, i) => {
      checkObject(`mail.attachments[${i}]`, a);
      checkString(`mail.attachments[${i}].filename`, a.filename);
      if (a.contentType !== undefined) checkString(`mail.attachments[${i}].contentType`, a.contentType);
      const data = typeof a.data === 'string' ? enc.encode(a.data) : a.data;
      checkBytes(`mail.attachments[${i}].data`, data);
      return { filename: a.filename, contentType: a.contentType ?? 'application/octet-stream', data };
    }),
  };
}

function autocryptOptions(autocrypt) {
  if (autocrypt === undefined || autocrypt === false) return { autocrypt: false, preferMutual: false };
  if (autocrypt === true) return { autocrypt: true, preferMutual: false };
  checkObject('autocrypt', autocrypt);
  const { preferEncrypt = 'nopreference' } = autocrypt;
  if (!['mutual', 'nopreference'].includes(preferEncrypt)) throw new RangeError("autocrypt.preferEncrypt must be 'mutual' or 'nopreference'");
  return { autocrypt: true, preferMutual: preferEncrypt === 'mutual' };
}

/**
 * Composes an encrypted PGP/MIME mail (RFC 3156, headers protected per RFC 9788):
 * encryptMail(mail, { encryptionKeys, signingKeys, autocrypt }) → the RFC 5322 message bytes.
 * Include your own key in encryptionKeys to read the Sent copy.
 */
export async function encryptMail(mail, options = {}) {
  checkObject('options', options);
  const recipients = keyList('encryptionKeys', options.encryptionKeys);
  if (recipients.length === 0) throw new TypeError('encryptionKeys is required');
  return current().call('encryptMail', {
    mail: mailArgs(mail),
    recipients,
    signers: keyList('signingKeys', options.signingKeys, { privateOnly: true }),
    ...autocryptOptions(options.autocrypt),
  });
}

/** Composes a signed, unencrypted PGP/MIME mail (multipart/signed): signMail(mail, { signingKeys, autocrypt }). */
export async function signMail(mail, options = {}) {
  checkObject('options', options);
  const signers = keyList('signingKeys', options.signingKeys, { privateOnly: true });
  if (signers.length === 0) throw new TypeError('signingKeys is required');
  return current().call('signMail', { mail: mailArgs(mail), signers, ...autocryptOptions(options.autocrypt) });
}

/**
 * Reads a mail: PGP/MIME encrypted or signed, inline PGP, or plain.
 * decryptMail(bytes, { decryptionKeys, verificationKeys }) → { from, to, cc, subject, date, text, html,
 * attachments, signatureState, signatures, protectedHeaders, headers, outerHeaders, autocrypt, gossip, ... }.
 * signatureState is 'verified' only for a valid signature by a verificationKeys key whose user ID is
 * the From address; 'signer-mismatch' must be shown as a warning.
 */
export async function decryptMail(message, options = {}) {
  const data = typeof message === 'string' ? enc.encode(message) : message;
  checkBytes('message', data);
  checkObject('options', options);
  const r = await current().call('readMail', {
    data,
    keys: keyList('decryptionKeys', options.decryptionKeys, { privateOnly: true }),
    verification: keyList('verificationKeys', options.verificationKeys),
  });
  const results = signatureResults(r.signatures);
  r.signatures.forEach((s, i) => {
    results[i].signerAddresses = s.signerAddresses;
    results[i].matchesFrom = s.matchesFrom;
  });
  return { ...r, signatures: results };
}

/** The Web Key Directory URLs of an address: { hash, advanced, direct }. */
export async function wkdUrls(address) {
  checkString('address', address);
  return current().call('wkdUrls', address);
}

/**
 * Looks up an address's key in its Web Key Directory: the advanced method first, then the
 * direct one.  Returns the valid keys that carry a user ID for the address; NO_USABLE_KEY if
 * the answer has none; NETWORK_ERROR if neither URL answered with a key.
 * options.fetch replaces globalThis.fetch (tests, proxies).
 */
export async function wkdLookup(address, options = {}) {
  checkString('address', address);
  checkObject('options', options);
  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== 'function') throw new SealpostError('NOT_SUPPORTED', 'no fetch() in this environment: pass options.fetch');
  const be = current();
  const urls = await be.call('wkdUrls', address);
  const failures = [];
  for (const url of [urls.advanced, urls.direct]) {
    let response;
    try {
      response = await fetchFn(url, { redirect: 'follow', credentials: 'omit', cache: 'no-cache' });
    } catch (e) {
      failures.push(`${url}: ${e && e.message ? e.message : 'fetch failed'}`);
      continue;
    }
    if (!response.ok) {
      failures.push(`${url}: HTTP ${response.status}`);
      continue;
    }
    const body = new Uint8Array(await response.arrayBuffer());
    const refs = await be.call('wkdSelect', body, address);
    return refs.map((ref) => wrap(be, ref));
  }
  throw new SealpostError('NETWORK_ERROR', `WKD lookup failed: ${failures.join('; ')}`);
}

/** An Autocrypt header value (folded, without "Autocrypt: ") for key and address. */
export async function autocryptHeader(key, address, options = {}) {
  const [handle] = keyList('key', key);
  checkString('address', address);
  return current().call('autocryptHeader', handle, address, autocryptOptions({ preferEncrypt: options.preferEncrypt }).preferMutual);
}

/**
 * Splits an inline-signed or cleartext-signed message into its data and a detached signature
 * over it: inlineDetach(bytesOrArmoredText) → { data: Uint8Array, signature: Uint8Array } (binary).
 * Nothing is verified: verify the result with verify({ message, signature }).
 */
export async function inlineDetach(message) {
  const data = typeof message === 'string' ? enc.encode(message) : message;
  checkBytes('message', data);
  const r = await current().call('inlineDetach', data);
  return { data: r.data, signature: r.signatures };
}

const ARMOR_KINDS = { message: 'message', publicKey: 'public-key', privateKey: 'secret-key', signature: 'signature' };

/** Armors binary OpenPGP data; type ('message', 'publicKey', 'privateKey', 'signature') is guessed if omitted. */
export async function armor(data, type) {
  checkBytes('data', data);
  if (type !== undefined && !(type in ARMOR_KINDS)) throw new RangeError(`type must be one of ${Object.keys(ARMOR_KINDS).join(', ')}`);
  return current().call('armor', data, type && ARMOR_KINDS[type]);
}

/** Removes ASCII armor: { data }. */
export async function unarmor(text) {
  checkString('text', text);
  return { data: await current().call('dearmor', text) };
}

/** The key types this build can generate (sealpost names). */
export async function supportedKeyTypes() {
  return current().call('supportedKeyTypes');
}

/** Every stable error code (core and JS layer). */
export async function errorCodes() {
  return [...(await current().call('errorCodes')), ...SHIM_ERROR_CODES];
}

/** @internal Traps the crypto instance (tests of trap recovery only). */
export async function __testTrap() {
  return current().call('__testTrap');
}
