// What wasm-guard.js adds to one WebAssembly.instantiateStreaming of the
// release's wasm in Firefox ESR: RUNS calls on the enrolled origin (the
// guard's proxies: the body read whole, copied, SHA-384-hashed, then
// compiled) against RUNS on the same server under another host name, which
// is not enrolled (the browser's own streaming compile).  The bytes come
// from memory (a Response made in the page), so neither the network nor the
// guard's hold of the response is timed.  Not a test: `node tests/firefox/wasm-timing.mjs`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrollOrigin, repo, serveDemo, startFirefox } from './helpers.mjs';

const RUNS = Number(process.env.RUNS || 12);
const dir = mkdtempSync(join(tmpdir(), 'sealpost-ff-wasm-timing-'));
const site = join(dir, 'site');
cpSync(join(repo, 'build/site-dev'), site, { recursive: true });
const signed = spawnSync(join(repo, 'target/debug/sealpost-verify'), ['manifest', site, '--out', join(site, 'manifest.json'), '--app', 'sealpost-demo',
  '--release-version', '0.2.0', '--sign-with', join(repo, 'keys/demo-release.key')], { encoding: 'utf8' });
if (signed.status !== 0) throw new Error(signed.stderr);
const server = await serveDemo(site, join(dir, 'mail.sqlite'), { releaseCert: join(repo, 'keys/demo-release.cert') });
const enrolled = server.url.replace(/\/$/, '');
const plain = enrolled.replace('127.0.0.1', 'localhost');
const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))];

/** RUNS timed instantiateStreaming calls in the page at `origin` (its page realm's objects, through WebDriver). */
const TIMED = `const [runs] = arguments;
const done = arguments[arguments.length - 1];
const w = window;
const W = w.WebAssembly;
(async () => {
  const bytes = new w.Uint8Array(await (await w.fetch('/sealpost/wasm/sealpost_wasm_bg.wasm')).arrayBuffer());
  const response = () => { const h = new w.Headers(); h.set('content-type', 'application/wasm'); const o = new w.Object(); o.headers = h; return new w.Response(bytes, o); };
  // Every import a function of the page's realm that is never called (instantiating runs no code of the module).
  const imports = new w.Object();
  for (const i of W.Module.imports(await W.compileStreaming(response()))) {
    if (!imports[i.module]) imports[i.module] = new w.Object();
    imports[i.module][i.name] = w.Function.prototype.bind.call(w.Math.max, null);
  }
  const ms = [];
  for (let k = 0; k < runs; k++) {
    const t = w.performance.now();
    const r = await W.instantiateStreaming(response(), imports);
    if (!r.instance) throw new Error('no instance');
    ms.push(w.performance.now() - t);
  }
  return { ms, size: bytes.length, hooked: !w.Object.getOwnPropertyDescriptor(W, 'instantiateStreaming').configurable };
})().then((v) => done(v), (e) => done({ error: String(e) }));`;

const ff = await startFirefox();
try {
  const d = ff.driver;
  await enrollOrigin(d, enrolled);
  const out = {};
  // Alternated, twice each, so that neither side gets a warmer browser.
  for (const [name, origin] of [['without', plain], ['with', enrolled], ['without', plain], ['with', enrolled]]) {
    await d.get(`${origin}/`);
    if (name === 'with') await d.wait(async () => d.executeScript('return document.documentElement.dataset.sealpostVerified !== undefined'), 20000);
    const r = await d.executeAsyncScript(TIMED, RUNS);
    if (r.error) throw new Error(`${name}: ${r.error}`);
    if (r.hooked !== (name === 'with')) throw new Error(`${name}: the hook is ${r.hooked ? '' : 'not '}in place`);
    (out[name] ||= { ms: [], size: r.size }).ms.push(...r.ms);
  }
  const f = (xs) => `p50 ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms (n=${xs.length})`;
  console.log(`Firefox ESR, one WebAssembly.instantiateStreaming of the release wasm (${out.with.size} B, from memory): without wasm-guard.js ${f(out.without.ms)}; with it (enrolled) ${f(out.with.ms)}; added p50 ${(pct(out.with.ms, 0.5) - pct(out.without.ms, 0.5)).toFixed(1)} ms`);
} finally {
  await ff.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
