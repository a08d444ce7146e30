// guard.js without a browser: the policy the browser is made to enforce
// (a fixed template, filled only with checked values), the rules, the
// fail-closed helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import {
  CHECK_DEADLINE_MS, FETCH_DEADLINE_MS, GUARD_FILES, MAX_FETCH_BYTES, classifyRequest, documentAlive, fetchWithin, fromPrerender, mainFrameKind, messageAllowed, originRules, pendingVerdict, releasePolicy,
  serverPolicies, serviceWorkerRule, startsNoLoad, urlRegex,
} from '../guard.js';

const O = 'http://127.0.0.1:8080';
const H = (c) => `sha384-${c.repeat(64)}`;
const manifest = (files) => ({ app: 'a', version: '1.0.0', files });

test('the policy lets exactly the release scripts run, by hash, and nothing inline', () => {
  const p = releasePolicy(manifest({ 'app.js': { integrity: H('A'), size: 1 }, 'sealpost/w.mjs': { integrity: H('B'), size: 1 }, 'index.html': { integrity: H('C'), size: 1 }, 'style.css': { integrity: H('D'), size: 1 } }));
  assert.equal(p, [
    "default-src 'none'", `script-src '${H('A')}' '${H('B')}' 'wasm-unsafe-eval'`, 'worker-src blob:', "style-src 'self'",
    "img-src 'self' data:", "connect-src 'self'", "frame-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
  ].join('; '));
  assert.doesNotMatch(p, /'unsafe-inline'|'unsafe-eval'|strict-dynamic|nonce/);
  assert.doesNotMatch(p.split('; ')[1], /'self'/, 'script-src has no self: hashes only');
});

test("the shim's worker bundle is no page script: the demo's release (one bundle) leaves one script hash", () => {
  const p = releasePolicy(manifest({
    'app.js': { integrity: H('A'), size: 1 },
    'sealpost/wasm/worker.bundle.js': { integrity: H('B'), size: 1 },
    'sealpost/wasm/sealpost_wasm_bg.wasm': { integrity: H('C'), size: 1 },
    'index.html': { integrity: H('D'), size: 1 },
  }));
  assert.equal(p.split('; ')[1], `script-src '${H('A')}' 'wasm-unsafe-eval'`);
  assert.ok(!p.includes(H('B')), 'the worker, fetched as data and run from blob:, needs no script source');
});

test('no manifest value can inject a CSP token: bad integrities throw, odd paths are not scripts', () => {
  for (const integrity of [`${H('A')}' 'unsafe-inline`, `${H('A')};script-src *`, 'sha256-abc', H('A') + ' ', `sha384-${'A'.repeat(63)}`]) {
    assert.throws(() => releasePolicy(manifest({ 'app.js': { integrity, size: 1 } })), /not one SHA-384/);
  }
  // A path with a quote, a semicolon or a space is not taken as a script (its hash never enters the policy).
  const p = releasePolicy(manifest({ 'a.js': { integrity: H('A'), size: 1 }, "x';.js": { integrity: H('B'), size: 1 }, 'b c.js': { integrity: H('C'), size: 1 } }));
  assert.ok(!p.includes(H('B')) && !p.includes(H('C')));
  assert.throws(() => releasePolicy(manifest({ 'index.html': { integrity: H('A'), size: 1 } })), /no script/);
  assert.throws(() => releasePolicy(null), /no script/);
});

test('rules: documents of the origin get the policy appended, Integrity-Policy and COOP set, Refresh/Link/Speculation-Rules removed', () => {
  const { policy, rules } = originRules(O, manifest({ 'app.js': { integrity: H('A'), size: 1 } }), 7);
  assert.equal(rules.length, 1, 'an http origin has no twins to send over');
  const [r] = rules;
  assert.equal(r.id, 70);
  assert.deepEqual(r.condition, { regexFilter: '^http://([^/@]*@)?127\\.0\\.0\\.1:8080/', resourceTypes: ['main_frame', 'sub_frame'] });
  const h = Object.fromEntries(r.action.responseHeaders.map((x) => [x.header, [x.operation, x.value]]));
  assert.deepEqual(h['content-security-policy'], ['append', policy]);
  assert.deepEqual(h['integrity-policy'], ['set', 'blocked-destinations=(script)']);
  assert.deepEqual(h['cross-origin-opener-policy'], ['set', 'same-origin']);
  for (const k of ['refresh', 'link', 'speculation-rules']) assert.deepEqual(h[k], ['remove', undefined]);
  for (const bad of ['http://x/', 'http://a b', "http://x'", 'javascript:alert(1)', 'http://x:1/*', null]) {
    assert.throws(() => originRules(bad, manifest({ 'app.js': { integrity: H('A'), size: 1 } }), 1), /not an origin/);
  }
});

test('an https origin: its http:// twin is upgraded and its trailing-dot twin redirected to it', () => {
  const { rules } = originRules('https://mail.example:8443', manifest({ 'app.js': { integrity: H('A'), size: 1 } }), 3);
  assert.deepEqual(rules.map((r) => r.id), [30, 31, 32]);
  assert.deepEqual(rules[1].action, { type: 'upgradeScheme' });
  assert.equal(rules[1].condition.regexFilter, '^http://([^/@]*@)?mail\\.example:8443/');
  assert.deepEqual(rules[2].action, { type: 'redirect', redirect: { transform: { host: 'mail.example' } } });
  assert.equal(rules[2].condition.regexFilter, '^https://([^/@]*@)?mail\\.example\\.:8443/');
  const [https, http, dot] = rules.map((r) => new RegExp(r.condition.regexFilter));
  assert.ok(https.test('https://u:pw@mail.example:8443/') && http.test('http://u@mail.example:8443/x') && dot.test('https://u@mail.example.:8443/'));
});

test('finding 1: the rules match the origin with user info (user@, user:pw@), and nothing else', () => {
  const { rules } = originRules(O, manifest({ 'app.js': { integrity: H('A'), size: 1 } }), 1);
  const re = new RegExp(rules[0].condition.regexFilter);
  for (const u of [`${O}/`, `${O}/x?y#z`, 'http://user@127.0.0.1:8080/', 'http://user:pw@127.0.0.1:8080/index.html', 'http://%40:%2F@127.0.0.1:8080/']) assert.ok(re.test(u), u);
  for (const u of ['http://127.0.0.1:80800/', 'http://127.0.0.1:8080.evil/', 'http://127x0x0x1:8080/', 'https://127.0.0.1:8080/', 'http://evil/?http://127.0.0.1:8080/']) assert.ok(!re.test(u), u);
  assert.throws(() => urlRegex('http:', 'a(b'), /not a host/);
});

test('finding 2: a session rule blocks every script of the origin fetched outside a tab (service worker scripts)', () => {
  const r = serviceWorkerRule(O, 4);
  assert.equal(r.id, 43);
  assert.deepEqual(r.action, { type: 'block' });
  assert.deepEqual(r.condition, { regexFilter: '^http://([^/@]*@)?127\\.0\\.0\\.1:8080/', resourceTypes: ['script'], tabIds: [-1] });
  assert.throws(() => serviceWorkerRule('http://x/', 1), /not an origin/);
});

test('finding 10: enroll, forget and clear-failure only from an extension page, never from a content script', () => {
  const id = 'abcdefghijklmnopabcdefghijklmnop';
  const popup = { id, url: `chrome-extension://${id}/popup.html?tab=3`, tab: { id: 9 } };
  const content = { id, url: 'http://127.0.0.1:8080/', tab: { id: 3 }, frameId: 0 };
  const srcdoc = { id, url: 'about:srcdoc', tab: { id: 3 }, frameId: 2 };
  for (const t of ['enroll', 'forget', 'clear-failure', 'preview', 'status']) {
    assert.ok(messageAllowed(t, popup, id), t);
    assert.ok(!messageAllowed(t, content, id) && !messageAllowed(t, srcdoc, id), `${t} from a content script`);
    assert.ok(!messageAllowed(t, { ...popup, id: 'other' }, id), `${t} from another extension`);
  }
  for (const t of ['verified-document', 'dom-result', 'local-frame', 'restored', 'controlled', 'activated']) {
    assert.ok(messageAllowed(t, content, id) && messageAllowed(t, srcdoc, id), t);
    assert.ok(!messageAllowed(t, popup, id), `${t} from the popup`);
  }
  assert.ok(!messageAllowed('nonsense', popup, id));
  assert.ok(!messageAllowed('enroll', { id, url: `chrome-extension://${id}x/popup.html` }, id));
});

test("nothing under /.well-known/ is exempt except the guard's three files, fetched as data", () => {
  const m = manifest({ 'app.js': { integrity: H('A'), size: 1 } });
  assert.equal(classifyRequest('script', '.well-known/sealpost/payload.js', m), 'unexpected');
  assert.equal(classifyRequest('script', '.well-known/evil.js', m), 'unexpected');
  assert.equal(classifyRequest('sub_frame', '.well-known/sealpost/x.html', m), 'unexpected');
  for (const f of GUARD_FILES) {
    assert.equal(classifyRequest('xmlhttprequest', f, m), 'skip');
    assert.equal(classifyRequest('script', f, m), 'unexpected', `${f} as a script`);
  }
  assert.equal(classifyRequest('script', 'app.js', m), 'check');
});

test('a 3xx without Location starts no load; with one it is a redirect', () => {
  assert.equal(startsNoLoad(302, []), true);
  assert.equal(startsNoLoad(301, [{ name: 'Location', value: '' }]), true);
  assert.equal(startsNoLoad(302, [{ name: 'location', value: '/x' }]), false);
  assert.equal(startsNoLoad(200, []), false);
});

test("the server's policies are read without the one the guard appended", () => {
  const ours = "default-src 'none'";
  assert.deepEqual(serverPolicies([{ name: 'Content-Security-Policy', value: `script-src 'self', ${ours}` }, { name: 'x', value: 'y' }], ours), ["script-src 'self'"]);
  assert.deepEqual(serverPolicies([], ours), []);
});

test('deadlines are a few seconds; a stalled body fails within the fetch deadline', async () => {
  assert.ok(CHECK_DEADLINE_MS >= 1000 && CHECK_DEADLINE_MS <= 10000);
  assert.ok(FETCH_DEADLINE_MS < CHECK_DEADLINE_MS);
  const server = createServer((req, res) => { res.writeHead(200, { 'content-length': 100 }); res.write('x'); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const t0 = Date.now();
  await assert.rejects(fetchWithin(`http://127.0.0.1:${server.address().port}/`, 300), /within 300 ms/);
  assert.ok(Date.now() - t0 < 2000);
  server.closeAllConnections();
  server.close();
});

test('a response over the size cap is refused, whether it says its length or streams it, and the stream is cut', async () => {
  let sent = 0;
  const server = createServer((req, res) => {
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-length': 5000 });
      res.end('x'.repeat(5000));
      return;
    }
    if (req.url === '/small') {
      res.end('y'.repeat(1000));
      return;
    }
    // Chunked, no length, endless: the guard must stop reading.
    res.writeHead(200);
    const more = () => { sent += 1024; res.write('z'.repeat(1024)) ? setImmediate(more) : res.once('drain', more); };
    more();
    res.on('close', () => { sent = -sent; });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    await assert.rejects(fetchWithin(`${base}/declared`, 2000, fetch, 4096), /more than 4096 bytes/);
    await assert.rejects(fetchWithin(`${base}/endless`, 2000, fetch, 4096), /more than 4096 bytes/);
    assert.equal((await fetchWithin(`${base}/small`, 2000, fetch, 1000)).length, 1000);
    assert.ok(MAX_FETCH_BYTES >= 16 << 20, 'a release wasm fits');
    // The connection was closed by the reader, not left streaming.
    for (let i = 0; i < 50 && sent > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(sent < 0, 'the endless response was cut off');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('a pending check left by a stopped worker: blocked while its tab still shows that load — DEADLINE once due, CHECK_LOST before', () => {
  const record = { id: 'x', origin: O, url: `${O}/`, deadline: 1000, documentId: null };
  const tab = (url, pendingUrl) => ({ id: 1, url, pendingUrl });
  assert.deepEqual(pendingVerdict(record, tab(`${O}/`), null, 1000), { action: 'block', code: 'DEADLINE' });
  assert.deepEqual(pendingVerdict(record, tab(`${O}/`), null, 999), { action: 'block', code: 'CHECK_LOST' });
  // The navigation has not committed yet (its body held back): the tab's pending URL is the load's.
  assert.deepEqual(pendingVerdict(record, tab('about:blank', `${O}/x`), null, 5000), { action: 'block', code: 'DEADLINE' });
  // The tab has left the origin, is closed, or the recorded document is gone: nothing to block.
  assert.equal(pendingVerdict(record, tab('https://other.example/'), null, 5000).action, 'drop');
  assert.equal(pendingVerdict(record, null, null, 5000).action, 'drop');
  assert.equal(pendingVerdict({ ...record, documentId: 'D' }, tab(`${O}/`), false, 5000).action, 'drop');
  assert.equal(pendingVerdict({ ...record, documentId: 'D' }, tab(`${O}/`), true, 5000).action, 'block');
  assert.equal(pendingVerdict(null, tab(`${O}/`), null, 5000).action, 'drop');
});

test("only the navigation of the tab's own top document starts a load: not a prerender, not a prefetch", () => {
  // As Chromium 156 reports them (webRequest.onHeadersReceived).
  assert.equal(mainFrameKind({ frameId: 0, documentLifecycle: 'active', frameType: 'outermost_frame' }), 'tab');
  assert.equal(mainFrameKind({ frameId: 0 }), 'tab');
  assert.equal(mainFrameKind({ frameId: 5, documentLifecycle: 'prerender', frameType: 'outermost_frame' }), 'prerender');
  // The prefetch ahead of a prerender: frame 0, but made by the document that asked for it.
  assert.equal(mainFrameKind({ frameId: 0, documentLifecycle: 'active', documentId: 'FCB5C8F0' }), 'prefetch');
  assert.ok(fromPrerender({ documentLifecycle: 'prerender' }) && !fromPrerender({ documentLifecycle: 'active' }) && !fromPrerender({}));
});

test('documentAlive: an unreadable top frame is unknown (blocked by the sweep), never "gone"', () => {
  const O = 'https://mail.example';
  const record = { id: 'L1', origin: O, url: `${O}/`, deadline: 1000, documentId: 'D' };
  const tab = { url: `${O}/` };
  assert.equal(documentAlive('D', null), null);
  assert.equal(pendingVerdict(record, tab, documentAlive('D', null), 5000).action, 'block');
  assert.equal(documentAlive('D', 'D'), true);
  assert.equal(documentAlive('D', 'E'), false);
  assert.equal(pendingVerdict(record, tab, documentAlive('D', 'E'), 5000).action, 'drop');
  assert.equal(documentAlive(null, 'E'), null);
});
