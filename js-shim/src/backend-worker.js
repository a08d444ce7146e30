// Worker mode (the browser default): the wasm and every key live in a
// dedicated Worker; this side holds handles.  Every byte the worker runs is
// pinned: its code is one file (wasm/worker.bundle.js, no imports) fetched
// with the SHA-384 it was built with (fetch integrity: other bytes never
// run, INTEGRITY_FAILED) and started from a Blob URL of the checked bytes;
// the worker fetches the wasm with the SHA-384 built into it.
// Inputs are copied (never detached from the caller); outputs are
// transferred.  If the wasm traps, the worker is terminated, every pending
// call fails with WASM_TRAPPED, old handles fail with KEY_DISPOSED, and the
// next call starts a fresh worker.
import { SealpostError, reviveError } from './errors.js';
import { fetchPinned } from './load-web.js';

/** The checked worker code as a Blob URL (fetched once per backend). */
async function verifiedWorkerUrl(workerUrl, integrity) {
  const response = await fetchPinned(workerUrl, integrity, 'crypto worker');
  const bytes = await response.arrayBuffer();
  return URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' }));
}

/**
 * @param {{ workerUrl: URL|string, integrity: string, wasmUrl: URL|string,
 *   createWorker?: (blobUrl: string) => Worker }} options
 */
export function workerBackend({ workerUrl, integrity, wasmUrl, createWorker }) {
  let worker = null;
  let ready = null;
  let code = null; // Promise of the Blob URL of the checked worker code
  let nextId = 1;
  const pending = new Map();
  const base = typeof location === 'object' ? location.href : undefined;
  const absoluteWasm = String(new URL(wasmUrl, base));
  const start_ = createWorker ?? ((url) => new Worker(url, { type: 'module' }));

  function failAll(error) {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  }

  function stop() {
    worker?.terminate();
    worker = null;
    ready = null;
    backend.generation++;
  }

  function post(op, args) {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, args });
    });
  }

  async function start() {
    code ??= verifiedWorkerUrl(String(new URL(workerUrl, base)), integrity);
    let url;
    try {
      url = await code;
    } catch (err) {
      code = null; // a later call fetches again
      throw err;
    }
    const w = start_(url);
    worker = w;
    w.onmessage = ({ data }) => {
      if (worker !== w) return;
      if (data.trapped) {
        stop();
        failAll(new SealpostError('WASM_TRAPPED', `the crypto worker trapped and was replaced (${data.message})`));
        return;
      }
      const p = pending.get(data.id);
      if (!p) return;
      pending.delete(data.id);
      if (data.ok) p.resolve(data.result);
      else p.reject(reviveError(data.error));
    };
    w.onerror = (event) => {
      event.preventDefault?.();
      if (worker !== w) return;
      stop();
      failAll(new SealpostError('WASM_TRAPPED', `the crypto worker failed: ${event.message || 'unknown error'}`));
    };
    return post('init', [{ wasmUrl: absoluteWasm }]);
  }

  const backend = {
    kind: 'worker',
    generation: 0,
    async call(op, ...args) {
      if (!ready) {
        ready = start();
        ready.catch(() => {});
      }
      const r = ready;
      await r;
      if (!worker) throw new SealpostError('WASM_TRAPPED', 'the crypto worker was replaced');
      return post(op, args);
    },
    async terminate() {
      stop();
      failAll(new SealpostError('KEY_DISPOSED', 'the crypto worker was terminated'));
    },
  };
  return backend;
}
