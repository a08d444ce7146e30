// Browser and bundler entry point.  Worker mode by default on pages: the
// wasm and every key live in a dedicated Web Worker.  The wasm is fetched
// with the SHA-384 it was built with (fetch integrity), so a swapped module
// fails to load.
import * as wasm from './wasm/index.js';
import { setBackendFactory } from './api.js';
import { directBackend } from './backend-direct.js';
import { workerBackend } from './backend-worker.js';
import { loadWasmWeb } from './load-web.js';

setBackendFactory((options) => {
  const wasmUrl = options.wasmUrl ?? new URL('./wasm/sealpost_wasm_bg.wasm', import.meta.url);
  const onPage = typeof window === 'object' && typeof Worker === 'function';
  const mode = options.mode ?? (onPage ? 'worker' : 'direct');
  if (mode === 'worker') {
    return workerBackend({
      createWorker: () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }),
      wasmUrl,
      integrity: wasm.WASM_INTEGRITY,
    });
  }
  // Direct mode in a page shares the page's memory anyway; exports follow
  // the same rule as worker mode so that switching modes changes nothing.
  return directBackend(() => loadWasmWeb(wasm, wasmUrl, wasm.WASM_INTEGRITY), { exportUnlocked: false });
});

export * from './api.js';
export { SealpostError } from './errors.js';
