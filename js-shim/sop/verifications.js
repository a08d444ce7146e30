// SOP's VERIFICATIONS output: the valid signatures made inside the --not-before/--not-after window,
// one line each.
import { EXIT, fail } from './exit.js';

function parseDate(value, what) {
  if (value === undefined) return undefined;
  if (value === '-') return null;
  if (value === 'now') return new Date();
  const t = Date.parse(value);
  if (Number.isNaN(t)) fail(EXIT.GENERIC, `${what}: not an ISO 8601 date: ${value}`);
  return new Date(t);
}

export function window(opts, before = 'not-before', after = 'not-after') {
  const notBefore = parseDate(opts[before], `--${before}`) ?? null;
  const a = parseDate(opts[after], `--${after}`);
  const notAfter = a === undefined ? new Date(Date.now() + 60_000) : a;
  return (created) => created !== null && (notBefore === null || created >= notBefore) && (notAfter === null || created <= notAfter);
}

const isoSeconds = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** SOP's VERIFICATIONS lines for the valid signatures inside the window. */
export function verificationLines(signatures, inWindow, certsByFpr) {
  const lines = [];
  for (const s of signatures) {
    if (!s.valid || !inWindow(s.created)) continue;
    const signer = certsByFpr.get(s.signerFingerprint);
    const uid = signer ? signer.getUserIDs()[0] : undefined;
    lines.push(`${isoSeconds(s.created)} ${s.signingKeyFingerprint.toUpperCase()} ${s.signerFingerprint.toUpperCase()} mode:${s.mode ?? 'binary'}${uid ? ` signed by ${uid}` : ''}\n`);
  }
  return lines.join('');
}

export const byFingerprint = (keys) => new Map(keys.map((k) => [k.getFingerprint(), k]));
