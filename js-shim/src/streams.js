// Streams: a ReadableStream message pumped through a wasm stream, pulled by the consumer, so
// memory is bounded by the chunk size (and the AEAD chunk), not by the message.
import { signatureResults } from './signatures.js';
import { holding } from './keys.js';
import { abortError, runCall } from './abort.js';

const enc = new TextEncoder();

export const isStream = (v) => v !== null && typeof v === 'object' && typeof v.getReader === 'function';

/**
 * Pumps `source` through a wasm stream (started by `startOp`), pulled by
 * the consumer: memory is bounded by the chunk size, not the message.
 * `onFinish(result)` gets the finish result and returns the last output.
 */
function pump(be, startOp, options, source, { mapOut, onFinish, onError, used, signal, onProgress }) {
  let id = null;
  let processed = 0;
  const progress = () => {
    if (onProgress) {
      try {
        onProgress({ processed });
      } catch {
        // A throwing progress callback does not break the stream.
      }
    }
  };
  let reader = null;
  let finished = false;
  const abort = () => {
    if (id !== null) be.call('streamAbort', id).catch(() => {});
    id = null;
  };
  let onAbort = null;
  const unlisten = () => {
    finished = true;
    if (onAbort) signal.removeEventListener('abort', onAbort);
  };
  return new ReadableStream({
    async start(controller) {
      try {
        // The stream holds its own copies of the keys once started.
        const started = await holding(used, runCall(be, startOp, [options], signal));
        id = started.id;
        reader = source.getReader();
        if (signal) {
          // Aborting cancels the stream: the wasm stream is dropped, the source cancelled,
          // the output errors with ABORTED.
          onAbort = () => {
            if (finished) return;
            const e = abortError(signal);
            unlisten();
            abort();
            reader.cancel(e).catch(() => {});
            onError(e);
            controller.error(e);
          };
          if (signal.aborted) {
            onAbort();
            return;
          }
          signal.addEventListener('abort', onAbort, { once: true });
        }
        if (started.output.length) controller.enqueue(mapOut(started.output, false));
      } catch (e) {
        onError(e);
        throw e;
      }
    },
    async pull(controller) {
      try {
        // Loop until there is output: a pull that enqueues nothing would
        // not be called again for a waiting reader.
        for (;;) {
          const { done, value } = await reader.read();
          if (finished) return; // aborted (the output already errored) or cancelled
          if (done) {
            const result = await be.call('streamFinish', id);
            id = null;
            unlisten();
            const last = onFinish(result);
            if (last.length) controller.enqueue(mapOut(last, true));
            else {
              const tail = mapOut(new Uint8Array(0), true);
              if (tail.length) controller.enqueue(tail);
            }
            controller.close();
            return;
          }
          const chunk = typeof value === 'string' ? enc.encode(value) : value;
          if (!(chunk instanceof Uint8Array)) throw new TypeError('a message stream must yield Uint8Array (or string) chunks');
          const out = await be.call('streamPush', id, chunk);
          processed += chunk.length;
          progress();
          if (out.length) {
            controller.enqueue(mapOut(out, false));
            return;
          }
        }
      } catch (e) {
        if (finished) return; // aborted meanwhile: already errored
        unlisten();
        abort();
        reader?.cancel(e).catch(() => {});
        onError(e);
        controller.error(e);
      }
    },
    cancel(reason) {
      unlisten();
      abort();
      return reader?.cancel(reason);
    },
  });
}

/** A streamed encryption: a stream in, a stream out: strings when armored, bytes when binary. */
export function encryptStream(be, options, source, format, used, signal, onProgress) {
  const ascii = new TextDecoder();
  return pump(be, 'encryptStart', options, source, {
    mapOut: (bytes) => (format === 'armored' ? ascii.decode(bytes) : bytes),
    onFinish: (last) => last,
    onError: () => {},
    used,
    signal,
    onProgress,
  });
}

/**
 * A streamed decryption: `data` is a ReadableStream; `signatures` and
 * `layers` are Promises that settle when the stream ends.  SEIPDv2
 * plaintext arrives chunk by chunk, each chunk authenticated; SEIPDv1
 * arrives only at the end, after the whole message authenticated.  If the
 * stream errors, everything read from it must be discarded.
 */
export function decryptStream(be, options, source, format, used, signal, onProgress) {
  let settle;
  const done = new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Nobody may ever await these: never an unhandled rejection.
  done.catch(() => {});
  const text = new TextDecoder('utf-8');
  // format 'utf8': CRLF → LF as in the buffered call; a CR at a chunk's end waits for the next.
  let cr = '';
  const lines = (s, last) => {
    let t = cr + s;
    cr = !last && t.endsWith('\r') ? '\r' : '';
    if (cr) t = t.slice(0, -1);
    return t.replace(/\r\n/g, '\n');
  };
  const data = pump(be, 'decryptStart', options, source, {
    mapOut: (bytes, last) => (format === 'utf8' ? lines(text.decode(bytes, { stream: !last }), last) : bytes),
    onFinish: (r) => {
      settle.resolve(r);
      return r.data;
    },
    onError: (e) => settle.reject(e),
    used,
    signal,
    onProgress,
  });
  const signatures = done.then((r) => signatureResults(r.signatures));
  const layers = done.then((r) => r.layers);
  const filename = layers.then((l) => l.filename ?? null);
  signatures.catch(() => {});
  layers.catch(() => {});
  filename.catch(() => {});
  return { data, signatures, layers, filename };
}
