// The benchmark page: ?lib=sealpost (worker mode, the browser default),
// ?lib=sealpost-direct (the wasm on the page's thread: what the worker's
// message round trips cost) or ?lib=openpgp (OpenPGP.js's browser bundle,
// on the page's thread, as it runs).
import { run } from './workload.mjs';

const params = new URLSearchParams(location.search);
const which = params.get('lib');
const quick = params.get('quick') === '1';
const sizes = (params.get('sizes') || '').split(',').filter(Boolean).map(Number);
const log = (s) => { document.getElementById('log').textContent += `${s}\n`; };
window.__bench = { done: false };
try {
  const lib = which.startsWith('sealpost')
    ? await import('../../js-shim/src/browser.js')
    : await import('../../node_modules/openpgp/dist/openpgp.min.mjs');
  if (which === 'sealpost-direct') await lib.configure({ mode: 'direct' });
  const bulk = params.get('bulk') === '1';
  const small = params.get('small') === '1';
  const rows = await run(lib, { quick, log, bulk, small, ...(sizes.length ? { sizes } : {}) });
  window.__bench = { done: true, rows };
} catch (e) {
  window.__bench = { done: true, error: `${e && e.name}: ${e && e.message}` };
}
