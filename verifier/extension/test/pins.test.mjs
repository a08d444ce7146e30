// pins.js against a stand-in for chrome.storage.local: a revoked key is
// remembered when its site is forgotten, and found again by fingerprint.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const store = new Map();
const listeners = [];
globalThis.chrome = {
  storage: {
    local: {
      async get(key) {
        return store.has(key) ? { [key]: structuredClone(store.get(key)) } : {};
      },
      async set(items) {
        for (const [k, v] of Object.entries(items)) {
          const oldValue = store.get(k);
          store.set(k, structuredClone(v));
          for (const l of listeners) l({ [k]: { oldValue, newValue: structuredClone(v) } }, 'local');
        }
      },
    },
    onChanged: { addListener: (f) => listeners.push(f) },
  },
};
const { forgetPin, noteRevokedKey, pins, policyFloors, raiseFloor, revokedKey, revokedKeys, savePin } = await import('../pins.js');

test('forgetPin keeps the revoked fingerprint (a separate key), and only a revoked one', async () => {
  const O = 'https://mail.example';
  await savePin({ origin: O, fingerprint: 'ABCD', revoked: { reason: 'key compromise', at: '2026-01-01T00:00:00Z' }, failure: null });
  await savePin({ origin: 'https://other.example', fingerprint: 'EF01', failure: null });
  await forgetPin(O);
  await forgetPin('https://other.example');
  assert.equal((await pins())[O], undefined, 'the pin itself is gone');
  assert.deepEqual(await revokedKey('abcd'), { origin: O, reason: 'key compromise', at: '2026-01-01T00:00:00Z' });
  assert.equal(await revokedKey('EF01'), null, 'a forgotten, unrevoked key is not refused');
  assert.ok(store.has('revokedKeys') && !('revokedKeys' in store.get('pins')));
});

test('records kept across forget are written one after another: floors and revoked keys made at once are all kept; a floor is never lowered', async () => {
  // Made at once (two tabs enrolling two origins, two revocations seen): each read-modify-write
  // would read the same old map, and the last write would drop the others.
  await Promise.all([
    raiseFloor('https://a.example', { rebuilderKeys: ['r1'], rebuildQuorum: 1 }),
    raiseFloor('https://b.example', { rebuilderKeys: [], rebuildQuorum: 0 }),
    raiseFloor('https://c.example', { rebuilderKeys: ['r2', 'r3'], rebuildQuorum: 2 }),
    noteRevokedKey('AA11', { origin: 'https://a.example', reason: 'r' }),
    noteRevokedKey('BB22', { origin: 'https://b.example', reason: 'r' }),
  ]);
  const floors = await policyFloors();
  assert.deepEqual(Object.keys(floors).sort(), ['https://a.example', 'https://b.example', 'https://c.example']);
  assert.deepEqual([floors['https://c.example'].rebuilderKeys, floors['https://c.example'].rebuildQuorum], [['r2', 'r3'], 2]);
  const revoked = await revokedKeys();
  assert.ok(['aa11', 'bb22'].every((k) => k in revoked), `both revoked keys kept: ${Object.keys(revoked)}`);
  // Raised with a weaker policy (tlog.js refuses one first; if it ever got here): nothing dropped.
  await raiseFloor('https://c.example', { rebuilderKeys: ['r2'], rebuildQuorum: 1 });
  const c = (await policyFloors())['https://c.example'];
  assert.deepEqual([c.rebuilderKeys, c.rebuildQuorum, c.log], [['r2', 'r3'], 2, true]);
});
