// SOP's VERIFICATIONS output: the valid signatures made inside the --not-before/--not-after window,
// one line each.
import { EXIT, fail } from './exit.js';

// ISO 8601 (extended format) only: a date, or a date and a time with seconds optional, a
// fraction optional and the zone required (Z or ±HH:MM / ±HHMM / ±HH).  Anything else that
// Date.parse might guess at ("Tue, 1 Jan 2030", "2030/01/01", a time without a zone, which
// would be local time) is refused.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?))?$/;

/** A --not-before / --not-after value: an ISO 8601 date, 'now', or '-' (no bound: null). */
export function parseDate(value, what) {
  if (value === undefined) return undefined;
  if (value === '-') return null;
  if (value === 'now') return new Date();
  const m = ISO_8601.exec(value);
  if (!m) fail(EXIT.GENERIC, `${what}: not an ISO 8601 date (e.g. 2030-01-31T12:00:00Z, 2030-01-31, now or -): ${value}`);
  const [, y, mo, d, h = '00', mi = '00', sec = '00', zone = 'Z'] = m;
  const fraction = (/[.,](\d+)/.exec(value)?.[1] ?? '').slice(0, 3);
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3).replace(':', '') || '00'}`;
  const t = new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}${fraction ? `.${fraction}` : ''}${offset}`);
  // Date would roll 2030-02-31 over into March: only calendar dates and clock times pass.
  const day = new Date(Date.UTC(+y, +mo - 1, +d));
  if (Number.isNaN(t.getTime()) || day.getUTCMonth() !== +mo - 1 || day.getUTCDate() !== +d) fail(EXIT.GENERIC, `${what}: not a valid date: ${value}`);
  return t;
}

/** The window the spec gives: --not-before defaults to the beginning of time, --not-after to now. */
export function window(opts, before = 'not-before', after = 'not-after') {
  const notBefore = parseDate(opts[before], `--${before}`) ?? null;
  const a = parseDate(opts[after], `--${after}`);
  const notAfter = a === undefined ? new Date() : a;
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
