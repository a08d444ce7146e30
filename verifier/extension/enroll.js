// sealpost guard: what the browser enforces for an enrolled origin (its
// declarativeNetRequest rules, the session rules, clearing its service
// workers and caches) and enrollment itself (preview, pin, rules, reload).
// Also the verifier wasm's initialisation and the uncached fetch, shared
// with the per-load checks in background.js.
import init, * as verifier from './pkg/sealpost_verifier_wasm.js';
import { GUARD_FILES, fetchWithin, originRules, ruleIds, serviceWorkerRule } from './guard.js';
import { canHoldResponses, clearOriginStorageByHost, discardCachedPages, releaseHeld } from './firefox.js';
import { forgetPin, pins, revokedKey, savePin, syncContentScripts } from './pins.js';

export const ready = init({ module_or_path: new URL('./pkg/sealpost_verifier_wasm_bg.wasm', import.meta.url) });
// Uncached (what is hashed is what the server sends now), and within a deadline, body included.
export { fetchWithin as fetchBytes };

// --- what the browser enforces: declarativeNetRequest rules per enrolled origin

/**
 * Installs the origin's rules from a verified manifest (replacing the
 * previous release's), and records the policy in the pin.  Resolves once
 * the browser has them: only then may a load of that release start.
 */
export async function applyRules(origin, manifest) {
  const all = await pins();
  const pin = all[origin];
  const used = new Set(Object.values(all).map((p) => p.ruleId).filter(Boolean));
  let ruleId = pin?.ruleId;
  if (!ruleId) for (ruleId = 1; used.has(ruleId); ruleId++);
  const { policy, rules } = originRules(origin, manifest, ruleId);
  await chrome.declarativeNetRequest.updateDynamicRules({ removeRuleIds: ruleIds(ruleId), addRules: rules });
  await savePin({ ...(await pins())[origin], ruleId, policy, policyVersion: manifest.version });
  return policy;
}

export async function removeRules(pin) {
  if (pin?.ruleId) await chrome.declarativeNetRequest.updateDynamicRules({ removeRuleIds: ruleIds(pin.ruleId) });
}

/**
 * The session rules (guard.js serviceWorkerRule): for every enrolled origin,
 * no script fetched outside a tab — a service worker's — may load.
 */
export async function syncSessionRules() {
  const want = Object.values(await pins()).filter((p) => p.ruleId).map((p) => serviceWorkerRule(p.origin, p.ruleId));
  const have = await chrome.declarativeNetRequest.getSessionRules();
  await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: have.map((r) => r.id), addRules: want });
}

/**
 * Every tab's back/forward cache emptied.  A page of the origin opened
 * before enrollment that enrollment navigated away from (or that a tab left
 * earlier) sits there with no rules and no content script; gone back to, it
 * would be shown again and run — its pageshow handler first, before any
 * check could see it.  Chromium evicts every tab's cached pages whenever an
 * extension's declarativeNetRequest rules change (so that cached pages
 * never escape new rules), and on webRequest.handlerBehaviorChanged() (at
 * most 20 calls per 10 minutes): both, after the origin's documents are
 * gone.  Gone back to, such a page is then fetched again — a checked load.
 */
export async function flushBackForwardCache(held = [], keep = null) {
  const rules = await chrome.declarativeNetRequest.getSessionRules();
  // Set again as they are: a change of the session ruleset all the same.
  await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: rules.map((r) => r.id), addRules: rules });
  try {
    await chrome.webRequest.handlerBehaviorChanged();
  } catch {
    // Over its quota: the rules' change above evicted them already.
  }
  // Neither empties Firefox's cache: there, every tab is discarded, a guard page selected in each
  // window meanwhile (firefox.js; recorded in `held`, released by the caller: releaseHeld), but
  // the tab `keep`.
  if (canHoldResponses()) await discardCachedPages(held, keep);
}

/** Service workers and Cache Storage of the origin: a cached document never reaches the rules. */
export async function clearOriginStorage(origin) {
  if (canHoldResponses()) return clearOriginStorageByHost(origin);
  await chrome.browsingData.remove({ origins: [origin] }, { serviceWorkers: true, cacheStorage: true });
}

// --- enrollment

/** What the origin publishes: its manifest, verified with the certificate it serves. */
export async function preview(origin) {
  await ready;
  const [manifestBytes, sig, cert] = await Promise.all(GUARD_FILES.map((f) => fetchWithin(`${origin}/${f}`)));
  const now = Math.floor(Date.now() / 1000);
  // An expired release (RELEASE_EXPIRED) or a key that revoked itself is never pinned.
  const manifest = verifier.verifyManifest(manifestBytes, sig, cert, now);
  const self = verifier.refreshCert(cert, cert, now);
  if (self.revoked) throw new Error(`the site's release key is revoked (${self.reason}); it cannot be enrolled`);
  const info = verifier.certInfo(cert);
  // A key once seen revoked stays refused, also after the site was forgotten.
  const seen = await revokedKey(info.fingerprint);
  if (seen) throw new Error(`the site's release key ${info.fingerprint} was revoked (${seen.reason}, seen ${seen.at}); it cannot be enrolled`);
  const manifestSha256 = [...new Uint8Array(await crypto.subtle.digest('SHA-256', manifestBytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return { origin, app: manifest.app, version: manifest.version, fingerprint: info.fingerprint, userIds: info.userIds, cert: new TextDecoder().decode(cert), manifest, manifestSha256 };
}

// --- closing the origin's documents (enrollment's second step)

const ENROLLING = 'enrolling.html';
/** How long the origin's documents have to go (navigated away, then, if still there, closed). */
export const CLOSE_DEADLINE_MS = 3000;

const originOfUrl = (u) => {
  try {
    return new URL(u).origin;
  } catch {
    return null;
  }
};

/**
 * The tabs that show a document of `origin`: as the top document, as a
 * frame at any depth, or as the navigation the tab is about to commit.
 * Frames come from webNavigation, which lists every frame whatever its
 * site (no host access needed).
 */
export async function tabsShowing(origin) {
  const found = [];
  for (const tab of await chrome.tabs.query({})) {
    if ([tab.url, tab.pendingUrl].some((u) => originOfUrl(u) === origin || mayInheritOrigin(u))) {
      found.push(tab);
      continue;
    }
    const frames = (await chrome.webNavigation.getAllFrames({ tabId: tab.id }).catch(() => null)) || [];
    if (frames.some((f) => originOfUrl(f.url) === origin)) found.push(tab);
  }
  return found;
}

/**
 * A top-level `about:blank` window has the origin of whoever opened it, and
 * its URL does not say which: a page opened before enrollment can
 * `open('')` and `document.write` a script into it, and that window lives
 * on with the origin's storage and cookies after the page is gone.  The
 * tab API gives no way to ask a tab its origin, so every such tab counts
 * as the origin's: it is emptied (sent away, then back to a new, empty
 * `about:blank`) like the origin's own tabs.  (A frame's `about:blank`
 * belongs to its parent, whose tab the origin check above already finds.)
 */
const mayInheritOrigin = (u) => typeof u === 'string' && /^about:blank(?:[?#]|$)/i.test(u);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** How long after the first clearing of the origin's storage it is cleared again. */
export const STORAGE_SETTLE_MS = 300;

/**
 * Every document of `origin` gone, whichever tab it is in: each tab showing
 * one (top or frame) is navigated to the extension's enrolling.html, and a
 * tab that still shows the origin after CLOSE_DEADLINE_MS (a page that
 * holds on to its navigation) is closed.  Resolves to what to restore —
 * [{ tabId, url }] — once no tab shows the origin; throws if one still
 * does.  A document opened before enrollment never got the rules: left
 * open, it is a same-origin window without the guard's policy (it can
 * write the origin's storage, register a service worker again, and reach
 * the guarded pages it shares a browsing context group with).
 */
export async function closeOriginDocuments(origin) {
  const restore = [];
  const page = chrome.runtime.getURL(ENROLLING);
  for (const tab of await tabsShowing(origin)) {
    restore.push({ tabId: tab.id, url: tab.pendingUrl && originOfUrl(tab.pendingUrl) === origin ? tab.pendingUrl : tab.url });
    await chrome.tabs.update(tab.id, { url: `${page}?origin=${encodeURIComponent(origin)}` }).catch(() => {});
  }
  const gone = async (ms) => {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (!(await tabsShowing(origin)).length) return true;
    return !(await tabsShowing(origin)).length;
  };
  if (await gone(CLOSE_DEADLINE_MS)) return restore;
  for (const tab of await tabsShowing(origin)) {
    await chrome.tabs.remove(tab.id).catch(() => {});
    const r = restore.find((x) => x.tabId === tab.id);
    if (r) r.closed = true;
  }
  if (await gone(CLOSE_DEADLINE_MS)) return restore;
  const left = await tabsShowing(origin);
  const e = new Error(`${left.length} tab(s) still show ${origin} and could not be closed; close them and enroll again`);
  e.restore = restore;
  throw e;
}

/** Back to what each tab showed, now under the rules (a closed tab opens again). */
async function restoreTabs(restore) {
  for (const { tabId, url, closed } of restore) {
    if (closed) await chrome.tabs.create({ url, active: false }).catch(() => {});
    else await chrome.tabs.update(tabId, { url }).catch(() => {});
  }
}

/** Origins being enrolled now (from the pin's saving until the tabs are restored). */
const enrolling = new Set();

/**
 * Whether `origin` is being enrolled: its documents opened before (still
 * open until step 2 closes them) have no load, and a request of theirs
 * that completes meanwhile is not a load to resume and block — enrollment
 * itself takes them away (before: a late beacon of such a tab had it
 * blocked CHECK_LOST, and the tab, no longer showing the origin, was never
 * restored).
 */
export const isEnrolling = (origin) => enrolling.has(origin);

/**
 * Pins the certificate the user was shown (trust on first use).
 * `manifestSha256`: the manifest the site's release log proved (tlog.js
 * withLogPin), the only one that may be enrolled (null: no log).
 */
export async function enroll(origin, fingerprint, manifestSha256 = null, popupTab = null) {
  if (enrolling.has(origin)) throw new Error(`${origin} is being enrolled already`);
  enrolling.add(origin);
  try {
    return await enrollSteps(origin, fingerprint, manifestSha256, popupTab);
  } finally {
    enrolling.delete(origin);
  }
}

async function enrollSteps(origin, fingerprint, manifestSha256, popupTab) {
  const p = await preview(origin);
  if (p.fingerprint !== fingerprint) throw new Error(`the site now publishes key ${p.fingerprint}, not the ${fingerprint} you were shown`);
  if (manifestSha256 && p.manifestSha256 !== manifestSha256) {
    throw new Error(`NOT_LOGGED: the site served another manifest (SHA-256 ${p.manifestSha256}) than the one its release log proves (${manifestSha256}); nothing was enrolled`);
  }
  const existing = (await pins())[origin];
  if (existing) throw new Error(`${origin} is already enrolled (key ${existing.fingerprint}); forget it first to pin another key`);
  await savePin({ origin, app: p.app, fingerprint: p.fingerprint, cert: p.cert, version: p.version, enrolledAt: new Date().toISOString(), failure: null });
  // A fixed sequence, each step done before the next:
  // 1. the rules in place — the session rule too, so that a page of the
  //    origin still open cannot register a service worker again;
  // 2. every document of the origin gone: each tab showing it (top or
  //    frame) navigated away, or closed;
  // 3. every tab's back/forward cache emptied (flushBackForwardCache: a
  //    page of the origin left there by step 2, or earlier, never comes
  //    back unchecked) — again after step 4, for a page loaded meanwhile;
  // 4. the origin's service workers and Cache Storage cleared (resolved by
  //    the browser once done), and cleared again STORAGE_SETTLE_MS later
  //    (writes the closed documents had in flight); every guarded
  //    document confirms it again: no controller, no registration — content.js;
  // 5. the content script registered;
  // 6. every tab back where it was, under the rules.
  let restore = [];
  // Firefox: the guard pages selected while tabs are discarded (firefox.js), released at the end;
  // the popup's tab, if it runs in one (the guard's page waiting for this answer), is left as it is.
  const held = [];
  try {
    await applyRules(origin, p.manifest);
    await syncSessionRules();
    restore = await closeOriginDocuments(origin);
    await flushBackForwardCache(held, popupTab);
    await clearOriginStorage(origin);
    // A write a closed document had in flight (Cache Storage, every 20 ms
    // in the test) can land after the first clearing: cleared once more.
    await sleep(STORAGE_SETTLE_MS);
    await clearOriginStorage(origin);
    await syncContentScripts();
    await flushBackForwardCache(held, popupTab);
  } catch (e) {
    restore = e.restore || restore;
    try {
      await removeRules((await pins())[origin]);
      await forgetPin(origin);
      await syncSessionRules().catch(() => {});
      await syncContentScripts().catch(() => {});
    } finally {
      await restoreTabs(restore);
      await releaseHeld(held);
    }
    throw e;
  }
  await restoreTabs(restore);
  await releaseHeld(held);
  return { ...p, manifest: undefined, manifestSha256: undefined };
}
