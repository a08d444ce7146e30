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
// mergeKey) keep their source's lineage (revoke and merge fork it, with the
// new public signatures merged into the locked form).  Then:
//   - exporting the secret key of a protected lineage returns its locked form,
//     never a copy locked afresh (whatever the handle: locked or unlocked);
//   - lockKey only on an unprotected lineage, once (KEY_PROTECTED otherwise);
//   - a new passphrase only through changePassphrase, which opens the
//     lineage's locked form with the old passphrase (an unlocked handle
//     proves nothing) and yields a new lineage;
//   - an unlocked secret key of an unprotected lineage is never exported
//     (EXPORT_REFUSED).
// So no sequence of calls yields secret material that opens without a
// passphrase its owner set, except a key its owner never protected, which
// may be locked once, by whoever holds it first.

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
  /** handle → { key, lineage, idle?: { ms, timer } } */
  const keys = new Map();

  function fail(code, message) {
    return new wasm.SealpostError(code, message);
  }

  /** The locked form of a wasm key, as the lineage keeps it. */
  function lockedForm(key) {
    return { bytes: key.toBytes(true), armored: key.toArmored(true) };
  }

  /** The lineage of a key that enters the engine (read or generated). */
  function lineageOf(key) {
    const info = key.info();
    const secrets = info.keys.filter((k) => k.hasSecret);
    if (!info.isSecret || secrets.length === 0) return { locked: null };
    // Any secret locked (partial keys too): the key as given is its locked form.
    return { locked: secrets.some((k) => k.secretLocked) ? lockedForm(key) : null };
  }

  function put(key, lineage) {
    let handle;
    do handle = randomId();
    while (keys.has(handle));
    keys.set(handle, { key, lineage });
    return describe(handle, key);
  }

  function describe(handle, key) {
    return { handle, info: key.info() };
  }

  function entry(handle) {
    const e = typeof handle === 'string' ? keys.get(handle) : undefined;
    if (!e && relocked.has(handle)) throw fail('KEY_LOCKED', 'the unlocked key was left idle past its lockAfter and was dropped: unlock the locked key again');
    if (!e) throw fail('KEY_DISPOSED', 'the key handle is not (or no longer) valid');
    if (e.idle) touch(handle, e);
    return e;
  }

  function get(handle) {
    return entry(handle).key;
  }

  function drop(handle) {
    const e = keys.get(handle);
    if (!e) return;
    if (e.idle) clearTimeout(e.idle.timer);
    e.key.free();
    keys.delete(handle);
  }

  /** Restarts the idle timer of a key unlocked with lockAfter. */
  function touch(handle, e) {
    clearTimeout(e.idle.timer);
    e.idle.timer = setTimeout(() => relock(handle), e.idle.ms);
    e.idle.timer.unref?.();
  }

  const relocked = new Set();
  function relock(handle) {
    drop(handle);
    relocked.add(handle);
  }

  /** A locked form as a wasm key (the caller frees it). */
  function readLocked(lineage) {
    return wasm.readKeys(lineage.locked.bytes)[0];
  }

  /** A fork of a protected lineage with the public parts of `key` merged into its locked form. */
  function forkLineage(lineage, key) {
    // Unprotected: the same record, so the secret is still locked at most once.
    if (!lineage.locked) return lineage;
    const locked = readLocked(lineage);
    try {
      const merged = wasm.mergeKey(locked, key);
      try {
        return { locked: lockedForm(merged) };
      } finally {
        merged.free();
      }
    } finally {
      locked.free();
    }
  }

  const streams = new Map();

  function putStream(s) {
    const id = randomId();
    streams.set(id, s);
    return id;
  }

  function getStream(id) {
    const s = streams.get(id);
    if (!s) throw fail('INVALID_ARGUMENT', 'the stream is finished or unknown');
    return s;
  }

  function encryption({ recipients = [], signers = [], signerPassphrases = [], passwords = [], armor = true, forceAead = false, text = false }) {
    const e = new wasm.Encryption();
    try {
      for (const h of recipients) e.addRecipient(get(h));
      for (const h of signers) e.addSigner(get(h));
      for (const p of signerPassphrases) e.addSignerPassphrase(p);
      for (const p of passwords) e.addPassword(p);
      e.setArmor(armor);
      e.setForceAead(forceAead);
      e.setText(text);
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

  function withBuilder(builder, fn) {
    try {
      return fn(builder);
    } finally {
      builder.free();
    }
  }

  const engine = {
    generateKey(options) {
      const { privateKey, revocationCertificate } = wasm.generateKey(options);
      return { key: put(privateKey, lineageOf(privateKey)), revocationCertificate };
    },

    readKeys(data) {
      return wasm.readKeys(data).map((k) => put(k, lineageOf(k)));
    },

    exportKey(handle, { secret = false, armor = true } = {}) {
      const { key, lineage } = entry(handle);
      const info = key.info();
      if (!secret || !info.isSecret) return armor ? key.toArmored(false) : key.toBytes(false);
      if (!strict) return armor ? key.toArmored(true) : key.toBytes(true);
      if (lineage.locked) return armor ? lineage.locked.armored : lineage.locked.bytes.slice();
      if (info.keys.some((k) => k.hasSecret && !k.secretLocked)) {
        throw fail('EXPORT_REFUSED', 'an unlocked private key cannot leave the crypto worker: lock it first (encryptKey), or export the public key');
      }
      return armor ? key.toArmored(true) : key.toBytes(true);
    },

    publicKey(handle) {
      const { key, lineage } = entry(handle);
      return put(key.toPublic(), lineage);
    },

    unlockKey(handle, passphrase, { lockAfter } = {}) {
      const { key, lineage } = entry(handle);
      const ref = put(wasm.unlockKey(key, passphrase), lineage);
      if (lockAfter !== undefined) {
        const e = keys.get(ref.handle);
        e.idle = { ms: lockAfter, timer: null };
        touch(ref.handle, e);
      }
      return ref;
    },

    lockKey(handle, passphrase) {
      const { key, lineage } = entry(handle);
      if (strict && lineage.locked) {
        throw fail('KEY_PROTECTED', 'this key already has a passphrase: only changeKeyPassphrase, with the current passphrase, sets a new one');
      }
      const locked = wasm.lockKey(key, passphrase);
      if (!strict) return put(locked, { locked: null });
      // The lineage is protected from now on, with this locked form: every
      // handle of it (the unlocked one too) exports these bytes.
      lineage.locked = lockedForm(locked);
      return put(locked, lineage);
    },

    changePassphrase(handle, oldPassphrase, newPassphrase) {
      const { key, lineage } = entry(handle);
      if (!strict) return put(wasm.changePassphrase(key, oldPassphrase, newPassphrase), { locked: null });
      if (!lineage.locked) return engine.lockKey(handle, newPassphrase);
      // The old passphrase must open the lineage's locked form.
      const locked = readLocked(lineage);
      let changed;
      try {
        changed = wasm.changePassphrase(locked, oldPassphrase, newPassphrase);
      } finally {
        locked.free();
      }
      return put(changed, { locked: lockedForm(changed) });
    },

    revokeKey(handle, reason, message, passphrase) {
      const { key, lineage } = entry(handle);
      const revoked = wasm.revokeKey(key, reason, message, passphrase);
      return put(revoked, strict ? forkLineage(lineage, revoked) : { locked: null });
    },

    revocationCertificate(handle, reason, message, passphrase) {
      return wasm.revocationCertificate(get(handle), reason, message, passphrase);
    },

    mergeKey(handle, updateHandle) {
      const { key, lineage } = entry(handle);
      // Only the update's public parts are merged (sequoia's merge_public).
      const merged = wasm.mergeKey(key, get(updateHandle));
      return put(merged, strict ? forkLineage(lineage, merged) : { locked: null });
    },

    release(handles) {
      for (const h of Array.isArray(handles) ? handles : []) drop(h);
    },

    encrypt(options) {
      return withBuilder(encryption(options), (e) => e.encrypt(options.data));
    },

    decrypt(options) {
      return withBuilder(decryption(options), (d) => d.decrypt(options.data));
    },

    // Streams: start → push* → finish (or abort).  Each push returns the
    // output that may be released now; memory is bounded by the chunk size.
    encryptStart(options) {
      const s = withBuilder(encryption(options), (e) => e.startStream());
      return { id: putStream(s), output: s.takeOutput() };
    },

    decryptStart(options) {
      return { id: putStream(withBuilder(decryption(options), (d) => d.startStream())), output: new Uint8Array(0) };
    },

    streamPush(id, chunk) {
      return getStream(id).push(chunk);
    },

    streamFinish(id) {
      const s = getStream(id);
      streams.delete(id);
      try {
        return s.finish();
      } finally {
        s.free();
      }
    },

    streamAbort(id) {
      const s = streams.get(id);
      streams.delete(id);
      s?.free();
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
      return wasm.wkdSelect(response, address).map(put);
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
  return engine;
}
