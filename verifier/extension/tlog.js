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
import * as verifier from './pkg/sealpost_verifier_wasm.js';
import { GUARD_FILES, fetchWithin } from './guard.js';
import { failure } from './policy.js';
import { pins } from './pins.js';
import { REBUILD_PROOFS, checkRebuilt, needsRebuilds, notRebuilt } from './rebuild.js';

export const LOG_DIR = '.well-known/sealpost/log/';
const POLICY = `${LOG_DIR}policy`;
const POLICY_SIG = `${LOG_DIR}policy.sig`;
const PROOF = `${LOG_DIR}release-proof`;

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
      lp === true || needsRebuilds(lp.policy) ? fetchWithin(`${origin}/${REBUILD_PROOFS}`).catch(asError) : null,
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
    } catch (e) {
      return notRebuilt(lp, e.message);
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
async function countReleases(origin, logged, app) {
  let paths;
  try {
    paths = verifier.tlogEntryBundlePaths(logged.checkpoint_size);
  } catch {
    return null;
  }
  const bytes = await Promise.all(paths.map((p) => fetchWithin(`${origin}/${LOG_DIR}${p}`)));
  return verifier.tlogCountReleases(new TextEncoder().encode(logged.checkpoint), Object.fromEntries(paths.map((p, i) => [p, bytes[i]])), app);
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
  const [policy, sig] = await Promise.all([POLICY, POLICY_SIG].map((f) => fetchWithin(`${origin}/${f}`).catch((e) => e)));
  if (policy instanceof Error) {
    if (/HTTP 404$/.test(policy.message)) return null;
    throw new Error(`the site's release log policy could not be fetched: ${policy.message}`);
  }
  if (sig instanceof Error) throw new Error(`the site's release log policy has no signature: ${sig.message}`);
  const [manifestBytes, cert, proof] = await Promise.all([
    fetchWithin(`${origin}/${GUARD_FILES[0]}`), fetchWithin(`${origin}/${GUARD_FILES[2]}`), fetchProof(origin, true),
  ]);
  if (verifier.certInfo(cert).fingerprint !== fingerprint) throw new Error(`the site now publishes another release key than ${fingerprint}`);
  const names = verifier.tlogPolicy(policy, sig, cert);
  const policyText = new TextDecoder().decode(policy);
  const app = JSON.parse(new TextDecoder().decode(manifestBytes)).app;
  let logged;
  try {
    logged = await check(origin, policyText, proof.proof, manifestBytes, fingerprint, { store });
  } catch (e) {
    throw new Error(`${e.code || 'NOT_LOGGED'}: the site's release is not proven in its log: ${e.message}`);
  }
  // A release its policy's rebuilders have not attested is not enrolled either (it would be blocked at once).
  let rebuilt;
  try {
    rebuilt = checkRebuilt(policyText, proof.proof, manifestBytes, proof.rebuild);
  } catch (e) {
    throw new Error(`NOT_REBUILT: the site's release is not attested by its rebuilders: ${e.message}`);
  }
  const releases = await countReleases(origin, logged, app);
  const manifestSha256 = [...new Uint8Array(await crypto.subtle.digest('SHA-256', manifestBytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const version = JSON.parse(new TextDecoder().decode(manifestBytes)).version;
  return {
    policy: policyText, log: logged.origin, logKey: logKeyOf(policyText, logged.origin), witnesses: names.witnesses, app, releases, index: logged.index, size: logged.checkpoint_size, releasesAt: new Date().toISOString(), manifestSha256,
    rebuilders: names.rebuilders || [], rebuildQuorum: names.rebuildQuorum || 0, rebuilt: rebuilt.quorum ? { version, by: rebuilt.rebuilders, quorum: rebuilt.quorum } : null,
  };
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
export function withLogPin(origin, fingerprint, run) {
  return perOrigin(origin, async () => {
    if ((await pins())[origin]) return run(null); // refused as enrolled already; its log pin stays
    const lp = await previewLog(origin, fingerprint, { store: true });
    const enrolledAt = new Date().toISOString();
    await updateLogPins((all) => {
      if (lp) all[origin] = { ...lp, manifestSha256: undefined, enrolledAt };
      else delete all[origin];
    });
    try {
      return { ...(await run(lp ? lp.manifestSha256 : null)), log: lp && { ...lp, policy: undefined } };
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
