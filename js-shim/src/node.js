// Node entry point: direct mode; the wasm is read from this package and
// checked against the SHA-384 it was built with before it is instantiated.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as wasm from './wasm/index.js';
import { setBackendFactory } from './backend.js';
import { directBackend } from './backend-direct.js';
import { SealpostError } from './errors.js';
import { fullIntegrityOf } from './load-web.js';

/** `bytes`' SHA-384 as an SRI string, as the staged index writes them. */
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

// The full module's SHA-384 when this package was staged with the default module (else null).
const FULL_INTEGRITY = fullIntegrityOf(wasm);

setBackendFactory((options) => {
  if (options.mode === 'worker') {
    throw new SealpostError('NOT_SUPPORTED', "worker mode is for browsers; in Node sealpost runs in 'direct' mode");
  }
  // A package with both modules runs the full one from the start in Node: it is on disk beside the
  // default one, so waiting saves nothing, and a stream (which cannot move to another module) then
  // never meets an algorithm its instance lacks.  configure({ wasmUrl }) or ({ fullWasmUrl }) asks
  // for the browser's way instead: that module (or the default one) first, the full one on demand.
  const fullFirst = FULL_INTEGRITY !== null && options.wasmUrl === undefined && options.fullWasmUrl === undefined;
  return directBackend(async () => {
    const [path, expected] = fullFirst
      ? [new URL('./wasm/sealpost_wasm_full_bg.wasm', import.meta.url), FULL_INTEGRITY]
      : [options.wasmUrl ?? new URL('./wasm/sealpost_wasm_bg.wasm', import.meta.url), wasm.WASM_INTEGRITY];
    const bytes = readFileSync(path);
    const actual = sri(bytes);
    if (actual !== expected) {
      throw new SealpostError('INTEGRITY_FAILED', `the crypto module is ${actual}, expected ${expected}`);
    }
    wasm.initSync({ module: bytes });
    return wasm;
  }, { fetchFull: FULL_INTEGRITY && !fullFirst ? () => fullModule(options.fullWasmUrl ?? new URL('./wasm/sealpost_wasm_full_bg.wasm', import.meta.url)) : undefined });
});

/**
 * The full module of a package built with the default module (issue 23), read from a file or
 * fetched over http(s), and compiled only if it matches FULL_WASM_INTEGRITY (else INTEGRITY_FAILED).
 */
async function fullModule(where) {
  const url = where instanceof URL ? where : /^(https?|file):/.test(String(where)) ? new URL(String(where)) : null;
  let bytes;
  try {
    if (url && url.protocol !== 'file:') {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      bytes = new Uint8Array(await response.arrayBuffer());
    } else {
      bytes = readFileSync(url ?? String(where));
    }
  } catch (err) {
    throw new SealpostError('INTEGRITY_FAILED', `the full crypto module at ${where} could not be loaded: ${err.message}`);
  }
  const actual = sri(bytes);
  if (actual !== FULL_INTEGRITY) {
    throw new SealpostError('INTEGRITY_FAILED', `the full crypto module is ${actual}, expected ${FULL_INTEGRITY}`);
  }
  return new WebAssembly.Module(bytes);
}

export * from './api.js';
export { SealpostError } from './errors.js';
// The key store needs IndexedDB, which Node does not have: openKeyStore() here fails with
// NOT_SUPPORTED unless it is given { indexedDB } (an IDBFactory).
export { openKeyStore } from './keystore.js';
