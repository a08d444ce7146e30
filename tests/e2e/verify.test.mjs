// sealpost-verify against the real demo site: a manifest of the built
// site, the site served by tools/serve.mjs (strict CSP headers) on
// 127.0.0.1, and `check URL --cert` (signed with the demo release key).
// Then one flipped byte in the wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo, serve } from './helpers.mjs';

const site = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const bin = process.env.SEALPOST_VERIFY || join(repo, 'target/debug/sealpost-verify');

function verify(...args) {
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout + r.stderr };
}

test('the demo site over HTTP matches its manifest, and a swapped wasm does not', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sealpost-verify-'));
  const copy = join(dir, 'site');
  cpSync(site, copy, { recursive: true });
  const manifest = join(dir, 'manifest.json');
  const cert = join(repo, 'keys/demo-release.cert');
  let r = verify('manifest', copy, '--out', manifest, '--app', 'sealpost-demo', '--release-version', '0.1.0',
    '--sign-with', join(repo, 'keys/demo-release.key'));
  assert.equal(r.code, 0, r.out);

  const server = await serve(copy);
  try {
    const t0 = performance.now();
    r = verify('check', server.url, '--manifest', manifest, '--cert', cert, '--json');
    const ms = performance.now() - t0;
    assert.equal(r.code, 0, r.out);
    const report = JSON.parse(r.out);
    assert.equal(report.verified, true);
    assert.equal(report.verdict, 'VERIFIED');
    assert.ok(report.files.some((f) => f.path === 'sealpost/wasm/sealpost_wasm_bg.wasm' && f.status === 'matched'));
    assert.ok(report.pages.every((p) => p.csp_headers_checked && p.problems.length === 0), JSON.stringify(report.pages));
    t.diagnostic(`sealpost-verify check of the demo over HTTP: ${ms.toFixed(0)} ms`);

    const wasm = join(copy, 'sealpost/wasm/sealpost_wasm_bg.wasm');
    const bytes = readFileSync(wasm);
    bytes[bytes.length >> 1] ^= 0x01;
    writeFileSync(wasm, bytes);
    r = verify('check', server.url, '--manifest', manifest, '--cert', cert);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /MISMATCH\s+sealpost\/wasm\/sealpost_wasm_bg\.wasm/);
  } finally {
    await server.close();
  }
});
