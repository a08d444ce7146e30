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

/** GnuPG in a fresh home with `keys` imported; run(args, input) → { out, status }. */
async function withGpg(keys, fn) {
  const home = mkdtempSync(join(tmpdir(), 'sp-mail-gpg-'));
  chmodSync(home, 0o700);
  const env = { ...process.env, GNUPGHOME: home };
  try {
    for (const k of keys) execFileSync('gpg', ['--batch', '--no-tty', '--import'], { env, input: await k.armor(), stdio: ['pipe', 'pipe', 'pipe'] });
    const decrypt = (message) => {
      const file = join(home, 'msg.asc');
      writeFileSync(file, execFileSync('python3', [MIME_TOOL, 'encrypted-payload'], { input: message }));
      const statusFile = join(home, 'status');
      const out = execFileSync('sh', ['-c', `gpg --batch --no-tty --trust-model always --status-file "${statusFile}" --decrypt "${file}" 2>/dev/null`], { env });
      return { out, status: execFileSync('cat', [statusFile]).toString() };
    };
    return await fn(decrypt);
  } finally {
    try {
      execFileSync('gpgconf', ['--kill', 'all'], { env });
    } catch {}
    rmSync(home, { recursive: true, force: true });
  }
}

const describe = (bytes) => JSON.parse(execFileSync('python3', [MIME_TOOL, 'describe'], { input: bytes }).toString());

test('Reply-To, In-Reply-To, References and custom headers: copied or confidential as documented, protected inside; a reply chain threads in sealpost, Python and GnuPG', async () => {
  const alice = await person('Alice');
  const bob = await person('Bob');
  const first = await sp.encryptMail(
    { ...letter(alice, bob), replyTo: 'Alice Team <team@example.org>', headers: { 'X-Ticket': 'Übernahme 42', Keywords: 'merger' } },
    { encryptionKeys: [bob.publicKey, alice.publicKey], signingKeys: alice.privateKey },
  );
  const outer = describe(first);
  assert.equal(outer.headers['Reply-To'], 'Alice Team <team@example.org>');
  assert.equal(outer.headers['X-Ticket'], undefined, 'custom fields are confidential');
  assert.ok(!includes(first, 'merger') && !includes(first, 'X-Ticket'));
  const r1 = await sp.decryptMail(first, { decryptionKeys: bob.privateKey, verificationKeys: alice.publicKey });
  assert.equal(r1.protectedHeaders, true);
  assert.deepEqual(r1.replyTo, [{ name: 'Alice Team', address: 'team@example.org' }]);
  assert.deepEqual(r1.customHeaders, [{ name: 'X-Ticket', value: 'Übernahme 42' }, { name: 'Keywords', value: 'merger' }]);
  assert.deepEqual([r1.inReplyTo, r1.references], [[], []]);
  // A Reply-To put outside by someone on the way is not the one shown.
  const forged = new Uint8Array([...new TextEncoder().encode('Reply-To: mallory@evil.example\r\n'), ...first]);
  const f = await sp.decryptMail(forged, { decryptionKeys: bob.privateKey, verificationKeys: alice.publicKey });
  assert.deepEqual(f.replyTo.map((a) => a.address), ['team@example.org']);
  assert.equal(f.outerHeaders.filter((h) => h.name === 'Reply-To').length, 2);

  // Bob answers, Alice answers back: each reply names the thread.
  const reply = await sp.encryptMail(
    { from: bob.email, to: r1.replyTo[0].address, cc: alice.email, subject: `Re: ${r1.subject}`, text: 'ok', inReplyTo: r1.messageId, references: [...r1.references, r1.messageId] },
    { encryptionKeys: [alice.publicKey, bob.publicKey], signingKeys: bob.privateKey },
  );
  const r2 = await sp.decryptMail(reply, { decryptionKeys: alice.privateKey, verificationKeys: bob.publicKey });
  assert.deepEqual(r2.inReplyTo, [r1.messageId]);
  assert.deepEqual(r2.references, [r1.messageId]);
  const again = await sp.encryptMail(
    { from: alice.email, to: bob.email, subject: `Re: ${r2.subject}`, text: 'fine', inReplyTo: r2.messageId, references: `${r2.references.join(' ')} ${r2.messageId}` },
    { encryptionKeys: [bob.publicKey], signingKeys: alice.privateKey },
  );
  const r3 = await sp.decryptMail(again, { decryptionKeys: bob.privateKey, verificationKeys: alice.publicKey });
  assert.equal(r3.signatureState, 'verified');
  assert.deepEqual(r3.inReplyTo, [r2.messageId]);
  assert.deepEqual(r3.references, [r1.messageId, r2.messageId]);
  // Python's email package threads it from the outer header; GnuPG decrypts the protected one.
  const o3 = describe(again);
  assert.equal(o3.headers['In-Reply-To'], r2.messageId);
  assert.deepEqual(o3.headers.References.split(/\s+/), [r1.messageId, r2.messageId]);
  await withGpg([bob.privateKey, alice.publicKey], async (decrypt) => {
    const { out, status } = decrypt(again);
    assert.match(status, /DECRYPTION_OKAY/);
    assert.match(status, /GOODSIG/);
    const inner = describe(out);
    assert.equal(inner.params.hp, 'cipher');
    assert.equal(inner.headers['In-Reply-To'], r2.messageId);
    assert.deepEqual(inner.headers.References.split(/\s+/), [r1.messageId, r2.messageId]);
    const hpOuter = inner.headerList.filter(([n]) => n === 'HP-Outer').map(([, v]) => v.replace(/\s+/g, ' '));
    assert.ok(hpOuter.includes(`In-Reply-To: ${r2.messageId}`), hpOuter.join('|'));
    const { out: out1 } = decrypt(first);
    const inner1 = describe(out1);
    assert.equal(inner1.headers['X-Ticket'], 'Übernahme 42');
    assert.ok(!inner1.headerList.some(([n, v]) => n === 'HP-Outer' && v.startsWith('X-Ticket')), 'no HP-Outer for a confidential field');
  });

  // Signed mail: the custom fields are in the clear, outside and in the signed part.
  const signed = await sp.signMail({ ...letter(alice, bob), headers: [['X-Ticket', '42'], ['X-Ticket', '43']] }, { signingKeys: alice.privateKey });
  const s = await sp.decryptMail(signed, { verificationKeys: alice.publicKey });
  assert.equal(s.signatureState, 'verified');
  assert.deepEqual(s.customHeaders.map((h) => h.value), ['42', '43']);
  assert.deepEqual(describe(signed).headerList.filter(([n]) => n === 'X-Ticket').map(([, v]) => v), ['42', '43']);
});

test('Bcc: no message names a Bcc address; each Bcc recipient reads its own copy (sealpost and GnuPG), no one else\'s', async () => {
  const alice = await person('Alice');
  const bob = await person('Bob');
  const carol = await person('Carol');
  const dave = await person('Dave');
  const mail = { ...letter(alice, bob), bcc: [`Carol <${carol.email}>`, dave.email] };
  const all = [alice, bob, carol, dave];
  const out = await sp.encryptMail(mail, { encryptionKeys: all.map((p) => p.publicKey), signingKeys: alice.privateKey });
  assert.ok(out.message instanceof Uint8Array);
  assert.deepEqual(out.bcc.map((c) => c.address), [carol.email, dave.email]);
  const subkeyIDs = async (p) => p.publicKey.getSubkeys().map((k) => k.getKeyID().toHex());
  const copies = [
    { name: 'main', message: out.message, readers: [alice, bob], others: [carol, dave] },
    { name: 'carol', message: out.bcc[0].message, readers: [alice, bob, carol], others: [dave] },
    { name: 'dave', message: out.bcc[1].message, readers: [alice, bob, dave], others: [carol] },
  ];
  for (const { name, message, readers, others } of copies) {
    // (Each needle has a character base64 lacks: random armor cannot match it.)
    for (const secret of ['carol@', 'dave@', 'Carol <', 'Bcc:']) assert.ok(!includes(message, secret), `${name}: ${secret}`);
    const armored = execFileSync('python3', [MIME_TOOL, 'encrypted-payload'], { input: message }).toString();
    const ids = (await (await sp.readMessage({ armoredMessage: armored })).getEncryptionKeyIDs()).map((k) => k.toHex());
    for (const p of all) {
      const named = (await subkeyIDs(p)).some((id) => ids.includes(id));
      assert.equal(named, readers.includes(p), `${name}: ${p.name}'s key named`);
    }
    for (const reader of readers) {
      const r = await sp.decryptMail(message, { decryptionKeys: reader.privateKey, verificationKeys: alice.publicKey });
      assert.equal(r.signatureState, 'verified', `${name} read by ${reader.name}`);
      assert.equal(r.subject, 'Geheimsache — übermorgen');
      for (const h of [...r.headers, ...r.outerHeaders]) assert.ok(!/bcc/i.test(h.name) && !/carol@|dave@/.test(h.value), `${name}/${reader.name}: ${h.name}`);
      // The decrypted bytes themselves.
      const d = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: armored }), decryptionKeys: reader.privateKey, format: 'binary' });
      for (const secret of ['carol@', 'dave@', 'Carol <', 'Bcc:']) assert.ok(!includes(d.data, secret), `${name}/${reader.name} plaintext: ${secret}`);
    }
    for (const other of others) await rejectsWith(sp.decryptMail(message, { decryptionKeys: other.privateKey }), 'NO_MATCHING_KEY');
  }
  // GnuPG, as Carol: her copy decrypts and verifies, and names no Bcc recipient.
  await withGpg([carol.privateKey, alice.publicKey], async (decrypt) => {
    const { out: inner, status } = decrypt(out.bcc[0].message);
    assert.match(status, /DECRYPTION_OKAY/);
    assert.match(status, /GOODSIG/);
    assert.ok(!includes(inner, 'carol@') && !includes(inner, 'dave@') && !includes(inner, 'Bcc:'));
    assert.equal(describe(inner).headers.To, 'Bob <bob@example.org>');
  });
  // A Bcc address without a key fails; signMail's one message names no Bcc address either.
  await rejectsWith(sp.encryptMail({ ...mail, bcc: 'erin@example.org' }, { encryptionKeys: [bob.publicKey] }), 'NO_USABLE_KEY');
  const signed = await sp.signMail(mail, { signingKeys: alice.privateKey });
  assert.ok(signed instanceof Uint8Array && !includes(signed, 'carol@') && !includes(signed, 'dave@') && !includes(signed, 'Bcc:'));
});

test('mail header arguments: bad shapes are TypeErrors, unsafe names and values INVALID_ARGUMENT', async () => {
  const alice = await person('Alice');
  const bob = await person('Bob');
  const base = letter(alice, bob);
  const opts = { encryptionKeys: bob.publicKey };
  for (const headers of ['X-A: 1', [['X-A']], [['X-A', 1]], { 'X-A': 1 }, new Map([['X-A', '1']])]) {
    await assert.rejects(sp.encryptMail({ ...base, headers }, opts), TypeError, JSON.stringify(headers));
  }
  await assert.rejects(sp.encryptMail({ ...base, replyto: 'x@example.org' }, opts), /replyto/);
  for (const change of [
    { headers: { 'X-A': 'a\r\nBcc: eve@example.org' } },
    { headers: { 'X-A\r\nBcc': 'eve@example.org' } },
    { headers: { 'Content-Type': 'text/html' } },
    { headers: { 'MIME-Version': '2.0' } },
    { headers: { From: 'eve@example.org' } },
    { headers: [['message-id', '<x@y>']] },
    { headers: { 'HP-Outer': 'Subject: x' } },
    { inReplyTo: 'not-an-id' },
    { inReplyTo: '<a@b>\r\nBcc: eve@example.org' },
    { references: ['<a@b>', '<c d@e>'] },
    { replyTo: 'eve@example.org\r\nBcc: x@example.org' },
    { bcc: 'not an address' },
  ]) {
    await rejectsWith(sp.encryptMail({ ...base, ...change }, opts), 'INVALID_ARGUMENT');
    await rejectsWith(sp.signMail({ ...base, ...change }, { signingKeys: alice.privateKey }), 'INVALID_ARGUMENT');
  }
});

const CHARSET_CASES = JSON.parse(execFileSync('python3', [new URL('./fixtures/mail-charsets/make.py', import.meta.url).pathname]).toString());

test('other charsets through the platform\'s TextDecoder: ISO-8859-2/-15, KOI8-R, Shift_JIS, ISO-2022-JP, GB18030, Big5 as Python\'s codecs wrote them (body, encoded words, RFC 2231 file names), plain and encrypted; an unknown label is reported', async () => {
  const bob = await person('Bob');
  assert.equal(CHARSET_CASES.length, 8);
  for (const { label, mail, expected } of CHARSET_CASES) {
    const bytes = Buffer.from(mail, 'base64');
    const split = bytes.indexOf('\r\n\r\n');
    // The same entity as the content of PGP/MIME, decrypted in the wasm.
    const inner = bytes.subarray(bytes.indexOf('MIME-Version'));
    const ct = await sp.encrypt({ message: await sp.createMessage({ binary: new Uint8Array(inner) }), encryptionKeys: bob.publicKey });
    const outer = bytes.subarray(0, bytes.indexOf('MIME-Version')).toString('latin1');
    const encrypted = new TextEncoder().encode(
      `${outer}MIME-Version: 1.0\r\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e"\r\n\r\n` +
        `--e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--e\r\nContent-Type: application/octet-stream\r\n\r\n${ct}\r\n--e--\r\n`,
    );
    assert.ok(split > 0);
    for (const [how, message] of [['plain', bytes], ['encrypted', encrypted]]) {
      const r = await sp.decryptMail(message, { decryptionKeys: bob.privateKey });
      const what = `${label}, ${how}`;
      assert.equal(r.subject, expected.subject, what);
      assert.equal(r.from.name, expected.fromName, what);
      assert.equal(r.text, expected.text, what);
      assert.equal(r.attachments[0].filename, expected.filename, what);
      assert.deepEqual(r.attachments[0].data, new TextEncoder().encode('attachment bytes\r\n'), what);
      const unknown = label === 'x-sealpost-unknown';
      assert.equal(r.charsetUnknown, unknown, what);
      assert.deepEqual(r.unknownCharsets, unknown ? [label] : [], what);
    }
  }
});
