// sealpost guard: the release transparency log (issue 20).  The checks are
// Rust (sealpost_tlog::client, through the verifier wasm); this file
// fetches, within the same deadlines as the manifest, and keeps state:
//
//  - 'tlogPins' (chrome.storage.local): origin → the site's tlog-policy,
//    pinned at enrollment, with what the log held then.  The policy comes
//    from .well-known/sealpost/log/policy with a detached signature by the
//    release key (policy.sig): a later manifest cannot name another log or
//    other witnesses (a stolen release key would otherwise bring its own),
//    and a user who checked the key's fingerprint elsewhere has the policy
//    authenticated too.  A site that publishes no policy is enrolled
//    without a log (the popup says so); one that did is refused any release
//    the log does not prove (NOT_LOGGED), for as long as it stays enrolled.
//  - 'tlogCheckpoints': log verifier key (name+id+key, from the pinned
//    policy) → the newest checkpoint seen of that log (whichever site showed
//    it; kept when a site is forgotten).  Keyed by the key, not the name:
//    another site's policy may name its own key under the same log name,
//    and its checkpoints are then another log's.  Only a check of an
//    enrolled (or being enrolled) site stores one, never a preview.  A new
//    checkpoint must be proven consistent with it; the same size with
//    another root, or no consistency, is SPLIT_VIEW, and both checkpoints
//    are kept in 'tlogEvidence'.
//  - Enrollment records (issue 21): a site that publishes a policy is
//    enrolled only when its binding-proof proves a log entry binding the
//    origin to this release key *and this policy's SHA-256*, under a
//    checkpoint cosigned at least BINDING_COOL_DOWN_SECS ago by a quorum of
//    the witnesses the guard itself ships (guard-config.js, build-time
//    constants: the policy's own witnesses do not count here — a server can
//    name witnesses it runs and backdate them).  Else NOT_BOUND, or
//    BINDING_COOLING_DOWN saying from when.  A release signed by another key
//    than the pinned one is accepted (keyChange) under the same rule.  And
//    the binding must still be the origin's newest (checkNewestBinding): in
//    a view of the log that a quorum of the guard's witnesses cosigned at
//    most VIEW_MAX_AGE_SECS ago (the log's served checkpoint, the release
//    proof's or the binding proof's), no later entry binds the origin to
//    another key or policy — else NOT_BOUND.  A binding stays valid in every
//    old checkpoint; without this, a server still holding a key the site
//    replaced could replay its old binding to someone enrolling now.
//  - 'policyFloors' (kept in pins.js): origin → { log, rebuilderKeys, rebuildQuorum }, the
//    strongest policy pinned for it, kept across forget (like revokedKeys):
//    a re-enrollment or key change with a weaker policy (no log, fewer
//    rebuilders, a lower rebuild quorum) is refused POLICY_WEAKER.
import * as verifier from './pkg/sealpost_verifier_wasm.js';
import { GUARD_FILES, fetchWithin } from './guard.js';
import { BINDING_COOL_DOWN_SECS, GUARD_WITNESSES, VIEW_MAX_AGE_SECS } from './guard-config.js';
import { failure } from './policy.js';
import { pins, policyFloors, raiseFloor, revokedKey, savePin } from './pins.js';
import { REBUILD_PROOFS, checkGuardRebuilt, checkRebuilt, guardRebuilders, needsRebuilds, notRebuilt, notRebuiltByGuard } from './rebuild.js';

export const LOG_DIR = '.well-known/sealpost/log/';
const POLICY = `${LOG_DIR}policy`;
const POLICY_SIG = `${LOG_DIR}policy.sig`;
const PROOF = `${LOG_DIR}release-proof`;
const CHECKPOINT = `${LOG_DIR}checkpoint`;
export const BINDING = `${LOG_DIR}binding-proof`;

const get = async (key, fallback) => (await chrome.storage.local.get(key))[key] || fallback;

export const logPins = () => get('tlogPins', {});
export const checkpoints = () => get('tlogCheckpoints', {});

/** One log check (and storage update) at a time: a checkpoint stored was checked against the one before it. */
let queue = Promise.resolve();
function serially(fn) {
  const run = queue.then(fn, fn);
  queue = run.catch(() => {});
  return run;
}

/**
 * Every read-modify-write of 'tlogPins', one after another (a recount
 * finishing during a forget or an enrollment cannot write back an old
 * copy).  `change(all)` edits the map in place; false leaves it unwritten.
 */
let pinWrites = Promise.resolve();
function updateLogPins(change) {
  const run = pinWrites.then(async () => {
    const all = await logPins();
    if ((await change(all)) === false) return;
    await chrome.storage.local.set({ tlogPins: all });
  });
  pinWrites = run.catch(() => {});
  return run;
}

/** One enrollment (log check, log pin, key pin) of an origin at a time. */
const enrollments = new Map();
function perOrigin(origin, fn) {
  const run = (enrollments.get(origin) || Promise.resolve()).then(fn, fn);
  const tail = run.catch(() => {});
  enrollments.set(origin, tail);
  tail.then(() => { if (enrollments.get(origin) === tail) enrollments.delete(origin); });
  return run;
}

/** The log's verifier key named in the policy for the log `name` (the key its checkpoints are stored under). */
export function logKeyOf(policyText, name) {
  for (const line of policyText.split('\n')) {
    const t = line.trim().split(/\s+/);
    if (t[0] === 'log' && t[1] && t[1].startsWith(`${name}+`)) return t[1];
  }
  return `${name}+?`;
}

/** The log origin of a tlog-proof's checkpoint (the first line after the blank line); the wasm checks it again. */
function proofLog(proof) {
  const text = new TextDecoder().decode(proof);
  const at = text.indexOf('\n\n');
  return at < 0 ? '' : text.slice(at + 2).split('\n', 1)[0];
}

/** The checkpoint held of the log with verifier key `key` (or, stored before keys, under its name `log`: the wasm ignores one the pinned key did not sign). */
async function held(key, log) {
  const all = await checkpoints();
  const c = all[key] || all[log];
  return c ? new TextEncoder().encode(c.note) : null;
}

async function keep(key, logged) {
  const all = await checkpoints();
  const old = all[key];
  if (old && old.size >= logged.checkpoint_size) return;
  all[key] = { note: logged.checkpoint, size: logged.checkpoint_size, at: new Date().toISOString() };
  await chrome.storage.local.set({ tlogCheckpoints: all });
}

async function noteEvidence(origin, log, key, served, message) {
  const evidence = await get('tlogEvidence', []);
  evidence.push({ origin, log, at: new Date().toISOString(), held: (await checkpoints())[key]?.note || null, served, message });
  await chrome.storage.local.set({ tlogEvidence: evidence.slice(-20) });
}

/**
 * Checks the release `manifestBytes` of `origin` against the log
 * `policyText` names, from the site's tlog-proof (`proof`: bytes, or the
 * Error of fetching it), fetching tiles for a consistency proof when the
 * wasm asks.  Resolves to the wasm's `logged` result; throws an Error with
 * `code` NOT_LOGGED or SPLIT_VIEW (or LOG_POLICY).
 */
async function check(origin, policyText, proof, manifestBytes, fingerprint, { store = true } = {}) {
  if (proof instanceof Error) {
    throw Object.assign(new Error(`no inclusion proof of this release: ${proof.message}`), { code: 'NOT_LOGGED' });
  }
  return serially(async () => {
    const log = proofLog(proof);
    const key = logKeyOf(policyText, log);
    const stored = await held(key, log);
    try {
      let r = verifier.tlogCheckRelease(policyText, proof, manifestBytes, fingerprint, stored, null);
      if (r.needTiles) {
        let tiles;
        try {
          const bytes = await Promise.all(r.needTiles.map((p) => fetchWithin(`${origin}/${LOG_DIR}${p}`)));
          tiles = Object.fromEntries(r.needTiles.map((p, i) => [p, bytes[i]]));
        } catch (e) {
          throw Object.assign(new Error(`the log's tiles for the consistency proof could not be fetched: ${e.message}`), { code: 'NOT_LOGGED' });
        }
        r = verifier.tlogCheckRelease(policyText, proof, manifestBytes, fingerprint, stored, tiles);
      }
      if (!r.logged) throw Object.assign(new Error('the log proof asked for tiles twice'), { code: 'NOT_LOGGED' });
      if (r.logged.advanced && store) await keep(key, r.logged);
      return r.logged;
    } catch (e) {
      if (e.code === 'SPLIT_VIEW' && store) await noteEvidence(origin, log, key, new TextDecoder().decode(proof), e.message).catch(() => {});
      throw e;
    }
  });
}

/**
 * Starts fetching the release's proof and, when the pinned policy asks for
 * rebuild attestations (rebuild.js), the site's rebuild-proofs, both with
 * the manifest's deadline and in its round: a promise of { proof, rebuild }
 * (each bytes or an Error; rebuild null when not asked for), never
 * rejected; null for an origin with no log pinned (nothing is fetched).
 * `pinned` true: fetch both (a preview, before any pin).
 */
export function fetchProof(origin, pinned = logPins().then((all) => all[origin] || null)) {
  const asError = (e) => (e instanceof Error ? e : new Error(String(e)));
  return Promise.resolve(pinned).then(async (lp) => {
    if (!lp) return null;
    const [proof, rebuild] = await Promise.all([
      fetchWithin(`${origin}/${PROOF}`).catch(asError),
      lp === true || needsRebuilds(lp.policy) || guardRebuilders() ? fetchWithin(`${origin}/${REBUILD_PROOFS}`).catch(asError) : null,
    ]);
    return { proof, rebuild };
  }).catch((e) => ({ proof: asError(e), rebuild: asError(e) }));
}

/** Notes on the pin who attested the release now served (the popup shows it); written only when it changed. */
function noteRebuilt(origin, lp, version, rebuilt) {
  const by = rebuilt.rebuilders;
  if (lp.rebuilt?.version === version && (lp.rebuilt.by || []).join() === by.join()) return Promise.resolve();
  return updateLogPins((all) => {
    if (!all[origin] || all[origin].enrolledAt !== lp.enrolledAt) return false;
    all[origin] = { ...all[origin], rebuilt: { version, by, quorum: rebuilt.quorum } };
  });
}

/**
 * The load-time check (background.js checkManifest): true when `origin` has
 * no log pinned or the release is logged; else the failure to block with.
 */
export async function checkLogged(origin, fingerprint, manifestBytes, proofPromise) {
  const lp = (await logPins())[origin];
  if (!lp) return true;
  // Pinned after the fetches started (nothing fetched): no proof, which fails closed.
  const fetched = (await proofPromise) || { proof: new Error('no proof was fetched'), rebuild: new Error('not fetched') };
  try {
    const logged = await check(origin, lp.policy, fetched.proof, manifestBytes, fingerprint);
    if (logged.advanced) recount(origin, logged).catch(() => {});
    // Only a release proven in the log gets this far; then its rebuilders (issue 21), under that very checkpoint.
    let rebuilt;
    try {
      rebuilt = checkRebuilt(lp.policy, fetched.proof, manifestBytes, fetched.rebuild);
      checkGuardRebuilt(lp.policy, fetched.proof, manifestBytes, fetched.rebuild);
    } catch (e) {
      return e.guard ? notRebuiltByGuard(e.message) : notRebuilt(lp, e.message);
    }
    if (rebuilt.quorum) {
      const version = JSON.parse(new TextDecoder().decode(manifestBytes)).version;
      noteRebuilt(origin, lp, version, rebuilt).catch(() => {});
    }
    return true;
  } catch (e) {
    const code = e.code === 'SPLIT_VIEW' ? 'SPLIT_VIEW' : 'NOT_LOGGED';
    return code === 'SPLIT_VIEW'
      ? failure(code, PROOF, 'a checkpoint of the log consistent with the one seen before', e.message,
        'the site shows you a view of its release log that cannot be the one others see; both checkpoints are kept as evidence (popup)')
      : failure(code, PROOF, `this release in the log ${lp.log}, cosigned by a quorum of ${lp.witnesses.join(', ')}`, e.message,
        'a release that is not in the public log could have been made for you alone');
  }
}

/**
 * The app's releases in the log (from its entry bundles), for the popup;
 * null (not counted) for a log of more bundles than the wasm lets be
 * fetched (client::MAX_COUNTED_BUNDLES): the size is the server's word.
 */
async function countReleases(origin, logged, app, bundlesAt = (paths) => fetchBundles(origin, paths)) {
  let paths;
  try {
    paths = verifier.tlogEntryBundlePaths(logged.checkpoint_size);
  } catch {
    return null;
  }
  return verifier.tlogCountReleases(new TextEncoder().encode(logged.checkpoint), await bundlesAt(paths), app);
}

/**
 * At most this many bytes per entry bundle (256 entries of 4 KiB on average;
 * sealpost's entries are under 600 bytes): the server chooses what it sends,
 * and every bundle is copied into the verifier's wasm.  A log of larger
 * entries cannot be read whole by the guard (fails closed).
 */
const MAX_BUNDLE_BYTES = 1 << 20;

/** The log's entry bundles at `paths`: { path: bytes }; rejects when one cannot be fetched in time or is too large. */
async function fetchBundles(origin, paths) {
  const bytes = await Promise.all(paths.map((p) => fetchWithin(`${origin}/${LOG_DIR}${p}`, undefined, undefined, MAX_BUNDLE_BYTES)));
  return Object.fromEntries(paths.map((p, i) => [p, bytes[i]]));
}

/** fetchBundles for one enrollment's checks: the same paths (the same tree) are fetched once. */
function bundlesOnce(origin) {
  const fetched = new Map();
  return (paths) => {
    const key = paths.join('\n');
    if (!fetched.has(key)) fetched.set(key, fetchBundles(origin, paths));
    return fetched.get(key);
  };
}

async function recount(origin, logged) {
  const lp = (await logPins())[origin];
  if (!lp) return;
  const releases = await countReleases(origin, logged, lp.app);
  // Only onto the same pin: a site forgotten (or enrolled again) meanwhile is left as it is now.
  await updateLogPins((all) => {
    if (!all[origin] || all[origin].enrolledAt !== lp.enrolledAt) return false;
    all[origin] = { ...all[origin], releases, releasesAt: new Date().toISOString() };
  });
}

/**
 * What the site publishes about its log, for enrollment: null when it
 * publishes no policy (HTTP 404); else the verified policy with the
 * release's proof checked and the app's releases counted.  Throws when the
 * policy is unsigned or badly signed, or the release is not logged: such a
 * site cannot be enrolled.
 */
export async function previewLog(origin, fingerprint, { store = false } = {}) {
  const [policy, sig, binding] = await Promise.all([POLICY, POLICY_SIG, BINDING].map((f) => fetchWithin(`${origin}/${f}`).catch((e) => e)));
  const floor = (await policyFloors())[origin];
  if (policy instanceof Error) {
    if (/HTTP 404$/.test(policy.message)) {
      if (floor?.log) throw new Error(`POLICY_WEAKER: ${origin} published a signed release log policy when it was enrolled before; it publishes none now, and the guard does not enroll it with less`);
      return null;
    }
    throw new Error(`the site's release log policy could not be fetched: ${policy.message}`);
  }
  if (sig instanceof Error) throw new Error(`the site's release log policy has no signature: ${sig.message}`);
  const [manifestBytes, cert, proof] = await Promise.all([
    fetchWithin(`${origin}/${GUARD_FILES[0]}`), fetchWithin(`${origin}/${GUARD_FILES[2]}`), fetchProof(origin, true),
  ]);
  if (verifier.certInfo(cert).fingerprint !== fingerprint) throw new Error(`the site now publishes another release key than ${fingerprint}`);
  const names = verifier.tlogPolicy(policy, sig, cert);
  const policyText = new TextDecoder().decode(policy);
  const weaker = weakerThan(floor, names);
  if (weaker) throw new Error(`POLICY_WEAKER: ${weaker}`);
  // The binding origin → this key and this policy, public for the cool-down (issue 21).
  let bound;
  try {
    bound = checkBinding(policyText, binding, origin, fingerprint);
  } catch (e) {
    throw new Error(`${e.code}: ${e.message}`);
  }
  const app = JSON.parse(new TextDecoder().decode(manifestBytes)).app;
  let logged;
  try {
    logged = await check(origin, policyText, proof.proof, manifestBytes, fingerprint, { store });
  } catch (e) {
    throw new Error(`${e.code || 'NOT_LOGGED'}: the site's release is not proven in its log: ${e.message}`);
  }
  const bundlesAt = bundlesOnce(origin);
  try {
    bound = { ...bound, view: await checkNewestBinding(origin, policyText, fingerprint, bound, logged, bundlesAt), checkpoint: undefined };
  } catch (e) {
    throw new Error(`NOT_BOUND: ${e.message}`);
  }
  // A release its policy's rebuilders have not attested is not enrolled either (it would be blocked at once).
  let rebuilt;
  try {
    rebuilt = checkRebuilt(policyText, proof.proof, manifestBytes, proof.rebuild);
    checkGuardRebuilt(policyText, proof.proof, manifestBytes, proof.rebuild);
  } catch (e) {
    throw new Error(`NOT_REBUILT: the site's release is not attested${e.guard ? '' : ' by its rebuilders'}: ${e.message}`);
  }
  const releases = await countReleases(origin, logged, app, bundlesAt);
  const manifestSha256 = [...new Uint8Array(await crypto.subtle.digest('SHA-256', manifestBytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const version = JSON.parse(new TextDecoder().decode(manifestBytes)).version;
  return {
    policy: policyText, log: logged.origin, logKey: logKeyOf(policyText, logged.origin), witnesses: names.witnesses, app, releases, index: logged.index, size: logged.checkpoint_size, releasesAt: new Date().toISOString(), manifestSha256,
    rebuilders: names.rebuilders || [], rebuilderKeys: names.rebuilderKeys || [], rebuildQuorum: names.rebuildQuorum || 0, rebuilt: rebuilt.quorum ? { version, by: rebuilt.rebuilders, quorum: rebuilt.quorum } : null,
    bound,
  };
}

/**
 * The binding check (wasm tlogCheckBinding) with the guard's own witnesses
 * and cool-down, at the time now: { since, witnesses: [[name, time]], ... };
 * throws an Error with code NOT_BOUND or BINDING_COOLING_DOWN (its message
 * says from when, as a date).
 */
function checkBinding(policyText, served, origin, fingerprint) {
  if (!(served instanceof Uint8Array)) {
    throw Object.assign(new Error(`no proof that the log binds ${origin} to the key ${fingerprint} (the site's binding-proof: ${served?.message || served})`), { code: 'NOT_BOUND' });
  }
  try {
    return verifier.tlogCheckBinding(policyText, GUARD_WITNESSES, served, origin, fingerprint, Math.floor(Date.now() / 1000), BINDING_COOL_DOWN_SECS);
  } catch (e) {
    if (e.code === 'BINDING_COOLING_DOWN') {
      throw Object.assign(new Error(`${e.message} — not before ${new Date(e.until * 1000).toISOString()}`), { code: e.code, until: e.until });
    }
    throw Object.assign(new Error(e.message), { code: 'NOT_BOUND' });
  }
}

const noRecentBinding = (m) => Object.assign(new Error(m), { code: 'NOT_BOUND' });

/**
 * Whether the binding `bound` (checkBinding) is still the newest binding of
 * `origin` in a recent view of its log: the largest of the log's served
 * checkpoint, the release proof's (`logged`, tlogCheckRelease) and the
 * binding proof's that a quorum of the guard's own witnesses cosigned at
 * most VIEW_MAX_AGE_SECS ago (witnesses cosign no tree smaller than one
 * they cosigned, so such a view holds every entry the log had by then),
 * read whole from the log's entry bundles (`bundlesAt(paths)`, fetchBundles
 * by default).  Resolves to the view { log,
 * size, at }; throws an Error with code NOT_BOUND (no recent view, or a
 * later binding of the origin to another key or policy, named).
 */
async function checkNewestBinding(origin, policyText, fingerprint, bound, logged, bundlesAt = (paths) => fetchBundles(origin, paths)) {
  const now = Math.floor(Date.now() / 1000);
  const served = await fetchWithin(`${origin}/${CHECKPOINT}`).catch(() => null);
  const enc = (t) => (typeof t === 'string' ? new TextEncoder().encode(t) : null);
  let best = null;
  let refused = null;
  for (const note of [served, enc(logged?.checkpoint), enc(bound.checkpoint)]) {
    if (!(note instanceof Uint8Array)) continue;
    try {
      const view = verifier.tlogFreshView(policyText, GUARD_WITNESSES, note, now, VIEW_MAX_AGE_SECS);
      if (view.log === bound.log && (!best || view.size > best.view.size)) best = { view, note };
    } catch (e) {
      refused ||= e.message;
    }
  }
  if (!best) throw noRecentBinding(`no recent view of the log to check that the binding of ${origin} to ${fingerprint} is still its newest: ${refused || 'the site serves no checkpoint of its log'}`);
  let bundles;
  try {
    bundles = await bundlesAt(verifier.tlogEntryBundlePaths(best.view.size));
  } catch (e) {
    throw noRecentBinding(`the log's entries (tree size ${best.view.size}) could not be read to check that the binding is still the newest: ${e.message}`);
  }
  try {
    return verifier.tlogCheckNewestBinding(policyText, GUARD_WITNESSES, best.note, bundles, bound.log, bound.index, origin, fingerprint, now, VIEW_MAX_AGE_SECS);
  } catch (e) {
    throw noRecentBinding(e.message);
  }
}

// --- the policy floor (red-team finding 3)

/** Why the policy `names` (wasm tlogPolicy) is weaker than the floor kept for the origin, or ''. */
export function weakerThan(floor, names) {
  if (!floor) return '';
  const keys = names?.rebuilderKeys || [];
  const dropped = (floor.rebuilderKeys || []).filter((k) => !keys.includes(k));
  if (dropped.length) return `the site's log policy no longer names the rebuilder(s) ${dropped.join(', ')} it named before`;
  if ((names?.rebuildQuorum || 0) < (floor.rebuildQuorum || 0)) {
    return `the site's log policy asks for ${names?.rebuildQuorum || 0} rebuild attestation(s), fewer than the ${floor.rebuildQuorum} it asked for before`;
  }
  return '';
}

/**
 * A release of an enrolled origin signed by another key than the pinned one
 * (background.js checkManifest, after the pinned key's signature failed):
 * null when it is no key change to consider (no log pinned, or the served
 * certificate does not verify the manifest); { failure } to block with; or
 * { manifest } once the change is accepted — the new key bound to the origin
 * and its signed policy in the log for the cool-down (guard witnesses), the
 * policy no weaker than the floor, the release logged (and rebuilt) under
 * it — and the pins replaced, the old key kept in the pin's keyHistory.
 */
export async function keyChange(origin, pin, manifestBytes, sig, certBytes, now) {
  const lp = (await logPins())[origin];
  if (!lp || !(certBytes instanceof Uint8Array)) return null;
  let manifest, info;
  try {
    manifest = verifier.verifyManifest(manifestBytes, sig, certBytes, now);
    info = verifier.certInfo(certBytes);
  } catch {
    return null;
  }
  if (info.fingerprint === pin.fingerprint) return null;
  const blockedAs = (code, expected, actual, detail) => ({ failure: failure(code, BINDING, expected, actual, detail) });
  // A key this site already replaced is never taken back: its old binding proves nothing about now
  // (a server still holding it could replay that binding and its policy; red-team finding).
  const retired = (pin.keyHistory || []).find((k) => k.fingerprint === info.fingerprint);
  if (retired) {
    return blockedAs('NOT_BOUND', 'a release key this site has not retired', `${info.fingerprint} was replaced by ${retired.next} on ${retired.until}`,
      'a retired key is not taken back: an old binding of it may be replayed by whoever still holds it');
  }
  if (await revokedKey(info.fingerprint)) return blockedAs('KEY_REVOKED', 'a release key not seen revoked', `${info.fingerprint} was seen revoked`, '');
  // A new key that revoked itself is never pinned (as at enrollment, enroll.js preview).
  let self;
  try {
    self = verifier.refreshCert(certBytes, certBytes, now);
  } catch (e) {
    self = { revoked: true, reason: e.message };
  }
  if (self.revoked) return blockedAs('KEY_REVOKED', 'a new release key that is not revoked', `${info.fingerprint} is revoked (${self.reason})`, '');
  const [policy, psig, binding] = await Promise.all([POLICY, POLICY_SIG, BINDING].map((f) => fetchWithin(`${origin}/${f}`).catch((e) => e)));
  let names, policyText, bound;
  const expected = `a binding of ${origin} to the new key ${info.fingerprint} and its log policy, public for ${BINDING_COOL_DOWN_SECS} s (cosigned by the guard's witnesses)`;
  const detail = `the site now signs its releases with another key than the pinned ${pin.fingerprint}; the guard accepts a new key only once the log has bound it to the site publicly for the cool-down, in view of every monitor`;
  try {
    if (policy instanceof Error || psig instanceof Error) throw Object.assign(new Error(`no signed log policy: ${(policy instanceof Error ? policy : psig).message}`), { code: 'NOT_BOUND' });
    names = verifier.tlogPolicy(policy, psig, certBytes);
    policyText = new TextDecoder().decode(policy);
    // The floor, or (a pin made before floors were kept) the pinned policy itself.
    const floor = (await policyFloors())[origin] || { log: true, rebuilderKeys: lp.rebuilderKeys || [], rebuildQuorum: lp.rebuildQuorum || 0 };
    const weaker = weakerThan(floor, names);
    if (weaker) return blockedAs('POLICY_WEAKER', 'a log policy no weaker than the one pinned', weaker, detail);
    bound = checkBinding(policyText, binding, origin, info.fingerprint);
  } catch (e) {
    return blockedAs(e.code === 'BINDING_COOLING_DOWN' ? e.code : 'NOT_BOUND', expected, e.message, detail);
  }
  // The release itself, logged (and rebuilt) under the new policy.
  const fetched = await fetchProof(origin, true);
  let logged;
  try {
    logged = await check(origin, policyText, fetched.proof, manifestBytes, info.fingerprint);
    checkRebuilt(policyText, fetched.proof, manifestBytes, fetched.rebuild);
    checkGuardRebuilt(policyText, fetched.proof, manifestBytes, fetched.rebuild);
  } catch (e) {
    return { failure: e.guard ? notRebuiltByGuard(e.message) : e.code === 'NOT_REBUILT' ? notRebuilt({ ...names }, e.message) : failure(e.code === 'SPLIT_VIEW' ? 'SPLIT_VIEW' : 'NOT_LOGGED', PROOF, `the new key's release in its log`, e.message, detail) };
  }
  // The new key's binding is still the origin's newest (a key replaced in turn is not taken either).
  try {
    bound = { ...bound, view: await checkNewestBinding(origin, policyText, info.fingerprint, bound, logged), checkpoint: undefined };
  } catch (e) {
    return blockedAs('NOT_BOUND', expected, e.message, detail);
  }
  const at = new Date().toISOString();
  const current = (await pins())[origin];
  if (!current) return null;
  // Another load of the origin accepted this very change meanwhile: the pin is the new key already.
  if (current.fingerprint === info.fingerprint) return { manifest };
  if (current.fingerprint !== pin.fingerprint) return null;
  await savePin({
    ...current, fingerprint: info.fingerprint, cert: new TextDecoder().decode(certBytes), certStatus: null, failure: null,
    keyHistory: [...(current.keyHistory || []), { fingerprint: current.fingerprint, until: at, next: info.fingerprint, boundSince: bound.since, witnesses: bound.witnesses.map(([n]) => n) }].slice(-20),
  });
  const next = { ...lp, policy: policyText, witnesses: names.witnesses, rebuilders: names.rebuilders || [], rebuilderKeys: names.rebuilderKeys || [], rebuildQuorum: names.rebuildQuorum || 0, rebuilt: null, bound, keyChangedAt: at };
  await updateLogPins((all) => {
    if (!all[origin] || all[origin].enrolledAt !== lp.enrolledAt) return false;
    all[origin] = next;
  });
  await raiseFloor(origin, next);
  return { manifest };
}

/**
 * Enrollment with the log: the site's policy (if it publishes one) is
 * verified and pinned before `run` (enroll.js enroll) pins the key, so no
 * load of the origin is ever checked without it; dropped again if `run`
 * fails and the origin is not enrolled.  `run(manifestSha256)` gets the
 * SHA-256 of the manifest the log check proved (null: no log), and must
 * enroll that manifest and no other (a server may serve another to its
 * second fetch).  One enrollment of an origin at a time (a double click
 * sends two).
 */
export function withLogPin(origin, fingerprint, run, { expectLog } = {}) {
  return perOrigin(origin, async () => {
    if ((await pins())[origin]) return run(null); // refused as enrolled already; its log pin stays
    const lp = await previewLog(origin, fingerprint, { store: true });
    // The user agreed to what the preview showed: a site that showed a release log there and none
    // now is not enrolled without one (a server could serve the policy to the preview only).
    if (expectLog === true && !lp) throw new Error(`${origin} showed a release log policy at the preview and publishes none now: not enrolled`);
    const enrolledAt = new Date().toISOString();
    await updateLogPins((all) => {
      if (lp) all[origin] = { ...lp, manifestSha256: undefined, enrolledAt };
      else delete all[origin];
    });
    try {
      const done = { ...(await run(lp ? lp.manifestSha256 : null)), log: lp && { ...lp, policy: undefined } };
      if (lp) await raiseFloor(origin, lp);
      return done;
    } catch (e) {
      if (!(await pins())[origin]) await forgetLog(origin);
      throw e;
    }
  });
}

/** Forgetting a site drops its pinned policy (the checkpoints seen of its log stay). */
export function forgetLog(origin) {
  return updateLogPins((all) => {
    if (!(origin in all)) return false;
    delete all[origin];
  });
}
