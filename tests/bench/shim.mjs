// Figures for the js-shim: package size, import + instantiate time in Node
// and in headless Chromium (worker mode), and the peak memory of a streamed
// SEIPDv2 encrypt → decrypt in Node (1 GiB; 256 MiB with --quick): the wasm
// module's linear memory (the library's own) and the process's RSS growth
// (which adds the JS producer's and consumer's garbage).  Prints JSON lines.
//   make build-release && node tests/bench/shim.mjs [--quick]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { browser, repo, serve } from '../e2e/helpers.mjs';

const emit = (o) => console.log(JSON.stringify(o));
const shim = join(repo, 'js-shim');

// Sizes.
const out = mkdtempSync(join(tmpdir(), 'sealpost-size-'));
const tgz = execFileSync('npm', ['pack', '--pack-destination', out, '--loglevel=error'], { cwd: shim, encoding: 'utf8' }).trim().split('\n').pop();
const wasm = readFileSync(join(shim, 'src/wasm/sealpost_wasm_bg.wasm'));
// Every browser module (not the Node entry point) and the wasm glue.
const js = [...readdirSync(join(shim, 'src')).filter((f) => f.endsWith('.js') && f !== 'node.js').sort().map((f) => `src/${f}`), 'src/wasm/sealpost_wasm.js', 'src/wasm/index.js']
  .map((f) => readFileSync(join(shim, f)));
const jsAll = Buffer.concat(js);
const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
emit({
  figure: 'size',
  packed_tgz: statSync(join(out, tgz)).size,
  wasm_raw: wasm.length, wasm_gzip: gz(wasm), wasm_brotli: br(wasm),
  js_raw: jsAll.length, js_gzip: gz(jsAll), js_brotli: br(jsAll),
  total_gzip: gz(wasm) + gz(jsAll),
});

// Import + instantiate in Node (a fresh process each time; median of 5).
const nodeTimes = [];
for (let i = 0; i < 5; i++) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
    const t0 = performance.now();
    const sp = await import(${JSON.stringify(join(shim, 'src/node.js'))});
    await sp.supportedKeyTypes();
    console.log(performance.now() - t0);`], { encoding: 'utf8' });
  nodeTimes.push(Number(r.stdout.trim()));
}
nodeTimes.sort((a, b) => a - b);
emit({ figure: 'import+instantiate', where: 'node', ms_median: +nodeTimes[2].toFixed(1) });

// Import + instantiate in Chromium, worker mode (fresh page each time; median of 5).
const chrome = await browser();
const server = await serve(shim, { integrityPolicy: false });
const times = [];
for (let i = 0; i < 5; i++) {
  // Any same-origin document will do as the page; a fresh one each time.
  const page = await chrome.newPage();
  await page.goto(`${server.url}index.d.ts`);
  const ms = await page.evaluate(async (url) => {
    const t0 = performance.now();
    const sp = await import(url);
    await sp.supportedKeyTypes();
    return performance.now() - t0;
  }, `${server.url}src/browser.js`);
  times.push(ms);
  await page.close();
}
times.sort((a, b) => a - b);
emit({ figure: 'import+instantiate', where: 'chromium-worker', ms_median: +times[2].toFixed(1) });
await server.close();
await chrome.close();

// Peak memory of a long stream, encrypt piped into decrypt, in Node.
const streamMiB = process.env.SEALPOST_STREAM_MIB || (process.argv.includes('--quick') ? 256 : 1024);
const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
  const sp = await import(${JSON.stringify(join(shim, 'src/node.js'))});
  const MiB = 1 << 20, total = ${Number(streamMiB)} * MiB;
  const { privateKey, publicKey } = await sp.generateKey({ userIDs: 'M <m@example.org>', format: 'object', config: { v6Keys: true } });
  await sp.supportedKeyTypes();
  const wasm = (await import(${JSON.stringify(join(shim, 'src/wasm/index.js'))})).initSync({ module: new Uint8Array(0) });
  const base = process.memoryUsage().rss, wasmBase = wasm.memory.buffer.byteLength;
  let peak = base, wasmPeak = wasmBase;
  const sample = () => { peak = Math.max(peak, process.memoryUsage().rss); wasmPeak = Math.max(wasmPeak, wasm.memory.buffer.byteLength); };
  const timer = setInterval(sample, 20);
  let pulled = 0;
  const input = new ReadableStream({ pull(c) { if (pulled >= total) return c.close(); const x = new Uint8Array(MiB).fill(pulled / MiB); pulled += MiB; c.enqueue(x); } });
  const t0 = performance.now();
  const enc = await sp.encrypt({ message: await sp.createMessage({ binary: input }), encryptionKeys: publicKey, signingKeys: privateKey, format: 'binary' });
  const { data, signatures } = await sp.decrypt({ message: await sp.readMessage({ binaryMessage: enc }), decryptionKeys: privateKey, verificationKeys: publicKey, expectSigned: true, format: 'binary' });
  let n = 0; for await (const c of data) { n += c.length; sample(); }
  await signatures;
  clearInterval(timer);
  console.log(JSON.stringify({ bytes: n, seconds: (performance.now() - t0) / 1000, base_rss: base, peak_rss: peak, wasm_base: wasmBase, wasm_peak: wasmPeak }));`], { encoding: 'utf8', maxBuffer: 1 << 20 });
if (r.status !== 0) throw new Error(r.stderr);
const m = JSON.parse(r.stdout.trim());
emit({ figure: `stream-encrypt|decrypt-${m.bytes / (1 << 20)}MiB`, where: 'node', mib: m.bytes / (1 << 20), seconds: +m.seconds.toFixed(1),
  base_rss_mib: +(m.base_rss / (1 << 20)).toFixed(1), peak_rss_mib: +(m.peak_rss / (1 << 20)).toFixed(1),
  rss_growth_mib: +((m.peak_rss - m.base_rss) / (1 << 20)).toFixed(1),
  wasm_memory_before_mib: +(m.wasm_base / (1 << 20)).toFixed(1), wasm_memory_peak_mib: +(m.wasm_peak / (1 << 20)).toFixed(1) });
