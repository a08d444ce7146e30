// The extension's decisions, free of chrome.* so that Node tests them:
// which requests are checked, whether a manifest may replace the pinned
// one, and the state of one page load (failure is absorbing).

/** Request types whose bytes run or style the page: each must be listed. */
export const CODE_TYPES = new Set(['main_frame', 'sub_frame', 'script', 'stylesheet', 'object', 'other']);

/** A failure, shown on blocked.html: what failed, and expected vs actual. */
export function failure(code, file, expected, actual, detail = '') {
  return { code, file, expected, actual, detail };
}

/**
 * The path in the release of `url` on `origin` ("/" → "index.html"),
 * or null when `url` is on another origin.
 */
export function releasePath(url, origin) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.origin !== origin) return null;
  let path;
  try {
    path = decodeURIComponent(u.pathname).replace(/^\/+/, '');
  } catch {
    return u.pathname.replace(/^\/+/, '');
  }
  if (path === '' || path.endsWith('/')) path += 'index.html';
  return path;
}

/**
 * What to do with a completed request of an enrolled page: 'check' (hash it
 * against the manifest), 'unexpected' (code that the release does not list:
 * a failure) or 'skip' (data, e.g. the mailbox API, or another origin).
 * Data requests (fetch/XHR, images) are checked when their path is listed,
 * which covers the wasm, fetched by script.
 */
export function classify(type, path, manifest) {
  if (path === null) return 'skip';
  if (path.startsWith('.well-known/sealpost/')) return 'skip';
  const listed = Object.hasOwn(manifest.files, path);
  if (listed) return 'check';
  return CODE_TYPES.has(type) ? 'unexpected' : 'skip';
}

/**
 * Whether a manifest whose signature verified with the pinned certificate
 * may be used: same app, and no rollback below the highest version seen.
 * Returns { ok: true, newVersion } (newVersion set when the pin ratchets
 * forward) or { ok: false, failure }.  `compareVersions` is the verifier
 * wasm's (-1, 0 or 1; throws on a version that is not MAJOR.MINOR.PATCH):
 * the library's own, so the two cannot disagree.
 */
export function decideManifest(pin, manifest, compareVersions) {
  if (manifest.app !== pin.app) {
    return { ok: false, failure: failure('APP_CHANGED', 'manifest.json', pin.app, manifest.app) };
  }
  let order;
  try {
    order = compareVersions(manifest.version, pin.version);
  } catch (e) {
    return { ok: false, failure: failure('BAD_MANIFEST', 'manifest.json', pin.version, String(manifest.version), e.message) };
  }
  if (order < 0) {
    return {
      ok: false,
      failure: failure('ROLLBACK', 'manifest.json', `version ≥ ${pin.version}`, manifest.version,
        'the site serves an older release than one already seen; a rollback can bring back fixed bugs'),
    };
  }
  return { ok: true, newVersion: order > 0 ? manifest.version : null };
}

/**
 * The pinned certificate's life, from what the site serves at
 * release-cert.asc on a check: `fetched` is the verifier's refreshCert
 * result ({ cert, changed, revoked, reason }), or the Error of fetching or
 * reading it.  Returns { action, status }:
 *  - 'revoke': the pinned key revoked itself — the origin is blocked for
 *    good (KEY_REVOKED, with the verifier's sanitized reason);
 *  - 'update': a newer certificate that the pinned key certified (a new
 *    subkey, user ID or expiry): it becomes the pin;
 *  - 'keep': the pin stays as it is — also when the site serves another
 *    key's certificate (CERT_MISMATCH: never a reason to re-pin; noted in
 *    the pin's status), an unreadable one, or none within the deadline;
 *    and when what it serves is stuffed (CERT_TOO_LARGE for the merged
 *    result: state 'too-large').  A stuffed certificate never changes the
 *    pin, and it cannot hide a revocation either: the verifier judges the
 *    revocation first and returns it (action 'revoke') whatever came with
 *    it; CERT_TOO_LARGE means the merge revoked nothing.  (A server can
 *    always withhold a revocation by not serving it; stuffing gives it no
 *    more than that.)
 *  - 'block': the *pinned* certificate can no longer be read
 *    (CERT_TOO_LARGE for the pin itself: only a damaged store can hold
 *    one): its revocation could never be seen again, so the load is
 *    blocked (PIN_UNREADABLE) rather than verified with a pin that can no
 *    longer be refreshed.
 */
export function certOutcome(fetched) {
  if (fetched instanceof Error || !fetched || typeof fetched !== 'object') {
    const code = fetched?.code;
    const detail = String(fetched?.message || fetched || 'no certificate');
    // The verifier names which certificate it could not read: "pinned certificate: …".
    if (code === 'CERT_TOO_LARGE' && detail.startsWith('pinned')) return { action: 'block', status: { state: 'pin-unreadable', detail } };
    const state = code === 'CERT_MISMATCH' ? 'mismatch' : code === 'INVALID_CERT' ? 'invalid' : code === 'CERT_TOO_LARGE' ? 'too-large' : 'unavailable';
    return { action: 'keep', status: { state, detail } };
  }
  if (fetched.revoked) return { action: 'revoke', status: { state: 'revoked', detail: fetched.reason || 'no reason given' } };
  if (fetched.changed) return { action: 'update', status: { state: 'updated', detail: 'a newer certificate, certified by the pinned key' } };
  return { action: 'keep', status: { state: 'current', detail: '' } };
}

/** What every load must pass: the signed manifest, the document's bytes,
 * and the document as this tab parsed it (reported by the content script). */
export const REQUIRED = ['manifest', 'document', 'dom'];

/**
 * One page load of an enrolled origin.  `checking` until every required
 * check has passed and no resource check is pending, then `valid`; any
 * failure makes it `blocked` for good: later passes, new resources or the
 * end of the load never change it back.
 */
export class Load {
  constructor(origin, url, pinnedFailure = null, required = REQUIRED) {
    this.origin = origin;
    this.url = url;
    /** Names this load in storage (deadlines.js): a record is settled only by its own load. */
    this.id = globalThis.crypto.randomUUID();
    this.started = Date.now();
    this.required = required;
    this.pending = new Set();
    this.passed = new Set();
    this.failure = pinnedFailure;
  }

  get state() {
    if (this.failure) return 'blocked';
    const done = this.required.every((k) => this.passed.has(k));
    return done && this.pending.size === 0 ? 'valid' : 'checking';
  }

  /** A check of `key` started (ignored once blocked or already done). */
  expect(key) {
    if (!this.failure && !this.passed.has(key)) this.pending.add(key);
  }

  /** `key` passed: a required check or a resource URL. */
  pass(key) {
    if (this.failure) return this.state;
    this.pending.delete(key);
    this.passed.add(key);
    return this.state;
  }

  /** Records a failure; returns true only for the first one (act once). */
  fail(f) {
    if (this.failure) return false;
    this.failure = f;
    this.pending.clear();
    return true;
  }
}

