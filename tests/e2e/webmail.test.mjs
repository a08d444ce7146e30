// The demo webmail end to end: the Rust demo server (SQLite store) serving
// the built site with its strict headers, two browser contexts (Alice and
// Bob) in headless Chromium.  Keys are made in the pages; Alice sends Bob an
// encrypted, signed mail with a 1 MiB attachment; Bob reads it verified.
// Then: the store holds no subject, body or attachment bytes, gpg decrypts
// the stored message with Bob's key, and the negative paths (wrong
// passphrase, altered message, altered signature, unknown signer) each show
// the right state.  Screenshots: build/test-artifacts/webmail-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { browser, repo, serveDemo } from './helpers.mjs';
import * as sp from '../../js-shim/src/node.js';

const siteSrc = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const verifyBin = process.env.SEALPOST_VERIFY || join(repo, 'target/debug/sealpost-verify');
const mimeTool = join(repo, 'tests/mail/mime_tool.py');
const artifacts = join(repo, 'build/test-artifacts');
mkdirSync(artifacts, { recursive: true });

const PASS = { alice: 'alice passphrase 1', bob: 'bob passphrase 22' };
const SUBJECT = 'Quarterly plan — streng vertraulich';
const BODY = 'Bob, the plan is attached. Burn after reading.\n— Alice';
const attachment = randomBytes(1 << 20);

let dir;
let url;
let demo;
let chrome;
let alice;
let bob;

function sqlite(sql) {
  const r = spawnSync('python3', ['-c', `import sqlite3,sys,json,base64
c=sqlite3.connect(sys.argv[1])
rows=c.execute(sys.argv[2]).fetchall()
print(json.dumps([[base64.b64encode(v).decode() if isinstance(v,bytes) else v for v in row] for row in rows]))`, join(dir, 'mail.sqlite'), sql], { encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `webmail-${name}.png`), fullPage: true });
}

async function user(name, email) {
  const context = await chrome.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  await page.waitForSelector('#status[data-state="ok"]', { timeout: 60_000 });
  await page.waitForSelector('#setup:not([hidden])');
  await page.fill('#setup-name', name);
  await page.fill('#setup-email', email);
  await page.fill('#setup-passphrase', PASS[name.toLowerCase()]);
  await page.click('#setup-create');
  await page.waitForSelector('#mailbox:not([hidden])', { timeout: 60_000 });
  await page.click('#nav-key');
  const publicKey = await page.inputValue('#my-public-key');
  assert.match(publicKey, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
  return { context, page, publicKey, problems, email };
}

async function addContact(u, armored) {
  await u.page.click('#nav-contacts');
  await u.page.fill('#contact-key', armored);
  await u.page.click('#contact-add');
  await u.page.waitForFunction(() => document.querySelectorAll('#contact-list li').length > 0 && document.getElementById('contact-key').value === '');
}

async function inbox(u) {
  await u.page.click('#nav-inbox');
  await u.page.click('#inbox-refresh');
  await u.page.waitForFunction(() => !document.getElementById('inbox-refresh').disabled);
  return u.page.$$eval('#inbox-list li', (lis) => lis.map((li) => ({ id: li.dataset.id, state: li.dataset.state, text: li.textContent })));
}

async function post(to, message) {
  const r = await fetch(`${url}api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to, message: Buffer.from(message).toString('base64') }) });
  assert.equal(r.status, 201);
  return (await r.json()).id;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sealpost-webmail-'));
  const dist = join(dir, 'dist');
  cpSync(siteSrc, dist, { recursive: true });
  // A signed manifest of the served files, as `make dist` makes one (test key).
  const r = spawnSync(verifyBin, ['manifest', dist, '--out', join(dir, 'manifest.json'), '--app', 'sealpost-demo', '--release-version', '0.1.0',
    '--sign-with', join(repo, 'keys/demo-release.key')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  cpSync(join(dir, 'manifest.json'), join(dist, 'manifest.json'));
  cpSync(join(dir, 'manifest.json.sig'), join(dist, 'manifest.json.sig'));
  demo = await serveDemo(dist, join(dir, 'mail.sqlite'));
  url = demo.url;
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the server sends the strict headers and the manifest at its well-known path', async () => {
  const r = await fetch(url);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(r.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(r.headers.get('cross-origin-embedder-policy'), 'require-corp');
  const wasm = await fetch(`${url}sealpost/wasm/sealpost_wasm_bg.wasm`);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const m = await fetch(`${url}.well-known/sealpost/manifest.json`);
  assert.equal(m.status, 200);
  assert.equal((await m.json()).app, 'sealpost-demo');
  assert.equal((await fetch(`${url}.well-known/sealpost/manifest.json.sig`)).status, 200);
  assert.equal((await fetch(`${url}../Cargo.toml`)).status, 404);
});

test('sealpost-verify checks the running demo against its signed manifest', async () => {
  const manifest = join(dir, 'fetched-manifest.json');
  // The manifest and signature as the server publishes them.
  writeFileSync(manifest, Buffer.from(await (await fetch(`${url}.well-known/sealpost/manifest.json`)).arrayBuffer()));
  writeFileSync(`${manifest}.sig`, Buffer.from(await (await fetch(`${url}.well-known/sealpost/manifest.json.sig`)).arrayBuffer()));
  const cert = join(dir, 'release.cert');
  writeFileSync(cert, readFileSync(join(repo, 'keys/demo-release.cert')));
  const r = spawnSync(verifyBin, ['check', url, '--manifest', manifest, '--cert', cert, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.verified, true, r.stdout);
});

test('Alice and Bob exchange keys; Alice sends encrypted, signed mail with a 1 MiB attachment; Bob reads it verified; keys rest locked', async (t) => {
  alice = await user('Alice', 'alice@example.org');
  bob = await user('Bob', 'bob@example.org');
  await shot(alice.page, '1-alice-key');
  await addContact(alice, bob.publicKey);
  await addContact(bob, alice.publicKey);
  await shot(bob.page, '2-bob-address-book');

  await alice.page.click('#nav-compose');
  await alice.page.selectOption('#compose-to', 'bob@example.org');
  await alice.page.fill('#compose-subject', SUBJECT);
  await alice.page.fill('#compose-text', BODY);
  await alice.page.setInputFiles('#compose-files', { name: 'plan.bin', mimeType: 'application/octet-stream', buffer: attachment });
  await shot(alice.page, '3-alice-compose');
  await alice.page.click('#compose-send');
  await alice.page.waitForSelector('#compose-status[data-state="ok"]', { timeout: 120_000 });
  const ms = Number(await alice.page.getAttribute('#compose-status', 'data-ms'));
  t.diagnostic(`Send → stored, 1 MiB attachment (dev wasm): ${ms} ms`);

  const rows = await inbox(bob);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].state, 'verified');
  assert.ok(rows[0].text.includes(SUBJECT));
  await bob.page.click('#inbox-list li');
  await bob.page.waitForSelector('#message:not([hidden])');
  assert.equal(await bob.page.getAttribute('#msg-signature', 'data-state'), 'verified');
  assert.match(await bob.page.textContent('#msg-signature'), /Signed by alice@example\.org — verified/);
  assert.equal(await bob.page.textContent('#msg-subject'), SUBJECT);
  assert.equal(await bob.page.textContent('#msg-text'), BODY);
  assert.match(await bob.page.textContent('#msg-protection'), /End-to-end encrypted.*subject and recipients protected/);
  const [download] = await Promise.all([bob.page.waitForEvent('download'), bob.page.click('#msg-attachments a')]);
  assert.equal(download.suggestedFilename(), 'plan.bin');
  assert.ok(readFileSync(await download.path()).equals(attachment), 'the attachment arrives byte for byte');
  await shot(bob.page, '4-bob-reads-verified');

  // At rest, the browser holds the private key only passphrase-locked: in the package's key
  // store, which the account record names by fingerprint.
  const stored = await alice.page.evaluate(async () => {
    const read = async (db, store, key) => {
      const req = indexedDB.open(db);
      await new Promise((r) => { req.onsuccess = r; });
      const get = req.result.transaction(store).objectStore(store).get(key);
      await new Promise((r) => { get.onsuccess = r; });
      req.result.close();
      return get.result;
    };
    const account = await read('sealpost-mail', 'kv', 'account');
    return { account, record: await read('sealpost-mail-keys', 'keys', account.fingerprint) };
  });
  assert.equal(stored.account.lockedKey, undefined, 'no key in the account record');
  const atRest = await sp.readPrivateKey({ armoredKey: stored.record.armored });
  assert.equal(atRest.getFingerprint(), stored.account.fingerprint);
  assert.equal(atRest.isDecrypted(), false, 'the stored private key is locked');

  // Alice reads her own copy.
  const sent = await inbox(alice);
  assert.equal(sent[0].state, 'verified');
  assert.deepEqual([...alice.problems, ...bob.problems], []);
});

test('the server stored only ciphertext, and gpg decrypts it with the key of Bob', async () => {
  const rows = sqlite('SELECT raw FROM messages');
  assert.equal(rows.length, 1);
  const raw = Buffer.from(rows[0][0], 'base64');
  for (const needle of [SUBJECT, 'Burn after reading', 'plan.bin']) assert.ok(!raw.includes(Buffer.from(needle)), `found ${needle} in the store`);
  for (let at = 0; at < attachment.length; at += 256 * 1024) assert.ok(!raw.includes(attachment.subarray(at, at + 64)), 'found attachment bytes in the store');
  assert.ok(raw.includes(Buffer.from('Subject: [...]')));

  await bob.page.click('#nav-key');
  await bob.page.click('#export-private');
  await bob.page.waitForSelector('#my-private-key:not([hidden])');
  const locked = await bob.page.inputValue('#my-private-key');
  assert.match(locked, /BEGIN PGP PRIVATE KEY BLOCK/);
  const home = mkdtempSync(join(tmpdir(), 'webmail-gpg-'));
  chmodSync(home, 0o700);
  try {
    const gpg = (args, input) => spawnSync('gpg', ['--batch', '--yes', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', PASS.bob, '--trust-model', 'always', '--status-fd', '2', ...args], { env: { ...process.env, GNUPGHOME: home }, input, maxBuffer: 64 << 20 });
    assert.equal(gpg(['--import'], locked).status, 0);
    gpg(['--import'], alice.publicKey);
    const armored = spawnSync('python3', [mimeTool, 'encrypted-payload'], { input: raw, maxBuffer: 64 << 20 }).stdout;
    const r = gpg(['--decrypt'], armored);
    assert.equal(r.status, 0, r.stderr.toString());
    assert.match(r.stderr.toString(), /DECRYPTION_OKAY/);
    assert.match(r.stderr.toString(), /GOODSIG/);
    assert.ok(r.stdout.includes(Buffer.from('Subject: =?utf-8?')) || r.stdout.includes(Buffer.from(SUBJECT)), 'the protected subject is inside');
  } finally {
    spawnSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home } });
    rmSync(home, { recursive: true, force: true });
  }
});

test('negative paths: wrong passphrase, altered message, altered signature, unknown signer', async () => {
  // A wrong passphrase is refused; the right one opens the mailbox.
  const page = await bob.context.newPage();
  await page.goto(url);
  await page.waitForSelector('#unlock:not([hidden])', { timeout: 60_000 });
  await page.fill('#unlock-passphrase', 'not the passphrase');
  await page.click('#unlock-button');
  await page.waitForFunction(() => document.getElementById('unlock-error').textContent !== '');
  assert.equal(await page.textContent('#unlock-error'), 'Wrong passphrase.');
  await shot(page, '5-wrong-passphrase');
  await page.fill('#unlock-passphrase', PASS.bob);
  await page.click('#unlock-button');
  await page.waitForSelector('#mailbox:not([hidden])');
  await page.close();

  // The server alters a stored message: one character of the ciphertext.
  const raw = Buffer.from(sqlite('SELECT raw FROM messages ORDER BY id LIMIT 1')[0][0], 'base64');
  const at = raw.indexOf(Buffer.from('-----BEGIN PGP MESSAGE-----')) + 400;
  const altered = Buffer.from(raw);
  altered[at] = altered[at] === 0x41 ? 0x42 : 0x41;
  const alteredId = await post(['bob@example.org'], altered);

  // A signed (not encrypted) mail from Alice whose signature the server altered.
  const aliceKey = await sp.decryptKey({
    privateKey: await sp.readPrivateKey({ armoredKey: await (async () => { await alice.page.click('#nav-key'); await alice.page.click('#export-private'); await alice.page.waitForSelector('#my-private-key:not([hidden])'); return alice.page.inputValue('#my-private-key'); })() }),
    passphrase: PASS.alice,
  });
  const signed = Buffer.from(await sp.signMail({ from: 'Alice <alice@example.org>', to: 'bob@example.org', subject: 'signed only', text: 'hello' }, { signingKeys: aliceKey }));
  const sigAt = signed.indexOf(Buffer.from('-----BEGIN PGP SIGNATURE-----')) + 120;
  signed[sigAt] = signed[sigAt] === 0x41 ? 0x42 : 0x41;
  const badSigId = await post(['bob@example.org'], signed);

  // Encrypted to Bob and signed by Carol, whom Bob does not know.
  const carol = (await sp.generateKey({ userIDs: 'Carol <carol@example.org>', format: 'object' })).privateKey;
  const bobKey = await sp.readKey({ armoredKey: bob.publicKey });
  const fromCarol = await sp.encryptMail({ from: 'Carol <carol@example.org>', to: 'bob@example.org', subject: 'hi from carol', text: 'hi' }, { encryptionKeys: bobKey, signingKeys: carol });
  const carolId = await post(['bob@example.org'], fromCarol);

  // Signed by Carol, claiming to be from Alice, with Carol in Bob's address book.
  const forged = await sp.encryptMail({ from: 'Alice <alice@example.org>', to: 'bob@example.org', subject: 'wire the money', text: 'now' }, { encryptionKeys: bobKey, signingKeys: carol });
  const forgedId = await post(['bob@example.org'], forged);
  await addContact(bob, await (await carol.toPublic()).armor());

  const rows = await inbox(bob);
  const state = (id) => rows.find((r) => r.id === String(id))?.state;
  assert.equal(state(alteredId), 'error');
  assert.equal(state(carolId), 'verified', 'Carol is in the address book now, and signed as Carol');
  assert.equal(state(forgedId), 'signer-mismatch');
  assert.equal(state(badSigId), 'invalid');
  for (const [id, expected, text] of [
    [alteredId, 'error', /altered after it was sent/],
    [forgedId, 'signer-mismatch', /made by carol@example\.org, not by the sender alice@example\.org/],
    [badSigId, 'invalid', /does not verify/],
  ]) {
    await bob.page.click(`#inbox-list li[data-id="${id}"]`);
    assert.equal(await bob.page.getAttribute('#msg-signature', 'data-state'), expected);
    assert.match(await bob.page.textContent('#msg-signature'), text);
    await shot(bob.page, `6-${expected}`);
  }

  // Before Carol was added: an unknown signer is not verified.
  const fresh = await bob.context.newPage();
  await fresh.goto(url);
  await fresh.waitForSelector('#unlock:not([hidden])');
  await fresh.evaluate(async () => {
    // Drop Carol again, as if she had never been added.
    const req = indexedDB.open('sealpost-mail', 1);
    await new Promise((r) => { req.onsuccess = r; });
    const tx = req.result.transaction('kv', 'readwrite');
    const store = tx.objectStore('kv');
    const get = store.get('contacts');
    await new Promise((r) => { get.onsuccess = r; });
    store.put(get.result.filter((c) => c.email !== 'carol@example.org'), 'contacts');
    await new Promise((r) => { tx.oncomplete = r; });
  });
  await fresh.fill('#unlock-passphrase', PASS.bob);
  await fresh.click('#unlock-button');
  await fresh.waitForSelector('#mailbox:not([hidden])');
  await fresh.waitForSelector(`#inbox-list li[data-id="${carolId}"]`);
  await fresh.click(`#inbox-list li[data-id="${carolId}"]`);
  assert.equal(await fresh.getAttribute('#msg-signature', 'data-state'), 'invalid');
  assert.match(await fresh.textContent('#msg-signature'), /not in your address book/);
  await shot(fresh, '7-unknown-signer');
  await fresh.close();
});

test('an HTML part is shown only in a sandbox that runs no script and loads nothing remote', async () => {
  // A real listener stands in for the attacker's server: the assertion is
  // that no connection reaches it.  (Chromium reports CSP-blocked loads as
  // request events too, so counting page events would not say what left.)
  let hits = 0;
  const sink = createServer((req, res) => { hits++; res.end(); });
  sink.on('connection', () => { hits++; });
  await new Promise((r) => sink.listen(0, '127.0.0.1', r));
  const exfil = `http://127.0.0.1:${sink.address().port}/exfiltrate.png`;
  try {
    const bobKey = await sp.readKey({ armoredKey: bob.publicKey });
    const html = `<p id="x">rich</p><img src="${exfil}"><link rel="stylesheet" href="${exfil}.css"><script>parent.document.title = "pwned"</script>`;
    const id = await post(['bob@example.org'], await sp.encryptMail({ from: 'eve@example.org', to: 'bob@example.org', subject: 'html', text: 'plain', html }, { encryptionKeys: bobKey }));
    const served = [];
    bob.page.on('requestfinished', (r) => served.push(r.url()));
    await inbox(bob);
    await bob.page.click(`#inbox-list li[data-id="${id}"]`);
    await bob.page.waitForSelector('#msg-html-box:not([hidden])');
    let frame;
    for (let i = 0; i < 50 && !frame; i++) {
      frame = bob.page.frames().find((f) => f.parentFrame() && f.url() === 'about:srcdoc');
      if (!frame) await bob.page.waitForTimeout(100);
    }
    assert.ok(frame, 'the HTML part is in a srcdoc frame');
    await frame.waitForSelector('#x');
    assert.equal(await frame.textContent('#x'), 'rich');
    await frame.waitForLoadState('load');
    await bob.page.waitForTimeout(300);
    assert.notEqual(await bob.page.title(), 'pwned');
    assert.equal(await bob.page.getAttribute('#msg-html', 'sandbox'), '');
    assert.equal(hits, 0, 'the attacker\'s server saw a connection');
    assert.deepEqual(served.filter((u) => u.includes('exfiltrate')), [], 'a remote load completed');
  } finally {
    sink.close();
  }
  await shot(bob.page, '8-html-sandboxed');
});
