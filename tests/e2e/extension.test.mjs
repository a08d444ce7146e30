// The sealpost guard extension (verifier/extension/, built by make build-dev
// into build/extension/) in headless Chromium, loaded with --load-extension
// and driven by playwright-core, against the Rust demo server on one
// loopback origin.  The user enrolls the origin in the popup (the release
// key's fingerprint is shown, then pinned); then the server is restarted on
// the same port with altered releases, and every load must end on the
// extension's blocked.html with the right reason:
//   (a) the genuine release → valid (green badge), page usable;
//   (b) one flipped byte in the wasm; (c) in app.js, and in the worker
//   script (which has no SRI: only the extension sees it); (d) an inline
//   script injected into index.html, and (d2) only into the page the
//   browser gets (the extension's own fetch gets the genuine one: the
//   content script's DOM check catches it); (e) the manifest re-signed with
//   another key; (f) an older manifest version → each blocked;
// and a recorded failure stays until the user clears it.  Also measured:
// page-load time with and without the extension (medians).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browser, guardProfile, newBlockedPage, openPopup, repo, serveDemo, visitSite } from './helpers.mjs';
import * as sp from '../../js-shim/src/node.js';

const extension = process.env.SEALPOST_EXTENSION || join(repo, 'build/extension');
const siteSrc = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const verifyBin = process.env.SEALPOST_VERIFY || join(repo, 'target/debug/sealpost-verify');
const releaseKey = join(repo, 'keys/demo-release.key');
const releaseCert = join(repo, 'keys/demo-release.cert');
const artifacts = join(repo, 'build/test-artifacts');
const VERSION = '0.2.0';
const WASM = 'sealpost/wasm/sealpost_wasm_bg.wasm';

let dir;
let server;
let port;
let context;
let extId;
let page;
let tabId;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function sign(site, { key = releaseKey, version = VERSION } = {}) {
  rmSync(join(site, 'manifest.json'), { force: true });
  rmSync(join(site, 'manifest.json.sig'), { force: true });
  run(verifyBin, ['manifest', site, '--out', join(site, 'manifest.json'), '--app', 'sealpost-demo',
    '--release-version', version, '--sign-with', key]);
}

/** A copy of the genuine release, altered by `change(dir)` (then re-signed if `resign`). */
function variant(name, change) {
  const d = join(dir, name);
  cpSync(join(dir, 'genuine'), d, { recursive: true });
  change(d);
  return d;
}

function flipByte(file, at = 0.5) {
  const b = readFileSync(file);
  const i = Math.floor(b.length * at);
  b[i] ^= 0x01;
  writeFileSync(file, b);
}

const sri = (file) => 'sha384-' + spawnSync('openssl', ['dgst', '-sha384', '-binary', file]).stdout.toString('base64');

/** Restarts the demo server on the same port with another release. */
async function serveRelease(site) {
  if (server) await server.close();
  server = await serveDemo(site, join(dir, 'mail.sqlite'), { port, releaseCert });
  port ??= Number(new URL(server.url).port);
}

/** Opens the site in the tab; the extension may abort the navigation to block it. */
const visit = (url) => visitSite(page, url);
const popup = () => openPopup(context, extId, tabId);

async function badge() {
  const [sw] = context.serviceWorkers();
  return sw.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

/**
 * The badge once it shows `want` (up to 5 s): it is set asynchronously, and
 * a resource the page requests after the verdict (the worker fetching the
 * wasm) is checked in turn, showing … until it passes.
 */
async function settledBadge(want) {
  let text;
  for (let i = 0; i < 50 && (text = await badge()) !== want; i++) await page.waitForTimeout(100);
  return text;
}

async function waitValid() {
  const p = await popup();
  try {
    await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 }).catch(async (e) => {
      const [sw] = context.serviceWorkers();
      const debug = await sw.evaluate((id) => globalThis.sealpostDebug?.(id), tabId);
      throw new Error(`not valid: ${await p.textContent('#state')} ${JSON.stringify(debug)} (${e.message})`);
    });
    return await p.textContent('#state');
  } finally {
    await p.close();
  }
}

/**
 * Runs `trigger` (a visit, or clearing a failure, which re-opens the site);
 * the tab must end on a blocked.html other than the one it showed before
 * (a new failure), and what that page shows is returned.
 */
async function blocked(trigger) {
  await newBlockedPage(page, trigger);
  const r = {};
  for (const k of ['code', 'file', 'expected', 'actual', 'detail']) r[k] = await page.textContent(`#${k}`);
  // blocked.js sets the badge again after the navigation reset it.
  assert.equal(await settledBadge('✗'), '✗');
  return r;
}

/** The user clears the recorded failure in the popup, which re-opens the site. */
async function clearFailure() {
  const p = await popup();
  await p.click('#clear-failure');
  await p.waitForSelector('body[data-done="clear-failure"]'); // cleared, and the tab sent back to the site
  await p.close();
}

async function shot(name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `extension-${name}.png`) });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sealpost-ext-'));
  cpSync(siteSrc, join(dir, 'genuine'), { recursive: true });
  sign(join(dir, 'genuine'));
  await serveRelease(join(dir, 'genuine'));
  ({ context, extId, page, tabId } = await guardProfile(join(dir, 'profile'), extension, `${server.url}?tab-probe`));
});

after(async () => {
  await context?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('(a) enrolling pins the shown release key; the genuine release verifies and the page is usable', async () => {
  const p = await popup();
  assert.equal(await p.getAttribute('#state', 'data-state'), 'none', 'not enrolled yet');
  await p.click('#enroll-preview');
  await p.waitForSelector('#enroll-confirm:not([hidden]), #error:not(:empty)');
  assert.equal(await p.textContent('#error'), '');
  const fingerprint = (await p.textContent('#preview-fingerprint')).trim();
  const expected = readFileSync(releaseCert, 'utf8').match(/^Comment: ([0-9A-F ]+)$/m)[1].replace(/ /g, '');
  assert.equal(fingerprint, expected, 'the popup shows the release key before pinning it');
  assert.match(await p.textContent('#preview-release'), new RegExp(`sealpost-demo ${VERSION.replace(/\./g, '\\.')}`));
  await p.click('#enroll-trust');
  await p.waitForSelector('body[data-done="enroll-trust"]'); // enrolled, and the tab reloaded
  await p.close();
  assert.match(await waitValid(), /Verified: sealpost-demo 0\.2\.0/);
  assert.equal(await settledBadge('✓'), '✓');
  await page.waitForSelector('#status[data-state="ok"]');
  await page.waitForSelector('#setup:not([hidden])');
  // Usable: the page makes a key (in its worker) and opens the mailbox.
  await page.fill('#setup-name', 'Alice');
  await page.fill('#setup-email', 'alice@example.org');
  await page.fill('#setup-passphrase', 'a passphrase for the guard test');
  await page.click('#setup-create');
  await page.waitForSelector('#mailbox:not([hidden])', { timeout: 30000 });
  await shot('a-valid');
  // The popup states every check passed: the manifest, the document and each resource.
  const p2 = await popup();
  assert.match(await p2.textContent('#pin-fingerprint'), new RegExp(expected));
  await p2.close();
});

test('(b) one flipped byte in the wasm → blocked, naming the file and both hashes', async () => {
  const site = variant('wasm', (d) => flipByte(join(d, WASM)));
  await serveRelease(site);
  const r = await blocked(() => visit(server.url));
  assert.equal(r.code, 'FILE_MISMATCH');
  assert.equal(r.file, WASM);
  assert.equal(r.expected, sri(join(dir, 'genuine', WASM)));
  assert.equal(r.actual, sri(join(site, WASM)));
  await shot('b-wasm');
  // Absorbing: the failure stays for the origin, even once the server is genuine again.
  await serveRelease(join(dir, 'genuine'));
  const again = await blocked(() => visit(server.url));
  assert.equal(again.file, WASM);
  assert.match(again.detail, /first seen/);
});

for (const [name, file] of [['(c) a flipped byte in app.js', 'app.js'], ['(c) a flipped byte in the worker bundle (fetched with integrity, started from a blob: URL)', 'sealpost/wasm/worker.bundle.js']]) {
  test(`${name} → blocked`, async () => {
    const site = variant(file.replace(/\W/g, '-'), (d) => flipByte(join(d, file), 0.9));
    await serveRelease(site);
    const r = await blocked(clearFailure);
    assert.equal(r.code, 'FILE_MISMATCH');
    assert.equal(r.file, file);
    assert.equal(r.expected, sri(join(dir, 'genuine', file)));
    assert.equal(r.actual, sri(join(site, file)));
  });
}

test('(d) an inline script injected into the HTML → blocked', async () => {
  const site = variant('inline', (d) => {
    const f = join(d, 'index.html');
    writeFileSync(f, readFileSync(f, 'utf8').replace('</head>', '<script>fetch("/steal?k=" + localStorage.length)</script>\n</head>'));
  });
  await serveRelease(site);
  const r = await blocked(clearFailure);
  assert.equal(r.code, 'FILE_MISMATCH');
  assert.equal(r.file, 'index.html');
  assert.match(r.detail, /inline script/);
  await shot('d-inline');
});

test('(e) a manifest re-signed with another key → blocked', async () => {
  const other = await sp.generateKey({ userIDs: [{ name: 'Mallory', email: 'release@evil.example' }], format: 'armored' });
  const keyFile = join(dir, 'other.key');
  writeFileSync(keyFile, other.privateKey);
  const site = variant('other-key', (d) => sign(d, { key: keyFile }));
  await serveRelease(site);
  const r = await blocked(clearFailure);
  assert.equal(r.code, 'MANIFEST_SIGNATURE');
  assert.equal(r.file, 'manifest.json');
  assert.match(r.expected, /5BE84EB2A98028F9FD749056D8128B09F1D6C81B/);
});

test('(f) an older manifest version → blocked as a rollback', async () => {
  const site = variant('older', (d) => sign(d, { version: '0.1.9' }));
  await serveRelease(site);
  const r = await blocked(clearFailure);
  assert.equal(r.code, 'ROLLBACK');
  assert.equal(r.actual, '0.1.9');
  assert.match(r.expected, /0\.2\.0/);
});

test('(d2) a split view: the browser gets an altered page, the extension fetch the genuine one → blocked by the DOM check', async () => {
  // A targeted attack on the re-fetch: the genuine release from an upstream
  // server, but navigations (Sec-Fetch-Dest: document) get an injected script.
  await server.close();
  const upstream = await serveDemo(join(dir, 'genuine'), join(dir, 'mail.sqlite'), { releaseCert });
  const injected = '<script>navigator.sendBeacon("/api/x", localStorage.length)</script>';
  let splitServed = 0;
  const proxy = createServer(async (req, res) => {
    const r = await fetch(new URL(req.url, upstream.url), { headers: { 'sec-fetch-dest': req.headers['sec-fetch-dest'] || '' } });
    let body = Buffer.from(await r.arrayBuffer());
    if (req.headers['sec-fetch-dest'] === 'document' && req.url.split('?')[0] === '/') {
      body = Buffer.from(body.toString('utf8').replace('</head>', `${injected}\n</head>`));
      splitServed++;
    }
    const headers = Object.fromEntries([...r.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)));
    res.writeHead(r.status, { ...headers, 'content-length': body.length, connection: 'close' });
    res.end(body);
  });
  await new Promise((r) => proxy.listen(port, '127.0.0.1', r));
  server = { url: `http://127.0.0.1:${port}/`, close: async () => { proxy.close(); proxy.closeAllConnections(); await upstream.close(); } };
  try {
    const r = await blocked(clearFailure);
    assert.ok(splitServed > 0, 'the browser got the altered page');
    assert.equal(r.code, 'DOCUMENT_DIFFERS');
    assert.equal(r.file, 'index.html');
    assert.match(r.actual, /extra: .*<script> text="navigator\.sendBeacon/);
    await shot('d2-split-view');
  } finally {
    await server.close();
    server = null;
  }
});

test('after the operator restores the release, clearing the failure verifies again; the pin kept key and version', async () => {
  await serveRelease(join(dir, 'genuine'));
  await clearFailure();
  await page.waitForURL(`${server.url}**`);
  assert.match(await waitValid(), /Verified/);
  const p = await popup();
  assert.match(await p.textContent('#pin-release'), /highest version seen 0\.2\.0/);
  assert.equal(await p.isVisible('#failed'), false);
  await p.close();
});

test('page-load time with and without the extension (p50/p95 of 20 loads each)', async (t) => {
  const LOADS = 20;
  const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];
  const loadMs = (pg) => pg.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd);
  const withExt = [];
  const verdict = [];
  for (let i = 0; i < LOADS; i++) {
    await page.goto(server.url);
    withExt.push(await loadMs(page));
    const p = await popup();
    await p.waitForSelector('#state[data-state="valid"]', { timeout: 20000 });
    verdict.push(Number((await p.textContent('#state')).match(/in (\d+) ms/)[1]));
    await p.close();
  }
  const plain = await browser();
  const without = [];
  try {
    const pg = await (await plain.newContext()).newPage();
    for (let i = 0; i < LOADS; i++) {
      await pg.goto(server.url);
      without.push(await loadMs(pg));
    }
  } finally {
    await plain.close();
  }
  const f = (xs) => `p50 ${pct(xs, 0.5).toFixed(0)} ms, p95 ${pct(xs, 0.95).toFixed(0)} ms`;
  t.diagnostic(`page load (load event), ${LOADS} loads each: without the extension ${f(without)}; with it ${f(withExt)}`);
  t.diagnostic(`verdict (valid, after the navigation's response headers): ${f(verdict)}`);
  assert.equal(verdict.length, LOADS);
  assert.ok(pct(verdict, 0.5) > 0);
});
