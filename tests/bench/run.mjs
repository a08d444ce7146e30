// make bench: sealpost against OpenPGP.js (Node and headless Chromium), native
// sealpost-core and GnuPG, on this machine in one run.  Prints a table and
// writes every figure to target/bench/results.json.
//   node tests/bench/run.mjs [--quick]     (make bench runs it on the release build)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { browser, repo, serve } from '../e2e/helpers.mjs';
import { run } from './workload.mjs';

const quick = process.argv.includes('--quick');
const KIB = 1024;
const MIB = 1024 * KIB;
const sizes = quick ? [KIB, MIB, 16 * MIB] : [KIB, MIB, 16 * MIB, 64 * MIB];
const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, quick, impls: {} };
const say = (s) => process.stderr.write(`${s}\n`);

// ---- sealpost and OpenPGP.js in Node
for (const [name, spec] of [['sealpost-node', `${repo}js-shim/src/node.js`], ['openpgpjs-node', 'openpgp']]) {
  say(`== ${name}`);
  const lib = await import(spec);
  results.impls[name] = await run(lib, { sizes, quick });
}

// ---- the same workload in headless Chromium
{
  const chrome = await browser();
  // The bench page's modules carry no SRI: without this the Integrity-Policy
  // header blocks them and the page never starts (make bench hung there).
  const server = await serve(repo, { integrityPolicy: false });
  for (const [name, lib] of [['sealpost-chromium', 'sealpost'], ['sealpost-chromium-direct', 'sealpost-direct'], ['openpgpjs-chromium', 'openpgp']]) {
    say(`== ${name}`);
    const page = await chrome.newPage();
    await page.goto(`${server.url}tests/bench/page.html?lib=${lib}&quick=${quick ? 1 : 0}&sizes=${sizes.join(',')}`);
    await page.waitForFunction(() => window.__bench?.done, null, { timeout: 1_800_000, polling: 1000 });
    const r = await page.evaluate(() => window.__bench);
    if (r.error) throw new Error(`${name}: ${r.error}`);
    results.impls[name] = r.rows;
    await page.close();
  }
  await server.close();
  await chrome.close();
}

// ---- native sealpost-core (release, the same pure-Rust crypto as the wasm),
// with AES-NI and, like the wasm, with the aes crate's constant-time software
// AES (its own target dir: a different --cfg rebuilds every dependency)
for (const [name, env, dir] of [['native', {}, []], ['native-soft-aes', { RUSTFLAGS: '--cfg aes_force_soft' }, ['--target-dir', 'target/soft-aes']]]) {
  say(`== ${name}`);
  const out = execFileSync('cargo', ['run', '-q', '-p', 'sealpost-core', '--release', '--locked', ...dir, '--example', 'throughput', '--', ...(quick ? ['--quick'] : [])], {
    cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env },
  });
  results.impls[name] = out.trim().split('\n').map((l) => JSON.parse(l));
}

// ---- GnuPG: one process per operation, so process start is included
say('== gpg');
{
  const home = mkdtempSync(join(tmpdir(), 'bench-gpg-'));
  chmodSync(home, 0o700);
  const gpg = (args, input) => {
    const r = spawnSync('gpg', ['--batch', '--yes', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', '', '--trust-model', 'always', ...args], { env: { ...process.env, GNUPGHOME: home }, input, maxBuffer: 256 * MIB });
    if (r.status !== 0) throw new Error(`gpg ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const rows = [];
  const t = (fn, reps) => {
    fn();
    const v = [];
    for (let i = 0; i < reps; i++) {
      const s = performance.now();
      fn();
      v.push(performance.now() - s);
    }
    return v.sort((a, b) => a - b)[v.length >> 1];
  };
  let n = 0;
  const keygen = t(() => gpg(['--quick-gen-key', `Bench${n++} <b${n}@example.org>`, 'ed25519', 'default', 'never']), 3);
  rows.push({ op: 'keygen', variant: 'v4', size: 0, ms: keygen, ops_s: 1000 / keygen });
  gpg(['--quick-gen-key', 'Main <main@example.org>', 'ed25519', 'default', 'never']);
  const fpr = gpg(['--with-colons', '--list-keys', 'main@example.org']).toString().split('\n').find((l) => l.startsWith('fpr:')).split(':')[9];
  gpg(['--quick-add-key', fpr, 'cv25519', 'encr', 'never']);
  for (const size of sizes) {
    const data = Buffer.alloc(size, 7).map((_, i) => (i * 2654435761) >>> 24);
    const ct = gpg(['-e', '-s', '-u', fpr, '-r', fpr, '-z', '0'], data);
    const e = t(() => gpg(['-e', '-s', '-u', fpr, '-r', fpr, '-z', '0'], data), size >= 16 * MIB ? 1 : 3);
    rows.push({ op: 'encrypt+sign', variant: 'v4', size, ms: e, mib_s: size / MIB / (e / 1000) });
    const d = t(() => gpg(['-d'], ct), size >= 16 * MIB ? 1 : 3);
    rows.push({ op: 'decrypt+verify', variant: 'v4', size, ms: d, mib_s: size / MIB / (d / 1000) });
  }
  spawnSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home } });
  rmSync(home, { recursive: true, force: true });
  results.impls.gpg = rows;
}

// ---- sizes, import time and streamed memory (tests/bench/shim.mjs)
say('== sizes, import, memory');
{
  const out = execFileSync(process.execPath, [join(repo, 'tests/bench/shim.mjs'), ...(quick ? ['--quick'] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  results.shim = out.trim().split('\n').map((l) => JSON.parse(l));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  results.openpgpjs_size = {};
  for (const f of ['openpgp.min.mjs', 'lightweight/openpgp.min.mjs']) {
    const b = readFileSync(join(repo, 'node_modules/openpgp/dist', f));
    results.openpgpjs_size[f] = { raw: b.length, gzip: gz(b), brotli: br(b) };
  }
}

// ---- the table
const find = (impl, op, variant, size) => results.impls[impl]?.find((r) => r.op === op && r.variant === variant && r.size === size);
const fmt = (r) => (!r ? '–' : r.mib_s !== undefined && r.size >= MIB ? `${r.mib_s.toFixed(1)} MiB/s` : r.ops_s !== undefined ? `${r.ops_s.toFixed(0)}/s` : `${r.ms.toFixed(1)} ms`);
const ratio = (a, b) => {
  if (!a || !b) return '–';
  const x = a.mib_s !== undefined && a.size >= MIB ? a.mib_s / b.mib_s : a.ops_s !== undefined ? a.ops_s / b.ops_s : b.ms / a.ms;
  return `${x.toFixed(2)}×`;
};
const lines = [];
const label = (s) => (s === 0 ? '' : s >= MIB ? `${s / MIB} MiB` : `${s / KIB} KiB`);
lines.push('| operation | sealpost Chromium | OpenPGP.js Chromium | ratio | sealpost Chromium, direct mode | sealpost Node | OpenPGP.js Node | ratio | native | wasm/native (Node) | native, soft AES | wasm/soft (Node) | gpg |');
lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
const ops = [];
for (const v of ['v4', 'v6']) ops.push(['keygen', v, 0]);
for (const v of ['v4', 'v6']) for (const s of sizes) for (const op of ['encrypt+sign', 'decrypt+verify']) ops.push([op, v, s]);
if (sizes.includes(16 * MIB)) for (const op of ['encrypt+sign', 'decrypt+verify']) ops.push([op, 'v6-armored', 16 * MIB]);
ops.push(['password-encrypt', 'default', MIB], ['password-encrypt', 'same-s2k', MIB]);
for (const v of ['v4', 'v6']) for (const op of ['sign-detached', 'verify-detached']) ops.push([op, v, KIB]);
for (const [op, v, s] of ops) {
  const sc = find('sealpost-chromium', op, v, s), oc = find('openpgpjs-chromium', op, v, s), sd = find('sealpost-chromium-direct', op, v, s);
  const sn = find('sealpost-node', op, v, s), on = find('openpgpjs-node', op, v, s);
  const na = find('native', op, v, s), ns = find('native-soft-aes', op, v, s), g = find('gpg', op, v, s);
  lines.push(`| ${op} ${v} ${label(s)} | ${fmt(sc)} | ${fmt(oc)} | ${ratio(sc, oc)} | ${fmt(sd)} | ${fmt(sn)} | ${fmt(on)} | ${ratio(sn, on)} | ${fmt(na)} | ${ratio(sn, na)} | ${fmt(ns)} | ${ratio(sn, ns)} | ${fmt(g)} |`);
}
const size = results.shim.find((r) => r.figure === 'size');
const o = results.openpgpjs_size['openpgp.min.mjs'];
const ol = results.openpgpjs_size['lightweight/openpgp.min.mjs'];
lines.push('');
lines.push('| size (bytes) | raw | gzip | brotli |');
lines.push('|---|---|---|---|');
lines.push(`| sealpost wasm | ${size.wasm_raw} | ${size.wasm_gzip} | ${size.wasm_brotli} |`);
lines.push(`| sealpost JS | ${size.js_raw} | ${size.js_gzip} | ${size.js_brotli} |`);
lines.push(`| sealpost total | ${size.wasm_raw + size.js_raw} | ${size.total_gzip} | ${size.wasm_brotli + size.js_brotli} |`);
lines.push(`| OpenPGP.js openpgp.min.mjs | ${o.raw} | ${o.gzip} | ${o.brotli} |`);
lines.push(`| OpenPGP.js lightweight | ${ol.raw} | ${ol.gzip} | ${ol.brotli} |`);
lines.push(`| ratio sealpost / OpenPGP.js (gzip) | | ${(size.total_gzip / o.gzip).toFixed(2)}× | |`);
for (const r of results.shim.filter((x) => x.figure !== 'size')) lines.push(`\n${JSON.stringify(r)}`);
const table = lines.join('\n');
console.log(table);
mkdirSync(join(repo, 'target/bench'), { recursive: true });
writeFileSync(join(repo, 'target/bench/results.json'), JSON.stringify(results, null, 1));
writeFileSync(join(repo, 'target/bench/table.md'), `${table}\n`);
say('wrote target/bench/results.json and target/bench/table.md');
