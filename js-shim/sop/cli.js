#!/usr/bin/env node
// sealpost-sop: the Stateless OpenPGP command-line interface
// (draft-dkg-openpgp-stateless-cli) over the very wasm that browsers run.
//
// Input on stdin, output on stdout, keys / certificates / passwords as file
// arguments (or @ENV:NAME, @FD:N), errors on stderr with the spec's exit codes.
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import * as sp from '../src/node.js';

const VERSION = '0.1.0';

// The spec's exit codes.
const EXIT = {
  GENERIC: 1,
  NO_SIGNATURE: 3,
  UNSUPPORTED_ASYMMETRIC_ALGO: 13,
  CERT_CANNOT_ENCRYPT: 17,
  MISSING_ARG: 19,
  INCOMPLETE_VERIFICATION: 23,
  CANNOT_DECRYPT: 29,
  PASSWORD_NOT_HUMAN_READABLE: 31,
  UNSUPPORTED_OPTION: 37,
  BAD_DATA: 41,
  EXPECTED_TEXT: 53,
  OUTPUT_EXISTS: 59,
  MISSING_INPUT: 61,
  KEY_IS_PROTECTED: 67,
  UNSUPPORTED_SUBCOMMAND: 69,
  UNSUPPORTED_SPECIAL_PREFIX: 71,
  AMBIGUOUS_INPUT: 73,
  KEY_CANNOT_SIGN: 79,
  INCOMPATIBLE_OPTIONS: 83,
  UNSUPPORTED_PROFILE: 89,
};

class SopError extends Error {
  constructor(exit, message) {
    super(message);
    this.exit = exit;
  }
}
const fail = (exit, message) => {
  throw new SopError(exit, message);
};

const PROFILES = {
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

function profile(sub, name) {
  const list = PROFILES[sub];
  if (name === undefined || name === 'default') return list[0][2];
  const found = list.find(([n]) => n === name);
  if (!found) fail(EXIT.UNSUPPORTED_PROFILE, `${sub}: no profile ${JSON.stringify(name)} (see list-profiles ${sub})`);
  return found[2];
}

// ----------------------------------------------------------- arguments

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

function parseArgs(sub, argv) {
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

// ------------------------------------------------------------- inputs

function readStdin() {
  try {
    return new Uint8Array(readFileSync(0));
  } catch (e) {
    if (e.code === 'EAGAIN' || e.code === 'EOF') return new Uint8Array(0);
    throw e;
  }
}

/** A file argument: a path, @ENV:NAME or @FD:N. */
function readInputArg(arg) {
  if (arg.startsWith('@')) {
    if (existsSync(arg)) fail(EXIT.AMBIGUOUS_INPUT, `${arg}: both a file and a special designator`);
    if (arg.startsWith('@ENV:')) {
      const v = process.env[arg.slice(5)];
      if (v === undefined) fail(EXIT.MISSING_INPUT, `${arg}: the variable is not set`);
      return new TextEncoder().encode(v);
    }
    if (arg.startsWith('@FD:')) {
      const fd = Number(arg.slice(4));
      if (!Number.isInteger(fd) || fd < 0) fail(EXIT.UNSUPPORTED_SPECIAL_PREFIX, `${arg}: not a file descriptor`);
      try {
        return new Uint8Array(readFileSync(fd));
      } catch {
        fail(EXIT.MISSING_INPUT, `${arg}: cannot read the file descriptor`);
      }
    }
    fail(EXIT.UNSUPPORTED_SPECIAL_PREFIX, `${arg}: unknown special designator (only @ENV: and @FD:)`);
  }
  try {
    return new Uint8Array(readFileSync(arg));
  } catch {
    fail(EXIT.MISSING_INPUT, `${arg}: cannot read the file`);
  }
}

/** An output argument: a new file (never overwritten), or @FD:N. */
function writeOutputArg(arg, data) {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (arg.startsWith('@')) {
    if (arg.startsWith('@FD:')) {
      const fd = Number(arg.slice(4));
      if (!Number.isInteger(fd) || fd < 0) fail(EXIT.UNSUPPORTED_SPECIAL_PREFIX, `${arg}: not a file descriptor`);
      writeSync(fd, bytes);
      return;
    }
    fail(EXIT.UNSUPPORTED_SPECIAL_PREFIX, `${arg}: outputs take a file name or @FD:N`);
  }
  let fd;
  try {
    fd = openSync(arg, 'wx');
  } catch (e) {
    if (e.code === 'EEXIST') fail(EXIT.OUTPUT_EXISTS, `${arg}: the file exists`);
    throw e;
  }
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** Checks that output files do not exist before any work is done. */
function checkOutputs(...args) {
  for (const a of args) if (a !== undefined && !a.startsWith('@') && existsSync(a)) fail(EXIT.OUTPUT_EXISTS, `${a}: the file exists`);
}

const isArmored = (bytes) => /^\s*-----BEGIN PGP /.test(new TextDecoder().decode(bytes.subarray(0, 64)));

function utf8(bytes, exit, what) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(exit, `${what} is not UTF-8 text`);
  }
}

/** A password from a file: UTF-8, trailing whitespace removed. */
function password(arg, { forEncryption = false } = {}) {
  const bytes = readInputArg(arg);
  const text = utf8(bytes, EXIT.PASSWORD_NOT_HUMAN_READABLE, `${arg}: the password`);
  const trimmed = text.replace(/\s+$/u, '');
  if (forEncryption && trimmed.length === 0) fail(EXIT.PASSWORD_NOT_HUMAN_READABLE, `${arg}: the password is empty`);
  return { exact: text, trimmed };
}

const passwordsFor = (list = []) => list.flatMap((a) => {
  const { exact, trimmed } = password(a);
  return exact === trimmed ? [exact] : [exact, trimmed];
});

async function readKeyring(bytes, what) {
  if (bytes.length === 0) fail(EXIT.BAD_DATA, `${what}: empty input`);
  try {
    return isArmored(bytes)
      ? await sp.readKeys({ armoredKeys: new TextDecoder().decode(bytes) })
      : await sp.readKeys({ binaryKeys: bytes });
  } catch (e) {
    if (e instanceof sp.SealpostError) fail(EXIT.BAD_DATA, `${what}: ${e.message}`);
    throw e;
  }
}

/** Secret keys from file arguments (KEYS), each a keyring. */
async function secretKeys(args, what = 'KEYS') {
  const out = [];
  for (const a of args) {
    for (const k of await readKeyring(readInputArg(a), `${what} ${a}`)) {
      if (!k.isPrivate()) fail(EXIT.BAD_DATA, `${what} ${a}: ${k.getFingerprint().toUpperCase()} is a certificate, not a secret key`);
      out.push(k);
    }
  }
  return out;
}

async function certs(args, what = 'CERTS') {
  const out = [];
  for (const a of args) out.push(...(await readKeyring(readInputArg(a), `${what} ${a}`)));
  return out;
}

/** Unlocks every locked key with one of the passwords, or KEY_IS_PROTECTED. */
async function unlocked(keys, passwords) {
  const out = [];
  for (const k of keys) {
    if (k.isDecrypted()) {
      out.push(k);
      continue;
    }
    let done = null;
    for (const p of passwords) {
      try {
        done = await sp.decryptKey({ privateKey: k, passphrase: p });
        break;
      } catch (e) {
        if (!(e instanceof sp.SealpostError)) throw e;
      }
    }
    if (!done) fail(EXIT.KEY_IS_PROTECTED, `key ${k.getFingerprint().toUpperCase()} is locked and no --with-key-password unlocks it`);
    out.push(done);
  }
  return out;
}

/** Keys as one armored block (or binary), by their binary forms. */
async function keysOut(keys, armor, kind) {
  const parts = await Promise.all(keys.map((k) => k.write()));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return armor ? sp.armor(bytes, kind) : bytes;
}

// ------------------------------------------------------- verifications

function parseDate(value, what) {
  if (value === undefined) return undefined;
  if (value === '-') return null;
  if (value === 'now') return new Date();
  const t = Date.parse(value);
  if (Number.isNaN(t)) fail(EXIT.GENERIC, `${what}: not an ISO 8601 date: ${value}`);
  return new Date(t);
}

function window(opts, before = 'not-before', after = 'not-after') {
  const notBefore = parseDate(opts[before], `--${before}`) ?? null;
  const a = parseDate(opts[after], `--${after}`);
  const notAfter = a === undefined ? new Date(Date.now() + 60_000) : a;
  return (created) => created !== null && (notBefore === null || created >= notBefore) && (notAfter === null || created <= notAfter);
}

const isoSeconds = (d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** SOP's VERIFICATIONS lines for the valid signatures inside the window. */
function verificationLines(signatures, inWindow, certsByFpr) {
  const lines = [];
  for (const s of signatures) {
    if (!s.valid || !inWindow(s.created)) continue;
    const signer = certsByFpr.get(s.signerFingerprint);
    const uid = signer ? signer.getUserIDs()[0] : undefined;
    lines.push(`${isoSeconds(s.created)} ${s.signingKeyFingerprint.toUpperCase()} ${s.signerFingerprint.toUpperCase()} mode:${s.mode ?? 'binary'}${uid ? ` signed by ${uid}` : ''}\n`);
  }
  return lines.join('');
}

const byFingerprint = (keys) => new Map(keys.map((k) => [k.getFingerprint(), k]));

// ------------------------------------------------------------ outputs

function stdout(data) {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  let at = 0;
  while (at < bytes.length) at += writeSync(1, bytes, at, bytes.length - at);
}

const HASH_NAMES = { 8: 'sha256', 9: 'sha384', 10: 'sha512', 11: 'sha224', 12: 'sha3-256', 14: 'sha3-512' };

/** The hash algorithm of the first signature packet in binary OpenPGP data. */
function firstSignatureHash(bytes) {
  const tag = bytes[0];
  let at;
  if (tag & 0x40) {
    const l = bytes[1];
    at = l < 192 ? 2 : l < 224 ? 3 : 6;
  } else {
    at = 1 + [1, 2, 4, 0][tag & 3];
  }
  return HASH_NAMES[bytes[at + 3]];
}

// --------------------------------------------------------- subcommands

const subcommands = {
  async version({ opts }) {
    if (opts['sop-spec']) return stdout('~draft-dkg-openpgp-stateless-cli-11\nsealpost-sop implements the subcommands and options listed in js-shim/README.md.\n');
    if (opts.backend) return stdout('sequoia-openpgp 2.4.2 (WebAssembly, pure-Rust crypto)\n');
    stdout(`sealpost-sop ${VERSION}\n`);
    if (opts.extended) stdout(`sequoia-openpgp 2.4.2 (WebAssembly, pure-Rust crypto)\nnode ${process.version}\nkey types: ${(await sp.supportedKeyTypes()).join(', ')}\n`);
  },

  async 'list-profiles'({ positional }) {
    const [sub] = positional;
    if (sub === undefined) fail(EXIT.MISSING_ARG, 'list-profiles: which subcommand?');
    const list = PROFILES[sub];
    if (!list) fail(EXIT.UNSUPPORTED_PROFILE, `list-profiles: ${sub} has no profiles`);
    stdout(list.map(([n, d]) => `${n}: ${d}\n`).join(''));
  },

  async 'generate-key'({ opts, positional }) {
    if (opts['signing-only']) fail(EXIT.UNSUPPORTED_OPTION, 'generate-key: --signing-only is not supported');
    const p = profile('generate-key', opts.profile);
    const passphrase = opts['with-key-password'] === undefined ? undefined : password(opts['with-key-password'], { forEncryption: true }).trimmed;
    const { privateKey } = await sp.generateKey({ userIDs: positional, passphrase, format: 'object', ...p });
    stdout(await keysOut([privateKey], !opts['no-armor'], 'privateKey'));
  },

  async 'change-key-password'({ opts }) {
    const keys = await readKeyring(readStdin(), 'KEYS');
    const old = passwordsFor(opts['old-key-password']);
    const open = await unlocked(keys, old);
    const next = opts['new-key-password'] === undefined ? undefined : password(opts['new-key-password'], { forEncryption: true }).trimmed;
    const out = [];
    for (const k of open) out.push(next === undefined || !k.isPrivate() ? k : await sp.encryptKey({ privateKey: k, passphrase: next }));
    stdout(await keysOut(out, !opts['no-armor'], 'privateKey'));
  },

  async 'revoke-key'({ opts }) {
    const keys = await unlocked(await readKeyring(readStdin(), 'KEYS'), passwordsFor(opts['with-key-password']));
    const out = [];
    for (const k of keys) {
      const { publicKey } = await sp.revokeKey({ key: k, format: 'object' });
      out.push(publicKey);
    }
    stdout(await keysOut(out, !opts['no-armor'], 'publicKey'));
  },

  async 'extract-cert'({ opts }) {
    const keys = await readKeyring(readStdin(), 'KEYS');
    stdout(await keysOut(await Promise.all(keys.map((k) => k.toPublic())), !opts['no-armor'], 'publicKey'));
  },

  async sign({ opts, positional }) {
    if (positional.length === 0) fail(EXIT.MISSING_ARG, 'sign: KEYS are required');
    const as = opts.as ?? 'binary';
    if (!['binary', 'text'].includes(as)) fail(EXIT.UNSUPPORTED_OPTION, `sign: --as=${as} (binary or text)`);
    checkOutputs(opts['micalg-out']);
    const keys = await unlocked(await secretKeys(positional), passwordsFor(opts['with-key-password']));
    const data = readStdin();
    const message = as === 'text' ? await sp.createMessage({ text: utf8(data, EXIT.EXPECTED_TEXT, 'the input') }) : await sp.createMessage({ binary: data });
    const sig = await signing(() => sp.sign({ message, signingKeys: keys, detached: true, format: 'binary' }));
    if (opts['micalg-out'] !== undefined) {
      const h = firstSignatureHash(sig);
      writeOutputArg(opts['micalg-out'], h ? `pgp-${h}` : '');
    }
    stdout(opts['no-armor'] ? sig : await sp.armor(sig, 'signature'));
  },

  async verify({ opts, positional }) {
    const [sigArg, ...certArgs] = positional;
    if (sigArg === undefined || certArgs.length === 0) fail(EXIT.MISSING_ARG, 'verify: SIGNATURES and CERTS are required');
    const sigBytes = readInputArg(sigArg);
    const keys = await certs(certArgs);
    const inWindow = window(opts);
    let signature;
    try {
      signature = isArmored(sigBytes) ? await sp.readSignature({ armoredSignature: new TextDecoder().decode(sigBytes) }) : await sp.readSignature({ binarySignature: sigBytes });
    } catch (e) {
      fail(EXIT.BAD_DATA, `SIGNATURES: ${e.message}`);
    }
    const message = await sp.createMessage({ binary: readStdin() });
    let r;
    try {
      r = await sp.verify({ message, signature, verificationKeys: keys });
    } catch (e) {
      if (e instanceof sp.SealpostError) fail(EXIT.BAD_DATA, `verify: ${e.message}`);
      throw e;
    }
    const lines = verificationLines(r.signatures, inWindow, byFingerprint(keys));
    if (!lines) fail(EXIT.NO_SIGNATURE, 'verify: no valid signature by the given certificates');
    stdout(lines);
  },

  async 'inline-sign'({ opts, positional }) {
    if (positional.length === 0) fail(EXIT.MISSING_ARG, 'inline-sign: KEYS are required');
    const as = opts.as ?? 'binary';
    if (!['binary', 'text', 'clearsigned'].includes(as)) fail(EXIT.UNSUPPORTED_OPTION, `inline-sign: --as=${as} (binary, text or clearsigned)`);
    if (as === 'clearsigned' && opts['no-armor']) fail(EXIT.INCOMPATIBLE_OPTIONS, 'inline-sign: --as=clearsigned is always armored; --no-armor contradicts it');
    const keys = await unlocked(await secretKeys(positional), passwordsFor(opts['with-key-password']));
    const data = readStdin();
    if (as === 'clearsigned') {
      const text = utf8(data, EXIT.EXPECTED_TEXT, 'the input');
      return stdout(await signing(async () => sp.sign({ message: await sp.createCleartextMessage({ text }), signingKeys: keys })));
    }
    const message = as === 'text' ? await sp.createMessage({ text: utf8(data, EXIT.EXPECTED_TEXT, 'the input') }) : await sp.createMessage({ binary: data });
    stdout(await signing(() => sp.sign({ message, signingKeys: keys, format: opts['no-armor'] ? 'binary' : 'armored' })));
  },

  async 'inline-verify'({ opts, positional }) {
    if (positional.length === 0) fail(EXIT.MISSING_ARG, 'inline-verify: CERTS are required');
    checkOutputs(opts['verifications-out']);
    const keys = await certs(positional);
    const inWindow = window(opts);
    const input = readStdin();
    const text = new TextDecoder().decode(input.subarray(0, 64));
    let r;
    try {
      if (/^\s*-----BEGIN PGP SIGNED MESSAGE-----/.test(text)) {
        r = await sp.verify({ message: await sp.readCleartextMessage({ cleartextMessage: new TextDecoder().decode(input) }), verificationKeys: keys, format: 'binary' });
      } else {
        const message = isArmored(input) ? await sp.readMessage({ armoredMessage: new TextDecoder().decode(input) }) : await sp.readMessage({ binaryMessage: input });
        r = await sp.verify({ message, verificationKeys: keys, format: 'binary' });
      }
    } catch (e) {
      if (e instanceof sp.SealpostError) fail(EXIT.BAD_DATA, `inline-verify: ${e.message}`);
      throw e;
    }
    const lines = verificationLines(r.signatures, inWindow, byFingerprint(keys));
    if (!lines) fail(EXIT.NO_SIGNATURE, 'inline-verify: no valid signature by the given certificates');
    if (opts['verifications-out'] !== undefined) writeOutputArg(opts['verifications-out'], lines);
    stdout(r.data);
  },

  async 'inline-detach'({ opts }) {
    if (opts['signatures-out'] === undefined) fail(EXIT.MISSING_ARG, 'inline-detach: --signatures-out is required');
    checkOutputs(opts['signatures-out']);
    let d;
    try {
      d = await sp.inlineDetach(readStdin());
    } catch (e) {
      if (e instanceof sp.SealpostError) fail(EXIT.BAD_DATA, `inline-detach: ${e.message}`);
      throw e;
    }
    writeOutputArg(opts['signatures-out'], opts['no-armor'] ? d.signature : await sp.armor(d.signature, 'signature'));
    stdout(d.data);
  },

  async encrypt({ opts, positional }) {
    const as = opts.as ?? 'binary';
    if (!['binary', 'text'].includes(as)) fail(EXIT.UNSUPPORTED_OPTION, `encrypt: --as=${as} (binary or text)`);
    const p = profile('encrypt', opts.profile);
    const passwords = (opts['with-password'] ?? []).map((a) => password(a, { forEncryption: true }).trimmed);
    if (positional.length === 0 && passwords.length === 0) fail(EXIT.MISSING_ARG, 'encrypt: CERTS or --with-password are required');
    const recipients = await certs(positional);
    const signers = await unlocked(await secretKeys(opts['sign-with'] ?? [], '--sign-with'), passwordsFor(opts['with-key-password']));
    const data = readStdin();
    const message = as === 'text' ? await sp.createMessage({ text: utf8(data, EXIT.EXPECTED_TEXT, 'the input') }) : await sp.createMessage({ binary: data });
    let out;
    try {
      out = await sp.encrypt({
        message,
        encryptionKeys: recipients.length ? recipients : undefined,
        signingKeys: signers.length ? signers : undefined,
        passwords: passwords.length ? passwords : undefined,
        format: opts['no-armor'] ? 'binary' : 'armored',
        config: p,
      });
    } catch (e) {
      if (e instanceof sp.SealpostError && e.code === 'NO_USABLE_KEY') {
        fail(/sign/i.test(e.message) ? EXIT.KEY_CANNOT_SIGN : EXIT.CERT_CANNOT_ENCRYPT, `encrypt: ${e.message}`);
      }
      throw e;
    }
    stdout(out);
  },

  async decrypt({ opts, positional }) {
    const verifyOut = opts['verifications-out'] ?? opts['verify-out'];
    if ((opts['verify-with'] === undefined) !== (verifyOut === undefined)) {
      fail(EXIT.INCOMPATIBLE_OPTIONS, 'decrypt: --verify-with and --verifications-out go together');
    }
    checkOutputs(opts['session-key-out'], verifyOut);
    const sessionKeys = (opts['with-session-key'] ?? []).map((a) => new TextDecoder().decode(readInputArg(a)).trim());
    const passwords = passwordsFor(opts['with-password']);
    const keys = await unlocked(await secretKeys(positional), passwordsFor(opts['with-key-password']));
    if (keys.length === 0 && passwords.length === 0 && sessionKeys.length === 0) {
      fail(EXIT.MISSING_ARG, 'decrypt: KEYS, --with-password or --with-session-key are required');
    }
    const verification = await certs(opts['verify-with'] ?? [], '--verify-with');
    const input = readStdin();
    let r;
    try {
      const message = isArmored(input) ? await sp.readMessage({ armoredMessage: new TextDecoder().decode(input) }) : await sp.readMessage({ binaryMessage: input });
      r = await sp.decrypt({
        message,
        decryptionKeys: keys.length ? keys : undefined,
        passwords: passwords.length ? passwords : undefined,
        sessionKeys: sessionKeys.length ? sessionKeys : undefined,
        verificationKeys: verification.length ? verification : undefined,
        returnSessionKey: opts['session-key-out'] !== undefined,
        format: 'binary',
      });
    } catch (e) {
      if (e instanceof sp.SealpostError) {
        if (e.code === 'INVALID_ARGUMENT' && /session key/.test(e.message)) fail(EXIT.BAD_DATA, `decrypt: ${e.message}`);
        if (['NO_MATCHING_KEY', 'DECRYPTION_FAILED', 'BAD_PASSPHRASE', 'POLICY_REJECTED'].includes(e.code)) fail(EXIT.CANNOT_DECRYPT, `decrypt: ${e.message}`);
        if (e.code === 'KEY_LOCKED') fail(EXIT.KEY_IS_PROTECTED, `decrypt: ${e.message}`);
        fail(EXIT.BAD_DATA, `decrypt: ${e.message}`);
      }
      throw e;
    }
    if (opts['session-key-out'] !== undefined) writeOutputArg(opts['session-key-out'], `${r.sessionKey}\n`);
    if (verifyOut !== undefined) {
      const inWindow = window(opts, 'verify-not-before', 'verify-not-after');
      writeOutputArg(verifyOut, verificationLines(r.signatures, inWindow, byFingerprint(verification)));
    }
    stdout(r.data);
  },

  async armor({ opts }) {
    if (opts.label !== undefined) fail(EXIT.UNSUPPORTED_OPTION, 'armor: --label is not supported (the label is detected)');
    const input = readStdin();
    if (isArmored(input)) return stdout(input);
    try {
      stdout(await sp.armor(input));
    } catch (e) {
      if (e instanceof sp.SealpostError) fail(EXIT.BAD_DATA, `armor: ${e.message}`);
      throw e;
    }
  },

  async dearmor() {
    const input = readStdin();
    if (!isArmored(input)) return stdout(input);
    try {
      stdout((await sp.unarmor(new TextDecoder().decode(input))).data);
    } catch (e) {
      if (e instanceof sp.SealpostError) fail(EXIT.BAD_DATA, `dearmor: ${e.message}`);
      throw e;
    }
  },
};

/** Signing failures as SOP exit codes. */
async function signing(fn) {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof sp.SealpostError) {
      if (e.code === 'NO_USABLE_KEY') fail(EXIT.KEY_CANNOT_SIGN, e.message);
      if (e.code === 'KEY_LOCKED' || e.code === 'BAD_PASSPHRASE') fail(EXIT.KEY_IS_PROTECTED, e.message);
    }
    throw e;
  }
}

const USAGE = `Usage: sealpost-sop SUBCOMMAND [OPTIONS] [--] [ARGS]
Stateless OpenPGP (draft-dkg-openpgp-stateless-cli) over sealpost's wasm.
Subcommands: ${Object.keys(subcommands).join(', ')}
Data on stdin/stdout; KEYS, CERTS, SIGNATURES and passwords are files, @ENV:NAME or @FD:N.
`;

async function main(argv) {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === 'help') {
    process.stderr.write(USAGE);
    return sub === undefined ? EXIT.GENERIC : 0;
  }
  const run = Object.hasOwn(subcommands, sub) ? subcommands[sub] : null;
  if (!run) fail(EXIT.UNSUPPORTED_SUBCOMMAND, `unsupported subcommand: ${sub}`);
  await run(parseArgs(sub, rest));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof SopError) {
      process.stderr.write(`sealpost-sop: ${e.message}\n`);
      process.exit(e.exit);
    }
    process.stderr.write(`sealpost-sop: ${e && e.code ? `${e.code}: ` : ''}${e && e.message ? e.message : e}\n`);
    process.exit(EXIT.GENERIC);
  },
);
