// Time to first result (issue 23): a fresh page imports the library and
// generates its first key — ?lib=sealpost (worker mode, the browser
// default) or ?lib=openpgp (OpenPGP.js's browser bundle).  Times are
// performance.now(), counted from the navigation's start.
const lib = new URLSearchParams(location.search).get('lib');
window.__first = { done: false };
try {
  const mod = lib === 'openpgp'
    ? await import('../../node_modules/openpgp/dist/openpgp.min.mjs')
    : await import('../../js-shim/src/browser.js');
  const imported = performance.now();
  // format 'object': sealpost keeps an unlocked key in its worker (no armored export of it).
  const { privateKey } = await mod.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'First', email: 'first@example.org' }], format: 'object' });
  if (!/^[0-9a-f]{40}$/.test(await privateKey.getFingerprint())) throw new Error('no key');
  const first = performance.now();
  // A second key: what a key costs once the library is up (first − imported − this ≈ its start-up).
  await mod.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Second', email: 'second@example.org' }], format: 'object' });
  window.__first = { done: true, imported, first, second: performance.now() - first };
} catch (e) {
  window.__first = { done: true, error: `${e && e.name}: ${e && e.message}` };
}
