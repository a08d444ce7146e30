// tests/bench/cost.mjs: the engine (the same engine.js and wasm as the crypto worker's) run on this
// worker's own thread, timed here: what a call costs in the worker with no message in between.
// Bundled into one file by cost.mjs (esbuild), as the crypto worker is.
import * as wasm from '../../js-shim/src/wasm/index.js';
import { createEngine } from '../../js-shim/src/engine.js';
import { pattern } from './cost-ops.mjs';

let ops;
self.onmessage = async ({ data: m }) => {
  if (m.op === 'init') {
    await wasm.initAsync({ module_or_path: fetch(m.wasmUrl) });
    const engine = createEngine(wasm, { exportUnlocked: false });
    const data = pattern(1024);
    const keygen = { userIDs: ['Bench <bench@example.org>'], type: 'curve25519', keyExpirationTime: 0, aead: false };
    const { key } = engine.generateKey(keygen);
    const pub = engine.publicKey(key.handle);
    const sig = engine.sign({ data, signers: [key.handle], mode: 'detached', text: false, armor: false });
    ops = {
      noop: () => engine.release([]),
      sign: () => engine.sign({ data, signers: [key.handle], mode: 'detached', text: false, armor: false }),
      verify: () => engine.verify({ data, signature: sig, keys: [pub.handle], requireSignature: true }),
      keygen: () => {
        const r = engine.generateKey(keygen);
        const p = engine.publicKey(r.key.handle);
        engine.release([r.key.handle, p.handle]);
      },
    };
    self.postMessage({ id: m.id });
    return;
  }
  const fn = ops[m.what];
  // m.sleep: the thread sleeps that many ms between calls (Atomics.wait), as the crypto worker's
  // thread does between messages — what a call costs once its caches went cold.
  const cell = m.sleep ? new Int32Array(new SharedArrayBuffer(4)) : null;
  let asleep = 0;
  const t0 = performance.now();
  for (let i = 0; i < m.n; i++) {
    fn();
    if (cell) {
      const s = performance.now();
      Atomics.wait(cell, 0, 0, m.sleep);
      asleep += performance.now() - s;
    }
  }
  self.postMessage({ id: m.id, us: ((performance.now() - t0 - asleep) * 1000) / m.n });
};
