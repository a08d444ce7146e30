// Key servers: a VKS client (keys.openpgp.org's /vks/v1/by-fingerprint/ and /by-email/) and an
// HKP client (/pks/lookup?op=get).  Each fetches one URL under the server the caller names (no
// default server, no other request), reads at most `maxBytes` of the answer, and returns only the
// keys that match what was asked: the fingerprint (of the primary key or a subkey), or a valid user
// ID with the address.  Everything else in the answer is dropped; an answer with no such key is
// NO_USABLE_KEY, one that is not OpenPGP keys MALFORMED_INPUT, one too large LIMIT_EXCEEDED.
import { SealpostError } from './errors.js';
import { current } from './backend.js';
import { OPTIONS } from './options.js';
import { checkOptions, checkString } from './args.js';
import { wrap } from './keys.js';
import { abortError, checkSignal, raceAbort, runCall } from './abort.js';

/** The default and largest answer read: keys with many signatures stay well below it. */
const DEFAULT_MAX_BYTES = 1 << 20;

/**
 * What is looked up: { fingerprint } (40 or 64 hex digits, upper-case) or { email }.  A key ID is
 * refused (anyone can make a key with a given 64-bit key ID): look up the fingerprint.
 */
function parseQuery(query) {
  checkString('query', query);
  const q = query.trim();
  if (q.includes('@')) {
    if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(q)) throw new RangeError('query: not an e-mail address');
    return { email: q };
  }
  const hex = q.replace(/^0x/i, '').replace(/\s+/g, '').toUpperCase();
  if (/^[0-9A-F]{16}$/.test(hex)) throw new RangeError('query: a key ID is not enough to find a key safely: give the full fingerprint');
  if (!/^(?:[0-9A-F]{40}|[0-9A-F]{64})$/.test(hex)) throw new RangeError('query: a fingerprint (40 or 64 hex digits) or an e-mail address');
  return { fingerprint: hex };
}

/** The server's base URL (http or https, no query or fragment), without a trailing slash. */
function serverUrl(url) {
  if (url === undefined) throw new TypeError('options.url is required: the key server to ask (sealpost has no default server)');
  let u;
  try {
    u = new URL(String(url));
  } catch {
    throw new RangeError('options.url is not a URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new RangeError('options.url must be an http(s) URL');
  if (u.search || u.hash || u.username || u.password) throw new RangeError('options.url must not carry a query, a fragment or credentials');
  return u.href.replace(/\/+$/, '');
}

/** The body of `response`, at most `max` bytes (LIMIT_EXCEEDED beyond, reading stops there). */
async function readCapped(response, max, signal) {
  const declared = Number(response.headers?.get?.('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel?.().catch(() => {});
    throw new SealpostError('LIMIT_EXCEEDED', `the key server's answer is ${declared} bytes, more than ${max}`);
  }
  if (!response.body || typeof response.body.getReader !== 'function') {
    const all = new Uint8Array(await raceAbort(response.arrayBuffer(), signal));
    if (all.length > max) throw new SealpostError('LIMIT_EXCEEDED', `the key server's answer is more than ${max} bytes`);
    return all;
  }
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await raceAbort(reader.read(), signal);
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new SealpostError('LIMIT_EXCEEDED', `the key server's answer is more than ${max} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function lookup(kind, query, options, urlFor) {
  checkOptions(kind, options, OPTIONS[kind]);
  const q = parseQuery(query);
  const base = serverUrl(options.url);
  const signal = checkSignal(options.signal);
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!(Number.isInteger(max) && max > 0 && max <= DEFAULT_MAX_BYTES)) throw new RangeError(`maxBytes must be a whole number of bytes, 1 to ${DEFAULT_MAX_BYTES}`);
  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== 'function') throw new SealpostError('NOT_SUPPORTED', 'no fetch() in this environment: pass options.fetch');
  const url = urlFor(base, q);
  let response;
  try {
    response = await raceAbort(fetchFn(url, { redirect: 'error', credentials: 'omit', cache: 'no-cache', headers: { accept: 'application/pgp-keys' }, ...(signal && { signal }) }), signal);
  } catch (e) {
    if (signal?.aborted) throw e.code === 'ABORTED' ? e : abortError(signal);
    throw new SealpostError('NETWORK_ERROR', `${kind}: ${url}: ${e && e.message ? e.message : 'fetch failed'}`);
  }
  if (response.status === 404) {
    await response.body?.cancel?.().catch(() => {});
    throw new SealpostError('NO_USABLE_KEY', `${kind}: the server has no key for ${q.email ?? q.fingerprint}`);
  }
  if (!response.ok) {
    await response.body?.cancel?.().catch(() => {});
    throw new SealpostError('NETWORK_ERROR', `${kind}: ${url}: HTTP ${response.status}`);
  }
  const body = await readCapped(response, max, signal);
  const be = current();
  let refs;
  try {
    refs = q.email !== undefined
      ? await runCall(be, 'wkdSelect', [body, q.email], signal)
      : await runCall(be, 'selectByFingerprint', [body, q.fingerprint], signal);
  } catch (e) {
    if (e.code === 'NO_USABLE_KEY') throw new SealpostError('NO_USABLE_KEY', `${kind}: the answer holds no valid key for ${q.email ?? q.fingerprint}`);
    if (e.code === 'MALFORMED_INPUT') throw new SealpostError('MALFORMED_INPUT', `${kind}: the answer is not OpenPGP keys`);
    throw e;
  }
  return refs.map((ref) => wrap(be, ref));
}

/**
 * A VKS lookup (the API of keys.openpgp.org and Hagrid servers): `query` is a fingerprint (GET
 * {url}/vks/v1/by-fingerprint/{FPR}) or an e-mail address (GET {url}/vks/v1/by-email/{address}).
 * options: `url` (required: the server, e.g. 'https://keys.openpgp.org'), `fetch`, `signal`,
 * `maxBytes` (answer cap, default and at most 1 MiB).  The public keys that match; see above.
 */
export async function vksLookup(query, options = {}) {
  return lookup('vksLookup', query, options, (base, q) =>
    q.email !== undefined ? `${base}/vks/v1/by-email/${encodeURIComponent(q.email)}` : `${base}/vks/v1/by-fingerprint/${q.fingerprint}`);
}

/**
 * An HKP lookup: GET {url}/pks/lookup?op=get&options=mr&search={0xFPR | address}.  Options and
 * result as vksLookup.
 */
export async function hkpLookup(query, options = {}) {
  return lookup('hkpLookup', query, options, (base, q) =>
    `${base}/pks/lookup?op=get&options=mr&search=${encodeURIComponent(q.email ?? `0x${q.fingerprint}`)}`);
}
