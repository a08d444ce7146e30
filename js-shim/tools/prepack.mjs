#!/usr/bin/env node
// npm's prepack hook (package.json): refuses to pack a debug build of the wasm.
// `make build-dev` stages a debug wasm (unoptimized, with a name section: ~6 MB) into src/wasm/;
// only `make build-release` (size-tuned, LTO, `wasm-bindgen --remove-name-section`) may ship.
// A release build has no `name` custom section and no DWARF (`.debug_*`) sections: either one
// means a debug build.  `node tools/prepack.mjs [WASM]` checks another file (tests).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The names of a wasm module's custom sections (section id 0), in order. */
export function customSections(bytes) {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error('not a WebAssembly module (no \\0asm magic)');
  }
  const names = [];
  let pos = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated WebAssembly module');
      const b = bytes[pos++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) return result;
    }
  };
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = leb();
    const end = pos + size;
    if (end > bytes.length) throw new Error('truncated WebAssembly module');
    if (id === 0) {
      const len = leb();
      names.push(new TextDecoder().decode(bytes.subarray(pos, pos + len)));
    }
    pos = end;
  }
  return names;
}

/** Why `bytes` is not a release build, or null if it is one. */
export function debugBuildReason(bytes) {
  const debug = customSections(bytes).filter((n) => n === 'name' || n.startsWith('.debug_'));
  return debug.length ? `it has the debug section${debug.length > 1 ? 's' : ''} ${debug.map((n) => `'${n}'`).join(', ')}` : null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Every module the package ships: the default one and, in a package staged with it, the full one.
  const dir = fileURLToPath(new URL('../src/wasm/', import.meta.url));
  const staged = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.wasm')).sort().map((f) => join(dir, f)) : [];
  const paths = process.argv[2] ? [process.argv[2]] : staged.length ? staged : [join(dir, 'sealpost_wasm_bg.wasm')];
  for (const path of paths) {
    let bytes;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      console.error(`sealpost prepack: ${path} is missing (${e.code}): run \`make build-release\` at the repository root first`);
      process.exit(1);
    }
    const reason = debugBuildReason(bytes);
    if (reason) {
      console.error(`sealpost prepack: refusing to pack a debug build of the wasm: ${path} (${bytes.length} bytes): ${reason}.\n` +
        'Run `make build-release` at the repository root (it stages the size-tuned wasm, without a name section, into src/wasm/), then pack again.');
      process.exit(1);
    }
    console.error(`sealpost prepack: ${path} is a release build (${bytes.length} bytes, no debug sections)`);
  }
}
