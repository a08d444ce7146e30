// Memory of a long stream, in a process of its own (wasm memory only grows,
// so earlier tests would hide what this one uses): a 128 MiB SEIPDv2
// encryption piped into its decryption must keep the module's linear
// memory bounded — the whole message would need 2 × 128 MiB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as sp from '../src/node.js';

const MiB = 1 << 20;

test('a 128 MiB SEIPDv2 stream, encrypt piped into decrypt, stays under 40 MiB of wasm memory', async () => {
  const { privateKey, publicKey } = await sp.generateKey({ userIDs: 'M <m@example.org>', format: 'object', config: { v6Keys: true } });
  // The instance node.js set up (initSync returns it once initialized).
  const exports = (await import('../src/wasm/index.js')).initSync({ module: new Uint8Array(0) });
  const memory = () => exports.memory.buffer.byteLength;
  const before = memory();
  const total = 128 * MiB;
  const hashIn = createHash('sha256');
  let pulled = 0;
  const input = new ReadableStream({
    pull(c) {
      if (pulled >= total) return c.close();
      const x = new Uint8Array(MiB);
      for (let i = 0; i < x.length; i += 4096) x[i] = (pulled + i) >>> 12;
      pulled += MiB;
      hashIn.update(x);
      c.enqueue(x);
    },
  });
  const encrypted = await sp.encrypt({ message: await sp.createMessage({ binary: input }), encryptionKeys: publicKey, signingKeys: privateKey, format: 'binary' });
  const { data, signatures } = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: encrypted }), decryptionKeys: privateKey, verificationKeys: publicKey, expectSigned: true, format: 'binary' });
  const hashOut = createHash('sha256');
  let n = 0;
  let peak = before;
  for await (const c of data) {
    hashOut.update(c);
    n += c.length;
    peak = Math.max(peak, memory());
  }
  assert.equal(await (await signatures)[0].verified, true);
  assert.equal(n, total);
  assert.equal(hashOut.digest('hex'), hashIn.digest('hex'));
  assert.ok(peak < 40 * MiB, `wasm memory grew from ${before} to ${peak} bytes`);
  console.log(`# wasm memory: ${(before / MiB).toFixed(1)} MiB before, ${(peak / MiB).toFixed(1)} MiB peak`);
});
