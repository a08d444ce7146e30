// Messages: the Message, CleartextMessage and Signature classes, and encrypt, decrypt, sign,
// verify and inlineDetach over them (buffered here; streamed through streams.js).
import { SealpostError } from './errors.js';
import { current } from './backend.js';
import { OPTIONS, CONFIG } from './options.js';
import { checkBytes, checkConfig, checkFormat, checkOptions, checkString, optionalStrings, readInput } from './args.js';
import { holding, keyList, KeyID } from './keys.js';
import { signatureResults } from './signatures.js';
import { decryptStream, encryptStream, isStream } from './streams.js';
import { checkSignal, runCall, throwIfAborted } from './abort.js';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });

/**
 * format 'utf8' output: UTF-8 decoded, line endings normalized from CRLF (how OpenPGP writes
 * text) to LF, as OpenPGP.js's decrypt and verify return text.  format 'binary' is the exact bytes.
 */
export const utf8Text = (bytes) => dec.decode(bytes).replace(/\r\n/g, '\n');

// OpenPGP.js's symmetric algorithm names (its enums.symmetric) → OpenPGP's algorithm IDs.
const SYMMETRIC = { idea: 1, tripledes: 2, cast5: 3, blowfish: 4, aes128: 7, aes192: 8, aes256: 9, twofish: 10 };
const SYMMETRIC_NAME = Object.fromEntries(Object.entries(SYMMETRIC).map(([k, v]) => [v, k]));
// OpenPGP.js's AEAD names (enums.aead) ↔ OpenPGP's IDs.
const AEAD = { eax: 1, ocb: 2, gcm: 3 };
const AEAD_NAME = { 1: 'eax', 2: 'ocb', 3: 'gcm' };

const toHex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** 'ALGO:HEX' (the engine's form) → OpenPGP.js's { data, algorithm } (algorithm null if OpenPGP.js has no name). */
function sessionKeyObject(text, aead) {
  const [algo, hex] = text.split(':');
  const data = new Uint8Array(hex.length / 2);
  for (let i = 0; i < data.length; i++) data[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  const out = { data, algorithm: SYMMETRIC_NAME[Number(algo)] ?? null };
  if (aead !== undefined) out.aeadAlgorithm = aead === null ? undefined : AEAD_NAME[aead];
  return out;
}

/** OpenPGP.js's { data, algorithm, aeadAlgorithm? } → { key: 'ALGO:HEX', aead: 1 | 2 | 3 | undefined } for the engine. */
function sessionKeyInput(call, k, name) {
  checkOptions(call, k, OPTIONS.sessionKey, name);
  checkBytes(`${name}.data`, k.data);
  const id = typeof k.algorithm === 'string' ? SYMMETRIC[k.algorithm] : undefined;
  if (id === undefined) throw new RangeError(`${name}.algorithm must be one of ${Object.keys(SYMMETRIC).join(', ')}`);
  let aead;
  if (k.aeadAlgorithm != null) {
    aead = AEAD[k.aeadAlgorithm];
    if (aead === undefined) throw new RangeError(`${name}.aeadAlgorithm must be one of ${Object.keys(AEAD).join(', ')}`);
  }
  return { key: `${id}:${toHex(k.data)}`, aead };
}

/**
 * Session keys as the engine takes them, 'ALGO:HEX' (SOP's form), from either that form or
 * OpenPGP.js's { data: Uint8Array, algorithm: 'aes256' | … } (its aeadAlgorithm, when given,
 * must be a string or null: a SEIPDv2 packet names its own AEAD mode).
 */
function sessionKeyStrings(v) {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((k, i) => {
    const name = `sessionKeys[${i}]`;
    if (typeof k === 'string') return k;
    // A SEIPDv2 packet names its own cipher and AEAD mode: the key's aeadAlgorithm is checked only.
    return sessionKeyInput('decrypt', k, name).key;
  });
}

/** A message: literal data to encrypt or sign, or an encoded OpenPGP message. */
export class Message {
  #text;
  /** @internal */
  constructor(kind, data, isText, text, filename) {
    this.kind = kind;
    this.data = data;
    this.isText = isText;
    this.#text = text;
    /** createMessage({ filename }): the literal data's file name, written when encrypted or signed. */
    this.filename = filename;
  }

  /** The file name given to createMessage() (OpenPGP.js: the literal packet's), or null. */
  getFilename() {
    return this.kind === 'literal' ? (this.filename ?? null) : null;
  }

  /**
   * The key IDs of the message's public-key encrypted session keys (a wildcard recipient is
   * 0000000000000000): read from the packets before the encrypted data, nothing decrypted or
   * checked.  Unlike OpenPGP.js (synchronous), a Promise: the packets are read in the crypto
   * instance.  A createMessage() message: [].
   */
  async getEncryptionKeyIDs() {
    return (await this.#keyIds())?.encryptionKeyIds.map((h) => new KeyID(h)) ?? [];
  }

  /**
   * The key IDs of the signers of a signed (not encrypted) message, from its one-pass signature
   * packets (else its signature packets); [] for an encrypted or createMessage() message.  A
   * Promise, as getEncryptionKeyIDs.
   */
  async getSigningKeyIDs() {
    return (await this.#keyIds())?.signingKeyIds.map((h) => new KeyID(h)) ?? [];
  }

  async #keyIds() {
    if (this.kind !== 'encoded') return null;
    if (isStream(this.data)) throw new SealpostError('STREAM_NOT_SUPPORTED', 'the key IDs of a stream-backed message: read it into memory first');
    return current().call('messageKeyIds', this.data);
  }

  /**
   * The text of a createMessage() message: the text as given (a ReadableStream of strings for a
   * text stream), or its binary data decoded as UTF-8, as OpenPGP.js does.  A readMessage()
   * message is not parsed here (OpenPGP.js gives the literal text of a signed message and null
   * for an encrypted one): UNSUPPORTED, use verify() or decrypt().
   */
  getText() {
    if (this.kind === 'encoded') {
      throw new SealpostError('UNSUPPORTED', 'getText() of a readMessage() message: sealpost does not parse it here; verify() or decrypt() it');
    }
    if (this.#text !== undefined) return this.#text;
    if (isStream(this.data)) {
      if (this.isText) return this.data;
      throw new SealpostError('STREAM_NOT_SUPPORTED', 'getText() of a binary stream message: decode the stream itself');
    }
    return dec.decode(this.data);
  }

  /**
   * A readMessage() message as armored text (`-----BEGIN PGP MESSAGE-----`), re-armored from its
   * bytes as OpenPGP.js does.  A createMessage() message is literal data that is not yet an
   * OpenPGP message (sealpost writes the literal packet only when it encrypts or signs):
   * UNSUPPORTED; a stream-backed message: STREAM_NOT_SUPPORTED.
   */
  async armor() {
    return current().call('armor', await this.write(), 'message');
  }

  /** A readMessage() message's binary encoding (the same refusals as armor()). */
  async write() {
    if (this.kind !== 'encoded') {
      throw new SealpostError('UNSUPPORTED', 'a createMessage() message is literal data, not yet an OpenPGP message: encrypt() or sign() it');
    }
    if (isStream(this.data)) throw new SealpostError('STREAM_NOT_SUPPORTED', 'armor()/write() of a stream-backed message: pipe the stream itself');
    return typeof this.data === 'string' ? current().call('dearmor', this.data) : this.data.slice();
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

/**
 * createMessage({ text }) or createMessage({ binary }); either may be a
 * ReadableStream (of strings / Uint8Arrays) to encrypt in bounded memory.
 */
export async function createMessage(options) {
  checkOptions('createMessage', options, OPTIONS.createMessage);
  const { filename } = options;
  if (filename !== undefined) {
    checkString('filename', filename);
    if (enc.encode(filename).length > 255) throw new RangeError('filename is at most 255 bytes (UTF-8)');
  }
  if (options.text !== undefined) {
    if (isStream(options.text)) return new Message('literal', options.text, true, undefined, filename);
    checkString('text', options.text);
    return new Message('literal', enc.encode(options.text), true, options.text, filename);
  }
  if (options.binary !== undefined) {
    if (isStream(options.binary)) return new Message('literal', options.binary, false, undefined, filename);
    checkBytes('binary', options.binary);
    return new Message('literal', options.binary, false, undefined, filename);
  }
  throw new TypeError('options.text or options.binary is required');
}

/**
 * readMessage({ armoredMessage }) or readMessage({ binaryMessage }); either
 * may be a ReadableStream, to decrypt in bounded memory.
 */
export async function readMessage(options) {
  checkOptions('readMessage', options, OPTIONS.readMessage);
  checkConfig('readMessage', options.config);
  for (const name of ['armoredMessage', 'binaryMessage']) {
    if (isStream(options[name])) return new Message('encoded', options[name], false);
  }
  return new Message('encoded', await readInput(options, ['armoredMessage', 'binaryMessage']), false);
}

/** createCleartextMessage({ text }): for cleartext signatures. */
export async function createCleartextMessage(options) {
  checkOptions('createCleartextMessage', options, OPTIONS.createCleartextMessage);
  checkString('text', options.text);
  return new CleartextMessage(options.text, null);
}

/** readCleartextMessage({ cleartextMessage }): a '-----BEGIN PGP SIGNED MESSAGE-----' text. */
export async function readCleartextMessage(options) {
  checkOptions('readCleartextMessage', options, OPTIONS.readCleartextMessage);
  checkConfig('readCleartextMessage', options.config);
  checkString('cleartextMessage', options.cleartextMessage);
  if (!options.cleartextMessage.trimStart().startsWith('-----BEGIN PGP SIGNED MESSAGE-----')) {
    throw new SealpostError('MALFORMED_INPUT', 'not a cleartext signed message');
  }
  return new CleartextMessage(null, options.cleartextMessage);
}

/** readSignature({ armoredSignature }) or readSignature({ binarySignature }). */
export async function readSignature(options) {
  checkOptions('readSignature', options, OPTIONS.readSignature);
  checkConfig('readSignature', options.config);
  return new Signature(await readInput(options, ['armoredSignature', 'binarySignature']));
}

function output(bytes, format) {
  return format === 'armored' ? dec.decode(bytes) : bytes;
}

/** `stream: true` documents (and, for TypeScript, types) a streamed call. */
function checkStreamHint(stream, message) {
  if (stream === undefined) return;
  if (typeof stream !== 'boolean') throw new TypeError('stream must be a boolean');
  if (stream !== isStream(message.data)) {
    throw new TypeError(stream ? 'stream: true needs a message made from a ReadableStream' : 'the message is a ReadableStream; pass stream: true or omit it');
  }
}

/**
 * sign and verify take bytes, not a ReadableStream (the wasm API streams encryption and
 * decryption only): refused with STREAM_NOT_SUPPORTED before anything reaches the crypto
 * instance (posting a stream to the worker would throw DataCloneError).
 */
function noStream(call, m, name = 'message') {
  if (isStream(m.data)) {
    throw new SealpostError('STREAM_NOT_SUPPORTED', `${call}: the ${name} is a ReadableStream; ${call} takes bytes or text (read the stream first), only encrypt and decrypt stream`);
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
  checkOptions('encrypt', options, OPTIONS.encrypt);
  const { message, encryptionKeys, signingKeys, passwords, format = 'armored', stream, sessionKey } = options;
  const config = checkConfig('encrypt', options.config, CONFIG.encrypt);
  const signal = checkSignal(options.signal);
  const onProgress = checkProgress(options.onProgress);
  checkMessage('message', message, ['literal']);
  checkStreamHint(stream, message);
  checkFormat(format, ['armored', 'binary', 'object']);
  const recipients = keyList('encryptionKeys', encryptionKeys);
  const pws = optionalStrings('passwords', passwords);
  const sk = sessionKey === undefined ? undefined : sessionKeyInput('encrypt', sessionKey, 'sessionKey');
  if (recipients.length === 0 && pws.length === 0 && !sk) throw new TypeError('encryptionKeys, passwords or sessionKey is required');
  // format 'object': a Message, as readMessage() of the binary output gives it.
  const wire = format === 'object' ? 'binary' : format;
  const options_ = {
    recipients,
    signers: keyList('signingKeys', signingKeys, { privateOnly: true }),
    passwords: pws,
    armor: wire === 'armored',
    forceAead: Boolean(config.aeadProtect),
    text: message.isText,
    sessionKey: sk,
    filename: message.filename,
  };
  const be = current();
  const used = [encryptionKeys, signingKeys];
  let out;
  if (isStream(message.data)) out = encryptStream(be, options_, message.data, wire, used, signal, onProgress);
  else if (onProgress && message.data.length >= PROGRESS_MIN) {
    const { parts, result } = await holding(used, chunked(be, 'encryptStart', options_, message.data, signal, onProgress));
    parts.push(result);
    out = output(concat(parts), wire);
  } else {
    progress(onProgress, 0, message.data.length);
    out = output(await holding(used, runCall(be, 'encrypt', [{ ...options_, data: message.data }], signal)), wire);
    progress(onProgress, message.data.length, message.data.length);
  }
  return format === 'object' ? new Message('encoded', out, false) : out;
}

// Progress (the onProgress option): buffered calls on inputs of PROGRESS_MIN bytes or more go
// through the stream calls, CHUNK bytes at a time, and report after each chunk.
const CHUNK = 1 << 20;
const PROGRESS_MIN = 4 << 20;

function checkProgress(f) {
  if (f !== undefined && typeof f !== 'function') throw new TypeError('onProgress must be a function');
  return f;
}

/** Calls onProgress({ processed, total }); a callback that throws does not break the call. */
function progress(onProgress, processed, total) {
  if (!onProgress) return;
  try {
    onProgress({ processed, total });
  } catch {
    // ignored
  }
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A buffered input run through the stream calls (startOp, streamPush per CHUNK, streamFinish):
 * { parts: the pushes' output, result: streamFinish's }.  On any error the stream is dropped
 * and the output so far zeroed (nothing partial is returned).
 */
async function chunked(be, startOp, options, data, signal, onProgress) {
  const bytes = typeof data === 'string' ? enc.encode(data) : data;
  const started = await runCall(be, startOp, [options], signal);
  const parts = [started.output];
  let id = started.id;
  try {
    progress(onProgress, 0, bytes.length);
    for (let at = 0; at < bytes.length; at += CHUNK) {
      throwIfAborted(signal);
      // A copy of the chunk: a view would post (clone) the whole buffer to a worker.
      parts.push(await runCall(be, 'streamPush', [id, bytes.slice(at, at + CHUNK)], signal));
      progress(onProgress, Math.min(at + CHUNK, bytes.length), bytes.length);
    }
    const result = await runCall(be, 'streamFinish', [id], signal);
    id = null;
    return { parts, result };
  } catch (e) {
    if (id !== null) be.call('streamAbort', id).catch(() => {});
    for (const p of parts) p.fill(0);
    throw e;
  }
}

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

/**
 * Decrypts: decrypt({ message, decryptionKeys, passwords, sessionKeys, verificationKeys, expectSigned, format, returnSessionKey }).
 * sessionKeys are 'ALGO:HEX' strings (SOP's form); returnSessionKey adds `sessionKey` in that form.
 * Returns { data, signatures }; data is a string (format 'utf8', default) or Uint8Array ('binary').
 * No data is returned unless the whole message authenticated; with expectSigned, unless a
 * signature by a verificationKeys key is valid.
 */
export async function decrypt(options) {
  checkOptions('decrypt', options, OPTIONS.decrypt);
  checkConfig('decrypt', options.config);
  const { message, decryptionKeys, passwords, verificationKeys, expectSigned = false, format = 'utf8', maxPlaintext, limits, stream, sessionKeys, returnSessionKey = false } = options;
  checkMessage('message', message, ['encoded']);
  checkStreamHint(stream, message);
  checkFormat(format, ['utf8', 'binary']);
  const signal = checkSignal(options.signal);
  const onProgress = checkProgress(options.onProgress);
  const keys = keyList('decryptionKeys', decryptionKeys, { privateOnly: true });
  const pws = optionalStrings('passwords', passwords);
  const sks = sessionKeyStrings(sessionKeys);
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
  const used = [decryptionKeys, verificationKeys];
  if (isStream(message.data)) {
    return decryptStream(be, options_, message.data, format, used, signal, onProgress);
  }
  let r;
  if (onProgress && message.data.length >= PROGRESS_MIN && !returnSessionKey) {
    // The stream calls release plaintext as it authenticates; here it is only returned once
    // the whole message has (streamFinish), as in the buffered call.
    const { parts, result } = await holding(used, chunked(be, 'decryptStart', options_, message.data, signal, onProgress));
    parts.push(result.data);
    r = { ...result, data: concat(parts) };
    for (const p of parts) p.fill(0);
  } else {
    const total = message.data.length;
    progress(onProgress, 0, total);
    r = await holding(used, runCall(be, 'decrypt', [{ ...options_, data: message.data }], signal));
    progress(onProgress, total, total);
  }
  const result = {
    data: format === 'utf8' ? utf8Text(r.data) : r.data,
    signatures: signatureResults(r.signatures),
    filename: r.layers?.filename ?? null,
    layers: r.layers,
  };
  if (returnSessionKey) result.sessionKey = r.sessionKey;
  return result;
}

/**
 * Signs: sign({ message, signingKeys, detached, format }).  A CleartextMessage gives a
 * cleartext-signed text; a Message gives an inline-signed message or, with detached,
 * a signature.  Text messages get text signatures.
 */
export async function sign(options) {
  checkOptions('sign', options, OPTIONS.sign);
  checkConfig('sign', options.config);
  const { message, signingKeys, detached = false, format = 'armored' } = options;
  checkFormat(format, ['armored', 'binary', 'object']);
  const signal = checkSignal(options.signal);
  if (typeof detached !== 'boolean') throw new TypeError('detached must be a boolean');
  // As OpenPGP.js: a cleartext signature is armored text around the message, never detached.
  if (message instanceof CleartextMessage && format === 'binary') throw new TypeError('sign: a CleartextMessage cannot be signed in binary format');
  if (message instanceof CleartextMessage && detached) throw new TypeError('sign: a CleartextMessage cannot be detach-signed (sign a createMessage({ text }) with detached: true)');
  const signers = keyList('signingKeys', signingKeys, { privateOnly: true });
  if (signers.length === 0) throw new TypeError('signingKeys is required');
  let args;
  if (message instanceof CleartextMessage && message.text !== null) {
    args = { data: enc.encode(message.text), mode: 'cleartext', text: true, armor: true };
  } else {
    checkMessage('message', message, ['literal']);
    noStream('sign', message);
    args = { data: message.data, mode: detached ? 'detached' : 'inline', text: message.isText, armor: format === 'armored' };
  }
  const out = await holding(signingKeys, runCall(current(), 'sign', [{ ...args, signers }], signal));
  if (format === 'object') {
    // OpenPGP.js's objects: a CleartextMessage, a Signature, or a Message.
    if (args.mode === 'cleartext') return new CleartextMessage(null, output(out, 'armored'));
    return args.mode === 'detached' ? new Signature(out) : new Message('encoded', out, false);
  }
  return output(out, args.mode === 'cleartext' ? 'armored' : format);
}

/**
 * Verifies: verify({ message, signature, verificationKeys, expectSigned, format }).
 * message: a readCleartextMessage() or readMessage() (inline), or a createMessage() with a
 * readSignature() (detached).  Returns { data, signatures }.
 */
export async function verify(options) {
  checkOptions('verify', options, OPTIONS.verify);
  checkConfig('verify', options.config);
  const { message, signature, verificationKeys, expectSigned = false, format = 'utf8', maxPlaintext, limits } = options;
  checkFormat(format, ['utf8', 'binary']);
  const limits_ = limitOptions(limits, maxPlaintext, LIMITS_VERIFY);
  const signal = checkSignal(options.signal);
  const keys = keyList('verificationKeys', verificationKeys);
  let r;
  let data;
  if (signature !== undefined) {
    if (!(signature instanceof Signature)) throw new TypeError('signature must be a Signature from readSignature()');
    checkMessage('message', message, ['literal']);
    noStream('verify', message);
    noStream('verify', signature, 'signature');
    r = await holding(verificationKeys, runCall(current(), 'verify', [{ data: message.data, signature: signature.data, keys, requireSignature: Boolean(expectSigned), limits: limits_ }], signal));
    data = message.data;
  } else {
    let input;
    if (message instanceof CleartextMessage && message.armored !== null) input = message.armored;
    else {
      checkMessage('message', message, ['encoded']);
      noStream('verify', message);
      input = message.data;
    }
    r = await holding(verificationKeys, runCall(current(), 'verify', [{ data: input, keys, requireSignature: Boolean(expectSigned), limits: limits_ }], signal));
    data = r.data;
  }
  return { data: format === 'utf8' ? utf8Text(data) : data, signatures: signatureResults(r.signatures) };
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

/**
 * A fresh session key for `encryptionKeys` (OpenPGP.js's generateSessionKey): { data, algorithm,
 * aeadAlgorithm } with the cipher (and, for a SEIPDv2 message, the AEAD mode) encrypt() would
 * choose for them; without keys AES-256.  A secret: it opens every message encrypted with it.
 */
export async function generateSessionKey(options = {}) {
  checkOptions('generateSessionKey', options, OPTIONS.generateSessionKey);
  const config = checkConfig('generateSessionKey', options.config, CONFIG.generateSessionKey);
  const recipients = keyList('encryptionKeys', options.encryptionKeys);
  const r = await holding(options.encryptionKeys, current().call('generateSessionKey', { recipients, forceAead: Boolean(config.aeadProtect) }));
  return sessionKeyObject(r.sessionKey, r.aead);
}

/**
 * The session key packets that give a session key to `encryptionKeys` and `passwords`
 * (OpenPGP.js's encryptSessionKey({ data, algorithm, aeadAlgorithm, … })): an armored
 * message (format 'armored'), its bytes ('binary') or a Message ('object').  With
 * aeadAlgorithm, v6 packets for a SEIPDv2 message; sealpost's encrypt({ sessionKey }) with the
 * same inputs writes the same kind.
 */
export async function encryptSessionKey(options) {
  checkOptions('encryptSessionKey', options, OPTIONS.encryptSessionKey);
  checkConfig('encryptSessionKey', options.config);
  const { data, algorithm, aeadAlgorithm, encryptionKeys, passwords, format = 'armored' } = options;
  checkFormat(format, ['armored', 'binary', 'object']);
  const sessionKey = sessionKeyInput('encryptSessionKey', { data, algorithm, ...(aeadAlgorithm !== undefined && { aeadAlgorithm }) }, 'options');
  const recipients = keyList('encryptionKeys', encryptionKeys);
  const pws = optionalStrings('passwords', passwords);
  if (recipients.length === 0 && pws.length === 0) throw new TypeError('encryptionKeys or passwords is required');
  const armor = format === 'armored';
  const out = await holding(encryptionKeys, runCall(current(), 'encryptSessionKey', [{ recipients, passwords: pws, sessionKey, armor }], checkSignal(options.signal)));
  if (format === 'object') return new Message('encoded', out, false);
  return output(out, format);
}

/**
 * The session keys of a message (OpenPGP.js's decryptSessionKeys): [{ data, algorithm }].
 * sealpost finds the one that opens the message by decrypting it whole in the crypto instance
 * (so it is the key the message authenticated with; the plaintext is dropped there): one key,
 * or the decrypt() error (NO_MATCHING_KEY, DECRYPTION_FAILED, …).  For SEIPDv2 (whose packet
 * names its cipher) `algorithm` is that cipher.
 */
export async function decryptSessionKeys(options) {
  checkOptions('decryptSessionKeys', options, OPTIONS.decryptSessionKeys);
  checkConfig('decryptSessionKeys', options.config);
  const { message, decryptionKeys, passwords } = options;
  checkMessage('message', message, ['encoded']);
  noStream('decryptSessionKeys', message);
  const keys = keyList('decryptionKeys', decryptionKeys, { privateOnly: true });
  const pws = optionalStrings('passwords', passwords);
  if (keys.length === 0 && pws.length === 0) throw new TypeError('decryptionKeys or passwords is required');
  const found = await holding(decryptionKeys, runCall(current(), 'decryptSessionKeys', [{ keys, passwords: pws, data: message.data }], checkSignal(options.signal)));
  return found.map((k) => sessionKeyObject(k));
}
