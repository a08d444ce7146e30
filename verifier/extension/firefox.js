// sealpost guard in Firefox: every byte checked before the page gets it.
//
// Chromium's extensions can only look at a response after the page has it
// (webRequest.onCompleted, then a re-fetch); Firefox's can hold it
// (webRequest.filterResponseData, Manifest V3 with the
// webRequestFilterResponse permission).  So in Firefox, for an enrolled
// origin, every response whose path the signed release lists, and every
// code-bearing one (document, frame, script, style, …), is buffered whole,
// hashed, and compared with the pinned, verified manifest before a single
// byte is handed on: a match is delivered as it came; anything else —
// another hash or size, a path the release does not list, no verified
// manifest in time — delivers nothing (the filter is closed empty) and the
// tab is sent to blocked.html through the guard's usual `block`.
//
// The decisions are the Chromium guard's own (guard.js classifyRequest,
// policy.js decideManifest, the verifier wasm's verifyManifest and
// sriMatches); this file only adds where they are taken.  It does nothing
// outside Firefox (feature-detected: filterResponseData exists only there).
//
// Imports only chrome-free modules (pins.js imports this file for the
// content script's pattern; Node's unit tests import it too): the verifier
// wasm and the pins come from background.js.
import { CODE_TYPES, failure, releasePath } from './policy.js';
import { CHECK_DEADLINE_MS, GUARD_FILES, classifyRequest } from './guard.js';

/** Whether this browser can hold a response before the page gets it (Firefox). */
export const canHoldResponses = () => typeof globalThis.browser === 'object' && typeof globalThis.browser?.webRequest?.filterResponseData === 'function';

/**
 * Where the guard's "valid" verdict goes: the load's document
 * ({ documentId }); Firefox has no document ids (webNavigation, senders and
 * webRequest carry none), so there the tab's top frame ({ frameId: 0 }),
 * whichever document it shows.  null: nowhere.
 */
export function verdictTarget(documentId) {
  if (documentId) return { documentId };
  return canHoldResponses() ? { frameId: 0 } : null;
}

/**
 * The content script's match pattern for an enrolled origin.  Firefox's
 * match patterns never match a URL with an explicit port when they name one
 * (tested: Firefox ESR 153 runs nothing for http://127.0.0.1:PORT/*), and
 * match every port when they name none: there the pattern is the host's,
 * every port (a page of another port of that host finds no enrolled load:
 * it stays inert).  Chromium: the origin exactly.
 */
export function contentScriptPattern(origin) {
  if (!canHoldResponses()) return `${origin}/*`;
  const u = new URL(origin);
  return `${u.protocol}//${u.hostname}/*`;
}

/**
 * The Firefox-only content script wasm-guard.js: in every frame of an
 * enrolled origin, at document_start, it makes the page realm's
 * WebAssembly.* hash what it is given before compiling (exportFunction and
 * Xrays, which Chromium's isolated world lacks).  Registered apart from the
 * DOM check's script (pins.js), for the same patterns, updated in place
 * when the pins change (no moment without it for an origin already enrolled).
 */
export const WASM_GUARD_SCRIPT = 'sealpost-guard-wasm';
let wasmGuardSync = Promise.resolve();
/** The patterns wasm-guard.js is registered for, as the last sync left it (empty while one fails). */
let wasmGuardPatterns = new Set();
/** Registers wasm-guard.js for `origins` (the enrolled ones), one sync at a time; resolves once done. */
export function syncWasmGuard(origins) {
  const api = globalThis.browser;
  const run = async () => {
    const matches = [...new Set(origins.map(contentScriptPattern))].sort();
    try {
      const have = (await api.scripting.getRegisteredContentScripts({ ids: [WASM_GUARD_SCRIPT] })).length > 0;
      if (!matches.length) {
        if (have) await api.scripting.unregisterContentScripts({ ids: [WASM_GUARD_SCRIPT] });
      } else {
        const script = {
          id: WASM_GUARD_SCRIPT, matches, js: ['wasm-guard.js'], runAt: 'document_start', allFrames: true, matchOriginAsFallback: true, persistAcrossSessions: true,
        };
        await (have ? api.scripting.updateContentScripts([script]) : api.scripting.registerContentScripts([script]));
      }
      wasmGuardPatterns = new Set(matches);
    } catch (e) {
      // Whatever the registration holds now, nothing counts as covered until a sync succeeds.
      wasmGuardPatterns = new Set();
      throw e;
    }
  };
  wasmGuardSync = wasmGuardSync.then(run, run);
  return wasmGuardSync;
}

/** Whether the last wasm-guard.js sync succeeded and covers `origin`'s documents. */
export function wasmGuardCovers(origin) {
  return wasmGuardPatterns.has(contentScriptPattern(origin));
}

/** The integrity values of the .wasm files of a verified manifest: what WebAssembly.* may compile in the page. */
export function wasmIntegrity(manifest) {
  return Object.entries(manifest?.files || {})
    .filter(([path, entry]) => /\.wasm$/i.test(path) && typeof entry?.integrity === 'string')
    .flatMap(([, entry]) => entry.integrity.split(/\s+/).filter((v) => /^sha(?:256|384|512)-[A-Za-z0-9+/]+={0,2}$/.test(v)));
}

/** The WebAssembly APIs wasm-guard.js refuses calls of (any other name in a report is not believed). */
const WASM_APIS = new Set(['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming', 'Module', 'Instance']);

/**
 * The failure for a call of WebAssembly.* that wasm-guard.js refused in a
 * page of the load (`report`: { url, api, why }, from the content script:
 * only its fixed words are kept, capped).
 */
export function wasmFailure(report, origin) {
  const api = WASM_APIS.has(report?.api) ? report.api : 'unknown';
  const why = typeof report?.why === 'string' ? report.why.slice(0, 300) : 'refused';
  const url = typeof report?.url === 'string' ? report.url : '';
  return failure('WASM_MISMATCH', releasePath(url, origin) || url.slice(0, 200), 'bytes of a .wasm file of the signed release, hashed before compiling', why,
    `WebAssembly.${api} in the page: refused before compiling (Firefox, wasm-guard.js)`);
}

/** Request types that carry code for the page in Firefox beyond guard.js's (XSLT, DTDs): never delivered unlisted. */
const FIREFOX_CODE_TYPES = new Set(['xslt', 'xml_dtd']);

/**
 * Whether a response of `type` that could not be held blocks the tab:
 * code-bearing types, and fetches (the release's worker bundle and wasm are
 * fetched, then run).  Any other one is only cancelled.
 */
export const blocksWhenUnheld = (type) => CODE_TYPES.has(type) || FIREFOX_CODE_TYPES.has(type) || type === 'xmlhttprequest';

/** The failure of a response of an enrolled origin the guard could not hold (`why`: Firefox's reason). */
export function unheldFailure(url, origin, type, why) {
  return failure('RESOURCE_UNAVAILABLE', releasePath(url, origin) || url, 'a response held and checked before delivery',
    `a ${type} the guard could not hold (${why}): cancelled, nothing of it checked`);
}

/**
 * What to do with a held response, given the load's verified `manifest`
 * (or an Error: none): { deliver: true } or { deliver: false, failure }.
 * `verifier` is the verifier wasm (sri, sriMatches).  Free of browser.*.
 */
export function judgeResponse({ url, origin, type, bytes, manifest, pinFailure, verifier }) {
  const path = releasePath(url, origin);
  if (pinFailure) return { deliver: false, failure: pinFailure };
  if (manifest instanceof Error) {
    return { deliver: false, failure: failure('MANIFEST_UNAVAILABLE', 'manifest.json', 'the signed manifest, before any byte of the page is delivered', String(manifest.message || manifest)) };
  }
  let what = classifyRequest(type, path, manifest);
  if (what === 'skip' && FIREFOX_CODE_TYPES.has(type) && path !== null) what = 'unexpected';
  if (what === 'skip') return { deliver: true };
  if (what === 'unexpected') {
    return { deliver: false, failure: failure('UNLISTED', path, 'only files listed in the signed manifest', `a ${type} the release does not contain (held by the guard: nothing delivered)`) };
  }
  const entry = manifest.files[path];
  if (verifier.sriMatches(entry.integrity, bytes) !== 'matched' || bytes.length !== entry.size) {
    return {
      deliver: false,
      failure: failure('FILE_MISMATCH', path, entry.integrity, verifier.sri(bytes), `${bytes.length} bytes served, ${entry.size} listed (held by the guard: nothing delivered)`),
    };
  }
  return { deliver: true };
}

/**
 * Installs the Firefox enforcement.  `fail(tabId, origin, url, failure)`
 * blocks the tab's load (background.js's `block`); `manifestOf(tabId,
 * origin, url)` resolves to the manifest the tab's current load verified
 * (for a document: the load of that URL), or null — one fetch and one
 * verdict on the manifest per load, shared with the Chromium checks;
 * `pins()` the pins (pins.js), `verifier` the verifier wasm.  A no-op
 * elsewhere.
 */
export function firefoxGuard({ fail, manifestOf, pins, verifier }) {
  if (!canHoldResponses()) return false;
  const api = globalThis.browser;
  const base = api.runtime.getURL('');
  /** requestId → the latest URL and status the request reached (redirects). */
  const seen = new Map();

  const originOf = (url) => {
    try {
      const u = new URL(url);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
    } catch {
      return null;
    }
  };

  /** Origins enrolled now (kept in step with storage), read once before the first request is judged. */
  const enrolled = new Set();
  const syncEnrolled = async () => {
    const all = await pins();
    enrolled.clear();
    for (const o of Object.keys(all)) enrolled.add(o);
    await syncWasmGuard([...enrolled]).catch((e) => console.error('sealpost guard: wasm-guard.js registration failed', e));
  };
  let known = false;
  const first = syncEnrolled().catch(() => {}).then(() => {
    known = true;
  });
  api.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.pins) syncEnrolled().catch(() => {});
  });

  api.webRequest.onBeforeRequest.addListener((details) => {
    // The guard's own fetches (manifest, signature, certificate, re-fetches) are not the page's.
    // Only requests outside any tab: a navigation the guard starts in a tab (enrollment's reload) is the page's.
    if (details.tabId === -1 && (details.originUrl || '').startsWith(base)) return {};
    const origin = originOf(details.url);
    if (!origin) return {};
    // A response of an enrolled origin that cannot be held is cancelled (never delivered unchecked), and a code-bearing one blocks the tab.
    const decide = () => {
      if (!enrolled.has(origin)) return {};
      const why = hold(details);
      if (why === null) return {};
      console.error('sealpost guard: cannot hold a response, cancelled', details.type, details.url, why);
      if (details.tabId >= 0 && blocksWhenUnheld(details.type)) {
        fail(details.tabId, origin, details.url, unheldFailure(details.url, origin, details.type, why), details.type).catch(() => {});
      }
      return { cancel: true };
    };
    if (known) return decide();
    // Before the pins are known the request waits (a blocking listener): none goes through unheld.
    return first.then(decide);
  }, { urls: ['http://*/*', 'https://*/*'] }, ['blocking']);

  // Blocking: a non-blocking listener's event may come after the held body's end.
  api.webRequest.onHeadersReceived.addListener((details) => {
    const s = seen.get(details.requestId);
    // The hold failed before the response came (filter.onerror): it is cancelled here, never delivered unheld.
    if (s?.filterError) {
      seen.delete(details.requestId);
      return { cancel: true };
    }
    if (s) {
      s.url = details.url;
      s.status = details.statusCode;
      // The body's announced length, when the filter sees it as sent (no content coding).
      const h = (name) => (details.responseHeaders || []).find((x) => x.name.toLowerCase() === name)?.value;
      const n = Number(h('content-length'));
      s.length = !h('content-encoding') && Number.isSafeInteger(n) && n >= 0 ? n : null;
    }
    return {};
  }, { urls: ['http://*/*', 'https://*/*'] }, ['blocking', 'responseHeaders']);
  const errored = (details) => {
    const s = seen.get(details.requestId);
    if (s) s.errored = true;
    if (s?.filterError) seen.delete(details.requestId);
  };

  api.webRequest.onErrorOccurred.addListener(errored, { urls: ['http://*/*', 'https://*/*'] });
  // A request whose hold failed is forgotten once it ends (a held one is, when its filter stops).
  api.webRequest.onCompleted?.addListener((details) => {
    if (seen.get(details.requestId)?.filterError) seen.delete(details.requestId);
  }, { urls: ['http://*/*', 'https://*/*'] });

  /** The tab's load's verified manifest; the load may start a moment after its document's bytes are in (waited for, within the check deadline). */
  async function loadManifest(tabId, origin, url) {
    const end = Date.now() + CHECK_DEADLINE_MS;
    for (;;) {
      const m = await manifestOf(tabId, origin, url);
      if (m !== undefined) return m;
      if (Date.now() > end) return null;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Holds the response of `details`: null, or why Firefox would not let it be held. */
  function hold(details) {
    const { requestId, type, tabId } = details;
    const origin = originOf(details.url);
    const state = { url: details.url, status: 0 };
    seen.set(requestId, state);
    let filter;
    try {
      filter = api.webRequest.filterResponseData(requestId);
    } catch (e) {
      seen.delete(requestId);
      return String(e?.message || e);
    }
    const chunks = [];
    let length = 0;
    filter.ondata = (e) => {
      const b = new Uint8Array(e.data);
      chunks.push(b);
      length += b.length;
    };
    filter.onerror = () => {
      // The hold is lost (Firefox refused or dropped the filter): the response may go on unheld.
      // Cancelled if its headers are still to come (onHeadersReceived); a code-bearing one blocks the
      // tab — unless the request itself failed (the tab moved on, cancelled): then nothing was delivered.
      const why = String(filter.error || 'the filter failed');
      state.filterError = why;
      console.error('sealpost guard: a held response was lost', type, state.url, why);
      if (state.errored || tabId < 0 || !blocksWhenUnheld(type)) return;
      fail(tabId, originOf(state.url) || origin, state.url, unheldFailure(state.url, origin, type, why), type).catch(() => {});
    };
    filter.onstop = async () => {
      const bytes = new Uint8Array(length);
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      let verdict;
      /** The enrolled origin whose pin judged this response (null: not one). */
      let guarded = null;
      try {
        const url = state.url;
        const finalOrigin = originOf(url);
        const redirect = state.status >= 300 && state.status < 400;
        if (state.filterError || state.errored || state.status === 0 || (state.length != null && length < state.length)) {
          // Cut short (the tab moved on, the request was cancelled, the
          // connection dropped): nothing is delivered, and no verdict — an
          // incomplete response is not the site's release, nor proof of an attack.
          verdict = { deliver: false, failure: null };
        } else if (finalOrigin !== origin && !enrolled.has(finalOrigin)) {
          // Redirected to an origin the guard does not watch: not this release's.
          verdict = { deliver: true };
        } else if (redirect && length === 0) {
          verdict = { deliver: true };
        } else {
          const pin = (await pins())[finalOrigin];
          if (!pin) {
            verdict = { deliver: true };
          } else {
            guarded = finalOrigin;
            // Requests outside a tab (none in the release) have no load to answer for them: nothing delivered.
            const manifest = pin.failure || pin.revoked || tabId < 0 ? null : await loadManifest(tabId, finalOrigin, type === 'main_frame' ? url : null);
            const pinFailure = pin.revoked ? failure('KEY_REVOKED', GUARD_FILES[2].split('/').pop(), 'a release key that is not revoked', 'revoked')
              : pin.failure ? pin.failure : null;
            verdict = judgeResponse({ url, origin: finalOrigin, type, bytes, manifest: manifest ?? new Error('no verified manifest for this load'), pinFailure, verifier });
          }
        }
      } catch (e) {
        verdict = { deliver: false, failure: failure('RESOURCE_UNAVAILABLE', releasePath(state.url, origin) || state.url, 'a response checked before delivery', String(e.message || e)) };
      }
      // A document is delivered only once wasm-guard.js's registration for the
      // enrolled origins is in place (it is updated when the pins change, as
      // enrollment's reload starts): its WebAssembly.* are hooked from the start.
      // A document of an enrolled origin the registration does not cover (it
      // failed, or has not caught up with the pins: one more sync is tried) is
      // not delivered: its page could compile any wasm.
      if (verdict.deliver && (type === 'main_frame' || type === 'sub_frame')) {
        await wasmGuardSync.catch(() => {});
        if (guarded && !wasmGuardCovers(guarded)) await syncEnrolled().catch(() => {});
        if (guarded && !wasmGuardCovers(guarded)) {
          verdict = { deliver: false, failure: failure('WASM_GUARD_MISSING', releasePath(state.url, guarded) || state.url, 'the page\'s WebAssembly.* hooked by wasm-guard.js', 'its registration failed (see the extension\'s console): the document was held, checked and not delivered') };
        }
      }
      try {
        if (verdict.deliver) filter.write(bytes);
        filter.close();
      } catch {
        // The request is gone (the tab moved on): nothing to deliver.
      }
      seen.delete(requestId);
      if (!verdict.deliver && tabId >= 0 && verdict.failure) {
        await fail(tabId, originOf(state.url) || origin, state.url, verdict.failure, type);
      }
    };
    return null;
  }
  return true;
}

/**
 * Firefox's back/forward cache outlives what empties Chromium's (enroll.js
 * flushBackForwardCache: a change of the session rules and
 * webRequest.handlerBehaviorChanged): tested, a page of the origin opened
 * before enrollment came back from the cache after enrollment and its
 * pageshow handler ran — no request, so the hold never saw it — in a tab
 * that had left it for another site, and in the tabs enrollment navigated
 * to enrolling.html and back (the page cached two entries back;
 * tests/firefox/bfcache.test.mjs).  A discarded tab keeps its history but
 * no cached page (gone back to, each entry is loaded again: a held, checked
 * load).  The tab API cannot say which tab's history holds a page of the
 * origin, so in Firefox enrollment discards every tab of every window but
 * the guard pages it opens here and `keep` (the popup's own tab, when it
 * runs in one): a selected tab cannot be discarded, so in
 * each window a guard page (enrolling.html?held) is selected first, and the
 * tab selected again once enrollment restored the tabs (releaseHeld).  Each
 * page is recorded in `held` as it opens (the caller releases them, also
 * when this throws).  Firefox may decline a discard without an error (a
 * page that asks before it is left, an open tab dialog; a popup window
 * takes no guard page): every tab is discarded on its own and checked after,
 * and a tab left undiscarded fails enrollment (named; the user closes it or
 * answers it and enrolls again): such a tab could go back, by its own
 * script, to a page of the origin cached before enrollment.
 */
export async function discardCachedPages(held, keep = null) {
  const api = globalThis.browser;
  if (typeof api?.tabs?.discard !== 'function') return;
  const base = api.runtime.getURL('');
  const ours = (t) => t.id === keep || held.some((h) => h.page === t.id);
  for (const t of await api.tabs.query({ active: true })) {
    if (t.discarded || ours(t)) continue;
    const page = await api.tabs.create({ windowId: t.windowId, url: `${base}enrolling.html?held`, active: true }).catch(() => null);
    if (page) held.push({ tabId: t.id, page: page.id });
  }
  for (const t of await api.tabs.query({})) {
    if (!t.active && !t.discarded && !ours(t)) await api.tabs.discard(t.id).catch(() => {});
  }
  const left = (await api.tabs.query({})).filter((t) => !t.discarded && !ours(t));
  if (left.length) {
    const named = left.slice(0, 3).map((t) => t.url || `tab ${t.id}`).join(', ');
    throw new Error(`NOT_DISCARDED: ${left.length} tab(s) could not be emptied of their cached pages (${named}${left.length > 3 ? ', …' : ''}): a page that asks before it is left, a dialog, or a popup window; close them or answer them and enroll again`);
  }
}

/** Each tab discardCachedPages selected a guard page instead of: selected again, that page closed. */
export async function releaseHeld(held) {
  const api = globalThis.browser;
  for (const { tabId, page } of held.splice(0)) {
    await api.tabs.update(tabId, { active: true }).catch(() => {});
    await api.tabs.remove(page).catch(() => {});
  }
}

/**
 * Firefox's browsingData.remove takes `hostnames`, not `origins`, and has
 * no Cache Storage type (DOM caches are not in its DataTypeSet): the
 * origin's service workers are removed by host name (every port and scheme
 * of that host), and Cache Storage is left — a cached document can only be
 * served by a service worker, which is gone (enroll.js's clearOriginStorage
 * in Firefox).
 */
export async function clearOriginStorageByHost(origin) {
  await globalThis.browser.browsingData.remove({ hostnames: [new URL(origin).hostname] }, { serviceWorkers: true });
}
