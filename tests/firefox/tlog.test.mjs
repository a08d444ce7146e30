// The release log checks of issue 20 (tlog.js) in Firefox ESR.  The server
// holds the genuine release key and the log key; two real witnesses
// (sealpost-witness, SQLite) hold the log to one history.  The origin is
// enrolled while honest (the log's policy pinned); then the server serves a
// release signed by the genuine key whose app.js calls /__beacon?evil first:
//  (a) not in the log (the genuine log's proof, then no proof) → NOT_LOGGED;
//  (b) in a fork of the log the witnesses refuse to cosign → NOT_LOGGED or
//      SPLIT_VIEW (both checkpoints kept as evidence).
// Each time the attacker's code ran 0 times (in Firefox the hold delivers
// none of it), and the genuine release loads valid again afterwards.  The
// Chromium suite (two profiles, a logged targeted release, the monitor) is
// tests/e2e/tlog-guard.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockedReason, enrollOrigin, enrollViaPopup, guardStatus, inExtension, repo, serveDemo, startFirefox, tabIdOf, waitFor } from './helpers.mjs';
import { bindOrigin, startWitness as witness, waitCooledDown } from '../e2e/helpers.mjs';

const siteSrc = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const verifyBin = process.env.SEALPOST_VERIFY || join(repo, 'target/debug/sealpost-verify');
const witnessBin = join(repo, 'target/debug/sealpost-witness');
const releaseKey = join(repo, 'keys/demo-release.key');
const releaseCert = join(repo, 'keys/demo-release.cert');
const LOG = '/.well-known/sealpost/log/';

let dir, front, origin, ff, driver, tabId, genuine, evil, genuineLog, genuineProof, bindingProof;
const children = [];
const results = [];
let beacons = 0;
/** What the server shows now: { server (a demo server of one release), log (directory), proof (file) }. */
let view;

function verify(...args) {
  const r = spawnSync(verifyBin, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `sealpost-verify ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r;
}
const sri = (b) => `sha384-${createHash('sha384').update(b).digest('base64')}`;

/** A signed release of the demo; `evil`: app.js calls home first (index.html names its new hash). */
function release(name, version, { evil: hostile = false } = {}) {
  const site = join(dir, name);
  cpSync(siteSrc, site, { recursive: true });
  if (hostile) {
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

/** A log directory of these releases (appended with the demo log key) and the site's policy. */
function logOf(name, releases) {
  const d = join(dir, name);
  for (const r of releases) verify('log', 'append', d, '--key', join(repo, 'keys/demo-log.key'), '--manifest', r.manifest, '--cert', releaseCert);
  cpSync(join(dir, 'policy'), join(d, 'policy'));
  cpSync(join(dir, 'policy.sig'), join(d, 'policy.sig'));
  return d;
}

const cosign = (d) => spawnSync(verifyBin, ['log', 'checkpoint', d, '--policy', join(dir, 'policy')], { encoding: 'utf8' });

function proofOf(d, r, name) {
  const out = join(dir, `${name}.proof`);
  verify('log', 'prove', d, '--manifest', r.manifest, '--out', out);
  return out;
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
    const file = rel === 'release-proof' ? view.proof : rel === 'binding-proof' ? bindingProof : /^(checkpoint|policy|policy\.sig|tile\/[A-Za-z0-9./]+)$/.test(rel) && !rel.includes('..') ? join(view.log, rel) : null;
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' }).end(readFileSync(file));
    return;
  }
  const r = await fetch(new URL(req.url, view.server.url));
  const b = Buffer.from(await r.arrayBuffer());
  const headers = Object.fromEntries([...r.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)));
  res.writeHead(r.status, { ...headers, 'content-length': b.length }).end(b);
}

/** The tab's load must end valid (read from the guard's status once the page shows its verdict). */
async function loadsGenuine(what) {
  await driver.get(`${origin}/`).catch(() => {});
  const shown = await waitFor(`${what}: a verdict in the page`, async () => ((await driver.getCurrentUrl()).includes('/blocked.html') ? 'blocked'
    : (await driver.executeScript('return document.documentElement.dataset.sealpostVerified !== undefined')) && 'valid'), 20000);
  assert.equal(shown, 'valid', `${what}: ${JSON.stringify((await guardStatus(driver, tabId)).load)}`);
}

/** A load of the hostile view must end blocked with one of `codes`, the attacker's code run 0 times. */
async function blocks(codes, what) {
  const before = beacons;
  await inExtension(driver, `const { pins } = await browser.storage.local.get('pins');
    if (pins[arguments[0]]) pins[arguments[0]].failure = null;
    await browser.storage.local.set({ pins });`, origin);
  await driver.get(`${origin}/`).catch(() => {});
  const r = await blockedReason(driver, 20000);
  await new Promise((res) => setTimeout(res, 700)); // anything that slipped through has time to call home
  const ran = beacons - before;
  results.push(`${what}: blocked ${r?.code} (${(r?.actual || '').slice(0, 140)}); the attacker's code ran ${ran} times`);
  assert.ok(r, `${what}: not blocked (at ${await driver.getCurrentUrl()})`);
  assert.ok(codes.includes(r.code), `${what}: blocked ${r.code} (${r.actual}), expected ${codes}`);
  assert.equal(ran, 0, `${what}: the attacker's code ran`);
  return r.code;
}

before(async () => {
  assert.ok(existsSync(witnessBin), 'target/debug/sealpost-witness (make build-dev builds it)');
  dir = mkdtempSync(join(tmpdir(), 'sealpost-ff-tlog-'));
  const w = [await startWitness(1), await startWitness(2)];
  writeFileSync(join(dir, 'policy'), readFileSync(join(repo, 'keys/demo-log-policy.txt'), 'utf8').replace('http://127.0.0.1:7101', w[0]).replace('http://127.0.0.1:7102', w[1]));
  verify('log', 'sign-policy', join(dir, 'policy'), '--sign-with', releaseKey);
  genuine = release('genuine', '0.2.0');
  evil = release('evil', '0.2.1', { evil: true });
  for (const r of [genuine, evil]) r.server = await serveDemo(r.site, undefined, { releaseCert });
  front = createServer((req, res) => handler(req, res).catch((e) => res.writeHead(500).end(String(e))));
  await new Promise((res) => front.listen(0, '127.0.0.1', res));
  origin = `http://127.0.0.1:${front.address().port}`;
  // The genuine log: one release and the origin's binding to the key and policy (issue 21:
  // enrollment needs it, cosigned the cool-down ago), cosigned by both witnesses.
  genuineLog = logOf('log', [genuine]);
  assert.equal(cosign(genuineLog).status, 0, 'the witnesses cosign the genuine log');
  const bound = bindOrigin({ logDir: genuineLog, logKey: join(repo, 'keys/demo-log.key'), origin, cert: releaseCert, policyFile: join(dir, 'policy'), out: join(dir, 'binding-proof'), verifyBin });
  bindingProof = bound.proof;
  genuineProof = proofOf(genuineLog, genuine, 'genuine');
  view = { server: genuine.server, log: genuineLog, proof: genuineProof };
  ff = await startFirefox();
  driver = ff.driver;
  await waitCooledDown(bound.at, process.env.SEALPOST_FF_EXTENSION || join(repo, 'build/extension'));
  ({ tabId } = await enrollOrigin(driver, origin));
  // The log's policy is pinned with the key (else the checks below would not run).
  const pin = await inExtension(driver, 'return ((await browser.storage.local.get("tlogPins")).tlogPins || {})[arguments[0]] || null;', origin);
  assert.ok(pin && pin.log && pin.witnesses?.length === 2, `the log pin: ${JSON.stringify(pin)}`);
});

after(async () => {
  for (const line of results) console.log(line);
  await ff?.close();
  front?.closeAllConnections();
  front?.close();
  for (const r of [genuine, evil]) await r?.server?.close();
  for (const c of children) c.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('(a) a release signed by the genuine key but not in the log → NOT_LOGGED in Firefox; its code never runs', async () => {
  view = { server: evil.server, log: genuineLog, proof: genuineProof };
  await blocks(['NOT_LOGGED'], '(a) not logged');
  view = { server: evil.server, log: genuineLog, proof: join(dir, 'no-such-proof') };
  await blocks(['NOT_LOGGED'], '(a) no proof served');
  view = { server: genuine.server, log: genuineLog, proof: genuineProof };
  await inExtension(driver, `const { pins } = await browser.storage.local.get('pins');
    if (pins[arguments[0]]) pins[arguments[0]].failure = null;
    await browser.storage.local.set({ pins });`, origin);
  await loadsGenuine('(a) the genuine release afterwards');
});

test('(b) logged in a fork the witnesses refuse to cosign → NOT_LOGGED or SPLIT_VIEW in Firefox; its code never runs', async () => {
  const fork = logOf('fork', [evil]);
  const refused = cosign(fork);
  assert.notEqual(refused.status, 0, 'a witness cosigned a fork');
  view = { server: evil.server, log: fork, proof: proofOf(fork, evil, 'fork') };
  const code = await blocks(['SPLIT_VIEW', 'NOT_LOGGED'], '(b) forked log');
  if (code === 'SPLIT_VIEW') {
    const evidence = await inExtension(driver, 'return (await browser.storage.local.get("tlogEvidence")).tlogEvidence || [];');
    assert.ok(evidence.some((e) => e.held && e.served && e.held !== e.served), 'both checkpoints kept');
  }
  view = { server: genuine.server, log: genuineLog, proof: genuineProof };
  await inExtension(driver, `const { pins } = await browser.storage.local.get('pins');
    if (pins[arguments[0]]) pins[arguments[0]].failure = null;
    await browser.storage.local.set({ pins });`, origin);
  await loadsGenuine('(b) the genuine release afterwards');
});
