// sealpost guard: what the browser enforces for an enrolled origin (its
// declarativeNetRequest rules, the session rules, clearing its service
// workers and caches) and enrollment itself (preview, pin, rules, reload).
// Also the verifier wasm's initialisation and the uncached fetch, shared
// with the per-load checks in background.js.
import init, * as verifier from './pkg/sealpost_verifier_wasm.js';
import { GUARD_FILES, fetchWithin, originRules, ruleIds, serviceWorkerRule } from './guard.js';
import { forgetPin, pins, savePin, syncContentScripts } from './pins.js';

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

/** Service workers and Cache Storage of the origin: a cached document never reaches the rules. */
export async function clearOriginStorage(origin) {
  await chrome.browsingData.remove({ origins: [origin] }, { serviceWorkers: true, cacheStorage: true });
}

// --- enrollment

/** What the origin publishes: its manifest, verified with the certificate it serves. */
export async function preview(origin) {
  await ready;
  const [manifestBytes, sig, cert] = await Promise.all(GUARD_FILES.map((f) => fetchWithin(`${origin}/${f}`)));
  const manifest = verifier.verifyManifest(manifestBytes, sig, cert);
  const info = verifier.certInfo(cert);
  return { origin, app: manifest.app, version: manifest.version, fingerprint: info.fingerprint, userIds: info.userIds, cert: new TextDecoder().decode(cert), manifest };
}

/** Pins the certificate the user was shown (trust on first use). */
export async function enroll(origin, fingerprint) {
  const p = await preview(origin);
  if (p.fingerprint !== fingerprint) throw new Error(`the site now publishes key ${p.fingerprint}, not the ${fingerprint} you were shown`);
  const existing = (await pins())[origin];
  if (existing) throw new Error(`${origin} is already enrolled (key ${existing.fingerprint}); forget it first to pin another key`);
  await savePin({ origin, app: p.app, fingerprint: p.fingerprint, cert: p.cert, version: p.version, enrolledAt: new Date().toISOString(), failure: null });
  // A fixed sequence: the rules in place — the session rule too, so that a
  // page of the origin still open cannot register a service worker again
  // while it is cleared —, then the origin's service workers and caches
  // gone, then every open page of the origin reloaded (the popup reloads
  // the active one) under the rules.
  try {
    await applyRules(origin, p.manifest);
    await syncSessionRules();
    await clearOriginStorage(origin);
  } catch (e) {
    await removeRules((await pins())[origin]);
    await forgetPin(origin);
    await syncSessionRules().catch(() => {});
    throw e;
  }
  await syncContentScripts();
  for (const tab of await chrome.tabs.query({ url: `${origin}/*` })) if (!tab.active) chrome.tabs.reload(tab.id).catch(() => {});
  return { ...p, manifest: undefined };
}
