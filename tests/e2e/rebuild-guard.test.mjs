// Independent rebuilders, enforced by the guard (issue 21).  The site's log
// policy, signed by its release key and pinned at enrollment, names two
// rebuilders (r1, r2) and a rebuild quorum of 2.  A release runs only when
// the log holds, under the checkpoint its own inclusion is proven under,
// attestations by both that they rebuilt exactly its manifest from source.
//
// The source is a git tree holding the demo site (build/site-dev) whose
// app.js starts with `0&&navigator.sendBeacon('/__beacon?evil');` — dead
// code.  The attacker (the server: it holds the release key and the log
// key) flips that one byte to `1`, fixes index.html's SRI, re-signs the
// manifest with the genuine release key and logs it properly (cosigned by
// both witnesses): every check of issue 20 passes.  The rebuilders run the
// real `sealpost-verify rebuild` (the commit's tree exported, "built",
// compared byte by byte): the flipped release does not reproduce, so nobody
// honest attests it, and the guard blocks it NOT_REBUILT with the attacker's
// beacon counted at 0 — also when the server replays the genuine release's
// attestations, adds one by a key outside the policy, one by r1 alone
// (a dishonest rebuilder), one that is not in the log, or stalls the proofs.
// A genuine new release runs once r1 and r2 attested it; until then the
// release in force (0.3.0) keeps running while the server still serves its
// files, and anything else under the newer manifest is NOT_REBUILT.  A guard
// build carrying its own rebuilder (r3) asks for r3's attestation as well.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { bindOrigin, newBlockedPage, openPopup, repo, serveDemo, startWitness as witness, visitSite, waitCooledDown } from './helpers.mjs';

const extension = process.env.SEALPOST_EXTENSION || join(repo, 'build/extension');
const siteSrc = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const verifyBin = process.env.SEALPOST_VERIFY || join(repo, 'target/debug/sealpost-verify');
const witnessBin = join(repo, 'target/debug/sealpost-witness');
const releaseKey = join(repo, 'keys/demo-release.key');
const releaseCert = join(repo, 'keys/demo-release.cert');
const logKey = join(repo, 'keys/demo-log.key');
const EPOCH = '1796000000';
const DEAD = "0&&navigator.sendBeacon('/__beacon?evil');\n";
const LIVE = "1&&navigator.sendBeacon('/__beacon?evil');\n";
const BUILD = 'rm -rf dist && cp -r site dist';
const LOG = '/.well-known/sealpost/log/';

let dir, src, logDir, policyFile, origin, user, boundAt, rk;
const servers = [];
const children = [];
const releases = [];
const results = [];
let beacons = 0;
/** What the server shows now: { server, proof, rebuild, stallRebuild }. */
let view = null;

function run(cmd, args, { ok = true, env } = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: env ? { ...process.env, ...env } : process.env });
  if (ok) assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r;
}
const verify = (...args) => run(verifyBin, args);
const sri = (b) => 'sha384-' + createHash('sha384').update(b).digest('base64');
const sha256 = (f) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** A release built from the source tree's site (`flip`: the one byte changed after the build), signed by the genuine key. */
function release(name, version, { flip = false } = {}) {
  const site = join(dir, name);
  cpSync(join(src, 'site'), site, { recursive: true });
  if (flip) {
    const app = readFileSync(join(site, 'app.js'));
    const bad = Buffer.from(app);
    assert.equal(bad[0], '0'.charCodeAt(0));
    bad[0] = '1'.charCodeAt(0);
    writeFileSync(join(site, 'app.js'), bad);
    const html = readFileSync(join(site, 'index.html'), 'utf8');
    writeFileSync(join(site, 'index.html'), html.replace(sri(app), sri(bad)));
  }
  run(verifyBin, ['manifest', site, '--out', join(site, 'manifest.json'), '--app', 'sealpost-demo', '--release-version', version,
    '--source', src, '--sign-with', releaseKey], { env: { SOURCE_DATE_EPOCH: EPOCH } });
  const r = { name, site, manifest: join(site, 'manifest.json') };
  releases.push(r);
  return r;
}

const append = (r) => verify('log', 'append', logDir, '--key', logKey, '--manifest', r.manifest, '--cert', releaseCert);
const cosign = () => verify('log', 'checkpoint', logDir, '--policy', policyFile);

/** The rebuilder `key` rebuilds `r` from the source (`build`: its build command) and, on a match, logs its attestation. */
function rebuild(r, key, { build = BUILD, log = true } = {}) {
  const out = join(dir, `${r.name}-${key.split('/').pop()}.att`);
  const args = ['rebuild', '--source', src, '--manifest', r.manifest, '--build-cmd', build, '--attest', key, '--attestation-out', out];
  if (log) args.push('--log', logDir, '--log-key', logKey);
  const res = run(verifyBin, args, { ok: false });
  return { status: res.status, out, text: res.stdout + res.stderr };
}

/** The release's proof and its attestations' proofs, under the log's current checkpoint. */
function proofs(r) {
  const proof = join(dir, `${r.name}.proof`);
  const rebuildProofs = join(dir, `${r.name}.rebuild-proofs`);
  verify('log', 'prove', logDir, '--manifest', r.manifest, '--out', proof);
  verify('log', 'prove', logDir, '--manifest', r.manifest, '--attestations', '--out', rebuildProofs);
  return { proof, rebuild: rebuildProofs, count: JSON.parse(readFileSync(rebuildProofs, 'utf8')).length };
}

const startWitness = (n) => witness(n, { dir, children });

async function handler(req, res) {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/__beacon') {
    beacons++;
    res.writeHead(204).end();
    return;
  }
  if (url.pathname.startsWith(LOG)) {
    const rel = url.pathname.slice(LOG.length);
    if (rel === 'rebuild-proofs' && view.stallRebuild) await new Promise((r) => setTimeout(r, 8000));
    const file = rel === 'release-proof' ? view.proof : rel === 'rebuild-proofs' ? view.rebuild : rel === 'binding-proof' ? join(dir, 'binding-proof')
      : rel === 'policy' && view.policy ? view.policy : rel === 'policy.sig' && view.policySig ? view.policySig
      : /^(checkpoint|policy|policy\.sig|tile\/[A-Za-z0-9./]+)$/.test(rel) && !rel.includes('..') ? join(logDir, rel) : null;
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' }).end(readFileSync(file));
    return;
  }
  const signed = /^\/\.well-known\/sealpost\/(manifest\.json(?:\.sig)?)$/.exec(url.pathname);
  if (view.manifestFrom && signed) {
    // A server that publishes one release's signed manifest and serves another's files.
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(readFileSync(join(view.manifestFrom, signed[1])));
    return;
  }
  const body = ['GET', 'HEAD'].includes(req.method) ? undefined : await new Promise((r) => { const c = []; req.on('data', (d) => c.push(d)); req.on('end', () => r(Buffer.concat(c))); });
  const r = await fetch(new URL(req.url, view.server.url), { method: req.method, body, headers: { 'sec-fetch-dest': req.headers['sec-fetch-dest'] || '', 'content-type': req.headers['content-type'] || '' } });
  const b = Buffer.from(await r.arrayBuffer());
  const headers = Object.fromEntries([...r.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)));
  res.writeHead(r.status, { ...headers, 'content-length': b.length, connection: 'close' }).end(b);
}

async function profile(ext = extension, name = 'profile') {
  const context = await chromium.launchPersistentContext(join(dir, name), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: false,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disable-extensions-except=${ext}`, `--load-extension=${ext}`],
  });
  const sw = context.serviceWorkers()[0] || await context.waitForEvent('serviceworker', { timeout: 20000 });
  const extId = new URL(sw.url()).host;
  const page = await context.newPage();
  await page.goto(`${origin}/?probe`);
  const tabId = await sw.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u).id, `${origin}/?probe`);
  return { context, sw, extId, page, tabId };
}

async function popupState(want) {
  const p = await openPopup(user.context, user.extId, user.tabId);
  try {
    // Valid means a verified load (the tab may still be going through an earlier one: the enrollment's restore, a reload).
    await p.waitForFunction((w) => {
      const el = document.getElementById('state');
      return el.dataset.state === w && (w !== 'valid' || el.textContent.startsWith('Verified'));
    }, want, { timeout: 30000 }).catch(async (e) => {
      // Say what the popup showed instead (a timeout alone does not tell a block from a stall).
      const seen = await p.evaluate(() => {
        const el = document.getElementById('state');
        return `${el.dataset.state}: ${el.textContent} | failure: ${document.getElementById('failure')?.textContent}`;
      }).catch(() => 'unreadable');
      throw new Error(`the popup never showed ${want} in 30 s; it shows ${seen.slice(0, 600)} (${e.message})`);
    });
    return { text: await p.textContent('#state'), log: await p.textContent('#pin-log'), failure: await p.textContent('#failure') };
  } finally {
    await p.close();
  }
}

async function clearFailure() {
  await user.sw.evaluate(async (o) => {
    const { pins } = await chrome.storage.local.get('pins');
    if (pins[o]) pins[o].failure = null;
    await chrome.storage.local.set({ pins });
  }, origin);
}

/** Loads the site; it must end blocked with one of `codes` and the attacker's code must not have run. */
async function blocks(codes, what) {
  const before = beacons;
  await clearFailure();
  await newBlockedPage(user.page, () => visitSite(user.page, `${origin}/`));
  const code = await user.page.textContent('#code');
  const actual = await user.page.textContent('#actual');
  const detail = await user.page.textContent('#detail');
  await user.page.waitForTimeout(500); // anything that slipped through has time to call home
  results.push(`${what}: blocked ${code} (${actual.slice(0, 200)}); the attacker's code ran ${beacons - before} times`);
  assert.ok(codes.includes(code), `${what}: blocked ${code}: ${actual}`);
  assert.equal(beacons - before, 0, `${what}: the attacker's code ran`);
  return { code, actual, detail };
}

async function loads(what) {
  await clearFailure();
  await visitSite(user.page, `${origin}/`);
  const s = await popupState('valid');
  assert.match(s.text, /^Verified/, `${what}: ${s.text}`);
  return s;
}

let genuine, evil, next;

before(async () => {
  assert.ok(existsSync(witnessBin), 'target/debug/sealpost-witness (make build-dev builds it)');
  dir = mkdtempSync(join(tmpdir(), 'sealpost-rebuild-guard-'));
  // The source: the demo site with a dead beacon call first in app.js, committed.
  src = join(dir, 'src');
  mkdirSync(src);
  cpSync(siteSrc, join(src, 'site'), { recursive: true });
  const app = readFileSync(join(src, 'site/app.js'));
  const withDead = Buffer.concat([Buffer.from(DEAD), app]);
  writeFileSync(join(src, 'site/app.js'), withDead);
  const html = readFileSync(join(src, 'site/index.html'), 'utf8');
  assert.ok(html.includes(sri(app)), 'index.html names app.js by its hash');
  writeFileSync(join(src, 'site/index.html'), html.replace(sri(app), sri(withDead)));
  for (const args of [['init', '-q'], ['add', '.'], ['-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'release']]) run('git', ['-C', src, ...args]);
  // Rebuilder keys: r1 and r2 in the policy, r3 not.
  rk = {};
  for (const r of ['r1', 'r2', 'r3']) {
    rk[r] = verify('log', 'keygen', '--origin', `${r}.rebuilders.test/sealpost`, '--out', join(dir, `${r}.key`)).stdout.trim().split('\n').pop().trim();
  }
  const w = [await startWitness(1), await startWitness(2)];
  const policy = readFileSync(join(repo, 'keys/demo-log-policy.txt'), 'utf8').replace('http://127.0.0.1:7101', w[0]).replace('http://127.0.0.1:7102', w[1])
    + `rebuilder r1 ${rk.r1}\nrebuilder r2 ${rk.r2}\nrebuild-quorum 2\n`;
  policyFile = join(dir, 'policy');
  writeFileSync(policyFile, policy);
  logDir = join(dir, 'log');
  mkdirSync(logDir);
  writeFileSync(join(logDir, 'policy'), policy);
  verify('log', 'sign-policy', join(logDir, 'policy'), '--sign-with', releaseKey);
  const server = createServer((req, res) => handler(req, res).catch((e) => { res.writeHead(500).end(String(e)); }));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  origin = `http://localhost:${server.address().port}`;
  // The origin bound to the release key and this policy (issue 21): its cool-down runs during the rebuilds.
  boundAt = bindOrigin({ logDir, logKey, origin, cert: releaseCert, policyFile: join(logDir, 'policy'), cosignPolicy: policyFile, out: join(dir, 'binding-proof'), verifyBin }).at;
  // The genuine 0.3.0: logged, rebuilt and attested by r1 and r2, cosigned.
  genuine = release('genuine', '0.3.0');
  append(genuine);
  const t0 = Date.now();
  for (const r of ['r1', 'r2']) {
    const a = rebuild(genuine, join(dir, `${r}.key`));
    assert.equal(a.status, 0, a.text);
  }
  results.push(`two rebuilds of the genuine release with attestation: ${Date.now() - t0} ms; attestation ${readFileSync(join(dir, 'genuine-r1.key.att')).length} bytes`);
  cosign();
  genuine = { ...genuine, ...proofs(genuine) };
  assert.equal(genuine.count, 2);
  genuine.server = await serveDemo(genuine.site, undefined, { releaseCert });
  view = { server: genuine.server, proof: genuine.proof, rebuild: genuine.rebuild };
  user = await profile();
});

let own = null;

after(async () => {
  for (const line of results) console.log(line);
  await own?.context.close().catch(() => {});
  await user?.context.close().catch(() => {});
  for (const s of servers) { s.closeAllConnections(); s.close(); }
  for (const r of [genuine, evil, next]) await r?.server?.close();
  for (const c of children) c.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('enrollment shows the policy\'s rebuilders; the genuine release, attested by both, runs', async () => {
  await waitCooledDown(boundAt, extension);
  const p = await openPopup(user.context, user.extId, user.tabId);
  await p.click('#enroll-preview');
  await p.waitForSelector('#enroll-confirm:not([hidden]), #error:not(:empty)');
  assert.equal(await p.textContent('#error'), '', 'the preview failed');
  const line = await p.textContent('#preview-log');
  results.push(`preview: ${line}`);
  assert.match(line, /releases must be rebuilt by 2 of r1, r2; 0\.3\.0 rebuilt from source by r1, r2/);
  await p.click('#enroll-trust');
  await p.waitForSelector('body[data-done="enroll-trust"]');
  await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
  await p.close();
  await loads('genuine 0.3.0');
  assert.equal(beacons, 0, 'the dead code stayed dead');
});

test('a release one byte away from its source, re-signed and logged → NOT_REBUILT, its code never runs, whatever attestations are served', async () => {
  evil = release('evil', '0.3.1', { flip: true });
  append(evil);
  // Honest rebuilders do not reproduce it: nothing signed, nothing logged.
  const honest = rebuild(evil, join(dir, 'r1.key'));
  assert.equal(honest.status, 1, honest.text);
  assert.match(honest.text, /MISMATCH +app\.js/);
  assert.ok(!existsSync(honest.out), 'no attestation');
  cosign();
  evil = { ...evil, ...proofs(evil) };
  assert.equal(evil.count, 0);
  evil.server = await serveDemo(evil.site, undefined, { releaseCert });
  // (1) no attestation at all.
  view = { server: evil.server, proof: evil.proof, rebuild: evil.rebuild };
  const first = await blocks(['NOT_REBUILT'], '(1) no attestation');
  assert.match(first.actual, /0 of the 2 .*missing: r1, r2/);
  // Judged against 0.3.0, the release in force (issue 21: kept while a newer one awaits attestations): its own page differs.
  assert.match(first.detail, /the site serves files of 0\.3\.1 \(FILE_MISMATCH .* against 0\.3\.0/);
  // (2) the genuine release's attestations replayed (another manifest), under the current checkpoint.
  const replay = join(dir, 'replay.json');
  const g = proofs(genuine);
  writeFileSync(replay, readFileSync(g.rebuild));
  view = { server: evil.server, proof: evil.proof, rebuild: replay };
  const second = await blocks(['NOT_REBUILT'], '(2) the genuine release\'s attestations replayed');
  assert.match(second.actual, /not this release/);
  // (3) a rebuilder outside the policy (r3) and a dishonest r1 attest it, logged: they "build" by copying the served bytes.
  const cheat = `rm -rf dist && cp -r ${evil.site} dist`;
  for (const r of ['r3', 'r1']) assert.equal(rebuild(evil, join(dir, `${r}.key`), { build: cheat }).status, 0);
  // (4) and r2's, signed but never logged, carried by another leaf's proof.
  const unlogged = rebuild(evil, join(dir, 'r2.key'), { build: cheat, log: false });
  assert.equal(unlogged.status, 0, unlogged.text);
  cosign();
  evil = { ...evil, ...proofs(evil) };
  assert.equal(evil.count, 2);
  const served = JSON.parse(readFileSync(evil.rebuild, 'utf8'));
  const fake = served[0].replace(/^extra .*$/m, `extra ${readFileSync(unlogged.out).toString('base64')}`);
  const all = join(dir, 'evil-all.json');
  writeFileSync(all, JSON.stringify([...served, fake]));
  view = { server: evil.server, proof: evil.proof, rebuild: all };
  const third = await blocks(['NOT_REBUILT'], '(3, 4) attested by r1 alone, by r3 (not in the policy), by r2 not in the log');
  assert.match(third.actual, /1 of the 2 .*missing: r2/);
  assert.match(third.actual, /a key the pinned policy does not name/);
  assert.match(third.actual, /not in the log/);
  // (5) the proofs stalled past the fetch deadline: still blocked.
  view = { ...view, stallRebuild: true };
  await blocks(['NOT_REBUILT', 'DEADLINE'], '(5) rebuild-proofs stalled');
  const s = await popupState('blocked');
  assert.match(s.failure, /NOT_REBUILT|DEADLINE/);
});

test('a genuine new release awaiting attestations: the previous release keeps running while its files are served; then the new one runs', async () => {
  next = release('next', '0.3.2');
  append(next);
  cosign();
  next = { ...next, ...proofs(next) };
  next.server = await serveDemo(next.site, undefined, { releaseCert });
  // The site publishes 0.3.2's signed, logged manifest but still serves 0.3.0's files (the same source: the
  // same bytes): the load is judged against 0.3.0, the release in force, and runs; the popup names who is awaited.
  view = { server: genuine.server, manifestFrom: next.site, proof: next.proof, rebuild: next.rebuild };
  const waiting = await loads('0.3.2 published, 0.3.0 served');
  results.push(`0.3.2 awaiting its rebuilders, 0.3.0 served: ${waiting.text}`);
  assert.match(waiting.text, /^Verified: sealpost-demo 0\.3\.0, .* Release 0\.3\.2 awaits attestations by r1, r2; running 0\.3\.0\.$/);
  const kept = await user.sw.evaluate(async (o) => (await chrome.storage.local.get('pins')).pins[o], origin);
  assert.deepEqual([kept.version, kept.policyVersion, kept.release.version], ['0.3.0', '0.3.0', '0.3.0'], 'the ratchet and the rules stay at 0.3.0');
  // Its index.html under 0.3.2's manifest path is the same bytes; a served file of another release is not:
  // the evil 0.3.1's files with 0.3.2's manifest → NOT_REBUILT, its code never runs.
  view = { server: evil.server, manifestFrom: next.site, proof: next.proof, rebuild: next.rebuild };
  const other = await blocks(['NOT_REBUILT'], '0.3.2 published, other files served');
  assert.match(other.actual, /missing: r1, r2/);
  assert.match(other.detail, /files of 0\.3\.2 \(FILE_MISMATCH .* against 0\.3\.0/);
  view = { server: next.server, proof: next.proof, rebuild: next.rebuild };
  const t0 = Date.now();
  for (const r of ['r1', 'r2']) assert.equal(rebuild(next, join(dir, `${r}.key`)).status, 0);
  const rebuildMs = Date.now() - t0;
  cosign();
  next = { ...next, ...proofs(next) };
  view = { server: next.server, proof: next.proof, rebuild: next.rebuild };
  const t1 = Date.now();
  await loads('genuine 0.3.2 attested by r1 and r2');
  results.push(`genuine 0.3.2: rebuilt and attested by two rebuilders in ${rebuildMs} ms; then loaded valid in ${Date.now() - t1} ms (load + popup)`);
  const s = await popupState('valid');
  results.push(`popup after the attested 0.3.2: ${s.text}`);
  assert.match(s.log, /0\.3\.2 rebuilt from source by r1, r2/);
  // The guard's added cost for a new release, in its own wasm (this build), in Node: the log check
  // (inclusion under a cosigned checkpoint) and the rebuild check (two attestations), per call.
  const pkg = join(extension, 'pkg');
  const wasm = await import(join(pkg, 'sealpost_verifier_wasm.js'));
  wasm.initSync({ module: readFileSync(join(pkg, 'sealpost_verifier_wasm_bg.wasm')) });
  const policyText = readFileSync(policyFile, 'utf8');
  const [proof, manifestBytes] = [readFileSync(next.proof), readFileSync(next.manifest)];
  const served = JSON.parse(readFileSync(next.rebuild, 'utf8'));
  const fpr = wasm.certInfo(readFileSync(releaseCert)).fingerprint;
  const time = (fn, n = 50) => { fn(); const t = performance.now(); for (let i = 0; i < n; i++) fn(); return (performance.now() - t) / n; };
  const logMs = time(() => assert.ok(wasm.tlogCheckRelease(policyText, proof, manifestBytes, fpr, null, null).logged));
  const rebuiltMs = time(() => assert.deepEqual(wasm.tlogCheckRebuilt(policyText, proof, manifestBytes, served).rebuilders, ['r1', 'r2']));
  results.push(`guard wasm per new release (50 calls each): log check ${logMs.toFixed(1)} ms, rebuild check (2 attestations) ${rebuiltMs.toFixed(1)} ms; rebuild-proofs ${readFileSync(next.rebuild).length} bytes`);
  assert.match(s.text, /0\.3\.2/);
  assert.equal(beacons, 0);
  // Anyone can see who rebuilt what: the monitor lists the attestations (r3's and the dishonest r1's of 0.3.1 too).
  const m = run(verifyBin, ['log', 'monitor', logDir, '--app', 'sealpost-demo', '--policy', policyFile, '--json'], { ok: false });
  const out = JSON.parse(m.stdout);
  const by = Object.fromEntries(out.releases.map((r) => [r.version, r.attested_by.length]));
  results.push(`monitor: attestations per version ${JSON.stringify(by)}`);
  assert.deepEqual(by, { '0.3.0': 2, '0.3.1': 2, '0.3.2': 2 });
  assert.equal(out.releases.find((r) => r.version === '0.3.1').manifest_sha256, sha256(evil.manifest));
});

test('positive control: the same one-byte change, falsely attested by a quorum (r1 and r2 both "rebuild" by copying the served bytes), runs — and its beacon is counted', async () => {
  // What the guard can and cannot see: it trusts a quorum of the policy's rebuilders. When that
  // quorum lies, the changed code runs; this proves the beacon counting above would have seen it.
  let liar = release('liar', '0.3.3', { flip: true });
  append(liar);
  const cheat = `rm -rf dist && cp -r ${liar.site} dist`;
  for (const r of ['r1', 'r2']) assert.equal(rebuild(liar, join(dir, `${r}.key`), { build: cheat }).status, 0);
  cosign();
  liar = { ...liar, ...proofs(liar) };
  assert.equal(liar.count, 2);
  liar.server = await serveDemo(liar.site, undefined, { releaseCert });
  try {
    view = { server: liar.server, proof: liar.proof, rebuild: liar.rebuild };
    const before = beacons;
    await loads('0.3.3 falsely attested by r1 and r2');
    for (let i = 0; i < 50 && beacons === before; i++) await user.page.waitForTimeout(100);
    results.push(`positive control 0.3.3 (flipped, attested by a lying quorum): ran, beacons ${beacons - before}`);
    assert.ok(beacons > before, 'the flipped code ran and its beacon was counted');
  } finally {
    await liar.server.close();
  }
});

test('forgotten, then offered again with a policy that asks for fewer rebuilds → POLICY_WEAKER (the floor outlives forget), nothing pinned', async () => {
  const p0 = await openPopup(user.context, user.extId, user.tabId);
  const r = await p0.evaluate((o) => chrome.runtime.sendMessage({ type: 'forget', origin: o }), origin);
  await p0.close();
  assert.equal(r.ok, true, r.error);
  // The same log and witnesses, no rebuilder: signed by the genuine key (the server holds it).
  const weaker = join(dir, 'weaker-policy');
  writeFileSync(weaker, readFileSync(policyFile, 'utf8').replace(/^rebuild(er|-quorum) .*\n/gm, ''));
  verify('log', 'sign-policy', weaker, '--sign-with', releaseKey);
  view = { server: next.server, proof: next.proof, rebuild: next.rebuild, policy: weaker, policySig: `${weaker}.sig` };
  const p = await openPopup(user.context, user.extId, user.tabId);
  try {
    await p.click('#enroll-preview');
    await p.waitForSelector('#enroll-confirm:not([hidden]), #error:not(:empty)');
    const error = await p.textContent('#error');
    results.push(`re-enrollment with no rebuilders: ${error}`);
    assert.match(error, /^POLICY_WEAKER: the site's log policy no longer names the rebuilder\(s\) /);
  } finally {
    await p.close();
  }
  const st = await user.sw.evaluate(async (o) => {
    const s = await chrome.storage.local.get(['pins', 'tlogPins', 'policyFloors']);
    return { pin: (s.pins || {})[o] || null, logPin: (s.tlogPins || {})[o] || null, floor: (s.policyFloors || {})[o] || null };
  }, origin);
  assert.deepEqual([st.pin, st.logPin, st.floor.rebuildQuorum, st.floor.rebuilderKeys.length], [null, null, 2, 2]);
});

test('a guard build with its own rebuilder (r3, not in the site\'s policy): a release attested only by the site\'s rebuilders is NOT_REBUILT naming r3, and runs once r3 attested it', async () => {
  // An extension copy whose guard-config.js (tools/guard-config.mjs --rebuilders) names r3, quorum 1.
  const copy = join(dir, 'extension-own-rebuilder');
  cpSync(extension, copy, { recursive: true });
  const list = join(dir, 'guard-rebuilders');
  writeFileSync(list, `rebuilder r3 ${rk.r3}\nrebuild-quorum 1\n`);
  const coolDown = /BINDING_COOL_DOWN_SECS = (\d+)/.exec(readFileSync(join(extension, 'guard-config.js'), 'utf8'))[1];
  run(process.execPath, [join(repo, 'tools/guard-config.mjs'), '--witnesses', join(repo, 'keys/demo-log-policy.txt'), '--cool-down', coolDown,
    '--label', 'test', '--rebuilders', list, '--out', join(copy, 'guard-config.js')]);
  assert.match(readFileSync(join(copy, 'guard-config.js'), 'utf8'), /GUARD_REBUILDERS = "rebuilder r3 /);
  own = await profile(copy, 'profile-own-rebuilder');
  const state = async () => {
    const p = await openPopup(own.context, own.extId, own.tabId);
    try {
      await p.waitForFunction(() => ['valid', 'blocked'].includes(document.getElementById('state').dataset.state)
        && !document.getElementById('state').textContent.startsWith('Checking'), null, { timeout: 30000 });
      return { state: await p.$eval('#state', (e) => e.dataset.state), text: await p.textContent('#state') };
    } finally {
      await p.close();
    }
  };
  const enroll = async () => {
    const p = await openPopup(own.context, own.extId, own.tabId);
    try {
      await p.click('#enroll-preview');
      await p.waitForSelector('#enroll-confirm:not([hidden]), #error:not(:empty)');
      const error = await p.textContent('#error');
      if (!error) {
        await p.click('#enroll-trust');
        await p.waitForSelector('body[data-done="enroll-trust"]');
      }
      return error;
    } finally {
      await p.close();
    }
  };
  // The genuine 0.3.2, attested by r1 and r2 (the site's quorum): this guard does not enroll it.
  next = { ...next, ...proofs(next) };
  view = { server: next.server, proof: next.proof, rebuild: next.rebuild };
  const refused = await enroll();
  results.push(`own rebuilder r3, 0.3.2 attested by r1, r2 only: enrollment ${refused.slice(0, 220)}`);
  assert.match(refused, /^NOT_REBUILT: the site's release is not attested: the guard's own rebuilders: 0 of the 1 .*missing: r3/);
  // r3 rebuilds it from the source and attests: enrolled, and it runs.
  assert.equal(rebuild(next, join(dir, 'r3.key')).status, 0);
  cosign();
  next = { ...next, ...proofs(next) };
  view = { server: next.server, proof: next.proof, rebuild: next.rebuild };
  assert.equal(await enroll(), '');
  await visitSite(own.page, `${origin}/`);
  for (let i = 0; i < 60 && !/^Verified: sealpost-demo 0\.3\.2/.test((await state()).text); i++) await own.page.waitForTimeout(250);
  assert.match((await state()).text, /^Verified: sealpost-demo 0\.3\.2/);
  // A later release attested by r1 and r2 only: its (other) files → NOT_REBUILT naming r3, the attacker's code never runs.
  let later = release('later', '0.3.4');
  append(later);
  for (const r of ['r1', 'r2']) assert.equal(rebuild(later, join(dir, `${r}.key`)).status, 0);
  cosign();
  later = { ...later, ...proofs(later) };
  assert.equal(later.count, 2);
  view = { server: evil.server, manifestFrom: later.site, proof: later.proof, rebuild: later.rebuild };
  const before = beacons;
  await newBlockedPage(own.page, () => visitSite(own.page, `${origin}/`));
  const [code, actual, expected] = [await own.page.textContent('#code'), await own.page.textContent('#actual'), await own.page.textContent('#expected')];
  await own.page.waitForTimeout(500);
  results.push(`own rebuilder r3, 0.3.4 attested by r1, r2 only, other files: blocked ${code} (${actual.slice(0, 160)}); the attacker's code ran ${beacons - before} times`);
  assert.equal(code, 'NOT_REBUILT');
  assert.match(actual, /^the guard's own rebuilders: 0 of the 1 .*missing: r3/);
  assert.match(expected, /guard's own rebuilders r3/);
  assert.equal(beacons - before, 0);
  // Once r3 attested 0.3.4 as well, it runs.
  assert.equal(rebuild(later, join(dir, 'r3.key')).status, 0);
  cosign();
  later = { ...later, ...proofs(later) };
  later.server = await serveDemo(later.site, undefined, { releaseCert });
  try {
    view = { server: later.server, proof: later.proof, rebuild: later.rebuild };
    await own.sw.evaluate(async (o) => {
      const { pins } = await chrome.storage.local.get('pins');
      if (pins[o]) pins[o].failure = null;
      await chrome.storage.local.set({ pins });
    }, origin);
    await visitSite(own.page, `${origin}/`);
    let s;
    for (let i = 0; i < 60 && !/^Verified: sealpost-demo 0\.3\.4/.test((s = await state()).text); i++) await own.page.waitForTimeout(250);
    results.push(`own rebuilder r3, 0.3.4 attested by r1, r2, r3: ${s.text}`);
    assert.match(s.text, /^Verified: sealpost-demo 0\.3\.4/);
    assert.equal(beacons - before, 0);
  } finally {
    await later.server.close();
  }
});
