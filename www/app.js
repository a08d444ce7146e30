// sealpost mail: a small webmail whose server only ever sees ciphertext.
//
// The private key is made (or imported) here, stored locked with the user's
// passphrase in the package's key store (IndexedDB, which takes locked keys
// only), and unlocked into the sealpost worker: this
// page only holds a handle.  Mail is composed as PGP/MIME (encrypted and
// signed, headers protected), sent to the server as bytes, and read back
// with the signature state bound to the From address.  Nothing received is
// ever inserted as HTML into this page: text goes in with textContent, an
// HTML part only into a sandboxed frame that can run nothing and load
// nothing remote (the page's CSP applies to it).
import * as sealpost from './sealpost/browser.js';

const $ = (id) => document.getElementById(id);
const show = (el, on = true) => { el.hidden = !on; };
const describe = (err) => (err && err.code ? `${err.code}: ${err.message}` : String((err && err.message) || err));
const grouped = (fpr) => fpr.toUpperCase().replace(/(.{4})/g, '$1 ').trim();

// ------------------------------------------------------------ storage

const DB_NAME = 'sealpost-mail';
function db() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('kv');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
async function load(key) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const req = d.transaction('kv').objectStore('kv').get(key);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
// The account's private key rests in the package's key store (locked: it
// refuses unlocked keys); the account record names it by fingerprint.
const KEYS_DB = 'sealpost-mail-keys';
let keyStore = null;
const keys = () => (keyStore ??= sealpost.openKeyStore(KEYS_DB));

// An account stored before the key store carried the armored key itself
// (lockedKey): it moves to the key store once, on first use.
async function accountKey(account) {
  if (account.lockedKey) {
    const key = await sealpost.readPrivateKey({ armoredKey: account.lockedKey });
    const { lockedKey, ...moved } = account;
    await store('account', { ...moved, fingerprint: await (await keys()).put(key) });
    return key;
  }
  const key = await (await keys()).get(account.fingerprint);
  if (!key) throw new Error('the private key of this account is no longer in this browser');
  return key;
}

async function store(key, value) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction('kv', 'readwrite');
    if (value === undefined) tx.objectStore('kv').delete(key);
    else tx.objectStore('kv').put(value, key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

// ------------------------------------------------------------ server

// The demo server keeps mail in SQLite, or on a mail server (IMAP + SMTP):
// then it needs the user's mail password once (POST api/session) and takes
// a bearer token on every call.  Its errors carry a stable code.
let serverConfig = { backend: 'sqlite', login: false };
const TOKEN_KEY = 'sealpost-mail-token';
let mailToken = sessionStorage.getItem(TOKEN_KEY);

const SERVER_MESSAGES = {
  MAIL_AUTH_FAILED: 'The mail server refused this password.',
  MAIL_SERVER_UNREACHABLE: 'The mail server cannot be reached right now; try again later.',
  MAIL_REFUSED: 'The mail server refused the message.',
  NO_SESSION: 'Your mail session has ended: log in again.',
  NETWORK: 'The demo server cannot be reached.',
  MESSAGE_TOO_LARGE: 'The message is larger than this server relays.',
  MAIL_TLS_FAILED: 'No secure connection to the mail server.',
  SEND_IN_PROGRESS: 'This message is being sent right now.',
};

class ServerError extends Error {
  constructor(code, detail, status) {
    super(SERVER_MESSAGES[code] ? `${SERVER_MESSAGES[code]}${detail ? ` (${detail})` : ''}` : detail);
    this.code = code;
    this.status = status;
  }
}

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (mailToken) headers.authorization = `Bearer ${mailToken}`;
  let response;
  try {
    response = await fetch(path, { ...options, headers });
  } catch {
    throw new ServerError('NETWORK', '', 0);
  }
  if (response.ok) return response;
  let body = {};
  try { body = await response.json(); } catch { /* not JSON */ }
  const code = body.code || `HTTP_${response.status}`;
  if (code === 'NO_SESSION' && me) needMailLogin();
  // The server's own words where they help (which certificate, how large), else only the code's.
  const detail = !SERVER_MESSAGES[code] || code === 'MAIL_TLS_FAILED' || code === 'MESSAGE_TOO_LARGE';
  throw new ServerError(code, detail ? body.error || `the server answered ${response.status}` : '', response.status);
}

// -------------------------------------------------------------- state

let me = null; // { name, email, key (unlocked, in the worker), publicKey, armoredPublic }
const contacts = new Map(); // email → { name, email, key, fingerprint, armored }
const opened = new Map(); // `${folder}:${id}` → decrypted result or { error }
let folder = 'inbox'; // the mailbox shown: 'inbox' or 'sent' (IMAP mode)
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;

function emailsOf(key) {
  return key.getUserIDs().map((u) => {
    const m = u.match(/<([^<>\s]+@[^<>\s]+)>\s*$/) || u.match(/^\s*([^<>\s]+@[^<>\s]+)\s*$/);
    return m ? { email: m[1].toLowerCase(), name: u.replace(/<[^>]*>\s*$/, '').trim() } : null;
  }).filter(Boolean);
}

// -------------------------------------------------------------- account

async function start() {
  try {
    await sealpost.supportedKeyTypes(); // loads and checks the wasm now
  } catch (err) {
    $('status').dataset.state = 'error';
    $('status').textContent = `The crypto module failed its integrity check or could not load: ${describe(err)}`;
    return;
  }
  $('status').dataset.state = 'ok';
  $('status').textContent = `Crypto module verified (SHA-384), running in a ${sealpost.getMode()}.`;
  try {
    serverConfig = await (await api('api/config')).json();
  } catch { /* an older server: SQLite, no login */ }
  const account = await load('account');
  if (account) {
    $('unlock-who').textContent = `${account.name} <${account.email}>`;
    show($('unlock'));
    $('unlock-passphrase').focus();
  } else {
    show($('setup'));
  }
}

async function openMailbox(account, unlockedKey) {
  const publicKey = await unlockedKey.toPublic();
  me = { ...account, key: unlockedKey, publicKey, armoredPublic: await publicKey.armor() };
  show($('setup'), false);
  show($('unlock'), false);
  show($('mailbox'));
  $('whoami').textContent = `${me.name} <${me.email}>`;
  show($('whoami'));
  $('my-fingerprint').textContent = grouped(publicKey.getFingerprint());
  $('my-public-key').value = me.armoredPublic;
  await loadContacts();
  await loadOutbox();
  show($('folder-toggle'), (serverConfig.folders || []).includes('sent'));
  if (serverConfig.login && !mailToken) {
    needMailLogin();
    return;
  }
  if (serverConfig.login) await publishKey();
  view('inbox');
  await refreshInbox();
}

function needMailLogin() {
  mailToken = null;
  sessionStorage.removeItem(TOKEN_KEY);
  show($('mailbox'), false);
  show($('mail-login'));
  $('mail-login-who').textContent = me.email;
  $('mail-password').focus();
}

async function mailLogin() {
  const password = $('mail-password').value;
  let response;
  try {
    response = await api('api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: me.email, password }),
    });
  } finally {
    $('mail-password').value = '';
  }
  mailToken = (await response.json()).token;
  sessionStorage.setItem(TOKEN_KEY, mailToken);
  show($('mail-login'), false);
  show($('mailbox'));
  await publishKey();
  view('inbox');
  scheduleRetry(0); // messages waiting for a login go now
  await refreshInbox();
}

async function create() {
  const name = $('setup-name').value.trim();
  const email = $('setup-email').value.trim().toLowerCase();
  const passphrase = $('setup-passphrase').value;
  if (!name || !/^[^@\s<>]+@[^@\s<>]+$/.test(email)) throw new Error('enter a name and an email address');
  if (passphrase.length < 8) throw new Error('choose a passphrase of at least 8 characters');
  const { privateKey } = await sealpost.generateKey({ userIDs: [{ name, email }], passphrase, format: 'object' });
  const account = { name, email, fingerprint: await (await keys()).put(privateKey) };
  await store('account', account);
  await openMailbox(account, await sealpost.decryptKey({ privateKey, passphrase }));
}

async function importKey() {
  const armoredKey = $('setup-import-key').value.trim();
  const passphrase = $('setup-import-passphrase').value;
  const privateKey = await sealpost.readPrivateKey({ armoredKey });
  if (privateKey.isDecrypted()) throw new Error('this key is not protected by a passphrase: lock it first');
  const [id] = emailsOf(privateKey);
  if (!id) throw new Error('the key has no user ID with an email address');
  const unlocked = await sealpost.decryptKey({ privateKey, passphrase });
  const account = { name: id.name || id.email, email: id.email, fingerprint: await (await keys()).put(privateKey) };
  await store('account', account);
  await openMailbox(account, unlocked);
}

async function unlock() {
  const account = await load('account');
  const privateKey = await accountKey(account);
  let unlocked;
  try {
    unlocked = await sealpost.decryptKey({ privateKey, passphrase: $('unlock-passphrase').value });
  } catch (err) {
    if (err.code === 'BAD_PASSPHRASE') throw new Error('Wrong passphrase.');
    throw err;
  } finally {
    $('unlock-passphrase').value = '';
  }
  await openMailbox(account, unlocked);
}

function lock() {
  if (mailToken) {
    fetch('api/session', { method: 'DELETE', headers: { authorization: `Bearer ${mailToken}` }, keepalive: true }).catch(() => {});
    sessionStorage.removeItem(TOKEN_KEY);
  }
  me.key.dispose();
  me = null;
  opened.clear();
  show($('mailbox'), false);
  show($('whoami'), false);
  location.reload();
}

// ------------------------------------------------------------ contacts

async function loadContacts() {
  contacts.clear();
  for (const c of (await load('contacts')) || []) {
    const key = await sealpost.readKey({ armoredKey: c.armored });
    contacts.set(c.email, { ...c, key });
  }
  renderContacts();
}

async function saveContacts() {
  await store('contacts', [...contacts.values()].map(({ name, email, fingerprint, armored, unverified, source, complete }) => ({ name, email, fingerprint, armored, unverified, source, complete })));
}

function renderContacts() {
  const list = $('contact-list');
  list.replaceChildren();
  const to = $('compose-to');
  to.replaceChildren();
  for (const c of contacts.values()) {
    const li = document.createElement('li');
    const who = document.createElement('strong');
    who.textContent = `${c.name} <${c.email}>`;
    const fpr = document.createElement('span');
    fpr.className = 'mono';
    fpr.textContent = grouped(c.fingerprint);
    const remove = document.createElement('button');
    remove.className = 'small secondary';
    remove.textContent = 'Remove';
    remove.addEventListener('click', guarded(remove, async () => {
      contacts.delete(c.email);
      await saveContacts();
      renderContacts();
    }, $('contact-error')));
    li.dataset.email = c.email;
    li.append(who, fpr, remove);
    if (c.unverified) {
      // Learnt from an Autocrypt header: usable at once, trusted only once compared.
      li.dataset.unverified = 'true';
      const note = document.createElement('span');
      note.className = 'unverified';
      note.textContent = c.source === 'wkd'
        ? 'Key found in the Web Key Directory of their mail domain, not verified: compare the fingerprint with them.'
        : `New key from this sender's mail (Autocrypt)${c.complete ? ', completed from the Web Key Directory' : ''}, not verified: compare the fingerprint with them.`;
      const confirm = document.createElement('button');
      confirm.className = 'small secondary confirm';
      confirm.textContent = 'Fingerprint compared';
      confirm.addEventListener('click', guarded(confirm, async () => {
        c.unverified = false;
        await saveContacts();
        renderContacts();
        opened.clear();
      }, $('contact-error')));
      li.append(note, confirm);
    }
    list.append(li);
    const opt = document.createElement('option');
    opt.value = c.email;
    opt.textContent = `${c.name} <${c.email}>`;
    to.append(opt);
  }
}

async function addContact() {
  const armored = $('contact-key').value.trim();
  const key = await sealpost.readKey({ armoredKey: armored });
  if (key.isPrivate()) throw new Error('that is a private key: ask for the public key only');
  if (key.info && key.info.valid === false) throw new Error(`the key is not usable: ${key.info.invalidReason || 'invalid'}`);
  const ids = emailsOf(key);
  if (ids.length === 0) throw new Error('the key has no user ID with an email address');
  const exported = await key.armor();
  for (const { email, name } of ids) {
    contacts.set(email, { name: name || email, email, key, fingerprint: key.getFingerprint(), armored: exported });
  }
  await saveContacts();
  renderContacts();
  $('contact-key').value = '';
}

// An Autocrypt header (the sender's key, outside the encryption) of a
// message from an address not in the address book: the key is added as a
// new, unverified contact.  A known address keeps its key (a header naming
// another key changes nothing: no silent key replacement).
async function learnAutocrypt(r) {
  const ac = r.autocrypt;
  if (!ac || !r.from || ac.addr.toLowerCase() !== r.from.address.toLowerCase()) return false;
  const email = ac.addr.toLowerCase();
  if (email === me.email || contacts.has(email)) return false;
  let key;
  try {
    key = await sealpost.readKey({ binaryKey: ac.keyData });
  } catch {
    return false;
  }
  if (key.isPrivate() || (key.info && key.info.valid === false)) return false;
  contacts.set(email, { name: r.from.name || email, email, key, fingerprint: key.getFingerprint(), armored: await key.armor(), unverified: true, source: 'autocrypt' });
  await saveContacts();
  renderContacts();
  return true;
}

// The Autocrypt header carries a minimal key.  sealpost's own (primary key,
// user ID, encryption and signing subkeys) checks signatures; another
// client's header may carry no signing part.  When such a sender's signature
// cannot be checked, their full key is asked of the Web Key Directory once; it
// replaces the header's key only if it is the same key (same primary
// fingerprint: its subkeys are bound by that primary key's signatures).
// The contact stays unverified.  Without a WKD answer the page says why
// the signature is not checked.
const wkdTried = new Set();
async function completeFromWkd(r) {
  const s = r.signatures && r.signatures[0];
  if (!r.from || !s || s.status !== 'unknown_key') return false;
  const email = r.from.address.toLowerCase();
  const c = contacts.get(email);
  if (!c || c.source !== 'autocrypt' || c.complete || wkdTried.has(email)) return false;
  wkdTried.add(email);
  let keys;
  try {
    keys = await sealpost.wkdLookup(email, { fetch: sameOriginFetch });
  } catch {
    return false;
  }
  const full = keys.find((k) => k.getFingerprint() === c.fingerprint);
  if (!full) return false;
  contacts.set(email, { ...c, key: full, armored: await full.armor(), complete: true });
  await saveContacts();
  renderContacts();
  return true;
}

// ---------------------------------------------------------------- WKD

// The demo server is the Web Key Directory of its mail domain: a user's key
// is published there at login, and a new recipient's key is looked up there.
// (The page may fetch only its own origin; a real deployment's WKD is the
// domain's own.)  What the lookup returns is checked by sealpost (valid, a
// user ID for the address) and added as an unverified key.
async function publishKey() {
  try {
    await api('api/wkd', { method: 'PUT', headers: { 'content-type': 'application/pgp-keys' }, body: me.armoredPublic });
    $('wkd-status').textContent = 'Your public key is published in this mail server\'s Web Key Directory.';
  } catch (err) {
    $('wkd-status').textContent = `Your public key could not be published in the Web Key Directory: ${err.message}`;
  }
}

const sameOriginFetch = (url, init) => {
  const u = new URL(url);
  return fetch(`${u.pathname}${u.search}`, init);
};

async function findKey() {
  const status = $('compose-find-status');
  status.dataset.state = 'busy';
  status.textContent = 'Looking up…';
  const email = $('compose-find-address').value.trim().toLowerCase();
  if (!/^[^@\s<>]+@[^@\s<>]+$/.test(email)) throw new Error('enter an email address');
  if (!contacts.has(email)) {
    let keys;
    try {
      keys = await sealpost.wkdLookup(email, { fetch: sameOriginFetch });
    } catch (err) {
      throw new Error(`No key found for ${email} in the Web Key Directory (${err.code || 'ERROR'}): paste their public key in the address book.`);
    }
    const key = keys[0];
    contacts.set(email, { name: emailsOf(key).find((i) => i.email === email)?.name || email, email, key, fingerprint: key.getFingerprint(), armored: await key.armor(), unverified: true, source: 'wkd' });
    await saveContacts();
    renderContacts();
  }
  $('compose-to').value = email;
  $('compose-find-address').value = '';
  status.dataset.state = 'ok';
  status.textContent = `Key for ${email}: ${grouped(contacts.get(email).fingerprint)}${contacts.get(email).unverified ? ' (not verified yet)' : ''}.`;
}

// ------------------------------------------------------------ sending

function base64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

// A message this large is refused by the server (MESSAGE_TOO_LARGE):
// said before it is queued, and the compose form keeps what was written.
function tooLarge(size) {
  const err = new Error(`The message would be ${mb(size)}; this server relays messages up to ${mb(serverConfig.maxMessage)}. Send smaller attachments.`);
  err.code = 'MESSAGE_TOO_LARGE';
  return err;
}

async function send() {
  const to = contacts.get($('compose-to').value);
  if (!to) throw new Error('add the recipient to your address book first');
  const status = $('compose-status');
  const started = performance.now();
  const max = serverConfig.maxMessage;
  let attached = 0;
  for (const f of $('compose-files').files) attached += f.size;
  // Encrypted and armored it only grows: refused before the work.
  if (max && attached > max) throw tooLarge(attached);
  status.dataset.state = 'busy';
  status.textContent = 'Encrypting…';
  const attachments = [];
  for (const f of $('compose-files').files) {
    attachments.push({ filename: f.name, contentType: f.type || 'application/octet-stream', data: new Uint8Array(await f.arrayBuffer()) });
  }
  const message = await sealpost.encryptMail(
    {
      from: `${me.name} <${me.email}>`,
      to: [`${to.name} <${to.email}>`],
      subject: $('compose-subject').value,
      text: $('compose-text').value,
      attachments,
    },
    { encryptionKeys: [to.key, me.publicKey], signingKeys: me.key, autocrypt: true },
  );
  if (max && message.length > max) throw tooLarge(message.length);
  status.textContent = 'Sending…';
  const item = { id: crypto.randomUUID(), to: [to.email, me.email], recipient: to.email, message: base64(message), size: message.length, queued: Date.now(), attempts: 0 };
  $('compose-subject').value = '';
  $('compose-text').value = '';
  $('compose-files').value = '';
  let answer;
  sending.add(item.id);
  try {
    answer = await submit(item);
  } catch (err) {
    // Nothing is lost: the encrypted message waits in the outbox, and is
    // sent again by itself when the error is one that passes.
    await updateOutbox((list) => [...list, failedItem(item, err)]);
    throw new Error(`Not sent: ${err.code ? `${err.code}: ` : ''}${err.message} The encrypted message is in your outbox${retryable(err) ? ' and will be sent again automatically' : ''}.`);
  } finally {
    sending.delete(item.id);
  }
  const ms = performance.now() - started;
  status.dataset.state = 'ok';
  status.dataset.ms = String(Math.round(ms));
  const where = answer.id == null ? 'handed to the mail server' : `message ${answer.id}`;
  const copy = answer.savedToSent === true ? '; a copy is in your Sent folder' : answer.savedToSent === false ? '; the copy for your Sent folder could not be saved' : '';
  status.textContent = `Sent, encrypted to ${to.email} and you (${where}, ${(message.length / 1024).toFixed(0)} KiB, ${Math.round(ms)} ms${copy}).`;
}

// The outbox id goes with the message: the server answers a second send of
// the same id as sent (duplicate) without sending it again.
async function submit(item) {
  const response = await api('api/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to: item.to, message: item.message, id: item.id }),
  });
  return response.json();
}

// ------------------------------------------------------------- outbox

// Encrypted messages the server did not take (IndexedDB 'outbox'): only
// ciphertext, the recipient and the size are kept, never the plaintext.
// Every change is one IndexedDB transaction over the stored list, so two
// tabs of the same mailbox never resurrect or drop each other's items.
//
// Retried by themselves while the mailbox is open: after 2 s, then after
// half the time the message has waited so far, at most 30 s apart (a
// delay from the waiting time, not from a count of attempts, so two tabs
// retrying the same outbox do not push each other's next try away).  An
// error that will not pass by waiting (the server refused the message)
// stops the retries until the user sends again or discards; a lost
// session waits for the next login.  Tabs tell each other of changes.
let outbox = [];
const sending = new Set(); // outbox ids with a request in flight from this tab
let retryTimer = null;
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 30_000;
const outboxChannel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('sealpost-outbox') : null;
const HELD = new Set(['MAIL_REFUSED', 'MESSAGE_TOO_LARGE', 'HTTP_400', 'HTTP_413']);
const NEEDS_LOGIN = new Set(['NO_SESSION', 'MAIL_AUTH_FAILED']);
const retryable = (err) => !HELD.has(err.code) && !NEEDS_LOGIN.has(err.code);

function failedItem(item, err) {
  const attempts = (item.attempts || 0) + 1;
  const failed = { ...item, attempts, error: err.message, code: err.code || 'ERROR' };
  if (HELD.has(err.code)) return { ...failed, state: 'held', nextAt: null };
  if (NEEDS_LOGIN.has(err.code)) return { ...failed, state: 'login', nextAt: null };
  const waited = Date.now() - (item.queued || Date.now());
  const delay = Math.min(RETRY_MAX_MS, Math.max(RETRY_FIRST_MS, waited / 2));
  return { ...failed, state: 'waiting', nextAt: Date.now() + delay };
}

async function updateOutbox(change) {
  const d = await db();
  outbox = await new Promise((resolve, reject) => {
    const tx = d.transaction('kv', 'readwrite');
    const kv = tx.objectStore('kv');
    const get = kv.get('outbox');
    let next = [];
    get.onsuccess = () => {
      next = change(get.result || []);
      if (next.length) kv.put(next, 'outbox');
      else kv.delete('outbox');
    };
    tx.oncomplete = () => resolve(next);
    tx.onerror = () => reject(tx.error);
  });
  outboxChannel?.postMessage('changed');
  renderOutbox();
  scheduleRetry();
}

if (outboxChannel) outboxChannel.onmessage = () => { if (me) loadOutbox(); };

async function loadOutbox() {
  outbox = (await load('outbox')) || [];
  renderOutbox();
  scheduleRetry();
}

// One attempt for one item; `manual` (Send again) reports its error.
async function sendFromOutbox(id, manual = false) {
  if (sending.has(id)) return;
  outbox = (await load('outbox')) || []; // another tab may have sent it
  const item = outbox.find((o) => o.id === id);
  if (!item) {
    renderOutbox();
    return;
  }
  sending.add(id);
  renderOutbox();
  try {
    await submit(item);
  } catch (err) {
    await updateOutbox((list) => list.map((o) => (o.id === id ? failedItem(o, err) : o)));
    if (manual) throw err;
    return;
  } finally {
    sending.delete(id);
  }
  await updateOutbox((list) => list.filter((o) => o.id !== id));
  $('compose-status').dataset.state = 'ok';
  $('compose-status').textContent = `Sent from the outbox to ${item.recipient}${manual ? '' : ` (automatically, attempt ${(item.attempts || 0) + 1})`}.`;
}

// Arms the timer for the next item due (or `soon` ms for all waiting ones).
function scheduleRetry(soon) {
  clearTimeout(retryTimer);
  retryTimer = null;
  if (!me || (serverConfig.login && !mailToken)) return;
  const due = outbox.filter((o) => o.state === 'waiting' || (o.state === 'login' && soon !== undefined) || o.state === undefined);
  if (due.length === 0) return;
  const at = soon !== undefined ? Date.now() + soon : Math.min(...due.map((o) => o.nextAt || 0));
  retryTimer = setTimeout(async () => {
    retryTimer = null;
    const now = Date.now();
    for (const o of due) {
      if (soon !== undefined || !o.nextAt || o.nextAt <= now + 50) await sendFromOutbox(o.id);
    }
    scheduleRetry();
  }, Math.max(0, at - Date.now()));
}

function outboxState(item) {
  if (sending.has(item.id)) return 'Sending…';
  const last = item.error ? ` Last attempt (${item.attempts}): ${item.code}: ${item.error}` : '';
  if (item.state === 'held') return `Not retried automatically.${last} Send again or discard.`;
  if (item.state === 'login') return `Waits for your mail login.${last}`;
  if (item.nextAt) return `Next automatic try in ${Math.max(0, Math.ceil((item.nextAt - Date.now()) / 1000))} s.${last}`;
  return last;
}

function renderOutbox() {
  const list = $('outbox');
  list.replaceChildren();
  show($('outbox-box'), outbox.length > 0);
  for (const item of outbox) {
    const li = document.createElement('li');
    li.dataset.id = item.id;
    li.dataset.state = sending.has(item.id) ? 'sending' : item.state || '';
    li.dataset.attempts = String(item.attempts || 0);
    const what = document.createElement('span');
    what.textContent = `To ${item.recipient}, ${(item.size / 1024).toFixed(0)} KiB, queued ${new Date(item.queued).toLocaleString()}`;
    const retry = document.createElement('button');
    retry.className = 'small retry';
    retry.textContent = 'Send again';
    retry.addEventListener('click', guarded(retry, () => sendFromOutbox(item.id, true), $('compose-status')));
    const discard = document.createElement('button');
    discard.className = 'small secondary discard';
    discard.textContent = 'Discard';
    discard.addEventListener('click', guarded(discard, () => updateOutbox((l) => l.filter((o) => o.id !== item.id))));
    const why = document.createElement('span');
    why.className = 'why';
    why.textContent = outboxState(item);
    li.append(what, retry, discard, why);
    list.append(li);
  }
}

// The countdowns tick.
setInterval(() => {
  for (const li of $('outbox').children) {
    const item = outbox.find((o) => o.id === li.dataset.id);
    if (item) li.querySelector('.why').textContent = outboxState(item);
  }
}, 1000);

// ------------------------------------------------------------ reading

const STATES = {
  verified: (r) => (contacts.get(r.from.address.toLowerCase())?.unverified
    ? `Signed by ${r.from.address} with a key ${contacts.get(r.from.address.toLowerCase()).source === 'wkd' ? 'from the Web Key Directory' : 'their mail announced (Autocrypt)'}, not yet verified: compare its fingerprint with them.`
    : `Signed by ${r.from.address} — verified with the key in your address book.`),
  'signer-mismatch': (r) => `Warning: the signature is valid, but it was made by ${r.signatures.find((s) => s.valid)?.signerAddresses.join(', ') || 'another key'}, not by the sender ${r.from?.address}. This message may be forged.`,
  invalid: (r) => {
    const s = r.signatures[0];
    if (s && s.status === 'unknown_key' && r.from && contacts.get(r.from.address.toLowerCase())?.unverified) {
      return 'Signed, but the key this sender\'s mail announced (Autocrypt) has no signing part: you can encrypt to them; to check signatures, add their full public key.';
    }
    return s && s.status === 'unknown_key'
      ? 'Signed, but by a key that is not in your address book: the sender is not verified.'
      : `The signature does not verify (${s ? s.status : 'unknown'}): do not trust who this is from.`;
  },
  unsigned: () => 'Not signed: anyone could have written this message.',
};

async function openMessage(id, size) {
  const key = `${folder}:${id}`;
  if (opened.has(key)) return opened.get(key);
  if (serverConfig.maxMessage && size > serverConfig.maxMessage) {
    // Not downloaded: the server would refuse it (MESSAGE_TOO_LARGE).
    return { error: `MESSAGE_TOO_LARGE: this message is ${mb(size)}, larger than the ${mb(serverConfig.maxMessage)} this server shows. Read it with another mail client.`, code: 'MESSAGE_TOO_LARGE' };
  }
  let response;
  try {
    response = await api(`api/messages/${id}${folder === 'inbox' ? '' : `?folder=${folder}`}`);
  } catch (err) {
    return { error: `The server could not return message ${id}: ${describe(err)}`, code: err.code };
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const read = () => sealpost.decryptMail(bytes, {
    decryptionKeys: me.key,
    verificationKeys: [me.publicKey, ...new Set([...contacts.values()].map((c) => c.key))],
  });
  try {
    let r = await read();
    // A new sender's key from its Autocrypt header: read again to check the signature with it.
    if (await learnAutocrypt(r)) r = await read();
    if (await completeFromWkd(r)) r = await read();
    opened.set(key, r);
    return r;
  } catch (err) {
    const text = err.code === 'DECRYPTION_FAILED'
      ? 'This message could not be decrypted: it was altered after it was sent.'
      : err.code === 'NO_MATCHING_KEY'
        ? 'This message is not encrypted to your key.'
        : `This message could not be read (${describe(err)}).`;
    const r = { error: text, code: err.code };
    opened.set(key, r);
    return r;
  }
}

async function refreshInbox() {
  $('inbox-error').textContent = '';
  const shownFolder = folder;
  const rows = await (await api(`api/messages?to=${encodeURIComponent(me.email)}${folder === 'inbox' ? '' : `&folder=${folder}`}`)).json();
  const list = $('inbox-list');
  list.replaceChildren();
  list.dataset.folder = shownFolder;
  for (const row of rows) {
    const r = await openMessage(row.id, row.size);
    if (folder !== shownFolder) return; // switched meanwhile
    const li = document.createElement('li');
    li.dataset.id = String(row.id);
    li.dataset.state = r.error ? 'error' : r.signatureState;
    if (r.code) li.dataset.code = r.code;
    const from = document.createElement('span');
    from.className = 'from';
    from.textContent = r.error ? '—' : r.from ? r.from.name || r.from.address : '(no sender)';
    const subject = document.createElement('span');
    subject.className = 'subject';
    subject.textContent = r.error ? r.error : r.subject || '(no subject)';
    const when = document.createElement('time');
    when.textContent = new Date(row.received * 1000).toLocaleString();
    li.append(from, subject, when);
    li.tabIndex = 0;
    li.addEventListener('click', () => render(row.id, r));
    li.addEventListener('keydown', (e) => { if (e.key === 'Enter') render(row.id, r); });
    list.append(li);
  }
}

let shown = null; // the message on screen, for Reply

// A reply: to the sender (who must be in the address book, with a key), the
// subject with "Re: ", the text quoted.  Encrypted and signed like any mail.
function reply() {
  const r = shown;
  if (!r || r.error || !r.from) return;
  const sender = r.from.address.toLowerCase();
  if (!contacts.has(sender)) throw new Error(`add ${sender} to your address book first (their public key)`);
  view('compose');
  $('compose-to').value = sender;
  $('compose-subject').value = /^re:/i.test(r.subject || '') ? r.subject : `Re: ${r.subject || ''}`;
  $('compose-text').value = `\n\n${(r.text || '').split('\n').map((l) => `> ${l}`).join('\n')}`;
  $('compose-text').focus();
  $('compose-text').setSelectionRange(0, 0);
}

let blobUrls = [];
function render(id, r) {
  shown = r;
  show($('msg-reply'), !r.error && !!r.from);
  for (const u of blobUrls) URL.revokeObjectURL(u);
  blobUrls = [];
  const article = $('message');
  article.dataset.id = String(id);
  show(article);
  const sig = $('msg-signature');
  if (r.error) {
    sig.dataset.state = 'error';
    sig.textContent = r.error;
    for (const f of ['msg-from', 'msg-to', 'msg-subject', 'msg-date', 'msg-text', 'msg-protection']) $(f).textContent = '';
    $('msg-attachments').replaceChildren();
    show($('msg-html-box'), false);
    return;
  }
  sig.dataset.state = r.signatureState;
  sig.dataset.key = r.from && contacts.get(r.from.address.toLowerCase())?.unverified ? 'unverified' : '';
  sig.textContent = STATES[r.signatureState](r);
  $('msg-from').textContent = r.from ? `${r.from.name} <${r.from.address}>`.trim() : '';
  $('msg-to').textContent = r.to.map((a) => a.address).join(', ');
  $('msg-subject').textContent = r.subject || '';
  $('msg-date').textContent = r.date || '';
  $('msg-text').textContent = r.text || '';
  if (r.html) {
    // No scripts (sandbox) and nothing remote: srcdoc inherits this page's
    // CSP, and the frame's own policy says so again in case it does not (an
    // e2e run once saw the remote image requested).
    $('msg-html').srcdoc = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">${r.html}`;
    show($('msg-html-box'));
  } else {
    show($('msg-html-box'), false);
  }
  const list = $('msg-attachments');
  list.replaceChildren();
  for (const a of r.attachments) {
    const url = URL.createObjectURL(new Blob([a.data], { type: 'application/octet-stream' }));
    blobUrls.push(url);
    const link = document.createElement('a');
    link.href = url;
    link.download = a.filename;
    link.textContent = `${a.filename} (${a.data.length.toLocaleString()} bytes)`;
    const li = document.createElement('li');
    li.append(link);
    list.append(li);
  }
  $('msg-protection').textContent = r.encrypted
    ? `End-to-end encrypted (${r.layers.aead ? `SEIPDv2 ${r.layers.aead}` : 'SEIPDv1'}, ${r.layers.cipher})${r.protectedHeaders ? '; subject and recipients protected inside the encryption' : ''}.`
    : 'Not encrypted.';
}

// ---------------------------------------------------------------- wiring

function setFolder(name) {
  folder = name;
  $('folder-title').textContent = name === 'sent' ? 'Sent' : 'Inbox';
  $('folder-toggle').textContent = name === 'sent' ? 'Show Inbox' : 'Show Sent';
  $('inbox-list').replaceChildren();
  show($('message'), false);
}

function view(name) {
  if (name === 'inbox' && folder !== 'inbox') setFolder('inbox');
  for (const v of ['inbox', 'compose', 'contacts', 'key']) {
    show($(`view-${v}`), v === name);
    $(`nav-${v}`).classList.toggle('active', v === name);
  }
}

function guarded(button, fn, errorEl) {
  return async () => {
    button.disabled = true;
    if (errorEl) errorEl.textContent = '';
    try {
      await fn();
    } catch (err) {
      if (errorEl) errorEl.textContent = err.code ? describe(err) : err.message;
      if (errorEl === $('compose-status') || errorEl === $('compose-find-status')) errorEl.dataset.state = 'error';
    } finally {
      button.disabled = false;
    }
  };
}

$('setup-create').addEventListener('click', guarded($('setup-create'), create, $('setup-error')));
$('setup-import').addEventListener('click', guarded($('setup-import'), importKey, $('setup-error')));
$('unlock-button').addEventListener('click', guarded($('unlock-button'), unlock, $('unlock-error')));
$('unlock-passphrase').addEventListener('keydown', (e) => { if (e.key === 'Enter') $('unlock-button').click(); });
$('contact-add').addEventListener('click', guarded($('contact-add'), addContact, $('contact-error')));
$('compose-send').addEventListener('click', guarded($('compose-send'), send, $('compose-status')));
$('inbox-refresh').addEventListener('click', guarded($('inbox-refresh'), refreshInbox, $('inbox-error')));
$('lock').addEventListener('click', lock);
$('folder-toggle').addEventListener('click', guarded($('folder-toggle'), async () => {
  setFolder(folder === 'sent' ? 'inbox' : 'sent');
  await refreshInbox();
}, $('inbox-error')));
$('compose-find').addEventListener('click', guarded($('compose-find'), findKey, $('compose-find-status')));
$('msg-reply').addEventListener('click', guarded($('msg-reply'), async () => reply(), $('inbox-error')));
$('mail-login-button').addEventListener('click', guarded($('mail-login-button'), mailLogin, $('mail-login-error')));
$('mail-password').addEventListener('keydown', (e) => { if (e.key === 'Enter') $('mail-login-button').click(); });
$('export-private').addEventListener('click', guarded($('export-private'), async () => {
  $('my-private-key').value = await (await accountKey(await load('account'))).armor();
  show($('my-private-key'));
}));
$('forget').addEventListener('click', guarded($('forget'), async () => {
  if (!confirm('Delete your private key from this browser? Without a backup your mail cannot be read again.')) return;
  clearTimeout(retryTimer);
  const account = await load('account');
  if (account?.fingerprint) await (await keys()).delete(account.fingerprint);
  await store('account', undefined);
  await store('contacts', undefined);
  await store('outbox', undefined);
  location.reload();
}));
for (const tab of document.querySelectorAll('nav .tab')) tab.addEventListener('click', () => view(tab.dataset.view));

start();
