// vksLookup and hkpLookup (issue 25) against a small HTTP server started here, over real HTTP:
// real keys (v4 and v6) found by fingerprint (primary or subkey) and by address, and hostile
// answers — another key than the one asked for, extra keys, a secret key, HTML, an answer over
// the cap (declared and chunked), 404, 500, a redirect, a dead server — each with its code.  The
// server counts every request: one per lookup, to the URL asked, nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import * as sp from '../src/node.js';

const code = (c) => (e) => {
  assert.equal(e.code, c, `${e.code}: ${e.message}`);
  return true;
};

let server;
let base;
const requests = [];
/** path → handler(req, res) */
const routes = new Map();
let alice; // v4, alice@example.org
let bob; // v6, bob@example.org
let mallory; // v4, mallory@example.org
let aliceArmored;

before(async () => {
  alice = await sp.generateKey({ userIDs: 'Alice <alice@example.org>', format: 'object' });
  bob = await sp.generateKey({ userIDs: 'Bob <bob@example.org>', format: 'object', config: { v6Keys: true } });
  mallory = await sp.generateKey({ userIDs: 'Mallory <mallory@example.org>', format: 'object' });
  aliceArmored = await alice.publicKey.armor();
  server = createServer((req, res) => {
    requests.push(req.url);
    const handler = routes.get(req.url);
    if (!handler) {
      res.writeHead(404).end('not found');
      return;
    }
    handler(req, res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.close());

const keys = (...texts) => (req, res) => res.writeHead(200, { 'content-type': 'application/pgp-keys' }).end(texts.join('\n'));
const fpr = (k) => k.getFingerprint().toUpperCase();

test('VKS by fingerprint (primary or subkey) and by address: the matching public key, one request each', async () => {
  routes.set(`/vks/v1/by-fingerprint/${fpr(alice.publicKey)}`, keys(aliceArmored));
  const sub = alice.publicKey.getSubkeys()[0].getFingerprint().toUpperCase();
  routes.set(`/vks/v1/by-fingerprint/${sub}`, keys(aliceArmored));
  routes.set('/vks/v1/by-email/alice%40example.org', keys(aliceArmored));
  routes.set(`/vks/v1/by-fingerprint/${fpr(bob.publicKey)}`, keys(await bob.publicKey.armor()));
  requests.length = 0;
  for (const query of [alice.publicKey.getFingerprint(), `0x${sub.toLowerCase()}`, 'alice@example.org']) {
    const found = await sp.vksLookup(query, { url: base });
    assert.deepEqual(found.map((k) => k.getFingerprint()), [alice.publicKey.getFingerprint()], query);
    assert.equal(found[0].isPrivate(), false);
  }
  const v6 = await sp.vksLookup(bob.publicKey.getFingerprint(), { url: `${base}/` });
  assert.equal(v6[0].getFingerprint(), bob.publicKey.getFingerprint());
  assert.equal(v6[0].getFingerprint().length, 64);
  assert.deepEqual(requests, [
    `/vks/v1/by-fingerprint/${fpr(alice.publicKey)}`,
    `/vks/v1/by-fingerprint/${sub}`,
    '/vks/v1/by-email/alice%40example.org',
    `/vks/v1/by-fingerprint/${fpr(bob.publicKey)}`,
  ]);
});

test('HKP op=get by fingerprint and by address', async () => {
  routes.set(`/pks/lookup?op=get&options=mr&search=0x${fpr(alice.publicKey)}`, keys(aliceArmored));
  routes.set('/pks/lookup?op=get&options=mr&search=alice%40example.org', keys(aliceArmored));
  requests.length = 0;
  assert.equal((await sp.hkpLookup(alice.publicKey.getFingerprint(), { url: base }))[0].getFingerprint(), alice.publicKey.getFingerprint());
  assert.equal((await sp.hkpLookup('alice@example.org', { url: base }))[0].getFingerprint(), alice.publicKey.getFingerprint());
  assert.equal(requests.length, 2);
});

test('only the keys asked for: another key, extra keys, a secret key', async () => {
  // Asked for Bob, answered with Alice: nothing matches.
  routes.set(`/vks/v1/by-fingerprint/${fpr(mallory.publicKey)}`, keys(aliceArmored));
  await assert.rejects(sp.vksLookup(mallory.publicKey.getFingerprint(), { url: base }), code('NO_USABLE_KEY'));
  // Alice's address answered with Mallory's key and Alice's: only Alice's.
  routes.set('/vks/v1/by-email/alice%40example.org', keys(await mallory.publicKey.armor(), aliceArmored));
  const found = await sp.vksLookup('alice@example.org', { url: base });
  assert.deepEqual(found.map((k) => k.getFingerprint()), [alice.publicKey.getFingerprint()]);
  // Only Mallory's key for Alice's address: NO_USABLE_KEY.
  routes.set('/pks/lookup?op=get&options=mr&search=alice%40example.org', keys(await mallory.publicKey.armor()));
  await assert.rejects(sp.hkpLookup('alice@example.org', { url: base }), code('NO_USABLE_KEY'));
  // A secret key in the answer: returned as its public key.
  const lockedMallory = await sp.encryptKey({ privateKey: mallory.privateKey, passphrase: 'pw' });
  routes.set(`/vks/v1/by-fingerprint/${fpr(mallory.publicKey)}`, keys(await lockedMallory.armor()));
  const pub = await sp.vksLookup(mallory.publicKey.getFingerprint(), { url: base });
  assert.equal(pub[0].isPrivate(), false);
});

test('hostile answers: not keys, too large (declared or streamed), errors, a redirect, a dead server', async () => {
  const fp = fpr(alice.publicKey);
  const path = `/vks/v1/by-fingerprint/${fp}`;
  const look = (opts = {}) => sp.vksLookup(fp, { url: base, ...opts });
  routes.set(path, (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>rate limited</html>'));
  await assert.rejects(look(), code('MALFORMED_INPUT'));
  const big = Buffer.alloc(2 << 20, 0x41);
  routes.set(path, (req, res) => res.writeHead(200, { 'content-length': big.length }).end(big));
  await assert.rejects(look(), code('LIMIT_EXCEEDED'));
  // Streamed without a length: reading stops past the cap.
  routes.set(path, (req, res) => {
    res.writeHead(200);
    let sent = 0;
    const more = () => {
      while (sent < 4 << 20) {
        sent += 64 << 10;
        if (!res.write(Buffer.alloc(64 << 10, 0x41))) return res.once('drain', more);
      }
      res.end();
    };
    res.on('error', () => {});
    more();
  });
  await assert.rejects(look(), code('LIMIT_EXCEEDED'));
  // A real key over a smaller cap.
  routes.set(path, keys(aliceArmored));
  await assert.rejects(look({ maxBytes: 100 }), code('LIMIT_EXCEEDED'));
  assert.equal((await look({ maxBytes: aliceArmored.length + 10 })).length, 1);
  routes.set(path, (req, res) => res.writeHead(500).end('oops'));
  await assert.rejects(look(), code('NETWORK_ERROR'));
  routes.delete(path);
  await assert.rejects(look(), code('NO_USABLE_KEY'), '404');
  routes.set(path, (req, res) => res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end());
  await assert.rejects(look(), code('NETWORK_ERROR'), 'redirects are not followed');
  const dead = createServer();
  await new Promise((r) => dead.listen(0, '127.0.0.1', r));
  const deadUrl = `http://127.0.0.1:${dead.address().port}`;
  await new Promise((r) => dead.close(r));
  await assert.rejects(sp.vksLookup(fp, { url: deadUrl }), code('NETWORK_ERROR'));
  // An aborted lookup.
  routes.set(path, () => {}); // never answers
  await assert.rejects(look({ signal: AbortSignal.timeout(200) }), code('ABORTED'));
});

test('arguments: a key ID, no server, a server URL with a query, unknown options', async () => {
  await assert.rejects(sp.vksLookup(alice.publicKey.getKeyID().toHex(), { url: base }), RangeError);
  await assert.rejects(sp.vksLookup('not a thing', { url: base }), RangeError);
  await assert.rejects(sp.vksLookup('alice@example.org', {}), TypeError);
  await assert.rejects(sp.hkpLookup('alice@example.org', { url: `${base}/?x=1` }), RangeError);
  await assert.rejects(sp.hkpLookup('alice@example.org', { url: 'file:///etc/passwd' }), RangeError);
  await assert.rejects(sp.vksLookup('alice@example.org', { url: base, date: new Date() }), (e) => e instanceof TypeError && /'date'/.test(e.message));
  await assert.rejects(sp.vksLookup('alice@example.org', { url: base, maxBytes: 2 << 20 }), RangeError);
});
