// Direct mode: the wasm runs on the calling thread (Node, tests, or pages
// that ask for it).  A trap resets the instance; keys held by the trapped
// instance are gone (their handles fail with KEY_DISPOSED).
import { createEngine, onDemand } from './engine.js';
import { SealpostError } from './errors.js';
import { throwIfAborted } from './abort.js';

// backend → runs fn(wasm) with the backend's trap recovery: for src/testing.js
// only (its trap op); no op that `call` dispatches reaches it.
const runners = new WeakMap();

/** Traps a direct backend's wasm (trap-recovery tests; src/testing.js). */
export function trapDirectForTest(backend) {
  const run = runners.get(backend);
  if (!run) throw new SealpostError('INVALID_ARGUMENT', 'not a direct backend');
  return run((wasm) => wasm.__testTrap());
}

/**
 * @param {() => Promise<any>} load resolves to the initialised wasm module namespace
 * @param {{ exportUnlocked?: boolean, fetchFull?: () => Promise<WebAssembly.Module> }} options
 *   fetchFull: the full module, checked against its pinned SHA-384, for a package built with the
 *   default module (engine.js onDemand); absent: no switch
 */
export function directBackend(load, { exportUnlocked = true, fetchFull } = {}) {
  let engine = null;
  let runner = null;
  let loading = null;
  let wasm = null;

  /** Runs fn(wasm) on the loaded instance; a trap resets it. */
  async function run(fn) {
    if (!engine) {
      loading ??= load().then((w) => {
        wasm = w;
        engine = createEngine(w, { exportUnlocked });
        runner = onDemand(engine, w, fetchFull);
      });
      try {
        await loading;
      } finally {
        loading = null;
      }
    }
    try {
      return await fn(wasm);
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) {
        // The instance is poisoned: reset it and start over with no keys (on the module it was
        // running: the full one after a switch).
        wasm.__wbg_reset_state?.();
        engine = createEngine(wasm, { exportUnlocked });
        runner = onDemand(engine, wasm, runner?.full ? null : fetchFull);
        backend.generation++;
        throw new SealpostError('WASM_TRAPPED', `the crypto module trapped and was reset (${err.message})`);
      }
      throw err;
    }
  }

  const backend = {
    kind: 'direct',
    generation: 0,
    async call(op, ...args) {
      return backend.run(op, args);
    },
    /**
     * call(op, ...args) with options: { signal }.  The wasm runs on this thread, so a call
     * cannot be interrupted: an aborted signal refuses it before it starts (ABORTED).
     */
    async run(op, args, { signal } = {}) {
      throwIfAborted(signal);
      // The engine's own methods only (no trap op: that is src/testing.js's, through runners).
      return run(() => {
        throwIfAborted(signal);
        if (typeof op !== 'string' || !Object.hasOwn(engine, op)) throw new SealpostError('INVALID_ARGUMENT', `unknown operation ${JSON.stringify(String(op))}`);
        return runner.call(op, args);
      });
    },
    pendingCalls: 0,
    async terminate() {},
  };
  runners.set(backend, run);
  return backend;
}
