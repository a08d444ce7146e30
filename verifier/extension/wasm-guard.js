// sealpost guard, Firefox only: what the page's WebAssembly.* is given is
// hashed before anything compiles.
//
// Registered (firefox.js) for enrolled origins, in every frame, at
// document_start, before any page script.  Firefox's content scripts see
// the page through Xray wrappers and can put functions into the page's own
// realm (exportFunction); Chromium's isolated world cannot, so this file
// does nothing there.  In the page's realm WebAssembly.compile,
// instantiate, compileStreaming, instantiateStreaming and the Module and
// Instance constructors become proxies of the originals whose traps run
// here, out of the page's reach:
//
// - the bytes given (a BufferSource, or a Response's whole body) are first
//   copied (later writes by the page, a SharedArrayBuffer or a stream the
//   page built cannot change what is checked), the copy is hashed, and
//   only a copy whose hash is the integrity of a .wasm file of the load's
//   verified manifest is compiled; anything else is refused (the promise
//   rejects with a CompileError) and reported: the guard blocks the tab
//   (WASM_MISMATCH);
// - a Module is instantiated (instantiate(module), new Instance(module))
//   only if it came from a checked compile here;
// - `new WebAssembly.Module(bytes)` is synchronous, and the hashes are only
//   known asynchronously (the verified manifest): it is refused outright and
//   reported.  The release never uses it (the shim compiles with
//   instantiateStreaming, in its worker).
//
// The proxies are put in place as non-writable, non-configurable
// properties (no `delete`, no assignment brings the original back), and
// Module.prototype.constructor / Instance.prototype.constructor point at
// them too.  validate() compiles nothing that can run and stays as it is.
// Workers are out of reach of content scripts: README (Firefox).
(() => {
  /* global exportFunction, cloneInto */
  if (typeof exportFunction !== 'function' || typeof cloneInto !== 'function' || !window.wrappedJSObject) return;
  const page = window.wrappedJSObject;
  const W = page.WebAssembly;
  if (!W) return;
  // The page's originals, taken before any page script runs.
  const orig = {
    compile: W.compile, instantiate: W.instantiate, compileStreaming: W.compileStreaming, instantiateStreaming: W.instantiateStreaming, Module: W.Module, Instance: W.Instance,
  };
  const PagePromise = page.Promise;
  const PageProxy = page.Proxy;
  const PageObject = page.Object;
  const CompileError = W.CompileError;
  const PageTypeError = page.TypeError;
  const here = () => location.href.split('#')[0];

  // Modules compiled here from checked bytes: a WeakSet of the page's realm
  // (so that its keys are the page's objects themselves, whichever wrapper
  // this script sees them through), reachable from here only, its methods
  // taken before any page script runs and called with this realm's `call`.
  const checkedSet = new page.WeakSet();
  const wsAdd = page.WeakSet.prototype.add;
  const wsHas = page.WeakSet.prototype.has;
  const call = Function.prototype.call;
  const checked = {
    add: (m) => call.call(wsAdd, checkedSet, m),
    has: (m) => call.call(wsHas, checkedSet, m) === true,
  };

  // The integrity values of the release's .wasm files, asked for once per document.
  let allowed = null;
  const allowedNow = () => {
    // The document's origin (an about:blank frame or popup inherits its creator's): the guard's
    // tab URL alone would call a popup of an enrolled page not enrolled.
    allowed ||= browser.runtime.sendMessage({ type: 'wasm-hashes', url: here(), origin: window.origin }).then(
      (r) => (r && r.ok ? { enrolled: r.enrolled !== false, integrity: Array.isArray(r.integrity) ? r.integrity : [] } : { enrolled: true, integrity: [] }),
      () => ({ enrolled: true, integrity: [] }),
    );
    return allowed;
  };
  allowedNow();

  const ALGS = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };
  const b64 = (buf) => {
    let s = '';
    const b = new Uint8Array(buf);
    for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode.apply(null, b.subarray(i, i + 0x8000));
    return btoa(s);
  };
  // The window's SubtleCrypto, through its Xray (the page cannot replace it
  // for this script); it takes bytes of the page's realm (the copy).
  const subtle = window.crypto.subtle;
  /** The SRI value of `bytes` (the copy) for algorithm `alg` ('sha384', …). */
  const sri = async (alg, bytes) => `${alg}-${b64(new Uint8Array(await subtle.digest(ALGS[alg], bytes)))}`;

  /** Resolves if `bytes` is a .wasm file of the release; else reports and throws. */
  async function check(bytes, api) {
    const a = await allowedNow();
    if (!a.enrolled) return;
    const algs = [...new Set(a.integrity.map((v) => String(v).split('-')[0]).filter((x) => ALGS[x]))];
    for (const alg of algs) {
      const mine = await sri(alg, bytes);
      if (a.integrity.includes(mine)) return;
    }
    refuse(api, `${bytes.length} bytes hashing to ${await sri('sha384', bytes)}, no .wasm file of the signed release`);
  }

  /** Reports a refused call to the guard (it blocks the tab) and throws the page's CompileError. */
  function refuse(api, why) {
    browser.runtime.sendMessage({ type: 'wasm-refused', url: here(), api, why }).catch(() => {});
    throw new Error(`sealpost guard: WebAssembly.${api} refused: ${why}`);
  }

  /** A page-realm error for `e` (a refusal is a CompileError, as a bad module's would be). */
  const pageError = (e) => {
    if (e instanceof Error && e.message.startsWith('sealpost guard:')) return new CompileError(e.message);
    // An error of the original call, or one made for the page, is the page's already.
    if (!(e instanceof Error)) return e;
    // Any other error of this script reaches the page as a CompileError too (nothing compiled).
    return new CompileError(`sealpost guard: ${e.message}`);
  };

  /** A page promise settled by `work` (run here). */
  const pagePromise = (work) => new PagePromise(exportFunction((resolve, reject) => {
    work().then((v) => resolve(v), (e) => reject(pageError(e)));
  }, page));

  /**
   * A copy of the bytes of a BufferSource from the page (an ArrayBuffer, a
   * SharedArrayBuffer, a typed array or a DataView), made in the page's
   * realm through the Xray of its Uint8Array constructor (one copy, and the
   * compiler takes it as it is) but referenced from here only; null if
   * `src` is none.  The copy is what is hashed and compiled: the page's
   * buffer may change at any time after the call.
   */
  function copyBytes(src) {
    try {
      const tag = Object.prototype.toString.call(src);
      if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new window.Uint8Array(new window.Uint8Array(src));
      if (ArrayBuffer.isView(src)) return new window.Uint8Array(new window.Uint8Array(src.buffer, src.byteOffset, src.byteLength));
    } catch {
      // A detached buffer, a revoked proxy: no bytes.
    }
    return null;
  }

  /** The whole body of a Response (or a promise of one) from the page, as a content-realm copy; the MIME and status checks of the streaming APIs. */
  async function responseBytes(source) {
    const r = await source;
    if (Object.prototype.toString.call(r) !== '[object Response]') throw new PageTypeError('WebAssembly: a Response is required');
    const type = (r.headers.get('content-type') || '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/wasm') throw new PageTypeError(`WebAssembly: the response's MIME type is ${JSON.stringify(type)}, not application/wasm`);
    if (!r.ok) throw new PageTypeError(`WebAssembly: HTTP status ${r.status}`);
    // A buffer of its own, which no page code holds.
    return new window.Uint8Array(await r.arrayBuffer());
  }

  /**
   * Compiles checked `bytes` (the copy) in the page: the page's Module.
   * Through the original compile(bytes), which reads the copy at the call
   * and resolves no page object.  Not through compileStreaming of a
   * Response made of the copy (faster in Firefox): the engine resolves that
   * Response like a promise, reading `then` through the page's prototypes,
   * so a page getter on Response.prototype.then or Object.prototype.then
   * chose what was compiled (red-team finding; tests/firefox/wasm-guard).
   */
  async function compileChecked(bytes, api) {
    await check(bytes, api);
    const m = await orig.compile(bytes);
    checked.add(m);
    return m;
  }

  /** Whether `x` is a Module compiled here from checked bytes. */
  const isChecked = (x) => {
    try {
      return x !== null && (typeof x === 'object' || typeof x === 'function') && checked.has(x);
    } catch {
      return false;
    }
  };

  const traps = {
    compile: (args) => pagePromise(async () => {
      const bytes = copyBytes(args[0].xray);
      if (!bytes) throw new PageTypeError('WebAssembly.compile: a BufferSource is required');
      return compileChecked(bytes, 'compile');
    }),
    instantiate: (args) => pagePromise(async () => {
      const imports = args[1].raw;
      if (isChecked(args[0].raw)) return orig.instantiate(args[0].raw, imports);
      const bytes = copyBytes(args[0].xray);
      // Not bytes, and not a Module compiled here (one from a worker, say): refused too.
      if (!bytes) refuse('instantiate', 'neither bytes nor a Module the guard compiled from checked bytes');
      const module = await compileChecked(bytes, 'instantiate');
      const instance = await orig.instantiate(module, imports);
      const out = new PageObject();
      out.module = module;
      out.instance = instance;
      return out;
    }),
    compileStreaming: (args) => pagePromise(async () => compileChecked(await responseBytes(args[0].xray), 'compileStreaming')),
    instantiateStreaming: (args) => pagePromise(async () => {
      const module = await compileChecked(await responseBytes(args[0].xray), 'instantiateStreaming');
      const instance = await orig.instantiate(module, args[1].raw);
      const out = new PageObject();
      out.module = module;
      out.instance = instance;
      return out;
    }),
  };

  /**
   * The arguments of a call as [xray, raw] pairs for the first two: the
   * Xray view of the arguments list hides objects it cannot see through (a
   * Module), so those are read from the list itself (a fresh array the
   * engine made for this call).
   */
  const argv = (args) => {
    const raw = XPCNativeWrapper.unwrap(args);
    return [0, 1].map((i) => ({ xray: args[i], raw: raw[i] }));
  };

  /** A page-realm proxy of `target` whose call (and construct) traps are `apply` (`construct`). */
  function proxy(target, apply, construct) {
    const handler = new PageObject();
    if (apply) exportFunction((t, thisArg, args) => apply(argv(args)), handler, { defineAs: 'apply' });
    if (construct) exportFunction((t, args) => construct(argv(args)), handler, { defineAs: 'construct' });
    return new PageProxy(target, handler);
  }
  /** Puts `value` at `obj[name]` for good: not writable, not configurable (the descriptor a page object). */
  const fixed = (obj, name, value) => {
    const d = new PageObject();
    d.value = value;
    d.writable = false;
    d.enumerable = false;
    d.configurable = false;
    PageObject.defineProperty(obj, name, d);
  };

  for (const name of Object.keys(traps)) {
    if (typeof orig[name] === 'function') fixed(W, name, proxy(orig[name], traps[name]));
  }
  const notConstructor = (what) => () => {
    throw new PageTypeError(`${what} must be called with new`);
  };
  const ModuleProxy = proxy(orig.Module, notConstructor('WebAssembly.Module'), () => {
    try {
      refuse('Module', 'a synchronous compile, which the guard cannot check before compiling (the release never uses it)');
    } catch (e) {
      throw pageError(e);
    }
  });
  const InstanceProxy = proxy(orig.Instance, notConstructor('WebAssembly.Instance'), (args) => {
    if (!isChecked(args[0].raw)) {
      try {
        refuse('Instance', 'a Module the guard did not compile from checked bytes');
      } catch (e) {
        throw pageError(e);
      }
    }
    return new orig.Instance(args[0].raw, args[1].raw);
  });
  fixed(W, 'Module', ModuleProxy);
  fixed(W, 'Instance', InstanceProxy);
  fixed(orig.Module.prototype, 'constructor', ModuleProxy);
  fixed(orig.Instance.prototype, 'constructor', InstanceProxy);
})();
