// Direct mode: the wasm runs on the calling thread (Node, tests, or pages
// that ask for it).  A trap resets the instance; keys held by the trapped
// instance are gone (their handles fail with KEY_DISPOSED).
import { createEngine } from './engine.js';
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

/** @param {() => Promise<any>} load resolves to the initialised wasm module namespace */
export function directBackend(load, { exportUnlocked = true } = {}) {
  let engine = null;
  let loading = null;
  let wasm = null;

  /** Runs fn(wasm) on the loaded instance; a trap resets it. */
  async function run(fn) {
    if (!engine) {
      loading ??= load().then((w) => {
        wasm = w;
        engine = createEngine(w, { exportUnlocked });
      });
      try {
        await loading;
      } finally {
        loading = null;
      }
    }
    try {
      return fn(wasm);
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) {
        // The instance is poisoned: reset it and start over with no keys.
        wasm.__wbg_reset_state?.();
        engine = createEngine(wasm, { exportUnlocked });
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
        return engine[op](...args);
      });
    },
    pendingCalls: 0,
    async terminate() {},
  };
  runners.set(backend, run);
  return backend;
}
