// The crypto instance the calls run on (worker or direct, made by the entry point's factory):
// configure, terminate, and current() for every other module.  Holds no keys itself.
import { SealpostError, SHIM_ERROR_CODES } from './errors.js';
import { checkOptions } from './args.js';
import { OPTIONS } from './options.js';

let backendFactory = null;
let backend = null;
// Whether the test entry (src/testing.js) was evaluated before the entry point: only then may
// the backend factory be replaced and configure() take a createWorker.
let testHooks = false;

const refused = (message) => new SealpostError('CONFIG_REFUSED', message);

/**
 * How to create the backend: set once, by the entry point (node.js, browser.js), as it is
 * evaluated.  A later call (a page script importing this module) is refused, CONFIG_REFUSED,
 * unless the test entry was imported first.  Not re-exported by api.js.
 */
export function setBackendFactory(factory) {
  if (typeof factory !== 'function') throw new TypeError('factory must be a function');
  if (backendFactory && !testHooks) throw refused('the backend is chosen by the entry point, once');
  backendFactory = factory;
}

/**
 * Called by src/testing.js as it is evaluated: allowed only before an entry point set the
 * factory, so a script that imports the test entry later (where it is served) gets no hooks.
 */
export function enableTestHooks() {
  if (backendFactory && !testHooks) throw refused('src/testing.js must be imported before the entry point (node.js, browser.js)');
  testHooks = true;
}

export function current() {
  if (!backend) {
    if (!backendFactory) throw new SealpostError('NOT_INITIALIZED', 'sealpost was imported without an entry point');
    backend = backendFactory({});
  }
  return backend;
}

/**
 * Chooses how sealpost runs, before the first call (or after `terminate()`).
 * `mode`: 'worker' (browser default: keys live in a Web Worker) or 'direct'.
 * `wasmUrl`, `workerUrl`: where the wasm and the worker file are served (still
 * checked against the SHA-384s built in).  `fullWasmUrl`: where the full module is, for a package
 * built with the default module (issue 23: fetched once, with its own built-in SHA-384, when a
 * call needs an algorithm the default module lacks; default: where the package is).  `callTimeout` (ms, worker mode; default
 * 300000): a call the worker has not answered by then fails with WORKER_TIMEOUT, and the
 * worker (dead or hung) is replaced: every other pending call fails with it, keys loaded in it
 * are gone (KEY_DISPOSED).  `createWorker(blobUrl)` (how the worker is
 * started from the Blob URL of the checked worker code) is for the test entry only: through
 * the package's entry points it is refused, CONFIG_REFUSED, before or after the first call,
 * so a page script cannot put its own Worker between the page and the keys.
 */
export async function configure(options = {}) {
  checkOptions('configure', options, OPTIONS.configure);
  if (options.mode !== undefined && !['worker', 'direct'].includes(options.mode)) {
    throw new RangeError("options.mode must be 'worker' or 'direct'");
  }
  for (const name of ['wasmUrl', 'workerUrl', 'fullWasmUrl']) {
    if (options[name] !== undefined && typeof options[name] !== 'string' && !(options[name] instanceof URL)) {
      throw new TypeError(`options.${name} must be a string or a URL`);
    }
  }
  if (options.callTimeout !== undefined && !(Number.isInteger(options.callTimeout) && options.callTimeout > 0 && options.callTimeout <= 2 ** 31 - 1)) {
    throw new RangeError('options.callTimeout must be a whole number of milliseconds > 0');
  }
  if (options.createWorker !== undefined) {
    if (!testHooks) throw refused('options.createWorker is accepted from the test entry (src/testing.js) only');
    if (typeof options.createWorker !== 'function') throw new TypeError('options.createWorker must be a function');
  }
  if (backend) await backend.terminate();
  // A factory that throws (e.g. NOT_SUPPORTED) leaves no backend: the next call asks it again.
  backend = null;
  backend = backendFactory(options);
  return { mode: backend.kind };
}

/** Stops the worker (if any); every key handle becomes invalid. */
export async function terminate() {
  if (backend) await backend.terminate();
  backend = null;
}

/** The mode in use: 'worker' or 'direct'. */
export function getMode() {
  return current().kind;
}

/** Every stable error code (core and JS layer). */
export async function errorCodes() {
  return [...(await current().call('errorCodes')), ...SHIM_ERROR_CODES];
}
