// The extension's decisions (policy.js), without a browser: the load state
// machine (failure is absorbing), manifest pinning rules, request
// classification and URL → release path mapping.  The version comparison
// is the verifier wasm's, from the built extension (`make build-dev`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Load, REQUIRED, certOutcome, classify, decideManifest, failure, releasePath } from '../policy.js';
import '../dom.js';

const { diff } = globalThis.sealpostDom;

const extension = process.env.SEALPOST_EXTENSION || fileURLToPath(new URL('../../../build/extension', import.meta.url));
const verifier = await import(pathToFileURL(join(extension, 'pkg/sealpost_verifier_wasm.js')).href);
verifier.initSync({ module: readFileSync(join(extension, 'pkg/sealpost_verifier_wasm_bg.wasm')) });
const { compareVersions } = verifier;

const O = 'http://127.0.0.1:8080';

test('a load is valid only once the manifest, the document and its DOM passed and nothing is pending', () => {
  assert.deepEqual(REQUIRED, ['manifest', 'document', 'dom']);
  const l = new Load(O, `${O}/`);
  assert.equal(l.state, 'checking');
  for (const k of REQUIRED) l.expect(k);
  l.pass('manifest');
  assert.equal(l.state, 'checking');
  l.expect(`${O}/app.js`);
  l.pass('document');
  assert.equal(l.state, 'checking', 'the DOM check is missing');
  l.pass('dom');
  assert.equal(l.state, 'checking', 'a resource check is still pending');
  l.pass(`${O}/app.js`);
  assert.equal(l.state, 'valid');
  // A resource loaded later makes it checking again until it passes.
  l.expect(`${O}/late.js`);
  assert.equal(l.state, 'checking');
  l.pass(`${O}/late.js`);
  assert.equal(l.state, 'valid');
  // A check that already passed is not pending again.
  l.expect(`${O}/app.js`);
  assert.equal(l.state, 'valid');
});

test('failure is absorbing: no pass, expectation or second failure changes it', () => {
  const l = new Load(O, `${O}/`);
  l.expect('manifest');
  l.pass('manifest');
  const first = failure('FILE_MISMATCH', 'app.js', 'sha384-a', 'sha384-b');
  assert.equal(l.fail(first), true, 'the first failure is acted on');
  assert.equal(l.state, 'blocked');
  assert.equal(l.fail(failure('ROLLBACK', 'manifest.json', '1', '0')), false, 'later failures are not');
  assert.deepEqual(l.failure, first);
  l.pass('document');
  l.expect('x');
  l.pass('x');
  assert.equal(l.state, 'blocked');
  assert.equal(l.pending.size, 0);
  // Even a load that was valid becomes blocked, and stays so.
  const v = new Load(O, `${O}/`);
  for (const k of REQUIRED) v.pass(k);
  assert.equal(v.state, 'valid');
  v.fail(first);
  v.pass('document');
  assert.equal(v.state, 'blocked');
  // A load may start blocked (a failure recorded for the origin).
  assert.equal(new Load(O, `${O}/`, first).state, 'blocked');
});

test('manifests: same app, no rollback, the pin ratchets forward', () => {
  const pin = { app: 'sealpost-demo', version: '1.4.2' };
  const decide = (m) => decideManifest(pin, m, compareVersions);
  assert.deepEqual(decide({ app: 'sealpost-demo', version: '1.4.2' }), { ok: true, newVersion: null });
  assert.deepEqual(decide({ app: 'sealpost-demo', version: '1.10.0' }), { ok: true, newVersion: '1.10.0' });
  const back = decide({ app: 'sealpost-demo', version: '1.4.1' });
  assert.equal(back.ok, false);
  assert.equal(back.failure.code, 'ROLLBACK');
  assert.equal(back.failure.actual, '1.4.1');
  assert.equal(decide({ app: 'other', version: '9.0.0' }).failure.code, 'APP_CHANGED');
  for (const bad of ['1.4', '+1.4.2', '1.4.2-rc1']) {
    assert.equal(decide({ app: 'sealpost-demo', version: bad }).failure.code, 'BAD_MANIFEST', bad);
  }
  assert.equal(compareVersions('2.0.0', '10.0.0'), -1, 'numeric, not lexical');
  assert.equal(compareVersions('1.2.3', '1.2.3'), 0);
  assert.throws(() => compareVersions('01.2.3', '1.2.3'), { code: 'BAD_MANIFEST' });
});

test('requests: listed files are checked, unlisted code is a failure, data is skipped', () => {
  const manifest = { files: { 'index.html': {}, 'app.js': {}, 'sealpost/wasm/x.wasm': {} } };
  assert.equal(classify('script', 'app.js', manifest), 'check');
  assert.equal(classify('xmlhttprequest', 'sealpost/wasm/x.wasm', manifest), 'check');
  assert.equal(classify('script', 'evil.js', manifest), 'unexpected');
  assert.equal(classify('stylesheet', 'evil.css', manifest), 'unexpected');
  assert.equal(classify('sub_frame', 'frame.html', manifest), 'unexpected');
  assert.equal(classify('other', 'worker2.js', manifest), 'unexpected');
  assert.equal(classify('xmlhttprequest', 'api/messages', manifest), 'skip');
  assert.equal(classify('image', 'logo.png', manifest), 'skip');
  assert.equal(classify('xmlhttprequest', '.well-known/sealpost/manifest.json', manifest), 'skip');
  assert.equal(classify('script', null, manifest), 'skip');
  assert.equal(classify('script', 'constructor', manifest), 'unexpected', 'no prototype keys');
});

test('URLs map to release paths on the enrolled origin only', () => {
  assert.equal(releasePath(`${O}/`, O), 'index.html');
  assert.equal(releasePath(`${O}/?x=1#y`, O), 'index.html');
  assert.equal(releasePath(`${O}/sealpost/api.js`, O), 'sealpost/api.js');
  assert.equal(releasePath(`${O}/docs/`, O), 'docs/index.html');
  assert.equal(releasePath(`${O}/a%20b.js`, O), 'a b.js');
  assert.equal(releasePath('http://127.0.0.1:8081/app.js', O), null, 'another port is another origin');
  assert.equal(releasePath('https://127.0.0.1:8080/app.js', O), null);
  assert.equal(releasePath('not a url', O), null);
});

test('DOM signatures are compared as multisets: extra and missing elements are both named', () => {
  const page = ['<script src="app.js">', '<link href="a.css" rel="stylesheet">', '<link href="a.css" rel="stylesheet">'];
  assert.deepEqual(diff(page, page), { extra: [], missing: [] });
  assert.deepEqual(diff([...page].reverse(), page), { extra: [], missing: [] }, 'order does not matter');
  assert.deepEqual(diff([...page, '<script> text="steal()"'], page), { extra: ['<script> text="steal()"'], missing: [] });
  assert.deepEqual(diff(page.slice(0, 2), page), { extra: [], missing: ['<link href="a.css" rel="stylesheet">'] }, 'a duplicate counts');
});

test("the pinned certificate's life: a revocation blocks, a certified update is pinned, anything else keeps the pin", () => {
  const err = (code, message) => Object.assign(new Error(message), { code });
  assert.deepEqual(certOutcome({ cert: 'C', changed: true, revoked: true, reason: 'compromised: stolen' }), { action: 'revoke', status: { state: 'revoked', detail: 'compromised: stolen' } });
  assert.equal(certOutcome({ cert: 'C', changed: false, revoked: true, reason: null }).status.detail, 'no reason given');
  assert.equal(certOutcome({ cert: 'C', changed: true, revoked: false, reason: null }).action, 'update');
  assert.deepEqual(certOutcome({ cert: 'C', changed: false, revoked: false, reason: null }), { action: 'keep', status: { state: 'current', detail: '' } });
  // Another key's certificate is never a reason to re-pin: kept, and noted.
  assert.deepEqual(certOutcome(err('CERT_MISMATCH', 'another primary key')), { action: 'keep', status: { state: 'mismatch', detail: 'another primary key' } });
  assert.equal(certOutcome(err('INVALID_CERT', 'not a certificate')).status.state, 'invalid');
  assert.equal(certOutcome(new Error('release-cert.asc: HTTP 404')).status.state, 'unavailable');
  assert.equal(certOutcome(null).action, 'keep');
});

test('CERT_TOO_LARGE as a hostile server would use it: a stuffed certificate keeps the pin (and hides no revocation); an unreadable pin blocks', () => {
  const cert = readFileSync(fileURLToPath(new URL('../../../keys/demo-release.cert', import.meta.url)));
  const now = Math.floor(Date.now() / 1000);
  const outcome = (pinned, fetched) => {
    try {
      return certOutcome(verifier.refreshCert(pinned, fetched, now));
    } catch (e) {
      return certOutcome(e);
    }
  };
  assert.deepEqual(outcome(cert, cert), { action: 'keep', status: { state: 'current', detail: '' } });
  // A served certificate stuffed past what the verifier reads: never pinned, the pin kept.
  const stuffed = Buffer.concat([cert, Buffer.alloc(300 << 10, 0x41)]);
  const big = outcome(cert, stuffed);
  assert.equal(big.action, 'keep');
  assert.equal(big.status.state, 'invalid');
  assert.match(big.status.detail, /^fetched certificate: \d+ bytes is more than/);
  // A merged result too large to pin: the verifier says CERT_TOO_LARGE only
  // when the merge revoked nothing (a revocation is returned whatever came
  // with it: verifier/tests/cert_refresh.rs a_result_too_large_to_pin_is_refused_unless_it_revokes).
  const merged = Object.assign(new Error('the merged certificate (200000 bytes) is more than the 131072 allowed to pin'), { code: 'CERT_TOO_LARGE' });
  assert.deepEqual(certOutcome(merged), { action: 'keep', status: { state: 'too-large', detail: merged.message } });
  // The pin itself unreadable (a damaged store): its revocation could never be seen again — blocked, not kept.
  const pin = outcome(stuffed, cert);
  assert.equal(pin.action, 'block');
  assert.equal(pin.status.state, 'pin-unreadable');
  assert.match(pin.status.detail, /^pinned certificate: /);
});
