// Browser and bundler entry point.  Worker mode by default on pages: the
// wasm and every key live in a dedicated Web Worker whose code (one file)
// is fetched with the SHA-384 it was built with and started from a Blob URL
// of the checked bytes; the worker fetches the wasm with its own SHA-384.
// This module does not import the wasm glue: direct mode loads it on first
// use (a dynamic import), so a page bundle in worker mode does not carry it.
import { setBackendFactory } from './backend.js';
import { directBackend } from './backend-direct.js';
import { workerBackend } from './backend-worker.js';
import { WORKER_INTEGRITY } from './wasm/worker-integrity.js';
import { SealpostError } from './errors.js';

setBackendFactory((options) => {
  const wasmUrl = options.wasmUrl ?? new URL('./wasm/sealpost_wasm_bg.wasm', import.meta.url);
  // A page runs worker mode unless direct mode is asked for; a page without
  // Worker (or whose Worker a script removed) fails rather than silently
  // running the keys on the page.  Inside a worker: direct mode.
  const onPage = typeof window === 'object';
  const mode = options.mode ?? (onPage ? 'worker' : 'direct');
  if (mode === 'worker' && typeof Worker !== 'function' && !options.createWorker) {
    throw new SealpostError('NOT_SUPPORTED', "this page has no Worker: worker mode cannot run (configure({ mode: 'direct' }) runs the keys on the page, unprotected)");
  }
  if (mode === 'worker') {
    return workerBackend({
      // Wherever it is served from (a bundler's copy, a CDN), the file must
      // be the worker this package was built with.
      workerUrl: options.workerUrl ?? new URL('./wasm/worker.bundle.js', import.meta.url),
      integrity: WORKER_INTEGRITY,
      wasmUrl,
      fullWasmUrl: options.fullWasmUrl,
      createWorker: options.createWorker,
      callTimeout: options.callTimeout,
    });
  }
  // Direct mode in a page shares the page's memory anyway; exports follow
  // the same rule as worker mode so that switching modes changes nothing.
  // A package built with the default module fetches the full one on demand (its SHA-384 is the glue
  // index's FULL_WASM_INTEGRITY; by default it is served beside the default module).
  let fullIntegrity = null;
  let fullFile = null;
  return directBackend(async () => {
    const [wasm, { loadWasmWeb, fullIntegrityOf, fullFileOf }] = await Promise.all([import('./wasm/index.js'), import('./load-web.js')]);
    fullIntegrity = fullIntegrityOf(wasm);
    fullFile = fullFileOf(wasm);
    return loadWasmWeb(wasm, wasmUrl, wasm.WASM_INTEGRITY);
  }, {
    exportUnlocked: false,
    fetchFull: async () => {
      if (!fullIntegrity) throw new SealpostError('UNSUPPORTED', 'this package has no full module to load');
      const { fetchFullModule } = await import('./load-web.js');
      return fetchFullModule(String(options.fullWasmUrl ?? new URL(fullFile, wasmUrl)), fullIntegrity);
    },
  });
});

export * from './api.js';
export { SealpostError } from './errors.js';
// The key store (locked keys in IndexedDB): see keystore.js.
export { openKeyStore } from './keystore.js';
