// Time to first result (issue 23): a fresh page → the library imported →
// its first key generated, sealpost (worker mode) against OpenPGP.js, in
// headless Chromium on this machine, interleaved.  Each load is in a new
// browser context (empty HTTP cache: everything is fetched and compiled),
// then reloaded once in that context (warm: HTTP and code caches).  Files
// are served gzip-compressed, as a host would, over loopback and over an
// emulated connection (20 Mbit/s down, 40 ms round trip), where bytes count.
//   node tests/bench/first-result.mjs [--reps=N]    (make bench-first: on the release build)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { browser, repo } from '../e2e/helpers.mjs';

const reps = Number(process.argv.find((a) => a.startsWith('--reps='))?.slice(7) ?? 7);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const gz = new Map();
const sent = {};
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^[/\\]+/, '');
  const file = join(repo, path);
  if (!file.startsWith(repo) || path.split(sep).includes('..')) return res.writeHead(403).end();
  try {
    if (!gz.has(file)) gz.set(file, gzipSync(await readFile(file), { level: 9 }));
    const body = gz.get(file);
    sent[path] = body.length;
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'content-encoding': 'gzip', 'cache-control': 'max-age=3600' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/tests/bench/first.html`;

const chrome = await browser();
const NETS = { loopback: null, '20 Mbit/s, 40 ms': { offline: false, latency: 40, downloadThroughput: 20e6 / 8, uploadThroughput: 5e6 / 8 } };
const times = {};
async function once(lib, net) {
  const context = await chrome.newContext();
  const page = await context.newPage();
  if (NETS[net]) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', NETS[net]);
  }
  const load = async () => {
    await page.waitForFunction(() => window.__first?.done, null, { timeout: 120000, polling: 50 });
    const r = await page.evaluate(() => window.__first);
    if (r.error) throw new Error(`${lib}: ${r.error}`);
    return r;
  };
  await page.goto(`${base}?lib=${lib}`);
  const cold = await load();
  await page.reload();
  const warm = await load();
  await context.close();
  for (const [k, r] of [['cold', cold], ['warm', warm]]) {
    for (const f of ['imported', 'first', 'second']) ((times[`${net}|${k}|${f}`] ??= {})[lib] ??= []).push(r[f]);
  }
}
for (const net of Object.keys(NETS)) {
  for (let i = 0; i < reps; i++) for (const lib of i % 2 ? ['openpgp', 'sealpost'] : ['sealpost', 'openpgp']) await once(lib, net);
}
await chrome.close();
server.close();

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const ms = (v) => `${Math.round(v)} ms`;
console.log(`time to first result in Chromium, ${reps} loads each, median [min–max]; ratio = sealpost ÷ OpenPGP.js (below 1: sealpost first)`);
console.log('| connection | cache | step | sealpost (worker) | OpenPGP.js | ratio |');
console.log('|---|---|---|---|---|---|');
const out = {};
for (const [key, by] of Object.entries(times)) {
  const [net, cache, step] = key.split('|');
  const s = by.sealpost, o = by.openpgp;
  const cell = (a) => `${ms(median(a))} [${Math.round(Math.min(...a))}–${Math.round(Math.max(...a))}]`;
  const what = { imported: 'imported', first: 'first key', second: 'a second key (time it took)' }[step];
  console.log(`| ${net} | ${cache} | ${what} | ${cell(s)} | ${cell(o)} | ${(median(s) / median(o)).toFixed(2)}× |`);
  out[key] = { sealpost: s, openpgp: o };
}
const bytes = Object.entries(sent).filter(([p]) => /\.(m?js|wasm)$/.test(p)).map(([p, n]) => `${p} ${n}`);
console.log(`gzip bytes sent per cold load: ${bytes.join(', ')}`);
