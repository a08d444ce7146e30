// sealpost guard: independent rebuilders (issue 21).  A site's signed log
// policy (pinned at enrollment, tlog.js) may name rebuilders — each an
// Ed25519 note key — and a rebuild quorum:
//
//   rebuilder ci rebuild.example/ci+1234abcd+AR…
//   rebuild-quorum 1
//
// Then a release runs only once the log holds, under the very checkpoint
// its own inclusion was proven under (witnessed, consistent with the one
// held), attestations by that many distinct listed rebuilders that they
// rebuilt exactly this manifest (its SHA-256) from source.  The site serves
// them at .well-known/sealpost/log/rebuild-proofs: a JSON array of C2SP
// tlog-proofs, each carrying its attestation (a signed note) in `extra`.
// The checks are Rust (sealpost_tlog::client::check_rebuilt, through the
// verifier wasm); this file only fetches and words the failure.  Anything
// missing, late, malformed, for another manifest, by a key the pinned
// policy does not name, or not in the log counts for nothing: too few is
// NOT_REBUILT, naming the rebuilders whose attestation is missing.
import * as verifier from './pkg/sealpost_verifier_wasm.js';
import { failure } from './policy.js';
// A namespace import: a guard-config.js generated before GUARD_REBUILDERS existed names none.
import * as guardConfig from './guard-config.js';

export const REBUILD_PROOFS = '.well-known/sealpost/log/rebuild-proofs';

/** Whether a (pinned) policy text asks for rebuild attestations at all (the wasm decides; this only saves a fetch). */
export function needsRebuilds(policyText) {
  return typeof policyText === 'string' && /^[ \t]*rebuild-quorum[ \t]/m.test(policyText);
}

/** The served rebuild-proofs (bytes, or the Error of fetching them) as the wasm takes them: an array, else empty. */
export function servedProofs(served) {
  if (!(served instanceof Uint8Array)) return [];
  try {
    const v = JSON.parse(new TextDecoder().decode(served));
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/**
 * Whether a quorum of the pinned policy's rebuilders attested the release
 * `manifestBytes`, whose log proof `releaseProof` tlog.js just accepted.
 * Resolves to the wasm's { rebuilders, quorum, missing, ignored }; throws an
 * Error with code NOT_REBUILT (the message names who is missing).
 */
export function checkRebuilt(policyText, releaseProof, manifestBytes, served) {
  try {
    return verifier.tlogCheckRebuilt(policyText, releaseProof, manifestBytes, servedProofs(served));
  } catch (e) {
    const why = served instanceof Error ? ` (the site's rebuild-proofs: ${served.message})` : '';
    throw Object.assign(new Error(`${e.message}${why}`), { code: 'NOT_REBUILT' });
  }
}

/** The load's failure for a release not rebuilt by a quorum (blocked.html shows it). */
export function notRebuilt(lp, message) {
  const names = (lp.rebuilders || []).join(', ') || 'the rebuilders of the pinned policy';
  return failure('NOT_REBUILT', REBUILD_PROOFS,
    `attestations by ${lp.rebuildQuorum || 'a quorum'} of ${names} in the log that they rebuilt this manifest from source`,
    message,
    'a release that independent rebuilders did not get from the public source could contain code the source does not; it runs once they attest it');
}

/**
 * While `manifest` (newer than the pinned release, signed and logged) awaits
 * its rebuilders' attestations: the release the guard runs instead — the
 * one kept in the pin when it was accepted (pins.js keepRelease), whose
 * rules are the ones in force, verified again with the pinned certificate
 * `cert` at `now` (an expired one does not run).  Resolves to
 * { manifest, bytes, awaiting } for the load to be judged against (every
 * file of it must be that release's: else `awaiting.failure`, NOT_REBUILT),
 * or null: then the load is blocked NOT_REBUILT as before.  The pin's
 * version (the rollback ratchet) and rules are not touched.
 */
export function previousRelease(pin, kept, manifest, cert, now, notRebuiltFailure) {
  if (!kept || kept.version !== pin.version || pin.policyVersion !== kept.version || !pin.policy) return null;
  let order;
  try {
    order = verifier.compareVersions(manifest.version, pin.version);
  } catch {
    return null;
  }
  if (order <= 0 || manifest.app !== pin.app) return null;
  let old;
  try {
    old = verifier.verifyManifest(kept.bytes, kept.sig, new TextEncoder().encode(cert), now);
  } catch {
    return null;
  }
  if (old.version !== kept.version || old.app !== pin.app) return null;
  const waiting = notRebuiltFailure.actual || '';
  return {
    manifest: old,
    bytes: kept.bytes,
    awaiting: {
      version: manifest.version,
      running: old.version,
      missing: ((/missing: ([^;(]*)/.exec(waiting) || [])[1] || '').trim() || null,
      failure: notRebuiltFailure,
    },
  };
}

/** Codes that mean a load served something other than the kept release's files: while a newer one awaits attestations, that is NOT_REBUILT. */
export const NOT_THE_KEPT_RELEASE = new Set(['FILE_MISMATCH', 'UNLISTED', 'DOCUMENT_DIFFERS', 'WASM_MISMATCH']);

/** The failure of a load that ran into the awaiting release's files (`f`, judged against the kept one). */
export function awaitingFailure(awaiting, f) {
  const a = awaiting.failure;
  return { ...a, detail: `${a.detail ? a.detail + ' — ' : ''}the site serves files of ${awaiting.version} (${f.code} ${f.file} against ${awaiting.running}, the release still running)` };
}

// --- the guard's own rebuilders (guard-config.js, build time; none by default)

/** The guard's rebuilder and rebuild-quorum lines, or null when the build names none. */
export function guardRebuilders() {
  const own = guardConfig.GUARD_REBUILDERS;
  return typeof own === 'string' && needsRebuilds(own) ? own : null;
}

/**
 * Whether a quorum of the guard's own rebuilders attested the release too:
 * checkRebuilt with the pinned policy's log and witnesses but the guard's
 * rebuilder lines in place of the site's.  Null when the build names none;
 * throws NOT_REBUILT (with `guard` set) when too few attested.
 */
export function checkGuardRebuilt(policyText, releaseProof, manifestBytes, served) {
  const own = guardRebuilders();
  if (!own) return null;
  const text = `${policyText.split('\n').filter((l) => !/^[ \t]*rebuild(?:er|-quorum)[ \t]/.test(l)).join('\n').replace(/\n*$/, '\n')}${own}`;
  try {
    return checkRebuilt(text, releaseProof, manifestBytes, served);
  } catch (e) {
    throw Object.assign(new Error(`the guard's own rebuilders: ${e.message}`), { code: 'NOT_REBUILT', guard: true });
  }
}

/** The load's failure for a release too few of the guard's own rebuilders attested. */
export function notRebuiltByGuard(message) {
  const own = guardRebuilders() || '';
  const names = [...own.matchAll(/^rebuilder (\S+) /gm)].map((m) => m[1]).join(', ');
  const quorum = (/^rebuild-quorum (\d+)/m.exec(own) || [])[1] || 'a quorum';
  return failure('NOT_REBUILT', REBUILD_PROOFS,
    `attestations by ${quorum} of the guard's own rebuilders ${names} in the log that they rebuilt this manifest from source`,
    message,
    'this build of the guard asks its own rebuilders, not only the site\'s, to have rebuilt every release from the public source; it runs once they attest it');
}
