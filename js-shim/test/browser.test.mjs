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
import { execFileSync } from 'node:child_process';
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
  // Mails in other charsets, made with Python's codecs (fixtures/mail-charsets/make.py).
  const charsets = execFileSync('python3', [join(shim, 'test/fixtures/mail-charsets/make.py')]).toString();
  writeFileSync(join(root, 'test/browser/charsets.js'), `export const CHARSET_CASES = ${charsets};\n`);
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
  'issue 25 calls in the worker: session keys, file names, format object, key IDs, readPrivateKeys, update, key edits, progress',
  'reformatKey, addSubkey and key server lookups in the worker: a protected key stays under its own passphrase',
  'errors cross the worker boundary with their class and code',
  'streams through the worker: 24 MiB round trip, SEIPDv2 released as it goes',
  'a v4 key packet over 64 KiB is an error in the worker, not a trap: loaded keys stay usable',
  'generateKey and reformatKey are one message to the worker: the key, its public key and their infos (armored: both exported)',
  'long work in the worker: AbortSignal, a failed, hung or terminated worker, no pending call left',
  'a trap replaces the worker: pending calls fail, later calls work',
  'a wasm that does not match its SHA-384 is refused',
  'a worker file that does not match its SHA-384 never runs',
  'lockAfter: an unlocked key left idle is dropped',
  'attacks: no page script gets a secret key that opens without the victim passphrase',
  'direct mode in the page works too',
  'a page without Worker: NOT_SUPPORTED, not direct mode, unless direct mode is asked for',
  'mail in the worker: encryptMail → decryptMail, attachment bytes exact, sender verified',
  'mail charsets in the worker: the platform\'s TextDecoder decodes what the wasm hands it, as Python\'s codecs wrote it',
]) {
  test(`browser: ${name}`, () => {
    const failed = results.failed.find((f) => f.name === name);
    assert.equal(failed, undefined, failed && failed.error);
    assert.ok(results.passed.includes(name), `did not run: ${name}`);
  });
}

test('browser: the key store — put/get/list/delete, an unlocked key refused (worker and direct mode), keys survive a reload', async () => {
  // An unlocked key's armored text, made here: the page cannot export one.
  const { privateKey: plain } = await sp.generateKey({ userIDs: 'Plain <plain@example.org>', format: 'object' });
  const unlockedArmored = await plain.armor();
  const server = await serve(root, { integrityPolicy: false });
  const page = await chrome.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  try {
    await page.goto(`${server.url}test/browser/keystore.html`);
    await page.waitForFunction(() => window.__ready === true);
    const first = await page.evaluate((a) => window.__phase1(a), unlockedArmored);
    assert.equal(first.expected.length, 2);
    // What rests in IndexedDB, read raw: armored text; the private key locked, opening only
    // with its passphrase; no record of a refused key.
    assert.deepEqual(first.records.map((r) => r.fingerprint), first.expected);
    for (const r of first.records) {
      const [k] = await sp.readKeys({ armoredKeys: r.armored });
      assert.equal(k.getFingerprint(), r.fingerprint);
      assert.equal(k.isPrivate(), r.private);
      if (!r.private) continue;
      assert.equal(k.isDecrypted(), false, 'stored locked');
      await assert.rejects(sp.decryptKey({ privateKey: k, passphrase: 'attacker passphrase' }), (e) => e.code === 'BAD_PASSPHRASE');
      assert.equal((await sp.decryptKey({ privateKey: k, passphrase: 'victim passphrase' })).isDecrypted(), true);
    }
    assert.ok(!first.records.some((r) => r.fingerprint === plain.getFingerprint()), 'the unlocked key was not stored');
    await page.reload();
    await page.waitForFunction(() => window.__ready === true);
    const second = await page.evaluate(() => window.__phase2());
    assert.deepEqual(second.listed, first.expected);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await server.close();
  }
});

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

/** The packets of binary OpenPGP data: [{ tag, body }] (new and old packet framing, no partial lengths). */
function packets(b) {
  const out = [];
  let i = 0;
  while (i < b.length) {
    const ctb = b[i++];
    let tag;
    let len = 0;
    if (ctb & 0x40) {
      tag = ctb & 0x3f;
      const o = b[i++];
      if (o < 192) len = o;
      else if (o < 224) len = ((o - 192) << 8) + b[i++] + 192;
      else if (o === 255) { len = b.readUInt32BE(i); i += 4; } else throw new Error('partial length');
    } else {
      tag = (ctb >> 2) & 0x0f;
      for (let n = [1, 2, 4][ctb & 3]; n > 0; n--) len = len * 256 + b[i++];
    }
    out.push({ tag, body: b.subarray(i, i + len) });
    i += len;
  }
  return out;
}

/** The secret values (the MPIs' bytes) of an unlocked v4 key, from its binary form and its certificate's. */
function secretValues(unlocked, cert) {
  const secret = packets(Buffer.from(unlocked)).filter((p) => p.tag === 5 || p.tag === 7);
  const pub = packets(Buffer.from(cert)).filter((p) => p.tag === 6 || p.tag === 14);
  assert.equal(secret.length, pub.length);
  return secret.map((p, i) => {
    const at = pub[i].body.length;
    assert.deepEqual(p.body.subarray(0, at), pub[i].body, 'the secret packet starts with the public one');
    assert.equal(p.body[at], 0, 'S2K usage 0: the secret in the clear');
    const value = Buffer.from(p.body.subarray(at + 3, p.body.length - 2)); // after the MPI's bit count, before the checksum
    assert.ok(value.length >= 28, `a secret of ${value.length} bytes`);
    return value;
  });
}

/** The secret values of a locked key (armored), opened in Node with its passphrase. */
async function secretsOf(armoredKey, passphrase) {
  const open = await sp.decryptKey({ privateKey: await sp.readPrivateKey({ armoredKey }), passphrase });
  return secretValues(await open.write(), await (await open.toPublic()).write());
}

/**
 * The bytes of every ArrayBuffer, typed array and DataView in a heap snapshot that an object
 * holds by a property or an element (read through that object: Chromium gives no buffer by its
 * heap id).  Buffers held only by closures' or modules' variables are not reached.
 */
async function bufferBytes(cdp, { snapshot: { meta }, nodes, edges, strings }) {
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [nodeTypes] = meta.node_types;
  const [edgeTypes] = meta.edge_types;
  const [iType, iName, iId, iEdges] = ['type', 'name', 'id', 'edge_count'].map((f) => meta.node_fields.indexOf(f));
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f));
  const isBuffer = (n) => nodeTypes[nodes[n + iType]] === 'object' && /^(Shared)?ArrayBuffer$|^(Big)?(Ui|I)nt(8|16|32|64)(Clamped)?Array$|^Float(16|32|64)Array$|^DataView$/.test(strings[nodes[n + iName]]);
  const holders = new Map(); // buffer node → [{ id, key }]
  let e = 0;
  for (let n = 0; n < nodes.length; n += nf) {
    const from = nodeTypes[nodes[n + iType]];
    for (let k = 0; k < nodes[n + iEdges]; k++, e += ef) {
      const to = edges[e + eTo];
      const type = edgeTypes[edges[e + eType]];
      if ((from !== 'object' && from !== 'closure') || (type !== 'property' && type !== 'element') || !isBuffer(to)) continue;
      const key = type === 'element' ? edges[e + eName] : strings[edges[e + eName]];
      if (!holders.has(to)) holders.set(to, []);
      holders.get(to).push({ id: nodes[n + iId], key });
    }
  }
  const out = [];
  for (const list of holders.values()) {
    for (const { id, key } of list) {
      try {
        const { result } = await cdp.send('HeapProfiler.getObjectByHeapObjectId', { objectId: String(id) });
        const { result: read } = await cdp.send('Runtime.callFunctionOn', {
          objectId: result.objectId,
          arguments: [{ value: key }],
          returnByValue: true,
          functionDeclaration: `function (key) {
            const v = this[key];
            const u = ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array(v);
            let s = '';
            for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
            return btoa(s);
          }`,
        });
        if (typeof read.value !== 'string') continue;
        out.push(Buffer.from(read.value, 'base64'));
        break;
      } catch {
        // Not inspectable (a host object, a wrapper): try the next holder.
      }
    }
  }
  return out;
}

test('browser: a heap snapshot of the page holds no passphrase and no secret key material', async () => {
  // A key made here (Node, direct mode), given to the page locked: the page unlocks, uses and
  // exports it (armor() and write()) in worker mode, and generates keys of its own (object and binary).
  const passphrase = `heap-pass-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 24)}`;
  const generatedPassphrase = `heap-gen-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 24)}`;
  const { privateKey: plain } = await sp.generateKey({ userIDs: 'H <h@example.org>', format: 'object' });
  const plainArmored = await plain.armor();
  const lockedArmored = await (await sp.encryptKey({ privateKey: plain, passphrase })).armor();
  const server = await serve(root, { integrityPolicy: false });
  const page = await chrome.newPage();
  try {
    await page.goto(`${server.url}test/browser/heap.html`);
    await page.waitForFunction(() => typeof window.__run === 'function');
    const ran = await page.evaluate(([a, p, g]) => window.__run(a, p, g), [lockedArmored, passphrase, generatedPassphrase]);
    assert.equal(ran.data, 'heap check');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Runtime.enable');
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    let chunks = '';
    cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => { chunks += chunk; });
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    const snapshot = JSON.parse(chunks);
    const { strings } = snapshot;
    assert.ok(strings.length > 1000, 'a real snapshot');
    // The snapshot names buffers but holds none of their bytes, and Chromium hands out no
    // ArrayBuffer or typed array by heap id (nor by Runtime.queryObjects): each one found in the
    // snapshot is read through an object that holds it (a property or an element), copied out
    // as base64, and searched here: no needle ever enters the page.
    const bytes = Buffer.concat(await bufferBytes(cdp, snapshot));
    // The secrets: the MPIs of both unlocked keys (the page-generated one opened here from the
    // locked form the page exported), as bytes (either byte order), base64 and hex; base64 runs
    // of the unlocked armored key that are not in its locked form; both passphrases.
    const secrets = [...(await secretsOf(lockedArmored, passphrase)), ...(await secretsOf(ran.generatedLocked, generatedPassphrase))];
    assert.ok(secrets.length >= 4, `${secrets.length} secrets: the primary's and the subkeys' of both keys`);
    const byteNeedles = [...secrets, ...secrets.map((v) => Buffer.from(v).reverse()), Buffer.from(passphrase), Buffer.from(generatedPassphrase)];
    const foundBytes = byteNeedles.filter((n) => bytes.includes(n)).map((n) => n.toString('hex'));
    assert.deepEqual(foundBytes, [], 'secret bytes found in the page ArrayBuffers');
    const body = (t) => t.split('\n').filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l)).join('');
    const lockedBody = body(lockedArmored);
    const plainBody = body(plainArmored);
    // A run whose bytes are in the locked form is public data (a user ID, a signature) that the
    // page holds legitimately, at another base64 alignment: not a needle.
    const lockedBytes = Buffer.from((await sp.unarmor(lockedArmored)).data);
    const runs = [];
    for (let i = 0; i + 24 <= plainBody.length; i += 12) {
      const r = plainBody.slice(i, i + 24);
      if (!lockedBody.includes(r) && !lockedBytes.includes(Buffer.from(r, 'base64'))) runs.push(r);
    }
    assert.ok(runs.length > 4, 'secret runs to look for');
    const textNeedles = [passphrase, generatedPassphrase, ...runs, ...secrets.flatMap((v) => [v.toString('hex'), v.toString('base64').slice(0, 40)])];
    const found = textNeedles.filter((n) => strings.some((s) => s.includes(n)));
    assert.deepEqual(found, [], 'found in the page heap strings');
    // And the searches work: the locked exports are there, as text and as bytes.
    assert.ok(strings.some((s) => s.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----')), 'the armored locked exports are in the strings');
    const lockedPacket = packets(Buffer.from((await sp.unarmor(lockedArmored)).data)).find((p) => p.tag === 5).body;
    assert.ok(bytes.includes(lockedPacket.subarray(lockedPacket.length - 32)), `write()'s locked bytes are among the buffers read (${bytes.length} bytes)`);
  } finally {
    await page.close();
    await server.close();
  }
});
