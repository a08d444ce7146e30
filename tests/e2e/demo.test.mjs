// The demo page, served over real HTTP with its strict CSP, in headless
// Chromium: generate → encrypt + sign → decrypt + verify.  Then the
// tampering cases: the page must refuse a swapped wasm or script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browser, repo, serve } from './helpers.mjs';

const site = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const artifacts = join(repo, 'build/test-artifacts');
mkdirSync(artifacts, { recursive: true });

let chrome;
before(async () => { chrome = await browser(); });
after(async () => { await chrome?.close(); });

async function withSite(dir, fn) {
  const server = await serve(dir);
  const page = await chrome.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  try {
    const response = await page.goto(server.url);
    await fn(page, response, problems);
  } finally {
    await page.close();
    await server.close();
  }
}

/** A copy of the site with `mutate(dir)` applied. */
function tampered(mutate) {
  const dir = mkdtempSync(join(tmpdir(), 'sealpost-site-'));
  cpSync(site, dir, { recursive: true });
  mutate(dir);
  return dir;
}

test('generate, encrypt + sign, decrypt + verify in the browser', async () => {
  await withSite(site, async (page, response, problems) => {
    const csp = response.headers()['content-security-policy'];
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
    await page.waitForSelector('#status[data-state="ok"]', { timeout: 60_000 });
    await page.fill('#passphrase', 'demo passphrase');
    await page.selectOption('#keytype', 'curve25519:6');
    await page.click('#generate');
    await page.waitForFunction(() => /^Fingerprint [0-9A-F]{64} /.test(document.querySelector('#fingerprint').textContent));
    await page.fill('#plaintext', 'Meet me at noon. ☂');
    await page.click('#encrypt');
    await page.waitForFunction(() => document.querySelector('#ciphertext').textContent.startsWith('-----BEGIN PGP MESSAGE-----'));
    const ct = await page.textContent('#ciphertext');
    assert.ok(!ct.includes('Meet me'), 'ciphertext contains the plaintext');
    await page.click('#decrypt');
    await page.waitForSelector('#signature[data-state="ok"]');
    assert.equal(await page.textContent('#decrypted'), 'Meet me at noon. ☂');
    assert.match(await page.textContent('#signature'), /^Good signature by [0-9A-F]{64}$/);
    await page.screenshot({ path: join(artifacts, 'demo.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});

test('a flipped byte in the wasm is refused by fetch integrity', async () => {
  const dir = tampered((d) => {
    const p = join(d, 'sealpost/wasm/sealpost_wasm_bg.wasm');
    const b = readFileSync(p);
    b[b.length >> 1] ^= 0x01;
    writeFileSync(p, b);
  });
  await withSite(dir, async (page) => {
    await page.waitForSelector('#status[data-state="error"]', { timeout: 60_000 });
    assert.match(await page.textContent('#status'), /integrity/i);
    assert.equal(await page.isDisabled('#generate'), true);
  });
});

test('a flipped byte in app.js is refused by the script integrity attribute', async () => {
  const dir = tampered((d) => {
    const p = join(d, 'app.js');
    writeFileSync(p, readFileSync(p, 'utf8').replace('sealpost demo', 'sealpost dem0'));
  });
  await withSite(dir, async (page, _response, problems) => {
    await page.waitForTimeout(1500);
    assert.equal(await page.getAttribute('#status', 'data-state'), 'loading', 'the tampered script ran');
    assert.ok(problems.some((p) => /integrity/i.test(p)), `no integrity error reported: ${problems}`);
  });
});

test('an injected inline script is blocked by the CSP', async () => {
  const dir = tampered((d) => {
    const p = join(d, 'index.html');
    writeFileSync(p, readFileSync(p, 'utf8').replace('</body>', '<script>window.__stolen = "key";</script></body>'));
  });
  await withSite(dir, async (page, _response, problems) => {
    await page.waitForSelector('#status[data-state="ok"]', { timeout: 60_000 });
    assert.equal(await page.evaluate(() => window.__stolen), undefined, 'the inline script ran');
    assert.ok(problems.some((p) => /Content Security Policy/i.test(p)), `no CSP report: ${problems}`);
  });
});
