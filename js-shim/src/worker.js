// The dedicated worker of worker mode: owns the wasm instance and the keys.
import * as wasm from './wasm/index.js';
import { createEngine } from './engine.js';
import { serializeError } from './errors.js';
import { loadWasmWeb } from './load-web.js';

let engine = null;

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

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    if (op === 'init') {
      await loadWasmWeb(wasm, args[0].wasmUrl, args[0].integrity);
      engine = createEngine(wasm, { exportUnlocked: false });
      self.postMessage({ id, ok: true, result: null });
      return;
    }
    const result = op === '__testTrap' ? wasm.__testTrap() : engine[op](...args);
    self.postMessage({ id, ok: true, result }, transferables(result));
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      self.postMessage({ id, trapped: true, message: err.message });
      self.close();
      return;
    }
    self.postMessage({ id, ok: false, error: serializeError(err) });
  }
};
