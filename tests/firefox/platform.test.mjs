// What the guard's Chromium logic relies on or guards against, as this
// Firefox ESR does it (no extension): the `Integrity-Policy` header the guard
// adds is enforced (a script fetched without integrity never runs: its
// beacon is counted), and there is no prerendering (no
// `document.prerendering`, Speculation Rules not supported), so the
// guard's prerender logic has nothing to act on in Firefox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startFirefox, waitFor } from './helpers.mjs';

let server, base, ff, driver;
const beacons = new Map();

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/__beacon') {
      const n = url.search.slice(1);
      beacons.set(n, (beacons.get(n) || 0) + 1);
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/s.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(`navigator.sendBeacon('/__beacon?${url.search.slice(1)}');`);
      return;
    }
    const policy = url.searchParams.has('ip') ? { 'integrity-policy': 'blocked-destinations=(script)' } : {};
    const name = url.searchParams.has('ip') ? 'with-policy' : 'without-policy';
    res.writeHead(200, { 'content-type': 'text/html', ...policy }).end(`<!doctype html><title>p</title>
<script src="/s.js?${name}"></script>
<script type="speculationrules">{"prerender":[{"source":"list","urls":["/next"]}]}</script>`);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  ff = await startFirefox({ extension: null });
  driver = ff.driver;
});

after(async () => {
  await ff?.close();
  server?.closeAllConnections();
  server?.close();
});

test('Firefox ESR enforces Integrity-Policy (a script without integrity never runs) and has no prerendering', async () => {
  // The control first: without the header the same script runs (the beacon is how the test sees it).
  await driver.get(`${base}/?plain`);
  await waitFor('the control script ran', async () => beacons.get('without-policy') === 1, 10000);
  await driver.get(`${base}/?ip`);
  await waitFor('the page loaded', async () => (await driver.executeScript('return document.readyState')) === 'complete', 10000);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(beacons.get('with-policy') || 0, 0, 'a script without integrity ran under Integrity-Policy');
  const p = await driver.executeScript("return { prerendering: 'prerendering' in document, rules: typeof HTMLScriptElement.supports === 'function' && HTMLScriptElement.supports('speculationrules') }");
  assert.deepEqual(p, { prerendering: false, rules: false }, 'this Firefox prerenders');
});
