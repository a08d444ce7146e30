// The toolbar popup: the state of the current tab, enrollment (trust on
// first use: the fingerprint is shown before it is pinned), clearing a
// recorded failure, forgetting a site.  `?tab=ID` addresses another tab
// (used when the popup is opened as a page, e.g. by tests).
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
  $('failed').hidden = !(pin && pin.failure);
  if (!pin) {
    state.dataset.state = 'none';
    state.textContent = `${origin} is not enrolled.`;
    return;
  }
  $('pin-origin').textContent = pin.origin;
  $('pin-fingerprint').textContent = pin.fingerprint;
  $('pin-release').textContent = `${pin.app}, highest version seen ${pin.version}`;
  $('pin-enrolled').textContent = pin.enrolledAt;
  if (pin.failure) $('failure').textContent = `${pin.failure.code}: ${pin.failure.file} — expected ${pin.failure.expected}, got ${pin.failure.actual}`;
  const s = load ? load.state : 'checking';
  state.dataset.state = s;
  state.textContent = {
    valid: `Verified: ${load?.app} ${load?.version}, ${load?.checked} checks passed${load?.verdictMs != null ? ` in ${load.verdictMs} ms` : ''}.`,
    checking: 'Checking…',
    blocked: `Blocked: ${load?.failure?.code || pin.failure?.code}.`,
  }[s];
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
  $('enroll-confirm').hidden = false;
}));
$('enroll-trust').addEventListener('click', () => act('enroll-trust', async () => {
  await ask({ type: 'enroll', origin: status.origin, fingerprint: $('preview-fingerprint').textContent });
  $('enroll-confirm').hidden = true;
  await chrome.tabs.reload(await tabId());
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
