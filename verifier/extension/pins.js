// sealpost guard: the pins (chrome.storage.local) and the content script
// registration that follows them.  Imported by background.js (the service
// worker) and enroll.js; the storage listener below is registered when the
// worker's module graph is evaluated, before any event is dispatched.

import { contentScriptPattern } from './firefox.js';

// --- pins (chrome.storage.local): origin → { origin, app, fingerprint, cert, version, enrolledAt, failure }

let pinsCache = null;
export async function pins() {
  if (!pinsCache) pinsCache = (await chrome.storage.local.get('pins')).pins || {};
  return pinsCache;
}
export async function savePin(pin) {
  const all = await pins();
  all[pin.origin] = pin;
  await chrome.storage.local.set({ pins: all });
}
export async function forgetPin(origin) {
  const all = await pins();
  const pin = all[origin];
  // A revoked key stays revoked: forgetting the site does not forget that.
  if (pin?.revoked && pin.fingerprint) await noteRevokedKey(pin.fingerprint, { origin, ...pin.revoked });
  delete all[origin];
  await chrome.storage.local.set({ pins: all });
}

/**
 * Read-modify-writes of the records kept across forget ('revokedKeys',
 * 'policyFloors'), one after another: two made at once (two tabs, two
 * origins) would each read the old map and the second write would drop
 * the first's entry.  `change(map)` edits the map in place.
 */
let keptWrites = Promise.resolve();
function updateKept(key, change) {
  const run = keptWrites.then(async () => {
    const all = (await chrome.storage.local.get(key))[key] || {};
    change(all);
    await chrome.storage.local.set({ [key]: all });
  });
  keptWrites = run.catch(() => {});
  return run;
}

// --- revoked keys (chrome.storage.local 'revokedKeys'): fingerprint → { origin, reason, at }, kept across forget

export async function revokedKeys() {
  return (await chrome.storage.local.get('revokedKeys')).revokedKeys || {};
}
export function noteRevokedKey(fingerprint, info) {
  return updateKept('revokedKeys', (all) => {
    all[String(fingerprint).toLowerCase()] = info;
  });
}
/** The record of `fingerprint` if that key was seen revoked (by any origin), else null. */
export async function revokedKey(fingerprint) {
  return (await revokedKeys())[String(fingerprint).toLowerCase()] || null;
}
// --- policy floors (chrome.storage.local 'policyFloors', red-team finding 3 of issue 21): origin →
// { log, rebuilderKeys, rebuildQuorum, at }, the strongest log policy pinned for the origin, kept
// across forget and never lowered (tlog.js refuses a weaker one: POLICY_WEAKER)

export async function policyFloors() {
  return (await chrome.storage.local.get('policyFloors')).policyFloors || {};
}
/** Raises the origin's floor to the log pin `lp` (its rebuilderKeys, rebuildQuorum); never lowers it. */
export function raiseFloor(origin, lp) {
  return updateKept('policyFloors', (all) => {
    const old = all[origin] || { rebuilderKeys: [], rebuildQuorum: 0 };
    all[origin] = {
      log: true,
      rebuilderKeys: [...new Set([...(old.rebuilderKeys || []), ...(lp.rebuilderKeys || [])])],
      rebuildQuorum: Math.max(old.rebuildQuorum || 0, lp.rebuildQuorum || 0),
      at: new Date().toISOString(),
    };
  });
}

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.pins) pinsCache = changes.pins.newValue || {};
});

/** The content script runs on enrolled origins only (and nowhere else). */
const CONTENT_SCRIPT = 'sealpost-guard-dom';
let syncing = Promise.resolve();
/** One sync at a time: an unregister from one must not land after another's register. */
export function syncContentScripts() {
  syncing = syncing.then(registerContentScripts, registerContentScripts);
  return syncing;
}
async function registerContentScripts() {
  const matches = Object.keys(await pins()).map(contentScriptPattern);
  await chrome.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT] }).catch(() => {});
  if (matches.length) {
    await chrome.scripting.registerContentScripts([{
      // matchOriginAsFallback: also about:blank, about:srcdoc, blob: and data:
      // frames whose creator is on the origin (they share its window).
      id: CONTENT_SCRIPT, matches, js: ['dom.js', 'content.js'], runAt: 'document_start', allFrames: true, matchOriginAsFallback: true, persistAcrossSessions: true,
    }]);
  }
}

// --- the running release (issue 21): pin.release = { version, manifest, sig }
// (base64), the signed manifest the guard last accepted and switched the
// rules to.  While a newer release awaits its rebuilders' attestations
// (NOT_REBUILT), a load that is entirely this release still runs: it is
// judged against these bytes, verified again with the pinned key.

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Records the signed manifest `bytes` / `sig` of the accepted `version` in the pin of `origin` (once per release). */
export async function keepRelease(origin, version, bytes, sig) {
  const all = await pins();
  const pin = all[origin];
  if (!pin) return;
  const manifest = toBase64(bytes);
  if (pin.release?.version === version && pin.release.manifest === manifest) return;
  await savePin({ ...pin, release: { version, manifest, sig: toBase64(sig) } });
}

/** The kept release of `pin` as { version, bytes, sig }, or null. */
export function keptRelease(pin) {
  const r = pin?.release;
  if (!r || typeof r.manifest !== 'string' || typeof r.sig !== 'string') return null;
  try {
    return { version: r.version, bytes: fromBase64(r.manifest), sig: fromBase64(r.sig) };
  } catch {
    return null;
  }
}
