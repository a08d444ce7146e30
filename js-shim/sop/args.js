// What a command line may say: each subcommand's options, their parsing, and the named profiles
// of generate-key and encrypt.
import { parseArgs as utilParseArgs } from 'node:util';
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
export const SPEC = {
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

/**
 * A subcommand's arguments, parsed with node:util.parseArgs (non-strict, with tokens, so that
 * each mistake gets the spec's exit code): an unknown option or a value given to a flag is
 * UNSUPPORTED_OPTION, an option without its value MISSING_ARG, a single-valued option given
 * twice INCOMPATIBLE_OPTIONS.  `--debug` is accepted everywhere and ignored; after `--`
 * everything is positional.
 */
export function parseArgs(sub, argv) {
  const spec = SPEC[sub];
  const options = { debug: { type: 'boolean' } };
  for (const [name, kind] of Object.entries(spec)) {
    options[name] = kind === 'flag' ? { type: 'boolean' } : { type: 'string', multiple: kind === 'values' };
  }
  const { values, positionals, tokens } = utilParseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const seen = new Set();
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name === 'debug') continue;
    const kind = Object.hasOwn(spec, t.name) ? spec[t.name] : undefined;
    if (!kind || t.rawName !== `--${t.name}`) fail(EXIT.UNSUPPORTED_OPTION, `${sub}: option ${t.rawName} is not supported`);
    if (kind === 'flag' && t.value !== undefined) fail(EXIT.UNSUPPORTED_OPTION, `${sub}: --${t.name} takes no value`);
    if (kind !== 'flag' && t.value === undefined) fail(EXIT.MISSING_ARG, `${sub}: --${t.name} needs a value`);
    if (kind === 'value' && seen.has(t.name)) fail(EXIT.INCOMPATIBLE_OPTIONS, `${sub}: --${t.name} given twice`);
    seen.add(t.name);
  }
  const opts = { ...values };
  delete opts.debug;
  if (opts.armor && opts['no-armor']) fail(EXIT.INCOMPATIBLE_OPTIONS, `${sub}: --armor and --no-armor together`);
  return { opts, positional: positionals };
}
