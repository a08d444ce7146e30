// Compressed messages written by GnuPG, read by the wasm build in Node: ZIP,
// ZLIB and BZip2 (gpg --compress-algo) decrypt to the text gpg was given, with
// layers.compressed set; the same message with one ciphertext byte changed is
// DECRYPTION_FAILED and yields nothing.  A size-tuned build that drops an
// algorithm (issue 23) must keep these passing, or answer UNSUPPORTED only for
// a message that authenticated (wasm/core/tests/compression.rs).
// The dev build by default; SEALPOST_WASM_NODE points at another (e.g. build/node/sealpost_wasm.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const modulePath = process.env.SEALPOST_WASM_NODE
  ? pathToFileURL(process.env.SEALPOST_WASM_NODE).href
  : new URL('../../build/node-dev/sealpost_wasm.js', import.meta.url).href;
const sp = await import(modulePath);

const home = mkdtempSync(join(tmpdir(), 'sealpost-gpg-compress-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));
const PASSWORD = 'compression test password';
// Repetitive, so every algorithm really compresses it; one unique line at the end.
const TEXT = 'a line gpg compresses well\n'.repeat(400) + 'the end, 9f2c\n';

function gpgEncrypt(algo) {
  const r = spawnSync('gpg', ['--homedir', home, '--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', PASSWORD,
    '--symmetric', '--cipher-algo', 'AES256', '--compress-algo', algo, '--compress-level', '9'], { input: TEXT });
  assert.equal(r.status, 0, r.stderr.toString());
  return new Uint8Array(r.stdout);
}

function listPackets(bytes) {
  const r = spawnSync('gpg', ['--homedir', home, '--batch', '--pinentry-mode', 'loopback', '--passphrase', PASSWORD, '--list-packets'], { input: bytes });
  return r.stdout.toString();
}

function decrypt(bytes) {
  const d = new sp.Decryption();
  d.addPassword(PASSWORD);
  return d.decrypt(bytes);
}

for (const [algo, id] of [['zip', 1], ['zlib', 2], ['bzip2', 3]]) {
  test(`a ${algo}-compressed message from gpg decrypts; altered, it is DECRYPTION_FAILED`, () => {
    const ct = gpgEncrypt(algo);
    // gpg really used the algorithm (and compressed: the message is far smaller than the text).
    assert.match(listPackets(ct), new RegExp(`compressed packet: algo=${id}`));
    assert.ok(ct.length < TEXT.length / 4, `${ct.length} bytes for ${TEXT.length} of text`);

    const { data, layers } = decrypt(ct);
    assert.equal(new TextDecoder().decode(data), TEXT);
    assert.equal(layers.compressed, true);

    // One byte inside the encrypted data (past the SKESK, before the MDC).
    const bad = ct.slice();
    bad[Math.floor(bad.length / 2)] ^= 0x01;
    let thrown;
    let out;
    try {
      out = decrypt(bad);
    } catch (e) {
      thrown = e;
    }
    assert.equal(out, undefined, 'an altered message gave a result');
    assert.ok(!(thrown instanceof WebAssembly.RuntimeError), `wasm trapped: ${thrown}`);
    assert.equal(thrown?.name, 'SealpostError', String(thrown));
    assert.equal(thrown.code, 'DECRYPTION_FAILED', thrown.message);
    assert.ok(!thrown.message.includes('compresses well'), 'plaintext in the error message');
  });
}
