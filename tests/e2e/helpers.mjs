// Shared e2e plumbing: serve a directory with tools/serve.mjs on a free
// loopback port, and launch Debian's Chromium through playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Spawns a server that prints "listening on http://127.0.0.1:PORT/" and
 * returns { url, close }.  close() stops it (`signal`, then SIGKILL after
 * 5 s: a test must never hang on a server) and is safe to call twice.
 */
async function spawnServer(cmd, args, signal) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  let buffered = '';
  for await (const chunk of child.stdout) {
    buffered += chunk;
    const m = buffered.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/)/);
    if (m) {
      const close = async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      };
      return { url: m[1], close };
    }
  }
  throw new Error(`${cmd} did not start: ${buffered}`);
}

/**
 * Serves a directory with tools/serve.mjs (strict headers) on a free port.
 * integrityPolicy: false drops Integrity-Policy, for test pages whose modules carry no integrity.
 */
export function serve(dir, { integrityPolicy = true } = {}) {
  const extra = integrityPolicy ? [] : ['--no-integrity-policy'];
  return spawnServer(process.execPath, [`${repo}tools/serve.mjs`, dir, '--port', '0', ...extra], 'SIGTERM');
}

/**
 * Starts the Rust demo server (target/debug/sealpost-demo, built by make build-dev)
 * on a free port (or `port`), serving `dist` with a fresh SQLite file, and
 * publishing `releaseCert` at its well-known path if given.
 */
export async function serveDemo(dist, db = join(mkdtempSync(join(tmpdir(), 'sealpost-demo-db-')), 'mail.sqlite'), { port = 0, releaseCert } = {}) {
  const args = ['--dist', dist, '--db', db, '--port', String(port)];
  if (releaseCert) args.push('--release-cert', releaseCert);
  return { ...(await spawnServer(`${repo}target/debug/sealpost-demo`, args, 'SIGINT')), db };
}

export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export { repo };

/** The extension aborting a navigation to block it aborts playwright's wait with one of these. */
const ABORTED = /ERR_ABORTED|interrupted by another navigation/;

/** Opens `url` in `page`; the extension may abort the navigation to block it. */
export async function visitSite(page, url) {
  await page.goto(url).catch((e) => {
    if (!ABORTED.test(e.message)) throw e;
  });
}

/** The extension's popup for tab `tabId`, opened in a new page of `context`, once it is ready. */
export async function openPopup(context, extId, tabId) {
  const p = await context.newPage();
  await p.goto(`chrome-extension://${extId}/popup.html?tab=${tabId}`);
  await p.waitForSelector('body[data-ready]');
  return p;
}

/**
 * Runs `trigger`; the tab must end on an extension blocked.html other than
 * the one it showed before (a new failure).  The extension aborting the
 * site's navigation aborts playwright's wait too: that is waited through.
 */
export async function newBlockedPage(page, trigger) {
  const before = page.url();
  await trigger();
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      await page.waitForURL((u) => /\/blocked\.html\?n=\d+#/.test(u.href) && u.href !== before, { timeout: Math.max(1, deadline - Date.now()) });
      break;
    } catch (e) {
      if (!ABORTED.test(e.message) || Date.now() > deadline) throw e;
    }
  }
  await page.waitForSelector('body[data-code]:not([data-code=""])');
}

/**
 * Stops the extension's service worker the way Chromium does when it idles
 * it out or it crashes (CDP ServiceWorker.stopWorker, through a session of
 * `page`, an open page of the context): whatever the worker held in memory
 * — promises, timers — is gone; chrome.storage and alarms remain.  Resolves
 * once Chromium reports it stopped.  (No scratch page: opening or closing a
 * tab is an event the guard listens to, which would start it again at once.)
 */
export async function stopExtensionWorker(page, extId) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const versions = new Map();
    let changed = () => {};
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) versions.set(v.versionId, v);
      changed();
    });
    const until = async (what, ok) => {
      const deadline = Date.now() + 10000;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`the extension's service worker: ${what} (${JSON.stringify([...versions.values()])})`);
        await new Promise((r) => { changed = r; setTimeout(r, 100); });
      }
    };
    const ours = () => [...versions.values()].find((v) => v.scriptURL.startsWith(`chrome-extension://${extId}/`) && v.runningStatus === 'running');
    await cdp.send('ServiceWorker.enable');
    await until('not seen running', () => ours());
    const { versionId } = ours();
    await cdp.send('ServiceWorker.stopWorker', { versionId });
    await until('not stopped', () => versions.get(versionId).runningStatus === 'stopped');
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * Chromium with the extension at `extension`, driven over a bare DevTools
 * pipe (--remote-debugging-pipe) that attaches to nothing by itself.
 * Playwright attaches a DevTools session to every page, and Chromium does
 * not prerender for a page with such a session (PrerenderingDisabledByDevTools);
 * here the test attaches only to the extension's service worker (and to
 * extension pages it opens), so web pages prerender as they would for a
 * user.  Returns { sw(expr), page(url) → { eval(expr), close() }, extId, close() }:
 * `sw` evaluates an expression (awaited, by value) in the extension's worker.
 */
export async function bareChromium(extension, profile, extraArgs = []) {
  const child = spawn(process.env.CHROMIUM || '/usr/bin/chromium', [
    // As Playwright launches it (its field trials off: the same features as the other suites).
    '--remote-debugging-pipe', '--disable-field-trial-config', '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`,
    `--disable-extensions-except=${extension}`, `--load-extension=${extension}`, ...extraArgs, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  const [out, inp] = [child.stdio[3], child.stdio[4]];
  let next = 0;
  const waiting = new Map();
  let buf = Buffer.alloc(0);
  inp.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (let i; (i = buf.indexOf(0)) >= 0; buf = buf.subarray(i + 1)) {
      const msg = JSON.parse(buf.subarray(0, i).toString());
      const w = waiting.get(msg.id);
      if (!w) continue;
      waiting.delete(msg.id);
      if (msg.error) w.reject(new Error(`${w.method}: ${msg.error.message}`));
      else w.resolve(msg.result);
    }
  });
  const send = (method, params = {}, sessionId) => new Promise((resolve, reject) => {
    const id = ++next;
    waiting.set(id, { resolve, reject, method });
    out.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
  });
  const evaluate = async (sessionId, expression) => {
    const r = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
    if (r.exceptionDetails) throw new Error(`${expression.slice(0, 80)}: ${r.exceptionDetails.exception?.description || r.exceptionDetails.text}`);
    return r.result.value;
  };
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  try {
    let worker;
    for (const end = Date.now() + 20000; !worker; await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() > end) throw new Error('no extension service worker');
      worker = (await send('Target.getTargets')).targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
    }
    const extId = new URL(worker.url).host;
    const { sessionId } = await send('Target.attachToTarget', { targetId: worker.targetId, flatten: true });
    // Attached before the worker's extension bindings exist: wait for them.
    for (const end = Date.now() + 20000; !(await evaluate(sessionId, "typeof chrome === 'object' && !!chrome.tabs").catch(() => false)); await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() > end) throw new Error('the extension service worker has no chrome.* API');
    }
    return {
      extId,
      close,
      sw: (expression) => evaluate(sessionId, expression),
      /** An extension page (never a web page: a session on it would disable its prerendering). */
      async page(url) {
        if (!url.startsWith(`chrome-extension://${extId}/`)) throw new Error('only extension pages are attached to');
        const { targetId } = await send('Target.createTarget', { url });
        const s = (await send('Target.attachToTarget', { targetId, flatten: true })).sessionId;
        return { eval: (expression) => evaluate(s, expression), close: () => send('Target.closeTarget', { targetId }) };
      },
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Starts a demo witness (keys/demo-witness-N.key) for the demo log key (or
 * `logVkey`), its SQLite state in `dir`; the child goes into `children` for the
 * caller to kill.  Resolves to its URL.
 */
export async function startWitness(n, { dir, children, logVkey = readFileSync(join(repo, 'keys/demo-log.vkey'), 'utf8').trim(), db = `w${n}.sqlite` }) {
  const child = spawn(join(repo, 'target/debug/sealpost-witness'), ['serve', '--key', join(repo, `keys/demo-witness-${n}.key`), '--db', join(dir, db),
    '--listen', '127.0.0.1:0', '--log', logVkey], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  for await (const chunk of child.stdout) {
    out += chunk;
    const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    if (m) return m[1];
  }
  throw new Error(`witness ${n} did not start: ${out}`);
}

/**
 * Issue 21: logs the binding of `origin` to the release key (`cert`) and the
 * signed log policy `policyFile` in the log directory `logDir` (log key
 * `logKey`), has the witnesses of `cosignPolicy` cosign it, and writes the
 * binding's proof to `out` (what the site serves as binding-proof).  Returns
 * { proof, at }: `at` the time (ms) the cosigning finished — the guard's
 * cool-down counts from the witnesses' time, at most that.
 */
export function bindOrigin({ logDir, logKey, origin, cert, policyFile, cosignPolicy = policyFile, out, verifyBin = join(repo, 'target/debug/sealpost-verify') }) {
  const run = (args) => {
    const r = spawnSync(verifyBin, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`sealpost-verify ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    return r;
  };
  run(['log', 'bind', logDir, '--key', logKey, '--origin', origin, '--cert', cert, '--policy-file', policyFile]);
  run(['log', 'checkpoint', logDir, '--policy', cosignPolicy]);
  const at = Date.now();
  run(['log', 'prove', logDir, '--binding', origin, '--out', out]);
  return { proof: out, at };
}

/** The cool-down (seconds) the extension build at `extension` was built with (its guard-config.js). */
export async function guardCoolDown(extension = join(repo, 'build/extension')) {
  return (await import(join(extension, 'guard-config.js'))).BINDING_COOL_DOWN_SECS;
}

/** Waits until a binding cosigned at `at` (ms) is past the extension's cool-down. */
export async function waitCooledDown(at, extension) {
  const ms = at + (await guardCoolDown(extension)) * 1000 + 1000 - Date.now();
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

/**
 * A persistent Chromium profile at `profileDir` with the guard loaded from
 * `extension`, and a tab opened at `probeUrl` (the extension's tab queries
 * need one): { context, sw, extId, page, tabId }.  extraArgs go on the
 * command line (e.g. --host-resolver-rules).
 */
export async function guardProfile(profileDir, extension, probeUrl, extraArgs = []) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: false,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...extraArgs, `--disable-extensions-except=${extension}`, `--load-extension=${extension}`],
  });
  const sw = context.serviceWorkers()[0] || await context.waitForEvent('serviceworker', { timeout: 20000 });
  const extId = new URL(sw.url()).host;
  const page = await context.newPage();
  await page.goto(probeUrl);
  const tabId = await sw.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u).id, probeUrl);
  return { context, sw, extId, page, tabId };
}

/**
 * A test proxy's pass-through: the request (its method, body, Sec-Fetch-Dest
 * and Content-Type) sent on to `upstream`, and its answer relayed whole,
 * without hop-by-hop or length headers and with the connection closed.
 */
export async function relay(req, res, upstream) {
  const body = ['GET', 'HEAD'].includes(req.method) ? undefined : await new Promise((r) => { const c = []; req.on('data', (d) => c.push(d)); req.on('end', () => r(Buffer.concat(c))); });
  const r = await fetch(new URL(req.url, upstream), { method: req.method, body, headers: { 'sec-fetch-dest': req.headers['sec-fetch-dest'] || '', 'content-type': req.headers['content-type'] || '' } });
  const b = Buffer.from(await r.arrayBuffer());
  const headers = Object.fromEntries([...r.headers].filter(([k]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)));
  res.writeHead(r.status, { ...headers, 'content-length': b.length, connection: 'close' }).end(b);
}
