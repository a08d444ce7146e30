// Input and output: stdin, stdout, file arguments (a path, @ENV:NAME or @FD:N; outputs are never
// overwritten), UTF-8 text and passwords.
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, read, readFileSync, writeSync } from 'node:fs';
import { EXIT, fail } from './exit.js';

/** The size of the chunks stdin is read in when it is streamed. */
export const STDIN_CHUNK = 1 << 20;

export function readStdin() {
  try {
    return new Uint8Array(readFileSync(0));
  } catch (e) {
    if (e.code === 'EAGAIN' || e.code === 'EOF') return new Uint8Array(0);
    throw e;
  }
}

/**
 * stdin as a web ReadableStream of Uint8Array chunks of up to STDIN_CHUNK bytes, each read into
 * a buffer of its own only when the consumer pulls (highWaterMark 0): one chunk is in memory at
 * a time, whatever the input's size.
 */
export function stdinStream() {
  return new ReadableStream(
    {
      async pull(controller) {
        const chunk = new Uint8Array(STDIN_CHUNK);
        let n = 0;
        while (n < chunk.length) {
          const got = await readSome(chunk, n);
          if (got === 0) break;
          n += got;
        }
        if (n) controller.enqueue(n === chunk.length ? chunk : chunk.slice(0, n));
        if (n < chunk.length) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

/** One read(2) of stdin into `buf` at `at`: the bytes read, 0 at its end (or if stdin is closed). */
async function readSome(buf, at) {
  for (;;) {
    try {
      return await new Promise((resolve, reject) => read(0, buf, at, buf.length - at, null, (e, n) => (e ? reject(e) : resolve(n))));
    } catch (e) {
      if (e.code === 'EOF' || e.code === 'EBADF') return 0;
      if (e.code !== 'EAGAIN') throw e;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

/**
 * A stream of bytes checked as UTF-8 as it passes (SOP's --as=text): invalid UTF-8, or input
 * ending inside a character, errors the stream with EXPECTED_TEXT.
 */
export function utf8Checked(stream, what) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const check = (bytes, more) => {
    try {
      decoder.decode(bytes, { stream: more });
    } catch {
      fail(EXIT.EXPECTED_TEXT, `${what} is not UTF-8 text`);
    }
  };
  return stream.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        check(chunk, true);
        controller.enqueue(chunk);
      },
      flush() {
        check(new Uint8Array(0), false);
      },
    }),
  );
}

/**
 * Writes a stream's chunks (Uint8Array or string) to stdout as they come.  If the stream fails,
 * and stdout is a regular file, the file is cut back to the size it had before: a failed
 * decryption leaves nothing of its plaintext there.  On a pipe or a terminal what was written
 * cannot be taken back; the non-zero exit code says to discard it.
 */
export async function streamToStdout(stream) {
  let start = null;
  try {
    const st = fstatSync(1);
    if (st.isFile()) start = st.size;
  } catch {
    // not a file: nothing to cut back
  }
  try {
    for await (const chunk of stream) await writeOut(chunk);
  } catch (e) {
    if (start !== null) {
      try {
        ftruncateSync(1, start);
      } catch {
        // best effort: the exit code still says the output is not to be used
      }
    }
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

/** stdout() that waits (rather than failing) when stdout is a non-blocking pipe that is full. */
async function writeOut(data) {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(1, bytes, at, bytes.length - at);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}
