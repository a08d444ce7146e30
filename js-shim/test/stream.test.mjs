// Streams through the package in Node: 64 MiB round trips with the output
// checked byte for byte (by hash), the release rules (SEIPDv2 as it goes,
// SEIPDv1 only at the end), armored streams, and tampering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as sp from '../src/node.js';

const MiB = 1 << 20;

/** A lazily generated, deterministic byte stream; counts what was pulled. */
function source(total, chunk = MiB) {
  const state = { pulled: 0, hash: createHash('sha256') };
  const stream = new ReadableStream({
    pull(controller) {
      if (state.pulled >= total) return controller.close();
      const n = Math.min(chunk, total - state.pulled);
      const c = new Uint8Array(n);
      for (let i = 0; i < n; i++) c[i] = ((state.pulled + i) * 2654435761) >>> 24;
      state.pulled += n;
      state.hash.update(c);
      controller.enqueue(c);
    },
  });
  return { stream, state };
}

/** A stream of the given chunks, all available at once. */
function fromChunks(chunks) {
  return new ReadableStream({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } });
}

/** `bytes` cut into `size`-byte pieces. */
function pieces(bytes, size) {
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

async function drain(stream, onChunk = () => {}) {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const c of stream) {
    onChunk(c, bytes);
    hash.update(c);
    bytes += c.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

async function keys(v6) {
  return sp.generateKey({ userIDs: 'Streamer <s@example.org>', format: 'object', config: { v6Keys: v6 } });
}

for (const v6 of [false, true]) {
  test(`64 MiB stream round trip, ${v6 ? 'v6 / SEIPDv2' : 'v4 / SEIPDv1'}`, async () => {
    const { privateKey, publicKey } = await keys(v6);
    const input = source(64 * MiB);
    const encrypted = await sp.encrypt({ message: await sp.createMessage({ binary: input.stream }), encryptionKeys: publicKey, signingKeys: privateKey, format: 'binary' });
    assert.ok(encrypted instanceof ReadableStream);
    const { data, signatures, layers } = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: encrypted }), decryptionKeys: privateKey, verificationKeys: publicKey, expectSigned: true, format: 'binary' });
    let pulledAtFirstOutput = null;
    const out = await drain(data, () => { pulledAtFirstOutput ??= input.state.pulled; });
    assert.equal(out.bytes, 64 * MiB);
    assert.equal(out.sha256, input.state.hash.digest('hex'), 'the output differs from the input');
    const sigs = await signatures;
    assert.equal(await sigs[0].verified, true);
    assert.equal((await layers).aead !== null, v6);
    if (v6) assert.ok(pulledAtFirstOutput < 32 * MiB, `SEIPDv2 released nothing until ${pulledAtFirstOutput} bytes were read`);
    else assert.equal(pulledAtFirstOutput, 64 * MiB, 'SEIPDv1 plaintext was released before the message was authenticated');
  });
}

test('armored streams: strings out of encrypt, strings into decrypt', async () => {
  const { privateKey, publicKey } = await keys(true);
  const text = 'a line of text ✓\n'.repeat(50_000);
  const parts = text.match(/[\s\S]{1,7777}/g);
  const armored = await sp.encrypt({
    message: await sp.createMessage({ text: fromChunks(parts) }),
    encryptionKeys: publicKey,
  });
  let all = '';
  const chunks = [];
  for await (const s of armored) {
    assert.equal(typeof s, 'string');
    chunks.push(s);
    all += s;
  }
  assert.match(all, /^-----BEGIN PGP MESSAGE-----/);
  const { data } = await sp.decrypt({
    message: await sp.readMessage({ armoredMessage: fromChunks(chunks) }),
    decryptionKeys: privateKey,
  });
  let back = '';
  for await (const s of data) back += s;
  assert.equal(back, text);
});

test('a tampered stream errors, and its signatures reject', async () => {
  for (const v6 of [false, true]) {
    const { privateKey, publicKey } = await keys(v6);
    const ct = await sp.encrypt({ message: await sp.createMessage({ binary: new Uint8Array(12 * MiB).fill(7) }), encryptionKeys: publicKey, signingKeys: privateKey, format: 'binary' });
    ct[ct.length - 200] ^= 1;
    const stream = fromChunks(pieces(ct, MiB));
    const { data, signatures } = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: stream }), decryptionKeys: privateKey, verificationKeys: publicKey, format: 'binary' });
    let released = 0;
    await assert.rejects(drain(data, (c) => { released += c.length; }), (e) => e.code === 'DECRYPTION_FAILED');
    await assert.rejects(signatures, (e) => e.code === 'DECRYPTION_FAILED');
    if (!v6) assert.equal(released, 0, 'SEIPDv1 released plaintext of a tampered message');
  }
});

test('a stream to an unknown key fails at the start', async () => {
  const { publicKey } = await keys(false);
  const { privateKey: other } = await keys(false);
  const ct = await sp.encrypt({ message: await sp.createMessage({ binary: new Uint8Array(100) }), encryptionKeys: publicKey, format: 'binary' });
  const { data } = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: fromChunks([ct]) }), decryptionKeys: other, format: 'binary' });
  await assert.rejects(drain(data), (e) => e.code === 'NO_MATCHING_KEY');
});

// The decryptor keeps a margin of unread input ahead of sequoia, sized
// from the message's AEAD chunk size; too small a margin would fail the
// stream (an underrun error), never truncate it.  OpenPGP.js can write
// every chunk size RFC 9580 allows: the smallest (64 B), its default
// (256 KiB) and the largest (4 MiB), armored and binary, pushed in small
// pieces so that the margin is what is being tested.
test('OpenPGP.js SEIPDv2 streams with 64 B, 256 KiB and 4 MiB chunks, in 16 KiB pushes', async () => {
  const openpgp = await import('openpgp');
  // Each long enough for output to start before the input ends.
  for (const [chunkSizeByte, size] of [[0, 5 * MiB], [12, 5 * MiB], [16, 17 * MiB]]) {
    const plain = new Uint8Array(size);
    for (let i = 0; i < plain.length; i++) plain[i] = (i * 2654435761) >>> 24;
    const want = createHash('sha256').update(plain).digest('hex');
    for (const armored of [false, true]) {
      const ct = await openpgp.encrypt({
        message: await openpgp.createMessage({ binary: plain }),
        passwords: 'chunked',
        format: armored ? 'armored' : 'binary',
        config: { aeadProtect: true, aeadChunkSizeByte: chunkSizeByte },
      });
      const bytes = armored ? new TextEncoder().encode(ct) : ct;
      const stream = fromChunks(pieces(bytes, 16 << 10));
      const message = armored ? await sp.readMessage({ armoredMessage: stream }) : await sp.readMessage({ binaryMessage: stream });
      const { data } = await sp.decrypt({ message, passwords: 'chunked', format: 'binary' });
      let early = 0;
      const out = await drain(data, (c, before) => { if (before === 0) early = c.length; });
      const what = `chunk size 2^${chunkSizeByte + 6}, ${armored ? 'armored' : 'binary'}`;
      assert.equal(out.bytes, plain.length, what);
      assert.equal(out.sha256, want, what);
      assert.ok(early > 0 && early < plain.length, `${what}: not released as it went`);
    }
  }
});
