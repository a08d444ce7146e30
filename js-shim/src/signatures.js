// Verification results as callers see them: OpenPGP.js's shape, with `verified` a Promise
// created on first access (so an unread rejection is never unhandled).
import { SealpostError } from './errors.js';
import { KeyID } from './keys.js';

/**
 * The 8-byte key ID (16 hex digits, as OpenPGP.js's keyID) of a signature's issuer, which the
 * engine reports as a key ID or a fingerprint: a v4 fingerprint ends with its key ID, a v6
 * fingerprint begins with it.
 */
function keyIdOf(issuer) {
  if (!issuer) return '0000000000000000';
  if (issuer.length === 40) return issuer.slice(-16);
  if (issuer.length === 64) return issuer.slice(0, 16);
  return issuer;
}

/** A verification result, shaped like OpenPGP.js's; `verified` is created on first access. */
export function signatureResults(list) {
  return list.map((s) => {
    const result = {
      keyID: new KeyID(keyIdOf(s.issuer)),
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
