// The benchmark page: ?lib=sealpost (worker mode, the browser default) or
// ?lib=openpgp (OpenPGP.js's browser bundle, on the page's thread, as it runs).
import { run } from './workload.mjs';

const params = new URLSearchParams(location.search);
const which = params.get('lib');
const quick = params.get('quick') === '1';
const sizes = (params.get('sizes') || '').split(',').filter(Boolean).map(Number);
const log = (s) => { document.getElementById('log').textContent += `${s}\n`; };
window.__bench = { done: false };
try {
  const lib = which === 'sealpost'
    ? await import('../../js-shim/src/browser.js')
    : await import('../../node_modules/openpgp/dist/openpgp.min.mjs');
  const rows = await run(lib, { quick, log, ...(sizes.length ? { sizes } : {}) });
  window.__bench = { done: true, rows };
} catch (e) {
  window.__bench = { done: true, error: `${e && e.name}: ${e && e.message}` };
}
