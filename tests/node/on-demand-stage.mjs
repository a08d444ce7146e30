// Stages a copy of js-shim/src built with the default module first and the full module on demand
// (tools/build-shim.mjs --default-wasm, as make build-dev and make dist stage js-shim/src), and serves its
// wasm over HTTP counting each request.  For tests/node/on-demand.test.mjs and the Chromium
// worker-mode case in js-shim/test/browser-on-demand.test.mjs.
//   stageOnDemand() → { dir (…/js-shim), fullIntegrity, defaultIntegrity }
//   onDemandFixtures(text) → { p256Key, p256Message, c448Key, c448Message, camelliaMessage } (armored;
//   messages of text; camelliaMessage binary, CAMELLIA_PASSWORD)
// Inputs: build/pkg-dev (the full dev module with its web glue) and
// build/pkg-dev-default/sealpost_wasm_bg.wasm (the default dev module), both from make build-dev.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh staged copy (each copy's glue is a module of its own: one switch per copy). */
export function stageOnDemand() {
  const pkg = process.env.SEALPOST_PKG_DEV ?? join(root, 'build/pkg-dev');
  const defaultWasm = process.env.SEALPOST_DEFAULT_WASM ?? join(root, 'build/pkg-dev-default/sealpost_wasm_bg.wasm');
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

/**
 * A NIST P-256 key from GnuPG (unprotected; sign+cert and an encryption subkey) with a message
 * gpg encrypted to it, and a Curve448 key with a message, made by the full dev module
 * (build/node-dev: this GnuPG, 2.2, has no Ed448).  All armored.
 */
/** The password of onDemandFixtures' camelliaMessage. */
export const CAMELLIA_PASSWORD = 'camellia on demand';

export async function onDemandFixtures(text) {
  const home = mkdtempSync(join(tmpdir(), 'sealpost-gpg-on-demand-'));
  process.on('exit', () => rmSync(home, { recursive: true, force: true }));
  const gpg = (args, input) => {
    const r = spawnSync('gpg', ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], { input });
    assert.equal(r.status, 0, r.stderr?.toString());
    return r.stdout.toString();
  };
  gpg(['--quick-gen-key', 'p256 <p256@example.org>', 'nistp256', 'sign,cert', 'never']);
  const fpr = gpg(['--with-colons', '--list-keys', 'p256@example.org']).match(/^fpr:+([0-9A-F]{40}):/m)[1];
  gpg(['--quick-add-key', fpr, 'nistp256', 'encr', 'never']);
  const p256Key = gpg(['--armor', '--export-secret-keys', 'p256@example.org']);
  const p256Message = gpg(['--armor', '--trust-model', 'always', '--encrypt', '-r', 'p256@example.org'], new TextEncoder().encode(text));

  const full = await import(pathToFileURL(process.env.SEALPOST_WASM_NODE ?? join(root, 'build/node-dev/sealpost_wasm.js')).href);
  const c448 = full.generateKey({ userIDs: ['c448 <c448@example.org>'], type: 'curve448' }).privateKey;
  const e = new full.Encryption();
  e.addRecipient(c448.toPublic());
  e.setArmor(true);
  const out = e.encrypt(new TextEncoder().encode(text));
  const c448Message = typeof out === 'string' ? out : new TextDecoder().decode(out);
  // A message only a password opens, in Camellia-256 (left out of the default module): what it
  // needs is known only once its first bytes are read.
  const camellia = spawnSync('gpg', ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', CAMELLIA_PASSWORD,
    '--symmetric', '--cipher-algo', 'CAMELLIA256', '--compress-algo', 'none'], { input: new TextEncoder().encode(text) });
  assert.equal(camellia.status, 0, camellia.stderr?.toString());
  return { p256Key, p256Message, c448Key: c448.toArmored(true), c448Message, camelliaMessage: new Uint8Array(camellia.stdout) };
}
