// The crypto instance the calls run on (worker or direct, made by the entry point's factory):
// configure, terminate, and current() for every other module.  Holds no keys itself.
import { SealpostError, SHIM_ERROR_CODES } from './errors.js';
import { checkObject } from './args.js';

let backendFactory = null;
let backend = null;

/** Set by the entry point: how to create the default backend. */
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
 */
export async function configure(options = {}) {
  checkObject('options', options);
  if (options.mode !== undefined && !['worker', 'direct'].includes(options.mode)) {
    throw new RangeError("options.mode must be 'worker' or 'direct'");
  }
  if (backend) await backend.terminate();
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

/** @internal Traps the crypto instance (tests of trap recovery only). */
export async function __testTrap() {
  return current().call('__testTrap');
}
