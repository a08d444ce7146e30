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

/**
 * The wasm from bytes someone else fetched (the page, while this worker started): instantiated
 * only if their SHA-384 is `integrity`, the one built into this code, else INTEGRITY_FAILED.
 */
export async function loadWasmBytes(wasm, bytes, integrity) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', bytes));
  let binary = '';
  for (const b of digest) binary += String.fromCharCode(b);
  const actual = `sha384-${btoa(binary)}`;
  if (actual !== integrity) {
    throw new SealpostError('INTEGRITY_FAILED', `the crypto module handed to the worker is ${actual}, expected ${integrity}`);
  }
  await wasm.initAsync({ module_or_path: bytes });
  return wasm;
}

/**
 * The full module (issue 23's on-demand switch), fetched with its pinned SHA-384 and compiled:
 * a mismatch is INTEGRITY_FAILED and nothing is compiled.
 */
export async function fetchFullModule(url, integrity) {
  const response = await fetchPinned(url, integrity, 'full crypto module');
  try {
    return await WebAssembly.compile(await response.arrayBuffer());
  } catch (err) {
    throw new SealpostError('INTEGRITY_FAILED', `the full crypto module at ${url} could not be read: ${err.message}`);
  }
}

/**
 * The full module's SHA-384 if the glue index was staged with the default module
 * (tools/build-shim.mjs --default-wasm), else null.  Read through a parameter: a build staged with
 * the full module alone has no such export.
 */
export function fullIntegrityOf(glue) {
  return glue.FULL_WASM_INTEGRITY ?? null;
}
