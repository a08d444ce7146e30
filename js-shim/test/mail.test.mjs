// The mail layer through the shipped wasm: PGP/MIME compose and read,
// GnuPG reading sealpost's mail, Autocrypt, and a Web Key Directory lookup
// over real HTTP on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sp from '../src/node.js';

const MIME_TOOL = new URL('../../tests/mail/mime_tool.py', import.meta.url).pathname;

async function person(name) {
  const email = `${name.toLowerCase()}@example.org`;
  const { privateKey } = await sp.generateKey({ userIDs: [{ name, email }], format: 'object' });
  return { name, email, privateKey, publicKey: await privateKey.toPublic() };
}

const attachment = new Uint8Array(4096).map((_, i) => (i * 31 + 7) & 0xff);

function letter(from, to) {
  return {
    from: `${from.name} <${from.email}>`,
    to: [`${to.name} <${to.email}>`],
    subject: 'Geheimsache — übermorgen',
    text: 'Hi Bob,\nsee the attachment.\n',
    attachments: [{ filename: 'plan.bin', contentType: 'application/octet-stream', data: attachment }],
    date: new Date('2026-11-28T12:00:00Z'),
  };
}

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof sp.SealpostError, `${e && e.name}: ${e && e.message}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

const includes = (hay, needle) => Buffer.from(hay).includes(Buffer.from(needle));

test('encryptMail → decryptMail: protected subject, exact attachment, verified sender', async () => {
  const alice = await person('Alice');
  const bob = await person('Bob');
  const bytes = await sp.encryptMail(letter(alice, bob), {
    encryptionKeys: [bob.publicKey, alice.publicKey],
    signingKeys: alice.privateKey,
    autocrypt: { preferEncrypt: 'mutual' },
  });
  assert.ok(bytes instanceof Uint8Array);
  assert.ok(includes(bytes, 'Subject: [...]'));
  assert.ok(!includes(bytes, 'Geheimsache') && !includes(bytes, 'see the attachment'));
  const r = await sp.decryptMail(bytes, { decryptionKeys: bob.privateKey, verificationKeys: alice.publicKey });
  assert.equal(r.kind, 'pgp-mime-encrypted');
  assert.equal(r.subject, 'Geheimsache — übermorgen');
  assert.equal(r.protectedHeaders, true);
  assert.deepEqual(r.from, { name: 'Alice', address: 'alice@example.org' });
  assert.equal(r.text, 'Hi Bob,\nsee the attachment.\n');
  assert.equal(r.attachments[0].filename, 'plan.bin');
  assert.deepEqual(r.attachments[0].data, attachment);
  assert.equal(r.signatureState, 'verified');
  assert.equal(r.signatures[0].matchesFrom, true);
  assert.equal(await r.signatures[0].verified, true);
  assert.equal(r.autocrypt.addr, 'alice@example.org');
  assert.equal(r.autocrypt.preferEncrypt, 'mutual');
  const fromHeader = await sp.readKey({ binaryKey: r.autocrypt.keyData });
  assert.equal(fromHeader.getFingerprint(), alice.publicKey.getFingerprint());

  // A key not in the address book: signed, but not verified.
  const r2 = await sp.decryptMail(bytes, { decryptionKeys: bob.privateKey });
  assert.equal(r2.signatureState, 'invalid');
  await rejectsWith(sp.decryptMail(bytes, { decryptionKeys: (await person('Eve')).privateKey }), 'NO_MATCHING_KEY');
});

test('signMail and the From binding; argument errors', async () => {
  const alice = await person('Alice');
  const mallory = await person('Mallory');
  const bob = await person('Bob');
  const signed = await sp.signMail(letter(alice, bob), { signingKeys: alice.privateKey });
  const r = await sp.decryptMail(signed, { verificationKeys: alice.publicKey });
  assert.equal(r.kind, 'pgp-mime-signed');
  assert.equal(r.signatureState, 'verified');
  const forged = await sp.signMail(letter(alice, bob), { signingKeys: mallory.privateKey });
  const f = await sp.decryptMail(forged, { verificationKeys: [alice.publicKey, mallory.publicKey] });
  assert.equal(f.signatureState, 'signer-mismatch');
  assert.deepEqual(f.signatures[0].signerAddresses, ['mallory@example.org']);

  await assert.rejects(sp.encryptMail(letter(alice, bob), {}), TypeError);
  await assert.rejects(sp.encryptMail({ ...letter(alice, bob), date: 'today' }, { encryptionKeys: bob.publicKey }), TypeError);
  await rejectsWith(sp.encryptMail({ ...letter(alice, bob), subject: 'x\r\nBcc: eve@example.org' }, { encryptionKeys: bob.publicKey }), 'INVALID_ARGUMENT');
  await rejectsWith(sp.decryptMail('Content-Type: multipart/mixed\r\n\r\nx', {}), 'MALFORMED_INPUT');
});

test('gpg decrypts and verifies the mail the wasm made; Python parses it', async () => {
  const alice = await person('Alice');
  const bob = await person('Bob');
  const bytes = await sp.encryptMail(letter(alice, bob), { encryptionKeys: bob.publicKey, signingKeys: alice.privateKey });
  const home = mkdtempSync(join(tmpdir(), 'sp-mail-gpg-'));
  chmodSync(home, 0o700);
  try {
    const gpg = (args, input) =>
      execFileSync('gpg', ['--batch', '--no-tty', '--trust-model', 'always', '--status-fd', '2', ...args], {
        env: { ...process.env, GNUPGHOME: home },
        input,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    gpg(['--import'], await bob.privateKey.armor());
    gpg(['--import'], await alice.publicKey.armor());
    const outer = JSON.parse(execFileSync('python3', [MIME_TOOL, 'describe'], { input: bytes }).toString());
    assert.equal(outer.contentType, 'multipart/encrypted');
    assert.equal(outer.headers.Subject, '[...]');
    const armored = execFileSync('python3', [MIME_TOOL, 'encrypted-payload'], { input: bytes });
    const file = join(home, 'msg.asc');
    writeFileSync(file, armored);
    const statusFile = join(home, 'status');
    const inner = execFileSync('sh', ['-c', `gpg --batch --no-tty --trust-model always --status-file "${statusFile}" --decrypt "${file}" 2>/dev/null`], {
      env: { ...process.env, GNUPGHOME: home },
    });
    const status = execFileSync('cat', [statusFile]).toString();
    assert.match(status, /DECRYPTION_OKAY/);
    assert.match(status, /GOODSIG/);
    const tree = JSON.parse(execFileSync('python3', [MIME_TOOL, 'describe'], { input: inner }).toString());
    assert.equal(tree.params.hp, 'cipher');
    assert.equal(tree.headers.Subject, 'Geheimsache — übermorgen');
    assert.equal(tree.parts[1].filename, 'plan.bin');
  } finally {
    try {
      execFileSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home } });
    } catch {}
    rmSync(home, { recursive: true, force: true });
  }
});

test('WKD: URLs match the draft example; a lookup over HTTP returns only matching keys', async () => {
  const urls = await sp.wkdUrls('Joe.Doe@Example.ORG');
  assert.equal(urls.hash, 'iy9q119eutrkn8s1mk4r39qejnbu3n5q');
  assert.equal(urls.advanced, 'https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe');
  assert.equal(urls.direct, 'https://example.org/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe');

  const bob = await person('Bob');
  const other = await person('Other');
  const bobUrls = await sp.wkdUrls('bob@example.org');
  const otherUrls = await sp.wkdUrls('carol@example.org');
  const served = new Map([
    // Bob only on the direct path: the advanced one 404s and the lookup falls back.
    [new URL(bobUrls.direct).pathname, await bob.publicKey.write()],
    // Carol's slot serves someone else's key.
    [new URL(otherUrls.advanced).pathname, await other.publicKey.write()],
  ]);
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(`${req.headers.host} ${req.url}`);
    const body = served.get(new URL(req.url, 'http://x').pathname);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(body));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  // Real HTTP to 127.0.0.1, the host kept in the Host header.
  const localFetch = (url, init) => {
    const u = new URL(url);
    return fetch(`http://127.0.0.1:${port}${u.pathname}${u.search}`, { ...init, headers: { 'x-wkd-host': u.host } });
  };
  try {
    const keys = await sp.wkdLookup('bob@example.org', { fetch: localFetch });
    assert.equal(keys.length, 1);
    assert.equal(keys[0].getFingerprint(), bob.publicKey.getFingerprint());
    assert.equal(keys[0].isPrivate(), false);
    assert.equal(requests.length, 2, 'advanced (404), then direct');
    await rejectsWith(sp.wkdLookup('carol@example.org', { fetch: localFetch }), 'NO_USABLE_KEY');
    await rejectsWith(sp.wkdLookup('nobody@example.org', { fetch: localFetch }), 'NETWORK_ERROR');
  } finally {
    server.close();
  }
});

test('windows-1252 text (and mail labelled ISO-8859-1) reads as windows-1252: 0x80-0x9F are its characters, as Python\'s cp1252 says', async () => {
  const bob = await person('Bob');
  // Every printable byte, the high half included: what the platform's decoder makes of it is the reference.
  const body = Uint8Array.from([...Array(95).keys()].map((i) => i + 0x20).concat([...Array(128).keys()].map((i) => i + 0x80)));
  // The reference: Python's cp1252 codec (Node's TextDecoder reads windows-1252 as Latin-1); the
  // five bytes cp1252 leaves unassigned keep their C1 code point, as the WHATWG Encoding standard says.
  const expected = execFileSync('python3', ['-c', "import sys\nb=sys.stdin.buffer.read()\nout=''\nfor x in b:\n    try:\n        out+=bytes([x]).decode('cp1252')\n    except UnicodeDecodeError:\n        out+=chr(x)\nsys.stdout.buffer.write(out.encode('utf-8'))"], { input: body }).toString('utf8');
  assert.ok(expected.includes('€') && expected.includes('“') && expected.includes('Ÿ'));
  const enc = new TextEncoder();
  for (const charset of ['windows-1252', 'ISO-8859-1']) {
    const inner = new Uint8Array([
      ...enc.encode(`Content-Type: text/plain; charset=${charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`),
      ...body,
      ...enc.encode('\r\n'),
    ]);
    // Plain mail, and the same part as the content of PGP/MIME (the legacy text decrypted).
    const plain = new Uint8Array([...enc.encode('From: a@example.org\r\nTo: bob@example.org\r\nSubject: =?windows-1252?Q?=93quoted=94_=80?=\r\n'), ...inner]);
    const r = await sp.decryptMail(plain, {});
    assert.equal(r.text.replace(/\r?\n$/, ''), expected, charset);
    assert.equal(r.subject, '“quoted” €');
    const ct = await sp.encrypt({ message: await sp.createMessage({ binary: inner }), encryptionKeys: bob.publicKey });
    const boundary = 'b-1252';
    const mail = enc.encode(
      `From: a@example.org\r\nTo: bob@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="${boundary}"\r\n\r\n` +
        `--${boundary}\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\n\r\n${ct}\r\n--${boundary}--\r\n`,
    );
    const d = await sp.decryptMail(mail, { decryptionKeys: bob.privateKey });
    assert.equal(d.text.replace(/\r?\n$/, ''), expected, `${charset}, encrypted`);
  }
});
