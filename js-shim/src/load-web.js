// Loads the wasm in a browser (page or worker) with fetch integrity: a
// module whose bytes differ from the SHA-384 this package was built with
// fails with INTEGRITY_FAILED and is never instantiated.
import { SealpostError } from './errors.js';

export async function loadWasmWeb(wasm, wasmUrl, integrity) {
  let response;
  try {
    response = await fetch(wasmUrl, { integrity, credentials: 'same-origin' });
  } catch (err) {
    throw new SealpostError('INTEGRITY_FAILED', `the crypto module at ${wasmUrl} failed to load or did not match ${integrity}: ${err.message}`);
  }
  if (!response.ok) {
    throw new SealpostError('INTEGRITY_FAILED', `the crypto module at ${wasmUrl} could not be fetched (HTTP ${response.status})`);
  }
  await wasm.initAsync({ module_or_path: response });
  return wasm;
}
