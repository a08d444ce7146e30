// A test build of the crypto worker (bundled by test/browser.test.mjs with its own
// SHA-384): the production worker plus a trap op, to test trap recovery.
import * as wasm from '../../src/wasm/index.js';
import '../../src/worker.js';

const inner = self.onmessage;
self.onmessage = (event) => {
  if (event.data.op !== '__testTrap') return inner(event);
  try {
    wasm.__testTrap();
  } catch (err) {
    self.postMessage({ id: event.data.id, trapped: true, message: err.message });
    self.close();
  }
};
