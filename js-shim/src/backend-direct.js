// Direct mode: the wasm runs on the calling thread (Node, tests, or pages
// that ask for it).  A trap resets the instance; keys held by the trapped
// instance are gone (their handles fail with KEY_DISPOSED).
import { createEngine } from './engine.js';
import { SealpostError } from './errors.js';

/** @param {() => Promise<any>} load resolves to the initialised wasm module namespace */
export function directBackend(load, { exportUnlocked = true } = {}) {
  let engine = null;
  let loading = null;
  let wasm = null;
  const backend = {
    kind: 'direct',
    generation: 0,
    async call(op, ...args) {
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
        // The engine's own methods only; the trap op is for test suites
        // (src/testing.js): in direct mode the wasm's own export is on the
        // page anyway.
        if (op === '__testTrap') return wasm.__testTrap();
        if (!Object.hasOwn(engine, op)) throw new SealpostError('INVALID_ARGUMENT', `unknown operation ${JSON.stringify(String(op))}`);
        return engine[op](...args);
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
    },
    async terminate() {},
  };
  return backend;
}
