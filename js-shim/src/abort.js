// AbortSignal support shared by the calls and the backends: the `signal` option's check, and
// the error an aborted call rejects with (ABORTED, the signal's reason as its `cause`).
import { SealpostError } from './errors.js';

/** The rejection of a call whose signal aborted: code ABORTED, `cause` the signal's reason. */
export function abortError(signal) {
  const reason = signal.reason;
  const why = reason && typeof reason === 'object' && reason.name === 'TimeoutError' ? 'timed out (its AbortSignal)' : 'was aborted (its AbortSignal)';
  const e = new SealpostError('ABORTED', `the call ${why}`);
  Object.defineProperty(e, 'cause', { value: reason, configurable: true, writable: true });
  return e;
}

/** The `signal` option: undefined or an AbortSignal (TypeError otherwise). */
export function checkSignal(signal) {
  if (signal === undefined) return undefined;
  if (typeof AbortSignal === 'undefined' || !(signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  return signal;
}

/** Throws ABORTED if the signal has aborted (before work starts, between steps). */
export function throwIfAborted(signal) {
  if (signal?.aborted) throw abortError(signal);
}

/**
 * backend.call(op, ...args) with the call's signal: through the backend's run() (the worker's
 * abandons a pending call when the signal aborts), or, for a backend without one (a test
 * backend), refused before it starts when the signal has aborted.
 */
export async function runCall(be, op, args, signal) {
  if (typeof be.run === 'function') return be.run(op, args, { signal });
  throwIfAborted(signal);
  return be.call(op, ...args);
}

/** `promise`, or ABORTED as soon as the signal aborts (for work that may ignore the signal: a fetch). */
export function raceAbort(promise, signal) {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  let onAbort;
  const aborted = new Promise((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
