// Test-only entry (not in package.json's exports, never imported by the
// production entries): the hooks the test suites need.  Import it after an
// entry point (node.js or browser.js).
import { current } from './backend.js';

export { setBackendFactory } from './backend.js';
export { workerBackend } from './backend-worker.js';

/** Traps the crypto instance (tests of trap recovery only): direct mode, or a test worker build that answers the op. */
export async function __testTrap() {
  return current().call('__testTrap');
}
