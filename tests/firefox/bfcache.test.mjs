// The back/forward cache at enrollment, in Firefox ESR: a page of the
// origin opened before enrollment (the guard had no hold on it then) must
// never be shown again from the cache once the origin is enrolled — gone
// back to, a cached page makes no request, so the hold (firefox.js) never
// sees it, and its pageshow handler runs first.  The attacker's page calls
// a beacon on every pageshow (`<name>-persisted` when restored from the
// cache), which the server counts.  The Chromium case is
// tests/e2e/guard-attacks.test.mjs pre-enrollment-bfcache.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockedReason, enrollViaPopup, guardStatus, repo, serveDemo, startFirefox, tabIdOf, waitFor } from './helpers.mjs';

const siteSrc = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const verifyBin = process.env.SEALPOST_VERIFY || join(repo, 'target/debug/sealpost-verify');

let dir, upstream, ff, driver;
const servers = [];
const beacons = new Map();
/** Until enrollment the origin serves the attacker's page for /?bf=…; after it, the genuine release. */
let hostile = true;

/** The attacker's page: it calls home when shown, and says whether it came from the back/forward cache. */
const bfPage = (name) => `<!doctype html><title>bf</title><p>${name}</p>
<script>addEventListener('pageshow', (e) => navigator.sendBeacon('/__beacon?${name}' + (e.persisted ? '-persisted' : '')));</script>`;

/** A server in front of the demo: the beacon, the attacker's page (on `name`'s origin, while hostile), the rest passed on. */
async function front(always) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/__beacon') {
      const n = url.search.slice(1);
      beacons.set(n, (beacons.get(n) || 0) + 1);
      res.writeHead(204).end();
      return;
    }
    const bf = url.searchParams.get('bf');
    if (bf && (always || hostile)) {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-cache' }).end(bfPage(bf));
      return;
    }
    const r = await fetch(new URL(req.url, upstream.url));
    const body = Buffer.from(await r.arrayBuffer());
    const headers = Object.fromEntries([...r.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)));
    res.writeHead(r.status, { ...headers, 'content-length': body.length }).end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}`;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sealpost-ff-bfcache-'));
  const site = join(dir, 'genuine');
  cpSync(siteSrc, site, { recursive: true });
  const r = spawnSync(verifyBin, ['manifest', site, '--out', join(site, 'manifest.json'), '--app', 'sealpost-demo', '--release-version', '0.2.0',
    '--sign-with', join(repo, 'keys/demo-release.key')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  upstream = await serveDemo(site, join(dir, 'mail.sqlite'), { releaseCert: join(repo, 'keys/demo-release.cert') });
  ff = await startFirefox();
  driver = ff.driver;
});

after(async () => {
  await ff?.close();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const hits = (n) => beacons.get(n) || 0;
const goBack = (n) => driver.executeScript(`history.go(${n})`);

/** Goes back one step at a time as far as the current tab's history goes; returns the URLs passed. */
async function backToStart(counted) {
  const steps = [decodeURIComponent(await driver.getCurrentUrl()).slice(0, 1000)];
  const length = await driver.executeScript('return history.length');
  for (let n = 1; n < length; n++) {
    await goBack(-1).catch(() => {});
    await new Promise((r) => setTimeout(r, 1500));
    steps.push(`${decodeURIComponent(await driver.getCurrentUrl()).slice(0, 1000)} (${counted()})`);
  }
  return steps;
}

test('pages opened before enrollment, gone back to after it, are never restored from the back/forward cache', async () => {
  const other = await front(true);
  const origin = await front(false);
  // The control: a page of an origin nobody enrolled, left and gone back to, comes from the cache.
  await driver.get(`${other}/?bf=control`);
  await waitFor('the control page runs', async () => hits('control') > 0, 10000);
  await driver.get(`${other}/?left`);
  await new Promise((r) => setTimeout(r, 500));
  await goBack(-1);
  await waitFor('the control page restored from the back/forward cache', async () => hits('control-persisted') > 0, 10000)
    .catch((e) => { throw new Error(`${e.message}: this Firefox did not restore a page from its back/forward cache, so the case below proves nothing`); });

  // Before enrollment, two tabs: one left the attacker's page of the origin for another site
  // (enrollment does not touch it), one still shows it (enrollment takes it away and back).
  const left = await driver.getWindowHandle();
  await driver.get(`${origin}/?bf=left-earlier`);
  await waitFor('the page left earlier runs', async () => hits('left-earlier') > 0, 10000);
  await driver.get(`${other}/?left`);
  await driver.switchTo().newWindow('tab');
  const showing = await driver.getWindowHandle();
  await driver.get(`${origin}/?bf=shown-at-enrollment`);
  await waitFor('the page shown at enrollment runs', async () => hits('shown-at-enrollment') > 0, 10000);
  // Enrollment from a third tab showing the genuine page.
  await driver.switchTo().newWindow('tab');
  await driver.get(`${origin}/`);
  const tab = await tabIdOf(driver, `${origin}/`);
  hostile = false;
  await enrollViaPopup(driver, tab);
  await new Promise((r) => setTimeout(r, 1000));
  const lines = [];
  let ran = 0;
  for (const [name, handle] of [['left-earlier', left], ['shown-at-enrollment', showing]]) {
    const handles = await driver.getAllWindowHandles();
    if (!handles.includes(handle)) {
      lines.push(`${name}: its tab was closed (${handles.length} tabs left)`);
      continue;
    }
    await driver.switchTo().window(handle);
    // A discarded tab gets its history back once it is shown again and restored (it shows
    // about:blank until then): waited for (the page is 2 entries back in either tab).
    const now = async () => ({ url: await driver.getCurrentUrl(), n: await driver.executeScript('return history.length') });
    const restored = () => waitFor(`${name}: the tab's history back`, async () => {
      const s = await now();
      return s.n >= 3 && s.url !== 'about:blank' && s;
    }, 15000);
    // Under load a discarded tab was seen to stay about:blank for good once shown (1 full run of 3):
    // shown again (another tab selected, then this one), it restores. A precondition, said if used.
    const st = await restored().catch(async () => {
      lines.push(`${name}: the discarded tab stayed about:blank for 15 s; selected again`);
      await driver.switchTo().window(handles.find((h) => h !== handle));
      await driver.switchTo().window(handle);
      return restored().catch(now);
    });
    const length = st.n;
    if (st.n <= 1) {
      // Nothing behind the tab's current entry: no walk can reach the pre-enrollment page, and
      // nothing of it can come back. Said in the results.
      lines.push(`${name}: the tab's history holds ${st.n} entry (${st.url}): nothing to go back to`);
      continue;
    }
    const before = hits(`${name}-persisted`);
    const steps = await backToStart(() => hits(`${name}-persisted`) - before);
    const n = hits(`${name}-persisted`) - before;
    ran += n;
    // Else the case proves nothing: the walk back must pass the page opened before enrollment —
    // shown, or loaded again and blocked there (blocked.html for this origin: a load was made, so
    // nothing came from the cache; its reason may be the origin's recorded failure, another URL's).
    const reached = (u) => u.includes(`bf=${name}`) || (u.includes('/blocked.html') && u.includes(`"origin":"${origin}"`));
    assert.ok(steps.slice(1).some(reached), `${name}: going back never reached the pre-enrollment page (history ${length}: ${steps.join(' ← ')})`);
    lines.push(`${name}: back through ${steps.join(' ← ')}; the attacker's page restored from the cache and ran ${n} times`);
  }
  for (const l of lines) console.log(`# ${l.replace(/(blocked\.html[^ ]*?"code":"[A-Z_]+")[^ ]*/g, "$1…")}`);
  console.log(`# control: restored from the cache ${hits('control-persisted')} times`);
  assert.equal(ran, 0, 'a pre-enrollment page came back from the back/forward cache and ran');
});
