// The minimal sealpost demo: generate a key, encrypt + sign, decrypt +
// verify, all in this page through the sealpost package in worker mode —
// the key lives in a Web Worker and this page only holds a handle.  The
// package fetches its wasm with the SHA-384 it was built with, so a
// swapped module fails to load.
import * as sealpost from './sealpost/browser.js';

const $ = (id) => document.getElementById(id);
const setStatus = (el, state, text) => { el.dataset.state = state; el.textContent = text; };

let key = null;        // the private key: a handle to the key in the worker
let message = null;    // the last ciphertext (armored)

function describe(err) {
  // SealpostError carries a stable code; show it with the message.
  return err && err.code ? `${err.code}: ${err.message}` : String(err && err.message || err);
}

async function run(button, fn) {
  button.disabled = true;
  try {
    await fn();
  } finally {
    button.disabled = false;
  }
}

async function main() {
  try {
    // Loads (and checks) the wasm in the worker now rather than on first use.
    await sealpost.supportedKeyTypes();
  } catch (err) {
    setStatus($('status'), 'error', `The crypto module failed its integrity check or could not load: ${describe(err)}`);
    return;
  }
  setStatus($('status'), 'ok', `Crypto module loaded and verified (SHA-384), running in a ${sealpost.getMode()}.`);
  $('generate').disabled = false;

  $('generate').addEventListener('click', () => run($('generate'), async () => {
    const [type, version] = $('keytype').value.split(':');
    try {
      const t0 = performance.now();
      const { privateKey } = await sealpost.generateKey({
        userIDs: [$('uid').value],
        type,
        config: { v6Keys: version === '6' },
        passphrase: $('passphrase').value || undefined,
        format: 'object',
      });
      key = $('passphrase').value ? await sealpost.decryptKey({ privateKey, passphrase: $('passphrase').value }) : privateKey;
      $('fingerprint').textContent = `Fingerprint ${key.getFingerprint().toUpperCase()} (${Math.round(performance.now() - t0)} ms)`;
      $('encrypt').disabled = false;
    } catch (err) {
      $('fingerprint').textContent = describe(err);
    }
  }));

  $('encrypt').addEventListener('click', () => run($('encrypt'), async () => {
    try {
      message = await sealpost.encrypt({
        message: await sealpost.createMessage({ text: $('plaintext').value }),
        encryptionKeys: await key.toPublic(),
        signingKeys: key,
      });
      $('ciphertext').textContent = message;
      $('decrypt').disabled = false;
    } catch (err) {
      $('ciphertext').textContent = describe(err);
    }
  }));

  $('decrypt').addEventListener('click', () => run($('decrypt'), async () => {
    try {
      const { data, signatures } = await sealpost.decrypt({
        message: await sealpost.readMessage({ armoredMessage: message }),
        decryptionKeys: key,
        verificationKeys: await key.toPublic(),
      });
      $('decrypted').textContent = data;
      const good = signatures.find((s) => s.valid);
      if (good) setStatus($('signature'), 'ok', `Good signature by ${good.signerFingerprint.toUpperCase()}`);
      else setStatus($('signature'), 'error', signatures.length ? `Signature not valid: ${signatures[0].status}` : 'Not signed');
    } catch (err) {
      $('decrypted').textContent = '';
      setStatus($('signature'), 'error', describe(err));
    }
  }));
}

main();
