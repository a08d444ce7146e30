// The toolbar popup: the state of the current tab, enrollment (trust on
// first use: the fingerprint is shown before it is pinned), clearing a
// recorded failure, forgetting a site.  `?tab=ID` addresses another tab
// (used when the popup is opened as a page, e.g. by tests).
import { GUARD_BUILD } from './guard-config.js';
const $ = (id) => document.getElementById(id);
const ask = async (msg) => {
  const r = await chrome.runtime.sendMessage(msg);
  if (!r.ok) throw new Error(r.error);
  return r;
};

async function tabId() {
  const q = new URLSearchParams(location.search).get('tab');
  if (q) return Number(q);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab.id;
}

let status;
async function render() {
  status = await ask({ type: 'status', tabId: await tabId() });
  const { origin, pin, load } = status;
  const state = $('state');
  if (!origin) {
    state.dataset.state = 'none';
    state.textContent = 'Not a web page.';
    return;
  }
  $('pin').hidden = !pin;
  $('enroll').hidden = !!pin;
  $('forget').hidden = !pin;
  $('failed').hidden = !(pin && pin.failure) || !!pin?.revoked;
  $('revoked').hidden = !pin?.revoked;
  if (!pin) {
    state.dataset.state = 'none';
    state.textContent = `${origin} is not enrolled.`;
    return;
  }
  $('pin-origin').textContent = pin.origin;
  $('pin-fingerprint').textContent = pin.fingerprint;
  $('pin-release').textContent = `${pin.app}, highest version seen ${pin.version}`;
  $('pin-enrolled').textContent = pin.enrolledAt;
  // The pinned certificate's life (refreshed from the site on every check).
  const cs = pin.certStatus;
  $('pin-cert-status').textContent = pin.revoked ? `REVOKED: ${pin.revoked.reason} (seen ${pin.revoked.at})`
    : !cs ? 'as pinned'
      : {
        current: 'as pinned; the site serves the same certificate',
        updated: `updated ${cs.at}: a newer certificate the pinned key certified`,
        mismatch: `the site serves another key's certificate (since ${cs.at}): ignored, the pinned key still checks every release`,
        invalid: `the site serves an unreadable certificate (since ${cs.at}): ignored, the pinned one kept`,
        unavailable: `the site's certificate could not be fetched (since ${cs.at}): the pinned one kept`,
        'too-large': `the site serves a certificate too large to pin (since ${cs.at}): ignored, the pinned one kept (it revoked nothing)`,
      }[cs.state] || cs.state;
  // Earlier keys of the site (a key change accepted with a cooled-down binding, tlog.js keyChange).
  $('pin-keys').textContent = (pin.keyHistory || []).length
    ? pin.keyHistory.map((k) => `${k.fingerprint} until ${k.until}, replaced by ${k.next} (bound since ${iso(k.boundSince)} by ${k.witnesses.join(', ')})`).join('; ')
    : 'no change since enrollment';
  await renderLog(pin);
  if (pin.revoked) $('revoked-reason').textContent = pin.revoked.reason;
  if (pin.failure) $('failure').textContent = `${pin.failure.code}: ${pin.failure.file} — expected ${pin.failure.expected}, got ${pin.failure.actual}`;
  const s = load ? load.state : 'checking';
  state.dataset.state = s;
  state.textContent = {
    valid: `Verified: ${load?.app} ${load?.version}, ${load?.checked} checks passed${load?.verdictMs != null ? ` in ${load.verdictMs} ms` : ''}.${load?.awaiting
      ? ` Release ${load.awaiting.version} awaits attestations by ${load.awaiting.missing || 'its rebuilders'}; running ${load.awaiting.running}.` : ''}`,
    checking: 'Checking…',
    blocked: `Blocked: ${load?.failure?.code || pin.failure?.code}.`,
  }[s];
  if (pin.revoked) {
    state.dataset.state = 'blocked';
    state.textContent = 'Blocked: KEY_REVOKED — the release key of this site is revoked.';
  }
}

/** The release log pinned at enrollment (tlog.js): how many releases of the app it holds, the checkpoint held. */
function logText(lp, size) {
  if (!lp.releases) return `${lp.app} releases not counted: the log is larger than the guard fetches to count (${size} entries) in ${lp.log} (witnesses ${lp.witnesses.join(', ')})${boundText(lp.bound)}`;
  const since = lp.releases.since ? ` since ${new Date(lp.releases.since * 1000).toISOString().slice(0, 10)}` : '';
  const conflicts = lp.releases.conflicts.length ? `; TWO MANIFESTS logged for version ${lp.releases.conflicts.join(', ')}` : '';
  return `${lp.releases.count} release(s) of ${lp.app} logged${since} in ${lp.log} (checkpoint size ${size}, witnesses ${lp.witnesses.join(', ')})${conflicts}${rebuildText(lp)}${boundText(lp.bound)}`;
}

const iso = (secs) => new Date(secs * 1000).toISOString();

/** The binding of the origin to its key in the log (issue 21): since when, by which of the guard's witnesses. */
function boundText(bound) {
  if (!bound) return '';
  return `; the log binds this site to this key and policy since ${iso(bound.since)}, cosigned by the guard's witnesses ${bound.witnesses.map(([n, t]) => `${n} (${iso(t)})`).join(', ')} (cool-down ${bound.cool_down} s)`;
}

/** The rebuilders the pinned policy asks for (rebuild.js) and who attested the release last run. */
function rebuildText(lp) {
  if (!lp.rebuildQuorum) return '';
  const by = lp.rebuilt ? `; ${lp.rebuilt.version} rebuilt from source by ${lp.rebuilt.by.join(', ')}` : '';
  return `; releases must be rebuilt by ${lp.rebuildQuorum} of ${lp.rebuilders.join(', ')}${by}`;
}

async function renderLog(pin) {
  const { tlogPins = {}, tlogCheckpoints = {}, tlogEvidence = [] } = await chrome.storage.local.get(['tlogPins', 'tlogCheckpoints', 'tlogEvidence']);
  const lp = tlogPins[pin.origin];
  const el = $('pin-log');
  if (!lp) {
    el.textContent = 'none: this site publishes no release log, so a release made for you alone would be seen by you alone';
    delete el.dataset.count;
    delete el.dataset.size;
  } else {
    const size = tlogCheckpoints[lp.logKey]?.size ?? lp.size;
    el.textContent = logText(lp, size);
    el.dataset.count = lp.releases ? String(lp.releases.count) : '';
    el.dataset.size = String(size);
  }
  const evidence = tlogEvidence.filter((e) => e.origin === pin.origin);
  $('log-evidence').hidden = !evidence.length;
  if (evidence.length) $('log-evidence-link').href = `data:application/json,${encodeURIComponent(JSON.stringify(evidence, null, 2))}`;
}

async function act(name, fn) {
  $('error').textContent = '';
  try {
    await fn();
    await render();
  } catch (e) {
    $('error').textContent = e.message;
  }
  document.body.dataset.done = name; // the last action finished (tests wait for it)
}

$('enroll-preview').addEventListener('click', () => act('enroll-preview', async () => {
  const { preview } = await ask({ type: 'preview', origin: status.origin });
  $('preview-release').textContent = `${preview.app} ${preview.version}`;
  $('preview-fingerprint').textContent = preview.fingerprint;
  $('preview-userids').textContent = preview.userIds.join(', ');
  $('preview-log').textContent = preview.log ? `Release log: ${logText(preview.log, preview.log.size)}.`
    : 'This site publishes no release log: a release made for you alone would be seen by you alone.';
  $('preview-bound').textContent = preview.log?.bound
    ? `Bound to this key in the log since ${iso(preview.log.bound.since)} by ${preview.log.bound.witnesses.map(([n]) => n).join(', ')} (the guard's own witnesses; cool-down ${preview.log.bound.cool_down} s).`
    : 'No log binding: enrolling trusts this key on first use.';
  // A build that counts the demo's witnesses (their secret keys are in the repository) dates
  // bindings with keys anyone holds: say so at every enrollment (tools/guard-config.mjs labels it).
  if (preview.log?.bound && GUARD_BUILD !== 'release') {
    $('preview-bound').textContent += ` This is a ${GUARD_BUILD} build of the guard: its witnesses are test keys anyone holds, so this date proves nothing against a hostile site.`;
  }
  // What the user is agreeing to: enrollment refuses a site that then shows less (tlog.js withLogPin).
  $('enroll-confirm').dataset.log = preview.log ? 'yes' : 'no';
  $('enroll-confirm').hidden = false;
}));
$('enroll-trust').addEventListener('click', () => act('enroll-trust', async () => {
  // Enrolling closes every page of the site, clears its service workers
  // and caches, and opens the pages again under the guard (this tab too).
  // One enrollment at a time: the button stays disabled while it runs (a second click would send a second request).
  $('enroll-trust').disabled = true;
  try {
    await ask({ type: 'enroll', origin: status.origin, fingerprint: $('preview-fingerprint').textContent, expectLog: $('enroll-confirm').dataset.log === 'yes' });
    $('enroll-confirm').hidden = true;
  } finally {
    $('enroll-trust').disabled = false;
  }
}));
$('clear-failure').addEventListener('click', () => act('clear-failure', async () => {
  await ask({ type: 'clear-failure', origin: status.origin });
  const id = await tabId();
  const tab = await chrome.tabs.get(id);
  // The tab may be on blocked.html now: go back to the site.
  if (tab.url.startsWith(status.origin)) await chrome.tabs.reload(id);
  else await chrome.tabs.update(id, { url: status.pin.failure?.url || status.origin + '/' });
}));
$('forget').addEventListener('click', () => act('forget', () => ask({ type: 'forget', origin: status.origin })));

render().catch((e) => { $('error').textContent = e.message; }).finally(() => { document.body.dataset.ready = '1'; });
setInterval(() => render().catch(() => {}), 1000);
