// The demo webmail page, served over real HTTP with its strict CSP, in
// headless Chromium: it loads and makes a key (the full mail flow is in
// webmail.test.mjs).  Then the
// tampering cases: the page must refuse a swapped wasm or script.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browser, repo, serveDemo } from './helpers.mjs';
import * as sp from '../../js-shim/src/node.js';

const site = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const artifacts = join(repo, 'build/test-artifacts');
mkdirSync(artifacts, { recursive: true });

let chrome;
before(async () => { chrome = await browser(); });
after(async () => { await chrome?.close(); });

async function withSite(dir, fn) {
  const server = await serveDemo(dir);
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

test('the webmail loads under its CSP and makes a passphrase-locked key in the browser', async () => {
  await withSite(site, async (page, response, problems) => {
    const csp = response.headers()['content-security-policy'];
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
    await page.waitForSelector('#status[data-state="ok"]', { timeout: 60_000 });
    // The webmail's first screen: make a key, locked with a passphrase, in this browser.
    await page.waitForSelector('#setup:not([hidden])');
    await page.fill('#setup-name', 'Demo');
    await page.fill('#setup-email', 'demo@example.org');
    await page.fill('#setup-passphrase', 'demo passphrase');
    await page.click('#setup-create');
    await page.waitForSelector('#mailbox:not([hidden])', { timeout: 60_000 });
    await page.click('#nav-key');
    assert.match(await page.textContent('#my-fingerprint'), /^([0-9A-F]{4} ){9}[0-9A-F]{4}$/);
    assert.match(await page.inputValue('#my-public-key'), /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    await page.screenshot({ path: join(artifacts, 'demo.png'), fullPage: true });
    assert.deepEqual(problems, [], problems.join("\n"));
  });
});

test('the key rests in the package key store; an account stored before it moves there once and unlocks from it', async () => {
  // An account as the demo stored it before the key store: the armored locked key in the record.
  const { privateKey } = await sp.generateKey({ userIDs: [{ name: 'Old', email: 'old@example.org' }], passphrase: 'old passphrase', format: 'object' });
  const fpr = privateKey.getFingerprint();
  const raw = (page) => page.evaluate(async () => {
    const open = (name) => new Promise((resolve, reject) => { const r = indexedDB.open(name); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const all = async (name, store) => {
      const db = await open(name);
      if (!db.objectStoreNames.contains(store)) { db.close(); return []; }
      const req = db.transaction(store).objectStore(store).getAll();
      await new Promise((r) => { req.onsuccess = r; });
      db.close();
      return req.result;
    };
    const kv = await open('sealpost-mail');
    const get = kv.transaction('kv').objectStore('kv').get('account');
    await new Promise((r) => { get.onsuccess = r; });
    kv.close();
    return { account: get.result, keys: await all('sealpost-mail-keys', 'keys') };
  });
  const unlock = async (page) => {
    await page.waitForSelector('#unlock:not([hidden])', { timeout: 60_000 });
    await page.fill('#unlock-passphrase', 'old passphrase');
    await page.click('#unlock-button');
    await page.waitForFunction(() => !document.querySelector('#mailbox').hidden || document.querySelector('#unlock-error').textContent, null, { timeout: 60_000 });
    assert.equal(await page.textContent('#unlock-error'), '', 'unlock failed');
    await page.click('#nav-key');
    assert.equal((await page.textContent('#my-fingerprint')).replace(/ /g, '').toLowerCase(), fpr);
  };
  await withSite(site, async (page, response, problems) => {
    await page.waitForSelector('#setup:not([hidden])', { timeout: 60_000 });
    await page.evaluate(async (account) => {
      const req = indexedDB.open('sealpost-mail', 1);
      await new Promise((r) => { req.onsuccess = r; });
      const tx = req.result.transaction('kv', 'readwrite');
      tx.objectStore('kv').put(account, 'account');
      await new Promise((r) => { tx.oncomplete = r; });
      req.result.close();
    }, { name: 'Old', email: 'old@example.org', lockedKey: await privateKey.armor() });
    assert.equal((await raw(page)).keys.length, 0, 'nothing in the key store yet');
    await page.reload();
    await unlock(page);
    // Moved: the account names the key, the key store holds it locked.
    const moved = await raw(page);
    assert.deepEqual(moved.account, { name: 'Old', email: 'old@example.org', fingerprint: fpr });
    assert.deepEqual(moved.keys.map((k) => [k.fingerprint, k.private]), [[fpr, true]]);
    const atRest = await sp.readPrivateKey({ armoredKey: moved.keys[0].armored });
    assert.equal(atRest.isDecrypted(), false, 'locked at rest');
    await assert.rejects(sp.decryptKey({ privateKey: atRest, passphrase: 'wrong passphrase' }), (e) => e.code === 'BAD_PASSPHRASE');
    assert.equal((await sp.decryptKey({ privateKey: atRest, passphrase: 'old passphrase' })).getFingerprint(), fpr);
    // Later visits read it from the key store; the backup export is the locked key.
    await page.reload();
    await unlock(page);
    await page.click('#export-private');
    await page.waitForSelector('#my-private-key:not([hidden])');
    const exported = await sp.readPrivateKey({ armoredKey: await page.inputValue('#my-private-key') });
    assert.equal(exported.getFingerprint(), fpr);
    assert.equal(exported.isDecrypted(), false);
    assert.deepEqual(problems, [], problems.join('\n'));
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
    assert.equal(await page.isHidden('#setup'), true, 'nothing usable is offered');
    assert.equal(await page.isHidden('#mailbox'), true);
  });
});

test('a flipped byte in app.js is refused by the script integrity attribute', async () => {
  const dir = tampered((d) => {
    const p = join(d, 'app.js');
    const js = readFileSync(p, 'utf8');
    assert.ok(js.includes('Crypto module verified'));
    writeFileSync(p, js.replace('Crypto module verified', 'Crypto module verifled'));
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

test('a listed script loaded without integrity is refused by the Integrity-Policy header (no guard needed)', async () => {
  // A page that loads the genuine app.js with no integrity attribute: the CSP
  // allows 'self', but Integrity-Policy: blocked-destinations=(script) makes
  // the browser refuse any script fetched without integrity metadata.
  const dir = tampered((d) => {
    const p = join(d, 'index.html');
    writeFileSync(p, readFileSync(p, 'utf8').replace(/<script type="module" src="app\.js" integrity="[^"]*"><\/script>/, '<script type="module" src="app.js"></script>'));
  });
  await withSite(dir, async (page, response) => {
    assert.equal(response.headers()['integrity-policy'], 'blocked-destinations=(script)');
    await page.waitForTimeout(1500);
    // Without the header, the genuine app.js runs and the status leaves 'loading'.
    assert.equal(await page.getAttribute('#status', 'data-state'), 'loading', 'app.js ran without integrity');
  });
});
