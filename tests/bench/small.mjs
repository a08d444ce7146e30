// The small rows of make bench only (issue 24): keygen v4/v6 and, of 1 KiB, encrypt+sign,
// decrypt+verify, detached sign and verify, in headless Chromium — sealpost in worker mode and in
// direct mode, and OpenPGP.js — in fresh pages, interleaved rep by rep (a loaded machine moves
// every column alike), medians of --reps=N (3) with the spread [slowest–fastest].
// --roots=A,B compares snapshots (tests/bench/bulk.mjs --snapshot=DIR) interleaved: A, B, A, B…
//   node tests/bench/small.mjs [--reps=3] [--roots=DIR_A,DIR_B]
import { browser, repo, serve } from '../e2e/helpers.mjs';

const opt = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const reps = Number(opt('reps') ?? 3);
const roots = (opt('roots') ?? repo).split(',').map((r) => `${r.replace(/\/$/, '')}/`);
const say = (s) => process.stderr.write(`${s}\n`);
const short = (r) => (roots.length > 1 ? ` ${r === repo ? 'tree' : r.replace(/\/$/, '').split('/').pop()}` : '');

const chrome = await browser();
const servers = [];
for (const r of roots) servers.push(await serve(r, { integrityPolicy: false }));
const cells = {}; // row → column → ops/s per rep
const columns = [];
try {
  for (let i = 0; i < reps; i++) {
    const runs = [];
    roots.forEach((r, j) => runs.push([`sealpost worker${short(r)}`, j, 'sealpost'], [`sealpost direct${short(r)}`, j, 'sealpost-direct']));
    runs.push(['OpenPGP.js', 0, 'openpgp']);
    for (const [column, j, lib] of runs) {
      if (!columns.includes(column)) columns.push(column);
      const page = await chrome.newPage();
      await page.goto(`${servers[j].url}tests/bench/page.html?lib=${lib}&small=1&sizes=1024`);
      await page.waitForFunction(() => window.__bench?.done, null, { timeout: 600_000, polling: 500 });
      const res = await page.evaluate(() => window.__bench);
      await page.close();
      if (res.error) throw new Error(`${column}: ${res.error}`);
      for (const row of res.rows) ((cells[`${row.op} ${row.variant}${row.size ? ' 1 KiB' : ''}`] ??= {})[column] ??= []).push(row.ops_s);
      say(`rep ${i + 1}/${reps}: ${column} done`);
    }
  }
} finally {
  for (const s of servers) await s.close();
  await chrome.close();
}

const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const cell = (v) => (!v ? '–' : reps > 1 ? `${med(v).toFixed(0)}/s [${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)}]` : `${med(v).toFixed(0)}/s`);
const workers = columns.filter((c) => c.startsWith('sealpost worker'));
console.log(`| Chromium, median of ${reps} (interleaved) | ${columns.join(' | ')} | ${workers.map((c) => `${c} ÷ OpenPGP.js`).join(' | ')} |`);
console.log(`|---|${columns.map(() => '---').join('|')}|${workers.map(() => '---').join('|')}|`);
for (const [row, c] of Object.entries(cells)) {
  console.log(`| ${row} | ${columns.map((k) => cell(c[k])).join(' | ')} | ${workers.map((k) => (c[k] && c['OpenPGP.js'] ? `${(med(c[k]) / med(c['OpenPGP.js'])).toFixed(2)}×` : '–')).join(' | ')} |`);
}
