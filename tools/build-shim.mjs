#!/usr/bin/env node
// Stages the wasm-bindgen output (--target web) into js-shim/src/wasm/ and
// writes there:
//   index.js             re-exports the glue, the SealpostError class the wasm
//                        throws, and the SHA-384 of the exact wasm (fetched
//                        with that integrity)
//   error.js             the SealpostError class alone (the page side imports
//                        it without the glue)
//   worker.bundle.js     the worker (src/worker.js and everything it imports,
//                        the glue included) as one file with no imports,
//                        bundled by esbuild (pinned in package.json):
//                        byte-for-byte the same from the same sources
//   worker-integrity.js  the SHA-384 of worker.bundle.js, for the page side,
//                        which fetches the worker with that integrity
//   node tools/build-shim.mjs --pkg build/pkg-dev
//
// The on-demand pair (issue 23; what make build-release and make dist stage): with --default-wasm FILE the
// staged sealpost_wasm_bg.wasm is FILE (the default module, built without sealpost-wasm's `full`
// feature: its glue is byte for byte the pkg's), the pkg's own wasm is staged beside it as
// sealpost_wasm_full_bg.wasm, index.js also exports FULL_WASM_INTEGRITY, and the glue gets one
// function, __sealpost_use_module(module), which re-instantiates it on another compiled module
// (the engine's switch to the full module).  --out DIR stages into DIR (a copy of js-shim/src's
// wasm/ folder, for tests) instead of js-shim/src/wasm/.  Without these flags the outputs are
// exactly what they were before the flags existed.
import { build } from 'esbuild';
import { BUNDLE } from './esbuild-settings.mjs';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const flag = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : null;
};
const pkg = flag('--pkg');
const defaultWasm = flag('--default-wasm');
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
if (!pkg || !existsSync(join(pkg, 'sealpost_wasm_bg.wasm'))) {
  console.error('usage: build-shim.mjs --pkg DIR (the output of wasm-bindgen --target web)');
  process.exit(2);
}
const out = flag('--out') ? resolve(flag('--out')) : fileURLToPath(new URL('../js-shim/src/wasm/', import.meta.url));
// The worker bundle is built from the src/ folder that holds `out`, named relative to its parent.
const srcDir = dirname(out);
rmSync(out, { recursive: true, force: true });
cpSync(pkg, out, { recursive: true });
for (const f of ['.gitignore', 'package.json', 'README.md']) rmSync(join(out, f), { force: true });
let fullLine = '';
if (defaultWasm) {
  // One glue for both modules: the default module's own wasm-bindgen glue, beside it, must be the
  // pkg's, byte for byte (the two builds export the same functions).
  const defaultGlue = join(dirname(resolve(defaultWasm)), 'sealpost_wasm.js');
  if (!existsSync(defaultGlue)) {
    throw new Error(`${defaultGlue} is missing: --default-wasm names a module in wasm-bindgen's --target web output, whose glue must be the pkg's`);
  }
  if (!readFileSync(defaultGlue).equals(readFileSync(join(pkg, 'sealpost_wasm.js')))) {
    throw new Error(`${defaultGlue} differs from ${join(pkg, 'sealpost_wasm.js')}: one glue cannot serve both modules`);
  }
  const full = readFileSync(join(out, 'sealpost_wasm_bg.wasm'));
  writeFileSync(join(out, 'sealpost_wasm_full_bg.wasm'), full);
  cpSync(defaultWasm, join(out, 'sealpost_wasm_bg.wasm'));
  fullLine = `/** SHA-384 of sealpost_wasm_full_bg.wasm (the full module, fetched on demand), as an SRI string. */
export const FULL_WASM_INTEGRITY = '${sri(full)}';
`;
  // One glue for both modules: a way to re-instantiate it on the full module.  The glue keeps
  // its module in a private variable that its reset function (--experimental-reset-state-function)
  // instantiates again; this sets that variable first.
  const gluePath = join(out, 'sealpost_wasm.js');
  const glue = readFileSync(gluePath, 'utf8');
  if (!/^let wasmModule, wasmInstance, wasm;$/m.test(glue) || !glue.includes('export function __wbg_reset_state ()')) {
    throw new Error('the glue has no module variable or reset function to switch modules with');
  }
  writeFileSync(gluePath, `${glue}
/**
 * Re-instantiates this glue on another compiled module (sealpost's on-demand switch): objects of
 * the previous instance become stale, and its memory (the keys it held) is zeroed.
 */
export function __sealpost_use_module(module) {
    if (!(module instanceof WebAssembly.Module)) throw new TypeError('a WebAssembly.Module');
    const previous = wasm.memory;
    wasmModule = module;
    __wbg_reset_state();
    new Uint8Array(previous.buffer).fill(0);
}
`);
}

const snippets = readdirSync(join(out, 'snippets'));
if (snippets.length !== 1) throw new Error(`expected one snippet directory, found ${snippets}`);
const wasm = readFileSync(join(out, 'sealpost_wasm_bg.wasm'));
const integrity = sri(wasm);
writeFileSync(join(out, 'index.js'), `// Generated by tools/build-shim.mjs; do not edit.
export * from './sealpost_wasm.js';
export { default as initAsync, initSync } from './sealpost_wasm.js';
export { SealpostError } from './snippets/${snippets[0]}/js/error.js';
/** SHA-384 of sealpost_wasm_bg.wasm, as an SRI string. */
export const WASM_INTEGRITY = '${integrity}';
${fullLine}`);
writeFileSync(join(out, 'error.js'), `// Generated by tools/build-shim.mjs; do not edit.
export { SealpostError } from './snippets/${snippets[0]}/js/error.js';
`);
console.log(`${integrity}  js-shim/src/wasm/sealpost_wasm_bg.wasm (${wasm.length} bytes)`);

const bundled = await build({
  entryPoints: [join(srcDir, 'worker.js')],
  ...BUNDLE,
  write: false,
  // No absolute paths in the output: comments name files relative to js-shim/.
  absWorkingDir: dirname(srcDir),
});
const worker = Buffer.from(bundled.outputFiles[0].contents);
// One file: nothing inside the worker loads code (the glue's default wasm location,
// new URL(…, import.meta.url), is never used: the worker is always given the wasm URL).
if (/^\s*import[\s{*'"]|\bimport\s*\(|importScripts/m.test(worker.toString('utf8'))) {
  throw new Error('the worker bundle still loads a module');
}
writeFileSync(join(out, 'worker.bundle.js'), worker);
const workerIntegrity = sri(worker);
writeFileSync(join(out, 'worker-integrity.js'), `// Generated by tools/build-shim.mjs; do not edit.
/** SHA-384 of worker.bundle.js (the crypto worker, one file), as an SRI string. */
export const WORKER_INTEGRITY = '${workerIntegrity}';
/**
 * SHA-384 of sealpost_wasm_bg.wasm, for the page side: it fetches the module while the worker
 * starts, and the worker checks the bytes it is handed against its own copy of this hash.
 */
export const WASM_INTEGRITY = '${integrity}';
`);
console.log(`${workerIntegrity}  js-shim/src/wasm/worker.bundle.js (${worker.length} bytes)`);
