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
import { Load, REQUIRED, decideManifest, failure, releasePath } from './policy.js';
import {
  CANARY, CANARY_DEADLINE_MS, CHECK_DEADLINE_MS, GUARD_FILES, classifyRequest, messageAllowed, serverPolicies, startsNoLoad,
} from './guard.js';
import { forgetPin, pins, savePin, syncContentScripts } from './pins.js';
import {
  applyRules, clearOriginStorage, enroll, fetchBytes, preview, ready, removeRules, syncSessionRules,
} from './enroll.js';

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

async function block(tabId, load, f) {
  load.resolveDocument?.(null);
  clearTimeout(load.timer);
  if (!load.fail(f)) return;
  load.verdictMs = Date.now() - load.started;
  badge(tabId, load);
  chrome.storage.session.remove(`valid:${tabId}`).catch(() => {});
  const all = await pins();
  const pin = all[load.origin];
  if (pin && !pin.failure && !TRANSIENT.has(f.code)) await savePin({ ...pin, failure: { ...f, url: load.url, at: new Date().toISOString() } });
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
    // Survives a restart of this worker: this one document (not whatever is
    // at the URL later) was proven valid.
    if (load.documentId) chrome.storage.session.set({ [`valid:${tabId}`]: { url: load.url, documentId: load.documentId } }).catch(() => {});
    // The page is inert until now (content.js): let input reach it — that
    // document only, not a newer one of the tab or another frame.
    if (load.documentId) chrome.tabs.sendMessage(tabId, { type: 'verdict', state: 'valid' }, { documentId: load.documentId }).catch(() => {});
  }
  badge(tabId, load);
}

/** The load's deadline: every required check passed by then, or it is blocked. */
function deadline(tabId, load) {
  if (loads.get(tabId) !== load || load.failure || load.superseded) return;
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
    // The manifest and its signature (the certificate is the pinned one).
    const [bytes, sig] = await Promise.all(GUARD_FILES.slice(0, 2).map((f) => fetchBytes(`${load.origin}/${f}`)));
    let manifest;
    try {
      manifest = verifier.verifyManifest(bytes, sig, new TextEncoder().encode(pin.cert));
    } catch (e) {
      await block(tabId, load, failure(e.code === 'BAD_SIGNATURE' ? 'MANIFEST_SIGNATURE' : e.code || 'BAD_MANIFEST', 'manifest.json',
        `a signature by the pinned key ${pin.fingerprint}`, e.message));
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
      load.superseded = true;
      clearTimeout(load.timer);
      await chrome.tabs.reload(tabId).catch(() => {});
      return null;
    }
    load.policy = current.policy;
    passed(tabId, load, 'manifest');
    return { manifest, bytes };
  } catch (e) {
    await block(tabId, load, failure('MANIFEST_UNAVAILABLE', 'manifest.json', 'the signed manifest', String(e.message || e)));
    return null;
  }
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
  if (pin.failure) {
    // Absorbing: a failure stays until the user clears it in the popup.
    const f = pin.failure;
    await block(tabId, load, { ...f, detail: `${f.detail ? f.detail + ' — ' : ''}first seen ${f.at}; open the sealpost popup to re-check` });
    return load;
  }
  badge(tabId, load);
  load.documentReady = new Promise((resolve) => { load.resolveDocument = resolve; });
  for (const k of load.required) load.expect(k);
  load.timer = setTimeout(() => deadline(tabId, load), CHECK_DEADLINE_MS);
  load.manifestReady = checkManifest(tabId, load, pin);
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
  if (!proven || proven.url !== url || !documentId || proven.documentId !== documentId || pin.failure) {
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
  if (details.tabId >= 0) {
    await starting.get(details.tabId);
    let load = loads.get(details.tabId);
    if (!load) {
      // This worker was restarted: the tab's document keeps its verdict only
      // if it had been proven valid; a check cut short cannot run again (its
      // response headers are gone), so that load is blocked.
      const tab = await chrome.tabs.get(details.tabId).catch(() => null);
      if (!tab || originOf(tab.url) !== origin) return [];
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
  // A redirect is not the document: the load starts with the response it
  // leads to.  But a 3xx without Location starts no load — Chromium shows
  // its body — so it is blocked.
  const noLoad = startsNoLoad(details.statusCode, details.responseHeaders);
  if (details.statusCode >= 300 && details.statusCode < 400 && !noLoad) return;
  loads.delete(details.tabId);
  // A new document for this tab: the verdict of the previous one is void.
  chrome.storage.session.remove(`valid:${details.tabId}`).catch(() => {});
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

chrome.webRequest.onCompleted.addListener(async (details) => {
  if (details.type === 'main_frame') return;
  for (const [tabId, load] of await loadsFor(details)) {
    if (load.state === 'blocked') continue;
    const m = await load.manifestReady;
    if (m) checkResource(tabId, load, m, details.url, details.type);
  }
}, FILTER);

chrome.tabs.onRemoved.addListener((tabId) => loads.delete(tabId));

/** For tests and bug reports (from the service worker's console): one tab's load. */
globalThis.sealpostDebug = (tabId) => {
  const l = loads.get(tabId);
  return l && { origin: l.origin, url: l.url, state: l.state, pending: [...l.pending], passed: [...l.passed], failure: l.failure };
};
/**
 * For tests: what a restart of this worker loses — every load it held in
 * memory (their deadline timers are cancelled too) —, keeping only what is
 * in storage.
 */
globalThis.sealpostDebug.forgetLoads = () => {
  for (const l of loads.values()) clearTimeout(l.timer);
  loads.clear();
  starting.clear();
};

// --- the popup and blocked.html

chrome.runtime.onMessage.addListener((msg, sender, reply) => {
  if (sender.id !== chrome.runtime.id) return false;
  // A content script runs in a page the site controls: it must not enroll,
  // forget or clear a failure (only the user, through the popup, does).
  if (!messageAllowed(msg && msg.type, sender, chrome.runtime.id)) {
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
        // The verdict belongs to one document: the first that asks for this load.
        if (load.documentId && load.documentId !== sender.documentId) {
          await block(sender.tab.id, load, failure('UNCHECKED_LOAD', releasePath(msg.url, load.origin), 'one document per checked load',
            'a second document claims this load', 'a verdict is keyed by the document it was made for'));
          return { text: null };
        }
        load.documentId = sender.documentId;
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
        await block(sender.tab.id, load, failure('SERVICE_WORKER', path, 'no service worker', 'the document is controlled by a service worker'));
      } else if (sender.frameId === 0) {
        passed(sender.tab.id, load, 'dom');
      }
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
    case 'status': {
      const tab = await chrome.tabs.get(msg.tabId);
      const origin = originOf(tab.url) || blockedOrigin(tab.url);
      const load = loads.get(msg.tabId);
      const pin = origin ? (await pins())[origin] || null : null;
      return {
        origin,
        pin: pin && { ...pin, cert: undefined },
        load: load && load.origin === origin
          ? { state: load.state, failure: load.failure, verdictMs: load.verdictMs ?? null, app: load.app, version: load.version, checked: load.passed.size }
          : null,
      };
    }
    case 'preview': {
      const p = await preview(msg.origin);
      return { preview: { ...p, cert: undefined } };
    }
    case 'enroll':
      return { enrolled: { ...(await enroll(msg.origin, msg.fingerprint)), cert: undefined } };
    case 'clear-failure': {
      const pin = (await pins())[msg.origin];
      if (pin) await savePin({ ...pin, failure: null });
      return {};
    }
    case 'forget':
      await removeRules((await pins())[msg.origin]);
      await forgetPin(msg.origin);
      await syncContentScripts();
      return {};
    default:
      throw new Error(`unknown request ${msg.type}`);
  }
}
