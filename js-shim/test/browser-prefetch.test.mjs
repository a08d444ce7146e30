// Worker mode's start-up in Chromium (issue 23, time to first result): the page fetches the wasm
// (with its SHA-384) while the worker's code is fetched and started, and hands the bytes over
// with init; the worker compiles handed bytes only if they have the SHA-384 built into it.
// The package is js-shim/src as staged (make build-dev), served over HTTP with sealpost's CSP by
// a server here that records when each request arrives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browser } from '../../tests/e2e/helpers.mjs';

const shim = fileURLToPath(new URL('../', import.meta.url));
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src blob:; base-uri 'none'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm' };
const WASM = '/src/wasm/sealpost_wasm_bg.wasm';
const BUNDLE = '/src/wasm/worker.bundle.js';
/** How long the worker's code is held back: the wasm must be asked for meanwhile. */
const BUNDLE_DELAY_MS = 700;

// The test pages (served by the server below: the CSP allows no inline script).
const PAGES = {
  // The package's own way: import it and make a key in worker mode.
  '/__test/package.js': `
    const sp = await import('/src/browser.js');
    const { privateKey } = await sp.generateKey({ userIDs: 'p <p@example.org>', format: 'object' });
    window.__result = { fingerprint: await privateKey.getFingerprint() };`,
  // The worker driven by hand: handed bytes that are not the module, then the module itself.
  '/__test/worker.js': `
    const { WORKER_INTEGRITY } = await import('/src/wasm/worker-integrity.js');
    const code = await (await fetch('${BUNDLE}', { integrity: WORKER_INTEGRITY })).arrayBuffer();
    const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    const call = (w, op, args) => new Promise((resolve) => {
      w.onmessage = ({ data }) => resolve(data);
      w.postMessage({ id: 1, op, args });
    });
    const wasmUrl = new URL('${WASM}', location.href).href;
    const genuine = new Uint8Array(await (await fetch('${WASM}')).arrayBuffer());
    const altered = genuine.slice();
    altered[altered.length >> 1] ^= 1;
    const w1 = new Worker(url, { type: 'module' });
    const refused = await call(w1, 'init', [{ wasmUrl, wasmBytes: altered.buffer }]);
    const afterRefusal = await call(w1, 'supportedKeyTypes', []);
    w1.terminate();
    const w2 = new Worker(url, { type: 'module' });
    const accepted = await call(w2, 'init', [{ wasmUrl, wasmBytes: genuine.buffer }]);
    const key = await call(w2, 'generateKey', [{ userIDs: ['q <q@example.org>'] }]);
    w2.terminate();
    window.__result = { refused, afterRefusal, accepted, keyOk: key.ok };`,
};

let chrome;
let server;
let base;
let log = [];

before(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    log.push({ path, at: performance.now() });
    const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
    let body;
    if (path.startsWith('/__test/') && path.endsWith('.html')) {
      body = `<!doctype html><meta charset="utf-8"><script type="module" src="${path.replace(/\.html$/, '.js')}"></script>`;
    } else if (PAGES[path]) {
      body = `try {\n${PAGES[path]}\n} catch (e) { window.__result = { error: String(e && (e.code || e.name)) + ': ' + (e && e.message) }; }`;
    } else {
      try {
        body = readFileSync(join(shim, normalize(path).replace(/^(\.\.[/\\])+/, '')));
      } catch {
        res.writeHead(404, headers).end();
        return;
      }
    }
    const send = () => {
      log.push({ path, sent: performance.now() });
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    };
    if (path === BUNDLE) setTimeout(send, BUNDLE_DELAY_MS);
    else send();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  server?.close();
});

async function run(name) {
  const context = await chrome.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  log = [];
  await page.goto(`${base}/__test/${name}.html`);
  await page.waitForFunction(() => window.__result, null, { timeout: 60_000 });
  const result = await page.evaluate(() => window.__result);
  await context.close();
  assert.deepEqual(problems, []);
  assert.equal(result.error, undefined, result.error);
  return result;
}

test("worker mode fetches the wasm while the worker's code is still on its way, once, and makes a key", async () => {
  const r = await run('package');
  assert.match(r.fingerprint, /^[0-9a-f]{40}$/);
  const asked = log.filter((e) => e.path === WASM && e.at !== undefined);
  assert.equal(asked.length, 1, `the wasm was asked for ${asked.length} times`);
  const bundleSent = log.find((e) => e.path === BUNDLE && e.sent !== undefined);
  assert.ok(bundleSent, 'the worker code was never sent');
  assert.ok(asked[0].at < bundleSent.sent, `the wasm was asked for ${Math.round(asked[0].at - bundleSent.sent)} ms after the worker's code was sent: not fetched meanwhile`);
});

test('the worker compiles handed bytes only if they have its pinned SHA-384: altered bytes are INTEGRITY_FAILED, genuine ones run without a fetch', async () => {
  const r = await run('worker');
  assert.equal(r.refused.ok, false);
  assert.equal(r.refused.error?.code, 'INTEGRITY_FAILED', JSON.stringify(r.refused));
  // Refused: nothing runs on that worker (and it does not fetch the wasm instead).
  assert.equal(r.afterRefusal.ok, false, JSON.stringify(r.afterRefusal));
  assert.equal(r.accepted.ok, true, JSON.stringify(r.accepted));
  assert.equal(r.keyOk, true);
  // The page fetched the module once itself; neither worker asked for it.
  assert.equal(log.filter((e) => e.path === WASM && e.at !== undefined).length, 1);
});
