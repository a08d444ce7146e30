// sealpost guard: the service worker.  For every load of an enrolled
// origin it verifies the release manifest's signature with the pinned
// certificate (no rollback), then hashes the document and every listed or
// code-bearing resource the page loads and compares them with the manifest,
// checks the page's CSP headers, and has the content script compare the
// document as the tab parsed it with the verified one.  The first failure navigates the tab
// to blocked.html and is remembered for the origin until the user clears
// it.  The checks themselves are the verifier library, compiled to wasm.
import init, * as verifier from './pkg/sealpost_verifier_wasm.js';
import { Load, classify, decideManifest, failure, releasePath } from './policy.js';

const ready = init({ module_or_path: new URL('./pkg/sealpost_verifier_wasm_bg.wasm', import.meta.url) });
const WELL_KNOWN = '/.well-known/sealpost/';
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

// --- pins (chrome.storage.local): origin → { origin, app, fingerprint, cert, version, enrolledAt, failure }

let pinsCache = null;
async function pins() {
  if (!pinsCache) pinsCache = (await chrome.storage.local.get('pins')).pins || {};
  return pinsCache;
}
async function savePin(pin) {
  const all = await pins();
  all[pin.origin] = pin;
  await chrome.storage.local.set({ pins: all });
}
async function forgetPin(origin) {
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
function syncContentScripts() {
  syncing = syncing.then(registerContentScripts, registerContentScripts);
  return syncing;
}
async function registerContentScripts() {
  const matches = Object.keys(await pins()).map((o) => `${o}/*`);
  await chrome.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT] }).catch(() => {});
  if (matches.length) {
    await chrome.scripting.registerContentScripts([{
      id: CONTENT_SCRIPT, matches, js: ['dom.js', 'content.js'], runAt: 'document_start', allFrames: false, persistAcrossSessions: true,
    }]);
  }
}
// Registrations persist; they are redone on enroll/forget, and on install or
// update only — not every time the service worker wakes.
chrome.runtime.onInstalled.addListener(() => {
  syncContentScripts().catch((e) => console.error('sealpost guard: content script registration failed', e));
});

function originOf(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

async function fetchBytes(url) {
  // Uncached, so that what is hashed is what the server sends now.
  const r = await fetch(url, { cache: 'no-store', credentials: 'omit', redirect: 'error' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

// --- enrollment

/** What the origin publishes: its manifest, verified with the certificate it serves. */
async function preview(origin) {
  await ready;
  const [manifestBytes, sig, cert] = await Promise.all([
    fetchBytes(origin + WELL_KNOWN + 'manifest.json'),
    fetchBytes(origin + WELL_KNOWN + 'manifest.json.sig'),
    fetchBytes(origin + WELL_KNOWN + 'release-cert.asc'),
  ]);
  const manifest = verifier.verifyManifest(manifestBytes, sig, cert);
  const info = verifier.certInfo(cert);
  return { origin, app: manifest.app, version: manifest.version, fingerprint: info.fingerprint, userIds: info.userIds, cert: new TextDecoder().decode(cert) };
}

/** Pins the certificate the user was shown (trust on first use). */
async function enroll(origin, fingerprint) {
  const p = await preview(origin);
  if (p.fingerprint !== fingerprint) throw new Error(`the site now publishes key ${p.fingerprint}, not the ${fingerprint} you were shown`);
  const existing = (await pins())[origin];
  if (existing) throw new Error(`${origin} is already enrolled (key ${existing.fingerprint}); forget it first to pin another key`);
  await savePin({ origin, app: p.app, fingerprint: p.fingerprint, cert: p.cert, version: p.version, enrolledAt: new Date().toISOString(), failure: null });
  await syncContentScripts();
  return p;
}

// --- one load

function badge(tabId, load) {
  const b = BADGE[load.state];
  const title = load.state === 'valid' ? `sealpost: ${b.title} — ${load.app} ${load.version}` : `sealpost: ${b.title}`;
  chrome.action.setBadgeText({ tabId, text: b.text }).catch(() => {});
  chrome.action.setBadgeBackgroundColor({ tabId, color: b.color }).catch(() => {});
  chrome.action.setTitle({ tabId, title }).catch(() => {});
}

async function block(tabId, load, f) {
  load.resolveDocument?.(null);
  if (!load.fail(f)) return;
  load.verdictMs = Date.now() - load.started;
  badge(tabId, load);
  const all = await pins();
  const pin = all[load.origin];
  if (pin && !pin.failure) await savePin({ ...pin, failure: { ...f, url: load.url, at: new Date().toISOString() } });
  const reason = { origin: load.origin, url: load.url, ...f };
  // A query of its own makes each block a new document, not a fragment change.
  const page = `${chrome.runtime.getURL('blocked.html')}?n=${++blocks}#${encodeURIComponent(JSON.stringify(reason))}`;
  await chrome.tabs.update(tabId, { url: page }).catch(() => {});
}

function passed(tabId, load, key) {
  const before = load.state;
  load.pass(key);
  if (load.state === 'valid' && before !== 'valid') load.verdictMs = Date.now() - load.started;
  badge(tabId, load);
}

/** Verifies the manifest with the pinned certificate; resolves to { manifest, bytes } or null. */
async function checkManifest(tabId, load, pin) {
  try {
    await ready;
    const [bytes, sig] = await Promise.all([
      fetchBytes(load.origin + WELL_KNOWN + 'manifest.json'),
      fetchBytes(load.origin + WELL_KNOWN + 'manifest.json.sig'),
    ]);
    let manifest;
    try {
      manifest = verifier.verifyManifest(bytes, sig, new TextEncoder().encode(pin.cert));
    } catch (e) {
      await block(tabId, load, failure(e.code === 'BAD_SIGNATURE' ? 'MANIFEST_SIGNATURE' : e.code || 'BAD_MANIFEST', 'manifest.json',
        `a signature by the pinned key ${pin.fingerprint}`, e.message));
      return null;
    }
    const d = decideManifest(pin, manifest);
    if (!d.ok) {
      await block(tabId, load, d.failure);
      return null;
    }
    if (d.newVersion) await savePin({ ...(await pins())[pin.origin], version: d.newVersion });
    load.app = manifest.app;
    load.version = manifest.version;
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
  const what = classify(type, path, m.manifest);
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
  load.manifestReady = checkManifest(tabId, load, pin);
  load.manifestReady.then((m) => m && checkDocument(tabId, load, m, cspHeaders));
  return load;
}

async function loadsFor(details) {
  const origin = originOf(details.url);
  if (!origin || !(await pins())[origin]) return [];
  if (details.tabId >= 0) {
    await starting.get(details.tabId);
    let load = loads.get(details.tabId);
    if (!load) {
      // The worker was restarted mid-load: start over from the tab's URL.
      const tab = await chrome.tabs.get(details.tabId).catch(() => null);
      if (!tab || originOf(tab.url) !== origin) return [];
      load = await startLoad(details.tabId, tab.url, origin, null);
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
  // A redirect is not the document: the load starts with the response it leads to.
  if (details.statusCode >= 300 && details.statusCode < 400) return;
  const origin = originOf(details.url);
  if (!origin) return;
  const csp = (details.responseHeaders || [])
    .filter((h) => h.name.toLowerCase() === 'content-security-policy')
    .map((h) => h.value);
  loads.delete(details.tabId);
  // Until the load exists, requests of this tab wait for it (instead of
  // starting a second load from the tab's URL).
  const started = startLoad(details.tabId, details.url, origin, csp);
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

// --- the popup and blocked.html

chrome.runtime.onMessage.addListener((msg, sender, reply) => {
  if (sender.id !== chrome.runtime.id) return false;
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
  if (tabId === undefined || sender.frameId !== 0) return null;
  for (let i = 0; i < 50; i++) {
    const load = loads.get(tabId);
    if (load && load.url === url) return load;
    await new Promise((r) => setTimeout(r, 40));
  }
  return null;
}

async function handle(msg, sender) {
  switch (msg.type) {
    case 'verified-document': {
      const load = await loadOfSender(sender, msg.url);
      return { text: load ? await load.documentReady : null };
    }
    case 'dom-result': {
      const load = await loadOfSender(sender, msg.url);
      if (!load) return {};
      const path = releasePath(load.url, load.origin);
      const show = (xs) => xs.slice(0, 3).join(' ') + (xs.length > 3 ? ` (+${xs.length - 3} more)` : '');
      if (msg.extra.length || msg.missing.length) {
        await block(sender.tab.id, load, failure('DOCUMENT_DIFFERS', path, 'the code-bearing elements of the signed page',
          [msg.extra.length ? `extra: ${show(msg.extra)}` : '', msg.missing.length ? `missing: ${show(msg.missing)}` : ''].filter(Boolean).join('; '),
          'the page this tab received differs from the one the server sent the extension'));
      } else {
        passed(sender.tab.id, load, 'dom');
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
      await forgetPin(msg.origin);
      await syncContentScripts();
      return {};
    default:
      throw new Error(`unknown request ${msg.type}`);
  }
}
