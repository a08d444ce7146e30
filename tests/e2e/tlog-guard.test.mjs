// The release transparency log against a server that targets one user
// (issue 20).  Two Chromium profiles with the guard (users A and B) reach the
// same origin, http://localhost:PORT; A's browser resolves it to
// 127.0.0.2 and B's to 127.0.0.1 (--host-resolver-rules), so the server tells
// them apart by the address they connected to, as a real server would by
// the client's.  The server holds the genuine release key and the log key;
// two real tlog-witnesses (sealpost-witness, SQLite) hold it to one history.
// Both users enroll while the server is honest; then it serves A a release
// signed by the genuine key whose app.js calls /__beacon?evil:
//  (a) not logged                          → A blocks NOT_LOGGED, beacon 0;
//  (b) logged in a fork the witnesses refuse → NOT_LOGGED or SPLIT_VIEW, beacon 0;
//  (c) logged, for A, while B gets another release of that version, both
//      cosigned → both run, and `sealpost-verify log monitor` (anyone)
//      lists A's release and reports two manifests for one version (exit 1).
// The genuine release stays usable in both profiles throughout.
// A third profile (user C) enrolls against a server that serves the
// enrollment's log check the logged manifest and its second fetch an
// unlogged one signed by the genuine key (version 999.0.0): nothing of it is
// pinned; two enroll requests at once (a double click) keep the log pin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindOrigin, guardProfile, newBlockedPage, openPopup, repo, relay, serveDemo, startWitness as witness, visitSite, waitCooledDown } from './helpers.mjs';

const extension = process.env.SEALPOST_EXTENSION || join(repo, 'build/extension');
const siteSrc = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const verifyBin = process.env.SEALPOST_VERIFY || join(repo, 'target/debug/sealpost-verify');
const witnessBin = join(repo, 'target/debug/sealpost-witness');
const releaseKey = join(repo, 'keys/demo-release.key');
const releaseCert = join(repo, 'keys/demo-release.cert');
const logKey = join(repo, 'keys/demo-log.key');
const IP = { A: '127.0.0.2', B: '127.0.0.1', C: '127.0.0.3' };

let dir, port, origin, policy, bindingProof;
const servers = [];
const children = [];
/** Per user: which release site (a demo server) and which log directory / proof the server shows. */
const view = { A: null, B: null, C: null };
const beacons = { A: 0, B: 0, C: 0 };
/** User C's manifest fetches (the first is served `firstManifest` when its view names one). */
let manifestFetches = 0;
/** Another site (user C's browser, another port): view.X. */
let otherPort = -1;
const users = {};
const results = [];

function run(cmd, args, { ok = true } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (ok) assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r;
}
const verify = (...args) => run(verifyBin, args);
/** { status, stdout, stderr } of a command that may talk to this process's server. */
async function runAsync(cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const status = await new Promise((r) => child.on('close', r));
  return { status, stdout, stderr };
}
const sri = (b) => 'sha384-' + createHash('sha384').update(b).digest('base64');
const sha256 = (f) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** A signed release of the demo site: `evil` puts a call home first in app.js (and its hash in index.html). */
function release(name, version, { evil = false } = {}) {
  const site = join(dir, name);
  cpSync(siteSrc, site, { recursive: true });
  if (evil) {
    const app = readFileSync(join(site, 'app.js'));
    const bad = Buffer.concat([Buffer.from("navigator.sendBeacon('/__beacon?evil');\n"), app]);
    writeFileSync(join(site, 'app.js'), bad);
    const html = readFileSync(join(site, 'index.html'), 'utf8');
    assert.ok(html.includes(sri(app)), 'index.html names app.js by its hash');
    writeFileSync(join(site, 'index.html'), html.replace(sri(app), sri(bad)));
  }
  verify('manifest', site, '--out', join(site, 'manifest.json'), '--app', 'sealpost-demo', '--release-version', version, '--sign-with', releaseKey);
  return { site, manifest: join(site, 'manifest.json') };
}

/** A log directory holding these releases, in order (appended by the CLI with the demo log key). */
function logOf(name, releases) {
  const d = join(dir, name);
  for (const r of releases) verify('log', 'append', d, '--key', logKey, '--manifest', r.manifest, '--cert', releaseCert);
  cpSync(join(dir, 'policy'), join(d, 'policy'));
  cpSync(join(dir, 'policy.sig'), join(d, 'policy.sig'));
  return d;
}

/** Asks the witnesses to cosign the log's checkpoint; returns the CLI's result. */
const cosign = (d) => run(verifyBin, ['log', 'checkpoint', d, '--policy', join(dir, 'policy')], { ok: false });

/** The tlog-proof of `r` in log `d` (under its current checkpoint). */
function proofOf(d, r, name) {
  const out = join(dir, `${name}.proof`);
  verify('log', 'prove', d, '--manifest', r.manifest, '--out', out);
  return out;
}

const startWitness = (n, logVkey, db) => witness(n, { dir, children, logVkey, db });

const LOG = '/.well-known/sealpost/log/';

/** The server: per user (by the local address the browser reached), the site and log it shows. */
async function handler(req, res) {
  const user = req.socket.localPort === otherPort ? 'X' : Object.keys(IP).find((u) => IP[u] === req.socket.localAddress) || 'B';
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/__beacon') {
    beacons[user]++;
    res.writeHead(204).end();
    return;
  }
  const v = view[user];
  if (url.pathname === '/.well-known/sealpost/manifest.json' && v.firstManifest) {
    const f = manifestFetches++ === 0 ? v.firstManifest : join(v.site, 'manifest.json');
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(readFileSync(f));
    return;
  }
  if (url.pathname.startsWith(LOG)) {
    const rel = url.pathname.slice(LOG.length);
    const file = rel === 'release-proof' ? v.proof : rel === 'binding-proof' ? (v.binding ?? bindingProof) : /^(checkpoint|policy|policy\.sig|tile\/[A-Za-z0-9./]+)$/.test(rel) && !rel.includes('..') ? join(v.log, rel) : null;
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' }).end(readFileSync(file));
    return;
  }
  await relay(req, res, v.server.url);
}

async function listen(server, host, p) {
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(p, host, resolve); });
  servers.push(server);
  return server.address().port;
}

async function profile(user) {
  const p = await guardProfile(join(dir, `profile-${user}`), extension, `${origin}/?probe`, [`--host-resolver-rules=MAP localhost ${IP[user]}`]);
  return { name: user, ...p };
}

/** Enrolls the user's tab (the popup's two buttons); returns the preview's log line. */
async function enroll(u) {
  const p = await openPopup(u.context, u.extId, u.tabId);
  await p.click('#enroll-preview');
  await p.waitForSelector('#enroll-confirm:not([hidden]), #error:not(:empty)');
  assert.equal(await p.textContent('#error'), '', 'the preview failed');
  const line = await p.textContent('#preview-log');
  await p.click('#enroll-trust');
  await p.waitForSelector('body[data-done="enroll-trust"]');
  await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
  await p.close();
  return line;
}

/** The popup's state for the user's tab once it is valid or blocked: { state, text, count, size }. */
async function popupState(u, want) {
  const p = await openPopup(u.context, u.extId, u.tabId);
  try {
    await p.waitForSelector(`#state[data-state="${want}"]`, { timeout: 20000 });
    const log = await p.$('#pin-log');
    return { text: await p.textContent('#state'), count: await log.getAttribute('data-count'), size: await log.getAttribute('data-size'), log: await log.textContent() };
  } finally {
    await p.close();
  }
}

async function clearFailure(u) {
  await u.sw.evaluate(async (o) => {
    const { pins } = await chrome.storage.local.get('pins');
    if (pins[o]) pins[o].failure = null;
    await chrome.storage.local.set({ pins });
  }, origin);
}

/** Loads the site in the user's tab; it must end valid. */
async function loadsGenuine(u, what) {
  await visitSite(u.page, `${origin}/`);
  const s = await popupState(u, 'valid');
  assert.match(s.text, /^Verified/, `${what}: ${s.text}`);
  return s;
}

/** Loads the site in A's tab; it must end on blocked.html with one of `codes`; returns the code. */
async function blocks(u, codes, what) {
  const before = beacons[u.name];
  await clearFailure(u);
  await newBlockedPage(u.page, () => visitSite(u.page, `${origin}/`));
  const code = await u.page.textContent('#code');
  await u.page.waitForTimeout(500); // anything that slipped through has time to call home
  const ran = beacons[u.name] - before;
  results.push(`${what}: the targeted profile blocked ${code} (${(await u.page.textContent('#actual')).slice(0, 160)}); the attacker's code ran ${ran} times`);
  assert.ok(codes.includes(code), `${what}: blocked ${code}, expected ${codes}`);
  assert.equal(ran, 0, `${what}: the attacker's code ran`);
  return code;
}

let genuine, evil, genuine021, genuineLog, genuineProof, m2;

before(async () => {
  assert.ok(existsSync(witnessBin), 'target/debug/sealpost-witness (make build-dev builds it)');
  dir = mkdtempSync(join(tmpdir(), 'sealpost-tlog-guard-'));
  // Two witnesses, and the policy the site publishes, signed by the release key.
  const w = [await startWitness(1), await startWitness(2)];
  policy = readFileSync(join(repo, 'keys/demo-log-policy.txt'), 'utf8').replace('http://127.0.0.1:7101', w[0]).replace('http://127.0.0.1:7102', w[1]);
  writeFileSync(join(dir, 'policy'), policy);
  verify('log', 'sign-policy', join(dir, 'policy'), '--sign-with', releaseKey);
  genuine = release('genuine', '0.2.0');
  evil = release('evil', '0.2.1', { evil: true });
  genuine021 = release('genuine021', '0.2.1');
  m2 = release('m2', '999.0.0', { evil: true });
  for (const r of [genuine, evil, genuine021, m2]) r.server = await serveDemo(r.site, undefined, { releaseCert });
  const server = createServer((req, res) => handler(req, res).catch((e) => { res.writeHead(500).end(String(e)); }));
  port = await listen(server, IP.B, 0);
  await listen(createServer((req, res) => handler(req, res).catch((e) => { res.writeHead(500).end(String(e)); })), IP.A, port);
  await listen(createServer((req, res) => handler(req, res).catch((e) => { res.writeHead(500).end(String(e)); })), IP.C, port);
  origin = `http://localhost:${port}`;
  // The genuine log: one release and the origin's binding to the key and policy (issue 21), cosigned by both witnesses.
  genuineLog = logOf('log', [genuine]);
  const bound = bindOrigin({ logDir: genuineLog, logKey, origin, cert: releaseCert, policyFile: join(dir, 'policy'), out: join(dir, 'binding-proof'), verifyBin });
  genuineProof = proofOf(genuineLog, genuine, 'genuine');
  view.A = view.B = view.C = { server: genuine.server, log: genuineLog, proof: genuineProof };
  bindingProof = bound.proof;
  for (const name of ['A', 'B']) users[name] = await profile(name);
  await waitCooledDown(bound.at, extension);
  // Both users enroll while the server is honest: the preview names the log and its count.
  for (const name of ['A', 'B']) {
    const line = await enroll(users[name]);
    assert.match(line, /^Release log: 1 release\(s\) of sealpost-demo logged in sealpost\.demo\/releases \(checkpoint size 2, witnesses w1, w2\)/, line);
    assert.match(line, /the log binds this site to this key and policy since .* w1 .* w2 /, line);
    const s = await popupState(users[name], 'valid');
    assert.deepEqual([s.count, s.size], ['1', '2'], s.log);
  }
});

after(async () => {
  for (const line of results) console.log(line);
  for (const u of Object.values(users)) await u.context.close().catch(() => {});
  for (const s of servers) { s.closeAllConnections(); s.close(); }
  for (const r of [genuine, evil, genuine021, m2]) await r?.server?.close();
  for (const c of children) c.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('(a) a release signed by the genuine key but not in the log → the targeted profile blocks NOT_LOGGED; its code never runs', async () => {
  // The server serves A the special release with the genuine log's proof (the best it has), B the genuine one.
  view.A = { server: evil.server, log: genuineLog, proof: genuineProof };
  await blocks(users.A, ['NOT_LOGGED'], '(a) not logged');
  // With no proof at all, the same.
  view.A = { server: evil.server, log: genuineLog, proof: join(dir, 'no-such-proof') };
  await blocks(users.A, ['NOT_LOGGED'], '(a) no proof served');
  await loadsGenuine(users.B, '(a) B');
});

test('(b) logged in a fork of the log that the witnesses refuse to cosign → NOT_LOGGED or SPLIT_VIEW; its code never runs', async () => {
  // The fork: the special release in place of the genuine one, signed by the log key (size 1, another root).
  const fork = logOf('fork', [evil]);
  const refused = cosign(fork);
  results.push(`(b) the witnesses asked to cosign the fork: exit ${refused.status}: ${(refused.stdout + refused.stderr).trim().split('\n').slice(-2).join(' / ')}`);
  assert.notEqual(refused.status, 0, 'a witness cosigned a fork');
  view.A = { server: evil.server, log: fork, proof: proofOf(fork, evil, 'fork') };
  const code = await blocks(users.A, ['SPLIT_VIEW', 'NOT_LOGGED'], '(b) forked log');
  if (code === 'SPLIT_VIEW') {
    // The evidence (both checkpoints) is kept and offered in the popup.
    const evidence = await users.A.sw.evaluate(async () => (await chrome.storage.local.get('tlogEvidence')).tlogEvidence || []);
    assert.ok(evidence.some((e) => e.held && e.served && e.held !== e.served), 'both checkpoints kept');
  }
  // A bigger fork (the genuine release dropped, two entries) cosigned by no one: refused as well.
  const fork2 = logOf('fork2', [evil, genuine021]);
  view.A = { server: evil.server, log: fork2, proof: proofOf(fork2, evil, 'fork2') };
  await blocks(users.A, ['SPLIT_VIEW', 'NOT_LOGGED'], '(b) larger fork, not cosigned');
  await loadsGenuine(users.B, '(b) B');
});

test('the genuine release stays usable in both profiles after the attacks', async () => {
  view.A = view.B = { server: genuine.server, log: genuineLog, proof: genuineProof };
  await clearFailure(users.A);
  await loadsGenuine(users.A, 'genuine A');
  await loadsGenuine(users.B, 'genuine B');
});

test('(c) the special release logged properly → it runs for its target, and the log shows everyone two manifests for 0.2.1', async () => {
  // The server logs the special release for A and a genuine 0.2.1 for everyone else; the witnesses cosign (it extends their view).
  verify('log', 'append', genuineLog, '--key', logKey, '--manifest', genuine021.manifest, '--cert', releaseCert);
  verify('log', 'append', genuineLog, '--key', logKey, '--manifest', evil.manifest, '--cert', releaseCert);
  assert.equal(cosign(genuineLog).status, 0, 'the witnesses cosign the extended log');
  view.A = { server: evil.server, log: genuineLog, proof: proofOf(genuineLog, evil, 'evil-logged') };
  view.B = { server: genuine021.server, log: genuineLog, proof: proofOf(genuineLog, genuine021, 'genuine021') };
  const before = beacons.A;
  await loadsGenuine(users.A, '(c) A (the logged special release: consistent with the checkpoint it held)');
  for (let i = 0; i < 40 && beacons.A === before; i++) await users.A.page.waitForTimeout(100);
  results.push(`(c) logged special release: the targeted profile ran it (${beacons.A - before} beacon hits)`);
  assert.ok(beacons.A > before, 'the logged release runs (the log does not judge releases, it makes them public)');
  await loadsGenuine(users.B, '(c) B');
  // The popup counts the log's releases (recounted once the checkpoint advanced) and shows its size.
  let s;
  for (let i = 0; i < 20; i++) {
    s = await popupState(users.A, 'valid');
    if (s.count === '3') break;
    await users.A.page.waitForTimeout(250);
  }
  assert.deepEqual([s.count, s.size], ['3', '4'], s.log);
  assert.match(s.log, /TWO MANIFESTS logged for version 0\.2\.1/);
  // Anyone can see it: the monitor (the "other user", over HTTP, as B's view of the server).
  // (Spawned, not spawnSync: this process is the server it reads.)
  const m = await runAsync(verifyBin, ['log', 'monitor', `${origin.replace('localhost', IP.B)}${LOG}`, '--app', 'sealpost-demo', '--policy', join(dir, 'policy'), '--json']);
  const out = JSON.parse(m.stdout);
  assert.ok(out.releases, `monitor: ${m.stdout}${m.stderr}`);
  results.push(`(c) monitor: exit ${m.status}; ${out.releases.length} releases; problems: ${out.problems.join(' | ')}`);
  assert.equal(m.status, 1, 'monitor reports the split');
  assert.ok(out.releases.some((r) => r.manifest_sha256 === sha256(evil.manifest) && r.version === '0.2.1'), 'the targeted release is listed');
  assert.deepEqual(out.conflicts.map((c) => c.version), ['0.2.1']);
});

/** Sends the popup's requests (as its buttons do, all at once) from a popup page of `u`; resolves to the replies. */
async function fromPopup(u, msgs) {
  const p = await openPopup(u.context, u.extId, u.tabId);
  try {
    return await p.evaluate((ms) => Promise.all(ms.map((m) => chrome.runtime.sendMessage(m))), msgs);
  } finally {
    await p.close();
  }
}
const stored = (u, key) => u.sw.evaluate(async ([k, o]) => ((await chrome.storage.local.get(k))[k] || {})[o] || null, [key, origin]);

test('enrollment pins only the manifest its log check proved: a second fetch served an unlogged 999.0.0 → refused, nothing pinned, its code never runs', async () => {
  users.C = await profile('C');
  const [{ preview }] = await fromPopup(users.C, [{ type: 'preview', origin }]);
  assert.ok(preview && preview.log, 'the honest preview names the log');
  // The log check's fetch gets the logged 0.2.0, the enrollment's own fetch the unlogged 999.0.0 (signed by the genuine key).
  manifestFetches = 0;
  view.C = { server: m2.server, site: m2.site, log: genuineLog, proof: genuineProof, firstManifest: genuine.manifest };
  const before = beacons.C;
  const [r] = await fromPopup(users.C, [{ type: 'enroll', origin, fingerprint: preview.fingerprint }]);
  await users.C.page.waitForTimeout(1000); // anything that slipped through has time to call home
  const pin = await stored(users.C, 'pins');
  results.push(`enrollment with a swapped manifest: ${r.ok ? 'enrolled' : r.error}; ${manifestFetches} manifest fetches; pin ${pin ? pin.version : 'none'}; the attacker's code ran ${beacons.C - before} times`);
  assert.ok(manifestFetches >= 2, 'the manifest was fetched twice');
  assert.equal(r.ok, false, 'the enrollment was refused');
  assert.match(r.error, /another manifest/);
  assert.equal(pin, null, 'nothing pinned');
  assert.equal(await stored(users.C, 'tlogPins'), null, 'no log pin left');
  assert.equal(beacons.C - before, 0, "the attacker's code ran");
});

test('two enroll requests at once (a double click) → one enrollment, the log pin kept; an unlogged release is then blocked', async () => {
  users.C ||= await profile('C');
  view.C = { server: genuine.server, log: genuineLog, proof: genuineProof };
  await fromPopup(users.C, [{ type: 'forget', origin }]); // whatever the case before left
  const [{ preview }] = await fromPopup(users.C, [{ type: 'preview', origin }]);
  const replies = await fromPopup(users.C, [0, 1].map(() => ({ type: 'enroll', origin, fingerprint: preview.fingerprint })));
  results.push(`double enroll: ${replies.map((x) => (x.ok ? 'enrolled' : x.error)).join(' | ')}`);
  assert.equal(replies.filter((x) => x.ok).length, 1, JSON.stringify(replies));
  assert.ok((await stored(users.C, 'pins'))?.fingerprint, 'enrolled');
  assert.ok((await stored(users.C, 'tlogPins'))?.policy, 'the log pin is kept');
  await users.C.page.waitForTimeout(500);
  view.C = { server: evil.server, log: genuineLog, proof: genuineProof };
  await blocks(users.C, ['NOT_LOGGED'], 'after a double enroll, not logged');
});

test("a preview of another site whose policy names its own key under the log's name stores nothing: the enrolled site is not put in SPLIT_VIEW", async () => {
  users.C ||= await profile('C');
  // Site X: its own log key under the genuine log's name, one witness of its own (quorum 1), the policy signed by a release key.
  const xVkey = verify('log', 'keygen', '--origin', 'sealpost.demo/releases', '--out', join(dir, 'x-log.key')).stdout.trim().split('\n').pop().trim();
  assert.match(xVkey, /^sealpost\.demo\/releases\+/);
  const w = await startWitness(1, xVkey, 'wx.sqlite');
  const w1 = policy.split('\n').find((l) => l.startsWith('witness w1 ')).split(' ')[2];
  const xPolicy = join(dir, 'x-policy');
  writeFileSync(xPolicy, `log ${xVkey}\nwitness w1 ${w1} ${w}\nquorum w1\n`);
  verify('log', 'sign-policy', xPolicy, '--sign-with', releaseKey, '--out', join(dir, 'x-policy.sig'));
  const xLog = join(dir, 'x-log');
  verify('log', 'append', xLog, '--key', join(dir, 'x-log.key'), '--manifest', genuine021.manifest, '--cert', releaseCert);
  cpSync(xPolicy, join(xLog, 'policy'));
  cpSync(join(dir, 'x-policy.sig'), join(xLog, 'policy.sig'));
  const c = run(verifyBin, ['log', 'checkpoint', xLog, '--policy', xPolicy], { ok: false });
  assert.equal(c.status, 0, `its witness cosigns: ${c.stdout}${c.stderr}`);
  view.X = { server: genuine021.server, log: xLog, proof: proofOf(xLog, genuine021, 'x') };
  otherPort = await listen(createServer((req, res) => handler(req, res).catch((e) => { res.writeHead(500).end(String(e)); })), IP.C, 0);
  const other = `http://localhost:${otherPort}`;
  view.C = { server: genuine.server, log: genuineLog, proof: genuineProof };
  if (!(await stored(users.C, 'pins'))) await enroll(users.C); // run alone
  const held = () => users.C.sw.evaluate(async () => (await chrome.storage.local.get('tlogCheckpoints')).tlogCheckpoints || {});
  const before = await held();
  const [r] = await fromPopup(users.C, [{ type: 'preview', origin: other }]);
  results.push(`preview of a site naming its own key under the log's name: ${r.ok ? `log ${r.preview.log && r.preview.log.log}, size ${r.preview.log && r.preview.log.size}` : r.error}`);
  // Its binding would be dated by its own witness only, which the guard does not ship (issue 21): not bound.
  assert.ok(!r.ok && /NOT_BOUND/.test(r.error), `the other site's preview: ${r.ok ? 'previewed' : r.error}`);
  assert.deepEqual(await held(), before, 'a preview stores no checkpoint');
  await clearFailure(users.C);
  await loadsGenuine(users.C, 'the enrolled site after the preview');
});
