// The adversarial corpus (tests/adversarial/, written by
// wasm/core/examples/adversarial_corpus.rs) through the wasm build in Node,
// by the public API of the sealpost package: every case must have the
// outcome cases.json names, the same that wasm/core/tests/corpus.rs
// checks natively.  A wasm trap is a failure of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as sp from '../../js-shim/src/node.js';

const dir = new URL('../adversarial/', import.meta.url);
const read = (name) => new Uint8Array(readFileSync(new URL(name, dir)));
const doc = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8'));
const isArmor = (bytes) => new TextDecoder().decode(bytes.subarray(0, 5)) === '-----';

async function key(name) {
  const bytes = read(name);
  return isArmor(bytes) ? sp.readKey({ armoredKey: new TextDecoder().decode(bytes) }) : sp.readKey({ binaryKey: bytes });
}

async function message(name) {
  const bytes = read(name);
  if (!isArmor(bytes)) return sp.readMessage({ binaryMessage: bytes });
  const text = new TextDecoder().decode(bytes);
  return text.startsWith('-----BEGIN PGP SIGNED MESSAGE-----')
    ? sp.readCleartextMessage({ cleartextMessage: text })
    : sp.readMessage({ armoredMessage: text });
}

/** { error: code, message } or { data: Uint8Array, signatures: [{ valid, created }] }. */
async function run(c) {
  const verificationKeys = await Promise.all((c.verification || []).map(key));
  try {
    if (c.op === 'decrypt') {
      const r = await sp.decrypt({
        message: await message(c.message),
        decryptionKeys: await Promise.all((c.keys || []).map(key)),
        passwords: c.passwords || [],
        verificationKeys,
        format: 'binary',
      });
      return r;
    }
    if (c.op === 'verify') return await sp.verify({ message: await message(c.message), verificationKeys, format: 'binary' });
    if (c.op === 'verifyDetached') {
      return await sp.verify({
        message: await sp.createMessage({ binary: read(c.data) }),
        signature: await sp.readSignature({ binarySignature: read(c.signature) }),
        verificationKeys,
        format: 'binary',
      });
    }
    throw new Error(`unknown op ${c.op}`);
  } catch (e) {
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `${c.name}: the wasm trapped: ${e.message}`);
    if (!(e instanceof sp.SealpostError)) throw e;
    return { error: e.code, message: e.message };
  }
}

test('the adversarial corpus has at least 20 cases', () => {
  assert.ok(doc.cases.length >= 20, `${doc.cases.length} cases`);
});

for (const c of doc.cases) {
  test(`${c.name}: ${c.attack}`, async () => {
    const r = await run(c);
    const e = c.expect;
    if (e.error) {
      assert.equal(r.error, e.error, `expected ${e.error}, got ${r.error ?? 'a result'}: ${r.message ?? ''}`);
      assert.ok(!r.message.includes(doc.secret), 'the secret is in the error message');
      return;
    }
    assert.equal(r.error, undefined, `unexpected ${r.error}: ${r.message}`);
    const text = new TextDecoder().decode(r.data);
    if (e.data !== undefined) assert.equal(text, e.data);
    if (e.data !== doc.secret) assert.ok(!text.includes(doc.secret), 'unverified data was returned');
    if (e.valid !== undefined) {
      assert.ok(r.signatures.length > 0, 'no signature reported');
      for (const s of r.signatures) assert.equal(s.valid, e.valid, `signature ${s.status}: ${s.reason ?? ''}`);
    }
    if (e.created !== undefined) {
      for (const s of r.signatures) assert.equal(s.created.getTime() / 1000, e.created);
    }
  });
}
