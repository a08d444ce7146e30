// What the page's WebAssembly.* is given, hashed before it compiles
// (verifier/extension/wasm-guard.js, Firefox only), in Firefox ESR with the
// guard installed and the demo origin enrolled.
//
// The attacker's code must run in the page, and on an enrolled origin no
// attacker script can: every response is held and checked, and the guard's
// CSP runs no other script (guard-firefox.test.mjs).  So the test puts it
// there on purpose, past the CSP: WebDriver's executeScript.  In Firefox
// that runs in a sandbox of the page's principal whose own `WebAssembly` is
// not the page's; the attacker's code therefore uses the page realm's
// objects (`window.WebAssembly`, `new window.Uint8Array`, the page's
// Response and ReadableStream, a frame's `contentWindow`): what a script of
// the page itself would call.  Its module's start function calls a beacon
// (a same-origin sendBeacon, counted by the proxy): for each API, 0 calls,
// the call refused, and the tab blocked WASM_MISMATCH.  The positive
// control runs the same code on an origin that is not enrolled (localhost:
// the same server under another host name): there every beacon fires.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockedReason, enrollOrigin, guardStatus, inExtension, repo, serveDemo, startFirefox, waitFor } from './helpers.mjs';

const siteSrc = process.env.SEALPOST_SITE || join(repo, 'build/site-dev');
const verifyBin = process.env.SEALPOST_VERIFY || join(repo, 'target/debug/sealpost-verify');
const releaseCert = join(repo, 'keys/demo-release.cert');
const RELEASE_WASM = '/sealpost/wasm/sealpost_wasm_bg.wasm';

/** The attacker's module: it imports env.b and calls it from its start function. */
const ATTACK_WASM = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 9, 1, 3, 0x65, 0x6e, 0x76, 1, 0x62, 0, 0, 8, 1, 0];

let dir, upstream, proxy, origin, control, ff, driver, tabId;
const beacons = new Map();
const results = [];

async function startProxy() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/__beacon') {
      const name = `${req.headers.host.split(':')[0]} ${url.search.slice(1)}`;
      beacons.set(name, (beacons.get(name) || 0) + 1);
      res.writeHead(204).end();
      return;
    }
    const r = await fetch(new URL(req.url, upstream.url));
    const body = Buffer.from(await r.arrayBuffer());
    const headers = Object.fromEntries([...r.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)));
    res.writeHead(r.status, { ...headers, 'content-length': body.length }).end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

/**
 * The attacker's code, run in the page through WebDriver (see the top):
 * `how` gives its bytes to one path of WebAssembly.*, then instantiates
 * whatever compiled with the beacon as import.  Resolves { outcome }.
 */
const ATTACK = `const [how, bytesList, beaconUrl] = arguments;
const done = arguments[arguments.length - 1];
const w = window;
const W = w.WebAssembly;
// The beacon: a function of the page's realm (a function of WebDriver's sandbox is not one a module may import).
const beacon = w.Function.prototype.bind.call(w.navigator.sendBeacon, w.navigator, beaconUrl);
const imports = new w.Object();
imports.env = new w.Object();
imports.env.b = beacon;
const bytes = () => new w.Uint8Array(bytesList);
const response = (body) => { const h = new w.Headers(); h.set('content-type', 'application/wasm'); const o = new w.Object(); o.headers = h; return new w.Response(body, o); };
// A Module compiled where no content script reaches: a blob: worker (worker-src blob: lets the page start one).
const fromWorker = () => new w.Promise((resolve, reject) => {
  const url = w.URL.createObjectURL(new w.Blob(['onmessage = (e) => postMessage(new WebAssembly.Module(e.data));'], { type: 'text/javascript' }));
  const worker = new w.Worker(url);
  worker.onmessage = (e) => resolve(e.data);
  worker.onerror = (e) => reject(new Error('worker: ' + e.message));
  worker.postMessage(bytes());
});
const paths = {
  compile: async () => W.instantiate(await W.compile(bytes()), imports),
  instantiate: async () => W.instantiate(bytes(), imports),
  compileStreaming: async () => W.instantiate(await W.compileStreaming(response(bytes())), imports),
  // The body a stream the page built (its chunks are the page's to choose).
  instantiateStreaming: async () => W.instantiateStreaming(w.Promise.resolve(response(new w.ReadableStream({ start(c) { c.enqueue(bytes()); c.close(); } }))), imports),
  Module: async () => new W.Instance(new W.Module(bytes()), imports),
  Instance: async () => new W.Instance(await fromWorker(), imports),
  'instantiate(worker Module)': async () => W.instantiate(await fromWorker(), imports),
  // Bypass attempts: the constructor reached through the prototype, a fresh frame's WebAssembly, the wrapper deleted.
  'Module.prototype.constructor': async () => new W.Instance(new W.Module.prototype.constructor(bytes()), imports),
  'fresh iframe': async () => {
    const f = w.document.createElement('iframe');
    w.document.body.append(f);
    return f.contentWindow.WebAssembly.instantiate(bytes(), imports);
  },
  // A popup of the page (about:blank, the page's origin): its own realm, its own WebAssembly.
  popup: async () => {
    const p = w.open('about:blank', '_blank');
    if (!p) throw new Error('no popup');
    try {
      // Its imports and bytes of its own realm (a function of another window is not one its modules may import).
      const own = new p.Object();
      own.env = new p.Object();
      own.env.b = p.Function.prototype.bind.call(p.navigator.sendBeacon, p.navigator, beaconUrl);
      return await p.WebAssembly.instantiate(new p.Uint8Array(bytesList), own);
    } finally {
      p.close();
    }
  },
  // (Without the guard the original is deleted and the one taken before is called.)
  'delete': async () => {
    const before = W.instantiate;
    delete W.instantiate;
    W.instantiate = null;
    return (W.instantiate || before).call(W, bytes(), imports);
  },
};
paths[how]().then(() => done({ outcome: 'ran' }), (e) => done({ outcome: 'refused: ' + (e && e.name) + ': ' + (e && e.message) }));`;

const run = (how, beaconUrl) => driver.executeAsyncScript(ATTACK, how, ATTACK_WASM, beaconUrl);

/** Clears the origin's recorded failure (as the popup's button does), then loads the page until the guard says valid. */
async function validLoad() {
  await inExtension(driver, `const { pins } = await browser.storage.local.get('pins');
    if (pins[arguments[0]]) pins[arguments[0]].failure = null;
    await browser.storage.local.set({ pins });`, origin);
  await driver.get(`${origin}/`);
  await waitFor('a valid load', async () => {
    const s = await guardStatus(driver, tabId);
    if (s.load?.state === 'blocked') throw new Error(`blocked: ${JSON.stringify(s.load.failure)}`);
    return s.load?.state === 'valid';
  }, 30000);
  await waitFor('the page', async () => driver.executeScript('return document.documentElement.dataset.sealpostVerified !== undefined'), 10000);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sealpost-ff-wasm-'));
  const site = join(dir, 'site');
  cpSync(siteSrc, site, { recursive: true });
  const r = spawnSync(verifyBin, ['manifest', site, '--out', join(site, 'manifest.json'), '--app', 'sealpost-demo', '--release-version', '0.2.0',
    '--sign-with', join(repo, 'keys/demo-release.key')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  upstream = await serveDemo(site, join(dir, 'mail.sqlite'), { releaseCert });
  proxy = await startProxy();
  origin = `http://127.0.0.1:${proxy.address().port}`;
  control = `http://localhost:${proxy.address().port}`;
  ff = await startFirefox();
  driver = ff.driver;
  ({ tabId } = await enrollOrigin(driver, origin));
});

after(async () => {
  for (const line of results) console.log(line);
  await ff?.close();
  proxy?.closeAllConnections();
  proxy?.close();
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ATTACKS = ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming', 'Module', 'Instance', 'instantiate(worker Module)',
  'Module.prototype.constructor', 'fresh iframe', 'delete'];

test("positive control: on an origin that is not enrolled, every path compiles the attacker's module and its beacon fires", async () => {
  await driver.get(`${control}/`);
  for (const how of [...ATTACKS, 'popup']) {
    const name = `control-${how}`;
    const r = await run(how, `${control}/__beacon?${encodeURIComponent(name)}`);
    await waitFor(`the beacon of ${how}`, async () => beacons.get(`localhost ${encodeURIComponent(name)}`) > 0, 5000).catch(() => {});
    const hits = beacons.get(`localhost ${encodeURIComponent(name)}`) || 0;
    results.push(`not enrolled, ${how}: ${r.outcome}, the module's start called the beacon: the server saw ${hits}`);
    assert.equal(r.outcome, 'ran', `${how} on a non-enrolled origin`);
    assert.equal(hits, 1, `${how}: the server saw the control's beacon`);
  }
});

for (const how of ATTACKS) {
  test(`enrolled: bytes not in the release given to ${how} → refused before compiling, the beacon called 0 times, the tab blocked WASM_MISMATCH`, async () => {
    await validLoad();
    const name = `attack-${how}`;
    const r = await run(how, `${origin}/__beacon?${encodeURIComponent(name)}`);
    const blocked = await blockedReason(driver, 20000);
    // Time for anything that slipped through to call home.
    await new Promise((res) => setTimeout(res, 500));
    const hits = beacons.get(`127.0.0.1 ${encodeURIComponent(name)}`) || 0;
    results.push(`enrolled, ${how}: ${r.outcome.slice(0, 110)}…; beacon calls the server saw: ${hits}; tab ${blocked ? `blocked ${blocked.code}` : 'NOT BLOCKED'}`);
    assert.match(r.outcome, /^refused: CompileError: sealpost guard: WebAssembly\.\w+ refused/, `${how}: not refused by the guard`);
    assert.equal(hits, 0, `${how}: the server saw the attacker's beacon`);
    assert.ok(blocked, `${how}: the tab was not blocked`);
    assert.equal(blocked.code, 'WASM_MISMATCH', `${how}: blocked as ${blocked.code} (${blocked.actual})`);
    assert.match(blocked.detail, /^WebAssembly\.\w+ in the page: refused before compiling/);
  });
}

test('enrolled: bytes not in the release given to WebAssembly.instantiate of a popup the page opened → refused before compiling, the beacon called 0 times', async () => {
  await validLoad();
  const handles = await driver.getAllWindowHandles();
  const r = await run('popup', `${origin}/__beacon?attack-popup`);
  await new Promise((res) => setTimeout(res, 500));
  const hits = beacons.get('127.0.0.1 attack-popup') || 0;
  // The popup is closed by the attacker's code; the page that opened it stays where it was.
  await driver.switchTo().window(handles[0]);
  const state = (await guardStatus(driver, tabId)).load?.state;
  results.push(`enrolled, popup: ${r.outcome.slice(0, 110)}…; beacon calls the server saw: ${hits}; the opener's load ${state} (the popup has no load of its own to block)`);
  assert.match(r.outcome, /^refused: CompileError: sealpost guard: WebAssembly\.instantiate refused/, 'not refused by the guard');
  assert.equal(hits, 0, "the server saw the attacker's beacon");
});

for (const where of ['Response.prototype', 'Object.prototype', 'Promise.prototype']) {
  test(`enrolled: a page getter on ${where}.then swapping in its own Response while the guard compiles the release's genuine bytes → the attacker's module never compiles, the beacon called 0 times`, async () => {
    await validLoad();
    const name = `then-${where}`;
    const r = await driver.executeAsyncScript(`const [path, attack, where, beaconUrl] = arguments;
      const done = arguments[arguments.length - 1];
      const w = window;
      const W = w.WebAssembly;
      const imports = new w.Object();
      imports.env = new w.Object();
      imports.env.b = w.Function.prototype.bind.call(w.navigator.sendBeacon, w.navigator, beaconUrl);
      const proto = where === 'Response.prototype' ? w.Response.prototype : where === 'Object.prototype' ? w.Object.prototype : w.Promise.prototype;
      const evil = () => { const h = new w.Headers(); h.set('content-type', 'application/wasm'); const o = new w.Object(); o.headers = h; return new w.Response(new w.Uint8Array(attack), o); };
      let read = 0;
      (async () => {
        const genuine = new w.Uint8Array(await (await w.fetch(path)).arrayBuffer());
        // Read once, then gone: whatever resolves an object of the page first is handed the attacker's Response.
        w.Object.defineProperty(proto, 'then', { configurable: true, get() { read++; delete proto.then; return (resolve) => resolve(evil()); } });
        try {
          const out = await W.instantiate(genuine, imports);
          return 'ran: ' + w.Object.prototype.toString.call(out);
        } catch (e) {
          return 'refused: ' + e.name + ': ' + e.message;
        } finally {
          delete proto.then;
        }
      })().then((v) => done({ outcome: v, read }), (e) => done({ outcome: 'error: ' + e, read }));`, RELEASE_WASM, ATTACK_WASM, where, `${origin}/__beacon?${encodeURIComponent(name)}`);
    await new Promise((res) => setTimeout(res, 500));
    const hits = beacons.get(`127.0.0.1 ${encodeURIComponent(name)}`) || 0;
    results.push(`enrolled, ${where}.then hijack: ${String(r.outcome).slice(0, 100)}; the getter was read ${r.read} time(s); beacon calls the server saw: ${hits}`);
    assert.equal(hits, 0, `${where}.then: the attacker's module ran (its beacon reached the server)`);
  });
}

test("enrolled: the release's own wasm compiles through the guard, and a buffer changed right after the call changes nothing (the copy was checked and compiled)", async () => {
  await validLoad();
  const r = await driver.executeAsyncScript(`const [path, attack] = arguments;
    const done = arguments[arguments.length - 1];
    const w = window;
    const W = w.WebAssembly;
    (async () => {
      const genuine = new w.Uint8Array(await (await w.fetch(path)).arrayBuffer());
      const viaStreaming = await W.compileStreaming(w.fetch(path));
      const buf = new w.Uint8Array(genuine);
      const pending = W.compile(buf);
      // After the call, before the compile: the attacker's module written over the genuine bytes.
      buf.fill(0);
      buf.set(new w.Uint8Array(attack));
      const m = await pending;
      // The hook is in place, for good.
      const d = w.Object.getOwnPropertyDescriptor(W, 'compile');
      return { streamingImports: W.Module.imports(viaStreaming).length, imports: W.Module.imports(m).map((i) => i.module + '.' + i.name),
        fixed: !d.configurable && !d.writable };
    })().then((v) => done(v), (e) => done({ error: String(e) }));`, RELEASE_WASM, ATTACK_WASM);
  assert.ok(!r.error, r.error);
  assert.equal(r.fixed, true, 'WebAssembly.compile is the guard\'s, not configurable');
  assert.ok(r.streamingImports > 10, 'the genuine module (compileStreaming) has the release\'s imports');
  assert.ok(r.imports.length > 10 && !r.imports.includes('env.b'), `the compiled module is the genuine one: ${r.imports.slice(0, 3)}`);
  assert.equal((await guardStatus(driver, tabId)).load?.state, 'valid', 'the genuine wasm did not block the load');
  results.push(`enrolled, genuine: compiled (${r.imports.length} imports), the buffer overwritten after the call compiled nothing else; still valid`);
});
