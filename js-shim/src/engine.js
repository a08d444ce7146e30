// The engine runs where the wasm lives: in the page (direct mode) or in a
// dedicated Worker (worker mode, the browser default).  It owns every key
// as a wasm object in a handle table; callers only ever hold handles.
// Each method takes and returns structured-cloneable data.
//
// Handles and stream ids are 128 random bits (hex), never reused: a script
// cannot guess the handle of a key it was not given.
//
// The export rule (strict engines: worker mode and direct mode in a page).
// Every key handle belongs to a *lineage*: the secret material it was made
// from.  A lineage is `protected` once it has ever been passphrase-locked
// (generated with a passphrase, read with any secret locked, or locked once
// with lockKey) and then holds its *locked form*, the exact locked bytes;
// otherwise it is unprotected.  Derived keys (unlockKey, publicKey, revokeKey,
// mergeKey) keep their source's lineage.  Then:
//   - exporting the secret key of a protected lineage returns its locked form
//     with the handle's public parts (new revocations, merged signatures)
//     merged in: the secret packets are the locked form's, never a copy locked
//     afresh (whatever the handle: locked or unlocked);
//   - unlocking checks the passphrase against the locked form when the handle
//     has nothing locked left (an unlocked handle does not open with any
//     passphrase);
//   - lockKey only on an unprotected lineage, once (KEY_PROTECTED otherwise);
//   - a new passphrase only through changePassphrase, which opens the
//     lineage's locked form with the old passphrase (an unlocked handle
//     proves nothing) and yields a new lineage;
//   - an unlocked secret key of an unprotected lineage is never exported
//     (EXPORT_REFUSED).
// So no sequence of calls yields secret material that opens without a
// passphrase its owner set, except a key its owner never protected, which
// may be locked once, by whoever holds it first.
//
// lockAfter (unlockKey): the unlocked handle starts an idle timer *group*.
// Every unlocked handle derived from a member (unlockKey, revokeKey,
// mergeKey) joins the member's groups, and so does every stream started
// with a member as signer or decryption key.  Using any of them restarts the
// group's clock; when it runs out, every member handle is dropped (KEY_LOCKED)
// and every member stream is aborted (KEY_LOCKED).

// The full module on demand (issue 23).  A package built with the default module (without the
// rare algorithms) knows the full module's URL and SHA-384.  A call whose error says
// missing: 'algorithm' makes onDemand (below) fetch the full module with that integrity, compile
// it, and moveToModule: every key's bytes are read out of the default instance (locked keys as
// they are, unlocked ones as unencrypted secret bytes that never leave this thread), the glue is
// re-instantiated on the full module, each key is read back under the same handle (its lineage,
// lockAfter groups and locked form are the handle table's, untouched), each byte buffer is
// zeroed, and so is the default instance's whole memory.  Live streams cannot move (their state
// is the old instance's): they are dropped, and later use of one fails ABORTED.

import { finishCfb } from './cfb.js';

/**
 * Buffered encryptions of this many bytes or more that make a SEIPDv1 message with AES finish
 * with WebCrypto (cfb.js): below it, its few async steps cost more than wasm's CFB.
 */
export const CFB_WEBCRYPTO_MIN = 64 << 10;

/** engine → its moveToModule (not an op: the page cannot call it). */
const movers = new WeakMap();

/**
 * Runs the engine's ops for a backend (worker or direct), switching to the full module once when
 * a call fails with missing: 'algorithm' and `fetchFull` is given (() => Promise<WebAssembly.Module>,
 * the full module checked against its pinned SHA-384).  The failed call is run again once on the
 * full module; calls that arrive during the switch wait for it.  A failed fetch (INTEGRITY_FAILED,
 * a network error) fails that call and leaves the default instance as it was; a later call that
 * needs the full module tries again.  Stream ops (push, finish, abort) do not switch: a stream's
 * state cannot be carried over.
 * @returns {{ call(op: string, args: any[]): Promise<any>, readonly fetches: number, readonly full: boolean }}
 */
export function onDemand(engine, wasm, fetchFull) {
  let switching = null;
  let full = !fetchFull || typeof wasm.__sealpost_use_module !== 'function';
  let fetches = 0;
  const noRetry = new Set(['streamPush', 'streamFinish', 'streamAbort', 'release']);

  function switchToFull() {
    switching ??= (async () => {
      fetches++;
      const module = await fetchFull();
      movers.get(engine)(() => wasm.__sealpost_use_module(module));
      full = true;
    })().finally(() => {
      switching = null;
    });
    return switching;
  }

  return {
    get fetches() {
      return fetches;
    },
    get full() {
      return full;
    },
    async call(op, args) {
      // What the package can generate, before the switch too: the full module's types count.
      if (op === 'supportedKeyTypes' && !full) return wasm.supportedKeyTypes(true);
      // A switch under way: wait for it (its failure is the call's that started it).
      while (switching) await switching.catch(() => {});
      try {
        // (await: an async op's rejection is caught here too)
        return await engine[op](...args);
      } catch (err) {
        if (full || !err || err.missing !== 'algorithm') throw err;
        if (noRetry.has(op)) {
          // A stream can neither move to another module nor be read again: it fails as it is,
          // and the switch is made for the calls after it (a new stream runs on the full module).
          await (switching ?? switchToFull()).catch(() => {});
          throw err;
        }
        if (switching) await switching.catch(() => {});
        else await switchToFull();
        if (!full) throw err;
        return engine[op](...args);
      }
    },
  };
}

/** 128 random bits as hex: a handle or stream id. */
function randomId() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/**
 * @param {typeof import('./wasm/index.js')} wasm
 * @param {{ exportUnlocked: boolean }} options  whether unencrypted secret key
 *   material may leave the engine (true only in Node, where there is no page
 *   to keep keys from).  false: the export rule above holds.
 */
export function createEngine(wasm, { exportUnlocked }) {
  const strict = !exportUnlocked;
  /** handle → { key, lineage, groups?: Set<group> }; group: { ms, timer, handles: Set, streams: Set } */
  const keys = new Map();
  /** Handles and stream ids dropped by a lockAfter group running out. */
  const relocked = new Set();
  const relockedStreams = new Set();

  function fail(code, message) {
    return new wasm.SealpostError(code, message);
  }

  /** The locked form of a wasm key, as the lineage keeps it. */
  function lockedForm(key) {
    return { bytes: key.toBytes(true) };
  }

  /** The lineage of a key that enters the engine (read or generated). */
  function lineageOf(key, info = key.info()) {
    const secrets = info.keys.filter((k) => k.hasSecret);
    if (!info.isSecret || secrets.length === 0) return { locked: null };
    // Any secret locked (partial keys too): the key as given is its locked form.
    return { locked: secrets.some((k) => k.secretLocked) ? lockedForm(key) : null };
  }

  /** Whether any secret of a key (info()) is unlocked. */
  function hasOpenSecret(info) {
    return info.keys.some((k) => k.hasSecret && !k.secretLocked);
  }

  /**
   * A new handle for `key` (a key entering the engine gets its own lineage);
   * if it holds an unlocked secret, it joins the lockAfter `groups`.
   */
  function put(key, lineage, groups, info = key.info()) {
    lineage ??= lineageOf(key, info);
    let handle;
    do handle = randomId();
    while (keys.has(handle) || relocked.has(handle));
    const e = { key, lineage };
    if (groups && groups.size && hasOpenSecret(info)) {
      e.groups = new Set(groups);
      for (const g of e.groups) {
        g.handles.add(handle);
        touch(g);
      }
    }
    keys.set(handle, e);
    return { handle, info };
  }

  /**
   * The public key of a key just put (`ref`), as a new handle of its lineage.  Its info is ref's
   * with no secret: the same public parts, so their self-signatures are not checked again.
   */
  function putPublic(ref) {
    const { key, lineage } = keys.get(ref.handle);
    const info = {
      ...ref.info,
      isSecret: false,
      isLocked: false,
      userIds: ref.info.userIds.map((u) => ({ ...u })),
      keys: ref.info.keys.map((k) => ({ ...k, flags: { ...k.flags }, hasSecret: false, secretLocked: false })),
    };
    return put(key.toPublic(), lineage, undefined, info);
  }

  /** generateKey's and reformatKey's `format` (the second argument's). */
  function keyFormat({ format = 'object' } = {}) {
    if (!['object', 'armored', 'binary'].includes(format)) throw fail('INVALID_ARGUMENT', "format must be 'object', 'armored' or 'binary'");
    return format;
  }

  /**
   * A new key (`ref`, just put) with its public key, in one answer.  format 'object': their
   * handles, { key, publicKey, revocationCertificate }; 'armored' or 'binary': both exported under
   * the export rule (exportKey) and their handles dropped, { privateKey, publicKey, revocationCertificate }.
   */
  function keyPair(ref, revocationCertificate, format) {
    const publicKey = putPublic(ref);
    if (format === 'object') return { key: ref, publicKey, revocationCertificate };
    try {
      const armor = format === 'armored';
      return { privateKey: engine.exportKey(ref.handle, { secret: true, armor }), publicKey: engine.exportKey(publicKey.handle, { armor }), revocationCertificate };
    } finally {
      drop(ref.handle);
      drop(publicKey.handle);
    }
  }

  function entry(handle) {
    const e = typeof handle === 'string' ? keys.get(handle) : undefined;
    if (!e && relocked.has(handle)) throw fail('KEY_LOCKED', 'the unlocked key was left idle past its lockAfter and was dropped: unlock the locked key again');
    if (!e) throw fail('KEY_DISPOSED', 'the key handle is not (or no longer) valid');
    if (e.groups) for (const g of e.groups) touch(g);
    return e;
  }

  function get(handle) {
    return entry(handle).key;
  }

  function drop(handle) {
    const e = keys.get(handle);
    if (!e) return;
    keys.delete(handle);
    if (e.groups) for (const g of e.groups) leave(g, () => g.handles.delete(handle));
    e.key.free();
  }

  /** A new lockAfter group (its first member joins through put). */
  function idleGroup(ms) {
    return { ms, timer: null, handles: new Set(), streams: new Set() };
  }

  /** Restarts a lockAfter group's clock. */
  function touch(g) {
    clearTimeout(g.timer);
    g.timer = setTimeout(() => expire(g), g.ms);
    g.timer.unref?.();
  }

  /** Removes a member from a group; an empty group stops its clock. */
  function leave(g, remove) {
    remove();
    if (g.handles.size === 0 && g.streams.size === 0) clearTimeout(g.timer);
  }

  /** A group left idle past its lockAfter: its unlocked handles are dropped, its streams aborted. */
  function expire(g) {
    clearTimeout(g.timer);
    for (const h of [...g.handles]) {
      drop(h);
      relocked.add(h);
    }
    for (const id of [...g.streams]) {
      dropStream(id);
      relockedStreams.add(id);
    }
  }

  /** The groups of the handles a call uses (for a stream that keeps copies of them). */
  function groupsOf(handles) {
    const out = new Set();
    for (const h of handles) for (const g of keys.get(h)?.groups ?? []) out.add(g);
    return out;
  }

  /** A locked form as a wasm key (the caller frees it). */
  function readLocked(lineage) {
    return wasm.readKeys(lineage.locked.bytes)[0];
  }

  /** Fingerprints of the keys of `info` that hold an unlocked secret. */
  function openSecrets(info) {
    return info.keys.filter((k) => k.hasSecret && !k.secretLocked).map((k) => k.fingerprint);
  }

  /** Fingerprints of the keys the lineage's locked form holds a secret of. */
  function lockedFingerprints(locked) {
    return new Set(locked.info().keys.filter((k) => k.hasSecret).map((k) => k.fingerprint));
  }

  /**
   * `key` (a handle of the lineage) with the lineage's locked form's secret packets: its public
   * parts (new revocations, merged signatures, a reformat's user IDs) are the handle's, the
   * secret packets the locked form's, never a copy locked afresh.  A handle holding an unlocked
   * secret the locked form lacks (a subkey added to it) is refused: lock it first (encryptKey
   * with the key's passphrase).  The caller frees the result.
   */
  function lockedWith(lineage, key, info = key.info()) {
    const locked = readLocked(lineage);
    try {
      const held = lockedFingerprints(locked);
      if (openSecrets(info).some((fp) => !held.has(fp))) {
        throw fail('EXPORT_REFUSED', 'a subkey added to a passphrase-protected key is unlocked: lock it with encryptKey and the key\'s passphrase first');
      }
      return wasm.withSecretsOf(key, locked);
    } finally {
      locked.free();
    }
  }

  /** stream id → { s, groups } */
  const streams = new Map();
  /** Stream ids dropped by a switch to the full module. */
  const movedStreams = new Set();

  function putStream(s, handles) {
    let id;
    do id = randomId();
    while (streams.has(id) || relockedStreams.has(id) || movedStreams.has(id));
    const groups = groupsOf(handles);
    streams.set(id, { s, groups });
    for (const g of groups) {
      g.streams.add(id);
      touch(g);
    }
    return id;
  }

  function getStream(id) {
    const rec = typeof id === 'string' ? streams.get(id) : undefined;
    if (!rec && relockedStreams.has(id)) throw fail('KEY_LOCKED', 'a key of this stream was left idle past its lockAfter and was dropped: the stream was aborted');
    if (!rec && movedStreams.has(id)) throw fail('ABORTED', 'the stream was aborted: the crypto module was replaced by the full one while it ran (start it again)');
    if (!rec) throw fail('INVALID_ARGUMENT', 'the stream is finished or unknown');
    for (const g of rec.groups) touch(g);
    return rec;
  }

  /** Forgets a stream (finished, aborted or relocked); returns its wasm stream, or undefined. */
  function takeStream(id) {
    const rec = streams.get(id);
    if (!rec) return undefined;
    streams.delete(id);
    for (const g of rec.groups) leave(g, () => g.streams.delete(id));
    return rec.s;
  }

  function dropStream(id) {
    takeStream(id)?.free();
  }

  function encryption({ recipients = [], signers = [], signerPassphrases = [], passwords = [], armor = true, forceAead = false, text = false, sessionKey, filename }) {
    const e = new wasm.Encryption();
    try {
      for (const h of recipients) e.addRecipient(get(h));
      for (const h of signers) e.addSigner(get(h));
      for (const p of signerPassphrases) e.addSignerPassphrase(p);
      for (const p of passwords) e.addPassword(p);
      e.setArmor(armor);
      e.setForceAead(forceAead);
      e.setText(text);
      // sessionKey: { key: 'ALGO:HEX', aead: 1 | 2 | 3 | undefined }
      if (sessionKey !== undefined) e.setSessionKey(sessionKey.key, sessionKey.aead);
      if (filename !== undefined) e.setFilename(filename);
      return e;
    } catch (err) {
      e.free();
      throw err;
    }
  }

  function decryption({ keys: keyHandles = [], keyPassphrases = [], passwords = [], verification = [], requireSignature = false, limits, sessionKeys = [], returnSessionKey = false }) {
    const d = new wasm.Decryption();
    try {
      for (const h of keyHandles) d.addKey(get(h));
      for (const p of keyPassphrases) d.addKeyPassphrase(p);
      for (const p of passwords) d.addPassword(p);
      for (const h of verification) d.addVerificationKey(get(h));
      d.setRequireSignature(requireSignature);
      if (limits) d.setLimits(limits);
      for (const k of sessionKeys) d.addSessionKey(k);
      d.setReturnSessionKey(returnSessionKey);
      return d;
    } catch (err) {
      d.free();
      throw err;
    }
  }

  function mailOperation({ recipients = [], signers = [], signerPassphrases = [], keys: keyHandles = [], keyPassphrases = [], verification = [], autocrypt = false, preferMutual = false }) {
    const m = new wasm.MailOperation();
    try {
      for (const h of recipients) m.addRecipient(get(h));
      for (const h of signers) m.addSigner(get(h));
      for (const p of signerPassphrases) m.addSignerPassphrase(p);
      for (const h of keyHandles) m.addKey(get(h));
      for (const p of keyPassphrases) m.addKeyPassphrase(p);
      for (const h of verification) m.addVerificationKey(get(h));
      m.setAutocrypt(autocrypt, preferMutual);
      return m;
    } catch (err) {
      m.free();
      throw err;
    }
  }

  /**
   * encrypt's WebCrypto path: the pending message finished by cfb.js, armored unless
   * options.armor is false.  Should WebCrypto fail (an environment without AES-CBC or SHA-1 in
   * it), the message is encrypted again whole in wasm: the call still succeeds.
   */
  async function finishCfbOrWasm(pending, subtle, options) {
    let message;
    try {
      message = await finishCfb(pending, subtle);
    } catch {
      pending.message.fill(0);
      return withBuilder(encryption(options), (e) => e.encrypt(options.data));
    }
    return options.armor === false ? message : wasm.armorMessage(message);
  }

  function withBuilder(builder, fn) {
    try {
      return fn(builder);
    } finally {
      builder.free();
    }
  }

  /**
   * lockKey on a protected lineage: only the secrets its locked form lacks (subkeys added since)
   * are locked, with the lineage's own passphrase (it must open the locked form:
   * BAD_PASSPHRASE); the lineage's locked form grows by them.  Nothing to lock: KEY_PROTECTED.
   */
  function lockAdded(key, lineage, passphrase) {
    const locked = readLocked(lineage);
    try {
      const held = lockedFingerprints(locked);
      if (!openSecrets(key.info()).some((fp) => !held.has(fp))) {
        throw fail('KEY_PROTECTED', 'this key already has a passphrase: only changeKeyPassphrase, with the current passphrase, sets a new one');
      }
      wasm.unlockKey(locked, passphrase).free();
      const fresh = wasm.lockKey(key, passphrase);
      let grown;
      try {
        grown = wasm.withSecretsOf(fresh, locked);
      } finally {
        fresh.free();
      }
      lineage.locked = lockedForm(grown);
      return put(grown, lineage);
    } finally {
      locked.free();
    }
  }

  /**
   * OpenPGP.js's reformatKey: the key material bound anew (wasm reformatKey).  The result keeps
   * the lineage (the same secrets).  With a passphrase: a never-protected lineage is locked with
   * it, once, as lockKey does; a protected one takes only its own passphrase (checked against
   * the locked form, else KEY_PROTECTED) and the result carries the locked form's secret packets.
   */
  function reformat(handle, { passphrase, ...options }) {
    const { key, lineage, groups } = entry(handle);
    if (strict && passphrase !== undefined && lineage.locked) {
      const locked = readLocked(lineage);
      try {
        wasm.unlockKey(locked, passphrase).free();
      } catch (err) {
        if (err.code === 'BAD_PASSPHRASE') throw fail('KEY_PROTECTED', 'this key already has a passphrase: reformatKey takes only that one (changeKeyPassphrase sets a new one)');
        throw err;
      } finally {
        locked.free();
      }
    }
    const { privateKey, revocationCertificate } = wasm.reformatKey(key, options);
    if (passphrase === undefined) return { key: put(privateKey, lineage, groups), revocationCertificate };
    try {
      if (!strict) {
        const locked = wasm.lockKey(privateKey, passphrase);
        return { key: put(locked, { locked: lockedForm(locked) }), revocationCertificate };
      }
      if (lineage.locked) return { key: put(lockedWith(lineage, privateKey), lineage), revocationCertificate };
      const locked = wasm.lockKey(privateKey, passphrase);
      lineage.locked = lockedForm(locked);
      return { key: put(locked, lineage), revocationCertificate };
    } finally {
      privateKey.free();
    }
  }

  /**
   * The switch to another module (see onDemand): `swap()` re-instantiates the glue.  Every key
   * keeps its handle and entry; only its wasm object is new.  Streams are dropped.
   */
  function moveToModule(swap) {
    const moving = [];
    try {
      // Read every key out first: an error here leaves the default instance and its keys as they were.
      for (const [handle, e] of keys) moving.push({ handle, e, bytes: e.key.toBytes(true) });
      for (const id of [...streams.keys()]) {
        dropStream(id);
        movedStreams.add(id);
      }
      for (const m of moving) {
        m.e.key.free();
        m.e.key = null;
      }
      // The default instance is dropped; the glue's switch zeroes its memory.
      swap();
      for (const m of moving) {
        try {
          const [key, ...rest] = wasm.readKeys(m.bytes);
          for (const r of rest) r.free();
          m.e.key = key;
        } catch (err) {
          if (err instanceof WebAssembly.RuntimeError) throw err;
          // Never expected (the full module reads all the default one writes): that handle is gone.
        }
      }
    } finally {
      for (const m of moving) {
        m.bytes.fill(0);
        if (m.e.key === null) {
          keys.delete(m.handle);
          if (m.e.groups) for (const g of m.e.groups) leave(g, () => g.handles.delete(m.handle));
        }
      }
    }
  }

  const engine = {
    /** A new key and its public key in one call (one message each way in worker mode): see keyPair. */
    generateKey(options, output) {
      const format = keyFormat(output);
      const { privateKey, revocationCertificate } = wasm.generateKey(options);
      return keyPair(put(privateKey), revocationCertificate, format);
    },

    readKeys(data) {
      return wasm.readKeys(data).map((k) => put(k));
    },

    exportKey(handle, { secret = false, armor = true } = {}) {
      const { key, lineage } = entry(handle);
      const info = key.info();
      if (!secret || !info.isSecret) return armor ? key.toArmored(false) : key.toBytes(false);
      if (!strict) return armor ? key.toArmored(true) : key.toBytes(true);
      if (lineage.locked) {
        const form = lockedWith(lineage, key, info);
        try {
          return armor ? form.toArmored(true) : form.toBytes(true);
        } finally {
          form.free();
        }
      }
      if (hasOpenSecret(info)) {
        throw fail('EXPORT_REFUSED', 'an unlocked private key cannot leave the crypto worker: lock it first (encryptKey), or export the public key');
      }
      return armor ? key.toArmored(true) : key.toBytes(true);
    },

    publicKey(handle) {
      const { key, lineage } = entry(handle);
      return put(key.toPublic(), lineage);
    },

    unlockKey(handle, passphrase, { lockAfter } = {}) {
      const { key, lineage, groups } = entry(handle);
      if (lockAfter !== undefined && !(Number.isInteger(lockAfter) && lockAfter > 0 && lockAfter <= 2 ** 31 - 1)) {
        throw fail('INVALID_ARGUMENT', 'lockAfter must be a whole number of milliseconds > 0');
      }
      // Nothing locked left in this handle (an unlocked copy): the passphrase
      // must open the lineage's locked form, or an unlocked key would "unlock"
      // with any passphrase.
      if (lineage.locked && key.info().keys.every((k) => !(k.hasSecret && k.secretLocked))) {
        const locked = readLocked(lineage);
        try {
          wasm.unlockKey(locked, passphrase).free();
        } finally {
          locked.free();
        }
      }
      const unlocked = wasm.unlockKey(key, passphrase);
      // An unlocked copy of a timed handle keeps its timers; lockAfter adds one.
      const timers = new Set(groups ?? []);
      if (lockAfter !== undefined) timers.add(idleGroup(lockAfter));
      return put(unlocked, lineage, timers);
    },

    lockKey(handle, passphrase) {
      const { key, lineage } = entry(handle);
      if (strict && lineage.locked) return lockAdded(key, lineage, passphrase);
      const locked = wasm.lockKey(key, passphrase);
      if (!strict) return put(locked, { locked: lockedForm(locked) });
      // The lineage is protected from now on, with this locked form: every
      // handle of it (the unlocked one too) exports these bytes.
      lineage.locked = lockedForm(locked);
      return put(locked, lineage);
    },

    changePassphrase(handle, oldPassphrase, newPassphrase) {
      const { key, lineage } = entry(handle);
      if (!strict) {
        const changed = wasm.changePassphrase(key, oldPassphrase, newPassphrase);
        return put(changed, { locked: lockedForm(changed) });
      }
      if (!lineage.locked) return engine.lockKey(handle, newPassphrase);
      // The old passphrase must open the lineage's locked form (with this handle's public parts).
      const locked = lockedWith(lineage, key);
      let changed;
      try {
        changed = wasm.changePassphrase(locked, oldPassphrase, newPassphrase);
      } finally {
        locked.free();
      }
      return put(changed, { locked: lockedForm(changed) });
    },

    revokeKey(handle, reason, message, passphrase) {
      const { key, lineage, groups } = entry(handle);
      return put(wasm.revokeKey(key, reason, message, passphrase), lineage, groups);
    },

    revocationCertificate(handle, reason, message, passphrase) {
      return wasm.revocationCertificate(get(handle), reason, message, passphrase);
    },

    mergeKey(handle, updateHandle) {
      const { key, lineage, groups } = entry(handle);
      // Only the update's public parts are merged (sequoia's merge_public).
      return put(wasm.mergeKey(key, get(updateHandle)), lineage, groups);
    },

    // Edits with the key's own (unlocked) primary key: only public parts change (a user ID and
    // self-signatures, certifications), so the result keeps the source's lineage: its locked form
    // is still what the owner locked, with these parts merged in on export.
    addUserId(handle, userId) {
      const { key, lineage, groups } = entry(handle);
      return put(wasm.addUserId(key, userId), lineage, groups);
    },

    /** reformat (above), with the result's public key in the same answer: see keyPair. */
    reformatKey(handle, options, output) {
      const format = keyFormat(output);
      const { key, revocationCertificate } = reformat(handle, options);
      return keyPair(key, revocationCertificate, format);
    },

    /** OpenPGP.js's key.addSubkey: a fresh subkey (unlocked), bound by the unlocked primary key. */
    addSubkey(handle, options) {
      const { key, lineage, groups } = entry(handle);
      return put(wasm.addSubkey(key, options), lineage, groups);
    },

    setExpiration(handle, seconds) {
      const { key, lineage, groups } = entry(handle);
      return put(wasm.setExpiration(key, seconds), lineage, groups);
    },

    /** The key's valid user IDs certified by each signer's primary key, in turn. */
    certifyUserIds(handle, signerHandles) {
      const { key, lineage, groups } = entry(handle);
      const signers = signerHandles.map(get);
      let out = key;
      try {
        for (const s of signers) {
          const next = wasm.certifyUserIds(out, s);
          if (out !== key) out.free();
          out = next;
        }
      } catch (err) {
        if (out !== key) out.free();
        throw err;
      }
      if (out === key) throw fail('INVALID_ARGUMENT', 'signing user IDs needs at least one private key');
      return put(out, lineage, groups);
    },

    release(handles) {
      for (const h of Array.isArray(handles) ? handles : []) drop(h);
    },

    encrypt(options) {
      const subtle = globalThis.crypto?.subtle;
      if (subtle && options.data.length >= CFB_WEBCRYPTO_MIN) {
        // A SEIPDv1 message with AES: its CFB by WebCrypto (cfb.js); undefined for any other.
        const pending = withBuilder(encryption({ ...options, armor: false }), (e) => e.encryptCfbPending(options.data));
        if (pending) return finishCfbOrWasm(pending, subtle, options);
      }
      return withBuilder(encryption(options), (e) => e.encrypt(options.data));
    },

    decrypt(options) {
      return withBuilder(decryption(options), (d) => d.decrypt(options.data));
    },

    // Session keys (OpenPGP.js's generateSessionKey, encryptSessionKey, decryptSessionKeys).
    generateSessionKey(options) {
      return withBuilder(encryption(options), (e) => e.generateSessionKey());
    },

    encryptSessionKey(options) {
      return withBuilder(encryption(options), (e) => e.encryptSessionKey());
    },

    /**
     * The session key that opens the message, found by decrypting it whole (so it is the one
     * that authenticated): ['ALGO:HEX'].  The plaintext never leaves the engine (zeroed here).
     */
    decryptSessionKeys(options) {
      const r = withBuilder(decryption({ ...options, returnSessionKey: true }), (d) => d.decrypt(options.data));
      r.data.fill(0);
      return r.sessionKey ? [r.sessionKey] : [];
    },

    messageKeyIds(data) {
      return wasm.messageKeyIds(data);
    },

    // Streams: start → push* → finish (or abort).  Each push returns the
    // output that may be released now; memory is bounded by the chunk size.
    encryptStart(options) {
      const s = withBuilder(encryption(options), (e) => e.startStream());
      return { id: putStream(s, options.signers ?? []), output: s.takeOutput() };
    },

    decryptStart(options) {
      const s = withBuilder(decryption(options), (d) => d.startStream());
      return { id: putStream(s, options.keys ?? []), output: new Uint8Array(0) };
    },

    streamPush(id, chunk) {
      return getStream(id).s.push(chunk);
    },

    streamFinish(id) {
      getStream(id);
      const s = takeStream(id);
      try {
        return s.finish();
      } finally {
        s.free();
      }
    },

    streamAbort(id) {
      dropStream(id);
    },

    sign({ data, signers = [], passphrases = [], mode = 'inline', text = false, armor = true }) {
      return withBuilder(new wasm.Signing(), (s) => {
        for (const h of signers) s.addSigner(get(h));
        for (const p of passphrases) s.addPassphrase(p);
        s.setMode(mode);
        s.setText(text);
        s.setArmor(armor);
        return s.sign(data);
      });
    },

    verify({ data, signature, keys: keyHandles = [], requireSignature = false, limits }) {
      return withBuilder(new wasm.Verification(), (v) => {
        for (const h of keyHandles) v.addKey(get(h));
        v.setRequireSignature(requireSignature);
        if (limits) v.setLimits(limits);
        return signature === undefined ? v.verify(data) : v.verifyDetached(data, signature);
      });
    },

    encryptMail(options) {
      return withBuilder(mailOperation(options), (m) => m.encrypt(options.mail));
    },

    signMail(options) {
      return withBuilder(mailOperation(options), (m) => m.sign(options.mail));
    },

    readMail(options) {
      return withBuilder(mailOperation(options), (m) => m.read(options.data));
    },

    wkdUrls(address) {
      return wasm.wkdUrls(address);
    },

    wkdSelect(response, address) {
      return wasm.wkdSelect(response, address).map((k) => put(k));
    },

    /**
     * The public keys of a key server's answer whose primary key or a subkey has `fingerprint`
     * (upper-case hex); the rest is dropped.  More than 1 MiB: LIMIT_EXCEEDED; none: NO_USABLE_KEY.
     */
    selectByFingerprint(response, fingerprint) {
      if (!(response instanceof Uint8Array) || typeof fingerprint !== 'string') throw fail('INVALID_ARGUMENT', 'selectByFingerprint(bytes, fingerprint)');
      if (response.length > 1 << 20) throw fail('LIMIT_EXCEEDED', 'the answer is larger than 1 MiB');
      const out = [];
      for (const k of wasm.readKeys(response)) {
        try {
          if (k.info().keys.some((x) => x.fingerprint === fingerprint)) out.push(put(k.toPublic(), { locked: null }));
        } finally {
          k.free();
        }
      }
      if (out.length === 0) throw fail('NO_USABLE_KEY', 'no key with this fingerprint in the answer');
      return out;
    },

    autocryptHeader(handle, address, preferMutual) {
      return wasm.autocryptHeader(get(handle), address, preferMutual);
    },

    inlineDetach(data) {
      return wasm.inlineDetach(data);
    },

    armor(data, kind) {
      return wasm.armor(data, kind);
    },

    dearmor(text) {
      return wasm.dearmor(text);
    },

    errorCodes() {
      return wasm.errorCodes();
    },

    supportedKeyTypes() {
      return wasm.supportedKeyTypes();
    },
  };
  movers.set(engine, moveToModule);
  return engine;
}
