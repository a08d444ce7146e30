// Worker mode (the browser default): the wasm and every key live in a
// dedicated Worker; this side holds handles.  Every byte the worker runs is
// pinned: its code is one file (wasm/worker.bundle.js, no imports) fetched
// with the SHA-384 it was built with (fetch integrity: other bytes never
// run, INTEGRITY_FAILED) and started from a Blob URL of the checked bytes;
// the page fetches the wasm meanwhile (its SHA-384 in worker-integrity.js)
// and hands the bytes over with init, and the worker compiles them only if
// they have the SHA-384 built into it (without them it fetches the wasm).
// Inputs are copied (never detached from the caller); outputs are
// transferred.  If the wasm traps, the worker is terminated, every pending
// call fails with WASM_TRAPPED, old handles fail with KEY_DISPOSED, and the
// next call starts a fresh worker.  If the worker fails otherwise (an `error`
// or `messageerror` event) or is terminated, every pending call fails with
// WORKER_FAILED and the next call starts a fresh worker.  A call given an
// AbortSignal is rejected (ABORTED, the signal's reason as `cause`) and
// forgotten when it aborts; what the worker still answers for it is
// released (key handles, streams).  A worker that does not answer a call
// within callTimeout (default 5 minutes; hung or dead) is replaced: that
// call and every other pending one fail with WORKER_TIMEOUT.
// AbortSignal.timeout(ms) bounds a single call more tightly.
import { SealpostError, reviveError } from './errors.js';
import { abortError } from './abort.js';
import { fetchPinned } from './load-web.js';

/** The checked worker code as a Blob URL (fetched once per backend). */
async function verifiedWorkerUrl(workerUrl, integrity) {
  const response = await fetchPinned(workerUrl, integrity, 'crypto worker');
  const bytes = await response.arrayBuffer();
  return URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' }));
}

/**
 * The wasm's bytes, fetched by the page with its SHA-384 while the worker's code is fetched and
 * started (not after: the worker would fetch it only once running).  undefined if that fails: the
 * worker then fetches the module itself and reports what went wrong.
 */
async function prefetchedWasm(wasmUrl, integrity) {
  try {
    return await (await fetchPinned(wasmUrl, integrity, 'crypto module')).arrayBuffer();
  } catch {
    return undefined;
  }
}

/** How long a call may wait for the worker's answer by default (ms). */
export const DEFAULT_CALL_TIMEOUT = 300_000;

/**
 * @param {{ workerUrl: URL|string, integrity: string, wasmUrl: URL|string, wasmIntegrity?: string,
 *   fullWasmUrl?: URL|string, createWorker?: (blobUrl: string) => Worker, callTimeout?: number }} options
 *   wasmIntegrity: the wasm's SHA-384, to fetch it while the worker starts (the worker checks it again)
 *   fullWasmUrl: where the full module is, for a worker built with the default module (it checks
 *   it against the SHA-384 it was built with); without it, calls that need the full module fail
 *   UNSUPPORTED (browser.js always passes one)
 */
export function workerBackend({ workerUrl, integrity, wasmUrl, wasmIntegrity, fullWasmUrl, createWorker, callTimeout = DEFAULT_CALL_TIMEOUT }) {
  let worker = null;
  let ready = null;
  let code = null; // Promise of the Blob URL of the checked worker code
  let nextId = 1;
  const pending = new Map();
  const base = typeof location === 'object' ? location.href : undefined;
  const absoluteWasm = String(new URL(wasmUrl, base));
  const absoluteFull = fullWasmUrl === undefined ? undefined : String(new URL(fullWasmUrl, base));
  const start_ = createWorker ?? ((url) => new Worker(url, { type: 'module' }));

  // Ids of calls abandoned (aborted) while the worker was still working on them.
  const abandoned = new Set();

  function failAll(error) {
    const calls = [...pending.values()];
    pending.clear();
    abandoned.clear();
    for (const { reject } of calls) reject(error);
  }

  /** What the worker answered for an abandoned call: its key handles and streams are released. */
  function releaseOrphan(result) {
    const handles = [];
    const streams = [];
    const walk = (v) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) {
        if (typeof v.handle === 'string' && v.info) handles.push(v.handle);
        else if (typeof v.id === 'string' && v.output instanceof Uint8Array) streams.push(v.id);
        else Object.values(v).forEach(walk);
      }
    };
    walk(result);
    if (handles.length) post('release', [handles]).catch(() => {});
    for (const id of streams) post('streamAbort', [id]).catch(() => {});
  }

  function stop() {
    worker?.terminate();
    worker = null;
    ready = null;
    backend.generation++;
  }

  function post(op, args, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const id = nextId++;
      let onAbort = null;
      // A worker that does not answer in time is taken for dead or hung: replaced, and every
      // call pending on it fails (they would wait behind it for ever).
      const timer = setTimeout(() => {
        if (!pending.has(id)) return;
        stop();
        failAll(new SealpostError('WORKER_TIMEOUT', `the crypto worker did not answer ${op} within ${callTimeout} ms (configure({ callTimeout })); it was replaced: keys loaded in it are gone (KEY_DISPOSED)`));
      }, callTimeout);
      const done = () => {
        clearTimeout(timer);
        pending.delete(id);
        if (onAbort) signal.removeEventListener('abort', onAbort);
      };
      pending.set(id, {
        resolve: (v) => { done(); resolve(v); },
        reject: (e) => { done(); reject(e); },
      });
      if (signal) {
        onAbort = () => {
          if (!pending.has(id)) return;
          abandoned.add(id);
          pending.get(id).reject(abortError(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
      try {
        worker.postMessage({ id, op, args });
      } catch (err) {
        // Arguments the structured clone cannot copy (a ReadableStream, a function): nothing
        // reached the worker; the call is refused and forgotten.
        abandoned.delete(id);
        pending.get(id)?.reject(new SealpostError('INVALID_ARGUMENT', `${op}: an argument cannot be sent to the crypto worker (${err && err.name === 'DataCloneError' ? 'not cloneable' : String(err && err.message)})`));
      }
    });
  }

  async function start() {
    code ??= verifiedWorkerUrl(String(new URL(workerUrl, base)), integrity);
    // Not outside a secure context: the worker could not hash the bytes there (no crypto.subtle).
    const wasmBytes = wasmIntegrity && globalThis.isSecureContext !== false ? prefetchedWasm(absoluteWasm, wasmIntegrity) : undefined;
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
      if (!p) {
        if (abandoned.delete(data.id) && data.ok) releaseOrphan(data.result);
        return;
      }
      if (data.ok) p.resolve(data.result);
      else p.reject(reviveError(data.error));
    };
    w.onerror = (event) => {
      event.preventDefault?.();
      if (worker !== w) return;
      stop();
      failAll(new SealpostError('WORKER_FAILED', `the crypto worker failed and was replaced: ${event.message || 'unknown error'}`));
    };
    w.onmessageerror = () => {
      if (worker !== w) return;
      stop();
      failAll(new SealpostError('WORKER_FAILED', 'the crypto worker sent an answer that could not be read; it was replaced'));
    };
    const init = { wasmUrl: absoluteWasm };
    if (absoluteFull !== undefined) init.fullWasmUrl = absoluteFull;
    // A download that stalls is not waited for longer than a call would be: the worker then
    // fetches the module itself, under the call timeout.
    let stalled;
    const bytes = await Promise.race([wasmBytes, new Promise((resolve) => { stalled = setTimeout(resolve, callTimeout); })]);
    clearTimeout(stalled);
    if (bytes) init.wasmBytes = bytes;
    if (worker !== w) throw new SealpostError('WORKER_FAILED', 'the crypto worker was replaced while it started');
    return post('init', [init]);
  }

  const backend = {
    kind: 'worker',
    generation: 0,
    async call(op, ...args) {
      return backend.run(op, args);
    },
    /** call(op, ...args) with options: { signal } (an AbortSignal). */
    async run(op, args, { signal } = {}) {
      if (signal?.aborted) throw abortError(signal);
      if (!ready) {
        ready = start();
        ready.catch(() => {});
      }
      const r = ready;
      await r;
      if (!worker) throw new SealpostError('WORKER_FAILED', 'the crypto worker was replaced');
      return post(op, args, signal);
    },
    /** How many calls wait for the worker's answer (tests: nothing leaks). */
    get pendingCalls() {
      return pending.size;
    },
    async terminate() {
      stop();
      failAll(new SealpostError('WORKER_FAILED', 'the crypto worker was terminated: keys loaded in it are gone (KEY_DISPOSED)'));
    },
  };
  return backend;
}
