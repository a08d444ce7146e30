// Loads the wasm in a browser (page or worker) with fetch integrity: a
// module whose bytes differ from the SHA-384 this package was built with
// fails with INTEGRITY_FAILED and is never instantiated.
import { SealpostError } from './errors.js';

/**
 * Fetches `url` with fetch integrity; a failed load, a mismatch or an HTTP
 * error is INTEGRITY_FAILED naming `what` ("crypto module", "crypto worker").
 */
export async function fetchPinned(url, integrity, what) {
  let response;
  try {
    response = await fetch(url, { integrity, credentials: 'same-origin' });
  } catch (err) {
    throw new SealpostError('INTEGRITY_FAILED', `the ${what} at ${url} failed to load or did not match ${integrity}: ${err.message}`);
  }
  if (!response.ok) {
    throw new SealpostError('INTEGRITY_FAILED', `the ${what} at ${url} could not be fetched (HTTP ${response.status})`);
  }
  return response;
}

export async function loadWasmWeb(wasm, wasmUrl, integrity) {
  await wasm.initAsync({ module_or_path: await fetchPinned(wasmUrl, integrity, 'crypto module') });
  return wasm;
}
