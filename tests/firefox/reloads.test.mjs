// Genuine loads one after another in Firefox ESR, enrolled: every one must
// end valid.  Before the fix of issue 22 a fair share of them ended
// MANIFEST_UNAVAILABLE ("no complete answer within 3000 ms"): Firefox sends
// webRequest events to the extension in batches and answers a batch only
// when every listener's returned promise has settled; the guard's onCompleted
// listener returned a promise that waited for the load's manifest, so the
// blocking events of the guard's own manifest fetches batched with it were
// held until the fetches' deadline (measured with the unfixed extension:
// 13 of 30 loads blocked, 4-8 of 20; MOZ_LOG=nsHttp:5 showed the channel
// suspended by WebRequest.sys.mjs, the server had answered in full).
//
// Every verdict is read from the page (the content script marks a valid
// document, a blocked one is replaced by blocked.html): no extension page is
// opened to ask, except in the loads that do so on purpose while the
// guard's fetches are in flight (that made the stall more likely).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXT, enrollOrigin, enrollViaPopup, guardStatus, repo, serveDemo, startFirefox, tabIdOf, waitFor } from './helpers.mjs';

const siteSrc = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const verifyBin = process.env.SEALPOST_VERIFY || join(repo, 'target/debug/sealpost-verify');
const LOADS = Number(process.env.SEALPOST_FF_RELOADS || 16);

let dir, upstream, front, origin, ff, driver, tabId;
/** The guard's own requests the server answered in full (no-store fetches send Pragma: no-cache), by path. */
const guardAnswered = new Map();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sealpost-ff-reloads-'));
  const site = join(dir, 'site');
  cpSync(siteSrc, site, { recursive: true });
  const r = spawnSync(verifyBin, ['manifest', site, '--out', join(site, 'manifest.json'), '--app', 'sealpost-demo', '--release-version', '0.2.0',
    '--sign-with', join(repo, 'keys/demo-release.key')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  upstream = await serveDemo(site, join(dir, 'mail.sqlite'), { releaseCert: join(repo, 'keys/demo-release.cert') });
  // In front of the demo server: counts what the guard's own fetches were answered (the server's side of a stall).
  front = createServer(async (req, res) => {
    const rr = await fetch(new URL(req.url, upstream.url));
    const body = Buffer.from(await rr.arrayBuffer());
    const headers = Object.fromEntries([...rr.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)));
    res.writeHead(rr.status, { ...headers, 'content-length': body.length });
    res.end(body, () => {
      if (req.headers.pragma) guardAnswered.set(req.url, (guardAnswered.get(req.url) || 0) + 1);
    });
  });
  await new Promise((res) => front.listen(0, '127.0.0.1', res));
  origin = `http://127.0.0.1:${front.address().port}`;
  ff = await startFirefox();
  driver = ff.driver;
  ({ tabId } = await enrollOrigin(driver, origin));
});

after(async () => {
  await ff?.close();
  front?.closeAllConnections();
  front?.close();
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The verdict of the tab's current document, read from the page: 'valid', or the blocked page's code. */
async function verdict() {
  return waitFor('a verdict in the page', async () => {
    const url = await driver.getCurrentUrl();
    if (url.startsWith(`${EXT}blocked.html`)) {
      const reason = JSON.parse(decodeURIComponent(url.split('#')[1] || '{}'));
      return `${reason.code}: ${reason.actual}`;
    }
    return url.startsWith(origin) && (await driver.executeScript('return document.documentElement.dataset.sealpostVerified !== undefined')) && 'valid';
  }, 20000);
}

test(`${LOADS} genuine loads in a row, every one valid (the guard's own manifest fetches never stall)`, async () => {
  const outcomes = [];
  const t0 = Date.now();
  for (let i = 0; i < LOADS; i++) {
    await driver.get(`${origin}/`).catch(() => {});
    // Every other load: the guard's status page opened at once, while its fetches are in flight.
    if (i % 2) await guardStatus(driver, tabId);
    outcomes.push(await verdict().catch((e) => `no verdict (${e.message})`));
  }
  const bad = outcomes.map((o, i) => [i, o]).filter(([, o]) => o !== 'valid');
  console.log(`${LOADS} loads in ${Date.now() - t0} ms: ${LOADS - bad.length} valid; guard fetches answered by the server: ${JSON.stringify(Object.fromEntries(guardAnswered))}`);
  assert.deepEqual(bad, [], `loads not valid: ${JSON.stringify(bad)}`);
});
