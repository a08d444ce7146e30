// Errors: the one SealpostError class (the same class the wasm throws, so
// `instanceof` works in every mode) and the table of stable codes.
// It comes from the wasm package's small error module, not its glue: a page
// in worker mode never loads the glue.
export { SealpostError } from './wasm/error.js';
import { SealpostError } from './wasm/error.js';

/** Codes raised by the JS layer itself, on top of the core's codes. */
export const SHIM_ERROR_CODES = Object.freeze([
  'WASM_TRAPPED', // the wasm instance trapped; it was replaced and the call failed
  'KEY_DISPOSED', // a key handle was released, or belonged to a replaced instance
  'INTEGRITY_FAILED', // the wasm or the worker did not match the SHA-384 it was built with
  'NOT_SUPPORTED', // the environment lacks what the call needs (e.g. Worker)
  'NOT_INITIALIZED', // sealpost was used without an entry point
  'EXPORT_REFUSED', // an unlocked private key may not leave the crypto worker
  'KEY_PROTECTED', // the key already has a passphrase: only changeKeyPassphrase sets a new one
  'NETWORK_ERROR', // a lookup (WKD) got no usable answer from any URL
  'CONFIG_REFUSED', // a test-only choice (createWorker, a backend factory) asked for outside the test entry
  'WORKER_FAILED', // the crypto worker failed (error event) or was terminated with the call pending
  'ABORTED', // the call's AbortSignal aborted (its reason is the error's cause)
  'STREAM_NOT_SUPPORTED', // this call takes no ReadableStream (sign, verify): pass the bytes
  'WORKER_TIMEOUT', // the crypto worker did not answer a call within configure({ callTimeout }); it was replaced
]);

/** Rebuilds an error that crossed postMessage (structured clone drops classes). */
export function reviveError(e) {
  if (e && e.name === 'SealpostError') return new SealpostError(e.code, e.message, e.missing);
  if (e && e.name === 'TypeError') return new TypeError(e.message);
  if (e && e.name === 'RangeError') return new RangeError(e.message);
  return new Error(e && e.message ? e.message : String(e));
}

/** The cloneable form of an error, for postMessage. */
export function serializeError(e) {
  const out = { name: e && e.name, code: e && e.code, message: e && e.message ? e.message : String(e) };
  if (e && e.missing === 'algorithm') out.missing = 'algorithm';
  return out;
}
