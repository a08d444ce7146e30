// Browser and bundler entry point.  Worker mode by default on pages: the
// wasm and every key live in a dedicated Web Worker whose code (one file)
// is fetched with the SHA-384 it was built with and started from a Blob URL
// of the checked bytes.  The page fetches the wasm meanwhile (with its
// SHA-384) and hands the bytes over; the worker checks them against its own
// copy of that hash before it compiles them.
// This module does not import the wasm glue: direct mode loads it on first
// use (a dynamic import), so a page bundle in worker mode does not carry it.
import { setBackendFactory } from './backend.js';
import { directBackend } from './backend-direct.js';
import { workerBackend } from './backend-worker.js';
import { WASM_INTEGRITY, WORKER_INTEGRITY } from './wasm/worker-integrity.js';
import { SealpostError } from './errors.js';

setBackendFactory((options) => {
  const wasmUrl = options.wasmUrl ?? new URL('./wasm/sealpost_wasm_bg.wasm', import.meta.url);
  // The full module, fetched only when a call needs what the default module lacks (and checked
  // against its own SHA-384, built into the worker and the glue): where the package is, unless
  // configured.  Named here as an asset of the package (a bundler copies it; a site's page check
  // finds it at the URL it is fetched from).
  const fullWasmUrl = options.fullWasmUrl ?? new URL('./wasm/sealpost_wasm_full_bg.wasm', import.meta.url);
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
      wasmIntegrity: WASM_INTEGRITY,
      fullWasmUrl,
      createWorker: options.createWorker,
      callTimeout: options.callTimeout,
    });
  }
  // Direct mode in a page shares the page's memory anyway; exports follow
  // the same rule as worker mode so that switching modes changes nothing.
  // A package built with the default module fetches the full one on demand (its SHA-384 is the glue
  // index's FULL_WASM_INTEGRITY).
  let fullIntegrity = null;
  return directBackend(async () => {
    const [wasm, { loadWasmWeb, fullIntegrityOf }] = await Promise.all([import('./wasm/index.js'), import('./load-web.js')]);
    fullIntegrity = fullIntegrityOf(wasm);
    return loadWasmWeb(wasm, wasmUrl, wasm.WASM_INTEGRITY);
  }, {
    exportUnlocked: false,
    fetchFull: async () => {
      if (!fullIntegrity) throw new SealpostError('UNSUPPORTED', 'this package has no full module to load');
      const { fetchFullModule } = await import('./load-web.js');
      return fetchFullModule(String(fullWasmUrl), fullIntegrity);
    },
  });
});

export * from './api.js';
export { SealpostError } from './errors.js';
// The key store (locked keys in IndexedDB): see keystore.js.
export { openKeyStore } from './keystore.js';
