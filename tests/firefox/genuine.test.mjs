// The genuine demo release in Firefox ESR with the guard installed (a
// temporary add-on) and the origin enrolled: the guard says valid, and the
// webmail is usable — a key made in the page, a mail sent to oneself,
// read back decrypted and verified.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { By, click, enrollViaPopup, fill, guardStatus, repo, serveDemo, startFirefox, tabIdOf, waitCss, waitFor } from './helpers.mjs';

const siteSrc = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const verifyBin = process.env.SEALPOST_VERIFY || join(repo, 'target/debug/sealpost-verify');
const releaseCert = join(repo, 'keys/demo-release.cert');

let dir, server, ff, driver;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sealpost-ff-genuine-'));
  const site = join(dir, 'site');
  cpSync(siteSrc, site, { recursive: true });
  const r = spawnSync(verifyBin, ['manifest', site, '--out', join(site, 'manifest.json'), '--app', 'sealpost-demo', '--release-version', '0.2.0',
    '--sign-with', join(repo, 'keys/demo-release.key')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  server = await serveDemo(site, join(dir, 'mail.sqlite'), { releaseCert });
  ff = await startFirefox();
  driver = ff.driver;
});

after(async () => {
  await ff?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the genuine release, enrolled in Firefox: valid, and a mail to oneself is sent and read verified', async () => {
  const probe = `${server.url}?probe`;
  await driver.get(probe);
  const tabId = await tabIdOf(driver, probe);
  assert.ok(Number.isInteger(tabId), 'the guard sees the tab');
  const fingerprint = await enrollViaPopup(driver, tabId);
  const expected = readFileSync(releaseCert, 'utf8').match(/^Comment: ([0-9A-F ]+)$/m)[1].replace(/ /g, '');
  assert.equal(fingerprint, expected, 'the pinned key is the release key');
  // Enrollment loads the tab again, under the guard's rules: it must end valid.
  const s = await waitFor('a valid load', async () => {
    const st = await guardStatus(driver, tabId);
    if (st.load?.state === 'blocked') throw new Error(`blocked: ${JSON.stringify(st.load.failure)}`);
    return st.load?.state === 'valid' && st;
  }, 30000).catch(async (e) => {
    throw new Error(`${e.message}; status ${JSON.stringify(await guardStatus(driver, tabId))}; at ${await driver.getCurrentUrl()}`);
  });
  assert.equal(s.load.version, '0.2.0');
  assert.ok((await driver.getCurrentUrl()).startsWith(server.url), 'the tab shows the site');
  await waitCss(driver, '#status[data-state="ok"]', 60000).catch(async (e) => {
    throw new Error(`${e.message}: the page says ${JSON.stringify(await driver.executeScript("return document.getElementById('status')?.textContent"))}; the guard ${JSON.stringify((await guardStatus(driver, tabId)).load)}`);
  });
  // The content script lifts the page's inert state once the load is valid.
  await waitCss(driver, 'html[data-sealpost-verified]', 10000);
  // The page realm's WebAssembly.* are the guard's (wasm-guard.js), for good: the release runs with them in place.
  assert.equal(await driver.executeScript("const d = Object.getOwnPropertyDescriptor(window.WebAssembly, 'instantiateStreaming'); return !d.configurable && !d.writable"),
    true, 'wasm-guard.js is in the page');
  await waitCss(driver, '#setup:not([hidden])');
  await fill(driver, '#setup-name', 'Alice');
  await fill(driver, '#setup-email', 'alice@example.org');
  await fill(driver, '#setup-passphrase', 'a passphrase for the Firefox test');
  await click(driver, '#setup-create');
  await waitCss(driver, '#mailbox:not([hidden])', 60000);
  await driver.wait(async () => (await driver.findElement(By.css('#mailbox')).isDisplayed()), 60000);
  // Her own public key into the address book, then a mail to herself.
  await click(driver, '#nav-key');
  const publicKey = await driver.executeScript("return document.getElementById('my-public-key').value");
  assert.match(publicKey, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
  await click(driver, '#nav-contacts');
  await driver.executeScript("document.getElementById('contact-key').value = arguments[0]", publicKey);
  await click(driver, '#contact-add');
  await waitCss(driver, '#contact-list li');
  await click(driver, '#nav-compose');
  await fill(driver, '#compose-subject', 'Firefox subject');
  await fill(driver, '#compose-text', 'Hello from Firefox, through the guard.');
  await click(driver, '#compose-send');
  await waitCss(driver, '#compose-status[data-state="ok"]', 60000);
  await click(driver, '#nav-inbox');
  await click(driver, '#inbox-refresh');
  await waitCss(driver, '#inbox-list li[data-state="verified"]', 30000);
  await click(driver, '#inbox-list li');
  await waitCss(driver, '#message:not([hidden])');
  assert.equal(await driver.findElement(By.css('#msg-signature')).getAttribute('data-state'), 'verified');
  assert.equal(await driver.findElement(By.css('#msg-subject')).getText(), 'Firefox subject');
  assert.equal(await driver.findElement(By.css('#msg-text')).getText(), 'Hello from Firefox, through the guard.');
  // Still valid after all that (no late failure).
  assert.equal((await guardStatus(driver, tabId)).load?.state, 'valid');
});
