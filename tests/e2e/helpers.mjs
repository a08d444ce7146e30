// Shared e2e plumbing: serve a directory with tools/serve.mjs on a free
// loopback port, and launch Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
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
