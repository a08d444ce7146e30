// The bulk rows of make bench only: v4/v6 encrypt+sign and decrypt+verify of
// one size (16 MiB unless --size=BYTES), sealpost against OpenPGP.js, in Node
// and in headless Chromium (sealpost in worker mode), medians of --reps=N
// runs (3 unless given).  For A/B work on the symmetric crypto (issue 24):
// run it on the release build (make build-release) before and after.
// --root=DIR takes js-shim/src and tests/bench from a snapshot (DIR, made with
// --snapshot=DIR right after make build-release), so that a later dev build,
// which overwrites js-shim/src/wasm, cannot change what is measured.
//   node tests/bench/bulk.mjs [--size=16777216] [--reps=3] [--root=DIR | --snapshot=DIR]
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { browser, repo, serve } from '../e2e/helpers.mjs';
import { run } from './workload.mjs';

const opt = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
if (opt('snapshot')) {
  const dir = opt('snapshot');
  mkdirSync(`${dir}/tests`, { recursive: true });
  cpSync(`${repo}js-shim/src`, `${dir}/js-shim/src`, { recursive: true });
  cpSync(`${repo}tests/bench`, `${dir}/tests/bench`, { recursive: true });
  symlinkSync(`${repo}node_modules`, `${dir}/node_modules`);
  console.log(`snapshot in ${dir}`);
  process.exit(0);
}
const root = opt('root') ? `${opt('root').replace(/\/$/, '')}/` : repo;

const arg = (name, dflt) => Number(opt(name) ?? dflt);
const size = arg('size', 16 * 1024 * 1024);
const reps = arg('reps', 3);
const say = (s) => process.stderr.write(`${s}\n`);
const results = {};
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const keep = (name, rows) => {
  for (const r of rows.filter((r) => r.size === size)) {
    const k = `${r.op} ${r.variant}`;
    ((results[k] ??= {})[name] ??= []).push(r.mib_s);
  }
};

for (let i = 0; i < reps; i++) {
  for (const [name, spec] of [['sealpost-node', `${root}js-shim/src/node.js`], ['openpgpjs-node', 'openpgp']]) {
    say(`== ${name} (${i + 1}/${reps})`);
    keep(name, await run(await import(spec), { sizes: [size], quick: true, bulk: true }));
  }
}
{
  const chrome = await browser();
  // The bench page's modules carry no SRI: without this the Integrity-Policy
  // header blocks them and the page never starts (make bench hung there).
  const server = await serve(root, { integrityPolicy: false });
  for (let i = 0; i < reps; i++) {
    for (const [name, lib] of [['sealpost-chromium', 'sealpost'], ['openpgpjs-chromium', 'openpgp']]) {
      say(`== ${name} (${i + 1}/${reps})`);
      const page = await chrome.newPage();
      await page.goto(`${server.url}tests/bench/page.html?lib=${lib}&quick=1&bulk=1&sizes=${size}`);
      await page.waitForFunction(() => window.__bench?.done, null, { timeout: 1_800_000, polling: 1000 });
      const r = await page.evaluate(() => window.__bench);
      if (r.error) throw new Error(`${name}: ${r.error}`);
      keep(name, r.rows);
      await page.close();
    }
  }
  await server.close();
  await chrome.close();
}

const f = (v) => (v ? median(v).toFixed(1) : '-');
const ratio = (a, b) => (a && b ? `${(median(a) / median(b)).toFixed(2)}×` : '-');
console.log(`| ${size / 1024 / 1024} MiB, MiB/s (median of ${reps}) | sealpost Chromium | OpenPGP.js Chromium | ratio | sealpost Node | OpenPGP.js Node | ratio |`);
console.log('|---|---|---|---|---|---|---|');
for (const [k, r] of Object.entries(results)) {
  console.log(`| ${k} | ${f(r['sealpost-chromium'])} | ${f(r['openpgpjs-chromium'])} | ${ratio(r['sealpost-chromium'], r['openpgpjs-chromium'])} | ${f(r['sealpost-node'])} | ${f(r['openpgpjs-node'])} | ${ratio(r['sealpost-node'], r['openpgpjs-node'])} |`);
}
