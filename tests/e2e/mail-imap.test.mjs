// The demo webmail on real mail servers: Debian's Postfix and Dovecot
// (scripts/mail-servers.sh, loopback, free ports, two users) behind the Rust
// demo server in IMAP + SMTP mode, Alice and Bob in headless Chromium.
//   - a DNS-rebinding page (foreign Host) and a foreign Origin get nothing;
//   - wrong mail password and an unreachable mail server: clear messages;
//   - send with an attachment, receive, reply — over SMTP submission, LMTP
//     delivery and IMAP; the attachment arrives byte for byte;
//   - Bob's IMAP INBOX copy, read with Python's imaplib + email: the
//     browser's bytes unchanged after the trace headers, encrypted, nothing
//     in clear but the minimal outer headers; gpg decrypts it;
//   - Alice's Sent folder holds exactly the bytes she submitted (APPEND);
//   - a gpg-made PGP/MIME message and a plain one submitted with smtplib are
//     read in the browser (verified, unsigned);
//   - a send while Postfix is down stays in the outbox, across a reload,
//     until it is sent again (or discarded); with Postfix stopped mid-test
//     the outbox retries by itself and each message lands once (two tabs,
//     a repeated POST of one outbox id);
//   - Autocrypt: a sender's key from their mail's header fills the address
//     book as a new, unverified key, completed from the WKD;
//   - WKD: the demo server answers for its users; an unknown recipient's
//     key is found by address;
//   - size: over 32 MiB refused (MESSAGE_TOO_LARGE) without being
//     downloaded, 31 MB through whole;
//   - TLS: IMAPS + STARTTLS with a CA made per run (--ca); untrusted refused.
// Latency send → visible in Bob's IMAP INBOX is measured and printed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import { browser, repo } from './helpers.mjs';

const siteSrc = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const mimeTool = join(repo, 'tests/mail/mime_tool.py');
const mailServers = join(repo, 'scripts/mail-servers.sh');
const artifacts = join(repo, 'build/test-artifacts');
mkdirSync(artifacts, { recursive: true });

const PASS = { alice: 'alice passphrase 1', bob: 'bob passphrase 22' };
const MAILPASS = { alice: 'alice mail password', bob: 'bob mail password' };
const SUBJECT = 'Board minutes — vertraulich';
const BODY = 'Bob, the minutes are attached. Not for the list.\n— Alice';
const attachment = randomBytes(300 * 1024);

let dir;
let mailDir;
let ports;
let demo;
let chrome;
let alice;
let bob;

async function freePorts(n) {
  const servers = [];
  for (let i = 0; i < n; i++) {
    const s = createServer();
    await new Promise((r) => s.listen(0, '127.0.0.1', r));
    servers.push(s);
  }
  const out = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return out;
}

/** The demo server in IMAP mode (or with `imap`/`smtp` overridden): { url, port, pid, close }. */
async function startDemo(dist, imap, smtp, extra = [], port = 0) {
  const child = spawn(join(repo, 'target/debug/sealpost-demo'), ['--dist', dist, '--port', String(port), '--imap', imap, '--smtp', smtp, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  let buffered = '';
  for await (const chunk of child.stdout) {
    buffered += chunk;
    const m = buffered.match(/listening on (http:\/\/127\.0\.0\.1:(\d+)\/)/);
    if (m) {
      return {
        url: m[1],
        port: Number(m[2]),
        pid: child.pid,
        close: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGINT');
          const t = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(t);
        },
      };
    }
  }
  throw new Error(`sealpost-demo did not start: ${buffered}`);
}

function servers(cmd) {
  const r = spawnSync(mailServers, [cmd, mailDir], {
    encoding: 'utf8',
    env: { ...process.env, IMAP_PORT: String(ports.imap), SUBMISSION_PORT: String(ports.submission), MX_PORT: String(ports.mx), LMTP_PORT: String(ports.lmtp), AUTH_PORT: String(ports.auth) },
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout;
}

/** Runs Python code with argv; returns stdout (JSON parsed if asked). */
function py(code, args = [], input) {
  const r = spawnSync('python3', ['-c', code, ...args.map(String)], { input, maxBuffer: 256 << 20 });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout;
}

const IMAP_UIDS = `import imaplib,sys,json
m=imaplib.IMAP4('127.0.0.1',int(sys.argv[1])); m.login(sys.argv[2],sys.argv[3]); m.select('INBOX',readonly=True)
t,d=m.uid('SEARCH',None,'ALL'); print(json.dumps([int(x) for x in d[0].split()])); m.logout()`;
const IMAP_FETCH = `import imaplib,sys
m=imaplib.IMAP4('127.0.0.1',int(sys.argv[1])); m.login(sys.argv[2],sys.argv[3]); m.select('INBOX',readonly=True)
t,d=m.uid('FETCH',sys.argv[4],'(BODY.PEEK[])'); sys.stdout.buffer.write(d[0][1]); m.logout()`;
const SMTP_SEND = `import smtplib,sys
s=smtplib.SMTP('127.0.0.1',int(sys.argv[1])); s.sendmail(sys.argv[2],[sys.argv[3]],sys.stdin.buffer.read()); s.quit()`;

const IMAP_FOLDER_UIDS = `import imaplib,sys,json
m=imaplib.IMAP4('127.0.0.1',int(sys.argv[1])); m.login(sys.argv[2],sys.argv[3])
t,_=m.select(sys.argv[4],readonly=True)
if t!='OK': print('[]')
else:
  t,d=m.uid('SEARCH',None,'ALL'); print(json.dumps([int(x) for x in d[0].split()]))
m.logout()`;
const IMAP_FOLDER_FETCH = `import imaplib,sys
m=imaplib.IMAP4('127.0.0.1',int(sys.argv[1])); m.login(sys.argv[2],sys.argv[3]); m.select(sys.argv[5],readonly=True)
t,d=m.uid('FETCH',sys.argv[4],'(BODY.PEEK[])'); sys.stdout.buffer.write(d[0][1]); m.logout()`;
const imapSent = (who) => JSON.parse(py(IMAP_FOLDER_UIDS, [ports.imap, `${who}@example.org`, MAILPASS[who], 'Sent']).toString());
const imapSentFetch = (who, uid) => py(IMAP_FOLDER_FETCH, [ports.imap, `${who}@example.org`, MAILPASS[who], uid, 'Sent']);
/** The demo server's memory (kB) from /proc: { rss, hwm }. */
function memory(pid) {
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: Number(st.match(/^VmRSS:\s+(\d+)/m)[1]), hwm: Number(st.match(/^VmHWM:\s+(\d+)/m)[1]) };
}
const tokenOf = (u) => u.page.evaluate(() => sessionStorage.getItem('sealpost-mail-token'));
/** A call to the demo server's API as the page makes it (bearer token). */
async function apiCall(u, path, init = {}) {
  const r = await fetch(`${demo.url}${path}`, { ...init, headers: { ...(init.headers || {}), authorization: `Bearer ${await tokenOf(u)}` } });
  const body = Buffer.from(await r.arrayBuffer());
  let json = null;
  try { json = JSON.parse(body.toString()); } catch { /* not JSON */ }
  return { status: r.status, body, json };
}

const imapUids = (who) => JSON.parse(py(IMAP_UIDS, [ports.imap, `${who}@example.org`, MAILPASS[who]]).toString());
const imapFetch = (who, uid) => py(IMAP_FETCH, [ports.imap, `${who}@example.org`, MAILPASS[who], uid]);

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `mail-imap-${name}.png`), fullPage: true });
}

/** A browser profile: key made in the page, then the mail login. */
async function user(name, email, url = demo.url, mailPassword = MAILPASS[name.toLowerCase()]) {
  const context = await chrome.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  await page.waitForSelector('#status[data-state="ok"]', { timeout: 60_000 });
  await page.waitForSelector('#setup:not([hidden])');
  await page.fill('#setup-name', name);
  await page.fill('#setup-email', email);
  await page.fill('#setup-passphrase', PASS[name.toLowerCase()] || 'a passphrase 123');
  await page.click('#setup-create');
  await page.waitForSelector('#mail-login:not([hidden])', { timeout: 60_000 });
  const u = { context, page, problems, email };
  if (mailPassword) {
    await mailLogin(u, mailPassword);
    await page.click('#nav-key');
    u.publicKey = await page.inputValue('#my-public-key');
  }
  return u;
}

async function mailLogin(u, password) {
  await u.page.fill('#mail-password', password);
  await u.page.click('#mail-login-button');
  await u.page.waitForSelector('#mailbox:not([hidden])', { timeout: 30_000 });
}

async function loginError(page, password) {
  await page.fill('#mail-password', password);
  await page.click('#mail-login-button');
  await page.waitForFunction(() => document.getElementById('mail-login-error').textContent !== '', null, { timeout: 30_000 });
  return page.textContent('#mail-login-error');
}

async function addContact(u, armored) {
  await u.page.click('#nav-contacts');
  const before = await u.page.$$eval('#contact-list li', (l) => l.length);
  await u.page.fill('#contact-key', armored);
  await u.page.click('#contact-add');
  await u.page.waitForFunction((n) => document.querySelectorAll('#contact-list li').length > n && document.getElementById('contact-key').value === '', before);
}

async function inbox(u) {
  await u.page.click('#nav-inbox');
  await u.page.click('#inbox-refresh');
  await u.page.waitForFunction(() => !document.getElementById('inbox-refresh').disabled);
  return u.page.$$eval('#inbox-list li', (lis) => lis.map((li) => ({ id: li.dataset.id, state: li.dataset.state, text: li.textContent })));
}

/** Refreshes until `pred(rows)` holds (delivery through Postfix is asynchronous). */
async function inboxUntil(u, pred, what) {
  for (let i = 0; i < 100; i++) {
    const rows = await inbox(u);
    if (pred(rows)) return rows;
    await u.page.waitForTimeout(100);
  }
  throw new Error(`inbox never showed ${what}`);
}

async function compose(u, to, subject, text, files) {
  await u.page.click('#nav-compose');
  await u.page.selectOption('#compose-to', to);
  await u.page.fill('#compose-subject', subject);
  await u.page.fill('#compose-text', text);
  if (files) await u.page.setInputFiles('#compose-files', files);
}

/** Clicks send; returns the base64 message the page POSTed (the browser's exact bytes). */
async function send(u) {
  const posted = u.page.waitForRequest((r) => r.url().endsWith('/api/messages') && r.method() === 'POST');
  await u.page.click('#compose-send');
  const req = await posted;
  await u.page.waitForSelector('#compose-status[data-state="ok"], #compose-status[data-state="error"]', { timeout: 120_000 });
  return Buffer.from(JSON.parse(req.postData()).message, 'base64');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sealpost-mail-imap-'));
  chmodSync(dir, 0o755); // Postfix's and Dovecot's own users work in here
  mailDir = join(dir, 'mail-servers');
  const [imap, submission, mx, lmtp, auth] = await freePorts(5);
  ports = { imap, submission, mx, lmtp, auth };
  const started = Date.now();
  servers('start');
  console.log(`# Postfix + Dovecot started in ${Date.now() - started} ms`);
  const dist = join(dir, 'dist');
  cpSync(siteSrc, dist, { recursive: true });
  demo = await startDemo(dist, `imap://127.0.0.1:${ports.imap}`, `smtp://127.0.0.1:${ports.submission}`);
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  await demo?.close();
  if (mailDir) spawnSync(mailServers, ['stop', mailDir]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function raw(port, path, headers, method = 'GET', body) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let data = '';
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('a foreign Host (DNS rebinding) or Origin gets a refusal, not a mailbox', async () => {
  const port = demo.port;
  const own = await raw(port, '/api/config', { host: `127.0.0.1:${port}` });
  assert.equal(own.status, 200);
  for (const path of ['/', '/api/messages?to=bob@example.org', '/api/messages/1', '/api/config']) {
    const r = await raw(port, path, { host: `rebind.attacker.example:${port}` });
    assert.equal(r.status, 403, path);
    assert.equal(JSON.parse(r.body).code, 'HOST_NOT_ALLOWED');
  }
  const login = JSON.stringify({ address: 'bob@example.org', password: MAILPASS.bob });
  const csrf = await raw(port, '/api/session', { host: `127.0.0.1:${port}`, origin: 'http://attacker.example', 'content-type': 'application/json' }, 'POST', login);
  assert.equal(csrf.status, 403);
  assert.equal(JSON.parse(csrf.body).code, 'ORIGIN_NOT_ALLOWED');

  // The attack as a browser runs it: a page of rebind.attacker.example whose
  // name now resolves to 127.0.0.1 (Chromium's resolver rule), reading "its
  // own" origin — the demo server.  What its script got (its report, kept
  // in the page) is what is asserted.
  let report;
  const attacker = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Chromium's own Private/Local Network Access checks would stop this page
    // first; Firefox and Safari have none, so they are off here: the server
    // must refuse by itself.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--host-resolver-rules=MAP rebind.attacker.example 127.0.0.1',
      '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks'],
  });
  try {
    const page = await attacker.newPage();
    const origin = `http://rebind.attacker.example:${port}`;
    const script = `(async () => {
      const out = [];
      for (const [path, init] of [['/api/messages?to=bob@example.org'], ['/api/messages/1'], ['/'],
        ['/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(login)} }]]) {
        try { const r = await fetch(path, init); out.push({ path, status: r.status, body: await r.text() }); }
        catch (e) { out.push({ path, error: String(e) }); }
      }
      window.attackReport = JSON.stringify(out);
    })()`;
    // The attacker's own document, as its server served it before the rebinding.
    await page.route(`${origin}/attack`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: `<script>${script}</script>` }));
    await page.goto(`${origin}/attack`);
    await page.waitForFunction(() => window.attackReport, null, { timeout: 20_000 });
    report = await page.evaluate(() => window.attackReport);
  } finally {
    await attacker.close();
  }
  const got = JSON.parse(report);
  assert.equal(got.length, 4);
  for (const r of got) {
    assert.equal(r.status, 403, `${r.path}: ${r.status} ${r.error || ''}`);
    assert.match(r.body, /HOST_NOT_ALLOWED/);
    assert.doesNotMatch(r.body, /token|BEGIN PGP|received/);
  }
});

test('mail login: a wrong password and an unreachable mail server each say so; the right password opens the mailbox', async () => {
  bob = await user('Bob', 'bob@example.org');
  alice = await user('Alice', 'alice@example.org', demo.url, null);
  assert.match(await loginError(alice.page, 'not my mail password'), /MAIL_AUTH_FAILED: The mail server refused this password\./);
  await shot(alice.page, '1-wrong-mail-password');
  await mailLogin(alice, MAILPASS.alice);
  await alice.page.click('#nav-key');
  alice.publicKey = await alice.page.inputValue('#my-public-key');

  // The same demo pointed at a mail server that is not there.
  const [dead] = await freePorts(1);
  const down = await startDemo(join(dir, 'dist'), `imap://127.0.0.1:${dead}`, `smtp://127.0.0.1:${dead}`);
  try {
    const carol = await user('Carol', 'carol@example.org', down.url, null);
    assert.match(await loginError(carol.page, 'whatever'), /MAIL_SERVER_UNREACHABLE: The mail server cannot be reached right now/);
    await shot(carol.page, '2-unreachable');
    await carol.context.close();
  } finally {
    await down.close();
  }
});

let sentBytes;
test('Alice sends Bob encrypted, signed mail with an attachment over Postfix; Bob reads it from Dovecot, verified, byte for byte; Bob replies', async (t) => {
  await addContact(alice, bob.publicKey);
  await addContact(bob, alice.publicKey);
  await compose(alice, 'bob@example.org', SUBJECT, BODY, { name: 'minutes.bin', mimeType: 'application/octet-stream', buffer: attachment });
  const before = imapUids('bob').length;
  const t0 = Date.now();
  sentBytes = await send(alice);
  const tSent = Date.now();
  assert.equal(await alice.page.getAttribute('#compose-status', 'data-state'), 'ok', await alice.page.textContent('#compose-status'));
  assert.match(await alice.page.textContent('#compose-status'), /handed to the mail server/);
  let uids;
  for (let i = 0; i < 200 && (uids = imapUids('bob')).length === before; i++) await new Promise((r) => setTimeout(r, 25));
  const tImap = Date.now();
  assert.equal(uids.length, before + 1, 'delivered to Bob\'s INBOX');
  t.diagnostic(`send click → SMTP accepted: ${tSent - t0} ms; accepted → in Bob's IMAP INBOX: ${tImap - tSent} ms (${(sentBytes.length / 1024).toFixed(0)} KiB message)`);

  const rows = await inboxUntil(bob, (r) => r.some((x) => x.text.includes(SUBJECT)), 'Alice\'s message');
  const row = rows.find((x) => x.text.includes(SUBJECT));
  assert.equal(row.state, 'verified');
  await bob.page.click(`#inbox-list li[data-id="${row.id}"]`);
  await bob.page.waitForSelector('#message:not([hidden])');
  assert.match(await bob.page.textContent('#msg-signature'), /Signed by alice@example\.org — verified/);
  assert.equal(await bob.page.textContent('#msg-subject'), SUBJECT);
  assert.equal(await bob.page.textContent('#msg-text'), BODY);
  assert.match(await bob.page.textContent('#msg-protection'), /End-to-end encrypted.*subject and recipients protected/);
  const [download] = await Promise.all([bob.page.waitForEvent('download'), bob.page.click('#msg-attachments a')]);
  assert.equal(download.suggestedFilename(), 'minutes.bin');
  assert.ok(readFileSync(await download.path()).equals(attachment), 'the attachment arrives byte for byte');
  await shot(bob.page, '3-bob-reads');

  // Reply.
  await bob.page.click('#msg-reply');
  assert.equal(await bob.page.inputValue('#compose-to'), 'alice@example.org');
  assert.equal(await bob.page.inputValue('#compose-subject'), `Re: ${SUBJECT}`);
  await bob.page.fill('#compose-text', `Thanks, received.\n${await bob.page.inputValue('#compose-text')}`);
  await send(bob);
  assert.equal(await bob.page.getAttribute('#compose-status', 'data-state'), 'ok');
  const aliceRows = await inboxUntil(alice, (r) => r.some((x) => x.text.includes(`Re: ${SUBJECT}`)), 'Bob\'s reply');
  const back = aliceRows.find((x) => x.text.includes(`Re: ${SUBJECT}`));
  assert.equal(back.state, 'verified');
  await alice.page.click(`#inbox-list li[data-id="${back.id}"]`);
  assert.match(await alice.page.textContent('#msg-text'), /^Thanks, received\.\n+> Bob, the minutes are attached/);
  // Alice's own copy came back through the servers too.
  assert.ok(aliceRows.some((x) => x.text.includes(SUBJECT) && !x.text.includes('Re:') && x.state === 'verified'));
  await shot(alice.page, '4-alice-reads-reply');
  assert.deepEqual([...alice.problems, ...bob.problems], []);
});

test('Bob\'s IMAP copy (Python imaplib + email): the browser\'s bytes after the trace headers, encrypted, minimal outer headers; gpg decrypts it', async () => {
  const uids = imapUids('bob');
  const stored = imapFetch('bob', uids[0]);
  // Postfix and Dovecot prepend trace fields (Return-Path, Delivered-To, Received) and change nothing else.
  // SMTP's DATA ends on a line break: one is added after a last line without it.
  let crlf = Buffer.from(sentBytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
  if (!crlf.subarray(-2).equals(Buffer.from('\r\n'))) crlf = Buffer.concat([crlf, Buffer.from('\r\n')]);
  writeFileSync(join(artifacts, 'mail-imap-sent.eml'), sentBytes);
  writeFileSync(join(artifacts, 'mail-imap-stored.eml'), stored);
  assert.ok(stored.subarray(stored.length - crlf.length).equals(crlf), 'the message is stored exactly as the browser made it, after the trace fields');
  const trace = stored.subarray(0, stored.length - crlf.length).toString('latin1');
  for (const line of trace.split('\r\n').filter((l) => l && !/^\s/.test(l))) assert.match(line, /^(Return-Path|Delivered-To|Received):/);

  const described = JSON.parse(py(`import sys,json
from email import message_from_bytes, policy
m=message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
parts=[(p.get_content_type(), len(p.get_payload(decode=True) or b'')) for p in m.walk() if not p.is_multipart()]
print(json.dumps({'headers':[k for k in m.keys()],'subject':m['subject'],'type':m.get_content_type(),'protocol':m.get_param('protocol'),'parts':parts,
  'armored': any(b'-----BEGIN PGP MESSAGE-----' in (p.get_payload(decode=True) or b'') for p in m.walk() if not p.is_multipart())}))`, [], stored).toString());
  assert.equal(described.type, 'multipart/encrypted');
  assert.equal(described.protocol, 'application/pgp-encrypted');
  assert.deepEqual(described.parts.map((p) => p[0]), ['application/pgp-encrypted', 'application/octet-stream']);
  assert.ok(described.armored);
  assert.equal(described.subject, '[...]');
  const allowed = new Set(['return-path', 'delivered-to', 'received', 'from', 'to', 'date', 'message-id', 'subject', 'mime-version', 'content-type', 'autocrypt']);
  for (const h of described.headers) assert.ok(allowed.has(h.toLowerCase()), `outer header ${h} is more than the minimal set`);
  for (const needle of [SUBJECT, 'Not for the list', 'minutes.bin']) assert.ok(!stored.includes(Buffer.from(needle)), `found ${needle} in clear on the IMAP server`);
  for (let at = 0; at < attachment.length; at += 64 * 1024) assert.ok(!stored.includes(attachment.subarray(at, at + 48)), 'attachment bytes in clear');

  // gpg (another OpenPGP implementation) decrypts the IMAP copy with Bob's key.
  await bob.page.click('#nav-key');
  await bob.page.click('#export-private');
  await bob.page.waitForSelector('#my-private-key:not([hidden])');
  const locked = await bob.page.inputValue('#my-private-key');
  const home = mkdtempSync(join(tmpdir(), 'mail-imap-gpg-'));
  chmodSync(home, 0o700);
  try {
    const gpg = (args, input) => spawnSync('gpg', ['--batch', '--yes', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', PASS.bob, '--trust-model', 'always', '--status-fd', '2', ...args], { env: { ...process.env, GNUPGHOME: home }, input, maxBuffer: 64 << 20 });
    assert.equal(gpg(['--import'], locked).status, 0);
    gpg(['--import'], alice.publicKey);
    const armored = spawnSync('python3', [mimeTool, 'encrypted-payload'], { input: stored, maxBuffer: 64 << 20 }).stdout;
    const r = gpg(['--decrypt'], armored);
    assert.equal(r.status, 0, r.stderr.toString());
    assert.match(r.stderr.toString(), /GOODSIG/);
    assert.ok(r.stdout.includes(Buffer.from('Subject: ')), 'the protected headers are inside');
  } finally {
    spawnSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home } });
    rmSync(home, { recursive: true, force: true });
  }
});

test('Sent folder: the copy of what Alice submitted is APPENDed to her IMAP Sent mailbox byte for byte, and her page lists and reads it', async () => {
  const uids = imapSent('alice');
  assert.ok(uids.length >= 1, 'a Sent mailbox with a message');
  // The first message Alice sent (the one with the attachment); the reply went the other way.
  const copy = imapSentFetch('alice', uids[0]);
  assert.ok(copy.equals(sentBytes), `Sent copy: ${copy.length} bytes, submitted ${sentBytes.length}`);
  assert.equal(imapSent('bob').length, 1, 'Bob sent one message (the reply)');
  await alice.page.click('#nav-inbox');
  await alice.page.click('#folder-toggle');
  await alice.page.waitForFunction(() => document.getElementById('inbox-list').dataset.folder === 'sent' && !document.getElementById('folder-toggle').disabled);
  const rows = await alice.page.$$eval('#inbox-list li', (lis) => lis.map((li) => ({ id: li.dataset.id, state: li.dataset.state, text: li.textContent })));
  assert.equal(rows.length, uids.length);
  const row = rows.find((x) => x.text.includes(SUBJECT));
  assert.ok(row, JSON.stringify(rows));
  assert.equal(row.state, 'verified');
  await alice.page.click(`#inbox-list li[data-id="${row.id}"]`);
  assert.equal(await alice.page.textContent('#msg-text'), BODY);
  await shot(alice.page, '4b-sent-folder');
  await alice.page.click('#folder-toggle');
  await alice.page.waitForFunction(() => document.getElementById('inbox-list').dataset.folder === 'inbox');
});

test('mail from another client: gpg-made PGP/MIME (smtplib, inbound port) is decrypted and verified in the browser; plain mail shows as unsigned', async () => {
  const home = mkdtempSync(join(tmpdir(), 'mail-imap-dave-'));
  chmodSync(home, 0o700);
  const env = { ...process.env, GNUPGHOME: home };
  const gpg = (args, input) => spawnSync('gpg', ['--batch', '--yes', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', '', '--trust-model', 'always', ...args], { env, input, maxBuffer: 64 << 20 });
  try {
    assert.equal(gpg(['--quick-gen-key', 'Dave <dave@example.net>', 'ed25519', 'sign,cert', 'never']).status, 0);
    const fpr = gpg(['--list-keys', '--with-colons', 'dave@example.net']).stdout.toString().match(/^fpr:+([0-9A-F]+):/m)[1];
    assert.equal(gpg(['--quick-add-key', fpr, 'cv25519', 'encr', 'never']).status, 0);
    assert.equal(gpg(['--import'], bob.publicKey).status, 0);
    const davePublic = gpg(['--armor', '--export', 'dave@example.net']).stdout.toString();
    const data = randomBytes(40 * 1024);
    writeFileSync(join(home, 'text.txt'), 'Hello Bob, this came through Postfix from GnuPG.\n');
    writeFileSync(join(home, 'data.bin'), data);
    const inner = spawnSync('python3', [mimeTool, 'inner', join(home, 'text.txt'), join(home, 'data.bin')], { maxBuffer: 64 << 20 }).stdout;
    const enc = gpg(['--armor', '--encrypt', '--sign', '-u', 'dave@example.net', '-r', 'bob@example.org'], inner);
    assert.equal(enc.status, 0, enc.stderr.toString());
    writeFileSync(join(home, 'msg.asc'), enc.stdout);
    const mail = spawnSync('python3', [mimeTool, 'encrypted', 'Dave <dave@example.net>', 'Bob <bob@example.org>', 'from gnupg', join(home, 'msg.asc')], { maxBuffer: 64 << 20 }).stdout;
    py(SMTP_SEND, [ports.mx, 'dave@example.net', 'bob@example.org'], mail);
    py(SMTP_SEND, [ports.mx, 'newsletter@example.net', 'bob@example.org'],
      Buffer.from('From: News <newsletter@example.net>\r\nTo: bob@example.org\r\nSubject: plain news\r\nDate: Tue, 01 Dec 2026 00:00:00 +0000\r\nMessage-ID: <plain@example.net>\r\n\r\nNot encrypted, not signed.\r\n'));

    await addContact(bob, davePublic);
    const rows = await inboxUntil(bob, (r) => r.some((x) => x.text.includes('Hello Bob') || x.text.includes('from gnupg')) && r.some((x) => x.text.includes('plain news')), 'the gpg and plain messages');
    const fromGpg = rows.find((x) => x.text.startsWith('Dave'));
    assert.ok(fromGpg, JSON.stringify(rows));
    assert.equal(fromGpg.state, 'verified');
    await bob.page.click(`#inbox-list li[data-id="${fromGpg.id}"]`);
    assert.match(await bob.page.textContent('#msg-signature'), /Signed by dave@example\.net — verified/);
    assert.equal(await bob.page.textContent('#msg-text'), 'Hello Bob, this came through Postfix from GnuPG.\n');
    const [download] = await Promise.all([bob.page.waitForEvent('download'), bob.page.click('#msg-attachments a')]);
    assert.ok(readFileSync(await download.path()).equals(data), 'the gpg message\'s attachment byte for byte');
    await shot(bob.page, '5-from-gnupg');
    const plain = rows.find((x) => x.text.includes('plain news'));
    assert.equal(plain.state, 'unsigned');
    await bob.page.click(`#inbox-list li[data-id="${plain.id}"]`);
    assert.match(await bob.page.textContent('#msg-signature'), /Not signed/);
    assert.match(await bob.page.textContent('#msg-protection'), /Not encrypted/);
  } finally {
    spawnSync('gpgconf', ['--kill', 'all'], { env });
    rmSync(home, { recursive: true, force: true });
  }
});

/** Stops this run's Postfix and waits until its submission port is closed. */
async function stopPostfix() {
  assert.equal(spawnSync('postfix', ['-c', join(mailDir, 'postfix'), 'stop']).status, 0);
  for (let i = 0; i < 50; i++) {
    const up = await new Promise((r) => { const s = createServer(); s.once('error', () => r(true)); s.listen(ports.submission, '127.0.0.1', () => s.close(() => r(false))); });
    if (!up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('bad mail in the mailbox: a PGP/MIME message cut short, a multipart/encrypted without parts and an armored block of random bytes each get a row with a code, no wasm trap, and the rest still opens; with Dovecot stopped the inbox says MAIL_SERVER_UNREACHABLE', async () => {
  const before = imapUids('bob');
  const head = (subject) => `From: Mallory <mallory@example.net>\r\nTo: bob@example.org\r\nSubject: ${subject}\r\nDate: Tue, 01 Dec 2026 00:00:00 +0000\r\nMIME-Version: 1.0\r\n`;
  // Alice's first message as the browser made it, cut at 60 %: its armor ends mid-line, no closing boundary.
  const text = sentBytes.toString('latin1');
  const cut = Buffer.from(`${text.slice(0, Math.floor(text.length * 0.6))}\r\n`, 'latin1');
  const noParts = Buffer.from(`${head('no parts')}Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b"\r\n\r\nnothing here\r\n`);
  const junk = Buffer.from(`${head('random armor')}Content-Type: text/plain\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\n${randomBytes(3000).toString('base64').replace(/.{64}/g, '$&\r\n')}\r\n-----END PGP MESSAGE-----\r\n`);
  for (const m of [cut, noParts, junk]) py(SMTP_SEND, [ports.mx, 'mallory@example.net', 'bob@example.org'], m);
  let uids;
  for (let i = 0; i < 200 && (uids = imapUids('bob')).length < before.length + 3; i++) await new Promise((r) => setTimeout(r, 50));
  const fresh = uids.filter((u) => !before.includes(u)).map(String);
  assert.equal(fresh.length, 3);
  const rows = await inbox(bob);
  const bad = rows.filter((x) => fresh.includes(x.id));
  assert.equal(bad.length, 3);
  for (const r of bad) {
    assert.equal(r.state, 'error', JSON.stringify(r));
    assert.match(r.text, /could not be (read|decrypted)|not encrypted to your key/, JSON.stringify(r));
  }
  const codes = await bob.page.$$eval('#inbox-list li[data-state="error"]', (lis) => lis.map((li) => `${li.dataset.id}:${li.dataset.code || ''}`));
  for (const id of fresh) assert.match(codes.find((c) => c.startsWith(`${id}:`)) || '', /^\d+:[A-Z_]{4,}$/, `row ${id} has no code: ${codes}`);
  console.log(`# bad mail codes (uid:code): ${codes.filter((c) => fresh.includes(c.split(':')[0])).join(', ')}`);
  // The worker survived them: a good message still opens, verified.
  const good = rows.find((x) => x.text.includes(SUBJECT) && !x.text.includes('Re:'));
  await bob.page.click(`#inbox-list li[data-id="${good.id}"]`);
  assert.match(await bob.page.textContent('#msg-signature'), /Signed by alice@example\.org — verified/);
  assert.deepEqual(bob.problems.filter((p) => /unreachable|RuntimeError/.test(p)), []);
  await shot(bob.page, '5b-bad-mail');

  // The IMAP server down: the inbox says so, the list is not emptied.
  spawnSync('doveadm', ['-c', join(mailDir, 'dovecot.conf'), 'stop']);
  try {
    await bob.page.click('#inbox-refresh');
    await bob.page.waitForFunction(() => document.getElementById('inbox-error').textContent !== '', null, { timeout: 30_000 });
    assert.match(await bob.page.textContent('#inbox-error'), /^MAIL_SERVER_UNREACHABLE: The mail server cannot be reached right now/);
    assert.ok(await bob.page.$$eval('#inbox-list li', (l) => l.length) >= rows.length, 'the shown list stays');
  } finally {
    servers('start');
  }
});

test('a send while Postfix is down stays in the outbox (across a reload) until it is sent again or discarded', async () => {
  await stopPostfix();
  try {
    await compose(alice, 'bob@example.org', 'while the server is down', 'queued text');
    await send(alice);
    assert.equal(await alice.page.getAttribute('#compose-status', 'data-state'), 'error');
    assert.match(await alice.page.textContent('#compose-status'), /MAIL_SERVER_UNREACHABLE.*in your outbox/);
    assert.equal(await alice.page.$$eval('#outbox li', (l) => l.length), 1);
    // A second one, to discard.
    await compose(alice, 'bob@example.org', 'to be discarded', 'never sent');
    await send(alice);
    assert.equal(await alice.page.$$eval('#outbox li', (l) => l.length), 2);
    await shot(alice.page, '6-outbox');

    // The outbox survives a reload (IndexedDB), and holds ciphertext only.
    await alice.page.reload();
    await alice.page.waitForSelector('#unlock:not([hidden])', { timeout: 60_000 });
    await alice.page.fill('#unlock-passphrase', PASS.alice);
    await alice.page.click('#unlock-button');
    await alice.page.waitForSelector('#mailbox:not([hidden])', { timeout: 60_000 });
    await alice.page.click('#nav-compose');
    assert.equal(await alice.page.$$eval('#outbox li', (l) => l.length), 2);
    const kept = await alice.page.evaluate(async () => {
      const req = indexedDB.open('sealpost-mail', 1);
      await new Promise((r) => { req.onsuccess = r; });
      const get = req.result.transaction('kv').objectStore('kv').get('outbox');
      await new Promise((r) => { get.onsuccess = r; });
      return JSON.stringify(get.result);
    });
    assert.ok(!kept.includes('queued text') && !kept.includes('while the server is down'), 'plaintext in the outbox');
    assert.ok(!Buffer.from(kept).toString().includes(Buffer.from('queued text').toString('base64').slice(0, 12)));
    // Discarded while the server is still down (the outbox retries by itself once it is back).
    await alice.page.click('#outbox li:nth-child(2) button.discard');
    await alice.page.waitForFunction(() => document.querySelectorAll('#outbox li').length === 1);
  } finally {
    servers('start');
  }
  // Sent again by hand (an automatic try may come first: either way one copy, the id is sent once).
  await alice.page.evaluate(() => document.querySelector('#outbox li button.retry')?.click());
  await alice.page.waitForFunction(() => document.getElementById('outbox-box').hidden);
  assert.match(await alice.page.textContent('#compose-status'), /Sent from the outbox to bob@example\.org/);
  const rows = await inboxUntil(bob, (r) => r.some((x) => x.text.includes('while the server is down')), 'the outbox message');
  assert.equal(rows.find((x) => x.text.includes('while the server is down')).state, 'verified');
  assert.ok(!rows.some((x) => x.text.includes('to be discarded')));
});

test('outbox retry: with Postfix stopped mid-test the outbox tries again by itself with growing delays; once Postfix is back each message lands once, though two tabs retried it and a POST was repeated', async () => {
  const before = imapUids('bob').length;
  await stopPostfix();
  let tab2;
  try {
    for (const n of [1, 2]) {
      await compose(alice, 'bob@example.org', `automatic retry ${n}`, `retry body ${n}`);
      await send(alice);
      assert.match(await alice.page.textContent('#compose-status'), /MAIL_SERVER_UNREACHABLE.*in your outbox and will be sent again automatically/);
    }
    // Attempts grow while the server is down, and the page says when the next one comes.
    await alice.page.waitForFunction(() => [...document.querySelectorAll('#outbox li')].every((li) => Number(li.dataset.attempts) >= 2), null, { timeout: 30_000 });
    const why = await alice.page.textContent('#outbox li .why');
    assert.match(why, /Next automatic try in \d+ s\. Last attempt \(\d+\): MAIL_SERVER_UNREACHABLE/);
    await shot(alice.page, '6b-outbox-retrying');
    // A second tab of Alice's (same IndexedDB outbox) retries the same messages.
    tab2 = await alice.context.newPage();
    await tab2.goto(demo.url);
    await tab2.waitForSelector('#unlock:not([hidden])', { timeout: 60_000 });
    await tab2.fill('#unlock-passphrase', PASS.alice);
    await tab2.click('#unlock-button');
    await tab2.waitForSelector('#mail-login:not([hidden])', { timeout: 60_000 });
    await tab2.fill('#mail-password', MAILPASS.alice);
    await tab2.click('#mail-login-button');
    await tab2.waitForSelector('#mailbox:not([hidden])', { timeout: 30_000 });
    assert.equal(await tab2.$$eval('#outbox li', (l) => l.length), 2);
    await new Promise((r) => setTimeout(r, 1000)); // both tabs fail some more
  } finally {
    servers('start');
  }
  const t0 = Date.now();
  // Nobody clicks: the outbox empties by itself, in both tabs.
  await alice.page.waitForFunction(() => document.getElementById('outbox-box').hidden, null, { timeout: 90_000 });
  const tEmpty = Date.now() - t0;
  assert.ok(tEmpty < 40_000, `the outbox took ${tEmpty} ms to send by itself (tries are at most 30 s apart)`);
  await tab2.waitForFunction(() => document.getElementById('outbox-box').hidden, null, { timeout: 90_000 });
  // A repeated POST of one outbox id (a lost answer): one copy, the second is answered as a duplicate.
  const again = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: ['bob@example.org'], message: sentBytes.toString('base64'), id: 'repeated-post-1' }) };
  const [a, b] = await Promise.all([apiCall(alice, 'api/messages', again), apiCall(alice, 'api/messages', again)]);
  const statuses = [a.status, b.status];
  const other = statuses.find((x, i) => i !== statuses.indexOf(201));
  assert.ok(statuses.includes(201) && (other === 200 || other === 409), `two concurrent sends of one id: ${statuses}`);
  const third = await apiCall(alice, 'api/messages', again);
  assert.equal(third.status, 200);
  assert.equal(third.json.duplicate, true);
  // Both outboxes are empty (no later attempt can come); give Postfix time to deliver any copy, then count.
  await new Promise((r) => setTimeout(r, 2000));
  let uids;
  for (let i = 0; i < 100 && (uids = imapUids('bob')).length < before + 3; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(uids.length, before + 3, 'two outbox messages and one repeated POST: three messages in Bob\'s INBOX');
  const rows = await inboxUntil(bob, (r) => r.some((x) => x.text.includes('automatic retry 2')), 'the retried messages');
  for (const n of [1, 2]) assert.equal(rows.filter((x) => x.text.includes(`automatic retry ${n}`)).length, 1, `automatic retry ${n} exactly once`);
  console.log(`# outbox: emptied ${tEmpty} ms after Postfix was started again`);
  await tab2.close();
});

test('Autocrypt: a sender missing from the address book is added from the header of their mail, as a new, unverified key that checks their signature, and can be written to', async () => {
  // Bob forgets Alice's key; Alice's next mail (with her Autocrypt header) brings it back.
  await bob.page.click('#nav-contacts');
  await bob.page.click('#contact-list li[data-email="alice@example.org"] button');
  await bob.page.waitForFunction(() => !document.querySelector('#contact-list li[data-email="alice@example.org"]'));
  await compose(alice, 'bob@example.org', 'with my key in the header', 'Autocrypt test');
  await send(alice);
  assert.equal(await alice.page.getAttribute('#compose-status', 'data-state'), 'ok');
  const rows = await inboxUntil(bob, (r) => r.some((x) => x.text.includes('with my key in the header')), 'the Autocrypt message');
  const row = rows.find((x) => x.text.includes('with my key in the header'));
  // The header's minimal key (primary, user ID, encryption subkey, and the signing subkey, since
  // sealpost's primary key only certifies) checks the signature itself: no WKD completion needed.
  assert.equal(row.state, 'verified');
  await bob.page.click(`#inbox-list li[data-id="${row.id}"]`);
  assert.equal(await bob.page.getAttribute('#msg-signature', 'data-key'), 'unverified');
  assert.match(await bob.page.textContent('#msg-signature'), /^Signed by alice@example\.org with a key their mail announced \(Autocrypt\), not yet verified/);
  await bob.page.click('#nav-contacts');
  const li = '#contact-list li[data-email="alice@example.org"]';
  assert.equal(await bob.page.getAttribute(li, 'data-unverified'), 'true');
  assert.match(await bob.page.textContent(li), /New key from this sender's mail \(Autocrypt\), not verified/);
  await alice.page.click('#nav-key');
  assert.equal(await bob.page.textContent(`${li} .mono`), await alice.page.textContent('#my-fingerprint'), 'the fingerprint is Alice\'s');
  await shot(bob.page, '7-autocrypt-unverified');
  // The key from the header is enough to write to Alice, encrypted.
  await compose(bob, 'alice@example.org', 'encrypted with your Autocrypt key', 'it works');
  await send(bob);
  assert.equal(await bob.page.getAttribute('#compose-status', 'data-state'), 'ok');
  const back = await inboxUntil(alice, (r) => r.some((x) => x.text.includes('encrypted with your Autocrypt key')), 'Bob\'s answer');
  assert.equal(back.find((x) => x.text.includes('encrypted with your Autocrypt key')).state, 'verified');
  // Once compared, the mark goes.
  await bob.page.click('#nav-contacts');
  await bob.page.click(`${li} button.confirm`);
  await bob.page.waitForFunction((sel) => !document.querySelector(sel).dataset.unverified, li);
});

test('WKD: the demo server answers for its users; a new recipient\'s key is found by address, added unverified, and used', async () => {
  // Each user published their key at login; the directory answers the draft's URLs.
  const urls = await (await import('../../js-shim/src/node.js')).wkdUrls('alice@example.org');
  const direct = await fetch(`${demo.url}${new URL(urls.direct).pathname.slice(1)}`);
  assert.equal(direct.status, 200);
  const advanced = await fetch(`${demo.url}${new URL(urls.advanced).pathname.slice(1)}`);
  assert.equal(advanced.status, 200);
  assert.ok(Buffer.from(await direct.arrayBuffer()).equals(Buffer.from(await advanced.arrayBuffer())));
  assert.equal((await fetch(`${demo.url}.well-known/openpgpkey/hu/yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy`)).status, 404);
  // Publishing needs a session, and only a key for the session's own address is taken.
  assert.equal((await fetch(`${demo.url}api/wkd`, { method: 'PUT', body: bob.publicKey })).status, 401);
  assert.match(await bob.page.textContent('#wkd-status'), /published in this mail server's Web Key Directory/);

  // Bob forgets Alice again and finds her by address.
  await bob.page.click('#nav-contacts');
  await bob.page.click('#contact-list li[data-email="alice@example.org"] button');
  await bob.page.waitForFunction(() => !document.querySelector('#contact-list li[data-email="alice@example.org"]'));
  await bob.page.click('#nav-compose');
  await bob.page.fill('#compose-find-address', 'nobody@example.org');
  await bob.page.click('#compose-find');
  await bob.page.waitForSelector('#compose-find-status[data-state="error"]');
  assert.match(await bob.page.textContent('#compose-find-status'), /No key found for nobody@example\.org in the Web Key Directory/);
  await bob.page.fill('#compose-find-address', 'alice@example.org');
  await bob.page.click('#compose-find');
  await bob.page.waitForSelector('#compose-find-status[data-state="ok"]');
  await alice.page.click('#nav-key');
  const aliceFpr = await alice.page.textContent('#my-fingerprint');
  assert.equal(await bob.page.textContent('#compose-find-status'), `Key for alice@example.org: ${aliceFpr} (not verified yet).`);
  assert.equal(await bob.page.inputValue('#compose-to'), 'alice@example.org');
  await bob.page.fill('#compose-subject', 'found you by WKD');
  await bob.page.fill('#compose-text', 'hello via WKD');
  await send(bob);
  assert.equal(await bob.page.getAttribute('#compose-status', 'data-state'), 'ok');
  const rows = await inboxUntil(alice, (r) => r.some((x) => x.text.includes('found you by WKD')), 'the WKD message');
  assert.equal(rows.find((x) => x.text.includes('found you by WKD')).state, 'verified');
  // The full key from the WKD checks Alice's signatures (unlike the minimal Autocrypt key), marked unverified.
  const bobRows = await inbox(bob);
  const fromAlice = bobRows.find((x) => x.text.includes('with my key in the header'));
  await bob.page.click(`#inbox-list li[data-id="${fromAlice.id}"]`);
  assert.equal(await bob.page.getAttribute('#msg-signature', 'data-state'), 'verified');
  assert.match(await bob.page.textContent('#msg-signature'), /with a key from the Web Key Directory, not yet verified/);
  await shot(bob.page, '8-wkd');
});

const MAX_MESSAGE = 32 * 1024 * 1024; // the demo server's limit (demo/server/src/mail.rs)

test('size: a 40 MB message from another client is listed but refused with MESSAGE_TOO_LARGE, never downloaded; a 30 MB message goes through Postfix and Dovecot and is read byte for byte; too large to send is said before anything is queued', async (t) => {
  // 40 MB through the inbound MTA (Postfix takes up to 50 MB).
  const big = py(`import os,sys,base64
body=base64.encodebytes(os.urandom(30_000_000)).replace(b'\\n',b'\\r\\n')
sys.stdout.buffer.write(b'From: Big <big@example.net>\\r\\nTo: bob@example.org\\r\\nSubject: forty megabytes\\r\\nMIME-Version: 1.0\\r\\nContent-Type: application/octet-stream\\r\\nContent-Transfer-Encoding: base64\\r\\n\\r\\n'+body)`);
  assert.ok(big.length > 40e6, `${big.length}`);
  const before = imapUids('bob');
  py(SMTP_SEND, [ports.mx, 'big@example.net', 'bob@example.org'], big);
  let uids;
  for (let i = 0; i < 200 && (uids = imapUids('bob')).length === before.length; i++) await new Promise((r) => setTimeout(r, 50));
  const bigUid = uids.find((u) => !before.includes(u));
  assert.ok(bigUid, 'the 40 MB message was delivered');
  const mem0 = memory(demo.pid);
  const t0 = Date.now();
  const refused = await apiCall(bob, `api/messages/${bigUid}`);
  const tRefused = Date.now() - t0;
  assert.equal(refused.status, 413);
  assert.equal(refused.json.code, 'MESSAGE_TOO_LARGE');
  assert.match(refused.json.error, /larger than the 33554432 bytes/);
  const mem1 = memory(demo.pid);
  assert.ok(mem1.hwm - mem0.hwm < 8 * 1024, `the refusal grew the server's peak memory by ${mem1.hwm - mem0.hwm} kB: the message was read`);
  const listed = (await apiCall(bob, 'api/messages')).json.find((r) => r.id === bigUid);
  assert.ok(listed.size > MAX_MESSAGE, JSON.stringify(listed));
  // The page shows the row with the code, and the rest of the inbox still opens.
  const rows = await inbox(bob);
  const row = rows.find((x) => x.id === String(bigUid));
  assert.equal(row.state, 'error');
  assert.match(row.text, /MESSAGE_TOO_LARGE: this message is 4\d\.\d MB, larger than the 33\.6 MB this server shows/);
  assert.equal(await bob.page.getAttribute(`#inbox-list li[data-id="${bigUid}"]`, 'data-code'), 'MESSAGE_TOO_LARGE');
  assert.ok(rows.some((x) => x.state === 'verified'));
  await shot(bob.page, '9-too-large-inbound');

  // Too large to send: said at once, nothing queued, the form keeps its text.
  const huge = join(dir, 'huge.bin');
  writeFileSync(huge, randomBytes(MAX_MESSAGE + 1024));
  await compose(alice, 'bob@example.org', 'far too large', 'keep this text', [huge]);
  const outboxBefore = await alice.page.$$eval('#outbox li', (l) => l.length);
  await alice.page.click('#compose-send');
  await alice.page.waitForSelector('#compose-status[data-state="error"]');
  assert.match(await alice.page.textContent('#compose-status'), /^MESSAGE_TOO_LARGE: The message would be 33\.6 MB; this server relays messages up to 33\.6 MB/);
  assert.equal(await alice.page.$$eval('#outbox li', (l) => l.length), outboxBefore);
  assert.equal(await alice.page.inputValue('#compose-text'), 'keep this text');
  // The server refuses it by itself too (a page that does not check), with the code.
  const direct = await apiCall(alice, 'api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: ['bob@example.org'], message: readFileSync(huge).toString('base64') }) });
  assert.equal(direct.status, 413);
  assert.equal(direct.json.code, 'MESSAGE_TOO_LARGE');
  rmSync(huge);

  // 30 MB: a 16 MiB attachment, encrypted and armored, through SMTP, LMTP and IMAP.
  const file = join(dir, 'sixteen.bin');
  const data = randomBytes(16 * 1024 * 1024);
  writeFileSync(file, data);
  await alice.page.setInputFiles('#compose-files', []);
  await compose(alice, 'bob@example.org', 'thirty megabytes', 'the big one', [file]);
  const t1 = Date.now();
  const bytes = await send(alice);
  const tSend = Date.now() - t1;
  assert.equal(await alice.page.getAttribute('#compose-status', 'data-state'), 'ok', await alice.page.textContent('#compose-status'));
  assert.ok(bytes.length > 30e6 && bytes.length <= MAX_MESSAGE, `${bytes.length} bytes`);
  const t2 = Date.now();
  const got = await inboxUntil(bob, (r) => r.some((x) => x.text.includes('thirty megabytes')), 'the 30 MB message');
  const tRead = Date.now() - t2;
  const bigRow = got.find((x) => x.text.includes('thirty megabytes'));
  assert.equal(bigRow.state, 'verified');
  await bob.page.click(`#inbox-list li[data-id="${bigRow.id}"]`);
  const [download] = await Promise.all([bob.page.waitForEvent('download'), bob.page.click('#msg-attachments a')]);
  assert.ok(readFileSync(await download.path()).equals(data), 'the 16 MiB attachment byte for byte');
  // Stored whole: the IMAP copy ends with the submitted bytes.
  const stored = imapFetch('bob', Number(bigRow.id));
  const crlf = bytes.toString('latin1').endsWith('\r\n') ? bytes : Buffer.concat([bytes, Buffer.from('\r\n')]);
  assert.ok(stored.subarray(stored.length - crlf.length).equals(crlf), 'no truncation');
  const mem2 = memory(demo.pid);
  rmSync(file);
  const line = `40 MB refused in ${tRefused} ms (server peak RSS ${(mem0.hwm / 1024).toFixed(0)} MiB before, +${mem1.hwm - mem0.hwm} kB after); 30 MB message (${bytes.length} bytes): send ${tSend} ms, Bob's list+fetch+decrypt ${tRead} ms; demo server peak RSS ${(mem2.hwm / 1024).toFixed(0)} MiB (now ${(mem2.rss / 1024).toFixed(0)} MiB)`;
  t.diagnostic(line);
  console.log(`# size: ${line}`);
});

test('TLS: Dovecot (IMAPS) and Postfix (STARTTLS) with a CA made for this run; trusted with --ca the demo logs in, sends and reads; without it, or with another CA, it refuses with MAIL_TLS_FAILED; WKD keys and sent outbox ids survive a restart with --state', async () => {
  const tlsDir = join(dir, 'mail-tls');
  const [imap, imaps, submission, mx, lmtp, auth] = await freePorts(6);
  const env = { ...process.env, TLS: '1', IMAP_PORT: String(imap), IMAPS_PORT: String(imaps), SUBMISSION_PORT: String(submission), MX_PORT: String(mx), LMTP_PORT: String(lmtp), AUTH_PORT: String(auth) };
  const r = spawnSync(mailServers, ['start', tlsDir], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const ca = join(tlsDir, 'tls/ca.pem');
  const otherCa = join(dir, 'other-ca.pem');
  assert.equal(spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=not the mail server CA', '-keyout', join(dir, 'other-ca.key'), '-out', otherCa]).status, 0);
  const urls = [`imaps://127.0.0.1:${imaps}`, `smtp://127.0.0.1:${submission}?tls=required`];
  const servers2 = [];
  const login = async (d, who) => {
    const res = await fetch(`${d.url}api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address: `${who}@example.org`, password: MAILPASS[who] }) });
    return { status: res.status, json: await res.json() };
  };
  const call = async (d, token, path, init = {}) => {
    const res = await fetch(`${d.url}${path}`, { ...init, headers: { ...(init.headers || {}), authorization: `Bearer ${token}` } });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
  };
  try {
    const state = join(dir, 'demo-state');
    const trusted = await startDemo(join(dir, 'dist'), ...urls, ['--ca', ca, '--state', state]);
    servers2.push(trusted);
    // Trusted: login over IMAPS, a send over STARTTLS, Bob reads it back over IMAPS.
    const a = await login(trusted, 'alice');
    assert.equal(a.status, 201, JSON.stringify(a.json));
    const b = await login(trusted, 'bob');
    const once = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: ['bob@example.org'], message: sentBytes.toString('base64'), id: 'tls-outbox-1' }) };
    const sent = await call(trusted, a.json.token, 'api/messages', once);
    assert.equal(sent.status, 201, sent.body.toString());
    assert.equal(JSON.parse(sent.body).savedToSent, true);
    let list = [];
    for (let i = 0; i < 100 && list.length === 0; i++) {
      list = JSON.parse((await call(trusted, b.json.token, 'api/messages')).body);
      if (list.length === 0) await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(list.length, 1);
    const fetched = await call(trusted, b.json.token, `api/messages/${list[0].id}`);
    assert.ok(fetched.body.subarray(fetched.body.length - sentBytes.length).equals(sentBytes), 'the message over STARTTLS and IMAPS, unchanged');
    const tlsLog = readFileSync(join(tlsDir, 'postfix.log'), 'utf8');
    assert.match(tlsLog, /Trusted TLS connection established|Anonymous TLS connection established/, 'Postfix saw TLS on submission');
    // WKD keys published there survive a restart (--state); sessions do not (they hold mail passwords).
    assert.equal((await call(trusted, a.json.token, 'api/wkd', { method: 'PUT', body: alice.publicKey })).status, 204);
    const wkdPath = new URL((await (await import('../../js-shim/src/node.js')).wkdUrls('alice@example.org')).direct).pathname.slice(1);
    const key1 = await call(trusted, '', wkdPath);
    assert.equal(key1.status, 200);
    const port = trusted.port;
    await trusted.close();
    const restarted = await startDemo(join(dir, 'dist'), ...urls, ['--ca', ca, '--state', state], port);
    servers2.push(restarted);
    const key2 = await call(restarted, '', wkdPath);
    assert.equal(key2.status, 200);
    assert.ok(key2.body.equals(key1.body), 'the same key after the restart');
    assert.equal(JSON.parse((await call(restarted, a.json.token, 'api/messages')).body).code, 'NO_SESSION');
    // The sent outbox id is remembered across the restart: sent again, it is a duplicate, not a second copy.
    const a2 = await login(restarted, 'alice');
    const repeat = await call(restarted, a2.json.token, 'api/messages', once);
    assert.equal(repeat.status, 200);
    assert.equal(JSON.parse(repeat.body).duplicate, true);
    assert.equal(JSON.parse((await call(restarted, (await login(restarted, 'bob')).json.token, 'api/messages')).body).length, 1, 'one copy in Bob\'s INBOX');

    // Untrusted: no --ca (Mozilla roots only), or a CA that did not issue the server's certificate.
    for (const extra of [[], ['--ca', otherCa]]) {
      const d = await startDemo(join(dir, 'dist'), ...urls, extra);
      servers2.push(d);
      const refused = await login(d, 'alice');
      assert.equal(refused.status, 502);
      assert.equal(refused.json.code, 'MAIL_TLS_FAILED');
      assert.match(refused.json.error, /IMAP: invalid peer certificate: UnknownIssuer/);
      assert.doesNotMatch(JSON.stringify(refused.json), /alice mail password/);
    }
    // SMTP alone untrusted: IMAP on the plain loopback port logs in, the STARTTLS send is refused.
    const smtpOnly = await startDemo(join(dir, 'dist'), `imap://127.0.0.1:${imap}`, urls[1], ['--ca', otherCa]);
    servers2.push(smtpOnly);
    const s = await login(smtpOnly, 'alice');
    assert.equal(s.status, 201);
    const send2 = await call(smtpOnly, s.json.token, 'api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: ['bob@example.org'], message: sentBytes.toString('base64') }) });
    assert.equal(send2.status, 502);
    assert.equal(JSON.parse(send2.body).code, 'MAIL_TLS_FAILED');
    assert.match(JSON.parse(send2.body).error, /SMTP: .*UnknownIssuer/);
    // In the page: the login error says so.
    const carol = await user('Alice', 'alice@example.org', servers2[2].url, null);
    assert.match(await loginError(carol.page, MAILPASS.alice), /MAIL_TLS_FAILED: No secure connection to the mail server\. \(.*UnknownIssuer/);
    await shot(carol.page, '10-tls-untrusted');
    await carol.context.close();
  } finally {
    for (const d of servers2) await d.close();
    spawnSync(mailServers, ['stop', tlsDir]);
  }
});

test('latency through the real servers: SMTP submission → visible over IMAP, 20 messages', async (t) => {
  const out = py(`import imaplib,smtplib,sys,time,statistics
port_imap,port_sub=int(sys.argv[1]),int(sys.argv[2])
m=imaplib.IMAP4('127.0.0.1',port_imap); m.login('bob@example.org',sys.argv[3]); m.select('INBOX',readonly=True)
def count():
    m.noop(); t,d=m.uid('SEARCH',None,'ALL'); return len(d[0].split())
lat=[]
for i in range(20):
    n=count(); s=smtplib.SMTP('127.0.0.1',port_sub); s.login('alice@example.org',sys.argv[4])
    t0=time.perf_counter(); s.sendmail('alice@example.org',['bob@example.org'],('From: alice@example.org\\r\\nTo: bob@example.org\\r\\nSubject: [...]\\r\\n\\r\\nping %d\\r\\n' % i).encode()); s.quit()
    while count()==n: time.sleep(0.002)
    lat.append((time.perf_counter()-t0)*1000)
print('median %.1f ms, p90 %.1f ms, max %.1f ms' % (statistics.median(lat), sorted(lat)[17], max(lat)))`, [ports.imap, ports.submission, MAILPASS.bob, MAILPASS.alice]).toString().trim();
  t.diagnostic(`submit (smtplib, AUTH) → in Bob's INBOX (imaplib NOOP+SEARCH polling): ${out}`);
  console.log(`# mail latency: ${out}`);
});
