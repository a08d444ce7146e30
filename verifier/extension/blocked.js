// Shows why a page was blocked; the reason travels in the URL fragment
// (set by the service worker; web pages cannot open this extension page).
const SUMMARY = {
  FILE_MISMATCH: 'A served file differs from the signed release.',
  UNLISTED: 'The page loaded code that the signed release does not contain.',
  PAGE_POLICY: 'The page is served with a policy that lets unverified code run.',
  MANIFEST_SIGNATURE: 'The release manifest is not signed by the key pinned at enrollment.',
  ROLLBACK: 'The site serves an older release than one already seen.',
  APP_CHANGED: 'The site now serves a different application.',
  DEADLINE: 'The served code could not be proven to be the signed release in time.',
  MANIFEST_UNAVAILABLE: 'The signed release manifest could not be fetched in time.',
  NO_LOAD: 'The site answered with a page the guard could not check (a redirect without a target).',
  UNCHECKED_LOAD: 'This page did not come from a load the guard checked (a service worker, a cache, or history).',
  POLICY_NOT_ENFORCED: "The guard's code policy is not in force in this page.",
  SERVICE_WORKER: 'A service worker controls this page.',
  CHECK_LOST: 'The guard restarted before this page was verified; reload it.',
  DOCUMENT_DIFFERS: 'The page this tab received differs from the signed release.',
  RELEASE_EXPIRED: 'The site serves a release whose signed expiry date has passed.',
  KEY_REVOKED: "The key that signs this site's releases has been revoked by its owner.",
  NOT_LOGGED: "This release is not in the site's public release log: it could have been made for you alone.",
  SPLIT_VIEW: "The site shows you a release log that contradicts the one seen before: a view made for you alone.",
  NOT_REBUILT: "Independent rebuilders have not attested, in the site's public log, that this release is what its source builds to.",
  NOT_BOUND: "The site's public log does not bind this site to the key that signs this release.",
  BINDING_COOLING_DOWN: "This release key was bound to the site too recently: it counts only once it has been public for the cool-down.",
  POLICY_WEAKER: 'The site now publishes a weaker release policy than the one pinned before.',
  WASM_MISMATCH: 'The page gave WebAssembly code that the signed release does not contain.',
  WASM_GUARD_MISSING: 'The guard could not install its WebAssembly check for this site (Firefox), so the page was not delivered; reload it, or restart the browser.',
  EXPIRY_TOO_FAR: 'The release manifest claims to stay valid for longer than a signed release may.',
  PIN_UNREADABLE: "The guard's pinned certificate for this site cannot be read.",
  BAD_MANIFEST: 'The release manifest could not be read.',
  DOCUMENT_UNAVAILABLE: 'The page could not be fetched again to check it.',
  RESOURCE_UNAVAILABLE: 'A file of the release could not be fetched to check it.',
};
let reason = {};
function render() {
  try {
    reason = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  } catch {
    reason = { code: 'UNKNOWN' };
  }
  document.getElementById('summary').textContent = SUMMARY[reason.code] || 'The served code could not be verified.';
  for (const k of ['origin', 'url', 'code', 'file', 'expected', 'actual', 'detail']) {
    document.getElementById(k).textContent = reason[k] ?? '';
  }
  document.body.dataset.code = reason.code || '';
}
render();
// A second block of the same tab may only change the fragment (same document).
window.addEventListener('hashchange', render);

// The badge is per tab and reset by the navigation here: set it again.
chrome.tabs.getCurrent().then((tab) => {
  if (!tab) return;
  chrome.action.setBadgeText({ tabId: tab.id, text: '✗' });
  chrome.action.setBadgeBackgroundColor({ tabId: tab.id, color: '#b91c1c' });
  chrome.action.setTitle({ tabId: tab.id, title: `sealpost: BLOCKED — ${reason.code}: ${reason.file}` });
});
