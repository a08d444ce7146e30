// Enrollment records, not trust on first use (issue 21), in Chromium with
// the guard built by make build-dev: its shipped witnesses are the demo
// witnesses w1 and w2 (keys/demo-witness-*.key), its cool-down short
// (guard-config.js, TEST_COOL_DOWN_SECS).  Two real witnesses follow the demo
// log.  The server (a proxy in this process) holds the release key and the
// log key, and counts /__beacon?NAME calls: the code of every release here
// calls it first with its name, so a count of 0 means that release's code
// never ran.
//  1. A first visit to an origin bound to its key only now → the preview and
//     the enroll request are refused BINDING_COOLING_DOWN (saying from when),
//     nothing is pinned; without a binding-proof → NOT_BOUND; a binding in a
//     log cosigned only by a witness the server names (its own) → NOT_BOUND.
//  2. After the cool-down → it enrolls; the popup says since when the key is
//     bound and by which witnesses.
//  3. The site changes its release key: a release signed by the new key,
//     logged, with the new key bound only now → blocked BINDING_COOLING_DOWN
//     (with the old key's binding-proof: NOT_BOUND), beacon 0; `log monitor`
//     reports the key change; after the cool-down → accepted, its code runs
//     (the positive control of the zero counts), the popup shows the new key
//     and the old one in its history.
//  4. Forgotten, then offered again with no log policy → POLICY_WEAKER (the
//     floor kept across forget), nothing pinned.
//  5. A new user (nothing pinned) offered the replaced key with its old,
//     cooled-down binding, in a fresh profile whose guard has a 30 s view
//     window: in a copy of the log from before the key change, older than
//     the window → NOT_BOUND; in the log as it is now → NOT_BOUND (a newer
//     binding supersedes it); the current key, once its log is cosigned
//     again → offered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { bindOrigin, guardCoolDown, guardProfile, newBlockedPage, openPopup, repo, relay, serveDemo, startWitness, visitSite, waitCooledDown } from './helpers.mjs';
import * as sp from '../../js-shim/src/node.js';

const extension = process.env.SEALPOST_EXTENSION || join(repo, 'build/extension');
const siteSrc = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const verifyBin = process.env.SEALPOST_VERIFY || join(repo, 'target/debug/sealpost-verify');
const witnessBin = join(repo, 'target/debug/sealpost-witness');
const releaseKey = join(repo, 'keys/demo-release.key');
const releaseCert = join(repo, 'keys/demo-release.cert');
const logKey = join(repo, 'keys/demo-log.key');
const LOG = '/.well-known/sealpost/log/';
/** The first line of a release's app.js: a call home naming the release. */
const beaconOf = (name) => `navigator.sendBeacon('/__beacon?${name}');\n`;

let dir, logDir, policyFile, origin, user, coolDown;
const servers = [];
const children = [];
const results = [];
/** Calls home, per release name. */
const beacons = {};
const ran = (name) => beacons[name] || 0;
/** What the server shows: { server, proof, binding, policy, policySig, log }; a null file is a 404. */
let view = null;
const k2 = {};
/** The log as it was before the key change: { log, proof (r1's in it), at (ms, by when it was last cosigned) }. */
let snapshot = null;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r;
}
const verify = (...args) => run(verifyBin, args);
const sri = (b) => 'sha384-' + createHash('sha384').update(b).digest('base64');

/** A release of the demo site whose app.js calls the beacon first, signed by `key`. */
function release(name, version, key) {
  const site = join(dir, name);
  cpSync(siteSrc, site, { recursive: true });
  const app = readFileSync(join(site, 'app.js'));
  const withBeacon = Buffer.concat([Buffer.from(beaconOf(name)), app]);
  writeFileSync(join(site, 'app.js'), withBeacon);
  const html = readFileSync(join(site, 'index.html'), 'utf8');
  assert.ok(html.includes(sri(app)), 'index.html names app.js by its hash');
  writeFileSync(join(site, 'index.html'), html.replace(sri(app), sri(withBeacon)));
  verify('manifest', site, '--out', join(site, 'manifest.json'), '--app', 'sealpost-demo', '--release-version', version, '--sign-with', key);
  return { name, site, manifest: join(site, 'manifest.json') };
}

let proofs = 0;
function proofOf(d, r) {
  const out = join(dir, `${r.name}-${++proofs}.proof`);
  verify('log', 'prove', d, '--manifest', r.manifest, '--out', out);
  return out;
}

async function handler(req, res) {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/__beacon') {
    beacons[url.search.slice(1)] = ran(url.search.slice(1)) + 1;
    res.writeHead(204).end();
    return;
  }
  if (url.pathname.startsWith(LOG)) {
    const rel = url.pathname.slice(LOG.length);
    if (rel === 'binding-proof' && view.stallBinding) await new Promise((r) => setTimeout(r, 8000));
    const named = { 'release-proof': view.proof, 'binding-proof': view.binding, policy: view.policy, 'policy.sig': view.policySig };
    const file = rel in named ? named[rel] : /^(checkpoint|tile\/[A-Za-z0-9./]+)$/.test(rel) && !rel.includes('..') ? join(view.log, rel) : null;
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' }).end(readFileSync(file));
    return;
  }
  await relay(req, res, view.server.url);
}

async function profile() {
  return guardProfile(join(dir, 'profile'), extension, `${origin}/?probe`);
}

/** The popup's preview: { error, log, bound } (error '' when it offers enrollment). */
async function preview() {
  const p = await openPopup(user.context, user.extId, user.tabId);
  try {
    const t0 = Date.now();
    await p.click('#enroll-preview');
    await p.waitForSelector('#enroll-confirm:not([hidden]), #error:not(:empty)');
    return { error: await p.textContent('#error'), log: await p.textContent('#preview-log'), bound: await p.textContent('#preview-bound'), ms: Date.now() - t0, page: p };
  } catch (e) {
    await p.close();
    throw e;
  }
}

/** What the guard stored for the origin. */
const stored = () => user.sw.evaluate(async (o) => {
  const s = await chrome.storage.local.get(['pins', 'tlogPins', 'policyFloors']);
  return { pin: (s.pins || {})[o] || null, logPin: (s.tlogPins || {})[o] || null, floor: (s.policyFloors || {})[o] || null };
}, origin);

/** A message to the guard as the popup sends it (the popup page is the extension's). */
async function ask(msg) {
  const p = await openPopup(user.context, user.extId, user.tabId);
  try {
    return await p.evaluate((m) => chrome.runtime.sendMessage(m), msg);
  } finally {
    await p.close();
  }
}

async function clearFailure() {
  await user.sw.evaluate(async (o) => {
    const { pins } = await chrome.storage.local.get('pins');
    if (pins?.[o]) pins[o].failure = null;
    await chrome.storage.local.set({ pins });
  }, origin);
}

/** Loads the site; it must end blocked with `code`, the code of the release `name` run 0 times. */
async function blocks(code, what, name) {
  const before = ran(name);
  await clearFailure();
  await newBlockedPage(user.page, () => visitSite(user.page, `${origin}/`));
  const got = await user.page.textContent('#code');
  const actual = await user.page.textContent('#actual');
  await user.page.waitForTimeout(500); // anything that slipped through has time to call home
  results.push(`${what}: blocked ${got} (${actual.slice(0, 220)}); its code ran ${ran(name) - before} times`);
  assert.equal(got, code, `${what}: ${actual}`);
  assert.equal(ran(name) - before, 0, `${what}: the release's code ran`);
  return actual;
}

/** The popup once it shows a valid load whose text matches `want` (the tab may go through other loads first: a superseded one, a reload). */
async function popupPin(want = /^Verified: /) {
  const p = await openPopup(user.context, user.extId, user.tabId);
  try {
    await p.waitForFunction(([src, flags]) => {
      const el = document.getElementById('state');
      return el.dataset.state === 'valid' && new RegExp(src, flags).test(el.textContent);
    }, [want.source, want.flags], { timeout: 30000 });
    return { state: await p.textContent('#state'), fingerprint: await p.textContent('#pin-fingerprint'), keys: await p.textContent('#pin-keys'), log: await p.textContent('#pin-log') };
  } finally {
    await p.close();
  }
}

let r1, bound1;

before(async () => {
  assert.ok(existsSync(witnessBin), 'target/debug/sealpost-witness (make build-dev builds it)');
  coolDown = await guardCoolDown(extension);
  assert.ok(coolDown > 0 && coolDown <= 30, `the test build's cool-down is short (${coolDown} s)`);
  dir = mkdtempSync(join(tmpdir(), 'sealpost-binding-guard-'));
  const w = [await startWitness(1, { dir, children }), await startWitness(2, { dir, children })];
  const policy = readFileSync(join(repo, 'keys/demo-log-policy.txt'), 'utf8').replace('http://127.0.0.1:7101', w[0]).replace('http://127.0.0.1:7102', w[1]);
  policyFile = join(dir, 'policy');
  writeFileSync(policyFile, policy);
  verify('log', 'sign-policy', policyFile, '--sign-with', releaseKey);
  logDir = join(dir, 'log');
  mkdirSync(logDir);
  r1 = release('r1', '0.4.0', releaseKey);
  verify('log', 'append', logDir, '--key', logKey, '--manifest', r1.manifest, '--cert', releaseCert);
  verify('log', 'checkpoint', logDir, '--policy', policyFile);
  r1.proof = proofOf(logDir, r1);
  r1.server = await serveDemo(r1.site, undefined, { releaseCert });
  view = { server: r1.server, proof: r1.proof, binding: null, policy: policyFile, policySig: `${policyFile}.sig`, log: logDir };
  const server = createServer((req, res) => handler(req, res).catch((e) => { res.writeHead(500).end(String(e)); }));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  origin = `http://localhost:${server.address().port}`;
  user = await profile();
});

after(async () => {
  for (const line of results) console.log(line);
  await user?.context.close().catch(() => {});
  for (const s of servers) { s.closeAllConnections(); s.close(); }
  for (const r of [r1, k2.release]) await r?.server?.close();
  for (const c of children) c.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a first visit: no binding or the proof stalled → NOT_BOUND; bound only now → BINDING_COOLING_DOWN (saying from when); a binding cosigned only by the server\'s own witness → NOT_BOUND; nothing pinned', async () => {
  // No binding-proof at all.
  let p = await preview();
  await p.page.close();
  results.push(`no binding-proof: ${p.error}`);
  assert.match(p.error, /^NOT_BOUND: /);
  // The proof stalled past the guard's fetch deadline: not bound (fails closed).
  view = { ...view, stallBinding: true };
  p = await preview();
  await p.page.close();
  view = { ...view, stallBinding: false };
  results.push(`binding-proof stalled: ${p.error.slice(0, 200)} (${p.ms} ms)`);
  assert.match(p.error, /^NOT_BOUND: /);
  // The binding logged and cosigned now (w1 and w2, the guard's witnesses).
  bound1 = bindOrigin({ logDir, logKey, origin, cert: releaseCert, policyFile, out: join(dir, 'binding-1'), verifyBin });
  view = { ...view, binding: bound1.proof, proof: proofOf(logDir, r1) };
  p = await preview();
  await p.page.close();
  results.push(`bound ${Date.now() - bound1.at} ms ago: ${p.error}`);
  assert.match(p.error, /^BINDING_COOLING_DOWN: .* less than the cool-down of \d+ s.* not before \d{4}-\d\d-\d\dT/);
  // The enroll request itself (no preview) is refused the same way.
  const r = await ask({ type: 'enroll', origin, fingerprint: '5BE84EB2A98028F9FD749056D8128B09F1D6C81B' });
  assert.equal(r.ok, false, 'enrolled inside the cool-down');
  assert.match(r.error, /BINDING_COOLING_DOWN/);
  assert.deepEqual(await stored(), { pin: null, logPin: null, floor: null }, 'nothing pinned');
  // A server that names its own log and witness (the guard does not ship it): bound in its log, cosigned by its witness.
  const xVkey = verify('log', 'keygen', '--origin', 'x.example/log', '--out', join(dir, 'x-log.key')).stdout.trim().split('\n').pop().trim();
  const wxVkey = run(witnessBin, ['keygen', '--name', 'wx.example', '--out', join(dir, 'wx.key')]).stdout.trim().split('\n').pop().trim();
  const wx = await (async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(witnessBin, ['serve', '--key', join(dir, 'wx.key'), '--db', join(dir, 'wx.sqlite'), '--listen', '127.0.0.1:0', '--log', xVkey], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let out = '';
    for await (const chunk of child.stdout) {
      out += chunk;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) return m[1];
    }
    throw new Error(`witness wx did not start: ${out}`);
  })();
  const xPolicy = join(dir, 'x-policy');
  writeFileSync(xPolicy, `log ${xVkey}\nwitness wx ${wxVkey} ${wx}\nquorum wx\n`);
  verify('log', 'sign-policy', xPolicy, '--sign-with', releaseKey);
  const xLog = join(dir, 'x-log');
  verify('log', 'append', xLog, '--key', join(dir, 'x-log.key'), '--manifest', r1.manifest, '--cert', releaseCert);
  const xBound = bindOrigin({ logDir: xLog, logKey: join(dir, 'x-log.key'), origin, cert: releaseCert, policyFile: xPolicy, out: join(dir, 'x-binding'), verifyBin });
  const saved = view;
  view = { ...view, proof: proofOf(xLog, r1), binding: xBound.proof, policy: xPolicy, policySig: `${xPolicy}.sig`, log: xLog };
  await waitCooledDown(xBound.at, extension); // old enough by its own witness: still not the guard's
  p = await preview();
  await p.page.close();
  results.push(`bound in the server's own log, cosigned by its own witness only, ${Date.now() - xBound.at} ms ago: ${p.error}`);
  assert.match(p.error, /^NOT_BOUND: .*guard's own witnesses/);
  assert.deepEqual(await stored(), { pin: null, logPin: null, floor: null }, 'nothing pinned');
  view = saved;
});

test('after the cool-down the origin enrolls; the popup says since when the key is bound and by which witnesses', async () => {
  await waitCooledDown(bound1.at, extension);
  const p = await preview();
  try {
    assert.equal(p.error, '', 'the preview failed');
    results.push(`preview (${p.ms} ms, log and binding checks included): ${p.bound}`);
    assert.match(p.bound, /^Bound to this key in the log since \d{4}-.* by w1, w2 \(the guard's own witnesses; cool-down \d+ s\)\. This is a test build of the guard: its witnesses are test keys anyone holds, so this date proves nothing against a hostile site\.$/);
    const t0 = Date.now();
    await p.page.click('#enroll-trust');
    await p.page.waitForSelector('body[data-done="enroll-trust"]');
    await p.page.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
    results.push(`enrollment (close, clear, reload, first valid load): ${Date.now() - t0} ms`);
  } finally {
    await p.page.close();
  }
  const s = await popupPin();
  assert.match(s.log, /the log binds this site to this key and policy since .* w1 \(.*\), w2 \(/);
  const st = await stored();
  assert.equal(st.pin.fingerprint, '5BE84EB2A98028F9FD749056D8128B09F1D6C81B');
  assert.deepEqual([st.floor.log, st.floor.rebuildQuorum], [true, 0]);
  // The guard's added work at enrollment, in its own wasm (this build), in Node: the binding check.
  const pkg = join(extension, 'pkg');
  const wasm = await import(join(pkg, 'sealpost_verifier_wasm.js'));
  wasm.initSync({ module: readFileSync(join(pkg, 'sealpost_verifier_wasm_bg.wasm')) });
  const { GUARD_WITNESSES } = await import(join(extension, 'guard-config.js'));
  const policyText = readFileSync(policyFile, 'utf8');
  const proof = readFileSync(bound1.proof);
  const now = Math.floor(Date.now() / 1000);
  const once = () => wasm.tlogCheckBinding(policyText, GUARD_WITNESSES, proof, origin, '5BE84EB2A98028F9FD749056D8128B09F1D6C81B', now, coolDown);
  assert.deepEqual(once().witnesses.map(([n]) => n), ['w1', 'w2']);
  const t = performance.now();
  for (let i = 0; i < 50; i++) once();
  results.push(`binding-proof ${proof.length} bytes; tlogCheckBinding ${((performance.now() - t) / 50).toFixed(2)} ms per call (50 calls, Node, this build); cool-down ${coolDown} s in this build, 604800 s in make extension's`);
});

test('a key change: inside its cool-down → BINDING_COOLING_DOWN (the old binding → NOT_BOUND), its code never runs, the monitor reports it; after → accepted and shown', async () => {
  const other = await sp.generateKey({ userIDs: [{ name: 'Release 2', email: 'release2@example.org' }], format: 'armored' });
  k2.key = join(dir, 'k2.key');
  k2.cert = join(dir, 'k2.cert');
  writeFileSync(k2.key, other.privateKey);
  writeFileSync(k2.cert, other.publicKey);
  const fpr2 = (await sp.readKey({ armoredKey: other.publicKey })).getFingerprint().toUpperCase();
  k2.fingerprint = fpr2;
  // What a server holding the old key keeps: the log as it is before the change (cosigned again now).
  verify('log', 'checkpoint', logDir, '--policy', policyFile);
  snapshot = { at: Date.now(), log: join(dir, 'log-before-change') };
  cpSync(logDir, snapshot.log, { recursive: true });
  snapshot.proof = proofOf(snapshot.log, r1);
  // The same policy text, signed by the new key.
  const p2 = join(dir, 'policy-k2');
  cpSync(policyFile, p2);
  verify('log', 'sign-policy', p2, '--sign-with', k2.key);
  k2.release = release('k2', '0.4.1', k2.key);
  verify('log', 'append', logDir, '--key', logKey, '--manifest', k2.release.manifest, '--cert', k2.cert);
  k2.release.server = await serveDemo(k2.release.site, undefined, { releaseCert: k2.cert });
  // Served with the old key's binding only (no binding of the new key yet).
  verify('log', 'checkpoint', logDir, '--policy', policyFile);
  view = { ...view, server: k2.release.server, proof: proofOf(logDir, k2.release), policy: p2, policySig: `${p2}.sig`, binding: bound1.proof };
  await blocks('NOT_BOUND', 'new key, only the old key bound', 'k2');
  // The new key bound now: inside the cool-down.
  const bound2 = bindOrigin({ logDir, logKey, origin, cert: k2.cert, policyFile: p2, cosignPolicy: policyFile, out: join(dir, 'binding-2'), verifyBin });
  Object.assign(k2, { bound: bound2, policy: p2 });
  view = { ...view, proof: proofOf(logDir, k2.release), binding: bound2.proof };
  const actual = await blocks('BINDING_COOLING_DOWN', `new key bound ${Date.now() - bound2.at} ms ago`, 'k2');
  assert.match(actual, /not before \d{4}-/);
  assert.equal((await stored()).pin.fingerprint, '5BE84EB2A98028F9FD749056D8128B09F1D6C81B', 'the old key stays pinned');
  // Anyone sees it: the monitor reports the key change.
  const m = spawnSync(verifyBin, ['log', 'monitor', logDir, '--app', 'sealpost-demo', '--policy', policyFile, '--json'], { encoding: 'utf8' });
  const out = JSON.parse(m.stdout);
  results.push(`monitor: key changes ${JSON.stringify(out.key_changes)}`);
  assert.ok(out.key_changes.some((k) => k.from === '5BE84EB2A98028F9FD749056D8128B09F1D6C81B' && k.to === fpr2), m.stdout);
  // After the cool-down: accepted, and the release's code runs (the positive control of the zero counts above).
  await waitCooledDown(bound2.at, extension);
  const before = ran('k2');
  await clearFailure();
  await visitSite(user.page, `${origin}/`);
  const s = await popupPin(/^Verified: sealpost-demo 0\.4\.1/);
  for (let i = 0; i < 50 && ran('k2') === before; i++) await user.page.waitForTimeout(100);
  results.push(`after the cool-down: ${s.state}; key ${s.fingerprint}; history: ${s.keys}; its code ran ${ran('k2') - before} times`);
  assert.match(s.state, /^Verified: sealpost-demo 0\.4\.1/);
  assert.equal(s.fingerprint, fpr2);
  assert.match(s.keys, new RegExp(`^5BE84EB2A98028F9FD749056D8128B09F1D6C81B until .*, replaced by ${fpr2} \\(bound since .* by w1, w2\\)$`));
  assert.ok(ran('k2') > before, 'the accepted release ran');
});

test('the retired key back: a new release signed by it, logged, served with its old (cooled-down) binding and policy → NOT_BOUND, its code never runs, the new key stays pinned', async () => {
  // A server that still holds the replaced key replays its old binding: nothing new in the log for a monitor to see.
  const back = release('k0-back', '0.4.2', releaseKey);
  verify('log', 'append', logDir, '--key', logKey, '--manifest', back.manifest, '--cert', releaseCert);
  verify('log', 'checkpoint', logDir, '--policy', policyFile);
  back.server = await serveDemo(back.site, undefined, { releaseCert });
  view = { ...view, server: back.server, proof: proofOf(logDir, back), policy: policyFile, policySig: `${policyFile}.sig`, binding: bound1.proof };
  const actual = await blocks('NOT_BOUND', 'the retired key back, with its old binding', 'k0-back');
  assert.match(actual, /^5BE84EB2A98028F9FD749056D8128B09F1D6C81B was replaced by /);
  assert.notEqual((await stored()).pin.fingerprint, '5BE84EB2A98028F9FD749056D8128B09F1D6C81B', 'the retired key was not pinned again');
  view = { ...view, server: k2.release.server, proof: proofOf(logDir, k2.release), policy: k2.policy, policySig: `${k2.policy}.sig`, binding: k2.bound.proof };
  // Its demo server stopped here (a server left running keeps this file from ever ending).
  await back.server.close();
});

test('forgotten, then offered again with no log policy → POLICY_WEAKER (the floor outlives forget); nothing pinned', async () => {
  const r = await ask({ type: 'forget', origin });
  assert.equal(r.ok, true, r.error);
  assert.equal((await stored()).floor.log, true, 'the floor is kept');
  view = { ...view, policy: null, policySig: null, binding: null, proof: null };
  const p = await preview();
  await p.page.close();
  results.push(`re-enrollment without a log policy: ${p.error}`);
  assert.match(p.error, /^POLICY_WEAKER: /);
  const st = await stored();
  assert.deepEqual([st.pin, st.logPin], [null, null]);
});

test('the preview showed a release log, the enrollment request finds none (policy served to the preview only) → refused, nothing pinned', async () => {
  // A first enrollment: no floor of an earlier one (which would refuse it as POLICY_WEAKER already).
  await user.sw.evaluate(async (o) => {
    const { policyFloors } = await chrome.storage.local.get('policyFloors');
    delete policyFloors[o];
    await chrome.storage.local.set({ policyFloors });
  }, origin);
  view = { ...view, server: k2.release.server, proof: proofOf(logDir, k2.release), policy: k2.policy, policySig: `${k2.policy}.sig`, binding: k2.bound.proof };
  const p = await preview();
  try {
    assert.equal(p.error, '', 'the preview offers enrollment');
    assert.match(p.log, /^Release log: /);
    // Between the preview and the click, the server stops publishing its policy.
    view = { ...view, policy: null, policySig: null };
    await p.page.click('#enroll-trust');
    await p.page.waitForFunction(() => document.body.dataset.done === 'enroll-trust', null, { timeout: 30000 });
    const error = await p.page.textContent('#error');
    results.push(`preview with a log, enrollment without: ${error}`);
    assert.match(error, /showed a release log policy at the preview and publishes none now: not enrolled/);
  } finally {
    await p.page.close();
  }
  const st = await stored();
  assert.deepEqual([st.pin, st.logPin], [null, null]);
});

test('a new user offered the replaced key with its old binding: in the log as it is now → NOT_BOUND (superseded); in a view older than the view window → NOT_BOUND (stale); the current key → offered; nothing pinned', async () => {
  const k1 = '5BE84EB2A98028F9FD749056D8128B09F1D6C81B';
  // A new user: a fresh profile, with a guard whose view window is 30 s (make build-dev's is a day).
  const ext = join(dir, 'ext-view-30s');
  cpSync(extension, ext, { recursive: true });
  const config = readFileSync(join(ext, 'guard-config.js'), 'utf8');
  assert.match(config, /export const VIEW_MAX_AGE_SECS = 86400;/, 'make build-dev builds the guard with a day');
  writeFileSync(join(ext, 'guard-config.js'), config.replace(/export const VIEW_MAX_AGE_SECS = \d+;/, 'export const VIEW_MAX_AGE_SECS = 30;'));
  const main = user;
  user = await guardProfile(join(dir, 'profile-new-user'), ext, `${origin}/?probe`);
  try {
    assert.deepEqual(await stored(), { pin: null, logPin: null, floor: null }, 'nothing pinned for the origin');
    // The old key's release, its policy and its old, cooled-down binding, from the copy of the log
    // made before the key change, once older than the window (first: the refused enrollment below
    // keeps the newer checkpoint it checked, and an older one would then be refused as NOT_LOGGED).
    const replay = { server: r1.server, policy: policyFile, policySig: `${policyFile}.sig`, binding: bound1.proof };
    const wait = snapshot.at + 32000 - Date.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    view = { ...view, ...replay, proof: snapshot.proof, log: snapshot.log };
    let p = await preview();
    await p.page.close();
    results.push(`new user, the replaced key with its old binding, the log from before the change (${Math.round((Date.now() - snapshot.at) / 1000)} s old, window 30 s): ${p.error.slice(0, 260)}`);
    assert.match(p.error, /^NOT_BOUND: no recent view of the log .* more than the 30 s a view may be old/);
    assert.deepEqual(await stored(), { pin: null, logPin: null, floor: null }, 'nothing pinned');
    // The same with the log as it is now (its witnesses cosign it again, as they must within the window).
    verify('log', 'checkpoint', logDir, '--policy', policyFile);
    view = { ...view, ...replay, proof: proofOf(logDir, r1), log: logDir };
    p = await preview();
    await p.page.close();
    results.push(`new user, the replaced key with its old binding, today's log: ${p.error.slice(0, 260)}`);
    assert.match(p.error, new RegExp(`^NOT_BOUND: .*superseded binding: leaf \\d+, newer than the binding at leaf \\d+, binds ${origin.replace(/[.]/g, '\\.')} to ${k2.fingerprint}`));
    const r = await ask({ type: 'enroll', origin, fingerprint: k1 });
    assert.equal(r.ok, false, 'enrolled to the replaced key');
    assert.match(r.error, /NOT_BOUND: .*superseded/);
    assert.deepEqual(await stored(), { pin: null, logPin: null, floor: null }, 'nothing pinned');
    // The positive control: the current key, its log cosigned again (the same tree size), is offered.
    verify('log', 'checkpoint', logDir, '--policy', policyFile);
    view = { ...view, server: k2.release.server, proof: proofOf(logDir, k2.release), policy: k2.policy, policySig: `${k2.policy}.sig`, binding: k2.bound.proof, log: logDir };
    p = await preview();
    await p.page.close();
    results.push(`new user, the current key, the log cosigned again: ${p.error || 'offered'} (${p.ms} ms)`);
    assert.equal(p.error, '', 'the current key is offered');
  } finally {
    await user.context.close().catch(() => {});
    user = main;
  }
});
