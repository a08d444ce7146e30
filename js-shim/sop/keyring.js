// Keys and certificates from the command line: keyrings read from inputs, unlocked with the given
// passwords, and written back as one block.
import * as sp from '../src/node.js';
import { EXIT, fail } from './exit.js';
import { isArmored, readInputArg } from './io.js';

export async function readKeyring(bytes, what) {
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
export async function secretKeys(args, what = 'KEYS') {
  const out = [];
  for (const a of args) {
    for (const k of await readKeyring(readInputArg(a), `${what} ${a}`)) {
      if (!k.isPrivate()) fail(EXIT.BAD_DATA, `${what} ${a}: ${k.getFingerprint().toUpperCase()} is a certificate, not a secret key`);
      out.push(k);
    }
  }
  return out;
}

export async function certs(args, what = 'CERTS') {
  const out = [];
  for (const a of args) out.push(...(await readKeyring(readInputArg(a), `${what} ${a}`)));
  return out;
}

/** Unlocks every locked key with one of the passwords, or KEY_IS_PROTECTED. */
export async function unlocked(keys, passwords) {
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
export async function keysOut(keys, armor, kind) {
  const parts = await Promise.all(keys.map((k) => k.write()));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return armor ? sp.armor(bytes, kind) : bytes;
}
