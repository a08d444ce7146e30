// The dedicated worker of worker mode: owns the wasm instance and the keys.
// Built into one file with no imports (src/wasm/worker.bundle.js, by
// tools/build-shim.mjs); the page fetches that file with the SHA-384 it was
// built with and starts it from a Blob URL of the checked bytes.  The wasm
// (fetched here, or by the page while this worker started and handed over
// with init) runs only if it has the SHA-384 built into this bundle,
// whatever the page says.
import * as wasm from './wasm/index.js';
import { createEngine, onDemand } from './engine.js';
import { serializeError } from './errors.js';
import { loadWasmBytes, loadWasmWeb, fetchFullModule, fullIntegrityOf } from './load-web.js';

let engine = null;
// The engine's calls, with the switch to the full module when this bundle pins one.
let runner = null;
let starting = null;

/** Buffers of the Uint8Arrays in a result, to transfer instead of copy. */
function transferables(value, out = []) {
  if (value instanceof Uint8Array) {
    if (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength) out.push(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) transferables(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) transferables(v, out);
  }
  return out;
}

/**
 * Where the full module is, if this bundle was built with the default module (FULL_WASM_INTEGRITY
 * set) and the page said where (its fullWasmUrl); else no switch.
 */
function fullModuleSource({ fullWasmUrl }) {
  const integrity = fullIntegrityOf(wasm);
  if (!integrity || typeof fullWasmUrl !== 'string') return null;
  return { url: fullWasmUrl, integrity };
}

/** Handles one call: init once, then only the engine's own methods. */
async function handle({ id, op, args }) {
  try {
    if (op === 'init') {
      // Once: a second init could only swap the wasm under the keys.
      if (starting) throw new wasm.SealpostError('INVALID_ARGUMENT', 'the crypto worker is already initialised');
      // The page may hand over the module's bytes (fetched while this worker started): checked
      // here against the SHA-384 built into this bundle, whatever the page says.
      const bytes = args[0].wasmBytes;
      // (Hashing needs crypto.subtle, which a page outside a secure context lacks: then the
      // worker fetches the module itself, with fetch integrity.)
      starting = bytes instanceof ArrayBuffer && globalThis.crypto?.subtle
        ? loadWasmBytes(wasm, bytes, wasm.WASM_INTEGRITY)
        : loadWasmWeb(wasm, args[0].wasmUrl, wasm.WASM_INTEGRITY);
      await starting;
      engine = createEngine(wasm, { exportUnlocked: false });
      const full = fullModuleSource(args[0]);
      runner = onDemand(engine, wasm, full && (() => fetchFullModule(full.url, full.integrity)));
      self.postMessage({ id, ok: true, result: null });
      return;
    }
    if (!engine || typeof op !== 'string' || !Object.hasOwn(engine, op) || !Array.isArray(args)) {
      throw new wasm.SealpostError('INVALID_ARGUMENT', `unknown operation ${JSON.stringify(String(op))}`);
    }
    const result = await runner.call(op, args);
    self.postMessage({ id, ok: true, result }, transferables(result));
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      self.postMessage({ id, trapped: true, message: err.message });
      self.close();
      return;
    }
    self.postMessage({ id, ok: false, error: serializeError(err) });
  }
}

self.onmessage = ({ data }) => handle(data);
