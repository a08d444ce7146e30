// Verification results as callers see them: OpenPGP.js's shape, with `verified` a Promise
// created on first access (so an unread rejection is never unhandled).
import { SealpostError } from './errors.js';
import { KeyID } from './keys.js';

/** A verification result, shaped like OpenPGP.js's; `verified` is created on first access. */
export function signatureResults(list) {
  return list.map((s) => {
    const result = {
      keyID: new KeyID(s.issuer ?? '0000000000000000'),
      signerFingerprint: s.signerFingerprint ? s.signerFingerprint.toLowerCase() : null,
      signingKeyFingerprint: s.signingKeyFingerprint ? s.signingKeyFingerprint.toLowerCase() : null,
      status: s.status,
      valid: s.valid,
      created: s.created == null ? null : new Date(s.created * 1000),
      mode: s.mode ?? null,
      reason: s.reason,
    };
    let verified;
    Object.defineProperty(result, 'verified', {
      enumerable: true,
      get() {
        verified ??= s.valid
          ? Promise.resolve(true)
          : Promise.reject(new SealpostError('NO_VALID_SIGNATURE', s.reason || `signature ${s.status}`));
        return verified;
      },
    });
    return result;
  });
}
