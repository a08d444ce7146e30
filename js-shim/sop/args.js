// What a command line may say: each subcommand's options, their parsing, and the named profiles
// of generate-key and encrypt.
import { EXIT, fail } from './exit.js';

export const PROFILES = {
  'generate-key': [
    ['compatibility', 'v4 Ed25519/Cv25519 keys advertising SEIPDv1: read by GnuPG 2.2+ and OpenPGP.js (default)', {}],
    ['rfc9580', 'v6 Ed25519/X25519 keys (RFC 9580), SEIPDv2 (AEAD)', { type: 'curve25519' }],
    ['pqc', 'v6 post-quantum keys: ML-DSA-65+Ed25519, ML-KEM-768+X25519 (RFC 9980)', { type: 'pqc' }],
  ],
  encrypt: [
    ['compatibility', "SEIPDv1 or SEIPDv2 as every recipient's features allow (default)", {}],
    ['rfc9580', 'SEIPDv2 (AEAD, OCB) whatever the recipients advertise', { aeadProtect: true }],
  ],
};

export function profile(sub, name) {
  const list = PROFILES[sub];
  if (name === undefined || name === 'default') return list[0][2];
  const found = list.find(([n]) => n === name);
  if (!found) fail(EXIT.UNSUPPORTED_PROFILE, `${sub}: no profile ${JSON.stringify(name)} (see list-profiles ${sub})`);
  return found[2];
}

// Which options each subcommand takes: name → 'flag' | 'value' | 'values'.
const SPEC = {
  version: { backend: 'flag', extended: 'flag', 'sop-spec': 'flag' },
  'list-profiles': {},
  'generate-key': { armor: 'flag', 'no-armor': 'flag', 'with-key-password': 'value', profile: 'value', 'signing-only': 'flag' },
  'change-key-password': { armor: 'flag', 'no-armor': 'flag', 'new-key-password': 'value', 'old-key-password': 'values' },
  'revoke-key': { armor: 'flag', 'no-armor': 'flag', 'with-key-password': 'values' },
  'extract-cert': { armor: 'flag', 'no-armor': 'flag' },
  sign: { armor: 'flag', 'no-armor': 'flag', as: 'value', 'with-key-password': 'values', 'micalg-out': 'value' },
  verify: { 'not-before': 'value', 'not-after': 'value' },
  'inline-sign': { armor: 'flag', 'no-armor': 'flag', as: 'value', 'with-key-password': 'values' },
  'inline-verify': { 'not-before': 'value', 'not-after': 'value', 'verifications-out': 'value' },
  'inline-detach': { armor: 'flag', 'no-armor': 'flag', 'signatures-out': 'value' },
  encrypt: { armor: 'flag', 'no-armor': 'flag', as: 'value', 'with-password': 'values', 'sign-with': 'values', 'with-key-password': 'values', profile: 'value' },
  decrypt: {
    'session-key-out': 'value',
    'with-session-key': 'values',
    'with-password': 'values',
    'with-key-password': 'values',
    'verifications-out': 'value',
    'verify-out': 'value',
    'verify-with': 'values',
    'verify-not-before': 'value',
    'verify-not-after': 'value',
  },
  armor: { label: 'value' },
  dearmor: {},
};

export function parseArgs(sub, argv) {
  const spec = SPEC[sub];
  const opts = {};
  const positional = [];
  let onlyPositional = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (onlyPositional || !a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositional = true;
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
    const kind = spec[name];
    if (name === 'debug') continue;
    if (!kind) fail(EXIT.UNSUPPORTED_OPTION, `${sub}: option --${name} is not supported`);
    if (kind === 'flag') {
      if (eq !== -1) fail(EXIT.UNSUPPORTED_OPTION, `${sub}: --${name} takes no value`);
      opts[name] = true;
      continue;
    }
    let value;
    if (eq !== -1) value = a.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    else fail(EXIT.MISSING_ARG, `${sub}: --${name} needs a value`);
    if (kind === 'values') (opts[name] ??= []).push(value);
    else if (name in opts) fail(EXIT.INCOMPATIBLE_OPTIONS, `${sub}: --${name} given twice`);
    else opts[name] = value;
  }
  if (opts.armor && opts['no-armor']) fail(EXIT.INCOMPATIBLE_OPTIONS, `${sub}: --armor and --no-armor together`);
  return { opts, positional };
}
