// The engine runs where the wasm lives: in the page (direct mode) or in a
// dedicated Worker (worker mode, the browser default).  It owns every key
// as a wasm object in a handle table; callers only ever hold handles.
// Each method takes and returns structured-cloneable data.

/**
 * @param {typeof import('./wasm/index.js')} wasm
 * @param {{ exportUnlocked: boolean }} options  whether unencrypted secret key
 *   material may leave the engine (false inside a worker: the page only
 *   ever receives locked private keys)
 */
export function createEngine(wasm, { exportUnlocked }) {
  const keys = new Map();
  let next = 1;

  function put(key) {
    const handle = next++;
    keys.set(handle, key);
    return describe(handle, key);
  }

  function describe(handle, key) {
    return { handle, info: key.info() };
  }

  function get(handle) {
    const key = keys.get(handle);
    if (!key) throw new wasm.SealpostError('KEY_DISPOSED', `key handle ${handle} is not (or no longer) valid`);
    return key;
  }

  const streams = new Map();
  let nextStream = 1;

  function putStream(s) {
    const id = nextStream++;
    streams.set(id, s);
    return id;
  }

  function getStream(id) {
    const s = streams.get(id);
    if (!s) throw new wasm.SealpostError('INVALID_ARGUMENT', `stream ${id} is finished or unknown`);
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

  return {
    generateKey(options) {
      const { privateKey, revocationCertificate } = wasm.generateKey(options);
      return { key: put(privateKey), revocationCertificate };
    },

    readKeys(data) {
      return wasm.readKeys(data).map(put);
    },

    exportKey(handle, { secret = false, armor = true } = {}) {
      const key = get(handle);
      if (secret && !exportUnlocked && key.info().keys.some((k) => k.hasSecret && !k.secretLocked)) {
        throw new wasm.SealpostError('EXPORT_REFUSED', 'an unlocked private key cannot leave the crypto worker: lock it first (encryptKey), or export the public key');
      }
      return armor ? key.toArmored(secret) : key.toBytes(secret);
    },

    publicKey(handle) {
      return put(get(handle).toPublic());
    },

    unlockKey(handle, passphrase) {
      return put(wasm.unlockKey(get(handle), passphrase));
    },

    lockKey(handle, passphrase) {
      return put(wasm.lockKey(get(handle), passphrase));
    },

    changePassphrase(handle, oldPassphrase, newPassphrase) {
      return put(wasm.changePassphrase(get(handle), oldPassphrase, newPassphrase));
    },

    revokeKey(handle, reason, message, passphrase) {
      return put(wasm.revokeKey(get(handle), reason, message, passphrase));
    },

    revocationCertificate(handle, reason, message, passphrase) {
      return wasm.revocationCertificate(get(handle), reason, message, passphrase);
    },

    mergeKey(handle, updateHandle) {
      return put(wasm.mergeKey(get(handle), get(updateHandle)));
    },

    release(handles) {
      for (const h of handles) {
        const key = keys.get(h);
        if (key) {
          key.free();
          keys.delete(h);
        }
      }
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
}
