// The minimal sealpost demo: generate a key, encrypt + sign, decrypt + verify,
// all inside this page.  The wasm is fetched with its SHA-384 so a swapped
// module fails to load (the build fills in the hash).
import init, { generateKey, Encryption, Decryption } from './pkg/sealpost_wasm.js';

const WASM_URL = 'pkg/sealpost_wasm_bg.wasm';
const WASM_INTEGRITY = '%%SRI:pkg/sealpost_wasm_bg.wasm%%';

const $ = (id) => document.getElementById(id);
const setStatus = (el, state, text) => { el.dataset.state = state; el.textContent = text; };

let key = null;        // the (possibly locked) secret key, as a wasm handle
let message = null;    // the last ciphertext

function describe(err) {
  // SealpostError carries a stable code; show it with the message.
  return err && err.code ? `${err.code}: ${err.message}` : String(err && err.message || err);
}

async function main() {
  try {
    await init({ module_or_path: fetch(WASM_URL, { integrity: WASM_INTEGRITY }) });
  } catch (err) {
    setStatus($('status'), 'error', `The crypto module failed its integrity check or could not load: ${describe(err)}`);
    return;
  }
  setStatus($('status'), 'ok', 'Crypto module loaded and verified (SHA-384).');
  $('generate').disabled = false;

  $('generate').addEventListener('click', () => {
    const [type, version] = $('keytype').value.split(':');
    const passphrase = $('passphrase').value || undefined;
    try {
      const t0 = performance.now();
      const { privateKey } = generateKey({ userIDs: [$('uid').value], type, version: Number(version), passphrase });
      key = privateKey;
      $('fingerprint').textContent = `Fingerprint ${key.fingerprint} (${Math.round(performance.now() - t0)} ms)`;
      $('encrypt').disabled = false;
    } catch (err) {
      $('fingerprint').textContent = describe(err);
    }
  });

  $('encrypt').addEventListener('click', () => {
    try {
      const enc = new Encryption();
      enc.addRecipient(key.toPublic());
      enc.addSigner(key);
      if ($('passphrase').value) enc.addSignerPassphrase($('passphrase').value);
      message = enc.encrypt(new TextEncoder().encode($('plaintext').value));
      $('ciphertext').textContent = new TextDecoder().decode(message);
      $('decrypt').disabled = false;
    } catch (err) {
      $('ciphertext').textContent = describe(err);
    }
  });

  $('decrypt').addEventListener('click', () => {
    try {
      const dec = new Decryption();
      dec.addKey(key);
      if ($('passphrase').value) dec.addKeyPassphrase($('passphrase').value);
      dec.addVerificationKey(key.toPublic());
      const { data, signatures } = dec.decrypt(message);
      $('decrypted').textContent = new TextDecoder().decode(data);
      const good = signatures.find((s) => s.valid);
      if (good) setStatus($('signature'), 'ok', `Good signature by ${good.signerFingerprint}`);
      else setStatus($('signature'), 'error', signatures.length ? `Signature not valid: ${signatures[0].status}` : 'Not signed');
    } catch (err) {
      $('decrypted').textContent = '';
      setStatus($('signature'), 'error', describe(err));
    }
  });
}

main();
