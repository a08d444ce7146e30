// Web Key Directory: an address's WKD URLs, and a lookup over fetch that keeps only the valid
// keys with a user ID for the address (the wasm selects them).
import { SealpostError } from './errors.js';
import { current } from './backend.js';
import { OPTIONS } from './options.js';
import { checkOptions, checkString } from './args.js';
import { wrap } from './keys.js';

/** The Web Key Directory URLs of an address: { hash, advanced, direct }. */
export async function wkdUrls(address) {
  checkString('address', address);
  return current().call('wkdUrls', address);
}

/**
 * Looks up an address's key in its Web Key Directory: the advanced method first, then the
 * direct one.  Returns the valid keys that carry a user ID for the address; NO_USABLE_KEY if
 * the answer has none; NETWORK_ERROR if neither URL answered with a key.
 * options.fetch replaces globalThis.fetch (tests, proxies).
 */
export async function wkdLookup(address, options = {}) {
  checkString('address', address);
  checkOptions('wkdLookup', options, OPTIONS.wkdLookup);
  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== 'function') throw new SealpostError('NOT_SUPPORTED', 'no fetch() in this environment: pass options.fetch');
  const be = current();
  const urls = await be.call('wkdUrls', address);
  const failures = [];
  for (const url of [urls.advanced, urls.direct]) {
    let response;
    try {
      response = await fetchFn(url, { redirect: 'follow', credentials: 'omit', cache: 'no-cache' });
    } catch (e) {
      failures.push(`${url}: ${e && e.message ? e.message : 'fetch failed'}`);
      continue;
    }
    if (!response.ok) {
      failures.push(`${url}: HTTP ${response.status}`);
      continue;
    }
    const body = new Uint8Array(await response.arrayBuffer());
    const refs = await be.call('wkdSelect', body, address);
    return refs.map((ref) => wrap(be, ref));
  }
  throw new SealpostError('NETWORK_ERROR', `WKD lookup failed: ${failures.join('; ')}`);
}
