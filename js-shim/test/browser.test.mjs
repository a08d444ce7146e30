// The browser suite (test/browser/suite.js) in headless Chromium: worker
// mode, served over HTTP with sealpost's strict CSP and cross-origin
// isolation headers, plus a tampered copy of the wasm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import { browser, serve } from '../../tests/e2e/helpers.mjs';
import * as sp from '../src/node.js';

const shim = fileURLToPath(new URL('../', import.meta.url));
let chrome;
let results;
let root;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'sealpost-shim-'));
  cpSync(join(shim, 'src'), join(root, 'src'), { recursive: true });
  cpSync(join(shim, 'test/browser'), join(root, 'test/browser'), { recursive: true });
  const wasm = readFileSync(join(root, 'src/wasm/sealpost_wasm_bg.wasm'));
  wasm[wasm.length >> 1] ^= 0x01;
  writeFileSync(join(root, 'test/browser/tampered.wasm'), wasm);
  // The worker served with one byte altered.
  const worker = readFileSync(join(root, 'src/wasm/worker.bundle.js'));
  worker[worker.length >> 1] ^= 0x01;
  writeFileSync(join(root, 'test/browser/tampered-worker.js'), worker);
  // A test build of the worker with a trap op, pinned by its own SHA-384.
  const trap = await build({ entryPoints: [join(root, 'test/browser/trap-worker.js')], bundle: true, format: 'esm', write: false, logLevel: 'warning' });
  const trapBytes = trap.outputFiles[0].contents;
  writeFileSync(join(root, 'test/browser/trap-worker.bundle.js'), trapBytes);
  writeFileSync(join(root, 'test/browser/trap-pin.js'),
    `export const TRAP_WORKER_INTEGRITY = 'sha384-${createHash('sha384').update(trapBytes).digest('base64')}';\n`);
  chrome = await browser();
  const server = await serve(root, { integrityPolicy: false });
  const page = await chrome.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  try {
    await page.goto(`${server.url}test/browser/index.html`);
    await page.waitForFunction(() => window.__results?.done, null, { timeout: 180_000 });
    results = await page.evaluate(() => window.__results);
    results.loot = await page.evaluate(() => window.__loot);
    results.attacks = await page.evaluate(() => window.__attacks);
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
  'a v4 key packet over 64 KiB is an error in the worker, not a trap: loaded keys stay usable',
  'a trap replaces the worker: pending calls fail, later calls work',
  'a wasm that does not match its SHA-384 is refused',
  'a worker file that does not match its SHA-384 never runs',
  'lockAfter: an unlocked key left idle is dropped',
  'attacks: no page script gets a secret key that opens without the victim passphrase',
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

test('browser: the attacker got nothing that opens with its passphrase (checked in Node)', async () => {
  assert.ok(results.attacks.length >= 30, `${results.attacks.length} attacks ran`);
  // Everything returned to the attacker: the victim's locked form, certificates, errors.
  assert.ok(results.loot.length >= 4, 'the direct exports returned something to check');
  for (const { name, got } of results.loot) {
    const input = typeof got === 'string' ? { armoredKeys: got } : { binaryKeys: new Uint8Array(got) };
    let keys;
    try {
      keys = await sp.readKeys(input);
    } catch {
      continue; // not a key at all
    }
    for (const k of keys) {
      if (!k.isPrivate()) continue;
      assert.equal(k.isDecrypted(), false, `${name}: secret material in the clear`);
      await assert.rejects(sp.decryptKey({ privateKey: k, passphrase: 'attacker passphrase' }), (e) => e.code === 'BAD_PASSPHRASE', `${name}: opens with the attacker passphrase`);
      // It is the victim's own locked key: the victim passphrase opens it.
      assert.equal((await sp.decryptKey({ privateKey: k, passphrase: 'victim passphrase' })).isDecrypted(), true, name);
    }
  }
});

test('browser: a heap snapshot of the page holds no passphrase and no secret key material', async () => {
  // A key made here (Node, direct mode), given to the page locked: the page unlocks, uses
  // and exports it in worker mode, and generates one of its own.
  const passphrase = `heap-pass-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 24)}`;
  const generatedPassphrase = `heap-gen-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 24)}`;
  const { privateKey: plain } = await sp.generateKey({ userIDs: 'H <h@example.org>', format: 'object' });
  const plainArmored = await plain.armor();
  const plainBytes = await plain.write();
  const lockedArmored = await (await sp.encryptKey({ privateKey: plain, passphrase })).armor();
  const server = await serve(root, { integrityPolicy: false });
  const page = await chrome.newPage();
  try {
    await page.goto(`${server.url}test/browser/heap.html`);
    await page.waitForFunction(() => typeof window.__run === 'function');
    assert.equal(await page.evaluate(([a, p, g]) => window.__run(a, p, g), [lockedArmored, passphrase, generatedPassphrase]), 'heap check');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    let chunks = '';
    cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => { chunks += chunk; });
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    const { strings } = JSON.parse(chunks);
    assert.ok(strings.length > 1000, 'a real snapshot');
    assert.ok(strings.some((s) => s.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----')), 'the locked exports are there (the search works)');
    // The secret: the base64 of the unlocked key, in runs of 24 characters that are
    // not in its locked form; its hex; and both passphrases.
    const body = (t) => t.split('\n').filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l)).join('');
    const lockedBody = body(lockedArmored);
    const runs = [];
    const plainBody = body(plainArmored);
    for (let i = 0; i + 24 <= plainBody.length; i += 12) {
      const r = plainBody.slice(i, i + 24);
      if (!lockedBody.includes(r)) runs.push(r);
    }
    assert.ok(runs.length > 4, 'secret runs to look for');
    const hex = Buffer.from(plainBytes).toString('hex');
    const needles = [passphrase, generatedPassphrase, ...runs, ...Array.from({ length: Math.floor(hex.length / 32) }, (_, i) => hex.slice(i * 32, i * 32 + 32))];
    const found = needles.filter((n) => strings.some((s) => s.includes(n)));
    assert.deepEqual(found, [], 'found in the page heap');
  } finally {
    await page.close();
    await server.close();
  }
});
