// The browser suite (test/browser/suite.js) in headless Chromium: worker
// mode, served over HTTP with sealpost's strict CSP and cross-origin
// isolation headers, plus a tampered copy of the wasm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browser, serve } from '../../tests/e2e/helpers.mjs';

const shim = fileURLToPath(new URL('../', import.meta.url));
let chrome;
let results;

before(async () => {
  const root = mkdtempSync(join(tmpdir(), 'sealpost-shim-'));
  cpSync(join(shim, 'src'), join(root, 'src'), { recursive: true });
  cpSync(join(shim, 'test/browser'), join(root, 'test/browser'), { recursive: true });
  const wasm = readFileSync(join(root, 'src/wasm/sealpost_wasm_bg.wasm'));
  wasm[wasm.length >> 1] ^= 0x01;
  writeFileSync(join(root, 'test/browser/tampered.wasm'), wasm);
  chrome = await browser();
  const server = await serve(root);
  const page = await chrome.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  try {
    await page.goto(`${server.url}test/browser/index.html`);
    await page.waitForFunction(() => window.__results?.done, null, { timeout: 180_000 });
    results = await page.evaluate(() => window.__results);
    results.problems = problems;
  } finally {
    await server.close();
  }
});

after(async () => { await chrome?.close(); });

for (const name of [
  'runs in worker mode by default',
  'generate, encrypt + sign, decrypt + verify (v4 and v6)',
  'the page holds handles, not key material',
  'an unlocked private key never leaves the worker',
  'the remaining calls in worker mode',
  'errors cross the worker boundary with their class and code',
  'streams through the worker: 24 MiB round trip, SEIPDv2 released as it goes',
  'a trap replaces the worker: pending calls fail, later calls work',
  'a wasm that does not match its SHA-384 is refused',
  'direct mode in the page works too',
  'mail in the worker: encryptMail → decryptMail, attachment bytes exact, sender verified',
]) {
  test(`browser: ${name}`, () => {
    const failed = results.failed.find((f) => f.name === name);
    assert.equal(failed, undefined, failed && failed.error);
    assert.ok(results.passed.includes(name), `did not run: ${name}`);
  });
}

test('browser: no uncaught page errors', () => {
  assert.deepEqual(results.problems, []);
});
