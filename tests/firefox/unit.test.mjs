// firefox.js's decisions in Node (no browser): what a held response
// becomes, with the real verifier wasm (the extension's build).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from '../e2e/helpers.mjs';

const ext = join(repo, 'build/extension');
let verifier, judgeResponse, contentScriptPattern, verdictTarget;

before(async () => {
  const pkg = await import(join(ext, 'pkg/sealpost_verifier_wasm.js'));
  await pkg.default({ module_or_path: readFileSync(join(ext, 'pkg/sealpost_verifier_wasm_bg.wasm')) });
  verifier = pkg;
  ({ judgeResponse, contentScriptPattern, verdictTarget } = await import(join(repo, 'verifier/extension/firefox.js')));
});

const O = 'http://127.0.0.1:8080';
const bytes = (s) => new TextEncoder().encode(s);
const sri = (b) => `sha384-${createHash('sha384').update(b).digest('base64')}`;
const APP = bytes('console.log("release");\n');
const manifest = { files: { 'app.js': { integrity: sri(APP), size: APP.length }, 'index.html': { integrity: sri(bytes('<!doctype html>')), size: 15 } } };
const judge = (url, type, b, extra = {}) => judgeResponse({ url, origin: O, type, bytes: b, manifest, pinFailure: null, verifier, ...extra });

test('a listed file is delivered only with its signed bytes', () => {
  assert.deepEqual(judge(`${O}/app.js`, 'script', APP), { deliver: true });
  const other = bytes('console.log("attacker");\n');
  const r = judge(`${O}/app.js`, 'script', other);
  assert.equal(r.deliver, false);
  assert.equal(r.failure.code, 'FILE_MISMATCH');
  assert.equal(r.failure.actual, sri(other));
  // The same hash with bytes appended is not the file (size and hash).
  assert.equal(judge(`${O}/app.js`, 'xmlhttprequest', new Uint8Array([...APP, 10])).deliver, false);
  assert.equal(judge(`${O}/`, 'main_frame', bytes('<!doctype html>')).deliver, true);
  assert.equal(judge(`${O}/`, 'main_frame', bytes('<!doctype html><script>x</script>')).failure.code, 'FILE_MISMATCH');
});

test('unlisted code is never delivered; unlisted data passes; no manifest delivers nothing', () => {
  for (const type of ['script', 'stylesheet', 'sub_frame', 'main_frame', 'object', 'xslt', 'xml_dtd']) {
    const r = judge(`${O}/__payload/x`, type, bytes('x'));
    assert.equal(r.deliver, false, type);
    assert.equal(r.failure.code, 'UNLISTED', type);
  }
  assert.equal(judge(`${O}/.well-known/sealpost/p.js`, 'script', bytes('x')).failure.code, 'UNLISTED');
  assert.deepEqual(judge(`${O}/api/messages`, 'xmlhttprequest', bytes('[]')), { deliver: true });
  assert.deepEqual(judge(`${O}/.well-known/sealpost/manifest.json`, 'xmlhttprequest', bytes('{}')), { deliver: true });
  const none = judge(`${O}/app.js`, 'script', APP, { manifest: new Error('no verified manifest for this load') });
  assert.equal(none.deliver, false);
  assert.equal(none.failure.code, 'MANIFEST_UNAVAILABLE');
  const pinned = { code: 'FILE_MISMATCH', file: 'app.js', expected: 'a', actual: 'b', detail: '' };
  assert.deepEqual(judge(`${O}/app.js`, 'script', APP, { pinFailure: pinned }), { deliver: false, failure: pinned });
});

test('outside Firefox: the content script pattern is the origin, and a verdict needs a document id', () => {
  assert.equal(contentScriptPattern(O), `${O}/*`);
  assert.deepEqual(verdictTarget('doc-1'), { documentId: 'doc-1' });
  assert.equal(verdictTarget(undefined), null);
});

/**
 * firefoxGuard's listeners, given a stand-in of Firefox's webRequest API
 * (installed as globalThis.browser for this test only) whose
 * filterResponseData throws or whose filter fails: the decisions a real
 * Firefox reaches only when it refuses to hold a response (a service-worker
 * script without its permission, a request it cannot filter).
 */
test('a response of an enrolled origin that cannot be held is cancelled, and a code-bearing one blocks the tab (never delivered unheld)', async () => {
  const listeners = {};
  const on = (name) => ({ addListener: (fn) => { listeners[name] = fn; } });
  let refuse = true;
  const filters = [];
  const saved = globalThis.browser;
  globalThis.browser = {
    runtime: { getURL: () => 'moz-extension://x/' },
    storage: { onChanged: { addListener() {} } },
    webRequest: {
      onBeforeRequest: on('before'), onHeadersReceived: on('headers'), onErrorOccurred: on('error'),
      filterResponseData() {
        if (refuse) throw new Error('Invalid request ID');
        const f = { error: '' };
        filters.push(f);
        return f;
      },
    },
  };
  try {
    const { firefoxGuard } = await import(join(repo, 'verifier/extension/firefox.js'));
    const fails = [];
    firefoxGuard({ pins: async () => ({ [O]: {} }), verifier, manifestOf: async () => null, fail: async (tabId, origin, url, f) => { fails.push({ tabId, url, code: f.code, actual: f.actual }); } });
    const req = (requestId, type, path, tabId = 3) => ({ requestId, type, tabId, url: `${O}${path}`, originUrl: `${O}/` });
    // The first request waits for the pins (a promise), later ones are answered at once.
    assert.deepEqual(await listeners.before(req('1', 'script', '/app.js')), { cancel: true });
    assert.deepEqual(await listeners.before(req('2', 'image', '/logo.png')), { cancel: true });
    assert.deepEqual(await listeners.before(req('3', 'script', '/sw.js', -1)), { cancel: true });
    assert.deepEqual(await listeners.before(req('4', 'xmlhttprequest', '/sealpost/wasm/worker.bundle.js')), { cancel: true });
    // Another origin is not held, nor cancelled.
    assert.deepEqual(await listeners.before({ requestId: '5', type: 'script', tabId: 3, url: 'http://127.0.0.1:9/x.js' }), {});
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(fails.map((f) => [f.tabId, f.url.slice(O.length), f.code]), [[3, '/app.js', 'RESOURCE_UNAVAILABLE'], [3, '/sealpost/wasm/worker.bundle.js', 'RESOURCE_UNAVAILABLE']]);
    assert.match(fails[0].actual, /could not hold \(Invalid request ID\)/);

    // Held, then the filter fails: cancelled if the headers are still to come, and the tab blocked for code.
    refuse = false;
    fails.length = 0;
    assert.deepEqual(listeners.before(req('6', 'main_frame', '/')), {});
    filters[0].error = 'Channel redirected';
    filters[0].onerror();
    assert.deepEqual(listeners.headers({ requestId: '6', url: `${O}/`, statusCode: 200, responseHeaders: [] }), { cancel: true });
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(fails.map((f) => [f.tabId, f.code]), [[3, 'RESOURCE_UNAVAILABLE']]);
    assert.match(fails[0].actual, /Channel redirected/);
    // …but not when the request itself failed first (the tab moved on: nothing was delivered).
    fails.length = 0;
    listeners.before(req('7', 'script', '/app.js'));
    listeners.error({ requestId: '7' });
    filters[1].onerror();
    // …nor for data (an image): cancelled if still possible, no block.
    listeners.before(req('8', 'image', '/logo.png'));
    filters[2].onerror();
    assert.deepEqual(listeners.headers({ requestId: '8', url: `${O}/logo.png`, statusCode: 200, responseHeaders: [] }), { cancel: true });
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(fails, []);
  } finally {
    if (saved === undefined) delete globalThis.browser;
    else globalThis.browser = saved;
  }
});

/**
 * Firefox sends webRequest events to the extension in batches and answers a
 * batch only once every listener's returned promise has settled (its
 * ConduitsChild runs a batch with Promise.all).  A listener that returns a
 * promise waiting for the guard's own work — the load's manifest — holds the
 * blocking events of the guard's own manifest fetches batched with it, until
 * their deadline: the stall of issue 22 (tests/firefox/reloads.test.mjs in
 * a real Firefox).  So no webRequest listener of the extension is async; a
 * blocking one may return a promise only for what cannot wait on a fetch
 * (firefox.js: the pins, read once at start).
 */
test('no webRequest listener of the extension is an async function (Firefox answers a batch of events when all have settled)', () => {
  const dir = join(repo, 'verifier/extension');
  const found = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const src = readFileSync(join(dir, name), 'utf8');
    for (const m of src.matchAll(/webRequest\.(\w+)\??\.addListener\(\s*(async\b)?\s*([A-Za-z_$][\w$]*)?/g)) {
      const [, event, isAsync, ident] = m;
      const named = ident && ident !== 'function' && !/^\(/.test(ident)
        && new RegExp(`async\\s+function\\s+${ident}\\b|\\b${ident}\\s*=\\s*async\\b`).test(src);
      found.push(`${name} ${event}`);
      assert.ok(!isAsync && !named, `${name}: the webRequest.${event} listener is async (it must return nothing, or a blocking answer)`);
    }
  }
  // The listeners this scan must see (else it proves nothing).
  for (const l of ['background.js onHeadersReceived', 'background.js onCompleted', 'firefox.js onBeforeRequest', 'firefox.js onHeadersReceived', 'firefox.js onErrorOccurred', 'firefox.js onCompleted']) {
    assert.ok(found.includes(l), `${l} not found by the scan (${found.join(', ')})`);
  }
});

// --- WebAssembly.* in the page (wasm-guard.js, Firefox only)

test("what WebAssembly.* may compile is the integrity of the manifest's .wasm files; a refusal is reported as WASM_MISMATCH with the page's words capped", async () => {
  const { wasmIntegrity, wasmFailure } = await import(join(repo, 'verifier/extension/firefox.js'));
  const w = sri(bytes('wasm'));
  assert.deepEqual(wasmIntegrity({ files: { 'app.js': { integrity: sri(APP) }, 'a/m_bg.wasm': { integrity: `${w} sha256-${'A'.repeat(43)}= junk` }, 'b.wasm': {} } }),
    [w, `sha256-${'A'.repeat(43)}=`]);
  assert.deepEqual(wasmIntegrity(null), []);
  const f = wasmFailure({ url: `${O}/index.html`, api: 'instantiateStreaming', why: 'x'.repeat(1000) }, O);
  assert.equal(f.code, 'WASM_MISMATCH');
  assert.equal(f.file, 'index.html');
  assert.equal(f.actual.length, 300);
  assert.match(f.detail, /^WebAssembly\.instantiateStreaming in the page: refused before compiling/);
  assert.match(wasmFailure({ api: 'evil<script>', url: 5 }, O).detail, /^WebAssembly\.unknown /);
  const { messageAllowed } = await import(join(repo, 'verifier/extension/guard.js'));
  const id = 'guard@sealpost.invalid';
  for (const t of ['wasm-hashes', 'wasm-refused']) {
    assert.ok(messageAllowed(t, { id, url: `${O}/`, tab: { id: 1 }, frameId: 0 }, id, 'moz-extension://u/'), `${t} from a page's content script`);
    assert.ok(!messageAllowed(t, { id, url: 'moz-extension://u/popup.html' }, id, 'moz-extension://u/'), `${t} from the popup`);
  }
});

test('wasm-guard.js is registered for the enrolled origins (every frame, document_start, port-less) and updated in place, never unregistered in between', async () => {
  const { syncWasmGuard, WASM_GUARD_SCRIPT } = await import(join(repo, 'verifier/extension/firefox.js'));
  const calls = [];
  let registered = null;
  globalThis.browser = {
    webRequest: { filterResponseData() {} },
    scripting: {
      getRegisteredContentScripts: async ({ ids }) => (registered && ids.includes(registered.id) ? [registered] : []),
      registerContentScripts: async ([s]) => { calls.push('register'); registered = s; },
      updateContentScripts: async ([s]) => { calls.push('update'); registered = s; },
      unregisterContentScripts: async () => { calls.push('unregister'); registered = null; },
    },
  };
  try {
    await syncWasmGuard(['http://127.0.0.1:8080', 'http://127.0.0.1:9090', 'https://mail.example']);
    assert.deepEqual(registered, {
      id: WASM_GUARD_SCRIPT, matches: ['http://127.0.0.1/*', 'https://mail.example/*'], js: ['wasm-guard.js'], runAt: 'document_start', allFrames: true, matchOriginAsFallback: true, persistAcrossSessions: true,
    });
    await syncWasmGuard(['http://127.0.0.1:8080']);
    assert.deepEqual(registered.matches, ['http://127.0.0.1/*']);
    await syncWasmGuard([]);
    assert.equal(registered, null);
    assert.deepEqual(calls, ['register', 'update', 'unregister']);
  } finally {
    delete globalThis.browser;
  }
});

/**
 * A document of an enrolled origin is held, checked and then delivered only
 * if wasm-guard.js is registered for its origin: a page without the hook
 * could compile any wasm.  The registration here fails (as a real Firefox
 * could refuse it), then succeeds: the same genuine document is first not
 * delivered (WASM_GUARD_MISSING), then delivered — one more sync is tried
 * before refusing, so a registration still catching up with the pins does
 * not block.
 */
test('a document of an enrolled origin is not delivered while wasm-guard.js is not registered for it (WASM_GUARD_MISSING), and is once it is', async () => {
  const listeners = {};
  const on = (name) => ({ addListener: (fn) => { listeners[name] = fn; } });
  const filters = [];
  let refuseRegistration = true;
  let registrations = 0;
  const saved = globalThis.browser;
  globalThis.browser = {
    runtime: { getURL: () => 'moz-extension://x/' },
    storage: { onChanged: { addListener() {} } },
    scripting: {
      getRegisteredContentScripts: async () => [],
      registerContentScripts: async () => {
        registrations++;
        if (refuseRegistration) throw new Error('registration refused');
      },
      updateContentScripts: async () => {},
      unregisterContentScripts: async () => {},
    },
    webRequest: {
      onBeforeRequest: on('before'), onHeadersReceived: on('headers'), onErrorOccurred: on('error'),
      filterResponseData() {
        const f = { error: '', written: [], closed: false, write(b) { this.written.push(b); }, close() { this.closed = true; } };
        filters.push(f);
        return f;
      },
    },
  };
  const error = console.error;
  console.error = () => {};
  try {
    const { firefoxGuard } = await import(join(repo, 'verifier/extension/firefox.js'));
    const fails = [];
    firefoxGuard({ pins: async () => ({ [O]: {} }), verifier, manifestOf: async () => manifest, fail: async (tabId, origin, url, f) => { fails.push(f.code); } });
    const load = async (requestId) => {
      assert.deepEqual(await listeners.before({ requestId, type: 'main_frame', tabId: 3, url: `${O}/`, originUrl: `${O}/` }), {});
      const f = filters.at(-1);
      listeners.headers({ requestId, url: `${O}/`, statusCode: 200, responseHeaders: [{ name: 'Content-Length', value: '15' }] });
      f.ondata({ data: bytes('<!doctype html>').buffer });
      await f.onstop();
      return f;
    };
    let f = await load('1');
    assert.deepEqual([f.written.length, f.closed, fails], [0, true, ['WASM_GUARD_MISSING']], 'not delivered, the tab blocked');
    assert.ok(registrations >= 2, 'one more sync was tried before refusing');
    refuseRegistration = false;
    fails.length = 0;
    f = await load('2');
    assert.deepEqual([f.written.length, f.closed, fails], [1, true, []], 'delivered once registered');
    assert.deepEqual([...f.written[0]], [...bytes('<!doctype html>')]);
  } finally {
    console.error = error;
    if (saved === undefined) delete globalThis.browser;
    else globalThis.browser = saved;
  }
});

/**
 * wasm-guard.js itself, in Node: the page is a realm of its own (a vm
 * context, with its own WebAssembly), the content script another, and
 * Firefox's exportFunction / cloneInto / Xrays stand-ins that pass values
 * through (what they do to wrappers is tested in Firefox:
 * wasm-guard.test.mjs).  The decisions are the script's own: hash a copy,
 * compile only a listed one, refuse and report the rest.
 */
test('wasm-guard.js: only bytes of a listed .wasm compile, the copy taken at the call is what is hashed and compiled, the sync forms and unchecked Modules are refused, and each refusal is reported', async () => {
  const vm = await import('node:vm');
  const page = vm.runInContext('globalThis', vm.createContext({}));
  // The release's module (exports f() = 42) and the attacker's (its start calls env.b).
  const genuine = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 7, 5, 1, 1, 0x66, 0, 0, 0x0a, 6, 1, 4, 0, 0x41, 0x2a, 0x0b]);
  const attack = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 9, 1, 3, 0x65, 0x6e, 0x76, 1, 0x62, 0, 0, 8, 1, 0]);
  const reports = [];
  const toPage = (x) => {
    const c = new page.Uint8Array(x.length);
    c.set(x);
    return c;
  };
  const sandbox = {
    window: { wrappedJSObject: page, Uint8Array: page.Uint8Array, Response, crypto: globalThis.crypto },
    location: { href: `${O}/#x` },
    browser: { runtime: { sendMessage: async (m) => (m.type === 'wasm-hashes' ? { ok: true, enrolled: true, integrity: [sri(genuine)] } : (reports.push(m), { ok: true })) } },
    exportFunction: (f, target, opts) => (opts?.defineAs ? (target[opts.defineAs] = f) : f),
    cloneInto: (x) => toPage(x),
    XPCNativeWrapper: { unwrap: (x) => x },
    btoa,
  };
  vm.runInNewContext(readFileSync(join(repo, 'verifier/extension/wasm-guard.js'), 'utf8'), sandbox);
  const W = page.WebAssembly;
  let beacon = 0;
  const imports = { env: { b: () => beacon++ } };
  const refused = async (p, api) => {
    await assert.rejects(p, (e) => e instanceof W.CompileError && e.message.startsWith(`sealpost guard: WebAssembly.${api} refused`));
    assert.equal(reports.at(-1)?.api, api);
    assert.equal(reports.at(-1)?.url, `${O}/`);
  };
  // The genuine bytes compile, in every form.
  assert.equal((await W.instantiate(toPage(genuine))).instance.exports.f(), 42);
  assert.equal(new W.Instance(await W.compile(toPage(genuine).buffer)).exports.f(), 42);
  const resp = (b) => new Response(b, { headers: { 'content-type': 'application/wasm' } });
  assert.equal((await W.instantiateStreaming(resp(genuine))).instance.exports.f(), 42);
  assert.equal((await W.instantiate(await W.compileStreaming(Promise.resolve(resp(genuine))))).exports.f(), 42);
  await assert.rejects(W.instantiateStreaming(new Response(genuine, { headers: { 'content-type': 'text/plain' } })), (e) => e.name === 'TypeError');
  assert.equal(reports.length, 0);
  // The attacker's bytes, by every path: refused, reported, never run.
  await refused(W.compile(toPage(attack)), 'compile');
  await refused(W.instantiate(toPage(attack), imports), 'instantiate');
  await refused(W.compileStreaming(resp(attack)), 'compileStreaming');
  await refused(W.instantiateStreaming(resp(attack), imports), 'instantiateStreaming');
  await refused((async () => new W.Module(toPage(genuine)))(), 'Module');
  await refused((async () => new W.Module.prototype.constructor(toPage(attack)))(), 'Module');
  // A Module compiled elsewhere (a worker, another realm): not instantiated.
  const elsewhere = new WebAssembly.Module(attack);
  await refused((async () => new W.Instance(elsewhere, imports))(), 'Instance');
  await refused(W.instantiate(elsewhere, imports), 'instantiate');
  // The buffer changed after the call: the copy taken at the call was checked and compiled.
  const buf = toPage(genuine);
  const pending = W.instantiate(buf, imports);
  buf.fill(0);
  buf.set(attack);
  assert.equal((await pending).instance.exports.f(), 42);
  // …and the other way: listed bytes written after a call with other bytes do not let it through.
  const buf2 = toPage(Uint8Array.from([...attack, 0, 0, 0, 0, 0, 0]));
  const pending2 = W.instantiate(buf2, imports);
  buf2.set(genuine);
  await refused(pending2, 'instantiate');
  // The wrappers stay.
  assert.equal(Reflect.deleteProperty(W, 'instantiate'), false);
  assert.equal(Object.getOwnPropertyDescriptor(W, 'compile').writable, false);
  assert.equal(beacon, 0, "the attacker's module never ran");
  assert.equal(reports.length, 9);
});
