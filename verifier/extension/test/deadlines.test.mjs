// deadlines.js against a stand-in for chrome.storage.session and
// chrome.alarms: a pending check is recorded with an alarm at its
// deadline, survives as long as its load has no verdict, and a verdict of
// an older load never removes a newer load's record.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

const store = new Map();
const alarms = new Map();
globalThis.chrome = {
  storage: {
    session: {
      async get(key) {
        if (key === null) return Object.fromEntries(store);
        return store.has(key) ? { [key]: structuredClone(store.get(key)) } : {};
      },
      async set(items) {
        for (const [k, v] of Object.entries(items)) store.set(k, structuredClone(v));
      },
      async remove(key) {
        for (const k of [key].flat()) store.delete(k);
      },
    },
  },
  alarms: {
    async create(name, { when }) {
      alarms.set(name, when);
    },
    async clear(name) {
      return alarms.delete(name);
    },
  },
};
const { allPending, dropPending, notePendingDocument, pendingOf, settlePending, tabOfAlarm, trackPending } = await import('../deadlines.js');

const load = (id, documentId = null) => ({ id, origin: 'http://127.0.0.1:8080', url: 'http://127.0.0.1:8080/', documentId });

beforeEach(() => {
  store.clear();
  alarms.clear();
});

test('a started check is recorded with its deadline, and an alarm then', async () => {
  await trackPending(7, load('a'), 5000);
  assert.deepEqual(await pendingOf(7), { id: 'a', origin: 'http://127.0.0.1:8080', url: 'http://127.0.0.1:8080/', deadline: 5000, documentId: null });
  assert.equal(alarms.get('sealpost-deadline:7'), 5000);
  assert.equal(tabOfAlarm('sealpost-deadline:7'), 7);
  assert.ok(Number.isNaN(tabOfAlarm('other')));
  assert.deepEqual((await allPending()).map(([t, r]) => [t, r.id]), [[7, 'a']]);
});

test('the document goes in the record; the verdict removes record and alarm', async () => {
  await trackPending(7, load('a'), 5000);
  await notePendingDocument(7, load('a', 'DOC'));
  assert.equal((await pendingOf(7)).documentId, 'DOC');
  await settlePending(7, load('a'));
  assert.equal(await pendingOf(7), null);
  assert.ok(!alarms.has('sealpost-deadline:7'));
});

test("an older load's verdict or document never touches a newer load's record (writes in order)", async () => {
  // Issued back to back, as the worker does when a tab navigates again.
  const writes = [trackPending(7, load('old'), 1000), dropPending(7), trackPending(7, load('new'), 9000), settlePending(7, load('old')), notePendingDocument(7, load('old', 'OLD'))];
  await Promise.all(writes);
  const r = await pendingOf(7);
  assert.equal(r.id, 'new');
  assert.equal(r.documentId, null);
  assert.equal(alarms.get('sealpost-deadline:7'), 9000);
});

test('records of other tabs and other keys are apart', async () => {
  await trackPending(1, load('a'), 1000);
  await trackPending(2, load('b'), 2000);
  store.set('valid:1', { url: 'x' });
  await dropPending(1);
  assert.deepEqual((await allPending()).map(([t]) => t), [2]);
  assert.ok(store.has('valid:1'));
});
