// Stages a copy of js-shim/src built with the default module first and the full module on demand
// (tools/build-shim.mjs --default-wasm; make dist does not stage this pair yet), and serves its
// wasm over HTTP counting each request.  For tests/node/on-demand.test.mjs and the Chromium
// worker-mode case in js-shim/test/browser-on-demand.test.mjs.
//   stageOnDemand() → { dir (…/js-shim), fullIntegrity, defaultIntegrity }
// Inputs: build/pkg-dev (the full dev module with its web glue) and
// build/node-dev-default/sealpost_wasm_bg.wasm (the default dev module), both from make build-dev.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh staged copy (each copy's glue is a module of its own: one switch per copy). */
export function stageOnDemand() {
  const pkg = process.env.SEALPOST_PKG_DEV ?? join(root, 'build/pkg-dev');
  const defaultWasm = process.env.SEALPOST_DEFAULT_WASM ?? join(root, 'build/node-dev-default/sealpost_wasm_bg.wasm');
  for (const f of [join(pkg, 'sealpost_wasm_bg.wasm'), defaultWasm]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run make build-dev`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'sealpost-on-demand-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const dir = join(tmp, 'js-shim');
  cpSync(join(root, 'js-shim/src'), join(dir, 'src'), { recursive: true, filter: (p) => !p.includes(`${join('src', 'wasm')}`) });
  const r = spawnSync(process.execPath, [join(root, 'tools/build-shim.mjs'), '--pkg', pkg, '--default-wasm', defaultWasm, '--out', join(dir, 'src/wasm')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-shim failed: ${r.stderr}`);
  const index = readFileSync(join(dir, 'src/wasm/index.js'), 'utf8');
  return {
    dir,
    defaultIntegrity: index.match(/WASM_INTEGRITY = '([^']+)'/)[1],
    fullIntegrity: index.match(/FULL_WASM_INTEGRITY = '([^']+)'/)[1],
  };
}

/** A copy of a staged dir (another glue module instance), cheap next to staging. */
export function copyStaged(dir) {
  const other = mkdtempSync(join(tmpdir(), 'sealpost-on-demand-copy-'));
  process.on('exit', () => rmSync(other, { recursive: true, force: true }));
  cpSync(dir, join(other, 'js-shim'), { recursive: true });
  return join(other, 'js-shim');
}
