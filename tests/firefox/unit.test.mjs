// firefox.js's decisions in Node (no browser): what a held response
// becomes, with the real verifier wasm (the extension's build).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from '../e2e/helpers.mjs';

const ext = join(repo, 'build/extension');
let verifier, judgeResponse, contentScriptPattern, verdictTarget;

before(async () => {
  const pkg = await import(join(ext, 'pkg/sealpost_verifier_wasm.js'));
  await pkg.default({ module_or_path: readFileSync(join(ext, 'pkg/sealpost_verifier_wasm_bg.wasm')) });
  verifier = pkg;
  ({ judgeResponse, contentScriptPattern, verdictTarget } = await import(join(repo, 'verifier/extension/firefox.js')));
});

const O = 'http://127.0.0.1:8080';
const bytes = (s) => new TextEncoder().encode(s);
const sri = (b) => `sha384-${createHash('sha384').update(b).digest('base64')}`;
const APP = bytes('console.log("release");\n');
const manifest = { files: { 'app.js': { integrity: sri(APP), size: APP.length }, 'index.html': { integrity: sri(bytes('<!doctype html>')), size: 15 } } };
const judge = (url, type, b, extra = {}) => judgeResponse({ url, origin: O, type, bytes: b, manifest, pinFailure: null, verifier, ...extra });

test('a listed file is delivered only with its signed bytes', () => {
  assert.deepEqual(judge(`${O}/app.js`, 'script', APP), { deliver: true });
  const other = bytes('console.log("attacker");\n');
  const r = judge(`${O}/app.js`, 'script', other);
  assert.equal(r.deliver, false);
  assert.equal(r.failure.code, 'FILE_MISMATCH');
  assert.equal(r.failure.actual, sri(other));
  // The same hash with bytes appended is not the file (size and hash).
  assert.equal(judge(`${O}/app.js`, 'xmlhttprequest', new Uint8Array([...APP, 10])).deliver, false);
  assert.equal(judge(`${O}/`, 'main_frame', bytes('<!doctype html>')).deliver, true);
  assert.equal(judge(`${O}/`, 'main_frame', bytes('<!doctype html><script>x</script>')).failure.code, 'FILE_MISMATCH');
});

test('unlisted code is never delivered; unlisted data passes; no manifest delivers nothing', () => {
  for (const type of ['script', 'stylesheet', 'sub_frame', 'main_frame', 'object', 'xslt', 'xml_dtd']) {
    const r = judge(`${O}/__payload/x`, type, bytes('x'));
    assert.equal(r.deliver, false, type);
    assert.equal(r.failure.code, 'UNLISTED', type);
  }
  assert.equal(judge(`${O}/.well-known/sealpost/p.js`, 'script', bytes('x')).failure.code, 'UNLISTED');
  assert.deepEqual(judge(`${O}/api/messages`, 'xmlhttprequest', bytes('[]')), { deliver: true });
  assert.deepEqual(judge(`${O}/.well-known/sealpost/manifest.json`, 'xmlhttprequest', bytes('{}')), { deliver: true });
  const none = judge(`${O}/app.js`, 'script', APP, { manifest: new Error('no verified manifest for this load') });
  assert.equal(none.deliver, false);
  assert.equal(none.failure.code, 'MANIFEST_UNAVAILABLE');
  const pinned = { code: 'FILE_MISMATCH', file: 'app.js', expected: 'a', actual: 'b', detail: '' };
  assert.deepEqual(judge(`${O}/app.js`, 'script', APP, { pinFailure: pinned }), { deliver: false, failure: pinned });
});

test('outside Firefox: the content script pattern is the origin, and a verdict needs a document id', () => {
  assert.equal(contentScriptPattern(O), `${O}/*`);
  assert.deepEqual(verdictTarget('doc-1'), { documentId: 'doc-1' });
  assert.equal(verdictTarget(undefined), null);
});
