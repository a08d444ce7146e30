// Where a worker-mode call's time goes (issue 24), in headless Chromium: verify and sign of 1 KiB
// (detached, v4 Ed25519), keygen (v4) and an empty call ('release' of nothing), each --n times
// (1000; keygen n/10) at each layer —
//   echo              a postMessage round trip with a like payload to a worker that answers at once
//   engine-in-worker  the engine (same engine.js and wasm) called in a loop on a worker's own thread
//   engine-in-worker-sleeps  the same with the thread asleep 0.2 ms between calls (Atomics.wait),
//                     as the crypto worker's thread sleeps between messages (wall: asleep not counted)
//   backend-worker    the crypto worker through the backend's run(): one message each way
//   api-worker        the public call (sealpost.verify…) in worker mode
//   backend-direct, api-direct   the same on the page's thread (direct mode)
// For each: wall µs per call, and CPU µs per call of the page's main thread and of the worker
// threads, read from /proc/<renderer>/task/*/schedstat around the phase (so a loaded machine
// changes the wall figure, much less the CPU ones; "wait" is the time the renderer's threads were
// runnable but not running).  Also how many messages each public call posts to the worker.
// --reps=R repeats in fresh pages (cells: median [min–max]); --root=DIR measures a snapshot
// (tests/bench/bulk.mjs --snapshot=DIR).  Linux only (/proc).
//   node tests/bench/cost.mjs [--n=1000] [--reps=3] [--root=DIR] [--ops=noop,sign,verify,keygen]
import { readdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { browser, repo, serve } from '../e2e/helpers.mjs';

const opt = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const n = Number(opt('n') ?? 1000);
const reps = Number(opt('reps') ?? 3);
const root = opt('root') ? `${opt('root').replace(/\/$/, '')}/` : repo;
const ops = (opt('ops') ?? 'noop,sign,verify,keygen').split(',');
const say = (s) => process.stderr.write(`${s}\n`);

/** CPU and run-queue wait (ns) of a process's threads: { page, workers, other, wait }. */
function threads(pid) {
  const out = { page: 0, workers: 0, other: 0, wait: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let comm, stat;
    try {
      comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      stat = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    } catch {
      continue; // a thread that ended
    }
    const kind = tid === String(pid) ? 'page' : comm.startsWith('DedicatedWorker') ? 'workers' : 'other';
    out[kind] += stat[0];
    out.wait += stat[1];
  }
  return out;
}

/** The renderer process of our one page: the child of this browser with DedicatedWorker threads. */
async function rendererPid(cdp) {
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  for (const p of processInfo.filter((x) => x.type === 'renderer')) {
    const comms = readdirSync(`/proc/${p.id}/task`).map((t) => { try { return readFileSync(`/proc/${p.id}/task/${t}/comm`, 'utf8'); } catch { return ''; } });
    if (comms.filter((c) => c.startsWith('DedicatedWorker')).length >= 3) return p.id;
  }
  throw new Error('renderer process not found');
}

const engineCode = (await build({ entryPoints: [`${root}tests/bench/cost-engine.mjs`], bundle: true, format: 'esm', write: false, logLevel: 'error' })).outputFiles[0].text;
const chrome = await browser();
const cdp = await chrome.newBrowserCDPSession();
const server = await serve(root, { integrityPolicy: false });
const cells = {}; // `${phase} ${op}` → { wall: [], page: [], workers: [], other: [], wait: [] }
let messages;
const layers = [['echo', ['noop']], ['engine-in-worker', ops], ['engine-in-worker-sleeps', ops], ['backend-worker', ops], ['api-worker', ops.filter((o) => o !== 'noop')], ['to-direct', []], ['backend-direct', ops], ['api-direct', ops.filter((o) => o !== 'noop')]];
try {
  for (let i = 0; i < reps; i++) {
    const page = await chrome.newPage();
    await page.addInitScript((code) => { window.__costEngineCode = code; }, engineCode);
    await page.goto(`${server.url}tests/bench/cost.html`);
    const ready = await page.evaluate(() => window.__ready);
    if (ready.error) throw new Error(ready.error);
    if (!ready.crossOriginIsolated) say('warning: not cross-origin isolated (100 µs timers)');
    messages = ready.messages;
    const pid = await rendererPid(cdp);
    for (const [phase, list] of layers) {
      if (phase === 'to-direct') {
        await page.evaluate(() => window.__phase('to-direct'));
        continue;
      }
      for (const op of list) {
        const count = op === 'keygen' ? Math.max(1, n / 10) : n;
        await page.evaluate(([p, c, o]) => window.__phase(p, c, o), [phase, Math.min(50, count), op]); // warm-up
        const before = threads(pid);
        const wall = await page.evaluate(([p, c, o]) => window.__phase(p, c, o), [phase, count, op]);
        const after = threads(pid);
        const c = (cells[`${phase} ${op}`] ??= { wall: [], page: [], workers: [], other: [], wait: [] });
        c.wall.push(wall);
        for (const k of ['page', 'workers', 'other', 'wait']) c[k].push((after[k] - before[k]) / 1000 / count);
      }
    }
    await page.close();
    say(`run ${i + 1}/${reps} done`);
  }
} finally {
  await server.close();
  await chrome.close();
}

const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const fmt = (v) => (reps > 1 ? `${med(v).toFixed(0)} [${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)}]` : med(v).toFixed(0));
console.log(`| µs per call, median of ${reps} pages (n=${n}; keygen n/10) | wall | CPU page thread | CPU worker threads | CPU other renderer threads | run-queue wait |`);
console.log('|---|---|---|---|---|---|');
for (const [k, c] of Object.entries(cells)) console.log(`| ${k} | ${fmt(c.wall)} | ${fmt(c.page)} | ${fmt(c.workers)} | ${fmt(c.other)} | ${fmt(c.wait)} |`);
console.log(`\nmessages the page posts to the crypto worker per public call: ${JSON.stringify(messages)}`);
