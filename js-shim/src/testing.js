// Test-only entry (not in package.json's exports nor in the tarball, never imported by the
// production entries): the hooks the test suites need.  Import it BEFORE an entry point
// (node.js or browser.js): it enables the hooks (replacing the backend factory,
// configure({ createWorker })) only while no entry point has chosen the backend yet; imported
// later, it throws CONFIG_REFUSED.
import { current, enableTestHooks } from './backend.js';
import { trapDirectForTest } from './backend-direct.js';

enableTestHooks();

export { setBackendFactory } from './backend.js';
export { workerBackend } from './backend-worker.js';

/**
 * Traps the crypto instance (tests of trap recovery only): in direct mode through the
 * backend's test hook (its `call` does not dispatch a trap op); in worker mode only a test
 * build of the worker answers the op (the production worker: INVALID_ARGUMENT).
 */
export async function __testTrap() {
  const be = current();
  return be.kind === 'direct' ? trapDirectForTest(be) : be.call('__testTrap');
}

/** How many calls wait for the crypto worker's answer (0 in direct mode): tests that nothing leaks. */
export function __pendingCalls() {
  return current().pendingCalls;
}
