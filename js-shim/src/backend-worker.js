// Worker mode (the browser default): the wasm and every key live in a
// dedicated Worker; this side holds numeric handles.  Inputs are copied
// (never detached from the caller); outputs are transferred.  If the wasm
// traps, the worker is terminated, every pending call fails with
// WASM_TRAPPED, old handles fail with KEY_DISPOSED, and the next call
// starts a fresh worker.
import { SealpostError, reviveError } from './errors.js';

export function workerBackend({ createWorker, wasmUrl, integrity }) {
  let worker = null;
  let ready = null;
  let nextId = 1;
  const pending = new Map();

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

  function start() {
    worker = createWorker();
    worker.onmessage = ({ data }) => {
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
    worker.onerror = (event) => {
      event.preventDefault?.();
      stop();
      failAll(new SealpostError('WASM_TRAPPED', `the crypto worker failed: ${event.message || 'unknown error'}`));
    };
    ready = post('init', [{ wasmUrl: String(wasmUrl), integrity }]);
  }

  const backend = {
    kind: 'worker',
    generation: 0,
    async call(op, ...args) {
      if (!worker) start();
      await ready;
      return post(op, args);
    },
    async terminate() {
      stop();
      failAll(new SealpostError('KEY_DISPOSED', 'the crypto worker was terminated'));
    },
  };
  return backend;
}
