// The crypto instance the calls run on (worker or direct, made by the entry point's factory):
// configure, terminate, and current() for every other module.  Holds no keys itself.
import { SealpostError, SHIM_ERROR_CODES } from './errors.js';
import { checkObject } from './args.js';

let backendFactory = null;
let backend = null;

/** Set by the entry point (and test builds): how to create the default backend.  Not re-exported by api.js. */
export function setBackendFactory(factory) {
  backendFactory = factory;
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
 * checked against the SHA-384s built in); `createWorker(blobUrl)`: starts the
 * worker from the Blob URL of the checked worker code.
 */
export async function configure(options = {}) {
  checkObject('options', options);
  if (options.mode !== undefined && !['worker', 'direct'].includes(options.mode)) {
    throw new RangeError("options.mode must be 'worker' or 'direct'");
  }
  for (const name of ['wasmUrl', 'workerUrl']) {
    if (options[name] !== undefined && typeof options[name] !== 'string' && !(options[name] instanceof URL)) {
      throw new TypeError(`options.${name} must be a string or a URL`);
    }
  }
  if (options.createWorker !== undefined && typeof options.createWorker !== 'function') {
    throw new TypeError('options.createWorker must be a function');
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
