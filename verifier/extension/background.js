// sealpost guard: the service worker.  For every load of an enrolled
// origin it verifies the release manifest's signature with the pinned
// certificate (no rollback), then hashes the document and every listed or
// code-bearing resource the page loads and compares them with the manifest,
// checks the page's CSP headers, and has the content script compare the
// document as the tab parsed it with the verified one.  The first failure navigates the tab
// to blocked.html and is remembered for the origin until the user clears
// it.  The checks themselves are the verifier library, compiled to wasm.
//
// v2 (guard.js): before anything runs, declarativeNetRequest rules built
// from the pinned, verified manifest add a CSP to every document of the
// origin that lets only the release's scripts run (by hash), with
// Integrity-Policy and COOP; and every check fails closed: a deadline for
// the load and for each fetch, a navigation that starts no load is blocked,
// a document the guard did not see load is blocked.
//
// The pins and the content script registration are in pins.js; the
// rules, clearing and enrollment in enroll.js; this file keeps the checks
// of each load and every listener of the worker but the storage one.
import * as verifier from './pkg/sealpost_verifier_wasm.js';
import { Load, REQUIRED, certOutcome, decideManifest, failure, releasePath } from './policy.js';
import {
  CANARY, CANARY_DEADLINE_MS, CHECK_DEADLINE_MS, GUARD_FILES, classifyRequest, documentAlive, fromPrerender, mainFrameKind, messageAllowed, pendingVerdict,
  serverPolicies, startsNoLoad,
} from './guard.js';
import {
  allPending, dropPending, notePendingDocument, pendingOf, settlePending, tabOfAlarm, trackPending,
} from './deadlines.js';
import { forgetPin, keepRelease, keptRelease, noteRevokedKey, pins, savePin, syncContentScripts } from './pins.js';
import { NOT_THE_KEPT_RELEASE, awaitingFailure, previousRelease } from './rebuild.js';
import { firefoxGuard, verdictTarget, wasmFailure, wasmIntegrity } from './firefox.js';
import {
  applyRules, clearOriginStorage, enroll, fetchBytes, isEnrolling, preview, ready, removeRules, syncSessionRules,
} from './enroll.js';
import { checkLogged, fetchProof, forgetLog, keyChange, previewLog, withLogPin } from './tlog.js';

const BADGE = {
  checking: { text: '…', color: '#6b7280', title: 'checking the served code against its signed release' },
  valid: { text: '✓', color: '#15803d', title: 'verified' },
  blocked: { text: '✗', color: '#b91c1c', title: 'BLOCKED: the served code differs from its signed release' },
};

/** tabId → Load (lost if the worker restarts: rebuilt from the tab's URL). */
const loads = new Map();
/** Blocks so far (numbers the blocked.html pages). */
let blocks = 0;
/** tabId → the promise of a load being started (see onHeadersReceived). */
const starting = new Map();

// Registrations persist; they are redone on enroll/forget, and on install or
// update only — not every time the service worker wakes.
chrome.runtime.onInstalled.addListener(() => {
  syncContentScripts().catch((e) => console.error('sealpost guard: content script registration failed', e));
  syncSessionRules().catch((e) => console.error('sealpost guard: session rules failed', e));
});
// Session rules are gone after a browser restart: installed again before any page loads.
chrome.runtime.onStartup.addListener(() => {
  syncSessionRules().catch((e) => console.error('sealpost guard: session rules failed', e));
});

function originOf(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

// --- one load

function badge(tabId, load) {
  const b = BADGE[load.state];
  const title = load.state === 'valid' ? `sealpost: ${b.title} — ${load.app} ${load.version}` : `sealpost: ${b.title}`;
  chrome.action.setBadgeText({ tabId, text: b.text }).catch(() => {});
  chrome.action.setBadgeBackgroundColor({ tabId, color: b.color }).catch(() => {});
  chrome.action.setTitle({ tabId, title }).catch(() => {});
}

/** Failures of the guard itself (its worker restarted): they block the load but are not the site's. */
const TRANSIENT = new Set(['CHECK_LOST']);

/**
 * Blocks `load`: the tab goes to blocked.html, and the failure is recorded
 * for the origin — unless `record` is false (a check cut short by a
 * restart of this worker: not the site's doing, as far as the guard knows).
 */
async function block(tabId, load, f, { record = true } = {}) {
  // Judged against the release in force while a newer one awaits attestations: a file of the newer one is NOT_REBUILT.
  if (load.awaiting && NOT_THE_KEPT_RELEASE.has(f.code)) f = awaitingFailure(load.awaiting, f);
  load.resolveDocument?.(null);
  clearTimeout(load.timer);
  if (!load.fail(f)) return;
  load.verdictMs = Date.now() - load.started;
  badge(tabId, load);
  chrome.storage.session.remove(`valid:${tabId}`).catch(() => {});
  // The tab leaves its document: nothing is pending in it any more (when
  // this is its current load; an older load's block settles only its own record).
  (loads.get(tabId) === load ? dropPending(tabId) : settlePending(tabId, load)).catch(() => {});
  const all = await pins();
  const pin = all[load.origin];
  if (pin && !pin.failure && record && !TRANSIENT.has(f.code)) await savePin({ ...pin, failure: { ...f, url: load.url, at: new Date().toISOString() } });
  const reason = { origin: load.origin, url: load.url, ...f };
  // A query of its own makes each block a new document, not a fragment change.
  const page = `${chrome.runtime.getURL('blocked.html')}?n=${++blocks}#${encodeURIComponent(JSON.stringify(reason))}`;
  await chrome.tabs.update(tabId, { url: page }).catch(() => {});
}

function passed(tabId, load, key) {
  // A check of an earlier load of this tab decides nothing for the current one.
  if (loads.get(tabId) !== load) return;
  const before = load.state;
  load.pass(key);
  if (load.state === 'valid' && before !== 'valid') {
    load.verdictMs = Date.now() - load.started;
    settlePending(tabId, load).catch(() => {});
    // Survives a restart of this worker: this one document (not whatever is
    // at the URL later) was proven valid.
    if (load.documentId) chrome.storage.session.set({ [`valid:${tabId}`]: { url: load.url, documentId: load.documentId } }).catch(() => {});
    // The page is inert until now (content.js): let input reach it — that
    // document only, not a newer one of the tab or another frame.
    // (Firefox has no document ids: there, to the tab's top frame — firefox.js verdictTarget.)
    const target = verdictTarget(load.documentId);
    if (target) chrome.tabs.sendMessage(tabId, { type: 'verdict', state: 'valid' }, target).catch(() => {});
  }
  badge(tabId, load);
}

/** The load's deadline: every required check passed by then, or it is blocked. */
function deadline(tabId, load) {
  if (loads.get(tabId) !== load || load.failure) return;
  const missing = REQUIRED.filter((k) => !load.passed.has(k));
  if (missing.length) {
    block(tabId, load, failure('DEADLINE', releasePath(load.url, load.origin) || load.url, `every check done within ${CHECK_DEADLINE_MS} ms`,
      `still open: ${missing.join(', ')}`, 'a load not proven valid in time is blocked (a stalled manifest or page cannot keep it "checking")'));
  }
}

/** Verifies the manifest with the pinned certificate; resolves to { manifest, bytes } or null. */
async function checkManifest(tabId, load, pin) {
  try {
    await ready;
    // The release's log proof (tlog.js; only for an origin with a log pinned), in the same round.
    const logProof = fetchProof(load.origin);
    // The manifest and its signature, and the release certificate (its
    // refresh: a failure to get it only keeps the pinned one), in one round.
    const [bytes, sig, fetchedCert] = await Promise.all([
      fetchBytes(`${load.origin}/${GUARD_FILES[0]}`),
      fetchBytes(`${load.origin}/${GUARD_FILES[1]}`),
      fetchBytes(`${load.origin}/${GUARD_FILES[2]}`).catch((e) => (e instanceof Error ? e : new Error(String(e)))),
    ]);
    const now = Math.floor(Date.now() / 1000);
    const cert = await refreshPinnedCert(tabId, load, pin, fetchedCert, now);
    if (cert === null) return null;
    let manifest;
    try {
      // With the time: a manifest past its signed `expires` is refused (RELEASE_EXPIRED), and
      // one whose `expires` is more than 400 days after its signature (EXPIRY_TOO_FAR).
      manifest = verifier.verifyManifest(bytes, sig, new TextEncoder().encode(cert), now);
    } catch (e) {
      // Signed by another key than the pinned one: a key change, accepted only
      // with a cooled-down binding in the log (tlog.js keyChange, issue 21).
      const changed = e.code === 'BAD_SIGNATURE' ? await keyChange(load.origin, pin, bytes, sig, fetchedCert, now) : null;
      if (changed?.failure) {
        await block(tabId, load, changed.failure);
        return null;
      }
      if (changed?.manifest) {
        manifest = changed.manifest;
        pin = (await pins())[pin.origin];
      }
    }
    if (!manifest) try {
      manifest = verifier.verifyManifest(bytes, sig, new TextEncoder().encode(cert), now);
    } catch (e) {
      const code = e.code === 'BAD_SIGNATURE' ? 'MANIFEST_SIGNATURE' : e.code || 'BAD_MANIFEST';
      await block(tabId, load, code === 'RELEASE_EXPIRED'
        ? failure(code, 'manifest.json', 'a signed release that has not expired', e.message,
          'the release\'s signed expiry date has passed: a server cannot keep users on an old release for ever')
        : code === 'EXPIRY_TOO_FAR'
          ? failure(code, 'manifest.json', 'a signed expiry at most 400 days after the signature', e.message,
            'a release signed to stay valid for longer could keep users on it for years')
          : failure(code, 'manifest.json', `a signature by the pinned key ${pin.fingerprint}`, e.message));
      return null;
    }
    // Only a release the transparency log proves runs (NOT_LOGGED, SPLIT_VIEW): before its rules go in.
    const logged = await checkLogged(load.origin, pin.fingerprint, bytes, logProof);
    if (logged !== true) {
      // A newer release awaiting its rebuilders (issue 21): the release in force runs meanwhile, if that is what is served (rebuild.js).
      const held = logged.code === 'NOT_REBUILT' ? (await pins())[pin.origin] : null;
      const kept = held && previousRelease(held, keptRelease(held), manifest, cert, now, logged);
      if (kept) {
        load.awaiting = kept.awaiting;
        load.app = kept.manifest.app;
        load.version = kept.manifest.version;
        load.policy = held.policy;
        passed(tabId, load, 'manifest');
        return { manifest: kept.manifest, bytes: kept.bytes };
      }
      await block(tabId, load, logged);
      return null;
    }
    const d = decideManifest(pin, manifest, verifier.compareVersions);
    if (!d.ok) {
      await block(tabId, load, d.failure);
      return null;
    }
    if (d.newVersion) await savePin({ ...(await pins())[pin.origin], version: d.newVersion });
    load.app = manifest.app;
    load.version = manifest.version;
    const current = (await pins())[pin.origin];
    if (!current.policy || current.policyVersion !== manifest.version) {
      // A newer signed release: its rules go in before it runs; this document
      // was served under the old ones, so the tab loads again.
      await applyRules(pin.origin, manifest);
      // Its deadline timer and pending record stay until the reload's
      // response replaces this load (onHeadersReceived); a reload that
      // fails, or brings no load in time, leaves this document blocked.
      load.superseded = true;
      const reloaded = await chrome.tabs.reload(tabId).then(() => true, (e) => e);
      if (reloaded !== true && loads.get(tabId) === load) {
        await block(tabId, load, failure('DEADLINE', releasePath(load.url, load.origin) || load.url, 'the tab loaded again under the newer release\'s rules',
          `the reload failed: ${String(reloaded?.message || reloaded)}`, 'a document served under the old rules does not run unchecked'), { record: false });
      }
      return null;
    }
    load.policy = current.policy;
    keepRelease(pin.origin, manifest.version, bytes, sig).catch(() => {});
    passed(tabId, load, 'manifest');
    return { manifest, bytes };
  } catch (e) {
    await block(tabId, load, failure('MANIFEST_UNAVAILABLE', 'manifest.json', 'the signed manifest', String(e.message || e)));
    return null;
  }
}

/**
 * The pinned certificate's life (policy.js certOutcome): the certificate
 * the site serves now, merged by the verifier with the pinned one
 * (refreshCert keeps only what the pinned key itself signed).  A
 * revocation blocks the origin for good (pin.revoked); an update becomes
 * the pin; anything else keeps the pinned certificate, with a note in the
 * pin's status.  Resolves to the certificate to verify the manifest with,
 * or null when the load was blocked.
 */
async function refreshPinnedCert(tabId, load, pin, fetched, now) {
  let result = fetched;
  if (!(fetched instanceof Error)) {
    try {
      result = verifier.refreshCert(new TextEncoder().encode(pin.cert), fetched, now);
    } catch (e) {
      result = e;
    }
  }
  const { action, status } = certOutcome(result);
  const current = (await pins())[pin.origin];
  if (!current) return null;
  const at = new Date().toISOString();
  if (action === 'revoke') {
    const revoked = { reason: status.detail, at };
    await savePin({ ...current, cert: result.cert, revoked, certStatus: { ...status, at } });
    await noteRevokedKey(current.fingerprint, { origin: current.origin, ...revoked }).catch(() => {});
    await block(tabId, load, revokedFailure(current, revoked));
    return null;
  }
  if (action === 'block') {
    // The pin itself cannot be read any more: its revocation could never be seen (policy.js certOutcome).
    await block(tabId, load, failure('PIN_UNREADABLE', GUARD_FILES[2].split('/').pop(), 'a pinned certificate the guard can read, refresh and see revoked',
      status.detail, 'the pinned certificate is damaged; forget the site and enroll it again'));
    return null;
  }
  const cert = action === 'update' ? result.cert : current.cert;
  if (action === 'update' || current.certStatus?.state !== status.state) {
    await savePin({ ...current, cert, certStatus: { ...status, at } });
  }
  return cert;
}

/** The failure of every load of an origin whose pinned key revoked itself. */
function revokedFailure(pin, revoked) {
  return failure('KEY_REVOKED', GUARD_FILES[2].split('/').pop(), `the release key ${pin.fingerprint}, not revoked`, `revoked: ${revoked.reason}`,
    `the site's release key was revoked by its owner (seen ${revoked.at}); every load of this site is blocked — forget the site only once its operator has published a new key`);
}

/** The document: its bytes, its references and its CSP headers, by the library's page check. */
async function checkDocument(tabId, load, m, cspHeaders) {
  const path = releasePath(load.url, load.origin);
  try {
    const bytes = await fetchBytes(load.url);
    const served = [{ path, integrity: verifier.sri(bytes), size: bytes.length, content: bytes, cspHeaders }];
    const report = verifier.checkServed(m.bytes, served, load.origin);
    const file = report.files.find((f) => f.path === path);
    if (!file || file.status === 'unexpected') {
      return block(tabId, load, failure('UNLISTED', path, 'a page listed in the manifest', 'a page the release does not contain'));
    }
    if (file.status !== 'matched') {
      const page = report.pages.find((p) => p.path === path);
      const detail = page && page.problems.length ? `the served page has: ${page.problems.map(describe).join('; ')}` : '';
      return block(tabId, load, failure('FILE_MISMATCH', path, file.expected, file.actual, detail));
    }
    const problems = (report.pages.find((p) => p.path === path) || { problems: [] }).problems;
    if (problems.length) {
      return block(tabId, load, failure('PAGE_POLICY', path, 'a strict CSP, SRI on every script and style, no inline code', problems.map(describe).join('; ')));
    }
    load.resolveDocument(new TextDecoder().decode(bytes));
    passed(tabId, load, 'document');
  } catch (e) {
    await block(tabId, load, failure('DOCUMENT_UNAVAILABLE', path, 'the page', String(e.message || e)));
  }
}

function describe(p) {
  switch (p.problem) {
    case 'csp': return `CSP ${p.directive}: ${p.issue}`;
    case 'inline_code': return `inline ${p.kind} (${p.hash})`;
    case 'unlisted': return `unlisted ${p.path}`;
    case 'no_integrity': return `no integrity on ${p.url}`;
    case 'integrity_mismatch': return `integrity of ${p.url} is ${p.integrity}, the manifest says ${p.expected}`;
    case 'external': return `external ${p.url}`;
    case 'base_href': return `<base href=${p.href}>`;
    default: return JSON.stringify(p);
  }
}

async function checkResource(tabId, load, m, url, type) {
  const path = releasePath(url, load.origin);
  const what = classifyRequest(type, path, m.manifest);
  if (what === 'skip' || load.passed.has(url)) return;
  if (what === 'unexpected') {
    return block(tabId, load, failure('UNLISTED', path, 'only files listed in the signed manifest', `a ${type} the release does not contain`));
  }
  load.expect(url);
  badge(tabId, load);
  try {
    const bytes = await fetchBytes(url);
    const entry = m.manifest.files[path];
    const actual = verifier.sri(bytes);
    if (verifier.sriMatches(entry.integrity, bytes) !== 'matched' || bytes.length !== entry.size) {
      return block(tabId, load, failure('FILE_MISMATCH', path, entry.integrity, actual, `${bytes.length} bytes served, ${entry.size} listed`));
    }
    passed(tabId, load, url);
  } catch (e) {
    await block(tabId, load, failure('RESOURCE_UNAVAILABLE', path, m.manifest.files[path]?.integrity || '', String(e.message || e)));
  }
}

/** Starts a load: the manifest, then the document. */
async function startLoad(tabId, url, origin, cspHeaders) {
  const pin = (await pins())[origin];
  if (!pin) return null;
  const load = new Load(origin, url);
  loads.set(tabId, load);
  if (pin.revoked) {
    // For good: clearing the failure does not bring a revoked key back.
    await block(tabId, load, revokedFailure(pin, pin.revoked));
    return load;
  }
  if (pin.failure) {
    // Absorbing: a failure stays until the user clears it in the popup.
    const f = pin.failure;
    await block(tabId, load, { ...f, detail: `${f.detail ? f.detail + ' — ' : ''}first seen ${f.at}; open the sealpost popup to re-check` });
    return load;
  }
  badge(tabId, load);
  load.documentReady = new Promise((resolve) => { load.resolveDocument = resolve; });
  for (const k of load.required) load.expect(k);
  // The deadline twice: a timer in this worker, and a record with an alarm
  // that outlive it (deadlines.js) — written before any check runs.
  const tracked = trackPending(tabId, load, load.started + CHECK_DEADLINE_MS);
  load.timer = setTimeout(() => deadline(tabId, load), CHECK_DEADLINE_MS);
  load.manifestReady = tracked.then(() => checkManifest(tabId, load, pin));
  load.manifestReady.then((m) => m && checkDocument(tabId, load, m, cspHeaders));
  return load;
}

/**
 * A load of a tab whose checks this worker did not see (it restarted): it
 * keeps its verdict only for the very document that was proven valid
 * (`documentId`, of the request's main frame), never for another page at the same URL.
 */
async function resumeLoad(tabId, url, origin, documentId) {
  const pin = (await pins())[origin];
  if (!pin) return null;
  const load = new Load(origin, url);
  loads.set(tabId, load);
  const proven = (await chrome.storage.session.get(`valid:${tabId}`))[`valid:${tabId}`];
  if (!proven || proven.url !== url || !documentId || proven.documentId !== documentId || pin.failure || pin.revoked) {
    await block(tabId, load, failure('CHECK_LOST', releasePath(url, origin), 'a load checked from its first response',
      'the guard restarted before this load was proven valid', 'a check that cannot run counts as failed; reload the page'));
    return load;
  }
  load.documentId = documentId;
  load.pass('document');
  load.pass('dom');
  load.documentReady = Promise.resolve(null);
  load.manifestReady = checkManifest(tabId, load, pin);
  return load;
}

async function loadsFor(details) {
  const origin = originOf(details.url);
  if (!origin || !(await pins())[origin]) return [];
  // A prerendered page's requests: no load of the tab answers for them (the page is loaded again when activated).
  if (fromPrerender(details)) return [];
  if (details.tabId >= 0) {
    await starting.get(details.tabId);
    let load = loads.get(details.tabId);
    if (!load) {
      // This worker was restarted: the tab's document keeps its verdict only
      // if it had been proven valid; a check cut short cannot run again (its
      // response headers are gone), so that load is blocked.
      const tab = await chrome.tabs.get(details.tabId).catch(() => null);
      if (!tab || originOf(tab.url) !== origin) return [];
      // A document opened before an enrollment still under way has no load
      // (enroll.js closes it): its late requests resume nothing.
      if (isEnrolling(origin)) return [];
      load = await resumeLoad(details.tabId, tab.url, origin, details.frameId === 0 ? details.documentId : details.parentDocumentId);
    }
    return load && load.origin === origin ? [[details.tabId, load]] : [];
  }
  // Requests of workers may carry no tab: every load of the origin answers for them.
  return [...loads].filter(([, l]) => l.origin === (details.initiator || origin));
}

const FILTER = { urls: ['http://*/*', 'https://*/*'] };
// Chromium hides some headers without 'extraHeaders'; Firefox has no such option.
const EXTRA_INFO = Object.values(chrome.webRequest.OnHeadersReceivedOptions || {}).includes('extraHeaders')
  ? ['responseHeaders', 'extraHeaders']
  : ['responseHeaders'];

chrome.webRequest.onHeadersReceived.addListener((details) => {
  if (details.type !== 'main_frame') return;
  const origin = originOf(details.url);
  if (!origin) return;
  // Only the navigation of the tab's own top document starts a load: not a
  // page prerendered beside it, nor a prefetch another document made.
  if (mainFrameKind(details) !== 'tab') return;
  // A redirect is not the document: the load starts with the response it
  // leads to.  But a 3xx without Location starts no load — Chromium shows
  // its body — so it is blocked.
  const noLoad = startsNoLoad(details.statusCode, details.responseHeaders);
  if (details.statusCode >= 300 && details.statusCode < 400 && !noLoad) return;
  loads.delete(details.tabId);
  // A new document for this tab: the verdict of the previous one is void,
  // and whatever was pending in it is moot.
  chrome.storage.session.remove(`valid:${details.tabId}`).catch(() => {});
  dropPending(details.tabId).catch(() => {});
  // Until the load exists, requests of this tab wait for it (instead of
  // starting a second load from the tab's URL).
  const started = (async () => {
    const pin = (await pins())[origin];
    if (!pin) return null;
    if (noLoad) {
      const load = new Load(origin, details.url);
      loads.set(details.tabId, load);
      await block(details.tabId, load, failure('NO_LOAD', releasePath(details.url, origin), 'a page, or a redirect with a Location',
        `HTTP ${details.statusCode} without Location`, 'the browser would show this response, but no load of it could be checked'));
      return load;
    }
    return startLoad(details.tabId, details.url, origin, serverPolicies(details.responseHeaders, pin.policy));
  })();
  starting.set(details.tabId, started);
  started.finally(() => {
    if (starting.get(details.tabId) === started) starting.delete(details.tabId);
  });
}, FILTER, EXTRA_INFO);

// Returns nothing: Firefox sends webRequest events to the extension in batches
// and answers a batch when every listener's returned promise has settled, so a
// returned promise that waits for the manifest held the blocking events of the
// guard's own manifest fetches batched with it until their deadline (issue 22).
chrome.webRequest.onCompleted.addListener((details) => {
  completed(details).catch((e) => console.error('sealpost guard: a completed response not checked', e));
}, FILTER);

async function completed(details) {
  if (details.type === 'main_frame') return;
  for (const [tabId, load] of await loadsFor(details)) {
    if (load.state === 'blocked') continue;
    const m = await load.manifestReady;
    if (m) checkResource(tabId, load, m, details.url, details.type);
  }
}

// Firefox only (feature-detected): every response of an enrolled origin is
// held and hashed before the page gets a byte; a failure blocks the load here.
firefoxGuard({
  pins,
  verifier,
  fail: async (tabId, origin, url, f) => {
    await starting.get(tabId);
    let load = loads.get(tabId);
    if (!load || load.origin !== origin) loads.set(tabId, (load = new Load(origin, url)));
    await block(tabId, load, f);
  },
  // The manifest this tab's load verified (one fetch and one verdict per load), null if
  // it verified none, undefined while the tab has no such load (yet).
  manifestOf: async (tabId, origin, url) => {
    await starting.get(tabId);
    const load = loads.get(tabId);
    if (!load || load.origin !== origin || (url && load.url !== url.split('#')[0]) || !load.manifestReady) return undefined;
    return (await load.manifestReady)?.manifest ?? null;
  },
});

chrome.tabs.onRemoved.addListener((tabId) => {
  loads.delete(tabId);
  dropPending(tabId).catch(() => {});
});

// --- checks that outlive this worker (deadlines.js)

/** The documentId of tab `tabId`'s top document now (null if none). */
async function topDocumentId(tabId) {
  return (await chrome.webNavigation.getFrame({ tabId, frameId: 0 }).catch(() => null))?.documentId ?? null;
}

/** Tabs whose pending record is being decided now (the start-up sweep and an alarm may meet). */
const expiring = new Set();

/**
 * A pending record's deadline came (its alarm), or this worker started and
 * found it.  A check this worker runs is decided by its own deadline; a
 * record no check here stands for was cut short by a restart of the
 * worker: that load can never be proven valid, so its tab is blocked —
 * DEADLINE once the deadline passed, CHECK_LOST before — unless the tab
 * has left that load (guard.js pendingVerdict).
 */
async function expire(tabId) {
  if (expiring.has(tabId)) return;
  expiring.add(tabId);
  try {
    const record = await pendingOf(tabId);
    if (!record) return;
    const live = loads.get(tabId);
    if (live && live.id === record.id) {
      if (Date.now() >= record.deadline) deadline(tabId, live);
      return;
    }
    const tab = await chrome.tabs.get(tabId).catch(() => null);
    // Whether the recorded document is still the tab's (Chromium's own
    // record: its content script may not run yet — a body held back).
    const alive = documentAlive(record.documentId, record.documentId ? await topDocumentId(tabId) : null);
    const v = pendingVerdict(record, tab, alive, Date.now());
    // Still the same record (no new load of the tab started meanwhile)?
    if ((await pendingOf(tabId))?.id !== record.id) return;
    if (v.action === 'drop') {
      await settlePending(tabId, record);
      return;
    }
    const load = new Load(record.origin, record.url);
    load.id = record.id;
    load.documentId = record.documentId;
    loads.set(tabId, load);
    const path = releasePath(record.url, record.origin) || record.url;
    await block(tabId, load, v.code === 'DEADLINE'
      ? failure('DEADLINE', path, `every check done within ${CHECK_DEADLINE_MS} ms`, 'the guard\'s service worker was stopped during the check, and the deadline passed',
        'a load not proven valid in time is blocked, also when the check itself was cut short; reload the page')
      : failure('CHECK_LOST', path, 'a load checked from its first response', 'the guard\'s service worker was stopped during the check',
        'a check that cannot run counts as failed; reload the page'), { record: false });
  } finally {
    expiring.delete(tabId);
  }
}

chrome.alarms.onAlarm.addListener((alarm) => {
  const tabId = tabOfAlarm(alarm.name);
  if (Number.isInteger(tabId)) expire(tabId).catch((e) => console.error('sealpost guard: deadline', e));
});
// Every start of this worker: records left by an earlier instance (an
// alarm of a packed extension may come 30 s late, or never wake us first).
allPending()
  .then((all) => Promise.all(all.map(([tabId]) => expire(tabId))))
  .catch((e) => console.error('sealpost guard: pending checks', e));

// --- prerendered pages (Speculation Rules, the address bar)
//
// Chromium may load a page of an enrolled origin in a hidden frame tree of
// a tab and later *activate* it — show it in the tab — with no network
// load the guard could check for the tab.  The guard's rules apply to that
// page's response like to any document of the origin (only the release's
// scripts run in it), the content script keeps it inert and does nothing
// else while it is prerendered, and no load of the tab answers for its
// requests (guard.js mainFrameKind, fromPrerender).  It never gets a
// verdict: when it is activated, the tab loads the page again — a normal
// load, checked like every other.  (Refusing the prerender itself is not
// possible: declarativeNetRequest has no condition on a request's document
// lifecycle, and webRequest cannot block in Manifest V3.)

const PRERENDERED = 'prerendered:';
/** A tab activated again within this of the guard's reload for an activation is blocked instead (no reload loop). */
const ACTIVATION_RELOAD_MS = 10000;
/** Tab → when the guard last reloaded it for an activation. */
const activationReloads = new Map();
/** Activations handled (webNavigation and the content script both report one). */
const activations = new Set();

chrome.webNavigation.onCommitted.addListener(async (d) => {
  const origin = originOf(d.url);
  if (!origin || !d.documentId || !(await pins())[origin]) return;
  const key = PRERENDERED + d.documentId;
  if (d.documentLifecycle === 'prerender') {
    if (d.frameType !== 'outermost_frame') return;
    // Remembered across restarts of this worker (for an hour at most).
    const all = await chrome.storage.session.get(null);
    const old = Object.keys(all).filter((k) => k.startsWith(PRERENDERED) && Date.now() - all[k].at > 3600000);
    if (old.length) await chrome.storage.session.remove(old);
    await chrome.storage.session.set({ [key]: { tabId: d.tabId, url: d.url, at: Date.now() } });
    return;
  }
  if (d.frameId !== 0) return;
  if ((await chrome.storage.session.get(key))[key]) {
    await activated(d.tabId, d.documentId, d.url);
    return;
  }
  // The document committed for the tab's load (started before this commit,
  // at this URL) is the one its verdict is for.
  await starting.get(d.tabId);
  const load = loads.get(d.tabId);
  if (load && !load.documentId && !load.failure && load.started <= d.timeStamp && load.url === d.url.split('#')[0]) {
    load.documentId = d.documentId;
    if (load.state === 'checking') notePendingDocument(d.tabId, load).catch(() => {});
  }
  // A document restored from the back/forward cache without a content script
  // (one opened before enrollment) is not blocked here: the commit event's
  // timing against the load's record is not reliable enough to tell it from a
  // fresh load (it blocked genuine loads in the page-load test). Named as a
  // limit in SECURITY.md.
});

/** A prerendered page of an enrolled origin is now the tab's document: the tab loads it again, checked. */
async function activated(tabId, documentId, url) {
  if (activations.has(documentId)) return;
  activations.add(documentId);
  await chrome.storage.session.remove(PRERENDERED + documentId);
  const origin = originOf(url);
  // The tab's earlier document, and its load, are gone.
  loads.delete(tabId);
  chrome.storage.session.remove(`valid:${tabId}`).catch(() => {});
  dropPending(tabId).catch(() => {});
  const last = activationReloads.get(tabId);
  if (last && Date.now() - last < ACTIVATION_RELOAD_MS) {
    const load = new Load(origin, url);
    loads.set(tabId, load);
    await block(tabId, load, failure('UNCHECKED_LOAD', releasePath(url, origin) || url, 'a document the guard saw load from the network',
      'a prerendered page, activated again right after the guard loaded the tab again', 'only a load checked from its first response may run on an enrolled origin'), { record: false });
    return;
  }
  activationReloads.set(tabId, Date.now());
  // Until the reload's response starts its load, this one stands for the
  // tab: it runs no check (requests of the activated page wait for nothing
  // and pass nothing), and its deadline blocks the tab if no load comes.
  const load = new Load(origin, url);
  loads.set(tabId, load);
  badge(tabId, load);
  await trackPending(tabId, load, load.started + CHECK_DEADLINE_MS);
  load.timer = setTimeout(() => deadline(tabId, load), CHECK_DEADLINE_MS);
  await chrome.tabs.reload(tabId).catch(() => {});
}

/** For tests and bug reports (from the service worker's console): one tab's load. */
globalThis.sealpostDebug = (tabId) => {
  const l = loads.get(tabId);
  return l && { origin: l.origin, url: l.url, state: l.state, pending: [...l.pending], passed: [...l.passed], failure: l.failure };
};

// --- the popup and blocked.html

chrome.runtime.onMessage.addListener((msg, sender, reply) => {
  if (sender.id !== chrome.runtime.id) return false;
  // A content script runs in a page the site controls: it must not enroll,
  // forget or clear a failure (only the user, through the popup, does).
  if (!messageAllowed(msg && msg.type, sender, chrome.runtime.id, chrome.runtime.getURL(''))) {
    reply({ ok: false, error: `request ${JSON.stringify(msg && msg.type)} refused from ${sender.url}` });
    return false;
  }
  handle(msg, sender).then((r) => reply({ ok: true, ...r }), (e) => reply({ ok: false, error: String(e.message || e) }));
  return true;
});

/** The site a tab showing blocked.html was blocked on. */
function blockedOrigin(url) {
  const page = chrome.runtime.getURL('blocked.html');
  if (!url || !url.startsWith(page) || !url.includes('#')) return null;
  try {
    return originOf(JSON.parse(decodeURIComponent(url.slice(url.indexOf('#') + 1))).origin);
  } catch {
    return null;
  }
}

/** The load of the tab a content script runs in, once the service worker has one for `url`. */
async function loadOfSender(sender, url) {
  const tabId = sender.tab?.id;
  if (tabId === undefined) return null;
  for (let i = 0; i < 50; i++) {
    const load = loads.get(tabId);
    if (load && (load.url === url || sender.frameId !== 0)) return load;
    await new Promise((r) => setTimeout(r, 40));
  }
  return null;
}

/**
 * A document of an enrolled origin that no checked load stands for: served
 * by a service worker or a cache, restored from history, opened before
 * enrollment, or while this worker was not running.  Blocked.
 */
async function unchecked(sender, url, why) {
  const origin = originOf(url);
  if (!origin || !(await pins())[origin] || sender.tab?.id === undefined) return;
  // The document may be gone by now (the tab moved on while this waited):
  // a late verdict must not take the tab away from the page it shows now.
  if (sender.documentId && !(await chrome.tabs.sendMessage(sender.tab.id, { type: 'alive' }, { documentId: sender.documentId }).catch(() => false))) return;
  const load = new Load(origin, url);
  loads.set(sender.tab.id, load);
  await block(sender.tab.id, load, failure('UNCHECKED_LOAD', releasePath(url, origin), 'a document the guard saw load from the network', why,
    'only a load checked from its first response may run on an enrolled origin'));
}

/** The verified bytes of a same-origin frame's page: listed, and hashing to the manifest's value. */
async function frameDocument(tabId, load, url) {
  const m = await load.manifestReady;
  if (!m) return null;
  const path = releasePath(url, load.origin);
  const entry = path && m.manifest.files[path];
  if (!entry) {
    await block(tabId, load, failure('UNLISTED', path || url, 'frames showing pages of the release', 'a frame the release does not contain'));
    return null;
  }
  const bytes = await fetchBytes(url);
  if (verifier.sriMatches(entry.integrity, bytes) !== 'matched') {
    await block(tabId, load, failure('FILE_MISMATCH', path, entry.integrity, verifier.sri(bytes), 'a frame of the page'));
    return null;
  }
  return new TextDecoder().decode(bytes);
}

async function handle(msg, sender) {
  switch (msg.type) {
    case 'verified-document': {
      const load = await loadOfSender(sender, msg.url);
      if (!load) {
        await unchecked(sender, msg.url, 'no checked load for this document');
        return { text: null };
      }
      if (load.failure) return { text: null };
      if (sender.frameId === 0) {
        // The verdict belongs to one document: the one Chromium committed
        // for this load (webNavigation, below), or else the first that asks.
        for (let i = 0; i < 50 && sender.documentId && !load.documentId && !load.failure; i++) await new Promise((r) => setTimeout(r, 40));
        if (!load.documentId) load.documentId = sender.documentId;
        if (load.documentId !== sender.documentId) {
          // A late message of the document this load replaced (gone by now:
          // the new one has committed) decides nothing; a document still
          // shown that claims another's load is blocked.
          if ((await topDocumentId(sender.tab.id)) === sender.documentId) {
            await block(sender.tab.id, load, failure('UNCHECKED_LOAD', releasePath(msg.url, load.origin), 'one document per checked load',
              'a second document claims this load', 'a verdict is keyed by the document it was made for'));
          }
          return { text: null };
        }
        if (load.state === 'checking') notePendingDocument(sender.tab.id, load).catch(() => {});
      }
      const text = sender.frameId === 0 ? await load.documentReady : await frameDocument(sender.tab.id, load, msg.url).catch(async (e) => {
        await block(sender.tab.id, load, failure('RESOURCE_UNAVAILABLE', releasePath(msg.url, load.origin), 'a frame of the page', String(e.message || e)));
        return null;
      });
      if (sender.frameId === 0 && typeof text !== 'string') {
        // No verified text for the top document (a load resumed after this
        // worker restarted, or cut short): it is not checked, so it is blocked.
        await block(sender.tab.id, load, failure('UNCHECKED_LOAD', releasePath(msg.url, load.origin), 'the document compared with the signed page',
          'no verified document for this load', 'a check that cannot run counts as failed; reload the page'));
        return { text: null };
      }
      const pin = (await pins())[load.origin];
      return { text, policy: pin?.policy || null, canary: CANARY, canaryMs: CANARY_DEADLINE_MS };
    }
    case 'local-frame': {
      // An about:blank, about:srcdoc, blob: or data: frame made by a page of
      // the origin: no signed text to compare, but the page's policy must
      // hold in it too (its canary must not run) and no service worker controls it.
      const load = await loadOfSender({ ...sender, frameId: sender.frameId || -1 }, null);
      if (!load) {
        await unchecked(sender, sender.tab?.url || '', 'a frame of a page the guard did not check');
        return { policy: null };
      }
      const pin = (await pins())[load.origin];
      return { policy: load.failure ? null : pin?.policy || null, canary: CANARY, canaryMs: CANARY_DEADLINE_MS };
    }
    case 'controlled': {
      // A document a service worker produced: the rules never saw it.
      const origin = originOf(msg.url);
      if (origin && (await pins())[origin]) {
        await clearOriginStorage(origin).catch(() => {});
        const load = new Load(origin, msg.url);
        loads.set(sender.tab.id, load);
        await block(sender.tab.id, load, failure('SERVICE_WORKER', releasePath(msg.url, origin), 'no service worker',
          'the document is controlled by a service worker', 'a document served without a network load never got the rules; the origin\'s service workers are cleared again'));
      }
      return {};
    }
    case 'dom-result': {
      const load = await loadOfSender(sender, msg.url);
      if (!load) return {};
      // A late report of an earlier document of this tab decides nothing for this load.
      if (sender.frameId === 0 && load.documentId !== sender.documentId) return {};
      if (msg.local) {
        if (msg.canary === 'ran' || msg.serviceWorker) {
          if (msg.serviceWorker) await clearOriginStorage(load.origin).catch(() => {});
          await block(sender.tab.id, load, failure(msg.serviceWorker ? 'SERVICE_WORKER' : 'POLICY_NOT_ENFORCED', releasePath(load.url, load.origin) || load.url,
            "the guard's policy enforced in every frame of the page", msg.serviceWorker ? `a ${msg.scheme} frame controlled by a service worker` : `an inline canary ran in a ${msg.scheme} frame`));
        }
        return {};
      }
      const path = releasePath(msg.url, load.origin);
      const show = (xs) => xs.slice(0, 3).join(' ') + (xs.length > 3 ? ` (+${xs.length - 3} more)` : '');
      if (msg.extra.length || msg.missing.length) {
        await block(sender.tab.id, load, failure('DOCUMENT_DIFFERS', path, 'the code-bearing elements of the signed page',
          [msg.extra.length ? `extra: ${show(msg.extra)}` : '', msg.missing.length ? `missing: ${show(msg.missing)}` : ''].filter(Boolean).join('; '),
          'the page this tab received differs from the one the server sent the extension'));
      } else if (msg.canary !== 'refused') {
        await block(sender.tab.id, load, failure('POLICY_NOT_ENFORCED', path, "the guard's policy enforced in this document (its inline canary refused by it)",
          msg.canary === 'ran' ? 'the inline canary ran' : 'the browser reported no refusal by the guard\'s policy',
          'the document did not get the rules (a service worker, a cache, another extension)'));
      } else if (msg.serviceWorker) {
        await clearOriginStorage(load.origin).catch(() => {});
        await block(sender.tab.id, load, failure('SERVICE_WORKER', path, 'no service worker', 'the origin has a service worker (registered, or controlling this document)',
          'a release uses no service worker; the origin\'s service workers are cleared again'));
      } else if (sender.frameId === 0) {
        passed(sender.tab.id, load, 'dom');
      }
      return {};
    }
    case 'activated': {
      // The content script of a page that was prerendered: it is shown now (webNavigation reports it too).
      if (sender.frameId === 0 && sender.documentId && originOf(msg.url) && (await pins())[originOf(msg.url)]) await activated(sender.tab.id, sender.documentId, msg.url);
      return {};
    }
    case 'restored': {
      // A back/forward-cache restore: the same document again, valid only if its load was.
      const load = await loadOfSender(sender, msg.url);
      if (!load || load.state !== 'valid' || load.url !== msg.url || load.documentId !== sender.documentId) {
        if (load && load.failure) await block(sender.tab.id, new Load(load.origin, msg.url), load.failure);
        else await unchecked(sender, msg.url, 'a document restored from the back/forward cache without a valid load');
      }
      return {};
    }
    case 'wasm-hashes': {
      // Firefox's wasm-guard.js: what WebAssembly.* may compile in this frame
      // (the load's verified .wasm files; none once it failed or without one).
      // The origin the frame reports (our content script's; a popup's about:blank inherits its opener's).
      const origin = originOf(typeof msg.origin === 'string' ? msg.origin : '') || originOf(sender.url) || originOf(sender.tab?.url);
      if (!origin || !(await pins())[origin]) return { enrolled: false };
      const load = await loadOfSender(sender, msg.url);
      const m = load && !load.failure ? await load.manifestReady : null;
      return { enrolled: true, integrity: m ? wasmIntegrity(m.manifest) : [] };
    }
    case 'wasm-refused': {
      // wasm-guard.js refused a call of WebAssembly.* in a page of the load: blocked.
      const load = await loadOfSender(sender, msg.url);
      if (load) await block(sender.tab.id, load, wasmFailure(msg, load.origin));
      return {};
    }
    case 'status': {
      const tab = await chrome.tabs.get(msg.tabId);
      const origin = originOf(tab.url) || blockedOrigin(tab.url);
      const load = loads.get(msg.tabId);
      const pin = origin ? (await pins())[origin] || null : null;
      return {
        origin,
        pin: pin && { ...pin, cert: undefined, release: undefined },
        load: load && load.origin === origin
          ? { state: load.state, failure: load.failure, verdictMs: load.verdictMs ?? null, app: load.app, version: load.version, checked: load.passed.size,
            awaiting: load.awaiting ? { version: load.awaiting.version, running: load.awaiting.running, missing: load.awaiting.missing } : null }
          : null,
      };
    }
    case 'preview': {
      const p = await preview(msg.origin);
      return { preview: { ...p, cert: undefined, manifestSha256: undefined, log: await previewLog(msg.origin, p.fingerprint) } };
    }
    case 'enroll':
      // The site's release log policy is pinned first (tlog.js), then the key.
      // Only the manifest the log check proved is enrolled; one enrollment of an origin at a time.
      // The popup's own tab, when it is opened in one (not a toolbar popup), is kept (enroll.js).
      return { enrolled: { ...(await withLogPin(msg.origin, msg.fingerprint, (logged) => enroll(msg.origin, msg.fingerprint, logged, sender.tab?.id ?? null), { expectLog: msg.expectLog })), cert: undefined } };
    case 'clear-failure': {
      const pin = (await pins())[msg.origin];
      if (pin) await savePin({ ...pin, failure: null });
      return {};
    }
    case 'forget':
      // Every rule of the origin goes: its dynamic rules, and (synced from
      // the pins) its session rule.
      await removeRules((await pins())[msg.origin]);
      await forgetPin(msg.origin);
      await forgetLog(msg.origin);
      await syncSessionRules();
      await syncContentScripts();
      return {};
    default:
      throw new Error(`unknown request ${msg.type}`);
  }
}
