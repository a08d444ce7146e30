// sealpost guard: deadlines that survive a restart of the extension's
// service worker.  Chromium may stop the worker at any time (idle, a
// crash, memory); a check that lived only in its memory — a promise and a
// setTimeout — would then never end, and the tab would stay "checking"
// with whatever the server sent.  So every load still being checked has a
// record in chrome.storage.session (kept across worker restarts, gone
// with the browser session):
//
//   pending:<tabId> → { id, origin, url, deadline, documentId }
//
// and a chrome.alarms alarm at its deadline, which starts the worker again
// if nothing else does.  (Chromium fires alarms of a packed extension no
// sooner than 30 s after they are set; an unpacked one's on time.  So the
// worker also sweeps the records every time it starts: any record no
// running check stands for is blocked at once — see background.js
// `expire` and guard.js `pendingVerdict`.)  A record is removed when its
// load has a verdict (valid, blocked, or replaced by the newer release's
// reload), when the tab starts another document, or when the tab closes.

const PREFIX = 'pending:';
const ALARM = 'sealpost-deadline:';

/** The tab a pending record or deadline alarm is for (NaN for other keys). */
export const tabOfKey = (key) => (key.startsWith(PREFIX) ? Number(key.slice(PREFIX.length)) : NaN);
export const tabOfAlarm = (name) => (name.startsWith(ALARM) ? Number(name.slice(ALARM.length)) : NaN);

// Every read-modify-write of the records, one at a time (this worker is
// their only writer): a verdict's removal can never undo a newer load's record.
let chain = Promise.resolve();

/** Applies `fn(record) → record | undefined` to tab `tabId`'s record; resolves to the new one. */
function update(tabId, fn) {
  const key = `${PREFIX}${tabId}`;
  const step = chain.then(async () => {
    const current = (await chrome.storage.session.get(key))[key];
    const next = fn(current);
    if (next === current) return current;
    if (next) {
      await chrome.storage.session.set({ [key]: next });
      // The alarm of a tab is replaced by a newer load's (same name).
      if (!current || current.deadline !== next.deadline) await chrome.alarms.create(`${ALARM}${tabId}`, { when: next.deadline });
    } else {
      await chrome.storage.session.remove(key);
      await chrome.alarms.clear(`${ALARM}${tabId}`);
    }
    return next;
  });
  chain = step.catch((e) => console.error('sealpost guard: pending checks', e));
  return chain;
}

/** A load's check started: its record, with the deadline, before anything of it runs. */
export function trackPending(tabId, load, deadline) {
  return update(tabId, () => ({ id: load.id, origin: load.origin, url: load.url, deadline, documentId: null }));
}

/** The load's document is known (the content script asked for it): it goes in the record. */
export function notePendingDocument(tabId, load) {
  return update(tabId, (r) => (r && r.id === load.id && !r.documentId ? { ...r, documentId: load.documentId } : r));
}

/** The load has its verdict: its record goes (a newer load's stays). */
export function settlePending(tabId, load) {
  return update(tabId, (r) => (r && r.id === load.id ? undefined : r));
}

/** The tab starts another document, or is closed: whatever was pending in it is moot. */
export function dropPending(tabId) {
  return update(tabId, () => undefined);
}

/** One tab's record, after every write queued so far. */
export async function pendingOf(tabId) {
  await chain;
  const key = `${PREFIX}${tabId}`;
  return (await chrome.storage.session.get(key))[key] || null;
}

/** Every record: [tabId, record]. */
export async function allPending() {
  await chain;
  return Object.entries(await chrome.storage.session.get(null))
    .map(([k, v]) => [tabOfKey(k), v])
    .filter(([t]) => Number.isInteger(t));
}
