// The full module on demand (issue 23 step 4), in Node, through the package's own entry points on
// a copy of the shim built with the default module first (tests/node/on-demand-stage.mjs): the
// wasm is served over HTTP by a server counting requests.
//  - browser.js's direct mode (the page's code path: fetch with integrity, the export rule on):
//    keys made before the switch; a call that needs nothing extra fetches nothing; a P-256 key
//    and message from GnuPG and a Curve448 message decrypt with exactly one request for the full
//    module, calls made meanwhile waiting for the switch; afterwards the keys still sign, an
//    unprotected unlocked key is still EXPORT_REFUSED and a protected one exports exactly the
//    locked form it had.
//  - a tampered full module: INTEGRITY_FAILED, and the default instance and its keys keep working.
//  - node.js (Node's entry) with fullWasmUrl over HTTP: the same one fetch; a stream live during
//    the switch cannot move (its state is the default instance's) and fails ABORTED.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CAMELLIA_PASSWORD, copyStaged, onDemandFixtures, stageOnDemand } from './on-demand-stage.mjs';

const SECRET = 'on-demand test, 51f0';

const staged = stageOnDemand();
const dirs = [staged.dir, ...Array.from({ length: 6 }, () => copyStaged(staged.dir))];
const wasmDir = join(staged.dir, 'src/wasm');
const defaultBytes = readFileSync(join(wasmDir, 'sealpost_wasm_bg.wasm'));
const fullBytes = readFileSync(join(wasmDir, 'sealpost_wasm_full_bg.wasm'));
const tampered = Buffer.from(fullBytes);
tampered[tampered.length >> 1] ^= 1;

// Request counts by path.
const hits = new Map();
const server = createServer((req, res) => {
  hits.set(req.url, (hits.get(req.url) ?? 0) + 1);
  const body = { '/default.wasm': defaultBytes, '/full.wasm': fullBytes, '/tampered/full.wasm': tampered }[req.url];
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  // The full module is answered 300 ms late, so that calls made meanwhile must wait for it.
  const send = () => {
    if (req.url === '/full.wasm') fullSentAt = Date.now();
    res.writeHead(200, { 'content-type': 'application/wasm', 'content-length': body.length }).end(body);
  };
  if (req.url === '/full.wasm') setTimeout(send, 300);
  else send();
});
let fullSentAt = 0;
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
after(() => server.close());
const count = (path) => hits.get(path) ?? 0;

const { p256Key, p256Message, c448Key, c448Message, camelliaMessage } = await onDemandFixtures(SECRET);

async function decryptWith(sp, armoredKey, armoredMessage) {
  const decryptionKeys = await sp.readPrivateKey({ armoredKey });
  const { data } = await sp.decrypt({ message: await sp.readMessage({ armoredMessage }), decryptionKeys });
  return data;
}

async function rejects(promise, code) {
  const err = await promise.then(() => assert.fail(`expected ${code}`), (e) => e);
  assert.equal(err.code, code, String(err));
  assert.ok(!String(err.message).includes(SECRET), 'plaintext in an error');
  return err;
}

test('page direct mode: one fetch of the full module for P-256 and Curve448; keys made before keep their handles and export rule', async () => {
  const sp = await import(pathToFileURL(join(dirs[0], 'src/browser.js')).href);
  await sp.configure({ mode: 'direct', wasmUrl: `${base}/default.wasm`, fullWasmUrl: `${base}/full.wasm` });

  // Before the switch: an unprotected key, a protected one and its unlocked handle.
  const { privateKey: open } = await sp.generateKey({ userIDs: 'Open <open@example.org>', format: 'object' });
  const { privateKey: guarded } = await sp.generateKey({ userIDs: 'Guarded <g@example.org>', passphrase: 'pw one', format: 'object' });
  const unlocked = await sp.decryptKey({ privateKey: guarded, passphrase: 'pw one' });
  const lockedBefore = await guarded.armor();
  await rejects(open.armor(), 'EXPORT_REFUSED');

  // A call that needs nothing extra: no request for the full module.
  const roundTrip = await sp.encrypt({ message: await sp.createMessage({ text: SECRET }), encryptionKeys: await open.toPublic(), signingKeys: unlocked });
  const back = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: roundTrip }), decryptionKeys: open, verificationKeys: await unlocked.toPublic(), expectSigned: true });
  assert.equal(back.data, SECRET);
  assert.equal(count('/default.wasm'), 1);
  assert.equal(count('/full.wasm'), 0, 'a Curve25519 round trip fetched the full module');

  // P-256 from GnuPG; once its request for the full module is under way, a sign and a Curve448
  // decryption: they wait for the one switch (they end after the module was sent).
  const message = await sp.createMessage({ text: 'during the switch' });
  const p256 = decryptWith(sp, p256Key, p256Message);
  while (count('/full.wasm') === 0) await new Promise((r) => setTimeout(r, 5));
  const [p256Text, [signed, signedAt], c448Text] = await Promise.all([
    p256,
    sp.sign({ message, signingKeys: open }).then((out) => [out, Date.now()]),
    decryptWith(sp, c448Key, c448Message),
  ]);
  assert.ok(fullSentAt > 0 && signedAt >= fullSentAt, 'a call made during the switch did not wait for it');
  assert.equal(p256Text, SECRET);
  assert.equal(c448Text, SECRET);
  assert.equal(count('/full.wasm'), 1, 'the full module was fetched more than once');

  // After it: the same handles sign and decrypt; the export rule holds as before.
  const verified = await sp.verify({ message: await sp.readMessage({ armoredMessage: signed }), verificationKeys: await open.toPublic(), expectSigned: true });
  assert.equal(await verified.signatures[0].verified, true);
  const after1 = await sp.sign({ message: await sp.createMessage({ text: 'after' }), signingKeys: [open, unlocked] });
  const v2 = await sp.verify({ message: await sp.readMessage({ armoredMessage: after1 }), verificationKeys: [await open.toPublic(), await guarded.toPublic()], expectSigned: true });
  assert.equal(v2.signatures.length, 2);
  for (const s of v2.signatures) assert.equal(await s.verified, true);
  const again = await sp.decrypt({ message: await sp.readMessage({ armoredMessage: roundTrip }), decryptionKeys: open });
  assert.equal(again.data, SECRET);
  await rejects(open.armor(), 'EXPORT_REFUSED');
  assert.equal(await guarded.armor(), lockedBefore, 'the protected key exported something other than its locked form');
  assert.equal(await unlocked.armor(), lockedBefore, 'the unlocked handle exported something other than the locked form');
  await rejects(sp.decryptKey({ privateKey: unlocked, passphrase: 'not it' }), 'BAD_PASSPHRASE');
  // A key made after the switch: Curve448 generation works without another request.
  const { privateKey: big } = await sp.generateKey({ userIDs: 'c <c@example.org>', type: 'curve448', format: 'object' });
  assert.ok(big.getFingerprint());
  assert.equal(count('/full.wasm'), 1);
  await sp.terminate();
});

test('a tampered full module: INTEGRITY_FAILED, nothing instantiated, the default instance and its keys keep working', async () => {
  const sp = await import(pathToFileURL(join(dirs[1], 'src/browser.js')).href);
  await sp.configure({ mode: 'direct', wasmUrl: `${base}/default.wasm`, fullWasmUrl: `${base}/tampered/full.wasm` });
  const { privateKey: open } = await sp.generateKey({ userIDs: 'Open <open@example.org>', format: 'object' });
  const before = count('/tampered/full.wasm');
  await rejects(decryptWith(sp, c448Key, c448Message), 'INTEGRITY_FAILED');
  assert.equal(count('/tampered/full.wasm'), before + 1);
  // Still the default module: the key made before works, Curve448 is still missing.
  const signed = await sp.sign({ message: await sp.createMessage({ text: 'still here' }), signingKeys: open });
  const v = await sp.verify({ message: await sp.readMessage({ armoredMessage: signed }), verificationKeys: await open.toPublic(), expectSigned: true });
  assert.equal(await v.signatures[0].verified, true);
  await rejects(open.armor(), 'EXPORT_REFUSED');
  // A later call that needs it asks again (and is refused again).
  await rejects(sp.generateKey({ userIDs: 'c <c@example.org>', type: 'curve448' }), 'INTEGRITY_FAILED');
  assert.equal(count('/tampered/full.wasm'), before + 2);
  await sp.terminate();
});

test("Node's entry (node.js) with fullWasmUrl over HTTP: one fetch, checked against FULL_WASM_INTEGRITY; a stream live during the switch is ABORTED", async () => {
  const sp = await import(pathToFileURL(join(dirs[2], 'src/node.js')).href);
  await sp.configure({ fullWasmUrl: `${base}/full.wasm` });
  const before = count('/full.wasm');
  const { privateKey } = await sp.generateKey({ userIDs: 'n <n@example.org>', format: 'object' });
  assert.equal(count('/full.wasm'), before, 'a Curve25519 key fetched the full module');
  assert.equal(await decryptWith(sp, p256Key, p256Message), SECRET);
  assert.equal(await decryptWith(sp, c448Key, c448Message), SECRET);
  assert.equal(count('/full.wasm'), before + 1);
  // A stream started before the switch: its next chunk after it is ABORTED, and a new one works.
  const node = await import(pathToFileURL(join(dirs[3], 'src/node.js')).href);
  await node.configure({ fullWasmUrl: `${base}/full.wasm` });
  const { privateKey: k } = await node.generateKey({ userIDs: 's <s@example.org>', format: 'object' });
  let source;
  const input = new ReadableStream({ start(c) { source = c; } });
  const out = await node.encrypt({ message: await node.createMessage({ binary: input }), encryptionKeys: await k.toPublic(), format: 'binary' });
  const reader = out.getReader();
  source.enqueue(new Uint8Array(1 << 20));
  const first = await reader.read();
  assert.ok(!first.done);
  assert.equal(await decryptWith(node, c448Key, c448Message), SECRET);
  // The shim may have cancelled the input already (the stream failed at the switch): then there
  // is nothing to feed, and the output must still end ABORTED.
  try {
    source.enqueue(new Uint8Array(1 << 20));
    source.close();
  } catch (e) {
    assert.match(String(e), /closed/);
  }
  const err = await (async () => {
    for (;;) {
      const r = await reader.read();
      if (r.done) return null;
    }
  })().catch((e) => e);
  assert.equal(err?.code, 'ABORTED', String(err));
  const fresh = await node.encrypt({ message: await node.createMessage({ text: SECRET }), encryptionKeys: await k.toPublic() });
  assert.equal((await node.decrypt({ message: await node.readMessage({ armoredMessage: fresh }), decryptionKeys: k })).data, SECRET);
  await node.terminate();

  const signed = await sp.sign({ message: await sp.createMessage({ text: 'n' }), signingKeys: privateKey });
  const v = await sp.verify({ message: await sp.readMessage({ armoredMessage: signed }), verificationKeys: await privateKey.toPublic(), expectSigned: true });
  assert.equal(await v.signatures[0].verified, true);
  await sp.terminate();
});

test('a trap during the switch is WASM_TRAPPED, as any trap: the instance is reset, its keys are gone, later calls work', async () => {
  const dir = copyStaged(staged.dir);
  const hooks = await import(pathToFileURL(join(dir, 'src/testing.js')).href);
  const sp = await import(pathToFileURL(join(dir, 'src/node.js')).href);
  const { directBackend } = await import(pathToFileURL(join(dir, 'src/backend-direct.js')).href);
  const glue = await import(pathToFileURL(join(dir, 'src/wasm/index.js')).href);
  let switches = 0;
  hooks.setBackendFactory(() => directBackend(async () => {
    glue.initSync({ module: defaultBytes });
    return glue;
  }, {
    exportUnlocked: false,
    // The switch traps the default instance (its test export) where it would fetch the module.
    fetchFull: async () => {
      switches++;
      glue.__testTrap();
    },
  }));
  await sp.configure({});
  const { privateKey } = await sp.generateKey({ userIDs: 't <t@example.org>', format: 'object' });
  await rejects(sp.generateKey({ userIDs: 'c <c@example.org>', type: 'curve448' }), 'WASM_TRAPPED');
  assert.equal(switches, 1);
  await rejects(privateKey.armor(), 'KEY_DISPOSED');
  const { privateKey: next } = await sp.generateKey({ userIDs: 'u <u@example.org>', format: 'object' });
  await rejects(next.armor(), 'EXPORT_REFUSED');
  await sp.terminate();
});

test('a stream that meets what the default module lacks fails UNSUPPORTED missing algorithm; the package has switched, and the same stream again decrypts', async () => {
  // Node's entry the browser's way (fullWasmUrl given: the default module first).
  const sp = await import(pathToFileURL(join(dirs[4], 'src/node.js')).href);
  await sp.configure({ fullWasmUrl: `${base}/full.wasm` });
  const streamed = async () => {
    const binaryMessage = new ReadableStream({ start(c) { c.enqueue(camelliaMessage.slice()); c.close(); } });
    const { data } = await sp.decrypt({ message: await sp.readMessage({ binaryMessage }), passwords: [CAMELLIA_PASSWORD], format: 'binary' });
    assert.ok(data instanceof ReadableStream, 'the decryption was not streamed');
    const chunks = [];
    for await (const c of data) chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
  };
  const before = count('/full.wasm');
  const err = await streamed().then(() => null, (e) => e);
  assert.equal(err?.code, 'UNSUPPORTED', String(err));
  assert.equal(err.missing, 'algorithm');
  assert.equal(count('/full.wasm'), before + 1, 'the failed stream did not switch the package to the full module');
  assert.equal(await streamed(), SECRET);
  assert.equal(count('/full.wasm'), before + 1);
  await sp.terminate();
});

test("Node's entry without fullWasmUrl or wasmUrl runs the full module from the start: no switch, streams meet nothing missing", async () => {
  const sp = await import(pathToFileURL(join(dirs[5], 'src/node.js')).href);
  // The stream that fails in the default module (above) decrypts on the first try.
  const binaryMessage = new ReadableStream({ start(c) { c.enqueue(camelliaMessage.slice()); c.close(); } });
  const { data } = await sp.decrypt({ message: await sp.readMessage({ binaryMessage }), passwords: [CAMELLIA_PASSWORD], format: 'binary' });
  const chunks = [];
  for await (const c of data) chunks.push(c);
  assert.equal(Buffer.concat(chunks).toString('utf8'), SECRET);
  await sp.terminate();
});

test('a key the default module lacks (P-256 from gpg) switches the package when it is read: a stream with it decrypts on the first try, one fetch', async () => {
  const sp = await import(pathToFileURL(join(dirs[6], 'src/node.js')).href);
  await sp.configure({ fullWasmUrl: `${base}/full.wasm` });
  const before = count('/full.wasm');
  const decryptionKeys = await sp.readPrivateKey({ armoredKey: p256Key });
  assert.equal(count('/full.wasm'), before + 1, 'reading the P-256 key did not switch');
  const bytes = (await sp.unarmor(p256Message)).data;
  const binaryMessage = new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } });
  const { data } = await sp.decrypt({ message: await sp.readMessage({ binaryMessage }), decryptionKeys, format: 'binary' });
  assert.ok(data instanceof ReadableStream, 'the decryption was not streamed');
  const chunks = [];
  for await (const c of data) chunks.push(c);
  assert.equal(Buffer.concat(chunks).toString('utf8'), SECRET);
  assert.equal(count('/full.wasm'), before + 1);
  await sp.terminate();
});
