// sealpost guard v2: what the browser itself enforces on an enrolled origin,
// and the deadlines that make every check fail closed.  Free of chrome.* so
// that Node tests it (test/guard.test.mjs).
//
// The policy is a fixed template filled only with values that passed a
// strict pattern: the origin, and the SHA-384 hashes of the release's
// scripts.  A manifest field can never inject a CSP token or a header.
import { classify } from './policy.js';

/** Every required check of a load (manifest, document, DOM) must pass within this. */
export const CHECK_DEADLINE_MS = 4000;
/** One fetch of the extension (headers and the whole body) must finish within this. */
export const FETCH_DEADLINE_MS = 3000;
/** How long the content script waits for the browser to report the canary's violation. */
export const CANARY_DEADLINE_MS = 1500;

/** The three files the guard itself fetches: the only ones exempt from checks, and only as data. */
export const GUARD_FILES = ['.well-known/sealpost/manifest.json', '.well-known/sealpost/manifest.json.sig', '.well-known/sealpost/release-cert.asc'];

const ORIGIN = /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$/;
const SHA384 = /^sha384-[A-Za-z0-9+/]{64}$/;
const SCRIPT_PATH = /^(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*\/)*[A-Za-z0-9_~-][A-Za-z0-9._~-]*\.m?js$/;
/**
 * A script file of the release that is never a page script: the shim's
 * worker, which the page fetches as data with the SHA-384 built into the
 * page's code and starts from a blob: URL (worker-src blob:, not
 * script-src). Its hash is no script source, so that no document can run
 * it as a page module, at its own URL or at another module's (issue 18,
 * module substitution): the release's page (one bundle, app.js) leaves
 * one hash.
 */
const WORKER_BUNDLE = /(?:^|\/)wasm\/worker\.bundle\.js$/;

/** The inline script the content script inserts: our policy must refuse it. */
export const CANARY = 'document.documentElement.dataset.sealpostCanary = "ran";';

/**
 * The Content-Security-Policy the guard adds to every document of an
 * enrolled origin: scripts only by the hash of a release page script (Chromium
 * matches hash sources against the integrity metadata of external
 * scripts), wasm compilation, workers only from blob: (the shim starts its
 * worker from a Blob URL of bytes it fetched with integrity; a blob: worker
 * inherits this policy) — so no worker or service worker from a URL —,
 * nothing inline, no plugins, no <base>, no forms, no frame from a URL.
 * Not exact: style-src 'self' lets any stylesheet of the origin apply (the
 * DOM check pins the <link>s the page has, not what a script of the release
 * could add), and img-src/connect-src 'self' let the release's code reach
 * any path of its origin.
 * Throws on anything that does not look like a release (fail closed).
 */
export function releasePolicy(manifest) {
  const hashes = [];
  for (const [path, entry] of Object.entries(manifest?.files || {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!SCRIPT_PATH.test(path) || WORKER_BUNDLE.test(path)) continue;
    if (!entry || typeof entry.integrity !== 'string' || !SHA384.test(entry.integrity)) {
      throw new Error(`the release lists ${JSON.stringify(path)} with an integrity that is not one SHA-384 value`);
    }
    const source = `'${entry.integrity}'`;
    if (!hashes.includes(source)) hashes.push(source);
  }
  if (!hashes.length) throw new Error('the release lists no script');
  return [
    "default-src 'none'",
    `script-src ${hashes.join(' ')} 'wasm-unsafe-eval'`,
    'worker-src blob:',
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    // The release's only frame is a sandboxed srcdoc (the HTML part of a
    // message), which frame-src does not govern: no frame loads from a URL.
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers the guard sets on, or strips from, an enrolled origin's documents. */
export function documentHeaders(policy) {
  return [
    // append: the server's own policies stay enforced too (every CSP a browser receives is).
    { header: 'content-security-policy', operation: 'append', value: policy },
    { header: 'integrity-policy', operation: 'set', value: 'blocked-destinations=(script)' },
    { header: 'cross-origin-opener-policy', operation: 'set', value: 'same-origin' },
    { header: 'x-content-type-options', operation: 'set', value: 'nosniff' },
    // Navigation and hints a server could slip in by header.
    { header: 'refresh', operation: 'remove' },
    { header: 'link', operation: 'remove' },
    { header: 'speculation-rules', operation: 'remove' },
  ];
}

/**
 * Rules per enrolled origin, for its slot n ≥ 1: the dynamic rules are ids
 * RULES_PER_ORIGIN * n + 0 … + 2, the session rule + SESSION_RULE.
 */
export const RULES_PER_ORIGIN = 10;
const SESSION_RULE = 3;

/** The origin, parsed, once it and the rule slot `n` passed their patterns (throws otherwise). */
function slotOrigin(origin, n) {
  if (typeof origin !== 'string' || !ORIGIN.test(origin)) throw new Error(`not an origin: ${JSON.stringify(origin)}`);
  if (!Number.isInteger(n) || n < 1 || n > 100000) throw new Error('bad rule slot');
  return new URL(origin);
}

/** The rule ids of slot `n`. */
export function ruleIds(n) {
  return [0, 1, 2].map((k) => n * RULES_PER_ORIGIN + k);
}

/**
 * The regexFilter for every URL of `protocol`//`hostPort`: with or without
 * user info (`user@`, `user:pw@` — the same origin, sharing its storage,
 * which a `|http://host/` urlFilter does not match), the host escaped.
 * Chromium canonicalizes the URL a rule sees (lower-case host, `@` and `/`
 * inside user info percent-encoded), so `[^/@]*@` is exactly the user info.
 */
export function urlRegex(protocol, hostPort) {
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error('bad scheme');
  if (!/^[a-z0-9.-]+(?::\d{1,5})?$/.test(hostPort)) throw new Error(`not a host: ${JSON.stringify(hostPort)}`);
  return `^${protocol}//([^/@]*@)?${hostPort.replace(/\./g, '\\.')}/`;
}

/**
 * The session rule of slot `n`: no script of the origin is fetched outside
 * a tab (tabId -1) — which is how Chromium fetches a service worker's
 * script (and its importScripts).  Installed before enrollment clears the
 * origin's service workers, so that a page still open cannot register one
 * again in between; session rules are lost when the browser restarts, so
 * they are installed again on startup.  The release's own worker starts
 * from a blob: URL, which no rule sees.
 */
export function serviceWorkerRule(origin, n) {
  const u = slotOrigin(origin, n);
  return {
    id: n * RULES_PER_ORIGIN + SESSION_RULE,
    priority: 3,
    action: { type: 'block' },
    condition: { regexFilter: urlRegex(u.protocol, u.host), resourceTypes: ['script'], tabIds: [-1] },
  };
}

/**
 * The declarativeNetRequest rules of one enrolled origin (slot `n`), given
 * the verified manifest: the headers of its documents (main and sub
 * frames); and for an https origin, its twins sent to it — the http://
 * twin upgraded to https, the trailing-dot host redirected to the host —
 * so that no unchecked look-alike of the origin loads.
 */
export function originRules(origin, manifest, n) {
  const u = slotOrigin(origin, n);
  const policy = releasePolicy(manifest);
  const [headersId, httpId, dotId] = ruleIds(n);
  const rules = [{
    id: headersId,
    priority: 1,
    action: { type: 'modifyHeaders', responseHeaders: documentHeaders(policy) },
    condition: { regexFilter: urlRegex(u.protocol, u.host), resourceTypes: ['main_frame', 'sub_frame'] },
  }];
  if (u.protocol === 'https:') {
    const hostPort = u.host;
    rules.push({
      id: httpId,
      priority: 2,
      action: { type: 'upgradeScheme' },
      condition: { regexFilter: urlRegex('http:', hostPort), resourceTypes: ['main_frame', 'sub_frame'] },
    });
    rules.push({
      id: dotId,
      priority: 2,
      action: { type: 'redirect', redirect: { transform: { host: u.hostname } } },
      condition: { regexFilter: urlRegex('https:', `${u.hostname}.${u.port ? ':' + u.port : ''}`), resourceTypes: ['main_frame', 'sub_frame'] },
    });
  }
  return { policy, rules };
}

/**
 * Request classification with nothing exempt under /.well-known/ except
 * the guard's three files fetched as data: 'check', 'unexpected' or 'skip'.
 */
export function classifyRequest(type, path, manifest) {
  if (path !== null && path.startsWith('.well-known/')) {
    if (Object.hasOwn(manifest.files, path)) return 'check';
    if (GUARD_FILES.includes(path) && !['main_frame', 'sub_frame', 'script', 'stylesheet', 'object', 'other'].includes(type)) return 'skip';
    return type === 'xmlhttprequest' || type === 'image' || type === 'ping' || type === 'media' ? 'skip' : 'unexpected';
  }
  return classify(type, path, manifest);
}

/** A navigation response that starts no load: a 3xx without Location (Chromium shows its body). */
export function startsNoLoad(statusCode, headers) {
  if (statusCode < 300 || statusCode >= 400) return false;
  return !(headers || []).some((h) => h.name.toLowerCase() === 'location' && String(h.value || '').trim() !== '');
}

/**
 * What a main_frame response is (webRequest details): 'tab' — the
 * navigation of a tab's own top document, the one a load is checked
 * for —, 'prerender' — the top document of a page Chromium prerenders
 * (Speculation Rules, the address bar), in a frame tree of its own — or
 * 'prefetch' — a request some document made for a page (prefetch ahead of
 * a prerender: it carries that document's id).  Only 'tab' starts a load;
 * a prerendered page is loaded again, checked, when it is activated.
 */
export function mainFrameKind(details) {
  if (details.documentLifecycle === 'prerender' || (details.frameId !== undefined && details.frameId !== 0)) return 'prerender';
  if (details.documentId) return 'prefetch';
  return 'tab';
}

/** Whether requests of `details` belong to a prerendered page (no load of the tab answers for them). */
export function fromPrerender(details) {
  return details.documentLifecycle === 'prerender';
}

/**
 * What to do with a pending check's record (deadlines.js) that no check
 * running in this service worker stands for — it was started by an
 * instance of the worker that has been stopped since, so it can never end
 * valid: 'drop' when the tab no longer shows that load (closed, on another
 * origin, or, when the record names the document, that document gone:
 * `alive` false), else 'block' — DEADLINE once its deadline passed,
 * CHECK_LOST before.  `tab` is the chrome.tabs.Tab or null; `alive` is
 * null when the record names no document yet.
 */
/**
 * Whether a pending record's document is still the tab's top document:
 * true/false when both are known; null (unknown: the sweep blocks) when the
 * record has no documentId or the tab's top frame could not be read
 * (`topId` null: getFrame failed) — an unknown frame is not a gone one.
 */
export function documentAlive(recordDocumentId, topId) {
  if (!recordDocumentId || !topId) return null;
  return topId === recordDocumentId;
}

export function pendingVerdict(record, tab, alive, now) {
  if (!record || !tab) return { action: 'drop' };
  const onOrigin = [tab.url, tab.pendingUrl].some((u) => {
    try {
      return typeof u === 'string' && new URL(u).origin === record.origin;
    } catch {
      return false;
    }
  });
  if (!onOrigin || alive === false) return { action: 'drop' };
  return { action: 'block', code: now >= record.deadline ? 'DEADLINE' : 'CHECK_LOST' };
}

/**
 * The server's CSP headers, without the policy the guard appended (the
 * browser may show us the headers after our own rule ran).
 */
export function serverPolicies(headers, ours) {
  return (headers || [])
    .filter((h) => h.name.toLowerCase() === 'content-security-policy')
    .flatMap((h) => String(h.value).split(','))
    .map((p) => p.trim())
    .filter((p) => p && p !== ours);
}

/** Requests only the extension's own pages (popup.html) may make. */
export const PRIVILEGED_REQUESTS = ['status', 'preview', 'enroll', 'clear-failure', 'forget'];
/** Requests only the content script, in a frame of a web page, makes. */
export const CONTENT_REQUESTS = ['verified-document', 'local-frame', 'dom-result', 'restored', 'controlled', 'activated', 'wasm-hashes', 'wasm-refused'];

/**
 * Whether the service worker takes request `type` from `sender`: enrolling,
 * forgetting or clearing a failure only from an extension page (the user,
 * in the popup) — never from a content script, which runs in a page the
 * site controls —, and the content script's reports only from a tab's frame.
 */
export function messageAllowed(type, sender, extensionId, base = `chrome-extension://${extensionId}/`) {
  if (!sender || sender.id !== extensionId) return false;
  // `base`: the extension's own pages (runtime.getURL('')); Firefox's are moz-extension://<internal UUID>/, not the id.
  const fromExtensionPage = typeof sender.url === 'string' && sender.url.startsWith(base);
  if (PRIVILEGED_REQUESTS.includes(type)) return fromExtensionPage;
  if (CONTENT_REQUESTS.includes(type)) return !fromExtensionPage && !!sender.tab;
  return false;
}

/**
 * The most the guard reads of one response (a release's largest file, its
 * wasm, is a few MB; a dev build's about 6 MB): a server cannot make it buffer
 * more within the deadline.
 */
export const MAX_FETCH_BYTES = 64 << 20;

/** fetch() with a deadline on the whole response, body included, and a size cap. */
export async function fetchWithin(url, ms = FETCH_DEADLINE_MS, fetchFn = fetch, max = MAX_FETCH_BYTES) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new Error(`no complete answer within ${ms} ms`)), ms);
  try {
    const r = await fetchFn(url, { cache: 'no-store', credentials: 'omit', redirect: 'error', signal: ctl.signal });
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    const tooLarge = () => new Error(`${url}: more than ${max} bytes`);
    if (Number(r.headers?.get?.('content-length')) > max) {
      ctl.abort(tooLarge());
      throw tooLarge();
    }
    if (!r.body?.getReader) {
      const all = new Uint8Array(await r.arrayBuffer());
      if (all.length > max) throw tooLarge();
      return all;
    }
    const reader = r.body.getReader();
    const parts = [];
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > max) {
        ctl.abort(tooLarge());
        throw tooLarge();
      }
      parts.push(value);
    }
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  } catch (e) {
    throw ctl.signal.aborted ? new Error(`${url}: ${ctl.signal.reason?.message || 'timed out'}`) : e;
  } finally {
    clearTimeout(timer);
  }
}
