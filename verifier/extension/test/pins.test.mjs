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
const { forgetPin, pins, revokedKey, savePin } = await import('../pins.js');

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
