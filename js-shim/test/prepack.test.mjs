// Packaging metadata and the prepack guard (tools/prepack.mjs): `npm pack` refuses a debug
// build of the wasm (what `make build-dev` stages) and accepts one without debug sections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { customSections, debugBuildReason } from '../tools/prepack.mjs';

const shim = fileURLToPath(new URL('../', import.meta.url));
const wasmPath = join(shim, 'src/wasm/sealpost_wasm_bg.wasm');
const pkg = JSON.parse(readFileSync(join(shim, 'package.json'), 'utf8'));
const prepack = (path) => spawnSync(process.execPath, [join(shim, 'tools/prepack.mjs'), path], { encoding: 'utf8' });

/** `bytes` without the custom sections `drop` names: what wasm-bindgen --remove-name-section leaves. */
function without(bytes, drop) {
  const out = [bytes.subarray(0, 8)];
  let pos = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    for (;;) {
      const b = bytes[pos++];
      r += (b & 0x7f) * 2 ** s;
      s += 7;
      if (!(b & 0x80)) return r;
    }
  };
  while (pos < bytes.length) {
    const start = pos;
    const id = bytes[pos++];
    const size = leb();
    const body = pos;
    let name = null;
    if (id === 0) {
      const len = leb();
      name = new TextDecoder().decode(bytes.subarray(pos, pos + len));
    }
    pos = body + size;
    if (!drop.includes(name)) out.push(bytes.subarray(start, pos));
  }
  return Buffer.concat(out);
}

const customSection = (name) => Buffer.from([0, name.length + 1, name.length, ...Buffer.from(name)]);
const isDebug = (path) => debugBuildReason(readFileSync(path)) !== null;

test('a debug wasm is refused with a clear message; the same module without debug sections passes', () => {
  const staged = readFileSync(wasmPath);
  const release = without(staged, ['name']);
  const dev = Buffer.concat([release, customSection('name')]); // what make build-dev stages
  assert.ok(customSections(dev).includes('name'));
  const dir = mkdtempSync(join(tmpdir(), 'sealpost-prepack-'));
  writeFileSync(join(dir, 'dev.wasm'), dev);
  const r = prepack(join(dir, 'dev.wasm'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /refusing to pack a debug build of the wasm: .* it has the debug section 'name'\.\nRun `make build-release`/);
  const stripped = join(dir, 'release.wasm');
  writeFileSync(stripped, release);
  assert.equal(debugBuildReason(readFileSync(stripped)), null);
  assert.equal(prepack(stripped).status, 0, prepack(stripped).stderr);
  // DWARF alone is a debug build too; so is anything that is not a wasm module, or no file.
  const dwarf = join(dir, 'dwarf.wasm');
  writeFileSync(dwarf, Buffer.concat([release, customSection('.debug_info')]));
  assert.match(prepack(dwarf).stderr, /'\.debug_info'/);
  writeFileSync(join(dir, 'junk.wasm'), 'not wasm');
  assert.notEqual(prepack(join(dir, 'junk.wasm')).status, 0);
  assert.match(prepack(join(dir, 'missing.wasm')).stderr, /missing \(ENOENT\)/);
});

test('npm pack runs the guard on the staged wasm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sealpost-pack-'));
  const r = spawnSync('npm', ['pack', '--dry-run', '--pack-destination', dir, '--loglevel=error'], { cwd: shim, encoding: 'utf8' });
  if (isDebug(wasmPath)) {
    // make build-dev staged it (what make test runs on): nothing is packed.
    assert.notEqual(r.status, 0, 'npm pack of the debug build succeeded');
    assert.match(r.stderr, /refusing to pack a debug build of the wasm/);
  } else {
    assert.equal(r.status, 0, r.stderr);
  }
});

test('package.json: license file, repository, scripts, engines', () => {
  assert.equal(pkg.license, 'LGPL-2.0-or-later');
  const license = readFileSync(join(shim, 'LICENSE'), 'utf8');
  assert.equal(license, readFileSync(join(shim, '../LICENSE'), 'utf8'), 'the package ships the repository\'s LICENSE');
  assert.match(license, /GNU LIBRARY GENERAL PUBLIC LICENSE\s+Version 2, June 1991/);
  assert.ok(pkg.files.includes('LICENSE'));
  assert.equal(pkg.repository.type, 'git');
  assert.equal(pkg.repository.directory, 'js-shim');
  assert.equal(pkg.scripts.prepack, 'node tools/prepack.mjs');
  assert.equal(pkg.scripts.test, 'node --test test/*.test.mjs');
  // require() of this ES module package needs require(esm): Node 20.19 (unflagged), which the range states.
  assert.equal(pkg.engines.node, '>=20.19');
  const [major, minor] = process.versions.node.split('.').map(Number);
  assert.ok(major > 20 || (major === 20 && minor >= 19), `these tests run on Node ${process.versions.node}`);
});
