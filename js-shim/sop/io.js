// Input and output: stdin, stdout, file arguments (a path, @ENV:NAME or @FD:N; outputs are never
// overwritten), UTF-8 text and passwords.
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { EXIT, fail } from './exit.js';

export function readStdin() {
  try {
    return new Uint8Array(readFileSync(0));
  } catch (e) {
    if (e.code === 'EAGAIN' || e.code === 'EOF') return new Uint8Array(0);
    throw e;
  }
}

/** A file argument: a path, @ENV:NAME or @FD:N. */
export function readInputArg(arg) {
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
export function writeOutputArg(arg, data) {
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
export function checkOutputs(...args) {
  for (const a of args) if (a !== undefined && !a.startsWith('@') && existsSync(a)) fail(EXIT.OUTPUT_EXISTS, `${a}: the file exists`);
}

export const isArmored = (bytes) => /^\s*-----BEGIN PGP /.test(new TextDecoder().decode(bytes.subarray(0, 64)));

export function utf8(bytes, exit, what) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(exit, `${what} is not UTF-8 text`);
  }
}

/** A password from a file: UTF-8, trailing whitespace removed. */
export function password(arg, { forEncryption = false } = {}) {
  const bytes = readInputArg(arg);
  const text = utf8(bytes, EXIT.PASSWORD_NOT_HUMAN_READABLE, `${arg}: the password`);
  const trimmed = text.replace(/\s+$/u, '');
  if (forEncryption && trimmed.length === 0) fail(EXIT.PASSWORD_NOT_HUMAN_READABLE, `${arg}: the password is empty`);
  return { exact: text, trimmed };
}

export const passwordsFor = (list = []) => list.flatMap((a) => {
  const { exact, trimmed } = password(a);
  return exact === trimmed ? [exact] : [exact, trimmed];
});

export function stdout(data) {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  let at = 0;
  while (at < bytes.length) at += writeSync(1, bytes, at, bytes.length - at);
}
