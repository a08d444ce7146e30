// Web Key Directory: an address's WKD URLs, and a lookup over fetch that keeps only the valid
// keys with a user ID for the address (the wasm selects them).
import { SealpostError } from './errors.js';
import { current } from './backend.js';
import { OPTIONS } from './options.js';
import { checkOptions, checkString } from './args.js';
import { wrap } from './keys.js';
import { abortError, checkSignal, raceAbort, runCall } from './abort.js';

/** The Web Key Directory URLs of an address: { hash, advanced, direct }. */
export async function wkdUrls(address) {
  checkString('address', address);
  return current().call('wkdUrls', address);
}

/**
 * Looks up an address's key in its Web Key Directory: the advanced method first, then the
 * direct one.  Returns the valid keys that carry a user ID for the address; NO_USABLE_KEY if
 * the answer has none; NETWORK_ERROR if neither URL answered with a key.
 * options.fetch replaces globalThis.fetch (tests, proxies); options.signal (an AbortSignal) is
 * passed to it, and the lookup rejects with ABORTED as soon as it aborts (even if fetch ignores it).
 */
export async function wkdLookup(address, options = {}) {
  checkString('address', address);
  checkOptions('wkdLookup', options, OPTIONS.wkdLookup);
  const signal = checkSignal(options.signal);
  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== 'function') throw new SealpostError('NOT_SUPPORTED', 'no fetch() in this environment: pass options.fetch');
  const be = current();
  const urls = await runCall(be, 'wkdUrls', [address], signal);
  const failures = [];
  for (const url of [urls.advanced, urls.direct]) {
    let response;
    try {
      response = await raceAbort(fetchFn(url, { redirect: 'follow', credentials: 'omit', cache: 'no-cache', ...(signal && { signal }) }), signal);
    } catch (e) {
      if (signal?.aborted) throw e.code === 'ABORTED' ? e : abortError(signal);
      failures.push(`${url}: ${e && e.message ? e.message : 'fetch failed'}`);
      continue;
    }
    if (!response.ok) {
      failures.push(`${url}: HTTP ${response.status}`);
      continue;
    }
    const body = new Uint8Array(await raceAbort(response.arrayBuffer(), signal));
    const refs = await runCall(be, 'wkdSelect', [body, address], signal);
    return refs.map((ref) => wrap(be, ref));
  }
  throw new SealpostError('NETWORK_ERROR', `WKD lookup failed: ${failures.join('; ')}`);
}
