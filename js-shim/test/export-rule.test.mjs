// The export rule of the engine (js-shim/src/engine.js), in Node, on a strict engine (the one
// worker mode and direct mode in a page use): a key that was ever passphrase-protected leaves
// only as its locked form; it is never locked afresh; a new passphrase needs the old one,
// checked against the locked form; an unlocked never-protected key is never exported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as wasm from '../src/wasm/index.js';
import { createEngine } from '../src/engine.js';

wasm.initSync({ module: readFileSync(new URL('../src/wasm/sealpost_wasm_bg.wasm', import.meta.url)) });
const strict = createEngine(wasm, { exportUnlocked: false });
const code = (c) => (e) => { assert.equal(e.code, c, e.message); return true; };
const gen = (passphrase) => strict.generateKey({ userIDs: ['R <r@example.org>'], type: 'curve25519', passphrase, keyExpirationTime: 0, aead: false }).key;

/** Opens armored key bytes with a passphrase in a separate (non-strict) engine: true / false. */
const loose = createEngine(wasm, { exportUnlocked: true });
function opens(armored, passphrase) {
  const [ref] = loose.readKeys(armored);
  try {
    loose.unlockKey(ref.handle, passphrase);
    return true;
  } catch (e) {
    if (e.code === 'BAD_PASSPHRASE') return false;
    throw e;
  }
}

test('handles are 128 random bits, never the same', () => {
  const a = gen('p');
  const b = strict.publicKey(a.handle);
  assert.match(a.handle, /^[0-9a-f]{32}$/);
  assert.notEqual(a.handle, b.handle);
  for (const guess of ['1', 1, 'constructor', '__proto__', a.handle.slice(1)]) {
    assert.throws(() => strict.exportKey(guess, { secret: true }), code('KEY_DISPOSED'));
  }
});

test('a protected key exports its locked form, from every handle, and is never locked afresh', () => {
  const locked = gen('owner');
  const form = strict.exportKey(locked.handle, { secret: true });
  const open = strict.unlockKey(locked.handle, 'owner');
  assert.equal(strict.exportKey(open.handle, { secret: true }), form);
  assert.deepEqual(strict.exportKey(open.handle, { secret: true, armor: false }), strict.exportKey(locked.handle, { secret: true, armor: false }));
  assert.throws(() => strict.lockKey(open.handle, 'attacker'), code('KEY_PROTECTED'));
  assert.throws(() => strict.lockKey(locked.handle, 'attacker'), code('KEY_PROTECTED'));
  // Revoked and merged copies keep the lineage: locked with the owner's passphrase only.
  const revoked = strict.revokeKey(open.handle, 'retired', '', undefined);
  assert.throws(() => strict.lockKey(revoked.handle, 'attacker'), code('KEY_PROTECTED'));
  const revokedForm = strict.exportKey(revoked.handle, { secret: true });
  assert.ok(opens(revokedForm, 'owner') && !opens(revokedForm, 'attacker'));
  assert.equal(loose.readKeys(revokedForm)[0].info.revocation, 'revoked', 'the locked form carries the revocation');
});

test('a new passphrase needs the old one, checked against the locked form', () => {
  const locked = gen('old');
  const open = strict.unlockKey(locked.handle, 'old');
  assert.throws(() => strict.changePassphrase(open.handle, 'wrong', 'attacker'), code('BAD_PASSPHRASE'));
  assert.throws(() => strict.changePassphrase(open.handle, '', 'attacker'), (e) => ['BAD_PASSPHRASE', 'INVALID_ARGUMENT'].includes(e.code));
  const changed = strict.changePassphrase(open.handle, 'old', 'new');
  const form = strict.exportKey(changed.handle, { secret: true });
  assert.ok(opens(form, 'new') && !opens(form, 'old'));
  // The old handles keep the old form.
  assert.ok(opens(strict.exportKey(open.handle, { secret: true }), 'old'));
});

test('a key never protected: not exported unlocked, locked once, then protected', () => {
  const bare = gen(undefined);
  assert.throws(() => strict.exportKey(bare.handle, { secret: true }), code('EXPORT_REFUSED'));
  const revoked = strict.revokeKey(bare.handle, 'retired', '', undefined); // same lineage
  const locked = strict.lockKey(bare.handle, 'first');
  assert.throws(() => strict.lockKey(bare.handle, 'second'), code('KEY_PROTECTED'));
  assert.throws(() => strict.lockKey(revoked.handle, 'second'), code('KEY_PROTECTED'));
  assert.throws(() => strict.changePassphrase(bare.handle, 'x', 'second'), code('BAD_PASSPHRASE'));
  const form = strict.exportKey(bare.handle, { secret: true });
  assert.equal(form, strict.exportKey(locked.handle, { secret: true }));
  assert.ok(opens(form, 'first') && !opens(form, 'second'));
});

test('merging takes no secret from the update', () => {
  const locked = gen('owner');
  const open = strict.unlockKey(locked.handle, 'owner');
  const [cert] = strict.readKeys(strict.exportKey(open.handle, { secret: false }));
  const merged = strict.mergeKey(cert.handle, open.handle);
  assert.equal(merged.info.isSecret, false);
  assert.throws(() => strict.lockKey(merged.handle, 'attacker'), (e) => e.code === 'INVALID_ARGUMENT' || e.code === 'KEY_PROTECTED');
  assert.doesNotMatch(strict.exportKey(merged.handle, { secret: true }), /PRIVATE KEY/);
});

test('lockAfter drops an idle unlocked key (KEY_LOCKED); use restarts the clock', async () => {
  const locked = gen('idle');
  const open = strict.unlockKey(locked.handle, 'idle', { lockAfter: 150 });
  await new Promise((r) => setTimeout(r, 100));
  strict.exportKey(open.handle, { secret: false });
  await new Promise((r) => setTimeout(r, 100));
  strict.exportKey(open.handle, { secret: false });
  await new Promise((r) => setTimeout(r, 300));
  assert.throws(() => strict.exportKey(open.handle, { secret: false }), code('KEY_LOCKED'));
  assert.ok(strict.exportKey(locked.handle, { secret: true }), 'the locked key stays');
});

test('Node (exportUnlocked) exports what it holds and re-locks (SOP change-key-password)', () => {
  const { key } = loose.generateKey({ userIDs: ['N <n@example.org>'], type: 'curve25519', passphrase: 'a', keyExpirationTime: 0, aead: false });
  const open = loose.unlockKey(key.handle, 'a');
  assert.match(loose.exportKey(open.handle, { secret: true }), /PRIVATE KEY/);
  const relocked = loose.lockKey(open.handle, 'b');
  assert.ok(opens(loose.exportKey(relocked.handle, { secret: true }), 'b'));
});

test('an unlocked key does not unlock with any passphrase: it is checked against the locked form', () => {
  const locked = gen('owner');
  const open = strict.unlockKey(locked.handle, 'owner');
  assert.throws(() => strict.unlockKey(open.handle, 'attacker'), code('BAD_PASSPHRASE'));
  assert.throws(() => strict.unlockKey(open.handle, 'attacker', { lockAfter: 1000 }), code('BAD_PASSPHRASE'));
  // Copies of the unlocked key (revoked, merged) are checked the same way.
  const revoked = strict.revokeKey(open.handle, 'retired', '', undefined);
  assert.throws(() => strict.unlockKey(revoked.handle, 'attacker'), code('BAD_PASSPHRASE'));
  const [cert] = strict.readKeys(strict.exportKey(open.handle, { secret: false }));
  const merged = strict.mergeKey(open.handle, cert.handle);
  assert.throws(() => strict.unlockKey(merged.handle, 'attacker'), code('BAD_PASSPHRASE'));
  // The owner's passphrase still gives a copy.
  assert.equal(strict.unlockKey(open.handle, 'owner').info.isLocked, false);
  strict.release([open.handle, revoked.handle, merged.handle, cert.handle]);
});

test('lockAfter: copies made by unlockKey, revokeKey and mergeKey are dropped with the timed key, and its streams are aborted', async () => {
  const locked = gen('idle');
  const open = strict.unlockKey(locked.handle, 'idle', { lockAfter: 1000 });
  const pub = strict.publicKey(open.handle);
  const revoked = strict.revokeKey(open.handle, 'retired', '', undefined);
  const [cert] = strict.readKeys(strict.exportKey(open.handle, { secret: false }));
  const merged = strict.mergeKey(open.handle, cert.handle);
  const again = strict.unlockKey(open.handle, 'idle');
  const copyOfCopy = strict.revokeKey(merged.handle, 'superseded', '', undefined);
  const stream = strict.encryptStart({ recipients: [pub.handle], signers: [again.handle], armor: false });
  strict.streamPush(stream.id, new Uint8Array(1000));
  // Using any member restarts the clock for all of them.
  await new Promise((r) => setTimeout(r, 600));
  strict.exportKey(copyOfCopy.handle, { secret: false });
  await new Promise((r) => setTimeout(r, 600));
  strict.streamPush(stream.id, new Uint8Array(1000));
  // Then left idle.
  await new Promise((r) => setTimeout(r, 2000));
  for (const [name, ref] of Object.entries({ open, revoked, merged, again, copyOfCopy })) {
    assert.throws(() => strict.exportKey(ref.handle, { secret: false }), code('KEY_LOCKED'), name);
  }
  assert.throws(() => strict.streamPush(stream.id, new Uint8Array(1000)), code('KEY_LOCKED'));
  assert.throws(() => strict.streamFinish(stream.id), code('KEY_LOCKED'));
  // The locked key and the public copies stay.
  assert.ok(strict.exportKey(locked.handle, { secret: true }));
  assert.equal(strict.exportKey(pub.handle, { secret: false }), strict.exportKey(cert.handle, { secret: false }));
});

test('a revocation made before the first lock is in the locked form the revoked copy exports', () => {
  const bare = gen(undefined);
  const revoked = strict.revokeKey(bare.handle, 'retired', '', undefined);
  strict.lockKey(bare.handle, 'first');
  for (const form of [strict.exportKey(revoked.handle, { secret: true }), strict.exportKey(revoked.handle, { secret: true, armor: false })]) {
    const [k] = loose.readKeys(form);
    assert.equal(k.info.revocation, 'revoked', 'the revocation survives the lock');
    assert.equal(k.info.isLocked, true);
    assert.ok(opens(form, 'first') && !opens(form, 'second'));
  }
  // The key that was locked exports as it was: not revoked.
  assert.notEqual(loose.readKeys(strict.exportKey(bare.handle, { secret: true }))[0].info.revocation, 'revoked');
  // And a new passphrase from the revoked copy keeps the revocation.
  const changed = strict.changePassphrase(revoked.handle, 'first', 'second');
  assert.equal(changed.info.revocation, 'revoked');
});
