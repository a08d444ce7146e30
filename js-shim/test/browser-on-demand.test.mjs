// The full module on demand in Chromium worker mode (issue 23 step 4): the page
// (test/browser/on-demand.js) runs on a copy of the shim staged with the default module first
// (tests/node/on-demand-stage.mjs), served over HTTP by a server here that counts requests and
// sends sealpost's CSP.  Keys made on the default module; a call that needs nothing extra fetches
// nothing; P-256 (gpg) and Curve448 decrypt with exactly one request for the full module, and the
// keys made before still sign and keep the export rule; a tampered full module is INTEGRITY_FAILED
// and the default instance keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browser } from '../../tests/e2e/helpers.mjs';
import { onDemandFixtures, stageOnDemand } from '../../tests/node/on-demand-stage.mjs';

const SECRET = 'on-demand browser test, 9a3d';
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src blob:; base-uri 'none'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm' };

let chrome;
let server;
let base;
let fixtures;
const hits = new Map();
const count = (path) => hits.get(path) ?? 0;

before(async () => {
  const { dir } = stageOnDemand();
  cpSync(fileURLToPath(new URL('browser/on-demand.html', import.meta.url)), join(dir, 'test/browser/on-demand.html'));
  cpSync(fileURLToPath(new URL('browser/on-demand.js', import.meta.url)), join(dir, 'test/browser/on-demand.js'));
  const full = readFileSync(join(dir, 'src/wasm/sealpost_wasm_full_bg.wasm'));
  const tampered = Buffer.from(full);
  tampered[tampered.length >> 1] ^= 1;
  fixtures = await onDemandFixtures(SECRET);
  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
    let body;
    try {
      body = path === '/tampered/sealpost_wasm_full_bg.wasm' ? tampered : readFileSync(join(dir, normalize(path).replace(/^(\.\.[/\\])+/, '')));
    } catch {
      res.writeHead(404, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  server?.close();
});

async function openPage() {
  const page = await chrome.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${base}/test/browser/on-demand.html`);
  await page.waitForFunction(() => typeof window.__phase1 === 'function');
  return { page, problems };
}

test('browser worker mode: one request for the full module decrypts P-256 and Curve448; keys made before keep their handles and export rule', async () => {
  const { page, problems } = await openPage();
  try {
    await page.evaluate(() => window.__phase1());
    assert.equal(count('/src/wasm/sealpost_wasm_bg.wasm'), 1);
    assert.equal(count('/src/wasm/sealpost_wasm_full_bg.wasm'), 0, 'a call that needs nothing extra fetched the full module');
    await page.evaluate((f) => window.__phase2(f), fixtures);
    assert.equal(count('/src/wasm/sealpost_wasm_full_bg.wasm'), 1, 'the full module was not fetched exactly once');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('browser worker mode: a tampered full module is INTEGRITY_FAILED and the default instance keeps working', async () => {
  const { page, problems } = await openPage();
  try {
    await page.evaluate(() => window.__phase1({ fullWasmUrl: '/tampered/sealpost_wasm_full_bg.wasm' }));
    const before = count('/src/wasm/sealpost_wasm_full_bg.wasm');
    const { message } = await page.evaluate((f) => window.__tampered(f), fixtures);
    assert.match(message, /full crypto module/);
    assert.equal(count('/tampered/sealpost_wasm_full_bg.wasm'), 2, 'each call that needed it asked once');
    assert.equal(count('/src/wasm/sealpost_wasm_full_bg.wasm'), before, 'the genuine full module was fetched instead');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
