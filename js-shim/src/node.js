// Node entry point: direct mode; the wasm is read from this package and
// checked against the SHA-384 it was built with before it is instantiated.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as wasm from './wasm/index.js';
import { setBackendFactory } from './backend.js';
import { directBackend } from './backend-direct.js';
import { SealpostError } from './errors.js';

setBackendFactory((options) => {
  if (options.mode === 'worker') {
    throw new SealpostError('NOT_SUPPORTED', "worker mode is for browsers; in Node sealpost runs in 'direct' mode");
  }
  return directBackend(async () => {
    const bytes = readFileSync(options.wasmUrl ?? new URL('./wasm/sealpost_wasm_bg.wasm', import.meta.url));
    const actual = `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
    if (actual !== wasm.WASM_INTEGRITY) {
      throw new SealpostError('INTEGRITY_FAILED', `the crypto module is ${actual}, expected ${wasm.WASM_INTEGRITY}`);
    }
    wasm.initSync({ module: bytes });
    return wasm;
  });
});

export * from './api.js';
export { SealpostError } from './errors.js';
// The key store needs IndexedDB, which Node does not have: openKeyStore() here fails with
// NOT_SUPPORTED unless it is given { indexedDB } (an IDBFactory).
export { openKeyStore } from './keystore.js';
