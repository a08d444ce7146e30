// sealpost guard: the pins (chrome.storage.local) and the content script
// registration that follows them.  Imported by background.js (the service
// worker) and enroll.js; the storage listener below is registered when the
// worker's module graph is evaluated, before any event is dispatched.

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
  delete all[origin];
  await chrome.storage.local.set({ pins: all });
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
  const matches = Object.keys(await pins()).map((o) => `${o}/*`);
  await chrome.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT] }).catch(() => {});
  if (matches.length) {
    await chrome.scripting.registerContentScripts([{
      // matchOriginAsFallback: also about:blank, about:srcdoc, blob: and data:
      // frames whose creator is on the origin (they share its window).
      id: CONTENT_SCRIPT, matches, js: ['dom.js', 'content.js'], runAt: 'document_start', allFrames: true, matchOriginAsFallback: true, persistAcrossSessions: true,
    }]);
  }
}
