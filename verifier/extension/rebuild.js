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
